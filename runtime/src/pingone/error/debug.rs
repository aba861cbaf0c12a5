//! The `Debug` of an [`Error`]: as derived, without the start of a 2xx JSON body.

use std::fmt;

use super::Error;
use super::body_quote::json_document;
use crate::quoted::{EscapedTextCut, chars_within};

/// `Debug` as `#[derive(Debug)]` writes it, except [`Error::Decode`]'s `body_start` for a 2xx
/// JSON object or array (a user's document, or a page of them), which the text leaves out too:
/// its length is shown instead; and each text field (PingOne's error body, a token refusal's
/// code and description, a decoder's reason, an input's or a configuration's refusal, a
/// filter), whose `Debug` is cut to 6,000 bytes, `"aaaa… (N characters)`:
/// derived, a token endpoint's description of a megabyte went whole into it.
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
                .field("error", &Bounded(error, QUOTED_BYTES))
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
                .field("error", &Bounded(error, QUOTED_BYTES))
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
                    .field("reason", &Bounded(reason, QUOTED_BYTES / 2))
                    .field("body_start", shown)
                    .field("attempts", attempts)
                    .field("retry_after", retry_after)
                    .finish()
            }
            Error::Incomplete {
                status,
                expected_bytes,
                content_type,
                source,
                attempts,
                retry_after,
            } => f
                .debug_struct("Incomplete")
                .field("status", status)
                .field("expected_bytes", expected_bytes)
                .field("content_type", content_type)
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
                .field("code", &Bounded(code, CODE_BYTES))
                .field(
                    "description",
                    &Bounded(description, QUOTED_BYTES - CODE_BYTES),
                )
                .field("attempts", attempts)
                .field("retry_after", retry_after)
                .field("remembered_for", remembered_for)
                .finish(),
            Error::InvalidInput(text) => f
                .debug_tuple("InvalidInput")
                .field(&Bounded(text, QUOTED_BYTES))
                .finish(),
            Error::Preflight { message, details } => f
                .debug_struct("Preflight")
                .field("message", &Bounded(message, QUOTED_BYTES / 2))
                .field("details", &Bounded(details, QUOTED_BYTES / 2))
                .finish(),
            Error::Dialect(error) => f.debug_tuple("Dialect").field(error).finish(),
            Error::SeveralMatches { filter, user_ids } => f
                .debug_struct("SeveralMatches")
                .field("filter", &Bounded(filter, QUOTED_BYTES))
                .field("user_ids", user_ids)
                .finish(),
            Error::Config(text) => f
                .debug_tuple("Config")
                .field(&Bounded(text, QUOTED_BYTES))
                .finish(),
            Error::NoRuntime => f.write_str("NoRuntime"),
        }
    }
}

/// How many bytes of each text field's `Debug` (escaped) [`Error`]'s `Debug` shows
/// ([`Bounded`]), and of a pre-flight refusal's message and its details together, and of a
/// token refusal's code and description together (its code takes [`CODE_BYTES`] of them):
/// within 8 KiB with the rest. A decoder's reason takes half, beside the start of the body.
const QUOTED_BYTES: usize = 6_000;

/// How many bytes of a token refusal's OAuth `error` code `Debug` shows.
const CODE_BYTES: usize = 500;

/// A field's `Debug` cut to the characters that fit in `.1` bytes, without splitting an
/// escape, then how many characters it had (`"aaaa… (N characters)`).
struct Bounded<'a, T: ?Sized>(&'a T, usize);

impl<T: fmt::Debug + ?Sized> fmt::Debug for Bounded<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let whole = format!("{:?}", self.0);
        let max = chars_within(&whole, self.1);
        write!(f, "{}", EscapedTextCut(&whole, max))
    }
}

/// What `Debug` shows for the start of a 2xx JSON body: its kind and length in characters.
struct NotShown(&'static str, usize);

impl fmt::Debug for NotShown {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "<a JSON {}, {} characters, not shown>", self.0, self.1)
    }
}
