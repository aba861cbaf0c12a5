//! A member's name read as a key by a model's `Deserialize`, telling how it was read: as a
//! field's name, as a map's text key, or as any value (serde's buffer of a flattened field or
//! of an internally tagged or untagged enum, which reads names exactly), for
//! [`respell_as_model`](super::respell_as_model).

use core::cell::Cell;

use serde::de::{self, Deserializer, Visitor};
use serde_json::Error;

use crate::forward_reads::forward_reads;

/// How a key was read: as any value (serde's buffer), as a field's name, or as text (a map's
/// key, a `serde_json::Value`'s).
#[derive(Clone, Copy)]
pub(crate) enum KeyRead {
    /// As any value (`deserialize_any`): serde's buffer, which keeps the name to match it
    /// exactly later.
    Any,
    /// As a field's name (`deserialize_identifier`).
    Identifier,
    /// As text or a parsed number (a map's key, a `serde_json::Value`'s).
    Text,
}

/// A member's name, read as a key, telling how it was read ([`KeyRead`]).
pub(crate) struct Key<'k> {
    /// The member's name.
    pub(crate) name: &'k str,
    /// Set to how the key was read.
    pub(crate) how: &'k Cell<KeyRead>,
}

/// The methods that read a key as a number or a boolean: parsed from its text, as serde_json
/// reads a map's key (`HashMap<u32, _>`), else as serde's `StrDeserializer` reads it.
macro_rules! parsed_reads {
    ($($method:ident: $type:ty => $visit:ident),* $(,)?) => {
        $(
            fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
                match self.name.parse::<$type>() {
                    Ok(parsed) => visitor.$visit(parsed),
                    Err(_) => de::value::StrDeserializer::<Error>::new(self.name).$method(visitor),
                }
            }
        )*
    };
}

impl<'de> Deserializer<'de> for Key<'_> {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.how.set(KeyRead::Any);
        visitor.visit_str(self.name)
    }

    fn deserialize_identifier<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.how.set(KeyRead::Identifier);
        visitor.visit_str(self.name)
    }

    forward_reads!(self => de::value::StrDeserializer::<Error>::new(self.name);
        deserialize_char,
        deserialize_str,
        deserialize_string,
        deserialize_bytes,
        deserialize_byte_buf,
        deserialize_option,
        deserialize_unit,
        deserialize_seq,
        deserialize_map,
        deserialize_ignored_any,
        deserialize_f32,
        deserialize_f64,
        deserialize_unit_struct(name: &'static str),
        deserialize_tuple(len: usize),
        deserialize_tuple_struct(name: &'static str, len: usize),
        deserialize_struct(name: &'static str, fields: &'static [&'static str]),
        deserialize_enum(name: &'static str, variants: &'static [&'static str]),
    );

    parsed_reads!(
        deserialize_bool: bool => visit_bool,
        deserialize_i8: i8 => visit_i8,
        deserialize_i16: i16 => visit_i16,
        deserialize_i32: i32 => visit_i32,
        deserialize_i64: i64 => visit_i64,
        deserialize_i128: i128 => visit_i128,
        deserialize_u8: u8 => visit_u8,
        deserialize_u16: u16 => visit_u16,
        deserialize_u32: u32 => visit_u32,
        deserialize_u64: u64 => visit_u64,
        deserialize_u128: u128 => visit_u128,
    );

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        visitor.visit_newtype_struct(self)
    }
}
