//! `merge_patch` and `merge_diff` (walked with a heap stack) against the `json-patch` crate's
//! RFC 7396 merge as an oracle: member order, `null` at every depth, objects replacing
//! non-objects and the reverse, empty objects at depth.

use proptest::prelude::*;
use serde_json::Value;

fn json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        (0i64..4).prop_map(Value::from),
        "[ab]{0,1}".prop_map(Value::String),
    ];
    leaf.prop_recursive(5, 40, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..3).prop_map(Value::Array),
            prop::collection::vec(("[abc]", inner), 0..4)
                .prop_map(|members| Value::Object(members.into_iter().collect())),
        ]
    })
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
        prop_assert_eq!(serde_json::to_string(&ours).unwrap(), serde_json::to_string(&oracle).unwrap());
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
}
