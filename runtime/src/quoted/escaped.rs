//! [`Escaped`]: text from a server, a client or a report inside an error's text, with the
//! characters that PingOne's text patterns refuse ([`outside_text`]) escaped.

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
