//! Two lines of a feed that name one user by different keys: the earlier line in the feed is
//! applied and the later one is its duplicate, whatever the order in which PingOne answers
//! their lookups, so that a dry run shows what a run then does.

#![cfg(all(feature = "client", feature = "emulator"))]

use std::time::Duration;

use futures_util::StreamExt;
use serde_json::{Value, json};
use sparse_patch::pingone::emulator::{REFERENCE_ENVIRONMENT_ID, reference_user};
use sparse_patch::pingone::sync::{Outcome, Status, SyncJob};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[path = "support/mock_pingone.rs"]
mod mock_pingone;

const USER_ID: &str = "00000000-0000-4000-8000-000000000001";

fn user(title: &str) -> Value {
    let mut user = reference_user();
    user["id"] = json!(USER_ID);
    user["username"] = json!("user001");
    user["email"] = json!("user001@example.com");
    user["title"] = json!(title);
    user
}

/// A server whose answer to the lookup by id comes after `slow_by_id`, and to the lookup by
/// username after `slow_by_username`.
async fn server(slow_by_id: Duration, slow_by_username: Duration) -> MockServer {
    let server = MockServer::start().await;
    let users = format!("/v1/environments/{REFERENCE_ENVIRONMENT_ID}/users");
    let one = format!("{users}/{USER_ID}");
    Mock::given(method("GET"))
        .and(path(one.as_str()))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(user("Before"))
                .set_delay(slow_by_id),
        )
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(users.as_str()))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({
                    "_embedded": {"users": [user("Before")]},
                    "count": 1,
                    "size": 1
                }))
                .set_delay(slow_by_username),
        )
        .mount(&server)
        .await;
    Mock::given(method("PATCH"))
        .and(path(one.as_str()))
        .respond_with(ResponseTemplate::new(200).set_body_json(user("By id")))
        .mount(&server)
        .await;
    server
}

/// Asserts that the PATCHes `server` received are none in a dry run, and otherwise one that
/// sets the title `title`: which line was applied.
async fn assert_sent_title(server: &MockServer, dry_run: bool, title: &str) {
    let patches: Vec<Value> = server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .filter(|request| request.method.as_str() == "PATCH")
        .map(|request| serde_json::from_slice(&request.body).unwrap())
        .collect();
    let expected: Vec<Value> = if dry_run {
        vec![]
    } else {
        vec![json!({ "title": title })]
    };
    assert_eq!(patches, expected, "dry run: {dry_run}");
}

/// Runs the two lines for one user, by id and by username, in that order or (`by_id_first`
/// false) the other, at a concurrency of 8.
async fn run(server: &MockServer, dry_run: bool, by_id_first: bool) -> Vec<Outcome> {
    let client = mock_pingone::bearer(server);
    let job = SyncJob::new(&client, REFERENCE_ENVIRONMENT_ID)
        .concurrency(8)
        .unwrap()
        .dry_run(dry_run);
    let mut feed = [
        Ok(format!(r#"{{"id": "{USER_ID}", "title": "By id"}}"#)),
        Ok(r#"{"username": "user001", "title": "By username"}"#.to_owned()),
    ];
    if !by_id_first {
        feed.reverse();
    }
    let mut outcomes: Vec<Outcome> = job.run(feed).collect().await;
    outcomes.sort_by_key(|outcome| outcome.line);
    outcomes
}

/// Line 1 finds the user by id, slowly; line 2 finds it by username at once. Line 2 claimed
/// the user because its answer came first, so which line was applied changed from run to run
/// with the network (and a dry run did not tell what the run would do); now line 1 is applied
/// and line 2 is its duplicate, in a dry run and in a run alike.
#[tokio::test]
async fn the_earlier_line_claims_the_user_whatever_answers_first() {
    for dry_run in [true, false] {
        let server = server(Duration::from_millis(300), Duration::ZERO).await;
        let outcomes = run(&server, dry_run, true).await;
        let statuses: Vec<(usize, Status)> = outcomes
            .iter()
            .map(|outcome| (outcome.line, outcome.status))
            .collect();
        let applied = if dry_run {
            Status::WouldChange
        } else {
            Status::Changed
        };
        assert_eq!(
            statuses,
            [(1, applied), (2, Status::Duplicate)],
            "dry run: {dry_run}"
        );
        assert_eq!(outcomes[1].error.as_ref().unwrap().first_line, Some(1));
        assert_eq!(outcomes[1].user_id.as_deref(), Some(USER_ID));
        assert_sent_title(&server, dry_run, "By id").await;
    }
}

/// An earlier line that ends without claiming a user (not found) holds no later line: the
/// later line claims its user as soon as the earlier one has its answer.
#[tokio::test]
async fn an_earlier_line_that_finds_no_user_holds_no_later_line() {
    let server = server(Duration::ZERO, Duration::ZERO).await;
    let missing = "00000000-0000-4000-8000-000000000009";
    Mock::given(method("GET"))
        .and(path(format!(
            "/v1/environments/{REFERENCE_ENVIRONMENT_ID}/users/{missing}"
        )))
        .respond_with(
            ResponseTemplate::new(404)
                .set_body_json(json!({
                    "id": "e1",
                    "code": "NOT_FOUND",
                    "message": "The requested resource was not found."
                }))
                .set_delay(Duration::from_millis(200)),
        )
        .mount(&server)
        .await;
    let client = mock_pingone::bearer(&server);
    let job = SyncJob::new(&client, REFERENCE_ENVIRONMENT_ID)
        .concurrency(4)
        .unwrap();
    let feed = [
        Ok(format!(r#"{{"id": "{missing}", "title": "Nobody"}}"#)),
        // The title the server's answer to a PATCH holds.
        Ok(r#"{"username": "user001", "title": "By id"}"#.to_owned()),
    ];
    // A turn never given back would hold line 2 for ever.
    let mut outcomes: Vec<Outcome> =
        tokio::time::timeout(Duration::from_secs(10), job.run(feed).collect())
            .await
            .expect("line 2 waited for ever for line 1's turn");
    outcomes.sort_by_key(|outcome| outcome.line);
    let statuses: Vec<Status> = outcomes.iter().map(|outcome| outcome.status).collect();
    assert_eq!(statuses, [Status::NotFound, Status::Changed]);
}

/// The mirror of the test above: line 1 finds the user by username, slowly; line 2 by id, at
/// once. A line keyed by id claimed its user without waiting for the earlier lines' claims
/// (review 101's check of keys that an earlier line changes returned before the wait for a
/// key by id), and line 2 was applied in a run while a dry run applied line 1. Line 1 is
/// applied now, in both.
#[tokio::test]
async fn a_later_line_by_id_waits_for_the_earlier_lines_claim() {
    for dry_run in [true, false] {
        let server = server(Duration::ZERO, Duration::from_millis(300)).await;
        let outcomes = run(&server, dry_run, false).await;
        assert_eq!(outcomes[1].status, Status::Duplicate, "dry run: {dry_run}");
        assert_eq!(outcomes[1].error.as_ref().unwrap().first_line, Some(1));
        if dry_run {
            assert_eq!(outcomes[0].status, Status::WouldChange);
        }
        // The server answers every PATCH with the title "By id": only what was sent tells.
        assert_sent_title(&server, dry_run, "By username").await;
    }
}
