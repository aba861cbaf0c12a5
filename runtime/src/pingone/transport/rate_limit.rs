//! The client-side rate limiter ([`RateLimiter`]) that spaces every request of a client, and
//! gives its turns to the calls in the order they came ([`wait_for_turn`]).

use std::collections::VecDeque;
use std::num::NonZeroU32;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use governor::clock::Clock;
use governor::middleware::NoOpMiddleware;
use governor::nanos::Nanos;
use governor::state::{InMemoryState, NotKeyed};

/// A GCRA limiter (`governor`) on tokio's clock ([`TokioClock`]).
type Gcra = governor::RateLimiter<NotKeyed, InMemoryState, TokioClock, NoOpMiddleware<Nanos>>;

/// The client's rate limiter, shared by every call of a client: a GCRA limiter (`governor`)
/// on tokio's clock, and the calls waiting for a turn, oldest first, to which its turns go
/// in that order ([`wait_for_turn`]).
pub(crate) struct RateLimiter {
    gcra: Gcra,
    /// The calls waiting for a turn, in the order they came (by [`Waiter::ticket`]).
    queue: Mutex<VecDeque<Arc<Waiter>>>,
    /// The ticket of the next call that waits.
    tickets: AtomicU64,
}

/// A call waiting for a turn.
struct Waiter {
    /// Its place in the order the calls came; [`FIRST`] for a token request.
    ticket: u64,
    /// When a turn was taken for it, on the limiter's clock, plus one nanosecond: 0 while
    /// none was. Set and read under the queue's lock, set as the waiter leaves the queue.
    granted: AtomicU64,
    /// Woken when a turn was taken for it.
    notify: tokio::sync::Notify,
}

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

/// The ticket of a token request ([`wait_for_turn`]'s `first`): before every other call's
/// (whose tickets count from 1), after the token requests that came before it.
const FIRST: u64 = 0;

/// How long a turn taken for a waiter is kept for it: 10 ms, the limiter's credit. A waiter
/// woken later than that (a call's future kept aside, not polled) goes back to its place in
/// the queue, by the order the calls came (at the front), for a fresh turn: the turn was
/// the limiter's then, not now, and the calls of a `buffer_unordered` stream that the
/// consumer stopped polling, each given its turn in turn, would all have gone at once when
/// it polled again.
const TURN_KEPT: Duration = Duration::from_millis(1000 / CATCH_UP_PER_SECOND as u64);

/// A limiter of `per_second` requests per second ([`quota`]), on tokio's clock.
pub(crate) fn rate_limiter(per_second: NonZeroU32) -> RateLimiter {
    let clock = TokioClock {
        start: tokio::time::Instant::now(),
    };
    RateLimiter {
        gcra: governor::RateLimiter::direct_with_clock(quota(per_second), clock),
        queue: Mutex::default(),
        tickets: AtomicU64::new(FIRST + 1),
    }
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

/// Waits for `limiter`'s next turn. A call that has to wait says so in a DEBUG `tracing`
/// event `pingone: waiting for the client's rate limit`, with `wait_ms`, the wait until the
/// limiter's next turn (at DEBUG: behind a low rate most calls wait, and an event per call at
/// INFO would be noise); a call that finds its turn free and no call waiting takes it at
/// once, without an event.
///
/// With `first` (a token request), the call goes before every call that waits, after the
/// token requests that came before it: the calls waiting in the queue need the token it
/// brings (one that comes due while they wait takes the next turn, not the last: behind 27
/// calls waiting at 10 requests per second, a refresh waited their 2.7 s, each of them taking
/// its turn and then waiting for the token, and then all of them went at once).
///
/// The turns go to the waiting calls in the order they came: each waiter sleeps until the
/// limiter's next turn, and the first one to wake takes it for the oldest waiter (itself or
/// another, which it wakes). Before, the first to wake took it for itself (as governor's
/// `until_ready` does): on a `multi_thread` runtime, which wakes its tasks in no set order,
/// of 10 tasks making 10 calls each at one limit, one sent 4 requests in a row while
/// another's first request was the 50th (tests/pingone_safety.rs). A call taken a turn for
/// but not polled (a future kept aside) spends that turn only, and holds up no other call:
/// any waiter that wakes takes the next one, and when it is polled again more than
/// [`TURN_KEPT`] later, it waits in its place in the queue (at the front) for a fresh turn.
/// A call dropped while it waits takes no turn, and one dropped after a turn was taken for
/// it passes that turn to the oldest waiter, if any.
pub(crate) async fn wait_for_turn(limiter: &RateLimiter, first: bool) {
    let waiter = {
        let mut queue = limiter.queue.lock().unwrap_or_else(|e| e.into_inner());
        let ticket = if first {
            FIRST
        } else {
            limiter.tickets.fetch_add(1, Ordering::Relaxed)
        };
        // Ahead of the calls that wait only when none that comes before it does.
        if queue.front().is_none_or(|oldest| oldest.ticket > ticket) && limiter.gcra.check().is_ok()
        {
            return;
        }
        let waiter = Arc::new(Waiter {
            ticket,
            granted: AtomicU64::new(0),
            notify: tokio::sync::Notify::new(),
        });
        let place = queue.partition_point(|queued| queued.ticket <= ticket);
        queue.insert(place, Arc::clone(&waiter));
        waiter
    };
    let mut in_queue = InQueue {
        limiter,
        waiter: &waiter,
        left: false,
    };
    let mut said = false;
    loop {
        let Some(wait) = limiter.turns_to_the_oldest(&waiter) else {
            in_queue.left = true;
            return;
        };
        if !said {
            said = true;
            tracing::debug!(
                wait_ms = u64::try_from(wait.as_millis()).unwrap_or(u64::MAX),
                "pingone: waiting for the client's rate limit"
            );
        }
        // Until the next turn, or until a turn was taken for this waiter.
        let sleep = core::pin::pin!(tokio::time::sleep(wait));
        let woken = core::pin::pin!(waiter.notify.notified());
        futures_util::future::select(sleep, woken).await;
    }
}

impl RateLimiter {
    /// Takes the turns free now, each for the oldest waiter in turn (waking it), and then
    /// returns the wait until the next turn; `None` when a turn was taken for `waiter` (by
    /// this call or an earlier one of another waiter), which has left the queue.
    fn turns_to_the_oldest(&self, waiter: &Arc<Waiter>) -> Option<Duration> {
        let mut queue = self.queue.lock().unwrap_or_else(|e| e.into_inner());
        loop {
            let now = self.gcra.clock().now();
            if let Some(at) = waiter.granted_at() {
                if Duration::from(now.saturating_sub(at)) <= TURN_KEPT {
                    return None;
                }
                // Kept aside past `TURN_KEPT`: back in its place, first for the next turn
                // unless another call kept aside came before it.
                waiter.granted.store(0, Ordering::Relaxed);
                let place = queue.partition_point(|queued| queued.ticket <= waiter.ticket);
                queue.insert(place, Arc::clone(waiter));
            }
            match self.gcra.check() {
                Err(not_until) => return Some(not_until.wait_time_from(now)),
                // `waiter` at least is in the queue, without a turn.
                Ok(()) => {
                    if let Some(oldest) = queue.pop_front() {
                        oldest.grant(now);
                    }
                }
            }
        }
    }
}

impl Waiter {
    /// Gives the waiter, taken out of the queue, the turn taken for it at `at`, and wakes it.
    fn grant(&self, at: Nanos) {
        self.granted
            .store(at.as_u64().saturating_add(1), Ordering::Relaxed);
        self.notify.notify_one();
    }

    /// When a turn was taken for the waiter, if one was.
    fn granted_at(&self) -> Option<Nanos> {
        match self.granted.load(Ordering::Relaxed) {
            0 => None,
            at => Some(Nanos::from(at - 1)),
        }
    }
}

/// A waiter's place in the queue while its call waits: on drop (the call dropped), taken out
/// of the queue, or if a turn was taken for it meanwhile, that turn given to the oldest
/// waiter, so that a dropped call takes no turn.
struct InQueue<'a> {
    limiter: &'a RateLimiter,
    waiter: &'a Arc<Waiter>,
    /// Whether the waiter left the queue with its turn.
    left: bool,
}

impl Drop for InQueue<'_> {
    fn drop(&mut self) {
        if self.left {
            return;
        }
        let mut queue = self.limiter.queue.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(at) = self.waiter.granted_at() {
            if let Some(oldest) = queue.pop_front() {
                oldest.grant(at);
            }
        } else {
            queue.retain(|queued| !Arc::ptr_eq(queued, self.waiter));
        }
    }
}

#[cfg(test)]
mod tests {
    use core::task::{Context, Waker};

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
        wait_for_turn(&limiter, false).await;
        assert_eq!(start.elapsed(), std::time::Duration::ZERO);
        wait_for_turn(&limiter, false).await;
        assert_eq!(start.elapsed(), std::time::Duration::from_secs(1));
        // Advanced by hand: the next turn is free at once.
        tokio::time::advance(std::time::Duration::from_secs(1)).await;
        let before = tokio::time::Instant::now();
        wait_for_turn(&limiter, false).await;
        assert_eq!(before.elapsed(), std::time::Duration::ZERO);
    }

    /// A call that a turn was taken for but that is not polled (a future kept aside) spends
    /// that turn only: the next call waiting gets the next turn. Polled again later than
    /// `TURN_KEPT`, it waits in its place for the next turn. A call dropped after a turn was
    /// taken for it passes that turn to the oldest waiter. Under a paused clock: no socket,
    /// so the clock moves only to the waiters' timers.
    #[tokio::test(start_paused = true)]
    async fn a_turn_taken_for_a_call_not_polled_holds_up_no_other() {
        let limiter = rate_limiter(NonZeroU32::MIN);
        let start = tokio::time::Instant::now();
        let at = |seconds: f64| start + Duration::from_secs_f64(seconds);
        wait_for_turn(&limiter, false).await;
        // Polled once (it queues for the turn at 1 s), then kept aside.
        let mut kept = Box::pin(wait_for_turn(&limiter, false));
        let mut context = Context::from_waker(Waker::noop());
        assert!(kept.as_mut().poll(&mut context).is_pending());
        // Its turn (1 s) is taken for it by this call, which waits for the next one.
        wait_for_turn(&limiter, false).await;
        assert_eq!(tokio::time::Instant::now(), at(2.0));
        // Polled a second after its turn: first for the next one, before a later call.
        let later = async {
            wait_for_turn(&limiter, false).await;
            tokio::time::Instant::now()
        };
        let kept = async {
            kept.await;
            tokio::time::Instant::now()
        };
        assert_eq!(
            futures_util::future::join(kept, later).await,
            (at(3.0), at(4.0))
        );
        // Queued for the turn at 5 s, then dropped just after that turn was taken for it (by
        // the second waiter, whose own turn then comes at 6 s): the turn passes to that
        // waiter.
        let mut dropped = Box::pin(wait_for_turn(&limiter, false));
        assert!(dropped.as_mut().poll(&mut context).is_pending());
        let dropping = async {
            tokio::time::sleep(Duration::from_millis(1005)).await;
            drop(dropped);
        };
        futures_util::future::join(wait_for_turn(&limiter, false), dropping).await;
        assert_eq!(tokio::time::Instant::now(), at(5.005));
    }

    /// The calls of a stream that its consumer stopped polling (`buffer_unordered`), each
    /// given its turn in turn by a call that went on, do not all go at once when the stream
    /// is polled again: each waits for a turn of its own, in the order they came. Before, a
    /// turn taken for a waiter was its own however late it was polled, and the five went in
    /// the same instant, beside the turn of the call that went on.
    #[tokio::test(start_paused = true)]
    async fn calls_kept_aside_do_not_go_at_once_when_polled_again() {
        let limiter = rate_limiter(NonZeroU32::MIN);
        let start = tokio::time::Instant::now();
        wait_for_turn(&limiter, false).await;
        let mut context = Context::from_waker(Waker::noop());
        let mut kept: Vec<_> = (0..5)
            .map(|_| Box::pin(wait_for_turn(&limiter, false)))
            .collect();
        for call in &mut kept {
            assert!(call.as_mut().poll(&mut context).is_pending());
        }
        // Takes the turns at 1 to 5 s for the five, then its own at 6 s.
        wait_for_turn(&limiter, false).await;
        assert_eq!(start.elapsed(), Duration::from_secs(6));
        let ready = kept
            .iter_mut()
            .map(|call| call.as_mut().poll(&mut context).is_ready())
            .filter(|&ready| ready)
            .count();
        assert_eq!(ready, 0, "calls kept aside went at once when polled again");
        let mut turns = Vec::new();
        for call in kept {
            call.await;
            turns.push(start.elapsed().as_secs());
        }
        assert_eq!(turns, [7, 8, 9, 10, 11]);
    }

    /// A token request (`first`) takes the next turn, before the calls that wait, and after a
    /// token request that came before it.
    #[tokio::test(start_paused = true)]
    async fn a_token_request_goes_before_the_calls_that_wait() {
        let limiter = rate_limiter(NonZeroU32::MIN);
        let start = tokio::time::Instant::now();
        wait_for_turn(&limiter, false).await;
        let turn = |first: bool| {
            let limiter = &limiter;
            async move {
                wait_for_turn(limiter, first).await;
                start.elapsed().as_secs()
            }
        };
        let mut context = Context::from_waker(Waker::noop());
        let mut calls = Box::pin(futures_util::future::join(turn(false), turn(false)));
        assert!(calls.as_mut().poll(&mut context).is_pending());
        let mut token_requests = Box::pin(futures_util::future::join(turn(true), turn(true)));
        assert!(token_requests.as_mut().poll(&mut context).is_pending());
        let (calls, token_requests) = futures_util::future::join(calls, token_requests).await;
        assert_eq!((token_requests, calls), ((1, 2), (3, 4)));
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
