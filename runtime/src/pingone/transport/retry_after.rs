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
/// answer's clock; the first detail that has one that can be read. A body that is not JSON,
/// or has none, gives `None`.
#[cold]
pub(super) fn body_retry_after(body: &[u8], now: SystemTime) -> Option<Duration> {
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
