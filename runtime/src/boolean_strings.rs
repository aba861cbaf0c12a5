//! Reading a typed value from JSON in which a boolean may be written as the string `"True"` or
//! `"False"` (in any case), as Microsoft Entra ID writes booleans in its SCIM requests
//! without the `aadOptscim062020` flag (`{"op": "Replace", "path": "active", "value":
//! "False"}`; AzureAD/SCIMReferenceCode#21, scimmyjs/scimmy#51, ory/polis#1199): where the
//! type being read asks for a `bool`, such a string is that boolean, and nowhere else (a
//! `String` field keeps `"False"`, a `serde_json::Value` keeps the string). The SCIM applier's
//! rule for `primary`, a boolean (RFC 7643 §2.4), reads such a string as that boolean too, and
//! keeps it as it is written.

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Error, Value};

use crate::forward_reads::forward_reads;

/// Reads `T` from `value` as [`serde_json::from_value`] does, except that where `T` asks for a
/// `bool` (a `bool` field, `Option<bool>`, the patch's `Field<bool>`), the string `"true"` or
/// `"false"` in any ASCII case is that boolean.
///
/// Inside what serde buffers before reading it (a `#[serde(flatten)]` field, an untagged or
/// internally tagged enum) and inside an enum's variant, the string is read as serde_json
/// reads it: an error for a `bool`.
///
/// # Errors
///
/// serde_json's error, as [`serde_json::from_value`] gives it.
pub(crate) fn from_value_with_boolean_strings<T: de::DeserializeOwned>(
    value: Value,
) -> Result<T, Error> {
    T::deserialize(BooleanStrings(value))
}

/// A JSON value read with booleans also written as strings.
pub(crate) struct BooleanStrings(pub(crate) Value);

/// `"true"` or `"false"` in any ASCII case: the boolean.
pub(crate) fn boolean_string(value: &Value) -> Option<bool> {
    match value {
        Value::String(text) if text.eq_ignore_ascii_case("true") => Some(true),
        Value::String(text) if text.eq_ignore_ascii_case("false") => Some(false),
        _ => None,
    }
}

fn visit_array<'de, V: Visitor<'de>>(items: Vec<Value>, visitor: V) -> Result<V::Value, Error> {
    let length = items.len();
    let mut elements = Elements(items.into_iter());
    let read = visitor.visit_seq(&mut elements)?;
    if elements.0.len() == 0 {
        Ok(read)
    } else {
        Err(de::Error::invalid_length(
            length,
            &"fewer elements in array",
        ))
    }
}

fn visit_object<'de, V: Visitor<'de>>(
    members: serde_json::Map<String, Value>,
    visitor: V,
) -> Result<V::Value, Error> {
    let length = members.len();
    let mut members = Members {
        members: members.into_iter(),
        value: None,
    };
    let read = visitor.visit_map(&mut members)?;
    if members.members.len() == 0 {
        Ok(read)
    } else {
        Err(de::Error::invalid_length(length, &"fewer elements in map"))
    }
}

impl<'de> Deserializer<'de> for BooleanStrings {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.0 {
            Value::Array(items) => visit_array(items, visitor),
            Value::Object(members) => visit_object(members, visitor),
            other => other.deserialize_any(visitor),
        }
    }

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match boolean_string(&self.0) {
            Some(boolean) => visitor.visit_bool(boolean),
            None => self.0.deserialize_bool(visitor),
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.0 {
            Value::Null => visitor.visit_none(),
            other => visitor.visit_some(BooleanStrings(other)),
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        // serde_json's own newtypes (`RawValue`) are its to read.
        if name.starts_with("$serde_json") {
            return self.0.deserialize_newtype_struct(name, visitor);
        }
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.0 {
            Value::Array(items) => visit_array(items, visitor),
            other => other.deserialize_seq(visitor),
        }
    }

    fn deserialize_tuple<V: Visitor<'de>>(self, _: usize, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: usize,
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.0 {
            Value::Object(members) => visit_object(members, visitor),
            other => other.deserialize_map(visitor),
        }
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        match self.0 {
            Value::Object(members) => visit_object(members, visitor),
            Value::Array(items) => visit_array(items, visitor),
            other => other.deserialize_struct(name, fields, visitor),
        }
    }

    forward_reads!(self => self.0;
        scalars,
        deserialize_ignored_any,
        deserialize_unit_struct(name: &'static str),
        deserialize_enum(name: &'static str, variants: &'static [&'static str]),
    );
}

/// An array's elements, each read with booleans also written as strings.
struct Elements(std::vec::IntoIter<Value>);

impl<'de> SeqAccess<'de> for Elements {
    type Error = Error;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, Error> {
        self.0
            .next()
            .map(|value| seed.deserialize(BooleanStrings(value)))
            .transpose()
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.0.len())
    }
}

/// An object's members: each key read as serde_json reads a map's key (a number's text as the
/// number, for a map with number keys), each value with booleans also written as strings.
struct Members {
    members: serde_json::map::IntoIter,
    value: Option<Value>,
}

impl<'de> MapAccess<'de> for Members {
    type Error = Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Error> {
        let Some((key, value)) = self.members.next() else {
            return Ok(None);
        };
        self.value = Some(value);
        // Read by serde_json's own key reader: the key of a one-member object.
        let mut one = serde_json::Map::new();
        one.insert(key, Value::Null);
        Value::Object(one).deserialize_map(KeyOf(seed)).map(Some)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Error> {
        let value = self
            .value
            .take()
            .ok_or_else(|| de::Error::custom("a map's value read before its key"))?;
        seed.deserialize(BooleanStrings(value))
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.members.len())
    }
}

/// Reads the one key of a map with `seed`, as the map's reader reads keys.
struct KeyOf<K>(K);

impl<'de, K: DeserializeSeed<'de>> Visitor<'de> for KeyOf<K> {
    type Value = K::Value;

    fn expecting(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("a map's key")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<K::Value, A::Error> {
        let key = map
            .next_key_seed(self.0)?
            .ok_or_else(|| de::Error::custom("a map without its key"))?;
        map.next_value::<de::IgnoredAny>()?;
        Ok(key)
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use serde::Deserialize;
    use serde_json::json;

    use super::from_value_with_boolean_strings;

    #[derive(Debug, PartialEq, Deserialize)]
    struct Flags {
        by_number: BTreeMap<u32, bool>,
        list: Vec<bool>,
        pair: (bool, String),
        name: String,
        maybe: Option<bool>,
        nested: Option<Box<Flags>>,
    }

    /// A `bool` anywhere the type asks for one (a map's value under a number key, a `Vec`, a
    /// tuple, an `Option`, a nested struct) reads `"True"`/`"false"`; a `String` keeps it.
    #[test]
    fn booleans_where_the_type_asks_for_one() {
        let read: Flags = from_value_with_boolean_strings(json!({
            "by_number": {"7": "True"},
            "list": ["false", true],
            "pair": ["FALSE", "True"],
            "name": "True",
            "maybe": "true",
            "nested": {"by_number": {}, "list": [], "pair": [true, ""], "name": "", "maybe": null, "nested": null}
        }))
        .unwrap();
        assert_eq!(read.by_number, BTreeMap::from([(7, true)]));
        assert_eq!(read.list, [false, true]);
        assert_eq!(read.pair, (false, "True".to_owned()));
        assert_eq!(read.name, "True");
        assert_eq!(read.maybe, Some(true));
        assert_eq!(read.nested.unwrap().maybe, None);
        let error = from_value_with_boolean_strings::<Flags>(json!({
            "by_number": {}, "list": ["yes"], "pair": [true, ""], "name": "", "maybe": null, "nested": null
        }))
        .unwrap_err();
        assert_eq!(
            error.to_string(),
            "invalid type: string \"yes\", expected a boolean"
        );
    }

    /// A struct that serde reads from a JSON array (its fields in order) reads its booleans
    /// there as from an object; a tuple given more elements than it holds is refused, as
    /// serde_json refuses it; and serde_json's own types (a `RawValue`, which serde_json reads
    /// through a newtype of its own) are read by serde_json, keeping the text as written.
    /// (Mutation testing: each of these three went unnoticed.)
    /// A map that the type reads only in part (a reader of its own that stops after the first
    /// member) is refused as serde_json refuses it, as an array is. (Mutation testing: the
    /// check of the members left over could be dropped unnoticed.)
    #[test]
    fn a_map_read_in_part_is_serde_jsons_error() {
        struct First(bool);
        impl<'de> Deserialize<'de> for First {
            fn deserialize<D: serde::Deserializer<'de>>(reader: D) -> Result<Self, D::Error> {
                struct FirstMember;
                impl<'de> serde::de::Visitor<'de> for FirstMember {
                    type Value = First;
                    fn expecting(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                        f.write_str("a map")
                    }
                    fn visit_map<A: serde::de::MapAccess<'de>>(
                        self,
                        mut map: A,
                    ) -> Result<First, A::Error> {
                        let (_, flag): (String, bool) = map
                            .next_entry()?
                            .ok_or_else(|| serde::de::Error::custom("an empty map"))?;
                        Ok(First(flag))
                    }
                }
                reader.deserialize_map(FirstMember)
            }
        }
        assert!(
            from_value_with_boolean_strings::<First>(json!({"a": "true"}))
                .unwrap()
                .0
        );
        let error = from_value_with_boolean_strings::<First>(json!({"a": "true", "b": "false"}))
            .err()
            .unwrap();
        let expected = serde_json::from_value::<First>(json!({"a": true, "b": false}))
            .err()
            .unwrap();
        assert_eq!(error.to_string(), expected.to_string());
    }

    #[test]
    fn structs_from_arrays_tuples_of_their_length_and_raw_values() {
        #[derive(Debug, PartialEq, Deserialize)]
        struct Pair {
            first: bool,
            second: Option<bool>,
        }
        let read: Pair = from_value_with_boolean_strings(json!(["TRUE", "false"])).unwrap();
        assert_eq!(
            read,
            Pair {
                first: true,
                second: Some(false)
            }
        );
        let error = from_value_with_boolean_strings::<(bool, bool)>(json!(["true", "false", true]))
            .unwrap_err();
        assert_eq!(
            error.to_string(),
            serde_json::from_value::<(bool, bool)>(json!([true, false, true]))
                .unwrap_err()
                .to_string()
        );
        #[derive(Debug, Deserialize)]
        struct Raw {
            flag: bool,
            payload: Box<serde_json::value::RawValue>,
        }
        let read: Raw =
            from_value_with_boolean_strings(json!({"flag": "True", "payload": {"on": "True"}}))
                .unwrap();
        assert!(read.flag);
        assert_eq!(read.payload.get(), r#"{"on":"True"}"#);
    }
}
