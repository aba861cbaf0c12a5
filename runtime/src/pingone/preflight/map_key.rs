//! Where the value of a map's key sits among PingOne's rules, from the key as serde_json
//! writes it.

use std::cell::RefCell;
use std::collections::BTreeSet;
use std::fmt;

use serde::ser::{self, Serialize, Serializer};

use super::{Checks, Container, Place, written_twice_at};

/// Finds where the value of a map's key sits, from the key as serde_json writes it: a string,
/// a `char`, a unit variant's name, a number or a boolean as its JSON text (`"1"`, `"true"`),
/// or a newtype around one of those. A number names no attribute that has a rule, and no
/// attribute at all at the top of the patch ([`ignored_attribute`](super::rules::ignored_attribute)).
///
/// A key without a rule is noted among `others` ([`note_other`]).
pub(super) struct KeyPlace<'w, 'c> {
    pub(super) container: Container,
    pub(super) others: &'w mut BTreeSet<Box<str>>,
    pub(super) checks: &'c RefCell<Checks>,
}

impl KeyPlace<'_, '_> {
    fn member(self, key: &str) -> Option<Place> {
        let place = self.container.member_noting_read_only(key, self.checks);
        if place.is_none() {
            note_other(self.others, self.container, key, self.checks);
        }
        place
    }
}

/// A key that names no place; never shown.
#[derive(Debug)]
pub(super) struct NoPlace;

impl fmt::Display for NoPlace {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("not a key with a rule")
    }
}

impl std::error::Error for NoPlace {}

impl ser::Error for NoPlace {
    fn custom<T: fmt::Display>(_: T) -> Self {
        NoPlace
    }
}

type KeyResult = Result<Option<Place>, NoPlace>;

/// `Serializer` methods for number keys: each writes its JSON text, as serde_json writes a
/// number key (`"1"`, `"0.5"`), and a float that is not finite, which serde_json refuses to
/// write, names nothing.
macro_rules! number_keys {
    ($($method:ident($type:ty)),* $(,)?) => {$(
        fn $method(self, v: $type) -> KeyResult {
            Ok(serde_json::to_string(&v)
                .ok()
                .and_then(|text| self.member(&text)))
        }
    )*};
}

impl Serializer for KeyPlace<'_, '_> {
    type Ok = Option<Place>;
    type Error = NoPlace;
    type SerializeSeq = ser::Impossible<Option<Place>, NoPlace>;
    type SerializeTuple = ser::Impossible<Option<Place>, NoPlace>;
    type SerializeTupleStruct = ser::Impossible<Option<Place>, NoPlace>;
    type SerializeTupleVariant = ser::Impossible<Option<Place>, NoPlace>;
    type SerializeMap = ser::Impossible<Option<Place>, NoPlace>;
    type SerializeStruct = ser::Impossible<Option<Place>, NoPlace>;
    type SerializeStructVariant = ser::Impossible<Option<Place>, NoPlace>;

    fn serialize_str(self, v: &str) -> KeyResult {
        Ok(self.member(v))
    }
    fn serialize_char(self, v: char) -> KeyResult {
        Ok(self.member(v.encode_utf8(&mut [0; 4])))
    }
    fn serialize_unit_variant(self, _: &'static str, _: u32, variant: &'static str) -> KeyResult {
        Ok(self.member(variant))
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        value: &T,
    ) -> KeyResult {
        value.serialize(self)
    }
    fn serialize_bool(self, v: bool) -> KeyResult {
        Ok(self.member(if v { "true" } else { "false" }))
    }
    number_keys! {
        serialize_i8(i8), serialize_i16(i16), serialize_i32(i32), serialize_i64(i64),
        serialize_u8(u8), serialize_u16(u16), serialize_u32(u32), serialize_u64(u64),
        serialize_f32(f32), serialize_f64(f64),
    }
    fn serialize_bytes(self, _: &[u8]) -> KeyResult {
        Ok(None)
    }
    fn serialize_none(self) -> KeyResult {
        Ok(None)
    }
    fn serialize_some<T: Serialize + ?Sized>(self, _: &T) -> KeyResult {
        Ok(None)
    }
    fn serialize_unit(self) -> KeyResult {
        Ok(None)
    }
    fn serialize_unit_struct(self, _: &'static str) -> KeyResult {
        Ok(None)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> KeyResult {
        Ok(None)
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq, NoPlace> {
        Err(NoPlace)
    }
    fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple, NoPlace> {
        Err(NoPlace)
    }
    fn serialize_tuple_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleStruct, NoPlace> {
        Err(NoPlace)
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, NoPlace> {
        Err(NoPlace)
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, NoPlace> {
        Err(NoPlace)
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self::SerializeStruct, NoPlace> {
        Err(NoPlace)
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, NoPlace> {
        Err(NoPlace)
    }
}

/// Notes that `key`, a member of `container` without a rule, is written: a second time is a
/// fault. A model of your own with a custom attribute as a field (`department`) beside its
/// flattened map sent `.department("R&D").custom_entry("department", json!(null))` as
/// `{"department":"R&D","department":null}`, and PingOne kept the `null`.
pub(super) fn note_other(
    others: &mut BTreeSet<Box<str>>,
    container: Container,
    key: &str,
    checks: &RefCell<Checks>,
) {
    if others.contains(key) {
        match container {
            Container::Patch => written_twice_at(checks, key),
            Container::Members(object) => written_twice_at(checks, &format!("{object}.{key}")),
        }
    } else {
        others.insert(key.into());
    }
}
