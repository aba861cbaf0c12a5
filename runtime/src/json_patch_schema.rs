//! The JSON Schema of an RFC 6902 operation (feature `schemars`), for the request body of a
//! server that takes `application/json-patch+json`: `Vec<JsonPatchOperation>`'s schema is an
//! array of them.

use std::borrow::Cow;

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};

use crate::JsonPatchOperation;

/// A JSON Pointer (RFC 6901 §3) as [`JsonPatchOperation`]'s reading takes one: empty, or
/// reference tokens each after a `/`, with `~` only in `~0` and `~1`.
const POINTER_PATTERN: &str = "^(/([^/~]|~[01])*)*$";

/// The JSON Schema (2020-12) of one RFC 6902 operation, as [`JsonPatchOperation`]'s reading
/// takes it: `op` one of the six names in lower case, `path` (and `from` for `move` and
/// `copy`) a JSON Pointer, and `value` any JSON, required by `add`, `replace` and `test`.
/// Other members are allowed, as RFC 6902 §4 ignores them. What a schema cannot say: a
/// member given twice, which the reading refuses (`duplicate field`).
///
/// ```
/// let schema = schemars::schema_for!(Vec<sparse_patch::JsonPatchOperation>).to_value();
/// assert_eq!(schema["type"], "array");
/// assert_eq!(schema["items"]["$ref"], "#/$defs/JsonPatchOperation");
/// let add = &schema["$defs"]["JsonPatchOperation"]["oneOf"][0];
/// assert_eq!(add["properties"]["op"]["const"], "add");
/// assert_eq!(add["required"], serde_json::json!(["op", "path", "value"]));
/// ```
impl JsonSchema for JsonPatchOperation {
    fn schema_name() -> Cow<'static, str> {
        "JsonPatchOperation".into()
    }

    fn schema_id() -> Cow<'static, str> {
        "sparse_patch::JsonPatchOperation".into()
    }

    fn json_schema(_generator: &mut SchemaGenerator) -> Schema {
        let pointer = json_schema!({"type": "string", "pattern": POINTER_PATTERN});
        let operation = |op: &str, members: &[&str]| {
            let mut properties = serde_json::Map::new();
            properties.insert("op".into(), serde_json::json!({"const": op}));
            for member in members {
                let schema = if *member == "value" {
                    serde_json::json!({})
                } else {
                    pointer.clone().to_value()
                };
                properties.insert((*member).into(), schema);
            }
            let required: Vec<&str> = core::iter::once("op")
                .chain(members.iter().copied())
                .collect();
            serde_json::json!({"type": "object", "properties": properties, "required": required})
        };
        json_schema!({
            "description": "One RFC 6902 JSON Patch operation (RFC 6902 §4).",
            "oneOf": [
                operation("add", &["path", "value"]),
                operation("remove", &["path"]),
                operation("replace", &["path", "value"]),
                operation("move", &["from", "path"]),
                operation("copy", &["from", "path"]),
                operation("test", &["path", "value"]),
            ]
        })
    }
}
