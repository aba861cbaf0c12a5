//! [`Map`]: a `HashMap` or `BTreeMap`, merged key by key.

use super::{Build, Delta, Flat, Map, Merge};
use crate::{ApplyError, DiffMap, MergeMap};

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
