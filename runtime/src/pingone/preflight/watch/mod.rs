//! The serializer that passes a patch on to serde_json's and checks it against PingOne's rules
//! on the way: each ruled value where it sits, and each object's members, one of which
//! written twice is a fault.
//!
//! Here the serializer of a value, [`Watch`]; `members` holds the serializer of an object's
//! members, [`WatchedMembers`].

use std::borrow::Cow;
use std::cell::RefCell;
use std::fmt;

use serde::ser::{Serialize, Serializer};

use super::rules::Seen;
use super::{Checks, Container, Place};

mod members;

#[cfg(test)]
pub(super) use members::written_bit;
use members::{WatchedMembers, members_of};

/// A value to serialize at a [`Place`].
struct Placed<'a, 'c, T: ?Sized> {
    value: &'a T,
    place: Place,
    checks: &'c RefCell<Checks>,
}

impl<T: Serialize + ?Sized> Serialize for Placed<'_, '_, T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.value.serialize(Watch {
            inner: serializer,
            place: self.place,
            checks: self.checks,
        })
    }
}

/// A serializer that passes everything on to `inner` (serde_json's) and checks, at `place`,
/// the value it is given.
pub(super) struct Watch<'c, S> {
    inner: S,
    place: Place,
    checks: &'c RefCell<Checks>,
}

impl<'c, S> Watch<'c, S> {
    /// Watches the patch itself, passed on to `inner`, noting faults in `checks`.
    pub(super) fn patch(inner: S, checks: &'c RefCell<Checks>) -> Self {
        Watch {
            inner,
            place: Place::Patch,
            checks,
        }
    }
    /// The value is `null` in the JSON.
    fn null(&self) {
        if let Place::Ruled(rule) = self.place {
            Checks::check(self.checks, rule, Seen::Null);
        }
    }
    /// The value is the string `text` in the JSON.
    fn text(&self, text: &str) {
        match self.place {
            Place::Patch => {}
            Place::Object(object) => Checks::not_an_object(self.checks, object),
            Place::Ruled(rule) => Checks::check(self.checks, rule, Seen::Text(Cow::Borrowed(text))),
        }
    }
    /// The value is a boolean, a number or an array in the JSON.
    fn other(&self) {
        match self.place {
            Place::Patch => {}
            Place::Object(object) => Checks::not_an_object(self.checks, object),
            Place::Ruled(rule) => Checks::check(self.checks, rule, Seen::Other),
        }
    }
    /// The value is an object in the JSON: whose members are checked, if any.
    fn object(&self) -> Option<Container> {
        match self.place {
            Place::Patch => Some(Container::Patch),
            Place::Object(object) => Some(Container::Members(object)),
            Place::Ruled(rule) => {
                Checks::check(self.checks, rule, Seen::Other);
                None
            }
        }
    }
    /// The value is the object `{variant: ...}` that serde_json writes for an enum variant
    /// with data: where that member's value sits.
    fn variant(&self, variant: &str) -> Option<Place> {
        self.object()
            .and_then(|container| container.member_noting_read_only(variant, self.checks))
    }
    /// A value that serde_json writes in its own way.
    fn exotic(&self) {
        self.checks.borrow_mut().exotic = true;
    }
}

/// The prefix of the names that serde_json's serializer treats in its own way.
const SERDE_JSON_PRIVATE: &str = "$serde_json::private::";

impl<'c, S: Serializer> Serializer for Watch<'c, S> {
    type Ok = S::Ok;
    type Error = S::Error;
    type SerializeSeq = S::SerializeSeq;
    type SerializeTuple = S::SerializeTuple;
    type SerializeTupleStruct = S::SerializeTupleStruct;
    type SerializeTupleVariant = S::SerializeTupleVariant;
    type SerializeMap = WatchedMembers<'c, S::SerializeMap>;
    type SerializeStruct = WatchedMembers<'c, S::SerializeStruct>;
    type SerializeStructVariant = WatchedMembers<'c, S::SerializeStructVariant>;

    fn serialize_bool(self, v: bool) -> Result<S::Ok, S::Error> {
        self.other();
        self.inner.serialize_bool(v)
    }
    fn serialize_i8(self, v: i8) -> Result<S::Ok, S::Error> {
        self.other();
        self.inner.serialize_i8(v)
    }
    fn serialize_i16(self, v: i16) -> Result<S::Ok, S::Error> {
        self.other();
        self.inner.serialize_i16(v)
    }
    fn serialize_i32(self, v: i32) -> Result<S::Ok, S::Error> {
        self.other();
        self.inner.serialize_i32(v)
    }
    fn serialize_i64(self, v: i64) -> Result<S::Ok, S::Error> {
        self.other();
        self.inner.serialize_i64(v)
    }
    fn serialize_i128(self, v: i128) -> Result<S::Ok, S::Error> {
        self.other();
        self.inner.serialize_i128(v)
    }
    fn serialize_u8(self, v: u8) -> Result<S::Ok, S::Error> {
        self.other();
        self.inner.serialize_u8(v)
    }
    fn serialize_u16(self, v: u16) -> Result<S::Ok, S::Error> {
        self.other();
        self.inner.serialize_u16(v)
    }
    fn serialize_u32(self, v: u32) -> Result<S::Ok, S::Error> {
        self.other();
        self.inner.serialize_u32(v)
    }
    fn serialize_u64(self, v: u64) -> Result<S::Ok, S::Error> {
        self.other();
        self.inner.serialize_u64(v)
    }
    fn serialize_u128(self, v: u128) -> Result<S::Ok, S::Error> {
        self.other();
        self.inner.serialize_u128(v)
    }
    // serde_json writes a float that is not finite as `null`.
    fn serialize_f32(self, v: f32) -> Result<S::Ok, S::Error> {
        if v.is_finite() {
            self.other();
        } else {
            self.null();
        }
        self.inner.serialize_f32(v)
    }
    fn serialize_f64(self, v: f64) -> Result<S::Ok, S::Error> {
        if v.is_finite() {
            self.other();
        } else {
            self.null();
        }
        self.inner.serialize_f64(v)
    }
    fn serialize_char(self, v: char) -> Result<S::Ok, S::Error> {
        self.text(v.encode_utf8(&mut [0; 4]));
        self.inner.serialize_char(v)
    }
    fn serialize_str(self, v: &str) -> Result<S::Ok, S::Error> {
        self.text(v);
        self.inner.serialize_str(v)
    }
    fn serialize_bytes(self, v: &[u8]) -> Result<S::Ok, S::Error> {
        self.other();
        self.inner.serialize_bytes(v)
    }
    fn serialize_none(self) -> Result<S::Ok, S::Error> {
        self.null();
        self.inner.serialize_none()
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<S::Ok, S::Error> {
        let value = Placed {
            value,
            place: self.place,
            checks: self.checks,
        };
        self.inner.serialize_some(&value)
    }
    fn serialize_unit(self) -> Result<S::Ok, S::Error> {
        self.null();
        self.inner.serialize_unit()
    }
    fn serialize_unit_struct(self, name: &'static str) -> Result<S::Ok, S::Error> {
        self.null();
        self.inner.serialize_unit_struct(name)
    }
    fn serialize_unit_variant(
        self,
        name: &'static str,
        variant_index: u32,
        variant: &'static str,
    ) -> Result<S::Ok, S::Error> {
        self.text(variant);
        self.inner
            .serialize_unit_variant(name, variant_index, variant)
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        name: &'static str,
        value: &T,
    ) -> Result<S::Ok, S::Error> {
        if name.starts_with(SERDE_JSON_PRIVATE) {
            self.exotic();
            return self.inner.serialize_newtype_struct(name, value);
        }
        let value = Placed {
            value,
            place: self.place,
            checks: self.checks,
        };
        self.inner.serialize_newtype_struct(name, &value)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        name: &'static str,
        variant_index: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<S::Ok, S::Error> {
        match self.variant(variant) {
            Some(place) => {
                let value = Placed {
                    value,
                    place,
                    checks: self.checks,
                };
                self.inner
                    .serialize_newtype_variant(name, variant_index, variant, &value)
            }
            None => self
                .inner
                .serialize_newtype_variant(name, variant_index, variant, value),
        }
    }
    fn serialize_seq(self, len: Option<usize>) -> Result<S::SerializeSeq, S::Error> {
        self.other();
        self.inner.serialize_seq(len)
    }
    fn serialize_tuple(self, len: usize) -> Result<S::SerializeTuple, S::Error> {
        self.other();
        self.inner.serialize_tuple(len)
    }
    fn serialize_tuple_struct(
        self,
        name: &'static str,
        len: usize,
    ) -> Result<S::SerializeTupleStruct, S::Error> {
        self.other();
        self.inner.serialize_tuple_struct(name, len)
    }
    fn serialize_tuple_variant(
        self,
        name: &'static str,
        variant_index: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<S::SerializeTupleVariant, S::Error> {
        // `{variant: [...]}`: the array is checked where the member sits.
        if let Some(place) = self.variant(variant) {
            Watch {
                inner: (),
                place,
                checks: self.checks,
            }
            .other();
        }
        self.inner
            .serialize_tuple_variant(name, variant_index, variant, len)
    }
    fn serialize_map(self, len: Option<usize>) -> Result<Self::SerializeMap, S::Error> {
        let container = self.object();
        let checks = self.checks;
        let inner = self.inner.serialize_map(len)?;
        Ok(members_of(inner, container, checks))
    }
    fn serialize_struct(
        self,
        name: &'static str,
        len: usize,
    ) -> Result<Self::SerializeStruct, S::Error> {
        let container = if name.starts_with(SERDE_JSON_PRIVATE) {
            self.exotic();
            None
        } else {
            self.object()
        };
        let checks = self.checks;
        let inner = self.inner.serialize_struct(name, len)?;
        Ok(members_of(inner, container, checks))
    }
    fn serialize_struct_variant(
        self,
        name: &'static str,
        variant_index: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Self::SerializeStructVariant, S::Error> {
        // `{variant: {...}}`: the inner object is checked where the member sits.
        let container = self.variant(variant).and_then(|place| {
            Watch {
                inner: (),
                place,
                checks: self.checks,
            }
            .object()
        });
        let checks = self.checks;
        let inner = self
            .inner
            .serialize_struct_variant(name, variant_index, variant, len)?;
        Ok(members_of(inner, container, checks))
    }
    fn collect_str<T: fmt::Display + ?Sized>(self, value: &T) -> Result<S::Ok, S::Error> {
        match self.place {
            Place::Ruled(_) => {
                let text = value.to_string();
                self.text(&text);
                self.inner.serialize_str(&text)
            }
            _ => {
                self.other();
                self.inner.collect_str(value)
            }
        }
    }
    fn is_human_readable(&self) -> bool {
        self.inner.is_human_readable()
    }
}
