//! A nullable field's calls: the model holds `O`, an `Option<T>`, the patch `Field<S::Patch>`.

use super::super::Nullable;
use super::{Build, Delta};
use crate::{ApplyError, Field};

/// Checks a nullable field's patch against the model: a nested value that lands on `None`
/// must build the nested model from nothing.
///
/// # Errors
///
/// A nested [`ApplyError`], with `name` in front of its path.
#[inline]
pub fn check_nullable<S: Build<O::Value>, O: Nullable>(
    target: &O,
    patch: &Field<S::Patch>,
    name: &'static str,
) -> Result<(), ApplyError> {
    let Field::Value(patch) = patch else {
        return Ok(());
    };
    match target.as_option() {
        Some(target) => S::check(target, patch),
        None => S::check_build(patch),
    }
    .map_err(|error| error.within(name))
}

/// Applies a nullable field's patch: null clears, a value merges (or builds on `None`), absent
/// keeps.
///
/// # Errors
///
/// As [`check_nullable`]; never once it has passed.
#[inline]
pub fn apply_nullable<S: Build<O::Value>, O: Nullable>(
    target: &mut O,
    patch: Field<S::Patch>,
    name: &'static str,
) -> Result<(), ApplyError> {
    let target = target.as_option_mut();
    match patch {
        Field::Absent => Ok(()),
        Field::Null => {
            *target = None;
            Ok(())
        }
        Field::Value(patch) => match target {
            Some(target) => S::merge(target, patch),
            None => S::build(patch).map(|value| *target = Some(value)),
        }
        .map_err(|error| error.within(name)),
    }
}

/// Checks that a nullable field can be built from its patch alone.
///
/// # Errors
///
/// A nested [`ApplyError`], with `name` in front of its path.
#[inline]
pub fn check_build_nullable<S: Build<O::Value>, O: Nullable>(
    patch: &Field<S::Patch>,
    name: &'static str,
) -> Result<(), ApplyError> {
    match patch {
        Field::Value(patch) => S::check_build(patch).map_err(|error| error.within(name)),
        _ => Ok(()),
    }
}

/// Builds a nullable field from its patch alone: absent and null give `None`.
///
/// # Errors
///
/// As [`check_build_nullable`].
#[inline]
pub fn build_nullable<S: Build<O::Value>, O: Nullable>(
    patch: Field<S::Patch>,
    name: &'static str,
) -> Result<O, ApplyError> {
    match patch {
        Field::Value(patch) => S::build(patch)
            .map(|value| O::from_option(Some(value)))
            .map_err(|error| error.within(name)),
        _ => Ok(O::from_option(None)),
    }
}

/// The patch of a nullable field from `current` to `target`: absent when equal, null when the
/// value goes away, the full value when it appears.
#[inline]
pub fn diff_nullable<S: Delta<O::Value>, O: Nullable>(current: &O, target: &O) -> Field<S::Patch> {
    match (current.as_option(), target.as_option()) {
        (Some(current), Some(target)) => match S::delta(current, target) {
            Some(patch) => Field::Value(patch),
            None => Field::Absent,
        },
        (None, Some(target)) => Field::Value(S::full(target)),
        (Some(_), None) => Field::Null,
        (None, None) => Field::Absent,
    }
}

/// The patch of a nullable field that builds `value` from nothing: `None` is absent.
#[inline]
pub fn full_nullable<S: Delta<O::Value>, O: Nullable>(value: &O) -> Field<S::Patch> {
    match value.as_option() {
        Some(value) => Field::Value(S::full(value)),
        None => Field::Absent,
    }
}
