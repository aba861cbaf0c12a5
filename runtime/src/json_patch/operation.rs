//! [`JsonPatchOperation`], one RFC 6902 operation (RFC 6902 §4), and its reading: from a JSON
//! object only, its `path` and `from` JSON Pointers (RFC 6901 §3).

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::pointer_syntax::pointer_fault;

/// One RFC 6902 operation: `add` (§4.1), `remove` (§4.2), `replace` (§4.3), `move` (§4.4),
/// `copy` (§4.5) or `test` (§4.6). [`Patch::to_json_patch`](crate::Patch::to_json_patch)
/// writes `add` and `remove`; the others are here to read documents of other origins
/// ([`apply_json_patch`](crate::apply_json_patch) applies all six) and to write by hand, such
/// as a `test` of a version put before `to_json_patch`'s operations for optimistic
/// concurrency (its example shows one). `path` and `from` are
/// JSON Pointers (RFC 6901) whose tokens escape `~` as `~0` and `/` as `~1`.
///
/// A list of them serializes as an RFC 6902 document:
/// `[{"op": "replace", "path": "/name/given", "value": "Dave"}]`.
///
/// Reading one refuses a `path` or `from` that is not a JSON Pointer (RFC 6901 §3: empty, or
/// reference tokens each after a `/`, with `~` only in `~0` and `~1`), such as `name/given`
/// or `/a~2`, naming it and what is wrong with it, as RFC 6902 §5 ends a document that breaks
/// a rule; a missing `path`, `from` or `value` is `missing field` (a `test` without `value`
/// does not test for `null`); members that the operation does not define are ignored
/// (RFC 6902 §4), a member given twice (`op` too) is `duplicate field`, and an operation that
/// is not a JSON object (`["add", "/a", 1]`) is `invalid type`.
///
/// ```
/// use sparse_patch::JsonPatchOperation;
///
/// let read: Result<Vec<JsonPatchOperation>, _> =
///     serde_json::from_str(r#"[{"op": "remove", "path": "name/given"}]"#);
/// assert!(read.unwrap_err().to_string().starts_with(
///     r#"the path "name/given" is not a JSON Pointer (RFC 6901 §3): it must be empty or start with "/""#
/// ));
/// ```
///
/// As RFC 6902 §4 writes `op`, it is read in lower case only (`"Add"` is unknown, as
/// `json-patch` reads it), and an operation of another name ends the reading of the whole
/// document (RFC 6902 §4: "other values are errors").
///
/// ```
/// use sparse_patch::JsonPatchOperation;
///
/// let read: Vec<JsonPatchOperation> = serde_json::from_str(
///     r#"[{"op": "test", "path": "/etag", "value": "7"}, {"op": "remove", "path": "/nickname"}]"#,
/// )
/// .unwrap();
/// assert_eq!(read[0], JsonPatchOperation::Test { path: "/etag".into(), value: "7".into() });
/// let read: Result<Vec<JsonPatchOperation>, _> =
///     serde_json::from_str(r#"[{"op": "Test", "path": "/etag", "value": "7"}]"#);
/// assert!(read.unwrap_err().to_string().starts_with("unknown variant `Test`"));
/// ```
///
/// RFC 6902 has no other operation, but an extension may be read one day, so it is
/// `#[non_exhaustive]`: a `match` on it needs a wildcard arm.
// `remote = "Self"`: the derived reading is an inherent function that the `Deserialize` below
// calls on objects only; serde's internally tagged reading also takes an array whose first
// element is the tag (`["add", "/a", 1]`), which RFC 6902 §3 and §4 do not.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(remote = "Self", tag = "op", rename_all = "lowercase")]
#[non_exhaustive]
pub enum JsonPatchOperation {
    /// Adds the member (or replaces it, when it exists: RFC 6902 §4.1).
    Add {
        /// Where, as a JSON Pointer.
        #[serde(deserialize_with = "pointer")]
        path: String,
        /// The value.
        value: Value,
    },
    /// Removes the member, which must exist (RFC 6902 §4.2).
    Remove {
        /// Where, as a JSON Pointer.
        #[serde(deserialize_with = "pointer")]
        path: String,
    },
    /// Replaces the member's value, which must exist (RFC 6902 §4.3).
    Replace {
        /// Where, as a JSON Pointer.
        #[serde(deserialize_with = "pointer")]
        path: String,
        /// The new value.
        value: Value,
    },
    /// Removes the value at `from`, which must exist, and adds it at `path` as `add` does
    /// (RFC 6902 §4.4); `from` may not be a proper prefix of `path` (a value cannot be moved
    /// into one of its own children).
    Move {
        /// Where the value is taken from, as a JSON Pointer.
        #[serde(deserialize_with = "from_pointer")]
        from: String,
        /// Where it is added, as a JSON Pointer, read after the value was taken away.
        #[serde(deserialize_with = "pointer")]
        path: String,
    },
    /// Adds a copy of the value at `from`, which must exist, at `path` as `add` does
    /// (RFC 6902 §4.5).
    Copy {
        /// Where the value is copied from, as a JSON Pointer.
        #[serde(deserialize_with = "from_pointer")]
        from: String,
        /// Where the copy is added, as a JSON Pointer.
        #[serde(deserialize_with = "pointer")]
        path: String,
    },
    /// Succeeds when the value at `path`, which must exist, equals `value` as RFC 6902 §4.6
    /// compares JSON (numbers by their value, so `1` equals `1.0`; objects whatever the order
    /// of their members); otherwise the whole document fails (§5).
    Test {
        /// Where, as a JSON Pointer.
        #[serde(deserialize_with = "pointer")]
        path: String,
        /// The value that must be there.
        value: Value,
    },
}

impl Serialize for JsonPatchOperation {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        JsonPatchOperation::serialize(self, serializer)
    }
}

/// Reads an operation from a JSON object only (RFC 6902 §4: "Operation objects"), as the
/// JSON Schema of `feature = "schemars"` says; an array is refused, where serde's internally
/// tagged reading would take `["add", "/a", 1]` as an `add`.
impl<'de> Deserialize<'de> for JsonPatchOperation {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(OperationObject)
    }
}

/// The visitor of [`JsonPatchOperation`]'s reading: a map goes to the derived reading, any
/// other JSON is `invalid type`.
struct OperationObject;

impl<'de> serde::de::Visitor<'de> for OperationObject {
    type Value = JsonPatchOperation;

    fn expecting(&self, formatter: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        formatter.write_str("an RFC 6902 operation (a JSON object)")
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        JsonPatchOperation::deserialize(serde::de::value::MapAccessDeserializer::new(map))
    }
}

/// Reads a `path` member: a JSON Pointer (RFC 6901 §3), or the error that says what is wrong
/// with it.
fn pointer<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<String, D::Error> {
    member_pointer(deserializer, "path")
}

/// Reads the `from` member of a `move` or a `copy` as [`pointer`](fn@pointer) reads a `path`; its
/// error names `from` (it said "the path" of a bad `from`).
fn from_pointer<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<String, D::Error> {
    member_pointer(deserializer, "`from`")
}

/// Reads a member as a JSON Pointer; `member` names it in the error (`path`, `` `from` ``).
fn member_pointer<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
    member: &str,
) -> Result<String, D::Error> {
    let pointer = String::deserialize(deserializer)?;
    match pointer_fault(&pointer) {
        None => Ok(pointer),
        Some(fault) => Err(serde::de::Error::custom(format_args!(
            "the {member} {} is not a JSON Pointer (RFC 6901 §3): {fault}",
            crate::quoted::pointer(&pointer)
        ))),
    }
}
