//! Whether a value is written `null`: the check of the values whose JSON the derive cannot
//! see (a type parameter, a type of the user's), which a patch must not send as `null`, since
//! a merge patch reads `null` as removing the attribute (RFC 7396 §2). Not a public API.

use serde::{Serialize, Serializer};

/// Whether `value` is written `null` (`None`, `()`, a unit struct, a `serde_json` `RawValue`
/// whose text is `null`, or a newtype or `Some` of one), as a JSON serializer writes it; any
/// other value answers at its first call.
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
    type SerializeStruct = RawValueProbe;
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

    fn serialize_struct(
        self,
        name: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStruct, NotNull> {
        if name == RAW_VALUE {
            Ok(RawValueProbe { null: false })
        } else {
            Err(NotNull)
        }
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

/// The name under which `serde_json::value::RawValue` writes itself: a struct of one field,
/// its JSON text, which serde_json's serializers write as it is. Its text may be `null`
/// (a `Box<RawValue>` read from `"data": null`), which no other method of a serializer shows.
const RAW_VALUE: &str = "$serde_json::private::RawValue";

/// Whether the field of a `RawValue` (its JSON text) is the text `null`.
fn raw_text_is_null<T: Serialize + ?Sized>(text: &T) -> bool {
    matches!(serde_json::to_value(text), Ok(serde_json::Value::String(text)) if text.trim() == "null")
}

/// [`NullProbe`]'s look at a `RawValue`: `null` where its text is.
struct RawValueProbe {
    null: bool,
}

impl serde::ser::SerializeStruct for RawValueProbe {
    type Ok = bool;
    type Error = NotNull;

    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        _: &'static str,
        value: &T,
    ) -> Result<(), NotNull> {
        self.null = raw_text_is_null(value);
        Ok(())
    }

    fn end(self) -> Result<bool, NotNull> {
        Ok(self.null)
    }
}

/// A value of the attribute `name` written through a serializer that forwards to the
/// format's: where it is written `null`, the write fails instead, in the same pass (the value
/// is serialized once).
pub struct NeverNull<'a, T: ?Sized> {
    /// The value.
    pub value: &'a T,
    /// The attribute's serialized name, for the error.
    pub name: &'static str,
    /// Whether the attribute may be null (then a value written `null` cannot be told from a
    /// clear), for the error.
    pub nullable: bool,
}

impl<T: Serialize + ?Sized> Serialize for NeverNull<'_, T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.value.serialize(NeverNullSerializer {
            inner: serializer,
            name: self.name,
            nullable: self.nullable,
        })
    }
}

/// A serializer that forwards everything to `inner`, but fails where the value itself (through
/// `Some` and newtypes) is `null`: `None`, `()`, a unit struct or a `RawValue` whose text is
/// `null`.
struct NeverNullSerializer<S> {
    inner: S,
    name: &'static str,
    nullable: bool,
}

impl<S: Serializer> NeverNullSerializer<S> {
    fn null(self) -> Result<S::Ok, S::Error> {
        Err(null_value_error(self.name, self.nullable))
    }
}

/// Methods of [`NeverNullSerializer`] that forward to the inner serializer as they are.
macro_rules! forward {
    ($($method:ident($($arg:ident: $ty:ty),*) -> $out:ty;)*) => {
        $(
            fn $method(self, $($arg: $ty),*) -> Result<$out, S::Error> {
                self.inner.$method($($arg),*)
            }
        )*
    };
}

impl<S: Serializer> Serializer for NeverNullSerializer<S> {
    type Ok = S::Ok;
    type Error = S::Error;
    type SerializeSeq = S::SerializeSeq;
    type SerializeTuple = S::SerializeTuple;
    type SerializeTupleStruct = S::SerializeTupleStruct;
    type SerializeTupleVariant = S::SerializeTupleVariant;
    type SerializeMap = S::SerializeMap;
    type SerializeStruct = NeverNullStruct<S::SerializeStruct>;
    type SerializeStructVariant = S::SerializeStructVariant;

    forward! {
        serialize_bool(v: bool) -> S::Ok;
        serialize_i8(v: i8) -> S::Ok;
        serialize_i16(v: i16) -> S::Ok;
        serialize_i32(v: i32) -> S::Ok;
        serialize_i64(v: i64) -> S::Ok;
        serialize_i128(v: i128) -> S::Ok;
        serialize_u8(v: u8) -> S::Ok;
        serialize_u16(v: u16) -> S::Ok;
        serialize_u32(v: u32) -> S::Ok;
        serialize_u64(v: u64) -> S::Ok;
        serialize_u128(v: u128) -> S::Ok;
        serialize_f32(v: f32) -> S::Ok;
        serialize_f64(v: f64) -> S::Ok;
        serialize_char(v: char) -> S::Ok;
        serialize_str(v: &str) -> S::Ok;
        serialize_bytes(v: &[u8]) -> S::Ok;
        serialize_unit_variant(name: &'static str, index: u32, variant: &'static str) -> S::Ok;
        serialize_seq(len: Option<usize>) -> S::SerializeSeq;
        serialize_tuple(len: usize) -> S::SerializeTuple;
        serialize_tuple_struct(name: &'static str, len: usize) -> S::SerializeTupleStruct;
        serialize_tuple_variant(name: &'static str, index: u32, variant: &'static str, len: usize) -> S::SerializeTupleVariant;
        serialize_map(len: Option<usize>) -> S::SerializeMap;
        serialize_struct_variant(name: &'static str, index: u32, variant: &'static str, len: usize) -> S::SerializeStructVariant;
    }

    fn serialize_struct(
        self,
        struct_name: &'static str,
        len: usize,
    ) -> Result<Self::SerializeStruct, S::Error> {
        let (name, nullable) = (self.name, self.nullable);
        Ok(NeverNullStruct {
            inner: self.inner.serialize_struct(struct_name, len)?,
            raw_value_of: (struct_name == RAW_VALUE).then_some((name, nullable)),
        })
    }

    fn serialize_none(self) -> Result<S::Ok, S::Error> {
        self.null()
    }

    fn serialize_unit(self) -> Result<S::Ok, S::Error> {
        self.null()
    }

    fn serialize_unit_struct(self, _: &'static str) -> Result<S::Ok, S::Error> {
        self.null()
    }

    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<S::Ok, S::Error> {
        let (name, nullable) = (self.name, self.nullable);
        self.inner.serialize_some(&NeverNull {
            value,
            name,
            nullable,
        })
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        struct_name: &'static str,
        value: &T,
    ) -> Result<S::Ok, S::Error> {
        let (name, nullable) = (self.name, self.nullable);
        self.inner.serialize_newtype_struct(
            struct_name,
            &NeverNull {
                value,
                name,
                nullable,
            },
        )
    }

    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        name: &'static str,
        index: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<S::Ok, S::Error> {
        self.inner
            .serialize_newtype_variant(name, index, variant, value)
    }

    fn is_human_readable(&self) -> bool {
        self.inner.is_human_readable()
    }
}

/// A struct written through [`NeverNullSerializer`]: forwarded as it is, but a `RawValue`
/// whose text is `null` (`raw_value_of` holds the attribute's name and whether it is
/// nullable) fails as a `None` does.
struct NeverNullStruct<S> {
    inner: S,
    raw_value_of: Option<(&'static str, bool)>,
}

impl<S: serde::ser::SerializeStruct> serde::ser::SerializeStruct for NeverNullStruct<S> {
    type Ok = S::Ok;
    type Error = S::Error;

    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), S::Error> {
        if let Some((name, nullable)) = self.raw_value_of
            && raw_text_is_null(value)
        {
            return Err(null_value_error(name, nullable));
        }
        self.inner.serialize_field(key, value)
    }

    fn skip_field(&mut self, key: &'static str) -> Result<(), S::Error> {
        self.inner.skip_field(key)
    }

    fn end(self) -> Result<S::Ok, S::Error> {
        self.inner.end()
    }
}

/// The error for a value of `name` that is written `null`, which a merge patch cannot send:
/// it reads `null` as removing the attribute (RFC 7396 §2).
fn null_value_error<E: serde::ser::Error>(name: &str, nullable: bool) -> E {
    if nullable {
        E::custom(format_args!(
            "the value of `{name}` is written `null`, which a merge patch reads as clearing the attribute (RFC 7396 §2), not as a value (an `Option` behind a type parameter, an alias or a type of your own, as in `Option<Option<T>>`, or a `RawValue` whose text is `null`): the patch cannot send it"
        ))
    } else {
        E::custom(format_args!(
            "the value of `{name}` is written `null`, which a merge patch reads as removing the attribute (RFC 7396 §2), but it is a required attribute (its type's JSON can be `null`: an `Option` behind a type parameter, an alias or a type of your own, or a `RawValue` whose text is `null`): the patch cannot send it; make the field `Option<T>` to clear it"
        ))
    }
}
