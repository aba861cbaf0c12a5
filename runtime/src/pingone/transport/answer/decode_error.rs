//! The [`Decode`](super::super::super::Error::Decode) error of an answer, and what it tells
//! of the body: blank, UTF-16 or UTF-32, a JSON document, its `Content-Encoding`, the body
//! without the request's token.

use super::super::super::Error;
use super::super::super::error::{
    ENCODING_NOTE_END, ENCODING_NOTE_START, body_start, is_utf16_or_utf32, json_document,
    quotable_text,
};
use super::Answer;

impl Answer {
    /// Whether the body is text in UTF-16 or UTF-32 ([`is_utf16_or_utf32`]): a body without a
    /// `Content-Encoding`, as a body with one (gzip's header holds NUL bytes too) is said to
    /// be encoded instead.
    pub(crate) fn is_wide_text(&self) -> bool {
        self.encoding.is_none() && is_utf16_or_utf32(&self.body)
    }

    /// Whether the body is a JSON document ([`json_document`]: a user's, a page of them), told
    /// from its first character that is not white space. Told from the start that an error
    /// keeps ([`body_start`], 512 characters), a document after more white space than that
    /// (pretty-printed JSON behind a gateway that pads it) was not one, and the decoder's
    /// reason kept the value of it that it quotes.
    #[cold]
    pub(super) fn is_json_document(&self) -> bool {
        let start = self
            .body
            .iter()
            .position(|byte| !byte.is_ascii_whitespace())
            .unwrap_or(self.body.len());
        json_document(&body_start(&self.body[start..])).is_some()
    }

    /// Whether the body is empty, or only whitespace.
    #[cold]
    pub(super) fn is_blank(&self) -> bool {
        self.body.iter().all(u8::is_ascii_whitespace)
    }

    /// The error of a [`Decode`](Error::Decode) kind for this answer.
    #[cold]
    pub(super) fn decode_error(&self, reason: String) -> Error {
        let reason = match self.encoding_text() {
            Some(encoding) => format!("{encoding}: {reason}"),
            None => reason,
        };
        // A decoder's reason quotes the value it refused (`invalid type: string "..."`); of a
        // 2xx JSON document, none is left ([`undecodable`](Answer::undecodable)). Otherwise
        // the token is taken out first, then the value cut to 512 characters (a body may hold
        // a string of megabytes, which the reason quoted whole), so that no part of the token
        // is left by a cut inside it.
        let reason = match &self.secret {
            Some(secret) => secret.redact(&reason),
            None => reason,
        };
        let reason = crate::quoted::shortened(&reason, super::super::super::BODY_START_CHARS);
        Error::Decode {
            status: self.status,
            reason,
            body_start: body_start(self.redacted_body().as_bytes()),
            attempts: self.attempts,
            retry_after: self.retry_after,
        }
    }

    /// What an error says of a body with a `Content-Encoding` (see [`Answer::encoding`]).
    #[cold]
    pub(crate) fn encoding_text(&self) -> Option<String> {
        self.encoding.as_ref().map(|encoding| {
            // Ends before ": ", which `decode_error` writes before the reason.
            let end = ENCODING_NOTE_END
                .strip_suffix(": ")
                .unwrap_or(ENCODING_NOTE_END);
            format!("{ENCODING_NOTE_START}{encoding:?}{end}")
        })
    }

    /// The body, lossily decoded (in UTF-16 or UTF-32, without its NULs: [`quotable_text`]),
    /// with the token the request carried replaced by `***` (as it is and JSON-escaped:
    /// [`Secret::redact`](super::super::super::secret::Secret::redact)).
    #[cold]
    pub(super) fn redacted_body(&self) -> String {
        let text = quotable_text(&self.body);
        match &self.secret {
            Some(secret) => secret.redact(&text),
            None => text.into_owned(),
        }
    }
}
