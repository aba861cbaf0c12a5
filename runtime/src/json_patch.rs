//! RFC 6902 JSON Patch from a JSON merge patch and the document it applies to:
//! [`JsonPatchOperation`] and [`json_patch_from_merge`].

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::{DialectError, merge_patch};

/// The media type of an RFC 6902 JSON Patch document (RFC 6902 §6), the `Content-Type` of a
/// `PATCH` whose body is [`Patch::to_json_patch`](crate::Patch::to_json_patch)'s operations:
/// `application/json-patch+json`.
///
/// ```
/// assert_eq!(sparse_patch::JSON_PATCH_CONTENT_TYPE, "application/json-patch+json");
/// ```
pub const JSON_PATCH_CONTENT_TYPE: &str = "application/json-patch+json";

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

/// What makes `path` other than a JSON Pointer (RFC 6901 §3: `*( "/" reference-token )`,
/// where `~` is escaped as `~0` and `/` as `~1`), or `None` for a pointer.
pub(crate) fn pointer_fault(path: &str) -> Option<String> {
    if !path.is_empty() && !path.starts_with('/') {
        return Some(String::from(r#"it must be empty or start with "/""#));
    }
    let bytes = path.as_bytes();
    // Bytes: `~`, `0` and `1` are ASCII, and no byte of a multi-byte UTF-8 sequence is.
    bytes
        .iter()
        .enumerate()
        .find(|&(at, &byte)| byte == b'~' && !matches!(bytes.get(at + 1), Some(b'0' | b'1')))
        .map(|(at, _)| {
            format!(
                r#""~" at byte {at} is not followed by "0" or "1" (a token writes "~" as "~0" and "/" as "~1")"#
            )
        })
}

/// Writes `token` as one reference token of a JSON Pointer (RFC 6901 §3): `~` becomes `~0`
/// and `/` becomes `~1`.
///
/// ```
/// assert_eq!(sparse_patch::escape_pointer_token("a/b~c"), "a~1b~0c");
/// ```
#[must_use]
pub fn escape_pointer_token(token: &str) -> String {
    let mut escaped = String::with_capacity(token.len());
    push_pointer_token(&mut escaped, token);
    escaped
}

/// Appends `token` to `pointer` escaped as [`escape_pointer_token`] escapes it, without
/// allocating a copy of it.
fn push_pointer_token(pointer: &mut String, token: &str) {
    let mut rest = token;
    // Bytes, not chars: `~` and `/` are ASCII, and no byte of a multi-byte UTF-8 sequence is.
    while let Some(at) = rest.bytes().position(|byte| byte == b'~' || byte == b'/') {
        pointer.push_str(&rest[..at]);
        pointer.push_str(if rest.as_bytes()[at] == b'~' {
            "~0"
        } else {
            "~1"
        });
        rest = &rest[at + 1..];
    }
    pointer.push_str(rest);
}

/// The RFC 6902 operations that do the work of the JSON merge patch `merge` (RFC 7396) on
/// `base`: applied to `base` with an RFC 6902 implementation they give the document that the
/// merge patch gives.
///
/// A member that the merge patch sets to `null` is removed, where `base` holds a value for it
/// (an empty one, `[]` or `{}`, which a server's document may lack, is added first, so that
/// the `remove` finds it);
/// an object merges member by member into an object, and is added whole, without its `null`
/// members, where `base` has no object; an object of `base` that holds nothing but empty
/// values (`null`, `[]`, `{}`), which a server's document may lack, is added whole with the
/// change merged into it; any other value is added where it differs from
/// `base`'s. Values are set with `add`, which replaces an existing member (RFC 6902 §4.1), so
/// the operations also hold on a server's document that lacks a member the model's JSON has
/// (a `null` member of `base` counts as absent). Arrays are replaced whole, as in the merge
/// patch.
///
/// ```
/// use serde_json::json;
/// use sparse_patch::{JsonPatchOperation, json_patch_from_merge};
///
/// let base = json!({"name": {"given": "David", "family": "Spanner"}, "nickname": "Dave"});
/// let merge = json!({"name": {"given": "Dave"}, "nickname": null, "title": "Dr"});
/// let operations = json_patch_from_merge(&base, &merge).unwrap();
/// assert_eq!(
///     serde_json::to_value(&operations).unwrap(),
///     json!([
///         {"op": "add", "path": "/name/given", "value": "Dave"},
///         {"op": "remove", "path": "/nickname"},
///         {"op": "add", "path": "/title", "value": "Dr"}
///     ])
/// );
/// ```
///
/// # Errors
///
/// [`DialectError::NotAnObject`] when `base` or `merge` is not an object: a merge patch that
/// is not an object replaces the whole document, which needs no operations list.
pub fn json_patch_from_merge(
    base: &Value,
    merge: &Value,
) -> Result<Vec<JsonPatchOperation>, DialectError> {
    let Value::Object(base) = base else {
        return Err(DialectError::NotAnObject { what: "model" });
    };
    let Value::Object(merge) = merge else {
        return Err(DialectError::NotAnObject { what: "patch" });
    };
    let mut operations = Vec::new();
    members(base, merge, &mut String::new(), &mut operations);
    Ok(operations)
}

/// The operations for the members of an object merge patch on an object, under `pointer`.
///
/// Objects nested up to [`SHALLOW_DEPTH`] levels are walked by recursion, without
/// allocating; deeper ones (built in code: serde_json reads at most 128 levels of text) with
/// a heap stack ([`members_deep`]), so that values of any depth are compared without
/// overflowing the thread's stack (recursion overflowed it at 100,000 levels in a test
/// thread, where `merge_patch` and `merge_diff` work). Which objects of the base may be
/// missing is remembered past that depth ([`MayBeMissing`]), so that each is looked through
/// once, not once per object around it (which took time quadratic in the depth).
fn members(
    base: &Map<String, Value>,
    merge: &Map<String, Value>,
    pointer: &mut String,
    operations: &mut Vec<JsonPatchOperation>,
) {
    members_shallow(
        base,
        merge,
        pointer,
        operations,
        &mut MayBeMissing::default(),
        SHALLOW_DEPTH,
    );
}

/// [`members`] by recursion, for `depth` more levels of objects; [`members_deep`] below.
fn members_shallow(
    base: &Map<String, Value>,
    merge: &Map<String, Value>,
    pointer: &mut String,
    operations: &mut Vec<JsonPatchOperation>,
    may_be_missing: &mut MayBeMissing,
    depth: usize,
) {
    for (name, change) in merge {
        let length = pointer.len();
        if let Some((object, change)) =
            member(base, name, change, pointer, operations, may_be_missing)
        {
            match depth.checked_sub(1) {
                Some(depth) => {
                    members_shallow(object, change, pointer, operations, may_be_missing, depth);
                }
                None => members_deep(object, change, pointer, operations, may_be_missing),
            }
        }
        pointer.truncate(length);
    }
}

/// [`members`] with a heap stack, for objects of any depth.
fn members_deep(
    base: &Map<String, Value>,
    merge: &Map<String, Value>,
    pointer: &mut String,
    operations: &mut Vec<JsonPatchOperation>,
    may_be_missing: &mut MayBeMissing,
) {
    /// Objects of the base and the merge patch being compared: the pointer's length before
    /// their own token (`None` at the top), and the merge patch's members still to compare.
    struct Pending<'a> {
        length: Option<usize>,
        base: &'a Map<String, Value>,
        merge: serde_json::map::Iter<'a>,
    }
    let mut stack = vec![Pending {
        length: None,
        base,
        merge: merge.iter(),
    }];
    while let Some(top) = stack.last_mut() {
        let Some((name, change)) = top.merge.next() else {
            if let Some(Pending {
                length: Some(length),
                ..
            }) = stack.pop()
            {
                pointer.truncate(length);
            }
            continue;
        };
        let length = pointer.len();
        match member(top.base, name, change, pointer, operations, may_be_missing) {
            // The pointer keeps this member's token until its members are done.
            Some((object, change)) => stack.push(Pending {
                length: Some(length),
                base: object,
                merge: change.iter(),
            }),
            None => pointer.truncate(length),
        }
    }
}

/// An object of the base and the object merged into it, whose members are compared next.
type Objects<'a> = (&'a Map<String, Value>, &'a Map<String, Value>);

/// The operations for the member `name` of an object merge patch, `change`, on the object
/// `base`: pushes `name`'s token onto `pointer`, and either the member's operations onto
/// `operations`, or, for an object merged into an object, returns both, whose members are
/// then compared under `pointer` (the caller takes the token off after them).
fn member<'a>(
    base: &'a Map<String, Value>,
    name: &str,
    change: &'a Value,
    pointer: &mut String,
    operations: &mut Vec<JsonPatchOperation>,
    may_be_missing: &mut MayBeMissing,
) -> Option<Objects<'a>> {
    pointer.push('/');
    push_pointer_token(pointer, name);
    // A `null` member of the base is treated as absent: RFC 7396 stores no `null` member,
    // so a model's `null` (an `Option` without `skip_serializing_if`) is a member that the
    // server's document lacks.
    match (base.get(name).filter(|value| !value.is_null()), change) {
        (None, Value::Null) => {}
        (Some(current), Value::Null) => {
            // An empty value may be missing from the server's document, where `remove`
            // fails (RFC 6902 §4.2): `add` makes it exist first.
            if may_be_missing.check(current) {
                operations.push(add(pointer, without_nulls(current)));
            }
            operations.push(JsonPatchOperation::Remove {
                path: pointer.clone(),
            });
        }
        (Some(current @ Value::Object(object)), Value::Object(change))
            if !may_be_missing.check(current) =>
        {
            return Some((object, change));
        }
        // An object with nothing in it but empty values may be missing from the server's
        // document too, and a path below it would then have no parent (RFC 6902 §4.1): it
        // is added whole, merged, which gives the same document.
        (current, Value::Object(_)) => {
            let mut value = match current {
                Some(object @ Value::Object(_)) => without_nulls(object),
                _ => Value::Null,
            };
            merge_patch(&mut value, change.clone());
            // `{}` on a base's `{}` changes nothing.
            if current != Some(&value) {
                operations.push(add(pointer, value));
            }
        }
        (Some(current), change) if current == change => {}
        (_, change) => operations.push(add(pointer, change.clone())),
    }
    None
}

/// Whether a value of the base is one that a server storing no empty value may lack: `null`,
/// `[]`, or an object of nothing but such values (`{}`, `{"a": null, "b": {}}`).
///
/// The answer for each object looked through is kept (by its address: the base is borrowed,
/// unchanged, for the whole walk), so that [`members`], which asks for an object and then for
/// the objects inside it, looks through each once: an object found whole is known to be
/// empty, and the objects around a value that is not empty are known not to be. It uses a
/// heap stack, not recursion.
#[derive(Default)]
struct MayBeMissing {
    known: std::collections::HashMap<*const Map<String, Value>, bool>,
}

/// How deep [`members`] and [`MayBeMissing::check`] go by recursion, without allocating or
/// remembering, before they walk with a heap stack: deeper than any JSON text that serde_json
/// reads (128 levels), so that only values built in code take the walk.
const SHALLOW_DEPTH: usize = 160;

/// [`MayBeMissing::check`] by recursion, `None` past `depth` levels of objects.
fn shallow_may_be_missing(value: &Value, depth: usize) -> Option<bool> {
    match value {
        Value::Null => Some(true),
        Value::Array(elements) => Some(elements.is_empty()),
        Value::Object(object) => {
            let depth = depth.checked_sub(1)?;
            for value in object.values() {
                if !shallow_may_be_missing(value, depth)? {
                    return Some(false);
                }
            }
            Some(true)
        }
        _ => Some(false),
    }
}

impl MayBeMissing {
    fn check(&mut self, value: &Value) -> bool {
        if let Some(answer) = shallow_may_be_missing(value, SHALLOW_DEPTH) {
            return answer;
        }
        let root = match value {
            Value::Null => return true,
            Value::Array(elements) => return elements.is_empty(),
            Value::Object(object) => object,
            _ => return false,
        };
        if let Some(&known) = self.known.get(&core::ptr::from_ref(root)) {
            return known;
        }
        // The objects from `root` down to the one being looked through, each with its values
        // still to look at.
        let mut path = vec![(root, root.values())];
        while let Some((object, values)) = path.last_mut() {
            let object = *object;
            let empty = match values.next() {
                None => {
                    self.known.insert(core::ptr::from_ref(object), true);
                    path.pop();
                    continue;
                }
                Some(Value::Null) => true,
                Some(Value::Array(elements)) => elements.is_empty(),
                Some(Value::Object(inner)) => match self.known.get(&core::ptr::from_ref(inner)) {
                    Some(&known) => known,
                    None => {
                        path.push((inner, inner.values()));
                        continue;
                    }
                },
                Some(_) => false,
            };
            if !empty {
                for (object, _) in path {
                    self.known.insert(core::ptr::from_ref(object), false);
                }
                return false;
            }
        }
        true
    }
}

/// `value` without the `null` members of its objects, at any depth (RFC 7396 §2 applied to
/// nothing), as a server that stores no `null` holds it.
fn without_nulls(value: &Value) -> Value {
    <Value as crate::MergeJson>::from_patch(value.clone())
}

/// `add`, which sets an object member whether it exists or not (RFC 6902 §4.1): the operations
/// then hold on the server's document also where it lacks a member that the model's JSON
/// holds (an empty array of `#[serde(default)]`).
fn add(pointer: &str, value: Value) -> JsonPatchOperation {
    JsonPatchOperation::Add {
        path: pointer.to_owned(),
        value,
    }
}

#[cfg(test)]
mod tests {
    use super::{JsonPatchOperation, escape_pointer_token, pointer_fault};

    /// RFC 6901 §3's definition: `~` to `~0` first, then `/` to `~1` (so that `~1` in a name
    /// becomes `~01`, not `/`).
    fn by_definition(token: &str) -> String {
        token.replace('~', "~0").replace('/', "~1")
    }

    #[test]
    fn escapes_as_rfc_6901_defines() {
        for token in [
            "", "~", "/", "~1", "~0", "a/b~c", "~~//", "/~/", "é/ü~ß", "plain", "a~", "/a",
        ] {
            assert_eq!(
                escape_pointer_token(token),
                by_definition(token),
                "{token:?}"
            );
        }
    }

    /// RFC 6901 §3's grammar: the root `""`, `/` (the key `""`), escapes `~0` and `~1` (`~01`
    /// is the key `~1`), tokens that look like array indexes (`-`, `01`, huge ones: their
    /// meaning depends on the document, not on the grammar) and text that is not ASCII are
    /// pointers; a path without its leading `/` and a `~` without `0` or `1` are not.
    #[test]
    fn pointers_as_rfc_6901_reads_them() {
        for pointer in [
            "",
            "/",
            "//",
            "/~01",
            "/a~1b/~0",
            "/-",
            "/01",
            "/99999999999999999999999",
            "/é/ü",
            "/ ",
        ] {
            assert_eq!(pointer_fault(pointer), None, "{pointer:?}");
        }
        for (path, fault) in [
            ("a", r#"it must be empty or start with "/""#),
            (" /a", r#"it must be empty or start with "/""#),
            ("#/a", r#"it must be empty or start with "/""#),
            ("/~", r#""~" at byte 1 is not followed by "0" or "1""#),
            ("/a~2", r#""~" at byte 2 is not followed by "0" or "1""#),
            ("/é~/", r#""~" at byte 3 is not followed by "0" or "1""#),
            ("/~0~", r#""~" at byte 3 is not followed by "0" or "1""#),
        ] {
            let found = pointer_fault(path).unwrap_or_default();
            assert!(found.starts_with(fault), "{path:?}: {found}");
        }
    }

    /// An operation that RFC 6902 §4 does not name, or one of its names in another case,
    /// ends the reading of the whole document, naming the `op`: one read as nothing would
    /// drop what it says from the operations after it.
    #[test]
    fn other_operations_are_refused_by_name() {
        for (document, op) in [
            (r#"[{"op": "spam", "path": "/a", "value": 1}]"#, "spam"),
            (r#"[{"op": "Move", "from": "/a", "path": "/b"}]"#, "Move"),
            (
                r#"[{"op": "TEST", "path": "/a", "value": 1}, {"op": "remove", "path": "/a"}]"#,
                "TEST",
            ),
            (r#"[{"op": "Add", "path": "/a", "value": 1}]"#, "Add"),
        ] {
            let error = serde_json::from_str::<Vec<JsonPatchOperation>>(document).unwrap_err();
            assert!(
                error.to_string().starts_with(&format!(
                    "unknown variant `{op}`, expected one of `add`, `remove`, `replace`, `move`, `copy`, `test`"
                )),
                "{document}: {error}"
            );
        }
    }

    /// The six operations of RFC 6902 §4 are read, `move` and `copy` with their `from`.
    #[test]
    fn the_six_operations_are_read() {
        let read: Vec<JsonPatchOperation> = serde_json::from_str(
            r#"[{"op": "move", "from": "/a", "path": "/b"},
                {"op": "copy", "from": "/b", "path": "/c"},
                {"op": "test", "path": "/c", "value": null}]"#,
        )
        .unwrap();
        assert_eq!(
            read,
            [
                JsonPatchOperation::Move {
                    from: "/a".into(),
                    path: "/b".into()
                },
                JsonPatchOperation::Copy {
                    from: "/b".into(),
                    path: "/c".into()
                },
                JsonPatchOperation::Test {
                    path: "/c".into(),
                    value: serde_json::Value::Null
                },
            ]
        );
        // Written back as RFC 6902 writes them.
        assert_eq!(
            serde_json::to_string(&read[..2]).unwrap(),
            r#"[{"op":"move","from":"/a","path":"/b"},{"op":"copy","from":"/b","path":"/c"}]"#
        );
    }

    /// An operation object that breaks RFC 6902 §4's rules is refused, not read with a
    /// default: a member it needs missing or `null` (a `test` without `value` is no test for
    /// `null`), an `op` that is not a string, a member given twice (RFC 6902 §4 and
    /// Appendix A.13; RFC 8259 §4 leaves a duplicate's meaning to the reader). Members that
    /// it does not define are ignored (RFC 6902 §4, Appendix A.11).
    #[test]
    fn operations_that_break_the_rules_of_section_4_are_refused() {
        for (operation, error) in [
            (r#"{"op": "add", "value": 1}"#, "missing field `path`"),
            (
                r#"{"op": "add", "path": null, "value": 1}"#,
                "invalid type: null",
            ),
            (r#"{"op": "add", "path": "/-"}"#, "missing field `value`"),
            (
                r#"{"op": "replace", "path": "/0"}"#,
                "missing field `value`",
            ),
            (r#"{"op": "test", "path": "/0"}"#, "missing field `value`"),
            (r#"{"op": "copy", "path": "/-"}"#, "missing field `from`"),
            (r#"{"op": "move", "path": ""}"#, "missing field `from`"),
            (
                r#"{"op": "move", "from": "a", "path": "/b"}"#,
                r#"the `from` "a" is not a JSON Pointer"#,
            ),
            (r#"{"op": 1, "path": "/a"}"#, "invalid type: integer `1`"),
            (r#"{"path": "/a"}"#, "missing field `op`"),
            (
                r#"{"op": "add", "path": "/a", "value": 1, "op": "remove"}"#,
                "duplicate field `op`",
            ),
            (
                r#"{"op": "add", "path": "/a", "path": "/b", "value": 1}"#,
                "duplicate field `path`",
            ),
            (
                r#"{"op": "add", "path": "/a", "value": 1, "value": 2}"#,
                "duplicate field `value`",
            ),
        ] {
            let read = serde_json::from_str::<JsonPatchOperation>(operation);
            let text =
                read.map_or_else(|error| error.to_string(), |read| format!("read: {read:?}"));
            assert!(text.starts_with(error), "{operation}: {text}");
        }
        let read: JsonPatchOperation = serde_json::from_str(
            r#"{"op": "add", "path": "/a", "value": 1, "xyz": 123, "from": "/b"}"#,
        )
        .unwrap();
        assert_eq!(
            read,
            JsonPatchOperation::Add {
                path: "/a".into(),
                value: 1.into()
            }
        );
    }

    /// Every operation reads its `path` as a pointer, and says which one is wrong.
    #[test]
    fn each_operation_refuses_a_path_that_is_no_pointer() {
        for operation in [
            r#"{"op": "add", "path": "a/b", "value": 1}"#,
            r#"{"op": "remove", "path": "a/b"}"#,
            r#"{"op": "replace", "path": "a/b", "value": 1}"#,
            r#"{"op": "move", "from": "/a", "path": "a/b"}"#,
            r#"{"op": "test", "path": "a/b", "value": 1}"#,
        ] {
            let error = serde_json::from_str::<JsonPatchOperation>(operation).unwrap_err();
            assert!(
                error
                    .to_string()
                    .starts_with(r#"the path "a/b" is not a JSON Pointer (RFC 6901 §3)"#),
                "{operation}: {error}"
            );
        }
        // A `from` that is no pointer is named as the `from` (it was "the path").
        for operation in [
            r#"{"op": "copy", "from": "a/b", "path": "/a"}"#,
            r#"{"op": "move", "from": "a/b", "path": "/a"}"#,
        ] {
            let error = serde_json::from_str::<JsonPatchOperation>(operation).unwrap_err();
            assert!(
                error
                    .to_string()
                    .starts_with(r#"the `from` "a/b" is not a JSON Pointer (RFC 6901 §3)"#),
                "{operation}: {error}"
            );
        }
        let read: JsonPatchOperation =
            serde_json::from_str(r#"{"op": "remove", "path": "/~01"}"#).unwrap();
        assert_eq!(
            read,
            JsonPatchOperation::Remove {
                path: String::from("/~01")
            }
        );
    }
}
