//! A sync job pointed at the wrong place, or run by a worker that may not read users: every
//! call gets the same answer, and no retry can fix it.
//!
//! An API base URL without PingOne's `/v1` (`PINGONE_API_PATH=http://127.0.0.1:8080`, a
//! gateway's URL missing its prefix), or an environment ID that is not this one, makes every
//! call 404. A line keyed by `id` then read that 404 as "no user has id ...": a whole feed of
//! users that exist was reported `notFound`, which sends one looking for users instead of at
//! the URL; a line keyed by `username` failed on its own, and the job went on sending a lookup
//! for each line. A worker application without a role that reads users gets 403 on every
//! lookup, and the job went on the same way.
//!
//! Now a 404 or 403 of the users *collection* (the list that finds users by `username` and
//! `email`, which names no user) stops the job as a refused token does: it is no one user's
//! answer. A 404 or 403 on one user by `id` may be that user's alone (no such user; a user
//! outside the population the worker's role is scoped to), so the job asks the collection
//! once (`GET .../users?limit=1`): if it answers, the line is that user's `notFound` (or its
//! 403 `failed`) and the job goes on; if it does not, the job stops, saying which URL and why.

#[path = "support/raw_http.rs"]
mod raw_http;

use std::collections::BTreeMap;

use futures_util::StreamExt;
use serde_json::json;
use sparse_patch::pingone::emulator::Emulator;
use sparse_patch::pingone::sync::{Outcome, Status, SyncJob};
use sparse_patch::pingone::{Client, RetryPolicy, TokenSource};
use wiremock::matchers::{method, path, path_regex};
use wiremock::{Mock, MockServer, ResponseTemplate};

const ENV: &str = "abfba8f6-49eb-49f5-a5d9-80ad5c98f9f6";

fn client(base: &str, token: &str) -> Client {
    Client::builder()
        .api_base_url(base)
        .token(TokenSource::bearer(token))
        .retry_policy(RetryPolicy::never())
        .build()
        .unwrap()
}

async fn run(job: &SyncJob, feed: &[String]) -> BTreeMap<usize, Outcome> {
    job.run(feed.iter().map(|line| Ok(line.clone())).collect::<Vec<_>>())
        .collect::<Vec<_>>()
        .await
        .into_iter()
        .map(|outcome| (outcome.line, outcome))
        .collect()
}

fn id(n: usize) -> String {
    format!("00000000-0000-4000-8000-{n:012}")
}

fn id_feed(lines: usize) -> Vec<String> {
    (1..=lines)
        .map(|n| format!(r#"{{"id": "{}", "title": "Lead"}}"#, id(n)))
        .collect()
}

fn username_feed(lines: usize) -> Vec<String> {
    (1..=lines)
        .map(|n| format!(r#"{{"username": "user{n:03}", "title": "Lead"}}"#))
        .collect()
}

fn seeded() -> Emulator {
    let mut builder = Emulator::builder().no_users();
    for n in 1..=20 {
        builder = builder.user(sparse_patch::pingone::emulator::generated_user(n));
    }
    builder.start().unwrap()
}

/// The job stopped at one line (or, with lines in flight, a few): they are `failed` with
/// `status` and a message holding `says`; every other line is `notAttempted`, naming one of
/// them. Returns the lines that failed.
fn stopped(outcomes: &BTreeMap<usize, Outcome>, status: u16, says: &str) -> Vec<usize> {
    let failed: Vec<usize> = outcomes
        .values()
        .filter(|o| o.status == Status::Failed)
        .map(|o| o.line)
        .collect();
    assert!(!failed.is_empty(), "{outcomes:#?}");
    for outcome in outcomes.values() {
        let error = outcome.error.as_ref().expect("an error");
        assert_eq!(error.http_status, Some(status), "{outcome:?}");
        assert!(
            error.message.contains(says),
            "{says:?} not in {}",
            error.message
        );
        match outcome.status {
            Status::Failed => assert_eq!(error.stopped_by, None),
            Status::NotAttempted => {
                assert!(failed.contains(&error.stopped_by.unwrap()), "{outcome:?}");
            }
            other => panic!("line {}: {other}: {outcome:?}", outcome.line),
        }
    }
    failed
}

/// The emulator's URL without `/v1`: every line keyed by `id` said "no user has id ...",
/// though every one of those users exists.
#[tokio::test]
async fn a_base_url_without_v1_stops_the_job_instead_of_finding_no_user() {
    let emulator = seeded();
    let base = format!("http://{}", emulator.addr());
    let client = client(&base, emulator.token());
    for feed in [id_feed(12), username_feed(12)] {
        for concurrency in [1, 4] {
            let job = SyncJob::new(&client, emulator.environment_id())
                .concurrency(concurrency)
                .unwrap();
            let outcomes = run(&job, &feed).await;
            assert_eq!(outcomes.len(), 12);
            assert!(
                outcomes.values().all(|o| o.status != Status::NotFound),
                "{outcomes:#?}"
            );
            let failed = stopped(&outcomes, 404, "users collection");
            assert!(failed.len() <= concurrency, "{failed:?}");
            let message = &outcomes[&failed[0]].error.as_ref().unwrap().message;
            // Names the URL asked, and what to check.
            assert!(message.contains(&base), "{message}");
            assert!(message.contains("/v1"), "{message}");
            assert!(message.contains("environment ID"), "{message}");
        }
    }
    // Nothing was changed.
    assert_eq!(emulator.user(&id(1)).unwrap()["title"], "Engineer");
}

/// A valid UUID that is not the environment: the same 404 on every call, and the same stop.
#[tokio::test]
async fn another_environment_id_stops_the_job() {
    let emulator = seeded();
    let client = client(emulator.api_base_url(), emulator.token());
    let job = SyncJob::new(&client, "11111111-2222-4333-8444-555555555555")
        .concurrency(1)
        .unwrap();
    let outcomes = run(&job, &id_feed(5)).await;
    assert_eq!(stopped(&outcomes, 404, "environment ID"), [1]);
}

/// An environment ID that is no UUID (`my-env`): every line failed alike with the client's
/// refusal of the ID, each on its own. Nothing can be sent with it: the first line fails
/// naming it, and the others are not attempted.
#[tokio::test]
async fn an_environment_id_that_is_no_uuid_stops_the_job() {
    let emulator = seeded();
    let client = client(emulator.api_base_url(), emulator.token());
    for feed in [id_feed(6), username_feed(6)] {
        let job = SyncJob::new(&client, "my-env").concurrency(1).unwrap();
        let outcomes = run(&job, &feed).await;
        let statuses: Vec<Status> = outcomes.values().map(|o| o.status).collect();
        assert_eq!(statuses[0], Status::Failed, "{outcomes:#?}");
        assert!(
            statuses[1..].iter().all(|s| *s == Status::NotAttempted),
            "{outcomes:#?}"
        );
        let message = &outcomes[&1].error.as_ref().unwrap().message;
        assert!(
            message.contains("\"my-env\" is not a PingOne ID"),
            "{message}"
        );
        assert_eq!(outcomes[&6].error.as_ref().unwrap().stopped_by, Some(1));
    }
}

/// With the right URL, a line keyed by an `id` that no user has is still `notFound`, the job
/// goes on, and the collection is asked once however many such lines there are.
#[tokio::test]
async fn an_id_that_no_user_has_is_still_not_found() {
    let emulator = seeded();
    let client = client(emulator.api_base_url(), emulator.token());
    let mut feed = id_feed(3);
    feed.extend((900..910).map(|n| format!(r#"{{"id": "{}", "title": "Lead"}}"#, id(n))));
    for concurrency in [1, 8] {
        let before = emulator.requests().len();
        let job = SyncJob::new(&client, emulator.environment_id())
            .concurrency(concurrency)
            .unwrap();
        let outcomes = run(&job, &feed).await;
        let statuses: Vec<Status> = outcomes.values().map(|o| o.status).collect();
        let mut expected = vec![
            if concurrency == 1 {
                Status::Changed
            } else {
                Status::Unchanged
            };
            3
        ];
        expected.extend([Status::NotFound; 10]);
        assert_eq!(statuses, expected, "{outcomes:#?}");
        let lists = emulator.requests()[before..]
            .iter()
            .filter(|r| r.method == "GET" && !r.path.contains("/users/"))
            .count();
        // Lines 1 to 3 found their users before any 404 at concurrency 1: the collection
        // answered already, and is not asked. In flight together, at most one asks it.
        assert!(lists <= 1, "{lists} lists");
    }
}

/// PingOne's 403 for a worker that has no role reading users.
fn forbidden() -> ResponseTemplate {
    ResponseTemplate::new(403).set_body_json(json!({
        "id": "b6f5b7d9-7c1a-4c9e-9a76-2a7f6d0e6e1a",
        "code": "ACCESS_FAILED",
        "message": "The request could not be completed. You do not have access to this resource.",
        "details": [{"code": "INSUFFICIENT_PERMISSIONS", "message": "Actor does not have permissions to access users"}]
    }))
}

/// A worker without a role that reads users: 403 on every lookup, by `username` (the list)
/// and by `id` (the user, then the list). The job went on, one lookup per line.
#[tokio::test]
async fn a_403_on_every_lookup_stops_the_job() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path_regex("^/v1/environments/[^/]+/users"))
        .respond_with(forbidden())
        .mount(&server)
        .await;
    let client = client(&format!("{}/v1", server.uri()), "token");
    for feed in [username_feed(10), id_feed(10)] {
        let job = SyncJob::new(&client, ENV).concurrency(1).unwrap();
        let outcomes = run(&job, &feed).await;
        assert_eq!(outcomes.len(), 10);
        assert_eq!(stopped(&outcomes, 403, "may not read"), [1]);
    }
    // Line 1 by username: one list; line 1 by id: the user, then the list. Nothing more.
    let sent = server.received_requests().await.unwrap();
    assert_eq!(sent.len(), 3, "{sent:#?}");
}

/// A 403 on one user by `id` while the collection answers (a user outside the population the
/// worker's role is scoped to) is that line's failure alone: the job goes on.
#[tokio::test]
async fn a_403_on_one_user_does_not_stop_the_job() {
    let server = MockServer::start().await;
    let hidden = id(2);
    Mock::given(method("GET"))
        .and(path(format!("/v1/environments/{ENV}/users/{hidden}")))
        .respond_with(forbidden())
        .mount(&server)
        .await;
    for n in [1, 3] {
        let user = json!({"id": id(n), "username": format!("user{n:03}"), "email": "u@example.com", "title": "Lead"});
        Mock::given(method("GET"))
            .and(path(format!("/v1/environments/{ENV}/users/{}", id(n))))
            .respond_with(ResponseTemplate::new(200).set_body_json(user))
            .mount(&server)
            .await;
    }
    Mock::given(method("GET"))
        .and(path(format!("/v1/environments/{ENV}/users")))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "_embedded": {"users": [{"id": id(1), "username": "user001", "email": "u@example.com"}]},
            "count": 3, "size": 1
        })))
        .mount(&server)
        .await;
    let client = client(&format!("{}/v1", server.uri()), "token");
    let job = SyncJob::new(&client, ENV).concurrency(1).unwrap();
    let outcomes = run(&job, &[id_feed(3)[1].clone(), id_feed(3)[2].clone()]).await;
    assert_eq!(outcomes[&1].status, Status::Failed, "{outcomes:#?}");
    let error = outcomes[&1].error.as_ref().unwrap();
    assert_eq!(error.http_status, Some(403));
    assert_eq!(error.stopped_by, None);
    assert_eq!(outcomes[&2].status, Status::Unchanged, "{outcomes:#?}");
}

/// The page a gateway or a WAF answers a path it does not serve with: a 404 that is not
/// PingOne's error body.
fn gateway_404_page() -> ResponseTemplate {
    ResponseTemplate::new(404)
        .insert_header("content-type", "text/html")
        .set_body_string("<html><body>Not Found</body></html>")
}

/// A gateway in front of PingOne (or another server) answers a path it does not serve with
/// its own page, not PingOne's error body: by `id` each line failed on its own with that 404
/// and the job went on; it stops as for PingOne's 404.
#[tokio::test]
async fn a_gateways_404_page_stops_the_job_too() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(gateway_404_page())
        .mount(&server)
        .await;
    let client = client(&server.uri(), "token");
    for feed in [id_feed(6), username_feed(6)] {
        let job = SyncJob::new(&client, ENV).concurrency(1).unwrap();
        let outcomes = run(&job, &feed).await;
        assert_eq!(stopped(&outcomes, 404, "users collection"), [1]);
    }
}

/// A 404 whose body the connection cut short (a gateway that closes as it answers a path it
/// does not serve, before the `Content-Length` it announced) is `Error::Incomplete` with
/// status 404, which the job did not read as the collection's answer: each line failed on its
/// own and the job went on sending a lookup for each. The status is the answer: it stops as
/// at a whole 404, by `id` and by `username`.
#[tokio::test]
async fn a_404_whose_body_was_cut_short_stops_the_job_too() {
    let (address, _) = raw_http::answering_every_request(
        b"HTTP/1.1 404 Not Found\r\ncontent-type: text/html\r\n\
          content-length: 300\r\n\r\n<html><head><title>404",
    )
    .await;
    let client = client(&format!("http://{address}"), "token");
    for feed in [id_feed(6), username_feed(6)] {
        let job = SyncJob::new(&client, ENV).concurrency(1).unwrap();
        let outcomes = run(&job, &feed).await;
        assert_eq!(stopped(&outcomes, 404, "users collection"), [1]);
    }
}

/// A 404 on one user by `id` that is not PingOne's error body (a gateway's or a WAF's page)
/// while the collection answers is not PingOne saying that no user has that ID: the line is
/// `failed` with that 404 (a rerun tries it again), not `notFound`, and the job goes on. Only
/// PingOne's own 404 makes a line `notFound`. (Mutation review 44: reading that page as "no
/// user" went unnoticed.)
#[tokio::test]
async fn a_404_page_that_is_not_pingones_on_one_user_fails_that_line() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(format!("/v1/environments/{ENV}/users/{}", id(2))))
        .respond_with(gateway_404_page())
        .mount(&server)
        .await;
    let user =
        json!({"id": id(1), "username": "user001", "email": "u@example.com", "title": "Lead"});
    Mock::given(method("GET"))
        .and(path(format!("/v1/environments/{ENV}/users/{}", id(1))))
        .respond_with(ResponseTemplate::new(200).set_body_json(user.clone()))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(format!("/v1/environments/{ENV}/users")))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"_embedded": {"users": [user]}, "count": 2, "size": 1})),
        )
        .mount(&server)
        .await;
    let client = client(&format!("{}/v1", server.uri()), "token");
    let job = SyncJob::new(&client, ENV).concurrency(1).unwrap();
    let feed = id_feed(2);
    let outcomes = run(&job, &[feed[1].clone(), feed[0].clone()]).await;
    assert_eq!(outcomes[&1].status, Status::Failed, "{outcomes:#?}");
    let error = outcomes[&1].error.as_ref().unwrap();
    assert_eq!(error.http_status, Some(404));
    assert_eq!(error.stopped_by, None);
    assert_eq!(outcomes[&2].status, Status::Unchanged, "{outcomes:#?}");
}

/// A URL that no server answers: a port that nothing listens on.
fn closed_port_url() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    drop(listener);
    format!("http://{addr}/v1")
}

/// An API that cannot be reached from the start (a mistyped host, a VPN that is down, the
/// emulator not started): every line spent its retries failing to connect, and the job went on
/// to the next (a new user's trial: `PINGONE_API_PATH=http://127.0.0.1:9/v1`, five attempts
/// a line). Now the first failure to connect, before any lookup was answered, stops the job.
#[tokio::test]
async fn an_api_that_cannot_be_reached_stops_the_job() {
    let client = client(&closed_port_url(), "token");
    for concurrency in [1, 3] {
        let job = SyncJob::new(&client, ENV).concurrency(concurrency).unwrap();
        let outcomes = run(&job, &username_feed(8)).await;
        let failed: Vec<usize> = outcomes
            .values()
            .filter(|o| o.status == Status::Failed)
            .map(|o| o.line)
            .collect();
        assert!(
            !failed.is_empty() && failed.len() <= concurrency,
            "{outcomes:#?}"
        );
        for outcome in outcomes.values() {
            let error = outcome.error.as_ref().unwrap();
            match outcome.status {
                Status::Failed => assert!(error.message.contains("transport"), "{error:?}"),
                Status::NotAttempted => {
                    assert!(failed.contains(&error.stopped_by.unwrap()), "{outcome:?}");
                }
                other => panic!("line {}: {other}: {outcome:?}", outcome.line),
            }
        }
    }
}

/// Once a lookup was answered, a failure to connect is taken for a passing fault: that line
/// fails, and the job goes on (the API went away after line 1 here).
#[tokio::test]
async fn a_failed_connection_after_an_answer_is_that_lines_alone() {
    let emulator = seeded();
    let client = client(emulator.api_base_url(), emulator.token());
    let job = SyncJob::new(&client, emulator.environment_id())
        .concurrency(1)
        .unwrap()
        .dry_run(true);
    let (feed, lines) = tokio::sync::mpsc::unbounded_channel::<std::io::Result<String>>();
    let mut lines = lines;
    let mut outcomes =
        Box::pin(job.run_stream(futures_util::stream::poll_fn(move |cx| lines.poll_recv(cx))));
    let mut emulator = Some(emulator);
    let mut statuses = Vec::new();
    for line in username_feed(4) {
        feed.send(Ok(line)).unwrap();
        let outcome = outcomes.next().await.unwrap();
        statuses.push(outcome.status);
        // Gone after the first answer.
        emulator.take();
    }
    drop(feed);
    assert!(outcomes.next().await.is_none());
    assert_eq!(
        statuses,
        [
            Status::WouldChange,
            Status::Failed,
            Status::Failed,
            Status::Failed
        ]
    );
}

/// PingOne answering 429 with a `Retry-After` longer than the client's retry policy waits out
/// (a quota whose reset is minutes away): the line's call returns at once (it is not retried
/// before the server said), and every later line sent its own lookup into the same 429 and
/// failed, a request per line at full speed against a limit that had said when to come back.
/// Now the job stops at the first such answer, the later lines `notAttempted`, for a run
/// after the wait. A wait the policy waits out (here none is retried, `RetryPolicy::never`,
/// but 1 s is within `max_retry_after`) is that line's alone: the job goes on.
#[tokio::test]
async fn an_answer_that_asks_to_wait_longer_than_the_client_waits_stops_the_job() {
    for (retry_after, stops) in [("120", true), ("1", false)] {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .respond_with(
                ResponseTemplate::new(429)
                    .insert_header("retry-after", retry_after)
                    .set_body_json(json!({
                        "id": "q1", "code": "REQUEST_LIMITED", "message": "Quota exceeded.",
                        "details": [{"code": "QUOTA_EXCEEDED", "message": "Quota exceeded."}]
                    })),
            )
            .mount(&server)
            .await;
        let client = client(&format!("{}/v1", server.uri()), "token");
        for concurrency in [1, 3] {
            let job = SyncJob::new(&client, ENV).concurrency(concurrency).unwrap();
            let before = server.received_requests().await.unwrap().len();
            let outcomes = run(&job, &username_feed(8)).await;
            let sent = server.received_requests().await.unwrap().len() - before;
            let case = format!("Retry-After {retry_after}, concurrency {concurrency}");
            assert_eq!(outcomes.len(), 8, "{case}");
            if stops {
                let failed = stopped(&outcomes, 429, "the answer asked to wait 120s");
                assert!(failed.len() <= concurrency, "{case}: {outcomes:#?}");
                assert!(sent <= concurrency, "{case}: {sent} requests");
            } else {
                assert!(
                    outcomes.values().all(|o| o.status == Status::Failed),
                    "{case}: {outcomes:#?}"
                );
                assert_eq!(sent, 8, "{case}");
            }
        }
    }
}

/// A proxy that asks for credentials (`407 Proxy Authentication Required`) of a plain `http`
/// API URL (a gateway inside the network; the proxy from `proxy` or `HTTP_PROXY`): to an
/// `https` request's `CONNECT` the 407 is a transport error that says so and stops the job,
/// but to an `http` request the proxy answers it in place of the server, and the error said
/// "could not decode the HTTP 407 body (not a PingOne error body)", as if PingOne had
/// answered, and every line of the job sent its lookup into the same 407
/// (0x676e67/wreq-python#419: 407 on `http` requests only). Now its text says that the proxy
/// asked for credentials and where they go, and the job stops at the first line.
#[tokio::test]
async fn a_proxys_407_to_an_http_request_says_so_and_stops_the_job() {
    let proxy = MockServer::start().await;
    Mock::given(wiremock::matchers::any())
        .respond_with(
            ResponseTemplate::new(407)
                .insert_header("proxy-authenticate", "Basic realm=\"corp\"")
                .set_body_string("<html><body>Proxy Authentication Required</body></html>"),
        )
        .mount(&proxy)
        .await;
    let client = Client::builder()
        .api_base_url("http://gateway.example.test/v1")
        // Another machine over plain http, which only the proxy reaches.
        .allow_plain_http(true)
        .token(TokenSource::bearer("token"))
        .proxy(proxy.uri())
        .retry_policy(RetryPolicy::default().initial_backoff(std::time::Duration::from_millis(1)))
        .build()
        .unwrap();
    let error = client.get_user(ENV, &id(1)).await.unwrap_err();
    let text = error.to_string();
    assert!(
        text.starts_with("the proxy asked for credentials"),
        "{text}"
    );
    assert!(text.contains("http://user:password@host:port"), "{text}");
    assert_eq!(
        (error.status(), error.attempts()),
        (Some(407), Some(1)),
        "{error:?}"
    );
    assert!(!error.is_retryable());

    let before = proxy.received_requests().await.unwrap().len();
    // One line at a time: the lines in flight at a stop get their own answer.
    let job = SyncJob::new(&client, ENV).concurrency(1).unwrap();
    let outcomes = run(&job, &username_feed(6)).await;
    let sent = proxy.received_requests().await.unwrap().len() - before;
    assert_eq!(outcomes.len(), 6);
    let failed = stopped(&outcomes, 407, "the proxy asked for credentials");
    assert_eq!(failed, [1], "{outcomes:#?}");
    assert_eq!(sent, 1);
}

/// PingOne answers 403, not 404, for an environment that does not exist or that the caller
/// cannot see (deleted, another region's or organization's): the Terraform provider reads the
/// environment after a 400, 401 or 403 to tell a missing environment from a missing role
/// (`CheckEnvironmentExistsOnPermissionsError` in `internal/framework/legacysdk/sdk.go` of
/// `pingidentity/terraform-provider-pingone`). The job's message for a 403 of the users
/// collection named roles alone, sending one to grant a role when the environment ID was
/// wrong. Now it names the environment ID as the other cause, and still the roles.
#[tokio::test]
async fn a_403_of_the_collection_names_a_wrong_environment_too() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path_regex("^/v1/environments/[^/]+/users"))
        .respond_with(forbidden())
        .mount(&server)
        .await;
    let client = client(&format!("{}/v1", server.uri()), "token");
    let job = SyncJob::new(&client, ENV).concurrency(1).unwrap();
    let outcomes = run(&job, &username_feed(2)).await;
    let message = &outcomes[&1].error.as_ref().unwrap().message;
    assert!(message.contains("may not read"), "{message}");
    assert!(
        message.contains(&format!("or the environment ID ({ENV}) is wrong")),
        "{message}"
    );
    assert!(message.contains("does not exist"), "{message}");
}
