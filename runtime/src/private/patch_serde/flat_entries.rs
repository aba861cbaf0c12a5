//! [`PatchEntries`]: a flattened map patch read entry by entry, a repeated key refused.

use core::fmt;
use core::hash::{BuildHasher, Hash};
use core::marker::PhantomData;
use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap, btree_map, hash_map};

#[cfg(feature = "indexmap")]
use indexmap::{IndexMap, map as index_map};

use serde::de::{self, MapAccess, Visitor};
use serde::{Deserialize, Deserializer};

use crate::Field;

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

/// Reads one entry of a flattened map patch: the generated
/// [`DeserializePatch::read_other`](super::DeserializePatch::read_other).
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
