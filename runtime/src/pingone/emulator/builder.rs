//! [`EmulatorBuilder`] and [`Emulator`]: configuring, starting and inspecting the emulator.

use core::fmt;
use std::collections::{BTreeSet, VecDeque};
use std::net::SocketAddr;
use std::num::NonZeroU32;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::Value;

use crate::pingone::ClientAuthMethod;

use super::access_tokens::IssuedTokens;
use super::correlation_id::{CorrelationIds, add_correlation_id};
use super::errors::ErrorWriter;
use super::parsing::path_segment;
use super::state::{Mutable, RecordedRequest, Shared, reference_user, seed_user};
use super::{
    DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, DEFAULT_TOKEN, Fault, REFERENCE_ENVIRONMENT_ID,
    REFERENCE_USER_ID, RandomFaults, faults, routes, token_endpoint,
};

/// The `Retry-After` (seconds) of an injected 429 unless
/// [`EmulatorBuilder::fault_retry_after`] sets another.
const DEFAULT_FAULT_RETRY_AFTER: u64 = 1;

/// Configures an [`Emulator`]; see [`Emulator::builder`].
#[derive(Clone)]
pub struct EmulatorBuilder {
    token: String,
    token_lifetime: Option<Duration>,
    worker: (String, String),
    worker_auth_method: Option<ClientAuthMethod>,
    environment_id: String,
    users: Vec<Value>,
    forbidden: BTreeSet<String>,
    custom_attributes: Option<BTreeSet<String>>,
    record_requests: bool,
    max_page_size: usize,
    rate_limit: Option<NonZeroU32>,
    fault_retry_after: u64,
    random_faults: Option<RandomFaults>,
    port: u16,
}

impl fmt::Debug for EmulatorBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EmulatorBuilder")
            .field("token", &"***")
            .field("token_lifetime", &self.token_lifetime)
            .field("worker", &(&self.worker.0, "***"))
            .field("worker_auth_method", &self.worker_auth_method)
            .field("environment_id", &self.environment_id)
            .field("users", &self.users.len())
            .field("forbidden", &self.forbidden)
            .field("custom_attributes", &self.custom_attributes)
            .field("record_requests", &self.record_requests)
            .field("max_page_size", &self.max_page_size)
            .field("rate_limit", &self.rate_limit)
            .field("fault_retry_after", &self.fault_retry_after)
            .field("random_faults", &self.random_faults)
            .field("port", &self.port)
            .finish()
    }
}

impl Default for EmulatorBuilder {
    fn default() -> Self {
        EmulatorBuilder {
            token: DEFAULT_TOKEN.to_owned(),
            token_lifetime: None,
            worker: (
                DEFAULT_CLIENT_ID.to_owned(),
                DEFAULT_CLIENT_SECRET.to_owned(),
            ),
            worker_auth_method: None,
            environment_id: REFERENCE_ENVIRONMENT_ID.to_owned(),
            users: vec![reference_user()],
            forbidden: BTreeSet::new(),
            custom_attributes: None,
            record_requests: true,
            max_page_size: 200,
            rate_limit: None,
            fault_retry_after: DEFAULT_FAULT_RETRY_AFTER,
            random_faults: None,
            port: 0,
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

    /// Holds the worker application to one token endpoint authentication method, as PingOne
    /// holds an application to its `tokenEndpointAuthMethod`: a token request that
    /// authenticates the other way (HTTP Basic for [`ClientAuthMethod::Post`], the form's
    /// `client_secret` for [`ClientAuthMethod::Basic`]) gets 401 `invalid_client`,
    /// "Unsupported authentication method", PingOne's answer, whatever its credentials.
    /// Without it (the default) either method is taken, so a client set to the wrong one
    /// passed against the emulator and failed against PingOne.
    ///
    /// ```
    /// use sparse_patch::pingone::emulator::Emulator;
    /// use sparse_patch::pingone::{Client, ClientAuthMethod, Error, RetryPolicy, TokenSource};
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let emulator = Emulator::builder().worker_auth_method(ClientAuthMethod::Post).start()?;
    /// let client = |method| {
    ///     Client::builder()
    ///         .api_base_url(emulator.api_base_url())
    ///         .auth_base_url(emulator.auth_base_url())
    ///         .token(
    ///             TokenSource::client_credentials(
    ///                 emulator.environment_id(),
    ///                 emulator.client_id(),
    ///                 emulator.client_secret(),
    ///             )
    ///             .auth_method(method),
    ///         )
    ///         .retry_policy(RetryPolicy::never())
    ///         .build()
    /// };
    /// let (env, id) = (emulator.environment_id(), emulator.user_id());
    /// // HTTP Basic, the client's default, is the other method: refused.
    /// let error = client(ClientAuthMethod::Basic)?.get_user(env, id).await.unwrap_err();
    /// assert!(matches!(&error, Error::Token { status: 401, code, .. } if code == "invalid_client"));
    /// assert!(error.to_string().contains("Unsupported authentication method"), "{error}");
    /// client(ClientAuthMethod::Post)?.get_user(env, id).await?;
    /// # Ok(())
    /// # }
    /// ```
    #[must_use]
    pub fn worker_auth_method(mut self, method: ClientAuthMethod) -> Self {
        self.worker_auth_method = Some(method);
        self
    }

    /// Gives the tokens that the token endpoint issues a life of `lifetime`, as PingOne's
    /// tokens have (`expires_in`, one hour by default; see the reference notes'
    /// "Regions and tokens"): each fetch then gets a token of its own, which the users
    /// endpoints refuse once its life has ended, or once
    /// [`Emulator::revoke_issued_tokens`] ended it, with 401 `ACCESS_FAILED` (detail
    /// `INVALID_TOKEN`), so that a client's refresh of its worker token can be tried.
    /// The answer's `expires_in` is `lifetime` in whole seconds, rounded down.
    ///
    /// Without it (the default), the endpoint answers the emulator's own
    /// [`token`](Self::token), with an `expires_in` of [`TOKEN_LIFETIME_SECONDS`](super::TOKEN_LIFETIME_SECONDS) that is
    /// never enforced. The emulator's own token is accepted either way.
    #[must_use]
    pub fn token_lifetime(mut self, lifetime: Duration) -> Self {
        self.token_lifetime = Some(lifetime);
        self
    }

    /// The environment that holds the users ([`REFERENCE_ENVIRONMENT_ID`] by default): a UUID,
    /// as the client sends only those ([`start`](Self::start) refuses anything else).
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

    /// Adds a user document (a JSON object whose `id` is a UUID, as PingOne's are). Its
    /// `environment.id` is set to the emulator's environment, and the attributes that PingOne
    /// sets when it creates a user are added where it leaves them out (`createdAt`, `enabled`,
    /// `lifecycle`, `population`...: see the [module's documentation](super)). [`start`](Self::start) refuses
    /// a user that the client could not reach or write back: see its errors.
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
    /// name is accepted (but a core attribute's name in another case, such as `userName` or
    /// `Email`, which is ignored). Members of `name`, `address` and `photo` that the schema
    /// lacks (such as SCIM's `address.country`) are ignored either way: custom attributes are
    /// top-level attributes of the user.
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

    /// The largest page a user list answers (200 by default, as PingOne), whatever `limit`
    /// asks: a smaller one plays PingOne answering "a page size smaller than the limit",
    /// which a client must follow by `_links.next`, not by counting. At least 1.
    #[must_use]
    pub fn max_page_size(mut self, size: usize) -> Self {
        self.max_page_size = size.max(1);
        self
    }

    /// Answers 429 `REQUEST_LIMITED` with a `Retry-After` (whole seconds, at least 1) to
    /// requests to the users endpoints past a rate of `requests_per_second`, as PingOne does
    /// past its rate limits; off by default. `0` turns it off.
    ///
    /// The limit is a bucket of `requests_per_second` requests that refills at
    /// `requests_per_second` per second (GCRA, `governor`): that many may come at once, then
    /// one every `1 / requests_per_second` s. The long-run rate is the limit, but a second
    /// that starts with a full bucket holds up to `2 * requests_per_second - 1` requests: it
    /// is not a window of `requests_per_second` in any second.
    #[must_use]
    pub fn rate_limit(mut self, requests_per_second: u32) -> Self {
        self.rate_limit = NonZeroU32::new(requests_per_second);
        self
    }

    /// The `Retry-After`, in whole seconds, of a 429 injected as
    /// [`Fault::Status(429)`](Fault::Status) or [`Fault::ApiError`] (by
    /// [`Emulator::inject`] and its kin, or drawn by [`random_faults`](Self::random_faults)):
    /// 1 by default (a short wait, as PingOne's rate limits are per second). PingOne's 429 carries a `Retry-After`
    /// in seconds, which a client waits out; before, an injected 429 came without one, and a
    /// client's handling of it was not tried. `0` sends `Retry-After: 0`, which asks for no
    /// wait. [`Fault::RateLimited`] gives a value of its own (seconds or an HTTP date), and
    /// the [`rate_limit`](Self::rate_limit)'s 429 the wait until its bucket has room.
    #[must_use]
    pub fn fault_retry_after(mut self, seconds: u64) -> Self {
        self.fault_retry_after = seconds;
        self
    }

    /// Gives random faults ([`RandomFaults`]) to requests that find no queued fault, for chaos
    /// tests; off by default.
    #[must_use]
    pub fn random_faults(mut self, faults: RandomFaults) -> Self {
        self.random_faults = Some(faults);
        self
    }

    /// The port to listen on, on `127.0.0.1` (0 by default: an ephemeral port the system
    /// picks, so that tests can run side by side).
    #[must_use]
    pub fn port(mut self, port: u16) -> Self {
        self.port = port;
        self
    }

    /// Binds `127.0.0.1` on the [`port`](EmulatorBuilder::port) (an ephemeral one by
    /// default) and starts serving on a thread of its own.
    ///
    /// # Errors
    ///
    /// The I/O error of binding the socket (its kind kept, its text naming the address) or of
    /// starting the server's runtime, or
    /// [`std::io::ErrorKind::InvalidInput`] for an environment ID that is not a UUID (no
    /// client call could reach it), or for a seeded user that is not an object, whose
    /// `id` is missing, not a string, not a PingOne ID (a UUID) or an earlier seeded user's, whose attributes
    /// break PingOne's rules (an `email` that is not an address, a `username` too long...),
    /// or that the client's [`User`](crate::pingone::User) could not read (no `username` or
    /// `email`, `"enabled": "yes"`), with the reason.
    pub fn start(self) -> std::io::Result<Emulator> {
        if !crate::pingone::ids::is_pingone_id(&self.environment_id) {
            return Err(std::io::Error::new(
                std::io::ErrorKind::InvalidInput,
                format!(
                    "the emulator's environment ID must be a PingOne ID (a UUID such as \
                     {REFERENCE_ENVIRONMENT_ID}), which the client can send: {:?}",
                    self.environment_id
                ),
            ));
        }
        // The address in the text: "Address already in use" alone does not say which.
        let listener = std::net::TcpListener::bind(("127.0.0.1", self.port)).map_err(|error| {
            std::io::Error::new(
                error.kind(),
                format!("cannot listen on 127.0.0.1:{}: {error}", self.port),
            )
        })?;
        listener.set_nonblocking(true)?;
        let addr = listener.local_addr()?;
        let base = format!("http://{addr}/v1");
        // IDs are kept and sent in lower case, and compared in any case (see the module's
        // documentation).
        let environment_id = self.environment_id.to_ascii_lowercase();
        let mut state = Mutable::new(self.random_faults);
        for (number, user) in self.users.into_iter().enumerate() {
            let (id, user) = seed_user(user, &environment_id).map_err(seed_refused)?;
            // A later user with the same ID would replace the earlier one without a word.
            if state.users.contains_key(&id) {
                return Err(seed_refused(format!(
                    "seeded user {} has the id {id}, which an earlier seeded user has \
                     (IDs compare in any case); the reference user is seeded first unless \
                     `no_users` removed it",
                    number + 1
                )));
            }
            state.put_user(id, user);
        }
        let shared = Arc::new(Shared {
            token: self.token,
            issued_tokens: IssuedTokens::new(self.token_lifetime),
            worker: self.worker,
            worker_auth_method: self.worker_auth_method,
            environment_id,
            base,
            forbidden: self.forbidden,
            custom_attributes: self.custom_attributes,
            record_requests: self.record_requests,
            max_page_size: self.max_page_size,
            rate_limit: self.rate_limit.map(faults::rate_limit),
            fault_retry_after: self.fault_retry_after,
            errors: ErrorWriter::default(),
            token_requests: std::sync::atomic::AtomicUsize::new(0),
            state: Mutex::new(state),
        });
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?;
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let app = axum::Router::new()
            .route(
                "/v1/environments/{environment}/users/{user}",
                axum::routing::any(routes::users),
            )
            .route(
                "/v1/environments/{environment}/users",
                axum::routing::any(routes::user_list),
            )
            .fallback(routes::not_found)
            // Every answer of the API routes above and of the fallback (a layer covers the
            // routes and fallback that precede it), not the token endpoint's, added after it.
            .layer(axum::middleware::map_response_with_state(
                Arc::new(CorrelationIds::default()),
                add_correlation_id,
            ))
            .route(
                "/{environment}/as/token",
                axum::routing::post(token_endpoint::issue_token)
                    .fallback(routes::token_method_not_allowed),
            )
            .with_state(Arc::clone(&shared));
        let (ready_tx, ready_rx) = std::sync::mpsc::channel();
        let thread = std::thread::Builder::new()
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
            auth_base: format!("http://{addr}"),
            shared,
            stop: Some(stop),
            thread: Some(thread),
        })
    }
}

/// The refusal of a seeded or inserted user ([`EmulatorBuilder::start`],
/// [`Emulator::try_insert_user`]): [`std::io::ErrorKind::InvalidInput`] with `reason` as its
/// text.
fn seed_refused(reason: String) -> std::io::Error {
    std::io::Error::new(std::io::ErrorKind::InvalidInput, reason)
}

/// A running emulator; it stops when dropped (and `drop` returns once it has stopped).
pub struct Emulator {
    addr: SocketAddr,
    /// `http://127.0.0.1:{port}`: where the token endpoint is.
    auth_base: String,
    pub(super) shared: Arc<Shared>,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    /// The server's thread, joined when the emulator is dropped.
    thread: Option<std::thread::JoinHandle<()>>,
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

/// Stops the server and waits until it is gone (its thread and runtime ended, the listening
/// socket and every connection closed), so that the port is free and nothing is served once
/// `drop` returns: a request in flight then ends with its connection closed. The wait is the
/// time a runtime takes to drop its tasks, whatever requests (a [`Fault::Slow`](super::Fault))
/// were under way.
impl Drop for Emulator {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            // A panic of the server's thread was already printed; the emulator is gone.
            let _ = thread.join();
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
    pub fn auth_base_url(&self) -> &str {
        &self.auth_base
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

    /// Ends the life of every token that the token endpoint issued so far, as a revocation
    /// or a rotation of the signing key does: the users endpoints refuse them with 401
    /// `ACCESS_FAILED` (detail `INVALID_TOKEN`) from now on, and a worker fetches a new one.
    /// Returns how many were still accepted. Only an emulator built with
    /// [`EmulatorBuilder::token_lifetime`] issues tokens of their own: without it, this
    /// returns 0 and the emulator's own token stays accepted.
    pub fn revoke_issued_tokens(&self) -> usize {
        self.shared.issued_tokens.revoke_all()
    }

    /// How many requests its token endpoint has answered so far, tokens and errors alike
    /// (they are not among [`requests`](Emulator::requests)): a client with a wrong secret
    /// should not ask once per call.
    #[must_use]
    pub fn token_requests(&self) -> usize {
        self.shared
            .token_requests
            .load(std::sync::atomic::Ordering::Relaxed)
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

    /// Queues a fault: the next request to a users endpoint (one user or the list) that finds
    /// no earlier fault queued gets it, whatever its method: the lookup of an application
    /// that finds a user before it updates it (`find_user_by_email`, `get_user`) takes it,
    /// not the PATCH after it; [`inject_patch_fault`](Emulator::inject_patch_fault) queues
    /// one for a PATCH alone. The token endpoint has a queue of its own,
    /// [`inject_token_fault`](Emulator::inject_token_fault).
    ///
    /// A fault answers in the emulator's place, before the request is read: whatever the
    /// request holds, a request without a valid token, to an unknown environment or user,
    /// or with a body the emulator would refuse takes it, and gets the fault's answer (its
    /// 401, 404, 400 or 415 only once the faults are used up); so does a HEAD, and another
    /// method on a user (a DELETE, answered 405 once they are used up). None is taken by a
    /// request answered 429 by the emulator's own
    /// [rate limit](EmulatorBuilder::rate_limit), which comes first, by another method on
    /// the list (405), by an unknown path (404), nor by a request to a user whose body is past
    /// the 2 MB limit (413).
    pub fn inject(&self, fault: Fault) {
        self.shared.lock().faults.push_back(fault);
    }

    /// Queues a fault for the PATCH of a user alone (a merge patch or SCIM operations): the
    /// next PATCH takes it, and the GETs and lists before it are answered as usual, so that
    /// a test of an application that looks a user up and then updates it can fail the update.
    /// A PATCH takes a fault of this queue before one that [`inject`](Emulator::inject)
    /// queued, which it takes once this queue is empty. [`pending_faults`](Emulator::pending_faults)
    /// counts both queues.
    ///
    /// Any PATCH of a user takes it, whatever it holds, as [`inject`](Emulator::inject)'s
    /// faults are taken: one without a valid token, to an unknown environment or user, or
    /// with a body the emulator would refuse gets the fault's answer, not its 401, 404, 400
    /// or 415. A request of another method (a GET, a HEAD, a DELETE) never takes it, nor does
    /// a PATCH answered 429 by the emulator's own [rate limit](EmulatorBuilder::rate_limit)
    /// (the client's retry after it takes it) or one of a path that is no user (404). An
    /// empty patch sends no PATCH (the client's `update_user` reads the user with a GET
    /// instead, which takes `inject`'s next fault), so the fault waits for the next PATCH.
    ///
    /// ```
    /// use sparse_patch::pingone::emulator::{Emulator, Fault};
    /// use sparse_patch::pingone::{Client, TokenSource, UserPatch};
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let emulator = Emulator::start()?;
    /// let client = Client::builder()
    ///     .api_base_url(emulator.api_base_url())
    ///     .token(TokenSource::bearer(emulator.token()))
    ///     .build()?;
    /// let env = emulator.environment_id();
    /// emulator.inject_patch_fault(Fault::ApiError { status: 409, code: "CONFLICT".into() });
    /// // The lookup is answered as usual...
    /// let user = client.find_user_by_username(env, "dspanner").await?.expect("the reference user");
    /// // ...and the PATCH after it gets the 409.
    /// let id = user.id.as_deref().expect("an answered user has its id");
    /// let error = client.update_user(env, id, &UserPatch::new().title("CTO")).await.unwrap_err();
    /// assert_eq!(error.status(), Some(409));
    /// assert_eq!(emulator.pending_faults(), 0);
    /// # Ok(())
    /// # }
    /// ```
    pub fn inject_patch_fault(&self, fault: Fault) {
        self.shared.lock().patch_faults.push_back(fault);
    }

    /// Queues a fault for the requests to a users endpoint that carry this
    /// `X-Ping-External-Transaction-ID` (PingOne's correlation header, which
    #[cfg_attr(
        feature = "client",
        doc = r" [`Correlation::transaction_id`](crate::pingone::Correlation::transaction_id) sets, and"
    )]
    #[cfg_attr(
        not(feature = "client"),
        doc = r" `Correlation::transaction_id` sets, and"
    )]
    /// the sync job sets to `line-{n}` for each call of line `n`): the next such request takes
    /// it, before a fault that [`inject_patch_fault`](Emulator::inject_patch_fault) or
    /// [`inject`](Emulator::inject) queued, whatever its method. Each transaction's faults are
    /// taken in the order queued, whatever the order in which requests of other transactions
    /// come: a test of concurrent calls (a sync job's lines in flight at once) gives each call
    /// its own faults, where the shared queues give them to whichever request comes first.
    /// Taken as [`inject`](Emulator::inject)'s faults are (before the request is read; not by
    /// a request that the emulator's own rate limit answers 429). [`pending_faults`](Emulator::pending_faults)
    /// counts them.
    ///
    /// ```
    /// use sparse_patch::pingone::emulator::{Emulator, Fault};
    /// use sparse_patch::pingone::{Client, Correlation, RetryPolicy, TokenSource};
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let emulator = Emulator::start()?;
    /// let client = Client::builder()
    ///     .api_base_url(emulator.api_base_url())
    ///     .token(TokenSource::bearer(emulator.token()))
    ///     .retry_policy(RetryPolicy::never())
    ///     .build()?;
    /// emulator.inject_for_transaction("row-2", Fault::Status(503));
    /// let (env, id) = (emulator.environment_id(), emulator.user_id());
    /// let row = |n: u32| Correlation::new().transaction_id(&format!("row-{n}"));
    /// // Row 1's call is answered as usual; row 2's takes the fault.
    /// client.with_correlation(row(1)?).get_user(env, id).await?;
    /// let error = client.with_correlation(row(2)?).get_user(env, id).await.unwrap_err();
    /// assert_eq!(error.status(), Some(503));
    /// assert_eq!(emulator.pending_faults(), 0);
    /// # Ok(())
    /// # }
    /// ```
    pub fn inject_for_transaction(&self, transaction_id: &str, fault: Fault) {
        self.shared
            .lock()
            .transaction_faults
            .entry(transaction_id.to_owned())
            .or_default()
            .push_back(fault);
    }

    /// Queues a fault for the token endpoint (`POST /{environmentID}/as/token`): the next
    /// token request that finds no earlier one queued gets it, whatever its credentials, so
    /// that a worker's handling of a token endpoint that fails (a 429 or 503 with
    /// `Retry-After`, a 500, a slow or cut answer) can be tried; once they are used up, the
    /// endpoint answers as usual. Its error answers carry the users API's PingOne JSON
    /// error body, as [`inject`](Emulator::inject)'s do; for an OAuth refusal
    /// (`invalid_client`), give the client a wrong secret instead. [`Emulator::token_requests`]
    /// counts the requests that took one; [`pending_faults`](Emulator::pending_faults) does not
    /// count this queue, nor do [random faults](EmulatorBuilder::random_faults) reach the
    /// token endpoint.
    ///
    /// ```
    /// use std::time::Duration;
    /// use sparse_patch::pingone::emulator::{Emulator, Fault};
    /// use sparse_patch::pingone::{Client, RetryPolicy, TokenSource};
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let emulator = Emulator::start()?;
    /// let client = Client::builder()
    ///     .api_base_url(emulator.api_base_url())
    ///     .auth_base_url(emulator.auth_base_url())
    ///     .token(TokenSource::client_credentials(
    ///         emulator.environment_id(),
    ///         emulator.client_id(),
    ///         emulator.client_secret(),
    ///     ))
    ///     .retry_policy(RetryPolicy::default().initial_backoff(Duration::from_millis(1)))
    ///     .build()?;
    /// emulator.inject_token_fault(Fault::Status(500));
    /// // The token request's 500 is retried; the second one gets a token.
    /// client.get_user(emulator.environment_id(), emulator.user_id()).await?;
    /// assert_eq!(emulator.token_requests(), 2);
    /// # Ok(())
    /// # }
    /// ```
    pub fn inject_token_fault(&self, fault: Fault) {
        self.shared.lock().token_faults.push_back(fault);
    }

    /// How many random faults ([`EmulatorBuilder::random_faults`]) were given so far.
    #[must_use]
    pub fn random_faults_given(&self) -> u64 {
        self.shared
            .lock()
            .random_faults
            .as_ref()
            .map_or(0, RandomFaults::given)
    }

    /// How many faults are still queued for the users endpoints ([`inject`](Emulator::inject),
    /// [`inject_patch_fault`](Emulator::inject_patch_fault) and
    /// [`inject_for_transaction`](Emulator::inject_for_transaction)).
    #[must_use]
    pub fn pending_faults(&self) -> usize {
        let state = self.shared.lock();
        state.faults.len()
            + state.patch_faults.len()
            + state
                .transaction_faults
                .values()
                .map(VecDeque::len)
                .sum::<usize>()
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

    /// Adds or replaces a user (a JSON object with a string `id`, kept in lower case), with
    /// PingOne's creation defaults where it leaves them out, as [`EmulatorBuilder::user`];
    /// [`try_insert_user`](Emulator::try_insert_user) without the panic.
    ///
    /// # Panics
    ///
    /// If `user` is not an object, its `id` is not a PingOne ID (a UUID), its attributes
    /// break PingOne's rules, or the client's [`User`](crate::pingone::User) could not read it
    /// (no `username` or `email`), as [`EmulatorBuilder::start`] refuses such a seeded user:
    /// the message is the text of [`try_insert_user`](Emulator::try_insert_user)'s error.
    pub fn insert_user(&self, user: Value) {
        self.try_insert_user(user)
            .unwrap_or_else(|error| panic!("{error}"));
    }

    /// Adds or replaces a user (a JSON object with a string `id`, kept in lower case), with
    /// PingOne's creation defaults where it leaves them out, as [`EmulatorBuilder::user`]; or
    /// refuses it, as [`EmulatorBuilder::start`] refuses a seeded user, and changes nothing.
    /// A user with the `id` of a stored one replaces it (where `start` refuses a second seed
    /// with one `id`); usernames and emails are not compared with other users', as seeds'
    /// are not ([`check_seeded_user`](super::check_seeded_user)).
    ///
    /// # Errors
    ///
    /// [`std::io::ErrorKind::InvalidInput`], with the reason as its text (the reason that
    /// [`check_seeded_user`](super::check_seeded_user) gives, and `start`'s error for the
    /// same seed), for a `user` that is not an object, whose `id` is not a PingOne ID (a
    /// UUID), whose attributes break PingOne's rules (an `email` that is not an address, a
    /// profile past 16 KB...), or that the client's [`User`](crate::pingone::User) could not
    /// read (no `username` or `email`, `"enabled": "yes"`).
    ///
    /// ```
    /// use serde_json::json;
    /// use sparse_patch::pingone::emulator::Emulator;
    ///
    /// let emulator = Emulator::start()?;
    /// let id = "00000000-0000-4000-8000-000000000001";
    /// let error = emulator.try_insert_user(json!({"id": id, "username": "ada"})).unwrap_err();
    /// assert_eq!(error.kind(), std::io::ErrorKind::InvalidInput);
    /// assert!(error.to_string().contains("`email`"), "{error}");
    /// assert_eq!(emulator.user(id), None);
    /// emulator.try_insert_user(json!({"id": id, "username": "ada", "email": "ada@example.com"}))?;
    /// assert_eq!(emulator.user(id).unwrap()["username"], "ada");
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn try_insert_user(&self, user: Value) -> std::io::Result<()> {
        let (id, user) = seed_user(user, &self.shared.environment_id).map_err(seed_refused)?;
        self.shared.lock().put_user(id, user);
        Ok(())
    }

    /// Deletes a user, as PingOne's "Delete User" does (`DELETE
    /// /environments/{environmentID}/users/{userID}`, which the emulator does not serve): from
    /// then on a `GET` or `PATCH` of it gets 404 `NOT_FOUND`, lists and `find_user_by_*` leave
    /// it out, and its username and email are free again. For a test of a user deleted
    /// while a job runs. Returns the user it was (without `_links`), or `None` when no user
    /// has this ID (in any case).
    ///
    /// ```
    /// use sparse_patch::pingone::emulator::Emulator;
    ///
    /// let emulator = Emulator::start()?;
    /// let id = emulator.user_id().to_owned();
    /// assert!(emulator.remove_user(&id).is_some());
    /// assert_eq!(emulator.user(&id), None);
    /// assert_eq!(emulator.remove_user(&id), None);
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn remove_user(&self, user_id: &str) -> Option<Value> {
        self.shared
            .lock()
            .remove_user(&user_id.to_ascii_lowercase())
            .map(Value::Object)
    }

    /// Every request that reached a users endpoint (one user or the list), in the order they
    /// came, each with the status of its answer once given and the fault it took
    /// ([`RecordedRequest::status`], [`RecordedRequest::fault`]); another method on the list
    /// and an unknown path are not recorded. Empty when the emulator was built with
    /// [`record_requests(false)`](EmulatorBuilder::record_requests).
    #[must_use]
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.shared.lock().requests.clone()
    }

    /// The JSON bodies of the `PATCH` requests to the user `user_id` (in any case) of the
    /// emulator's environment, in the order they came: each attempt is one, so a call that
    /// the client retried gives its patch once per attempt, and a PATCH that was refused (a
    /// 400, a 403, a fault) is one too (read [`RecordedRequest::status`] in
    /// [`requests`](Emulator::requests) to tell them apart). Merge patches and SCIM PatchOp
    /// messages alike, as sent. A body that is not JSON (which the client never sends; a
    /// body past 2 MB, recorded without its bytes) is left out: [`requests`](Emulator::requests)
    /// holds it. Empty when the emulator was built with
    /// [`record_requests(false)`](EmulatorBuilder::record_requests).
    ///
    /// ```
    /// use serde_json::json;
    /// use sparse_patch::pingone::emulator::Emulator;
    /// use sparse_patch::pingone::{Client, TokenSource, UserPatch};
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let emulator = Emulator::start()?;
    /// let client = Client::builder()
    ///     .api_base_url(emulator.api_base_url())
    ///     .token(TokenSource::bearer(emulator.token()))
    ///     .build()?;
    /// let patch = UserPatch::new().title("CTO");
    /// client.update_user(emulator.environment_id(), emulator.user_id(), &patch).await?;
    /// assert_eq!(emulator.patches_to(emulator.user_id()), [json!({"title": "CTO"})]);
    /// # Ok(())
    /// # }
    /// ```
    #[must_use]
    pub fn patches_to(&self, user_id: &str) -> Vec<Value> {
        self.requests()
            .iter()
            .filter(|request| {
                // `/v1/environments/{environmentID}/users/{userID}`, read as the handler
                // reads it (percent-decoded, in any case).
                request.method == "PATCH"
                    && path_segment(&request.path, 3).eq_ignore_ascii_case(self.environment_id())
                    && path_segment(&request.path, 5).eq_ignore_ascii_case(user_id)
            })
            .filter_map(RecordedRequest::json)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use std::time::{Duration, Instant};

    use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};

    use super::super::{DEFAULT_TOKEN, Fault, REFERENCE_ENVIRONMENT_ID, REFERENCE_USER_ID};

    /// The module said the emulator "works under a paused tokio clock in tests", yet a client
    /// call to it from a paused runtime failed with `Timeout { timeout: 30s, attempts: 5 }`
    /// in under a second (the runtime, idle while it awaits the socket, advances its clock to
    /// the request timeout). What holds, and is now what the module says: the emulator starts
    /// and is driven from a paused runtime, and its own timers (`Fault::Slow`) run on the real
    /// clock.
    #[tokio::test(start_paused = true)]
    async fn under_a_paused_clock_the_emulator_keeps_real_time() {
        let emulator = super::Emulator::start().unwrap();
        assert!(emulator.user(REFERENCE_USER_ID).is_some());
        emulator.inject(Fault::Slow(Duration::from_millis(300)));
        let started = Instant::now();
        let mut stream = tokio::net::TcpStream::connect(emulator.addr())
            .await
            .unwrap();
        let request = format!(
            "GET /v1/environments/{REFERENCE_ENVIRONMENT_ID}/users/{REFERENCE_USER_ID} HTTP/1.1\r\n\
             Host: 127.0.0.1\r\nAuthorization: Bearer {DEFAULT_TOKEN}\r\nConnection: close\r\n\r\n"
        );
        stream.write_all(request.as_bytes()).await.unwrap();
        let mut answer = Vec::new();
        stream.read_to_end(&mut answer).await.unwrap();
        assert!(answer.starts_with(b"HTTP/1.1 200"));
        assert!(started.elapsed() >= Duration::from_millis(300));
    }

    /// `rate_limit(0)` (the standalone emulator's `--rate-limit 0`) is no limit, also after
    /// a limit was set: 30 requests at once all get their answer, none a 429.
    #[test]
    fn a_rate_limit_of_zero_is_no_limit() {
        let builder = super::Emulator::builder().rate_limit(5).rate_limit(0);
        assert_eq!(builder.rate_limit, None);
        let emulator = builder.start().unwrap();
        let limited = (0..30)
            .filter(|_| {
                let mut stream = std::net::TcpStream::connect(emulator.addr()).unwrap();
                let request = format!(
                    "GET /v1/environments/{REFERENCE_ENVIRONMENT_ID}/users/{REFERENCE_USER_ID} \
                     HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {DEFAULT_TOKEN}\r\n\
                     Connection: close\r\n\r\n"
                );
                std::io::Write::write_all(&mut stream, request.as_bytes()).unwrap();
                let mut answer = Vec::new();
                std::io::Read::read_to_end(&mut stream, &mut answer).unwrap();
                assert!(answer.starts_with(b"HTTP/1.1 "), "{answer:?}");
                !answer.starts_with(b"HTTP/1.1 200")
            })
            .count();
        assert_eq!(limited, 0);
    }
}
