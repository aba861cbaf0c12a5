//! The derive in an edition 2015 crate (this crate, a workspace member of its own), which
//! reads `::name` as the crate's own root and `assert!`'s message as plain text. Code that the
//! derive spans at a field takes the edition of the field's crate: the `const` assertions
//! beside a flattened nested model (that no key is written twice) wrote `::core::assert!`
//! there, which was E0433, "cannot find `core` in the crate root", at every field beside a
//! flattened nested model; and a key with braces (`{id}`) was rustc's `non_fmt_panics`
//! warning, an error under `deny(warnings)`.
#![deny(warnings)]
#![forbid(unsafe_code)]

extern crate serde;
extern crate serde_json;
extern crate sparse_patch;

use serde::{Deserialize, Serialize};
use sparse_patch::Patchable;

#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Name {
    pub given: Option<String>,
    pub family: String,
}

#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Audit {
    pub note: Option<String>,
}

/// A field beside two flattened nested models, whose keys the derive compares at compile time,
/// one of them with braces.
#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Person {
    #[serde(rename = "{id}")]
    pub id: Option<u32>,
    #[serde(flatten)]
    #[patchable(nested)]
    pub name: Name,
    #[serde(flatten)]
    #[patchable(nested)]
    pub audit: Audit,
}

/// A nullable attribute that a serde module of the crate writes and reads (a number as its
/// text): the derive spans the copy of its value at the attribute, in this edition.
#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Counter {
    #[serde(default, with = "count_text")]
    pub count: Option<u32>,
}

/// Attributes that serde functions of the crate write and read, and a default of its own: the
/// derive spans each call at its attribute, in this edition.
#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Levels {
    #[serde(with = "level_text")]
    pub level: u32,
    #[serde(
        serialize_with = "level_text::serialize",
        deserialize_with = "level_text::deserialize"
    )]
    pub floor: u32,
    #[serde(default = "default_limit")]
    pub limit: u32,
}

pub fn default_limit() -> u32 {
    9
}

pub mod level_text {
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(level: &u32, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(level)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<u32, D::Error> {
        String::deserialize(deserializer)?
            .parse()
            .map_err(::serde::de::Error::custom)
    }
}

pub mod count_text {
    use serde::{Deserialize, Deserializer, Serializer};

    #[allow(clippy::ref_option)]
    pub fn serialize<S: Serializer>(count: &Option<u32>, serializer: S) -> Result<S::Ok, S::Error> {
        match *count {
            Some(count) => serializer.collect_str(&count),
            None => serializer.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Option<u32>, D::Error> {
        match Option::<String>::deserialize(deserializer)? {
            Some(text) => text.parse().map(Some).map_err(::serde::de::Error::custom),
            None => Ok(None),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sparse_patch::{Diff, FromPatch};

    #[test]
    fn a_flattened_nested_model_derives_in_an_edition_2015_crate() {
        let patch = PersonPatch::new()
            .id(7u32)
            .name(NamePatch::new().given("Ada"))
            .audit(AuditPatch::new().clear_note());
        assert_eq!(
            serde_json::to_string(&patch).unwrap(),
            r#"{"{id}":7,"given":"Ada","note":null}"#
        );
        let mut person = Person {
            id: None,
            name: Name {
                given: None,
                family: "Lovelace".to_owned(),
            },
            audit: Audit {
                note: Some("n".to_owned()),
            },
        };
        person.apply(patch).unwrap();
        assert_eq!(person.id, Some(7));
        assert_eq!(person.name.given.as_deref(), Some("Ada"));
        assert_eq!(person.audit.note, None);
        assert_eq!(Person::from_patch(person.to_patch()).unwrap(), person);
    }

    #[test]
    fn required_attributes_with_serde_functions_derive_in_an_edition_2015_crate() {
        let json = r#"{"level":"3","floor":"1"}"#;
        let patch = LevelsPatch::new().level(3u32).floor(1u32);
        assert_eq!(serde_json::to_string(&patch).unwrap(), json);
        assert_eq!(serde_json::from_str::<LevelsPatch>(json).unwrap(), patch);
        let levels = Levels::from_patch(patch).unwrap();
        assert_eq!((levels.level, levels.floor, levels.limit), (3, 1, 9));
    }

    #[test]
    fn a_nullable_attribute_with_a_serde_module_derives_in_an_edition_2015_crate() {
        for (patch, json) in [
            (CounterPatch::new().count(3u32), r#"{"count":"3"}"#),
            (CounterPatch::new().clear_count(), r#"{"count":null}"#),
        ] {
            assert_eq!(serde_json::to_string(&patch).unwrap(), json);
            assert_eq!(serde_json::from_str::<CounterPatch>(json).unwrap(), patch);
        }
    }
}
