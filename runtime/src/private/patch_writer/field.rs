//! [`PatchSlot`]: a patch field, and the writes of one field of a required or nullable
//! attribute.

use serde::{Serialize, Serializer};

use super::super::null_probe::NeverNull;
use super::super::unwritable_null::{Null, NullOf};
use super::{PatchWriter, SomeValue};
use crate::Field;

/// A patch field: `Option<T>` for a required attribute, [`Field<T>`] for a nullable one.
pub trait PatchSlot: Serialize {
    /// The value a present field holds.
    type Value: Serialize;

    /// Whether the field is absent, and so left out of the JSON.
    fn is_absent(&self) -> bool;

    /// The value, where the field holds one (not absent, not a clear), which it writes as
    /// serde writes `Some(value)`.
    fn present_value(&self) -> Option<&Self::Value>;

    /// Whether the attribute may be null (a [`Field`]).
    const NULLABLE: bool;
}

impl<T: Serialize> PatchSlot for Option<T> {
    type Value = T;

    #[inline]
    fn is_absent(&self) -> bool {
        self.is_none()
    }

    #[inline]
    fn present_value(&self) -> Option<&T> {
        self.as_ref()
    }

    const NULLABLE: bool = false;
}

impl<T: Serialize> PatchSlot for Field<T> {
    type Value = T;

    #[inline]
    fn is_absent(&self) -> bool {
        Field::is_absent(self)
    }

    #[inline]
    fn present_value(&self) -> Option<&T> {
        match self {
            Field::Value(value) => Some(value),
            Field::Absent | Field::Null => None,
        }
    }

    const NULLABLE: bool = true;
}

/// Writes `value`, a present patch value of the attribute `name`, as `Some(value)`, failing
/// where it is written `null` ([`NeverNull`]): the `serialize_with` of a plain field whose
/// JSON the derive cannot see, in a patch that serde's derive writes.
///
/// # Errors
///
/// A value written `null`, and the serializer's errors.
#[inline]
pub fn serialize_never_null<T: Serialize + ?Sized, S: Serializer>(
    value: &T,
    serializer: S,
    name: &'static str,
    nullable: bool,
) -> Result<S::Ok, S::Error> {
    serializer.serialize_some(&NeverNull {
        value,
        name,
        nullable,
    })
}

/// 1 for a field that is written, 0 for an absent one: the patch's length is their sum.
#[inline]
pub fn present<F: PatchSlot>(slot: &F) -> usize {
    usize::from(!slot.is_absent())
}

/// Writes a patch field under `name`, or skips it when absent. A `null` that the format
/// cannot write (TOML) is an error naming the attribute ([`Null`]).
#[inline(always)]
pub fn write_field<W: PatchWriter, F: PatchSlot>(writer: &mut W, name: &'static str, slot: &F) {
    match slot.present_value() {
        Some(value) => writer.write(name, &SomeValue(value)),
        None if slot.is_absent() => writer.skip(name),
        None => writer.write(name, &Null(NullOf::Attribute)),
    }
}

/// [`write_field`] for a field whose value's type names a type parameter of the model: a
/// value written `null` (the parameter is an `Option`) fails the write instead of sending a
/// `null` that removes the attribute.
#[inline]
pub fn write_checked_field<W: PatchWriter, F: PatchSlot>(
    writer: &mut W,
    name: &'static str,
    slot: &F,
) {
    match slot.present_value() {
        Some(value) => writer.write(
            name,
            &SomeValue(NeverNull {
                value,
                name,
                nullable: F::NULLABLE,
            }),
        ),
        None if slot.is_absent() => writer.skip(name),
        None => writer.write(name, &Null(NullOf::Attribute)),
    }
}
