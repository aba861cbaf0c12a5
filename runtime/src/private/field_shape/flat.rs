//! A flattened field's calls: the patch holds `S::Patch` itself.

use super::{Build, Delta, Flat, Merge};
use crate::ApplyError;

/// Checks a flattened field's patch against the model.
///
/// # Errors
///
/// A nested [`ApplyError`], whose path starts in the parent.
#[inline]
pub fn check_flat<S: Merge<T>, T>(target: &T, patch: &S::Patch) -> Result<(), ApplyError> {
    S::check(target, patch)
}

/// Applies a flattened field's patch.
///
/// # Errors
///
/// As [`check_flat`]; never once it has passed.
#[inline]
pub fn apply_flat<S: Merge<T>, T>(target: &mut T, patch: S::Patch) -> Result<(), ApplyError> {
    S::merge(target, patch)
}

/// Checks that a flattened field can be built from its patch alone.
///
/// # Errors
///
/// A nested [`ApplyError`], whose path starts in the parent.
#[inline]
pub fn check_build_flat<S: Build<T>, T>(patch: &S::Patch) -> Result<(), ApplyError> {
    S::check_build(patch)
}

/// Builds a flattened field from its patch alone.
///
/// # Errors
///
/// As [`check_build_flat`].
#[inline]
pub fn build_flat<S: Build<T>, T>(patch: S::Patch) -> Result<T, ApplyError> {
    S::build(patch)
}

/// Returns `true` when a flattened field's patch changes nothing.
#[inline]
pub fn is_empty_flat<S: Merge<T>, T>(patch: &S::Patch) -> bool {
    S::is_empty(patch)
}

/// The patch of a flattened field from `current` to `target`.
#[inline]
pub fn diff_flat<S: Flat<T> + Delta<T>, T>(current: &T, target: &T) -> S::Patch {
    S::diff(current, target)
}

/// The patch of a flattened field that builds `value` from nothing.
#[inline]
pub fn full_flat<S: Delta<T>, T>(value: &T) -> S::Patch {
    S::full(value)
}
