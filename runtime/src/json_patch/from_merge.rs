//! [`json_patch_from_merge`]: the RFC 6902 operations that do a JSON merge patch's work
//! (RFC 7396) on the document it applies to, at any depth.

use serde_json::{Map, Value};

use super::JsonPatchOperation;
use super::may_be_missing::{MayBeMissing, SHALLOW_DEPTH};
use super::pointer_syntax::push_pointer_token;
use crate::{DialectError, merge_patch};

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
