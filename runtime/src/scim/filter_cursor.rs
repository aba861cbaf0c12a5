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

    /// Consumes the logical operator `keyword` (`and`, `or`; any case) if it comes next as a
    /// whole word, with the spaces that RFC 7644 §3.4.2.2 puts around it (`FILTER SP ("and" /
    /// "or") SP FILTER`): `Ok(false)`, nothing consumed, when it does not come next; an error
    /// when it comes next without a space before it or after it (`"a"and b eq 1`,
    /// `a eq 1 and(b eq 2)`), which the reader took for the keyword (review 110). The end of
    /// the text, a `]` or a `)` after it is left for the reader to refuse as a missing
    /// operand.
    pub(crate) fn logical(&mut self, keyword: &str) -> Result<bool, String> {
        let start = self.at;
        let spaced_before = self.rest().starts_with(' ');
        let word = self.word();
        if !word.eq_ignore_ascii_case(keyword) {
            self.at = start;
            return Ok(false);
        }
        // The end, a `]` or a `)` is a missing operand, which the reader says.
        let spaced_after = matches!(self.rest().chars().next(), None | Some(' ' | ']' | ')'));
        if spaced_before && spaced_after {
            return Ok(true);
        }
        let at = self.at - word.len();
        self.at = start;
        Err(format!(
            "the logical operator {word:?} at byte {at} needs a space before it and after it \
             (RFC 7644 §3.4.2.2: a filter, a space, {keyword:?}, a space, a filter)"
        ))
    }

    /// Checks that a space follows the comparison operator `operator` (as written) that ends
    /// at the cursor, as RFC 7644 §3.4.2.2 has it (`attrPath SP compareOp SP compValue`):
    /// `x eq"b"` was read as `x eq "b"`, where the logical operators already needed their
    /// spaces. The end of the text, a `]` or a `)` after it is left for the reader to refuse
    /// as a missing value.
    ///
    /// # Errors
    ///
    /// The operator and its byte, when anything else follows it.
    pub(crate) fn space_after_operator(&self, operator: &str) -> Result<(), String> {
        if matches!(self.rest().chars().next(), None | Some(' ' | ']' | ')')) {
            return Ok(());
        }
        Err(format!(
            "the operator {operator:?} at byte {} needs a space after it (RFC 7644 §3.4.2.2: \
             an attribute, a space, the operator, a space, a value)",
            self.at - operator.len()
        ))
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

#[cfg(test)]
mod tests {
    use super::Cursor;

    /// `and` and `or` with a space on each side are read; glued to what comes before or
    /// after them (`"a"and`, `)or`, `and(`) they were read all the same, where RFC 7644
    /// §3.4.2.2 puts a space around them: an error naming the keyword and its byte. The end,
    /// a `]` or a `)` after one is left for the reader to say what is missing; another word
    /// (`andrew`) is no keyword.
    #[test]
    fn a_logical_operator_needs_a_space_on_each_side() {
        let read = |text: &str, at: usize| {
            let mut cursor = Cursor { text, at };
            (cursor.logical("and"), cursor.at)
        };
        assert_eq!(read(r#""a" and b"#, 3), (Ok(true), 7));
        assert_eq!(read(r#""a"  AND  b"#, 3), (Ok(true), 8));
        assert_eq!(read(r#""a" and"#, 3), (Ok(true), 7));
        assert_eq!(read(r#""a" and]"#, 3), (Ok(true), 7));
        assert_eq!(read(r#"("a" and)"#, 4), (Ok(true), 8));
        assert_eq!(read(r#""a" andrew"#, 3), (Ok(false), 3));
        assert_eq!(read(r#""a" or b"#, 3), (Ok(false), 3));
        for (text, start, keyword_at) in [
            (r#""a"and b"#, 3, 3),
            (r#""a" and"b""#, 3, 4),
            (")And (", 1, 1),
        ] {
            let (read, left_at) = read(text, start);
            let error = read.unwrap_err();
            assert!(
                error.contains("needs a space before it and after it (RFC 7644 §3.4.2.2"),
                "{text}: {error}"
            );
            assert!(
                error.contains(&format!("at byte {keyword_at}")),
                "{text}: {error}"
            );
            assert_eq!(left_at, start, "{text}");
        }
    }

    /// A comparison operator glued to its value (`eq"b"`, `sw"a"`) was read; RFC 7644
    /// §3.4.2.2 puts a space after it. A space, the end, `]` or `)` is left to the reader.
    #[test]
    fn a_comparison_operator_needs_a_space_after_it() {
        let check = |text: &str| {
            let mut cursor = Cursor { text, at: 0 };
            let operator = cursor.word();
            cursor.space_after_operator(operator)
        };
        for spaced in ["eq \"b\"", "eq", "eq]", "eq)", "EQ  1"] {
            assert_eq!(check(spaced), Ok(()), "{spaced}");
        }
        for (glued, at) in [("eq\"b\"", 0), ("  sw\"a\"", 2), ("eq(", 0), ("ne[", 0)] {
            let error = check(glued).unwrap_err();
            assert!(
                error.contains(&format!("at byte {at} needs a space after it (RFC 7644")),
                "{glued}: {error}"
            );
        }
    }

    /// A word is an attribute name's characters (RFC 7643 §2.1: `-` and `_` among them) and
    /// the `.` of a sub-attribute, after any spaces.
    #[test]
    fn a_word_holds_an_attribute_path() {
        let mut cursor = Cursor {
            text: "  name.employee-no_1 eq",
            at: 0,
        };
        assert_eq!(cursor.word(), "name.employee-no_1");
        assert_eq!(cursor.rest(), " eq");
    }

    /// The core applier's filters (every operator, parentheses) read alike.
    #[test]
    fn the_core_filter_refuses_a_logical_operator_without_spaces() {
        use crate::scim::path::read_path_telling_filter;
        assert!(read_path_telling_filter(r#"a[x eq "b" and (y eq 1)]"#, true).is_ok());
        for text in [
            r#"a[x eq "b"and y eq 1]"#,
            r#"a[(x eq "b")or y eq 1]"#,
            r#"a[x eq "b" and(y eq 1)]"#,
        ] {
            let (error, in_filter) = read_path_telling_filter(text, true).unwrap_err();
            assert!(
                error.contains("needs a space before it and after it"),
                "{text}: {error}"
            );
            assert!(in_filter, "{text}");
        }
    }
}
