//! The emulator's clock: `updatedAt` as RFC 3339 with milliseconds in UTC, always moving
//! forward from a previous value it can read (a seeded one it cannot is replaced by now).

use std::time::{SystemTime, UNIX_EPOCH};

/// The `updatedAt` after a change: now, or one millisecond after `previous` when the clock
/// has not passed it.
pub(super) fn next_updated_at(previous: &str) -> String {
    let now = rfc3339_now(0);
    if now.as_str() <= previous {
        bump_after(previous)
    } else {
        now
    }
}

/// Now as RFC 3339 with milliseconds in UTC: a new user's `createdAt`.
pub(super) fn now() -> String {
    rfc3339_now(0)
}

/// Now as RFC 3339 with milliseconds in UTC, plus `extra_ms`.
fn rfc3339_now(extra_ms: u64) -> String {
    let since = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default();
    rfc3339(since.as_millis() as u64 + extra_ms)
}

/// One millisecond after a timestamp that is in the future of this clock; now when it cannot
/// be read (a seeded user's `updatedAt` is any text the seed holds) or is too far ahead to
/// count in milliseconds.
fn bump_after(previous: &str) -> String {
    parse_rfc3339_ms(previous)
        .and_then(|ms| ms.checked_add(1))
        .map_or_else(|| rfc3339_now(1), rfc3339)
}

fn rfc3339(ms: u64) -> String {
    let days = (ms / 86_400_000) as i64;
    let rem = ms % 86_400_000;
    let (year, month, day) = civil_from_days(days);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{:03}Z",
        rem / 3_600_000,
        rem / 60_000 % 60,
        rem / 1000 % 60,
        rem % 1000
    )
}

fn parse_rfc3339_ms(text: &str) -> Option<u64> {
    let text = text.strip_suffix('Z')?;
    let (date, time) = text.split_once('T')?;
    let mut date = date.split('-').map(|p| p.parse::<i64>().ok());
    let (y, m, d) = (date.next()??, date.next()??, date.next()??);
    let (hms, frac) = time.split_once('.').unwrap_or((time, "0"));
    let mut hms = hms.split(':').map(|p| p.parse::<u64>().ok());
    let (h, mi, s) = (hms.next()??, hms.next()??, hms.next()??);
    if !frac.bytes().all(|byte| byte.is_ascii_digit()) || !(1..=12).contains(&m) {
        return None;
    }
    // The first three digits, padded with zeros: ASCII only (checked above), so the slice
    // is on a character boundary.
    let ms: u64 = format!("{frac:0<3}")[..3].parse().ok()?;
    let days = u64::try_from(days_from_civil(y, m, d)?).ok()?;
    days.checked_mul(86_400_000)?
        .checked_add(h.checked_mul(3_600_000)?)?
        .checked_add(mi.checked_mul(60_000)?)?
        .checked_add(s.checked_mul(1000)?)?
        .checked_add(ms)
}

/// Howard Hinnant's `civil_from_days`.
fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// Howard Hinnant's `days_from_civil`, for a month from 1 to 12; `None` when the count does
/// not fit in an `i64` (a year read from text may be any number).
fn days_from_civil(y: i64, m: i64, d: i64) -> Option<i64> {
    let y = if m <= 2 { y.checked_sub(1)? } else { y };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let mp = if m > 2 { m - 3 } else { m + 9 };
    let doy = ((153 * mp + 2) / 5).checked_add(d)?.checked_sub(1)?;
    let doe = (yoe * 365 + yoe / 4 - yoe / 100).checked_add(doy)?;
    era.checked_mul(146_097)?
        .checked_add(doe)?
        .checked_sub(719_468)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_round_trip() {
        assert_eq!(rfc3339(0), "1970-01-01T00:00:00.000Z");
        let ms = parse_rfc3339_ms("2023-01-04T22:54:25.135Z").unwrap();
        assert_eq!(rfc3339(ms), "2023-01-04T22:54:25.135Z");
        assert_eq!(
            bump_after("2999-01-01T00:00:00.000Z"),
            "2999-01-01T00:00:00.001Z"
        );
        assert_eq!(
            next_updated_at("2999-01-01T00:00:00.000Z"),
            "2999-01-01T00:00:00.001Z"
        );
        assert!(next_updated_at("2000-01-01T00:00:00.000Z").as_str() > "2000-01-01T00:00:00.000Z");
    }
}
