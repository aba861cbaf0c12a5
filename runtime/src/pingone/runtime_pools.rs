//! [`RuntimePools`]: one connection pool per tokio runtime for an HTTP client built here.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use super::Error;
use super::http_client::HttpRecipe;

/// How long a runtime may go without a call before its next call first lets the runtime
/// poll its connections ([`CallClock::was_idle`]). Far below any server's keep-alive (5 s
/// for Node.js and Apache, 60 s for an AWS load balancer, 75 s for nginx), far above the
/// gap between the calls of a busy loop, which never pays for it.
pub(crate) const IDLE_BEFORE_POLL: Duration = Duration::from_millis(100);

/// When the last call of a pool started, to tell a call that comes after the pool was idle.
///
/// A kept-alive connection is a task of its runtime, which reads the server's close (its
/// FIN) only while the runtime runs. A `current_thread` runtime runs only inside `block_on`:
/// between two `block_on`s (a program that calls the client from synchronous code), or while
/// a call's caller blocks it, a connection that the server closed for idleness still looks
/// open to the pool, and the next call was written into it and failed with hyper's
/// "connection closed before message completed" (hyperium/hyper#2136), although the server
/// never saw it: a transport error retried after a backoff, an error with
/// `RetryPolicy::never()`, and the error of a SCIM `add` (not repeatable) that nothing
/// applied. A call after [`IDLE_BEFORE_POLL`] without one first yields to the runtime once
/// (`yield_now`, which polls the IO driver before the call goes on), so that such a
/// connection reads its close and leaves the pool, and the call takes a fresh one. So does
/// each call that starts within [`AFTER_IDLE`] of it: calls started together after an idle
/// spell (`join_all`, a `buffer_unordered` refilled at once) are polled before the runtime
/// polls its IO, and the second would take the closed connection that the first yielded for.
pub(crate) struct CallClock {
    base: Instant,
    /// Nanoseconds from `base` to the start of the last call.
    last: AtomicU64,
    /// Nanoseconds from `base` until which a call yields too: [`AFTER_IDLE`] after the last
    /// call that found the pool idle.
    yield_until: AtomicU64,
}

/// How long after a call that found its pool idle the calls that start yield too: as long as
/// [`IDLE_BEFORE_POLL`], so that a call that comes later than that finds the pool idle itself
/// (a thread descheduled between two calls polled together, on a loaded machine).
pub(crate) const AFTER_IDLE: Duration = IDLE_BEFORE_POLL;

impl CallClock {
    /// A clock whose last call starts now.
    pub(crate) fn new() -> Self {
        CallClock {
            base: Instant::now(),
            last: AtomicU64::new(0),
            yield_until: AtomicU64::new(0),
        }
    }

    /// Records a call starting now, and says whether it should yield first: the last one
    /// started more than [`IDLE_BEFORE_POLL`] ago, or one that found the pool so did less
    /// than [`AFTER_IDLE`] ago.
    pub(crate) fn was_idle(&self) -> bool {
        let now = u64::try_from(self.base.elapsed().as_nanos()).unwrap_or(u64::MAX);
        let last = self.last.swap(now, Ordering::Relaxed);
        if Duration::from_nanos(now.saturating_sub(last)) > IDLE_BEFORE_POLL {
            let grace = u64::try_from(AFTER_IDLE.as_nanos()).unwrap_or(u64::MAX);
            self.yield_until
                .store(now.saturating_add(grace), Ordering::Relaxed);
            return true;
        }
        now < self.yield_until.load(Ordering::Relaxed)
    }
}

/// The connection pools of an HTTP client built here, one per tokio runtime that calls.
///
/// A connection is a task of the runtime whose call opened it, and it reads and writes only
/// while that runtime runs. Shared by every runtime, a pool handed a call on one runtime a
/// connection of another: one whose runtime was dropped (each `#[tokio::test]` has its own,
/// and a client in a `static` outlives them) failed the attempt ("connection closed", or
/// hyper's "dispatch task is gone: runtime dropped the dispatch task"), and one whose
/// `current_thread` runtime was idle (a thread between two `block_on`s) held the request
/// until the per-attempt timeout ran out, 30 s by default, before the retry went out on a
/// fresh connection (rust-lang/rustup#3852, apache/opendal#473).
pub(crate) struct RuntimePools {
    /// How to build another runtime's HTTP client: the same settings, another pool.
    recipe: HttpRecipe,
    state: Arc<std::sync::Mutex<PoolState>>,
}

struct PoolState {
    /// The HTTP client that `build()` made (its settings checked then), given to the first
    /// runtime that calls, so that a program with one runtime builds one.
    first: Option<reqwest::Client>,
    /// The HTTP client of each runtime that called and still runs: a runtime's entry is
    /// removed when it shuts down ([`PoolWatch`]), with its pool.
    by_runtime: Vec<RuntimePool>,
}

/// A runtime's HTTP client, and the end of its watch's life: dropped with the entry (the
/// client dropped), it ends the watch's task, so that a runtime that outlives many clients
/// (one built per request) keeps no task for each.
struct RuntimePool {
    runtime: tokio::runtime::Id,
    http: reqwest::Client,
    /// When this runtime's last call started.
    calls: CallClock,
    _watched: tokio::sync::oneshot::Sender<()>,
}

/// Held by a task spawned on a runtime when it gets its pool, which waits for the pool's end
/// (the client dropped): the runtime drops it when it shuts down (dropped, or
/// `shutdown_timeout`), which removes its pool.
struct PoolWatch {
    state: std::sync::Weak<std::sync::Mutex<PoolState>>,
    runtime: tokio::runtime::Id,
}

impl Drop for PoolWatch {
    fn drop(&mut self) {
        let Some(state) = self.state.upgrade() else {
            return;
        };
        let removed = {
            let mut state = state
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            let index = state
                .by_runtime
                .iter()
                .position(|pool| pool.runtime == self.runtime);
            index.map(|index| state.by_runtime.swap_remove(index))
        };
        // The pool is dropped outside the lock.
        drop(removed);
    }
}

impl RuntimePools {
    /// How many runtimes have a pool of their own now.
    #[cfg(test)]
    pub(crate) fn runtimes(&self) -> usize {
        self.state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .by_runtime
            .len()
    }

    pub(crate) fn new(recipe: HttpRecipe, first: reqwest::Client) -> Self {
        RuntimePools {
            recipe,
            state: Arc::new(std::sync::Mutex::new(PoolState {
                first: Some(first),
                by_runtime: Vec::new(),
            })),
        }
    }

    /// The HTTP client of the runtime of `handle`, built on its first call, and whether that
    /// runtime's pool was idle ([`CallClock::was_idle`]; never on its first call, which finds
    /// the pool empty).
    pub(crate) fn client(
        &self,
        handle: &tokio::runtime::Handle,
    ) -> Result<(reqwest::Client, bool), Error> {
        let runtime = handle.id();
        let until_unwatched = {
            let mut state = self
                .state
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            if let Some(pool) = state.by_runtime.iter().find(|pool| pool.runtime == runtime) {
                return Ok((pool.http.clone(), pool.calls.was_idle()));
            }
            let http = match state.first.take() {
                Some(http) => http,
                None => self.recipe.client()?,
            };
            let (watched, until_unwatched) = tokio::sync::oneshot::channel::<()>();
            state.by_runtime.push(RuntimePool {
                runtime,
                http,
                calls: CallClock::new(),
                _watched: watched,
            });
            until_unwatched
        };
        // Outside the lock: on a runtime that is shutting down, the task is dropped at once,
        // and its watch takes the lock to remove the pool just added.
        let watch = PoolWatch {
            state: Arc::downgrade(&self.state),
            runtime,
        };
        drop(handle.spawn(async move {
            let _watch = watch;
            // Until the pool goes (its sender dropped) or the runtime shuts down.
            let _ = until_unwatched.await;
        }));
        let state = self
            .state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        match state.by_runtime.iter().find(|pool| pool.runtime == runtime) {
            Some(pool) => Ok((pool.http.clone(), false)),
            // The runtime shut down meanwhile: its call cannot run anyway.
            None => Ok((self.recipe.client()?, false)),
        }
    }
}
