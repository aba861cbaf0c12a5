//! The emulator's own rate limit ([`RateLimit`], in real time) and its 429 answer.

use axum::http::{StatusCode, header};
use axum::response::Response;
use serde_json::json;

use super::super::errors::ErrorWriter;
use crate::pingone::ErrorDetail;

/// The emulator's own rate limit
/// ([`EmulatorBuilder::rate_limit`](super::super::EmulatorBuilder::rate_limit)): GCRA with a burst
/// of `per_second`, refilled at `per_second` per second (so a second that starts with a full
/// bucket holds up to `2 * per_second - 1` requests), in real time ([`RealTime`]).
pub(in crate::pingone::emulator) type RateLimit = governor::RateLimiter<
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
pub(in crate::pingone::emulator) struct RealTime {
    start: std::time::Instant,
}

impl governor::clock::Clock for RealTime {
    type Instant = governor::nanos::Nanos;

    fn now(&self) -> governor::nanos::Nanos {
        governor::nanos::Nanos::from(self.start.elapsed())
    }
}

/// A rate limit of `per_second` requests per second.
pub(in crate::pingone::emulator) fn rate_limit(per_second: std::num::NonZeroU32) -> RateLimit {
    let clock = RealTime {
        start: std::time::Instant::now(),
    };
    governor::RateLimiter::direct_with_clock(governor::Quota::per_second(per_second), clock)
}

/// 429 `REQUEST_LIMITED`, with `Retry-After` in whole seconds (at least 1), when `limit`
/// allows no request now.
pub(in crate::pingone::emulator) fn over_rate_limit(
    limit: Option<&RateLimit>,
    errors: &ErrorWriter,
) -> Option<Response> {
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
