//! Refusals whose body does not arrive whole: the token endpoint's refusal whose body the
//! connection cut short, and an API 401 whose body stalls (review 62).
//!
//! A whole refusal of the token endpoint (401 `invalid_client`, 400 `unauthorized_client`)
//! is `Error::Token`, held for `REFUSAL_HOLD` (one token request per hold, not one per call)
//! and stops a sync job. The same refusal whose body was cut short (a gateway that closes as
//! it refuses: the case review 61 fixed for the API's 401) comes out of `Transport::send` as
//! `Error::Incomplete`, which was not held (one token request per call) and did not stop a
//! sync job. It is the `Error::Token` of its status now, `unknown_error`, held and stopping
//! as a whole refusal does.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use futures_util::StreamExt as _;
use sparse_patch::pingone::sync::{Status, SyncJob};
use sparse_patch::pingone::{Client, RetryPolicy, TokenSource};
use tokio::io::AsyncWriteExt as _;

#[path = "support/raw_http.rs"]
mod raw_http;

const ENV: &str = "abfba8f6-49eb-49f5-a5d9-80ad5c98f9f6";

/// A server whose token endpoint refuses every request with `status`, its body cut short
/// (`cut`) or whole; counts the token requests and the API requests.
async fn refusing_server(status: u16, cut: bool) -> (String, Arc<AtomicUsize>, Arc<AtomicUsize>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let tokens = Arc::new(AtomicUsize::new(0));
    let api = Arc::new(AtomicUsize::new(0));
    let (tokens_seen, api_seen) = (Arc::clone(&tokens), Arc::clone(&api));
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            let (tokens, api) = (Arc::clone(&tokens_seen), Arc::clone(&api_seen));
            tokio::spawn(async move {
                let Some(head) = raw_http::read_request(&mut socket).await else {
                    return;
                };
                if !head.starts_with("POST") {
                    api.fetch_add(1, Ordering::SeqCst);
                    let _ = socket
                        .write_all(b"HTTP/1.1 500 Internal Server Error\r\ncontent-length: 0\r\nconnection: close\r\n\r\n")
                        .await;
                    return;
                }
                tokens.fetch_add(1, Ordering::SeqCst);
                let code = if status == 401 {
                    "invalid_client"
                } else {
                    "unauthorized_client"
                };
                let whole = format!(r#"{{"error": "{code}", "error_description": "refused"}}"#);
                let (declared, sent) = if cut {
                    (whole.len() + 100, &whole[..10])
                } else {
                    (whole.len(), whole.as_str())
                };
                let answer = format!(
                    "HTTP/1.1 {status} Refused\r\ncontent-type: application/json\r\ncontent-length: {declared}\r\nconnection: close\r\n\r\n{sent}"
                );
                let _ = socket.write_all(answer.as_bytes()).await;
                let _ = socket.shutdown().await;
            });
        }
    });
    (format!("http://{address}"), tokens, api)
}

fn client(base: &str) -> Client {
    Client::builder()
        .api_base_url(format!("{base}/v1"))
        .auth_base_url(base)
        .token(TokenSource::client_credentials(ENV, "id", "wrong secret"))
        .retry_policy(RetryPolicy::never())
        .build()
        .unwrap()
}

/// Five calls after a refusal: a whole 401 or 400 is asked once (held), a cut one five times.
#[tokio::test]
async fn a_cut_refusal_of_the_token_endpoint_is_held_as_a_whole_one_is() {
    for status in [401, 400] {
        for cut in [false, true] {
            let (base, tokens, _) = refusing_server(status, cut).await;
            let client = client(&base);
            let mut errors = Vec::new();
            for _ in 0..5 {
                errors.push(client.find_user_by_username(ENV, "ada").await.unwrap_err());
            }
            assert_eq!(
                tokens.load(Ordering::SeqCst),
                1,
                "token endpoint {status} (cut: {cut}) asked once per call: {:?}",
                errors[0]
            );
        }
    }
}

/// A sync job stops at a refusal that no retry can fix, 400 `unauthorized_client` of the token
/// endpoint among them, and at the same 400 cut short (it was each line's failure, and every
/// line ran).
#[tokio::test]
async fn a_cut_400_of_the_token_endpoint_stops_the_job_as_a_whole_one_does() {
    for cut in [false, true] {
        let (base, _, _) = refusing_server(400, cut).await;
        let client = client(&base);
        let feed: Vec<std::io::Result<String>> = (1..=20)
            .map(|n| Ok(format!(r#"{{"username": "user{n:03}", "title": "x"}}"#)))
            .collect();
        let job = SyncJob::new(&client, ENV).concurrency(1).unwrap();
        let outcomes: Vec<_> = job.run(feed).collect().await;
        let failed = outcomes
            .iter()
            .filter(|o| o.status == Status::Failed)
            .count();
        assert_eq!(
            failed, 1,
            "cut: {cut}: {failed} lines failed; first {:?}",
            outcomes[0].error
        );
    }
}

/// The API's 401 whose body stalls past the per-attempt timeout (a gateway that sends the
/// refusal's head and holds the connection): the 401 arrived, yet `Transport::send` returns
/// the body's timeout as the attempt's, which the policy retried: the refused bearer token
/// was sent on every attempt (as for a 401 cut short, before), and the call ended as
/// `Error::Timeout`, which a sync job takes for one line's failure. The status is the answer
/// now: `Error::Incomplete` with status 401, sent once.
#[tokio::test]
async fn a_401_whose_body_stalls_is_not_sent_again() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let requests = Arc::new(AtomicUsize::new(0));
    let counted = Arc::clone(&requests);
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            let counted = Arc::clone(&counted);
            tokio::spawn(async move {
                if raw_http::read_request(&mut socket).await.is_none() {
                    return;
                }
                counted.fetch_add(1, Ordering::SeqCst);
                let _ = socket
                    .write_all(
                        b"HTTP/1.1 401 Unauthorized\r\ncontent-type: application/json\r\n\
                          content-length: 200\r\n\r\n{\"code\": ",
                    )
                    .await;
                let _ = socket.flush().await;
                tokio::time::sleep(std::time::Duration::from_secs(30)).await;
            });
        }
    });
    let client = Client::builder()
        .api_base_url(format!("http://{address}/v1"))
        .token(TokenSource::bearer("expired"))
        .timeout(std::time::Duration::from_millis(300))
        .retry_policy(
            RetryPolicy::default()
                .max_attempts(3)
                .initial_backoff(std::time::Duration::from_millis(1))
                .max_backoff(std::time::Duration::from_millis(5)),
        )
        .build()
        .unwrap();
    let error = client.find_user_by_username(ENV, "ada").await.unwrap_err();
    assert_eq!(
        requests.load(Ordering::SeqCst),
        1,
        "the refused bearer token was sent again: {error:?}"
    );
    assert!(
        matches!(
            error,
            sparse_patch::pingone::Error::Incomplete { status: 401, .. }
        ),
        "{error:?}"
    );
}
