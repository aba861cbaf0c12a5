//! RFC 6902 output (`Patch::to_json_patch`) at its edges: keys that a JSON Pointer escapes, in
//! maps and custom attributes; `null` on an attribute that is absent; an object added where the
//! base has none; and every result checked with `json_patch::patch` against
//! `json_patch::merge`.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use sparse_patch::{DialectError, JsonPatchOperation, Patch, Patchable, json_patch_from_merge};

#[path = "support/deep_json.rs"]
mod deep_json;
use deep_json::{dismantle, nested};

#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Profile {
    username: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    nickname: Option<String>,
    labels: BTreeMap<String, String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    extra: Option<Value>,
    #[serde(flatten)]
    custom: BTreeMap<String, Value>,
}

fn profile() -> Profile {
    Profile {
        username: "dspanner".into(),
        nickname: None,
        labels: BTreeMap::from([("a/b".into(), "1".into()), ("~".into(), "2".into())]),
        extra: None,
        custom: BTreeMap::from([("badge~/x".into(), json!({"level": 1}))]),
    }
}

/// The operations of `patch` on `base`, checked: they do the merge patch's work.
fn operations(base: &Profile, patch: &ProfilePatch) -> Value {
    let operations = patch.to_json_patch(base).unwrap();
    let json = serde_json::to_value(&operations).unwrap();
    let document: json_patch::Patch = serde_json::from_value(json.clone()).unwrap();
    let mut patched = serde_json::to_value(base).unwrap();
    json_patch::patch(&mut patched, &document).unwrap();
    let mut merged = serde_json::to_value(base).unwrap();
    json_patch::merge(&mut merged, &serde_json::to_value(patch).unwrap());
    assert_eq!(patched, merged);
    json
}

/// Whether serde_json's `Map` keeps insertion order (its `preserve_order` feature, which any
/// crate of a build may turn on) rather than sorting its members.
fn map_keeps_insertion_order() -> bool {
    let probe: serde_json::Map<String, Value> =
        [("b".to_owned(), Value::Null), ("a".to_owned(), Value::Null)]
            .into_iter()
            .collect();
    probe.keys().next().is_some_and(|first| first == "b")
}

#[test]
fn map_keys_and_custom_attributes_are_escaped() {
    let patch: ProfilePatch = serde_json::from_value(json!({
        "labels": {"a/b": null, "~": "3", "c/~": "4"},
        "badge~/x": {"level": 2}
    }))
    .unwrap();
    let badge = json!({"op": "add", "path": "/badge~0~1x/level", "value": 2});
    let labels = [
        json!({"op": "remove", "path": "/labels/a~1b"}),
        json!({"op": "add", "path": "/labels/c~1~0", "value": "4"}),
        json!({"op": "add", "path": "/labels/~0", "value": "3"}),
    ];
    // By name; where serde_json keeps insertion order (its `preserve_order`), in the patch's
    // order (README): the model's fields, then its flattened custom attributes.
    let expected: Vec<Value> = if map_keeps_insertion_order() {
        labels.into_iter().chain([badge]).collect()
    } else {
        [badge].into_iter().chain(labels).collect()
    };
    assert_eq!(operations(&profile(), &patch), Value::Array(expected));
}

#[test]
fn null_on_an_absent_attribute_sends_nothing() {
    let patch = ProfilePatch::new().clear_nickname().clear_extra();
    assert_eq!(operations(&profile(), &patch), json!([]));
    assert_eq!(operations(&profile(), &ProfilePatch::new()), json!([]));
}

#[test]
fn an_object_where_the_base_has_none_is_added_without_its_nulls() {
    let patch = ProfilePatch::new().extra(json!({"a": {"b": null, "c": 1}, "d": null}));
    assert_eq!(
        operations(&profile(), &patch),
        json!([{"op": "add", "path": "/extra", "value": {"a": {"c": 1}}}])
    );
    let mut base = profile();
    base.extra = Some(json!("scalar"));
    assert_eq!(
        operations(&base, &patch),
        json!([{"op": "add", "path": "/extra", "value": {"a": {"c": 1}}}])
    );
}

#[test]
fn a_value_equal_to_the_base_sends_nothing() {
    let patch = ProfilePatch::new().username("dspanner").nickname("Dave");
    assert_eq!(
        operations(&profile(), &patch),
        json!([{"op": "add", "path": "/nickname", "value": "Dave"}])
    );
}

#[test]
fn untyped_input_that_is_not_an_object_is_refused() {
    let error = json_patch_from_merge(&json!({}), &json!([1])).unwrap_err();
    assert!(matches!(error, DialectError::NotAnObject { what: "patch" }));
    assert_eq!(error.to_string(), "the patch's JSON is not an object");
    let error = json_patch_from_merge(&json!(1), &json!({})).unwrap_err();
    assert_eq!(error.to_string(), "the model's JSON is not an object");
}

#[test]
fn a_null_member_of_the_base_counts_as_absent() {
    // A model whose `Option`s serialize as `null` (no `skip_serializing_if`): the server's
    // document lacks those members, so the operations must neither remove nor replace them.
    #[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
    struct Plain {
        nickname: Option<String>,
        photo: Option<Value>,
    }
    let base = Plain {
        nickname: None,
        photo: None,
    };
    let set = PlainPatch::new()
        .nickname("Dave")
        .photo(json!({"href": "x"}));
    let operations = serde_json::to_value(set.to_json_patch(&base).unwrap()).unwrap();
    assert_eq!(
        operations,
        json!([
            {"op": "add", "path": "/nickname", "value": "Dave"},
            {"op": "add", "path": "/photo", "value": {"href": "x"}}
        ])
    );
    // Applied to the server's document, which holds no `null` member, they succeed.
    let document: json_patch::Patch = serde_json::from_value(operations).unwrap();
    let mut server = json!({});
    json_patch::patch(&mut server, &document).unwrap();
    assert_eq!(server, json!({"nickname": "Dave", "photo": {"href": "x"}}));
    let clear = PlainPatch::new().clear_nickname().clear_photo();
    assert!(clear.to_json_patch(&base).unwrap().is_empty());
}

/// A nested object of the base that holds nothing but `null`s (or nothing at all: an `Option`
/// struct whose fields skip `None`) is a member that a server storing no `null` may lack too:
/// a value set inside it is added with the object, not at a path below a parent that the
/// server's document may not have (RFC 6902 §4.1: the parent must exist).
#[test]
fn an_object_of_the_base_that_holds_nothing_is_added_whole() {
    #[derive(Patchable, Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
    struct Skipping {
        #[serde(skip_serializing_if = "Option::is_none")]
        locality: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        region: Option<String>,
    }
    #[derive(Patchable, Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
    struct Nulls {
        locality: Option<String>,
        region: Option<String>,
    }
    #[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
    struct Person {
        #[patchable(nested)]
        #[serde(skip_serializing_if = "Option::is_none")]
        address: Option<Skipping>,
        #[patchable(nested)]
        #[serde(skip_serializing_if = "Option::is_none")]
        home: Option<Nulls>,
    }
    let base = Person {
        address: Some(Skipping::default()),
        home: Some(Nulls::default()),
    };
    assert_eq!(
        serde_json::to_value(&base).unwrap(),
        json!({"address": {}, "home": {"locality": null, "region": null}})
    );
    let patch = PersonPatch::new()
        .address(SkippingPatch::new().locality("Austin").clear_region())
        .home(NullsPatch::new().locality("Oslo"));
    let operations = serde_json::to_value(patch.to_json_patch(&base).unwrap()).unwrap();
    assert_eq!(
        operations,
        json!([
            {"op": "add", "path": "/address", "value": {"locality": "Austin"}},
            {"op": "add", "path": "/home", "value": {"locality": "Oslo"}}
        ])
    );
    let document: json_patch::Patch = serde_json::from_value(operations).unwrap();
    // The base's own JSON, as the merge patch gives it.
    let mut patched = json!({"address": {}});
    json_patch::patch(&mut patched, &document).unwrap();
    let mut merged = json!({"address": {}});
    json_patch::merge(&mut merged, &serde_json::to_value(&patch).unwrap());
    assert_eq!(patched, merged);
    // Empty values nested in an object: the object is added whole, with the change merged.
    let base_json = json!({"a": {"b": {}, "c": [], "d": {"e": null}}});
    let operations = json_patch_from_merge(&base_json, &json!({"a": {"x": 1}})).unwrap();
    assert_eq!(
        serde_json::to_value(&operations).unwrap(),
        json!([{"op": "add", "path": "/a", "value": {"b": {}, "c": [], "d": {}, "x": 1}}])
    );
    let operations = json_patch_from_merge(&base_json, &json!({"a": null})).unwrap();
    assert_eq!(
        serde_json::to_value(&operations).unwrap(),
        json!([
            {"op": "add", "path": "/a", "value": {"b": {}, "c": [], "d": {}}},
            {"op": "remove", "path": "/a"}
        ])
    );
    // An empty nested patch on the base's `{}` changes nothing.
    let nothing = PersonPatch::new().address(SkippingPatch::new().clear_region());
    assert!(nothing.to_json_patch(&base).unwrap().is_empty());
    // A server's document that stores neither the empty object nor the `null`s.
    let mut server = json!({});
    json_patch::patch(&mut server, &document).unwrap();
    assert_eq!(
        server,
        json!({"address": {"locality": "Austin"}, "home": {"locality": "Oslo"}})
    );
}

/// Clearing a member that the base holds as `[]` or as an object of nothing but `null`s
/// (`{}`): a server may lack it (it stores no empty value), where a bare `remove` fails
/// (RFC 6902 §4.2: the target must exist). An `add` of the base's value first makes it exist,
/// so the `remove` holds on either document.
#[test]
fn clearing_an_empty_member_holds_where_the_server_lacks_it() {
    #[derive(Patchable, Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
    struct Address {
        #[serde(skip_serializing_if = "Option::is_none")]
        locality: Option<String>,
    }
    // Fields in sorted order: the operations follow the patch's members by name, or in the
    // model's order where serde_json keeps insertion order (its `preserve_order`), which agree.
    #[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
    struct Person {
        #[patchable(nested)]
        #[serde(skip_serializing_if = "Option::is_none")]
        address: Option<Address>,
        #[serde(skip_serializing_if = "Option::is_none")]
        extra: Option<Value>,
        #[serde(skip_serializing_if = "Option::is_none")]
        nickname: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        tags: Option<Vec<String>>,
    }
    let base = Person {
        address: Some(Address::default()),
        extra: Some(json!({"a": [], "b": 1})),
        nickname: Some(String::new()),
        tags: Some(vec![]),
    };
    let patch = PersonPatch::new()
        .clear_tags()
        .clear_address()
        .extra(json!({"a": null, "b": null}))
        .clear_nickname();
    let operations = serde_json::to_value(patch.to_json_patch(&base).unwrap()).unwrap();
    assert_eq!(
        operations,
        json!([
            {"op": "add", "path": "/address", "value": {}},
            {"op": "remove", "path": "/address"},
            {"op": "add", "path": "/extra/a", "value": []},
            {"op": "remove", "path": "/extra/a"},
            {"op": "remove", "path": "/extra/b"},
            {"op": "remove", "path": "/nickname"},
            {"op": "add", "path": "/tags", "value": []},
            {"op": "remove", "path": "/tags"}
        ])
    );
    let document: json_patch::Patch = serde_json::from_value(operations).unwrap();
    let base_json = serde_json::to_value(&base).unwrap();
    let mut patched = base_json.clone();
    json_patch::patch(&mut patched, &document).unwrap();
    let mut merged = base_json;
    json_patch::merge(&mut merged, &serde_json::to_value(&patch).unwrap());
    assert_eq!(patched, merged);
    // A server's document without the empty members.
    let mut server = json!({"extra": {"b": 1}, "nickname": ""});
    json_patch::patch(&mut server, &document).unwrap();
    assert_eq!(server, json!({"extra": {}}));
}

#[test]
fn json_of_any_depth_gives_its_operations_without_overflowing_the_stack() {
    // `json_patch_from_merge` recursed once per level of the merge patch, and asked at each
    // level whether the base's object held nothing but empty values, which recursed through
    // the whole object below: 100,000 levels (built in code; serde_json reads 128 levels of
    // text) overflowed the test thread's stack and aborted the process, and without recursion
    // the repeated question alone took time quadratic in the depth. It now walks with a heap
    // stack and looks through each object of the base once.
    let depth = 100_000;
    let base = nested(depth, json!(1));
    let merge = nested(depth, json!(2));
    let operations = json_patch_from_merge(&base, &merge).unwrap();
    assert_eq!(dismantle(base), (depth, json!(1)));
    assert_eq!(dismantle(merge), (depth, json!(2)));
    let [JsonPatchOperation::Add { path, value }] = &operations[..] else {
        panic!("{} operations", operations.len());
    };
    assert_eq!(*path, "/a".repeat(depth));
    assert_eq!(*value, json!(2));

    // Beside the deep chain, an object of empty values (which a server may lack) is still
    // added whole, merged, and a removed member still removed, at the bottom.
    let leaf = json!({"empty": {"e": [], "n": null}, "gone": "x"});
    let base = nested(depth, leaf);
    let merge = nested(depth, json!({"empty": {"k": 1}, "gone": null}));
    let operations = json_patch_from_merge(&base, &merge).unwrap();
    dismantle(base);
    dismantle(merge);
    let bottom = "/a".repeat(depth);
    assert_eq!(
        operations,
        [
            JsonPatchOperation::Add {
                path: format!("{bottom}/empty"),
                value: json!({"e": [], "k": 1}),
            },
            JsonPatchOperation::Remove {
                path: format!("{bottom}/gone"),
            },
        ]
    );
}

/// An object deeper than the recursive walk (160 levels, built in code) holding nothing but
/// `null` may be missing from the server's document, as a shallow one may: removing it sends
/// `add` first, so that `remove` has a target (RFC 6902 §4.2). (Mutation testing: the heap
/// walk taking a deep `null` for a value went unnoticed.)
#[test]
fn a_deep_object_of_nulls_is_added_before_it_is_removed() {
    let mut deep = json!({"x": null});
    for _ in 0..200 {
        deep = json!({ "d": deep });
    }
    let base = json!({ "a": deep });
    let operations = json_patch_from_merge(&base, &json!({"a": null})).unwrap();
    let operations = serde_json::to_value(&operations).unwrap();
    assert_eq!(operations.as_array().map(Vec::len), Some(2), "{operations}");
    assert_eq!(operations[0]["op"], "add");
    assert_eq!(operations[1], json!({"op": "remove", "path": "/a"}));
}

/// A typed patch whose untyped JSON is nested deep (5,000 arrays, built in code), with a float
/// at the bottom: the walk that looks for a number JSON cannot carry (NaN, an integer wider
/// than 64 bits) before the outputs are built recursed with a 72-byte error in every frame,
/// and overflowed an 8 MB stack (unoptimized) at about two thirds of the depth that
/// `serde_json::to_value`, which the outputs are built from, reaches; the process aborted on a
/// patch that serde_json writes. The error is boxed now, and the walk reaches that depth.
#[test]
fn a_typed_patch_as_deep_as_serde_json_writes_gives_its_operations() {
    std::thread::Builder::new()
        .stack_size(8 << 20)
        .spawn(|| {
            let deep = |depth: usize| {
                (0..depth).fold(json!(0.5), |inner, _| Value::Array(vec![inner]))
            };
            let patch = ProfilePatch::new().extra(deep(5_000));
            let operations = patch.to_json_patch(&profile()).unwrap();
            assert!(matches!(&operations[..], [JsonPatchOperation::Add { path, .. }] if path == "/extra"));
            let scim = patch.to_scim_patch(&profile()).unwrap();
            assert_eq!(scim.operations.len(), 1);
            let mut base = profile();
            base.extra = Some(deep(5_000));
            let patch = ProfilePatch::new().extra(deep(5_001));
            assert_eq!(patch.to_json_patch(&base).unwrap().len(), 1);
        })
        .unwrap()
        .join()
        .unwrap();
}

/// Below the recursive walk (160 levels, built in code), the heap walk gives what the
/// recursive one gives: an empty array counts as a value the server may lack (added before
/// it is removed); an object of `null`s deeper than 160 levels, looked through once beside a
/// value, is still known to be empty when the walk reaches it (added whole, merged); and
/// after an object's members, the next member's path is its own, not under that object.
/// (Mutation testing: each of these, changed in the heap walk alone, went unnoticed.)
#[test]
fn the_heap_walk_gives_what_the_recursive_walk_gives() {
    let empty_array = nested(200, json!({"x": []}));
    let operations =
        json_patch_from_merge(&json!({"d": empty_array}), &json!({"d": null})).unwrap();
    assert_eq!(operations.len(), 2, "{operations:?}");
    assert!(
        matches!(&operations[0], JsonPatchOperation::Add { path, .. } if path == "/d"),
        "{operations:?}"
    );
    assert_eq!(
        operations[1],
        JsonPatchOperation::Remove {
            path: "/d".to_owned()
        }
    );

    let base = json!({"d": {"empty": nested(200, json!(null)), "gone": "x"}});
    let merge = json!({"d": {"empty": {"k": 1}, "gone": null}});
    let operations = json_patch_from_merge(&base, &merge).unwrap();
    assert_eq!(operations.len(), 2, "{operations:?}");
    let JsonPatchOperation::Add { path, value } = &operations[0] else {
        panic!("{operations:?}");
    };
    assert_eq!(path, "/d/empty");
    assert_eq!(value["k"], json!(1));
    assert_eq!(
        operations[1],
        JsonPatchOperation::Remove {
            path: "/d/gone".to_owned()
        }
    );

    let base = nested(170, json!({"x": {"y": 0}, "z": 0}));
    let merge = nested(170, json!({"x": {"y": 1}, "z": 2}));
    let operations = json_patch_from_merge(&base, &merge).unwrap();
    let bottom = "/a".repeat(170);
    assert_eq!(
        operations,
        [
            JsonPatchOperation::Add {
                path: format!("{bottom}/x/y"),
                value: json!(1),
            },
            JsonPatchOperation::Add {
                path: format!("{bottom}/z"),
                value: json!(2),
            },
        ]
    );
}

/// An array that holds elements is a value the server holds, not an empty one it may lack:
/// an object of the base beside it is walked member by member (a change inside it is an
/// `add` at its own path, RFC 6902 §4.1), and clearing it is a bare `remove` (§4.2), with no
/// `add` of it first. Only `null`, `[]` and objects of those are added whole or added before
/// their removal. The same holds below the recursive walk (160 levels, built in code).
/// (Mutation testing: a non-empty array taken for an empty one, in either walk, went
/// unnoticed: the operations it gave still made the document that the merge patch makes.)
#[test]
fn an_array_with_elements_is_no_value_the_server_may_lack() {
    let base = json!({"emails": ["a@example.com"], "name": {"tags": ["t"], "given": "Ada"}});
    let merge = json!({"emails": null, "name": {"given": "Grace"}});
    assert_eq!(
        serde_json::to_value(json_patch_from_merge(&base, &merge).unwrap()).unwrap(),
        json!([
            {"op": "remove", "path": "/emails"},
            {"op": "add", "path": "/name/given", "value": "Grace"}
        ])
    );
    let depth = 200;
    let base = nested(depth, json!({"tags": ["t"]}));
    let merge = nested(depth, json!({"given": "Grace"}));
    let operations = json_patch_from_merge(&base, &merge).unwrap();
    assert_eq!(
        operations,
        [JsonPatchOperation::Add {
            path: format!("{}/given", "/a".repeat(depth)),
            value: json!("Grace"),
        }]
    );
}
