//! When a worker token is replaced and how long the old one still serves: `refresh_before`
//! before its expiry (at most half its lifetime), and after a failed refresh, until half that
//! margin before its expiry, not after (the chapter "PingOne: the client", **Tokens**).

use std::time::Duration;

use serde_json::json;
use sparse_patch::pingone::{Client, Error, RetryPolicy, TokenSource, UserPatch};
use tokio::time::{Instant, sleep_until};
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

const ENV: &str = "abfba8f6-49eb-49f5-a5d9-80ad5c98f9f6";
const USER: &str = "a38890a6-295a-4d58-9f6e-b72b05fba379";

/// How many requests went to the token endpoint (its only POSTs).
async fn token_fetches(server: &MockServer) -> usize {
    let requests = server.received_requests().await.unwrap();
    requests
        .iter()
        .filter(|r| r.method.as_str() == "POST")
        .count()
}

/// A worker token of 16 s with `refresh_before(6 s)`, every later token request answered 503:
/// the token is not replaced 7 s before its expiry (where the default margin, 60 s cut to half
/// the lifetime, 8 s, would replace it), its refresh is due 6 s before, and after that refresh
/// failed it is still sent until 3 s before its expiry (half the margin), then no more: the
/// call is the refresh's error. Each moment keeps 0.2 s or more from the boundaries it tests
/// whenever the first call (the first token request in it) takes under 1.8 s, which the test
/// checks (a load-tolerant bound: it took milliseconds).
#[tokio::test]
async fn a_token_is_replaced_refresh_before_its_expiry_and_kept_until_half_that() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "access_token": "tok-1", "token_type": "Bearer", "expires_in": 16
        })))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(503).set_body_json(json!({"error": "temporarily_unavailable"})),
        )
        .mount(&server)
        .await;
    Mock::given(method("PATCH"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "id": USER, "username": "dspanner", "email": "dspanner@example.com"
        })))
        .mount(&server)
        .await;
    let client = Client::builder()
        .api_base_url(format!("{}/v1", server.uri()))
        .auth_base_url(server.uri())
        .token(TokenSource::client_credentials(ENV, "id", "secret"))
        .retry_policy(RetryPolicy::never())
        .refresh_before(Duration::from_secs(6))
        .build()
        .unwrap();
    let patch = UserPatch::new().title("x");
    // The token's lifetime counts from its request, sent between `start` and `received`.
    let start = Instant::now();
    client.update_user(ENV, USER, &patch).await.unwrap();
    let received = Instant::now();
    assert_eq!(token_fetches(&server).await, 1);
    let first_call = received - start;
    assert!(
        first_call < Duration::from_millis(1800),
        "the first call took {first_call:?}: the moments below would not be where they are said"
    );

    // 8.2 s to under 10 s into a 16 s token: within the default margin, not within refresh_before.
    sleep_until(received + Duration::from_millis(8200)).await;
    client.update_user(ENV, USER, &patch).await.unwrap();
    assert_eq!(
        token_fetches(&server).await,
        1,
        "more than refresh_before (6 s) before its expiry: not replaced yet"
    );

    // 10.2 s to under 13 s into it: refresh_before or less before its expiry, more than half that.
    sleep_until(received + Duration::from_millis(10_200)).await;
    client
        .update_user(ENV, USER, &patch)
        .await
        .expect("the refresh failed, the token still valid is sent");
    assert_eq!(
        token_fetches(&server).await,
        2,
        "refresh_before (6 s) before its expiry: replaced"
    );

    // 13.2 s or more into it: less than half the margin (3 s) before its expiry.
    sleep_until(received + Duration::from_millis(13_200)).await;
    let error = client.update_user(ENV, USER, &patch).await.unwrap_err();
    assert!(
        matches!(error, Error::Token { .. }),
        "past half the margin before its expiry, the refresh's error: {error}"
    );
    let requests = server.received_requests().await.unwrap();
    assert_eq!(
        requests
            .iter()
            .filter(|r| r.method.as_str() == "PATCH")
            .count(),
        3,
        "the token is not sent in its last second"
    );
}
