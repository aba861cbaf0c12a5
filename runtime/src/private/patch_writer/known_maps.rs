//! [`MapNullValues`] and [`FlatEntries`] for the derive's known map patch types.

use std::collections::{BTreeMap, HashMap};
use std::hash::BuildHasher;

use serde::Serialize;
use serde::ser::SerializeMap;

use super::super::null_probe::writes_null;
use super::flat::write_present_entries;
use super::written_twice::KeysSoFar;
use super::{FlatEntries, MapNullValues};
use crate::Field;

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
            fn write_entries<S: SerializeMap>(
                &self,
                map: &mut S,
                keys: &mut KeysSoFar,
            ) -> Result<(), S::Error> {
                write_present_entries(self.iter(), map, keys)
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
