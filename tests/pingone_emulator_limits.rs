//! The emulator's limits on what it reads, byte for byte (docs/emulator/README.md): a request
//! body up to 2 MiB (2,097,152 bytes, axum's limit) is read, one byte more gets 413
//! `INVALID_REQUEST` (detail `SIZE_LIMIT_EXCEEDED`); a request target up to 65,534 bytes is
//! read, one byte more gets hyper's 414 with no body; a `"` or a space left unencoded in a
//! target gets hyper's 400 with no body, where a `|` is read; so does a malformed header.

#[path = "support/raw_http.rs"]
mod raw_http;

use sparse_patch::pingone::emulator::Emulator;
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};

/// The emulator's request body limit, in bytes.
const BODY_LIMIT: usize = 2 * 1024 * 1024;
/// The longest request target that hyper reads, in bytes.
const TARGET_LIMIT: usize = 65_534;

/// Sends `method target` with `body` (and the emulator's token) on a connection of its own,
/// writing while it reads (the emulator may answer before it has read the body); the answer's
/// status, head and body.
async fn send(
    emulator: &Emulator,
    method: &str,
    target: &str,
    body: &str,
) -> (u16, String, String) {
    let mut stream = tokio::net::TcpStream::connect(emulator.addr())
        .await
        .unwrap();
    let request = format!(
        "{method} {target} HTTP/1.1\r\nHost: {}\r\nAuthorization: Bearer {}\r\n\
         Content-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        emulator.addr(),
        emulator.token(),
        body.len()
    );
    let (mut reader, mut writer) = stream.split();
    let write = async {
        let _ = writer.write_all(request.as_bytes()).await;
    };
    let read = async {
        let (head, answer) = raw_http::read_message(&mut reader)
            .await
            .expect("the emulator answers");
        (
            String::from_utf8(head).unwrap(),
            String::from_utf8(answer).unwrap(),
        )
    };
    let ((), (head, answer)) = tokio::join!(write, read);
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|status| status.parse().ok())
        .unwrap_or_else(|| panic!("no status in {head:?}"));
    (status, head, answer)
}

/// A PATCH body of exactly `size` bytes: a title padded out.
fn body_of(size: usize) -> String {
    let frame = r#"{"title":""}"#.len();
    format!(r#"{{"title":"{}"}}"#, "x".repeat(size - frame))
}

#[tokio::test]
async fn a_body_of_2_mib_is_read_and_one_byte_more_is_413() {
    let emulator = Emulator::start().unwrap();
    let user = format!(
        "/v1/environments/{}/users/{}",
        emulator.environment_id(),
        emulator.user_id()
    );
    // Read, and refused for the title's length, not the body's.
    let (status, _, answer) = send(&emulator, "PATCH", &user, &body_of(BODY_LIMIT)).await;
    assert_eq!(status, 400, "{answer}");
    assert!(answer.contains("INVALID_DATA"), "{answer}");

    let (status, _, answer) = send(&emulator, "PATCH", &user, &body_of(BODY_LIMIT + 1)).await;
    assert_eq!(status, 413, "{answer}");
    assert!(answer.contains("SIZE_LIMIT_EXCEEDED"), "{answer}");
}

#[tokio::test]
async fn a_target_of_65534_bytes_is_read_and_one_byte_more_is_414_with_no_body() {
    let emulator = Emulator::start().unwrap();
    let list = format!(
        "/v1/environments/{}/users?limit=1&padding=",
        emulator.environment_id()
    );
    let target = |size: usize| format!("{list}{}", "x".repeat(size - list.len()));

    let (status, _, answer) = send(&emulator, "GET", &target(TARGET_LIMIT), "").await;
    assert_ne!(status, 414, "{answer}");
    assert!(!answer.is_empty(), "PingOne's JSON body, or a page");

    let (status, head, answer) = send(&emulator, "GET", &target(TARGET_LIMIT + 1), "").await;
    assert_eq!(status, 414, "{head}");
    assert_eq!(answer, "", "{head}");
}

#[tokio::test]
async fn a_quote_or_space_left_unencoded_is_400_with_no_body_a_bar_is_read() {
    let emulator = Emulator::start().unwrap();
    let list = format!("/v1/environments/{}/users", emulator.environment_id());
    for target in [
        format!("{list}?filter=username%20eq%20\"x\""),
        format!("{list}?filter=username eq %22x%22"),
    ] {
        let (status, head, answer) = send(&emulator, "GET", &target, "").await;
        assert_eq!((status, answer.as_str()), (400, ""), "{target}: {head}");
    }
    // Read by the emulator, which finds no such user.
    let target = format!("{list}?filter=username%20eq%20%22a|b%22");
    let (status, _, answer) = send(&emulator, "GET", &target, "").await;
    assert_eq!(status, 200, "{target}: {answer}");
    assert!(answer.contains(r#""users":[]"#), "{answer}");
}

#[tokio::test]
async fn a_malformed_header_is_400_with_no_body() {
    let emulator = Emulator::start().unwrap();
    let mut stream = tokio::net::TcpStream::connect(emulator.addr())
        .await
        .unwrap();
    let request = format!(
        "GET /v1/environments/{}/users/{} HTTP/1.1\r\nHost: {}\r\nAuthorization: Bearer {}\r\n\
         a header without a colon\r\nConnection: close\r\n\r\n",
        emulator.environment_id(),
        emulator.user_id(),
        emulator.addr(),
        emulator.token()
    );
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer).await.unwrap();
    let answer = String::from_utf8(answer).unwrap();
    let (head, body) = answer.split_once("\r\n\r\n").unwrap();
    assert!(head.starts_with("HTTP/1.1 400 "), "{head}");
    assert_eq!(body, "", "{head}");
}
