//! [`ApiError`] and [`ErrorDetail`]: the JSON error body of the PingOne Platform API, which
//! the emulator writes and the client reads.

use core::fmt;

use serde::{Deserialize, Serialize};

mod debug;

/// The error body of the PingOne Platform API (the `P1Error` schema).
///
/// Source: PingOne Platform API, "Response codes" and "Errors"
/// (<https://apidocs.pingidentity.com/pingone/platform/v1/api/#response-codes>).
///
/// ```
/// use sparse_patch::pingone::ApiError;
///
/// let body = r#"{"id":"5c9d","code":"INVALID_DATA","message":"bad",
///   "details":[{"code":"INVALID_VALUE","target":"email","message":"not an email"}]}"#;
/// let error: ApiError = serde_json::from_str(body).unwrap();
/// assert_eq!(error.code.as_deref(), Some("INVALID_DATA"));
/// assert_eq!(error.details[0].target.as_deref(), Some("email"));
/// ```
#[derive(Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ApiError {
    /// The server's log key for this error.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient_text"
    )]
    pub id: Option<String>,
    /// The general fault code, such as `INVALID_DATA` or `ACCESS_FAILED`.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient_text"
    )]
    pub code: Option<String>,
    /// A short English description.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient_text"
    )]
    pub message: Option<String>,
    /// The item that caused the error, such as an attribute of the request (`email`), where
    /// the error names one itself rather than in a detail. PingOne's "Error codes" page
    /// (<https://developer.pingidentity.com/pingone-api/platform/reference/error-codes.html>)
    /// lists `target` among the properties of the error payload, beside `id`, `code`,
    /// `message` and `details`; the Go SDK's `P1Error` lacks it, and so did this type, which
    /// dropped it: an error that named its attribute there only had no
    #[cfg_attr(
        feature = "client",
        doc = r" [`Error::target`](super::Error::target). Whether PingOne's users API writes it is"
    )]
    #[cfg_attr(
        not(feature = "client"),
        doc = r" `Error::target`. Whether PingOne's users API writes it is"
    )]
    /// *unverified*; it is read (leniently, as the other texts) and kept.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient_text"
    )]
    pub target: Option<String>,
    /// One entry per fault, each naming its `target` attribute where it has one.
    ///
    /// Read leniently, so that an odd `details` does not lose the rest of the error: `null`
    /// reads as no details, a single object as one, and an entry that is not a detail object
    /// is left out. So are the text fields here and in each detail: one that is not a string
    /// reads as `None`.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "lenient_details"
    )]
    pub details: Vec<ErrorDetail>,
    /// The answer's `Correlation-Id` header (not a member of the body): PingOne returns one
    /// from every operation (PingOne Platform APIs, "API responses":
    /// <https://developer.pingidentity.com/pingone-api/foundations/conventions/pingone-api-responses.html>),
    /// and PingOne's support finds a request in its logs by it, so log it beside the error.
    #[cfg_attr(
        feature = "client",
        doc = r" Kept for an answer whose body is a PingOne error (an [`Error::Api`](super::Error::Api),"
    )]
    #[cfg_attr(
        not(feature = "client"),
        doc = r" Kept for an answer whose body is a PingOne error (an `Error::Api`,"
    )]
    #[cfg_attr(
        feature = "client",
        doc = r" or a [`RateLimited`](super::Error::RateLimited) with a JSON body); `None` when the"
    )]
    #[cfg_attr(
        not(feature = "client"),
        doc = r" or a `RateLimited` with a JSON body); `None` when the"
    )]
    /// answer had none (a gateway's, a test server's). Its visible ASCII characters only
    /// (no space, control or invisible character), at most 200, with the request's access
    /// token replaced by `***` where a proxy echoed it there. Neither read nor written by
    /// serde, and left out of `==`: it is no part of the `P1Error` body, and the same error
    /// answered to two requests has two.
    #[serde(skip)]
    pub correlation_id: Option<String>,
}

/// One entry of [`ApiError::details`] (`P1Error_details_inner`).
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ErrorDetail {
    /// The detail's code, such as `INVALID_VALUE` or `REQUIRED_VALUE`.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient_text"
    )]
    pub code: Option<String>,
    /// The attribute at fault, such as `email` or `address.countryCode`.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient_text"
    )]
    pub target: Option<String>,
    /// A short English description.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient_text"
    )]
    pub message: Option<String>,
    /// Extra facts for the developer: `rangeMinimumValue`, `rangeMaximumValue`,
    /// `allowedPattern`, `allowedValues`, `maximumValue`, `referencedValues` (the
    /// `P1Error_details_inner_innerError` schema of PingOne's OpenAPI description, as the Go
    /// SDK carries it), `retryAfter`, `quotaLimit`, `quotaResetTime`... kept as sent. An `innerError` that is not an object reads as
    /// `None` (the rest of the detail is kept).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient_inner_error"
    )]
    pub inner_error: Option<serde_json::Map<String, serde_json::Value>>,
}

/// `details` as sent, whatever its shape: a list (its entries that are detail objects), one
/// detail object, or anything else as no details.
fn lenient_details<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<Vec<ErrorDetail>, D::Error> {
    let entries = match serde_json::Value::deserialize(deserializer)? {
        serde_json::Value::Array(entries) => entries,
        detail @ serde_json::Value::Object(_) => vec![detail],
        _ => Vec::new(),
    };
    Ok(entries
        .into_iter()
        .filter_map(|entry| serde_json::from_value(entry).ok())
        .collect())
}

/// A text field when it is a string; anything else (`null`, a number, an object, a list) as
/// none, so that one field of another type does not lose the error or the detail around it
/// (nor is given a text PingOne did not send: `{"code": 5}` stays no PingOne error).
fn lenient_text<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<String>, D::Error> {
    Ok(match serde_json::Value::deserialize(deserializer)? {
        serde_json::Value::String(text) => Some(text),
        _ => None,
    })
}

/// `innerError` when it is an object; anything else as none.
fn lenient_inner_error<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<serde_json::Map<String, serde_json::Value>>, D::Error> {
    Ok(match serde_json::Value::deserialize(deserializer)? {
        serde_json::Value::Object(inner) => Some(inner),
        _ => None,
    })
}

/// Equal when the bodies are: [`ApiError::correlation_id`], the answer's header, is left out.
impl PartialEq for ApiError {
    fn eq(&self, other: &Self) -> bool {
        let ApiError {
            id,
            code,
            message,
            target,
            details,
            correlation_id: _,
        } = self;
        (id, code, message, target, details)
            == (
                &other.id,
                &other.code,
                &other.message,
                &other.target,
                &other.details,
            )
    }
}

/// The equality above leaves a member out and compares the rest with `==`: it is still an
/// equivalence.
impl Eq for ApiError {}

impl ApiError {
    /// An error body with a log key, a code and a message, and no details yet (used by the
    /// emulator and by tests).
    #[must_use]
    pub fn new(id: impl Into<String>, code: &str, message: impl Into<String>) -> Self {
        ApiError {
            id: Some(id.into()),
            code: Some(code.to_owned()),
            message: Some(message.into()),
            target: None,
            details: Vec::new(),
            correlation_id: None,
        }
    }

    /// Adds details, one per fault.
    #[must_use]
    pub fn with_details(mut self, details: Vec<ErrorDetail>) -> Self {
        self.details = details;
        self
    }
}

impl ErrorDetail {
    /// A detail with a code, a target and a message (used by the emulator and by tests).
    #[must_use]
    pub fn new(code: &str, target: Option<&str>, message: impl Into<String>) -> Self {
        ErrorDetail {
            code: Some(code.to_owned()),
            target: target.map(str::to_owned),
            message: Some(message.into()),
            inner_error: None,
        }
    }

    /// Adds `innerError` facts.
    #[must_use]
    pub fn with_inner_error(mut self, inner: serde_json::Map<String, serde_json::Value>) -> Self {
        self.inner_error = Some(inner);
        self
    }
}

/// How many characters of each of an error's texts (its code, message, id, and each detail's
/// code, target and message) its `Display` shows.
const SHOWN_CHARS: usize = 1_000;

/// How many details an error's `Display` shows.
const SHOWN_DETAILS: usize = 50;

/// The code, the message, each detail (its code, target and message) and the error id, with
/// the control and invisible format characters of the server's text escaped (`\u{1b}`,
/// `\u{200b}`): it reaches terminals and logs. Each text is shown up to its first 1,000
/// characters, and the first 50 details, each cut saying how much was left out: a gateway's
/// JSON error whose `message` held a whole page, or a body of thousands of details, made a
/// log line of megabytes. The fields themselves keep everything.
impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", Shown(self.code.as_deref().unwrap_or("UNKNOWN")))?;
        if let Some(message) = &self.message {
            write!(f, ": {}", Shown(message))?;
        }
        if let Some(target) = &self.target {
            write!(f, " (on `{}`)", Shown(target))?;
        }
        for detail in self.details.iter().take(SHOWN_DETAILS) {
            f.write_str(" [")?;
            write!(f, "{}", Shown(detail.code.as_deref().unwrap_or("?")))?;
            if let Some(target) = &detail.target {
                write!(f, " on `{}`", Shown(target))?;
            }
            if let Some(message) = &detail.message {
                write!(f, ": {}", Shown(message))?;
            }
            f.write_str("]")?;
        }
        if let Some(more) = self.details.len().checked_sub(SHOWN_DETAILS)
            && more > 0
        {
            write!(f, " [and {more} more details]")?;
        }
        if let Some(id) = &self.id {
            write!(f, " (PingOne error id {})", Shown(id))?;
        }
        Ok(())
    }
}

/// A server's text in an error's `Display`: [`Escaped`], up to [`SHOWN_CHARS`] characters,
/// then how many were left out.
pub(crate) struct Shown<'a>(pub(crate) &'a str);

impl fmt::Display for Shown<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        ShownUpTo(self.0, SHOWN_CHARS).fmt(f)
    }
}

/// [`Shown`] up to the given number of characters: for a text of the client's own that holds
/// a server's text already cut by `cut_server_text` (an `Error::Token`'s description), which
/// may then be longer by its own words.
pub(crate) struct ShownUpTo<'a>(pub(crate) &'a str, pub(crate) usize);

impl fmt::Display for ShownUpTo<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let cut = crate::quoted::cut(self.0, self.1);
        write!(f, "{}{}", Escaped(cut.shown), cut.note())
    }
}

/// How many characters of an [`Error::Token`](super::Error::Token)'s description its
/// `Display` shows: the server's text that it may hold, cut to [`SHOWN_CHARS`], with room for
/// what the client writes around it (the token URL asked among it).
#[cfg(feature = "client")]
pub(crate) const SHOWN_DESCRIPTION_CHARS: usize = 3 * SHOWN_CHARS;

/// A server's text (PingOne's `code`, an error `id`) as a `tracing` field carries it:
/// [`Shown`]'s text, escaped and cut to [`SHOWN_CHARS`] characters. A subscriber that writes a
/// text field as it is (a plain-text log) otherwise wrote the server's line end as one of its
/// own, a forged record after it, and a text of megabytes as one line.
#[cfg(feature = "client")]
pub(crate) fn event_text(text: &str) -> String {
    Shown(text).to_string()
}

/// `text` as [`Shown`] cuts it, not escaped: for a server's text that an error keeps inside a
/// longer one of its own, which its `Display` escapes (the message of a PingOne error body
/// answered to a token request, which the token URL asked follows).
#[cfg(feature = "client")]
pub(crate) fn cut_server_text(text: &str) -> std::borrow::Cow<'_, str> {
    let cut = crate::quoted::cut(text, SHOWN_CHARS);
    if cut.shown.len() == text.len() {
        std::borrow::Cow::Borrowed(text)
    } else {
        std::borrow::Cow::Owned(cut.to_string())
    }
}

/// The largest body that the client reads as an error document: a PingOne error body
/// ([`ApiError`], with the `innerError` of its details), or an OAuth error of the token
/// endpoint (RFC 6749 §5.2): 1 MiB. PingOne's error bodies are a few hundred bytes, a few KB
/// with a detail for each attribute at fault. A larger body is said as what arrived (its
/// length, `Content-Type` and start), not read as one: read into `serde_json::Value`s to tell
/// whether it is one, a body of [`MAX_BODY_BYTES`](super::MAX_BODY_BYTES) (16 MiB) of small
/// objects took 1 GB (58 times its size), for each error answer (a 429's on each attempt),
/// and the details read from it stayed in the error. Read so, a body of this size takes some
/// 60 MB at most.
#[cfg(feature = "client")]
pub(crate) const MAX_ERROR_DOCUMENT_BYTES: usize = 1024 * 1024;

/// Whether `body` is small enough to be read as an error document
/// ([`MAX_ERROR_DOCUMENT_BYTES`]).
#[cfg(feature = "client")]
pub(crate) fn may_be_error_document(body: &[u8]) -> bool {
    body.len() <= MAX_ERROR_DOCUMENT_BYTES
}

pub(crate) use crate::quoted::Escaped;

#[cfg(test)]
mod tests {
    use super::*;

    /// Exactly `SHOWN_DETAILS` details are all shown, with no "[and 0 more details]"; one
    /// more is said.
    #[test]
    fn the_details_left_out_are_counted_only_when_there_are_some() {
        let with = |count: usize| {
            ApiError::new("id", "INVALID_DATA", "m")
                .with_details(vec![ErrorDetail::new("INVALID_VALUE", None, "d"); count])
                .to_string()
        };
        let all = with(SHOWN_DETAILS);
        assert_eq!(all.matches("[INVALID_VALUE: d]").count(), SHOWN_DETAILS);
        assert!(!all.contains("more details"), "{all}");
        assert!(
            with(SHOWN_DETAILS + 1).contains("[and 1 more details]"),
            "{}",
            with(SHOWN_DETAILS + 1)
        );
    }

    /// Two error bodies are equal when every member of the body is: a `target` of their own
    /// tells them apart; the answer's `Correlation-Id` does not.
    #[test]
    fn equality_reads_the_target_and_not_the_correlation_id() {
        let body = ApiError::new("id", "INVALID_DATA", "m");
        let mut on_email = body.clone();
        on_email.target = Some("email".to_owned());
        assert_ne!(body, on_email);
        let mut answered_again = body.clone();
        answered_again.correlation_id = Some("c2".to_owned());
        assert_eq!(body, answered_again);
    }

    /// Control characters are shown as Rust's `Debug` writes them: the four it writes with a
    /// letter so (`\t`, `\r`, `\n`, `\0`), the others as `\u{..}`. (Mutation testing: a tab
    /// shown as `\u{9}` went unnoticed.)
    #[test]
    fn control_characters_are_shown_as_debug_writes_them() {
        assert_eq!(
            Escaped("a\tb\rc\nd\0e\u{1b}f\u{7f}g\u{200b}h").to_string(),
            "a\\tb\\rc\\nd\\0e\\u{1b}f\\u{7f}g\\u{200b}h"
        );
        for c in [
            '\t', '\r', '\n', '\0', '\u{1b}', '\u{7f}', '\u{85}', '\u{202e}',
        ] {
            assert_eq!(
                Escaped(&c.to_string()).to_string(),
                c.escape_debug().to_string()
            );
        }
    }
}
