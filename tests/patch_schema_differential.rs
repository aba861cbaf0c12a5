//! The patch's JSON Schema against serde as the oracle (feature `schemars`): for models with
//! every field kind, JSON documents near the boundary (nulls at every depth, wrong types,
//! unknown keys, a name with its alias, integers out of the field type's range, floats and
//! strings for numbers) are accepted by the schema (`boon`, JSON Schema 2020-12) exactly when
//! `serde_json::from_value` reads them into the patch; every patch serde writes validates
//! against the schema of writing.

use std::collections::{BTreeMap, HashMap};

use proptest::prelude::*;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use sparse_patch::Patchable;

#[path = "support/json_schema.rs"]
mod json_schema;
use json_schema::{Validator, schema_of};

#[derive(Patchable, Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Inner {
    pub a: String,
    pub b: Option<u8>,
}

#[derive(Patchable, Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Strict {
    pub s: i16,
}

#[derive(Patchable, Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Flat {
    #[serde(alias = "fx")]
    pub f: Option<String>,
    #[patchable(nested)]
    pub fi: Inner,
}

/// Numbers of every width.
#[derive(Patchable, Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Numbers {
    pub u8: u8,
    pub i8: i8,
    pub u16: u16,
    pub i16: i16,
    pub u32: u32,
    pub i32: i32,
    pub u64: u64,
    pub i64: i64,
    pub u128: u128,
    pub i128: i128,
    pub usize: usize,
    pub isize: isize,
    pub f32: f32,
    pub f64: f64,
    pub ou32: Option<u32>,
    pub vu16: Vec<u16>,
    pub mu32: BTreeMap<String, u32>,
}

/// Every structural kind.
#[derive(Patchable, Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Kinds {
    pub req: String,
    pub opt: Option<bool>,
    #[patchable(nested)]
    pub nested: Inner,
    #[patchable(nested)]
    pub maybe_nested: Option<Inner>,
    #[patchable(nested)]
    pub strict: Strict,
    #[serde(flatten)]
    #[patchable(nested)]
    pub flat: Flat,
    pub map: HashMap<String, String>,
    pub value: Value,
    pub maybe_value: Option<Value>,
    pub object: serde_json::Map<String, Value>,
    #[serde(alias = "al", alias = "al2")]
    pub aliased: Option<String>,
    #[serde(default)]
    pub defaulted: Vec<String>,
    #[serde(skip_serializing)]
    pub not_written: Option<String>,
    #[serde(skip_deserializing)]
    pub not_read: String,
    #[serde(skip)]
    pub skipped: String,
    #[patchable(key = "a")]
    pub keyed: Vec<Value>,
}

#[derive(Patchable, Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Denying {
    pub x: Option<u8>,
    #[serde(flatten)]
    pub rest: BTreeMap<String, String>,
}

#[derive(Patchable, Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FlatMap {
    pub x: Option<u8>,
    #[serde(flatten)]
    pub rest: BTreeMap<String, u16>,
}

#[derive(Patchable, Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Generic<T> {
    pub t: T,
    pub ot: Option<T>,
    #[patchable(nested)]
    pub inner: Inner,
}

#[derive(Patchable, Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct HoldsGeneric {
    #[patchable(nested)]
    pub g: Generic<u8>,
    #[patchable(nested)]
    pub h: Option<Generic<String>>,
}

/// A transparent newtype as a member.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Meters(pub u16);

impl schemars::JsonSchema for Meters {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Meters".into()
    }
    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        u16::json_schema(generator)
    }
}

#[derive(Patchable, Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WithNewtype {
    pub m: Meters,
    pub om: Option<Meters>,
}

fn reads<T: serde::de::DeserializeOwned>(json: &Value) -> bool {
    serde_json::from_value::<T>(json.clone()).is_ok()
}

use json_schema::validator_of;

fn agree<T: schemars::JsonSchema + serde::de::DeserializeOwned + Serialize + 'static>(
    json: &Value,
) -> Result<(), String> {
    let validator = validator_of::<T>(false);
    let read = serde_json::from_value::<T>(json.clone());
    let serde = read.is_ok();
    let schema = validator.accepts(json);
    // A whole float is the inherent mismatch one way only (see
    // `a_whole_float_for_an_integer_is_refused_by_serde_alone`): what serde reads, the schema
    // must still accept.
    let mismatch = if has_whole_float(json) {
        serde && !schema
    } else {
        serde != schema
    };
    if mismatch {
        return Err(format!(
            "{}: serde reads {serde}, schema accepts {schema}: {json}",
            std::any::type_name::<T>()
        ));
    }
    // What serde read, it writes as the schema of writing says; but a float past `f32::MAX`
    // (`1e39`, `1e300`) is read into an `f32` as an infinity, which serde_json writes as
    // `null` (README, "Limits": the crate's senders refuse such a patch).
    if let Some(patch) = read.ok().filter(|_| !has_float_past_f32(json)) {
        let written = serde_json::to_value(&patch).map_err(|error| error.to_string())?;
        if !validator_of::<T>(true).accepts(&written) {
            return Err(format!(
                "{}: written {written} (read from {json}) does not validate",
                std::any::type_name::<T>()
            ));
        }
    }
    Ok(())
}

/// Values near every boundary.
fn leaf() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        prop::sample::select(vec![
            json!(0),
            json!(1),
            json!(-1),
            json!(255),
            json!(256),
            json!(-128),
            json!(-129),
            json!(127),
            json!(128),
            json!(32767),
            json!(32768),
            json!(-32768),
            json!(-32769),
            json!(65535),
            json!(65536),
            json!(i32::MAX),
            json!(i64::from(i32::MAX) + 1),
            json!(i32::MIN),
            json!(i64::from(i32::MIN) - 1),
            json!(u32::MAX),
            json!(u64::from(u32::MAX) + 1),
            json!(i64::MAX),
            json!(i64::MIN),
            // Past `i64::MAX` by more than a float's step there: `boon` compares numbers as
            // `f64`, so one past it is the same number to it.
            json!(i64::MAX as u64 + 4096),
            json!(u64::MAX),
            json!(1.5),
            json!(-0.5),
            json!(1e300),
            json!(-1e300),
            json!(1e39),
            json!("1"),
            json!(""),
            json!("x"),
            json!([]),
            json!({}),
        ]),
    ]
}

fn json_value(keys: Vec<&'static str>) -> impl Strategy<Value = Value> {
    leaf().prop_recursive(3, 16, 4, move |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..3).prop_map(Value::from),
            prop::collection::btree_map(prop::sample::select(keys.clone()), inner, 0..4).prop_map(
                |map| Value::Object(map.into_iter().map(|(k, v)| (k.to_owned(), v)).collect())
            ),
        ]
    })
}

/// Whether `json` holds a float without a fractional part (`1.0`, `1e300`): an integer to JSON
/// Schema, a float to serde.
fn has_whole_float(json: &Value) -> bool {
    match json {
        Value::Number(number) => {
            number.is_f64() && number.as_f64().is_some_and(|f| f.fract() == 0.0)
        }
        Value::Array(items) => items.iter().any(has_whole_float),
        Value::Object(members) => members.values().any(has_whole_float),
        _ => false,
    }
}

/// Whether `json` holds a float beyond the largest `f32` (`1e39`, `-1e300`).
fn has_float_past_f32(json: &Value) -> bool {
    match json {
        Value::Number(number) => {
            number.is_f64()
                && number
                    .as_f64()
                    .is_some_and(|f| f.abs() > f64::from(f32::MAX))
        }
        Value::Array(items) => items.iter().any(has_float_past_f32),
        Value::Object(members) => members.values().any(has_float_past_f32),
        _ => false,
    }
}

/// An object of few keys, mostly with leaves, so that one wrong value is not hidden by another.
fn object(keys: Vec<&'static str>) -> impl Strategy<Value = Value> {
    let value = prop_oneof![3 => leaf(), 1 => json_value(keys.clone())];
    prop::collection::btree_map(prop::sample::select(keys), value, 0..3)
        .prop_map(|map| Value::Object(map.into_iter().map(|(k, v)| (k.to_owned(), v)).collect()))
}

const KINDS_KEYS: &[&str] = &[
    "req",
    "opt",
    "nested",
    "maybeNested",
    "strict",
    "f",
    "fx",
    "fi",
    "map",
    "value",
    "maybeValue",
    "object",
    "aliased",
    "al",
    "al2",
    "defaulted",
    "notWritten",
    "notRead",
    "skipped",
    "keyed",
    "a",
    "b",
    "s",
    "other",
];
const NUMBER_KEYS: &[&str] = &[
    "u8", "i8", "u16", "i16", "u32", "i32", "u64", "i64", "u128", "i128", "usize", "isize", "f32",
    "f64", "ou32", "vu16", "mu32", "k",
];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn kinds(json in object(KINDS_KEYS.to_vec())) {
        agree::<KindsPatch>(&json).map_err(TestCaseError::fail)?;
    }

    #[test]
    fn numbers(json in object(NUMBER_KEYS.to_vec())) {
        agree::<NumbersPatch>(&json).map_err(TestCaseError::fail)?;
    }

    #[test]
    fn flattened_maps(json in object(vec!["x", "rest", "k", "l"])) {
        agree::<DenyingPatch>(&json).map_err(TestCaseError::fail)?;
        agree::<FlatMapPatch>(&json).map_err(TestCaseError::fail)?;
    }

    #[test]
    fn generics_and_newtypes(json in object(vec!["g", "h", "t", "ot", "inner", "a", "b", "m", "om", "z"])) {
        agree::<HoldsGenericPatch>(&json).map_err(TestCaseError::fail)?;
        agree::<GenericPatch<u8>>(&json).map_err(TestCaseError::fail)?;
        agree::<WithNewtypePatch>(&json).map_err(TestCaseError::fail)?;
    }
}

/// A key that the patch never writes (`skip_serializing`) is no property of the schema of
/// writing (an OpenAPI response would list an attribute that never comes), and one that it
/// never reads (`skip_deserializing`) none of the schema of reading.
#[test]
fn a_key_is_a_property_in_the_directions_serde_uses_it() {
    let writing = schema_of::<KindsPatch>(true);
    let reading = schema_of::<KindsPatch>(false);
    assert!(
        writing["properties"].get("notWritten").is_none(),
        "{writing:#}"
    );
    assert!(
        reading["properties"].get("notWritten").is_some(),
        "{reading:#}"
    );
    assert!(
        reading["properties"].get("notRead").is_none(),
        "{reading:#}"
    );
    assert!(
        writing["properties"].get("notRead").is_some(),
        "{writing:#}"
    );
}

/// Each use of a generic patch has its own parameters' schema: `GenericPatch<u8>` and
/// `GenericPatch<String>` have one Rust name in one module, so one named definition of the
/// two would give the second the first one's `t`.
#[test]
fn each_use_of_a_generic_patch_has_its_parameters_schema() {
    let both = json!({"g": {"t": 7, "ot": null}, "h": {"t": "seven", "ot": "eight"}});
    assert!(reads::<HoldsGenericPatch>(&both));
    agree::<HoldsGenericPatch>(&both).unwrap();
    for case in [
        json!({"g": {"t": "seven"}}),
        json!({"h": {"t": 7}}),
        json!({"h": {"ot": 300}}),
        json!({"g": {"ot": 300}}),
    ] {
        assert!(!reads::<HoldsGenericPatch>(&case), "{case}");
        agree::<HoldsGenericPatch>(&case).unwrap();
    }
}

/// Integers out of the range of the field's type: serde refuses them, and the schema states the
/// range of every integer type (schemars states that of `i32`, `u32`, 64- and 128-bit types and
/// `usize`/`isize` by `format` alone, which validators do not enforce), at every depth.
#[test]
fn an_integer_out_of_the_field_types_range_is_refused() {
    for case in [
        json!({"u32": 4_294_967_296_u64}),
        json!({"i32": 2_147_483_648_u64}),
        json!({"i32": -2_147_483_649_i64}),
        json!({"u32": -1}),
        json!({"i64": i64::MAX as u64 + 4096}),
        json!({"usize": -1}),
        json!({"isize": u64::MAX}),
        json!({"ou32": 4_294_967_296_u64}),
        json!({"vu16": [65536]}),
        json!({"mu32": {"k": 4_294_967_296_u64}}),
        json!({"u128": -1}),
        json!({"i128": 1e39}),
    ] {
        agree::<NumbersPatch>(&case).unwrap();
        assert!(!reads::<NumbersPatch>(&case), "{case}");
    }
    for case in [
        json!({"u32": u32::MAX, "i32": i32::MIN, "u64": u64::MAX, "i64": i64::MIN}),
        json!({"u128": u64::MAX, "i128": i64::MIN, "usize": u64::MAX, "isize": i64::MAX}),
        json!({"ou32": null, "mu32": {"k": u32::MAX, "l": null}}),
    ] {
        agree::<NumbersPatch>(&case).unwrap();
        assert!(reads::<NumbersPatch>(&case), "{case}");
    }
    // A flattened map's values, as the parent's other keys.
    for case in [json!({"k": 65536}), json!({"k": 65535})] {
        agree::<FlatMapPatch>(&case).unwrap();
    }
    // The 128-bit ranges, which a float states exactly, read from text as serde does.
    let schema = schema_of::<NumbersPatch>(false);
    assert_eq!(
        schema["properties"]["u128"]["exclusiveMaximum"],
        json!(2f64.powi(128))
    );
    assert_eq!(
        schema["properties"]["i128"]["minimum"],
        json!(-(2f64.powi(127)))
    );
    assert_eq!(schema["properties"]["i64"]["maximum"], json!(i64::MAX));
    assert_eq!(schema["properties"]["u64"]["maximum"], json!(u64::MAX));
}

/// JSON Schema cannot tell `1.0` from `1` (2020-12 Validation §6.1.1: a number with a zero
/// fractional part is an `integer`), while serde reads a float into no integer type: the
/// schema accepts `1.0` (or `1e2`) for an integer field, which serde refuses. The README's
/// schema section says so.
#[test]
fn a_whole_float_for_an_integer_is_refused_by_serde_alone() {
    let validator = Validator::new(schema_of::<NumbersPatch>(false));
    for case in [
        json!({"u8": 1.0}),
        json!({"u64": 1e2}),
        json!({"vu16": [2.0]}),
    ] {
        assert!(validator.accepts(&case), "{case}");
        assert!(!reads::<NumbersPatch>(&case), "{case}");
    }
}

const USER_KEYS: &[&str] = &[
    "username",
    "email",
    "name",
    "address",
    "photo",
    "nickname",
    "title",
    "type",
    "externalId",
    "locale",
    "preferredLanguage",
    "timezone",
    "mobilePhone",
    "primaryPhone",
    "id",
    "_links",
    "links",
    "enabled",
    "population",
    "given",
    "family",
    "honorificPrefix",
    "href",
    "streetAddress",
    "countryCode",
    "custom",
    "x",
];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// PingOne's `UserPatch`: its nested patches, its flattened custom attributes, the keys
    /// of attributes it cannot send.
    #[test]
    fn pingone_user_patch(json in object(USER_KEYS.to_vec())) {
        agree::<sparse_patch::pingone::UserPatch>(&json).map_err(TestCaseError::fail)?;
    }
}

#[derive(Patchable, Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Keys {
    pub by_u8: BTreeMap<u8, String>,
    pub by_i32: HashMap<i32, String>,
    pub by_bool: BTreeMap<bool, String>,
    pub by_char: BTreeMap<char, String>,
    pub by_i8: BTreeMap<i8, String>,
    pub by_u64: BTreeMap<u64, String>,
    pub by_i128: BTreeMap<i128, String>,
    pub maybe_by_u16: Option<BTreeMap<u16, String>>,
}

/// Map keys that serde reads into the key type from a string, or does not.
fn map_key() -> impl Strategy<Value = &'static str> {
    prop::sample::select(vec![
        "0",
        "1",
        "9",
        "10",
        "127",
        "128",
        "-128",
        "-129",
        "255",
        "256",
        "-1",
        "-0",
        "01",
        "+1",
        "1.0",
        "1e2",
        " 1",
        "2147483647",
        "2147483648",
        "-2147483648",
        "-2147483649",
        "4294967295",
        "4294967296",
        "18446744073709551615",
        "18446744073709551616",
        "true",
        "false",
        "True",
        "x",
        "ab",
        "\u{e9}",
        "",
    ])
}

fn keyed_object() -> impl Strategy<Value = Value> {
    prop::collection::btree_map(
        prop::sample::select(vec!["by_u8", "by_i8", "by_i32", "by_u64", "by_i128", "by_bool", "by_char", "maybe_by_u16"]),
        prop_oneof![
            1 => Just(Value::Null),
            6 => prop::collection::btree_map(map_key(), prop_oneof![Just(json!("v")), Just(Value::Null), Just(json!(1))], 0..3)
                .prop_map(|map| Value::Object(map.into_iter().map(|(k, v)| (k.to_owned(), v)).collect())),
        ],
        0..3,
    )
    .prop_map(|map| Value::Object(map.into_iter().map(|(k, v)| (k.to_owned(), v)).collect()))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// A map's keys: the schema accepts a key exactly when serde reads it into the key type.
    #[test]
    fn map_keys(json in keyed_object()) {
        agree::<KeysPatch>(&json).map_err(TestCaseError::fail)?;
    }
}

#[test]
fn a_map_key_out_of_the_key_types_reading_is_refused() {
    for case in [
        json!({"by_u8": {"256": "a"}}),
        json!({"by_u8": {"01": "a"}}),
        json!({"by_u8": {"-0": "a"}}),
        json!({"by_i32": {"2147483648": "b"}}),
        json!({"by_i8": {"-129": "b"}}),
        json!({"by_bool": {"x": "a"}}),
        json!({"by_char": {"ab": "a"}}),
        json!({"maybe_by_u16": {"65536": "a"}}),
    ] {
        agree::<KeysPatch>(&case).unwrap();
        assert!(!reads::<KeysPatch>(&case), "{case}");
    }
    for case in [
        json!({"by_u8": {"255": "a", "0": null}}),
        json!({"by_i8": {"-128": "a", "127": null}}),
        json!({"by_i32": {"-2147483648": "a", "2147483647": "b"}}),
        json!({"by_u64": {"18446744073709551615": "a"}}),
        json!({"by_i128": {"-170141183460469231731687303715884105728": "a"}}),
        json!({"by_i128": {"-0": "a", "170141183460469231731687303715884105727": null}}),
        json!({"by_bool": {"true": "a", "false": null}}),
        json!({"by_char": {"\u{e9}": "a"}}),
        json!({"maybe_by_u16": null}),
        json!({"maybe_by_u16": {"65535": "a"}}),
    ] {
        agree::<KeysPatch>(&case).unwrap();
        assert!(reads::<KeysPatch>(&case), "{case}");
    }
}

mod number_as_text {
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(value: &u32, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&value.to_string())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<u32, D::Error> {
        String::deserialize(deserializer)?
            .parse()
            .map_err(serde::de::Error::custom)
    }
}

fn lenient<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<u8, D::Error> {
    let value = Value::deserialize(deserializer)?;
    value
        .as_u64()
        .and_then(|number| u8::try_from(number).ok())
        .ok_or_else(|| serde::de::Error::custom("not a u8"))
}

#[derive(Patchable, Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Deep {
    pub d: Option<i8>,
}

#[derive(Patchable, Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Middle {
    pub m: u8,
    #[serde(flatten)]
    #[patchable(nested)]
    pub deep: Deep,
}

#[derive(Patchable, Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub struct Serdeish {
    #[serde(with = "number_as_text")]
    pub as_text: u32,
    #[serde(deserialize_with = "lenient")]
    pub lenient: u8,
    #[serde(rename(serialize = "out", deserialize = "in"))]
    pub split: Option<u16>,
    #[serde(flatten)]
    #[patchable(nested)]
    pub middle: Middle,
    pub maybe_map: Option<BTreeMap<String, i8>>,
    pub r#loop: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sparse: Option<String>,
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// The user's serde functions, a rename per direction, a flattened struct in a flattened
    /// struct, a nullable map, a raw identifier.
    #[test]
    fn serde_attributes(json in object(vec!["in", "out", "SPLIT", "m", "d", "M", "D", "MAYBE_MAP", "LOOP", "SPARSE", "k"])) {
        agree::<SerdeishPatch>(&json).map_err(TestCaseError::fail)?;
    }

    /// A field that the user's functions read accepts any JSON in the schema (README: only
    /// they know its shape), so the schema accepts all that serde reads, and more.
    #[test]
    fn the_users_functions_read_within_the_schema(json in object(vec!["AS_TEXT", "LENIENT", "in", "k"])) {
        if reads::<SerdeishPatch>(&json) {
            prop_assert!(validator_of::<SerdeishPatch>(false).accepts(&json), "{}", json);
            let written = serde_json::to_value(serde_json::from_value::<SerdeishPatch>(json).unwrap()).unwrap();
            prop_assert!(validator_of::<SerdeishPatch>(true).accepts(&written), "{}", written);
        }
    }
}

type MaybeByU8 = Option<BTreeMap<u8, String>>;

#[derive(Patchable, Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AliasedMap {
    #[patchable(nullable)]
    pub keyed: MaybeByU8,
}

/// A map that the derive does not see (behind an alias, inside a `Vec`, in a plain field) is
/// replaced whole, and its schema is schemars' own: its keys are schemars' (`^\d+$` for a
/// `u8`), which take `256`, which serde refuses. The README says so.
#[test]
fn a_map_the_derive_does_not_see_keeps_schemars_keys() {
    for case in [
        json!({"keyed": null}),
        json!({"keyed": {"255": "a"}}),
        json!({"keyed": {"x": "a"}}),
        json!({"keyed": 1}),
    ] {
        agree::<AliasedMapPatch>(&case).unwrap();
    }
    let case = json!({"keyed": {"256": "a"}});
    assert!(validator_of::<AliasedMapPatch>(false).accepts(&case));
    assert!(!reads::<AliasedMapPatch>(&case));
}

/// A unit enum as map keys (a Stripe-like `HashMap<Interval, Price>`), its schema in the
/// shapes that schemars' derive and a hand-written impl give it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Interval {
    Month,
    Year,
}

macro_rules! interval_schema {
    ($name:ident, $schema:tt) => {
        #[derive(
            Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
        )]
        #[serde(transparent)]
        pub struct $name(Interval);

        impl schemars::JsonSchema for $name {
            fn schema_name() -> std::borrow::Cow<'static, str> {
                stringify!($name).into()
            }
            fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
                schemars::json_schema!($schema)
            }
        }
    };
}

// schemars' derive of a unit enum.
interval_schema!(Typed, {"type": "string", "enum": ["month", "year"]});
// schemars' derive of a unit enum whose variants have doc comments.
interval_schema!(Documented, {"oneOf": [
    {"type": "string", "const": "month", "description": "Monthly."},
    {"type": "string", "const": "year", "description": "Yearly."}
]});
// A hand-written schema.
interval_schema!(Listed, {"enum": ["month", "year"]});

#[derive(Patchable, Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EnumKeys {
    pub typed: BTreeMap<Typed, String>,
    pub documented: HashMap<Documented, String>,
    pub listed: Option<BTreeMap<Listed, String>>,
}

#[test]
fn an_enum_key_is_one_of_its_variants_names() {
    for map in ["typed", "documented", "listed"] {
        let unknown = json!({map: {"week": "a"}});
        agree::<EnumKeysPatch>(&unknown).unwrap();
        assert!(!reads::<EnumKeysPatch>(&unknown), "{unknown}");
        let known = json!({map: {"month": "a", "year": null}});
        agree::<EnumKeysPatch>(&known).unwrap();
        assert!(reads::<EnumKeysPatch>(&known), "{known}");
    }
}

/// Sets: serde reads an array with repeated elements into a `HashSet` or `BTreeSet`, keeping
/// one (serde-rs/serde#913, "duplicate entries are silently discarded", closed as intended),
/// while schemars describes a set with `"uniqueItems": true` (GREsau/schemars#64), which a
/// validator enforces.
#[derive(Patchable, Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Sets {
    pub hs: std::collections::HashSet<u8>,
    pub bs: Option<std::collections::BTreeSet<String>>,
    pub nested: Vec<std::collections::BTreeSet<u8>>,
    pub by_key: BTreeMap<String, std::collections::HashSet<u16>>,
}

#[test]
fn a_set_is_read_with_repeated_elements_as_serde_reads_it() {
    for case in [
        json!({"hs": [1, 1]}),
        json!({"bs": ["a", "b", "a"]}),
        json!({"nested": [[1, 1], []]}),
        json!({"by_key": {"k": [2, 2], "l": null}}),
    ] {
        assert!(reads::<SetsPatch>(&case), "{case}");
        agree::<SetsPatch>(&case).unwrap();
    }
    // Written, a set holds each element once, and the schema of writing says so.
    assert!(!validator_of::<SetsPatch>(true).accepts(&json!({"hs": [1, 1]})));
    assert!(validator_of::<SetsPatch>(true).accepts(&json!({"hs": [1, 2]})));
    // Out of the element type's range, it is refused still.
    agree::<SetsPatch>(&json!({"hs": [256, 256]})).unwrap();
}

/// A named field type (its schema a `$ref`) whose JSON can be `null`: a unit struct, a
/// transparent newtype over an `Option`, and one over `serde_json::Value`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Marker;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct MaybeCount(pub Option<u8>);

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Anything(pub Value);

macro_rules! named_schema {
    ($name:ident, $of:ty) => {
        impl schemars::JsonSchema for $name {
            fn schema_name() -> std::borrow::Cow<'static, str> {
                stringify!($name).into()
            }
            fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
                <$of>::json_schema(generator)
            }
        }
    };
}

named_schema!(Marker, ());
named_schema!(MaybeCount, Option<u8>);
named_schema!(Anything, Value);

#[derive(Patchable, Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NamedNulls {
    pub marker: Marker,
    pub count: MaybeCount,
    pub any: Anything,
    pub maybe_marker: Option<Marker>,
}

#[test]
fn a_required_attribute_of_a_named_type_whose_json_can_be_null_refuses_null() {
    for key in ["marker", "count", "any"] {
        let case = json!({key: null});
        assert!(!reads::<NamedNullsPatch>(&case), "{case}");
        agree::<NamedNullsPatch>(&case).unwrap();
    }
    for case in [
        json!({"count": 3}),
        json!({"any": {"x": [null]}}),
        json!({"maybe_marker": null}),
    ] {
        assert!(reads::<NamedNullsPatch>(&case), "{case}");
        agree::<NamedNullsPatch>(&case).unwrap();
    }
}

/// A field type whose schema is a `$ref` to another document (a shared schema of the
/// user's, `urn:example:nullable-text`, which takes `null`): the patch cannot read the
/// definition, so a required attribute of it refuses `null` all the same, as serde does.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct SharedText(pub Option<String>);

impl schemars::JsonSchema for SharedText {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "SharedText".into()
    }
    fn inline_schema() -> bool {
        true
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({ "$ref": "urn:example:nullable-text" })
    }
}

#[derive(Patchable, Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct HoldsSharedText {
    pub text: SharedText,
    pub maybe_text: Option<SharedText>,
}

#[test]
fn a_required_attribute_of_another_documents_type_refuses_null() {
    let mut schemas = boon::Schemas::new();
    let mut compiler = boon::Compiler::new();
    compiler
        .add_resource(
            "urn:example:nullable-text",
            json!({ "type": ["string", "null"] }),
        )
        .unwrap();
    compiler
        .add_resource(
            "urn:example:patch",
            schema_of::<HoldsSharedTextPatch>(false),
        )
        .unwrap();
    let index = compiler.compile("urn:example:patch", &mut schemas).unwrap();
    let accepts = |json: &Value| schemas.validate(json, index).is_ok();
    for case in [
        json!({"text": null}),
        json!({"text": 1}),
        json!({"text": "a"}),
        json!({"maybe_text": null}),
        json!({"maybe_text": "a"}),
    ] {
        let read = reads::<HoldsSharedTextPatch>(&case);
        assert_eq!(accepts(&case), read, "{case}: serde reads {read}");
    }
    assert!(!reads::<HoldsSharedTextPatch>(&json!({"text": null})));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// Sets, and named types whose JSON can be `null`.
    #[test]
    fn sets_and_named_nulls(json in object(vec!["hs", "bs", "nested", "by_key", "k", "marker", "count", "any", "maybe_marker"])) {
        agree::<SetsPatch>(&json).map_err(TestCaseError::fail)?;
        agree::<NamedNullsPatch>(&json).map_err(TestCaseError::fail)?;
    }
}

/// Maps keyed by integers, `bool`s and `char`s in a struct flattened into another: serde reads
/// a flattened struct from the parent's buffered entries, whose map keys are strings that it
/// reads into no integer or `bool` key (serde-rs/serde#1183, "flatten with integer keys"; the
/// model refuses them just the same), so there such a map reads no entry; the same struct as
/// a plain nested attribute reads them.
#[derive(Patchable, Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct KeyedInner {
    pub by_u8: BTreeMap<u8, String>,
    pub by_bool: Option<BTreeMap<bool, String>>,
    pub by_char: BTreeMap<char, String>,
    pub by_i16: Vec<BTreeMap<i16, String>>,
}

#[derive(Patchable, Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct KeyedOuter {
    pub x: Option<u8>,
    #[serde(flatten)]
    #[patchable(nested)]
    pub flat: KeyedInner,
    #[patchable(nested)]
    pub direct: KeyedInner,
}

#[test]
fn a_flattened_structs_map_with_integer_keys_reads_no_entry() {
    for case in [
        json!({"by_u8": {"5": "a"}}),
        json!({"by_bool": {"true": "a"}}),
        json!({"by_i16": [{"-1": "a"}]}),
    ] {
        agree::<KeyedOuterPatch>(&case).unwrap();
        assert!(!reads::<KeyedOuterPatch>(&case), "{case}");
        // Read directly, and as a nested attribute beside the flattened one, it is read.
        agree::<KeyedInnerPatch>(&case).unwrap();
        assert!(reads::<KeyedInnerPatch>(&case), "{case}");
        let nested = json!({ "direct": case });
        agree::<KeyedOuterPatch>(&nested).unwrap();
        assert!(reads::<KeyedOuterPatch>(&nested), "{nested}");
    }
    for case in [
        json!({"by_u8": {}, "by_bool": null, "by_i16": [{}]}),
        json!({"by_char": {"c": "a", "d": null}}),
    ] {
        agree::<KeyedOuterPatch>(&case).unwrap();
        assert!(reads::<KeyedOuterPatch>(&case), "{case}");
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// Maps with integer, `bool` and `char` keys, flattened and nested.
    #[test]
    fn flattened_maps_with_typed_keys(json in typed_keys_object()) {
        agree::<KeyedOuterPatch>(&json).map_err(TestCaseError::fail)?;
        agree::<KeyedInnerPatch>(&json).map_err(TestCaseError::fail)?;
    }
}

/// Attributes of `KeyedOuter` and `KeyedInner` whose values are maps (or arrays of maps, or
/// objects of them) with keys that an integer, a `bool` or a `char` reads, or none does.
fn typed_keys_object() -> impl Strategy<Value = Value> {
    let entries = prop::collection::btree_map(
        prop::sample::select(vec!["5", "-1", "256", "true", "c", "cd"]),
        prop_oneof![Just(json!("v")), Just(Value::Null), Just(json!(1))],
        0..3,
    )
    .prop_map(|map| Value::Object(map.into_iter().map(|(k, v)| (k.to_owned(), v)).collect()));
    let keys = prop::sample::select(vec!["x", "by_u8", "by_bool", "by_char", "by_i16", "z"]);
    let inner = prop::collection::btree_map(
        keys.clone(),
        prop_oneof![
            1 => Just(Value::Null),
            4 => entries.clone(),
            2 => prop::collection::vec(entries, 0..3).prop_map(Value::from),
        ],
        0..3,
    )
    .prop_map(|map| Value::Object(map.into_iter().map(|(k, v)| (k.to_owned(), v)).collect()));
    prop_oneof![
        3 => inner.clone(),
        1 => (inner.clone(), inner).prop_map(|(mut outer, direct)| {
            outer["direct"] = direct;
            outer
        }),
    ]
}

/// A float that is not finite has no JSON number: serde_json writes it as `null` (README,
/// "Limits"), outside the schema of writing of a required attribute, and not read back (a
/// nullable attribute's `null` is read back as "clear"). The crate's senders refuse such a
/// patch; the schema cannot say it.
#[test]
fn a_non_finite_float_is_written_outside_the_schema_of_writing() {
    for value in [f32::NAN, f32::INFINITY] {
        let patch = NumbersPatch {
            f32: Some(value),
            ..Default::default()
        };
        let written = serde_json::to_value(&patch).unwrap();
        assert_eq!(written, json!({"f32": null}));
        assert!(!validator_of::<NumbersPatch>(true).accepts(&written));
        assert!(!reads::<NumbersPatch>(&written));
    }
}

/// serde reads a number past `f32`'s range into an `f32` as an infinity: the schema of
/// reading accepts it, as serde reads it, and the patch read writes `null`, outside the
/// schema of writing (the README's schema section says so; it did not).
#[test]
fn a_number_past_f32s_range_is_read_as_an_infinity() {
    for number in [json!(1e39), json!(-1e300)] {
        let json = json!({ "f32": number });
        agree::<NumbersPatch>(&json).unwrap();
        let patch: NumbersPatch = serde_json::from_value(json).unwrap();
        assert!(patch.f32.is_some_and(f32::is_infinite));
        let written = serde_json::to_value(&patch).unwrap();
        assert_eq!(written, json!({"f32": null}));
        assert!(!validator_of::<NumbersPatch>(true).accepts(&written));
    }
}
