//! Keyed arrays (`#[patchable(key = "...")]`): `apply` refuses elements that share a key or
//! lack one, the element-by-element diff, and the SCIM operations at the edges (a moved
//! element, an empty array, a filter value with quotes, a change below a sub-attribute).

#[path = "../runtime/src/cpu_time.rs"]
mod thread_cpu;

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use sparse_patch::{
    ApplyErrorKind, DialectError, ElementChange, FromPatch, KeyedArray, Patch, Patchable,
    diff_keyed,
};

#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Email {
    r#type: String,
    value: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    display: Option<String>,
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

#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Account {
    username: String,
    #[patchable(key = "type")]
    emails: Vec<Email>,
    #[patchable(key = "type")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    phones: Option<Vec<Email>>,
    #[serde(default)]
    tags: Vec<String>,
}

fn email(kind: &str, value: &str) -> Email {
    Email {
        r#type: kind.into(),
        value: value.into(),
        display: None,
    }
}

fn account(emails: Vec<Email>) -> Account {
    Account {
        username: "dspanner".into(),
        emails,
        phones: None,
        tags: vec![],
    }
}

fn scim(base: &Account, target: &Account) -> Value {
    let patch = base.diff(target);
    serde_json::to_value(patch.to_scim_patch(base).unwrap().operations).unwrap()
}

#[test]
fn the_patch_lists_its_keyed_arrays() {
    assert_eq!(
        AccountPatch::KEYED_ARRAYS,
        &[
            KeyedArray::Array {
                attribute: "emails",
                key: "type"
            },
            KeyedArray::Array {
                attribute: "phones",
                key: "type"
            },
        ]
    );
    assert_eq!(EmailPatch::KEYED_ARRAYS, &[]);
}

#[test]
fn apply_refuses_two_elements_with_one_key_and_changes_nothing() {
    let mut model = account(vec![email("work", "a@example.com")]);
    let before = model.clone();
    let patch = AccountPatch::new().username("other").emails(vec![
        email("work", "b@example.com"),
        email("work", "c@example.com"),
    ]);
    let error = model.apply(patch).unwrap_err();
    assert_eq!(error.path(), "emails");
    assert_eq!(error.duplicate_key_value(), Some(r#""work""#));
    assert_eq!(
        error.kind(),
        &ApplyErrorKind::DuplicateKey {
            key: "type",
            value: r#""work""#.to_owned()
        }
    );
    assert_eq!(
        error.to_string(),
        r#"cannot apply the patch: two elements of `emails` have the key `type` = "work"; a keyed array's elements need distinct keys"#
    );
    assert_eq!(model, before);
    // The nullable keyed array and `from_patch` check the same way.
    let nullable = AccountPatch::new().phones(vec![email("m", "1"), email("m", "2")]);
    assert_eq!(model.check_patch(&nullable).unwrap_err().path(), "phones");
    let built = AccountPatch::new()
        .username("x")
        .tags(vec![])
        .emails(vec![email("home", "1"), email("home", "2")]);
    assert_eq!(Account::from_patch(built).unwrap_err().path(), "emails");
}

#[test]
fn apply_refuses_an_element_without_a_usable_key() {
    #[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
    struct Entry {
        #[serde(skip_serializing_if = "Option::is_none")]
        kind: Option<String>,
    }
    impl schemars::JsonSchema for Entry {
        fn schema_name() -> std::borrow::Cow<'static, str> {
            "Entry".into()
        }

        fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
            schemars::json_schema!({"type": "object"})
        }
    }

    #[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
    struct Holder {
        #[patchable(key = "kind")]
        entries: Vec<Entry>,
    }
    let mut holder = Holder { entries: vec![] };
    let patch = HolderPatch::new().entries(vec![
        Entry {
            kind: Some("a".into()),
        },
        Entry { kind: None },
    ]);
    let error = holder.apply(patch).unwrap_err();
    assert!(
        matches!(
            error.kind(),
            ApplyErrorKind::ElementWithoutKey {
                key: "kind",
                index: 1,
                ..
            }
        ),
        "{error:?}"
    );
    assert_eq!(
        error.to_string(),
        "cannot apply the patch: element 1 of `entries` has no key `kind` that a filter can compare (a string, number or boolean): the element has no such attribute (the key is the element's serialized attribute name)"
    );
    assert!(holder.entries.is_empty());
}

/// The law `a.apply(a.diff(&b)) == b` holds for keyed arrays only where `b`'s elements hold
/// their keys, each a distinct one: `diff` sends `b`'s array whole as it is, and `apply`
/// refuses an element without its key (or two with one key), leaving the model as it was
/// (`Patchable::diff`'s docs, docs/apply_and_diff). An element without its key in `a` alone,
/// or in an array that `b` does not change, is no obstacle.
#[test]
fn apply_refuses_the_diff_to_a_target_whose_element_lacks_its_key() {
    #[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
    struct Holder {
        name: String,
        #[patchable(key = "kind")]
        entries: Vec<Value>,
    }
    let holder = |name: &str, entries: Value| Holder {
        name: name.into(),
        entries: serde_json::from_value(entries).unwrap(),
    };
    let a = holder("a", json!([{"kind": "x", "v": 1}]));

    let keyless = holder("a", json!([{"kind": "x", "v": 2}, {"v": 3}]));
    let patch = a.diff(&keyless);
    assert_eq!(
        serde_json::to_value(&patch).unwrap(),
        json!({"entries": [{"kind": "x", "v": 2}, {"v": 3}]})
    );
    let mut applied = a.clone();
    let error = applied.apply(patch).unwrap_err();
    assert!(
        matches!(
            error.kind(),
            ApplyErrorKind::ElementWithoutKey {
                key: "kind",
                index: 1,
                ..
            }
        ),
        "{error:?}"
    );
    assert_eq!(applied, a);
    // A key that a filter cannot compare (`null`, an object) is no key either.
    let null_key = holder("a", json!([{"kind": null}]));
    assert!(matches!(
        a.clone().apply(a.diff(&null_key)).unwrap_err().kind(),
        ApplyErrorKind::ElementWithoutKey { index: 0, .. }
    ));
    // Two elements with one key: the same.
    let twice = holder("a", json!([{"kind": "x"}, {"kind": "x"}]));
    assert!(matches!(
        a.clone().apply(a.diff(&twice)).unwrap_err().kind(),
        ApplyErrorKind::DuplicateKey { key: "kind", .. }
    ));

    // The keyless element in `a`, or in an array `b` leaves as it is: the law holds.
    let keyless_base = holder("a", json!([{"v": 3}]));
    for b in [holder("b", json!([{"v": 3}])), a.clone()] {
        let mut applied = keyless_base.clone();
        applied.apply(keyless_base.diff(&b)).unwrap();
        assert_eq!(applied, b);
    }
}

#[test]
fn diff_keyed_reports_changes_in_the_targets_order() {
    let base = [
        json!({"type": "a", "v": 1}),
        json!({"type": "b", "v": 2}),
        json!({"type": "c", "v": 3}),
    ];
    let target = [
        json!({"type": "c", "v": 30}),
        json!({"type": "a", "v": 1}),
        json!({"type": "d", "v": 4}),
    ];
    let diff = diff_keyed("list", "type", &base, &target).unwrap();
    assert_eq!(diff.changes.len(), 3);
    assert_eq!(diff.changes[0], ElementChange::Removed { key: json!("b") });
    assert!(
        matches!(&diff.changes[1], ElementChange::Changed { key, patch, .. } if *key == "c" && patch["v"] == 30)
    );
    assert!(matches!(&diff.changes[2], ElementChange::Added { key, .. } if *key == "d"));
    // `c` moved in front of `a`: SCIM's removes and appends cannot say that.
    assert!(!diff.order_kept);
}

#[test]
fn diff_keyed_refuses_duplicates_in_either_array() {
    let twice = [json!({"type": "a"}), json!({"type": "a"})];
    let once = [json!({"type": "a"})];
    let in_base = diff_keyed("list", "type", &twice, &once).unwrap_err();
    assert!(
        matches!(
            in_base,
            DialectError::DuplicateKey {
                in_patch: false,
                ..
            }
        ),
        "{in_base}"
    );
    assert_eq!(
        in_base.to_string(),
        r#"two elements of the model's `list` have the key `type` = "a"; a keyed array's elements need distinct keys"#
    );
    let in_target = diff_keyed("list", "type", &once, &twice).unwrap_err();
    assert!(matches!(
        in_target,
        DialectError::DuplicateKey { in_patch: true, .. }
    ));
    let keyless = diff_keyed("list", "type", &once, &[json!({"type": null})]).unwrap_err();
    assert!(
        matches!(keyless, DialectError::ElementWithoutKey { index: 0, .. }),
        "{keyless}"
    );
}

#[test]
fn scim_changes_only_the_elements_that_changed() {
    let base = account(vec![
        email("work", "a@example.com"),
        email("home", "b@example.com"),
    ]);
    let mut target = base.clone();
    target.emails[0].value = "c@example.com".into();
    target.emails[0].display = Some("Work".into());
    assert_eq!(
        scim(&base, &target),
        json!([
            {"op": "replace", "path": "emails[type eq \"work\"].display", "value": "Work"},
            {"op": "replace", "path": "emails[type eq \"work\"].value", "value": "c@example.com"}
        ])
    );
    // The merge patch still sends the array whole (RFC 7396).
    assert_eq!(
        serde_json::to_value(base.diff(&target)).unwrap()["emails"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
}

#[test]
fn scim_removes_and_appends_elements() {
    let base = account(vec![email("work", "a"), email("home", "b")]);
    let target = account(vec![
        email("home", "b"),
        email("school", "c"),
        email("other", "d"),
    ]);
    assert_eq!(
        scim(&base, &target),
        json!([
            {"op": "remove", "path": "emails[type eq \"work\"]"},
            {"op": "add", "path": "emails", "value": [
                {"type": "school", "value": "c"},
                {"type": "other", "value": "d"}
            ]}
        ])
    );
}

#[test]
fn scim_replaces_the_whole_array_when_an_element_moved() {
    let base = account(vec![email("work", "a"), email("home", "b")]);
    let target = account(vec![email("home", "b"), email("work", "a")]);
    assert_eq!(
        scim(&base, &target),
        json!([{"op": "replace", "path": "emails", "value": [
            {"type": "home", "value": "b"},
            {"type": "work", "value": "a"}
        ]}])
    );
}

#[test]
fn scim_handles_empty_arrays_on_either_side() {
    let empty = account(vec![]);
    let one = account(vec![email("work", "a")]);
    assert_eq!(
        scim(&empty, &one),
        json!([{"op": "replace", "path": "emails", "value": [{"type": "work", "value": "a"}]}])
    );
    // Emptied, the array is set to `[]`, as the merge patch sets it.
    assert_eq!(
        scim(&one, &empty),
        json!([{"op": "replace", "path": "emails", "value": []}])
    );
    assert_eq!(scim(&empty, &empty), json!([]));
    // A nullable keyed array that appears, and one that goes.
    let mut with_phones = one.clone();
    with_phones.phones = Some(vec![email("mobile", "1")]);
    assert_eq!(
        scim(&one, &with_phones),
        json!([{"op": "replace", "path": "phones", "value": [{"type": "mobile", "value": "1"}]}])
    );
    assert_eq!(
        scim(&with_phones, &one),
        json!([{"op": "remove", "path": "phones"}])
    );
}

#[test]
fn scim_filter_values_are_quoted_and_escaped() {
    let awkward = r#"say "hi" \ bye"#;
    let base = account(vec![email(awkward, "a")]);
    let target = account(vec![email(awkward, "b")]);
    let operations = scim(&base, &target);
    assert_eq!(
        operations[0]["path"],
        json!(r#"emails[type eq "say \"hi\" \\ bye"].value"#)
    );
}

#[test]
fn scim_removes_a_sub_attribute_only_when_it_has_a_value() {
    let mut base = account(vec![email("work", "a")]);
    base.emails[0].display = Some("Work".into());
    let target = account(vec![email("work", "a")]);
    assert_eq!(
        scim(&base, &target),
        json!([{"op": "remove", "path": "emails[type eq \"work\"].display"}])
    );
    // Removing an attribute that is absent sends nothing.
    let patch = AccountPatch::new().clear_phones();
    assert_eq!(patch.to_scim_patch(&target).unwrap().operations, vec![]);
}

#[test]
fn scim_refuses_names_that_a_path_cannot_carry() {
    let base = json!({"a b": 1});
    let error = sparse_patch::scim_patch_from_merge(&base, &json!({"a b": 2}), &[]).unwrap_err();
    assert_eq!(
        error.to_string(),
        "`a b` cannot be written in a SCIM path: an attribute name is a letter followed by letters, digits, `-` and `_`, and a schema URN holds an object of such attributes (RFC 7643 §2.1, RFC 7644 §3.10)"
    );
}

#[test]
fn scim_replaces_a_keyed_array_whole_below_a_sub_attribute() {
    let keyed = [KeyedArray::Array {
        attribute: "items",
        key: "id",
    }];
    let base = json!({"items": [{"id": 1, "meta": {"a": 1, "b": 2}}]});
    let merge = json!({"items": [{"id": 1, "meta": {"a": 1}}]});
    let patch = sparse_patch::scim_patch_from_merge(&base, &merge, &keyed).unwrap();
    assert_eq!(
        serde_json::to_value(&patch.operations).unwrap(),
        json!([{"op": "replace", "path": "items", "value": [{"id": 1, "meta": {"a": 1}}]}])
    );
    // A number key is written bare in the filter.
    let merge = json!({"items": [{"id": 1, "meta": {"a": 1, "b": 2}, "n": 5}]});
    let patch = sparse_patch::scim_patch_from_merge(&base, &merge, &keyed).unwrap();
    assert_eq!(
        patch.operations[0].path.as_deref(),
        Some("items[id eq 1].n")
    );
}

#[test]
fn scim_replaces_a_base_array_whose_elements_share_a_key() {
    // Two clients that each added a `gym` badge with SCIM `add` leave two on the server: the
    // next change replaces the array whole rather than refuse, and so repairs it.
    let keyed = [KeyedArray::Array {
        attribute: "badges",
        key: "type",
    }];
    let base = json!({"badges": [{"type": "work"}, {"type": "gym"}, {"type": "gym"}]});
    let merge = json!({"badges": [{"type": "work"}, {"type": "gym", "level": 2}]});
    let patch = sparse_patch::scim_patch_from_merge(&base, &merge, &keyed).unwrap();
    assert_eq!(
        serde_json::to_value(&patch.operations).unwrap(),
        json!([{"op": "replace", "path": "badges", "value": [{"type": "work"}, {"type": "gym", "level": 2}]}])
    );
    // Duplicates in the patch's own array stay an error.
    let merge = json!({"badges": [{"type": "a"}, {"type": "a"}]});
    let error = sparse_patch::scim_patch_from_merge(&base, &merge, &keyed).unwrap_err();
    assert!(
        matches!(error, DialectError::DuplicateKey { in_patch: true, .. }),
        "{error}"
    );
}

#[test]
fn keys_match_by_value_as_a_filter_compares_them() {
    // `1` and `1.0`, `0.0` and `-0.0` are one key: a filter cannot tell them apart.
    let twice = [json!({"n": 1, "v": 1}), json!({"n": 1.0, "v": 2})];
    let error = diff_keyed("list", "n", &twice, &[]).unwrap_err();
    assert!(
        matches!(error, DialectError::DuplicateKey { .. }),
        "{error}"
    );
    let zeros = [json!({"n": 0.0}), json!({"n": -0.0})];
    assert!(diff_keyed("list", "n", &[], &zeros).is_err());
    // The same key written otherwise matches its element.
    let diff = diff_keyed(
        "list",
        "n",
        &[json!({"n": 1, "v": 1})],
        &[json!({"n": 1.0, "v": 2})],
    )
    .unwrap();
    assert!(matches!(&diff.changes[..], [ElementChange::Changed { patch, .. }] if patch["v"] == 2));
}

/// A float above 2^53 is the key of an integer only where it is that integer exactly: 2^60
/// (`1152921504606846976.0`) and `1152921504606847000` (the integer that the float's shortest
/// text writes) were one key, so two elements were refused as duplicates and the SCIM filter
/// `[n eq 1152921504606847000]` would have picked the other one. The kind of
/// pmcfadin/cqlite#3505 (integers above 2^53 compared through `f64` text). With serde_json's
/// `arbitrary_precision` (run with `--features serde_json/arbitrary_precision`), a float is
/// the decimal of its shortest text, which is that integer; integers wider than 64 bits,
/// which it holds, were one `f64` and one key.
#[test]
fn keys_above_2_53_match_only_by_their_exact_value() {
    let keeps_text = serde_json::from_str::<Value>("1e400").is_ok();
    let two = [
        json!({"n": 1_152_921_504_606_847_000_u64, "v": 1}),
        json!({"n": 1_152_921_504_606_846_976.0_f64, "v": 2}),
    ];
    if keeps_text {
        assert!(diff_keyed("list", "n", &[], &two).is_err());
        let wide: Vec<Value> = ["100000000000000000000001", "100000000000000000000002"]
            .iter()
            .map(|key| serde_json::from_str(&format!(r#"{{"n": {key}}}"#)).unwrap())
            .collect();
        let diff = diff_keyed("list", "n", &[], &wide).unwrap();
        assert_eq!(diff.changes.len(), 2, "{:?}", diff.changes);
        return;
    }
    let diff = diff_keyed("list", "n", &[], &two).unwrap();
    assert_eq!(diff.changes.len(), 2, "{:?}", diff.changes);
    let diff = diff_keyed("list", "n", &two[..1], &two[1..]).unwrap();
    assert!(
        matches!(
            &diff.changes[..],
            [ElementChange::Removed { .. }, ElementChange::Added { .. }]
        ),
        "{:?}",
        diff.changes
    );
    // The float that is the integer exactly is still its key.
    let same = [
        json!({"n": 1_152_921_504_606_846_976_u64}),
        json!({"n": 1_152_921_504_606_846_976.0_f64}),
    ];
    assert!(diff_keyed("list", "n", &[], &same).is_err());
}

#[test]
fn only_new_elements_are_added_so_other_operations_can_repeat() {
    let base = account(vec![email("work", "a")]);
    let mut target = account(vec![email("work", "b"), email("home", "c")]);
    target.phones = Some(vec![email("mobile", "1")]);
    let operations = scim(&base, &target);
    let adds: Vec<&Value> = operations
        .as_array()
        .unwrap()
        .iter()
        .filter(|operation| operation["op"] == "add")
        .collect();
    assert_eq!(
        adds,
        [&json!({"op": "add", "path": "emails", "value": [{"type": "home", "value": "c"}]})]
    );
}

#[test]
fn a_sub_attribute_that_a_path_cannot_name_sends_the_array_whole() {
    let keyed = [KeyedArray::Array {
        attribute: "items",
        key: "id",
    }];
    let base = json!({"items": [{"id": 1, "a b": 1}]});
    let merge = json!({"items": [{"id": 1, "a b": 2}]});
    let patch = sparse_patch::scim_patch_from_merge(&base, &merge, &keyed).unwrap();
    assert_eq!(
        serde_json::to_value(&patch.operations).unwrap(),
        json!([{"op": "replace", "path": "items", "value": [{"id": 1, "a b": 2}]}])
    );
}

#[test]
fn a_flattened_struct_with_a_cfg_keeps_its_keyed_arrays() {
    #[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
    struct Inner {
        #[patchable(key = "type")]
        emails: Vec<Value>,
    }
    #[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
    struct Outer {
        id: String,
        #[cfg(test)]
        #[patchable(nested)]
        #[serde(flatten)]
        inner: Inner,
    }
    assert_eq!(
        OuterPatch::KEYED_ARRAYS,
        &[KeyedArray::Flattened(&[KeyedArray::Array {
            attribute: "emails",
            key: "type"
        }])]
    );
}

#[test]
fn scim_replaces_a_base_array_whose_keys_differ_only_in_case() {
    // A filter compares strings in any case unless the attribute is `caseExact` (RFC 7643
    // §2.3.1 makes `false` the default; RFC 7644 §3.4.2.2), which is `emails.type`'s case:
    // `emails[type eq "work"]` would also remove, or change, the `Work` element.
    let base = account(vec![
        email("Work", "a@example.com"),
        email("work", "b@example.com"),
    ]);
    let removed = account(vec![email("Work", "a@example.com")]);
    assert_eq!(
        scim(&base, &removed),
        json!([{"op": "replace", "path": "emails", "value": [{"type": "Work", "value": "a@example.com"}]}])
    );
    let changed = account(vec![
        email("Work", "a@example.com"),
        email("work", "c@example.com"),
    ]);
    assert_eq!(
        scim(&base, &changed),
        json!([{"op": "replace", "path": "emails", "value": [
            {"type": "Work", "value": "a@example.com"},
            {"type": "work", "value": "c@example.com"}
        ]}])
    );
    // `É` and `é` too: the comparison is not ASCII's alone.
    let base = account(vec![
        email("É", "a@example.com"),
        email("é", "b@example.com"),
    ]);
    let removed = account(vec![email("É", "a@example.com")]);
    assert_eq!(
        scim(&base, &removed),
        json!([{"op": "replace", "path": "emails", "value": [{"type": "É", "value": "a@example.com"}]}])
    );
    // Keys that share no case are still changed element by element.
    let base = account(vec![
        email("Work", "a@example.com"),
        email("home", "b@example.com"),
    ]);
    let removed = account(vec![email("Work", "a@example.com")]);
    assert_eq!(
        scim(&base, &removed),
        json!([{"op": "remove", "path": "emails[type eq \"home\"]"}])
    );
}

#[test]
fn elements_are_still_appended_to_a_base_whose_keys_differ_only_in_case() {
    // `add` names no element: nothing for a filter to confuse.
    let base = account(vec![
        email("Work", "a@example.com"),
        email("work", "b@example.com"),
    ]);
    let added = account(vec![
        email("Work", "a@example.com"),
        email("work", "b@example.com"),
        email("home", "c@example.com"),
    ]);
    assert_eq!(
        scim(&base, &added),
        json!([{"op": "add", "path": "emails", "value": [{"type": "home", "value": "c@example.com"}]}])
    );
}

/// An `add` finds an element held as SCIM compares values, strings in any case (RFC 7643
/// §2.2), so an element added beside one whose key differs only in case, and otherwise equal,
/// would be taken as held and not appended: such a target is sent whole (the typed SCIM law
/// found `{"type": "Work", "value": {}}` dropped beside `{"type": "work", "value": {}}`).
#[test]
fn an_element_added_beside_its_keys_case_variant_is_sent_whole() {
    let base = account(vec![email("work", "a@example.com")]);
    let target = account(vec![
        email("work", "b@example.com"),
        email("Work", "b@example.com"),
    ]);
    assert_eq!(
        scim(&base, &target),
        json!([{"op": "replace", "path": "emails", "value": [
            {"type": "work", "value": "b@example.com"},
            {"type": "Work", "value": "b@example.com"}
        ]}])
    );
}

#[test]
fn scim_replaces_a_base_array_with_an_element_without_its_key() {
    // A server copy can hold an element that lacks the key (written by another client, or
    // with the key `null`): no filter names it, and the whole target array replaces it, as
    // for elements that share a key, rather than the SCIM output refusing to say the change.
    let keyed = [KeyedArray::Array {
        attribute: "badges",
        key: "type",
    }];
    for stray in [json!({"value": "x"}), json!({"type": null}), json!("text")] {
        let base = json!({"badges": [{"type": "work"}, stray]});
        let merge = json!({"badges": [{"type": "work", "level": 2}]});
        let patch = sparse_patch::scim_patch_from_merge(&base, &merge, &keyed).unwrap();
        assert_eq!(
            serde_json::to_value(&patch.operations).unwrap(),
            json!([{"op": "replace", "path": "badges", "value": [{"type": "work", "level": 2}]}]),
            "{base}"
        );
    }
    // An element without a key in the patch's own array stays an error.
    let base = json!({"badges": [{"type": "work"}]});
    let merge = json!({"badges": [{"value": "x"}]});
    let error = sparse_patch::scim_patch_from_merge(&base, &merge, &keyed).unwrap_err();
    assert!(
        matches!(
            error,
            DialectError::ElementWithoutKey { in_patch: true, .. }
        ),
        "{error}"
    );
}

#[test]
fn scim_output_of_a_large_keyed_array_takes_linear_time() {
    // Each changed element looked its base element up by a scan of the base array, computing
    // every element's key anew: 20,000 changed emails took 28 s in release mode, 10,000 took
    // 7 s. Timed against `diff_keyed` on the same arrays, a linear baseline doing the same
    // kind of work (keys, maps, merge patches), so a loaded machine slows both alike.
    let size = 20_000;
    let base = account(
        (0..size)
            .map(|i| email(&format!("kind{i}"), &format!("old{i}")))
            .collect(),
    );
    let target = account(
        (0..size)
            .map(|i| email(&format!("kind{i}"), &format!("new{i}")))
            .collect(),
    );
    let patch = base.diff(&target);
    let base_json = serde_json::to_value(&base.emails).unwrap();
    let target_json = serde_json::to_value(&target.emails).unwrap();
    let (base_json, target_json) = (
        base_json.as_array().unwrap(),
        target_json.as_array().unwrap(),
    );

    // CPU time, not wall-clock time: on a loaded machine a thread that waits for a core
    // during one of the two measures only makes that one look slow.
    let (baseline, diff) =
        thread_cpu::cpu_time(|| diff_keyed("emails", "type", base_json, target_json).unwrap());
    assert_eq!(diff.changes.len(), size);

    let (elapsed, scim) = thread_cpu::cpu_time(|| patch.to_scim_patch(&base).unwrap());
    assert_eq!(scim.operations.len(), size);
    assert!(
        elapsed < baseline * 20 + std::time::Duration::from_millis(200),
        "{size} changed elements: SCIM output {elapsed:?}, diff_keyed {baseline:?}"
    );
}

#[test]
fn keys_that_differ_by_value_stay_apart() {
    // Distinct numbers are distinct keys however they are written: a fraction is not its
    // integer part, integers beyond 2^53 (and beyond i64) are not rounded to a float, and
    // floats beyond i64 are not clamped to one value.
    for pair in [
        [json!(1), json!(1.5)],
        [json!(-2), json!(-2.5)],
        [
            json!(9_007_199_254_740_992_u64),
            json!(9_007_199_254_740_993_u64),
        ],
        [json!(u64::MAX), json!(u64::MAX - 1)],
        [json!(1e19), json!(1e20)],
        [json!(-1e19), json!(-1e20)],
    ] {
        let elements = [json!({"n": pair[0]}), json!({"n": pair[1]})];
        let diff = diff_keyed("list", "n", &[], &elements)
            .unwrap_or_else(|error| panic!("{pair:?}: {error}"));
        assert_eq!(diff.changes.len(), 2, "{pair:?}");
    }
}

#[test]
fn diff_keyed_says_when_an_element_is_not_an_object() {
    let error = diff_keyed("list", "n", &[json!(3)], &[]).unwrap_err();
    assert!(
        error
            .to_string()
            .contains("the element is not an object: 3"),
        "{error}"
    );
    let error = diff_keyed("list", "n", &[], &[json!({"m": 3})]).unwrap_err();
    assert!(
        error
            .to_string()
            .contains("the element has no such attribute"),
        "{error}"
    );
}

#[test]
fn apply_says_when_a_key_is_a_float_json_has_no_number_for() {
    #[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
    struct Reading {
        id: Option<f64>,
        score: f64,
    }
    impl schemars::JsonSchema for Reading {
        fn schema_name() -> std::borrow::Cow<'static, str> {
            "Reading".into()
        }

        fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
            schemars::json_schema!({"type": "object"})
        }
    }

    #[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
    struct Sensor {
        #[patchable(key = "id")]
        readings: Vec<Reading>,
    }
    let mut sensor = Sensor { readings: vec![] };
    // The key itself is NaN, which serde_json writes as `null`: the error says so.
    let nan_key = SensorPatch::new().readings(vec![Reading {
        id: Some(f64::NAN),
        score: 1.0,
    }]);
    let error = sensor.apply(nan_key).unwrap_err();
    assert!(
        error
            .to_string()
            .contains("which JSON has no number for (serde_json writes it as `null`)"),
        "{error}"
    );
    // A key that is `null` beside another attribute that is NaN: the key is `null`, and the
    // error does not blame the other attribute's number on the key.
    let null_key = SensorPatch::new().readings(vec![Reading {
        id: None,
        score: f64::NAN,
    }]);
    let error = sensor.apply(null_key).unwrap_err();
    assert!(error.to_string().ends_with("the key is null"), "{error}");
    assert!(sensor.readings.is_empty());
}

#[test]
fn scim_sends_nothing_for_an_empty_array_set_on_an_empty_one() {
    let keyed = [KeyedArray::Array {
        attribute: "emails",
        key: "type",
    }];
    let empty = json!({"emails": []});
    let patch = sparse_patch::scim_patch_from_merge(&empty, &empty, &keyed).unwrap();
    assert_eq!(patch.operations, vec![]);
    // Typed: a patch that sets the empty array on a base that holds it.
    let base = account(vec![]);
    let patch = AccountPatch::new().emails(vec![]);
    assert_eq!(patch.to_scim_patch(&base).unwrap().operations, vec![]);
}

#[test]
fn scim_sets_an_object_on_an_element_sub_attribute_that_holds_none() {
    let keyed = [KeyedArray::Array {
        attribute: "emails",
        key: "type",
    }];
    let base = json!({"emails": [{"type": "work", "value": "a", "label": "x"}]});
    let merge =
        json!({"emails": [{"type": "work", "value": "a", "label": {"b": 1}, "meta": {"c": 2}}]});
    let patch = sparse_patch::scim_patch_from_merge(&base, &merge, &keyed).unwrap();
    assert_eq!(
        serde_json::to_value(&patch.operations).unwrap(),
        json!([
            {"op": "replace", "path": "emails[type eq \"work\"].label", "value": {"b": 1}},
            {"op": "replace", "path": "emails[type eq \"work\"].meta", "value": {"c": 2}}
        ])
    );
}

/// A key may be a string, a number or a boolean (the docs of `diff_keyed` and
/// `#[patchable(key)]`): elements keyed by `true` and `false` are told apart, and a number
/// key is one value whatever its spelling (`1` and `1.0`). (Mutation testing: refusing
/// boolean keys went unnoticed.)
#[test]
fn diff_keyed_takes_boolean_and_number_keys() {
    let base = [
        json!({"primary": true, "value": "a@example.com"}),
        json!({"primary": false, "value": "b@example.com"}),
    ];
    let target = [
        json!({"primary": true, "value": "a@example.com"}),
        json!({"primary": false, "value": "c@example.com"}),
    ];
    let diff = diff_keyed("emails", "primary", &base, &target).unwrap();
    assert!(diff.order_kept);
    assert_eq!(diff.changes.len(), 1);
    assert!(
        matches!(&diff.changes[0], ElementChange::Changed { key, patch, .. } if *key == json!(false) && patch["value"] == "c@example.com"),
        "{:?}",
        diff.changes
    );
    let twice = [json!({"primary": true}), json!({"primary": true})];
    assert!(matches!(
        diff_keyed("emails", "primary", &[], &twice).unwrap_err(),
        DialectError::DuplicateKey { in_patch: true, .. }
    ));
    let spelled_twice = [json!({"id": 1}), json!({"id": 1.0})];
    assert!(matches!(
        diff_keyed("list", "id", &[], &spelled_twice).unwrap_err(),
        DialectError::DuplicateKey { in_patch: true, .. }
    ));
}

/// A keyed array that the base lacks (absent, `null`, or not an array) is sent whole, and
/// its own elements are still checked: two with one key, or one without a key, are refused
/// as they are where the base holds the array. (Mutation testing: the check, dropped where
/// the base lacks the array, went unnoticed, and such an array was sent.)
#[test]
fn scim_refuses_duplicates_in_an_array_that_the_base_lacks() {
    let keyed = [KeyedArray::Array {
        attribute: "badges",
        key: "type",
    }];
    for base in [
        json!({}),
        json!({"badges": null}),
        json!({"badges": "text"}),
        json!({"badges": []}),
    ] {
        let merge = json!({"badges": [{"type": "a"}, {"type": "a"}]});
        let error = sparse_patch::scim_patch_from_merge(&base, &merge, &keyed).unwrap_err();
        assert!(
            matches!(error, DialectError::DuplicateKey { in_patch: true, .. }),
            "{base}: {error}"
        );
        let merge = json!({"badges": [{"type": "a"}, {"level": 2}]});
        let error = sparse_patch::scim_patch_from_merge(&base, &merge, &keyed).unwrap_err();
        assert!(
            matches!(
                error,
                DialectError::ElementWithoutKey { in_patch: true, .. }
            ),
            "{base}: {error}"
        );
    }
}

/// An element's sub-attribute that the patch clears is removed only where the base's element
/// holds a value for it: a `null` there is unassigned already (RFC 7644 §3.5.2), and its
/// `remove` would be an operation on nothing. (Mutation testing: a `remove` of the unassigned
/// sub-attribute went unnoticed.)
#[test]
fn scim_removes_an_elements_sub_attribute_only_when_it_has_a_value() {
    let keyed = [KeyedArray::Array {
        attribute: "badges",
        key: "type",
    }];
    let base = json!({"badges": [{"type": "work", "level": 1, "note": null}]});
    let merge = json!({"badges": [{"type": "work", "level": 2}]});
    let patch = sparse_patch::scim_patch_from_merge(&base, &merge, &keyed).unwrap();
    assert_eq!(
        serde_json::to_value(&patch.operations).unwrap(),
        json!([{"op": "replace", "path": "badges[type eq \"work\"].level", "value": 2}])
    );
}

/// A keyed array inside a flattened struct sits in the parent's object, where the SCIM output
/// meets it: its changed element is named by a filter (RFC 7644 §3.5.2, `emails[type eq
/// "work"].value`), as a keyed array of the parent's own is, not sent whole. The lookup of the
/// array's key went through `KeyedArray::Flattened` untested: with it dropped, the output
/// replaced the whole array.
#[test]
fn a_keyed_array_in_a_flattened_struct_is_changed_by_filter() {
    #[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
    struct Contact {
        #[patchable(key = "type")]
        emails: Vec<Value>,
    }
    #[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
    struct Person {
        id: String,
        #[patchable(nested)]
        #[serde(flatten)]
        contact: Contact,
    }
    let base = Person {
        id: "1".into(),
        contact: Contact {
            emails: vec![
                json!({"type": "work", "value": "a@example.com"}),
                json!({"type": "home", "value": "b@example.com"}),
            ],
        },
    };
    let mut target = base.clone();
    target.contact.emails[0]["value"] = json!("c@example.com");
    let scim = base.diff(&target).to_scim_patch(&base).unwrap();
    assert_eq!(
        serde_json::to_value(&scim.operations).unwrap(),
        json!([{"op": "replace", "path": "emails[type eq \"work\"].value", "value": "c@example.com"}])
    );
    let mut applied = serde_json::to_value(&base).unwrap();
    sparse_patch::apply_scim_patch(&mut applied, &scim).unwrap();
    assert_eq!(applied, serde_json::to_value(&target).unwrap());
}

/// The quote of an element without a key is cut at 200 characters, as its error's docs say:
/// an element of exactly 200 characters is quoted whole, one of 201 is cut to its first 200,
/// then `…` and its length.
#[test]
fn an_element_s_quote_is_cut_at_exactly_200_characters() {
    // A JSON string of 198 letters is 200 characters with its quotes.
    let whole = json!("é".repeat(198));
    let error = diff_keyed("list", "n", std::slice::from_ref(&whole), &[]).unwrap_err();
    assert!(
        error
            .to_string()
            .ends_with(&format!("the element is not an object: {whole}")),
        "{error}"
    );
    let cut = json!("é".repeat(199));
    let error = diff_keyed("list", "n", &[cut], &[]).unwrap_err();
    let shown = format!("\"{}… (201 characters)", "é".repeat(199));
    assert!(
        error
            .to_string()
            .ends_with(&format!("the element is not an object: {shown}")),
        "{error}"
    );
}

/// An element that does not serialize (its `Serialize` fails) is named by its own index in
/// the patch's error, as an element without a key is (found by mutation testing: with the
/// index one off, every test still passed).
#[test]
fn an_element_that_does_not_serialize_is_named_by_its_index() {
    #[derive(Debug, Clone, PartialEq, Deserialize)]
    struct Badge {
        kind: String,
    }

    impl Serialize for Badge {
        fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            if self.kind.is_empty() {
                return Err(serde::ser::Error::custom("an empty kind"));
            }
            let mut state = serializer.serialize_struct("Badge", 1)?;
            serde::ser::SerializeStruct::serialize_field(&mut state, "kind", &self.kind)?;
            serde::ser::SerializeStruct::end(state)
        }
    }

    impl schemars::JsonSchema for Badge {
        fn schema_name() -> std::borrow::Cow<'static, str> {
            "Badge".into()
        }

        fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
            schemars::json_schema!({"type": "object"})
        }
    }

    #[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
    struct Holder {
        #[patchable(key = "kind")]
        badges: Vec<Badge>,
    }

    let mut holder = Holder { badges: vec![] };
    let badge = |kind: &str| Badge { kind: kind.into() };
    let patch = HolderPatch::new().badges(vec![badge("a"), badge("b"), badge("")]);
    let error = holder.apply(patch).unwrap_err();
    assert_eq!(error.path(), "badges");
    assert!(
        matches!(
            error.kind(),
            ApplyErrorKind::ElementWithoutKey { key: "kind", index: 2, found }
                if found.starts_with("it does not serialize: an empty kind")
        ),
        "{error:?}"
    );
    assert!(holder.badges.is_empty());
}

/// A key is the caller's text (a request body's): two elements sharing a key of a megabyte that
/// holds a bidi override and a line end quoted all of it, the override raw (JSON text escapes
/// the line end, not U+202E), into the error a server logs. The key is now quoted escaped and
/// cut, as an element without a key already was cut (found by review 164; `keyed_array::cut`).
#[test]
fn a_huge_shared_key_is_quoted_escaped_and_cut() {
    let key = format!("x\u{202e}\n{}", "k".repeat(1_000_000));
    let twice = [json!({"type": key}), json!({"type": key})];
    let error = diff_keyed("list", "type", &twice, &twice[..1]).unwrap_err();
    let text = error.to_string();
    assert!(text.len() < 2_000, "{} bytes", text.len());
    assert!(!text.contains(['\u{202e}', '\n']), "{text}");
    assert!(text.contains(r#""x\u{202e}\nkkk"#), "{text}");
    assert!(text.contains("characters); a keyed array"), "{text}");
    // Short keys read as before.
    let short = diff_keyed(
        "list",
        "type",
        &[json!({"type": "a"}), json!({"type": "a"})],
        &[],
    )
    .unwrap_err();
    assert!(short.to_string().contains(r#"`type` = "a";"#), "{short}");
}
