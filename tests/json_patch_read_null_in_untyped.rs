//! RFC 6902 operations that set `null` inside untyped JSON (a `serde_json::Value` attribute or a
//! flattened map of custom attributes), read by `from_json_patch`. The operations keep the
//! member with the value `null` (RFC 6902 §4.1); a merge patch reads every `null` as "remove"
//! (RFC 7396 §2), so no patch can carry that change. `from_json_patch` promises that
//! `base.apply(patch)` gives what the operations give; it returned `{"locked": null}`, whose
//! `apply` removed `locked` instead, and a server answered 200 for a change it did not make.
//! It now refuses such operations (`JsonPatchError::Patch`, naming the attribute).

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use sparse_patch::{JsonPatchError, JsonPatchOperation, Patch, Patchable};

#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Issue {
    title: String,
    note: Option<String>,
    meta: Value,
    #[serde(flatten)]
    extra: HashMap<String, Value>,
}

fn issue() -> Issue {
    Issue {
        title: "Crash".into(),
        note: Some("n".into()),
        meta: json!({"x": 1, "list": [1]}),
        extra: HashMap::from([("locked".to_string(), json!(false))]),
    }
}

fn read(operations: Value) -> Result<IssuePatch, JsonPatchError> {
    let operations: Vec<JsonPatchOperation> = serde_json::from_value(operations).unwrap();
    IssuePatch::from_json_patch(&issue(), &operations)
}

#[test]
fn a_null_set_in_a_flattened_map_of_untyped_json_is_refused() {
    let error = read(json!([{"op": "add", "path": "/locked", "value": null}])).unwrap_err();
    assert!(matches!(error, JsonPatchError::Patch(_)), "{error:?}");
    assert!(error.to_string().contains("`locked`"), "{error}");
}

#[test]
fn a_null_set_inside_a_value_attribute_is_refused() {
    let error = read(json!([{"op": "replace", "path": "/meta/x", "value": null}])).unwrap_err();
    assert!(matches!(error, JsonPatchError::Patch(_)), "{error:?}");
    assert!(error.to_string().contains("`meta`"), "{error}");
}

#[test]
fn nulls_that_a_patch_carries_are_still_read() {
    // An `Option` attribute set to `null` is cleared, as the operations leave it.
    let patch = read(json!([{"op": "replace", "path": "/note", "value": null}])).unwrap();
    assert_eq!(patch, IssuePatch::new().clear_note());
    // A `null` inside an array survives: arrays are sent whole.
    let patch = read(json!([{"op": "add", "path": "/meta/list/-", "value": null}])).unwrap();
    let mut changed = issue();
    changed.apply(patch).unwrap();
    assert_eq!(changed.meta, json!({"x": 1, "list": [1, null]}));
    // A member removed is removed.
    let patch = read(json!([{"op": "remove", "path": "/locked"}])).unwrap();
    let mut changed = issue();
    changed.apply(patch).unwrap();
    assert!(changed.extra.is_empty());
}

#[test]
fn every_patch_read_applies_to_what_the_operations_give() {
    let patch = read(json!([{"op": "add", "path": "/meta/y", "value": {"z": 2}}])).unwrap();
    assert!(!patch.is_empty());
    let mut changed = issue();
    changed.apply(patch).unwrap();
    assert_eq!(changed.meta, json!({"x": 1, "y": {"z": 2}, "list": [1]}));
}
