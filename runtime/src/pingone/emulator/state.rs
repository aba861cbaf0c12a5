//! The emulator's state: its settings, its users, the fault queue and the request log; how
//! users are seeded; and the JSON it answers (users with `_links`, typed error bodies).

use core::fmt;
use std::collections::{BTreeMap, BTreeSet, HashMap, VecDeque};
use std::sync::{Mutex, MutexGuard};

use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::Response;
use serde_json::{Map, Value, json};

use super::access_tokens::IssuedTokens;
use super::errors::ErrorWriter;
use super::faults::{RandomFaults, RateLimit};
use super::{DEFAULT_POPULATION_ID, Fault, clock};
use crate::member_order::remove_member;
use crate::pingone::ErrorDetail;

const REFERENCE_USER: &str = include_str!("../reference_user.json");

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

/// One request that reached a users endpoint (one user or the list), as recorded by the emulator.
#[derive(Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct RecordedRequest {
    /// `GET`, `PATCH`...
    pub method: String,
    /// The path, such as `/v1/environments/.../users/...`.
    pub path: String,
    /// The query string as sent, without the `?` (empty when there is none), such as
    /// `filter=username%20eq%20%22dspanner%22&limit=2`.
    pub query: String,
    /// The headers, names in lower case.
    pub headers: Vec<(String, String)>,
    /// The body bytes.
    pub body: Vec<u8>,
    /// The status of the answer as the client read it, such as `200` or `409`: the
    /// emulator's own answer (401 of the token check, 404, 405, 400, 413...), a fault's
    /// ([`fault`](Self::fault)), or the 429 of its rate limit
    /// ([`EmulatorBuilder::rate_limit`](super::EmulatorBuilder::rate_limit), which is no
    /// fault). `None` while the answer is not yet given (a [`Fault::Slow`] waiting, which a
    /// request from another thread may see), when none reached the client
    /// ([`Fault::ConnectionCut`] of a 200: the connection is dropped before the status line),
    /// or when the client left before it was given.
    pub status: Option<u16>,
    /// The fault the request took, queued ([`Emulator::inject`](super::Emulator::inject),
    /// [`Emulator::inject_patch_fault`](super::Emulator::inject_patch_fault)) or drawn ([`EmulatorBuilder::random_faults`](super::EmulatorBuilder::random_faults)),
    /// if any: one that answered in the emulator's place (`Status`, `ApiError`,
    /// `RateLimited`, `ServiceUnavailable`, `BadGateway`), or one that slowed or shaped its
    /// answer (`Slow`, `TruncatedBody`, `ConnectionCut`; the last two shape the body of a 200
    /// only, and leave another status, and a HEAD's answer, as it is). `None` for a
    /// request answered by the emulator alone, and for the 429 of its rate limit, which
    /// comes before any fault is taken. Written
    /// when the fault is taken, before the answer: a request whose [`Fault::Slow`] still
    /// waits, or whose client left before the answer (a client's timeout shorter than the
    /// wait), holds it with no [`status`](Self::status).
    pub fault: Option<Fault>,
    /// When the emulator recorded the request (once read, before any answer or fault): to
    /// tell which requests came inside a wait that an answer asked for, such as a 429's
    /// `Retry-After`. This machine's monotonic clock, which a paused tokio clock does not
    /// stop: the emulator keeps real time.
    pub received_at: std::time::Instant,
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

    /// The `X-Ping-External-Transaction-ID` the request carried, if any.
    #[must_use]
    pub fn transaction_id(&self) -> Option<&str> {
        self.header("x-ping-external-transaction-id")
    }

    /// The `X-Ping-External-Session-ID` the request carried, if any.
    #[must_use]
    pub fn session_id(&self) -> Option<&str> {
        self.header("x-ping-external-session-id")
    }

    /// The body as JSON, if it is.
    #[must_use]
    pub fn json(&self) -> Option<Value> {
        serde_json::from_slice(&self.body).ok()
    }
}

impl fmt::Debug for RecordedRequest {
    /// Shows the request with its credentials replaced by `***`: the value of the
    /// `Authorization` and `Proxy-Authorization` headers, and of an `access_token` or
    /// `client_secret` parameter in the query (which the emulator refuses, but records: a
    /// client that put its token in the URL showed it in every `Debug` of its requests, in a
    /// failed `assert_eq!` on [`Emulator::requests`](super::Emulator::requests) too).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let headers: Vec<(&str, &str)> = self
            .headers
            .iter()
            .map(|(key, value)| {
                if matches!(key.as_str(), "authorization" | "proxy-authorization") {
                    (key.as_str(), "***")
                } else {
                    (key.as_str(), value.as_str())
                }
            })
            .collect();
        f.debug_struct("RecordedRequest")
            .field("method", &self.method)
            .field("path", &self.path)
            .field(
                "query",
                &crate::pingone::query_credentials::redacted_query(&self.query),
            )
            .field("headers", &headers)
            .field("body", &String::from_utf8_lossy(&self.body))
            .field("status", &self.status)
            .field("fault", &self.fault)
            .finish()
    }
}

/// Where [`Shared::record`] kept a request: its index in the log (which only grows), or
/// `None` when the log is off.
#[must_use]
pub(super) struct LogEntry(Option<usize>);

/// What the handlers share: the settings, and the mutable state behind a lock.
pub(super) struct Shared {
    pub(super) token: String,
    /// The tokens the token endpoint issued, when they have a lifetime of their own.
    pub(super) issued_tokens: IssuedTokens,
    pub(super) worker: (String, String),
    /// The one token endpoint authentication method the worker may use, when set
    /// ([`EmulatorBuilder::worker_auth_method`](super::EmulatorBuilder::worker_auth_method)).
    pub(super) worker_auth_method: Option<crate::pingone::ClientAuthMethod>,
    pub(super) environment_id: String,
    pub(super) base: String,
    pub(super) forbidden: BTreeSet<String>,
    pub(super) custom_attributes: Option<BTreeSet<String>>,
    pub(super) record_requests: bool,
    /// The largest page a user list answers, whatever `limit` asks.
    pub(super) max_page_size: usize,
    /// Requests past this rate get 429, when set.
    pub(super) rate_limit: Option<RateLimit>,
    /// The `Retry-After` (seconds) of an injected 429
    /// ([`EmulatorBuilder::fault_retry_after`](super::EmulatorBuilder::fault_retry_after)).
    pub(super) fault_retry_after: u64,
    pub(super) errors: ErrorWriter,
    /// How many requests the token endpoint answered ([`Emulator::token_requests`]).
    ///
    /// [`Emulator::token_requests`]: super::Emulator::token_requests
    pub(super) token_requests: std::sync::atomic::AtomicUsize,
    pub(super) state: Mutex<Mutable>,
}

/// The state that requests change.
pub(super) struct Mutable {
    /// By ID, in order: the order of a user list, whose cursor is the last ID served. Change
    /// it only through [`Mutable::put_user`], which keeps the indexes.
    pub(super) users: BTreeMap<String, Map<String, Value>>,
    /// The IDs of the users by `username` and by `email` in lower case, for the `eq` filters
    /// of a user list (PingOne indexes them; a scan of every user per lookup made the
    /// emulator, not the client, the limit of a sync of 10,000 users).
    index: [HashMap<String, BTreeSet<String>>; INDEXED.len()],
    pub(super) faults: VecDeque<Fault>,
    /// The faults queued for the PATCH of a user alone
    /// ([`Emulator::inject_patch_fault`](super::Emulator::inject_patch_fault)).
    pub(super) patch_faults: VecDeque<Fault>,
    /// The faults queued for the token endpoint
    /// ([`Emulator::inject_token_fault`](super::Emulator::inject_token_fault)).
    pub(super) token_faults: VecDeque<Fault>,
    /// The faults queued for the requests that carry one `X-Ping-External-Transaction-ID`,
    /// by its value
    /// ([`Emulator::inject_for_transaction`](super::Emulator::inject_for_transaction)).
    pub(super) transaction_faults: HashMap<String, VecDeque<Fault>>,
    /// Faults drawn at random once the queue is empty.
    pub(super) random_faults: Option<RandomFaults>,
    pub(super) requests: Vec<RecordedRequest>,
}

/// The attributes [`Mutable`] indexes.
const INDEXED: [&str; 2] = ["username", "email"];

impl Mutable {
    /// No users, no faults, no requests.
    pub(super) fn new(random_faults: Option<RandomFaults>) -> Self {
        Mutable {
            users: BTreeMap::new(),
            index: Default::default(),
            faults: VecDeque::new(),
            patch_faults: VecDeque::new(),
            token_faults: VecDeque::new(),
            transaction_faults: HashMap::new(),
            random_faults,
            requests: Vec::new(),
        }
    }

    /// Adds or replaces the user `id`, and updates the indexes.
    pub(super) fn put_user(&mut self, id: String, user: Map<String, Value>) {
        self.unindex(&id);
        for (index, attribute) in self.index.iter_mut().zip(INDEXED) {
            if let Some(Value::String(value)) = user.get(attribute) {
                index
                    .entry(value.to_lowercase())
                    .or_default()
                    .insert(id.clone());
            }
        }
        self.users.insert(id, user);
    }

    /// Removes the user `id` and its index entries; the user it was, if there was one.
    pub(super) fn remove_user(&mut self, id: &str) -> Option<Map<String, Value>> {
        self.unindex(id);
        self.users.remove(id)
    }

    /// Removes the index entries of the user `id` as stored, if there is one.
    fn unindex(&mut self, id: &str) {
        let Some(old) = self.users.get(id) else {
            return;
        };
        for (index, attribute) in self.index.iter_mut().zip(INDEXED) {
            if let Some(Value::String(value)) = old.get(attribute) {
                let key = value.to_lowercase();
                if let Some(ids) = index.get_mut(&key) {
                    ids.remove(id);
                    if ids.is_empty() {
                        index.remove(&key);
                    }
                }
            }
        }
    }

    /// The ID of a user other than `id` whose `username` is `user`'s in any case (PingOne's
    /// usernames are unique in an environment, case-insensitive), if there is one.
    pub(super) fn username_taken(&self, id: &str, user: &Map<String, Value>) -> Option<&String> {
        let username = user.get("username")?.as_str()?;
        self.indexed("username", username)?
            .into_iter()
            .find(|holder| holder.as_str() != id)
    }

    /// The IDs of the users whose `attribute` (`username` or `email`) is `value` in any case
    /// (Unicode lower case), in ID order; `None` for an attribute without an index.
    pub(super) fn indexed(&self, attribute: &str, value: &str) -> Option<Vec<&String>> {
        let slot = INDEXED.iter().position(|indexed| *indexed == attribute)?;
        Some(
            self.index[slot]
                .get(&value.to_lowercase())
                .map(|ids| ids.iter().collect())
                .unwrap_or_default(),
        )
    }
}

impl Shared {
    pub(super) fn lock(&self) -> MutexGuard<'_, Mutable> {
        self.state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Keeps a request for [`Emulator::requests`](super::Emulator::requests), unless the log
    /// is off, without its answer yet: [`log_answer`](Self::log_answer) writes it in the
    /// entry returned.
    pub(super) fn record(
        &self,
        method: &Method,
        uri: &Uri,
        headers: &HeaderMap,
        body: &[u8],
    ) -> LogEntry {
        if !self.record_requests {
            return LogEntry(None);
        }
        let mut state = self.lock();
        let index = state.requests.len();
        state.requests.push(RecordedRequest {
            method: method.to_string(),
            path: uri.path().to_owned(),
            query: uri.query().unwrap_or_default().to_owned(),
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
            status: None,
            fault: None,
            received_at: std::time::Instant::now(),
        });
        LogEntry(Some(index))
    }

    /// Writes in a request's log entry the status the client read (`None` when no status
    /// reached it) and the fault the request took; nothing when the log is off.
    pub(super) fn log_answer(
        &self,
        entry: LogEntry,
        status: Option<StatusCode>,
        fault: Option<Fault>,
    ) {
        let LogEntry(Some(index)) = entry else {
            return;
        };
        if let Some(recorded) = self.lock().requests.get_mut(index) {
            recorded.status = status.map(|status| status.as_u16());
            recorded.fault = fault;
        }
    }

    /// Takes the next queued fault for a request with this `method` and `headers`: the next
    /// one queued for its `X-Ping-External-Transaction-ID` first, then, for a `PATCH`, the
    /// next one queued for a PATCH alone, then the next one queued for any request; and
    /// writes it in the request's log `entry` at once, under the same lock. Written only
    /// with the answer, the [`Fault::Slow`] of a request whose client left before it (a
    /// client's timeout shorter than the wait) was taken from its queue and in no entry of
    /// the log: a test could not tell which request had taken it.
    pub(super) fn take_fault(
        &self,
        method: &Method,
        headers: &HeaderMap,
        entry: &LogEntry,
    ) -> Option<Fault> {
        let mut state = self.lock();
        let for_transaction = headers
            .get("x-ping-external-transaction-id")
            .and_then(|value| value.to_str().ok())
            .and_then(|transaction| {
                let queue = state.transaction_faults.get_mut(transaction)?;
                let fault = queue.pop_front();
                if queue.is_empty() {
                    state.transaction_faults.remove(transaction);
                }
                fault
            });
        let for_patch = match for_transaction {
            Some(fault) => Some(fault),
            None if *method == Method::PATCH => state.patch_faults.pop_front(),
            None => None,
        };
        let fault = match for_patch.or_else(|| state.faults.pop_front()) {
            Some(fault) => Some(fault),
            None => state.random_faults.as_mut().and_then(RandomFaults::draw),
        };
        if let LogEntry(Some(index)) = entry
            && let Some(recorded) = state.requests.get_mut(*index)
        {
            recorded.fault.clone_from(&fault);
        }
        fault
    }

    /// Takes the next fault queued for the token endpoint (random faults are the users
    /// endpoints' only).
    pub(super) fn take_token_fault(&self) -> Option<Fault> {
        self.lock().token_faults.pop_front()
    }

    /// A PingOne error answer with a fresh log key (see [`ErrorWriter::answer`]).
    pub(super) fn error(
        &self,
        status: StatusCode,
        code: &str,
        message: &str,
        details: Vec<ErrorDetail>,
    ) -> Response {
        self.errors.answer(status, code, message, details)
    }

    /// The API base URL that the links of the answer to a request with `headers` name:
    /// `http://{host}/v1`, with the host (and port) of the request's `Host` header, as a
    /// server's links name the host its clients reach it by (PingOne's, the
    /// `https://api.pingone.com/v1` that its clients ask); the emulator's own address
    /// ([`Emulator::api_base_url`](super::Emulator::api_base_url)) when the request has no
    /// `Host`, more than one, or one that is no `host[:port]` (userinfo, a space). Before,
    /// every link named `127.0.0.1`, so that a client of `http://localhost:{port}/v1`, the
    /// same emulator, refused the list's `next` link as one to another host.
    pub(super) fn links_base(&self, headers: &HeaderMap) -> std::borrow::Cow<'_, str> {
        let mut hosts = headers.get_all(axum::http::header::HOST).iter();
        let host = match (hosts.next(), hosts.next()) {
            (Some(host), None) => host.to_str().ok(),
            _ => None,
        };
        match host.filter(|host| {
            !host.is_empty()
                && !host.contains('@')
                && host.parse::<axum::http::uri::Authority>().is_ok()
        }) {
            Some(host) => std::borrow::Cow::Owned(format!("http://{host}/v1")),
            None => std::borrow::Cow::Borrowed(&self.base),
        }
    }

    /// `user` (the user `id`) as answered, with its `_links` under the API base URL `base`
    /// ([`links_base`](Self::links_base)).
    pub(super) fn render(&self, base: &str, id: &str, user: &Map<String, Value>) -> Value {
        let env = format!("{base}/environments/{}", self.environment_id);
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

/// Checks `user` as [`EmulatorBuilder::user`](super::EmulatorBuilder::user) seeds it when
/// the emulator starts: a JSON object with a string `id` that is a PingOne ID (a UUID, in any
/// case), whose attributes keep the rules that a PATCH must keep (lengths, patterns, email,
/// the 16 KB profile: the pre-flight rules, which the emulator's validation applies too), and
/// that the client's [`User`](crate::pingone::User) reads: with a string `username` and
/// `email`, which PingOne's User schema requires. For a program that reads users from a
/// file and wants to name the line at fault, as `pingone-emulator --users` does. Usernames and
/// emails are not compared with other users' (a test may seed two users that one filter finds).
///
/// # Errors
///
/// What is wrong with `user`, as [`EmulatorBuilder::start`](super::EmulatorBuilder::start)
/// says it.
///
/// ```
/// use serde_json::json;
/// use sparse_patch::pingone::emulator::check_seeded_user;
///
/// let ada = json!({
///     "id": "A38890A6-295A-4D58-9F6E-B72B05FBA379",
///     "username": "ada",
///     "email": "ada@example.com",
/// });
/// assert!(check_seeded_user(&ada).is_ok());
/// let error = check_seeded_user(&json!({"id": "A38890A6-295A-4D58-9F6E-B72B05FBA379"})).unwrap_err();
/// assert!(error.contains("missing field `username`"), "{error}");
/// let error = check_seeded_user(&json!({"id": "alice"})).unwrap_err();
/// assert!(error.contains("must be a PingOne ID"), "{error}");
/// ```
pub fn check_seeded_user(user: &Value) -> Result<(), String> {
    // Measured in the reference environment: every environment ID is a UUID, of one length,
    // so the size of the user kept is the same in any.
    seed_user(user.clone(), super::REFERENCE_ENVIRONMENT_ID).map(|_| ())
}

/// A seeded or inserted user: an object whose `id` is a PingOne ID (a UUID) and whose
/// attributes keep the rules that a PATCH must keep ([`rules`](crate::pingone::rules)), kept
/// (and its `id`) in lower case, in `environment_id`, without `_links`, with PingOne's creation
/// defaults where it leaves them out ([`fill_creation_defaults`]). A user that the client
/// could never reach, read or write back is refused here, where the test that seeds it can see
/// why.
pub(super) fn seed_user(
    user: Value,
    environment_id: &str,
) -> Result<(String, Map<String, Value>), String> {
    let Value::Object(mut user) = user else {
        return Err("a seeded user must be a JSON object".into());
    };
    let id = match user.get("id") {
        Some(Value::String(id)) => id.to_ascii_lowercase(),
        other => {
            let found = other.map_or_else(|| "none".to_owned(), Value::to_string);
            return Err(format!(
                "a seeded user needs a string `id`, a PingOne ID (a UUID such as \
                 a38890a6-295a-4d58-9f6e-b72b05fba377), which the client can send: {found}"
            ));
        }
    };
    if !crate::pingone::ids::is_pingone_id(&id) {
        return Err(format!(
            "a seeded user's `id` must be a PingOne ID (a UUID such as \
             a38890a6-295a-4d58-9f6e-b72b05fba377), which the client can send: {id:?}"
        ));
    }
    let broken = crate::pingone::rules::check_patch(&user, None);
    if !broken.is_empty() {
        let messages: Vec<String> = broken
            .iter()
            .map(|detail| detail.message.clone().unwrap_or_default())
            .collect();
        return Err(format!(
            "the seeded user {id} breaks PingOne's rules: {}",
            messages.join(" ")
        ));
    }
    // In place: with serde_json's `preserve_order`, `Map::remove` moved the seed's last
    // member into `_links`' place, and the stored user answered in another order.
    remove_member(&mut user, "_links");
    user.insert("id".into(), Value::String(id.clone()));
    user.insert("environment".into(), json!({ "id": environment_id }));
    fill_creation_defaults(&mut user);
    // The 16 KB profile, measured as a PATCH measures the user it makes (the user kept,
    // without `_links`, with the `updatedAt` the PATCH writes, to the millisecond). Before, a
    // seed past it was taken, and every PATCH that did not shrink it got
    // `SIZE_LIMIT_EXCEEDED`; and a seed at the limit whose own `updatedAt` was shorter
    // (`2020-01-01T00:00:00Z`) was taken, then refused every PATCH, `{}` included.
    let mut as_patched = user.clone();
    let previous = as_patched
        .get("updatedAt")
        .and_then(Value::as_str)
        .unwrap_or("");
    let updated_at = clock::next_updated_at(previous);
    as_patched.insert("updatedAt".into(), Value::String(updated_at));
    let size = serde_json::to_vec(&as_patched).map_or(0, |json| json.len());
    if let Some(detail) = crate::pingone::rules::check_size(size) {
        return Err(format!(
            "the seeded user {id} breaks PingOne's rules: {}",
            detail.message.unwrap_or_default()
        ));
    }
    check_readable(&id, &user)?;
    Ok((id, user))
}

/// Refuses a seed that the client's own model, [`User`](crate::pingone::User), cannot read
/// as it is kept (with the creation defaults): one without `username` or `email`, which
/// PingOne's User schema requires and every user it answers holds, or with a read-only
/// attribute of another type than PingOne's (`"enabled": "yes"`, `"account": "LOCKED"`).
/// Taken, such a seed made every `get_user`, `update_user` and list that reached it fail
/// with `Error::Decode` ("the request succeeded ... does not fit the model"), which pointed
/// at the server rather than at the test's seed (review 75). The reason names the attribute.
fn check_readable(id: &str, user: &Map<String, Value>) -> Result<(), String> {
    let mut rendered = Map::new();
    rendered.insert("_links".into(), json!({}));
    rendered.extend(user.iter().map(|(key, value)| (key.clone(), value.clone())));
    serde_path_to_error::deserialize::<_, crate::pingone::User>(Value::Object(rendered))
        .map(|_| ())
        .map_err(|error| {
            let at = error.path().to_string();
            let at = if at == "." {
                String::new()
            } else {
                format!("at `{at}`: ")
            };
            format!(
                "the seeded user {id} cannot be read as a PingOne user (`pingone::User`, the \
                 client's model): {at}{}; every PingOne user has a string `username` and \
                 `email` (the User schema requires both)",
                error.inner()
            )
        })
}

/// Gives a seeded user the attributes that PingOne sets when it creates a user, where the
/// seed leaves them out (a seed's own value, `null` included, is kept): every user that
/// PingOne answers holds them, as the reference user does, so that a model or a program that
/// reads them (`enabled` to skip disabled users, `createdAt`, `population.id`) finds them in
/// the emulator too. `enabled` is `true` and `mfaEnabled` `false` ("set to … by default when
/// the user is created", the User schema of PingOne's OpenAPI description),
/// `identityProvider.type` is `PING_ONE` (its default), `lifecycle.status` `ACCOUNT_OK`,
/// `account` `{"canAuthenticate": true, "status": "OK"}`, `verifyStatus` `NOT_INITIATED` and
/// `population.id` [`DEFAULT_POPULATION_ID`], as in the reference user; `createdAt` is the
/// seed's `updatedAt` (or now, when it has neither) and `updatedAt` its `createdAt`, so that
/// a user is never updated before it was created.
/// (`emailVerified`, `lastSignOn` and the group memberships are left out, as the reference
/// user has none of them.)
fn fill_creation_defaults(user: &mut Map<String, Value>) {
    let created_at = ["createdAt", "updatedAt"]
        .iter()
        .find_map(|name| user.get(*name).and_then(Value::as_str))
        .map_or_else(clock::now, str::to_owned);
    let defaults = [
        ("createdAt", Value::String(created_at.clone())),
        ("updatedAt", Value::String(created_at)),
        ("enabled", json!(true)),
        ("mfaEnabled", json!(false)),
        ("account", json!({"canAuthenticate": true, "status": "OK"})),
        ("identityProvider", json!({"type": "PING_ONE"})),
        ("lifecycle", json!({"status": "ACCOUNT_OK"})),
        ("population", json!({ "id": DEFAULT_POPULATION_ID })),
        ("verifyStatus", json!("NOT_INITIATED")),
    ];
    for (name, value) in defaults {
        user.entry(name).or_insert(value);
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::seed_user;

    /// A seed's `_links` (as a user read from PingOne holds them) is dropped, the other
    /// members left in their order: the seed's where serde_json keeps insertion order (its
    /// `preserve_order`, under which `Map::remove` moved `title` into `_links`' place),
    /// sorted otherwise; either way as the same seed without `_links`.
    #[test]
    fn a_seeds_links_are_dropped_in_place() {
        let id = "a38890a6-295a-4d58-9f6e-b72b05fba377";
        let seeded = |user| {
            let (_, user) = seed_user(user, "env").unwrap();
            user.keys().cloned().collect::<Vec<_>>()
        };
        assert_eq!(
            seeded(json!({
                "id": id,
                "username": "ada",
                "_links": {"self": {"href": "https://api.pingone.com/v1/x"}},
                "email": "ada@example.com",
                "title": "Engineer",
            })),
            seeded(json!({
                "id": id,
                "username": "ada",
                "email": "ada@example.com",
                "title": "Engineer",
            }))
        );
    }
}
