//! The `Serializer` of [`Probe`]: it writes nothing and stops at the first number the JSON
//! cannot carry (a float that is not finite; an integer wider than 64 bits, where asked).

use serde::ser::{self, Serialize};

use super::Probe;
use super::found::{Found, Segment};
use super::members::Members;
use super::variant::Variant;

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
