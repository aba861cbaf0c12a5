//! [`TokenSource`]: a static bearer token, or a worker application's client credentials
//! exchanged for tokens that are cached and refreshed.

use core::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use serde::Deserialize;
use tokio::sync::Mutex;
use tokio::time::Instant;

use super::Error;
use super::ids::check_id;
use super::later;
use super::secret::Secret;
use super::transport::{AccessTokens, Transport};

/// How the worker application authenticates to the token endpoint (RFC 6749 §2.3.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum ClientAuthMethod {
    /// `CLIENT_SECRET_BASIC`: HTTP Basic authentication (the PingOne default for workers).
    #[default]
    Basic,
    /// `CLIENT_SECRET_POST`: `client_id` and `client_secret` in the form body.
    Post,
}

/// Where the client gets the access token that it sends as `Authorization: Bearer`.
///
/// `Debug` shows the kind of source and the client ID, never the token or the secret.
///
/// Source: PingOne Platform API, "Get a token" for worker applications
/// (<https://apidocs.pingidentity.com/pingone/platform/v1/api/#post-token-admin-app-client_credentials>).
///
/// ```
/// use sparse_patch::pingone::TokenSource;
///
/// let source = TokenSource::client_credentials(
///     "abfba8f6-49eb-49f5-a5d9-80ad5c98f9f6",
///     "my-worker-app",
///     "very-secret",
/// );
/// assert!(!format!("{source:?}").contains("very-secret"));
/// assert!(!format!("{:?}", TokenSource::bearer("eyJhbGciOi")).contains("eyJhbGciOi"));
/// ```
#[derive(Clone)]
pub struct TokenSource(pub(crate) Kind);

#[derive(Clone)]
pub(crate) enum Kind {
    Static(Secret),
    Worker {
        environment_id: String,
        client_id: String,
        client_secret: Secret,
        method: ClientAuthMethod,
    },
}

impl TokenSource {
    /// A fixed access token, sent as it is on every request. It must be an RFC 6750 §2.1
    /// bearer token (letters, digits, `-._~+/`, then `=` padding, as a JWT is):
    /// [`ClientBuilder::build`](super::ClientBuilder::build) refuses one with anything else,
    /// such as the quotes of the JSON it was copied from, with [`Error::Config`].
    #[must_use]
    pub fn bearer(access_token: impl Into<String>) -> Self {
        TokenSource(Kind::Static(Secret::new(access_token.into())))
    }

    /// A worker application's client credentials: the client fetches a token from
    /// `POST {auth}/{environment_id}/as/token` (`grant_type=client_credentials`, asking for
    /// JSON with `Accept: application/json`), caches it,
    /// and fetches a new one shortly before it expires. Concurrent calls share one fetch, and
    /// its error if it fails. A later call fetches again, once the `Retry-After` of a
    /// 429 or 503 that ended the failed fetch is over, and once [`REFUSAL_HOLD`] is over
    /// after an answer that no retry can fix (a 401 `invalid_client` for a wrong secret, a
    /// 400 `unauthorized_client`): until then it gets that answer again without a request,
    /// [`Error::Token`] whose `remembered_for` says when the next request is sent (so that a
    /// sync job over a long feed with a wrong secret sends one token request every few
    /// seconds, not one per line). A refresh does not hold up the
    /// other calls, nor does its failure fail them, while the old token is still usable (see
    /// [`ClientBuilder::refresh_before`](super::ClientBuilder::refresh_before)). Each attempt
    /// of a call (its retries too) sends the token of the moment. A token that PingOne refuses
    /// with 401 before its time (revoked) is dropped, and the call is sent again once with a
    /// fresh token (one fetch for all the calls refused at once); a second 401 is the call's
    /// answer, [`Error::Api`], and the fresh token is kept: for [`REFUSAL_HOLD`] a 401 is every
    /// call's answer without another fetch. A token response whose
    /// `token_type` is not `Bearer` (in any case) is refused with [`Error::Decode`]: the
    /// client sends bearer tokens only (RFC 6749 §7.1). Its `expires_in` is read as a JSON
    /// number (a float with no fraction, `3600.0`, too) or a string of digits (`"3600"`, as
    /// Azure AD's v1 endpoint wrote it), one hour when absent; a negative, fractional or other
    /// value is [`Error::Decode`] naming `expires_in`.
    ///
    /// `environment_id` is the environment that holds the worker application, which may
    /// differ from the environment whose users are changed.
    #[must_use]
    pub fn client_credentials(
        environment_id: impl Into<String>,
        client_id: impl Into<String>,
        client_secret: impl Into<String>,
    ) -> Self {
        TokenSource(Kind::Worker {
            environment_id: environment_id.into(),
            client_id: client_id.into(),
            client_secret: Secret::new(client_secret.into()),
            method: ClientAuthMethod::Basic,
        })
    }

    /// Sets how a worker application authenticates ([`ClientAuthMethod::Basic`] by default).
    /// No effect on a static token.
    #[must_use]
    pub fn auth_method(mut self, auth: ClientAuthMethod) -> Self {
        if let Kind::Worker { method, .. } = &mut self.0 {
            *method = auth;
        }
        self
    }

    /// Checks the source when the client is built: a static token must be able to travel in
    /// an `Authorization` header; a worker needs an auth host (`has_auth_base`), an environment
    /// ID that is a UUID, and a client ID and secret that are not empty.
    ///
    /// # Errors
    ///
    /// [`Error::Config`] saying which of these fails.
    pub(crate) fn check(&self, has_auth_base: bool) -> Result<(), Error> {
        match &self.0 {
            Kind::Static(token) => {
                if !is_bearer_token(token.expose()) {
                    return Err(Error::Config(format!(
                        "the access token is empty or {NOT_A_BEARER_TOKEN}"
                    )));
                }
            }
            Kind::Worker {
                environment_id,
                client_id,
                client_secret,
                ..
            } => {
                if !has_auth_base {
                    return Err(Error::Config(
                        "worker credentials need a region (`ClientBuilder::region`), an auth base URL (`ClientBuilder::auth_base_url`) or a token URL (`ClientBuilder::token_url`)".into(),
                    ));
                }
                check_id("the worker's environment ID", environment_id)
                    .map_err(|error| Error::Config(error.to_string()))?;
                if client_id.is_empty() || client_secret.expose().is_empty() {
                    return Err(Error::Config(
                        "the client ID and the client secret must not be empty".into(),
                    ));
                }
            }
        }
        Ok(())
    }

    pub(crate) fn is_worker(&self) -> bool {
        matches!(self.0, Kind::Worker { .. })
    }
}

impl fmt::Debug for TokenSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0 {
            Kind::Static(token) => f.debug_tuple("Bearer").field(token).finish(),
            Kind::Worker {
                environment_id,
                client_id,
                client_secret,
                method,
            } => f
                .debug_struct("ClientCredentials")
                .field("environment_id", environment_id)
                .field("client_id", client_id)
                .field("client_secret", client_secret)
                .field("method", method)
                .finish(),
        }
    }
}

/// What [`is_bearer_token`] refuses, as errors say it.
const NOT_A_BEARER_TOKEN: &str = "holds characters a bearer token cannot (RFC 6750 §2.1: \
     letters, digits, - . _ ~ + /, then = padding; quotes, spaces, commas or an ellipsis \
     copied with it are not part of it)";

/// Whether `token` can be sent as `Authorization: Bearer {token}`: RFC 6750 §2.1's
/// `b64token`, one or more of `A-Z a-z 0-9 - . _ ~ + /` followed by any `=`. A header could
/// carry more (quotes, commas, bytes past ASCII), and a token pasted with the quotes of the
/// JSON it was copied from, or cut with an ellipsis, was sent and refused with 401 on every
/// call.
fn is_bearer_token(token: &str) -> bool {
    let body = token.trim_end_matches('=');
    !body.is_empty()
        && body
            .bytes()
            .all(|byte| byte.is_ascii_alphanumeric() || b"-._~+/".contains(&byte))
}

/// How long a worker's token request that no retry can fix (a 401 `invalid_client`: a wrong
/// secret or client ID; a 400 `unauthorized_client`; any status but 408, 429, 500, 502, 503
/// and 504) is remembered: until then, every call that needs a token gets that answer again
/// ([`Error::Token`] with `remembered_for` saying when the next request is sent) without a
/// request. Asked again at once, the token endpoint answers the same: a sync job sent one
/// token request per line, and a 10,000-line feed with a wrong secret hammered it 10,000
/// times (as OAuth clients do that get the account locked or the IP rate limited). Short
/// enough that credentials fixed on PingOne's side (an application enabled, a grant type
/// allowed) are tried again soon; a [`TokenSource`] with other credentials is a new client,
/// which asks at once.
pub const REFUSAL_HOLD: Duration = Duration::from_secs(5);

/// The longest a fetched token is cached, whatever its `expires_in` says: a day.
const MAX_TOKEN_LIFETIME_SECS: u64 = 24 * 60 * 60;

/// An OAuth 2.0 token response (RFC 6749 §5.1).
#[derive(Deserialize)]
struct TokenResponse {
    access_token: String,
    /// `Bearer` in any case (RFC 6749 §5.1); a server that leaves it out is trusted to mean it.
    #[serde(default)]
    token_type: Option<String>,
    /// Seconds, as a JSON number (RFC 6749 §5.1) or a string of ASCII digits (`"3600"`, as
    /// Azure AD's v1 endpoint and gateways that re-serialize JSON write it; Go's
    /// `golang.org/x/oauth2` reads both). A number may be written as a float with no fraction
    /// (`3600.0`, `3.6e3`, as servers whose JSON numbers are all doubles write it). Anything
    /// else (negative, fractional, past 64 bits as a float, other text) is refused.
    #[serde(default, deserialize_with = "seconds")]
    expires_in: Option<u64>,
}

/// What [`seconds`] reads, as its errors say it.
const EXPECTED_SECONDS: &str = "a whole number of seconds (a number, such as 3600 or 3600.0, \
     or a string of digits)";

/// `expires_in`: a whole number of seconds, written as a JSON number (an integer, or a float
/// whose fraction is zero) or as a string of ASCII digits; `null` is none. The error of any
/// other value names `expires_in` and quotes the value (at most 64 characters of it; an object
/// or an array, which may hold a token, only named).
///
/// Read through a `serde_json::Value`, whose numbers tell integers from floats whatever
/// serde_json's features (`arbitrary_precision`, which any crate of a build may turn on,
/// included).
fn seconds<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Option<u64>, D::Error> {
    use serde_json::Value;

    /// 2^64: a float at or past it is no `u64`.
    const PAST_U64: f64 = 18_446_744_073_709_551_616.0;

    let value = Option::<Value>::deserialize(deserializer)?;
    let seconds = match &value {
        None | Some(Value::Null) => return Ok(None),
        Some(Value::Number(number)) => number.as_u64().or_else(|| {
            number
                .as_f64()
                .filter(|float| {
                    float.is_finite() && *float >= 0.0 && float.fract() == 0.0 && *float < PAST_U64
                })
                // Whole and in range: the cast is exact.
                .map(|float| float as u64)
        }),
        // Digits past `u64` are a lifetime past the cap in any case.
        Some(Value::String(text))
            if !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()) =>
        {
            Some(text.parse().unwrap_or(u64::MAX))
        }
        Some(_) => None,
    };
    seconds.map(Some).ok_or_else(|| {
        // An object or an array is named, not quoted: it may hold a token.
        let shown = match value {
            Some(Value::Object(_)) => "(an object)".to_owned(),
            Some(Value::Array(_)) => "(an array)".to_owned(),
            value => value.map(|value| value.to_string()).unwrap_or_default(),
        };
        serde::de::Error::custom(format_args!(
            "invalid expires_in {}: expected {EXPECTED_SECONDS}",
            shown.chars().take(64).collect::<String>()
        ))
    })
}

/// An OAuth 2.0 error response (RFC 6749 §5.2).
#[derive(Deserialize)]
struct TokenErrorResponse {
    error: String,
    #[serde(default)]
    error_description: Option<String>,
}

struct Cached {
    token: Secret,
    /// The number of the fetch that brought it (see [`TokenProvider::fetches`]): the calls
    /// that waited on that fetch take this token, even when it is already due (a lifetime of
    /// zero, or shorter than the fetch took), as they take its error when it fails.
    fetch: u64,
    /// When a call fetches a new token; the token is still sent until `usable_until`.
    refresh_at: Instant,
    /// Half the refresh margin before the token expires: while a refresh is under way, or
    /// after one failed, the token is sent until then.
    usable_until: Instant,
}

/// The cached token while it is usable, readable without waiting for a fetch under way.
#[derive(Clone)]
struct Usable {
    token: Secret,
    /// When it is due for a refresh ([`Cached::refresh_at`]).
    refresh_at: Instant,
    until: Instant,
}

/// What the lock guards: the cached token, and how the last fetch failed, if it did.
#[derive(Default)]
struct State {
    cached: Option<Cached>,
    /// The number of the last fetch (see [`TokenProvider::fetches`]) when it failed, with a
    /// copy of its error for the calls that waited on it.
    failure: Option<(u64, Error)>,
    /// Until when that failure is also every later call's answer: its `Retry-After`, capped
    /// as the client's own waits are (the policy's `max_backoff`). The token endpoint said
    /// when to come back; asked again by the next call at once, it answered another 429, and
    /// a sync job sent one token request per line.
    held_until: Option<Instant>,
}

/// The part of a worker's token cache that never waits for a fetch under way.
#[derive(Default)]
struct Quick {
    /// A copy of the cached token and when it stops being usable, read by the calls that find
    /// the lock held (a refresh under way): they send it rather than wait for the token
    /// endpoint. Set and cleared with `state`, under its lock (and cleared at once by
    /// [`invalidate`](TokenProvider::invalidate)).
    usable: Option<Usable>,
    /// The cached token once PingOne refused it with 401, dropped from `state` by the next
    /// call that holds its lock: [`invalidate`](TokenProvider::invalidate) does not wait for
    /// the lock.
    refused: Option<Secret>,
    /// Until when a token refused with 401 is not replaced: [`REFUSAL_HOLD`] after a fresh
    /// token was refused too ([`refused_fresh`](TokenProvider::refused_fresh)).
    keep_until: Option<Instant>,
}

/// Hands out access tokens: the static one, or a cached worker token.
pub(crate) struct TokenProvider {
    source: TokenSource,
    token_url: Option<String>,
    refresh_before: Duration,
    state: Mutex<State>,
    /// What is read and written without waiting for `state`'s lock (held during a fetch).
    quick: std::sync::Mutex<Quick>,
    /// How many fetches have ended (in success or failure), read by a call before it waits
    /// for the lock: a failure numbered higher ended while it waited, and is its answer too.
    fetches: AtomicU64,
}

impl AccessTokens for TokenProvider {
    fn ready(&self) -> Option<Secret> {
        TokenProvider::ready(self)
    }

    fn token(&self, transport: &Transport) -> impl Future<Output = Result<Secret, Error>> + Send {
        TokenProvider::token(self, transport)
    }

    fn is_worker(&self) -> bool {
        TokenProvider::is_worker(self)
    }

    fn invalidate(&self, used: &Secret) {
        TokenProvider::invalidate(self, used)
    }

    fn may_replace(&self) -> bool {
        self.quick()
            .keep_until
            .is_none_or(|until| Instant::now() >= until)
    }

    fn refused_fresh(&self) {
        TokenProvider::refused_fresh(self)
    }
}

impl fmt::Debug for TokenProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TokenProvider")
            .field("source", &self.source)
            .field("token_url", &self.token_url)
            .field("refresh_before", &self.refresh_before)
            .finish_non_exhaustive()
    }
}

impl TokenProvider {
    /// A provider for `source`; a worker's tokens come from `token_url` as it is (a custom
    /// domain's), else from `{auth_base_url}/{environmentID}/as/token`.
    pub(crate) fn new(
        source: TokenSource,
        token_url: Option<&str>,
        auth_base_url: Option<&str>,
        refresh_before: Duration,
    ) -> Self {
        let token_url = match (&source.0, token_url, auth_base_url) {
            (Kind::Worker { .. }, Some(url), _) => Some(url.to_owned()),
            (Kind::Worker { environment_id, .. }, None, Some(base)) => {
                // Sent in lower case, as every ID (see `Client::user_url`).
                Some(format!(
                    "{base}/{}/as/token",
                    environment_id.to_ascii_lowercase()
                ))
            }
            _ => None,
        };
        TokenProvider {
            source,
            token_url,
            refresh_before,
            state: Mutex::new(State::default()),
            quick: std::sync::Mutex::new(Quick::default()),
            fetches: AtomicU64::new(0),
        }
    }

    /// The access token to send now. For a worker, the lock is held during the fetch, so that
    /// concurrent callers wait for one fetch instead of each making their own, and take its
    /// token even when it is already due (`expires_in: 0`); when that fetch fails, the
    /// callers that waited on it get its error rather than each making a fetch of its own in
    /// turn (ten waiters on a token endpoint that times out would
    /// otherwise wait out ten retry budgets, one after another). A call that comes later
    /// fetches again, unless the failure's answer said when to come back (`Retry-After`, on a
    /// 429 or a 503, capped at the policy's `max_backoff`) or no retry can fix it
    /// ([`REFUSAL_HOLD`]): until then, a later call gets the same error (its `Retry-After` as
    /// the server wrote it, and `remembered_for` the time left) without a request.
    ///
    /// A token due for its refresh but still usable (see [`Cached::usable_until`]) is not
    /// waited on: while one call refreshes it, the others send it; and when the refresh
    /// fails, it stays cached and is sent, and the refresh is tried again halfway to the end
    /// of its use. So a slow or failing token endpoint before expiry delays one call, and
    /// fails none.
    pub(crate) async fn token(&self, transport: &Transport) -> Result<Secret, Error> {
        if !self.source.is_worker() {
            let Kind::Static(token) = &self.source.0 else {
                unreachable!()
            };
            return Ok(token.clone());
        }
        let seen = self.fetches.load(Ordering::Acquire);
        let mut state = match self.state.try_lock() {
            Ok(state) => state,
            Err(_) => {
                // Held: most likely a fetch under way. A token still usable is sent now.
                if let Some(usable) = self.usable()
                    && Instant::now() < usable.until
                {
                    return Ok(usable.token);
                }
                self.state.lock().await
            }
        };
        self.drop_refused(&mut state);
        let now = Instant::now();
        if let Some(cached) = state.cached.as_ref()
            && (now < cached.refresh_at || cached.fetch > seen)
        {
            return Ok(cached.token.clone());
        }
        if let Some((number, failure)) = &state.failure
            && let Some(mut error) = shared_copy(failure)
        {
            // The fetch this call waited on: its own answer.
            if *number > seen {
                return Err(error);
            }
            // An earlier answer, held: said to be remembered, and until when.
            if let Some(until) = state.held_until
                && now < until
            {
                if let Error::Token { remembered_for, .. } = &mut error {
                    *remembered_for = Some(until - now);
                }
                return Err(error);
            }
        }
        let result = self.fetch(transport).await;
        // Counted under the lock: a call that reads the count after this sees the fetch done.
        let number = self.fetches.fetch_add(1, Ordering::AcqRel) + 1;
        match result {
            Ok(mut cached) => {
                cached.fetch = number;
                let token = cached.token.clone();
                self.set_usable(Some(Usable {
                    token: token.clone(),
                    refresh_at: cached.refresh_at,
                    until: cached.usable_until,
                }));
                *state = State {
                    cached: Some(cached),
                    failure: None,
                    held_until: None,
                };
                Ok(token)
            }
            Err(error) => {
                // Refused while the fetch was under way: not kept below.
                self.drop_refused(&mut state);
                let now = Instant::now();
                let state = &mut *state;
                if let Some(cached) = state.cached.as_mut()
                    && now < cached.usable_until
                {
                    // The token in hand still serves: tried again halfway to the end of its
                    // use, rather than by every call from now on.
                    tracing::warn!(
                        %error,
                        "pingone: the token refresh failed; the cached token is still used"
                    );
                    cached.refresh_at = now + (cached.usable_until - now) / 2;
                    state.failure = None;
                    state.held_until = None;
                    if let Some(usable) = self.quick().usable.as_mut() {
                        usable.refresh_at = cached.refresh_at;
                    }
                    return Ok(cached.token.clone());
                }
                state.cached = None;
                self.set_usable(None);
                state.failure = shared_copy(&error).map(|copy| (number, copy));
                state.held_until = held_until(&error, now, transport);
                Err(error)
            }
        }
    }

    /// The token to send now when it is at hand without waiting: the static token, or the
    /// cached worker token before it is due for a refresh. `None` means: ask
    /// [`token`](TokenProvider::token).
    pub(crate) fn ready(&self) -> Option<Secret> {
        match &self.source.0 {
            Kind::Static(token) => Some(token.clone()),
            Kind::Worker { .. } => self
                .usable()
                .filter(|usable| Instant::now() < usable.refresh_at)
                .map(|usable| usable.token),
        }
    }

    /// The part of the cache that never waits for a fetch.
    fn quick(&self) -> std::sync::MutexGuard<'_, Quick> {
        self.quick
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// The copy of the cached token, if any.
    fn usable(&self) -> Option<Usable> {
        self.quick().usable.clone()
    }

    /// Sets the copy of the cached token (under the lock of `state`).
    fn set_usable(&self, usable: Option<Usable>) {
        self.quick().usable = usable;
    }

    /// Drops the cached token if PingOne refused it since (see [`Quick::refused`]); called
    /// with `state`'s lock held.
    fn drop_refused(&self, state: &mut State) {
        let Some(refused) = self.quick().refused.take() else {
            return;
        };
        // Only the token the 401 was about: a call that was answered late must not drop a
        // token that another call has fetched since.
        if state
            .cached
            .as_ref()
            .is_some_and(|cached| cached.token == refused)
        {
            state.cached = None;
        }
    }

    /// Fetches a worker token from the token endpoint.
    async fn fetch(&self, transport: &Transport) -> Result<Cached, Error> {
        let Kind::Worker {
            client_id,
            client_secret,
            method,
            ..
        } = &self.source.0
        else {
            return Err(Error::Config("a static token is not fetched".into()));
        };
        let url = self
            .token_url
            .as_deref()
            .ok_or_else(|| Error::Config("worker credentials need an auth base URL".into()))?;
        // RFC 6749 §5.1: `expires_in` counts from when the token was issued, which the client
        // cannot see; the request's first send is before it, however slow the answer or its
        // retries. Counted from the answer's arrival instead, a token endpoint that answers
        // late (or a token request retried for a while) left the client using a token PingOne
        // had already ended, which it refused with 401.
        let asked_at = Instant::now();
        // Boxed: a token request's future is as large as a whole call's, and this rarely
        // taken path would otherwise make every call's future (and each copy of it) that large.
        let answer = Box::pin(transport.send(
            None::<&TokenProvider>,
            &|_| token_request(transport, url, *method, client_id, client_secret),
            // A token request is never retried on 403 or 404; asking for a token twice is
            // harmless.
            Duration::ZERO,
            true,
        ))
        .await?;
        if !(200..300).contains(&answer.status) {
            return Err(token_error(&answer, url, client_id, client_secret));
        }
        let parsed = serde_json::from_slice::<TokenResponse>(&answer.body);
        // An OAuth error answered with a 2xx (GitHub's token endpoint does, and gateways that
        // map every upstream answer to 200): its code and description, as for an error status,
        // rather than a token response missing its `access_token`.
        if parsed.is_err() && is_oauth_error(&answer.body) {
            return Err(token_error(&answer, url, client_id, client_secret));
        }
        let response: TokenResponse = parsed.map_err(|error| {
            // The reason quotes the value it refused (`invalid type: string "..."`), which may
            // be the secret echoed.
            let reason = match answer.encoding_text() {
                Some(encoding) => format!("{encoding}: not an OAuth token response: {error}"),
                None => format!("not an OAuth token response: {error}"),
            };
            let reason = redact_secret(&reason, client_id, client_secret);
            let (reason, body_start) = match quotable_start(&answer.body, client_id, client_secret)
            {
                Some(start) => (reason, start),
                None => (
                    format!(
                        "{reason}; the body ({} bytes){} is not quoted, as it may hold a token",
                        answer.body.len(),
                        if is_form_encoded_token(&answer.body) {
                            ", form-encoded (access_token=...) rather than JSON although the \
                             request asked for application/json,"
                        } else {
                            ""
                        }
                    ),
                    String::new(),
                ),
            };
            Error::Decode {
                status: answer.status,
                reason,
                body_start,
                attempts: answer.attempts,
            }
        })?;
        // Capped: a lifetime of `u64::MAX` seconds would overflow the `Instant` below (and
        // panic). A token that lives longer is fetched again after a day: one request.
        let lifetime = Duration::from_secs(
            response
                .expires_in
                .unwrap_or(3600)
                .min(MAX_TOKEN_LIFETIME_SECS),
        );
        let margin = self.refresh_before.min(lifetime / 2);
        // Checked as the bearer token given by hand is: an empty one, or one with a character
        // a header cannot carry, is the token endpoint's fault, not the caller's input.
        if !is_bearer_token(&response.access_token) {
            return Err(Error::Decode {
                status: answer.status,
                reason: format!(
                    "the token response's access_token is empty or {NOT_A_BEARER_TOKEN}"
                ),
                body_start: String::new(),
                attempts: answer.attempts,
            });
        }
        // RFC 6749 §7.1: a token of a type the client does not understand is not used. Sent
        // as `Bearer`, a `DPoP` or `mac` token would be refused with 401 on every call.
        if let Some(token_type) = &response.token_type
            && !token_type.eq_ignore_ascii_case("bearer")
        {
            return Err(Error::Decode {
                status: answer.status,
                reason: format!(
                    "the token response's token_type is {:?}, not Bearer: the client sends only \
                     bearer tokens (RFC 6750)",
                    token_type.chars().take(64).collect::<String>()
                ),
                body_start: String::new(),
                attempts: answer.attempts,
            });
        }
        let refresh_at = asked_at + lifetime - margin;
        Ok(Cached {
            token: Secret::new(response.access_token),
            // Numbered by the caller once the fetch has ended.
            fetch: 0,
            refresh_at,
            usable_until: refresh_at + margin / 2,
        })
    }

    /// Whether the tokens are a worker's, fetched and cached (not a static token).
    pub(crate) fn is_worker(&self) -> bool {
        self.source.is_worker()
    }

    /// Records that a token fetched to replace one refused with 401 was refused too: for
    /// [`REFUSAL_HOLD`], a 401 is the answer of the calls without another fetch, and the
    /// token stays cached. The API refuses the worker's tokens however new (the API of
    /// another region than the token's, a worker without access to the environment): each
    /// call made two token requests and two API requests, a sync job of 10,000 lines 20,000
    /// token requests, where it now makes one token request every [`REFUSAL_HOLD`] at most.
    pub(crate) fn refused_fresh(&self) {
        if self.source.is_worker() {
            self.quick().keep_until = Some(hold_end(Instant::now(), REFUSAL_HOLD));
        }
    }

    /// Forgets the cached worker token if it is `used`, after PingOne refused it with 401.
    /// At once, without waiting for a fetch under way (the call that got the 401 goes on at
    /// once, and a call dropped meanwhile cannot leave the refused token cached): the
    /// copy that calls read without the lock is cleared here, and the cached token by the
    /// next call that takes the lock.
    pub(crate) fn invalidate(&self, used: &Secret) {
        if self.source.is_worker() {
            let mut quick = self.quick();
            // The copy is the cached token's: a token that is not (an older one, answered
            // late) is not cached, and must not take the place of one refused before it.
            if quick
                .usable
                .as_ref()
                .is_some_and(|usable| usable.token == *used)
            {
                quick.usable = None;
                quick.refused = Some(used.clone());
            }
        }
    }
}

/// The token request (RFC 6749 §4.4.2) to `url`, the client authenticated by `method`: with
/// HTTP Basic, reqwest's `basic_auth` marks the `Authorization` header sensitive (the `Debug`
/// of the request shows `Sensitive`, HTTP/2 does not index it); with the form, the secret is in
/// the body, which the request's `Debug` does not show.
fn token_request(
    transport: &Transport,
    url: &str,
    method: ClientAuthMethod,
    client_id: &str,
    client_secret: &Secret,
) -> reqwest::RequestBuilder {
    // `Accept`: an endpoint that negotiates (GitHub's answers form-encoded text unless asked
    // for JSON, as gateways serving several formats may) answers RFC 6749 §5.1's JSON.
    let request = transport
        .request(reqwest::Method::POST, url)
        .header(
            reqwest::header::CONTENT_TYPE,
            "application/x-www-form-urlencoded",
        )
        .header(reqwest::header::ACCEPT, "application/json");
    match method {
        ClientAuthMethod::Post => request.body(format!(
            "grant_type=client_credentials&client_id={}&client_secret={}",
            form_encode(client_id),
            form_encode(client_secret.expose())
        )),
        ClientAuthMethod::Basic => request
            .basic_auth(
                form_encode(client_id),
                Some(form_encode(client_secret.expose())),
            )
            .body("grant_type=client_credentials"),
    }
}

/// Until when a failed fetch's `error` is every later call's answer, if at all: the
/// `Retry-After` of the token endpoint's answer (capped as the client's own waits are, at the
/// policy's `max_backoff`); and [`REFUSAL_HOLD`] for an answer that no retry can fix
/// (the later of the two when both apply). An error without an answer (a timeout, the
/// network) is not held: the next call tries again.
fn held_until(error: &Error, now: Instant, transport: &Transport) -> Option<Instant> {
    let Error::Token { retry_after, .. } = error else {
        return None;
    };
    let asked = retry_after
        .filter(|wait| !wait.is_zero())
        .map(|wait| transport.retry().wait(1, Some(wait)));
    let refused = (!error.is_retryable()).then_some(REFUSAL_HOLD);
    asked.max(refused).map(|wait| hold_end(now, wait))
}

/// The end of a hold of `wait` from `now`: a wait past any `Instant` (a `Retry-After` of
/// `u64::MAX` seconds under a `max_backoff` of `Duration::MAX`, which leaves it uncapped)
/// holds for a century instead ([`later::after`]: `+` panicked on the overflow inside the
/// call).
fn hold_end(now: Instant, wait: Duration) -> Instant {
    Instant::from_std(later::after(now.into_std(), wait))
}

/// A copy of a failed fetch's error for the calls that waited on it, or `None` for an error
/// that a fetch does not give (an answer of the users API). A transport failure shares
/// reqwest's error, which is not `Clone`, through its `Arc`: waiters that each fetched in
/// turn would each spend the whole retry budget on a token endpoint that is down.
fn shared_copy(error: &Error) -> Option<Error> {
    Some(match error {
        Error::Token {
            status,
            code,
            description,
            attempts,
            retry_after,
            remembered_for,
        } => Error::Token {
            status: *status,
            code: code.clone(),
            description: description.clone(),
            attempts: *attempts,
            retry_after: *retry_after,
            remembered_for: *remembered_for,
        },
        Error::Decode {
            status,
            reason,
            body_start,
            attempts,
        } => Error::Decode {
            status: *status,
            reason: reason.clone(),
            body_start: body_start.clone(),
            attempts: *attempts,
        },
        Error::Timeout { timeout, attempts } => Error::Timeout {
            timeout: *timeout,
            attempts: *attempts,
        },
        Error::Transport { source, attempts } => Error::Transport {
            source: std::sync::Arc::clone(source),
            attempts: *attempts,
        },
        Error::Config(text) => Error::Config(text.clone()),
        Error::InvalidInput(text) => Error::InvalidInput(text.clone()),
        _ => return None,
    })
}

/// Whether `body` is an OAuth error response (RFC 6749 §5.2): a JSON object with an `error`
/// string and no `access_token`.
fn is_oauth_error(body: &[u8]) -> bool {
    serde_json::from_slice::<serde_json::Map<String, serde_json::Value>>(body).is_ok_and(|body| {
        body.get("error").is_some_and(serde_json::Value::is_string)
            && !body.contains_key("access_token")
    })
}

/// Whether `body` is a form-encoded token response (`access_token=...&token_type=bearer`, as
/// GitHub's token endpoint answers a request that does not ask for JSON): one of its
/// `&`-separated pairs is named `access_token`.
fn is_form_encoded_token(body: &[u8]) -> bool {
    body.split(|&byte| byte == b'&')
        .any(|pair| pair.trim_ascii().starts_with(b"access_token="))
}

/// The start of a 2xx token answer that is not a token response, to show in its error, the
/// client secret taken out: a page (a proxy's or a captive portal's HTML, an empty body),
/// whose start says what answered. `None` for a body that may hold a token, which is never
/// shown: one that looks like JSON (`{` or `[` first), or that names an `access_token` (a
/// form-encoded token response, in any case).
fn quotable_start(body: &[u8], client_id: &str, client_secret: &Secret) -> Option<String> {
    let text = String::from_utf8_lossy(body);
    let trimmed = text.trim_start();
    if trimmed.starts_with(['{', '[']) || trimmed.to_ascii_lowercase().contains("access_token") {
        return None;
    }
    let text = redact_secret(&text, client_id, client_secret);
    Some(super::error::body_start(text.as_bytes()))
}

/// The [`Error::Token`] of a token endpoint's error answer: its OAuth error (RFC 6749 §5.2),
/// or, for a body that is not one, what arrived in `description`: a PingOne error body's code
/// and message (an unknown environment answers one), or the start of the body (a proxy's
/// page), with the token URL that was asked (`url`, up to its query); in each, the client
/// secret, in every form the request carried it, replaced by `***` (an OAuth error that
/// echoes the request holds it as much as a proxy's page).
fn token_error(
    answer: &super::transport::Answer,
    url: &str,
    client_id: &str,
    client_secret: &Secret,
) -> Error {
    let (status, attempts, retry_after, body) = (
        answer.status,
        answer.attempts,
        answer.retry_after,
        &answer.body[..],
    );
    if let Ok(error) = serde_json::from_slice::<TokenErrorResponse>(body) {
        // Its fields once decoded: an answer that echoes the request may hold the secret.
        return Error::Token {
            status,
            code: redact_secret(&error.error, client_id, client_secret),
            description: error
                .error_description
                .map(|text| redact_secret(&text, client_id, client_secret)),
            attempts,
            retry_after,
            remembered_for: None,
        };
    }
    let raw = String::from_utf8_lossy(body);
    // Redacted before it is cut (a secret cut in two would not be found), and a PingOne
    // error's fields once decoded (JSON escapes such as `\/` or `\u0073` would hide it).
    let text = redact_secret(&raw, client_id, client_secret);
    let description = match serde_json::from_str::<super::ApiError>(&raw) {
        Ok(error) if error.code.is_some() || error.message.is_some() => format!(
            "not an OAuth error response but a PingOne error: {} {}",
            error.code.as_deref().map_or_else(
                || "(no code)".to_owned(),
                |code| redact_secret(code, client_id, client_secret)
            ),
            error.message.as_deref().map_or_else(
                || "(no message)".to_owned(),
                |message| redact_secret(message, client_id, client_secret)
            )
        ),
        _ if answer.encoding.is_some() => format!(
            "not an OAuth error response that can be read: {}",
            answer.encoding_text().unwrap_or_default()
        ),
        _ if text.trim().is_empty() => "not an OAuth error response: the body is empty".to_owned(),
        _ => format!(
            "not an OAuth error response; the body starts with {:?}",
            super::error::body_start(text.as_bytes())
        ),
    };
    // Not a token endpoint's answer: most often the token URL is not one (a wrong auth base
    // URL or environment, a proxy's page), so the error says which URL was asked.
    let description = format!(
        "{description} (the token URL asked: {})",
        super::error::shown_url(url)
    );
    Error::Token {
        status,
        code: "unknown_error".to_owned(),
        description: Some(description),
        attempts,
        retry_after,
        remembered_for: None,
    }
}

/// `text` with the client secret replaced by `***` as it is, form-encoded (as
/// `CLIENT_SECRET_POST` sends it), inside the Basic credentials, and JSON-escaped (with `/`
/// written `/` or `\/`), as a JSON body that echoes it writes it.
fn redact_secret(text: &str, client_id: &str, client_secret: &Secret) -> String {
    use base64::Engine as _;

    let secret = client_secret.expose();
    if secret.is_empty() {
        return text.to_owned();
    }
    let basic = base64::engine::general_purpose::STANDARD.encode(format!(
        "{}:{}",
        form_encode(client_id),
        form_encode(secret)
    ));
    let mut text = text.to_owned();
    for form in [basic, form_encode(secret)] {
        if text.contains(&form) {
            text = text.replace(&form, "***");
        }
    }
    client_secret.redact(&text)
}

/// `application/x-www-form-urlencoded` encoding of one value (the WHATWG URL standard).
fn form_encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for byte in value.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'*' | b'-' | b'.' | b'_' => {
                out.push(byte as char);
            }
            b' ' => out.push('+'),
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn form_encoding() {
        assert_eq!(super::form_encode("a b+c/d~é"), "a+b%2Bc%2Fd%7E%C3%A9");
    }

    /// The token request carries the client secret where no `Debug` shows it: in a sensitive
    /// `Authorization: Basic` header (reqwest's `basic_auth`), or in the form body, which a
    /// request's `Debug` leaves out.
    #[test]
    fn the_token_request_shows_no_secret() {
        use super::{ClientAuthMethod, Secret, Transport, token_request};
        let http = crate::pingone::http_client::HttpSettings::default()
            .build(
                std::time::Duration::from_secs(1),
                reqwest::header::HeaderValue::from_static("test"),
            )
            .unwrap();
        let transport = Transport::new(
            http,
            crate::pingone::RetryPolicy::default(),
            std::time::Duration::from_secs(1),
            None,
            None,
            None,
            None,
        );
        let secret = Secret::new("very-secret".to_owned());
        for method in [ClientAuthMethod::Basic, ClientAuthMethod::Post] {
            let request = token_request(
                &transport,
                "https://auth.pingone.eu/env/as/token",
                method,
                "worker",
                &secret,
            )
            .build()
            .unwrap();
            if let Some(header) = request.headers().get(reqwest::header::AUTHORIZATION) {
                assert!(header.is_sensitive());
            }
            let shown = format!("{request:?}");
            assert!(!shown.contains("very-secret"), "{shown}");
            // `worker:very-secret` in base64.
            assert!(!shown.contains("d29ya2VyOnZlcnktc2VjcmV0"), "{shown}");
        }
    }

    /// `expires_in` as a number (an integral float too) or a string of digits, also with
    /// serde_json's `arbitrary_precision` on (any crate of a build may turn it on: run with
    /// `--features serde_json/arbitrary_precision`).
    #[test]
    fn expires_in_as_a_number_or_digits() {
        let read = |body: &str| {
            serde_json::from_str::<super::TokenResponse>(body).map(|response| response.expires_in)
        };
        for (body, seconds) in [
            (r#"{"access_token": "t", "expires_in": 3600}"#, Some(3600)),
            (r#"{"access_token": "t", "expires_in": "3600"}"#, Some(3600)),
            (
                r#"{"access_token": "t", "expires_in": "03600"}"#,
                Some(3600),
            ),
            (r#"{"access_token": "t", "expires_in": 0}"#, Some(0)),
            (r#"{"access_token": "t", "expires_in": 3600.0}"#, Some(3600)),
            (r#"{"access_token": "t", "expires_in": 3.6e3}"#, Some(3600)),
            (
                r#"{"access_token": "t", "expires_in": 18446744073709551615}"#,
                Some(u64::MAX),
            ),
            (r#"{"access_token": "t", "expires_in": null}"#, None),
            (r#"{"access_token": "t"}"#, None),
        ] {
            assert_eq!(read(body).unwrap(), seconds, "{body}");
        }
        for body in [
            r#"{"access_token": "t", "expires_in": -1}"#,
            r#"{"access_token": "t", "expires_in": 1.5}"#,
            r#"{"access_token": "t", "expires_in": -1.0}"#,
            r#"{"access_token": "t", "expires_in": 1.8446744073709552e19}"#,
            r#"{"access_token": "t", "expires_in": 1e300}"#,
            r#"{"access_token": "t", "expires_in": "-1"}"#,
            r#"{"access_token": "t", "expires_in": ""}"#,
            r#"{"access_token": "t", "expires_in": true}"#,
            r#"{"access_token": "t", "expires_in": {}}"#,
        ] {
            let error = read(body).unwrap_err().to_string();
            assert!(error.contains("expires_in"), "{body}: {error}");
        }
        // An object or an array is named, not quoted: it may hold a token (the body is never
        // quoted for that reason), where a number, a string or a literal cannot.
        for body in [
            r#"{"access_token": "t", "expires_in": {"access_token": "very-secret"}}"#,
            r#"{"access_token": "t", "expires_in": ["very-secret", 3600]}"#,
        ] {
            let error = read(body).unwrap_err().to_string();
            assert!(error.contains("expires_in"), "{body}: {error}");
            assert!(!error.contains("very-secret"), "{body}: {error}");
        }
    }
}
