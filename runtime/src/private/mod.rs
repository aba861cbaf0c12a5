//! Support for the code that `#[derive(Patchable)]` generates. Not a public API: names and
//! signatures here may change in any release.

pub use core;

/// The runtime's root again: the generated code of a model with `#[patchable(crate = "path")]`
/// names every item through `path::private::runtime`, so that a path to something else
/// (`crate = "std"`) is one error at the attribute, not one per item named.
pub mod runtime {
    pub use crate::*;
}
pub use serde;
pub use std::borrow::Cow;

mod field_shape;
pub use field_shape::*;

mod plain_value;
pub use plain_value::*;

mod field_compose;
pub use field_compose::*;

mod pointer;
pub use pointer::{Behind, Pointer};

/// Checks the elements that a required keyed array's patch sets (`#[patchable(key = "...")]`):
/// each has its key, no two the same.
///
/// # Errors
///
/// [`ApplyError`](crate::ApplyError) naming the array, the key and the element at fault.
#[inline]
pub fn check_keyed_value<T: serde::Serialize>(
    patch: &Option<Vec<T>>,
    name: &'static str,
    key: &'static str,
) -> Result<(), crate::ApplyError> {
    match patch {
        Some(elements) => crate::keyed_array::check_elements(elements, name, key),
        None => Ok(()),
    }
}

/// [`check_keyed_value`] for a nullable keyed array.
///
/// # Errors
///
/// As [`check_keyed_value`].
#[inline]
pub fn check_keyed_nullable_value<T: serde::Serialize>(
    patch: &crate::Field<Vec<T>>,
    name: &'static str,
    key: &'static str,
) -> Result<(), crate::ApplyError> {
    match patch {
        crate::Field::Value(elements) => crate::keyed_array::check_elements(elements, name, key),
        _ => Ok(()),
    }
}

mod json_map;
pub use json_map::MergeJsonMap;

mod patch_serde;
pub use patch_serde::*;

mod map_only;
pub use map_only::MapOnly;

mod unique_keys;
pub use unique_keys::*;

mod null_probe;
pub use null_probe::{NeverNull, writes_null};

mod nullable_with;
pub use nullable_with::{ReadWith, WriteWith, deserialize_nullable_with, serialize_nullable_with};

mod patch_writer;
pub use patch_writer::*;

mod unwritable_null;
pub use unwritable_null::{Null, NullOf, name_unwritable_null};

mod schema;
pub use schema::*;

mod written_keys;
pub use written_keys::*;

use serde::{Deserialize, Deserializer};

/// Reads a required attribute's patch field: a value is `Some`, and `null`, which would clear an
/// attribute that may not be cleared, is an error naming the attribute (`name`, as serialized).
/// With `NESTED` (a nested patch's field), an error for `null` on a required attribute inside
/// the nested patch names the path from this field down (`name.street`).
///
/// # Errors
///
/// The deserializer's error for `null`, or for a value that is not a `T`.
pub fn deserialize_required<'de, D, T, const NESTED: bool>(
    deserializer: D,
    name: &'static str,
) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    match Option::<T>::deserialize(deserializer) {
        Ok(Some(value)) => Ok(Some(value)),
        Ok(None) => Err(serde::de::Error::custom(format_args!(
            "{NULL_FOR}{name}{CANNOT_BE_CLEARED}"
        ))),
        Err(error) if NESTED => Err(prefix_null_path(error, name)),
        Err(error) => Err(error),
    }
}

/// The words of the error for `null` on a required attribute, before and after its path.
const NULL_FOR: &str = "invalid value: null for `";
pub(crate) const CANNOT_BE_CLEARED: &str = "`, a required attribute that cannot be cleared";

/// The result of reading a nested patch's field (`name`, as deserialized), with the error for
/// `null` on a required attribute inside it naming the path from here (`name.street`) rather
/// than the inner key alone; levels above prefix their own keys as the error passes up. Other
/// errors, and `Ok`, pass through: the success path costs one branch, which `?` has anyway.
///
/// # Errors
///
/// `result`'s error, the path prefixed for `null` on a required attribute.
#[inline(always)]
pub fn nested_read<T, E: serde::de::Error>(
    result: Result<T, E>,
    name: &'static str,
) -> Result<T, E> {
    match result {
        Ok(value) => Ok(value),
        Err(error) => Err(prefix_null_path(error, name)),
    }
}

/// Prefixes `name` to the path of an error for `null` on a required attribute. The error type
/// is the deserializer's, so the error is recognised by its message, and a new one made with
/// the longer path; whatever the deserializer wrote after the message (serde_json's position)
/// is dropped, since the deserializer adds it again to the new error on its way out (serde_json
/// where it leaves the parent's object: past the closing braces that directly follow the
/// `null`, as a position of serde's derives is past the nested object's own brace).
#[cold]
#[inline(never)]
fn prefix_null_path<E: serde::de::Error>(error: E, name: &str) -> E {
    let message = error.to_string();
    let path = message
        .strip_prefix(NULL_FOR)
        .and_then(|rest| rest.find(CANNOT_BE_CLEARED).map(|end| &rest[..end]));
    match path {
        Some(path) => E::custom(format_args!("{NULL_FOR}{name}.{path}{CANNOT_BE_CLEARED}")),
        None => error,
    }
}

/// A patch's `Debug`: `Name { field: value, .. }` through one call with the fields as trait
/// objects, as the standard library's own `derive(Debug)` does for structs of more than five
/// fields, since one array of coercions costs rustc less than a method call per field.
///
/// # Errors
///
/// The formatter's error.
pub fn debug_fields(
    formatter: &mut core::fmt::Formatter<'_>,
    name: &str,
    names: &[&str],
    values: &[&dyn core::fmt::Debug],
) -> core::fmt::Result {
    let mut debug = formatter.debug_struct(name);
    for (name, value) in names.iter().zip(values) {
        debug.field(name, value);
    }
    debug.finish()
}

/// The first error among a model's field results (an [`ApplyError`](crate::ApplyError) or a
/// [`ComposeConflict`](crate::ComposeConflict)), in field order, or `Ok(())`.
///
/// Generated code checks and applies every field and hands the results over in one array,
/// rather than returning early after each field: a `match` (or `?`) per field costs rustc more
/// than the field's own call. Checks have no effect, and an apply that follows a passed check
/// cannot fail, so evaluating every field before looking at the errors changes nothing but the
/// work done on a path that returns an error.
///
/// # Errors
///
/// The first `Err` of `results`.
#[inline]
pub fn first_error<E, const N: usize>(results: [Result<(), E>; N]) -> Result<(), E> {
    for result in results {
        result?;
    }
    Ok(())
}

/// Whether every value is `true`: the generated `PartialEq` and `is_empty`, which hand over
/// every field's answer in one array rather than chaining `&&`, which costs rustc a branch per
/// field.
#[inline]
#[must_use]
pub fn all<const N: usize>(values: [bool; N]) -> bool {
    values.iter().all(|value| *value)
}

/// Keeps the first error: `result` becomes `next` when it is still `Ok`. The statement form of
/// [`first_error`], for models with `#[cfg]` fields, which cannot sit in an array.
#[inline]
pub fn keep_first_error<E>(result: &mut Result<(), E>, next: Result<(), E>) {
    if result.is_ok() {
        *result = next;
    }
}

/// An absent patch field: serde's `default = "..."` for every patch field whose serde code is
/// serde's derive. A plain `default` would make serde bound every type parameter of the field
/// by `Default`, which `Option` and `Field` do not need.
#[inline]
#[must_use]
pub fn absent<F: Default>() -> F {
    F::default()
}

/// The patch of a nullable field that builds `None` where serde's default for a missing key
/// may be `Some` (a `default = "path"`, the struct's `default`): `null` rather than absent.
#[inline]
#[must_use]
pub fn null_if_absent<T>(field: crate::Field<T>) -> crate::Field<T> {
    match field {
        crate::Field::Absent => crate::Field::Null,
        other => other,
    }
}

/// Writes a map patch without its absent entries; `serialize_with` of flattened map patches.
///
/// # Errors
///
/// The serializer's error.
pub fn serialize_map_patch<M, S>(map: &M, serializer: S) -> Result<S::Ok, S::Error>
where
    M: crate::SerializeMapPatch,
    S: serde::Serializer,
{
    map.serialize_map_patch(serializer)
}

/// The model field of a nullable attribute: `Option<T>`. Lets the derive name `T` when the
/// model spells the `Option` through a type alias (`#[patchable(nullable)]`) or a `Box`
/// (`Box<Option<T>>`, read by name), and the nullable
/// helpers take the field through it, so that a field that is not an `Option` gets this trait's
/// message alone.
#[diagnostic::on_unimplemented(
    message = "`#[patchable(nullable)]` and a type named `Box<Option<…>>` need an `Option`, and `{Self}` is not one",
    label = "not an `Option<T>`",
    note = "a field is nullable when it is marked `#[patchable(nullable)]` (a type alias of an `Option`) or its type is named `Box<Option<…>>`; for a type of your own named `Box`, mark the field `#[patchable(required)]`"
)]
pub trait Nullable {
    /// The `T` of `Option<T>`.
    type Value;

    /// The field as an `Option`.
    fn as_option(&self) -> &Option<Self::Value>;

    /// The field as a mutable `Option`.
    fn as_option_mut(&mut self) -> &mut Option<Self::Value>;

    /// The field from an `Option`.
    fn from_option(value: Option<Self::Value>) -> Self;

    /// The field's `Option`, taken out.
    fn into_option(self) -> Option<Self::Value>;
}

impl<T> Nullable for Option<T> {
    type Value = T;

    #[inline]
    fn as_option(&self) -> &Option<T> {
        self
    }

    #[inline]
    fn as_option_mut(&mut self) -> &mut Option<T> {
        self
    }

    #[inline]
    fn from_option(value: Option<T>) -> Self {
        value
    }

    #[inline]
    fn into_option(self) -> Option<T> {
        self
    }
}

/// The model's field holding a copy of a patch's value, for a serde function of the user's
/// on a nullable attribute (`#[serde(with = "...")]` or `serialize_with`: chrono's
/// `ts_seconds_option`, time's `rfc3339::option`, serde_with's `As::<Option<DisplayFromStr>>`):
/// such a function takes the model's `&Option<T>`, and the patch holds a `T`. The derive spans
/// the call at the user's attribute, so that a `T` without `Clone` is reported there.
#[inline]
pub fn model_option<M: Nullable>(value: &M::Value) -> M
where
    M::Value: Clone,
{
    M::from_option(Some(value.clone()))
}

/// The patch's [`Field`](crate::Field) of what a `#[serde(deserialize_with)]` function of the
/// user's read for a nullable attribute whose type is not written `Option<T>` (a
/// `Box<Option<T>>`, an alias marked `#[patchable(nullable)]`): `None` is a clear.
#[inline]
pub fn field_of<M: Nullable>(model: M) -> crate::Field<M::Value> {
    model.into_option().into()
}

/// A boxed `Option` (`Box<Option<T>>`), whose JSON is the `Option`'s, `null` included: the
/// derive patches it as nullable, through this impl, as it patches an `Option`.
impl<T> Nullable for Box<Option<T>> {
    type Value = T;

    #[inline]
    fn as_option(&self) -> &Option<T> {
        self
    }

    #[inline]
    fn as_option_mut(&mut self) -> &mut Option<T> {
        self
    }

    #[inline]
    fn from_option(value: Option<T>) -> Self {
        Box::new(value)
    }

    #[inline]
    fn into_option(self) -> Option<T> {
        *self
    }
}
