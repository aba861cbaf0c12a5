//! Map attributes of a patch (`HashMap`, `BTreeMap`, `IndexMap`: `"labels": {"a": "x", "b": null}`) read
//! with each key once: a key given twice (`{"a": "x", "a": null}`) sets or removes the entry
//! depending on which member a reader takes (RFC 8259 §4 leaves it open), so it is an error,
//! as a repeated attribute of the patch is, where serde's maps keep the last value silently.
//! Not a public API.

use core::fmt;
use core::hash::{BuildHasher, Hash};
use core::marker::PhantomData;
use std::collections::{BTreeMap, HashMap, btree_map, hash_map};

#[cfg(feature = "indexmap")]
use indexmap::{IndexMap, map as index_map};

use serde::de::{self, DeserializeSeed, MapAccess, Visitor};
use serde::{Deserialize, Deserializer};

use super::{CANNOT_BE_CLEARED, NULL_FOR};
use crate::Field;

/// A map patch read entry by entry, refusing a key read twice.
pub trait UniqueEntries<'de>: Sized {
    /// Reads the entries of `map`, the value of the attribute `name`.
    ///
    /// # Errors
    ///
    /// The deserializer's error for a key or a value, and an error naming the attribute for a
    /// key read twice (the format gives its position).
    fn read_entries<A: MapAccess<'de>>(map: A, name: &'static str) -> Result<Self, A::Error>;
}

/// The error for a key read twice in the map attribute `name`. The key is not shown: its type
/// need not be printable, and the format's error gives the position.
#[cold]
fn duplicate_key<E: de::Error>(name: &str) -> E {
    E::custom(format_args!("duplicate key in the map `{name}`"))
}

macro_rules! impl_unique_entries {
    ($map:ident<K, V $(, $hasher:ident)?>, $entry:ident, $new:expr, where K: $($key_bound:path),+ $(; $hb:path)?) => {
        impl<'de, K, V $(, $hasher)?> UniqueEntries<'de> for $map<K, Field<V> $(, $hasher)?>
        where
            K: Deserialize<'de> $(+ $key_bound)+,
            V: Deserialize<'de>,
            $($hasher: $hb + Default,)?
        {
            fn read_entries<A: MapAccess<'de>>(
                mut map: A,
                name: &'static str,
            ) -> Result<Self, A::Error> {
                #[allow(clippy::redundant_closure_call)]
                let mut entries = ($new)(map.size_hint());
                while let Some(key) = map.next_key::<K>()? {
                    match entries.entry(key) {
                        $entry::Entry::Occupied(_) => return Err(duplicate_key(name)),
                        $entry::Entry::Vacant(entry) => {
                            entry.insert(map.next_value()?);
                        }
                    }
                }
                Ok(entries)
            }
        }
    };
}

impl_unique_entries!(
    HashMap<K, V, S>,
    hash_map,
    // serde's own `HashMap` reads with a capacity bounded the same way (`size_hint::cautious`).
    |hint: Option<usize>| HashMap::with_capacity_and_hasher(hint.unwrap_or(0).min(4096), S::default()),
    where K: Eq, Hash; BuildHasher
);
impl_unique_entries!(BTreeMap<K, V>, btree_map, |_: Option<usize>| BTreeMap::new(), where K: Ord);
#[cfg(feature = "indexmap")]
impl_unique_entries!(
    IndexMap<K, V, S>,
    index_map,
    |hint: Option<usize>| IndexMap::with_capacity_and_hasher(hint.unwrap_or(0).min(4096), S::default()),
    where K: Eq, Hash; BuildHasher
);

/// Reads a map attribute, or `null` (`None`), with [`UniqueEntries`].
struct UniqueMap<M>(&'static str, PhantomData<fn() -> M>);

impl<'de, M: UniqueEntries<'de>> DeserializeSeed<'de> for UniqueMap<M> {
    type Value = Option<M>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Option<M>, D::Error> {
        deserializer.deserialize_option(self)
    }
}

impl<'de, M: UniqueEntries<'de>> Visitor<'de> for UniqueMap<M> {
    type Value = Option<M>;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("option")
    }

    fn visit_none<E: de::Error>(self) -> Result<Option<M>, E> {
        Ok(None)
    }

    fn visit_unit<E: de::Error>(self) -> Result<Option<M>, E> {
        Ok(None)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Option<M>, D::Error> {
        deserializer
            .deserialize_map(Entries(self.0, PhantomData))
            .map(Some)
    }
}

/// The map itself, for [`UniqueMap`].
struct Entries<M>(&'static str, PhantomData<fn() -> M>);

impl<'de, M: UniqueEntries<'de>> Visitor<'de> for Entries<M> {
    type Value = M;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("a map")
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<M, A::Error> {
        M::read_entries(map, self.0)
    }
}

/// The error for `null` on the required map attribute `name`.
fn null_for<E: de::Error>(name: &str) -> E {
    E::custom(format_args!("{NULL_FOR}{name}{CANNOT_BE_CLEARED}"))
}

/// Reads a required map attribute into its patch field (the derive's own reader): `null` is an
/// error naming the attribute, as [`read_required`](super::read_required) says it.
///
/// # Errors
///
/// `duplicate field` when the attribute was already read, `null`, a value that is not such a
/// map, and a key given twice.
#[inline]
pub fn read_required_map<'de, A, M>(
    map: &mut A,
    slot: &mut Option<M>,
    name: &'static str,
) -> Result<(), A::Error>
where
    A: MapAccess<'de>,
    M: UniqueEntries<'de>,
{
    if slot.is_some() {
        return Err(de::Error::duplicate_field(name));
    }
    match map.next_value_seed(UniqueMap(name, PhantomData))? {
        Some(value) => *slot = Some(value),
        None => return Err(null_for(name)),
    }
    Ok(())
}

/// Reads a nullable map attribute into its patch field (the derive's own reader): `null` is
/// [`Field::Null`].
///
/// # Errors
///
/// `duplicate field` when the attribute was already read, a value that is not such a map, and
/// a key given twice.
#[inline]
pub fn read_nullable_map<'de, A, M>(
    map: &mut A,
    slot: &mut Field<M>,
    name: &'static str,
) -> Result<(), A::Error>
where
    A: MapAccess<'de>,
    M: UniqueEntries<'de>,
{
    if !slot.is_absent() {
        return Err(de::Error::duplicate_field(name));
    }
    *slot = Field::from(map.next_value_seed(UniqueMap::<M>(name, PhantomData))?);
    Ok(())
}

/// `deserialize_with` of a required map attribute in a patch that serde's derives read.
///
/// # Errors
///
/// As [`read_required_map`].
pub fn deserialize_required_map<'de, D, M>(
    deserializer: D,
    name: &'static str,
) -> Result<Option<M>, D::Error>
where
    D: Deserializer<'de>,
    M: UniqueEntries<'de>,
{
    match UniqueMap(name, PhantomData).deserialize(deserializer)? {
        Some(value) => Ok(Some(value)),
        None => Err(null_for(name)),
    }
}

/// `deserialize_with` of a nullable map attribute in a patch that serde's derives read.
///
/// # Errors
///
/// As [`read_nullable_map`].
pub fn deserialize_nullable_map<'de, D, M>(
    deserializer: D,
    name: &'static str,
) -> Result<Field<M>, D::Error>
where
    D: Deserializer<'de>,
    M: UniqueEntries<'de>,
{
    UniqueMap::<M>(name, PhantomData)
        .deserialize(deserializer)
        .map(Field::<M>::from)
}
