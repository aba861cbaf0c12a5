//! Secrets and server text: a client secret or an access token never shows in an error's
//! text or `Debug`, however the server echoes it, and no server text reaches a terminal with
//! its control characters (ANSI escapes) as they are.

use serde_json::json;
use sparse_patch::pingone::sync::OutcomeError;
use sparse_patch::pingone::{Client, ClientAuthMethod, Error, RetryPolicy, TokenSource};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const ENV: &str = "abfba8f6-49eb-49f5-a5d9-80ad5c98f9f6";
const USER: &str = "a38890a6-295a-4d58-9f6e-b72b05fba379";
const TOKEN_PATH: &str = "/abfba8f6-49eb-49f5-a5d9-80ad5c98f9f6/as/token";

fn client(server: &MockServer, source: TokenSource) -> Client {
    Client::builder()
        .api_base_url(format!("{}/v1", server.uri()))
        .auth_base_url(server.uri())
        .token(source)
        .retry_policy(RetryPolicy::never())
        .build()
        .unwrap()
}

/// The text and `Debug` of `error`, and of its `source()` chain.
fn all_text(error: &Error) -> String {
    let mut text = format!("{error}\n{error:?}");
    let mut source = std::error::Error::source(error);
    while let Some(next) = source {
        text.push_str(&format!("\n{next}\n{next:?}"));
        source = next.source();
    }
    text
}

/// A token endpoint whose OAuth error echoes the client secret (in its description, in its
/// code, JSON-escaped): the secret is taken out of the error, as it is from a body that is not
/// an OAuth error.
#[tokio::test]
async fn an_oauth_error_that_echoes_the_secret_does_not_show_it() {
    let secret = "s3cr/t:é";
    for (auth, body) in [
        (
            ClientAuthMethod::Basic,
            json!({"error": "invalid_client", "error_description": format!("bad secret {secret}")}),
        ),
        (
            ClientAuthMethod::Post,
            json!({"error": format!("invalid_client {secret}"), "error_description": null}),
        ),
    ] {
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .and(path(TOKEN_PATH))
            .respond_with(ResponseTemplate::new(401).set_body_json(body.clone()))
            .mount(&server)
            .await;
        let source = TokenSource::client_credentials(ENV, "worker", secret).auth_method(auth);
        let error = client(&server, source)
            .get_user(ENV, USER)
            .await
            .unwrap_err();
        assert!(
            matches!(error, Error::Token { status: 401, .. }),
            "{error:?}"
        );
        let text = all_text(&error);
        assert!(!text.contains(secret), "{body}: {text}");
        assert!(!text.contains("s3cr/t"), "{body}: {text}");
    }
}

/// A users API error that echoes the bearer token, written with JSON escapes (`\/`,
/// `\u0061`): decoded, the message holds the token, which the error must not show.
#[tokio::test]
async fn an_api_error_that_echoes_the_token_escaped_does_not_show_it() {
    let token = "abc/def+ghi";
    for written in [r"abc\/def+ghi", r"\u0061bc/def+ghi", "abc/def+ghi"] {
        let server = MockServer::start().await;
        let body = format!(
            r#"{{"id":"e1","code":"ACCESS_FAILED","message":"token {written} refused","details":[{{"code":"INVALID_TOKEN","target":"{written}","message":"{written}"}}]}}"#
        );
        Mock::given(method("GET"))
            .respond_with(ResponseTemplate::new(403).set_body_raw(body.clone(), "application/json"))
            .mount(&server)
            .await;
        let error = client(&server, TokenSource::bearer(token))
            .get_user(ENV, USER)
            .await
            .unwrap_err();
        assert!(matches!(error, Error::Api { status: 403, .. }), "{error:?}");
        let text = all_text(&error);
        assert!(!text.contains(token), "{body}: {text}");
        assert!(!text.contains(written), "{body}: {text}");
    }
}

/// Server text with control characters (an ANSI escape that clears the screen, a carriage
/// return that overwrites the line) does not reach a terminal as it is through an error's
/// text: PingOne's error fields, a token endpoint's OAuth error.
#[tokio::test]
async fn server_text_in_an_error_shows_no_control_character() {
    let evil = "\u{1b}[2J\u{1b}]0;pwned\u{7}\rOK\u{9b}31m";
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(400).set_body_json(json!({
            "id": format!("id{evil}"),
            "code": format!("INVALID_DATA{evil}"),
            "message": format!("message{evil}"),
            "details": [{"code": format!("X{evil}"), "target": format!("t{evil}"), "message": format!("m{evil}")}],
        })))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path(TOKEN_PATH))
        .respond_with(ResponseTemplate::new(401).set_body_json(json!({
            "error": format!("invalid_client{evil}"),
            "error_description": format!("description{evil}"),
        })))
        .mount(&server)
        .await;
    let api = client(&server, TokenSource::bearer("token"))
        .get_user(ENV, USER)
        .await
        .unwrap_err();
    let token = client(
        &server,
        TokenSource::client_credentials(ENV, "worker", "secret"),
    )
    .get_user(ENV, USER)
    .await
    .unwrap_err();
    let outcome = OutcomeError::from_client_error(&api).to_string();
    assert!(!outcome.contains(char::is_control), "{outcome:?}");
    // Once: the id is in the message, escaped.
    assert_eq!(outcome.matches("PingOne error id").count(), 1, "{outcome}");
    // An outcome read back from a report.
    let mut read = OutcomeError::message(format!("m{evil}"));
    read.error_id = Some(format!("id{evil}"));
    let read = read.to_string();
    assert!(!read.contains(char::is_control), "{read:?}");
    // A filter holds feed or caller text; serde_json escapes only the controls below U+0020.
    let several = Error::SeveralMatches {
        filter: "email eq \"a\u{9b}2J\u{7f}@example.com\"".into(),
        user_ids: Vec::new(),
    };
    assert!(!several.to_string().contains(char::is_control), "{several}");
    for error in [api, token] {
        let text = error.to_string();
        assert!(!text.contains(char::is_control), "{text:?}");
        // Escaped, not dropped: the text still says what arrived.
        assert!(text.contains(r"\u{1b}[2J"), "{text}");
    }
}

/// The `Debug` of a builder given an HTTP client of the user's own, with a proxy that holds
/// credentials and a default `Authorization` header: neither shows.
#[test]
fn a_builder_with_an_own_http_client_does_not_show_its_credentials() {
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert(
        reqwest::header::AUTHORIZATION,
        reqwest::header::HeaderValue::from_static("Basic cHJveHktc2VjcmV0"),
    );
    let _ = rustls::crypto::ring::default_provider().install_default();
    let http = reqwest::Client::builder()
        .proxy(reqwest::Proxy::all("http://user:proxy-password@127.0.0.1:3128").unwrap())
        .default_headers(headers)
        .build()
        .unwrap();
    let builder = Client::builder()
        .api_base_url("https://api.pingone.eu/v1")
        .token(TokenSource::bearer("the-token"))
        .proxy("http://user:proxy-password@127.0.0.1:3128")
        .http_client(http);
    let shown = format!("{builder:?}");
    for secret in ["proxy-password", "cHJveHktc2VjcmV0", "the-token"] {
        assert!(!shown.contains(secret), "{secret}: {shown}");
    }
}

/// `url` given as the API base URL, the auth base URL and the token URL: each builder's
/// `Debug` and its refusal (`Error::Config`, all its text) leave out the URL's password
/// (`url-password`).
fn assert_refused_without_its_password(url: &str) {
    let builders = [
        Client::builder()
            .api_base_url(url)
            .token(TokenSource::bearer("t")),
        Client::builder()
            .region(sparse_patch::pingone::Region::Europe)
            .auth_base_url(url)
            .token(TokenSource::client_credentials(ENV, "id", "secret")),
        Client::builder()
            .region(sparse_patch::pingone::Region::Europe)
            .token_url(url)
            .token(TokenSource::client_credentials(ENV, "id", "secret")),
    ];
    for builder in builders {
        let shown = format!("{builder:?}");
        assert!(!shown.contains("url-password"), "{url}: {shown}");
        let error = builder.build().unwrap_err();
        let text = all_text(&error);
        assert!(!text.contains("url-password"), "{url}: {text}");
        assert!(matches!(error, Error::Config(_)), "{url}: {error:?}");
    }
}

/// A base or token URL that holds credentials and is refused for another reason (its scheme,
/// a query, a fragment, a syntax error) did not show them in the error.
#[test]
fn a_refused_url_does_not_show_its_credentials() {
    for url in [
        "https://user:url-password@auth.example.com/as/token?x=1",
        "https://user:url-password@auth.example.com/as/token#f",
        "ftp://user:url-password@auth.example.com/as/token",
        "https://user:url-password@auth.example.com:99999/as/token",
        "https://user:url-password@auth.example.com/as/token",
    ] {
        assert_refused_without_its_password(url);
    }
}

/// An answer whose body is JSON but neither a PingOne nor an OAuth error (a gateway's
/// `{"error": ...}`, a cut body) and echoes the token or the secret with JSON escapes (`\/`,
/// `\u0061`, `\u002F` in either case): the body start that the error shows did not decode
/// them, and a reader could.
#[tokio::test]
async fn a_body_that_is_not_an_error_object_shows_no_escaped_secret() {
    let token = "abc/def+ghi";
    for written in [
        r"\u0061bc/def+ghi",
        r"abc\u002Fdef+ghi",
        r"abc\u002fdef\u002Bghi",
        r"abc\/def+ghi",
    ] {
        for body in [
            format!(r#"{{"error":"token {written} refused"}}"#),
            format!(r#"{{"error":"token {written} refu"#),
        ] {
            let server = MockServer::start().await;
            Mock::given(method("GET"))
                .respond_with(
                    ResponseTemplate::new(403).set_body_raw(body.clone(), "application/json"),
                )
                .mount(&server)
                .await;
            let error = client(&server, TokenSource::bearer(token))
                .get_user(ENV, USER)
                .await
                .unwrap_err();
            assert!(matches!(error, Error::Decode { .. }), "{error:?}");
            let text = all_text(&error);
            assert!(!text.contains("def"), "{body}: {text}");
            assert!(text.contains("token *** refu"), "{body}: {text}");
        }
    }
    let secret = "s3cr/t:é";
    for written in [r"s3cr\/t:\u00e9", r"\u0073\u0033cr/t:\u00E9", r"s3cr\/t:é"] {
        let server = MockServer::start().await;
        let body = format!(r#"{{"fault":"bad client secret {written}"}}"#);
        Mock::given(method("POST"))
            .and(path(TOKEN_PATH))
            .respond_with(ResponseTemplate::new(401).set_body_raw(body.clone(), "application/json"))
            .mount(&server)
            .await;
        let source = TokenSource::client_credentials(ENV, "worker", secret);
        let error = client(&server, source)
            .get_user(ENV, USER)
            .await
            .unwrap_err();
        let text = all_text(&error);
        assert!(
            !text.contains("cr/t") && !text.contains(r"cr\/t"),
            "{body}: {text}"
        );
        assert!(text.contains("bad client secret ***"), "{body}: {text}");
    }
}

/// Invisible characters in server text (a zero-width space in the username an error quotes,
/// a right-to-left mark, a line separator) showed as they are, so that the text read
/// `dspanner` where the server said `dspanner` plus U+200B: they are escaped as the control
/// characters are.
#[test]
fn server_text_in_an_error_shows_its_invisible_characters() {
    let error: sparse_patch::pingone::ApiError = serde_json::from_value(json!({
        "code": "INVALID_DATA",
        "message": "username dspanner\u{200b} is taken\u{2028}",
        "details": [{"code": "X", "target": "a\u{200e}b", "message": "\u{feff}m\u{2029}"}],
    }))
    .unwrap();
    let text = error.to_string();
    for escaped in [
        r"dspanner\u{200b} ",
        r"\u{2028}",
        r"a\u{200e}b",
        r"\u{feff}m\u{2029}",
    ] {
        assert!(text.contains(escaped), "{escaped}: {text}");
    }
    let text = Error::InvalidInput("x\u{200d}y\u{ad}".into()).to_string();
    assert!(text.contains(r"x\u{200d}y\u{ad}"), "{text}");
    // Visible text stays as it is.
    let text = Error::InvalidInput("Zoë 🚀 ☃\u{fe0f} ü".into()).to_string();
    assert!(text.ends_with("Zoë 🚀 ☃\u{fe0f} ü"), "{text}");
}

/// A dialect error quotes the caller's values (a keyed array's key value, as JSON, which
/// escapes only the controls below U+0020): Error's Display passed them on as they were.
#[test]
fn a_dialect_error_in_an_error_shows_no_control_character() {
    let error = Error::Dialect(sparse_patch::DialectError::DuplicateKey {
        attribute: "emails".into(),
        key: "value".into(),
        value: "\"a\u{9b}2J\u{7f}\u{200b}\"".into(),
        in_patch: true,
    });
    let text = error.to_string();
    assert!(!text.contains(char::is_control), "{text:?}");
    assert!(text.contains(r"a\u{9b}2J\u{7f}\u{200b}"), "{text}");
}

/// A 2xx body that echoes the token in an attribute of another type: the decoder's reason
/// quotes the value (`invalid type: string "...", expected a boolean`), and showed the token
/// while the body start beside it hid it. In a user's document no string value is quoted
/// (its length is said); in a body that is a bare JSON string, quoted with the rest of the
/// body, the token is replaced by `***`.
#[tokio::test]
async fn a_decoder_reason_that_quotes_the_token_does_not_show_it() {
    let token = "abc/def+ghi";
    for (body, shown_instead) in [
        (
            r#"{"id":"a38890a6-295a-4d58-9f6e-b72b05fba379","enabled":"abc\/def+ghi"}"#,
            "(11 characters, not shown)",
        ),
        (r#""abc\/def+ghi""#, "***"),
    ] {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .respond_with(ResponseTemplate::new(200).set_body_raw(body, "application/json"))
            .mount(&server)
            .await;
        let error = client(&server, TokenSource::bearer(token))
            .get_user(ENV, USER)
            .await
            .unwrap_err();
        assert!(
            matches!(error, Error::Decode { status: 200, .. }),
            "{error:?}"
        );
        let text = all_text(&error);
        assert!(!text.contains("def+ghi"), "{text}");
        assert!(text.contains(shown_instead), "{text}");
    }
}

/// A URL written without its scheme (`user:password@host`) reads as a URL of the scheme
/// `user` whose path is `password@host`: it has no user information to hide, and the
/// refusal showed the password.
#[test]
fn a_url_without_its_scheme_does_not_show_its_credentials() {
    for url in [
        "user:url-password@auth.example.com/as/token",
        "admin:url-password@[::1]:8080",
        "mailto:url-password@example.com",
    ] {
        assert_refused_without_its_password(url);
    }
}
