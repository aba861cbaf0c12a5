//! A key given twice in one object of a patch's JSON (`{"badge": 1, "badge": null}`): RFC 8259
//! §4 leaves such an object's meaning to the reader ("many implementations report the last
//! name/value pair only. Other implementations report an error"), so a proxy that checks the
//! first member and a server that applies the last one disagree on what the patch does: set or
//! remove. serde's derive refuses a repeated field (`duplicate field`), and the patch's own
//! fields always did; the keys of a flattened map (custom attributes) beside them kept the
//! last value silently.

use std::collections::{BTreeMap, HashMap};

use serde::{Deserialize, Serialize};
use serde_json::Value;
use sparse_patch::Patchable;

#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
struct WithHashMap {
    username: String,
    #[serde(alias = "nick")]
    nickname: Option<String>,
    #[serde(flatten)]
    custom: HashMap<String, Value>,
}

#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
struct WithBTreeMap {
    username: String,
    #[serde(flatten)]
    custom: BTreeMap<String, i64>,
}

#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
struct WithJsonMap {
    username: String,
    #[serde(flatten)]
    custom: serde_json::Map<String, Value>,
}

fn error<P: serde::de::DeserializeOwned + core::fmt::Debug>(json: &str) -> String {
    serde_json::from_str::<P>(json).expect_err(json).to_string()
}

#[test]
fn a_flattened_map_key_given_twice_is_a_duplicate_field() {
    for json in [
        r#"{"badge": 1, "badge": null}"#,
        r#"{"badge": null, "username": "a", "badge": 1}"#,
        r#"{"badge": {"level": 1}, "badge": {"level": 2}}"#,
        // The same key, once escaped: the reader gets an owned key there.
        r#"{"b\u0061dge": 1, "badge": 2}"#,
        r#"{"badge": 1, "b\u0061dge": 2}"#,
    ] {
        let hash = error::<WithHashMapPatch>(json);
        let btree = error::<WithBTreeMapPatch>(
            &json
                .replace(r#"{"level": 1}"#, "1")
                .replace(r#"{"level": 2}"#, "2"),
        );
        let map = error::<WithJsonMapPatch>(json);
        for found in [hash, btree, map] {
            assert!(
                found.starts_with("duplicate field `badge` at line 1"),
                "{json}: {found}"
            );
        }
    }
    // The patch's own fields, as before (an alias is its field's key).
    assert!(
        error::<WithHashMapPatch>(r#"{"nick": "a", "nickname": null}"#)
            .starts_with("duplicate field `nickname`")
    );
    assert!(
        error::<WithHashMapPatch>(r#"{"username": "a", "username": "b"}"#)
            .starts_with("duplicate field `username`")
    );
}

#[test]
fn keys_that_differ_are_read_as_before() {
    let patch: WithHashMapPatch =
        serde_json::from_str(r#"{"badge": 1, "Badge": null, "badge ": 2, "username": "a"}"#)
            .unwrap();
    assert_eq!(patch.custom.len(), 3);
    let patch: WithJsonMapPatch = serde_json::from_str(r#"{"a": 1, "b": null}"#).unwrap();
    assert_eq!(
        serde_json::to_string(&patch).unwrap(),
        r#"{"a":1,"b":null}"#
    );
}

/// The same models on serde's derives (`#[patchable(derive(...))]` asks for them; so does
/// `deny_unknown_fields` beside a flattened map): their flattened maps are read through the
/// runtime too.
#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
#[patchable(derive(Eq))]
struct OnSerdesDerives {
    username: String,
    #[serde(flatten)]
    custom: BTreeMap<String, String>,
}

#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
#[patchable(derive(Eq))]
struct OnSerdesDerivesJson {
    username: Option<String>,
    #[serde(flatten)]
    custom: serde_json::Map<String, Value>,
}

#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
#[patchable(derive(Eq))]
struct OnSerdesDerivesHash {
    username: Option<String>,
    #[serde(flatten)]
    custom: HashMap<String, u8>,
}

#[test]
fn serdes_derives_refuse_it_too() {
    for json in [
        r#"{"badge": "a", "badge": null}"#,
        r#"{"b\u0061dge": "a", "username": "u", "badge": "b"}"#,
    ] {
        let found = error::<OnSerdesDerivesPatch>(json);
        assert!(
            found.starts_with("duplicate field `badge`"),
            "{json}: {found}"
        );
        let found = error::<OnSerdesDerivesJsonPatch>(json);
        assert!(
            found.starts_with("duplicate field `badge`"),
            "{json}: {found}"
        );
        let found =
            error::<OnSerdesDerivesHashPatch>(&json.replace("\"a\"", "1").replace("\"b\"", "2"));
        assert!(
            found.starts_with("duplicate field `badge`"),
            "{json}: {found}"
        );
    }
    let patch: OnSerdesDerivesPatch =
        serde_json::from_str(r#"{"badge": "a", "title": null, "username": "u"}"#).unwrap();
    assert_eq!(
        serde_json::to_string(&patch).unwrap(),
        r#"{"username":"u","badge":"a","title":null}"#
    );
    let patch: OnSerdesDerivesJsonPatch =
        serde_json::from_str(r#"{"badge": {"a": 1}, "username": null}"#).unwrap();
    assert_eq!(
        serde_json::to_string(&patch).unwrap(),
        r#"{"username":null,"badge":{"a":1}}"#
    );
}

/// Map attributes (`HashMap`, `BTreeMap`, required or nullable), on the derive's own reader
/// and on serde's derives: `{"labels": {"a": "x", "a": null}}` kept the last entry silently.
#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
struct WithMaps {
    labels: BTreeMap<String, String>,
    counts: Option<HashMap<String, u32>>,
    #[serde(flatten)]
    custom: BTreeMap<String, Value>,
}

#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
#[patchable(derive(Eq))]
struct WithMapsOnSerdesDerives {
    labels: HashMap<String, String>,
    counts: Option<BTreeMap<u8, u32>>,
}

#[test]
fn a_map_attribute_key_given_twice_is_refused() {
    for json in [
        r#"{"labels": {"a": "x", "a": null}}"#,
        r#"{"labels": {"a": null, "b": "y", "a": null}}"#,
    ] {
        let found = error::<WithMapsPatch>(json);
        assert!(
            found.starts_with("duplicate key in the map `labels` at line 1"),
            "{json}: {found}"
        );
        let found = error::<WithMapsOnSerdesDerivesPatch>(json);
        assert!(
            found.starts_with("duplicate key in the map `labels` at line 1"),
            "{json}: {found}"
        );
    }
    let found = error::<WithMapsPatch>(r#"{"counts": {"a": 1, "\u0061": 2}}"#);
    assert!(
        found.starts_with("duplicate key in the map `counts`"),
        "{found}"
    );
    // Keys that are numbers in the model, strings in JSON.
    let found = error::<WithMapsOnSerdesDerivesPatch>(r#"{"counts": {"1": 1, "1": null}}"#);
    assert!(
        found.starts_with("duplicate key in the map `counts`"),
        "{found}"
    );
    // A nullable map attribute given twice, `null` first, is a repeated attribute too.
    for json in [
        r#"{"counts": null, "counts": {}}"#,
        r#"{"counts": null, "counts": null}"#,
    ] {
        let found = error::<WithMapsPatch>(json);
        assert!(
            found.starts_with("duplicate field `counts`"),
            "{json}: {found}"
        );
        let found = error::<WithMapsOnSerdesDerivesPatch>(json);
        assert!(
            found.starts_with("duplicate field `counts`"),
            "{json}: {found}"
        );
    }
    // What was read before still is, errors included.
    let patch: WithMapsPatch =
        serde_json::from_str(r#"{"labels": {"a": "x", "b": null}, "counts": null}"#).unwrap();
    assert_eq!(
        serde_json::to_string(&patch).unwrap(),
        r#"{"labels":{"a":"x","b":null},"counts":null}"#
    );
    let patch: WithMapsOnSerdesDerivesPatch =
        serde_json::from_str(r#"{"labels": {"a": "x"}, "counts": {"1": 2, "2": null}}"#).unwrap();
    assert_eq!(
        serde_json::to_string(&patch).unwrap(),
        r#"{"labels":{"a":"x"},"counts":{"1":2,"2":null}}"#
    );
    for (json, expected) in [
        (
            r#"{"labels": null}"#,
            "invalid value: null for `labels`, a required attribute that cannot be cleared at line 1 column 16",
        ),
        (
            r#"{"labels": 5}"#,
            "invalid type: integer `5`, expected a map at line 1 column 12",
        ),
        (
            r#"{"labels": {"a": 5}}"#,
            "invalid type: integer `5`, expected a string at line 1 column 18",
        ),
        (
            r#"{"labels": {}, "labels": {}}"#,
            "duplicate field `labels` at line 1 column 23",
        ),
    ] {
        assert_eq!(error::<WithMapsPatch>(json), expected, "{json}");
        assert_eq!(
            error::<WithMapsOnSerdesDerivesPatch>(json),
            expected,
            "{json}"
        );
    }
}

/// A read-only attribute (`#[patchable(skip)]`) beside a flattened map: the patch reads its
/// key and drops the value, so that the map does not collect it, and a repeated one is
/// `duplicate field`, as serde's derive says of the model. (Found by mutation testing: with the
/// patch's check of repeated dropped keys taken out, every test still passed; the one of
/// tests/derive_edge_cases.rs reads through serde's derive.) Without a flattened map the
/// patch does not read such a key at all: it is skipped as an unknown key is.
#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
struct WithReadOnly {
    #[patchable(skip)]
    id: String,
    username: String,
    #[patchable(skip)]
    #[serde(alias = "createdAt")]
    created: Option<String>,
    #[serde(flatten)]
    custom: BTreeMap<String, Value>,
}

#[test]
fn a_read_only_key_given_twice_beside_a_flattened_map_is_a_duplicate_field() {
    for (json, key) in [
        (r#"{"id": "1", "username": "a", "id": "2"}"#, "id"),
        (
            r#"{"created": null, "badge": 1, "created": "2020"}"#,
            "created",
        ),
        (r#"{"createdAt": "2020", "created": "2021"}"#, "created"),
    ] {
        let found = error::<WithReadOnlyPatch>(json);
        assert!(
            found.starts_with(&format!("duplicate field `{key}`")),
            "{json}: {found}"
        );
        // The model's own derive says the same.
        let found = error::<WithReadOnly>(json);
        assert!(
            found.starts_with(&format!("duplicate field `{key}`")),
            "{json}: {found}"
        );
    }
    // Once each, they are read and dropped, and the map takes the other keys only.
    let patch: WithReadOnlyPatch =
        serde_json::from_str(r#"{"id": "1", "created": "2020", "username": "a", "badge": 1}"#)
            .unwrap();
    assert_eq!(
        serde_json::to_string(&patch).unwrap(),
        r#"{"username":"a","badge":1}"#
    );
}
