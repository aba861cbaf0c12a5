//! [`parse_rfc3339`]: an RFC 3339 date-time, as PingOne writes its times.

use std::time::{Duration, SystemTime};

/// Reads an RFC 3339 date-time (`2026-12-05T03:00:00Z`, `2026-12-05T04:00:00.250+01:00`;
/// `T` or a space between the date and the time, in either case, and `Z` in either case),
/// as PingOne writes its times. `None` for anything else, a date before 1970 included.
pub(crate) fn parse_rfc3339(text: &str) -> Option<SystemTime> {
    fn number(text: &[u8]) -> Option<u64> {
        (!text.is_empty() && text.iter().all(u8::is_ascii_digit))
            .then(|| text.iter().fold(0, |n, &d| n * 10 + u64::from(d - b'0')))
    }
    let text = text.trim().as_bytes();
    if text.len() < 20
        || text[4] != b'-'
        || text[7] != b'-'
        || !matches!(text[10], b'T' | b't' | b' ')
        || text[13] != b':'
        || text[16] != b':'
    {
        return None;
    }
    let (year, month, day) = (
        number(&text[..4])?,
        number(&text[5..7])?,
        number(&text[8..10])?,
    );
    let (hour, minute, second) = (
        number(&text[11..13])?,
        number(&text[14..16])?,
        number(&text[17..19])?,
    );
    let mut rest = &text[19..];
    let mut nanos = 0;
    if let Some(fraction) = rest.strip_prefix(b".") {
        let digits = fraction.iter().take_while(|b| b.is_ascii_digit()).count();
        number(&fraction[..digits])?;
        nanos = fraction[..digits.min(9)]
            .iter()
            .chain(std::iter::repeat(&b'0'))
            .take(9)
            .fold(0, |n, &d| n * 10 + u32::from(d - b'0'));
        rest = &fraction[digits..];
    }
    let offset: i64 = match rest {
        [b'Z' | b'z'] => 0,
        [sign @ (b'+' | b'-'), h1, h2, b':', m1, m2] => {
            let (hours, minutes) = (number(&[*h1, *h2])?, number(&[*m1, *m2])?);
            if hours > 23 || minutes > 59 {
                return None;
            }
            let offset = i64::try_from(hours * 3600 + minutes * 60).ok()?;
            if *sign == b'-' { -offset } else { offset }
        }
        _ => return None,
    };
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let days_in_month = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return None,
    };
    // A leap second (`:60`) is read as the next second's start.
    if day == 0 || day > days_in_month || hour > 23 || minute > 59 || second > 60 {
        return None;
    }
    // Days from 1970-01-01 (the civil-from-days inverse of H. Hinnant's algorithm).
    let (y, m) = if month <= 2 {
        (i64::try_from(year).ok()? - 1, month + 9)
    } else {
        (i64::try_from(year).ok()?, month - 3)
    };
    let era = y.div_euclid(400);
    let year_of_era = y - era * 400;
    let day_of_year = i64::try_from((153 * m + 2) / 5 + day - 1).ok()?;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    let days = era * 146_097 + day_of_era - 719_468;
    let seconds = days * 86_400 + i64::try_from(hour * 3600 + minute * 60 + second).ok()? - offset;
    let seconds = u64::try_from(seconds).ok()?;
    Some(SystemTime::UNIX_EPOCH + Duration::new(seconds, nanos))
}
#[cfg(test)]
mod tests {
    use std::time::{Duration, SystemTime};

    use super::parse_rfc3339;

    /// RFC 3339 date-times as PingOne writes its times, against `httpdate`'s reading of the
    /// same instants; what is not one is `None`.
    #[test]
    fn rfc3339_date_times() {
        let at = |http: &str| httpdate::parse_http_date(http).unwrap();
        for (text, expected) in [
            ("1994-11-06T08:49:37Z", at("Sun, 06 Nov 1994 08:49:37 GMT")),
            ("1994-11-06t08:49:37z", at("Sun, 06 Nov 1994 08:49:37 GMT")),
            (
                "1994-11-06 09:49:37+01:00",
                at("Sun, 06 Nov 1994 08:49:37 GMT"),
            ),
            (
                "1994-11-06T03:19:37-05:30",
                at("Sun, 06 Nov 1994 08:49:37 GMT"),
            ),
            ("2024-02-29T23:59:59Z", at("Thu, 29 Feb 2024 23:59:59 GMT")),
            ("2000-03-01T00:00:00Z", at("Wed, 01 Mar 2000 00:00:00 GMT")),
            ("1970-01-01T00:00:00Z", SystemTime::UNIX_EPOCH),
        ] {
            assert_eq!(parse_rfc3339(text), Some(expected), "{text}");
        }
        assert_eq!(
            parse_rfc3339("2026-12-05T03:00:00.250Z"),
            Some(at("Sat, 05 Dec 2026 03:00:00 GMT") + Duration::from_millis(250))
        );
        for text in [
            "",
            "2026-12-05",
            "2026-12-05T03:00:00",
            "2026-13-05T03:00:00Z",
            "2026-02-29T03:00:00Z",
            "2026-12-05T24:00:00Z",
            "2026-12-05T03:00:00+24:00",
            "2026-12-05T03:00:00.Z",
            "1969-12-31T23:59:59Z",
            "Sun, 06 Nov 1994 08:49:37 GMT",
            "2026-12-05T03:00:00Zjunk",
        ] {
            assert_eq!(parse_rfc3339(text), None, "{text}");
        }
    }

    /// The Gregorian leap years and the leap second of RFC 3339 (§5.6 `time-second` up to
    /// 60, §5.7 and Appendix C's leap year rule): 29 February of 2000 (divisible by 400) is a
    /// date, of 2100 and 1900 (by 100, not 400) is not; `:60` reads as the next second's start.
    #[test]
    fn rfc3339_leap_years_and_leap_seconds() {
        let at = |http: &str| httpdate::parse_http_date(http).unwrap();
        assert_eq!(
            parse_rfc3339("2000-02-29T12:00:00Z"),
            Some(at("Tue, 29 Feb 2000 12:00:00 GMT"))
        );
        assert_eq!(parse_rfc3339("2100-02-29T12:00:00Z"), None);
        assert_eq!(parse_rfc3339("1900-02-29T12:00:00Z"), None);
        assert_eq!(
            parse_rfc3339("2016-12-31T23:59:60Z"),
            Some(at("Sun, 01 Jan 2017 00:00:00 GMT"))
        );
        assert_eq!(parse_rfc3339("2016-12-31T23:59:61Z"), None);
    }
}
