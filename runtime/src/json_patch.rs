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

/// One RFC 6902 operation: `add` (§4.1), `remove` (§4.2) or `replace` (§4.3).
/// [`Patch::to_json_patch`](crate::Patch::to_json_patch) writes `add` and `remove`; `replace`
/// is here to read documents of other origins. `path` is a JSON Pointer
/// (RFC 6901) whose tokens escape `~` as `~0` and `/` as `~1`.
///
/// A list of them serializes as an RFC 6902 document:
/// `[{"op": "replace", "path": "/name/given", "value": "Dave"}]`.
///
/// Reading one refuses a `path` that is not a JSON Pointer (RFC 6901 §3: empty, or reference
/// tokens each after a `/`, with `~` only in `~0` and `~1`), such as `name/given` or `/a~2`,
/// naming it and what is wrong with it, as RFC 6902 §5 ends a document that breaks a rule;
/// members that the operation does not define are ignored (RFC 6902 §4), a member given twice
/// is `duplicate field`.
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
/// It holds three of RFC 6902's six operations. A document with `move`, `copy` or `test` is
/// refused as a whole, naming the operation, rather than read without it: dropping a `test`
/// would apply the rest without its precondition (RFC 6902 §5: the document fails as a
/// whole), and a typed patch has no way to say a `move` or a `copy`. As RFC 6902 §4 writes
/// `op`, it is read in lower case only (`"Add"` is unknown, as `json-patch` reads it).
///
/// ```
/// use sparse_patch::JsonPatchOperation;
///
/// let read: Result<Vec<JsonPatchOperation>, _> = serde_json::from_str(
///     r#"[{"op": "test", "path": "/etag", "value": "7"}, {"op": "remove", "path": "/nickname"}]"#,
/// );
/// assert!(read.unwrap_err().to_string().starts_with(
///     "unknown variant `test`, expected one of `add`, `remove`, `replace`"
/// ));
/// ```
///
/// `move`, `copy` or `test` may be added, so it is `#[non_exhaustive]`: a `match` on it
/// needs a wildcard arm.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "lowercase")]
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
}

/// Reads a `path` member: a JSON Pointer (RFC 6901 §3), or the error that says what is wrong
/// with it.
fn pointer<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<String, D::Error> {
    let path = String::deserialize(deserializer)?;
    match pointer_fault(&path) {
        None => Ok(path),
        Some(fault) => Err(serde::de::Error::custom(format_args!(
            "the path {path:?} is not a JSON Pointer (RFC 6901 §3): {fault}"
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

    /// An operation that is not held here (RFC 6902's `move`, `copy`, `test`) or an `op` in
    /// another case ends the reading of the whole document, naming the `op`: a `test` read as
    /// nothing would drop the precondition of the operations after it.
    #[test]
    fn other_operations_are_refused_by_name() {
        for (document, op) in [
            (r#"[{"op": "move", "from": "/a", "path": "/b"}]"#, "move"),
            (r#"[{"op": "copy", "from": "/a", "path": "/b"}]"#, "copy"),
            (
                r#"[{"op": "test", "path": "/a", "value": 1}, {"op": "remove", "path": "/a"}]"#,
                "test",
            ),
            (r#"[{"op": "Add", "path": "/a", "value": 1}]"#, "Add"),
        ] {
            let error = serde_json::from_str::<Vec<JsonPatchOperation>>(document).unwrap_err();
            assert!(
                error.to_string().starts_with(&format!(
                    "unknown variant `{op}`, expected one of `add`, `remove`, `replace`"
                )),
                "{document}: {error}"
            );
        }
    }

    /// Every operation reads its `path` as a pointer, and says which one is wrong.
    #[test]
    fn each_operation_refuses_a_path_that_is_no_pointer() {
        for operation in [
            r#"{"op": "add", "path": "a/b", "value": 1}"#,
            r#"{"op": "remove", "path": "a/b"}"#,
            r#"{"op": "replace", "path": "a/b", "value": 1}"#,
        ] {
            let error = serde_json::from_str::<JsonPatchOperation>(operation).unwrap_err();
            assert!(
                error
                    .to_string()
                    .starts_with(r#"the path "a/b" is not a JSON Pointer (RFC 6901 §3)"#),
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
