//! A malformed patch's error is the format's own, with its category: docs/field_types says
//! serde_json's `is_eof` stays true for a streaming reader, which reads a value that is not
//! all there yet as "wait for more" rather than "refuse". The derive's code that names a
//! nested attribute's path (`name.given`) remakes only its own error for `null`; every other
//! error passes through as the deserializer made it, at any depth and in each serde code that
//! a patch gets (the derive's own, with a flattened map, and serde's derives).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::error::Category;
use sparse_patch::Patchable;

#[derive(Patchable, Serialize, Deserialize)]
struct Name {
    given: String,
    family: Option<String>,
}

/// The derive's own serde code, with nested patches and a map.
#[derive(Patchable, Serialize, Deserialize)]
struct Person {
    #[patchable(nested)]
    name: Name,
    #[patchable(nested)]
    alias: Option<Name>,
    labels: BTreeMap<String, String>,
}

/// A flattened nested patch: serde's derives.
#[derive(Patchable, Serialize, Deserialize)]
struct Flat {
    #[serde(flatten)]
    #[patchable(nested)]
    name: Name,
    extra: Option<String>,
}

/// A flattened map: the derive's own reader that hands keys to the map.
#[derive(Patchable, Serialize, Deserialize)]
struct Custom {
    id: Option<String>,
    #[serde(flatten)]
    more: BTreeMap<String, serde_json::Value>,
}

/// The error's category, read from a string and from a reader (a stream).
fn categories<T: for<'de> Deserialize<'de>>(text: &str) -> [Category; 2] {
    let from_text = serde_json::from_str::<T>(text).err().expect(text);
    let from_reader = serde_json::from_reader::<_, T>(text.as_bytes())
        .err()
        .expect(text);
    [from_text.classify(), from_reader.classify()]
}

#[test]
fn a_patch_cut_short_at_any_depth_is_an_eof_error() {
    for text in [
        r#"{"name": {"given": "x""#,
        r#"{"name": {"given": "#,
        r#"{"alias": {"family": "x""#,
        r#"{"labels": {"a": "#,
    ] {
        assert_eq!(
            categories::<PersonPatch>(text),
            [Category::Eof; 2],
            "{text}"
        );
    }
    for text in [r#"{"given": "x""#, r#"{"extra": "#] {
        assert_eq!(categories::<FlatPatch>(text), [Category::Eof; 2], "{text}");
    }
    for text in [r#"{"a": {"b": "#, r#"{"id": "#] {
        assert_eq!(
            categories::<CustomPatch>(text),
            [Category::Eof; 2],
            "{text}"
        );
    }
}

#[test]
fn wrong_values_are_data_errors_and_broken_text_syntax_errors() {
    for text in [
        r#"{"name": {"given": 5}}"#,
        r#"{"name": {"given": null}}"#,
        r#"{"alias": {"given": null}}"#,
    ] {
        assert_eq!(
            categories::<PersonPatch>(text),
            [Category::Data; 2],
            "{text}"
        );
    }
    assert_eq!(
        categories::<FlatPatch>(r#"{"given": 5}"#),
        [Category::Data; 2]
    );
    assert_eq!(
        categories::<PersonPatch>(r#"{"name": {"given": "x",}}"#),
        [Category::Syntax; 2]
    );
    assert_eq!(
        categories::<CustomPatch>(r#"{"a": tru}"#),
        [Category::Syntax; 2]
    );
}
