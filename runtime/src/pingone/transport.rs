//! [`Transport`]: the retrying HTTP sender that the client and the token source share, and
//! the HTTP client it sends with: the user's own `reqwest::Client`, or one built here
//! ([`HttpSettings`](super::http_client::HttpSettings)), one per tokio runtime
//! ([`RuntimePools`]).

use core::fmt;
use std::num::NonZeroU32;
use std::time::{Duration, SystemTime};

use bytes::Bytes;
use reqwest::header::{CONTENT_ENCODING, DATE, HeaderMap, HeaderValue, RETRY_AFTER, USER_AGENT};
use serde::de::DeserializeOwned;

use super::document_id::from_slice_checking_id;
use super::error::{
    BODY_START_CHARS, body_start, certificate_error, not_tls, proxy_asks_for_credentials,
};
use super::retry::{RetryEvent, parse_retry_after, parse_rfc3339};
use super::runtime_pools::{CallClock, RuntimePools};
use super::secret::Secret;
use super::{ApiError, Error, RetryPolicy};

/// The largest answer body that the client reads, in bytes: 16 MiB. PingOne's largest answer,
/// a page of [`MAX_PAGE_SIZE`](super::MAX_PAGE_SIZE) users of at most
/// [`MAX_PROFILE_BYTES`](super::MAX_PROFILE_BYTES) each, is about 3.3 MB; a larger body
/// (a misbehaving server or proxy) is [`Error::Decode`] rather than memory without bound,
/// unless its status is one that is retried (a 429 or a 5xx from a gateway): then the request
/// is retried as the status says, and the last attempt's too large body is the error.
pub const MAX_BODY_BYTES: usize = 16 * 1024 * 1024;

/// The body of `response`, or `None` when it is larger than [`MAX_BODY_BYTES`]: refused from
/// its `Content-Length` before it is read, or as soon as its chunks pass the limit. A body
/// that does not arrive whole (the connection ends before its `Content-Length`, a broken
/// chunked framing) is the HTTP client's error with the length the answer announced.
async fn read_capped(
    mut response: reqwest::Response,
) -> Result<Option<Bytes>, (reqwest::Error, Option<u64>)> {
    match response.content_length() {
        Some(length) if length > MAX_BODY_BYTES as u64 => return Ok(None),
        // The length is the framing: hyper reads no more than it says.
        Some(length) => {
            return response
                .bytes()
                .await
                .map(Some)
                .map_err(|error| (error, Some(length)));
        }
        None => {}
    }
    let mut body = bytes::BytesMut::new();
    while let Some(chunk) = response.chunk().await.map_err(|error| (error, None))? {
        if body.len() + chunk.len() > MAX_BODY_BYTES {
            return Ok(None);
        }
        body.extend_from_slice(&chunk);
    }
    Ok(Some(body.freeze()))
}

/// `body` without a leading UTF-8 byte order mark (`EF BB BF`), which some servers and
/// gateways (.NET's, among others) write before JSON: RFC 8259 §8.1 forbids writing one but
/// lets a parser ignore it, and serde_json refuses it ("expected value at line 1 column 1").
fn without_byte_order_mark(body: Bytes) -> Bytes {
    if body.starts_with(b"\xEF\xBB\xBF") {
        body.slice(3..)
    } else {
        body
    }
}

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
    /// For a client built here: one connection pool per tokio runtime ([`RuntimePools`]).
    /// `None` for a client the user brought, whose one pool serves every runtime.
    pools: Option<RuntimePools>,
    /// When the last call started, for a client the user brought (the pools of a client
    /// built here have one each).
    calls: CallClock,
}

/// A GCRA limiter with the standard clock (`governor`), shared by every call of a client.
pub(crate) type RateLimiter = governor::DefaultDirectRateLimiter;

/// How much unused time the limiter credits, as a share of a second: 1/100, 10 ms.
const CATCH_UP_PER_SECOND: u32 = 100;

/// A limiter of `per_second` requests per second, spaced evenly, with a burst of
/// `per_second / 100` (at least one): 10 ms of credit. A waiter's timer fires late (by a
/// fraction of a millisecond, more under load); with a burst of one that lateness is lost for
/// good, and at 500 requests per second a sync of 10,000 users reached only 0.88 of the limit
/// (`benches/sync_users.rs`). The credit lets the next request catch up, so the long-run rate
/// is the limit, and any second holds at most `per_second + per_second / 100` requests.
pub(crate) fn rate_limiter(per_second: NonZeroU32) -> RateLimiter {
    let burst = NonZeroU32::new(per_second.get() / CATCH_UP_PER_SECOND).unwrap_or(NonZeroU32::MIN);
    governor::RateLimiter::direct(governor::Quota::per_second(per_second).allow_burst(burst))
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
    fn token(&self, transport: &Transport) -> impl Future<Output = Result<Secret, Error>> + Send;

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
    pub(crate) fn request(&self, method: reqwest::Method, url: &str) -> reqwest::RequestBuilder {
        let request = self.http.request(method, url);
        match &self.per_request {
            None => request,
            Some(user_agent) => request
                .timeout(self.timeout)
                .header(USER_AGENT, user_agent.clone()),
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
    pub(crate) async fn send<T: AccessTokens>(
        &self,
        tokens: Option<&T>,
        build: &(dyn Fn(Option<&Secret>) -> reqwest::RequestBuilder + Sync),
        consistency_window: Duration,
        repeatable: bool,
    ) -> Result<Answer, Error> {
        // The clock is read only when a consistency window can retry 403 and 404: without
        // one, how long the call took never decides a retry.
        let started = (!consistency_window.is_zero()).then(tokio::time::Instant::now);
        // Before anything else (the token, the limiter): outside a tokio runtime nothing can
        // be sent.
        let (http, idle) = self.http_here()?;
        if idle {
            // The runtime polls its connections first: one that the server closed while the
            // runtime was not running (between two `block_on`s) reads its close and leaves
            // the pool, rather than take this request and fail it unsent (`CallClock`).
            tokio::task::yield_now().await;
        }
        let mut attempt = 0;
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
            if let Some(limiter) = &self.limiter {
                limiter.until_ready().await;
                if let Some(tokens) = tokens {
                    token = Some(self.token_of_the_moment(tokens).await?);
                }
            }
            let result = async {
                // Built on the client's first HTTP client, sent on this runtime's.
                let (_, request) = build(token.as_ref()).build_split();
                let request = request?;
                // Only a client the user brought (`per_request`) can follow a redirect: the
                // one built here follows none, and its requests skip the URL's copy. Compared
                // without the fragment, which HTTP never sends: reqwest's answer URL is read
                // back from the request line's URI, which has none.
                let sent_to = self.per_request.is_some().then(|| request.url().clone());
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
                let body = match read_capped(response).await {
                    Ok(Some(body)) => {
                        let body = without_byte_order_mark(body);
                        if let Some(now) = server_now {
                            retry_after = body_retry_after(&body, now);
                        }
                        Reached::Body(body, encoding, location)
                    }
                    Ok(None) => Reached::TooLarge,
                    // The per-attempt timeout, run out while the body trickled: a timeout,
                    // whatever stage the request was at.
                    Err((error, _)) if error.is_timeout() => return Err(error),
                    Err((error, expected_bytes)) => Reached::Cut(error, expected_bytes),
                };
                Ok::<_, reqwest::Error>((status, retry_after, body))
            }
            .await;
            let (status, retry_after) = match result {
                Ok((status, _, Reached::Elsewhere(url))) => {
                    // Only an HTTP client of the user's own follows redirects (the one built
                    // here follows none). The answer is another URL's: a 301, 302 or 303
                    // followed as a GET would pass a read for the PATCH's success. Not
                    // retried: the same request would be redirected again.
                    return Err(Error::Decode {
                        status,
                        reason: "the HTTP client followed a redirect, and this is the answer \
                                of the URL it led to (the URL in body_start), not of the \
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
                        && !self.stops_at(retry_after) =>
                {
                    (Some(status), retry_after)
                }
                // The status arrived, the body did not (the connection ended inside it): a
                // transport failure, retried as one is (a request that is not repeatable is
                // not: the status says the server received it), and said with its status.
                Ok((status, retry_after, Reached::Cut(error, expected_bytes))) => {
                    if last || !repeatable || self.stops_at(retry_after) {
                        return Err(Error::Incomplete {
                            status,
                            expected_bytes,
                            source: std::sync::Arc::new(error),
                            attempts: attempt,
                        });
                    }
                    (None, retry_after)
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
                Ok((status, retry_after, Reached::Body(body, encoding, location))) => {
                    // A worker token refused before its time (revoked, or its key rotated):
                    // dropped, and the request sent again at once with a fresh one, whatever
                    // the retry policy. Safe for any request: a 401 applied nothing.
                    if status == 401
                        && !reauthenticated
                        && let (Some(tokens), Some(used)) = (tokens, token.as_ref())
                        && tokens.is_worker()
                        && tokens.may_replace()
                    {
                        reauthenticated = true;
                        tokens.invalidate(used);
                        tracing::info!(
                            attempt,
                            "pingone: the worker token was refused (401); sending again with a \
                             fresh one"
                        );
                        continue;
                    }
                    // The fresh token refused too: kept, and not replaced for a while (each call
                    // made two token requests and two API requests, a sync job of 10,000 lines
                    // against the wrong region 20,000 token requests).
                    if status == 401
                        && reauthenticated
                        && let Some(tokens) = tokens
                    {
                        tokens.refused_fresh();
                    }
                    let elapsed = match started {
                        Some(started) if matches!(status, 403 | 404) => started.elapsed(),
                        // Not read by `retries` (other statuses, or no window).
                        _ => Duration::MAX,
                    };
                    // A 429, 403 or 404 refused the request: nothing was applied (a PATCH is
                    // atomic), so even a request that is not repeatable may go again (429
                    // always, 403 and 404 inside a consistency window). So did a 408: the
                    // server did not receive the whole request in time, and the client may
                    // repeat it (RFC 9110 §15.5.9); a server closing an idle kept-alive
                    // connection sends one (HAProxy), which a request written meanwhile reads.
                    let maybe_done = !repeatable && !matches!(status, 408 | 429 | 403 | 404);
                    // Last, a `Retry-After` longer than the policy waits: the answer is the
                    // call's (read only for an answer that would be retried).
                    if last
                        || maybe_done
                        || !RetryPolicy::retries(status, elapsed, consistency_window)
                        || self.stops_at(retry_after)
                    {
                        return Ok(Answer {
                            status,
                            retry_after,
                            body,
                            encoding,
                            location,
                            attempts: attempt,
                            secret: token,
                        });
                    }
                    (Some(status), retry_after)
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
                            source: std::sync::Arc::new(error),
                            attempts: attempt,
                        }
                    });
                }
                Err(_) => (None, None),
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
                wait_ms = u64::try_from(wait.as_millis()).unwrap_or(u64::MAX),
                from_retry_after,
                "pingone: retrying"
            );
            self.retry.notify(&RetryEvent {
                attempt,
                status,
                wait,
                from_retry_after,
            });
            tokio::time::sleep(wait).await;
        }
    }
}

impl Transport {
    /// Whether an answer that asked to wait `retry_after` ends the call's retries: a wait
    /// longer than the policy's `max_retry_after` ([`RetryPolicy::waits_out`]). It was
    /// capped at `max_backoff`: the next attempt went before the server said to, into another
    /// 429, and the attempts ran out within the window the server had named.
    #[cold]
    fn stops_at(&self, retry_after: Option<Duration>) -> bool {
        let stops = self.retry.stops_at(retry_after);
        if stops {
            tracing::info!(
                retry_after_s = retry_after.map_or(0, |wait| wait.as_secs()),
                max_retry_after_ms = u64::try_from(self.retry.max_retry_after_value().as_millis())
                    .unwrap_or(u64::MAX),
                "pingone: not retrying: the answer asks to wait longer than the retry \
                 policy's max_retry_after"
            );
        }
        stops
    }

    /// The token to send now: the cached one while it is not due (without waiting or
    /// allocating), else [`AccessTokens::token`].
    async fn token_of_the_moment<T: AccessTokens>(&self, tokens: &T) -> Result<Secret, Error> {
        match tokens.ready() {
            Some(token) => Ok(token),
            // Boxed: the token's future (a fetch through `send`) inside `send`'s would make it
            // of infinite size. Only when the cached token is not ready to send: no
            // allocation on the common path.
            None => Box::pin(tokens.token(self)).await,
        }
    }
}

/// A URL's text up to its fragment: a serialized URL holds `#` only where its fragment starts
/// (WHATWG URL Standard, the fragment percent-encode set aside).
fn without_fragment(url: &reqwest::Url) -> &str {
    url.as_str().split('#').next().unwrap_or_default()
}

/// What one attempt's answer brought.
enum Reached {
    /// The body, read whole, with its `Content-Encoding` if it is not `identity`, and the
    /// `Location` of a 3xx.
    Body(Bytes, Option<String>, Option<String>),
    /// A body larger than [`MAX_BODY_BYTES`], not read.
    TooLarge,
    /// A body that did not arrive whole, with the length its `Content-Length` announced.
    Cut(reqwest::Error, Option<u64>),
    /// The answer of another URL, where the HTTP client followed a redirect to.
    Elsewhere(reqwest::Url),
}

/// The answer's `Content-Encoding` when it names an encoding (`gzip`, `br`...), not `identity`
/// (RFC 9110 §8.4), at most 64 characters of it.
fn encoding_of(headers: &HeaderMap) -> Option<String> {
    let value = String::from_utf8_lossy(headers.get(CONTENT_ENCODING)?.as_bytes()).into_owned();
    let encodings = value.trim();
    (!encodings.is_empty()
        && !encodings
            .split(',')
            .all(|coding| coding.trim().eq_ignore_ascii_case("identity")))
    .then(|| encodings.chars().take(64).collect())
}

/// The `Location` of a redirect, to show in its error: up to its query (which may carry a
/// code or a token, as a sign-in redirect's does), without its user information, at most 200
/// characters.
#[cold]
fn location_of(headers: &HeaderMap) -> Option<String> {
    let value =
        String::from_utf8_lossy(headers.get(reqwest::header::LOCATION)?.as_bytes()).into_owned();
    let shown = super::error::shown_url(&value);
    Some(shown.chars().take(200).collect())
}

/// The answer's `Retry-After`: delay seconds, or an HTTP date counted from the answer's own
/// `Date` (the server's clock, RFC 9110 §6.6.1), else from this machine's clock. Counted from
/// this machine's clock alone, a clock some seconds ahead of the server's turned every date
/// into a past one, a wait of zero (a retry at once, into the next 429), and one behind into a
/// wait of the cap. Without a `Retry-After` that can be read: `None`, and the clock to
/// count the body's `retryAfter` from ([`body_retry_after`]).
#[cold]
fn retry_after_and_date(headers: &HeaderMap) -> (Option<Duration>, Option<SystemTime>) {
    let now = headers
        .get(DATE)
        .and_then(|date| httpdate::parse_http_date(date.to_str().ok()?).ok())
        .unwrap_or_else(SystemTime::now);
    match headers
        .get(RETRY_AFTER)
        .and_then(|value| parse_retry_after(value.to_str().ok()?, now))
    {
        Some(wait) => (Some(wait), None),
        None => (None, Some(now)),
    }
}

/// The wait that a PingOne error body asks for in a detail's `innerError.retryAfter`, for an
/// answer with a retryable status but no `Retry-After` header (a gateway that drops the
/// header, an answer whose header is not a wait): PingOne's error schema carries `retryAfter`
/// among the `innerError` facts of a 429's `LIMIT_EXCEEDED` detail. Read as seconds (a JSON
/// number, or a string that `Retry-After` could hold: digits or an HTTP date) or as an
/// RFC 3339 date-time (as PingOne writes its other times), a date counted from `now`, the
/// answer's clock; the first detail that has one that can be read. A body that is not JSON,
/// or has none, gives `None`.
#[cold]
fn body_retry_after(body: &[u8], now: SystemTime) -> Option<Duration> {
    let error: ApiError = serde_json::from_slice(body).ok()?;
    error
        .details
        .iter()
        .filter_map(|detail| detail.inner_error.as_ref()?.get("retryAfter"))
        .find_map(|value| match value {
            serde_json::Value::Number(number) => {
                let seconds = number.as_f64()?;
                // Whole seconds, rounded up: a wait is never shortened.
                (seconds.is_finite() && seconds >= 0.0)
                    .then(|| Duration::from_secs(seconds.ceil().min(u64::MAX as f64) as u64))
            }
            serde_json::Value::String(text) => parse_retry_after(text, now).or_else(|| {
                let at = parse_rfc3339(text)?;
                Some(at.duration_since(now).unwrap_or(Duration::ZERO))
            }),
            _ => None,
        })
}

impl Answer {
    /// The body of a 2xx answer as `M`, or the error that the answer means.
    ///
    /// Inlined, with the error paths apart: the decoded model (a `User` is over 1 KB) is then
    /// written where the caller keeps it rather than copied there.
    #[inline]
    pub(crate) fn decode<M: DeserializeOwned>(self) -> Result<M, Error> {
        if (200..300).contains(&self.status) {
            return serde_json::from_slice(&self.body).map_err(|error| self.undecodable(&error));
        }
        self.error()
    }

    /// [`decode`](Answer::decode) for the answer to a request about the user `user_id`, which
    /// refuses a 2xx whose body is another user's document: a JSON object whose top-level `id`
    /// is a string other than `user_id` (compared in any case, as UUIDs are). A proxy, cache
    /// or connection pool that mixes up answers (the answer of one request delivered to
    /// another) would otherwise pass that user for the one asked for, and a caller would diff
    /// and patch against someone else's attributes. The `id` is read while `M` is decoded
    /// ([`from_slice_checking_id`]), or, where `M` skips it or does not show its text (a model
    /// without an `id` field, an `id` read as bytes, an enum or a `RawValue`), in a second pass
    /// that skips the rest; `M` accepts and refuses what `serde_json::from_slice` does. A body that does not decode as
    /// `M` (a PingOne error body answered with 200, whose `id` is the error's) keeps the
    /// decoder's reason.
    #[inline]
    pub(crate) fn decode_user<M: DeserializeOwned>(self, user_id: &str) -> Result<M, Error> {
        if (200..300).contains(&self.status) {
            return match from_slice_checking_id(&self.body, user_id) {
                Ok((model, None)) => Ok(model),
                Ok((_, Some(id))) => Err(self.another_user(&id, user_id)),
                Err(error) => Err(self.undecodable(&error)),
            };
        }
        self.error()
    }

    /// The error of a 2xx body that did not decode. No body (a 204, an empty 200) is said so,
    /// not as a parser's `EOF while parsing a value at line 1 column 0`.
    #[cold]
    fn undecodable(&self, error: &serde_json::Error) -> Error {
        if self.is_blank() {
            return self.decode_error(
                "the body is empty, where the JSON of the answer was expected".into(),
            );
        }
        // What arrived, said before the parser's position: a page (a proxy's, a gateway's
        // sign-in) where JSON was expected, or JSON that its sender cut short (the whole body
        // as its `Content-Length` said arrived, and it ends inside a value).
        let first = self.body.iter().find(|byte| !byte.is_ascii_whitespace());
        if error.is_syntax() && !matches!(first, Some(b'{' | b'[' | b'"')) {
            return self.decode_error(format!(
                "the body is not JSON (a page of a proxy or gateway? see its start): {error}"
            ));
        }
        if error.is_eof() {
            return self.decode_error(format!(
                "the body's JSON ends before it is complete ({} bytes, the whole body as the \
                 answer framed it: its sender cut the JSON short): {error}",
                self.body.len()
            ));
        }
        self.decode_error(error.to_string())
    }

    /// The error of [`decode_user`](Answer::decode_user) for another user's document.
    #[cold]
    fn another_user(&self, id: &str, user_id: &str) -> Error {
        let id: String = id.chars().take(64).collect();
        self.decode_error(format!(
            "the answer is the document of the user {id:?}, not of the user asked for ({}): \
             a proxy, cache or connection pool on the way mixed up answers, and it is not \
             returned as this user's",
            user_id.to_ascii_lowercase()
        ))
    }

    /// Whether the body is empty, or only whitespace.
    #[cold]
    fn is_blank(&self) -> bool {
        self.body.iter().all(u8::is_ascii_whitespace)
    }

    /// The error of a [`Decode`](Error::Decode) kind for this answer.
    #[cold]
    fn decode_error(&self, reason: String) -> Error {
        let reason = match self.encoding_text() {
            Some(encoding) => format!("{encoding}: {reason}"),
            None => reason,
        };
        // A decoder's reason quotes the value it refused (`invalid type: string "..."`).
        let reason = match &self.secret {
            Some(secret) => secret.redact(&reason),
            None => reason,
        };
        Error::Decode {
            status: self.status,
            reason,
            body_start: body_start(self.redacted_body().as_bytes()),
            attempts: self.attempts,
            retry_after: self.retry_after,
        }
    }

    /// What an error says of a body with a `Content-Encoding` (see [`Answer::encoding`]).
    #[cold]
    pub(crate) fn encoding_text(&self) -> Option<String> {
        self.encoding.as_ref().map(|encoding| {
            format!(
                "the body is Content-Encoding {encoding:?}, which was not decoded: the client \
                 asks for no encoding itself (an HTTP client given to it, or reqwest's \
                 compression features turned on by another crate, may ask for some, and \
                 decode only those), so a proxy or gateway on the way most likely encoded it"
            )
        })
    }

    /// The body, lossily decoded, with the token the request carried replaced by `***` (as
    /// it is and JSON-escaped: [`Secret::redact`]).
    #[cold]
    fn redacted_body(&self) -> String {
        let text = String::from_utf8_lossy(&self.body);
        match &self.secret {
            Some(secret) => secret.redact(&text),
            None => text.into_owned(),
        }
    }

    /// The body as a PingOne error, if it is one, with the token the request carried taken
    /// out of every string once decoded (a JSON escape such as `\u0061` or `\/` would hide it
    /// from a search of the raw text).
    #[cold]
    fn api_error(&self) -> Option<ApiError> {
        let mut value: serde_json::Value =
            serde_json::from_str(&String::from_utf8_lossy(&self.body)).ok()?;
        if let Some(secret) = &self.secret {
            secret.redact_json(&mut value);
        }
        serde_json::from_value::<ApiError>(value)
            .ok()
            .filter(|error| error.code.is_some() || error.id.is_some() || error.message.is_some())
    }

    /// The error that an answer that is not 2xx means.
    #[cold]
    #[inline(never)]
    fn error<M>(self) -> Result<M, Error> {
        // Whatever its body says: a redirect is not PingOne's answer to the request.
        if (300..400).contains(&self.status) {
            let to = match &self.location {
                Some(location) => format!(" to {location:?}"),
                None => " without a Location".to_owned(),
            };
            return Err(self.decode_error(format!(
                "a redirect{to}, which the client does not follow: PingOne's API answers none \
                 (a base URL that a gateway redirects, such as http:// to https://, is set to \
                 where it points)"
            )));
        }
        let error = self.api_error();
        if self.status == 429 {
            return Err(Error::RateLimited {
                retry_after: self.retry_after,
                error: error.map(Box::new),
                attempts: self.attempts,
            });
        }
        match error {
            Some(error) => Err(Error::Api {
                status: self.status,
                error: Box::new(error),
                attempts: self.attempts,
                retry_after: self.retry_after,
            }),
            None if self.is_blank() => {
                Err(self.decode_error("not a PingOne error body: the body is empty".into()))
            }
            None => Err(self.decode_error("not a PingOne error body".into())),
        }
    }
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
