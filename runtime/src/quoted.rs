//! [`Quoted`]: a value of the caller's (or a feed's) quoted in an error, as much of it as
//! helps.

use core::fmt;

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

/// The one cut of the crate's error texts: `text` up to `max` characters, cut at a character
/// (never inside one, whatever the script), and, where it is longer, [`CutNote`]: `…` and its
/// length in characters, `aaaa… (300 characters)`. Every text that an error quotes from its
/// input or from a server is cut by it (quoted by [`Quoted`], escaped by [`Escaped`] or as it
/// is), so that all of them read alike.
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
fn before_a_cut_escape(shown: &str) -> &str {
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

/// A message (a reader's, a server's, one of this crate's own that quotes a caller's value)
/// [`shortened`] to `max` as it is, then [`Escaped`]: the cut falls between characters of the
/// message, never inside an escape (`\u{1b}`), and its note counts the message's characters,
/// as [`EscapedCut`]'s does.
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

/// A reader's message about a value of a user's document (serde's `invalid type: string
/// "ada@example.com", expected u32`), with each value that it quotes as serde's `Unexpected`
/// writes one left out: a string (`string "…"`, escaped as Rust's `Debug` escapes) said by its
/// length, `string (15 characters, not shown)`; a number (``integer `5` ``, ``floating point
/// `1.5` ``) as `integer (not shown)`, and so a character (``character `A` ``, which a model's
/// own `Deserialize` may give) as `character (not shown)`. An error of an answer leaves the user's document out of
/// its text (names, emails, phone numbers), and a log of the error would otherwise hold the one
/// value that the model refused. The rest stays: what was expected, the variant that an enum
/// lacks (a value of the server's, which says what the model must add), the position.
#[cfg(feature = "client")]
pub(crate) fn without_quoted_values(message: &str) -> String {
    const STRING: &str = "string \"";
    const CHARACTER: &str = "character `";
    // A number's or a character's, quoted in backticks.
    const BACKTICKED: [&str; 3] = ["integer `", "floating point `", CHARACTER];
    let mut shown = String::with_capacity(message.len());
    let mut rest = message;
    loop {
        let string = rest.find(STRING).map(|at| (at, STRING));
        let backticked = BACKTICKED
            .iter()
            .filter_map(|marker| rest.find(marker).map(|at| (at, *marker)))
            .min();
        let Some((at, marker)) = [string, backticked].into_iter().flatten().min() else {
            break;
        };
        let value_start = at + marker.len();
        shown.push_str(&rest[..at]);
        // The marker without its opening quote: `string `, `integer `.
        shown.push_str(&marker[..marker.len() - 1]);
        let value_end = if marker == STRING {
            let (length, value_end) = debug_quoted_length(&rest[value_start..]);
            shown.push_str(&NotShown(length).to_string());
            value_end
        } else {
            shown.push_str("(not shown)");
            // A character is one, whatever it is (a backtick too), then the closing backtick.
            let character = match rest[value_start..].chars().next() {
                Some(c) if marker == CHARACTER => c.len_utf8(),
                _ => 0,
            };
            let after = value_start + character;
            character
                + rest[after..]
                    .find('`')
                    .map_or(rest.len() - after, |end| end + 1)
        };
        rest = &rest[value_start + value_end..];
    }
    shown.push_str(rest);
    shown
}

/// What an error writes in place of a value of a user's document (a name, an email) that it
/// does not quote: its length in characters, `(15 characters, not shown)`.
#[cfg(feature = "client")]
pub(crate) struct NotShown(pub(crate) usize);

#[cfg(feature = "client")]
impl fmt::Display for NotShown {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let plural = if self.0 == 1 { "" } else { "s" };
        write!(f, "({} character{plural}, not shown)", self.0)
    }
}

/// The length in characters of the string that `text` starts with, written as Rust's `Debug`
/// writes a string after its opening quote (`ab\"c\u{1b}"`: 5), and the byte offset just past
/// its closing quote; without one (a message that was cut), the rest of `text` is the string.
#[cfg(feature = "client")]
fn debug_quoted_length(text: &str) -> (usize, usize) {
    let mut length = 0;
    let mut chars = text.char_indices();
    while let Some((at, c)) = chars.next() {
        match c {
            '"' => return (length, at + 1),
            // `\\`, `\"`, `\n`, ...: one character; `\u{1b}`: one, its braces skipped.
            '\\' => {
                if let Some((_, 'u')) = chars.next() {
                    chars.by_ref().find(|&(_, c)| c == '}');
                }
            }
            _ => {}
        }
        length += 1;
    }
    (length, text.len())
}

/// Whether `c` is outside every class of the schema's text patterns (letters, marks, numbers,
/// punctuation, symbols, space separators): a control character (`\p{Cc}`), a line or
/// paragraph separator (`\p{Zl}`, `\p{Zp}`), an invisible format character (`\p{Cf}`:
/// zero-width space and joiner, bidi marks and overrides, byte order mark, soft hyphen, tags,
/// as of Unicode 15.1) or a private-use one (`\p{Co}`). Unassigned code points are not
/// known here. ASCII is settled by one comparison.
pub(crate) fn outside_text(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_control();
    }
    c.is_control()
        || matches!(
            c,
            '\u{2028}'
                | '\u{2029}'
                | '\u{ad}'
                | '\u{600}'..='\u{605}'
                | '\u{61c}'
                | '\u{6dd}'
                | '\u{70f}'
                | '\u{890}'..='\u{891}'
                | '\u{8e2}'
                | '\u{180e}'
                | '\u{200b}'..='\u{200f}'
                | '\u{202a}'..='\u{202e}'
                | '\u{2060}'..='\u{2064}'
                | '\u{2066}'..='\u{206f}'
                | '\u{feff}'
                | '\u{fff9}'..='\u{fffb}'
                | '\u{110bd}'
                | '\u{110cd}'
                | '\u{13430}'..='\u{1343f}'
                | '\u{1bca0}'..='\u{1bca3}'
                | '\u{1d173}'..='\u{1d17a}'
                | '\u{e0001}'
                | '\u{e0020}'..='\u{e007f}'
                | '\u{e000}'..='\u{f8ff}'
                | '\u{f0000}'..='\u{ffffd}'
                | '\u{100000}'..='\u{10fffd}'
        )
}

/// Text from a server, a client or a report inside an error's text: its control
/// characters (C0, DEL, C1: an ANSI escape, a carriage return that overwrites the line),
/// line and paragraph separators, invisible format characters (bidirectional overrides,
/// zero-width spaces) and private-use ones, those that PingOne's text patterns refuse
/// ([`outside_text`]), escaped as Rust's `Debug` writes them
/// (`\u{1b}`, `\r`, `\u{202e}`, `\u{200b}`), the rest as it is, so that no server text drives
/// the terminal that shows it or hides what it holds.
pub(crate) struct Escaped<'a>(pub(crate) &'a str);

impl core::fmt::Display for Escaped<'_> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        let mut rest = self.0;
        while let Some((at, c)) = rest.char_indices().find(|&(_, c)| outside_text(c)) {
            f.write_str(&rest[..at])?;
            match c {
                '\t' | '\r' | '\n' | '\0' => write!(f, "{}", c.escape_debug())?,
                _ => write!(f, "\\u{{{:x}}}", u32::from(c))?,
            }
            rest = &rest[at + c.len_utf8()..];
        }
        f.write_str(rest)
    }
}

#[cfg(test)]
mod tests {
    use super::Quoted;

    /// Whether every escape in `text` is whole (`\u{` then hex digits and `}`) and its cut note,
    /// if any, is the one given.
    fn escapes_are_whole(text: &str) -> bool {
        text.split("\\u{").skip(1).all(|after| {
            after.split_once('}').is_some_and(|(hex, _)| {
                !hex.is_empty() && hex.chars().all(|c| c.is_ascii_hexdigit())
            })
        })
    }

    /// A cut of an escaped text: an escape at every place around the cut (`\u{1b}` or a
    /// bidi override after wide, combining and surrogate-range-neighbour characters), in a
    /// text of a megabyte; the escape is whole or left out, never split, and the note counts
    /// the text's own characters. Escaped before it was cut, a reader's message, a SCIM
    /// fault, a keyed array's value and a report line's error split `\u{1b}` (`\u{1… (…)`)
    /// and counted the escaped text's characters, six for one ESC.
    #[test]
    fn a_cut_never_splits_an_escape_and_counts_the_texts_characters() {
        for filler in [
            "a",
            "é",
            "e\u{301}",
            "\u{d7ff}",
            "\u{e000}",
            "👩‍👧",
            "\u{ffff}",
        ] {
            for escape in ["\u{1b}", "\u{202e}", "\n", "\\"] {
                for at in 0..12 {
                    let text = format!("{}{escape}{}", filler.repeat(40 + at), "x".repeat(1 << 20));
                    let length = text.chars().count();
                    let note = format!("… ({length} characters)");
                    let escaped = super::EscapedCut(&text, 50).to_string();
                    assert!(escaped.ends_with(&note), "{escaped}");
                    assert!(escapes_are_whole(&escaped), "{escaped}");
                    let shortened = super::escaped_shortened(&text, 50);
                    assert!(shortened.ends_with(&note), "{shortened}");
                    assert!(escapes_are_whole(&shortened), "{shortened}");
                    let debug = format!("{:?}", super::DebugCut(&text, 50));
                    let debug_length = format!("{text:?}").chars().count();
                    assert!(
                        debug.ends_with(&format!("… ({debug_length} characters)")),
                        "{debug}"
                    );
                    let shown = debug.strip_suffix(&format!("… ({debug_length} characters)"));
                    let shown = shown.unwrap();
                    assert!(escapes_are_whole(shown), "{debug}");
                    assert!(!shown.ends_with('\\') || shown.ends_with("\\\\"), "{debug}");
                }
            }
        }
    }

    /// serde_json's message quoting a name of a megabyte of ESC (an unknown variant): the
    /// text is cut before it is escaped, so no escape is split and the note counts the
    /// message's characters before `, expected`.
    #[test]
    fn a_readers_message_is_cut_before_it_is_escaped() {
        #[derive(Debug, serde::Deserialize)]
        enum Op {
            Add,
        }
        let name = "\u{1b}".repeat(1 << 20);
        let error = serde_json::from_value::<Op>(serde_json::Value::String(name)).unwrap_err();
        let text = super::ReaderError(&error).to_string();
        let raw = error.to_string();
        let before = raw[..raw.rfind(", expected ").unwrap()].chars().count();
        assert!(text.contains(&format!("… ({before} characters)")), "{text}");
        assert!(escapes_are_whole(&text), "{text}");
        assert!(
            text.contains("expected variant identifier") || text.contains("expected `Add`"),
            "{text}"
        );
        // A string value, which serde writes as `Debug` does (`string "\u{1b}…"`).
        let error =
            serde_json::from_value::<u8>(serde_json::Value::String("\u{1b}".repeat(1 << 20)))
                .unwrap_err();
        let raw = error.to_string();
        let before = raw[..raw.rfind(", expected ").unwrap()].chars().count();
        for text in [
            super::ReaderError(&error).to_string(),
            format!("{:?}", super::ReaderError(&error)),
        ] {
            assert!(text.contains(&format!("… ({before} characters)")), "{text}");
            assert!(escapes_are_whole(&text), "{text}");
            assert!(text.contains("expected u8"), "{text}");
        }
    }

    #[test]
    fn long_text_is_cut_at_a_character_and_says_its_length() {
        let quoted = |text, max| Quoted { text, max }.to_string();
        assert_eq!(quoted("abc", 3), r#""abc""#);
        assert_eq!(quoted("abcd", 3), r#""abc"… (4 characters)"#);
        assert_eq!(quoted("", 3), r#""""#);
        // Multi-byte characters: cut between characters, counted as characters.
        assert_eq!(quoted("ééééé", 2), r#""éé"… (5 characters)"#);
        assert_eq!(quoted("👩‍👩‍👧x", 1), r#""👩"… (6 characters)"#);
        assert_eq!(quoted("a\u{1b}[31m", 9), r#""a\u{1b}[31m""#);
    }

    #[cfg(feature = "client")]
    #[test]
    fn a_message_keeps_what_was_expected() {
        let message = format!(
            "invalid type: string {:?}, expected a string",
            "é".repeat(1000)
        );
        let short = super::shortened(&message, 30);
        assert_eq!(
            short,
            "invalid type: string \"éééééééé… (1023 characters), expected a string"
        );
        assert_eq!(super::shortened("short", 8), "short");
        // Up to four times `max` is kept whole; one character more is cut. (Mutation testing:
        // `<` for `<=` went unnoticed.)
        // What was expected is the last `, expected `: a value may hold the words too.
        let value = format!("{}, expected {}", "x".repeat(100), "y".repeat(100));
        let short = super::shortened(
            &format!("invalid type: string {value:?}, expected a string"),
            30,
        );
        assert!(
            short.ends_with("… (234 characters), expected a string"),
            "{short}"
        );
        // Without what was expected: its first four times `max` characters.
        assert_eq!(
            super::shortened(&"z".repeat(40), 8),
            format!("{}… (40 characters)", "z".repeat(32))
        );
        let at_most = format!("{}, expected {}", "a".repeat(10), "b".repeat(11));
        assert_eq!(at_most.chars().count(), 32);
        assert_eq!(super::shortened(&at_most, 8), at_most);
        assert_eq!(
            super::shortened(&format!("{at_most}c"), 8),
            "aaaaaaaa… (10 characters), expected bbbbb… (23 characters)"
        );
    }

    #[test]
    fn cut_text_keeps_whole_characters() {
        assert_eq!(super::cut("\"abc\"", 5).to_string(), "\"abc\"");
        assert_eq!(super::cut("\"ééé\"", 3).to_string(), "\"éé… (5 characters)");
    }

    #[cfg(feature = "client")]
    #[test]
    fn quoted_values_are_left_out() {
        let message = |value: &str| format!("invalid type: string {value:?}, expected u32");
        let shown = super::without_quoted_values;
        assert_eq!(
            shown(&message("ada@example.com")),
            "invalid type: string (15 characters, not shown), expected u32"
        );
        // Escapes count as the one character that they stand for.
        assert_eq!(
            shown(&message("a\"b\\c\n\u{1b}é")),
            "invalid type: string (8 characters, not shown), expected u32"
        );
        assert_eq!(
            shown(&message("")),
            "invalid type: string (0 characters, not shown), expected u32"
        );
        // Every quoted string, and nothing else: an enum's variant and what was expected stay.
        assert_eq!(
            shown(
                r#"at `emails[1]`: invalid value: string "x", expected a string of "y" or string "zz" at line 1 column 9"#
            ),
            r#"at `emails[1]`: invalid value: string (1 character, not shown), expected a string of "y" or string (2 characters, not shown) at line 1 column 9"#
        );
        assert_eq!(
            shown("unknown variant `PENDING`, expected `ENABLED`"),
            "unknown variant `PENDING`, expected `ENABLED`"
        );
        // Numbers: serde's integers and floats, signed or not.
        assert_eq!(
            shown("invalid type: integer `-5551234`, expected a string at line 1 column 9"),
            "invalid type: integer (not shown), expected a string at line 1 column 9"
        );
        assert_eq!(
            shown("invalid type: floating point `1.5e300`, expected string \"a\" or integer `3"),
            "invalid type: floating point (not shown), expected string (1 character, not \
             shown) or integer (not shown)"
        );
        // A message that ends inside the value (no closing quote) shows none of it either.
        assert_eq!(
            shown("invalid type: string \"abc"),
            "invalid type: string (3 characters, not shown)"
        );
    }

    /// serde's `Unexpected::Char`, which a model's own `Deserialize` gives (serde_json gives a
    /// string for one character): ``character `A` `` quoted the character, a user's initial,
    /// whatever it is, a backtick or a quote too.
    #[cfg(feature = "client")]
    #[test]
    fn a_quoted_character_is_left_out() {
        let shown = super::without_quoted_values;
        for c in ['A', '`', '"', 'é', '👩', '\n'] {
            assert_eq!(
                shown(&format!("invalid value: character `{c}`, expected a digit")),
                "invalid value: character (not shown), expected a digit",
                "{c:?}"
            );
        }
        assert_eq!(
            shown("invalid value: character `"),
            "invalid value: character (not shown)"
        );
    }
}
