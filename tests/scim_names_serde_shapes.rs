//! SCIM attribute names in any case (RFC 7643 §2.1) in the typed reading, where the model's
//! serde reads names in its own ways: an alias at a top level that flattens a map of custom
//! attributes, externally, internally and adjacently tagged enums, an untagged enum, and a
//! struct that flattens a field below the top level (review 170). `from_scim_patch` spells a
//! name that `apply_scim_patch` kept in the message's case as the model spells it where the
//! model's reading names its fields (the value then lands in its field), and refuses one that
//! the model does not read where serde reads names from its own buffer, where it cannot tell
//! a name in another case from an unknown one (`ScimPatchError::NameNotRead`): never `Ok` with
//! the value dropped, or read as a custom attribute.
//!
//! The members of an adjacently tagged enum come content first and tag first: serde_json's
//! map sorts them (`data` before `type`) unless its `preserve_order` feature keeps the
//! message's order, so CI runs this file with it on too.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use sparse_patch::{Patch, Patchable, ScimPatchError, apply_scim_patch};

#[path = "support/scim_message.rs"]
mod scim_message;
use scim_message::message;

/// A struct flattened into `Name`, below the top level.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct Family {
    #[serde(skip_serializing_if = "Option::is_none")]
    family_name: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct Name {
    #[serde(skip_serializing_if = "Option::is_none")]
    given_name: Option<String>,
    #[serde(flatten)]
    family: Family,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Side {
    #[serde(skip_serializing_if = "Option::is_none")]
    side_cm: Option<u32>,
}

/// Externally tagged: `{"circle": {"radiusCm": 3}}`, `{"square": {"sideCm": 2}}`, `"dot"`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", rename_all_fields = "camelCase")]
enum Shape {
    Circle { radius_cm: Option<u32> },
    Square(Side),
    Dot,
}

/// Internally tagged: `{"kind": "cat", "lifeCount": 9}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(
    tag = "kind",
    rename_all = "camelCase",
    rename_all_fields = "camelCase"
)]
enum Pet {
    Cat {
        life_count: Option<u32>,
    },
    Dog(Side),
    /// A field that the model writes but does not read.
    Fish {
        #[serde(skip_deserializing)]
        scale_count: u32,
    },
    /// Custom attributes beside its field, in serde's buffer.
    Bird {
        wing_span: Option<u32>,
        #[serde(flatten)]
        extra: BTreeMap<String, Value>,
    },
}

/// Adjacently tagged: `{"type": "square", "data": {"sideCm": 2}}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(
    tag = "type",
    content = "data",
    rename_all = "camelCase",
    rename_all_fields = "camelCase"
)]
enum Figure {
    Square(Side),
    Circle { radius_cm: Option<u32> },
}

/// Untagged: the first variant that reads.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged, rename_all_fields = "camelCase")]
enum Badge {
    Level { level_number: Option<u32> },
}

#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct User {
    user_name: String,
    #[serde(alias = "emailAddress", skip_serializing_if = "Option::is_none")]
    mail: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Option<Value>")]
    name: Option<Name>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Option<Value>")]
    shape: Option<Shape>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Option<Value>")]
    pet: Option<Pet>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Option<Value>")]
    figure: Option<Figure>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Option<Value>")]
    badge: Option<Badge>,
    /// Custom attributes beside the fields.
    #[serde(flatten)]
    custom: BTreeMap<String, Value>,
}

fn user() -> User {
    User {
        user_name: "bjensen".into(),
        mail: None,
        name: Some(Name::default()),
        shape: None,
        pet: None,
        figure: None,
        badge: None,
        custom: BTreeMap::new(),
    }
}

/// The typed reading of `operations` on [`user`], applied: the model's JSON, or the error.
fn typed(operations: &Value) -> Result<Value, ScimPatchError> {
    let patch = UserPatch::from_scim_patch(&user(), &message(operations.clone()))?;
    let mut changed = user();
    changed.apply(patch).unwrap();
    Ok(serde_json::to_value(changed).unwrap())
}

/// A name in another case than the model's, where the model's reading names its fields (an
/// alias at a top level that flattens a map, an externally tagged enum's variant and its
/// fields, an adjacently tagged enum's newtype variant, content first or tag first): the
/// value lands in its field. Before, the alias and the variant's name were read as a custom
/// attribute and as an unknown variant, and the fields' values were dropped.
#[test]
fn a_name_in_another_case_is_the_models_where_its_reading_names_fields() {
    for (operations, pointer, expected) in [
        (
            json!([{"op": "add", "path": "EmailAddress", "value": "m@example.com"}]),
            "/mail",
            json!("m@example.com"),
        ),
        (
            json!([{"op": "add", "path": "shape", "value": {"Circle": {"RadiusCm": 3}}}]),
            "/shape/circle/radiusCm",
            json!(3),
        ),
        (
            json!([{"op": "add", "path": "shape", "value": {"SQUARE": {"sideCM": 2}}}]),
            "/shape/square/sideCm",
            json!(2),
        ),
        (
            json!([{"op": "add", "path": "figure", "value": {"data": {"SideCm": 2}, "type": "square"}}]),
            "/figure/data/sideCm",
            json!(2),
        ),
        (
            json!([{"op": "add", "path": "figure", "value": {"Type": "square", "Data": {"SIDECM": 2}}}]),
            "/figure/data/sideCm",
            json!(2),
        ),
    ] {
        let mut document = serde_json::to_value(user()).unwrap();
        apply_scim_patch(&mut document, &message(operations.clone())).unwrap();
        let typed = typed(&operations).unwrap_or_else(|error| panic!("{operations}: {error}"));
        assert_eq!(
            typed.pointer(pointer),
            Some(&expected),
            "{operations}: {typed}"
        );
        // Not a custom attribute as well.
        assert!(
            typed.as_object().unwrap().keys().all(|key| {
                !key.eq_ignore_ascii_case("emailAddress") && !key.eq_ignore_ascii_case("mail")
                    || key == "mail"
            }),
            "{operations}: {typed}"
        );
    }
}

/// A name in another case than the model's where serde reads names from its own buffer (a
/// struct flattened below the top level, and its own fields beside it; an internally tagged
/// enum, and one whose variant flattens a map of custom attributes beside its field; an
/// adjacently tagged enum's struct variant; an untagged enum): the typed reading cannot tell it
/// from an unknown name, and refuses it, naming it (`invalidValue`), where it read the message
/// with the value dropped (`WingSpan` read into the variant's map, `wingSpan` left `null`);
/// and a name that the model writes back but does not read (`skip_deserializing`), which it
/// read as `Ok` with the value dropped, as its default was written back under the name. The applier takes the message.
#[test]
fn a_name_in_another_case_where_serde_reads_its_buffer_is_refused() {
    for (operations, path) in [
        (
            json!([{"op": "add", "path": "name.FamilyName", "value": "Jensen"}]),
            "name.FamilyName",
        ),
        (
            json!([{"op": "add", "path": "name", "value": {"GivenName": "Barbara"}}]),
            "name.GivenName",
        ),
        (
            json!([{"op": "add", "path": "pet", "value": {"kind": "cat", "LifeCount": 9}}]),
            "pet.LifeCount",
        ),
        (
            json!([{"op": "add", "path": "pet", "value": {"kind": "dog", "SideCm": 9}}]),
            "pet.SideCm",
        ),
        (
            json!([{"op": "add", "path": "figure", "value": {"type": "circle", "data": {"RadiusCm": 3}}}]),
            "figure.data.RadiusCm",
        ),
        (
            json!([{"op": "add", "path": "pet", "value": {"kind": "bird", "WingSpan": 3}}]),
            "pet.WingSpan",
        ),
        (
            json!([{"op": "add", "path": "pet", "value": {"kind": "fish", "scaleCount": 5}}]),
            "pet.scaleCount",
        ),
        (
            json!([{"op": "add", "path": "badge", "value": {"LevelNumber": 3}}]),
            "badge.LevelNumber",
        ),
    ] {
        let mut document = serde_json::to_value(user()).unwrap();
        apply_scim_patch(&mut document, &message(operations.clone()))
            .unwrap_or_else(|error| panic!("{operations}: {error}"));
        match typed(&operations) {
            Err(error @ ScimPatchError::NameNotRead { .. }) => {
                assert!(
                    matches!(&error, ScimPatchError::NameNotRead { path: found } if found == path),
                    "{operations}: {error:?}"
                );
                assert_eq!(error.scim_type(), Some("invalidValue"));
                assert!(error.to_string().contains(&format!("{path:?}")), "{error}");
            }
            other => panic!("{operations}: {other:?}"),
        }
    }
}

/// The same places, with the model's spelling, and a custom attribute beside the fields:
/// read, and the typed reading gives the applier's document. Names that the base holds are
/// not probed; one that the model reads but writes back only where set (`skip_serializing_if`)
/// is read.
#[test]
fn the_models_spelling_where_serde_reads_its_buffer_is_read() {
    for operations in [
        json!([{"op": "add", "path": "name.familyName", "value": "Jensen"}]),
        json!([{"op": "add", "path": "name", "value": {"givenName": "Barbara", "familyName": "J"}}]),
        json!([{"op": "add", "path": "pet", "value": {"kind": "cat", "lifeCount": 9}}]),
        json!([{"op": "add", "path": "pet", "value": {"kind": "dog"}}]),
        json!([{"op": "add", "path": "pet", "value": {"kind": "dog", "sideCm": 4}}]),
        json!([{"op": "add", "path": "pet", "value": {"kind": "bird", "wingSpan": 3, "Color": "red"}}]),
        json!([{"op": "add", "path": "figure", "value": {"type": "circle", "data": {"radiusCm": 3}}}]),
        json!([{"op": "add", "path": "badge", "value": {"levelNumber": 3}}]),
        json!([{"op": "add", "path": "nickName", "value": {"Short": "Babs"}}]),
        json!([{"op": "add", "path": "shape", "value": "dot"}]),
    ] {
        let mut document = serde_json::to_value(user()).unwrap();
        apply_scim_patch(&mut document, &message(operations.clone())).unwrap();
        let typed = typed(&operations).unwrap_or_else(|error| panic!("{operations}: {error}"));
        assert_eq!(typed, document, "{operations}");
    }
}
