//! JSON values that look like another but are not the same to serde_json: the inputs on which a
//! diff that compares numbers by value (`1` and `1.0`, `0` and `-0.0`) or strings loosely
//! drops a change. Two independently generated documents rarely hold such a pair at the same
//! place; [`look_alike`] makes one from the other.

use serde_json::{Value, json};

/// `value` with some of its leaves (chosen by the bits of `choice`, one bit per leaf in walk
/// order, reused when they run out) written another way: an integer as the float of the same
/// value (`1` as `1.0`, `0` as `-0.0`), a float without a fractional part as the integer (`2.0`
/// as `2`; `-0.0` as `0`), `1e300` as `-1e300`, a string with a space after it, `true` as
/// `false`, `null` as `0`, an empty array as `[null]` and an empty object as `{"": []}`.
/// Serde_json's `==` tells each from the original except `-0.0` from `0`.
pub fn look_alike(value: &Value, choice: u64) -> Value {
    let mut bits = choice;
    let mut next = move || {
        let bit = bits & 1 == 1;
        bits = bits.rotate_right(1);
        bit
    };
    fn walk(value: &Value, next: &mut dyn FnMut() -> bool) -> Value {
        match value {
            Value::Object(members) if !members.is_empty() => Value::Object(
                members
                    .iter()
                    .map(|(name, member)| (name.clone(), walk(member, next)))
                    .collect(),
            ),
            Value::Array(elements) if !elements.is_empty() => {
                Value::Array(elements.iter().map(|element| walk(element, next)).collect())
            }
            leaf if !next() => leaf.clone(),
            Value::Number(number) if number.as_i64() == Some(0) => json!(-0.0),
            Value::Number(number) if !number.is_f64() => json!(number.as_f64()),
            Value::Number(number) => match number.as_f64() {
                Some(0.0) => json!(0),
                Some(float) if float.fract() == 0.0 && float.abs() < 1e15 => json!(float as i64),
                Some(float) => json!(-float),
                None => value.clone(),
            },
            Value::String(text) => Value::String(format!("{text} ")),
            Value::Bool(flag) => Value::Bool(!flag),
            Value::Null => json!(0),
            Value::Array(_) => json!([null]),
            Value::Object(_) => json!({"": []}),
        }
    }
    walk(value, &mut next)
}
