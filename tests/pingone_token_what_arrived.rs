//! What a token error says arrived when the token endpoint's answer is no OAuth one (a proxy's
//! or captive portal's page, plain text, JSON of another kind, nothing): its kind, the
//! `<title>` of an HTML page, its length and its `Content-Type`, as the API's errors say them,
//! then the start of the body where it may be quoted. The token errors quoted the page but
//! did not name its `Content-Type` (review 191).

use sparse_patch::pingone::{Client, Error, RetryPolicy, TokenSource};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[path = "support/raw_http.rs"]
mod raw_http;

const ENV: &str = "abfba8f6-49eb-49f5-a5d9-80ad5c98f9f6";
const USER: &str = "a38890a6-295a-4d58-9f6e-b72b05fba379";
const TOKEN_PATH: &str = "/abfba8f6-49eb-49f5-a5d9-80ad5c98f9f6/as/token";
const SECRET: &str = "Xk2-client-secret-9fQ";

/// The error of a call whose token request `answer` answers (no retries).
async fn error_of(answer: ResponseTemplate) -> Error {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(TOKEN_PATH))
        .respond_with(answer)
        .mount(&server)
        .await;
    let client = Client::builder()
        .api_base_url(format!("{}/v1", server.uri()))
        .auth_base_url(server.uri())
        .token(TokenSource::client_credentials(ENV, "worker-id", SECRET))
        .retry_policy(RetryPolicy::never())
        .build()
        .unwrap();
    client.get_user(ENV, USER).await.unwrap_err()
}

/// The description of an `Error::Token` with `status` and `unknown_error`, checked to be one.
fn token_description(error: &Error, status: u16) -> String {
    match error {
        Error::Token {
            status: got,
            code,
            description: Some(description),
            ..
        } if *got == status && code == "unknown_error" => description.clone(),
        other => panic!("not the token error of HTTP {status}: {other:?}"),
    }
}

/// The reason of an `Error::Decode` of a 2xx token answer, checked to be one, and its
/// `body_start`.
fn decode_reason(error: &Error) -> (String, String) {
    match error {
        Error::Decode {
            status: 200,
            reason,
            body_start,
            ..
        } => (reason.clone(), body_start.clone()),
        other => panic!("not the decode error of a 200: {other:?}"),
    }
}

const PAGE_503: &str = "<html><head><title>503 Service Unavailable</title></head>\
                        <body>No server is available to handle this request.</body></html>";

#[tokio::test]
async fn a_proxys_503_page_is_named_with_its_title_length_and_content_type() {
    let error = error_of(
        ResponseTemplate::new(503).set_body_raw(PAGE_503, "text/html; charset=iso-8859-1"),
    )
    .await;
    let description = token_description(&error, 503);
    assert!(
        description.contains(&format!(
            "not an OAuth error response but an HTML page titled \"503 Service Unavailable\" \
             of {} bytes (Content-Type \"text/html; charset=iso-8859-1\"); the body starts \
             with \"<html><head>",
            PAGE_503.len()
        )),
        "{description}"
    );
    let text = error.to_string();
    assert!(
        text.contains("(Content-Type \\\"text/html; charset=iso-8859-1\\\")")
            || text.contains("(Content-Type \"text/html; charset=iso-8859-1\")"),
        "{text}"
    );
}

/// A captive portal's sign-in page answered with 200: `Error::Decode`, whose reason names
/// the page as the API's errors do, and whose `body_start` quotes it.
#[tokio::test]
async fn a_sign_in_page_answered_with_200_is_named_with_its_content_type() {
    let page = "<html><title>Sign in to the guest network</title><form></form></html>";
    let error = error_of(ResponseTemplate::new(200).set_body_raw(page, "text/html")).await;
    let (reason, body_start) = decode_reason(&error);
    assert!(
        reason.starts_with("not an OAuth token response: "),
        "{reason}"
    );
    assert!(
        reason.ends_with(&format!(
            "; the body is an HTML page titled \"Sign in to the guest network\" of {} bytes \
             (Content-Type \"text/html\")",
            page.len()
        )),
        "{reason}"
    );
    assert_eq!(body_start, page);
}

#[tokio::test]
async fn plain_text_is_named_with_its_content_type() {
    let error = error_of(ResponseTemplate::new(502).set_body_string("Bad Gateway")).await;
    let description = token_description(&error, 502);
    assert!(
        description.contains(
            "not an OAuth error response but a body of 11 bytes (Content-Type \
             \"text/plain\"); the body starts with \"Bad Gateway\""
        ),
        "{description}"
    );
}

/// JSON that is no OAuth error nor PingOne error body, under a `Content-Type` that is not
/// JSON's; and a 200's JSON that is no token response, which is not quoted (it may hold a
/// token) but whose `Content-Type` is named.
#[tokio::test]
async fn json_under_a_wrong_content_type_is_named_with_it() {
    let body = r#"{"status": "maintenance"}"#;
    let error = error_of(ResponseTemplate::new(500).set_body_raw(body, "text/plain")).await;
    let description = token_description(&error, 500);
    assert!(
        description.contains(&format!(
            "not an OAuth error response but a body of {} bytes (Content-Type \
             \"text/plain\"); the body starts with {body:?}",
            body.len()
        )),
        "{description}"
    );

    let body = r#"{"token": "opaque-value"}"#;
    let error = error_of(ResponseTemplate::new(200).set_body_raw(body, "text/html")).await;
    let (reason, body_start) = decode_reason(&error);
    assert!(
        reason.contains(&format!(
            "; the body ({} bytes; Content-Type \"text/html\") is not quoted, as it may hold a \
             token",
            body.len()
        )),
        "{reason}"
    );
    assert!(body_start.is_empty(), "{body_start}");
}

/// An answer without a `Content-Type` says so, as the API's errors do.
#[tokio::test]
async fn no_content_type_is_said() {
    let error =
        error_of(ResponseTemplate::new(503).set_body_bytes(b"Service Unavailable".to_vec())).await;
    let description = token_description(&error, 503);
    assert!(
        description.contains(
            "not an OAuth error response but a body of 19 bytes (no Content-Type); the body \
             starts with \"Service Unavailable\""
        ),
        "{description}"
    );
}

#[tokio::test]
async fn an_empty_body_is_named_with_its_content_type() {
    let error = error_of(ResponseTemplate::new(503).set_body_raw("", "text/html")).await;
    let description = token_description(&error, 503);
    assert!(
        description.contains(
            "not an OAuth error response: the body is empty; Content-Type \"text/html\" (the \
             token URL asked: "
        ),
        "{description}"
    );
}

/// A body that is not read (UTF-16, or in a `Content-Encoding` that the client did not ask
/// for) is not quoted, and its `Content-Type` is named.
#[tokio::test]
async fn an_unread_body_is_named_with_its_content_type() {
    let utf16: Vec<u8> = "\u{feff}Busy"
        .encode_utf16()
        .flat_map(u16::to_le_bytes)
        .collect();
    let error = error_of(
        ResponseTemplate::new(503)
            .set_body_bytes(utf16)
            .insert_header("content-type", "text/plain; charset=utf-16"),
    )
    .await;
    let description = token_description(&error, 503);
    assert!(
        description.contains("the body is UTF-16 or UTF-32")
            && description.contains("; Content-Type \"text/plain; charset=utf-16\""),
        "{description}"
    );

    let error = error_of(
        ResponseTemplate::new(502)
            .set_body_bytes(b"\x1f\x8b\x08\x00compressed".to_vec())
            .insert_header("content-encoding", "gzip")
            .insert_header("content-type", "text/html"),
    )
    .await;
    let description = token_description(&error, 502);
    assert!(
        description.contains("\"gzip\"") && description.contains("; Content-Type \"text/html\""),
        "{description}"
    );
}

/// A token response whose JSON was cut mid-way (its `Content-Length` whole, its JSON not):
/// not quoted (it holds the token's start), its length and `Content-Type` named.
#[tokio::test]
async fn a_token_response_cut_mid_way_is_named_with_its_content_type() {
    let body = r#"{"access_token": "eyJhbGciOiJSUzI1NiJ9.eyJzdWIi"#;
    let error = error_of(ResponseTemplate::new(200).set_body_raw(body, "application/json")).await;
    let (reason, body_start) = decode_reason(&error);
    assert!(
        reason.contains(&format!(
            "; the body ({} bytes; Content-Type \"application/json\") is not quoted, as it may \
             hold a token",
            body.len()
        )),
        "{reason}"
    );
    assert!(!reason.contains("eyJ"), "{reason}");
    assert!(body_start.is_empty(), "{body_start}");
}

/// The client secret that a page or its `Content-Type` echoes is taken out of what the error
/// says arrived (title, `Content-Type`, start), as it is out of the rest.
#[tokio::test]
async fn an_echoed_client_secret_is_taken_out_of_what_arrived() {
    let page = format!("<html><title>denied {SECRET}</title></html>");
    let error = error_of(
        ResponseTemplate::new(403).set_body_raw(page, &format!("text/html; echo={SECRET}")),
    )
    .await;
    let description = token_description(&error, 403);
    assert!(!description.contains(SECRET), "{description}");
    assert!(
        description.contains("an HTML page titled \"denied ***\" of ")
            && description.contains("(Content-Type \"text/html; echo=***\")"),
        "{description}"
    );
    assert!(!error.to_string().contains(SECRET));
    assert!(!format!("{error:?}").contains(SECRET));
}

/// A proxy's page whose connection closed inside its body (its `Content-Length` not reached;
/// wiremock always sends a body whole, so a server of its own on 127.0.0.1): the refusal of
/// its status, saying that the body was cut and how long it was announced (and its
/// `Content-Type`: tests/pingone_unread_body_content_type.rs).
#[tokio::test]
async fn a_page_cut_mid_way_is_the_refusal_of_its_status() {
    use tokio::io::AsyncWriteExt as _;

    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let announced = PAGE_503.len() + 1000;
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            tokio::spawn(async move {
                if raw_http::read_request(&mut socket).await.is_none() {
                    return;
                }
                let answer = format!(
                    "HTTP/1.1 503 Service Unavailable\r\ncontent-type: text/html\r\n\
                     content-length: {announced}\r\nconnection: close\r\n\r\n{PAGE_503}"
                );
                let _ = socket.write_all(answer.as_bytes()).await;
                let _ = socket.shutdown().await;
            });
        }
    });
    let client = Client::builder()
        .api_base_url(format!("http://{address}/v1"))
        .auth_base_url(format!("http://{address}"))
        .token(TokenSource::client_credentials(ENV, "worker-id", SECRET))
        .retry_policy(RetryPolicy::never())
        .build()
        .unwrap();
    let error = client.get_user(ENV, USER).await.unwrap_err();
    let description = token_description(&error, 503);
    assert!(
        description.contains(&format!(
            "the connection closed inside the answer's body ({announced} bytes announced"
        )),
        "{description}"
    );
}
