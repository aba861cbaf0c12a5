//! An HTTP date as a server or a proxy writes it in `Retry-After` and `Date`: the three
//! formats of RFC 9110 §5.6.7, and the zones other than `GMT` that mail-style date writers
//! put there.

use std::time::{Duration, SystemTime};

/// Reads an HTTP date: IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`), or one of the obsolete
/// formats that a recipient must accept as well (RFC 9110 §5.6.7: RFC 850's
/// `Sunday, 06-Nov-94 08:49:37 GMT` and asctime's `Sun Nov  6 08:49:37 1994`), read by
/// `httpdate`. HTTP dates are in GMT, but RFC 9110 §5.6.7 encourages a recipient to read the
/// dates of other writers too (a message forwarded from a non-HTTP source writes an Internet
/// Message Format zone): a last word other than `GMT` that is a zone of RFC 5322 §3.3 (`+hhmm`,
/// `-hhmm`) or §4.3 (`UT`, `EST`, `EDT`, `CST`, `CDT`, `MST`, `MDT`, `PST`, `PDT`), or `UTC`,
/// `Z` or `GMT` in any case, is read as that offset from GMT. Unread, such a `Retry-After` was
/// no wait given: the backoff's retries went before the time the server asked for, each into
/// the same 429 or 503. `None` for anything else.
pub(crate) fn parse(text: &str) -> Option<SystemTime> {
    let text = text.trim();
    if let Ok(at) = httpdate::parse_http_date(text) {
        return Some(at);
    }
    let (date, zone) = text.rsplit_once(' ')?;
    let east_minutes = zone_offset(zone)?;
    let at = httpdate::parse_http_date(&format!("{} GMT", date.trim_end())).ok()?;
    let offset = Duration::from_secs(east_minutes.unsigned_abs() * 60);
    // The zone's local time is GMT plus its offset: GMT is the local time less it.
    if east_minutes >= 0 {
        at.checked_sub(offset)
    } else {
        at.checked_add(offset)
    }
}

/// The offset of `zone` east of GMT, in minutes, if it is one that [`parse`] reads.
fn zone_offset(zone: &str) -> Option<i64> {
    const NAMED: [(&str, i64); 12] = [
        ("GMT", 0),
        ("UT", 0),
        ("UTC", 0),
        ("Z", 0),
        ("EST", -5 * 60),
        ("EDT", -4 * 60),
        ("CST", -6 * 60),
        ("CDT", -5 * 60),
        ("MST", -7 * 60),
        ("MDT", -6 * 60),
        ("PST", -8 * 60),
        ("PDT", -7 * 60),
    ];
    if let Some((_, minutes)) = NAMED
        .iter()
        .find(|(name, _)| name.eq_ignore_ascii_case(zone))
    {
        return Some(*minutes);
    }
    let (sign, digits) = match zone.as_bytes() {
        [sign @ (b'+' | b'-'), digits @ ..] => (*sign, digits),
        _ => return None,
    };
    if digits.len() != 4 || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let number = |pair: &[u8]| i64::from((pair[0] - b'0') * 10 + (pair[1] - b'0'));
    let (hours, minutes) = (number(&digits[..2]), number(&digits[2..]));
    if minutes > 59 {
        return None;
    }
    let east = hours * 60 + minutes;
    Some(if sign == b'-' { -east } else { east })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 1994-11-06 08:49:37 GMT, RFC 9110's example.
    fn example() -> SystemTime {
        SystemTime::UNIX_EPOCH + Duration::from_secs(784_111_777)
    }

    /// The three formats of RFC 9110 §5.6.7, and the same instant written in other zones;
    /// what is none of them is `None`.
    #[test]
    fn http_dates_in_every_format_and_zone() {
        for text in [
            "Sun, 06 Nov 1994 08:49:37 GMT",
            "Sunday, 06-Nov-94 08:49:37 GMT",
            "Sun Nov  6 08:49:37 1994",
            " Sun, 06 Nov 1994 08:49:37 GMT\t",
            "Sun, 06 Nov 1994 08:49:37 UTC",
            "Sun, 06 Nov 1994 08:49:37 utc",
            "Sun, 06 Nov 1994 08:49:37 gmt",
            "Sun, 06 Nov 1994 08:49:37 UT",
            "Sun, 06 Nov 1994 08:49:37 Z",
            "Sun, 06 Nov 1994 08:49:37 +0000",
            "Sun, 06 Nov 1994 08:49:37 -0000",
            "Sun, 06 Nov 1994 09:49:37 +0100",
            "Sun, 06 Nov 1994 14:19:37 +0530",
            "Sun, 06 Nov 1994 00:49:37 PST",
            "Sun, 06 Nov 1994 01:49:37 PDT",
            "Sun, 06 Nov 1994 03:49:37 EST",
            "Sun, 06 Nov 1994 02:49:37 -0600",
            "Sunday, 06-Nov-94 00:49:37 PST",
        ] {
            assert_eq!(parse(text), Some(example()), "{text:?}");
        }
        for text in [
            "",
            "GMT",
            "soon",
            "Sun, 06 Nov 1994 08:49:37",
            "Sun, 06 Nov 1994 08:49:37 CET",
            "Sun, 06 Nov 1994 08:49:37 +01",
            "Sun, 06 Nov 1994 08:49:37 +0160",
            "Sun, 06 Nov 1994 08:49:37 ++0100",
            "Sun, 06 Nov 1994 08:49:37 +01:00",
            "Mon, 06 Nov 1994 08:49:37 UTC",
            "Sun, 06 Nov 1994 25:49:37 UTC",
            "1994-11-06T08:49:37Z",
        ] {
            assert_eq!(parse(text), None, "{text:?}");
        }
    }

    /// An offset that takes the date past the epoch, either way, is no panic.
    #[test]
    fn offsets_at_the_ends_of_the_clock() {
        assert!(parse("Thu, 01 Jan 1970 00:00:00 +0100") < Some(SystemTime::UNIX_EPOCH));
        assert_eq!(
            parse("Thu, 01 Jan 1970 00:00:00 -9959"),
            Some(SystemTime::UNIX_EPOCH + Duration::from_secs((99 * 60 + 59) * 60))
        );
        assert!(parse("Fri, 31 Dec 9999 23:59:59 -9959").is_some());
    }
}
