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
//!   prefix (`urn:…:User:name.given`, RFC 7644 §3.10: a PingOne user has no SCIM schema; the
//!   error says so), no space outside the brackets.
//! - **Filters** (RFC 7644 §3.4.2.2): `sub eq VALUE` comparisons, joined by `and` (binding
//!   tighter) and `or`; operators and keywords in any case, spaces (`SP`) around them.
//!   `VALUE` is a JSON literal: a string with JSON's escapes (`\"`, `\\`, `\u00e9`...), a
//!   number, `true`, `false` or `null`, compared with the element's sub-attribute as JSON,
//!   except that strings compare in any case (Unicode lower case), as RFC 7644 §3.4.2.2 says
//!   for attributes that are not `caseExact` (none of PingOne's is) and as the list filter
//!   compares them; a string never equals a number or a boolean; `null` also matches an element without the
//!   sub-attribute. Other operators, `not`, parentheses and value paths inside a filter are
//!   refused as malformed.
//! - **`add`** with no path merges the members of an object value into the user, each as an
//!   `add` at its name; a member named by a path (`name.given`, as Entra ID writes
//!   sub-attributes, or a URN-qualified or filtered one) is not an attribute name, and is
//!   refused rather than dropped as an unknown attribute. At a path: a missing or simple attribute is set; a complex attribute
//!   and an object value merge, member by member, by the same rules; a multi-valued attribute
//!   (an array) gets the elements of an array value appended, or the value as one element,
//!   except those it holds already (equal as JSON: "no changes SHOULD be made", RFC 7644
//!   §3.5.2.1);
//!   `attr[filter]` and `attr[filter].sub` apply that to every matching element, or to its
//!   sub-attribute (at `attr[filter]`, the value is an object of sub-attributes: RFC 7644
//!   §3.5.2.1). Where no element matches, the target does not exist, and is added (RFC 7644
//!   §3.5.2.1), as Entra ID expects of `emails[type eq "work"].value` for a user without a
//!   work email: a new element of the members that the filter's `eq` comparisons name, with the
//!   value (`{"type": "work", "value": …}`); a filter with `or`, or a value that contradicts
//!   the filter, says no one element, and is `noTarget`.
//!   A `null` inside a value is unassigned (RFC 7643 §2.5): it removes the member it names,
//!   and is stored nowhere, an array's elements included (`{"$ref": null, "value": "x"}` is
//!   `{"value": "x"}`).
//! - **`replace`** as `add`, except that an array is replaced whole (a multi-valued attribute
//!   without filter, RFC 7644 §3.5.2.3), and a filter that matches nothing is `noTarget`
//!   (RFC 7644 §3.5.2.3); an attribute that does not exist is added.
//! - **`remove`** needs a path; it removes the attribute, `attr.sub`, the matching elements of
//!   `attr[filter]` (and the attribute when none is left: unassigned, RFC 7644 §3.5.2.2), or
//!   the sub-attribute of the matching elements. Removing what is absent, and a filter that
//!   matches nothing, succeed and change nothing. A `remove` with a `value` other than `null`
//!   (Entra ID's way to remove some values of a multi-valued attribute) is refused: ignored,
//!   it would remove the whole attribute.
//! - **Message**: `schemas`, `Operations` and each operation's `op`, `path` and `value` are read
//!   in any ASCII case (`operations`, `Op`), as RFC 7643 §2.1 reads attribute names, and so is
//!   the PatchOp URI; one of them given twice, in two cases, is refused.
//! - **Errors**: a body that is not a PatchOp message (no `schemas` listing the PatchOp URI,
//!   no `Operations`, a message name given twice, an unknown `op`, a malformed path or filter, `add` or `replace` without
//!   a value or with `null`, `remove` without a path or with a value, a member of a path-less
//!   value that is not an attribute name, `add` or `replace` at `attr[filter]` with a value
//!   that is not an object); for `replace`, a filter that matches nothing, and for `add`, one
//!   that matches nothing and does not describe one element (SCIM's `noTarget`); for any
//!   operation, a filter on an attribute that is not an array, and `attr.sub` on one that is
//!   neither absent nor an object (SCIM's `invalidPath`), and a filter on an array that holds
//!   a value that is not an object (`invalidFilter`: simple values have no sub-attributes to
//!   compare). Each is an [`Invalid`] naming the operation's path (or the part of the message
//!   at fault), and the route changes nothing.

use serde_json::{Map, Value};

use super::listing::equal_in_any_case;
use super::validation;
use crate::keyed_array::key_identity;
use crate::pingone::ErrorDetail;
use crate::pingone::filter::Cursor;
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

/// One operation, read and checked; an `add` or `replace` without a path is one operation
/// per member of its value.
#[derive(Debug)]
pub(super) struct Operation {
    /// The path as sent, or `Operations[i]` without one: an error's target.
    target: String,
    change: Change,
}

#[derive(Debug)]
enum Change {
    /// `add` (`append`: arrays get elements) or `replace` (arrays are replaced).
    Put {
        path: Path,
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

/// Reads a PatchOp message (RFC 7644 §3.5.2): `schemas` lists [`SCIM_PATCH_OP_SCHEMA`],
/// `Operations` holds one operation or more, each with a known `op` (any case), a well-formed
/// path, a `value` other than `null` for `add` and `replace` (an object when there is no
/// path) and a path for `remove`.
///
/// The message's own attribute names are read in any ASCII case (`operations`, `Schemas`), as
/// RFC 7643 §2.1 reads attribute names and as [`ScimPatch`](crate::ScimPatch) reads them, and
/// so is the PatchOp URI; a name given twice in two cases is refused, as it is ambiguous.
pub(super) fn read_message(mut body: Map<String, Value>) -> Result<Vec<Operation>, Invalid> {
    let schemas = take_in_any_case(&mut body, "schemas")?;
    let lists_schema = schemas
        .as_ref()
        .and_then(Value::as_array)
        .is_some_and(|uris| {
            uris.iter()
                .filter_map(Value::as_str)
                .any(|uri| uri.eq_ignore_ascii_case(SCIM_PATCH_OP_SCHEMA))
        });
    if !lists_schema {
        return Err(Invalid::new(
            "schemas",
            format!("A SCIM PATCH body must list {SCIM_PATCH_OP_SCHEMA} in schemas."),
        ));
    }
    let operations = match take_in_any_case(&mut body, "Operations")? {
        Some(Value::Array(operations)) if !operations.is_empty() => operations,
        _ => {
            return Err(Invalid::new(
                "Operations",
                "A SCIM PATCH body must hold an array of one or more Operations.",
            ));
        }
    };
    let mut out = Vec::with_capacity(operations.len());
    for (index, operation) in operations.into_iter().enumerate() {
        read_operation(index, operation, &mut out)?;
    }
    Ok(out)
}

/// Takes the member `name` of a message, written in any ASCII case (RFC 7643 §2.1); two members
/// that are `name` in two cases are refused rather than one of them read and the other ignored.
fn take_in_any_case(body: &mut Map<String, Value>, name: &str) -> Result<Option<Value>, Invalid> {
    let mut found = body.keys().filter(|key| key.eq_ignore_ascii_case(name));
    let Some(key) = found.next().cloned() else {
        return Ok(None);
    };
    if let Some(other) = found.next() {
        return Err(Invalid::new(
            name,
            format!(
                "A SCIM PATCH body names {name} twice ({key:?} and {other:?}): attribute names \
                 are read in any case (RFC 7643 §2.1)."
            ),
        ));
    }
    Ok(body.remove(&key))
}

/// Reads the operation at `index` into `out`.
fn read_operation(index: usize, operation: Value, out: &mut Vec<Operation>) -> Result<(), Invalid> {
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
    let append = op == ScimOp::Add;
    let change = match (op, path, value) {
        // A value names what to remove in some clients' messages (Entra ID removes group
        // members with `"value": [{"value": "..."}]`); ignored, the whole attribute would go.
        (ScimOp::Remove, Some(_), Some(value)) if !value.is_null() => {
            return refuse(
                "A remove operation takes no value: it removes all that its path names. To \
                 remove some values of a multi-valued attribute, name them with a filter \
                 (attr[sub eq \"value\"]) (invalidValue).",
            );
        }
        (ScimOp::Remove, Some(path), _) => Change::Remove(path),
        (ScimOp::Remove, None, _) => return refuse("A remove operation needs a path (noTarget)."),
        // `null` is unassigned (RFC 7643 §2.5), no value to set: clearing is `remove`'s.
        (_, _, None | Some(Value::Null)) => {
            return refuse("An add or replace operation needs a value other than null.");
        }
        // A filter selects complex values by their sub-attributes; an `add` or `replace`
        // there gives sub-attributes (RFC 7644 §3.5.2.1 and §3.5.2.3). Any other value
        // replaced each selected element whole with it (an `add` turned a badge into "x").
        (_, Some(path), Some(value))
            if path.filter.is_some() && path.sub_attribute.is_none() && !value.is_object() =>
        {
            return refuse(&format!(
                "A filter selects complex values: the value of an {op} at it must be an object \
                 of sub-attributes, not {} (invalidValue).",
                kind_of(&value)
            ));
        }
        (_, Some(path), Some(value)) => Change::Put {
            path,
            value,
            append,
        },
        // The resource itself: each member as if its name were the path (RFC 7644 §3.5.2.1).
        (_, None, Some(Value::Object(members))) => {
            // "A set of attributes": a member named by a path (`name.given`, as Entra ID
            // writes sub-attributes, an extension's URN-qualified name, a filter) is none, and
            // would be dropped as an unknown attribute, the 200 saying nothing of it.
            if let Some(name) = members.keys().find(|name| !is_attribute_name(name)) {
                // A path would not take a schema URN either: say what would.
                let instead = if has_urn_prefix(name) {
                    NO_SCHEMA_URN
                } else {
                    "send it as an operation of its own, with it as the path"
                };
                return refuse(&format!(
                    "The value of an add or replace without a path holds attributes by name \
                     (RFC 7644 §3.5.2.1); {name:?} is not an attribute name: {instead} \
                     (invalidPath)."
                ));
            }
            out.extend(members.into_iter().map(|(attribute, value)| Operation {
                target: target.clone(),
                change: Change::Put {
                    path: Path {
                        attribute,
                        filter: None,
                        sub_attribute: None,
                    },
                    value,
                    append,
                },
            }));
            return Ok(());
        }
        (_, None, Some(_)) => {
            return refuse("An add or replace operation without a path needs an object value.");
        }
    };
    out.push(Operation { target, change });
    Ok(())
}

/// The dotted attribute paths that `operations` set or clear, as the merge patch of the same
/// change would touch them: `attr` for a filtered path (the whole array), the paths inside an
/// object value otherwise. For the 403 of
/// [`EmulatorBuilder::forbid`](super::EmulatorBuilder::forbid).
pub(super) fn touched_paths(operations: &[Operation]) -> Vec<String> {
    let mut out = Vec::new();
    for operation in operations {
        let (path, value) = match &operation.change {
            Change::Put { path, value, .. } => (path, value),
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
                path,
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
///
/// `null` is unassigned (RFC 7643 §2.5: "Assigning an attribute with the value `null` … would
/// be the equivalent of removing the attribute"): a `null` member merged into an object
/// removes the member, and a value placed whole (a new element, a replaced value) holds no
/// `null` member, at any depth. (An element sent as Entra ID sends group members,
/// `{"$ref": null, "value": "…"}`, is `{"value": "…"}`.)
///
/// An element that the array already holds (equal as JSON) is not appended again: "If the
/// target location already contains the value specified, no changes SHOULD be made"
/// (RFC 7644 §3.5.2.1), as when a provisioning client adds a value twice.
fn put(slot: &mut Value, value: Value, append: bool) {
    match (slot, value) {
        (Value::Array(items), Value::Array(new)) if append => {
            for element in new {
                let element = assigned_only(element);
                if !items.contains(&element) {
                    items.push(element);
                }
            }
        }
        (Value::Array(items), new) if append => {
            let new = assigned_only(new);
            if !items.contains(&new) {
                items.push(new);
            }
        }
        (Value::Object(members), Value::Object(new)) => {
            for (name, value) in new {
                if value.is_null() {
                    // `retain`, not `remove`: with serde_json's `preserve_order`, `remove`
                    // moves the last member into the removed one's place.
                    members.retain(|member, _| *member != name);
                } else {
                    put(members.entry(name).or_insert(Value::Null), value, append);
                }
            }
        }
        (slot, value) => *slot = assigned_only(value),
    }
}

/// `value` without the `null` members of its objects, at any depth, arrays' elements included
/// (a `null` element of an array is a value, and stays).
fn assigned_only(value: Value) -> Value {
    match value {
        Value::Object(members) => Value::Object(
            members
                .into_iter()
                .filter(|(_, value)| !value.is_null())
                .map(|(name, value)| (name, assigned_only(value)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.into_iter().map(assigned_only).collect()),
        other => other,
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
        return Ok(());
    }
    if !append {
        // RFC 7644 §3.5.2.3: a `replace` whose filter matches nothing is `noTarget`.
        return Err(format!(
            "No value of {attribute} matches the filter (noTarget)."
        ));
    }
    // An `add` whose target does not exist adds it (RFC 7644 §3.5.2.1), as Entra ID expects
    // of `emails[type eq "work"].value` for a user without a work email: the element that
    // the filter's comparisons describe, with the value.
    let element = new_element(attribute, filter, sub_attribute.as_deref(), value)?;
    match user.get_mut(attribute) {
        Some(Value::Array(items)) => items.push(element),
        _ => {
            user.insert(attribute.clone(), Value::Array(vec![element]));
        }
    }
    Ok(())
}

/// The element that an `add` at `attribute[filter]` (`.sub`) adds where no element matches:
/// the members that the filter's `eq` comparisons name (`type eq "work"`: `{"type": "work"}`;
/// `eq null` names none), with the value merged in (at `sub`, or its members). A filter with
/// `or` does not say which element, and a value that contradicts the filter (`type eq "work"`
/// with `{"type": "home"}`) would add one that the filter does not select: both stay
/// `noTarget`.
fn new_element(
    attribute: &str,
    filter: &Filter,
    sub_attribute: Option<&str>,
    value: &Value,
) -> Result<Value, String> {
    let no_target =
        |why: &str| format!("No value of {attribute} matches the filter, and {why} (noTarget).");
    let [comparisons] = filter.0.as_slice() else {
        return Err(no_target(
            "a filter with `or` does not say which value to add",
        ));
    };
    let mut element = Value::Object(
        comparisons
            .iter()
            .filter(|(_, value)| !value.is_null())
            .map(|(name, value)| (name.clone(), value.clone()))
            .collect(),
    );
    let value = match sub_attribute {
        Some(sub) => Value::Object(Map::from_iter([(sub.to_owned(), value.clone())])),
        None => value.clone(),
    };
    put(&mut element, value, true);
    if filter.matches(&element) {
        Ok(element)
    } else {
        Err(no_target(
            "the value added would not match it: its comparisons and the value disagree",
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
            // `null` is unassigned (RFC 7643 §2.5), as absent is.
            None | Some(Value::Null) => {}
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

/// The elements of the multi-valued `attribute`, for a filter: `None` when it is absent, an
/// error when it is not an array, or holds a value that is not an object. A filter selects
/// complex values by their sub-attributes (RFC 7644 §3.4.2.2; RFC 7643 §2.4 gives simple
/// values none): `tags[value eq "x"]` on `["x"]` matched nothing, so its `remove` answered 200
/// and removed nothing, and an `add` there would put an object among strings.
fn elements<'a>(
    user: &'a mut Map<String, Value>,
    attribute: &str,
) -> Result<Option<&'a mut Vec<Value>>, String> {
    match user.get_mut(attribute) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Array(items)) => match items.iter().find(|item| !item.is_object()) {
            None => Ok(Some(items)),
            Some(simple) => Err(format!(
                "{attribute} holds simple values ({} among them), which have no sub-attributes \
                 for a filter to compare: replace the attribute whole (invalidFilter).",
                kind_of(simple)
            )),
        },
        Some(_) => Err(format!(
            "{attribute} is not multi-valued: a filter cannot select its values (invalidPath)."
        )),
    }
}

/// What a JSON value is, for a message: `a string`, `an array`...
fn kind_of(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

fn not_complex(attribute: &str, sub: &str) -> String {
    format!(
        "{attribute} is not a complex attribute: {attribute}.{sub} does not exist (invalidPath)."
    )
}

/// Whether `name` is an attribute name as a path reads one (`ALPHA *(ALPHA / DIGIT / "-" /
/// "_")`, or `$ref`), with no sub-attribute, filter or schema URN.
fn is_attribute_name(name: &str) -> bool {
    read_path(name).is_ok_and(|path| path.filter.is_none() && path.sub_attribute.is_none())
}

/// What a path or a path-less value's member that starts with a schema URN is told.
const NO_SCHEMA_URN: &str = "a schema URN prefix (RFC 7644 §3.10) names no attribute of a \
     PingOne user, which has no SCIM schema or extension: write the attribute's own name \
     (name.given), without the URN";

/// Whether `name` starts with `urn:` in any case: a schema URN (`urn:ietf:params:scim:…`),
/// which no attribute name holds (an attribute name has no `:`).
fn has_urn_prefix(name: &str) -> bool {
    name.get(..4)
        .is_some_and(|scheme| scheme.eq_ignore_ascii_case("urn:"))
}

/// Reads a path: `attr`, `attr.sub`, `attr[filter]` or `attr[filter].sub`.
fn read_path(text: &str) -> Result<Path, String> {
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
const ONLY_EQ: &str = "a filter holds `eq` comparisons joined by `and` and `or`, `and` binding \
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

#[cfg(test)]
mod tests;
