//! Feeds that are not JSON Lines, or not UTF-8: what each line says.
//!
//! A JSON array written one element per line (`[`, `{...},`, ..., `{...}`, `]`) had every
//! element "not JSON: trailing characters at column 43" but the last, which has no comma and
//! was applied; a JSON document over several lines and a CSV file were "expected value at
//! column 1" on every line; a feed saved as Latin-1 was "stream did not contain valid UTF-8".
//! None said what the file was, or what to do.

#[path = "support/emulator_client.rs"]
mod emulator_client;
use emulator_client::emulator_bearer_builder;

use futures_util::StreamExt;
use sparse_patch::pingone::emulator::Emulator;
use sparse_patch::pingone::sync::{LineError, Status, SyncJob, feed_lines, parse_line};
use sparse_patch::pingone::{Client, TokenSource};

fn not_json(line: &str) -> String {
    match parse_line(1, line, None) {
        Err(LineError::InvalidJson(message)) => message,
        other => panic!("{line:?}: {other:?}"),
    }
}

#[test]
fn a_line_of_another_format_says_which() {
    for line in [
        "[",
        "]",
        "{",
        "  },",
        r#"  {"username": "user001", "title": "Lead"},"#,
        r#"  "username": "user001","#,
        r#"  "title": "Lead""#,
    ] {
        let message = not_json(line);
        assert!(
            message.contains("this looks like a JSON array or a JSON document"),
            "{line:?}: {message}"
        );
    }
    for line in [
        "username,email,title",
        "user001;user001@example.com;Lead",
        "a\tb",
    ] {
        let message = not_json(line);
        assert!(
            message.contains("this looks like a CSV row"),
            "{line:?}: {message}"
        );
    }
    // A line that is only broken JSON gets no guess.
    for line in [
        r#"{"username": "u", "title": }"#,
        "not json",
        r#"{"username": "u""#,
    ] {
        let message = not_json(line);
        assert!(!message.contains("looks like"), "{line:?}: {message}");
    }
}

/// Two feeds joined where the first ends without a line end (`cat a.jsonl b.jsonl`) give a
/// line of two objects: its error was "not JSON: trailing characters at column 35" alone.
/// It now says that a line end is missing; a line with other trailing text does not.
#[test]
fn two_objects_on_one_line_say_a_line_end_is_missing() {
    for line in [
        r#"{"username": "user003", "title": "c"}{"username": "user004"}"#,
        "\u{feff}{\"username\": \"user003\"} \t {\"username\": \"user004\"}\r",
        r#"{"username": "user003"}{"username": "#,
    ] {
        let message = not_json(line);
        assert!(
            message.starts_with("trailing characters at column")
                && message.contains("a line end is missing between two users"),
            "{line:?}: {message}"
        );
    }
    for line in [
        r#"{"username": "user003"} x"#,
        r#"{"username": "user003"}, {"username": "user004"}"#,
        r#"{"username": "user003", "title": }{"#,
    ] {
        let message = not_json(line);
        assert!(
            !message.contains("line end is missing"),
            "{line:?}: {message}"
        );
    }
}

#[test]
fn a_line_that_is_not_utf8_names_its_byte_and_the_likely_cause() {
    // "Léad" in Latin-1: `é` is the one byte E9.
    let feed =
        b"{\"username\": \"user001\"}\n{\"username\": \"user001\", \"title\": \"L\xe9ad\"}\n";
    let lines: Vec<_> = feed_lines(&feed[..]).collect();
    assert!(lines[0].is_ok());
    let error = lines[1].as_ref().unwrap_err();
    assert_eq!(error.kind(), std::io::ErrorKind::InvalidData);
    let message = error.to_string();
    assert!(message.contains("byte 0xE9 at column 36"), "{message}");
    assert!(message.contains("Latin-1"), "{message}");
}

/// Through the job: every line of a JSON array has its outcome, and those that fail say why.
#[tokio::test]
async fn a_json_array_feed_says_what_it_is_on_each_failed_line() {
    let emulator = Emulator::start().unwrap();
    let client = emulator_bearer_builder(&emulator).build().unwrap();
    let feed = "[\n  {\"username\": \"dspanner\", \"title\": \"A\"},\n  {\"username\": \"dspanner\", \"title\": \"B\"}\n]\n";
    let job = SyncJob::new(&client, emulator.environment_id()).dry_run(true);
    let mut outcomes: Vec<_> = job.run(feed_lines(feed.as_bytes())).collect().await;
    outcomes.sort_by_key(|o| o.line);
    let statuses: Vec<_> = outcomes.iter().map(|o| o.status).collect();
    assert_eq!(
        statuses,
        [
            Status::Invalid,
            Status::Invalid,
            Status::WouldChange,
            Status::Invalid
        ]
    );
    for line in [0, 1, 3] {
        let message = &outcomes[line].error.as_ref().unwrap().message;
        assert!(message.contains("JSON Lines"), "{message}");
    }
}

/// One username in two Unicode forms (`josé` with `é` as one character, NFC, and as `e` and
/// U+0301, NFD): the job's keys tell them apart (PingOne documents no normalization), so
/// both lines are looked up. On a server that normalizes and finds one user for both, the
/// second line failed, the client refusing the answer as "does not match the filter"; it is
/// now a duplicate of the first, told by the user's ID, and nothing is sent twice.
#[tokio::test]
async fn one_username_in_two_unicode_forms_is_one_user() {
    use wiremock::matchers::{method, path};
    use wiremock::{Mock, MockServer, ResponseTemplate};

    const ENV: &str = "abfba8f6-49eb-49f5-a5d9-80ad5c98f9f6";
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(format!("/v1/environments/{ENV}/users")))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "_embedded": {"users": [{
                "id": "00000000-0000-4000-8000-000000000001",
                "username": "jos\u{e9}",
                "email": "jose@example.com",
                "title": "Lead"
            }]},
            "count": 1, "size": 1
        })))
        .mount(&server)
        .await;
    let client = Client::builder()
        .api_base_url(format!("{}/v1", server.uri()))
        .token(TokenSource::bearer("token"))
        .build()
        .unwrap();
    let feed = [
        "{\"username\": \"jos\u{e9}\", \"title\": \"Lead\"}",
        "{\"username\": \"jose\u{301}\", \"title\": \"Lead\"}",
    ];
    let job = SyncJob::new(&client, ENV).concurrency(1).unwrap();
    let mut outcomes: Vec<_> = job
        .run(feed.map(|line| Ok(line.to_owned())))
        .collect()
        .await;
    outcomes.sort_by_key(|o| o.line);
    assert_eq!(outcomes[0].status, Status::Unchanged, "{outcomes:#?}");
    assert_eq!(outcomes[1].status, Status::Duplicate, "{outcomes:#?}");
    assert_eq!(outcomes[1].error.as_ref().unwrap().first_line, Some(1));
}
