//! SCIM PATCH operations (RFC 7644 §3.5.2): the message ([`ScimPatch`]), its operations
//! ([`ScimOperation`], [`ScimOp`]), the quoting of a filter's value (RFC 7644 §3.4.2.2), and
//! the operations that do a JSON merge patch's work ([`scim_patch_from_merge`]).
//!
//! A SCIM service provider takes this message with `Content-Type: application/scim+json`
//! ([`SCIM_CONTENT_TYPE`], RFC 7644 §3.1 and §8.1); PingOne's users endpoint with its own
//! `application/vnd.pingidentity.user.scim.patch+json` ([`SCIM_PATCH_CONTENT_TYPE`]).

use core::fmt;
use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap, HashSet};

use serde::de::{self, MapAccess};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Map, Value};

use crate::keyed_array::key_identity;
use crate::{DialectError, ElementChange, KeyedArray, diff_keyed, merge_patch};

/// The URI that a PatchOp message lists in `schemas` (RFC 7644 §3.5.2).
pub const SCIM_PATCH_OP_SCHEMA: &str = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

/// The media type of SCIM's protocol (RFC 7644 §3.1 and §8.1), the `Content-Type` of a
/// `PATCH` whose body is a [`ScimPatch`] sent to a SCIM service provider (`PATCH /Users/{id}`
/// of Okta, Entra ID, and any RFC 7644 server): `application/scim+json`.
///
/// ```
/// assert_eq!(sparse_patch::SCIM_CONTENT_TYPE, "application/scim+json");
/// ```
pub const SCIM_CONTENT_TYPE: &str = "application/scim+json";

/// PingOne's own media type, with which its `PATCH /environments/{environmentID}/users/{userID}`
/// reads a body of SCIM operations rather than a JSON merge patch:
/// `application/vnd.pingidentity.user.scim.patch+json`. Only PingOne reads it; a SCIM service
/// provider takes [`SCIM_CONTENT_TYPE`].
pub const SCIM_PATCH_CONTENT_TYPE: &str = "application/vnd.pingidentity.user.scim.patch+json";

/// A SCIM PatchOp message (RFC 7644 §3.5.2): operations applied in order, all or none.
///
/// ```
/// use serde_json::json;
/// use sparse_patch::{ScimOp, ScimOperation, ScimPatch};
///
/// let patch = ScimPatch::new(vec![
///     ScimOperation::replace("name.given", json!("Dave")),
///     ScimOperation::remove(r#"emails[type eq "work"]"#),
/// ]);
/// assert_eq!(
///     serde_json::to_value(&patch).unwrap(),
///     json!({
///         "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
///         "Operations": [
///             {"op": "replace", "path": "name.given", "value": "Dave"},
///             {"op": "remove", "path": "emails[type eq \"work\"]"}
///         ]
///     })
/// );
/// assert_eq!(patch.operations[1].op, ScimOp::Remove);
/// ```
///
/// It is read with its attribute names in any case (`operations`, `Op`, `PATH`), as RFC 7643
/// §2.1 reads SCIM attribute names and as clients send them; a name given twice, in any case,
/// is an error (`duplicate field`), and other members are ignored. `schemas` must list
/// [`SCIM_PATCH_OP_SCHEMA`] (in any ASCII case), which RFC 7644 §3.5.2 requires of every
/// message: a message without it is an error that shows the `schemas` that arrived.
///
/// ```
/// let read = serde_json::from_str::<sparse_patch::ScimPatch>(
///     r#"{"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"], "Operations": []}"#,
/// );
/// assert!(read.unwrap_err().to_string().starts_with(
///     r#"the schemas ["urn:ietf:params:scim:schemas:core:2.0:User"] do not list urn:ietf:params:scim:api:messages:2.0:PatchOp"#
/// ));
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScimPatch {
    /// The message's schema URIs: [`SCIM_PATCH_OP_SCHEMA`].
    pub schemas: Vec<String>,
    /// The operations, applied in order (`Operations` in JSON).
    #[serde(rename = "Operations")]
    pub operations: Vec<ScimOperation>,
}

impl ScimPatch {
    /// A PatchOp message with `operations`, listing [`SCIM_PATCH_OP_SCHEMA`].
    #[must_use]
    pub fn new(operations: Vec<ScimOperation>) -> Self {
        ScimPatch {
            schemas: vec![SCIM_PATCH_OP_SCHEMA.to_owned()],
            operations,
        }
    }

    /// Returns `true` when the message holds no operation: it would change nothing, and it
    /// must not be sent, since a PatchOp message holds one operation or more (RFC 7644
    /// §3.5.2: "an array of one or more PATCH operations"). [`to_scim_patch`] gives an empty
    /// message for a patch that changes nothing of its base (a `null` on an attribute that the
    /// base does not hold, for example); the client's `update_user_scim` and
    /// `update_user_scim_patch` send nothing for one and read the user instead.
    ///
    /// [`to_scim_patch`]: crate::Patch::to_scim_patch
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.operations.is_empty()
    }
}

/// One operation of a [`ScimPatch`] (RFC 7644 §3.5.2): `op`, an optional attribute `path`
/// (`name.given`, `emails[type eq "work"].value`; RFC 7644 §3.5.2 "PATH") and an optional
/// `value`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScimOperation {
    /// What the operation does.
    pub op: ScimOp,
    /// The attribute it targets; `None` targets the resource itself (`add` and `replace` with
    /// an object value).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// The value to add or replace with; `None` for `remove`. A `value` given as `null` reads
    /// as `Some(Value::Null)`, not as `None`, so that a message reads back as it was written.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<Value>,
}

/// Reads the members of a PatchOp message or operation: each of `names` in any case (RFC 7643
/// §2.1), at most once, through `read` (given the index of the name in `names`); other
/// members are ignored.
fn read_members<'de, A: MapAccess<'de>>(
    mut map: A,
    names: &'static [&'static str],
    mut read: impl FnMut(usize, &mut A) -> Result<(), A::Error>,
) -> Result<(), A::Error> {
    let mut seen = [false; 3];
    while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
        match names
            .iter()
            .position(|name| name.eq_ignore_ascii_case(&key))
        {
            Some(index) if seen[index] => {
                return Err(de::Error::duplicate_field(names[index]));
            }
            Some(index) => {
                seen[index] = true;
                read(index, &mut map)?;
            }
            None => {
                map.next_value::<de::IgnoredAny>()?;
            }
        }
    }
    Ok(())
}

impl<'de> Deserialize<'de> for ScimPatch {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Message;
        impl<'de> de::Visitor<'de> for Message {
            type Value = ScimPatch;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a SCIM PatchOp message")
            }

            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<ScimPatch, A::Error> {
                let (mut schemas, mut operations) = (None, None);
                read_members(map, &["schemas", "Operations"], |index, map| {
                    if index == 0 {
                        schemas = Some(map.next_value()?);
                    } else {
                        operations = Some(map.next_value()?);
                    }
                    Ok(())
                })?;
                let schemas: Vec<String> =
                    schemas.ok_or_else(|| de::Error::missing_field("schemas"))?;
                let operations =
                    operations.ok_or_else(|| de::Error::missing_field("Operations"))?;
                if !schemas
                    .iter()
                    .any(|uri| uri.eq_ignore_ascii_case(SCIM_PATCH_OP_SCHEMA))
                {
                    return Err(de::Error::custom(format_args!(
                        "the schemas {schemas:?} do not list {SCIM_PATCH_OP_SCHEMA}, which a PatchOp message must (RFC 7644 §3.5.2)"
                    )));
                }
                Ok(ScimPatch {
                    schemas,
                    operations,
                })
            }
        }
        deserializer.deserialize_map(Message)
    }
}

impl<'de> Deserialize<'de> for ScimOperation {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Operation;
        impl<'de> de::Visitor<'de> for Operation {
            type Value = ScimOperation;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a SCIM PATCH operation")
            }

            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<ScimOperation, A::Error> {
                let (mut op, mut path, mut value) = (None, None, None);
                read_members(map, &["op", "path", "value"], |index, map| {
                    match index {
                        0 => op = Some(map.next_value()?),
                        1 => path = map.next_value()?,
                        // A `value` given as `null` is `Some(Value::Null)`, not `None`.
                        _ => value = Some(map.next_value()?),
                    }
                    Ok(())
                })?;
                Ok(ScimOperation {
                    op: op.ok_or_else(|| de::Error::missing_field("op"))?,
                    path,
                    value,
                })
            }
        }
        deserializer.deserialize_map(Operation)
    }
}

impl ScimOperation {
    /// `{"op": "add", "path": path, "value": value}` (RFC 7644 §3.5.2.1).
    #[must_use]
    pub fn add(path: impl Into<String>, value: Value) -> Self {
        ScimOperation {
            op: ScimOp::Add,
            path: Some(path.into()),
            value: Some(value),
        }
    }

    /// `{"op": "replace", "path": path, "value": value}` (RFC 7644 §3.5.2.3).
    #[must_use]
    pub fn replace(path: impl Into<String>, value: Value) -> Self {
        ScimOperation {
            op: ScimOp::Replace,
            path: Some(path.into()),
            value: Some(value),
        }
    }

    /// `{"op": "remove", "path": path}` (RFC 7644 §3.5.2.2).
    #[must_use]
    pub fn remove(path: impl Into<String>) -> Self {
        ScimOperation {
            op: ScimOp::Remove,
            path: Some(path.into()),
            value: None,
        }
    }
}

/// The `op` of a [`ScimOperation`]. Written in lower case; read in any case, as RFC 7644
/// §3.5.2 leaves case to the attribute rules and services send `Add` and `Replace`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ScimOp {
    /// Adds a value, or merges sub-attributes into a complex attribute (§3.5.2.1).
    Add,
    /// Removes the attribute, or the elements that a filter selects (§3.5.2.2).
    Remove,
    /// Replaces the value, or the sub-attributes given for a complex attribute (§3.5.2.3).
    Replace,
}

impl ScimOp {
    /// The operation's name as written: `add`, `remove` or `replace`.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            ScimOp::Add => "add",
            ScimOp::Remove => "remove",
            ScimOp::Replace => "replace",
        }
    }
}

impl fmt::Display for ScimOp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.as_str())
    }
}

impl Serialize for ScimOp {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for ScimOp {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let name = String::deserialize(deserializer)?;
        [ScimOp::Add, ScimOp::Remove, ScimOp::Replace]
            .into_iter()
            .find(|op| op.as_str().eq_ignore_ascii_case(&name))
            .ok_or_else(|| serde::de::Error::unknown_variant(&name, &["add", "remove", "replace"]))
    }
}

/// A value written as a SCIM filter's comparison value (RFC 7644 §3.4.2.2, whose values are
/// JSON values, RFC 7159): a string in double quotes with `"`, `\` and control characters
/// escaped as JSON escapes them; a number, `true`, `false` or `null` as it is.
///
/// Returns `None` for an array or an object, which a filter cannot compare with.
///
/// ```
/// use serde_json::json;
///
/// assert_eq!(sparse_patch::scim_filter_value(&json!(r#"say "hi""#)).as_deref(), Some(r#""say \"hi\"""#));
/// assert_eq!(sparse_patch::scim_filter_value(&json!(7)).as_deref(), Some("7"));
/// assert_eq!(sparse_patch::scim_filter_value(&json!([1])), None);
/// ```
#[must_use]
pub fn scim_filter_value(value: &Value) -> Option<String> {
    match value {
        Value::Array(_) | Value::Object(_) => None,
        scalar => Some(scalar.to_string()),
    }
}

/// The SCIM operations (RFC 7644 §3.5.2) that do the work of the JSON merge patch `merge`
/// (RFC 7396) on the resource `base`, with `keyed` saying which attributes are keyed arrays.
///
/// Operations follow the merge patch's members in order (serde_json's: sorted by name, or in
/// insertion order where its `preserve_order` feature is on in the build).
///
/// - A top-level attribute that the merge patch sets is `replace`d where it differs from
///   `base` (`replace` adds an attribute that does not exist, RFC 7644 §3.5.2.3); `null`
///   becomes `remove` (left out where `base` has no value: SCIM does not tell `null` from
///   unassigned, RFC 7643 §2.5). `add` appends the new elements of keyed arrays and nothing
///   else, so that every other operation can be sent twice with the effect of once.
/// - A complex attribute (an object in both) changes sub-attribute by sub-attribute
///   (`name.given`). Below that, where SCIM paths end, a changed sub-attribute object is removed
///   and set anew whole.
/// - A keyed array changes element by element with filter paths ([`diff_keyed`]): `remove` of
///   `emails[type eq "home"]`, `replace` of `emails[type eq "work"].value`, and one `add` of the
///   new elements, which SCIM appends. When that would not give the target's order, or an
///   element's change lies below a sub-attribute, or the base's elements share a key (two
///   clients that each added one: filters cannot tell them apart) or one of them has no
///   usable key, the array is replaced whole, which also repairs it; so is it when two of the base's keys differ
///   only in case (`Work`, `work`), which a filter compares in any case unless the attribute
///   is `caseExact` (RFC 7644 §3.4.2.2). An emptied array is replaced by `[]`, as the
///   merge patch sets it. Other arrays are replaced whole. Keyed arrays change element by
///   element at the top level (and in flattened structs); inside a nested object they are
///   replaced whole, as other arrays are.
/// - A top-level attribute that the base holds as `null` counts as unassigned.
/// - SCIM reads attribute names in any case (RFC 7643 §2.1): where the merge patch removes a
///   name and sets its case variant (`department` to `Department`), the `remove` goes first,
///   so that it does not remove the value just set (and where the base holds both, the one
///   set is removed too and set anew whole). (Inside a keyed array's element, a
///   change that would leave two such names makes the array be replaced whole.)
/// - A member named by a schema URN (an extension schema's attributes, RFC 7643 §3.3, such as
///   `urn:ietf:params:scim:schemas:extension:enterprise:2.0:User`) is an object of attributes:
///   each changes as a top-level attribute does, under its URN-qualified path
///   (`urn:…:User:employeeNumber`, `urn:…:User:manager.value`, RFC 7644 §3.10), and `null`
///   removes each attribute that the base holds.
///
/// ```
/// use serde_json::json;
/// use sparse_patch::{KeyedArray, scim_patch_from_merge};
///
/// let keyed = [KeyedArray::Array { attribute: "emails", key: "type" }];
/// let base = json!({
///     "name": {"given": "David", "family": "Spanner"},
///     "emails": [{"type": "work", "value": "a@example.com"}, {"type": "home", "value": "b@example.com"}]
/// });
/// let merge = json!({
///     "name": {"given": "Dave"},
///     "emails": [{"type": "work", "value": "c@example.com"}, {"type": "home", "value": "b@example.com"}]
/// });
/// let patch = scim_patch_from_merge(&base, &merge, &keyed).unwrap();
/// assert_eq!(
///     serde_json::to_value(&patch.operations).unwrap(),
///     json!([
///         {"op": "replace", "path": "emails[type eq \"work\"].value", "value": "c@example.com"},
///         {"op": "replace", "path": "name.given", "value": "Dave"}
///     ])
/// );
/// ```
///
/// # Errors
///
/// - [`DialectError::NotAnObject`] when `base` or `merge` is not an object;
/// - [`DialectError::ScimName`] for an attribute name that a SCIM path cannot carry (a
///   sub-attribute's too, also where its attribute is set whole, as the output must not depend
///   on the base for it; the elements of a multi-valued attribute, and what lies below a
///   sub-attribute, are sent whole, names and all), and for a schema URN member that is not an
///   object or `null`;
/// - [`DialectError::ScimNameCase`] for two attributes of one object whose names differ only
///   in case (`title`, `Title`: one attribute to SCIM, RFC 7643 §2.1) where the result would
///   hold both, or keep one while removing the other;
/// - [`DialectError::DuplicateKey`] and [`DialectError::ElementWithoutKey`] for a keyed array
///   of `merge` whose elements share a key or lack one (a base array whose elements do is
///   replaced whole instead).
pub fn scim_patch_from_merge(
    base: &Value,
    merge: &Value,
    keyed: &[KeyedArray],
) -> Result<ScimPatch, DialectError> {
    let Value::Object(base) = base else {
        return Err(DialectError::NotAnObject { what: "model" });
    };
    let Value::Object(merge) = merge else {
        return Err(DialectError::NotAnObject { what: "patch" });
    };
    let mut operations = Vec::new();
    for InCase {
        name,
        change,
        current,
    } in in_case_order(Some(base), merge, str::to_owned)?
    {
        let change = change.as_ref();
        if is_schema_urn(name) {
            extension_operations(name, current, change, &mut operations)?;
            continue;
        }
        checked_name(name, None)?;
        match (KeyedArray::key_of(keyed, name), change) {
            (Some(key), Value::Array(target)) => {
                keyed_operations(name, key, current, target, &mut operations)?;
            }
            _ => attribute_operations(name, current, change, 0, &mut operations)?,
        }
    }
    Ok(ScimPatch::new(operations))
}

/// `name`, when it is a SCIM attribute name (`ATTRNAME`: RFC 7643 §2.1 and the path grammar of
/// RFC 7644 §3.4.2.2, Figure 1; or `$ref`).
fn checked_name<'a>(name: &'a str, parent: Option<&str>) -> Result<&'a str, DialectError> {
    let mut chars = name.chars();
    let valid = name == "$ref"
        || (chars
            .next()
            .is_some_and(|first| first.is_ascii_alphabetic())
            && chars.all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'));
    if valid {
        Ok(name)
    } else {
        Err(DialectError::ScimName {
            path: parent.map_or_else(|| name.to_owned(), |parent| format!("{parent}.{name}")),
        })
    }
}

/// Whether `name` is a schema URN (`urn:ietf:params:scim:schemas:extension:enterprise:2.0:User`),
/// the member that holds an extension schema's attributes (RFC 7643 §3.3), whose attributes a
/// path names as `URI ":" ATTRNAME` (RFC 7644 §3.10, and `attrPath` in §3.4.2.2, Figure 1):
/// `urn:` in any case, then `NID:NSS`
/// (RFC 8141 §2) in printable ASCII without the characters that a path's filter gives a
/// meaning (`[`, `]`, `"`), not ending with the `:` that joins an attribute.
fn is_schema_urn(name: &str) -> bool {
    let Some(rest) = name
        .get(..4)
        .filter(|scheme| scheme.eq_ignore_ascii_case("urn:"))
        .map(|_| &name[4..])
    else {
        return false;
    };
    rest.split_once(':')
        .is_some_and(|(nid, nss)| !nid.is_empty() && !nss.is_empty())
        && !name.ends_with(':')
        && name
            .bytes()
            .all(|byte| byte.is_ascii_graphic() && !matches!(byte, b'[' | b']' | b'"'))
}

/// The operations for the member of a schema URN (an extension's attributes): each attribute
/// changes as a top-level attribute does, under the path `URN:attribute` (RFC 7644 §3.10), and
/// `null` removes each attribute that the base holds, since a path names an attribute and not a
/// schema.
fn extension_operations(
    urn: &str,
    current: Option<&Value>,
    change: &Value,
    operations: &mut Vec<ScimOperation>,
) -> Result<(), DialectError> {
    let current = current.and_then(Value::as_object);
    let attribute_path = |name: &str| {
        checked_name(name, None)
            .map(|name| format!("{urn}:{name}"))
            .map_err(|_| DialectError::ScimName {
                path: format!("{urn}:{name}"),
            })
    };
    match change {
        Value::Null => {
            for (name, value) in current.into_iter().flatten() {
                if !value.is_null() {
                    operations.push(ScimOperation::remove(attribute_path(name)?));
                }
            }
        }
        Value::Object(change) => {
            for member in in_case_order(current, change, |name| format!("{urn}:{name}"))? {
                let path = attribute_path(member.name)?;
                attribute_operations(&path, member.current, &member.change, 0, operations)?;
            }
        }
        // An extension holds attributes: a value that is not an object has no path.
        _ => {
            return Err(DialectError::ScimName {
                path: urn.to_owned(),
            });
        }
    }
    Ok(())
}

/// A member of an object patch as [`in_case_order`] gives it: its change, and the base's
/// value that the change applies to.
struct InCase<'a> {
    name: &'a String,
    change: Cow<'a, Value>,
    /// The base's value; `None` also where an earlier `remove` of a case variant may have
    /// removed it, so that the change is set whole.
    current: Option<&'a Value>,
}

/// The members of an object patch in the order their operations go out, checked for names that
/// differ only in case. SCIM reads attribute names in any case (RFC 7643 §2.1), so `title` and
/// `Title` are one attribute on a server: a member set to `null` whose case variant the patch
/// sets (a rename in case only) goes first, so that its `remove` does not remove the value just
/// set. Where the base also holds the variant that is set, that one is removed first too and
/// set anew whole (its old value merged with the change), since the first `remove` may have
/// removed it, and a server that reads names exactly still holds it. Where the result would
/// hold two such names (both set, one set beside the base's other, or one removed while the
/// base's other stays), no operation can say it.
///
/// `base` is the object that the patch applies to; `path` writes a member's path for the error.
/// The base's own case variants that the patch does not name are left alone.
fn in_case_order<'a>(
    base: Option<&'a Map<String, Value>>,
    patch: &'a Map<String, Value>,
    path: impl Fn(&str) -> String,
) -> Result<Vec<InCase<'a>>, DialectError> {
    let in_base = |name: &str| base.and_then(|base| base.get(name));
    let member = |(name, change): (&'a String, &'a Value)| InCase {
        name,
        change: Cow::Borrowed(change),
        current: in_base(name),
    };
    if without_case_variants(base, patch) {
        return Ok(patch.iter().map(member).collect());
    }
    // The names of the patch that lead to an operation, by their lower case, first in each
    // group; then the base's attributes of the same names that the patch leaves.
    // Sorted, so that of several groups with case variants the error names the same one
    // every time (the first by lower-case name).
    let mut groups: BTreeMap<String, Vec<&str>> = BTreeMap::new();
    for (name, change) in patch {
        if !change.is_null() || assigned(in_base(name)) {
            groups.entry(name.to_lowercase()).or_default().push(name);
        }
    }
    for (name, value) in base.into_iter().flatten() {
        if !value.is_null()
            && !patch.contains_key(name)
            && let Some(group) = groups.get_mut(&name.to_lowercase())
        {
            group.push(name);
        }
    }
    let stays = |name: &str| patch.get(name).is_none_or(|change| !change.is_null());
    // Members removed first, and the member set anew whole after them, of each group.
    let mut first = HashSet::new();
    let mut anew = HashSet::new();
    for group in groups.values().filter(|group| group.len() > 1) {
        let staying: Vec<&str> = group.iter().copied().filter(|name| stays(name)).collect();
        let only_the_patchs = staying.len() == 1 && patch.contains_key(staying[0]);
        if !staying.is_empty() && !only_the_patchs {
            let named = group[0];
            let other = staying
                .iter()
                .find(|name| **name != named)
                .unwrap_or(&named);
            return Err(DialectError::ScimNameCase {
                path: path(named),
                other: path(other),
            });
        }
        first.extend(group.iter().copied().filter(|name| !stays(name)));
        anew.extend(staying.into_iter().filter(|name| assigned(in_base(name))));
    }
    if first.is_empty() {
        return Ok(patch.iter().map(member).collect());
    }
    let removed_first = patch
        .iter()
        .filter(|(name, _)| first.contains(name.as_str()))
        .map(member);
    let removed_before_set = patch
        .iter()
        .filter(|(name, _)| anew.contains(name.as_str()))
        .map(|(name, _)| InCase {
            name,
            change: Cow::Owned(Value::Null),
            current: in_base(name),
        });
    let rest = patch
        .iter()
        .filter(|(name, _)| !first.contains(name.as_str()))
        .map(|(name, change)| match in_base(name) {
            Some(current) if anew.contains(name.as_str()) => {
                let mut whole = current.clone();
                merge_patch(&mut whole, change.clone());
                InCase {
                    name,
                    change: Cow::Owned(whole),
                    current: None,
                }
            }
            _ => member((name, change)),
        });
    Ok(removed_first
        .chain(removed_before_set)
        .chain(rest)
        .collect())
}

/// Whether [`in_case_order`] finds no names that differ only in case: no two names of `patch`,
/// and no name of `patch` and an assigned one of `base` that `patch` leaves, are equal in ASCII
/// case. The common case, settled without lowering a name; a name that is not ASCII (whose
/// lower case may be ASCII: `\u{212a}` is `k`) takes the full comparison.
///
/// It takes time linear in the number of names: the patch's names go in a set that compares
/// them in any ASCII case. (Each name compared with every other took 80 s for a patch and a
/// base of 20,000 attributes each.)
fn without_case_variants(base: Option<&Map<String, Value>>, patch: &Map<String, Value>) -> bool {
    if patch.len() <= FEW_NAMES {
        without_case_variants_by_pairs(base, patch)
    } else {
        without_case_variants_by_set(base, patch)
    }
}

/// Up to this many names, [`without_case_variants`] compares them in pairs, without
/// allocating or hashing: a user patch's dozen attributes cost a tenth of the set's price
/// (section 19 of BENCHMARKS.md); past it, the set keeps the time linear.
const FEW_NAMES: usize = 16;

/// [`without_case_variants`] for a few names: each name of `patch` compared with the names
/// after it and with the base's (in time `patch.len()` × (`patch.len()` + `base.len()`)).
fn without_case_variants_by_pairs(
    base: Option<&Map<String, Value>>,
    patch: &Map<String, Value>,
) -> bool {
    let names = patch.keys();
    for (at, name) in names.clone().enumerate() {
        if !name.is_ascii()
            || names
                .clone()
                .skip(at + 1)
                .any(|other| name.eq_ignore_ascii_case(other))
        {
            return false;
        }
        let clash = base.into_iter().flatten().any(|(other, value)| {
            (!other.is_ascii() || name.eq_ignore_ascii_case(other))
                && other != name
                && !value.is_null()
                && !patch.contains_key(other)
        });
        if clash {
            return false;
        }
    }
    true
}

/// [`without_case_variants`] for many names, in time linear in them.
fn without_case_variants_by_set(
    base: Option<&Map<String, Value>>,
    patch: &Map<String, Value>,
) -> bool {
    let mut names = HashSet::with_capacity(patch.len());
    for name in patch.keys() {
        if !name.is_ascii() || !names.insert(AsciiCaseless(name)) {
            return false;
        }
    }
    // A name of the base that the patch leaves, assigned, and equal in ASCII case to one of
    // the patch's (not the same name, which the patch would hold), or not ASCII.
    !base.into_iter().flatten().any(|(other, value)| {
        !value.is_null()
            && !patch.contains_key(other)
            && ((!other.is_ascii() && !patch.is_empty()) || names.contains(&AsciiCaseless(other)))
    })
}

/// A name that compares and hashes in any ASCII case, for [`without_case_variants_by_set`].
struct AsciiCaseless<'a>(&'a str);

impl PartialEq for AsciiCaseless<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.0.eq_ignore_ascii_case(other.0)
    }
}

impl Eq for AsciiCaseless<'_> {}

impl core::hash::Hash for AsciiCaseless<'_> {
    fn hash<H: core::hash::Hasher>(&self, state: &mut H) {
        for byte in self.0.bytes() {
            state.write_u8(byte.to_ascii_lowercase());
        }
        // The end, as `str`'s own hash marks it.
        state.write_u8(0xff);
    }
}

/// `value` merged into nothing: an object patch without its `null` members (RFC 7396 §2).
fn built(value: &Value) -> Value {
    let mut built = Value::Null;
    merge_patch(&mut built, value.clone());
    built
}

/// Whether the resource holds a value there (SCIM's unassigned is absent or `null`).
fn assigned(value: Option<&Value>) -> bool {
    value.is_some_and(|value| !value.is_null())
}

/// The operations for one attribute's change, at `depth` 0 (an attribute) or 1 (a
/// sub-attribute, where SCIM paths end).
fn attribute_operations(
    path: &str,
    current: Option<&Value>,
    change: &Value,
    depth: usize,
    operations: &mut Vec<ScimOperation>,
) -> Result<(), DialectError> {
    match (current, change) {
        (current, Value::Null) => {
            if assigned(current) {
                operations.push(ScimOperation::remove(path));
            }
        }
        (Some(Value::Object(current)), Value::Object(change)) if depth == 0 => {
            for member in in_case_order(Some(current), change, |name| format!("{path}.{name}"))? {
                let name = checked_name(member.name, Some(path))?;
                let sub_path = format!("{path}.{name}");
                attribute_operations(&sub_path, member.current, &member.change, 1, operations)?;
            }
        }
        (Some(Value::Object(object)), Value::Object(_)) => {
            let mut merged = Value::Object(object.clone());
            merge_patch(&mut merged, change.clone());
            if merged != Value::Object(object.clone()) {
                operations.push(ScimOperation::remove(path));
                operations.push(ScimOperation::replace(path, merged));
            }
        }
        (_, Value::Object(members)) => {
            // An attribute set whole: its members are sub-attributes, whose names are refused
            // as they are in a path (`name.a b`), whether or not the base holds the attribute.
            if depth == 0 {
                for name in members.keys() {
                    checked_name(name, Some(path))?;
                }
            }
            operations.push(ScimOperation::replace(path, built(change)));
        }
        (Some(current), change) if current == change => {}
        (_, change) => operations.push(ScimOperation::replace(path, change.clone())),
    }
    Ok(())
}

/// The operations that turn the keyed array `name` (elements identified by `key`) from
/// `current` into `target`.
fn keyed_operations(
    name: &str,
    key: &str,
    current: Option<&Value>,
    target: &[Value],
    operations: &mut Vec<ScimOperation>,
) -> Result<(), DialectError> {
    checked_name(key, Some(name))?;
    // The target's keys are checked whatever is sent; on the element-by-element path
    // `diff_keyed` checks them, so only the other paths check them alone.
    let check_target = || diff_keyed(name, key, &[], target).map(drop);
    let whole = || Value::Array(target.to_vec());
    let base = match current {
        Some(Value::Array(base)) if !base.is_empty() => base,
        // The empty array too is set whole, as the merge patch sets it.
        Some(Value::Array(_)) if target.is_empty() => return Ok(()),
        _ => {
            check_target()?;
            operations.push(ScimOperation::replace(name, whole()));
            return Ok(());
        }
    };
    if target.is_empty() {
        operations.push(ScimOperation::replace(name, whole()));
        return Ok(());
    }
    let diff = match diff_keyed(name, key, base, target) {
        Ok(diff) => diff,
        Err(error) => {
            // A fault of the target's own comes first, whatever the base holds.
            check_target()?;
            match error {
                // Elements that share a key in the base (two clients that each added one,
                // SCIM `add` appending both), or one without a usable key, cannot be named by
                // a filter: the whole target array replaces them, which also repairs the
                // attribute.
                DialectError::DuplicateKey {
                    in_patch: false, ..
                }
                | DialectError::ElementWithoutKey {
                    in_patch: false, ..
                } => {
                    operations.push(ScimOperation::replace(name, whole()));
                    return Ok(());
                }
                error => return Err(error),
            }
        }
    };
    if diff.changes.is_empty() && diff.order_kept {
        return Ok(());
    }
    // Keys that differ only in case: a filter that names one may select the other too, so
    // only `add` (which names no element) is sent element by element then.
    let filtered = diff
        .changes
        .iter()
        .any(|change| !matches!(change, ElementChange::Added { .. }));
    if filtered && differ_only_in_case(base, key) {
        operations.push(ScimOperation::replace(name, whole()));
        return Ok(());
    }
    match element_operations(name, key, base, diff.changes, diff.order_kept)? {
        Some(element_operations) => operations.extend(element_operations),
        None => operations.push(ScimOperation::replace(name, whole())),
    }
    Ok(())
}

/// Whether two elements of `base` have string keys that differ only in case. A filter compares
/// strings in any case unless the attribute is `caseExact` (RFC 7644 §3.4.2.2; RFC 7643 §2.2
/// makes `false` the default), so `emails[type eq "work"]` may also select the `Work` element.
///
/// RFC 7644 does not say which comparison "in any case" is, so two keys are variants when their
/// lower cases or their upper cases are equal: a server that compares upper cases (Java's
/// `equalsIgnoreCase` does, character by character, as most SCIM servers run) takes the
/// dotless `ı` for `i` and the final `ς` for `σ`, whose lower cases differ.
fn differ_only_in_case(base: &[Value], key: &str) -> bool {
    let (mut lower, mut upper) = (HashSet::new(), HashSet::new());
    base.iter()
        .filter_map(|element| element.get(key).and_then(Value::as_str))
        .any(|text| !lower.insert(text.to_lowercase()) || !upper.insert(text.to_uppercase()))
}

/// The element-by-element operations of a keyed array, or `None` when only the whole array
/// says the change: an element moved, or changed below a sub-attribute.
fn element_operations(
    name: &str,
    key: &str,
    base: &[Value],
    changes: Vec<ElementChange>,
    order_kept: bool,
) -> Result<Option<Vec<ScimOperation>>, DialectError> {
    if !order_kept {
        return Ok(None);
    }
    let filter = |value: &Value| {
        let literal = scim_filter_value(value).unwrap_or_else(|| value.to_string());
        format!("{name}[{key} eq {literal}]")
    };
    // The base's elements by key, built once: a scan of `base` per changed element made the
    // output quadratic (20,000 changed elements took 28 s). `diff_keyed` has checked that the
    // base's keys are unique.
    let mut by_key: Option<HashMap<String, &Map<String, Value>>> = None;
    let mut operations = Vec::new();
    let mut added = Vec::new();
    for change in changes {
        match change {
            ElementChange::Removed { key: value } => {
                operations.push(ScimOperation::remove(filter(&value)));
            }
            ElementChange::Added { element, .. } => added.push(element),
            ElementChange::Changed {
                key: value,
                element,
                patch,
            } => {
                let by_key = by_key.get_or_insert_with(|| {
                    base.iter()
                        .filter_map(|element| {
                            let object = element.as_object()?;
                            Some((key_identity(object.get(key)?), object))
                        })
                        .collect()
                });
                let empty = Map::new();
                let current = by_key.get(&key_identity(&value)).copied().unwrap_or(&empty);
                // Sub-attributes that differ only in case and would both stay: the whole
                // array says it.
                let Ok(patch) = in_case_order(Some(current), &patch, str::to_owned) else {
                    return Ok(None);
                };
                for InCase {
                    name: sub,
                    change,
                    current: now,
                } in patch
                {
                    // A sub-attribute that a path cannot name: the whole array says it.
                    if checked_name(sub, Some(name)).is_err() {
                        return Ok(None);
                    }
                    let path = format!("{}.{sub}", filter(&value));
                    match change.as_ref() {
                        Value::Null => {
                            if assigned(now) {
                                operations.push(ScimOperation::remove(path));
                            }
                        }
                        Value::Object(_) if now.is_some_and(Value::is_object) => return Ok(None),
                        _ => {
                            let value = element.get(sub).cloned().unwrap_or(Value::Null);
                            operations.push(ScimOperation::replace(path, value));
                        }
                    }
                }
            }
        }
    }
    if !added.is_empty() {
        operations.push(ScimOperation::add(name, Value::Array(added)));
    }
    Ok(Some(operations))
}

#[cfg(test)]
mod tests {
    use serde_json::{Map, Value, json};

    /// The two ways of [`super::without_case_variants`] agree, on names equal in ASCII case or
    /// not, not ASCII, in the base assigned or null, left or taken by the patch.
    #[test]
    fn pairs_and_set_agree() {
        let names = ["a", "A", "b", "B", "\u{212a}", "k", "K", "ab", "aB"];
        let mut seed = 7_u64;
        let mut next = move || {
            seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
            seed >> 33
        };
        for _ in 0..5_000 {
            let mut object = |values: &[Value]| -> Map<String, Value> {
                (0..next() % 5)
                    .map(|_| {
                        let name = names[(next() % names.len() as u64) as usize];
                        let value = values[(next() % values.len() as u64) as usize].clone();
                        (name.to_owned(), value)
                    })
                    .collect()
            };
            let patch = object(&[json!(1), Value::Null]);
            let base = object(&[json!(2), Value::Null]);
            for base in [None, Some(&base)] {
                assert_eq!(
                    super::without_case_variants_by_pairs(base, &patch),
                    super::without_case_variants_by_set(base, &patch),
                    "{base:?} {patch:?}"
                );
            }
        }
    }
}
