//! The field functions of a plain value (a field that a value replaces whole, RFC 7396 §2),
//! the shape that most fields have: the same work as the [`Plain`](super::Plain) arm of the
//! shape functions in `field_shape`, without the shape trait (and, for a field written
//! `Option<T>`, without the `Nullable` trait), whose impl selection and projection rustc would
//! otherwise resolve at every call. Not a public API.

use super::field_shape::built_before_checked;
use crate::{ApplyError, Field};

// ----- required: the model holds `T`, the patch `Option<T>` -----

/// Applies a required value: a value replaces, absent keeps.
#[inline]
pub fn apply_value<T>(target: &mut T, patch: Option<T>) {
    if let Some(value) = patch {
        *target = value;
    }
}

/// Checks that a required value is present, so that the model can be built from the patch.
///
/// # Errors
///
/// [`ApplyError::missing_required`] naming the attribute (`name`, as serialized).
#[inline]
pub fn check_build_value<T>(patch: &Option<T>, name: &'static str) -> Result<(), ApplyError> {
    match patch {
        Some(_) => Ok(()),
        None => Err(ApplyError::missing_required(name)),
    }
}

/// Takes a required value that [`check_build_value`] has found present.
///
/// # Panics
///
/// When the value is absent, which the generated `from_patch` rules out by checking the whole
/// patch first.
#[inline]
pub fn take_value<T>(patch: Option<T>) -> T {
    match patch {
        Some(value) => value,
        None => built_before_checked(),
    }
}

/// The patch of a required value from `current` to `target`: absent when equal.
#[inline]
pub fn diff_value<T: PartialEq + Clone>(current: &T, target: &T) -> Option<T> {
    (current != target).then(|| target.clone())
}

/// The patch of a required value that builds `value` from nothing.
#[inline]
pub fn full_value<T: Clone>(value: &T) -> Option<T> {
    Some(value.clone())
}

// ----- nullable: the model holds `Option<T>`, the patch `Field<T>` -----

/// Applies a nullable value: null clears, a value replaces, absent keeps.
#[inline]
pub fn apply_nullable_value<T>(target: &mut Option<T>, patch: Field<T>) {
    patch.apply_to(target);
}

/// Takes a nullable value: absent and null give `None`.
#[inline]
pub fn take_nullable_value<T>(patch: Field<T>) -> Option<T> {
    patch.into_value()
}

/// The patch of a nullable value from `current` to `target`: absent when equal, null when the
/// value goes away, the new value otherwise.
#[inline]
pub fn diff_nullable_value<T: PartialEq + Clone>(
    current: &Option<T>,
    target: &Option<T>,
) -> Field<T> {
    Field::diff(current, target)
}

/// The patch of a nullable value that builds `value` from nothing: `None` is absent.
#[inline]
pub fn full_nullable_value<T: Clone>(value: &Option<T>) -> Field<T> {
    match value {
        Some(value) => Field::Value(value.clone()),
        None => Field::Absent,
    }
}
