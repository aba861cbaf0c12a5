//! `apply_json_patch` (RFC 6902 §4.1 to §4.3) against the `json-patch` crate as an
//! independent oracle: on documents with keys that a JSON Pointer escapes or that look like
//! array indexes, operations whose paths exist, are missing, go past an array's end, into a
//! string, or through a token that is not an index (`01`, `-`), both succeed with the same
//! document or both fail, and a failure leaves the document as it was (RFC 6902 §5).

use proptest::prelude::*;
use serde_json::{Value, json};
use sparse_patch::{JsonPatchError, JsonPatchOperation, apply_json_patch};

const KEYS: &[&str] = &["a", "", "~", "/", "0", "1", "-"];
const TOKENS: &[&str] = &["a", "", "~0", "~1", "0", "1", "2", "01", "-", "x"];

fn document() -> BoxedStrategy<Value> {
    let leaf = prop_oneof![
        Just(json!(1)),
        Just(json!("s")),
        Just(Value::Null),
        Just(json!([])),
        Just(json!({})),
    ];
    leaf.prop_recursive(3, 24, 3, |inner| {
        prop_oneof![
            proptest::collection::btree_map(
                proptest::sample::select(KEYS).prop_map(String::from),
                inner.clone(),
                0..3
            )
            .prop_map(|map| Value::Object(map.into_iter().collect())),
            proptest::collection::vec(inner, 0..3).prop_map(Value::Array),
        ]
    })
    .boxed()
}

fn path() -> impl Strategy<Value = String> {
    proptest::collection::vec(proptest::sample::select(TOKENS), 0..4)
        .prop_map(|tokens| tokens.iter().map(|token| format!("/{token}")).collect())
}

fn operation() -> impl Strategy<Value = Value> {
    (0..3u8, path(), document()).prop_map(|(op, path, value)| match op {
        0 => json!({"op": "add", "path": path, "value": value}),
        1 => json!({"op": "remove", "path": path}),
        _ => json!({"op": "replace", "path": path, "value": value}),
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2048))]

    #[test]
    fn apply_json_patch_agrees_with_the_json_patch_crate(
        document in document(),
        operations in proptest::collection::vec(operation(), 1..4),
    ) {
        let operations = Value::Array(operations);
        let ours: Vec<JsonPatchOperation> = serde_json::from_value(operations.clone()).unwrap();
        let theirs: json_patch::Patch = serde_json::from_value(operations.clone()).unwrap();
        let mut mine = document.clone();
        let mine_result = apply_json_patch(&mut mine, &ours);
        let mut oracle = document.clone();
        let oracle_result = json_patch::patch(&mut oracle, &theirs);
        prop_assert_eq!(
            mine_result.is_ok(),
            oracle_result.is_ok(),
            "{} on {}: ours {:?}, json-patch {:?}", operations, document, mine_result, oracle_result
        );
        prop_assert_eq!(&mine, &oracle, "{} on {}", operations, document);
        if let Err(JsonPatchError::Operation { index, .. }) = mine_result {
            prop_assert_eq!(&mine, &document);
            prop_assert_eq!(index, oracle_result.unwrap_err().operation);
        }
    }
}
