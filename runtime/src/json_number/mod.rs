//! Numbers that a value's JSON cannot carry faithfully, found before the JSON is written.
//!
//! serde_json writes a float that is not finite (NaN, an infinity) as `null`, and a `null` in
//! a merge patch removes the attribute (RFC 7396 §2): a patch that sets a NaN would clear the
//! attribute on the server, and the RFC 6902 and SCIM outputs would `remove` it. A
//! `serde_json::Value` (which the dialect outputs are built from) holds no integer wider than 64
//! bits, so an `i128` or `u128` outside that range fails there with serde_json's bare "number
//! out of range". [`unrepresentable`] walks the value as its `Serialize` impl describes it,
//! writing nothing, and names the first such number by its path.
//!
//! One file per job: this one holds [`json_value`], [`unrepresentable`] and the serializer
//! that walks the value ([`Probe`]); `probe` is its `Serializer`, `members` and `variant` walk
//! the value's compound values, and `found` is what the walk stops with, the path of the
//! number found.

mod found;
mod members;
mod probe;
mod variant;

use serde::Serialize;

use found::{Found, FoundNumber, Segment};

/// `value` as a `serde_json::Value` holding the numbers that its JSON text holds, for the
/// dialect outputs, which must send what the merge patch sends. serde_json writes an `f32` as
/// its shortest decimal (`0.1`), which the merge patch's text holds, while
/// `serde_json::to_value` widens it to the nearest `f64` (`0.10000000149011612`): another
/// number to a server that stores what it is sent, to a SCIM filter that compares a key, and
/// to a reader in `f64`. A value holding a float is read back from its text (with the
/// runtime's `float_roundtrip`, an `f64` reads back as itself); one without is taken as
/// `to_value` gives it, and so is one nested deeper than serde_json reads (128 levels).
///
/// # Errors
///
/// `serde_json::to_value`'s error (an integer wider than 64 bits, a map key that is not a
/// string, the value's own).
pub(crate) fn json_value<T: Serialize + ?Sized>(
    value: &T,
) -> Result<serde_json::Value, serde_json::Error> {
    let json = serde_json::to_value(value)?;
    if !holds_float(&json) {
        return Ok(json);
    }
    let text = serde_json::to_vec(value)?;
    // A value nested past serde_json's reading depth (128) does not read back from its text:
    // all of it is then kept as `to_value` gave it, every `f32` in it widened, not only the
    // deep ones.
    Ok(serde_json::from_slice(&text).unwrap_or(json))
}

/// Whether `json` holds a number that is not an integer, at any depth.
fn holds_float(json: &serde_json::Value) -> bool {
    match json {
        serde_json::Value::Number(number) => number.is_f64(),
        serde_json::Value::Array(elements) => elements.iter().any(holds_float),
        serde_json::Value::Object(members) => members.values().any(holds_float),
        _ => false,
    }
}

/// A number that the JSON cannot carry, and where it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Unrepresentable {
    /// The path of the number: attribute names joined with `.`, array indexes as `[2]`.
    pub(crate) path: String,
    /// The number: `NaN`, `infinity`, `-infinity` or `the integer 3402...`.
    pub(crate) what: String,
    /// What the number is and what its JSON would do, such as
    /// ``NaN, which JSON has no number for: serde_json writes it as `null`, ...``.
    pub(crate) reason: String,
}

/// The first number in `value` that its JSON cannot carry: a float that is not finite and,
/// when `wide` is set (for what is built from a `serde_json::Value`), an integer outside the
/// 64-bit range that the `Value` cannot hold (it can with serde_json's `arbitrary_precision`).
/// `None` when there is none, or when `value` does not serialize at all (its own serialization
/// then reports why).
pub(crate) fn unrepresentable<T: Serialize + ?Sized>(
    value: &T,
    wide: bool,
) -> Option<Unrepresentable> {
    match value.serialize(Probe { wide }) {
        Ok(()) | Err(Found::Other) => None,
        Err(Found::Number(found)) => {
            let FoundNumber {
                mut path,
                what,
                reason,
            } = *found;
            path.reverse();
            let mut text = String::new();
            for segment in path {
                match segment {
                    Segment::Name(name) => {
                        if !text.is_empty() {
                            text.push('.');
                        }
                        text.push_str(&name);
                    }
                    Segment::Index(index) => {
                        text.push('[');
                        text.push_str(&index.to_string());
                        text.push(']');
                    }
                }
            }
            Some(Unrepresentable {
                path: text,
                what,
                reason,
            })
        }
    }
}

/// A serializer that writes nothing and stops at the first number the JSON cannot carry.
#[derive(Clone, Copy)]
struct Probe {
    wide: bool,
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use serde::Serialize;

    use super::unrepresentable;
    use crate::number_identity::numbers_keep_their_text;

    #[derive(Serialize)]
    enum Shape {
        Newtype(f64),
        Tuple(u8, f32),
        Struct { side: f64 },
    }

    #[derive(Serialize)]
    struct Doc {
        fine: f64,
        list: Vec<f64>,
        map: BTreeMap<u8, f64>,
        shape: Shape,
        wide: u128,
        #[serde(flatten)]
        rest: BTreeMap<String, f64>,
    }

    fn doc() -> Doc {
        Doc {
            fine: -0.0,
            list: vec![0.1, 0.2],
            map: BTreeMap::from([(7, 1.0)]),
            shape: Shape::Newtype(1.0),
            wide: u128::from(u64::MAX),
            rest: BTreeMap::from([("a.b".to_owned(), 1e300)]),
        }
    }

    fn path(doc: &Doc, wide: bool) -> Option<String> {
        unrepresentable(doc, wide).map(|found| found.path)
    }

    #[test]
    fn finite_numbers_and_64_bit_integers_pass() {
        assert_eq!(unrepresentable(&doc(), true), None);
    }

    #[test]
    fn each_number_is_named_by_its_path() {
        let mut d = doc();
        d.list[1] = f64::NAN;
        assert_eq!(path(&d, false).as_deref(), Some("list[1]"));
        let mut d = doc();
        d.map.insert(9, f64::INFINITY);
        assert_eq!(path(&d, false).as_deref(), Some("map.9"));
        let mut d = doc();
        d.shape = Shape::Tuple(1, f32::NEG_INFINITY);
        assert_eq!(path(&d, false).as_deref(), Some("shape.Tuple[1]"));
        let mut d = doc();
        d.shape = Shape::Struct { side: f64::NAN };
        assert_eq!(path(&d, false).as_deref(), Some("shape.Struct.side"));
        let mut d = doc();
        d.shape = Shape::Newtype(f64::NAN);
        assert_eq!(path(&d, false).as_deref(), Some("shape.Newtype"));
        let mut d = doc();
        d.rest.insert("x/y".into(), f64::NAN);
        assert_eq!(path(&d, false).as_deref(), Some("x/y"));
        let mut d = doc();
        d.wide = u128::MAX;
        assert_eq!(path(&d, false), None);
        // With serde_json's `arbitrary_precision`, a `Value` holds any integer (as its text),
        // so that none is refused there.
        let wide_fits = numbers_keep_their_text();
        assert_eq!(wide_fits, serde_json::to_value(u128::MAX).is_ok());
        assert_eq!(path(&d, true).as_deref(), (!wide_fits).then_some("wide"));
        assert_eq!(
            unrepresentable(&i128::MIN, true).map(|found| found.path),
            (!wide_fits).then(String::new)
        );
        // Without `wide` (JSON text, which serde_json writes any i128 and u128 to), an integer
        // beyond 64 bits is no fault, whether signed or not.
        assert_eq!(unrepresentable(&i128::MIN, false), None);
        assert_eq!(unrepresentable(&u128::MAX, false), None);
        assert_eq!(unrepresentable(&i128::from(i64::MIN), true), None);
    }

    #[test]
    fn the_reason_says_what_the_number_is() {
        let reason = |value: f64| unrepresentable(&value, false).unwrap().reason;
        assert!(reason(f64::NAN).starts_with("NaN, "));
        assert!(reason(f64::INFINITY).starts_with("infinity, "));
        assert!(reason(f64::NEG_INFINITY).starts_with("-infinity, "));
        assert!(reason(f64::NAN).contains("`null`"));
    }
}
