//! [`Fault`]: the wrong answers the emulator can be asked to give, and how they are given.
//!
//! Its parts: `random` the faults drawn at random ([`RandomFaults`]), `effect` what a fault
//! does to one request, `rate_limit` the emulator's own rate limit and its 429 answer.

use std::time::Duration;

mod effect;
mod random;
mod rate_limit;

pub(super) use effect::{Effect, Endpoint, effect, shape};
pub use random::RandomFaults;
pub(super) use rate_limit::{RateLimit, over_rate_limit, rate_limit};

/// A fault that the emulator answers one request with, queued by
/// [`Emulator::inject`](super::Emulator::inject) (the next request to a users endpoint),
/// [`Emulator::inject_patch_fault`](super::Emulator::inject_patch_fault) (the next PATCH) or
/// [`Emulator::inject_token_fault`](super::Emulator::inject_token_fault) (the next token
/// request).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Fault {
    /// 429 `REQUEST_LIMITED` with this `Retry-After` value (seconds or an HTTP date).
    RateLimited {
        /// The `Retry-After` header value.
        retry_after: String,
    },
    /// 503 with a JSON error body, and a `Retry-After` if given (left out when the value
    /// cannot be a header value).
    ServiceUnavailable {
        /// The `Retry-After` header value, if any.
        retry_after: Option<String>,
    },
    /// Waits this long, then answers normally.
    Slow(Duration),
    /// 502 with an HTML page, as a proxy in front of PingOne sends.
    BadGateway,
    /// Answers normally, but the 200 body is cut in half (its `Content-Length` too): a complete
    /// answer whose JSON is cut short.
    TruncatedBody,
    /// Carries out the request, then drops the connection before any of the answer arrives
    /// (its 200 head, which announces the whole body in `Content-Length`, and half of the body
    /// are handed to hyper, which writes none of it when the body fails at once): the answer
    /// is lost on the way, after the change was made. The client sees a failed connection with
    #[cfg_attr(
        feature = "client",
        doc = r" no status ([`Error::Transport`](crate::pingone::Error::Transport)), and sends a merge"
    )]
    #[cfg_attr(
        not(feature = "client"),
        doc = r" no status (`Error::Transport`), and sends a merge"
    )]
    /// patch again, which is idempotent (RFC 7396). A complete answer whose JSON is cut short
    /// is [`TruncatedBody`](Fault::TruncatedBody). Both leave an answer that is not 200, and
    /// a HEAD's, which has no body, as it is.
    ConnectionCut,
    /// This status with a PingOne JSON error body (`UNEXPECTED_ERROR` and the like); a number
    /// that is not an HTTP status (outside 100 to 999), or a 1xx status, which is no final
    /// answer (RFC 9110 §15.2), is answered as 500; 204, 205 and 304, which carry no content
    /// (RFC 9110 §15.3.5, §15.3.6, §15.4.5), without the body (a 205 with `Content-Length: 0`,
    /// the others with no `Content-Length`), as a gateway would send them. A status without a
    /// code of its own (409, 501...) carries `UNEXPECTED_ERROR`, which the client retries
    #[cfg_attr(
        feature = "client",
        doc = r" whatever the status ([`RetryPolicy::is_retryable_code`](crate::pingone::RetryPolicy::is_retryable_code)):"
    )]
    #[cfg_attr(
        not(feature = "client"),
        doc = r" whatever the status (`RetryPolicy::is_retryable_code`):"
    )]
    /// to see such a status as the call's error, give the client
    #[cfg_attr(
        feature = "client",
        doc = r" [`RetryPolicy::never`](crate::pingone::RetryPolicy::never), or inject"
    )]
    #[cfg_attr(not(feature = "client"), doc = r" `RetryPolicy::never`, or inject")]
    /// [`ApiError`](Fault::ApiError) with a code of its own. On a users endpoint a 401 is the
    /// endpoint's refusal of a token that has ended (`INVALID_TOKEN` detail and
    /// `WWW-Authenticate: Bearer realm="PingOne", error="invalid_token"`), as the emulator
    /// gives it once a token from [`token_lifetime`](super::EmulatorBuilder::token_lifetime)
    /// ends; an `ApiError` 401 there carries the same challenge. A 429 is PingOne's
    /// `REQUEST_LIMITED` answer, as [`RateLimited`](Fault::RateLimited) gives it, with a
    /// `Retry-After` of
    /// [`EmulatorBuilder::fault_retry_after`](super::EmulatorBuilder::fault_retry_after)
    /// seconds (1 by default): PingOne's 429 carries one.
    Status(u16),
    /// This status with a PingOne JSON error body whose `code` is `code`: the answer that a
    /// test of an application's own handling of a status wants, such as a 409 that the
    /// client does not retry (`Fault::ApiError { status: 409, code: "CONFLICT".into() }`;
    /// PingOne's code for a 409 is not documented), where [`Status`](Fault::Status) gives a
    /// status without a code of its own `UNEXPECTED_ERROR`, which the client retries. A
    /// number that is not an HTTP status, or a 1xx status, is answered as 500, and 204, 205
    /// and 304 without a body, as for `Status`.
    ///
    /// ```
    /// use sparse_patch::pingone::emulator::{Emulator, Fault};
    /// use sparse_patch::pingone::{Client, TokenSource, UserPatch};
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let emulator = Emulator::start()?;
    /// let client = Client::builder()
    ///     .api_base_url(emulator.api_base_url())
    ///     .token(TokenSource::bearer(emulator.token()))
    ///     .build()?;
    /// emulator.inject(Fault::ApiError { status: 409, code: "CONFLICT".into() });
    /// let patch = UserPatch::new().title("CTO");
    /// let error = client
    ///     .update_user(emulator.environment_id(), emulator.user_id(), &patch)
    ///     .await
    ///     .unwrap_err();
    /// assert_eq!((error.status(), error.code()), (Some(409), Some("CONFLICT")));
    /// assert_eq!(emulator.requests().len(), 1); // not retried
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// A 429 carries a `Retry-After` of
    /// [`EmulatorBuilder::fault_retry_after`](super::EmulatorBuilder::fault_retry_after)
    /// seconds (1 by default), as PingOne's does.
    ApiError {
        /// The HTTP status, such as 409.
        status: u16,
        /// The error body's `code`, such as `CONFLICT`.
        code: String,
    },
}
