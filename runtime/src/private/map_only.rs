//! The reader of a patch on serde's derives (the derive's `SerdeCode::Derived`): serde's derived
//! reader, handed a deserializer that refuses a sequence where it reads the patch's struct.
//!
//! serde's derive reads a struct from a map and from a sequence of its fields in order
//! (`["ada", null]` in JSON, any struct in `rmp_serde::to_vec`'s MessagePack), and no attribute
//! of serde's turns that off. A JSON merge patch is an object (RFC 7396 §2), and a sequence has
//! no place for an absent attribute, so its values would land in the wrong attributes: the
//! patch's own reader refuses it ([`deserialize_patch`](super::deserialize_patch)), and this
//! adapter makes serde's refuse it with the same error. The derive gives serde's derive a
//! hidden twin of the patch (serde's `remote`), whose reader it calls through [`MapOnly`].
//! Not a public API.

use core::fmt;

use serde::Deserializer;
use serde::de::{self, MapAccess, SeqAccess, Visitor};

/// The error for a patch given as a sequence, from the reader that `expected` describes
/// (`struct UserPatch`): the derive's own reader's and serde's through [`MapOnly`] alike.
pub(crate) fn sequence_refused<E: de::Error>(expected: &dyn fmt::Display) -> E {
    E::custom(format_args!(
        "invalid type: sequence, expected {expected}: a patch is a map of its attributes by key (a JSON object), not a sequence"
    ))
}

/// A deserializer that hands the struct that serde's derive reads a visitor that refuses a
/// sequence, with the error of the derive's own reader; everything else as `D` does.
pub struct MapOnly<D>(pub D);

impl<'de, D: Deserializer<'de>> Deserializer<'de> for MapOnly<D> {
    type Error = D::Error;

    #[inline]
    fn deserialize_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        self.0.deserialize_struct(name, fields, NoSequence(visitor))
    }

    /// serde's derive reads a struct with a `flatten` field as a map.
    #[inline]
    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
        self.0.deserialize_map(NoSequence(visitor))
    }

    #[inline]
    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
        self.0.deserialize_any(NoSequence(visitor))
    }

    #[inline]
    fn is_human_readable(&self) -> bool {
        self.0.is_human_readable()
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        option unit unit_struct newtype_struct seq tuple tuple_struct enum identifier
        ignored_any
    }
}

/// serde's derived visitor of a struct, without its `visit_seq`.
struct NoSequence<V>(V);

/// A visitor's `expecting`, as text.
struct Expecting<'a, V>(&'a V);

impl<'de, V: Visitor<'de>> fmt::Display for Expecting<'_, V> {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.expecting(formatter)
    }
}

impl<'de, V: Visitor<'de>> Visitor<'de> for NoSequence<V> {
    type Value = V::Value;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.expecting(formatter)
    }

    #[inline]
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<V::Value, A::Error> {
        self.0.visit_map(map)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, _: A) -> Result<V::Value, A::Error> {
        Err(sequence_refused(&Expecting(&self.0)))
    }
}
