//! The reads of one field's value that the generated `read_field` calls.

use core::marker::PhantomData;

use serde::de::{DeserializeSeed, Error as _, IgnoredAny, MapAccess};
use serde::{Deserialize, Deserializer};

use crate::Field;

/// Reads a required attribute into its patch field: a value is `Some`, and `null` is an error
/// naming the attribute (`name`, as deserialized). With `NESTED` (a nested patch's field), an
/// error for `null` on a required attribute inside the nested patch names the path from this
/// field down (`name.street`).
///
/// # Errors
///
/// `duplicate field` when the key was already read, `null`, or a value that is not a `T`.
#[inline]
pub fn read_required<'de, A, T, const NESTED: bool>(
    map: &mut A,
    slot: &mut Option<T>,
    name: &'static str,
) -> Result<(), A::Error>
where
    A: MapAccess<'de>,
    T: Deserialize<'de>,
{
    if slot.is_some() {
        return Err(A::Error::duplicate_field(name));
    }
    *slot = map.next_value_seed(Required::<T, NESTED>(name, PhantomData))?;
    Ok(())
}

/// Reads a nullable attribute into its patch field: `null` is [`Field::Null`], a value is
/// [`Field::Value`].
///
/// # Errors
///
/// `duplicate field` when the key was already read, or a value that is not a `T`.
#[inline]
pub fn read_nullable<'de, A, T>(
    map: &mut A,
    slot: &mut Field<T>,
    name: &'static str,
) -> Result<(), A::Error>
where
    A: MapAccess<'de>,
    T: Deserialize<'de>,
{
    if !slot.is_absent() {
        return Err(A::Error::duplicate_field(name));
    }
    *slot = map.next_value()?;
    Ok(())
}

/// Skips a value; for a field number that no field has, which [`Keys`](super::Keys) never returns.
///
/// # Errors
///
/// The deserializer's error for malformed input.
#[inline]
pub fn skip_value<'de, A: MapAccess<'de>>(map: &mut A) -> Result<(), A::Error> {
    map.next_value::<IgnoredAny>().map(drop)
}

/// Reads a required attribute's value, refusing `null`; with `NESTED`, a nested patch's, whose
/// error for a `null` inside names the path from this field down.
struct Required<T, const NESTED: bool>(&'static str, PhantomData<fn() -> T>);

impl<'de, T: Deserialize<'de>, const NESTED: bool> DeserializeSeed<'de> for Required<T, NESTED> {
    type Value = Option<T>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Option<T>, D::Error> {
        super::super::deserialize_required::<D, T, NESTED>(deserializer, self.0)
    }
}
