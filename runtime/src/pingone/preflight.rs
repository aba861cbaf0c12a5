//! The client's pre-flight check of a patch against PingOne's rules ([`rules`]), before
//! anything is sent: made while the patch is serialized ([`serialize_checked`]), so the JSON
//! is not read a second time.

use std::borrow::Cow;
use std::cell::{Cell, RefCell};
use std::collections::BTreeSet;
use std::fmt;

use serde::de;
use serde::ser::{self, Serialize, Serializer};

use super::rules::{self, OBJECTS, RULES, Rule, Seen, detail, member_rule, rule};
use super::{Error, ErrorDetail};

/// Serializes `patch` as `serde_json::to_vec` does (the same bytes) and checks it against
/// PingOne's rules on the way (see [`ClientBuilder::preflight`](super::ClientBuilder::preflight)):
/// the 16 KB limit, then every rule, all the faults in one [`Error::InvalidInput`].
///
/// The check sees what the JSON holds, as a reader of the bytes would: a member's string, its
/// `null` (also from `None` or a unit), or any other value. A float that is not finite, which
/// serde_json would write as `null` (clearing the attribute), is refused first, named by its
/// path, as [`serialize_unchecked`] does. A
/// value that serde_json writes in its own way (its `RawValue`, or a number with
/// `arbitrary_precision`) cannot be seen on the way, so for such a patch the bytes are read
/// again ([`check_patch_json`]), with the same result.
pub(crate) fn serialize_checked<P: Serialize + ?Sized>(patch: &P) -> Result<Vec<u8>, Error> {
    serialize_and_check(patch)?
        .map_err(|broken| Error::InvalidInput(format!("{}; nothing was sent", broken.0)))
}

/// Why a patch breaks PingOne's rules, as [`serialize_checked`] finds it, for a caller that
/// sends nothing itself (the sync job's plan): `the patch breaks PingOne's rules (…)`, every
/// fault named once.
#[derive(Debug)]
pub(crate) struct RulesBroken(pub(crate) String);

/// Checks `patch` as [`serialize_checked`] does, without saying what the client did with it.
///
/// # Errors
///
/// [`Error::InvalidInput`] when the patch cannot be serialized.
pub(crate) fn check_rules<P: Serialize + ?Sized>(
    patch: &P,
) -> Result<Result<(), RulesBroken>, Error> {
    Ok(serialize_and_check(patch)?.map(drop))
}

/// The body of `patch`, or why it breaks PingOne's rules; an error when it cannot be
/// serialized.
fn serialize_and_check<P: Serialize + ?Sized>(
    patch: &P,
) -> Result<Result<Vec<u8>, RulesBroken>, Error> {
    // Walked first, writing nothing: the rules below watch only the members they rule.
    refuse_unrepresentable(patch)?;
    let checks = RefCell::new(Checks::default());
    // serde_json's own starting capacity for `to_vec`.
    let mut body = Vec::with_capacity(128);
    let watch = Watch {
        inner: &mut serde_json::Serializer::new(&mut body),
        place: Place::Patch,
        checks: &checks,
    };
    patch.serialize(watch).map_err(serialize_error)?;
    let Checks { details, exotic } = checks.into_inner();
    let details = if exotic {
        std::str::from_utf8(&body)
            .map(check_patch_json)
            .unwrap_or_default()
    } else {
        details
    };
    Ok(report(body.len(), details).map(|()| body))
}

/// Serializes `patch` with `serde_json::to_vec`, without PingOne's rules (pre-flight off); a
/// float that is not finite is still refused, as it would be written as `null`.
pub(crate) fn serialize_unchecked<P: Serialize + ?Sized>(patch: &P) -> Result<Vec<u8>, Error> {
    refuse_unrepresentable(patch)?;
    serde_json::to_vec(patch).map_err(serialize_error)
}

/// Refuses a patch that holds a float that is not finite (NaN, an infinity): serde_json writes
/// it as `null`, which clears the attribute (RFC 7396 §2) where the caller meant to set it.
/// Whatever the pre-flight setting: this is not one of PingOne's rules but what the bytes
/// would say.
fn refuse_unrepresentable<P: Serialize + ?Sized>(patch: &P) -> Result<(), Error> {
    match crate::json_number::unrepresentable(patch, false) {
        None => Ok(()),
        Some(found) => {
            let at = if found.path.is_empty() {
                String::from("the patch")
            } else {
                crate::dialect_error::Shown(&found.path).to_string()
            };
            Err(Error::InvalidInput(format!(
                "cannot send the patch: {at} is {}; nothing was sent",
                found.reason
            )))
        }
    }
}

fn serialize_error(error: serde_json::Error) -> Error {
    Error::InvalidInput(format!("cannot serialize the patch: {error}"))
}

/// Checks a patch's JSON against PingOne's rules, reading the JSON: the 16 KB limit, then
/// every rule, all the faults in one [`Error::InvalidInput`]. What [`serialize_checked`] does
/// without reading the JSON again.
#[cfg(test)]
pub(crate) fn check_patch(body: &str) -> Result<(), Error> {
    report(body.len(), check_patch_json(body))
        .map_err(|broken| Error::InvalidInput(format!("{}; nothing was sent", broken.0)))
}

/// Why a patch of `json_bytes` bytes whose rules gave `details` breaks them, if it does: each
/// fault as `target: message`, the target written once (a rule's message starts with it:
/// `nickname must be between 1 and 256 characters long`).
fn report(json_bytes: usize, details: Vec<ErrorDetail>) -> Result<(), RulesBroken> {
    let size = rules::check_size(json_bytes);
    if size.is_none() && details.is_empty() {
        return Ok(());
    }
    let details: Vec<ErrorDetail> = size.into_iter().chain(details).collect();
    let faults: Vec<String> = details
        .iter()
        .map(|detail| {
            let target = detail.target.as_deref().unwrap_or("the whole profile");
            let message = detail.message.as_deref().unwrap_or("invalid");
            let message = message.strip_suffix('.').unwrap_or(message);
            match message.strip_prefix(target) {
                Some(rest) if rest.starts_with(' ') => message.to_owned(),
                _ => format!("{target}: {message}"),
            }
        })
        .collect();
    Err(RulesBroken(format!(
        "the patch breaks PingOne's rules ({})",
        faults.join("; ")
    )))
}

/// What the check found while the patch was serialized.
#[derive(Default)]
struct Checks {
    details: Vec<ErrorDetail>,
    /// A value serde_json writes in its own way was met: the JSON must be read instead.
    exotic: bool,
}

impl Checks {
    fn push(checks: &RefCell<Self>, detail: ErrorDetail) {
        checks.borrow_mut().details.push(detail);
    }
    fn check(checks: &RefCell<Self>, rule: &Rule, value: Seen<'_>) {
        rules::check(&mut checks.borrow_mut().details, rule, value);
    }
    fn not_an_object(checks: &RefCell<Self>, object: &str) {
        Self::push(
            checks,
            detail(
                "INVALID_VALUE",
                object,
                format!("{object} must be an object."),
            ),
        );
    }
}

/// Where a value that is being serialized sits in the patch, as far as the rules care.
#[derive(Clone, Copy)]
enum Place {
    /// The patch itself: when an object, its members are checked.
    Patch,
    /// The value of `name`, `address` or `photo`: `null`, or an object whose members are
    /// checked.
    Object(&'static str),
    /// A value that a rule checks.
    Ruled(&'static Rule),
}

/// An object whose members have rules: the patch, or one of [`OBJECTS`].
#[derive(Clone, Copy)]
enum Container {
    Patch,
    Members(&'static str),
}

impl Container {
    /// Where the value of member `key` sits; `None` when no rule cares.
    #[inline]
    fn member(self, key: &str) -> Option<Place> {
        match self {
            Container::Patch => match rules::object(key) {
                Some(object) => Some(Place::Object(object)),
                None => rule(key).map(Place::Ruled),
            },
            Container::Members(object) => member_rule(object, key).map(Place::Ruled),
        }
    }
}

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
struct Watch<'c, S> {
    inner: S,
    place: Place,
    checks: &'c RefCell<Checks>,
}

impl<'c, S> Watch<'c, S> {
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
            .and_then(|container| container.member(variant))
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

fn members_of<M>(
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
struct WatchedMembers<'c, M> {
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
            .and_then(|container| container.member(key))
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
    /// without one is noted among `others` ([`note_other`]).
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

/// The fault of the member `target` written twice.
#[cold]
#[inline(never)]
fn written_twice_at(checks: &RefCell<Checks>, target: &str) {
    Checks::push(
        checks,
        rules::detail(
            "INVALID_VALUE",
            target,
            format!(
                "{target} is written twice in one object, as a field and as an entry of a \
                 flattened map beside it (custom_entry or other_entry): a reader keeps either \
                 value (RFC 8259 §4); set it once"
            ),
        ),
    );
}

/// Notes that `key`, a member of `container` without a rule, is written: a second time is a
/// fault. A model of your own with a custom attribute as a field (`department`) beside its
/// flattened map sent `.department("R&D").custom_entry("department", json!(null))` as
/// `{"department":"R&D","department":null}`, and PingOne kept the `null`.
fn note_other(
    others: &mut BTreeSet<Box<str>>,
    container: Container,
    key: &str,
    checks: &RefCell<Checks>,
) {
    if others.contains(key) {
        match container {
            Container::Patch => written_twice_at(checks, key),
            Container::Members(object) => written_twice_at(checks, &format!("{object}.{key}")),
        }
    } else {
        others.insert(key.into());
    }
}

// Every rule has a bit below those of the objects (56 + the length of the object's name:
// `name` 60, `photo` 61, `address` 63).
const _: () = assert!(RULES.len() <= 56);

/// The bit of `place` among the members of one object: its rule's index in [`RULES`] (fewer
/// than 56), or for an object of [`OBJECTS`] 56 plus the length of its name, which tells the
/// three apart without comparing text.
#[inline]
fn written_bit(place: Place) -> u64 {
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

/// Finds where the value of a map's key sits, from the key as serde_json writes it: a string,
/// a `char`, a unit variant's name, or a newtype around one of those. Other keys (numbers,
/// booleans) name no attribute that has a rule.
///
/// A string key without a rule is noted among `others` ([`note_other`]).
struct KeyPlace<'w, 'c> {
    container: Container,
    others: &'w mut BTreeSet<Box<str>>,
    checks: &'c RefCell<Checks>,
}

impl KeyPlace<'_, '_> {
    fn member(self, key: &str) -> Option<Place> {
        let place = self.container.member(key);
        if place.is_none() {
            note_other(self.others, self.container, key, self.checks);
        }
        place
    }
}

/// A key that names no place; never shown.
#[derive(Debug)]
struct NoPlace;

impl fmt::Display for NoPlace {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("not a key with a rule")
    }
}

impl std::error::Error for NoPlace {}

impl ser::Error for NoPlace {
    fn custom<T: fmt::Display>(_: T) -> Self {
        NoPlace
    }
}

type KeyResult = Result<Option<Place>, NoPlace>;

impl Serializer for KeyPlace<'_, '_> {
    type Ok = Option<Place>;
    type Error = NoPlace;
    type SerializeSeq = ser::Impossible<Option<Place>, NoPlace>;
    type SerializeTuple = ser::Impossible<Option<Place>, NoPlace>;
    type SerializeTupleStruct = ser::Impossible<Option<Place>, NoPlace>;
    type SerializeTupleVariant = ser::Impossible<Option<Place>, NoPlace>;
    type SerializeMap = ser::Impossible<Option<Place>, NoPlace>;
    type SerializeStruct = ser::Impossible<Option<Place>, NoPlace>;
    type SerializeStructVariant = ser::Impossible<Option<Place>, NoPlace>;

    fn serialize_str(self, v: &str) -> KeyResult {
        Ok(self.member(v))
    }
    fn serialize_char(self, v: char) -> KeyResult {
        Ok(self.member(v.encode_utf8(&mut [0; 4])))
    }
    fn serialize_unit_variant(self, _: &'static str, _: u32, variant: &'static str) -> KeyResult {
        Ok(self.member(variant))
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        value: &T,
    ) -> KeyResult {
        value.serialize(self)
    }
    fn serialize_bool(self, _: bool) -> KeyResult {
        Ok(None)
    }
    fn serialize_i8(self, _: i8) -> KeyResult {
        Ok(None)
    }
    fn serialize_i16(self, _: i16) -> KeyResult {
        Ok(None)
    }
    fn serialize_i32(self, _: i32) -> KeyResult {
        Ok(None)
    }
    fn serialize_i64(self, _: i64) -> KeyResult {
        Ok(None)
    }
    fn serialize_u8(self, _: u8) -> KeyResult {
        Ok(None)
    }
    fn serialize_u16(self, _: u16) -> KeyResult {
        Ok(None)
    }
    fn serialize_u32(self, _: u32) -> KeyResult {
        Ok(None)
    }
    fn serialize_u64(self, _: u64) -> KeyResult {
        Ok(None)
    }
    fn serialize_f32(self, _: f32) -> KeyResult {
        Ok(None)
    }
    fn serialize_f64(self, _: f64) -> KeyResult {
        Ok(None)
    }
    fn serialize_bytes(self, _: &[u8]) -> KeyResult {
        Ok(None)
    }
    fn serialize_none(self) -> KeyResult {
        Ok(None)
    }
    fn serialize_some<T: Serialize + ?Sized>(self, _: &T) -> KeyResult {
        Ok(None)
    }
    fn serialize_unit(self) -> KeyResult {
        Ok(None)
    }
    fn serialize_unit_struct(self, _: &'static str) -> KeyResult {
        Ok(None)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> KeyResult {
        Ok(None)
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq, NoPlace> {
        Err(NoPlace)
    }
    fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple, NoPlace> {
        Err(NoPlace)
    }
    fn serialize_tuple_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleStruct, NoPlace> {
        Err(NoPlace)
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, NoPlace> {
        Err(NoPlace)
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, NoPlace> {
        Err(NoPlace)
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self::SerializeStruct, NoPlace> {
        Err(NoPlace)
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, NoPlace> {
        Err(NoPlace)
    }
}

/// `rules::check_patch` with no current user, straight from the patch's JSON: one pass,
/// without building a `Value` (strings are borrowed unless escaped), as the client checks each
/// patch before sending it. JSON that does not read as an object gives no detail.
fn check_patch_json(json: &str) -> Vec<ErrorDetail> {
    let mut out = Vec::new();
    // From `str`: its strings are not checked for UTF-8 again, as they would be from bytes.
    let mut reader = serde_json::Deserializer::from_str(json);
    let members = Members {
        object: None,
        out: &mut out,
    };
    if de::Deserializer::deserialize_map(&mut reader, members).is_err() {
        out.clear();
    }
    out
}

/// Reads the members of the patch (`object: None`) or of one of its [`OBJECTS`].
struct Members<'o> {
    object: Option<&'static str>,
    out: &'o mut Vec<ErrorDetail>,
}

impl<'de> de::Visitor<'de> for Members<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(Text(key)) = map.next_key::<Text<'de>>()? {
            let object = match self.object {
                Some(_) => None,
                None => OBJECTS.iter().copied().find(|object| *object == key),
            };
            if let Some(object) = object {
                map.next_value_seed(ObjectSeed {
                    object,
                    out: &mut *self.out,
                })?;
                continue;
            }
            let rule = match self.object {
                Some(object) => member_rule(object, &key),
                None => rule(&key),
            };
            match rule {
                Some(rule) => {
                    let value = map.next_value::<SeenValue<'de>>()?;
                    rules::check(self.out, rule, value.0);
                }
                None => {
                    map.next_value::<de::IgnoredAny>()?;
                }
            }
        }
        Ok(())
    }
}

/// A key, borrowed from the JSON unless escaped.
struct Text<'de>(Cow<'de, str>);

impl<'de> de::Deserialize<'de> for Text<'de> {
    fn deserialize<D: de::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer
            .deserialize_str(SeenVisitor)
            .and_then(|seen| match seen {
                Seen::Text(text) => Ok(Text(text)),
                _ => Err(de::Error::custom("a key must be a string")),
            })
    }
}

/// A value for [`rules::check`].
struct SeenValue<'de>(Seen<'de>);

impl<'de> de::Deserialize<'de> for SeenValue<'de> {
    fn deserialize<D: de::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(SeenVisitor).map(SeenValue)
    }
}

struct SeenVisitor;

impl<'de> de::Visitor<'de> for SeenVisitor {
    type Value = Seen<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_borrowed_str<E>(self, text: &'de str) -> Result<Seen<'de>, E> {
        Ok(Seen::Text(Cow::Borrowed(text)))
    }
    fn visit_str<E>(self, text: &str) -> Result<Seen<'de>, E> {
        Ok(Seen::Text(Cow::Owned(text.to_owned())))
    }
    fn visit_string<E>(self, text: String) -> Result<Seen<'de>, E> {
        Ok(Seen::Text(Cow::Owned(text)))
    }
    fn visit_unit<E>(self) -> Result<Seen<'de>, E> {
        Ok(Seen::Null)
    }
    fn visit_none<E>(self) -> Result<Seen<'de>, E> {
        Ok(Seen::Null)
    }
    fn visit_bool<E>(self, _: bool) -> Result<Seen<'de>, E> {
        Ok(Seen::Other)
    }
    fn visit_i64<E>(self, _: i64) -> Result<Seen<'de>, E> {
        Ok(Seen::Other)
    }
    fn visit_u64<E>(self, _: u64) -> Result<Seen<'de>, E> {
        Ok(Seen::Other)
    }
    fn visit_f64<E>(self, _: f64) -> Result<Seen<'de>, E> {
        Ok(Seen::Other)
    }
    fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<Seen<'de>, A::Error> {
        while seq.next_element::<de::IgnoredAny>()?.is_some() {}
        Ok(Seen::Other)
    }
    fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<Seen<'de>, A::Error> {
        while map
            .next_entry::<de::IgnoredAny, de::IgnoredAny>()?
            .is_some()
        {}
        Ok(Seen::Other)
    }
}

/// The value of one of [`OBJECTS`]: `null`, or an object whose members are checked.
struct ObjectSeed<'o> {
    object: &'static str,
    out: &'o mut Vec<ErrorDetail>,
}

impl<'de> de::DeserializeSeed<'de> for ObjectSeed<'_> {
    type Value = ();

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> de::Visitor<'de> for ObjectSeed<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object or null")
    }
    fn visit_map<A: de::MapAccess<'de>>(self, map: A) -> Result<(), A::Error> {
        let members = Members {
            object: Some(self.object),
            out: self.out,
        };
        members.visit_map(map)
    }
    fn visit_unit<E>(self) -> Result<(), E> {
        Ok(())
    }
    fn visit_none<E>(self) -> Result<(), E> {
        Ok(())
    }
    fn visit_bool<E>(self, _: bool) -> Result<(), E> {
        self.not_an_object();
        Ok(())
    }
    fn visit_i64<E>(self, _: i64) -> Result<(), E> {
        self.not_an_object();
        Ok(())
    }
    fn visit_u64<E>(self, _: u64) -> Result<(), E> {
        self.not_an_object();
        Ok(())
    }
    fn visit_f64<E>(self, _: f64) -> Result<(), E> {
        self.not_an_object();
        Ok(())
    }
    fn visit_str<E>(self, _: &str) -> Result<(), E> {
        self.not_an_object();
        Ok(())
    }
    fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while seq.next_element::<de::IgnoredAny>()?.is_some() {}
        self.not_an_object();
        Ok(())
    }
}

impl ObjectSeed<'_> {
    fn not_an_object(self) {
        let object = self.object;
        self.out.push(detail(
            "INVALID_VALUE",
            object,
            format!("{object} must be an object."),
        ));
    }
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    use super::*;

    /// Each rule, as `rule` and `member_rule` hand it out, and each object has a bit of its
    /// own, so that a member written twice is told from two members.
    #[test]
    fn every_ruled_member_has_a_bit_of_its_own() {
        let mut places: Vec<Place> = OBJECTS
            .iter()
            .map(|object| Place::Object(rules::object(object).unwrap()))
            .collect();
        for found in RULES {
            let place = match found.path.split_once('.') {
                Some((object, member)) => member_rule(object, member),
                None => rule(found.path),
            };
            places.push(Place::Ruled(place.unwrap()));
        }
        let mut all = 0;
        for place in places {
            let bit = written_bit(place);
            assert_eq!(bit.count_ones(), 1);
            assert_eq!(all & bit, 0);
            all |= bit;
        }
    }

    /// The one-pass reader of the client finds exactly what the `Value` check of the
    /// emulator finds (without a current user).
    #[test]
    fn the_json_reader_agrees_with_the_value_check() {
        let patches = [
            json!({}),
            json!({"username": null, "email": "nope", "nickname": "", "title": "t"}),
            json!({"email": 5, "timezone": "Los Angeles", "mobilePhone": "no digits"}),
            json!({"primaryPhone": "1".repeat(33), "externalId": "x".repeat(1025)}),
            json!({"name": {"given": "", "family": "f".repeat(257), "other": ""}}),
            json!({"address": {"countryCode": "usa", "postalCode": "p".repeat(41)}}),
            json!({"photo": {"href": "ftp://x"}, "name": null, "address": "street"}),
            json!({"photo": {"href": null}, "name": [1, 2], "address": 7}),
            json!({"photo": {}, "custom": {"email": "nested, not a rule"}, "tags": ["a"]}),
            json!({"nickname": "esc\"aped\u{e9}", "title": "", "locale": {"a": [null]}}),
            json!({"photo": true, "name": {"given": {"x": 1}}, "type": 1.5}),
        ];
        for patch in patches {
            let by_value = rules::check_patch(patch.as_object().unwrap(), None);
            let by_json = check_patch_json(&patch.to_string());
            assert_eq!(by_json, by_value, "{patch}");
        }
        assert!(check_patch_json("[1, 2]").is_empty());
        assert!(check_patch_json("not json").is_empty());
    }

    /// `serialize_checked` writes what `serde_json::to_vec` writes, and fails or passes with
    /// the same error as reading that JSON (`check_patch`) would.
    fn assert_same<P: Serialize + ?Sized>(patch: &P) -> Result<(), String> {
        let json = serde_json::to_string(patch).expect("serializes");
        let by_reading = check_patch(&json).map_err(|error| error.to_string());
        let by_watching = serialize_checked(patch)
            .map(|body| assert_eq!(body, json.as_bytes(), "{json}"))
            .map_err(|error| error.to_string());
        assert_eq!(by_watching, by_reading, "{json}");
        by_reading
    }

    /// Every patch of one or two members over keys with and without rules and values of
    /// every JSON kind, good and bad.
    #[test]
    fn serializing_checks_what_reading_the_json_finds() {
        let keys = [
            "username",
            "email",
            "nickname",
            "timezone",
            "mobilePhone",
            "name",
            "address",
            "photo",
            "custom",
            "given",
            "na\"me",
        ];
        let values = [
            json!(null),
            json!(""),
            json!("ok"),
            json!("a@b.c"),
            json!("America/Los_Angeles"),
            json!("x".repeat(300)),
            json!(5),
            json!(1.5),
            json!(true),
            json!(["a", null]),
            json!({}),
            json!({"given": "", "family": 7, "countryCode": "us", "href": "ftp://x", "x": null}),
            json!({"given": "G", "countryCode": "US", "href": null}),
            json!({"email": "nested"}),
        ];
        let members: Vec<(&str, &Value)> = keys
            .iter()
            .flat_map(|key| values.iter().map(move |value| (*key, value)))
            .collect();
        let mut failed = 0;
        for (index, first) in members.iter().enumerate() {
            for second in &members[index..] {
                let mut patch = serde_json::Map::new();
                patch.insert(first.0.to_owned(), first.1.clone());
                patch.insert(second.0.to_owned(), second.1.clone());
                failed += usize::from(assert_same(&patch).is_err());
            }
        }
        // Not a check that can only pass: most of these patches break a rule.
        assert!(failed > members.len() * members.len() / 4, "{failed}");
        for patch in [json!([1]), json!("x"), json!(null), json!(3)] {
            assert_eq!(assert_same(&patch), Ok(()));
        }
        let large = json!({"nickname": "n", "custom": "x".repeat(rules::MAX_PROFILE_BYTES)});
        let error = assert_same(&large).unwrap_err();
        assert!(
            error.contains("the whole profile: The user profile is"),
            "{error}"
        );
    }

    /// Values that serde writes in other ways than a `Value` does: enums (a unit variant is a
    /// string, the others a one-member object), `char`, floats that are not finite (`null`),
    /// unit structs, newtypes, `Option`, maps with keys that are not strings, a struct as
    /// serde_json's `RawValue`, and `#[serde(flatten)]`.
    #[test]
    fn serializing_checks_every_kind_of_serde_value() {
        use std::collections::BTreeMap;

        use serde::Serialize;
        use serde_json::value::RawValue;

        #[derive(Serialize)]
        #[allow(non_camel_case_types, non_snake_case, dead_code)]
        enum Kind {
            Plain,
            given,
            Newtype(&'static str),
            email(&'static str),
            name(u8),
            family(u8, u8),
            address { countryCode: &'static str },
            photo { href: Option<&'static str> },
            nickname { x: u8 },
            Tuple(u8, u8),
        }
        #[derive(Serialize)]
        struct Unit;
        #[derive(Serialize, PartialEq, Eq, PartialOrd, Ord)]
        struct Wrapper<T>(T);
        #[derive(Serialize)]
        #[allow(non_snake_case)]
        struct Patch<T> {
            #[serde(skip_serializing_if = "Option::is_none")]
            username: Option<T>,
            email: Option<T>,
            name: Option<BTreeMap<&'static str, T>>,
            #[serde(flatten)]
            rest: BTreeMap<String, T>,
        }
        #[derive(Serialize)]
        struct Top<T> {
            #[serde(flatten)]
            members: T,
        }

        let kinds = [
            Kind::Plain,
            Kind::given,
            Kind::Newtype("x"),
            Kind::email("bad"),
            Kind::name(1),
            Kind::family(1, 2),
            Kind::address { countryCode: "us" },
            Kind::photo { href: None },
            Kind::photo {
                href: Some("ftp://x"),
            },
            Kind::nickname { x: 1 },
            Kind::Tuple(1, 2),
        ];
        let mut failed = 0;
        for kind in &kinds {
            failed += usize::from(assert_same(kind).is_err());
            let mut name = BTreeMap::new();
            name.insert("given", kind);
            name.insert("family", kind);
            let mut rest = BTreeMap::new();
            rest.insert("nickname".to_owned(), kind);
            rest.insert("photo".to_owned(), kind);
            rest.insert("address".to_owned(), kind);
            rest.insert("custom".to_owned(), kind);
            let patch = Patch {
                username: Some(kind),
                email: Some(kind),
                name: Some(name),
                rest,
            };
            failed += usize::from(assert_same(&patch).is_err());
            failed += usize::from(assert_same(&Top { members: &patch }).is_err());
            failed += usize::from(assert_same(&Wrapper(Some(&patch))).is_err());
        }
        assert!(failed > kinds.len() * 3, "{failed}");

        for value in [f64::NAN, f64::INFINITY, 1.0] {
            let patch = Patch::<f64> {
                username: Some(value),
                email: None,
                name: None,
                rest: BTreeMap::from([("photo".to_owned(), value), ("title".to_owned(), value)]),
            };
            if value.is_finite() {
                assert!(assert_same(&patch).is_err());
            } else {
                // serde_json would write `null`, which clears: refused before PingOne's rules,
                // with or without them.
                for error in [
                    serialize_checked(&patch).unwrap_err(),
                    serialize_unchecked(&patch).unwrap_err(),
                ] {
                    let error = error.to_string();
                    assert!(
                        error.contains("cannot send the patch: `username` is ")
                            && error.contains("removes the attribute"),
                        "{error}"
                    );
                }
            }
        }
        let chars = Patch::<char> {
            username: Some('u'),
            email: Some('@'),
            name: Some(BTreeMap::from([("given", 'g'), ("middle", 'm')])),
            rest: BTreeMap::from([("address".to_owned(), 'a'), ("€".to_owned(), 'x')]),
        };
        assert!(assert_same(&chars).is_err());
        let units = Patch::<Unit> {
            username: Some(Unit),
            email: Some(Unit),
            name: Some(BTreeMap::from([("given", Unit)])),
            rest: BTreeMap::from([("photo".to_owned(), Unit)]),
        };
        assert!(assert_same(&units).is_err());
        let newtypes = Patch::<Wrapper<&str>> {
            username: Some(Wrapper("")),
            email: Some(Wrapper("no")),
            name: Some(BTreeMap::from([("given", Wrapper(""))])),
            rest: BTreeMap::from([("locale".to_owned(), Wrapper(""))]),
        };
        assert!(assert_same(&newtypes).is_err());
        // A type written through `collect_str` (its `Display`, as many ID and URL types are):
        // checked as the string it writes, at a rule's place as elsewhere.
        struct Shown(&'static str);
        impl Serialize for Shown {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.collect_str(self.0)
            }
        }
        let shown = |username, email, given, nickname| Patch::<Shown> {
            username: Some(Shown(username)),
            email: Some(Shown(email)),
            name: Some(BTreeMap::from([("given", Shown(given))])),
            rest: BTreeMap::from([
                ("nickname".to_owned(), Shown(nickname)),
                ("custom".to_owned(), Shown("x")),
            ]),
        };
        assert_eq!(
            assert_same(&shown("ada", "ada@example.com", "Ada", "Countess")),
            Ok(())
        );
        let error = assert_same(&shown("ada", "not-an-email", "Ada", "")).unwrap_err();
        assert!(
            error.contains("(email must be an RFC 2822 address")
                && error.contains("; nickname must be between"),
            "{error}"
        );
        assert!(
            assert_same(&BTreeMap::from([("address", Shown("x"))]))
                .unwrap_err()
                .contains("address must be an object")
        );

        // Keys that are not strings, and a unit variant as a key.
        let keys: BTreeMap<Wrapper<char>, &str> = BTreeMap::from([(Wrapper('e'), "")]);
        assert_eq!(assert_same(&keys), Ok(()));
        let numbers: BTreeMap<u8, &str> = BTreeMap::from([(1, "")]);
        assert_eq!(assert_same(&numbers), Ok(()));
        let booleans: BTreeMap<bool, &str> = BTreeMap::from([(true, "")]);
        assert_eq!(assert_same(&booleans), Ok(()));
        #[derive(Serialize, PartialEq, Eq, PartialOrd, Ord)]
        #[allow(non_camel_case_types)]
        enum Key {
            nickname,
            name,
        }
        let variants = BTreeMap::from([(Key::nickname, json!("")), (Key::name, json!(5))]);
        assert!(assert_same(&variants).is_err());

        // serde_json's `RawValue` is read as JSON again, wherever it is.
        let raw =
            RawValue::from_string(r#"{"nickname": "", "given": "", "x": [1]}"#.to_owned()).unwrap();
        let raw_string = RawValue::from_string(r#""""#.to_owned()).unwrap();
        let patch = Patch::<&RawValue> {
            username: Some(&raw_string),
            email: Some(&raw),
            name: Some(BTreeMap::from([("given", &*raw_string)])),
            rest: BTreeMap::from([
                ("name".to_owned(), &*raw),
                ("photo".to_owned(), &*raw_string),
            ]),
        };
        assert!(assert_same(&patch).is_err());
        assert!(assert_same(&raw).is_err());
        assert_eq!(assert_same(&raw_string), Ok(()));
    }

    /// The client's own patches, as the derive writes them.
    #[test]
    fn serializing_checks_the_user_patch() {
        use crate::pingone::{NamePatch, UserPatch};

        let patch = UserPatch::new()
            .email("not-an-email")
            .nickname("")
            .name(NamePatch::new().given(""));
        let error = assert_same(&patch).unwrap_err();
        for target in ["email", "nickname", "name.given"] {
            // Each fault starts with its target, written once.
            assert!(
                error.contains(&format!("({target} ")) || error.contains(&format!("; {target} ")),
                "{error}"
            );
            assert!(!error.contains(&format!("{target}: {target}")), "{error}");
        }
        let good = UserPatch::new()
            .email("a@example.com")
            .name(NamePatch::new().given("G"));
        assert_eq!(assert_same(&good), Ok(()));
    }
}
