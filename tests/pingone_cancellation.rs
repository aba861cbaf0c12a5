//! Calls dropped at every await point (the token fetch, the rate limiter, an attempt, the
//! retry sleep): the client's token cache, rate limiter and pool keep working for the calls
//! that follow, and none of them hangs.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use serde_json::json;
use sparse_patch::pingone::{Client, RetryPolicy, TokenSource, UserPatch};
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

#[path = "support/tracing_capture.rs"]
mod tracing_capture;
use tracing_capture::{Capture, capturing, field};

const ENV: &str = "abfba8f6-49eb-49f5-a5d9-80ad5c98f9f6";
const USER: &str = "a38890a6-295a-4d58-9f6e-b72b05fba379";

/// 503 to every other PATCH, 200 to the rest, each after a moment.
struct EveryOther(Arc<AtomicUsize>);

impl Respond for EveryOther {
    fn respond(&self, _: &Request) -> ResponseTemplate {
        if self.0.fetch_add(1, Ordering::SeqCst).is_multiple_of(2) {
            ResponseTemplate::new(503)
                .set_body_json(json!({"id": "e", "code": "SERVICE_UNAVAILABLE", "message": "busy"}))
                .set_delay(Duration::from_millis(15))
        } else {
            ResponseTemplate::new(200)
                .set_body_json(
                    json!({"id": USER, "username": "dspanner", "email": "d@example.com"}),
                )
                .set_delay(Duration::from_millis(15))
        }
    }
}

#[tokio::test]
async fn calls_dropped_at_any_point_leave_the_client_working() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(
                    json!({"access_token": "tok", "token_type": "Bearer", "expires_in": 3600}),
                )
                .set_delay(Duration::from_millis(30)),
        )
        .mount(&server)
        .await;
    Mock::given(method("PATCH"))
        .respond_with(EveryOther(Arc::new(AtomicUsize::new(0))))
        .mount(&server)
        .await;
    let client = Client::builder()
        .api_base_url(format!("{}/v1", server.uri()))
        .auth_base_url(server.uri())
        .token(TokenSource::client_credentials(ENV, "id", "secret"))
        .retry_policy(
            RetryPolicy::default()
                .max_attempts(3)
                .initial_backoff(Duration::from_millis(30))
                .jitter(false),
        )
        .rate_limit(100)
        .timeout(Duration::from_secs(2))
        .build()
        .unwrap();
    let patch = UserPatch::new().title("x");
    for delay in (0..120).step_by(3) {
        // Dropped wherever it stands after `delay` ms, and a few at once.
        let mut dropped = tokio::task::JoinSet::new();
        for _ in 0..3 {
            let client = client.clone();
            let patch = patch.clone();
            dropped.spawn(async move {
                let _ = tokio::time::timeout(
                    Duration::from_millis(delay),
                    client.update_user(ENV, USER, &patch),
                )
                .await;
            });
        }
        dropped.join_all().await;
        tokio::time::timeout(
            Duration::from_secs(3),
            client.update_user(ENV, USER, &patch),
        )
        .await
        .unwrap_or_else(|_| panic!("the call after those dropped at {delay} ms hangs"))
        .unwrap_or_else(|error| panic!("after those dropped at {delay} ms: {error}"));
    }
    let requests = server.received_requests().await.unwrap();
    let fetches = requests
        .iter()
        .filter(|r| r.method.as_str() == "POST")
        .count();
    // Fetches dropped midway are made again; once one ends, the token is cached.
    assert!(fetches <= 4, "{fetches} token fetches");
}

/// A call dropped while it waits for the rate limiter takes no turn: the next call is sent at
/// the first free slot, not one slot later.
///
/// The test asked for the last answer within a wall-time bound (at 2 per second, before the
/// second slot at 1 s), which a loaded machine can break. It now reads the waits the limiter
/// names (its DEBUG event `pingone: waiting for the client's rate limit`, `wait_ms`): at 2
/// per second the first free slot comes 500 ms after the first call, so that no call waits
/// longer, however slowly the calls come; had a dropped call taken that slot, the next free
/// one would be at 1 s, and the last call would wait more than 500 ms (unless the five
/// dropped calls alone took half a second). A call waits only if it comes within 500 ms of
/// the first, so the test asks for a wait only when the first call took less than 400 ms.
#[tokio::test]
async fn a_call_dropped_in_the_rate_limiter_takes_no_turn() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(
                json!({"id": USER, "username": "dspanner", "email": "d@example.com"}),
            ),
        )
        .mount(&server)
        .await;
    let client = Client::builder()
        .api_base_url(format!("{}/v1", server.uri()))
        .token(TokenSource::bearer("token"))
        .rate_limit(2) // one request every 500 ms
        .build()
        .unwrap();
    let capture = Capture::default();
    let _capturing = capturing(&capture);
    let started = std::time::Instant::now();
    client.get_user(ENV, USER).await.unwrap();
    let first_call = started.elapsed();
    for _ in 0..5 {
        let _ = tokio::time::timeout(Duration::from_millis(20), client.get_user(ENV, USER)).await;
    }
    client.get_user(ENV, USER).await.unwrap();
    // Each call that waited waited for the first free slot (500 ms after the first call), not
    // the second (1 s) or later.
    let waits: Vec<u64> = capture
        .events_with("waiting for the client's rate limit")
        .iter()
        .map(|(line, _)| field(line, "wait_ms").unwrap().parse().unwrap())
        .collect();
    // The calls after the first wait for its slot only when they come before it: on a
    // machine loaded enough that the first call took half a second, none waits, and the bound
    // below holds without a wait to check (seen once under a full test run).
    if first_call < Duration::from_millis(400) {
        assert!(
            !waits.is_empty(),
            "no wait after a first call of {first_call:?}"
        );
    }
    assert!(waits.iter().all(|&wait| wait <= 500), "{waits:?}");
    assert_eq!(server.received_requests().await.unwrap().len(), 2);
}
