//! The user agent is set on every request (docs/pingone_transport/README.md), the token
//! request's too, with the HTTP client built here and with a `reqwest::Client` of the user's
//! own (whose own user agent it wins over); `DEFAULT_USER_AGENT` when none is given.

#[path = "support/own_http_client.rs"]
mod own_http_client;

use own_http_client::own_http_client_builder;
use sparse_patch::pingone::{Client, DEFAULT_USER_AGENT, RetryPolicy, TokenSource};
use wiremock::matchers::{any, method};
use wiremock::{Mock, MockServer, ResponseTemplate};

const ENV: &str = "abfba8f6-49eb-49f5-a5d9-80ad5c98f9f6";
const USER: &str = "a38890a6-295a-4d58-9f6e-b72b05fba379";

#[tokio::test]
async fn every_request_carries_the_user_agent_the_token_requests_too() {
    let reference: serde_json::Value =
        serde_json::from_str(include_str!("../runtime/src/pingone/reference_user.json")).unwrap();
    for (own, user_agent) in [
        (false, Some("sync-job/2.0")),
        (true, Some("sync-job/2.0")),
        (false, None),
        (true, None),
    ] {
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
                "access_token": "t", "token_type": "Bearer", "expires_in": 3600
            })))
            .mount(&server)
            .await;
        Mock::given(any())
            .respond_with(ResponseTemplate::new(200).set_body_json(&reference))
            .mount(&server)
            .await;
        let mut builder = Client::builder()
            .api_base_url(format!("{}/v1", server.uri()))
            .auth_base_url(server.uri())
            .token(TokenSource::client_credentials(ENV, "worker", "s3cret"))
            .retry_policy(RetryPolicy::never());
        if own {
            builder = builder.http_client(
                own_http_client_builder()
                    .user_agent("their-own-agent/1.0")
                    .build()
                    .unwrap(),
            );
        }
        if let Some(user_agent) = user_agent {
            builder = builder.user_agent(user_agent);
        }
        builder.build().unwrap().get_user(ENV, USER).await.unwrap();
        let requests = server.received_requests().await.unwrap();
        let sent: Vec<_> = requests
            .iter()
            .map(|request| {
                (
                    request.method.as_str(),
                    request.headers["user-agent"].to_str().unwrap(),
                )
            })
            .collect();
        let expected = user_agent.unwrap_or(DEFAULT_USER_AGENT);
        assert_eq!(
            sent,
            [("POST", expected), ("GET", expected)],
            "own HTTP client: {own}"
        );
    }
}
