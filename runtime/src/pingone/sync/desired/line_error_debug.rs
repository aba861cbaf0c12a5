//! The `Debug` of [`LineError`]: as `#[derive(Debug)]` writes it, each text (a reader's
//! message, a key, a path) quoted and cut to its first [`TEXT_CHARS`] characters and its length,
//! and each list of names written as `Debug` writes it and cut alike as a whole. `unwrap`,
//! `expect` and `tracing`'s `?error` print it: a feed line with a name of a megabyte went whole
//! into it. The fields keep everything.

use core::fmt;

use super::LineError;
use crate::quoted::{DebugCut, Quoted};

/// How many characters of a text, or of a list of names written as `Debug` writes it, the
/// `Debug` shows.
const TEXT_CHARS: usize = 1_000;

/// A text in `Debug`: quoted and cut to [`TEXT_CHARS`] characters.
fn text(text: &str) -> Quoted<'_> {
    Quoted {
        text,
        max: TEXT_CHARS,
    }
}

impl fmt::Debug for LineError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fn tuple(f: &mut fmt::Formatter<'_>, name: &str, value: &str) -> fmt::Result {
            f.debug_tuple(name).field(&text(value)).finish()
        }
        match self {
            LineError::Unreadable(reason) => tuple(f, "Unreadable", reason),
            LineError::InvalidJson(message) => tuple(f, "InvalidJson", message),
            LineError::NotAnObject => f.write_str("NotAnObject"),
            LineError::NoKey => f.write_str("NoKey"),
            LineError::EmptyKey(key) => f.debug_tuple("EmptyKey").field(key).finish(),
            LineError::UnusableKey(reason) => tuple(f, "UnusableKey", reason),
            LineError::InvalidId(id) => tuple(f, "InvalidId", id),
            LineError::UnknownAttributes(names) => f
                .debug_tuple("UnknownAttributes")
                .field(&DebugCut(names, TEXT_CHARS))
                .finish(),
            LineError::NullOnRequired(names) => f
                .debug_tuple("NullOnRequired")
                .field(&DebugCut(names, TEXT_CHARS))
                .finish(),
            LineError::InvalidValue(reason) => tuple(f, "InvalidValue", reason),
            LineError::WrongType { path, message } => f
                .debug_struct("WrongType")
                .field("path", &text(path))
                .field("message", &text(message))
                .finish(),
            LineError::Duplicate { first_line } => f
                .debug_struct("Duplicate")
                .field("first_line", first_line)
                .finish(),
            LineError::KeysUnavailable(reason) => tuple(f, "KeysUnavailable", reason),
        }
    }
}
