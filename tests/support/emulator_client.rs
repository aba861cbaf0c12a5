//! A client of an embedded emulator, with the emulator's bearer token and no retry: what the
//! tests of one call's behaviour send with; builders of a client with its bearer token and of
//! a client of its worker app; a merge PATCH sent without the client; and the usernames of a
//! page of the list it answers.
#![allow(dead_code)]

use serde_json::Value;
use sparse_patch::pingone::emulator::Emulator;
use sparse_patch::pingone::{Client, ClientBuilder, RetryPolicy, TokenSource};

/// A client of `emulator`, with its token and no retry.
pub fn client_of(emulator: &Emulator) -> Client {
    emulator_bearer_builder(emulator)
        .retry_policy(RetryPolicy::never())
        .build()
        .unwrap()
}

/// A builder of a client of `emulator`'s API with its bearer token; the rest is the
/// caller's.
pub fn emulator_bearer_builder(emulator: &Emulator) -> ClientBuilder {
    Client::builder()
        .api_base_url(emulator.api_base_url())
        .token(TokenSource::bearer(emulator.token()))
}

/// A builder of a client of `emulator`'s worker app: its API and auth base URLs, and its
/// worker credentials (client credentials, RFC 6749 §4.4), the client fetching its tokens
/// from the emulator's token endpoint; the rest is the caller's.
pub fn emulator_worker_builder(emulator: &Emulator) -> ClientBuilder {
    Client::builder()
        .api_base_url(emulator.api_base_url())
        .auth_base_url(emulator.auth_base_url())
        .token(TokenSource::client_credentials(
            emulator.environment_id(),
            emulator.client_id(),
            emulator.client_secret(),
        ))
}

/// The usernames of the users that a page of the list holds, in its order.
pub fn usernames(body: &Value) -> Vec<String> {
    body["_embedded"]["users"]
        .as_array()
        .unwrap()
        .iter()
        .map(|user| user["username"].as_str().unwrap().to_owned())
        .collect()
}

/// The emulator's answer to a merge PATCH (RFC 7396) of its reference user with `body` (as
/// JSON), sent by reqwest alone with the bearer it accepts: the status and the JSON answer.
pub async fn emulator_patch(emulator: &Emulator, body: &Value) -> (u16, Value) {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let answer = reqwest::Client::new()
        .patch(format!(
            "{}/environments/{}/users/{}",
            emulator.api_base_url(),
            emulator.environment_id(),
            emulator.user_id()
        ))
        .bearer_auth(emulator.token())
        .header("content-type", "application/json")
        .body(body.to_string())
        .send()
        .await
        .unwrap();
    let status = answer.status().as_u16();
    (status, answer.json().await.unwrap())
}
