//! Named field types read through a flattened struct (feature `schemars`): serde reads a
//! flattened struct from its parent's buffered entries (its `Content`), and so every value
//! below it, a plain field type's at any depth included, whose maps keyed by an integer then
//! read no entry (serde-rs/serde#1183). Such a type's schema is a named definition (a `$ref`)
//! that direct reading shares: the schema of reading refers to a copy of it that reads no
//! integer key there. The values of a flattened map are read from such a buffer too where the
//! struct that flattens it is flattened in turn, or is on serde's derives. The schema of
//! reading (`boon`, JSON Schema 2020-12) accepts a document exactly when
//! `serde_json::from_value` reads it into the patch, and what serde then writes validates
//! against the schema of writing.

use std::borrow::Cow;
use std::collections::BTreeMap;

use proptest::prelude::*;
use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use sparse_patch::Patchable;

#[path = "support/json_schema.rs"]
mod json_schema;
use json_schema::schema_of;

/// A plain type (no patch) with a map keyed by an integer, named as schemars' derive would
/// name it (the tests have no schemars derive: its schema is written as the derive writes it).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Plain {
    pub by_u8: BTreeMap<u8, String>,
}

impl JsonSchema for Plain {
    fn schema_name() -> Cow<'static, str> {
        "Plain".into()
    }
    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        let by_u8 = generator.subschema_for::<BTreeMap<u8, String>>();
        json_schema!({"type": "object", "properties": {"by_u8": by_u8}, "required": ["by_u8"]})
    }
}

/// A named type without integer keys of its own that holds one with them.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Wrapper {
    pub plain: Plain,
}

impl JsonSchema for Wrapper {
    fn schema_name() -> Cow<'static, str> {
        "Wrapper".into()
    }
    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        let plain = generator.subschema_for::<Plain>();
        json_schema!({"type": "object", "properties": {"plain": plain}, "required": ["plain"]})
    }
}

/// A recursive named type with a map keyed by a signed integer.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Tree {
    pub by_i8: BTreeMap<i8, String>,
    pub children: Vec<Tree>,
}

impl JsonSchema for Tree {
    fn schema_name() -> Cow<'static, str> {
        "Tree".into()
    }
    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        let by_i8 = generator.subschema_for::<BTreeMap<i8, String>>();
        let children = generator.subschema_for::<Vec<Tree>>();
        json_schema!({
            "type": "object",
            "properties": {"by_i8": by_i8, "children": children},
            "required": ["by_i8", "children"],
        })
    }
}

/// A named type without integer keys: its definition is shared.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Clean {
    pub s: String,
}

impl JsonSchema for Clean {
    fn schema_name() -> Cow<'static, str> {
        "Clean".into()
    }
    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        let s = generator.subschema_for::<String>();
        json_schema!({"type": "object", "properties": {"s": s}, "required": ["s"]})
    }
}

/// Plain fields of named types.
#[derive(Patchable, Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Named {
    pub plain: Plain,
    pub wrapper: Option<Wrapper>,
    pub trees: Vec<Tree>,
    pub clean: Clean,
}

/// `Named` flattened, and as a plain nested attribute (`direct`), which reads its keys.
#[derive(Patchable, Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OverNamed {
    pub x: Option<u8>,
    #[serde(flatten)]
    #[patchable(nested)]
    pub named: Named,
    #[patchable(nested)]
    pub direct: Named,
}

fn reads<T: serde::de::DeserializeOwned>(json: &Value) -> bool {
    serde_json::from_value::<T>(json.clone()).is_ok()
}

use json_schema::serde_and_schemas_agree as agree;

/// A named field type's definition reached from a flattened struct, at any depth (through
/// another definition, or its own recursion), reads no integer key there: the schema of
/// reading referred to the definition shared with direct reading, which took
/// `{"plain": {"by_u8": {"5": "a"}}}`.
#[test]
fn a_named_type_in_a_flattened_struct_reads_no_integer_key() {
    for case in [
        json!({"plain": {"by_u8": {"5": "a"}}}),
        json!({"wrapper": {"plain": {"by_u8": {"0": "a"}}}}),
        json!({"trees": [{"by_i8": {"-1": "a"}, "children": []}]}),
        json!({"trees": [{"by_i8": {}, "children": [{"by_i8": {"3": "a"}, "children": []}]}]}),
    ] {
        assert!(!reads::<OverNamedPatch>(&case), "{case}");
        agree::<OverNamedPatch>(&case).unwrap();
        // `Named` read directly, or as a plain nested attribute, reads them.
        assert!(reads::<NamedPatch>(&case), "{case}");
        agree::<NamedPatch>(&case).unwrap();
        let direct = json!({ "direct": case });
        assert!(reads::<OverNamedPatch>(&direct), "{direct}");
        agree::<OverNamedPatch>(&direct).unwrap();
    }
    for case in [
        json!({"plain": {"by_u8": {}}, "wrapper": null, "clean": {"s": "a"}}),
        json!({"trees": [{"by_i8": {}, "children": [{"by_i8": {}, "children": []}]}], "x": 1}),
    ] {
        assert!(reads::<OverNamedPatch>(&case), "{case}");
        agree::<OverNamedPatch>(&case).unwrap();
    }
}

/// Direct reading keeps the definitions as they are, and a definition without integer keys
/// is shared by both readings.
#[test]
fn direct_reading_keeps_the_shared_definitions() {
    let schema = schema_of::<OverNamedPatch>(false);
    let definitions = schema["$defs"].as_object().unwrap();
    assert_eq!(
        definitions["Plain"]["properties"]["by_u8"]["patternProperties"][r"^\d+$"]["type"],
        "string",
        "{schema}"
    );
    assert_eq!(
        schema["properties"]["clean"]["$ref"], "#/$defs/Clean",
        "{schema}"
    );
    assert!(
        !definitions
            .keys()
            .any(|name| name.starts_with("Clean") && name != "Clean")
    );
    // The schema of writing has no copy: serde writes what the patch holds.
    let written = schema_of::<OverNamedPatch>(true);
    assert_eq!(
        written["$defs"].as_object().unwrap().len(),
        definitions.len() - 3
    );
    // Under OpenAPI's definitions path too.
    let openapi = schemars::generate::SchemaSettings::openapi3()
        .for_deserialize()
        .into_generator()
        .into_root_schema_for::<OverNamedPatch>()
        .to_value();
    let buffered = &openapi["components"]["schemas"]["Wrapper_buffered"];
    assert_eq!(
        buffered["properties"]["plain"]["$ref"],
        "#/components/schemas/Plain_buffered"
    );
    assert_eq!(
        openapi["properties"]["plain"]["$ref"],
        "#/components/schemas/Plain_buffered"
    );
}

/// Maps with keys that an integer reads, or none does. (Not one out of the key type's range,
/// `"256"` for a `u8`: a named type's own definition takes any digits, which the README
/// says.)
fn entries() -> impl Strategy<Value = Value> + Clone {
    prop::collection::btree_map(
        prop::sample::select(vec!["5", "5", "-1", "0", "c"]),
        prop_oneof![6 => Just(json!("v")), 1 => Just(Value::Null)],
        0..2,
    )
    .prop_map(|map| Value::Object(map.into_iter().map(|(k, v)| (k.to_owned(), v)).collect()))
}

use prop::option::weighted as some;

/// An object of the members of `members` that are there.
fn object_of(members: Vec<(&'static str, Option<Value>)>) -> Value {
    Value::Object(
        members
            .into_iter()
            .filter_map(|(key, value)| Some((key.to_owned(), value?)))
            .collect(),
    )
}

/// A `Tree`, two levels deep at most.
fn tree() -> impl Strategy<Value = Value> + Clone {
    let leaf = entries().prop_map(|by_i8| json!({"by_i8": by_i8, "children": []}));
    (entries(), prop::collection::vec(leaf, 0..2))
        .prop_map(|(by_i8, children)| json!({"by_i8": by_i8, "children": children}))
}

/// Some of `Named`'s attributes.
fn named() -> impl Strategy<Value = Value> + Clone {
    let plain = entries().prop_map(|by_u8| json!({ "by_u8": by_u8 }));
    let wrapper = prop_oneof![
        1 => Just(Value::Null),
        4 => plain.clone().prop_map(|plain| json!({ "plain": plain })),
    ];
    (
        some(0.4, plain),
        some(0.4, wrapper),
        some(
            0.4,
            prop::collection::vec(tree(), 0..2).prop_map(Value::from),
        ),
        some(0.2, Just(json!({"s": "a"}))),
    )
        .prop_map(|(plain, wrapper, trees, clean)| {
            object_of(vec![
                ("plain", plain),
                ("wrapper", wrapper),
                ("trees", trees),
                ("clean", clean),
            ])
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// A document validates against the schema of reading exactly when serde reads it, for
    /// the patch that flattens `Named` (and holds it directly) and for `Named`'s own.
    #[test]
    fn named_types_under_a_flattened_struct(
        named in named(),
        direct in some(0.3, named()),
        x in some(0.3, Just(json!(1))),
    ) {
        agree::<NamedPatch>(&named).map_err(TestCaseError::fail)?;
        let mut outer = named;
        outer["x"] = x.unwrap_or(Value::Null);
        if let Some(direct) = direct {
            outer["direct"] = direct;
        }
        agree::<OverNamedPatch>(&outer).map_err(TestCaseError::fail)?;
    }
}

/// A map of named values flattened into a struct that is flattened in turn.
#[derive(Patchable, Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PlainByName {
    pub x: Option<u8>,
    #[serde(flatten)]
    pub by_name: std::collections::HashMap<String, Plain>,
}

#[derive(Patchable, Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OverPlainByName {
    pub y: Option<u8>,
    #[serde(flatten)]
    #[patchable(nested)]
    pub inner: PlainByName,
}

/// A map of integer-keyed maps flattened into a struct that is flattened in turn.
#[derive(Patchable, Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MapsByName {
    pub x: Option<u8>,
    #[serde(flatten)]
    pub by_name: std::collections::HashMap<String, BTreeMap<u8, String>>,
}

#[derive(Patchable, Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OverMapsByName {
    pub y: Option<u8>,
    #[serde(flatten)]
    #[patchable(nested)]
    pub inner: MapsByName,
}

/// Generic: its patch gets serde's derives, whose `flatten` reads the map from its buffer
/// (README, "Which serde code a patch gets").
#[derive(Patchable, Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GenericMapsByName<T> {
    pub x: Option<T>,
    #[serde(flatten)]
    pub by_name: std::collections::HashMap<String, BTreeMap<u8, String>>,
}

#[derive(Patchable, Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GenericPlainByName<T> {
    pub x: Option<T>,
    #[serde(flatten)]
    pub by_name: std::collections::HashMap<String, Plain>,
}

/// The values of a flattened map are read from a buffer where the struct that flattens it is
/// flattened in turn, or is on serde's derives, and then hold no integer key, directly or
/// through a named definition: the schema took `{"k": {"5": "a"}}` there. The patch's own
/// reader (`PlainByName`, `MapsByName` read directly) reads them.
#[test]
fn a_flattened_maps_values_read_from_a_buffer_hold_no_integer_key() {
    let named = [
        json!({"k": {"by_u8": {"5": "a"}}}),
        json!({"k": {"by_u8": {}}, "x": 1}),
    ];
    let maps = [json!({"k": {"5": "a"}}), json!({"k": {}, "x": 1})];
    for (case, read) in [(&named[0], false), (&named[1], true)] {
        assert!(reads::<PlainByNamePatch>(case), "{case}");
        agree::<PlainByNamePatch>(case).unwrap();
        assert_eq!(reads::<OverPlainByNamePatch>(case), read, "{case}");
        agree::<OverPlainByNamePatch>(case).unwrap();
        assert_eq!(reads::<GenericPlainByNamePatch<u8>>(case), read, "{case}");
        agree::<GenericPlainByNamePatch<u8>>(case).unwrap();
    }
    for (case, read) in [(&maps[0], false), (&maps[1], true)] {
        assert!(reads::<MapsByNamePatch>(case), "{case}");
        agree::<MapsByNamePatch>(case).unwrap();
        assert_eq!(reads::<OverMapsByNamePatch>(case), read, "{case}");
        agree::<OverMapsByNamePatch>(case).unwrap();
        assert_eq!(reads::<GenericMapsByNamePatch<u8>>(case), read, "{case}");
        agree::<GenericMapsByNamePatch<u8>>(case).unwrap();
    }
}

/// Objects of the fields' keys and other keys, whose values are `Plain`s, maps keyed by
/// numbers or not, or numbers.
fn flattened_document() -> impl Strategy<Value = Value> {
    let values = prop_oneof![
        entries(),
        entries().prop_map(|by_u8| json!({ "by_u8": by_u8 })),
        Just(json!(1)),
        Just(Value::Null),
    ];
    prop::collection::btree_map(prop::sample::select(vec!["x", "y", "k", "j"]), values, 0..3)
        .prop_map(|map| Value::Object(map.into_iter().map(|(k, v)| (k.to_owned(), v)).collect()))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// A document validates against each patch's schema of reading exactly when serde reads
    /// it, whether the patch's own reader or serde's buffer reads the flattened map.
    #[test]
    fn flattened_maps_of_named_values(json in flattened_document()) {
        agree::<PlainByNamePatch>(&json).map_err(TestCaseError::fail)?;
        agree::<OverPlainByNamePatch>(&json).map_err(TestCaseError::fail)?;
        agree::<GenericPlainByNamePatch<u8>>(&json).map_err(TestCaseError::fail)?;
        agree::<MapsByNamePatch>(&json).map_err(TestCaseError::fail)?;
        agree::<OverMapsByNamePatch>(&json).map_err(TestCaseError::fail)?;
        agree::<GenericMapsByNamePatch<u8>>(&json).map_err(TestCaseError::fail)?;
    }
}

/// A named type with a 128-bit integer, which serde's buffer does not hold.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Amount {
    pub cents: u128,
}

impl JsonSchema for Amount {
    fn schema_name() -> Cow<'static, str> {
        "Amount".into()
    }
    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        let cents = generator.subschema_for::<u128>();
        json_schema!({"type": "object", "properties": {"cents": cents}, "required": ["cents"]})
    }
}

#[derive(Patchable, Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Priced {
    pub amount: Option<Amount>,
}

#[derive(Patchable, Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OverPriced {
    pub x: Option<u8>,
    #[serde(flatten)]
    #[patchable(nested)]
    pub priced: Priced,
}

/// A named type's `u128` reached from a flattened struct reads no number there (serde's
/// buffer holds no 128-bit integer): the schema of reading referred to the definition shared
/// with direct reading, which took `{"amount": {"cents": 5}}`, and now to `Amount_buffered`.
#[test]
fn a_named_types_128_bit_integer_in_a_flattened_struct_reads_no_number() {
    let case = json!({"amount": {"cents": 5}});
    assert!(!reads::<OverPricedPatch>(&case));
    agree::<OverPricedPatch>(&case).unwrap();
    assert!(reads::<PricedPatch>(&case));
    agree::<PricedPatch>(&case).unwrap();
    let clear = json!({"amount": null, "x": 1});
    assert!(reads::<OverPricedPatch>(&clear));
    agree::<OverPricedPatch>(&clear).unwrap();
    let schema = schema_of::<OverPricedPatch>(false);
    assert_eq!(
        schema["properties"]["amount"]["anyOf"][0]["$ref"], "#/$defs/Amount_buffered",
        "{schema}"
    );
}

/// A type of the user's whose schemars name is that of `Plain`'s copy.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PlainBuffered {
    pub s: String,
}

impl JsonSchema for PlainBuffered {
    fn schema_name() -> Cow<'static, str> {
        "Plain_buffered".into()
    }
    fn schema_id() -> Cow<'static, str> {
        "patch_schema_buffered_definitions::PlainBuffered".into()
    }
    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        let s = generator.subschema_for::<String>();
        json_schema!({"type": "object", "properties": {"s": s}, "required": ["s"]})
    }
}

#[derive(Patchable, Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PlainThenNamesake {
    pub plain: Option<Plain>,
    pub namesake: Option<PlainBuffered>,
}

/// `Plain_buffered` described after the copy of `Plain` (in the flattened struct, and in
/// the parent after it), and before it (`first`).
#[derive(Patchable, Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OverNamesake {
    pub first: Option<PlainBuffered>,
    #[serde(flatten)]
    #[patchable(nested)]
    pub inner: PlainThenNamesake,
    pub after: Option<PlainBuffered>,
}

#[derive(Patchable, Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OverNamesakeAfter {
    #[serde(flatten)]
    #[patchable(nested)]
    pub inner: PlainThenNamesake,
    pub after: Option<PlainBuffered>,
}

/// A type of the user's named `Plain_buffered` keeps its own definition whether schemars
/// describes it before or after the copy of `Plain`, which then takes a number, as schemars
/// numbers two types of one name: described after it, it was the copy (`{"namesake": {"s":
/// "a"}}` refused, `{"namesake": {"by_u8": {}}}` taken).
#[test]
fn a_type_named_as_a_copy_keeps_its_definition() {
    for case in [
        json!({"namesake": {"s": "a"}}),
        json!({"after": {"s": "a"}, "plain": {"by_u8": {}}}),
        json!({"namesake": {"by_u8": {}}}),
        json!({"after": {"by_u8": {}}}),
        json!({"plain": {"by_u8": {"5": "a"}}}),
        json!({"plain": {"s": "a"}}),
    ] {
        agree::<OverNamesakeAfterPatch>(&case).unwrap();
        agree::<OverNamesakePatch>(&case).unwrap();
        let mut first = case.clone();
        first["first"] = json!({"s": "a"});
        agree::<OverNamesakePatch>(&first).unwrap();
    }
    let schema = schema_of::<OverNamesakeAfterPatch>(false);
    assert_eq!(
        schema["properties"]["plain"]["anyOf"][0]["$ref"], "#/$defs/Plain_buffered",
        "{schema}"
    );
    assert_eq!(
        schema["properties"]["after"]["anyOf"][0]["$ref"], "#/$defs/Plain_buffered2",
        "{schema}"
    );
}
