//! The attribute path that `from_json_patch` and `from_scim_patch` put in front of serde's
//! error (``at `labels.c`: invalid type: ...``): one path names one attribute.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::json;
use sparse_patch::{JsonPatchOperation, Patch, Patchable};

#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Tree {
    x: BTreeMap<String, BTreeMap<String, u32>>,
}

fn operations(operations: serde_json::Value) -> Vec<JsonPatchOperation> {
    serde_json::from_value(operations).unwrap()
}

/// Map keys were written joined with `.`, so a key that holds a dot read as two levels: the
/// value at `/x/a.b/c` and the value at `/x/a/b.c` (two attributes) were both named
/// ``at `x.a.b.c` `` (review 61). Such a key is quoted now (``x."a.b".c``), as is one holding
/// a backtick, which ended the quoted path early.
#[test]
fn a_map_key_with_a_dot_is_not_named_as_two_levels() {
    let base = Tree {
        x: BTreeMap::from([
            ("a.b".to_owned(), BTreeMap::from([("c".to_owned(), 1)])),
            ("a".to_owned(), BTreeMap::from([("b.c".to_owned(), 1)])),
        ]),
    };
    let first = TreePatch::from_json_patch(
        &base,
        &operations(json!([{"op": "replace", "path": "/x/a.b/c", "value": "s"}])),
    )
    .unwrap_err()
    .to_string();
    let second = TreePatch::from_json_patch(
        &base,
        &operations(json!([{"op": "replace", "path": "/x/a/b.c", "value": "s"}])),
    )
    .unwrap_err()
    .to_string();
    assert_ne!(first, second, "two attributes, one name");
    assert!(
        first.contains(": at `x.\"a.b\".c`: invalid type"),
        "{first}"
    );
    assert!(
        second.contains(": at `x.a.\"b.c\"`: invalid type"),
        "{second}"
    );
    let base = Tree {
        x: BTreeMap::from([("a`b".to_owned(), BTreeMap::from([("c".to_owned(), 1)]))]),
    };
    let error = TreePatch::from_json_patch(
        &base,
        &operations(json!([{"op": "replace", "path": "/x/a`b/c", "value": "s"}])),
    )
    .unwrap_err()
    .to_string();
    assert!(
        error.contains(": at `x.\"a`b\".c`: invalid type"),
        "{error}"
    );
}
