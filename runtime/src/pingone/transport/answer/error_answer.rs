//! The error that an answer that is not 2xx means: a redirect, a 429, a PingOne error body,
//! or a body that is none; and the body read as a PingOne error.

use super::super::super::error_body::may_be_error_document;
use super::super::super::{ApiError, Error};
use super::super::body::kept_correlation_id;
use super::Answer;

impl Answer {
    /// The body as a PingOne error, if it is one, with the token the request carried taken
    /// out of every string once decoded (a JSON escape such as `\u0061` or `\/` would hide it
    /// from a search of the raw text).
    /// A body larger than
    /// [`MAX_ERROR_DOCUMENT_BYTES`](super::super::super::error_body::MAX_ERROR_DOCUMENT_BYTES) is
    /// not read as one.
    #[cold]
    pub(super) fn api_error(&self) -> Option<ApiError> {
        if !may_be_error_document(&self.body) {
            return None;
        }
        let mut value: serde_json::Value =
            serde_json::from_str(&String::from_utf8_lossy(&self.body)).ok()?;
        if let Some(secret) = &self.secret {
            secret.redact_json(&mut value);
        }
        let mut error = serde_json::from_value::<ApiError>(value)
            .ok()
            .filter(|error| {
                error.code.is_some() || error.id.is_some() || error.message.is_some()
            })?;
        error.correlation_id = self
            .correlation_id
            .as_deref()
            .and_then(|text| kept_correlation_id(text, self.secret.as_ref()));
        Some(error)
    }

    /// The error that an answer that is not 2xx means.
    #[cold]
    #[inline(never)]
    pub(super) fn error<M>(self) -> Result<M, Error> {
        // Whatever its body says: a redirect is not PingOne's answer to the request.
        if (300..400).contains(&self.status) {
            let to = match &self.location {
                Some(location) => format!(" to {location:?}"),
                None => " without a Location".to_owned(),
            };
            return Err(self.decode_error(format!(
                "a redirect{to}, which the client does not follow: PingOne's API answers none \
                 (a base URL that a gateway redirects, such as http:// to https://, is set to \
                 where it points)"
            )));
        }
        let error = self.api_error();
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
                retry_after: self.retry_after,
            }),
            // The error's text says first that the body is not a PingOne error body
            // (`Error::Decode`'s `Display` for a 4xx or 5xx); the reason says what it is.
            None if self.is_blank() => Err(self.decode_error(format!(
                "the body is empty{}{}{}",
                self.content_type_note(&str::to_owned),
                self.challenge_note(&str::to_owned),
                self.correlation_note()
            ))),
            // A body in UTF-16 or UTF-32 (a PingOne error body among them, which `api_error`
            // reads as UTF-8 and misses) is said to be so, as a 2xx's and a token error's
            // are; a body with a `Content-Encoding` is said to be encoded instead.
            None if self.is_wide_text() => Err(self.decode_error(format!(
                "the body is UTF-16 or UTF-32 (a byte order mark or NUL bytes at its start, \
                 RFC 4627 §3), where JSON exchanged between systems must be UTF-8 (RFC 8259 \
                 §8.1){}{}{}",
                self.content_type_note(&str::to_owned),
                self.challenge_note(&str::to_owned),
                self.correlation_note()
            ))),
            None => Err(self.decode_error(format!(
                "{}{}{}{}",
                self.what_arrived(&str::to_owned),
                self.origin_note(),
                self.challenge_note(&str::to_owned),
                self.correlation_note()
            ))),
        }
    }
}
