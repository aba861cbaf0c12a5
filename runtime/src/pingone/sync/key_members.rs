//! [`key_members`]: a feed line's key members (`id`, `username`, `email`) read from its top
//! level alone, for a line that the job refuses before reading it whole, so that the user it
//! names is still known (a later line for that user is then a duplicate, as after any other
//! invalid line).

use core::fmt;

use serde::de::{IgnoredAny, MapAccess, Visitor};
use serde_json::{Map, Value};

/// The names of a line's key, in the order the job tries them.
const KEY_NAMES: [&str; 3] = ["id", "username", "email"];

/// The members of `bytes`' top-level JSON object named `id`, `username` or `email`, read
/// whatever the rest of the object holds: its other members are skipped unread, so a line
/// nested deeper than serde_json reads a `Value` (128 levels), or holding bytes that are not
/// UTF-8 in another member's name or string, still gives its key. The caller strips the
/// line's one byte order mark, as the job reads a line without it: a second is no JSON.
///
/// `None` when `bytes` is not one JSON object (malformed, another value, or followed by more
/// than white space), when a key member's own value cannot be read (not UTF-8, too deep), or
/// when one of the three names is given twice at the top (`{"username": "a", "username":
/// "b"}`: which user the line meant is unknown).
pub(super) fn key_members(bytes: &[u8]) -> Option<Map<String, Value>> {
    let mut deserializer = serde_json::Deserializer::from_slice(bytes);
    let members = serde::Deserializer::deserialize_map(&mut deserializer, KeyMembers).ok()??;
    deserializer.end().ok()?;
    Some(members)
}

/// Reads the top-level object: `None` when a key's name is given twice.
struct KeyMembers;

impl<'de> Visitor<'de> for KeyMembers {
    type Value = Option<Map<String, Value>>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut members = Map::new();
        let mut twice = false;
        // Read to the end: serde_json refuses an object left before its `}`.
        while let Some(MemberName(name)) = map.next_key()? {
            match name.and_then(|name| KEY_NAMES.iter().find(|key| **key == name)) {
                Some(key) => {
                    let value: Value = map.next_value()?;
                    twice |= members.insert((*key).to_owned(), value).is_some();
                }
                None => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok((!twice).then_some(members))
    }
}

/// A member's name, read as bytes (escapes decoded, no check that they are UTF-8, which a
/// name that is no key's need not be): `Some` for a name that is UTF-8.
struct MemberName(Option<String>);

impl<'de> serde::Deserialize<'de> for MemberName {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct NameVisitor;

        impl Visitor<'_> for NameVisitor {
            type Value = MemberName;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a member's name")
            }

            fn visit_bytes<E>(self, name: &[u8]) -> Result<MemberName, E> {
                Ok(MemberName(
                    core::str::from_utf8(name).ok().map(str::to_owned),
                ))
            }

            fn visit_str<E>(self, name: &str) -> Result<MemberName, E> {
                Ok(MemberName(Some(name.to_owned())))
            }
        }

        deserializer.deserialize_bytes(NameVisitor)
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::key_members;

    fn nested(depth: usize) -> String {
        format!("{}1{}", "[".repeat(depth), "]".repeat(depth))
    }

    #[test]
    fn the_key_members_are_read_whatever_the_other_members_hold() {
        let deep = nested(5_000);
        for (text, members) in [
            (
                br#"{"username": "ada", "title": "CTO"}"#.to_vec(),
                Some(json!({"username": "ada"})),
            ),
            (
                format!(r#"{{"x": {deep}, "email": "a@b.c", "id": 7}}"#).into_bytes(),
                Some(json!({"email": "a@b.c", "id": 7})),
            ),
            // Not UTF-8 in another member's string and in another member's name.
            (
                b"{\"title\": \"Caf\xE9\", \"username\": \"ada\", \"\xFF\": 1}".to_vec(),
                Some(json!({"username": "ada"})),
            ),
            // An escaped name.
            (
                b"{\"user\\u006eame\": \"ada\"}".to_vec(),
                Some(json!({"username": "ada"})),
            ),
            // A byte order mark is the caller's to strip.
            (b"\xEF\xBB\xBF{\"username\": \"ada\"}".to_vec(), None),
            // A key's name given twice, even spelt otherwise.
            (br#"{"username": "a", "user\u006eame": "b"}"#.to_vec(), None),
            // Twice inside another member is not at the top.
            (
                br#"{"username": "a", "c": {"id": 1, "id": 2}}"#.to_vec(),
                Some(json!({"username": "a"})),
            ),
            // The key's own value not UTF-8, or too deep for a `Value`.
            (b"{\"username\": \"Jos\xE9\"}".to_vec(), None),
            (format!(r#"{{"username": {deep}}}"#).into_bytes(), None),
            // Not one object.
            (b"[1]".to_vec(), None),
            (br#"{"id": "#.to_vec(), None),
            (br#"{"id": "a"} {"#.to_vec(), None),
        ] {
            let members = members.map(|members| match members {
                serde_json::Value::Object(members) => members,
                _ => unreachable!(),
            });
            assert_eq!(
                key_members(&text),
                members,
                "{}",
                String::from_utf8_lossy(&text[..text.len().min(80)])
            );
        }
    }

    /// A member: its name as written (escapes included), the name it reads as, and a value.
    fn member() -> impl proptest::strategy::Strategy<Value = (String, String, String)> {
        use proptest::prelude::*;
        let names = prop::sample::select(vec![
            (r#""id""#, "id"),
            (r#""\u0069d""#, "id"),
            (r#""username""#, "username"),
            (r#""user\u006eame""#, "username"),
            (r#""email""#, "email"),
            (r#""Email""#, "Email"),
            (r#""userName""#, "userName"),
            (r#""title""#, "title"),
            (r#""""#, ""),
            (r#""id ""#, "id "),
            (r#""e.mail""#, "e.mail"),
        ]);
        let values = prop::sample::select(vec![
            r#""ada""#,
            r#""a\"b""#,
            r#""\u00e9""#,
            "7",
            "-0.5e3",
            "null",
            "true",
            "[]",
            r#"[{"id": "x"}, [1, [2]]]"#,
            r#"{"username": "inner", "id": 1}"#,
            "{}",
        ]);
        (names, values).prop_map(|((written, read), value)| {
            (written.to_owned(), read.to_owned(), value.to_owned())
        })
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(512))]

        /// Generated lines (members in any order, names repeated or escaped, a cut or a
        /// trailing character at times) give the key members serde_json reads, and `None`
        /// where serde_json reads no object or a key's name is given twice at the top.
        #[test]
        fn generated_lines_give_the_key_members_serde_json_reads(
            members in proptest::collection::vec(member(), 0..7),
            cut in proptest::option::weighted(0.1, 0_usize..80),
            trailing in proptest::option::weighted(0.1, proptest::sample::select(vec![" ", "x", "}", ","])),
        ) {
            let mut text = String::from("{");
            for (index, (written, _, value)) in members.iter().enumerate() {
                if index > 0 {
                    text.push_str(", ");
                }
                text.push_str(&format!("{written}: {value}"));
            }
            text.push('}');
            if let Some(trailing) = trailing {
                text.push_str(trailing);
            }
            let bytes = match cut {
                Some(cut) => &text.as_bytes()[..cut.min(text.len())],
                None => text.as_bytes(),
            };
            let twice = ["id", "username", "email"].iter().any(|name| {
                members.iter().filter(|(_, read, _)| read == name).count() > 1
            });
            let expected = match serde_json::from_slice::<serde_json::Value>(bytes) {
                Ok(serde_json::Value::Object(read)) if !twice => Some(
                    read.into_iter()
                        .filter(|(name, _)| ["id", "username", "email"].contains(&name.as_str()))
                        .collect::<serde_json::Map<_, _>>(),
                ),
                _ => None,
            };
            proptest::prop_assert_eq!(key_members(bytes), expected, "{}", String::from_utf8_lossy(bytes));
        }
    }
}
