//! The keys that serde reads into a map's key type, where schemars' map schema says otherwise.

use serde_json::{Map, Value};

use super::names_type;

/// The schema of the strings that serde reads into a key whose own schema is `key`, where
/// schemars' map schema says otherwise: an integer (a JSON integer, as `serde_json` reads
/// it, in the type's range: schemars' `^\d+$` takes `256` for a `u8` and `01`), a `bool`
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
            let format = object.get("format")?.as_str()?;
            let (minimum, maximum) = match format {
                "int8" => (i128::from(i8::MIN), i128::from(i8::MAX)),
                "int16" => (i128::from(i16::MIN), i128::from(i16::MAX)),
                "int32" => (i128::from(i32::MIN), i128::from(i32::MAX)),
                "int64" => (i128::from(i64::MIN), i128::from(i64::MAX)),
                "int" => (isize::MIN as i128, isize::MAX as i128),
                "int128" => (i128::MIN, i128::MAX),
                "uint8" => (0, i128::from(u8::MAX)),
                "uint16" => (0, i128::from(u16::MAX)),
                "uint32" => (0, i128::from(u32::MAX)),
                "uint64" => (0, i128::from(u64::MAX)),
                "uint" => (0, usize::MAX as i128),
                // Past `i128::MAX`: no key reaches it as a bound would.
                "uint128" => {
                    let pattern = format!("^(?:0|{})$", digits_up_to(&u128::MAX.to_string()));
                    return Some(serde_json::json!({ "type": "string", "pattern": pattern }));
                }
                _ => return None,
            };
            // `-0` is a float to `serde_json`, which no integer key reads but an `i128`
            // (whose digits it reads itself).
            let zero = if format == "int128" { "-?0" } else { "0" };
            let mut alternatives = vec![zero.to_owned(), digits_up_to(&maximum.to_string())];
            if minimum < 0 {
                let magnitude = minimum.unsigned_abs().to_string();
                alternatives.push(format!("-(?:{})", digits_up_to(&magnitude)));
            }
            let pattern = format!("^(?:{})$", alternatives.join("|"));
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

/// A regular expression for the decimal numerals from 1 to `maximum` (digits, no leading
/// zero): fewer digits than it, or as many and at most it, digit by digit.
fn digits_up_to(maximum: &str) -> String {
    let digits = maximum.as_bytes();
    let length = digits.len();
    let mut alternatives = Vec::new();
    if length > 1 {
        alternatives.push(format!("[1-9][0-9]{{0,{}}}", length - 2));
    }
    for (at, digit) in digits.iter().enumerate() {
        let digit = digit - b'0';
        let lowest = u8::from(at == 0);
        if digit > lowest {
            alternatives.push(format!(
                "{}[{}-{}][0-9]{{{}}}",
                &maximum[..at],
                lowest,
                digit - 1,
                length - at - 1
            ));
        }
    }
    alternatives.push(maximum.to_owned());
    alternatives.join("|")
}

/// The object schema of a map (or its object branch, when it may be `null`) with
/// `propertyNames` for its keys and its values' schema for every key.
pub(super) fn restrict_keys(schema: &mut Value, names: &Value) {
    let Value::Object(object) = schema else {
        return;
    };
    let is_object = names_type(object, "object");
    if !is_object {
        for branches in ["anyOf", "oneOf"] {
            if let Some(Value::Array(branches)) = object.get_mut(branches) {
                branches
                    .iter_mut()
                    .for_each(|branch| restrict_keys(branch, names));
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
        object.insert("propertyNames".to_owned(), names.clone());
    }
}

/// `schema` as serde reads it inside a flattened struct, at every depth but through a
/// `$ref`: schemars' integer keys (`patternProperties` `^\d+$`, `^-?\d+$`, beside
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
    for (key, child) in object.iter_mut() {
        match key.as_str() {
            "items" | "additionalProperties" | "then" | "else" | "not" => {
                no_integer_keys(child);
            }
            "prefixItems" | "anyOf" | "oneOf" | "allOf" => {
                if let Value::Array(branches) = child {
                    branches.iter_mut().for_each(no_integer_keys);
                }
            }
            "properties" | "patternProperties" => {
                if let Value::Object(members) = child {
                    members.values_mut().for_each(no_integer_keys);
                }
            }
            _ => {}
        }
    }
}
