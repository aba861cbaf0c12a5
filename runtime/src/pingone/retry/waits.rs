//! The waits of [`RetryPolicy`]: the doubling backoff, the wait before the next attempt
//! (a `Retry-After` or the backoff, with jitter), and the random numbers of the jitter.

use std::hash::{BuildHasher, Hasher};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use super::RetryPolicy;

impl RetryPolicy {
    /// The backoff (without jitter) after failed attempt `attempt` (from 1), capped at
    /// `max_backoff`.
    #[must_use]
    pub fn backoff(&self, attempt: u32) -> Duration {
        let exponent = attempt.saturating_sub(1).min(31);
        self.initial_backoff
            .checked_mul(1u32 << exponent)
            .unwrap_or(self.max_backoff)
            .min(self.max_backoff)
    }
    /// The wait after failed attempt `attempt`, given the answer's `Retry-After`, if any: the
    /// `Retry-After` itself, up to [`max_retry_after`](RetryPolicy::max_retry_after) (an
    /// answer that asks for longer is not retried: [`waits_out`](RetryPolicy::waits_out)),
    /// with [`jitter`](RetryPolicy::jitter) lengthened by up to half of it, at most 1 s; else
    /// the backoff. A `Retry-After` of zero (`0`, or a date that is not after the
    /// answer's) counts as none: the backoff applies, so that a server or proxy that answers
    /// it on every attempt does not have all of them sent at once.
    #[must_use]
    pub fn wait(&self, attempt: u32, retry_after: Option<Duration>) -> Duration {
        match retry_after {
            Some(wait) if !wait.is_zero() => {
                let wait = wait.min(self.max_retry_after);
                wait.saturating_add(self.retry_after_spread(wait).mul_f64(random_unit()))
            }
            _ => {
                let backoff = self.backoff(attempt);
                if self.jitter {
                    let half = backoff / 2;
                    half + half.mul_f64(random_unit())
                } else {
                    backoff
                }
            }
        }
    }

    /// The most that [`jitter`](RetryPolicy::jitter) adds to a `Retry-After` of `wait`
    /// (capped at `max_retry_after` already): half of it, at most 1 s; zero without jitter.
    pub(crate) fn retry_after_spread(&self, wait: Duration) -> Duration {
        if self.jitter {
            (wait / 2).min(RETRY_AFTER_SPREAD)
        } else {
            Duration::ZERO
        }
    }
}

/// The most that [`jitter`](RetryPolicy::jitter) adds to a `Retry-After` wait: 1 s, a
/// second's spread for the calls that one rate limit refused together (PingOne's limits are
/// per second).
const RETRY_AFTER_SPREAD: Duration = Duration::from_secs(1);
/// A number in `[0, 1)`, from the standard library's randomly keyed hasher.
pub(crate) fn random_unit() -> f64 {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write_u64(COUNTER.fetch_add(1, Ordering::Relaxed));
    (hasher.finish() >> 11) as f64 / (1u64 << 53) as f64
}
#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::RetryPolicy;

    #[test]
    fn backoff_doubles_and_caps() {
        let policy = RetryPolicy::default()
            .initial_backoff(Duration::from_secs(1))
            .max_backoff(Duration::from_secs(5))
            .jitter(false);
        let waits: Vec<_> = (1..=5).map(|n| policy.backoff(n).as_secs()).collect();
        assert_eq!(waits, [1, 2, 4, 5, 5]);
        assert_eq!(policy.backoff(100), Duration::from_secs(5));
    }

    /// A doubling past what a `Duration` holds is the cap, not zero: an `initial_backoff` of
    /// hours or more doubled some times overflows, and the wait is then `max_backoff`
    /// (`max_backoff`'s documented role: "the cap of the doubling backoff").
    #[test]
    fn a_backoff_that_overflows_is_the_cap() {
        let policy = RetryPolicy::default()
            .initial_backoff(Duration::MAX / 2)
            .max_backoff(Duration::from_secs(30))
            .jitter(false);
        assert_eq!(policy.backoff(1), Duration::from_secs(30));
        assert_eq!(policy.backoff(3), Duration::from_secs(30));
        assert_eq!(policy.wait(40, None), Duration::from_secs(30));
    }

    #[test]
    fn jitter_stays_in_upper_half() {
        let policy = RetryPolicy::default().initial_backoff(Duration::from_millis(800));
        for attempt in 1..4 {
            let full = policy.backoff(attempt);
            for _ in 0..50 {
                let wait = policy.wait(attempt, None);
                assert!(wait >= full / 2 && wait <= full, "{wait:?} vs {full:?}");
            }
        }
    }

    /// A `Retry-After` is waited in full up to `max_retry_after`, whatever `max_backoff` (the
    /// cap of the backoff alone): capped at `max_backoff`, a longer one sent the next attempt
    /// before the server said to. Longer than `max_retry_after`, it is not waited out at all.
    #[test]
    fn retry_after_is_waited_in_full_up_to_max_retry_after() {
        let policy = RetryPolicy::default()
            .max_backoff(Duration::from_secs(10))
            .jitter(false);
        assert_eq!(
            policy.wait(1, Some(Duration::from_secs(3))),
            Duration::from_secs(3)
        );
        assert_eq!(
            policy.wait(1, Some(Duration::from_secs(45))),
            Duration::from_secs(45)
        );
        assert!(policy.waits_out(Duration::from_secs(60)));
        assert!(!policy.waits_out(Duration::from_secs(61)));
        assert!(!policy.stops_at(None));
        assert!(!policy.stops_at(Some(Duration::from_secs(60))));
        assert!(policy.stops_at(Some(Duration::from_secs(61))));
        let short = policy.max_retry_after(Duration::from_secs(2));
        assert!(short.stops_at(Some(Duration::from_secs(3))));
        assert!(
            !RetryPolicy::default()
                .max_retry_after(Duration::MAX)
                .stops_at(Some(Duration::MAX))
        );
    }

    /// `wait` gives a `Retry-After` "up to `max_retry_after`": one longer (which the client
    /// itself never waits, as it ends the retries: `stops_at`) is the cap, with or without
    /// jitter, not the whole wait asked for.
    #[test]
    fn wait_caps_a_retry_after_at_max_retry_after() {
        let policy = RetryPolicy::default()
            .max_retry_after(Duration::from_secs(2))
            .jitter(false);
        assert_eq!(
            policy.wait(1, Some(Duration::from_secs(10))),
            Duration::from_secs(2)
        );
        let jittered = policy.jitter(true);
        for _ in 0..16 {
            let wait = jittered.wait(1, Some(Duration::from_secs(10)));
            assert!(
                wait >= Duration::from_secs(2) && wait <= Duration::from_secs(3),
                "{wait:?}"
            );
        }
    }

    /// A `Retry-After` of zero is no wait given: the backoff, not a retry at once.
    #[test]
    fn a_zero_retry_after_gives_the_backoff() {
        let policy = RetryPolicy::default()
            .initial_backoff(Duration::from_millis(100))
            .jitter(false);
        assert_eq!(
            policy.wait(3, Some(Duration::ZERO)),
            Duration::from_millis(400)
        );
        assert_eq!(
            policy.wait(3, Some(Duration::from_millis(1))),
            Duration::from_millis(1)
        );
    }

    /// With jitter, a `Retry-After` is spread above itself, by up to half of it and at most
    /// 1 s: it was waited exactly, so the calls that one 429 burst refused all came back in
    /// the same instant. Never shortened, and no overflow at `Duration::MAX`.
    #[test]
    fn a_retry_after_is_spread_above_itself_with_jitter() {
        let policy = RetryPolicy::default();
        for (asked, spread) in [
            (Duration::from_secs(1), Duration::from_millis(500)),
            (Duration::from_secs(30), Duration::from_secs(1)),
            (Duration::from_millis(10), Duration::from_millis(5)),
        ] {
            let waits: Vec<Duration> = (0..64).map(|_| policy.wait(1, Some(asked))).collect();
            assert!(
                waits.iter().all(|w| *w >= asked && *w <= asked + spread),
                "{asked:?}: {waits:?}"
            );
            let distinct: std::collections::HashSet<_> = waits.iter().collect();
            assert!(distinct.len() > 32, "{asked:?}: {waits:?}");
        }
        let unbounded = policy.max_retry_after(Duration::MAX);
        assert_eq!(unbounded.wait(1, Some(Duration::MAX)), Duration::MAX);
    }

    /// Jitter spreads the waits over the whole upper half, so clients do not retry in step:
    /// not one fixed point of it.
    #[test]
    fn jittered_waits_differ_and_cover_the_upper_half() {
        let policy = RetryPolicy::default().initial_backoff(Duration::from_millis(800));
        let waits: Vec<Duration> = (0..64).map(|_| policy.wait(1, None)).collect();
        let distinct: std::collections::HashSet<_> = waits.iter().collect();
        assert!(distinct.len() > 32, "{waits:?}");
        // [400 ms, 800 ms]: some in each of its halves (each miss has odds 2^-64).
        assert!(
            waits.iter().any(|w| *w < Duration::from_millis(600)),
            "{waits:?}"
        );
        assert!(
            waits.iter().any(|w| *w > Duration::from_millis(600)),
            "{waits:?}"
        );
        // Without jitter the wait is the backoff itself.
        let exact = policy.jitter(false);
        assert_eq!(exact.wait(2, None), Duration::from_millis(1600));
    }
}
