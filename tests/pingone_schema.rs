//! Issue 12: the JSON Schema of `pingone::UserPatch` (feature `schemars`) agrees with the
//! reference OpenAPI description of the PingOne user (`tests/data/pingone-user.openapi.json`,
//! from the PingOne Go SDK): every writable attribute has the same JSON type and the same
//! nullability, read-only attributes are absent, and each difference is listed with its
//! reason.
//!
//! The reference is OpenAPI 3.0 without `nullable`: an attribute's nullability is what its
//! description documents ("may be explicitly set to null when updating").

use serde_json::{Map, Value};
use sparse_patch::pingone::UserPatch;

/// Writable attributes of the reference that `UserPatch` leaves out: PingOne changes them with
/// calls of their own, not with PATCH (../shared/reference/pingone-users-api.md, "The user
/// document"; the model's documentation lists them as read-only).
const NOT_SENT_BY_PATCH: &[(&str, &str)] = &[
    ("account", "locking and unlocking have their own calls"),
    (
        "identityProvider",
        "`identityProvider.type` is read-only; the provider is set on creation",
    ),
    ("lifecycle", "`lifecycle.status` is set on import only"),
    (
        "mfaEnabled",
        "multi-factor authentication is enabled with its own endpoint",
    ),
    (
        "password",
        "the password has its own endpoints and is never returned",
    ),
    (
        "population",
        "a user moves to another population with its own call",
    ),
    (
        "verifyStatus",
        "the verification status has its own endpoint",
    ),
];

/// Attributes that `UserPatch` lets be `null` although the reference's description documents no
/// `null` for them.
const NULLABLE_HERE_ONLY: &[(&str, &str)] = &[
    (
        "name",
        "optional in the reference and absent from users that have none; `null` removes the object, as RFC 7396 §2 merges it (the reference documents `null` for each part)",
    ),
    (
        "address",
        "optional in the reference and absent from users that have none; `null` removes the object, as RFC 7396 §2 merges it",
    ),
    (
        "photo",
        "documented on `photo.href`: \"removed from a user by setting the photo attribute to null\"",
    ),
    (
        "address.streetAddress",
        "optional in the reference; its description is silent on `null`, which RFC 7396 §2 reads as removal, like the other optional strings",
    ),
    ("address.locality", "as `address.streetAddress`"),
    ("address.region", "as `address.streetAddress`"),
    ("address.postalCode", "as `address.streetAddress`"),
    ("address.countryCode", "as `address.streetAddress`"),
];

/// Attributes whose reference description mentions `null` about something else.
const REQUIRED_HERE: &[(&str, &str)] = &[(
    "photo.href",
    "required inside `photo`; its description's `null` is about `photo` as a whole",
)];

fn reference() -> Value {
    serde_json::from_str(include_str!("data/pingone-user.openapi.json")).unwrap()
}

fn patch_schema() -> Value {
    let generator = schemars::generate::SchemaSettings::draft2020_12()
        .for_serialize()
        .into_generator();
    generator.into_root_schema_for::<UserPatch>().to_value()
}

/// The reference's schema behind a `$ref`.
fn resolve<'a>(root: &'a Value, schema: &'a Value) -> &'a Value {
    match schema.get("$ref").and_then(Value::as_str) {
        Some(reference) => {
            let name = reference.strip_prefix("#/components/schemas/").unwrap();
            &root["components"]["schemas"][name]
        }
        None => schema,
    }
}

/// A property of the patch schema: its JSON types other than `null`, whether it accepts `null`,
/// and the object schema behind a `$ref`.
struct PatchProperty<'a> {
    types: Vec<String>,
    nullable: bool,
    object: Option<&'a Value>,
}

fn describe<'a>(root: &'a Value, schema: &'a Value) -> PatchProperty<'a> {
    let mut property = PatchProperty {
        types: Vec::new(),
        nullable: false,
        object: None,
    };
    let branches: Vec<&Value> = match schema.get("anyOf").and_then(Value::as_array) {
        Some(branches) => branches.iter().collect(),
        None => vec![schema],
    };
    for branch in branches {
        if let Some(reference) = branch.get("$ref").and_then(Value::as_str) {
            let name = reference.strip_prefix("#/$defs/").unwrap();
            property.object = Some(&root["$defs"][name]);
            property.types.push("object".to_owned());
        }
        match branch.get("type") {
            Some(Value::String(name)) if name == "null" => property.nullable = true,
            Some(Value::String(name)) => property.types.push(name.clone()),
            Some(Value::Array(names)) => {
                for name in names.iter().filter_map(Value::as_str) {
                    if name == "null" {
                        property.nullable = true;
                    } else {
                        property.types.push(name.to_owned());
                    }
                }
            }
            _ => {}
        }
    }
    property
}

fn listed(list: &[(&str, &str)], path: &str) -> bool {
    list.iter().any(|(name, _)| *name == path)
}

/// Compares the properties of one reference object with those of one patch object.
fn compare(
    reference_root: &Value,
    reference_object: &Value,
    patch_root: &Value,
    patch_object: &Value,
    prefix: &str,
    differences: &mut Vec<String>,
) {
    let empty = Map::new();
    let patch_properties = patch_object["properties"].as_object().unwrap_or(&empty);
    let reference_properties = reference_object["properties"].as_object().unwrap();
    for (name, schema) in reference_properties {
        let path = format!("{prefix}{name}");
        let resolved = resolve(reference_root, schema);
        let read_only = schema.get("readOnly") == Some(&Value::Bool(true))
            || resolved.get("readOnly") == Some(&Value::Bool(true));
        let Some(patch) = patch_properties.get(name) else {
            if !read_only && !listed(NOT_SENT_BY_PATCH, &path) {
                differences.push(format!("{path}: writable, but not in the patch schema"));
            }
            continue;
        };
        if read_only {
            differences.push(format!("{path}: read-only, but in the patch schema"));
            continue;
        }
        if listed(NOT_SENT_BY_PATCH, &path) {
            differences.push(format!(
                "{path}: listed as not sent, but in the patch schema"
            ));
        }
        let property = describe(patch_root, patch);
        let reference_type = resolved["type"].as_str().unwrap_or("object");
        if property.types != [reference_type] {
            differences.push(format!(
                "{path}: type {reference_type} in the reference, {:?} in the patch",
                property.types
            ));
        }
        let description = resolved["description"].as_str().unwrap_or_default();
        let documented_null = description.contains("to null");
        let expected_null =
            (documented_null && !listed(REQUIRED_HERE, &path)) || listed(NULLABLE_HERE_ONLY, &path);
        if property.nullable != expected_null {
            differences.push(format!(
                "{path}: nullable {expected_null} expected, {} in the patch",
                property.nullable
            ));
        }
        if let Some(nested) = property.object {
            compare(
                reference_root,
                resolved,
                patch_root,
                nested,
                &format!("{path}."),
                differences,
            );
        }
    }
}

#[test]
fn user_patch_schema_agrees_with_the_reference() {
    let reference = reference();
    let patch = patch_schema();
    let user = &reference["components"]["schemas"]["User"];
    let mut differences = Vec::new();
    compare(&reference, user, &patch, &patch, "", &mut differences);
    assert!(
        differences.is_empty(),
        "unlisted differences:\n{}",
        differences.join("\n")
    );
}

#[test]
fn the_lists_name_real_attributes() {
    let reference = reference();
    let schemas = &reference["components"]["schemas"];
    let user = &schemas["User"]["properties"];
    for (path, reason) in NOT_SENT_BY_PATCH
        .iter()
        .chain(NULLABLE_HERE_ONLY)
        .chain(REQUIRED_HERE)
    {
        assert!(!reason.is_empty());
        let mut parts = path.split('.');
        let first = parts.next().unwrap();
        let mut schema = resolve(&reference, &user[first]);
        for part in parts {
            schema = resolve(&reference, &schema["properties"][part]);
        }
        assert!(schema.is_object(), "{path} is not in the reference");
    }
}

/// Custom attributes: the patch's other keys take any JSON, `null` included (RFC 7396 for
/// JSON attributes; `null` removes a string one).
#[test]
fn custom_attributes_take_any_json() {
    let patch = patch_schema();
    assert_eq!(patch.get("additionalProperties"), Some(&Value::Bool(true)));
    assert!(patch.get("required").is_none());
}
