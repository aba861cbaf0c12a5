//! The `Debug` of an [`Error`]: as derived, without the start of a 2xx JSON body.

use std::fmt;

use super::Error;
use super::body_quote::json_document;

/// `Debug` as `#[derive(Debug)]` writes it, except [`Error::Decode`]'s `body_start` for a 2xx
/// JSON object or array (a user's document, or a page of them), which the text leaves out too:
/// its length is shown instead.
impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Api {
                status,
                error,
                attempts,
                retry_after,
            } => f
                .debug_struct("Api")
                .field("status", status)
                .field("error", error)
                .field("attempts", attempts)
                .field("retry_after", retry_after)
                .finish(),
            Error::RateLimited {
                retry_after,
                error,
                attempts,
            } => f
                .debug_struct("RateLimited")
                .field("retry_after", retry_after)
                .field("error", error)
                .field("attempts", attempts)
                .finish(),
            Error::Timeout { timeout, attempts } => f
                .debug_struct("Timeout")
                .field("timeout", timeout)
                .field("attempts", attempts)
                .finish(),
            Error::Transport { source, attempts } => f
                .debug_struct("Transport")
                .field("source", source)
                .field("attempts", attempts)
                .finish(),
            Error::Decode {
                status,
                reason,
                body_start,
                attempts,
                retry_after,
            } => {
                let hidden;
                let shown: &dyn fmt::Debug = match json_document(body_start) {
                    Some(kind) if (200..300).contains(status) => {
                        hidden = NotShown(kind, body_start.chars().count());
                        &hidden
                    }
                    _ => body_start,
                };
                f.debug_struct("Decode")
                    .field("status", status)
                    .field("reason", reason)
                    .field("body_start", shown)
                    .field("attempts", attempts)
                    .field("retry_after", retry_after)
                    .finish()
            }
            Error::Incomplete {
                status,
                expected_bytes,
                source,
                attempts,
                retry_after,
            } => f
                .debug_struct("Incomplete")
                .field("status", status)
                .field("expected_bytes", expected_bytes)
                .field("source", source)
                .field("attempts", attempts)
                .field("retry_after", retry_after)
                .finish(),
            Error::Token {
                status,
                code,
                description,
                attempts,
                retry_after,
                remembered_for,
            } => f
                .debug_struct("Token")
                .field("status", status)
                .field("code", code)
                .field("description", description)
                .field("attempts", attempts)
                .field("retry_after", retry_after)
                .field("remembered_for", remembered_for)
                .finish(),
            Error::InvalidInput(text) => f.debug_tuple("InvalidInput").field(text).finish(),
            Error::Preflight { message, details } => f
                .debug_struct("Preflight")
                .field("message", message)
                .field("details", details)
                .finish(),
            Error::Dialect(error) => f.debug_tuple("Dialect").field(error).finish(),
            Error::SeveralMatches { filter, user_ids } => f
                .debug_struct("SeveralMatches")
                .field("filter", filter)
                .field("user_ids", user_ids)
                .finish(),
            Error::Config(text) => f.debug_tuple("Config").field(text).finish(),
            Error::NoRuntime => f.write_str("NoRuntime"),
        }
    }
}

/// What `Debug` shows for the start of a 2xx JSON body: its kind and length in characters.
struct NotShown(&'static str, usize);

impl fmt::Debug for NotShown {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "<a JSON {}, {} characters, not shown>", self.0, self.1)
    }
}
