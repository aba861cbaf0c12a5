//! [`RecordedRequest`]: one request that reached a users endpoint, as the emulator recorded
//! it, and its `Debug`, which hides the request's credentials.

use core::fmt;

use serde_json::Value;

use super::super::Fault;

/// One request that reached a users endpoint (one user or the list), as recorded by the emulator.
#[derive(Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct RecordedRequest {
    /// `GET`, `PATCH`...
    pub method: String,
    /// The path, such as `/v1/environments/.../users/...`.
    pub path: String,
    /// The query string as sent, without the `?` (empty when there is none), such as
    /// `filter=username%20eq%20%22dspanner%22&limit=2`.
    pub query: String,
    /// The headers, names in lower case.
    pub headers: Vec<(String, String)>,
    /// The body bytes.
    pub body: Vec<u8>,
    /// The status of the answer as the client read it, such as `200` or `409`: the
    /// emulator's own answer (401 of the token check, 404, 405, 400, 413...), a fault's
    /// ([`fault`](Self::fault)), or the 429 of its rate limit
    /// ([`EmulatorBuilder::rate_limit`](super::super::EmulatorBuilder::rate_limit), which is no
    /// fault). `None` while the answer is not yet given (a [`Fault::Slow`] waiting, which a
    /// request from another thread may see), when none reached the client
    /// ([`Fault::ConnectionCut`] of a 200: the connection is dropped before the status line),
    /// or when the client left before it was given.
    pub status: Option<u16>,
    /// The fault the request took, queued ([`Emulator::inject`](super::super::Emulator::inject),
    /// [`Emulator::inject_patch_fault`](super::super::Emulator::inject_patch_fault)) or drawn ([`EmulatorBuilder::random_faults`](super::super::EmulatorBuilder::random_faults)),
    /// if any: one that answered in the emulator's place (`Status`, `ApiError`,
    /// `RateLimited`, `ServiceUnavailable`, `BadGateway`), or one that slowed or shaped its
    /// answer (`Slow`, `TruncatedBody`, `ConnectionCut`; the last two shape the body of a 200
    /// only, and leave another status, and a HEAD's answer, as it is). `None` for a
    /// request answered by the emulator alone, and for the 429 of its rate limit, which
    /// comes before any fault is taken. Written
    /// when the fault is taken, before the answer: a request whose [`Fault::Slow`] still
    /// waits, or whose client left before the answer (a client's timeout shorter than the
    /// wait), holds it with no [`status`](Self::status).
    pub fault: Option<Fault>,
    /// When the emulator recorded the request (once read, before any answer or fault): to
    /// tell which requests came inside a wait that an answer asked for, such as a 429's
    /// `Retry-After`. This machine's monotonic clock, which a paused tokio clock does not
    /// stop: the emulator keeps real time.
    pub received_at: std::time::Instant,
}

impl RecordedRequest {
    /// The first value of a header (name in any case).
    #[must_use]
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }

    /// The `X-Ping-External-Transaction-ID` the request carried, if any.
    #[must_use]
    pub fn transaction_id(&self) -> Option<&str> {
        self.header("x-ping-external-transaction-id")
    }

    /// The `X-Ping-External-Session-ID` the request carried, if any.
    #[must_use]
    pub fn session_id(&self) -> Option<&str> {
        self.header("x-ping-external-session-id")
    }

    /// The body as JSON, if it is.
    #[must_use]
    pub fn json(&self) -> Option<Value> {
        serde_json::from_slice(&self.body).ok()
    }
}

impl fmt::Debug for RecordedRequest {
    /// Shows the request with its credentials replaced by `***`: the value of the
    /// `Authorization` and `Proxy-Authorization` headers, and of an `access_token` or
    /// `client_secret` parameter in the query (which the emulator refuses, but records: a
    /// client that put its token in the URL showed it in every `Debug` of its requests, in a
    /// failed `assert_eq!` on [`Emulator::requests`](super::super::Emulator::requests) too).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let headers: Vec<(&str, &str)> = self
            .headers
            .iter()
            .map(|(key, value)| {
                if matches!(key.as_str(), "authorization" | "proxy-authorization") {
                    (key.as_str(), "***")
                } else {
                    (key.as_str(), value.as_str())
                }
            })
            .collect();
        f.debug_struct("RecordedRequest")
            .field("method", &self.method)
            .field("path", &self.path)
            .field(
                "query",
                &crate::pingone::query_credentials::redacted_query(&self.query),
            )
            .field("headers", &headers)
            .field("body", &String::from_utf8_lossy(&self.body))
            .field("status", &self.status)
            .field("fault", &self.fault)
            .finish()
    }
}
