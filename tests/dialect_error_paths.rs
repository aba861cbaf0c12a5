//! The attribute path that `from_json_patch` and `from_scim_patch` put in front of serde's
//! error (``at `labels.c`: invalid type: ...``): one path names one attribute.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::json;
use sparse_patch::{JsonPatchOperation, Patch, Patchable};

#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Tree {
    x: BTreeMap<String, BTreeMap<String, u32>>,
}

fn operations(operations: serde_json::Value) -> Vec<JsonPatchOperation> {
    serde_json::from_value(operations).unwrap()
}

/// Map keys were written joined with `.`, so a key that holds a dot read as two levels: the
/// value at `/x/a.b/c` and the value at `/x/a/b.c` (two attributes) were both named
/// ``at `x.a.b.c` `` (review 61). Such a key is quoted now (``x."a.b".c``), as is one holding
/// a backtick, which ended the quoted path early.
#[test]
fn a_map_key_with_a_dot_is_not_named_as_two_levels() {
    let base = Tree {
        x: BTreeMap::from([
            ("a.b".to_owned(), BTreeMap::from([("c".to_owned(), 1)])),
            ("a".to_owned(), BTreeMap::from([("b.c".to_owned(), 1)])),
        ]),
    };
    let first = TreePatch::from_json_patch(
        &base,
        &operations(json!([{"op": "replace", "path": "/x/a.b/c", "value": "s"}])),
    )
    .unwrap_err()
    .to_string();
    let second = TreePatch::from_json_patch(
        &base,
        &operations(json!([{"op": "replace", "path": "/x/a/b.c", "value": "s"}])),
    )
    .unwrap_err()
    .to_string();
    assert_ne!(first, second, "two attributes, one name");
    assert!(
        first.contains(": at `x.\"a.b\".c`: invalid type"),
        "{first}"
    );
    assert!(
        second.contains(": at `x.a.\"b.c\"`: invalid type"),
        "{second}"
    );
    let base = Tree {
        x: BTreeMap::from([("a`b".to_owned(), BTreeMap::from([("c".to_owned(), 1)]))]),
    };
    let error = TreePatch::from_json_patch(
        &base,
        &operations(json!([{"op": "replace", "path": "/x/a`b/c", "value": "s"}])),
    )
    .unwrap_err()
    .to_string();
    assert!(
        error.contains(": at `x.\"a`b\".c`: invalid type"),
        "{error}"
    );
}

fn error_at(key: &str) -> String {
    let base = Tree {
        x: BTreeMap::from([(key.to_owned(), BTreeMap::from([("c".to_owned(), 1)]))]),
    };
    let pointer = format!("/x/{}/c", key.replace('~', "~0").replace('/', "~1"));
    let operations: Vec<JsonPatchOperation> =
        serde_json::from_value(json!([{"op": "replace", "path": pointer, "value": "s"}])).unwrap();
    TreePatch::from_json_patch(&base, &operations)
        .unwrap_err()
        .to_string()
}

/// A name holding a control character is quoted, so that no line break of the input forges a
/// line of a log; the test was `char::is_control` (general category Cc) alone, so U+2028 LINE
/// SEPARATOR and U+2029 PARAGRAPH SEPARATOR (line breaks to JavaScript, JSON-lines viewers and
/// many log UIs) and U+202E RIGHT-TO-LEFT OVERRIDE (which reorders what a terminal shows) were
/// written raw (review 62). A name is quoted now wherever Rust's `Debug` escapes a character.
#[test]
fn a_key_with_a_unicode_line_break_or_bidi_override_is_quoted() {
    for key in [
        "a\u{2028}ERROR forged",
        "a\u{2029}b",
        "admin\u{202E}txt.exe",
    ] {
        let error = error_at(key);
        assert!(
            !error.contains(['\u{2028}', '\u{2029}', '\u{202E}']),
            "{key:?} written raw: {error:?}"
        );
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
enum Level {
    Low,
    High,
}

// The feature `schemars` (on in the tests) asks every field type for its schema.
impl schemars::JsonSchema for Level {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Level".into()
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        generator.subschema_for::<String>()
    }
}

#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Settings {
    level: Level,
    backup: Level,
}

/// The path is left out where the reader's text names it already (``null for `name.given` ``);
/// that was tested as any text holding `` `path` ``, and serde quotes the refused *value* so
/// too: `backup` set to "backup" was only ``unknown variant `backup` ``, naming no attribute
/// (the model has two of that type), where "nope" gave ``at `backup`: ...`` (review 62).
#[test]
fn a_value_spelt_as_its_attribute_still_gets_the_path() {
    let base = Settings {
        level: Level::Low,
        backup: Level::Low,
    };
    let error = |path: &str, value: &str| {
        let operations: Vec<JsonPatchOperation> =
            serde_json::from_value(json!([{"op": "replace", "path": path, "value": value}]))
                .unwrap();
        SettingsPatch::from_json_patch(&base, &operations)
            .unwrap_err()
            .to_string()
    };
    let other = error("/backup", "nope");
    assert!(
        other.contains("at `backup`: unknown variant `nope`"),
        "{other}"
    );
    let same = error("/backup", "backup");
    assert!(
        same.contains("at `backup`: unknown variant `backup`"),
        "the attribute is not named: {same}"
    );
}

#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Network {
    ip: String,
    vlan: Option<u16>,
}

#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Device {
    name: String,
    #[patchable(nested)]
    #[serde(skip_serializing_if = "Option::is_none")]
    network: Option<Network>,
}

/// A nested model built by the operations without a required attribute, on a base without
/// it: the merge patch `{"network": {"vlan": 5}}` is refused by `apply` naming
/// `network.ip`, and the same change as RFC 6902 operations or a SCIM message was refused
/// with the model's reading, ``at `network`: missing field `ip` `` (review 107, a server
/// taking all three dialects): the three now say it in the same words, the attribute named
/// by its path.
#[test]
fn a_nested_model_built_without_a_required_attribute_is_named_as_apply_names_it() {
    let base = Device {
        name: "sw1".into(),
        network: None,
    };
    let merge: DevicePatch = serde_json::from_value(json!({"network": {"vlan": 5}})).unwrap();
    let expected = base.clone().apply(merge).unwrap_err().to_string();
    assert_eq!(
        expected,
        "cannot apply the patch: required attribute `network.ip` is missing"
    );
    for body in [
        json!([{"op": "add", "path": "/network", "value": {"vlan": 5}}]),
        json!([{"op": "add", "path": "/network", "value": {"ip": "10.0.0.1"}},
               {"op": "remove", "path": "/network/ip"}]),
    ] {
        let error = DevicePatch::from_json_patch(&base, &operations(body.clone()))
            .unwrap_err()
            .to_string();
        assert!(error.ends_with(&expected), "{body}: {error}");
    }
    for operations in [
        json!([{"op": "add", "path": "network", "value": {"vlan": 5}}]),
        json!([{"op": "replace", "path": "network.vlan", "value": 5}]),
        json!([{"op": "add", "value": {"network": {"vlan": 5}}}]),
    ] {
        let message: sparse_patch::ScimPatch = serde_json::from_value(json!({
            "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
            "Operations": operations,
        }))
        .unwrap();
        let error = DevicePatch::from_scim_patch(&base, &message).unwrap_err();
        assert_eq!(error.scim_type(), Some("invalidValue"));
        assert!(
            error.to_string().ends_with(&expected),
            "{operations}: {error}"
        );
    }
    // Where the base holds the nested model, removing its required attribute keeps its own
    // words (``invalid value: null for `network.ip` ``).
    let held = Device {
        network: Some(Network {
            ip: "10.0.0.1".into(),
            vlan: None,
        }),
        ..base
    };
    let error = DevicePatch::from_json_patch(
        &held,
        &operations(json!([{"op": "remove", "path": "/network/ip"}])),
    )
    .unwrap_err()
    .to_string();
    assert!(
        error.contains("invalid value: null for `network.ip`"),
        "{error}"
    );
}
