//! `merge_patch` and `merge_diff` (walked with a heap stack) against the `json-patch` crate's
//! RFC 7396 merge as an oracle: member order, `null` at every depth, objects replacing
//! non-objects and the reverse, empty objects at depth; and RFC 7396 Appendix A, row by row.

use proptest::prelude::*;
use serde_json::{Map, Value};
use sparse_patch::MergeJson;

#[path = "support/look_alike.rs"]
mod look_alike;
use look_alike::look_alike;

/// The smallest merge patch from `current` to `target`, by RFC 7396 §1 read literally and
/// recursively: between two objects, a removed member is `null`, an equal member is left out,
/// two unequal objects are diffed member by member, and anything else is the target's value.
fn smallest_diff(current: &Value, target: &Value) -> Value {
    let (Value::Object(current), Value::Object(target)) = (current, target) else {
        return target.clone();
    };
    let mut patch = Map::new();
    for key in current.keys().filter(|key| !target.contains_key(*key)) {
        patch.insert(key.clone(), Value::Null);
    }
    for (key, value) in target {
        match current.get(key) {
            Some(old) if old == value => {}
            Some(old) if old.is_object() && value.is_object() => {
                patch.insert(key.clone(), smallest_diff(old, value));
            }
            _ => {
                patch.insert(key.clone(), value.clone());
            }
        }
    }
    Value::Object(patch)
}

/// Member names: a few letters (so that patches meet the target's members), and the empty
/// name, the characters a JSON Pointer escapes (RFC 6901 §3), a dot, a name that looks like an
/// array index and a letter that is not ASCII.
fn key() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => "[abc]",
        1 => proptest::sample::select(vec!["", "~", "/", "~1", ".", "0", "é"]).prop_map(String::from),
    ]
}

/// Numbers: small integers, and the ones that an equality or a conversion gets wrong: `-0.0`
/// (equal to `0.0` by serde_json's `==`), floats without a fractional part (`1.0` and `2.0`,
/// which serde_json's `==` keeps apart from `1` and `2`), `1e300`, and the ends of `i64` and
/// `u64` (above `i64::MAX`).
fn number() -> impl Strategy<Value = Value> {
    prop_oneof![
        3 => (0i64..4).prop_map(Value::from),
        1 => proptest::sample::select(vec![
            serde_json::json!(-0.0),
            serde_json::json!(0.0),
            serde_json::json!(1.0),
            serde_json::json!(2.0),
            serde_json::json!(1e300),
            serde_json::json!(i64::MIN),
            serde_json::json!(i64::MAX as u64 + 1),
            serde_json::json!(u64::MAX),
        ]),
    ]
}

fn json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        number(),
        "[ab]{0,1}".prop_map(Value::String),
    ];
    leaf.prop_recursive(5, 40, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..3).prop_map(Value::Array),
            prop::collection::vec((key(), inner), 0..4)
                .prop_map(|members| Value::Object(members.into_iter().collect())),
        ]
    })
}

fn object() -> impl Strategy<Value = Map<String, Value>> {
    prop::collection::vec((key(), json()), 0..4).prop_map(|members| members.into_iter().collect())
}

/// `json_patch::merge` on objects.
fn oracle_merge(target: &Map<String, Value>, patch: &Map<String, Value>) -> Map<String, Value> {
    let mut merged = Value::Object(target.clone());
    json_patch::merge(&mut merged, &Value::Object(patch.clone()));
    let Value::Object(merged) = merged else {
        unreachable!("an object patch leaves an object")
    };
    merged
}

/// RFC 7396 §2's pseudocode on member lists, keeping order as a reader of the text expects:
/// the target's members stay in their places (a removed one leaves the others where they
/// were), and a new member goes at the end. An oracle of member order, which `json_patch::merge`
/// is not: with serde_json's `preserve_order` it removes with `Map::remove`, which is
/// `swap_remove` then and moves the last member into the removed one's place.
fn ordered_merge(target: &Value, patch: &Value) -> Value {
    let Value::Object(patch) = patch else {
        return patch.clone();
    };
    let mut members: Vec<(String, Value)> = match target {
        Value::Object(target) => target.clone().into_iter().collect(),
        _ => Vec::new(),
    };
    for (key, change) in patch {
        let at = members.iter().position(|(name, _)| name == key);
        match (at, change) {
            (Some(at), Value::Null) => {
                members.remove(at);
            }
            (None, Value::Null) => {}
            (Some(at), change) => members[at].1 = ordered_merge(&members[at].1, change),
            (None, change) => members.push((key.clone(), ordered_merge(&Value::Null, change))),
        }
    }
    Value::Object(members.into_iter().collect())
}

/// Whether `next` can follow `first` in one merge patch: nowhere does `next` merge an object
/// into a member that `first` clears or sets to a non-object.
fn oracle_composes(first: &Value, next: &Value) -> bool {
    match (first, next) {
        (Value::Object(first), Value::Object(next)) => next.iter().all(|(key, next)| {
            first
                .get(key)
                .is_none_or(|first| oracle_composes(first, next))
        }),
        (_, Value::Object(_)) => false,
        _ => true,
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn merge_patch_is_rfc_7396(target in json(), patch in json()) {
        let mut ours = target.clone();
        sparse_patch::merge_patch(&mut ours, patch.clone());
        let mut oracle = target;
        json_patch::merge(&mut oracle, &patch);
        prop_assert_eq!(&ours, &oracle);
        // The text's member order is checked against `ordered_merge` below, not against
        // `json_patch::merge`, which moves members under serde_json's `preserve_order`.
    }

    /// The merged document's text keeps the target's member order (the `ordered_merge`
    /// oracle), also where serde_json keeps insertion order (its `preserve_order` feature,
    /// which any crate of a build may turn on): run with
    /// `--features serde_json/preserve_order` to check that case.
    #[test]
    fn merge_patch_keeps_the_member_order(target in json(), patch in json()) {
        let mut ours = target.clone();
        sparse_patch::merge_patch(&mut ours, patch.clone());
        let oracle = ordered_merge(&target, &patch);
        prop_assert_eq!(serde_json::to_string(&ours).unwrap(), serde_json::to_string(&oracle).unwrap());
        if let (Value::Object(target), Value::Object(patch)) = (target, patch) {
            let mut merged = target.clone();
            merged.merge(patch.clone());
            prop_assert_eq!(
                serde_json::to_string(&merged).unwrap(),
                serde_json::to_string(&ordered_merge(&Value::Object(target), &Value::Object(patch))).unwrap()
            );
        }
    }

    #[test]
    fn merge_diff_leads_to_the_target(current in json(), target in json()) {
        let diff = sparse_patch::merge_diff(&current, &target);
        let mut merged = current.clone();
        json_patch::merge(&mut merged, &diff);
        // RFC 7396 cannot set a null member: compare with the target's nulls in objects removed.
        let mut expected = Value::Null;
        json_patch::merge(&mut expected, &target);
        let mut merged_clean = Value::Null;
        json_patch::merge(&mut merged_clean, &merged);
        prop_assert_eq!(merged_clean, expected);
        if current == target && current.is_object() {
            prop_assert_eq!(diff, Value::Object(Default::default()));
        }
    }

    #[test]
    fn merge_diff_is_the_smallest_patch(current in json(), target in json()) {
        // Equal members (at any depth) are left out, and an object member is diffed rather
        // than sent whole: `{"a": {"b": 1, "c": 2}}` to `{"a": {"b": 1, "c": 3}}` is
        // `{"a": {"c": 3}}`, not `{"a": {"b": 1, "c": 3}}`.
        prop_assert_eq!(sparse_patch::merge_diff(&current, &target), smallest_diff(&current, &target));
    }

    /// `merge_diff` between a document and one that looks like it (`1` and `1.0`, `2.0` and
    /// `2`, `0` and `-0.0`, `1e300` and `-1e300`, a string and the string with a space, `null`
    /// and `0` inside an array): such pairs, which two documents generated apart rarely hold
    /// at the same place, are sent wherever serde_json's `==` tells them apart, and the
    /// patch leads to the target's text.
    #[test]
    fn merge_diff_tells_look_alike_values_apart(current in json(), choice in any::<u64>()) {
        let target = look_alike(&current, choice);
        let diff = sparse_patch::merge_diff(&current, &target);
        prop_assert_eq!(&diff, &smallest_diff(&current, &target));
        let mut merged = current.clone();
        sparse_patch::merge_patch(&mut merged, diff);
        let mut expected = current.clone();
        json_patch::merge(&mut expected, &smallest_diff(&current, &target));
        prop_assert_eq!(serde_json::to_string(&merged).unwrap(), serde_json::to_string(&expected).unwrap());
    }

    #[test]
    fn value_patches_are_empty_and_merge_as_rfc_7396_says(patch in json()) {
        prop_assert_eq!(<Value as MergeJson>::is_empty_patch(&patch), patch == Value::Object(Map::new()));
        prop_assert_eq!(<Value as MergeJson>::merges(&patch), patch.is_object());
        // Built from nothing (a derived model's `Option<Value>` field that was `None`): the
        // patch applied to `null`, its `null` members dropped at every depth.
        let mut built = Value::Null;
        json_patch::merge(&mut built, &patch);
        prop_assert_eq!(<Value as MergeJson>::from_patch(patch), built);
    }

    /// The `MergeJson` impl of `serde_json::Map` (a derived model's `Map<String, Value>` field,
    /// flattened or not) against the oracle on objects.
    #[test]
    fn map_merge_json_is_rfc_7396(target in object(), patch in object(), other in object()) {
        let mut merged = target.clone();
        merged.merge(patch.clone());
        prop_assert_eq!(&merged, &oracle_merge(&target, &patch));
        prop_assert_eq!(<Map<String, Value> as MergeJson>::from_patch(patch.clone()), oracle_merge(&Map::new(), &patch));
        prop_assert_eq!(
            Value::Object(target.diff(&other)),
            smallest_diff(&Value::Object(target.clone()), &Value::Object(other.clone()))
        );
        prop_assert_eq!(<Map<String, Value> as MergeJson>::is_empty_patch(&patch), patch.is_empty());
        prop_assert!(<Map<String, Value> as MergeJson>::merges(&patch));
    }

    /// Composition is associative where it is defined: `(a.then(b)).then(c)` and
    /// `a.then(b.then(c))` are one patch when both compose (either may be refused alone: `null`
    /// then `{}` cannot be one patch, though `null` then `{}` then `null` can), and a composed
    /// chain does the work of the three applied in turn.
    #[test]
    fn value_patches_compose_associatively(a in json(), b in json(), c in json(), target in json()) {
        fn then(first: &Value, next: &Value) -> Option<Value> {
            let composes = oracle_composes(first, next);
            assert_eq!(<Value as MergeJson>::check_then_patch(first, next).is_ok(), composes);
            composes.then(|| {
                let mut both = first.clone();
                <Value as MergeJson>::then_patch(&mut both, next.clone());
                both
            })
        }
        let left = then(&a, &b).and_then(|ab| then(&ab, &c));
        let right = then(&b, &c).and_then(|bc| then(&a, &bc));
        if let (Some(left), Some(right)) = (&left, &right) {
            prop_assert_eq!(left, right);
        }
        let mut in_turn = target.clone();
        for patch in [&a, &b, &c] {
            json_patch::merge(&mut in_turn, patch);
        }
        for chain in [left, right].into_iter().flatten() {
            let mut once = target.clone();
            json_patch::merge(&mut once, &chain);
            prop_assert_eq!(&once, &in_turn);
        }
    }

    /// Composition of object patches: refused exactly where `next` merges an object into a
    /// member `first` clears or sets to a non-object; otherwise the one patch does the work of
    /// the two applied in turn.
    #[test]
    fn map_patches_compose_as_applied_in_turn(target in object(), first in object(), next in object()) {
        let composes = oracle_composes(&Value::Object(first.clone()), &Value::Object(next.clone()));
        let checked = <Map<String, Value> as MergeJson>::check_then_patch(&first, &next);
        prop_assert_eq!(checked.is_ok(), composes);
        if composes {
            let mut both = first.clone();
            <Map<String, Value> as MergeJson>::then_patch(&mut both, next.clone());
            prop_assert_eq!(oracle_merge(&target, &both), oracle_merge(&oracle_merge(&target, &first), &next));
        }
    }
}

/// A removed member leaves the others in their places, in the text too: with serde_json's
/// `preserve_order`, `Map::remove` (`swap_remove`) moved the last member (`d`) into the place
/// of the removed one (`b`), giving `{"a":1,"d":4,"c":3}`, at every depth.
#[test]
fn removing_a_member_keeps_the_others_in_place() {
    let target: Value =
        serde_json::from_str(r#"{"a":1,"b":2,"c":3,"d":{"a":1,"b":2,"c":3,"d":4}}"#).unwrap();
    let patch: Value = serde_json::from_str(r#"{"b":null,"d":{"b":null}}"#).unwrap();
    let mut merged = target.clone();
    sparse_patch::merge_patch(&mut merged, patch.clone());
    assert_eq!(
        serde_json::to_string(&merged).unwrap(),
        r#"{"a":1,"c":3,"d":{"a":1,"c":3,"d":4}}"#
    );
    let (Value::Object(mut target), Value::Object(patch)) = (target, patch) else {
        unreachable!()
    };
    target.merge(patch);
    assert_eq!(
        serde_json::to_string(&target).unwrap(),
        r#"{"a":1,"c":3,"d":{"a":1,"c":3,"d":4}}"#
    );
}

/// RFC 7396 Appendix A, the RFC's own table of target, patch and result, row by row: through
/// `merge_patch` and `json_patch::merge`; `merge_diff` from the target to the result, which
/// applied gives the result; and, where target and patch are objects, the RFC 6902 operations
/// of `json_patch_from_merge`, applied by `json_patch::patch`. The last rows are the ones peer
/// implementations got wrong: a `null` member of the target that a patch leaves alone stays,
/// nulls inside an array are values, and a patch's object of nulls on a missing member builds
/// empty objects.
#[test]
fn rfc_7396_appendix_a_holds_in_every_form() {
    let rows = [
        (r#"{"a":"b"}"#, r#"{"a":"c"}"#, r#"{"a":"c"}"#),
        (r#"{"a":"b"}"#, r#"{"b":"c"}"#, r#"{"a":"b","b":"c"}"#),
        (r#"{"a":"b"}"#, r#"{"a":null}"#, r#"{}"#),
        (r#"{"a":"b","b":"c"}"#, r#"{"a":null}"#, r#"{"b":"c"}"#),
        (r#"{"a":["b"]}"#, r#"{"a":"c"}"#, r#"{"a":"c"}"#),
        (r#"{"a":"c"}"#, r#"{"a":["b"]}"#, r#"{"a":["b"]}"#),
        (
            r#"{"a":{"b":"c"}}"#,
            r#"{"a":{"b":"d","c":null}}"#,
            r#"{"a":{"b":"d"}}"#,
        ),
        (r#"{"a":[{"b":"c"}]}"#, r#"{"a":[1]}"#, r#"{"a":[1]}"#),
        (r#"["a","b"]"#, r#"["c","d"]"#, r#"["c","d"]"#),
        (r#"{"a":"b"}"#, r#"["c"]"#, r#"["c"]"#),
        (r#"{"a":"foo"}"#, "null", "null"),
        (r#"{"a":"foo"}"#, r#""bar""#, r#""bar""#),
        (r#"{"e":null}"#, r#"{"a":1}"#, r#"{"e":null,"a":1}"#),
        (r#"[1,2]"#, r#"{"a":"b","c":null}"#, r#"{"a":"b"}"#),
        (
            r#"{}"#,
            r#"{"a":{"bb":{"ccc":null}}}"#,
            r#"{"a":{"bb":{}}}"#,
        ),
        // Not in the table: nulls inside arrays, an array of objects holding nulls.
        (
            r#"{"a":1}"#,
            r#"{"a":[null,{"b":null}]}"#,
            r#"{"a":[null,{"b":null}]}"#,
        ),
    ];
    for (target, patch, result) in rows {
        let [target, patch, result]: [Value; 3] =
            [target, patch, result].map(|text| serde_json::from_str(text).unwrap());
        let mut merged = target.clone();
        sparse_patch::merge_patch(&mut merged, patch.clone());
        assert_eq!(merged, result, "merge_patch({target}, {patch})");
        let mut oracle = target.clone();
        json_patch::merge(&mut oracle, &patch);
        assert_eq!(oracle, result, "json_patch::merge({target}, {patch})");
        let diff = sparse_patch::merge_diff(&target, &result);
        let mut diffed = target.clone();
        sparse_patch::merge_patch(&mut diffed, diff.clone());
        assert_eq!(diffed, result, "merge_diff({target}, {result}) = {diff}");
        if target.is_object() && patch.is_object() {
            let operations = sparse_patch::json_patch_from_merge(&target, &patch).unwrap();
            let document: json_patch::Patch =
                serde_json::from_value(serde_json::to_value(&operations).unwrap()).unwrap();
            let mut patched = target.clone();
            json_patch::patch(&mut patched, &document).unwrap();
            assert_eq!(patched, result, "{target} with {operations:?}");
        }
    }
}
