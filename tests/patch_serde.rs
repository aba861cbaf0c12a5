//! The patch's own `Serialize` and `Deserialize` (generated for plain patches instead of serde's
//! derives, to cut build time) against serde's derives as the oracle: the same patch model is
//! derived twice, once plain (`own`) and once with a generic parameter and a `#[cfg]` field,
//! which makes the derive fall back to serde's derives (`serde_derived`). Both must write the same bytes and read every
//! input to the same patch or the same error.

mod support;

use std::marker::PhantomData;

use serde::{Deserialize, Serialize};
use sparse_patch::Patchable;
use support::outcome;

macro_rules! models {
    ($($generic:ident)?) => {
        #[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
        #[serde(rename_all = "camelCase")]
        #[patchable(name = "UserPatch")]
        pub struct User<$($generic = ())?> {
            #[serde(rename = "username")]
            pub user_name: String,
            #[serde(alias = "years")]
            // In the generic variant only: a `#[cfg]` field keeps the patch on serde's derives.
            $( #[cfg(all())] #[doc = stringify!($generic)] )?
            pub age: u32,
            pub nick_name: Option<String>,
            pub tags: Option<Vec<String>>,
            #[patchable(nested)]
            pub name: Name,
            #[patchable(nested)]
            pub photo: Option<Photo>,
            pub extra: serde_json::Value,
            $(
                #[serde(skip)]
                pub marker: PhantomData<$generic>,
            )?
        }

        #[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
        #[serde(rename_all = "camelCase")]
        pub struct Name {
            pub given_name: String,
            pub family_name: Option<String>,
        }

        #[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
        pub struct Photo {
            pub href: String,
        }

        #[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
        #[serde(deny_unknown_fields)]
        #[patchable(name = "StrictPatch")]
        pub struct Strict<$($generic = ())?> {
            #[serde(alias = "ident", alias = "identifier")]
            pub id: String,
            pub note: Option<String>,
            $(
                #[serde(skip)]
                pub marker: PhantomData<$generic>,
            )?
        }

        /// An alias that is also a later field's name: serde matches in declaration order.
        #[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
        #[patchable(name = "ShadowPatch")]
        pub struct Shadow<$($generic = ())?> {
            #[serde(alias = "other_name")]
            pub aliased: Option<u8>,
            pub other_name: Option<u8>,
            $(
                #[serde(skip)]
                pub marker: PhantomData<$generic>,
            )?
        }

        /// A flattened patch with aliases: the parent hands over only the keys that the
        /// flattened patch lists.
        #[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
        #[patchable(name = "OuterPatch")]
        pub struct Outer<$($generic = ())?> {
            pub id: Option<u8>,
            #[serde(flatten)]
            #[patchable(nested)]
            pub inner: Inner,
            $(
                #[serde(skip)]
                pub marker: PhantomData<$generic>,
            )?
        }
    };
}

#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Inner {
    #[serde(alias = "nick")]
    pub nick_name: Option<String>,
    #[serde(alias = "yrs")]
    pub age: u32,
}

// serde's derive on `Shadow`: the alias makes the later field's name unreachable, on purpose.
#[allow(unreachable_patterns)]
mod own {
    use super::*;
    models!();
}

#[allow(unreachable_patterns)]
mod serde_derived {
    use super::*;
    models!(M);
}

/// What reading `json` gives: the patch written back, or the error's text.
fn read<P: for<'de> Deserialize<'de> + Serialize>(json: &str) -> Result<String, String> {
    outcome(serde_json::from_str::<P>(json))
}

/// The same, through `serde_json::Value` (another deserializer: owned keys, no positions).
fn read_value<P: for<'de> Deserialize<'de> + Serialize>(json: &str) -> Result<String, String> {
    let value: serde_json::Value = serde_json::from_str(json).unwrap();
    outcome(serde_json::from_value::<P>(value))
}

const USER_INPUTS: &[&str] = &[
    r"{}",
    r#"{"username": "dspanner", "age": 41, "nickName": null, "tags": ["a", "b"]}"#,
    r#"{"name": {"givenName": "David", "familyName": null}, "photo": {"href": "h"}}"#,
    r#"{"photo": null, "extra": {"a": [1, null]}, "tags": null}"#,
    r#"{"years": 7}"#,
    r#"{"unknown": {"deep": [1, 2, {"x": null}]}, "age": 3}"#,
    // null on required attributes, at the top and nested
    r#"{"username": null}"#,
    r#"{"age": null}"#,
    r#"{"extra": null}"#,
    r#"{"name": null}"#,
    r#"{"name": {"givenName": null}}"#,
    r#"{"photo": {"href": null}}"#,
    // repeated keys, also through an alias
    r#"{"nickName": "a", "nickName": "b"}"#,
    r#"{"nickName": null, "nickName": "b"}"#,
    r#"{"username": "a", "username": "b"}"#,
    r#"{"age": 1, "years": 2}"#,
    r#"{"name": {"familyName": "a", "familyName": "b"}}"#,
    // values of the wrong type
    r#"{"age": "41"}"#,
    r#"{"age": -1}"#,
    r#"{"age": 4294967296}"#,
    r#"{"tags": "a"}"#,
    r#"{"name": "David"}"#,
    r#"{"nickName": 5}"#,
    // not an object, or malformed
    r"5",
    r#""patch""#,
    r"null",
    r"true",
    // an array of the fields' values, as serde's derive would read a struct: refused by both
    r#"["dspanner", 41]"#,
    r"[]",
    r#"{"age": 1"#,
    r#"{"age": 1,}"#,
    r#"{"age": 1} x"#,
    r#"{"user_name": "serialized names only"}"#,
];

#[test]
fn reads_every_input_as_serde_derive_does() {
    for input in USER_INPUTS {
        let own = read::<own::UserPatch>(input);
        let derived = read::<serde_derived::UserPatch<()>>(input);
        assert_eq!(own, derived, "input {input}");
        if serde_json::from_str::<serde_json::Value>(input).is_ok() {
            let own = read_value::<own::UserPatch>(input);
            let derived = read_value::<serde_derived::UserPatch<()>>(input);
            assert_eq!(own, derived, "input {input} through serde_json::Value");
        }
    }
}

#[test]
fn reads_known_values_and_refuses_null_by_name() {
    let patch: own::UserPatch =
        serde_json::from_str(r#"{"years": 7, "nickName": null, "name": {"givenName": "D"}}"#)
            .unwrap();
    assert_eq!(patch.age, Some(7));
    assert!(patch.nick_name.is_null());
    assert!(patch.user_name.is_none());
    assert_eq!(patch.name.unwrap().given_name, Some("D".to_owned()));
    let error = read::<own::UserPatch>(r#"{"username": null}"#).unwrap_err();
    assert!(
        error.starts_with(
            "invalid value: null for `username`, a required attribute that cannot be cleared"
        ),
        "{error}"
    );
    let error = read::<own::UserPatch>(r#"{"age": 1, "years": 2}"#).unwrap_err();
    assert!(error.starts_with("duplicate field `age`"), "{error}");
}

#[test]
fn deny_unknown_fields_refuses_as_serde_derive_does() {
    for input in [
        r#"{"id": "a"}"#,
        r#"{"ident": "a", "other": 1}"#,
        r#"{"identifier": "a", "id": "b"}"#,
        r#"{"id": "a", "other": 1}"#,
        r#"{"note": null, "Note": 1}"#,
        r#"{"id": null}"#,
    ] {
        let own = read::<own::StrictPatch>(input);
        let derived = read::<serde_derived::StrictPatch<()>>(input);
        assert_eq!(own, derived, "input {input}");
    }
    let error = read::<own::StrictPatch>(r#"{"other": 1}"#).unwrap_err();
    assert!(
        error.starts_with(
            "unknown field `other`, expected one of `id`, `ident`, `identifier`, `note`"
        ),
        "{error}"
    );
}

/// Review finding: the aliases were matched after every field's name, so an alias equal to a
/// later field's name went to that field, unlike the model's own `Deserialize`.
#[test]
fn matches_aliases_in_declaration_order() {
    for input in [
        r#"{"other_name": 1}"#,
        r#"{"aliased": 1, "other_name": 2}"#,
        r#"{"other_name": 1, "other_name": 2}"#,
    ] {
        let own = read::<own::ShadowPatch>(input);
        let derived = read::<serde_derived::ShadowPatch<()>>(input);
        assert_eq!(own, derived, "input {input}");
    }
    assert_eq!(
        read::<own::ShadowPatch>(r#"{"other_name": 1}"#).unwrap(),
        r#"{"aliased":1}"#
    );
}

/// Review finding: a flattened patch lost its aliased keys (`{"nick": null}` read as `{}`),
/// since the parent hands over only the keys that the flattened patch lists, and the aliases
/// were not listed.
#[test]
fn flattened_patch_keeps_aliased_keys() {
    for input in [
        r#"{"id": 1, "nick": "n", "yrs": 3}"#,
        r#"{"nick": null}"#,
        r#"{"nick_name": "a", "nick": "b"}"#,
    ] {
        let own = read::<own::OuterPatch>(input);
        let derived = read::<serde_derived::OuterPatch<()>>(input);
        assert_eq!(own, derived, "input {input}");
    }
    assert_eq!(
        read::<own::OuterPatch>(r#"{"id": 1, "nick": null, "yrs": 3}"#).unwrap(),
        r#"{"id":1,"nick_name":null,"age":3}"#
    );
}

/// Review finding: an integer key out of range under `deny_unknown_fields` gave "unknown
/// field" where serde's derive says "invalid value ... field index". Formats other than JSON
/// may send field numbers as keys.
#[test]
fn integer_keys_read_as_serde_derive_does() {
    use serde::de::value::{Error, MapDeserializer};

    fn read_map<'a, P: Deserialize<'a> + Serialize>(
        entries: &[(u64, &'a str)],
    ) -> Result<String, String> {
        P::deserialize(MapDeserializer::<_, Error>::new(entries.iter().copied()))
            .map(|patch| serde_json::to_string(&patch).unwrap())
            .map_err(|error| error.to_string())
    }

    for entries in [
        &[(0, "a")][..],
        &[(1, "a")],
        &[(5, "a")],
        &[(0, "a"), (0, "b")],
        &[(u64::MAX, "a")],
    ] {
        let own = read_map::<own::StrictPatch>(entries);
        let derived = read_map::<serde_derived::StrictPatch<()>>(entries);
        assert_eq!(own, derived, "entries {entries:?}");
    }
    assert_eq!(
        read_map::<own::StrictPatch>(&[(5, "a")]).unwrap_err(),
        "invalid value: integer `5`, expected field index 0 <= i < 2"
    );
    // The first number past the last field, at the bound, as serde's derive refuses it for a
    // struct of two fields (not compared with the twin above, whose patch also holds its type
    // parameter's marker, which serde's derive counts as a third field and reads 2 into).
    assert_eq!(
        read_map::<own::StrictPatch>(&[(2, "a")]).unwrap_err(),
        "invalid value: integer `2`, expected field index 0 <= i < 2"
    );
}

#[test]
fn writes_the_same_bytes_as_serde_derive() {
    let own = own::UserPatch::new()
        .user_name("dspanner")
        .clear_nick_name()
        .tags(vec!["a".to_owned()])
        .name(own::NamePatch::new().clear_family_name())
        .extra(serde_json::json!({"k": null}));
    let derived = serde_derived::UserPatch::<()>::new()
        .user_name("dspanner")
        .clear_nick_name()
        .tags(vec!["a".to_owned()])
        .name(serde_derived::NamePatch::new().clear_family_name())
        .extra(serde_json::json!({"k": null}));
    let written = serde_json::to_string(&own).unwrap();
    assert_eq!(written, serde_json::to_string(&derived).unwrap());
    assert_eq!(
        written,
        r#"{"username":"dspanner","nickName":null,"tags":["a"],"name":{"familyName":null},"extra":{"k":null}}"#
    );
    assert_eq!(serde_json::to_string(&own::UserPatch::new()).unwrap(), "{}");
}

/// A JSON merge patch is an object (RFC 7396 §2); serde's derive would also read a struct from
/// an array of its fields in order, which the patch's own `Deserialize` refuses, and so does
/// a patch on serde's derives, whose derived reader the derive wraps (it read `["dspanner"]`
/// as a patch setting `username`).
#[test]
fn refuses_an_array() {
    for error in [
        read::<own::UserPatch>(r#"["dspanner"]"#).unwrap_err(),
        read::<serde_derived::UserPatch<()>>(r#"["dspanner"]"#).unwrap_err(),
        read_value::<serde_derived::UserPatch<()>>(r#"["dspanner"]"#).unwrap_err(),
        read::<serde_derived::StrictPatch<()>>(r#"["a", null]"#).unwrap_err(),
    ] {
        assert!(
            error.starts_with("invalid type: sequence, expected struct ")
                && error.contains("Patch: a patch is a map of its attributes by key"),
            "{error}"
        );
    }
}

/// The oracle is serde's derive: in a binary format it reads the patch with
/// `deserialize_struct`, which postcard reads as a sequence of the fields (refused), where the
/// derive's own code reads a map (here an empty one).
#[test]
fn oracle_is_serdes_derive() {
    assert!(postcard::from_bytes::<serde_derived::UserPatch>(&[0]).is_err());
    assert!(postcard::from_bytes::<own::UserPatch>(&[0]).is_ok());
}

/// A patch with map fields and a flattened map is written by the derive's own code (issue 8):
/// the bytes serde's derive wrote before, in field order, with the flattened entries at the
/// field's place. An absent required map is left out, not written `null` (a fault found by
/// `tests/patch_serde_flatten_properties.rs` while that writer was built).
#[test]
fn writes_maps_and_flattened_entries_as_serde_derive_did() {
    use std::collections::BTreeMap;

    use sparse_patch::Field;

    #[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    struct Profile {
        display_name: String,
        labels: BTreeMap<String, String>,
        scores: Option<BTreeMap<String, u32>>,
        #[serde(flatten)]
        custom: BTreeMap<String, serde_json::Value>,
        last_word: Option<String>,
    }

    let write = |patch: &ProfilePatch| serde_json::to_string(patch).unwrap();
    assert_eq!(write(&ProfilePatch::new()), "{}");
    assert_eq!(
        write(
            &ProfilePatch::new()
                .labels_entry("a", "x")
                .clear_labels_entry("b")
        ),
        r#"{"labels":{"a":"x","b":null}}"#
    );
    let mut labels = BTreeMap::new();
    labels.insert("kept".to_owned(), Field::Absent);
    labels.insert("gone".to_owned(), Field::Null);
    let mut patch = ProfilePatch::new()
        .display_name("Ada")
        .clear_scores()
        .custom_entry("zeta", 1)
        .clear_custom_entry("alpha")
        .clear_last_word();
    patch.labels = Some(labels);
    assert_eq!(
        write(&patch),
        r#"{"displayName":"Ada","labels":{"gone":null},"scores":null,"alpha":null,"zeta":1,"lastWord":null}"#
    );
    // What is written reads back as the same patch.
    let back: ProfilePatch = serde_json::from_str(&write(&patch)).unwrap();
    let mut expected = patch.clone();
    expected.labels.as_mut().unwrap().remove("kept");
    assert_eq!(back, expected);
}
