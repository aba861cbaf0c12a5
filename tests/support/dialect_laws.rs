//! The dialect laws of one model, base and patch, against the `json-patch` crate as an
//! independent oracle (`tests/dialect_laws_serde_attributes.rs`, `tests/real_api_models.rs`):
//! `apply` agrees with the merge patch's JSON merged by RFC 7396, `diff` reaches what `apply`
//! made, the RFC 6902 operations and the SCIM PatchOp message give the same model and read
//! back as the patch; and operations or SCIM messages of any kind are read as a patch that
//! gives what the `json-patch` crate or `apply_scim_patch` give, or refused. A model is
//! compared as a server that stores its JSON hands it back.
#![allow(dead_code)]

use proptest::prelude::*;
use serde::Serialize;
use serde_json::{Value, json};
use sparse_patch::{JsonPatchOperation, KeyedArray, Patch, Patchable, ScimPatch};

pub fn merged(base: &Value, patch: &Value) -> Value {
    let mut merged = base.clone();
    json_patch::merge(&mut merged, patch);
    merged
}

/// RFC 6902 operations applied by the `json-patch` crate.
pub fn patched(base: &Value, operations: &[JsonPatchOperation]) -> Result<Value, String> {
    let document: json_patch::Patch =
        serde_json::from_value(serde_json::to_value(operations).unwrap()).unwrap();
    let mut patched = base.clone();
    json_patch::patch(&mut patched, &document).map_err(|error| error.to_string())?;
    Ok(patched)
}

/// `value` without its `null` members, at every depth (in arrays' elements too): the document
/// that a server that merged it, or that stores no `null`, holds (RFC 7396 §2).
pub fn without_null_members(value: Value) -> Value {
    match value {
        Value::Array(elements) => {
            Value::Array(elements.into_iter().map(without_null_members).collect())
        }
        Value::Object(members) => Value::Object(
            members
                .into_iter()
                .filter(|(_, value)| !value.is_null())
                .map(|(name, value)| (name, without_null_members(value)))
                .collect(),
        ),
        other => other,
    }
}

/// A model as a server that stores its JSON hands it back: written, its `null` members
/// dropped, read. Where the model's serde default is `Some` (`default = "..."`, the struct's
/// `default`), an attribute cleared in memory comes back as that default: a property of the
/// model's JSON, not of the patch (the merge patch and the operations remove the member).
pub fn as_stored<M: Serialize + serde::de::DeserializeOwned>(model: &M) -> Result<M, String> {
    read(without_null_members(serde_json::to_value(model).unwrap()))
}

/// Whether `patch` (a merge patch's JSON) builds an object where `base` holds none (or
/// `null`) with a `null` member in it: RFC 7396 §2 drops that member (the operations `add`
/// the object without it), so the patch read back from the operations holds what the model
/// reads for the missing member (its serde default), where the patch held a clear. A documented
/// limit of the merge patch (a `null` cannot be sent as a value), not of the dialects.
pub fn builds_object_with_clears(base: &Value, patch: &Value) -> bool {
    let Value::Object(members) = patch else {
        return false;
    };
    members.iter().any(|(name, value)| match base.get(name) {
        None | Some(Value::Null) => holds_null_member(value),
        Some(held) => builds_object_with_clears(held, value),
    })
}

/// Whether `patch` sets an array holding a new element with a `null` member: in a keyed array
/// (`keyed`), one of a key that no element of `base`'s array has; in another, one of an array
/// whose length changes (read element by element only where it keeps it). A SCIM service
/// stores no `null` (RFC 7643 §2.5: unassigned), so the message's `null` reads back as the
/// model's serde default for the missing member, as [`builds_object_with_clears`] says of
/// RFC 7396.
pub fn builds_element_with_clears(base: &Value, patch: &Value, keyed: &[KeyedArray]) -> bool {
    let Value::Object(members) = patch else {
        return false;
    };
    members.iter().any(|(name, value)| {
        let Value::Array(elements) = value else {
            return false;
        };
        let held = base.get(name).and_then(Value::as_array);
        let new_element = |element: &Value| match KeyedArray::key_of(keyed, name) {
            Some(key) => {
                !held.is_some_and(|held| held.iter().any(|old| old.get(key) == element.get(key)))
            }
            None => held.is_none_or(|held| held.len() != elements.len()),
        };
        elements
            .iter()
            .any(|element| holds_null_member(element) && new_element(element))
    })
}

pub fn holds_null_member(value: &Value) -> bool {
    match value {
        Value::Object(members) => members
            .values()
            .any(|value| value.is_null() || holds_null_member(value)),
        _ => false,
    }
}

/// `base` with `patch` applied.
pub fn read_back_applied<M: Patchable + Clone>(base: &M, patch: &M::Patch) -> M
where
    M::Patch: Clone,
{
    let mut applied = base.clone();
    applied.apply(patch.clone()).unwrap();
    applied
}

/// JSON read as the model, or serde's error.
pub fn read<M: serde::de::DeserializeOwned>(json: Value) -> Result<M, String> {
    serde_json::from_value(json).map_err(|error| error.to_string())
}

/// The laws for one model, base and patch; `Err` names the law that failed.
pub fn check_laws<M>(base: &M, patch: &M::Patch) -> Result<(), TestCaseError>
where
    M: Patchable
        + sparse_patch::Diff
        + Clone
        + PartialEq
        + std::fmt::Debug
        + Serialize
        + serde::de::DeserializeOwned,
    M::Patch: Patch<Model = M>
        + Clone
        + PartialEq
        + std::fmt::Debug
        + Serialize
        + serde::de::DeserializeOwned,
{
    let base_json = serde_json::to_value(base).unwrap();
    let patch_json = serde_json::to_value(patch).unwrap();
    let mut applied = base.clone();
    if let Err(error) = applied.apply(patch.clone()) {
        // Law 5: a refusal leaves the model unchanged.
        prop_assert_eq!(&applied, base, "{}", error);
        return Ok(());
    }
    // Law 3: apply agrees with the merge patch's JSON merged by `json-patch`, read as the model.
    // Compared as a server that stores the JSON hands it back (see `as_stored`).
    let stored_applied = as_stored(&applied).map_err(TestCaseError::fail)?;
    let by_merge: M = read(without_null_members(merged(&base_json, &patch_json)))
        .map_err(|error| TestCaseError::fail(format!("merge of {patch_json}: {error}")))?;
    prop_assert_eq!(&stored_applied, &by_merge, "merge law: {}", patch_json);
    // Law 4: the diff to the applied model gives it.
    let canonical = base.diff(&applied);
    let mut by_diff = base.clone();
    by_diff.apply(canonical.clone()).unwrap();
    prop_assert_eq!(&by_diff, &applied, "diff law: {:?}", canonical);

    // Laws 1 and 3: the RFC 6902 operations, applied by `json-patch`, give the model, and
    // read back as the patch, modulo the diff's normalisation.
    let operations = patch.to_json_patch(base).unwrap();
    let by_operations: M = patched(&base_json, &operations)
        .map(without_null_members)
        .and_then(read)
        .map_err(|error| TestCaseError::fail(format!("{operations:?}: {error}")))?;
    prop_assert_eq!(
        &by_operations,
        &stored_applied,
        "json patch law: {:?}",
        operations
    );
    let read_back = M::Patch::from_json_patch(base, &operations)
        .map_err(|error| TestCaseError::fail(format!("{operations:?}: {error}")))?;
    let builds_cleared = builds_object_with_clears(&base_json, &patch_json);
    if builds_cleared {
        prop_assert_eq!(
            as_stored(&read_back_applied(base, &read_back)),
            Ok(stored_applied.clone())
        );
    } else {
        prop_assert_eq!(
            &read_back,
            &canonical,
            "json patch read back: {:?}",
            operations
        );
    }

    // Law 2: the SCIM message reads back as the patch, with the same normalisation, and
    // `apply_scim_patch` gives the model.
    match patch.to_scim_patch(base) {
        Ok(message) => {
            let mut by_message = base_json.clone();
            sparse_patch::apply_scim_patch(&mut by_message, &message)
                .map_err(|error| TestCaseError::fail(format!("{message:?}: {error}")))?;
            let by_message: M = read(without_null_members(by_message))
                .map_err(|error| TestCaseError::fail(format!("{message:?}: {error}")))?;
            prop_assert_eq!(&by_message, &stored_applied, "scim apply: {:?}", message);
            let read_back = M::Patch::from_scim_patch(base, &message)
                .map_err(|error| TestCaseError::fail(format!("{message:?}: {error}")))?;
            if builds_cleared
                || builds_element_with_clears(&base_json, &patch_json, M::Patch::KEYED_ARRAYS)
            {
                prop_assert_eq!(
                    as_stored(&read_back_applied(base, &read_back)),
                    Ok(stored_applied.clone())
                );
            } else {
                prop_assert_eq!(&read_back, &canonical, "scim read back: {:?}", message);
            }
        }
        // A name that SCIM cannot say (the map's `~1`, `a/b`, ...).
        Err(sparse_patch::DialectError::ScimName { .. }) => {}
        Err(error) => prop_assert!(false, "scim refused: {}", error),
    }
    Ok(())
}

/// Law 5 for operations of any kind: `from_json_patch` refuses or reads a patch that gives on
/// `base` what the `json-patch` crate gives on its JSON, read as the model; never a panic.
pub fn check_any_operations<M>(base: &M, operations: Vec<Value>) -> Result<(), TestCaseError>
where
    M: Patchable
        + sparse_patch::Diff
        + Clone
        + PartialEq
        + std::fmt::Debug
        + Serialize
        + serde::de::DeserializeOwned,
    M::Patch: Patch<Model = M> + std::fmt::Debug + Serialize + serde::de::DeserializeOwned,
{
    check_any_operations_with_aliases(base, operations, &[])
}

/// [`check_any_operations`] on a model whose fields have serde aliases (`(alias, name)`, each
/// alias a name of no other attribute): `from_json_patch` reads a path at an alias as one at
/// the field's name, so `json-patch` is given the operations so written.
pub fn check_any_operations_with_aliases<M>(
    base: &M,
    operations: Vec<Value>,
    aliases: &[(&str, &str)],
) -> Result<(), TestCaseError>
where
    M: Patchable
        + sparse_patch::Diff
        + Clone
        + PartialEq
        + std::fmt::Debug
        + Serialize
        + serde::de::DeserializeOwned,
    M::Patch: Patch<Model = M> + std::fmt::Debug + Serialize + serde::de::DeserializeOwned,
{
    let operations: Vec<JsonPatchOperation> = serde_json::from_value(json!(operations)).unwrap();
    let base_json = serde_json::to_value(base).unwrap();
    let Ok(patch) = M::Patch::from_json_patch(base, &operations) else {
        return Ok(());
    };
    let expected: M = patched(&base_json, &pointers_by_names(&operations, aliases))
        .map(without_null_members)
        .and_then(read)
        .map_err(|error| {
            TestCaseError::fail(format!(
                "read {patch:?} from {operations:?}, which json-patch refuses: {error}"
            ))
        })?;
    let mut applied = base.clone();
    applied
        .apply(patch)
        .map_err(|error| TestCaseError::fail(format!("{operations:?}: {error}")))?;
    let applied = as_stored(&applied).map_err(TestCaseError::fail)?;
    prop_assert_eq!(applied, expected, "{:?}", operations);
    Ok(())
}

/// Law 5 for SCIM messages of any kind: `from_scim_patch` refuses, or reads a patch that gives
/// on `base` what `apply_scim_patch` gives on its JSON, read as the model; never a panic.
pub fn check_any_scim_message<M>(base: &M, message: &ScimPatch) -> Result<(), TestCaseError>
where
    M: Patchable
        + sparse_patch::Diff
        + Clone
        + PartialEq
        + std::fmt::Debug
        + Serialize
        + serde::de::DeserializeOwned,
    M::Patch: Patch<Model = M> + std::fmt::Debug + Serialize + serde::de::DeserializeOwned,
{
    check_any_scim_message_with_aliases(base, message, &[])
}

/// [`check_any_scim_message`] on a model whose fields have serde aliases (`(alias, name)`, each
/// alias a name of no other attribute): `from_scim_patch` reads an attribute path's name, and
/// an object value's member, at an alias as the field's name, so the applier is given the
/// message so written.
pub fn check_any_scim_message_with_aliases<M>(
    base: &M,
    message: &ScimPatch,
    aliases: &[(&str, &str)],
) -> Result<(), TestCaseError>
where
    M: Patchable
        + sparse_patch::Diff
        + Clone
        + PartialEq
        + std::fmt::Debug
        + Serialize
        + serde::de::DeserializeOwned,
    M::Patch: Patch<Model = M> + std::fmt::Debug + Serialize + serde::de::DeserializeOwned,
{
    let base_json = serde_json::to_value(base).unwrap();
    let Ok(patch) = M::Patch::from_scim_patch(base, message) else {
        return Ok(());
    };
    let mut by_message = base_json.clone();
    let written = scim_by_names(message, aliases);
    sparse_patch::apply_scim_patch(&mut by_message, &written).map_err(|error| {
        TestCaseError::fail(format!(
            "read {patch:?} from {message:?}, which the applier refuses: {error}"
        ))
    })?;
    let mut applied = base.clone();
    applied
        .apply(patch)
        .map_err(|error| TestCaseError::fail(format!("{message:?}: {error}")))?;
    // Booleans written as strings ("True") are read by the model, not kept.
    // SCIM names are compared in any case (RFC 7643 §2.1): a member that the message names in
    // another case than the model's (`prefs.font_size` for `FONT_SIZE`), where the resource
    // no longer held it, is stored in the message's spelling; the typed reading reads it as
    // the model's field, so the expectation does too, by the base's own spelling.
    let by_message = spelled_like(&base_json, by_message);
    if let Ok(expected) = read::<M>(without_null_members(by_message)) {
        prop_assert_eq!(as_stored(&applied), Ok(expected), "{:?}", message);
    }
    Ok(())
}

/// `value` with each member whose name the object at the same place of `spelling` holds in
/// another ASCII case renamed to that spelling (where the object does not hold both).
fn spelled_like(spelling: &Value, value: Value) -> Value {
    match (spelling, value) {
        (Value::Object(names), Value::Object(members)) => Value::Object(
            members
                .into_iter()
                .map(|(name, member)| {
                    let known = names
                        .keys()
                        .find(|known| known.eq_ignore_ascii_case(&name))
                        .filter(|known| !names.contains_key(&name) && **known != name)
                        .cloned();
                    let name = known.unwrap_or(name);
                    let member = match names.get(&name) {
                        Some(inner) => spelled_like(inner, member),
                        None => member,
                    };
                    (name, member)
                })
                .collect(),
        ),
        (Value::Array(elements), Value::Array(values)) if !elements.is_empty() => Value::Array(
            values
                .into_iter()
                .map(|value| spelled_like(&elements[0], value))
                .collect(),
        ),
        (_, value) => value,
    }
}

/// `name`, or the field's name where it is one of `aliases`' (alias, name) pairs' alias.
fn by_name(name: &str, aliases: &[(&str, &str)]) -> String {
    aliases
        .iter()
        .find(|(alias, _)| *alias == name)
        .map_or(name, |(_, field)| field)
        .to_owned()
}

/// `operations` with each pointer token (of `path` and `from`) that is an alias of `aliases`
/// written as its field's name.
fn pointers_by_names(
    operations: &[JsonPatchOperation],
    aliases: &[(&str, &str)],
) -> Vec<JsonPatchOperation> {
    let mut written = serde_json::to_value(operations).unwrap();
    for operation in written.as_array_mut().unwrap() {
        for member in ["path", "from"] {
            if let Some(Value::String(pointer)) = operation.get_mut(member) {
                *pointer = pointer
                    .split('/')
                    .map(|token| by_name(token, aliases))
                    .collect::<Vec<_>>()
                    .join("/");
            }
        }
    }
    serde_json::from_value(written).unwrap()
}

/// `message` with each name of a path (between dots) and each member of an object value that
/// is an alias of `aliases` written as its field's name.
fn scim_by_names(message: &ScimPatch, aliases: &[(&str, &str)]) -> ScimPatch {
    let mut message = message.clone();
    for operation in &mut message.operations {
        if let Some(path) = &mut operation.path {
            *path = path
                .split('.')
                .map(|name| by_name(name, aliases))
                .collect::<Vec<_>>()
                .join(".");
        }
        if let Some(Value::Object(members)) = &mut operation.value {
            *members = std::mem::take(members)
                .into_iter()
                .map(|(name, value)| (by_name(&name, aliases), value))
                .collect();
        }
    }
    message
}
