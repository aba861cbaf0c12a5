//! Composition (`Patch::then`) at its edges: `null` followed by a merge at each depth, in
//! nested patches, untyped JSON and a flattened map of custom attributes; the later patch
//! winning for plain values and map entries; and the error's path, text and patches.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use sparse_patch::{Field, Patch, Patchable};

#[path = "support/deep_json.rs"]
mod deep_json;
use deep_json::{dismantle, nested};

#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Geo {
    label: Option<String>,
    zone: Option<u8>,
}

#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Address {
    street: Option<String>,
    #[patchable(nested)]
    geo: Option<Geo>,
}

#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Profile {
    username: String,
    #[patchable(nested)]
    address: Option<Address>,
    labels: BTreeMap<String, String>,
    extra: Option<Value>,
    #[serde(flatten)]
    custom: BTreeMap<String, Value>,
}

fn patch(json: Value) -> ProfilePatch {
    serde_json::from_value(json).unwrap()
}

fn compose(first: Value, next: Value) -> Result<Value, String> {
    patch(first)
        .then(patch(next))
        .map(|both| serde_json::to_value(both).unwrap())
        .map_err(|error| error.path())
}

#[test]
fn null_then_a_nested_patch_is_refused_at_each_depth() {
    let top = compose(
        json!({"address": null}),
        json!({"address": {"street": "Main"}}),
    );
    assert_eq!(top, Err("address".to_owned()));
    let second = compose(
        json!({"address": {"geo": null}}),
        json!({"address": {"geo": {"zone": 1}}}),
    );
    assert_eq!(second, Err("address.geo".to_owned()));
    // A plain value after null at the deepest level simply wins.
    let third = compose(
        json!({"address": {"geo": {"label": null}}}),
        json!({"address": {"geo": {"label": "home"}}}),
    );
    assert_eq!(third, Ok(json!({"address": {"geo": {"label": "home"}}})));
}

#[test]
fn untyped_json_refuses_a_merge_into_null_or_a_scalar() {
    let inner_null = compose(
        json!({"extra": {"a": null}}),
        json!({"extra": {"a": {"b": 1}}}),
    );
    assert_eq!(inner_null, Err("extra.a".to_owned()));
    let scalar = compose(json!({"extra": "text"}), json!({"extra": {"a": 1}}));
    assert_eq!(scalar, Err("extra".to_owned()));
    let cleared = compose(json!({"extra": null}), json!({"extra": {"a": 1}}));
    assert_eq!(cleared, Err("extra".to_owned()));
    // An object then a scalar is fine: the scalar replaces.
    let replaced = compose(json!({"extra": {"a": 1}}), json!({"extra": [1, 2]}));
    assert_eq!(replaced, Ok(json!({"extra": [1, 2]})));
    let merged = compose(
        json!({"extra": {"a": {"b": 1, "c": 2}}}),
        json!({"extra": {"a": {"c": null, "d": 3}}}),
    );
    assert_eq!(
        merged,
        Ok(json!({"extra": {"a": {"b": 1, "c": null, "d": 3}}}))
    );
}

#[test]
fn custom_attributes_compose_entry_by_entry() {
    let cleared = compose(json!({"badge": null}), json!({"badge": {"level": 2}}));
    assert_eq!(cleared, Err("badge".to_owned()));
    let deeper = compose(
        json!({"badge": {"level": null}}),
        json!({"badge": {"level": {"n": 1}}}),
    );
    assert_eq!(deeper, Err("badge.level".to_owned()));
    let merged = compose(
        json!({"badge": {"level": 1, "since": 2020}, "team": "red"}),
        json!({"badge": {"level": null, "kind": "gold"}, "site": "eu"}),
    );
    assert_eq!(
        merged,
        Ok(json!({
            "badge": {"level": null, "since": 2020, "kind": "gold"},
            "team": "red",
            "site": "eu"
        }))
    );
}

#[test]
fn the_later_patch_wins_for_values_and_map_entries() {
    let both = compose(
        json!({"username": "a", "labels": {"x": "1", "y": "2"}, "address": {"street": "Old"}}),
        json!({"username": "b", "labels": {"x": null, "z": "3"}, "address": {"street": null}}),
    );
    assert_eq!(
        both,
        Ok(json!({
            "username": "b",
            "address": {"street": null},
            "labels": {"x": null, "y": "2", "z": "3"}
        }))
    );
}

#[test]
fn an_empty_patch_is_neutral_on_either_side() {
    let some = json!({"username": "a", "address": null, "extra": {"k": [1]}, "team": "red"});
    assert_eq!(compose(json!({}), some.clone()), Ok(some.clone()));
    assert_eq!(compose(some.clone(), json!({})), Ok(some));
}

#[test]
fn the_error_names_the_attribute_and_gives_both_patches_back() {
    let first = patch(json!({"address": {"geo": null}, "username": "a"}));
    let next = patch(json!({"address": {"geo": {"zone": 3}}}));
    let error = first.clone().then(next.clone()).unwrap_err();
    assert_eq!(
        error.to_string(),
        "cannot compose the patches: the first one clears `address.geo` (or sets it to a value \
         that is not an object) and the second one merges an object into it, which one JSON \
         merge patch cannot say (RFC 7396 §2); apply the patches in turn"
    );
    assert_eq!(
        format!("{error:?}"),
        r#"ComposeError { path: "address.geo", .. }"#
    );
    assert_eq!(first.check_then(&next).unwrap_err(), *error.conflict());
    assert_eq!(error.conflict().path(), "address.geo");
    assert_eq!(
        format!("{:?}", error.conflict()),
        r#"ComposeConflict { path: "address.geo" }"#
    );
    assert_eq!(error.into_patches(), (first, next));
}

#[test]
fn composed_patch_applies_as_the_two_in_turn() {
    let start = Profile {
        username: "dspanner".into(),
        address: Some(Address {
            street: Some("Main".into()),
            geo: Some(Geo {
                label: Some("home".into()),
                zone: Some(1),
            }),
        }),
        labels: BTreeMap::from([("team".into(), "blue".into())]),
        extra: Some(json!({"a": {"b": 1}})),
        custom: BTreeMap::from([("badge".into(), json!({"level": 1}))]),
    };
    let first = patch(
        json!({"address": {"geo": {"zone": null}}, "extra": {"a": {"c": 2}}, "badge": {"since": 2020}}),
    );
    let next = patch(
        json!({"address": {"street": "High", "geo": {"zone": 4}}, "labels": {"team": null}, "badge": {"level": null}}),
    );
    let mut in_turn = start.clone();
    in_turn.apply(first.clone()).unwrap();
    in_turn.apply(next.clone()).unwrap();
    let mut once = start;
    once.apply(first.then(next).unwrap()).unwrap();
    assert_eq!(once, in_turn);
    assert_eq!(once.custom["badge"], json!({"since": 2020}));
}

/// The value of a patch's untyped JSON field, taken out (so not dropped whole).
fn taken(field: &mut Field<Value>) -> Value {
    match core::mem::take(field) {
        Field::Value(value) => value,
        other => panic!("expected a value, found {other:?}"),
    }
}

#[test]
fn untyped_json_of_any_depth_composes_without_overflowing_the_stack() {
    // `then` and `check_then` on untyped JSON (a `Value` field, and each value of a flattened
    // map of custom attributes) recursed once per level and overflowed the test thread's stack
    // at 100,000 levels (a value built in code: serde_json reads 128 levels of text), aborting
    // the process, where `merge_patch` and `merge_diff` work. They now walk with a heap stack.
    let depth = 100_000;
    let mut first = ProfilePatch::default();
    let mut next = ProfilePatch::default();
    first.extra = Field::Value(nested(depth, json!({"x": 1})));
    next.extra = Field::Value(nested(depth, json!({"y": 2})));
    first
        .custom
        .insert("badge".into(), Field::Value(nested(depth, json!(1))));
    next.custom
        .insert("badge".into(), Field::Value(nested(depth, json!(2))));
    let mut both = first.then(next).unwrap();
    assert_eq!(
        dismantle(taken(&mut both.extra)),
        (depth, json!({"x": 1, "y": 2}))
    );
    let mut badge = both.custom.remove("badge").unwrap();
    assert_eq!(dismantle(taken(&mut badge)), (depth, json!(2)));

    // A conflict at the bottom is found, its path named whole, and both patches given back.
    let mut first = ProfilePatch::default();
    let mut next = ProfilePatch::default();
    first.extra = Field::Value(nested(depth, Value::Null));
    next.extra = Field::Value(nested(depth + 1, json!(1)));
    let error = first.then(next).unwrap_err();
    let path = error.path();
    assert_eq!(path.len(), "extra".len() + depth * ".a".len());
    assert!(
        path.starts_with("extra.a.a") && path.ends_with(".a.a"),
        "{}",
        &path[..20]
    );
    let (mut first, mut next) = error.into_patches();
    assert_eq!(dismantle(taken(&mut first.extra)), (depth, Value::Null));
    assert_eq!(dismantle(taken(&mut next.extra)), (depth + 1, json!(1)));
}

/// A conflict's path holds map keys and the member names of untyped JSON, which come from data
/// (a patch read from a request body, custom attributes). `Display` wrote them raw between
/// backticks: a name with a line break or a terminal escape sequence reached a log or a
/// terminal as it was (a forged log line), and an empty name showed as ``` `` ```, where
/// `DialectError` quotes and escapes such paths. Now they are shown as `DialectError` shows
/// them; a plain path is unchanged.
#[test]
fn the_error_text_escapes_names_that_come_from_data() {
    let forged = "team\u{1b}[2K\ncannot compose: nothing";
    let error = patch(json!({"extra": {(forged): null}}))
        .then(patch(json!({"extra": {(forged): {"x": 1}}})))
        .unwrap_err();
    assert_eq!(error.path(), format!("extra.{forged}"));
    let text = error.to_string();
    assert!(!text.contains('\n') && !text.contains('\u{1b}'), "{text}");
    assert!(
        text.contains(r#""extra.team\u{1b}[2K\ncannot compose: nothing""#),
        "{text}"
    );
    let error = patch(json!({"": null}))
        .then(patch(json!({"": {"x": 1}})))
        .unwrap_err();
    assert_eq!(error.path(), "");
    // The names tell an empty key from the whole patch, and a key with a `.` from two names
    // (review 54: the dotted path alone cannot).
    assert_eq!(error.names().collect::<Vec<_>>(), [""]);
    let dotted = patch(json!({"extra": {"a.b": null}}))
        .then(patch(json!({"extra": {"a.b": {"x": 1}}})))
        .unwrap_err();
    assert_eq!(dotted.names().collect::<Vec<_>>(), ["extra", "a.b"]);
    let nested = patch(json!({"extra": {"a": {"b": null}}}))
        .then(patch(json!({"extra": {"a": {"b": {"x": 1}}}})))
        .unwrap_err();
    assert_eq!(nested.names().collect::<Vec<_>>(), ["extra", "a", "b"]);
    assert_eq!(dotted.path(), nested.path());
    assert!(
        error
            .to_string()
            .contains(r#""" (an empty attribute name)"#),
        "{error}"
    );
    // Two untyped patches, the first not an object: the whole value, not an empty name.
    let whole = <Value as sparse_patch::MergeJson>::check_then_patch(&json!(1), &json!({"x": 1}))
        .unwrap_err();
    assert_eq!(whole.path(), "");
    assert!(
        whole.to_string().contains("which replaces the whole value"),
        "{whole}"
    );
    // A plain path reads as before.
    let error = patch(json!({"address": null}))
        .then(patch(json!({"address": {"street": "Main"}})))
        .unwrap_err();
    assert!(
        error.to_string().contains("clears `address` (or"),
        "{error}"
    );
}

/// A map patch built in code may hold [`Field::Absent`] entries, which change nothing: composed
/// after another patch, they leave its entries for the same keys (a value, a `null`) in place,
/// and a map patch of nothing but absent entries is empty. (Mutation testing: `then_patch`
/// letting the absent entries in, and `is_empty_patch` counting them, both went unnoticed.)
#[test]
fn absent_map_entries_change_nothing_in_a_composed_or_empty_patch() {
    use sparse_patch::MergeMap;
    use std::collections::HashMap;

    let first = || {
        BTreeMap::from([
            ("team".to_owned(), Field::Value("red".to_owned())),
            ("role".to_owned(), Field::Null),
        ])
    };
    let absent = || {
        BTreeMap::from([
            ("team".to_owned(), Field::Absent),
            ("role".to_owned(), Field::Absent),
            ("new".to_owned(), Field::Absent),
        ])
    };
    let mut both = first();
    <BTreeMap<String, String> as MergeMap>::then_patch(&mut both, absent());
    assert_eq!(both, first());
    let mut both: HashMap<_, _> = first().into_iter().collect();
    <HashMap<String, String> as MergeMap>::then_patch(&mut both, absent().into_iter().collect());
    assert_eq!(both, first().into_iter().collect::<HashMap<_, _>>());

    assert!(<BTreeMap<String, String> as MergeMap>::is_empty_patch(
        &absent()
    ));
    assert!(<HashMap<String, String> as MergeMap>::is_empty_patch(
        &absent().into_iter().collect()
    ));
    assert!(!<BTreeMap<String, String> as MergeMap>::is_empty_patch(
        &first()
    ));

    // Through the derived patch: a labels map of absent entries composes into the first
    // patch's labels without erasing them.
    let mut labels_absent = ProfilePatch::new();
    labels_absent.labels = Some(absent());
    let composed = patch(json!({"labels": {"team": "red", "role": null}}))
        .then(labels_absent)
        .unwrap();
    assert_eq!(
        serde_json::to_value(composed).unwrap(),
        json!({"labels": {"team": "red", "role": null}})
    );

    // The same for a map of untyped JSON (the flattened custom attributes): absent entries
    // add no key to the composed patch, which stays equal to the first. (Mutation testing:
    // letting them in went unnoticed, since they are not written.)
    let first = patch(json!({"team": "red", "role": null}));
    let mut custom_absent = ProfilePatch::new();
    custom_absent.custom = BTreeMap::from([
        ("team".to_owned(), Field::Absent),
        ("new".to_owned(), Field::Absent),
    ]);
    let composed = first.clone().then(custom_absent).unwrap();
    assert_eq!(composed, first);
    assert_eq!(composed.custom.len(), 2, "{:?}", composed.custom);
}

/// A custom attribute (a flattened map of untyped JSON) cleared by the first patch and set to
/// a scalar by the next composes: only an object merged into the `null` conflicts.
/// (Mutation testing: refusing any value after `null` went unnoticed.)
#[test]
fn a_custom_attribute_cleared_then_set_to_a_scalar_composes() {
    assert_eq!(
        compose(json!({"badge": null}), json!({"badge": 5})),
        Ok(json!({"badge": 5}))
    );
    assert_eq!(
        compose(json!({"badge": null}), json!({"badge": {"level": 1}})),
        Err("badge".to_owned())
    );
}

/// A nullable map (merged key by key), a nullable map of untyped JSON and nullable untyped
/// JSON, cleared by the first patch and merged into by the next: applied in turn, the `null`
/// removes the attribute and the object builds it anew from nothing (RFC 7396 §2), so the
/// other keys that the base held are gone; one merge patch would keep them. `then` refuses,
/// naming the attribute, for every shape (it did for nested patches and a flattened map
/// alone), also for an empty object, which builds an empty attribute after the `null`.
#[test]
fn null_then_a_merge_is_refused_for_every_nullable_shape() {
    #[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
    struct Shapes {
        labels: Option<BTreeMap<String, String>>,
        custom: Option<BTreeMap<String, Value>>,
        extra: Option<Value>,
    }
    let base = json!({
        "labels": {"kept": "1"},
        "custom": {"kept": 1},
        "extra": {"kept": 1},
    });
    for (name, next) in [
        ("labels", json!({"a": "x"})),
        ("labels", json!({})),
        ("custom", json!({"a": {"b": 1}})),
        ("custom", json!({})),
        ("extra", json!({"a": 1})),
        ("extra", json!({})),
    ] {
        let first = json!({ name: null });
        let next = json!({ name: next });
        // The reason, by the RFC's own merge: the two in turn lose `kept`, `next` alone keeps it.
        let mut in_turn = base.clone();
        json_patch::merge(&mut in_turn, &first);
        json_patch::merge(&mut in_turn, &next);
        let mut next_alone = base.clone();
        json_patch::merge(&mut next_alone, &next);
        assert_ne!(in_turn, next_alone, "{next}");
        let read = |json: &Value| serde_json::from_value::<ShapesPatch>(json.clone()).unwrap();
        let error = read(&first).then(read(&next)).unwrap_err();
        assert_eq!(error.path(), name, "{next}");
        assert!(read(&first).check_then(&read(&next)).is_err(), "{next}");
    }
}

/// A conflict inside a required attribute (a nested model, untyped JSON) is named by its path
/// from the top, as one inside a nullable attribute is: `address.geo`, not `geo`.
#[test]
fn a_conflict_inside_a_required_attribute_names_its_whole_path() {
    #[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
    struct Holder {
        #[patchable(nested)]
        address: Address,
        extra: Value,
    }
    let read = |json: Value| serde_json::from_value::<HolderPatch>(json).unwrap();
    let error = read(json!({"address": {"geo": null}}))
        .then(read(json!({"address": {"geo": {"zone": 1}}})))
        .unwrap_err();
    assert_eq!(error.path(), "address.geo");
    let error = read(json!({"extra": {"a": null}}))
        .then(read(json!({"extra": {"a": {"b": 1}}})))
        .unwrap_err();
    assert_eq!(error.path(), "extra.a");
}
