//! A worker's token request made by hand (`POST {auth}/{env}/as/token`, client credentials by
//! HTTP Basic, RFC 6749 §4.4), as a client in another language makes it: the emulator's token
//! tests.
#![allow(dead_code)]

use serde_json::Value;

/// The token endpoint's JSON answer to `client_id` and `client_secret`.
pub async fn fetch_worker_token(
    http: &reqwest::Client,
    auth_base_url: &str,
    environment_id: &str,
    client_id: &str,
    client_secret: &str,
) -> Value {
    http.post(format!("{auth_base_url}/{environment_id}/as/token"))
        .basic_auth(client_id, Some(client_secret))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body("grant_type=client_credentials")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}
