//! [`DroppedKey`]: the patch field that reads a skipped attribute's key and drops its value.

use serde::de::IgnoredAny;
use serde::{Deserialize, Deserializer};

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
