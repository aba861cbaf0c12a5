//! Whether a value is written `null`: the check of the values whose JSON the derive cannot
//! see (a type parameter, a type of the user's), which a patch must not send as `null`, since
//! a merge patch reads `null` as removing the attribute (RFC 7396 §2). Not a public API.

use serde::{Serialize, Serializer};

/// Whether `value` is written `null` (`None`, `()`, a unit struct, or a newtype or `Some` of
/// one), as a JSON serializer writes it; any other value answers at its first call.
pub fn writes_null<T: Serialize + ?Sized>(value: &T) -> bool {
    value.serialize(NullProbe).unwrap_or(false)
}

/// A serializer that tells whether a value is `null`, and writes nothing.
struct NullProbe;

/// A value that is not `null`, found at a compound one: no need to look inside.
#[derive(Debug)]
struct NotNull;

impl std::fmt::Display for NotNull {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.write_str("not null")
    }
}

impl std::error::Error for NotNull {}

impl serde::ser::Error for NotNull {
    fn custom<T: std::fmt::Display>(_: T) -> Self {
        NotNull
    }
}

/// A scalar serializer method of [`NullProbe`]: not `null`.
macro_rules! not_null {
    ($($method:ident($($ty:ty)?)),* $(,)?) => {
        $(
            fn $method(self, $(_: $ty)?) -> Result<bool, NotNull> {
                Ok(false)
            }
        )*
    };
}

impl Serializer for NullProbe {
    type Ok = bool;
    type Error = NotNull;
    type SerializeSeq = serde::ser::Impossible<bool, NotNull>;
    type SerializeTuple = serde::ser::Impossible<bool, NotNull>;
    type SerializeTupleStruct = serde::ser::Impossible<bool, NotNull>;
    type SerializeTupleVariant = serde::ser::Impossible<bool, NotNull>;
    type SerializeMap = serde::ser::Impossible<bool, NotNull>;
    type SerializeStruct = serde::ser::Impossible<bool, NotNull>;
    type SerializeStructVariant = serde::ser::Impossible<bool, NotNull>;

    not_null!(
        serialize_bool(bool),
        serialize_i8(i8),
        serialize_i16(i16),
        serialize_i32(i32),
        serialize_i64(i64),
        serialize_i128(i128),
        serialize_u8(u8),
        serialize_u16(u16),
        serialize_u32(u32),
        serialize_u64(u64),
        serialize_u128(u128),
        serialize_f32(f32),
        serialize_f64(f64),
        serialize_char(char),
        serialize_str(&str),
        serialize_bytes(&[u8]),
    );

    fn serialize_none(self) -> Result<bool, NotNull> {
        Ok(true)
    }

    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<bool, NotNull> {
        value.serialize(self)
    }

    fn serialize_unit(self) -> Result<bool, NotNull> {
        Ok(true)
    }

    fn serialize_unit_struct(self, _: &'static str) -> Result<bool, NotNull> {
        Ok(true)
    }

    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
    ) -> Result<bool, NotNull> {
        Ok(false)
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<bool, NotNull> {
        value.serialize(self)
    }

    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<bool, NotNull> {
        Ok(false)
    }

    fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq, NotNull> {
        Err(NotNull)
    }

    fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple, NotNull> {
        Err(NotNull)
    }

    fn serialize_tuple_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleStruct, NotNull> {
        Err(NotNull)
    }

    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, NotNull> {
        Err(NotNull)
    }

    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, NotNull> {
        Err(NotNull)
    }

    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self::SerializeStruct, NotNull> {
        Err(NotNull)
    }

    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, NotNull> {
        Err(NotNull)
    }
}
