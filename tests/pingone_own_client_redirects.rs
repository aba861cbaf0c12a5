//! Redirects that a `reqwest::Client` of the user's own follows (docs/pingone_transport/
//! README.md): a loop followed to its limit is `Error::Transport`, not retried, since each
//! attempt would follow it again; a redirect on the same scheme, host and port is sent with
//! the `Authorization` header and a `Referer` of the URL asked, query included.

#[path = "support/own_http_client.rs"]
mod own_http_client;

use std::time::Duration;

use own_http_client::own_http_client_builder;
use sparse_patch::pingone::{Client, Error, RetryPolicy, TokenSource};
use wiremock::matchers::{method, path, query_param_is_missing};
use wiremock::{Mock, MockServer, ResponseTemplate};

const ENV: &str = "abfba8f6-49eb-49f5-a5d9-80ad5c98f9f6";
const USER: &str = "a38890a6-295a-4d58-9f6e-b72b05fba379";

#[tokio::test]
async fn a_redirect_loop_followed_by_an_own_client_is_a_transport_error_not_retried() {
    let server = MockServer::start().await;
    let user_path = format!("/v1/environments/{ENV}/users/{USER}");
    // The user's URL sends to `/a`, which sends to `/b`, which sends back to `/a`...
    for (at, to) in [(user_path.as_str(), "/a"), ("/a", "/b"), ("/b", "/a")] {
        Mock::given(method("GET"))
            .and(path(at))
            .respond_with(
                ResponseTemplate::new(302)
                    .insert_header("location", format!("{}{to}", server.uri())),
            )
            .mount(&server)
            .await;
    }
    let client = Client::builder()
        .api_base_url(format!("{}/v1", server.uri()))
        .token(TokenSource::bearer("token"))
        .retry_policy(
            RetryPolicy::default()
                .max_attempts(3)
                .initial_backoff(Duration::from_millis(1)),
        )
        // reqwest's default redirect policy: followed, up to its limit.
        .http_client(own_http_client_builder().build().unwrap())
        .build()
        .unwrap();
    let error = client.get_user(ENV, USER).await.unwrap_err();
    let Error::Transport { source, attempts } = &error else {
        panic!("{error:?}")
    };
    assert!(source.is_redirect(), "{error:?}");
    assert_eq!(*attempts, 1, "{error:?}");
    assert!(!error.is_retryable(), "{error:?}");
    let asked = server
        .received_requests()
        .await
        .unwrap()
        .into_iter()
        .filter(|request| request.url.path() == user_path)
        .count();
    assert_eq!(asked, 1, "the user's URL was asked again: retried");
}

#[tokio::test]
async fn a_redirect_on_the_same_host_carries_the_token_and_a_referer_with_the_query() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(format!("/v1/environments/{ENV}/users")))
        .and(query_param_is_missing("moved"))
        .respond_with(ResponseTemplate::new(302).insert_header(
            "location",
            format!("{}/v1/environments/{ENV}/users?moved=1", server.uri()),
        ))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(serde_json::json!({"_embedded": {"users": []}})),
        )
        .mount(&server)
        .await;
    let client = Client::builder()
        .api_base_url(format!("{}/v1", server.uri()))
        .token(TokenSource::bearer("bearer-7f3a"))
        .retry_policy(RetryPolicy::never())
        .http_client(own_http_client_builder().build().unwrap())
        .build()
        .unwrap();
    let error = client.find_user_by_username(ENV, "ada").await.unwrap_err();
    assert!(matches!(error, Error::Decode { .. }), "{error:?}");
    let requests = server.received_requests().await.unwrap();
    let [asked, redirected] = requests.as_slice() else {
        panic!("{requests:?}")
    };
    assert_eq!(
        redirected.headers["authorization"].to_str().unwrap(),
        "Bearer bearer-7f3a"
    );
    let query = asked.url.query().unwrap();
    assert!(query.contains("filter="), "{query}");
    assert_eq!(
        redirected.headers["referer"].to_str().unwrap(),
        format!("{}{}?{query}", server.uri(), asked.url.path()),
        "the URL asked, query included"
    );
}
