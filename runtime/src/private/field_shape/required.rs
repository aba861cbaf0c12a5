//! A required field's calls: the model holds `T`, the patch `Option<S::Patch>`.

use super::{Build, Delta, Merge};
use crate::ApplyError;

/// Checks a required field's patch against the model.
///
/// # Errors
///
/// A nested [`ApplyError`], with `name` in front of its path.
#[inline]
pub fn check_required<S: Merge<T>, T>(
    target: &T,
    patch: &Option<S::Patch>,
    name: &'static str,
) -> Result<(), ApplyError> {
    match patch {
        Some(patch) => S::check(target, patch).map_err(|error| error.within(name)),
        None => Ok(()),
    }
}

/// Applies a required field's patch: a value merges, absent keeps.
///
/// # Errors
///
/// As [`check_required`]; never once it has passed.
#[inline]
pub fn apply_required<S: Merge<T>, T>(
    target: &mut T,
    patch: Option<S::Patch>,
    name: &'static str,
) -> Result<(), ApplyError> {
    match patch {
        Some(patch) => S::merge(target, patch).map_err(|error| error.within(name)),
        None => Ok(()),
    }
}

/// Checks that a required field can be built from its patch alone.
///
/// # Errors
///
/// [`ApplyError::missing_required`] when the field is absent, or a nested error.
#[inline]
pub fn check_build_required<S: Build<T>, T>(
    patch: &Option<S::Patch>,
    name: &'static str,
) -> Result<(), ApplyError> {
    match patch {
        Some(patch) => S::check_build(patch).map_err(|error| error.within(name)),
        None => Err(ApplyError::missing_required(name)),
    }
}

/// Builds a required field from its patch alone.
///
/// # Errors
///
/// As [`check_build_required`].
#[inline]
pub fn build_required<S: Build<T>, T>(
    patch: Option<S::Patch>,
    name: &'static str,
) -> Result<T, ApplyError> {
    match patch {
        Some(patch) => S::build(patch).map_err(|error| error.within(name)),
        None => Err(ApplyError::missing_required(name)),
    }
}

/// The patch of a required field from `current` to `target`: absent when equal.
#[inline]
pub fn diff_required<S: Delta<T>, T>(current: &T, target: &T) -> Option<S::Patch> {
    S::delta(current, target)
}

/// The patch of a required field that builds `value` from nothing.
#[inline]
pub fn full_required<S: Delta<T>, T>(value: &T) -> Option<S::Patch> {
    Some(S::full(value))
}
