//! [`MapWriter`]: a patch with a flattened field, written as a map.

use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};

use super::super::unwritable_null::name_unwritable_null;
use super::PatchWriter;
use super::written_twice::KeysSoFar;
use crate::private::WrittenKeys;

/// A patch with a flattened field, written as a map: serde's map state until a write fails.
pub struct MapWriter<S: SerializeMap> {
    pub(super) state: Result<S, S::Error>,
    /// The keys written so far that a field and an entry of the flattened map may both write.
    pub(super) keys: KeysSoFar,
}

/// Starts writing a patch with a flattened field: serde's `serialize_map`, of unknown length as
/// serde's derive writes a struct with `flatten`, or, in a binary format (not
/// `is_human_readable`), of the length that `len` counts (its present fields and entries),
/// which postcard and bincode write before the entries and refuse to go without. `fields` are
/// the keys of the patch's fields (`Patch::WRITTEN_KEYS`): an entry of the flattened map given
/// one of them that the patch writes fails the write (one JSON object, one key: RFC 8259 §4).
#[inline]
pub fn start_map<S: Serializer>(
    serializer: S,
    fields: &'static WrittenKeys,
    len: impl FnOnce() -> usize,
) -> MapWriter<S::SerializeMap> {
    let len = (!serializer.is_human_readable()).then(len);
    MapWriter {
        state: serializer.serialize_map(len),
        keys: KeysSoFar::new(fields),
    }
}

impl<S: SerializeMap> PatchWriter for MapWriter<S> {
    #[inline(always)]
    fn write<T: Serialize + ?Sized>(&mut self, name: &'static str, value: &T) {
        if let Ok(state) = &mut self.state {
            if let Err(error) = self.keys.field(name) {
                self.state = Err(error);
            } else if let Err(error) = state.serialize_entry(name, value) {
                self.state = Err(name_unwritable_null(error, name));
            }
        }
    }

    #[inline]
    fn skip(&mut self, _: &'static str) {}

    #[inline]
    fn failed(&self) -> bool {
        self.state.is_err()
    }
}

/// Ends a patch written as a map.
///
/// # Errors
///
/// The serializer's first error.
#[inline]
pub fn end_map<S: SerializeMap>(writer: MapWriter<S>) -> Result<S::Ok, S::Error> {
    writer.state?.end()
}
