//! Bursts of concurrent calls of one worker client at the moments its token changes: at the
//! token's expiry, inside its refresh margin, and when PingOne revokes it while the calls are
//! in flight. Each burst makes one token request, and no call fails (the retry policy is
//! `never()`: a call that needed a retry to succeed fails the test).
//!
//! No timed assertion: the sleeps below bring the cached token to the state a burst starts
//! from, and each assertion holds whatever the machine's load makes of the moments. The
//! bursts at expiry and in the margin get their tokens from a token endpoint of their own
//! (wiremock), whose first token lives `LIFETIME` and the next ones an hour, and send them to
//! an emulator that takes that token for good: a burst however slow neither outlives its
//! token at the emulator nor reaches the next refresh. (With the emulator's own tokens of a
//! 2 s life, a burst on a loaded machine outlived them: 401s, and a third token request.)

#[path = "support/emulator_client.rs"]
mod emulator_client;
use emulator_client::emulator_worker_builder;

#[path = "support/mock_pingone.rs"]
mod mock_pingone;
use mock_pingone::posts_received;

use std::time::Duration;

use sparse_patch::pingone::emulator::{Emulator, generated_user};
use sparse_patch::pingone::{Client, RetryPolicy, UserPatch};
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

/// The calls of a burst.
const BURST: usize = 150;

/// The users the calls of a burst change, one each in turn.
const USERS: usize = 30;

/// The first token's lifetime. The client refreshes a token half its life after it asked for
/// it (its refresh margin is at most half the lifetime), and sends it, while a refresh is
/// under way, until three quarters of its life.
const LIFETIME: Duration = Duration::from_secs(2);

/// The lifetime of the tokens after the first: longer than any burst.
const LONG_LIFETIME: Duration = Duration::from_secs(3600);

fn emulator(token_lifetime: Duration) -> Emulator {
    let mut builder = Emulator::builder().token_lifetime(token_lifetime);
    for n in 1..=USERS {
        builder = builder.user(generated_user(n));
    }
    builder.start().unwrap()
}

fn client(emulator: &Emulator) -> Client {
    emulator_worker_builder(emulator)
        .retry_policy(RetryPolicy::never())
        .timeout(Duration::from_secs(30))
        .build()
        .unwrap()
}

/// A token endpoint that answers with `emulator`'s own bearer token (which the emulator
/// accepts for good), usable for `LIFETIME` the first time and `LONG_LIFETIME` after.
async fn token_endpoint(emulator: &Emulator) -> MockServer {
    let server = MockServer::start().await;
    let answer = |lifetime: Duration| {
        ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "access_token": emulator.token(), "token_type": "Bearer",
            "expires_in": lifetime.as_secs()
        }))
    };
    Mock::given(method("POST"))
        .respond_with(answer(LIFETIME))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(answer(LONG_LIFETIME))
        .with_priority(2)
        .mount(&server)
        .await;
    server
}

/// A worker client of `emulator`'s API whose tokens come from `tokens`.
fn client_of_token_endpoint(emulator: &Emulator, tokens: &MockServer) -> Client {
    emulator_worker_builder(emulator)
        .auth_base_url(tokens.uri())
        .retry_policy(RetryPolicy::never())
        .timeout(Duration::from_secs(30))
        .build()
        .unwrap()
}

/// The IDs of the emulator's users.
fn user_ids() -> Vec<String> {
    (1..=USERS)
        .map(|n| generated_user(n)["id"].as_str().unwrap().to_owned())
        .collect()
}

/// Starts `count` calls at once, each setting the nickname of one of `users` to `prefix` and
/// its number.
fn spawn_burst(
    client: &Client,
    environment_id: &str,
    users: &[String],
    count: usize,
    prefix: &str,
) -> tokio::task::JoinSet<Result<(), sparse_patch::pingone::Error>> {
    let mut calls = tokio::task::JoinSet::new();
    for call in 0..count {
        let client = client.clone();
        let environment_id = environment_id.to_owned();
        let user = users[call % users.len()].clone();
        let nickname = format!("{prefix}{call}");
        calls.spawn(async move {
            client
                .update_user(&environment_id, &user, &UserPatch::new().nickname(nickname))
                .await
                .map(drop)
        });
    }
    calls
}

/// Runs `count` calls at once, each setting the nickname of one of `users`, and returns the
/// errors.
async fn burst(
    client: &Client,
    environment_id: &str,
    users: &[String],
    count: usize,
) -> Vec<String> {
    let mut calls = spawn_burst(client, environment_id, users, count, "n");
    let mut errors = Vec::new();
    while let Some(result) = calls.join_next().await {
        if let Err(error) = result.unwrap() {
            errors.push(error.to_string());
        }
    }
    errors
}

/// A burst after the token's life ended: every call waits for the one fetch.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_burst_after_the_token_expired_makes_one_token_request() {
    let emulator = emulator(LONG_LIFETIME);
    let tokens = token_endpoint(&emulator).await;
    let client = client_of_token_endpoint(&emulator, &tokens);
    let users = user_ids();
    let env = emulator.environment_id();
    assert_eq!(burst(&client, env, &users, 1).await, Vec::<String>::new());
    assert_eq!(posts_received(&tokens).await, 1);
    tokio::time::sleep(LIFETIME + Duration::from_millis(100)).await;
    assert_eq!(
        burst(&client, env, &users, BURST).await,
        Vec::<String>::new()
    );
    assert_eq!(posts_received(&tokens).await, 2);
}

/// A burst inside the refresh margin: one call refreshes, the others send the token they
/// have (or, past its end, wait for the refresh).
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_burst_inside_the_refresh_margin_makes_one_token_request() {
    let emulator = emulator(LONG_LIFETIME);
    let tokens = token_endpoint(&emulator).await;
    let client = client_of_token_endpoint(&emulator, &tokens);
    let users = user_ids();
    let env = emulator.environment_id();
    assert_eq!(burst(&client, env, &users, 1).await, Vec::<String>::new());
    // Past the refresh, before the token stops being sent; a machine that wakes the test
    // later turns the burst into the one above, which makes one token request too.
    tokio::time::sleep(LIFETIME * 6 / 10).await;
    assert_eq!(
        burst(&client, env, &users, BURST).await,
        Vec::<String>::new()
    );
    assert_eq!(posts_received(&tokens).await, 2);
}

/// The token revoked while a burst is in flight: the calls refused with 401 share one fetch
/// and are sent again with its token. The emulator's own tokens, which it can revoke, of an
/// hour's life: no refresh comes during the test.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_token_revoked_mid_burst_is_replaced_once_for_every_call() {
    let emulator = emulator(LONG_LIFETIME);
    let client = client(&emulator);
    let users = user_ids();
    let env = emulator.environment_id().to_owned();
    assert_eq!(burst(&client, &env, &users, 1).await, Vec::<String>::new());
    let mut calls = spawn_burst(&client, &env, &users, BURST, "r");
    let mut done = 0;
    let mut errors = Vec::new();
    while let Some(result) = calls.join_next().await {
        done += 1;
        if done == 20 {
            assert!(emulator.revoke_issued_tokens() > 0);
        }
        if let Err(error) = result.unwrap() {
            errors.push(error.to_string());
        }
    }
    assert_eq!(errors, Vec::<String>::new());
    assert_eq!(emulator.token_requests(), 2);
    // And the calls after it.
    assert_eq!(burst(&client, &env, &users, 20).await, Vec::<String>::new());
    assert_eq!(emulator.token_requests(), 2);
}

/// Calls waiting for the client's rate limit when the token comes due: its refresh takes the
/// limiter's next turn, and the calls whose turn came while it was fetched take another. 40
/// calls at 10 requests per second, the first token's refresh due after a second: before,
/// the refresh queued behind the calls waiting, each of which took its turn and then waited
/// for the token, and then 27 went within 11 ms. Read from the instants the emulator
/// received the requests: no 200 ms hold more than 10 of them (2 at the limit; the rest is
/// room for a loaded machine that reads them late and together).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refresh_among_calls_waiting_for_the_rate_limit_does_not_burst() {
    const CALLS: usize = 40;
    let emulator = emulator(LONG_LIFETIME);
    let tokens = token_endpoint(&emulator).await;
    let client = emulator_worker_builder(&emulator)
        .auth_base_url(tokens.uri())
        .retry_policy(RetryPolicy::never())
        .rate_limit(10)
        .build()
        .unwrap();
    let users = user_ids();
    let burst = burst(&client, emulator.environment_id(), &users, CALLS);
    let errors = tokio::time::timeout(Duration::from_secs(60), burst)
        .await
        .expect("the calls hang");
    assert_eq!(errors, Vec::<String>::new());
    assert_eq!(posts_received(&tokens).await, 2);
    let received: Vec<_> = emulator
        .requests()
        .iter()
        .map(|request| request.received_at)
        .collect();
    assert_eq!(received.len(), CALLS);
    for (at, &start) in received.iter().enumerate() {
        let within = received[at..]
            .iter()
            .take_while(|&&then| then.duration_since(start) < Duration::from_millis(200))
            .count();
        assert!(
            within <= 10,
            "{within} requests within 200 ms from request {at}, at 10 per second"
        );
    }
}

/// A token endpoint whose tokens are due at once (`expires_in: 0`, or a lifetime shorter
/// than the wait for a rate limit's turn): each call sends the token it waited for, as it
/// does without a rate limit. Before, a call whose token had to be fetched after its turn
/// took another turn and found the token due again: a token request per turn, for ever.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tokens_due_at_once_behind_a_rate_limit_are_sent_not_fetched_for_ever() {
    let emulator = emulator(LONG_LIFETIME);
    let tokens = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "access_token": emulator.token(), "token_type": "Bearer", "expires_in": 0
        })))
        .mount(&tokens)
        .await;
    let client = emulator_worker_builder(&emulator)
        .auth_base_url(tokens.uri())
        .retry_policy(RetryPolicy::never())
        .rate_limit(20)
        .build()
        .unwrap();
    let users = user_ids();
    let burst = burst(&client, emulator.environment_id(), &users, 3);
    let errors = tokio::time::timeout(Duration::from_secs(60), burst)
        .await
        .expect("the calls hang: a token fetched for every turn");
    assert_eq!(errors, Vec::<String>::new());
    assert_eq!(emulator.requests().len(), 3);
}
