//! Keys beside a flattened nested model that the derive's compile-time check lets through: keys
//! that differ in case only (JSON keys are case-sensitive), a key that the patch never writes
//! (`skip_serializing`: `Name`'s `secret` beside `Person`'s), and a flattened map's keys, which
//! the derive cannot know (its entry setter even takes a field's key: writing such a patch
//! fails, naming the key). The keys that it refuses are in
//! `tests/ui/flattened_key_written_twice.rs`.
#![deny(warnings)]

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use sparse_patch::Patchable;

#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Name {
    given_name: Option<String>,
    #[serde(skip_serializing)]
    secret: Option<String>,
}

#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Person {
    #[serde(rename = "GivenName")]
    given: Option<String>,
    secret: Option<String>,
    #[serde(flatten)]
    #[patchable(nested)]
    name: Name,
}

#[test]
fn keys_that_differ_in_case_or_are_never_written_pass_and_round_trip() {
    let patch = PersonPatch::new()
        .given("A")
        .secret("s")
        .name(NamePatch::new().given_name("B"));
    let text = serde_json::to_string(&patch).unwrap();
    assert_eq!(
        serde_json::from_str::<Value>(&text).unwrap(),
        json!({"GivenName": "A", "secret": "s", "givenName": "B"})
    );
    let back: PersonPatch = serde_json::from_str(&text).unwrap();
    assert_eq!(back.given, patch.given);
    assert_eq!(back.name.given_name, patch.name.given_name);
}

#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Custom {
    label: Option<String>,
    #[serde(flatten)]
    #[patchable(nested)]
    name: Name,
    #[serde(flatten)]
    rest: BTreeMap<String, Value>,
}

#[test]
fn a_flattened_map_beside_a_flattened_nested_model_compiles() {
    let patch = CustomPatch::new()
        .label("l")
        .rest_entry("extra", json!(1))
        .name(NamePatch::new().given_name("C"));
    assert_eq!(
        serde_json::to_value(&patch).unwrap(),
        json!({"label": "l", "givenName": "C", "extra": 1})
    );
}

/// A key or a field name with braces (`{id}`, a template's placeholder as a JSON key) beside a
/// flattened nested model: the compile-time check's message is not a format string, so the
/// derive compiles (the braces made `assert!`'s message ask for a variable named `id`).
#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Template {
    #[serde(rename = "{id}")]
    id: Option<String>,
    #[serde(rename = "{{x}}")]
    x: Option<String>,
    #[serde(flatten)]
    #[patchable(nested)]
    name: Name,
}

#[test]
fn a_key_with_braces_beside_a_flattened_nested_model_compiles() {
    let patch = TemplatePatch::new()
        .id("7")
        .x("y")
        .name(NamePatch::new().given_name("D"));
    assert_eq!(
        serde_json::to_value(&patch).unwrap(),
        json!({"{id}": "7", "{{x}}": "y", "givenName": "D"})
    );
}

#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Member {
    name: Option<String>,
    #[serde(flatten)]
    custom: BTreeMap<String, Value>,
}

/// The entry setter of a flattened map takes any key, also one that a field of the patch writes
/// (docs/attributes): writing the patch then fails, naming the key, rather than write it twice
/// (`{"name":"a","name":"b"}`, which a reader takes either way: RFC 8259 §4), whichever of the
/// two comes first, and for any flattened map the derive writes. The key alone, or beside an
/// absent field, is written once.
#[test]
fn an_entry_setter_given_a_fields_key_fails_the_write_naming_the_key() {
    let twice = |error: serde_json::Error| {
        let text = error.to_string();
        assert!(text.contains("the key `name` is written twice"), "{text}");
    };
    let patch = MemberPatch::new()
        .name("a")
        .custom_entry("name", json!("b"));
    twice(serde_json::to_string(&patch).unwrap_err());
    twice(serde_json::to_value(&patch).unwrap_err());
    let patch = MemberPatch::new()
        .name("a")
        .custom_entry("name", Value::Null);
    twice(serde_json::to_string(&patch).unwrap_err());
    let patch = MapFirst::new().name("a").custom_entry("name", json!("b"));
    twice(serde_json::to_string(&patch).unwrap_err());
    let Value::Object(custom) = json!({"name": "b"}) else {
        unreachable!()
    };
    let patch = JsonMap::new().name("a").custom(custom);
    twice(serde_json::to_string(&patch).unwrap_err());

    let patch = MemberPatch::new()
        .custom_entry("name", json!("b"))
        .custom_entry("other", json!(1));
    assert_eq!(
        serde_json::to_string(&patch).unwrap(),
        r#"{"name":"b","other":1}"#
    );
    let patch = MemberPatch::new().name("a").custom_entry("other", json!(1));
    assert_eq!(
        serde_json::to_string(&patch).unwrap(),
        r#"{"name":"a","other":1}"#
    );
}

/// The flattened map declared before the field.
#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
#[patchable(name = "MapFirst")]
struct MapFirstModel {
    #[serde(flatten)]
    custom: BTreeMap<String, Value>,
    name: Option<String>,
}

/// A flattened `serde_json::Map`.
#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
#[patchable(name = "JsonMap")]
struct JsonMapModel {
    name: Option<String>,
    #[serde(flatten)]
    custom: serde_json::Map<String, Value>,
}

/// A generic model's patch is on serde's derives, whose flattened map is written through a
/// serializer that shows it nothing of the fields beside it: the check above does not reach
/// it, and the key is written twice (docs/attributes says so; the PingOne client's pre-flight
/// refuses it, `tests/pingone_bad_answers_and_input.rs`), while `to_json_patch` reads the JSON
/// as a `Value` does and keeps the entry's value. This pins what the doc states.
#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
struct GenericMember<T> {
    name: Option<T>,
    #[serde(flatten)]
    custom: BTreeMap<String, Value>,
}

#[test]
fn a_patch_on_serdes_derives_still_writes_the_key_twice() {
    use sparse_patch::{JsonPatchOperation, Patch};

    let patch = GenericMemberPatch::<String>::new()
        .name("a".to_owned())
        .custom_entry("name", json!("b"));
    assert_eq!(
        serde_json::to_string(&patch).unwrap(),
        r#"{"name":"a","name":"b"}"#
    );
    assert_eq!(
        patch.to_json_patch(&GenericMember::default()).unwrap(),
        [JsonPatchOperation::Add {
            path: "/name".to_owned(),
            value: json!("b"),
        }]
    );
}
