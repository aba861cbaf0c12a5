//! Durations as error text says them: a server's wait or a timeout of any length, read by a
//! person. `Duration`'s `Debug` and `as_secs()` write a `Retry-After` of `u64::MAX` seconds
//! (which [`parse_retry_after`](crate::pingone::parse_retry_after) gives, as the header
//! allows) as `18446744073709551615s`; here it is "more than a year".

use core::fmt;
use std::time::Duration;

const MINUTE: u64 = 60;
const HOUR: u64 = 60 * MINUTE;
const DAY: u64 = 24 * HOUR;
/// Past this, a duration is "more than a year": the exact figure tells a reader nothing.
const YEAR: u64 = 365 * DAY;

/// A wait, in whole seconds rounded up (a wait under a second is `1s`, never `0s`; zero is
/// `0s`): `120s` under an hour, as `Retry-After` counts it, then in units (`1h 30min`,
/// `2d 3h`), and past 365 days `more than a year`.
pub(crate) struct Wait(pub(crate) Duration);

impl fmt::Display for Wait {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let seconds = self
            .0
            .as_secs()
            .saturating_add(u64::from(self.0.subsec_nanos() > 0));
        if seconds < HOUR {
            write!(f, "{seconds}s")
        } else {
            units(f, seconds)
        }
    }
}

/// A timeout: under an hour as `Duration`'s `Debug` writes it (`30s`, `1.5s`, `250ms`), as it
/// was most likely configured; then as [`Wait`] does.
pub(crate) struct Timeout(pub(crate) Duration);

impl fmt::Display for Timeout {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0 < Duration::from_secs(HOUR) {
            write!(f, "{:?}", self.0)
        } else {
            Wait(self.0).fmt(f)
        }
    }
}

/// `seconds` (an hour or more) as days, hours, minutes and seconds, each unit that is not
/// zero; `more than a year` past 365 days.
fn units(f: &mut fmt::Formatter<'_>, seconds: u64) -> fmt::Result {
    if seconds > YEAR {
        return f.write_str("more than a year");
    }
    let mut rest = seconds;
    let mut first = true;
    for (size, unit) in [(DAY, "d"), (HOUR, "h"), (MINUTE, "min"), (1, "s")] {
        let count = rest / size;
        rest %= size;
        if count > 0 {
            if !first {
                f.write_str(" ")?;
            }
            write!(f, "{count}{unit}")?;
            first = false;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wait(duration: Duration) -> String {
        Wait(duration).to_string()
    }

    #[test]
    fn waits_read_as_a_person_counts_them() {
        assert_eq!(wait(Duration::ZERO), "0s");
        assert_eq!(wait(Duration::from_millis(1)), "1s");
        assert_eq!(wait(Duration::from_millis(1500)), "2s");
        assert_eq!(wait(Duration::from_secs(120)), "120s");
        assert_eq!(wait(Duration::from_secs(3599)), "3599s");
        assert_eq!(wait(Duration::from_secs(3600)), "1h");
        assert_eq!(wait(Duration::from_secs(5400)), "1h 30min");
        assert_eq!(
            wait(Duration::from_secs(2 * DAY + 3 * HOUR + 5)),
            "2d 3h 5s"
        );
        assert_eq!(wait(Duration::from_secs(YEAR)), "365d");
        assert_eq!(wait(Duration::from_secs(YEAR + 1)), "more than a year");
        // Saturates: no overflow where the fraction is rounded up.
        assert_eq!(wait(Duration::MAX), "more than a year");
        assert_eq!(wait(Duration::from_secs(u64::MAX)), "more than a year");
    }

    #[test]
    fn timeouts_keep_their_fraction_under_an_hour() {
        let timeout = |duration| Timeout(duration).to_string();
        assert_eq!(timeout(Duration::from_millis(250)), "250ms");
        assert_eq!(timeout(Duration::from_millis(1500)), "1.5s");
        assert_eq!(timeout(Duration::from_secs(30)), "30s");
        // An hour is where units begin: `1h`, not `3600s` (mutation testing: `<=` for `<`
        // went unnoticed).
        assert_eq!(timeout(Duration::from_millis(3_599_500)), "3599.5s");
        assert_eq!(timeout(Duration::from_secs(HOUR)), "1h");
        assert_eq!(timeout(Duration::from_secs(7200)), "2h");
        assert_eq!(timeout(Duration::MAX), "more than a year");
    }
}
