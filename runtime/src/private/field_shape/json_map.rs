//! [`JsonMap`]: a map of `serde_json::Value`, merged key by key and each entry by RFC 7396.

use super::super::MergeJsonMap;
use super::{Build, Delta, Flat, JsonMap, Merge};
use crate::ApplyError;

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
