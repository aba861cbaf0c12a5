//! The typed readings' handling of serde defaults ([`Patch::from_json_patch`](super::Patch::from_json_patch),
//! [`Patch::from_scim_patch`](super::Patch::from_scim_patch)): a member that the operations
//! remove, or that neither JSON shows, which the model's serde default (a field's
//! `default = "..."`, the struct's `default`) would fill with `Some`, read as `null`, a clear
//! or the `None` the base holds, at any depth, in keyed arrays' elements paired by key and in
//! other arrays' elements paired by place.

use std::collections::HashSet;

use serde::Serialize;

use super::Patch;
use super::read_json::read_json;
use crate::KeyedArray;

/// `target` (the changed JSON read as the model) with each member that the change removed and
/// that the model's serde default filled (a field's `default = "..."`, the struct's `default`:
/// `Some` where the JSON lacks the member) read as `null` instead, at any depth: a removal is a
/// clear, as the merge patch of the change says (RFC 7396 §2) and as `to_json_patch` writes a
/// clear (`remove`), not the default, which `diff` would set. Inside the elements of the keyed
/// arrays `keyed` (the patch's [`KEYED_ARRAYS`](Patch::KEYED_ARRAYS)) too, each element paired
/// with the base's element of its key, as `to_scim_patch` writes an element's clear as a
/// `remove` through the array's filter (`emails[type eq "work"].primary`); and in the elements
/// of the other arrays that kept their length, element by element, as `to_scim_patch` writes
/// such an array whole and SCIM stores its `null`s as unassigned (RFC 7643 §2.5). An element
/// that no element of the base was keeps the defaults of its missing members. A member is so read
/// only where reading it as `null` gives a model whose JSON differs from `target`'s in that
/// member alone, which is `null` or left out there (a required attribute, which reads no
/// `null`, keeps its default; one of a struct sent whole is read so too).
pub(super) fn without_serde_defaults<M>(
    base_json: &serde_json::Value,
    changed: &serde_json::Value,
    target: M,
    keyed: &[KeyedArray],
    boolean_strings: bool,
) -> M
where
    M: Serialize + serde::de::DeserializeOwned + crate::Diff,
{
    let Ok(expected) = serde_json::to_value(&target) else {
        return target;
    };
    let mut filled = Vec::new();
    removed_but_filled(
        base_json,
        changed,
        &expected,
        keyed,
        &mut Vec::new(),
        &mut filled,
    );
    // A `None` that neither JSON shows, whose default `target` holds: `base` as its JSON reads
    // it holds `None` there too (review 126).
    absent_but_filled(
        &[base_json, changed],
        &expected,
        keyed,
        &mut Vec::new(),
        &mut filled,
    );
    with_nulls_at(changed, target, filled, boolean_strings)
}

/// `model` (`json` read as the model) with each `None` that `json` leaves out and the model's
/// serde default fills read as `null`, the `None` that `json` means: at any depth, in the
/// elements of the keyed arrays `keyed` paired by key and of other arrays by place.
pub(super) fn with_hidden_nones<M>(
    json: &serde_json::Value,
    model: M,
    keyed: &[KeyedArray],
    boolean_strings: bool,
) -> M
where
    M: Serialize + serde::de::DeserializeOwned + crate::Diff,
{
    let mut hidden = Vec::new();
    if let Ok(written) = serde_json::to_value(&model) {
        absent_but_filled(&[json], &written, keyed, &mut Vec::new(), &mut hidden);
    }
    with_nulls_at(json, model, hidden, boolean_strings)
}

/// The error of a typed reading whose model's own JSON does not read back as the model:
/// `base_json`, the base serialized, refused by the model's `Deserialize`, as a field marked
/// `#[serde(skip_serializing)]` (or a `skip_serializing_if` that held) without
/// `#[serde(default)]` makes it: never written, and required to read. No change that leaves
/// that field unset can then be read as the model, `[]` included, and serde's ``missing field `password_hash` `` alone did
/// not say why (review 129's new user): the error says so, and what to do. `None` when
/// `base_json` reads back.
pub(super) fn model_json_not_read_back<M: serde::de::DeserializeOwned>(
    base_json: &serde_json::Value,
    boolean_strings: bool,
) -> Option<serde_json::Error> {
    let error = read_json::<M>(base_json.clone(), boolean_strings).err()?;
    let serde_text = error.to_string();
    let text = match missing_field(&serde_text) {
        Some(field) => format!(
            "the model's own JSON does not carry the field `{field}` ({serde_text}): the base \
             serialized leaves it out (`#[serde(skip_serializing)]`, or a \
             `skip_serializing_if` that held, on a field without `#[serde(default)]`) and the \
             model's reading requires it, so the typed reading cannot rebuild the model from \
             the changed JSON, which lacks it too where no operation sets it (`[]` included); \
             give the field `#[serde(default)]`, and the patch leaves it as the base holds it \
             unless an operation sets it"
        ),
        None => format!(
            "the model's own JSON does not read back as the model ({serde_text}): the base \
             serialized is refused by the model's reading, so the typed reading cannot \
             rebuild the model from the changed JSON, which is the base's JSON changed; the \
             model's `Serialize` and `Deserialize` must agree"
        ),
    };
    Some(<serde_json::Error as serde::de::Error>::custom(text))
}

/// The top-level members that `base_json` holds and `changed` lacks (removed by the
/// operations) whose absence the model's reading fills (a field's `default = "..."`, the
/// struct's `default`, an `Option`'s `None`): `base_json` without them reads as the model.
/// Where it does not, serde's ``missing field `name` `` names one that nothing fills, which is
/// left out and the rest read again: one reading per such member, not per removed member.
/// Empty where `base_json` does not read back without some other member (it may not read back
/// at all, [`model_json_not_read_back`]).
pub(super) fn removed_but_filled_by_serde_default<M: serde::de::DeserializeOwned>(
    base_json: &serde_json::Value,
    changed: &serde_json::Value,
    boolean_strings: bool,
) -> HashSet<String> {
    let (serde_json::Value::Object(old), serde_json::Value::Object(new)) = (base_json, changed)
    else {
        return HashSet::new();
    };
    let mut removed: HashSet<&str> = old
        .keys()
        .filter(|key| !new.contains_key(*key))
        .map(String::as_str)
        .collect();
    while !removed.is_empty() {
        let without: serde_json::Map<String, serde_json::Value> = old
            .iter()
            .filter(|(key, _)| !removed.contains(key.as_str()))
            .map(|(key, value)| (key.clone(), value.clone()))
            .collect();
        let Err(error) = read_json::<M>(serde_json::Value::Object(without), boolean_strings) else {
            return removed.into_iter().map(str::to_owned).collect();
        };
        let text = error.to_string();
        let Some(unfilled) = missing_field(&text) else {
            return HashSet::new();
        };
        if !removed.remove(unfilled) {
            return HashSet::new();
        }
    }
    HashSet::new()
}

/// The field that serde's ``missing field `name` `` names in `text` (after the path that
/// the reading may put in front of it).
fn missing_field(text: &str) -> Option<&str> {
    const MISSING: &str = "missing field `";
    let start = text.rfind(MISSING)? + MISSING.len();
    let length = text[start..].find('`')?;
    Some(&text[start..start + length])
}

/// `model` (`json` read as the model) with the member at each of `paths`, which `json` lacks
/// and the model fills with its serde default, read as `null` where that gives a model whose
/// JSON differs from `model`'s in those members alone, each `null` or left out there (a
/// required attribute, which reads no `null`, keeps its default). The rest of the two is
/// compared as models ([`same_but_at`]), not by their JSON alone, whose order a `HashSet` does
/// not keep. Read from `json` with the `null`s put in, not from the model's JSON, which lacks
/// what the model never writes (`skip_serializing`); all at once, in one reading of the model,
/// and one by one only where that fails (one reading per member was quadratic in a wide
/// model: 2.5 s for 1,000 removed members; review 126).
fn with_nulls_at<M>(
    json: &serde_json::Value,
    model: M,
    paths: Vec<Vec<Step>>,
    boolean_strings: bool,
) -> M
where
    M: Serialize + serde::de::DeserializeOwned + crate::Diff,
{
    if paths.is_empty() {
        return model;
    }
    let Ok(mut expected) = serde_json::to_value(&model) else {
        return model;
    };
    let nulled_at = |document: &serde_json::Value, paths: &[Vec<Step>]| {
        let mut nulled = document.clone();
        for path in paths {
            if let Some((Step::Member(last), parent)) = path.split_last()
                && let Some(serde_json::Value::Object(members)) = member_at_mut(&mut nulled, parent)
            {
                members.insert(last.clone(), serde_json::Value::Null);
            }
        }
        nulled
    };
    let cleared_at = |document: &serde_json::Value, paths: &[Vec<Step>]| {
        let read = read_json::<M>(nulled_at(document, paths), boolean_strings).ok()?;
        let written = serde_json::to_value(&read).ok()?;
        let cleared = paths
            .iter()
            .all(|path| member_at(&written, path).is_none_or(serde_json::Value::is_null));
        cleared.then_some((read, written))
    };
    if let Some((read, written)) = cleared_at(json, &paths)
        && same_but_at(&model, &expected, &written, &paths, boolean_strings)
    {
        return read;
    }
    let mut model = model;
    // `json` with a `null` at each member read so far: the next one is read from it, since
    // the JSON lacks the members before, whose default reading would fill them again.
    let mut document = json.clone();
    for path in paths {
        let path = [path];
        if let Some((read, written)) = cleared_at(&document, &path)
            && same_but_at(&model, &expected, &written, &path, boolean_strings)
        {
            (document, expected, model) = (nulled_at(&document, &path), written, read);
        }
    }
    model
}

/// Whether `written`, a model's JSON, is `expected` (the JSON of `model`) but for the members
/// at `paths`: their JSON less those members is the same, or, where it is not, `written` with
/// `expected`'s members put back reads as a model that `diff` finds equal to `model`. A
/// serialization that is no function of the value alone (a `HashSet`'s elements, in the
/// order of its hasher's seed) writes two equal models apart, which read the clear of a
/// removed member as its serde default (review 126).
fn same_but_at<M>(
    model: &M,
    expected: &serde_json::Value,
    written: &serde_json::Value,
    paths: &[Vec<Step>],
    boolean_strings: bool,
) -> bool
where
    M: serde::de::DeserializeOwned + crate::Diff,
{
    // The members removed in one copy (a copy per member was quadratic in a wide model).
    let without = |json: &serde_json::Value| {
        let mut json = json.clone();
        for path in paths {
            if let Some((Step::Member(last), parent)) = path.split_last()
                && let Some(serde_json::Value::Object(members)) = member_at_mut(&mut json, parent)
            {
                members.remove(last);
            }
        }
        json
    };
    if without(written) == without(expected) {
        return true;
    }
    let mut restored = written.clone();
    for path in paths {
        let Some((Step::Member(last), parent)) = path.split_last() else {
            return false;
        };
        let Some(serde_json::Value::Object(members)) = member_at_mut(&mut restored, parent) else {
            return false;
        };
        match member_at(expected, path) {
            Some(member) => members.insert(last.clone(), member.clone()),
            None => members.remove(last),
        };
    }
    read_json::<M>(restored, boolean_strings)
        .is_ok_and(|back| crate::Diff::diff_patch(model, &back).is_empty())
}

/// The paths of the members that `written` (a model's JSON) holds as a value other than
/// `null` and that every one of `jsons` lacks, through the objects that all hold: a `None`
/// that the JSON leaves out and the model's serde default fills (review 126). Also in the
/// elements of arrays (review 130: a keyed array's element removal sent the others whole, and
/// set such a `None` of theirs to the default): of the keyed arrays `keyed` of this object,
/// each element of `written` paired with the one element of its key in each of `jsons`, and
/// of the other arrays, element by element, where all have its length.
fn absent_but_filled(
    jsons: &[&serde_json::Value],
    written: &serde_json::Value,
    keyed: &[KeyedArray],
    path: &mut Vec<Step>,
    found: &mut Vec<Vec<Step>>,
) {
    match written {
        serde_json::Value::Object(members) => {
            let Some(objects) = jsons
                .iter()
                .map(|json| json.as_object())
                .collect::<Option<Vec<_>>>()
            else {
                return;
            };
            for (name, value) in members {
                path.push(Step::Member(name.clone()));
                let held: Option<Vec<&serde_json::Value>> =
                    objects.iter().map(|object| object.get(name)).collect();
                match (held, KeyedArray::key_of(keyed, name)) {
                    (Some(inner), Some(key)) => {
                        absent_in_elements(&inner, value, key, path, found);
                    }
                    (Some(inner), None) => absent_but_filled(&inner, value, &[], path, found),
                    (None, _)
                        if !value.is_null()
                            && objects.iter().all(|object| !object.contains_key(name)) =>
                    {
                        found.push(path.clone());
                    }
                    (None, _) => {}
                }
                path.pop();
            }
        }
        serde_json::Value::Array(elements) => {
            let Some(arrays) = jsons
                .iter()
                .map(|json| {
                    json.as_array()
                        .filter(|array| array.len() == elements.len())
                })
                .collect::<Option<Vec<_>>>()
            else {
                return;
            };
            for (index, element) in elements.iter().enumerate() {
                let inner: Vec<&serde_json::Value> =
                    arrays.iter().map(|array| &array[index]).collect();
                path.push(Step::Element(index));
                absent_but_filled(&inner, element, &[], path, found);
                path.pop();
            }
        }
        _ => {}
    }
}

/// [`absent_but_filled`] in the elements of a keyed array whose elements `key` identifies:
/// each element of `written` with the one element of its key in each of `jsons`.
fn absent_in_elements(
    jsons: &[&serde_json::Value],
    written: &serde_json::Value,
    key: &str,
    path: &mut Vec<Step>,
    found: &mut Vec<Vec<Step>>,
) {
    let (serde_json::Value::Array(elements), Some(arrays)) = (
        written,
        jsons
            .iter()
            .map(|json| json.as_array())
            .collect::<Option<Vec<_>>>(),
    ) else {
        return;
    };
    let indexes: Vec<_> = arrays
        .iter()
        .map(|array| elements_by_key(array, key))
        .collect();
    for (index, element) in elements.iter().enumerate() {
        let Some(identity) = crate::keyed_array::element_key_identity(element, key) else {
            continue;
        };
        let Some(inner) = indexes
            .iter()
            .map(|held| held.get(&identity).copied().flatten())
            .collect::<Option<Vec<_>>>()
        else {
            continue;
        };
        path.push(Step::Element(index));
        absent_but_filled(&inner, element, &[], path, found);
        path.pop();
    }
}

/// One step of a path into JSON: an object's member or an array's element.
#[derive(Debug, Clone)]
enum Step {
    Member(String),
    Element(usize),
}

/// The paths of the members that `base_json` holds, `changed` lacks, and `target_json` holds
/// as a value other than `null`, through the objects that all three hold, and through the
/// elements of the keyed arrays `keyed` of this object (an element of `changed` paired with
/// the one element of `base_json` that has its key; `target_json`'s element at its index).
fn removed_but_filled(
    base_json: &serde_json::Value,
    changed: &serde_json::Value,
    target_json: &serde_json::Value,
    keyed: &[KeyedArray],
    path: &mut Vec<Step>,
    found: &mut Vec<Vec<Step>>,
) {
    let (
        serde_json::Value::Object(old),
        serde_json::Value::Object(new),
        serde_json::Value::Object(target),
    ) = (base_json, changed, target_json)
    else {
        return;
    };
    for (name, old_value) in old {
        let Some(target_value) = target.get(name) else {
            continue;
        };
        path.push(Step::Member(name.clone()));
        match (new.get(name), KeyedArray::key_of(keyed, name)) {
            (None, _) if !target_value.is_null() => found.push(path.clone()),
            (None, _) => {}
            (Some(new_value), Some(key)) => {
                removed_in_elements(old_value, new_value, target_value, key, path, found)
            }
            (Some(new_value), None) => {
                removed_but_filled(old_value, new_value, target_value, &[], path, found);
                removed_in_same_places(old_value, new_value, target_value, path, found);
            }
        }
        path.pop();
    }
}

/// [`removed_but_filled`] in the elements of an array that is not keyed here (a nested model's
/// keyed array, a `Vec` of structs), which `to_scim_patch` writes whole, a cleared member as
/// `null` that a SCIM service stores as unassigned (RFC 7643 §2.5): element by element, where
/// the array kept its length (an element inserted or removed moves the others, and an element
/// that no element of the base was is read with its defaults).
fn removed_in_same_places(
    base_json: &serde_json::Value,
    changed: &serde_json::Value,
    target_json: &serde_json::Value,
    path: &mut Vec<Step>,
    found: &mut Vec<Vec<Step>>,
) {
    let (
        serde_json::Value::Array(old),
        serde_json::Value::Array(new),
        serde_json::Value::Array(target),
    ) = (base_json, changed, target_json)
    else {
        return;
    };
    if old.len() != new.len() || new.len() != target.len() {
        return;
    }
    for (index, ((old_element, new_element), target_element)) in
        old.iter().zip(new).zip(target).enumerate()
    {
        path.push(Step::Element(index));
        removed_but_filled(old_element, new_element, target_element, &[], path, found);
        path.pop();
    }
}

/// [`removed_but_filled`] in the elements of a keyed array whose elements `key` identifies.
fn removed_in_elements(
    base_json: &serde_json::Value,
    changed: &serde_json::Value,
    target_json: &serde_json::Value,
    key: &str,
    path: &mut Vec<Step>,
    found: &mut Vec<Vec<Step>>,
) {
    let (
        serde_json::Value::Array(old),
        serde_json::Value::Array(new),
        serde_json::Value::Array(target),
    ) = (base_json, changed, target_json)
    else {
        return;
    };
    let held = elements_by_key(old, key);
    for (index, (new_element, target_element)) in new.iter().zip(target).enumerate() {
        if let Some(Some(old_element)) = crate::keyed_array::element_key_identity(new_element, key)
            .and_then(|key| held.get(&key))
        {
            path.push(Step::Element(index));
            removed_but_filled(old_element, new_element, target_element, &[], path, found);
            path.pop();
        }
    }
}

/// The element of each key in a keyed array, `None` where two hold it: indexed once, not
/// searched for each element of the other array (quadratic in the array's length: 10,000
/// elements took seconds for one `replace` elsewhere; review 130).
fn elements_by_key<'a>(
    elements: &'a [serde_json::Value],
    key: &str,
) -> std::collections::HashMap<String, Option<&'a serde_json::Value>> {
    let mut held = std::collections::HashMap::with_capacity(elements.len());
    for element in elements {
        if let Some(identity) = crate::keyed_array::element_key_identity(element, key) {
            held.entry(identity)
                .and_modify(|one| *one = None)
                .or_insert(Some(element));
        }
    }
    held
}

/// The member at `path`, if every object and array on the way holds it.
fn member_at<'a>(json: &'a serde_json::Value, path: &[Step]) -> Option<&'a serde_json::Value> {
    path.iter().try_fold(json, |value, step| match step {
        Step::Member(name) => value.as_object()?.get(name),
        Step::Element(index) => value.as_array()?.get(*index),
    })
}

/// The member at `path`, mutably.
fn member_at_mut<'a>(
    json: &'a mut serde_json::Value,
    path: &[Step],
) -> Option<&'a mut serde_json::Value> {
    path.iter().try_fold(json, |value, step| match step {
        Step::Member(name) => value.as_object_mut()?.get_mut(name),
        Step::Element(index) => value.as_array_mut()?.get_mut(*index),
    })
}

#[cfg(test)]
mod tests {
    /// The field that serde's last ``missing field `x` `` names, after a path that may quote
    /// the same words (a map key; mutation audit: the first occurrence went unnoticed).
    #[test]
    fn the_missing_field_is_the_last_one_named() {
        assert_eq!(
            super::missing_field("at `tags.missing field `a``: missing field `hash`"),
            Some("hash")
        );
        assert_eq!(
            super::missing_field("missing field `hash` at line 1"),
            Some("hash")
        );
        assert_eq!(super::missing_field("invalid type: null"), None);
    }
}
