//! An `Instant` some time after another, for a wait or a lifetime that may be past what the
//! clock can count: the client's hold after a token endpoint's `Retry-After`, the end of a
//! token that the emulator issues.

use std::time::{Duration, Instant};

/// Longer than any process runs.
const CENTURY: Duration = Duration::from_secs(100 * 365 * 24 * 60 * 60);

/// `now + wait`, or, for a `wait` past what `Instant` can count (`Duration::MAX`, meant as
/// "never"), a century from `now`: `+` panics on the overflow, and taking `now` ends at once
/// what was meant never to end. `now` itself on a platform whose `Instant` cannot reach a
/// century ahead.
pub(crate) fn after(now: Instant, wait: Duration) -> Instant {
    now.checked_add(wait)
        .or_else(|| now.checked_add(CENTURY))
        .unwrap_or(now)
}

#[cfg(test)]
mod tests {
    use std::time::{Duration, Instant};

    use super::{CENTURY, after};

    /// A wait that `Instant` cannot count ends a century on, not at once; another ends when it
    /// says. (Mutation testing: `now` for the century went unnoticed.)
    #[test]
    fn a_wait_past_the_clock_ends_a_century_on() {
        let now = Instant::now();
        assert_eq!(
            after(now, Duration::from_secs(5)),
            now + Duration::from_secs(5)
        );
        assert_eq!(after(now, Duration::ZERO), now);
        if let Some(century) = now.checked_add(CENTURY) {
            assert_eq!(after(now, Duration::MAX), century);
        }
    }
}
