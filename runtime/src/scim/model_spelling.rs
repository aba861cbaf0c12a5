//! The names of a SCIM message's change spelled as a typed model spells them, for
//! [`Patch::from_scim_patch`](crate::Patch::from_scim_patch): SCIM reads attribute names in
//! any case (RFC 7643 §2.1, RFC 7644 §3.10), and [`apply_scim_patch`](crate::apply_scim_patch)
//! keeps the message's spelling of an attribute that the resource does not hold (`Manager`,
//! `name.GivenName`, `emails[…].Value`), which serde, reading names exactly, dropped without a
//! word (review 159).
//!
//! The model's names are those that its `Deserialize` gives `deserialize_struct` (serde's
//! field names, `rename`, `rename_all` and `alias` applied) and, for an externally tagged
//! enum, `deserialize_enum` (its variants' names, the key of `{"circle": {…}}`; a struct
//! variant's fields through `struct_variant`), found by reading the model from the changed
//! JSON through [`Respell`], which spells each object's keys so before the model's reading
//! sees them; and, at the top level, the keys that the model reads for the patch's fields
//! ([`Patch::WRITTEN_KEYS`](crate::Patch::WRITTEN_KEYS), aliases included), which cover a
//! model that flattens a map of custom attributes beside its fields (read with
//! `deserialize_map`, which names no field): a case variant of a field's name is that field,
//! not a custom attribute. A struct's members are presented in the order of its fields, so
//! that an adjacently tagged enum (`{"t": …, "c": …}`) reads its tag before its content, and
//! the content through [`Respell`] rather than serde's buffer.
//!
//! Where serde reads names itself, from its own buffer of the value (below a flattened field
//! other than the top level's, inside an internally tagged or untagged enum), the names
//! cannot be respelled: [`respell_as_model`] gives the paths of the names there that the base
//! did not hold, and [`first_unread`](super::unread_names::first_unread) finds one that the
//! model does not read, which the typed reading refuses rather than drops.

use core::cell::Cell;

use serde::de::{self, DeserializeSeed, Deserializer, EnumAccess, MapAccess, SeqAccess};
use serde::de::{VariantAccess, Visitor};
use serde_json::{Error, Map, Value};

use super::key_read::{Key, KeyRead};
use super::name_paths::{At, NamePath, Seen};
use crate::boolean_strings::boolean_string;
use crate::forward_reads::forward_reads;
use crate::private::WrittenKeys;

/// Spells the keys of `changed` (a resource's JSON after a message) as `M` reads them, at
/// every level that `M`'s reading names its fields; a key whose model spelling the object
/// holds already is left alone (the resource held both: no message makes two, since
/// [`apply_scim_patch`](crate::apply_scim_patch) refuses a value that does). The model read
/// is dropped: the typed reading reads the respelled JSON again, and reports its errors.
///
/// Returns the paths of the names that serde reads from its own buffer (below a flattened
/// field other than the top level's, inside an internally tagged or untagged enum, or a
/// struct that serde reads as a map), which could not be respelled, where `base` (the
/// resource's JSON before the message) does not hold them: the message may have spelled
/// them in another case than the model.
pub(crate) fn respell_as_model<M: de::DeserializeOwned>(
    changed: &mut Value,
    top: &WrittenKeys,
    base: &Value,
) -> Vec<NamePath> {
    let mut names = Vec::new();
    written(top, &mut names);
    if let Value::Object(members) = changed {
        respell_keys(members, &names);
    }
    let seen = Seen::new(base);
    let _ = M::deserialize(Respell {
        value: changed,
        at: &At::Top,
        seen: &seen,
    });
    seen.into_paths()
}

/// The keys of `keys` (those the patch writes and those the model reads), its flattened
/// patches' too.
fn written(keys: &WrittenKeys, names: &mut Vec<&'static str>) {
    names.extend_from_slice(keys.own);
    names.extend_from_slice(keys.read);
    for flattened in keys.flattened {
        written(flattened, names);
    }
}

/// Each key of `members` that is not one of `fields` but one in another ASCII case, spelled
/// as that field (the first so), where `members` does not hold that spelling; the members'
/// order kept.
fn respell_keys(members: &mut Map<String, Value>, fields: &[&str]) {
    let spelling = |members: &Map<String, Value>, key: &str| -> Option<String> {
        if fields.contains(&key) {
            return None;
        }
        fields
            .iter()
            .find(|field| field.eq_ignore_ascii_case(key))
            .filter(|field| !members.contains_key(**field))
            .map(|field| (*field).to_owned())
    };
    if members.keys().all(|key| spelling(members, key).is_none()) {
        return;
    }
    let held = std::mem::take(members);
    let mut spelled = Map::with_capacity(held.len());
    for (key, value) in &held {
        let name = match spelling(&held, key) {
            Some(field) if !spelled.contains_key(&field) => field,
            _ => key.clone(),
        };
        spelled.insert(name, value.clone());
    }
    *members = spelled;
}

/// A JSON value read by a model's `Deserialize`, each object that the model reads as a struct
/// respelled ([`respell_keys`]) before its keys are read, and each enum's variant named by a
/// key (`{"Circle": {…}}`) spelled as the enum names it.
struct Respell<'a, 'p> {
    value: &'a mut Value,
    at: &'p At<'p>,
    seen: &'p Seen<'p>,
}

/// How a map's members are read: as a struct's fields (`deserialize_struct`: the names
/// respelled), or as a map (`deserialize_map`, `deserialize_any`: a map's keys, a
/// `serde_json::Value`, serde's buffer, or a struct with a flattened field).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Read {
    Struct,
    Map,
}

impl<'a, 'p> Respell<'a, 'p> {
    fn members<'de, V: Visitor<'de>>(
        self,
        visitor: V,
        read: Read,
        fields: &[&str],
    ) -> Result<V::Value, Error> {
        match self.value {
            Value::Object(members) => {
                let mut entries: Vec<(&'a String, &'a mut Value)> = members.iter_mut().collect();
                // The fields' members first, in the fields' order: an adjacently tagged
                // enum's tag before its content.
                if !fields.is_empty() {
                    entries.sort_by_key(|(name, _)| {
                        fields
                            .iter()
                            .position(|field| field == name)
                            .unwrap_or(usize::MAX)
                    });
                }
                visitor.visit_map(Members {
                    entries: entries.into_iter(),
                    value: None,
                    at: self.at,
                    seen: self.seen,
                    read,
                })
            }
            Value::Array(items) => visitor.visit_seq(Elements {
                items: items.iter_mut().enumerate(),
                at: self.at,
                seen: self.seen,
            }),
            other => other.clone().deserialize_any(visitor),
        }
    }
}

impl<'de> Deserializer<'de> for Respell<'_, '_> {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.members(visitor, Read::Map, &[])
    }

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        // Entra ID's `"True"` (see `boolean_strings`): read on, to respell what follows.
        match boolean_string(self.value) {
            Some(boolean) => visitor.visit_bool(boolean),
            None => self.value.clone().deserialize_bool(visitor),
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        if self.value.is_null() {
            visitor.visit_none()
        } else {
            visitor.visit_some(self)
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        if name.starts_with("$serde_json") {
            return self.value.clone().deserialize_newtype_struct(name, visitor);
        }
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        if let Value::Object(members) = &mut *self.value {
            respell_keys(members, fields);
        }
        self.members(visitor, Read::Struct, fields)
    }

    /// An externally tagged enum's variant named by the one key of an object
    /// (`{"circle": {"radiusCm": 3}}`), that key being a member's name, is spelled as the enum
    /// names its variants, and the variant's value read through [`Respell`]. A variant named by
    /// a string (`"dot"`) is a value, read as serde_json reads it.
    fn deserialize_enum<V: Visitor<'de>>(
        self,
        name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        match self.value {
            Value::Object(members) if members.len() == 1 => {
                respell_keys(members, variants);
                let Some((variant, value)) = members.iter_mut().next() else {
                    unreachable!("an object of one member")
                };
                let at = At::Member {
                    parent: self.at,
                    name: variant,
                };
                visitor.visit_enum(Variant {
                    name: variant,
                    value,
                    at: &at,
                    seen: self.seen,
                })
            }
            other => other.clone().deserialize_enum(name, variants, visitor),
        }
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_unit()
    }

    serde::forward_to_deserialize_any! { seq map tuple tuple_struct }

    forward_reads!(self => self.value.clone();
        scalars,
        deserialize_unit_struct(name: &'static str),
    );
}

/// An object's members, each value read through [`Respell`].
struct Members<'a, 'p> {
    entries: std::vec::IntoIter<(&'a String, &'a mut Value)>,
    value: Option<(&'a String, &'a mut Value)>,
    at: &'p At<'p>,
    seen: &'p Seen<'p>,
    read: Read,
}

impl<'de> MapAccess<'de> for Members<'_, '_> {
    type Error = Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Error> {
        let Some((name, value)) = self.entries.next() else {
            return Ok(None);
        };
        let how = Cell::new(KeyRead::Text);
        let key = seed.deserialize(Key { name, how: &how })?;
        // serde's buffer reads a key as any value (its `Content`); a struct with a flattened
        // field, read as a map, reads its keys as fields' names that it does not give. The
        // top level's names are respelled by the patch's keys.
        let buffered = match how.get() {
            KeyRead::Any => true,
            KeyRead::Identifier => self.read == Read::Map && !matches!(self.at, At::Top),
            KeyRead::Text => false,
        };
        if buffered {
            self.seen.buffered(self.at, name);
        }
        self.value = Some((name, value));
        Ok(Some(key))
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Error> {
        match self.value.take() {
            Some((name, value)) => seed.deserialize(Respell {
                value,
                at: &At::Member {
                    parent: self.at,
                    name,
                },
                seen: self.seen,
            }),
            None => Err(de::Error::custom("a value without its key")),
        }
    }
}

/// An array's elements, each read through [`Respell`].
struct Elements<'a, 'p> {
    items: std::iter::Enumerate<std::slice::IterMut<'a, Value>>,
    at: &'p At<'p>,
    seen: &'p Seen<'p>,
}

impl<'de> SeqAccess<'de> for Elements<'_, '_> {
    type Error = Error;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, Error> {
        self.items
            .next()
            .map(|(index, value)| {
                seed.deserialize(Respell {
                    value,
                    at: &At::Element {
                        parent: self.at,
                        index,
                    },
                    seen: self.seen,
                })
            })
            .transpose()
    }
}

/// An externally tagged enum's variant: its name (the object's one key) and its value.
struct Variant<'a, 'p> {
    name: &'a str,
    value: &'a mut Value,
    at: &'p At<'p>,
    seen: &'p Seen<'p>,
}

impl<'de, 'a, 'p> EnumAccess<'de> for Variant<'a, 'p> {
    type Error = Error;
    type Variant = Self;

    fn variant_seed<S: DeserializeSeed<'de>>(self, seed: S) -> Result<(S::Value, Self), Error> {
        let variant = seed.deserialize(de::value::StrDeserializer::<Error>::new(self.name))?;
        Ok((variant, self))
    }
}

impl<'de> VariantAccess<'de> for Variant<'_, '_> {
    type Error = Error;

    fn unit_variant(self) -> Result<(), Error> {
        <() as de::Deserialize>::deserialize(self.value.clone())
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<T::Value, Error> {
        seed.deserialize(Respell {
            value: self.value,
            at: self.at,
            seen: self.seen,
        })
    }

    fn tuple_variant<V: Visitor<'de>>(self, _: usize, visitor: V) -> Result<V::Value, Error> {
        Respell {
            value: self.value,
            at: self.at,
            seen: self.seen,
        }
        .deserialize_seq(visitor)
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        Respell {
            value: self.value,
            at: self.at,
            seen: self.seen,
        }
        .deserialize_struct("", fields, visitor)
    }
}
