//! The laws of `apply`, `diff` and `then` on one model that holds every field kind at once,
//! against serde_json and `json_patch::merge` (RFC 7396) as the oracle: a flattened nested model
//! with its own nested model and keyed array, a flattened map of untyped JSON beside it, a
//! `Box<Option<N>>`, a nullable map, a map of untyped JSON, `Value` and `Option<Value>`, a split
//! `rename` with an alias, and three `rename_all` rules. `tests/properties.rs` checks the same
//! laws on a model without flattening; the peer crates' reports on such combinations
//! (serde-rs/serde#1183 and #1299, struct-patch#97) are about keys that a flattened field takes
//! or leaves.
//!
//! Patches are read from random merge patches over the model's keys (most of them not fitting
//! the model, which the patch refuses to read), so that the patch's reader is exercised too.

use std::collections::{BTreeMap, HashMap};

use proptest::prelude::*;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use sparse_patch::{ApplyErrorKind, Patch, Patchable};

#[path = "support/json_schema.rs"]
mod json_schema;
#[path = "support/model_json.rs"]
mod model_json;
use json_schema::{Validator, schema_of};

#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Photo {
    href: String,
    alt_text: Option<String>,
}

#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING-KEBAB-CASE")]
struct Address {
    street_line: Option<String>,
    #[serde(default)]
    city: String,
    #[patchable(nested)]
    geo: Option<Photo>,
    #[patchable(key = "href")]
    items: Vec<Photo>,
}

#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Account {
    user_name: String,
    nick_name: Option<String>,
    #[serde(flatten)]
    #[patchable(nested)]
    address: Address,
    #[patchable(nested)]
    photo: Option<Photo>,
    #[serde(rename(serialize = "tagsOut", deserialize = "tagsOut"), alias = "tagz")]
    tags: Vec<String>,
    meta: Option<Value>,
    conf: Value,
    #[patchable(nested)]
    boxed: Box<Option<Photo>>,
    counts: Option<BTreeMap<String, u8>>,
    labels: HashMap<String, Value>,
    #[serde(flatten)]
    extra: BTreeMap<String, Value>,
}

/// The schema of a keyed array's elements, which are the model's own values (schemars' derive,
/// which this crate's tests do not use, would give the same).
impl schemars::JsonSchema for Photo {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Photo".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "object",
            "properties": {"href": {"type": "string"}, "altText": {"type": ["string", "null"]}},
            "required": ["href"]
        })
    }
}

fn text() -> impl Strategy<Value = String> {
    "[ab]{0,2}"
}

fn photo() -> impl Strategy<Value = Photo> {
    (text(), proptest::option::of(text())).prop_map(|(href, alt_text)| Photo { href, alt_text })
}

/// Numbers that peers mishandle: `-0.0`, a float without a fractional part (`2.0`, which
/// serde_json keeps apart from `2`), `1e300` and `u64::MAX` (above `i64::MAX`), besides small
/// integers.
fn number() -> impl Strategy<Value = Value> {
    prop_oneof![
        4 => (0u8..3).prop_map(Value::from),
        1 => proptest::sample::select(vec![json!(-0.0), json!(2.0), json!(1e300), json!(u64::MAX)]),
    ]
}

/// Names of map entries and untyped JSON's members: two letters, and the empty name, the
/// characters a JSON Pointer escapes (RFC 6901 §3), a dot and a letter that is not ASCII.
fn key() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => "[pq]",
        1 => proptest::sample::select(vec!["", "~", "/", ".", "é"]).prop_map(String::from),
    ]
}

/// Untyped JSON without `null` members (a model may hold them, but no merge patch can send
/// them: README, "What `apply` and `diff` mean"), with arrays, which may hold `null`.
fn json_doc() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![number(), text().prop_map(Value::from)];
    leaf.prop_recursive(2, 6, 2, |inner| {
        prop_oneof![
            2 => proptest::collection::btree_map(key(), inner.clone(), 0..2)
                .prop_map(|members| Value::Object(members.into_iter().collect())),
            1 => proptest::collection::vec(prop_oneof![3 => inner, 1 => Just(Value::Null)], 0..2)
                .prop_map(Value::Array),
        ]
    })
}

/// A keyed array's elements, with distinct keys (the model's invariant).
fn items() -> impl Strategy<Value = Vec<Photo>> {
    proptest::collection::btree_map(text(), proptest::option::of(text()), 0..3).prop_map(|items| {
        items
            .into_iter()
            .map(|(href, alt_text)| Photo { href, alt_text })
            .collect()
    })
}

fn account() -> impl Strategy<Value = Account> {
    (
        (text(), proptest::option::of(text())),
        (
            proptest::option::of(text()),
            text(),
            proptest::option::of(photo()),
            items(),
        ),
        (
            proptest::option::of(photo()),
            proptest::collection::vec(text(), 0..2),
        ),
        (
            proptest::option::of(json_doc()),
            json_doc(),
            proptest::collection::hash_map(key(), json_doc(), 0..2),
        ),
        (
            proptest::option::of(photo()),
            proptest::option::of(proptest::collection::btree_map(key(), 0u8..2, 0..2)),
            // Not a key of any field: the flattened map's own.
            proptest::collection::btree_map("x[12]", json_doc(), 0..2),
        ),
    )
        .prop_map(
            |(
                (user_name, nick_name),
                (street_line, city, geo, items),
                (photo, tags),
                (meta, conf, labels),
                (boxed, counts, extra),
            )| Account {
                user_name,
                nick_name,
                address: Address {
                    street_line,
                    city,
                    geo,
                    items,
                },
                photo,
                tags,
                meta,
                conf,
                boxed: Box::new(boxed),
                counts,
                labels,
                extra,
            },
        )
}

/// The keys that the model's JSON holds at some depth, aliases and the flattened map's keys
/// included, and the odd names of `key()`.
const KEYS: &[&str] = &[
    "userName",
    "nickName",
    "STREET-LINE",
    "CITY",
    "GEO",
    "ITEMS",
    "photo",
    "tagsOut",
    "tagz",
    "meta",
    "conf",
    "boxed",
    "counts",
    "labels",
    "x1",
    "x2",
    "href",
    "altText",
    "p",
    "q",
    "",
    "~",
    "/",
    ".",
];

/// Merge patches over the model's keys: `null` at every depth, scalars (the odd numbers of
/// `number()` too), arrays of strings, of `null` and of elements of the keyed array (with
/// repeated keys), and empty objects.
fn patch_json() -> impl Strategy<Value = Value> {
    let element = (text(), proptest::option::of(text()))
        .prop_map(|(href, alt_text)| json!({"href": href, "altText": alt_text}));
    let leaf = prop_oneof![
        Just(Value::Null),
        (0u8..2).prop_map(Value::from),
        number(),
        text().prop_map(Value::from),
        Just(json!([null])),
        proptest::collection::vec(text(), 0..2).prop_map(|texts| json!(texts)),
        proptest::collection::vec(element, 0..3).prop_map(Value::Array),
    ];
    let object = |inner| {
        proptest::collection::btree_map(proptest::sample::select(KEYS), inner, 0..3).prop_map(
            |members| {
                Value::Object(
                    members
                        .into_iter()
                        .map(|(key, value)| (key.to_owned(), value))
                        .collect(),
                )
            },
        )
    };
    // A member's value is a leaf as often as it is anything (a leaf or an object of them):
    // the recursion alone made nearly every top-level value an object, which the typed
    // attributes refuse, so that of 1,000 patches read none set `userName`, `CITY` or the
    // keyed array `ITEMS`.
    let anything = leaf.clone().prop_recursive(2, 8, 3, object).boxed();
    let random = object(prop_oneof![leaf.boxed(), anything].boxed());
    prop_oneof![3 => random, 1 => fitting_patch_json()]
}

/// The members of the model's JSON that a merge patch may remove: its `Option`s, and the
/// flattened map's own (`x1`, `x2`); `null` for another is refused when read.
const REMOVABLE: &[&str] = &[
    "nickName",
    "STREET-LINE",
    "GEO",
    "photo",
    "meta",
    "boxed",
    "counts",
    "x1",
    "x2",
];

/// Merge patches that fit the model: some members of another model's JSON, the removable ones
/// `null` at times, so that patches read set every typed attribute (`userName`, `CITY`, the
/// keyed array `ITEMS`) as often as the untyped ones.
fn fitting_patch_json() -> impl Strategy<Value = Value> {
    (account(), any::<u64>()).prop_map(|(account, choices)| {
        model_json::some_members(
            serde_json::to_value(account).unwrap(),
            choices,
            2,
            REMOVABLE,
        )
    })
}

/// The patch that `json` reads as, if it fits the model.
fn read(json: Value) -> Option<AccountPatch> {
    serde_json::from_value(json).ok()
}

/// `model`'s JSON with `patch`'s JSON merged into it (RFC 7396), read back as a model.
fn merged(model: &Account, patches: &[&AccountPatch]) -> (Value, Result<Account, String>) {
    let mut document = serde_json::to_value(model).unwrap();
    for patch in patches {
        json_patch::merge(&mut document, &serde_json::to_value(patch).unwrap());
    }
    let read = serde_json::from_value(document.clone()).map_err(|error| error.to_string());
    (document, read)
}

/// Whether `elements`, a keyed array's JSON, holds an element without `key` (or with a `null`
/// one) or two elements with one `key`.
fn breaks_its_key(elements: &Value, key: &str) -> bool {
    let Some(elements) = elements.as_array() else {
        return false;
    };
    let mut seen = Vec::new();
    elements.iter().any(|element| match element.get(key) {
        None | Some(Value::Null) => true,
        Some(found) if seen.contains(&found) => true,
        Some(found) => {
            seen.push(found);
            false
        }
    })
}

fn holds_null(json: &Value) -> bool {
    match json {
        Value::Null => true,
        Value::Array(elements) => elements.iter().any(holds_null),
        Value::Object(members) => members.values().any(holds_null),
        _ => false,
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    /// `apply` gives what RFC 7396 gives on the model's JSON; a refused patch leaves the model
    /// as it was, and is one whose merged JSON the model cannot read either, or one whose
    /// keyed array repeats or lacks a key (which JSON does not know).
    #[test]
    fn apply_agrees_with_the_merge_of_the_json(mut model in account(), json in patch_json()) {
        let Some(patch) = read(json) else { return Ok(()) };
        let written = serde_json::to_value(&patch).unwrap();
        prop_assert_eq!(read(written.clone()), Some(patch.clone()), "{}", written);
        let (document, expected) = merged(&model, &[&patch]);
        let before = model.clone();
        match model.apply(patch) {
            Ok(()) => prop_assert_eq!(Ok(model), expected, "{} gave {}", written, document),
            Err(error) => {
                prop_assert_eq!(&model, &before, "{} ({})", written, error);
                // A keyed error only where the patch's `ITEMS` does break its key: any keyed
                // error passed before, so an `apply` that refused every `ITEMS` did.
                let keyed = matches!(
                    error.kind(),
                    ApplyErrorKind::DuplicateKey { .. } | ApplyErrorKind::ElementWithoutKey { .. }
                ) && breaks_its_key(&written["ITEMS"], "href");
                prop_assert!(keyed || expected.is_err(), "{} refused ({}), JSON gives {}", written, error, document);
            }
        }
    }

    /// `a.apply(a.diff(&b))` gives `b`, and so does merging the diff's JSON into `a`'s.
    #[test]
    fn diff_then_apply_gives_the_target(a in account(), b in account()) {
        let patch = a.diff(&b);
        prop_assert_eq!(merged(&a, &[&patch]).1, Ok(b.clone()));
        let mut applied = a.clone();
        applied.apply(patch).unwrap();
        prop_assert_eq!(applied, b);
        prop_assert!(a.diff(&a).is_empty());
    }

    /// `a.then(b)` does the work of `a` and then `b`, on the JSON and on the model.
    #[test]
    fn then_does_the_work_of_both(model in account(), first in patch_json(), next in patch_json()) {
        let (Some(first), Some(next)) = (read(first), read(next)) else { return Ok(()) };
        prop_assert_eq!(first.check_then(&next).is_ok(), first.clone().then(next.clone()).is_ok());
        let Ok(both) = first.clone().then(next.clone()) else { return Ok(()) };
        prop_assert_eq!(merged(&model, &[&both]).0, merged(&model, &[&first, &next]).0);
        let mut in_turn = model.clone();
        if in_turn.apply(first).is_ok() && in_turn.apply(next).is_ok() {
            let mut once = model;
            once.apply(both).unwrap();
            prop_assert_eq!(once, in_turn);
        }
    }

    /// Two diffs in a row (`a` to `b`, then `b` to `c`) compose into one patch that takes `a`
    /// to `c`, on the model and on its JSON (`json_patch::merge`): the patches of two models
    /// touch the same map keys and sub-attributes far more often than two random patches,
    /// most of which the model does not read.
    #[test]
    fn then_of_two_diffs_goes_from_the_first_model_to_the_last(a in account(), b in account(), c in account()) {
        let first = a.diff(&b);
        let next = b.diff(&c);
        // Refused where `first` sets untyped JSON to a value that is not an object and `next`
        // merges an object into it (`then_does_the_work_of_both` checks refusals).
        let Ok(both) = first.then(next) else { return Ok(()) };
        prop_assert_eq!(merged(&a, &[&both]).1, Ok(c.clone()));
        let mut once = a;
        once.apply(both).unwrap();
        prop_assert_eq!(once, c);
    }

    /// The patch round-trips through YAML, CBOR and MessagePack with keys, and through TOML
    /// unless it holds a `null`, which TOML refuses to write.
    #[test]
    fn other_formats_round_trip(json in patch_json()) {
        let Some(patch) = read(json) else { return Ok(()) };
        let written = serde_json::to_value(&patch).unwrap();
        let yaml = serde_yaml::to_string(&patch).unwrap();
        prop_assert_eq!(serde_yaml::from_str::<AccountPatch>(&yaml).ok(), Some(patch.clone()), "{}", yaml);
        let mut cbor = Vec::new();
        ciborium::into_writer(&patch, &mut cbor).unwrap();
        prop_assert_eq!(ciborium::from_reader::<AccountPatch, _>(&cbor[..]).ok(), Some(patch.clone()), "{}", written);
        let msgpack = rmp_serde::to_vec_named(&patch).unwrap();
        prop_assert_eq!(rmp_serde::from_slice::<AccountPatch>(&msgpack).ok(), Some(patch.clone()), "{}", written);
        match toml::to_string(&patch) {
            Ok(toml) => prop_assert_eq!(toml::from_str::<AccountPatch>(&toml).ok(), Some(patch.clone()), "{}", toml),
            Err(error) => prop_assert!(holds_null(&written), "{} refused: {}", written, error),
        }
    }
}

/// Whether `json` holds a float without a fractional part (`-0.0`, `2.0`, `1e300`).
fn holds_whole_float(json: &Value) -> bool {
    match json {
        Value::Number(number) => number
            .as_f64()
            .is_some_and(|float| number.is_f64() && float.fract() == 0.0),
        Value::Array(elements) => elements.iter().any(holds_whole_float),
        Value::Object(members) => members.values().any(holds_whole_float),
        _ => false,
    }
}

thread_local! {
    static READING: Validator = Validator::new(schema_of::<AccountPatch>(false));
    static WRITING: Validator = Validator::new(schema_of::<AccountPatch>(true));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    /// The patch's schema of reading accepts a merge patch exactly when serde reads it, and
    /// the patch's JSON fits the schema of writing (JSON Schema 2020-12, `boon`).
    #[test]
    fn the_schema_accepts_what_serde_reads(json in patch_json()) {
        let patch = read(json.clone());
        let accepted = READING.with(|schema| schema.accepts(&json));
        if holds_whole_float(&json) {
            // A float without a fractional part (`-0.0`, `2.0`) is an integer to JSON Schema
            // and a float to serde, which refuses it for a `u8`: the known mismatch of
            // `tests/patch_schema_differential.rs`. What serde reads, the schema accepts.
            prop_assert!(accepted || patch.is_none(), "{}", json);
        } else {
            prop_assert_eq!(accepted, patch.is_some(), "{}", json);
        }
        if let Some(patch) = patch {
            let written = serde_json::to_value(&patch).unwrap();
            prop_assert!(WRITING.with(|schema| schema.accepts(&written)), "{}", written);
        }
    }
}

/// A refused nested build names the attribute by its keys, a flattened model's being the
/// parent's.
#[test]
fn refusals_name_the_attribute_by_its_keys() {
    let account = Account {
        user_name: "u".into(),
        nick_name: None,
        address: Address {
            street_line: None,
            city: String::new(),
            geo: None,
            items: Vec::new(),
        },
        photo: None,
        tags: Vec::new(),
        meta: None,
        conf: json!(1),
        boxed: Box::new(None),
        counts: None,
        labels: HashMap::new(),
        extra: BTreeMap::new(),
    };
    for (json, path) in [
        (json!({"GEO": {"altText": "x"}}), "GEO.href"),
        (json!({"boxed": {"altText": "x"}}), "boxed.href"),
        (json!({"ITEMS": [{"href": "a"}, {"href": "a"}]}), "ITEMS"),
    ] {
        let mut model = account.clone();
        let error = model.apply(read(json).unwrap()).unwrap_err();
        assert_eq!(error.path(), path);
        assert_eq!(model, account);
    }
}
