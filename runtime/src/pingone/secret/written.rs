//! A secret taken out of a text where it is written as it is ([`replace_written`]), and
//! whether a match stands alone, not part of a longer word ([`stands_alone`]).

/// `text` with each occurrence of `written` (a secret, or a form of it) replaced by `***`,
/// only those that [stand alone](stands_alone) with `whole_words`; borrowed when none is.
pub(crate) fn replace_written<'t>(
    text: &'t str,
    written: &str,
    whole_words: bool,
) -> std::borrow::Cow<'t, str> {
    use std::borrow::Cow;
    if written.is_empty() || !text.contains(written) {
        return Cow::Borrowed(text);
    }
    if !whole_words {
        return Cow::Owned(text.replace(written, "***"));
    }
    let mut out = String::new();
    let mut copied = 0;
    for (start, _) in text.match_indices(written) {
        if stands_alone(text, start, start + written.len()) {
            out.push_str(&text[copied..start]);
            out.push_str("***");
            copied = start + written.len();
        }
    }
    if copied == 0 {
        return Cow::Borrowed(text);
    }
    out.push_str(&text[copied..]);
    Cow::Owned(out)
}

/// Whether `text[start..end]` is not part of a longer word: a letter, digit or `_` at either
/// end of it is not next to another one (the word boundary of regular expressions, `\b`).
/// `t` stands alone in `a t.` and `"t"`, not in `the`; `a/b` stands alone in `=a/b&`. A
/// percent-escape before it (RFC 3986 §2.1: a form body or a URL echoed encoded) is the
/// character it stands for: `t` stands alone in `token%3Dt` and `%22t%22` (`="t"`), not in
/// `%41t` (`At`), also encoded twice or more (`%253Dt`, [`escaped_byte_before`]); one of a
/// byte outside ASCII, part of a character that it alone does not tell, is taken for no
/// letter.
pub(super) fn stands_alone(text: &str, start: usize, end: usize) -> bool {
    let word = |c: char| c.is_alphanumeric() || c == '_';
    let found = &text[start..end];
    let before = &text[..start];
    let word_before = match escaped_byte_before(before) {
        Some(byte) => byte.is_ascii_alphanumeric() || byte == b'_',
        None => before.chars().next_back().is_some_and(word),
    };
    let joined_before = found.chars().next().is_some_and(word) && word_before;
    let joined_after =
        found.chars().next_back().is_some_and(word) && text[end..].chars().next().is_some_and(word);
    !joined_before && !joined_after
}

/// The byte of the percent-escape that `before` ends with (RFC 3986 §2.1), encoded once or
/// more, up to [`MOST_PERCENT_ENCODINGS`] times (`%3D`, `%253D`, `%25253D`: a form body in
/// a URL in a URL, `%25` the `%` of the escape inside it); `None` when it ends with none.
fn escaped_byte_before(before: &str) -> Option<u8> {
    let bytes = before.as_bytes();
    let digits = bytes.len().checked_sub(2)?;
    if !bytes[digits..].iter().all(u8::is_ascii_hexdigit) {
        return None;
    }
    let byte = u8::from_str_radix(&before[digits..], 16).ok()?;
    // Back over each `25` (an encoded `%`) to the `%` that starts the escape; a few levels
    // only, so that a run of `2525...` before each of many matches (a secret `5`) costs no
    // more than the text's length.
    let mut at = digits;
    for _ in 0..=MOST_PERCENT_ENCODINGS {
        match bytes[..at] {
            [.., b'%'] => return Some(byte),
            [.., b'2', b'5'] => at -= 2,
            _ => return None,
        }
    }
    None
}

/// How many times over [`escaped_byte_before`] reads a percent-escape encoded (`%25` before
/// it, each time); a deeper one is taken for digits.
const MOST_PERCENT_ENCODINGS: usize = 8;
