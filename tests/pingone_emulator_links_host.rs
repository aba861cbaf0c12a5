//! The emulator's links name the host a request was sent to, as a server's HAL links name the
//! host its clients reach it by: a client of `http://localhost:{port}/v1` (the emulator binds
//! `127.0.0.1`, which `localhost` names too) follows them.

use futures_util::TryStreamExt;
use serde_json::{Value, json};
use sparse_patch::pingone::emulator::Emulator;
use sparse_patch::pingone::{Client, TokenSource, UserQuery};

/// An emulator of three users more than the reference user, in pages of one.
fn emulator() -> Emulator {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let mut builder = Emulator::builder().max_page_size(1);
    for n in 1..=3 {
        builder = builder.user(json!({
            "id": format!("00000000-0000-4000-8000-00000000000{n}"),
            "username": format!("user{n}"),
            "email": format!("user{n}@example.com"),
        }));
    }
    builder.start().unwrap()
}

/// A client of the emulator by the name `localhost`, as its tests and examples may write it:
/// the list's second page failed ("the page's next link names another host"), since every
/// link named `127.0.0.1`, the address the emulator binds, whatever host the request named.
/// The links of a user (its `_links.self`) name that host too; a request whose `Host` is no
/// host (or none) gets the emulator's own address.
#[tokio::test]
async fn a_client_of_localhost_follows_the_lists_next_links() {
    let emulator = emulator();
    let base = emulator.api_base_url().replace("127.0.0.1", "localhost");
    let client = Client::builder()
        .api_base_url(&base)
        .token(TokenSource::bearer(emulator.token()))
        .build()
        .unwrap();
    let users: Vec<_> = client
        .list_users(emulator.environment_id(), &UserQuery::all())
        .try_collect()
        .await
        .unwrap();
    assert_eq!(users.len(), 4);

    let user = client
        .get_user(emulator.environment_id(), emulator.user_id())
        .await
        .unwrap();
    let self_link = format!(
        "{base}/environments/{}/users/{}",
        emulator.environment_id(),
        emulator.user_id()
    );
    let links = serde_json::to_value(&user).unwrap()["_links"].clone();
    assert_eq!(links["self"]["href"], self_link.as_str(), "{links}");

    // A `Host` that names no host: the emulator's own address.
    let list = format!(
        "{}/environments/{}/users?limit=1",
        emulator.api_base_url(),
        emulator.environment_id()
    );
    for host in ["", "a b", "user@localhost:1"] {
        let page: Value = reqwest::Client::new()
            .get(&list)
            .header("host", host)
            .bearer_auth(emulator.token())
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let next = page["_links"]["next"]["href"].as_str().unwrap_or_default();
        assert!(
            next.starts_with(&format!("{}/", emulator.api_base_url())),
            "{host:?}: {page}"
        );
    }
}

/// A request without a `Host` header at all (HTTP/1.0 needs none): the links name the
/// emulator's own address, `api_base_url()`'s.
#[tokio::test]
async fn a_request_without_a_host_header_gets_links_under_the_api_base_url() {
    use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
    let emulator = emulator();
    let mut stream = tokio::net::TcpStream::connect(emulator.addr())
        .await
        .unwrap();
    let request = format!(
        "GET /v1/environments/{}/users?limit=1 HTTP/1.0\r\nAuthorization: Bearer {}\r\n\r\n",
        emulator.environment_id(),
        emulator.token()
    );
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer).await.unwrap();
    let answer = String::from_utf8(answer).unwrap();
    let (head, body) = answer.split_once("\r\n\r\n").unwrap();
    assert!(head.starts_with("HTTP/1.0 200"), "{head}");
    let page: Value = serde_json::from_str(body).unwrap();
    let next = page["_links"]["next"]["href"].as_str().unwrap_or_default();
    assert!(
        next.starts_with(&format!("{}/", emulator.api_base_url())),
        "{page}"
    );
}
