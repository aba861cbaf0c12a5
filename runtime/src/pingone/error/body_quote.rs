//! A body as an error quotes it: its start, lossily decoded, and whether it is a JSON document
//! (a user's profile, which the text of a 2xx does not quote).

use super::BODY_START_CHARS;
#[cfg(doc)]
use super::Error;

/// What a body starts as, if a JSON object or array (after white space): a user's document,
/// a page of them, a list of them, which the text of [`Error::Decode`] does not quote for a
/// 2xx.
///
/// A JSON string whose text is such a document (`"{\"id\": ...}"`: JSON encoded twice, as a
/// gateway or function that encodes its answer one time too many sends it) is one too: its
/// text is the same profile.
///
/// Told after white space, NULs, byte order marks and replacement characters: a document in
/// UTF-16 or UTF-32 ([`is_utf16_or_utf32`]), whose start read as UTF-8 is a byte order mark
/// turned into replacement characters and a NUL beside each ASCII character, is one too.
pub(crate) fn json_document(body_start: &str) -> Option<&'static str> {
    let skipped =
        |character: char| character.is_whitespace() || is_wide_encoding_residue(character);
    let text = body_start.trim_start_matches(skipped);
    match text.chars().next() {
        Some('{') => Some("object"),
        Some('[') => Some("array"),
        Some('"')
            if text[1..]
                .trim_start_matches(skipped)
                .starts_with(['{', '[']) =>
        {
            Some("string that holds JSON")
        }
        _ => None,
    }
}

pub(crate) use crate::text_encoding::is_utf16_or_utf32;

/// Whether `character` is what UTF-16 or UTF-32 text read as UTF-8 holds beside its ASCII
/// characters: a NUL, a byte order mark, or a replacement character (of a byte order mark
/// or a code unit that is not UTF-8).
pub(crate) fn is_wide_encoding_residue(character: char) -> bool {
    matches!(character, '\0' | '\u{FEFF}' | '\u{FFFD}')
}

/// `body` lossily decoded, as an error quotes it; a body in UTF-16 or UTF-32
/// ([`is_utf16_or_utf32`]) without its NULs, byte order marks and replacement characters,
/// so that its ASCII text reads as it would in UTF-8, and a token or secret in it is found
/// to be taken out (with a NUL beside each of its characters, a search for it found none,
/// while a reader of the quote saw it).
pub(crate) fn quotable_text(body: &[u8]) -> std::borrow::Cow<'_, str> {
    let text = String::from_utf8_lossy(body);
    if !is_utf16_or_utf32(body) {
        return text;
    }
    std::borrow::Cow::Owned(
        text.chars()
            .filter(|&character| !is_wide_encoding_residue(character))
            .collect(),
    )
}

/// The first [`BODY_START_CHARS`] characters of a body, lossily decoded.
pub(crate) fn body_start(body: &[u8]) -> String {
    String::from_utf8_lossy(body)
        .chars()
        .take(BODY_START_CHARS)
        .collect()
}
