//! twilight-model's `Id<T>` (`id/mod.rs`), for the tests of models from public API clients: a
//! non-zero `u64` written as a JSON string, typed by a marker `T`. Its `Clone`, `PartialEq`,
//! `Debug`, serde and schema impls are written by hand, not derived, so they ask nothing of the
//! marker, as twilight's do.

use std::borrow::Cow;
use std::fmt::Debug;
use std::marker::PhantomData;
use std::num::NonZeroU64;

use serde::{Deserialize, Serialize};

/// An ID of the kind of thing that `T` marks.
pub struct Id<T> {
    value: NonZeroU64,
    phantom: PhantomData<fn(T) -> T>,
}

impl<T> Id<T> {
    /// The ID `n`.
    ///
    /// # Panics
    ///
    /// When `n` is zero, which no twilight ID is.
    pub const fn new(n: u64) -> Self {
        match NonZeroU64::new(n) {
            Some(value) => Id {
                value,
                phantom: PhantomData,
            },
            None => panic!("zero id"),
        }
    }
}

impl<T> Clone for Id<T> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<T> Copy for Id<T> {}
impl<T> PartialEq for Id<T> {
    fn eq(&self, other: &Self) -> bool {
        self.value == other.value
    }
}
impl<T> Debug for Id<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Id({})", self.value)
    }
}
impl<T> Serialize for Id<T> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(&self.value)
    }
}
impl<'de, T> Deserialize<'de> for Id<T> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = Cow::<'de, str>::deserialize(deserializer)?;
        text.parse()
            .map(|value| Id {
                value,
                phantom: PhantomData,
            })
            .map_err(serde::de::Error::custom)
    }
}
impl<T> schemars::JsonSchema for Id<T> {
    fn schema_name() -> Cow<'static, str> {
        "Id".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({"type": "string"})
    }
}
