//! Bug reports against peer implementations of the three PATCH dialects, each input run through
//! ours: JSON merge patch (RFC 7396: `merge_patch`, `merge_diff`, and the RFC 6902 operations
//! that `json_patch_from_merge` writes for a diff), JSON Patch (RFC 6902 and the pointers of
//! RFC 6901: `apply_json_patch`, `JsonPatchOperation`, `Patch::from_json_patch`) and SCIM
//! PatchOp (RFC 7644 §3.5.2: `apply_scim_patch`, `ScimPatch`, `Patch::from_scim_patch`). Each
//! case names its report; the kinds of case that `tests/json_patch_conformance.rs`,
//! `tests/json_merge_oracle.rs`, `tests/scim_real_clients.rs` and
//! `tests/scim_rfc7644_examples.rs` hold already are not repeated here.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use sparse_patch::{
    JsonPatchError, JsonPatchOperation, KeyedArray, Patch, Patchable, ScimFault, ScimOp,
    apply_json_patch, apply_scim_patch, json_patch_from_merge, merge_diff, merge_patch,
    scim_patch_from_merge,
};

#[path = "support/scim_message.rs"]
mod scim_message;
use scim_message::{applied as scim_applied, fault as scim_fault, message};

// RFC 7396: merge patches and the diff.

/// `target` after the merge patch `patch` (RFC 7396 §2).
fn merged(target: Value, patch: Value) -> Value {
    let mut target = target;
    merge_patch(&mut target, patch);
    target
}

/// An empty array in a patch replaces the array: the result holds `[]`, not `null` or the
/// old elements (evanphx/json-patch#24); the diff to an empty array writes `[]`.
#[test]
fn an_empty_array_replaces_an_array() {
    assert_eq!(
        merged(json!({"a": [1, 2]}), json!({"a": []})),
        json!({"a": []})
    );
    assert_eq!(
        merge_diff(&json!({"a": [1, 2]}), &json!({"a": []})),
        json!({"a": []})
    );
    assert_eq!(merge_diff(&json!({}), &json!({"a": []})), json!({"a": []}));
}

/// An array is a value, replaced whole: the `null`s inside it are elements, kept, not
/// removals (evanphx/json-patch#132, kubernetes/kubernetes#98080); an array of objects is not
/// merged element by element (nlohmann/json#1090, pierreinglebert/json-merge-patch#17).
#[test]
fn nulls_inside_an_array_are_kept_and_arrays_are_not_merged() {
    assert_eq!(
        merged(json!({}), json!({"a": [null, 1, {"b": null}]})),
        json!({"a": [null, 1, {"b": null}]})
    );
    assert_eq!(
        merged(
            json!({"c": [{"a": "1", "b": "2"}]}),
            json!({"c": [{"a": "2"}]})
        ),
        json!({"c": [{"a": "2"}]})
    );
}

/// An empty object in a patch changes nothing below it (nlohmann/json#1289: `{"k": {}}` was
/// read as `{"k": null}` by one way of building it, and removed `k`).
#[test]
fn an_empty_object_changes_nothing() {
    assert_eq!(
        merged(json!({"k": {"a": "b"}}), json!({"k": {}})),
        json!({"k": {"a": "b"}})
    );
}

/// RFC 7396 §3's example, which javaee/jsonp#77 got wrong (its result kept
/// `"familyName": null` instead of removing it).
#[test]
fn the_example_of_section_3() {
    let target = json!({
        "title": "Goodbye!",
        "author": {"givenName": "John", "familyName": "Doe"},
        "tags": ["example", "sample"],
        "content": "This will be unchanged"
    });
    let patch = json!({
        "title": "Hello!",
        "phoneNumber": "+01-123-456-7890",
        "author": {"familyName": null},
        "tags": ["example"]
    });
    let result = json!({
        "title": "Hello!",
        "author": {"givenName": "John"},
        "tags": ["example"],
        "content": "This will be unchanged",
        "phoneNumber": "+01-123-456-7890"
    });
    assert_eq!(merged(target.clone(), patch), result);
    // The diff back gives a patch that makes the same document.
    assert_eq!(merged(target.clone(), merge_diff(&target, &result)), result);
}

/// A patch that is not an object replaces the target (RFC 7396 §2: "return Patch"), which
/// java-json-tools/json-patch#147 doubted; `null` members of an object made new are dropped
/// at every depth (RFC 7396 Appendix A's `{"a": {"bb": {"ccc": null}}}`).
#[test]
fn a_patch_that_is_not_an_object_replaces_the_target() {
    assert_eq!(merged(json!({"a": 1}), json!([1])), json!([1]));
    assert_eq!(merged(json!({"a": 1}), json!("text")), json!("text"));
    assert_eq!(
        merged(json!({}), json!({"a": {"b": null, "c": {"d": null}}})),
        json!({"a": {"c": {}}})
    );
}

/// A member removed by the target is `null` in the diff, also when it held an array
/// (pierreinglebert/json-merge-patch#29: `generate({a: ["hello"]}, {})` gave nothing).
#[test]
fn the_diff_removes_a_member_that_held_an_array() {
    assert_eq!(
        merge_diff(&json!({"a": ["hello"]}), &json!({})),
        json!({"a": null})
    );
}

/// `__proto__`, `constructor` and `prototype` are names like others: merged as members, never
/// read as anything else (Starcounter-Jack/JSON-Patch#216, pierreinglebert/json-merge-patch#16,
/// sonnyp/JSON8#114: prototype pollution through such names).
#[test]
fn names_that_polluted_prototypes_are_members() {
    let patch = json!({"__proto__": {"x": 1}, "constructor": {"prototype": {"p": 1}}});
    assert_eq!(merged(json!({}), patch.clone()), patch);
    let mut document = json!({"foo": "bar"});
    // Nothing is at `/__proto__`: replacing below it fails (RFC 6902 §4.3) ...
    assert!(
        apply_json_patch(
            &mut document,
            &operations(json!([{"op": "replace", "path": "/__proto__/x", "value": "Hacked!"}]))
        )
        .is_err()
    );
    assert!(
        apply_json_patch(
            &mut document,
            &operations(json!([
                {"op": "copy", "from": "/constructor/constructor", "path": "/__proto__/f"}
            ]))
        )
        .is_err()
    );
    // ... and an `add` adds a member of that name.
    apply_json_patch(
        &mut document,
        &operations(json!([{"op": "add", "path": "/__proto__", "value": {"x": 1}}])),
    )
    .unwrap();
    assert_eq!(document, json!({"foo": "bar", "__proto__": {"x": 1}}));
}

/// The operations that `json_patch_from_merge` writes for the diff between two documents
/// make the second from the first: the inputs on which peers' generators wrote operations
/// that failed, or made another document (stefankoegl/python-json-patch#55, #124, #138, #160;
/// flipkart-incubator/zjsonpatch#116 and #180, numeric names read as indexes;
/// java-json-tools/json-patch#14, one element moved to two places; javaee/jsonp#61, appends
/// written in reverse; flipkart-incubator/zjsonpatch#48, a `move` guessed from equal values).
/// Arrays are replaced whole (RFC 7396), so no operation depends on an index that an earlier
/// one shifted.
#[test]
fn generated_operations_make_the_target() {
    let cases = [
        // python-json-patch#55
        (
            json!({"l": [{"a": 1}, {"b": 2}]}),
            json!({"l": [{"a": 1, "b": 2}]}),
        ),
        // python-json-patch#138
        (
            json!({"l": [{"x": ["a", {"y": ["b"]}], "z": "a"}, {"x": ["c", {"d": ["d"]}], "z": "c"}, {}]}),
            json!({"l": [{"x": ["c", {"y": ["d"]}], "z": "c"}, {}]}),
        ),
        // python-json-patch#124
        (
            json!({"l": ["a", "b", ["d", "e"], "f"]}),
            json!({"l": ["a", "d", ["e", "g"]]}),
        ),
        // python-json-patch#160
        (
            json!({"a": [{"id": [1]}, {"id": [2]}], "b": [{"id": 5}]}),
            json!({"a": [{"id": []}, {"id": [1]}], "b": [{"id": 5, "newKey": 2}]}),
        ),
        // zjsonpatch#180
        (json!({"1": 1, "3": 4}), json!({"2": 4, "5": "asdf"})),
        // zjsonpatch#116
        (
            json!({"16": [{"id": "one", "type": "page", "length": 1}], "63": [{"id": "two", "length": 2}], "76": [{"id": "three", "length": 3}]}),
            json!({"16": [{"id": "four", "length": 4}], "76": [{"id": "five", "type": "page", "length": 5}]}),
        ),
        // java-json-tools/json-patch#14
        (
            json!({"b": [0, 1, 2]}),
            json!({"b": [1, 2], "c": 0, "d": 0}),
        ),
        // javaee/jsonp#61
        (json!({"a": [1]}), json!({"a": [1, 2, 3, 4]})),
        // zjsonpatch#48: no `move` from `/age`, a member that only shares the value.
        (json!({"age": 10}), json!({"height": 10})),
        // Names that the pointer escapes (nolar/kopf#919).
        (json!({"a/b": 1, "~": 2}), json!({"a/b": 3, "c~1": 4})),
    ];
    for (current, target) in cases {
        let diff = merge_diff(&current, &target);
        let written = json_patch_from_merge(&current, &diff).unwrap();
        assert!(
            written.iter().all(|operation| matches!(
                operation,
                JsonPatchOperation::Add { .. } | JsonPatchOperation::Remove { .. }
            )),
            "{written:?}"
        );
        let mut document = current.clone();
        apply_json_patch(&mut document, &written).unwrap();
        assert_eq!(document, target, "{current} to {target}");
    }
}

// RFC 6902 and RFC 6901: applying operations.

fn operations(value: Value) -> Vec<JsonPatchOperation> {
    serde_json::from_value(value).unwrap()
}

/// The document after the operations, which must apply.
fn applied(document: Value, value: Value) -> Value {
    let mut document = document;
    apply_json_patch(&mut document, &operations(value)).unwrap();
    document
}

/// The index of the operation that failed, after checking that the document is unchanged
/// (RFC 6902 §5).
fn failed_at(document: Value, value: Value) -> usize {
    let mut changed = document.clone();
    let error = apply_json_patch(&mut changed, &operations(value)).unwrap_err();
    assert_eq!(changed, document, "a failed document changes nothing");
    match error {
        JsonPatchError::Operation { index, .. } => index,
        other => panic!("{other:?}"),
    }
}

/// A `move` within one array removes first, then adds at `path` as the array is then
/// (RFC 6902 §4.4): openshift/origin#23565 (evanphx/json-patch gave `a, c, d, b, e`),
/// corka149/jsonpatch#31 (added first, then removed the wrong element),
/// json-everything/json-everything#322 (an indexed write lost an element).
#[test]
fn a_move_within_an_array_removes_then_adds() {
    assert_eq!(
        applied(
            json!({"foo": ["a", "b", "c", "d", "e"]}),
            json!([{"op": "move", "from": "/foo/1", "path": "/foo/2"}])
        ),
        json!({"foo": ["a", "c", "b", "d", "e"]})
    );
    assert_eq!(
        applied(
            json!({"arr": ["a", "b", "c"]}),
            json!([{"op": "move", "from": "/arr/0", "path": "/arr/2"}])
        ),
        json!({"arr": ["b", "c", "a"]})
    );
    assert_eq!(
        applied(
            json!({"items": [{"value": 1}, {"value": 2}, {"value": 3}, {"value": 4}]}),
            json!([{"op": "move", "from": "/items/1", "path": "/items/0"}])
        ),
        json!({"items": [{"value": 2}, {"value": 1}, {"value": 3}, {"value": 4}]})
    );
}

/// The `path` of a `move` is read after the removal (dharmafly/jsonpatch.js#16: `/a/1/b/-`
/// names nothing once `/a/0` is taken away, one element being left), and a `move` into its
/// own child is refused (RFC 6902 §4.4: `from` a proper prefix of `path`).
#[test]
fn a_move_path_is_read_after_the_removal() {
    let document = json!({"a": ["test", {"b": []}]});
    let to = |path: &str| json!([{"op": "move", "from": "/a/0", "path": path}]);
    assert_eq!(failed_at(document.clone(), to("/a/1/b/-")), 0);
    assert_eq!(failed_at(document.clone(), to("/a/0/b/-")), 0);
    // To the place after the last element of the array it leaves: applies.
    assert_eq!(
        applied(document, to("/a/-")),
        json!({"a": [{"b": []}, "test"]})
    );
}

/// The error names the operation that failed, by its index in the document, not `0`
/// (Starcounter-Jack/JSON-Patch#220 and #297); the ones before it are undone
/// (stefankoegl/python-json-patch#152: operations apply in order, each to what the one before
/// it left).
#[test]
fn the_error_names_the_operation_that_failed() {
    // JSON-Patch#220: an `add` past the end of an empty array, second.
    assert_eq!(
        failed_at(
            json!({"myObj": {"arrKey": []}}),
            json!([
                {"op": "add", "path": "/id", "value": 1234},
                {"op": "add", "path": "/myObj/arrKey/1", "value": 12}
            ])
        ),
        1
    );
    // JSON-Patch#297: a `remove` of a missing member, second (its `value` is ignored).
    assert_eq!(
        failed_at(
            json!({"firstName": "first", "lastName": "last"}),
            json!([
                {"op": "replace", "path": "/firstName", "value": "first"},
                {"op": "remove", "path": "/middleName", "value": "middle"}
            ])
        ),
        1
    );
    // python-json-patch#152: after `/o/0` is removed, five elements are left.
    assert_eq!(
        failed_at(
            json!({"o": [0, 1, 2, 3, 4, {"current": true}]}),
            json!([
                {"op": "remove", "path": "/o/0"},
                {"op": "remove", "path": "/o/5/current"}
            ])
        ),
        1
    );
    // jakartaee/jsonp-api#58: a `replace` below an index past the end is an error of the
    // patch, not an index-out-of-bounds exception.
    assert_eq!(
        failed_at(
            json!([{"p": "a"}, {"p": "b"}]),
            json!([
                {"op": "replace", "path": "/0/p", "value": "x"},
                {"op": "replace", "path": "/2/p", "value": "y"}
            ])
        ),
        1
    );
}

/// Indexes at and past the end: `replace` at the length (stefankoegl/python-json-patch#96:
/// an `IndexError`), `remove` at `-` (python-json-patch#133: a `TypeError`), `add` past the
/// length (json-patch/json-patch-tests#31), each a failed operation.
#[test]
fn indexes_at_and_past_the_end_fail_as_operations() {
    let document = json!({"foo": [1, 2]});
    let one = |operation: Value| failed_at(document.clone(), json!([operation]));
    assert_eq!(
        one(json!({"op": "replace", "path": "/foo/2", "value": 3})),
        0
    );
    assert_eq!(one(json!({"op": "remove", "path": "/foo/-"})), 0);
    assert_eq!(one(json!({"op": "add", "path": "/foo/8", "value": "5"})), 0);
}

/// RFC 6901 §4: `~1` is undone before `~0`, so `/~01` is the name `~1`, not `/`
/// (bruth/jsonpatch-js#8, dustin/go-jsonpointer#15, stleary/JSON-java#1078); every `~1` of a
/// token is undone, not the first only (flitbit/json-ptr#1); `add` and `replace` unescape as
/// `test` and `remove` do (json-c/json-c#961: the setter wrote the escaped name).
#[test]
fn pointer_escapes_are_undone_once_in_order() {
    assert_eq!(
        applied(
            json!({"/": 9, "~1": 10}),
            json!([
                {"op": "test", "path": "/~01", "value": 10},
                {"op": "remove", "path": "/~01"}
            ])
        ),
        json!({"/": 9})
    );
    assert_eq!(
        applied(
            json!({"a": {"http://www.test.com/b": {"c": 1}}}),
            json!([{"op": "replace", "path": "/a/http:~1~1www.test.com~1b/c", "value": 2}])
        ),
        json!({"a": {"http://www.test.com/b": {"c": 2}}})
    );
    assert_eq!(
        applied(
            json!({"a/b": 1}),
            json!([
                {"op": "add", "path": "/a~1b", "value": 2},
                {"op": "replace", "path": "/a~1b", "value": 3}
            ])
        ),
        json!({"a/b": 3})
    );
}

/// In an object, a token of digits is a name (flipkart-incubator/zjsonpatch#116: `/77` read as
/// an index of the root object), also with a leading zero; the empty name is a name.
#[test]
fn digits_in_an_object_are_names() {
    assert_eq!(
        applied(
            json!({"16": [{"id": "one"}], "63": [1], "01": true, "": {"": 1}}),
            json!([
                {"op": "move", "from": "/63", "path": "/77"},
                {"op": "add", "path": "/16/0/x", "value": 1},
                {"op": "remove", "path": "/01"},
                {"op": "replace", "path": "//", "value": 2}
            ])
        ),
        json!({"16": [{"id": "one", "x": 1}], "77": [1], "": {"": 2}})
    );
}

/// A `move` written with a `value` (as zjsonpatch wrote them before
/// flipkart-incubator/zjsonpatch#5) is read, the `value` ignored (RFC 6902 §4: members that
/// the operation does not define are ignored); ours are written without one, `from` first.
#[test]
fn a_move_with_a_value_is_read_and_written_without_it() {
    let read = operations(json!([
        {"op": "move", "path": "/qux/thud", "from": "/foo/waldo", "value": "fred"}
    ]));
    assert_eq!(
        serde_json::to_string(&read).unwrap(),
        r#"[{"op":"move","from":"/foo/waldo","path":"/qux/thud"}]"#
    );
    let mut document = json!({"foo": {"waldo": "fred"}, "qux": {}});
    apply_json_patch(&mut document, &read).unwrap();
    assert_eq!(document, json!({"foo": {}, "qux": {"thud": "fred"}}));
}

#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Playlist {
    name: String,
    songs: Vec<String>,
}

/// The typed reading of a `move` within an array (openshift/origin#23565's input): the patch
/// holds the array as the move leaves it.
#[test]
fn the_typed_reading_of_a_move_within_an_array() {
    let base = Playlist {
        name: "p".into(),
        songs: ["a", "b", "c", "d", "e"].map(String::from).to_vec(),
    };
    let patch = PlaylistPatch::from_json_patch(
        &base,
        &operations(json!([{"op": "move", "from": "/songs/1", "path": "/songs/2"}])),
    )
    .unwrap();
    assert_eq!(
        patch,
        PlaylistPatch::new().songs(["a", "c", "b", "d", "e"].map(String::from).to_vec())
    );
    // A failed operation reads nothing (Starcounter-Jack/JSON-Patch#297's input, on `/name`).
    assert!(
        PlaylistPatch::from_json_patch(
            &base,
            &operations(json!([
                {"op": "replace", "path": "/name", "value": "q"},
                {"op": "remove", "path": "/middleName"}
            ]))
        )
        .is_err()
    );
}

/// A reading whose weight is an `f32`, a key a SCIM filter may compare.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Weight {
    id: u32,
    w: f32,
}

// The feature `schemars` (on in the tests) asks every field type for its schema.
impl schemars::JsonSchema for Weight {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Weight".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({"type": "object", "required": ["id", "w"]})
    }
}

#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Scale {
    name: String,
    ratio: f32,
    #[patchable(key = "id")]
    weights: Vec<Weight>,
}

/// An `f32` of the model is the number its JSON text holds: serde_json writes `0.1` as `0.1`,
/// which a client reads and sends back in a `test` (RFC 6902 §4.6: equal numbers), or in a
/// SCIM filter (RFC 7644 §3.4.2.2). The readers took the model's JSON from
/// `serde_json::to_value`, which widens it to `0.10000000149011612`: the `test` failed (409)
/// and the filter matched nothing, on the value the client had been served.
#[test]
fn an_f32_is_tested_and_filtered_as_its_json_text() {
    let base = Scale {
        name: "s".into(),
        ratio: 0.1,
        weights: vec![Weight { id: 1, w: 0.1 }, Weight { id: 2, w: 0.5 }],
    };
    let served: Value = serde_json::from_str(&serde_json::to_string(&base).unwrap()).unwrap();
    assert_eq!(served["ratio"], json!(0.1));
    let patch = ScalePatch::from_json_patch(
        &base,
        &operations(json!([
            {"op": "test", "path": "/ratio", "value": 0.1},
            {"op": "test", "path": "/weights/0/w", "value": 0.1},
            {"op": "replace", "path": "/name", "value": "t"}
        ])),
    )
    .unwrap();
    assert_eq!(patch, ScalePatch::new().name("t".to_owned()));
    let patch = ScalePatch::from_scim_patch(
        &base,
        &message(json!([{"op": "remove", "path": "weights[w eq 0.1]"}])),
    )
    .unwrap();
    assert_eq!(
        patch,
        ScalePatch::new().weights(vec![Weight { id: 2, w: 0.5 }])
    );
}

// RFC 7644 §3.5.2: SCIM PatchOp.

fn group() -> Value {
    json!({"displayName": "g", "members": [{"value": "A"}, {"value": "B"}]})
}

fn user() -> Value {
    json!({
        "userName": "bjensen",
        "name": {"givenName": "Barbara", "familyName": "Jensen"},
        "emails": [
            {"type": "work", "value": "bj@example.com", "primary": true},
            {"type": "home", "value": "babs@jensen.org"}
        ],
        "active": true
    })
}

/// `remove` at `members[value eq "…"]`, without a value, removes that member and only it:
/// elimity-com/scim#91 refused it (`invalidValue`), goauthentik/authentik#25686 and
/// BerriAI/litellm#34181 ignored it, msaad00/agent-bom#3533 removed every member; a value
/// that no member holds removes nothing (simpleidserver/SimpleIdServer#696: values compare in
/// any case, so `a` is `A`).
#[test]
fn a_remove_at_a_member_filter_removes_that_member() {
    let remove =
        |value: &str| json!([{"op": "remove", "path": format!("members[value eq \"{value}\"]")}]);
    assert_eq!(
        scim_applied(&group(), remove("B")),
        json!({"displayName": "g", "members": [{"value": "A"}]})
    );
    assert_eq!(
        scim_applied(&group(), remove("a")),
        json!({"displayName": "g", "members": [{"value": "B"}]})
    );
    assert_eq!(scim_applied(&group(), remove("Z")), group());
}

/// `add` at `members` appends (msaad00/agent-bom#3533 replaced the list; wso2/product-is#11678
/// replaced a simple multi-valued attribute), and `replace` at `members` replaces every value
/// (keycloak/keycloak#52752 kept the stale ones).
#[test]
fn add_at_a_multi_valued_attribute_appends_and_replace_replaces() {
    assert_eq!(
        scim_applied(
            &group(),
            json!([{"op": "add", "path": "members", "value": [{"value": "C"}]}])
        ),
        json!({"displayName": "g", "members": [{"value": "A"}, {"value": "B"}, {"value": "C"}]})
    );
    assert_eq!(
        scim_applied(
            &group(),
            json!([{"op": "replace", "path": "members", "value": [{"value": "C"}]}])
        ),
        json!({"displayName": "g", "members": [{"value": "C"}]})
    );
    let devices = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:devices";
    let user = json!({"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {"devices": ["D1", "D2", "D3"]}});
    assert_eq!(
        scim_applied(
            &user,
            json!([{"op": "add", "path": devices, "value": ["D4", "D5"]}])
        ),
        json!({"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {"devices": ["D1", "D2", "D3", "D4", "D5"]}})
    );
}

/// A `replace` of a multi-valued attribute with one value, not in an array, replaces its
/// values with that one, as an `add` of one value appends it (Captain-P-Goldfish/SCIM-SDK#47
/// and SAP-archive/scimono#82 read such a value as one element). It was stored as it came:
/// `emails` held an object, no longer multi-valued, and a typed model's `Vec` could not read it.
#[test]
fn a_replace_of_a_multi_valued_attribute_with_one_value_holds_that_value() {
    let one = json!({"type": "work", "value": "only@example.com"});
    let expected = {
        let mut user = user();
        user["emails"] = json!([one.clone()]);
        user
    };
    assert_eq!(
        scim_applied(
            &user(),
            json!([{"op": "replace", "path": "emails", "value": one}])
        ),
        expected
    );
    // Path-less, the same.
    assert_eq!(
        scim_applied(
            &user(),
            json!([{"op": "replace", "value": {"emails": one}}])
        ),
        expected
    );
    // A simple value as well.
    assert_eq!(
        scim_applied(
            &json!({"tags": ["x", "y"]}),
            json!([{"op": "replace", "path": "tags", "value": "z"}])
        ),
        json!({"tags": ["z"]})
    );
    // An array still replaces, and `null` still unassigns.
    assert_eq!(
        scim_applied(
            &user(),
            json!([{"op": "replace", "path": "emails", "value": []}])
        )["emails"],
        json!([])
    );
    assert!(
        scim_applied(
            &user(),
            json!([{"op": "replace", "path": "emails", "value": null}])
        )
        .get("emails")
        .is_none()
    );
    // A single-valued attribute takes the value as it is.
    assert_eq!(
        scim_applied(
            &user(),
            json!([{"op": "replace", "path": "userName", "value": "b"}])
        )["userName"],
        json!("b")
    );
}

/// An email as a map of its sub-attributes (a type with a JSON Schema, which the `schemars`
/// feature of the tests' build asks every field's type for).
type Email = BTreeMap<String, String>;

fn email(kind: &str, value: &str) -> Email {
    Email::from([("type".into(), kind.into()), ("value".into(), value.into())])
}

#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Person {
    user_name: String,
    emails: Vec<Email>,
}

/// The typed reading of a `replace` of `emails` with one email: the patch's `emails` is the
/// list of that one (it was `invalidValue`: an object where the model has a `Vec`).
#[test]
fn the_typed_reading_of_a_replace_with_one_value() {
    let base = Person {
        user_name: "bjensen".into(),
        emails: vec![
            email("work", "bj@example.com"),
            email("home", "babs@jensen.org"),
        ],
    };
    let patch = PersonPatch::from_scim_patch(
        &base,
        &message(json!([{
            "op": "Replace",
            "path": "emails",
            "value": {"type": "work", "value": "only@example.com"}
        }])),
    )
    .unwrap();
    let only = email("work", "only@example.com");
    assert_eq!(patch, PersonPatch::new().emails(vec![only.clone()]));
    let mut person = base;
    person.apply(patch).unwrap();
    assert_eq!(person.emails, vec![only]);
}

/// A `replace` whose filter matches no value of the attribute is `noTarget` (RFC 7644
/// §3.5.2.3), not an element added (thomaspoignant/scim-patch#74); its value, at a filter of
/// complex values, is an object of sub-attributes (a string there is `invalidValue`).
#[test]
fn a_replace_whose_filter_matches_nothing_is_no_target() {
    let empty = json!({"displayName": "g", "members": []});
    let fault = scim_fault(
        &empty,
        json!([{"op": "replace", "path": "members[value eq \"bogus\"]", "value": {"value": "x"}}]),
    );
    assert_eq!(fault.scim_type(), "noTarget", "{fault}");
    let fault = scim_fault(
        &empty,
        json!([{"op": "replace", "path": "members[value eq \"bogus\"]", "value": "x"}]),
    );
    assert_eq!(fault.scim_type(), "invalidValue", "{fault}");
}

/// A filter's string holds `.`, `:`, `]` and escaped quotes as characters of the value
/// (thomaspoignant/scim-patch#161: a `.` in the value split the path;
/// lightdash/lightdash#18243 and thomaspoignant/scim-patch#1020: a `:` read as a URN's).
#[test]
fn a_filter_value_holds_path_characters() {
    assert_eq!(
        scim_applied(
            &json!({"emails": [{"value": "spiderman.clark@superheroes.com", "type": "work"}]}),
            json!([{
                "op": "replace",
                "path": "emails[value eq \"spiderman.clark@superheroes.com\"].value",
                "value": "b@example.com"
            }])
        ),
        json!({"emails": [{"value": "b@example.com", "type": "work"}]})
    );
    assert_eq!(
        scim_applied(
            &json!({"roles": [{"value": "3675:admin"}, {"value": "3675:user"}, {"value": "a]b"}, {"value": "c\"d"}]}),
            json!([
                {"op": "remove", "path": "roles[value eq \"3675:admin\"]"},
                {"op": "remove", "path": "roles[value eq \"a]b\"]"},
                {"op": "remove", "path": "roles[value eq \"c\\\"d\"]"}
            ])
        ),
        json!({"roles": [{"value": "3675:user"}]})
    );
}

/// A `remove` at a filtered sub-attribute with a value is refused, not read as a `replace`
/// (AzureAD/SCIMReferenceCode#87: `Remove` at `emails[type eq "work"].value` with another
/// address set that address).
#[test]
fn a_remove_with_a_value_at_a_filtered_sub_attribute_sets_nothing() {
    let fault = scim_fault(
        &user(),
        json!([{
            "op": "Remove",
            "path": "emails[type eq \"work\"].value",
            "value": "updated@example.org"
        }]),
    );
    assert!(matches!(fault, ScimFault::RemoveWithValue), "{fault:?}");
    // Without the value, it removes the sub-attribute of the matching values.
    let mut expected = user();
    expected["emails"][0]
        .as_object_mut()
        .unwrap()
        .remove("value");
    assert_eq!(
        scim_applied(
            &user(),
            json!([{"op": "remove", "path": "emails[type eq \"work\"].value"}])
        ),
        expected
    );
}

/// A filter with `and` and `ew` (sourcegraph/sourcegraph#48351): only the values that match
/// both comparisons are removed.
#[test]
fn a_remove_filter_with_and_removes_what_matches_both() {
    let user = json!({"emails": [
        {"type": "work", "value": "a@example.com"},
        {"type": "work", "value": "b@other.org"},
        {"type": "home", "value": "c@example.com"}
    ]});
    assert_eq!(
        scim_applied(
            &user,
            json!([{"op": "remove", "path": "emails[type eq \"work\" and value ew \"example.com\"]"}])
        ),
        json!({"emails": [
            {"type": "work", "value": "b@other.org"},
            {"type": "home", "value": "c@example.com"}
        ]})
    );
}

/// An email with a boolean `primary`, for the typed reading of Entra ID's `"True"`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct PrimaryEmail {
    r#type: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    primary: Option<bool>,
}

// The feature `schemars` (on in the tests) asks every field type for its schema.
impl schemars::JsonSchema for PrimaryEmail {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "PrimaryEmail".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({"type": "object", "required": ["type"]})
    }
}

#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
struct EntraUser {
    #[patchable(key = "type")]
    emails: Vec<PrimaryEmail>,
}

/// Entra ID writes `true` as `"True"` (AzureAD/SCIMReferenceCode#21), also for `primary`,
/// which RFC 7643 §2.4 defines as a boolean: a typed model reads it as `true` (see
/// `boolean_strings`), so the primary rule (RFC 7644 §3.5.2) reads it so too, and the value
/// that was primary loses it. The rule looked for the boolean only, and the typed patch held
/// two primary emails; the untyped document keeps the string as it came.
#[test]
fn entra_s_string_true_on_primary_demotes_the_primary_value() {
    let email = |kind: &str, primary| PrimaryEmail {
        r#type: kind.into(),
        primary,
    };
    let base = EntraUser {
        emails: vec![email("work", Some(true)), email("home", None)],
    };
    let expected =
        EntraUserPatch::new().emails(vec![email("work", Some(false)), email("home", Some(true))]);
    for operation in [
        json!({"op": "Add", "path": "emails[type eq \"home\"].primary", "value": "True"}),
        json!({"op": "Replace", "value": {"emails[type eq \"home\"].primary": "TRUE"}}),
        json!({"op": "Replace", "path": "emails[type eq \"home\"]", "value": {"primary": "true"}}),
    ] {
        let patch = EntraUserPatch::from_scim_patch(&base, &message(json!([operation.clone()])));
        assert_eq!(patch.unwrap(), expected, "{operation}");
    }
    let untyped = scim_applied(
        &serde_json::to_value(&base).unwrap(),
        json!([{"op": "Add", "path": "emails[type eq \"home\"].primary", "value": "True"}]),
    );
    assert_eq!(
        untyped["emails"],
        json!([{"type": "work", "primary": false}, {"type": "home", "primary": "True"}])
    );
}

/// Entra ID's `Add` at `emails[type eq "work"].value` for a user without a work email adds
/// the element that the filter describes (Metatavu/keycloak-scim-server#35 and #40,
/// wireapp/wire-server#5419); beside a home email, it is appended.
#[test]
fn entra_add_at_a_filtered_email_adds_the_element() {
    let add =
        json!([{"op": "Add", "path": "emails[type eq \"work\"].value", "value": "w@example.com"}]);
    assert_eq!(
        scim_applied(&json!({"userName": "u"}), add.clone()),
        json!({"userName": "u", "emails": [{"type": "work", "value": "w@example.com"}]})
    );
    assert_eq!(
        scim_applied(
            &json!({"userName": "u", "emails": [{"type": "home", "value": "h@x"}]}),
            add
        ),
        json!({"userName": "u", "emails": [
            {"type": "home", "value": "h@x"},
            {"type": "work", "value": "w@example.com"}
        ]})
    );
}

/// An `add` through a filter that holds `primary eq true` (a `valuePath` on `primary`, as
/// wireapp/wire-server#5419 reads Entra ID's) adds a primary value where none matches: the
/// value that was primary loses it (RFC 7644 §3.5.2: an operation that "sets a value's
/// "primary" sub-attribute to "true"" sets the others' to `false`; RFC 7643 §2.4: `true` at
/// most once). Only a `primary` written in the path's end or the value was looked for, and the
/// user was left with two primary emails; likewise in a path-less `add`'s member name.
#[test]
fn an_add_made_primary_by_its_filter_demotes_the_primary_value() {
    let user = json!({"emails": [
        {"type": "work", "value": "w@example.com", "primary": true},
        {"type": "home", "value": "h@example.com"}
    ]});
    let expected = json!([
        {"type": "work", "value": "w@example.com", "primary": false},
        {"type": "home", "value": "h@example.com"},
        {"type": "other", "value": "o@example.com", "primary": true}
    ]);
    let path = r#"emails[type eq "other" and primary eq true]"#;
    for operation in [
        json!({"op": "Add", "path": format!("{path}.value"), "value": "o@example.com"}),
        json!({"op": "add", "path": path, "value": {"value": "o@example.com"}}),
        json!({"op": "add", "value": {(format!("{path}.value")): "o@example.com"}}),
    ] {
        assert_eq!(
            scim_applied(&user, json!([operation]))["emails"],
            expected,
            "{operation}"
        );
    }
}

/// `replace` at a complex attribute, with or without a path, changes the sub-attributes it
/// gives and leaves the others (RFC 7644 §3.5.2.3: "Sub-attributes that are not specified in
/// the "value" parameter are left unchanged"); simpleidserver/SimpleIdServer#595 stored the
/// changed names as new members of `name`.
#[test]
fn a_replace_of_a_complex_attribute_keeps_the_sub_attributes_it_does_not_give() {
    let mut expected = user();
    expected["name"]["givenName"] = json!("Babs");
    expected["active"] = json!(false);
    for operations in [
        json!([
            {"op": "replace", "path": "name", "value": {"givenName": "Babs"}},
            {"op": "replace", "path": "active", "value": false}
        ]),
        json!([{"op": "replace", "value": {"name": {"givenName": "Babs"}, "active": false}}]),
        json!([
            {"op": "replace", "path": "name.givenName", "value": "Babs"},
            {"op": "replace", "path": "active", "value": false}
        ]),
    ] {
        assert_eq!(scim_applied(&user(), operations), expected);
    }
}

/// The enterprise extension's `manager.value` (wso2/product-is#11678: refused as "max one sub
/// attribute") and `manager` with an object both set the manager.
#[test]
fn the_manager_of_the_enterprise_extension_by_its_sub_attribute() {
    let urn = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
    let expected = json!({"userName": "u", urn: {"manager": {"value": "Ruth"}}});
    for (path, value) in [
        (format!("{urn}:manager.value"), json!("Ruth")),
        (format!("{urn}:manager"), json!({"value": "Ruth"})),
    ] {
        assert_eq!(
            scim_applied(
                &json!({"userName": "u"}),
                json!([{"op": "add", "path": path, "value": value}])
            ),
            expected
        );
    }
}

/// `replace` may omit `path` (elimity-com/scim#73 required one); `remove` may not
/// (python-scim/scim2-models#96, RFC 7644 §3.5.2.2: `noTarget`).
#[test]
fn only_remove_needs_a_path() {
    assert_eq!(
        scim_applied(
            &group(),
            json!([{"op": "replace", "value": {"displayName": "h"}}])
        )["displayName"],
        json!("h")
    );
    let fault = scim_fault(&group(), json!([{"op": "remove"}]));
    assert!(matches!(fault, ScimFault::RemoveWithoutPath), "{fault:?}");
    assert_eq!(fault.scim_type(), "noTarget");
}

/// The SCIM operations that `scim_patch_from_merge` writes where a merge patch puts a value
/// that is not an array in an array's place (a custom attribute of untyped JSON): a `remove`
/// first, since a `replace` of a multi-valued attribute with one value now holds that value
/// as its only one (above); applied, they make what the merge patch makes (the law of
/// `tests/scim_patch_apply_oracle.rs`, which found the keyed case: `emails[type eq "work"]`'s
/// `value` from `[]` to `1`).
#[test]
fn the_scim_output_of_an_array_replaced_by_one_value() {
    let keyed = [KeyedArray::Array {
        attribute: "emails",
        key: "type",
    }];
    let cases = [
        (json!({"tags": ["a", "b"]}), json!({"tags": "a"})),
        (json!({"tags": ["a", "b"]}), json!({"tags": {"a": 1}})),
        (
            json!({"emails": [{"type": "work", "value": []}]}),
            json!({"emails": [{"type": "work", "value": 1}]}),
        ),
    ];
    for (base, merge) in cases {
        let message = scim_patch_from_merge(&base, &merge, &keyed).unwrap();
        assert_eq!(message.operations[0].op, ScimOp::Remove, "{message:?}");
        let mut document = base.clone();
        apply_scim_patch(&mut document, &message).unwrap();
        assert_eq!(document, merged(base, merge));
    }
}

/// A message that [`ScimPatch::is_idempotent`] calls repeatable does, sent twice, what it does
/// once (the PingOne client sends such a message again after a lost answer). Entra ID's
/// path-less `Replace` whose member is a filtered path that the value changes
/// (`{"emails[type eq \"work\"].type": "other"}`) was called repeatable, since only the
/// `path` was looked at: sent again, its filter matched nothing, 400 `noTarget` (RFC 7644
/// §3.5.2.3); likewise an earlier `replace` at a filter that such a member changes.
#[test]
fn a_pathless_replace_at_a_filter_it_changes_is_not_repeatable() {
    let user = json!({"emails": [{"type": "work", "value": "a"}, {"type": "home", "value": "b"}]});
    let retype = json!({"op": "Replace", "value": {"emails[type eq \"work\"].type": "other"}});
    let set_value =
        json!({"op": "replace", "path": "emails[type eq \"work\"].value", "value": "x"});
    let set_by_member = json!({"op": "replace", "value": {"emails[type eq \"work\"].value": "x"}});
    for (operations, repeatable) in [
        (json!([retype.clone()]), false),
        (json!([set_value.clone(), retype]), false),
        (
            json!([{"op": "replace", "value": {
                "emails[type eq \"home\"].type": "work", "emails[type eq \"work\"].value": "z"
            }}]),
            false,
        ),
        (json!([set_value]), true),
        (json!([set_by_member]), true),
    ] {
        let message = message(operations.clone());
        assert_eq!(message.is_idempotent(), repeatable, "{operations}");
        let once = scim_applied(&user, operations.clone());
        let mut twice = once.clone();
        let again = apply_scim_patch(&mut twice, &message);
        assert_eq!(again.is_ok() && twice == once, repeatable, "{operations}");
    }
}

/// `emails.value`, without a filter, names no one of the values of `emails`
/// (Metatavu/keycloak-scim-server#40 asks for it, to set the one email its server keeps): it
/// is refused (`invalidPath`), as one names a value through a filter (RFC 7644 §3.5.2:
/// `valuePath`); the error said that `emails` "is not a complex attribute", where its values
/// are complex, instead of telling the client to select them.
#[test]
fn a_sub_attribute_of_a_multi_valued_attribute_asks_for_a_filter() {
    for operation in [
        json!({"op": "remove", "path": "emails.value"}),
        json!({"op": "replace", "path": "emails.value", "value": "x@example.com"}),
        json!({"op": "add", "path": "emails.value", "value": "x@example.com"}),
    ] {
        let fault = scim_fault(&user(), json!([operation]));
        assert_eq!(
            fault,
            ScimFault::MultiValuedSubAttribute {
                attribute: "emails".into(),
                sub: "value".into(),
            },
            "{operation}"
        );
        assert_eq!(fault.scim_type(), "invalidPath");
        assert!(
            fault.to_string().contains(r#"emails is multi-valued: emails.value does not say which of its values; select them with a filter, as in emails[type eq "work"].value"#),
            "{fault}"
        );
    }
}
