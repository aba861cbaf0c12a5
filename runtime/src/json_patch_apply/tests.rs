//! The unit tests of `json_patch_apply.rs`.

use serde_json::json;

use super::*;

fn operations(value: Value) -> Vec<JsonPatchOperation> {
    serde_json::from_value(value).unwrap()
}

fn fault(document: Value, value: Value) -> PointerFault {
    let mut changed = document.clone();
    match apply_json_patch(&mut changed, &operations(value)) {
        Err(JsonPatchError::Operation { fault, .. }) => {
            assert_eq!(changed, document, "a failed document changes nothing");
            fault
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn each_fault_is_named_with_the_pointer_where_it_was_found() {
    let doc = json!({"a": {"b": [1, 2]}, "s": "x"});
    let missing = |at: &str| PointerFault::Missing { at: at.into() };
    assert_eq!(
        fault(doc.clone(), json!([{"op": "remove", "path": "/a/c"}])),
        missing("/a/c")
    );
    assert_eq!(
        fault(
            doc.clone(),
            json!([{"op": "replace", "path": "/z/y", "value": 1}])
        ),
        missing("/z")
    );
    assert_eq!(
        fault(
            doc.clone(),
            json!([{"op": "add", "path": "/z/y", "value": 1}])
        ),
        missing("/z")
    );
    assert_eq!(
        fault(
            doc.clone(),
            json!([{"op": "add", "path": "/s/t", "value": 1}])
        ),
        PointerFault::IntoAValue {
            at: "/s/t".into(),
            found: "a string"
        }
    );
    assert_eq!(
        fault(
            doc.clone(),
            json!([{"op": "add", "path": "/a/b/3", "value": 1}])
        ),
        PointerFault::PastTheEnd {
            at: "/a/b/3".into(),
            len: 2
        }
    );
    for bad in ["01", "-1", "x", ""] {
        assert_eq!(
            fault(
                doc.clone(),
                json!([{"op": "add", "path": format!("/a/b/{bad}"), "value": 1}])
            ),
            PointerFault::NotAnIndex {
                at: format!("/a/b/{bad}")
            },
            "{bad}"
        );
    }
    // `-` is the element after the last: nothing to remove or replace there.
    assert_eq!(
        fault(doc.clone(), json!([{"op": "remove", "path": "/a/b/-"}])),
        PointerFault::NotAnIndex {
            at: "/a/b/-".into()
        }
    );
    assert_eq!(
        fault(doc.clone(), json!([{"op": "remove", "path": "/a/b/2"}])),
        missing("/a/b/2")
    );
    assert_eq!(
        fault(doc.clone(), json!([{"op": "remove", "path": ""}])),
        PointerFault::WholeDocument
    );
    // Applied in order, and undone as a whole when a later one fails.
    assert_eq!(
        fault(
            doc,
            json!([{"op": "remove", "path": "/s"}, {"op": "remove", "path": "/s"}])
        ),
        missing("/s")
    );
}

/// A path that reaches into a value without members names what the value is, at the
/// last token of `add` (RFC 6902 §4.1: the parent must be an object or an array) and
/// through the walk of `replace` (§4.3). (Mutation testing: a boolean named "null" went
/// unnoticed.)
#[test]
fn a_path_into_a_value_names_the_kind_of_value() {
    let doc = json!({"n": 1.5, "b": true, "z": null, "s": "x"});
    for (member, found) in [
        ("n", "a number"),
        ("b", "a boolean"),
        ("z", "null"),
        ("s", "a string"),
    ] {
        assert_eq!(
            fault(
                doc.clone(),
                json!([{"op": "add", "path": format!("/{member}/x"), "value": 1}])
            ),
            PointerFault::IntoAValue {
                at: format!("/{member}/x"),
                found
            }
        );
        assert_eq!(
            fault(
                doc.clone(),
                json!([{"op": "replace", "path": format!("/{member}/x/y"), "value": 1}])
            ),
            PointerFault::IntoAValue {
                at: format!("/{member}/x"),
                found
            }
        );
    }
}

#[test]
fn an_index_too_large_for_usize_is_past_the_end_not_a_non_index() {
    // 2^64 and more: digits without a leading zero, an index (RFC 6901 §4) past the end.
    let huge = "18446744073709551616";
    let doc = json!({"a": [1, 2]});
    assert_eq!(
        fault(
            doc.clone(),
            json!([{"op": "add", "path": format!("/a/{huge}"), "value": 1}])
        ),
        PointerFault::PastTheEnd {
            at: format!("/a/{huge}"),
            len: 2
        }
    );
    for op in ["remove", "replace"] {
        assert_eq!(
            fault(
                doc.clone(),
                json!([{"op": op, "path": format!("/a/{huge}"), "value": 1}])
            ),
            PointerFault::Missing {
                at: format!("/a/{huge}")
            },
            "{op}"
        );
    }
    assert_eq!(
        fault(
            doc,
            json!([{"op": "replace", "path": format!("/a/{huge}/b"), "value": 1}])
        ),
        PointerFault::Missing {
            at: format!("/a/{huge}")
        }
    );
}

#[test]
fn a_path_built_in_code_that_is_no_pointer_is_refused() {
    let mut doc = json!({"a": 1});
    let error =
        apply_json_patch(&mut doc, &[JsonPatchOperation::Remove { path: "a".into() }]).unwrap_err();
    assert!(
        matches!(
            &error,
            JsonPatchError::Operation {
                fault: PointerFault::NotAPointer { .. },
                index: 0,
                ..
            }
        ),
        "{error:?}"
    );
    assert!(error.to_string().starts_with(
        r#"operation 0 (`remove` at "a") cannot be applied: the path is not a JSON Pointer (RFC 6901 §3): it must be empty or start with "/""#
    ), "{error}");
}

#[test]
fn escaped_tokens_name_members_with_slash_and_tilde() {
    let mut doc = json!({"a/b": 1, "m~n": 2});
    apply_json_patch(
        &mut doc,
        &operations(json!([
            {"op": "replace", "path": "/a~1b", "value": 3},
            {"op": "remove", "path": "/m~0n"},
            {"op": "add", "path": "/~01", "value": 4},
        ])),
    )
    .unwrap();
    assert_eq!(doc, json!({"a/b": 3, "~1": 4}));
}

#[test]
fn the_root_is_replaced_by_add_and_replace() {
    let mut doc = json!({"a": 1});
    apply_json_patch(
        &mut doc,
        &operations(json!([{"op": "add", "path": "", "value": [1]}])),
    )
    .unwrap();
    assert_eq!(doc, json!([1]));
    apply_json_patch(
        &mut doc,
        &operations(json!([{"op": "replace", "path": "", "value": {"b": 2}}])),
    )
    .unwrap();
    assert_eq!(doc, json!({"b": 2}));
}
