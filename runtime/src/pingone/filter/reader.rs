//! [`UserFilter`]'s `FromStr`: a recursive-descent reader, at most [`MAX_FILTER_DEPTH`] deep.

use core::str::FromStr;

use crate::scim::Cursor;

use super::error::shown;
use super::{FilterError, MAX_FILTER_DEPTH, Operator, UserAttribute, UserFilter};

/// What the reader found where it stopped: the next 32 characters of the filter, quoted, or
/// that it ended.
fn found(rest: &str) -> String {
    if rest.is_empty() {
        String::from("the filter ends there")
    } else {
        format!(
            "found {}",
            crate::quoted::Quoted {
                text: rest,
                max: 32
            }
        )
    }
}

impl FromStr for UserFilter {
    type Err = FilterError;

    /// Reads a filter: comparisons `attribute op "value"`, a space after the operator
    /// (`eq"a"` is [`FilterError::Syntax`]), parentheses, and `and` (binding tighter) and `or`,
    /// with a space on each side (`"a"and` and `and(` are [`FilterError::Syntax`]); operators and keywords in any case (RFC 7644 §3.4.2.2). A filter
    /// deeper than [`MAX_FILTER_DEPTH`], or with more nested parentheses, is
    /// [`FilterError::TooDeep`]: the reader never recurses more than that, whatever the text.
    fn from_str(text: &str) -> Result<Self, FilterError> {
        let mut parser = Parser {
            cursor: Cursor { text, at: 0 },
            parentheses: 0,
        };
        let (filter, _) = parser.or()?;
        parser.cursor.skip_spaces();
        if parser.cursor.at < text.len() {
            return Err(FilterError::Syntax(format!(
                "unexpected text at byte {}: {}",
                parser.cursor.at,
                found(parser.cursor.rest())
            )));
        }
        Ok(filter)
    }
}

/// A recursive-descent reader of the grammar above, which recurses once per open parenthesis,
/// at most [`MAX_FILTER_DEPTH`] deep. Each rule returns the filter read and its depth.
struct Parser<'a> {
    cursor: Cursor<'a>,
    /// Parentheses open at the cursor.
    parentheses: usize,
}

impl Parser<'_> {
    /// The depth of `left` combined with `right`, or [`FilterError::TooDeep`].
    fn combined(&self, left: usize, right: usize) -> Result<usize, FilterError> {
        let depth = left.max(right) + 1;
        if depth > MAX_FILTER_DEPTH {
            return Err(FilterError::TooDeep { at: self.cursor.at });
        }
        Ok(depth)
    }

    fn or(&mut self) -> Result<(UserFilter, usize), FilterError> {
        let (mut filter, mut depth) = self.and()?;
        while self.cursor.logical("or").map_err(FilterError::Syntax)? {
            let (right, right_depth) = self.and()?;
            depth = self.combined(depth, right_depth)?;
            filter = filter.or(right);
        }
        Ok((filter, depth))
    }

    fn and(&mut self) -> Result<(UserFilter, usize), FilterError> {
        let (mut filter, mut depth) = self.term()?;
        while self.cursor.logical("and").map_err(FilterError::Syntax)? {
            let (right, right_depth) = self.term()?;
            depth = self.combined(depth, right_depth)?;
            filter = filter.and(right);
        }
        Ok((filter, depth))
    }

    fn term(&mut self) -> Result<(UserFilter, usize), FilterError> {
        self.cursor.skip_spaces();
        if self.cursor.rest().starts_with('(') {
            // `MAX_FILTER_DEPTH - 1` parentheses are enough for the deepest filter allowed.
            if self.parentheses + 1 >= MAX_FILTER_DEPTH {
                return Err(FilterError::TooDeep { at: self.cursor.at });
            }
            self.cursor.at += 1;
            self.parentheses += 1;
            let inner = self.or()?;
            self.parentheses -= 1;
            self.cursor.skip_spaces();
            if !self.cursor.rest().starts_with(')') {
                return Err(FilterError::Syntax(format!(
                    "a `)` is missing at byte {}: {}",
                    self.cursor.at,
                    found(self.cursor.rest())
                )));
            }
            self.cursor.at += 1;
            return Ok(inner);
        }
        let path = self.cursor.word().to_owned();
        if path.is_empty() {
            return Err(FilterError::Syntax(format!(
                "an attribute is missing at byte {}: {}",
                self.cursor.at,
                found(self.cursor.rest())
            )));
        }
        if path.eq_ignore_ascii_case("not") {
            return Err(FilterError::UnsupportedOperator(path));
        }
        if self.cursor.rest().starts_with('[') {
            return self.member_of_groups(&path);
        }
        let operator_text = self.cursor.word().to_owned();
        let operator = match operator_text.to_ascii_lowercase().as_str() {
            "eq" => Operator::Equal,
            "sw" => Operator::StartsWith,
            "ew" => Operator::EndsWith,
            "" => {
                return Err(FilterError::Syntax(format!(
                    "an operator is missing after {}: {}",
                    shown(&path),
                    found(self.cursor.rest())
                )));
            }
            _ => return Err(FilterError::UnsupportedOperator(operator_text)),
        };
        self.cursor
            .space_after_operator(&operator_text)
            .map_err(FilterError::Syntax)?;
        let attribute = UserAttribute::from_path(&path)
            .ok_or_else(|| FilterError::UnsupportedAttribute(path.clone()))?;
        if !operator.applies_to(attribute) {
            return Err(FilterError::UnsupportedOperatorOn {
                operator,
                attribute,
            });
        }
        let value = if attribute == UserAttribute::Enabled {
            self.boolean_or_string()?
        } else {
            self.string()?
        };
        Ok((
            UserFilter::Compare {
                attribute,
                operator,
                value,
            },
            1,
        ))
    }

    /// `memberOfGroups[id op "value"]`, the cursor at its `[` after `path`: the only
    /// attribute with a value filter that PingOne reads on users.
    fn member_of_groups(&mut self, path: &str) -> Result<(UserFilter, usize), FilterError> {
        if !path.eq_ignore_ascii_case("memberOfGroups") {
            return Err(FilterError::UnsupportedAttribute(format!("{path}[")));
        }
        self.cursor.at += 1;
        let inner = self.cursor.word();
        if !inner.eq_ignore_ascii_case("id") {
            return Err(FilterError::Syntax(format!(
                "memberOfGroups[...] compares id, not {}",
                shown(inner)
            )));
        }
        let operator_text = self.cursor.word().to_owned();
        let operator = match operator_text.to_ascii_lowercase().as_str() {
            "eq" => Operator::Equal,
            "sw" => Operator::StartsWith,
            "ew" => Operator::EndsWith,
            _ => return Err(FilterError::UnsupportedOperator(operator_text)),
        };
        self.cursor
            .space_after_operator(&operator_text)
            .map_err(FilterError::Syntax)?;
        let attribute = UserAttribute::MemberOfGroupId;
        if !operator.applies_to(attribute) {
            return Err(FilterError::UnsupportedOperatorOn {
                operator,
                attribute,
            });
        }
        let value = self.string()?;
        self.cursor.skip_spaces();
        if !self.cursor.rest().starts_with(']') {
            return Err(FilterError::Syntax(format!(
                "a `]` is missing at byte {}: {}",
                self.cursor.at,
                found(self.cursor.rest())
            )));
        }
        self.cursor.at += 1;
        Ok((
            UserFilter::Compare {
                attribute,
                operator,
                value,
            },
            1,
        ))
    }

    /// `enabled`'s value: the literal `true` or `false` in any case (RFC 7644 §3.4.2.2), as
    /// `"true"` or `"false"`, or a JSON string.
    fn boolean_or_string(&mut self) -> Result<String, FilterError> {
        self.cursor.skip_spaces();
        if self.cursor.rest().starts_with('"') {
            return self.string();
        }
        let at = self.cursor.at;
        let word = self.cursor.word();
        for literal in ["true", "false"] {
            if word.eq_ignore_ascii_case(literal) {
                return Ok(literal.to_owned());
            }
        }
        self.cursor.at = at;
        Err(FilterError::Syntax(format!(
            "enabled is compared with true or false at byte {at}: {}",
            found(self.cursor.rest())
        )))
    }

    /// A JSON string (RFC 8259 §7).
    fn string(&mut self) -> Result<String, FilterError> {
        self.cursor.skip_spaces();
        if !self.cursor.rest().starts_with('"') {
            return Err(FilterError::Syntax(format!(
                "a quoted value is missing at byte {}: {}",
                self.cursor.at,
                found(self.cursor.rest())
            )));
        }
        let literal = self
            .cursor
            .quoted()
            .ok_or_else(|| FilterError::Syntax("a value's closing quote is missing".into()))?;
        serde_json::from_str(literal).map_err(|error| {
            FilterError::Syntax(format!(
                "the value {} is not a JSON string: {error}",
                shown(literal)
            ))
        })
    }
}
