//! Maps of untyped JSON (`HashMap<K, serde_json::Value>`, `BTreeMap<K, serde_json::Value>`,
//! `IndexMap<K, serde_json::Value>` with the feature `indexmap`),
//! such as PingOne's custom attributes: the derive patches them key by key, as any map, but
//! merges each entry's value by RFC 7396 §2 instead of replacing it, as a server that applies
//! the merge patch to the whole object does. Not a public API.

use core::hash::{BuildHasher, Hash};
use std::collections::{BTreeMap, HashMap};

#[cfg(feature = "indexmap")]
use indexmap::IndexMap;

use serde_json::Value;

use crate::{ComposeConflict, Field, MergeJson, MergeMap, merge_diff, merge_patch};

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

    /// Checks that [`then_entries`](MergeJsonMap::then_entries) can compose `next` after
    /// `first`.
    ///
    /// # Errors
    ///
    /// [`ComposeConflict`] naming the key (and the member below it) where `first` is null or
    /// not an object and `next` merges an object into it.
    fn check_then_entries(first: &Self::Patch, next: &Self::Patch) -> Result<(), ComposeConflict>;

    /// Composes `next` into `first` entry by entry, each entry's value by RFC 7396.
    fn then_entries(first: &mut Self::Patch, next: Self::Patch);
}

/// A map key as a conflict's path names it: its JSON string, or its JSON text.
fn key_name<K: serde::Serialize>(key: &K) -> String {
    match serde_json::to_value(key) {
        Ok(Value::String(name)) => name,
        Ok(other) => other.to_string(),
        Err(_) => String::from("?"),
    }
}

/// Checks one entry of two JSON map patches: null or a non-object in `first` cannot be
/// followed by an object in `next`.
fn check_then_entry(first: &Field<Value>, next: &Field<Value>) -> Result<(), ComposeConflict> {
    match (first, next) {
        (Field::Null, Field::Value(next)) if next.is_object() => Err(ComposeConflict::here()),
        (Field::Value(first), Field::Value(next)) => Value::check_then_patch(first, next),
        _ => Ok(()),
    }
}

/// Composes one entry of two JSON map patches.
fn then_entry(first: &mut Field<Value>, next: Field<Value>) {
    match (first, next) {
        (_, Field::Absent) => {}
        (Field::Value(first), Field::Value(next)) => Value::then_patch(first, next),
        (first, next) => *first = next,
    }
}

/// `patch` merged into nothing, as RFC 7396 §2 applies a patch to a missing member: the nulls
/// inside its objects are dropped.
fn built(patch: Value) -> Value {
    let mut value = Value::Null;
    merge_patch(&mut value, patch);
    value
}

macro_rules! impl_merge_json_map {
    ($map:ident<K $(, $hasher:ident)?>, $remove:ident, where K: $($key_bound:path),+ $(; $hb:path)?) => {
        impl<K: Clone + serde::Serialize + $($key_bound +)+ $(, $hasher: $hb + Default)?> MergeJsonMap
            for $map<K, Value $(, $hasher)?>
        {
            fn merge_entries(&mut self, patch: Self::Patch) {
                for (key, field) in patch {
                    match field {
                        Field::Absent => {}
                        // A JSON `null` value is written as `null`, which RFC 7396 reads as
                        // "remove": apply it so, as a server does.
                        Field::Null | Field::Value(Value::Null) => {
                            self.$remove(&key);
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

            fn check_then_entries(
                first: &Self::Patch,
                next: &Self::Patch,
            ) -> Result<(), ComposeConflict> {
                for (key, next) in next {
                    if let Some(first) = first.get(key) {
                        check_then_entry(first, next)
                            .map_err(|conflict| conflict.within(key_name(key)))?;
                    }
                }
                Ok(())
            }

            fn then_entries(first: &mut Self::Patch, next: Self::Patch) {
                for (key, next) in next {
                    match first.get_mut(&key) {
                        Some(first) => then_entry(first, next),
                        None if next.is_present() => {
                            first.insert(key, next);
                        }
                        None => {}
                    }
                }
            }
        }
    };
}

impl_merge_json_map!(BTreeMap<K>, remove, where K: Ord);
impl_merge_json_map!(HashMap<K, S>, remove, where K: Eq, Hash; BuildHasher);
#[cfg(feature = "indexmap")]
impl_merge_json_map!(IndexMap<K, S>, shift_remove, where K: Eq, Hash; BuildHasher);
