//! Error types as a report prints them: a chain walker (what anyhow's `{:#}` and `{:?}`, and
//! eyre's reports, do) writes each error's text, then each `source()`'s, so an error whose
//! text already holds its cause must not also return it (the Rust error-handling working
//! group's rule), and a plain `println!("{error}")` must still say what went wrong. Every
//! public error type is `Send + Sync + 'static`; a wait of any length reads as a person
//! counts it; a refusal quotes what arrived, cut to a length that a log can hold, never
//! inside a character.

#[path = "support/emulator_client.rs"]
mod emulator_client;
use emulator_client::emulator_bearer_builder;

use std::error::Error as StdError;
use std::io::{self, BufRead, Read};
use std::time::Duration;

use sparse_patch::pingone::sync::{LineError, OutcomeError, ReportError, parse_line, rerun_lines};
use sparse_patch::pingone::{
    ApiError, Client, Error, FilterError, Region, RetryPolicy, TokenSource, UnknownRegion,
    UserFilter, UserPatch,
};
use sparse_patch::{ApplyError, ComposeConflict, ComposeError, DialectError, Patch};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

#[path = "support/number_features.rs"]
mod number_features;

const ENV: &str = "abfba8f6-49eb-49f5-a5d9-80ad5c98f9f6";
const USER: &str = "a38890a6-295a-4d58-9f6e-b72b05fba379";

/// The texts a chain walker prints: the error's, then each cause's.
fn chain(error: &(dyn StdError + 'static)) -> Vec<String> {
    let mut texts = vec![error.to_string()];
    let mut cause = error.source();
    while let Some(next) = cause {
        texts.push(next.to_string());
        cause = next.source();
    }
    texts
}

/// The report of `error` as anyhow's `{:#}` writes it (texts joined with `: `), after checking
/// that no text of the chain is empty or repeats one before it (as a whole, or inside it).
fn report_once(error: &(dyn StdError + 'static)) -> String {
    let texts = chain(error);
    for (index, text) in texts.iter().enumerate() {
        assert!(!text.is_empty(), "an empty text in {texts:#?}");
        for earlier in &texts[..index] {
            assert!(
                !earlier.contains(text.as_str()),
                "the cause {text:?} is printed twice by a chain walker: {texts:#?}"
            );
        }
    }
    texts.join(": ")
}

/// A client of `url` that tries once.
fn client(url: &str) -> Client {
    Client::builder()
        .api_base_url(format!("{url}/v1"))
        .token(TokenSource::bearer("secret-token"))
        .retry_policy(RetryPolicy::never())
        .timeout(Duration::from_secs(5))
        .build()
        .unwrap()
}

/// A server that answers `user` to a GET of the user `USER` and a page holding it alone to a
/// GET of the list (and so to a lookup).
async fn user_and_list_server(user: &serde_json::Value) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(wiremock::matchers::path(format!(
            "/v1/environments/{ENV}/users/{USER}"
        )))
        .respond_with(ResponseTemplate::new(200).set_body_json(user))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(wiremock::matchers::path(format!(
            "/v1/environments/{ENV}/users"
        )))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(serde_json::json!({"_embedded": {"users": [user]}})),
        )
        .mount(&server)
        .await;
    server
}

fn assert_error<T: StdError + Send + Sync + 'static>() {}

#[test]
fn every_public_error_type_is_send_sync_static_and_an_error() {
    assert_error::<Error>();
    assert_error::<DialectError>();
    assert_error::<ApplyError>();
    assert_error::<ComposeConflict>();
    assert_error::<ComposeError<UserPatch>>();
    assert_error::<FilterError>();
    assert_error::<UnknownRegion>();
    assert_error::<LineError>();
    assert_error::<OutcomeError>();
    assert_error::<ReportError>();
    // `ApiError` is PingOne's error body, held by `Error::Api`: sent between threads with it.
    fn send_sync<T: Send + Sync + 'static>() {}
    send_sync::<ApiError>();
}

/// A connection refused: the text says so (reqwest's own text, "error sending request for
/// url", does not), and a chain walker prints "connection refused" once. The text wrote the
/// chain and `source()` returned reqwest's error too, so anyhow's `{:#}` printed reqwest's
/// whole chain twice.
#[tokio::test]
async fn a_transport_failure_prints_its_cause_once() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    drop(listener);
    let error = client(&url).get_user(ENV, USER).await.unwrap_err();
    let Error::Transport { source, .. } = &error else {
        panic!("{error:?}");
    };
    // The HTTP client's error is still there, in the variant.
    assert!(source.is_connect(), "{source:?}");
    let plain = error.to_string();
    assert!(
        plain.to_lowercase().contains("connection refused"),
        "{plain}"
    );
    let report = report_once(&error);
    assert_eq!(
        report.to_lowercase().matches("connection refused").count(),
        1,
        "{report}"
    );
}

/// A 200 whose body stops before its `Content-Length`: `Error::Incomplete`, whose text says the
/// HTTP client's cause once in a chain walker's report.
#[tokio::test]
async fn a_body_cut_short_prints_its_cause_once() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let server = tokio::spawn(async move {
        let (mut stream, _) = listener.accept().await.unwrap();
        let mut request = Vec::new();
        let mut buffer = [0; 1024];
        while !request.windows(4).any(|window| window == b"\r\n\r\n") {
            let read = stream.read(&mut buffer).await.unwrap();
            assert!(read > 0);
            request.extend_from_slice(&buffer[..read]);
        }
        stream
            .write_all(
                b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"id\"",
            )
            .await
            .unwrap();
        stream.shutdown().await.unwrap();
    });
    let error = client(&url).get_user(ENV, USER).await.unwrap_err();
    server.await.unwrap();
    assert!(
        matches!(error, Error::Incomplete { status: 200, .. }),
        "{error:?}"
    );
    let plain = error.to_string();
    assert!(plain.contains("cut short"), "{plain}");
    assert!(
        plain.contains("end of file before message length reached"),
        "{plain}"
    );
    let report = report_once(&error);
    assert_eq!(report.matches("end of file").count(), 1, "{report}");
}

/// A patch that SCIM cannot say: `Error::Dialect` wrote the `DialectError`'s text and returned
/// it from `source()` as well.
#[test]
fn a_dialect_error_prints_once_inside_the_client_error() {
    let error = Error::from(DialectError::ScimName {
        path: "not a name".into(),
    });
    let plain = error.to_string();
    assert!(
        plain.contains("`not a name` cannot be written in a SCIM path"),
        "{plain}"
    );
    let report = report_once(&error);
    assert_eq!(report.matches("not a name").count(), 1, "{report}");
}

/// `DialectError::Serialize` wrote serde_json's error and returned it from `source()`.
#[test]
fn a_serialize_error_prints_serde_json_s_text_once() {
    let error = DialectError::Serialize(serde_json::Error::io(io::Error::other("disk on fire")));
    assert!(error.to_string().contains("disk on fire"), "{error}");
    let report = report_once(&error);
    assert_eq!(report.matches("disk on fire").count(), 1, "{report}");
    // Through the client's error too.
    let report = report_once(&Error::from(error));
    assert_eq!(report.matches("disk on fire").count(), 1, "{report}");
}

/// A report that cannot be read: `ReportError::Io` wrote the I/O error (`#[error("...: {0}")]`)
/// and returned it from `source()` (`#[from]`).
#[test]
fn a_report_that_cannot_be_read_prints_the_io_error_once() {
    struct Failing;
    impl Read for Failing {
        fn read(&mut self, _: &mut [u8]) -> io::Result<usize> {
            Err(io::Error::other("disk on fire"))
        }
    }
    let reader: Box<dyn BufRead> = Box::new(io::BufReader::new(Failing));
    let error = rerun_lines(reader).unwrap_err();
    assert!(matches!(&error, ReportError::Io(io) if io.to_string() == "disk on fire"));
    assert_eq!(error.to_string(), "cannot read the report: disk on fire");
    assert_eq!(report_once(&error).matches("disk on fire").count(), 1);
    // `?` still converts an `io::Error`.
    let converted: ReportError = io::Error::other("gone").into();
    assert!(matches!(converted, ReportError::Io(_)));
}

/// The other error types, each printed by a chain walker.
#[test]
fn every_other_error_prints_each_cause_once() {
    let errors: Vec<Box<dyn StdError + Send + Sync>> = vec![
        Box::new(ApplyError::missing_required("href").within("photo")),
        Box::new("password eq \"a\"".parse::<UserFilter>().unwrap_err()),
        Box::new("XX".parse::<Region>().unwrap_err()),
        Box::new(parse_line(1, r#"{"id": "nope"}"#, None).unwrap_err()),
        Box::new(OutcomeError::message("refused")),
        Box::new(Error::InvalidInput(
            "the page size 0 is not between 1 and 1000".into(),
        )),
        Box::new(
            UserPatch::new()
                .clear_name()
                .then(UserPatch::new().name(sparse_patch::pingone::NamePatch::new()))
                .unwrap_err(),
        ),
    ];
    for error in &errors {
        report_once(error.as_ref());
    }
}

/// A `Retry-After` of `u64::MAX` seconds (which the header allows, and which
/// `parse_retry_after` reads as it is): the error said "asked to wait 18446744073709551615s".
#[tokio::test]
async fn a_wait_of_u64_max_seconds_reads_as_more_than_a_year() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(429).insert_header("Retry-After", u64::MAX.to_string()))
        .mount(&server)
        .await;
    let error = client(&server.uri()).get_user(ENV, USER).await.unwrap_err();
    assert_eq!(error.retry_after(), Some(Duration::from_secs(u64::MAX)));
    let text = error.to_string();
    assert!(text.contains("asked to wait more than a year"), "{text}");
    assert!(!text.contains("18446744073709551615"), "{text}");

    // Two hours: in hours, not 7200s; under an hour, in seconds as `Retry-After` counts them.
    let cases = [
        (Duration::from_secs(7200), "wait 2h"),
        (Duration::from_secs(5430), "wait 1h 30min 30s"),
        (Duration::from_secs(120), "wait 120s"),
        // Under a second: rounded up, never "0s" for a wait that is not zero.
        (Duration::from_millis(300), "wait 1s"),
    ];
    for (wait, said) in cases {
        let error = Error::RateLimited {
            retry_after: Some(wait),
            error: None,
            attempts: 1,
        };
        assert!(error.to_string().contains(said), "{wait:?}: {error}");
    }
    let error = Error::Token {
        status: 429,
        code: "unknown_error".into(),
        description: None,
        attempts: 1,
        retry_after: Some(Duration::MAX),
        remembered_for: Some(Duration::MAX),
    };
    let text = error.to_string();
    assert!(!text.contains("18446744073709551615"), "{text}");
    assert!(
        text.contains("the next one is sent in more than a year"),
        "{text}"
    );
    // A timeout keeps its fraction; a huge one saturates too.
    for (timeout, said) in [
        (Duration::from_millis(1500), "timeout 1.5s"),
        (Duration::MAX, "timeout more than a year"),
    ] {
        let error = Error::Timeout {
            timeout,
            attempts: 1,
        };
        assert!(error.to_string().contains(said), "{error}");
    }
}

/// Pre-flight named the attribute and the rule, not the value that broke it: with a batch of
/// patches, the caller had to guess which value it was. It quotes it now, escaped, cut to 64
/// characters at a character (a multi-byte one too), with its length.
#[tokio::test]
async fn preflight_quotes_the_value_that_broke_the_rule() {
    let long = "é".repeat(300);
    let patch = UserPatch::new()
        .email("ada@")
        .nickname("")
        .title(long.clone())
        .locale("\u{1b}[31m");
    // Nothing is sent: no server listens.
    let error = client("http://127.0.0.1:9")
        .update_user(ENV, USER, &patch)
        .await
        .unwrap_err();
    let Error::Preflight { message: text, .. } = &error else {
        panic!("{error:?}");
    };
    assert!(
        text.contains(r#"email must be an RFC 2822 address (found "ada@")"#),
        "{text}"
    );
    assert!(text.contains(r#"characters long (found "")"#), "{text}");
    let shown = format!("(found \"{}\"… (300 characters))", "é".repeat(64));
    assert!(text.contains(&shown), "{text}");
    assert!(!text.contains(&long), "{text}");
    // Escaped, not sent to the terminal as it is.
    assert!(text.contains(r"\u{1b}[31m"), "{text}");
    assert!(!error.to_string().contains('\u{1b}'), "{error}");
}

/// A filter's syntax error said the byte, not what it found there; a word of 100,000
/// characters was quoted whole.
#[test]
fn a_filter_error_says_what_it_found_and_cuts_it() {
    let error = r#"username eq "a" extra"#.parse::<UserFilter>().unwrap_err();
    assert!(error.to_string().contains(r#"found "extra""#), "{error}");
    let error = r#"username eq dspanner"#.parse::<UserFilter>().unwrap_err();
    assert!(error.to_string().contains(r#"found "dspanner""#), "{error}");
    let error = r#"(username eq "a""#.parse::<UserFilter>().unwrap_err();
    assert!(
        error.to_string().contains("the filter ends there"),
        "{error}"
    );
    let attribute = "x".repeat(100_000);
    let error = format!(r#"{attribute} eq "a""#)
        .parse::<UserFilter>()
        .unwrap_err();
    assert!(
        matches!(error, FilterError::UnsupportedAttribute(_)),
        "{error:?}"
    );
    let text = error.to_string();
    // The list of the attributes that can be filtered on, and a quote cut to a few dozen
    // characters: far from the 100,000 of the attribute.
    assert!(text.len() < 600, "{} bytes", text.len());
    assert!(text.contains("(100000 characters)"), "{text}");
    // Text that is no word, cut between its two-byte characters.
    let error = format!(r#"{} eq "a""#, "ü".repeat(100_000))
        .parse::<UserFilter>()
        .unwrap_err();
    let text = error.to_string();
    assert!(text.len() < 400, "{} bytes", text.len());
    assert!(text.contains(r#"found "üü"#), "{text}");
    assert!(text.contains("(100007 characters)"), "{text}");
}

/// A region of 100,000 characters was quoted whole.
#[test]
fn an_unknown_region_is_quoted_and_cut() {
    let error = "ß".repeat(100_000).parse::<Region>().unwrap_err();
    let text = error.to_string();
    // The list of the attributes that can be filtered on, and a quote cut to a few dozen
    // characters: far from the 100,000 of the attribute.
    assert!(text.len() < 600, "{} bytes", text.len());
    assert!(text.contains("(100000 characters)"), "{text}");
    assert_eq!(
        "xx".parse::<Region>().unwrap_err().to_string(),
        "unknown PingOne region \"xx\": expected NA, CA, EU, AU, SG or AP (or com, ca, eu, com.au, sg, asia)"
    );
}

/// The input of an unknown region, which the text cuts, is kept whole: the error's field was
/// private and had no accessor, so a program could not show or log what it was given past the
/// 64 characters of the quote.
#[test]
fn an_unknown_region_keeps_its_input_whole() {
    let long = "ß".repeat(100_000);
    let error = format!(" {long}\n").parse::<Region>().unwrap_err();
    assert_eq!(error.input(), long);
    assert!(!error.to_string().contains(&long));
}

/// A feed line's `id` of a megabyte, or a value of the wrong type as long, was copied whole
/// into the line's error, and so into the report; it is cut, still saying what was expected.
#[test]
fn a_feed_line_s_long_value_is_cut_in_its_error() {
    let long = "ä".repeat(100_000);
    let error = parse_line(1, &format!(r#"{{"id": "{long}"}}"#), None).unwrap_err();
    let text = error.to_string();
    assert!(matches!(error, LineError::InvalidId(_)), "{error:?}");
    assert!(text.len() < 400, "{} bytes", text.len());
    assert!(text.contains("(100002 characters)"), "{text}");

    let error = parse_line(
        1,
        &format!(r#"{{"username": "ada", "name": "{long}"}}"#),
        None,
    )
    .unwrap_err();
    let text = error.to_string();
    assert!(matches!(error, LineError::WrongType { .. }), "{error:?}");
    assert!(text.len() < 600, "{} bytes", text.len());
    assert!(
        text.starts_with("name: invalid type: string \"ää"),
        "{text}"
    );
    assert!(text.contains("characters)"), "{text}");
    assert!(text.contains(", expected"), "{text}");
    // An object or an array as an `id` is named by its kind: it may hold anything.
    let error = parse_line(1, r#"{"id": {"password": "hunter2"}}"#, None).unwrap_err();
    assert_eq!(
        error.to_string(),
        "the id (an object) is not a PingOne ID (a UUID)"
    );
    // A short one is left as it was.
    let error = parse_line(1, r#"{"username": "ada", "title": 5}"#, None).unwrap_err();
    assert_eq!(
        error.to_string(),
        format!(
            "title: invalid type: {}, expected a string",
            number_features::integer_in_type_error("5")
        )
    );
}

/// `Debug` of the client's errors shows no token: a refused certificate or connection keeps
/// reqwest's error, whose `Debug` holds the URL and never a header.
#[tokio::test]
async fn debug_of_a_transport_error_shows_no_token() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    drop(listener);
    let error = client(&url).get_user(ENV, USER).await.unwrap_err();
    let debug = format!("{error:?}");
    assert!(!debug.contains("secret-token"), "{debug}");
    assert!(!debug.contains("Bearer"), "{debug}");
    let patch = UserPatch::new().nickname("Ada");
    let composed = UserPatch::new().clear_name().then(
        UserPatch::new()
            .nickname("Ada")
            .name(sparse_patch::pingone::NamePatch::new()),
    );
    let debug = format!("{:?}", composed.unwrap_err());
    assert!(!debug.contains("Ada"), "{debug}");
    assert!(!patch.is_empty());
}

/// A user ID pasted with the page around it: the error quoted its first 64 characters as if
/// they were all of it.
#[tokio::test]
async fn an_id_that_is_not_one_is_quoted_with_its_length() {
    let id = format!("{USER}{}", "?x=1".repeat(250));
    let error = client("http://127.0.0.1:9")
        .get_user(ENV, &id)
        .await
        .unwrap_err();
    let text = error.to_string();
    assert!(matches!(error, Error::InvalidInput(_)), "{error:?}");
    assert!(
        text.contains(&format!("\"{}\"… (1036 characters)", &id[..64])),
        "{text}"
    );
    let error = client("http://127.0.0.1:9")
        .get_user(ENV, "nope")
        .await
        .unwrap_err();
    assert!(
        error.to_string().contains("the user ID \"nope\" is not"),
        "{error}"
    );
}

/// An element of a keyed array that is not an object, or whose key is an object, had its JSON
/// copied whole into the error (a document, a photo's data): it is cut to 200 characters,
/// between characters, with its length.
#[test]
fn a_keyed_array_error_cuts_the_element_it_quotes() {
    let element = serde_json::json!("é".repeat(100_000));
    let error = sparse_patch::diff_keyed("list", "n", &[element], &[]).unwrap_err();
    let text = error.to_string();
    assert!(text.len() < 1_000, "{} bytes", text.len());
    assert!(
        text.contains("the element is not an object: \"éé"),
        "{text}"
    );
    assert!(text.contains("… (100002 characters)"), "{text}");
    let element = serde_json::json!({"n": {"data": "x".repeat(100_000)}});
    let error = sparse_patch::diff_keyed("list", "n", &[], &[element]).unwrap_err();
    let text = error.to_string();
    assert!(text.len() < 1_000, "{} bytes", text.len());
    assert!(text.contains("the key is {\"data\":\"xx"), "{text}");
    // A short one is quoted whole.
    let error = sparse_patch::diff_keyed("list", "n", &[serde_json::json!(3)], &[]).unwrap_err();
    let text = error.to_string();
    assert!(text.ends_with("the element is not an object: 3"), "{text}");
}

/// A 200 whose user does not fit the model where a string value is (a name where an object
/// belongs; a model of the caller's own that reads a custom attribute as a number): serde's
/// reason quoted the value (`invalid type: string "Ada Lovelace", expected struct Name`), so
/// the error's text, which leaves the user's document out, held one value of it, and the sync
/// job logged it at WARN. Each string of a user's document is said by its length instead, and
/// a number is left out, in the answer of a user's own call and of a lookup alike.
#[tokio::test]
async fn a_decode_error_of_a_users_document_quotes_none_of_its_strings() {
    #[derive(Debug, serde::Deserialize)]
    #[serde(rename_all = "camelCase")]
    #[allow(dead_code)]
    struct Employee {
        id: String,
        username: String,
        employee_number: u32,
    }
    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct Badge {
        id: String,
        badge: String,
    }
    let user = serde_json::json!({
        "id": USER, "username": "ada.lovelace",
        "name": "Ada Lovelace", "employeeNumber": "E-1815-12", "badge": 18151210,
    });
    let server = user_and_list_server(&user).await;
    let client = client(&server.uri());
    let errors = [
        (
            client.get_user(ENV, USER).await.unwrap_err(),
            "12 characters",
        ),
        (
            client.get_user_as::<Employee>(ENV, USER).await.unwrap_err(),
            "9 characters",
        ),
        (
            client
                .find_user_by_username_as::<Employee>(ENV, "ada.lovelace")
                .await
                .unwrap_err(),
            "9 characters",
        ),
    ];
    for (error, length) in errors {
        let Error::Decode { reason, .. } = &error else {
            panic!("{error:?}");
        };
        for text in [reason.clone(), error.to_string(), format!("{error:?}")] {
            assert!(!text.contains("Lovelace"), "{text}");
            assert!(!text.contains("1815"), "{text}");
        }
        assert!(
            reason.contains(&format!(
                "invalid type: string ({length}, not shown), expected"
            )),
            "{reason}"
        );
    }
}

/// A 200 whose user holds a string of a megabyte where an object belongs: the decoder's
/// reason quoted it whole (`invalid type: string "…", expected struct Name`), a log line of a
/// megabyte beside the 512 characters of the body's start. The value of a user's document is
/// now not quoted at all (its length is said), keeping what was expected.
#[tokio::test]
async fn a_decode_error_cuts_the_value_its_reason_quotes() {
    let server = MockServer::start().await;
    let body = serde_json::json!({"id": USER, "username": "ada", "name": "é".repeat(1_000_000)});
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(body))
        .mount(&server)
        .await;
    let error = client(&server.uri()).get_user(ENV, USER).await.unwrap_err();
    let Error::Decode { reason, .. } = &error else {
        panic!("{error:?}");
    };
    assert!(
        reason.chars().count() < 1_000,
        "{} characters",
        reason.chars().count()
    );
    assert!(
        reason.contains("string (1000000 characters, not shown), expected"),
        "{reason}"
    );
    assert!(
        error.to_string().len() < 4_000,
        "{} bytes",
        error.to_string().len()
    );
}

/// A 200 whose user document comes after more white space than the error keeps of a body
/// (512 characters: pretty-printed JSON behind a gateway that pads it): whether the body is a
/// user's document was told from the start kept, all white space, so serde's reason kept the
/// value it refused (`invalid type: string "Ada Lovelace"`). It is told from the body itself.
#[tokio::test]
async fn a_users_document_after_long_white_space_quotes_none_of_its_values() {
    let user = serde_json::json!({
        "id": USER, "username": "ada.lovelace", "email": "ada@example.com",
        "name": "Ada Lovelace",
    });
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(
            format!("{}{user}", "\n".repeat(600)).into_bytes(),
            "application/json",
        ))
        .mount(&server)
        .await;
    let error = client(&server.uri()).get_user(ENV, USER).await.unwrap_err();
    let Error::Decode { reason, .. } = &error else {
        panic!("{error:?}");
    };
    for text in [error.to_string(), format!("{error:?}")] {
        assert!(!text.contains("Lovelace"), "{text}");
    }
    assert!(
        reason.contains("at `name`: invalid type: string (12 characters, not shown)"),
        "{reason}"
    );
}

/// A lookup answered with another user (a proxy or server that ignored the filter): the error
/// quoted that user's username or email (`the server answered a user whose email
/// "ada@example.com" does not match the filter ...`), another person's data in the log of a
/// lookup about someone else, first user or second alike. It names the user by its `id` and
/// says the value's length.
#[tokio::test]
async fn a_lookup_answered_with_another_user_quotes_none_of_its_values() {
    let ada = serde_json::json!({
        "id": USER, "username": "ada.lovelace", "email": "ada@example.com",
        "name": {"given": "Ada", "family": "Lovelace"},
    });
    let grace = serde_json::json!({
        "id": "b38890a6-295a-4d58-9f6e-b72b05fba379", "username": "grace.hopper",
        "email": "grace@example.com",
    });
    for users in [vec![ada.clone()], vec![grace, ada]] {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
                "_embedded": {"users": users}, "count": 2, "size": 2
            })))
            .mount(&server)
            .await;
        let client = client(&server.uri());
        let errors = [
            (
                client
                    .find_user_by_username(ENV, "grace.hopper")
                    .await
                    .unwrap_err(),
                "username (12 characters, not shown)",
            ),
            (
                client
                    .find_user_by_email(ENV, "grace@example.com")
                    .await
                    .unwrap_err(),
                "email (15 characters, not shown)",
            ),
        ];
        for (error, said) in errors {
            let Error::Decode { reason, .. } = &error else {
                panic!("{error:?}");
            };
            for text in [error.to_string(), format!("{error:?}")] {
                assert!(!text.contains("ada"), "{text}");
                assert!(!text.contains("Lovelace"), "{text}");
            }
            assert!(
                reason.contains(&format!("a user ({USER}) whose {said} does not match")),
                "{reason}"
            );
        }
    }
}

/// A lookup by username answered with a user whose username is 100,000 characters (or whose
/// username is not a string but a string of as many where an object belongs): the error quoted
/// it whole. It is cut.
#[tokio::test]
async fn a_lookup_s_mismatch_cuts_what_it_quotes() {
    let long = "ö".repeat(100_000);
    for user in [
        serde_json::json!({"id": USER, "username": long, "email": "a@example.com"}),
        serde_json::json!({"id": USER, "username": ["x"], "email": long}),
    ] {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
                "_embedded": {"users": [user]}, "count": 1, "size": 1
            })))
            .mount(&server)
            .await;
        let error = client(&server.uri())
            .find_user_by_username(ENV, "dspanner")
            .await
            .unwrap_err();
        let Error::Decode { reason, .. } = &error else {
            panic!("{error:?}");
        };
        assert!(
            reason.chars().count() < 1_000,
            "{} characters",
            reason.chars().count()
        );
        assert!(
            error.to_string().len() < 4_000,
            "{} bytes",
            error.to_string().len()
        );
    }
}

/// A report line whose `status` is a string of 100,000 characters (the feed given as the
/// report, say): serde's message quoted the value whole in `ReportError::NotAnOutcome`.
#[test]
fn a_report_line_that_is_no_outcome_cuts_what_it_quotes() {
    let line = format!("{{\"line\": 1, \"status\": \"{}\"}}\n", "ü".repeat(100_000));
    let error = rerun_lines(line.as_bytes()).unwrap_err();
    let text = error.to_string();
    assert!(
        matches!(error, ReportError::NotAnOutcome { line: 1, .. }),
        "{error:?}"
    );
    assert!(text.len() < 1_000, "{} bytes", text.len());
    assert!(text.contains("characters), expected"), "{text}");
}

/// A wrong environment ID, an API base URL without `/v1` and a user that does not exist all
/// got `PingOne answered HTTP 404 NOT_FOUND: The requested resource was not found. ... after 1
/// attempt(s)`, which names none of the three: a job with a wrong environment ID reported each
/// of its users as missing. The text of a 404 now says that PingOne answers it alike for the
/// three; other statuses do not get the note.
#[tokio::test]
async fn a_404_says_that_a_wrong_environment_or_base_url_answers_it_too() {
    const NOBODY: &str = "00000000-0000-4000-8000-000000000001";
    let emulator = sparse_patch::pingone::emulator::Emulator::start().unwrap();
    let patch = UserPatch::new().title("x");
    let wrong_base = Client::builder()
        .api_base_url(emulator.api_base_url().trim_end_matches("/v1"))
        .token(TokenSource::bearer(emulator.token()))
        .build()
        .unwrap();
    let right_base = emulator_bearer_builder(&emulator).build().unwrap();
    let answers = [
        right_base
            .update_user(emulator.environment_id(), NOBODY, &patch)
            .await,
        right_base
            .update_user(NOBODY, emulator.user_id(), &patch)
            .await,
        wrong_base
            .update_user(emulator.environment_id(), emulator.user_id(), &patch)
            .await,
    ];
    for answer in answers {
        let error = answer.unwrap_err();
        assert_eq!(error.status(), Some(404), "{error}");
        let text = error.to_string();
        assert!(
            text.ends_with(
                "(PingOne answers 404 alike for a user that does not exist, a wrong environment \
                 ID and a wrong API base URL, such as one without /v1: check all three)"
            ),
            "{text}"
        );
    }
    let refused = right_base
        .update_user(
            emulator.environment_id(),
            emulator.user_id(),
            &UserPatch::new().title(""),
        )
        .await
        .unwrap_err();
    assert!(
        !refused.to_string().contains("check all three"),
        "{refused}"
    );
}

/// A 200 whose user holds a map (custom attributes read as `BTreeMap<String, u32>`) with a
/// key that ends in `string ` and is quoted in the error's path (a `.` in it, or more than 64
/// characters): the path ``at `custom."a.string "` `` was read as serde's marker of a quoted
/// value, and the value that followed (`invalid type: string "Lovelace"`) was shown whole, as
/// text after what was taken for the end of the string. Only serde's message is read for
/// values, not the path put in front of it, for a user's call and a page of a list alike.
#[tokio::test]
async fn a_decode_error_quotes_no_value_behind_a_key_that_reads_as_a_marker() {
    use futures_util::TryStreamExt as _;
    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct Custom {
        id: String,
        custom: std::collections::BTreeMap<String, u32>,
    }
    let long_key = format!("{}string \"{}", "k".repeat(57), "k".repeat(20));
    for key in ["a.string ", "a.string \"", long_key.as_str(), "integer `"] {
        let user = serde_json::json!({
            "id": USER, "username": "ada",
            "custom": {key: "Lovelace \" or string \"x\", integer `7` Lovelace"},
        });
        let server = user_and_list_server(&user).await;
        let client = client(&server.uri());
        let listed = client
            .list_users_as::<Custom>(ENV, &sparse_patch::pingone::UserQuery::all())
            .try_collect::<Vec<_>>()
            .await;
        let errors = [
            client.get_user_as::<Custom>(ENV, USER).await.unwrap_err(),
            listed.unwrap_err(),
        ];
        for error in errors {
            let Error::Decode { reason, .. } = &error else {
                panic!("{error:?}");
            };
            for text in [reason.clone(), error.to_string(), format!("{error:?}")] {
                assert!(!text.contains("Lovelace"), "{key:?}: {text}");
            }
            assert!(
                reason.contains("invalid type: string (46 characters, not shown), expected u32"),
                "{key:?}: {reason}"
            );
        }
    }
}

/// A user that does not fit the caller's model, found by a lookup: `get_user_as` named the
/// attribute at fault (``at `badges[1]`: missing field `type` ``, as the client chapter says of
/// every 2xx whose JSON does not fit the model), but `find_user_by_username_as` and
/// `find_user_by_email_as` gave serde's reason alone, with a column in the page of users, and
/// `list_users_as` the path of the list alone when the user was a page's first: a reconciler
/// reading users as its own model could not tell which attribute to repair (review 102). Each
/// names the path within the user, as `get_user_as` does.
#[tokio::test]
async fn a_user_found_that_does_not_fit_the_model_names_the_attribute() {
    use futures_util::TryStreamExt as _;
    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct Badge {
        r#type: String,
        value: String,
    }
    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct Managed {
        id: String,
        username: String,
        badges: Vec<Badge>,
    }
    let user = serde_json::json!({
        "id": USER, "username": "ada", "email": "ada@example.com",
        "badges": [{"type": "work", "value": "gold"}, {"value": "silver"}],
    });
    let server = user_and_list_server(&user).await;
    let client = client(&server.uri());
    let errors = [
        (
            "get",
            client.get_user_as::<Managed>(ENV, USER).await.unwrap_err(),
        ),
        (
            "by username",
            client
                .find_user_by_username_as::<Managed>(ENV, "ada")
                .await
                .unwrap_err(),
        ),
        (
            "by email",
            client
                .find_user_by_email_as::<Managed>(ENV, "ada@example.com")
                .await
                .unwrap_err(),
        ),
    ];
    let unnamed: Vec<String> = errors
        .iter()
        .filter_map(|(call, error)| match error {
            Error::Decode { reason, .. }
                if reason.contains("at `badges[1]`: missing field `type`") =>
            {
                None
            }
            other => Some(format!("{call}: {other}")),
        })
        .collect();
    assert!(unnamed.is_empty(), "{unnamed:#?}");
    // A page whose first user does not fit: the path went no further than the list
    // (`_embedded.users`: the page's first user is read apart, to fingerprint the page), where
    // a later user's went into it (`_embedded.users[1].badges[1]`).
    let listed = client
        .list_users_as::<Managed>(ENV, &sparse_patch::pingone::UserQuery::all())
        .try_collect::<Vec<_>>()
        .await
        .unwrap_err();
    assert!(
        matches!(&listed, Error::Decode { reason, .. }
            if reason.contains("at `_embedded.users[0].badges[1]`: ")
                && reason.contains("missing field `type`")),
        "{listed}"
    );
    // The lookup's filter is still named, before the path.
    assert!(
        errors[1].1.to_string().contains(
            r#"the user that username eq "ada" found: at `badges[1]`: missing field `type`"#
        ),
        "{}",
        errors[1].1
    );
}
