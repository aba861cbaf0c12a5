//! The refusals of `scim_patch_from_merge` that a merge patch's JSON explains, checked on the
//! JSON alone: names that differ only in case (RFC 7643 §2.1) and keys that elements of a keyed
//! array share. A law that skips the refused cases asks these of each refusal, so that an
//! output refusing what it can say does not pass. Tests only: `output_law` uses it, and
//! `tests/scim_patch_apply_oracle.rs` includes this file too (`#[path]`).

use serde_json::{Value, json};

/// Whether `elements` (an `emails` array) holds two elements whose `type` is one key to SCIM:
/// strings equal in any case, numbers equal by value (`1` and `1.0`).
pub(crate) fn repeats_a_key(elements: Option<&Value>) -> bool {
    let Some(Value::Array(elements)) = elements else {
        return false;
    };
    let keys: Vec<Value> = elements
        .iter()
        .filter_map(|element| match element.get("type")? {
            Value::String(text) => Some(json!(text.to_lowercase())),
            other => Some(other.clone()),
        })
        .collect();
    // Numbers by their `f64` values, not as `Value`s: with `arbitrary_precision` a `Value`
    // number compares by its text, and `0` and `-0.0` are one key.
    let same_key = |left: &Value, right: &Value| match (left, right) {
        (Value::Number(left), Value::Number(right)) => left.as_f64() == right.as_f64(),
        _ => left == right,
    };
    keys.iter()
        .enumerate()
        .any(|(at, key)| keys[at + 1..].iter().any(|other| same_key(key, other)))
}

/// Whether the merge of `merge` into `base`, `expected`, cannot be said in SCIM, whose
/// attribute names are case-insensitive (RFC 7643 §2.1): at some depth, two members whose
/// names differ only in case stay, or the patch removes one of two the base holds and leaves
/// the other (SCIM's `remove` by the name would remove both; one the patch sets anew is
/// removed first and set after). Inside arrays, whose elements
/// are written whole, any two such names.
pub(crate) fn names_one_attribute(
    base: Option<&Value>,
    merge: Option<&Value>,
    expected: &Value,
) -> bool {
    let lower = |name: &String| name.to_lowercase();
    match expected {
        Value::Object(members) => {
            let names: Vec<String> = members.keys().map(lower).collect();
            let twice = names
                .iter()
                .enumerate()
                .any(|(at, name)| names[at + 1..].contains(name));
            let removed_beside_a_kept_one = match (base, merge) {
                (Some(Value::Object(base)), Some(Value::Object(merge))) => {
                    merge.iter().any(|(name, change)| {
                        change.is_null()
                            && base.contains_key(name)
                            && members
                                .keys()
                                .any(|kept| lower(kept) == lower(name) && !merge.contains_key(kept))
                    })
                }
                _ => false,
            };
            twice
                || removed_beside_a_kept_one
                || members.iter().any(|(name, value)| {
                    names_one_attribute(
                        base.and_then(|base| base.get(name)),
                        merge.and_then(|merge| merge.get(name)),
                        value,
                    )
                })
        }
        Value::Array(elements) => elements
            .iter()
            .any(|element| names_one_attribute(None, None, element)),
        _ => false,
    }
}
