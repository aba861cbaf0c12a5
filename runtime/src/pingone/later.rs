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
