//! The law between the library's SCIM output and the emulator's SCIM route, without HTTP: the
//! operations of [`scim_patch_from_merge`], read by [`read_message`] and applied by
//! [`apply`], give the document that the merge patch gives ([`merge_patch`], itself held to
//! `json_patch::merge` by `tests/json_merge_oracle.rs`), what SCIM calls unassigned aside
//! (RFC 7643 §2.5: `null`, `[]`, `{}`; a `null` inside an array's object too, which the
//! emulator stores nowhere).
//!
//! The inputs are the ones that peer implementations got wrong: attribute names that differ
//! only in case (`a`, `A`; `c`, `C` below), `$ref`, arrays of `null`s and of objects holding
//! `null`s, values that are not objects replacing objects and the reverse, integers at the
//! 64-bit ends, `-0.0`, and a keyed array (`emails` by `type`) whose keys differ only in case,
//! are equal by value though written apart (`1.0`, `-0.0`), or need quoting in a filter.
//! `tests/scim_operations_merge_law.rs` holds the same law through HTTP on fewer cases.

use proptest::prelude::*;
use serde_json::{Map, Value, json};

use super::apply::apply;
use super::message::read_message;
use super::scim_refusals;
use crate::{KeyedArray, SCIM_PATCH_OP_SCHEMA, merge_patch, scim_patch_from_merge};

fn leaf() -> BoxedStrategy<Value> {
    prop_oneof![
        Just(json!(1)),
        Just(json!(1.0)),
        Just(json!("s")),
        Just(json!(true)),
        Just(json!(-0.0)),
        Just(json!(u64::MAX)),
        Just(json!(i64::MIN)),
        Just(json!([])),
        Just(json!([null, 1])),
        Just(json!(["x", "x"])),
        Just(json!({})),
        Just(json!([{"c": null}])),
    ]
    .boxed()
}

/// Values of sub-attributes: objects (names that differ only in case, `$ref`) and arrays, with
/// `null` members where `nulls` (a merge patch's).
fn value(nulls: bool) -> BoxedStrategy<Value> {
    let leaf = if nulls {
        prop_oneof![3 => leaf(), 1 => Just(Value::Null)].boxed()
    } else {
        leaf()
    };
    leaf.prop_recursive(3, 12, 3, |inner| {
        prop_oneof![
            proptest::collection::btree_map(
                proptest::sample::select(vec!["c", "C", "type", "value", "$ref"]),
                inner.clone(),
                0..3
            )
            .prop_map(|members| Value::Object(
                members
                    .into_iter()
                    .map(|(name, value)| (name.to_owned(), value))
                    .collect()
            )),
            proptest::collection::vec(inner, 0..2).prop_map(Value::Array),
        ]
    })
    .boxed()
}

/// The elements of `emails`, keyed by `type`.
fn emails(nulls: bool) -> BoxedStrategy<Value> {
    let keys = [
        json!("work"),
        json!("Work"),
        json!("WORK"),
        json!(1),
        json!(1.0),
        json!("a\"]b"),
        json!(0),
        json!(-0.0),
    ];
    proptest::collection::btree_map(0..keys.len(), value(nulls), 0..3)
        .prop_map(move |elements| {
            Value::Array(
                elements
                    .into_iter()
                    .map(|(key, value)| json!({"type": keys[key].clone(), "value": value}))
                    .collect(),
            )
        })
        .boxed()
}

/// A user (`nulls` false) or a merge patch on one (`nulls` true).
fn object(nulls: bool) -> BoxedStrategy<Map<String, Value>> {
    let emails = if nulls {
        prop_oneof![Just(Value::Null), emails(true)].boxed()
    } else {
        emails(false)
    };
    (
        proptest::collection::btree_map(
            proptest::sample::select(vec!["a", "A", "b", "x-y", "$ref"]),
            value(nulls),
            0..4,
        ),
        proptest::option::of(emails),
    )
        .prop_map(|(members, emails)| {
            let mut object: Map<String, Value> = members
                .into_iter()
                .map(|(name, value)| (name.to_owned(), value))
                .collect();
            if let Some(emails) = emails {
                object.insert("emails".to_owned(), emails);
            }
            object
        })
        .boxed()
}

/// `value` without what SCIM calls unassigned, at any depth: `null`, `[]` and `{}` members
/// (an object left empty by that too), and the `null` members of the objects in arrays.
fn assigned(value: &Value) -> Value {
    match value {
        Value::Object(members) => Value::Object(
            members
                .iter()
                .map(|(name, value)| (name.clone(), assigned(value)))
                .filter(|(_, value)| match value {
                    Value::Null => false,
                    Value::Array(elements) => !elements.is_empty(),
                    Value::Object(members) => !members.is_empty(),
                    _ => true,
                })
                .collect(),
        ),
        Value::Array(elements) => Value::Array(elements.iter().map(assigned).collect()),
        other => other.clone(),
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(3000))]

    #[test]
    fn the_scim_output_applied_by_the_emulator_does_what_the_merge_patch_does(
        base in object(false),
        merge in object(true),
    ) {
        let keyed = [KeyedArray::Array { attribute: "emails", key: "type" }];
        let (base, merge) = (Value::Object(base), Value::Object(merge));
        let mut expected = base.clone();
        merge_patch(&mut expected, merge.clone());
        // The output refuses what it cannot say (names that differ only in case and would
        // both stay, keys that the patch's elements share): nothing is sent then. Any other
        // refusal, or one the JSON does not explain, fails (every refusal was skipped, so an
        // output that refused a patch it can say passed).
        let message = match scim_patch_from_merge(&base, &merge, &keyed) {
            Ok(message) => message,
            Err(error @ crate::DialectError::ScimNameCase { .. }) => {
                prop_assert!(
                    scim_refusals::names_one_attribute(Some(&base), Some(&merge), &expected),
                    "{} on {}: refused: {}", merge, base, error
                );
                return Ok(());
            }
            Err(error @ crate::DialectError::DuplicateKey { .. }) => {
                prop_assert!(
                    scim_refusals::repeats_a_key(merge.get("emails")),
                    "{} on {}: refused: {}", merge, base, error
                );
                return Ok(());
            }
            Err(error) => {
                prop_assert!(false, "{} on {}: refused: {}", merge, base, error);
                unreachable!()
            }
        };
        let mut applied = base.clone();
        if !message.is_empty() {
            let body = json!({
                "schemas": [SCIM_PATCH_OP_SCHEMA],
                "Operations": serde_json::to_value(&message.operations).unwrap(),
            });
            let Value::Object(body) = body else { unreachable!("an object") };
            let operations = read_message(body);
            prop_assert!(operations.is_ok(), "{:?}: {:?}", message.operations, operations);
            let Value::Object(user) = &mut applied else { unreachable!("an object") };
            let result = apply(user, &operations.unwrap());
            prop_assert!(result.is_ok(), "{:?}: {:?}", message.operations, result);
        }
        prop_assert_eq!(
            assigned(&applied),
            assigned(&expected),
            "{}",
            serde_json::to_string(&message.operations).unwrap()
        );
    }
}
