//! Whether a schema takes `null`, and the same schema refusing it.

use schemars::{Schema, SchemaGenerator};
use serde_json::{Map, Value};

use super::names_type;

/// Whether `schema` may accept `null`: each of its keywords that speaks of `null` (`type`,
/// `enum`, `const`, `not`, `anyOf`, `oneOf`, `allOf`, `$ref`) lets it through, and a schema that
/// says nothing of the type accepts it. A `$ref` is read in the generator's definitions:
/// a named field type's JSON can be `null` (a unit struct, a transparent newtype over an
/// `Option` or over `serde_json::Value`), and a patch's definition is an object.
pub(super) fn may_be_null(schema: &Value, generator: &SchemaGenerator) -> bool {
    may_be_null_within(schema, generator, 0)
}

fn may_be_null_within(schema: &Value, generator: &SchemaGenerator, depth: usize) -> bool {
    // Definitions that are `$ref`s to one another in a ring accept nothing of their own;
    // past a depth no schema reaches, `null` is taken as possible (refusing it costs only
    // a `not` that a required attribute obeys anyway).
    if depth > 32 {
        return true;
    }
    match schema {
        Value::Bool(accepts) => *accepts,
        Value::Object(object) => object
            .iter()
            .all(|(keyword, value)| match keyword.as_str() {
                "type" => names_type(object, "null"),
                "enum" => value
                    .as_array()
                    .is_some_and(|values| values.iter().any(Value::is_null)),
                "const" => value.is_null(),
                "not" => *value != serde_json::json!({ "type": "null" }),
                "anyOf" | "oneOf" => value.as_array().is_some_and(|branches| {
                    branches
                        .iter()
                        .any(|branch| may_be_null_within(branch, generator, depth + 1))
                }),
                "allOf" => value.as_array().is_some_and(|branches| {
                    branches
                        .iter()
                        .all(|branch| may_be_null_within(branch, generator, depth + 1))
                }),
                "$ref" => value
                    .as_str()
                    .and_then(|reference| definition(reference, generator))
                    .is_none_or(|target| may_be_null_within(target, generator, depth + 1)),
                _ => true,
            }),
        _ => false,
    }
}

/// The definition that a `$ref` of the generator names (`#/$defs/Name`, the name
/// percent-encoded and escaped as a JSON Pointer's segment, as schemars writes it).
fn definition<'a>(reference: &str, generator: &'a SchemaGenerator) -> Option<&'a Value> {
    let path = generator.settings().definitions_path.as_ref();
    let path = path.strip_prefix('#').unwrap_or(path);
    let path = path.strip_suffix('/').unwrap_or(path);
    let name = reference
        .strip_prefix('#')?
        .strip_prefix(path)?
        .strip_prefix('/')?;
    let name = percent_decoded(name)?;
    let name = name.replace("~1", "/").replace("~0", "~");
    generator.definitions().get(&name)
}

/// `text` with its `%XX` escapes decoded; `None` when that is not UTF-8.
fn percent_decoded(text: &str) -> Option<String> {
    let mut bytes = Vec::with_capacity(text.len());
    let mut rest = text.as_bytes();
    while let Some((&byte, tail)) = rest.split_first() {
        let escaped = (byte == b'%')
            .then(|| tail.get(..2))
            .flatten()
            .and_then(|hex| std::str::from_utf8(hex).ok())
            .and_then(|hex| u8::from_str_radix(hex, 16).ok());
        match escaped {
            Some(decoded) => {
                bytes.push(decoded);
                rest = &tail[2..];
            }
            None => {
                bytes.push(byte);
                rest = tail;
            }
        }
    }
    String::from_utf8(bytes).ok()
}

/// `schema`, and not `null`.
pub(super) fn refuse_null(schema: Schema) -> Schema {
    let mut object = match schema.to_value() {
        Value::Object(object) if !object.contains_key("not") => object,
        Value::Bool(true) => Map::new(),
        other => {
            let mut object = Map::new();
            object.insert("allOf".to_owned(), Value::Array(vec![other]));
            object
        }
    };
    object.insert("not".to_owned(), serde_json::json!({ "type": "null" }));
    Schema::from(object)
}
