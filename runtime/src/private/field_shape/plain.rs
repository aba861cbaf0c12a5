//! [`Plain`]: a value replaced as a whole.

use super::{Build, Delta, Merge, Plain};
use crate::ApplyError;

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
