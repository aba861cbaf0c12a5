//! The client-side rate limiter ([`RateLimiter`]) that spaces every request of a client.

use std::num::NonZeroU32;

use governor::clock::Clock;
use governor::middleware::NoOpMiddleware;
use governor::nanos::Nanos;
use governor::state::{InMemoryState, NotKeyed};

/// A GCRA limiter (`governor`) on tokio's clock ([`TokioClock`]), shared by every call of a
/// client.
pub(crate) type RateLimiter =
    governor::RateLimiter<NotKeyed, InMemoryState, TokioClock, NoOpMiddleware<Nanos>>;

/// tokio's clock, as the client's other waits count time (its retries, the `Retry-After`
/// hold, a token's lifetime): the time since the limiter was made, by
/// `tokio::time::Instant`, which a paused clock (`tokio::time::pause`, a user's test) stops
/// and `tokio::time::advance` moves. On governor's standard clock (`std::time::Instant`) and
/// its `until_ready` (a `futures-timer` thread), a limited call waited in real time under a
/// paused clock, which did not move meanwhile.
#[derive(Debug, Clone, Copy)]
pub(crate) struct TokioClock {
    start: tokio::time::Instant,
}

impl Clock for TokioClock {
    type Instant = Nanos;

    fn now(&self) -> Nanos {
        // Saturating: a clock of another runtime (a paused one) may be behind `start`.
        Nanos::from(tokio::time::Instant::now().saturating_duration_since(self.start))
    }
}

/// How much unused time the limiter credits, as a share of a second: 1/100, 10 ms.
const CATCH_UP_PER_SECOND: u32 = 100;

/// A limiter of `per_second` requests per second ([`quota`]), on tokio's clock.
pub(crate) fn rate_limiter(per_second: NonZeroU32) -> RateLimiter {
    let clock = TokioClock {
        start: tokio::time::Instant::now(),
    };
    governor::RateLimiter::direct_with_clock(quota(per_second), clock)
}

/// `per_second` requests per second, spaced evenly, with a burst of `per_second / 100` (at
/// least one): 10 ms of credit. A waiter's timer fires late (by a fraction of a millisecond,
/// more under load); with a burst of one that lateness is lost for good, and at 500 requests
/// per second a sync of 10,000 users reached only 0.88 of the limit
/// (`benches/sync_users.rs`). The credit lets the next request catch up, so the long-run rate
/// is the limit, and any second holds at most `per_second + per_second / 100` requests.
fn quota(per_second: NonZeroU32) -> governor::Quota {
    let burst = NonZeroU32::new(per_second.get() / CATCH_UP_PER_SECOND).unwrap_or(NonZeroU32::MIN);
    governor::Quota::per_second(per_second).allow_burst(burst)
}
/// Waits for `limiter`'s next turn, as `until_ready` does. A call that has to wait says so in
/// a DEBUG `tracing` event `pingone: waiting for the client's rate limit`, with `wait_ms`, the
/// wait the limiter names (at DEBUG: behind a low rate most calls wait, and an event per call
/// at INFO would be noise); a call that finds its turn free takes it at once, without an event.
pub(crate) async fn wait_for_turn(limiter: &RateLimiter) {
    let Err(not_until) = limiter.check() else {
        return;
    };
    let mut wait = not_until.wait_time_from(limiter.clock().now());
    tracing::debug!(
        wait_ms = u64::try_from(wait.as_millis()).unwrap_or(u64::MAX),
        "pingone: waiting for the client's rate limit"
    );
    // As `until_ready` waits, on tokio's timer: another call may take the turn first.
    loop {
        tokio::time::sleep(wait).await;
        match limiter.check() {
            Ok(()) => return,
            Err(not_until) => wait = not_until.wait_time_from(limiter.clock().now()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The limiter counts and waits on tokio's clock, as the client's other waits (retries,
    /// the `Retry-After` hold, the token's lifetime) do: under a paused clock
    /// (`tokio::time::pause`, a user's test), a turn a second away comes when the clock is
    /// advanced a second, and the runtime's auto-advance moves to it. On the standard clock
    /// and `futures-timer`'s thread, it waited a second of real time under a paused clock,
    /// which did not move: the waits of one client followed two clocks.
    #[tokio::test(start_paused = true)]
    async fn a_turn_comes_on_tokios_clock() {
        let limiter = rate_limiter(NonZeroU32::MIN);
        let start = tokio::time::Instant::now();
        wait_for_turn(&limiter).await;
        assert_eq!(start.elapsed(), std::time::Duration::ZERO);
        wait_for_turn(&limiter).await;
        assert_eq!(start.elapsed(), std::time::Duration::from_secs(1));
        // Advanced by hand: the next turn is free at once.
        tokio::time::advance(std::time::Duration::from_secs(1)).await;
        let before = tokio::time::Instant::now();
        wait_for_turn(&limiter).await;
        assert_eq!(before.elapsed(), std::time::Duration::ZERO);
    }

    /// The burst is 10 ms of the rate, at least one request: a burst of the whole rate (a
    /// second's requests at once) would put twice the limit into one second, which the
    /// server's own limit refuses with 429. No test saw the burst: read here from the quota,
    /// without a clock.
    #[test]
    fn the_burst_is_ten_milliseconds_of_the_rate_and_at_least_one() {
        for (per_second, burst) in [(1, 1), (99, 1), (100, 1), (250, 2), (1000, 10)] {
            let quota = quota(NonZeroU32::new(per_second).unwrap());
            assert_eq!(quota.burst_size().get(), burst, "{per_second}/s");
            assert_eq!(
                quota.replenish_interval(),
                std::time::Duration::from_secs(1) / per_second,
                "{per_second}/s"
            );
        }
    }
}
