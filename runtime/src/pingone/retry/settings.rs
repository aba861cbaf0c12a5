//! The builder methods of [`RetryPolicy`]: attempts, backoff, `max_retry_after`, jitter,
//! the observer and the consistency window.

use std::sync::Arc;
use std::time::Duration;

use super::{RetryEvent, RetryPolicy};

impl RetryPolicy {
    /// A policy that never retries: one attempt.
    #[must_use]
    pub fn never() -> Self {
        RetryPolicy::default().max_attempts(1)
    }

    /// The most requests sent for one call, the first included (5 by default; at least 1, 0
    /// counts as 1).
    #[must_use]
    pub fn max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts.max(1);
        self
    }

    /// The backoff after the first failed attempt (500 ms by default), doubled after each
    /// further one.
    #[must_use]
    pub fn initial_backoff(mut self, wait: Duration) -> Self {
        self.initial_backoff = wait;
        self
    }

    /// The longest backoff between two attempts (30 s by default): the cap of the doubling
    /// backoff. A `Retry-After` is not capped by it, but by
    /// [`max_retry_after`](RetryPolicy::max_retry_after).
    #[must_use]
    pub fn max_backoff(mut self, wait: Duration) -> Self {
        self.max_backoff = wait;
        self
    }

    /// The longest `Retry-After` that is waited out (60 s by default): an answer that asks
    /// to wait up to this long is retried once the wait is over; one that asks for longer is
    /// not retried, and the call returns its error at once, with the wait asked for in
    /// [`Error::retry_after`](super::super::Error::retry_after), for the caller to come back
    /// then (see [`waits_out`](RetryPolicy::waits_out)). `Duration::MAX` waits as long as any
    /// server asks; zero retries no answer that gives a wait.
    #[must_use]
    pub fn max_retry_after(mut self, wait: Duration) -> Self {
        self.max_retry_after = wait;
        self
    }

    /// Whether waits are randomized: a backoff in its upper half, a `Retry-After` lengthened
    /// by up to half of it, at most 1 s (never shortened). On by default, so that many
    /// clients, or the many calls of one (a sync job's lines), do not retry in step: the
    /// calls refused by one 429 burst, told to come back in 1 s, all came back in the same
    /// instant, into the next 429.
    #[must_use]
    pub fn jitter(mut self, on: bool) -> Self {
        self.jitter = on;
        self
    }

    /// Calls `observer` before each wait, for logging or metrics, and before a request sent
    /// again with a fresh worker token after a 401 ([`RetryEvent`]: `status` 401, no wait;
    /// its INFO `tracing` event is `pingone: the worker token was refused (401)...`, not
    /// `pingone: retrying`). Each retry of the policy is also an INFO
    /// `tracing` event `pingone: retrying`, in the span of the call (or token fetch) it
    /// retries, with `attempt`, `wait_ms`, `from_retry_after`, and its cause: the answer's
    /// `status` and PingOne's `correlation_id`, or `error` for an attempt without a status (a
    /// timeout, a failed connection, a body cut short). A call that waits for another
    /// call's `Retry-After` (a 429 or 503 holds every request of the client: see "One
    /// `Retry-After` for the whole client" above) is reported too, with
    /// [`held_by_retry_after`](RetryEvent::held_by_retry_after), and its INFO event is
    /// `pingone: waiting for another call's Retry-After`: filter those out to count retries.
    #[must_use]
    pub fn on_retry(mut self, observer: impl Fn(&RetryEvent) + Send + Sync + 'static) -> Self {
        self.observer = Some(Arc::new(observer));
        self
    }

    /// Retries 403 and 404 too, for `window` from a call's first attempt (off, zero, by
    /// default): right after a user is created, or a role granted, PingOne may still answer
    /// 404 or 403 for a moment, as its reads and grants are eventually consistent. The
    /// attempts and the backoff stay as configured. Set it for calls on fresh users only
    /// ([`Client::with_consistency_window`](super::super::Client::with_consistency_window)), so
    /// that a real 404 is not waited on.
    ///
    /// Source: PingOne Platform API, "Response codes" (404 "can be eventual consistency right
    /// after a create").
    #[must_use]
    pub fn consistency_window(mut self, window: Duration) -> Self {
        self.consistency_window = window;
        self
    }

    /// The window set by [`consistency_window`](RetryPolicy::consistency_window).
    #[must_use]
    pub fn get_consistency_window(&self) -> Duration {
        self.consistency_window
    }
}

#[cfg(test)]
mod tests {
    use super::RetryPolicy;

    /// `max_attempts(0)` counts as 1, as documented: the policy says one attempt, not none.
    #[test]
    fn zero_attempts_count_as_one() {
        assert_eq!(RetryPolicy::default().max_attempts(0).attempts(), 1);
        assert_eq!(RetryPolicy::never().attempts(), 1);
    }
}
