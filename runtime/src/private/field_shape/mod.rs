//! How the derive checks, applies, builds and diffs one field, by its shape (plain value, nested
//! model, map merged key by key, JSON value) and its presence (required, nullable, flattened).
//!
//! The generated code calls one of these generic functions per field instead of spelling the
//! logic out, so a crate with many models hands rustc one call per field to check rather than a
//! `match` per field and per method. Not a public API.
//!
//! Here the shapes and what each must do (`Merge`, `Build`, `Delta`, `Flat`); one file per
//! shape's implementations (`plain`, `nested`, `map`, `json`, `json_map`); the calls of the
//! generated code by the field's presence (`required`, `nullable`, `flat`), and `take`, the
//! builds that cannot fail once the whole patch is checked.

use crate::ApplyError;

mod flat;
mod json;
mod json_map;
mod map;
mod nested;
mod nullable;
mod plain;
mod required;
mod take;

pub use flat::{
    apply_flat, build_flat, check_build_flat, check_flat, diff_flat, full_flat, is_empty_flat,
};
pub use nullable::{
    apply_nullable, build_nullable, check_build_nullable, check_nullable, diff_nullable,
    full_nullable,
};
pub use required::{
    apply_required, build_required, check_build_required, check_required, diff_required,
    full_required,
};
pub use take::{take_flat, take_nullable, take_required};

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

/// The panic of a build after a check that did not pass: the generated `from_patch` checks the
/// whole patch before it builds any field, so this is never reached.
#[cold]
#[inline(never)]
pub(super) fn built_before_checked() -> ! {
    panic!("sparse-patch: a field was built from a patch that `check_from_patch` had not passed")
}
