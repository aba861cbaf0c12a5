//! [`Keys`]: a patch's keys, and their reader, which finds the field each key names.

use core::fmt;
use std::borrow::Cow;

use serde::Deserializer;
use serde::de::{self, DeserializeSeed, Visitor};

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
    /// [`DeserializePatch::read_other`](super::DeserializePatch::read_other) instead of being
    /// skipped.
    pub collects_other: bool,
}

impl Keys {
    /// The first key of field number `field`, for a message.
    pub(super) fn name_of(&self, field: usize) -> &'static str {
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
pub(super) fn same_bytes(a: &[u8], b: &[u8]) -> bool {
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
