//! Reading a nullable attribute that a `#[serde(deserialize_with)]` (or `with`) function of
//! the user's reads: `null` is a clear, as RFC 7396 §2 says of every `null` in a merge patch,
//! and the function reads the values. Such a function may refuse `null` (one that reads
//! `T::deserialize(d).map(Some)` beside `skip_serializing_if = "Option::is_none"`, since the
//! model never writes `None`), while the patch writes a clear as `null`: called for `null`,
//! it would leave the patch unable to read its own JSON. Not a public API.

use std::fmt;
use std::marker::PhantomData;

use serde::Deserializer;
use serde::de::Visitor;

use super::{Nullable, field_of};
use crate::Field;

/// The user's function of the nullable field `FIELD` (its place in the model), which the
/// derive implements for the patch type: `read` calls it.
pub trait ReadWith<'de, const FIELD: usize> {
    /// The model field's type, which the function returns.
    type Model: Nullable;

    /// The user's function.
    ///
    /// # Errors
    ///
    /// The function's.
    fn read<D: Deserializer<'de>>(deserializer: D) -> Result<Self::Model, D::Error>;
}

/// Reads the nullable field `FIELD` of the patch `R`: `null` (`None`, `()`) is
/// [`Field::Null`], without calling the user's function; anything else is what the function
/// reads, `None` a clear. A format that is not `is_human_readable` (MessagePack, postcard)
/// is left to the function alone, which reads what it wrote there (an `Option`'s tag or
/// none).
///
/// # Errors
///
/// The function's, and the deserializer's.
pub fn deserialize_nullable_with<'de, R, const FIELD: usize, D>(
    deserializer: D,
) -> Result<Field<<R::Model as Nullable>::Value>, D::Error>
where
    R: ReadWith<'de, FIELD>,
    D: Deserializer<'de>,
{
    if !deserializer.is_human_readable() {
        return R::read(deserializer).map(field_of);
    }
    deserializer.deserialize_option(NullOrRead::<R, FIELD>(PhantomData))
}

/// The visitor of [`deserialize_nullable_with`].
struct NullOrRead<R, const FIELD: usize>(PhantomData<R>);

impl<'de, R: ReadWith<'de, FIELD>, const FIELD: usize> Visitor<'de> for NullOrRead<R, FIELD> {
    type Value = Field<<R::Model as Nullable>::Value>;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("null or the attribute's value")
    }

    fn visit_none<E: serde::de::Error>(self) -> Result<Self::Value, E> {
        Ok(Field::Null)
    }

    fn visit_unit<E: serde::de::Error>(self) -> Result<Self::Value, E> {
        Ok(Field::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        R::read(deserializer).map(field_of)
    }
}
