//! Applying SCIM operations (RFC 7644 §3.5.2.1 to §3.5.2.3) to a copy of a user's JSON.

use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash, Hasher};

use serde_json::{Map, Value};

use super::message::{Change, Invalid, Operation, kind_of};
use super::path::{Filter, Path};

/// Applies `operations` in order to `user`. On an error `user` is left part-way: apply them
/// to a copy.
pub(crate) fn apply(
    user: &mut Map<String, Value>,
    operations: &[Operation],
) -> Result<(), Invalid> {
    for operation in operations {
        let applied = match &operation.change {
            Change::Put {
                path,
                value,
                append,
            } => put_at(user, path, value, *append),
            Change::Remove(path) => remove_at(user, path),
        };
        applied.map_err(|message| Invalid::new(&operation.target, message))?;
    }
    Ok(())
}

/// `add` (`append`) or `replace` of `value` into `slot` (`null` when absent): objects merge
/// member by member, arrays get elements when appending, and the rest is replaced.
///
/// `null` is unassigned (RFC 7643 §2.5: "Assigning an attribute with the value `null` … would
/// be the equivalent of removing the attribute"): a `null` member merged into an object
/// removes the member, and a value placed whole (a new element, a replaced value) holds no
/// `null` member, at any depth. (An element sent as Entra ID sends group members,
/// `{"$ref": null, "value": "…"}`, is `{"value": "…"}`.)
///
/// An element that the array already holds (equal as JSON) is not appended again: "If the
/// target location already contains the value specified, no changes SHOULD be made"
/// (RFC 7644 §3.5.2.1), as when a provisioning client adds a value twice; nor is a value that
/// an `add`'s array gives twice, also where the attribute is absent.
fn put(slot: &mut Value, value: Value, append: bool) {
    match (slot, value) {
        (Value::Array(items), Value::Array(new)) if append => append_new(items, new),
        (Value::Array(items), new) if append => {
            let new = assigned_only(new);
            if !items.contains(&new) {
                items.push(new);
            }
        }
        // An absent attribute (or a `null` one, unassigned as well) that an `add` gives an
        // array gets its elements as an empty array would: each once. Set whole, as a
        // `replace` sets it, `add` of `["x", "x"]` stored both where the attribute was absent,
        // and one where it was `[]`.
        (slot @ Value::Null, Value::Array(new)) if append => {
            let mut items = Value::Array(Vec::with_capacity(new.len()));
            put(&mut items, Value::Array(new), true);
            *slot = items;
        }
        (Value::Object(members), Value::Object(new)) => {
            for (name, value) in new {
                if value.is_null() {
                    // `retain`, not `remove`: with serde_json's `preserve_order`, `remove`
                    // moves the last member into the removed one's place.
                    members.retain(|member, _| *member != name);
                } else {
                    put(members.entry(name).or_insert(Value::Null), value, append);
                }
            }
        }
        (slot, value) => *slot = assigned_only(value),
    }
}

/// Appends the elements of `new` that `items` does not hold (equal as JSON), each once.
///
/// The elements held are found by a hash of their JSON, not by a scan of `items` per element:
/// the scan made an `add` of a group's members take time quadratic in their number (an
/// `add` of 20,000 members, 0.9 MB, well under the 2 MB that a body may hold, took 109 s).
fn append_new(items: &mut Vec<Value>, new: Vec<Value>) {
    let mut held: HashMap<u64, Vec<usize>> = HashMap::with_capacity(items.len() + new.len());
    for (at, item) in items.iter().enumerate() {
        held.entry(json_hash(item)).or_default().push(at);
    }
    for element in new {
        let element = assigned_only(element);
        let places = held.entry(json_hash(&element)).or_default();
        if !places.iter().any(|&at| items[at] == element) {
            places.push(items.len());
            items.push(element);
        }
    }
}

/// A hash of a JSON value that equal values share (`==` of `serde_json::Value`): an object's
/// members in any order, `0.0` and `-0.0` alike.
fn json_hash(value: &Value) -> u64 {
    let mut hasher = DefaultHasher::new();
    hash_json(value, &mut hasher);
    hasher.finish()
}

fn hash_json(value: &Value, state: &mut DefaultHasher) {
    match value {
        Value::Null => state.write_u8(0),
        Value::Bool(value) => {
            state.write_u8(1);
            value.hash(state);
        }
        Value::Number(number) => {
            state.write_u8(2);
            // Equal numbers are one `f64` (a rounded one for a wide integer: a collision, not
            // a difference); `-0.0 == 0.0`.
            let float = number.as_f64().unwrap_or_default();
            let float = if float == 0.0 { 0.0 } else { float };
            state.write_u64(float.to_bits());
        }
        Value::String(text) => {
            state.write_u8(3);
            text.hash(state);
        }
        Value::Array(items) => {
            state.write_u8(4);
            state.write_usize(items.len());
            for item in items {
                hash_json(item, state);
            }
        }
        Value::Object(members) => {
            state.write_u8(5);
            state.write_usize(members.len());
            // The members' hashes summed: the same in any order.
            let sum = members.iter().fold(0_u64, |sum, (name, value)| {
                let mut member = DefaultHasher::new();
                name.hash(&mut member);
                hash_json(value, &mut member);
                sum.wrapping_add(member.finish())
            });
            state.write_u64(sum);
        }
    }
}

/// `value` without the `null` members of its objects, at any depth, arrays' elements included
/// (a `null` element of an array is a value, and stays).
fn assigned_only(value: Value) -> Value {
    match value {
        Value::Object(members) => Value::Object(
            members
                .into_iter()
                .filter(|(_, value)| !value.is_null())
                .map(|(name, value)| (name, assigned_only(value)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.into_iter().map(assigned_only).collect()),
        other => other,
    }
}

fn put_at(
    user: &mut Map<String, Value>,
    path: &Path,
    value: &Value,
    append: bool,
) -> Result<(), String> {
    let Path {
        attribute,
        filter,
        sub_attribute,
    } = path;
    let Some(filter) = filter else {
        let slot = user.entry(attribute.clone()).or_insert(Value::Null);
        let Some(sub) = sub_attribute else {
            put(slot, value.clone(), append);
            return Ok(());
        };
        if slot.is_null() {
            *slot = Value::Object(Map::new());
        }
        let Value::Object(members) = slot else {
            return Err(not_complex(attribute, sub));
        };
        put(
            members.entry(sub.clone()).or_insert(Value::Null),
            value.clone(),
            append,
        );
        return Ok(());
    };
    let mut matched = false;
    for element in elements(user, attribute)?.into_iter().flatten() {
        if !filter.matches(element) {
            continue;
        }
        matched = true;
        match (sub_attribute, element) {
            (Some(sub), Value::Object(members)) => put(
                members.entry(sub.clone()).or_insert(Value::Null),
                value.clone(),
                append,
            ),
            (_, element) => put(element, value.clone(), append),
        }
    }
    if matched {
        return Ok(());
    }
    if !append {
        // RFC 7644 §3.5.2.3: a `replace` whose filter matches nothing is `noTarget`.
        return Err(format!(
            "No value of {attribute} matches the filter (noTarget)."
        ));
    }
    // An `add` whose target does not exist adds it (RFC 7644 §3.5.2.1), as Entra ID expects
    // of `emails[type eq "work"].value` for a user without a work email: the element that
    // the filter's comparisons describe, with the value.
    let element = new_element(attribute, filter, sub_attribute.as_deref(), value)?;
    match user.get_mut(attribute) {
        Some(Value::Array(items)) => items.push(element),
        _ => {
            user.insert(attribute.clone(), Value::Array(vec![element]));
        }
    }
    Ok(())
}

/// The element that an `add` at `attribute[filter]` (`.sub`) adds where no element matches:
/// the members that the filter's `eq` comparisons name (`type eq "work"`: `{"type": "work"}`;
/// `eq null` names none), with the value merged in (at `sub`, or its members). A filter with
/// `or` does not say which element, and a value that contradicts the filter (`type eq "work"`
/// with `{"type": "home"}`) would add one that the filter does not select: both stay
/// `noTarget`.
fn new_element(
    attribute: &str,
    filter: &Filter,
    sub_attribute: Option<&str>,
    value: &Value,
) -> Result<Value, String> {
    let no_target =
        |why: &str| format!("No value of {attribute} matches the filter, and {why} (noTarget).");
    let [comparisons] = filter.0.as_slice() else {
        return Err(no_target(
            "a filter with `or` does not say which value to add",
        ));
    };
    let mut element = Value::Object(
        comparisons
            .iter()
            .filter(|(_, value)| !value.is_null())
            .map(|(name, value)| (name.clone(), value.clone()))
            .collect(),
    );
    let value = match sub_attribute {
        Some(sub) => Value::Object(Map::from_iter([(sub.to_owned(), value.clone())])),
        None => value.clone(),
    };
    put(&mut element, value, true);
    if filter.matches(&element) {
        Ok(element)
    } else {
        Err(no_target(
            "the value added would not match it: its comparisons and the value disagree",
        ))
    }
}

fn remove_at(user: &mut Map<String, Value>, path: &Path) -> Result<(), String> {
    let Path {
        attribute,
        filter,
        sub_attribute,
    } = path;
    match (filter, sub_attribute) {
        (None, None) => {
            user.remove(attribute);
        }
        (None, Some(sub)) => match user.get_mut(attribute) {
            // `null` is unassigned (RFC 7643 §2.5), as absent is.
            None | Some(Value::Null) => {}
            Some(Value::Object(members)) => {
                members.remove(sub);
            }
            Some(_) => return Err(not_complex(attribute, sub)),
        },
        (Some(filter), None) => {
            if let Some(items) = elements(user, attribute)? {
                items.retain(|element| !filter.matches(element));
                if items.is_empty() {
                    user.remove(attribute);
                }
            }
        }
        (Some(filter), Some(sub)) => {
            for element in elements(user, attribute)?.into_iter().flatten() {
                if let (true, Value::Object(members)) = (filter.matches(element), element) {
                    members.remove(sub);
                }
            }
        }
    }
    Ok(())
}

/// The elements of the multi-valued `attribute`, for a filter: `None` when it is absent, an
/// error when it is not an array, or holds a value that is not an object. A filter selects
/// complex values by their sub-attributes (RFC 7644 §3.4.2.2; RFC 7643 §2.4 gives simple
/// values none): `tags[value eq "x"]` on `["x"]` matched nothing, so its `remove` answered 200
/// and removed nothing, and an `add` there would put an object among strings.
fn elements<'a>(
    user: &'a mut Map<String, Value>,
    attribute: &str,
) -> Result<Option<&'a mut Vec<Value>>, String> {
    match user.get_mut(attribute) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Array(items)) => match items.iter().find(|item| !item.is_object()) {
            None => Ok(Some(items)),
            Some(simple) => Err(format!(
                "{attribute} holds simple values ({} among them), which have no sub-attributes \
                 for a filter to compare: replace the attribute whole (invalidFilter).",
                kind_of(simple)
            )),
        },
        Some(_) => Err(format!(
            "{attribute} is not multi-valued: a filter cannot select its values (invalidPath)."
        )),
    }
}

fn not_complex(attribute: &str, sub: &str) -> String {
    format!(
        "{attribute} is not a complex attribute: {attribute}.{sub} does not exist (invalidPath)."
    )
}
