//! [`RetryAfterHold`]: the instant before which no request of a client goes to the users
//! API, set by a 429's or 503's `Retry-After`, and shared by every call of the client.

use std::sync::Mutex;
use std::time::Duration;

use tokio::time::Instant;

/// The client-wide "not before" instant that a `Retry-After` sets: a 429 (RFC 6585 §4) or a
/// 503 (RFC 9110 §15.6.4) says when the server will take requests again, and PingOne's rate
/// limits are per environment, not per call. One per [`Transport`](super::Transport), so
/// shared by every clone of a client; a later `Retry-After` that ends later extends it, an
/// earlier one does not shorten it.
#[derive(Default)]
pub(crate) struct RetryAfterHold {
    hold: Mutex<Option<Hold>>,
}

/// The hold in force: until when, how widely the calls it held are spread after it, and the
/// status of the answer that set it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Hold {
    pub(crate) until: Instant,
    /// The most that a held call waits past `until` (the policy's jitter of a `Retry-After`:
    /// zero without jitter), so that the calls held do not all go in the same instant.
    pub(crate) spread: Duration,
    /// The status of the answer whose `Retry-After` set it (429 or 503).
    pub(crate) status: u16,
}

/// How far ahead a wait that an `Instant` cannot hold (`max_retry_after(Duration::MAX)` and a
/// `Retry-After` of `u64::MAX` seconds) holds: a hundred years.
const FOREVER: Duration = Duration::from_secs(100 * 365 * 24 * 3600);

impl RetryAfterHold {
    /// Holds every request until `wait` from now, unless a hold ends later already: the
    /// answer of `status` asked for `wait` (one that the retry policy waits out), and a held
    /// call goes up to `spread` after it.
    pub(crate) fn extend(&self, status: u16, wait: Duration, spread: Duration) {
        if wait.is_zero() {
            return;
        }
        let now = Instant::now();
        let until = now
            .checked_add(wait)
            .unwrap_or_else(|| now + FOREVER.min(wait));
        let mut hold = self.hold.lock().unwrap_or_else(|e| e.into_inner());
        if hold.is_none_or(|held| until > held.until) {
            *hold = Some(Hold {
                until,
                spread,
                status,
            });
        }
    }

    /// The hold in force now, if any: `None` once its instant has passed.
    pub(crate) fn in_force(&self) -> Option<Hold> {
        let hold = *self.hold.lock().unwrap_or_else(|e| e.into_inner());
        hold.filter(|hold| hold.until > Instant::now())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SPREAD: Duration = Duration::from_millis(100);

    /// A later `Retry-After` that ends later extends the hold; one that ends earlier (a 429
    /// of the same burst read after a longer one) does not shorten it; the hold ends at its
    /// instant. Under a paused clock: no socket, so the clock moves only as told.
    #[tokio::test(start_paused = true)]
    async fn a_later_retry_after_extends_and_an_earlier_one_does_not_shorten() {
        let hold = RetryAfterHold::default();
        assert_eq!(hold.in_force(), None);
        let start = Instant::now();
        hold.extend(429, Duration::from_secs(2), SPREAD);
        assert_eq!(
            hold.in_force().unwrap().until,
            start + Duration::from_secs(2)
        );
        tokio::time::advance(Duration::from_secs(1)).await;
        // 1 s from now ends before the 2 s from the start: kept.
        hold.extend(503, Duration::from_millis(500), Duration::ZERO);
        let kept = hold.in_force().unwrap();
        assert_eq!(
            (kept.until, kept.status, kept.spread),
            (start + Duration::from_secs(2), 429, SPREAD)
        );
        // 3 s from now ends after it: extended, with its status and spread.
        hold.extend(503, Duration::from_secs(3), Duration::ZERO);
        let extended = hold.in_force().unwrap();
        assert_eq!(
            (extended.until, extended.status, extended.spread),
            (start + Duration::from_secs(4), 503, Duration::ZERO)
        );
        tokio::time::advance(Duration::from_millis(2999)).await;
        assert!(hold.in_force().is_some());
        tokio::time::advance(Duration::from_millis(1)).await;
        assert_eq!(hold.in_force(), None);
    }

    /// A wait of zero holds nothing (a `Retry-After: 0` is no wait given), and a wait past
    /// what an `Instant` holds neither panics nor ends the hold at once.
    #[tokio::test(start_paused = true)]
    async fn no_wait_holds_nothing_and_an_endless_one_holds() {
        let hold = RetryAfterHold::default();
        hold.extend(429, Duration::ZERO, SPREAD);
        assert_eq!(hold.in_force(), None);
        hold.extend(429, Duration::MAX, SPREAD);
        tokio::time::advance(Duration::from_secs(365 * 24 * 3600)).await;
        assert!(hold.in_force().is_some());
    }
}
