//! PingOne served by wiremock: the reference environment's and user's paths, and a client of
//! a worker app whose tokens come from the mock server's token endpoint
//! (`{auth}/{envID}/as/token`).
#![allow(dead_code)]

use sparse_patch::pingone::{Client, RetryPolicy, TokenSource};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// The environment of the reference request.
pub const ENV: &str = "abfba8f6-49eb-49f5-a5d9-80ad5c98f9f6";
/// The user of the reference request.
pub const USER: &str = "a38890a6-295a-4d58-9f6e-b72b05fba379";
/// The path of the reference user, under the API base URL `{server}/v1`.
pub const USER_PATH: &str = "/v1/environments/abfba8f6-49eb-49f5-a5d9-80ad5c98f9f6/users/a38890a6-295a-4d58-9f6e-b72b05fba379";
/// The path of the environment's users, under the API base URL `{server}/v1`.
pub const USERS_PATH: &str = "/v1/environments/abfba8f6-49eb-49f5-a5d9-80ad5c98f9f6/users";
/// The path of the environment's token endpoint, under the auth base URL `{server}`.
pub const TOKEN_PATH: &str = "/abfba8f6-49eb-49f5-a5d9-80ad5c98f9f6/as/token";

/// A client of the worker app `worker` (secret `s3cret`) of [`ENV`], against `server` for
/// both the API and the tokens, that never retries.
pub fn worker(server: &MockServer) -> Client {
    Client::builder()
        .api_base_url(format!("{}/v1", server.uri()))
        .auth_base_url(server.uri())
        .token(TokenSource::client_credentials(ENV, "worker", "s3cret"))
        .retry_policy(RetryPolicy::never())
        .build()
        .unwrap()
}

/// A client of `server`'s API (`{server}/v1`) with the bearer token `token`, that never
/// retries.
pub fn bearer(server: &MockServer) -> Client {
    Client::builder()
        .api_base_url(format!("{}/v1", server.uri()))
        .token(TokenSource::bearer("token"))
        .retry_policy(RetryPolicy::never())
        .build()
        .unwrap()
}

/// How many requests `server` received with the method `POST`: in these tests, the token
/// requests.
pub async fn posts_received(server: &MockServer) -> usize {
    server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .filter(|request| request.method.as_str() == "POST")
        .count()
}

/// The token endpoint's 200 with the worker token `worker-token`, usable for `expires_in`
/// seconds (RFC 6749 §5.1).
pub fn token_answer(expires_in: u64) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(serde_json::json!({
        "access_token": "worker-token", "token_type": "Bearer", "expires_in": expires_in
    }))
}

/// The error of a [`worker`]'s call for the reference user when `server`'s token endpoint
/// ([`TOKEN_PATH`]) gives `answer`, on a server of its own.
///
/// # Panics
/// When the call succeeds.
pub async fn error_after_token_answer(answer: ResponseTemplate) -> sparse_patch::pingone::Error {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(TOKEN_PATH))
        .respond_with(answer)
        .mount(&server)
        .await;
    worker(&server).get_user(ENV, USER).await.unwrap_err()
}
