//! Every way the client describes an answer, checked against one another: each call that
//! reads an answer (a merge PATCH, a SCIM PATCH, a read, a list's first page, a worker
//! token) against each status class and each kind of body, with invariants that hold for
//! every cell. The rules that say an answer (202 is not applied, a redirect names its
//! `Location`, a UTF-16 body is said so, a 2xx PingOne error body is said with its code, a
//! `Content-Encoding` body is said encoded) were each added alone; two of them contradicted
//! each other, and only a full test run found it. This matrix finds such pairs at once.

use futures_util::StreamExt;
use serde_json::{Value, json};
use sparse_patch::pingone::{Client, Error, RetryPolicy, TokenSource, UserPatch, UserQuery};
use sparse_patch::{ScimOperation, ScimPatch};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[path = "support/mock_pingone.rs"]
mod mock_pingone;
use mock_pingone::{ENV, TOKEN_PATH, USER, USER_PATH, USERS_PATH};

/// The bearer token the API calls carry, echoed by every body.
const BEARER: &str = "MatrixBearer7q2w9e";
/// The worker's client secret, echoed by every body.
const CLIENT_SECRET: &str = "MatrixSecret4r5t6y";

/// The first bytes of a gzip stream (RFC 1952), whose header holds NUL bytes.
const GZIP: &[u8] = &[
    0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 0xab, 0xae, 5, 0, 0x43, 0xbf,
];

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Call {
    MergePatch,
    ScimPatch,
    GetUser,
    ListFirstPage,
    WorkerToken,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Body {
    User,
    OtherUser,
    PingOneError,
    OAuthError,
    Empty,
    HtmlPage,
    Gzip,
    Utf16,
    EncodedTwice,
}

const CALLS: [Call; 5] = [
    Call::MergePatch,
    Call::ScimPatch,
    Call::GetUser,
    Call::ListFirstPage,
    Call::WorkerToken,
];
const BODIES: [Body; 9] = [
    Body::User,
    Body::OtherUser,
    Body::PingOneError,
    Body::OAuthError,
    Body::Empty,
    Body::HtmlPage,
    Body::Gzip,
    Body::Utf16,
    Body::EncodedTwice,
];
const STATUSES: [u16; 12] = [200, 202, 204, 301, 303, 307, 400, 401, 404, 429, 502, 503];

/// A user document whose `title` echoes both secrets.
fn user_document(id: &str) -> Value {
    json!({
        "id": id, "username": "dspanner", "email": "dspanner@example.com",
        "title": format!("echo {BEARER} {CLIENT_SECRET}"),
    })
}

/// The bytes and headers of `body`.
fn answer(status: u16, body: Body) -> ResponseTemplate {
    let echo = format!("{BEARER} {CLIENT_SECRET}");
    let template = ResponseTemplate::new(status);
    let template = if (300..400).contains(&status) {
        template.insert_header("location", "https://elsewhere.example/moved")
    } else {
        template
    };
    let json = |value: Value| value.to_string().into_bytes();
    let (bytes, content_type): (Vec<u8>, &str) = match body {
        Body::User => (json(user_document(USER)), "application/json"),
        Body::OtherUser => (
            json(user_document("0c7a1b52-2d5e-4f47-9f0a-6d4c1a0e9b11")),
            "application/json",
        ),
        Body::PingOneError => (
            json(json!({
                "id": "5f1a2b3c-0000-4000-8000-000000000001",
                "code": "INVALID_DATA",
                "message": format!("refused, token was {echo}"),
            })),
            "application/json",
        ),
        Body::OAuthError => (
            json(json!({
                "error": "invalid_client",
                "error_description": format!("refused {echo}"),
            })),
            "application/json",
        ),
        Body::Empty => (Vec::new(), "application/json"),
        Body::HtmlPage => (
            format!("<html><body>Sign in again ({echo})</body></html>").into_bytes(),
            "text/html",
        ),
        Body::Gzip => {
            let mut bytes = GZIP.to_vec();
            bytes.extend_from_slice(echo.as_bytes());
            return template
                .insert_header("content-encoding", "gzip")
                .set_body_raw(bytes, "application/json");
        }
        Body::Utf16 => {
            let mut bytes = vec![0xff, 0xfe];
            for unit in user_document(USER).to_string().encode_utf16() {
                bytes.extend_from_slice(&unit.to_le_bytes());
            }
            (bytes, "application/json; charset=utf-16")
        }
        Body::EncodedTwice => (
            json(Value::String(user_document(USER).to_string())),
            "application/json",
        ),
    };
    template.set_body_raw(bytes, content_type)
}

fn client(server: &MockServer, call: Call) -> Client {
    let token = if call == Call::WorkerToken {
        TokenSource::client_credentials(ENV, "worker", CLIENT_SECRET)
    } else {
        TokenSource::bearer(BEARER)
    };
    Client::builder()
        .api_base_url(format!("{}/v1", server.uri()))
        .auth_base_url(server.uri())
        .token(token)
        .retry_policy(RetryPolicy::never())
        .build()
        .unwrap()
}

/// What the call returned: `Ok(())` or its error.
async fn run(server: &MockServer, call: Call, status: u16, body: Body) -> Result<(), Error> {
    server.reset().await;
    let cell = answer(status, body);
    match call {
        Call::WorkerToken => {
            Mock::given(method("POST"))
                .and(path(TOKEN_PATH))
                .respond_with(cell)
                .mount(server)
                .await;
            Mock::given(method("GET"))
                .and(path(USER_PATH))
                .respond_with(ResponseTemplate::new(200).set_body_json(user_document(USER)))
                .mount(server)
                .await;
        }
        Call::ListFirstPage => {
            Mock::given(method("GET"))
                .and(path(USERS_PATH))
                .respond_with(cell)
                .mount(server)
                .await;
        }
        _ => {
            Mock::given(wiremock::matchers::any())
                .and(path(USER_PATH))
                .respond_with(cell)
                .mount(server)
                .await;
        }
    }
    let client = client(server, call);
    match call {
        Call::MergePatch => client
            .update_user(ENV, USER, &UserPatch::new().title("Boss"))
            .await
            .map(drop),
        Call::ScimPatch => {
            let patch = ScimPatch::new(vec![ScimOperation::replace("title", json!("Boss"))]);
            client
                .update_user_scim_patch::<Value>(ENV, USER, &patch)
                .await
                .map(drop)
        }
        Call::GetUser | Call::WorkerToken => client.get_user(ENV, USER).await.map(drop),
        Call::ListFirstPage => {
            let mut pages = std::pin::pin!(client.list_users(ENV, &UserQuery::all()));
            match pages.next().await {
                Some(result) => result.map(drop),
                None => Ok(()),
            }
        }
    }
}

/// The ways a cell's error contradicts itself or the answer; empty when it holds.
fn broken_invariants(
    call: Call,
    status: u16,
    body: Body,
    result: &Result<(), Error>,
) -> Vec<String> {
    let mut broken = Vec::new();
    let error = match result {
        Ok(()) => {
            let plain_success = match call {
                Call::MergePatch | Call::ScimPatch => {
                    (status == 200 && body == Body::User) || (status == 204 && body == Body::Empty)
                }
                // A read answered 202 with the user's own document has read it.
                Call::GetUser => matches!(status, 200 | 202) && body == Body::User,
                // A list of no users (a body without `_embedded`) may be read as none.
                Call::ListFirstPage => (200..300).contains(&status),
                Call::WorkerToken => false,
            };
            if !plain_success {
                broken.push("returned Ok".to_owned());
            }
            return broken;
        }
        Err(error) => error,
    };
    if error.status() != Some(status) {
        broken.push(format!("status() is {:?}", error.status()));
    }
    let text = error.to_string();
    let debug = format!("{error:?}");
    // The client can take out only the secret it holds.
    let held = if call == Call::WorkerToken {
        CLIENT_SECRET
    } else {
        BEARER
    };
    if format!("{text}\n{debug}").contains(held) {
        broken.push(format!("shows the secret {held}"));
    }
    let says_done = ["did what was asked", "the request succeeded"]
        .iter()
        .any(|claim| text.contains(claim));
    let says_unknown = [
        "not known to be made",
        "not known to be done",
        "cannot be told from it",
        "might or might not",
    ]
    .iter()
    .any(|claim| text.contains(claim));
    if says_done && says_unknown {
        broken.push("says both done and not known to be done".to_owned());
    }
    if says_done && !(200..300).contains(&status) {
        broken.push("says an error status succeeded".to_owned());
    }
    if says_done && status == 202 && call != Call::WorkerToken {
        broken.push("says a 202 did what was asked".to_owned());
    }
    if body == Body::Gzip && text.contains("UTF-16") {
        broken.push("says an encoded body is UTF-16".to_owned());
    }
    // A 204's body is dropped on the way (RFC 9110 §15.3.5): it is empty when it arrives.
    if body != Body::Empty && status != 204 && text.contains("the body is empty") {
        broken.push("says a body is empty".to_owned());
    }
    if body == Body::Empty && text.contains("not JSON") {
        broken.push("says no body is not JSON".to_owned());
    }
    // A redirect is said as one, whatever its body (the `Location` names where to look); a
    // 429 as a rate limit; a PATCH's 202 as a change accepted only. A 204's body is dropped.
    let patch = matches!(call, Call::MergePatch | Call::ScimPatch);
    let described = status != 204
        && status != 429
        && !(300..400).contains(&status)
        && !(patch && status == 202);
    if body == Body::Utf16 && described && !text.contains("UTF-16") {
        broken.push("does not say UTF-16".to_owned());
    }
    if body == Body::Gzip && described && !text.contains("Content-Encoding") {
        broken.push("does not say Content-Encoding".to_owned());
    }
    if body == Body::PingOneError
        && described
        && call != Call::WorkerToken
        && !text.contains("INVALID_DATA")
    {
        broken.push("loses the PingOne error's code".to_owned());
    }
    if body == Body::OAuthError
        && described
        && call == Call::WorkerToken
        && !format!("{text}\n{debug}").contains("invalid_client")
    {
        broken.push("loses the OAuth error's code".to_owned());
    }
    if (300..400).contains(&status) && !text.contains("elsewhere.example") {
        broken.push("does not name the Location".to_owned());
    }
    broken
}

/// Every cell of the matrix holds every invariant; the failures are listed together. It found
/// two: a 4xx or 5xx body in UTF-16 was said to be "not a PingOne error body" only, where a
/// 2xx's and a token error's say UTF-16; and a 202 to a read or a list that could not be
/// read said "the request succeeded: the server did what was asked", which 202 Accepted
/// denies (RFC 9110 §15.3.3).
#[tokio::test]
async fn every_answer_is_described_without_contradiction() {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let server = MockServer::start().await;
    let mut failures = Vec::new();
    for call in CALLS {
        for status in STATUSES {
            for body in BODIES {
                let result = run(&server, call, status, body).await;
                let broken = broken_invariants(call, status, body, &result);
                if !broken.is_empty() {
                    let shown = match &result {
                        Ok(()) => "Ok".to_owned(),
                        Err(error) => error.to_string(),
                    };
                    failures.push(format!(
                        "{call:?} HTTP {status} {body:?}: {}\n    {shown}",
                        broken.join("; ")
                    ));
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} cells broke:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
