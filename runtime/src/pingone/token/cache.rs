//! [`TokenProvider`]: the worker's token cache, its refresh, and what it remembers of a failed
//! fetch.

use core::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Weak};
use std::time::Duration;

use futures_util::future::Either;
use tokio::time::Instant;
use tracing::Instrument as _;

use super::super::Error;
use super::super::later;
use super::super::secret::Secret;
use super::super::transport::{AccessTokens, Transport};
use super::request::{redact_secret, token_request};
use super::response::{
    TokenResponse, is_form_encoded_token, is_oauth_error, not_an_object, quotable_start,
    token_error,
};
use super::{Kind, NOT_A_BEARER_TOKEN, REFUSAL_HOLD, TokenSource, is_bearer_token};

/// The longest a fetched token is cached, whatever its `expires_in` says: a day.
const MAX_TOKEN_LIFETIME_SECS: u64 = 24 * 60 * 60;

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

/// A token fetch under way on a task of its own, shared by the calls that wait for it: a
/// call kept but no longer polled (a branch of a `select!` in a loop, a sync stream kept
/// after a `break`) holds up none of the others, as it did when the fetch ran inside the
/// future of the call that started it. When the last call waiting for it is dropped (its
/// caller's timeout ran out), the next call makes a fetch of its own rather than wait for the
/// same slow answer alone; but the fetch left goes on, kept in [`Provider::abandoned`] (one
/// at most for each runtime that drives it, the oldest: any other is aborted), and its token
/// serves the calls that come before theirs arrives. Aborted, calls whose callers' timeouts were shorter than the token
/// endpoint's answer each started a fetch that the next timeout cut short: none ever got a
/// token, and each sent a token request.
struct Fetching {
    /// `None` once the fetch is given up, or moved into [`Provider::abandoned`].
    task: Option<tokio::task::AbortHandle>,
    /// Set to `true` by the task once it has recorded its result in the state; closed
    /// without it if the task ended otherwise (its runtime shut down, or a panic).
    done: tokio::sync::watch::Receiver<bool>,
    /// The runtime of the task when it is a `current_thread` one, which runs its tasks only
    /// while a thread is inside its `block_on`: a call of another runtime does not wait for
    /// it ([`Fetching::serves`]).
    driven_only_in_block_on: Option<tokio::runtime::Id>,
    /// The cache whose [`Provider::abandoned`] keeps the fetch once no call waits for it;
    /// empty for the fetch kept there, which is aborted when dropped.
    provider: Weak<Provider>,
}

impl Fetching {
    /// Whether the fetch has ended (or was given up).
    fn is_over(&self) -> bool {
        self.task
            .as_ref()
            .is_none_or(tokio::task::AbortHandle::is_finished)
    }

    /// Whether a call on the runtime of `handle` may wait for this fetch: it runs on that
    /// runtime, or on one that runs its tasks on threads of its own (multi-thread). A fetch
    /// on another runtime's `current_thread` task moves only while that runtime's thread is
    /// inside `block_on`: between two `block_on`s (a program calling from synchronous code),
    /// its own caller dropped by a timeout, a call of another runtime waiting for it waited
    /// for ever, as long as that runtime was kept.
    fn serves(&self, handle: &tokio::runtime::Handle) -> bool {
        self.driven_only_in_block_on
            .is_none_or(|runtime| runtime == handle.id())
    }
}

impl Drop for Fetching {
    /// The last call waiting for the fetch is gone: the fetch goes on as an abandoned one,
    /// unless another is that the same runtimes drive (which is older, and answered sooner).
    /// One for each: an abandoned fetch of an idle `current_thread` runtime (its thread
    /// between two `block_on`s, for as long as it likes) never ends, and kept as the only
    /// one, it had every later fetch of any other runtime aborted as its caller gave up.
    fn drop(&mut self) {
        let Some(task) = self.task.take() else {
            return;
        };
        if task.is_finished() {
            return;
        }
        if let Some(provider) = self.provider.upgrade() {
            let mut abandoned = provider.abandoned();
            // Dropped here: an abandoned fetch has no provider, and is aborted.
            abandoned.retain(|other| !other.is_over());
            if !abandoned
                .iter()
                .any(|other| other.driven_only_in_block_on == self.driven_only_in_block_on)
            {
                abandoned.push(Arc::new(Fetching {
                    task: Some(task),
                    done: self.done.clone(),
                    driven_only_in_block_on: self.driven_only_in_block_on,
                    provider: Weak::new(),
                }));
                return;
            }
        }
        task.abort();
    }
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
        TokenProvider(Arc::new(Provider {
            source,
            token_url,
            refresh_before,
            state: std::sync::Mutex::new(State::default()),
            quick: std::sync::Mutex::new(Quick::default()),
            fetches: AtomicU64::new(0),
            abandoned: std::sync::Mutex::new(Vec::new()),
        }))
    }

    /// The access token to send now. For a worker, concurrent callers wait for one fetch
    /// instead of each making their own ([`Fetching`], on a task of its own), and take its
    /// token even when it is already due (`expires_in: 0`); when that fetch fails, the
    /// callers that waited on it get its error rather than each making a fetch of its own in
    /// turn (ten waiters on a token endpoint that times out would
    /// otherwise wait out ten retry budgets, one after another). A call that comes later
    /// fetches again, unless the failure's answer said when to come back (`Retry-After`, on a
    /// 429 or a 503, capped at the policy's `max_retry_after`) or no retry can fix it
    /// ([`REFUSAL_HOLD`]): until then, a later call gets the same error (its `Retry-After` as
    /// the server wrote it, and `remembered_for` the time left) without a request.
    ///
    /// A token due for its refresh but still usable (see [`Cached::usable_until`]) is not
    /// waited on: while one call refreshes it, the others send it; and when the refresh
    /// fails, it stays cached and is sent, and the refresh is tried again halfway to the end
    /// of its use. So a slow or failing token endpoint before expiry delays one call, and
    /// fails none.
    ///
    /// A call dropped while it waits leaves the fetch to the others; once no call waits for
    /// it, the next call makes its own, and takes the token of the fetch left if it comes
    /// first ([`Provider::abandoned`]). A call does not wait for
    /// a fetch that runs on another runtime's `current_thread` task, which moves only while
    /// that runtime is inside `block_on` ([`Fetching::serves`]): it makes its own.
    pub(crate) async fn token(&self, transport: &Arc<Transport>) -> Result<Secret, Error> {
        if !self.source.is_worker() {
            let Kind::Static(token) = &self.source.0 else {
                unreachable!()
            };
            return Ok(token.clone());
        }
        // Read before the state: a fetch numbered higher ended after this call asked, and its
        // token or error is this call's answer.
        let seen = self.fetches.load(Ordering::Acquire);
        // The task of the fetch this call started, if it did.
        let mut started = None;
        let runtime = tokio::runtime::Handle::current();
        // The fetch waited for last, kept until the next one is in hand: dropped between the
        // two, it would be given up when this call was its last waiter.
        let mut _waited = None;
        loop {
            let fetching = {
                let mut state = self.state();
                self.drop_refused(&mut state);
                let now = Instant::now();
                if let Some(cached) = state.cached.as_ref()
                    && (now < cached.refresh_at || cached.fetch > seen)
                {
                    return Ok(cached.token.clone());
                }
                if let Some((number, failure)) = &state.failure {
                    let mut error = shared_copy(failure);
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
                state
                    .in_flight
                    .retain(|in_flight| in_flight.strong_count() > 0);
                // A refresh under way: a token still usable is sent now.
                if !state.in_flight.is_empty()
                    && let Some(cached) = state.cached.as_ref()
                    && now < cached.usable_until
                {
                    return Ok(cached.token.clone());
                }
                let serving = state
                    .in_flight
                    .iter()
                    .filter_map(Weak::upgrade)
                    .find(|fetching| fetching.serves(&runtime));
                match serving {
                    Some(fetching) => fetching,
                    // None, or only those of `current_thread` runtimes that are not this
                    // call's: a fetch of its own, which this runtime's later calls share.
                    None => {
                        let (fetching, task) = self.start_fetch(transport);
                        state.in_flight.push(Arc::downgrade(&fetching));
                        started = Some(task);
                        fetching
                    }
                }
            };
            let mut done = fetching.done.clone();
            // A fetch given up by its callers may end first: its token serves this call too.
            // Its failure does not end the wait, which goes on for this call's own fetch.
            let mut abandoned_ended: Vec<_> = self
                .abandoned()
                .iter()
                .filter(|other| !other.is_over() && !Arc::ptr_eq(other, &fetching))
                .map(|other| {
                    let mut other_done = other.done.clone();
                    Box::pin(async move {
                        let _ended = other_done.wait_for(|done| *done).await;
                    })
                })
                .collect();
            let mut own = std::pin::pin!(async { done.wait_for(|done| *done).await.is_ok() });
            let ended_with_a_result = loop {
                if abandoned_ended.is_empty() {
                    break own.await;
                }
                let any_abandoned_ended =
                    futures_util::future::select_all(core::mem::take(&mut abandoned_ended));
                match futures_util::future::select(own.as_mut(), any_abandoned_ended).await {
                    Either::Left((ended, _)) => break ended,
                    Either::Right((((), _, others), _)) => {
                        if let Some(cached) = self.state().cached.as_ref()
                            && cached.fetch > seen
                        {
                            return Ok(cached.token.clone());
                        }
                        abandoned_ended = others;
                    }
                }
            };
            if !ended_with_a_result {
                // Ended without a result: its panic (tokio's own, on a runtime without its IO
                // or time driver) is the panic of the call that started it, as when the fetch
                // ran in that call; the others (maybe on another runtime) fetch again, as
                // they do when its runtime shut down.
                if let Some(task) = started.take()
                    && let Err(error) = task.await
                    && error.is_panic()
                {
                    std::panic::resume_unwind(error.into_panic());
                }
                self.state()
                    .in_flight
                    .retain(|in_flight| !core::ptr::eq(in_flight.as_ptr(), &*fetching));
            }
            _waited = Some(fetching);
        }
    }

    /// Starts a fetch on a task of its own, which records its result in the state.
    fn start_fetch(
        &self,
        transport: &Arc<Transport>,
    ) -> (Arc<Fetching>, tokio::task::JoinHandle<()>) {
        let (tell, done) = tokio::sync::watch::channel(false);
        let provider = self.clone();
        let transport = Arc::clone(transport);
        let span = self.fetch_span();
        let in_task = span.clone();
        let runtime = tokio::runtime::Handle::current();
        let provider_of_task = Arc::clone(&self.0);
        let mut join = None;
        let fetching = Arc::new_cyclic(|this: &Weak<Fetching>| {
            let this = this.clone();
            let task = tokio::spawn(
                async move {
                    let span = in_task;
                    // `fetch` records its outcome on the span, once.
                    let result = provider.fetch(&transport, &span).await;
                    provider.record(result, &transport, &this);
                    tell.send_replace(true);
                }
                .instrument(span),
            );
            let fetching = Fetching {
                task: Some(task.abort_handle()),
                done,
                driven_only_in_block_on: (runtime.runtime_flavor()
                    == tokio::runtime::RuntimeFlavor::CurrentThread)
                    .then(|| runtime.id()),
                provider: Arc::downgrade(&provider_of_task),
            };
            join = Some(task);
            fetching
        });
        let task = join.expect("set by `new_cyclic`'s closure");
        (fetching, task)
    }

    /// The `tracing` span of a fetch, `pingone.token` (level INFO), with the fields of a
    /// call's `pingone.request`: `method`, `path` (the token endpoint's template), the
    /// worker's `environment`, and once known `status`, `attempts`, `error_id` and
    /// `correlation_id`. Its retries'
    /// events happen in it: the fetch runs in a task of its own, where they happened in no
    /// span, and a retry of the token endpoint could not be told from one of the API. It has
    /// no parent, as one fetch serves every call waiting for it, and follows from the call
    /// that started it.
    fn fetch_span(&self) -> tracing::Span {
        let environment = match &self.source.0 {
            Kind::Worker { environment_id, .. } => environment_id.as_str(),
            Kind::Static(_) => "",
        };
        let span = tracing::info_span!(
            parent: None,
            "pingone.token",
            method = "POST",
            path = "/{environmentID}/as/token",
            environment,
            status = tracing::field::Empty,
            attempts = tracing::field::Empty,
            error_id = tracing::field::Empty,
            correlation_id = tracing::field::Empty,
        );
        span.follows_from(tracing::Span::current());
        span
    }

    /// Records the result of the fetch that ended (`fetching`): the token it brought, or its
    /// error. The other fetches under way (those of other runtimes, see [`Fetching::serves`])
    /// stay the ones that later calls wait for.
    fn record(
        &self,
        result: Result<Cached, Error>,
        transport: &Transport,
        fetching: &Weak<Fetching>,
    ) {
        let mut state = self.state();
        state
            .in_flight
            .retain(|in_flight| !in_flight.ptr_eq(fetching) && in_flight.strong_count() > 0);
        // Counted under the lock: a call that reads the count after this sees the fetch done.
        let number = self.fetches.fetch_add(1, Ordering::AcqRel) + 1;
        match result {
            Ok(mut cached) => {
                cached.fetch = number;
                // A token asked for later (a fetch that ended first, this one abandoned by its
                // callers) stays: it lives longer, and was issued after any revocation that
                // this one's was not.
                self.drop_refused(&mut state);
                if let Some(held) = state.cached.as_mut()
                    && held.refresh_at > cached.refresh_at
                {
                    held.fetch = number;
                    return;
                }
                self.set_usable(Some(Usable {
                    token: cached.token.clone(),
                    refresh_at: cached.refresh_at,
                }));
                let in_flight = core::mem::take(&mut state.in_flight);
                *state = State {
                    cached: Some(cached),
                    failure: None,
                    held_until: None,
                    in_flight,
                };
            }
            Err(error) => {
                // Refused while the fetch was under way: not kept below.
                self.drop_refused(&mut state);
                let now = Instant::now();
                let state = &mut *state;
                // A token not due that another fetch brought meanwhile (this one abandoned by
                // its callers): the failure changes nothing.
                if state
                    .cached
                    .as_ref()
                    .is_some_and(|cached| now < cached.refresh_at)
                {
                    return;
                }
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
                    return;
                }
                state.cached = None;
                self.set_usable(None);
                state.held_until = held_until(&error, now, transport);
                state.failure = Some((number, error));
            }
        }
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

    /// Fetches a worker token from the token endpoint, recording each answer's status and
    /// attempts on the fetch's `span` ([`fetch_span`](Self::fetch_span)), or, when no answer
    /// came (a timeout, a failed connection), what the error says of them: once each (a
    /// refused request's were recorded twice, from its answer and again from its error).
    async fn fetch(
        &self,
        transport: &Arc<Transport>,
        span: &tracing::Span,
    ) -> Result<Cached, Error> {
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
        let mut sent = 0;
        let (answer, parsed) = loop {
            let answer = Box::pin(transport.send(
                None::<&TokenProvider>,
                &|_| token_request(transport, url, *method, client_id, client_secret),
                // What an answer echoes of the request's secret is taken out of what a retry
                // shows.
                Some(&|text| redact_secret(text, client_id, client_secret)),
                // A token request is never retried on 403 or 404; asking for a token twice is
                // harmless.
                Duration::ZERO,
                true,
                sent,
            ))
            .await
            .map_err(|error| {
                // No answer to record below: what the error says of the last attempt.
                let error = refusal_cut_short(error, url);
                crate::pingone::client::record_error(span, &error);
                error
            })?;
            span.record("status", answer.status);
            span.record("attempts", answer.attempts);
            if !(200..300).contains(&answer.status) {
                if let Some(id) = answer
                    .correlation_id_without(|raw| redact_secret(raw, client_id, client_secret))
                {
                    span.record("correlation_id", id.as_str());
                }
                return Err(token_error(&answer, url, client_id, client_secret));
            }
            let parsed = serde_json::from_slice::<TokenResponse>(&answer.body);
            // JSON cut short on the way (a proxy truncated it): the token it held is lost, and
            // asking again is harmless, as a GET's is (an empty body is not JSON cut short).
            if let Err(error) = &parsed
                && error.is_eof()
                && !answer.body.iter().all(u8::is_ascii_whitespace)
                && transport
                    .pause_after_cut_json(answer.attempts, answer.status)
                    .await
            {
                sent = answer.attempts;
                continue;
            }
            break (answer, parsed);
        };
        // An OAuth error answered with a 2xx (GitHub's token endpoint does, and gateways that
        // map every upstream answer to 200): its code and description, as for an error status,
        // rather than a token response missing its `access_token`.
        if parsed.is_err() && is_oauth_error(&answer.body) {
            return Err(token_error(&answer, url, client_id, client_secret));
        }
        let response: TokenResponse = parsed.map_err(|error| {
            // The reason quotes the value it refused (`invalid type: string "..."`), which may
            // be the secret echoed; for a body that is no JSON object, the whole body, which
            // may be the token: said by its kind instead ([`not_an_object`]).
            let error = if answer.is_wide_text() {
                "the body is UTF-16 or UTF-32 (a byte order mark or NUL bytes at its start, \
                 RFC 4627 §3), where a token response must be UTF-8 JSON (RFC 8259 §8.1)"
                    .to_owned()
            } else {
                not_an_object(&answer.body).unwrap_or_else(|| error.to_string())
            };
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
                retry_after: None,
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
                retry_after: None,
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
                retry_after: None,
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

/// Until when a failed fetch's `error` is every later call's answer, if at all: the
/// `Retry-After` of the token endpoint's answer (capped as the client's own waits are, at the
/// policy's `max_retry_after`); and [`REFUSAL_HOLD`] for an answer that no retry can fix
/// (the later of the two when both apply), a 2xx that is no token response included (a
/// proxy's page, a `token_type` other than `Bearer`: [`Error::Decode`]), which a request sent
/// at once gets again. An error without an answer (a timeout, the network) is not held: the
/// next call tries again.
fn held_until(error: &Error, now: Instant, transport: &Transport) -> Option<Instant> {
    let retry_after = match error {
        Error::Token { retry_after, .. } => retry_after,
        Error::Decode { status, .. } if (200..300).contains(status) => {
            return Some(hold_end(now, REFUSAL_HOLD));
        }
        _ => return None,
    };
    let asked = retry_after
        .filter(|wait| !wait.is_zero())
        .map(|wait| wait.min(transport.retry().max_retry_after_value()));
    let refused = (!error.is_retryable()).then_some(REFUSAL_HOLD);
    asked.max(refused).map(|wait| hold_end(now, wait))
}

/// A refusal of the token endpoint whose body the connection cut short (`Error::Incomplete`
/// with a status that is no success: a gateway that closes as it refuses) as the refusal it
/// is, [`Error::Token`] with its status and `unknown_error` (the OAuth code did not arrive):
/// held as a whole refusal is, and stopping a sync job as one does. Passed on as
/// `Incomplete`, a wrong secret behind such a gateway sent one token request per call. Any
/// other error as it is.
#[cold]
fn refusal_cut_short(error: Error, url: &str) -> Error {
    match error {
        Error::Incomplete {
            status,
            expected_bytes,
            attempts,
            retry_after,
            ..
        } if !(200..300).contains(&status) => Error::Token {
            status,
            code: "unknown_error".into(),
            description: Some(format!(
                "the connection closed inside the answer's body{}, before its code arrived \
                 (the token URL asked: {})",
                expected_bytes
                    .map_or_else(String::new, |bytes| format!(" ({bytes} bytes announced)")),
                url.split(['?', '#']).next().unwrap_or(url)
            )),
            attempts,
            retry_after,
            remembered_for: None,
        },
        error => error,
    }
}

/// The end of a hold of `wait` from `now`: a wait past any `Instant` (a `Retry-After` of
/// `u64::MAX` seconds under a `max_retry_after` of `Duration::MAX`, which leaves it uncapped)
/// holds for a century instead ([`later::after`]: `+` panicked on the overflow inside the
/// call).
fn hold_end(now: Instant, wait: Duration) -> Instant {
    Instant::from_std(later::after(now.into_std(), wait))
}

/// A copy of a failed fetch's error for the calls that waited on it (an error that a fetch
/// does not give, such as an answer of the users API, in words). A transport failure shares
/// reqwest's error, which is not `Clone`, through its `Arc`: waiters that each fetched in
/// turn would each spend the whole retry budget on a token endpoint that is down.
fn shared_copy(error: &Error) -> Error {
    match error {
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
            retry_after,
        } => Error::Decode {
            status: *status,
            reason: reason.clone(),
            body_start: body_start.clone(),
            attempts: *attempts,
            retry_after: *retry_after,
        },
        Error::Timeout { timeout, attempts } => Error::Timeout {
            timeout: *timeout,
            attempts: *attempts,
        },
        Error::Transport { source, attempts } => Error::Transport {
            source: std::sync::Arc::clone(source),
            attempts: *attempts,
        },
        Error::Incomplete {
            status,
            expected_bytes,
            source,
            attempts,
            retry_after,
        } => Error::Incomplete {
            status: *status,
            expected_bytes: *expected_bytes,
            source: std::sync::Arc::clone(source),
            attempts: *attempts,
            retry_after: *retry_after,
        },
        Error::Config(text) => Error::Config(text.clone()),
        Error::InvalidInput(text) => Error::InvalidInput(text.clone()),
        // Not given by a fetch: said in words.
        other => Error::Config(format!("the token fetch failed: {other}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A token PingOne refused with 401 ([`TokenProvider::invalidate`]) while a fetch was
    /// under way, and that is due for its refresh later than the token that fetch brings: the
    /// refused token is dropped before the two are compared, and the fetched one is cached.
    /// Compared first, the refused token was kept, as the one that lives longer; the next
    /// call then dropped it, and fetched again. Not reached from outside but in the moment
    /// between a 401 call's `invalidate` and its next `token`, when a fetch ends. (Mutation
    /// testing: not dropping the refused token first went unnoticed.)
    #[test]
    fn a_refused_token_is_dropped_before_the_fetched_one_is_compared_with_it() {
        let provider = TokenProvider::new(
            TokenSource::client_credentials("abfba8f6-49eb-49f5-a5d9-80ad5c98f9f6", "id", "s"),
            None,
            Some("http://127.0.0.1:9"),
            Duration::from_secs(60),
        );
        let http = crate::pingone::http_client::HttpSettings::default()
            .build(
                Duration::from_secs(1),
                reqwest::header::HeaderValue::from_static("test"),
            )
            .unwrap();
        let transport = Transport::new(
            http,
            crate::pingone::RetryPolicy::default(),
            Duration::from_secs(1),
            None,
            None,
            None,
            None,
        );
        let now = Instant::now();
        let refused = Secret::new("refused".to_owned());
        let fetched = Secret::new("fetched".to_owned());
        provider.state().cached = Some(Cached {
            token: refused.clone(),
            fetch: 1,
            refresh_at: now + Duration::from_secs(3000),
            usable_until: now + Duration::from_secs(3500),
        });
        provider.set_usable(Some(Usable {
            token: refused.clone(),
            refresh_at: now + Duration::from_secs(3000),
        }));
        provider.invalidate(&refused);
        provider.record(
            Ok(Cached {
                token: fetched.clone(),
                fetch: 0,
                refresh_at: now + Duration::from_secs(600),
                usable_until: now + Duration::from_secs(630),
            }),
            &transport,
            &Weak::new(),
        );
        assert!(provider.ready() == Some(fetched.clone()));
        let state = provider.state();
        let cached = state.cached.as_ref().unwrap();
        assert!(cached.token == fetched);
        assert_eq!(cached.fetch, 1);
    }
}
