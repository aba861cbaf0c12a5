//! [`Json`]: a `serde_json::Value` or `Map`, merged by RFC 7396 itself.

use super::{Build, Delta, Flat, Json, Merge};
use crate::{ApplyError, MergeJson};

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
