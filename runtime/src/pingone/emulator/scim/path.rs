//! A SCIM path (RFC 7644 §3.5.2 "PATH"): `attr`, `attr.sub`, `attr[filter]` and
//! `attr[filter].sub`, read with its filter of `eq` comparisons (RFC 7644 §3.4.2.2), and the
//! filter's match of an element.

use serde_json::Value;

use crate::keyed_array::key_identity;
use crate::pingone::emulator::listing::equal_in_any_case;
use crate::pingone::filter::Cursor;
pub(super) use crate::scim::has_urn_prefix;

/// A path: `attribute`, then an optional filter on its elements, then an optional
/// sub-attribute.
#[derive(Debug, PartialEq)]
pub(super) struct Path {
    pub(super) attribute: String,
    pub(super) filter: Option<Filter>,
    pub(super) sub_attribute: Option<String>,
}

/// `or` of `and`s of `name eq value` comparisons.
#[derive(Debug, PartialEq)]
pub(super) struct Filter(pub(super) Vec<Vec<(String, Value)>>);

impl Filter {
    /// Whether an element is an object that one of the `and` groups matches entirely.
    pub(super) fn matches(&self, element: &Value) -> bool {
        let Value::Object(element) = element else {
            return false;
        };
        self.0.iter().any(|all| {
            all.iter()
                .all(|(name, value)| same_value(element.get(name).unwrap_or(&Value::Null), value))
        })
    }
}

/// Whether a filter's value equals an attribute's: numbers by value (`1`, `1.0` and `1e0` are
/// one number), strings in any case (no PingOne attribute is `caseExact`), as RFC 7644
/// §3.4.2.2 compares them; the rest exactly.
fn same_value(attribute: &Value, value: &Value) -> bool {
    match (attribute, value) {
        (Value::Number(_), Value::Number(_)) => key_identity(attribute) == key_identity(value),
        (Value::String(attribute), Value::String(value)) => equal_in_any_case(attribute, value),
        _ => attribute == value,
    }
}

/// Whether `name` is an attribute name as a path reads one (`ALPHA *(ALPHA / DIGIT / "-" /
/// "_")`, or `$ref`), with no sub-attribute, filter or schema URN.
pub(super) fn is_attribute_name(name: &str) -> bool {
    read_path(name).is_ok_and(|path| path.filter.is_none() && path.sub_attribute.is_none())
}

/// What a path or a path-less value's member that starts with a schema URN is told.
pub(super) const NO_SCHEMA_URN: &str = "a schema URN prefix (RFC 7644 §3.10) names no attribute of a \
     PingOne user, which has no SCIM schema or extension: write the attribute's own name \
     (name.given), without the URN";

/// Reads a path: `attr`, `attr.sub`, `attr[filter]` or `attr[filter].sub`.
pub(super) fn read_path(text: &str) -> Result<Path, String> {
    if has_urn_prefix(text) {
        return Err(NO_SCHEMA_URN.to_owned());
    }
    let mut reader = Reader(Cursor { text, at: 0 });
    let attribute = reader.name()?.to_owned();
    let filter = if reader.eat('[') {
        let filter = reader.filter()?;
        reader.0.skip_spaces();
        if !reader.eat(']') {
            return Err(reader.unexpected("`and`, `or` or `]`"));
        }
        Some(filter)
    } else {
        None
    };
    let sub_attribute = if reader.eat('.') {
        Some(reader.name()?.to_owned())
    } else {
        None
    };
    if reader.0.at < text.len() {
        return Err(reader.unexpected("the end of the path"));
    }
    Ok(Path {
        attribute,
        filter,
        sub_attribute,
    })
}

/// What a filter may hold, for the errors of what it may not.
pub(super) const ONLY_EQ: &str = "a filter holds `eq` comparisons joined by `and` and `or`, `and` binding \
     tighter";

/// Reads a path with the filter reader's [`Cursor`] (its spaces, words and strings).
struct Reader<'a>(Cursor<'a>);

impl<'a> Reader<'a> {
    /// Consumes `c` if it comes next.
    fn eat(&mut self, c: char) -> bool {
        let found = self.0.rest().starts_with(c);
        if found {
            self.0.at += c.len_utf8();
        }
        found
    }

    /// An error: what was expected, and what was found at the reader's place.
    fn unexpected(&self, expected: &str) -> String {
        let at = self.0.at;
        match self.0.rest().chars().next() {
            Some(found) => format!("expected {expected} at byte {at}, found {found:?}"),
            None => format!("expected {expected} at byte {at}, found the end"),
        }
    }

    /// An attribute name: `ALPHA *(ALPHA / DIGIT / "-" / "_")` (RFC 7643 §2.1).
    fn name(&mut self) -> Result<&'a str, String> {
        let rest = self.0.rest();
        let name_char = |c: char| c.is_ascii_alphanumeric() || matches!(c, '-' | '_');
        // `$ref`, the one name that does not start with a letter (RFC 7643 §2.4).
        let length = if rest.starts_with("$ref") && !rest[4..].starts_with(name_char) {
            4
        } else if rest.starts_with(|c: char| c.is_ascii_alphabetic()) {
            rest.find(|c: char| !name_char(c)).unwrap_or(rest.len())
        } else {
            return Err(self.unexpected("an attribute name"));
        };
        self.0.at += length;
        Ok(&rest[..length])
    }

    /// `comparison *("and" comparison) *("or" comparison *("and" comparison))`.
    fn filter(&mut self) -> Result<Filter, String> {
        let mut any = vec![vec![self.comparison()?]];
        loop {
            if self.0.keyword("and") {
                let comparison = self.comparison()?;
                any.last_mut().expect("one group at least").push(comparison);
            } else if self.0.keyword("or") {
                any.push(vec![self.comparison()?]);
            } else {
                return Ok(Filter(any));
            }
        }
    }

    /// `name eq value`.
    fn comparison(&mut self) -> Result<(String, Value), String> {
        self.0.skip_spaces();
        if self.0.rest().starts_with('(') {
            return Err(format!(
                "grouping with parentheses at byte {} is not supported ({ONLY_EQ})",
                self.0.at
            ));
        }
        let name = self.name()?.to_owned();
        let start = self.0.at;
        let operator = self.0.word();
        if !operator.eq_ignore_ascii_case("eq") {
            self.0.at = start;
            self.0.skip_spaces();
            // `not (...)` or `not x eq ...`: `not` read as an attribute name would make the
            // error name its operand as the operator. (An attribute named `not` is compared
            // as any other: `not eq 1`.)
            if name.eq_ignore_ascii_case("not") {
                return Err(format!(
                    "the logical operator {name:?} at byte {} is not supported ({ONLY_EQ})",
                    start - name.len()
                ));
            }
            return Err(if operator.is_empty() {
                self.unexpected("the operator eq")
            } else {
                format!("the operator {operator:?} is not supported (only eq)")
            });
        }
        Ok((name, self.literal()?))
    }

    /// A JSON string, number, `true`, `false` or `null` (RFC 8259), ending at a space or `]`.
    fn literal(&mut self) -> Result<Value, String> {
        self.0.skip_spaces();
        let at = self.0.at;
        let literal = if self.0.rest().starts_with('"') {
            self.0
                .quoted()
                .ok_or("a string value's closing quote is missing")?
        } else {
            let rest = self.0.rest();
            let length = rest.find([' ', ']']).unwrap_or(rest.len());
            self.0.at += length;
            &rest[..length]
        };
        if literal.is_empty() {
            return Err(self.unexpected("a value"));
        }
        serde_json::from_str::<Value>(literal)
            .ok()
            .filter(|value| !value.is_array() && !value.is_object())
            .ok_or_else(|| {
                format!(
                    "the value {literal} at byte {at} is not a JSON string, number, true, false \
                     or null"
                )
            })
    }
}
