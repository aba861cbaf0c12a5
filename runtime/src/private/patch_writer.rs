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

use std::collections::{BTreeMap, HashMap};
use std::hash::BuildHasher;

use serde::ser::{SerializeMap, SerializeStruct};
use serde::{Serialize, Serializer};

use super::null_probe::{NeverNull, writes_null};
use super::unwritable_null::{Null, NullOf, name_unwritable_null};
use crate::{Field, SerializeMapPatch};

/// A patch field: `Option<T>` for a required attribute, [`Field<T>`] for a nullable one.
pub trait PatchSlot: Serialize {
    /// The value a present field holds.
    type Value: Serialize;

    /// Whether the field is absent, and so left out of the JSON.
    fn is_absent(&self) -> bool;

    /// The value, where the field holds one (not absent, not a clear), which it writes as
    /// serde writes `Some(value)`.
    fn present_value(&self) -> Option<&Self::Value>;

    /// Whether the attribute may be null (a [`Field`]).
    const NULLABLE: bool;
}

impl<T: Serialize> PatchSlot for Option<T> {
    type Value = T;

    #[inline]
    fn is_absent(&self) -> bool {
        self.is_none()
    }

    #[inline]
    fn present_value(&self) -> Option<&T> {
        self.as_ref()
    }

    const NULLABLE: bool = false;
}

impl<T: Serialize> PatchSlot for Field<T> {
    type Value = T;

    #[inline]
    fn is_absent(&self) -> bool {
        Field::is_absent(self)
    }

    #[inline]
    fn present_value(&self) -> Option<&T> {
        match self {
            Field::Value(value) => Some(value),
            Field::Absent | Field::Null => None,
        }
    }

    const NULLABLE: bool = true;
}

/// `Some(value)`, as serde writes the value of an `Option` or a [`Field`].
struct SomeValue<T>(T);

impl<T: Serialize> Serialize for SomeValue<T> {
    #[inline]
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_some(&self.0)
    }
}

/// Writes `value`, a present patch value of the attribute `name`, as `Some(value)`, failing
/// where it is written `null` ([`NeverNull`]): the `serialize_with` of a plain field whose
/// JSON the derive cannot see, in a patch that serde's derive writes.
///
/// # Errors
///
/// A value written `null`, and the serializer's errors.
#[inline]
pub fn serialize_never_null<T: Serialize + ?Sized, S: Serializer>(
    value: &T,
    serializer: S,
    name: &'static str,
    nullable: bool,
) -> Result<S::Ok, S::Error> {
    serializer.serialize_some(&NeverNull {
        value,
        name,
        nullable,
    })
}

/// 1 for a field that is written, 0 for an absent one: the patch's length is their sum.
#[inline]
pub fn present<F: PatchSlot>(slot: &F) -> usize {
    usize::from(!slot.is_absent())
}

/// Where a patch's fields go: serde's struct or map state, until a write fails.
pub trait PatchWriter {
    /// Writes `value` under `name`, unless a write has already failed.
    fn write<T: Serialize + ?Sized>(&mut self, name: &'static str, value: &T);

    /// Tells the format that the field `name` is left out (serde's `skip_field`).
    fn skip(&mut self, name: &'static str);

    /// Whether a write has failed: nothing more is written, nor looked at.
    fn failed(&self) -> bool;
}

/// A patch without a flattened field: serde's struct state (or, in a binary format, its map
/// state) until a write fails, then the first error.
///
/// The generated `Serialize` starts it with [`start_struct`], hands it every field with
/// [`write_field`] (or [`write_map_field`]) and finishes with [`end_struct`].
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

/// A patch with a flattened field, written as a map: serde's map state until a write fails.
pub struct MapWriter<S: SerializeMap> {
    state: Result<S, S::Error>,
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

/// Writes a patch field under `name`, or skips it when absent. A `null` that the format
/// cannot write (TOML) is an error naming the attribute ([`Null`]).
#[inline(always)]
pub fn write_field<W: PatchWriter, F: PatchSlot>(writer: &mut W, name: &'static str, slot: &F) {
    match slot.present_value() {
        Some(value) => writer.write(name, &SomeValue(value)),
        None if slot.is_absent() => writer.skip(name),
        None => writer.write(name, &Null(NullOf::Attribute)),
    }
}

/// [`write_field`] for a field whose value's type names a type parameter of the model: a
/// value written `null` (the parameter is an `Option`) fails the write instead of sending a
/// `null` that removes the attribute.
#[inline]
pub fn write_checked_field<W: PatchWriter, F: PatchSlot>(
    writer: &mut W,
    name: &'static str,
    slot: &F,
) {
    match slot.present_value() {
        Some(value) => writer.write(
            name,
            &SomeValue(NeverNull {
                value,
                name,
                nullable: F::NULLABLE,
            }),
        ),
        None if slot.is_absent() => writer.skip(name),
        None => writer.write(name, &Null(NullOf::Attribute)),
    }
}

/// A map patch (`HashMap`/`BTreeMap` of [`Field`]s) whose values' JSON the derive cannot see
/// (a type parameter, a type of the user's): an entry set to a value written `null` would be
/// read as removing the key (RFC 7396 §2).
pub trait MapNullValues {
    /// Whether an entry set to a value is written `null`.
    fn has_null_value(&self) -> bool;
}

/// `MapNullValues` and `FlatEntries` for a map patch type of the derive's known maps (the
/// same bodies for each: they iterate the map).
macro_rules! impl_map_patch_writers {
    ($map:ty, $($hasher:ident: $hb:path)?) => {
        impl<K, V: Serialize $(, $hasher)?> MapNullValues for $map {
            fn has_null_value(&self) -> bool {
                self.values()
                    .any(|entry| matches!(entry, Field::Value(value) if writes_null(value)))
            }
        }

        impl<K: Serialize, V: Serialize $(, $hasher: $hb)?> FlatEntries for $map {
            fn write_entries<S: SerializeMap>(&self, map: &mut S) -> Result<(), S::Error> {
                write_present_entries(self.iter(), map)
            }

            fn present_len(&self) -> usize {
                self.values().filter(|entry| entry.is_present()).count()
            }
        }
    };
}

impl_map_patch_writers!(HashMap<K, Field<V>, H>, H: BuildHasher);
impl_map_patch_writers!(BTreeMap<K, Field<V>>,);
#[cfg(feature = "indexmap")]
impl_map_patch_writers!(indexmap::IndexMap<K, Field<V>, H>, H: BuildHasher);

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

/// The patch of a flattened field, whose entries sit in the parent object.
pub trait FlatEntries {
    /// Writes every entry that is null or a value into the parent's map.
    ///
    /// # Errors
    ///
    /// The serializer's first error.
    fn write_entries<S: SerializeMap>(&self, map: &mut S) -> Result<(), S::Error>;

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
fn write_present_entries<'a, K, V, S>(
    mut entries: impl Iterator<Item = (&'a K, &'a Field<V>)>,
    map: &mut S,
) -> Result<(), S::Error>
where
    K: Serialize + 'a,
    V: Serialize + 'a,
    S: SerializeMap,
{
    entries.try_for_each(|(key, entry)| match entry {
        Field::Absent => Ok(()),
        Field::Null => map.serialize_entry(key, &Null(NullOf::FlatEntry)),
        Field::Value(value) => map.serialize_entry(key, &SomeValue(value)),
    })
}

/// A flattened `serde_json::Map`: a JSON merge patch of its own, whose `null`s clear.
impl FlatEntries for serde_json::Map<String, serde_json::Value> {
    fn write_entries<S: SerializeMap>(&self, map: &mut S) -> Result<(), S::Error> {
        self.iter().try_for_each(|(key, value)| match value {
            serde_json::Value::Null => map.serialize_entry(key, &Null(NullOf::FlatEntry)),
            value => map.serialize_entry(key, value),
        })
    }

    fn present_len(&self) -> usize {
        self.len()
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

/// Writes a flattened field's entries at its place in the parent's map.
#[inline]
pub fn write_flat<S: SerializeMap, M: FlatEntries>(writer: &mut MapWriter<S>, patch: &M) {
    if let Ok(state) = &mut writer.state
        && let Err(error) = patch.write_entries(state)
    {
        writer.state = Err(error);
    }
}
