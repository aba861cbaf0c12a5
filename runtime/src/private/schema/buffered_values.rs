//! Values as serde reads them from a flattened field's buffer (its `Content`), where that
//! reading differs from `serde_json`'s own: the schema of reading of everything below a
//! flattened struct, and of the values of a flattened map that serde's derives read.

use serde_json::Value;

use super::map_keys::{for_each_subschema, no_integer_keys};

/// `schema` as serde reads a value from a flattened field's buffer, at every depth but
/// through a `$ref` (whose definition `buffered_definitions.rs` copies):
///
/// - schemars' integer keys are none ([`no_integer_keys`]): the buffer's map keys are
///   strings, which serde reads into no integer type (serde-rs/serde#1183);
/// - a 128-bit integer (schemars' `"format": "int128"` or `"uint128"`) is no number: serde's
///   buffer reads none into `i128` or `u128` ("u128 is not supported", its `Content` does not
///   hold them), where `serde_json` reads them directly.
pub(super) fn as_read_from_buffer(schema: &mut Value) {
    no_integer_keys(schema);
    no_wide_integers(schema);
}

/// `schema` with no integer where its `format` names a 128-bit one: `false` for such an
/// integer, and the other types of a list that names it (`["integer", "null"]`: `null`).
fn no_wide_integers(schema: &mut Value) {
    let Value::Object(object) = schema else {
        return;
    };
    let wide = matches!(
        object.get("format").and_then(Value::as_str),
        Some("int128" | "uint128")
    );
    if wide {
        match object.get_mut("type") {
            Some(Value::String(given)) if given == "integer" => {
                *schema = Value::Bool(false);
                return;
            }
            Some(Value::Array(given)) => {
                given.retain(|given| given != "integer");
                match given.as_slice() {
                    [] => {
                        *schema = Value::Bool(false);
                        return;
                    }
                    [only] => {
                        let only = only.clone();
                        object.insert("type".to_owned(), only);
                    }
                    _ => {}
                }
            }
            _ => {}
        }
    }
    for_each_subschema(object, no_wide_integers);
}
