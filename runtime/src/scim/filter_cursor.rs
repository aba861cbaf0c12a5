//! [`Cursor`]: a place in the text of a SCIM filter or path (RFC 7644 §3.4.2.2), and the
//! spaces, words and JSON strings read from there.

/// A place in a filter's text, and the words, spaces and quoted strings of RFC 7644
/// §3.4.2.2 read from there: the PingOne list filter's reader, and SCIM paths'
/// ([`read_path`](super::path::read_path)).
pub(crate) struct Cursor<'a> {
    pub(crate) text: &'a str,
    /// A byte offset into `text`.
    pub(crate) at: usize,
}

impl<'a> Cursor<'a> {
    pub(crate) fn rest(&self) -> &'a str {
        &self.text[self.at..]
    }

    /// Skips spaces (`SP`, as the grammar has them).
    pub(crate) fn skip_spaces(&mut self) {
        let rest = self.rest();
        self.at += rest.len() - rest.trim_start_matches(' ').len();
    }

    /// The next word after spaces (letters, digits, `.`, `_`, `-`), which may be empty.
    pub(crate) fn word(&mut self) -> &'a str {
        self.skip_spaces();
        let rest = self.rest();
        let length = rest
            .find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-')))
            .unwrap_or(rest.len());
        self.at += length;
        &rest[..length]
    }

    /// Consumes `keyword` (any case) if it comes next as a whole word.
    pub(crate) fn keyword(&mut self, keyword: &str) -> bool {
        let start = self.at;
        if self.word().eq_ignore_ascii_case(keyword) {
            return true;
        }
        self.at = start;
        false
    }

    /// The JSON string (RFC 8259 §7) that starts at the cursor, quotes and escapes as written,
    /// consumed; `None` (and nothing consumed) when no string starts here or it is not closed.
    pub(crate) fn quoted(&mut self) -> Option<&'a str> {
        let rest = self.rest();
        if !rest.starts_with('"') {
            return None;
        }
        let mut escaped = false;
        let (close, _) = rest.char_indices().skip(1).find(|&(_, c)| {
            let close = c == '"' && !escaped;
            escaped = c == '\\' && !escaped;
            close
        })?;
        self.at += close + 1;
        Some(&rest[..=close])
    }
}
