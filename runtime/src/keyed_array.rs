//! Keyed arrays: arrays of objects whose elements one attribute identifies
//! (`#[patchable(key = "type")]`), as SCIM's multi-valued attributes are (RFC 7643 §2.4) and as
//! the Kubernetes strategic merge patch's `patchMergeKey` does. [`KeyedArray`] says where a
//! patch's keyed arrays are; [`diff_keyed`] compares two arrays element by element.

use std::collections::HashSet;

use serde_json::{Map, Value};

use crate::{ApplyError, DialectError, merge_diff};

/// Where a patch's keyed arrays are: [`Patch::KEYED_ARRAYS`](crate::Patch::KEYED_ARRAYS), which
/// `#[derive(Patchable)]` fills from `#[patchable(key = "...")]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyedArray {
    /// The attribute `attribute` (as serialized) is an array whose elements `key` identifies.
    Array {
        /// The array's attribute name.
        attribute: &'static str,
        /// The attribute of an element that identifies it.
        key: &'static str,
    },
    /// The keyed arrays of a flattened field (`#[serde(flatten)]`), whose attributes sit in
    /// this object.
    Flattened(&'static [KeyedArray]),
}

impl KeyedArray {
    /// The key of `attribute` when `arrays` says it is a keyed array.
    #[must_use]
    pub fn key_of(arrays: &[KeyedArray], attribute: &str) -> Option<&'static str> {
        arrays.iter().find_map(|array| match array {
            KeyedArray::Array {
                attribute: name,
                key,
            } => (*name == attribute).then_some(*key),
            KeyedArray::Flattened(inner) => KeyedArray::key_of(inner, attribute),
        })
    }
}

/// What is wrong with a keyed array's elements.
pub(crate) enum KeyProblem {
    /// Two elements share this key (JSON text).
    Duplicate(String),
    /// This element has no usable key: what is there instead.
    WithoutKey { index: usize, found: String },
}

/// The key of every element, in order, each a string, number or boolean, no two the same.
pub(crate) fn element_keys<'a>(
    elements: &'a [Value],
    key: &str,
) -> Result<Vec<&'a Value>, KeyProblem> {
    let mut seen = HashSet::with_capacity(elements.len());
    elements
        .iter()
        .enumerate()
        .map(|(index, element)| {
            let value = element_key(element, key)
                .map_err(|found| KeyProblem::WithoutKey { index, found })?;
            if seen.insert(value.to_string()) {
                Ok(value)
            } else {
                Err(KeyProblem::Duplicate(value.to_string()))
            }
        })
        .collect()
}

/// An element's key, or what is there instead.
fn element_key<'a>(element: &'a Value, key: &str) -> Result<&'a Value, String> {
    match element.get(key) {
        Some(value @ (Value::String(_) | Value::Number(_) | Value::Bool(_))) => Ok(value),
        Some(other) => Err(format!("the key is {other}")),
        None if element.is_object() => Err(String::from(
            "the element has no such attribute (the key is the element's serialized attribute name)",
        )),
        None => Err(format!("the element is not an object: {element}")),
    }
}

/// Checks the elements of a keyed array that a patch sets: each has its key, no two the same.
/// The derive's `check_patch` calls it through the `private` support.
pub(crate) fn check_elements<T: serde::Serialize>(
    elements: &[T],
    attribute: &'static str,
    key: &'static str,
) -> Result<(), ApplyError> {
    let values = elements
        .iter()
        .enumerate()
        .map(|(index, element)| {
            serde_json::to_value(element).map_err(|error| {
                ApplyError::element_without_key(
                    attribute,
                    key,
                    index,
                    format!("it does not serialize: {error}"),
                )
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    match element_keys(&values, key) {
        Ok(_) => Ok(()),
        Err(KeyProblem::Duplicate(value)) => Err(ApplyError::duplicate_key(attribute, key, value)),
        Err(KeyProblem::WithoutKey { index, found }) => Err(ApplyError::element_without_key(
            attribute, key, index, found,
        )),
    }
}

/// The element-by-element difference of two keyed arrays: [`diff_keyed`].
#[derive(Debug, Clone, PartialEq)]
pub struct KeyedDiff {
    /// The changes: removed elements first, in the base's order, then changed and added
    /// elements in the target's order.
    pub changes: Vec<ElementChange>,
    /// Whether applying the changes in SCIM's way (removed elements dropped, changed ones kept
    /// in place, added ones appended at the end, RFC 7644 §3.5.2.1) gives the target's order.
    /// When it is `false` (an element moved), only the whole array says the target.
    pub order_kept: bool,
}

/// One element's change in a [`KeyedDiff`].
#[derive(Debug, Clone, PartialEq)]
pub enum ElementChange {
    /// The element with this key is gone.
    Removed {
        /// Its key's value.
        key: Value,
    },
    /// The element with this key has changed attributes.
    Changed {
        /// Its key's value.
        key: Value,
        /// The element in the target.
        element: Value,
        /// The JSON merge patch from the base's element to the target's (RFC 7396).
        patch: Map<String, Value>,
    },
    /// An element with a new key.
    Added {
        /// Its key's value.
        key: Value,
        /// The element.
        element: Value,
    },
}

/// Compares two keyed arrays element by element, matching elements by their `key` attribute:
/// elements removed, elements added, and the changed attributes of the elements in both.
/// `attribute` names the array in errors.
///
/// ```
/// use serde_json::json;
/// use sparse_patch::{ElementChange, diff_keyed};
///
/// let base = [json!({"type": "work", "value": "a@example.com"}), json!({"type": "home", "value": "b@example.com"})];
/// let target = [json!({"type": "work", "value": "c@example.com"}), json!({"type": "school", "value": "d@example.com"})];
/// let diff = diff_keyed("emails", "type", &base, &target).unwrap();
/// assert!(diff.order_kept);
/// assert_eq!(diff.changes[0], ElementChange::Removed { key: json!("home") });
/// assert!(matches!(&diff.changes[1], ElementChange::Changed { patch, .. } if patch["value"] == "c@example.com"));
/// assert!(matches!(&diff.changes[2], ElementChange::Added { key, .. } if *key == "school"));
/// ```
///
/// # Errors
///
/// [`DialectError::DuplicateKey`] when two elements of either array share a key, and
/// [`DialectError::ElementWithoutKey`] when an element is not an object or its key is
/// missing, `null`, an array or an object; each says which array held it.
pub fn diff_keyed(
    attribute: &str,
    key: &str,
    base: &[Value],
    target: &[Value],
) -> Result<KeyedDiff, DialectError> {
    let keys_of = |elements, in_patch| {
        element_keys(elements, key)
            .map_err(|problem| DialectError::from_key_problem(attribute, key, problem, in_patch))
    };
    let base_keys = keys_of(base, false)?;
    let target_keys = keys_of(target, true)?;
    let base_index = |wanted: &Value| base_keys.iter().position(|key| *key == wanted);
    let mut changes: Vec<ElementChange> = base_keys
        .iter()
        .filter(|key| !target_keys.contains(key))
        .map(|key| ElementChange::Removed {
            key: (*key).clone(),
        })
        .collect();
    for (key, element) in target_keys.iter().zip(target) {
        match base_index(key) {
            Some(index) if base[index] == *element => {}
            Some(index) => changes.push(ElementChange::Changed {
                key: (*key).clone(),
                element: element.clone(),
                patch: match merge_diff(&base[index], element) {
                    Value::Object(patch) => patch,
                    _ => Map::new(),
                },
            }),
            None => changes.push(ElementChange::Added {
                key: (*key).clone(),
                element: element.clone(),
            }),
        }
    }
    // SCIM's order: kept elements in the base's order, then the added ones.
    let kept = base_keys.iter().filter(|key| target_keys.contains(key));
    let added = target_keys.iter().filter(|key| base_index(key).is_none());
    let order_kept = kept.chain(added).eq(target_keys.iter());
    Ok(KeyedDiff {
        changes,
        order_kept,
    })
}
