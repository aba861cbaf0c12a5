//! `apply` with RFC 7396 meaning, errors that leave the model unchanged, `diff` and `from_patch`.

mod support;

use std::collections::BTreeMap;

use sparse_patch::{Diff, Field, FromPatch, Patchable};
use support::{Account, AccountPatch, Name, NamePatch, Photo, PhotoPatch, User, UserPatch};

#[test]
fn absent_fields_change_nothing() {
    let mut user = User::dspanner();
    user.apply(UserPatch::new()).unwrap();
    assert_eq!(user, User::dspanner());
}

#[test]
fn values_replace_and_null_clears() {
    let mut user = User::dspanner();
    user.nickname = Some("Dave".into());
    user.apply(
        UserPatch::new()
            .email("new@example.com")
            .clear_nickname()
            .tags(vec!["a".to_owned()]),
    )
    .unwrap();
    assert_eq!(user.email, "new@example.com");
    assert_eq!(user.nickname, None);
    assert_eq!(user.tags, ["a"]);
}

#[test]
fn nested_patch_merges_into_existing_object() {
    let mut user = User::dspanner();
    user.apply(UserPatch::new().name(NamePatch::new().given("Dave")))
        .unwrap();
    assert_eq!(
        user.name,
        Some(Name {
            given: Some("Dave".into()),
            family_name: Some("Spanner".into())
        })
    );
    user.apply(UserPatch::new().account(AccountPatch::new().clear_status()))
        .unwrap();
    assert_eq!(
        user.account,
        Account {
            can_authenticate: true,
            status: None
        }
    );
}

#[test]
fn nested_patch_on_absent_object_builds_it() {
    let mut user = User::dspanner();
    user.apply(UserPatch::new().photo(PhotoPatch::new().href("https://x/p.png").clear_alt()))
        .unwrap();
    assert_eq!(
        user.photo,
        Some(Photo {
            href: "https://x/p.png".into(),
            alt: None
        })
    );
}

#[test]
fn failed_apply_leaves_model_unchanged() {
    // `{"nickname": "x", "photo": {"alt": "y"}}` on a user without a photo: the photo would
    // lack its required `href`.
    let mut user = User::dspanner();
    let patch = UserPatch::new()
        .nickname("x")
        .email("changed@example.com")
        .name(NamePatch::new().given("Changed"))
        .photo(PhotoPatch::new().alt("y"));
    let error = user.apply(patch).unwrap_err();
    assert_eq!(error.path(), "photo.href");
    assert_eq!(error.kind(), &sparse_patch::ApplyErrorKind::MissingRequired);
    assert_eq!(
        error.to_string(),
        "cannot apply the patch: required attribute `photo.href` is missing"
    );
    assert_eq!(user, User::dspanner());
}

/// The same law where the failing part sits below a nested model that is already there
/// (required, present nullable, boxed, shared): the attributes before it in the patch, which
/// `apply` would set first, stay as they were too. Before each nested check was relied on,
/// a `check_patch` that let one of these through set `title` and then failed.
#[test]
fn a_failure_below_a_present_nested_model_leaves_the_model_unchanged() {
    use std::rc::Rc;

    use sparse_patch::Patch;

    #[derive(Patchable, Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
    struct Leaf {
        href: String,
    }

    #[derive(Patchable, Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
    struct Middle {
        label: Option<String>,
        #[patchable(nested)]
        leaf: Option<Leaf>,
    }

    #[derive(Patchable, Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
    struct Outer {
        title: String,
        #[patchable(nested)]
        kept: Middle,
        #[patchable(nested)]
        maybe: Option<Middle>,
        #[patchable(nested)]
        boxed: Box<Middle>,
        #[patchable(nested)]
        shared: Option<Rc<Middle>>,
        after: Option<String>,
    }

    let middle = Middle {
        label: Some("m".into()),
        leaf: None,
    };
    let outer = Outer {
        title: "before".into(),
        kept: middle.clone(),
        maybe: Some(middle.clone()),
        boxed: Box::new(middle.clone()),
        shared: Some(Rc::new(middle)),
        after: None,
    };
    // Each: `{"title": "changed", <one>: {"label": "changed", "leaf": {}}, "after": "x"}`;
    // the leaf built from `{}` lacks its required `href`.
    let failing = || MiddlePatch::new().label("changed").leaf(LeafPatch::new());
    let patches = [
        ("kept.leaf.href", OuterPatch::new().kept(failing())),
        ("maybe.leaf.href", OuterPatch::new().maybe(failing())),
        ("boxed.leaf.href", OuterPatch::new().boxed(failing())),
        ("shared.leaf.href", OuterPatch::new().shared(failing())),
    ];
    for (path, patch) in patches {
        let patch = OuterPatch::new().title("changed").then(patch).unwrap();
        let patch = patch.then(OuterPatch::new().after("x")).unwrap();
        assert_eq!(outer.check_patch(&patch).unwrap_err().path(), path);
        let mut model = outer.clone();
        let error = model.apply(patch).unwrap_err();
        assert_eq!(error.path(), path);
        assert_eq!(error.kind(), &sparse_patch::ApplyErrorKind::MissingRequired);
        assert_eq!(model, outer, "{path}");
    }
}

/// A nested model built from a patch (it was absent) checks the model it flattens too: a
/// patch that leaves the flattened model's required attribute out is refused by
/// `check_from_patch`, `from_patch` and `apply`, which leaves the model as it was (found by
/// mutation testing: with the flattened model's check taken out, every test still passed). The
/// flattened model's keys are its parent's, and so is the error's path.
#[test]
fn a_nested_model_built_from_a_patch_checks_the_model_it_flattens() {
    #[derive(Patchable, Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
    struct Link {
        href: String,
        title: Option<String>,
    }

    #[derive(Patchable, Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
    struct Card {
        label: Option<String>,
        #[serde(flatten)]
        #[patchable(nested)]
        link: Link,
    }

    #[derive(Patchable, Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
    struct Page {
        title: String,
        #[patchable(nested)]
        card: Option<Card>,
    }

    let without_href = || {
        CardPatch::new()
            .label("l")
            .link(LinkPatch::new().title("t"))
    };
    let error = Card::check_from_patch(&without_href()).unwrap_err();
    assert_eq!(error.path(), "href");
    assert_eq!(Card::from_patch(without_href()).unwrap_err().path(), "href");
    let page = Page {
        title: "before".into(),
        card: None,
    };
    let mut model = page.clone();
    let error = model
        .apply(PagePatch::new().title("after").card(without_href()))
        .unwrap_err();
    assert_eq!(error.path(), "card.href");
    assert_eq!(model, page);
    // With the attribute, the card is built.
    model
        .apply(PagePatch::new().card(without_href().link(LinkPatch::new().href("h"))))
        .unwrap();
    assert_eq!(model.card.unwrap().link.href, "h");
}

#[test]
fn map_patch_merges_key_by_key() {
    let mut user = User::dspanner();
    user.labels = BTreeMap::from([("a".into(), "1".into()), ("b".into(), "2".into())]);
    let patch = BTreeMap::from([
        ("a".to_owned(), Field::Null),
        ("c".to_owned(), Field::Value("3".to_owned())),
        ("b".to_owned(), Field::Absent),
    ]);
    user.apply(UserPatch::new().labels(patch)).unwrap();
    assert_eq!(
        user.labels,
        BTreeMap::from([("b".into(), "2".into()), ("c".into(), "3".into())])
    );
}

#[test]
fn diff_is_smallest_and_round_trips() {
    let before = User::dspanner();
    let mut after = before.clone();
    after.nickname = Some("Dave".into());
    after.name.as_mut().unwrap().family_name = None;
    after.photo = Some(Photo {
        href: "h".into(),
        alt: None,
    });
    after.labels.insert("k".into(), "v".into());
    let patch = before.diff(&after);
    assert_eq!(
        serde_json::to_value(&patch).unwrap(),
        serde_json::json!({
            "nickname": "Dave",
            "name": {"familyName": null},
            "photo": {"href": "h"},
            "labels": {"k": "v"}
        })
    );
    let mut patched = before.clone();
    patched.apply(patch).unwrap();
    assert_eq!(patched, after);
    assert!(before.diff(&before).is_empty());
}

#[test]
fn from_patch_and_to_patch() {
    let user = User::dspanner();
    assert_eq!(User::from_patch(user.to_patch()).unwrap(), user);
    let error = User::from_patch(UserPatch::new().username("u")).unwrap_err();
    assert_eq!(error.path(), "email");
    let error = Photo::check_from_patch(&PhotoPatch::new()).unwrap_err();
    assert_eq!(error.path(), "href");
}

#[test]
fn check_patch_reports_without_changing() {
    let user = User::dspanner();
    let patch = UserPatch::new().photo(PhotoPatch::new());
    assert_eq!(user.check_patch(&patch).unwrap_err().path(), "photo.href");
    assert!(user.check_patch(&UserPatch::new().clear_photo()).is_ok());
}

#[test]
fn fields_without_clone_or_eq_still_derive_and_apply() {
    #[derive(Debug, serde::Serialize, serde::Deserialize)]
    struct Opaque(u8);

    // The feature `schemars` (on in the tests) asks every field type for its schema.
    impl schemars::JsonSchema for Opaque {
        fn schema_name() -> std::borrow::Cow<'static, str> {
            "Opaque".into()
        }

        fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
            generator.subschema_for::<u8>()
        }
    }

    #[derive(sparse_patch::Patchable, Debug)]
    struct Holder {
        opaque: Opaque,
        note: Option<Opaque>,
    }

    let mut holder = Holder {
        opaque: Opaque(1),
        note: None,
    };
    holder
        .apply(HolderPatch::new().opaque(Opaque(2)).note(Opaque(3)))
        .unwrap();
    assert_eq!(holder.opaque.0, 2);
    assert_eq!(holder.note.as_ref().map(|o| o.0), Some(3));
    // The patch is `Debug` because `Opaque` is; it has no `PartialEq` or `Clone`, and `Holder`
    // has no `Diff`: tests/ui/diff_needs_partial_eq_and_clone.rs shows that error.
    assert_eq!(
        format!("{:?}", HolderPatch::new()),
        "HolderPatch { opaque: None, note: Absent }"
    );
}

/// A custom attribute set to JSON `null` is sent as `null`, which RFC 7396 §2 reads as
/// "remove": `apply` removes it too, as a server does (found by a review, issue 11).
#[test]
fn a_custom_attribute_set_to_json_null_is_removed() {
    use std::collections::BTreeMap;

    use serde_json::{Value, json};
    use sparse_patch::Field;

    #[derive(
        sparse_patch::Patchable, Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize,
    )]
    struct Custom {
        id: String,
        #[serde(flatten)]
        custom: BTreeMap<String, Value>,
    }
    let mut patch = CustomPatch::new();
    patch.custom.insert("k".into(), Field::Value(Value::Null));
    let mut model = Custom {
        id: "x".into(),
        custom: BTreeMap::from([("k".to_owned(), json!(1))]),
    };
    let mut as_json = serde_json::to_value(&model).unwrap();
    sparse_patch::merge_patch(&mut as_json, serde_json::to_value(&patch).unwrap());
    model.apply(patch).unwrap();
    assert_eq!(serde_json::to_value(&model).unwrap(), as_json);
    assert!(model.custom.is_empty());
}

/// Map values are set whole; a server merges an object value into the one it has (README,
/// "A plain field is replaced whole"): typed object values keep what the new value leaves out
/// on the server, `serde_json::Value` values merge as the server does.
#[derive(
    sparse_patch::Patchable, Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize,
)]
struct Profiles {
    typed: BTreeMap<String, BTreeMap<String, String>>,
    untyped: BTreeMap<String, serde_json::Value>,
}

#[test]
fn map_values_that_are_objects_merge_on_the_server_only_as_json_values() {
    let tags = BTreeMap::from([("a".to_owned(), "1".to_owned())]);
    let base = Profiles {
        typed: BTreeMap::from([("p".to_owned(), tags)]),
        untyped: BTreeMap::from([("p".to_owned(), serde_json::json!({"a": "1"}))]),
    };
    let target = Profiles {
        typed: BTreeMap::from([("p".to_owned(), BTreeMap::new())]),
        untyped: BTreeMap::from([("p".to_owned(), serde_json::json!({}))]),
    };
    let patch = base.diff(&target);
    let mut applied = base.clone();
    applied.apply(patch.clone()).unwrap();
    assert_eq!(applied, target);
    let mut server = serde_json::to_value(&base).unwrap();
    json_patch::merge(&mut server, &serde_json::to_value(&patch).unwrap());
    assert_eq!(server["untyped"], serde_json::json!({"p": {}}));
    // The typed entry was sent whole, `{}`, which merges into `{"a": "1"}` as nothing.
    assert_eq!(server["typed"], serde_json::json!({"p": {"a": "1"}}));
}

/// `{"a": {"a": ... leaf ...}}`, `depth` objects deep, built in code (serde_json reads at most
/// 128 levels of text).
fn nested(depth: usize, leaf: serde_json::Value) -> serde_json::Value {
    (0..depth).fold(leaf, |inner, _| {
        serde_json::Value::Object(serde_json::Map::from_iter([("a".to_owned(), inner)]))
    })
}

/// The depth and the leaf of a value made by [`nested`], taken apart level by level: serde_json
/// compares, clones and drops a value by recursion, which overflows the stack long before
/// 100,000 levels, so the test does neither with one.
fn dismantle(mut value: serde_json::Value) -> (usize, serde_json::Value) {
    let mut depth = 0;
    loop {
        match value {
            serde_json::Value::Object(mut object)
                if object.len() == 1 && object.contains_key("a") =>
            {
                value = object.remove("a").expect("the member `a`");
                depth += 1;
            }
            leaf => return (depth, leaf),
        }
    }
}

#[test]
fn diff_and_apply_of_deep_json_do_not_overflow_the_stack() {
    // `merge_diff` recursed with a large frame per level and overflowed the stack at 10,000
    // levels (8 MB, release mode), and `merge_patch` at 50,000; the first also compared each
    // level whole before its members, in time quadratic in the depth. Both now walk the
    // values with a heap stack, on the test thread's own stack.
    let depth = 100_000;
    let current = nested(depth, serde_json::json!(1));
    let target = nested(depth, serde_json::json!(2));

    let diff = sparse_patch::merge_diff(&current, &target);
    let mut merged = current;
    sparse_patch::merge_patch(&mut merged, diff);
    assert_eq!(dismantle(merged), (depth, serde_json::json!(2)));

    // A merge patch that builds the levels anew, with `null`s to drop, on nothing.
    let mut built = serde_json::Value::Null;
    let patch = nested(depth, serde_json::json!({"gone": null, "kept": true}));
    sparse_patch::merge_patch(&mut built, patch);
    assert_eq!(dismantle(built), (depth, serde_json::json!({"kept": true})));
    let (target_depth, _) = dismantle(target);
    assert_eq!(target_depth, depth);
}

#[test]
fn merge_patch_and_merge_diff_keep_their_meaning() {
    // The same results as the recursive RFC 7396 pseudocode, member order included.
    let current =
        serde_json::json!({"a": {"b": 1, "c": {"d": 2, "e": [1]}}, "f": 3, "g": {"h": 1}});
    let target =
        serde_json::json!({"a": {"b": 1, "c": {"e": [1], "x": {"y": null}}}, "g": 5, "i": {}});
    let diff = sparse_patch::merge_diff(&current, &target);
    assert_eq!(
        diff,
        serde_json::json!({"a": {"c": {"d": null, "x": {"y": null}}}, "f": null, "g": 5, "i": {}})
    );
    assert_eq!(
        sparse_patch::merge_diff(&current, &current),
        serde_json::json!({})
    );
    let mut merged = current.clone();
    sparse_patch::merge_patch(&mut merged, diff);
    assert_eq!(
        merged,
        serde_json::json!({"a": {"b": 1, "c": {"e": [1], "x": {}}}, "g": 5, "i": {}})
    );
    let mut scalar = serde_json::json!("text");
    sparse_patch::merge_patch(&mut scalar, serde_json::json!({"a": {"b": null, "c": 1}}));
    assert_eq!(scalar, serde_json::json!({"a": {"c": 1}}));
    let mut object = serde_json::json!({"a": 1});
    sparse_patch::merge_patch(&mut object, serde_json::json!([1]));
    assert_eq!(object, serde_json::json!([1]));
}

/// `diff` of a map: a key the target lacks is `null`, a key kept with the same value is left
/// out, a changed or new key is its value; and the diff of a map to itself is empty.
/// (Mutation testing: with the removed keys' filter reversed, every test passed, since no
/// diff of a map held a kept or a removed key.)
#[test]
fn diff_of_a_map_removes_keys_and_leaves_kept_ones_out() {
    let mut before = User::dspanner();
    before.labels = BTreeMap::from([
        ("kept".into(), "1".into()),
        ("changed".into(), "2".into()),
        ("removed".into(), "3".into()),
    ]);
    let mut after = before.clone();
    after.labels.remove("removed");
    after.labels.insert("changed".into(), "20".into());
    after.labels.insert("new".into(), "4".into());
    let patch = before.diff(&after);
    assert_eq!(
        serde_json::to_value(&patch).unwrap(),
        serde_json::json!({"labels": {"removed": null, "changed": "20", "new": "4"}})
    );
    let mut patched = before.clone();
    patched.apply(patch).unwrap();
    assert_eq!(patched, after);
    assert!(before.diff(&before).is_empty());
    assert!(after.diff(&after).is_empty());
}

/// `to_patch` sets every required attribute and every nullable one that holds a value, and
/// leaves a `None` absent (`Diff::to_patch`'s doc), whatever the field's shape: a plain value,
/// a nested model, a map, untyped JSON and a map of untyped JSON. `from_patch` builds the
/// model back from it.
#[test]
fn to_patch_leaves_every_none_absent() {
    use serde_json::{Value, json};

    #[derive(
        sparse_patch::Patchable, Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize,
    )]
    struct Shapes {
        id: String,
        title: Option<String>,
        #[patchable(nested)]
        photo: Option<Photo>,
        labels: Option<BTreeMap<String, String>>,
        extra: Option<Value>,
        custom: Option<BTreeMap<String, Value>>,
    }
    let model = Shapes {
        id: "x".into(),
        title: None,
        photo: None,
        labels: None,
        extra: None,
        custom: None,
    };
    let patch = model.to_patch();
    assert_eq!(serde_json::to_value(&patch).unwrap(), json!({"id": "x"}));
    assert_eq!(Shapes::from_patch(patch).unwrap(), model);
}

/// A missing map of untyped JSON is built from the patch as RFC 7396 §2 applies an object
/// to a missing member: a patch value's `null` members are dropped at every depth (the merge
/// into `{}` removes them), as they are where the map exists. Checked against
/// `json_patch::merge`, through `apply` and `from_patch`.
#[test]
fn a_missing_map_of_json_is_built_as_rfc_7396_merges_into_nothing() {
    use serde_json::{Value, json};

    #[derive(
        sparse_patch::Patchable, Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize,
    )]
    struct Holder {
        id: String,
        custom: Option<BTreeMap<String, Value>>,
    }
    let text = json!({"custom": {"a": {"b": null, "c": {"d": null}}, "e": null}});
    let mut model = Holder {
        id: "x".into(),
        custom: None,
    };
    let mut expected = serde_json::to_value(&model).unwrap();
    json_patch::merge(&mut expected, &text);
    assert_eq!(expected["custom"], json!({"a": {"c": {}}}));
    let patch: HolderPatch = serde_json::from_value(text).unwrap();
    model.apply(patch.clone()).unwrap();
    assert_eq!(serde_json::to_value(&model).unwrap(), expected);
    let built = Holder::from_patch(patch.id("x")).unwrap();
    assert_eq!(built, model);
}

/// A patch that lacks a required attribute of any shape cannot build the model (RFC 7396 §2
/// applied to a missing object), and `check_from_patch` says so, naming the attribute, as
/// `from_patch` does: for a map, untyped JSON and a nested model, as for a plain value. The
/// check passed for all but plain values, and `from_patch` then panicked.
#[test]
fn check_from_patch_names_a_missing_required_attribute_of_any_shape() {
    use serde_json::{Map, Value};

    #[derive(
        sparse_patch::Patchable, Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize,
    )]
    struct Required {
        labels: BTreeMap<String, String>,
        extra: Value,
        object: Map<String, Value>,
        custom: BTreeMap<String, Value>,
        #[patchable(nested)]
        account: Account,
    }
    let full: RequiredPatch = serde_json::from_value(serde_json::json!({
        "labels": {"a": "1"},
        "extra": {"b": 2},
        "object": {"c": 3},
        "custom": {"d": 4},
        "account": {"can_authenticate": true},
    }))
    .unwrap();
    assert!(Required::check_from_patch(&full).is_ok());
    assert!(Required::from_patch(full.clone()).is_ok());
    for name in ["labels", "extra", "object", "custom", "account"] {
        let mut json = serde_json::to_value(&full).unwrap();
        json.as_object_mut().unwrap().remove(name);
        let patch: RequiredPatch = serde_json::from_value(json).unwrap();
        let checked = Required::check_from_patch(&patch).unwrap_err();
        assert_eq!(checked.path(), name);
        let built = Required::from_patch(patch).unwrap_err();
        assert_eq!(built, checked);
    }
}

/// With a `#[cfg]` field, each field's check is a statement of its own (not an entry of an
/// array): the error is still the first failing field's, in declaration order, and a later
/// field that passes does not hide it (`apply` then changes nothing).
#[test]
fn a_model_with_a_cfg_field_reports_its_first_error() {
    #[derive(
        sparse_patch::Patchable, Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize,
    )]
    struct WithCfg {
        #[cfg(test)]
        #[patchable(nested)]
        first: Option<Photo>,
        #[patchable(nested)]
        second: Option<Photo>,
        third: Option<String>,
    }
    let model = WithCfg {
        first: None,
        second: None,
        third: None,
    };
    let both = WithCfgPatch::new()
        .first(PhotoPatch::new())
        .second(PhotoPatch::new());
    assert_eq!(model.check_patch(&both).unwrap_err().path(), "first.href");
    let mut applied = model.clone();
    let first_only = WithCfgPatch::new().first(PhotoPatch::new()).third("t");
    assert_eq!(applied.apply(first_only).unwrap_err().path(), "first.href");
    assert_eq!(applied, model);
}

/// A desired state that sets a `#[patchable(skip)]` field (`createdAt`, `id`, a nested
/// object's `uploadedAt`) had it dropped by `diff` without a word: `left_out_by_diff` names
/// each one that the patch leaves different, in the members' order, and nothing where the
/// patch does the whole change (a keyed array, a map, untyped JSON, a cleared attribute).
#[test]
fn left_out_by_diff_names_the_skipped_fields_a_patch_drops() {
    use sparse_patch::left_out_by_diff;

    #[derive(Patchable, Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
    #[serde(rename_all = "camelCase")]
    struct Avatar {
        href: String,
        #[patchable(skip)]
        uploaded_at: Option<String>,
    }

    #[derive(Patchable, Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
    struct Email {
        r#type: String,
        value: String,
    }

    // The feature `schemars` (on in the tests) asks every field type for its schema.
    impl schemars::JsonSchema for Email {
        fn schema_name() -> std::borrow::Cow<'static, str> {
            "Email".into()
        }

        fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
            schemars::json_schema!({"type": "object", "required": ["type", "value"]})
        }
    }

    #[derive(Patchable, Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
    #[serde(rename_all = "camelCase")]
    struct Account {
        #[patchable(skip)]
        id: String,
        #[patchable(skip)]
        created_at: String,
        title: Option<String>,
        #[patchable(nested)]
        avatar: Option<Avatar>,
        #[patchable(key = "type")]
        emails: Vec<Email>,
        #[patchable(skip)]
        settings: Option<std::collections::BTreeMap<String, String>>,
    }

    let current = Account {
        id: "1".into(),
        created_at: "2020".into(),
        title: Some("Mr".into()),
        avatar: None,
        emails: vec![Email {
            r#type: "work".into(),
            value: "a@example.com".into(),
        }],
        settings: None,
    };
    let mut desired = current.clone();
    desired.title = None;
    desired.emails = vec![
        Email {
            r#type: "home".into(),
            value: "b@example.com".into(),
        },
        Email {
            r#type: "work".into(),
            value: "c@example.com".into(),
        },
    ];
    assert!(left_out_by_diff(&current, &desired).unwrap().is_empty());
    desired.created_at = "2026".into();
    desired.id = "2".into();
    desired.avatar = Some(Avatar {
        href: "https://example.com/a.png".into(),
        uploaded_at: Some("2026".into()),
    });
    // In the members' order, whichever order serde_json's map keeps (sorted, or the fields'
    // order under its `preserve_order`): the desired JSON's. (Mutation testing: the paths in
    // reverse went unnoticed while this test sorted them.)
    let desired_json = serde_json::to_value(&desired).unwrap();
    let in_members_order: Vec<&str> = desired_json
        .as_object()
        .unwrap()
        .keys()
        .filter_map(|key| match key.as_str() {
            "avatar" => Some("avatar.uploadedAt"),
            "createdAt" | "id" => Some(key.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(
        left_out_by_diff(&current, &desired).unwrap(),
        in_members_order
    );
    // A skipped field cleared (its `null` against the value the patched document keeps), and
    // one set to an empty object (a change with no members below it): each named.
    let current = desired.clone();
    let mut desired = current.clone();
    desired.avatar = Some(Avatar {
        href: "https://example.com/a.png".into(),
        uploaded_at: None,
    });
    desired.settings = Some(std::collections::BTreeMap::new());
    let mut left_out = left_out_by_diff(&current, &desired).unwrap();
    left_out.sort();
    assert_eq!(left_out, ["avatar.uploadedAt", "settings"]);

    // A model without skipped fields: nothing, whatever changes.
    let current = User::dspanner();
    let mut desired = current.clone();
    desired.labels.insert("a".into(), "b".into());
    desired.extra = Some(serde_json::json!({"x": {"y": [1, 2]}, "z": null}));
    desired.name = None;
    desired.photo = Some(Photo {
        href: "https://x/p.png".into(),
        alt: None,
    });
    assert!(left_out_by_diff(&current, &desired).unwrap().is_empty());
    assert!(left_out_by_diff(&desired, &current).unwrap().is_empty());
}
