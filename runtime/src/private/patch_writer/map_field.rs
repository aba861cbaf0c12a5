//! [`MapSlot`]: the patch field of a map attribute, and its write without absent entries.

use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};

use super::super::unwritable_null::{Null, NullOf};
use super::{PatchWriter, SomeValue};
use crate::{Field, SerializeMapPatch};

/// A map patch written without its absent entries.
struct PresentEntries<'a, M>(&'a M);

impl<M: SerializeMapPatch> Serialize for PresentEntries<'_, M> {
    #[inline]
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.serialize_map_patch(serializer)
    }
}

/// The patch field of a map attribute: `Option<M>` (required) or `Field<M>` (nullable).
pub trait MapSlot {
    /// The map patch.
    type Map: SerializeMapPatch;

    /// The field, as absent, null or the map patch.
    fn map_slot(&self) -> Field<&Self::Map>;
}

impl<M: SerializeMapPatch> MapSlot for Option<M> {
    type Map = M;

    #[inline]
    fn map_slot(&self) -> Field<&M> {
        // A required map is absent or a value: never null (`From<Option>` would give null).
        match self {
            Some(map) => Field::Value(map),
            None => Field::Absent,
        }
    }
}

impl<M: SerializeMapPatch> MapSlot for Field<M> {
    type Map = M;

    #[inline]
    fn map_slot(&self) -> Field<&M> {
        self.as_ref()
    }
}

/// Writes a map attribute's patch under `name` without its absent entries (an absent entry
/// means "no change", RFC 7396 §2), `null` for a cleared map, or skips the field when absent.
#[inline(always)]
pub fn write_map_field<W: PatchWriter, F: MapSlot>(writer: &mut W, name: &'static str, slot: &F) {
    match slot.map_slot() {
        Field::Absent => writer.skip(name),
        Field::Null => writer.write(name, &Null(NullOf::Attribute)),
        // As serde writes `Some(map)`: a format without null markers (postcard) writes
        // the option's tag, which the reader of a required or nullable attribute reads.
        Field::Value(map) => writer.write(name, &SomeValue(PresentEntries(map))),
    }
}

/// Writes a map patch's entries that are null or a value (an absent entry means "no change",
/// RFC 7396 §2), as a map of known length (which a binary format such as postcard needs), and a
/// `null` that the format cannot write as an error ([`NullOf::MapEntry`], which the writer
/// around it names): [`SerializeMapPatch`] of `HashMap` and `BTreeMap`.
///
/// # Errors
///
/// The serializer's first error.
pub(crate) fn serialize_map_entries<'a, K, V, S, I>(
    serializer: S,
    entries: I,
) -> Result<S::Ok, S::Error>
where
    K: Serialize + 'a,
    V: Serialize + 'a,
    S: Serializer,
    I: Iterator<Item = (&'a K, &'a Field<V>)> + Clone,
{
    let len = entries
        .clone()
        .filter(|(_, entry)| entry.is_present())
        .count();
    let mut map = serializer.serialize_map(Some(len))?;
    for (key, entry) in entries {
        match entry {
            Field::Absent => {}
            Field::Null => map.serialize_entry(key, &Null(NullOf::MapEntry))?,
            Field::Value(value) => map.serialize_entry(key, &SomeValue(value))?,
        }
    }
    map.end()
}
