//! The client-side rate limiter ([`RateLimiter`]) that spaces every request of a client.

use std::num::NonZeroU32;

/// A GCRA limiter with the standard clock (`governor`), shared by every call of a client.
pub(crate) type RateLimiter = governor::DefaultDirectRateLimiter;

/// How much unused time the limiter credits, as a share of a second: 1/100, 10 ms.
const CATCH_UP_PER_SECOND: u32 = 100;

/// A limiter of `per_second` requests per second, spaced evenly, with a burst of
/// `per_second / 100` (at least one): 10 ms of credit. A waiter's timer fires late (by a
/// fraction of a millisecond, more under load); with a burst of one that lateness is lost for
/// good, and at 500 requests per second a sync of 10,000 users reached only 0.88 of the limit
/// (`benches/sync_users.rs`). The credit lets the next request catch up, so the long-run rate
/// is the limit, and any second holds at most `per_second + per_second / 100` requests.
pub(crate) fn rate_limiter(per_second: NonZeroU32) -> RateLimiter {
    let burst = NonZeroU32::new(per_second.get() / CATCH_UP_PER_SECOND).unwrap_or(NonZeroU32::MIN);
    governor::RateLimiter::direct(governor::Quota::per_second(per_second).allow_burst(burst))
}
