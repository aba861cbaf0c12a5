//! Nested patches read through a flattened struct (feature `schemars`): serde reads a
//! flattened struct from its parent's buffered entries (its `Content`), and so every value
//! below it, nested patches at any depth included, whose maps keyed by an integer or a `bool`
//! then read no entry (serde-rs/serde#1183: the buffer's keys are strings, which neither type
//! reads), an `i128` or `u128` no number (the buffer holds none), and a `RawValue` no value
//! (serde-rs/json#599, which the schema cannot say), while a unit struct reads `{}` and `[]`
//! too (which it does not say either). The schema of reading (`boon`, JSON Schema 2020-12)
//! accepts a document exactly when `serde_json::from_value` reads it into the patch, and what
//! serde then writes validates against the schema of writing.

use std::collections::BTreeMap;

use proptest::prelude::*;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use sparse_patch::Patchable;

#[path = "support/json_schema.rs"]
mod json_schema;
use json_schema::{Validator, schema_of};

/// Maps keyed by an integer, a `bool` and a `char`.
#[derive(Patchable, Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Keyed {
    pub by_u8: BTreeMap<u8, String>,
    pub by_bool: Option<BTreeMap<bool, String>>,
    pub by_char: BTreeMap<char, String>,
    pub lists: Vec<BTreeMap<i16, String>>,
}

/// A nested patch two levels down.
#[derive(Patchable, Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Holder {
    #[patchable(nested)]
    pub keyed: Keyed,
}

/// Flattened into `Outer`: its nested patches are read from `Outer`'s buffer.
#[derive(Patchable, Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Middle {
    pub y: Option<u8>,
    #[patchable(nested)]
    pub deep: Keyed,
    #[patchable(nested)]
    pub maybe_deep: Option<Box<Keyed>>,
    #[patchable(nested)]
    pub holder: Holder,
}

/// `Keyed` flattened (through `Middle`) and as a plain nested attribute (`direct`), which
/// reads its keys.
#[derive(Patchable, Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Outer {
    pub x: Option<u8>,
    #[serde(flatten)]
    #[patchable(nested)]
    pub middle: Middle,
    #[patchable(nested)]
    pub direct: Keyed,
}

fn reads<T: serde::de::DeserializeOwned>(json: &Value) -> bool {
    serde_json::from_value::<T>(json.clone()).is_ok()
}

use json_schema::serde_and_schemas_agree as agree;

/// A nested patch in a flattened struct, at any depth, reads no integer or `bool` key of its
/// maps (the model refuses them too): its schema was the shared definition of the nested
/// patch read directly, which took `{"deep": {"by_u8": {"5": "a"}}}`.
#[test]
fn a_nested_patch_in_a_flattened_struct_reads_no_integer_key() {
    for case in [
        json!({"deep": {"by_u8": {"5": "a"}}}),
        json!({"maybe_deep": {"by_bool": {"true": "a"}}}),
        json!({"holder": {"keyed": {"lists": [{"-1": "a"}]}}}),
    ] {
        assert!(!reads::<OuterPatch>(&case), "{case}");
        agree::<OuterPatch>(&case).unwrap();
        // `Middle` read directly reads them.
        assert!(reads::<MiddlePatch>(&case), "{case}");
        agree::<MiddlePatch>(&case).unwrap();
    }
    for case in [
        json!({"direct": {"by_u8": {"5": "a"}, "by_bool": {"false": null}}}),
        json!({"deep": {"by_char": {"c": "a", "d": null}, "by_u8": {}}, "maybe_deep": null}),
        json!({"holder": {"keyed": {"lists": [{}], "by_bool": null}}, "y": 3}),
    ] {
        assert!(reads::<OuterPatch>(&case), "{case}");
        agree::<OuterPatch>(&case).unwrap();
    }
}

/// Maps with keys that an integer, a `bool` or a `char` reads, or none does.
fn entries() -> impl Strategy<Value = Value> + Clone {
    prop::collection::btree_map(
        // Mostly keys that some key type reads, so that one wrong key is not hidden by another.
        prop::sample::select(vec!["5", "5", "true", "true", "c", "c", "-1", "256", "cd"]),
        prop_oneof![6 => Just(json!("v")), 2 => Just(Value::Null), 1 => Just(json!(1))],
        0..3,
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

/// Some of `Keyed`'s attributes, each with such a map (or `null`, or a list of them).
fn keyed() -> impl Strategy<Value = Value> + Clone {
    let maybe_entries = prop_oneof![1 => Just(Value::Null), 4 => entries()];
    let lists = prop::collection::vec(entries(), 0..3).prop_map(Value::from);
    (
        some(0.4, entries()),
        some(0.4, maybe_entries),
        some(0.4, entries()),
        some(0.4, lists),
    )
        .prop_map(|(by_u8, by_bool, by_char, lists)| {
            object_of(vec![
                ("by_u8", by_u8),
                ("by_bool", by_bool),
                ("by_char", by_char),
                ("lists", lists),
            ])
        })
}

/// Some of `Outer`'s and `Middle`'s attributes, their nested ones `Keyed`'s (or `null`).
fn document() -> impl Strategy<Value = Value> {
    let maybe_keyed = prop_oneof![1 => Just(Value::Null), 4 => keyed()];
    let holder = keyed().prop_map(|keyed| json!({ "keyed": keyed }));
    let number = prop_oneof![Just(json!(7)), Just(Value::Null)];
    (
        some(0.3, number.clone()),
        some(0.3, number),
        some(0.3, keyed()),
        some(0.3, maybe_keyed),
        some(0.3, holder),
        some(0.3, keyed()),
    )
        .prop_map(|(x, y, deep, maybe_deep, holder, direct)| {
            object_of(vec![
                ("x", x),
                ("y", y),
                ("deep", deep),
                ("maybe_deep", maybe_deep),
                ("holder", holder),
                ("direct", direct),
            ])
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// A document validates against the schema of reading exactly when serde reads it, for
    /// the patch that flattens `Middle` and for `Middle`'s own.
    #[test]
    fn nested_patches_under_a_flattened_struct(json in document()) {
        agree::<OuterPatch>(&json).map_err(TestCaseError::fail)?;
        agree::<MiddlePatch>(&json).map_err(TestCaseError::fail)?;
    }
}

/// Raw JSON, whose schema the model states (schemars has none for `RawValue`).
#[derive(Patchable, Clone, Debug, Serialize, Deserialize)]
pub struct Raw {
    #[schemars(with = "Option<Value>")]
    pub maybe: Option<Box<serde_json::value::RawValue>>,
    #[schemars(with = "Value")]
    pub raw: Box<serde_json::value::RawValue>,
}

#[derive(Patchable, Clone, Debug, Serialize, Deserialize)]
pub struct OverRaw {
    pub x: Option<u8>,
    #[serde(flatten)]
    #[patchable(nested)]
    pub inner: Raw,
}

/// serde_json's `RawValue` is read from serde_json's own deserializer only (serde-rs/json#599,
/// #883): from a flattened struct's buffer it reads no value, but a nullable attribute's
/// `null` (the patch's, a clear). The schema, which takes the stated type's values there
/// (`{"raw": [1]}`), cannot tell a `RawValue` from that type; the README's schema section
/// says so.
#[test]
fn a_raw_value_in_a_flattened_struct_is_read_by_no_document() {
    for case in [json!({"raw": [1]}), json!({"maybe": {"a": 1}})] {
        assert!(reads::<RawPatch>(&case), "{case}");
        assert!(Validator::new(schema_of::<RawPatch>(false)).accepts(&case));
        assert!(!reads::<OverRawPatch>(&case), "{case}");
        assert!(Validator::new(schema_of::<OverRawPatch>(false)).accepts(&case));
    }
    let clear = json!({"maybe": null, "x": 1});
    assert!(reads::<OverRawPatch>(&clear));
    assert!(Validator::new(schema_of::<OverRawPatch>(false)).accepts(&clear));
}

/// A map keyed by `bool` that the derive does not see as one.
pub type Flags = BTreeMap<bool, String>;

#[derive(Patchable, Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Unseen {
    pub listed: Vec<BTreeMap<bool, String>>,
    pub aliased: Flags,
}

#[derive(Patchable, Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OverUnseen {
    pub x: Option<u8>,
    #[serde(flatten)]
    #[patchable(nested)]
    pub unseen: Unseen,
}

/// The limit the README states: schemars 1 describes a map keyed by `bool` as one keyed by
/// strings (`{"type": "object", "additionalProperties": ...}`), so where the derive does not
/// see the map (inside a `Vec`, behind an alias) nothing in its schema says that read from a
/// flattened struct's buffer it reads no entry: the schema of reading takes any key there,
/// which serde refuses. Read directly, the map reads `true` and `false`, and the schema takes
/// any key too.
#[test]
fn a_bool_keyed_map_the_derive_does_not_see_keeps_any_key() {
    let schema = Validator::new(schema_of::<OverUnseenPatch>(false));
    for case in [
        json!({"listed": [{"true": "a"}]}),
        json!({"aliased": {"false": "a"}}),
        json!({"aliased": {"k": "a"}}),
    ] {
        assert!(!reads::<OverUnseenPatch>(&case), "{case}");
        assert!(schema.accepts(&case), "{case}");
    }
    assert!(reads::<UnseenPatch>(&json!({"listed": [{"true": "a"}]})));
    assert!(!reads::<UnseenPatch>(&json!({"aliased": {"k": "a"}})));
    assert!(
        Validator::new(schema_of::<UnseenPatch>(false)).accepts(&json!({"aliased": {"k": "a"}}))
    );
    agree::<OverUnseenPatch>(&json!({"listed": [{}], "aliased": {}})).unwrap();
}

/// 128-bit integers, read directly or from a buffer.
#[derive(Patchable, Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Wide {
    pub big: u128,
    pub small: Option<i128>,
    pub many: Vec<u128>,
    pub by_name: BTreeMap<String, i128>,
}

#[derive(Patchable, Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OverWide {
    pub x: Option<u8>,
    #[serde(flatten)]
    #[patchable(nested)]
    pub wide: Wide,
}

/// serde's buffer holds no 128-bit integer ("u128 is not supported"): from a flattened
/// struct an `i128` or `u128` reads no number, which the schema of reading took
/// (`{"big": 1}`). A nullable attribute's `null` stays a clear, and a map entry's `null` a
/// removal; read directly, they read numbers.
#[test]
fn a_128_bit_integer_in_a_flattened_struct_reads_no_number() {
    for case in [
        json!({"big": 1}),
        json!({"small": -1}),
        json!({"many": [0]}),
        json!({"by_name": {"k": 5}}),
    ] {
        assert!(!reads::<OverWidePatch>(&case), "{case}");
        agree::<OverWidePatch>(&case).unwrap();
        assert!(reads::<WidePatch>(&case), "{case}");
        agree::<WidePatch>(&case).unwrap();
    }
    for case in [
        json!({"small": null, "x": 1}),
        json!({"many": [], "by_name": {"k": null}}),
    ] {
        assert!(reads::<OverWidePatch>(&case), "{case}");
        agree::<OverWidePatch>(&case).unwrap();
    }
}

/// A unit struct, whose schema is schemars' derive's (`{"type": "null"}`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Marker;

impl schemars::JsonSchema for Marker {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Marker".into()
    }
    fn json_schema(_generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({"type": "null"})
    }
}

#[derive(Patchable, Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Marked {
    pub marker: Option<Marker>,
}

#[derive(Patchable, Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OverMarked {
    pub x: Option<u8>,
    #[serde(flatten)]
    #[patchable(nested)]
    pub marked: Marked,
}

/// The limit the README states: serde's buffer, where it hands a flattened struct (without
/// a flattened field of its own) its values, reads a unit struct from `{}` and `[]` too,
/// which the schema of reading (`{"type": "null"}`) refuses. Read directly, neither is read.
#[test]
fn a_unit_struct_in_a_flattened_struct_reads_an_empty_object_the_schema_refuses() {
    let schema = Validator::new(schema_of::<OverMarkedPatch>(false));
    for case in [json!({"marker": {}}), json!({"marker": []})] {
        assert!(reads::<OverMarkedPatch>(&case), "{case}");
        assert!(!schema.accepts(&case), "{case}");
        assert!(!reads::<MarkedPatch>(&case), "{case}");
        agree::<MarkedPatch>(&case).unwrap();
    }
    agree::<OverMarkedPatch>(&json!({"marker": null, "x": 1})).unwrap();
}
