//! [`Client`]: PATCH and GET of PingOne users. Its settings are `client_builder.rs`'s.

use core::fmt;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use reqwest::header::{ACCEPT, AUTHORIZATION, CONTENT_TYPE, HeaderValue};
use serde::Serialize;
use serde::de::DeserializeOwned;
use tracing::Instrument as _;

use super::error_body::event_text;
use super::ids::check_id;
use super::secret::Secret;
use super::token::TokenProvider;
use super::transport::{Answer, Transport};
use super::{Correlation, Error, preflight};
use crate::{Patch, SCIM_PATCH_CONTENT_TYPE, ScimPatch};

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

    /// Sends `patch` as `PATCH /environments/{environmentID}/users/{userID}` with
    /// `Content-Type: application/json`, and returns the updated user as the patch's model.
    ///
    /// Attributes that the patch leaves absent are not sent, so PingOne leaves them as they
    /// are; `null` fields clear their attribute (RFC 7396 §2).
    ///
    /// **An empty patch sends no PATCH**: it would change nothing, so the client reads the
    /// user with a GET instead and returns it, leaving `updatedAt` alone.
    ///
    /// **`Ok` does not mean that every attribute was applied.** PingOne ignores an attribute
    /// it does not know (a misspelled one, `Title` for `title`, a custom attribute that the
    /// environment does not declare) and still answers `200 OK` with the user as stored.
    /// [`not_applied(&patch, &answer)`](fn@super::not_applied) names the attributes whose value
    /// in the answer is not what the patch asked; the [sync job](super::sync::SyncJob)
    /// checks every answer so.
    ///
    /// # Errors
    ///
    /// - [`Error::Preflight`] (unless [`preflight`](super::ClientBuilder::preflight) is off)
    ///   when the patch breaks PingOne's rules, naming every attribute at fault, before
    ///   anything is sent;
    /// - [`Error::InvalidInput`] when an ID is not a UUID; also, pre-flight or not, when the
    ///   patch holds a float that is not finite (NaN, an infinity), naming it: serde_json
    ///   would write it as `null`, which clears the attribute;
    /// - [`Error::Api`] for an error answer with a PingOne error body (400, 401, 403, 404,
    ///   415, and retryable statuses once the retries ran out);
    /// - [`Error::RateLimited`] when 429 outlasted the retries, or asked to wait longer than
    ///   the retry policy's `max_retry_after` (not retried);
    /// - [`Error::Timeout`] and [`Error::Transport`] when no answer came on the last attempt,
    ///   [`Error::Incomplete`] when its status came but its body was cut short;
    /// - [`Error::Decode`] when a body is not the expected JSON (a 2xx whose JSON is cut
    ///   short, as a proxy that truncates it or a connection that ends where a wrong framing
    ///   says, is not sent again: the PATCH was applied, and the error says that the request
    ///   succeeded; the GETs, [`get_user`](Client::get_user), the pages of
    ///   [`list_users`](Client::list_users) and the `find_user_by_*` lookups, are sent again
    ///   under the retry policy, and the error is the last attempt's), or is another user's
    ///   document: a JSON object whose `id` is not `user_id` (in any case), as a proxy, cache
    ///   or connection pool that mixes up answers delivers it, or has no `id` string (whose it
    ///   is cannot be told; PingOne's always has one); it is not returned as this
    ///   user's (this holds for every call about one user: [`get_user`](Client::get_user),
    ///   [`get_user_as`](Client::get_user_as) and the SCIM calls too); a PingOne error body
    ///   answered with a 2xx (a gateway that maps errors to 200) is said to be one, with its
    ///   code and message; a 202 Accepted, whatever its body, is one too, not sent again: the
    ///   change was accepted for processing, not made (RFC 9110 §15.3.3);
    /// - [`Error::Token`] when the worker token could not be fetched;
    /// - [`Error::NoRuntime`] when the call is polled outside a tokio runtime (nothing is
    ///   sent).
    ///
    /// # Panics
    ///
    /// Tokio panics in the call ("timers are disabled", "IO is disabled") when it is polled in
    /// a runtime built without its time or IO driver: build it with `enable_all()` (see
    /// [`Client`], "Runtimes").
    pub async fn update_user<P>(
        &self,
        environment_id: &str,
        user_id: &str,
        patch: &P,
    ) -> Result<P::Model, Error>
    where
        P: Patch + Serialize,
        P::Model: DeserializeOwned,
    {
        let url = self.user_target(environment_id, user_id)?;
        if patch.is_empty() {
            return self.get_user_as(environment_id, user_id).await;
        }
        // Pre-flight checks the patch while serializing it, not by reading the JSON again.
        let body = if self.inner.preflight {
            preflight::serialize_checked(patch)?
        } else {
            preflight::serialize_unchecked(patch)?
        };
        // `Bytes`: each attempt shares the body instead of copying it.
        let route = Route::user(environment_id);
        let body = Some((Bytes::from(body), "application/json"));
        // A merge patch (RFC 7396) is idempotent: sent twice, it acts once.
        let span = Self::request_span(&reqwest::Method::PATCH, route);
        let answer = self
            .call_answer(
                &span,
                reqwest::Method::PATCH,
                Target::Parsed(&url),
                body,
                true,
                0,
            )
            .await?;
        // Decoded here rather than in `call`: one future fewer to move the model through.
        ended_in(&span, decode_changed_user_in(&span, answer, user_id))
    }

    /// Sends SCIM operations (RFC 7644 §3.5.2: `add`, `replace` and `remove`, with attribute
    /// and filter paths such as `emails[type eq "work"].value`) as
    /// `PATCH /environments/{environmentID}/users/{userID}` with
    /// `Content-Type: application/vnd.pingidentity.user.scim.patch+json`
    /// ([`SCIM_PATCH_CONTENT_TYPE`], the type with which
    /// PingOne reads a body of SCIM operations), and returns the updated user as `M` (such as
    /// [`User`](super::User), a model of your own, or a `serde_json::Value`).
    ///
    /// PingOne applies the operations in order, all or none. The request takes the same way
    /// as [`update_user`](Client::update_user)'s: retries, token, correlation IDs, rate limit,
    /// `tracing` span and error decoding. One difference: some messages are not idempotent.
    /// An `add` operation appends to a multi-valued attribute, and a `replace` whose filter
    /// selects elements by an attribute that it or a later operation changes
    /// (`badges[type eq "work"].type`, or `badges[type eq "work"]` with a value that holds
    /// `type`; names compared in any case), or whose elements a later operation removes or
    /// replaces whole (also through the extension schema that holds the attribute: a
    /// path-less value's member named by the schema's URN, or the URN as the path), may match
    /// nothing once applied, which PingOne answers with 400
    /// `noTarget`; a `remove` at a filter that a later operation changes the answer of
    /// (`badges[type eq "work"]`, then `badges[level eq 1].type` set to `"work"`) would
    /// remove other elements when sent again. A message that holds any of them is sent again
    /// only where PingOne cannot have applied it (the connection failed, the answer was 429
    /// or 408, or 403 or 404 inside a
    /// [consistency window](Client::with_consistency_window)); a timeout, a cut connection or
    /// a 5xx then ends the call with its error, and the caller reads the user to learn what
    /// happened. Other messages (those of [`to_scim_patch`](crate::Patch::to_scim_patch)
    /// that add no element, whose filters select by the key) retry as merge patches do.
    ///
    /// **Pre-flight** ([`ClientBuilder::preflight`](super::ClientBuilder::preflight), on by
    /// default) checks each operation that names an attribute as the merge patch that would
    /// make its change: `replace` or `add` at `attr` as `{"attr": value}`, at `attr.sub` as
    /// `{"attr": {"sub": value}}`, a `remove` as `null` there, a path-less value member by
    /// member. A read-only attribute (`createdAt`, `id`, `lifecycle`, `enabled`...: PingOne
    /// ignores it and answers 200, so the change would be lost without a word), at any path,
    /// a filter's included, a value that a rule refuses, and the removal of a required
    /// attribute (`username`, `email`, `photo.href`) are [`Error::Preflight`] naming every
    /// operation and attribute at fault, and nothing is sent, as for
    /// [`update_user`](Client::update_user). Names are compared exactly, as PingOne's are.
    /// What only the whole user can tell (a filter that matches nothing, the 16 KB profile
    /// limit) is PingOne's (or the emulator's) to judge. `preflight(false)` turns it off.
    ///
    /// **An empty message sends no PATCH**: it would change nothing, so the client reads the
    /// user with a GET instead and returns it, leaving `updatedAt` alone.
    ///
    /// Source: PingOne Platform API, "Update User (PATCH)"
    /// (<https://apidocs.pingidentity.com/pingone/platform/v1/api/#patch-update-user>), and
    /// RFC 7644 §3.5.2.
    ///
    /// # Examples
    ///
    /// Against the embedded emulator (feature `emulator`):
    ///
    /// ```
    /// use serde_json::{Value, json};
    /// use sparse_patch::pingone::{Client, TokenSource, emulator::Emulator};
    /// use sparse_patch::{ScimOperation, ScimPatch};
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let emulator = Emulator::start()?;
    /// let client = Client::builder()
    ///     .api_base_url(emulator.api_base_url())
    ///     .token(TokenSource::bearer(emulator.token()))
    ///     .build()?;
    /// let patch = ScimPatch::new(vec![
    ///     ScimOperation::replace("name.given", json!("Dave")),
    ///     ScimOperation::remove("photo"),
    /// ]);
    /// let user: Value = client
    ///     .update_user_scim_patch(emulator.environment_id(), emulator.user_id(), &patch)
    ///     .await?;
    /// assert_eq!(user["name"]["given"], "Dave");
    /// assert!(user.get("photo").is_none());
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    ///
    /// - [`Error::InvalidInput`] when an ID is not a UUID, and (unless pre-flight is off)
    ///   [`Error::Preflight`] when an operation breaks PingOne's rules, naming every operation
    ///   and attribute at fault, before anything is sent;
    /// - [`Error::Api`] for an error answer with a PingOne error body: 400 `INVALID_DATA` for
    ///   a malformed message, path or filter, a filter that matches nothing, or a user that
    ///   breaks PingOne's rules (nothing is then applied); 401, 403, 404, 415, and retryable
    ///   statuses once the retries ran out;
    /// - [`Error::RateLimited`] when 429 outlasted the retries, or asked to wait longer than
    ///   the retry policy's `max_retry_after` (not retried);
    /// - [`Error::Timeout`] and [`Error::Transport`] when no answer came on the last attempt,
    ///   [`Error::Incomplete`] when its status came but its body was cut short;
    /// - [`Error::Decode`] when a body is not the expected JSON, or is another user's
    ///   document (its `id` is not `user_id`) or has no `id` string, or is a 202 Accepted, as
    ///   for [`update_user`](Client::update_user);
    /// - [`Error::Token`] when the worker token could not be fetched;
    /// - [`Error::NoRuntime`] when the call is polled outside a tokio runtime.
    ///
    /// # Panics
    ///
    /// As [`update_user`](Client::update_user): in a runtime without its time or IO driver.
    pub async fn update_user_scim_patch<M: DeserializeOwned>(
        &self,
        environment_id: &str,
        user_id: &str,
        patch: &ScimPatch,
    ) -> Result<M, Error> {
        let url = self.user_target(environment_id, user_id)?;
        if patch.is_empty() {
            return self.get_user_as(environment_id, user_id).await;
        }
        if self.inner.preflight {
            preflight::check_scim_operations(patch, preflight::CheckedFor::Sending)?;
        }
        let body = Bytes::from(preflight::serialize_unchecked(patch)?);
        let route = Route::user(environment_id);
        let body = Some((body, SCIM_PATCH_CONTENT_TYPE));
        // An `add` appends to a multi-valued attribute: sent twice, it appends twice; a
        // `replace` that changes what its filter selects by matches nothing the second time.
        let repeatable = patch.is_idempotent();
        let span = Self::request_span(&reqwest::Method::PATCH, route);
        let answer = self
            .call_answer(
                &span,
                reqwest::Method::PATCH,
                Target::Parsed(&url),
                body,
                repeatable,
                0,
            )
            .await?;
        ended_in(&span, decode_changed_user_in(&span, answer, user_id))
    }

    /// Sends `patch` as SCIM operations rather than as a merge patch: the operations that do
    /// its work on `base`, the user as the caller last read it
    /// ([`Patch::to_scim_patch`]), with PingOne's SCIM content
    /// type ([`update_user_scim_patch`](Client::update_user_scim_patch)). Returns the updated
    /// user as the patch's model.
    ///
    /// Use it where the merge patch would resend a whole array: a keyed array
    /// (`#[patchable(key = "...")]`) changes element by element through filter paths
    /// (`emails[type eq "work"].value`), so elements that the change does not touch are not
    /// sent, and not clobbered if someone else changed them meanwhile. `update_user` stays the
    /// way to send the merge patch itself.
    ///
    /// Two clients that add an element with the same key at the same time both succeed (SCIM
    /// `add` appends), leaving two elements with that key on the server. The next
    /// `update_user_scim` of that user that changes the array, from a fresh read, replaces it
    /// whole (filters cannot tell the two apart), which repairs it.
    ///
    /// # Examples
    ///
    /// Against the embedded emulator (feature `emulator`), a multi-valued custom attribute:
    ///
    /// ```
    /// use serde_json::json;
    /// use sparse_patch::Patchable;
    /// use sparse_patch::pingone::{Client, TokenSource, emulator::{Emulator, reference_user}};
    ///
    /// #[derive(Patchable, Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
    /// struct Member {
    ///     username: String,
    ///     #[patchable(key = "type")]
    ///     badges: Vec<serde_json::Value>,
    /// }
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let mut user = reference_user();
    /// user["badges"] = json!([{"type": "work", "level": 1}, {"type": "home", "level": 2}]);
    /// let emulator = Emulator::builder().no_users().user(user).start()?;
    /// let client = Client::builder()
    ///     .api_base_url(emulator.api_base_url())
    ///     .token(TokenSource::bearer(emulator.token()))
    ///     .build()?;
    /// let (env, id) = (emulator.environment_id(), emulator.user_id());
    /// let base: Member = client.get_user_as(env, id).await?;
    /// let mut target = base.clone();
    /// target.badges[0]["level"] = json!(3);
    /// let updated = client.update_user_scim(env, id, &base, &base.diff(&target)).await?;
    /// assert_eq!(updated, target);
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    ///
    /// - [`Error::InvalidInput`] when an ID is not a UUID, and [`Error::Dialect`] when the
    ///   patch cannot be written as SCIM operations (a keyed array whose elements share a key
    ///   or lack one, an attribute name that a SCIM path cannot carry: the
    ///   [`DialectError`](crate::DialectError) says which; the arrays being a user's as PingOne
    ///   answered it, it quotes no value of theirs, only its kind), before anything is sent;
    /// - the rest as [`update_user_scim_patch`](Client::update_user_scim_patch).
    ///
    /// # Panics
    ///
    /// As [`update_user`](Client::update_user): in a runtime without its time or IO driver.
    pub async fn update_user_scim<P>(
        &self,
        environment_id: &str,
        user_id: &str,
        base: &P::Model,
        patch: &P,
    ) -> Result<P::Model, Error>
    where
        P: Patch + Serialize,
        P::Model: Serialize + DeserializeOwned,
    {
        // `base` is the user as PingOne answered it, and the patch's arrays hold its elements:
        // their values stay out of the error.
        let operations = patch
            .to_scim_patch(base)
            .map_err(|error| Error::Dialect(error.without_values()))?;
        self.update_user_scim_patch(environment_id, user_id, &operations)
            .await
    }

    /// Reads a user with `GET /environments/{environmentID}/users/{userID}` as
    /// [`User`](super::User), the whole PingOne user document.
    ///
    /// # Errors
    ///
    /// As [`update_user`](Client::update_user), but for the patch's: no
    /// [`Error::Preflight`], and [`Error::InvalidInput`] only for an ID that is not a UUID.
    ///
    /// # Panics
    ///
    /// As [`update_user`](Client::update_user): in a runtime without its time or IO driver.
    pub async fn get_user(
        &self,
        environment_id: &str,
        user_id: &str,
    ) -> Result<super::User, Error> {
        self.get_user_as(environment_id, user_id).await
    }

    /// Reads a user as a model of your own, `M` (or as a `serde_json::Value`):
    /// `client.get_user_as::<MyUser>(env, id)`.
    ///
    /// # Errors
    ///
    /// As [`update_user`](Client::update_user), but for the patch's: no
    /// [`Error::Preflight`], and [`Error::InvalidInput`] only for an ID that is not a UUID.
    ///
    /// # Panics
    ///
    /// As [`update_user`](Client::update_user): in a runtime without its time or IO driver.
    pub async fn get_user_as<M: DeserializeOwned>(
        &self,
        environment_id: &str,
        user_id: &str,
    ) -> Result<M, Error> {
        let url = self.user_target(environment_id, user_id)?;
        let route = Route::user(environment_id);
        let mut sent = 0;
        let span = Self::request_span(&reqwest::Method::GET, route);
        loop {
            let answer = self
                .call_answer(
                    &span,
                    reqwest::Method::GET,
                    Target::Parsed(&url),
                    None,
                    true,
                    sent,
                )
                .await?;
            match decode_user_in(&span, answer, user_id) {
                Err(error) if error.is_cut_json() => {
                    sent = ended_in(
                        &span,
                        self.again_after_cut(error).instrument(span.clone()).await,
                    )?;
                }
                result => return ended_in(&span, result),
            }
        }
    }

    /// Sends one request with the token, retries as the policy says (a GET also after a 2xx
    /// whose JSON was cut short: [`Client::again_after_cut`]), and decodes the answer,
    /// in a `tracing` span `pingone.request` with the method, the path template, the
    /// environment, and (once known) the status, the number of attempts and PingOne's error
    /// id. Neither the token, a secret nor a body is ever recorded. The value comes with the
    /// status and attempts of the answer it was read from ([`Arrived`]), for the errors that a
    /// caller finds in it afterwards.
    pub(super) async fn call<M: DeserializeOwned>(
        &self,
        method: reqwest::Method,
        route: Route<'_>,
        url: &str,
        body: Option<(Bytes, &'static str)>,
    ) -> Result<(M, Arrived), Error> {
        let idempotent = method == reqwest::Method::GET;
        let mut sent = 0;
        let span = Self::request_span(&method, route);
        loop {
            let answer = self
                .call_answer(
                    &span,
                    method.clone(),
                    Target::Text(url),
                    body.clone(),
                    true,
                    sent,
                )
                .await?;
            let arrived = Arrived {
                status: answer.status,
                attempts: answer.attempts,
            };
            match decode_in(&span, answer) {
                Err(error) if idempotent && error.is_cut_json() => {
                    sent = ended_in(
                        &span,
                        self.again_after_cut(error).instrument(span.clone()).await,
                    )?;
                }
                result => return ended_in(&span, result).map(|value| (value, arrived)),
            }
        }
    }

    /// After a GET's 2xx answer whose JSON was cut short (`error`, [`Error::is_cut_json`]):
    /// how many attempts were sent, once the backoff before the next is over; `error` when the
    /// retry policy allows no more. A GET changes nothing and is sent again (RFC 9110 §9.2.2);
    /// a PATCH is not (it was applied), and its error says that the request succeeded.
    #[cold]
    #[inline(never)]
    async fn again_after_cut(&self, error: Error) -> Result<u32, Error> {
        let (Some(attempts), Some(status)) = (error.attempts(), error.status()) else {
            return Err(error);
        };
        if self
            .inner
            .transport
            .pause_after_cut_json(attempts, status)
            .await
        {
            Ok(attempts)
        } else {
            Err(error)
        }
    }

    /// The `tracing` span of one call, `pingone.request` (level INFO): the method, the path
    /// template, the environment, and fields recorded once known (`status`, `attempts`, and
    /// for an error answer PingOne's `error_id` and `correlation_id`). One span for the whole call, a GET sent again after a 2xx whose JSON was
    /// cut short included ([`Client::again_after_cut`]), so that each of its retries' events
    /// happens in it.
    fn request_span(method: &reqwest::Method, route: Route<'_>) -> tracing::Span {
        tracing::info_span!(
            "pingone.request",
            method = %method,
            path = route.template,
            environment = route.environment,
            status = tracing::field::Empty,
            attempts = tracing::field::Empty,
            error_id = tracing::field::Empty,
            correlation_id = tracing::field::Empty,
        )
    }

    /// [`call`](Client::call) up to the answer, not yet decoded, in the call's `span`
    /// ([`Client::request_span`]): a caller decodes it with [`decode_in`] in its own body, so
    /// that the decoded model (a `User` is over 1 KB) is not moved out through one more
    /// future. A `body` comes with its `Content-Type`; `sent` is how many attempts the call
    /// made before ([`Transport::send`]).
    async fn call_answer(
        &self,
        span: &tracing::Span,
        method: reqwest::Method,
        url: Target<'_>,
        body: Option<(Bytes, &'static str)>,
        repeatable: bool,
        sent: u32,
    ) -> Result<Answer, Error> {
        let answer = self
            .send(method, url, body, repeatable, sent)
            .instrument(span.clone())
            .await;
        let answer = match answer {
            Ok(answer) => answer,
            Err(error) => {
                record_error(span, &error);
                trace_failed_call(span, &error);
                return Err(error);
            }
        };
        span.record("status", answer.status);
        span.record("attempts", answer.attempts);
        Ok(answer)
    }

    /// [`call`](Client::call) without the span and the decoding: the final answer. A request
    /// that is not `repeatable` is retried only where the server cannot have acted on it
    /// ([`Transport::send`]).
    async fn send(
        &self,
        method: reqwest::Method,
        url: Target<'_>,
        body: Option<(Bytes, &'static str)>,
        repeatable: bool,
        sent: u32,
    ) -> Result<Answer, Error> {
        let transport = &self.inner.transport;
        let window = self
            .consistency_window
            .unwrap_or_else(|| transport.retry().get_consistency_window());
        // Each attempt takes the token of the moment (a call's retries may outlast one).
        let answer = transport
            .send(
                Some(&self.inner.tokens),
                &|token| self.request(method.clone(), url, token, body.as_ref()),
                // The bearer token is the request's only credential.
                None,
                window,
                repeatable,
                sent,
            )
            .await?;
        // A 401 that reaches here was answered to a fresh worker token (the transport replaced
        // the refused one) or during the hold after one (`AccessTokens::refused_fresh`), or to
        // a static token: the token is kept, so that the next call does not fetch another
        // that the API refuses the same.
        Ok(answer)
    }

    /// One attempt's request: `method` to `url` with the token (marked sensitive:
    /// [`with_bearer`]), `Accept`, the correlation IDs, and the body with its `Content-Type`.
    /// Inlined into each attempt, as the closure it was: the builder is not copied out.
    #[inline]
    fn request<'u>(
        &self,
        method: reqwest::Method,
        url: impl Into<Target<'u>>,
        token: Option<&Secret>,
        body: Option<&(Bytes, &'static str)>,
    ) -> reqwest::RequestBuilder {
        let mut request = match url.into() {
            Target::Text(url) => self.inner.transport.request(method, url),
            Target::Parsed(url) => self.inner.transport.request(method, url.clone()),
        };
        if let Some(token) = token {
            request = with_bearer(request, token);
        }
        // Header values from the static text, not copied into an allocation and checked
        // again for each request (as a `&str` value is).
        request = request.header(ACCEPT, HeaderValue::from_static("application/json"));
        request = self.correlation.apply(request);
        if let Some((body, content_type)) = body {
            request = request
                .header(CONTENT_TYPE, HeaderValue::from_static(content_type))
                .body(self.inner.transport.body(body.clone()));
        }
        request
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

/// `request` with `Authorization: Bearer {token}`, marked sensitive (reqwest's `bearer_auth`):
/// a sensitive header value shows as `Sensitive` in the `Debug` of the request, its headers
/// and the value (a request or header map that a caller, a middleware or a panic logs), and
/// HTTP/2's HPACK never puts it in its compression table. Written by hand with `header` and a
/// value not marked sensitive, the token showed in full in the `Debug` of every request.
///
/// The header value is the token's own ([`Secret::bearer`]), built once and shared by each
/// request; a token that cannot be a header value goes through `bearer_auth`, whose builder
/// error the request reports.
#[inline]
fn with_bearer(request: reqwest::RequestBuilder, token: &Secret) -> reqwest::RequestBuilder {
    match token.bearer() {
        Some(value) => request.header(AUTHORIZATION, value.clone()),
        None => request.bearer_auth(token.expose()),
    }
}

/// Decodes the answer of a call in its span, and records PingOne's error id on the span
/// when the answer is an error. Decoded after the request's future, not inside it: the decoded
/// value is not moved out through that future and the span's wrapper (a copy of the whole
/// model each).
#[inline]
fn decode_in<M: DeserializeOwned>(span: &tracing::Span, answer: Answer) -> Result<M, Error> {
    let result = span.in_scope(|| answer.decode());
    record_error_id(span, &result);
    result
}

/// Records on a call's span PingOne's error id and correlation ID of a failed decoding, when
/// the answer was an error body.
#[inline]
fn record_error_id<M>(span: &tracing::Span, result: &Result<M, Error>) {
    if let Err(error) = result {
        record_error_ids(span, error);
    }
}

/// Records on a call's span what PingOne's error body and answer name it by: its `error_id`
/// (the body's `id`) and its `correlation_id` (the `Correlation-Id` header), which PingOne's
/// support asks for.
fn record_error_ids(span: &tracing::Span, error: &Error) {
    if let Some(body) = error.api_error() {
        if let Some(id) = body.id.as_deref() {
            span.record("error_id", event_text(id));
        }
        if let Some(id) = body.correlation_id.as_deref() {
            span.record("correlation_id", id);
        }
    }
}

/// [`decode_in`] for the answer to a request about the user `user_id`: a 2xx whose body is
/// another user's document (its `id` is not `user_id`), or has no `id` string, is [`Error::Decode`]
/// ([`Answer::decode_user`]).
#[inline]
fn decode_user_in<M: DeserializeOwned>(
    span: &tracing::Span,
    answer: Answer,
    user_id: &str,
) -> Result<M, Error> {
    let result = span.in_scope(|| answer.decode_user(user_id));
    record_error_id(span, &result);
    result
}

/// [`decode_user_in`] for the answer to a request that changes the user `user_id` (a merge or
/// SCIM PATCH): a 202 Accepted is [`Error::Decode`] too, the change not known to be made
/// (RFC 9110 §15.3.3; [`Answer::decode_changed_user`]).
#[inline]
fn decode_changed_user_in<M: DeserializeOwned>(
    span: &tracing::Span,
    answer: Answer,
    user_id: &str,
) -> Result<M, Error> {
    let result = span.in_scope(|| answer.decode_changed_user(user_id));
    record_error_id(span, &result);
    result
}

/// `result`, the end of the call whose `span` it is, after its failure's event
/// ([`trace_failed_call`]) when it is an error.
#[inline]
fn ended_in<T>(span: &tracing::Span, result: Result<T, Error>) -> Result<T, Error> {
    if let Err(error) = &result {
        trace_failed_call(span, error);
    }
    result
}

/// The event that ends a call that failed, `pingone: the call failed`, in its `span`: the
/// outcome was on the span alone (shown only with its close), so a log of events showed the
/// retries of a call and never whether it failed in the end. With the span's field names:
/// `status` (the HTTP status, if an answer came), `attempts`, `error_id` and `correlation_id`
/// (PingOne's names for the answer, which its support asks for), the error `code` (PingOne's,
/// or the token endpoint's OAuth `error`), and `error`, the error's kind
/// ([`Error::kind`]: `api`, `timeout`, `token`...). Not its text: PingOne's message may quote
/// the user's values (`"ada@" is not an email`), and a transport error's holds the URL.
///
/// WARN for a failure of the server or of the way to it (a 5xx, a 429 or 408 still answered
/// when the retries ran out, a timeout, a connection that failed, an answer that was not
/// PingOne's), and for a 401 (the worker's tokens are refused even fresh: wrong credentials,
/// region or environment, which every later call meets too) or a token request that failed.
/// INFO for any other 4xx refusal (400, 403, 404, 409...): PingOne's definite answer to this
/// one request (a value it refuses, a user that is not there), which the caller gets as the
/// error and handles; at WARN, every lookup of a user that is gone, or a sync job's every
/// refused line (which has its own WARN event), would read as a fault of the service.
fn trace_failed_call(span: &tracing::Span, error: &Error) {
    // The server's texts, escaped and cut ([`event_text`]).
    let code = match error {
        Error::Token { code, .. } => Some(code.as_str()),
        _ => error.code(),
    }
    .map(event_text);
    let error_id = error
        .api_error()
        .and_then(|body| body.id.as_deref())
        .map(event_text);
    // One list of fields for both levels: `tracing`'s level is part of each callsite.
    macro_rules! failed {
        ($level:ident) => {
            tracing::$level!(
                status = error.status(),
                attempts = error.attempts(),
                error = error.kind(),
                code,
                error_id,
                correlation_id = error.correlation_id(),
                "pingone: the call failed"
            )
        };
    }
    let refusal = matches!(error, Error::Api { status, .. } if (400..500).contains(status)
        && *status != 401)
        && !error.is_retryable();
    span.in_scope(|| {
        if refusal {
            failed!(info);
        } else {
            failed!(warn);
        }
    });
}

/// Records on a call's span (or a token fetch's) what an error that ended it says: the
/// status, the attempts and PingOne's error id and correlation ID, as far as known.
pub(crate) fn record_error(span: &tracing::Span, error: &Error) {
    if let Some(status) = error.status() {
        span.record("status", status);
    }
    if let Some(attempts) = error.attempts() {
        span.record("attempts", attempts);
    }
    record_error_ids(span, error);
}

#[cfg(test)]
mod tests;
