//! Reading RFC 6902 JSON Patch documents: [`apply_json_patch`] applies [`JsonPatchOperation`]s
//! to a JSON document, and [`merge_from_json_patch`] turns them into the JSON merge patch
//! (RFC 7396) that makes the same change to a base, which a derived patch reads
//! ([`Patch::from_json_patch`](crate::Patch::from_json_patch)). The inverse of
//! [`json_patch_from_merge`](crate::json_patch_from_merge).
//!
//! The error types and the two entry points are here; the errors' text ([`display`]) and
//! `Debug` ([`debug`]), the applier of one document's operations within its limits
//! ([`applier`]), each operation ([`operations`]) and the JSON Pointers they name
//! ([`pointer`](mod@pointer)) each have a file.

use serde_json::Value;

use crate::JsonPatchOperation;

mod applier;
mod debug;
mod display;
mod operations;
mod pointer;

#[cfg(test)]
pub(crate) use applier::LIMITS_MEASURED;
pub(crate) use applier::OperationApplier;
#[cfg(any(test, feature = "client"))]
pub(crate) use pointer::tokens;

/// Why RFC 6902 operations could not be read into a patch: an operation that cannot be
/// applied (RFC 6902 §5: the document then fails as a whole, and nothing is changed), or a
/// change that the patch cannot hold.
///
/// Its text quotes each JSON Pointer (a `path`, a `from`, where a fault is) escaped as Rust's
/// `Debug` writes a string, and only its first 200 characters (then `…` and its length) where
/// it is longer: a pointer of 100,000 tokens, from a request body, makes a line of a log of
/// some hundred characters. The fields hold it whole. Its `Debug` quotes them so too, and
/// serde_json's error with its message shortened.
#[non_exhaustive]
pub enum JsonPatchError {
    /// Operation `index` (from 0) could not be applied at its `path` (or, for `move` and
    /// `copy`, its `from`).
    Operation {
        /// The operation's place in the document, from 0.
        index: usize,
        /// `"add"`, `"remove"`, `"replace"`, `"move"`, `"copy"` or `"test"`.
        op: &'static str,
        /// The operation's `path`, a JSON Pointer (RFC 6901).
        path: String,
        /// The `from` of a `move` or a `copy`, a JSON Pointer; `None` for the others.
        from: Option<String>,
        /// What is wrong at the path.
        fault: PointerFault,
    },
    /// Operation `index`, a `copy`, would bring the size of all that the document's `copy`
    /// operations copied past `limit`: see [`apply_json_patch`]. Sizes count one per JSON
    /// value and member, plus the bytes of strings and member names (about the length of the
    /// values' JSON text).
    CopyLimit {
        /// The operation's place in the document, from 0.
        index: usize,
        /// The size copied with this operation, by all the `copy` operations up to it.
        copied: usize,
        /// The largest size that the document's `copy` operations may copy.
        limit: usize,
    },
    /// Operation `index` would nest the document `depth` levels of arrays and objects deep,
    /// past `limit`: see [`apply_json_patch`].
    DepthLimit {
        /// The operation's place in the document, from 0.
        index: usize,
        /// How deep the operation would nest the document, at its `path`.
        depth: usize,
        /// How deep the operation may nest the document.
        limit: usize,
    },
    /// The base model did not serialize to JSON (a map with keys that are not strings, a
    /// `Serialize` impl that failed).
    Serialize(serde_json::Error),
    /// The change is one that the patch cannot hold, as serde's reading of its merge patch
    /// (or of the changed JSON as the model) says: a required attribute removed (``invalid
    /// value: null for `email`, a required attribute that cannot be cleared``), a value of the
    /// wrong type, a key that a patch with `deny_unknown_fields` refuses; or a keyed
    /// array (`#[patchable(key = "...")]`) left with two elements of one key or one without
    /// it, which `apply` refuses ([`ApplyError`](crate::ApplyError)'s text).
    Patch(serde_json::Error),
}

/// What is wrong at the path of an RFC 6902 operation. `at` is the part of the path, a JSON
/// Pointer, where the fault was found. Its text and `Debug` quote each pointer as
/// [`JsonPatchError`]'s do, its first 200 characters and its length.
#[derive(Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum PointerFault {
    /// The path is not a JSON Pointer (RFC 6901 §3): not empty and not starting with `/`, or
    /// with a `~` other than `~0` and `~1`. (A [`JsonPatchOperation`] read from JSON has a
    /// pointer; one built in code may not.)
    NotAPointer {
        /// What is wrong with it.
        reason: String,
    },
    /// Nothing is at `at`: `remove` and `replace` need their target to exist (RFC 6902 §4.2,
    /// §4.3), and `add` its target's parent (§4.1).
    Missing {
        /// The pointer that names nothing.
        at: String,
    },
    /// `at` goes into a string, number, boolean or `null`, which has no members.
    IntoAValue {
        /// The pointer whose last token reaches into the value.
        at: String,
        /// What the value is: `"a string"`, `"a number"`, `"a boolean"`, `"null"`.
        found: &'static str,
    },
    /// A token used on an array is not an index: digits without leading zeros (RFC 6901 §4),
    /// or `-` (the element after the last) where `add` appends.
    NotAnIndex {
        /// The pointer whose last token is not an index.
        at: String,
    },
    /// An `add` at an index past the array's end (RFC 6902 §4.1: it may be the length, to
    /// append, and no more).
    PastTheEnd {
        /// The pointer of the index.
        at: String,
        /// The array's length.
        len: usize,
    },
    /// A `remove` of the whole document (the path `""`), which would leave no document.
    WholeDocument,
    /// A `test` found a value at `at` that is not equal to its `value` (RFC 6902 §4.6).
    NotEqual {
        /// The pointer of the value tested.
        at: String,
    },
    /// A `move` whose `from` is a proper prefix of its `path`: a value cannot be moved into
    /// one of its own children (RFC 6902 §4.4).
    MoveIntoChild {
        /// The `from` of the `move`.
        from: String,
    },
}
/// No [`source`](std::error::Error::source): the text already writes serde_json's error.
impl std::error::Error for JsonPatchError {}

/// Applies RFC 6902 operations to `document`, in order. `add` sets a member (replacing it, if
/// it exists) or inserts an array element (`-` appends), `remove` removes a member or element
/// that exists, `replace` sets one that exists, `move` removes the value at `from` and adds
/// it at `path`, `copy` adds a copy of it there, and `test` checks that the value at `path`
/// equals its `value` (RFC 6902 §4.1 to §4.6: numbers by value, objects in any order); the
/// path `""` is the whole document.
///
/// ```
/// use serde_json::json;
/// use sparse_patch::{JsonPatchOperation, apply_json_patch};
///
/// let mut user = json!({"name": {"given": "Ada"}, "emails": ["a@example.com"], "version": 3});
/// let operations: Vec<JsonPatchOperation> = serde_json::from_value(json!([
///     {"op": "test", "path": "/version", "value": 3.0},
///     {"op": "replace", "path": "/name/given", "value": "Grace"},
///     {"op": "add", "path": "/emails/-", "value": "b@example.com"},
///     {"op": "copy", "from": "/name", "path": "/nickname"},
/// ]))
/// .unwrap();
/// apply_json_patch(&mut user, &operations).unwrap();
/// assert_eq!(user["emails"], json!(["a@example.com", "b@example.com"]));
/// assert_eq!(user["nickname"], json!({"given": "Grace"}));
/// ```
///
/// A `copy` may copy what an earlier `copy` made, so a few operations could make a document
/// twice as large each (`copy` from `/a` to `/a/-`, again and again: a body of a kilobyte
/// asking for gigabytes). All that one call's `copy` operations copy together is bounded by
/// the size of the document and of the operations' values, or 16 MiB where that is smaller
/// ([`JsonPatchError::CopyLimit`]): so the copies add at most the size of the document and
/// the operations (or 16 MiB), and a caller that bounds the size of a request's body and of
/// the stored document bounds the result too.
/// (`add` and `replace` bring only values that the operations hold, and `move` takes its
/// value away from where it was.) A caller that needs a tighter bound on the result checks
/// its size after the call.
///
/// Likewise, `copy` and `move` may nest the document only as deep as the document or an
/// applied `add` or `replace` of the operations nests it, or 512 levels of arrays and objects where
/// that is deeper ([`JsonPatchError::DepthLimit`]): each `copy` of `/a` into the deepest
/// member of `/a` doubles its depth, and serde_json clones, drops and writes a `Value` by
/// recursion, which overflowed the thread's stack (aborting the process) at some thousands
/// of levels, reached from a 52 KB body. An `add` or `replace` places the operation's own
/// value where the document already reaches, and raises the limit so far; so a `copy` of `{}`
/// to just below the deepest object of a document deeper than the limit's floor is refused
/// where an `add` of the same `{}` at the same path applies. Each `add` or `replace` may nest
/// the document as deep as it was plus the depth of the operations' deepest value, or 512
/// levels where that is deeper: 150 `add`s of a value 120 levels deep, each at the deepest
/// place that the one before it made, nested the document 18,000 levels deep from a 2.8 MB
/// body.
///
/// # Errors
///
/// [`JsonPatchError::Operation`] for the first operation that cannot be applied, naming its
/// [`PointerFault`], [`JsonPatchError::CopyLimit`] for a `copy` past the bound above, or
/// [`JsonPatchError::DepthLimit`] for an operation past the depths above;
/// `document` is then left as it was (RFC 6902 §5: the document fails as a whole).
pub fn apply_json_patch(
    document: &mut Value,
    operations: &[JsonPatchOperation],
) -> Result<(), JsonPatchError> {
    let mut changed = document.clone();
    let mut applier = OperationApplier::new(document, operations);
    for (index, operation) in operations.iter().enumerate() {
        applier.apply(&mut changed, index, operation)?;
    }
    *document = changed;
    Ok(())
}

/// The JSON merge patch (RFC 7396) that makes, on `base`, the change that the RFC 6902
/// `operations` make: [`merge_diff`](crate::merge_diff) between `base` and `base` with the
/// operations applied ([`apply_json_patch`]). A changed array is sent whole, as RFC 7396 sends
/// arrays; `null` members that the operations add inside an object are not kept, as RFC 7396
/// reads `null` as "remove".
///
/// ```
/// use serde_json::json;
/// use sparse_patch::{JsonPatchOperation, merge_from_json_patch};
///
/// let base = json!({"name": {"given": "Ada", "family": "King"}, "title": "Countess"});
/// let operations: Vec<JsonPatchOperation> = serde_json::from_value(json!([
///     {"op": "replace", "path": "/name/given", "value": "Grace"},
///     {"op": "remove", "path": "/title"},
/// ]))
/// .unwrap();
/// assert_eq!(
///     merge_from_json_patch(&base, &operations).unwrap(),
///     json!({"name": {"given": "Grace"}, "title": null})
/// );
/// ```
///
/// # Errors
///
/// As [`apply_json_patch`].
pub fn merge_from_json_patch(
    base: &Value,
    operations: &[JsonPatchOperation],
) -> Result<Value, JsonPatchError> {
    let mut changed = base.clone();
    apply_json_patch(&mut changed, operations)?;
    Ok(crate::merge_diff(base, &changed))
}
#[cfg(test)]
mod tests;
