//! What `EmulatorBuilder::rate_limit` limits, as the chapter on safety (docs/pingone_safety)
//! states it: the requests to the users endpoints (`.../users` and `.../users/{userID}`), not
//! the token endpoint's, and `0` is no limit.

#![cfg(all(feature = "client", feature = "emulator"))]

#[path = "support/emulator_client.rs"]
mod emulator_client;
#[path = "support/worker_token.rs"]
mod worker_token;

use emulator_client::client_of;
use sparse_patch::pingone::Error;
use sparse_patch::pingone::emulator::Emulator;
use worker_token::fetch_worker_token;

/// A limit of 1 request per second: token requests in a row all get a token, and do not
/// empty the bucket; of two lookups in a row, the first is answered and the second refused
/// (429 `REQUEST_LIMITED`), by ID and in the list alike.
#[tokio::test]
async fn the_emulator_limits_the_users_endpoints_and_not_the_token_endpoint() {
    let emulator = Emulator::builder().rate_limit(1).start().unwrap();
    sparse_patch::pingone::install_default_crypto_provider();
    let http = reqwest::Client::new();
    for attempt in 1..=5 {
        let answer = fetch_worker_token(
            &http,
            emulator.auth_base_url(),
            emulator.environment_id(),
            emulator.client_id(),
            emulator.client_secret(),
        )
        .await;
        assert!(answer["access_token"].is_string(), "{attempt}: {answer}");
    }
    let client = client_of(&emulator);
    let (env, user) = (emulator.environment_id(), emulator.user_id());
    client.get_user(env, user).await.unwrap();
    let refused = client.get_user(env, user).await.unwrap_err();
    assert!(matches!(refused, Error::RateLimited { .. }), "{refused:?}");
    assert_eq!(refused.code(), Some("REQUEST_LIMITED"));

    let emulator = Emulator::builder().rate_limit(1).start().unwrap();
    let client = client_of(&emulator);
    let env = emulator.environment_id();
    client.find_user_by_username(env, "nobody").await.unwrap();
    let refused = client
        .find_user_by_username(env, "nobody")
        .await
        .unwrap_err();
    assert!(matches!(refused, Error::RateLimited { .. }), "{refused:?}");

    // `0` is no limit, as without it.
    let emulator = Emulator::builder().rate_limit(0).start().unwrap();
    let client = client_of(&emulator);
    for _ in 0..5 {
        client
            .get_user(emulator.environment_id(), emulator.user_id())
            .await
            .unwrap();
    }
}
