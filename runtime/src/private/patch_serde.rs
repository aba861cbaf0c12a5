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

use core::fmt;
use core::hash::{BuildHasher, Hash};
use core::marker::PhantomData;
use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap, btree_map, hash_map};

#[cfg(feature = "indexmap")]
use indexmap::{IndexMap, map as index_map};

use serde::de::{self, DeserializeSeed, Error as _, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer};

use crate::Field;

/// The keys of a patch, as deserialized.
#[derive(Debug)]
pub struct Keys {
    /// Every accepted key, in serde's order: each field's name followed by its aliases, field
    /// by field. serde's derive gives the same list to `deserialize_struct` (a flattening
    /// parent hands over only these keys) and to "expected one of" errors.
    pub names: &'static [&'static str],
    /// The keys given to `deserialize_struct`: `names`, then the keys (and aliases) of the
    /// skipped attributes that the model reads and the patch does not (unknown keys to it). A
    /// parent that flattens this patch hands over exactly these keys, so those of read-only
    /// attributes come here, where they are ignored, rather than to the parent's flattened
    /// map, which would send them back; the model's own reading hands them to this struct too.
    pub struct_keys: &'static [&'static str],
    /// Every accepted key with the number of its field, sorted by length, then bytes; a key
    /// that two fields accept (an alias equal to a later field's name) is listed once, for the
    /// field declared first, as serde's derive matches.
    pub lookup: &'static [(&'static str, usize)],
    /// Where the keys of each length start in `lookup`: the keys of length `n` are
    /// `lookup[by_length[n]..by_length[n + 1]]`, so a key is compared with those of its own
    /// length alone. One longer than the longest key's length plus one.
    pub by_length: &'static [u16],
    /// The number of fields.
    pub len: usize,
    /// Field numbers from this one on are the keys of skipped attributes that the model reads:
    /// the patch drops their values (a repeated one is `duplicate field`, as serde's derive
    /// says, for the first 128 of them).
    pub dropped_from: usize,
    /// serde's `deny_unknown_fields`: an unknown key is an error instead of being skipped.
    pub deny_unknown: bool,
    /// A flattened map takes every key that no field has: unknown keys are handed to
    /// [`DeserializePatch::read_other`] instead of being skipped.
    pub collects_other: bool,
}

impl Keys {
    /// The first key of field number `field`, for a message.
    fn name_of(&self, field: usize) -> &'static str {
        self.lookup
            .iter()
            .find(|(_, number)| *number == field)
            .map_or("", |(name, _)| name)
    }

    /// The field of `key`: the first match in declaration order, aliases included, as serde's
    /// derive matches.
    #[inline(always)]
    fn find(&self, key: &[u8]) -> Option<usize> {
        // The keys of `key`'s length sit together, between two offsets of `by_length`.
        let (&from, &to) = (
            self.by_length.get(key.len())?,
            self.by_length.get(key.len() + 1)?,
        );
        self.lookup
            .get(usize::from(from)..usize::from(to))?
            .iter()
            .find(|(name, _)| same_bytes(name.as_bytes(), key))
            .map(|(_, field)| *field)
    }

    /// A key that no field has and no flattened map takes: an error with
    /// `deny_unknown_fields`, skipped otherwise.
    fn refuse_or_skip<'de, E: de::Error>(&self, key: &str) -> Result<Key<'de>, E> {
        if self.deny_unknown {
            Err(E::unknown_field(key, self.names))
        } else {
            Ok(Key::Skip)
        }
    }

    fn key<'de, E: de::Error>(&self, key: Cow<'de, str>) -> Result<Key<'de>, E> {
        match self.find(key.as_bytes()) {
            Some(index) => Ok(Key::Field(index)),
            None if self.collects_other => Ok(Key::Other(key)),
            None => self.refuse_or_skip(&key),
        }
    }
}

/// Whether two byte strings of the same length are equal: by machine words, the last one
/// overlapping, so that a key is compared in a few instructions instead of a call to `memcmp`
/// (patch keys are short: most are 4 to 17 bytes).
#[inline(always)]
fn same_bytes(a: &[u8], b: &[u8]) -> bool {
    #[inline(always)]
    fn word(bytes: &[u8], at: usize) -> u64 {
        u64::from_ne_bytes(*bytes[at..].first_chunk::<8>().unwrap_or(&[0; 8]))
    }
    #[inline(always)]
    fn half_word(bytes: &[u8], at: usize) -> u32 {
        u32::from_ne_bytes(*bytes[at..].first_chunk::<4>().unwrap_or(&[0; 4]))
    }
    let len = a.len();
    if len != b.len() {
        return false;
    }
    match len {
        0..4 => a == b,
        4..8 => {
            half_word(a, 0) == half_word(b, 0) && half_word(a, len - 4) == half_word(b, len - 4)
        }
        _ => {
            let mut at = 0;
            while at + 8 < len {
                if word(a, at) != word(b, at) {
                    return false;
                }
                at += 8;
            }
            word(a, len - 8) == word(b, len - 8)
        }
    }
}

/// A key of the patch's JSON object, as read.
pub enum Key<'de> {
    /// The key of field number `.0`.
    Field(usize),
    /// A key that no field has, for the flattened map.
    Other(Cow<'de, str>),
    /// A key to skip with its value.
    Skip,
}

/// Reads a key: the field it names, another key for a flattened map, or one to skip.
impl<'de> DeserializeSeed<'de> for &'static Keys {
    type Value = Key<'de>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        // A binary format's keys are read as strings, as the patch's writer writes them there
        // (postcard and bincode read no identifier; MessagePack and CBOR read either).
        if deserializer.is_human_readable() {
            deserializer.deserialize_identifier(self)
        } else {
            deserializer.deserialize_str(self)
        }
    }
}

/// What an integer key must be, in serde's words: "field index 0 <= i < N".
struct FieldIndex(usize);

impl de::Expected for FieldIndex {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(formatter, "field index 0 <= i < {}", self.0)
    }
}

impl<'de> Visitor<'de> for &'static Keys {
    type Value = Key<'de>;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("field identifier")
    }

    fn visit_u64<E: de::Error>(self, index: u64) -> Result<Self::Value, E> {
        match usize::try_from(index) {
            Ok(index) if index < self.len && !self.collects_other => Ok(Key::Field(index)),
            _ if self.deny_unknown => Err(E::invalid_value(
                de::Unexpected::Unsigned(index),
                &FieldIndex(self.len),
            )),
            _ if self.collects_other => Ok(Key::Other(Cow::Owned(index.to_string()))),
            _ => Ok(Key::Skip),
        }
    }

    fn visit_str<E: de::Error>(self, key: &str) -> Result<Self::Value, E> {
        match self.find(key.as_bytes()) {
            Some(index) => Ok(Key::Field(index)),
            None if self.collects_other => Ok(Key::Other(Cow::Owned(key.to_owned()))),
            None => self.refuse_or_skip(key),
        }
    }

    fn visit_borrowed_str<E: de::Error>(self, key: &'de str) -> Result<Self::Value, E> {
        self.key(Cow::Borrowed(key))
    }

    fn visit_string<E: de::Error>(self, key: String) -> Result<Self::Value, E> {
        self.key(Cow::Owned(key))
    }

    fn visit_bytes<E: de::Error>(self, key: &[u8]) -> Result<Self::Value, E> {
        match core::str::from_utf8(key) {
            Ok(key) => self.visit_str(key),
            Err(_) => self.refuse_or_skip(&String::from_utf8_lossy(key)),
        }
    }
}

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

/// Reads a required attribute into its patch field: a value is `Some`, and `null` is an error
/// naming the attribute (`name`, as deserialized). With `NESTED` (a nested patch's field), an
/// error for `null` on a required attribute inside the nested patch names the path from this
/// field down (`name.street`).
///
/// # Errors
///
/// `duplicate field` when the key was already read, `null`, or a value that is not a `T`.
#[inline]
pub fn read_required<'de, A, T, const NESTED: bool>(
    map: &mut A,
    slot: &mut Option<T>,
    name: &'static str,
) -> Result<(), A::Error>
where
    A: MapAccess<'de>,
    T: Deserialize<'de>,
{
    if slot.is_some() {
        return Err(A::Error::duplicate_field(name));
    }
    *slot = map.next_value_seed(Required::<T, NESTED>(name, PhantomData))?;
    Ok(())
}

/// Reads a nullable attribute into its patch field: `null` is [`Field::Null`], a value is
/// [`Field::Value`].
///
/// # Errors
///
/// `duplicate field` when the key was already read, or a value that is not a `T`.
#[inline]
pub fn read_nullable<'de, A, T>(
    map: &mut A,
    slot: &mut Field<T>,
    name: &'static str,
) -> Result<(), A::Error>
where
    A: MapAccess<'de>,
    T: Deserialize<'de>,
{
    if !slot.is_absent() {
        return Err(A::Error::duplicate_field(name));
    }
    *slot = map.next_value()?;
    Ok(())
}

/// Skips a value; for a field number that no field has, which [`Keys`] never returns.
///
/// # Errors
///
/// The deserializer's error for malformed input.
#[inline]
pub fn skip_value<'de, A: MapAccess<'de>>(map: &mut A) -> Result<(), A::Error> {
    map.next_value::<IgnoredAny>().map(drop)
}

/// Reads a required attribute's value, refusing `null`; with `NESTED`, a nested patch's, whose
/// error for a `null` inside names the path from this field down.
struct Required<T, const NESTED: bool>(&'static str, PhantomData<fn() -> T>);

impl<'de, T: Deserialize<'de>, const NESTED: bool> DeserializeSeed<'de> for Required<T, NESTED> {
    type Value = Option<T>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Option<T>, D::Error> {
        super::deserialize_required::<D, T, NESTED>(deserializer, self.0)
    }
}

/// A map patch that a flattened field reads entry by entry: each key that no other field of the
/// patch has is one entry, `null` removing it (RFC 7396 §2). A key read twice is
/// `duplicate field`, as it is for the patch's own fields beside it: `{"badge": 1, "badge":
/// null}` sets or removes the attribute depending on which reader takes which member (RFC 8259
/// §4: the behaviour of such an object is unpredictable), where serde's flattened maps keep
/// the last one silently.
pub trait PatchEntries<'de> {
    /// Reads one entry, whose key has been read already, from `map`.
    ///
    /// # Errors
    ///
    /// The deserializer's error for the key or the value, and `duplicate field` for a key
    /// already read.
    fn read_entry<A: MapAccess<'de>>(
        &mut self,
        key: Cow<'de, str>,
        map: &mut A,
    ) -> Result<(), A::Error>;
}

/// The key of a map entry, read from the key's text.
fn entry_key<'de, K: Deserialize<'de>, E: de::Error>(key: Cow<'de, str>) -> Result<K, E> {
    match key {
        Cow::Borrowed(key) => K::deserialize(de::value::BorrowedStrDeserializer::new(key)),
        Cow::Owned(key) => K::deserialize(de::value::StringDeserializer::new(key)),
    }
}

/// `duplicate field` for an entry of a flattened map whose key was read already, naming the
/// key as its JSON text does (the key as it is held, written back: on the error path only).
#[cold]
fn duplicate_entry<K: serde::Serialize + ?Sized, E: de::Error>(key: &K) -> E {
    match serde_json::to_value(key) {
        Ok(serde_json::Value::String(key)) => E::custom(format_args!("duplicate field `{key}`")),
        Ok(key) => E::custom(format_args!("duplicate field `{key}`")),
        Err(_) => E::custom("duplicate field in the flattened map"),
    }
}

macro_rules! impl_patch_entries {
    ($map:ident<K, V $(, $hasher:ident)?>, $entry:ident where K: $($key_bound:path),+ $(; $hb:path)?) => {
        impl<'de, K, V $(, $hasher)?> PatchEntries<'de> for $map<K, Field<V> $(, $hasher)?>
        where
            K: Deserialize<'de> + serde::Serialize $(+ $key_bound)+,
            V: Deserialize<'de>,
            $($hasher: $hb,)?
        {
            #[inline]
            fn read_entry<A: MapAccess<'de>>(
                &mut self,
                key: Cow<'de, str>,
                map: &mut A,
            ) -> Result<(), A::Error> {
                let key = entry_key(key)?;
                match self.entry(key) {
                    $entry::Entry::Occupied(entry) => {
                        Err(duplicate_entry(entry.key()))
                    }
                    $entry::Entry::Vacant(entry) => {
                        entry.insert(map.next_value()?);
                        Ok(())
                    }
                }
            }
        }
    };
}

impl_patch_entries!(HashMap<K, V, S>, hash_map where K: Eq, Hash; BuildHasher);
impl_patch_entries!(BTreeMap<K, V>, btree_map where K: Ord);
#[cfg(feature = "indexmap")]
impl_patch_entries!(IndexMap<K, V, S>, index_map where K: Eq, Hash; BuildHasher);

impl<'de> PatchEntries<'de> for serde_json::Map<String, serde_json::Value> {
    #[inline]
    fn read_entry<A: MapAccess<'de>>(
        &mut self,
        key: Cow<'de, str>,
        map: &mut A,
    ) -> Result<(), A::Error> {
        match self.entry(key.into_owned()) {
            serde_json::map::Entry::Occupied(entry) => Err(duplicate_entry(entry.key())),
            serde_json::map::Entry::Vacant(entry) => {
                entry.insert(map.next_value()?);
                Ok(())
            }
        }
    }
}

/// Reads one entry of a flattened map patch: the generated [`DeserializePatch::read_other`].
///
/// # Errors
///
/// The deserializer's error for the key or the value.
#[inline]
pub fn read_entry<'de, A, M>(patch: &mut M, key: Cow<'de, str>, map: &mut A) -> Result<(), A::Error>
where
    A: MapAccess<'de>,
    M: PatchEntries<'de>,
{
    patch.read_entry(key, map)
}

/// Reads a flattened map patch entry by entry, through [`PatchEntries`], so that a key given
/// twice is `duplicate field` as in the derive's own reader: `deserialize_with` of a
/// non-generic flattened `HashMap`, `BTreeMap` or `serde_json::Map` in a patch that serde's
/// derives read (whose flattened maps keep the last value of a repeated key silently).
///
/// # Errors
///
/// The deserializer's error for a key or a value, and `duplicate field`.
pub fn deserialize_flat_entries<'de, D, M>(deserializer: D) -> Result<M, D::Error>
where
    D: Deserializer<'de>,
    M: PatchEntries<'de> + Default,
{
    struct Entries<M>(PhantomData<fn() -> M>);
    impl<'de, M: PatchEntries<'de> + Default> Visitor<'de> for Entries<M> {
        type Value = M;

        fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
            formatter.write_str("a map")
        }

        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<M, A::Error> {
            let mut patch = M::default();
            while let Some(key) = map.next_key::<Cow<'de, str>>()? {
                patch.read_entry(key, &mut map)?;
            }
            Ok(patch)
        }
    }
    deserializer.deserialize_map(Entries(PhantomData))
}

/// The hidden patch field that reads a skipped attribute's key and drops its value, in a patch
/// that serde's derive reads, so that a flattened map does not take the key (and send it
/// back). It holds nothing (the derive's own reader drops such keys without a field), and has
/// every standard trait that a `#[patchable(derive(...))]` may ask of the patch's fields
/// (`Eq`, `Hash`, `Ord`, ...), which serde's `IgnoredAny` lacks.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct DroppedKey;

impl<'de> Deserialize<'de> for DroppedKey {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        IgnoredAny::deserialize(deserializer).map(|_| DroppedKey)
    }
}

#[cfg(test)]
mod tests {
    use super::same_bytes;

    /// Every length from 0 to 40, equal and with one byte changed at each position.
    #[test]
    fn same_bytes_agrees_with_slice_equality() {
        let text: Vec<u8> = (0..40u8).map(|byte| b'a' + byte % 26).collect();
        for len in 0..=text.len() {
            let a = &text[..len];
            assert!(same_bytes(a, a), "{len}");
            for at in 0..len {
                let mut b = a.to_vec();
                b[at] ^= 0x20;
                assert!(!same_bytes(a, &b), "{len} at {at}");
            }
            if len > 0 {
                assert!(!same_bytes(a, &text[..len - 1]), "{len} against shorter");
            }
        }
    }
}
