//! [`Quoted`]: a value of the caller's (or a feed's) quoted in an error, as much of it as
//! helps.
//!
//! One file per job: this one quotes a value ([`Quoted`], [`pointer`](fn@pointer));
//! `text_cut` cuts a text at a character ([`cut`]), `escaped` escapes what would drive a
//! terminal ([`Escaped`]), `escaped_cut` cuts a text escaped or to be escaped ([`EscapedCut`],
//! [`EscapedTextCut`], [`DebugCut`]), `reader_message` shortens a reader's message
//! ([`ReaderError`], [`shortened`]), `not_shown` leaves a user's values out of one (feature
//! `client`), and `tests`.

mod escaped;
mod escaped_cut;
#[cfg(feature = "client")]
mod not_shown;
mod reader_message;
#[cfg(test)]
mod tests;
mod text_cut;

use core::fmt;

#[cfg(any(feature = "client", feature = "emulator"))]
pub(crate) use escaped::Escaped;
pub(crate) use escaped::outside_text;
pub(crate) use escaped_cut::{DebugCut, EscapedCut};
#[cfg(feature = "client")]
pub(crate) use escaped_cut::{EscapedTextCut, chars_within};
#[cfg(feature = "client")]
pub(crate) use not_shown::{NotShown, without_quoted_values};
#[cfg(feature = "client")]
pub(crate) use reader_message::shortened;
pub(crate) use reader_message::{MESSAGE_CHARS, ReaderError, escaped_shortened};
pub(crate) use text_cut::cut;

/// `text` quoted as Rust's `Debug` writes a string (control characters escaped, `\u{1b}`),
/// up to `max` characters: a longer one as its first `max` characters, cut at a character
/// (never inside one, whatever the script), then `…` and its length ([`cut`]): `"aaaa"… (300
/// characters)`. A refusal then says what arrived without copying a megabyte of it into a
/// log. Never used on a secret. Its `Debug` is its `Display`, for an error's hand-written
/// `Debug` to quote a field so.
pub(crate) struct Quoted<'a> {
    pub(crate) text: &'a str,
    pub(crate) max: usize,
}

impl fmt::Display for Quoted<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let cut = cut(self.text, self.max);
        write!(f, "{:?}{}", cut.shown, cut.note())
    }
}

impl fmt::Debug for Quoted<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

/// How many characters of a JSON Pointer (RFC 6901) an error quotes: the `path` or `from` of an
/// RFC 6902 operation is the caller's (a request body's), and may be megabytes long or hold
/// 100,000 tokens.
pub(crate) const POINTER_CHARS: usize = 200;

/// A JSON Pointer in an error, quoted as [`Quoted`] quotes it: escaped as Rust's `Debug` writes
/// a string, its first [`POINTER_CHARS`] characters and its length where it is longer.
pub(crate) fn pointer(text: &str) -> Quoted<'_> {
    Quoted {
        text,
        max: POINTER_CHARS,
    }
}
