//! A JSON document as a server that stores no empty value holds it (PingOne drops `null`,
//! `[]` and `{}` attributes): what the RFC 6902 operations must also hold on.

use serde_json::Value;

/// Whether a server that stores no empty value drops `value`: `null`, `[]` or `{}`.
pub fn empty(value: &Value) -> bool {
    match value {
        Value::Null => true,
        Value::Array(elements) => elements.is_empty(),
        Value::Object(members) => members.is_empty(),
        _ => false,
    }
}

/// `value` without its `null`, `[]` and `{}` members, at every depth (an object left empty by
/// that goes too).
pub fn stored(value: &Value) -> Value {
    match value {
        Value::Object(members) => Value::Object(
            members
                .iter()
                .map(|(name, value)| (name.clone(), stored(value)))
                .filter(|(_, value)| !empty(value))
                .collect(),
        ),
        other => other.clone(),
    }
}
