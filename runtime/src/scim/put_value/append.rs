//! [`append_new`]: the elements that an `add` appends to a multi-valued attribute, each once
//! (RFC 7644 §3.5.2.1).

use std::collections::HashMap;

use serde_json::Value;

use super::assigned_only;
use super::element_equality::same_element;
use super::elements_by_value::ElementsByValue;
use super::hashes::json_hash;
use crate::scim::name_rules::Rules;

/// Appends the elements of `new` that `items` does not hold, each once: equal as SCIM values
/// where `rules` say so ([`Rules::equal_as_scim_values`]: `"X"` holds `"x"`, `1` holds `1.0`,
/// as a filter's `eq` and a `remove`'s value find them; an `add` appended `"x"` beside `"X"`,
/// which a `remove` of `"x"` then took both of; review 37), else equal as JSON.
///
/// The elements held are found by a hash of their JSON, not by a scan of `items` per element:
/// the scan made an `add` of a group's members take time quadratic in their number (an
/// `add` of 20,000 members, 0.9 MB, well under the 2 MB that a body may hold, took 109 s).
///
/// Where `rules` say so ([`Rules::contained_elements`]), a complex element with a `value`
/// sub-attribute is held also where an element has that `value` and every other
/// sub-attribute it gives: Entra ID adds a group's member again as `{"value": "…"}` (with
/// `"$ref": null`) where the group holds `{"value": "…", "display": "Babs", "$ref": …}`, and
/// that appended the member twice (AzureAD/SCIMReferenceCode#10). An element that gives
/// another sub-attribute's value (`{"value": "a@example.com", "type": "home"}` beside
/// `{"value": "a@example.com", "type": "work"}`) is appended. Those elements are found through
/// [`ElementsByValue`], by their `value` and each other sub-attribute.
pub(super) fn append_new(items: &mut Vec<Value>, new: Vec<Value>, rules: Rules) {
    let mut held: HashMap<u64, Vec<usize>> = HashMap::with_capacity(items.len() + new.len());
    let caseless = rules.equal_as_scim_values;
    let mut by_value = ElementsByValue::new(caseless);
    let value_of = |item: &Value| {
        rules
            .contained_elements
            .then(|| item.as_object()?.get("value"))
            .flatten()
            .map(|value| json_hash(value, caseless))
    };
    for (at, item) in items.iter().enumerate() {
        held.entry(json_hash(item, caseless)).or_default().push(at);
        if let Some(hash) = value_of(item) {
            by_value.insert(at, item, hash);
        }
    }
    for element in new {
        let element = assigned_only(element);
        let places = held.entry(json_hash(&element, caseless)).or_default();
        if places
            .iter()
            .any(|&at| same_element(&items[at], &element, caseless))
        {
            continue;
        }
        let value = value_of(&element);
        if let Some(hash) = value
            && by_value.holds(items, &element, hash)
        {
            continue;
        }
        places.push(items.len());
        if let Some(hash) = value {
            by_value.insert(items.len(), &element, hash);
        }
        items.push(element);
    }
}
