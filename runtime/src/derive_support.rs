//! Support for the code that `#[derive(Patchable)]` generates. Not a public API: names and
//! signatures here may change in any release.

pub use core;
pub use serde;

use serde::{Deserialize, Deserializer, de::Error as _};

/// Reads a required attribute's patch field: a value is `Some`, and `null`, which would clear an
/// attribute that may not be cleared, is an error naming the attribute (`name`, as serialized).
///
/// # Errors
///
/// The deserializer's error for `null`, or for a value that is not a `T`.
pub fn deserialize_required<'de, D, T>(
    deserializer: D,
    name: &'static str,
) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    match Option::<T>::deserialize(deserializer)? {
        Some(value) => Ok(Some(value)),
        None => Err(D::Error::custom(format_args!(
            "invalid value: null for `{name}`, a required attribute that cannot be cleared"
        ))),
    }
}

/// Writes a map patch without its absent entries; `serialize_with` of flattened map patches.
///
/// # Errors
///
/// The serializer's error.
pub fn serialize_map_patch<M, S>(map: &M, serializer: S) -> Result<S::Ok, S::Error>
where
    M: crate::SerializeMapPatch,
    S: serde::Serializer,
{
    map.serialize_map_patch(serializer)
}

/// The value type of a nullable attribute: `T` for `Option<T>`. Lets the derive name it when
/// the model spells the `Option` through a type alias (`#[patchable(nullable)]`).
#[diagnostic::on_unimplemented(
    message = "`#[patchable(nullable)]` needs an `Option`, and `{Self}` is not one",
    label = "not an `Option<T>`"
)]
pub trait Nullable {
    /// The `T` of `Option<T>`.
    type Value;
}

impl<T> Nullable for Option<T> {
    type Value = T;
}
