//! A reader's message (serde_json's error about a document) in an error's text: escaped and
//! shortened, keeping what was expected ([`ReaderError`], [`shortened`]).

use core::fmt;

use super::escaped::Escaped;
use super::escaped_cut::before_a_cut_escape;
use super::text_cut::cut;

/// How many characters of a value that a reader's message quotes an error shows ([`shortened`]:
/// twice as many of what was expected, and a message of up to four times as many whole).
pub(crate) const MESSAGE_CHARS: usize = 500;

/// A reader's message (serde_json's error about a document) as an error shows it: escaped
/// ([`Escaped`]: serde quotes a member's name or an unknown variant as it is, ``unknown
/// variant `a\n…` ``) and [`shortened`] to [`MESSAGE_CHARS`], keeping what was expected and
/// the line and column. Its `Debug` is serde_json's (`Error("…", line: 1, column: 9)`) with
/// the message so shortened: an unknown `op` of a megabyte went whole into both.
pub(crate) struct ReaderError<'a>(pub(crate) &'a serde_json::Error);

impl ReaderError<'_> {
    /// The message without serde_json's ` at line 1 column 9`.
    fn message(&self) -> String {
        let text = self.0.to_string();
        let position = format!(" at line {} column {}", self.0.line(), self.0.column());
        match text.strip_suffix(&position) {
            Some(message) if self.0.line() != 0 => message.to_owned(),
            _ => text,
        }
    }
}

impl fmt::Display for ReaderError<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&escaped_shortened(&self.0.to_string(), MESSAGE_CHARS))
    }
}

impl fmt::Debug for ReaderError<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "Error({:?}, line: {}, column: {})",
            shortened(&self.message(), MESSAGE_CHARS),
            self.0.line(),
            self.0.column()
        )
    }
}

/// A message (a reader's, a server's, one of this crate's own that quotes a caller's value)
/// [`shortened`] to `max` as it is, then [`Escaped`]: the cut falls between characters of the
/// message, never inside an escape (`\u{1b}`), and its note counts the message's characters,
/// as [`EscapedCut`]'s does.
///
/// [`EscapedCut`]: super::EscapedCut
pub(crate) fn escaped_shortened(message: &str, max: usize) -> String {
    Escaped(&shortened(message, max)).to_string()
}

/// A reader's message about a value (serde's `invalid type: string "…", expected a string`,
/// which quotes the whole value), its value cut to `max` characters where the message is
/// longer than `4 * max`, keeping what was expected (and the position, which follows it).
/// serde writes a string value as `Debug` does (`string "\u{1b}…"`): a cut leaves out an
/// escape that it would split (a name that serde quotes as it is is escaped after, by
/// [`escaped_shortened`]), its note counting the message's characters.
pub(crate) fn shortened(message: &str, max: usize) -> String {
    if message.chars().count() <= 4 * max {
        return message.to_owned();
    }
    let cut = |text, max| {
        let cut = cut(text, max);
        format!("{}{}", before_a_cut_escape(cut.shown), cut.note())
    };
    match message.rfind(", expected ") {
        Some(at) => format!(
            "{}{}",
            cut(&message[..at], max),
            cut(&message[at..], 2 * max)
        ),
        None => cut(message, 4 * max),
    }
}
