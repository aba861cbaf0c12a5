//! SCIM PATCH operations on a user (RFC 7644 §3.5.2), for a PATCH sent with PingOne's SCIM
//! content type: reading the PatchOp message, its paths and filters, and applying the
//! operations to a copy of the user's JSON. The route turns the result into the merge patch
//! from the user it had, and takes the merge path from there (read-only attributes, rules,
//! `updatedAt`), so that both dialects give the same user and the same errors for one change.
//!
//! - **Paths** (RFC 7644 §3.5.2 "PATH"): `attr`, `attr.sub`, `attr[filter]` and
//!   `attr[filter].sub`. Names are `ALPHA *(ALPHA / DIGIT / "-" / "_")` (RFC 7643 §2.1) and are
//!   compared exactly: `Name.Given` does not find `name.given` (RFC 7643 §2.1 makes them
//!   case-insensitive; PingOne's own attribute names are all in one case). No schema URN
//!   prefix, no space outside the brackets.
//! - **Filters** (RFC 7644 §3.4.2.2): `sub eq VALUE` comparisons, joined by `and` (binding
//!   tighter) and `or`; operators and keywords in any case, spaces (any ASCII whitespace)
//!   around them. `VALUE` is a JSON literal: a string with JSON's escapes (`\"`, `\\`,
//!   `\u00e9`...), a number, `true`, `false` or `null`, compared with the element's
//!   sub-attribute as JSON (strings in their exact case); `null` also matches an element
//!   without the sub-attribute. Other operators, `not`, parentheses and values paths inside a
//!   filter are refused as malformed.
//! - **`add`** with no path merges the members of an object value into the user, each as an
//!   `add` at its name. At a path: a missing or simple attribute is set; a complex attribute
//!   and an object value merge, member by member, by the same rules; a multi-valued attribute
//!   (an array) gets the elements of an array value appended, or the value as one element;
//!   `attr[filter]` and `attr[filter].sub` apply that to every matching element, or to its
//!   sub-attribute.
//! - **`replace`** as `add`, except that an array is replaced whole (a multi-valued attribute
//!   without filter, RFC 7644 §3.5.2.3); an attribute that does not exist is added.
//! - **`remove`** needs a path; it removes the attribute, `attr.sub`, the matching elements of
//!   `attr[filter]` (and the attribute when none is left: unassigned, RFC 7644 §3.5.2.2), or
//!   the sub-attribute of the matching elements. Removing what is absent, and a filter that
//!   matches nothing, succeed and change nothing. A `value` given with `remove` is ignored.
//! - **Errors**: for `add` and `replace`, a filter that matches nothing (SCIM's `noTarget`);
//!   a filter on an attribute that is not an array, and `attr.sub` on one that is neither
//!   absent nor an object, for any operation (SCIM's `invalidPath`). Each is an [`Invalid`]
//!   naming the operation's path, and the route changes nothing.

use serde_json::{Map, Value};

use super::validation;
use crate::pingone::ErrorDetail;
use crate::{SCIM_PATCH_OP_SCHEMA, ScimOp, ScimOperation};

/// Why a message or one of its operations was refused: one `INVALID_VALUE` detail of a 400
/// `INVALID_DATA`, whose `target` is the operation's path (or the part of the message at fault).
#[derive(Debug, PartialEq)]
pub(super) struct Invalid {
    target: String,
    message: String,
}

impl Invalid {
    fn new(target: impl Into<String>, message: impl Into<String>) -> Self {
        Invalid {
            target: target.into(),
            message: message.into(),
        }
    }

    /// The error body's detail.
    pub(super) fn detail(&self) -> ErrorDetail {
        ErrorDetail::new("INVALID_VALUE", Some(&self.target), self.message.as_str())
    }
}

/// One operation, read and checked.
#[derive(Debug)]
pub(super) struct Operation {
    /// The path as sent, or `Operations[i]` without one: an error's target.
    target: String,
    change: Change,
}

#[derive(Debug)]
enum Change {
    /// `add` (`append`: arrays get elements) or `replace` (arrays are replaced); no path
    /// means the user itself, and then `value` is an object.
    Put {
        path: Option<Path>,
        value: Value,
        append: bool,
    },
    Remove(Path),
}

/// A path: `attribute`, then an optional filter on its elements, then an optional
/// sub-attribute.
#[derive(Debug, PartialEq)]
struct Path {
    attribute: String,
    filter: Option<Filter>,
    sub_attribute: Option<String>,
}

/// `or` of `and`s of `name eq value` comparisons.
#[derive(Debug, PartialEq)]
struct Filter(Vec<Vec<(String, Value)>>);

impl Filter {
    /// Whether an element is an object that one of the `and` groups matches entirely.
    fn matches(&self, element: &Value) -> bool {
        let Value::Object(element) = element else {
            return false;
        };
        self.0.iter().any(|all| {
            all.iter()
                .all(|(name, value)| element.get(name).unwrap_or(&Value::Null) == value)
        })
    }
}

/// Reads a PatchOp message (RFC 7644 §3.5.2): `schemas` lists [`SCIM_PATCH_OP_SCHEMA`],
/// `Operations` holds one operation or more, each with a known `op` (any case), a well-formed
/// path, a `value` for `add` and `replace` (an object when there is no path) and a path for
/// `remove`.
pub(super) fn read_message(mut body: Map<String, Value>) -> Result<Vec<Operation>, Invalid> {
    let lists_schema = body
        .get("schemas")
        .and_then(Value::as_array)
        .is_some_and(|uris| uris.iter().any(|uri| uri == SCIM_PATCH_OP_SCHEMA));
    if !lists_schema {
        return Err(Invalid::new(
            "schemas",
            format!("A SCIM PATCH body must list {SCIM_PATCH_OP_SCHEMA} in schemas."),
        ));
    }
    let operations = match body.remove("Operations") {
        Some(Value::Array(operations)) if !operations.is_empty() => operations,
        _ => {
            return Err(Invalid::new(
                "Operations",
                "A SCIM PATCH body must hold an array of one or more Operations.",
            ));
        }
    };
    operations
        .into_iter()
        .enumerate()
        .map(|(index, operation)| read_operation(index, operation))
        .collect()
}

fn read_operation(index: usize, operation: Value) -> Result<Operation, Invalid> {
    let at = format!("Operations[{index}]");
    let ScimOperation { op, path, value } = serde_json::from_value(operation)
        .map_err(|error| Invalid::new(&at, format!("The operation is malformed: {error}.")))?;
    let target = path.clone().unwrap_or(at);
    let path = match path {
        Some(text) => Some(read_path(&text).map_err(|reason| {
            Invalid::new(
                &target,
                format!("The path {text:?} is malformed: {reason}."),
            )
        })?),
        None => None,
    };
    let refuse = |message: &str| Err(Invalid::new(&target, message));
    let change = match (op, path, value) {
        (ScimOp::Remove, Some(path), _) => Change::Remove(path),
        (ScimOp::Remove, None, _) => return refuse("A remove operation needs a path (noTarget)."),
        (_, _, None) => return refuse("An add or replace operation needs a value."),
        (_, None, Some(value)) if !value.is_object() => {
            return refuse("An add or replace operation without a path needs an object value.");
        }
        (op, path, Some(value)) => Change::Put {
            path,
            value,
            append: op == ScimOp::Add,
        },
    };
    Ok(Operation { target, change })
}

/// The dotted attribute paths that `operations` set or clear, as the merge patch of the same
/// change would touch them: `attr` for a filtered path (the whole array), the paths inside an
/// object value otherwise. For the 403 of [`EmulatorBuilder::forbid`](super::EmulatorBuilder::forbid).
pub(super) fn touched_paths(operations: &[Operation]) -> Vec<String> {
    let mut out = Vec::new();
    for operation in operations {
        let (path, value) = match &operation.change {
            Change::Put {
                path: None, value, ..
            } => {
                if let Value::Object(members) = value {
                    for (name, value) in members {
                        validation::touched(name.clone(), value, &mut out);
                    }
                }
                continue;
            }
            Change::Put {
                path: Some(path),
                value,
                ..
            } => (path, value),
            Change::Remove(path) => (path, &Value::Null),
        };
        match (&path.filter, &path.sub_attribute) {
            (Some(_), _) => out.push(path.attribute.clone()),
            (None, Some(sub)) => {
                validation::touched(format!("{}.{sub}", path.attribute), value, &mut out);
            }
            (None, None) => validation::touched(path.attribute.clone(), value, &mut out),
        }
    }
    out
}

/// Applies `operations` in order to `user`. On an error `user` is left part-way: apply them
/// to a copy.
pub(super) fn apply(
    user: &mut Map<String, Value>,
    operations: &[Operation],
) -> Result<(), Invalid> {
    for operation in operations {
        let applied = match &operation.change {
            Change::Put {
                path: None,
                value: Value::Object(members),
                append,
            } => {
                for (name, value) in members {
                    put(
                        user.entry(name.clone()).or_insert(Value::Null),
                        value.clone(),
                        *append,
                    );
                }
                Ok(())
            }
            // `read_operation` lets no other value through without a path.
            Change::Put { path: None, .. } => Ok(()),
            Change::Put {
                path: Some(path),
                value,
                append,
            } => put_at(user, path, value, *append),
            Change::Remove(path) => remove_at(user, path),
        };
        applied.map_err(|message| Invalid::new(&operation.target, message))?;
    }
    Ok(())
}

/// `add` (`append`) or `replace` of `value` into `slot` (`null` when absent): objects merge
/// member by member, arrays get elements when appending, and the rest is replaced.
fn put(slot: &mut Value, value: Value, append: bool) {
    match (slot, value) {
        (Value::Array(items), Value::Array(new)) if append => items.extend(new),
        (Value::Array(items), new) if append => items.push(new),
        (Value::Object(members), Value::Object(new)) => {
            for (name, value) in new {
                put(members.entry(name).or_insert(Value::Null), value, append);
            }
        }
        (slot, value) => *slot = value,
    }
}

fn put_at(
    user: &mut Map<String, Value>,
    path: &Path,
    value: &Value,
    append: bool,
) -> Result<(), String> {
    let Path {
        attribute,
        filter,
        sub_attribute,
    } = path;
    let Some(filter) = filter else {
        let slot = user.entry(attribute.clone()).or_insert(Value::Null);
        let Some(sub) = sub_attribute else {
            put(slot, value.clone(), append);
            return Ok(());
        };
        if slot.is_null() {
            *slot = Value::Object(Map::new());
        }
        let Value::Object(members) = slot else {
            return Err(not_complex(attribute, sub));
        };
        put(
            members.entry(sub.clone()).or_insert(Value::Null),
            value.clone(),
            append,
        );
        return Ok(());
    };
    let mut matched = false;
    for element in elements(user, attribute)?.into_iter().flatten() {
        if !filter.matches(element) {
            continue;
        }
        matched = true;
        match (sub_attribute, element) {
            (Some(sub), Value::Object(members)) => put(
                members.entry(sub.clone()).or_insert(Value::Null),
                value.clone(),
                append,
            ),
            (_, element) => put(element, value.clone(), append),
        }
    }
    if matched {
        Ok(())
    } else {
        Err(format!(
            "No value of {attribute} matches the filter (noTarget)."
        ))
    }
}

fn remove_at(user: &mut Map<String, Value>, path: &Path) -> Result<(), String> {
    let Path {
        attribute,
        filter,
        sub_attribute,
    } = path;
    match (filter, sub_attribute) {
        (None, None) => {
            user.remove(attribute);
        }
        (None, Some(sub)) => match user.get_mut(attribute) {
            None => {}
            Some(Value::Object(members)) => {
                members.remove(sub);
            }
            Some(_) => return Err(not_complex(attribute, sub)),
        },
        (Some(filter), None) => {
            if let Some(items) = elements(user, attribute)? {
                items.retain(|element| !filter.matches(element));
                if items.is_empty() {
                    user.remove(attribute);
                }
            }
        }
        (Some(filter), Some(sub)) => {
            for element in elements(user, attribute)?.into_iter().flatten() {
                if let (true, Value::Object(members)) = (filter.matches(element), element) {
                    members.remove(sub);
                }
            }
        }
    }
    Ok(())
}

/// The elements of the multi-valued `attribute`: `None` when it is absent, an error when it
/// is not an array.
fn elements<'a>(
    user: &'a mut Map<String, Value>,
    attribute: &str,
) -> Result<Option<&'a mut Vec<Value>>, String> {
    match user.get_mut(attribute) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Array(items)) => Ok(Some(items)),
        Some(_) => Err(format!(
            "{attribute} is not multi-valued: a filter cannot select its values (invalidPath)."
        )),
    }
}

fn not_complex(attribute: &str, sub: &str) -> String {
    format!(
        "{attribute} is not a complex attribute: {attribute}.{sub} does not exist (invalidPath)."
    )
}

/// Reads a path: `attr`, `attr.sub`, `attr[filter]` or `attr[filter].sub`.
fn read_path(text: &str) -> Result<Path, String> {
    let mut reader = Reader { text, at: 0 };
    let attribute = reader.name()?.to_owned();
    let filter = if reader.eat('[') {
        let filter = reader.filter()?;
        reader.skip_spaces();
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
    if reader.at < text.len() {
        return Err(reader.unexpected("the end of the path"));
    }
    Ok(Path {
        attribute,
        filter,
        sub_attribute,
    })
}

/// Reads a path from `at`, a byte offset into `text`.
struct Reader<'a> {
    text: &'a str,
    at: usize,
}

impl<'a> Reader<'a> {
    fn rest(&self) -> &'a str {
        &self.text[self.at..]
    }

    fn skip_spaces(&mut self) {
        let rest = self.rest();
        self.at += rest.len()
            - rest
                .trim_start_matches(|c: char| c.is_ascii_whitespace())
                .len();
    }

    /// Consumes `c` if it comes next.
    fn eat(&mut self, c: char) -> bool {
        let found = self.rest().starts_with(c);
        if found {
            self.at += c.len_utf8();
        }
        found
    }

    /// An error: what was expected, and what was found at the reader's place.
    fn unexpected(&self, expected: &str) -> String {
        match self.rest().chars().next() {
            Some(found) => format!("expected {expected} at byte {}, found {found:?}", self.at),
            None => format!("expected {expected} at byte {}, found the end", self.at),
        }
    }

    /// An attribute name: `ALPHA *(ALPHA / DIGIT / "-" / "_")` (RFC 7643 §2.1).
    fn name(&mut self) -> Result<&'a str, String> {
        let rest = self.rest();
        if !rest.starts_with(|c: char| c.is_ascii_alphabetic()) {
            return Err(self.unexpected("an attribute name"));
        }
        let length = rest
            .find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_')))
            .unwrap_or(rest.len());
        self.at += length;
        Ok(&rest[..length])
    }

    /// A keyword or operator: the letters that come next after spaces, which may be none.
    fn word(&mut self) -> &'a str {
        self.skip_spaces();
        let rest = self.rest();
        let length = rest
            .find(|c: char| !c.is_ascii_alphabetic())
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

    /// `comparison *("and" comparison) *("or" comparison *("and" comparison))`.
    fn filter(&mut self) -> Result<Filter, String> {
        let mut any = vec![vec![self.comparison()?]];
        loop {
            if self.keyword("and") {
                let comparison = self.comparison()?;
                any.last_mut().expect("one group at least").push(comparison);
            } else if self.keyword("or") {
                any.push(vec![self.comparison()?]);
            } else {
                return Ok(Filter(any));
            }
        }
    }

    /// `name eq value`.
    fn comparison(&mut self) -> Result<(String, Value), String> {
        self.skip_spaces();
        let name = self.name()?.to_owned();
        let start = self.at;
        let operator = self.word();
        if !operator.eq_ignore_ascii_case("eq") {
            self.at = start;
            self.skip_spaces();
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
        self.skip_spaces();
        let rest = self.rest();
        let length = if rest.starts_with('"') {
            let mut escaped = false;
            let close = rest.char_indices().skip(1).find(|&(_, c)| {
                let close = c == '"' && !escaped;
                escaped = c == '\\' && !escaped;
                close
            });
            match close {
                Some((index, _)) => index + 1,
                None => return Err("a string value's closing quote is missing".into()),
            }
        } else {
            rest.find(|c: char| c.is_ascii_whitespace() || c == ']')
                .unwrap_or(rest.len())
        };
        let literal = &rest[..length];
        if literal.is_empty() {
            return Err(self.unexpected("a value"));
        }
        let value = serde_json::from_str::<Value>(literal)
            .ok()
            .filter(|value| !value.is_array() && !value.is_object())
            .ok_or_else(|| {
                format!(
                    "the value {literal} at byte {} is not a JSON string, number, true, false or null",
                    self.at
                )
            })?;
        self.at += length;
        Ok(value)
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn path(attribute: &str, filter: Option<Vec<Vec<(&str, Value)>>>, sub: Option<&str>) -> Path {
        Path {
            attribute: attribute.to_owned(),
            filter: filter.map(|any| {
                Filter(
                    any.into_iter()
                        .map(|all| all.into_iter().map(|(n, v)| (n.to_owned(), v)).collect())
                        .collect(),
                )
            }),
            sub_attribute: sub.map(str::to_owned),
        }
    }

    #[test]
    fn paths_of_each_shape() {
        assert_eq!(read_path("nickname"), Ok(path("nickname", None, None)));
        assert_eq!(
            read_path("name.given"),
            Ok(path("name", None, Some("given")))
        );
        assert_eq!(
            read_path(r#"badges[type eq "work"]"#),
            Ok(path(
                "badges",
                Some(vec![vec![("type", json!("work"))]]),
                None
            ))
        );
        assert_eq!(
            read_path(r#"badges[type eq "work"].value"#),
            Ok(path(
                "badges",
                Some(vec![vec![("type", json!("work"))]]),
                Some("value")
            ))
        );
        assert_eq!(read_path("my-attr_2"), Ok(path("my-attr_2", None, None)));
    }

    #[test]
    fn filter_values_are_json_literals_with_their_escapes() {
        let filter = |text: &str| {
            read_path(&format!("a[v eq {text}]")).map(|p| p.filter.unwrap().0[0][0].1.clone())
        };
        assert_eq!(filter(r#""say \"hi\"""#), Ok(json!(r#"say "hi""#)));
        assert_eq!(filter(r#""back\\slash""#), Ok(json!(r"back\slash")));
        assert_eq!(filter(r#""ends with \\""#), Ok(json!("ends with \\")));
        assert_eq!(filter(r#""a ] b""#), Ok(json!("a ] b")));
        assert_eq!(filter(r#""\u00e9\n""#), Ok(json!("é\n")));
        assert_eq!(filter("7"), Ok(json!(7)));
        assert_eq!(filter("-1.5e3"), Ok(json!(-1.5e3)));
        assert_eq!(filter("true"), Ok(json!(true)));
        assert_eq!(filter("false"), Ok(json!(false)));
        assert_eq!(filter("null"), Ok(json!(null)));
    }

    #[test]
    fn whitespace_and_case_inside_the_brackets() {
        let expected = path(
            "a",
            Some(vec![
                vec![("x", json!(1)), ("y", json!("b"))],
                vec![("z", json!(null))],
            ]),
            Some("s"),
        );
        assert_eq!(
            read_path(r#"a[x eq 1 and y eq "b" or z eq null].s"#),
            Ok(expected)
        );
        let expected = path(
            "a",
            Some(vec![
                vec![("x", json!(1)), ("y", json!("b"))],
                vec![("z", json!(null))],
            ]),
            Some("s"),
        );
        assert_eq!(
            read_path("a[ \tx  EQ 1 AND y Eq \"b\"\nOr z eq null ].s"),
            Ok(expected)
        );
        assert_eq!(
            read_path(r#"a[x eq"b"]"#),
            Ok(path("a", Some(vec![vec![("x", json!("b"))]]), None))
        );
    }

    #[test]
    fn malformed_paths_say_where() {
        for (text, reason) in [
            ("", "expected an attribute name at byte 0, found the end"),
            ("1a", "expected an attribute name at byte 0, found '1'"),
            ("a.", "expected an attribute name at byte 2, found the end"),
            ("a b", "expected the end of the path at byte 1, found ' '"),
            ("a.b.c", "expected the end of the path at byte 3, found '.'"),
            ("a[", "expected an attribute name at byte 2, found the end"),
            ("a[x]", "expected the operator eq at byte 3, found ']'"),
            (
                r#"a[x ne "b"]"#,
                r#"the operator "ne" is not supported (only eq)"#,
            ),
            ("a[x pr]", r#"the operator "pr" is not supported (only eq)"#),
            ("a[x eq]", "expected a value at byte 6, found ']'"),
            (r#"a[x eq "b]"#, "a string value's closing quote is missing"),
            (
                r#"a[x eq "b\"]"#,
                "a string value's closing quote is missing",
            ),
            (
                "a[x eq b]",
                "the value b at byte 7 is not a JSON string, number, true, false or null",
            ),
            (
                "a[x eq {}]",
                "the value {} at byte 7 is not a JSON string, number, true, false or null",
            ),
            (
                r#"a[x eq "b""#,
                "expected `and`, `or` or `]` at byte 10, found the end",
            ),
            (
                r#"a[x eq "b" c]"#,
                "expected `and`, `or` or `]` at byte 11, found 'c'",
            ),
            (
                r#"a[(x eq "b")]"#,
                "expected an attribute name at byte 2, found '('",
            ),
            (
                r#"a[not x eq "b"]"#,
                r#"the operator "x" is not supported (only eq)"#,
            ),
            (
                r#"a[x eq "b"]x"#,
                "expected the end of the path at byte 11, found 'x'",
            ),
            (
                r#"urn:x:User:name"#,
                "expected the end of the path at byte 3, found ':'",
            ),
        ] {
            assert_eq!(read_path(text), Err(reason.to_owned()), "{text}");
        }
    }

    fn apply_json(user: Value, operations: Value) -> Result<Value, Invalid> {
        let message = json!({"schemas": [SCIM_PATCH_OP_SCHEMA], "Operations": operations});
        let Value::Object(message) = message else {
            unreachable!()
        };
        let operations = read_message(message)?;
        let Value::Object(mut user) = user else {
            unreachable!()
        };
        apply(&mut user, &operations)?;
        Ok(Value::Object(user))
    }

    #[test]
    fn add_appends_to_arrays_and_merges_objects() {
        let user = json!({"name": {"given": "A"}, "tags": ["x"]});
        let ops = json!([
            {"op": "add", "path": "tags", "value": ["y", "z"]},
            {"op": "add", "path": "tags", "value": "w"},
            {"op": "add", "path": "name", "value": {"family": "B"}},
            {"op": "add", "value": {"nickname": "N", "tags": ["v"]}},
        ]);
        assert_eq!(
            apply_json(user, ops).unwrap(),
            json!({"name": {"given": "A", "family": "B"}, "tags": ["x", "y", "z", "w", "v"], "nickname": "N"})
        );
    }

    #[test]
    fn replace_replaces_arrays_and_needs_a_match() {
        let user = json!({"tags": ["x"], "b": [{"t": "w", "v": 1}, {"t": "h", "v": 2}]});
        let ops = json!([
            {"op": "replace", "path": "tags", "value": ["y"]},
            {"op": "replace", "path": "b[t eq \"h\"]", "value": {"v": 3}},
        ]);
        assert_eq!(
            apply_json(user.clone(), ops).unwrap(),
            json!({"tags": ["y"], "b": [{"t": "w", "v": 1}, {"t": "h", "v": 3}]})
        );
        let ops = json!([{"op": "replace", "path": "b[t eq \"o\"].v", "value": 4}]);
        let error = apply_json(user, ops).unwrap_err();
        assert_eq!(error.target, "b[t eq \"o\"].v");
        assert_eq!(
            error.message,
            "No value of b matches the filter (noTarget)."
        );
    }

    #[test]
    fn remove_of_the_last_element_unassigns_the_attribute() {
        let user = json!({"b": [{"t": "w"}], "c": "x"});
        let ops =
            json!([{"op": "remove", "path": "b[t eq \"w\"]"}, {"op": "remove", "path": "gone.x"}]);
        assert_eq!(apply_json(user, ops).unwrap(), json!({"c": "x"}));
    }

    #[test]
    fn messages_that_are_not_patch_ops() {
        let read = |body: Value| {
            let Value::Object(body) = body else {
                unreachable!()
            };
            read_message(body).map(|_| ()).unwrap_err().target
        };
        assert_eq!(read(json!({"Operations": []})), "schemas");
        assert_eq!(
            read(json!({"schemas": [SCIM_PATCH_OP_SCHEMA]})),
            "Operations"
        );
        assert_eq!(
            read(json!({"schemas": [SCIM_PATCH_OP_SCHEMA], "Operations": []})),
            "Operations"
        );
        let with = |op: Value| json!({"schemas": [SCIM_PATCH_OP_SCHEMA], "Operations": [op]});
        assert_eq!(
            read(with(json!({"op": "move", "path": "a"}))),
            "Operations[0]"
        );
        assert_eq!(read(with(json!({"op": "remove"}))), "Operations[0]");
        assert_eq!(read(with(json!({"op": "add", "path": "a"}))), "a");
        assert_eq!(
            read(with(json!({"op": "add", "value": 1}))),
            "Operations[0]"
        );
        assert_eq!(
            read(with(json!({"op": "add", "path": "a[", "value": 1}))),
            "a["
        );
    }
}
