//! `apply_json_patch` (RFC 6902 §4.1 to §4.6) against the `json-patch` crate as an
//! independent oracle: on documents with keys that a JSON Pointer escapes or that look like
//! array indexes, operations of all six kinds whose paths (and `from`s) exist, are missing, go
//! past an array's end, into a string, or through a token that is not an index (`01`, `-`),
//! `move`s into their own children and `test`s that pass or fail, both succeed with the same
//! document or both fail at the same operation, and a failure leaves the document as it was
//! (RFC 6902 §5). The documents hold integers only: `test` compares numbers by value
//! (`1` equals `1.0`, RFC 6902 §4.6), which the crate's `==` does not
//! (`tests/json_patch_conformance.rs`).

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
    (0..6u8, path(), path(), document())
        // A `move` from `""` to `""` moves the document to its own place, which changes
        // nothing (RFC 6902 §4.4); the crate takes the document away first, and fails
        // (`tests/json_patch_conformance.rs`).
        .prop_filter(
            "a move of the whole document to itself",
            |(op, from, path, _)| *op != 3 || !from.is_empty() || !path.is_empty(),
        )
        .prop_map(|(op, from, path, value)| match op {
            0 => json!({"op": "add", "path": path, "value": value}),
            1 => json!({"op": "remove", "path": path}),
            2 => json!({"op": "replace", "path": path, "value": value}),
            3 => json!({"op": "move", "from": from, "path": path}),
            4 => json!({"op": "copy", "from": from, "path": path}),
            _ => json!({"op": "test", "path": path, "value": value}),
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
        // The crate undoes the operations before a failed one from a list of inverse
        // operations, some of which it cannot apply (a `move` to `""`, one from a member whose
        // name looks like an index): it then panics ("unable to undo applied patches"), after
        // a failure, where ours must have failed and changed nothing.
        let oracle_result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            json_patch::patch(&mut oracle, &theirs)
        }));
        let Ok(oracle_result) = oracle_result else {
            prop_assert!(mine_result.is_err(), "{} on {}: the crate failed", operations, document);
            prop_assert_eq!(&mine, &document);
            return Ok(());
        };
        prop_assert_eq!(
            mine_result.is_ok(),
            oracle_result.is_ok(),
            "{} on {}: ours {:?}, json-patch {:?}", operations, document, mine_result, oracle_result
        );
        match mine_result {
            Ok(()) => prop_assert_eq!(&mine, &oracle, "{} on {}", operations, document),
            // The crate undoes the operations before a failed one, but not a failed `move`'s
            // own `remove` (its `add` failing, the moved value is lost): the document is
            // compared with the one before, as RFC 6902 §5 says.
            Err(JsonPatchError::Operation { index, .. }) => {
                prop_assert_eq!(&mine, &document);
                prop_assert_eq!(index, oracle_result.unwrap_err().operation);
            }
            Err(other) => prop_assert!(false, "{}", other),
        }
    }

    /// RFC 6902 §4.6's laws of `test`: the value found at a path passes, also with its
    /// integers written as floats (`1.0` is `1`), and changes nothing; the crate agrees where
    /// the value is as found. A `copy` of it tests equal at its new place, and a `move` from
    /// a member to a new one and back leaves the document as it was.
    #[test]
    fn test_passes_on_what_is_there_and_copies_test_equal(
        document in document(),
        path in path(),
    ) {
        let Some(found) = document.pointer(&path) else {
            return Ok(());
        };
        for value in [found.clone(), with_float_integers(found)] {
            let operations = json!([{"op": "test", "path": path, "value": value}]);
            let mut mine = document.clone();
            let result = apply_json_patch(&mut mine, &serde_json::from_value::<Vec<JsonPatchOperation>>(operations.clone()).unwrap());
            prop_assert!(result.is_ok(), "{} on {}: {:?}", operations, document, result);
            prop_assert_eq!(&mine, &document);
        }
        let theirs: json_patch::Patch =
            serde_json::from_value(json!([{"op": "test", "path": path, "value": found}])).unwrap();
        prop_assert!(json_patch::patch(&mut document.clone(), &theirs).is_ok());
        if document.is_object() && !path.is_empty() {
            let operations: Vec<JsonPatchOperation> = serde_json::from_value(json!([
                {"op": "copy", "from": path, "path": "/copied~1new"},
                {"op": "test", "path": "/copied~1new", "value": with_float_integers(found)},
                {"op": "remove", "path": "/copied~1new"},
                {"op": "move", "from": path, "path": "/moved~1new"},
                {"op": "move", "from": "/moved~1new", "path": path},
            ]))
            .unwrap();
            let mut mine = document.clone();
            let result = apply_json_patch(&mut mine, &operations);
            prop_assert!(result.is_ok(), "{:?} on {}: {:?}", operations, document, result);
            prop_assert_eq!(&mine, &document);
        }
    }
}

/// `value` with its integers written as floats (`1` as `1.0`).
fn with_float_integers(value: &Value) -> Value {
    match value {
        Value::Number(number) => number
            .as_f64()
            .and_then(serde_json::Number::from_f64)
            .map_or_else(|| value.clone(), Value::Number),
        Value::Array(elements) => Value::Array(elements.iter().map(with_float_integers).collect()),
        Value::Object(members) => Value::Object(
            members
                .iter()
                .map(|(name, value)| (name.clone(), with_float_integers(value)))
                .collect(),
        ),
        other => other.clone(),
    }
}

/// `Patch::from_json_patch`'s patch, applied to the base, gives the document that the
/// json-patch crate makes of the base's JSON, also for attributes that the patch holds whole:
/// the patch was read from the merge patch between the two, which goes into every object, so
/// a struct that is not `nested` and a `replace` map were set to the part that the operations
/// changed (`add /labels/b` left `labels` as `{"b": "2"}`, `a` lost; `replace /home/city`
/// left `home` without its `street`), and removing one key of a `replace` map was refused
/// (`invalid type: null`).
mod typed {
    use indexmap::IndexMap;
    use serde::{Deserialize, Serialize};
    use serde_json::{Value, json};
    use sparse_patch::{JsonPatchOperation, Patch, Patchable};

    #[derive(Patchable, Serialize, Deserialize, Debug, Clone, PartialEq, Default)]
    pub struct Address {
        pub city: Option<String>,
        pub street: Option<String>,
    }

    #[derive(Patchable, Serialize, Deserialize, Debug, Clone, PartialEq, Default)]
    pub struct Account {
        pub email: String,
        #[schemars(with = "Value")]
        pub home: Address,
        #[patchable(nested)]
        pub work: Option<Address>,
        #[patchable(replace)]
        pub labels: IndexMap<String, String>,
        pub scores: IndexMap<String, u32>,
        pub settings: IndexMap<String, Value>,
    }

    fn account() -> Account {
        serde_json::from_value(json!({
            "email": "a@example.com",
            "home": {"city": "Paris", "street": "Rue 1"},
            "work": {"city": "Lyon", "street": "Rue 2"},
            "labels": {"a": "1", "c": "3"},
            "scores": {"x": 1, "y": 2},
            "settings": {"limits": {"cpu": 2, "memory": 512}}
        }))
        .unwrap()
    }

    #[test]
    fn the_patch_applied_gives_what_the_operations_give() {
        let base = account();
        for operations in [
            json!([{"op": "add", "path": "/labels/b", "value": "2"}]),
            json!([{"op": "remove", "path": "/labels/a"}]),
            json!([{"op": "replace", "path": "/home/city", "value": "Nice"}]),
            json!([{"op": "remove", "path": "/home/street"}]),
            json!([{"op": "replace", "path": "/work/city", "value": "Nice"}]),
            json!([{"op": "remove", "path": "/work"}]),
            json!([{"op": "remove", "path": "/scores/x"}, {"op": "add", "path": "/scores/z", "value": 3}]),
            json!([{"op": "remove", "path": "/settings/limits/cpu"}]),
            json!([{"op": "replace", "path": "", "value": {
                "email": "b@example.com", "home": {"city": "Oslo"}, "work": null,
                "labels": {}, "scores": {"x": 5}, "settings": {}
            }}]),
        ] {
            let ours: Vec<JsonPatchOperation> = serde_json::from_value(operations.clone()).unwrap();
            let theirs: json_patch::Patch = serde_json::from_value(operations.clone()).unwrap();
            let mut expected = serde_json::to_value(&base).unwrap();
            json_patch::patch(&mut expected, &theirs).unwrap();
            // As the model writes it (`null` for `None`).
            let expected =
                serde_json::to_value(serde_json::from_value::<Account>(expected).unwrap()).unwrap();
            let patch = AccountPatch::from_json_patch(&base, &ours)
                .unwrap_or_else(|error| panic!("{operations}: {error}"));
            let mut applied = base.clone();
            applied.apply(patch.clone()).unwrap();
            assert_eq!(
                serde_json::to_value(&applied).unwrap(),
                expected,
                "{operations}: {}",
                serde_json::to_string(&patch).unwrap()
            );
            // The patch sent to a server (RFC 7396) makes the same document, but for a
            // `replace` map that loses a key: it is sent whole, which a server merges.
            if !operations.to_string().contains("labels") {
                let mut merged = serde_json::to_value(&base).unwrap();
                json_patch::merge(&mut merged, &serde_json::to_value(&patch).unwrap());
                let merged: Account = serde_json::from_value(merged).unwrap();
                assert_eq!(
                    serde_json::to_value(merged).unwrap(),
                    expected,
                    "{operations}"
                );
            }
        }
    }

    /// Only what the operations changed is checked as a merge patch (the doc of
    /// `from_json_patch`: "each changed attribute's new value, each removed one `null`"). A
    /// required attribute that the base writes as `null` (untyped JSON holding `null`) and
    /// that the operations leave alone is no `null` sent to it: read as a patch, it was
    /// refused as a clear of a required attribute.
    #[test]
    fn an_attribute_that_the_operations_leave_alone_is_not_checked() {
        #[derive(Patchable, Serialize, Deserialize, Debug, Clone, PartialEq)]
        struct Record {
            name: String,
            data: Value,
        }
        let base = Record {
            name: "a".into(),
            data: Value::Null,
        };
        let operations = json!([{"op": "replace", "path": "/name", "value": "b"}]);
        let ours: Vec<JsonPatchOperation> = serde_json::from_value(operations.clone()).unwrap();
        let theirs: json_patch::Patch = serde_json::from_value(operations).unwrap();
        let mut expected = serde_json::to_value(&base).unwrap();
        json_patch::patch(&mut expected, &theirs).unwrap();
        let patch = RecordPatch::from_json_patch(&base, &ours).unwrap();
        assert_eq!(patch, RecordPatch::new().name("b"));
        let mut applied = base.clone();
        applied.apply(patch).unwrap();
        assert_eq!(serde_json::to_value(&applied).unwrap(), expected);
        // The same through SCIM (RFC 7644 §3.5.2.3).
        let message: sparse_patch::ScimPatch = serde_json::from_value(json!({
            "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
            "Operations": [{"op": "replace", "path": "name", "value": "b"}]
        }))
        .unwrap();
        let patch = RecordPatch::from_scim_patch(&base, &message).unwrap();
        assert_eq!(patch, RecordPatch::new().name("b"));
    }

    #[test]
    fn what_the_patch_or_the_model_cannot_hold_is_refused() {
        let base = account();
        for (operations, error) in [
            (
                json!([{"op": "remove", "path": "/email"}]),
                "invalid value: null for `email`, a required attribute that cannot be cleared",
            ),
            (
                json!([{"op": "add", "path": "/scores/z", "value": "many"}]),
                "invalid type: string \"many\", expected u32",
            ),
            (
                json!([{"op": "add", "path": "/labels/b", "value": null}]),
                "invalid type: null, expected a string",
            ),
        ] {
            let ours: Vec<JsonPatchOperation> = serde_json::from_value(operations.clone()).unwrap();
            let text = AccountPatch::from_json_patch(&base, &ours)
                .unwrap_err()
                .to_string();
            assert!(text.contains(error), "{operations}: {text}");
        }
    }
}
