//! [`Transport`]: the retrying HTTP sender that the client and the token source share, and
//! the HTTP client it sends with: the user's own `reqwest::Client`, or one built here
//! ([`HttpSettings`](super::http_client::HttpSettings)), one per tokio runtime
//! ([`RuntimePools`]).
//!
//! Beside the sender: `answer` reads the final [`Answer`] (a model, or the error it means),
//! `body` an answer's body up to [`MAX_BODY_BYTES`] and the headers its errors name,
//! `retry_after` the wait an answer asks for, `hold` the client-wide wait that a 429's or
//! 503's `Retry-After` sets, and `rate_limit` the client-side limiter.

use core::fmt;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use reqwest::header::{HeaderValue, USER_AGENT};

use super::error::{BODY_START_CHARS, certificate_error, not_tls, proxy_asks_for_credentials};
use super::retry::{RetryEvent, random_unit};
use super::runtime_pools::{CallClock, RuntimePools};
use super::secret::Secret;
use super::{Error, RetryPolicy};

/// The largest answer body that the client reads, in bytes: 16 MiB. PingOne's largest answer,
/// a page of [`MAX_PAGE_SIZE`](super::MAX_PAGE_SIZE) users of at most
/// [`MAX_PROFILE_BYTES`](super::MAX_PROFILE_BYTES) each, is about 3.3 MB; a larger body
/// (a misbehaving server or proxy) is [`Error::Decode`] rather than memory without bound,
/// unless its status is one that is retried (a 429 or a 5xx from a gateway): then the request
/// is retried as the status says, and the last attempt's too large body is the error. An
/// error answer's body is read as a PingOne error body (or the token endpoint's as an OAuth
/// error) up to 1 MiB only, which none of PingOne's comes near: a larger one is
/// [`Error::Decode`] (or [`Error::Token`] `unknown_error`) saying what arrived.
#[cfg(feature = "client")]
pub const MAX_BODY_BYTES: usize = 16 * 1024 * 1024;

mod answer;
mod body;
mod error_code;
mod hold;
pub(crate) mod landed;
mod rate_limit;
mod retry_after;

use body::{
    challenge_of, content_type_of, correlation_id_of, encoding_of, kept_correlation_id,
    kept_correlation_id_without, location_of, read_capped, without_byte_order_mark,
};
use error_code::retried_for_its_code;
use hold::RetryAfterHold;
use rate_limit::wait_for_turn;
pub(crate) use rate_limit::{RateLimiter, rate_limiter};
use retry_after::{body_retry_after, retry_after_and_date};

/// Sends requests with retries: the HTTP client, the retry policy and the per-attempt
/// timeout, shared by the users calls and the token fetches.
pub(crate) struct Transport {
    http: reqwest::Client,
    retry: RetryPolicy,
    timeout: Duration,
    /// The connect timeout of a client built here, if set: reported when connecting ran out.
    connect_timeout: Option<Duration>,
    /// For a client the user brought: the user agent set on each request, with the timeout,
    /// over the client's own. `None` for a client built here, whose defaults they are
    /// already (setting them again would cost every request a header insertion).
    per_request: Option<HeaderValue>,
    /// Spaces every request the client sends, retries included, when set.
    limiter: Option<RateLimiter>,
    /// Until when no request to the users API is sent: a 429's or 503's `Retry-After`, for
    /// every call of the client ([`RetryAfterHold`]).
    hold: RetryAfterHold,
    /// For a client built here: one connection pool per tokio runtime ([`RuntimePools`]).
    /// `None` for a client the user brought, whose one pool serves every runtime.
    pools: Option<RuntimePools>,
    /// When the last call started, for a client the user brought (the pools of a client
    /// built here have one each).
    calls: CallClock,
}

/// Where [`Transport::send`] takes each attempt's access token: the client's token provider
/// (`token/`), which sends its own token requests through this transport. A trait, so that
/// the transport needs nothing of the token module that uses it.
pub(crate) trait AccessTokens: Sync {
    /// The token to send now when it is at hand without waiting (the static token, or a cached
    /// worker token not yet due for its refresh); `None` means: ask
    /// [`token`](AccessTokens::token).
    fn ready(&self) -> Option<Secret>;

    /// The token to send now, fetched through `transport` if need be.
    fn token(
        &self,
        transport: &Arc<Transport>,
    ) -> impl Future<Output = Result<Secret, Error>> + Send;

    /// Whether the tokens are a worker's (fetched, so that a refused one can be replaced).
    fn is_worker(&self) -> bool;

    /// Drops `used`, a token refused with 401, so that the next attempt fetches a fresh one.
    fn invalidate(&self, used: &Secret);

    /// Whether a token refused with 401 may be replaced by a fresh one: not while a fresh one
    /// was refused too lately ([`refused_fresh`](AccessTokens::refused_fresh)).
    fn may_replace(&self) -> bool;

    /// Records that the fresh token fetched to replace a refused one was refused with 401 too:
    /// the API refuses the worker's tokens however new (another region's or environment's
    /// API, a worker without access), and another fetch would get another refused token.
    fn refused_fresh(&self);
}

/// The final answer of [`Transport::send`].
pub(crate) struct Answer {
    pub(crate) status: u16,
    /// The `Retry-After` wait, read only for retryable statuses (429 among them): the other
    /// headers are not kept.
    pub(crate) retry_after: Option<Duration>,
    pub(crate) body: Bytes,
    /// The answer's `Content-Encoding` when it is not `identity` (such as `gzip`): the client
    /// asks for none (it sends no `Accept-Encoding`) and decodes none, so the body is not
    /// readable, and its errors say why rather than quote compressed bytes as JSON.
    pub(crate) encoding: Option<String>,
    /// The `Location` of a 3xx answer ([`location_of`]), said in its error: where the
    /// redirect pointed (an `http://` base URL that a gateway sends to `https://`, another
    /// host or path) is what a user needs to fix the URL.
    pub(crate) location: Option<String>,
    /// The `Correlation-Id` of an answer that is no success ([`correlation_id_of`]), kept in
    /// its error ([`ApiError::correlation_id`](crate::pingone::ApiError::correlation_id)).
    pub(crate) correlation_id: Option<String>,
    /// The `WWW-Authenticate` challenges of a 400, 401 or 403 ([`challenge_of`]), said in its
    /// error when the body is not a PingOne error body: the only account of why a bearer
    /// token was refused that a gateway or resource server with an empty body gives.
    pub(crate) challenge: Option<String>,
    /// The `Content-Type` of an answer that is no success ([`content_type_of`]), said in its
    /// error when the body is not a PingOne error body: what arrived instead (`text/html`, a
    /// proxy's or load balancer's page).
    pub(crate) content_type: Option<String>,
    pub(crate) attempts: u32,
    /// The token the request carried (set by the client): taken out of the body wherever an
    /// error keeps a part of it, as a page that echoes the request's headers would show it.
    pub(crate) secret: Option<Secret>,
}

impl Transport {
    pub(crate) fn new(
        http: reqwest::Client,
        retry: RetryPolicy,
        timeout: Duration,
        connect_timeout: Option<Duration>,
        per_request: Option<HeaderValue>,
        limiter: Option<RateLimiter>,
        pools: Option<RuntimePools>,
    ) -> Self {
        Transport {
            http,
            retry,
            timeout,
            connect_timeout,
            per_request,
            limiter,
            hold: RetryAfterHold::default(),
            pools,
            calls: CallClock::new(),
        }
    }

    /// How many runtimes have a pool of their own now (`None` for a client the user brought).
    #[cfg(test)]
    pub(crate) fn runtime_pools(&self) -> Option<usize> {
        self.pools.as_ref().map(RuntimePools::runtimes)
    }

    /// The HTTP client to send with from the tokio runtime of the moment: that runtime's own
    /// pool for a client built here ([`RuntimePools`]), the user's client otherwise; and
    /// whether its pool was idle since [`IDLE_BEFORE_POLL`](super::runtime_pools::IDLE_BEFORE_POLL)
    /// ([`CallClock`]). [`Error::NoRuntime`] outside any tokio runtime, where reqwest would
    /// panic.
    fn http_here(&self) -> Result<(reqwest::Client, bool), Error> {
        let handle = tokio::runtime::Handle::try_current().map_err(|_| Error::NoRuntime)?;
        match &self.pools {
            Some(pools) => pools.client(&handle),
            None => Ok((self.http.clone(), self.calls.was_idle())),
        }
    }

    pub(crate) fn retry(&self) -> &RetryPolicy {
        &self.retry
    }

    pub(crate) fn timeout(&self) -> Duration {
        self.timeout
    }

    /// A request on the shared pool with the per-attempt timeout and the user agent: the
    /// built client's defaults, or set on the request for a client the user brought.
    pub(crate) fn request<U: reqwest::IntoUrl>(
        &self,
        method: reqwest::Method,
        url: U,
    ) -> reqwest::RequestBuilder {
        let request = self.http.request(method, url);
        match &self.per_request {
            None => request,
            Some(user_agent) => request
                .timeout(self.timeout)
                .header(USER_AGENT, user_agent.clone()),
        }
    }

    /// `body` (a token request's form, a patch's JSON: text) as a request sends it: as it is
    /// for the HTTP client built here, which follows no redirect; for a client the user
    /// brought, whose policy may follow them (reqwest's default does), as a body that reqwest
    /// cannot send twice. reqwest (tower-http's `FollowRedirect`) follows a redirect that
    /// sends the body again (a 307 or 308, a 301 or 302 of any method but POST) only when it
    /// can clone the body, and otherwise answers the redirect itself, which the client
    /// reports with its `Location`: a 307 from the token endpoint sent the client secret
    /// (`ClientAuthMethod::Post`) to wherever it pointed, and a PATCH's the patch. A 303, and
    /// a 301 or 302 of a POST, are still followed, as a GET without the body (and without the
    /// `Authorization` header on the way to another host). A request without a body (a GET)
    /// is not helped: tower-http takes an empty body for one it can clone. The same bytes go
    /// on the wire: its length is known, and sent as `Content-Length`.
    pub(crate) fn body(&self, body: Bytes) -> reqwest::Body {
        if self.per_request.is_none() {
            return body.into();
        }
        // Not copied when `body` holds its bytes alone (a token request's form).
        match String::from_utf8(Vec::from(body)) {
            Ok(text) => reqwest::Body::wrap(text),
            // Never: the client's bodies are JSON or a form, UTF-8 text.
            Err(error) => error.into_bytes().into(),
        }
    }

    /// Sends the request that `build` makes, again while the answer is retryable and the
    /// policy allows (403 and 404 too within `consistency_window` of the first attempt), and
    /// returns the last answer. A server certificate that is not trusted is not retried, nor
    /// an answer whose `Retry-After` is longer than the policy's `max_retry_after`.
    ///
    /// A request that is not `repeatable` (sent twice, it would act twice) is sent again only
    /// when the server cannot have acted on it: the connection failed, or the answer was 429
    /// (rate limited before anything was done) or 408 (the request not received whole in
    /// time, RFC 9110 §15.5.9), or 403 or 404 inside the consistency window (refused: nothing
    /// was applied).
    ///
    /// With `tokens`, each attempt asks it for the token of the moment, which `build` sends:
    /// a call whose retries outlast its token (a `Retry-After`, backoffs and timeouts add up
    /// to minutes) sends a fresh one rather than the token it started with. The answer's
    /// `secret` is the token of its attempt. A worker token refused with 401 is dropped and
    /// the request sent again with a fresh one, once per call, outside the policy's attempts.
    ///
    /// `sent` is how many attempts the call made before: 0 for a call's first send; a GET (or
    /// a token request) whose 2xx body was cut short is sent again after
    /// [`pause_after_cut_json`](Transport::pause_after_cut_json), its attempts counted on.
    ///
    /// With `tokens` (a request to the users API, not the token endpoint's), each attempt
    /// waits first until the client's `Retry-After` hold is over
    /// ([`wait_out_hold`](Transport::wait_out_hold)), and a 429 or 503 that asks to wait
    /// extends it ([`hold_for`](Transport::hold_for)): see [`RetryPolicy`], "One
    /// `Retry-After` for the whole client".
    ///
    /// `credentials` takes out of an answer's text the credentials that the request carries
    /// beside a bearer token (a token request's client secret, in every form it is sent),
    /// before a retry's `tracing` event shows the answer's `Correlation-Id`: a proxy that
    /// copies the request's headers there echoes them.
    pub(crate) async fn send<T: AccessTokens>(
        self: &Arc<Self>,
        tokens: Option<&T>,
        build: &(dyn Fn(Option<&Secret>) -> reqwest::RequestBuilder + Sync),
        credentials: Option<&(dyn Fn(&str) -> String + Sync)>,
        consistency_window: Duration,
        repeatable: bool,
        sent: u32,
    ) -> Result<Answer, Error> {
        // The clock is read only when a consistency window can retry 403 and 404: without
        // one, how long the call took never decides a retry.
        let started = (!consistency_window.is_zero()).then(tokio::time::Instant::now);
        // How long since the first attempt, for a 403 or 404 inside a consistency window; not
        // read by `RetryPolicy::retries` for other statuses, or without a window.
        let window_elapsed = |status: u16| match started {
            Some(started) if matches!(status, 403 | 404) => started.elapsed(),
            _ => Duration::MAX,
        };
        // Before anything else (the token, the limiter): outside a tokio runtime nothing can
        // be sent.
        let (http, idle) = self.http_here()?;
        if idle {
            // The runtime polls its connections first: one that the server closed while the
            // runtime was not running (between two `block_on`s) reads its close and leaves
            // the pool, rather than take this request and fail it unsent (`CallClock`).
            tokio::task::yield_now().await;
        }
        let mut attempt = sent;
        // Whether a worker token was refused with 401 and the request sent again with a
        // fresh one: once per call, so that a token PingOne refuses however fresh does not
        // loop.
        let mut reauthenticated = false;
        loop {
            attempt += 1;
            // The request sent again with a fresh token is not one of the policy's retries.
            let last = attempt
                >= self
                    .retry
                    .attempts()
                    .saturating_add(u32::from(reauthenticated));
            // The token first (a fetch under way is waited for before the turn, so that the
            // calls waiting on it do not all go out at once when it comes), then the turn, then
            // the token again if it became due meanwhile: behind a low rate and many calls the
            // wait for a turn can outlast the refresh margin.
            let mut token = match tokens {
                None => None,
                Some(tokens) => Some(self.token_of_the_moment(tokens).await?),
            };
            // The client's `Retry-After` hold, then the turn, then the token again if it became
            // due meanwhile; again if another call's answer set or extended the hold while this
            // one waited for its turn or for that token (a fetch takes a round trip, or a
            // token request's own retries: the hold was checked before it only, and the
            // request went into a hold set meanwhile).
            loop {
                let mut waited = false;
                if tokens.is_some() {
                    waited |= self.wait_out_hold(attempt - 1).await;
                }
                if let Some(limiter) = &self.limiter {
                    // A token request first: the calls that wait need the token it brings.
                    wait_for_turn(limiter, tokens.is_none()).await;
                    waited = true;
                }
                if waited && let Some(tokens) = tokens {
                    let (fresh, had_to_wait) = self.token_after_a_wait(tokens).await?;
                    token = Some(fresh);
                    // The turn went by while the token was fetched (a round trip, or the
                    // token request's own retries): another, so that the calls whose token
                    // came due in the limiter's queue do not all go at once when it comes.
                    if had_to_wait && self.limiter.is_some() {
                        continue;
                    }
                }
                // Without a wait, nothing was waited for since the hold was over.
                if tokens.is_none() || !waited || self.hold.in_force().is_none() {
                    break;
                }
            }
            // Whether this attempt sends a change (a PATCH): one retried after an attempt
            // that may have landed is noted for `landed::watching`.
            let mut sends_a_change = false;
            let result = async {
                // Built on the client's first HTTP client, sent on this runtime's.
                let (_, request) = build(token.as_ref()).build_split();
                let request = request?;
                sends_a_change = request.method() == reqwest::Method::PATCH;
                if sends_a_change {
                    landed::note_sent();
                }
                // Only a client the user brought (`per_request`) can follow a redirect: the
                // one built here follows none, and its requests skip the URL's copy. Compared
                // without the fragment, which HTTP never sends: reqwest's answer URL is read
                // back from the request line's URI, which has none.
                let sent_to = self.per_request.is_some().then(|| request.url().clone());
                // A change (a PATCH) whose 2xx status arrived was made, whatever becomes of
                // its body.
                let changes = sends_a_change;
                let response = http.execute(request).await?;
                let status = response.status().as_u16();
                if sent_to.is_some_and(|sent_to| {
                    without_fragment(response.url()) != without_fragment(&sent_to)
                }) {
                    // Not read: the answer is not the one to the request.
                    return Ok((status, None, Reached::Elsewhere(response.url().clone())));
                }
                // Only `Retry-After` (and, without it, `Date`) is ever read: no copy of the whole
                // header map. Without a `Retry-After`, the body's `innerError.retryAfter` is
                // read once it has arrived (`server_now`: the answer's clock to count it from).
                let (mut retry_after, server_now) = if RetryPolicy::is_retryable_status(status) {
                    retry_after_and_date(response.headers())
                } else {
                    (None, None)
                };
                let encoding = encoding_of(response.headers());
                let location = if (300..400).contains(&status) {
                    location_of(response.headers())
                } else {
                    None
                };
                // Read for an answer that is no success only: its error keeps them.
                let (correlation_id, content_type) = if (200..300).contains(&status) {
                    (None, None)
                } else {
                    (
                        correlation_id_of(response.headers()),
                        content_type_of(response.headers()),
                    )
                };
                let challenge = if matches!(status, 400 | 401 | 403) {
                    challenge_of(response.headers())
                } else {
                    None
                };
                let body = match read_capped(response).await {
                    Ok(Some(body)) => {
                        let body = without_byte_order_mark(body);
                        if let Some(now) = server_now {
                            retry_after = body_retry_after(&body, now);
                        }
                        Reached::Body {
                            body,
                            encoding,
                            location,
                            correlation_id,
                            challenge,
                            content_type,
                        }
                    }
                    Ok(None) => Reached::TooLarge,
                    // The per-attempt timeout, run out while the body trickled: a timeout,
                    // whatever stage the request was at, for an answer that is retried (a
                    // 2xx, whose body the next attempt may bring, 408, 429, 5xx). Another
                    // status is the answer, body or not, as for a body cut short: a 401 whose
                    // body stalled was retried as a timeout, its refused token sent again.
                    // So is a PATCH's 2xx that is not sent again (the last attempt, or a SCIM
                    // message that is not repeatable): its status says that the change was
                    // made, which a `Timeout` does not (it may or may not have been), and the
                    // caller of a SCIM `add` would send it again, to append twice.
                    Err((error, _))
                        if error.is_timeout()
                            && RetryPolicy::retries_without_body(status)
                            && !(changes
                                && (200..300).contains(&status)
                                && (last || !repeatable)) =>
                    {
                        return Err(error);
                    }
                    Err((error, expected_bytes)) => Reached::Cut(error, expected_bytes),
                };
                Ok::<_, reqwest::Error>((status, retry_after, body))
            }
            .await;
            // A 429 or 503 that asks to wait holds every request of the client to the users
            // API, whether or not this call retries it.
            if tokens.is_some()
                && let Ok((status @ (429 | 503), Some(wait), _)) = &result
            {
                self.hold_for(*status, *wait);
            }
            // A connect timeout is an `Error::Timeout` as the per-attempt timeout is: what
            // tells `landed::watching` that this attempt sent nothing.
            if sends_a_change
                && let Err(error) = &result
                && error.is_connect()
            {
                landed::note_not_connected();
            }
            if let Ok((401, _, reached @ (Reached::Body { .. } | Reached::Cut(..)))) = &result {
                // A worker token refused before its time (revoked, or its key rotated): dropped,
                // and the request sent again at once with a fresh one, whatever the retry
                // policy, whether the 401's body came whole or cut short (a gateway that
                // closes the connection on a refusal). Safe for any request: a 401 applied
                // nothing.
                if !reauthenticated
                    && let (Some(tokens), Some(used)) = (tokens, token.as_ref())
                    && tokens.is_worker()
                    && tokens.may_replace()
                {
                    reauthenticated = true;
                    tokens.invalidate(used);
                    // The fields of a retry's event: the status, and the 401's
                    // `Correlation-Id`, which PingOne's support needs to tell why it refused
                    // the token (without the token, which a proxy may echo there).
                    let correlation_id = match reached {
                        Reached::Body {
                            correlation_id: Some(raw),
                            ..
                        } => kept_correlation_id(raw, token.as_ref()),
                        _ => None,
                    };
                    tracing::info!(
                        attempt,
                        status = 401_u16,
                        correlation_id = correlation_id.as_deref(),
                        "pingone: the worker token was refused (401); sending again with a fresh \
                         one"
                    );
                    // A request sent again, as a retry is, for the policy's observer (a run's
                    // count of retries by cause): without a wait, outside the attempts.
                    self.retry.notify(&RetryEvent {
                        attempt,
                        status: Some(401),
                        wait: Duration::ZERO,
                        from_retry_after: false,
                        held_by_retry_after: false,
                    });
                    continue;
                }
                // The fresh token refused too: kept, and not replaced for a while (each call
                // made two token requests and two API requests, a sync job of 10,000 lines
                // against the wrong region 20,000 token requests).
                if reauthenticated && let Some(tokens) = tokens {
                    tokens.refused_fresh();
                }
            }
            // What the retry's event says of the attempt it retries: its status, the wait its
            // answer asked for, the failure of an attempt without a status (a timeout, a
            // connection refused or reset, a body cut short), and PingOne's correlation ID.
            let (status, retry_after, failure, correlation_id) = match result {
                Ok((status, _, Reached::Elsewhere(mut url))) => {
                    // Only an HTTP client of the user's own follows redirects (the one built
                    // here follows none). The answer is another URL's: a 301, 302 or 303
                    // followed as a GET would pass a read for the PATCH's success. Not
                    // retried: the same request would be redirected again.
                    keep_scheme_host_and_path(&mut url);
                    return Err(Error::Decode {
                        status,
                        reason: "the HTTP client followed a redirect, and this is the answer \
                                of the URL it led to (the URL in body_start, without its query, \
                                fragment and userinfo), not of the \
                                request: PingOne's API answers none, and a redirect is not \
                                followed (build the reqwest::Client given to \
                                ClientBuilder::http_client with \
                                redirect(reqwest::redirect::Policy::none()))"
                            .into(),
                        body_start: url.as_str().chars().take(BODY_START_CHARS).collect(),
                        attempts: attempt,
                        retry_after: None,
                    });
                }
                // A 429 or a retryable 5xx is retried whatever its body, as its status says
                // (a gateway's error page may be huge): the body is not read. Any other
                // status is not: the same request would get the same answer.
                Ok((status, retry_after, Reached::TooLarge))
                    if !last
                        && RetryPolicy::is_retryable_status(status)
                        && (repeatable || matches!(status, 408 | 429))
                        && !self.stops_at(retry_after, attempt, status, || None) =>
                {
                    if sends_a_change && landed::status_may_have_landed(status) {
                        landed::note_attempt();
                    }
                    (Some(status), retry_after, None, None)
                }
                // The status arrived, the body did not (the connection ended inside it): a
                // transport failure, retried as one is (a request that is not repeatable is
                // not: the status says the server received it), and said with its status. But
                // only for a status that is retried, or a 2xx (whose body the next attempt may
                // bring): a 400, 401, 403 or 404 is the answer, whatever became of its body,
                // and the next attempt would get it again (a 401's bearer token was sent again
                // on each attempt, which the policy never does).
                Ok((status, retry_after, Reached::Cut(error, expected_bytes))) => {
                    let retried_status = RetryPolicy::retries_without_body(status)
                        || RetryPolicy::retries(status, window_elapsed(status), consistency_window);
                    if last
                        || !repeatable
                        || !retried_status
                        || self.stops_at(retry_after, attempt, status, || None)
                    {
                        return Err(Error::Incomplete {
                            status,
                            expected_bytes,
                            source: std::sync::Arc::new(without_query(error)),
                            attempts: attempt,
                            retry_after,
                        });
                    }
                    if sends_a_change && landed::status_may_have_landed(status) {
                        landed::note_attempt();
                    }
                    let failure = format!(
                        "the HTTP {status} answer's body was cut short: {}",
                        attempt_failure(error)
                    );
                    (None, retry_after, Some(failure), None)
                }
                Ok((status, retry_after, Reached::TooLarge)) => {
                    return Err(Error::Decode {
                        status,
                        reason: format!(
                            "the answer's body is larger than {MAX_BODY_BYTES} bytes \
                             (MAX_BODY_BYTES), more than any PingOne answer; it was not read"
                        ),
                        body_start: String::new(),
                        attempts: attempt,
                        retry_after,
                    });
                }
                Ok((
                    status,
                    retry_after,
                    Reached::Body {
                        body,
                        encoding,
                        location,
                        correlation_id,
                        challenge,
                        content_type,
                    },
                )) => {
                    let elapsed = window_elapsed(status);
                    // A 429, 403 or 404 refused the request: nothing was applied (a PATCH is
                    // atomic), so even a request that is not repeatable may go again (429
                    // always, 403 and 404 inside a consistency window). So did a 408: the
                    // server did not receive the whole request in time, and the client may
                    // repeat it (RFC 9110 §15.5.9); a server closing an idle kept-alive
                    // connection sends one (HAProxy), which a request written meanwhile reads.
                    let maybe_done = !repeatable && !matches!(status, 408 | 429 | 403 | 404);
                    // Last, a `Retry-After` longer than the policy waits: the answer is the
                    // call's (read only for an answer that would be retried). A status that
                    // is not retried still is for PingOne's `UNEXPECTED_ERROR` code, as Ping's
                    // Go SDK retries it (`RetryPolicy::is_retryable_code`), but only for a
                    // repeatable request: a failure of the server's own may have applied part
                    // of it, as a 500 may (a SCIM `add` sent twice on a 403 or 404 of that
                    // code appended twice).
                    if last
                        || maybe_done
                        || !(RetryPolicy::retries(status, elapsed, consistency_window)
                            || (repeatable && retried_for_its_code(status, &body)))
                        || self.stops_at(retry_after, attempt, status, || {
                            correlation_id_for_event(
                                correlation_id.as_deref(),
                                credentials,
                                token.as_ref(),
                            )
                        })
                    {
                        return Ok(Answer {
                            status,
                            retry_after,
                            body,
                            encoding,
                            location,
                            correlation_id,
                            challenge,
                            content_type,
                            attempts: attempt,
                            secret: token,
                        });
                    }
                    if sends_a_change && landed::status_may_have_landed(status) {
                        landed::note_attempt();
                    }
                    let correlation_id = correlation_id_for_event(
                        correlation_id.as_deref(),
                        credentials,
                        token.as_ref(),
                    );
                    (Some(status), retry_after, None, correlation_id)
                }
                Err(error) if error.is_builder() => {
                    return Err(Error::InvalidInput(format!(
                        "cannot build the request: {error}"
                    )));
                }
                // A certificate that was not trusted will not be on the next attempt either,
                // nor will a proxy's demand for credentials (407 to the CONNECT, which the next
                // attempt makes with the same), nor a server that speaks no TLS at an https
                // URL, nor a redirect loop that an HTTP client of the user's own followed to
                // its limit (each attempt followed it again, ten requests a time), and a
                // request that may have reached the server is not repeated unless it is
                // repeatable.
                Err(error)
                    if last
                        || certificate_error(&error).is_some()
                        || proxy_asks_for_credentials(&error)
                        || not_tls(&error)
                        || error.is_redirect()
                        || (!repeatable && !error.is_connect()) =>
                {
                    return Err(if error.is_timeout() {
                        // reqwest's connect timeout fails the connection; the per-attempt
                        // timeout fails the request, whatever stage it is at.
                        let timeout = match self.connect_timeout {
                            Some(connect) if error.is_connect() => connect,
                            _ => self.timeout,
                        };
                        Error::Timeout {
                            timeout,
                            attempts: attempt,
                        }
                    } else {
                        Error::Transport {
                            source: std::sync::Arc::new(without_query(error)),
                            attempts: attempt,
                        }
                    });
                }
                Err(error) => {
                    // Sent, unless no connection was made: its answer lost, not its request.
                    if sends_a_change && !error.is_connect() {
                        landed::note_attempt();
                    }
                    (None, None, Some(attempt_failure(error)), None)
                }
            };
            // A `Retry-After` of zero (or a date not after the answer's) is no wait: the
            // backoff applies (`RetryPolicy::wait`).
            let from_retry_after = retry_after.is_some_and(|wait| !wait.is_zero());
            let wait = self
                .retry
                .wait(attempt - u32::from(reauthenticated), retry_after);
            tracing::info!(
                attempt,
                status,
                error = failure.as_deref(),
                correlation_id = correlation_id.as_deref(),
                wait_ms = u64::try_from(wait.as_millis()).unwrap_or(u64::MAX),
                from_retry_after,
                "pingone: retrying"
            );
            self.retry.notify(&RetryEvent {
                attempt,
                status,
                wait,
                from_retry_after,
                held_by_retry_after: false,
            });
            tokio::time::sleep(wait).await;
        }
    }
}

impl Transport {
    /// After attempt `attempt` of a GET (or a token request) answered `status` (a 2xx) with
    /// a body whose JSON is cut short (a proxy that truncated it, a connection that ended
    /// where the body's framing said it ended): whether the policy allows another attempt,
    /// and if so, the backoff waited (reported as any retry's, to the observer and in a
    /// `tracing` event). A GET is safe to send again (RFC 9110 §9.2.1, §9.2.2), and so is a
    /// token request (a token more is issued); a PATCH is not sent again here: it succeeded,
    /// and only its answer was lost.
    #[cold]
    #[inline(never)]
    pub(crate) async fn pause_after_cut_json(&self, attempt: u32, status: u16) -> bool {
        if attempt >= self.retry.attempts() {
            return false;
        }
        let wait = self.retry.wait(attempt, None);
        tracing::info!(
            attempt,
            status,
            wait_ms = u64::try_from(wait.as_millis()).unwrap_or(u64::MAX),
            from_retry_after = false,
            "pingone: retrying: the answer's JSON was cut short"
        );
        self.retry.notify(&RetryEvent {
            attempt,
            status: Some(status),
            wait,
            from_retry_after: false,
            held_by_retry_after: false,
        });
        tokio::time::sleep(wait).await;
        true
    }

    /// Holds every request of the client to the users API for `wait`, which an answer of
    /// `status` (a 429 or 503) asked for, unless a hold ends later already. Only a wait that
    /// the policy waits out (up to its `max_retry_after`): an answer that asks for longer ends
    /// its own call at once, and holding the others for `max_retry_after` would only have
    /// them send later into the same refusal, where the per-call rule has each end at once
    /// (and a sync job stop at the first).
    fn hold_for(&self, status: u16, wait: Duration) {
        if self.retry.waits_out(wait) {
            self.hold
                .extend(status, wait, self.retry.retry_after_spread(wait));
        }
    }

    /// Waits until the client's `Retry-After` hold is over, if one is in force, and then up
    /// to its spread (the policy's jitter of a `Retry-After`), so that the calls it held do
    /// not all go at once; again while another answer extends it. Each wait is reported as a
    /// retry's (`held_by_retry_after`), `attempts` being the attempts the call made before.
    /// Whether it waited.
    async fn wait_out_hold(&self, attempts: u32) -> bool {
        let mut waited = false;
        while let Some(hold) = self.hold.in_force() {
            let remaining = hold
                .until
                .saturating_duration_since(tokio::time::Instant::now());
            let wait = remaining.saturating_add(hold.spread.mul_f64(random_unit()));
            tracing::info!(
                attempt = attempts,
                status = hold.status,
                wait_ms = u64::try_from(wait.as_millis()).unwrap_or(u64::MAX),
                from_retry_after = true,
                held_by_retry_after = true,
                "pingone: waiting for another call's Retry-After"
            );
            self.retry.notify(&RetryEvent {
                attempt: attempts,
                status: Some(hold.status),
                wait,
                from_retry_after: true,
                held_by_retry_after: true,
            });
            tokio::time::sleep(wait).await;
            waited = true;
        }
        waited
    }

    /// Whether an answer that asked to wait `retry_after` ends the call's retries: a wait
    /// longer than the policy's `max_retry_after` ([`RetryPolicy::waits_out`]). It was
    /// capped at `max_backoff`: the next attempt went before the server said to, into another
    /// 429, and the attempts ran out within the window the server had named. Its event
    /// names the answer as a retry's does: `attempt`, `status` and the `correlation_id` that
    /// `correlation_id` gives (read only then).
    #[cold]
    fn stops_at(
        &self,
        retry_after: Option<Duration>,
        attempt: u32,
        status: u16,
        correlation_id: impl FnOnce() -> Option<String>,
    ) -> bool {
        let stops = self.retry.stops_at(retry_after);
        if stops {
            tracing::info!(
                attempt,
                status,
                correlation_id = correlation_id().as_deref(),
                retry_after_ms = retry_after.map_or(0, |wait| {
                    u64::try_from(wait.as_millis()).unwrap_or(u64::MAX)
                }),
                max_retry_after_ms = u64::try_from(self.retry.max_retry_after_value().as_millis())
                    .unwrap_or(u64::MAX),
                "pingone: not retrying: the answer asks to wait longer than the retry \
                 policy's max_retry_after"
            );
        }
        stops
    }

    /// The token to send after a wait (for the hold or the limiter's turn), and whether
    /// getting it took a wait of its own: one that came due meanwhile, fetched.
    async fn token_after_a_wait<T: AccessTokens>(
        self: &Arc<Self>,
        tokens: &T,
    ) -> Result<(Secret, bool), Error> {
        if let Some(token) = tokens.ready() {
            return Ok((token, false));
        }
        let mut fetch = Box::pin(tokens.token(self));
        let mut had_to_wait = false;
        let token = std::future::poll_fn(|context| {
            let poll = fetch.as_mut().poll(context);
            had_to_wait |= poll.is_pending();
            poll
        })
        .await?;
        Ok((token, had_to_wait))
    }

    /// The token to send now: the cached one while it is not due (without waiting or
    /// allocating), else [`AccessTokens::token`].
    async fn token_of_the_moment<T: AccessTokens>(
        self: &Arc<Self>,
        tokens: &T,
    ) -> Result<Secret, Error> {
        match tokens.ready() {
            Some(token) => Ok(token),
            // Boxed: the token's future (a fetch through `send`) inside `send`'s would make it
            // of infinite size. Only when the cached token is not ready to send: no
            // allocation on the common path.
            None => Box::pin(tokens.token(self)).await,
        }
    }
}

/// `error` with the query taken out of its URL: a listing's query holds the filter that finds
/// a user (`filter=email eq "ada@example.com"`), which the error's text and `Debug` (logged by
/// callers; the sync job's report and its `tracing` event when it stops) would otherwise
/// carry: a user's email or username. The scheme, host and path, which tell a wrong base URL
/// or an unreachable host, stay.
fn without_query(mut error: reqwest::Error) -> reqwest::Error {
    if let Some(url) = error.url_mut() {
        keep_scheme_host_and_path(url);
    }
    error
}

/// Takes the query, the fragment and the userinfo out of `url`, an error's, for the reasons
/// of [`without_query`]: a URL that a redirect led to keeps the request's query as often as
/// not, and may add credentials of its own, in its query or its userinfo (RFC 3986 §3.2.1).
fn keep_scheme_host_and_path(url: &mut reqwest::Url) {
    url.set_query(None);
    url.set_fragment(None);
    // Refused only by a URL that cannot hold userinfo, which then has none.
    let _ = url.set_username("");
    let _ = url.set_password(None);
}

/// The `Correlation-Id` of an answer (`raw`) as a `tracing` event shows it: without the
/// request's `credentials` (a token request's client secret) and bearer `token`, which a proxy
/// that copies the request's headers there echoes.
fn correlation_id_for_event(
    raw: Option<&str>,
    credentials: Option<&(dyn Fn(&str) -> String + Sync)>,
    token: Option<&Secret>,
) -> Option<String> {
    kept_correlation_id_without(raw?, token, |text| {
        credentials.map_or_else(|| text.to_owned(), |take| take(text))
    })
}

/// What failed an attempt that had no status to show, for its retry's `tracing` event: the
/// HTTP client's error with its causes (`client error (Connect): tcp connect error:
/// Connection refused`, `operation timed out`), without the URL, which may name a user in its
/// query and which the call's span gives as a template.
fn attempt_failure(error: reqwest::Error) -> String {
    super::error::error_chain(&error.without_url())
}

/// A URL's text up to its fragment: a serialized URL holds `#` only where its fragment starts
/// (WHATWG URL Standard, the fragment percent-encode set aside).
fn without_fragment(url: &reqwest::Url) -> &str {
    url.as_str().split('#').next().unwrap_or_default()
}

/// What one attempt's answer brought.
enum Reached {
    /// The body, read whole, with the headers that [`Answer`] keeps.
    Body {
        body: Bytes,
        /// Its `Content-Encoding`, if it is not `identity`.
        encoding: Option<String>,
        /// The `Location` of a 3xx.
        location: Option<String>,
        /// The `Correlation-Id` of an answer that is no success.
        correlation_id: Option<String>,
        /// The `WWW-Authenticate` of a 400, 401 or 403.
        challenge: Option<String>,
        /// The `Content-Type` of an answer that is no success.
        content_type: Option<String>,
    },
    /// A body larger than [`MAX_BODY_BYTES`], not read.
    TooLarge,
    /// A body that did not arrive whole, with the length its `Content-Length` announced.
    Cut(reqwest::Error, Option<u64>),
    /// The answer of another URL, where the HTTP client followed a redirect to.
    Elsewhere(reqwest::Url),
}

impl fmt::Debug for Transport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Transport")
            .field("retry", &self.retry)
            .field("timeout", &self.timeout)
            .field("connect_timeout", &self.connect_timeout)
            .field("own_http_client", &self.per_request.is_some())
            .field("rate_limited", &self.limiter.is_some())
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicU32, Ordering};

    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    use super::*;

    /// Tokens that are never ready without asking, so that each attempt's token is fetched
    /// after a wait; the second fetch (the one after the wait for the hold) stands for a slow
    /// token request during which another call's 429 holds the client for `hold`.
    struct HoldDuringFetch {
        fetches: AtomicU32,
        hold: Duration,
    }

    impl AccessTokens for HoldDuringFetch {
        fn ready(&self) -> Option<Secret> {
            None
        }

        async fn token(&self, transport: &Arc<Transport>) -> Result<Secret, Error> {
            if self.fetches.fetch_add(1, Ordering::SeqCst) == 1 {
                transport.hold.extend(429, self.hold, Duration::ZERO);
            }
            Ok(Secret::new("token".to_owned()))
        }

        fn is_worker(&self) -> bool {
            true
        }

        fn invalidate(&self, _used: &Secret) {}

        fn may_replace(&self) -> bool {
            false
        }

        fn refused_fresh(&self) {}
    }

    /// A hold that another call's 429 sets while this call fetches the token it sends after
    /// waiting out an earlier hold is waited out too: the request arrives after it. Before,
    /// the hold was checked before that fetch only, and the request went at once, into the
    /// hold. Counted by the instant the server reads the request, after the instant the hold
    /// was set plus its length: no sleep of the test's decides the outcome.
    #[tokio::test]
    async fn a_hold_set_while_the_token_is_fetched_after_a_wait_is_waited_out() {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}/", listener.local_addr().unwrap());
        let server = tokio::spawn(async move {
            let (mut stream, _) = listener.accept().await.unwrap();
            let mut buffer = [0_u8; 4096];
            let mut read = 0;
            while !buffer[..read].windows(4).any(|end| end == b"\r\n\r\n") {
                read += stream.read(&mut buffer[read..]).await.unwrap();
            }
            let arrived = tokio::time::Instant::now();
            stream
                .write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\n{}")
                .await
                .unwrap();
            arrived
        });
        crate::pingone::install_default_crypto_provider();
        let transport = Arc::new(Transport::new(
            reqwest::Client::new(),
            RetryPolicy::never(),
            Duration::from_secs(30),
            None,
            None,
            None,
            None,
        ));
        let hold = Duration::from_millis(800);
        let tokens = HoldDuringFetch {
            fetches: AtomicU32::new(0),
            hold,
        };
        // An earlier call's hold, which this call waits out before fetching its token again.
        transport
            .hold
            .extend(429, Duration::from_millis(50), Duration::ZERO);
        let started = tokio::time::Instant::now();
        let build = |_: Option<&Secret>| transport.request(reqwest::Method::GET, url.as_str());
        let answer = transport
            .send(Some(&tokens), &build, None, Duration::ZERO, true, 0)
            .await
            .unwrap();
        assert_eq!(answer.status, 200);
        let arrived = server.await.unwrap();
        assert!(tokens.fetches.load(Ordering::SeqCst) >= 2);
        // The second fetch set the hold after `started` + 50 ms.
        assert!(
            arrived >= started + Duration::from_millis(50) + hold,
            "the request arrived {:?} after the call started, inside the hold set during its \
             token fetch",
            arrived - started
        );
    }
}
