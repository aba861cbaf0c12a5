//! An embedded emulator of the PingOne users endpoint, for offline tests and examples.
//!
//! [`Emulator::start`] binds an axum server to `127.0.0.1` on an ephemeral port, on a thread
//! of its own (so it works from synchronous code, and under a paused tokio clock in tests). It
//! serves `GET` and `PATCH` of `/v1/environments/{environmentID}/users/{userID}` with
//! PingOne's semantics, as described in the PingOne Platform API "Update User (PATCH)" page
//! (<https://apidocs.pingidentity.com/pingone/platform/v1/api/#patch-update-user>):
//!
//! - **identifiers** in a path are compared in any case and kept and answered in lower case,
//!   as the client sends them (seeded IDs are lower-cased too), so an upper-case UUID finds
//!   its user;
//! - the `Bearer` scheme (and `Basic` at the token endpoint) is read in any case, followed by
//!   one or more spaces (RFC 9110 §11.1); a missing or wrong `Authorization: Bearer` gets 401
//!   `ACCESS_FAILED` (detail `INVALID_TOKEN`); an unknown environment or user gets 404
//!   `NOT_FOUND`; a PATCH whose `Content-Type` is not `application/json` gets 415
//!   `INVALID_REQUEST`, and a body that is not a JSON object 400 `INVALID_REQUEST`;
//! - attributes declared with [`EmulatorBuilder::forbid`] get 403 `ACCESS_FAILED` (detail
//!   `INSUFFICIENT_PERMISSIONS`, with the attribute as `target`), as for a token that may not
//!   update them;
//! - invalid values get 400 `INVALID_DATA` with one detail per attribute, each with its
//!   `target`: `null` for `username` or `email` (`REQUIRED_VALUE`), email format, lengths
//!   (with `rangeMinimumValue`/`rangeMaximumValue`), the `countryCode` and `timezone`
//!   patterns, phone numbers (at most 32 characters, one digit at least), `photo.href`
//!   required and an http(s) URL; sub-attributes of `name`, `address` and `photo` that the
//!   schema does not list are kept as sent, unchecked;
//! - **read-only attributes in a body** (`id`, `environment`, `createdAt`, `updatedAt`,
//!   `_links`, `enabled`, `emailVerified`, `mfaEnabled`, `account`, `identityProvider`,
//!   `lifecycle`, `lastSignOn`, `population`, `verifyStatus`, `memberOfGroupIDs`,
//!   `memberOfGroupNames`, `password`) **are ignored**, as PingOne ignores attributes that match
//!   nothing it can update by PATCH; so are names that cannot be custom attributes (a letter
//!   first, then letters, digits and hyphens, at most 256), and, when
//!   [`EmulatorBuilder::custom_attributes`] declared a schema, custom attributes outside it;
//! - the rest is merged by RFC 7396 §2 (null removes, objects merge, arrays and other values
//!   replace), `updatedAt` is bumped, and the whole user is returned with `_links` shaped as
//!   in the reference response.
//!
//! Faults ([`Fault`]) are queued with [`Emulator::inject`]: each request to the users endpoint
//! takes the next one; once they are used up the emulator answers correctly again.
//!
//! By default it holds one environment, [`REFERENCE_ENVIRONMENT_ID`], with the user of the
//! reference response, [`REFERENCE_USER_ID`], and accepts the token [`DEFAULT_TOKEN`].
//!
//! ```
//! use sparse_patch::pingone::emulator::{Emulator, Fault};
//!
//! let emulator = Emulator::start().unwrap();
//! assert!(emulator.api_base_url().starts_with("http://127.0.0.1:"));
//! emulator.inject(Fault::ServiceUnavailable { retry_after: None });
//! assert_eq!(emulator.user(emulator.user_id()).unwrap()["username"], "dspanner");
//! ```

use core::fmt;
use std::collections::{BTreeSet, HashMap, VecDeque};
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use axum::body::{Body, Bytes};
use axum::extract::{Path, State};
use axum::http::{HeaderMap, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Map, Value, json};

/// The bearer token that a default emulator accepts.
pub const DEFAULT_TOKEN: &str = "emulator-access-token";
/// The client ID of the worker application that a default emulator knows.
pub const DEFAULT_CLIENT_ID: &str = "emulator-worker";
/// The client secret of that worker application.
pub const DEFAULT_CLIENT_SECRET: &str = "emulator-worker-secret";
/// The lifetime, in seconds, of the tokens the emulator's token endpoint issues (one hour, as
/// PingOne's default).
pub const TOKEN_LIFETIME_SECONDS: u64 = 3600;
/// The environment of the reference response (`update-user-patch.txt`).
pub const REFERENCE_ENVIRONMENT_ID: &str = "abfba8f6-49eb-49f5-a5d9-80ad5c98f9f6";
/// The user of the reference response.
pub const REFERENCE_USER_ID: &str = "a38890a6-295a-4d58-9f6e-b72b05fba379";

const REFERENCE_USER: &str = include_str!("reference_user.json");

/// The user of the reference 200 response of "Update User (PATCH)", without `_links`: what a
/// default emulator holds.
///
/// # Panics
///
/// Never: the document is a constant that a test checks.
#[must_use]
pub fn reference_user() -> Value {
    serde_json::from_str(REFERENCE_USER).expect("the reference user is valid JSON")
}

/// A fault that the emulator answers one request with, queued by [`Emulator::inject`].
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Fault {
    /// 429 `REQUEST_LIMITED` with this `Retry-After` value (seconds or an HTTP date).
    RateLimited {
        /// The `Retry-After` header value.
        retry_after: String,
    },
    /// 503 with a JSON error body, and a `Retry-After` if given.
    ServiceUnavailable {
        /// The `Retry-After` header value, if any.
        retry_after: Option<String>,
    },
    /// Waits this long, then answers normally.
    Slow(Duration),
    /// 502 with an HTML page, as a proxy in front of PingOne sends.
    BadGateway,
    /// Answers normally, but the 200 body is cut in half (its `Content-Length` too): a complete
    /// answer whose JSON is cut short.
    TruncatedBody,
    /// Carries out the request, announces the whole 200 body in `Content-Length`, sends half of
    /// it and drops the connection: the answer is lost on the way, after the change was made.
    ConnectionCut,
    /// This status with a PingOne JSON error body (`UNEXPECTED_ERROR` and the like).
    Status(u16),
}

/// One request that reached the users endpoint, as recorded by the emulator.
#[derive(Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct RecordedRequest {
    /// `GET`, `PATCH`...
    pub method: String,
    /// The path, such as `/v1/environments/.../users/...`.
    pub path: String,
    /// The headers, names in lower case.
    pub headers: Vec<(String, String)>,
    /// The body bytes.
    pub body: Vec<u8>,
}

impl RecordedRequest {
    /// The first value of a header (name in any case).
    #[must_use]
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }

    /// The body as JSON, if it is.
    #[must_use]
    pub fn json(&self) -> Option<Value> {
        serde_json::from_slice(&self.body).ok()
    }
}

impl fmt::Debug for RecordedRequest {
    /// Shows every header except `Authorization`, whose value is replaced by `***`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let headers: Vec<(&str, &str)> = self
            .headers
            .iter()
            .map(|(key, value)| {
                if key == "authorization" {
                    (key.as_str(), "***")
                } else {
                    (key.as_str(), value.as_str())
                }
            })
            .collect();
        f.debug_struct("RecordedRequest")
            .field("method", &self.method)
            .field("path", &self.path)
            .field("headers", &headers)
            .field("body", &String::from_utf8_lossy(&self.body))
            .finish()
    }
}

/// Configures an [`Emulator`]; see [`Emulator::builder`].
#[derive(Clone)]
pub struct EmulatorBuilder {
    token: String,
    worker: (String, String),
    environment_id: String,
    users: Vec<Value>,
    forbidden: BTreeSet<String>,
    custom_attributes: Option<BTreeSet<String>>,
    record_requests: bool,
}

impl fmt::Debug for EmulatorBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EmulatorBuilder")
            .field("token", &"***")
            .field("worker", &(&self.worker.0, "***"))
            .field("environment_id", &self.environment_id)
            .field("users", &self.users.len())
            .field("forbidden", &self.forbidden)
            .field("custom_attributes", &self.custom_attributes)
            .field("record_requests", &self.record_requests)
            .finish()
    }
}

impl Default for EmulatorBuilder {
    fn default() -> Self {
        EmulatorBuilder {
            token: DEFAULT_TOKEN.to_owned(),
            worker: (
                DEFAULT_CLIENT_ID.to_owned(),
                DEFAULT_CLIENT_SECRET.to_owned(),
            ),
            environment_id: REFERENCE_ENVIRONMENT_ID.to_owned(),
            users: vec![reference_user()],
            forbidden: BTreeSet::new(),
            custom_attributes: None,
            record_requests: true,
        }
    }
}

impl EmulatorBuilder {
    /// The bearer token the emulator accepts ([`DEFAULT_TOKEN`] by default).
    #[must_use]
    pub fn token(mut self, token: impl Into<String>) -> Self {
        self.token = token.into();
        self
    }

    /// The worker application whose client credentials the token endpoint accepts
    /// ([`DEFAULT_CLIENT_ID`] and [`DEFAULT_CLIENT_SECRET`] by default).
    #[must_use]
    pub fn worker(
        mut self,
        client_id: impl Into<String>,
        client_secret: impl Into<String>,
    ) -> Self {
        self.worker = (client_id.into(), client_secret.into());
        self
    }

    /// The environment that holds the users ([`REFERENCE_ENVIRONMENT_ID`] by default).
    #[must_use]
    pub fn environment_id(mut self, environment_id: impl Into<String>) -> Self {
        self.environment_id = environment_id.into();
        self
    }

    /// Removes every seeded user, the reference user included.
    #[must_use]
    pub fn no_users(mut self) -> Self {
        self.users.clear();
        self
    }

    /// Adds a user document (a JSON object with an `id`). Its `environment.id` is set to the
    /// emulator's environment.
    #[must_use]
    pub fn user(mut self, user: Value) -> Self {
        self.users.push(user);
        self
    }

    /// An attribute (top-level name, or a dotted path such as `name.given`) that the token may
    /// not update: a PATCH that holds it gets 403.
    #[must_use]
    pub fn forbid(mut self, attribute: impl Into<String>) -> Self {
        self.forbidden.insert(attribute.into());
        self
    }

    /// Declares the environment's custom attributes: others are then ignored, as PingOne
    /// ignores attributes its schema lacks. Without a declaration, any valid custom attribute
    /// name is accepted.
    #[must_use]
    pub fn custom_attributes<I, S>(mut self, names: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.custom_attributes = Some(names.into_iter().map(Into::into).collect());
        self
    }

    /// Whether the emulator keeps every request for [`Emulator::requests`] (`true` by
    /// default). Turn it off for load tests: each kept request holds its headers and body, so
    /// the log grows with the number of requests (about 1 KiB each), while without it the
    /// emulator's memory depends only on its users.
    #[must_use]
    pub fn record_requests(mut self, record: bool) -> Self {
        self.record_requests = record;
        self
    }

    /// Binds `127.0.0.1:0` and starts serving on a thread of its own.
    ///
    /// # Errors
    ///
    /// The I/O error of binding the socket or of starting the server's runtime, or
    /// [`std::io::ErrorKind::InvalidInput`] for a seeded user without a string `id`.
    pub fn start(self) -> std::io::Result<Emulator> {
        let listener = std::net::TcpListener::bind(("127.0.0.1", 0))?;
        listener.set_nonblocking(true)?;
        let addr = listener.local_addr()?;
        let base = format!("http://{addr}/v1");
        // IDs are kept and sent in lower case, and compared in any case (see the module's
        // documentation).
        let environment_id = self.environment_id.to_ascii_lowercase();
        let mut users = HashMap::new();
        for user in self.users {
            let Value::Object(mut user) = user else {
                return Err(std::io::Error::new(
                    std::io::ErrorKind::InvalidInput,
                    "a seeded user must be a JSON object",
                ));
            };
            let Some(id) = user
                .get("id")
                .and_then(Value::as_str)
                .map(str::to_ascii_lowercase)
            else {
                return Err(std::io::Error::new(
                    std::io::ErrorKind::InvalidInput,
                    "a seeded user needs a string `id`",
                ));
            };
            user.remove("_links");
            user.insert("id".into(), Value::String(id.clone()));
            user.insert(
                "environment".into(),
                json!({ "id": environment_id.clone() }),
            );
            users.insert(id, user);
        }
        let shared = Arc::new(Shared {
            token: self.token,
            worker: self.worker,
            environment_id,
            base,
            forbidden: self.forbidden,
            custom_attributes: self.custom_attributes,
            record_requests: self.record_requests,
            state: Mutex::new(Mutable {
                users,
                faults: VecDeque::new(),
                requests: Vec::new(),
                error_ids: 0,
            }),
        });
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?;
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let app = axum::Router::new()
            .route(
                "/v1/environments/{environment}/users/{user}",
                axum::routing::any(handle),
            )
            .route("/{environment}/as/token", axum::routing::post(issue_token))
            .fallback(not_found)
            .with_state(Arc::clone(&shared));
        let (ready_tx, ready_rx) = std::sync::mpsc::channel();
        std::thread::Builder::new()
            .name(format!("pingone-emulator-{}", addr.port()))
            .spawn(move || {
                runtime.block_on(async move {
                    match tokio::net::TcpListener::from_std(listener) {
                        Ok(listener) => {
                            let _ = ready_tx.send(Ok(()));
                            tokio::spawn(async move {
                                let _ = axum::serve(listener, app).await;
                            });
                            // Returning drops the runtime, which ends the server.
                            let _ = stopped.await;
                        }
                        Err(error) => {
                            let _ = ready_tx.send(Err(error));
                        }
                    }
                });
            })?;
        ready_rx
            .recv()
            .map_err(|_| std::io::Error::other("the emulator thread ended early"))??;
        Ok(Emulator {
            addr,
            shared,
            stop: Some(stop),
        })
    }
}

/// A running emulator; it stops when dropped.
pub struct Emulator {
    addr: SocketAddr,
    shared: Arc<Shared>,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
}

impl fmt::Debug for Emulator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Emulator")
            .field("api_base_url", &self.shared.base)
            .field("environment_id", &self.shared.environment_id)
            .field("token", &"***")
            .finish_non_exhaustive()
    }
}

impl Drop for Emulator {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

impl Emulator {
    /// An emulator with the defaults: token [`DEFAULT_TOKEN`], environment
    /// [`REFERENCE_ENVIRONMENT_ID`], seeded with [`reference_user`].
    ///
    /// # Errors
    ///
    /// As [`EmulatorBuilder::start`].
    pub fn start() -> std::io::Result<Emulator> {
        EmulatorBuilder::default().start()
    }

    /// A builder with the defaults of [`Emulator::start`].
    #[must_use]
    pub fn builder() -> EmulatorBuilder {
        EmulatorBuilder::default()
    }

    /// The address the emulator listens on (`127.0.0.1` and an ephemeral port).
    #[must_use]
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The auth base URL to give the client for worker credentials, `http://127.0.0.1:{port}`:
    /// the emulator serves `POST /{environmentID}/as/token` there.
    #[must_use]
    pub fn auth_base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The worker application's client ID that the token endpoint accepts.
    #[must_use]
    pub fn client_id(&self) -> &str {
        &self.shared.worker.0
    }

    /// The worker application's client secret that the token endpoint accepts.
    #[must_use]
    pub fn client_secret(&self) -> &str {
        &self.shared.worker.1
    }

    /// The API base URL to give the client, `http://127.0.0.1:{port}/v1`.
    #[must_use]
    pub fn api_base_url(&self) -> &str {
        &self.shared.base
    }

    /// The bearer token the emulator accepts.
    #[must_use]
    pub fn token(&self) -> &str {
        &self.shared.token
    }

    /// The emulator's environment ID.
    #[must_use]
    pub fn environment_id(&self) -> &str {
        &self.shared.environment_id
    }

    /// The reference user's ID, [`REFERENCE_USER_ID`].
    #[must_use]
    pub fn user_id(&self) -> &str {
        REFERENCE_USER_ID
    }

    /// Queues a fault: the next request to the users endpoint that finds no earlier fault
    /// queued gets it.
    pub fn inject(&self, fault: Fault) {
        self.shared.lock().faults.push_back(fault);
    }

    /// How many faults are still queued.
    #[must_use]
    pub fn pending_faults(&self) -> usize {
        self.shared.lock().faults.len()
    }

    /// The stored user (without `_links`), if there is one with this ID (in any case).
    #[must_use]
    pub fn user(&self, user_id: &str) -> Option<Value> {
        self.shared
            .lock()
            .users
            .get(&user_id.to_ascii_lowercase())
            .cloned()
            .map(Value::Object)
    }

    /// Adds or replaces a user (a JSON object with a string `id`, kept in lower case).
    ///
    /// # Panics
    ///
    /// If `user` is not an object with a string `id`.
    pub fn insert_user(&self, user: Value) {
        let Value::Object(mut user) = user else {
            panic!("a user must be a JSON object");
        };
        let id = user
            .get("id")
            .and_then(Value::as_str)
            .expect("a user needs a string `id`")
            .to_ascii_lowercase();
        user.insert("id".into(), Value::String(id.clone()));
        user.insert(
            "environment".into(),
            json!({ "id": self.shared.environment_id.clone() }),
        );
        self.shared.lock().users.insert(id, user);
    }

    /// Every request that reached the users endpoint, in order; empty when the emulator was
    /// built with [`record_requests(false)`](EmulatorBuilder::record_requests).
    #[must_use]
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.shared.lock().requests.clone()
    }
}

struct Shared {
    token: String,
    worker: (String, String),
    environment_id: String,
    base: String,
    forbidden: BTreeSet<String>,
    custom_attributes: Option<BTreeSet<String>>,
    record_requests: bool,
    state: Mutex<Mutable>,
}

struct Mutable {
    users: HashMap<String, Map<String, Value>>,
    faults: VecDeque<Fault>,
    requests: Vec<RecordedRequest>,
    error_ids: u64,
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, Mutable> {
        self.state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn error(
        &self,
        status: StatusCode,
        code: &str,
        message: &str,
        details: Vec<Value>,
    ) -> Response {
        let id = {
            let mut state = self.lock();
            state.error_ids += 1;
            // A log key, as PingOne's are UUIDs; its `e1111111` start tells it from a user's ID.
            format!("e1111111-0000-4000-8000-{:012x}", state.error_ids)
        };
        let mut body = json!({ "id": id, "code": code, "message": message });
        if !details.is_empty() {
            body["details"] = Value::Array(details);
        }
        json_response(status, &body)
    }

    fn render(&self, id: &str, user: &Map<String, Value>) -> Value {
        let env = format!("{}/environments/{}", self.base, self.environment_id);
        let me = format!("{env}/users/{id}");
        let mut links = Map::new();
        let mut link = |name: &str, href: String| {
            links.insert(name.to_owned(), json!({ "href": href }));
        };
        link("self", me.clone());
        link("environment", env.clone());
        if let Some(population) = user
            .get("population")
            .and_then(|p| p.get("id"))
            .and_then(Value::as_str)
        {
            link("population", format!("{env}/populations/{population}"));
        }
        link("devices", format!("{me}/devices"));
        link("roleAssignments", format!("{me}/roleAssignments"));
        for name in [
            "password",
            "password.reset",
            "password.set",
            "password.check",
            "password.recover",
        ] {
            link(name, format!("{me}/password"));
        }
        link("linkedAccounts", format!("{me}/linkedAccounts"));
        link("account.sendVerificationCode", me.clone());
        link("memberOfGroups", format!("{me}/memberOfGroups"));
        let mut out = Map::new();
        out.insert("_links".into(), Value::Object(links));
        out.extend(user.clone());
        Value::Object(out)
    }
}

fn json_response(status: StatusCode, body: &Value) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "application/json")],
        body.to_string(),
    )
        .into_response()
}

/// `POST /{environmentID}/as/token` with `grant_type=client_credentials`, the client
/// authenticated by HTTP Basic (`CLIENT_SECRET_BASIC`) or by form fields (`CLIENT_SECRET_POST`),
/// as a worker application gets a token (OAuth 2.0, RFC 6749 §4.4). Answers the emulator's
/// bearer token, or 400/401 with an OAuth error body.
async fn issue_token(
    State(shared): State<Arc<Shared>>,
    Path(environment): Path<String>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Response {
    let oauth_error = |status: StatusCode, error: &str, description: &str| {
        (
            status,
            axum::Json(json!({ "error": error, "error_description": description })),
        )
            .into_response()
    };
    if !environment.eq_ignore_ascii_case(&shared.environment_id) {
        return oauth_error(
            StatusCode::NOT_FOUND,
            "invalid_request",
            "Unknown environment.",
        );
    }
    let form: HashMap<String, String> = String::from_utf8_lossy(&body)
        .split('&')
        .filter_map(|pair| pair.split_once('='))
        .map(|(key, value)| (form_decode(key), form_decode(value)))
        .collect();
    if form.get("grant_type").map(String::as_str) != Some("client_credentials") {
        return oauth_error(
            StatusCode::BAD_REQUEST,
            "unsupported_grant_type",
            "Only client_credentials is supported.",
        );
    }
    let basic = headers
        .get(header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| credentials(value, "Basic"))
        .and_then(|encoded| {
            use base64::Engine as _;
            base64::engine::general_purpose::STANDARD
                .decode(encoded)
                .ok()
        })
        .and_then(|decoded| String::from_utf8(decoded).ok())
        .and_then(|pair| {
            pair.split_once(':')
                .map(|(id, secret)| (form_decode(id), form_decode(secret)))
        });
    let credentials = basic.or_else(|| {
        Some((
            form.get("client_id")?.clone(),
            form.get("client_secret")?.clone(),
        ))
    });
    if credentials.as_ref() != Some(&shared.worker) {
        return oauth_error(
            StatusCode::UNAUTHORIZED,
            "invalid_client",
            "Client authentication failed.",
        );
    }
    axum::Json(json!({
        "access_token": shared.token,
        "token_type": "Bearer",
        "expires_in": TOKEN_LIFETIME_SECONDS,
    }))
    .into_response()
}

/// Decodes `application/x-www-form-urlencoded` text: `+` is a space, `%XX` a byte.
fn form_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while index < bytes.len() {
        let escaped = bytes
            .get(index + 1..index + 3)
            .and_then(|hex| std::str::from_utf8(hex).ok())
            .and_then(|hex| u8::from_str_radix(hex, 16).ok());
        match (bytes[index], escaped) {
            (b'+', _) => out.push(b' '),
            (b'%', Some(byte)) => {
                out.push(byte);
                index += 2;
            }
            (byte, _) => out.push(byte),
        }
        index += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The credentials of an `Authorization` value whose scheme is `scheme`: the scheme is
/// compared in any case and followed by one or more spaces (RFC 9110 §11.1 and §11.4).
fn credentials<'a>(value: &'a str, scheme: &str) -> Option<&'a str> {
    let (given, rest) = value.split_once(' ')?;
    given
        .eq_ignore_ascii_case(scheme)
        .then(|| rest.trim_start_matches(' '))
}

async fn not_found(State(shared): State<Arc<Shared>>) -> Response {
    shared.error(
        StatusCode::NOT_FOUND,
        "NOT_FOUND",
        "The requested resource was not found.",
        Vec::new(),
    )
}

async fn handle(
    State(shared): State<Arc<Shared>>,
    method: Method,
    Path((environment, user_id)): Path<(String, String)>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let fault = {
        let mut state = shared.lock();
        if shared.record_requests {
            state.requests.push(RecordedRequest {
                method: method.to_string(),
                path: format!("/v1/environments/{environment}/users/{user_id}"),
                headers: headers
                    .iter()
                    .map(|(k, v)| {
                        (
                            k.as_str().to_owned(),
                            String::from_utf8_lossy(v.as_bytes()).into_owned(),
                        )
                    })
                    .collect(),
                body: body.to_vec(),
            });
        }
        state.faults.pop_front()
    };
    let mut truncate = false;
    let mut cut = false;
    match fault {
        None => {}
        Some(Fault::Slow(wait)) => tokio::time::sleep(wait).await,
        Some(Fault::TruncatedBody) => truncate = true,
        Some(Fault::ConnectionCut) => cut = true,
        Some(Fault::RateLimited { retry_after }) => {
            let mut response = shared.error(
                StatusCode::TOO_MANY_REQUESTS,
                "REQUEST_LIMITED",
                "The request could not be completed. Too many requests.",
                vec![json!({
                    "code": "LIMIT_EXCEEDED",
                    "message": "The request limit was exceeded.",
                    "innerError": { "retryAfter": retry_after.clone() },
                })],
            );
            if let Ok(value) = retry_after.parse() {
                response.headers_mut().insert(header::RETRY_AFTER, value);
            }
            return response;
        }
        Some(Fault::ServiceUnavailable { retry_after }) => {
            let mut response = shared.error(
                StatusCode::SERVICE_UNAVAILABLE,
                "SERVICE_UNAVAILABLE",
                "The service is temporarily unavailable.",
                Vec::new(),
            );
            if let Some(value) = retry_after.and_then(|v| v.parse().ok()) {
                response.headers_mut().insert(header::RETRY_AFTER, value);
            }
            return response;
        }
        Some(Fault::BadGateway) => {
            return (
                StatusCode::BAD_GATEWAY,
                [(header::CONTENT_TYPE, "text/html")],
                "<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center></body></html>\n",
            )
                .into_response();
        }
        Some(Fault::Status(status)) => {
            let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            let code = match status.as_u16() {
                400 => "INVALID_REQUEST",
                401 | 403 => "ACCESS_FAILED",
                404 => "NOT_FOUND",
                408 => "REQUEST_TIMEOUT",
                415 => "INVALID_REQUEST",
                429 => "REQUEST_LIMITED",
                _ => "UNEXPECTED_ERROR",
            };
            return shared.error(status, code, "Injected fault.", Vec::new());
        }
    }
    let response = serve(&shared, &method, &environment, &user_id, &headers, &body);
    if truncate && response.status() == StatusCode::OK {
        let (parts, body) = response.into_parts();
        let bytes = axum::body::to_bytes(body, usize::MAX)
            .await
            .unwrap_or_default();
        let half = bytes.slice(..bytes.len() / 2);
        let mut response = Response::from_parts(parts, Body::from(half));
        response.headers_mut().remove(header::CONTENT_LENGTH);
        return response;
    }
    if cut && response.status() == StatusCode::OK {
        let (mut parts, body) = response.into_parts();
        let bytes = axum::body::to_bytes(body, usize::MAX)
            .await
            .unwrap_or_default();
        parts.headers.insert(
            header::CONTENT_LENGTH,
            header::HeaderValue::from(bytes.len()),
        );
        let half = bytes.slice(..bytes.len() / 2);
        // The stream fails after the first half: hyper then drops the connection.
        let chunks = futures_util::stream::iter([
            Ok(half),
            Err(std::io::Error::other("the emulator cut the connection")),
        ]);
        return Response::from_parts(parts, Body::from_stream(chunks));
    }
    response
}

fn serve(
    shared: &Shared,
    method: &Method,
    environment: &str,
    user_id: &str,
    headers: &HeaderMap,
    body: &[u8],
) -> Response {
    let authorized = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| credentials(v, "Bearer"))
        .is_some_and(|token| token == shared.token);
    if !authorized {
        return shared.error(
            StatusCode::UNAUTHORIZED,
            "ACCESS_FAILED",
            "The request could not be completed. You do not have access to this resource.",
            vec![json!({
                "code": "INVALID_TOKEN",
                "message": "The access token is missing, expired or invalid.",
            })],
        );
    }
    let not_found = || {
        shared.error(
            StatusCode::NOT_FOUND,
            "NOT_FOUND",
            "The requested resource was not found.",
            Vec::new(),
        )
    };
    if !environment.eq_ignore_ascii_case(&shared.environment_id) {
        return not_found();
    }
    let user_id = &user_id.to_ascii_lowercase();
    if *method == Method::GET {
        let user = shared.lock().users.get(user_id).cloned();
        return match user {
            Some(user) => json_response(StatusCode::OK, &shared.render(user_id, &user)),
            None => not_found(),
        };
    }
    if *method != Method::PATCH {
        return shared.error(
            StatusCode::METHOD_NOT_ALLOWED,
            "INVALID_REQUEST",
            "The emulator serves GET and PATCH of users only.",
            Vec::new(),
        );
    }
    let current = shared.lock().users.get(user_id).cloned();
    let Some(current) = current else {
        return not_found();
    };
    let is_json = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|mime| mime.trim().eq_ignore_ascii_case("application/json"));
    if !is_json {
        return shared.error(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "INVALID_REQUEST",
            "The request could not be completed. Content-Type must be application/json.",
            Vec::new(),
        );
    }
    let patch = match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(patch)) => patch,
        Ok(_) | Err(_) => {
            return shared.error(
                StatusCode::BAD_REQUEST,
                "INVALID_REQUEST",
                "The request could not be completed. The request body must be a JSON object.",
                Vec::new(),
            );
        }
    };
    let forbidden: Vec<Value> = touched_paths(&patch)
        .into_iter()
        .filter(|path| {
            shared.forbidden.iter().any(|f| {
                path == f
                    || path.starts_with(&format!("{f}."))
                    || f.starts_with(&format!("{path}."))
            })
        })
        .map(|path| {
            json!({
                "code": "INSUFFICIENT_PERMISSIONS",
                "target": path,
                "message": format!("You do not have permission to update the attribute '{path}'."),
            })
        })
        .collect();
    if !forbidden.is_empty() {
        return shared.error(
            StatusCode::FORBIDDEN,
            "ACCESS_FAILED",
            "The request could not be completed. You do not have access to this resource.",
            forbidden,
        );
    }
    let mut accepted = Map::new();
    for (key, value) in patch {
        if READ_ONLY.contains(&key.as_str()) {
            continue;
        }
        let known = SCHEMA.contains(&key.as_str());
        let custom_ok = is_custom_attribute_name(&key)
            && shared
                .custom_attributes
                .as_ref()
                .is_none_or(|names| names.contains(&key));
        if known || custom_ok {
            accepted.insert(key, value);
        }
    }
    let details = validate(&accepted, &current);
    if !details.is_empty() {
        let message = format!(
            "Validation Error : {}",
            details
                .iter()
                .filter_map(|d| d["message"].as_str())
                .collect::<Vec<_>>()
                .join(" ")
        );
        return shared.error(StatusCode::BAD_REQUEST, "INVALID_DATA", &message, details);
    }
    let mut user = Value::Object(current);
    merge_patch(&mut user, &Value::Object(accepted));
    let Value::Object(mut user) = user else {
        unreachable!("merging an object patch into an object gives an object")
    };
    let previous = user.get("updatedAt").and_then(Value::as_str).unwrap_or("");
    let mut now = rfc3339_now(0);
    if now.as_str() <= previous {
        now = bump_after(previous);
    }
    user.insert("updatedAt".into(), Value::String(now));
    let rendered = shared.render(user_id, &user);
    shared.lock().users.insert(user_id.to_owned(), user);
    json_response(StatusCode::OK, &rendered)
}

/// Attributes that PATCH cannot change: ignored when sent.
const READ_ONLY: &[&str] = &[
    "id",
    "environment",
    "createdAt",
    "updatedAt",
    "_links",
    "enabled",
    "emailVerified",
    "mfaEnabled",
    "account",
    "identityProvider",
    "lifecycle",
    "lastSignOn",
    "population",
    "verifyStatus",
    "memberOfGroupIDs",
    "memberOfGroupNames",
    "password",
];

/// Attributes of the schema that PATCH changes.
const SCHEMA: &[&str] = &[
    "username",
    "email",
    "name",
    "address",
    "photo",
    "nickname",
    "title",
    "type",
    "externalId",
    "locale",
    "preferredLanguage",
    "timezone",
    "mobilePhone",
    "primaryPhone",
];

/// A letter first, then letters, digits and hyphens, at most 256 characters.
fn is_custom_attribute_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '-')
        && name.len() <= 256
}

/// Every dotted path that a patch sets or clears: `name` for `{"name": null}`, `name.given`
/// (only) for `{"name": {"given": "A"}}`, which merges into `name`.
fn touched_paths(patch: &Map<String, Value>) -> Vec<String> {
    let mut out = Vec::new();
    for (key, value) in patch {
        match value {
            Value::Object(inner) => {
                out.extend(
                    touched_paths(inner)
                        .into_iter()
                        .map(|sub| format!("{key}.{sub}")),
                );
            }
            _ => out.push(key.clone()),
        }
    }
    out
}

/// RFC 7396 §2, `MergePatch(Target, Patch)`.
fn merge_patch(target: &mut Value, patch: &Value) {
    let Value::Object(patch) = patch else {
        *target = patch.clone();
        return;
    };
    if !target.is_object() {
        *target = Value::Object(Map::new());
    }
    let Value::Object(target) = target else {
        unreachable!()
    };
    for (key, value) in patch {
        if value.is_null() {
            target.remove(key);
        } else {
            merge_patch(target.entry(key.clone()).or_insert(Value::Null), value);
        }
    }
}

fn detail(code: &str, target: &str, message: String) -> Value {
    json!({ "code": code, "target": target, "message": message })
}

fn check_length(out: &mut Vec<Value>, target: &str, value: &Value, min: usize, max: usize) {
    match value {
        Value::Null => {}
        Value::String(text) => {
            let length = text.chars().count();
            if length < min || length > max {
                let mut d = detail(
                    "INVALID_VALUE",
                    target,
                    format!("{target} must be between {min} and {max} characters long."),
                );
                d["innerError"] = json!({ "rangeMinimumValue": min, "rangeMaximumValue": max });
                out.push(d);
            }
        }
        _ => out.push(detail(
            "INVALID_VALUE",
            target,
            format!("{target} must be a string."),
        )),
    }
}

fn check_pattern(
    out: &mut Vec<Value>,
    target: &str,
    value: &Value,
    pattern: &str,
    ok: impl Fn(&str) -> bool,
) {
    match value {
        Value::Null => {}
        Value::String(text) if ok(text) => {}
        _ => {
            let mut d = detail(
                "INVALID_VALUE",
                target,
                format!("{target} must match {pattern}."),
            );
            d["innerError"] = json!({ "allowedPattern": pattern });
            out.push(d);
        }
    }
}

fn is_email(text: &str) -> bool {
    let Some((local, domain)) = text.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && !domain.contains('@')
        && domain.contains('.')
        && domain.split('.').all(|label| !label.is_empty())
        && !text.chars().any(|c| c.is_whitespace() || c.is_control())
        && text.len() <= 320
}

fn is_word(text: &str) -> bool {
    !text.is_empty() && text.chars().all(|c| c.is_alphanumeric() || c == '_')
}

/// The checks of the reference schema, one detail per attribute at fault.
fn validate(patch: &Map<String, Value>, current: &Map<String, Value>) -> Vec<Value> {
    let mut out = Vec::new();
    for (key, value) in patch {
        let target = key.as_str();
        match target {
            "username" | "email" if value.is_null() => out.push(detail(
                "REQUIRED_VALUE",
                target,
                format!("{target} is required and cannot be null."),
            )),
            "username" => check_length(&mut out, target, value, 1, 128),
            "email" => check_pattern(&mut out, target, value, "RFC 2822 address", is_email),
            "nickname" | "title" | "type" | "locale" => {
                check_length(&mut out, target, value, 1, 256);
            }
            "externalId" => check_length(&mut out, target, value, 1, 1024),
            "preferredLanguage" => check_length(&mut out, target, value, 1, usize::MAX),
            "timezone" => check_pattern(&mut out, target, value, r"^\w+\/\w+$", |t| {
                t.split_once('/')
                    .is_some_and(|(area, city)| is_word(area) && is_word(city))
            }),
            "mobilePhone" | "primaryPhone" => {
                check_pattern(
                    &mut out,
                    target,
                    value,
                    "at most 32 characters, one digit at least",
                    |t| t.chars().count() <= 32 && t.chars().any(|c| c.is_ascii_digit()),
                );
            }
            "name" | "address" => match value {
                Value::Null => {}
                Value::Object(inner) => {
                    for (sub, sub_value) in inner {
                        let path = format!("{target}.{sub}");
                        match (target, sub.as_str()) {
                            ("address", "countryCode") => {
                                check_pattern(&mut out, &path, sub_value, "[A-Z]{2}", |t| {
                                    t.len() == 2 && t.bytes().all(|b| b.is_ascii_uppercase())
                                })
                            }
                            ("address", "postalCode") => {
                                check_length(&mut out, &path, sub_value, 1, 40);
                            }
                            (
                                "name",
                                "given" | "middle" | "family" | "formatted" | "honorificPrefix"
                                | "honorificSuffix",
                            )
                            | ("address", "streetAddress" | "locality" | "region") => {
                                check_length(&mut out, &path, sub_value, 1, 256);
                            }
                            // Not in the schema: kept as sent, as custom attributes are.
                            _ => {}
                        }
                    }
                }
                _ => out.push(detail(
                    "INVALID_VALUE",
                    target,
                    format!("{target} must be an object."),
                )),
            },
            "photo" => match value {
                Value::Null => {}
                Value::Object(inner) => match inner.get("href") {
                    Some(Value::String(href)) => {
                        if !(href.starts_with("https://") || href.starts_with("http://"))
                            || href.contains(char::is_whitespace)
                        {
                            out.push(detail(
                                "INVALID_VALUE",
                                "photo.href",
                                "photo.href must be an http or https URL.".into(),
                            ));
                        }
                    }
                    None if current.get("photo").and_then(|p| p.get("href")).is_some() => {}
                    None | Some(Value::Null) => out.push(detail(
                        "REQUIRED_VALUE",
                        "photo.href",
                        "photo.href is required.".into(),
                    )),
                    Some(_) => out.push(detail(
                        "INVALID_VALUE",
                        "photo.href",
                        "photo.href must be a string.".into(),
                    )),
                },
                _ => out.push(detail(
                    "INVALID_VALUE",
                    target,
                    "photo must be an object.".into(),
                )),
            },
            _ => {}
        }
    }
    out
}

/// Now as RFC 3339 with milliseconds in UTC, plus `extra_ms`.
fn rfc3339_now(extra_ms: u64) -> String {
    let since = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default();
    rfc3339(since.as_millis() as u64 + extra_ms)
}

/// One millisecond after a timestamp that is in the future of this clock.
fn bump_after(previous: &str) -> String {
    parse_rfc3339_ms(previous).map_or_else(|| rfc3339_now(1), |ms| rfc3339(ms + 1))
}

fn rfc3339(ms: u64) -> String {
    let days = (ms / 86_400_000) as i64;
    let rem = ms % 86_400_000;
    let (year, month, day) = civil_from_days(days);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{:03}Z",
        rem / 3_600_000,
        rem / 60_000 % 60,
        rem / 1000 % 60,
        rem % 1000
    )
}

fn parse_rfc3339_ms(text: &str) -> Option<u64> {
    let text = text.strip_suffix('Z')?;
    let (date, time) = text.split_once('T')?;
    let mut date = date.split('-').map(|p| p.parse::<i64>().ok());
    let (y, m, d) = (date.next()??, date.next()??, date.next()??);
    let (hms, frac) = time.split_once('.').unwrap_or((time, "0"));
    let mut hms = hms.split(':').map(|p| p.parse::<u64>().ok());
    let (h, mi, s) = (hms.next()??, hms.next()??, hms.next()??);
    let ms: u64 = format!("{frac:0<3}")[..3].parse().ok()?;
    let days = u64::try_from(days_from_civil(y, m, d)).ok()?;
    Some(days * 86_400_000 + h * 3_600_000 + mi * 60_000 + s * 1000 + ms)
}

/// Howard Hinnant's `civil_from_days`.
fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// Howard Hinnant's `days_from_civil`.
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let mp = if m > 2 { m - 3 } else { m + 9 };
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_round_trip() {
        assert_eq!(rfc3339(0), "1970-01-01T00:00:00.000Z");
        let ms = parse_rfc3339_ms("2023-01-04T22:54:25.135Z").unwrap();
        assert_eq!(rfc3339(ms), "2023-01-04T22:54:25.135Z");
        assert_eq!(
            bump_after("2999-01-01T00:00:00.000Z"),
            "2999-01-01T00:00:00.001Z"
        );
    }

    #[test]
    fn merge_patch_follows_rfc_7396() {
        let mut target = json!({"a": "b", "c": {"d": "e", "f": "g"}, "l": [1, 2]});
        merge_patch(&mut target, &json!({"a": "z", "c": {"f": null}, "l": [3]}));
        assert_eq!(target, json!({"a": "z", "c": {"d": "e"}, "l": [3]}));
    }

    #[test]
    fn reference_user_parses() {
        assert_eq!(reference_user()["id"], REFERENCE_USER_ID);
    }
}
