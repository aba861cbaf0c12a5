//! The names of a SCIM message's change spelled as a typed model spells them, for
//! [`Patch::from_scim_patch`](crate::Patch::from_scim_patch): SCIM reads attribute names in
//! any case (RFC 7643 §2.1, RFC 7644 §3.10), and [`apply_scim_patch`](crate::apply_scim_patch)
//! keeps the message's spelling of an attribute that the resource does not hold (`Manager`,
//! `name.GivenName`, `emails[…].Value`), which serde, reading names exactly, dropped without a
//! word (review 159).
//!
//! The model's names are those that its `Deserialize` gives `deserialize_struct` (serde's
//! field names, `rename`, `rename_all` and `alias` applied), found by reading the model from
//! the changed JSON through [`Respell`], which spells each object's keys so before the
//! model's reading sees them; and, at the top level, the keys that the patch writes
//! ([`Patch::WRITTEN_KEYS`](crate::Patch::WRITTEN_KEYS)), which cover a model that flattens a
//! map of custom attributes beside its fields (read with `deserialize_map`, which names no
//! field): a case variant of a field's name is that field, not a custom attribute. Below a
//! flattened field or inside an enum, which serde reads from its own buffer, names are not
//! respelled.

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Error, Map, Value};

use crate::private::WrittenKeys;

/// Spells the keys of `changed` (a resource's JSON after a message) as `M` reads them, at
/// every level that `M`'s reading names its fields; a key whose model spelling the object
/// holds already is left alone (the resource held both: no message makes two, since
/// [`apply_scim_patch`](crate::apply_scim_patch) refuses a value that does). The model read
/// is dropped: the typed reading reads the respelled JSON again, and reports its errors.
pub(crate) fn respell_as_model<M: de::DeserializeOwned>(changed: &mut Value, top: &WrittenKeys) {
    let mut names = Vec::new();
    written(top, &mut names);
    if let Value::Object(members) = changed {
        respell_keys(members, &names);
    }
    let _ = M::deserialize(Respell(changed));
}

/// The keys of `keys`, its flattened patches' too.
fn written(keys: &WrittenKeys, names: &mut Vec<&'static str>) {
    names.extend_from_slice(keys.own);
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
/// respelled ([`respell_keys`]) before its keys are read.
struct Respell<'a>(&'a mut Value);

/// The methods that read a value as serde_json's `Value` reads it (a copy of a scalar).
macro_rules! as_json_reads {
    ($($method:ident),* $(,)?) => {
        $(
            fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
                self.0.clone().$method(visitor)
            }
        )*
    };
}

impl<'de> Deserializer<'de> for Respell<'_> {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.0 {
            Value::Object(members) => visitor.visit_map(Members {
                members: members.iter_mut(),
                value: None,
            }),
            Value::Array(items) => visitor.visit_seq(Elements(items.iter_mut())),
            other => other.clone().deserialize_any(visitor),
        }
    }

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        // Entra ID's `"True"` (see `boolean_strings`): read on, to respell what follows.
        match &*self.0 {
            Value::String(text) if text.eq_ignore_ascii_case("true") => visitor.visit_bool(true),
            Value::String(text) if text.eq_ignore_ascii_case("false") => visitor.visit_bool(false),
            other => other.clone().deserialize_bool(visitor),
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        if self.0.is_null() {
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
            return self.0.clone().deserialize_newtype_struct(name, visitor);
        }
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        if let Value::Object(members) = &mut *self.0 {
            respell_keys(members, fields);
        }
        self.deserialize_any(visitor)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.0.clone().deserialize_enum(name, variants, visitor)
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_unit()
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_any(visitor)
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_any(visitor)
    }

    fn deserialize_tuple<V: Visitor<'de>>(self, _: usize, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_any(visitor)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: usize,
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.deserialize_any(visitor)
    }

    as_json_reads!(
        deserialize_i8,
        deserialize_i16,
        deserialize_i32,
        deserialize_i64,
        deserialize_i128,
        deserialize_u8,
        deserialize_u16,
        deserialize_u32,
        deserialize_u64,
        deserialize_u128,
        deserialize_f32,
        deserialize_f64,
        deserialize_char,
        deserialize_str,
        deserialize_string,
        deserialize_bytes,
        deserialize_byte_buf,
        deserialize_unit,
        deserialize_identifier,
    );

    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.0.clone().deserialize_unit_struct(name, visitor)
    }
}

/// An object's members, each value read through [`Respell`].
struct Members<'a> {
    members: serde_json::map::IterMut<'a>,
    value: Option<&'a mut Value>,
}

impl<'de> MapAccess<'de> for Members<'_> {
    type Error = Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Error> {
        match self.members.next() {
            Some((key, value)) => {
                self.value = Some(value);
                seed.deserialize(de::value::StrDeserializer::<Error>::new(key))
                    .map(Some)
            }
            None => Ok(None),
        }
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Error> {
        match self.value.take() {
            Some(value) => seed.deserialize(Respell(value)),
            None => Err(de::Error::custom("a value without its key")),
        }
    }
}

/// An array's elements, each read through [`Respell`].
struct Elements<'a>(std::slice::IterMut<'a, Value>);

impl<'de> SeqAccess<'de> for Elements<'_> {
    type Error = Error;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, Error> {
        self.0
            .next()
            .map(|item| seed.deserialize(Respell(item)))
            .transpose()
    }
}
