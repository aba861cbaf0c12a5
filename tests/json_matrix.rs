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

/// A with-module that reads a value and never `null` (`T::deserialize(d).map(Some)`), as
/// rust_decimal's `float_option` did inside serde's buffers.
mod value_only {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    pub fn serialize<S: Serializer>(value: &Option<f64>, serializer: S) -> Result<S::Ok, S::Error> {
        value.serialize(serializer)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Option<f64>, D::Error> {
        f64::deserialize(deserializer).map(Some)
    }
}

/// A model whose patch is on serde's derives (a flattened nested model, a serde function).
#[derive(
    sparse_patch::Patchable, Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize,
)]
struct Offer {
    #[serde(flatten)]
    #[patchable(nested)]
    photo: support::Photo,
    #[serde(default, with = "value_only", skip_serializing_if = "Option::is_none")]
    price: Option<f64>,
}

/// A patch inside the containers of a caller's own serde types, which buffer their input as
/// serde's `Content` (`null` a unit) or hand it on through a flattening map: flattened into a
/// request beside an id, the content of an internally tagged and of an adjacently tagged
/// variant. Its `null`s (a nullable attribute, a nested one, a map entry, one that the field's
/// serde function would refuse) still read as clears and are written back, in the patches with
/// the derive's own serde code and on serde's derives. Peer reports of the kind: `null` lost
/// or refused in an internally tagged enum (paupino/rust-decimal#596,
/// https://github.com/paupino/rust-decimal/issues/596), in an untagged one
/// (https://github.com/paupino/rust-decimal/issues/675), and an `Option` read wrongly inside
/// an adjacently tagged enum (https://github.com/serde-rs/serde/issues/1772).
#[test]
fn reads_and_writes_inside_tagged_enums_and_flattened_requests() {
    #[derive(serde::Serialize, serde::Deserialize, Debug, PartialEq)]
    struct Request<P> {
        id: String,
        #[serde(flatten)]
        patch: P,
    }
    #[derive(serde::Serialize, serde::Deserialize, Debug, PartialEq)]
    #[serde(tag = "op")]
    enum Internally {
        User(Box<UserPatch>),
        Offer(OfferPatch),
    }
    #[derive(serde::Serialize, serde::Deserialize, Debug, PartialEq)]
    #[serde(tag = "op", content = "patch")]
    enum Adjacently {
        User(Box<UserPatch>),
        Offer(OfferPatch),
    }
    fn with_member(body: &Value, key: &str, value: &str) -> String {
        let mut json = body.clone();
        json[key] = json!(value);
        json.to_string()
    }

    let user = UserPatch::new()
        .clear_nickname()
        .clear_photo()
        .name(NamePatch::new().clear_given())
        .labels_entry("a", "x")
        .clear_labels_entry("b");
    let user_body = json!({
        "nickname": null, "photo": null, "name": {"given": null}, "labels": {"a": "x", "b": null}
    });
    let offer = OfferPatch {
        photo: PhotoPatch::new().clear_alt(),
        price: Field::Null,
    };
    let offer_body = json!({"alt": null, "price": null});
    assert_eq!(serde_json::to_value(&offer).unwrap(), offer_body);

    let read: Request<UserPatch> =
        serde_json::from_str(&with_member(&user_body, "id", "7")).unwrap();
    assert_eq!(read.patch, user);
    assert_eq!(
        serde_json::to_value(&read).unwrap(),
        serde_json::from_str::<Value>(&with_member(&user_body, "id", "7")).unwrap()
    );
    let read: Request<OfferPatch> =
        serde_json::from_str(&with_member(&offer_body, "id", "7")).unwrap();
    assert_eq!(read.patch, offer);
    assert_eq!(
        serde_json::to_value(&read).unwrap(),
        serde_json::from_str::<Value>(&with_member(&offer_body, "id", "7")).unwrap()
    );

    for (tagged, body, op) in [
        (Internally::User(Box::new(user.clone())), &user_body, "User"),
        (Internally::Offer(offer.clone()), &offer_body, "Offer"),
    ] {
        let text = with_member(body, "op", op);
        assert_eq!(serde_json::from_str::<Internally>(&text).unwrap(), tagged);
        assert_eq!(
            serde_json::to_value(&tagged).unwrap(),
            serde_json::from_str::<Value>(&text).unwrap()
        );
    }
    for (tagged, body, op) in [
        (Adjacently::User(Box::new(user)), user_body, "User"),
        (Adjacently::Offer(offer), offer_body, "Offer"),
    ] {
        let json = json!({"op": op, "patch": body});
        assert_eq!(
            serde_json::from_str::<Adjacently>(&json.to_string()).unwrap(),
            tagged
        );
        assert_eq!(serde_json::to_value(&tagged).unwrap(), json);
    }
    #[derive(serde::Deserialize, Debug, PartialEq)]
    #[serde(untagged)]
    enum Untagged {
        Offer(OfferPatch),
    }
    assert_eq!(
        serde_json::from_str::<Untagged>(r#"{"alt": null, "price": null}"#).unwrap(),
        Untagged::Offer(OfferPatch {
            photo: PhotoPatch::new().clear_alt(),
            price: Field::Null,
        })
    );
    // A required attribute's `null` is still refused there.
    assert!(serde_json::from_str::<Internally>(r#"{"op": "User", "email": null}"#).is_err());
    assert!(serde_json::from_str::<Request<OfferPatch>>(r#"{"id": "7", "href": null}"#).is_err());
}
