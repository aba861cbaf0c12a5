//! The top-level `id` of a user's document, checked while the document is decoded as the
//! caller's model: the client refuses a 2xx answer that is another user's document, and
//! reading the `id` in a pass of its own would cost a second parse of the whole body (about
//! 11,000 instructions for PingOne's reference user, a tenth of a call).
//!
//! [`from_slice_checking_id`] decodes as `serde_json::from_slice` does, through a deserializer
//! that forwards every request to serde_json's unchanged and watches the text that passes: the
//! top-level keys, and the value of the `id` member. Nested values go straight to serde_json.
//!
//! Where the model does not show the `id`'s text to its visitor, the `id` is read in a second,
//! lighter pass over the body ([`second_look`]), that skips every other value: a model that
//! ignores the `id` (serde_json skips an ignored value without showing its text, and reading
//! it would refuse what skipping accepts: a number out of range, a lone surrogate escape,
//! bytes that are not UTF-8), reads it as bytes, as serde_json's `RawValue` or as an enum,
//! reads the whole document as a `RawValue`, or reads the keys as an enum. Keys read as bytes
//! are compared with `id` as bytes.

use core::fmt;

use serde::de::{
    self, DeserializeOwned, DeserializeSeed, Deserializer, EnumAccess, MapAccess, SeqAccess,
    Visitor,
};

/// `body` decoded as `M`, and the top-level `id` member when `body` is an object whose `id` is
/// a string other than `expected` (compared in any case, as UUIDs are); `None` when it is
/// `expected`, not a string, or absent. Decodes as `serde_json::from_slice` does, accepting and
/// refusing the same bodies with the same errors. With two top-level `id` members, any one
/// that is another string is given.
///
/// # Errors
///
/// serde_json's error when `body` is not the JSON of an `M`.
pub(crate) fn from_slice_checking_id<M: DeserializeOwned>(
    body: &[u8],
    expected: &str,
) -> Result<(M, Option<String>), serde_json::Error> {
    let mut json = serde_json::Deserializer::from_slice(body);
    let mut seen = Seen {
        other: None,
        unseen: false,
    };
    let model = M::deserialize(Watched {
        inner: &mut json,
        role: Role::Document {
            expected,
            seen: &mut seen,
            newtype: false,
        },
    })?;
    json.end()?;
    if seen.unseen {
        return Ok((model, second_look(body, expected)));
    }
    Ok((model, seen.other))
}

/// What the watch saw of the top-level `id`.
struct Seen {
    /// An `id` string other than `expected`.
    other: Option<String>,
    /// Whether a top-level `id` (or the document itself) went by without its text shown: the
    /// [`second_look`] reads it.
    unseen: bool,
}

/// What a watched deserializer reads.
enum Role<'a> {
    /// The document: an object's members go through [`Members`]; an `Option` or a newtype
    /// around it is watched the same way. `newtype`: the model asked for a newtype, so that a
    /// map given for it is serde_json's `RawValue`, not the document's members.
    Document {
        expected: &'a str,
        seen: &'a mut Seen,
        newtype: bool,
    },
    /// A top-level key: notes whether it is `id`.
    Key {
        at_id: &'a mut bool,
        seen: &'a mut Seen,
    },
    /// The top-level `id`'s value: keeps its text when it is not `expected`.
    Id {
        expected: &'a str,
        seen: &'a mut Seen,
    },
}

impl Role<'_> {
    /// Watches a string that the value's visitor is given. Inlined, and the key compared
    /// without a call to `memcmp`: it runs for every top-level key.
    #[inline(always)]
    fn saw_text(&mut self, text: &str) {
        match self {
            Role::Document { .. } => {}
            Role::Key { at_id, .. } => **at_id = matches!(text.as_bytes(), [b'i', b'd']),
            Role::Id { expected, seen } => {
                if !text.eq_ignore_ascii_case(expected) {
                    seen.other = Some(text.to_owned());
                }
            }
        }
    }

    /// Watches bytes that the value's visitor is given: a key is compared with `id`; the
    /// `id`'s value, or the document, is left to the [`second_look`].
    fn saw_bytes(&mut self, bytes: &[u8]) {
        match self {
            Role::Key { at_id, .. } => **at_id = bytes == b"id",
            _ => self.unseen(),
        }
    }

    /// Notes that the value went by without its text shown (skipped, or given as an enum or
    /// a `RawValue`; a key given as an enum or skipped): the [`second_look`] reads it.
    #[cold]
    fn unseen(&mut self) {
        match self {
            Role::Document { seen, .. } | Role::Id { seen, .. } | Role::Key { seen, .. } => {
                seen.unseen = true;
            }
        }
    }
}

/// A deserializer of serde_json's, watched as its [`Role`] says.
struct Watched<'a, D> {
    inner: D,
    role: Role<'a>,
}

/// Forwards each `Deserializer` method to the inner one, with the visitor watched.
macro_rules! forward_watched {
    ($($method:ident($($argument:ident: $type:ty),*);)*) => {$(
        #[inline]
        fn $method<V: Visitor<'de>>(self, $($argument: $type,)* visitor: V)
            -> Result<V::Value, Self::Error>
        {
            self.inner.$method($($argument,)* Watching { visitor, role: self.role })
        }
    )*};
}

impl<'de, D: Deserializer<'de>> Deserializer<'de> for Watched<'_, D> {
    type Error = D::Error;

    forward_watched! {
        deserialize_any(); deserialize_bool(); deserialize_i8(); deserialize_i16();
        deserialize_i32(); deserialize_i64(); deserialize_i128(); deserialize_u8();
        deserialize_u16(); deserialize_u32(); deserialize_u64(); deserialize_u128();
        deserialize_f32(); deserialize_f64(); deserialize_char(); deserialize_str();
        deserialize_string(); deserialize_bytes(); deserialize_byte_buf();
        deserialize_option(); deserialize_unit(); deserialize_unit_struct(name: &'static str);
        deserialize_seq();
        deserialize_tuple(len: usize);
        deserialize_tuple_struct(name: &'static str, len: usize); deserialize_map();
        deserialize_struct(name: &'static str, fields: &'static [&'static str]);
        deserialize_enum(name: &'static str, variants: &'static [&'static str]);
        deserialize_identifier();
    }

    /// A newtype of the document is watched as the document, save a map that serde_json
    /// gives for it: that is its `RawValue`.
    #[inline]
    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        let role = match self.role {
            Role::Document { expected, seen, .. } => Role::Document {
                expected,
                seen,
                newtype: true,
            },
            role => role,
        };
        self.inner
            .deserialize_newtype_struct(name, Watching { visitor, role })
    }

    /// An ignored value is skipped as serde_json skips it: reading an ignored `id` would
    /// refuse what skipping accepts (a number out of range, a lone surrogate escape). Its
    /// text, or that of an ignored document, is left to the [`second_look`].
    #[inline]
    fn deserialize_ignored_any<V: Visitor<'de>>(
        mut self,
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        self.role.unseen();
        self.inner.deserialize_ignored_any(visitor)
    }

    fn is_human_readable(&self) -> bool {
        self.inner.is_human_readable()
    }
}

/// A visitor of the model's, watched as its [`Role`] says.
struct Watching<'a, V> {
    visitor: V,
    role: Role<'a>,
}

/// Forwards each `Visitor` method that carries a value other than text.
macro_rules! forward_visit {
    ($($method:ident($type:ty);)*) => {$(
        #[inline]
        fn $method<E: de::Error>(self, value: $type) -> Result<Self::Value, E> {
            self.visitor.$method(value)
        }
    )*};
}

impl<'de, V: Visitor<'de>> Visitor<'de> for Watching<'_, V> {
    type Value = V::Value;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.visitor.expecting(formatter)
    }

    forward_visit! {
        visit_bool(bool); visit_i8(i8); visit_i16(i16); visit_i32(i32); visit_i64(i64);
        visit_i128(i128); visit_u8(u8); visit_u16(u16); visit_u32(u32); visit_u64(u64);
        visit_u128(u128); visit_f32(f32); visit_f64(f64); visit_char(char);
    }

    fn visit_bytes<E: de::Error>(mut self, value: &[u8]) -> Result<Self::Value, E> {
        self.role.saw_bytes(value);
        self.visitor.visit_bytes(value)
    }

    fn visit_borrowed_bytes<E: de::Error>(mut self, value: &'de [u8]) -> Result<Self::Value, E> {
        self.role.saw_bytes(value);
        self.visitor.visit_borrowed_bytes(value)
    }

    fn visit_byte_buf<E: de::Error>(mut self, value: Vec<u8>) -> Result<Self::Value, E> {
        self.role.saw_bytes(&value);
        self.visitor.visit_byte_buf(value)
    }

    #[inline]
    fn visit_str<E: de::Error>(mut self, text: &str) -> Result<Self::Value, E> {
        self.role.saw_text(text);
        self.visitor.visit_str(text)
    }

    #[inline]
    fn visit_borrowed_str<E: de::Error>(mut self, text: &'de str) -> Result<Self::Value, E> {
        self.role.saw_text(text);
        self.visitor.visit_borrowed_str(text)
    }

    #[inline]
    fn visit_string<E: de::Error>(mut self, text: String) -> Result<Self::Value, E> {
        self.role.saw_text(&text);
        self.visitor.visit_string(text)
    }

    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        self.visitor.visit_none()
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        self.visitor.visit_unit()
    }

    fn visit_some<D: Deserializer<'de>>(self, inner: D) -> Result<Self::Value, D::Error> {
        self.visitor.visit_some(Watched {
            inner,
            role: self.role,
        })
    }

    fn visit_newtype_struct<D: Deserializer<'de>>(self, inner: D) -> Result<Self::Value, D::Error> {
        let role = match self.role {
            Role::Document { expected, seen, .. } => Role::Document {
                expected,
                seen,
                newtype: false,
            },
            role => role,
        };
        self.visitor.visit_newtype_struct(Watched { inner, role })
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
        self.visitor.visit_seq(seq)
    }

    /// The document's members are watched; a map given for a newtype (serde_json's
    /// `RawValue`) or for the `id` (an object, or a `RawValue`) is left to the
    /// [`second_look`].
    #[inline]
    fn visit_map<A: MapAccess<'de>>(mut self, map: A) -> Result<Self::Value, A::Error> {
        match self.role {
            Role::Document {
                expected,
                seen,
                newtype: false,
            } => self.visitor.visit_map(Members {
                map,
                expected,
                seen,
                at_id: false,
            }),
            Role::Key { .. } => self.visitor.visit_map(map),
            _ => {
                self.role.unseen();
                self.visitor.visit_map(map)
            }
        }
    }

    /// An enum read from the document, a key or the `id` shows its variant's name, not the
    /// text: left to the [`second_look`].
    fn visit_enum<A: EnumAccess<'de>>(mut self, data: A) -> Result<Self::Value, A::Error> {
        self.role.unseen();
        self.visitor.visit_enum(data)
    }
}

/// The document's members: each key is watched (is it `id`?), and the `id`'s value.
struct Members<'a, A> {
    map: A,
    expected: &'a str,
    seen: &'a mut Seen,
    /// Whether the key just read is `id`.
    at_id: bool,
}

impl<'de, A: MapAccess<'de>> MapAccess<'de> for Members<'_, A> {
    type Error = A::Error;

    #[inline]
    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, A::Error> {
        self.at_id = false;
        self.map.next_key_seed(WatchedSeed {
            seed,
            role: Role::Key {
                at_id: &mut self.at_id,
                seen: &mut *self.seen,
            },
        })
    }

    #[inline]
    fn next_value_seed<S: DeserializeSeed<'de>>(&mut self, seed: S) -> Result<S::Value, A::Error> {
        if !self.at_id {
            return self.map.next_value_seed(seed);
        }
        self.map.next_value_seed(WatchedSeed {
            seed,
            role: Role::Id {
                expected: self.expected,
                seen: &mut *self.seen,
            },
        })
    }

    fn size_hint(&self) -> Option<usize> {
        self.map.size_hint()
    }
}

/// A seed of the model's, given a watched deserializer.
struct WatchedSeed<'a, S> {
    seed: S,
    role: Role<'a>,
}

impl<'de, S: DeserializeSeed<'de>> DeserializeSeed<'de> for WatchedSeed<'_, S> {
    type Value = S::Value;

    #[inline]
    fn deserialize<D: Deserializer<'de>>(self, inner: D) -> Result<S::Value, D::Error> {
        self.seed.deserialize(Watched {
            inner,
            role: self.role,
        })
    }
}

/// The top-level `id` of `body` (a JSON object that serde_json accepted), read in a pass that
/// skips every other value, for [`from_slice_checking_id`] where the model did not show it:
/// the `id` when one is a string other than `expected`, in any case. Keys are read as bytes and
/// values skipped, as serde_json skips them; an `id` is read as its JSON text, so that a
/// number out of range or a lone surrogate escape is not refused. An `id` that is not UTF-8
/// (which serde_json's skipping does not check) is given as the text that it is not.
#[cold]
#[inline(never)]
fn second_look(body: &[u8], expected: &str) -> Option<String> {
    /// The document's top level: keys as bytes, the `id`'s JSON text.
    struct TopLevel<'e>(&'e str);

    impl<'de> DeserializeSeed<'de> for TopLevel<'_> {
        type Value = Option<String>;

        fn deserialize<D: Deserializer<'de>>(self, json: D) -> Result<Self::Value, D::Error> {
            json.deserialize_any(self)
        }
    }

    impl<'de> Visitor<'de> for TopLevel<'_> {
        type Value = Option<String>;

        fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
            formatter.write_str("a JSON document")
        }

        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
            let mut other = None;
            while let Some(key) = map.next_key::<Key>()? {
                if !key.0 {
                    map.next_value::<de::IgnoredAny>()?;
                    continue;
                }
                let Ok(raw) = map.next_value::<Box<serde_json::value::RawValue>>() else {
                    return Ok(Some("an `id` that is not UTF-8".to_owned()));
                };
                if !raw.get().starts_with('"') {
                    continue;
                }
                match serde_json::from_str::<String>(raw.get()) {
                    Ok(text) if text.eq_ignore_ascii_case(self.0) => {}
                    Ok(text) => other = Some(text),
                    Err(_) => other = Some(raw.get().to_owned()),
                }
            }
            Ok(other)
        }

        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
            while seq.next_element::<de::IgnoredAny>()?.is_some() {}
            Ok(None)
        }

        fn visit_some<D: Deserializer<'de>>(self, json: D) -> Result<Self::Value, D::Error> {
            json.deserialize_any(self)
        }

        fn visit_str<E: de::Error>(self, _: &str) -> Result<Self::Value, E> {
            Ok(None)
        }

        fn visit_bool<E: de::Error>(self, _: bool) -> Result<Self::Value, E> {
            Ok(None)
        }

        fn visit_i64<E: de::Error>(self, _: i64) -> Result<Self::Value, E> {
            Ok(None)
        }

        fn visit_u64<E: de::Error>(self, _: u64) -> Result<Self::Value, E> {
            Ok(None)
        }

        fn visit_f64<E: de::Error>(self, _: f64) -> Result<Self::Value, E> {
            Ok(None)
        }

        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
    }

    /// Whether a key is `id`, read as bytes: a key that is not UTF-8 is not refused.
    struct Key(bool);

    impl<'de> de::Deserialize<'de> for Key {
        fn deserialize<D: Deserializer<'de>>(json: D) -> Result<Self, D::Error> {
            json.deserialize_bytes(Key(false))
        }
    }

    impl Visitor<'_> for Key {
        type Value = Key;

        fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
            formatter.write_str("a key")
        }

        fn visit_bytes<E: de::Error>(self, key: &[u8]) -> Result<Key, E> {
            Ok(Key(key == b"id"))
        }

        fn visit_str<E: de::Error>(self, key: &str) -> Result<Key, E> {
            Ok(Key(key == "id"))
        }
    }

    let mut json = serde_json::Deserializer::from_slice(body);
    // The body was accepted by serde_json already: a failure here is an `id` not UTF-8, or a
    // shape this pass does not foresee, refused rather than taken as the user asked for.
    TopLevel(expected)
        .deserialize(&mut json)
        .unwrap_or_else(|_| Some("an `id` that cannot be read".to_owned()))
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use serde::Deserialize;
    use serde_json::{Value, json};

    use super::from_slice_checking_id;

    /// A model that reads `id` and nests a member named `id` too.
    #[derive(Debug, Deserialize, PartialEq)]
    struct Document {
        id: String,
        name: Name,
        #[serde(flatten)]
        other: BTreeMap<String, Value>,
    }

    #[derive(Debug, Deserialize, PartialEq)]
    struct Name {
        id: String,
    }

    /// A model that does not read `id`.
    #[derive(Debug, Deserialize, PartialEq)]
    struct Username {
        username: String,
    }

    /// The models read what `serde_json::from_slice` reads, and another top-level `id` is
    /// given whether the model reads it, ignores it, flattens it or wraps the document in an
    /// `Option`, in any place and with escapes; nested members named `id` do not count.
    #[test]
    fn another_id_is_given_beside_what_from_slice_gives() {
        let body = br#"{"name":{"id":"inner"},"\u0069d":"outer","x":[{"id":"n"}],"y":1}"#;
        let (document, other) = from_slice_checking_id::<Document>(body, "a1").expect("reads");
        assert_eq!(
            document,
            serde_json::from_slice::<Document>(body).expect("reads")
        );
        assert_eq!(other.as_deref(), Some("outer"));
        let (_, other) = from_slice_checking_id::<Document>(body, "OUTER").expect("reads");
        assert_eq!(other, None);

        let body = br#"{"id":"B2","username":"dspanner"}"#;
        let (user, other) = from_slice_checking_id::<Username>(body, "a1").expect("reads");
        assert_eq!(user.username, "dspanner");
        assert_eq!(other.as_deref(), Some("B2"));
        let (_, other) = from_slice_checking_id::<Username>(body, "b2").expect("reads");
        assert_eq!(other, None);

        let (value, other) = from_slice_checking_id::<Value>(body, "a1").expect("reads");
        assert_eq!(value, json!({"id": "B2", "username": "dspanner"}));
        assert_eq!(other.as_deref(), Some("B2"));

        let (some, other) = from_slice_checking_id::<Option<Username>>(body, "a1").expect("reads");
        assert_eq!(some.map(|user| user.username).as_deref(), Some("dspanner"));
        assert_eq!(other.as_deref(), Some("B2"));

        let (map, other) =
            from_slice_checking_id::<BTreeMap<String, Value>>(body, "a1").expect("reads");
        assert_eq!(map.len(), 2);
        assert_eq!(other.as_deref(), Some("B2"));
    }

    /// No top-level `id` string: `None`, and the model reads as before.
    #[test]
    fn no_string_id_gives_none() {
        for body in [
            &br#"{"username":"dspanner","name":{"id":"inner"}}"#[..],
            br#"{"id":7,"username":"dspanner"}"#,
            br#"{"id":null,"username":"dspanner"}"#,
            br#"{"id":{"id":"inner"},"username":"dspanner"}"#,
        ] {
            let (value, other) = from_slice_checking_id::<Value>(body, "a1").expect("reads");
            assert_eq!(value, serde_json::from_slice::<Value>(body).expect("reads"));
            assert_eq!(other, None);
            let (user, other) = from_slice_checking_id::<Username>(body, "a1").expect("reads");
            assert_eq!((user.username.as_str(), other), ("dspanner", None));
        }
        let (list, other) = from_slice_checking_id::<Vec<u8>>(b"[1,2]", "a1").expect("reads");
        assert_eq!((list, other), (vec![1, 2], None));
    }

    /// What `from_slice` refuses is refused, with its text: trailing characters, a model's
    /// missing field, an `id` of the wrong type.
    #[test]
    fn what_from_slice_refuses_is_refused() {
        for body in [
            &br#"{"id":"a","name":{"id":"b"}} x"#[..],
            br#"{"id":"a"}"#,
            br#"{"id":5,"name":{"id":"b"}}"#,
        ] {
            let refused = from_slice_checking_id::<Document>(body, "a").unwrap_err();
            let expected = serde_json::from_slice::<Document>(body).unwrap_err();
            assert_eq!(refused.to_string(), expected.to_string());
        }
    }
}

/// Models of every shape against bodies of every shape: what `from_slice` gives, and the `id`.
#[cfg(test)]
mod differential {
    use std::collections::BTreeMap;
    use std::fmt::Debug;

    use serde::Deserialize;
    use serde::de::DeserializeOwned;
    use serde_json::Value;
    use serde_json::value::RawValue;

    use super::from_slice_checking_id;

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct WithId {
        id: String,
    }

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct OptionalId {
        id: Option<String>,
        username: Option<String>,
    }

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Uuid(String);

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct NewtypeId {
        id: Uuid,
    }

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Ignores {
        username: Option<String>,
    }

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Denies {
        username: Option<String>,
    }

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Renamed {
        #[serde(rename = "id")]
        key: Value,
    }

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Aliased {
        #[serde(alias = "id")]
        key: Option<Value>,
    }

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Flattened {
        username: Option<String>,
        #[serde(flatten)]
        rest: BTreeMap<String, Value>,
    }

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct RawIdField {
        id: Box<RawValue>,
    }

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct BytesId {
        #[serde(deserialize_with = "bytes")]
        id: Vec<u8>,
    }

    fn bytes<'de, D: serde::Deserializer<'de>>(json: D) -> Result<Vec<u8>, D::Error> {
        struct Bytes;
        impl serde::de::Visitor<'_> for Bytes {
            type Value = Vec<u8>;
            fn expecting(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                formatter.write_str("bytes")
            }
            fn visit_bytes<E>(self, bytes: &[u8]) -> Result<Vec<u8>, E> {
                Ok(bytes.to_vec())
            }
        }
        json.deserialize_bytes(Bytes)
    }

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    enum Known {
        #[serde(rename = "b2")]
        B2,
        #[serde(rename = "a1")]
        A1,
    }

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct EnumId {
        id: Known,
    }

    /// A key read as bytes.
    #[derive(Debug, PartialEq, Eq, PartialOrd, Ord)]
    struct ByteKey(Vec<u8>);

    impl<'de> Deserialize<'de> for ByteKey {
        fn deserialize<D: serde::Deserializer<'de>>(json: D) -> Result<Self, D::Error> {
            bytes(json).map(ByteKey)
        }
    }

    /// Keys read as an enum.
    #[derive(Debug, Deserialize, PartialEq, Eq, PartialOrd, Ord)]
    #[serde(rename_all = "lowercase")]
    enum KeyName {
        Id,
        Username,
        Type,
        Name,
        X,
    }

    #[derive(Debug, Deserialize)]
    #[serde(untagged)]
    #[allow(dead_code)]
    enum Untagged {
        Id { id: String },
        Other(Value),
    }

    #[derive(Debug, Deserialize)]
    #[serde(tag = "type")]
    #[allow(dead_code)]
    enum Tagged {
        User { id: Option<String> },
        Other,
    }

    /// Bodies, and whether one holds a top-level `id` string other than `a1`: `id` first, last,
    /// twice, escaped, not a string, out of range, nested, a lone surrogate, bytes that are not
    /// UTF-8, and no object at all.
    const BODIES: &[(&[u8], bool)] = &[
        (br#"{"id":"a1","username":"d"}"#, false),
        (br#"{"username":"d","id":"B2"}"#, true),
        (br#"{"id":"A1"}"#, false),
        (br#"{"\u0069d":"b2","type":"User"}"#, true),
        (br#"{"id":"a1","id":"b2"}"#, true),
        (br#"{"id":"b2","id":"a1"}"#, true),
        (br#"{"id":7,"username":"d"}"#, false),
        (br#"{"id":1e400,"username":"d"}"#, false),
        (br#"{"id":-1e400}"#, false),
        (br#"{"id":"\ud800","username":"d"}"#, true),
        (br#"{"id":"\ud800"}"#, true),
        (b"{\"id\":\"\xff\",\"username\":\"d\"}", true),
        (b"{\"id\":\"b\xff\"}", true),
        (b"{\"x\":\"\xff\",\"id\":\"b2\"}", true),
        (br#"{"id":null}"#, false),
        (br#"{"id":{"id":"b2"},"type":"Other"}"#, false),
        (br#"{"id":["b2"]}"#, false),
        (br#"{"name":{"id":"b2"},"username":"d"}"#, false),
        (br#"{"type":"User","id":"b2"}"#, true),
        (br#"{"id":"b2"} x"#, true),
        (br#"{"id":"b2","#, true),
        (br#"["b2"]"#, false),
        (br#""b2""#, false),
        (b"null", false),
        (b"", false),
    ];

    fn check<M: DeserializeOwned + Debug>(model: &str) {
        for &(body, another) in BODIES {
            let expected = serde_json::from_slice::<M>(body)
                .map(|model| format!("{model:?}"))
                .map_err(|error| error.to_string());
            let checked = from_slice_checking_id::<M>(body, "a1");
            let got = checked
                .as_ref()
                .map(|(model, _)| format!("{model:?}"))
                .map_err(ToString::to_string);
            let shown = String::from_utf8_lossy(body);
            assert_eq!(got, expected, "{model} from {shown}");
            if let Ok((_, other)) = checked {
                assert_eq!(other.is_some(), another, "{model} from {shown}: {other:?}");
            }
        }
    }

    /// Every model reads what `from_slice` reads, with its errors, and another top-level `id`
    /// is given whatever the model does with it.
    #[test]
    fn every_model_reads_as_from_slice_and_sees_another_id() {
        check::<Value>("Value");
        check::<BTreeMap<String, Value>>("BTreeMap");
        check::<Option<Value>>("Option<Value>");
        check::<WithId>("WithId");
        check::<OptionalId>("OptionalId");
        check::<Option<OptionalId>>("Option<OptionalId>");
        check::<NewtypeId>("NewtypeId");
        check::<Ignores>("Ignores");
        check::<Denies>("Denies");
        check::<Renamed>("Renamed");
        check::<Aliased>("Aliased");
        check::<Flattened>("Flattened");
        check::<RawIdField>("RawIdField");
        check::<Box<RawValue>>("Box<RawValue>");
        check::<BytesId>("BytesId");
        check::<EnumId>("EnumId");
        check::<Untagged>("Untagged");
        check::<Tagged>("Tagged");
        check::<serde::de::IgnoredAny>("IgnoredAny");
        check::<BTreeMap<ByteKey, Value>>("BTreeMap<ByteKey, Value>");
        check::<BTreeMap<KeyName, Value>>("BTreeMap<KeyName, Value>");
    }

    /// A member of a generated body: its key's JSON text, its value's, and whether it is a
    /// top-level `id` string other than `a1`.
    fn member() -> impl proptest::strategy::Strategy<Value = (Vec<u8>, bool)> {
        use proptest::prelude::*;
        let keys = prop::sample::select(vec![
            (&br#""id""#[..], true),
            (br#""\u0069d""#, true),
            (br#""i\u0064""#, true),
            (br#""ID""#, false),
            (br#""username""#, false),
            (br#""type""#, false),
            (br#""name""#, false),
            (br#""x""#, false),
        ]);
        let values = prop::sample::select(vec![
            (&br#""a1""#[..], false),
            (br#""A1""#, false),
            (br#""\u0061\u0031""#, false),
            (br#""b2""#, true),
            (br#""User""#, true),
            (br#""a1 ""#, true),
            (br#""\ud800""#, true),
            (b"\"\xff\"", true),
            (br#"7"#, false),
            (br#"-0.5e400"#, false),
            (br#"null"#, false),
            (br#"true"#, false),
            (br#"{"id":"b2"}"#, false),
            (br#"["b2",{"id":"b2"}]"#, false),
            (br#"{"given":"x","id":1e999}"#, false),
        ]);
        (keys, values).prop_map(|((key, is_id), (value, another))| {
            let mut text = key.to_vec();
            text.push(b':');
            text.extend_from_slice(value);
            (text, is_id && another)
        })
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(512))]

        /// Generated bodies (members in any order, repeated, with a cut or a trailing
        /// character at times) read as `from_slice` reads them, for models of each shape,
        /// and another top-level `id` is given where a member holds one.
        #[test]
        fn generated_bodies_read_as_from_slice(
            members in proptest::collection::vec(member(), 0..6),
            cut in proptest::option::weighted(0.1, 0_usize..64),
            trailing in proptest::option::weighted(0.1, proptest::sample::select(vec![&b" "[..], b"x", b"}", b"\n"])),
        ) {
            let mut body = b"{".to_vec();
            for (index, (text, _)) in members.iter().enumerate() {
                if index > 0 {
                    body.push(b',');
                }
                body.extend_from_slice(text);
            }
            body.push(b'}');
            if let Some(trailing) = trailing {
                body.extend_from_slice(trailing);
            }
            if let Some(cut) = cut {
                body.truncate(cut);
            }
            let another = members.iter().any(|(_, another)| *another);
            fn one<M: DeserializeOwned + Debug>(body: &[u8], another: bool) -> Result<(), proptest::test_runner::TestCaseError> {
                let expected = serde_json::from_slice::<M>(body)
                    .map(|model| format!("{model:?}"))
                    .map_err(|error| error.to_string());
                let checked = from_slice_checking_id::<M>(body, "a1");
                let got = checked
                    .as_ref()
                    .map(|(model, _)| format!("{model:?}"))
                    .map_err(ToString::to_string);
                proptest::prop_assert_eq!(&got, &expected, "{}", String::from_utf8_lossy(body));
                if let Ok((_, other)) = checked {
                    proptest::prop_assert_eq!(other.is_some(), another, "{}: {:?}", String::from_utf8_lossy(body), other);
                }
                Ok(())
            }
            one::<Value>(&body, another)?;
            one::<BTreeMap<ByteKey, Value>>(&body, another)?;
            one::<Ignores>(&body, another)?;
            one::<OptionalId>(&body, another)?;
            one::<Flattened>(&body, another)?;
            one::<Aliased>(&body, another)?;
            one::<Untagged>(&body, another)?;
            one::<Tagged>(&body, another)?;
            one::<Box<RawValue>>(&body, another)?;
            one::<serde::de::IgnoredAny>(&body, another)?;
        }
    }
}
