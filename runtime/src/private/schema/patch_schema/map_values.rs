//! A map's schema made a map patch's: its values' schemas, what a whole map must hold left
//! out, `null` taken; and the keyword of `dependentSchemas` by dialect.

use schemars::{Schema, SchemaGenerator};
use serde_json::{Map, Value};

use super::super::nullable::admit_null;
use super::super::openapi_3_0;

/// The schema of every value of a map's schema `object`: its `patternProperties`' and its
/// `additionalProperties`' (unless `false`), `None` where it states neither.
pub(super) fn map_values(object: &Map<String, Value>) -> Option<Value> {
    let mut values: Vec<Value> = match object.get("patternProperties") {
        Some(Value::Object(patterns)) => patterns.values().cloned().collect(),
        _ => Vec::new(),
    };
    match object.get("additionalProperties") {
        Some(Value::Bool(false)) => {}
        Some(additional) => values.push(additional.clone()),
        None if values.is_empty() => return None,
        None => values.push(Value::Bool(true)),
    }
    match values.len() {
        0 => Some(Value::Bool(false)),
        1 => values.pop(),
        _ => Some(serde_json::json!({ "anyOf": values })),
    }
}

/// The keywords of what a whole map (an object) must hold, which a patch of it need not:
/// its size and its keys (JSON Schema 2020-12, Validation §6.5).
///
/// [`without_whole_value_keywords`] leaves them out.
const WHOLE_MAP_KEYWORDS: [&str; 4] = [
    "minProperties",
    "maxProperties",
    "required",
    "dependentRequired",
];

/// A map's schema `map` (or the object branches of a nullable map's `anyOf`) made a map
/// patch's: without [`WHOLE_MAP_KEYWORDS`], and with values that take `null` (remove the
/// key) where they do not surely take it already.
pub(super) fn as_map_patch(map: &mut Value, generator: &mut SchemaGenerator) {
    let Value::Object(object) = map else {
        return;
    };
    if !super::super::names_type(object, "object") {
        for branches in ["anyOf", "oneOf"] {
            if let Some(Value::Array(branches)) = object.get_mut(branches) {
                for branch in branches {
                    as_map_patch(branch, generator);
                }
            }
        }
        return;
    }
    without_whole_value_keywords(map);
    values_take_null(map, generator);
}

/// A map schema's values (its `additionalProperties` unless `false`, its
/// `patternProperties`) made to take `null` (remove the key) where they do not surely take
/// it already, and so the values of the branches of its `allOf`, which the whole map must fit
/// as it must fit the schema (`extend("allOf" = [{"additionalProperties": {...}}])`).
fn values_take_null(map: &mut Value, generator: &mut SchemaGenerator) {
    let Value::Object(object) = map else {
        return;
    };
    for_each_values_schema(object, |values| {
        if let Ok(schema) = Schema::try_from(values.clone()) {
            *values = admit_null(schema, generator).to_value();
        }
    });
    if let Some(Value::Array(branches)) = object.get_mut("allOf") {
        for branch in branches {
            values_take_null(branch, generator);
        }
    }
}

/// `schema` without [`WHOLE_MAP_KEYWORDS`], and the branches of its `anyOf` and `oneOf` (a
/// nullable value's) and of its `allOf` (which the whole value must fit as it must fit the
/// schema: an item `extend("allOf" = [{"required": [...]}])`, JSON Schema 2020-12, Core
/// §10.2.1.1) without them: the schema of a patch of an object.
pub(super) fn without_whole_value_keywords(schema: &mut Value) {
    let Value::Object(object) = schema else {
        return;
    };
    for keyword in WHOLE_MAP_KEYWORDS {
        object.remove(keyword);
    }
    for branches in ["anyOf", "oneOf", "allOf"] {
        if let Some(Value::Array(branches)) = object.get_mut(branches) {
            branches.iter_mut().for_each(without_whole_value_keywords);
        }
    }
}

/// A map's schema whose values may also be `null`, as a map patch reads them (remove the
/// key): its `additionalProperties` (unless `false`) and `patternProperties`.
pub(super) fn values_or_null(map: &mut Value) {
    let Value::Object(object) = map else {
        return;
    };
    for_each_values_schema(object, |values| {
        if *values != Value::Bool(true) {
            let given = std::mem::take(values);
            *values = serde_json::json!({ "anyOf": [given, { "type": "null" }] });
        }
    });
}

/// Gives `change` each schema of a map schema's values: its `additionalProperties` (unless
/// `false`, which takes no value) and each of its `patternProperties` (JSON Schema 2020-12,
/// Core §10.3.2).
fn for_each_values_schema(object: &mut Map<String, Value>, mut change: impl FnMut(&mut Value)) {
    if let Some(values) = object
        .get_mut("additionalProperties")
        .filter(|values| **values != Value::Bool(false))
    {
        change(values);
    }
    if let Some(Value::Object(patterns)) = object.get_mut("patternProperties") {
        patterns.values_mut().for_each(&mut change);
    }
}

/// The keyword of the schemas that apply when a key is present: `dependentSchemas` (JSON
/// Schema 2019-09 and 2020-12, Core §10.2.2.4), or `dependencies` with schema values where
/// the generator writes an older draft (`SchemaSettings::draft07()`), whose validators know
/// no `dependentSchemas` and would pass a name beside its alias (draft-07 Validation §6.5.7);
/// none for OpenAPI 3.0 (`SchemaSettings::openapi3()`), whose schema object has neither
/// keyword and allows no other (OpenAPI 3.0.3, "Schema Object"): the rule goes unsaid there.
pub(super) fn dependent_schemas(generator: &SchemaGenerator) -> Option<&'static str> {
    if openapi_3_0(generator) {
        return None;
    }
    let meta_schema = generator.settings().meta_schema.as_deref().unwrap_or("");
    let older = ["draft-04", "draft-06", "draft-07"]
        .iter()
        .any(|draft| meta_schema.contains(draft));
    Some(if older {
        "dependencies"
    } else {
        "dependentSchemas"
    })
}
