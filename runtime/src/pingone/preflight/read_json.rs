//! Pre-flight's check made by reading the patch's JSON, for a patch that holds a value that
//! serde_json writes in its own way (its `RawValue`, a number with `arbitrary_precision`).

use std::borrow::Cow;
use std::collections::HashSet;
use std::fmt;

use serde::de;

use super::ErrorDetail;
use super::rules::{self, OBJECTS, Seen, detail, member_rule, rule};
use crate::number_identity::ARBITRARY_PRECISION_NUMBER;

/// `rules::check_patch` with no current user, straight from the patch's JSON: one pass,
/// without building a `Value` (strings are borrowed unless escaped), as the client checks each
/// patch before sending it. JSON that does not read as an object gives no detail.
#[cfg(test)]
pub(super) fn check_patch_json(json: &str) -> Vec<ErrorDetail> {
    check_json(json, false)
}

/// The check of `check_patch_json` ([`check_json`]), each fault of a string saying the string
/// that arrived ([`check_quoted`](super::check_quoted)), as the client reports it.
pub(super) fn check_patch_json_quoted(json: &str) -> Vec<ErrorDetail> {
    check_json(json, true)
}

/// [`check_patch_json_quoted`] of a patch already read as a `Value` (the members that a SCIM
/// operation sets, as the merge patch that would set them: `preflight/scim.rs`).
pub(super) fn check_value_quoted(patch: &serde_json::Value) -> Vec<ErrorDetail> {
    let mut out = Vec::new();
    let members = Members {
        object: None,
        out: &mut out,
        quote: true,
    };
    if de::Deserializer::deserialize_map(patch, members).is_err() {
        out.clear();
    }
    out
}

fn check_json(json: &str, quote: bool) -> Vec<ErrorDetail> {
    let mut out = Vec::new();
    // From `str`: its strings are not checked for UTF-8 again, as they would be from bytes.
    let mut reader = serde_json::Deserializer::from_str(json);
    let members = Members {
        object: None,
        out: &mut out,
        quote,
    };
    if de::Deserializer::deserialize_map(&mut reader, members).is_err() {
        out.clear();
    }
    out
}

/// Reads the members of the patch (`object: None`) or of one of its [`OBJECTS`].
struct Members<'o> {
    object: Option<&'static str>,
    out: &'o mut Vec<ErrorDetail>,
    /// Whether a fault of a string quotes it.
    quote: bool,
}

impl<'de> de::Visitor<'de> for Members<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let first = map.next_key::<Text<'de>>()?;
        self.read_members(first, map)
    }
}

impl<'de> Members<'_> {
    /// Reads the members of a map whose first key, `first`, is already read.
    fn read_members<A: de::MapAccess<'de>>(
        self,
        first: Option<Text<'de>>,
        mut map: A,
    ) -> Result<(), A::Error> {
        // The top-level names whose fault is noted: one name is one fault, found in a set
        // rather than by a look through the faults (quadratic in the names).
        let mut ignored: HashSet<Cow<'de, str>> = HashSet::new();
        let mut first = Some(first);
        loop {
            let key = match first.take() {
                Some(first) => first,
                None => map.next_key::<Text<'de>>()?,
            };
            let Some(Text(key)) = key else { break };
            let object = match self.object {
                Some(_) => None,
                None => OBJECTS.iter().copied().find(|object| *object == key),
            };
            if let Some(object) = object {
                map.next_value_seed(ObjectSeed {
                    object,
                    out: &mut *self.out,
                    quote: self.quote,
                })?;
                continue;
            }
            let rule = match self.object {
                Some(object) => member_rule(object, &key),
                None => rule(&key),
            };
            match rule {
                Some(rule) => {
                    let value = map.next_value::<SeenValue<'de>>()?;
                    if self.quote {
                        super::check_quoted(self.out, rule, value.0);
                    } else {
                        rules::check(self.out, rule, value.0);
                    }
                }
                None => {
                    // Once, as the serializing check says it (`Checks::push_ignored`).
                    if self.object.is_none()
                        && let Some(detail) = rules::ignored_attribute(&key)
                        && ignored.insert(key)
                    {
                        self.out.push(detail);
                    }
                    map.next_value::<de::IgnoredAny>()?;
                }
            }
        }
        Ok(())
    }
}

/// A key, borrowed from the JSON unless escaped.
struct Text<'de>(Cow<'de, str>);

impl<'de> de::Deserialize<'de> for Text<'de> {
    fn deserialize<D: de::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer
            .deserialize_str(SeenVisitor)
            .and_then(|seen| match seen {
                Seen::Text(text) => Ok(Text(text)),
                _ => Err(de::Error::custom("a key must be a string")),
            })
    }
}

/// A value for [`rules::check`].
struct SeenValue<'de>(Seen<'de>);

impl<'de> de::Deserialize<'de> for SeenValue<'de> {
    fn deserialize<D: de::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(SeenVisitor).map(SeenValue)
    }
}

struct SeenVisitor;

impl<'de> de::Visitor<'de> for SeenVisitor {
    type Value = Seen<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_borrowed_str<E>(self, text: &'de str) -> Result<Seen<'de>, E> {
        Ok(Seen::Text(Cow::Borrowed(text)))
    }
    fn visit_str<E>(self, text: &str) -> Result<Seen<'de>, E> {
        Ok(Seen::Text(Cow::Owned(text.to_owned())))
    }
    fn visit_string<E>(self, text: String) -> Result<Seen<'de>, E> {
        Ok(Seen::Text(Cow::Owned(text)))
    }
    fn visit_unit<E>(self) -> Result<Seen<'de>, E> {
        Ok(Seen::Null)
    }
    fn visit_none<E>(self) -> Result<Seen<'de>, E> {
        Ok(Seen::Null)
    }
    fn visit_bool<E>(self, _: bool) -> Result<Seen<'de>, E> {
        Ok(Seen::Other)
    }
    fn visit_i64<E>(self, _: i64) -> Result<Seen<'de>, E> {
        Ok(Seen::Other)
    }
    fn visit_u64<E>(self, _: u64) -> Result<Seen<'de>, E> {
        Ok(Seen::Other)
    }
    fn visit_f64<E>(self, _: f64) -> Result<Seen<'de>, E> {
        Ok(Seen::Other)
    }
    // A `Value`'s integer wider than 64 bits, with `arbitrary_precision`.
    fn visit_i128<E>(self, _: i128) -> Result<Seen<'de>, E> {
        Ok(Seen::Other)
    }
    fn visit_u128<E>(self, _: u128) -> Result<Seen<'de>, E> {
        Ok(Seen::Other)
    }
    fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<Seen<'de>, A::Error> {
        while seq.next_element::<de::IgnoredAny>()?.is_some() {}
        Ok(Seen::Other)
    }
    fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<Seen<'de>, A::Error> {
        while map
            .next_entry::<de::IgnoredAny, de::IgnoredAny>()?
            .is_some()
        {}
        Ok(Seen::Other)
    }
}

/// The value of one of [`OBJECTS`]: `null`, or an object whose members are checked.
struct ObjectSeed<'o> {
    object: &'static str,
    out: &'o mut Vec<ErrorDetail>,
    quote: bool,
}

impl<'de> de::DeserializeSeed<'de> for ObjectSeed<'_> {
    type Value = ();

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> de::Visitor<'de> for ObjectSeed<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object or null")
    }
    fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let first = map.next_key::<Text<'de>>()?;
        // A number, with `arbitrary_precision`: read as a map, `"photo": 1.0` passed as an
        // object with no members (review 70).
        if first
            .as_ref()
            .is_some_and(|Text(key)| key == ARBITRARY_PRECISION_NUMBER)
        {
            map.next_value::<de::IgnoredAny>()?;
            self.not_an_object();
            return Ok(());
        }
        let members = Members {
            object: Some(self.object),
            out: self.out,
            quote: self.quote,
        };
        members.read_members(first, map)
    }
    fn visit_unit<E>(self) -> Result<(), E> {
        Ok(())
    }
    fn visit_none<E>(self) -> Result<(), E> {
        Ok(())
    }
    fn visit_bool<E>(self, _: bool) -> Result<(), E> {
        self.not_an_object();
        Ok(())
    }
    fn visit_i64<E>(self, _: i64) -> Result<(), E> {
        self.not_an_object();
        Ok(())
    }
    fn visit_u64<E>(self, _: u64) -> Result<(), E> {
        self.not_an_object();
        Ok(())
    }
    fn visit_f64<E>(self, _: f64) -> Result<(), E> {
        self.not_an_object();
        Ok(())
    }
    fn visit_i128<E>(self, _: i128) -> Result<(), E> {
        self.not_an_object();
        Ok(())
    }
    fn visit_u128<E>(self, _: u128) -> Result<(), E> {
        self.not_an_object();
        Ok(())
    }
    fn visit_str<E>(self, _: &str) -> Result<(), E> {
        self.not_an_object();
        Ok(())
    }
    fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while seq.next_element::<de::IgnoredAny>()?.is_some() {}
        self.not_an_object();
        Ok(())
    }
}

impl ObjectSeed<'_> {
    fn not_an_object(self) {
        let object = self.object;
        self.out.push(detail(
            "INVALID_VALUE",
            object,
            format!("{object} must be an object."),
        ));
    }
}
