//! [`MergeMap`]: RFC 7396 merging of map attributes, key by key.

use core::hash::{BuildHasher, Hash};
use std::collections::{BTreeMap, HashMap};

#[cfg(feature = "indexmap")]
use indexmap::IndexMap;

use crate::Field;

/// A map attribute that a patch changes key by key, as RFC 7396 §2 merges JSON objects: in the
/// patch, a key with a value sets that key, a key with `null` removes it, and keys left out are
/// kept.
///
/// `#[derive(Patchable)]` gives a `HashMap<K, V>` or `BTreeMap<K, V>` field the patch type
/// `M<K, Field<V>>`, and so an `IndexMap<K, V>` (indexmap 2) with the feature `indexmap`, whose
/// merge keeps the order of the keys it does not remove and puts new keys last (and, with
/// `#[patchable(map)]`, any type that implements this trait its [`Patch`](MergeMap::Patch)).
/// Values are replaced whole: a map of objects is not merged recursively. (A derived patch of a
/// map of `serde_json::Value` merges each entry by RFC 7396 instead, as a server that applies
/// the patch to the whole document does.)
///
/// ```
/// use std::collections::BTreeMap;
/// use sparse_patch::{Field, MergeMap};
///
/// let mut labels = BTreeMap::from([("team", "blue"), ("tier", "gold")]);
/// labels.merge(BTreeMap::from([("tier", Field::Null), ("site", Field::Value("eu"))]));
/// assert_eq!(labels, BTreeMap::from([("team", "blue"), ("site", "eu")]));
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a map that a patch can merge key by key",
    label = "not a `MergeMap`",
    note = "`HashMap` and `BTreeMap` are merged key by key, and `IndexMap` with sparse-patch's feature `indexmap`; wrap another map in a type that implements `MergeMap`, or mark the field `#[patchable(replace)]` if its JSON is not an object"
)]
pub trait MergeMap: Sized {
    /// The patch of the map: the same map with [`Field`] values.
    type Patch: Default;

    /// Applies `patch` key by key: a value inserts or replaces, null removes, absent keeps.
    fn merge(&mut self, patch: Self::Patch);

    /// Builds a map from a patch, as RFC 7396 §2 merges a patch object into nothing: null
    /// entries are dropped.
    #[must_use]
    fn from_patch(patch: Self::Patch) -> Self;

    /// Returns `true` when the patch holds no entry that is null or a value (no key, or only
    /// absent ones), so that it changes nothing and writes no entry.
    fn is_empty_patch(patch: &Self::Patch) -> bool;

    /// Composes `next` into `first`, so that `first` does the work of the two patches applied
    /// in turn ([`Patch::then`](crate::Patch::then)): an entry that `next` holds (null or a
    /// value) replaces `first`'s entry for that key, the others are kept.
    fn then_patch(first: &mut Self::Patch, next: Self::Patch);
}

/// A [`MergeMap`] whose keys are `Clone` and values `PartialEq + Clone`, so that a patch can be
/// computed between two maps.
pub trait DiffMap: MergeMap {
    /// The smallest patch from `self` to `target`: changed and new keys with their values,
    /// removed keys with null.
    #[must_use]
    fn diff_map(&self, target: &Self) -> Self::Patch;

    /// The patch that builds `self` from nothing: every entry as a value.
    #[must_use]
    fn to_map_patch(&self) -> Self::Patch;
}

/// A map patch that can be written without its absent entries: an absent entry means "no
/// change", so it must not be sent as `null`.
pub trait SerializeMapPatch {
    /// Writes the entries that are null or a value, as a map of known length. In a format
    /// that has no null (TOML), an entry that is null is an error rather than a key left out,
    /// which would keep the entry instead of removing it.
    ///
    /// # Errors
    ///
    /// The serializer's error.
    fn serialize_map_patch<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error>;
}

macro_rules! impl_merge_map {
    ($map:ident<K, V $(, $hasher:ident)?>, $remove:ident, where K: $($key_bound:path),+ $(; $hb:path)?) => {
        impl<K: $($key_bound +)+, V $(, $hasher: $hb + Default)?> MergeMap for $map<K, V $(, $hasher)?> {
            type Patch = $map<K, Field<V> $(, $hasher)?>;

            fn merge(&mut self, patch: Self::Patch) {
                for (key, field) in patch {
                    match field {
                        Field::Absent => {}
                        Field::Null => {
                            self.$remove(&key);
                        }
                        Field::Value(value) => {
                            self.insert(key, value);
                        }
                    }
                }
            }

            fn from_patch(patch: Self::Patch) -> Self {
                patch
                    .into_iter()
                    .filter_map(|(key, field)| field.into_value().map(|value| (key, value)))
                    .collect()
            }

            fn is_empty_patch(patch: &Self::Patch) -> bool {
                patch.values().all(Field::is_absent)
            }

            fn then_patch(first: &mut Self::Patch, next: Self::Patch) {
                first.extend(next.into_iter().filter(|(_, field)| field.is_present()));
            }
        }

        impl<K: serde::Serialize, V: serde::Serialize $(, $hasher)?> SerializeMapPatch
            for $map<K, Field<V> $(, $hasher)?>
        {
            fn serialize_map_patch<Ser: serde::Serializer>(
                &self,
                serializer: Ser,
            ) -> Result<Ser::Ok, Ser::Error> {
                crate::private::serialize_map_entries(serializer, self.iter())
            }
        }

        impl<K: Clone + $($key_bound +)+, V: PartialEq + Clone $(, $hasher: $hb + Default)?> DiffMap
            for $map<K, V $(, $hasher)?>
        {
            fn diff_map(&self, target: &Self) -> Self::Patch {
                let removed = self
                    .keys()
                    .filter(|key| !target.contains_key(*key))
                    .map(|key| (key.clone(), Field::Null));
                let changed = target
                    .iter()
                    .filter(|(key, value)| self.get(*key) != Some(*value))
                    .map(|(key, value)| (key.clone(), Field::Value(value.clone())));
                removed.chain(changed).collect()
            }

            fn to_map_patch(&self) -> Self::Patch {
                self.iter()
                    .map(|(key, value)| (key.clone(), Field::Value(value.clone())))
                    .collect()
            }
        }
    };
}

impl_merge_map!(BTreeMap<K, V>, remove, where K: Ord);
impl_merge_map!(HashMap<K, V, S>, remove, where K: Eq, Hash; BuildHasher);
// A removed key's neighbours keep their order (`shift_remove`), and a new key goes last, as a
// server that keeps its members in order (serde_json's `preserve_order`) applies the patch.
#[cfg(feature = "indexmap")]
impl_merge_map!(IndexMap<K, V, S>, shift_remove, where K: Eq, Hash; BuildHasher);
