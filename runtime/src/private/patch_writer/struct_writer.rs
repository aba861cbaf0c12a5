//! [`StructWriter`]: a patch without a flattened field, written as a struct (a map in a
//! binary format).

use serde::ser::{SerializeMap, SerializeStruct};
use serde::{Serialize, Serializer};

use super::super::unwritable_null::name_unwritable_null;
use super::PatchWriter;

/// A patch without a flattened field: serde's struct state (or, in a binary format, its map
/// state) until a write fails, then the first error.
///
/// The generated `Serialize` starts it with [`start_struct`], hands it every field with
/// [`write_field`](super::write_field) (or [`write_map_field`](super::write_map_field)) and
/// finishes with [`end_struct`].
pub struct StructWriter<S: Serializer> {
    state: Result<Compound<S>, S::Error>,
}

/// Where a [`StructWriter`] writes.
enum Compound<S: Serializer> {
    /// A struct, as serde's derive writes one: in the formats that people read, whose structs
    /// are objects with keys.
    Struct(S::SerializeStruct),
    /// A map of the present attributes by key, in a binary format (one that is not
    /// `is_human_readable`). Such a format may write a struct as a sequence of its fields'
    /// values (MessagePack through `rmp_serde::to_vec`, postcard, bincode), in which an absent
    /// attribute leaves no place, so that the values after it would be read into the
    /// attributes before (3Hren/msgpack-rust#86, pyfisch/cbor#37). Every format writes a
    /// map's keys, and a binary format that writes a struct with keys (CBOR, MessagePack's
    /// `to_vec_named`) writes the same bytes for the map.
    Map(S::SerializeMap),
}

/// Starts writing a patch named `name` with `len` fields present: serde's `serialize_struct`,
/// or, in a binary format, `serialize_map` of `len` entries (the present attributes by key,
/// as [`StructWriter`] says).
#[inline]
pub fn start_struct<S: Serializer>(
    serializer: S,
    name: &'static str,
    len: usize,
) -> StructWriter<S> {
    let state = if serializer.is_human_readable() {
        serializer.serialize_struct(name, len).map(Compound::Struct)
    } else {
        serializer.serialize_map(Some(len)).map(Compound::Map)
    };
    StructWriter { state }
}

impl<S: Serializer> PatchWriter for StructWriter<S> {
    #[inline(always)]
    fn write<T: Serialize + ?Sized>(&mut self, name: &'static str, value: &T) {
        let written = match &mut self.state {
            Ok(Compound::Struct(state)) => state.serialize_field(name, value),
            Ok(Compound::Map(state)) => state.serialize_entry(name, value),
            Err(_) => return,
        };
        if let Err(error) = written {
            self.state = Err(name_unwritable_null(error, name));
        }
    }

    #[inline]
    fn skip(&mut self, name: &'static str) {
        if let Ok(Compound::Struct(state)) = &mut self.state
            && let Err(error) = state.skip_field(name)
        {
            self.state = Err(error);
        }
    }

    #[inline]
    fn failed(&self) -> bool {
        self.state.is_err()
    }
}

/// Ends a patch written by a [`StructWriter`].
///
/// # Errors
///
/// The serializer's first error.
#[inline]
pub fn end_struct<S: Serializer>(writer: StructWriter<S>) -> Result<S::Ok, S::Error> {
    match writer.state? {
        Compound::Struct(state) => state.end(),
        Compound::Map(state) => state.end(),
    }
}
