//! A field shape reached through a pointer: `#[patchable(nested)]` on a `Box<N>`,
//! `Option<Box<N>>`, `Rc<N>` or `Arc<N>` (openapi-generator boxes every referenced model,
//! `Option<Box<models::Category>>`). A pointer serializes as the value it holds, so the patch
//! value is the one `N` gets; these impls apply it to the value in place, compare through the
//! pointer, and build the pointer around a value built from the patch. Not a public API.

use std::marker::PhantomData;
use std::rc::Rc;
use std::sync::Arc;

use super::field_compose::Compose;
use super::field_shape::{Build, Delta, Flat, Merge};
use crate::{ApplyError, ComposeConflict};

/// The shape `S` of the value behind a pointer (`Behind<Nested>` for a `Box<N>`).
pub struct Behind<S>(PhantomData<S>);

/// A pointer that holds one value and serializes as it: `Box`, `Rc` and `Arc`.
pub trait Pointer {
    /// The value held.
    type Target;

    /// The value, to check a patch against and to compare.
    fn get(&self) -> &Self::Target;

    /// The value, to apply a patch to in place. An `Rc` or `Arc` whose value is shared clones
    /// it first (`make_mut`): the patch changes this model's value, never another's that
    /// shares it.
    fn get_mut(&mut self) -> &mut Self::Target;

    /// A pointer around a value built from a patch.
    fn new(value: Self::Target) -> Self;
}

impl<T> Pointer for Box<T> {
    type Target = T;

    #[inline]
    fn get(&self) -> &T {
        self
    }

    #[inline]
    fn get_mut(&mut self) -> &mut T {
        self
    }

    #[inline]
    fn new(value: T) -> Self {
        Box::new(value)
    }
}

/// The shared pointers, `Rc` and `Arc`: patched through `make_mut`, which copies a value that
/// another holder shares, so the patch changes this model's value alone.
macro_rules! shared_pointer {
    ($($pointer:ident),+) => {$(
        impl<T: Clone> Pointer for $pointer<T> {
            type Target = T;

            #[inline]
            fn get(&self) -> &T {
                self
            }

            #[inline]
            fn get_mut(&mut self) -> &mut T {
                $pointer::make_mut(self)
            }

            #[inline]
            fn new(value: T) -> Self {
                $pointer::new(value)
            }
        }
    )+};
}

shared_pointer!(Rc, Arc);

impl<S: Merge<P::Target>, P: Pointer> Merge<P> for Behind<S> {
    type Patch = S::Patch;

    #[inline]
    fn check(target: &P, patch: &S::Patch) -> Result<(), ApplyError> {
        S::check(target.get(), patch)
    }

    /// A patch that changes nothing (`{}`, or a flattened struct's patch whose attributes the
    /// patch left out, which every patch of the model applies) does not reach the value: an
    /// `Rc` or `Arc` that shares it keeps sharing it, where `make_mut` would clone it.
    #[inline]
    fn merge(target: &mut P, patch: S::Patch) -> Result<(), ApplyError> {
        if S::is_empty(&patch) {
            return Ok(());
        }
        S::merge(target.get_mut(), patch)
    }

    #[inline]
    fn is_empty(patch: &S::Patch) -> bool {
        S::is_empty(patch)
    }
}

impl<S: Build<P::Target>, P: Pointer> Build<P> for Behind<S> {
    #[inline]
    fn check_build(patch: &S::Patch) -> Result<(), ApplyError> {
        S::check_build(patch)
    }

    #[inline]
    fn build(patch: S::Patch) -> Result<P, ApplyError> {
        S::build(patch).map(P::new)
    }
}

impl<S: Delta<P::Target>, P: Pointer> Delta<P> for Behind<S> {
    #[inline]
    fn delta(current: &P, target: &P) -> Option<S::Patch> {
        S::delta(current.get(), target.get())
    }

    #[inline]
    fn full(value: &P) -> S::Patch {
        S::full(value.get())
    }
}

impl<S: Flat<P::Target>, P: Pointer> Flat<P> for Behind<S> {
    #[inline]
    fn diff(current: &P, target: &P) -> S::Patch {
        S::diff(current.get(), target.get())
    }
}

impl<S: Compose<P::Target>, P: Pointer> Compose<P> for Behind<S> {
    #[inline]
    fn check_then(first: &S::Patch, next: &S::Patch) -> Result<(), ComposeConflict> {
        S::check_then(first, next)
    }

    #[inline]
    fn then(first: &mut S::Patch, next: S::Patch) {
        S::then(first, next);
    }

    #[inline]
    fn check_after_null(next: &S::Patch) -> Result<(), ComposeConflict> {
        S::check_after_null(next)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_shared_value_is_cloned_before_it_changes() {
        let mut mine = Rc::new(String::from("a"));
        let theirs = Rc::clone(&mine);
        Pointer::get_mut(&mut mine).push('b');
        assert_eq!((mine.as_str(), theirs.as_str()), ("ab", "a"));
        let mut mine = Arc::new(String::from("a"));
        let theirs = Arc::clone(&mine);
        Pointer::get_mut(&mut mine).push('b');
        assert_eq!((mine.as_str(), theirs.as_str()), ("ab", "a"));
    }
}
