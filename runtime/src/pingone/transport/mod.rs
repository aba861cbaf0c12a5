//! [`Transport`]: the retrying HTTP sender that the client and the token source share, and
//! the HTTP client it sends with: the user's own `reqwest::Client`, or one built here
//! ([`HttpSettings`](super::http_client::HttpSettings)), one per tokio runtime
//! ([`RuntimePools`]).
//!
//! The sender's parts: `send` sends a request with its retries, `request` builds a request
//! and its body, `waits` holds the waits between attempts (a cut body's pause, the
//! client-wide `Retry-After` hold, a `Retry-After` too long to wait), `access_tokens` takes
//! each attempt's token, `reached` is what one attempt brought, `urls` what an error keeps of
//! a URL, and `event_fields` what a retry's `tracing` event says of the attempt. Beside the
//! sender: `answer` reads the final [`Answer`] (a model, or the error it means),
//! `body` an answer's body up to [`MAX_BODY_BYTES`] and the headers its errors name,
//! `retry_after` the wait an answer asks for, `hold` the client-wide wait that a 429's or
//! 503's `Retry-After` sets, and `rate_limit` the client-side limiter.

use core::fmt;
use std::time::Duration;

use reqwest::header::HeaderValue;

use super::runtime_pools::{CallClock, RuntimePools};
use super::{Error, RetryPolicy};

/// The largest answer body that the client reads, in bytes: 16 MiB. PingOne's largest answer,
/// a page of [`MAX_PAGE_SIZE`](super::MAX_PAGE_SIZE) users of at most
/// [`MAX_PROFILE_BYTES`](super::MAX_PROFILE_BYTES) each, is about 3.3 MB; a larger body
/// (a misbehaving server or proxy) is [`Error::Decode`] rather than memory without bound,
/// unless its status is one that is retried (a 429 or a 5xx from a gateway): then the request
/// is retried as the status says, and the last attempt's too large body is the error. An
/// error answer's body is read as a PingOne error body (or the token endpoint's as an OAuth
/// error) up to 1 MiB only, which none of PingOne's comes near: a larger one is
/// [`Error::Decode`] (or [`Error::Token`] `unknown_error`) saying what arrived.
#[cfg(feature = "client")]
pub const MAX_BODY_BYTES: usize = 16 * 1024 * 1024;

mod access_tokens;
mod answer;
mod body;
mod error_code;
mod event_fields;
mod hold;
pub(crate) mod landed;
mod rate_limit;
mod reached;
mod request;
mod retry_after;
mod send;
mod urls;
mod waits;

pub(crate) use access_tokens::AccessTokens;
pub(crate) use answer::Answer;
use hold::RetryAfterHold;
pub(crate) use rate_limit::{RateLimiter, rate_limiter};

/// Sends requests with retries: the HTTP client, the retry policy and the per-attempt
/// timeout, shared by the users calls and the token fetches.
pub(crate) struct Transport {
    http: reqwest::Client,
    retry: RetryPolicy,
    timeout: Duration,
    /// The connect timeout of a client built here, if set: reported when connecting ran out.
    connect_timeout: Option<Duration>,
    /// For a client the user brought: the user agent set on each request, with the timeout,
    /// over the client's own. `None` for a client built here, whose defaults they are
    /// already (setting them again would cost every request a header insertion).
    per_request: Option<HeaderValue>,
    /// Spaces every request the client sends, retries included, when set.
    limiter: Option<RateLimiter>,
    /// Until when no request to the users API is sent: a 429's or 503's `Retry-After`, for
    /// every call of the client ([`RetryAfterHold`]).
    hold: RetryAfterHold,
    /// For a client built here: one connection pool per tokio runtime ([`RuntimePools`]).
    /// `None` for a client the user brought, whose one pool serves every runtime.
    pools: Option<RuntimePools>,
    /// When the last call started, for a client the user brought (the pools of a client
    /// built here have one each).
    calls: CallClock,
}

impl Transport {
    pub(crate) fn new(
        http: reqwest::Client,
        retry: RetryPolicy,
        timeout: Duration,
        connect_timeout: Option<Duration>,
        per_request: Option<HeaderValue>,
        limiter: Option<RateLimiter>,
        pools: Option<RuntimePools>,
    ) -> Self {
        Transport {
            http,
            retry,
            timeout,
            connect_timeout,
            per_request,
            limiter,
            hold: RetryAfterHold::default(),
            pools,
            calls: CallClock::new(),
        }
    }

    /// How many runtimes have a pool of their own now (`None` for a client the user brought).
    #[cfg(test)]
    pub(crate) fn runtime_pools(&self) -> Option<usize> {
        self.pools.as_ref().map(RuntimePools::runtimes)
    }

    /// The HTTP client to send with from the tokio runtime of the moment: that runtime's own
    /// pool for a client built here ([`RuntimePools`]), the user's client otherwise; and
    /// whether its pool was idle since [`IDLE_BEFORE_POLL`](super::runtime_pools::IDLE_BEFORE_POLL)
    /// ([`CallClock`]). [`Error::NoRuntime`] outside any tokio runtime, where reqwest would
    /// panic.
    fn http_here(&self) -> Result<(reqwest::Client, bool), Error> {
        let handle = tokio::runtime::Handle::try_current().map_err(|_| Error::NoRuntime)?;
        match &self.pools {
            Some(pools) => pools.client(&handle),
            None => Ok((self.http.clone(), self.calls.was_idle())),
        }
    }

    pub(crate) fn retry(&self) -> &RetryPolicy {
        &self.retry
    }

    pub(crate) fn timeout(&self) -> Duration {
        self.timeout
    }
}

impl fmt::Debug for Transport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Transport")
            .field("retry", &self.retry)
            .field("timeout", &self.timeout)
            .field("connect_timeout", &self.connect_timeout)
            .field("own_http_client", &self.per_request.is_some())
            .field("rate_limited", &self.limiter.is_some())
            .finish_non_exhaustive()
    }
}
