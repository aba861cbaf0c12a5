//! The second look at an answer's top-level `id`, where the model being decoded did not show
//! its text (it ignored the `id`, or read it as bytes, an enum or a `RawValue`): a pass over
//! the body that skips every other value.

use core::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};

use super::DocumentId;

/// The top-level `id` of `body` (a JSON object that serde_json accepted), read in a pass that
/// skips every other value, for [`decode_checking_id`](super::decode_checking_id) where the model did not show it:
/// another string than `expected` (in any case) when one is, else whether `expected` is there. Keys are read as bytes and
/// values skipped, as serde_json skips them; an `id` is read as its JSON text, so that a
/// number out of range or a lone surrogate escape is not refused. An `id` that is not UTF-8
/// (which serde_json's skipping does not check) is given as the text that it is not.
#[cold]
#[inline(never)]
pub(super) fn second_look(body: &[u8], expected: &str) -> DocumentId {
    /// The document's top level: keys as bytes, the `id`'s JSON text.
    struct TopLevel<'e>(&'e str);

    impl<'de> DeserializeSeed<'de> for TopLevel<'_> {
        type Value = DocumentId;

        fn deserialize<D: Deserializer<'de>>(self, json: D) -> Result<Self::Value, D::Error> {
            json.deserialize_any(self)
        }
    }

    impl<'de> Visitor<'de> for TopLevel<'_> {
        type Value = DocumentId;

        fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
            formatter.write_str("a JSON document")
        }

        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
            let mut found = DocumentId::Missing;
            while let Some(key) = map.next_key::<Key>()? {
                if !key.0 {
                    map.next_value::<de::IgnoredAny>()?;
                    continue;
                }
                let Ok(raw) = map.next_value::<Box<serde_json::value::RawValue>>() else {
                    return Ok(DocumentId::Other("an `id` that is not UTF-8".to_owned()));
                };
                if !raw.get().starts_with('"') {
                    continue;
                }
                match serde_json::from_str::<String>(raw.get()) {
                    Ok(text) if text.eq_ignore_ascii_case(self.0) => {
                        if found == DocumentId::Missing {
                            found = DocumentId::Expected;
                        }
                    }
                    Ok(text) => found = DocumentId::Other(text),
                    Err(_) => found = DocumentId::Other(raw.get().to_owned()),
                }
            }
            Ok(found)
        }

        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
            while seq.next_element::<de::IgnoredAny>()?.is_some() {}
            Ok(DocumentId::Missing)
        }

        fn visit_some<D: Deserializer<'de>>(self, json: D) -> Result<Self::Value, D::Error> {
            json.deserialize_any(self)
        }

        fn visit_str<E: de::Error>(self, _: &str) -> Result<Self::Value, E> {
            Ok(DocumentId::Missing)
        }

        fn visit_bool<E: de::Error>(self, _: bool) -> Result<Self::Value, E> {
            Ok(DocumentId::Missing)
        }

        fn visit_i64<E: de::Error>(self, _: i64) -> Result<Self::Value, E> {
            Ok(DocumentId::Missing)
        }

        fn visit_u64<E: de::Error>(self, _: u64) -> Result<Self::Value, E> {
            Ok(DocumentId::Missing)
        }

        fn visit_f64<E: de::Error>(self, _: f64) -> Result<Self::Value, E> {
            Ok(DocumentId::Missing)
        }

        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(DocumentId::Missing)
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
        .unwrap_or_else(|_| DocumentId::Other("an `id` that cannot be read".to_owned()))
}
