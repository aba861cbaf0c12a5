//! [`Client`]: PATCH and GET of PingOne users. Its settings are `client_builder.rs`'s.
//!
//! This file holds the client, its state and the URLs of its calls; its parts, one job a file:
//! `calls.rs` (the calls of the users API: [`Client::update_user`], [`Client::get_user`] and
//! the others), `send.rs` (sending a call's request: the token, the retries, the call's span,
//! each attempt's request), `span.rs` (what a call's `tracing` span records, and the event that
//! ends a failed call).

use core::fmt;
use std::sync::Arc;
use std::time::Duration;

use super::ids::check_id;
use super::token::TokenProvider;
use super::transport::Transport;
use super::{Correlation, Error};

mod calls;
mod send;
mod span;

pub(crate) use span::record_error;

/// What a call's `tracing` span says of its URL: the path template, such as
/// `/environments/{environmentID}/users/{userID}`, and the environment (never a user's ID).
#[derive(Clone, Copy)]
pub(super) struct Route<'a> {
    pub(super) template: &'static str,
    pub(super) environment: &'a str,
}

impl<'a> Route<'a> {
    /// `/environments/{environmentID}/users/{userID}`.
    pub(super) fn user(environment: &'a str) -> Self {
        Route {
            template: "/environments/{environmentID}/users/{userID}",
            environment,
        }
    }
}

/// The path of a user under the API base, with nil UUIDs (RFC 9562 §5.9): the end of
/// [`Inner::user_template`].
pub(super) const NIL_USER_PATH: &str =
    "/environments/00000000-0000-0000-0000-000000000000/users/00000000-0000-0000-0000-000000000000";

/// Where a call's requests go: a URL's text, which reqwest parses for each attempt (its
/// error, for a text that is no URL, is the request's), or a URL parsed already (a user's:
/// [`Client::user_target`]).
#[derive(Clone, Copy)]
enum Target<'a> {
    Text(&'a str),
    Parsed(&'a reqwest::Url),
}

impl<'a> From<&'a str> for Target<'a> {
    fn from(url: &'a str) -> Self {
        Target::Text(url)
    }
}

/// `{base}/environments/{environmentID}/users/{userID}`, the IDs checked and lowered: a user's
/// URL ([`Client::user_url`]) or its path ([`Client::user_target`]). One allocation, the IDs
/// lowered in place (they are ASCII: checked first), rather than `format!` of two lowered
/// copies (three allocations, and the string regrown).
///
/// # Errors
///
/// [`Error::InvalidInput`] when either ID is not a UUID.
fn user_path(base: &str, environment_id: &str, user_id: &str) -> Result<String, Error> {
    check_id("the environment ID", environment_id)?;
    check_id("the user ID", user_id)?;
    const ENVIRONMENTS: &str = "/environments/";
    const USERS: &str = "/users/";
    let mut path = String::with_capacity(
        base.len() + ENVIRONMENTS.len() + environment_id.len() + USERS.len() + user_id.len(),
    );
    path.push_str(base);
    path.push_str(ENVIRONMENTS);
    let ids = path.len();
    path.push_str(environment_id);
    path.push_str(USERS);
    path.push_str(user_id);
    path[ids..].make_ascii_lowercase();
    Ok(path)
}

/// The `User-Agent` sent unless [`ClientBuilder::user_agent`](super::ClientBuilder::user_agent)
/// says otherwise.
#[cfg(feature = "client")]
pub const DEFAULT_USER_AGENT: &str = concat!("sparse-patch/", env!("CARGO_PKG_VERSION"));

/// Sends typed JSON merge patches (RFC 7396) to the PingOne users API, and reads users.
///
/// `Clone + Send + Sync`, and cheap to clone: one connection pool, token cache and rate
/// limiter behind an `Arc`, shared by every clone, so one client can serve a whole
/// application from any task or thread (a compile-time assertion keeps it so).
///
/// # Runtimes
///
/// Calls run on tokio: poll them inside a tokio runtime whose IO and time drivers are
/// enabled (`#[tokio::main]`, `#[tokio::test]`, or `Builder::enable_all()`).
///
/// - **Any number of runtimes.** One client (a clone, or one kept in a `static`) may serve
///   several runtimes, one after another or at once: each `#[tokio::test]` of a suite, a
///   runtime per thread, tasks spawned with `tokio::spawn`, `spawn_blocking` threads that
///   `Handle::block_on`. The HTTP client built here keeps **one connection pool per
///   runtime**, built on the runtime's first call and dropped when the runtime shuts down
///   (dropped, or [`shutdown_timeout`](tokio::runtime::Runtime::shutdown_timeout)): a
///   connection is a task of the runtime that opened it, so a call never waits on a
///   connection of a runtime that is idle, nor fails on one of a runtime that is gone (peer
///   clients sharing one pool answer "dispatch task is gone: runtime dropped the dispatch
///   task", or wait out their timeout). The token cache and the rate limiter are shared by
///   all. A runtime's first call spawns one idle task on it, which holds its pool's place
///   until the runtime shuts down or the client (with every clone) is dropped.
/// - **An HTTP client of your own**
///   ([`ClientBuilder::http_client`](super::ClientBuilder::http_client)) has one pool for
///   every runtime, as you built it: use the client from one runtime, or give each runtime a
///   client of its own.
/// - **Outside a tokio runtime** (`futures::executor::block_on`, async-std, smol, a thread
///   that did not enter a runtime) a call is [`Error::NoRuntime`], and nothing is sent.
///   Polled by another executor on a thread that entered a runtime (`Runtime::enter`), a
///   call runs on that runtime's IO and timers: a multi-thread runtime drives them on its
///   workers, but a `current_thread` runtime only inside its `block_on`, so there the call
///   waits (its timeout is one of those timers) until the runtime is driven.
/// - **A runtime without its time or IO driver** (`new_current_thread()` with only
///   `enable_io()` or only `enable_time()`): tokio panics in the call ("A Tokio 1.x context
///   was found, but timers are disabled" / "... but IO is disabled"), and offers no way to
///   tell beforehand. Build it with `enable_all()`.
/// - **A worker token fetch** runs on a task of its own, spawned on the runtime of the call
///   that starts it, while the calls that need a token wait for it. A call that stops being
///   polled or is dropped mid-fetch holds none of them: the fetch goes on while any call
///   waits for it. Once none does, the next call makes a fetch of its own, but the one left
///   goes on (one at most for each `current_thread` runtime, and one for the `multi_thread`
///   ones: a fetch left while an older such one runs is dropped), and
///   whichever token comes first serves. So callers whose timeouts are shorter than the token
///   endpoint's answer still get a token: the first call still waiting when the oldest fetch
///   ends takes it. A fetch on a `current_thread` runtime runs only while that runtime does
///   (a thread between two `block_on`s holds it): the calls of another runtime do not wait
///   for it, and fetch a token of their own.
/// - **Dropping** the client, a [`list_users`](Client::list_users) stream or a sync job's
///   stream is fine anywhere: in a task, outside any runtime, after its runtime shut down.
///   The streams are `Send + 'static` and borrow none of their arguments (the client, the
///   environment ID, the query, the job), so they move into `tokio::spawn` as they are; a
///   call's future is `Send` and borrows its arguments (spawn an `async move` block that owns
///   them).
///
/// Source: PingOne Platform API, "Update User (PATCH)" and "Read One User"
/// (<https://apidocs.pingidentity.com/pingone/platform/v1/api/#patch-update-user>).
///
/// # Examples
///
/// Against the embedded emulator (feature `emulator`):
///
/// ```
/// use sparse_patch::pingone::{Client, TokenSource, User, UserPatch, PhotoPatch, emulator::Emulator};
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let emulator = Emulator::start()?;
/// let client = Client::builder()
///     .api_base_url(emulator.api_base_url())
///     .token(TokenSource::bearer(emulator.token()))
///     .build()?;
/// let patch = UserPatch::new().photo(PhotoPatch::new().href("https://example.com/me.png"));
/// let user = client
///     .update_user(emulator.environment_id(), emulator.user_id(), &patch)
///     .await?;
/// assert_eq!(user.photo.unwrap().href, "https://example.com/me.png");
/// # Ok(())
/// # }
/// ```
///
/// Find a user by email, change it, and check that PingOne applied every attribute
/// ([`not_applied`](fn@super::not_applied); the emulator, like PingOne, ignores a custom
/// attribute that the environment does not declare):
///
/// ```
/// use sparse_patch::pingone::{Client, TokenSource, UserPatch, emulator::Emulator, not_applied};
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let emulator = Emulator::builder().custom_attributes(["costCenter"]).start()?;
/// let client = Client::builder()
///     .api_base_url(emulator.api_base_url())
///     .token(TokenSource::bearer(emulator.token()))
///     .build()?;
/// let env = emulator.environment_id();
/// let Some(user) = client.find_user_by_email(env, "dspanner@example.com").await? else {
///     return Err("no such user".into());
/// };
/// let patch = UserPatch::new()
///     .clear_title()
///     .custom_entry("costCenter", "CC-1")
///     .custom_entry("leftOn", "2026-12-05");
/// let user_id = user.id.as_deref().ok_or("a user without an id")?;
/// let answer = client.update_user(env, user_id, &patch).await?;
/// assert_eq!(not_applied(&patch, &answer)?, ["leftOn"]);
/// # Ok(())
/// # }
/// ```
///
/// # Many users
///
/// A job that updates many users from a feed (an HR export keyed by username, email or ID)
/// is [`sync::SyncJob`](super::sync::SyncJob): it finds each user, plans the smallest patch,
/// sends it within the client's rate limit, checks each answer with `not_applied`, stops at a
/// refusal that every line would get (a wrong environment, refused credentials), and reports
/// one outcome per line, which a later run can resume from.
#[cfg(feature = "client")]
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
    /// The correlation IDs sent with each request: the client's, or a call's
    /// ([`Client::with_correlation`]).
    correlation: Arc<Correlation>,
    /// A call's consistency window ([`Client::with_consistency_window`]), over the policy's.
    consistency_window: Option<Duration>,
}

// Fails to compile if `Client` ever stops being cheap to share across tasks and threads.
const _: () = {
    const fn shareable<T: Clone + Send + Sync + 'static>() {}
    shareable::<Client>();
};

struct Inner {
    api_base: String,
    /// The URL of a user with nil UUIDs, parsed: each call's user URL is made from a clone of
    /// it ([`Client::user_target`]), which has the length of every user URL.
    user_template: reqwest::Url,
    /// Shared with the token fetches, which run on tasks of their own ([`TokenProvider`]).
    transport: Arc<Transport>,
    tokens: TokenProvider,
    /// Whether a patch is checked against PingOne's rules before it is sent.
    preflight: bool,
}

impl Client {
    /// Whether `error` is the answer of the worker's token endpoint to its last fetch, a 2xx
    /// that is no token response, which every call that needs a token gets until a fetch
    /// brings one ([`TokenProvider::gave_no_token`]).
    pub(crate) fn token_endpoint_gave_no_token(&self, error: &Error) -> bool {
        self.inner.tokens.gave_no_token(error)
    }

    /// The client's retry policy.
    pub(crate) fn retry_policy(&self) -> &super::RetryPolicy {
        self.inner.transport.retry()
    }
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("api_base_url", &self.inner.api_base)
            .field("tokens", &self.inner.tokens)
            .field("timeout", &self.inner.transport.timeout())
            .field("retry", self.inner.transport.retry())
            .field("correlation", &self.correlation)
            .field("preflight", &self.inner.preflight)
            .field("consistency_window", &self.consistency_window)
            .finish()
    }
}

impl Client {
    /// The client that [`ClientBuilder::build`](super::ClientBuilder::build) made of its
    /// checked settings: the API base URL, the transport, the token provider, whether
    /// pre-flight is on, and the correlation IDs.
    pub(super) fn from_parts(
        api_base: String,
        user_template: reqwest::Url,
        transport: Transport,
        tokens: TokenProvider,
        preflight: bool,
        correlation: Correlation,
    ) -> Self {
        Client {
            correlation: Arc::new(correlation),
            consistency_window: None,
            inner: Arc::new(Inner {
                api_base,
                user_template,
                transport: Arc::new(transport),
                tokens,
                preflight,
            }),
        }
    }

    /// A handle on the same client (pool, token cache and settings shared) whose calls send
    /// `correlation`'s IDs, each one set there winning over the client's.
    ///
    /// ```
    /// use sparse_patch::pingone::{Client, Correlation, TokenSource};
    ///
    /// let client = Client::builder()
    ///     .api_base_url("https://api.pingone.eu/v1")
    ///     .token(TokenSource::bearer("token"))
    ///     .correlation(Correlation::new().session_id("nightly-sync")?)
    ///     .build()?;
    /// let call = client.with_correlation(Correlation::new().transaction_id("row-42")?);
    /// assert_eq!(call.correlation().get_session_id(), Some("nightly-sync"));
    /// assert_eq!(call.correlation().get_transaction_id(), Some("row-42"));
    /// # Ok::<(), sparse_patch::pingone::Error>(())
    /// ```
    #[must_use]
    pub fn with_correlation(&self, correlation: Correlation) -> Client {
        Client {
            inner: Arc::clone(&self.inner),
            correlation: Arc::new(correlation.over(&self.correlation)),
            consistency_window: self.consistency_window,
        }
    }

    /// A handle on the same client whose calls also retry 403 and 404 for `window` from their
    /// first attempt (see
    /// [`RetryPolicy::consistency_window`](super::RetryPolicy::consistency_window)): for calls
    /// on a user created, or granted a role, moments ago. The attempts and backoff of the
    /// retry policy apply.
    ///
    /// ```
    /// use std::time::Duration;
    /// use sparse_patch::pingone::{Client, TokenSource};
    ///
    /// let client = Client::builder()
    ///     .api_base_url("https://api.pingone.eu/v1")
    ///     .token(TokenSource::bearer("token"))
    ///     .build()?;
    /// let fresh = client.with_consistency_window(Duration::from_secs(5));
    /// # let _ = fresh;
    /// # Ok::<(), sparse_patch::pingone::Error>(())
    /// ```
    #[must_use]
    pub fn with_consistency_window(&self, window: Duration) -> Client {
        Client {
            inner: Arc::clone(&self.inner),
            correlation: Arc::clone(&self.correlation),
            consistency_window: Some(window),
        }
    }

    /// The correlation IDs this handle sends.
    #[must_use]
    pub fn correlation(&self) -> &Correlation {
        &self.correlation
    }

    /// The API base URL in use, without a trailing slash.
    #[must_use]
    pub fn api_base_url(&self) -> &str {
        &self.inner.api_base
    }

    /// The URL of a user: `{apiBase}/environments/{environmentID}/users/{userID}`, with both
    /// IDs in lower case.
    ///
    /// **The rule for identifiers:** a UUID is accepted in any case (RFC 9562 §4: its hex
    /// digits are case-insensitive on input) and always sent in lower case, the case PingOne
    /// issues them in. The emulator compares them in any case.
    ///
    /// ```
    /// use sparse_patch::pingone::{Client, TokenSource};
    ///
    /// let client = Client::builder()
    ///     .api_base_url("https://api.pingone.eu/v1")
    ///     .token(TokenSource::bearer("token"))
    ///     .build()?;
    /// assert_eq!(
    ///     client.user_url("ABFBA8F6-49EB-49F5-A5D9-80AD5C98F9F6", "a38890a6-295a-4d58-9f6e-B72B05FBA379")?,
    ///     "https://api.pingone.eu/v1/environments/abfba8f6-49eb-49f5-a5d9-80ad5c98f9f6/users/a38890a6-295a-4d58-9f6e-b72b05fba379"
    /// );
    /// # Ok::<(), sparse_patch::pingone::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] when either ID is not a UUID.
    pub fn user_url(&self, environment_id: &str, user_id: &str) -> Result<String, Error> {
        user_path(&self.inner.api_base, environment_id, user_id)
    }

    /// [`user_url`](Client::user_url) as reqwest takes it, a parsed URL: the parsed URL of a
    /// user with nil UUIDs ([`NIL_USER_PATH`]) with the user's path set, rather than the whole
    /// URL's text, which reqwest parsed again for each request (scheme, host and path: about
    /// 9,700 instructions a call). The same URL (a unit test compares them); each attempt
    /// clones it. The template has the length of every user URL, so that its clone holds the
    /// new path without growing.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] when either ID is not a UUID.
    fn user_target(&self, environment_id: &str, user_id: &str) -> Result<reqwest::Url, Error> {
        let mut url = self.inner.user_template.clone();
        let path = url.path();
        let path = user_path(
            &path[..path.len() - NIL_USER_PATH.len()],
            environment_id,
            user_id,
        )?;
        url.set_path(&path);
        Ok(url)
    }
}

/// What an error says of the answer that a value of [`Client::call`] was read from, when the
/// caller finds a fault in that value (a listing's page whose `next` link loops or is
/// refused): the status that arrived, any 2xx (a 206 or a 203 from a gateway, not always
/// 200), and how many attempts the call sent.
#[derive(Clone, Copy, Debug)]
pub(super) struct Arrived {
    /// The answer's HTTP status.
    pub(super) status: u16,
    /// How many requests the call sent.
    pub(super) attempts: u32,
}

#[cfg(test)]
mod tests;
