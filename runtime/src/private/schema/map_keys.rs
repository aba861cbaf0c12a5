//! The keys that serde reads into a map's key type, where schemars' map schema says otherwise.

use serde_json::{Map, Value};

use super::integer_keys::integer_key_pattern;
use super::names_type;

/// The schema of the strings that serde reads into a key whose own schema is `key`, where
/// schemars' map schema says otherwise: an integer (a JSON integer, as `serde_json` reads
/// it, in the type's range and the bounds its schema states, `integer_keys.rs`: schemars'
/// `^\d+$` takes `256` for a `u8`, `01`, and `0` for a `NonZeroU8`), a `bool`
/// (`true` or `false`: schemars takes any key) and a constrained string (a `char`, one
/// character: schemars takes any key). `None`: the map's schema stands.
pub(super) fn key_names(key: &Value) -> Option<Value> {
    let object = key.as_object()?;
    // A unit enum (`{"enum": ["prod", "staging"]}`, or schemars' `oneOf` of `const`s when
    // its variants have doc comments): serde reads a key into it by the variant's name,
    // and the key type's own schema lists them (schemars takes any key).
    if only_strings(object) {
        return Some(key.clone());
    }
    match object.get("type")?.as_str()? {
        "integer" => {
            let pattern = integer_key_pattern(object)?;
            Some(serde_json::json!({ "type": "string", "pattern": pattern }))
        }
        "boolean" => Some(serde_json::json!({ "enum": ["true", "false"] })),
        "string" => {
            let constrained = ["pattern", "minLength", "maxLength", "format"]
                .iter()
                .any(|word| object.contains_key(*word));
            constrained.then(|| key.clone())
        }
        _ => None,
    }
}

/// The schema of the keys that a flattened map whose key type's own schema is `key` reads:
/// serde hands a flattened field its keys as strings (its buffered `Content`, or the patch's
/// own reader), which no integer or `bool` key type reads (`false`: none,
/// serde-rs/serde#1183), and which another key type reads as [`key_names`] says. `None`:
/// any key.
pub(super) fn flattened_key_names(key: &Value) -> Option<Value> {
    match key.get("type").and_then(Value::as_str) {
        Some("integer" | "boolean") => Some(Value::Bool(false)),
        _ => key_names(key),
    }
}

/// Whether `schema` accepts a given list of strings and nothing else: an `enum` of
/// strings, a string `const`, or a `oneOf`/`anyOf` of such schemas.
fn only_strings(schema: &Map<String, Value>) -> bool {
    if let Some(Value::Array(values)) = schema.get("enum") {
        return !values.is_empty() && values.iter().all(Value::is_string);
    }
    if let Some(value) = schema.get("const") {
        return value.is_string();
    }
    ["oneOf", "anyOf"]
        .iter()
        .any(|word| match schema.get(*word) {
            Some(Value::Array(branches)) => {
                !branches.is_empty()
                    && branches
                        .iter()
                        .all(|branch| branch.as_object().is_some_and(only_strings))
            }
            _ => false,
        })
}

/// The object schema of a map (or its object branch, when it may be `null`) with its values'
/// schema for every key, and `keywords` (`propertyNames` for its keys, ...).
pub(super) fn restrict_keys(schema: &mut Value, keywords: &Map<String, Value>) {
    let Value::Object(object) = schema else {
        return;
    };
    let is_object = names_type(object, "object");
    if !is_object {
        for branches in ["anyOf", "oneOf"] {
            if let Some(Value::Array(branches)) = object.get_mut(branches) {
                branches
                    .iter_mut()
                    .for_each(|branch| restrict_keys(branch, keywords));
            }
        }
        return;
    }
    // The values' schema: schemars gives it to the keys' patterns, or to the other keys.
    let values = match object.remove("patternProperties") {
        Some(Value::Object(patterns)) => patterns.into_iter().next().map(|(_, value)| value),
        _ => None,
    };
    let values = values.or_else(|| {
        object
            .get("additionalProperties")
            .filter(|value| **value != Value::Bool(false))
            .cloned()
    });
    if let Some(values) = values {
        object.insert("additionalProperties".to_owned(), values);
        object.extend(keywords.clone());
    }
}

/// `schema` as serde reads it inside a flattened struct, at every depth but through a
/// `$ref` (whose definition `buffered_definitions.rs` copies): schemars' integer keys (`patternProperties` `^\d+$`, `^-?\d+$`, beside
/// `"additionalProperties": false`) are none, since serde hands a flattened struct its
/// map keys as strings, which it reads into no integer type (serde-rs/serde#1183).
pub(super) fn no_integer_keys(schema: &mut Value) {
    let Value::Object(object) = schema else {
        return;
    };
    if let Some(Value::Object(patterns)) = object.get_mut("patternProperties") {
        patterns.retain(|pattern, _| pattern != r"^\d+$" && pattern != r"^-?\d+$");
        if patterns.is_empty() {
            object.remove("patternProperties");
        }
    }
    for_each_subschema(object, no_integer_keys);
}

/// Gives `visit` each subschema of the schema `object` that serde's reading of a value
/// reaches: an array's items, an object's members and other keys, a branch, a condition's
/// outcome, a negation (JSON Schema 2020-12, Core §10.2 and §10.3).
pub(super) fn for_each_subschema(
    object: &mut Map<String, Value>,
    mut visit: impl FnMut(&mut Value),
) {
    for (key, child) in object.iter_mut() {
        match key.as_str() {
            "items" | "additionalProperties" | "then" | "else" | "not" => visit(child),
            "prefixItems" | "anyOf" | "oneOf" | "allOf" => {
                if let Value::Array(branches) = child {
                    branches.iter_mut().for_each(&mut visit);
                }
            }
            "properties" | "patternProperties" => {
                if let Value::Object(members) = child {
                    members.values_mut().for_each(&mut visit);
                }
            }
            _ => {}
        }
    }
}
