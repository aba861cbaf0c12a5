//! The one cut of the crate's error texts ([`cut`]): a text up to a number of characters, cut
//! at a character, and the note that says its length ([`CutNote`]).

use core::fmt;

/// The one cut of the crate's error texts: `text` up to `max` characters, cut at a character
/// (never inside one, whatever the script), and, where it is longer, [`CutNote`]: `…` and its
/// length in characters, `aaaa… (300 characters)`. Every text that an error quotes from its
/// input or from a server is cut by it (quoted by [`Quoted`], escaped by [`Escaped`] or as it
/// is), so that all of them read alike.
///
/// [`Quoted`]: super::Quoted
/// [`Escaped`]: super::Escaped
pub(crate) fn cut(text: &str, max: usize) -> Cut<'_> {
    match text.char_indices().nth(max) {
        None => Cut {
            shown: text,
            length: None,
        },
        Some((at, _)) => Cut {
            shown: &text[..at],
            length: Some(text.chars().count()),
        },
    }
}

/// A text cut by [`cut`]: its `Display` is the part shown, then the [`CutNote`].
#[derive(Clone, Copy)]
pub(crate) struct Cut<'a> {
    /// The first characters of the text, all of it when it was not cut.
    pub(crate) shown: &'a str,
    /// The whole text's length in characters, where it was cut.
    length: Option<usize>,
}

impl Cut<'_> {
    /// What follows the part shown: `… (300 characters)`, or nothing.
    pub(crate) fn note(&self) -> CutNote {
        CutNote(self.length)
    }
}

impl fmt::Display for Cut<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}{}", self.shown, self.note())
    }
}

/// What follows a text cut by [`cut`]: `… (300 characters)`, its length in characters;
/// nothing for a text shown whole.
pub(crate) struct CutNote(Option<usize>);

impl fmt::Display for CutNote {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Some(length) => write!(f, "… ({length} characters)"),
            None => Ok(()),
        }
    }
}
