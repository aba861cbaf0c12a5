//! Issue 12: the JSON Schema of a derived patch (feature `schemars`) tells the truth about what
//! serde reads and writes. Patches are validated with `boon`, a JSON Schema 2020-12 validator
//! that this crate does not write; the schema of a model with every field kind is pinned in
//! `tests/data/schema/account_patch.json` (rewrite it with `UPDATE_SNAPSHOTS=1` and review the
//! diff).

use std::collections::{BTreeMap, HashMap};

use proptest::prelude::*;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use sparse_patch::{Field, Patchable};

#[path = "support/json_schema.rs"]
mod json_schema;
use json_schema::{Validator, schema_of};

/// A postal address.
#[derive(Patchable, Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Address {
    /// The street and number.
    pub street: String,
    pub postal_code: Option<String>,
}

/// An account, with a field of every kind.
///
/// A second paragraph.
#[derive(Patchable, Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Account {
    /// The login name.
    pub user_name: String,
    /// What friends call the account's owner.
    #[serde(alias = "nick")]
    pub nick_name: Option<String>,
    pub age: Option<u8>,
    pub active: bool,
    #[serde(rename = "e-mail")]
    pub email: Option<String>,
    pub r#type: String,
    #[patchable(nested)]
    pub address: Address,
    /// Where invoices go.
    #[patchable(nested)]
    pub billing: Option<Address>,
    pub labels: BTreeMap<String, String>,
    pub scores: HashMap<String, u32>,
    pub settings: BTreeMap<String, Value>,
    pub extra: Value,
    pub profile: Option<serde_json::Map<String, Value>>,
    pub roles: Vec<String>,
    #[serde(rename(serialize = "createdBy", deserialize = "creator"))]
    pub created_by: Option<String>,
    #[patchable(skip)]
    pub id: u64,
}

/// A model whose unknown keys are its tags.
#[derive(Patchable, Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Tagged {
    pub name: String,
    #[serde(flatten)]
    pub tags: BTreeMap<String, String>,
}

fn reader() -> Validator {
    Validator::new(schema_of::<AccountPatch>(false))
}

fn serde_reads(json: &Value) -> bool {
    serde_json::from_value::<AccountPatch>(json.clone()).is_ok()
}

/// `value` with every object's members by name, as serde_json's default `Map` keeps them:
/// where its `preserve_order` is on (another crate of a build may turn it on), schemars
/// writes members in insertion order, which says nothing of the schema (JSON objects are
/// unordered), and the pinned text is compared in one order.
fn sorted(value: Value) -> Value {
    match value {
        Value::Object(members) => {
            let mut members: Vec<_> = members.into_iter().collect();
            members.sort_by(|(a, _), (b, _)| a.cmp(b));
            Value::Object(
                members
                    .into_iter()
                    .map(|(name, member)| (name, sorted(member)))
                    .collect(),
            )
        }
        Value::Array(items) => Value::Array(items.into_iter().map(sorted).collect()),
        other => other,
    }
}

#[test]
fn the_schema_of_every_field_kind_is_pinned() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/schema/account_patch.json"
    );
    let actual = json!({
        "deserialize": schema_of::<AccountPatch>(false),
        "serialize": schema_of::<AccountPatch>(true),
        "tagged": schema_of::<TaggedPatch>(false),
    });
    let text = serde_json::to_string_pretty(&sorted(actual)).unwrap() + "\n";
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
        std::fs::write(path, &text).unwrap();
    }
    let pinned = std::fs::read_to_string(path).expect("the pinned schema exists");
    assert_eq!(
        text, pinned,
        "the schema changed: review it, then UPDATE_SNAPSHOTS=1"
    );
}

#[test]
fn no_attribute_is_required_and_skipped_ones_are_absent() {
    let text = serde_json::to_string(&schema_of::<AccountPatch>(false)).unwrap();
    assert!(!text.contains("\"required\""), "{text}");
    assert!(reader().accepts(&json!({})));
    let schema = schema_of::<AccountPatch>(false);
    let properties = schema["properties"].as_object().unwrap();
    assert!(!properties.contains_key("id"));
    assert!(!properties.contains_key("createdBy"));
    assert!(properties.contains_key("creator"));
    assert!(properties.contains_key("nick"), "an alias is read");
    assert!(
        properties.contains_key("type"),
        "a raw identifier without `r#`"
    );
    let written = schema_of::<AccountPatch>(true);
    let written = written["properties"].as_object().unwrap();
    assert!(written.contains_key("createdBy") && !written.contains_key("creator"));
    assert!(!written.contains_key("nick"), "an alias is never written");
}

#[test]
fn descriptions_come_from_doc_comments() {
    let schema = schema_of::<AccountPatch>(false);
    assert_eq!(
        schema["description"],
        "An account, with a field of every kind.\n\nA second paragraph."
    );
    assert_eq!(
        schema["properties"]["userName"]["description"],
        "The login name."
    );
    assert_eq!(
        schema["properties"]["billing"]["description"],
        "Where invoices go."
    );
    assert_eq!(
        schema["$defs"]["AddressPatch"]["properties"]["street"]["description"],
        "The street and number."
    );
}

/// A heading, paragraphs, a list and a code block.
///
/// # Ledger
///
/// Entries of one book,
/// kept by day.
///
/// - credits
/// - debits
#[derive(Patchable, Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Ledger {
    /// # Balance
    /// In cents:
    ///
    /// ```
    ///     let cents = 100;
    /// ```
    pub balance: i64,
}

/// A doc comment keeps its line breaks, as schemars' derive keeps a model's: a list and a code
/// block joined into one line read as one paragraph in Markdown (the `UserPatch` schema's
/// list of read-only attributes did); a first line `# Title` is the schema's `title`.
#[test]
fn descriptions_keep_their_lines_and_a_heading_is_the_title() {
    let schema = schema_of::<LedgerPatch>(false);
    // The root's `title` is schemars' (the schema's name): the heading is not the first line.
    assert_eq!(schema["title"], "LedgerPatch");
    assert_eq!(
        schema["description"],
        "A heading, paragraphs, a list and a code block.\n\n# Ledger\n\nEntries of one book,\nkept by day.\n\n- credits\n- debits"
    );
    let balance = &schema["properties"]["balance"];
    assert_eq!(balance["title"], "Balance");
    assert_eq!(
        balance["description"],
        "In cents:\n\n```\n    let cents = 100;\n```"
    );
}

#[test]
fn nested_patches_are_references() {
    let schema = schema_of::<AccountPatch>(false);
    assert_eq!(
        schema["properties"]["address"]["$ref"],
        "#/$defs/AddressPatch"
    );
    assert_eq!(
        schema["properties"]["billing"]["anyOf"][0]["$ref"],
        "#/$defs/AddressPatch"
    );
}

/// Each case is JSON that serde refuses; the schema refuses it too.
#[test]
fn what_serde_refuses_the_schema_refuses() {
    let validator = reader();
    let cases = [
        json!({"userName": null}),
        json!({"active": null}),
        json!({"address": null}),
        json!({"extra": null}),
        json!({"address": {"street": null}}),
        json!({"labels": {"a": 1}}),
        json!({"userName": 5}),
        json!({"age": "five"}),
        json!({"age": 256}),
        json!({"age": -1}),
        json!({"roles": "admin"}),
        json!({"scores": {"a": "high"}}),
        json!({"unknown": 1}),
        json!({"id": 1}),
        json!({"createdBy": "x"}),
        json!({"profile": [1]}),
        // One attribute under its name and its alias: serde's "duplicate field".
        json!({"nickName": "Al", "nick": "Al"}),
        json!({"nick": null, "nickName": "Al"}),
    ];
    for case in cases {
        assert!(!serde_reads(&case), "serde reads {case}");
        assert!(!validator.accepts(&case), "the schema accepts {case}");
    }
}

/// Each case is JSON that serde reads; the schema accepts it.
#[test]
fn what_serde_reads_the_schema_accepts() {
    let validator = reader();
    let cases = [
        json!({"nickName": null}),
        json!({"nick": "Al"}),
        json!({"e-mail": null}),
        json!({"type": "admin"}),
        json!({"billing": null}),
        json!({"billing": {"postal_code": null}}),
        json!({"labels": {"a": null, "b": "x"}}),
        json!({"settings": {"a": null, "b": {"c": [1]}}}),
        json!({"extra": {"anything": [null, 1, "x"]}}),
        json!({"extra": [1, 2]}),
        json!({"profile": null}),
        json!({"profile": {"a": 1}}),
        json!({"creator": "x"}),
    ];
    for case in cases {
        assert!(serde_reads(&case), "serde refuses {case}");
        assert!(validator.accepts(&case), "the schema refuses {case}");
    }
}

#[test]
fn a_flattened_map_takes_the_other_keys() {
    let validator = Validator::new(schema_of::<TaggedPatch>(false));
    let reads = |json: &Value| serde_json::from_value::<TaggedPatch>(json.clone()).is_ok();
    for case in [json!({"name": "x", "a": "b", "c": null}), json!({})] {
        assert!(reads(&case) && validator.accepts(&case), "{case}");
    }
    for case in [json!({"name": null}), json!({"a": 1})] {
        assert!(!reads(&case) && !validator.accepts(&case), "{case}");
    }
}

fn text() -> impl Strategy<Value = String> {
    "[a-z]{0,6}"
}

fn field<T: std::fmt::Debug + Clone>(
    value: impl Strategy<Value = T>,
) -> impl Strategy<Value = Field<T>> {
    prop_oneof![
        Just(Field::Absent),
        Just(Field::Null),
        value.prop_map(Field::Value)
    ]
}

fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        // Beyond `u32` too: the schema states the range of `u32`, which schemars states by
        // `format` alone (tests/patch_schema_differential.rs).
        any::<i64>().prop_map(Value::from),
        text().prop_map(Value::from),
    ];
    leaf.prop_recursive(2, 8, 3, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..3).prop_map(Value::from),
            prop::collection::btree_map(text(), inner, 0..3)
                .prop_map(|map| Value::Object(map.into_iter().collect())),
        ]
    })
}

fn address_patch() -> impl Strategy<Value = AddressPatch> {
    (prop::option::of(text()), field(text())).prop_map(|(street, postal_code)| AddressPatch {
        street,
        postal_code,
    })
}

fn account_patch() -> impl Strategy<Value = AccountPatch> {
    (
        (
            prop::option::of(text()),
            field(text()),
            field(any::<u8>()),
            prop::option::of(any::<bool>()),
            field(text()),
            prop::option::of(text()),
            prop::option::of(address_patch()),
            field(address_patch()),
        ),
        (
            prop::option::of(prop::collection::btree_map(text(), field(text()), 0..3)),
            prop::option::of(prop::collection::hash_map(
                text(),
                field(any::<u32>()),
                0..3,
            )),
            prop::option::of(prop::collection::btree_map(
                text(),
                field(json_value()),
                0..3,
            )),
            prop::option::of(json_value()),
            field(prop::collection::btree_map(text(), json_value(), 0..3)),
            prop::option::of(prop::collection::vec(text(), 0..3)),
            field(text()),
        ),
    )
        .prop_map(
            |(
                (user_name, nick_name, age, active, email, r#type, address, billing),
                (labels, scores, settings, extra, profile, roles, created_by),
            )| AccountPatch {
                user_name,
                nick_name,
                age,
                active,
                email,
                r#type,
                address,
                billing,
                labels,
                scores,
                settings,
                extra,
                profile: match profile {
                    Field::Value(map) => Field::Value(map.into_iter().collect()),
                    Field::Null => Field::Null,
                    Field::Absent => Field::Absent,
                },
                roles,
                created_by,
            },
        )
}

/// Keys of the account patch as read, and some that it does not read.
fn key() -> impl Strategy<Value = &'static str> {
    prop::sample::select(vec![
        "userName",
        "nickName",
        "nick",
        "age",
        "active",
        "e-mail",
        "type",
        "address",
        "billing",
        "labels",
        "scores",
        "settings",
        "extra",
        "profile",
        "roles",
        "creator",
        "id",
        "createdBy",
        "other",
    ])
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Every patch that serde writes validates against the schema of what serde writes; with
    /// its renamed key read back, serde reads it exactly when the schema of reading accepts it.
    #[test]
    fn every_written_patch_validates(patch in account_patch()) {
        let written = Validator::new(schema_of::<AccountPatch>(true));
        let json = serde_json::to_value(&patch).unwrap();
        prop_assert!(written.accepts(&json), "{json}");
        let mut read_back = json.clone();
        if let Some(created_by) = read_back.as_object_mut().unwrap().remove("createdBy") {
            read_back["creator"] = created_by;
        }
        // Not every written patch is read back: `null` for a required `Value` is written, but
        // refused on reading. The schema of what serde reads says the same.
        prop_assert_eq!(serde_reads(&read_back), reader().accepts(&read_back), "{}", read_back);
    }

    /// For random objects over the patch's keys (and others), serde reads exactly what the
    /// schema accepts, a key together with its alias included (serde's duplicate field). (Not
    /// drawn: floats, which JSON Schema's `integer`
    /// accepts when whole and serde does not.)
    #[test]
    fn serde_reads_exactly_what_the_schema_accepts(
        entries in prop::collection::vec((key(), json_value()), 0..4)
    ) {
        let object: serde_json::Map<String, Value> =
            entries.into_iter().map(|(key, value)| (key.to_owned(), value)).collect();
        let json = Value::Object(object);
        prop_assert_eq!(serde_reads(&json), reader().accepts(&json), "{}", json);
    }
}

type MaybeText = Option<String>;

/// A type without a JSON Schema, written as text by the user's own serde functions.
#[derive(Clone, Debug, PartialEq)]
pub struct Colour(u8, u8, u8);

mod colour_as_text {
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(
        colour: &super::Colour,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&format!(
            "#{:02x}{:02x}{:02x}",
            colour.0, colour.1, colour.2
        ))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<super::Colour, D::Error> {
        let text = String::deserialize(deserializer)?;
        let byte = |at: usize| {
            text.get(at..at + 2)
                .and_then(|hex| u8::from_str_radix(hex, 16).ok())
                .ok_or_else(|| serde::de::Error::custom("not #rrggbb"))
        };
        if text.len() != 7 || !text.starts_with('#') {
            return Err(serde::de::Error::custom("not #rrggbb"));
        }
        Ok(super::Colour(byte(1)?, byte(3)?, byte(5)?))
    }
}

fn count_as_text<S: serde::Serializer>(count: &u32, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(&count.to_string())
}

fn number_or_text<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<u32, D::Error> {
    match Value::deserialize(deserializer)? {
        Value::String(text) => text.parse().map_err(serde::de::Error::custom),
        other => u32::deserialize(other).map_err(serde::de::Error::custom),
    }
}

/// Fields whose JSON the type alone does not tell: a nullable spelled through an alias, and
/// the user's own serde functions.
#[derive(Patchable, Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Unusual {
    #[patchable(nullable)]
    pub note: MaybeText,
    #[serde(with = "colour_as_text")]
    pub colour: Colour,
    #[serde(serialize_with = "count_as_text")]
    pub written_as_text: u32,
    #[serde(deserialize_with = "number_or_text")]
    pub read_from_text: u32,
}

#[test]
fn a_nullable_alias_and_the_users_serde_functions_are_described_truthfully() {
    let reading = Validator::new(schema_of::<UnusualPatch>(false));
    let reads = |json: &Value| serde_json::from_value::<UnusualPatch>(json.clone()).is_ok();
    let read = [
        json!({"note": null}),
        json!({"note": "x"}),
        json!({"colour": "#ff8000"}),
        json!({"written_as_text": 3}),
        json!({"read_from_text": "7"}),
        json!({"read_from_text": 7}),
    ];
    for case in read {
        assert!(reads(&case), "serde refuses {case}");
        assert!(reading.accepts(&case), "the schema refuses {case}");
    }
    let refused = [json!({"note": 1}), json!({"written_as_text": "3"})];
    for case in refused {
        assert!(!reads(&case), "serde reads {case}");
        assert!(!reading.accepts(&case), "the schema accepts {case}");
    }

    let writing = Validator::new(schema_of::<UnusualPatch>(true));
    let patch = UnusualPatch::new()
        .clear_note()
        .colour(Colour(255, 128, 0))
        .written_as_text(3_u32)
        .read_from_text(7_u32);
    let written = serde_json::to_value(&patch).unwrap();
    assert_eq!(
        written,
        json!({"note": null, "colour": "#ff8000", "written_as_text": "3", "read_from_text": 7})
    );
    assert!(writing.accepts(&written), "the schema refuses {written}");
    let not_written = json!({"read_from_text": "7"});
    assert!(
        !writing.accepts(&not_written),
        "the schema accepts {not_written}"
    );
}

/// A struct that refuses unknown keys on its own.
#[derive(Patchable, Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Strict {
    #[serde(alias = "c")]
    pub code: Option<String>,
}

/// A model that flattens `Strict`: serde hands a flattened struct only the keys it names, so
/// `Strict`'s `deny_unknown_fields` refuses nothing here.
#[derive(Patchable, Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct HoldsStrict {
    pub name: String,
    #[patchable(nested)]
    #[serde(flatten)]
    pub strict: Strict,
}

/// A flattened struct that denies unknown keys, then a flattened map: the map still takes the
/// other keys. (The map declared first would read the struct's keys too, serde-rs/serde#1299:
/// a compile error, `tests/ui/flattened_struct_after_flattened_map.rs`.)
#[derive(Patchable, Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StrictThenTags {
    #[patchable(nested)]
    #[serde(flatten)]
    pub strict: Strict,
    #[serde(flatten)]
    pub tags: BTreeMap<String, String>,
}

#[test]
fn a_flattened_struct_that_denies_unknown_keys_does_not_deny_them_in_its_parent() {
    // What serde's derive reads for the models, the patches read, and the schema accepts.
    let holds = Validator::new(schema_of::<HoldsStrictPatch>(false));
    for case in [json!({"name": "x", "unknown": 1}), json!({"code": null})] {
        assert!(
            serde_json::from_value::<HoldsStrictPatch>(case.clone()).is_ok(),
            "{case}"
        );
        assert!(holds.accepts(&case), "the schema refuses {case}");
    }
    assert!(serde_json::from_value::<HoldsStrict>(json!({"name": "x", "unknown": 1})).is_ok());
    // A flattened attribute's name and alias together: a duplicate, there too.
    let both = json!({"code": "x", "c": "y"});
    assert!(serde_json::from_value::<HoldsStrict>(both.clone()).is_err());
    assert!(serde_json::from_value::<HoldsStrictPatch>(both.clone()).is_err());
    assert!(!holds.accepts(&both), "the schema accepts {both}");

    let tags = Validator::new(schema_of::<StrictThenTagsPatch>(false));
    for case in [json!({"k": "v"}), json!({"code": "c", "k": null})] {
        assert!(
            serde_json::from_value::<StrictThenTagsPatch>(case.clone()).is_ok(),
            "{case}"
        );
        assert!(tags.accepts(&case), "the schema refuses {case}");
    }
    for case in [json!({"k": 1}), json!({"code": 1})] {
        assert!(
            serde_json::from_value::<StrictThenTagsPatch>(case.clone()).is_err(),
            "{case}"
        );
        assert!(!tags.accepts(&case), "the schema accepts {case}");
    }
}

/// `deny_unknown_fields` beside a flattened map: serde refuses every other key all the same
/// (a flattened map reads the entries without taking them, and the check sees them left).
#[derive(Patchable, Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DenyingTags {
    pub name: Option<String>,
    #[serde(flatten)]
    pub tags: BTreeMap<String, u8>,
}

/// Two flattened maps: each reads every other key, so a key must suit both.
#[derive(Patchable, Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TwoMaps {
    pub name: Option<String>,
    #[serde(flatten)]
    pub counts: BTreeMap<String, u8>,
    #[serde(flatten)]
    pub rest: serde_json::Map<String, Value>,
}

/// Two flattened maps of numbers, the narrower first: a key must suit both, so the wider
/// one's schema alone (the last map's) takes `{"k": 300}`, which the `u8` map refuses.
#[derive(Patchable, Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NarrowThenWide {
    pub name: Option<String>,
    #[serde(flatten)]
    pub narrow: BTreeMap<String, u8>,
    #[serde(flatten)]
    pub wide: BTreeMap<String, u16>,
}

/// A flattened map with integer keys: its schema says which keys (`patternProperties`, and
/// `additionalProperties: false` for the rest), and serde, which hands a flattened field its
/// keys as strings, reads none of them.
#[derive(Patchable, Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NumberedTags {
    pub name: Option<String>,
    #[serde(flatten)]
    pub tags: BTreeMap<u16, String>,
}

#[test]
fn flattened_maps_take_the_other_keys_as_serde_reads_them() {
    fn agree<
        P: schemars::JsonSchema + serde::de::DeserializeOwned,
        M: serde::de::DeserializeOwned,
    >(
        cases: &[Value],
    ) {
        let validator = Validator::new(schema_of::<P>(false));
        for case in cases {
            let model = serde_json::from_value::<M>(case.clone()).is_ok();
            let patch = serde_json::from_value::<P>(case.clone()).is_ok();
            assert_eq!(
                patch,
                validator.accepts(case),
                "{case}: the patch reads it: {patch}"
            );
            // Where the model has no null, the patch reads what the model reads.
            if !case.as_object().unwrap().values().any(Value::is_null) {
                assert_eq!(model, patch, "{case}");
            }
        }
    }
    agree::<DenyingTagsPatch, DenyingTags>(&[
        json!({"name": "x"}),
        json!({"k": 1}),
        json!({"k": null}),
        json!({"k": "s"}),
    ]);
    agree::<NumberedTagsPatch, NumberedTags>(&[
        json!({"name": "x"}),
        json!({"7": "a"}),
        json!({"x": "a"}),
    ]);
    agree::<TwoMapsPatch, TwoMaps>(&[
        json!({"name": "x", "k": 1}),
        json!({"k": "s"}),
        json!({"k": null}),
        json!({"k": 300}),
    ]);
    agree::<NarrowThenWidePatch, NarrowThenWide>(&[
        json!({"name": "x", "k": 1}),
        json!({"k": 255, "l": null}),
        json!({"k": 300}),
        json!({"k": "s"}),
    ]);
}

/// A flattened struct whose attribute has an alias that the parent's own field names.
#[derive(Patchable, Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AliasedInner {
    #[serde(alias = "code")]
    pub main: Option<String>,
}

/// `code` is the parent's own: serde reads it there first, so `{"code": .., "main": ..}` is
/// no duplicate of the flattened `main`.
#[derive(Patchable, Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OwnCodeBesideAlias {
    pub code: Option<u32>,
    #[patchable(nested)]
    #[serde(flatten)]
    pub inner: AliasedInner,
}

/// The flattened struct's dependentSchemas refused `{"code": 1, "main": "m"}`, which serde
/// reads (the parent's `code`, the flattened `main`), and its `code` property (a string)
/// overwrote the parent's (an integer).
#[test]
fn a_flattened_alias_that_the_parent_names_is_the_parents_key() {
    let schema = Validator::new(schema_of::<OwnCodeBesideAliasPatch>(false));
    let both = json!({"code": 1, "main": "m"});
    assert!(serde_json::from_value::<OwnCodeBesideAlias>(both.clone()).is_ok());
    assert!(serde_json::from_value::<OwnCodeBesideAliasPatch>(both.clone()).is_ok());
    assert!(schema.accepts(&both), "the schema refuses {both}");
    let code = json!({"code": 1});
    assert!(serde_json::from_value::<OwnCodeBesideAliasPatch>(code.clone()).is_ok());
    assert!(schema.accepts(&code), "the schema refuses {code}");
    let text = json!({"code": "x"});
    assert!(serde_json::from_value::<OwnCodeBesideAliasPatch>(text.clone()).is_err());
    assert!(!schema.accepts(&text), "the schema accepts {text}");
}

/// A foreign type without a JSON Schema of its own (a `url::Url` where schemars' `url` feature
/// is off), which the model's `JsonSchema` derive describes through `#[schemars(with = ...)]`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Link(String);

/// A model whose field schemas come from `#[schemars(with = "Type")]` (schemars' derive's
/// documented way to describe a type that has no `JsonSchema`, such as another crate's). The patch's
/// schema asked `Link` for one all the same: the patch did not compile with the feature
/// `schemars` on ("`Link` has no JSON Schema, which the patch's schema needs") where the
/// model's derive did.
#[derive(Patchable, Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Bookmark<T> {
    #[schemars(with = "String")]
    pub href: Link,
    /// The icon, if any.
    #[schemars(with = "String")]
    pub icon: Option<Link>,
    #[schemars(with = "Option<String>")]
    pub mirror: Option<Link>,
    #[schemars(with = "Vec<String>", description = "Labels.")]
    pub tags: Vec<T>,
}

#[test]
fn a_schemars_with_type_gives_the_fields_schema() {
    let schema = schema_of::<BookmarkPatch<Link>>(false);
    let properties = &schema["properties"];
    assert_eq!(properties["href"]["type"], "string", "{schema:#}");
    assert_eq!(properties["tags"]["items"]["type"], "string", "{schema:#}");
    assert_eq!(properties["icon"]["description"], "The icon, if any.");
    assert_eq!(properties["tags"]["description"], "Labels.");
    let validator = Validator::new(schema.clone());
    let patch = BookmarkPatch::<Link>::new()
        .href(Link("https://example.com".into()))
        .clear_icon()
        .mirror(Link("https://mirror.example.com".into()))
        .tags(vec![Link("rust".into())]);
    assert!(validator.accepts(&serde_json::to_value(&patch).unwrap()));
    for refused in [
        json!({"href": null}),
        json!({"href": 1}),
        json!({"mirror": 2}),
    ] {
        assert!(!validator.accepts(&refused), "{refused}");
    }
    assert!(validator.accepts(&json!({"icon": null, "mirror": null})));
}

/// kube-core's `Condition` as a CRD's status lists it (`k8s_openapi`'s, here without a
/// `JsonSchema` of its own): the schema comes from the field's `schema_with` function.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Condition {
    pub status: String,
    #[serde(rename = "type")]
    pub type_: String,
}

/// The schema kube's CRDs give a list of conditions (kube's `conditions` example, "Schemas"):
/// a list merged by `type`, which a schema of `Vec<Condition>` does not say.
fn conditions(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
    schemars::json_schema!({
        "type": "array",
        "x-kubernetes-list-type": "map",
        "x-kubernetes-list-map-keys": ["type"],
        "items": {"type": "object", "required": ["status", "type"]}
    })
}

/// A condition by name, for a map attribute's schema.
fn conditions_by_name(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
    schemars::json_schema!({
        "type": "object",
        "additionalProperties": {"type": "object", "required": ["status"]}
    })
}

/// A CRD's status as kube's users write it, its field schemas given by schemars'
/// `#[schemars(schema_with = "function")]`. The patch's schema asked `Condition` for a schema
/// all the same (the patch did not compile with the feature `schemars` on, where the model's
/// derive did), and where the type had one it dropped the function's (`x-kubernetes-list-type`).
#[derive(Patchable, Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DocumentStatus<T> {
    #[schemars(schema_with = "conditions")]
    pub conditions: Vec<Condition>,
    /// The conditions before the last change.
    #[schemars(schema_with = "conditions")]
    pub previous_conditions: Option<Vec<Condition>>,
    #[schemars(schema_with = "conditions_by_name")]
    pub by_name: BTreeMap<String, Condition>,
    #[schemars(schema_with = "conditions")]
    pub generic: Vec<T>,
}

#[test]
fn a_schemars_schema_with_function_gives_the_fields_schema() {
    for serialize in [true, false] {
        let schema = schema_of::<DocumentStatusPatch<Condition>>(serialize);
        let properties = &schema["properties"];
        assert_eq!(
            properties["conditions"]["x-kubernetes-list-type"], "map",
            "{schema:#}"
        );
        assert_eq!(
            properties["generic"]["x-kubernetes-list-map-keys"],
            json!(["type"])
        );
        assert_eq!(
            properties["previousConditions"]["type"],
            json!(["array", "null"]),
            "{schema:#}"
        );
        assert_eq!(
            properties["previousConditions"]["description"],
            "The conditions before the last change."
        );
        let validator = Validator::new(schema.clone());
        let condition = Condition {
            status: "True".into(),
            type_: "Ready".into(),
        };
        let patch = DocumentStatusPatch::<Condition>::new()
            .conditions(vec![condition.clone()])
            .clear_previous_conditions()
            .by_name_entry("ready", condition.clone())
            .clear_by_name_entry("old")
            .generic(vec![condition]);
        let json = serde_json::to_value(&patch).unwrap();
        assert!(validator.accepts(&json), "{json} against {schema:#}");
        for refused in [
            json!({"conditions": null}),
            json!({"conditions": [{"status": "True"}]}),
            json!({"previousConditions": 1}),
            json!({"byName": {"ready": {}}}),
        ] {
            assert!(!validator.accepts(&refused), "{refused}");
        }
    }
}

/// The schema of a list of `T`, naming the JSON of `T`'s default: a `schema_with` function
/// generic over the model's parameter, as schemars 1's own tests write one
/// (`from_serialize_default::<T>`).
fn list_naming_the_default<T: Default + Serialize>(
    _: &mut schemars::SchemaGenerator,
) -> schemars::Schema {
    let default_item = serde_json::to_value(T::default()).unwrap();
    schemars::Schema::try_from(json!({"type": "array", "x-default-item": default_item})).unwrap()
}

/// A generic model whose field's `schema_with` function names the model's parameter
/// (`list_naming_the_default::<T>`), which schemars' derive takes: the patch's schema declared
/// the function's type inside its own function, where `T` is not in scope, and the patch did
/// not compile with the feature `schemars` on (E0401, "can't use generic parameters from
/// outer item").
#[derive(Patchable, Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Shelf<T: Default + Serialize> {
    #[schemars(schema_with = "list_naming_the_default::<T>")]
    pub items: Vec<T>,
    pub name: String,
}

#[test]
fn a_schemars_schema_with_function_may_name_the_models_parameters() {
    for serialize in [true, false] {
        let schema = schema_of::<ShelfPatch<u8>>(serialize);
        assert_eq!(
            schema["properties"]["items"]["x-default-item"],
            json!(0),
            "{schema:#}"
        );
        let schema = schema_of::<ShelfPatch<String>>(serialize);
        assert_eq!(
            schema["properties"]["items"]["x-default-item"],
            json!(""),
            "{schema:#}"
        );
        let validator = Validator::new(schema.clone());
        assert!(validator.accepts(&json!({"items": ["a"], "name": "top"})));
        assert!(!validator.accepts(&json!({"items": "a"})));
    }
}

/// A contact whose old attributes are kept for old clients.
#[derive(Patchable, Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Contact {
    pub email: String,
    /// The address mail went to before `email`.
    #[deprecated = "use email"]
    #[serde(alias = "mail")]
    pub old_email: Option<String>,
    #[deprecated]
    #[patchable(nested)]
    pub postal: Option<Address>,
}

/// The contact of a model that is itself deprecated.
#[deprecated = "use Contact"]
#[derive(Patchable, Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LegacyContact {
    pub email: String,
}

/// `#[deprecated]` on a field or a model says `"deprecated": true` in the patch's schema
/// (JSON Schema 2020-12, Validation §9.3), as schemars' derive says of the model's own: the
/// schema left it out, so a client generated from it did not warn.
#[test]
#[allow(deprecated)]
fn a_deprecated_field_or_model_is_deprecated_in_the_schema() {
    for serialize in [true, false] {
        let schema = schema_of::<ContactPatch>(serialize);
        let properties = &schema["properties"];
        assert_eq!(properties["oldEmail"]["deprecated"], true, "{schema:#}");
        assert_eq!(
            properties["oldEmail"]["description"],
            "The address mail went to before `email`."
        );
        assert_eq!(properties["postal"]["deprecated"], true, "{schema:#}");
        assert_eq!(properties["email"].get("deprecated"), None, "{schema:#}");
        assert_eq!(schema.get("deprecated"), None, "{schema:#}");
        if !serialize {
            assert_eq!(properties["mail"]["deprecated"], true, "{schema:#}");
        }
        let legacy = schema_of::<LegacyContactPatch>(serialize);
        assert_eq!(legacy["deprecated"], true, "{legacy:#}");
        assert_eq!(legacy["properties"]["email"].get("deprecated"), None);
    }
}

const PROFILE_DESCRIPTION: &str = "The profile that other users see.";

/// # Profile
///
/// What the doc comment says of the model, for Rust readers.
#[derive(Patchable, Clone, Debug, PartialEq, Serialize, Deserialize)]
#[schemars(title = "Public profile", description = PROFILE_DESCRIPTION)]
pub struct Profile {
    /// For Rust readers.
    #[schemars(description = concat!("The name ", "shown."))]
    #[serde(alias = "name")]
    pub display_name: String,
    /// # Heading
    /// The doc comment's description.
    #[schemars(title = "Biography")]
    pub bio: Option<String>,
    /// Left out of the schema by an empty description.
    #[schemars(title = "Site", description = "")]
    pub site: Option<String>,
    #[schemars(description = "Where the user is.")]
    #[patchable(nested)]
    pub address: Option<Address>,
}

/// A model described by `#[schemars(...)]` alone.
#[derive(Patchable, Clone, Debug, PartialEq, Serialize, Deserialize)]
#[schemars(description = "Described by schemars alone.")]
pub struct Plain {
    pub name: String,
}

/// `#[schemars(title = ..., description = ...)]` on the model or a field stand in for the doc
/// comment's title and description in the patch's schema, as schemars' derive puts them on the
/// model's: the patch's schema read only the doc comment, so a model described for its API
/// (`description = CONST`) had a patch described for Rust readers, or not at all.
#[test]
fn schemars_title_and_description_stand_in_for_the_doc_comments() {
    for serialize in [true, false] {
        let schema = schema_of::<ProfilePatch>(serialize);
        assert_eq!(schema["title"], "Public profile", "{schema:#}");
        assert_eq!(schema["description"], PROFILE_DESCRIPTION, "{schema:#}");
        let properties = &schema["properties"];
        assert_eq!(properties["display_name"]["description"], "The name shown.");
        assert_eq!(properties["display_name"].get("title"), None);
        if !serialize {
            assert_eq!(properties["name"]["description"], "The name shown.");
        }
        assert_eq!(properties["bio"]["title"], "Biography", "{schema:#}");
        assert_eq!(
            properties["bio"]["description"],
            "The doc comment's description."
        );
        assert_eq!(properties["site"]["title"], "Site", "{schema:#}");
        assert_eq!(properties["site"].get("description"), None, "{schema:#}");
        assert_eq!(properties["address"]["description"], "Where the user is.");
        let plain = schema_of::<PlainPatch>(serialize);
        assert_eq!(plain["description"], "Described by schemars alone.");
        // The metadata of one field is not the next one's.
        assert_eq!(plain["properties"]["name"].get("description"), None);
    }
}

/// The user's serde functions with the JSON they make stated by `#[schemars(with)]`, as
/// schemars' derive reads it on the model.
#[derive(Patchable, Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Stated {
    #[serde(with = "colour_as_text")]
    #[schemars(with = "String")]
    pub colour: Colour,
    #[serde(serialize_with = "count_as_text")]
    #[schemars(with = "String")]
    pub written_as_text: u32,
    #[serde(with = "colour_as_text")]
    pub unstated: Colour,
}

/// `#[schemars(with = "String")]` on a field that the user's serde functions read and write
/// gives its keys `String`'s schema in the direction of those functions: the schema took any
/// JSON there (`{"colour": 5}`, which serde refuses), as if the user had not said.
#[test]
fn the_users_serde_functions_have_the_schema_that_schemars_with_states() {
    let reading = Validator::new(schema_of::<StatedPatch>(false));
    let reads = |json: &Value| serde_json::from_value::<StatedPatch>(json.clone()).is_ok();
    // (`written_as_text` is read by serde's own code, as a `u32`; its schema there is the
    // stated `String`'s, as for any field with `#[schemars(with)]`: the user's word.)
    for case in [
        json!({"colour": "#ff8000"}),
        json!({"written_as_text": "3"}),
    ] {
        assert!(reading.accepts(&case), "the schema refuses {case}");
    }
    assert!(reads(&json!({"colour": "#ff8000"})));
    for case in [json!({"colour": 5}), json!({"colour": null})] {
        assert!(!reads(&case), "serde reads {case}");
        assert!(!reading.accepts(&case), "the schema accepts {case}");
    }
    // No type stated: any JSON, as before.
    assert!(reading.accepts(&json!({"unstated": 5})));

    let writing = Validator::new(schema_of::<StatedPatch>(true));
    let patch = StatedPatch::new()
        .colour(Colour(255, 128, 0))
        .written_as_text(3_u32);
    let written = serde_json::to_value(&patch).unwrap();
    assert_eq!(
        written,
        json!({"colour": "#ff8000", "written_as_text": "3"})
    );
    assert!(writing.accepts(&written), "the schema refuses {written}");
    for case in [json!({"colour": 5}), json!({"written_as_text": 3})] {
        assert!(
            !writing.accepts(&case),
            "the schema of writing accepts {case}"
        );
    }
}

/// A required attribute that a function of the user's writes (`serialize_with` alone), stated
/// as a type whose JSON can be `null` (`serde_json::Value`): the patch reads it with its own
/// code, which refuses `null` for a required attribute, so its schema of reading does too
/// (the attribute's usual schema of the stated type); its schema of writing is the stated
/// type's as it stands.
#[derive(Patchable, Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StatedAny {
    #[serde(serialize_with = "count_as_text")]
    #[schemars(with = "Value")]
    pub count: u32,
}

#[test]
fn a_required_attribute_written_by_the_user_and_read_by_the_patch_refuses_null() {
    let reading = Validator::new(schema_of::<StatedAnyPatch>(false));
    let reads = |json: &Value| serde_json::from_value::<StatedAnyPatch>(json.clone()).is_ok();
    let cleared = json!({"count": null});
    assert!(!reads(&cleared));
    assert!(!reading.accepts(&cleared), "the schema accepts {cleared}");
    assert!(reads(&json!({"count": 3})) && reading.accepts(&json!({"count": 3})));
    let writing = Validator::new(schema_of::<StatedAnyPatch>(true));
    let written = serde_json::to_value(StatedAnyPatch::new().count(3_u32)).unwrap();
    assert_eq!(written, json!({"count": "3"}));
    assert!(
        writing.accepts(&written),
        "the schema of writing refuses {written}"
    );
}

/// chrono's `ts_seconds_option` on an `Option` (a time written as its seconds), with the
/// integer stated by `#[schemars(with = "i64")]` as schemars' derive reads it on the model, and
/// a `serialize_with` alone stated so too. The patch writes a cleared attribute as `null` and
/// reads `null` as a clear without the functions: the schema of the stated type alone refused
/// the patch's own `{"at": null}` in both directions.
#[derive(Patchable, Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Seen {
    #[serde(default, with = "seconds_option")]
    #[schemars(with = "i64")]
    pub at: Option<Colour>,
    #[serde(default, serialize_with = "seconds_option::as_text")]
    #[schemars(with = "String")]
    pub written_at: Option<u8>,
}

/// A time as its seconds (the colour's red, for a type without a number's JSON of its own).
mod seconds_option {
    #[allow(clippy::ref_option)]
    pub fn serialize<S: serde::Serializer>(
        value: &Option<super::Colour>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        match value {
            Some(colour) => serializer.serialize_some(&i64::from(colour.0)),
            None => serializer.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: serde::Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Option<super::Colour>, D::Error> {
        let seconds: Option<u8> = serde::Deserialize::deserialize(deserializer)?;
        Ok(seconds.map(|red| super::Colour(red, 0, 0)))
    }

    #[allow(clippy::ref_option)]
    pub fn as_text<S: serde::Serializer>(
        value: &Option<u8>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        match value {
            Some(seconds) => serializer.collect_str(seconds),
            None => serializer.serialize_none(),
        }
    }
}

#[test]
fn a_stated_type_of_a_nullable_attribute_takes_the_patchs_null() {
    let cleared = SeenPatch::new().clear_at().clear_written_at();
    let written = serde_json::to_value(&cleared).unwrap();
    assert_eq!(written, json!({"at": null, "written_at": null}));
    assert_eq!(
        serde_json::from_value::<SeenPatch>(written.clone()).unwrap(),
        cleared
    );
    let writing = Validator::new(schema_of::<SeenPatch>(true));
    let reading = Validator::new(schema_of::<SeenPatch>(false));
    assert!(
        writing.accepts(&written),
        "the schema of writing refuses {written}"
    );
    assert!(
        reading.accepts(&json!({"at": null})),
        "the schema of reading refuses a clear"
    );
    // The stated type still stands.
    let set = serde_json::to_value(SeenPatch::new().at(Colour(3, 0, 0))).unwrap();
    assert_eq!(set, json!({"at": 3}));
    assert!(writing.accepts(&set) && reading.accepts(&set));
    assert!(!reading.accepts(&json!({"at": "3"})));
    let set = serde_json::to_value(SeenPatch::new().written_at(4)).unwrap();
    assert_eq!(set, json!({"written_at": "4"}));
    assert!(writing.accepts(&set));
    assert!(!writing.accepts(&json!({"written_at": 4})));
}

/// Under JSON Schema draft-07 (`SchemaSettings::draft07()`, which older tools such as editors
/// read), a name and its alias together are refused by `dependencies`: the schema wrote
/// 2019-09's `dependentSchemas`, which a draft-07 validator ignores, so it accepted
/// `{"nick": .., "nickName": ..}`, which serde refuses as a duplicate field.
#[test]
fn a_name_and_its_alias_together_are_refused_under_draft_07() {
    let schema = schemars::generate::SchemaSettings::draft07()
        .for_deserialize()
        .into_generator()
        .into_root_schema_for::<AccountPatch>()
        .to_value();
    assert_eq!(schema["$schema"], "http://json-schema.org/draft-07/schema#");
    let validator = Validator::new(schema.clone());
    let both = json!({"nick": "a", "nickName": "b"});
    assert!(!serde_reads(&both));
    assert!(!validator.accepts(&both), "the schema accepts {both}");
    assert_eq!(schema.get("dependentSchemas"), None, "{schema:#}");
    assert!(validator.accepts(&json!({"nick": "a"})));
    assert!(validator.accepts(&json!({"nickName": "b"})));
}

/// Under OpenAPI 3.0 (`SchemaSettings::openapi3()`), whose schema object has neither
/// `dependentSchemas` nor `dependencies` and allows no other keyword, the rule on a name and
/// its alias goes unsaid: the schema wrote `dependentSchemas` there, an invalid document.
#[test]
fn no_keyword_outside_openapi_3_0_for_a_name_and_its_alias() {
    let schema = schemars::generate::SchemaSettings::openapi3()
        .for_deserialize()
        .into_generator()
        .into_root_schema_for::<AccountPatch>()
        .to_value();
    let text = schema.to_string();
    assert!(text.contains("nickName"), "{schema:#}");
    assert!(!text.contains("dependentSchemas"), "{schema:#}");
    assert!(!text.contains("\"dependencies\""), "{schema:#}");
}

/// A model with custom attributes and a read-only `id`: the patch reads the `id` of a
/// server's answer and drops it, so that it does not land in the map.
#[derive(Patchable, Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Custom {
    pub name: Option<String>,
    #[patchable(skip)]
    #[serde(alias = "ident")]
    pub id: u64,
    #[serde(flatten)]
    pub custom: BTreeMap<String, String>,
}

/// The same under `deny_unknown_fields`, which still reads and drops the read-only keys.
#[derive(Patchable, Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StrictCustom {
    pub name: Option<String>,
    #[patchable(skip)]
    pub id: u64,
    #[serde(flatten)]
    pub custom: BTreeMap<String, String>,
}

/// A model with a read-only `id`, flattened beside a map: its patch takes `id` from the map.
#[derive(Patchable, Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Identified {
    pub name: Option<String>,
    #[patchable(skip)]
    #[serde(alias = "ident")]
    pub id: u64,
}

#[derive(Patchable, Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct HoldsIdentified {
    #[serde(flatten)]
    #[patchable(nested)]
    pub identified: Identified,
    #[serde(flatten)]
    pub custom: BTreeMap<String, String>,
}

/// The keys of read-only (skipped) fields that a patch reads and ignores whatever their
/// value (beside a flattened map, under `deny_unknown_fields` too, and those of a flattened
/// nested model) are any JSON in the schema of reading: it gave them the map's values'
/// schema, or refused them under `deny_unknown_fields`, so a server's whole answer sent back
/// (`{"id": 7}`) was refused by the schema and read by serde. A name with its alias is still
/// a duplicate field where the patch drops them.
#[test]
fn read_only_keys_that_the_patch_ignores_are_any_json_to_the_schema() {
    fn agree<P: schemars::JsonSchema + serde::de::DeserializeOwned>(cases: &[Value]) {
        let validator = Validator::new(schema_of::<P>(false));
        for case in cases {
            let serde = serde_json::from_value::<P>(case.clone()).is_ok();
            assert_eq!(
                serde,
                validator.accepts(case),
                "{}: serde reads {serde}: {case}",
                std::any::type_name::<P>()
            );
        }
    }
    let cases = [
        json!({"id": 7}),
        json!({"id": null, "name": "a"}),
        json!({"ident": [1]}),
        json!({"id": 7, "ident": 8}),
        json!({"id": "7", "ident": "8"}),
        json!({"other": "x"}),
        json!({"other": 1}),
    ];
    agree::<CustomPatch>(&cases);
    agree::<StrictCustomPatch>(&cases);
    agree::<HoldsIdentifiedPatch>(&cases);
    agree::<IdentifiedPatch>(&cases);
    assert!(serde_json::from_value::<CustomPatch>(json!({"id": 7})).is_ok());
    let read = schema_of::<CustomPatch>(false);
    assert_eq!(
        read["properties"]["id"],
        json!({"readOnly": true}),
        "{read:#}"
    );
    // Never written.
    let written = schema_of::<CustomPatch>(true);
    assert_eq!(written["properties"].get("id"), None, "{written:#}");
}

/// 128-bit integers.
#[derive(Patchable, Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Wide {
    pub unsigned: u128,
    pub signed: Option<i128>,
}

/// A 128-bit integer's upper end, `2^128` or `2^127` (not itself a value of the type), is an
/// exclusive maximum: a number in JSON Schema 2020-12, and `"exclusiveMaximum": true` beside
/// `maximum` under OpenAPI 3.0 (`SchemaSettings::openapi3()`), whose schema object takes
/// draft-04's boolean. The number there made the document invalid OpenAPI 3.0.
#[test]
fn a_128_bit_upper_end_is_exclusive_in_each_dialect() {
    let schema = schema_of::<WidePatch>(false);
    let unsigned = &schema["properties"]["unsigned"];
    assert_eq!(unsigned["exclusiveMaximum"], 2f64.powi(128), "{schema:#}");
    assert_eq!(unsigned.get("maximum"), None, "{schema:#}");

    let openapi = schemars::generate::SchemaSettings::openapi3()
        .into_generator()
        .into_root_schema_for::<WidePatch>()
        .to_value();
    let properties = &openapi["properties"];
    assert_eq!(
        properties["unsigned"]["maximum"],
        2f64.powi(128),
        "{openapi:#}"
    );
    assert_eq!(
        properties["unsigned"]["exclusiveMaximum"], true,
        "{openapi:#}"
    );
    assert_eq!(
        properties["signed"]["maximum"],
        2f64.powi(127),
        "{openapi:#}"
    );
    assert_eq!(
        properties["signed"]["exclusiveMaximum"], true,
        "{openapi:#}"
    );
    assert_eq!(properties["signed"]["nullable"], true, "{openapi:#}");
}

#[doc = include_str!("data/schema/documented.md")]
#[derive(Patchable, Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Documented {
    /// The name,
    #[doc = concat!("as `", env!("CARGO_PKG_NAME"), "` calls it.")]
    pub name: String,
    /// Plain text.
    pub note: Option<String>,
}

/// A doc comment that another macro gives some of (`#[doc = include_str!("...")]`, a
/// `concat!` with an `env!`) is the patch's description too, as schemars' derive reads the
/// model's: the derive could not read that text and left the description out.
#[test]
fn a_doc_comment_from_another_macro_is_the_description() {
    for serialize in [true, false] {
        let schema = schema_of::<DocumentedPatch>(serialize);
        assert_eq!(schema["title"], "Documented elsewhere", "{schema:#}");
        assert_eq!(
            schema["description"],
            "The model's documentation, kept in a Markdown file."
        );
        let properties = &schema["properties"];
        assert_eq!(
            properties["name"]["description"],
            "The name,\nas `sparse-patch` calls it."
        );
        assert_eq!(properties["note"]["description"], "Plain text.");
    }
}

/// A label type of another crate, without a JSON Schema.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Label(pub String);

/// Maps whose values have no JSON Schema of their own, given one by `#[schemars(with)]`.
#[derive(Patchable, Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Labelled {
    #[schemars(with = "BTreeMap<String, String>")]
    pub labels: BTreeMap<String, Label>,
    /// Labels by number.
    #[schemars(with = "HashMap<u8, String>")]
    pub numbered: Option<HashMap<u8, Label>>,
}

/// `#[schemars(with = "Type")]` on a map field (merged key by key) gives the patch's map that
/// type's schema, its values `null` too (remove the key): the derive read it on a plain field
/// only, so such a model, whose value type has no schema, did not compile with the feature
/// (``the trait bound `Label: JsonSchema` is not satisfied``) although the attribute said
/// what to use.
#[test]
fn a_schemars_with_type_gives_a_map_fields_schema() {
    let schema = schema_of::<LabelledPatch>(false);
    assert_eq!(
        schema["properties"]["numbered"]["description"],
        "Labels by number."
    );
    let validator = Validator::new(schema.clone());
    let reads = |json: &Value| serde_json::from_value::<LabelledPatch>(json.clone()).is_ok();
    for case in [
        json!({"labels": {"a": "x", "b": null}}),
        json!({"numbered": null}),
        json!({"numbered": {"1": "one", "2": null}}),
    ] {
        assert!(reads(&case), "serde refuses {case}");
        assert!(
            validator.accepts(&case),
            "the schema refuses {case}: {schema:#}"
        );
    }
    for case in [
        json!({"labels": {"a": 1}}),
        json!({"labels": null}),
        json!({"numbered": {"1": 1}}),
    ] {
        assert!(!reads(&case), "serde reads {case}");
        assert!(!validator.accepts(&case), "the schema accepts {case}");
    }
    let writing = Validator::new(schema_of::<LabelledPatch>(true));
    let patch = LabelledPatch::new().clear_numbered();
    assert!(writing.accepts(&serde_json::to_value(&patch).unwrap()));
}

/// A flattened map whose values have no JSON Schema of their own, given one by
/// `#[schemars(with)]`.
#[derive(Patchable, Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FlatLabelled {
    pub name: Option<String>,
    #[serde(flatten)]
    #[schemars(with = "BTreeMap<String, String>")]
    pub extra: BTreeMap<String, Label>,
}

/// `#[schemars(with = "Type")]` on a flattened map: its values, or `null`, are the patch's
/// other keys. The derive read it only on a map under a key of its own, so such a model did
/// not compile with the feature (``the trait bound `Label: JsonSchema` is not satisfied``,
/// required by `PatchSchema::flatten`).
#[test]
fn a_schemars_with_type_gives_a_flattened_maps_values() {
    let schema = schema_of::<FlatLabelledPatch>(false);
    let validator = Validator::new(schema.clone());
    let reads = |json: &Value| serde_json::from_value::<FlatLabelledPatch>(json.clone()).is_ok();
    for case in [
        json!({"name": "n", "colour": "red", "size": null}),
        json!({"colour": "red"}),
    ] {
        assert!(reads(&case), "serde refuses {case}");
        assert!(
            validator.accepts(&case),
            "the schema refuses {case}: {schema:#}"
        );
    }
    for case in [json!({"colour": 1}), json!({"name": 5})] {
        assert!(!reads(&case), "serde reads {case}");
        assert!(!validator.accepts(&case), "the schema accepts {case}");
    }
}
