//! The JSON Schema of RFC 6902 operations (`JsonPatchOperation`, feature `schemars`), for the
//! OpenAPI document of a server that takes `application/json-patch+json` beside the merge patch
//! (review 107: a server taking the three dialects had the patch's schema for the merge patch
//! and none for the other bodies). The schema accepts a document exactly when
//! `Vec<JsonPatchOperation>`'s reading does (JSON Schema 2020-12, `boon`).
#![cfg(feature = "schemars")]

use proptest::prelude::*;
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
        // serde's internally tagged reading took an array with the tag first (found by the
        // property below); RFC 6902 §4 operations are objects.
        json!([["replace", "", null]]),
        json!([["move", "/a", "/b"]]),
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

/// Strings near a JSON Pointer's rules (RFC 6901 §3): the empty one, `/`, a token without its
/// slash, `~` followed by each character and at the end, characters outside ASCII and a line
/// break (which a pattern's `.` would miss).
fn pointer_like() -> impl Strategy<Value = String> {
    let piece = prop::sample::select(vec![
        "/", "a", "b", "0", "-", "~", "~0", "~1", "~2", "~a", "é", "\n", " ", "~~", "/~",
    ]);
    prop::collection::vec(piece, 0..5).prop_map(|pieces| pieces.concat())
}

/// Any JSON, `null` included, kept small.
fn any_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i32>().prop_map(Value::from),
        Just(json!(1.5)),
        "[a-z~/]{0,3}".prop_map(Value::String),
    ];
    leaf.prop_recursive(2, 8, 3, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..3).prop_map(Value::Array),
            prop::collection::btree_map("[a-z]{1,2}", inner, 0..3)
                .prop_map(|members| Value::Object(members.into_iter().collect())),
        ]
    })
}

/// A member's value: absent, a pointer-like string, or JSON of any type.
fn member(value: BoxedStrategy<Value>) -> impl Strategy<Value = Option<Value>> {
    prop_oneof![
        2 => Just(None),
        5 => value.prop_map(Some),
        1 => any_json().prop_map(Some),
    ]
}

/// One operation-like value: `op` in each case and misspelt, a number or absent; `path` and
/// `from` present or not, pointers or not; `value` of any type or absent; members the
/// operation does not define, some spelt like its own in another case; and now and then not
/// an object at all (an array of the members' values, a number).
fn operation_like() -> impl Strategy<Value = Value> {
    let op = prop_oneof![
        prop::sample::select(vec![
            "add", "remove", "replace", "move", "copy", "test", "Add", "REMOVE", "Test", "merge",
            "", " add", "add ",
        ])
        .prop_map(Value::from),
        (0u8..7).prop_map(Value::from),
        Just(Value::Null),
    ];
    let pointer = pointer_like().prop_map(Value::String).boxed();
    let extra = prop::collection::btree_map(
        prop::sample::select(vec!["Op", "PATH", "Value", "From", "note", "op ", "value "]),
        any_json(),
        0..2,
    );
    let object = (
        member(op.boxed()),
        member(pointer.clone()),
        member(pointer),
        member(any_json().boxed()),
        extra,
    )
        .prop_map(|(op, path, from, value, extra)| {
            let mut members: serde_json::Map<String, Value> = extra
                .into_iter()
                .map(|(name, value)| (name.to_owned(), value))
                .collect();
            for (name, member) in [("op", op), ("path", path), ("from", from), ("value", value)] {
                if let Some(member) = member {
                    members.insert(name.to_owned(), member);
                }
            }
            Value::Object(members)
        })
        .boxed();
    prop_oneof![
        8 => object.clone(),
        // The members' values in the order of the operation's fields, `op` first.
        1 => object.prop_map(|operation| {
            let members = ["op", "from", "path", "value"]
                .iter()
                .filter_map(|name| operation.get(name).cloned());
            Value::Array(members.collect())
        }),
        1 => any_json(),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    /// The schema accepts an operation, and an array of them, exactly when serde reads it.
    #[test]
    fn the_schema_and_the_reading_agree_on_operation_like_values(
        operations in prop::collection::vec(operation_like(), 0..4),
    ) {
        let one = Validator::new(schema_of::<JsonPatchOperation>(false));
        let many = Validator::new(schema_of::<Vec<JsonPatchOperation>>(false));
        for operation in &operations {
            let read = serde_json::from_value::<JsonPatchOperation>(operation.clone());
            prop_assert_eq!(one.accepts(operation), read.is_ok(), "{} read as {:?}", operation, read);
        }
        let document = Value::Array(operations);
        let read = serde_json::from_value::<Vec<JsonPatchOperation>>(document.clone());
        prop_assert_eq!(many.accepts(&document), read.is_ok(), "{} read as {:?}", document, read);
    }
}
