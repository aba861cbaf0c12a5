//! The wait that an answer asks for: its `Retry-After` header, or its PingOne error body's
//! `innerError.retryAfter`.

use std::time::{Duration, SystemTime};

use reqwest::header::{DATE, HeaderMap, RETRY_AFTER};

use super::super::ApiError;
use super::super::error_body::may_be_error_document;
use super::super::http_date;
use super::super::retry::{parse_retry_after, parse_rfc3339};

/// The answer's `Retry-After`: delay seconds, or an HTTP date counted from the answer's own
/// `Date` (the server's clock, RFC 9110 §6.6.1), else from this machine's clock. Counted from
/// this machine's clock alone, a clock some seconds ahead of the server's turned every date
/// into a past one, a wait of zero (a retry at once, into the next 429), and one behind into a
/// wait of the cap. Without a `Retry-After` that can be read: `None`, and the clock to
/// count the body's `retryAfter` from ([`body_retry_after`]).
///
/// `Retry-After` is a singleton field (RFC 9110 §10.2.3), but a proxy or gateway that adds
/// its own beside the server's sends two lines, and one that folds repeated lines into a list
/// (RFC 9110 §5.3) sends `1, 120`: the longest wait that can be read of every line and every
/// element of a list ([`longest_wait_of_line`]) is taken, so that no retry goes before any
/// value asks (the first line alone sent `1` then `120` again after one second, and a
/// folded list, read as none, at once).
#[cold]
pub(super) fn retry_after_and_date(headers: &HeaderMap) -> (Option<Duration>, Option<SystemTime>) {
    let now = headers
        .get(DATE)
        .and_then(|date| http_date::parse(date.to_str().ok()?))
        .unwrap_or_else(SystemTime::now);
    match headers
        .get_all(RETRY_AFTER)
        .iter()
        .filter_map(|value| longest_wait_of_line(value.to_str().ok()?, now))
        .max()
    {
        Some(wait) => (Some(wait), None),
        None => (None, Some(now)),
    }
}

/// The wait of one `Retry-After` line: its value ([`parse_retry_after`]), or, for a line that
/// is none, the longest of the values of the comma-separated list that a proxy folded it into
/// (RFC 9110 §5.3, §5.6.1), whose elements that are not one are skipped. An HTTP date holds a
/// comma of its own after its day name (`Sun, 06 Nov 1994 08:49:37 GMT`, RFC 9110 §5.6.7):
/// an element that is a day name is read with the one after it.
fn longest_wait_of_line(line: &str, now: SystemTime) -> Option<Duration> {
    if let Some(wait) = parse_retry_after(line, now) {
        return Some(wait);
    }
    let is_day_name = |text: &str| {
        text.len() >= 3
            && text.bytes().all(|byte| byte.is_ascii_alphabetic())
            && ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
                .iter()
                .any(|day| text[..3].eq_ignore_ascii_case(day))
    };
    let mut elements = line.split(',');
    let mut longest = None;
    while let Some(element) = elements.next() {
        let wait = if is_day_name(element.trim()) {
            let date = format!("{element},{}", elements.next().unwrap_or_default());
            parse_retry_after(&date, now)
        } else {
            parse_retry_after(element, now)
        };
        longest = longest.max(wait);
    }
    longest
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
    if !may_be_error_document(body) {
        return None;
    }
    let error: ApiError = serde_json::from_slice(body).ok()?;
    let inner = |name: &'static str| {
        error
            .details
            .iter()
            .filter_map(move |detail| detail.inner_error.as_ref()?.get(name))
    };
    let date = |text: &str| {
        let at = parse_rfc3339(text).or_else(|| http_date::parse(text))?;
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
