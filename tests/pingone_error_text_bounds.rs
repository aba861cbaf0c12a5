//! Every public error type of `pingone` that can carry a caller's, a feed's, a report's or a
//! server's text: its text and `Debug` for hostile input (`support/error_text.rs`: a megabyte
//! of one character, of line ends and ANSI escapes, of wide characters, of bidi overrides and
//! zero-width spaces, and a short one), built through the public API. Each stays within a few
//! kilobytes, escapes every character that would drive a terminal or break a line, and still
//! says what is at fault; the fields keep everything. The crate root's errors:
//! tests/error_text_bounds.rs.

#[path = "support/error_text.rs"]
mod error_text;

use std::str::FromStr;

use serde_json::json;
use sparse_patch::pingone::emulator::Emulator;
use sparse_patch::pingone::sync::{OutcomeError, failed_lines, parse_line, rerun_lines};
use sparse_patch::pingone::{
    ApiError, Client, ClientAuthMethod, Error, Region, TokenSource, UserFilter, UserPatch,
    check_patch,
};
use sparse_patch::{Field, Patchable};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

#[path = "support/mock_pingone.rs"]
mod mock_pingone;
use mock_pingone::{ENV, USER, bearer, worker};

use error_text::{bounded, inputs, refused};

/// A region or an authentication method of a megabyte (a variable, a flag): the text quoted
/// 64 characters of it, and the derived `Debug` (which `unwrap` prints) all of it.
#[test]
fn an_unknown_region_or_auth_method_is_cut_in_debug_too() {
    for input in inputs() {
        let error = refused(Region::from_str(&input));
        let (text, debug) = bounded("UnknownRegion", &error);
        assert!(text.starts_with("unknown PingOne region \""), "{text}");
        assert!(debug.starts_with("UnknownRegion(\""), "{debug}");
        assert_eq!(error.input(), input.trim());
        let error = refused(ClientAuthMethod::from_str(&input));
        let (text, debug) = bounded("UnknownAuthMethod", &error);
        assert!(
            text.starts_with("unknown token endpoint authentication method \""),
            "{text}"
        );
        assert!(debug.starts_with("UnknownAuthMethod(\""), "{debug}");
    }
}

/// A filter's operator or attribute of a megabyte, and text after a filter: the text quoted
/// 64 characters of each, and the derived `Debug` the operator and the attribute whole.
#[test]
fn a_filters_operator_and_attribute_are_cut_in_debug_too() {
    for input in inputs() {
        for filter in [
            format!("email {input} \"a\""),
            format!("{input} eq \"a\""),
            format!("email eq \"a\" {input}"),
            format!("email eq {}", json!(input)),
        ] {
            let Err(error) = UserFilter::from_str(&filter) else {
                continue;
            };
            let (text, _) = bounded("FilterError", &error);
            assert!(text.starts_with("the "), "{text}");
        }
    }
}

/// A report whose line is an outcome but for a value serde quotes (an unknown `status` of a
/// megabyte of line ends and escapes): the message was cut, but its line ends and escapes
/// reached the text as they are.
#[test]
fn a_reports_line_is_escaped_and_cut() {
    for input in inputs() {
        let report = format!("{}\n", json!({"line": 1, "status": input}));
        for error in [
            refused(rerun_lines(report.as_bytes())),
            refused(failed_lines(report.as_bytes())),
        ] {
            let (text, _) = bounded("ReportError", &error);
            assert!(
                text.starts_with("line 1 of the report is not an outcome"),
                "{text}"
            );
            assert!(text.contains("unknown variant"), "{text}");
        }
    }
}

/// A feed's line with a name, a key or a value of a megabyte: the line's error and the
/// outcome made of it.
#[test]
fn a_feed_lines_error_is_escaped_and_cut() {
    for input in inputs() {
        let lines = [
            json!({"username": "ada", input.as_str(): 1}),
            json!({"username": "ada", "nickname": {input.as_str(): 1}}),
            json!({"username": input}),
            json!({"email": input}),
            json!({"id": input}),
            json!({"username": "ada", "title": input}),
            json!({"username": "ada", "name": {"given": [input]}}),
        ];
        for line in lines {
            let Err(error) = parse_line(1, &line.to_string(), None) else {
                continue;
            };
            bounded("LineError", &error);
            bounded("OutcomeError", &OutcomeError::from_line_error(&error));
        }
    }
}

/// An outcome's error whose texts are a megabyte: one made with a message of the caller's, and
/// one read back from a report line (whose `message`, `code`, `errorId` and `correlationId` a
/// hand-edited or hostile report sets). Its text escaped the message but showed all of it, and
/// its derived `Debug` (which the `Debug` of its `Outcome` prints) every text whole.
#[test]
fn an_outcomes_error_is_escaped_and_cut() {
    for input in inputs() {
        // An id that the message does not hold, which the text then gives after it.
        let id = format!("id {input}");
        let mut made = OutcomeError::message(&input);
        made.error_id = Some(id.clone());
        let read: OutcomeError = serde_json::from_value(json!({
            "message": input, "httpStatus": 400, "code": input, "errorId": id,
            "correlationId": input, "mayHaveBeenApplied": true,
        }))
        .unwrap();
        for error in [made, read] {
            let (text, debug) = bounded("OutcomeError", &error);
            // What is at fault: the message's start, and PingOne's error id.
            let start: String = input.chars().take(20).collect();
            let start = sparse_patch::pingone::sync::printable(&start);
            assert!(text.starts_with(&start), "{text}");
            assert!(text.contains(" (PingOne error id id "), "{text}");
            assert!(debug.starts_with("OutcomeError { message: \""), "{debug}");
            assert!(debug.contains("error_id: Some("), "{debug}");
        }
    }
}

/// PingOne's error body, with every text of a megabyte: the text and `Debug` of `ApiError`,
/// the `Debug` of its `ErrorDetail` (which has no text of its own).
#[test]
fn an_error_body_is_escaped_and_cut() {
    for input in inputs() {
        let body: ApiError = serde_json::from_value(json!({
            "id": input, "code": input, "message": input,
            "details": [{"code": input, "target": input, "message": input}],
        }))
        .unwrap();
        // Its text and `Debug` show each of its six texts up to 1,000 characters (and up to 50
        // details): 6,000 characters, each escaped in up to 8 bytes (`\u{202e}`), no more.
        let text = body.to_string();
        assert!(text.len() <= 6 * 1_000 * 8 + 200, "{}", text.len());
        error_text::escaped("ApiError", "text", &text);
        let debug = format!("{body:?}");
        assert!(debug.len() <= 6 * 1_000 * 8 + 400, "{}", debug.len());
        error_text::escaped("ApiError", "Debug", &debug);
        // Three texts of up to 1,000 characters each.
        let debug = format!("{:?}", body.details[0]);
        assert!(debug.len() <= 3 * 1_000 * 8 + 200, "{}", debug.len());
        error_text::escaped("ErrorDetail", "Debug", &debug);
    }
}

/// A plain `http` URL or one that is no URL, of a megabyte, given to the builder: the
/// refusal and the client's `Error::Config`.
#[test]
fn a_refused_url_is_cut() {
    for input in inputs() {
        for url in [format!("http://10.0.0.1/{input}"), format!("{input}://x")] {
            let builder = Client::builder()
                .api_base_url(url)
                .token(TokenSource::bearer("emulator-access-token"));
            if let Some(refusal) = builder.plain_http_refusal() {
                let (text, _) = bounded("PlainHttpRefusal", &refusal);
                assert!(text.contains("clear text"), "{text}");
            }
            bounded("pingone::Error", &refused(builder.build()));
        }
    }
}

/// A server answering every request with `status` and the JSON `body`.
async fn answering(status: u16, body: serde_json::Value) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(status).set_body_json(body))
        .mount(&server)
        .await;
    server
}

/// `input`'s first 10,000 characters: ten times what an error shows of one text, and small
/// enough that a body of a dozen of them is read.
fn long(input: &str) -> String {
    input.chars().take(10_000).collect()
}

/// PingOne's error body of a 400 or a 429 whose every text is long and whose 60 details each
/// hold three texts of 1,000 characters (what `ApiError` shows of each): `Error::Api` and
/// `Error::RateLimited` showed each text cut and the first 50 details, 150,000 characters
/// together, and their `Debug` as much.
#[tokio::test]
async fn an_api_error_of_many_long_texts_is_cut_as_a_whole() {
    for input in inputs() {
        let (input, short) = (long(&input), input.chars().take(1_000).collect::<String>());
        let detail = json!({"code": short, "target": short, "message": short});
        let body = json!({"id": input, "code": input, "message": input, "target": input,
            "details": vec![detail; 60]});
        for status in [400, 429] {
            let server = answering(status, body.clone()).await;
            let error = refused(bearer(&server).get_user(ENV, USER).await);
            assert!(
                matches!(error, Error::Api { .. } | Error::RateLimited { .. }),
                "{error:?}"
            );
            let (text, debug) = bounded("pingone::Error", &error);
            assert!(text.starts_with("PingOne "), "{text}");
            assert!(text.ends_with("after 1 attempt(s)"), "{text}");
            // PingOne's key to its logs, which the body's text ends with, said after the cut.
            assert!(text.contains(" (PingOne error id "), "{text}");
            assert!(debug.starts_with("Api {") || debug.starts_with("RateLimited {"));
        }
    }
}

/// The token endpoint's OAuth error whose `error` and `error_description` are long: the text
/// showed the code up to 1,000 characters and the description up to 3,000, escaped (up to
/// 18 KB), and `Debug` both whole.
#[tokio::test]
async fn a_token_refusal_of_long_texts_is_cut() {
    for input in inputs() {
        let input = long(&input);
        let server = answering(400, json!({"error": input, "error_description": input})).await;
        let error = refused(worker(&server).get_user(ENV, USER).await);
        assert!(matches!(error, Error::Token { .. }), "{error:?}");
        let (text, debug) = bounded("pingone::Error", &error);
        assert!(
            text.starts_with("the token request answered HTTP 400: "),
            "{text}"
        );
        assert!(debug.starts_with("Token {"), "{debug}");
    }
}

/// The chapter's exact bounds of a token refusal's text: the OAuth `error` up to 1,000
/// characters and the `error_description` up to 3,000, each followed by its whole length.
#[tokio::test]
async fn a_token_refusal_shows_1000_characters_of_its_code_and_3000_of_its_description() {
    let (code, description) = ("c".repeat(1_500), "d".repeat(4_000));
    let server = answering(
        400,
        json!({"error": code, "error_description": description}),
    )
    .await;
    let text = refused(worker(&server).get_user(ENV, USER).await).to_string();
    assert!(text.contains(&"c".repeat(1_000)), "{text}");
    assert!(!text.contains(&"c".repeat(1_001)), "{text}");
    assert!(text.contains("… (1500 characters)"), "{text}");
    assert!(text.contains(&"d".repeat(3_000)), "{text}");
    assert!(!text.contains(&"d".repeat(3_001)), "{text}");
    assert!(text.contains("… (4000 characters)"), "{text}");
}

/// A body that is not the JSON expected, long: a 502's page, a 200 whose member has the
/// wrong type or whose JSON is a long string.
#[tokio::test]
async fn an_undecodable_body_is_cut() {
    for input in inputs() {
        let input = long(&input);
        for (status, body) in [
            (502, json!(input)),
            (200, json!({"id": USER, "enabled": input})),
            (
                200,
                json!({"id": USER, "name": {"given": 5}, input.as_str(): 1}),
            ),
            (200, json!(input)),
        ] {
            let server = answering(status, body).await;
            let error = refused(bearer(&server).get_user(ENV, USER).await);
            assert!(matches!(error, Error::Decode { .. }), "{error:?}");
            bounded("pingone::Error", &error);
        }
    }
}

/// What the caller gives, long: a user ID and a username to find (`InvalidInput`, or
/// `SeveralMatches` for a username taken), a patch that breaks PingOne's rules with a value
/// or an attribute name (`Preflight`: its faults quote the name, and a name of a megabyte
/// made a text of as much), a custom attribute name that no SCIM path carries (`Dialect`, or
/// `Preflight` for one that the pre-flight check refuses first).
#[tokio::test]
async fn a_refused_input_is_cut() {
    let emulator = Emulator::start().unwrap();
    let client = Client::builder()
        .api_base_url(emulator.api_base_url())
        .token(TokenSource::bearer(emulator.token()))
        .build()
        .unwrap();
    let (env, id) = (emulator.environment_id(), emulator.user_id());
    let base = client.get_user(env, id).await.unwrap();
    let two = json!({"_embedded": {"users": [{"id": USER, "username": "a"},
        {"id": "b38890a6-295a-4d58-9f6e-b72b05fba379", "username": "a"}]}, "count": 2, "size": 2});
    let server = answering(200, two).await;
    for input in inputs() {
        bounded(
            "pingone::Error",
            &refused(client.get_user(env, &input).await),
        );
        let error = refused(bearer(&server).find_user_by_username(ENV, &input).await);
        bounded("pingone::Error", &error);
        let mut patch = UserPatch::default();
        patch.nickname = Field::Value(input.clone());
        if let Err(error) = check_patch(&patch) {
            bounded("pingone::Error", &error);
        }
        let mut patch = UserPatch::default();
        patch
            .custom
            .insert(input.clone(), Field::Value(json!(input)));
        let error = refused(check_patch(&patch));
        let (text, _) = bounded("pingone::Error", &error);
        assert!(
            text.starts_with("invalid input: the patch breaks PingOne's rules"),
            "{text}"
        );
        let mut target = base.clone();
        target.custom.insert(input.clone(), json!(1));
        let error = refused(
            client
                .update_user_scim(env, id, &base, &base.diff(&target))
                .await,
        );
        assert!(
            matches!(error, Error::Dialect(_) | Error::Preflight { .. }),
            "{error:?}"
        );
        bounded("pingone::Error", &error);
    }
}
