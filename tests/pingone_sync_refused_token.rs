//! A sync job whose worker credentials the token endpoint refuses (a wrong secret: 401
//! `invalid_client`): every line needed a token, and each asked the token endpoint again, so
//! that a feed of N lines sent about N token requests (a 10,000-line feed hammered it 10,000
//! times, as OAuth clients do that get the account locked or the IP rate limited). The
//! refusal is remembered for `REFUSAL_HOLD`: one token request per hold, and every line still
//! has its outcome, saying why.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use futures_util::StreamExt;
use sparse_patch::pingone::emulator::Emulator;
use sparse_patch::pingone::sync::{Status, SyncJob};
use sparse_patch::pingone::{Client, REFUSAL_HOLD, RetryPolicy, TokenSource};

const LINES: usize = 50;

fn worker(emulator: &Emulator, secret: &str) -> Client {
    Client::builder()
        .api_base_url(emulator.api_base_url())
        .auth_base_url(emulator.auth_base_url())
        .token(TokenSource::client_credentials(
            emulator.environment_id(),
            emulator.client_id(),
            secret,
        ))
        .retry_policy(RetryPolicy::never())
        .build()
        .unwrap()
}

fn feed() -> Vec<std::io::Result<String>> {
    (1..=LINES)
        .map(|n| {
            Ok(format!(
                r#"{{"username": "user{n:03}", "title": "Engineer"}}"#
            ))
        })
        .collect()
}

/// The most token requests a run of `elapsed` may send: one per hold begun.
fn bound(elapsed: Duration) -> usize {
    1 + usize::try_from(elapsed.as_nanos() / REFUSAL_HOLD.as_nanos()).unwrap()
}

#[tokio::test]
async fn a_wrong_secret_asks_the_token_endpoint_once_per_hold_not_once_per_line() {
    let emulator = Emulator::builder()
        .worker("worker", "right secret")
        .start()
        .unwrap();
    let client = worker(&emulator, "wrong secret");
    for concurrency in [1, 8] {
        let before = emulator.token_requests();
        let job = SyncJob::new(&client, emulator.environment_id()).concurrency(concurrency);
        let started = Instant::now();
        let outcomes: Vec<_> = job.run(feed()).collect().await;
        let elapsed = started.elapsed();
        let sent = emulator.token_requests() - before;

        // Every line has its outcome, and it says why.
        let by_line: BTreeMap<_, _> = outcomes.iter().map(|o| (o.line, o)).collect();
        assert_eq!(by_line.len(), LINES, "one outcome per line");
        assert_eq!(outcomes.len(), LINES, "one outcome per line");
        for outcome in &outcomes {
            assert_eq!(outcome.status, Status::Failed, "{outcome:?}");
            let error = outcome.error.as_ref().unwrap();
            assert_eq!(error.http_status, Some(401), "{outcome:?}");
            assert!(error.message.contains("invalid_client"), "{error}");
        }
        // Before: one token request per line (50). Now: one per hold (the second run, within
        // the hold of the first run's refusal, may send none).
        let least = usize::from(concurrency == 1);
        assert!(
            (least..=bound(elapsed)).contains(&sent),
            "concurrency {concurrency}: {sent} token requests in {elapsed:?}"
        );
        // The lines that did not wait on the one request are told it is remembered.
        let remembered = outcomes
            .iter()
            .filter(|o| {
                o.error
                    .as_ref()
                    .unwrap()
                    .message
                    .contains("an earlier answer, remembered")
            })
            .count();
        assert!(remembered >= LINES - 8, "{remembered} remembered");
        // No user request was sent without a token.
        assert!(emulator.requests().is_empty(), "{:?}", emulator.requests());
    }
}

/// The hold ends: a call after it asks the token endpoint again, and credentials that work
/// (a client with the right secret) are never held by another client's refusal.
#[tokio::test]
async fn the_hold_ends_and_is_the_clients_own() {
    let emulator = Emulator::builder()
        .worker("worker", "right secret")
        .start()
        .unwrap();
    let wrong = worker(&emulator, "wrong secret");
    let env = emulator.environment_id().to_owned();
    let user = emulator.user_id().to_owned();
    let first = wrong.get_user(&env, &user).await.unwrap_err();
    assert_eq!(first.status(), Some(401));
    assert!(!first.to_string().contains("remembered"), "{first}");
    assert_eq!(emulator.token_requests(), 1);

    let again = wrong.get_user(&env, &user).await.unwrap_err();
    assert_eq!(emulator.token_requests(), 1, "remembered, not asked again");
    let sparse_patch::pingone::Error::Token {
        status: 401,
        remembered_for: Some(wait),
        ..
    } = &again
    else {
        panic!("{again:?}");
    };
    assert!(*wait <= REFUSAL_HOLD, "{wait:?}");
    assert!(!again.is_retryable(), "{again:?}");
    assert!(
        again.to_string().contains("no token request was sent"),
        "{again}"
    );

    // Another client, with the right secret, is not held.
    let right = worker(&emulator, "right secret");
    right.get_user(&env, &user).await.unwrap();
    assert_eq!(emulator.token_requests(), 2);

    tokio::time::sleep(*wait + Duration::from_millis(50)).await;
    let after = wrong.get_user(&env, &user).await.unwrap_err();
    assert_eq!(
        emulator.token_requests(),
        3,
        "asked again once the hold is over"
    );
    assert!(!after.to_string().contains("remembered"), "{after}");
}
