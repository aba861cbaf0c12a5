//! Faults a user found running the whole HR-feed job (find, plan, apply, report) against the
//! emulator with messy feeds.
//!
//! A worker application that may read users but not update them (no role that updates users)
//! gets 403 on every PATCH. The job took each 403 for that user's or that attribute's alone
//! and went on: a 10,000-line feed sent 10,000 PATCHes, each refused the same way, and the
//! report said nothing of why. It now stops after `SyncJob::stop_after_refusals` PATCHes in a
//! row (5 by default) got the same 403 refusal with none accepted between, saying why and how
//! to go on; a 403 between accepted PATCHes (one user outside the role's population, one
//! attribute) still fails its line alone.

#[path = "support/emulator_client.rs"]
mod emulator_client;
use emulator_client::emulator_bearer_builder;

use std::collections::BTreeMap;

use futures_util::StreamExt;
use sparse_patch::pingone::emulator::{Emulator, EmulatorBuilder, generated_user};
use sparse_patch::pingone::sync::{
    DEFAULT_STOP_AFTER_REFUSALS, Outcome, Status, SyncJob, feed_lines,
};
use sparse_patch::pingone::{Client, TokenSource};

fn seeded(users: usize) -> EmulatorBuilder {
    (1..=users).fold(Emulator::builder(), |builder, n| {
        builder.user(generated_user(n))
    })
}

fn client(emulator: &Emulator) -> Client {
    emulator_bearer_builder(emulator).build().unwrap()
}

async fn run(job: &SyncJob, feed: String) -> BTreeMap<usize, Outcome> {
    job.run(feed_lines(std::io::Cursor::new(feed)))
        .map(|outcome| (outcome.line, outcome))
        .collect()
        .await
}

fn patches_sent(emulator: &Emulator) -> usize {
    emulator
        .requests()
        .iter()
        .filter(|request| request.method == "PATCH")
        .count()
}

/// `lines` lines, each setting `attribute` of the next generated user.
fn feed(lines: usize, attribute: impl Fn(usize) -> &'static str) -> String {
    (1..=lines)
        .map(|n| {
            format!(
                "{{\"username\": \"user{n:03}\", \"{}\": \"New {n}\"}}\n",
                attribute(n)
            )
        })
        .collect()
}

/// A worker that may not update what the feed sets: every PATCH answers the same 403. The
/// job stops after a few, and every later line says why.
#[tokio::test]
async fn the_same_403_on_every_patch_stops_the_job_after_a_few() {
    let emulator = seeded(40).forbid("title").start().unwrap();
    let job = SyncJob::new(&client(&emulator), emulator.environment_id())
        .concurrency(1)
        .unwrap();
    let outcomes = run(&job, feed(40, |_| "title")).await;
    assert_eq!(outcomes.len(), 40);
    let stop = DEFAULT_STOP_AFTER_REFUSALS;
    assert_eq!(stop, 5, "the chapter says 5 PATCHes in a row");
    assert_eq!(
        patches_sent(&emulator),
        stop,
        "PATCHes sent after the refusals"
    );
    for line in 1..=stop {
        let error = outcomes[&line].error.as_ref().unwrap();
        assert_eq!(
            outcomes[&line].status,
            Status::Failed,
            "{:?}",
            outcomes[&line]
        );
        assert_eq!(error.http_status, Some(403));
    }
    let stopping = outcomes[&stop].error.as_ref().unwrap();
    assert!(
        stopping.message.contains("PATCHes in a row") && stopping.message.contains("role"),
        "{stopping}"
    );
    for line in stop + 1..=40 {
        let outcome = &outcomes[&line];
        assert_eq!(outcome.status, Status::NotAttempted, "{outcome:?}");
        let error = outcome.error.as_ref().unwrap();
        assert_eq!(error.stopped_by, Some(stop));
        assert_eq!(error.http_status, Some(403));
        assert_eq!(error.code.as_deref(), Some("ACCESS_FAILED"));
        assert!(error.message.contains("PATCHes in a row"), "{error}");
    }
    assert_eq!(
        emulator
            .user(generated_user(40)["id"].as_str().unwrap())
            .unwrap()["title"],
        "Engineer"
    );
}

/// With lines in flight the stop comes as soon as the refusals are counted: the PATCHes sent
/// are at most those of the lines in flight then.
#[tokio::test]
async fn the_stop_holds_with_lines_in_flight() {
    let emulator = seeded(200).forbid("title").start().unwrap();
    let job = SyncJob::new(&client(&emulator), emulator.environment_id())
        .concurrency(8)
        .unwrap();
    let outcomes = run(&job, feed(200, |_| "title")).await;
    assert_eq!(outcomes.len(), 200);
    let sent = patches_sent(&emulator);
    assert!(
        sent < DEFAULT_STOP_AFTER_REFUSALS + 8,
        "{sent} PATCHes sent"
    );
    let not_attempted = outcomes
        .values()
        .filter(|outcome| outcome.status == Status::NotAttempted)
        .count();
    assert_eq!(not_attempted + sent, 200);
}

/// Refusals between accepted PATCHes (a user outside the role's population, one attribute
/// the worker may not update) are those lines' alone: the job goes on.
#[tokio::test]
async fn refusals_between_accepted_patches_do_not_stop_the_job() {
    let emulator = seeded(60).forbid("nickname").start().unwrap();
    let job = SyncJob::new(&client(&emulator), emulator.environment_id())
        .concurrency(1)
        .unwrap();
    // Four refused lines, then an accepted one, again and again.
    let outcomes = run(
        &job,
        feed(60, |n| if n % 5 == 0 { "title" } else { "nickname" }),
    )
    .await;
    assert_eq!(patches_sent(&emulator), 60);
    let counts = outcomes
        .values()
        .fold(BTreeMap::new(), |mut counts, outcome| {
            *counts.entry(outcome.status).or_insert(0) += 1;
            counts
        });
    assert_eq!(
        counts,
        BTreeMap::from([(Status::Changed, 12), (Status::Failed, 48)])
    );
}

/// `stop_after_refusals(0)` never stops on refusals: each line is attempted.
#[tokio::test]
async fn stop_after_refusals_zero_attempts_every_line() {
    let emulator = seeded(20).forbid("title").start().unwrap();
    let job = SyncJob::new(&client(&emulator), emulator.environment_id())
        .concurrency(1)
        .unwrap()
        .stop_after_refusals(0);
    let outcomes = run(&job, feed(20, |_| "title")).await;
    assert_eq!(patches_sent(&emulator), 20);
    assert!(
        outcomes
            .values()
            .all(|outcome| outcome.status == Status::Failed)
    );
}

/// A report whose last line was cut short (the disk filled up, the machine lost power while
/// the outcome was written): `rerun_lines` refused the whole report ("line 3 of the report is
/// not an outcome: EOF while parsing"), so the run could not be resumed without editing it
/// by hand. The cut line is read as no outcome: its line runs again (from a fresh read of its
/// user), as a line the run never reached does. `failed_lines`, which lists failures only,
/// still refuses it (tests/pingone_bad_answers_and_input.rs).
#[test]
fn a_report_cut_inside_its_last_line_still_resumes() {
    use sparse_patch::pingone::sync::{MatchKey, failed_lines, rerun_lines};
    let whole = concat!(
        r#"{"line":1,"key":{"username":"ada"},"userId":"00000000-0000-4000-8000-000000000001","status":"changed"}"#,
        "\n",
        r#"{"line":2,"key":{"username":"bob"},"status":"failed","error":{"message":"HTTP 503"}}"#,
        "\n",
        r#"{"line":3,"key":{"username":"cy"},"userId":"00000000-0000-4000-8000-000000000003","status":"changed"}"#,
        "\n",
    );
    // Cut inside line 3, and inside a character of two bytes.
    for cut in [whole.len() - 30, whole.len() - 3] {
        let report = &whole.as_bytes()[..cut];
        let rerun = rerun_lines(report).unwrap();
        assert_eq!((rerun.done(), rerun.failures()), (1, 1));
        assert!(!rerun.selects(1, Some(&MatchKey::Username("ada".into()))));
        assert!(rerun.selects(3, Some(&MatchKey::Username("cy".into()))));
        // The failures alone would leave out a line the cut outcome may have said failed.
        assert!(failed_lines(report).is_err());
    }
    let mut cut_in_a_character = whole.replace("\"cy\"", "\"cé\"").into_bytes();
    cut_in_a_character.truncate(whole.find("\"cy\"").unwrap() + 3);
    let rerun = rerun_lines(cut_in_a_character.as_slice()).unwrap();
    assert_eq!(rerun.done(), 1);
    // A line cut short that is not the last one, or a last line that is whole but not an
    // outcome, is damage that this does not explain: still refused.
    let cut_before = whole.replacen("\"status\":\"changed\"}\n", "\"status\":\"chan\n", 1);
    assert!(rerun_lines(cut_before.as_bytes()).is_err());
    assert!(rerun_lines(format!("{whole}{{\"line\":4}}\n").as_bytes()).is_err());
    assert!(rerun_lines(format!("{whole}not an outcome").as_bytes()).is_err());
    // A last line that ends (its line end was written) inside its JSON object was not cut
    // short by a write that stopped: refused, though its JSON ends early as a cut line's
    // does. (Mutation testing: taking it for a cut line went unnoticed.)
    let ended_early = format!("{whole}{{\"line\":4,\"status\":\"changed\"\n");
    assert!(matches!(
        rerun_lines(ended_early.as_bytes()),
        Err(sparse_patch::pingone::sync::ReportError::NotAnOutcome { .. })
    ));
}

/// A feed cut short (a transfer that stopped, a disk that filled up) ends inside its last
/// line: that line was "not JSON: EOF while parsing a string at column 37", and nothing said
/// that the users after it were missing from the feed. The message says so (and names the
/// other cause of a line that ends inside its object: a raw line break in a value).
#[test]
fn a_line_that_ends_inside_its_object_says_the_feed_may_be_cut_short() {
    use sparse_patch::pingone::sync::{LineError, parse_line};
    for cut in [
        r#"{"username": "user002", "title": "Tru"#,
        "\u{feff}{\"username\": \"user002\", \"name\": {\"given\": \"A\"",
        r#"{"username": "user002", "title":"#,
    ] {
        let Err(LineError::InvalidJson(message)) = parse_line(1, cut, None) else {
            panic!("{cut}: not an InvalidJson error");
        };
        assert!(message.contains("EOF while parsing"), "{message}");
        assert!(message.contains("cut short"), "{message}");
    }
    // Not for a line whose JSON is whole but wrong.
    let Err(LineError::InvalidJson(message)) = parse_line(1, r#"{"username": "a"} x"#, None) else {
        panic!("not an InvalidJson error");
    };
    assert!(!message.contains("cut short"), "{message}");
}

/// Only refusals with the same answer make a streak: PATCHes refused by 403s that differ (a
/// forbidden attribute's "You do not have access", then another refusal's message) are not
/// the one cause that every later PATCH would meet, and the job goes on. (Mutation testing:
/// counting any 403 into the streak went unnoticed.)
#[tokio::test]
async fn refusals_with_different_answers_do_not_make_a_streak() {
    use sparse_patch::pingone::emulator::Fault;
    let emulator = seeded(6).forbid("title").start().unwrap();
    // Each line sends a lookup, then its PATCH; the even lines' PATCHes get another 403.
    for line in 1..=6 {
        let patch = if line % 2 == 0 {
            Fault::Status(403)
        } else {
            Fault::Slow(std::time::Duration::ZERO)
        };
        emulator.inject(Fault::Slow(std::time::Duration::ZERO));
        emulator.inject(patch);
    }
    let job = SyncJob::new(&client(&emulator), emulator.environment_id())
        .concurrency(1)
        .unwrap()
        .stop_after_refusals(2);
    let outcomes = run(&job, feed(6, |_| "title")).await;
    assert_eq!(patches_sent(&emulator), 6);
    for (line, outcome) in &outcomes {
        assert_eq!(outcome.status, Status::Failed, "{line}: {outcome:?}");
        let error = outcome.error.as_ref().unwrap();
        assert_eq!(error.http_status, Some(403), "{line}: {error}");
        assert!(!error.message.contains("in a row"), "{line}: {error}");
    }
}

/// The lines of a streak are listed in full up to ten, and cut short from eleven on.
/// (Mutation testing: cutting the list at ten went unnoticed.)
#[tokio::test]
async fn the_stopping_message_lists_up_to_ten_lines_in_full() {
    for (streak, listed) in [
        (10, "(lines 1, 2, 3, 4, 5, 6, 7, 8, 9 and 10)"),
        (11, "(lines 1, 2, 3, 4, 5, ... 11, 11 in all)"),
    ] {
        let emulator = seeded(streak).forbid("title").start().unwrap();
        let job = SyncJob::new(&client(&emulator), emulator.environment_id())
            .concurrency(1)
            .unwrap()
            .stop_after_refusals(streak);
        let outcomes = run(&job, feed(streak, |_| "title")).await;
        let stopping = outcomes[&streak].error.as_ref().unwrap();
        assert!(
            stopping
                .message
                .starts_with(&format!("{streak} PATCHes in a row {listed} were refused")),
            "{stopping}"
        );
    }
}

/// A PATCH that fails otherwise than with a 403 (a 500 here) between two refused with the
/// same 403 neither counts in the streak nor breaks it: PingOne accepted none of them (the
/// stop's own words, "PingOne accepted none between them"), so with
/// `stop_after_refusals(2)` the job stops at the second 403.
#[tokio::test]
async fn a_patch_failing_otherwise_between_two_refusals_does_not_break_the_streak() {
    use wiremock::matchers::{method, path, query_param};
    use wiremock::{Mock, MockServer, ResponseTemplate};

    let server = MockServer::start().await;
    let users = "/v1/environments/abfba8f6-49eb-49f5-a5d9-80ad5c98f9f6/users";
    for n in 1..=3 {
        let id = format!("00000000-0000-4000-8000-00000000000{n}");
        let user = serde_json::json!({
            "id": id, "username": format!("user00{n}"), "email": format!("user00{n}@example.com")
        });
        Mock::given(method("GET"))
            .and(path(users))
            .and(query_param("filter", format!("username eq \"user00{n}\"")))
            .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
                "_embedded": {"users": [user]}, "count": 1, "size": 1
            })))
            .mount(&server)
            .await;
        let answer = if n == 2 {
            ResponseTemplate::new(500).set_body_json(serde_json::json!({
                "id": "e2", "code": "SERVER_ERROR", "message": "boom"
            }))
        } else {
            ResponseTemplate::new(403).set_body_json(serde_json::json!({
                "id": "e1", "code": "ACCESS_FAILED", "message": "may not update title"
            }))
        };
        Mock::given(method("PATCH"))
            .and(path(format!("{users}/{id}")))
            .respond_with(answer)
            .mount(&server)
            .await;
    }
    let client = Client::builder()
        .api_base_url(format!("{}/v1", server.uri()))
        .token(TokenSource::bearer("token"))
        .retry_policy(sparse_patch::pingone::RetryPolicy::never())
        .build()
        .unwrap();
    let job = SyncJob::new(&client, "abfba8f6-49eb-49f5-a5d9-80ad5c98f9f6")
        .concurrency(1)
        .unwrap()
        .stop_after_refusals(2);
    let outcomes = run(&job, feed(3, |_| "title")).await;
    let statuses: Vec<_> = outcomes.values().map(|outcome| outcome.status).collect();
    assert_eq!(statuses, [Status::Failed; 3], "{outcomes:?}");
    assert_eq!(
        outcomes[&2].error.as_ref().unwrap().http_status,
        Some(500),
        "{outcomes:?}"
    );
    let stop = outcomes[&3].error.as_ref().unwrap();
    assert_eq!(stop.http_status, Some(403));
    assert!(
        stop.message.contains("2 PATCHes in a row (lines 1 and 3)"),
        "{stop}"
    );
}

/// The lines that send no PATCH (unchanged, not found, invalid) between two PATCHes refused
/// with the same 403 neither count in the row nor break it, as the chapter says: with
/// `stop_after_refusals(2)` the job stops at the second refused PATCH, four lines after the
/// first.
#[tokio::test]
async fn lines_that_send_no_patch_do_not_break_the_row_of_refusals() {
    let emulator = seeded(5).forbid("title").start().unwrap();
    let job = SyncJob::new(&client(&emulator), emulator.environment_id())
        .concurrency(1)
        .unwrap()
        .stop_after_refusals(2);
    let feed = [
        r#"{"username": "user001", "title": "New"}"#,
        r#"{"username": "user002", "title": "Engineer"}"#,
        r#"{"username": "nobody", "title": "New"}"#,
        r#"{"username": "user003", "title": 5}"#,
        r#"{"username": "user004", "title": "New"}"#,
        r#"{"username": "user005", "title": "New"}"#,
    ]
    .join("\n");
    let outcomes = run(&job, feed).await;
    let statuses: Vec<_> = outcomes.values().map(|outcome| outcome.status).collect();
    assert_eq!(
        statuses,
        [
            Status::Failed,
            Status::Unchanged,
            Status::NotFound,
            Status::Invalid,
            Status::Failed,
            Status::NotAttempted
        ],
        "{outcomes:?}"
    );
    let stop = outcomes[&5].error.as_ref().unwrap();
    assert!(
        stop.message.contains("2 PATCHes in a row (lines 1 and 5)"),
        "{stop}"
    );
    assert_eq!(outcomes[&6].error.as_ref().unwrap().stopped_by, Some(5));
    assert_eq!(patches_sent(&emulator), 2);
}
