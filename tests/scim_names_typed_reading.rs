//! SCIM attribute names in any case (RFC 7643 §2.1, RFC 7644 §3.10) in the typed reading:
//! `apply_scim_patch` keeps the message's spelling of an attribute that the resource does not
//! hold (`Manager`, `Name.GivenName`, `EMAILS[TYPE eq "work"].VALUE`), and `from_scim_patch`
//! reads it as the model's field of that name in another case (`rename`, `rename_all`, a
//! flattened map of custom attributes beside the fields), where serde dropped it without a
//! word (review 159). The law: for messages over a model with nested, multi-valued, extension and
//! flattened-map attributes, names re-cased at random, the typed reading then `apply` gives
//! what `apply_scim_patch` gives on the JSON, names compared in any case.
use proptest::prelude::*;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};
use sparse_patch::{Patch, Patchable, apply_scim_patch};

#[path = "support/scim_message.rs"]
mod scim_message;
use scim_message::message;

#[path = "support/scim_enterprise.rs"]
mod scim_enterprise;
use scim_enterprise::{ENTERPRISE, Enterprise, Manager};

#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct Name {
    #[serde(skip_serializing_if = "Option::is_none")]
    given_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    family_name: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
struct Email {
    #[serde(skip_serializing_if = "Option::is_none")]
    value: Option<String>,
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    kind: Option<String>,
}

// The feature `schemars` (on in the tests) asks every field type for its schema.
impl schemars::JsonSchema for Email {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Email".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({"type": "object"})
    }
}

#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct User {
    user_name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    title: Option<String>,
    #[patchable(nested)]
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<Name>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    emails: Vec<Email>,
    #[patchable(nested)]
    #[serde(
        rename = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User",
        skip_serializing_if = "Option::is_none"
    )]
    enterprise: Option<Enterprise>,
    #[serde(flatten)]
    custom: std::collections::BTreeMap<String, Value>,
}

fn user() -> User {
    User {
        user_name: "b".into(),
        title: None,
        name: None,
        emails: vec![],
        enterprise: Some(Enterprise::default()),
        custom: Default::default(),
    }
}

fn full_user() -> User {
    User {
        user_name: "b".into(),
        title: Some("t".into()),
        name: Some(Name {
            given_name: Some("g".into()),
            family_name: None,
        }),
        emails: vec![Email {
            value: Some("w@x".into()),
            kind: Some("work".into()),
        }],
        enterprise: Some(Enterprise {
            employee_number: None,
            manager: Some(Manager {
                value: Some("m".into()),
            }),
        }),
        custom: [("nickName".to_owned(), json!("n"))].into_iter().collect(),
    }
}

/// `value` with every object's keys in lower case and its `null` members dropped: a
/// document as SCIM compares it (RFC 7643 §2.1, §2.5).
fn folded(value: &Value) -> Value {
    match value {
        Value::Object(members) => Value::Object(
            members
                .iter()
                .filter(|(_, value)| !value.is_null())
                .map(|(key, value)| (key.to_ascii_lowercase(), folded(value)))
                .collect::<Map<_, _>>(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(folded).collect()),
        other => other.clone(),
    }
}

/// The message applied as JSON and through the typed reading: both documents, or the errors.
fn both_ways(base: &User, operations: &Value) -> (Result<Value, String>, Result<Value, String>) {
    let mut json = serde_json::to_value(base).unwrap();
    let by_json = apply_scim_patch(&mut json, &message(operations.clone()))
        .map(|()| json)
        .map_err(|error| error.to_string());
    let typed = UserPatch::from_scim_patch(base, &message(operations.clone()))
        .map(|patch| {
            let mut typed = base.clone();
            typed.apply(patch).unwrap();
            serde_json::to_value(typed).unwrap()
        })
        .map_err(|error| error.to_string());
    (by_json, typed)
}

/// Each message adds an attribute that the resource does not hold, named in another case
/// than the model's field: the typed reading holds the change (it dropped it), as the JSON does.
#[test]
fn a_name_in_another_case_is_the_models_field() {
    for (operations, pointer, expected) in [
        (
            json!([{"op": "add", "value": {(ENTERPRISE): {"Manager": {"Value": "m"}}}}]),
            format!("/{}/manager/value", ENTERPRISE.replace('/', "~1")),
            "m",
        ),
        (
            json!([{"op": "add", "path": ENTERPRISE, "value": {"Manager": {"Value": "m"}}}]),
            format!("/{ENTERPRISE}/manager/value"),
            "m",
        ),
        (
            json!([{"op": "add", "path": format!("{ENTERPRISE}:MANAGER.value"), "value": "m"}]),
            format!("/{ENTERPRISE}/manager/value"),
            "m",
        ),
        (
            json!([{"op": "add", "value": {"name": {"GivenName": "x"}}}]),
            "/name/givenName".to_owned(),
            "x",
        ),
        (
            json!([{"op": "add", "path": "Name.GivenName", "value": "x"}]),
            "/name/givenName".to_owned(),
            "x",
        ),
        (
            json!([{"op": "replace", "value": {"NAME.givenNAME": "x"}}]),
            "/name/givenName".to_owned(),
            "x",
        ),
        // A case variant of a field beside a flattened map is the field, not a custom attribute.
        (
            json!([{"op": "add", "path": "Title", "value": "x"}]),
            "/title".to_owned(),
            "x",
        ),
        (
            json!([{"op": "add", "path": "EMAILS", "value": [{"Value": "v", "TYPE": "work"}]}]),
            "/emails/0/type".to_owned(),
            "work",
        ),
        (
            json!([{"op": "add", "path": "EMAILS[TYPE eq \"work\"].VALUE", "value": "v"}]),
            "/emails/0/value".to_owned(),
            "v",
        ),
    ] {
        let (by_json, typed) = both_ways(&user(), &operations);
        let (by_json, typed) = (by_json.unwrap(), typed.unwrap());
        assert_eq!(
            typed.pointer(&pointer),
            Some(&json!(expected)),
            "{operations}: {typed}"
        );
        assert_eq!(folded(&typed), folded(&by_json), "{operations}");
        // No custom attribute holds the field's name in another case.
        assert!(
            typed
                .as_object()
                .unwrap()
                .keys()
                .all(|key| key == "title" || !key.eq_ignore_ascii_case("title")),
            "{typed}"
        );
    }
}

/// Two members that differ only in case below a value's top level (`add name {"givenName":
/// "a", "GivenName": "x"}` where the resource holds no `name`, an element of `emails`, the same
/// without a path under `name`): the applier stored both, and the typed reading kept one
/// (review 163). Both refuse them (`invalidSyntax`, naming the two members), and the JSON is
/// left as it was.
#[test]
fn members_that_differ_only_in_case_below_the_top_are_refused_both_ways() {
    for (operations, first, second) in [
        (
            json!([{"op": "add", "path": "name", "value": {"givenName": "a", "GivenName": "x"}}]),
            "GivenName",
            "givenName",
        ),
        (
            json!([{"op": "replace", "path": "name", "value": {"givenName": "a", "GivenName": "x"}}]),
            "GivenName",
            "givenName",
        ),
        (
            json!([{"op": "add", "path": "emails", "value": [{"value": "a", "Value": "x"}]}]),
            "[0].Value",
            "[0].value",
        ),
        (
            json!([{"op": "add", "value": {"name": {"givenName": "a", "GivenName": "x"}}}]),
            "name.GivenName",
            "name.givenName",
        ),
        (
            json!([{"op": "replace", "value": {"emails": [{"type": "work"}, {"value": "a", "VALUE": "x"}]}}]),
            "emails[1].VALUE",
            "emails[1].value",
        ),
        (
            json!([{"op": "add", "path": ENTERPRISE, "value": {"manager": {"value": "a", "Value": "x"}}}]),
            "manager.Value",
            "manager.value",
        ),
        (
            json!([{"op": "replace", "path": "emails[type eq \"work\"]", "value": {"display": {"a": 1, "A": 2}}}]),
            "display.A",
            "display.a",
        ),
    ] {
        for base in [user(), full_user()] {
            let mut document = serde_json::to_value(&base).unwrap();
            let before = document.clone();
            let error = apply_scim_patch(&mut document, &message(operations.clone()))
                .expect_err(&operations.to_string());
            assert_eq!(document, before, "{operations}");
            assert_eq!(
                error.scim_type(),
                Some("invalidSyntax"),
                "{operations}: {error}"
            );
            match &error {
                sparse_patch::ScimPatchError::Operation {
                    fault:
                        sparse_patch::ScimFault::OverlappingMembers {
                            first: one,
                            second: other,
                        },
                    ..
                } => {
                    // In the map's order (serde_json's `preserve_order` keeps the sender's).
                    let mut named = [one.as_str(), other.as_str()];
                    named.sort_unstable();
                    assert_eq!(named, [first, second], "{operations}");
                }
                other => panic!("{operations}: {other:?}"),
            }
            let typed = UserPatch::from_scim_patch(&base, &message(operations.clone()))
                .expect_err(&operations.to_string());
            let text = typed.to_string();
            assert!(
                text.contains(&format!("{first:?}")) && text.contains(&format!("{second:?}")),
                "{operations}: {text}"
            );
        }
    }
}

/// The typed patch's SCIM output refuses a custom attribute's value holding two members that
/// differ only in case (`scim_patch_from_merge`, review 163).
#[test]
fn the_typed_output_refuses_members_that_differ_only_in_case_below_the_top() {
    let mut changed = user();
    changed
        .custom
        .insert("extra".to_owned(), json!([{"c": 1, "C": 2}]));
    let patch = User::diff(&user(), &changed);
    match patch.to_scim_patch(&user()) {
        Err(sparse_patch::DialectError::ScimNameCase { path, other }) => {
            let mut named = [path.as_str(), other.as_str()];
            named.sort_unstable();
            assert_eq!(named, ["extra[0].C", "extra[0].c"]);
        }
        other => panic!("{other:?}"),
    }
}

/// `value` with a twin of an object's first member, deepest first (the first member of the
/// first object found below the others), named in the other case of each letter and holding
/// `"twin"`: two members that differ only in case. `false` where `value` holds no object
/// (or the member's name has no letter).
fn with_a_twin(value: &mut Value) -> bool {
    match value {
        Value::Object(members) => {
            if members.values_mut().any(with_a_twin) {
                return true;
            }
            let Some(name) = members.keys().next().cloned() else {
                return false;
            };
            let twin: String = name
                .chars()
                .map(|c| match c.is_ascii_uppercase() {
                    true => c.to_ascii_lowercase(),
                    false => c.to_ascii_uppercase(),
                })
                .collect();
            twin != name && members.insert(twin, json!("twin")).is_none()
        }
        Value::Array(items) => items.iter_mut().any(with_a_twin),
        _ => false,
    }
}

/// `text` with each ASCII letter outside double quotes in upper or lower case, by `seed`'s bits.
fn recased(text: &str, seed: u64) -> String {
    let mut quoted = false;
    text.chars()
        .enumerate()
        .map(|(at, c)| {
            if c == '"' {
                quoted = !quoted;
            }
            match (quoted, seed.rotate_left(at as u32 % 64) & 1) {
                (false, 1) => c.to_ascii_uppercase(),
                (false, _) => c.to_ascii_lowercase(),
                (true, _) => c,
            }
        })
        .collect()
}

/// `value` with every object's keys re-cased by `seed`.
fn recased_keys(value: &Value, seed: u64) -> Value {
    match value {
        Value::Object(members) => Value::Object(
            members
                .iter()
                .map(|(key, value)| (recased(key, seed), recased_keys(value, seed.rotate_left(7))))
                .collect(),
        ),
        Value::Array(items) => {
            Value::Array(items.iter().map(|item| recased_keys(item, seed)).collect())
        }
        other => other.clone(),
    }
}

/// One operation of `kind` with the text `text`, before re-casing.
fn operation(kind: u8, text: &str) -> Value {
    let manager = format!("{ENTERPRISE}:manager");
    match kind % 14 {
        0 => json!({"op": "add", "path": "title", "value": text}),
        1 => json!({"op": "replace", "path": "name.givenName", "value": text}),
        2 => json!({"op": "add", "value": {"name": {"familyName": text}}}),
        3 => json!({"op": "add", "path": ENTERPRISE, "value": {"manager": {"value": text}}}),
        4 => json!({"op": "replace", "path": format!("{manager}.value"), "value": text}),
        5 => json!({"op": "add", "path": "emails", "value": [{"value": text, "type": "home"}]}),
        6 => json!({"op": "replace", "path": "emails[type eq \"work\"].value", "value": text}),
        7 => json!({"op": "remove", "path": "title"}),
        8 => json!({"op": "remove", "path": "name.givenName"}),
        9 => json!({"op": "remove", "path": "emails[type eq \"work\"]"}),
        10 => json!({"op": "remove", "path": manager}),
        11 => json!({"op": "add", "value": {"nickName": text}}),
        12 => json!({"op": "replace", "value": {(ENTERPRISE): {"employeeNumber": text}}}),
        _ => json!({"op": "add", "value": {"emails[type eq \"work\"].value": text}}),
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    /// The law: where the applier takes a message whose names are re-cased at random, the
    /// typed reading takes it too, and the typed patch applied gives the applier's document,
    /// names compared in any case (RFC 7643 §2.1).
    #[test]
    fn the_typed_reading_agrees_with_the_applier_in_any_case(
        full in any::<bool>(),
        operations in prop::collection::vec(
            (any::<u8>(), "[a-z]{1,3}", any::<u64>(), prop::bool::weighted(0.15)),
            1..5,
        ),
    ) {
        let base = if full { full_user() } else { user() };
        // Whether an operation's value holds two members that differ only in case (a twin
        // added after the re-casing, at the deepest object: below the top level where the
        // value holds objects inside objects).
        let mut twinned = false;
        let operations = Value::Array(operations.iter().map(|(kind, text, seed, twin)| {
            let mut operation = operation(*kind, text);
            if let Some(Value::String(path)) = operation.get_mut("path") {
                *path = recased(path, *seed);
            }
            if let Some(value) = operation.get_mut("value") {
                *value = recased_keys(value, *seed);
                twinned |= *twin && with_a_twin(value);
            }
            operation
        }).collect());
        let (by_json, typed) = both_ways(&base, &operations);
        match by_json {
            Ok(by_json) => {
                prop_assert!(!twinned, "{}: applied with members that differ only in case", operations);
                let typed = typed.map_err(|error| TestCaseError::fail(format!("{operations}: {error}")))?;
                prop_assert_eq!(folded(&typed), folded(&by_json), "{}", operations);
            }
            // What the applier refuses, the typed reading (which applies first) refuses.
            Err(error) => {
                prop_assert!(typed.is_err(), "{}: the applier refused ({}), the typed reading took it", operations, error);
            }
        }
    }
}

/// A sub-attribute of `Sign` whose name is the letter `k`.
#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[patchable(deny_unknown_fields)]
struct Letter {
    #[serde(skip_serializing_if = "Option::is_none")]
    k: Option<u32>,
}

#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
#[patchable(deny_unknown_fields)]
struct Sign {
    #[patchable(nested)]
    letter: Letter,
}

/// A removed name is checked against the patch's names in ASCII case, as the applier compares
/// names (RFC 7643 §2.1: attribute names are ASCII): the Kelvin sign `\u{212a}`, which
/// `str::to_lowercase` lowers to `k`, is no spelling of `k`. The check took it for `k` and the
/// message (`add letter {"\u{212a}": null}`) was read as an empty patch, while the merge patch
/// `{"letter": {"\u{212a}": null}}` is refused as an unknown field (review 170); `K` is `k`.
#[test]
fn a_removed_name_that_is_not_ascii_is_no_case_variant() {
    let base = Sign {
        letter: Letter { k: Some(1) },
    };
    let kelvin = message(json!([{"op": "add", "path": "letter", "value": {"\u{212a}": null}}]));
    let error = SignPatch::from_scim_patch(&base, &kelvin)
        .unwrap_err()
        .to_string();
    assert!(error.contains("unknown field `\u{212a}`"), "{error}");
    let merge: Result<SignPatch, _> = serde_json::from_value(json!({"letter": {"\u{212a}": null}}));
    assert!(merge.is_err());
    let upper = message(json!([{"op": "add", "path": "letter", "value": {"K": null}}]));
    let patch = SignPatch::from_scim_patch(&base, &upper).unwrap();
    let mut cleared = base.clone();
    cleared.apply(patch).unwrap();
    assert_eq!(cleared.letter, Letter { k: None });
}
