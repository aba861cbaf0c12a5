//! The third law of issue 11: for random models and targets, the user that the emulator reaches
//! through its SCIM path (`Client::update_user_scim`, the operations of `to_scim_patch`) equals
//! the user it reaches through its merge path (`Client::update_user`, the merge patch of
//! `diff`), and both equal the target.
//!
//! The model has what the dialects treat differently: nullable attributes, a nested object
//! (`name.given`), keyed multi-valued custom attributes (`badges`, and the nullable `phones`,
//! elements identified by `type`, a key with a quote among them), and untyped JSON (`extra`) whose objects go deeper
//! than SCIM paths do.

#[path = "support/emulator_client.rs"]
mod emulator_client;
use emulator_client::emulator_bearer_builder;

use std::time::Duration;

use proptest::prelude::*;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use sparse_patch::pingone::RetryPolicy;
use sparse_patch::pingone::emulator::{Emulator, reference_user};
use sparse_patch::{Patch, Patchable};

#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Name {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    given: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    family: Option<String>,
}

#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Badge {
    r#type: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    value: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    level: Option<u8>,
}

// The feature `schemars` (on in the tests) asks every field type for its schema.
impl schemars::JsonSchema for Badge {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Badge".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({"type": "object", "required": ["type"]})
    }
}

/// The attributes of a PingOne user that the law exercises; the rest of the document is the
/// reference user's, which neither path touches.
#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Member {
    username: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    nickname: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    title: Option<String>,
    #[patchable(nested)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    name: Option<Name>,
    #[patchable(key = "type")]
    #[serde(default)]
    badges: Vec<Badge>,
    /// A nullable keyed array: absent, empty and full are three states.
    #[patchable(key = "type")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    phones: Option<Vec<Badge>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    extra: Option<Value>,
}

fn text() -> impl Strategy<Value = String> {
    "[a-c]{1,3}"
}

fn name() -> impl Strategy<Value = Name> {
    (proptest::option::of(text()), proptest::option::of(text()))
        .prop_map(|(given, family)| Name { given, family })
}

/// Badges of keys drawn from a small pool, so that base and target share elements; in any
/// order, so that elements move.
fn badges() -> impl Strategy<Value = Vec<Badge>> {
    let pool = vec![
        "work",
        "home",
        r#"say "hi""#,
        "x\\y",
        "Work",
        "été",
        "ÉTÉ",
        "\u{212a}",
        "k",
    ];
    proptest::sample::subsequence(pool, 0..=4)
        .prop_shuffle()
        .prop_flat_map(|keys| {
            let count = keys.len();
            (
                Just(keys),
                proptest::collection::vec(
                    (proptest::option::of(text()), proptest::option::of(0u8..3)),
                    count,
                ),
            )
        })
        .prop_map(|(keys, values)| {
            keys.into_iter()
                .zip(values)
                .map(|(key, (value, level))| Badge {
                    r#type: key.to_owned(),
                    value,
                    level,
                })
                .collect()
        })
}

/// Small JSON objects up to three levels deep, without `null` (which no merge patch can set).
fn extra() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        (0u8..3).prop_map(Value::from),
        "[a-b]{1,2}".prop_map(Value::from)
    ];
    let tree = leaf.prop_recursive(3, 12, 3, |inner| {
        proptest::collection::btree_map("[a-c]", inner, 1..3)
            .prop_map(|map| Value::Object(map.into_iter().collect()))
    });
    proptest::collection::btree_map("[a-c]", tree, 0..3)
        .prop_map(|map| Value::Object(map.into_iter().collect()))
}

fn member() -> impl Strategy<Value = Member> {
    (
        proptest::option::of(text()),
        proptest::option::of(text()),
        proptest::option::of(name()),
        badges(),
        proptest::option::of(badges()),
        proptest::option::of(extra()),
    )
        .prop_map(|(nickname, title, name, badges, phones, extra)| Member {
            username: "dspanner".into(),
            nickname,
            title,
            name,
            badges,
            phones,
            extra,
        })
}

/// The reference user (with `id`) holding `member`'s attributes.
fn document(id: &str, member: &Member) -> Value {
    let mut user = reference_user();
    let object = user.as_object_mut().unwrap();
    for key in ["nickname", "title", "name", "badges", "phones", "extra"] {
        object.remove(key);
    }
    if let Value::Object(attributes) = serde_json::to_value(member).unwrap() {
        object.extend(attributes);
    }
    object.insert("id".into(), json!(id));
    user
}

const MERGE_USER: &str = "0a1b2c3d-0000-4000-8000-000000000001";
const SCIM_USER: &str = "0a1b2c3d-0000-4000-8000-000000000002";

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    #[test]
    fn scim_path_and_merge_path_reach_the_same_user(base in member(), target in member()) {
        let emulator = Emulator::builder().no_users().start().unwrap();
        emulator.insert_user(document(MERGE_USER, &base));
        emulator.insert_user(document(SCIM_USER, &base));
        let client = emulator_bearer_builder(&emulator)
            .retry_policy(RetryPolicy::never())
            .timeout(Duration::from_secs(10))
            .build()
            .unwrap();
        let env = emulator.environment_id().to_owned();
        let patch = base.diff(&target);
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        let (merged, scim) = runtime.block_on(async {
            let merged = client.update_user(&env, MERGE_USER, &patch).await;
            let scim = client.update_user_scim(&env, SCIM_USER, &base, &patch).await;
            (merged, scim)
        });
        let operations = patch.to_scim_patch(&base).unwrap();
        let merged = merged.unwrap();
        let scim = scim.map_err(|error| format!("{error}; operations: {operations:?}")).unwrap();
        prop_assert_eq!(&merged, &target);
        prop_assert_eq!(&scim, &target, "operations: {:?}", operations);
        // The stored documents agree too, apart from the ID and the time of the change.
        let stored = |id: &str| {
            let mut user = emulator.user(id).unwrap();
            let object = user.as_object_mut().unwrap();
            object.remove("id");
            object.remove("updatedAt");
            object.remove("_links");
            user
        };
        prop_assert_eq!(stored(MERGE_USER), stored(SCIM_USER));
    }
}
