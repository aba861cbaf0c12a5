//! The dialect laws on adversarial names and values, against the `json-patch` crate as an
//! independent oracle: keys that a JSON Pointer escapes or that look like array indexes (`""`,
//! `~`, `/`, `~0`, `~1`, `0`, `-`, unicode), in renamed fields, flattened custom attributes,
//! nested models, maps and `serde_json::Value` fields; arrays holding `null`; non-object values
//! replacing objects and objects replacing scalars; keyed arrays.

use std::collections::BTreeMap;

use proptest::prelude::*;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};
use sparse_patch::{Patch, Patchable, json_patch_from_merge};

#[path = "support/look_alike.rs"]
mod look_alike;
#[path = "support/stored_form.rs"]
mod stored_form;
use stored_form::stored;

#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Inner {
    #[serde(skip_serializing_if = "Option::is_none")]
    given: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    data: Option<Value>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    labels: BTreeMap<String, String>,
}

#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Doc {
    #[serde(rename = "~1/0")]
    odd: String,
    #[serde(rename = "-", skip_serializing_if = "Option::is_none")]
    dash: Option<u8>,
    #[patchable(nested)]
    #[serde(skip_serializing_if = "Option::is_none")]
    inner: Option<Inner>,
    #[patchable(key = "type")]
    #[serde(skip_serializing_if = "Option::is_none")]
    badges: Option<Vec<Value>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    extra: Option<Value>,
    #[serde(flatten)]
    custom: BTreeMap<String, Value>,
}

/// Names that a JSON Pointer escapes, that look like array indexes, or that are not ASCII.
const KEYS: &[&str] = &["", "~", "/", "~0", "~1", "0", "é/", "a.b", "x"];

fn key() -> impl Strategy<Value = String> {
    proptest::sample::select(KEYS).prop_map(String::from)
}

/// JSON documents: no `null` member in an object (no merge patch can leave one), but `null`
/// inside arrays, which arrays keep; numbers that an equality gets wrong (`1.0` and `-0.0`
/// beside `1`; serde_json's `==` tells `1` from `1.0`), `1e300` and `u64::MAX`.
fn document() -> BoxedStrategy<Value> {
    let leaf = prop_oneof![
        Just(json!(1)),
        proptest::sample::select(vec![json!(1.0), json!(-0.0), json!(1e300), json!(u64::MAX)]),
        Just(json!("x")),
        Just(json!(true)),
        Just(json!([null, 1])),
        Just(json!([])),
        Just(json!({})),
    ];
    leaf.prop_recursive(3, 16, 3, |inner| {
        prop_oneof![
            proptest::collection::btree_map(key(), inner.clone(), 0..3)
                .prop_map(|map| Value::Object(map.into_iter().collect())),
            proptest::collection::vec(inner, 0..2).prop_map(Value::Array),
        ]
    })
    .boxed()
}

/// JSON merge patches: documents with `null` members; arrays are values.
fn merge_value() -> BoxedStrategy<Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        Just(json!(2)),
        Just(json!(1.0)),
        Just(json!("y")),
        Just(json!([null])),
        Just(json!({})),
        document(),
    ];
    leaf.prop_recursive(3, 16, 3, |inner| {
        proptest::collection::btree_map(key(), inner, 0..3)
            .prop_map(|map| Value::Object(map.into_iter().collect()))
    })
    .boxed()
}

fn object(strategy: BoxedStrategy<Value>) -> impl Strategy<Value = Map<String, Value>> {
    proptest::collection::btree_map(key(), strategy, 0..4).prop_map(|map| map.into_iter().collect())
}

fn badge_key() -> impl Strategy<Value = Value> {
    proptest::sample::select(vec![
        json!("work"),
        json!("home"),
        json!("Work"),
        json!(1),
        json!("a\"b"),
    ])
}

fn badges() -> impl Strategy<Value = Vec<Value>> {
    proptest::collection::btree_map(
        badge_key().prop_map(|key| key.to_string()),
        document(),
        0..3,
    )
    .prop_map(|map| {
        map.into_iter()
                .map(|(key, value)| {
                    json!({"type": serde_json::from_str::<Value>(&key).unwrap(), "value": value})
                })
                .collect()
    })
}

fn inner() -> impl Strategy<Value = Inner> {
    (
        proptest::option::of("[ab]{0,2}"),
        proptest::option::of(document()),
        proptest::collection::btree_map(key(), "[ab]{0,2}", 0..3),
    )
        .prop_map(|(given, data, labels)| Inner {
            given,
            data,
            labels,
        })
}

fn doc() -> impl Strategy<Value = Doc> {
    (
        "[ab]{0,2}",
        proptest::option::of(0u8..3),
        proptest::option::of(inner()),
        proptest::option::of(badges()),
        proptest::option::of(document()),
        proptest::collection::btree_map(key(), document(), 0..3),
    )
        .prop_map(|(odd, dash, inner, badges, extra, custom)| Doc {
            odd,
            dash,
            inner,
            badges,
            extra,
            custom,
        })
}

/// A member that is `null` or absent in a patch, or a value.
fn maybe(value: BoxedStrategy<Value>) -> BoxedStrategy<Option<Value>> {
    prop_oneof![Just(None), Just(Some(Value::Null)), value.prop_map(Some)].boxed()
}

fn inner_patch() -> BoxedStrategy<Value> {
    (
        maybe("[ab]{0,2}".prop_map(Value::from).boxed()),
        maybe(
            merge_value()
                .prop_filter("a value", |v| !v.is_null())
                .boxed(),
        ),
        proptest::option::of(object(
            prop_oneof![Just(Value::Null), "[ab]{0,2}".prop_map(Value::from)].boxed(),
        )),
    )
        .prop_map(|(given, data, labels)| {
            let mut patch = Map::new();
            given.map(|v| patch.insert("given".into(), v));
            data.map(|v| patch.insert("data".into(), v));
            labels.map(|v| patch.insert("labels".into(), Value::Object(v)));
            Value::Object(patch)
        })
        .boxed()
}

fn doc_patch() -> impl Strategy<Value = DocPatch> {
    (
        proptest::option::of("[ab]{0,2}"),
        maybe((0u8..3).prop_map(Value::from).boxed()),
        maybe(inner_patch()),
        maybe(badges().prop_map(Value::Array).boxed()),
        maybe(
            merge_value()
                .prop_filter("a value", |v| !v.is_null())
                .boxed(),
        ),
        object(merge_value()),
    )
        .prop_map(|(odd, dash, inner, badges, extra, custom)| {
            let mut patch = custom;
            odd.map(|v| patch.insert("~1/0".into(), Value::from(v)));
            dash.map(|v| patch.insert("-".into(), v));
            inner.map(|v| patch.insert("inner".into(), v));
            badges.map(|v| patch.insert("badges".into(), v));
            extra.map(|v| patch.insert("extra".into(), v));
            serde_json::from_value(Value::Object(patch)).unwrap()
        })
}

fn merged(base: &Value, patch: &Value) -> Value {
    let mut merged = base.clone();
    json_patch::merge(&mut merged, patch);
    merged
}

/// Applies RFC 6902 operations with the `json-patch` crate, after checking that they read back
/// as `JsonPatchOperation`s (whose reading refuses a path that is not a JSON Pointer).
fn patched(base: &Value, operations: &impl Serialize) -> Result<Value, String> {
    let written = serde_json::to_value(operations).unwrap();
    let read: Vec<sparse_patch::JsonPatchOperation> = serde_json::from_value(written.clone())
        .unwrap_or_else(|error| panic!("{written} does not read back: {error}"));
    assert_eq!(serde_json::to_value(read).unwrap(), written);
    let document: json_patch::Patch = serde_json::from_value(written).unwrap();
    let mut patched = base.clone();
    json_patch::patch(&mut patched, &document).map_err(|error| error.to_string())?;
    Ok(patched)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// Untyped: the operations of `json_patch_from_merge`, applied by `json_patch::patch`,
    /// give what `json_patch::merge` gives.
    #[test]
    fn untyped_json_patch_agrees_with_merge(
        base in object(document()),
        merge in object(merge_value()),
    ) {
        let base = Value::Object(base);
        let merge = Value::Object(merge);
        let operations = json_patch_from_merge(&base, &merge).unwrap();
        prop_assert_eq!(patched(&base, &operations), Ok(merged(&base, &merge)), "{:?}", operations);
        // The same operations on a server's document that stores no empty value (RFC 6902
        // fails an operation whose target's parent, or a `remove`'s target, is missing).
        let on_server = patched(&stored(&base), &operations);
        prop_assert_eq!(
            on_server.map(|document| stored(&document)),
            Ok(stored(&merged(&base, &merge))),
            "{:?}", operations
        );
    }

    /// Untyped, on a merge patch that sets members to values that only look like the base's
    /// (`1.0` for `1`, `-0.0` for `0`, a string with a space after it, at any depth): the
    /// operations change each, as `json_patch::merge` does. Two documents generated apart
    /// rarely hold such a pair at one place.
    #[test]
    fn untyped_json_patch_reaches_a_look_alike_target(
        base in object(document()),
        choice in any::<u64>(),
    ) {
        let base = Value::Object(base);
        let merge = look_alike::look_alike(&base, choice);
        let operations = json_patch_from_merge(&base, &merge).unwrap();
        prop_assert_eq!(patched(&base, &operations), Ok(merged(&base, &merge)), "{:?}", operations);
    }

    #[test]
    fn typed_json_patch_agrees_with_merge(base in doc(), patch in doc_patch()) {
        let base_json = serde_json::to_value(&base).unwrap();
        let patch_json = serde_json::to_value(&patch).unwrap();
        let operations = patch.to_json_patch(&base).unwrap();
        prop_assert_eq!(
            patched(&base_json, &operations),
            Ok(merged(&base_json, &patch_json)),
            "{:?}", operations
        );
        prop_assert_eq!(
            patched(&stored(&base_json), &operations).map(|document| stored(&document)),
            Ok(stored(&merged(&base_json, &patch_json))),
            "{:?}", operations
        );
    }

    #[test]
    fn typed_apply_agrees_with_merge(base in doc(), patch in doc_patch()) {
        let base_json = serde_json::to_value(&base).unwrap();
        let patch_json = serde_json::to_value(&patch).unwrap();
        let mut applied = base.clone();
        match applied.apply(patch) {
            // Read back as the model, which drops an emptied `labels`.
            Ok(()) => prop_assert_eq!(
                applied,
                serde_json::from_value::<Doc>(merged(&base_json, &patch_json)).unwrap()
            ),
            // Refused only for what a keyed array cannot hold: two `badges` of one `type`, or
            // one without a `type` (RFC 7644 §3.4.2.2). An `apply` that refused every patch
            // passed without this.
            Err(error) => {
                prop_assert_eq!(&applied, &base);
                prop_assert_eq!(error.path(), "badges", "{}", error);
                let merged_json = merged(&base_json, &patch_json);
                let types: Vec<String> = merged_json["badges"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .map(|badge| badge.get("type").map_or_else(String::new, Value::to_string))
                    .collect();
                match error.kind() {
                    sparse_patch::ApplyErrorKind::DuplicateKey { value, .. } => prop_assert!(
                        types.iter().filter(|found| found.eq_ignore_ascii_case(value)).count() > 1,
                        "{}: {:?}", error, types
                    ),
                    sparse_patch::ApplyErrorKind::ElementWithoutKey { index, .. } => prop_assert!(
                        merged_json["badges"][*index]["type"].as_str().is_none()
                            && merged_json["badges"][*index]["type"].as_number().is_none(),
                        "{}: {}", error, merged_json
                    ),
                    other => prop_assert!(false, "{:?}", other),
                }
            }
        }
    }

    #[test]
    fn apply_of_diff_gives_the_target(a in doc(), b in doc()) {
        let mut applied = a.clone();
        applied.apply(a.diff(&b)).unwrap();
        prop_assert_eq!(applied, b);
    }

    #[test]
    fn then_does_the_work_of_both(base in doc(), first in doc_patch(), next in doc_patch()) {
        let base_json = serde_json::to_value(&base).unwrap();
        let first_json = serde_json::to_value(&first).unwrap();
        let next_json = serde_json::to_value(&next).unwrap();
        let in_turn_json = merged(&merged(&base_json, &first_json), &next_json);
        let mut in_turn = base.clone();
        let applied = in_turn.apply(first.clone()).and_then(|()| in_turn.apply(next.clone()));
        if let Ok(both) = first.then(next) {
            prop_assert_eq!(merged(&base_json, &serde_json::to_value(&both).unwrap()), in_turn_json);
            if applied.is_ok() {
                let mut once = base;
                once.apply(both).unwrap();
                prop_assert_eq!(once, in_turn);
            }
        }
    }

    /// The SCIM output refuses or writes, never panics; a message reads back as written.
    #[test]
    fn scim_output_reads_back(base in doc(), patch in doc_patch()) {
        match patch.to_scim_patch(&base) {
            Ok(message) => {
                let text = serde_json::to_string(&message).unwrap();
                let back: sparse_patch::ScimPatch = serde_json::from_str(&text).unwrap();
                prop_assert_eq!(back, message);
            }
            // What SCIM cannot say (the keys `~1/0`, `-`, `a.b`; case variants; the badges'
            // keys): any other refusal fails, as an output that refused every patch of two
            // attributes passed.
            Err(
                sparse_patch::DialectError::ScimName { .. }
                | sparse_patch::DialectError::ScimNameCase { .. }
                | sparse_patch::DialectError::DuplicateKey { .. }
                | sparse_patch::DialectError::ElementWithoutKey { .. },
            ) => {}
            Err(error) => prop_assert!(false, "refused: {}", error),
        }
    }

    /// Untyped: reading back the operations of `json_patch_from_merge` with
    /// `merge_from_json_patch` gives a merge patch that does the same work on the base.
    #[test]
    fn merge_from_json_patch_inverts_json_patch_from_merge(
        base in object(document()),
        merge in object(merge_value()),
    ) {
        let base = Value::Object(base);
        let merge = Value::Object(merge);
        let operations = json_patch_from_merge(&base, &merge).unwrap();
        let back = sparse_patch::merge_from_json_patch(&base, &operations).unwrap();
        prop_assert_eq!(merged(&base, &back), merged(&base, &merge), "{:?}", operations);
    }

    /// Typed: the patch read from a patch's own RFC 6902 operations
    /// (`Patch::from_json_patch`) does the patch's work on the base.
    #[test]
    fn from_json_patch_inverts_to_json_patch(base in doc(), patch in doc_patch()) {
        let operations = patch.to_json_patch(&base).unwrap();
        let read = DocPatch::from_json_patch(&base, &operations)
            .unwrap_or_else(|error| panic!("{operations:?}: {error}"));
        // Compared as models: the read patch is the model's diff, which may set an empty
        // map where the original patch left a default out (`{"inner": {}}`), the same model.
        let mut by_read = base.clone();
        let mut by_patch = base.clone();
        prop_assert_eq!(
            by_read.apply(read.clone()).map(|()| by_read),
            by_patch.apply(patch.clone()).map(|()| by_patch),
            "{:?}", operations
        );

    }
}

#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Reading {
    sensor: f32,
    level: f32,
}

// The feature `schemars` (on in the tests) asks every field type for its schema.
impl schemars::JsonSchema for Reading {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Reading".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({"type": "object", "required": ["sensor", "level"]})
    }
}

/// Fields in sorted order: the SCIM operations follow the patch's members by name, or in the
/// model's order where serde_json keeps insertion order (its `preserve_order`), which agree.
#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Gauge {
    #[patchable(nested)]
    last: Reading,
    limits: BTreeMap<String, f32>,
    offset: Option<f32>,
    precise: f64,
    #[patchable(key = "sensor")]
    readings: Vec<Reading>,
    samples: Vec<f32>,
    scale: f32,
}

/// JSON as its text reads back: what a server that received it holds.
fn as_sent<T: Serialize>(value: &T) -> Value {
    serde_json::from_str(&serde_json::to_string(value).unwrap()).unwrap()
}

/// An `f32` is written by serde_json as its shortest decimal (`0.1`), and the merge patch sent
/// holds that; `serde_json::to_value` widens it to the nearest `f64`
/// (`0.10000000149011612`), which is another number to a server, to a filter's comparison and
/// to a reader in `f64` (maplibre/maplibre-tile-spec#857 met it). The JSON Patch and SCIM
/// outputs carry the numbers of the merge patch's text, and a keyed array's `f32` key is
/// found by the filter on the document that the merge patch left.
#[test]
fn an_f32_is_sent_in_every_dialect_as_the_merge_patch_writes_it() {
    let base = Gauge {
        scale: 1.5,
        offset: None,
        samples: vec![],
        limits: BTreeMap::from([("low".to_owned(), 0.2)]),
        last: Reading {
            sensor: 0.5,
            level: 0.25,
        },
        readings: vec![Reading {
            sensor: 0.1,
            level: 0.7,
        }],
        precise: 0.5,
    };
    let target = Gauge {
        scale: 0.1,
        offset: Some(0.3),
        samples: vec![0.7, 1e-7],
        limits: BTreeMap::from([("low".to_owned(), 0.2), ("high".to_owned(), 3.3)]),
        last: Reading {
            sensor: 0.5,
            level: 0.9,
        },
        readings: vec![Reading {
            sensor: 0.1,
            level: 0.3,
        }],
        precise: 0.1,
    };
    let patch = base.diff(&target);
    // The server's document: the base as sent, merged with the patch as sent.
    let server = as_sent(&base);
    let expected = merged(&server, &as_sent(&patch));
    assert_eq!(expected, as_sent(&target));
    let operations = patch.to_json_patch(&base).unwrap();
    assert_eq!(
        patched(&server, &operations),
        Ok(expected),
        "{operations:?}"
    );

    let scim = serde_json::to_value(patch.to_scim_patch(&base).unwrap()).unwrap();
    assert_eq!(
        scim["Operations"],
        json!([
            {"op": "replace", "path": "last.level", "value": 0.9},
            {"op": "replace", "path": "limits.high", "value": 3.3},
            {"op": "replace", "path": "offset", "value": 0.3},
            {"op": "replace", "path": "precise", "value": 0.1},
            {"op": "replace", "path": "readings[sensor eq 0.1].level", "value": 0.3},
            {"op": "replace", "path": "samples", "value": [0.7, 1e-7]},
            {"op": "replace", "path": "scale", "value": 0.1},
        ]),
        "{scim}"
    );
}
