//! `json_patch_from_merge` on bases rich in empty values (`null`, `[]`, `{}` at any depth):
//! its operations, applied by the `json-patch` crate to the base and to its stored form (the
//! empty values a server does not keep removed), give what the merge patch gives.

use proptest::prelude::*;
use serde_json::{Map, Value};

fn json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        Just(Value::Array(Vec::new())),
        Just(Value::Object(Map::new())),
        (0i64..3).prop_map(Value::from),
    ];
    leaf.prop_recursive(4, 30, 3, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 1..2).prop_map(Value::Array),
            prop::collection::vec(("[ab]", inner), 0..3)
                .prop_map(|members| Value::Object(members.into_iter().collect())),
        ]
    })
}

fn object() -> impl Strategy<Value = Value> {
    prop::collection::vec(("[ab]", json()), 0..3)
        .prop_map(|members| Value::Object(members.into_iter().collect()))
}

/// The base as a server that stores no empty value holds it: no `null`, `[]` or `{}` member.
fn stored(value: &Value) -> Value {
    match value {
        Value::Object(members) => Value::Object(
            members
                .iter()
                .map(|(name, value)| (name.clone(), stored(value)))
                .filter(|(_, value)| !empty(value))
                .collect(),
        ),
        other => other.clone(),
    }
}

fn empty(value: &Value) -> bool {
    match value {
        Value::Null => true,
        Value::Array(elements) => elements.is_empty(),
        Value::Object(members) => members.is_empty(),
        _ => false,
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(3000))]

    #[test]
    fn the_operations_hold_on_the_base_and_its_stored_form(base in object(), merge in object()) {
        let operations = sparse_patch::json_patch_from_merge(&base, &merge).unwrap();
        let patch: json_patch::Patch =
            serde_json::from_value(serde_json::to_value(&operations).unwrap()).unwrap();
        let mut expected = base.clone();
        sparse_patch::merge_patch(&mut expected, merge.clone());
        for start in [base.clone(), stored(&base)] {
            let mut document = start.clone();
            let applied = json_patch::patch(&mut document, &patch);
            prop_assert!(applied.is_ok(), "{:?} on {} ({})", applied, start, serde_json::to_string(&operations).unwrap());
            prop_assert_eq!(stored(&document), stored(&expected), "on {}: {}", start, serde_json::to_string(&operations).unwrap());
        }
    }
}
