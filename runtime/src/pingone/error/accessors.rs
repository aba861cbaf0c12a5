//! What an [`Error`] tells a caller beyond its text: its status, whether to retry, its
//! attempts, PingOne's error body and its targets, its wait.

use std::time::Duration;

use super::super::error_body::ApiError;
use super::Error;
use super::transport_cause::{certificate_error, not_tls, proxy_asks_for_credentials};

impl Error {
    /// The HTTP status of the answer that caused the error, if there was one.
    #[must_use]
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::Api { status, .. }
            | Error::Decode { status, .. }
            | Error::Incomplete { status, .. }
            | Error::Token { status, .. } => Some(*status),
            Error::RateLimited { .. } => Some(429),
            Error::Transport { source, .. } => source.status().map(|status| status.as_u16()),
            _ => None,
        }
    }

    /// Whether trying again later might succeed: 408, 429, 500, 502, 503 and 504 (from the API
    /// or the token endpoint), an API answer whose PingOne error code is `UNEXPECTED_ERROR`
    /// whatever its status but 401 ([`RetryPolicy::is_retryable_code`](super::super::RetryPolicy::is_retryable_code)),
    /// timeouts, transport failures and bodies cut short
    /// ([`Error::Incomplete`]) of a 2xx or of those statuses. Never for 400, 401, 403 or
    /// 404 of another code, nor for invalid input, nor for a server certificate that was not trusted, nor for
    /// a redirect loop that an HTTP client of your own followed to its limit, nor for a proxy
    /// that asks for credentials (`407 Proxy Authentication Required` to the `CONNECT` of an
    /// `https` request), nor for a server that does not answer in TLS at an `https` URL.
    #[must_use]
    pub fn is_retryable(&self) -> bool {
        match self {
            Error::Transport { source, .. } => {
                certificate_error(&**source).is_none()
                    && !source.is_redirect()
                    && !proxy_asks_for_credentials(&**source)
                    && !not_tls(&**source)
            }
            Error::RateLimited { .. } | Error::Timeout { .. } => true,
            Error::Incomplete { status, .. } => {
                super::super::RetryPolicy::retries_without_body(*status)
            }
            Error::Api { status, error, .. } => {
                super::super::RetryPolicy::is_retryable_status(*status)
                    || error.code.as_deref().is_some_and(|code| {
                        super::super::RetryPolicy::is_retryable_code(*status, code)
                    })
            }
            Error::Decode { status, .. } | Error::Token { status, .. } => {
                super::super::RetryPolicy::is_retryable_status(*status)
            }
            _ => false,
        }
    }

    /// The error's kind, its variant's name in snake case (`api`, `rate_limited`, `timeout`,
    /// `transport`, `decode`, `incomplete`, `token`, `invalid_input`, `preflight`, `dialect`,
    /// `several_matches`, `config`, `no_runtime`): the `error` field of the `tracing` event
    /// of a failed call, which gives no text of the error (PingOne's message may quote a
    /// user's values).
    pub(crate) fn kind(&self) -> &'static str {
        match self {
            Error::Api { .. } => "api",
            Error::RateLimited { .. } => "rate_limited",
            Error::Timeout { .. } => "timeout",
            Error::Transport { .. } => "transport",
            Error::Decode { .. } => "decode",
            Error::Incomplete { .. } => "incomplete",
            Error::Token { .. } => "token",
            Error::InvalidInput(_) => "invalid_input",
            Error::Preflight { .. } => "preflight",
            Error::Dialect(_) => "dialect",
            Error::SeveralMatches { .. } => "several_matches",
            Error::Config(_) => "config",
            Error::NoRuntime => "no_runtime",
        }
    }

    /// How many requests were sent before giving up, for errors that come from an answer (or
    /// its absence).
    #[must_use]
    pub fn attempts(&self) -> Option<u32> {
        match self {
            Error::Api { attempts, .. }
            | Error::RateLimited { attempts, .. }
            | Error::Timeout { attempts, .. }
            | Error::Transport { attempts, .. }
            | Error::Decode { attempts, .. }
            | Error::Incomplete { attempts, .. }
            | Error::Token { attempts, .. } => Some(*attempts),
            _ => None,
        }
    }

    /// The decoded `P1Error` body, if there was one.
    #[must_use]
    pub fn api_error(&self) -> Option<&ApiError> {
        match self {
            Error::Api { error, .. } => Some(error),
            Error::RateLimited { error, .. } => error.as_deref(),
            _ => None,
        }
    }

    /// The `Correlation-Id` of PingOne's error answer ([`ApiError::correlation_id`]), which
    /// PingOne's support asks for to find the request in its logs; `None` for an answer
    /// without one, and for an error that is no decoded `P1Error` (a gateway's HTML page, a
    /// timeout).
    #[must_use]
    pub fn correlation_id(&self) -> Option<&str> {
        self.api_error()?.correlation_id.as_deref()
    }

    /// The PingOne error code, such as `INVALID_DATA`.
    #[must_use]
    pub fn code(&self) -> Option<&str> {
        self.api_error()?.code.as_deref()
    }

    /// The attribute that a 400 or 403 (or the pre-flight check) was about: the error body's
    /// own `target` ([`ApiError::target`]), else the `target` of the first detail that has one.
    #[must_use]
    pub fn target(&self) -> Option<&str> {
        self.targets().next()
    }

    /// Every `target`, in order: of PingOne's answer ([`api_error`](Error::api_error)), its
    /// body's own `target` first ([`ApiError::target`], unless a detail names the same), then
    /// each detail's; or of the pre-flight check's refusal ([`Error::Preflight`]).
    pub fn targets(&self) -> impl Iterator<Item = &str> {
        let (own, details) = match self {
            Error::Preflight { details, .. } => (None, Some(details)),
            _ => {
                let error = self.api_error();
                (
                    error.and_then(|error| error.target.as_deref()),
                    error.map(|error| &error.details),
                )
            }
        };
        let of_details = move || {
            details
                .into_iter()
                .flatten()
                .filter_map(|detail| detail.target.as_deref())
        };
        own.filter(|own| !of_details().any(|target| target == *own))
            .into_iter()
            .chain(of_details())
    }

    /// Whether the server's TLS certificate was refused: issued by a CA that neither the
    /// system's trust store nor [`add_root_certificate`](super::super::ClientBuilder::add_root_certificate)
    /// trusts, expired, not valid for the host name, revoked, or otherwise invalid.
    #[must_use]
    pub fn is_untrusted_certificate(&self) -> bool {
        match self {
            Error::Transport { source, .. } => certificate_error(&**source).is_some(),
            _ => false,
        }
    }

    /// The wait the last answer asked for, when its status is retryable (408, 429, 500, 502,
    /// 503, 504): of a rate-limited request ([`Error::RateLimited`]), of a 503 (or another
    /// retryable status) still answered when the retry policy ran out ([`Error::Api`], or
    /// [`Error::Decode`] for a proxy's page, or [`Error::Incomplete`] for a body cut short),
    /// or of a failed token request. Its
    /// `Retry-After` as the server wrote it (RFC 9110 §10.2.3; a date counted from the
    /// answer's `Date`, the server's clock, and zero for a date not after it), else, for an
    /// answer without that header, the `retryAfter` of its PingOne error body's
    /// `details[].innerError` (seconds, as a number or a string, or a date: an HTTP date or
    /// an RFC 3339 date-time), and without that the time until its `quotaResetTime` (a
    /// `QUOTA_EXCEEDED` quota's reset, a date). Not capped, so it may be as long as `u64::MAX` seconds. The
    /// client's own waits are capped ([`RetryPolicy`](super::super::RetryPolicy)), and a zero is no
    /// wait for them (the backoff applies); a caller that waits on this value should do the
    /// same, and add it to an `Instant` with `checked_add` (`+` panics on overflow).
    #[must_use]
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            Error::RateLimited { retry_after, .. }
            | Error::Token { retry_after, .. }
            | Error::Api { retry_after, .. }
            | Error::Decode { retry_after, .. }
            | Error::Incomplete { retry_after, .. } => *retry_after,
            _ => None,
        }
    }
}
