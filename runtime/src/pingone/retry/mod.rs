//! [`RetryPolicy`]: which answers are retried, and how long to wait between attempts.
//!
//! Its parts: `settings` the policy's builder methods, `decisions` which answers are retried
//! and which `Retry-After` ends the retries, `waits` the backoff and the wait before the next
//! attempt, `event` the [`RetryEvent`] an observer is given, `retry_after` the
//! `Retry-After` header read, and `rfc3339` the date-times of PingOne's error bodies.

use core::fmt;
use std::sync::Arc;
use std::time::Duration;

mod decisions;
mod event;
mod retry_after;
mod rfc3339;
mod settings;
mod waits;

pub use event::RetryEvent;
pub use retry_after::parse_retry_after;
pub(crate) use rfc3339::parse_rfc3339;
pub(crate) use waits::random_unit;

/// Which answers are retried and how long the client waits in between, following Ping's
/// guidance: retry 408, 429, 500, 502, 503 and 504 with exponential backoff and jitter,
/// honour `Retry-After`, never retry 400 or 401, nor 403 or 404 outside an opt-in
/// [`consistency_window`](RetryPolicy::consistency_window). (A worker token refused with 401
/// is replaced, and the request sent again once with the new one, outside this policy: see
/// [`TokenSource::client_credentials`](super::TokenSource::client_credentials).)
///
/// Timeouts and transport failures are retried too: a merge PATCH (RFC 7396) is idempotent
/// (applied twice, it leaves the user as applied once: each member it sets is set to the
/// same value again, each it clears stays cleared), so sending it again after an attempt that
/// may have been applied is safe. A SCIM message with an `add` operation is not (it appends),
/// nor one with a `replace` whose filter selects by what it or a later operation changes, or
/// a `remove` whose filter a later operation changes (it may then match nothing, or other
/// elements): it is retried only after a connection failure, a 429, a 408 (the request not
/// received whole in time, RFC 9110 §15.5.9), or a 403 or 404 inside the consistency window,
/// where nothing was applied
/// ([`Client::update_user_scim_patch`](super::Client::update_user_scim_patch)).
///
/// The wait before attempt `n + 1` is `Retry-After` when the answer has one (or, for a
/// retryable status without one, the `retryAfter` of its PingOne error body's
/// `details[].innerError`: seconds, an HTTP date or an RFC 3339 date-time; without it, the
/// time until its `quotaResetTime`, a spent quota's reset), waited in full up
/// to `max_retry_after` (60 s by default), otherwise `initial_backoff * 2^(n-1)` up to
/// `max_backoff`. With jitter (the default) a backoff is drawn uniformly from its upper half,
/// `[wait / 2, wait]`, and a `Retry-After` from `[wait, wait + min(wait / 2, 1 s)]`: never
/// shortened, and spread, so that the calls that one 429 burst refused do not all come back
/// in the same instant. An answer whose `Retry-After` is longer than `max_retry_after` is not
/// retried: the call returns its error at once, with the wait in
/// [`Error::retry_after`](super::Error::retry_after), rather than send the next attempt
/// before the server said to (into another 429, spending the attempts within the window it
/// named) or wait longer than the policy allows (a `Retry-After: 3600`). A `Retry-After` date
/// counts from the answer's `Date` header (the server's clock), so a clock that is off on
/// either side does not change the wait; a `Retry-After` of zero (`0`, or a date not after
/// the answer's) is no wait given, and the backoff applies.
///
/// # One `Retry-After` for the whole client
///
/// A 429 or 503 of the users API with a `Retry-After` (or its error body's wait, as above)
/// holds **every** request of the client to that API, and of each of its clones, until the
/// wait has passed, not only the call that got it: PingOne's rate limits are per environment,
/// and the other calls of a sync job (8 or more at once) kept sending, each until it got a
/// 429 of its own, into an environment PingOne already throttled. Before each attempt (a
/// call's first, and each retry) a call waits until the client's hold is over, then up to
/// the same spread that [`jitter`](RetryPolicy::jitter) adds to a `Retry-After` (half of it,
/// at most 1 s), so that the calls held do not all go in the same instant; then it takes its
/// turn of the client's rate limit, if one is set. A later answer whose wait ends later
/// extends the hold; one that ends earlier does not shorten it. Only a wait that the policy
/// [waits out](RetryPolicy::waits_out) (up to [`max_retry_after`](RetryPolicy::max_retry_after))
/// holds the client, so no call waits for a hold longer than the policy allows: an answer
/// that asks for longer ends its own call at once, as above, and holds no other (held for
/// `max_retry_after`, they would only send later into the same refusal; each ends at once
/// at its own such answer, and a sync job stops at the first). The wait counts toward none of a
/// call's attempts, and the per-attempt timeout starts when the attempt is sent, as after a
/// call's own `Retry-After`; a call dropped while it waits (a `tokio::time::timeout` of
/// yours) sends nothing. Each such wait is reported as a retry's is, to the observer
/// ([`RetryEvent::held_by_retry_after`]) and as an INFO `tracing` event `pingone: waiting
/// for another call's Retry-After` with `attempt`, `status`, `wait_ms`, `from_retry_after`
/// and `held_by_retry_after = true`. Worker token requests go to the token endpoint, another
/// host with limits of its own: they neither wait for the hold nor set it (a failed token
/// fetch's `Retry-After` is remembered by the client's token cache, which makes one fetch
/// for all the calls that need a token). Two clients built separately do not share a hold:
/// build one client and clone it.
///
/// Source: PingOne Platform API, "Retry guidance"
/// (<https://apidocs.pingidentity.com/pingone/platform/v1/api/#retries>), RFC 9110 §10.2.3
/// (`Retry-After`) and RFC 6585 §4 (429).
///
/// ```
/// use std::time::Duration;
/// use sparse_patch::pingone::RetryPolicy;
///
/// let policy = RetryPolicy::default()
///     .max_attempts(3)
///     .initial_backoff(Duration::from_millis(100))
///     .jitter(false);
/// assert_eq!(policy.backoff(1), Duration::from_millis(100));
/// assert_eq!(policy.backoff(2), Duration::from_millis(200));
/// assert!(RetryPolicy::is_retryable_status(503));
/// assert!(!RetryPolicy::is_retryable_status(404));
/// ```
#[cfg(feature = "client")]
#[derive(Clone)]
pub struct RetryPolicy {
    max_attempts: u32,
    initial_backoff: Duration,
    max_backoff: Duration,
    max_retry_after: Duration,
    jitter: bool,
    observer: Option<Observer>,
    consistency_window: Duration,
}

type Observer = Arc<dyn Fn(&RetryEvent) + Send + Sync>;

/// The top-level `code` of PingOne's error body for a failure of its own ("UNEXPECTED_ERROR",
/// the code of its 500s in its OpenAPI description), which the client retries whatever the
/// status: see [`RetryPolicy::is_retryable_code`].
#[cfg(feature = "client")]
pub const UNEXPECTED_ERROR: &str = "UNEXPECTED_ERROR";

impl Default for RetryPolicy {
    /// 5 attempts, backoff from 500 ms doubling up to 30 s (the Go SDK's cap), with jitter; a
    /// `Retry-After` up to 60 s waited out.
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 5,
            initial_backoff: Duration::from_millis(500),
            max_backoff: Duration::from_secs(30),
            max_retry_after: Duration::from_secs(60),
            jitter: true,
            observer: None,
            consistency_window: Duration::ZERO,
        }
    }
}

impl fmt::Debug for RetryPolicy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RetryPolicy")
            .field("max_attempts", &self.max_attempts)
            .field("initial_backoff", &self.initial_backoff)
            .field("max_backoff", &self.max_backoff)
            .field("max_retry_after", &self.max_retry_after)
            .field("jitter", &self.jitter)
            .field("observer", &self.observer.is_some())
            .field("consistency_window", &self.consistency_window)
            .finish()
    }
}
#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::RetryPolicy;

    #[test]
    fn debug_shows_the_settings_and_whether_an_observer_is_set() {
        let policy = RetryPolicy::default()
            .consistency_window(Duration::from_secs(3))
            .on_retry(|_| {});
        assert_eq!(
            format!("{policy:?}"),
            "RetryPolicy { max_attempts: 5, initial_backoff: 500ms, max_backoff: 30s, \
             max_retry_after: 60s, jitter: true, observer: true, consistency_window: 3s }"
        );
        assert!(format!("{:?}", RetryPolicy::never()).contains("max_attempts: 1,"));
        assert!(format!("{:?}", RetryPolicy::never()).contains("observer: false,"));
    }
}
