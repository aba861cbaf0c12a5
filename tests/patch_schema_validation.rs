//! A model field's validation items (`#[schemars(length(...))]`, `range`, `pattern`, `regex`,
//! `contains`, `email`, `url`, `inner`) in the patch's JSON Schema (feature `schemars`):
//! schemars' derive writes them into the model's schema of the field, and the patch's schema
//! dropped them, so that it took values that the model's schema refuses (`{"name": ""}` beside
//! `length(min = 1)`). Each field's model schema below is the one that schemars 1.2's derive
//! writes (`schemars_derive/src/attr/validation.rs`: the keyword where the schema's `type`
//! names a string, an array or a number; `contains` an escaped `pattern`; `url` the format
//! `uri`); a value that breaks a keyword is refused by it and by the patch's schema alike,
//! `null` only where the attribute is nullable, and an absent key stays a valid patch.

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use sparse_patch::Patchable;

#[path = "support/json_schema.rs"]
mod json_schema;
use json_schema::{Validator, schema_of};

const MAX_NAME: u32 = 8;

/// A sign-up form with a validation item on each field.
#[derive(Patchable, Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Signup {
    #[schemars(length(min = 1, max = MAX_NAME))]
    pub name: String,
    #[schemars(length(min = 2))]
    pub nickname: Option<String>,
    #[schemars(range(min = 18, max = 150))]
    pub age: u8,
    #[schemars(range(min = 0.0, max = 1.0))]
    pub score: f64,
    #[schemars(regex(pattern = r"^[a-z]+$"))]
    pub login: String,
    #[schemars(pattern("^[0-9]{5}$"))]
    pub postal_code: Option<String>,
    #[schemars(contains(pattern = "a.b"))]
    pub motto: String,
    #[schemars(email)]
    pub email: Option<String>,
    #[schemars(url)]
    pub homepage: String,
    #[schemars(length(max = 3), inner(length(min = 1)))]
    pub tags: Vec<String>,
}

/// The model's schema of each field, as schemars' derive writes it.
fn model_field_schemas() -> Value {
    json!({
        "name": {"type": "string", "minLength": 1, "maxLength": 8},
        "nickname": {"type": ["string", "null"], "minLength": 2},
        "age": {"type": "integer", "format": "uint8", "minimum": 18, "maximum": 150},
        "score": {"type": "number", "format": "double", "minimum": 0.0, "maximum": 1.0},
        "login": {"type": "string", "pattern": "^[a-z]+$"},
        "postal_code": {"type": ["string", "null"], "pattern": "^[0-9]{5}$"},
        "motto": {"type": "string", "pattern": r"a\.b"},
        "email": {"type": ["string", "null"], "format": "email"},
        "homepage": {"type": "string", "format": "uri"},
        "tags": {
            "type": "array",
            "items": {"type": "string", "minLength": 1},
            "maxItems": 3
        },
    })
}

/// Per field: values that meet its keywords, and values that break them.
fn cases() -> Vec<(&'static str, Vec<Value>, Vec<Value>)> {
    vec![
        (
            "name",
            vec![json!("a"), json!("abcdefgh")],
            vec![json!(""), json!("abcdefghi")],
        ),
        ("nickname", vec![json!("ab")], vec![json!("a")]),
        (
            "age",
            vec![json!(18), json!(150)],
            vec![json!(17), json!(151)],
        ),
        ("score", vec![json!(0.5)], vec![json!(-0.1), json!(1.5)]),
        ("login", vec![json!("abc")], vec![json!("Abc"), json!("a1")]),
        (
            "postal_code",
            vec![json!("12345")],
            vec![json!("1234"), json!("abcde")],
        ),
        (
            "motto",
            vec![json!("a.b"), json!("xa.by")],
            vec![json!("axb")],
        ),
        (
            "email",
            vec![json!("user@example.com")],
            vec![json!("not an address")],
        ),
        (
            "homepage",
            vec![json!("https://example.com/")],
            vec![json!("not a url")],
        ),
        (
            "tags",
            vec![json!([]), json!(["a", "b", "c"])],
            vec![json!(["a", "b", "c", "d"]), json!(["a", ""])],
        ),
    ]
}

/// Each keyword is in the patch's schema of the field, under both contracts, as in the
/// model's.
#[test]
fn the_patch_schema_of_a_field_carries_its_validation_keywords() {
    let model = model_field_schemas();
    for serialize in [false, true] {
        let schema = schema_of::<SignupPatch>(serialize);
        for (field, expected) in model.as_object().unwrap() {
            let property = &schema["properties"][field];
            for (keyword, value) in expected.as_object().unwrap() {
                assert_eq!(
                    property.get(keyword),
                    Some(value),
                    "{field}'s {keyword} in {property:#}"
                );
            }
        }
    }
}

/// A value that breaks a field's keyword is refused by the patch's schema as by the model's,
/// and one that meets them is taken by both; `null` only where the attribute is nullable, and
/// an empty patch stays valid.
#[test]
fn a_value_the_models_schema_refuses_the_patchs_schema_refuses() {
    let model = model_field_schemas();
    let nullable = ["nickname", "postal_code", "email"];
    for serialize in [false, true] {
        let patch = Validator::asserting_formats(schema_of::<SignupPatch>(serialize));
        assert!(patch.accepts(&json!({})));
        for (field, good, bad) in cases() {
            let field_schema = Validator::asserting_formats(model[field].clone());
            for value in good {
                assert!(
                    field_schema.accepts(&value),
                    "the model refuses {field}: {value}"
                );
                let instance = json!({ field: value });
                assert!(patch.accepts(&instance), "the patch refuses {instance}");
            }
            for value in bad {
                assert!(
                    !field_schema.accepts(&value),
                    "the model takes {field}: {value}"
                );
                let instance = json!({ field: value });
                assert!(!patch.accepts(&instance), "the patch takes {instance}");
            }
            let null = json!({ field: null });
            assert_eq!(
                patch.accepts(&null),
                nullable.contains(&field),
                "{null}, serialize: {serialize}"
            );
        }
    }
}

/// The validation items are the schema's rules alone: serde reads a value of the field's
/// type that breaks them, into the patch as into the model (the README's schema section
/// says so; it did not, and read as if the schema refused only what serde refuses).
#[test]
fn serde_reads_what_only_the_validation_items_refuse() {
    let patch = Validator::new(schema_of::<SignupPatch>(false));
    for instance in [
        json!({"name": ""}),
        json!({"age": 17}),
        json!({"score": 1.5}),
        json!({"login": "ABC"}),
        json!({"tags": ["a", "b", "c", "d"]}),
    ] {
        assert!(!patch.accepts(&instance), "{instance}");
        assert!(
            serde_json::from_value::<SignupPatch>(instance.clone()).is_ok(),
            "{instance}"
        );
    }
}

/// A field whose schema is a `$ref` (a nested patch) gets no string keyword, as the model's
/// `$ref` gets none; a flattened field gets none either, as schemars' derive drops the items
/// of a flattened field.
#[derive(Patchable, Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Account {
    #[schemars(length(min = 1))]
    #[patchable(nested)]
    pub address: Address,
    #[schemars(length(min = 1))]
    pub label: Option<String>,
}

#[derive(Patchable, Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Address {
    pub street: String,
}

#[test]
fn a_referenced_schema_gets_no_string_keyword() {
    let schema = schema_of::<AccountPatch>(false);
    let address = &schema["properties"]["address"];
    assert!(address.get("minLength").is_none(), "{address:#}");
    assert_eq!(schema["properties"]["label"]["minLength"], 1, "{schema:#}");
    // The keywords of one field are not the next one's.
    let patch = Validator::new(schema);
    assert!(patch.accepts(&json!({"address": {"street": ""}, "label": null})));
    assert!(!patch.accepts(&json!({"label": ""})));
}

/// A transform that says the field is in the API's reference (schemars'
/// `schemars::transform::Transform`, here a function).
fn mark_referenced(schema: &mut schemars::Schema) {
    schema.insert("x-referenced".to_owned(), true.into());
}

/// A profile with schemars' `example`, `extend` and `transform` on its fields.
#[derive(Patchable, Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Profile {
    #[schemars(example = &"Ada", example = "Grace Hopper", extend("x-order" = 1, "x-tags" = ["a", "b"]))]
    pub name: String,
    #[schemars(transform = mark_referenced, length(max = 3))]
    pub code: Option<String>,
    pub bio: Option<String>,
}

/// `example`, `extend` and `transform` on a field are in the patch's schema of its values, as
/// schemars' derive writes them into the model's: the patch's schema dropped them (an API
/// description's examples and `x-` extensions gone from the PATCH body). The transform runs
/// before the validation items, and a required attribute still refuses `null`.
#[test]
fn examples_extensions_and_transforms_are_carried() {
    for serialize in [false, true] {
        let schema = schema_of::<ProfilePatch>(serialize);
        let properties = &schema["properties"];
        assert_eq!(
            properties["name"]["examples"],
            json!(["Ada", "Grace Hopper"]),
            "{schema:#}"
        );
        assert_eq!(properties["name"]["x-order"], 1);
        assert_eq!(properties["name"]["x-tags"], json!(["a", "b"]));
        assert_eq!(properties["code"]["x-referenced"], true, "{schema:#}");
        assert_eq!(properties["code"]["maxLength"], 3);
        assert_eq!(properties["bio"].get("x-referenced"), None);
        let patch = Validator::new(schema.clone());
        assert!(!patch.accepts(&json!({"name": null})));
        assert!(patch.accepts(&json!({"code": null})));
        assert!(!patch.accepts(&json!({"code": "abcd"})));
    }
}

/// A transform that gives the field's values the type `string` alone, as a schema written by
/// hand for the model would.
fn text_alone(schema: &mut schemars::Schema) {
    schema.insert("type".to_owned(), "string".into());
}

/// The user's functions for an `Option<u8>` written as text (`"7"`).
mod number_as_text {
    pub fn serialize<S: serde::Serializer>(
        value: &Option<u8>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        match value {
            Some(value) => serializer.serialize_str(&value.to_string()),
            None => serializer.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: serde::Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Option<u8>, D::Error> {
        let text: Option<String> = serde::Deserialize::deserialize(deserializer)?;
        text.map(|text| text.parse().map_err(serde::de::Error::custom))
            .transpose()
    }
}

/// Nullable attributes of every kind whose `extend` or `transform` item states their values
/// without `null`, as an API description of the model's values does
/// (`extend("enum" = [...])` over an `Option<String>`).
#[derive(Patchable, Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Membership {
    #[schemars(extend("enum" = ["active", "disabled"]))]
    pub status: Option<String>,
    #[schemars(transform = text_alone)]
    pub nickname: Option<String>,
    #[schemars(extend("type" = "string"))]
    #[serde(with = "number_as_text")]
    pub level: Option<u8>,
    #[schemars(extend("type" = "object"))]
    pub labels: Option<std::collections::BTreeMap<String, String>>,
    #[schemars(extend("const" = 3))]
    pub extra: Option<Value>,
    #[schemars(extend("type" = "string"), with = "String")]
    pub alias: Option<String>,
    #[schemars(extend("type" = ["object", "null"]))]
    pub roles: std::collections::BTreeMap<String, String>,
}

/// A nullable attribute's `null` is a clear (RFC 7396 §2), which the patch reads whatever the
/// field's `extend` or `transform` items say of its values: its schema takes `null` beside
/// them, under both contracts, and still refuses the values that they refuse. It refused
/// `{"status": null}` (the extension's `enum` left `null` out) where serde read a clear, and
/// took `{"roles": null}` for a required map (the extension's `type` let `null` in) where
/// serde refuses it.
#[test]
fn a_nullable_attributes_extensions_leave_its_null_a_clear() {
    let fields = ["status", "nickname", "level", "labels", "extra", "alias"];
    for serialize in [false, true] {
        let schema = schema_of::<MembershipPatch>(serialize);
        let patch = Validator::new(schema.clone());
        for field in fields {
            let clear = json!({ field: null });
            let read: MembershipPatch = serde_json::from_value(clear.clone()).unwrap();
            assert_eq!(serde_json::to_value(&read).unwrap(), clear);
            assert!(
                patch.accepts(&clear),
                "{clear}, serialize: {serialize}: {schema:#}"
            );
        }
        assert!(patch.accepts(&json!({"status": "active", "level": "7", "extra": 3})));
        assert!(!patch.accepts(&json!({"status": "other"})));
        assert!(!patch.accepts(&json!({"nickname": 1})));
        assert!(!patch.accepts(&json!({"extra": 4})));
    }
    // A required map's `null` is refused by the patch, whatever its items say.
    let roles = json!({"roles": null});
    assert!(serde_json::from_value::<MembershipPatch>(roles.clone()).is_err());
    assert!(!Validator::new(schema_of::<MembershipPatch>(false)).accepts(&roles));
}

/// A card, whose JSON is an object: schemars writes `Option<Card>` as an `anyOf` of its
/// `$ref` and `null`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Card {
    pub number: String,
}

impl schemars::JsonSchema for Card {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Card".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "object",
            "properties": {"number": {"type": "string"}},
            "required": ["number"]
        })
    }
}

/// Required attributes whose values' schemas (given by `with`) let `null` in: through one
/// branch of an `anyOf`, and through a `type` beside a `not` of the type's own.
#[derive(Patchable, Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Wallet {
    #[schemars(with = "Option<Card>")]
    pub card: Card,
    #[schemars(with = "Option<std::num::NonZeroI32>")]
    pub rank: std::num::NonZeroI32,
}

/// The patch refuses `null` for a required attribute (RFC 7396 §2 would clear it), and so
/// does its schema under the reading contract, wherever the values' schema lets `null` in:
/// one branch of an `anyOf` is enough; and refusing it keeps the values' own `not` (`0` for
/// a `NonZeroI32`). (Mutation testing: an `anyOf` read as taking `null` only where every
/// branch does, and a `not` overwritten by the one that refuses `null`, went unnoticed.)
#[test]
fn a_required_attributes_null_is_refused_whatever_lets_it_in() {
    let patch = Validator::new(schema_of::<WalletPatch>(false));
    for refused in [
        json!({"card": null}),
        json!({"rank": null}),
        json!({"rank": 0}),
    ] {
        assert!(
            serde_json::from_value::<WalletPatch>(refused.clone()).is_err(),
            "{refused}"
        );
        assert!(!patch.accepts(&refused), "{refused}");
    }
    let taken = json!({"card": {"number": "4111"}, "rank": -3});
    serde_json::from_value::<WalletPatch>(taken.clone()).unwrap();
    assert!(patch.accepts(&taken));
}

/// A bound shared by fields of several integer types.
const MOST: u32 = 1000;

/// `range` items wider than the field type's own range (a bound shared with a wider type).
#[derive(Patchable, Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Quotas {
    #[schemars(range(max = MOST))]
    pub retries: u8,
    #[schemars(range(min = -5, max = 10))]
    pub replicas: u32,
    #[schemars(range(min = -1))]
    pub limit: Option<u64>,
    #[schemars(inner(range(min = -1, max = MOST)))]
    pub ports: Vec<i8>,
}

/// serde reads no integer out of the field type's range, whatever a `range` item says: the
/// item narrows the type's range and never widens it. `{"retries": 300}` beside
/// `range(max = 1000)` on a `u8` was valid, as the item's `maximum` stood over the type's.
#[test]
fn a_range_wider_than_the_integer_type_keeps_the_types_range() {
    for serialize in [false, true] {
        let patch = Validator::new(schema_of::<QuotasPatch>(serialize));
        // `(patch, serde reads it, the schema takes it)`: the item's narrower bounds are
        // refused by the schema alone, as by the model's.
        for (json, read, valid) in [
            (json!({"retries": 255}), true, true),
            (json!({"retries": 256}), false, false),
            (json!({"replicas": 0, "limit": 0}), true, true),
            (json!({"replicas": -1}), false, false),
            (json!({"replicas": 11}), true, false),
            (json!({"limit": -1}), false, false),
            (json!({"limit": null}), true, true),
            (json!({"ports": [-1, 127]}), true, true),
            (json!({"ports": [-2]}), true, false),
            (json!({"ports": [128]}), false, false),
        ] {
            assert_eq!(
                serde_json::from_value::<QuotasPatch>(json.clone()).is_ok(),
                read,
                "{json}"
            );
            assert_eq!(
                patch.accepts(&json),
                valid,
                "{json}, serialize: {serialize}"
            );
        }
    }
}

/// Map attributes whose `extend` items state the model's whole map: its values (without
/// `null`), its size and its required keys.
#[derive(Patchable, Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Labelled {
    #[schemars(extend("additionalProperties" = {"type": "string", "maxLength": 3}))]
    pub labels: std::collections::HashMap<String, String>,
    #[schemars(extend("minProperties" = 1, "maxProperties" = 2))]
    pub quotas: Option<std::collections::BTreeMap<String, u8>>,
    #[schemars(extend("required" = ["owner"]))]
    pub roles: std::collections::BTreeMap<String, String>,
    /// The same items, as the branch of an `allOf`, which the whole map must fit as it must
    /// fit the schema itself (JSON Schema 2020-12, Core §10.2.1.1).
    #[schemars(extend("allOf" = [{"additionalProperties": {"type": "string", "maxLength": 3}, "minProperties": 2}]))]
    pub tags: std::collections::BTreeMap<String, String>,
}

/// A map patch holds changes, key by key (RFC 7396 §2): `null` removes a key, and the keys
/// left out stay as they are, so what the model's map must hold (a value that is no `null`,
/// a size, a key) says nothing of a patch of it. Its schema refused `{"labels": {"a": null}}`
/// (the extension's values had no `null`), `{"quotas": {}}` and `{"roles": {"x": "y"}}`,
/// which serde reads; the values that the items refuse are still refused.
#[test]
fn a_maps_items_of_the_whole_map_leave_its_patch_alone() {
    for serialize in [false, true] {
        let schema = schema_of::<LabelledPatch>(serialize);
        let patch = Validator::new(schema.clone());
        for json in [
            json!({"labels": {"a": null, "b": "xyz"}}),
            json!({"quotas": {}}),
            json!({"quotas": {"a": null, "b": null, "c": 3}}),
            json!({"quotas": null}),
            json!({"roles": {"x": "y"}}),
            json!({"tags": {"a": null}}),
        ] {
            let read: LabelledPatch = serde_json::from_value(json.clone()).unwrap();
            assert_eq!(serde_json::to_value(&read).unwrap(), json);
            assert!(
                patch.accepts(&json),
                "{json}, serialize: {serialize}: {schema:#}"
            );
        }
        assert!(!patch.accepts(&json!({"labels": {"a": "long"}})));
        assert!(!patch.accepts(&json!({"quotas": {"a": 256}})));
        assert!(!patch.accepts(&json!({"tags": {"a": "long"}})));
    }
}

/// A nested model's attributes.
#[derive(Patchable, Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Contact {
    pub email: String,
    pub phone: Option<String>,
}

/// Nested attributes whose `extend` items state the nested model's whole value.
#[derive(Patchable, Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Customer {
    #[patchable(nested)]
    #[schemars(extend("required" = ["email"]))]
    pub contact: Contact,
    #[patchable(nested)]
    #[schemars(extend("minProperties" = 1))]
    pub billing: Option<Contact>,
    /// The same items, as the branch of an `allOf`, which the whole value must fit as it
    /// must fit the schema itself (JSON Schema 2020-12, Core §10.2.1.1).
    #[patchable(nested)]
    #[schemars(extend("allOf" = [{"required": ["email"], "minProperties": 2}]))]
    pub shipping: Option<Contact>,
}

/// A nested patch holds the changed attributes alone (RFC 7396 §2), so the keys that the
/// nested model must hold say nothing of it: its schema refused `{"contact": {"phone":
/// null}}` beside `extend("required" = ["email"])`, which serde reads; what its own patch
/// schema refuses stays refused.
#[test]
fn a_nested_attributes_items_of_the_whole_value_leave_its_patch_alone() {
    for serialize in [false, true] {
        let schema = schema_of::<CustomerPatch>(serialize);
        let patch = Validator::new(schema.clone());
        for json in [
            json!({"contact": {"phone": null}}),
            json!({"contact": {}}),
            json!({"billing": {}}),
            json!({"billing": null}),
            json!({"shipping": {"phone": null}}),
        ] {
            let read: CustomerPatch = serde_json::from_value(json.clone()).unwrap();
            assert_eq!(serde_json::to_value(&read).unwrap(), json);
            assert!(
                patch.accepts(&json),
                "{json}, serialize: {serialize}: {schema:#}"
            );
        }
        assert!(!patch.accepts(&json!({"contact": {"email": null}})));
        assert!(!patch.accepts(&json!({"contact": null})));
    }
}
