//! [`parse_retry_after`]: a `Retry-After` header value read as the wait it asks for.

use std::time::{Duration, SystemTime};

/// Reads a `Retry-After` header value: delay seconds, or an HTTP date (RFC 9110 §10.2.3)
/// counted from `now`. A date in the past gives zero. A date is read in each of RFC 9110
/// §5.6.7's three formats (IMF-fixdate, and the obsolete RFC 850 and asctime ones), and in a
/// zone other than `GMT` that a mail-style writer puts there (`UTC`, `+0100`, `PST`: the
/// zones of RFC 5322 §3.3 and §4.3), as RFC 9110 §5.6.7 encourages: unread, it was no wait
/// given, and the backoff's retries went before the time asked for. Delay seconds are ASCII digits
/// (`1*DIGIT`: no sign); more than a `u64` holds is read as `u64::MAX` seconds, as RFC 9111
/// §1.2.2 has a cache read a delta-seconds past what it can represent (the wait is then
/// capped as any other), not as no wait given. Digits with a decimal fraction (`1.5`,
/// `299.997`, `2.0`), which RFC 9110 does not allow but rate limiters that write a time
/// difference as it is send (Sentry's, opensearch-project/data-prepper#6927's services), are
/// read rounded up to the next whole second, so that the wait is never shorter than asked:
/// read as no wait given, a `Retry-After: 299.997` had the backoff's retries sent in the
/// next seconds, each into the same 429.
///
/// ```
/// use std::time::{Duration, SystemTime};
/// use sparse_patch::pingone::parse_retry_after;
///
/// assert_eq!(parse_retry_after("7", SystemTime::now()), Some(Duration::from_secs(7)));
/// let now = SystemTime::UNIX_EPOCH + Duration::from_secs(784_111_777 - 30);
/// assert_eq!(
///     parse_retry_after("Sun, 06 Nov 1994 08:49:37 GMT", now),
///     Some(Duration::from_secs(30))
/// );
/// assert_eq!(
///     parse_retry_after("Sun, 06 Nov 1994 09:49:37 +0100", now),
///     Some(Duration::from_secs(30))
/// );
/// assert_eq!(parse_retry_after("soon", now), None);
/// assert_eq!(parse_retry_after("+7", now), None);
/// assert_eq!(parse_retry_after("1.5", now), Some(Duration::from_secs(2)));
/// assert_eq!(parse_retry_after("2.000", now), Some(Duration::from_secs(2)));
/// assert_eq!(parse_retry_after(".5", now), None);
/// assert_eq!(
///     parse_retry_after("99999999999999999999999", now),
///     Some(Duration::from_secs(u64::MAX))
/// );
/// ```
#[cfg(feature = "client")]
#[must_use]
pub fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    fn digits(text: &str) -> bool {
        !text.is_empty() && text.bytes().all(|byte| byte.is_ascii_digit())
    }
    let value = value.trim();
    let (whole, fraction) = match value.split_once('.') {
        None => (value, ""),
        Some((whole, fraction)) if digits(fraction) => (whole, fraction),
        // `1.`, `1.5s`, `1.2.3`: not delay seconds.
        Some(_) => ("", ""),
    };
    if digits(whole) {
        let seconds: u64 = whole.parse().unwrap_or(u64::MAX);
        // A fraction above zero rounds up: a wait is never shortened.
        let up = fraction.bytes().any(|byte| byte != b'0');
        return Some(Duration::from_secs(seconds.saturating_add(u64::from(up))));
    }
    let date = super::super::http_date::parse(value)?;
    Some(date.duration_since(now).unwrap_or(Duration::ZERO))
}
#[cfg(test)]
mod tests {
    use std::time::{Duration, SystemTime};

    use super::parse_retry_after;

    /// `Retry-After` delay seconds are `1*DIGIT` (RFC 9110 §10.2.3); the decimal fraction read
    /// besides is digits after one dot. Digits followed by a dot and no fraction, or a fraction
    /// with a unit or a second dot, are no delay seconds (nor an HTTP date): no wait given, not
    /// the whole seconds before the dot.
    #[test]
    fn delay_seconds_with_a_malformed_fraction_are_no_wait() {
        let now = SystemTime::UNIX_EPOCH;
        for value in ["1.", "1.5s", "1.2.3", "2.x", "3. 5"] {
            assert_eq!(parse_retry_after(value, now), None, "{value:?}");
        }
        assert_eq!(parse_retry_after("1.25", now), Some(Duration::from_secs(2)));
    }
}
