//! A value put into a slot by `add` or `replace` (RFC 7644 §3.5.2.1, §3.5.2.3): objects merged
//! member by member, multi-valued attributes appended to without the values they hold, and
//! `null` as unassigned (RFC 7643 §2.5).
//!
//! One file per job: this one puts a value ([`put`], [`merge_members`], [`assigned_only`]);
//! `append` appends the elements that an array does not hold, `elements_by_value` finds the
//! complex elements that hold another's sub-attributes, `element_equality` compares elements
//! and `hashes` hashes them.

mod append;
mod element_equality;
mod elements_by_value;
mod hashes;
#[cfg(test)]
mod tests;

use std::collections::HashMap;

use serde_json::{Map, Value};

use super::name_rules::{Names, Rules};
use super::patch_error::ScimFault;
use append::append_new;

/// `add` (`append`) or `replace` of `value` into `slot` (`null` when absent): objects merge
/// member by member (a member found by its name as `rules.names` compares names), arrays get
/// elements when appending, a multi-valued attribute replaced with one value that is not an
/// array holds that value alone where the rules say so
/// ([`Rules::one_value_replaces_values`]), and the rest is replaced.
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
/// an `add`'s array gives twice, also where the attribute is absent; nor, where `rules` say
/// so, a complex element whose `value` and other sub-attributes an element holds already
/// ([`append_new`]).
///
/// # Errors
///
/// [`ScimFault::OverlappingMembers`] where an object merged into an object names one member
/// twice, in two cases (`{"givenName": "a", "GivenName": "b"}` into `name`, names compared in
/// any case): which one would hold is the order of serde_json's map, not the client's.
pub(crate) fn put(
    slot: &mut Value,
    value: Value,
    append: bool,
    rules: Rules,
) -> Result<(), ScimFault> {
    match (slot, value) {
        (Value::Array(items), Value::Array(new)) if append => append_new(items, new, rules),
        (Value::Array(items), new) if append => append_new(items, vec![new], rules),
        // An absent attribute (or a `null` one, unassigned as well) that an `add` gives an
        // array gets its elements as an empty array would: each once. Set whole, as a
        // `replace` sets it, `add` of `["x", "x"]` stored both where the attribute was absent,
        // and one where it was `[]`.
        (slot @ Value::Null, Value::Array(new)) if append => {
            let mut items = Value::Array(Vec::with_capacity(new.len()));
            put(&mut items, Value::Array(new), true, rules)?;
            *slot = items;
        }
        (Value::Object(members), Value::Object(new)) => {
            return merge_members(members, new, append, rules.names, rules);
        }
        // A `replace` of a multi-valued attribute with one value, not in an array, replaces
        // its values with that one, as an `add` of one value appends it, where the rules say
        // so: stored as it came, `emails` held an object, no longer multi-valued (`null`
        // never comes here: it unassigns the attribute before).
        (slot @ Value::Array(_), value)
            if rules.one_value_replaces_values && !value.is_array() && !value.is_null() =>
        {
            *slot = Value::Array(vec![assigned_only(value)]);
        }
        (slot, value) => *slot = assigned_only(value),
    }
    Ok(())
}

/// Merges the members of `new` into `members`, each by [`put`] into the member that its name
/// names (in any case, where `own` says so; as `rules` say inside the members), a `null` one
/// removing it.
///
/// A name that `members` does not hold as written is found through an index of the members'
/// names in lower case, built once (at the first such name), not by a scan of `members` per
/// name: the scan made a path-less `add` of 40,000 new attributes to a resource of 40,000 take
/// 158 s. A member is removed (`retain`, which keeps serde_json's `preserve_order` order) only
/// where one is held.
pub(crate) fn merge_members(
    members: &mut Map<String, Value>,
    new: impl IntoIterator<Item = (String, Value)>,
    append: bool,
    own: Names,
    rules: Rules,
) -> Result<(), ScimFault> {
    let mut folded: Option<HashMap<String, Vec<String>>> = None;
    // The names of `new` in lower case, where they compare in any case: two that differ only
    // in case name one member.
    let mut given: HashMap<String, String> = HashMap::new();
    for (name, value) in new {
        if own == Names::AnyCase
            && let Some(first) = given.insert(name.to_ascii_lowercase(), name.clone())
        {
            return Err(ScimFault::OverlappingMembers {
                first,
                second: name,
            });
        }
        // The member that `name` names: itself as written, else (in any case) the first of
        // its case variants, found through the index.
        let exact = members.contains_key(&name);
        let variant = if exact || own == Names::Exact {
            None
        } else {
            let folded = folded.get_or_insert_with(|| {
                let mut folded: HashMap<String, Vec<String>> = HashMap::new();
                for key in members.keys() {
                    folded
                        .entry(key.to_ascii_lowercase())
                        .or_default()
                        .push(key.clone());
                }
                folded
            });
            folded
                .get(&name.to_ascii_lowercase())
                .and_then(|keys| keys.first().cloned())
        };
        if value.is_null() {
            if exact || variant.is_some() {
                own.remove(members, &name);
                if let Some(folded) = &mut folded {
                    folded.remove(&name.to_ascii_lowercase());
                }
            }
            continue;
        }
        let key = match variant {
            Some(key) => key,
            None => {
                if let (false, Some(folded)) = (exact, &mut folded) {
                    folded
                        .entry(name.to_ascii_lowercase())
                        .or_default()
                        .push(name.clone());
                }
                name
            }
        };
        put(
            members.entry(key).or_insert(Value::Null),
            value,
            append,
            rules,
        )?;
    }
    Ok(())
}

/// `value` without the `null` members of its objects, at any depth, arrays' elements included
/// (a `null` element of an array is a value, and stays).
pub(crate) fn assigned_only(value: Value) -> Value {
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
