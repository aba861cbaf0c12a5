//! [`FlatEntries`]: the patch of a flattened field, written at its place in the parent's map.

use serde::Serialize;
use serde::ser::SerializeMap;

use super::super::unwritable_null::{Null, NullOf};
use super::written_twice::KeysSoFar;
use super::{MapWriter, SomeValue};
use crate::Field;

/// The patch of a flattened field, whose entries sit in the parent object.
pub trait FlatEntries {
    /// Writes every entry that is null or a value into the parent's map, noting each key in
    /// `keys`.
    ///
    /// # Errors
    ///
    /// An entry's key that a field of the patch writes too ([`KeysSoFar`]), and the
    /// serializer's first error.
    fn write_entries<S: SerializeMap>(
        &self,
        map: &mut S,
        keys: &mut KeysSoFar,
    ) -> Result<(), S::Error>;

    /// The number of entries that [`write_entries`](FlatEntries::write_entries) writes.
    fn present_len(&self) -> usize;
}

/// The number of entries that a flattened field writes into the parent's map.
#[inline]
pub fn flat_len<M: FlatEntries>(patch: &M) -> usize {
    patch.present_len()
}

/// Writes the entries of a map patch that are null or a value (an absent entry means "no
/// change", so it is left out, as `SerializeMapPatch` does).
pub(super) fn write_present_entries<'a, K, V, S>(
    mut entries: impl Iterator<Item = (&'a K, &'a Field<V>)>,
    map: &mut S,
    keys: &mut KeysSoFar,
) -> Result<(), S::Error>
where
    K: Serialize + 'a,
    V: Serialize + 'a,
    S: SerializeMap,
{
    entries.try_for_each(|(key, entry)| match entry {
        Field::Absent => Ok(()),
        Field::Null => {
            keys.entry(key)?;
            map.serialize_entry(key, &Null(NullOf::FlatEntry))
        }
        Field::Value(value) => {
            keys.entry(key)?;
            map.serialize_entry(key, &SomeValue(value))
        }
    })
}

/// A flattened `serde_json::Map`: a JSON merge patch of its own, whose `null`s clear.
impl FlatEntries for serde_json::Map<String, serde_json::Value> {
    fn write_entries<S: SerializeMap>(
        &self,
        map: &mut S,
        keys: &mut KeysSoFar,
    ) -> Result<(), S::Error> {
        self.iter().try_for_each(|(key, value)| {
            keys.entry(key)?;
            match value {
                serde_json::Value::Null => map.serialize_entry(key, &Null(NullOf::FlatEntry)),
                value => map.serialize_entry(key, value),
            }
        })
    }

    fn present_len(&self) -> usize {
        self.len()
    }
}

/// Writes a flattened field's entries at its place in the parent's map.
#[inline]
pub fn write_flat<S: SerializeMap, M: FlatEntries>(writer: &mut MapWriter<S>, patch: &M) {
    if let Ok(state) = &mut writer.state
        && let Err(error) = patch.write_entries(state, &mut writer.keys)
    {
        writer.state = Err(error);
    }
}
