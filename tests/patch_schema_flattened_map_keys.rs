//! The keys of a flattened map in the patch's JSON Schema (feature `schemars`): serde hands a
//! flattened map the keys that no field takes as strings (its buffered `Content`, or the
//! patch's own reader), which it reads into the map's key type: an integer or a `bool` reads
//! none of them (serde-rs/serde#1183), a `char` one character, a unit enum a variant's name.
//! A flattened struct that flattens such a map is read from every key left in its parent.
//! A document validates against the schema of reading (`boon`, JSON Schema 2020-12) exactly
//! when `serde_json::from_value` reads it into the patch, and what serde then writes
//! validates against the schema of writing.

use std::collections::{BTreeMap, HashMap};

use proptest::prelude::*;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use sparse_patch::Patchable;

#[path = "support/json_schema.rs"]
mod json_schema;
use json_schema::Validator;

/// A unit enum, as schemars' derive describes one: an `enum` of its names.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Color {
    Red,
    Blue,
}

impl schemars::JsonSchema for Color {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Color".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({"type": "string", "enum": ["red", "blue"]})
    }
}

/// Tags by a letter, beside a read-only `id` (which the patch reads and drops).
#[derive(Patchable, Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CharTags {
    pub n: Option<u8>,
    #[patchable(skip)]
    pub id: u8,
    #[serde(flatten)]
    pub tags: BTreeMap<char, u8>,
}

#[derive(Patchable, Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BoolTags {
    pub n: Option<u8>,
    #[serde(flatten)]
    pub tags: HashMap<bool, String>,
}

#[derive(Patchable, Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ColorTags {
    pub n: Option<u8>,
    #[serde(flatten)]
    pub tags: BTreeMap<Color, u8>,
}

/// Generic: its patch gets serde's derives (README, "Which serde code a patch gets").
#[derive(Patchable, Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GenericTags<T> {
    pub t: Option<T>,
    #[serde(flatten)]
    pub tags: BTreeMap<char, u8>,
}

#[derive(Patchable, Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NumberedChild {
    pub c: Option<u8>,
    #[serde(flatten)]
    pub tags: BTreeMap<u8, String>,
}

#[derive(Patchable, Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LetteredChild {
    pub c: Option<u8>,
    #[serde(flatten)]
    pub tags: BTreeMap<char, String>,
}

/// Flattens a struct that flattens a map keyed by numbers, and one keyed by letters: each is
/// read from every key that the parent's fields leave.
#[derive(Patchable, Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OverNumbered {
    pub x: Option<u8>,
    #[serde(flatten)]
    #[patchable(nested)]
    pub child: NumberedChild,
}

#[derive(Patchable, Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OverLettered {
    pub x: Option<u8>,
    #[serde(flatten)]
    #[patchable(nested)]
    pub child: LetteredChild,
}

fn reads<T: serde::de::DeserializeOwned>(json: &Value) -> bool {
    serde_json::from_value::<T>(json.clone()).is_ok()
}

use json_schema::serde_and_schemas_agree as agree;

/// Every patch of this file against `json`.
fn all_agree(json: &Value) -> Result<(), String> {
    agree::<CharTagsPatch>(json)?;
    agree::<BoolTagsPatch>(json)?;
    agree::<ColorTagsPatch>(json)?;
    agree::<GenericTagsPatch<u8>>(json)?;
    agree::<OverNumberedPatch>(json)?;
    agree::<OverLetteredPatch>(json)
}

/// The schema took any other key for a flattened map keyed by a `char`, a `bool` or an enum
/// (`{"ab": 1}`, `{"true": "a"}`, `{"green": 1}`), which serde refuses, and any other key of
/// a parent whose flattened struct flattens a map keyed by numbers (`{"z": "a"}`) or letters.
#[test]
fn a_flattened_maps_keys_are_those_its_key_type_reads_from_a_string() {
    for (refused, read) in [
        (json!({"ab": 1}), json!({"a": 1, "n": 2, "id": 9})),
        (json!({"true": "a"}), json!({"n": 1})),
        (json!({"green": 1}), json!({"red": 1, "blue": null})),
        (json!({"z": "a"}), json!({"x": 1, "c": 2})),
        (json!({"zz": "a", "c": 1}), json!({"z": "a", "x": null})),
    ] {
        all_agree(&refused).unwrap();
        all_agree(&read).unwrap();
    }
    assert!(!reads::<CharTagsPatch>(&json!({"ab": 1})));
    assert!(reads::<CharTagsPatch>(&json!({"a": 1, "n": 2, "id": 9})));
    assert!(!reads::<BoolTagsPatch>(&json!({"true": "a"})));
    assert!(!reads::<ColorTagsPatch>(&json!({"green": 1})));
    assert!(reads::<ColorTagsPatch>(&json!({"red": 1, "blue": null})));
    assert!(!reads::<GenericTagsPatch<u8>>(&json!({"ab": 1})));
    assert!(!reads::<OverNumberedPatch>(&json!({"z": "a"})));
    assert!(reads::<OverNumberedPatch>(&json!({"x": 1, "c": 2})));
    assert!(!reads::<OverLetteredPatch>(&json!({"zz": "a", "c": 1})));
    assert!(reads::<OverLetteredPatch>(&json!({"z": "a", "x": null})));
}

/// Objects of the fields' keys and other keys, which one key type or another reads.
fn document() -> impl Strategy<Value = Value> {
    let keys = prop::sample::select(vec![
        "n", "x", "c", "id", "t", "a", "z", "ab", "true", "5", "red", "blue", "green",
    ]);
    let values = prop::sample::select(vec![json!(1), json!(300), json!("s"), Value::Null]);
    prop::collection::btree_map(keys, values, 0..4)
        .prop_map(|map| Value::Object(map.into_iter().map(|(k, v)| (k.to_owned(), v)).collect()))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// A document validates against each patch's schema of reading exactly when serde
    /// reads it.
    #[test]
    fn flattened_maps_by_key_type(json in document()) {
        all_agree(&json).map_err(TestCaseError::fail)?;
    }
}

/// The schema of reading as the generator writes it for `settings`, with its definitions.
fn schema_under<T: schemars::JsonSchema>(settings: schemars::generate::SchemaSettings) -> Value {
    settings
        .for_deserialize()
        .into_generator()
        .into_root_schema_for::<T>()
        .to_value()
}

/// Draft-07 (`SchemaSettings::draft07()`) has `propertyNames` too, and says the same;
/// OpenAPI 3.0 (`SchemaSettings::openapi3()`) has none, and the keys that a `char` reads go
/// unsaid there, while those that an integer reads, none, are `"additionalProperties": false`.
#[test]
fn each_dialect_says_the_keys_it_can() {
    use schemars::generate::SchemaSettings;

    let draft_07 = Validator::new(schema_under::<CharTagsPatch>(SchemaSettings::draft07()));
    assert!(!draft_07.accepts(&json!({"ab": 1})));
    assert!(draft_07.accepts(&json!({"a": 1, "id": 2})));
    let draft_07 = Validator::new(schema_under::<OverLetteredPatch>(SchemaSettings::draft07()));
    assert!(!draft_07.accepts(&json!({"zz": "a"})));
    assert!(draft_07.accepts(&json!({"z": "a", "x": 1})));

    let char_tags = schema_under::<CharTagsPatch>(SchemaSettings::openapi3());
    assert!(
        !char_tags.to_string().contains("propertyNames"),
        "{char_tags}"
    );
    let numbered = schema_under::<OverNumberedPatch>(SchemaSettings::openapi3());
    assert!(
        !numbered.to_string().contains("propertyNames"),
        "{numbered}"
    );
    assert_eq!(numbered["additionalProperties"], false, "{numbered}");
}
