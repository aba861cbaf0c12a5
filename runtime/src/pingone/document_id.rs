//! The top-level `id` of a user's document, checked while the document is decoded as the
//! caller's model: the client refuses a 2xx answer that is another user's document, and
//! reading the `id` in a pass of its own would cost a second parse of the whole body (about
//! 11,000 instructions for PingOne's reference user, a tenth of a call).
//!
//! [`from_slice_checking_id`] decodes as `serde_json::from_slice` does, through a deserializer
//! that forwards every request to serde_json's unchanged and watches the text that passes: the
//! top-level keys, and the value of the `id` member (read also where the model ignores it).
//! Nested values go straight to serde_json.

use core::fmt;

use serde::de::{
    self, DeserializeOwned, DeserializeSeed, Deserializer, EnumAccess, MapAccess, SeqAccess,
    Visitor,
};

/// `body` decoded as `M`, and the top-level `id` member when `body` is an object whose `id` is
/// a string other than `expected` (compared in any case, as UUIDs are); `None` when it is
/// `expected`, not a string, or absent. Decodes as `serde_json::from_slice` does.
///
/// # Errors
///
/// serde_json's error when `body` is not the JSON of an `M`.
pub(crate) fn from_slice_checking_id<M: DeserializeOwned>(
    body: &[u8],
    expected: &str,
) -> Result<(M, Option<String>), serde_json::Error> {
    let mut json = serde_json::Deserializer::from_slice(body);
    let mut other = None;
    let model = M::deserialize(Watched {
        inner: &mut json,
        role: Role::Document {
            expected,
            other: &mut other,
        },
    })?;
    json.end()?;
    Ok((model, other))
}

/// What a watched deserializer reads.
enum Role<'a> {
    /// The document: an object's members go through [`Members`]; an `Option` or a newtype
    /// around it is watched the same way.
    Document {
        expected: &'a str,
        other: &'a mut Option<String>,
    },
    /// A top-level key: notes whether it is `id`.
    Key { at_id: &'a mut bool },
    /// The top-level `id`'s value: keeps its text when it is not `expected`.
    Id {
        expected: &'a str,
        other: &'a mut Option<String>,
    },
}

impl Role<'_> {
    /// Watches a string that the value's visitor is given. Inlined, and the key compared
    /// without a call to `memcmp`: it runs for every top-level key.
    #[inline(always)]
    fn saw_text(&mut self, text: &str) {
        match self {
            Role::Document { .. } => {}
            Role::Key { at_id } => **at_id = matches!(text.as_bytes(), [b'i', b'd']),
            Role::Id { expected, other } => {
                if !text.eq_ignore_ascii_case(expected) {
                    **other = Some(text.to_owned());
                }
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
        deserialize_newtype_struct(name: &'static str); deserialize_seq();
        deserialize_tuple(len: usize);
        deserialize_tuple_struct(name: &'static str, len: usize); deserialize_map();
        deserialize_struct(name: &'static str, fields: &'static [&'static str]);
        deserialize_enum(name: &'static str, variants: &'static [&'static str]);
        deserialize_identifier();
    }

    /// A model that ignores the `id` has it read all the same (serde_json skips an ignored
    /// value without showing its text); other ignored values are skipped.
    #[inline]
    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
        let visitor = Watching {
            visitor,
            role: self.role,
        };
        match visitor.role {
            Role::Id { .. } => self.inner.deserialize_any(visitor),
            _ => self.inner.deserialize_ignored_any(visitor),
        }
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
        visit_bytes(&[u8]); visit_borrowed_bytes(&'de [u8]); visit_byte_buf(Vec<u8>);
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
        self.visitor.visit_newtype_struct(Watched {
            inner,
            role: self.role,
        })
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
        self.visitor.visit_seq(seq)
    }

    #[inline]
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        match self.role {
            Role::Document { expected, other } => self.visitor.visit_map(Members {
                map,
                expected,
                other,
                at_id: false,
            }),
            _ => self.visitor.visit_map(map),
        }
    }

    fn visit_enum<A: EnumAccess<'de>>(self, data: A) -> Result<Self::Value, A::Error> {
        self.visitor.visit_enum(data)
    }
}

/// The document's members: each key is watched (is it `id`?), and the `id`'s value.
struct Members<'a, A> {
    map: A,
    expected: &'a str,
    other: &'a mut Option<String>,
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
                other: &mut *self.other,
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
