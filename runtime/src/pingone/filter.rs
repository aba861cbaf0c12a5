//! [`UserFilter`]: the SCIM filter of PingOne's "Read All Users", typed, so that no value can
//! change what a filter means.
//!
//! Source: PingOne, "SCIM filter language"
//! (<https://docs.pingidentity.com/pingone/directory/p1_scim_filter_language.html>), and the
//! filter grammar of RFC 7644 §3.4.2.2.

use core::fmt;
use core::str::FromStr;

/// An attribute that a [`UserFilter`] can compare: the documented ones that PingOne filters
/// users on with both `eq` and `sw`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum UserAttribute {
    /// `username`.
    Username,
    /// `email`.
    Email,
    /// `name.given`.
    GivenName,
    /// `name.family`.
    FamilyName,
    /// `mobilePhone`.
    MobilePhone,
    /// `population.id`.
    PopulationId,
}

impl UserAttribute {
    /// Every attribute, in the order above.
    pub const ALL: [UserAttribute; 6] = [
        UserAttribute::Username,
        UserAttribute::Email,
        UserAttribute::GivenName,
        UserAttribute::FamilyName,
        UserAttribute::MobilePhone,
        UserAttribute::PopulationId,
    ];

    /// The attribute's path in a filter and in the user document, such as `name.given`.
    #[must_use]
    pub fn path(self) -> &'static str {
        match self {
            UserAttribute::Username => "username",
            UserAttribute::Email => "email",
            UserAttribute::GivenName => "name.given",
            UserAttribute::FamilyName => "name.family",
            UserAttribute::MobilePhone => "mobilePhone",
            UserAttribute::PopulationId => "population.id",
        }
    }

    /// The attribute with this path; attribute names are compared in any case
    /// (RFC 7644 §3.4.2.2).
    #[must_use]
    pub fn from_path(path: &str) -> Option<UserAttribute> {
        UserAttribute::ALL
            .into_iter()
            .find(|attribute| attribute.path().eq_ignore_ascii_case(path))
    }
}

/// A comparison operator that PingOne supports on users.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Operator {
    /// `eq`: the attribute equals the value.
    Equal,
    /// `sw`: the attribute starts with the value.
    StartsWith,
}

impl Operator {
    /// `eq` or `sw`.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Operator::Equal => "eq",
            Operator::StartsWith => "sw",
        }
    }
}

/// A filter of users: comparisons of an attribute with a value, combined with `and` and `or`.
///
/// Its `Display` is the filter PingOne reads, with every value a JSON string (quotes,
/// backslashes and control characters escaped, RFC 8259 §7) and every combination in
/// parentheses, so no value, whatever it holds (`"`, `\`, ` or `, `)`), can change the
/// filter's meaning. [`FromStr`] reads that form back.
///
/// ```
/// use sparse_patch::pingone::{UserAttribute, UserFilter};
///
/// let filter = UserFilter::eq(UserAttribute::FamilyName, "Smith")
///     .and(UserFilter::sw(UserAttribute::GivenName, "W"));
/// assert_eq!(filter.to_string(), r#"(name.family eq "Smith") and (name.given sw "W")"#);
///
/// let tricky = UserFilter::eq(UserAttribute::Username, r#"x" or username sw ""#);
/// assert_eq!(tricky.to_string(), r#"username eq "x\" or username sw \"""#);
/// assert_eq!(tricky.to_string().parse::<UserFilter>().unwrap(), tricky);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum UserFilter {
    /// `attribute operator "value"`.
    Compare {
        /// The attribute compared.
        attribute: UserAttribute,
        /// How.
        operator: Operator,
        /// With what, as the user holds it (not escaped).
        value: String,
    },
    /// Both filters match.
    And(Box<UserFilter>, Box<UserFilter>),
    /// Either filter matches.
    Or(Box<UserFilter>, Box<UserFilter>),
}

impl UserFilter {
    /// `attribute eq "value"`.
    #[must_use]
    pub fn eq(attribute: UserAttribute, value: impl Into<String>) -> Self {
        UserFilter::Compare {
            attribute,
            operator: Operator::Equal,
            value: value.into(),
        }
    }

    /// `attribute sw "value"`: the attribute starts with `value`.
    #[must_use]
    pub fn sw(attribute: UserAttribute, value: impl Into<String>) -> Self {
        UserFilter::Compare {
            attribute,
            operator: Operator::StartsWith,
            value: value.into(),
        }
    }

    /// `(self) and (other)`.
    #[must_use]
    pub fn and(self, other: UserFilter) -> Self {
        UserFilter::And(Box::new(self), Box::new(other))
    }

    /// `(self) or (other)`.
    #[must_use]
    pub fn or(self, other: UserFilter) -> Self {
        UserFilter::Or(Box::new(self), Box::new(other))
    }
}

impl fmt::Display for UserFilter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            UserFilter::Compare {
                attribute,
                operator,
                value,
            } => {
                // A JSON string: `"` and `\` escaped, control characters as `\n` or `\u00XX`.
                let quoted = serde_json::to_string(value).map_err(|_| fmt::Error)?;
                write!(f, "{} {} {quoted}", attribute.path(), operator.as_str())
            }
            UserFilter::And(left, right) => write!(f, "({left}) and ({right})"),
            UserFilter::Or(left, right) => write!(f, "({left}) or ({right})"),
        }
    }
}

/// Why a filter could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum FilterError {
    /// An operator that SCIM defines but PingOne does not support on users (`ne`, `co`, `ew`,
    /// `pr`, `gt`, `ge`, `lt`, `le`, `not`), or one nobody defines.
    UnsupportedOperator(String),
    /// An attribute that is not one of [`UserAttribute`]'s.
    UnsupportedAttribute(String),
    /// Anything else: a missing quote, parenthesis or value, or text after the filter.
    Syntax(String),
}

impl fmt::Display for FilterError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FilterError::UnsupportedOperator(operator) => {
                write!(
                    f,
                    "the operator {operator:?} is not supported (use eq or sw)"
                )
            }
            FilterError::UnsupportedAttribute(attribute) => write!(
                f,
                "the attribute {attribute:?} cannot be filtered on (use username, email, \
                 name.given, name.family, mobilePhone or population.id)"
            ),
            FilterError::Syntax(reason) => write!(f, "the filter is malformed: {reason}"),
        }
    }
}

impl std::error::Error for FilterError {}

impl FromStr for UserFilter {
    type Err = FilterError;

    /// Reads a filter: comparisons `attribute op "value"`, parentheses, and `and` (binding
    /// tighter) and `or`; operators and keywords in any case (RFC 7644 §3.4.2.2).
    fn from_str(text: &str) -> Result<Self, FilterError> {
        let mut parser = Parser { text, at: 0 };
        let filter = parser.or()?;
        parser.skip_spaces();
        if parser.at < text.len() {
            return Err(FilterError::Syntax(format!(
                "unexpected text at byte {}",
                parser.at
            )));
        }
        Ok(filter)
    }
}

/// A recursive-descent reader of the grammar above.
struct Parser<'a> {
    text: &'a str,
    at: usize,
}

impl Parser<'_> {
    fn rest(&self) -> &str {
        &self.text[self.at..]
    }

    fn skip_spaces(&mut self) {
        let rest = self.rest();
        self.at += rest.len() - rest.trim_start_matches(' ').len();
    }

    /// The next word (letters, digits, `.`, `_`, `-`), which may be empty.
    fn word(&mut self) -> &str {
        self.skip_spaces();
        let rest = &self.text[self.at..];
        let length = rest
            .find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-')))
            .unwrap_or(rest.len());
        self.at += length;
        &rest[..length]
    }

    /// Consumes `keyword` (any case) if it comes next as a whole word.
    fn keyword(&mut self, keyword: &str) -> bool {
        let start = self.at;
        if self.word().eq_ignore_ascii_case(keyword) {
            return true;
        }
        self.at = start;
        false
    }

    fn or(&mut self) -> Result<UserFilter, FilterError> {
        let mut filter = self.and()?;
        while self.keyword("or") {
            filter = filter.or(self.and()?);
        }
        Ok(filter)
    }

    fn and(&mut self) -> Result<UserFilter, FilterError> {
        let mut filter = self.term()?;
        while self.keyword("and") {
            filter = filter.and(self.term()?);
        }
        Ok(filter)
    }

    fn term(&mut self) -> Result<UserFilter, FilterError> {
        self.skip_spaces();
        if self.rest().starts_with('(') {
            self.at += 1;
            let inner = self.or()?;
            self.skip_spaces();
            if !self.rest().starts_with(')') {
                return Err(FilterError::Syntax(format!(
                    "a `)` is missing at byte {}",
                    self.at
                )));
            }
            self.at += 1;
            return Ok(inner);
        }
        let path = self.word().to_owned();
        if path.is_empty() {
            return Err(FilterError::Syntax(format!(
                "an attribute is missing at byte {}",
                self.at
            )));
        }
        if path.eq_ignore_ascii_case("not") {
            return Err(FilterError::UnsupportedOperator(path));
        }
        let operator_text = self.word().to_owned();
        let operator = match operator_text.to_ascii_lowercase().as_str() {
            "eq" => Operator::Equal,
            "sw" => Operator::StartsWith,
            "" => {
                return Err(FilterError::Syntax(format!(
                    "an operator is missing after {path:?}"
                )));
            }
            _ => return Err(FilterError::UnsupportedOperator(operator_text)),
        };
        let attribute = UserAttribute::from_path(&path)
            .ok_or_else(|| FilterError::UnsupportedAttribute(path.clone()))?;
        let value = self.string()?;
        Ok(UserFilter::Compare {
            attribute,
            operator,
            value,
        })
    }

    /// A JSON string (RFC 8259 §7).
    fn string(&mut self) -> Result<String, FilterError> {
        self.skip_spaces();
        let rest = self.rest();
        if !rest.starts_with('"') {
            return Err(FilterError::Syntax(format!(
                "a quoted value is missing at byte {}",
                self.at
            )));
        }
        let mut escaped = false;
        for (index, c) in rest.char_indices().skip(1) {
            match c {
                _ if escaped => escaped = false,
                '\\' => escaped = true,
                '"' => {
                    let literal = &rest[..=index];
                    let value = serde_json::from_str(literal).map_err(|error| {
                        FilterError::Syntax(format!(
                            "the value {literal} is not a JSON string: {error}"
                        ))
                    })?;
                    self.at += index + 1;
                    return Ok(value);
                }
                _ => {}
            }
        }
        Err(FilterError::Syntax(
            "a value's closing quote is missing".into(),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters_round_trip_whatever_their_values_hold() {
        let values = [
            "",
            "plain",
            r#"a"b"#,
            r"back\slash",
            r#"x" or username sw ""#,
            ") or (username sw \"",
            "and",
            "or",
            "tab\tnew\nline\u{1}",
            "ünï©ødé 🙂",
        ];
        for value in values {
            for attribute in UserAttribute::ALL {
                let single = UserFilter::sw(attribute, value);
                let combined = UserFilter::eq(attribute, value)
                    .or(single.clone())
                    .and(UserFilter::eq(UserAttribute::Email, value));
                for filter in [single, combined] {
                    let text = filter.to_string();
                    assert_eq!(text.parse::<UserFilter>().unwrap(), filter, "{text}");
                }
            }
        }
    }

    #[test]
    fn and_binds_tighter_than_or_and_keywords_are_read_in_any_case() {
        let parsed: UserFilter = r#"username EQ "a" OR email sw "b" AND name.given eq "c""#
            .parse()
            .unwrap();
        let expected = UserFilter::eq(UserAttribute::Username, "a").or(UserFilter::sw(
            UserAttribute::Email,
            "b",
        )
        .and(UserFilter::eq(UserAttribute::GivenName, "c")));
        assert_eq!(parsed, expected);
    }

    #[test]
    fn unsupported_operators_attributes_and_syntax_are_told_apart() {
        for (text, expected) in [
            (
                r#"username ne "a""#,
                FilterError::UnsupportedOperator("ne".into()),
            ),
            (
                r#"email co "a""#,
                FilterError::UnsupportedOperator("co".into()),
            ),
            (
                r#"not (email eq "a")"#,
                FilterError::UnsupportedOperator("not".into()),
            ),
            ("email pr", FilterError::UnsupportedOperator("pr".into())),
            (
                r#"title eq "a""#,
                FilterError::UnsupportedAttribute("title".into()),
            ),
        ] {
            assert_eq!(text.parse::<UserFilter>().unwrap_err(), expected, "{text}");
        }
        for text in [
            "",
            "username eq",
            r#"username eq "a"#,
            r#"(username eq "a""#,
            r#"username eq "a" extra"#,
            r#"username eq a"#,
        ] {
            assert!(
                matches!(text.parse::<UserFilter>(), Err(FilterError::Syntax(_))),
                "{text}"
            );
        }
    }
}
