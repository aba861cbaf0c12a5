//! The client and the emulator against what real PingOne clients and PingOne's own pages say
//! of the users API: the Terraform provider (`pingidentity/terraform-provider-pingone`), the
//! Go SDK (`patrickcping/pingone-go-sdk-v2`) and PingOne's "SCIM filter language" and
//! "Paging and ordering collections" pages. Each test cites its source.

use futures_util::TryStreamExt;
use serde_json::{Value, json};
use sparse_patch::pingone::emulator::{Emulator, REFERENCE_ENVIRONMENT_ID};
use sparse_patch::pingone::{Client, UserAttribute, UserFilter, UserQuery};

#[path = "support/emulator_client.rs"]
mod emulator_client;
use emulator_client::{client_of, usernames};

const ENV: &str = REFERENCE_ENVIRONMENT_ID;

/// A user with a UUID made from `n`, and the attributes an HR feed keys on.
fn user(n: usize, external_id: &str, title: &str, postal_code: &str) -> Value {
    json!({
        "id": format!("00000000-0000-4000-8000-{n:012}"),
        "username": format!("user{n}"),
        "email": format!("user{n}@example.com"),
        "externalId": external_id,
        "title": title,
        "nickname": format!("Nick{n}"),
        "name": {"given": "Ada", "middle": format!("M{n}"), "family": "Lovelace"},
        "address": {"postalCode": postal_code, "countryCode": "GB"},
        "locale": "en-GB",
    })
}

/// The emulator's answer to `GET /environments/{ENV}/users?filter=…`: its status and body.
async fn list_filtered(emulator: &Emulator, filter: &str) -> (u16, Value) {
    let list = format!("{}/environments/{ENV}/users", emulator.api_base_url());
    let answer = reqwest::Client::new()
        .get(reqwest::Url::parse_with_params(&list, [("filter", filter)]).unwrap())
        .bearer_auth(emulator.token())
        .send()
        .await
        .unwrap();
    let status = answer.status().as_u16();
    (status, answer.json().await.unwrap())
}

/// The usernames that the client's `list_users` finds with `filter`, in the list's order.
async fn found_by(client: &Client, filter: UserFilter) -> Vec<String> {
    client
        .list_users(ENV, &UserQuery::filtered(filter))
        .map_ok(|user| user.username)
        .try_collect()
        .await
        .unwrap()
}

fn emulator() -> Emulator {
    Emulator::builder()
        .no_users()
        .user(user(1, "HR-0001", "Engineer", "EC1A 1BB"))
        .user(user(2, "HR-0002", "Engineering Manager", "SW1A 1AA"))
        .user(user(3, "HR-0003", "Designer", "EC1A 2BB"))
        .start()
        .unwrap()
}

/// PingOne filters users with `eq` and `sw` on every string attribute of the user, not only
/// `username`, `email`, `name.given`, `name.family`, `mobilePhone` and `population.id`:
/// "SCIM filter language" (<https://docs.pingidentity.com/pingone/directory/p1_scim_filter_language.html>)
/// lists `externalId`, `title`, `nickname`, `name.middle`, `locale`, `address.*`... for both,
/// and the Terraform provider's `pingone_users` data source sends `eq` filters on them
/// (`internal/service/sso/data_source_users.go` of `pingidentity/terraform-provider-pingone`).
/// The emulator answered every such filter 400 `INVALID_PARAMETER` ("cannot be filtered on"),
/// where PingOne answers the users: a test of an HR sync keyed on `externalId` could not run
/// against it. Now each is read and matched, in any case as the others are.
#[tokio::test]
async fn the_emulator_filters_users_on_every_string_attribute_pingone_does() {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let emulator = emulator();
    for (filter, expected) in [
        (r#"externalId eq "hr-0002""#, vec!["user2"]),
        (r#"title sw "Engineer""#, vec!["user1", "user2"]),
        (r#"title eq "engineer""#, vec!["user1"]),
        (r#"nickname eq "Nick3""#, vec!["user3"]),
        (r#"name.middle eq "M1""#, vec!["user1"]),
        (r#"address.postalCode sw "EC1A""#, vec!["user1", "user3"]),
        (
            r#"address.countryCode eq "GB""#,
            vec!["user1", "user2", "user3"],
        ),
        (r#"locale eq "en-gb""#, vec!["user1", "user2", "user3"]),
        (
            r#"(title sw "Eng") and (address.postalCode sw "SW1")"#,
            vec!["user2"],
        ),
        (r#"timezone eq "Europe/London""#, vec![]),
    ] {
        let (status, body) = list_filtered(&emulator, filter).await;
        assert_eq!(status, 200, "{filter}: {body}");
        assert_eq!(usernames(&body), expected, "{filter}");
        assert_eq!(body["count"], expected.len(), "{filter}");
    }
}

/// The same lookups through the client's typed filter: `UserAttribute::ExternalId` and the
/// other attributes PingOne filters on are written as PingOne reads them, and find their users.
#[tokio::test]
async fn the_client_finds_users_by_external_id_and_other_attributes() {
    let emulator = emulator();
    let client = client_of(&emulator);
    let names = |filter: UserFilter| {
        let client = client.clone();
        async move {
            client
                .list_users(ENV, &UserQuery::filtered(filter))
                .map_ok(|user| user.username)
                .try_collect::<Vec<_>>()
                .await
                .unwrap()
        }
    };
    let by_external_id = UserFilter::eq(UserAttribute::ExternalId, "HR-0003");
    assert_eq!(by_external_id.to_string(), r#"externalId eq "HR-0003""#);
    assert_eq!(names(by_external_id).await, ["user3"]);
    let filter = UserFilter::sw(UserAttribute::Title, "Engineer")
        .and(UserFilter::sw(UserAttribute::PostalCode, "SW1A"));
    assert_eq!(
        filter.to_string(),
        r#"(title sw "Engineer") and (address.postalCode sw "SW1A")"#
    );
    assert_eq!(names(filter).await, ["user2"]);
    assert_eq!(
        names(UserFilter::eq(UserAttribute::MiddleName, "m1")).await,
        ["user1"]
    );
    assert_eq!(
        UserQuery::filtered(UserFilter::eq(UserAttribute::CountryCode, "GB")).query_string(),
        "filter=address.countryCode%20eq%20%22GB%22&limit=200"
    );
}

/// PingOne keeps only letters, digits, `.`, `_`, `-`, `/`, `@`, `=`, `#` and `+` in
/// `X-Ping-External-Transaction-ID` and `X-Ping-External-Session-ID`, and converts any other
/// character to `_` (the headers' description in PingOne's OpenAPI description, as
/// `management/docs/UsersApi.md` of `patrickcping/pingone-go-sdk-v2` carries it). The client
/// took any printable ASCII: `run 7` and `row:42` were sent, and PingOne's logs held `run_7`
/// and `row_42`, so the ID the caller logged found nothing there. Now such an ID is
/// `Error::InvalidInput` naming the character, and one of the kept characters goes out as it is.
#[tokio::test]
async fn a_correlation_id_that_pingone_would_rewrite_is_refused() {
    use sparse_patch::pingone::{Correlation, Error};

    for id in [
        "run 7", "row:42", "a,b", "job|7", "(x)", "~tilde", "50%", "q?",
    ] {
        let error = Correlation::new().transaction_id(id).unwrap_err();
        assert!(matches!(error, Error::InvalidInput(_)), "{id:?}: {error:?}");
        assert!(error.to_string().contains("as `_`"), "{error}");
        assert!(Correlation::new().session_id(id).is_err(), "{id:?}");
    }
    let emulator = emulator();
    let kept = "hr/feed@2026.12#7+run=a_b-c";
    let client = client_of(&emulator).with_correlation(
        Correlation::new()
            .transaction_id(kept)
            .unwrap()
            .session_id("Run-7")
            .unwrap(),
    );
    client
        .get_user(ENV, "00000000-0000-4000-8000-000000000001")
        .await
        .unwrap();
    let last = emulator.requests().pop().unwrap();
    assert_eq!(last.transaction_id(), Some(kept));
    assert_eq!(last.session_id(), Some("Run-7"));
}

/// `ew` (ends with) on `email`, `name.family` and `name.given`: PingOne's "SCIM filter
/// language" page lists it for these three (`email ew "@example.com"`: the users of one mail
/// domain). The emulator answered it 400 ("the operator ew is not supported") and the client
/// could not write it. Now both do, in any case as `eq` and `sw` compare; on another attribute
/// the emulator answers 400 `INVALID_PARAMETER` on `filter`, and the client sends nothing.
#[tokio::test]
async fn ends_with_finds_a_mail_domains_users_and_is_refused_elsewhere() {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let emulator = Emulator::builder()
        .no_users()
        .user(
            json!({"id": "00000000-0000-4000-8000-000000000001", "username": "a",
            "email": "a@Example.com", "name": {"given": "Ada", "family": "Lovelace"}}),
        )
        .user(
            json!({"id": "00000000-0000-4000-8000-000000000002", "username": "b",
            "email": "b@other.org", "name": {"given": "Bea", "family": "Trace"}}),
        )
        .start()
        .unwrap();
    let http = reqwest::Client::new();
    let list = format!("{}/environments/{ENV}/users", emulator.api_base_url());
    let get = |filter: &'static str| {
        http.get(reqwest::Url::parse_with_params(&list, [("filter", filter)]).unwrap())
            .bearer_auth(emulator.token())
            .send()
    };
    for (filter, expected) in [
        (r#"email ew "@example.COM""#, vec!["a"]),
        (r#"name.family EW "ace""#, vec!["a", "b"]),
        (r#"name.given ew "EA""#, vec!["b"]),
        (
            r#"(email ew ".org") or (name.given ew "da")"#,
            vec!["a", "b"],
        ),
    ] {
        let answer = get(filter).await.unwrap();
        assert_eq!(answer.status(), 200, "{filter}");
        let body: Value = answer.json().await.unwrap();
        assert_eq!(usernames(&body), expected, "{filter}");
    }
    let answer = get(r#"title ew "x""#).await.unwrap();
    assert_eq!(answer.status(), 400);
    let body: Value = answer.json().await.unwrap();
    assert_eq!(body["details"][0]["code"], "INVALID_PARAMETER", "{body}");
    assert_eq!(body["details"][0]["target"], "filter", "{body}");

    let client = client_of(&emulator);
    let found: Vec<String> = client
        .list_users(
            ENV,
            &UserQuery::filtered(UserFilter::ew(UserAttribute::Email, "@other.org")),
        )
        .map_ok(|user| user.username)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(found, ["b"]);
    let sent = emulator.requests().len();
    let error = client
        .list_users(
            ENV,
            &UserQuery::filtered(UserFilter::ew(UserAttribute::Title, "er")),
        )
        .try_collect::<Vec<_>>()
        .await
        .unwrap_err();
    assert!(
        matches!(&error, sparse_patch::pingone::Error::InvalidInput(text)
            if text.contains("title") && text.contains("nothing was sent")),
        "{error:?}"
    );
    assert_eq!(emulator.requests().len(), sent);
}

/// `verifyStatus` has a call of its own, `PUT /environments/{environmentID}/users/{userID}/verifyStatus`
/// (`UpdateUserVerifyStatus`, `management/api_users.go` of `patrickcping/pingone-go-sdk-v2`;
/// the reference's "own endpoint"), as `enabled` and `mfaEnabled` have. Pre-flight refused it
/// in a patch saying that "PingOne sets it by verification, or on import", which sent the
/// caller looking for a verification flow instead of the call that sets it. Now its message
/// names that call, as theirs do; nothing is sent either way.
#[tokio::test]
async fn a_patch_of_verify_status_is_refused_naming_its_own_call() {
    use sparse_patch::Patchable;
    use sparse_patch::pingone::Error;

    #[derive(Patchable, Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
    #[serde(rename_all = "camelCase")]
    struct GeneratedUser {
        username: String,
        verify_status: Option<String>,
    }

    let emulator = emulator();
    let stored = GeneratedUser {
        username: "user1".into(),
        verify_status: Some("NOT_INITIATED".into()),
    };
    let wanted = GeneratedUser {
        verify_status: Some("ENABLED".into()),
        ..stored.clone()
    };
    let error = client_of(&emulator)
        .update_user(
            ENV,
            "00000000-0000-4000-8000-000000000001",
            &stored.diff(&wanted),
        )
        .await
        .unwrap_err();
    let Error::Preflight { message: text, .. } = &error else {
        panic!("{error:?}");
    };
    assert!(
        text.contains("PUT /environments/{environmentID}/users/{userID}/verifyStatus"),
        "{text}"
    );
    assert!(!text.contains("by verification"), "{text}");
    assert!(emulator.requests().iter().all(|r| r.method != "PATCH"));
}

/// The Terraform provider's `pingone_user` data source finds a user by `user_id` with the
/// filter `id eq "…"` (`internal/service/sso/data_source_user.go` of
/// `pingidentity/terraform-provider-pingone`; its acceptance test `TestAccUserDataSource_ByIDFull`
/// runs against PingOne), and PingOne's "SCIM filter language" page lists `accountId` for
/// `eq` and `sw`. The emulator answered both 400 `INVALID_PARAMETER` ("cannot be filtered
/// on"), and the client's `UserAttribute` could not write them. Now both are read and matched,
/// an ID in any case, as the emulator compares IDs.
#[tokio::test]
async fn the_emulator_and_the_client_filter_users_on_id_and_account_id() {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let mut second = user(2, "HR-0002", "Engineer", "SW1A 1AA");
    second["accountId"] = json!("ACC-77");
    let emulator = Emulator::builder()
        .no_users()
        .user(user(1, "HR-0001", "Engineer", "EC1A 1BB"))
        .user(second)
        .start()
        .unwrap();
    for (filter, expected) in [
        (
            r#"id eq "00000000-0000-4000-8000-000000000002""#,
            vec!["user2"],
        ),
        (
            r#"ID EQ "00000000-0000-4000-8000-000000000001""#,
            vec!["user1"],
        ),
        (r#"id eq "00000000-0000-4000-8000-000000000009""#, vec![]),
        (r#"accountId eq "acc-77""#, vec!["user2"]),
        (r#"accountId sw "ACC""#, vec!["user2"]),
    ] {
        let (status, body) = list_filtered(&emulator, filter).await;
        assert_eq!(status, 200, "{filter}: {body}");
        assert_eq!(usernames(&body), expected, "{filter}");
    }

    let client = client_of(&emulator);
    let by_id = UserFilter::eq(UserAttribute::Id, "00000000-0000-4000-8000-000000000002");
    assert_eq!(
        by_id.to_string(),
        r#"id eq "00000000-0000-4000-8000-000000000002""#
    );
    assert_eq!(found_by(&client, by_id).await, ["user2"]);
    let by_account = UserFilter::eq(UserAttribute::AccountId, "ACC-77");
    assert_eq!(by_account.to_string(), r#"accountId eq "ACC-77""#);
    assert_eq!(
        r#"accountId eq "ACC-77""#.parse::<UserFilter>().unwrap(),
        by_account
    );
}

/// PingOne's "SCIM filter language" page lists `enabled` among the attributes it filters users
/// on, and the Terraform provider's `pingone_users` data source among its filterable ones,
/// whose data filters write it quoted (`enabled eq "true"`: `internal/filter/scimFilter.go` and
/// `internal/service/sso/data_source_users.go` of `pingidentity/terraform-provider-pingone`).
/// The emulator answered any filter on it 400 ("cannot be filtered on"), and the client could
/// not write it: the disabled users of an environment could not be listed. Now
/// `UserFilter::enabled(false)` writes `enabled eq false`, and the emulator reads the literal
/// (in any case) and the quoted form, against the user's boolean.
#[tokio::test]
async fn the_disabled_users_are_listed_with_an_enabled_filter() {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let mut disabled = user(2, "HR-0002", "Engineer", "SW1A 1AA");
    disabled["enabled"] = json!(false);
    let emulator = Emulator::builder()
        .no_users()
        .user(user(1, "HR-0001", "Engineer", "EC1A 1BB"))
        .user(disabled)
        .user(user(3, "HR-0003", "Designer", "EC1A 2BB"))
        .start()
        .unwrap();
    for (filter, expected) in [
        ("enabled eq false", vec!["user2"]),
        ("enabled EQ TRUE", vec!["user1", "user3"]),
        (r#"(enabled eq "true")"#, vec!["user1", "user3"]),
        (
            r#"(enabled eq false) or (title eq "Designer")"#,
            vec!["user2", "user3"],
        ),
    ] {
        let (status, body) = list_filtered(&emulator, filter).await;
        assert_eq!(status, 200, "{filter}: {body}");
        assert_eq!(usernames(&body), expected, "{filter}");
    }
    // Neither a boolean nor a string: refused, as a malformed filter is.
    assert_eq!(list_filtered(&emulator, "enabled eq yes").await.0, 400);

    let client = client_of(&emulator);
    let filter = UserFilter::enabled(false);
    assert_eq!(filter.to_string(), "enabled eq false");
    // Written as the literal in any case, as the reader reads it back.
    let upper = UserFilter::eq(UserAttribute::Enabled, "TRUE");
    assert_eq!(upper.to_string(), "enabled eq true");
    assert_eq!(
        upper.to_string().parse::<UserFilter>().unwrap(),
        UserFilter::enabled(true)
    );
    assert_eq!(found_by(&client, filter).await, ["user2"]);
}

/// "Read All Users" in PingOne's OpenAPI description gives `memberOfGroups[id eq
/// "{{groupID}}"] and name.family eq "demo"` as its example filter (`management/api/openapi.yaml`
/// of `patrickcping/pingone-go-sdk-v2`), and the Terraform provider's `pingone_users` data
/// source writes `memberOfGroups[id eq "…"]` for its `memberOfGroups.id` data filter
/// (`internal/service/sso/data_source_users.go`). The emulator answered it 400 (a malformed
/// filter) and the client could not write it: a group's members could not be listed. Now
/// `UserFilter::member_of_group` writes it, and the emulator reads it (and
/// `memberOfGroups.id eq "…"`) against the user's `memberOfGroupIDs`, in any case.
#[tokio::test]
async fn a_groups_members_are_listed_with_a_member_of_groups_filter() {
    const GROUP: &str = "2f1ac6a5-8a2d-4b0e-9d0e-6a7d1f2b3c4d";
    let _ = rustls::crypto::ring::default_provider().install_default();
    let mut member = user(2, "HR-0002", "Engineer", "SW1A 1AA");
    member["memberOfGroupIDs"] = json!(["11111111-2222-4333-8444-555555555555", GROUP]);
    let mut other = user(3, "HR-0003", "Designer", "EC1A 2BB");
    other["memberOfGroupIDs"] = json!(["11111111-2222-4333-8444-555555555555"]);
    other["name"]["family"] = json!("demo");
    let mut both = user(4, "HR-0004", "Designer", "EC1A 2BB");
    both["memberOfGroupIDs"] = json!([GROUP.to_uppercase()]);
    both["name"]["family"] = json!("demo");
    let emulator = Emulator::builder()
        .no_users()
        .user(user(1, "HR-0001", "Engineer", "EC1A 1BB"))
        .user(member)
        .user(other)
        .user(both)
        .start()
        .unwrap();
    for (filter, expected) in [
        (
            format!(r#"memberOfGroups[id eq "{GROUP}"]"#),
            vec!["user2", "user4"],
        ),
        (
            format!(r#"memberOfGroups[id eq "{GROUP}"] and name.family eq "demo""#),
            vec!["user4"],
        ),
        (
            format!(r#"((memberOfGroups[id eq "{GROUP}"])) AND ((name.family eq "demo"))"#),
            vec!["user4"],
        ),
        (
            format!(r#"memberOfGroups.id eq "{GROUP}""#),
            vec!["user2", "user4"],
        ),
        (
            r#"memberOfGroups[id eq "11111111-2222-4333-8444-555555555555"]"#.to_owned(),
            vec!["user2", "user3"],
        ),
    ] {
        let (status, body) = list_filtered(&emulator, &filter).await;
        assert_eq!(status, 200, "{filter}: {body}");
        assert_eq!(usernames(&body), expected, "{filter}");
    }
    // Another attribute with a value filter, or another member compared: 400.
    for filter in [r#"emails[value eq "x"]"#, r#"memberOfGroups[name eq "x"]"#] {
        assert_eq!(list_filtered(&emulator, filter).await.0, 400, "{filter}");
    }

    let client = client_of(&emulator);
    let filter = UserFilter::member_of_group(GROUP);
    assert_eq!(
        filter.to_string(),
        format!(r#"memberOfGroups[id eq "{GROUP}"]"#)
    );
    assert_eq!(found_by(&client, filter).await, ["user2", "user4"]);
}
