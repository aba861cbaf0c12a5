//! How the derive checks, applies, builds and diffs one field, by its shape (plain value, nested
//! model, map merged key by key, JSON value) and its presence (required, nullable, flattened).
//!
//! The generated code calls one of these generic functions per field instead of spelling the
//! logic out, so a crate with many models hands rustc one call per field to check rather than a
//! `match` per field and per method. Not a public API.

use super::{MergeJsonMap, Nullable};
use crate::{ApplyError, Diff, DiffMap, Field, FromPatch, MergeJson, MergeMap, Patch, Patchable};

/// A value replaced as a whole (RFC 7396 §2: a non-object patch value replaces the target).
pub struct Plain;
/// A nested model, patched through its own patch (RFC 7396 §2: an object merges recursively).
pub struct Nested;
/// A `HashMap` or `BTreeMap`, merged key by key.
pub struct Map;
/// A `serde_json::Value` or `Map`, merged by RFC 7396 itself.
pub struct Json;
/// A `HashMap` or `BTreeMap` of `serde_json::Value`, merged key by key and each entry by
/// RFC 7396 (custom attributes).
pub struct JsonMap;

/// How a patch value of this shape applies to a model value of type `T`.
pub trait Merge<T> {
    /// The patch value: `T`, `T::Patch` or the map's patch.
    type Patch;

    /// Checks that [`merge`](Merge::merge) will succeed.
    ///
    /// # Errors
    ///
    /// [`ApplyError`] when a nested patch would build an object without a required attribute.
    fn check(target: &T, patch: &Self::Patch) -> Result<(), ApplyError>;

    /// Applies `patch` to `target`.
    ///
    /// # Errors
    ///
    /// As [`check`](Merge::check); never once `check` has passed.
    fn merge(target: &mut T, patch: Self::Patch) -> Result<(), ApplyError>;

    /// Returns `true` when `patch` changes nothing: an empty nested or map patch, or a JSON
    /// merge patch `{}`. A plain value always replaces, so it is never empty.
    fn is_empty(patch: &Self::Patch) -> bool;
}

/// How a model value is built from a patch value alone (RFC 7396 §2 on a missing member).
pub trait Build<T>: Merge<T> {
    /// Checks that [`build`](Build::build) will succeed.
    ///
    /// # Errors
    ///
    /// [`ApplyError`] naming a required attribute that the patch lacks.
    fn check_build(patch: &Self::Patch) -> Result<(), ApplyError>;

    /// Builds a model value from `patch`.
    ///
    /// # Errors
    ///
    /// As [`check_build`](Build::check_build).
    fn build(patch: Self::Patch) -> Result<T, ApplyError>;
}

/// How the patch value between two model values is computed.
pub trait Delta<T>: Merge<T> {
    /// The patch value that turns `current` into `target`, or `None` when they are equal.
    fn delta(current: &T, target: &T) -> Option<Self::Patch>;

    /// The patch value that builds `value` from nothing.
    fn full(value: &T) -> Self::Patch;
}

/// The shapes that can be flattened into the parent: their patch is an object of its own.
pub trait Flat<T>: Merge<T> {
    /// The patch value from `current` to `target`, empty when they are equal.
    fn diff(current: &T, target: &T) -> Self::Patch;
}

impl<T> Merge<T> for Plain {
    type Patch = T;

    #[inline]
    fn check(_: &T, _: &T) -> Result<(), ApplyError> {
        Ok(())
    }

    #[inline]
    fn merge(target: &mut T, patch: T) -> Result<(), ApplyError> {
        *target = patch;
        Ok(())
    }

    #[inline]
    fn is_empty(_: &T) -> bool {
        false
    }
}

impl<T> Build<T> for Plain {
    #[inline]
    fn check_build(_: &T) -> Result<(), ApplyError> {
        Ok(())
    }

    #[inline]
    fn build(patch: T) -> Result<T, ApplyError> {
        Ok(patch)
    }
}

impl<T: PartialEq + Clone> Delta<T> for Plain {
    #[inline]
    fn delta(current: &T, target: &T) -> Option<T> {
        (current != target).then(|| target.clone())
    }

    #[inline]
    fn full(value: &T) -> T {
        value.clone()
    }
}

impl<T: Patchable> Merge<T> for Nested {
    type Patch = T::Patch;

    #[inline]
    fn check(target: &T, patch: &T::Patch) -> Result<(), ApplyError> {
        target.check_patch(patch)
    }

    #[inline]
    fn merge(target: &mut T, patch: T::Patch) -> Result<(), ApplyError> {
        target.apply_checked(patch)
    }

    #[inline]
    fn is_empty(patch: &T::Patch) -> bool {
        patch.is_empty()
    }
}

impl<T: FromPatch> Build<T> for Nested {
    #[inline]
    fn check_build(patch: &T::Patch) -> Result<(), ApplyError> {
        T::check_from_patch(patch)
    }

    #[inline]
    fn build(patch: T::Patch) -> Result<T, ApplyError> {
        T::from_patch(patch)
    }
}

impl<T: Diff> Delta<T> for Nested {
    #[inline]
    fn delta(current: &T, target: &T) -> Option<T::Patch> {
        Some(current.diff_patch(target)).filter(|patch| !patch.is_empty())
    }

    #[inline]
    fn full(value: &T) -> T::Patch {
        value.to_patch()
    }
}

impl<T: Diff> Flat<T> for Nested {
    #[inline]
    fn diff(current: &T, target: &T) -> T::Patch {
        current.diff_patch(target)
    }
}

impl<T: MergeMap> Merge<T> for Map {
    type Patch = T::Patch;

    #[inline]
    fn check(_: &T, _: &T::Patch) -> Result<(), ApplyError> {
        Ok(())
    }

    #[inline]
    fn merge(target: &mut T, patch: T::Patch) -> Result<(), ApplyError> {
        target.merge(patch);
        Ok(())
    }

    #[inline]
    fn is_empty(patch: &T::Patch) -> bool {
        T::is_empty_patch(patch)
    }
}

impl<T: MergeMap> Build<T> for Map {
    #[inline]
    fn check_build(_: &T::Patch) -> Result<(), ApplyError> {
        Ok(())
    }

    #[inline]
    fn build(patch: T::Patch) -> Result<T, ApplyError> {
        Ok(T::from_patch(patch))
    }
}

impl<T: DiffMap> Delta<T> for Map {
    #[inline]
    fn delta(current: &T, target: &T) -> Option<T::Patch> {
        Some(current.diff_map(target)).filter(|patch| !T::is_empty_patch(patch))
    }

    #[inline]
    fn full(value: &T) -> T::Patch {
        value.to_map_patch()
    }
}

impl<T: DiffMap> Flat<T> for Map {
    #[inline]
    fn diff(current: &T, target: &T) -> T::Patch {
        current.diff_map(target)
    }
}

impl<T: MergeJson> Merge<T> for Json {
    type Patch = T;

    #[inline]
    fn check(_: &T, _: &T) -> Result<(), ApplyError> {
        Ok(())
    }

    #[inline]
    fn merge(target: &mut T, patch: T) -> Result<(), ApplyError> {
        target.merge(patch);
        Ok(())
    }

    #[inline]
    fn is_empty(patch: &T) -> bool {
        T::is_empty_patch(patch)
    }
}

impl<T: MergeJson> Build<T> for Json {
    #[inline]
    fn check_build(_: &T) -> Result<(), ApplyError> {
        Ok(())
    }

    #[inline]
    fn build(patch: T) -> Result<T, ApplyError> {
        Ok(T::from_patch(patch))
    }
}

impl<T: MergeJson> Delta<T> for Json {
    #[inline]
    fn delta(current: &T, target: &T) -> Option<T> {
        (current != target).then(|| current.diff(target))
    }

    #[inline]
    fn full(value: &T) -> T {
        value.clone()
    }
}

impl<T: MergeJson> Flat<T> for Json {
    #[inline]
    fn diff(current: &T, target: &T) -> T {
        current.diff(target)
    }
}

impl<T: MergeJsonMap> Merge<T> for JsonMap {
    type Patch = T::Patch;

    #[inline]
    fn check(_: &T, _: &T::Patch) -> Result<(), ApplyError> {
        Ok(())
    }

    #[inline]
    fn merge(target: &mut T, patch: T::Patch) -> Result<(), ApplyError> {
        target.merge_entries(patch);
        Ok(())
    }

    #[inline]
    fn is_empty(patch: &T::Patch) -> bool {
        T::is_empty_patch(patch)
    }
}

impl<T: MergeJsonMap> Build<T> for JsonMap {
    #[inline]
    fn check_build(_: &T::Patch) -> Result<(), ApplyError> {
        Ok(())
    }

    #[inline]
    fn build(patch: T::Patch) -> Result<T, ApplyError> {
        let mut value = T::from_patch(T::Patch::default());
        value.merge_entries(patch);
        Ok(value)
    }
}

impl<T: MergeJsonMap> Delta<T> for JsonMap {
    #[inline]
    fn delta(current: &T, target: &T) -> Option<T::Patch> {
        Some(current.diff_entries(target)).filter(|patch| !T::is_empty_patch(patch))
    }

    #[inline]
    fn full(value: &T) -> T::Patch {
        value.to_entries()
    }
}

impl<T: MergeJsonMap> Flat<T> for JsonMap {
    #[inline]
    fn diff(current: &T, target: &T) -> T::Patch {
        current.diff_entries(target)
    }
}

// ----- required fields: the model holds `T`, the patch `Option<S::Patch>` -----

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

/// Builds a required field whose shape cannot fail to build (every shape but [`Nested`]), once
/// `check_from_patch` has found it present: a call without a `Result`, so that the generated
/// `from_patch` needs no `match` per field.
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

/// Builds a nullable field whose shape cannot fail to build (every shape but [`Nested`]):
/// absent and null give `None`.
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

/// The panic of a build after a check that did not pass: the generated `from_patch` checks the
/// whole patch before it builds any field, so this is never reached.
#[cold]
#[inline(never)]
pub(super) fn built_before_checked() -> ! {
    panic!("sparse-patch: a field was built from a patch that `check_from_patch` had not passed")
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

// ----- nullable fields: the model holds `O`, an `Option<T>`, the patch `Field<S::Patch>` -----

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

// ----- flattened fields: the patch holds `S::Patch` itself -----

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
