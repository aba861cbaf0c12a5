//! `json_patch_from_merge` on bases rich in empty values (`null`, `[]`, `{}` at any depth):
//! its operations, applied by the `json-patch` crate to the base and to its stored form (the
//! empty values a server does not keep removed), give what the merge patch gives.

use proptest::prelude::*;
use serde_json::{Map, Value};

#[path = "support/stored_form.rs"]
mod stored_form;
use stored_form::stored;

/// Member names: two letters, and names that a JSON Pointer escapes or reads as an array
/// index (RFC 6901 §3, §4): the empty name, `~`, `/`, `~1` written out, `0` and `-`.
fn key() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => "[ab]",
        1 => proptest::sample::select(vec!["", "~", "/", "~1", "0", "-"]).prop_map(String::from),
    ]
}

fn json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        Just(Value::Array(Vec::new())),
        Just(Value::Object(Map::new())),
        (0i64..3).prop_map(Value::from),
        Just(serde_json::json!(1.0)),
        Just(serde_json::json!(-0.0)),
    ];
    leaf.prop_recursive(4, 30, 3, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 1..2).prop_map(Value::Array),
            prop::collection::vec((key(), inner), 0..3)
                .prop_map(|members| Value::Object(members.into_iter().collect())),
        ]
    })
}

fn object() -> impl Strategy<Value = Value> {
    prop::collection::vec((key(), json()), 0..3)
        .prop_map(|members| Value::Object(members.into_iter().collect()))
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
