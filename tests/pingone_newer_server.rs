//! The client against answers a newer PingOne could send (review 68): new members at every
//! depth, new enumeration values, other spellings of times, scalars written as strings, `null`
//! where an object usually is, and error bodies of shapes not seen before. PingOne's own
//! SDKs and its Terraform provider broke on each of these kinds (pingone-go-sdk-v2 added
//! `UNKNOWN_DEFAULT_OPEN_API` enum values after a new server value failed whole responses).
//!
//! Today's truth is `tests/data/reference_response.json` (the 200 of the "Update User (PATCH)"
//! page) and PingOne's `User` schema; each case changes that answer the way a newer server
//! could.

use futures_util::TryStreamExt;
use serde_json::{Value, json};
use sparse_patch::pingone::{Error, User, UserQuery};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[path = "support/mock_pingone.rs"]
mod mock_pingone;
use mock_pingone::{ENV, USER, USER_PATH, USERS_PATH, bearer};

/// The real 200 answer of the PATCH documentation page.
fn reference() -> Value {
    serde_json::from_str(include_str!("data/reference_response.json")).unwrap()
}

/// `reference()` with each member of `changes` set (at the top level).
fn reference_with(changes: Value) -> Value {
    let mut user = reference();
    for (name, value) in changes.as_object().unwrap() {
        user[name] = value.clone();
    }
    user
}

/// A GET of the reference user answered with `body`.
async fn get_answered(body: &Value) -> Result<User, Error> {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(USER_PATH))
        .respond_with(ResponseTemplate::new(200).set_body_json(body))
        .mount(&server)
        .await;
    bearer(&server).get_user(ENV, USER).await
}

/// A list of every user answered with the one page `page`.
async fn list_answered(page: &Value) -> Result<Vec<User>, Error> {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(USERS_PATH))
        .respond_with(ResponseTemplate::new(200).set_body_json(page))
        .mount(&server)
        .await;
    bearer(&server)
        .list_users(ENV, &UserQuery::all())
        .try_collect()
        .await
}

/// `"_links": null` on a user (a serializer that writes an empty map as `null`): the whole
/// user failed to read (`invalid type: null, expected a HAL _links object`), and with it the
/// whole page of a list that held it, though the users API notes say of `_links` "never fail".
/// It reads as no links now.
#[tokio::test]
async fn a_user_whose_links_are_null_reads_with_no_links() {
    let user = get_answered(&reference_with(json!({"_links": null})))
        .await
        .expect("a user with `_links: null` reads");
    assert!(user.links.is_empty());
    assert_eq!(user.username, "dspanner");
    let listed = list_answered(&json!({
        "_embedded": {"users": [reference_with(json!({"_links": null}))]},
        "count": 1, "size": 1
    }))
    .await
    .expect("a page whose user has `_links: null` reads");
    assert_eq!(listed.len(), 1);
}

/// A users page whose own `_links` is `null`: the whole page failed (`invalid type: null,
/// expected struct Links`); it names no next page, as a page without `_links` does.
#[tokio::test]
async fn a_page_whose_links_are_null_reads_as_the_last_page() {
    let listed = list_answered(&json!({
        "_links": null,
        "_embedded": {"users": [reference()]},
        "count": 1, "size": 1
    }))
    .await
    .expect("a page with `_links: null` reads");
    assert_eq!(listed[0].username, "dspanner");
}

/// A users page whose `count` and `size` are strings that spell numbers (`"1"`), as gateways
/// that re-serialize JSON write numbers and as Terraform's PingOne provider met them: the whole
/// page, users and all, was a decode error (`invalid type: string "1", expected a JSON
/// number`), though the client reads them only to tell an empty page. Now such a string is
/// read as its number (`"0"` says empty as `0` does); a count that spells no number never
/// fails a page that holds users, and never says that a page without them is empty.
#[tokio::test]
async fn a_page_whose_count_and_size_are_strings_is_read() {
    let users = list_answered(&json!({
        "_embedded": {"users": [reference()]}, "count": "1", "size": "1"
    }))
    .await
    .expect("a page with string tallies reads");
    assert_eq!(users.len(), 1);
    let users = list_answered(&json!({
        "_embedded": {"users": [reference()]}, "count": "about 1", "size": {"n": 1}
    }))
    .await
    .expect("a page with users and tallies that are no numbers reads");
    assert_eq!(users.len(), 1);
    for empty in [json!({"size": "0"}), json!({"count": "0.0", "size": 0})] {
        let users = list_answered(&empty)
            .await
            .unwrap_or_else(|error| panic!("{empty}: {error}"));
        assert!(users.is_empty(), "{empty}");
    }
    for not_a_page in [
        json!({"count": "none"}),
        json!({"count": " 0"}),
        json!({"size": "0", "count": "-1"}),
        json!({"size": 0, "count": true}),
    ] {
        let Err(error) = list_answered(&not_a_page).await else {
            panic!("{not_a_page} read as a page");
        };
        assert!(
            matches!(&error, Error::Decode { status: 200, reason, .. } if reason.contains("not a users page")),
            "{not_a_page}: {error:?}"
        );
    }
}

/// The read-only flags of a user (`enabled`, `emailVerified`, `mfaEnabled`,
/// `account.canAuthenticate`) written as the text `"true"` or `"false"`: the whole user
/// failed (`invalid type: string "true", expected a boolean`), and so did a list or a lookup
/// that met it, though no patch ever sends these flags. They read as the booleans they spell;
/// any other text or a number (whose meaning would be a guess) is still refused.
#[tokio::test]
async fn read_only_flags_written_as_text_are_read() {
    let user = get_answered(&reference_with(json!({
        "enabled": "true",
        "emailVerified": "false",
        "mfaEnabled": "true",
        "account": {"canAuthenticate": "false", "status": "LOCKED"}
    })))
    .await
    .expect("flags written as text read");
    assert_eq!(user.enabled, Some(true));
    assert_eq!(user.email_verified, Some(false));
    assert_eq!(user.mfa_enabled, Some(true));
    assert_eq!(user.account.unwrap().can_authenticate, Some(false));
    let user = get_answered(&reference_with(
        json!({"enabled": null, "mfaEnabled": false}),
    ))
    .await
    .unwrap();
    assert_eq!((user.enabled, user.mfa_enabled), (None, Some(false)));
    for odd in [
        json!({"enabled": "yes"}),
        json!({"enabled": "True"}),
        json!({"emailVerified": 1}),
        json!({"account": {"canAuthenticate": "1"}}),
    ] {
        let error = get_answered(&reference_with(odd.clone()))
            .await
            .unwrap_err();
        assert!(
            matches!(&error, Error::Decode { status: 200, reason, .. }
                if reason.contains(r#"expected a boolean, or the text "true" or "false""#)),
            "{odd}: {error:?}"
        );
    }
}

/// A lookup by username meets the newer shapes above on the user it finds, and finds it.
#[tokio::test]
async fn a_lookup_finds_a_user_of_a_newer_shape() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(USERS_PATH))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "_links": null,
            "_embedded": {"users": [reference_with(json!({"_links": null, "enabled": "true"}))]},
            "count": "1", "size": "1"
        })))
        .mount(&server)
        .await;
    let found = bearer(&server)
        .find_user_by_username(ENV, "dspanner")
        .await
        .unwrap()
        .expect("found");
    assert_eq!(found.enabled, Some(true));
}
