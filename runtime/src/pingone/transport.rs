//! [`Transport`]: the retrying HTTP sender that the client and the token source share.

use core::fmt;
use std::num::NonZeroU32;
use std::time::{Duration, SystemTime};

use bytes::Bytes;
use reqwest::header::{HeaderMap, RETRY_AFTER};
use serde::de::DeserializeOwned;

use super::error::body_start;
use super::retry::{RetryEvent, parse_retry_after};
use super::{ApiError, Error, RetryPolicy};

/// Sends requests with retries: the HTTP client, the retry policy and the per-attempt
/// timeout, shared by the users calls and the token fetches.
pub(crate) struct Transport {
    http: reqwest::Client,
    retry: RetryPolicy,
    timeout: Duration,
    /// Spaces every request the client sends, retries included, when set.
    limiter: Option<RateLimiter>,
}

/// A GCRA limiter with the standard clock (`governor`), shared by every call of a client.
pub(crate) type RateLimiter = governor::DefaultDirectRateLimiter;

/// How much unused time the limiter credits, as a share of a second: 1/100, 10 ms.
const CATCH_UP_PER_SECOND: u32 = 100;

/// A limiter of `per_second` requests per second, spaced evenly, with a burst of
/// `per_second / 100` (at least one): 10 ms of credit. A waiter's timer fires late (by a
/// fraction of a millisecond, more under load); with a burst of one that lateness is lost for
/// good, and at 500 requests per second a sync of 10,000 users reached only 0.88 of the limit
/// (`benches/sync_users.rs`). The credit lets the next request catch up, so the long-run rate
/// is the limit, and any second holds at most `per_second + per_second / 100` requests.
pub(crate) fn rate_limiter(per_second: NonZeroU32) -> RateLimiter {
    let burst = NonZeroU32::new(per_second.get() / CATCH_UP_PER_SECOND).unwrap_or(NonZeroU32::MIN);
    governor::RateLimiter::direct(governor::Quota::per_second(per_second).allow_burst(burst))
}

/// The final answer of [`Transport::send`].
pub(crate) struct Answer {
    pub(crate) status: u16,
    /// The `Retry-After` wait, read only for retryable statuses (429 among them): the other
    /// headers are not kept.
    pub(crate) retry_after: Option<Duration>,
    pub(crate) body: Bytes,
    pub(crate) attempts: u32,
}

impl Transport {
    pub(crate) fn new(
        http: reqwest::Client,
        retry: RetryPolicy,
        timeout: Duration,
        limiter: Option<RateLimiter>,
    ) -> Self {
        Transport {
            http,
            retry,
            timeout,
            limiter,
        }
    }

    pub(crate) fn retry(&self) -> &RetryPolicy {
        &self.retry
    }

    pub(crate) fn timeout(&self) -> Duration {
        self.timeout
    }

    pub(crate) fn http(&self) -> &reqwest::Client {
        &self.http
    }

    /// Sends the request that `build` makes, again while the answer is retryable and the
    /// policy allows (403 and 404 too within `consistency_window` of the first attempt), and
    /// returns the last answer.
    pub(crate) async fn send(
        &self,
        build: &(dyn Fn() -> reqwest::RequestBuilder + Sync),
        consistency_window: Duration,
    ) -> Result<Answer, Error> {
        let started = tokio::time::Instant::now();
        let mut attempt = 0;
        loop {
            attempt += 1;
            let last = attempt >= self.retry.attempts();
            if let Some(limiter) = &self.limiter {
                limiter.until_ready().await;
            }
            let result = async {
                let response = build().send().await?;
                let status = response.status().as_u16();
                // Only `Retry-After` is ever read: no copy of the whole header map.
                let retry_after = if RetryPolicy::is_retryable_status(status) {
                    retry_after_of(response.headers())
                } else {
                    None
                };
                let body = response.bytes().await?;
                Ok::<_, reqwest::Error>((status, retry_after, body))
            }
            .await;
            let (status, retry_after) = match result {
                Ok((status, retry_after, body)) => {
                    if last || !RetryPolicy::retries(status, started.elapsed(), consistency_window)
                    {
                        return Ok(Answer {
                            status,
                            retry_after,
                            body,
                            attempts: attempt,
                        });
                    }
                    (Some(status), retry_after)
                }
                Err(error) if error.is_builder() => {
                    return Err(Error::InvalidInput(format!(
                        "cannot build the request: {error}"
                    )));
                }
                Err(error) if last => {
                    return Err(if error.is_timeout() {
                        Error::Timeout {
                            timeout: self.timeout,
                            attempts: attempt,
                        }
                    } else {
                        Error::Transport {
                            source: error,
                            attempts: attempt,
                        }
                    });
                }
                Err(_) => (None, None),
            };
            let wait = self.retry.wait(attempt, retry_after);
            tracing::info!(
                attempt,
                status,
                wait_ms = u64::try_from(wait.as_millis()).unwrap_or(u64::MAX),
                from_retry_after = retry_after.is_some(),
                "pingone: retrying"
            );
            self.retry.notify(&RetryEvent {
                attempt,
                status,
                wait,
                from_retry_after: retry_after.is_some(),
            });
            tokio::time::sleep(wait).await;
        }
    }
}

fn retry_after_of(headers: &HeaderMap) -> Option<Duration> {
    let value = headers.get(RETRY_AFTER)?.to_str().ok()?;
    parse_retry_after(value, SystemTime::now())
}

impl Answer {
    /// The body of a 2xx answer as `M`, or the error that the answer means.
    pub(crate) fn decode<M: DeserializeOwned>(self) -> Result<M, Error> {
        let decode_error = |reason: String| Error::Decode {
            status: self.status,
            reason,
            body_start: body_start(&self.body),
            attempts: self.attempts,
        };
        if (200..300).contains(&self.status) {
            return serde_json::from_slice(&self.body)
                .map_err(|error| decode_error(error.to_string()));
        }
        let error = serde_json::from_slice::<ApiError>(&self.body)
            .ok()
            .filter(|error| error.code.is_some() || error.id.is_some() || error.message.is_some());
        if self.status == 429 {
            return Err(Error::RateLimited {
                retry_after: self.retry_after,
                error: error.map(Box::new),
                attempts: self.attempts,
            });
        }
        match error {
            Some(error) => Err(Error::Api {
                status: self.status,
                error: Box::new(error),
                attempts: self.attempts,
            }),
            None => Err(decode_error("not a PingOne error body".into())),
        }
    }
}

impl fmt::Debug for Transport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Transport")
            .field("retry", &self.retry)
            .field("timeout", &self.timeout)
            .field("rate_limited", &self.limiter.is_some())
            .finish_non_exhaustive()
    }
}
