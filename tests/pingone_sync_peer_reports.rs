//! The sync job tried on the faults that peer bulk-update and provisioning tools were reported
//! for in their issue trackers (each test names its peer report), against the emulator on
//! 127.0.0.1.

#[path = "support/emulator_client.rs"]
mod emulator_client;
use emulator_client::emulator_bearer_builder;
#[path = "support/mock_pingone.rs"]
mod mock_pingone;
#[path = "support/raw_http.rs"]
mod raw_http;
use raw_http::read_message;

use std::collections::BTreeMap;
use std::time::Duration;

use futures_util::StreamExt;
use serde_json::{Value, json};
use sparse_patch::pingone::emulator::{Emulator, EmulatorBuilder, Fault};
use sparse_patch::pingone::sync::{Outcome, Status, SyncJob};
use sparse_patch::pingone::{Client, RetryPolicy, TokenSource};

fn id(n: usize) -> String {
    format!("00000000-0000-4000-8000-{n:012}")
}

/// An emulator with `count` users `user001`...: a name and a title each.
fn seeded(count: usize) -> EmulatorBuilder {
    let mut builder = Emulator::builder().no_users();
    for n in 1..=count {
        builder = builder.user(json!({
            "id": id(n),
            "username": format!("user{n:03}"),
            "email": format!("user{n:03}@example.com"),
            "name": {"given": format!("Given{n}"), "family": format!("Family{n}")},
            "title": "Engineer",
            "nickname": format!("Nick{n}"),
        }));
    }
    builder
}

/// The default retry policy but retrying 1 ms apart at first, never more than 5 ms apart.
fn quick_retries() -> RetryPolicy {
    RetryPolicy::default()
        .initial_backoff(Duration::from_millis(1))
        .max_backoff(Duration::from_millis(5))
}

/// A client of `emulator` with its bearer token, [`quick_retries`] and a 5 s timeout.
fn client(emulator: &Emulator) -> Client {
    emulator_bearer_builder(emulator)
        .retry_policy(quick_retries())
        .timeout(Duration::from_secs(5))
        .build()
        .unwrap()
}

/// An emulator of `count` users ([`seeded`]), started, and a client of it ([`client`]).
fn seeded_with_client(count: usize) -> (Emulator, Client) {
    let emulator = seeded(count).start().unwrap();
    let client = client(&emulator);
    (emulator, client)
}

/// A feed line that sets the username of user `n` (by its ID) to `username`.
fn sets_username(n: usize, username: &str) -> String {
    format!(r#"{{"id": "{}", "username": "{username}"}}"#, id(n))
}

/// Asserts that `outcome` is `invalid`, as its line waited for line 1's change of the
/// username it takes.
fn assert_invalid_after_line_1s_rename(outcome: &Outcome) {
    assert_eq!(outcome.status, Status::Invalid, "{outcome:?}");
    let message = &outcome.error.as_ref().unwrap().message;
    assert!(
        message.contains("once line 1, which changes that username"),
        "{message}"
    );
}

/// Runs `job` over `feed`: the outcomes by line, each line once.
async fn run(job: &SyncJob, feed: &[&str]) -> BTreeMap<usize, Outcome> {
    let lines: Vec<std::io::Result<String>> = feed.iter().map(|l| Ok((*l).to_owned())).collect();
    let mut by_line = BTreeMap::new();
    for outcome in job.run(lines).collect::<Vec<_>>().await {
        let line = outcome.line;
        assert!(by_line.insert(line, outcome).is_none(), "line {line} twice");
    }
    by_line
}

fn patches_sent(emulator: &Emulator) -> Vec<Value> {
    emulator
        .requests()
        .into_iter()
        .filter(|request| request.method == "PATCH")
        .map(|request| serde_json::from_slice(&request.body).unwrap())
        .collect()
}

/// An empty cell of a spreadsheet, converted to JSON, is `""` (grokability/snipe-it#9870 and
/// #13373: an empty LDAP field emptied every user's field on sync). PingOne takes no empty
/// string for a core attribute, and the line was refused with the rule alone ("title must be
/// between 1 and 256 characters long (found "")"), without saying what the feed should
/// write. It says now: `null` to clear, leave it out to leave it alone; and nothing is sent.
#[tokio::test]
async fn an_empty_string_says_how_to_clear_or_leave_an_attribute() {
    let (emulator, client) = seeded_with_client(2);
    let job = SyncJob::new(&client, emulator.environment_id());
    let outcomes = run(
        &job,
        &[
            r#"{"username": "user001", "title": "", "name": {"middle": ""}, "nickname": "N"}"#,
            r#"{"username": "user002", "email": "", "title": "Lead"}"#,
        ],
    )
    .await;
    for (line, says) in [
        (
            1,
            "(an empty string is no value PingOne takes, as an empty cell of a spreadsheet \
             converted to JSON gives: to clear name.middle, title, write null; to leave it \
             alone, leave it out of the line)",
        ),
        (
            2,
            "(an empty string is no value PingOne takes, as an empty cell of a spreadsheet \
             converted to JSON gives: email cannot be cleared: leave it out of the line)",
        ),
    ] {
        let outcome = &outcomes[&line];
        assert_eq!(outcome.status, Status::Invalid, "{outcome:?}");
        let message = &outcome.error.as_ref().unwrap().message;
        // The attributes in the line's order under serde_json's `preserve_order`.
        let in_line_order = says.replace("name.middle, title", "title, name.middle");
        assert!(
            message.ends_with(says) || message.ends_with(&in_line_order),
            "line {line}: {message}"
        );
    }
    assert!(patches_sent(&emulator).is_empty());
    assert_eq!(emulator.user(&id(1)).unwrap()["title"], "Engineer");
}

/// PingOne applied a PATCH (200) whose answer was cut short on the way (a proxy; the client
/// does not send a PATCH again once it was applied): the line was `failed`, so the run's
/// counts and exit status said a change was not made that was, and a rerun took it again
/// (pingidentity/terraform-provider-pingone#531, "Provider produced inconsistent result
/// after apply": the tool's record of an update is not what the server did). The user is
/// read back now: `changed` when it holds the patch; when it does not (an attribute PingOne
/// ignored, or a read that PingOne's eventual consistency served stale), the answer's error
/// stands. The PATCH is sent once either way.
#[tokio::test]
async fn a_patch_applied_whose_answer_was_cut_short_is_changed() {
    let emulator = seeded(3).custom_attributes(["costCenter"]).start().unwrap();
    let client = client(&emulator);
    let job = SyncJob::new(&client, emulator.environment_id())
        .concurrency(1)
        .unwrap();
    for (line, fault) in [
        (
            r#"{"username": "user001", "title": "Lead"}"#,
            Fault::TruncatedBody,
        ),
        (
            r#"{"username": "user002", "titel": "Lead"}"#,
            Fault::TruncatedBody,
        ),
    ] {
        // The lookup answered, then the PATCH's answer cut.
        emulator.inject(Fault::Slow(Duration::ZERO));
        emulator.inject(fault);
        let outcomes = run(&job, &[line]).await;
        let outcome = &outcomes[&1];
        if line.contains("titel") {
            // Not applied (an attribute the environment does not declare): the answer's
            // error stands, which says that PingOne accepted the patch.
            assert_eq!(outcome.status, Status::Failed, "{outcome:?}");
            let message = &outcome.error.as_ref().unwrap().message;
            assert!(
                message.starts_with("could not decode the HTTP 200 body"),
                "{message}"
            );
        } else {
            assert_eq!(outcome.status, Status::Changed, "{outcome:?}");
            assert_eq!(outcome.patch, Some(json!({"title": "Lead"})));
            assert_eq!(outcome.error, None);
        }
    }
    assert_eq!(emulator.pending_faults(), 0);
    assert_eq!(
        patches_sent(&emulator),
        [json!({"title": "Lead"}), json!({"titel": "Lead"})]
    );
    assert_eq!(emulator.user(&id(1)).unwrap()["title"], "Lead");
    // Run again: nothing to do.
    let outcomes = run(&job, &[r#"{"username": "user001", "title": "Lead"}"#]).await;
    assert_eq!(outcomes[&1].status, Status::Unchanged);
}

/// A proxy on 127.0.0.1 in front of `upstream` (`host:port`) that passes every request on and
/// every answer back, but for a PATCH's answer: its head (with the whole `Content-Length`) and
/// half of its body, then the connection closed, as a proxy or load balancer that drops a
/// connection mid-answer does. Returns the proxy's address.
async fn cutting_patch_answers(upstream: String) -> std::net::SocketAddr {
    use tokio::io::AsyncWriteExt as _;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move {
        while let Ok((mut client, _)) = listener.accept().await {
            let upstream = upstream.clone();
            tokio::spawn(async move {
                while let Some((head, body)) = read_message(&mut client).await {
                    let Ok(mut server) = tokio::net::TcpStream::connect(&upstream).await else {
                        return;
                    };
                    if server
                        .write_all(&[head.as_slice(), &body].concat())
                        .await
                        .is_err()
                    {
                        return;
                    }
                    let Some((answer_head, answer_body)) = read_message(&mut server).await else {
                        return;
                    };
                    let patch = head.starts_with(b"PATCH ");
                    let sent = if patch {
                        &answer_body[..answer_body.len() / 2]
                    } else {
                        &answer_body[..]
                    };
                    let whole = [answer_head.as_slice(), sent].concat();
                    if client.write_all(&whole).await.is_err() || patch {
                        let _ = client.shutdown().await;
                        return;
                    }
                }
            });
        }
    });
    address
}

/// PingOne applied a PATCH (200), and the connection closed inside its answer's body, before
/// the `Content-Length` it announced (a load balancer's idle or size limit, a proxy
/// restarting: hyper's "end of file before message length reached",
/// hyperium/hyper#2136): the client's error is `Error::Incomplete` with status 200, which says
/// that the request was carried out. The job read back the user only for an answer read whole
/// whose JSON was cut (`Error::Decode`), so this line was `failed` for a change that was made,
/// where the guide promises `changed` for a 200 whose body was cut short on the way. It reads
/// the user back for both now: `changed` when the user holds the patch; a patch PingOne did
/// not apply (an attribute it ignores) keeps the answer's error.
#[tokio::test]
async fn a_patch_applied_whose_connection_closed_inside_the_answer_is_changed() {
    let emulator = seeded(2).custom_attributes(["costCenter"]).start().unwrap();
    let upstream = emulator
        .api_base_url()
        .trim_start_matches("http://")
        .trim_end_matches("/v1")
        .to_owned();
    let proxy = cutting_patch_answers(upstream).await;
    let client = Client::builder()
        .api_base_url(format!("http://{proxy}/v1"))
        .token(TokenSource::bearer(emulator.token()))
        .retry_policy(quick_retries().max_attempts(2))
        .timeout(Duration::from_secs(5))
        .build()
        .unwrap();
    let job = SyncJob::new(&client, emulator.environment_id())
        .concurrency(1)
        .unwrap();
    let outcomes = run(
        &job,
        &[
            r#"{"username": "user001", "title": "Lead"}"#,
            r#"{"username": "user002", "titel": "Lead"}"#,
        ],
    )
    .await;
    let applied = &outcomes[&1];
    assert_eq!(applied.status, Status::Changed, "{applied:?}");
    assert_eq!(applied.patch, Some(json!({"title": "Lead"})));
    assert_eq!(applied.error, None);
    assert_eq!(emulator.user(&id(1)).unwrap()["title"], "Lead");
    // Ignored by PingOne: the answer's error stands, with the status that arrived.
    let ignored = &outcomes[&2];
    assert_eq!(ignored.status, Status::Failed, "{ignored:?}");
    let error = ignored.error.as_ref().unwrap();
    assert_eq!(error.http_status, Some(200), "{error:?}");
    assert!(
        error.message.contains("carried the request out"),
        "{}",
        error.message
    );
    // Each line read its user back once, after its PATCHes.
    let reads = emulator
        .requests()
        .into_iter()
        .filter(|request| request.method == "GET" && request.path.contains("/users/"))
        .count();
    assert_eq!(reads, 2);
}

/// PingOne keeps a user profile of at most 16 KiB. A line whose patch is within it but makes the
/// user larger (a long custom attribute added to a user who holds another) was planned as
/// `wouldChange` by a dry run, and the run then failed with PingOne's 400: the plan differed
/// from what was applied, without saying so (PagerDuty/terraform-provider-pagerduty#334,
/// akamai/terraform-provider-akamai#245: a plan that passes and an apply that fails on a rule
/// the plan could check). The plan measures
/// the user as the line leaves it now: the line is invalid in both, and nothing is sent.
#[tokio::test]
async fn a_line_that_makes_the_profile_too_large_is_refused_by_the_plan() {
    let user = json!({
        "id": id(1),
        "username": "user001",
        "email": "user001@example.com",
        "bio": "b".repeat(9_000),
    });
    let emulator = Emulator::builder().no_users().user(user).start().unwrap();
    let client = client(&emulator);
    let line = format!(
        r#"{{"username": "user001", "notes": "{}"}}"#,
        "n".repeat(9_000)
    );
    for dry_run in [true, false] {
        let job = SyncJob::new(&client, emulator.environment_id()).dry_run(dry_run);
        let outcomes = run(&job, &[&line]).await;
        let outcome = &outcomes[&1];
        assert_eq!(
            outcome.status,
            Status::Invalid,
            "dry run {dry_run}: {:?}",
            outcome.error
        );
        let message = &outcome.error.as_ref().unwrap().message;
        assert!(
            message.contains("more than 16384 bytes")
                && message.starts_with("the user as the line leaves it"),
            "{message}"
        );
    }
    assert!(patches_sent(&emulator).is_empty());
    // Room made in the same line: applied.
    let line = format!(
        r#"{{"username": "user001", "bio": null, "notes": "{}"}}"#,
        "n".repeat(9_000)
    );
    let job = SyncJob::new(&client, emulator.environment_id());
    let outcomes = run(&job, &[&line]).await;
    assert_eq!(
        outcomes[&1].status,
        Status::Changed,
        "{:?}",
        outcomes[&1].error
    );
    assert_eq!(emulator.user(&id(1)).unwrap()["notes"], "n".repeat(9_000));
}

/// A line that renames a user (by `id`) to a username another user holds, in any case: a dry
/// run planned the PATCH, and the run got PingOne's 400 `UNIQUENESS_VIOLATION`, the plan
/// differing from the apply (PagerDuty/terraform-provider-pagerduty#334, a rule the plan
/// could check; FusionAuth/fusionauth-issues#1908, a bulk import refused for usernames already
/// held). The plan looks the new username up now: the line is invalid in both modes, naming
/// the holder, and nothing is sent. A rename of the user's own username to another case is
/// still applied.
#[tokio::test]
async fn a_rename_to_a_username_another_user_holds_is_refused_by_the_plan() {
    let (emulator, client) = seeded_with_client(3);
    let taken = sets_username(1, "USER002");
    let own_case = sets_username(3, "User003");
    for dry_run in [true, false] {
        let job = SyncJob::new(&client, emulator.environment_id()).dry_run(dry_run);
        let outcomes = run(&job, &[&taken, &own_case]).await;
        let outcome = &outcomes[&1];
        assert_eq!(outcome.status, Status::Invalid, "{outcome:?}");
        assert_eq!(outcome.user_id.as_deref(), Some(id(1).as_str()));
        let message = &outcome.error.as_ref().unwrap().message;
        assert!(
            message.starts_with(&format!(
                "the username \"USER002\" is another user's ({})",
                id(2)
            )) && message.contains("UNIQUENESS_VIOLATION"),
            "{message}"
        );
        let renamed = if dry_run {
            Status::WouldChange
        } else {
            Status::Changed
        };
        assert_eq!(outcomes[&2].status, renamed, "{:?}", outcomes[&2]);
    }
    assert_eq!(patches_sent(&emulator), [json!({"username": "User003"})]);
    assert_eq!(emulator.user(&id(1)).unwrap()["username"], "user001");
}

/// Whether PingOne merges a partial `name` or `address` into the user's, or replaces it, is
/// not documented (the reference: "merge (RFC 7396) is the safe reading"). Were it to replace
/// it, a line `{"username": "ada", "name": {"given": "Augusta"}}` would erase the family and
/// middle names the feed does not manage, on every user, while the job reported `changed`:
/// the answer was checked only at the paths the patch names (wso2/product-is#1745: a PATCH
/// provisioned as a replace removed every attribute it did not carry;
/// grokability/snipe-it#13373: a sync wiped fields it did not manage). The members of an
/// object the patch merges into are checked too now: a server that replaced it makes the line
/// `failed`, naming what was lost, and stops the job, so that no later line loses the same;
/// one that merges, `changed`.
#[tokio::test]
async fn an_answer_that_lost_the_members_a_patch_did_not_name_is_failed() {
    use wiremock::matchers::{method, path, query_param};
    use wiremock::{Mock, MockServer, ResponseTemplate};
    const BOB: &str = "b38890a6-295a-4d58-9f6e-b72b05fba379";
    let user = |id: &str, username: &str| {
        let mut user = sparse_patch::pingone::emulator::reference_user();
        user["id"] = json!(id);
        user["username"] = json!(username);
        user["name"] = json!({"given": "Ada", "middle": "K", "family": "Byron"});
        user
    };
    let feed = [
        r#"{"username": "ada", "name": {"given": "Augusta"}}"#,
        r#"{"username": "bob", "name": {"given": "Robert"}}"#,
    ];
    for replaces in [true, false] {
        let server = MockServer::start().await;
        for (id, username, given) in [
            (mock_pingone::USER, "ada", "Augusta"),
            (BOB, "bob", "Robert"),
        ] {
            let read = user(id, username);
            Mock::given(method("GET"))
                .and(path(mock_pingone::USERS_PATH))
                .and(query_param("filter", format!("username eq \"{username}\"")))
                .respond_with(ResponseTemplate::new(200).set_body_json(json!({
                    "_embedded": {"users": [read.clone()]}, "count": 1, "size": 1
                })))
                .mount(&server)
                .await;
            let mut answer = read;
            if replaces {
                answer["name"] = json!({"given": given});
            } else {
                answer["name"]["given"] = json!(given);
            }
            Mock::given(method("PATCH"))
                .and(path(format!("{}/{id}", mock_pingone::USERS_PATH)))
                .respond_with(ResponseTemplate::new(200).set_body_json(answer))
                .mount(&server)
                .await;
        }
        let client = mock_pingone::bearer(&server);
        let job = SyncJob::new(&client, mock_pingone::ENV)
            .concurrency(1)
            .unwrap();
        let outcomes = run(&job, &feed).await;
        let first = &outcomes[&1];
        assert_eq!(first.patch, Some(json!({"name": {"given": "Augusta"}})));
        if replaces {
            assert_eq!(first.status, Status::Failed, "{first:?}");
            let message = &first.error.as_ref().unwrap().message;
            // The members in the answer's order under serde_json's `preserve_order`.
            let lost = ["name.family, name.middle, ", "name.middle, name.family, "]
                .map(|members| format!("PingOne's answer to the patch no longer holds {members}"));
            assert!(
                lost.iter().any(|start| message.starts_with(start))
                    && message.ends_with("the job stops, so that no later line loses the same"),
                "{message}"
            );
            let second = &outcomes[&2];
            assert_eq!(second.status, Status::NotAttempted, "{second:?}");
            assert_eq!(second.error.as_ref().unwrap().stopped_by, Some(1));
        } else {
            assert_eq!(first.status, Status::Changed, "{first:?}");
            assert_eq!(outcomes[&2].status, Status::Changed, "{:?}", outcomes[&2]);
        }
        let patches = server
            .received_requests()
            .await
            .unwrap()
            .iter()
            .filter(|request| request.method.as_str() == "PATCH")
            .count();
        assert_eq!(patches, if replaces { 1 } else { 2 });
    }
}

/// Another writer (the user in self-service, an admin in the console, another job) clears
/// `name.family` of a user between the line's lookup and its PATCH of `name.given`. PingOne
/// merges the patch (the answer still holds `name.middle`, which the patch does not name, so
/// it did not replace `name`), and the answer lacks `name.family` because of that other
/// writer alone. The line was `failed` ("no longer holds name.family") and the job stopped:
/// every later line of the run `notAttempted`, for a change that PingOne applied as asked
/// (RFC 7396 §2; the reference: "Attributes left out are neither changed nor removed"). An
/// object that still holds members the patch does not name was merged: the line is
/// `changed`, and the run goes on.
#[tokio::test]
async fn a_member_another_writer_cleared_meanwhile_does_not_stop_the_job() {
    use wiremock::matchers::{method, path, query_param};
    use wiremock::{Mock, MockServer, ResponseTemplate};
    const BOB: &str = "b38890a6-295a-4d58-9f6e-b72b05fba379";
    let server = MockServer::start().await;
    for (id, username, given) in [
        (mock_pingone::USER, "ada", "Augusta"),
        (BOB, "bob", "Robert"),
    ] {
        let mut read = sparse_patch::pingone::emulator::reference_user();
        read["id"] = json!(id);
        read["username"] = json!(username);
        read["name"] = json!({"given": "Ada", "middle": "K", "family": "Byron"});
        Mock::given(method("GET"))
            .and(path(mock_pingone::USERS_PATH))
            .and(query_param("filter", format!("username eq \"{username}\"")))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({
                "_embedded": {"users": [read.clone()]}, "count": 1, "size": 1
            })))
            .mount(&server)
            .await;
        let mut answer = read;
        answer["name"]["given"] = json!(given);
        if username == "ada" {
            // Cleared by another writer after the lookup; merged, so middle is kept.
            answer["name"].as_object_mut().unwrap().remove("family");
        }
        Mock::given(method("PATCH"))
            .and(path(format!("{}/{id}", mock_pingone::USERS_PATH)))
            .respond_with(ResponseTemplate::new(200).set_body_json(answer))
            .mount(&server)
            .await;
    }
    let client = mock_pingone::bearer(&server);
    let job = SyncJob::new(&client, mock_pingone::ENV)
        .concurrency(1)
        .unwrap();
    let outcomes = run(
        &job,
        &[
            r#"{"username": "ada", "name": {"given": "Augusta"}}"#,
            r#"{"username": "bob", "name": {"given": "Robert"}}"#,
        ],
    )
    .await;
    assert_eq!(outcomes[&1].status, Status::Changed, "{:?}", outcomes[&1]);
    assert_eq!(outcomes[&2].status, Status::Changed, "{:?}", outcomes[&2]);
}

/// Another writer changed an attribute that the line manages after the job read the user and
/// before its PATCH: the plan found `nickname` right and left it out of the patch, so the
/// answer held the patch (`title`) and the line was `changed`, though the user no longer held
/// what the line asks; `--only-failed` (a rerun) treats a changed line as done, so nothing
/// ever gave it back (the "lost update" of RFC 9110 §13.1.1, which PingOne's users API gives
/// no `If-Match` to prevent; pingidentity/terraform-provider-pingone#531: the tool's record
/// is not the server's state). The answer is compared with the whole line now: such a line
/// is `failed`, naming the attribute, and the job goes on; a rerun applies it. A member the
/// line does not name, changed meanwhile, is still no business of the line's (the test
/// above).
#[tokio::test]
async fn an_attribute_the_line_manages_changed_meanwhile_is_not_changed() {
    use wiremock::matchers::{method, path, query_param};
    use wiremock::{Mock, MockServer, ResponseTemplate};
    let server = MockServer::start().await;
    let mut read = sparse_patch::pingone::emulator::reference_user();
    read["id"] = json!(mock_pingone::USER);
    read["username"] = json!("ada");
    read["title"] = json!("Engineer");
    read["nickname"] = json!("Countess");
    Mock::given(method("GET"))
        .and(path(mock_pingone::USERS_PATH))
        .and(query_param("filter", "username eq \"ada\""))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "_embedded": {"users": [read.clone()]}, "count": 1, "size": 1
        })))
        .mount(&server)
        .await;
    let mut answer = read;
    answer["title"] = json!("Lead");
    // Set by another writer between the lookup and the PATCH.
    answer["nickname"] = json!("Ada");
    Mock::given(method("PATCH"))
        .and(path(mock_pingone::USER_PATH))
        .respond_with(ResponseTemplate::new(200).set_body_json(answer))
        .mount(&server)
        .await;
    let client = mock_pingone::bearer(&server);
    let job = SyncJob::new(&client, mock_pingone::ENV);
    let outcomes = run(
        &job,
        &[r#"{"username": "ada", "title": "Lead", "nickname": "Countess"}"#],
    )
    .await;
    let outcome = &outcomes[&1];
    assert_eq!(outcome.status, Status::Failed, "{outcome:?}");
    assert_eq!(outcome.patch, Some(json!({"title": "Lead"})));
    let message = &outcome.error.as_ref().unwrap().message;
    assert!(
        message.starts_with(
            "PingOne applied the patch, but the user it answered does not hold what the line \
             asks for nickname"
        ),
        "{message}"
    );
    assert_eq!(outcome.error.as_ref().unwrap().stopped_by, None);
}

/// A feed that renames a user away and gives the freed username to another
/// (`{"id": A, "username": "ada"}` then `{"id": B, "username": "user001"}`, user001 being A's),
/// run at the default concurrency: the second line's check of the new username ran while the
/// first line's PATCH was in flight, found A still holding it, and made the line `invalid` in
/// every run ("rename that user first", which the feed did), though the PATCHes, sent in line
/// order, are both applied by PingOne. A holder that an earlier line of the run found is left
/// to PingOne's answer now; a dry run, which applies nothing, still says the name is held.
///
/// Then both PATCHes were in flight at once, and nothing held the second until the first
/// was answered: on a loaded machine the second landed first and PingOne refused it,
/// `UNIQUENESS_VIOLATION` (about 40% of runs; review 158 let the test take that refusal and a
/// rerun). The line now waits for the answer to the PATCH of the line that frees its
/// username (review 165). Line 1's PATCH is answered 2 s late here (`Fault::Slow`), so that
/// without the wait line 2's lands first in every run.
#[tokio::test]
async fn a_rename_to_a_username_an_earlier_line_frees_is_applied_by_the_run() {
    let (emulator, client) = seeded_with_client(3);
    let away = sets_username(1, "ada");
    let takes = sets_username(2, "user001");
    let dry = SyncJob::new(&client, emulator.environment_id()).dry_run(true);
    let outcomes = run(&dry, &[&away, &takes]).await;
    assert_eq!(
        outcomes[&1].status,
        Status::WouldChange,
        "{:?}",
        outcomes[&1]
    );
    assert_eq!(outcomes[&2].status, Status::Invalid, "{:?}", outcomes[&2]);
    // Line 1's calls: its user read by ID, the lookup of the username it sets, its PATCH.
    for wait in [0, 0, 2000] {
        emulator.inject_for_transaction("line-1", Fault::Slow(Duration::from_millis(wait)));
    }
    let job = SyncJob::new(&client, emulator.environment_id());
    let outcomes = run(&job, &[&away, &takes]).await;
    assert_eq!(emulator.pending_faults(), 0);
    assert_eq!(outcomes[&1].status, Status::Changed, "{:?}", outcomes[&1]);
    assert_eq!(outcomes[&2].status, Status::Changed, "{:?}", outcomes[&2]);
    assert_eq!(
        patches_sent(&emulator),
        [json!({"username": "ada"}), json!({"username": "user001"})]
    );
    assert_eq!(emulator.user(&id(1)).unwrap()["username"], "ada");
    assert_eq!(emulator.user(&id(2)).unwrap()["username"], "user001");
}

/// The line that frees the username fails (its PATCH refused, 400): the name is not free,
/// and the later line that takes it, which waits for that answer, is `invalid`, naming the
/// line, with nothing sent; it neither sends its PATCH before that answer nor into PingOne's
/// refusal after it (review 165).
#[tokio::test]
async fn a_rename_to_a_username_an_earlier_line_fails_to_free_names_that_line() {
    let (emulator, client) = seeded_with_client(3);
    let away = sets_username(1, "ada");
    let takes = sets_username(2, "user001");
    emulator.inject_for_transaction("line-1", Fault::Slow(Duration::ZERO));
    emulator.inject_for_transaction("line-1", Fault::Slow(Duration::ZERO));
    emulator.inject_for_transaction("line-1", Fault::Status(400));
    let job = SyncJob::new(&client, emulator.environment_id());
    let outcomes = run(&job, &[&away, &takes]).await;
    assert_eq!(emulator.pending_faults(), 0);
    assert_eq!(outcomes[&1].status, Status::Failed, "{:?}", outcomes[&1]);
    assert_invalid_after_line_1s_rename(&outcomes[&2]);
    assert!(
        patches_sent(&emulator)
            .iter()
            .all(|patch| patch["username"] != "user001")
    );
    assert_eq!(emulator.user(&id(1)).unwrap()["username"], "user001");
    assert_eq!(emulator.user(&id(2)).unwrap()["username"], "user002");
}

/// Two lines that swap two users' usernames (A: user001 to user002, B: user002 to user001):
/// a cycle that no order of the PATCHes applies, PingOne's usernames being unique at every
/// moment. Line 1 finds user002 held and is `invalid`; line 2 waits for line 1, which freed
/// nothing, and is `invalid` naming it. Both end, nothing is sent (review 165).
#[tokio::test]
async fn a_swap_of_two_usernames_ends_with_both_lines_refused() {
    let (emulator, client) = seeded_with_client(3);
    let first = sets_username(1, "user002");
    let second = sets_username(2, "user001");
    let job = SyncJob::new(&client, emulator.environment_id());
    let outcomes = tokio::time::timeout(Duration::from_secs(60), run(&job, &[&first, &second]))
        .await
        .expect("the job ends");
    assert_eq!(outcomes[&1].status, Status::Invalid, "{:?}", outcomes[&1]);
    assert_invalid_after_line_1s_rename(&outcomes[&2]);
    assert!(patches_sent(&emulator).is_empty());
}

/// Two later lines give their users the username an earlier line frees (line 1 renames
/// user001 away, lines 2 and 3 both set it, line 3 in another case): each waited for line 1
/// alone, then both looked the name up, found it free and sent their PATCHes, and PingOne
/// refused whichever landed second (`UNIQUENESS_VIOLATION`, `failed`): which line got the
/// name depended on the timing. A line now waits for every earlier line that changes the
/// same username (from it or to it), so line 2 takes it, and line 3, which finds it given
/// by line 2, is `invalid` naming line 2, with nothing sent. Line 2's PATCH is answered 1 s
/// late here, so that without the wait line 3's lands first in every run.
#[tokio::test]
async fn two_lines_taking_the_username_an_earlier_line_frees_take_it_in_line_order() {
    let emulator = seeded(3).start().unwrap();
    let client = client(&emulator);
    let away = format!(r#"{{"id": "{}", "username": "ada"}}"#, id(1));
    let takes = format!(r#"{{"id": "{}", "username": "user001"}}"#, id(2));
    let takes_too = format!(r#"{{"id": "{}", "username": "USER001"}}"#, id(3));
    // Each line's calls: its user read by ID, the lookup of the username it sets, its PATCH.
    for line in ["line-1", "line-2"] {
        for wait in [0, 0, 1000] {
            emulator.inject_for_transaction(line, Fault::Slow(Duration::from_millis(wait)));
        }
    }
    let job = SyncJob::new(&client, emulator.environment_id());
    let outcomes = run(&job, &[&away, &takes, &takes_too]).await;
    let statuses: Vec<Status> = outcomes.values().map(|outcome| outcome.status).collect();
    assert_eq!(
        statuses,
        [Status::Changed, Status::Changed, Status::Invalid],
        "{outcomes:#?}"
    );
    assert_eq!(emulator.pending_faults(), 0);
    let message = &outcomes[&3].error.as_ref().unwrap().message;
    assert!(message.contains("line 2 gave it"), "{message}");
    assert_eq!(
        patches_sent(&emulator),
        [json!({"username": "ada"}), json!({"username": "user001"})]
    );
    assert_eq!(emulator.user(&id(2)).unwrap()["username"], "user001");
    assert_eq!(emulator.user(&id(3)).unwrap()["username"], "user003");
}

/// A chain: line 1 frees user001, line 2 takes it and frees user002, line 3 takes user002.
/// Each waits for the line before it, whose PATCH is answered late here: all three are
/// applied, in line order. When line 2's PATCH fails, line 3 finds user002 still held and is
/// `invalid`, naming line 2, with nothing sent.
#[tokio::test]
async fn a_chain_of_renames_is_applied_in_line_order() {
    for fails in [false, true] {
        let emulator = seeded(3).start().unwrap();
        let client = client(&emulator);
        let feed = [
            format!(r#"{{"id": "{}", "username": "ada"}}"#, id(1)),
            format!(r#"{{"id": "{}", "username": "user001"}}"#, id(2)),
            format!(r#"{{"id": "{}", "username": "user002"}}"#, id(3)),
        ];
        let feed: Vec<&str> = feed.iter().map(String::as_str).collect();
        for line in ["line-1", "line-2"] {
            emulator.inject_for_transaction(line, Fault::Slow(Duration::ZERO));
            emulator.inject_for_transaction(line, Fault::Slow(Duration::ZERO));
        }
        emulator.inject_for_transaction("line-1", Fault::Slow(Duration::from_millis(500)));
        emulator.inject_for_transaction(
            "line-2",
            if fails {
                Fault::Status(400)
            } else {
                Fault::Slow(Duration::from_millis(500))
            },
        );
        let job = SyncJob::new(&client, emulator.environment_id());
        let outcomes = run(&job, &feed).await;
        assert_eq!(emulator.pending_faults(), 0);
        let statuses: Vec<Status> = outcomes.values().map(|outcome| outcome.status).collect();
        if fails {
            assert_eq!(
                statuses,
                [Status::Changed, Status::Failed, Status::Invalid],
                "{outcomes:#?}"
            );
            let message = &outcomes[&3].error.as_ref().unwrap().message;
            assert!(
                message.contains("once line 2, which changes that username"),
                "{message}"
            );
            assert_eq!(emulator.user(&id(3)).unwrap()["username"], "user003");
        } else {
            assert_eq!(statuses, [Status::Changed; 3], "{outcomes:#?}");
            for (n, username) in [(1, "ada"), (2, "user001"), (3, "user002")] {
                assert_eq!(emulator.user(&id(n)).unwrap()["username"], username);
            }
        }
    }
}

/// The other order: line 1 sets user001, which line 2, later in the feed, renames its user
/// away from. In line order PingOne refuses line 1 (the name is still held), as a dry run
/// says; but line 1 looked the name up while line 2's PATCH was in flight, and when that
/// PATCH landed first, line 1 found the name free and was applied: the outcome depended on
/// the timing. Line 2 now waits for line 1, which changes the same username, so line 1 is
/// `invalid` in every run, and line 2 is applied. Line 1's lookup is answered 1 s late here,
/// so that without the wait line 2's PATCH lands before it in every run.
#[tokio::test]
async fn a_rename_to_a_username_a_later_line_frees_is_refused_in_line_order() {
    let feed = [
        format!(r#"{{"id": "{}", "username": "user001"}}"#, id(2)),
        format!(r#"{{"id": "{}", "username": "ada"}}"#, id(1)),
    ];
    let feed: Vec<&str> = feed.iter().map(String::as_str).collect();
    for dry_run in [true, false] {
        let emulator = seeded(3).start().unwrap();
        let client = client(&emulator);
        emulator.inject_for_transaction("line-1", Fault::Slow(Duration::ZERO));
        emulator.inject_for_transaction("line-1", Fault::Slow(Duration::from_millis(1000)));
        let job = SyncJob::new(&client, emulator.environment_id()).dry_run(dry_run);
        let outcomes = run(&job, &feed).await;
        assert_eq!(emulator.pending_faults(), 0);
        let applied = if dry_run {
            Status::WouldChange
        } else {
            Status::Changed
        };
        let statuses: Vec<Status> = outcomes.values().map(|outcome| outcome.status).collect();
        assert_eq!(statuses, [Status::Invalid, applied], "{outcomes:#?}");
        if !dry_run {
            assert_eq!(patches_sent(&emulator), [json!({"username": "ada"})]);
            assert_eq!(emulator.user(&id(2)).unwrap()["username"], "user002");
        }
    }
}

/// A rename whose PATCH landed before the run was killed (its answer lost, its outcome never
/// written): a rerun of the report (`--only-failed`) sees the change made. A rename names its
/// user by `id` (a line's key is never one of the attributes it sets: a line keyed by
/// `username` cannot set another one, and `{"email": E, "username": U}` is keyed by `U`), so
/// the rerun finds the same user whatever the PATCH did, and its line is `unchanged`, with
/// the user's ID, where the report recorded nothing or a failure that may have been applied;
/// the line that takes the freed username is applied. No lookup by a name the line itself
/// changed can miss the user.
#[tokio::test]
async fn a_rename_that_landed_before_the_run_was_killed_is_unchanged_on_resume() {
    use sparse_patch::pingone::sync::{MatchKey, parse_line, rerun_lines, write_outcome};

    let keyed = parse_line(
        1,
        r#"{"email": "user003@example.com", "username": "c"}"#,
        None,
    )
    .unwrap();
    assert_eq!(keyed.key, MatchKey::Username("c".into()));
    assert!(keyed.attributes.get("username").is_none());
    assert!(parse_line(1, r#"{"username": "user003", "username": "c"}"#, None).is_err());
    let feed = [
        format!(r#"{{"id": "{}", "username": "ada"}}"#, id(1)),
        format!(r#"{{"id": "{}", "username": "user001"}}"#, id(2)),
    ];
    let feed: Vec<&str> = feed.iter().map(String::as_str).collect();
    for recorded in [false, true] {
        let emulator = seeded(3).start().unwrap();
        let never = Client::builder()
            .api_base_url(emulator.api_base_url())
            .token(TokenSource::bearer(emulator.token()))
            .retry_policy(RetryPolicy::never())
            .build()
            .unwrap();
        // The first run: line 1's PATCH is carried out and its answer lost; the run is
        // killed before line 2 starts.
        emulator.inject_for_transaction("line-1", Fault::Slow(Duration::ZERO));
        emulator.inject_for_transaction("line-1", Fault::Slow(Duration::ZERO));
        emulator.inject_for_transaction("line-1", Fault::ConnectionCut);
        let job = SyncJob::new(&never, emulator.environment_id());
        let first = run(&job, &feed[..1]).await;
        assert_eq!(emulator.pending_faults(), 0);
        assert_eq!(first[&1].status, Status::Failed, "{:?}", first[&1]);
        assert!(first[&1].error.as_ref().unwrap().may_have_been_applied);
        assert_eq!(emulator.user(&id(1)).unwrap()["username"], "ada");
        // Killed before its outcome was written, or after.
        let mut report = Vec::new();
        if recorded {
            write_outcome(&mut report, &first[&1]).unwrap();
        }
        let rerun = rerun_lines(report.as_slice()).unwrap();
        let job = SyncJob::new(&client(&emulator), emulator.environment_id()).rerun(&rerun);
        let again = run(&job, &feed).await;
        let statuses: Vec<Status> = again.values().map(|outcome| outcome.status).collect();
        assert_eq!(statuses, [Status::Unchanged, Status::Changed], "{again:#?}");
        assert_eq!(again[&1].user_id.as_deref(), Some(id(1).as_str()));
        assert_eq!(
            patches_sent(&emulator),
            [json!({"username": "ada"}), json!({"username": "user001"})]
        );
        assert_eq!(emulator.user(&id(2)).unwrap()["username"], "user001");
    }
}

/// The other side of the test above: an earlier line that finds the holder of the username
/// but does not rename it (`{"username": "user001", "title": "Lead"}`) frees nothing. The run
/// still left the later rename to PingOne, which refused it (`UNIQUENESS_VIOLATION`, a PATCH
/// sent to be refused, and the line `failed` where the dry run said `invalid`). Only an
/// earlier line that changes that username leaves it to PingOne now: the line is `invalid` in
/// both, and nothing is sent for it.
#[tokio::test]
async fn a_rename_to_a_username_an_earlier_line_only_finds_is_refused_by_the_run_too() {
    let (emulator, client) = seeded_with_client(3);
    let finds = r#"{"username": "user001", "title": "Lead"}"#;
    let takes = sets_username(2, "USER001");
    for dry_run in [true, false] {
        let job = SyncJob::new(&client, emulator.environment_id()).dry_run(dry_run);
        let outcomes = run(&job, &[finds, &takes]).await;
        assert_eq!(outcomes[&2].status, Status::Invalid, "{:?}", outcomes[&2]);
    }
    assert_eq!(patches_sent(&emulator), [json!({"title": "Lead"})]);
    assert_eq!(emulator.user(&id(2)).unwrap()["username"], "user002");
}

/// An empty cell for a user's photo (`"photo": {"href": ""}`) was told "photo.href cannot be
/// cleared: leave it out of the line", though PingOne removes a photo with `"photo": null`
/// (the users reference: `href` is required inside `photo`, and `photo: null` removes it): a
/// feed meaning "no photo" was told it could not say so. The hint names `"photo": null` now;
/// that line removes the photo.
#[tokio::test]
async fn an_empty_photo_href_says_that_null_removes_the_photo() {
    let emulator = Emulator::builder()
        .no_users()
        .user(json!({
            "id": id(1),
            "username": "user001",
            "email": "user001@example.com",
            "photo": {"href": "https://example.com/a.png"},
        }))
        .start()
        .unwrap();
    let client = client(&emulator);
    let job = SyncJob::new(&client, emulator.environment_id());
    let outcomes = run(&job, &[r#"{"username": "user001", "photo": {"href": ""}}"#]).await;
    let outcome = &outcomes[&1];
    assert_eq!(outcome.status, Status::Invalid, "{outcome:?}");
    let message = &outcome.error.as_ref().unwrap().message;
    assert!(
        message.ends_with(
            "photo.href cannot be cleared: leave it out of the line (to remove the photo, \
             write \"photo\": null))"
        ),
        "{message}"
    );
    let outcomes = run(&job, &[r#"{"username": "user001", "photo": null}"#]).await;
    assert_eq!(outcomes[&1].status, Status::Changed, "{:?}", outcomes[&1]);
    assert_eq!(emulator.user(&id(1)).unwrap().get("photo"), None);
}

/// A user read with HAL's `_embedded` (its population expanded, as `User::custom` keeps it)
/// was measured with it by the plan's 16 KiB check of the profile: a user with a 7 KB custom
/// attribute and a 10 KB `_embedded` was refused ("more than 16384 bytes ... PingOne would
/// refuse it with SIZE_LIMIT_EXCEEDED") for a line setting its title, though `_embedded` is
/// no part of the profile PingOne stores (the measure's own promise: never more than PingOne
/// counts). It is left out of the measure now, as `_links` is; the line is sent and changed.
#[tokio::test]
async fn an_embedded_resource_is_not_counted_in_the_profile() {
    use wiremock::matchers::{method, path, query_param};
    use wiremock::{Mock, MockServer, ResponseTemplate};
    let server = MockServer::start().await;
    let mut read = sparse_patch::pingone::emulator::reference_user();
    read["id"] = json!(mock_pingone::USER);
    read["username"] = json!("ada");
    read["bio"] = json!("b".repeat(7_000));
    read["_embedded"] = json!({"population": {
        "id": "65393df2-a368-428d-bc6e-f1c864dd3a40",
        "name": "Staff",
        "description": "d".repeat(10_000),
    }});
    Mock::given(method("GET"))
        .and(path(mock_pingone::USERS_PATH))
        .and(query_param("filter", "username eq \"ada\""))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "_embedded": {"users": [read.clone()]}, "count": 1, "size": 1
        })))
        .mount(&server)
        .await;
    let mut answer = read;
    answer["title"] = json!("Lead");
    Mock::given(method("PATCH"))
        .and(path(mock_pingone::USER_PATH))
        .respond_with(ResponseTemplate::new(200).set_body_json(answer))
        .mount(&server)
        .await;
    let client = mock_pingone::bearer(&server);
    let job = SyncJob::new(&client, mock_pingone::ENV);
    let outcomes = run(&job, &[r#"{"username": "ada", "title": "Lead"}"#]).await;
    assert_eq!(outcomes[&1].status, Status::Changed, "{:?}", outcomes[&1]);
}

/// Valid lines that the new checks must let through (review of the plan's and the answer's
/// checks): a nested custom JSON member changed and another cleared beside members the line
/// does not name, `name.middle` cleared, a `name` and an `address` given to a user without
/// them, `name` cleared whole, and a rename of a user's own username to another case by an
/// upper-case id. Each is `changed`, and the job does not stop.
#[tokio::test]
async fn valid_merges_clears_and_own_renames_pass_the_new_checks() {
    let emulator = Emulator::builder()
        .no_users()
        .custom_attributes(["prefs"])
        .user(
            json!({"id": id(1), "username": "u1", "email": "u1@example.com",
            "name": {"given": "Ada", "middle": "K", "family": "Byron"},
            "prefs": {"theme": {"dark": true, "size": 2}, "lang": "en"}}),
        )
        .user(json!({"id": id(2), "username": "u2", "email": "u2@example.com"}))
        .user(
            json!({"id": id(3), "username": "u3", "email": "u3@example.com",
            "name": {"given": "Bob", "family": "B"}}),
        )
        .user(
            json!({"id": "abcdef00-0000-4000-8000-000000000004", "username": "alice",
            "email": "a@example.com"}),
        )
        .start()
        .unwrap();
    let client = client(&emulator);
    let job = SyncJob::new(&client, emulator.environment_id());
    let outcomes = run(
        &job,
        &[
            r#"{"username": "u1", "prefs": {"theme": {"dark": false, "size": null}}, "name": {"middle": null, "given": "Augusta"}}"#,
            r#"{"username": "u2", "name": {"given": "New", "family": "Name"}, "address": {"countryCode": "GB", "locality": "London"}}"#,
            r#"{"username": "u3", "name": null}"#,
            r#"{"id": "ABCDEF00-0000-4000-8000-000000000004", "username": "Alice"}"#,
        ],
    )
    .await;
    for outcome in outcomes.values() {
        assert_eq!(outcome.status, Status::Changed, "{outcome:?}");
    }
    let ada = emulator.user(&id(1)).unwrap();
    assert_eq!(ada["name"], json!({"given": "Augusta", "family": "Byron"}));
    assert_eq!(
        ada["prefs"],
        json!({"theme": {"dark": false}, "lang": "en"})
    );
}

/// A user renamed by another writer between the line's lookup and its PATCH (okta/terraform
/// and SCIM provisioners' "matched by login, but the login changed before the update" reports;
/// kubectl apply's "the object was modified"): the PATCH goes by the ID the lookup found, so
/// it lands on the user who no longer has the line's key, and another user may hold it now.
/// The line was `changed`, and a rerun of the failed lines never came back to the user who
/// now holds the key. It is `failed` now, saying so, and a rerun finds that user. A key that
/// the answer holds in another case or Unicode form is still the line's user.
#[tokio::test]
async fn a_user_whose_key_another_writer_changed_before_the_patch_is_failed() {
    let emulator = seeded(2).start().unwrap();
    let swapping_client = client(&emulator);
    let job = SyncJob::new(&swapping_client, emulator.environment_id())
        .concurrency(1)
        .unwrap();
    for (line, renamed, key_now) in [
        (
            r#"{"username": "user001", "title": "Lead"}"#,
            json!({"username": "user001-old"}),
            "username",
        ),
        (
            r#"{"email": "user001@example.com", "title": "Chief"}"#,
            json!({"email": "old001@example.com"}),
            "email",
        ),
    ] {
        // The swap: user 1's key goes to user 2 while the line's PATCH waits.
        let mut first = emulator.user(&id(1)).unwrap();
        let mut second = emulator.user(&id(2)).unwrap();
        first[key_now] = json!(if key_now == "username" {
            "user001"
        } else {
            "user001@example.com"
        });
        emulator.insert_user(first.clone());
        second[key_now] = json!(if key_now == "username" {
            "user002"
        } else {
            "user002@example.com"
        });
        emulator.insert_user(second.clone());
        emulator.inject(Fault::Slow(Duration::from_millis(0)));
        emulator.inject(Fault::Slow(Duration::from_secs(1)));
        let patches_before = patches_sent(&emulator).len();
        let handle = {
            let job = job.clone();
            let line = line.to_owned();
            tokio::spawn(async move { run(&job, &[&line]).await })
        };
        // The swap once the PATCH has arrived, while its `Slow` holds it: the emulator records
        // a request before its fault's wait. (After a fixed 150 ms, a loaded machine swapped
        // after the PATCH was applied: the line was `changed`.)
        while patches_sent(&emulator).len() == patches_before && !handle.is_finished() {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        first[key_now] = renamed[key_now].clone();
        emulator.insert_user(first);
        second[key_now] = json!(if key_now == "username" {
            "user001"
        } else {
            "user001@example.com"
        });
        emulator.insert_user(second);
        let outcomes = handle.await.unwrap();
        let outcome = &outcomes[&1];
        assert_eq!(outcome.status, Status::Failed, "{line}: {outcome:?}");
        assert_eq!(outcome.user_id.as_deref(), Some(id(1).as_str()));
        let message = &outcome.error.as_ref().unwrap().message;
        assert!(
            message.contains(&format!("another writer changed its {key_now}")),
            "{message}"
        );
        assert_eq!(outcome.error.as_ref().unwrap().stopped_by, None);
        // PingOne's answer says that it applied the patch: the failed line says so too.
        assert!(
            outcome.error.as_ref().unwrap().may_have_been_applied,
            "{line}: {outcome:?}"
        );
    }

    // No false alarm: the answer holds the key in another case.
    let cased = Emulator::builder()
        .no_users()
        .user(json!({"id": id(1), "username": "Ren\u{e9}e", "email": "r@example.com"}))
        .user(json!({"id": id(2), "username": "bo", "email": "Bo@Example.com"}))
        .start()
        .unwrap();
    let cased_client = client(&cased);
    let job = SyncJob::new(&cased_client, cased.environment_id());
    let outcomes = run(
        &job,
        &[
            "{\"username\": \"REN\u{c9}E\", \"title\": \"Lead\"}",
            r#"{"email": "bo@EXAMPLE.com", "nickname": "B"}"#,
        ],
    )
    .await;
    assert_eq!(outcomes[&1].status, Status::Changed, "{:?}", outcomes[&1]);
    assert_eq!(outcomes[&2].status, Status::Changed, "{:?}", outcomes[&2]);
}

/// A line that looks its user up by an email (or username) that an earlier line of the feed
/// changes, from it or to it (kubectl apply's and bulk importers' "the result depends on the
/// order the server got the requests in"): which user it found depended on whether the
/// earlier line's PATCH had landed. Line 1 moves user A off an email A shares with B; line
/// 2, keyed by that email, was `ambiguous` in a dry run and at the default concurrency, but
/// at `--concurrency 1` it found B alone and changed B, a change no dry run planned. Such a
/// line is `invalid` now in every mode, naming the earlier line, and nothing is sent for it.
#[tokio::test]
async fn a_line_keyed_by_what_an_earlier_line_changes_is_refused_in_every_mode() {
    let user = |n: usize, username: &str, email: &str| json!({"id": id(n), "username": username, "email": email, "title": "Engineer"});
    let feed = [
        format!(r#"{{"id": "{}", "email": "a@example.com"}}"#, id(1)),
        r#"{"email": "Shared@example.com", "title": "T"}"#.to_owned(),
        r#"{"username": "c", "email": "moved@example.com"}"#.to_owned(),
        r#"{"email": "MOVED@example.com", "title": "U"}"#.to_owned(),
        r#"{"username": "d", "title": "V"}"#.to_owned(),
    ];
    let feed: Vec<&str> = feed.iter().map(String::as_str).collect();
    for (dry_run, concurrency) in [(true, 1), (true, 8), (false, 1), (false, 8)] {
        let emulator = Emulator::builder()
            .no_users()
            .user(user(1, "a", "shared@example.com"))
            .user(user(2, "b", "shared@example.com"))
            .user(user(3, "c", "c@example.com"))
            .user(user(4, "d", "d@example.com"))
            .start()
            .unwrap();
        let emulator_client = client(&emulator);
        let job = SyncJob::new(&emulator_client, emulator.environment_id())
            .dry_run(dry_run)
            .concurrency(concurrency)
            .unwrap();
        let outcomes = run(&job, &feed).await;
        let applied = if dry_run {
            Status::WouldChange
        } else {
            Status::Changed
        };
        let statuses: Vec<Status> = outcomes.values().map(|outcome| outcome.status).collect();
        assert_eq!(
            statuses,
            [applied, Status::Invalid, applied, Status::Invalid, applied],
            "dry run {dry_run}, concurrency {concurrency}: {outcomes:#?}"
        );
        for (line, mover) in [(2, 1), (4, 3)] {
            let message = &outcomes[&line].error.as_ref().unwrap().message;
            assert!(
                message.contains(&format!("line {mover} changes the email")),
                "{message}"
            );
        }
        assert_eq!(emulator.user(&id(2)).unwrap()["title"], "Engineer");
        if dry_run || concurrency > 1 {
            continue;
        }
        // A rerun of the failed lines, lines 1 and 3 done: line 2 finds B, the one user
        // left with the email, and line 4 finds C, which line 3 gave it (a duplicate of
        // line 3's user).
        let mut report = Vec::new();
        for outcome in outcomes.values() {
            sparse_patch::pingone::sync::write_outcome(&mut report, outcome).unwrap();
        }
        let rerun = sparse_patch::pingone::sync::rerun_lines(report.as_slice()).unwrap();
        let job = SyncJob::new(&emulator_client, emulator.environment_id()).rerun(&rerun);
        let again = run(&job, &feed).await;
        let statuses: Vec<(usize, Status)> = again.values().map(|o| (o.line, o.status)).collect();
        assert_eq!(
            statuses,
            [(2, Status::Changed), (4, Status::Duplicate)],
            "{again:#?}"
        );
        assert_eq!(emulator.user(&id(2)).unwrap()["title"], "T");
    }
}
