//! A reader's message about a user's document with the values it quotes left out
//! ([`without_quoted_values`]), each said by its length ([`NotShown`]).

use core::fmt;

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
