//! [`TokenProvider`]: the worker's token cache, its refresh, and what it remembers of a failed
//! fetch.
//!
//! This file holds the cache's state and its quick reads and writes; its parts, one job a
//! file: `wait.rs` (a call's wait for the token, [`TokenProvider::token`]), `fetching.rs` (a
//! fetch under way on a task of its own, [`Fetching`], and starting one), `fetch.rs` (the
//! token request and the check of its answer), `record.rs` (recording a fetch's result,
//! and until when a failure is every call's answer).

use core::fmt;
use std::sync::atomic::AtomicU64;
use std::sync::{Arc, Weak};
use std::time::Duration;

use tokio::time::Instant;

use super::super::Error;
use super::super::later;
use super::super::secret::Secret;
use super::super::transport::{AccessTokens, Transport};
use super::{Kind, REFUSAL_HOLD, TokenSource};
use fetching::Fetching;

mod api_path;
mod fetch;
mod fetching;
mod record;
#[cfg(test)]
mod tests;
mod wait;

struct Cached {
    token: Secret,
    /// The number of the fetch that brought it (see [`Provider::fetches`]): the calls
    /// that waited on that fetch take this token, even when it is already due (a lifetime of
    /// zero, or shorter than the fetch took), as they take its error when it fails.
    fetch: u64,
    /// When a call fetches a new token; the token is still sent until `usable_until`.
    refresh_at: Instant,
    /// Half the refresh margin before the token expires: while a refresh is under way, or
    /// after one failed, the token is sent until then.
    usable_until: Instant,
}

/// A copy of the cached token, read without the lock of the state ([`TokenProvider::ready`]).
#[derive(Clone)]
struct Usable {
    token: Secret,
    /// When it is due for a refresh ([`Cached::refresh_at`]).
    refresh_at: Instant,
}

/// What the lock guards: the cached token, and how the last fetch failed, if it did.
#[derive(Default)]
struct State {
    cached: Option<Cached>,
    /// The number of the last fetch (see [`Provider::fetches`]) when it failed, with a
    /// copy of its error for the calls that waited on it.
    failure: Option<(u64, Error)>,
    /// Until when that failure is also every later call's answer: its `Retry-After`, capped
    /// as the client's own waits for one are (the policy's `max_retry_after`). The token
    /// endpoint said when to come back; asked again by the next call at once, it answered
    /// another 429, and a sync job sent one token request per line.
    held_until: Option<Instant>,
    /// The fetches under way ([`Fetching`]), each held by the calls that wait for it, and
    /// gone once they all are: one at most for the runtimes that it serves
    /// ([`Fetching::serves`]), which is one for each `current_thread` runtime whose calls
    /// wait (the worker threads of a server, each with a runtime of its own), or one that
    /// a `multi_thread` runtime runs for all. One for all, the last started, the calls of two
    /// such runtimes that came in turn each started a fetch: the other runtime's did not
    /// serve them, and had taken the place of their own runtime's.
    in_flight: Vec<Weak<Fetching>>,
}

/// The part of a worker's token cache that never waits for a fetch under way.
#[derive(Default)]
struct Quick {
    /// A copy of the cached token, sent without taking the lock of `state` until it is due
    /// ([`ready`](TokenProvider::ready)). Set and cleared with `state`, under its lock (and
    /// cleared at once by [`invalidate`](TokenProvider::invalidate)).
    usable: Option<Usable>,
    /// The cached token once PingOne refused it with 401, dropped from `state` by the next
    /// call that holds its lock: [`invalidate`](TokenProvider::invalidate) does not wait for
    /// the lock.
    refused: Option<Secret>,
    /// Until when a token refused with 401 is not replaced: [`REFUSAL_HOLD`] after a fresh
    /// token was refused too ([`refused_fresh`](TokenProvider::refused_fresh)).
    keep_until: Option<Instant>,
}

/// Hands out access tokens: the static one, or a cached worker token. Cheap to clone (the
/// clones share one cache), so that a fetch runs on a task of its own.
#[derive(Clone)]
pub(crate) struct TokenProvider(Arc<Provider>);

impl core::ops::Deref for TokenProvider {
    type Target = Provider;

    fn deref(&self) -> &Provider {
        &self.0
    }
}

/// What a [`TokenProvider`] and its clones share.
pub(crate) struct Provider {
    source: TokenSource,
    token_url: Option<String>,
    /// Whether `token_url` was made of an auth base URL that ends in the users API's path,
    /// `/v1` ([`api_path::ends_in_api_path`]): a refusal of a token request then says so.
    auth_base_in_api_path: bool,
    refresh_before: Duration,
    /// Never held across an await: a fetch runs without it ([`Fetching`]).
    state: std::sync::Mutex<State>,
    /// What is read and written without waiting for `state`'s lock (held during a fetch).
    quick: std::sync::Mutex<Quick>,
    /// How many fetches have ended (in success or failure), read by a call before it waits
    /// for the lock: a failure numbered higher ended while it waited, and is its answer too.
    fetches: AtomicU64,
    /// The fetches that no call waits for any more, still under way ([`Fetching`]): one at
    /// most for each `current_thread` runtime, and one for the `multi_thread` runtimes (which
    /// drive their tasks on threads of their own). A call that waits for a fetch takes their
    /// token too, if it comes first. Each runs until it ends (its attempts and timeouts bound
    /// it, or its runtime shuts down), the client dropped or not. A lock of its own, never
    /// held while `state`'s is taken (a [`Fetching`] dropped under `state`'s lock takes it).
    abandoned: std::sync::Mutex<Vec<Arc<Fetching>>>,
}

impl Provider {
    /// The fetches that no call waits for any more ([`Provider::abandoned`]).
    fn abandoned(&self) -> std::sync::MutexGuard<'_, Vec<Arc<Fetching>>> {
        self.abandoned
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

impl AccessTokens for TokenProvider {
    fn ready(&self) -> Option<Secret> {
        TokenProvider::ready(self)
    }

    fn token(
        &self,
        transport: &Arc<Transport>,
    ) -> impl Future<Output = Result<Secret, Error>> + Send {
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
        let token_url_given = token_url;
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
        let auth_base_in_api_path = token_url.is_some()
            && token_url_given.is_none()
            && auth_base_url.is_some_and(api_path::ends_in_api_path);
        TokenProvider(Arc::new(Provider {
            source,
            token_url,
            auth_base_in_api_path,
            refresh_before,
            state: std::sync::Mutex::new(State::default()),
            quick: std::sync::Mutex::new(Quick::default()),
            fetches: AtomicU64::new(0),
            abandoned: std::sync::Mutex::new(Vec::new()),
        }))
    }

    /// Whether `error`, which a call got, is the answer of the last token fetch, a 2xx that
    /// is no token response (a proxy's sign-in page at the token URL, a `token_type` other
    /// than `Bearer`: [`Error::Decode`]), with no token cached since: every call that needs a
    /// token gets that answer, again without a request for [`REFUSAL_HOLD`], as it gets an
    /// OAuth refusal that no retry fixes. (A refresh that fails while the cached token still
    /// serves records no failure.) A 2xx of the users API that does not decode, which a call
    /// sent with an earlier token got while that fetch failed, is that call's own: `false`.
    pub(crate) fn gave_no_token(&self, error: &Error) -> bool {
        let Error::Decode {
            status,
            reason,
            body_start,
            ..
        } = error
        else {
            return false;
        };
        (200..300).contains(status)
            && matches!(
                &self.state().failure,
                Some((_, Error::Decode {
                    status: held_status,
                    reason: held_reason,
                    body_start: held_body_start,
                    ..
                })) if held_status == status
                    && held_reason == reason
                    && held_body_start == body_start
            )
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

    /// The cached token and what the last fetch left; never held across an await.
    fn state(&self) -> std::sync::MutexGuard<'_, State> {
        self.state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
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

/// The end of a hold of `wait` from `now`: a wait past any `Instant` (a `Retry-After` of
/// `u64::MAX` seconds under a `max_retry_after` of `Duration::MAX`, which leaves it uncapped)
/// holds for a century instead ([`later::after`]: `+` panicked on the overflow inside the
/// call).
fn hold_end(now: Instant, wait: Duration) -> Instant {
    Instant::from_std(later::after(now.into_std(), wait))
}
