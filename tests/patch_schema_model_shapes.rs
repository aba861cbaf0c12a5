//! The patch's JSON Schema against serde as the oracle, over model shapes that
//! `tests/patch_schema_differential.rs` does not hold (feature `schemars`): each `rename_all`
//! case, `rename_all` per direction, `deny_unknown_fields` (serde's and the patch's) beside
//! skipped and unread fields, pointers (`Box`, `Arc`, `Rc`) to plain values and to nested
//! models, enums of every serde representation as field types, a generic parameter whose JSON
//! can be `null`, maps keyed by integers, `bool`s, `char`s and enums. A document validates
//! against the schema of reading (`boon`, JSON Schema 2020-12) exactly when
//! `serde_json::from_value` reads it into the patch, and what serde then writes validates
//! against the schema of writing.

use std::collections::{BTreeMap, HashMap};
use std::rc::Rc;
use std::sync::Arc;

use proptest::prelude::*;
use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use sparse_patch::Patchable;

#[path = "support/json_schema.rs"]
mod json_schema;
use json_schema::{Validator, schema_of};

#[derive(Patchable, Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Leaf {
    pub n: u8,
    pub o: Option<String>,
}

/// Every serde `rename_all` case but the two of `Cases`.
#[derive(Patchable, Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct Kebab {
    pub first_name: String,
    #[serde(alias = "nick")]
    pub nick_name: Option<String>,
    #[serde(skip_deserializing)]
    pub not_read: String,
    #[serde(skip)]
    pub skipped_one: u8,
    #[serde(skip_serializing)]
    pub not_written: Option<u8>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub sometimes: Option<u16>,
}

#[derive(Patchable, Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all(serialize = "PascalCase", deserialize = "SCREAMING-KEBAB-CASE"))]
#[patchable(deny_unknown_fields)]
pub struct Cases {
    pub user_name: String,
    #[serde(alias = "mail")]
    pub e_mail: Option<String>,
    #[patchable(skip)]
    pub local_only: u8,
    #[serde(skip)]
    pub skipped: u8,
}

/// Pointers to plain values and to nested models.
#[derive(Patchable, Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Pointers {
    pub boxed: Box<u8>,
    pub arc: Arc<String>,
    pub rc: Rc<Vec<i8>>,
    pub maybe_box: Option<Box<i16>>,
    pub shared_text: Arc<str>,
    pub boxed_option: Box<Option<u8>>,
    pub boxed_slice: Box<[u16]>,
    pub cow: std::borrow::Cow<'static, str>,
    #[patchable(nested)]
    pub boxed_leaf: Box<Leaf>,
    #[patchable(nested)]
    pub maybe_arc_leaf: Option<Arc<Leaf>>,
    #[patchable(nested)]
    pub rc_leaf: Rc<Leaf>,
}

/// Externally tagged (serde's default).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum External {
    Unit,
    Newtype(u8),
    Struct { w: u8 },
}

impl JsonSchema for External {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "External".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "oneOf": [
                { "type": "string", "const": "Unit" },
                {
                    "type": "object",
                    "properties": { "Newtype": { "type": "integer", "minimum": 0, "maximum": 255 } },
                    "required": ["Newtype"],
                    "additionalProperties": false
                },
                {
                    "type": "object",
                    "properties": {
                        "Struct": {
                            "type": "object",
                            "properties": { "w": { "type": "integer", "minimum": 0, "maximum": 255 } },
                            "required": ["w"]
                        }
                    },
                    "required": ["Struct"],
                    "additionalProperties": false
                }
            ]
        })
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind")]
pub enum Internal {
    Cat { lives: u8 },
    Dog,
}

impl JsonSchema for Internal {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Internal".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "oneOf": [
                {
                    "type": "object",
                    "properties": {
                        "kind": { "type": "string", "const": "Cat" },
                        "lives": { "type": "integer", "minimum": 0, "maximum": 255 }
                    },
                    "required": ["kind", "lives"]
                },
                {
                    "type": "object",
                    "properties": { "kind": { "type": "string", "const": "Dog" } },
                    "required": ["kind"]
                }
            ]
        })
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "t", content = "c")]
pub enum Adjacent {
    Num(u8),
    Nothing,
}

impl JsonSchema for Adjacent {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Adjacent".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "oneOf": [
                {
                    "type": "object",
                    "properties": {
                        "t": { "type": "string", "const": "Num" },
                        "c": { "type": "integer", "minimum": 0, "maximum": 255 }
                    },
                    "required": ["t", "c"]
                },
                {
                    "type": "object",
                    "properties": { "t": { "type": "string", "const": "Nothing" } },
                    "required": ["t"]
                }
            ]
        })
    }
}

/// Untagged, with a unit variant: serde reads it from `null`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Untagged {
    Nothing,
    Small(u8),
    Text(String),
}

impl JsonSchema for Untagged {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Untagged".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "anyOf": [
                { "type": "null" },
                { "type": "integer", "minimum": 0, "maximum": 255 },
                { "type": "string" }
            ]
        })
    }
}

/// A unit enum: a map key.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Color {
    Red,
    Green,
}

impl JsonSchema for Color {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Color".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({ "type": "string", "enum": ["red", "green"] })
    }
}

#[derive(Patchable, Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Enums {
    pub external: External,
    pub maybe_external: Option<External>,
    pub internal: Internal,
    pub maybe_internal: Option<Internal>,
    pub adjacent: Adjacent,
    pub untagged: Untagged,
    pub maybe_untagged: Option<Untagged>,
    pub untagged_list: Vec<Untagged>,
    pub color: Color,
}

#[derive(Patchable, Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Keys {
    pub by_i64: BTreeMap<i64, u8>,
    pub by_u64: HashMap<u64, u8>,
    pub by_bool: BTreeMap<bool, u8>,
    pub by_char: BTreeMap<char, u8>,
    pub by_color: BTreeMap<Color, u8>,
    pub maybe_by_i8: Option<BTreeMap<i8, String>>,
}

#[derive(Patchable, Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Generic<T> {
    pub t: T,
    pub ot: Option<T>,
}

#[derive(Patchable, Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct HoldsGenerics {
    #[patchable(nested)]
    pub value: Generic<Value>,
    #[patchable(nested)]
    pub untagged: Generic<Untagged>,
    #[patchable(nested)]
    pub number: Generic<u64>,
}

#[derive(Patchable, Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FlatChild {
    #[serde(alias = "cc")]
    pub c: Option<u8>,
    #[patchable(nested)]
    pub leaf: Leaf,
}

#[derive(Patchable, Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Flattens {
    pub top: Option<i64>,
    #[serde(flatten)]
    #[patchable(nested)]
    pub child: FlatChild,
    #[serde(flatten)]
    pub extra: serde_json::Map<String, Value>,
}

thread_local! {
    static DRAFT_07_VALIDATORS: std::cell::RefCell<HashMap<std::any::TypeId, Rc<Validator>>> =
        std::cell::RefCell::default();
}

/// The schema of reading as the generator writes it for draft-07
/// (`SchemaSettings::draft07()`: `definitions`, `dependencies`, no `$ref` siblings), which
/// must say the same.
fn draft_07_validator_of<T: JsonSchema + 'static>() -> Rc<Validator> {
    DRAFT_07_VALIDATORS.with_borrow_mut(|validators| {
        validators
            .entry(std::any::TypeId::of::<T>())
            .or_insert_with(|| {
                let schema = schemars::generate::SchemaSettings::draft07()
                    .for_deserialize()
                    .into_generator()
                    .into_root_schema_for::<T>()
                    .to_value();
                assert_eq!(schema["$schema"], "http://json-schema.org/draft-07/schema#");
                Rc::new(Validator::new(schema))
            })
            .clone()
    })
}

use json_schema::validator_of;

/// Whether `json` holds a float without a fractional part: an integer to JSON Schema, a
/// float to serde (README, "What JSON Schema cannot say").
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

fn agree<T: JsonSchema + serde::de::DeserializeOwned + Serialize + 'static>(
    json: &Value,
) -> Result<(), String> {
    let read = serde_json::from_value::<T>(json.clone());
    let serde = read.is_ok();
    // The patch read from text, as a server reads it, agrees with the patch read from a
    // `Value`.
    if serde_json::from_str::<T>(&json.to_string()).is_ok() != serde {
        return Err(format!(
            "{}: from_value reads {serde}, from_str the other: {json}",
            std::any::type_name::<T>()
        ));
    }
    let schema = validator_of::<T>(false).accepts(json);
    if draft_07_validator_of::<T>().accepts(json) != schema {
        return Err(format!(
            "{}: the draft-07 schema says {}, the 2020-12 one {schema}: {json}",
            std::any::type_name::<T>(),
            !schema
        ));
    }
    let mismatch = if has_whole_float(json) {
        serde && !schema
    } else {
        serde != schema
    };
    if mismatch {
        return Err(format!(
            "{}: serde reads {serde} ({:?}), schema accepts {schema}: {json}\nschema: {}",
            std::any::type_name::<T>(),
            read.as_ref().err(),
            schema_of::<T>(false)
        ));
    }
    if let Ok(patch) = read {
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

fn leaf() -> impl Strategy<Value = Value> {
    prop::sample::select(vec![
        Value::Null,
        json!(true),
        json!(0),
        json!(1),
        json!(-1),
        json!(255),
        json!(256),
        json!(-129),
        json!(i64::MIN),
        json!(i64::MAX),
        json!(u64::MAX),
        json!(1.5),
        json!(""),
        json!("x"),
        json!("Unit"),
        json!("Dog"),
        json!("red"),
        json!([]),
        json!([null, 1, "a"]),
        json!({}),
        json!({"Newtype": 3}),
        json!({"Struct": {"w": 1}}),
        json!({"kind": "Cat", "lives": 9}),
        json!({"kind": "Dog"}),
        json!({"t": "Num", "c": 2}),
        json!({"t": "Nothing"}),
        json!({"n": 1}),
        json!({"o": null}),
        json!({"1": 1, "-1": null}),
        json!({"true": 1}),
        json!({"a": 2}),
        json!({"red": null, "green": 1}),
        json!({"18446744073709551615": 1}),
        json!({"-9223372036854775808": 1}),
        json!({"01": 1}),
    ])
}

fn object(keys: &'static [&'static str]) -> impl Strategy<Value = Value> {
    let value = prop_oneof![
        4 => leaf(),
        1 => prop::collection::btree_map(prop::sample::select(keys), leaf(), 0..3)
            .prop_map(|map| Value::Object(map.into_iter().map(|(k, v)| (k.to_owned(), v)).collect())),
    ];
    prop::collection::btree_map(prop::sample::select(keys), value, 0..4)
        .prop_map(|map| Value::Object(map.into_iter().map(|(k, v)| (k.to_owned(), v)).collect()))
}

const KEBAB_KEYS: &[&str] = &[
    "first-name",
    "nick-name",
    "nick",
    "not-read",
    "skipped-one",
    "not-written",
    "sometimes",
    "first_name",
    "other",
];
const CASES_KEYS: &[&str] = &[
    "USER-NAME",
    "E-MAIL",
    "mail",
    "UserName",
    "EMail",
    "LOCAL-ONLY",
    "SKIPPED",
    "other",
];
const POINTER_KEYS: &[&str] = &[
    "boxed",
    "arc",
    "rc",
    "maybe_box",
    "shared_text",
    "boxed_option",
    "boxed_slice",
    "cow",
    "boxed_leaf",
    "maybe_arc_leaf",
    "rc_leaf",
    "n",
    "o",
];
const ENUM_KEYS: &[&str] = &[
    "external",
    "maybeExternal",
    "internal",
    "maybeInternal",
    "adjacent",
    "untagged",
    "maybeUntagged",
    "untaggedList",
    "color",
    "kind",
    "lives",
];
const MAP_KEYS: &[&str] = &[
    "by_i64",
    "by_u64",
    "by_bool",
    "by_char",
    "by_color",
    "maybe_by_i8",
    "1",
    "true",
];
const GENERIC_KEYS: &[&str] = &["value", "untagged", "number", "t", "ot"];
const FLATTEN_KEYS: &[&str] = &["top", "c", "cc", "leaf", "n", "o", "other"];

/// Models where two fields name one key. serde's derive warns of the later name or alias
/// (`unreachable pattern`): that is the point here.
#[allow(unreachable_patterns)]
mod clashes {
    use std::collections::BTreeMap;

    use serde::{Deserialize, Serialize};
    use sparse_patch::Patchable;

    /// A key that two fields name, by a name and an alias: serde reads it into the first field
    /// that names it (its derive warns of the later one's `unreachable pattern`), which the
    /// schema's property must describe, and it is no duplicate of the later field's other keys.
    #[derive(Patchable, Clone, Debug, PartialEq, Serialize, Deserialize)]
    pub struct AliasAfterName {
        pub a: Option<u8>,
        #[serde(alias = "a", alias = "bb")]
        #[deprecated]
        pub b: Option<String>,
    }

    #[derive(Patchable, Clone, Debug, PartialEq, Serialize, Deserialize)]
    pub struct AliasBeforeName {
        #[serde(alias = "a")]
        pub b: Option<String>,
        pub a: Option<u8>,
    }

    #[derive(Patchable, Clone, Debug, PartialEq, Serialize, Deserialize)]
    pub struct FirstFlat {
        pub x: Option<u8>,
    }

    #[derive(Patchable, Clone, Debug, PartialEq, Serialize, Deserialize)]
    pub struct SecondFlat {
        #[serde(alias = "x", alias = "yy")]
        pub y: Option<String>,
    }

    /// Two flattened structs that name one key: serde hands it to the first.
    #[derive(Patchable, Clone, Debug, PartialEq, Serialize, Deserialize)]
    pub struct FlatFirstNames {
        #[serde(flatten)]
        #[patchable(nested)]
        pub first: FirstFlat,
        #[serde(flatten)]
        #[patchable(nested)]
        pub second: SecondFlat,
    }

    #[derive(Patchable, Clone, Debug, PartialEq, Serialize, Deserialize)]
    pub struct FlatSecondNames {
        #[serde(flatten)]
        #[patchable(nested)]
        pub second: SecondFlat,
        #[serde(flatten)]
        #[patchable(nested)]
        pub first: FirstFlat,
    }

    /// A read-only field whose alias is a patched field's name, beside a flattened map (whose
    /// patch reads and drops the read-only keys): the key is the patched field's, in either order.
    #[derive(Patchable, Clone, Debug, PartialEq, Serialize, Deserialize)]
    pub struct ReadOnlyAliasFirst {
        #[patchable(skip)]
        #[serde(alias = "x")]
        pub id: u64,
        pub x: Option<String>,
        #[serde(flatten)]
        pub rest: BTreeMap<String, u16>,
    }

    #[derive(Patchable, Clone, Debug, PartialEq, Serialize, Deserialize)]
    pub struct ReadOnlyAliasLast {
        pub x: Option<String>,
        #[patchable(skip)]
        #[serde(alias = "x", alias = "ident")]
        pub id: u64,
        #[serde(flatten)]
        pub rest: BTreeMap<String, u16>,
    }
}
use clashes::*;

#[derive(Patchable, Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct HoldsMap {
    pub p: Option<u8>,
    #[serde(flatten)]
    pub m: BTreeMap<String, u16>,
}

#[derive(Patchable, Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Sibling {
    pub y: Option<String>,
    pub q: Option<u16>,
    #[serde(skip)]
    pub id: String,
}

/// A flattened struct that flattens a map of its own is read from every key left (serde
/// reads it as a map, which takes none), so its map reads the keys of a flattened struct
/// after it too; before it, that struct has taken its keys.
#[derive(Patchable, Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MapChildFirst {
    #[serde(flatten)]
    #[patchable(nested)]
    pub holds: HoldsMap,
    #[serde(flatten)]
    #[patchable(nested)]
    pub sibling: Sibling,
}

#[derive(Patchable, Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MapChildLast {
    #[serde(flatten)]
    #[patchable(nested)]
    pub sibling: Sibling,
    #[serde(flatten)]
    #[patchable(nested)]
    pub holds: HoldsMap,
}

#[test]
fn a_flattened_structs_map_reads_the_keys_of_the_flattened_structs_after_it() {
    for (json, first, last) in [
        (json!({"y": "s"}), false, true),
        (json!({"y": null}), true, true),
        (json!({"q": 7}), true, true),
        (json!({"q": 65536}), false, false),
        (json!({"id": "x"}), false, false),
        (json!({"id": 3}), true, true),
        (json!({"z": "s"}), false, false),
    ] {
        assert_eq!(
            serde_json::from_value::<MapChildFirstPatch>(json.clone()).is_ok(),
            first,
            "{json}"
        );
        assert_eq!(
            serde_json::from_value::<MapChildLastPatch>(json.clone()).is_ok(),
            last,
            "{json}"
        );
        agree::<MapChildFirstPatch>(&json).unwrap();
        agree::<MapChildLastPatch>(&json).unwrap();
    }
    // What the patch holds, it writes, and the schema of writing takes it.
    let mut patch = MapChildFirstPatch::new();
    patch.sibling = SiblingPatch::new().y("s");
    let written = serde_json::to_value(&patch).unwrap();
    assert!(
        validator_of::<MapChildFirstPatch>(true).accepts(&written),
        "{written}"
    );
}

/// Refuses unknown keys and flattens a map: flattened into another, serde reads it from
/// every key left and refuses all that its fields do not take.
#[derive(Patchable, Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DenyingWithMap {
    pub p: Option<u8>,
    #[serde(flatten)]
    pub m: BTreeMap<String, u16>,
}

#[derive(Patchable, Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Inmost {
    pub l: Option<u8>,
}

/// Refuses unknown keys and flattens a struct (serde's attribute, and the patch's).
#[derive(Patchable, Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DenyingWithStruct {
    pub p: Option<u8>,
    #[serde(flatten)]
    #[patchable(nested)]
    pub inmost: Inmost,
}

#[derive(Patchable, Clone, Debug, PartialEq, Serialize, Deserialize)]
#[patchable(deny_unknown_fields)]
pub struct PatchDenyingWithStruct {
    pub p: Option<u8>,
    #[serde(flatten)]
    #[patchable(nested)]
    pub inmost: Inmost,
}

#[derive(Patchable, Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Before {
    pub s: Option<u8>,
}

#[derive(Patchable, Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct After {
    pub t: Option<u8>,
}

#[derive(Patchable, Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OverDenyingWithMap {
    pub own: Option<u8>,
    #[serde(flatten)]
    #[patchable(nested)]
    pub denying: DenyingWithMap,
}

/// Before the denying struct, a flattened struct has taken its keys; after it, not yet.
#[derive(Patchable, Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OverDenyingWithStruct {
    pub own: Option<u8>,
    #[serde(flatten)]
    #[patchable(nested)]
    pub before: Before,
    #[serde(flatten)]
    #[patchable(nested)]
    pub denying: DenyingWithStruct,
    #[serde(flatten)]
    #[patchable(nested)]
    pub after: After,
}

#[derive(Patchable, Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OverPatchDenying {
    pub own: Option<u8>,
    #[serde(flatten)]
    #[patchable(nested)]
    pub denying: PatchDenyingWithStruct,
    #[serde(flatten)]
    #[patchable(nested)]
    pub after: After,
}

/// Two levels: the middle struct, which flattens the denying one, is read from every key left.
#[derive(Patchable, Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OverOver {
    pub top: Option<u8>,
    #[serde(flatten)]
    #[patchable(nested)]
    pub middle: OverDenyingWithMap,
}

#[test]
fn a_flattened_struct_that_denies_and_flattens_refuses_the_keys_left() {
    for (json, read) in [
        (json!({"own": 1, "p": 2}), true),
        (json!({"z": 1}), false),
        (json!({"z": "s"}), false),
    ] {
        assert_eq!(
            serde_json::from_value::<OverDenyingWithMapPatch>(json.clone()).is_ok(),
            read,
            "{json}"
        );
        agree::<OverDenyingWithMapPatch>(&json).unwrap();
    }
    for (json, read) in [
        (json!({"own": 1}), true),
        (json!({"s": 1}), true),
        (json!({"p": 1, "l": 2}), true),
        (json!({"t": 1}), false),
        (json!({"z": 1}), false),
    ] {
        assert_eq!(
            serde_json::from_value::<OverDenyingWithStructPatch>(json.clone()).is_ok(),
            read,
            "{json}"
        );
        agree::<OverDenyingWithStructPatch>(&json).unwrap();
        agree::<OverPatchDenyingPatch>(&json).unwrap();
    }
    for json in [
        json!({"top": 1}),
        json!({"own": 1}),
        json!({"p": 1}),
        json!({"z": 1}),
    ] {
        agree::<OverOverPatch>(&json).unwrap();
    }
    // The schema of writing is the patch's keys, as before.
    let mut patch = OverDenyingWithStructPatch::new();
    patch.after = AfterPatch::new().t(1);
    let written = serde_json::to_value(&patch).unwrap();
    assert!(
        validator_of::<OverDenyingWithStructPatch>(true).accepts(&written),
        "{written}"
    );
}

/// Two flattened maps: each reads every other key, and writes its own entries.
#[derive(Patchable, Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TwoMaps {
    pub x: Option<u8>,
    #[serde(flatten)]
    pub numbers: BTreeMap<String, u8>,
    #[serde(flatten)]
    pub texts: HashMap<String, String>,
}

/// `deny_unknown_fields` beside a flattened map: serde reads no other key, but the patch
/// writes the map's entries.
#[derive(Patchable, Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DenyingBesideMap {
    pub x: Option<u8>,
    #[serde(flatten)]
    pub rest: BTreeMap<String, String>,
}

#[derive(Patchable, Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OverDenyingBesideMap {
    pub y: Option<String>,
    #[serde(flatten)]
    #[patchable(nested)]
    pub inner: DenyingBesideMap,
}

fn text_entries(entries: &[(&str, Option<&str>)]) -> HashMap<String, sparse_patch::Field<String>> {
    entries
        .iter()
        .map(|(key, value)| ((*key).to_owned(), value.map(str::to_owned).into()))
        .collect()
}

#[test]
fn what_the_flattened_maps_write_suits_the_schema_of_writing() {
    let mut two = TwoMapsPatch::new();
    two.numbers = [("a".to_owned(), sparse_patch::Field::Value(1))]
        .into_iter()
        .collect();
    two.texts = text_entries(&[("b", Some("s")), ("c", None)]);
    let written = serde_json::to_value(&two).unwrap();
    assert_eq!(written, json!({"a": 1, "b": "s", "c": null}));
    assert!(
        validator_of::<TwoMapsPatch>(true).accepts(&written),
        "{written}"
    );
    // Neither map's values: written by no map.
    assert!(!validator_of::<TwoMapsPatch>(true).accepts(&json!({"a": [1]})));
    // Read, each map reads every key: a key must suit both.
    agree::<TwoMapsPatch>(&written).unwrap();
    assert!(!validator_of::<TwoMapsPatch>(false).accepts(&json!({"b": "s"})));

    let mut denying = DenyingBesideMapPatch::new();
    denying.rest = text_entries(&[("k", Some("v"))]).into_iter().collect();
    let written = serde_json::to_value(&denying).unwrap();
    assert_eq!(written, json!({"k": "v"}));
    assert!(
        validator_of::<DenyingBesideMapPatch>(true).accepts(&written),
        "{written}"
    );
    agree::<DenyingBesideMapPatch>(&written).unwrap();

    let mut over = OverDenyingBesideMapPatch::new();
    over.inner = denying;
    let written = serde_json::to_value(&over).unwrap();
    assert!(
        validator_of::<OverDenyingBesideMapPatch>(true).accepts(&written),
        "{written}"
    );
    agree::<OverDenyingBesideMapPatch>(&written).unwrap();
}

/// `-0` is the integer `0` to JSON Schema (2020-12 Validation §6.1.1, numbers compared by
/// value) and a float to `serde_json` reading text, which reads it into no integer type: the
/// schema accepts it for an integer field, which the patch refuses, as it does `1.0` (the
/// README's schema section says so).
#[test]
fn minus_zero_in_text_is_an_integer_to_the_schema_alone() {
    let validator = validator_of::<PointersPatch>(false);
    for text in [
        r#"{"boxed": -0}"#,
        r#"{"maybe_box": -0}"#,
        r#"{"rc": [-0]}"#,
    ] {
        let json: Value = serde_json::from_str(text).unwrap();
        assert!(validator.accepts(&json), "{text}");
        assert!(
            serde_json::from_str::<PointersPatch>(text).is_err(),
            "{text}"
        );
    }
}

/// A flattened map keyed by an integer: serde reads none of the parent's other keys into it
/// (serde-rs/serde#1183), but the patch writes its entries under their numbers.
#[derive(Patchable, Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FlattenedIntegerKeys {
    pub x: Option<String>,
    #[serde(flatten)]
    pub by_u8: BTreeMap<u8, String>,
}

#[test]
fn a_flattened_integer_keyed_maps_entries_suit_the_schema_of_writing() {
    let mut patch = FlattenedIntegerKeysPatch::new();
    patch.by_u8 = [
        (5, sparse_patch::Field::Value("a".to_owned())),
        (6, sparse_patch::Field::Null),
    ]
    .into_iter()
    .collect();
    let written = serde_json::to_value(&patch).unwrap();
    assert_eq!(written, json!({"5": "a", "6": null}));
    assert!(
        validator_of::<FlattenedIntegerKeysPatch>(true).accepts(&written),
        "{written}"
    );
    assert!(!validator_of::<FlattenedIntegerKeysPatch>(true).accepts(&json!({"5": 1})));
    // Read, as serde reads it: no such key.
    agree::<FlattenedIntegerKeysPatch>(&written).unwrap();
    agree::<FlattenedIntegerKeysPatch>(&json!({"x": "s"})).unwrap();
}

#[test]
fn a_read_only_fields_alias_that_a_patched_field_names_is_the_patched_fields() {
    for (json, read) in [
        (json!({"x": "s", "id": 1}), true),
        (json!({"x": 1}), false),
        (json!({"id": "any"}), true),
    ] {
        assert_eq!(
            serde_json::from_value::<ReadOnlyAliasFirstPatch>(json.clone()).is_ok(),
            read,
            "{json}"
        );
        agree::<ReadOnlyAliasFirstPatch>(&json).unwrap();
        agree::<ReadOnlyAliasLastPatch>(&json).unwrap();
    }
    // The read-only field's other keys still refuse each other.
    agree::<ReadOnlyAliasLastPatch>(&json!({"id": 1, "ident": 2})).unwrap();
    agree::<ReadOnlyAliasLastPatch>(&json!({"x": "s", "ident": 2})).unwrap();
}

const READ_ONLY_KEYS: &[&str] = &["x", "id", "ident", "k"];

const DENYING_KEYS: &[&str] = &["own", "top", "p", "m", "l", "s", "t", "z"];

const MAP_CHILD_KEYS: &[&str] = &["p", "y", "q", "id", "z", "m"];

const CLASH_KEYS: &[&str] = &["a", "b", "bb", "x", "y", "yy"];

#[test]
fn a_key_that_two_fields_name_is_the_first_fields() {
    for (json, read) in [
        (json!({"a": 1}), true),
        (json!({"a": "s"}), false),
        (json!({"a": 1, "b": "s"}), true),
        (json!({"bb": "s", "b": "t"}), false),
        (json!({"a": 1, "bb": "s"}), true),
    ] {
        assert_eq!(
            serde_json::from_value::<AliasAfterNamePatch>(json.clone()).is_ok(),
            read,
            "{json}"
        );
        agree::<AliasAfterNamePatch>(&json).unwrap();
    }
    for (json, read) in [
        (json!({"a": "s"}), true),
        (json!({"a": 1}), false),
        (json!({"a": "s", "b": "t"}), false),
    ] {
        assert_eq!(
            serde_json::from_value::<AliasBeforeNamePatch>(json.clone()).is_ok(),
            read,
            "{json}"
        );
        agree::<AliasBeforeNamePatch>(&json).unwrap();
    }
    for (json, read) in [
        (json!({"x": 1}), true),
        (json!({"x": "s"}), false),
        (json!({"x": 1, "y": "s"}), true),
        (json!({"x": 1, "yy": "s"}), true),
        (json!({"y": "s", "yy": "t"}), false),
    ] {
        assert_eq!(
            serde_json::from_value::<FlatFirstNamesPatch>(json.clone()).is_ok(),
            read,
            "{json}"
        );
        agree::<FlatFirstNamesPatch>(&json).unwrap();
    }
    for (json, read) in [(json!({"x": "s"}), true), (json!({"x": 1}), false)] {
        assert_eq!(
            serde_json::from_value::<FlatSecondNamesPatch>(json.clone()).is_ok(),
            read,
            "{json}"
        );
        agree::<FlatSecondNamesPatch>(&json).unwrap();
    }
    // The later field's deprecation is its own keys', not the first field's.
    let schema = schema_of::<AliasAfterNamePatch>(false);
    assert!(
        schema["properties"]["a"].get("deprecated").is_none(),
        "{schema}"
    );
    assert_eq!(schema["properties"]["bb"]["deprecated"], true, "{schema}");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(768))]

    #[test]
    fn flattened_structs_with_maps(json in object(MAP_CHILD_KEYS)) {
        agree::<MapChildFirstPatch>(&json).map_err(TestCaseError::fail)?;
        agree::<MapChildLastPatch>(&json).map_err(TestCaseError::fail)?;
    }

    #[test]
    fn flattened_structs_that_deny(json in object(DENYING_KEYS)) {
        agree::<OverDenyingWithMapPatch>(&json).map_err(TestCaseError::fail)?;
        agree::<OverDenyingWithStructPatch>(&json).map_err(TestCaseError::fail)?;
        agree::<OverPatchDenyingPatch>(&json).map_err(TestCaseError::fail)?;
        agree::<OverOverPatch>(&json).map_err(TestCaseError::fail)?;
    }

    #[test]
    fn read_only_aliases(json in object(READ_ONLY_KEYS)) {
        agree::<ReadOnlyAliasFirstPatch>(&json).map_err(TestCaseError::fail)?;
        agree::<ReadOnlyAliasLastPatch>(&json).map_err(TestCaseError::fail)?;
    }

    #[test]
    fn keys_that_two_fields_name(json in object(CLASH_KEYS)) {
        agree::<AliasAfterNamePatch>(&json).map_err(TestCaseError::fail)?;
        agree::<AliasBeforeNamePatch>(&json).map_err(TestCaseError::fail)?;
        agree::<FlatFirstNamesPatch>(&json).map_err(TestCaseError::fail)?;
        agree::<FlatSecondNamesPatch>(&json).map_err(TestCaseError::fail)?;
    }

    #[test]
    fn renamed_and_denying(json in object(KEBAB_KEYS)) {
        agree::<KebabPatch>(&json).map_err(TestCaseError::fail)?;
    }

    #[test]
    fn renamed_per_direction(json in object(CASES_KEYS)) {
        agree::<CasesPatch>(&json).map_err(TestCaseError::fail)?;
    }

    #[test]
    fn pointers(json in object(POINTER_KEYS)) {
        agree::<PointersPatch>(&json).map_err(TestCaseError::fail)?;
    }

    #[test]
    fn enums(json in object(ENUM_KEYS)) {
        agree::<EnumsPatch>(&json).map_err(TestCaseError::fail)?;
    }

    #[test]
    fn map_keys(json in object(MAP_KEYS)) {
        agree::<KeysPatch>(&json).map_err(TestCaseError::fail)?;
    }

    #[test]
    fn generics(json in object(GENERIC_KEYS)) {
        agree::<HoldsGenericsPatch>(&json).map_err(TestCaseError::fail)?;
    }

    #[test]
    fn flattens(json in object(FLATTEN_KEYS)) {
        agree::<FlattensPatch>(&json).map_err(TestCaseError::fail)?;
    }
}
