//! The attribute names that a SCIM PatchOp message removes (a `remove`, a `null` value, a
//! `null` member of a value), checked against the names that a typed patch reads, for
//! [`Patch::from_scim_patch`](crate::Patch::from_scim_patch): a removal of an attribute that
//! the resource does not hold changes nothing, so the change that the message makes cannot
//! tell that the name is one that the patch refuses (`#[patchable(deny_unknown_fields)]`),
//! as the merge patch `{"nicknmae": null}` is refused.
//!
//! Each removed name's path is presented to the patch's `Deserialize` by [`NamesProbe`], a
//! deserializer of one member a level, and the patch's reading says whether it knows each
//! name ([`serde::de::Error::unknown_field`]) before it reads the value at the end, which
//! ends the probe.

use core::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, Visitor};
use serde_json::Value;

use super::path::{is_core_schema, read_path_telling_filter, split_urn};
use crate::{ScimOp, ScimPatch};

/// The first name that a removal of `message` gives at a place where `P`'s reading refuses it
/// as unknown: the path down to it (`location.rak`), the name, and the names that the reader
/// takes there. A name that the reader takes in another ASCII case is known (RFC 7643 §2.1:
/// SCIM names compare in any case; they are ASCII, and a name that is not is compared exactly,
/// as [`apply_scim_patch`](crate::apply_scim_patch) compares it). Paths qualified by an extension's schema URN are not probed,
/// and a patch that flattens a nested struct, whose reader buffers the members and refuses
/// the unknown ones in its own words, refuses none here.
pub(crate) fn first_unknown_removed<P: de::DeserializeOwned>(
    message: &ScimPatch,
) -> Option<(String, String, &'static [&'static str])> {
    let mut removed = Vec::new();
    for operation in &message.operations {
        match (operation.op, &operation.path, &operation.value) {
            (ScimOp::Remove, Some(path), _) => removed.extend(path_names(path)),
            (ScimOp::Add | ScimOp::Replace, Some(path), Some(value)) => {
                if let Some(names) = path_names(path) {
                    null_members(names, value, &mut removed);
                }
            }
            (ScimOp::Add | ScimOp::Replace, None, Some(Value::Object(members))) => {
                for (name, value) in members {
                    if let Some(names) = path_names(name) {
                        null_members(names, value, &mut removed);
                    }
                }
            }
            _ => {}
        }
    }
    removed.into_iter().find_map(unknown_along::<P>)
}

/// The first of `names` that `P`'s reading refuses as unknown: the path down to it, the name,
/// and the names that the reader takes there. A name that it takes in another case is taken in
/// its spelling, and the names below it are read again. One reading of the whole path where
/// none is refused (the common case); the level of a refused name is found by reading the
/// paths down to it, which end at a level of the model's structs, not of its JSON values.
fn unknown_along<P: de::DeserializeOwned>(
    mut names: Vec<String>,
) -> Option<(String, String, &'static [&'static str])> {
    // Each turn takes one level's spelling, the refused level going deeper: as many turns as
    // levels, at most.
    for _ in 0..names.len() {
        refused::<P>(&names)?;
        let (depth, (field, expected)) = (1..=names.len())
            .find_map(|depth| refused::<P>(&names[..depth]).map(|found| (depth, found)))?;
        match expected
            .iter()
            .find(|known| known.eq_ignore_ascii_case(&field))
        {
            Some(known) => names[depth - 1] = (*known).to_owned(),
            None => return Some((names[..depth].join("."), field, expected)),
        }
    }
    None
}

/// The name that `P`'s reading refuses as unknown along `names`, and the names that it takes
/// there.
fn refused<P: de::DeserializeOwned>(names: &[String]) -> Option<(String, &'static [&'static str])> {
    match P::deserialize(NamesProbe { names }) {
        Err(ProbeEnd::Unknown { field, expected }) => Some((field, expected)),
        _ => None,
    }
}

/// The names of a path: its attribute (a core schema's URN left out, RFC 7644 §3.10), and its
/// sub-attribute (after a filter too, where it names the sub-attribute of the selected
/// elements); `None` for an extension's attribute, which is not probed.
fn path_names(path: &str) -> Option<Vec<String>> {
    let path = read_path_telling_filter(path, true).ok()?;
    let attribute = match split_urn(&path.attribute) {
        Some((urn, name)) if is_core_schema(urn) => name.to_owned(),
        Some(_) => return None,
        None => path.attribute,
    };
    Some(
        core::iter::once(attribute)
            .chain(path.sub_attribute)
            .collect(),
    )
}

/// Adds to `removed` the names of each `null` in `value` (the value itself, or a member of an
/// object at any depth), below `names`.
fn null_members(names: Vec<String>, value: &Value, removed: &mut Vec<Vec<String>>) {
    match value {
        Value::Null => removed.push(names),
        Value::Object(members) => {
            for (name, member) in members {
                let mut below = names.clone();
                below.push(name.clone());
                null_members(below, member, removed);
            }
        }
        _ => {}
    }
}

/// How a probe ended: the reader refused a name as unknown, or anything else (the end of the
/// names reached, a name known, a type that holds no members).
#[derive(Debug)]
enum ProbeEnd {
    Unknown {
        field: String,
        expected: &'static [&'static str],
    },
    Other,
}

impl fmt::Display for ProbeEnd {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("the end of a probe of names")
    }
}

impl std::error::Error for ProbeEnd {}

impl de::Error for ProbeEnd {
    fn custom<T: fmt::Display>(_: T) -> Self {
        ProbeEnd::Other
    }

    fn unknown_field(field: &str, expected: &'static [&'static str]) -> Self {
        ProbeEnd::Unknown {
            field: field.to_owned(),
            expected,
        }
    }
}

/// A deserializer that presents `names` as nested objects of one member each
/// (`{"location": {"rak": …}}`), and ends where they end.
struct NamesProbe<'a> {
    names: &'a [String],
}

impl<'de> Deserializer<'de> for NamesProbe<'_> {
    type Error = ProbeEnd;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ProbeEnd> {
        match self.names.split_first() {
            Some((name, below)) => visitor.visit_map(OneMember {
                name: Some(name),
                below,
            }),
            None => Err(ProbeEnd::Other),
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ProbeEnd> {
        if self.names.is_empty() {
            return Err(ProbeEnd::Other);
        }
        visitor.visit_some(self)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, ProbeEnd> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, _visitor: V) -> Result<V::Value, ProbeEnd> {
        Err(ProbeEnd::Other)
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        unit unit_struct seq tuple tuple_struct map struct enum identifier
    }
}

/// The one member of a level of [`NamesProbe`]: `name`, and the names below it.
struct OneMember<'a> {
    name: Option<&'a String>,
    below: &'a [String],
}

impl<'de> MapAccess<'de> for OneMember<'_> {
    type Error = ProbeEnd;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, ProbeEnd> {
        match self.name.take() {
            Some(name) => seed
                .deserialize(de::value::StrDeserializer::<ProbeEnd>::new(name))
                .map(Some),
            None => Ok(None),
        }
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, ProbeEnd> {
        seed.deserialize(NamesProbe { names: self.below })
    }
}
