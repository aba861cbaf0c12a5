//! Writing and reading a nullable attribute that a `#[serde(with)]` (`serialize_with`,
//! `deserialize_with`) function of the user's writes or reads: `null` is a clear, as RFC 7396
//! §2 says of every `null` in a merge patch, and the function reads the values. Such a
//! function may refuse `null` (one that reads `T::deserialize(d).map(Some)` beside
//! `skip_serializing_if = "Option::is_none"`, since the model never writes `None`), while the
//! patch writes a clear as `null`: called for `null`, it would leave the patch unable to read
//! its own JSON, MessagePack or CBOR. A value is written as the format's `Some` of what the
//! function writes, and read back through the format's `Option`: nothing more in a
//! self-describing format (JSON, YAML, MessagePack: `Some(x)` is `x`), and a tag that tells a
//! clear from a value in one that is not (postcard), whatever the function writes. Not a
//! public API.

use std::fmt;
use std::marker::PhantomData;

use serde::de::Visitor;
use serde::{Deserializer, Serialize, Serializer};

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

/// Reads the nullable field `FIELD` of the patch `R`, in any format, through its `Option`:
/// `null` (`None`, `()`) is [`Field::Null`], without calling the user's function; anything
/// else is what the function reads, `None` a clear. A binary format's value is read there too:
/// MessagePack's `nil` of a clear was handed to the function, which may refuse it.
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
    deserializer.deserialize_option(NullOrRead::<R, FIELD>(PhantomData))
}

/// The user's function of the nullable field `FIELD` (its place in the model) that writes
/// it, which the derive implements for the patch type.
pub trait WriteWith<const FIELD: usize> {
    /// The model field's type, which the function takes.
    type Model: Nullable;

    /// The user's function.
    ///
    /// # Errors
    ///
    /// The function's.
    fn write<S: Serializer>(model: &Self::Model, serializer: S) -> Result<S::Ok, S::Error>;
}

/// Writes the value of the nullable field `FIELD` of the patch `W`, held in the model's
/// `model` (built by the derive where the user's attribute is written): the format's `Some`
/// of what the user's function writes, which [`deserialize_nullable_with`] reads.
///
/// # Errors
///
/// The function's, and the serializer's.
#[inline]
pub fn serialize_nullable_with<W, const FIELD: usize, S>(
    model: &W::Model,
    serializer: S,
) -> Result<S::Ok, S::Error>
where
    W: WriteWith<FIELD>,
    S: Serializer,
{
    serializer.serialize_some(&WrittenWith::<W, FIELD>(model, PhantomData))
}

/// A model field's value as the user's function writes it.
struct WrittenWith<'a, W: WriteWith<FIELD>, const FIELD: usize>(&'a W::Model, PhantomData<W>);

impl<W: WriteWith<FIELD>, const FIELD: usize> Serialize for WrittenWith<'_, W, FIELD> {
    #[inline]
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        W::write(self.0, serializer)
    }
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
