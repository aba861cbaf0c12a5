//! The PingOne client against wiremock and the emulator: the exact request, error mapping,
//! identifier validation, empty patches, secrets and a lossless read-and-write-back.

use std::time::Duration;

use serde_json::{Value, json};
use sparse_patch::pingone::emulator::{Emulator, REFERENCE_ENVIRONMENT_ID, REFERENCE_USER_ID};
use sparse_patch::pingone::{
    Client, ClientBuilder, Error, NamePatch, PhotoPatch, Region, RetryPolicy, TokenSource, User,
    UserPatch,
};
use sparse_patch::{Diff, Field, Patchable};
use wiremock::matchers::{body_json, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[path = "support/emulator_client.rs"]
mod emulator_client;
use emulator_client::emulator_bearer_builder;
#[path = "support/raw_http.rs"]
mod raw_http;

const ENV: &str = REFERENCE_ENVIRONMENT_ID;
const USER: &str = REFERENCE_USER_ID;
const TOKEN: &str = "test-token-0123456789";
const USER_PATH: &str = "/v1/environments/abfba8f6-49eb-49f5-a5d9-80ad5c98f9f6/users/a38890a6-295a-4d58-9f6e-b72b05fba379";

fn reference_response() -> Value {
    let text = include_str!("data/reference_response.json");
    serde_json::from_str(text).unwrap()
}

fn client_for(server: &MockServer) -> Client {
    builder_for(server).build().unwrap()
}

fn builder_for(server: &MockServer) -> ClientBuilder {
    Client::builder()
        .api_base_url(format!("{}/v1", server.uri()))
        .token(TokenSource::bearer(TOKEN))
        .retry_policy(RetryPolicy::never())
        .timeout(Duration::from_secs(5))
}

fn p1_error(code: &str, target: Option<&str>) -> Value {
    let mut body = json!({
        "id": "6c7a4a9f-log-key",
        "code": code,
        "message": format!("{code} happened"),
    });
    if let Some(target) = target {
        body["details"] = json!([{
            "code": "INVALID_VALUE",
            "target": target,
            "message": "bad value",
            "innerError": {"allowedPattern": "[A-Z]{2}"}
        }]);
    }
    body
}

#[tokio::test]
async fn update_user_sends_exactly_the_reference_request() {
    let server = MockServer::start().await;
    let href = "https://uploads.pingone.com/environments/abfba8f6-49eb-49f5-a5d9-80ad5c98f9f6/images/x.png";
    Mock::given(method("PATCH"))
        .and(path(USER_PATH))
        .and(header("authorization", format!("Bearer {TOKEN}").as_str()))
        .and(header("content-type", "application/json"))
        .and(body_json(json!({"photo": {"href": href}})))
        .respond_with(ResponseTemplate::new(200).set_body_json(reference_response()))
        .expect(1)
        .mount(&server)
        .await;
    let client = builder_for(&server)
        .user_agent("tests/1.0")
        .build()
        .unwrap();
    let patch = UserPatch::new().photo(PhotoPatch::new().href(href));
    // No annotation: the model comes from the patch type.
    let user = client.update_user(ENV, USER, &patch).await.unwrap();
    assert_eq!(user.username, "dspanner");
    assert_eq!(user.id.as_deref(), Some(USER));
    assert!(user.links["password.reset"].href.ends_with("/password"));

    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 1);
    let request = &requests[0];
    assert_eq!(request.method.as_str(), "PATCH");
    assert_eq!(request.url.path(), USER_PATH);
    assert_eq!(request.url.query(), None);
    assert_eq!(request.headers["user-agent"], "tests/1.0");
    assert_eq!(request.headers["accept"], "application/json");
    let sent: Value = serde_json::from_slice(&request.body).unwrap();
    assert_eq!(sent, json!({"photo": {"href": href}}));
}

#[tokio::test]
async fn nulls_are_sent_and_absent_fields_are_not() {
    let server = MockServer::start().await;
    Mock::given(method("PATCH"))
        .and(body_json(json!({"nickname": null, "name": {"middle": null, "given": "Dave"}, "favoriteColor": null})))
        .respond_with(ResponseTemplate::new(200).set_body_json(reference_response()))
        .expect(1)
        .mount(&server)
        .await;
    let mut patch = UserPatch::new()
        .clear_nickname()
        .name(NamePatch::new().given("Dave").clear_middle());
    patch.custom.insert("favoriteColor".into(), Field::Null);
    client_for(&server)
        .update_user(ENV, USER, &patch)
        .await
        .unwrap();
}

#[tokio::test]
async fn get_user_sends_a_get_with_the_token_and_no_body() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(USER_PATH))
        .and(header("authorization", format!("Bearer {TOKEN}").as_str()))
        .respond_with(ResponseTemplate::new(200).set_body_json(reference_response()))
        .expect(1)
        .mount(&server)
        .await;
    let user: User = client_for(&server).get_user(ENV, USER).await.unwrap();
    assert_eq!(user.email, "dspanner@example.com");
    let request = &server.received_requests().await.unwrap()[0];
    assert!(request.body.is_empty());
    assert!(request.headers.get("content-type").is_none());
}

#[tokio::test]
async fn an_empty_patch_sends_no_patch_and_returns_the_current_user() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(reference_response()))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("PATCH"))
        .respond_with(ResponseTemplate::new(500))
        .expect(0)
        .mount(&server)
        .await;
    let user = client_for(&server)
        .update_user(ENV, USER, &UserPatch::new())
        .await
        .unwrap();
    assert_eq!(user.username, "dspanner");
}

#[tokio::test]
async fn identifiers_that_are_not_uuids_are_refused_and_nothing_is_sent() {
    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::any())
        .respond_with(ResponseTemplate::new(200).set_body_json(reference_response()))
        .expect(0)
        .mount(&server)
        .await;
    let client = client_for(&server);
    let bad = [
        "",
        "/",
        "..",
        "%2F",
        " ",
        "../a38890a6-295a-4d58-9f6e-b72b05fba379",
        "a38890a6-295a-4d58-9f6e-b72b05fba379/..",
        "a38890a6-295a-4d58-9f6e-b72b05fba379/devices",
        "a38890a6%2F295a-4d58-9f6e-b72b05fba379",
        "a38890a6-295a-4d58-9f6e-b72b05fba37%2F",
        " a38890a6-295a-4d58-9f6e-b72b05fba379",
        "a38890a6-295a-4d58-9f6e-b72b05fba379\n",
        "a38890a6-295a-4d58-9f6e-b72b05fba37 ",
        "a38890a6-295a-4d58-9f6e-b72b05fba379?x=1",
        "a38890a6-295a-4d58-9f6e-b72b05fba3#9",
        "a38890a6_295a_4d58_9f6e_b72b05fba379",
        "g38890a6-295a-4d58-9f6e-b72b05fba379",
    ];
    let patch = UserPatch::new().title("x");
    for id in bad {
        for (env, user) in [(id, USER), (ENV, id)] {
            let error = client.update_user(env, user, &patch).await.unwrap_err();
            assert!(matches!(error, Error::InvalidInput(_)), "{id:?}: {error:?}");
            assert!(error.to_string().contains("not a PingOne ID"), "{error}");
            let error = client.get_user(env, user).await.unwrap_err();
            assert!(matches!(error, Error::InvalidInput(_)), "{id:?}: {error:?}");
            assert!(client.user_url(env, user).is_err());
        }
    }
    assert!(server.received_requests().await.unwrap().is_empty());
}

#[tokio::test]
async fn every_error_status_maps_to_its_variant() {
    let cases: &[(u16, &str, Option<&str>)] = &[
        (400, "INVALID_DATA", Some("address.countryCode")),
        (401, "ACCESS_FAILED", None),
        (403, "ACCESS_FAILED", Some("email")),
        (404, "NOT_FOUND", None),
        (408, "REQUEST_TIMEOUT", None),
        (409, "UNIQUENESS_VIOLATION", Some("username")),
        (415, "INVALID_REQUEST", None),
        (500, "UNEXPECTED_ERROR", None),
        (502, "BAD_GATEWAY", None),
        (503, "SERVICE_UNAVAILABLE", None),
        (504, "GATEWAY_TIMEOUT", None),
    ];
    for &(status, code, target) in cases {
        let server = MockServer::start().await;
        Mock::given(method("PATCH"))
            .respond_with(ResponseTemplate::new(status).set_body_json(p1_error(code, target)))
            .mount(&server)
            .await;
        let error = client_for(&server)
            .update_user(ENV, USER, &UserPatch::new().title("x"))
            .await
            .unwrap_err();
        let Error::Api {
            status: got,
            error: body,
            attempts,
            ..
        } = &error
        else {
            panic!("{status}: {error:?}");
        };
        assert_eq!((*got, *attempts), (status, 1));
        assert_eq!(body.code.as_deref(), Some(code));
        assert_eq!(body.id.as_deref(), Some("6c7a4a9f-log-key"));
        assert_eq!(error.status(), Some(status));
        assert_eq!(error.code(), Some(code));
        assert_eq!(error.target(), target);
        assert_eq!(
            error.is_retryable(),
            [408, 500, 502, 503, 504].contains(&status),
            "{status}"
        );
        if let Some(target) = target {
            let detail = &body.details[0];
            assert_eq!(detail.target.as_deref(), Some(target));
            assert_eq!(
                detail.inner_error.as_ref().unwrap()["allowedPattern"],
                "[A-Z]{2}"
            );
        }
        assert!(error.to_string().contains(&status.to_string()));
    }
}

#[tokio::test]
async fn rate_limiting_maps_to_rate_limited() {
    let server = MockServer::start().await;
    Mock::given(method("PATCH"))
        .respond_with(
            ResponseTemplate::new(429)
                .insert_header("retry-after", "17")
                .set_body_json(p1_error("REQUEST_LIMITED", None)),
        )
        .mount(&server)
        .await;
    let error = client_for(&server)
        .update_user(ENV, USER, &UserPatch::new().title("x"))
        .await
        .unwrap_err();
    assert!(
        matches!(error, Error::RateLimited { attempts: 1, .. }),
        "{error:?}"
    );
    assert_eq!(error.retry_after(), Some(Duration::from_secs(17)));
    assert_eq!(error.status(), Some(429));
    assert_eq!(error.code(), Some("REQUEST_LIMITED"));
    assert!(error.is_retryable());
}

/// A 502 whose body is a load balancer's HTML page read "could not decode the HTTP 502 body
/// (not a PingOne error body)", which sounds like a fault of the client's (review 129's new
/// user). The text says what arrived (the status, the `Content-Type`, the page's title, that
/// it is not PingOne's JSON error body, the start of the page) and where it came from; a 4xx
/// page points at what is between the client and PingOne, or at the base URL.
#[tokio::test]
async fn an_error_page_says_what_arrived_and_where_from() {
    let page = "<html>\n<head><TITLE>502  Bad\nGateway</TITLE></head>\n<body><center><h1>502 \
                Bad Gateway</h1></center><hr><center>awselb/2.0</center></body></html>";
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(USER_PATH))
        .respond_with(ResponseTemplate::new(502).set_body_raw(page, "text/html; charset=utf-8"))
        .mount(&server)
        .await;
    let text = client_for(&server)
        .get_user(ENV, USER)
        .await
        .unwrap_err()
        .to_string();
    assert!(
        text.starts_with(&format!(
            "the HTTP 502 answer's body is not PingOne's JSON error body (an HTML page titled \
             \"502 Bad Gateway\" of {} bytes (Content-Type \"text/html; charset=utf-8\"): the \
             answer of something between the client and PingOne (a proxy, gateway or load \
             balancer) or of the server itself; a 5xx is the server's failure, not the \
             request's (RFC 9110 §15.6)) after 1 attempt(s); it starts with \"<html>",
            page.len()
        )),
        "{text}"
    );
    assert!(!text.contains("could not decode"), "{text}");

    // The Correlation-Id that a gateway in front of PingOne set on its page is kept.
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(503)
                .insert_header("Correlation-Id", "8b0d6f2e-4c1a-4e8e-9d3b-5f0a1c2d3e4f")
                .set_body_raw(
                    "<html><title>Service Unavailable</title></html>",
                    "text/html",
                ),
        )
        .mount(&server)
        .await;
    let text = client_for(&server)
        .get_user(ENV, USER)
        .await
        .unwrap_err()
        .to_string();
    assert!(
        text.contains(
            "(RFC 9110 §15.6); Correlation-Id \"8b0d6f2e-4c1a-4e8e-9d3b-5f0a1c2d3e4f\") after"
        ),
        "{text}"
    );

    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(404).set_body_string("no such route"))
        .mount(&server)
        .await;
    let text = client_for(&server)
        .get_user(ENV, USER)
        .await
        .unwrap_err()
        .to_string();
    assert!(
        text.starts_with(
            "the HTTP 404 answer's body is not PingOne's JSON error body (a body of 13 bytes \
             (Content-Type \"text/plain\"): the answer of something between the client and \
             PingOne (a proxy, gateway or firewall) or of a server that is not PingOne's API \
             (check the API base URL)) after 1 attempt(s); it starts with \"no such route\""
        ),
        "{text}"
    );
}

#[tokio::test]
async fn undecodable_bodies_keep_the_status_and_the_start_of_the_body() {
    let server = MockServer::start().await;
    Mock::given(method("PATCH"))
        .respond_with(
            ResponseTemplate::new(502)
                .set_body_raw("<html><h1>502 Bad Gateway</h1></html>", "text/html"),
        )
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_raw(r#"{"id":"a38890a6","user"#, "application/json"),
        )
        .mount(&server)
        .await;
    let client = client_for(&server);
    let error = client
        .update_user(ENV, USER, &UserPatch::new().title("x"))
        .await
        .unwrap_err();
    let Error::Decode {
        status, body_start, ..
    } = &error
    else {
        panic!("{error:?}")
    };
    assert_eq!(*status, 502);
    assert!(body_start.starts_with("<html><h1>502"));
    // A proxy's page is no user's profile: `Debug` shows it, as the text does.
    assert!(
        format!("{error:?}").contains(r#"body_start: "<html><h1>502"#),
        "{error:?}"
    );
    assert!(error.is_retryable());

    let error = client.get_user(ENV, USER).await.unwrap_err();
    let Error::Decode {
        status, body_start, ..
    } = &error
    else {
        panic!("{error:?}")
    };
    assert_eq!(
        (*status, body_start.as_str()),
        (200, r#"{"id":"a38890a6","user"#)
    );
    assert!(!error.is_retryable());
}

#[tokio::test]
async fn timeouts_and_transport_failures_have_their_variants() {
    let server = MockServer::start().await;
    Mock::given(method("PATCH"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(reference_response())
                .set_delay(Duration::from_secs(3)),
        )
        .mount(&server)
        .await;
    let client = builder_for(&server)
        .timeout(Duration::from_millis(200))
        .build()
        .unwrap();
    let error = client
        .update_user(ENV, USER, &UserPatch::new().title("x"))
        .await
        .unwrap_err();
    assert!(
        matches!(error, Error::Timeout { attempts: 1, .. }),
        "{error:?}"
    );
    assert!(error.is_retryable());

    // A port that nobody listens on.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let client = Client::builder()
        .api_base_url(format!("http://127.0.0.1:{port}/v1"))
        .token(TokenSource::bearer(TOKEN))
        .retry_policy(RetryPolicy::never())
        .build()
        .unwrap();
    let error = client.get_user(ENV, USER).await.unwrap_err();
    assert!(
        matches!(error, Error::Transport { attempts: 1, .. }),
        "{error:?}"
    );
    assert!(!error.to_string().contains(TOKEN));
    // reqwest's error is the variant's field. The text writes it with its causes, so it is
    // not also the `source()`, which a chain walker (anyhow's `{:#}`) would print again
    // (tests/error_reports.rs).
    let Error::Transport { source, .. } = &error else {
        unreachable!()
    };
    assert!(source.is_connect(), "{source:?}");
    assert!(std::error::Error::source(&error).is_none());
}

/// The error of a client with the API base URL `url` and a bearer token, which must be refused.
fn refused_api_base_url(url: &str) -> Error {
    Client::builder()
        .api_base_url(url)
        .token(TokenSource::bearer(TOKEN))
        .build()
        .unwrap_err()
}

/// A client with the API base URL `url` and a bearer token, which must be built.
fn accepted_api_base_url(url: &str) {
    Client::builder()
        .api_base_url(url)
        .token(TokenSource::bearer(TOKEN))
        .build()
        .unwrap_or_else(|error| panic!("{url}: {error:?}"));
}

#[test]
fn a_pingone_api_host_without_its_v1_path_is_a_configuration_error() {
    // `https://api.pingone.eu` is the API domain; the API path (`{{apiPath}}`) is
    // `https://api.pingone.eu/v1`. Without it every call got 404 NOT_FOUND, which the sync
    // job reports as "not found" for each line keyed by id: a wrong setting passed for
    // missing users.
    for url in [
        "https://api.pingone.eu",
        "https://API.PingOne.com.au/",
        "https://api.pingone.com//",
    ] {
        let error = refused_api_base_url(url);
        assert!(
            matches!(&error, Error::Config(text) if text.contains("/v1")),
            "{url}: {error:?}"
        );
    }
    for url in ["https://api.pingone.eu/v1/", "https://proxy.example.com"] {
        accepted_api_base_url(url);
    }
}

/// The same fault with another path: an environment's URL pasted as the base URL
/// (`.../v1/environments/{id}`, which the client extends with `/environments/{id}/users`),
/// another version, or PingOne's auth host. Each call answered 404, read as missing users.
#[test]
fn a_pingone_api_host_with_another_path_than_v1_is_a_configuration_error() {
    for url in [
        "https://api.pingone.eu/v1/environments/abfba8f6-49eb-49f5-a5d9-80ad5c98f9f6",
        "https://api.pingone.com/v2",
        "https://api.pingone.com/api/v1",
        "https://api.pingone.com:443/V1",
        "https://auth.pingone.eu/v1",
        "https://auth.pingone.eu",
    ] {
        let error = refused_api_base_url(url);
        assert!(
            matches!(&error, Error::Config(text) if text.contains("/v1")),
            "{url}: {error:?}"
        );
    }
    for url in [
        "https://api.pingone.com:443/v1",
        "https://api.pingone.asia/v1//",
        "https://proxy.example.com/pingone/v2",
        "https://pingone.example.com/",
    ] {
        accepted_api_base_url(url);
    }
}

/// A base URL written without its scheme (`api.pingone.eu/v1`, `127.0.0.1:8080/v1` as the
/// emulator program prints its address, `localhost:8080/v1`, read as the scheme `localhost`)
/// was refused with the URL parser's words, "relative URL without a base", or "must be an
/// absolute http or https URL", which do not say what to write. The error now says to write
/// the scheme, `https://` or `http://`, before the host, for each base URL the builder takes.
#[test]
fn a_base_url_without_its_scheme_says_to_write_one() {
    for url in [
        "api.pingone.eu/v1",
        "127.0.0.1:8080/v1",
        "localhost:8080/v1",
    ] {
        let error = refused_api_base_url(url);
        assert!(
            matches!(&error, Error::Config(text)
                if text.contains("API base URL") && text.contains("with its scheme") && text.contains("https://")),
            "{url}: {error:?}"
        );
    }
    let worker = || {
        TokenSource::client_credentials("abfba8f6-49eb-49f5-a5d9-80ad5c98f9f6", "worker", "s3cret")
    };
    let error = Client::builder()
        .api_base_url("https://api.pingone.eu/v1")
        .auth_base_url("auth.pingone.eu")
        .token(worker())
        .build()
        .unwrap_err();
    assert!(
        matches!(&error, Error::Config(text) if text.contains("auth base URL") && text.contains("with its scheme")),
        "{error:?}"
    );
    let error = Client::builder()
        .api_base_url("https://api.pingone.eu/v1")
        .token_url("login.example.com/as/token")
        .token(worker())
        .build()
        .unwrap_err();
    assert!(
        matches!(&error, Error::Config(text) if text.contains("token URL") && text.contains("with its scheme")),
        "{error:?}"
    );
}

/// Base URLs that are typos were accepted and read as something else: `http:///v1` and
/// `http:/v1` as the host `v1` (WHATWG URL parsing, which reqwest follows), the port 0, on
/// which nothing listens, and a proxy's or the emulator's base URL with `/environments` (the
/// client adds `/environments/{id}/users` itself: every call went to
/// `/environments/environments/...` and answered 404, read as a missing user). Each is
/// `Error::Config` at `build()` now, the environments one naming the base to write.
#[test]
fn a_base_url_that_is_a_typo_is_a_configuration_error() {
    for (url, expected) in [
        ("http:///v1", "3 slashes after `http:`"),
        ("http:/v1", "1 slash after `http:`"),
        ("https:\\\\\\proxy/v1", "3 slashes after `https:`"),
        ("http://127.0.0.1:0/v1", "port 0"),
        (
            "http://127.0.0.1:8080/v1/environments",
            r#""http://127.0.0.1:8080/v1""#,
        ),
        (
            "https://proxy.example.com/pingone/v1/Environments/abfba8f6-49eb-49f5-a5d9-80ad5c98f9f6/users",
            r#""https://proxy.example.com/pingone/v1""#,
        ),
        (
            "https://api.pingone.eu/v1/environments/",
            r#""https://api.pingone.eu/v1""#,
        ),
    ] {
        let error = refused_api_base_url(url);
        assert!(
            matches!(&error, Error::Config(text) if text.contains(expected)),
            "{url}: {error:?}"
        );
    }
    let error = Client::builder()
        .api_base_url("https://proxy.example.com/v1")
        .auth_base_url("https:///auth")
        .token(TokenSource::client_credentials(
            "abfba8f6-49eb-49f5-a5d9-80ad5c98f9f6",
            "worker",
            "s3cret",
        ))
        .build()
        .unwrap_err();
    assert!(
        matches!(&error, Error::Config(text) if text.contains("auth base URL") && text.contains("3 slashes")),
        "{error:?}"
    );
    // Two slashes, a path segment that only starts with `environments`, a port.
    for url in [
        "  https://proxy.example.com/v1",
        "HTTP://proxy.example.com:8443/environments-gateway/v1",
        // URL parsing drops tabs and newlines wherever they are: two slashes.
        "http:/\t/localhost:8080/v1",
        "http:/\n/localhost:8080/v1\n",
    ] {
        Client::builder()
            .api_base_url(url)
            .token(TokenSource::bearer(TOKEN))
            // For the plain http proxy, another machine.
            .allow_plain_http(true)
            .build()
            .unwrap_or_else(|error| panic!("{url}: {error}"));
    }
}

/// A proxy whose host only starts like PingOne's (`api.pingone.corp.example`,
/// `auth.pingone.internal`) was taken for PingOne's own host: its API base URL was refused
/// for a path other than `/v1`, and its auth base URL for any path, though such a host may
/// serve the API and tokens at any path. Only PingOne's own domains (those of
/// `Region::ALL`) are held to PingOne's paths; the same paths on PingOne's hosts stay refused.
#[test]
fn a_proxy_named_like_a_pingone_host_may_serve_any_path() {
    Client::builder()
        .api_base_url("https://api.pingone.corp.example/proxy")
        .auth_base_url("https://auth.pingone.internal/gateway")
        .token(TokenSource::client_credentials(ENV, "id", "secret"))
        .build()
        .unwrap_or_else(|error| panic!("{error}"));
    Client::builder()
        .api_base_url("https://auth.pingone.corp.example/v1")
        .auth_base_url("https://api.pingone.corp.example")
        .token(TokenSource::client_credentials(ENV, "id", "secret"))
        .build()
        .unwrap_or_else(|error| panic!("{error}"));
    for url in [
        "https://api.pingone.com.au/proxy",
        "https://auth.pingone.sg/v1",
    ] {
        let error = refused_api_base_url(url);
        assert!(
            matches!(&error, Error::Config(text) if text.contains("PingOne")),
            "{url}: {error:?}"
        );
    }
}

/// `http://api.pingone.eu/v1` (a typo, or a copy from an old config) was accepted: the first
/// call sent the access token in clear text over the network to PingOne's port 80, before any
/// answer (a redirect or a refusal) could say so; `http://auth.pingone.eu` sent the client
/// secret so. PingOne's hosts (`*.pingone.com`, `.eu`, `.ca`, `.asia`, `.com.au`, `.sg`) serve
/// HTTPS only, so a plain `http` URL to one of them is a configuration error, even with
/// `allow_plain_http(true)`, which lets other hosts be `http`.
#[test]
fn plain_http_to_a_pingone_host_is_refused() {
    let worker = || TokenSource::client_credentials(ENV, "id", "secret");
    for allow_plain_http in [false, true] {
        let cases = [
            Client::builder()
                .api_base_url("http://api.pingone.eu/v1")
                .token(TokenSource::bearer(TOKEN)),
            Client::builder()
                .api_base_url("HTTP://API.PINGONE.COM.AU/v1")
                .token(TokenSource::bearer(TOKEN)),
            Client::builder()
                .api_base_url("http://api.pingone.com.:80/v1")
                .token(TokenSource::bearer(TOKEN)),
            Client::builder()
                .region(Region::Europe)
                .auth_base_url("http://auth.pingone.eu")
                .token(worker()),
            Client::builder()
                .region(Region::Canada)
                .token_url("http://auth.pingone.ca/x/as/token")
                .token(worker()),
            Client::builder()
                .region(Region::Singapore)
                .token_url("http://sso.pingone.sg/as/token")
                .token(worker()),
        ];
        for builder in cases {
            let builder = builder.allow_plain_http(allow_plain_http);
            let shown = format!("{builder:?}");
            let error = builder.build().unwrap_err();
            assert!(
                matches!(&error, Error::Config(text)
                    if text.contains("a PingOne host, which serves https only")
                        && text.contains("write https://")),
                "{shown}: {error:?}"
            );
        }
    }
    // Another host, even one whose name holds "pingone", may be plain http when allowed.
    for url in [
        "http://pingone.example.com/v1",
        "http://api.pingone.example/v1",
        "http://notpingone.com/v1",
    ] {
        Client::builder()
            .api_base_url(url)
            .token(TokenSource::bearer(TOKEN))
            .allow_plain_http(true)
            .build()
            .unwrap_or_else(|error| panic!("{url}: {error}"));
    }
}

/// Plain `http` base URLs to another machine than this one, and not PingOne's: a custom
/// domain, a private address, addresses and names that only look like loopback ones, IPv6
/// addresses, written in several cases.
const PLAIN_HTTP_ELSEWHERE: [&str; 10] = [
    "http://auth.mycompany.example",
    "HTTP://Gateway.Example.Test:8080",
    "http://10.0.0.1:8080",
    "http://192.168.1.20",
    "http://128.0.0.1",
    "http://notlocalhost",
    "http://localhost.example.com",
    "http://[2001:db8::1]:8080",
    "http://[::2]",
    "http://[::ffff:10.0.0.1]",
];

/// Plain `http` base URLs to this machine: loopback addresses other than 127.0.0.1, `::1`,
/// an IPv4-mapped loopback address, `localhost` with a final dot or in capitals, and a name
/// under `localhost`.
const PLAIN_HTTP_TO_THIS_MACHINE: [&str; 6] = [
    "http://127.0.0.2:8080",
    "http://[::1]:8080",
    "http://[::ffff:127.0.0.1]:8080",
    "http://localhost.:8080",
    "http://LOCALHOST",
    "http://emulator.localhost:8080",
];

/// Builders whose one URL named `what` (the API base URL, the auth base URL or the token
/// URL) is on the host of `base` (a URL without a path), the others PingOne's (https), and
/// whose token goes over it: a bearer token to the API, a worker's secret to the others.
fn builders_with_one_url_on(base: &str) -> [(&'static str, String, ClientBuilder); 3] {
    let worker = || TokenSource::client_credentials(ENV, "id", "secret");
    let api = format!("{base}/v1");
    let token_url = format!("{base}/as/token");
    [
        (
            "API base URL",
            api.clone(),
            Client::builder()
                .api_base_url(api)
                .token(TokenSource::bearer(TOKEN)),
        ),
        (
            "auth base URL",
            base.to_owned(),
            Client::builder()
                .api_base_url("https://api.pingone.eu/v1")
                .auth_base_url(base)
                .token(worker()),
        ),
        (
            "token URL",
            token_url.clone(),
            Client::builder()
                .region(Region::Europe)
                .token_url(token_url)
                .token(worker()),
        ),
    ]
}

/// A plain `http` URL to another machine than PingOne's was accepted for each of the three
/// URLs (`http://auth.mycompany.example`, a custom domain; `http://10.0.0.1:8080/v1`, a
/// gateway): every call then sent the bearer token, and every token request the client
/// secret, over the network in clear text (RFC 6750 §5.3, RFC 6749 §2.3.1). It is now
/// `Error::Config` naming the URL, why, and what to write.
#[test]
fn plain_http_to_another_machine_is_refused() {
    for base in PLAIN_HTTP_ELSEWHERE {
        for (what, url, builder) in builders_with_one_url_on(base) {
            let error = builder.build().err();
            assert!(
                matches!(&error, Some(Error::Config(text))
                    if text.contains(&format!("the {what} {url:?} is plain http to another machine"))
                        && text.contains("clear text")
                        && text.contains("write https://")
                        && text.contains("allow_plain_http(true)")),
                "{what} {url}: {error:?}"
            );
        }
    }
}

/// With `allow_plain_http(true)` each of the three URLs may be plain `http` to another
/// machine: the emulator in another container, a gateway on a network of your own.
#[test]
fn plain_http_to_another_machine_is_built_when_allowed() {
    for base in PLAIN_HTTP_ELSEWHERE {
        for (what, url, builder) in builders_with_one_url_on(base) {
            builder
                .allow_plain_http(true)
                .build()
                .unwrap_or_else(|error| panic!("{what} {url}: {error:?}"));
        }
    }
}

/// A plain `http` URL to this machine needs no setting: the emulator, and a gateway or
/// emulator reached through a loopback address or a `localhost` name.
#[test]
fn plain_http_to_this_machine_needs_no_setting() {
    for base in PLAIN_HTTP_TO_THIS_MACHINE {
        for (what, url, builder) in builders_with_one_url_on(base) {
            builder
                .build()
                .unwrap_or_else(|error| panic!("{what} {url}: {error:?}"));
        }
    }
}

/// `http://0.0.0.0:8080` (the address a server such as the emulator in a container listens
/// on) and `http://[::]` were refused as "plain http to another machine", and told to opt in
/// with `allow_plain_http(true)`, though the host is no machine at all: the unspecified
/// address, which some systems connect to this machine, others refuse, and a proxy connects
/// to its own. The error says so and what to write: 127.0.0.1 or `[::1]`.
#[test]
fn plain_http_to_the_unspecified_address_says_to_write_a_loopback_address() {
    for base in [
        "http://0.0.0.0:8080",
        "http://[::]:8080",
        "http://0:8080",
        "http://[::ffff:0.0.0.0]",
    ] {
        for (what, url, builder) in builders_with_one_url_on(base) {
            let error = builder.build().err();
            assert!(
                matches!(&error, Some(Error::Config(text))
                    if text.contains(&format!("the {what} {url:?} names the unspecified address"))
                        && text.contains("write 127.0.0.1 or [::1]")
                        && !text.contains("another machine")),
                "{what} {url}: {error:?}"
            );
        }
    }
}

/// With an explicit proxy on another machine, a plain `http` URL to this machine
/// (`http://127.0.0.1:8080/v1`) was built without `allow_plain_http(true)`: the proxy serves
/// loopback hosts too, so every call sent the bearer token, and every token request the
/// client secret, over the network to the proxy in clear text (and reached the proxy's own
/// loopback). It is refused as plain http to another machine is; a proxy on this machine, or
/// the setting, lets it be built.
#[test]
fn plain_http_to_this_machine_through_a_proxy_elsewhere_is_refused() {
    for base in PLAIN_HTTP_TO_THIS_MACHINE
        .into_iter()
        .chain(["http://127.0.0.1:8080"])
    {
        for (what, url, builder) in builders_with_one_url_on(base) {
            let through_proxy = builder.proxy("http://user:proxy-password@proxy.example:3128");
            let error = through_proxy.clone().build().err();
            assert!(
                matches!(&error, Some(Error::Config(text))
                    if text.contains(&format!("the {what} "))
                        && text.contains("plain http sent through the proxy")
                        && text.contains("allow_plain_http(true)")
                        && !text.contains("proxy-password")),
                "{what} {url}: {error:?}"
            );
            through_proxy
                .allow_plain_http(true)
                .build()
                .unwrap_or_else(|error| panic!("{what} {url} allowed: {error:?}"));
        }
        for (what, url, builder) in builders_with_one_url_on(base) {
            builder
                .proxy("http://127.0.0.1:3128")
                .build()
                .unwrap_or_else(|error| panic!("{what} {url} through a local proxy: {error:?}"));
        }
    }
}

/// Which setting refused a URL was told by the text of `Error::Config` alone: the examples
/// named their variable, `PINGONE_ALLOW_PLAIN_HTTP`, by replacing `allow_plain_http(true)` in
/// it. `ClientBuilder::plain_http_refusal` gives that refusal when it is the first fault
/// `build` finds (the setting, the URL, whether through a proxy, and the reason that the
/// error's text starts with), and `None` when `build` refuses something else first, refuses
/// the unspecified address (no setting lets it be right), or refuses nothing for plain http.
#[test]
fn the_builder_tells_a_plain_http_refusal_without_its_text() {
    for base in PLAIN_HTTP_ELSEWHERE {
        for (what, url, builder) in builders_with_one_url_on(base) {
            let refusal = builder
                .plain_http_refusal()
                .unwrap_or_else(|| panic!("{what} {url}"));
            assert_eq!(
                (
                    refusal.setting(),
                    refusal.url(),
                    refusal.through_proxy(),
                    refusal.through_environment_proxy()
                ),
                (what, url.as_str(), false, false)
            );
            let error = builder.clone().build().err();
            assert!(
                matches!(&error, Some(Error::Config(text))
                    if text.starts_with(&format!("{refusal}; write https://"))),
                "{refusal}: {error:?}"
            );
            assert_eq!(
                builder.clone().allow_plain_http(true).plain_http_refusal(),
                None
            );
            // A fault that `build` looks for after the URLs: the refusal is still the first.
            assert!(
                builder
                    .timeout(Duration::ZERO)
                    .plain_http_refusal()
                    .is_some()
            );
        }
    }
    for base in PLAIN_HTTP_TO_THIS_MACHINE {
        for (what, url, builder) in builders_with_one_url_on(base) {
            assert_eq!(builder.plain_http_refusal(), None, "{what} {url}");
            let through_proxy = builder.proxy("http://proxy.example:3128");
            let refusal = through_proxy
                .plain_http_refusal()
                .unwrap_or_else(|| panic!("{what} {url}"));
            assert!(refusal.through_proxy(), "{refusal}");
            assert!(!refusal.through_environment_proxy(), "{refusal}");
            let error = through_proxy.build().err();
            assert!(
                matches!(&error, Some(Error::Config(text))
                    if text.starts_with(&format!("{refusal}; write https://"))),
                "{refusal}: {error:?}"
            );
        }
    }
    for (what, url, builder) in builders_with_one_url_on("http://0.0.0.0:8080") {
        assert_eq!(builder.plain_http_refusal(), None, "{what} {url}");
    }
    // Faults that `build` finds before the plain http URL: a mistyped API base URL, a missing
    // token source.
    let plain_auth = Client::builder()
        .auth_base_url("http://auth.mycompany.example")
        .token(TokenSource::client_credentials(ENV, "id", "secret"));
    for builder in [
        plain_auth.clone().api_base_url("https:///v1"),
        Client::builder()
            .region(Region::Europe)
            .token_url("http://auth.mycompany.example/as/token"),
    ] {
        assert_eq!(builder.plain_http_refusal(), None, "{builder:?}");
        assert!(matches!(builder.build(), Err(Error::Config(_))));
    }
    assert!(
        plain_auth
            .api_base_url("https://api.pingone.eu/v1")
            .plain_http_refusal()
            .is_some()
    );
}

#[test]
fn bad_configurations_are_errors_not_panics() {
    let token = || TokenSource::bearer(TOKEN);
    let cases = [
        Client::builder().token(token()),
        Client::builder().region(Region::Europe),
        Client::builder().api_base_url("not a url").token(token()),
        Client::builder()
            .api_base_url("ftp://example.com/v1")
            .token(token()),
        Client::builder()
            .api_base_url("https://example.com/v1?x=1")
            .token(token()),
        Client::builder()
            .api_base_url("https://user:pw@example.com/v1")
            .token(token()),
        // A password without a user name is credentials too (RFC 3986 §3.2.1).
        Client::builder()
            .api_base_url("https://:pw@example.com/v1")
            .token(token()),
        Client::builder()
            .region(Region::Europe)
            .token_url("https://:pw@example.com/as/token")
            .token(TokenSource::client_credentials(ENV, "id", "secret")),
        Client::builder()
            .region(Region::Europe)
            .token(TokenSource::bearer("")),
        Client::builder()
            .region(Region::Europe)
            .token(TokenSource::bearer("a b")),
        Client::builder()
            .region(Region::Europe)
            .token(TokenSource::bearer("a\nb")),
        Client::builder()
            .region(Region::Europe)
            .token(token())
            .timeout(Duration::ZERO),
        Client::builder()
            .region(Region::Europe)
            .token(token())
            .user_agent("a\u{7f}b"),
        Client::builder()
            .api_base_url("https://example.com/v1")
            .token(TokenSource::client_credentials(ENV, "id", "secret")),
        Client::builder()
            .region(Region::Europe)
            .token(TokenSource::client_credentials("../x", "id", "secret")),
        Client::builder()
            .region(Region::Europe)
            .token(TokenSource::client_credentials(ENV, "", "secret")),
    ];
    for builder in cases {
        let shown = format!("{builder:?}");
        let error = builder.build().unwrap_err();
        assert!(matches!(error, Error::Config(_)), "{shown}: {error:?}");
    }
    let client = Client::builder()
        .region(Region::Canada)
        .token(token())
        .build()
        .unwrap();
    assert_eq!(client.api_base_url(), "https://api.pingone.ca/v1");
    let client = Client::builder()
        .region(Region::Canada)
        .api_base_url("http://127.0.0.1:9/v1/")
        .token(token())
        .build()
        .unwrap();
    assert_eq!(client.api_base_url(), "http://127.0.0.1:9/v1");
}

#[tokio::test]
async fn no_secret_in_any_debug_or_display() {
    let secret = "CLIENT-SECRET-do-not-print";
    let token = "ACCESS-TOKEN-do-not-print";
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(401).set_body_json(json!({
            "error": "invalid_client", "error_description": "Client authentication failed"
        })))
        .mount(&server)
        .await;
    Mock::given(method("PATCH"))
        .respond_with(ResponseTemplate::new(401).set_body_json(p1_error("ACCESS_FAILED", None)))
        .mount(&server)
        .await;
    let worker = Client::builder()
        .api_base_url(format!("{}/v1", server.uri()))
        .auth_base_url(server.uri())
        .token(TokenSource::client_credentials(ENV, "worker-id", secret))
        .build()
        .unwrap();
    let bearer = client_for(&server);
    let static_client = Client::builder()
        .region(Region::NorthAmerica)
        .token(TokenSource::bearer(token))
        .build()
        .unwrap();
    let token_error = worker
        .update_user(ENV, USER, &UserPatch::new().title("x"))
        .await
        .unwrap_err();
    assert!(
        matches!(&token_error, Error::Token { status: 401, code, .. } if code == "invalid_client")
    );
    let api_error = bearer
        .update_user(ENV, USER, &UserPatch::new().title("x"))
        .await
        .unwrap_err();
    let emulator = Emulator::builder().token(token).start().unwrap();
    let emulator_client = Client::builder()
        .api_base_url(emulator.api_base_url())
        .token(TokenSource::bearer(token))
        .build()
        .unwrap();
    let _: User = emulator_client.get_user(ENV, USER).await.unwrap();
    let shown = [
        format!("{worker:?}"),
        format!("{static_client:?}"),
        format!("{:?}", TokenSource::bearer(token)),
        format!(
            "{:?}",
            TokenSource::client_credentials(ENV, "worker-id", secret)
        ),
        format!("{:?}", Client::builder().token(TokenSource::bearer(token))),
        format!("{token_error}"),
        format!("{token_error:?}"),
        format!("{api_error}"),
        format!("{api_error:?}"),
        format!("{emulator:?}"),
        format!("{:?}", Emulator::builder().token(token)),
        format!("{:?}", emulator.requests()),
    ];
    for text in shown {
        assert!(!text.contains(secret), "{text}");
        assert!(!text.contains(token), "{text}");
        assert!(!text.contains(TOKEN), "{text}");
    }
}

#[tokio::test]
async fn read_and_write_back_keeps_unknown_attributes() {
    let mut seeded = sparse_patch::pingone::emulator::reference_user();
    seeded["favoriteColor"] = json!("green");
    seeded["preferences"] = json!({"theme": "dark", "beta": [1, 2]});
    seeded["someFuturePingOneAttribute"] = json!({"nested": {"deep": true}});
    seeded["account"]["someNewAccountFlag"] = json!(7);
    let emulator = Emulator::builder().no_users().user(seeded).start().unwrap();
    let client = emulator_bearer_builder(&emulator).build().unwrap();

    // Read: the typed model keeps what it does not know, and writes it back unchanged.
    let raw: Value = client.get_user_as(ENV, USER).await.unwrap();
    let user: User = client.get_user(ENV, USER).await.unwrap();
    assert_eq!(user.custom["favoriteColor"], "green");
    assert_eq!(serde_json::to_value(&user).unwrap(), raw);

    // Change, diff, update: only the change is sent, everything else is kept.
    let mut wanted = user.clone();
    wanted.title = Some("Dr".into());
    wanted
        .custom
        .insert("preferences".into(), json!({"theme": "light"}));
    let patch = user.diff(&wanted);
    let updated = client.update_user(ENV, USER, &patch).await.unwrap();
    let sent = emulator.requests().last().unwrap().json().unwrap();
    // The custom JSON attribute is diffed by RFC 7396 too: `beta`, gone from the wanted value,
    // is sent as null, since the server merges the attribute rather than replacing it.
    assert_eq!(
        sent,
        json!({"title": "Dr", "preferences": {"theme": "light", "beta": null}})
    );
    assert_eq!(
        updated.custom["someFuturePingOneAttribute"],
        json!({"nested": {"deep": true}})
    );
    assert_eq!(updated.custom["favoriteColor"], "green");
    assert_eq!(
        updated.account.as_ref().unwrap().other["someNewAccountFlag"],
        7
    );
    // The server's merge gives exactly the wanted value (it used to keep `beta`, as the diff
    // replaced the entry instead of diffing it).
    assert_eq!(updated.custom["preferences"], json!({"theme": "light"}));
    assert_eq!(updated.custom, wanted.custom);

    // Writing the whole user back (every writable attribute) changes nothing but updatedAt.
    let before = emulator.user(USER).unwrap();
    let whole = updated.to_patch();
    let again = client.update_user(ENV, USER, &whole).await.unwrap();
    let mut after = emulator.user(USER).unwrap();
    assert_ne!(after["updatedAt"], before["updatedAt"]);
    after["updatedAt"] = before["updatedAt"].clone();
    assert_eq!(after, before);
    assert_eq!(again.custom, updated.custom);
}

#[tokio::test]
async fn update_user_round_trip_against_the_emulator() {
    let emulator = Emulator::start().unwrap();
    let client = emulator_bearer_builder(&emulator).build().unwrap();
    let href = "https://example.com/new.png";
    let user = client
        .update_user(
            ENV,
            USER,
            &UserPatch::new().photo(PhotoPatch::new().href(href)),
        )
        .await
        .unwrap();
    assert_eq!(user.photo.unwrap().href, href);
    let request = &emulator.requests()[0];
    assert_eq!(request.method, "PATCH");
    assert_eq!(request.path, USER_PATH);
    assert_eq!(request.header("content-type"), Some("application/json"));
    assert_eq!(
        request.header("authorization"),
        Some(format!("Bearer {}", emulator.token()).as_str())
    );
    assert_eq!(request.json().unwrap(), json!({"photo": {"href": href}}));
}

/// A whole user document read as a patch (as a proxy or a replay would) keeps only what a
/// PATCH may send: read-only attributes are dropped, not collected as custom attributes and
/// sent back.
#[test]
fn a_user_document_read_as_a_patch_drops_read_only_attributes() {
    let document = sparse_patch::pingone::emulator::reference_user();
    let patch: UserPatch = serde_json::from_value(document).unwrap();
    assert!(patch.custom.is_empty(), "{:?}", patch.custom);
    let sent = serde_json::to_value(&patch).unwrap();
    let keys: Vec<&str> = sent
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(keys, ["email", "name", "photo", "username"]);
}

/// Issue 9 §1: attributes unknown to the model inside `name`, `address`, `photo`,
/// `identityProvider` and `lastSignOn` survive a read, a nested patch and a whole write-back.
#[tokio::test]
async fn nested_unknown_attributes_survive_a_read_and_a_write_back() {
    let mut seeded = sparse_patch::pingone::emulator::reference_user();
    seeded["name"]["pronunciation"] = json!("DAY-vid");
    seeded["name"]["phonetic"] = json!({"ipa": "ˈdeɪvɪd"});
    seeded["address"] = json!({"locality": "Denver", "plusCode": "85FPQXGV+XH"});
    seeded["photo"]["alt"] = json!("David at the beach");
    seeded["identityProvider"]["links"] = json!([{"name": "saml"}]);
    seeded["lastSignOn"] =
        json!({"at": "2024-01-01T00:00:00.000Z", "remoteIp": "10.0.0.1", "userAgent": "curl"});
    let emulator = Emulator::builder().no_users().user(seeded).start().unwrap();
    let client = emulator_bearer_builder(&emulator).build().unwrap();

    // Read: the typed model serializes back to exactly what arrived.
    let raw: Value = client.get_user_as(ENV, USER).await.unwrap();
    let user = client.get_user(ENV, USER).await.unwrap();
    assert_eq!(serde_json::to_value(&user).unwrap(), raw);
    assert_eq!(
        user.name.as_ref().unwrap().other["pronunciation"],
        "DAY-vid"
    );
    assert!(user.custom.is_empty(), "{:?}", user.custom);

    // A nested patch of a known attribute sends only it, and keeps the unknown ones.
    let updated = client
        .update_user(
            ENV,
            USER,
            &UserPatch::new().name(NamePatch::new().given("Dave")),
        )
        .await
        .unwrap();
    let sent = emulator.requests().last().unwrap().json().unwrap();
    assert_eq!(sent, json!({"name": {"given": "Dave"}}));
    let name = updated.name.as_ref().unwrap();
    assert_eq!(name.given.as_deref(), Some("Dave"));
    assert_eq!(name.other["phonetic"], json!({"ipa": "ˈdeɪvɪd"}));

    // A change of an unknown nested attribute is a nested patch entry.
    let mut wanted = updated.clone();
    wanted
        .name
        .as_mut()
        .unwrap()
        .other
        .insert("pronunciation".into(), json!("DAYV"));
    let patch = updated.diff(&wanted);
    assert_eq!(
        serde_json::to_value(&patch).unwrap(),
        json!({"name": {"pronunciation": "DAYV"}})
    );
    let changed = client.update_user(ENV, USER, &patch).await.unwrap();
    assert_eq!(
        changed.name.as_ref().unwrap().other["pronunciation"],
        "DAYV"
    );

    // Writing the whole user back changes nothing but updatedAt, at every depth.
    let before = emulator.user(USER).unwrap();
    let again = client
        .update_user(ENV, USER, &changed.to_patch())
        .await
        .unwrap();
    let sent = emulator.requests().last().unwrap().json().unwrap();
    assert_eq!(sent["photo"]["alt"], "David at the beach");
    assert_eq!(sent["address"]["plusCode"], "85FPQXGV+XH");
    let mut after = emulator.user(USER).unwrap();
    after["updatedAt"] = before["updatedAt"].clone();
    assert_eq!(after, before);
    let mut expected = serde_json::to_value(&changed).unwrap();
    let mut got = serde_json::to_value(&again).unwrap();
    expected["updatedAt"] = Value::Null;
    got["updatedAt"] = Value::Null;
    assert_eq!(got, expected);
    assert_eq!(again.last_sign_on.unwrap().other["userAgent"], "curl");
    assert_eq!(
        again.identity_provider.unwrap().other["links"],
        json!([{"name": "saml"}])
    );
}

/// The same holds for a model of your own: a nested model with a flattened map of unknown
/// attributes derives `Patchable`, and its patch merges key by key.
#[test]
fn a_nested_model_of_your_own_with_a_flattened_map_keeps_unknown_attributes() {
    use std::collections::BTreeMap;

    #[derive(
        sparse_patch::Patchable, Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize,
    )]
    struct Person {
        username: String,
        #[patchable(nested)]
        #[serde(default, skip_serializing_if = "Option::is_none")]
        name: Option<PersonName>,
    }
    #[derive(
        sparse_patch::Patchable, Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize,
    )]
    struct PersonName {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        given: Option<String>,
        #[serde(flatten)]
        other: BTreeMap<String, Value>,
    }

    let document = json!({"username": "d", "name": {"given": "D", "nick": "Dee", "x": {"y": 1}}});
    let mut person: Person = serde_json::from_value(document.clone()).unwrap();
    assert_eq!(serde_json::to_value(&person).unwrap(), document);
    let patch: PersonPatch =
        serde_json::from_value(json!({"name": {"nick": null, "given": "E"}})).unwrap();
    person.apply(patch).unwrap();
    assert_eq!(
        serde_json::to_value(&person).unwrap(),
        json!({"username": "d", "name": {"given": "E", "x": {"y": 1}}})
    );
}

/// Issue 9 §1: an upper-case UUID is accepted and sent in lower case.
#[tokio::test]
async fn upper_case_ids_are_sent_in_lower_case() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(USER_PATH))
        .respond_with(ResponseTemplate::new(200).set_body_json(reference_response()))
        .expect(1)
        .mount(&server)
        .await;
    let client = client_for(&server);
    let user = client
        .get_user(&ENV.to_uppercase(), &USER.to_uppercase())
        .await
        .unwrap();
    assert_eq!(user.id.as_deref(), Some(USER));

    // The emulator finds the user whatever the case the ID arrives in.
    let emulator = Emulator::start().unwrap();
    let client = emulator_bearer_builder(&emulator).build().unwrap();
    let mixed = "A38890a6-295A-4d58-9F6E-b72b05fba379";
    let user = client
        .update_user(&ENV.to_uppercase(), mixed, &UserPatch::new().title("Dr"))
        .await
        .unwrap();
    assert_eq!(user.id.as_deref(), Some(USER));
    assert_eq!(emulator.requests()[0].path, USER_PATH);
}

/// `Client` is cheap to clone because its clones share one connection pool behind an `Arc`
/// (issue 13: "`Client` is `Clone + Send + Sync`, one pool behind an `Arc`"; `Client`'s docs
/// and the transport chapter say so). Sequential calls through fresh clones, each dropped
/// after its call, one of them on a task of its own, reach the server over one connection: a
/// clone that built a pool of its own would open one per clone.
#[tokio::test]
async fn clones_of_a_client_share_one_connection_pool() {
    let body = json!({"id": USER, "username": "dspanner", "email": "dspanner@example.com"});
    let body = body.to_string();
    let answer = format!(
        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{body}",
        body.len()
    );
    let (address, connections) = raw_http::keeping_connections_alive(answer.into_bytes()).await;
    let client = Client::builder()
        .api_base_url(format!("http://{address}/v1"))
        .token(TokenSource::bearer(TOKEN))
        .retry_policy(RetryPolicy::never())
        .timeout(Duration::from_secs(5))
        .build()
        .unwrap();
    for _ in 0..4 {
        let clone = client.clone();
        clone.get_user(ENV, USER).await.unwrap();
    }
    let clone = client.clone();
    tokio::spawn(async move { clone.get_user(ENV, USER).await })
        .await
        .unwrap()
        .unwrap();
    client.get_user(ENV, USER).await.unwrap();
    assert_eq!(
        connections.load(std::sync::atomic::Ordering::SeqCst),
        1,
        "six sequential calls through clones of one client"
    );
}
