//! Texts cut and escaped in an error's text: a text cut then escaped ([`EscapedCut`]), a text
//! already escaped cut without splitting an escape ([`EscapedTextCut`], [`DebugCut`]).

use core::fmt;

use super::escaped::Escaped;
use super::text_cut::cut;

/// `text` cut by [`cut`] to `max` characters, the part shown [`Escaped`]: a text of the
/// caller's, a request's or a server's in an error's text, neither driving the terminal that
/// shows it nor flooding the log that keeps it.
pub(crate) struct EscapedCut<'a>(pub(crate) &'a str, pub(crate) usize);

impl fmt::Display for EscapedCut<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let cut = cut(self.0, self.1);
        write!(f, "{}{}", Escaped(cut.shown), cut.note())
    }
}

/// A value's `Debug` (already escaped, as `Debug` escapes a string) cut by [`cut`] to `max`
/// characters: for a field of an error's hand-written `Debug` that is no text of its own (a
/// `serde_json::Error`, a list of names, a JSON object).
pub(crate) struct DebugCut<'a, T: ?Sized>(pub(crate) &'a T, pub(crate) usize);

impl<T: fmt::Debug + ?Sized> fmt::Debug for DebugCut<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let whole = format!("{:?}", self.0);
        write!(f, "{}", EscapedTextCut(&whole, self.1))
    }
}

/// A text already escaped (as [`Escaped`] or `Debug` writes one: each character that it
/// escaped is a `\` escape) cut by [`cut`] to `max` characters, without the escape that the
/// cut would split, then the cut's note, which counts the escaped text's characters: for an
/// error's text that quotes texts escaped and cut one by one (PingOne's error body with its
/// details, a pre-flight check's faults), which may still be long all together.
pub(crate) struct EscapedTextCut<'a>(pub(crate) &'a str, pub(crate) usize);

impl fmt::Display for EscapedTextCut<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let cut = cut(self.0, self.1);
        write!(f, "{}{}", before_a_cut_escape(cut.shown), cut.note())
    }
}

/// How many of `text`'s first characters fit in `bytes` bytes of UTF-8: the `max` of
/// [`EscapedTextCut`] that holds an escaped text (whose escapes are ASCII, its other
/// characters up to 4 bytes each) within a size in bytes, a text of ASCII as long as of
/// characters of any other script.
#[cfg(feature = "client")]
pub(crate) fn chars_within(text: &str, bytes: usize) -> usize {
    text.char_indices()
        .take_while(|&(at, c)| at + c.len_utf8() <= bytes)
        .count()
}

/// `shown`, the first characters of a `Debug` text, without the escape that the cut split
/// (`\u{1b` of `\u{1b}`, a backslash alone): in a `Debug` text every backslash starts one.
pub(super) fn before_a_cut_escape(shown: &str) -> &str {
    let mut chars = shown.char_indices();
    while let Some((at, c)) = chars.next() {
        if c == '\\' {
            let whole = match chars.next() {
                Some((_, 'u')) => chars.by_ref().any(|(_, c)| c == '}'),
                next => next.is_some(),
            };
            if !whole {
                return &shown[..at];
            }
        }
    }
    shown
}
