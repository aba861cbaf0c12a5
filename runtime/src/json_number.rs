//! Numbers that a value's JSON cannot carry faithfully, found before the JSON is written.
//!
//! serde_json writes a float that is not finite (NaN, an infinity) as `null`, and a `null` in
//! a merge patch removes the attribute (RFC 7396 §2): a patch that sets a NaN would clear the
//! attribute on the server, and the RFC 6902 and SCIM outputs would `remove` it. A
//! `serde_json::Value` (which the dialect outputs are built from) holds no integer wider than 64
//! bits, so an `i128` or `u128` outside that range fails there with serde_json's bare "number
//! out of range". [`unrepresentable`] walks the value as its `Serialize` impl describes it,
//! writing nothing, and names the first such number by its path.

use core::fmt;

use serde::ser::{self, Serialize};

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

/// One step of a path, innermost first while the error unwinds.
#[derive(Debug)]
enum Segment {
    Name(String),
    Index(usize),
}

/// Why the walk stopped: a number found, or the value's own serialization error.
///
/// The number is boxed: the walk recurses as deep as the value is nested, and every level's
/// frames hold a `Result<(), Found>`. Unboxed (72 bytes and more), they made the walk overflow
/// a thread's stack at about two thirds of the depth that `serde_json::to_value` and
/// `serde_json::to_string` reach (5,000 nested arrays in 8 MB, unoptimized), so that
/// `to_json_patch` and the client's pre-flight crashed on a patch that serde_json writes.
#[derive(Debug)]
enum Found {
    Number(Box<FoundNumber>),
    Other,
}

/// A number found: its path (innermost first), what it is and why it cannot be written.
#[derive(Debug)]
struct FoundNumber {
    path: Vec<Segment>,
    what: String,
    reason: String,
}

impl Found {
    fn within(self, segment: Segment) -> Self {
        match self {
            Found::Number(mut found) => {
                found.path.push(segment);
                Found::Number(found)
            }
            Found::Other => Found::Other,
        }
    }

    #[cold]
    fn float(value: f64) -> Self {
        let what = if value.is_nan() {
            "NaN"
        } else if value > 0.0 {
            "infinity"
        } else {
            "-infinity"
        };
        Found::Number(Box::new(FoundNumber {
            path: Vec::new(),
            what: what.to_owned(),
            reason: format!(
                "{what}, which JSON has no number for: serde_json writes it as `null`, and a `null` in a patch removes the attribute (RFC 7396)"
            ),
        }))
    }

    #[cold]
    fn wide(value: &dyn fmt::Display) -> Self {
        Found::Number(Box::new(FoundNumber {
            path: Vec::new(),
            what: format!("the integer {value}"),
            reason: format!(
                "the integer {value}, wider than the 64-bit integers of the `serde_json::Value` that the RFC 6902 and SCIM outputs are built from"
            ),
        }))
    }
}

impl fmt::Display for Found {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Found::Number(found) => f.write_str(&found.reason),
            Found::Other => f.write_str("the value does not serialize"),
        }
    }
}

impl std::error::Error for Found {}

impl ser::Error for Found {
    fn custom<T: fmt::Display>(_: T) -> Self {
        Found::Other
    }
}

/// A serializer that writes nothing and stops at the first number the JSON cannot carry.
#[derive(Clone, Copy)]
struct Probe {
    wide: bool,
}

/// The members or elements of a compound value, walked with [`Probe`].
struct Members {
    wide: bool,
    /// The next element's index (sequences, tuples).
    index: usize,
    /// The key of a map entry whose value comes next, as its JSON text would name it.
    key: Option<String>,
}

impl Members {
    fn new(probe: Probe) -> Self {
        Members {
            wide: probe.wide,
            index: 0,
            key: None,
        }
    }

    fn element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Found> {
        let index = self.index;
        self.index += 1;
        value
            .serialize(Probe { wide: self.wide })
            .map_err(|found| found.within(Segment::Index(index)))
    }

    fn member<T: Serialize + ?Sized>(&self, name: &str, value: &T) -> Result<(), Found> {
        value
            .serialize(Probe { wide: self.wide })
            .map_err(|found| found.within(Segment::Name(name.to_owned())))
    }
}

/// A map key as the JSON names it (serde_json writes a number or a boolean key as a string).
fn key_text<K: Serialize + ?Sized>(key: &K) -> String {
    match serde_json::to_value(key) {
        Ok(serde_json::Value::String(text)) => text,
        Ok(other) => other.to_string(),
        Err(_) => String::from("?"),
    }
}

impl ser::Serializer for Probe {
    type Ok = ();
    type Error = Found;
    type SerializeSeq = Members;
    type SerializeTuple = Members;
    type SerializeTupleStruct = Members;
    type SerializeTupleVariant = Variant;
    type SerializeMap = Members;
    type SerializeStruct = Members;
    type SerializeStructVariant = Variant;

    fn serialize_bool(self, _: bool) -> Result<(), Found> {
        Ok(())
    }
    fn serialize_i8(self, _: i8) -> Result<(), Found> {
        Ok(())
    }
    fn serialize_i16(self, _: i16) -> Result<(), Found> {
        Ok(())
    }
    fn serialize_i32(self, _: i32) -> Result<(), Found> {
        Ok(())
    }
    fn serialize_i64(self, _: i64) -> Result<(), Found> {
        Ok(())
    }
    fn serialize_i128(self, v: i128) -> Result<(), Found> {
        // With serde_json's `arbitrary_precision` (on in some builds), a `Value` holds it.
        if self.wide && i64::try_from(v).is_err() && serde_json::to_value(v).is_err() {
            return Err(Found::wide(&v));
        }
        Ok(())
    }
    fn serialize_u8(self, _: u8) -> Result<(), Found> {
        Ok(())
    }
    fn serialize_u16(self, _: u16) -> Result<(), Found> {
        Ok(())
    }
    fn serialize_u32(self, _: u32) -> Result<(), Found> {
        Ok(())
    }
    fn serialize_u64(self, _: u64) -> Result<(), Found> {
        Ok(())
    }
    fn serialize_u128(self, v: u128) -> Result<(), Found> {
        if self.wide && u64::try_from(v).is_err() && serde_json::to_value(v).is_err() {
            return Err(Found::wide(&v));
        }
        Ok(())
    }
    fn serialize_f32(self, v: f32) -> Result<(), Found> {
        if v.is_finite() {
            Ok(())
        } else {
            Err(Found::float(f64::from(v)))
        }
    }
    fn serialize_f64(self, v: f64) -> Result<(), Found> {
        if v.is_finite() {
            Ok(())
        } else {
            Err(Found::float(v))
        }
    }
    fn serialize_char(self, _: char) -> Result<(), Found> {
        Ok(())
    }
    fn serialize_str(self, _: &str) -> Result<(), Found> {
        Ok(())
    }
    fn serialize_bytes(self, _: &[u8]) -> Result<(), Found> {
        Ok(())
    }
    fn serialize_none(self) -> Result<(), Found> {
        Ok(())
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), Found> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<(), Found> {
        Ok(())
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<(), Found> {
        Ok(())
    }
    fn serialize_unit_variant(self, _: &'static str, _: u32, _: &'static str) -> Result<(), Found> {
        Ok(())
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<(), Found> {
        value.serialize(self)
    }
    // serde_json writes `{"variant": value}`.
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<(), Found> {
        value
            .serialize(self)
            .map_err(|found| found.within(Segment::Name(variant.to_owned())))
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Members, Found> {
        Ok(Members::new(self))
    }
    fn serialize_tuple(self, _: usize) -> Result<Members, Found> {
        Ok(Members::new(self))
    }
    fn serialize_tuple_struct(self, _: &'static str, _: usize) -> Result<Members, Found> {
        Ok(Members::new(self))
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        _: usize,
    ) -> Result<Variant, Found> {
        Ok(Variant {
            variant,
            members: Members::new(self),
        })
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Members, Found> {
        Ok(Members::new(self))
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Members, Found> {
        Ok(Members::new(self))
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        _: usize,
    ) -> Result<Variant, Found> {
        Ok(Variant {
            variant,
            members: Members::new(self),
        })
    }
}

impl ser::SerializeSeq for Members {
    type Ok = ();
    type Error = Found;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Found> {
        self.element(value)
    }
    fn end(self) -> Result<(), Found> {
        Ok(())
    }
}

impl ser::SerializeTuple for Members {
    type Ok = ();
    type Error = Found;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Found> {
        self.element(value)
    }
    fn end(self) -> Result<(), Found> {
        Ok(())
    }
}

impl ser::SerializeTupleStruct for Members {
    type Ok = ();
    type Error = Found;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Found> {
        self.element(value)
    }
    fn end(self) -> Result<(), Found> {
        Ok(())
    }
}

impl ser::SerializeMap for Members {
    type Ok = ();
    type Error = Found;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), Found> {
        // The text is needed only to name a number found in the value; an entry written with
        // `serialize_entry` (serde's maps, `flatten`) makes it only then.
        self.key = Some(key_text(key));
        Ok(())
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Found> {
        let key = self.key.take().unwrap_or_default();
        self.member(&key, value)
    }
    fn serialize_entry<K: Serialize + ?Sized, V: Serialize + ?Sized>(
        &mut self,
        key: &K,
        value: &V,
    ) -> Result<(), Found> {
        value
            .serialize(Probe { wide: self.wide })
            .map_err(|found| found.within(Segment::Name(key_text(key))))
    }
    fn end(self) -> Result<(), Found> {
        Ok(())
    }
}

impl ser::SerializeStruct for Members {
    type Ok = ();
    type Error = Found;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        name: &'static str,
        value: &T,
    ) -> Result<(), Found> {
        self.member(name, value)
    }
    fn end(self) -> Result<(), Found> {
        Ok(())
    }
}

/// The fields of an enum variant with data, which serde_json writes as `{"variant": ...}`.
struct Variant {
    variant: &'static str,
    members: Members,
}

impl Variant {
    fn inside(&self, found: Found) -> Found {
        found.within(Segment::Name(self.variant.to_owned()))
    }
}

impl ser::SerializeTupleVariant for Variant {
    type Ok = ();
    type Error = Found;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Found> {
        self.members
            .element(value)
            .map_err(|found| self.inside(found))
    }
    fn end(self) -> Result<(), Found> {
        Ok(())
    }
}

impl ser::SerializeStructVariant for Variant {
    type Ok = ();
    type Error = Found;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        name: &'static str,
        value: &T,
    ) -> Result<(), Found> {
        self.members
            .member(name, value)
            .map_err(|found| self.inside(found))
    }
    fn end(self) -> Result<(), Found> {
        Ok(())
    }
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
