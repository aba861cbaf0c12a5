//! The client and the emulator against cases taken from bug reports on peer HTTP and OAuth
//! clients (reqwest, oauth2-rs, Go's oauth2, kube-rs, the AWS and Azure SDKs, octocrab).

use serde_json::{Value, json};
use sparse_patch::pingone::{Client, Error, RetryPolicy, TokenSource};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const ENV: &str = "abfba8f6-49eb-49f5-a5d9-80ad5c98f9f6";
const USER: &str = "a38890a6-295a-4d58-9f6e-b72b05fba379";
const USER_PATH: &str = "/v1/environments/abfba8f6-49eb-49f5-a5d9-80ad5c98f9f6/users/a38890a6-295a-4d58-9f6e-b72b05fba379";
const TOKEN_PATH: &str = "/abfba8f6-49eb-49f5-a5d9-80ad5c98f9f6/as/token";

fn user() -> Value {
    json!({"id": USER, "username": "dspanner", "email": "dspanner@example.com"})
}

fn worker(server: &MockServer) -> Client {
    Client::builder()
        .api_base_url(format!("{}/v1", server.uri()))
        .auth_base_url(server.uri())
        .token(TokenSource::client_credentials(ENV, "worker", "s3cret"))
        .retry_policy(RetryPolicy::never())
        .build()
        .unwrap()
}

/// A token answer whose `expires_in` is a string of digits (`"3600"`), as Azure AD's v1
/// endpoint wrote it and as gateways that re-serialize JSON do: the client refused a usable
/// token (`invalid type: string "3600", expected u64`) and every call failed. Go's
/// `golang.org/x/oauth2` reads it (a `json.Number`). Now read as the number it spells, and
/// the lifetime it gives is used (a lifetime of zero is due for a refresh at once:
/// the next call fetches again). A string that is not digits is still refused.
#[tokio::test]
async fn an_expires_in_written_as_a_string_of_digits_is_read() {
    for (expires_in, fetches) in [(json!("3600"), 1), (json!("0"), 2)] {
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .and(path(TOKEN_PATH))
            .respond_with(ResponseTemplate::new(200).set_body_json(
                json!({"access_token": "tok", "token_type": "Bearer", "expires_in": expires_in}),
            ))
            .mount(&server)
            .await;
        Mock::given(method("GET"))
            .and(path(USER_PATH))
            .respond_with(ResponseTemplate::new(200).set_body_json(user()))
            .mount(&server)
            .await;
        let client = worker(&server);
        client.get_user(ENV, USER).await.unwrap();
        client.get_user(ENV, USER).await.unwrap();
        let posts = server
            .received_requests()
            .await
            .unwrap()
            .iter()
            .filter(|request| request.method.as_str() == "POST")
            .count();
        assert_eq!(posts, fetches, "expires_in {expires_in}");
    }
    for expires_in in [
        json!("abc"),
        json!("-1"),
        json!(" 3600"),
        json!("1e3"),
        json!(""),
    ] {
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .and(path(TOKEN_PATH))
            .respond_with(ResponseTemplate::new(200).set_body_json(
                json!({"access_token": "tok", "token_type": "Bearer", "expires_in": expires_in}),
            ))
            .mount(&server)
            .await;
        let error = worker(&server).get_user(ENV, USER).await.unwrap_err();
        assert!(
            matches!(&error, Error::Decode { status: 200, reason, .. } if reason.contains("expires_in")),
            "expires_in {expires_in}: {error:?}"
        );
    }
}
