//! The JSON Schema of RFC 6902 operations (`JsonPatchOperation`, feature `schemars`), for the
//! OpenAPI document of a server that takes `application/json-patch+json` beside the merge patch
//! (review 107: a server taking the three dialects had the patch's schema for the merge patch
//! and none for the other bodies). The schema accepts a document exactly when
//! `Vec<JsonPatchOperation>`'s reading does (JSON Schema 2020-12, `boon`).
#![cfg(feature = "schemars")]

use serde_json::{Value, json};
use sparse_patch::JsonPatchOperation;

#[path = "support/json_schema.rs"]
mod json_schema;
use json_schema::{Validator, schema_of};

#[test]
fn the_schema_of_operations_accepts_what_their_reading_accepts() {
    let validator = Validator::new(schema_of::<Vec<JsonPatchOperation>>(false));
    let read =
        |document: &Value| serde_json::from_value::<Vec<JsonPatchOperation>>(document.clone());
    let accepted = [
        json!([]),
        json!([{"op": "add", "path": "/a", "value": 1}]),
        json!([{"op": "add", "path": "/a", "value": null}]),
        json!([{"op": "add", "path": "", "value": {"a": 1}}]),
        json!([{"op": "remove", "path": "/a~0b~1c/0"}]),
        json!([{"op": "remove", "path": "/a", "value": 5}]),
        json!([{"op": "replace", "path": "/", "value": [1]}]),
        json!([{"op": "move", "from": "/a", "path": "/b"}]),
        json!([{"op": "copy", "from": "", "path": "/b", "note": "ignored"}]),
        json!([{"op": "test", "path": "/a", "value": "x"}]),
    ];
    let refused = [
        json!({"op": "add", "path": "/a", "value": 1}),
        json!([{"op": "Add", "path": "/a", "value": 1}]),
        json!([{"op": "merge", "path": "/a", "value": 1}]),
        json!([{"path": "/a", "value": 1}]),
        json!([{"op": "add", "value": 1}]),
        json!([{"op": "add", "path": "/a"}]),
        json!([{"op": "replace", "path": "/a"}]),
        json!([{"op": "test", "path": "/a"}]),
        json!([{"op": "move", "path": "/a"}]),
        json!([{"op": "copy", "from": "/a"}]),
        json!([{"op": "remove", "path": "a/b"}]),
        json!([{"op": "remove", "path": "/a~2"}]),
        json!([{"op": "remove", "path": "/a~"}]),
        json!([{"op": "move", "from": "a", "path": "/b"}]),
        json!([{"op": "remove", "path": 5}]),
        json!([5]),
    ];
    for document in accepted {
        assert!(read(&document).is_ok(), "{document}: {:?}", read(&document));
        assert!(
            validator.accepts(&document),
            "the schema refuses {document}"
        );
    }
    for document in refused {
        assert!(read(&document).is_err(), "{document}");
        assert!(
            !validator.accepts(&document),
            "the schema accepts {document}"
        );
    }
}
