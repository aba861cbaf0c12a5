//! The error of a line that is not JSON ([`invalid_json`]): the reader's message, with the
//! column in the line, and what the line looks like when it is part of another format.

use super::LineError;

/// A line that is not JSON: serde's message with the column in the line. Its "line 1" is the
/// line inside the one feed line, which would mislead in a report about another line number.
///
/// A line `text` that holds a carriage return (JSON writes one inside a string as `\r`, so a
/// raw one is a line end) comes from a feed whose lines end with `\r` alone, as classic Mac OS
/// and some exports write them: the whole feed is then one line, whose error ("trailing
/// characters at column 36") said nothing of why; the message says it. So does one for NUL
/// bytes, which a feed saved as UTF-16 without a byte order mark has before or after every
/// character (one with the mark is refused whole by [`feed_lines`](super::super::feed_lines)). So
/// does one that holds two objects, a line end missing between them. And an object that the line ends inside, as a feed cut short ends, says that the feed may be
/// missing its later users.
pub(super) fn invalid_json(text: &str) -> impl Fn(serde_json::Error) -> LineError + '_ {
    move |error| {
        let message = error.to_string();
        let position = format!(" at line {} column {}", error.line(), error.column());
        let mut message = match message.strip_suffix(&position) {
            Some(bare) => format!("{bare} at column {}", error.column()),
            None => message,
        };
        if text.contains('\r') {
            message.push_str(
                " (the line holds a carriage return, \\r, without a line feed: lines that end \
                 with \\r alone, as classic Mac OS wrote them, read as one line; end each line \
                 with \\n)",
            );
        }
        if text.contains('\0') {
            message.push_str(
                " (the line holds NUL bytes: a feed saved as UTF-16 without a byte order mark \
                 reads so; save it as UTF-8)",
            );
        }
        if second_object_follows(text) {
            message.push_str(
                " (a second JSON object follows the first on this line: a line end is missing \
                 between two users, as when files are joined and one's last line has no line \
                 end; put each object on a line of its own)",
            );
        }
        if let Some(shape) = not_json_lines(text) {
            message.push_str(" (");
            message.push_str(shape);
            message.push(')');
        } else if error.is_eof() && text.trim_start_matches('\u{feff}').trim().starts_with('{') {
            // "EOF while parsing a string at column 37" alone: a feed cut short (a transfer
            // that stopped, a disk that filled up) has this as its last line, and is missing
            // every user after it; a raw line break in a value splits its line so.
            message.push_str(
                " (the line ends inside its JSON object: at the feed's last line, the file was \
                 most likely cut short, and the users after it are missing from it; elsewhere, \
                 a value holding a raw line break, which JSON writes as \\n, splits its line in \
                 two)",
            );
        }
        LineError::InvalidJson(message)
    }
}

/// Whether `text` is a whole JSON value followed by another JSON object: two lines joined
/// for a missing line end (`cat a.jsonl b.jsonl`, `a.jsonl` ending without one). Its error
/// was "trailing characters at column 35" alone, and both users were lost unexplained.
fn second_object_follows(text: &str) -> bool {
    let mut values = serde_json::Deserializer::from_str(text).into_iter::<serde::de::IgnoredAny>();
    if !matches!(values.next(), Some(Ok(_))) {
        return false;
    }
    text[values.byte_offset()..].trim_start().starts_with('{')
}

/// What a line that is not JSON looks like, when it is a part of another format than JSON
/// Lines: an element of a JSON array (a line ending with a comma, or a bracket alone), a JSON
/// document written over several lines (a brace alone, a `"name": value,` member), or a CSV
/// row. Each of them was only "not JSON: trailing characters at column 43" or "expected value
/// at column 1", and the last element of an array, which has no comma, is a valid line that
/// is applied while the others fail.
fn not_json_lines(text: &str) -> Option<&'static str> {
    const SEVERAL_LINES: &str = "a feed is JSON Lines, one whole JSON object per line, without \
        commas between lines or [ ] around them; this looks like a JSON array or a JSON \
        document written over several lines: write one object per line, as `jq -c '.[]'` does";
    let line = text.trim_start_matches('\u{feff}').trim();
    let element = line
        .strip_suffix(',')
        .is_some_and(|element| serde_json::from_str::<serde::de::IgnoredAny>(element).is_ok());
    if element
        || matches!(line, "[" | "]" | "{" | "}" | "]," | "},")
        || (line.starts_with('"') && line.contains("\":"))
    {
        return Some(SEVERAL_LINES);
    }
    if !line.starts_with(['{', '[', '"']) && line.contains([',', ';', '\t']) {
        return Some(
            "a feed is JSON Lines, one JSON object per line; this looks like a CSV row: \
             convert it, one object per row with the header's names",
        );
    }
    None
}
