//! Reading a SCIM path (RFC 7644 §3.5.2 "PATH"): `attr`, `attr.sub`, `attr[filter]` and
//! `attr[filter].sub`, optionally qualified by a schema URN (`urn:…:User:attr`, RFC 7644
//! §3.10), with its filter ([`Filter`], RFC 7644 §3.4.2.2); schema URNs and attribute names.

use core::ops::Range;

use serde_json::{Map, Value};

use super::attribute_name::{has_urn_prefix, is_schema_urn};
use super::filter::{Comparison, Condition, Filter, MAX_FILTER_DEPTH, Operator};
use super::filter_cursor::Cursor;

/// A path: `attribute` (with its schema URN and `:` before it where the path had one), then an
/// optional filter on its elements, then an optional sub-attribute.
#[derive(Debug, PartialEq)]
pub(crate) struct Path {
    pub(crate) attribute: String,
    pub(crate) filter: Option<Filter>,
    pub(crate) sub_attribute: Option<String>,
}

/// The schema URN and the attribute name of a URN-qualified `attribute` (`urn:…:User` and
/// `employeeNumber`), or `None` for a plain name.
pub(crate) fn split_urn(attribute: &str) -> Option<(&str, &str)> {
    if has_urn_prefix(attribute) {
        attribute.rsplit_once(':')
    } else {
        None
    }
}

/// Whether the URN-qualified `attribute` names a schema whole (the member of the resource
/// that holds an extension's attributes, RFC 7643 §3.3) rather than `ATTRNAME` after a schema's
/// URI (RFC 7644 §3.10; the grammar `[URI ":"] ATTRNAME` reads either way): where the
/// resource's `schemas` lists it (in any case); else, unless `schemas` lists the URN before its
/// last `:`, where that URN ends in a version (`2.0`, `1`), as SCIM's schema URNs end in the
/// version and then the resource type's name
/// (`urn:ietf:params:scim:schemas:extension:enterprise:2.0:User`, RFC 7643 §8.7; a schema's
/// URN does not end in its version). Peers find the schema so, by the schemas they know
/// (elimity-com/scim#207, wso2/charon#242; thomaspoignant/scim-patch#697 split a custom
/// `…:foo:1.0:User` as `…:foo:1.0` and `User`). The text and the schemas that the resource
/// declares decide it, not whether the resource holds the member now: an `add` at the
/// extension's URN after its `remove` read `…:enterprise:2.0` as a schema and `User` as its
/// attribute (session 36).
pub(crate) fn names_a_schema(resource: &Map<String, Value>, attribute: &str) -> bool {
    let Some((urn, _)) = split_urn(attribute) else {
        return false;
    };
    let listed = |name: &str| {
        resource
            .get("schemas")
            .and_then(Value::as_array)
            .is_some_and(|schemas| {
                schemas.iter().any(|schema| {
                    schema
                        .as_str()
                        .is_some_and(|schema| schema.eq_ignore_ascii_case(name))
                })
            })
    };
    if listed(attribute) {
        return true;
    }
    let last = urn.rsplit_once(':').map_or("", |(_, last)| last);
    let versioned = !last.is_empty()
        && last
            .split('.')
            .all(|part| !part.is_empty() && part.bytes().all(|byte| byte.is_ascii_digit()));
    versioned && !listed(urn)
}

/// The start of a core schema's URN (RFC 7643 §8.7.1: `urn:ietf:params:scim:schemas:core:2.0:User`).
const CORE_SCHEMA: &str = "urn:ietf:params:scim:schemas:core:";

/// Whether `urn` is a core schema's (`urn:ietf:params:scim:schemas:core:…`, in any case), whose
/// attributes are the resource's own rather than an extension's object's.
pub(crate) fn is_core_schema(urn: &str) -> bool {
    urn.get(..CORE_SCHEMA.len())
        .is_some_and(|start| start.eq_ignore_ascii_case(CORE_SCHEMA))
}

/// Reads a path: `attr`, `attr.sub`, `attr[filter]` or `attr[filter].sub`, each optionally
/// after a schema URN and `:` (RFC 7644 §3.10: `urn:…:enterprise:2.0:User:manager.value`).
/// Its filter holds `eq` comparisons only (PingOne's, the emulator's).
pub(crate) fn read_path(text: &str) -> Result<Path, String> {
    read_path_telling_filter(text, false).map_err(|(reason, _)| reason)
}

/// As [`read_path`], with every operator of RFC 7644 §3.4.2.2, parentheses and `not (…)` when
/// `every_operator`, the error saying also whether it lies in the filter (between `[` and
/// `]`): `invalidFilter` rather than `invalidPath` (RFC 7644 §3.12).
pub(crate) fn read_path_telling_filter(
    text: &str,
    every_operator: bool,
) -> Result<Path, (String, bool)> {
    read_path_and_names(text, every_operator).map(|(path, _)| path)
}

/// A path, and the byte ranges of the names that its text writes ([`path_names`]).
pub(crate) type PathNames = (Path, Vec<Range<usize>>);

/// A path as [`read_path_telling_filter`] reads it with every operator, and the byte ranges of
/// the attribute names that its text writes, in order: the attribute's (after its schema
/// URN), each of its filter's comparisons', then its sub-attribute's; `None` for a path that
/// it refuses.
pub(crate) fn path_names(text: &str) -> Option<PathNames> {
    read_path_and_names(text, true).ok()
}

/// [`read_path_telling_filter`], with the ranges of the names read ([`path_names`]).
fn read_path_and_names(text: &str, every_operator: bool) -> Result<PathNames, (String, bool)> {
    let in_path = |reason: String| (reason, false);
    let mut start = 0;
    if has_urn_prefix(text) {
        // The URN ends at the last `:` before a filter (a filter's value may hold `:`; the
        // URN holds `.`, as in `2.0`, which an attribute's `:` comes after).
        let head = text.find('[').map_or(text, |at| &text[..at]);
        let urn = head.rfind(':').map_or(head, |colon| &head[..colon]);
        if !is_schema_urn(urn) {
            return Err(in_path(format!(
                "{urn:?} is not a schema URN (RFC 7644 §3.10: `urn:`, a namespace, `:` and its \
                 name, then `:` and the attribute's name)"
            )));
        }
        start = urn.len() + 1;
    }
    let mut reader = Reader {
        cursor: Cursor { text, at: start },
        every_operator,
        names: Vec::new(),
    };
    let name = reader.name().map_err(in_path)?;
    let attribute = if start == 0 {
        name.to_owned()
    } else {
        text[..start + name.len()].to_owned()
    };
    let filter = if reader.eat('[') {
        let mut filter = reader.filter(0).map_err(|reason| (reason, true))?;
        // The emulator's filters stay as read (its tests compare them).
        if every_operator {
            filter.fold_equalities();
        }
        reader.cursor.skip_spaces();
        if !reader.eat(']') {
            return Err((reader.unexpected("`and`, `or` or `]`"), true));
        }
        Some(filter)
    } else {
        None
    };
    let sub_attribute = if reader.eat('.') {
        Some(reader.name().map_err(in_path)?.to_owned())
    } else {
        None
    };
    if reader.cursor.at < text.len() {
        return Err(in_path(reader.unexpected("the end of the path")));
    }
    Ok((
        Path {
            attribute,
            filter,
            sub_attribute,
        },
        reader.names,
    ))
}

/// Whether `name` is an attribute name as a path reads one (`ALPHA *(ALPHA / DIGIT / "-" /
/// "_")`, or `$ref`), with no sub-attribute, filter or schema URN.
pub(crate) fn is_attribute_name(name: &str) -> bool {
    !has_urn_prefix(name)
        && read_path(name).is_ok_and(|path| path.filter.is_none() && path.sub_attribute.is_none())
}

/// What a filter may hold, for the errors of what it may not.
pub(crate) const ONLY_EQ: &str = "a filter holds `eq` comparisons joined by `and` and `or`, `and` binding \
     tighter";

/// What a filter of the core applier may hold, for the errors of what it may not.
pub(crate) const EVERY_OPERATOR: &str = "a filter holds comparisons (eq, ne, co, sw, ew, gt, ge, \
     lt, le, pr) joined by `and` and `or`, `and` binding tighter, grouped in parentheses and \
     negated by `not (…)`";

/// Reads a path with the filter reader's [`Cursor`] (its spaces, words and strings); a filter's
/// operators are `eq` alone unless `every_operator`.
struct Reader<'a> {
    cursor: Cursor<'a>,
    every_operator: bool,
    /// The byte ranges of the names read, in order.
    names: Vec<Range<usize>>,
}

impl<'a> Reader<'a> {
    /// Consumes `c` if it comes next.
    fn eat(&mut self, c: char) -> bool {
        let found = self.cursor.rest().starts_with(c);
        if found {
            self.cursor.at += c.len_utf8();
        }
        found
    }

    /// An error: what was expected, and what was found at the reader's place.
    fn unexpected(&self, expected: &str) -> String {
        let at = self.cursor.at;
        match self.cursor.rest().chars().next() {
            Some(found) => format!("expected {expected} at byte {at}, found {found:?}"),
            None => format!("expected {expected} at byte {at}, found the end"),
        }
    }

    /// An attribute name: `ALPHA *(ALPHA / DIGIT / "-" / "_")` (RFC 7643 §2.1).
    fn name(&mut self) -> Result<&'a str, String> {
        let rest = self.cursor.rest();
        let name_char = |c: char| c.is_ascii_alphanumeric() || matches!(c, '-' | '_');
        // `$ref`, the one name that does not start with a letter (RFC 7643 §2.4).
        let length = if rest.starts_with("$ref") && !rest[4..].starts_with(name_char) {
            4
        } else if rest.starts_with(|c: char| c.is_ascii_alphabetic()) {
            rest.find(|c: char| !name_char(c)).unwrap_or(rest.len())
        } else {
            return Err(self.unexpected("an attribute name"));
        };
        self.names.push(self.cursor.at..self.cursor.at + length);
        self.cursor.at += length;
        Ok(&rest[..length])
    }

    /// `valFilter` (RFC 7644 §3.4.2.2, Figure 1): `condition *("and" condition) *("or"
    /// condition *("and" condition))`, `and` binding tighter than `or`; `depth` levels of
    /// parentheses in already.
    fn filter(&mut self, depth: usize) -> Result<Filter, String> {
        let mut any = vec![vec![self.condition(depth)?]];
        loop {
            if self.cursor.logical("and")? {
                let condition = self.condition(depth)?;
                any.last_mut().expect("one group at least").push(condition);
            } else if self.cursor.logical("or")? {
                any.push(vec![self.condition(depth)?]);
            } else {
                return Ok(Filter(any));
            }
        }
    }

    /// A comparison, or, when `every_operator`, `( valFilter )` or `not ( valFilter )`
    /// (RFC 7644 §3.4.2.2: `*1"not" "(" valFilter ")"`), nested [`MAX_FILTER_DEPTH`] levels
    /// deep at most. (An attribute named `not` is compared as any other: `not eq 1`.)
    fn condition(&mut self, depth: usize) -> Result<Condition, String> {
        if self.every_operator {
            self.cursor.skip_spaces();
            let start = self.cursor.at;
            let negated = self.cursor.keyword("not") && {
                self.cursor.skip_spaces();
                self.cursor.rest().starts_with('(')
            };
            if !negated {
                self.cursor.at = start;
            }
            if self.cursor.rest().starts_with('(') {
                if depth == MAX_FILTER_DEPTH {
                    return Err(format!(
                        "parentheses at byte {} nest deeper than {MAX_FILTER_DEPTH} levels",
                        self.cursor.at
                    ));
                }
                self.cursor.at += 1;
                let inner = self.filter(depth + 1)?;
                self.cursor.skip_spaces();
                if !self.eat(')') {
                    return Err(self.unexpected("`and`, `or` or `)`"));
                }
                return Ok(if negated {
                    Condition::Not(inner)
                } else {
                    Condition::Group(inner)
                });
            }
        }
        self.comparison().map(Condition::Compare)
    }

    /// `name op value`, or `name pr`.
    fn comparison(&mut self) -> Result<Comparison, String> {
        let supported = if self.every_operator {
            EVERY_OPERATOR
        } else {
            ONLY_EQ
        };
        self.cursor.skip_spaces();
        if self.cursor.rest().starts_with('(') {
            return Err(format!(
                "grouping with parentheses at byte {} is not supported ({supported})",
                self.cursor.at
            ));
        }
        let name = self.name()?.to_owned();
        let start = self.cursor.at;
        let word = self.cursor.word();
        let operator = Operator::read(word)
            .filter(|operator| self.every_operator || *operator == Operator::Eq);
        let Some(operator) = operator else {
            self.cursor.at = start;
            self.cursor.skip_spaces();
            // `not (...)` or `not x eq ...`: `not` read as an attribute name would make the
            // error name its operand as the operator. (An attribute named `not` is compared
            // as any other: `not eq 1`.)
            if name.eq_ignore_ascii_case("not") && self.every_operator {
                return Err(format!(
                    "the logical operator {name:?} at byte {} negates a filter in parentheses: \
                     not (…) ({supported})",
                    start - name.len()
                ));
            }
            if name.eq_ignore_ascii_case("not") {
                return Err(format!(
                    "the logical operator {name:?} at byte {} is not supported ({supported})",
                    start - name.len()
                ));
            }
            return Err(if word.is_empty() {
                self.unexpected(if self.every_operator {
                    "an operator"
                } else {
                    "the operator eq"
                })
            } else if self.every_operator {
                format!("the operator {word:?} is not supported ({supported})")
            } else {
                format!("the operator {word:?} is not supported (only eq)")
            });
        };
        if operator == Operator::Pr {
            return Ok(Comparison {
                name,
                operator,
                value: Value::Null,
            });
        }
        self.cursor.space_after_operator(word)?;
        let at = self.cursor.at;
        let value = self.literal()?;
        let fits = match operator {
            Operator::Co | Operator::Sw | Operator::Ew => value.is_string(),
            Operator::Gt | Operator::Ge | Operator::Lt | Operator::Le => {
                value.is_string() || value.is_number()
            }
            _ => true,
        };
        if !fits {
            return Err(format!(
                "the value {value} after {word:?} at byte {at} is not one it compares: {} \
                 (RFC 7644 §3.4.2.2)",
                if matches!(operator, Operator::Co | Operator::Sw | Operator::Ew) {
                    "a string"
                } else {
                    "a string or a number"
                }
            ));
        }
        Ok(Comparison {
            name,
            operator,
            value,
        })
    }

    /// A JSON string, number, `true`, `false` or `null` (RFC 8259), ending at a space or `]`.
    fn literal(&mut self) -> Result<Value, String> {
        self.cursor.skip_spaces();
        let at = self.cursor.at;
        let literal = if self.cursor.rest().starts_with('"') {
            self.cursor
                .quoted()
                .ok_or("a string value's closing quote is missing")?
        } else {
            let rest = self.cursor.rest();
            // The core applier's filters group with parentheses: `(type eq 1)`.
            let ends: &[char] = if self.every_operator {
                &[' ', ']', ')']
            } else {
                &[' ', ']']
            };
            let length = rest.find(ends).unwrap_or(rest.len());
            self.cursor.at += length;
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
