//! [`Reached`]: what one attempt's answer brought, for
//! [`Transport::send`](super::Transport::send).

use bytes::Bytes;
use reqwest::header::HeaderValue;

/// What one attempt's answer brought.
pub(super) enum Reached {
    /// The body, read whole, with the headers that [`Answer`](super::Answer) keeps.
    Body {
        body: Bytes,
        /// Its `Content-Encoding`, if it is not `identity`.
        encoding: Option<String>,
        /// The `Location` of a 3xx.
        location: Option<String>,
        /// The `Correlation-Id` of an answer that is no success.
        correlation_id: Option<String>,
        /// The `WWW-Authenticate` of a 400, 401 or 403.
        challenge: Option<String>,
        /// The `Content-Type` that its error may say
        /// ([`content_type_of`](super::body::content_type_of)).
        content_type: Option<String>,
    },
    /// A body larger than [`MAX_BODY_BYTES`](super::MAX_BODY_BYTES), not read, with its
    /// `Content-Type` as it came (a reference count, no copy), for its error to name.
    TooLarge(Option<HeaderValue>),
    /// A body that did not arrive whole: the HTTP client's error, the length its
    /// `Content-Length` announced, and its `Content-Type` as it came, for its error to name.
    Cut(reqwest::Error, Option<u64>, Option<HeaderValue>),
    /// The answer of another URL, where the HTTP client followed a redirect to.
    Elsewhere(reqwest::Url),
}
