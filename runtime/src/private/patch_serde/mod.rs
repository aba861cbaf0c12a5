//! The `Deserialize` of a generated patch (its `Serialize` is in `patch_writer`): one map
//! visitor shared by every patch, which reads each key through a table of names and
//! hands the value to the patch's `read_field`.
//!
//! The derive uses them (see `ast::SerdeCode` in the macro crate, and "Which serde code a patch
//! gets" in docs/attributes/) instead of serde's derives, whose code per patch is several times larger, and, for a patch with a
//! flattened map, to read the map's entries as they come instead of buffering the object. They write and read what serde's derives would, with the same errors: absent fields
//! are left out, unknown keys are skipped (or refused with `deny_unknown_fields`), a repeated
//! key is `duplicate field`, and `null` on a required attribute is refused by name (by its
//! path from the outermost patch, which `nested_read` builds on the way up). Two differences: a patch is read from a map only, not from a sequence, since a JSON
//! merge patch is an object (RFC 7396 §2) and a sequence has no place for an absent attribute;
//! and in a binary format (not `is_human_readable`) it is read with `deserialize_map` and its
//! keys with `deserialize_str`, as the writer writes it there (postcard and bincode read a
//! struct as a sequence and no identifier). Not a public API.
//!
//! Here the patch's reader (`DeserializePatch`, `deserialize_patch`); `keys` the table of a
//! patch's keys and their reader, `read_field` the reads of one field's value, `flat_entries`
//! a flattened map's entries, and `dropped_key` the field that drops a skipped attribute's key.

use core::fmt;
use core::marker::PhantomData;
use std::borrow::Cow;

use serde::Deserializer;
use serde::de::{Error as _, MapAccess, SeqAccess, Visitor};

mod dropped_key;
mod flat_entries;
mod keys;
mod read_field;

pub use dropped_key::DroppedKey;
pub use flat_entries::{PatchEntries, deserialize_flat_entries, read_entry};
pub use keys::{Key, Keys};
pub use read_field::{read_nullable, read_required, skip_value};

/// A patch that the derive reads with [`deserialize_patch`].
///
/// Hidden on its own: rustdoc leaves out the impls of a hidden trait, not those of a trait in a
/// hidden module, so without it every derived patch's page in the user's documentation listed
/// this plumbing (`NAME`, `KEYS`, `read_field`) among its trait implementations.
#[doc(hidden)]
pub trait DeserializePatch<'de>: Default {
    /// The patch's name, for `deserialize_struct` and for "expected struct ..." errors.
    const NAME: &'static str;

    /// The patch's keys.
    const KEYS: &'static Keys;

    /// Reads the value of field number `index` from `map` into the patch.
    ///
    /// # Errors
    ///
    /// The deserializer's error for the value, `duplicate field`, or `null` on a required
    /// attribute.
    fn read_field<A: MapAccess<'de>>(&mut self, index: usize, map: &mut A) -> Result<(), A::Error>;

    /// Reads the value of a key that no field has into the patch's flattened map; only called
    /// when [`Keys::collects_other`] is set.
    ///
    /// # Errors
    ///
    /// The deserializer's error for the key or the value.
    fn read_other<A: MapAccess<'de>>(
        &mut self,
        key: Cow<'de, str>,
        map: &mut A,
    ) -> Result<(), A::Error> {
        let _ = key;
        skip_value(map)
    }
}

/// Deserializes a patch from a map: every field starts absent, and each key present sets one.
///
/// # Errors
///
/// The deserializer's error, for input that is not a map or a value of the wrong type, and the
/// errors of [`DeserializePatch::read_field`] and of `deny_unknown_fields`.
pub fn deserialize_patch<'de, P, D>(deserializer: D) -> Result<P, D::Error>
where
    P: DeserializePatch<'de>,
    D: Deserializer<'de>,
{
    if P::KEYS.collects_other || !deserializer.is_human_readable() {
        // As serde's derive reads a struct with a flattened field: a parent that flattens
        // this patch hands a map all of its other keys, and one given `deserialize_struct`
        // only the keys named, which would leave the flattened map empty. A binary format
        // reads a map, which the patch's writer writes there (`StructWriter`): postcard and
        // bincode read a struct as a sequence of values, without keys.
        deserializer.deserialize_map(PatchVisitor(PhantomData))
    } else {
        deserializer.deserialize_struct(P::NAME, P::KEYS.struct_keys, PatchVisitor(PhantomData))
    }
}

struct PatchVisitor<P>(PhantomData<fn() -> P>);

impl<'de, P: DeserializePatch<'de>> Visitor<'de> for PatchVisitor<P> {
    type Value = P;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(formatter, "struct {}", P::NAME)
    }

    /// A sequence of values, as a format that writes structs without their keys holds one
    /// (`rmp_serde::to_vec`, a patch that serde's derives write): an absent attribute leaves no
    /// place in it, so the values cannot be told apart. serde's derive would read them in
    /// order, into the wrong attributes (3Hren/msgpack-rust#86).
    fn visit_seq<A: SeqAccess<'de>>(self, _: A) -> Result<P, A::Error> {
        Err(super::map_only::sequence_refused(&format_args!(
            "struct {}",
            P::NAME
        )))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<P, A::Error> {
        let mut patch = P::default();
        // The dropped keys already read, one bit each.
        let mut dropped: u128 = 0;
        while let Some(key) = map.next_key_seed(P::KEYS)? {
            match key {
                Key::Field(index) if index >= P::KEYS.dropped_from => {
                    let bit = 1u128.checked_shl((index - P::KEYS.dropped_from) as u32);
                    if let Some(bit) = bit {
                        if dropped & bit != 0 {
                            return Err(A::Error::duplicate_field(P::KEYS.name_of(index)));
                        }
                        dropped |= bit;
                    }
                    skip_value(&mut map)?;
                }
                Key::Field(index) => patch.read_field(index, &mut map)?,
                Key::Other(key) => patch.read_other(key, &mut map)?,
                Key::Skip => skip_value(&mut map)?,
            }
        }
        Ok(patch)
    }
}

#[cfg(test)]
mod tests;
