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
use serde::Deserialize;
use serde_json::{Value, json};
use sparse_patch::pingone::{Error, User, UserQuery};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[path = "support/mock_pingone.rs"]
mod mock_pingone;
use mock_pingone::{ENV, TOKEN_PATH, USER, USER_PATH, USERS_PATH, bearer, worker};

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

/// A user whose answer has members this model has never seen, at every depth, and values of
/// its enumerations that PingOne does not send today: it reads whole (nothing fails for one
/// unknown member or value), each new member is kept where it came, and the user written back
/// is the answer as it came. Times with 0, 3, 6 or 9 fraction digits, `Z` or `+00:00`, are
/// kept as the text sent (the client reads no time of a user: nothing is rounded or reformatted).
#[tokio::test]
async fn a_user_with_new_members_and_values_everywhere_reads_whole_and_writes_back_as_sent() {
    let newer = reference_with(json!({
        "_links": {
            "self": {"href": "https://api.pingone.com/v1/x", "title": "me", "type": "application/hal+json"},
            "passkeys": {"href": "https://api.pingone.com/v1/y", "templated": true},
            "alternates": [{"href": "https://a"}, {"href": "https://b"}]
        },
        "_embedded": {"password": {"status": "NO_PASSWORD", "lastChangedAt": "2026-01-01T00:00:00Z"}},
        "account": {"canAuthenticate": true, "status": "SUSPENDED", "suspendedAt": "2026-01-01T00:00:00.000000Z", "reason": {"code": "FRAUD"}},
        "lifecycle": {"status": "PENDING_DELETION", "deleteAt": "2026-02-01T00:00:00+00:00"},
        "identityProvider": {"type": "PASSKEY_BROKER", "name": "broker"},
        "verifyStatus": "PENDING_REVIEW",
        "population": {"id": "65393df2-a368-428d-bc6e-f1c864dd3a40", "name": "Default", "default": true},
        "environment": {"id": ENV, "region": "EU"},
        "name": {"given": "David", "family": "Spanner", "pronouns": "he/him", "phonetic": {"given": "DAY-vid"}},
        "address": {"locality": "Denver", "geo": {"lat": 39.7, "lon": -104.9}},
        "photo": {"href": "https://example.com/p.png", "width": 200},
        "lastSignOn": {"at": "2026-12-05T10:00:00.123456789Z", "remoteIp": "192.0.2.1", "userAgent": "x", "method": "PASSKEY"},
        "createdAt": "2023-01-04T22:54:23Z",
        "updatedAt": "2023-01-04T22:54:25.135000+00:00",
        "passkeyCount": 2,
        "riskScore": {"level": "LOW", "value": 0.12}
    }));
    let user = get_answered(&newer).await.expect("the newer user reads");
    assert_eq!(
        user.account.as_ref().unwrap().status.as_deref(),
        Some("SUSPENDED")
    );
    assert_eq!(
        user.lifecycle.as_ref().unwrap().status.as_deref(),
        Some("PENDING_DELETION")
    );
    assert_eq!(user.verify_status.as_deref(), Some("PENDING_REVIEW"));
    assert_eq!(
        user.identity_provider.as_ref().unwrap().r#type.as_deref(),
        Some("PASSKEY_BROKER")
    );
    assert_eq!(user.name.as_ref().unwrap().other["pronouns"], "he/him");
    assert_eq!(
        user.custom["_embedded"]["password"]["status"],
        "NO_PASSWORD"
    );
    assert_eq!(user.custom["riskScore"]["level"], "LOW");
    assert_eq!(
        user.last_sign_on.as_ref().unwrap().at.as_deref(),
        Some("2026-12-05T10:00:00.123456789Z")
    );
    assert_eq!(user.created_at.as_deref(), Some("2023-01-04T22:54:23Z"));
    assert_eq!(
        user.updated_at.as_deref(),
        Some("2023-01-04T22:54:25.135000+00:00")
    );
    // The one relation that is no single link (an array, which HAL allows) is left out, as
    // the model documents; everything else is written back as it came.
    let mut expected = newer.clone();
    expected["_links"]
        .as_object_mut()
        .unwrap()
        .remove("alternates");
    assert_eq!(serde_json::to_value(&user).unwrap(), expected);
}

/// The same newer user read as a model of the caller's own (`get_user_as`), one that knows a
/// few attributes, and as a `serde_json::Value`: the client adds no requirement of its own
/// beyond the document's `id`, and both read (the `Value` whole, arrays of links included).
#[tokio::test]
async fn a_newer_user_reads_as_the_callers_own_model_and_as_a_value() {
    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    struct MyUser {
        username: String,
        enabled: Option<bool>,
        lifecycle: Option<Value>,
    }
    let newer = reference_with(json!({
        "lifecycle": {"status": "PENDING_DELETION"},
        "_links": null,
        "newMember": [1, 2, 3]
    }));
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(USER_PATH))
        .respond_with(ResponseTemplate::new(200).set_body_json(&newer))
        .mount(&server)
        .await;
    let client = bearer(&server);
    let mine: MyUser = client.get_user_as(ENV, USER).await.unwrap();
    assert_eq!(mine.username, "dspanner");
    assert_eq!(mine.enabled, Some(true));
    assert_eq!(mine.lifecycle.unwrap()["status"], "PENDING_DELETION");
    let value: Value = client.get_user_as(ENV, USER).await.unwrap();
    assert_eq!(value, newer);
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

/// Error answers of shapes not seen before. A new `code`, new detail codes, a detail
/// `target` that names an attribute the model does not know, new members in the body, a
/// detail and its `innerError`: an [`Error::Api`] that keeps them all, and whose `target` is
/// the detail's. A `message` without a `code`: an `Api` error too (`UNKNOWN` in its text).
/// A gateway's HTML page: a `Decode` error with its status, the page's start, and retried
/// when the status is (502), not when it is not (403). An RFC 9457 problem document: not a
/// PingOne error body, a `Decode` error that quotes it.
#[tokio::test]
async fn error_answers_of_new_shapes_keep_what_they_say() {
    async fn error_of(status: u16, content_type: &str, body: &str) -> Error {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .and(path(USER_PATH))
            .respond_with(ResponseTemplate::new(status).set_body_raw(body, content_type))
            .mount(&server)
            .await;
        bearer(&server).get_user(ENV, USER).await.unwrap_err()
    }
    let error = error_of(
        400,
        "application/json",
        r#"{"id": "e1", "code": "POLICY_VIOLATION", "message": "m", "traceId": "t",
            "details": [{"code": "PRONOUNS_RESTRICTED", "target": "name.pronouns", "message": "d",
                         "innerError": {"allowedValues": ["x"], "newFact": 1}, "severity": "HIGH"}]}"#,
    )
    .await;
    let body = error.api_error().expect("an Api error");
    assert_eq!(body.code.as_deref(), Some("POLICY_VIOLATION"));
    assert_eq!(body.details[0].code.as_deref(), Some("PRONOUNS_RESTRICTED"));
    assert_eq!(body.details[0].inner_error.as_ref().unwrap()["newFact"], 1);
    assert_eq!(error.target(), Some("name.pronouns"));
    assert!(!error.is_retryable());

    let error = error_of(400, "application/json", r#"{"message": "only a message"}"#).await;
    assert!(
        matches!(&error, Error::Api { status: 400, .. }),
        "{error:?}"
    );
    assert!(
        error.to_string().contains("UNKNOWN: only a message"),
        "{error}"
    );

    for (status, retryable) in [(502, true), (403, false)] {
        let error = error_of(
            status,
            "text/html",
            "<html><body>Gateway says no</body></html>",
        )
        .await;
        assert!(
            matches!(&error, Error::Decode { status: s, body_start, .. }
                if *s == status && body_start.contains("Gateway says no")),
            "{status}: {error:?}"
        );
        assert_eq!(error.is_retryable(), retryable, "{status}");
    }

    let error = error_of(
        400,
        "application/problem+json",
        r#"{"type": "about:blank", "title": "Bad Request", "status": 400}"#,
    )
    .await;
    assert!(
        matches!(&error, Error::Decode { status: 400, body_start, .. } if body_start.contains("Bad Request")),
        "{error:?}"
    );
}

/// Token answers with members RFC 6749 allows and PingOne may add (`id_token`, `scope` as
/// text or as a list, `refresh_token: null`, `ext_expires_in`), `token_type` in lower case or
/// `null`: each token is used.
#[tokio::test]
async fn token_answers_with_new_members_are_used() {
    for answer in [
        json!({"access_token": "tok", "token_type": "Bearer", "expires_in": 3600,
               "scope": "p1:read:user p1:update:user", "id_token": "a.b.c"}),
        json!({"access_token": "tok", "token_type": "bearer", "expires_in": "3600", "scope": ["a", "b"]}),
        json!({"access_token": "tok", "token_type": null, "expires_in": 3600.0,
               "refresh_token": null, "ext_expires_in": 7200, "not_before": "0"}),
    ] {
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .and(path(TOKEN_PATH))
            .respond_with(ResponseTemplate::new(200).set_body_json(&answer))
            .mount(&server)
            .await;
        Mock::given(method("GET"))
            .and(path(USER_PATH))
            .respond_with(ResponseTemplate::new(200).set_body_json(reference()))
            .mount(&server)
            .await;
        let user = worker(&server).get_user(ENV, USER).await;
        assert!(user.is_ok(), "{answer}: {user:?}");
    }
}

/// A PATCH answered 204 No Content, or 200 with no body (as a server that answers an update
/// with no document, `Prefer: return=minimal` style, would): the update was applied, but the
/// error said only that the body was empty, where every other 2xx that does not decode says
/// that the request succeeded, and a caller took the applied PATCH for a failed one. Now it
/// says so too; the PATCH is still sent once.
#[tokio::test]
async fn a_patch_answered_without_a_document_is_said_to_have_succeeded() {
    use sparse_patch::pingone::UserPatch;

    for status in [204, 200] {
        let server = MockServer::start().await;
        Mock::given(method("PATCH"))
            .and(path(USER_PATH))
            .respond_with(ResponseTemplate::new(status))
            .mount(&server)
            .await;
        let error = bearer(&server)
            .update_user(ENV, USER, &UserPatch::new().title("Dr"))
            .await
            .unwrap_err();
        assert!(
            matches!(&error, Error::Decode { status: s, reason, .. }
                if *s == status
                    && reason.contains("the body is empty")
                    && reason.contains(&format!("the request succeeded, HTTP {status}"))),
            "{status}: {error:?}"
        );
        assert_eq!(server.received_requests().await.unwrap().len(), 1);
    }
}
