//! [`MapNullValues`]: a map patch whose entries set to a value written `null` fail the write,
//! as a merge patch would read them as removing the key.

use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};

use super::{FlatEntries, MapSlot, MapWriter, PatchWriter, write_flat, write_map_field};
use crate::{Field, SerializeMapPatch};

/// A map patch (`HashMap`/`BTreeMap` of [`Field`]s) whose values' JSON the derive cannot see
/// (a type parameter, a type of the user's): an entry set to a value written `null` would be
/// read as removing the key (RFC 7396 §2).
pub trait MapNullValues {
    /// Whether an entry set to a value is written `null`.
    fn has_null_value(&self) -> bool;
}

/// The error for an entry of the map `name` (`None` for a flattened map) set to a value that
/// is written `null`, which a merge patch reads as removing the key (RFC 7396 §2).
fn null_entry_error<E: serde::ser::Error>(name: Option<&str>) -> E {
    let map = name.map_or_else(|| "a flattened map".to_owned(), |name| format!("`{name}`"));
    E::custom(format_args!(
        "an entry of {map} is set to a value written `null`, which a merge patch reads as removing the key (RFC 7396 §2), not as a value: the patch cannot send it"
    ))
}

/// A map value that fails to write with [`null_entry_error`].
struct NullEntry {
    name: Option<&'static str>,
}

impl Serialize for NullEntry {
    fn serialize<S: Serializer>(&self, _: S) -> Result<S::Ok, S::Error> {
        Err(null_entry_error(self.name))
    }
}

/// [`write_map_field`] for a map whose values' JSON the derive cannot see: an entry set to a
/// value written `null` fails the write.
#[inline]
pub fn write_checked_map_field<W: PatchWriter, F: MapSlot>(
    writer: &mut W,
    name: &'static str,
    slot: &F,
) where
    F::Map: MapNullValues,
{
    match slot.map_slot() {
        Field::Value(map) if !writer.failed() && map.has_null_value() => {
            writer.write(name, &NullEntry { name: Some(name) });
        }
        _ => write_map_field(writer, name, slot),
    }
}

/// [`write_flat`] for a flattened map whose values' JSON the derive cannot see.
#[inline]
pub fn write_checked_flat<S: SerializeMap, M: FlatEntries + MapNullValues>(
    writer: &mut MapWriter<S>,
    patch: &M,
) {
    if writer.failed() {
        return;
    }
    if patch.has_null_value() {
        writer.state = Err(null_entry_error(None));
    } else {
        write_flat(writer, patch);
    }
}

/// The `serialize_with` of a map patch whose values' JSON the derive cannot see, in a patch
/// that serde's derive writes (`name` is `None` for a flattened map).
///
/// # Errors
///
/// An entry set to a value written `null`, and the serializer's errors.
#[inline]
pub fn serialize_checked_map<M, S>(
    map: &M,
    serializer: S,
    name: Option<&'static str>,
) -> Result<S::Ok, S::Error>
where
    M: SerializeMapPatch + MapNullValues,
    S: Serializer,
{
    if map.has_null_value() {
        Err(null_entry_error(name))
    } else {
        map.serialize_map_patch(serializer)
    }
}

/// [`serialize_checked_map`] of a flattened map: serde's `serialize_with` takes the map and
/// the serializer alone.
///
/// # Errors
///
/// An entry set to a value written `null`, and the serializer's errors.
#[inline]
pub fn serialize_checked_flat_map<M, S>(map: &M, serializer: S) -> Result<S::Ok, S::Error>
where
    M: SerializeMapPatch + MapNullValues,
    S: Serializer,
{
    serialize_checked_map(map, serializer, None)
}
