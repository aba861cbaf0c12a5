//! Keyed arrays: arrays of objects whose elements one attribute identifies
//! (`#[patchable(key = "type")]`), as SCIM's multi-valued attributes are (RFC 7643 §2.4) and as
//! the Kubernetes strategic merge patch's `patchMergeKey` does. [`KeyedArray`] says where a
//! patch's keyed arrays are; [`diff_keyed`] compares two arrays element by element.

use std::collections::{HashMap, HashSet};

use serde_json::{Map, Value};

use crate::number_identity::number_identity;
use crate::{ApplyError, DialectError, merge_diff};

/// Where a patch's keyed arrays are: [`Patch::KEYED_ARRAYS`](crate::Patch::KEYED_ARRAYS), which
/// `#[derive(Patchable)]` fills from `#[patchable(key = "...")]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
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

/// The key of every element, in order, each a string, number or boolean, no two the same, with
/// its identity ([`key_identity`]).
pub(crate) fn element_keys<'a>(
    elements: &'a [Value],
    key: &str,
) -> Result<Vec<(&'a Value, String)>, KeyProblem> {
    let mut seen = HashSet::with_capacity(elements.len());
    elements
        .iter()
        .enumerate()
        .map(|(index, element)| {
            let value = element_key(element, key)
                .map_err(|found| KeyProblem::WithoutKey { index, found })?;
            let identity = key_identity(value);
            if seen.insert(identity.clone()) {
                Ok((value, identity))
            } else {
                Err(KeyProblem::Duplicate(cut(&value.to_string())))
            }
        })
        .collect()
}

/// What makes two keys the same: a string's JSON text, and a number's value
/// ([`number_identity`]), so that `1`, `1.0` and `1e0` are one key, and `0.0` and `-0.0` are
/// one key, as a filter that compares numbers (RFC 7644 §3.4.2.2) cannot tell them apart; and
/// a float above 2^53 is one key with an integer only where it is that integer exactly (2^60,
/// `1152921504606846976.0`, is not `1152921504606847000`, the integer that its shortest text
/// writes, which made them one key).
pub(crate) fn key_identity(value: &Value) -> String {
    match value {
        Value::Number(number) => number_identity(number),
        other => other.to_string(),
    }
}

/// How many characters of an element's JSON (or of its key's) an error quotes.
const SHOWN_CHARS: usize = 200;

/// An element's key, or what is there instead: the key's or the element's JSON, up to
/// [`SHOWN_CHARS`] characters and then its length (an element may hold a whole document, a
/// photo's data: it was copied whole into the error).
fn element_key<'a>(element: &'a Value, key: &str) -> Result<&'a Value, String> {
    if let Some(value) = comparable_key(element, key) {
        return Ok(value);
    }
    match element.get(key) {
        Some(other) => Err(format!("{KEY_IS}{}", cut(&other.to_string()))),
        None if element.is_object() => Err(String::from(
            "the element has no such attribute (the key is the element's serialized attribute name)",
        )),
        None => Err(format!("{NOT_AN_OBJECT}{}", cut(&element.to_string()))),
    }
}

/// An element's key when a filter can compare it (RFC 7644 §3.4.2.2): a string, number or
/// boolean.
fn comparable_key<'a>(element: &'a Value, key: &str) -> Option<&'a Value> {
    element
        .get(key)
        .filter(|value| matches!(value, Value::String(_) | Value::Number(_) | Value::Bool(_)))
}

/// The identity ([`key_identity`]) of an element's key, `None` where the element has none that
/// a filter can compare (no such attribute, an object, an array or `null` there).
pub(crate) fn element_key_identity(element: &Value, key: &str) -> Option<String> {
    comparable_key(element, key).map(key_identity)
}

/// How [`element_key`]'s text of a key that a filter cannot compare starts, before its JSON.
const KEY_IS: &str = "the key is ";

/// How [`element_key`]'s text of an element that is not an object starts, before its JSON.
const NOT_AN_OBJECT: &str = "the element is not an object: ";

/// [`element_key`]'s text of what was found instead of a key (`found`) without the JSON that
/// it quotes, said by its kind alone: `the element is not an object (a string, not shown)`.
/// For `DialectError::without_values`.
#[cfg(feature = "client")]
pub(crate) fn without_quoted_element(found: String) -> String {
    let kind = |json: &str| match json.chars().next() {
        Some('"') => "a string",
        Some('{') => "an object",
        Some('[') => "an array",
        Some('n') => "null",
        Some('t' | 'f') => "a boolean",
        _ => "a number",
    };
    if let Some(json) = found.strip_prefix(NOT_AN_OBJECT) {
        format!("the element is not an object ({}, not shown)", kind(json))
    } else if let Some(json) = found.strip_prefix(KEY_IS)
        && json != "null"
    {
        format!("{KEY_IS}{} (not shown)", kind(json))
    } else {
        found
    }
}

/// `text` (JSON: a key or an element of the caller's) with its control and invisible characters
/// escaped ([`Escaped`](crate::quoted::Escaped): JSON leaves a bidi override raw), up to
/// [`SHOWN_CHARS`] characters, cut at a character, then `…` and its length.
fn cut(text: &str) -> String {
    crate::quoted::EscapedCut(text, SHOWN_CHARS).to_string()
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
        Err(KeyProblem::WithoutKey { index, found }) => {
            // A key that serde_json wrote as `null` may be a float that is not finite: say so.
            let found = match crate::json_number::unrepresentable(&elements[index], false) {
                Some(number)
                    if values[index].get(key).is_some_and(Value::is_null) && number.path == key =>
                {
                    format!(
                        "the key is {}, which JSON has no number for (serde_json writes it as `null`)",
                        number.what
                    )
                }
                _ => found,
            };
            Err(ApplyError::element_without_key(
                attribute, key, index, found,
            ))
        }
    }
}

/// The element-by-element difference of two keyed arrays: [`diff_keyed`].
#[derive(Debug, Clone, PartialEq, Eq)]
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
#[derive(Debug, Clone, PartialEq, Eq)]
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
/// `attribute` names the array in errors. Keys match by value: `1` and `1.0` are one key. It
/// takes time linear in the arrays' lengths.
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
    let base_index: HashMap<&str, usize> = base_keys
        .iter()
        .enumerate()
        .map(|(index, (_, identity))| (identity.as_str(), index))
        .collect();
    let in_target: HashSet<&str> = target_keys
        .iter()
        .map(|(_, identity)| identity.as_str())
        .collect();
    let mut changes: Vec<ElementChange> = base_keys
        .iter()
        .filter(|(_, identity)| !in_target.contains(identity.as_str()))
        .map(|(key, _)| ElementChange::Removed {
            key: (*key).clone(),
        })
        .collect();
    for ((key, identity), element) in target_keys.iter().zip(target) {
        match base_index.get(identity.as_str()) {
            Some(&index) if base[index] == *element => {}
            Some(&index) => changes.push(ElementChange::Changed {
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
    let kept = base_keys
        .iter()
        .map(|(_, identity)| identity.as_str())
        .filter(|identity| in_target.contains(identity));
    let added = target_keys
        .iter()
        .map(|(_, identity)| identity.as_str())
        .filter(|identity| !base_index.contains_key(identity));
    let order_kept = kept
        .chain(added)
        .eq(target_keys.iter().map(|(_, identity)| identity.as_str()));
    Ok(KeyedDiff {
        changes,
        order_kept,
    })
}

#[cfg(all(test, feature = "client"))]
mod tests {
    /// An element's key identity is that of a key a filter can compare, and none for a key
    /// that is `null`, an object or an array, or absent (mutation audit: an identity for any
    /// value went unnoticed: two elements keyed `null` were one element).
    #[test]
    fn only_a_comparable_key_has_an_identity() {
        use serde_json::json;
        let identity = |element| super::element_key_identity(&element, "id");
        assert!(identity(json!({"id": "a"})).is_some());
        assert!(identity(json!({"id": 1})).is_some());
        assert!(identity(json!({"id": true})).is_some());
        for element in [
            json!({"id": null}),
            json!({"id": {}}),
            json!({"id": [1]}),
            json!({}),
        ] {
            assert_eq!(identity(element.clone()), None, "{element}");
        }
    }

    /// What a keyed array's error found instead of a key, said by its kind: each kind of JSON
    /// value that `element_key` quotes, and a text that quotes none stays as it is.
    #[test]
    fn a_found_element_is_said_by_its_kind() {
        let found = |element: serde_json::Value| {
            super::without_quoted_element(super::element_key(&element, "value").unwrap_err())
        };
        assert_eq!(
            found(serde_json::json!("+44 20 7946 0958")),
            "the element is not an object (a string, not shown)"
        );
        assert_eq!(
            found(serde_json::json!(79_460_958)),
            "the element is not an object (a number, not shown)"
        );
        assert_eq!(
            found(serde_json::json!([1])),
            "the element is not an object (an array, not shown)"
        );
        assert_eq!(
            found(serde_json::json!({"value": {"n": "Ada"}})),
            "the key is an object (not shown)"
        );
        assert_eq!(
            found(serde_json::json!({"value": ["Ada"]})),
            "the key is an array (not shown)"
        );
        assert_eq!(found(serde_json::json!({"value": null})), "the key is null");
        assert!(found(serde_json::json!({})).starts_with("the element has no such attribute"));
    }
}
