//! [`RetryEvent`]: one retry about to happen, as the policy's observer is told of it.

use std::time::Duration;

use super::RetryPolicy;

/// One retry about to happen, given to the observer set with [`RetryPolicy::on_retry`]: a
/// request sent again under the policy, or after a worker token refused with 401, sent again
/// at once with a fresh token (`status` 401, `wait` zero; outside the policy's attempts, see
/// [`TokenSource::client_credentials`](super::super::TokenSource::client_credentials)). Both
/// are requests more that the call sent, which a count of retries (the `sync_users`
/// example's after a run) counts.
#[cfg(feature = "client")]
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct RetryEvent {
    /// The attempt that failed, from 1; for a wait [`held_by_retry_after`](Self::held_by_retry_after),
    /// the attempts that the call made before (0 for a call held before its first).
    pub attempt: u32,
    /// The status of its answer, or `None` for a timeout or transport failure.
    pub status: Option<u16>,
    /// How long the client waits before the next attempt.
    pub wait: Duration,
    /// Whether `wait` is the wait the answer asked for: its `Retry-After` header, or, without
    /// one, its PingOne error body's `details[].innerError.retryAfter` or `quotaResetTime`;
    /// `false` for the backoff.
    pub from_retry_after: bool,
    /// Whether the call waits for another call's answer: a 429 or 503 whose `Retry-After`
    /// holds every request of the client until it has passed (see [`RetryPolicy`], "One
    /// `Retry-After` for the whole client"). Then `status` is that answer's, `wait` how long
    /// this call waits, `from_retry_after` is `true`, and `attempt` is how many attempts this
    /// call made before (0 for a call held before its first).
    pub held_by_retry_after: bool,
}

impl RetryPolicy {
    pub(crate) fn notify(&self, event: &RetryEvent) {
        if let Some(observer) = &self.observer {
            observer(event);
        }
    }
}
