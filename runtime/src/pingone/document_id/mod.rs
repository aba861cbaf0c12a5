//! The top-level `id` of a user's document, checked while the document is decoded as the
//! caller's model: the client refuses a 2xx answer that is another user's document, and
//! reading the `id` in a pass of its own would cost a second parse of the whole body (about
//! 11,000 instructions for PingOne's reference user, a tenth of a call).
//!
//! [`decode_checking_id`] decodes as `serde_json::from_slice` does, through a deserializer
//! that forwards every request to serde_json's unchanged and watches the text that passes: the
//! top-level keys, and the value of the `id` member. Nested values go straight to serde_json.
//!
//! Where the model does not show the `id`'s text to its visitor, the `id` is read in a second,
//! lighter pass over the body ([`second_look`](fn@second_look)), that skips every other value:
//! a model that ignores the `id` (serde_json skips an ignored value without showing its text,
//! and reading it would refuse what skipping accepts: a number out of range, a lone surrogate
//! escape, bytes that are not UTF-8), reads it as bytes, as serde_json's `RawValue` or as an enum,
//! reads the whole document as a `RawValue`, or reads the keys as an enum. Keys read as bytes
//! are compared with `id` as bytes.

mod second_look;
#[cfg(test)]
mod tests;

use core::fmt;

use second_look::second_look;

use serde::de::{
    self, DeserializeOwned, DeserializeSeed, Deserializer, EnumAccess, MapAccess, SeqAccess,
    Visitor,
};

/// [`decode_checking_id`]'s model paired with the other `id`, if any: the tests' form.
#[cfg(test)]
pub(crate) fn from_slice_checking_id<M: DeserializeOwned>(
    body: &[u8],
    expected: &str,
) -> Result<(M, Option<String>), serde_json::Error> {
    let (model, id) = from_slice_document_id(body, expected)?;
    let other = match id {
        DocumentId::Other(other) => Some(other),
        DocumentId::Expected | DocumentId::Missing => None,
    };
    Ok((model, other))
}

/// [`decode_checking_id`]'s model paired with what it saw of the `id`.
#[cfg(test)]
pub(crate) fn from_slice_document_id<M: DeserializeOwned>(
    body: &[u8],
    expected: &str,
) -> Result<(M, DocumentId), serde_json::Error> {
    let mut id = DocumentId::Expected;
    let model = decode_checking_id(body, expected, &mut id)?;
    Ok((model, id))
}

/// What a decoded document's top-level `id` is.
#[derive(Debug, PartialEq)]
pub(crate) enum DocumentId {
    /// A string equal to the `id` asked for (in any case, as UUIDs are compared).
    Expected,
    /// A string other than the `id` asked for: another user's document.
    Other(String),
    /// No `id` string: absent, another JSON value (a number, `null`...), or a body that is no
    /// object. PingOne's user document always has its `id`.
    Missing,
}

/// `body` decoded as `M`; `id` set, when it decodes, to what its top-level `id` member is
/// ([`DocumentId`]): the `id` asked for, another string (given), or none. Left as it was when
/// `body` does not decode. Decodes as `serde_json::from_slice` does, accepting and refusing the
/// same bodies with the same errors. With two top-level `id` members, any one that is another
/// string is given.
///
/// The decoded result is returned as it came from `M::deserialize`, and the function inlined:
/// the model (a `User` is over 1 KB) is not copied through a `?`, a tuple and a `match` on its
/// way to the caller, about 140 instructions a copy.
///
/// # Errors
///
/// serde_json's error when `body` is not the JSON of an `M`.
#[inline]
pub(crate) fn decode_checking_id<M: DeserializeOwned>(
    body: &[u8],
    expected: &str,
    id: &mut DocumentId,
) -> Result<M, serde_json::Error> {
    let mut json = serde_json::Deserializer::from_slice(body);
    let mut seen = Seen {
        other: None,
        expected: false,
        unseen: false,
    };
    let decoded = M::deserialize(Watched {
        inner: &mut json,
        role: Role::Document {
            expected,
            seen: &mut seen,
            newtype: false,
        },
    });
    if decoded.is_ok() {
        json.end()?;
        *id = if seen.unseen {
            second_look(body, expected)
        } else {
            match seen.other {
                Some(other) => DocumentId::Other(other),
                None if seen.expected => DocumentId::Expected,
                None => DocumentId::Missing,
            }
        };
    }
    decoded
}

/// What the watch saw of the top-level `id`.
struct Seen {
    /// An `id` string other than `expected`.
    other: Option<String>,
    /// Whether an `id` string equal to `expected` went by.
    expected: bool,
    /// Whether a top-level `id` (or the document itself) went by without its text shown: the
    /// [`second_look`](fn@second_look) reads it.
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
                // The same text first (PingOne's ids and a caller's are lower case): one
                // comparison of the bytes, before the comparison in any case.
                if text == *expected || text.eq_ignore_ascii_case(expected) {
                    seen.expected = true;
                } else {
                    seen.other = Some(text.to_owned());
                }
            }
        }
    }

    /// Watches bytes that the value's visitor is given: a key is compared with `id`; the
    /// `id`'s value, or the document, is left to the [`second_look`](fn@second_look).
    fn saw_bytes(&mut self, bytes: &[u8]) {
        match self {
            Role::Key { at_id, .. } => **at_id = bytes == b"id",
            _ => self.unseen(),
        }
    }

    /// Notes that the value went by without its text shown (skipped, or given as an enum or
    /// a `RawValue`; a key given as an enum or skipped): the [`second_look`](fn@second_look)
    /// reads it.
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
    /// text, or that of an ignored document, is left to the [`second_look`](fn@second_look).
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
    /// [`second_look`](fn@second_look).
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
    /// text: left to the [`second_look`](fn@second_look).
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
