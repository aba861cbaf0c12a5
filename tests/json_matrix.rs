//! Absent, null and value for each kind of field, serialized and read back.

mod support;

use std::collections::BTreeMap;

use serde_json::{Value, json};
use sparse_patch::Field;
use support::{AccountPatch, NamePatch, PhotoPatch, UserPatch};

fn round_trip(patch: &UserPatch, expected: Value) {
    let written = serde_json::to_value(patch).unwrap();
    assert_eq!(written, expected, "serialized {patch:?}");
    let read: UserPatch = serde_json::from_value(written).unwrap();
    assert_eq!(&read, patch, "read back {expected}");
}

#[test]
fn empty_patch_is_empty_object() {
    let patch = UserPatch::new();
    assert!(patch.is_empty());
    assert_eq!(serde_json::to_string(&patch).unwrap(), "{}");
    round_trip(&patch, json!({}));
    let read: UserPatch = serde_json::from_str("{}").unwrap();
    assert!(read.is_empty());
}

#[test]
fn required_field_absent_or_value() {
    round_trip(
        &UserPatch::new().email("a@example.com"),
        json!({"email": "a@example.com"}),
    );
    round_trip(&UserPatch::new().age(0u32), json!({"age": 0}));
    let read: UserPatch = serde_json::from_str("{}").unwrap();
    assert_eq!(read.email, None);
}

#[test]
fn required_field_rejects_null_and_names_it() {
    for (json, name) in [
        (r#"{"email": null}"#, "email"),
        (r#"{"username": null}"#, "username"),
        (r#"{"account": null}"#, "account"),
        (r#"{"labels": null}"#, "labels"),
        (r#"{"photo": {"href": null}}"#, "photo.href"),
    ] {
        let error = serde_json::from_str::<UserPatch>(json)
            .unwrap_err()
            .to_string();
        assert!(
            error.contains(&format!("`{name}`")) && error.contains("null"),
            "{json} gave: {error}"
        );
    }
}

#[test]
fn nullable_field_absent_null_or_value() {
    round_trip(&UserPatch::new(), json!({}));
    round_trip(
        &UserPatch::new().clear_nickname(),
        json!({"nickname": null}),
    );
    round_trip(
        &UserPatch::new().nickname("Dave"),
        json!({"nickname": "Dave"}),
    );
}

#[test]
fn empty_string_and_empty_vec_are_values() {
    round_trip(&UserPatch::new().nickname(""), json!({"nickname": ""}));
    round_trip(
        &UserPatch::new().tags(Vec::<String>::new()),
        json!({"tags": []}),
    );
    round_trip(&UserPatch::new().email(""), json!({"email": ""}));
}

#[test]
fn renamed_and_raw_identifier_fields() {
    round_trip(
        &UserPatch::new().phone("+1 555"),
        json!({"mobilePhone": "+1 555"}),
    );
    round_trip(
        &UserPatch::new().clear_phone(),
        json!({"mobilePhone": null}),
    );
    round_trip(
        &UserPatch::new().r#type("employee"),
        json!({"type": "employee"}),
    );
    round_trip(&UserPatch::new().clear_type(), json!({"type": null}));
}

#[test]
fn nested_nullable_absent_null_or_value() {
    round_trip(&UserPatch::new().clear_name(), json!({"name": null}));
    round_trip(
        &UserPatch::new().name(NamePatch::new()),
        json!({"name": {}}),
    );
    round_trip(
        &UserPatch::new().name(NamePatch::new().given("A").clear_family_name()),
        json!({"name": {"given": "A", "familyName": null}}),
    );
}

#[test]
fn nested_required_absent_or_value() {
    round_trip(
        &UserPatch::new().account(AccountPatch::new().can_authenticate(false)),
        json!({"account": {"can_authenticate": false}}),
    );
    round_trip(
        &UserPatch::new().account(AccountPatch::new().clear_status()),
        json!({"account": {"status": null}}),
    );
}

#[test]
fn map_entries_absent_null_or_value() {
    let mut labels = BTreeMap::new();
    labels.insert("team".to_owned(), Field::Value("blue".to_owned()));
    labels.insert("old".to_owned(), Field::Null);
    labels.insert("untouched".to_owned(), Field::Absent);
    let patch = UserPatch::new().labels(labels);
    let written = serde_json::to_value(&patch).unwrap();
    assert_eq!(written, json!({"labels": {"team": "blue", "old": null}}));
    let read: UserPatch = serde_json::from_value(written).unwrap();
    let labels = read.labels.unwrap();
    assert_eq!(labels.len(), 2);
    assert_eq!(labels["old"], Field::Null);
}

#[test]
fn unknown_keys_are_ignored_by_default() {
    let read: UserPatch = serde_json::from_str(r#"{"nickname": "x", "whatever": 1}"#).unwrap();
    assert_eq!(read, UserPatch::new().nickname("x"));
}

#[test]
fn wrong_value_type_is_an_error() {
    assert!(serde_json::from_str::<UserPatch>(r#"{"age": "old"}"#).is_err());
    assert!(serde_json::from_str::<UserPatch>(r#"{"nickname": 3}"#).is_err());
    assert!(serde_json::from_str::<UserPatch>(r#"{"photo": "x"}"#).is_err());
}

#[test]
fn reads_from_buffered_content_too() {
    // serde_json::Value and untagged/flattened contexts buffer input as `Content`, where null is
    // a unit: it must still read as null, and a missing key as absent.
    #[derive(serde::Deserialize, Debug)]
    #[serde(untagged)]
    enum Either {
        Patch(UserPatch),
    }
    let Either::Patch(patch) =
        serde_json::from_str(r#"{"nickname": null, "photo": {"href": "h"}}"#).unwrap();
    assert_eq!(
        patch,
        UserPatch::new()
            .clear_nickname()
            .photo(PhotoPatch::new().href("h"))
    );
}
