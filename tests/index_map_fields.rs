//! `IndexMap` attributes (indexmap 2, feature `indexmap`): merged key by key as `HashMap` and
//! `BTreeMap` attributes are (RFC 7396 §2), in the map's own order. Before the feature, an
//! `IndexMap` field was a plain value: `apply` replaced it whole and `diff` sent it whole, which
//! a server merges into the map it has, so a key removed from the model stayed on the server.

use std::collections::HashMap;

use indexmap::IndexMap;
#[path = "support/model_json.rs"]
mod model_json;
use model_json::without_nulls;
use proptest::prelude::*;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use sparse_patch::Patchable;

/// A model whose maps keep their order (an OpenAPI document's `paths`, an ordered label set).
#[derive(Patchable, Serialize, Deserialize, Debug, Clone, PartialEq, Default)]
pub struct Service {
    pub name: String,
    pub labels: IndexMap<String, String>,
    pub annotations: Option<IndexMap<String, String>>,
    pub settings: IndexMap<String, Value>,
    #[serde(flatten)]
    pub extra: IndexMap<String, Value>,
}

/// The same model with `HashMap`s: the reference for schemas and wire form.
#[derive(Patchable, Serialize, Deserialize, Debug, Clone, PartialEq, Default)]
pub struct HashService {
    pub name: String,
    pub labels: HashMap<String, String>,
    pub annotations: Option<HashMap<String, String>>,
    pub settings: HashMap<String, Value>,
    #[serde(flatten)]
    pub extra: HashMap<String, Value>,
}

fn service() -> Service {
    serde_json::from_value(json!({
        "name": "api",
        "labels": {"a": "1", "b": "2", "c": "3"},
        "annotations": {"owner": "ops"},
        "settings": {"limits": {"cpu": 2, "memory": 512}, "region": "eu"},
        "tier": "gold",
        "zone": "z1"
    }))
    .unwrap()
}

fn keys<V>(map: &IndexMap<String, V>) -> Vec<&str> {
    map.keys().map(String::as_str).collect()
}

#[test]
fn apply_merges_an_index_map_key_by_key_and_keeps_its_order() {
    let mut model = service();
    let patch: ServicePatch = serde_json::from_value(json!({
        "labels": {"b": null, "d": "4", "a": "one"},
        "annotations": {"team": "core"},
        "tier": null,
        "site": "paris"
    }))
    .unwrap();
    model.apply(patch).unwrap();
    // `b` removed, `a` changed in its place, `d` last: the keys left out (`c`) are kept.
    assert_eq!(keys(&model.labels), ["a", "c", "d"]);
    assert_eq!(model.labels["a"], "one");
    assert_eq!(
        model.annotations.as_ref().map(keys),
        Some(vec!["owner", "team"])
    );
    assert_eq!(keys(&model.extra), ["zone", "site"]);
}

#[test]
fn a_map_of_json_values_merges_each_entry_by_rfc_7396() {
    let mut model = service();
    let patch: ServicePatch =
        serde_json::from_value(json!({"settings": {"limits": {"memory": null}, "region": null}}))
            .unwrap();
    model.apply(patch).unwrap();
    assert_eq!(
        serde_json::to_value(&model.settings).unwrap(),
        json!({"limits": {"cpu": 2}})
    );
}

#[test]
fn diff_sends_the_removed_keys_as_null() {
    let model = service();
    let mut target = model.clone();
    target.labels.shift_remove("b");
    target.labels.insert("e".into(), "5".into());
    target.extra.shift_remove("tier");
    let patch = model.diff(&target);
    assert_eq!(
        serde_json::to_value(&patch).unwrap(),
        json!({"labels": {"b": null, "e": "5"}, "tier": null})
    );
    // What a server that merges the patch into the document (RFC 7396 §2) holds.
    let mut document = serde_json::to_value(&model).unwrap();
    json_patch::merge(&mut document, &serde_json::to_value(&patch).unwrap());
    assert_eq!(document, serde_json::to_value(&target).unwrap());
}

#[test]
fn entry_setters_reach_an_index_map() {
    let patch = ServicePatch::default()
        .labels_entry("a", "x")
        .clear_labels_entry("b")
        .extra_entry("tier", json!("silver"));
    assert_eq!(
        serde_json::to_value(&patch).unwrap(),
        json!({"labels": {"a": "x", "b": null}, "tier": "silver"})
    );
}

#[test]
fn a_key_given_twice_is_refused_as_in_a_hash_map() {
    for text in [
        r#"{"labels": {"a": "1", "a": null}}"#,
        r#"{"tier": "gold", "tier": null}"#,
    ] {
        let index = serde_json::from_str::<ServicePatch>(text).unwrap_err();
        let hash = serde_json::from_str::<HashServicePatch>(text).unwrap_err();
        assert_eq!(index.to_string(), hash.to_string(), "{text}");
    }
}

#[test]
fn the_patch_reads_and_writes_as_the_hash_map_patch_does() {
    let text = json!({
        "name": "api",
        "labels": {"a": "1", "b": null},
        "annotations": null,
        "settings": {"limits": {"cpu": null}},
        "tier": null,
        "zone": "z2"
    });
    let index: ServicePatch = serde_json::from_value(text.clone()).unwrap();
    let hash: HashServicePatch = serde_json::from_value(text.clone()).unwrap();
    assert_eq!(serde_json::to_value(&index).unwrap(), text);
    assert_eq!(serde_json::to_value(&hash).unwrap(), text);
    for wrong in [
        json!({"labels": {"a": 1}}),
        json!({"labels": ["a"]}),
        json!({"labels": null}),
    ] {
        let index = serde_json::from_value::<ServicePatch>(wrong.clone()).unwrap_err();
        let hash = serde_json::from_value::<HashServicePatch>(wrong.clone()).unwrap_err();
        assert_eq!(index.to_string(), hash.to_string(), "{wrong}");
    }
}

#[test]
fn the_patch_schema_is_the_hash_map_patch_schema() {
    let index = serde_json::to_value(schemars::schema_for!(ServicePatch)).unwrap();
    let hash = serde_json::to_value(schemars::schema_for!(HashServicePatch)).unwrap();
    assert_eq!(index["properties"], hash["properties"]);
    assert_eq!(index["additionalProperties"], hash["additionalProperties"]);
    assert!(index["properties"]["labels"].is_object());
}

fn small_map() -> impl Strategy<Value = IndexMap<String, String>> {
    prop::collection::vec(("[a-e]", "[xyz]"), 0..6)
        .prop_map(|entries| entries.into_iter().collect())
}

fn small_json_map() -> impl Strategy<Value = IndexMap<String, Value>> {
    let leaf = prop_oneof![
        Just(json!(1)),
        Just(json!("s")),
        Just(json!([1, 2])),
        Just(json!({"p": 1, "q": {"r": 2}})),
        Just(json!({"q": {"s": 3}})),
    ];
    prop::collection::vec(("[f-h]", leaf), 0..4).prop_map(|entries| entries.into_iter().collect())
}

fn any_service() -> impl Strategy<Value = Service> {
    (
        small_map(),
        prop::option::of(small_map()),
        small_json_map(),
        prop::collection::vec(("[t-w]", Just(json!("v"))), 0..3),
    )
        .prop_map(|(labels, annotations, settings, extra)| Service {
            name: "api".into(),
            labels,
            annotations,
            settings,
            extra: extra.into_iter().collect(),
        })
}

proptest! {
    /// `apply∘diff` is the identity, and the diff merged into the model's JSON by the
    /// json-patch crate (RFC 7396 §2, the oracle) gives the target's JSON.
    #[test]
    fn apply_of_diff_gives_the_target_as_rfc_7396_merges_it(
        model in any_service(),
        target in any_service(),
    ) {
        let patch = model.diff(&target);
        let mut document = serde_json::to_value(&model).unwrap();
        json_patch::merge(&mut document, &serde_json::to_value(&patch).unwrap());
        // `"annotations": null` is the model's `None`, and a merge patch's "remove".
        prop_assert_eq!(
            without_nulls(document),
            without_nulls(serde_json::to_value(&target).unwrap())
        );
        let mut applied = model.clone();
        applied.apply(patch).unwrap();
        prop_assert_eq!(&applied, &target);
        // Keys that both hold keep the model's order; new keys follow, in the target's.
        let expected: Vec<&String> = model
            .labels
            .keys()
            .filter(|key| target.labels.contains_key(*key))
            .chain(target.labels.keys().filter(|key| !model.labels.contains_key(*key)))
            .collect();
        prop_assert_eq!(applied.labels.keys().collect::<Vec<_>>(), expected);
    }

    /// A patch read from JSON and applied does what the json-patch crate's merge does to the
    /// model's JSON.
    #[test]
    fn apply_of_a_read_patch_is_the_oracles_merge(
        model in any_service(),
        target in any_service(),
    ) {
        let text = serde_json::to_value(model.diff(&target)).unwrap();
        let patch: ServicePatch = serde_json::from_value(text.clone()).unwrap();
        let mut applied = model.clone();
        applied.apply(patch).unwrap();
        let mut document = serde_json::to_value(&model).unwrap();
        json_patch::merge(&mut document, &text);
        prop_assert_eq!(
            without_nulls(serde_json::to_value(&applied).unwrap()),
            without_nulls(document)
        );
    }
}
