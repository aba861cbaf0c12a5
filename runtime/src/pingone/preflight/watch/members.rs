//! [`WatchedMembers`]: the members of an object being serialized, each ruled one watched where
//! it sits, and one written twice a fault.

use std::cell::{Cell, RefCell};
use std::collections::BTreeSet;

use serde::ser::{self, Serialize};

use super::super::map_key::KeyPlace;
use super::super::rules::{RULES, Rule};
use super::super::{Checks, Container, Place, written_twice_at};
use super::Placed;

pub(super) fn members_of<M>(
    inner: M,
    container: Option<Container>,
    checks: &RefCell<Checks>,
) -> WatchedMembers<'_, M> {
    WatchedMembers {
        inner,
        container,
        next: None,
        written: Cell::new(0),
        others: BTreeSet::new(),
        checks,
    }
}

/// The members of an object being serialized, checked when `container` has rules.
pub(in crate::pingone::preflight) struct WatchedMembers<'c, M> {
    inner: M,
    container: Option<Container>,
    /// Where the value of the key just serialized sits.
    next: Option<Place>,
    /// The ruled members written so far, one bit each ([`written_bit`]).
    written: Cell<u64>,
    /// The other members written so far by a map (a field of a model of your own that has no
    /// rule, beside its flattened map): empty, and not allocated, for a patch whose members
    /// all have rules.
    others: BTreeSet<Box<str>>,
    checks: &'c RefCell<Checks>,
}

impl<M> WatchedMembers<'_, M> {
    fn place(&self, key: &str) -> Option<Place> {
        self.container
            .and_then(|container| container.member_noting_read_only(key, self.checks))
            .inspect(|place| self.note(*place))
    }

    /// Notes that the member at `place` is written: a second time is a fault. A flattened
    /// map's entry named as a field beside it (`custom_entry("title", json!(null))` with
    /// `.title("CTO")`, `other_entry("given", ...)` in a `NamePatch` with `.given(...)`) wrote
    /// the member twice, `{"title":"CTO","title":null}`: RFC 8259 §4 leaves which one a
    /// reader keeps to it (serde_json and Jackson keep the last, so PingOne cleared the title
    /// the field set, after this check passed the field's value), and the derive cannot see a
    /// map's keys at compile time.
    #[inline]
    fn note(&self, place: Place) {
        let bit = written_bit(place);
        let written = self.written.get();
        if written & bit != 0 {
            written_twice(self.checks, place);
        }
        self.written.set(written | bit);
    }

    /// Where the value of the map key `key` sits, if it names a place with a rule; a key
    /// without one is noted among `others` ([`note_other`](super::super::map_key::note_other)).
    #[inline]
    fn place_of<K: Serialize + ?Sized>(&mut self, key: &K) -> Option<Place> {
        let container = self.container?;
        key.serialize(KeyPlace {
            container,
            others: &mut self.others,
            checks: self.checks,
        })
        .unwrap_or(None)
    }
}

/// The fault of a member written twice ([`WatchedMembers::note`]); apart, so that the
/// common path does not carry it.
#[cold]
#[inline(never)]
fn written_twice(checks: &RefCell<Checks>, place: Place) {
    let target = match place {
        Place::Ruled(rule) => rule.path,
        Place::Object(object) => object,
        Place::Patch => "",
    };
    written_twice_at(checks, target);
}

// Every rule has a bit below those of the objects (56 + the length of the object's name:
// `name` 60, `photo` 61, `address` 63).
const _: () = assert!(RULES.len() <= 56);

/// The bit of `place` among the members of one object: its rule's index in [`RULES`] (fewer
/// than 56), or for an object of [`OBJECTS`](super::super::rules::OBJECTS) 56 plus the length
/// of its name, which tells the three apart without comparing text.
#[inline]
pub(in crate::pingone::preflight) fn written_bit(place: Place) -> u64 {
    match place {
        Place::Ruled(rule) => {
            // `RULES` is a static: every rule is within its one table.
            let index = std::ptr::from_ref(rule)
                .addr()
                .wrapping_sub(RULES.as_ptr().addr())
                / std::mem::size_of::<Rule>();
            if index < 56 { 1 << index } else { 0 }
        }
        Place::Object(object) => 1_u64.checked_shl(56 + object.len() as u32).unwrap_or(0),
        Place::Patch => 0,
    }
}

impl<M: ser::SerializeMap> ser::SerializeMap for WatchedMembers<'_, M> {
    type Ok = M::Ok;
    type Error = M::Error;

    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), M::Error> {
        self.next = self.place_of(key);
        if let Some(place) = self.next {
            self.note(place);
        }
        self.inner.serialize_key(key)
    }
    fn serialize_entry<K: Serialize + ?Sized, V: Serialize + ?Sized>(
        &mut self,
        key: &K,
        value: &V,
    ) -> Result<(), M::Error> {
        let place = self.place_of(key);
        if let Some(place) = place {
            self.note(place);
        }
        match place {
            Some(place) => self.inner.serialize_entry(
                key,
                &Placed {
                    value,
                    place,
                    checks: self.checks,
                },
            ),
            None => self.inner.serialize_entry(key, value),
        }
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), M::Error> {
        match self.next.take() {
            Some(place) => self.inner.serialize_value(&Placed {
                value,
                place,
                checks: self.checks,
            }),
            None => self.inner.serialize_value(value),
        }
    }
    fn end(self) -> Result<M::Ok, M::Error> {
        self.inner.end()
    }
}

/// `SerializeStruct` and `SerializeStructVariant` for `WatchedMembers`: the same three methods,
/// a field's value watched when its key has a place among the rules.
macro_rules! watched_fields {
    ($($serialize:ident),+) => {$(
        impl<M: ser::$serialize> ser::$serialize for WatchedMembers<'_, M> {
            type Ok = M::Ok;
            type Error = M::Error;

            fn serialize_field<T: Serialize + ?Sized>(
                &mut self,
                key: &'static str,
                value: &T,
            ) -> Result<(), M::Error> {
                match self.place(key) {
                    Some(place) => self.inner.serialize_field(
                        key,
                        &Placed {
                            value,
                            place,
                            checks: self.checks,
                        },
                    ),
                    None => self.inner.serialize_field(key, value),
                }
            }
            fn skip_field(&mut self, key: &'static str) -> Result<(), M::Error> {
                self.inner.skip_field(key)
            }
            fn end(self) -> Result<M::Ok, M::Error> {
                self.inner.end()
            }
        }
    )+};
}

watched_fields!(SerializeStruct, SerializeStructVariant);
