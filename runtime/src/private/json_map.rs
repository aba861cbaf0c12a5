//! Maps of untyped JSON (`HashMap<K, serde_json::Value>`, `BTreeMap<K, serde_json::Value>`),
//! such as PingOne's custom attributes: the derive patches them key by key, as any map, but
//! merges each entry's value by RFC 7396 §2 instead of replacing it, as a server that applies
//! the merge patch to the whole object does. Not a public API.

use core::hash::{BuildHasher, Hash};
use std::collections::{BTreeMap, HashMap};

use serde_json::Value;

use crate::{Field, MergeMap, merge_diff, merge_patch};

/// A map of JSON values whose entries merge by RFC 7396.
pub trait MergeJsonMap: MergeMap {
    /// Applies `patch`: a null entry removes the key, a value is merged into the entry (or into
    /// nothing, for a new key), an absent entry keeps it (RFC 7396 §2).
    fn merge_entries(&mut self, patch: Self::Patch);

    /// The smallest patch from `self` to `target`: removed keys null, changed entries the merge
    /// patch between the two values ([`merge_diff`]), new keys their value.
    fn diff_entries(&self, target: &Self) -> Self::Patch;

    /// The patch that builds `self` from nothing: every entry as a value.
    fn to_entries(&self) -> Self::Patch;
}

/// `patch` merged into nothing, as RFC 7396 §2 applies a patch to a missing member: the nulls
/// inside its objects are dropped.
fn built(patch: Value) -> Value {
    let mut value = Value::Null;
    merge_patch(&mut value, patch);
    value
}

macro_rules! impl_merge_json_map {
    ($map:ident<K $(, $hasher:ident)?> where K: $($key_bound:path),+ $(; $hb:path)?) => {
        impl<K: Clone + $($key_bound +)+ $(, $hasher: $hb + Default)?> MergeJsonMap
            for $map<K, Value $(, $hasher)?>
        {
            fn merge_entries(&mut self, patch: Self::Patch) {
                for (key, field) in patch {
                    match field {
                        Field::Absent => {}
                        Field::Null => {
                            self.remove(&key);
                        }
                        Field::Value(value) => match self.get_mut(&key) {
                            Some(current) => merge_patch(current, value),
                            None => {
                                self.insert(key, built(value));
                            }
                        },
                    }
                }
            }

            fn diff_entries(&self, target: &Self) -> Self::Patch {
                let removed = self
                    .keys()
                    .filter(|key| !target.contains_key(*key))
                    .map(|key| (key.clone(), Field::Null));
                let changed = target.iter().filter_map(|(key, value)| match self.get(key) {
                    Some(current) if current == value => None,
                    Some(current) => Some((key.clone(), Field::Value(merge_diff(current, value)))),
                    None => Some((key.clone(), Field::Value(value.clone()))),
                });
                removed.chain(changed).collect()
            }

            fn to_entries(&self) -> Self::Patch {
                self.iter()
                    .map(|(key, value)| (key.clone(), Field::Value(value.clone())))
                    .collect()
            }
        }
    };
}

impl_merge_json_map!(BTreeMap<K> where K: Ord);
impl_merge_json_map!(HashMap<K, S> where K: Eq, Hash; BuildHasher);
