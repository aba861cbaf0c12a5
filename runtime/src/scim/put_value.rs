//! A value put into a slot by `add` or `replace` (RFC 7644 §3.5.2.1, §3.5.2.3): objects merged
//! member by member, multi-valued attributes appended to without the values they hold, and
//! `null` as unassigned (RFC 7643 §2.5).

use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash, Hasher};

use serde_json::{Map, Value};

use super::filter::equal_in_any_case;
use super::name_rules::{Names, Rules};
use super::patch_error::ScimFault;
use crate::keyed_array::key_identity;
use crate::number_identity::{
    number_identity, numbers_keep_their_text, same_json_number, whole_value,
};

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
fn append_new(items: &mut Vec<Value>, new: Vec<Value>, rules: Rules) {
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

/// The complex elements of a multi-valued attribute that have a `value` sub-attribute, by the
/// hash of their `value` ([`json_hash`]) and, once two elements share one, by that hash with
/// each other sub-attribute's ([`member_hash`]), for [`append_new`]'s question whether an
/// element holds another's `value` and its other sub-attributes.
///
/// Looked up by `value` alone, the elements that share one `value` were each compared in
/// turn: an `add` of 4,000 emails of one address, each with its own `type`, took 1.9 s, and
/// 16,000 took 31 s (quadratic). An element is now compared only with those that share its
/// `value` and the one of its other sub-attributes that the fewest share; an element that
/// gives a sub-attribute that none of them has is compared with none.
struct ElementsByValue {
    caseless: bool,
    /// The elements' positions by the hash of their `value`.
    by_value: HashMap<u64, Vec<usize>>,
    /// The elements' positions by the hash of their `value` and the hash of one other
    /// sub-attribute (its name and value), one entry for each; built at the first question
    /// about a `value` that two elements share (a group's members, each of its own `value`,
    /// never need it).
    by_member: Option<HashMap<(u64, u64), Vec<usize>>>,
}

impl ElementsByValue {
    fn new(caseless: bool) -> Self {
        ElementsByValue {
            caseless,
            by_value: HashMap::new(),
            by_member: None,
        }
    }

    /// Indexes the element at `at`, an object whose `value` hashes to `value`.
    fn insert(&mut self, at: usize, element: &Value, value: u64) {
        self.by_value.entry(value).or_default().push(at);
        if let Some(by_member) = &mut self.by_member {
            index_members(by_member, at, element, value, self.caseless);
        }
    }

    /// Whether one of `items` that this index holds holds every sub-attribute of `element`
    /// ([`holds_all`]), an object whose `value` hashes to `value`.
    fn holds(&mut self, items: &[Value], element: &Value, value: u64) -> bool {
        let caseless = self.caseless;
        let mut candidates = self.by_value.get(&value).map_or(&[][..], Vec::as_slice);
        if candidates.len() > 1 {
            let by_member = self.by_member.get_or_insert_with(|| {
                let mut by_member = HashMap::new();
                for (&value, ats) in &self.by_value {
                    for &at in ats {
                        index_members(&mut by_member, at, &items[at], value, caseless);
                    }
                }
                by_member
            });
            for (name, member) in element.as_object().into_iter().flatten() {
                if candidates.is_empty() {
                    break;
                }
                if name != "value" {
                    let key = (value, member_hash(name, member, caseless));
                    let sharing = by_member.get(&key).map_or(&[][..], Vec::as_slice);
                    if sharing.len() < candidates.len() {
                        candidates = sharing;
                    }
                }
            }
        }
        candidates
            .iter()
            .any(|&at| holds_all(&items[at], element, caseless))
    }
}

/// Adds to `by_member` the element at `at`, whose `value` hashes to `value`, under each of its
/// other sub-attributes ([`ElementsByValue`]).
fn index_members(
    by_member: &mut HashMap<(u64, u64), Vec<usize>>,
    at: usize,
    element: &Value,
    value: u64,
    caseless: bool,
) {
    for (name, member) in element.as_object().into_iter().flatten() {
        if name != "value" {
            let key = (value, member_hash(name, member, caseless));
            by_member.entry(key).or_default().push(at);
        }
    }
}

#[cfg(test)]
thread_local! {
    /// How many times [`holds_all`] compared an element with another, for the test
    /// that the comparisons do not grow with the elements that share a `value`.
    static CONTAINMENT_CHECKS: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
    /// How many times [`same_element`] compared two values (at any depth), for the test that
    /// distinct values are not compared for sharing a hash.
    static ELEMENT_COMPARISONS: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// Whether `held` is an object that holds every member of the object `element`, equal
/// ([`same_element`]).
fn holds_all(held: &Value, element: &Value, caseless: bool) -> bool {
    #[cfg(test)]
    CONTAINMENT_CHECKS.with(|count| count.set(count.get() + 1));
    match (held, element) {
        (Value::Object(held), Value::Object(element)) => element.iter().all(|(name, value)| {
            held.get(name)
                .is_some_and(|held| same_element(held, value, caseless))
        }),
        _ => false,
    }
}

/// Whether `a` and `b` are one value: as JSON (`==` in a build without serde_json's
/// `arbitrary_precision`, numbers as [`same_json_number`] tells in any build), or, `caseless`,
/// as SCIM compares values (strings in any case, numbers by value, at any depth; RFC 7643
/// §2.2, RFC 7644 §3.4.2.2).
fn same_element(a: &Value, b: &Value, caseless: bool) -> bool {
    #[cfg(test)]
    ELEMENT_COMPARISONS.with(|count| count.set(count.get() + 1));
    if !caseless && !numbers_keep_their_text() {
        return a == b;
    }
    match (a, b) {
        (Value::String(a), Value::String(b)) if caseless => equal_in_any_case(a, b),
        (Value::Number(_), Value::Number(_)) if caseless => key_identity(a) == key_identity(b),
        (Value::Number(a), Value::Number(b)) => same_json_number(a, b),
        (Value::Array(a), Value::Array(b)) => {
            a.len() == b.len() && a.iter().zip(b).all(|(a, b)| same_element(a, b, caseless))
        }
        (Value::Object(a), Value::Object(b)) => {
            a.len() == b.len()
                && a.iter()
                    .all(|(name, a)| b.get(name).is_some_and(|b| same_element(a, b, caseless)))
        }
        _ => a == b,
    }
}

/// A hash of a JSON value that equal values share ([`same_element`]): an object's members in
/// any order, `0.0` and `-0.0` alike, and, `caseless`, strings in any case.
fn json_hash(value: &Value, caseless: bool) -> u64 {
    let mut hasher = DefaultHasher::new();
    hash_json(value, caseless, &mut hasher);
    hasher.finish()
}

fn hash_json(value: &Value, caseless: bool, state: &mut DefaultHasher) {
    match value {
        Value::Null => state.write_u8(0),
        Value::Bool(value) => {
            state.write_u8(1);
            value.hash(state);
        }
        Value::Number(number) => {
            state.write_u8(2);
            hash_number(number, state);
        }
        Value::String(text) if caseless => {
            state.write_u8(3);
            text.to_lowercase().hash(state);
        }
        Value::String(text) => {
            state.write_u8(3);
            text.hash(state);
        }
        Value::Array(items) => {
            state.write_u8(4);
            state.write_usize(items.len());
            for item in items {
                hash_json(item, caseless, state);
            }
        }
        Value::Object(members) => {
            state.write_u8(5);
            state.write_usize(members.len());
            // The members' hashes summed: the same in any order.
            let sum = members.iter().fold(0_u64, |sum, (name, value)| {
                sum.wrapping_add(member_hash(name, value, caseless))
            });
            state.write_u64(sum);
        }
    }
}

/// Hashes `number` so that numbers of one value share the hash ([`key_identity`]: `1`,
/// `1.0` and `1e0`; `0.0` and `-0.0`): an integer, and a float whose value is an integer
/// (below 2^127), by that integer; another float by its bits. With serde_json's
/// `arbitrary_precision`, where a number is its text and its value the exact decimal that the
/// text writes, by that value's identity ([`number_identity`]): read there as an integer where
/// the text is one and by its nearest `f64` where it is not, `9007199254740993` and
/// `9007199254740993.0`, one value, had two hashes, and an `add` of the second appended it
/// beside the first (review 69).
///
/// Hashed by their nearest `f64`, distinct wide integers collided: the integers around 2^63
/// that round to one `f64` (2,048 of them) were each compared with every one before them, and
/// an `add` of 16,000 of them (0.4 MB) took 46 s in a test build.
fn hash_number(number: &serde_json::Number, state: &mut DefaultHasher) {
    if numbers_keep_their_text() {
        number_identity(number).hash(state);
        return;
    }
    // Each number is an `i64`, a `u64` or a finite `f64` here.
    let whole = number
        .as_i64()
        .map(i128::from)
        .or_else(|| number.as_u64().map(i128::from))
        .or_else(|| number.as_f64().and_then(whole_value));
    match whole {
        Some(whole) => state.write_i128(whole),
        None => state.write_u64(number.as_f64().map_or(0, f64::to_bits)),
    }
}

/// A hash of an object's member `name` with its `value`, that equal members share
/// ([`json_hash`] of the value; the name as written).
fn member_hash(name: &str, value: &Value, caseless: bool) -> u64 {
    let mut member = DefaultHasher::new();
    name.hash(&mut member);
    hash_json(value, caseless, &mut member);
    member.finish()
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

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    use super::{
        CONTAINMENT_CHECKS, ELEMENT_COMPARISONS, assigned_only, holds_all, put, same_element,
    };
    use crate::keyed_array::key_identity;
    use crate::number_identity::numbers_keep_their_text;
    use crate::scim::name_rules::Rules;

    /// Number texts whose values are equal, or are not, in ways a hash may tell apart:
    /// integer and float texts of one value, `-0`, integers past 2^53 that one `f64` holds,
    /// past `u64` and `i128`. Read by serde_json: as `f64`s (those past `u64`) by default, as
    /// written with its `arbitrary_precision`; a text it cannot read (`1e400` by default) is
    /// left out.
    const NUMBER_TEXTS: &[&str] = &[
        "0",
        "-0",
        "0.0",
        "-0.0",
        "0e7",
        "1",
        "1.0",
        "1e0",
        "10e-1",
        "0.5",
        "5e-1",
        "-7",
        "-7.0",
        "9007199254740992",
        "9007199254740992.0",
        "9007199254740993",
        "9007199254740993.0",
        "9.007199254740993e15",
        "18446744073709551615",
        "18446744073709551615.0",
        "18446744073709551616",
        "1.8446744073709552e19",
        "100000000000000000000001",
        "1.00000000000000000000001e23",
        "1e23",
        "-9223372036854775808",
        "-9223372036854775808.0",
        "170141183460469231731687303715884105728",
        "1.7014118346046923e38",
        "340282366920938463463374607431768211456",
        "1e300",
        "1e400",
        "10e399",
    ];

    fn numbers() -> Vec<Value> {
        NUMBER_TEXTS
            .iter()
            .filter_map(|text| serde_json::from_str(text).ok())
            .collect()
    }

    /// What an `add` appends by the rule itself, without hashes or indexes: each element
    /// (without its `null` members) unless an element held is the same value or, being an
    /// object, holds each of its members ([`super::append_new`]'s rule under
    /// [`Rules::RFC`]).
    fn appended_by_the_rule(mut items: Vec<Value>, new: Vec<Value>) -> Vec<Value> {
        for element in new {
            let element = assigned_only(element);
            let held = items.iter().any(|item| {
                same_element(item, &element, true)
                    || (element.get("value").is_some() && holds_all(item, &element, true))
            });
            if !held {
                items.push(element);
            }
        }
        items
    }

    /// Two numbers are one element of a multi-valued attribute exactly when they are one
    /// value ([`key_identity`], as a filter's `eq` finds them), as simple values, as a complex
    /// element's `value` and as another sub-attribute beside elements that share a `value`,
    /// also with serde_json's `arbitrary_precision` (run with
    /// `--features serde_json/arbitrary_precision`), where `9007199254740993` and
    /// `9007199254740993.0` are one value but the first was hashed as an integer, the second
    /// by its nearest `f64` (`9007199254740992`): an `add` of the second appended it beside
    /// the first.
    #[test]
    fn numbers_of_one_value_are_one_element_whatever_their_text() {
        let numbers = numbers();
        for held in &numbers {
            for given in &numbers {
                let one = key_identity(held) == key_identity(given);
                let expected = if one { 1 } else { 2 };
                let (items, _) = appended(vec![held.clone()], vec![given.clone()]);
                assert_eq!(items.len(), expected, "{held} then {given}");
                let (items, _) = appended(
                    vec![json!({"value": held})],
                    vec![json!({"value": given, "display": null})],
                );
                assert_eq!(items.len(), expected, "value {held} then {given}");
                let (items, _) = appended(
                    vec![
                        json!({"value": "a", "n": held}),
                        json!({"value": "a", "n": "other"}),
                    ],
                    vec![json!({"value": "A", "n": given})],
                );
                assert_eq!(items.len(), expected + 1, "n {held} then {given}");
            }
        }
    }

    /// An `add` of `new` to `items` under the RFC's rules, and how many elements were compared
    /// for containment.
    fn appended(items: Vec<Value>, new: Vec<Value>) -> (Vec<Value>, usize) {
        let mut slot = Value::Array(items);
        CONTAINMENT_CHECKS.with(|count| count.set(0));
        put(&mut slot, Value::Array(new), true, Rules::RFC).unwrap();
        let Value::Array(items) = slot else {
            unreachable!()
        };
        (items, CONTAINMENT_CHECKS.with(std::cell::Cell::get))
    }

    /// A JSON value of the kinds an `add` compares: numbers of [`NUMBER_TEXTS`], strings that
    /// differ in case (`K` and the Kelvin sign too), objects whose members are named `value`
    /// or not, in any case, and arrays, nested.
    fn element() -> impl proptest::strategy::Strategy<Value = Value> {
        use proptest::prelude::*;
        let leaf = prop_oneof![
            proptest::sample::select(numbers()),
            proptest::sample::select(vec!["a", "A", "k", "\u{212A}", "ss", "SS", "\u{df}"])
                .prop_map(|text| json!(text)),
            Just(Value::Null),
            Just(json!(true)),
        ];
        leaf.prop_recursive(3, 16, 3, |inner| {
            prop_oneof![
                proptest::collection::vec(inner.clone(), 0..3).prop_map(Value::Array),
                proptest::collection::btree_map(
                    proptest::sample::select(vec!["value", "Value", "type", "n"]),
                    inner,
                    0..4,
                )
                .prop_map(|members| {
                    Value::Object(
                        members
                            .into_iter()
                            .map(|(name, value)| (name.to_owned(), value))
                            .collect(),
                    )
                }),
            ]
        })
    }

    /// The elements held once `items` are added to nothing, then `new` added to them: what
    /// [`appended_by_the_rule`] appends, element for element.
    fn appends_what_the_rule_appends(
        items: Vec<Value>,
        new: Vec<Value>,
    ) -> Result<(), proptest::test_runner::TestCaseError> {
        let held: Vec<Value> = appended_by_the_rule(Vec::new(), items);
        let expected = appended_by_the_rule(held.clone(), new.clone());
        let (items, _) = appended(held, new);
        proptest::prop_assert_eq!(items, expected);
        Ok(())
    }

    proptest::proptest! {
        /// The hashes and indexes that find the elements held append what the rule does,
        /// element for element (ELEMENT_COMPARISONS aside).
        #[test]
        fn an_add_appends_what_the_rule_appends(
            items in proptest::collection::vec(element(), 0..6),
            new in proptest::collection::vec(element(), 0..6),
        ) {
            appends_what_the_rule_appends(items, new)?;
        }

        /// The same, for complex elements that mostly share their `value` (each compared
        /// through the index by `value` and another sub-attribute).
        #[test]
        fn an_add_of_elements_sharing_a_value_appends_what_the_rule_appends(
            items in proptest::collection::vec(complex_element(), 0..8),
            new in proptest::collection::vec(complex_element(), 0..8),
        ) {
            appends_what_the_rule_appends(items, new)?;
        }
    }

    /// An object with a `value` of few choices (in either case, or as numbers of one value)
    /// and up to three other sub-attributes of [`element`]'s values.
    fn complex_element() -> impl proptest::strategy::Strategy<Value = Value> {
        use proptest::prelude::*;
        (
            proptest::sample::select(vec![json!("a"), json!("A"), json!(1), json!(1.0)]),
            proptest::collection::btree_map(
                proptest::sample::select(vec!["type", "Type", "display", "primary"]),
                element(),
                0..4,
            ),
        )
            .prop_map(|(value, members)| {
                let mut element: serde_json::Map<String, Value> = members
                    .into_iter()
                    .map(|(name, member)| (name.to_owned(), member))
                    .collect();
                element.insert("value".to_owned(), value);
                Value::Object(element)
            })
    }

    #[test]
    fn elements_that_share_a_value_are_not_each_compared_with_each() {
        // Emails of one address, each of its own type: each was compared with every one
        // before it (n² / 2 comparisons, 31 s for 16,000 in a debug build).
        let elements = |range: std::ops::Range<usize>| -> Vec<Value> {
            range
                .map(|i| json!({"value": "a@example.com", "type": format!("t{i}")}))
                .collect()
        };
        let size = 2_000;
        let (items, compared) = appended(elements(0..size / 2), elements(size / 2..size));
        assert_eq!(items.len(), size);
        assert_eq!(compared, 0);

        // An element contained in one held, one held (in any case), and one that adds a
        // sub-attribute: the first is compared with one element that shares its value (which
        // holds it), the second is found by its hash, and the third with none (no element
        // has its display).
        let (items, compared) = appended(
            elements(0..size),
            vec![
                json!({"value": "a@example.com"}),
                json!({"value": "A@example.com", "type": "T7"}),
                json!({"value": "a@example.com", "type": "t8", "display": "Babs"}),
            ],
        );
        assert_eq!(items.len(), size + 1);
        assert_eq!(
            items.last(),
            Some(&json!({"value": "a@example.com", "type": "t8", "display": "Babs"}))
        );
        assert_eq!(compared, 1);
    }

    #[test]
    fn wide_integers_of_one_float_are_not_each_compared_with_each() {
        // 2,048 integers around 2^63, which round to two `f64`s: hashed by them, each was
        // compared with every one before it of its `f64` (1,309,696 comparisons).
        let wide: Vec<Value> = (0..2_048_u64)
            .map(|i| json!((1_u64 << 63) - 1_024 + i))
            .collect();
        ELEMENT_COMPARISONS.with(|count| count.set(0));
        let (items, _) = appended(vec![], wide.clone());
        assert_eq!(items, wide);
        assert_eq!(ELEMENT_COMPARISONS.with(std::cell::Cell::get), 0);

        // Numbers of one value are one element still, whatever their text; distinct ones
        // stay apart, also where they share an `f64` or an integer's shortest text.
        let held = vec![json!(1), json!(0.0), json!(9_007_199_254_740_992_u64)];
        let new = vec![
            json!(1.0),
            json!(-0.0),
            json!(0),
            json!(9_007_199_254_740_993_u64),
            json!(9_007_199_254_740_992.0),
            json!(1_152_921_504_606_846_976.0),
            json!(1_152_921_504_606_847_000_u64),
            json!(1_152_921_504_606_846_976_u64),
            json!(0.5),
            json!(1e300),
            json!(1e300),
            json!(-7),
            json!(-7.0),
        ];
        let (items, _) = appended(held.clone(), new.clone());
        assert_eq!(items, appended_by_the_rule(held, new));
        // 2^60 as a float is the integer 1152921504606846976, which its shortest text
        // (`1.152921504606847e18`, the float's value with `arbitrary_precision`, where a number
        // is its text) is not: the integer of the two that the float is not is appended.
        let not_the_float = if numbers_keep_their_text() {
            json!(1_152_921_504_606_846_976_u64)
        } else {
            json!(1_152_921_504_606_847_000_u64)
        };
        assert_eq!(
            items,
            [
                json!(1),
                json!(0.0),
                json!(9_007_199_254_740_992_u64),
                json!(9_007_199_254_740_993_u64),
                json!(1_152_921_504_606_846_976.0),
                not_the_float,
                json!(0.5),
                json!(1e300),
                json!(-7),
            ]
        );
    }
}
