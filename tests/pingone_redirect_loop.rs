//! A redirect loop that a `reqwest::Client` of the user's own follows to its limit
//! (docs/pingone_transport/README.md): `Error::Transport`, not retried, since each attempt
//! would follow it again.

#[path = "support/own_http_client.rs"]
mod own_http_client;

use std::time::Duration;

use own_http_client::own_http_client_builder;
use sparse_patch::pingone::{Client, Error, RetryPolicy, TokenSource};
use wiremock::matchers::{method, path};
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
