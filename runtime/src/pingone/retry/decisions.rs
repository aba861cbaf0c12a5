//! Which answers [`RetryPolicy`] retries: by status, by PingOne's error code, inside the
//! consistency window, and whether a `Retry-After` is too long to wait out.

use std::time::Duration;

use super::{RetryPolicy, UNEXPECTED_ERROR};

impl RetryPolicy {
    /// Whether an answer with `status` is retried `elapsed` after a call's first attempt,
    /// given a consistency `window`: a retryable status always, 403 and 404 while `elapsed`
    /// is less than `window`.
    #[must_use]
    pub fn retries(status: u16, elapsed: Duration, window: Duration) -> bool {
        Self::is_retryable_status(status) || (matches!(status, 403 | 404) && elapsed < window)
    }

    /// The configured number of attempts.
    #[must_use]
    pub fn attempts(&self) -> u32 {
        self.max_attempts
    }

    /// Whether an answer with this status whose body did not arrive (cut short, or stalled
    /// past the attempt's timeout) is sent again: a 2xx, whose body the next attempt may
    /// bring, or a status that is retried ([`is_retryable_status`](Self::is_retryable_status));
    /// not a 400, 401, 403 or 404, which is the answer whatever became of its body.
    pub(crate) const fn retries_without_body(status: u16) -> bool {
        matches!(status, 200..=299) || Self::is_retryable_status(status)
    }

    /// Whether an answer with this status is retried: 408, 429, 500, 502, 503 and 504.
    #[must_use]
    pub const fn is_retryable_status(status: u16) -> bool {
        matches!(status, 408 | 429 | 500 | 502 | 503 | 504)
    }

    /// Whether an error answer is retried for the top-level `code` of its PingOne error body
    /// alone, whatever its status: [`UNEXPECTED_ERROR`] (compared in any case), PingOne's code
    /// for a failure of its own, on any status from 400 but 401 (whose worker token is
    /// replaced instead: see
    /// [`TokenSource::client_credentials`](super::super::TokenSource::client_credentials)).
    /// The client retries it as a 500 (a merge PATCH is idempotent; a SCIM message that is not
    /// repeatable is not sent again), and
    /// [`Error::is_retryable`](super::super::Error::is_retryable) says so. An answer of another
    /// code with a status that is not retried (400 `INVALID_DATA`, 404 `NOT_FOUND`) is not.
    ///
    /// Source: Ping's Go SDK retries every answer whose code is `UNEXPECTED_ERROR`, beside
    /// the statuses it retries (`testForRetryable` in `management/client_ext.go` of
    /// `patrickcping/pingone-go-sdk-v2`, added by its #149 "update error retry for
    /// `UNEXPECTED_ERROR` responses" when 500 was already retried by status: PingOne answers
    /// that code with other statuses too). Which statuses PingOne answers it with is
    /// *unverified*; retrying a request that an unexpected failure refused is the safe reading
    /// (before, such an answer failed the call, and a sync job's line, on its first attempt).
    ///
    /// ```
    /// use sparse_patch::pingone::RetryPolicy;
    ///
    /// assert!(RetryPolicy::is_retryable_code(400, "UNEXPECTED_ERROR"));
    /// assert!(RetryPolicy::is_retryable_code(404, "unexpected_error"));
    /// assert!(!RetryPolicy::is_retryable_code(400, "INVALID_DATA"));
    /// assert!(!RetryPolicy::is_retryable_code(401, "UNEXPECTED_ERROR"));
    /// assert!(!RetryPolicy::is_retryable_code(200, "UNEXPECTED_ERROR"));
    /// ```
    #[must_use]
    pub fn is_retryable_code(status: u16, code: &str) -> bool {
        status >= 400 && status != 401 && code.eq_ignore_ascii_case(UNEXPECTED_ERROR)
    }

    /// Whether an answer asking to wait `retry_after` before the next attempt is retried: when
    /// the wait is at most [`max_retry_after`](RetryPolicy::max_retry_after). A longer one
    /// ends the retries (the client neither sends the next attempt before the server said to,
    /// into another 429, nor waits longer than the policy allows); the call returns that
    /// answer's error, whose [`retry_after`](super::super::Error::retry_after) says when to
    /// come back.
    ///
    /// ```
    /// use std::time::Duration;
    /// use sparse_patch::pingone::RetryPolicy;
    ///
    /// let policy = RetryPolicy::default();
    /// assert!(policy.waits_out(Duration::from_secs(60)));
    /// assert!(!policy.waits_out(Duration::from_secs(61)));
    /// assert!(policy.max_retry_after(Duration::MAX).waits_out(Duration::MAX));
    /// ```
    #[must_use]
    pub fn waits_out(&self, retry_after: Duration) -> bool {
        retry_after <= self.max_retry_after
    }

    /// Whether an answer whose wait is `retry_after` (if it gave one) ends the retries: a
    /// `Retry-After` that the policy does not [`wait out`](RetryPolicy::waits_out).
    pub(crate) fn stops_at(&self, retry_after: Option<Duration>) -> bool {
        retry_after.is_some_and(|wait| !self.waits_out(wait))
    }

    /// The configured `max_retry_after`.
    pub(crate) fn max_retry_after_value(&self) -> Duration {
        self.max_retry_after
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::RetryPolicy;

    #[test]
    fn statuses() {
        for status in [408, 429, 500, 502, 503, 504] {
            assert!(RetryPolicy::is_retryable_status(status));
        }
        for status in [200, 400, 401, 403, 404, 409, 415, 501] {
            assert!(!RetryPolicy::is_retryable_status(status));
        }
    }

    /// 403 and 404 are retried while `elapsed < window`: not at its end, and never with the
    /// default window of zero, even on a first attempt that took no time.
    #[test]
    fn the_consistency_window_ends_before_its_length_and_is_off_at_zero() {
        let window = Duration::from_secs(2);
        for status in [403, 404] {
            assert!(RetryPolicy::retries(status, Duration::ZERO, window));
            let just_inside = window - Duration::from_nanos(1);
            assert!(RetryPolicy::retries(status, just_inside, window));
            assert!(!RetryPolicy::retries(status, window, window), "{status}");
            assert!(!RetryPolicy::retries(
                status,
                Duration::ZERO,
                Duration::ZERO
            ));
        }
        // The window retries nothing else; retryable statuses are retried outside it.
        for status in [400, 401, 409, 501] {
            assert!(
                !RetryPolicy::retries(status, Duration::ZERO, window),
                "{status}"
            );
        }
        for status in [408, 429, 500, 502, 503, 504] {
            assert!(RetryPolicy::retries(status, window * 10, Duration::ZERO));
        }
    }
}
