//! The unit tests of `put_value`: an `add` appends what the rule appends, element for element,
//! numbers of one value are one element, and elements are not each compared with each.

use serde_json::{Value, json};

use super::element_equality::{CONTAINMENT_CHECKS, ELEMENT_COMPARISONS, holds_all, same_element};
use super::{assigned_only, put};
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
/// object, holds each of its members ([`append_new`](super::append::append_new)'s rule under
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
