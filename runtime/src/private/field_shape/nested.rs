//! [`Nested`]: a nested model, patched through its own patch.

use super::{Build, Delta, Flat, Merge, Nested};
use crate::{ApplyError, Diff, FromPatch, Patch, Patchable};

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
