//! The second look at an answer's top-level `id`, where the model being decoded did not show
//! its text (it ignored the `id`, or read it as bytes, an enum or a `RawValue`): a pass over
//! the body that skips every other value.

use core::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};

/// The top-level `id` of `body` (a JSON object that serde_json accepted), read in a pass that
/// skips every other value, for [`decode_checking_id`] where the model did not show it:
/// the `id` when one is a string other than `expected`, in any case. Keys are read as bytes and
/// values skipped, as serde_json skips them; an `id` is read as its JSON text, so that a
/// number out of range or a lone surrogate escape is not refused. An `id` that is not UTF-8
/// (which serde_json's skipping does not check) is given as the text that it is not.
#[cold]
#[inline(never)]
pub(super) fn second_look(body: &[u8], expected: &str) -> Option<String> {
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
