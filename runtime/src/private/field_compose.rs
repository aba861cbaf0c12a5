//! How the derive composes one field of two patches ([`Patch::then`](crate::Patch::then)), by
//! the field's shape and presence, as `field_shape` applies it: the later patch wins, and a
//! nested, map or JSON patch in both is composed member by member. Not a public API.

use super::field_shape::{Json, JsonMap, Map, Merge, Nested, Plain};
use super::{MergeJsonMap, Nullable};
use crate::{ComposeConflict, Field, MergeJson, MergeMap, Patch, Patchable};

/// How two patch values of this shape compose.
pub trait Compose<T>: Merge<T> {
    /// Checks that `next` can be composed after `first`.
    ///
    /// # Errors
    ///
    /// [`ComposeConflict`] below this value.
    fn check_then(first: &Self::Patch, next: &Self::Patch) -> Result<(), ComposeConflict>;

    /// Composes `next` into `first`, once [`check_then`](Compose::check_then) has passed.
    fn then(first: &mut Self::Patch, next: Self::Patch);

    /// Checks that `next` can follow `null`: only a value that replaces whole can, since a
    /// patch that merges would build the attribute anew after the null, and one merge patch
    /// cannot say "remove, then build from nothing".
    ///
    /// # Errors
    ///
    /// [`ComposeConflict::here`] when `next` merges.
    fn check_after_null(next: &Self::Patch) -> Result<(), ComposeConflict>;
}

impl<T> Compose<T> for Plain {
    #[inline]
    fn check_then(_: &T, _: &T) -> Result<(), ComposeConflict> {
        Ok(())
    }

    #[inline]
    fn then(first: &mut T, next: T) {
        *first = next;
    }

    #[inline]
    fn check_after_null(_: &T) -> Result<(), ComposeConflict> {
        Ok(())
    }
}

impl<T: Patchable> Compose<T> for Nested {
    #[inline]
    fn check_then(first: &T::Patch, next: &T::Patch) -> Result<(), ComposeConflict> {
        first.check_then(next)
    }

    #[inline]
    fn then(first: &mut T::Patch, next: T::Patch) {
        first.then_checked(next);
    }

    #[inline]
    fn check_after_null(_: &T::Patch) -> Result<(), ComposeConflict> {
        Err(ComposeConflict::here())
    }
}

impl<T: MergeMap> Compose<T> for Map {
    #[inline]
    fn check_then(_: &T::Patch, _: &T::Patch) -> Result<(), ComposeConflict> {
        Ok(())
    }

    #[inline]
    fn then(first: &mut T::Patch, next: T::Patch) {
        T::then_patch(first, next);
    }

    #[inline]
    fn check_after_null(_: &T::Patch) -> Result<(), ComposeConflict> {
        Err(ComposeConflict::here())
    }
}

impl<T: MergeJson> Compose<T> for Json {
    #[inline]
    fn check_then(first: &T, next: &T) -> Result<(), ComposeConflict> {
        T::check_then_patch(first, next)
    }

    #[inline]
    fn then(first: &mut T, next: T) {
        T::then_patch(first, next);
    }

    #[inline]
    fn check_after_null(next: &T) -> Result<(), ComposeConflict> {
        if T::merges(next) {
            Err(ComposeConflict::here())
        } else {
            Ok(())
        }
    }
}

impl<T: MergeJsonMap> Compose<T> for JsonMap {
    #[inline]
    fn check_then(first: &T::Patch, next: &T::Patch) -> Result<(), ComposeConflict> {
        T::check_then_entries(first, next)
    }

    #[inline]
    fn then(first: &mut T::Patch, next: T::Patch) {
        T::then_entries(first, next);
    }

    #[inline]
    fn check_after_null(_: &T::Patch) -> Result<(), ComposeConflict> {
        Err(ComposeConflict::here())
    }
}

/// Checks that a required field's patches compose (both present: composed by shape).
///
/// # Errors
///
/// A [`ComposeConflict`] below the field, with `name` in front of its path.
#[inline]
pub fn check_then_required<S: Compose<T>, T>(
    first: &Option<S::Patch>,
    next: &Option<S::Patch>,
    name: &'static str,
) -> Result<(), ComposeConflict> {
    match (first, next) {
        (Some(first), Some(next)) => {
            S::check_then(first, next).map_err(|conflict| conflict.within(name))
        }
        _ => Ok(()),
    }
}

/// Composes a required field's patches: `next` wins when present, composed by shape with a
/// present `first`.
#[inline]
pub fn then_required<S: Compose<T>, T>(first: &mut Option<S::Patch>, next: Option<S::Patch>) {
    if let Some(next) = next {
        match first {
            Some(first) => S::then(first, next),
            None => *first = Some(next),
        }
    }
}

/// Checks that a nullable field's patches compose: a value after null must replace whole, and
/// two values compose by shape.
///
/// # Errors
///
/// A [`ComposeConflict`] at or below the field, with `name` in front of its path.
#[inline]
pub fn check_then_nullable<S: Compose<O::Value>, O: Nullable>(
    first: &Field<S::Patch>,
    next: &Field<S::Patch>,
    name: &'static str,
) -> Result<(), ComposeConflict> {
    match (first, next) {
        (Field::Null, Field::Value(next)) => S::check_after_null(next),
        (Field::Value(first), Field::Value(next)) => S::check_then(first, next),
        _ => Ok(()),
    }
    .map_err(|conflict| conflict.within(name))
}

/// Composes a nullable field's patches: absent in `next` keeps `first`, null replaces it, a
/// value composes by shape with a value in `first` and replaces anything else.
#[inline]
pub fn then_nullable<S: Compose<O::Value>, O: Nullable>(
    first: &mut Field<S::Patch>,
    next: Field<S::Patch>,
) {
    match (first, next) {
        (_, Field::Absent) => {}
        (Field::Value(first), Field::Value(next)) => S::then(first, next),
        (first, next) => *first = next,
    }
}

/// Checks that a flattened field's patches compose.
///
/// # Errors
///
/// A [`ComposeConflict`] below the field, whose path starts in the parent.
#[inline]
pub fn check_then_flat<S: Compose<T>, T>(
    first: &S::Patch,
    next: &S::Patch,
) -> Result<(), ComposeConflict> {
    S::check_then(first, next)
}

/// Composes a flattened field's patches.
#[inline]
pub fn then_flat<S: Compose<T>, T>(first: &mut S::Patch, next: S::Patch) {
    S::then(first, next);
}

/// Composes a required plain value's patches: `next` wins when present.
#[inline]
pub fn then_value<T>(first: &mut Option<T>, next: Option<T>) {
    if next.is_some() {
        *first = next;
    }
}

/// Composes a nullable plain value's patches: `next` wins when present (null or a value).
#[inline]
pub fn then_nullable_value<T>(first: &mut Field<T>, next: Field<T>) {
    if next.is_present() {
        *first = next;
    }
}
