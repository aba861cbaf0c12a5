//! [`Fault`]: the wrong answers the emulator can be asked to give, and how they are given.

use std::time::Duration;

use axum::body::Body;
use axum::http::{Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::json;

use super::errors::{ErrorWriter, INVALID_TOKEN_CHALLENGE};
use crate::pingone::ErrorDetail;

/// A fault that the emulator answers one request with, queued by
/// [`Emulator::inject`](super::Emulator::inject) (the next request to a users endpoint),
/// [`Emulator::inject_patch_fault`](super::Emulator::inject_patch_fault) (the next PATCH) or
/// [`Emulator::inject_token_fault`](super::Emulator::inject_token_fault) (the next token
/// request).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Fault {
    /// 429 `REQUEST_LIMITED` with this `Retry-After` value (seconds or an HTTP date).
    RateLimited {
        /// The `Retry-After` header value.
        retry_after: String,
    },
    /// 503 with a JSON error body, and a `Retry-After` if given (left out when the value
    /// cannot be a header value).
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
    /// Carries out the request, then drops the connection before any of the answer arrives
    /// (its 200 head, which announces the whole body in `Content-Length`, and half of the body
    /// are handed to hyper, which writes none of it when the body fails at once): the answer
    /// is lost on the way, after the change was made. The client sees a failed connection with
    #[cfg_attr(
        feature = "client",
        doc = r" no status ([`Error::Transport`](crate::pingone::Error::Transport)), and sends a merge"
    )]
    #[cfg_attr(
        not(feature = "client"),
        doc = r" no status (`Error::Transport`), and sends a merge"
    )]
    /// patch again, which is idempotent (RFC 7396). A complete answer whose JSON is cut short
    /// is [`TruncatedBody`](Fault::TruncatedBody). Both leave an answer that is not 200, and
    /// a HEAD's, which has no body, as it is.
    ConnectionCut,
    /// This status with a PingOne JSON error body (`UNEXPECTED_ERROR` and the like); a number
    /// that is not an HTTP status (outside 100 to 999), or a 1xx status, which is no final
    /// answer (RFC 9110 §15.2), is answered as 500; 204, 205 and 304, which carry no content
    /// (RFC 9110 §15.3.5, §15.3.6, §15.4.5), without the body (a 205 with `Content-Length: 0`,
    /// the others with no `Content-Length`), as a gateway would send them. A status without a
    /// code of its own (409, 501...) carries `UNEXPECTED_ERROR`, which the client retries
    #[cfg_attr(
        feature = "client",
        doc = r" whatever the status ([`RetryPolicy::is_retryable_code`](crate::pingone::RetryPolicy::is_retryable_code)):"
    )]
    #[cfg_attr(
        not(feature = "client"),
        doc = r" whatever the status (`RetryPolicy::is_retryable_code`):"
    )]
    /// to see such a status as the call's error, give the client
    #[cfg_attr(
        feature = "client",
        doc = r" [`RetryPolicy::never`](crate::pingone::RetryPolicy::never), or inject"
    )]
    #[cfg_attr(not(feature = "client"), doc = r" `RetryPolicy::never`, or inject")]
    /// [`ApiError`](Fault::ApiError) with a code of its own. On a users endpoint a 401 is the
    /// endpoint's refusal of a token that has ended (`INVALID_TOKEN` detail and
    /// `WWW-Authenticate: Bearer realm="PingOne", error="invalid_token"`), as the emulator
    /// gives it once a token from [`token_lifetime`](super::EmulatorBuilder::token_lifetime)
    /// ends; an `ApiError` 401 there carries the same challenge. A 429 is PingOne's
    /// `REQUEST_LIMITED` answer, as [`RateLimited`](Fault::RateLimited) gives it, with a
    /// `Retry-After` of
    /// [`EmulatorBuilder::fault_retry_after`](super::EmulatorBuilder::fault_retry_after)
    /// seconds (1 by default): PingOne's 429 carries one.
    Status(u16),
    /// This status with a PingOne JSON error body whose `code` is `code`: the answer that a
    /// test of an application's own handling of a status wants, such as a 409 that the
    /// client does not retry (`Fault::ApiError { status: 409, code: "CONFLICT".into() }`;
    /// PingOne's code for a 409 is not documented), where [`Status`](Fault::Status) gives a
    /// status without a code of its own `UNEXPECTED_ERROR`, which the client retries. A
    /// number that is not an HTTP status, or a 1xx status, is answered as 500, and 204, 205
    /// and 304 without a body, as for `Status`.
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
    /// emulator.inject(Fault::ApiError { status: 409, code: "CONFLICT".into() });
    /// let patch = UserPatch::new().title("CTO");
    /// let error = client
    ///     .update_user(emulator.environment_id(), emulator.user_id(), &patch)
    ///     .await
    ///     .unwrap_err();
    /// assert_eq!((error.status(), error.code()), (Some(409), Some("CONFLICT")));
    /// assert_eq!(emulator.requests().len(), 1); // not retried
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// A 429 carries a `Retry-After` of
    /// [`EmulatorBuilder::fault_retry_after`](super::EmulatorBuilder::fault_retry_after)
    /// seconds (1 by default), as PingOne's does.
    ApiError {
        /// The HTTP status, such as 409.
        status: u16,
        /// The error body's `code`, such as `CONFLICT`.
        code: String,
    },
}

/// Faults drawn at random: each request to a users endpoint that finds no queued fault gets
/// one of `faults` with probability `probability`, from a generator seeded with `seed`, so that
/// a run can be replayed. Set with
/// [`EmulatorBuilder::random_faults`](super::EmulatorBuilder::random_faults).
///
/// The draws follow the order in which requests reach the emulator; with concurrent clients
/// that order, and so which request gets which fault, may differ between runs of one seed,
/// while the rate and the mix of faults stay the same.
///
/// ```
/// use std::time::Duration;
/// use sparse_patch::pingone::emulator::{Fault, RandomFaults};
///
/// let chaos = RandomFaults::new(42, 0.1, vec![Fault::Status(503), Fault::Slow(Duration::from_millis(50))]);
/// assert_eq!(chaos.seed(), 42);
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct RandomFaults {
    seed: u64,
    probability: f64,
    faults: Vec<Fault>,
    /// The generator's state (SplitMix64).
    state: u64,
    /// How many faults were given so far.
    given: u64,
}

impl RandomFaults {
    /// Each request gets one of `faults` (picked uniformly) with `probability`, clamped to
    /// 0 to 1; no fault when `faults` is empty.
    #[must_use]
    pub fn new(seed: u64, probability: f64, faults: Vec<Fault>) -> Self {
        let probability = if probability.is_nan() {
            0.0
        } else {
            probability.clamp(0.0, 1.0)
        };
        RandomFaults {
            seed,
            probability,
            faults,
            state: seed,
            given: 0,
        }
    }

    /// The seed the faults are drawn from.
    #[must_use]
    pub fn seed(&self) -> u64 {
        self.seed
    }

    /// How many faults were given so far.
    #[must_use]
    pub fn given(&self) -> u64 {
        self.given
    }

    /// SplitMix64 (Steele, Lea and Flood, "Fast splittable pseudorandom number generators",
    /// OOPSLA 2014): enough for test faults, and no dependency.
    fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// The fault of the next request, if it gets one.
    pub(super) fn draw(&mut self) -> Option<Fault> {
        if self.faults.is_empty() {
            return None;
        }
        // 53 random bits as a fraction in [0, 1).
        #[allow(clippy::cast_precision_loss)]
        let roll = (self.next_u64() >> 11) as f64 / (1_u64 << 53) as f64;
        if roll >= self.probability {
            return None;
        }
        let len = self.faults.len() as u64;
        let pick = usize::try_from(self.next_u64() % len).unwrap_or(0);
        self.given += 1;
        self.faults.get(pick).cloned()
    }
}

/// What a fault does to one request.
pub(super) enum Effect {
    /// Serve the request as usual.
    Serve,
    /// Serve it, then cut the 200 body in half (`Content-Length` too).
    Truncate,
    /// Serve it, then announce the whole 200 body and drop the connection halfway.
    Cut,
    /// Answer this instead of serving the request.
    Answer(Response),
}

impl Effect {
    /// The effect on the answer to a request with `method`: [`Effect::Truncate`] and
    /// [`Effect::Cut`] shape a body, and a HEAD's answer has none (RFC 9110 §9.3.2), so they
    /// leave it as it is, as they leave an answer that is not 200. Applied to a HEAD, hyper
    /// wrote its head all the same: the client read a 200 that the log said no status
    /// reached, and a truncated HEAD announced half the `Content-Length` of the GET's.
    pub(super) fn on(self, method: &Method) -> Effect {
        if *method == Method::HEAD && matches!(self, Effect::Truncate | Effect::Cut) {
            Effect::Serve
        } else {
            self
        }
    }

    /// The status that the client reads of `served` (the emulator's own answer) once
    /// [`shape`] has shaped it: `served`'s, but none for [`Effect::Cut`] of a 200, whose
    /// connection is dropped before hyper writes its status line (see [`Fault::ConnectionCut`]).
    pub(super) fn status_read(&self, served: &Response) -> Option<StatusCode> {
        let status = served.status();
        (!(matches!(self, Effect::Cut) && status == StatusCode::OK)).then_some(status)
    }
}

/// The endpoint a fault is taken on, which shapes an injected 401.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Endpoint {
    /// A users endpoint (a resource server, RFC 6750): an injected 401 is its refusal of a
    /// token ([`ErrorWriter::invalid_token`]).
    Users,
    /// The token endpoint.
    Token,
}

/// Applies the fault of one request to `endpoint`, if any: waits for [`Fault::Slow`], or says
/// what to answer. A 429 of [`Fault::Status`] or [`Fault::ApiError`] carries a `Retry-After`
/// of `retry_after` seconds ([`EmulatorBuilder::fault_retry_after`](super::EmulatorBuilder::fault_retry_after)).
pub(super) async fn effect(
    errors: &ErrorWriter,
    fault: Option<Fault>,
    endpoint: Endpoint,
    retry_after: u64,
) -> Effect {
    match fault {
        None => Effect::Serve,
        Some(Fault::Slow(wait)) => {
            tokio::time::sleep(wait).await;
            Effect::Serve
        }
        Some(Fault::TruncatedBody) => Effect::Truncate,
        Some(Fault::ConnectionCut) => Effect::Cut,
        Some(Fault::RateLimited { retry_after }) => {
            Effect::Answer(rate_limited(errors, &retry_after))
        }
        Some(Fault::ServiceUnavailable { retry_after }) => {
            let mut response = errors.answer(
                StatusCode::SERVICE_UNAVAILABLE,
                "SERVICE_UNAVAILABLE",
                "The service is temporarily unavailable.",
                Vec::new(),
            );
            if let Some(value) = retry_after.and_then(|v| v.parse().ok()) {
                response.headers_mut().insert(header::RETRY_AFTER, value);
            }
            Effect::Answer(response)
        }
        Some(Fault::BadGateway) => Effect::Answer(
            (
                StatusCode::BAD_GATEWAY,
                [(header::CONTENT_TYPE, "text/html")],
                "<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center></body></html>\n",
            )
                .into_response(),
        ),
        Some(Fault::Status(429)) => Effect::Answer(rate_limited(errors, &retry_after.to_string())),
        Some(Fault::Status(status)) => Effect::Answer(api_error(errors, status, None, endpoint)),
        Some(Fault::ApiError { status, code }) => {
            let mut response = api_error(errors, status, Some(&code), endpoint);
            if response.status() == StatusCode::TOO_MANY_REQUESTS {
                response
                    .headers_mut()
                    .insert(header::RETRY_AFTER, header::HeaderValue::from(retry_after));
            }
            Effect::Answer(response)
        }
    }
}

/// `status` (500 for a number that is not an HTTP status, or a 1xx status, which is no final
/// answer: RFC 9110 §15.2) with a PingOne error body whose `code` is `code`, or the status's
/// own code, `UNEXPECTED_ERROR` for a status without one; a status that carries no content
/// ([`without_content`]) without it.
///
/// On a users endpoint a 401 carries the `WWW-Authenticate` challenge that RFC 9110 §15.5.2
/// requires of every 401, and [`Fault::Status(401)`](Fault::Status) is the endpoint's own
/// refusal of a token that has ended, `INVALID_TOKEN` detail included
/// ([`ErrorWriter::invalid_token`]). Before, both came without the challenge, and the status
/// without the detail.
fn api_error(
    errors: &ErrorWriter,
    status: u16,
    code: Option<&str>,
    endpoint: Endpoint,
) -> Response {
    let status = StatusCode::from_u16(status)
        .ok()
        .filter(|status| !status.is_informational())
        .unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    if let Some(response) = without_content(status) {
        return response;
    }
    let challenged = endpoint == Endpoint::Users && status == StatusCode::UNAUTHORIZED;
    if challenged && code.is_none() {
        return errors.invalid_token(true);
    }
    let code = code.unwrap_or(match status.as_u16() {
        400 => "INVALID_REQUEST",
        401 | 403 => "ACCESS_FAILED",
        404 => "NOT_FOUND",
        408 => "REQUEST_TIMEOUT",
        415 => "INVALID_REQUEST",
        429 => "REQUEST_LIMITED",
        _ => "UNEXPECTED_ERROR",
    });
    let mut response = errors.answer(status, code, "Injected fault.", Vec::new());
    if challenged {
        response.headers_mut().insert(
            header::WWW_AUTHENTICATE,
            header::HeaderValue::from_static(INVALID_TOKEN_CHALLENGE),
        );
    }
    response
}

/// The answer of `status` when it carries no content, and so no error body: 204 and 304,
/// which end at their header section and must not announce the error body's length (RFC 9110
/// §6.4.1, §8.6: a 204 has no `Content-Length`, a 304's would be its representation's), and
/// 205, which must not have content and says so with `Content-Length: 0` (§15.3.6). hyper
/// sent the `Content-Length` of the body it left out of a 204 or a 304, and a 205's body.
fn without_content(status: StatusCode) -> Option<Response> {
    let mut response = Response::new(Body::empty());
    *response.status_mut() = status;
    match status {
        StatusCode::NO_CONTENT | StatusCode::NOT_MODIFIED => {}
        StatusCode::RESET_CONTENT => {
            response
                .headers_mut()
                .insert(header::CONTENT_LENGTH, header::HeaderValue::from(0_u16));
        }
        _ => return None,
    }
    Some(response)
}

/// The emulator's own rate limit
/// ([`EmulatorBuilder::rate_limit`](super::EmulatorBuilder::rate_limit)): GCRA with a burst
/// of `per_second`, refilled at `per_second` per second (so a second that starts with a full
/// bucket holds up to `2 * per_second - 1` requests), in real time ([`RealTime`]).
pub(super) type RateLimit = governor::RateLimiter<
    governor::state::NotKeyed,
    governor::state::InMemoryState,
    RealTime,
    governor::middleware::NoOpMiddleware<governor::nanos::Nanos>,
>;

/// Real time, as a server counts it: the time since the limit was made, by
/// `std::time::Instant` (as the emulator's access tokens expire), not by tokio's clock, which
/// a user's paused runtime would stop (the emulator serves on a thread and a runtime of its
/// own). governor's own clock of `Instant` comes with its `std` feature, which this crate
/// leaves off (`Cargo.toml`).
#[derive(Debug, Clone, Copy)]
pub(super) struct RealTime {
    start: std::time::Instant,
}

impl governor::clock::Clock for RealTime {
    type Instant = governor::nanos::Nanos;

    fn now(&self) -> governor::nanos::Nanos {
        governor::nanos::Nanos::from(self.start.elapsed())
    }
}

/// A rate limit of `per_second` requests per second.
pub(super) fn rate_limit(per_second: std::num::NonZeroU32) -> RateLimit {
    let clock = RealTime {
        start: std::time::Instant::now(),
    };
    governor::RateLimiter::direct_with_clock(governor::Quota::per_second(per_second), clock)
}

/// 429 `REQUEST_LIMITED`, with `Retry-After` in whole seconds (at least 1), when `limit`
/// allows no request now.
pub(super) fn over_rate_limit(limit: Option<&RateLimit>, errors: &ErrorWriter) -> Option<Response> {
    use governor::clock::Clock as _;

    let limit = limit?;
    let refused = limit.check().err()?;
    let wait = refused.wait_time_from(limit.clock().now());
    let seconds = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
    Some(rate_limited(errors, &seconds.max(1).to_string()))
}

/// 429 `REQUEST_LIMITED` with a `Retry-After` (seconds or an HTTP date).
pub(super) fn rate_limited(errors: &ErrorWriter, retry_after: &str) -> Response {
    let mut inner = serde_json::Map::new();
    inner.insert("retryAfter".into(), json!(retry_after));
    let mut response = errors.answer(
        StatusCode::TOO_MANY_REQUESTS,
        "REQUEST_LIMITED",
        "The request could not be completed. Too many requests.",
        vec![
            ErrorDetail::new("LIMIT_EXCEEDED", None, "The request limit was exceeded.")
                .with_inner_error(inner),
        ],
    );
    if let Ok(value) = retry_after.parse() {
        response.headers_mut().insert(header::RETRY_AFTER, value);
    }
    response
}

/// Shapes a served answer as [`Effect::Truncate`] or [`Effect::Cut`] ask; other answers, and
/// answers that are not 200, pass unchanged.
pub(super) async fn shape(effect: Effect, response: Response) -> Response {
    if response.status() != StatusCode::OK {
        return response;
    }
    match effect {
        Effect::Truncate => {
            let (parts, body) = response.into_parts();
            let bytes = axum::body::to_bytes(body, usize::MAX)
                .await
                .unwrap_or_default();
            let half = bytes.slice(..bytes.len() / 2);
            let mut response = Response::from_parts(parts, Body::from(half));
            response.headers_mut().remove(header::CONTENT_LENGTH);
            response
        }
        Effect::Cut => {
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
            Response::from_parts(parts, Body::from_stream(chunks))
        }
        Effect::Serve | Effect::Answer(_) => response,
    }
}
