//! What the caller gets when the client gives up, and what it says. The wait that the last
//! answer asked for, when the retry policy ran out: a 503 (or another retryable status) still
//! answered keeps its `Retry-After` in the error, and a 429 or 503 whose wait is only in its
//! PingOne error body (`details[].innerError.retryAfter`, no `Retry-After` header) is waited
//! on and reported as if the header had said it. A 2xx body that is not the JSON expected says
//! what arrived.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::{Value, json};
use sparse_patch::pingone::{
    ApiError, Client, Error, ErrorDetail, RetryEvent, RetryPolicy, TokenSource,
};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[path = "support/mock_pingone.rs"]
mod mock_pingone;
use mock_pingone::{ENV, TOKEN_PATH, USER, USER_PATH, worker};

/// A client of `server` that tries twice, backs off at most 20 ms, does not retry an answer
/// that asks to wait longer than 20 ms (its error is returned at once, with that wait), and
/// records each wait.
fn client(server: &MockServer) -> (Client, Arc<Mutex<Vec<RetryEvent>>>) {
    let events = Arc::new(Mutex::new(Vec::new()));
    let seen = Arc::clone(&events);
    let policy = RetryPolicy::default()
        .max_attempts(2)
        .initial_backoff(Duration::from_millis(1))
        .max_backoff(Duration::from_millis(20))
        .max_retry_after(Duration::from_millis(20))
        .jitter(false)
        .on_retry(move |event| seen.lock().unwrap().push(event.clone()));
    let client = Client::builder()
        .api_base_url(format!("{}/v1", server.uri()))
        .token(TokenSource::bearer("secret-token"))
        .retry_policy(policy)
        .timeout(Duration::from_secs(5))
        .build()
        .unwrap();
    (client, events)
}

async fn answering(template: ResponseTemplate) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(USER_PATH))
        .respond_with(template)
        .mount(&server)
        .await;
    server
}

/// PingOne's error body of a 429, with `retry_after` as its detail's `innerError.retryAfter`.
fn limited_body(status_code: &str, retry_after: Value) -> Value {
    json!({
        "id": "6f1c0e54-log-key",
        "code": status_code,
        "message": "The request could not be completed. Too many requests.",
        "details": [
            {"code": "LIMIT_EXCEEDED", "message": "The request limit was exceeded.",
             "innerError": {"retryAfter": retry_after}}
        ]
    })
}

/// A 503 with `Retry-After: 7` on every attempt: the error the caller got, `Error::Api` (a
/// PingOne body) or `Error::Decode` (a proxy's page), had no `retry_after`, and
/// `Error::retry_after()` was `None`: a caller that wanted to back off as the server asked
/// had nothing. Now both keep the last answer's wait, which the text says too. (A wait longer
/// than the policy's `max_retry_after`, it is not retried: the policy's 20 ms cap was the
/// wait before the second attempt, sent before the server said to.)
#[tokio::test]
async fn a_503_still_answered_keeps_its_retry_after() {
    let pingone = ResponseTemplate::new(503)
        .insert_header("retry-after", "7")
        .set_body_json(json!({"id": "e1", "code": "UNEXPECTED_ERROR", "message": "Down."}));
    let page = ResponseTemplate::new(503)
        .insert_header("retry-after", "7")
        .insert_header("content-type", "text/html")
        .set_body_string("<html><body><h1>503 Service Unavailable</h1></body></html>");
    for template in [pingone, page] {
        let server = answering(template).await;
        let (client, events) = client(&server);
        let error = client.get_user(ENV, USER).await.unwrap_err();
        assert!(
            matches!(
                error,
                Error::Api {
                    status: 503,
                    attempts: 1,
                    retry_after: Some(_),
                    ..
                } | Error::Decode {
                    status: 503,
                    attempts: 1,
                    retry_after: Some(_),
                    ..
                }
            ),
            "{error:?}"
        );
        assert_eq!(error.retry_after(), Some(Duration::from_secs(7)));
        assert!(error.is_retryable());
        assert!(error.to_string().contains("wait 7s"), "{error}");
        // No retry before the 7 s asked for.
        assert!(events.lock().unwrap().is_empty());
        assert_eq!(server.received_requests().await.unwrap().len(), 1);
    }
    // A status that is not retried has no wait to keep, whatever its headers.
    let server = answering(
        ResponseTemplate::new(400)
            .insert_header("retry-after", "7")
            .set_body_json(json!({"id": "e1", "code": "INVALID_DATA", "message": "No."})),
    )
    .await;
    let error = client(&server).0.get_user(ENV, USER).await.unwrap_err();
    assert_eq!(error.retry_after(), None, "{error:?}");
    assert!(!error.to_string().contains("wait"), "{error}");
}

/// A 429 (or 503) without a `Retry-After` header whose PingOne body says how long to wait in
/// `details[].innerError.retryAfter` (PingOne's error schema; a gateway that drops the
/// header): the body's wait was ignored, the client backed off as if no wait had been given,
/// and `Error::RateLimited` said `retry_after: None`. Now the body's value is the wait when
/// the header is missing (or is not a wait): seconds as a number or a string, an HTTP date,
/// or an RFC 3339 date-time, counted from the answer's `Date`.
#[tokio::test]
async fn a_wait_only_in_the_error_body_is_taken() {
    let date = "Sat, 05 Dec 2026 03:00:00 GMT";
    for (retry_after, header, expected) in [
        (json!(3), None, 3),
        (json!("3"), None, 3),
        (json!(2.5), None, 3),
        (json!("Sat, 05 Dec 2026 03:00:04 GMT"), None, 4),
        (json!("2026-12-05T03:00:05Z"), None, 5),
        (json!("2026-12-05T04:00:06+01:00"), None, 6),
        // A date before the answer's: no wait (the backoff applies), as for the header.
        (json!("2026-12-05T02:59:00Z"), None, 0),
        // A header that is not a wait: the body's.
        (json!(3), Some("soon"), 3),
        // The header wins over the body.
        (json!(3), Some("9"), 9),
    ] {
        for status in [429, 503] {
            let mut template = ResponseTemplate::new(status)
                .insert_header("date", date)
                .set_body_json(limited_body("REQUEST_LIMITED", retry_after.clone()));
            if let Some(header) = header {
                template = template.insert_header("retry-after", header);
            }
            let server = answering(template).await;
            let (client, events) = client(&server);
            let error = client.get_user(ENV, USER).await.unwrap_err();
            let case = format!("{status} {retry_after} {header:?}: {error:?}");
            assert_eq!(
                error.retry_after(),
                Some(Duration::from_secs(expected)),
                "{case}"
            );
            assert_eq!(error.status(), Some(status), "{case}");
            if status == 429 {
                assert!(matches!(error, Error::RateLimited { .. }), "{case}");
            }
            // A wait (longer than the policy's `max_retry_after`) is not retried; no wait, the
            // backoff applies.
            let events = events.lock().unwrap();
            if expected > 0 {
                assert!(events.is_empty(), "{case}");
                assert_eq!(error.attempts(), Some(1), "{case}");
            } else {
                assert!(!events[0].from_retry_after, "{case}");
            }
        }
    }
    // Values that are no wait: none, and the backoff applies.
    for retry_after in [
        json!(-1),
        json!("later"),
        json!({"seconds": 3}),
        json!(null),
        json!(true),
    ] {
        let server = answering(
            ResponseTemplate::new(429).set_body_json(limited_body("REQUEST_LIMITED", retry_after)),
        )
        .await;
        let (client, events) = client(&server);
        let error = client.get_user(ENV, USER).await.unwrap_err();
        assert_eq!(error.retry_after(), None, "{error:?}");
        assert!(!events.lock().unwrap()[0].from_retry_after);
    }
}

/// A 429 of a spent quota (`QUOTA_EXCEEDED`, with the `quotaResetTime` that PingOne's error
/// schema lists among `innerError`'s facts) without a `Retry-After` header (a gateway that
/// drops it): the reset was ignored, the client backed off as if no wait had been given, each
/// retry into the same quota, and the error said `retry_after: None`, so a sync job sent
/// every later line into it too (lobehub/lobehub#13572, Gitlawb/openclaude#249,
/// google-gemini/gemini-cli#10925: quota exhaustion retried instead of surfaced). Now the
/// reset, an RFC 3339 date-time or an HTTP date counted from the answer's `Date`, is the wait
/// when neither the header nor a `retryAfter` gave one: here past the policy's
/// `max_retry_after`, so not retried. A reset already past is no wait (the backoff).
#[tokio::test]
async fn a_quota_reset_time_is_the_wait_of_a_429_without_another() {
    let date = "Sat, 05 Dec 2026 03:00:00 GMT";
    let quota = |reset: Value, retry_after: Option<Value>| {
        let mut inner = json!({"quotaLimit": 100, "quotaResetTime": reset});
        if let Some(retry_after) = retry_after {
            inner["retryAfter"] = retry_after;
        }
        json!({
            "id": "6f1c0e54-log-key",
            "code": "REQUEST_LIMITED",
            "message": "The request could not be completed. You have exceeded your quota.",
            "details": [{"code": "QUOTA_EXCEEDED", "message": "Quota exceeded.",
                         "innerError": inner}]
        })
    };
    for (body, header, expected) in [
        (quota(json!("2026-12-05T04:00:00Z"), None), None, Some(3600)),
        (
            quota(json!("Sat, 05 Dec 2026 03:00:07 GMT"), None),
            None,
            Some(7),
        ),
        // A `retryAfter` or a header wins over the reset.
        (
            quota(json!("2026-12-05T04:00:00Z"), Some(json!(5))),
            None,
            Some(5),
        ),
        (
            quota(json!("2026-12-05T04:00:00Z"), None),
            Some("9"),
            Some(9),
        ),
        // Past: a wait of zero, which is none (the backoff), as a past `retryAfter`.
        (quota(json!("2026-12-05T02:00:00Z"), None), None, Some(0)),
        // A number (seconds to wait? a Unix time? in ms?) is not read.
        (quota(json!(1_796_526_000), None), None, None),
    ] {
        let mut template = ResponseTemplate::new(429)
            .insert_header("date", date)
            .set_body_json(&body);
        if let Some(header) = header {
            template = template.insert_header("retry-after", header);
        }
        let server = answering(template).await;
        let (client, events) = client(&server);
        let error = client.get_user(ENV, USER).await.unwrap_err();
        let case = format!("{body} {header:?}: {error:?}");
        assert!(matches!(error, Error::RateLimited { .. }), "{case}");
        let expected = expected.map(Duration::from_secs);
        assert_eq!(error.retry_after(), expected, "{case}");
        let requests = server.received_requests().await.unwrap().len();
        let events = events.lock().unwrap();
        if expected.is_some_and(|wait| !wait.is_zero()) {
            assert!(events.is_empty(), "{case}");
            assert_eq!(error.attempts(), Some(1), "{case}");
            assert_eq!(requests, 1, "{case}");
        } else {
            assert!(!events[0].from_retry_after, "{case}");
        }
    }
}

/// The body's wait is read only when the header gave none: a 429 from a proxy whose body is
/// not JSON, or JSON of another shape, is a 429 without a wait, as before.
#[tokio::test]
async fn a_429_page_without_a_wait_has_none() {
    for body in [
        "<html>Too many requests</html>",
        "[1, 2]",
        r#"{"details": 5}"#,
    ] {
        let server = answering(ResponseTemplate::new(429).set_body_string(body)).await;
        let error = client(&server).0.get_user(ENV, USER).await.unwrap_err();
        assert!(
            matches!(
                error,
                Error::RateLimited {
                    retry_after: None,
                    ..
                }
            ),
            "{error:?}"
        );
    }
}

/// A 200 whose body is a page (a proxy's or a gateway's sign-in, whatever its
/// `Content-Type`), or JSON its sender cut short (the whole body arrived as framed): the
/// reason was the parser's alone, "expected value at line 1 column 1" or "EOF while parsing
/// an object at line 1 column 40", which did not say what had arrived. Now it says that the
/// body is not JSON, or that its JSON ends early and how many bytes arrived.
#[tokio::test]
async fn a_2xx_body_that_is_not_the_json_expected_says_what_arrived() {
    let cut = r#"{"id": "a38890a6-295a-4d58-9f6e-b72b05fba379", "username": "dsp"#;
    for (body, content_type, said) in [
        (
            "<html><body>Sign in</body></html>",
            "text/html",
            "the body is not JSON",
        ),
        (
            "<html><body>Sign in</body></html>",
            "application/json",
            "the body is not JSON",
        ),
        ("Service restarting", "text/plain", "the body is not JSON"),
        ("Too many requests", "text/plain", "the body is not JSON"),
        (cut, "application/json", "ends before it is complete"),
    ] {
        let server = answering(
            ResponseTemplate::new(200).set_body_raw(body.as_bytes().to_vec(), content_type),
        )
        .await;
        let error = client(&server).0.get_user(ENV, USER).await.unwrap_err();
        let Error::Decode {
            status,
            reason,
            body_start,
            ..
        } = &error
        else {
            panic!("{error:?}")
        };
        assert_eq!(*status, 200);
        assert!(reason.contains(said), "{body}: {reason}");
        assert_eq!(body_start, body);
        if said.starts_with("ends") {
            assert!(
                reason.contains(&format!("{} bytes", body.len())),
                "{reason}"
            );
        }
    }
    // JSON of another shape keeps the decoder's reason alone.
    for body in ["[1, 2]", "null", "42", r#"{"username": 5}"#] {
        let server = answering(ResponseTemplate::new(200).set_body_string(body)).await;
        let error = client(&server).0.get_user(ENV, USER).await.unwrap_err();
        let Error::Decode { reason, .. } = &error else {
            panic!("{error:?}")
        };
        assert!(
            !reason.contains("not JSON") && !reason.contains("ends before"),
            "{body}: {reason}"
        );
    }
}

/// A 429 still answered when the retries ran out: its text said only "PingOne rate limited
/// the request (HTTP 429)", not PingOne's code and details, which tell a rate limit
/// (`LIMIT_EXCEEDED`, over in a moment) from a quota (`QUOTA_EXCEEDED`, which may last until
/// its reset). The text now carries them, as `Error::Api`'s does.
#[tokio::test]
async fn a_rate_limited_error_says_which_limit() {
    let body = json!({
        "id": "6f1c0e54-log-key",
        "code": "REQUEST_LIMITED",
        "message": "The request could not be completed. You have exceeded your quota.",
        "details": [{"code": "QUOTA_EXCEEDED", "message": "Quota exceeded.",
                     "innerError": {"quotaLimit": 100, "quotaResetTime": "2026-12-06T00:00:00Z"}}]
    });
    let server = answering(
        ResponseTemplate::new(429)
            .insert_header("retry-after", "1")
            .set_body_json(body),
    )
    .await;
    let error = client(&server).0.get_user(ENV, USER).await.unwrap_err();
    let text = error.to_string();
    assert!(matches!(error, Error::RateLimited { .. }), "{error:?}");
    for said in [
        "REQUEST_LIMITED",
        "QUOTA_EXCEEDED",
        "6f1c0e54-log-key",
        "wait 1s",
    ] {
        assert!(text.contains(said), "{said}: {text}");
    }
}

/// An OAuth error whose `error_description` is not a string (a list of lines, an object of
/// languages, a number: RFC 6749 §5.2 allows only text): the whole body was refused as an
/// OAuth error, and `Error::Token` said `unknown_error`, losing the `invalid_client` that
/// the body carried. The code is kept now, and such a description reads as none.
#[tokio::test]
async fn an_oauth_error_with_an_odd_description_keeps_its_code() {
    for description in [
        json!(["bad", "secret"]),
        json!({"en": "bad"}),
        json!(5),
        json!(null),
    ] {
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .and(path(TOKEN_PATH))
            .respond_with(ResponseTemplate::new(401).set_body_json(
                json!({"error": "invalid_client", "error_description": description}),
            ))
            .mount(&server)
            .await;
        let error = worker(&server).get_user(ENV, USER).await.unwrap_err();
        let Error::Token {
            status,
            code,
            description: said,
            ..
        } = &error
        else {
            panic!("{error:?}")
        };
        assert_eq!(
            (*status, code.as_str(), said),
            (401, "invalid_client", &None),
            "{description}"
        );
        assert!(!error.is_retryable());
    }
}

/// A JSON error whose `message` holds a whole page (a gateway that wraps its HTML error in
/// JSON) or that lists thousands of details: `Error::Api`'s text held all of it, a log line
/// of megabytes. The text now shows each server text up to 1,000 characters and 50 details,
/// saying how much it left out; the error's fields keep everything.
#[tokio::test]
async fn a_huge_error_body_makes_a_bounded_error_text() {
    let page = "<p>".repeat(100_000);
    let details: Vec<Value> = (0..5_000)
        .map(|n| json!({"code": "INVALID_VALUE", "target": format!("custom{n}"), "message": "bad"}))
        .collect();
    let server = answering(ResponseTemplate::new(400).set_body_json(
        json!({"id": "e1", "code": "INVALID_DATA", "message": page, "details": details}),
    ))
    .await;
    let error = client(&server).0.get_user(ENV, USER).await.unwrap_err();
    let text = error.to_string();
    assert!(text.len() < 10_000, "{} bytes", text.len());
    assert!(text.contains("… (300000 characters)"), "{text}");
    assert!(text.contains("[and 4950 more details]"), "{text}");
    assert!(
        text.contains("on `custom49`") && !text.contains("on `custom50`"),
        "{text}"
    );
    assert!(text.contains("(PingOne error id e1)"), "{text}");
    let body = error.api_error().unwrap();
    assert_eq!(body.message.as_deref(), Some(page.as_str()));
    assert_eq!(body.details.len(), 5_000);
}

/// The `Debug` of such an error is what `unwrap`, `expect` and a `main` that returns the error
/// print, and what `tracing`'s `?error` logs: it held the whole page and every detail, each
/// detail's texts and `innerError` whole. The body's `Debug` cuts each text and `innerError`
/// to 1,000 characters and shows the first 50 details now, as its text does, saying how much
/// it left out, and the error's cuts that to 6,000 bytes; a short error's `Debug` is as
/// `#[derive(Debug)]` writes it. (Each text is 90,000
/// characters: the body, seven of them and 5,000 details, stays under the 1 MiB that an error
/// body is read up to.)
#[tokio::test]
async fn a_huge_error_body_makes_a_bounded_debug() {
    let page = "<p>".repeat(30_000);
    let huge = json!({"code": "INVALID_VALUE", "target": page, "message": page, "innerError": {"a": page}});
    let mut details = vec![huge];
    details.extend((0..4_999).map(|_| json!({"code": "INVALID_VALUE", "message": "bad"})));
    let server = answering(ResponseTemplate::new(400).set_body_json(json!({
        "id": page, "code": page, "message": page, "target": page, "details": details,
    })))
    .await;
    let error = client(&server).0.get_user(ENV, USER).await.unwrap_err();
    // The body's own `Debug`: 50 details, saying how many it left out.
    let debug = format!("{:?}", error.api_error().unwrap());
    assert!(debug.len() < 30_000, "{} bytes", debug.len());
    assert!(
        debug.contains("… (90000 characters)"),
        "{}",
        &debug[..3_000]
    );
    assert!(
        debug.contains("and 4950 more details"),
        "{}",
        &debug[debug.len() - 3_000..]
    );
    // The error's: within 8 KiB (tests/pingone_error_text_bounds.rs), the body's `Debug` cut
    // as a whole, saying its length, and the error's other fields after it.
    let debug = format!("{error:?}");
    assert!(debug.len() <= 8 * 1024, "{} bytes", debug.len());
    assert!(debug.contains("… (90000 characters)"), "{debug}");
    assert!(
        debug.ends_with(" characters), attempts: 1, retry_after: None }"),
        "{}",
        &debug[debug.len() - 300..]
    );
    let short = ApiError::new("e1", "INVALID_DATA", "bad\n").with_details(vec![ErrorDetail::new(
        "INVALID_VALUE",
        Some("email"),
        "m",
    )]);
    assert_eq!(
        format!("{short:?}"),
        "ApiError { id: Some(\"e1\"), code: Some(\"INVALID_DATA\"), message: Some(\"bad\\n\"), \
         target: None, details: [ErrorDetail { code: Some(\"INVALID_VALUE\"), target: \
         Some(\"email\"), message: Some(\"m\"), inner_error: None }], correlation_id: None }"
    );
}

/// An error body is read as one up to 1 MiB (the client's `MAX_ERROR_DOCUMENT_BYTES`), far
/// past any of PingOne's (a few KB): read into `serde_json::Value`s, a body of 16 MiB of small
/// objects took 1 GB (`tests/pingone_error_body_memory.rs`). A PingOne error body and an OAuth
/// error of exactly 1 MiB are read; a byte more, each is said as what arrived, with its
/// length.
#[tokio::test]
async fn an_error_body_is_read_up_to_1_mib() {
    const MOST: usize = 1024 * 1024;
    /// `start` and a member `pad` whose text fills the body to `length` bytes.
    fn body_of(start: &str, length: usize) -> String {
        let empty = format!(r#"{{{start},"pad":""}}"#);
        let body = format!(
            r#"{{{start},"pad":"{}"}}"#,
            "x".repeat(length - empty.len())
        );
        assert_eq!(body.len(), length);
        body
    }
    for (length, read) in [(MOST, true), (MOST + 1, false)] {
        let body = body_of(r#""code":"INVALID_DATA","message":"bad""#, length);
        let server = answering(
            ResponseTemplate::new(400).set_body_raw(body.into_bytes(), "application/json"),
        )
        .await;
        let error = client(&server).0.get_user(ENV, USER).await.unwrap_err();
        match (&error, read) {
            (Error::Api { error, .. }, true) => {
                assert_eq!(error.code.as_deref(), Some("INVALID_DATA"));
            }
            (Error::Decode { reason, .. }, false) => {
                assert!(reason.contains(&format!("{length} bytes")), "{reason}");
            }
            _ => panic!("{length} bytes: {error:?}"),
        }
        let body = body_of(
            r#""error":"invalid_client","error_description":"no""#,
            length,
        );
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .and(path(TOKEN_PATH))
            .respond_with(
                ResponseTemplate::new(401).set_body_raw(body.into_bytes(), "application/json"),
            )
            .mount(&server)
            .await;
        let error = worker(&server).get_user(ENV, USER).await.unwrap_err();
        let Error::Token { code, .. } = &error else {
            panic!("{length} bytes: {error:?}")
        };
        let expected = if read {
            "invalid_client"
        } else {
            "unknown_error"
        };
        assert_eq!(code, expected, "{length} bytes: {error}");
    }
}

/// The token endpoint's texts are the server's too: an OAuth error whose `error` or
/// `error_description` holds a whole page, or a PingOne error body answered to the token
/// request whose `message` does, made an `Error::Token` text (and the WARN event of a failed
/// refresh, which writes it) of megabytes. Each is shown up to 1,000 characters now, saying how
/// much was left out, and the token URL asked still ends the text; the fields keep everything.
#[tokio::test]
async fn a_huge_token_error_makes_a_bounded_error_text() {
    let page = "<p>".repeat(100_000);
    let oauth = json!({"error": page, "error_description": page});
    let pingone = json!({"id": "e1", "code": "INVALID_DATA", "message": page});
    for (body, status) in [(oauth, 401), (pingone, 400)] {
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .and(path(TOKEN_PATH))
            .respond_with(ResponseTemplate::new(status).set_body_json(&body))
            .mount(&server)
            .await;
        let error = worker(&server).get_user(ENV, USER).await.unwrap_err();
        let text = error.to_string();
        assert!(
            text.len() < 10_000,
            "{} bytes: {}",
            text.len(),
            &text[..200]
        );
        assert!(text.contains(" characters)"), "{text}");
        let Error::Token { description, .. } = &error else {
            panic!("{error:?}")
        };
        if status == 401 {
            assert_eq!(description.as_deref(), Some(page.as_str()));
        } else {
            assert!(text.contains("(the token URL asked: "), "{text}");
        }
    }
}

/// A model that lags behind the server (a generated enum without a value that the server now
/// sends, a `deny_unknown_fields` object that the server extended, a member the model requires
/// and the server left out): the error said only serde's line and column ("unknown variant
/// `PENDING` ... at line 1 column 2696") and the body's first 512 characters, all `_links`,
/// so nothing named the attribute; and nothing said that the request had succeeded (a PATCH
/// was applied). The reason now starts with the attribute's path and says so.
#[tokio::test]
async fn an_answer_that_does_not_fit_the_model_names_the_attribute_and_says_the_request_succeeded()
{
    #[derive(serde::Deserialize, Debug)]
    #[allow(dead_code)]
    #[serde(rename_all = "SCREAMING_SNAKE_CASE")]
    enum VerifyStatus {
        NotInitiated,
        Enabled,
        Disabled,
    }
    #[derive(serde::Deserialize, Debug)]
    #[allow(dead_code)]
    #[serde(deny_unknown_fields)]
    struct Name {
        given: Option<String>,
        family: Option<String>,
    }
    #[derive(serde::Deserialize, Debug)]
    #[allow(dead_code)]
    #[serde(rename_all = "camelCase")]
    struct Model {
        id: String,
        verify_status: Option<VerifyStatus>,
        name: Option<Name>,
        emails: Option<Vec<Name>>,
    }

    let links = json!({"self": {"href": "x".repeat(600)}});
    for (user, path, said) in [
        (
            json!({"verifyStatus": "PENDING"}),
            "verifyStatus",
            "unknown variant `PENDING`",
        ),
        (
            json!({"name": {"given": "a", "pronunciation": "b"}}),
            "name.pronunciation",
            "unknown field `pronunciation`",
        ),
        (
            json!({"emails": [{"given": "a"}, {"given": 5}]}),
            "emails[1].given",
            "invalid type: integer (not shown)",
        ),
    ] {
        let mut body = json!({"_links": links, "id": USER});
        body.as_object_mut()
            .unwrap()
            .extend(user.as_object().unwrap().clone());
        let server = answering(ResponseTemplate::new(200).set_body_json(&body)).await;
        let error = client(&server)
            .0
            .get_user_as::<Model>(ENV, USER)
            .await
            .unwrap_err();
        let Error::Decode { status, reason, .. } = &error else {
            panic!("{error:?}")
        };
        assert_eq!(*status, 200);
        assert!(
            reason.starts_with(&format!("at `{path}`: {said}")),
            "{reason}"
        );
        assert!(
            reason.contains("the request succeeded, HTTP 200"),
            "{reason}"
        );
    }
    // A required member missing is the document's own failure: serde names the member.
    let server =
        answering(ResponseTemplate::new(200).set_body_json(json!({"_links": links}))).await;
    let error = client(&server)
        .0
        .get_user_as::<Model>(ENV, USER)
        .await
        .unwrap_err();
    let Error::Decode { reason, .. } = &error else {
        panic!("{error:?}")
    };
    assert!(reason.starts_with("missing field `id`"), "{reason}");
}

/// A generated enum of every country code, as openapi-generator writes `address.countryCode`:
/// serde's `expected one of` lists 250 values, and the reason, cut to 2,048 characters, lost
/// what followed: the position and the words that the request succeeded (a PATCH was
/// applied, so it is not to be sent again). A map's key of a megabyte, or holding the token,
/// is named by the path cut and redacted.
#[tokio::test]
async fn a_long_reason_still_says_that_the_request_succeeded() {
    #[derive(Debug)]
    struct Country;
    impl<'de> serde::Deserialize<'de> for Country {
        fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            let codes: &'static [&'static str] = Box::leak(
                (0..250)
                    .map(|n| &*Box::leak(format!("C{n:03}").into_boxed_str()))
                    .collect::<Vec<&'static str>>()
                    .into_boxed_slice(),
            );
            let code = <String as serde::Deserialize>::deserialize(deserializer)?;
            Err(serde::de::Error::unknown_variant(&code, codes))
        }
    }
    #[derive(serde::Deserialize, Debug)]
    #[allow(dead_code)]
    struct Model {
        country: Option<Country>,
        counts: Option<std::collections::BTreeMap<String, u8>>,
    }

    for (body, path) in [
        (json!({"country": "XX"}), "country".to_owned()),
        (
            json!({"counts": {"k".repeat(1 << 20): "x"}}),
            format!("counts.{:?}… (1048576 characters)", "k".repeat(64)),
        ),
        (
            json!({"counts": {"secret-token": "x"}}),
            "counts.".to_owned(),
        ),
        // The token across the cut at 64 characters: taken out before the cut, not after,
        // when "secr" alone was left, which no redaction finds.
        (
            json!({"counts": {format!("{}secret-token", "k".repeat(60)): "x"}}),
            "counts.".to_owned(),
        ),
    ] {
        let server = answering(ResponseTemplate::new(200).set_body_json(&body)).await;
        let error = client(&server)
            .0
            .get_user_as::<Model>(ENV, USER)
            .await
            .unwrap_err();
        let Error::Decode { reason, .. } = &error else {
            panic!("{error:?}")
        };
        assert!(reason.starts_with(&format!("at `{path}")), "{reason}");
        assert!(
            reason.ends_with(
                "(the request succeeded, HTTP 200: the server did what was asked, and its answer \
                 does not fit the model; read it as a `serde_json::Value` to see it)"
            ),
            "{reason}"
        );
        assert!(reason.chars().count() < 4_000, "{}", reason.len());
        assert!(!error.to_string().contains("secr"), "{error}");
    }
}

/// PingOne's "Error codes" page
/// (<https://developer.pingidentity.com/pingone-api/platform/reference/error-codes.html>) lists
/// `target`, "the item that caused the error (such as a form field ID or an attribute inside
/// a JSON object)", among the properties of the error payload itself, beside `id`, `code`,
/// `message` and `details`. `ApiError` read only the details' `target`: an error that named
/// its attribute at the top only was dropped there, and `Error::target()` was `None`. Now the
/// body's own `target` is kept, named by `target()` and `targets()` (once, when a detail names
/// it too), and shown in the error's text.
#[tokio::test]
async fn the_error_bodys_own_target_is_kept_and_named() {
    let server = answering(ResponseTemplate::new(400).set_body_json(json!({
        "id": "0f2b-log-key",
        "code": "INVALID_REQUEST",
        "message": "The request could not be completed.",
        "target": "email",
    })))
    .await;
    let (first, _) = client(&server);
    let error = first.get_user(ENV, USER).await.unwrap_err();
    assert_eq!(error.status(), Some(400));
    assert_eq!(error.target(), Some("email"), "{error:?}");
    assert_eq!(error.api_error().unwrap().target.as_deref(), Some("email"));
    assert!(error.to_string().contains("`email`"), "{error}");

    // With details too: the body's own first, once.
    let server = answering(ResponseTemplate::new(400).set_body_json(json!({
        "id": "0f2c-log-key",
        "code": "INVALID_DATA",
        "message": "One or more validation errors were in the request.",
        "target": "name",
        "details": [
            {"code": "INVALID_VALUE", "target": "name", "message": "bad"},
            {"code": "INVALID_VALUE", "target": "email", "message": "bad"},
        ],
    })))
    .await;
    let (second, _) = client(&server);
    let error = second.get_user(ENV, USER).await.unwrap_err();
    assert_eq!(error.targets().collect::<Vec<_>>(), ["name", "email"]);
}
