//! [`UniqueKeys`]: reads a feed line's JSON only to refuse an object that names a member twice,
//! at any depth, or a value nested deeper than [`MAX_LINE_DEPTH`].

use core::fmt;

use serde::Deserialize;

/// How deep a feed line's JSON may nest: 120 objects or arrays, the line's own object
/// included. PingOne answers a user inside three more levels (a list's `_embedded.users[]`),
/// and serde_json reads at most 128: a line nested deeper would be stored, then its user could
/// no longer be read back.
pub const MAX_LINE_DEPTH: usize = 120;

/// Reads a JSON value only to refuse an object that names a member twice, at any depth
/// (`serde_json::Value` keeps the last one silently). Keys are borrowed from the text where
/// they have no escape, and compared with the object's earlier keys in a line's small objects:
/// no allocation for most keys. It also refuses a value nested deeper than [`MAX_LINE_DEPTH`].
#[derive(Clone, Copy)]
pub(super) struct UniqueKeys {
    /// How many objects and arrays enclose the value read.
    depth: usize,
}

impl UniqueKeys {
    /// Reads `text` whole (nothing but whitespace after the value), as `serde_json::from_str`.
    pub(super) fn check(text: &str) -> Result<(), serde_json::Error> {
        use serde::de::DeserializeSeed as _;

        let mut deserializer = serde_json::Deserializer::from_str(text);
        UniqueKeys { depth: 0 }.deserialize(&mut deserializer)?;
        deserializer.end()
    }

    /// The seed of a member or element, one level deeper; an error past [`MAX_LINE_DEPTH`].
    fn inner<E: serde::de::Error>(self) -> Result<UniqueKeys, E> {
        if self.depth >= MAX_LINE_DEPTH {
            return Err(E::custom(format_args!(
                "nested deeper than {MAX_LINE_DEPTH} levels"
            )));
        }
        Ok(UniqueKeys {
            depth: self.depth + 1,
        })
    }
}

impl<'de> serde::de::DeserializeSeed<'de> for UniqueKeys {
    type Value = ();

    fn deserialize<D: serde::Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> serde::de::Visitor<'de> for UniqueKeys {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E>(self, _: bool) -> Result<(), E> {
        Ok(())
    }

    fn visit_i64<E>(self, _: i64) -> Result<(), E> {
        Ok(())
    }

    fn visit_u64<E>(self, _: u64) -> Result<(), E> {
        Ok(())
    }

    fn visit_f64<E>(self, _: f64) -> Result<(), E> {
        Ok(())
    }

    fn visit_str<E>(self, _: &str) -> Result<(), E> {
        Ok(())
    }

    fn visit_unit<E>(self) -> Result<(), E> {
        Ok(())
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let inner = self.inner()?;
        while seq.next_element_seed(inner)?.is_some() {}
        Ok(())
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let first = map.next_key::<KeyText<'de>>()?;
        // A number that is not a 64-bit integer, as serde_json's `arbitrary_precision` (on
        // in a build where any crate turns it on) hands it over: a one-member map, which
        // counted as one more level, so that `1.5` at `MAX_LINE_DEPTH` was "nested deeper"
        // where `1` was not (review 70).
        if first
            .as_ref()
            .is_some_and(|KeyText(key)| key == crate::number_identity::ARBITRARY_PRECISION_NUMBER)
        {
            map.next_value::<serde::de::IgnoredAny>()?;
            return Ok(());
        }
        let inner = self.inner()?;
        // A line's objects are small: their names are compared one by one. A big one (a
        // custom attribute with thousands of members) moves them to a set, so that a line is
        // never read in quadratic time (40,000 members took 15 s).
        const SCAN: usize = 32;
        let mut names: Vec<std::borrow::Cow<'de, str>> = Vec::new();
        let mut set: std::collections::HashSet<std::borrow::Cow<'de, str>> =
            std::collections::HashSet::new();
        let mut first = Some(first);
        loop {
            let key = match first.take() {
                Some(first) => first,
                None => map.next_key::<KeyText<'de>>()?,
            };
            let Some(KeyText(name)) = key else { break };
            let duplicate = if set.is_empty() && names.len() < SCAN {
                names.contains(&name)
            } else {
                set.extend(names.drain(..));
                set.contains(&name)
            };
            if duplicate {
                return Err(serde::de::Error::custom(format_args!(
                    "duplicate key {name:?} in one object"
                )));
            }
            if set.is_empty() {
                names.push(name);
            } else {
                set.insert(name);
            }
            map.next_value_seed(inner)?;
        }
        Ok(())
    }
}

/// An object's key, borrowed from the text when it has no escape.
struct KeyText<'de>(std::borrow::Cow<'de, str>);

impl<'de> Deserialize<'de> for KeyText<'de> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KeyVisitor;

        impl<'de> serde::de::Visitor<'de> for KeyVisitor {
            type Value = KeyText<'de>;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a key")
            }

            fn visit_borrowed_str<E>(self, key: &'de str) -> Result<KeyText<'de>, E> {
                Ok(KeyText(std::borrow::Cow::Borrowed(key)))
            }

            fn visit_str<E>(self, key: &str) -> Result<KeyText<'de>, E> {
                Ok(KeyText(std::borrow::Cow::Owned(key.to_owned())))
            }
        }

        deserializer.deserialize_str(KeyVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::{MAX_LINE_DEPTH, UniqueKeys};

    /// A number at `MAX_LINE_DEPTH` is read as any value there, a float too: with serde_json's
    /// `arbitrary_precision`, `1.5` came as a one-member map, one level too deep (review 70).
    #[test]
    fn a_float_at_the_deepest_level_is_no_level_of_its_own() {
        let line = |value: &str| {
            let depth = MAX_LINE_DEPTH - 1;
            format!(
                r#"{{"deep": {}{value}{}}}"#,
                r#"{"a":"#.repeat(depth),
                "}".repeat(depth)
            )
        };
        for value in ["1", "1.5", "-0", "1e400", "18446744073709551616", "\"s\""] {
            let text = line(value);
            if value == "1e400" && serde_json::from_str::<serde_json::Value>("1e400").is_err() {
                continue;
            }
            assert!(UniqueKeys::check(&text).is_ok(), "{value}");
        }
        assert!(UniqueKeys::check(&line("[1]")).is_err());
        assert!(UniqueKeys::check(&line(r#"{"x": 1.5}"#)).is_err());
    }
}
