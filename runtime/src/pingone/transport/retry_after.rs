//! The wait that an answer asks for: its `Retry-After` header, or its PingOne error body's
//! `innerError.retryAfter`.

use std::time::{Duration, SystemTime};

use reqwest::header::{DATE, HeaderMap, RETRY_AFTER};

use super::super::ApiError;
use super::super::retry::{parse_retry_after, parse_rfc3339};

/// The answer's `Retry-After`: delay seconds, or an HTTP date counted from the answer's own
/// `Date` (the server's clock, RFC 9110 §6.6.1), else from this machine's clock. Counted from
/// this machine's clock alone, a clock some seconds ahead of the server's turned every date
/// into a past one, a wait of zero (a retry at once, into the next 429), and one behind into a
/// wait of the cap. Without a `Retry-After` that can be read: `None`, and the clock to
/// count the body's `retryAfter` from ([`body_retry_after`]).
#[cold]
pub(super) fn retry_after_and_date(headers: &HeaderMap) -> (Option<Duration>, Option<SystemTime>) {
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
/// answer's clock; the first detail that has one that can be read. Without any, the
/// `quotaResetTime` of a detail (PingOne's `QUOTA_EXCEEDED`: when the quota that refused the
/// request is given again), a date as `retryAfter`'s (an RFC 3339 date-time or an HTTP
/// date; *unverified* which PingOne writes, and a number, whose unit and epoch no source
/// gives, is not read): without it, a 429 of a spent quota whose gateway dropped the
/// `Retry-After` was retried on the backoff, each attempt into the same quota, and the sync
/// job sent every later line into it (as lobehub/lobehub#13572 and Gitlawb/openclaude#249
/// report of other clients); a reset past `max_retry_after` now ends the retries at once with
/// that wait. A body that is not JSON, or has neither, gives `None`.
#[cold]
pub(super) fn body_retry_after(body: &[u8], now: SystemTime) -> Option<Duration> {
    let error: ApiError = serde_json::from_slice(body).ok()?;
    let inner = |name: &'static str| {
        error
            .details
            .iter()
            .filter_map(move |detail| detail.inner_error.as_ref()?.get(name))
    };
    let date = |text: &str| {
        let at = parse_rfc3339(text).or_else(|| httpdate::parse_http_date(text.trim()).ok())?;
        Some(at.duration_since(now).unwrap_or(Duration::ZERO))
    };
    inner("retryAfter")
        .find_map(|value| match value {
            serde_json::Value::Number(number) => {
                let seconds = number.as_f64()?;
                // Whole seconds, rounded up: a wait is never shortened.
                (seconds.is_finite() && seconds >= 0.0)
                    .then(|| Duration::from_secs(seconds.ceil().min(u64::MAX as f64) as u64))
            }
            serde_json::Value::String(text) => parse_retry_after(text, now).or_else(|| date(text)),
            _ => None,
        })
        .or_else(|| inner("quotaResetTime").find_map(|value| date(value.as_str()?)))
}
