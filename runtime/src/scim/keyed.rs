//! A keyed array's SCIM operations: element by element with filter paths, or the array whole.

use std::collections::{HashMap, HashSet};

use serde_json::{Map, Value};

use super::attribute_name::checked_name;
use super::case_order::{InCase, assigned, in_case_order};
use super::filter_value::scim_filter_value;
use super::message::{ScimOperation, push_replace};
use crate::keyed_array::key_identity;
use crate::{DialectError, ElementChange, diff_keyed};

/// The operations that turn the keyed array `name` (elements identified by `key`) from
/// `current` into `target`.
pub(super) fn keyed_operations(
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
    // An `add` finds an element held as SCIM compares values (strings in any case): an added
    // element whose key differs only in case from another of the target's may be taken as
    // held and not appended, so such a target is sent whole.
    if added_beside_its_case_variant(&diff.changes, target, key) {
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

/// Whether an element that `changes` adds has a string key that another of `target`'s keys
/// spells in another case ([`differ_only_in_case`]'s comparison): the `add` could find it held
/// (`{"type": "Work", "value": {}}` beside `{"type": "work", "value": {}}`).
fn added_beside_its_case_variant(changes: &[ElementChange], target: &[Value], key: &str) -> bool {
    let added: Vec<&str> = changes
        .iter()
        .filter_map(|change| match change {
            ElementChange::Added { key, .. } => key.as_str(),
            _ => None,
        })
        .collect();
    if added.is_empty() {
        return false;
    }
    // How many of the target's keys (unique as written: `diff_keyed` has checked them) share
    // each lower and each upper case: counted once, not compared pair by pair, which made the
    // check quadratic in the array's length.
    let (mut lower, mut upper) = (HashMap::new(), HashMap::new());
    for text in target
        .iter()
        .filter_map(|element| element.get(key).and_then(Value::as_str))
    {
        *lower.entry(text.to_lowercase()).or_insert(0_usize) += 1;
        *upper.entry(text.to_uppercase()).or_insert(0_usize) += 1;
    }
    added.iter().any(|added| {
        lower.get(&added.to_lowercase()).is_some_and(|&n| n > 1)
            || upper.get(&added.to_uppercase()).is_some_and(|&n| n > 1)
    })
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
                            push_replace(&path, now, value, &mut operations);
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
