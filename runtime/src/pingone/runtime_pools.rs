//! [`RuntimePools`]: one connection pool per tokio runtime for an HTTP client built here.

use std::sync::Arc;

use super::Error;
use super::http_client::HttpRecipe;

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

    /// The HTTP client of the runtime of `handle`, built on its first call.
    pub(crate) fn client(&self, handle: &tokio::runtime::Handle) -> Result<reqwest::Client, Error> {
        let runtime = handle.id();
        let until_unwatched = {
            let mut state = self
                .state
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            if let Some(pool) = state.by_runtime.iter().find(|pool| pool.runtime == runtime) {
                return Ok(pool.http.clone());
            }
            let http = match state.first.take() {
                Some(http) => http,
                None => self.recipe.client()?,
            };
            let (watched, until_unwatched) = tokio::sync::oneshot::channel::<()>();
            state.by_runtime.push(RuntimePool {
                runtime,
                http,
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
            Some(pool) => Ok(pool.http.clone()),
            // The runtime shut down meanwhile: its call cannot run anyway.
            None => self.recipe.client(),
        }
    }
}
