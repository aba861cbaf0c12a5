//! A sync job whose worker credentials the token endpoint refuses (a wrong secret: 401
//! `invalid_client`): every line needed a token, and each asked the token endpoint again, so
//! that a feed of N lines sent about N token requests (a 10,000-line feed hammered it 10,000
//! times, as OAuth clients do that get the account locked or the IP rate limited). The
//! refusal is remembered for `REFUSAL_HOLD`: one token request per hold, and every line still
//! has its outcome, saying why.
//!
//! Then each line after the refusal was still attempted, and failed with the same error: a
//! refusal that no retry can fix (the token endpoint's 401 `invalid_client` for a wrong secret
//! or an unknown client, an API 401 for a bearer token PingOne does not accept) now stops the
//! job, and every later line is `notAttempted`, with the refusal and the line that got it. A
//! 403, which is about one attribute or one user, does not stop it.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use futures_util::StreamExt;
use sparse_patch::pingone::emulator::Emulator;
use sparse_patch::pingone::sync::{Outcome, Status, SyncJob};
use sparse_patch::pingone::{Client, Error, REFUSAL_HOLD, RetryPolicy, TokenSource, UserPatch};

#[path = "support/emulator_client.rs"]
mod emulator_client;
use emulator_client::{client_of, emulator_bearer_builder};
#[path = "support/mock_pingone.rs"]
mod mock_pingone;
#[path = "support/raw_http.rs"]
mod raw_http;

const LINES: usize = 50;

/// A client of `emulator`'s worker app whose client secret is `secret`, with no retry.
fn worker(emulator: &Emulator, secret: &str) -> Client {
    worker_as(emulator, emulator.client_id(), secret)
}

/// A client of `emulator` with the worker credentials `client_id` and `secret` (its tokens
/// asked of the emulator's token endpoint), with no retry.
fn worker_as(emulator: &Emulator, client_id: &str, secret: &str) -> Client {
    Client::builder()
        .api_base_url(emulator.api_base_url())
        .auth_base_url(emulator.auth_base_url())
        .token(TokenSource::client_credentials(
            emulator.environment_id(),
            client_id,
            secret,
        ))
        .retry_policy(RetryPolicy::never())
        .build()
        .unwrap()
}

fn feed() -> Vec<std::io::Result<String>> {
    (1..=LINES)
        .map(|n| {
            Ok(format!(
                r#"{{"username": "user{n:03}", "title": "Engineer"}}"#
            ))
        })
        .collect()
}

/// The most token requests a run of `elapsed` may send: one per hold begun.
fn bound(elapsed: Duration) -> usize {
    1 + usize::try_from(elapsed.as_nanos() / REFUSAL_HOLD.as_nanos()).unwrap()
}

#[tokio::test]
async fn a_wrong_secret_asks_the_token_endpoint_once_per_hold_not_once_per_line() {
    let emulator = Emulator::builder()
        .worker("worker", "right secret")
        .start()
        .unwrap();
    let client = worker(&emulator, "wrong secret");
    for concurrency in [1, 8] {
        let before = emulator.token_requests();
        let job = SyncJob::new(&client, emulator.environment_id())
            .concurrency(concurrency)
            .unwrap();
        let started = Instant::now();
        let outcomes: Vec<_> = job.run(feed()).collect().await;
        let elapsed = started.elapsed();
        let sent = emulator.token_requests() - before;

        // Every line has its outcome, and it says why.
        let by_line: BTreeMap<_, _> = outcomes.iter().map(|o| (o.line, o)).collect();
        assert_eq!(by_line.len(), LINES, "one outcome per line");
        assert_eq!(outcomes.len(), LINES, "one outcome per line");
        // The job stops at the refusal: only the lines in flight asked for a token, and
        // they fail with it; every other line is not attempted, naming a line that failed.
        let failed = check_stopped(&outcomes, 401, "invalid_client");
        assert!(
            (1..=concurrency).contains(&failed),
            "concurrency {concurrency}: {failed} failed"
        );
        if concurrency == 1 {
            assert_eq!(by_line[&1].status, Status::Failed);
            assert!(
                by_line
                    .values()
                    .skip(1)
                    .all(|o| o.status == Status::NotAttempted)
            );
        }
        // Before: one token request per line (50). Now: one per hold (the second run, within
        // the hold of the first run's refusal, may send none).
        let least = usize::from(concurrency == 1);
        assert!(
            (least..=bound(elapsed)).contains(&sent),
            "concurrency {concurrency}: {sent} token requests in {elapsed:?}"
        );
        // No user request was sent without a token.
        assert!(emulator.requests().is_empty(), "{:?}", emulator.requests());
    }
}

/// The hold ends: a call after it asks the token endpoint again, and credentials that work
/// (a client with the right secret) are never held by another client's refusal.
#[tokio::test]
async fn the_hold_ends_and_is_the_clients_own() {
    let emulator = Emulator::builder()
        .worker("worker", "right secret")
        .start()
        .unwrap();
    let wrong = worker(&emulator, "wrong secret");
    let env = emulator.environment_id().to_owned();
    let user = emulator.user_id().to_owned();
    let first = wrong.get_user(&env, &user).await.unwrap_err();
    assert_eq!(first.status(), Some(401));
    assert!(!first.to_string().contains("remembered"), "{first}");
    assert_eq!(emulator.token_requests(), 1);

    let again = wrong.get_user(&env, &user).await.unwrap_err();
    assert_eq!(emulator.token_requests(), 1, "remembered, not asked again");
    let sparse_patch::pingone::Error::Token {
        status: 401,
        remembered_for: Some(wait),
        ..
    } = &again
    else {
        panic!("{again:?}");
    };
    assert!(*wait <= REFUSAL_HOLD, "{wait:?}");
    assert!(!again.is_retryable(), "{again:?}");
    assert!(
        again.to_string().contains("no token request was sent"),
        "{again}"
    );

    // Another client, with the right secret, is not held.
    let right = worker(&emulator, "right secret");
    right.get_user(&env, &user).await.unwrap();
    assert_eq!(emulator.token_requests(), 2);

    tokio::time::sleep(*wait + Duration::from_millis(50)).await;
    let after = wrong.get_user(&env, &user).await.unwrap_err();
    assert_eq!(
        emulator.token_requests(),
        3,
        "asked again once the hold is over"
    );
    assert!(!after.to_string().contains("remembered"), "{after}");
}

/// Checks that `outcomes` are those of a job stopped by a refusal of `status` whose text holds
/// `code`: some lines failed with it, every other one is not attempted, with that refusal and
/// the number of a line that failed. Returns how many failed.
fn check_stopped(outcomes: &[Outcome], status: u16, code: &str) -> usize {
    let failed: Vec<usize> = outcomes
        .iter()
        .filter(|o| o.status == Status::Failed)
        .map(|o| o.line)
        .collect();
    for outcome in outcomes {
        let error = outcome.error.as_ref().unwrap();
        assert_eq!(error.http_status, Some(status), "{outcome:?}");
        assert!(error.message.contains(code), "{error}");
        match outcome.status {
            Status::Failed => assert_eq!(error.stopped_by, None, "{outcome:?}"),
            Status::NotAttempted => {
                let by = error.stopped_by.unwrap();
                assert!(
                    failed.contains(&by),
                    "{outcome:?} names line {by}: {failed:?}"
                );
                assert!(error.message.contains("not attempted"), "{error}");
                assert!(outcome.patch.is_none(), "{outcome:?}");
            }
            _ => panic!("{outcome:?}"),
        }
    }
    failed.len()
}

/// An unknown client is refused as a wrong secret is (401 `invalid_client`): line 1 fails, and
/// the job stops there. Invalid lines and duplicates after it are still reported as such, and
/// blank lines get no outcome; the summary counts every line.
#[tokio::test]
async fn an_unknown_client_stops_the_job_and_every_later_line_has_its_outcome() {
    let emulator = Emulator::start().unwrap();
    let client = worker_as(&emulator, "no-such-client", "secret");
    let feed = [
        r#"{"username": "dspanner", "title": "CTO"}"#,
        r#"{"username": "ada", "title": "Countess"}"#,
        "",
        "not json",
        r#"{"username": "ADA", "title": "Countess"}"#,
        r#"{"email": "alan@example.com", "nickname": null}"#,
    ];
    for dry_run in [false, true] {
        let job = SyncJob::new(&client, emulator.environment_id())
            .concurrency(1)
            .unwrap()
            .dry_run(dry_run);
        let mut outcomes: Vec<_> = job
            .run(feed.map(|line| Ok(line.to_owned())))
            .collect()
            .await;
        outcomes.sort_by_key(|o| o.line);
        let statuses: Vec<_> = outcomes.iter().map(|o| (o.line, o.status)).collect();
        assert_eq!(
            statuses,
            [
                (1, Status::Failed),
                (2, Status::NotAttempted),
                (4, Status::Invalid),
                (5, Status::Duplicate),
                (6, Status::NotAttempted),
            ],
            "dry run {dry_run}"
        );
        for line in [2, 6] {
            let error = outcomes.iter().find(|o| o.line == line).unwrap();
            let error = error.error.as_ref().unwrap();
            assert_eq!(error.stopped_by, Some(1), "{error:?}");
            assert_eq!(error.http_status, Some(401), "{error:?}");
            assert_eq!(error.code.as_deref(), Some("invalid_client"), "{error:?}");
        }
        let mut summary = sparse_patch::pingone::sync::Summary::default();
        outcomes.iter().for_each(|o| summary.add(o));
        assert_eq!(
            summary.to_string(),
            "5 lines: 1 invalid, 1 duplicate, 1 failed, 2 notAttempted"
        );
        assert_eq!(summary.failed(), 5);
    }
    assert!(emulator.requests().is_empty(), "{:?}", emulator.requests());
}

/// A bearer token that PingOne refuses (401 `ACCESS_FAILED`, expired or revoked: a fixed token
/// is never renewed) stops the job at the first answer, with 8 lines in flight too: the lines
/// waiting for their lookup when it comes are not attempted, and no further request is sent.
#[tokio::test]
async fn an_api_401_stops_the_job() {
    let emulator = Emulator::start().unwrap();
    let client = Client::builder()
        .api_base_url(emulator.api_base_url())
        .token(TokenSource::bearer("not-a-token-pingone-knows"))
        .retry_policy(RetryPolicy::never())
        .build()
        .unwrap();
    for concurrency in [1, 8] {
        let before = emulator.requests().len();
        let job = SyncJob::new(&client, emulator.environment_id())
            .concurrency(concurrency)
            .unwrap();
        let outcomes: Vec<_> = job.run(feed()).collect().await;
        assert_eq!(outcomes.len(), LINES);
        let failed = check_stopped(&outcomes, 401, "ACCESS_FAILED");
        assert!((1..=concurrency).contains(&failed), "{failed} failed");
        let sent = emulator.requests().len() - before;
        assert!(
            (1..=concurrency).contains(&sent),
            "concurrency {concurrency}: {sent} requests"
        );
    }
}

/// A 401 without PingOne's error body (a gateway's refusal with an empty body, or a page) is
/// `Error::Decode` with status 401, which the job took for one line's failure: every line
/// failed alike. It stops the job as the 401 with PingOne's body does.
#[tokio::test]
async fn a_401_without_pingones_body_stops_the_job_too() {
    use wiremock::matchers::method;
    use wiremock::{Mock, MockServer, ResponseTemplate};

    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(401))
        .mount(&server)
        .await;
    let client = mock_pingone::bearer(&server);
    let job = SyncJob::new(&client, mock_pingone::ENV)
        .concurrency(1)
        .unwrap();
    let outcomes: Vec<_> = job.run(feed()).collect().await;
    assert_eq!(outcomes.len(), LINES);
    assert_eq!(check_stopped(&outcomes, 401, ""), 1);
}

/// A 401 whose body the connection cut short (its head announced a `Content-Length` that never
/// arrived: a gateway that closes as it refuses) was `Error::Incomplete`, which the client
/// retried as a transport failure (the refused bearer token sent on every attempt, though the
/// policy never retries a 401) and the job took for one line's failure: every line spent its
/// attempts on it and failed alike. The status is the answer now: sent once, and the job stops
/// as at any 401.
#[tokio::test]
async fn a_401_whose_body_was_cut_short_is_not_retried_and_stops_the_job() {
    use std::sync::atomic::Ordering;

    let (address, requests) = raw_http::answering_every_request(
        b"HTTP/1.1 401 Unauthorized\r\ncontent-type: application/json\r\n\
          content-length: 200\r\n\r\n{\"code\": \"ACCESS_FAILED\"",
    )
    .await;
    let client = Client::builder()
        .api_base_url(format!("http://{address}/v1"))
        .token(TokenSource::bearer("expired"))
        .retry_policy(
            RetryPolicy::default()
                .max_attempts(3)
                .initial_backoff(Duration::from_millis(1))
                .max_backoff(Duration::from_millis(5)),
        )
        .build()
        .unwrap();
    let error = client
        .find_user_by_username(mock_pingone::ENV, "user001")
        .await
        .unwrap_err();
    assert!(
        matches!(
            error,
            sparse_patch::pingone::Error::Incomplete {
                status: 401,
                attempts: 1,
                ..
            }
        ),
        "{error:?}"
    );
    assert!(!error.is_retryable());
    assert_eq!(requests.load(Ordering::SeqCst), 1);
    let job = SyncJob::new(&client, mock_pingone::ENV)
        .concurrency(1)
        .unwrap();
    let outcomes: Vec<_> = job.run(feed()).collect().await;
    assert_eq!(outcomes.len(), LINES);
    assert_eq!(check_stopped(&outcomes, 401, "cut short"), 1);
    assert_eq!(requests.load(Ordering::SeqCst), 2);
}

/// A worker token that PingOne refuses before its time (revoked, its key rotated) is dropped
/// and the call sent again with a fresh one, when the 401 arrives whole
/// (`a_401_drops_the_cached_token` in tests/pingone_token.rs), and when the connection cuts its
/// body short too (a gateway that closes as it refuses): the cut one was returned at once, so
/// the revoked token that a whole 401 would have replaced failed the call, and a sync job
/// stopped at its first line (review 61).
#[tokio::test]
async fn a_cut_401_to_a_worker_token_fetches_a_fresh_one_as_a_whole_401_does() {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use tokio::io::AsyncWriteExt as _;

    const USER: &str = "a38890a6-295a-4d58-9f6e-b72b05fba379";

    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let tokens = Arc::new(AtomicUsize::new(0));
    let patches = Arc::new(AtomicUsize::new(0));
    let (tokens_seen, patches_seen) = (Arc::clone(&tokens), Arc::clone(&patches));
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            let tokens = Arc::clone(&tokens_seen);
            let patches = Arc::clone(&patches_seen);
            tokio::spawn(async move {
                let Some(head) = raw_http::read_request(&mut socket).await else {
                    return;
                };
                let answer: Vec<u8> = if head.starts_with("POST") {
                    let access = if tokens.fetch_add(1, Ordering::SeqCst) == 0 {
                        "revoked"
                    } else {
                        "fresh"
                    };
                    let body =
                        serde_json::json!({"access_token": access, "token_type": "Bearer", "expires_in": 3600})
                            .to_string();
                    format!(
                        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                        body.len()
                    )
                    .into_bytes()
                } else {
                    patches.fetch_add(1, Ordering::SeqCst);
                    if head.to_ascii_lowercase().contains("bearer revoked") {
                        // Refused, and the connection closed inside the body.
                        b"HTTP/1.1 401 Unauthorized\r\ncontent-type: application/json\r\ncontent-length: 200\r\n\r\n{\"code\": \"ACCESS_FAILED\"".to_vec()
                    } else {
                        let body = serde_json::json!({"id": USER, "username": "ada", "email": "ada@example.com", "title": "x"}).to_string();
                        format!(
                            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                            body.len()
                        )
                        .into_bytes()
                    }
                };
                let _ = socket.write_all(&answer).await;
                let _ = socket.shutdown().await;
            });
        }
    });
    let client = Client::builder()
        .api_base_url(format!("http://{address}/v1"))
        .auth_base_url(format!("http://{address}"))
        .token(TokenSource::client_credentials(
            mock_pingone::ENV,
            "id",
            "secret",
        ))
        .retry_policy(RetryPolicy::never())
        .build()
        .unwrap();
    let answer = client
        .update_user(mock_pingone::ENV, USER, &UserPatch::new().title("x"))
        .await;
    assert!(
        !matches!(answer, Err(Error::Incomplete { status: 401, .. })),
        "the revoked token was not replaced: {answer:?}"
    );
    answer.unwrap();
    assert_eq!(tokens.load(Ordering::SeqCst), 2);
    assert_eq!(patches.load(Ordering::SeqCst), 2);
}

/// A 403 is one attribute's (or one user's) refusal: the job goes on, and every line is
/// attempted.
#[tokio::test]
async fn a_403_does_not_stop_the_job() {
    let emulator = Emulator::builder().forbid("title").start().unwrap();
    let client = client_of(&emulator);
    let feed = [
        r#"{"username": "dspanner", "title": "CTO"}"#,
        r#"{"username": "dspanner", "nickname": "D"}"#,
        r#"{"id": "00000000-0000-4000-8000-000000000001", "title": "Lead"}"#,
    ];
    let job = SyncJob::new(&client, emulator.environment_id())
        .concurrency(1)
        .unwrap();
    let mut outcomes: Vec<_> = job
        .run(feed.map(|line| Ok(line.to_owned())))
        .collect()
        .await;
    outcomes.sort_by_key(|o| o.line);
    assert_eq!(outcomes[0].status, Status::Failed, "{:?}", outcomes[0]);
    assert_eq!(outcomes[0].error.as_ref().unwrap().http_status, Some(403));
    assert_eq!(outcomes[1].status, Status::Duplicate, "{:?}", outcomes[1]);
    // Attempted: looked up (no such user), not stopped.
    assert_eq!(outcomes[2].status, Status::NotFound, "{:?}", outcomes[2]);
}

/// A token request that a retry may fix (the token endpoint's 503, RFC 9110 §15.6.4: a
/// condition "likely to be alleviated after some delay") fails its line only: the job goes
/// on, and the next line asks for a token again and is looked up. Only a refusal that no
/// retry fixes stops the job.
#[tokio::test]
async fn a_token_request_answered_503_fails_its_line_and_the_job_goes_on() {
    use wiremock::matchers::method;
    use wiremock::{Mock, MockServer, ResponseTemplate};

    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(503).set_body_json(serde_json::json!({
            "error": "server_error", "error_description": "down for a moment"
        })))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(mock_pingone::token_answer(3600))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "_embedded": {"users": []}, "count": 0, "size": 0
        })))
        .mount(&server)
        .await;
    let client = mock_pingone::worker(&server);
    let job = SyncJob::new(&client, mock_pingone::ENV)
        .concurrency(1)
        .unwrap();
    let mut outcomes: Vec<_> = job.run(feed().into_iter().take(3)).collect().await;
    outcomes.sort_by_key(|o| o.line);
    assert_eq!(outcomes[0].status, Status::Failed, "{:?}", outcomes[0]);
    assert_eq!(outcomes[0].error.as_ref().unwrap().http_status, Some(503));
    for outcome in &outcomes[1..] {
        assert_eq!(outcome.status, Status::NotFound, "{outcome:?}");
    }
    assert_eq!(mock_pingone::posts_received(&server).await, 2);
}

/// The `text` block of the guide's chapter on the sync job (docs/sync_job/README.md, once the
/// README's section) that follows `marker`, one line per entry.
fn chapter_block(marker: &str) -> Vec<&'static str> {
    let chapter = include_str!("../docs/sync_job/README.md");
    let after = &chapter[chapter.find(marker).expect(marker) + marker.len()..];
    let block = &after[after.find("```text\n").expect("a text block") + "```text\n".len()..];
    block[..block.find("```").expect("the block's end")]
        .lines()
        .collect()
}

/// The sync job chapter's report of a wrong secret is that of its own feed, `desired.jsonl`,
/// run with `--concurrency 1` against `pingone-emulator --generate 100`, as it says. It showed
/// a line 2 keyed by `username "user002"` (the feed's line 2 is keyed by `id`) with
/// `lineDigest`s elided, so a reader who ran the commands got other lines than the README (the
/// chapter's place then) printed.
#[tokio::test]
async fn the_readme_report_of_a_wrong_secret_is_its_feeds() {
    let feed: Vec<std::io::Result<String>> = chapter_block("save these lines as\n`desired.jsonl`")
        .into_iter()
        .map(|line| Ok(line.to_owned()))
        .collect();
    assert_eq!(feed.len(), 6, "the chapter's feed");
    let shown =
        chapter_block("`--only-failed report.jsonl` runs the\nfailed and not attempted lines:");
    let mut builder = Emulator::builder().no_users();
    for n in 1..=100 {
        builder = builder.user(sparse_patch::pingone::emulator::generated_user(n));
    }
    let emulator = builder.start().unwrap();
    let client = worker(&emulator, "wrong");
    let job = SyncJob::new(&client, emulator.environment_id())
        .concurrency(1)
        .unwrap();
    let mut outcomes: Vec<Outcome> = job.run(feed).collect().await;
    outcomes.sort_by_key(|outcome| outcome.line);
    let mut report = Vec::new();
    for outcome in &outcomes {
        sparse_patch::pingone::sync::write_outcome(&mut report, outcome).unwrap();
    }
    let report = String::from_utf8(report).unwrap();
    let written: Vec<&str> = report.lines().collect();
    assert_eq!(written[..shown.len()], shown[..], "{report}");
    let statuses: Vec<Status> = outcomes.iter().map(|outcome| outcome.status).collect();
    assert_eq!(
        statuses,
        [
            Status::Failed,
            Status::NotAttempted,
            Status::NotAttempted,
            Status::NotAttempted,
            Status::Invalid,
            Status::Duplicate,
        ],
        "as the chapter says of lines 3 to 6"
    );
}

/// A 403 without PingOne's JSON body (a gateway's page) on every PATCH is the same refusal
/// each time, as the same 403 with PingOne's body is: the job stops after
/// `DEFAULT_STOP_AFTER_REFUSALS` of them. (Mutation testing: not counting an
/// `Error::Decode` 403 went unnoticed.)
#[tokio::test]
async fn the_same_403_without_pingones_body_stops_the_job_after_a_few() {
    use sparse_patch::pingone::sync::DEFAULT_STOP_AFTER_REFUSALS;
    use wiremock::matchers::{method, path};
    use wiremock::{Mock, MockServer, ResponseTemplate};

    let server = MockServer::start().await;
    let id = |n: usize| format!("00000000-0000-4000-8000-{n:012}");
    let lines = DEFAULT_STOP_AFTER_REFUSALS + 3;
    for n in 1..=lines {
        Mock::given(method("GET"))
            .and(path(format!("{}/{}", mock_pingone::USERS_PATH, id(n))))
            .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
                "id": id(n),
                "username": format!("user{n}"),
                "email": format!("user{n}@example.com"),
                "title": "Old",
            })))
            .mount(&server)
            .await;
    }
    Mock::given(method("PATCH"))
        .respond_with(
            ResponseTemplate::new(403).set_body_raw("<html>Forbidden</html>", "text/html"),
        )
        .mount(&server)
        .await;
    let job = SyncJob::new(&mock_pingone::bearer(&server), mock_pingone::ENV)
        .concurrency(1)
        .unwrap();
    let feed = (1..=lines).map(|n| Ok(format!(r#"{{"id": "{}", "title": "New"}}"#, id(n))));
    let outcomes: Vec<_> = job.run(feed.collect::<Vec<_>>()).collect().await;
    let patches = server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .filter(|request| request.method.as_str() == "PATCH")
        .count();
    assert_eq!(patches, DEFAULT_STOP_AFTER_REFUSALS, "{outcomes:?}");
    assert_eq!(
        check_stopped(&outcomes, 403, ""),
        DEFAULT_STOP_AFTER_REFUSALS
    );
}

/// A token endpoint that answers 2xx with something that is no token response (RFC 6749
/// §5.1): a proxy's sign-in page at the token URL, a `DPoP` token, an `expires_in` that is no
/// number. The client holds that answer for `REFUSAL_HOLD` and gives it to every call, as
/// `Error::Decode`; the job took it for one line's failure, as a 2xx of the users API that
/// does not decode is, so every line of the feed failed the same way. It stops the job now as
/// the token endpoint's refusal does: the lines in flight fail, every other is not
/// attempted, naming a line that failed, and no user request is sent.
#[tokio::test]
async fn a_token_endpoint_answering_2xx_with_no_token_stops_the_job() {
    use wiremock::matchers::method;
    use wiremock::{Mock, MockServer, ResponseTemplate};

    let answers = [
        ResponseTemplate::new(200)
            .set_body_raw("<html><body>Sign in to continue</body></html>", "text/html"),
        ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "access_token": "worker-token", "token_type": "DPoP", "expires_in": 3600
        })),
        ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "access_token": "worker-token", "token_type": "Bearer", "expires_in": "an hour"
        })),
    ];
    for answer in answers {
        for concurrency in [1, 8] {
            let server = MockServer::start().await;
            Mock::given(method("POST"))
                .respond_with(answer.clone())
                .mount(&server)
                .await;
            Mock::given(method("GET"))
                .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
                    "_embedded": {"users": []}, "count": 0, "size": 0
                })))
                .mount(&server)
                .await;
            let job = SyncJob::new(&mock_pingone::worker(&server), mock_pingone::ENV)
                .concurrency(concurrency)
                .unwrap();
            let started = Instant::now();
            let outcomes: Vec<_> = job.run(feed()).collect().await;
            let elapsed = started.elapsed();
            assert_eq!(outcomes.len(), LINES);
            let failed = check_stopped(&outcomes, 200, "token response");
            assert!(
                (1..=concurrency).contains(&failed),
                "concurrency {concurrency}: {failed} failed: {outcomes:?}"
            );
            let requests = server.received_requests().await.unwrap();
            assert!(
                requests
                    .iter()
                    .all(|request| request.method.as_str() == "POST"),
                "{requests:?}"
            );
            assert!(requests.len() <= bound(elapsed), "{requests:?}");
        }
    }
}

/// The control of the test above: a 2xx of the users API that does not decode (a proxy's
/// JSON that is no page of users) is that line's failure, with a token in hand: the job goes
/// on, and every line is attempted.
#[tokio::test]
async fn a_users_answer_that_does_not_decode_fails_its_line_and_the_job_goes_on() {
    use wiremock::matchers::method;
    use wiremock::{Mock, MockServer, ResponseTemplate};

    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(mock_pingone::token_answer(3600))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({"status": "ok"})))
        .mount(&server)
        .await;
    let job = SyncJob::new(&mock_pingone::worker(&server), mock_pingone::ENV)
        .concurrency(1)
        .unwrap();
    let outcomes: Vec<_> = job.run(feed().into_iter().take(3)).collect().await;
    assert_eq!(outcomes.len(), 3);
    for outcome in &outcomes {
        assert_eq!(outcome.status, Status::Failed, "{outcome:?}");
        assert_eq!(outcome.error.as_ref().unwrap().stopped_by, None);
    }
    assert_eq!(mock_pingone::posts_received(&server).await, 1);
}

/// A line whose users answer does not decode (a 2xx that is no page of users) while the token
/// endpoint's last fetch, made by another call of the client in the meantime, got a 2xx that
/// is no token response: the line's own failure was taken for the token endpoint's, since
/// the job asked the token cache whether it holds such an answer, not whether the line got
/// it. The job stopped at that line, naming the users answer as the refusal every later call
/// would get; the operator then looked at the API, not at the token URL. The line fails
/// alone now, and the next line, which gets the token endpoint's answer, stops the job with
/// it.
#[tokio::test]
async fn a_lines_own_undecodable_answer_is_not_taken_for_the_token_endpoints() {
    use wiremock::matchers::method;
    use wiremock::{Mock, MockServer, ResponseTemplate};

    let server = MockServer::start().await;
    // A token usable for 3 s (`expires_in` 4: refreshed after 2 s, sent until 3 s), then a
    // proxy's sign-in page.
    Mock::given(method("POST"))
        .respond_with(mock_pingone::token_answer(4))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_raw("<html><body>Sign in to continue</body></html>", "text/html"),
        )
        .mount(&server)
        .await;
    // Line 1's lookup, sent with the first token, answers after the token is no longer
    // usable, with JSON that is no page of users.
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(serde_json::json!({"status": "ok"}))
                .set_delay(Duration::from_secs(5)),
        )
        .mount(&server)
        .await;
    let server = std::sync::Arc::new(server);
    let client = mock_pingone::worker(&server);
    // Another call of the same client, once the token is no longer usable (3.5 s after it
    // was issued): its fetch gets the sign-in page, which the token cache then holds.
    let other = client.clone();
    let token_server = std::sync::Arc::clone(&server);
    let other_call = tokio::spawn(async move {
        while mock_pingone::posts_received(&token_server).await == 0 {
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        tokio::time::sleep(Duration::from_millis(3500)).await;
        other.get_user(mock_pingone::ENV, mock_pingone::USER).await
    });
    let job = SyncJob::new(&client, mock_pingone::ENV)
        .concurrency(1)
        .unwrap();
    let outcomes: Vec<_> = job.run(feed().into_iter().take(3)).collect().await;
    let other_error = other_call.await.unwrap().unwrap_err();
    assert!(
        other_error.to_string().contains("token response"),
        "{other_error}"
    );
    let by_line: BTreeMap<_, _> = outcomes.iter().map(|o| (o.line, o)).collect();
    assert_eq!(by_line.len(), 3, "{outcomes:?}");
    let first = by_line[&1].error.as_ref().unwrap();
    assert_eq!(by_line[&1].status, Status::Failed, "{outcomes:?}");
    assert!(!first.message.contains("token response"), "{first}");
    assert_eq!(first.stopped_by, None, "{first}");
    check_stopped(&outcomes[1..], 200, "token response");
    for outcome in &outcomes[1..] {
        assert!(outcome.line > 1, "{outcome:?}");
    }
}

/// A line whose PATCH never went out, because the token for it could not be fetched (the
/// lookup's token expired while the lookup ran, and the token endpoint answered later than the
/// client's timeout), is not said to have maybe been applied: a timeout of the token request
/// is no PATCH that may have landed, and the user is as the line found it.
#[tokio::test]
async fn a_patch_whose_token_timed_out_was_never_sent_and_not_applied() {
    use mock_pingone::{ENV, TOKEN_PATH, USER, USER_PATH};
    use serde_json::json;
    use wiremock::matchers::{method, path};
    use wiremock::{Mock, MockServer, ResponseTemplate};

    let server = MockServer::start().await;
    let token = json!({"access_token": "t1", "token_type": "Bearer", "expires_in": 1});
    Mock::given(method("POST"))
        .and(path(TOKEN_PATH))
        .respond_with(ResponseTemplate::new(200).set_body_json(token.clone()))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path(TOKEN_PATH))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(token)
                .set_delay(Duration::from_secs(10)),
        )
        .with_priority(2)
        .mount(&server)
        .await;
    // Longer than the token's life (1 s, less its refresh margin).
    Mock::given(method("GET"))
        .and(path(USER_PATH))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({
                    "id": USER, "username": "ada", "email": "ada@example.com", "title": "B",
                    "environment": {"id": ENV}, "population": {"id": ENV}
                }))
                .set_delay(Duration::from_millis(1_500)),
        )
        .mount(&server)
        .await;
    let client = Client::builder()
        .api_base_url(format!("{}/v1", server.uri()))
        .auth_base_url(server.uri())
        .token(TokenSource::client_credentials(ENV, "worker", "s3cret"))
        .timeout(Duration::from_secs(3))
        .retry_policy(RetryPolicy::never())
        .build()
        .unwrap();
    let job = SyncJob::new(&client, ENV);
    let line = format!(r#"{{"id": "{USER}", "title": "A"}}"#);
    let outcomes: Vec<Outcome> = job.run(vec![Ok(line)]).collect().await;
    let outcome = &outcomes[0];
    assert_eq!(outcome.status, Status::Failed, "{outcome:?}");
    let requests = server.received_requests().await.unwrap();
    assert_eq!(
        requests
            .iter()
            .filter(|request| request.method.as_str() == "PATCH")
            .count(),
        0,
        "{outcome:?}"
    );
    let error = outcome.error.as_ref().unwrap();
    assert!(!error.may_have_been_applied, "{outcome:?}");
    assert!(
        !error.message.contains("may have been applied"),
        "{error:?}"
    );
}

/// A line whose PATCH could not connect (the server closed its port after the lookup's
/// answer), on one attempt or on each of two, is not said to have maybe been applied: a
/// connection that was never made sent nothing, whereas one lost after it was made may have
/// (`Error::Transport`).
#[tokio::test]
async fn a_patch_whose_connection_was_refused_was_not_applied() {
    for attempts in [1, 2] {
        let outcome = one_line_whose_patch_cannot_connect(attempts).await;
        assert_eq!(outcome.status, Status::Failed, "{outcome:?}");
        assert!(
            outcome.patch.is_some(),
            "the lookup was answered: {outcome:?}"
        );
        let error = outcome.error.as_ref().unwrap();
        assert!(!error.may_have_been_applied, "{attempts}: {outcome:?}");
    }
}

/// A server that answers the requests of its connections with `answers` in turn, one a
/// connection, and then closes its port; the lookup of user [`mock_pingone::USER`] is the
/// first answer. Its address, and the task to await.
async fn answering_in_turn(
    answers: Vec<Vec<u8>>,
) -> (std::net::SocketAddr, tokio::task::JoinHandle<()>) {
    use mock_pingone::{ENV, USER};
    use tokio::io::AsyncWriteExt;

    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let user = serde_json::json!({
        "id": USER, "username": "ada", "email": "ada@example.com", "title": "B",
        "environment": {"id": ENV}, "population": {"id": ENV}
    })
    .to_string();
    let lookup = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\
         Connection: close\r\n\r\n{user}",
        user.len()
    );
    let server = tokio::spawn(async move {
        let mut answers = std::iter::once(lookup.into_bytes())
            .chain(answers)
            .peekable();
        while let Some(answer) = answers.next() {
            let (mut socket, _) = listener.accept().await.unwrap();
            if answers.peek().is_none() {
                // The port is closed before the last answer: a later connection is refused.
                drop(listener);
                raw_http::read_request(&mut socket).await.unwrap();
                socket.write_all(&answer).await.unwrap();
                let _ = socket.shutdown().await;
                return;
            }
            raw_http::read_request(&mut socket).await.unwrap();
            socket.write_all(&answer).await.unwrap();
            let _ = socket.shutdown().await;
        }
    });
    (address, server)
}

/// A PATCH answered a 502, whose body is too large to read or cut short, and retried into a
/// 409, may have been applied by the attempt that failed (RFC 9110 §15.6): the line says so,
/// though its error is the 409's.
#[tokio::test]
async fn a_patch_retried_after_an_unread_server_failure_may_have_been_applied() {
    let conflict = r#"{"id": "e1", "code": "CONFLICT", "message": "Conflict."}"#;
    let conflict = format!(
        "HTTP/1.1 409 Conflict\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\
         Connection: close\r\n\r\n{conflict}",
        conflict.len()
    );
    for failure in [
        // Over `MAX_BODY_BYTES`: not read.
        "HTTP/1.1 502 Bad Gateway\r\nContent-Length: 20000000\r\nConnection: close\r\n\r\n",
        // Cut short.
        "HTTP/1.1 502 Bad Gateway\r\nContent-Length: 100\r\nConnection: close\r\n\r\nshort",
    ] {
        let answers = vec![failure.as_bytes().to_vec(), conflict.clone().into_bytes()];
        let (address, server) = answering_in_turn(answers).await;
        let outcome = one_line_against(address, 2).await;
        server.await.unwrap();
        assert_eq!(outcome.status, Status::Failed, "{outcome:?}");
        let error = outcome.error.as_ref().unwrap();
        assert_eq!(error.http_status, Some(409), "{outcome:?}");
        assert!(error.may_have_been_applied, "{failure}: {outcome:?}");
    }
}

/// The outcome of one line whose lookup is answered by a server that then closes its port,
/// with a client of `attempts` attempts.
async fn one_line_whose_patch_cannot_connect(attempts: u32) -> Outcome {
    let (address, server) = answering_in_turn(Vec::new()).await;
    let outcome = one_line_against(address, attempts).await;
    server.await.unwrap();
    outcome
}

/// The outcome of one line for user [`mock_pingone::USER`] against the server at `address`,
/// with a client of `attempts` attempts.
async fn one_line_against(address: std::net::SocketAddr, attempts: u32) -> Outcome {
    use mock_pingone::{ENV, USER};

    let client = Client::builder()
        .api_base_url(format!("http://{address}/v1"))
        .token(TokenSource::bearer("token"))
        .retry_policy(
            RetryPolicy::default()
                .max_attempts(attempts)
                .initial_backoff(Duration::from_millis(1))
                .max_backoff(Duration::from_millis(2)),
        )
        .build()
        .unwrap();
    let job = SyncJob::new(&client, ENV);
    let line = format!(r#"{{"id": "{USER}", "title": "A"}}"#);
    let outcomes: Vec<Outcome> = job.run(vec![Ok(line)]).collect().await;
    outcomes.into_iter().next().unwrap()
}

/// A line that found its user and then met the job's stop before its PATCH (it waited for an
/// earlier line's turn, and that line got a 401) is `notAttempted` with the user's ID; a
/// later line with its key is a duplicate of it without that ID: the user was never claimed
/// nor changed, and a rerun of the failed lines looks the key up again. (Mutation testing,
/// S40: taking such an outcome for the line's finding of its user, which gave the duplicate
/// the user's ID, went unnoticed.)
#[tokio::test]
async fn a_duplicate_of_a_line_stopped_after_its_lookup_is_given_no_user_id() {
    use sparse_patch::pingone::emulator::{Fault, REFERENCE_USER_ID};
    let emulator = Emulator::start().unwrap();
    let client = emulator_bearer_builder(&emulator).build().unwrap();
    // Line 1's lookup waits out a 503's Retry-After, then gets a 401, which stops the job;
    // line 2 has found its user by then and waits for line 1's turn to claim it.
    emulator.inject_for_transaction(
        "line-1",
        Fault::ServiceUnavailable {
            retry_after: Some("2".to_owned()),
        },
    );
    emulator.inject_for_transaction(
        "line-1",
        Fault::ApiError {
            status: 401,
            code: "ACCESS_FAILED".to_owned(),
        },
    );
    let feed = [
        r#"{"username": "nobody", "title": "Engineer"}"#,
        r#"{"username": "dspanner", "title": "CTO"}"#,
        r#"{"username": "dspanner", "title": "CEO"}"#,
    ]
    .map(|line| Ok(line.to_owned()));
    let job = SyncJob::new(&client, emulator.environment_id())
        .concurrency(3)
        .unwrap();
    let mut outcomes: Vec<_> = job.run(feed).collect().await;
    outcomes.sort_by_key(|outcome| outcome.line);
    let statuses: Vec<_> = outcomes.iter().map(|outcome| outcome.status).collect();
    assert_eq!(
        statuses,
        [Status::Failed, Status::NotAttempted, Status::Duplicate],
        "{outcomes:?}"
    );
    assert_eq!(outcomes[1].user_id.as_deref(), Some(REFERENCE_USER_ID));
    assert_eq!(outcomes[2].user_id, None, "{:?}", outcomes[2]);
    assert!(emulator.patches_to(REFERENCE_USER_ID).is_empty());
}
