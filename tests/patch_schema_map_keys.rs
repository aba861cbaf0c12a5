//! The keys of a map attribute in the patch's JSON Schema (feature `schemars`) against serde
//! as the oracle: integer key types whose schema bounds them further than their `format`
//! (`NonZeroU8`, `NonZeroI16`, a newtype with `minimum` and `maximum`), the two spellings of
//! an `i128`'s zero, and the keywords that OpenAPI 3.0's schema object allows.

use std::collections::{BTreeMap, HashMap};
use std::num::{NonZeroI16, NonZeroU8};

use serde::{Deserialize, Deserializer, Serialize};
use serde_json::{Value, json};
use sparse_patch::Patchable;

#[path = "support/json_schema.rs"]
mod json_schema;
use json_schema::{Validator, schema_of};

/// An `i32` from `LOW` to `HIGH`, whose schema says so (`minimum`, `maximum`), as a
/// newtype of a user's that checks its range does.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Ranged<const LOW: i32, const HIGH: i32>(i32);

impl<'de, const LOW: i32, const HIGH: i32> Deserialize<'de> for Ranged<LOW, HIGH> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let number = i32::deserialize(deserializer)?;
        if (LOW..=HIGH).contains(&number) {
            Ok(Ranged(number))
        } else {
            Err(serde::de::Error::custom(format!(
                "{number} is not from {LOW} to {HIGH}"
            )))
        }
    }
}

impl<const LOW: i32, const HIGH: i32> schemars::JsonSchema for Ranged<LOW, HIGH> {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        format!("Ranged{LOW}To{HIGH}").into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "integer",
            "format": "int32",
            "minimum": LOW,
            "maximum": HIGH,
        })
    }
}

/// An `i16` other than `EXCLUDED`, whose schema says so as schemars says it of `NonZeroI16`
/// (`"not": {"const": 0}`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct AllBut<const EXCLUDED: i16>(i16);

impl<'de, const EXCLUDED: i16> Deserialize<'de> for AllBut<EXCLUDED> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let number = i16::deserialize(deserializer)?;
        if number == EXCLUDED {
            Err(serde::de::Error::custom("the excluded number"))
        } else {
            Ok(AllBut(number))
        }
    }
}

impl<const EXCLUDED: i16> schemars::JsonSchema for AllBut<EXCLUDED> {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        format!("AllBut{EXCLUDED}").into()
    }
    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        let mut schema = i16::json_schema(generator);
        schema.insert("not".to_owned(), json!({ "const": EXCLUDED }));
        schema
    }
}

#[derive(Patchable, Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BoundedKeys {
    pub non_zero_u8: BTreeMap<NonZeroU8, String>,
    pub non_zero_i16: HashMap<NonZeroI16, String>,
    pub maybe_non_zero: Option<BTreeMap<NonZeroU8, String>>,
    pub small: BTreeMap<Ranged<1, 9>, String>,
    pub ports: BTreeMap<Ranged<1024, 49151>, String>,
    pub around_zero: BTreeMap<Ranged<-99, 250>, String>,
    pub negative: BTreeMap<Ranged<-1000, -7>, String>,
    pub one: BTreeMap<Ranged<10, 10>, String>,
    pub all_but_ten: BTreeMap<AllBut<10>, String>,
    pub all_but_minimum: BTreeMap<AllBut<{ i16::MIN }>, String>,
    pub by_i128: BTreeMap<i128, String>,
}

const BOUNDED_FIELDS: &[&str] = &[
    "non_zero_u8",
    "non_zero_i16",
    "maybe_non_zero",
    "small",
    "ports",
    "around_zero",
    "negative",
    "one",
    "all_but_ten",
    "all_but_minimum",
    "by_i128",
];

fn reads(json: &Value) -> bool {
    serde_json::from_value::<BoundedKeysPatch>(json.clone()).is_ok()
}

/// Every numeral near the ends of each key type's range, and the others around zero: the
/// schema of reading takes a key exactly when serde reads it into the key type. schemars'
/// `NonZeroU8` is a `uint8` with `"minimum": 1`, and the key pattern, written from the
/// `format` alone, took `{"0": ..}`, which serde refuses ("expected a nonzero u8").
#[test]
fn an_integer_key_is_in_the_range_that_its_schema_states() {
    let validator = Validator::new(schema_of::<BoundedKeysPatch>(false));
    let ends: [i128; 8] = [0, 255, 1024, 49151, 32767, -32768, 65535, 1_000_000];
    let mut numbers: Vec<i128> = (-1100..=1100).collect();
    for end in ends {
        numbers.extend(end - 12..=end + 12);
    }
    let mut disagreements = Vec::new();
    for field in BOUNDED_FIELDS {
        for number in &numbers {
            let case = json!({ *field: { number.to_string(): "v" } });
            if validator.accepts(&case) != reads(&case) {
                disagreements.push(case);
            }
        }
    }
    assert!(disagreements.is_empty(), "{disagreements:?}");
    // Neither takes a numeral in another spelling.
    for key in ["01", "+1", "1.0", "1e1", " 1", "-0", ""] {
        let case = json!({ "non_zero_u8": { key: "v" } });
        assert!(!validator.accepts(&case) && !reads(&case), "{case}");
    }
}

/// serde_json reads an `i128` key's digits itself, `-0` as `0`: the two in one map are one
/// key given twice, which the patch refuses ("duplicate key in the map"), and the schema
/// took. (The `map_keys` property of `patch_schema_differential.rs` draws both keys, and
/// failed on such a draw.)
#[test]
fn an_i128_keys_zero_given_twice_is_refused() {
    let validator = Validator::new(schema_of::<BoundedKeysPatch>(false));
    let twice = json!({"by_i128": {"-0": "a", "0": "b"}});
    assert!(!reads(&twice));
    assert!(!validator.accepts(&twice), "{twice}");
    for once in [
        json!({"by_i128": {"-0": "a"}}),
        json!({"by_i128": {"0": "a", "-1": "b"}}),
        json!({"by_i128": {"-0": "a", "1": null}}),
    ] {
        assert!(reads(&once), "{once}");
        assert!(validator.accepts(&once), "{once}");
    }
}

/// The fields of OpenAPI 3.0.3's Schema Object (and `$ref`): a schema object with another
/// field (but an `x-` extension) is an invalid OpenAPI 3.0 document.
const OPENAPI_3_0_FIELDS: &[&str] = &[
    "title",
    "multipleOf",
    "maximum",
    "exclusiveMaximum",
    "minimum",
    "exclusiveMinimum",
    "maxLength",
    "minLength",
    "pattern",
    "maxItems",
    "minItems",
    "uniqueItems",
    "maxProperties",
    "minProperties",
    "required",
    "enum",
    "type",
    "allOf",
    "oneOf",
    "anyOf",
    "not",
    "items",
    "properties",
    "additionalProperties",
    "description",
    "format",
    "default",
    "nullable",
    "discriminator",
    "readOnly",
    "writeOnly",
    "xml",
    "externalDocs",
    "example",
    "deprecated",
    "$ref",
];

/// The paths of the keywords in `schema` (and its subschemas) that OpenAPI 3.0 does not have.
fn outside_openapi_3_0(schema: &Value, path: &str, found: &mut Vec<String>) {
    let Value::Object(object) = schema else {
        return;
    };
    for (keyword, value) in object {
        if !OPENAPI_3_0_FIELDS.contains(&keyword.as_str()) && !keyword.starts_with("x-") {
            found.push(format!("{path}/{keyword}"));
        }
        let path = format!("{path}/{keyword}");
        match (keyword.as_str(), value) {
            ("properties", Value::Object(members)) => {
                for (name, member) in members {
                    outside_openapi_3_0(member, &format!("{path}/{name}"), found);
                }
            }
            ("allOf" | "anyOf" | "oneOf", Value::Array(branches)) => {
                for (at, branch) in branches.iter().enumerate() {
                    outside_openapi_3_0(branch, &format!("{path}/{at}"), found);
                }
            }
            ("items" | "not" | "additionalProperties", child) => {
                outside_openapi_3_0(child, &path, found);
            }
            _ => {}
        }
    }
}

/// The patch's schema and its definitions under `SchemaSettings::openapi3()`, as OpenAPI 3.0
/// documents hold them (the definitions under `components/schemas`, transformed).
fn openapi_3_0_schemas<T: schemars::JsonSchema>() -> Vec<(String, Value)> {
    let mut generator = schemars::generate::SchemaSettings::openapi3()
        .for_deserialize()
        .into_generator();
    let mut root = generator.root_schema_for::<T>().to_value();
    let object = root.as_object_mut().unwrap();
    object.remove("$schema");
    object.remove("components");
    let mut schemas = vec![("#".to_owned(), root)];
    for (name, definition) in generator.take_definitions(true) {
        schemas.push((format!("#/components/schemas/{name}"), definition));
    }
    schemas
}

#[derive(Patchable, Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Keyed {
    pub by_u8: BTreeMap<u8, String>,
    pub by_bool: Option<HashMap<bool, u32>>,
    pub by_char: BTreeMap<char, String>,
    pub by_i128: BTreeMap<i128, String>,
    pub by_text: BTreeMap<String, i64>,
    #[serde(alias = "bounded")]
    pub non_zero: BTreeMap<NonZeroU8, String>,
}

/// Inside a flattened struct, serde reads no integer key (serde-rs/serde#1183).
#[derive(Patchable, Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct HoldsKeyed {
    #[serde(flatten)]
    #[patchable(nested)]
    pub keyed: Keyed,
    pub name: Option<String>,
}

/// OpenAPI 3.0's schema object has no `propertyNames` (nor `dependentSchemas`): under
/// `SchemaSettings::openapi3()` the keys that a map reads go unsaid, its values' schema
/// stands, and a map that reads no key says so with `"maxProperties": 0`. The patch wrote
/// `propertyNames` for every map keyed by integers, `bool`s or `char`s whatever the
/// dialect: an invalid document.
#[test]
fn a_maps_keys_use_no_keyword_outside_openapi_3_0() {
    for (path, schema) in openapi_3_0_schemas::<HoldsKeyedPatch>()
        .into_iter()
        .chain(openapi_3_0_schemas::<KeyedPatch>())
    {
        let mut found = Vec::new();
        outside_openapi_3_0(&schema, &path, &mut found);
        assert!(found.is_empty(), "{found:?} in {schema:#}");
    }
    let schemas = openapi_3_0_schemas::<KeyedPatch>();
    let by_u8 = &schemas[0].1["properties"]["by_u8"];
    assert_eq!(by_u8["type"], json!("object"), "{by_u8:#}");
    assert_eq!(
        by_u8["additionalProperties"]["type"],
        json!("string"),
        "{by_u8:#}"
    );
    // Read inside a flattened struct, no key.
    let flattened = openapi_3_0_schemas::<HoldsKeyedPatch>();
    let by_u8 = &flattened[0].1["properties"]["by_u8"];
    assert_eq!(by_u8["maxProperties"], json!(0), "{by_u8:#}");
    // JSON Schema 2020-12 says it all.
    let schema = schema_of::<KeyedPatch>(false);
    assert!(schema["properties"]["by_u8"]["propertyNames"].is_object());
    assert!(schema["properties"]["by_i128"]["dependentSchemas"].is_object());
}

/// An email address as a map key, whose type checks it on reading and whose schema states it
/// by a `format` alone, as schemars writes a validated string type.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct EmailKey(String);

impl<'de> Deserialize<'de> for EmailKey {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        match text.split_once('@') {
            Some((local, domain)) if !local.is_empty() && domain.contains('.') => {
                Ok(EmailKey(text))
            }
            _ => Err(serde::de::Error::custom("not an email address")),
        }
    }
}

impl schemars::JsonSchema for EmailKey {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "EmailKey".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({"type": "string", "format": "email"})
    }
}

/// Contacts by email address.
#[derive(Patchable, Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Contacts {
    pub by_email: BTreeMap<EmailKey, String>,
}

/// A string key type constrained by its `format` alone is a constrained key: the patch's
/// schema states it for the map's keys (`propertyNames`), and a validator that asserts
/// formats refuses the key that serde refuses. (Mutation testing: a key type's `format` read
/// as no constraint went unnoticed.)
#[test]
fn a_string_keys_format_constrains_the_maps_keys() {
    let validator = Validator::asserting_formats(schema_of::<ContactsPatch>(false));
    for (key, valid) in [("ada@example.com", true), ("not an address", false)] {
        let case = json!({"by_email": { key: "Ada" }});
        let read = serde_json::from_value::<ContactsPatch>(case.clone()).is_ok();
        assert_eq!(read, valid, "{case}");
        assert_eq!(validator.accepts(&case), valid, "{case}");
    }
}
