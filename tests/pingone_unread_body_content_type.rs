//! The `Content-Type` of an answer whose body was not read whole, named by its error as the
//! error of a body read whole names it: a body cut short (`Error::Incomplete`, or the token
//! endpoint's refusal so cut, `Error::Token`) and a body larger than `MAX_BODY_BYTES`
//! (`Error::Decode`), of the API and of the token endpoint alike. These errors named none,
//! where what was on its way (a proxy's page or the JSON asked for) is the first thing to
//! know (review 193). The request's token and client secret, which a proxy that echoes the
//! request's headers may write there, are taken out.
//!
//! wiremock sends every body whole: a body cut short comes from a server of its own on
//! 127.0.0.1 (tests/support/raw_http.rs).

use sparse_patch::pingone::{Client, Error, MAX_BODY_BYTES, RetryPolicy, TokenSource};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[path = "support/raw_http.rs"]
mod raw_http;

const ENV: &str = "abfba8f6-49eb-49f5-a5d9-80ad5c98f9f6";
const USER: &str = "a38890a6-295a-4d58-9f6e-b72b05fba379";
const TOKEN_PATH: &str = "/abfba8f6-49eb-49f5-a5d9-80ad5c98f9f6/as/token";
const BEARER: &str = "a-static-bearer-token-7Qz";
const SECRET: &str = "Xk2-client-secret-9fQ";

/// A client of `base` (`http://127.0.0.1:port`) that sends `BEARER`, without retries.
fn bearer_client(base: &str) -> Client {
    Client::builder()
        .api_base_url(format!("{base}/v1"))
        .token(TokenSource::bearer(BEARER))
        .retry_policy(RetryPolicy::never())
        .build()
        .unwrap()
}

/// A client of `base` whose worker token is asked of `base`'s token endpoint with `SECRET`,
/// without retries.
fn worker_client(base: &str) -> Client {
    Client::builder()
        .api_base_url(format!("{base}/v1"))
        .auth_base_url(base)
        .token(TokenSource::client_credentials(ENV, "worker-id", SECRET))
        .retry_policy(RetryPolicy::never())
        .build()
        .unwrap()
}

/// The base URL of a server on 127.0.0.1 that answers every request with `status` and
/// `content_type`, announcing 1,000 bytes of body and closing after 10.
async fn cutting_server(status: &str, content_type: &str) -> String {
    let answer = format!(
        "HTTP/1.1 {status}\r\ncontent-type: {content_type}\r\ncontent-length: 1000\r\n\
         connection: close\r\n\r\n<html><ti"
    );
    let (address, _) = raw_http::answering_every_request(answer.leak().as_bytes()).await;
    format!("http://{address}")
}

/// `MAX_BODY_BYTES` is the 16 MiB the client chapter names (`docs/pingone_client`, **Errors**).
#[test]
fn the_largest_body_read_is_16_mib() {
    assert_eq!(MAX_BODY_BYTES, 16_777_216);
}

/// A body one byte larger than `MAX_BODY_BYTES`, under `content_type`.
fn too_large(status: u16, content_type: &str) -> ResponseTemplate {
    let mut body = b"<html>".to_vec();
    body.resize(MAX_BODY_BYTES + 1, b'a');
    ResponseTemplate::new(status).set_body_raw(body, content_type)
}

/// The text and `Debug` of `error` hold neither `BEARER` nor `SECRET`.
fn assert_no_secret(error: &Error) {
    for shown in [error.to_string(), format!("{error:?}")] {
        assert!(
            !shown.contains(BEARER) && !shown.contains(SECRET),
            "{shown}"
        );
    }
}

#[tokio::test]
async fn an_api_body_cut_short_names_its_content_type() {
    for (status, content_type, expected) in [
        (
            "503 Service Unavailable",
            "text/html; charset=iso-8859-1",
            "text/html; charset=iso-8859-1",
        ),
        // A 2xx's too (whose JSON is what was on its way), and the token that a proxy
        // echoed into the header taken out.
        (
            "200 OK",
            "application/json; x-echo=a-static-bearer-token-7Qz",
            "application/json; x-echo=***",
        ),
    ] {
        let base = cutting_server(status, content_type).await;
        let error = bearer_client(&base).get_user(ENV, USER).await.unwrap_err();
        assert!(
            matches!(&error, Error::Incomplete { content_type: Some(kind), .. } if kind == expected),
            "{error:?}"
        );
        let text = error.to_string();
        assert!(
            text.contains(&format!(
                "body was cut short (its Content-Length announced 1000 bytes; Content-Type \
                 {expected:?}) after 1 attempt(s)"
            )),
            "{text}"
        );
        assert_no_secret(&error);
    }
}

#[tokio::test]
async fn an_api_body_too_large_names_its_content_type() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(too_large(
            400,
            "text/html; x-echo=a-static-bearer-token-7Qz",
        ))
        .mount(&server)
        .await;
    let error = bearer_client(&server.uri())
        .get_user(ENV, USER)
        .await
        .unwrap_err();
    let Error::Decode {
        status: 400,
        reason,
        ..
    } = &error
    else {
        panic!("{error:?}")
    };
    assert!(
        reason.ends_with(&format!(
            "larger than {MAX_BODY_BYTES} bytes (MAX_BODY_BYTES), more than any PingOne \
             answer; it was not read; Content-Type \"text/html; x-echo=***\""
        )),
        "{reason}"
    );
    assert_no_secret(&error);
}

#[tokio::test]
async fn a_token_answer_cut_short_names_its_content_type() {
    // A refusal so cut is the token error of its status; its description names it.
    let base = cutting_server("503 Service Unavailable", "text/html").await;
    let error = worker_client(&base).get_user(ENV, USER).await.unwrap_err();
    let Error::Token {
        status: 503,
        description: Some(description),
        ..
    } = &error
    else {
        panic!("{error:?}")
    };
    assert!(
        description.starts_with(
            "the connection closed inside the answer's body (1000 bytes announced; \
             Content-Type \"text/html\"), before its code arrived"
        ),
        "{description}"
    );
    // A token response so cut, whose JSON may hold the token, with the client secret that a
    // proxy echoed into the header taken out.
    let base = cutting_server("200 OK", &format!("application/json; x-echo={SECRET}")).await;
    let error = worker_client(&base).get_user(ENV, USER).await.unwrap_err();
    assert!(
        matches!(&error, Error::Incomplete { status: 200, content_type: Some(kind), .. }
            if kind == "application/json; x-echo=***"),
        "{error:?}"
    );
    assert!(
        error
            .to_string()
            .contains("; Content-Type \"application/json; x-echo=***\")"),
        "{error}"
    );
    assert_no_secret(&error);
}

#[tokio::test]
async fn a_token_answer_too_large_names_its_content_type() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(TOKEN_PATH))
        .respond_with(too_large(200, &format!("text/html; x-echo={SECRET}")))
        .mount(&server)
        .await;
    let error = worker_client(&server.uri())
        .get_user(ENV, USER)
        .await
        .unwrap_err();
    let Error::Decode {
        status: 200,
        reason,
        ..
    } = &error
    else {
        panic!("{error:?}")
    };
    assert!(
        reason.ends_with("it was not read; Content-Type \"text/html; x-echo=***\""),
        "{reason}"
    );
    assert_no_secret(&error);
}
