//! The SCIM PatchOp message (RFC 7644 §3.5.2), [`ScimPatch`], and its operations,
//! [`ScimOperation`]: their media types, and their reading in any case (RFC 7643 §2.1).

use core::fmt;

use serde::de::{self, MapAccess};
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::Value;

use super::op::ScimOp;

/// The URI that a PatchOp message lists in `schemas` (RFC 7644 §3.5.2).
pub const SCIM_PATCH_OP_SCHEMA: &str = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

/// The URI that a SCIM error response lists in `schemas` (RFC 7644 §3.12), as
/// [`PatchBodyError::scim_error`](crate::PatchBodyError::scim_error) writes it.
pub const SCIM_ERROR_SCHEMA: &str = "urn:ietf:params:scim:api:messages:2.0:Error";

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
/// is an error (`duplicate field`), and other members are ignored. So is a member given twice
/// in an object of an operation's `value`, at any depth (serde_json would keep the last). `schemas` must list
/// [`SCIM_PATCH_OP_SCHEMA`] (in any ASCII case), which RFC 7644 §3.5.2 requires of every
/// message: a message without it is an error that shows the `schemas` that arrived.
///
/// An empty `Operations` is read, as a message that changes nothing (applied, it leaves the
/// resource as it is), though RFC 7644 §3.5.2 asks for "one or more PATCH operations": it
/// reads back what [`to_scim_patch`](crate::Patch::to_scim_patch) writes for a patch that
/// changes nothing, and means nothing else. A service provider that answers such a request
/// 400 `invalidSyntax` checks [`is_empty`](ScimPatch::is_empty).
///
/// ```
/// let read = serde_json::from_str::<sparse_patch::ScimPatch>(
///     r#"{"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"], "Operations": []}"#,
/// );
/// assert!(read.unwrap_err().to_string().starts_with(
///     r#"the schemas ["urn:ietf:params:scim:schemas:core:2.0:User"] do not list urn:ietf:params:scim:api:messages:2.0:PatchOp"#
/// ));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
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

/// The message with no operation, as [`ScimPatch::new`] writes it: its `schemas` lists
/// [`SCIM_PATCH_OP_SCHEMA`] (see [`is_empty`](ScimPatch::is_empty)).
impl Default for ScimPatch {
    fn default() -> Self {
        ScimPatch::new(Vec::new())
    }
}

/// [`ScimPatch::new`].
impl From<Vec<ScimOperation>> for ScimPatch {
    fn from(operations: Vec<ScimOperation>) -> Self {
        ScimPatch::new(operations)
    }
}

/// The message of the operations, in their order, as [`ScimPatch::new`] writes it.
///
/// ```
/// use sparse_patch::{ScimOperation, ScimPatch};
///
/// let patch: ScimPatch = ["nickname", "title"].into_iter().map(ScimOperation::remove).collect();
/// assert_eq!(patch.operations[1], ScimOperation::remove("title"));
/// ```
impl FromIterator<ScimOperation> for ScimPatch {
    fn from_iter<I: IntoIterator<Item = ScimOperation>>(operations: I) -> Self {
        ScimPatch::new(operations.into_iter().collect())
    }
}

/// One operation of a [`ScimPatch`] (RFC 7644 §3.5.2): `op`, an optional attribute `path`
/// (`name.given`, `emails[type eq "work"].value`; RFC 7644 §3.5.2 "PATH") and an optional
/// `value`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
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
                    // Quoted as `Debug` writes the list, cut: the list is the request's, of any
                    // length.
                    return Err(de::Error::custom(format_args!(
                        "the schemas {:?} do not list {SCIM_PATCH_OP_SCHEMA}, which a PatchOp message must (RFC 7644 §3.5.2)",
                        crate::quoted::DebugCut(&schemas, crate::quoted::MESSAGE_CHARS)
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
                        _ => value = Some(map.next_value_seed(UniqueMembers)?),
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

/// An operation's `value` read as serde_json reads a [`Value`], except that an object that
/// gives a member twice (`{"active": "True", "active": "False"}`, at any depth) is an error:
/// serde_json keeps the last and drops the other unseen, and RFC 8259 §4 leaves what such an
/// object means to the reader ("names within an object SHOULD be unique").
struct UniqueMembers;

impl<'de> de::DeserializeSeed<'de> for UniqueMembers {
    type Value = Value;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> de::Visitor<'de> for UniqueMembers {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E>(self, value: bool) -> Result<Value, E> {
        Ok(Value::Bool(value))
    }

    fn visit_i64<E>(self, value: i64) -> Result<Value, E> {
        Ok(Value::from(value))
    }

    fn visit_u64<E>(self, value: u64) -> Result<Value, E> {
        Ok(Value::from(value))
    }

    fn visit_f64<E>(self, value: f64) -> Result<Value, E> {
        Ok(serde_json::Number::from_f64(value).map_or(Value::Null, Value::Number))
    }

    fn visit_str<E>(self, value: &str) -> Result<Value, E> {
        Ok(Value::String(value.to_owned()))
    }

    fn visit_string<E>(self, value: String) -> Result<Value, E> {
        Ok(Value::String(value))
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }

    fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(4096));
        while let Some(item) = seq.next_element_seed(UniqueMembers)? {
            items.push(item);
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut members = serde_json::Map::new();
        while let Some(name) = map.next_key::<String>()? {
            // serde_json's `arbitrary_precision` writes a number as this one-member map.
            if name == crate::number_identity::ARBITRARY_PRECISION_NUMBER && members.is_empty() {
                let number: String = map.next_value()?;
                return serde_json::from_str(&number).map_err(de::Error::custom);
            }
            if members.contains_key(&name) {
                return Err(de::Error::custom(format_args!(
                    "the value gives the member {name:?} twice, and a JSON object does not say \
                     which one holds (RFC 8259 §4)"
                )));
            }
            let value = map.next_value_seed(UniqueMembers)?;
            members.insert(name, value);
        }
        Ok(Value::Object(members))
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

/// Pushes the `replace` of the attribute at `path` with `value`, after a `remove` of it where
/// it holds an array and `value` is not one: a `replace` of a multi-valued attribute with one
/// value gives it that value as its only one ([`apply_scim_patch`](crate::apply_scim_patch),
/// RFC 7644 §3.5.2.3), where the merge patch puts the value in the array's place; the
/// `replace` of what the `remove` left absent sets it as it is.
pub(super) fn push_replace(
    path: &str,
    current: Option<&Value>,
    value: Value,
    operations: &mut Vec<ScimOperation>,
) {
    if current.is_some_and(Value::is_array) && !value.is_array() {
        operations.push(ScimOperation::remove(path));
    }
    operations.push(ScimOperation::replace(path, value));
}
