//! Cases from real PingOne clients and PingOne's own pages, tried on the client, the `User`
//! model and the emulator (review 120): the answers, error bodies, headers, pages and token
//! answers that `patrickcping/pingone-go-sdk-v2` (its generated `User` and `P1Error`
//! models, `management/client_ext.go`'s retries), `pingidentity/terraform-provider-pingone`
//! (its `pingone_user` resource, `internal/sdk/retry.go`) and PingOne's "Retries" and "API
//! responses" pages were written for. Each test names its source.

#[path = "support/emulator_client.rs"]
mod emulator_client;
use emulator_client::emulator_bearer_builder;

use std::time::Duration;

use futures_util::TryStreamExt;
use serde_json::{Value, json};
use sparse_patch::pingone::emulator::Emulator;
use sparse_patch::pingone::{Client, ClientAuthMethod, Error, RetryPolicy, TokenSource, UserQuery};
use wiremock::matchers::{method, method as method_is, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[path = "support/mock_pingone.rs"]
mod mock_pingone;
use mock_pingone::{ENV, TOKEN_PATH, USER, USER_PATH, USERS_PATH, bearer, worker};

/// The real 200 answer of the PATCH documentation page.
fn reference() -> Value {
    serde_json::from_str(include_str!("data/reference_response.json")).unwrap()
}

/// A server whose GET of the reference user answers `template`.
async fn answering_get(template: ResponseTemplate) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(USER_PATH))
        .respond_with(template)
        .mount(&server)
        .await;
    server
}

/// A client of `server` (bearer token) that tries `attempts` times with waits of at most
/// 50 ms and no jitter.
fn retrying(server: &MockServer, attempts: u32) -> Client {
    Client::builder()
        .api_base_url(format!("{}/v1", server.uri()))
        .token(TokenSource::bearer("token"))
        .retry_policy(
            RetryPolicy::default()
                .max_attempts(attempts)
                .initial_backoff(Duration::from_millis(1))
                .max_backoff(Duration::from_millis(5))
                .max_retry_after(Duration::from_secs(2))
                .jitter(false),
        )
        .build()
        .unwrap()
}

// ---------------------------------------------------------------------------------------
// Token answers
// ---------------------------------------------------------------------------------------

/// `token_type` in any case: RFC 6749 §5.1 says it is case-insensitive, and Go's
/// `golang.org/x/oauth2` (which the Go SDK's `pingone/client.go` gets its worker token
/// through) sends `Bearer` for `bearer` and `BEARER` alike. Extra members (`scope`,
/// `id_token`) are ignored.
#[tokio::test]
async fn a_token_type_in_any_case_and_extra_members_are_taken() {
    for token_type in ["bearer", "BEARER", "Bearer", "bEaReR"] {
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .and(path(TOKEN_PATH))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({
                "access_token": "worker-token", "token_type": token_type, "expires_in": 3600,
                "scope": "p1:read:user p1:update:user", "id_token": "x.y.z", "extra": {"a": [1]}
            })))
            .mount(&server)
            .await;
        Mock::given(method("GET"))
            .and(path(USER_PATH))
            .and(wiremock::matchers::header(
                "authorization",
                "Bearer worker-token",
            ))
            .respond_with(ResponseTemplate::new(200).set_body_json(reference()))
            .mount(&server)
            .await;
        let user = worker(&server).get_user(ENV, USER).await;
        assert!(user.is_ok(), "{token_type}: {user:?}");
    }
}

// ---------------------------------------------------------------------------------------
// User answers
// ---------------------------------------------------------------------------------------

/// A user as the Terraform provider's `pingone_user` resource reads it back after an import
/// (`internal/service/sso/resource_user.go`): a locked account with `lockedAt`,
/// `secondsUntilUnlock` and `unlockAt`, a population with a name, `identityProvider` with an
/// `id`, `lifecycle.suppressVerificationCode`, `name.formatted`, honorifics, times with and
/// without fractions, multi-valued and JSON custom attributes, an id in upper case.
#[tokio::test]
async fn a_locked_imported_user_with_every_part_reads_and_writes_back_as_sent() {
    let mut user = reference();
    user["id"] = json!(USER.to_uppercase());
    user["account"] = json!({"canAuthenticate": false, "status": "LOCKED",
        "lockedAt": "2024-03-01T10:00:00Z", "secondsUntilUnlock": 899,
        "unlockAt": "2024-03-01T10:15:00.5Z"});
    user["population"] =
        json!({"id": "65393df2-a368-428d-bc6e-f1c864dd3a40", "name": "Contractors"});
    user["identityProvider"] =
        json!({"id": "2f1e3b4c-0000-4000-8000-000000000001", "type": "OPENID_CONNECT"});
    user["lifecycle"] =
        json!({"status": "VERIFICATION_REQUIRED", "suppressVerificationCode": true});
    user["name"] = json!({"formatted": "Dr. Ada K. Lovelace III", "given": "Ada", "middle": "K.",
        "family": "Lovelace", "honorificPrefix": "Dr.", "honorificSuffix": "III"});
    user["createdAt"] = json!("2024-03-01T09:00:00Z");
    user["updatedAt"] = json!("2024-03-01T09:00:00.123Z");
    user["lastSignOn"] = json!({"at": "2024-03-01T09:59:59.999999Z", "remoteIp": "2001:db8::1"});
    user["memberOfGroupIDs"] = json!(["7a1b4c1e-0000-4000-8000-000000000001"]);
    user["memberOfGroupNames"] = json!(["Admins"]);
    user["costCenters"] = json!(["CC-1", "CC-2"]);
    user["preferences"] = json!({"theme": {"dark": true}, "pins": [1, 2.5, null]});
    user["verifyStatus"] = json!("DISABLED");
    let server = answering_get(ResponseTemplate::new(200).set_body_json(&user)).await;
    let read = bearer(&server)
        .get_user(ENV, USER)
        .await
        .expect("the user reads");
    assert_eq!(
        read.account.as_ref().unwrap().status.as_deref(),
        Some("LOCKED")
    );
    assert_eq!(read.account.as_ref().unwrap().can_authenticate, Some(false));
    assert_eq!(
        read.account.as_ref().unwrap().other["secondsUntilUnlock"],
        899
    );
    assert_eq!(
        read.population.as_ref().unwrap().other["name"],
        "Contractors"
    );
    assert_eq!(
        read.name.as_ref().unwrap().formatted.as_deref(),
        Some("Dr. Ada K. Lovelace III")
    );
    assert_eq!(read.custom["costCenters"], json!(["CC-1", "CC-2"]));
    assert_eq!(serde_json::to_value(&read).unwrap(), user);
}

// ---------------------------------------------------------------------------------------
// Error bodies and headers
// ---------------------------------------------------------------------------------------

/// A 400 `INVALID_DATA` whose details carry `target` and `innerError` facts
/// (`allowedPattern`, `rangeMinimumValue`, `rangeMaximumValue`, `allowedValues`,
/// `referencedValues`: `P1ErrorDetailsInnerInnerError` of the Go SDK's
/// `management/model_p1_error_details_inner_inner_error.go`), with a `Correlation-Id`
/// header: the error keeps every detail, its targets and facts, and the correlation ID.
#[tokio::test]
async fn a_validation_error_keeps_targets_inner_errors_and_the_correlation_id() {
    let body = json!({
        "id": "39a9b1d5-2b43-4bb0-9c6a-0e1a4f6c0a6e",
        "code": "INVALID_DATA",
        "message": "The request could not be completed. One or more validation errors were in the request.",
        "details": [
            {"code": "INVALID_VALUE", "target": "address.countryCode",
             "message": "must match the pattern",
             "innerError": {"allowedPattern": "^[A-Z]{2}$"}},
            {"code": "OUT_OF_RANGE", "target": "username", "message": "size must be between 1 and 128",
             "innerError": {"rangeMinimumValue": 1, "rangeMaximumValue": 128}},
            {"code": "INVALID_VALUE", "target": "identityProvider.type", "message": "not allowed",
             "innerError": {"allowedValues": ["PING_ONE", "SAML"], "referencedValues": []}}
        ]
    });
    let server = answering_get(
        ResponseTemplate::new(400)
            .insert_header("Correlation-Id", "a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d")
            .set_body_json(&body),
    )
    .await;
    let error = bearer(&server).get_user(ENV, USER).await.unwrap_err();
    assert_eq!(error.status(), Some(400));
    assert_eq!(error.code(), Some("INVALID_DATA"));
    assert_eq!(
        error.targets().collect::<Vec<_>>(),
        ["address.countryCode", "username", "identityProvider.type"]
    );
    assert_eq!(
        error.correlation_id(),
        Some("a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d")
    );
    let api = error.api_error().unwrap();
    assert_eq!(
        api.details[0].inner_error.as_ref().unwrap()["allowedPattern"],
        "^[A-Z]{2}$"
    );
    assert_eq!(
        api.details[1].inner_error.as_ref().unwrap()["rangeMaximumValue"].as_u64(),
        Some(128)
    );
    assert!(!error.is_retryable());
    let text = error.to_string();
    assert!(text.contains("address.countryCode"), "{text}");
    assert!(
        text.contains("39a9b1d5-2b43-4bb0-9c6a-0e1a4f6c0a6e"),
        "{text}"
    );
}

/// The Go SDK retries an error whose body says `UNEXPECTED_ERROR` whatever its status
/// (`management/client_ext.go`, `testForRetryable`); a 502 whose body is a proxy's HTML page
/// is retried as PingOne's "Retries" page says; a 429 `REQUEST_LIMITED` with `Retry-After`
/// in seconds, and a 503 with `Retry-After` as an HTTP date, are waited out. One server
/// answers each in turn, then the user.
#[tokio::test]
async fn a_run_of_retryable_answers_from_real_clients_ends_with_the_user() {
    let server = MockServer::start().await;
    let limited = json!({"id": "x", "code": "REQUEST_LIMITED", "message": "Too many requests",
        "details": [{"code": "LIMIT_EXCEEDED", "message": "limit",
                     "innerError": {"quotaLimit": 100, "retryAfter": 1}}]});
    for template in [
        ResponseTemplate::new(502)
            .insert_header("Content-Type", "text/html")
            .set_body_string("<html><body><h1>502 Bad Gateway</h1></body></html>"),
        ResponseTemplate::new(429)
            .insert_header("Retry-After", "0")
            .set_body_json(&limited),
        ResponseTemplate::new(503)
            .insert_header("Date", "Sun, 06 Nov 1994 08:49:37 GMT")
            .insert_header("Retry-After", "Sunday, 06-Nov-94 08:49:38 GMT"),
        ResponseTemplate::new(503)
            .insert_header("Date", "Sun, 06 Nov 1994 08:49:37 GMT")
            .insert_header("Retry-After", "Sun Nov  6 08:49:38 1994"),
        ResponseTemplate::new(500)
            .set_body_json(json!({"id": "y", "code": "UNEXPECTED_ERROR", "message": "oops"})),
    ] {
        Mock::given(method("GET"))
            .and(path(USER_PATH))
            .respond_with(template)
            .up_to_n_times(1)
            .mount(&server)
            .await;
    }
    Mock::given(method("GET"))
        .and(path(USER_PATH))
        .respond_with(ResponseTemplate::new(200).set_body_json(reference()))
        .mount(&server)
        .await;
    let user = retrying(&server, 6).get_user(ENV, USER).await;
    assert!(user.is_ok(), "{user:?}");
}

/// The Go SDK's `model_p1_error.go`: an error body whose `details` are absent, and a 404 as
/// PingOne answers an unknown user (`NOT_FOUND`, "Unable to find user"), is neither retried
/// nor said to be another kind of error.
#[tokio::test]
async fn a_not_found_is_an_api_error_not_retried() {
    let server = answering_get(ResponseTemplate::new(404).set_body_json(json!({
        "id": "c0c0a", "code": "NOT_FOUND",
        "message": "Unable to find user with ID: a38890a6-295a-4d58-9f6e-b72b05fba379"
    })))
    .await;
    let error = retrying(&server, 3).get_user(ENV, USER).await.unwrap_err();
    assert!(matches!(error, Error::Api { .. }), "{error:?}");
    assert_eq!(
        (error.status(), error.code()),
        (Some(404), Some("NOT_FOUND"))
    );
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
}

// ---------------------------------------------------------------------------------------
// Pages
// ---------------------------------------------------------------------------------------

/// An empty list as PingOne answers it: `_embedded.users` an empty array, `count` 0, and no
/// `next` link; and a page without `_embedded` at all (the Go SDK's `EntityArray` has
/// `_embedded` optional: `management/model_entity_array.go`).
#[tokio::test]
async fn empty_pages_of_either_shape_are_no_users() {
    for page in [
        json!({"_links": {"self": {"href": "https://api.pingone.com/v1/x"}}, "_embedded": {"users": []}, "count": 0, "size": 0}),
        json!({"_links": {"self": {"href": "https://api.pingone.com/v1/x"}}, "count": 0, "size": 0}),
        json!({"_embedded": {}, "count": 0, "size": 0}),
    ] {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .and(path(USERS_PATH))
            .respond_with(ResponseTemplate::new(200).set_body_json(&page))
            .mount(&server)
            .await;
        let users: Result<Vec<_>, _> = bearer(&server)
            .list_users(ENV, &UserQuery::all())
            .try_collect()
            .await;
        assert_eq!(users.map(|users| users.len()).ok(), Some(0), "{page}");
    }
}

// ---------------------------------------------------------------------------------------
// Emulator
// ---------------------------------------------------------------------------------------

/// PATCH through the emulator with `body`; the status and the body.
async fn emulator_patch(emulator: &Emulator, body: &Value) -> (u16, Value) {
    let url = format!(
        "{}/environments/{}/users/{}",
        emulator.api_base_url(),
        emulator.environment_id(),
        emulator.user_id()
    );
    let answer = reqwest::Client::new()
        .patch(url)
        .bearer_auth(emulator.token())
        .json(body)
        .send()
        .await
        .unwrap();
    (answer.status().as_u16(), answer.json().await.unwrap())
}

/// A custom attribute of JSON type is merged by RFC 7396 ("Update User (PATCH)": "Custom
/// JSON attributes are merged"), as the Terraform provider's issue #250 wants them set:
/// a member set to `null` inside it is removed, the others kept, an array replaced.
#[tokio::test]
async fn the_emulator_merges_a_json_custom_attribute() {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let emulator = Emulator::start().unwrap();
    let (status, _) = emulator_patch(
        &emulator,
        &json!({"preferences": {"theme": {"dark": true, "size": 3}, "pins": [1, 2], "lang": "en"}}),
    )
    .await;
    assert_eq!(status, 200);
    let (status, user) = emulator_patch(
        &emulator,
        &json!({"preferences": {"theme": {"size": null}, "pins": [3], "lang": null}}),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(
        user["preferences"],
        json!({"theme": {"dark": true}, "pins": [3]})
    );
}

/// The emulator's validation answer has PingOne's shape: `INVALID_DATA`, one detail a
/// target, the pattern in `innerError.allowedPattern` and lengths in
/// `rangeMinimumValue`/`rangeMaximumValue` (the Go SDK's `P1ErrorDetailsInnerInnerError`),
/// and a `Correlation-Id`.
#[tokio::test]
async fn the_emulator_validation_errors_have_pingones_shape() {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let emulator = Emulator::start().unwrap();
    let (status, body) = emulator_patch(
        &emulator,
        &json!({"address": {"countryCode": "usa"}, "nickname": "x".repeat(257)}),
    )
    .await;
    assert_eq!(status, 400);
    assert_eq!(body["code"], "INVALID_DATA");
    let details = body["details"].as_array().unwrap();
    let country = details
        .iter()
        .find(|detail| detail["target"] == "address.countryCode")
        .expect("a detail on address.countryCode");
    assert!(
        country["innerError"]["allowedPattern"].is_string(),
        "{country}"
    );
    let nickname = details
        .iter()
        .find(|detail| detail["target"] == "nickname")
        .expect("a detail on nickname");
    assert_eq!(
        nickname["innerError"]["rangeMaximumValue"].as_u64(),
        Some(256),
        "{nickname}"
    );
}

/// A PingOne worker application takes the one token endpoint authentication method its
/// `tokenEndpointAuthMethod` names, and answers the other with 401 `invalid_client`,
/// "Unsupported authentication method". The Go SDK gets its token through Go's
/// `golang.org/x/oauth2` with `AuthStyleAutoDetect` (`pingone/client.go` of
/// `patrickcping/pingone-go-sdk-v2`), which tries the other method after it, and counts that
/// answer among the retryable ones (`testForRetryable`); this client sends the one method
/// [`TokenSource::auth_method`] sets (HTTP Basic by default). Its error said only
/// `invalid_client (Unsupported authentication method)`, with nothing of the setting that
/// fixes it. Now it names it, in either direction.
#[tokio::test]
async fn an_unsupported_authentication_method_names_the_setting_that_fixes_it() {
    for method in [ClientAuthMethod::Basic, ClientAuthMethod::Post] {
        let server = MockServer::start().await;
        Mock::given(method_is("POST"))
            .and(path(TOKEN_PATH))
            .respond_with(ResponseTemplate::new(401).set_body_json(json!({
                "error": "invalid_client",
                "error_description": "Request denied: Unsupported authentication method (Correlation ID: 5d1b9a62-0c1e-4d36-9a4e-2f2b6c1e7a10)"
            })))
            .mount(&server)
            .await;
        let client = Client::builder()
            .api_base_url(format!("{}/v1", server.uri()))
            .auth_base_url(server.uri())
            .token(TokenSource::client_credentials(ENV, "worker", "s3cret").auth_method(method))
            .retry_policy(RetryPolicy::never())
            .build()
            .unwrap();
        let error = client.get_user(ENV, USER).await.unwrap_err();
        let Error::Token { status, code, .. } = &error else {
            panic!("{error:?}");
        };
        assert_eq!((*status, code.as_str()), (401, "invalid_client"));
        assert!(!error.is_retryable(), "{error:?}");
        let text = error.to_string();
        assert!(text.contains("Unsupported authentication method"), "{text}");
        assert!(text.contains("tokenEndpointAuthMethod"), "{text}");
        assert!(text.contains("TokenSource::auth_method"), "{text}");
        assert!(text.contains("ClientAuthMethod::Post"), "{text}");
        assert!(text.contains("ClientAuthMethod::Basic"), "{text}");
    }
    // A wrong secret is not said to be a wrong method.
    let server = MockServer::start().await;
    Mock::given(method_is("POST"))
        .and(path(TOKEN_PATH))
        .respond_with(ResponseTemplate::new(401).set_body_json(json!({
            "error": "invalid_client", "error_description": "Client authentication failed."
        })))
        .mount(&server)
        .await;
    let error = worker(&server).get_user(ENV, USER).await.unwrap_err();
    assert!(!error.to_string().contains("auth_method"), "{error}");
}

/// The hint that names `TokenSource::auth_method` follows PingOne's `invalid_client` answer
/// whose description names the authentication method in any case ("Unsupported
/// Authentication Method"), and no other error code whose description happens to name one
/// (a 400 `invalid_request`: the request, not the method, is what PingOne refused).
#[tokio::test]
async fn the_authentication_method_hint_follows_invalid_client_alone() {
    for (status, code, description, hinted) in [
        (
            401,
            "invalid_client",
            "Unsupported Authentication Method",
            true,
        ),
        (
            401,
            "invalid_client",
            "UNSUPPORTED AUTHENTICATION METHOD",
            true,
        ),
        (
            400,
            "invalid_request",
            "Unsupported authentication method",
            false,
        ),
        (
            401,
            "unauthorized_client",
            "Unsupported authentication method",
            false,
        ),
    ] {
        let server = MockServer::start().await;
        Mock::given(method_is("POST"))
            .and(path(TOKEN_PATH))
            .respond_with(ResponseTemplate::new(status).set_body_json(json!({
                "error": code, "error_description": description
            })))
            .mount(&server)
            .await;
        let client = Client::builder()
            .api_base_url(format!("{}/v1", server.uri()))
            .auth_base_url(server.uri())
            .token(TokenSource::client_credentials(ENV, "worker", "s3cret"))
            .retry_policy(RetryPolicy::never())
            .build()
            .unwrap();
        let error = client.get_user(ENV, USER).await.unwrap_err();
        assert!(matches!(error, Error::Token { .. }), "{error:?}");
        let text = error.to_string();
        assert_eq!(
            text.contains("TokenSource::auth_method"),
            hinted,
            "{status} {code} {description}: {text}"
        );
    }
}

/// A sync line as an HR feed of the Terraform provider's issue #250 ("custom attributes,
/// both declared and JSON") writes it, keyed by an ID in upper case: a member of a JSON
/// custom attribute cleared with `null` (RFC 7396), a multi-valued custom attribute replaced
/// whole; run again, it is unchanged. Lines that set what the Terraform provider sets with
/// calls of their own (`population`, `enabled`, `account`: `internal/service/sso/resource_user.go`
/// calls `UpdateUserEnabled` and the account lock API) are invalid, nothing sent.
#[tokio::test]
async fn a_sync_line_with_json_and_multi_valued_custom_attributes_converges() {
    use futures_util::StreamExt;
    use sparse_patch::pingone::sync::{Status, SyncJob};
    let _ = rustls::crypto::ring::default_provider().install_default();
    let emulator = Emulator::start().unwrap();
    let id = emulator.user_id().to_owned();
    let (status, _) = emulator_patch(
        &emulator,
        &json!({"preferences": {"theme": {"dark": true, "size": 3}, "pins": [1, 2]}, "costCenters": ["A"]}),
    )
    .await;
    assert_eq!(status, 200);
    let client = emulator_bearer_builder(&emulator).build().unwrap();
    let feed = vec![
        json!({"id": id.to_uppercase(), "preferences": {"theme": {"size": null}}, "costCenters": ["A", "B"]})
            .to_string(),
        json!({"username": "dspanner", "population": {"id": "65393df2-a368-428d-bc6e-f1c864dd3a40"}})
            .to_string(),
        json!({"username": "dspanner", "enabled": false}).to_string(),
        json!({"username": "dspanner", "account": {"status": "LOCKED"}}).to_string(),
    ];
    for first_status in [Status::Changed, Status::Unchanged] {
        let job = SyncJob::new(&client, emulator.environment_id())
            .concurrency(1)
            .unwrap();
        let mut outcomes: Vec<_> = job.run(feed.clone().into_iter().map(Ok)).collect().await;
        outcomes.sort_by_key(|outcome| outcome.line);
        assert_eq!(outcomes[0].status, first_status, "{outcomes:#?}");
        for (outcome, attribute) in outcomes[1..]
            .iter()
            .zip(["population", "enabled", "account"])
        {
            assert_eq!(outcome.status, Status::Invalid, "{outcome:#?}");
            let message = &outcome.error.as_ref().unwrap().message;
            assert!(message.contains(attribute), "{message}");
        }
    }
    let user = emulator.user(&id).unwrap();
    assert_eq!(
        user["preferences"],
        json!({"theme": {"dark": true}, "pins": [1, 2]})
    );
    assert_eq!(user["costCenters"], json!(["A", "B"]));
}

/// A user, an updated user and a page of users typed `application/hal+json;charset=UTF-8`,
/// HAL's own media type (PingOne's answers are HAL documents, `_links` and `_embedded`), as a
/// gateway in front of PingOne may label them: read as JSON. (The Go SDK's generated client
/// decodes only types its `jsonCheck` matches, `application/json` and `application/vnd.*+json`:
/// `management/client.go`; this client reads the body whatever its JSON type.)
#[tokio::test]
async fn answers_typed_hal_json_are_read() {
    let hal = |body: &Value| {
        ResponseTemplate::new(200).set_body_raw(
            serde_json::to_vec(body).unwrap(),
            "application/hal+json;charset=UTF-8",
        )
    };
    let server = MockServer::start().await;
    for verb in ["GET", "PATCH"] {
        Mock::given(method(verb))
            .and(path(USER_PATH))
            .respond_with(hal(&reference()))
            .mount(&server)
            .await;
    }
    Mock::given(method("GET"))
        .and(path(USERS_PATH))
        .respond_with(hal(
            &json!({"_embedded": {"users": [reference()]}, "count": 1, "size": 1}),
        ))
        .mount(&server)
        .await;
    let client = bearer(&server);
    client.get_user(ENV, USER).await.unwrap();
    client
        .update_user(
            ENV,
            USER,
            &sparse_patch::pingone::UserPatch::new().title("CTO"),
        )
        .await
        .unwrap();
    let users: Vec<_> = client
        .list_users(ENV, &UserQuery::all())
        .try_collect()
        .await
        .unwrap();
    assert_eq!(users.len(), 1);
}

/// A worker token whose `expires_in` is shorter than the client's refresh margin (0 or 1 s,
/// as a gateway that counts down a cached token's lifetime answers it; Go's `oauth2` treats
/// such a token as expiring at once and fetches again): every call still gets a usable token,
/// and a token of 0 s is fetched again for each call rather than used past its end.
#[tokio::test]
async fn a_worker_token_shorter_than_the_refresh_margin_is_still_used() {
    for (expires_in, fetches) in [(0, 3), (1, 1)] {
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .and(path(TOKEN_PATH))
            .respond_with(mock_pingone::token_answer(expires_in))
            .mount(&server)
            .await;
        Mock::given(method("GET"))
            .and(path(USER_PATH))
            .respond_with(ResponseTemplate::new(200).set_body_json(reference()))
            .mount(&server)
            .await;
        let client = worker(&server);
        for _ in 0..3 {
            client.get_user(ENV, USER).await.unwrap();
        }
        assert_eq!(
            mock_pingone::posts_received(&server).await,
            fetches,
            "expires_in {expires_in}"
        );
    }
}

/// The emulator's worker held to one token endpoint authentication method, as PingOne holds
/// an application to its `tokenEndpointAuthMethod`: the other method gets PingOne's 401
/// `invalid_client`, "Unsupported authentication method" (with a `WWW-Authenticate`
/// challenge to a client that used the `Authorization` header), whatever the credentials; the
/// client's error names the setting, and with it set the call goes through. Before, the
/// emulator took either method, so a client set to the wrong one passed against it and
/// failed against PingOne (the case the Go SDK's `pingone/client.go` retries with the other
/// method, through `golang.org/x/oauth2`'s `AuthStyleAutoDetect`).
#[tokio::test]
async fn the_emulator_holds_a_worker_to_its_token_endpoint_authentication_method() {
    let _ = rustls::crypto::ring::default_provider().install_default();
    for (held, other) in [
        (ClientAuthMethod::Post, ClientAuthMethod::Basic),
        (ClientAuthMethod::Basic, ClientAuthMethod::Post),
    ] {
        let emulator = Emulator::builder()
            .worker_auth_method(held)
            .start()
            .unwrap();
        let client = |method: ClientAuthMethod| {
            Client::builder()
                .api_base_url(emulator.api_base_url())
                .auth_base_url(emulator.auth_base_url())
                .token(
                    TokenSource::client_credentials(
                        emulator.environment_id(),
                        emulator.client_id(),
                        emulator.client_secret(),
                    )
                    .auth_method(method),
                )
                .retry_policy(RetryPolicy::never())
                .build()
                .unwrap()
        };
        let error = client(other)
            .get_user(emulator.environment_id(), emulator.user_id())
            .await
            .unwrap_err();
        let Error::Token {
            status,
            code,
            description,
            ..
        } = &error
        else {
            panic!("{held:?}: {error:?}");
        };
        assert_eq!((*status, code.as_str()), (401, "invalid_client"));
        assert_eq!(
            description.as_deref(),
            Some("Unsupported authentication method")
        );
        assert!(
            error.to_string().contains("TokenSource::auth_method"),
            "{error}"
        );
        client(held)
            .get_user(emulator.environment_id(), emulator.user_id())
            .await
            .unwrap();
    }
    // The challenge, to a client that used the `Authorization` header; a wrong secret sent
    // the held way is still "Client authentication failed.".
    let emulator = Emulator::builder()
        .worker_auth_method(ClientAuthMethod::Post)
        .start()
        .unwrap();
    let token_url = format!(
        "{}/{}/as/token",
        emulator.auth_base_url(),
        emulator.environment_id()
    );
    let answer = reqwest::Client::new()
        .post(&token_url)
        .basic_auth(emulator.client_id(), Some(emulator.client_secret()))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body("grant_type=client_credentials")
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), 401);
    assert_eq!(
        answer.headers()["www-authenticate"],
        "Basic realm=\"PingOne\""
    );
    let answer = reqwest::Client::new()
        .post(&token_url)
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body(format!(
            "grant_type=client_credentials&client_id={}&client_secret=wrong",
            emulator.client_id()
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), 401);
    let body: Value = answer.json().await.unwrap();
    assert_eq!(body["error_description"], "Client authentication failed.");
}

/// A user that holds values PingOne's rules refuse today (the patterns and lengths that the
/// Terraform provider's `pingone_user` checks before it sends: `name.family` against
/// `^[\p{L}\p{M}\p{N}' .-]*$`, a phone with one digit at least, `countryCode` two letters,
/// lengths of 256: `internal/service/sso/resource_user.go`), as users imported before the
/// rules, or through another path, may hold: a sync line that changes another attribute
/// (or another member of the same object) is planned and checked on what it sends, not
/// refused for the values it leaves alone; a patch of `diff` passes pre-flight too.
#[tokio::test]
async fn values_a_line_leaves_alone_do_not_fail_it_for_todays_rules() {
    use futures_util::StreamExt;
    use sparse_patch::Patchable;
    use sparse_patch::pingone::sync::{Status, SyncJob};
    let legacy = json!({"id": USER, "username": "legacy", "email": "legacy@example",
        "address": {"countryCode": "usa", "locality": "Springfield"}, "nickname": "n".repeat(300),
        "mobilePhone": "none", "name": {"family": "O'Brien, Jr.", "given": "Pat"},
        "locale": "english", "timezone": "Mars/Olympus"});
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(USERS_PATH))
        .respond_with(ResponseTemplate::new(200).set_body_json(
            json!({"_embedded": {"users": [legacy.clone()]}, "count": 1, "size": 1}),
        ))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(USER_PATH))
        .respond_with(ResponseTemplate::new(200).set_body_json(&legacy))
        .mount(&server)
        .await;
    let client = bearer(&server);
    let feed = [
        json!({"username": "legacy", "title": "Lead"}),
        json!({"username": "legacy", "address": {"locality": "Denver"}}),
        json!({"id": USER, "name": {"given": "Sam"}}),
    ];
    for line in feed {
        let job = SyncJob::new(&client, ENV)
            .dry_run(true)
            .concurrency(1)
            .unwrap();
        let outcomes: Vec<_> = job.run([Ok(line.to_string())].into_iter()).collect().await;
        assert_eq!(
            outcomes[0].status,
            Status::WouldChange,
            "{line}: {outcomes:#?}"
        );
    }
    let user = client.get_user(ENV, USER).await.unwrap();
    let mut desired = user.clone();
    desired.title = Some("Lead".into());
    assert_eq!(
        sparse_patch::pingone::check_patch(&user.diff(&desired)).map_err(|e| e.to_string()),
        Ok(())
    );
}
