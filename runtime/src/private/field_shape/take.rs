//! The builds of a field whose shape cannot fail to build, once the whole patch is checked.

use super::super::Nullable;
use super::{Build, built_before_checked};
use crate::Field;

/// Builds a required field whose shape cannot fail to build (every shape but
/// [`Nested`](super::Nested)), once `check_from_patch` has found it present: a call without a
/// `Result`, so that the generated `from_patch` needs no `match` per field.
///
/// # Panics
///
/// When the field is absent, which the generated `from_patch` rules out by checking the whole
/// patch first.
#[inline]
pub fn take_required<S: Build<T>, T>(patch: Option<S::Patch>) -> T {
    match patch.map(S::build) {
        Some(Ok(value)) => value,
        _ => built_before_checked(),
    }
}

/// Builds a nullable field whose shape cannot fail to build (every shape but
/// [`Nested`](super::Nested)): absent and null give `None`.
///
/// # Panics
///
/// Never for the shapes it is called with, whose `build` always succeeds.
#[inline]
pub fn take_nullable<S: Build<O::Value>, O: Nullable>(patch: Field<S::Patch>) -> O {
    match patch {
        Field::Value(patch) => match S::build(patch) {
            Ok(value) => O::from_option(Some(value)),
            Err(_) => built_before_checked(),
        },
        _ => O::from_option(None),
    }
}

/// Builds a flattened field whose shape cannot fail to build (a map).
///
/// # Panics
///
/// Never for the shapes it is called with, whose `build` always succeeds.
#[inline]
pub fn take_flat<S: Build<T>, T>(patch: S::Patch) -> T {
    match S::build(patch) {
        Ok(value) => value,
        Err(_) => built_before_checked(),
    }
}
