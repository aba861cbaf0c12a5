//! Reading RFC 6902 JSON Patch documents: [`apply_json_patch`] applies [`JsonPatchOperation`]s
//! to a JSON document, and [`merge_from_json_patch`] turns them into the JSON merge patch
//! (RFC 7396) that makes the same change to a base, which a derived patch reads
//! ([`Patch::from_json_patch`](crate::Patch::from_json_patch)). The inverse of
//! [`json_patch_from_merge`](crate::json_patch_from_merge).

use core::fmt;

use serde_json::Value;

use crate::JsonPatchOperation;
use crate::json_patch_copy_budget::{COPY_LIMIT_FLOOR, CopyBudget, CopyLimitExceeded};
use crate::json_patch_depth_limit::{DEPTH_LIMIT_FLOOR, DepthLimit, DepthLimitExceeded};
use crate::member_order::remove_member;
use crate::quoted::{ReaderError, pointer};

mod debug;

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

impl fmt::Display for JsonPatchError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            JsonPatchError::Operation {
                index,
                op,
                path,
                from,
                fault,
            } => {
                match from {
                    Some(from) => write!(
                        f,
                        "operation {index} (`{op}` from {} to {})",
                        pointer(from),
                        pointer(path)
                    )?,
                    None => write!(f, "operation {index} (`{op}` at {})", pointer(path))?,
                }
                write!(
                    f,
                    " cannot be applied: {fault}; no operation is applied (RFC 6902 §5)"
                )
            }
            JsonPatchError::CopyLimit {
                index,
                copied,
                limit,
            } => write!(
                f,
                "operation {index} (`copy`) would bring the size copied by the document's `copy` operations to {copied}, past the limit of {limit} (the size of the document and of the operations' values, at least {COPY_LIMIT_FLOOR}); no operation is applied (RFC 6902 §5)"
            ),
            JsonPatchError::DepthLimit {
                index,
                depth,
                limit,
            } => write!(
                f,
                "operation {index} would nest the document {depth} levels deep, past the limit of {limit} (the depth of the document and of the operations' values, at least {DEPTH_LIMIT_FLOOR}); no operation is applied (RFC 6902 §5)"
            ),
            JsonPatchError::Serialize(error) => write!(
                f,
                "the base model does not serialize to JSON: {}",
                ReaderError(error)
            ),
            JsonPatchError::Patch(error) => write!(
                f,
                "the operations make a change that the patch cannot hold: {}",
                ReaderError(error)
            ),
        }
    }
}

impl fmt::Display for PointerFault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PointerFault::NotAPointer { reason } => write!(
                f,
                "the path is not a JSON Pointer (RFC 6901 §3): {}",
                crate::quoted::EscapedCut(reason, debug::REASON_CHARS)
            ),
            PointerFault::Missing { at } => write!(
                f,
                "nothing is at {} (`remove`, `replace`, `test` and a `from` need their target, `add` its parent: RFC 6902 §4)",
                pointer(at)
            ),
            PointerFault::IntoAValue { at, found } => {
                write!(
                    f,
                    "{} reaches into {found}, which has no members",
                    pointer(at)
                )
            }
            PointerFault::NotAnIndex { at } => write!(
                f,
                "the last token of {} is not an array index (digits without leading zeros, RFC 6901 §4; `-` appends, with `add` only)",
                pointer(at)
            ),
            PointerFault::PastTheEnd { at, len } => write!(
                f,
                "{} is past the end of an array of {len} element(s) (RFC 6902 §4.1)",
                pointer(at)
            ),
            PointerFault::WholeDocument => write!(f, "`remove` of the whole document"),
            PointerFault::NotEqual { at } => write!(
                f,
                "the value at {} is not equal to the tested value (RFC 6902 §4.6)",
                pointer(at)
            ),
            PointerFault::MoveIntoChild { from } => write!(
                f,
                "{} cannot be moved into one of its own children (RFC 6902 §4.4)",
                pointer(from)
            ),
        }
    }
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

/// Applies the operations of one document one at a time, within the copy and depth limits
/// that [`apply_json_patch`] measures once, on the document and all the operations, before
/// the first. [`JsonPatchPlan`](crate::JsonPatchPlan) goes on past a failing operation with
/// the same limits (measuring them again after each failure made a plan of n failing
/// operations on a document of size d cost n × (n + d)).
pub(crate) struct OperationApplier {
    copy_budget: CopyBudget,
    depth_limit: DepthLimit,
}

impl OperationApplier {
    /// The limits of `operations` applied to `document`.
    pub(crate) fn new(document: &Value, operations: &[JsonPatchOperation]) -> Self {
        #[cfg(test)]
        LIMITS_MEASURED.with(|measured| measured.set(measured.get() + 1));
        OperationApplier {
            copy_budget: CopyBudget::new(document, operations),
            depth_limit: DepthLimit::new(document, operations),
        }
    }

    /// Applies `operation`, the one at `index` of the operations, to `document`.
    ///
    /// # Errors
    ///
    /// As [`apply_json_patch`]'s, for this operation; `document` is then as it was.
    pub(crate) fn apply(
        &mut self,
        document: &mut Value,
        index: usize,
        operation: &JsonPatchOperation,
    ) -> Result<(), JsonPatchError> {
        let limits = Limits {
            copy_budget: &mut self.copy_budget,
            depth_limit: &mut self.depth_limit,
        };
        apply_one(document, operation, limits).map_err(|fault| match fault {
            Fault::At(fault) => {
                let (op, path, from) = names(operation);
                JsonPatchError::Operation {
                    index,
                    op,
                    path: path.to_owned(),
                    from: from.map(str::to_owned),
                    fault,
                }
            }
            Fault::CopyLimit { copied, limit } => JsonPatchError::CopyLimit {
                index,
                copied,
                limit,
            },
            Fault::DepthLimit { depth, limit } => JsonPatchError::DepthLimit {
                index,
                depth,
                limit,
            },
        })
    }
}

#[cfg(test)]
thread_local! {
    /// How many times this thread measured the limits of operations ([`OperationApplier::new`]
    /// walks the document and every operation's value): a plan's test counts them.
    pub(crate) static LIMITS_MEASURED: core::cell::Cell<usize> = const { core::cell::Cell::new(0) };
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

/// Why one operation failed, before it is named by its index.
enum Fault {
    /// A fault at its `path` or `from`.
    At(PointerFault),
    /// A `copy` past the copy budget.
    CopyLimit { copied: usize, limit: usize },
    /// An operation past the depth limit.
    DepthLimit { depth: usize, limit: usize },
}

impl From<DepthLimitExceeded> for Fault {
    fn from(DepthLimitExceeded { depth, limit }: DepthLimitExceeded) -> Self {
        Fault::DepthLimit { depth, limit }
    }
}

/// The bounds that one call's operations are applied within.
struct Limits<'a> {
    copy_budget: &'a mut CopyBudget,
    depth_limit: &'a mut DepthLimit,
}

impl From<PointerFault> for Fault {
    fn from(fault: PointerFault) -> Self {
        Fault::At(fault)
    }
}

impl From<CopyLimitExceeded> for Fault {
    fn from(CopyLimitExceeded { copied, limit }: CopyLimitExceeded) -> Self {
        Fault::CopyLimit { copied, limit }
    }
}

/// The `op`, `path` and `from` of an operation, for its error.
fn names(operation: &JsonPatchOperation) -> (&'static str, &str, Option<&str>) {
    match operation {
        JsonPatchOperation::Add { path, .. } => ("add", path, None),
        JsonPatchOperation::Remove { path } => ("remove", path, None),
        JsonPatchOperation::Replace { path, .. } => ("replace", path, None),
        JsonPatchOperation::Move { from, path } => ("move", path, Some(from)),
        JsonPatchOperation::Copy { from, path } => ("copy", path, Some(from)),
        JsonPatchOperation::Test { path, .. } => ("test", path, None),
    }
}

/// Applies one operation.
fn apply_one(
    document: &mut Value,
    operation: &JsonPatchOperation,
    limits: Limits<'_>,
) -> Result<(), Fault> {
    match operation {
        JsonPatchOperation::Add { path, value } => {
            limits.depth_limit.check_place(path, value)?;
            add(document, path, value.clone())?;
            limits.depth_limit.placed(path, value);
        }
        JsonPatchOperation::Remove { path } => {
            remove(document, path)?;
        }
        JsonPatchOperation::Replace { path, value } => {
            limits.depth_limit.check_place(path, value)?;
            replace(document, path, value)?;
            limits.depth_limit.placed(path, value);
        }
        JsonPatchOperation::Move { from, path } => {
            move_value(document, from, path, limits.depth_limit)?;
        }
        JsonPatchOperation::Copy { from, path } => {
            let source = get(document, from)?;
            // Measured before it is cloned: a copy past a limit is not made.
            limits.depth_limit.check_copy(path, source)?;
            limits.copy_budget.spend(source)?;
            let value = source.clone();
            add(document, path, value)?;
        }
        JsonPatchOperation::Test { path, value } => {
            if !crate::json_equality::json_equal(get(document, path)?, value) {
                return Err(Fault::At(PointerFault::NotEqual { at: path.clone() }));
            }
        }
    }
    Ok(())
}

/// The unescaped reference tokens of `path` (RFC 6901 §4: `~1` is `/`, then `~0` is `~`).
pub(crate) fn tokens(path: &str) -> Result<Vec<String>, PointerFault> {
    if let Some(reason) = crate::json_patch::pointer_fault(path) {
        return Err(PointerFault::NotAPointer { reason });
    }
    Ok(path
        .split('/')
        .skip(1)
        .map(|token| token.replace("~1", "/").replace("~0", "~"))
        .collect())
}

/// The pointer of the first `count` tokens of `path`, as written.
fn prefix(path: &str, count: usize) -> String {
    path.split('/')
        .take(count + 1)
        .collect::<Vec<_>>()
        .join("/")
}

/// An array index token (RFC 6901 §4: `0`, or digits without a leading zero). One too large
/// for a `usize` is still an index, past the end of any array: `usize::MAX`, which no array's
/// length reaches, so that it is [`PointerFault::Missing`] or [`PointerFault::PastTheEnd`]
/// as any other index past the end is, not "not an array index".
fn index(token: &str) -> Option<usize> {
    let digits = token.bytes().all(|byte| byte.is_ascii_digit());
    if token.is_empty() || !digits || (token.len() > 1 && token.starts_with('0')) {
        return None;
    }
    Some(token.parse().unwrap_or(usize::MAX))
}

/// The JSON kind of a value that has no members, for [`PointerFault::IntoAValue`].
fn kind(value: &Value) -> &'static str {
    match value {
        Value::String(_) => "a string",
        Value::Number(_) => "a number",
        Value::Bool(_) => "a boolean",
        _ => "null",
    }
}

/// The value at the first `count` tokens of `path`, which must exist.
fn walk<'v>(
    mut value: &'v mut Value,
    path: &str,
    tokens: &[String],
) -> Result<&'v mut Value, PointerFault> {
    for (depth, token) in tokens.iter().enumerate() {
        let at = || prefix(path, depth + 1);
        value = match value {
            Value::Object(members) => members
                .get_mut(token)
                .ok_or_else(|| PointerFault::Missing { at: at() })?,
            Value::Array(elements) => {
                let place = index(token).ok_or_else(|| PointerFault::NotAnIndex { at: at() })?;
                elements
                    .get_mut(place)
                    .ok_or_else(|| PointerFault::Missing { at: at() })?
            }
            other => {
                return Err(PointerFault::IntoAValue {
                    at: at(),
                    found: kind(other),
                });
            }
        };
    }
    Ok(value)
}

/// RFC 6902 §4.1.
fn add(document: &mut Value, path: &str, value: Value) -> Result<(), PointerFault> {
    let tokens = tokens(path)?;
    let Some((last, parents)) = tokens.split_last() else {
        *document = value;
        return Ok(());
    };
    let at = || prefix(path, tokens.len());
    match walk(document, path, parents)? {
        Value::Object(members) => {
            members.insert(last.clone(), value);
        }
        Value::Array(elements) if last == "-" => elements.push(value),
        Value::Array(elements) => {
            let place = index(last).ok_or_else(|| PointerFault::NotAnIndex { at: at() })?;
            if place > elements.len() {
                return Err(PointerFault::PastTheEnd {
                    at: at(),
                    len: elements.len(),
                });
            }
            elements.insert(place, value);
        }
        other => {
            return Err(PointerFault::IntoAValue {
                at: at(),
                found: kind(other),
            });
        }
    }
    Ok(())
}

/// RFC 6902 §4.2: the value removed. An object's other members keep their places, also where
/// serde_json keeps insertion order ([`remove_member`]; `Map::remove` moved the last member
/// into the removed one's place there).
fn remove(document: &mut Value, path: &str) -> Result<Value, PointerFault> {
    let tokens = tokens(path)?;
    let Some((last, parents)) = tokens.split_last() else {
        return Err(PointerFault::WholeDocument);
    };
    let at = || prefix(path, tokens.len());
    match walk(document, path, parents)? {
        Value::Object(members) => {
            remove_member(members, last).ok_or_else(|| PointerFault::Missing { at: at() })
        }
        Value::Array(elements) => {
            let place = index(last).ok_or_else(|| PointerFault::NotAnIndex { at: at() })?;
            if place >= elements.len() {
                return Err(PointerFault::Missing { at: at() });
            }
            Ok(elements.remove(place))
        }
        other => Err(PointerFault::IntoAValue {
            at: at(),
            found: kind(other),
        }),
    }
}

/// RFC 6902 §4.3.
fn replace(document: &mut Value, path: &str, value: &Value) -> Result<(), PointerFault> {
    *get(document, path)? = value.clone();
    Ok(())
}

/// RFC 6902 §4.4: `remove` at `from`, then `add` at `path` of what it removed. A `from` equal
/// to `path` changes nothing (but must exist); a `from` that is a proper prefix of `path`, token
/// by token, is refused (`/a` of `/a/b`, not of `/ab`): on an array the `add` would otherwise
/// read `path` after the removal shifted the elements, and put the value somewhere else.
///
/// A value moved deeper than it was is measured against the depth limit.
fn move_value(
    document: &mut Value,
    from: &str,
    path: &str,
    depth_limit: &mut DepthLimit,
) -> Result<(), Fault> {
    let from_tokens = tokens(from)?;
    let path_tokens = tokens(path)?;
    if from_tokens == path_tokens {
        get(document, from)?;
        return Ok(());
    }
    if path_tokens.starts_with(&from_tokens) {
        return Err(Fault::At(PointerFault::MoveIntoChild {
            from: from.to_owned(),
        }));
    }
    let value = remove(document, from)?;
    depth_limit.check_move(document, from, path, &value)?;
    Ok(add(document, path, value)?)
}

/// The value at `path`, which must exist.
fn get<'v>(document: &'v mut Value, path: &str) -> Result<&'v mut Value, PointerFault> {
    let tokens = tokens(path)?;
    walk(document, path, &tokens)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn operations(value: Value) -> Vec<JsonPatchOperation> {
        serde_json::from_value(value).unwrap()
    }

    fn fault(document: Value, value: Value) -> PointerFault {
        let mut changed = document.clone();
        match apply_json_patch(&mut changed, &operations(value)) {
            Err(JsonPatchError::Operation { fault, .. }) => {
                assert_eq!(changed, document, "a failed document changes nothing");
                fault
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn each_fault_is_named_with_the_pointer_where_it_was_found() {
        let doc = json!({"a": {"b": [1, 2]}, "s": "x"});
        let missing = |at: &str| PointerFault::Missing { at: at.into() };
        assert_eq!(
            fault(doc.clone(), json!([{"op": "remove", "path": "/a/c"}])),
            missing("/a/c")
        );
        assert_eq!(
            fault(
                doc.clone(),
                json!([{"op": "replace", "path": "/z/y", "value": 1}])
            ),
            missing("/z")
        );
        assert_eq!(
            fault(
                doc.clone(),
                json!([{"op": "add", "path": "/z/y", "value": 1}])
            ),
            missing("/z")
        );
        assert_eq!(
            fault(
                doc.clone(),
                json!([{"op": "add", "path": "/s/t", "value": 1}])
            ),
            PointerFault::IntoAValue {
                at: "/s/t".into(),
                found: "a string"
            }
        );
        assert_eq!(
            fault(
                doc.clone(),
                json!([{"op": "add", "path": "/a/b/3", "value": 1}])
            ),
            PointerFault::PastTheEnd {
                at: "/a/b/3".into(),
                len: 2
            }
        );
        for bad in ["01", "-1", "x", ""] {
            assert_eq!(
                fault(
                    doc.clone(),
                    json!([{"op": "add", "path": format!("/a/b/{bad}"), "value": 1}])
                ),
                PointerFault::NotAnIndex {
                    at: format!("/a/b/{bad}")
                },
                "{bad}"
            );
        }
        // `-` is the element after the last: nothing to remove or replace there.
        assert_eq!(
            fault(doc.clone(), json!([{"op": "remove", "path": "/a/b/-"}])),
            PointerFault::NotAnIndex {
                at: "/a/b/-".into()
            }
        );
        assert_eq!(
            fault(doc.clone(), json!([{"op": "remove", "path": "/a/b/2"}])),
            missing("/a/b/2")
        );
        assert_eq!(
            fault(doc.clone(), json!([{"op": "remove", "path": ""}])),
            PointerFault::WholeDocument
        );
        // Applied in order, and undone as a whole when a later one fails.
        assert_eq!(
            fault(
                doc,
                json!([{"op": "remove", "path": "/s"}, {"op": "remove", "path": "/s"}])
            ),
            missing("/s")
        );
    }

    /// A path that reaches into a value without members names what the value is, at the
    /// last token of `add` (RFC 6902 §4.1: the parent must be an object or an array) and
    /// through the walk of `replace` (§4.3). (Mutation testing: a boolean named "null" went
    /// unnoticed.)
    #[test]
    fn a_path_into_a_value_names_the_kind_of_value() {
        let doc = json!({"n": 1.5, "b": true, "z": null, "s": "x"});
        for (member, found) in [
            ("n", "a number"),
            ("b", "a boolean"),
            ("z", "null"),
            ("s", "a string"),
        ] {
            assert_eq!(
                fault(
                    doc.clone(),
                    json!([{"op": "add", "path": format!("/{member}/x"), "value": 1}])
                ),
                PointerFault::IntoAValue {
                    at: format!("/{member}/x"),
                    found
                }
            );
            assert_eq!(
                fault(
                    doc.clone(),
                    json!([{"op": "replace", "path": format!("/{member}/x/y"), "value": 1}])
                ),
                PointerFault::IntoAValue {
                    at: format!("/{member}/x"),
                    found
                }
            );
        }
    }

    #[test]
    fn an_index_too_large_for_usize_is_past_the_end_not_a_non_index() {
        // 2^64 and more: digits without a leading zero, an index (RFC 6901 §4) past the end.
        let huge = "18446744073709551616";
        let doc = json!({"a": [1, 2]});
        assert_eq!(
            fault(
                doc.clone(),
                json!([{"op": "add", "path": format!("/a/{huge}"), "value": 1}])
            ),
            PointerFault::PastTheEnd {
                at: format!("/a/{huge}"),
                len: 2
            }
        );
        for op in ["remove", "replace"] {
            assert_eq!(
                fault(
                    doc.clone(),
                    json!([{"op": op, "path": format!("/a/{huge}"), "value": 1}])
                ),
                PointerFault::Missing {
                    at: format!("/a/{huge}")
                },
                "{op}"
            );
        }
        assert_eq!(
            fault(
                doc,
                json!([{"op": "replace", "path": format!("/a/{huge}/b"), "value": 1}])
            ),
            PointerFault::Missing {
                at: format!("/a/{huge}")
            }
        );
    }

    #[test]
    fn a_path_built_in_code_that_is_no_pointer_is_refused() {
        let mut doc = json!({"a": 1});
        let error = apply_json_patch(&mut doc, &[JsonPatchOperation::Remove { path: "a".into() }])
            .unwrap_err();
        assert!(
            matches!(
                &error,
                JsonPatchError::Operation {
                    fault: PointerFault::NotAPointer { .. },
                    index: 0,
                    ..
                }
            ),
            "{error:?}"
        );
        assert!(error.to_string().starts_with(
            r#"operation 0 (`remove` at "a") cannot be applied: the path is not a JSON Pointer (RFC 6901 §3): it must be empty or start with "/""#
        ), "{error}");
    }

    #[test]
    fn escaped_tokens_name_members_with_slash_and_tilde() {
        let mut doc = json!({"a/b": 1, "m~n": 2});
        apply_json_patch(
            &mut doc,
            &operations(json!([
                {"op": "replace", "path": "/a~1b", "value": 3},
                {"op": "remove", "path": "/m~0n"},
                {"op": "add", "path": "/~01", "value": 4},
            ])),
        )
        .unwrap();
        assert_eq!(doc, json!({"a/b": 3, "~1": 4}));
    }

    #[test]
    fn the_root_is_replaced_by_add_and_replace() {
        let mut doc = json!({"a": 1});
        apply_json_patch(
            &mut doc,
            &operations(json!([{"op": "add", "path": "", "value": [1]}])),
        )
        .unwrap();
        assert_eq!(doc, json!([1]));
        apply_json_patch(
            &mut doc,
            &operations(json!([{"op": "replace", "path": "", "value": {"b": 2}}])),
        )
        .unwrap();
        assert_eq!(doc, json!({"b": 2}));
    }
}
