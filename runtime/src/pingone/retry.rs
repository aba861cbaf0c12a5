//! [`RetryPolicy`]: which answers are retried, and how long to wait between attempts.

use core::fmt;
use std::hash::{BuildHasher, Hasher};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime};

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

/// One retry about to happen, given to the observer set with [`RetryPolicy::on_retry`]: a
/// request sent again under the policy, or after a worker token refused with 401, sent again
/// at once with a fresh token (`status` 401, `wait` zero; outside the policy's attempts, see
/// [`TokenSource::client_credentials`](super::TokenSource::client_credentials)). Both are
/// requests more that the call sent, which a count of retries (the `sync_users` example's
/// after a run) counts.
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
    /// [`Error::retry_after`](super::Error::retry_after), for the caller to come back then
    /// (see [`waits_out`](RetryPolicy::waits_out)). `Duration::MAX` waits as long as any
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
    /// ([`Client::with_consistency_window`](super::Client::with_consistency_window)), so that
    /// a real 404 is not waited on.
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
    /// replaced instead: see [`TokenSource::client_credentials`](super::TokenSource::client_credentials)).
    /// The client retries it as a 500 (a merge PATCH is idempotent; a SCIM message that is not
    /// repeatable is not sent again), and [`Error::is_retryable`](super::Error::is_retryable)
    /// says so. An answer of another code with a status that is not retried (400
    /// `INVALID_DATA`, 404 `NOT_FOUND`) is not.
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

    /// Whether an answer asking to wait `retry_after` before the next attempt is retried: when
    /// the wait is at most [`max_retry_after`](RetryPolicy::max_retry_after). A longer one
    /// ends the retries (the client neither sends the next attempt before the server said to,
    /// into another 429, nor waits longer than the policy allows); the call returns that
    /// answer's error, whose [`retry_after`](super::Error::retry_after) says when to come back.
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

    pub(crate) fn notify(&self, event: &RetryEvent) {
        if let Some(observer) = &self.observer {
            observer(event);
        }
    }
}

/// The most that [`jitter`](RetryPolicy::jitter) adds to a `Retry-After` wait: 1 s, a
/// second's spread for the calls that one rate limit refused together (PingOne's limits are
/// per second).
const RETRY_AFTER_SPREAD: Duration = Duration::from_secs(1);

/// Reads a `Retry-After` header value: delay seconds, or an HTTP date (RFC 9110 §10.2.3)
/// counted from `now`. A date in the past gives zero. A date is read in each of RFC 9110
/// §5.6.7's three formats (IMF-fixdate, and the obsolete RFC 850 and asctime ones), and in a
/// zone other than `GMT` that a mail-style writer puts there (`UTC`, `+0100`, `PST`: the
/// zones of RFC 5322 §3.3 and §4.3), as RFC 9110 §5.6.7 encourages: unread, it was no wait
/// given, and the backoff's retries went before the time asked for. Delay seconds are ASCII digits
/// (`1*DIGIT`: no sign); more than a `u64` holds is read as `u64::MAX` seconds, as RFC 9111
/// §1.2.2 has a cache read a delta-seconds past what it can represent (the wait is then
/// capped as any other), not as no wait given. Digits with a decimal fraction (`1.5`,
/// `299.997`, `2.0`), which RFC 9110 does not allow but rate limiters that write a time
/// difference as it is send (Sentry's, opensearch-project/data-prepper#6927's services), are
/// read rounded up to the next whole second, so that the wait is never shorter than asked:
/// read as no wait given, a `Retry-After: 299.997` had the backoff's retries sent in the
/// next seconds, each into the same 429.
///
/// ```
/// use std::time::{Duration, SystemTime};
/// use sparse_patch::pingone::parse_retry_after;
///
/// assert_eq!(parse_retry_after("7", SystemTime::now()), Some(Duration::from_secs(7)));
/// let now = SystemTime::UNIX_EPOCH + Duration::from_secs(784_111_777 - 30);
/// assert_eq!(
///     parse_retry_after("Sun, 06 Nov 1994 08:49:37 GMT", now),
///     Some(Duration::from_secs(30))
/// );
/// assert_eq!(
///     parse_retry_after("Sun, 06 Nov 1994 09:49:37 +0100", now),
///     Some(Duration::from_secs(30))
/// );
/// assert_eq!(parse_retry_after("soon", now), None);
/// assert_eq!(parse_retry_after("+7", now), None);
/// assert_eq!(parse_retry_after("1.5", now), Some(Duration::from_secs(2)));
/// assert_eq!(parse_retry_after("2.000", now), Some(Duration::from_secs(2)));
/// assert_eq!(parse_retry_after(".5", now), None);
/// assert_eq!(
///     parse_retry_after("99999999999999999999999", now),
///     Some(Duration::from_secs(u64::MAX))
/// );
/// ```
#[cfg(feature = "client")]
#[must_use]
pub fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    fn digits(text: &str) -> bool {
        !text.is_empty() && text.bytes().all(|byte| byte.is_ascii_digit())
    }
    let value = value.trim();
    let (whole, fraction) = match value.split_once('.') {
        None => (value, ""),
        Some((whole, fraction)) if digits(fraction) => (whole, fraction),
        // `1.`, `1.5s`, `1.2.3`: not delay seconds.
        Some(_) => ("", ""),
    };
    if digits(whole) {
        let seconds: u64 = whole.parse().unwrap_or(u64::MAX);
        // A fraction above zero rounds up: a wait is never shortened.
        let up = fraction.bytes().any(|byte| byte != b'0');
        return Some(Duration::from_secs(seconds.saturating_add(u64::from(up))));
    }
    let date = super::http_date::parse(value)?;
    Some(date.duration_since(now).unwrap_or(Duration::ZERO))
}

/// Reads an RFC 3339 date-time (`2026-12-05T03:00:00Z`, `2026-12-05T04:00:00.250+01:00`;
/// `T` or a space between the date and the time, in either case, and `Z` in either case),
/// as PingOne writes its times. `None` for anything else, a date before 1970 included.
pub(crate) fn parse_rfc3339(text: &str) -> Option<SystemTime> {
    fn number(text: &[u8]) -> Option<u64> {
        (!text.is_empty() && text.iter().all(u8::is_ascii_digit))
            .then(|| text.iter().fold(0, |n, &d| n * 10 + u64::from(d - b'0')))
    }
    let text = text.trim().as_bytes();
    if text.len() < 20
        || text[4] != b'-'
        || text[7] != b'-'
        || !matches!(text[10], b'T' | b't' | b' ')
        || text[13] != b':'
        || text[16] != b':'
    {
        return None;
    }
    let (year, month, day) = (
        number(&text[..4])?,
        number(&text[5..7])?,
        number(&text[8..10])?,
    );
    let (hour, minute, second) = (
        number(&text[11..13])?,
        number(&text[14..16])?,
        number(&text[17..19])?,
    );
    let mut rest = &text[19..];
    let mut nanos = 0;
    if let Some(fraction) = rest.strip_prefix(b".") {
        let digits = fraction.iter().take_while(|b| b.is_ascii_digit()).count();
        number(&fraction[..digits])?;
        nanos = fraction[..digits.min(9)]
            .iter()
            .chain(std::iter::repeat(&b'0'))
            .take(9)
            .fold(0, |n, &d| n * 10 + u32::from(d - b'0'));
        rest = &fraction[digits..];
    }
    let offset: i64 = match rest {
        [b'Z' | b'z'] => 0,
        [sign @ (b'+' | b'-'), h1, h2, b':', m1, m2] => {
            let (hours, minutes) = (number(&[*h1, *h2])?, number(&[*m1, *m2])?);
            if hours > 23 || minutes > 59 {
                return None;
            }
            let offset = i64::try_from(hours * 3600 + minutes * 60).ok()?;
            if *sign == b'-' { -offset } else { offset }
        }
        _ => return None,
    };
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let days_in_month = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return None,
    };
    // A leap second (`:60`) is read as the next second's start.
    if day == 0 || day > days_in_month || hour > 23 || minute > 59 || second > 60 {
        return None;
    }
    // Days from 1970-01-01 (the civil-from-days inverse of H. Hinnant's algorithm).
    let (y, m) = if month <= 2 {
        (i64::try_from(year).ok()? - 1, month + 9)
    } else {
        (i64::try_from(year).ok()?, month - 3)
    };
    let era = y.div_euclid(400);
    let year_of_era = y - era * 400;
    let day_of_year = i64::try_from((153 * m + 2) / 5 + day - 1).ok()?;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    let days = era * 146_097 + day_of_era - 719_468;
    let seconds = days * 86_400 + i64::try_from(hour * 3600 + minute * 60 + second).ok()? - offset;
    let seconds = u64::try_from(seconds).ok()?;
    Some(SystemTime::UNIX_EPOCH + Duration::new(seconds, nanos))
}

/// A number in `[0, 1)`, from the standard library's randomly keyed hasher.
pub(crate) fn random_unit() -> f64 {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write_u64(COUNTER.fetch_add(1, Ordering::Relaxed));
    (hasher.finish() >> 11) as f64 / (1u64 << 53) as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 3339 date-times as PingOne writes its times, against `httpdate`'s reading of the
    /// same instants; what is not one is `None`.
    #[test]
    fn rfc3339_date_times() {
        let at = |http: &str| httpdate::parse_http_date(http).unwrap();
        for (text, expected) in [
            ("1994-11-06T08:49:37Z", at("Sun, 06 Nov 1994 08:49:37 GMT")),
            ("1994-11-06t08:49:37z", at("Sun, 06 Nov 1994 08:49:37 GMT")),
            (
                "1994-11-06 09:49:37+01:00",
                at("Sun, 06 Nov 1994 08:49:37 GMT"),
            ),
            (
                "1994-11-06T03:19:37-05:30",
                at("Sun, 06 Nov 1994 08:49:37 GMT"),
            ),
            ("2024-02-29T23:59:59Z", at("Thu, 29 Feb 2024 23:59:59 GMT")),
            ("2000-03-01T00:00:00Z", at("Wed, 01 Mar 2000 00:00:00 GMT")),
            ("1970-01-01T00:00:00Z", SystemTime::UNIX_EPOCH),
        ] {
            assert_eq!(parse_rfc3339(text), Some(expected), "{text}");
        }
        assert_eq!(
            parse_rfc3339("2026-12-05T03:00:00.250Z"),
            Some(at("Sat, 05 Dec 2026 03:00:00 GMT") + Duration::from_millis(250))
        );
        for text in [
            "",
            "2026-12-05",
            "2026-12-05T03:00:00",
            "2026-13-05T03:00:00Z",
            "2026-02-29T03:00:00Z",
            "2026-12-05T24:00:00Z",
            "2026-12-05T03:00:00+24:00",
            "2026-12-05T03:00:00.Z",
            "1969-12-31T23:59:59Z",
            "Sun, 06 Nov 1994 08:49:37 GMT",
            "2026-12-05T03:00:00Zjunk",
        ] {
            assert_eq!(parse_rfc3339(text), None, "{text}");
        }
    }

    /// The Gregorian leap years and the leap second of RFC 3339 (§5.6 `time-second` up to
    /// 60, §5.7 and Appendix C's leap year rule): 29 February of 2000 (divisible by 400) is a
    /// date, of 2100 and 1900 (by 100, not 400) is not; `:60` reads as the next second's start.
    #[test]
    fn rfc3339_leap_years_and_leap_seconds() {
        let at = |http: &str| httpdate::parse_http_date(http).unwrap();
        assert_eq!(
            parse_rfc3339("2000-02-29T12:00:00Z"),
            Some(at("Tue, 29 Feb 2000 12:00:00 GMT"))
        );
        assert_eq!(parse_rfc3339("2100-02-29T12:00:00Z"), None);
        assert_eq!(parse_rfc3339("1900-02-29T12:00:00Z"), None);
        assert_eq!(
            parse_rfc3339("2016-12-31T23:59:60Z"),
            Some(at("Sun, 01 Jan 2017 00:00:00 GMT"))
        );
        assert_eq!(parse_rfc3339("2016-12-31T23:59:61Z"), None);
    }

    /// `Retry-After` delay seconds are `1*DIGIT` (RFC 9110 §10.2.3); the decimal fraction read
    /// besides is digits after one dot. Digits followed by a dot and no fraction, or a fraction
    /// with a unit or a second dot, are no delay seconds (nor an HTTP date): no wait given, not
    /// the whole seconds before the dot.
    #[test]
    fn delay_seconds_with_a_malformed_fraction_are_no_wait() {
        let now = SystemTime::UNIX_EPOCH;
        for value in ["1.", "1.5s", "1.2.3", "2.x", "3. 5"] {
            assert_eq!(parse_retry_after(value, now), None, "{value:?}");
        }
        assert_eq!(parse_retry_after("1.25", now), Some(Duration::from_secs(2)));
    }

    /// `max_attempts(0)` counts as 1, as documented: the policy says one attempt, not none.
    #[test]
    fn zero_attempts_count_as_one() {
        assert_eq!(RetryPolicy::default().max_attempts(0).attempts(), 1);
        assert_eq!(RetryPolicy::never().attempts(), 1);
    }

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
