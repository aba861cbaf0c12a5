//! Each RFC 6902 operation applied to a document (§4.1 to §4.6), and why one failed.

use serde_json::Value;

use crate::JsonPatchOperation;
use crate::json_patch_copy_budget::{CopyBudget, CopyLimitExceeded};
use crate::json_patch_depth_limit::{DepthLimit, DepthLimitExceeded};
use crate::member_order::remove_member;

use super::PointerFault;
use super::pointer::{index, kind, prefix, tokens, walk};

/// Why one operation failed, before it is named by its index.
pub(super) enum Fault {
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
pub(super) struct Limits<'a> {
    pub(super) copy_budget: &'a mut CopyBudget,
    pub(super) depth_limit: &'a mut DepthLimit,
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

/// Applies one operation.
pub(super) fn apply_one(
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
