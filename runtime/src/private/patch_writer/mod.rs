//! The `Serialize` of a generated patch: a writer that the generated code hands every field
//! to, one call per field and no `?` (the writer keeps the first error, and writes nothing
//! after it). It writes what serde's derive would: absent fields and absent map entries are
//! left out (RFC 7396 §2: a member that is not in the patch leaves the target's as it is), a
//! patch without a flattened field is a struct (`serialize_struct`), and a patch with one is a
//! map (`serialize_map`) whose flattened entries sit at the field's place. Two differences: in
//! a binary format (not `is_human_readable`) every patch is a map of known length, since such
//! a format may write a struct as a sequence without keys, where an absent attribute leaves no
//! place; and a `null` that the format refuses (TOML has none) is an error naming the
//! attribute (`unwritable_null`), where serde's derive would let the format leave the key out.
//! Not a public API.
//!
//! Here [`PatchWriter`], where the fields go, and the value written as `Some`; `field` a
//! required or nullable attribute's field and its writes, `struct_writer` and `map_writer`
//! the writers of a patch without and with a flattened field, `map_field` a map attribute's
//! field, `flat` a flattened field's entries, `written_twice` the keys that a field and an entry of
//! the flattened map both write, `null_checks` the maps whose values may be
//! written `null`, and `known_maps` those traits for the derive's known maps.

use serde::{Serialize, Serializer};

mod field;
mod flat;
mod known_maps;
mod map_field;
mod map_writer;
mod null_checks;
mod struct_writer;
mod written_twice;

pub use field::{PatchSlot, present, serialize_never_null, write_checked_field, write_field};
pub use flat::{FlatEntries, flat_len, write_flat};
pub(crate) use map_field::serialize_map_entries;
pub use map_field::{MapSlot, write_map_field};
pub use map_writer::{MapWriter, end_map, start_map};
pub use null_checks::{
    MapNullValues, serialize_checked_flat_map, serialize_checked_map, write_checked_flat,
    write_checked_map_field,
};
pub use struct_writer::{StructWriter, end_struct, start_struct};
pub use written_twice::KeysSoFar;

/// Where a patch's fields go: serde's struct or map state, until a write fails.
pub trait PatchWriter {
    /// Writes `value` under `name`, unless a write has already failed.
    fn write<T: Serialize + ?Sized>(&mut self, name: &'static str, value: &T);

    /// Tells the format that the field `name` is left out (serde's `skip_field`).
    fn skip(&mut self, name: &'static str);

    /// Whether a write has failed: nothing more is written, nor looked at.
    fn failed(&self) -> bool;
}

/// `Some(value)`, as serde writes the value of an `Option` or a [`Field`].
struct SomeValue<T>(T);

impl<T: Serialize> Serialize for SomeValue<T> {
    #[inline]
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_some(&self.0)
    }
}
