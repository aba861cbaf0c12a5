//! The patch's own `Serialize` and `Deserialize` (generated for plain patches instead of serde's
//! derives, to cut build time) against serde's derives as the oracle: the same patch model is
//! derived twice, once plain (`own`) and once with a generic parameter, which makes the derive
//! fall back to serde's derives (`serde_derived`). Both must write the same bytes and read every
//! input to the same patch or the same error.

use std::marker::PhantomData;

use serde::{Deserialize, Serialize};
use sparse_patch::Patchable;

macro_rules! models {
    ($($generic:ident)?) => {
        #[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
        #[serde(rename_all = "camelCase")]
        #[patchable(name = "UserPatch")]
        pub struct User<$($generic = ())?> {
            #[serde(rename = "username")]
            pub user_name: String,
            #[serde(alias = "years")]
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
            pub id: String,
            pub note: Option<String>,
            $(
                #[serde(skip)]
                pub marker: PhantomData<$generic>,
            )?
        }
    };
}

mod own {
    use super::*;
    models!();
}

mod serde_derived {
    use super::*;
    models!(M);
}

/// What reading `json` gives: the patch written back, or the error's text.
fn read<P: for<'de> Deserialize<'de> + Serialize>(json: &str) -> Result<String, String> {
    serde_json::from_str::<P>(json)
        .map(|patch| serde_json::to_string(&patch).unwrap())
        .map_err(|error| error.to_string())
}

/// The same, through `serde_json::Value` (another deserializer: owned keys, no positions).
fn read_value<P: for<'de> Deserialize<'de> + Serialize>(json: &str) -> Result<String, String> {
    let value: serde_json::Value = serde_json::from_str(json).unwrap();
    serde_json::from_value::<P>(value)
        .map(|patch| serde_json::to_string(&patch).unwrap())
        .map_err(|error| error.to_string())
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
        error.starts_with("unknown field `other`, expected `id` or `note`"),
        "{error}"
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
/// an array of its fields in order, which the patch's own `Deserialize` refuses.
#[test]
fn refuses_an_array() {
    let error = read::<own::UserPatch>(r#"["dspanner"]"#).unwrap_err();
    assert!(
        error.starts_with("invalid type: sequence, expected struct UserPatch"),
        "{error}"
    );
}
