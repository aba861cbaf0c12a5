//! [`MapWriter`]: a patch with a flattened field, written as a map.

use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};

use super::super::unwritable_null::name_unwritable_null;
use super::PatchWriter;

/// A patch with a flattened field, written as a map: serde's map state until a write fails.
pub struct MapWriter<S: SerializeMap> {
    pub(super) state: Result<S, S::Error>,
}

/// Starts writing a patch with a flattened field: serde's `serialize_map`, of unknown length as
/// serde's derive writes a struct with `flatten`, or, in a binary format (not
/// `is_human_readable`), of the length that `len` counts (its present fields and entries),
/// which postcard and bincode write before the entries and refuse to go without.
#[inline]
pub fn start_map<S: Serializer>(
    serializer: S,
    len: impl FnOnce() -> usize,
) -> MapWriter<S::SerializeMap> {
    let len = (!serializer.is_human_readable()).then(len);
    MapWriter {
        state: serializer.serialize_map(len),
    }
}

impl<S: SerializeMap> PatchWriter for MapWriter<S> {
    #[inline(always)]
    fn write<T: Serialize + ?Sized>(&mut self, name: &'static str, value: &T) {
        if let Ok(state) = &mut self.state
            && let Err(error) = state.serialize_entry(name, value)
        {
            self.state = Err(name_unwritable_null(error, name));
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
