//! The chaos law of the sync job: a generated set of users lives in the emulator, a generated
//! feed (lines for unknown users, several lines for one user, lines that change nothing,
//! invalid lines, lines PingOne refuses) runs through the job at a generated concurrency, and
//! each line's requests get generated faults (429 with `Retry-After: 0`, 500, 502, 503, 409,
//! a connection dropped after the change was made, a body cut short, an answer slower than the
//! client's timeout, a 401 as an expired token gets), queued for that line alone
//! ([`Emulator::inject_for_transaction`], by the line's `X-Ping-External-Transaction-ID`), so
//! that a case is the same whatever order the lines' requests come in.
//!
//! The law holds whatever the faults did; each invariant is stated where it is checked
//! ([`check_law`]). Nothing is timed: a slow machine turns more answers into timeouts, which
//! the law allows for.
//!
//! [`tests/pingone_sync_chaos.rs`](pingone_sync_chaos.rs) is the other chaos test: 2,000 users,
//! random faults, reruns until every line is done.

#[path = "support/emulator_client.rs"]
mod emulator_client;
use emulator_client::{client_of, emulator_worker_builder};
#[path = "support/server_attributes.rs"]
mod server_attributes;
use server_attributes::remove_server_attributes;

use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

use futures_util::StreamExt;
use proptest::prelude::*;
use serde_json::{Map, Value, json};
use sparse_patch::pingone::emulator::{Emulator, Fault};
use sparse_patch::pingone::sync::{Outcome, Status, Summary, SyncJob, line_digest, line_key};
use sparse_patch::pingone::{Client, RetryPolicy};

/// The client's timeout, and the wait of a slow answer, which is longer.
const TIMEOUT: Duration = Duration::from_millis(300);
const SLOW: Duration = Duration::from_millis(1_200);
/// The users seeded: `1..=USERS`; a line may name user `USERS + 1`, who does not exist.
const USERS: usize = 4;
/// The attribute the worker may not update: a PATCH that sets it is refused with 403.
const FORBIDDEN: &str = "department";

fn id(n: usize) -> String {
    format!("00000000-0000-4000-8000-{n:012}")
}

fn seeded_user(n: usize) -> Value {
    json!({
        "id": id(n),
        "username": format!("u{n}"),
        "email": format!("u{n}@x.com"),
        "title": format!("T{n}"),
        "name": {"given": format!("Given{n}"), "family": format!("F{n}")},
        "department": "D",
    })
}

/// A user as the law compares it: without the attributes the server sets itself.
fn comparable(mut user: Value) -> Value {
    remove_server_attributes(&mut user);
    user
}

/// How a line names its user.
#[derive(Debug, Clone, Copy)]
enum Key {
    Id,
    Username,
    /// The username in upper case: PingOne's usernames match in any case.
    UsernameUpper,
    Email,
}

/// One line of the feed.
#[derive(Debug, Clone)]
enum Line {
    /// A desired user: `user` (`USERS + 1` is nobody) named by `key`, with `attributes`.
    Desired {
        key: Key,
        user: usize,
        attributes: Map<String, Value>,
    },
    /// Not JSON.
    NotJson,
    /// No key.
    NoKey,
    /// `null` on a required attribute.
    NullEmail { user: usize },
    /// A read-only attribute.
    ReadOnly { user: usize },
}

impl Line {
    fn text(&self) -> String {
        match self {
            Line::Desired {
                key,
                user,
                attributes,
            } => {
                let mut line = attributes.clone();
                let (name, value) = key_member(*key, *user);
                line.insert(name.to_owned(), value.into());
                Value::Object(line).to_string()
            }
            Line::NotJson => "{\"username\": ".to_owned(),
            Line::NoKey => r#"{"title": "Nobody's"}"#.to_owned(),
            Line::NullEmail { user } => {
                json!({"username": format!("u{user}"), "email": null}).to_string()
            }
            Line::ReadOnly { user } => {
                json!({"username": format!("u{user}"), "createdAt": "2020-01-01T00:00:00Z"})
                    .to_string()
            }
        }
    }

    /// What the line asks of its user: the line without its key (the key is not changed by
    /// its own line), for a line that gives a desired user.
    fn desired(&self) -> Option<Value> {
        let Line::Desired { key, .. } = self else {
            return None;
        };
        let mut line: Value = serde_json::from_str(&self.text()).unwrap();
        let (name, _) = key_member(*key, 0);
        line.as_object_mut().unwrap().remove(name);
        Some(line)
    }

    /// The user the line names, if it names one that exists.
    fn names(&self) -> Option<usize> {
        match self {
            Line::Desired { user, .. } | Line::NullEmail { user } | Line::ReadOnly { user } => {
                (*user <= USERS).then_some(*user)
            }
            Line::NotJson | Line::NoKey => None,
        }
    }
}

fn key_member(key: Key, user: usize) -> (&'static str, String) {
    match key {
        Key::Id => ("id", id(user)),
        Key::Username => ("username", format!("u{user}")),
        Key::UsernameUpper => ("username", format!("U{user}")),
        Key::Email => ("email", format!("u{user}@x.com")),
    }
}

fn attributes() -> impl Strategy<Value = Map<String, Value>> {
    (
        prop::option::of(prop_oneof![
            Just(json!("A")),
            Just(json!("B")),
            // User 1's own title: a no-op for user 1.
            Just(json!("T1")),
            Just(Value::Null),
        ]),
        prop::option::of(prop_oneof![Just(json!("Nick")), Just(Value::Null)]),
        prop::option::of(prop_oneof![
            Just(json!({"given": "G"})),
            Just(json!({"given": "Given2"})),
        ]),
        // Refused by PingOne (403): rarely, so that the refusals in a row seldom stop the job.
        prop::option::weighted(0.15, Just(json!("X"))),
    )
        .prop_map(|(title, nickname, name, department)| {
            let mut attributes = Map::new();
            for (attribute, value) in [
                ("title", title),
                ("nickname", nickname),
                ("name", name),
                (FORBIDDEN, department),
            ] {
                if let Some(value) = value {
                    attributes.insert(attribute.to_owned(), value);
                }
            }
            attributes
        })
}

fn line() -> impl Strategy<Value = Line> {
    let user = 1..=USERS + 1;
    prop_oneof![
        8 => (
            prop_oneof![
                Just(Key::Id),
                Just(Key::Username),
                Just(Key::UsernameUpper),
                Just(Key::Email)
            ],
            user.clone(),
            attributes()
        )
            .prop_map(|(key, user, attributes)| Line::Desired {
                key,
                user,
                attributes
            }),
        // A rename, by id: to a new name (which another line may take too) or another
        // user's (refused).
        2 => (user.clone(), prop_oneof![Just("r1"), Just("r2"), Just("u2")], attributes())
            .prop_map(|(user, username, mut attributes)| {
                attributes.insert("username".into(), json!(username));
                Line::Desired {
                    key: Key::Id,
                    user,
                    attributes,
                }
            }),
        1 => Just(Line::NotJson),
        1 => Just(Line::NoKey),
        1 => user.clone().prop_map(|user| Line::NullEmail { user }),
        1 => user.prop_map(|user| Line::ReadOnly { user }),
    ]
}

/// The fault of one request; `Slow(0)` is none (the request is served as usual), so that a
/// line's later requests (its PATCH, the read-back after it) get faults of their own.
fn fault() -> impl Strategy<Value = Fault> {
    prop_oneof![
        4 => Just(Fault::Slow(Duration::ZERO)),
        1 => Just(Fault::RateLimited {
            retry_after: "0".into()
        }),
        1 => Just(Fault::Status(500)),
        1 => Just(Fault::BadGateway),
        1 => Just(Fault::ServiceUnavailable { retry_after: None }),
        1 => Just(Fault::ApiError {
            status: 409,
            code: "CONFLICT".into()
        }),
        1 => Just(Fault::ConnectionCut),
        1 => Just(Fault::TruncatedBody),
        1 => Just(Fault::Slow(SLOW)),
        // What an expired or revoked token gets: the client fetches a new one and sends the
        // request again once.
        1 => Just(Fault::ApiError {
            status: 401,
            code: "ACCESS_FAILED".into()
        }),
    ]
}

/// A case: the feed, each line's faults (taken by its requests in order: lookup, PATCH,
/// read-back, retries), the concurrency, the client's attempts.
#[derive(Debug, Clone)]
struct Case {
    lines: Vec<(Line, Vec<Fault>)>,
    concurrency: usize,
    attempts: u32,
    /// The client's timeout: [`TIMEOUT`], shorter than a slow answer; a case without slow
    /// answers that asserts what a line says takes a long one, which a loaded machine does
    /// not run out.
    timeout: Duration,
}

fn case() -> impl Strategy<Value = Case> {
    (
        prop::collection::vec(
            (
                line(),
                prop_oneof![
                    2 => Just(Vec::new()),
                    3 => prop::collection::vec(fault(), 1..=5),
                ],
            ),
            1..=8,
        ),
        1..=6_usize,
        1..=3_u32,
    )
        .prop_map(|(lines, concurrency, attempts)| Case {
            lines,
            concurrency,
            attempts,
            timeout: TIMEOUT,
        })
}

/// The emulator of a case, its users seeded and each line's faults queued.
fn emulator(case: &Case) -> Emulator {
    let mut builder = Emulator::builder()
        .no_users()
        .forbid(FORBIDDEN)
        .token_lifetime(Duration::from_secs(3_600));
    for n in 1..=USERS {
        builder = builder.user(seeded_user(n));
    }
    let emulator = builder.start().unwrap();
    for (n, (_, faults)) in case.lines.iter().enumerate() {
        for fault in faults {
            emulator.inject_for_transaction(&format!("line-{}", n + 1), fault.clone());
        }
    }
    emulator
}

fn client(emulator: &Emulator, attempts: u32, timeout: Duration) -> Client {
    emulator_worker_builder(emulator)
        .timeout(timeout)
        .retry_policy(
            RetryPolicy::default()
                .max_attempts(attempts)
                .initial_backoff(Duration::from_millis(1))
                .max_backoff(Duration::from_millis(2)),
        )
        .build()
        .unwrap()
}

/// Runs the case's feed (dry or not) on a fresh emulator: the outcomes, and the emulator.
fn run(case: &Case, dry_run: bool) -> (Vec<Outcome>, Emulator) {
    let emulator = emulator(case);
    let client = client(&emulator, case.attempts, case.timeout);
    let job = SyncJob::new(&client, emulator.environment_id())
        .dry_run(dry_run)
        .concurrency(case.concurrency)
        .unwrap();
    let feed: Vec<std::io::Result<String>> =
        case.lines.iter().map(|(line, _)| Ok(line.text())).collect();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let outcomes = runtime.block_on(job.run(feed).collect::<Vec<_>>());
    (outcomes, emulator)
}

/// Whether the outcome says that its PATCH may have been applied (an attempt whose answer
/// never came, or came cut short, or a server failure: the request may have landed),
/// as its report writes it.
fn says_may_have_been_applied(outcome: &Outcome) -> bool {
    serde_json::to_value(&outcome.error)
        .ok()
        .and_then(|error| error.get("mayHaveBeenApplied").cloned())
        == Some(Value::Bool(true))
}

/// The PATCHes the emulator received for line `n` (by its transaction ID).
fn patches_of_line(emulator: &Emulator, n: usize) -> usize {
    let transaction = format!("line-{n}");
    emulator
        .requests()
        .iter()
        .filter(|request| {
            request.method == "PATCH" && request.transaction_id() == Some(transaction.as_str())
        })
        .count()
}

/// The law, for one case's outcomes of a run (`dry_run` false) or a dry run, and the users
/// the emulator holds afterwards.
fn check_law(case: &Case, dry_run: bool, outcomes: &[Outcome], emulator: &Emulator) {
    let texts: Vec<String> = case.lines.iter().map(|(line, _)| line.text()).collect();

    // 1. Exactly one outcome per input line, matched to its line: its number, its text's
    //    digest, and the key the line gives.
    let mut by_line: BTreeMap<usize, &Outcome> = BTreeMap::new();
    for outcome in outcomes {
        assert!(
            by_line.insert(outcome.line, outcome).is_none(),
            "two outcomes for line {}",
            outcome.line
        );
    }
    assert_eq!(
        by_line.keys().copied().collect::<Vec<_>>(),
        (1..=texts.len()).collect::<Vec<_>>(),
        "one outcome per line"
    );
    for (n, text) in texts.iter().enumerate() {
        let outcome = by_line[&(n + 1)];
        assert_eq!(
            outcome.line_digest.as_deref(),
            Some(line_digest(text).as_str()),
            "line {}'s outcome holds its text's digest",
            n + 1
        );
        assert_eq!(
            outcome.key,
            line_key(text),
            "line {}'s outcome holds its key",
            n + 1
        );
    }

    // 2. The summary's counts are the outcomes'.
    let mut summary = Summary::default();
    for outcome in outcomes {
        summary.add(outcome);
    }
    assert_eq!(
        summary.lines(),
        outcomes.len(),
        "the summary counts every line"
    );
    for status in Status::ALL {
        let count = outcomes.iter().filter(|o| o.status == *status).count();
        assert_eq!(summary.count(*status), count, "the summary's {status}");
    }
    assert_eq!(
        summary.failed(),
        outcomes.iter().filter(|o| o.status.is_failure()).count(),
        "the summary's failures"
    );

    // 3. A line that sent nothing says so: no patch in its outcome (but for a dry run's
    //    `wouldChange`), and the emulator received no PATCH of it.
    for (&n, outcome) in &by_line {
        let sent = patches_of_line(emulator, n);
        if dry_run {
            assert_eq!(sent, 0, "line {n}: a dry run sends no PATCH");
            assert_ne!(
                outcome.status,
                Status::Changed,
                "line {n}: a dry run changes nothing"
            );
        } else if outcome.patch.is_none() {
            assert_eq!(
                sent, 0,
                "line {n} has no patch in its outcome but sent one: {outcome:?}"
            );
        }
        if outcome.status == Status::Changed {
            assert!(outcome.patch.is_some(), "line {n} changed with no patch");
        }
    }

    // 4. At most one line sends a PATCH to each user (the others for it are duplicates), and
    //    each user is, afterwards:
    //    - unchanged, when no line sent it a PATCH, or its line's PATCH was refused before it
    //      was applied (failed, and not said to have maybe landed) — this covers every user
    //      no line names, and every line of a dry run;
    //    - the patch applied to the user as found, when its line is `changed`, and that is
    //      the line's desired state (the user as found, merged with the line);
    //    - one of the two, never anything else, when its line's request may have landed (a
    //      timeout or dropped connection after sending): the line is then `failed` and says
    //      `mayHaveBeenApplied`; a line that says nothing of it left its user unchanged.
    let named: BTreeSet<usize> = case.lines.iter().filter_map(|(l, _)| l.names()).collect();
    let mut sender_of: BTreeMap<String, &Outcome> = BTreeMap::new();
    for outcome in outcomes {
        if outcome.patch.is_some() && !dry_run {
            let user = outcome
                .user_id
                .clone()
                .expect("a line with a patch found its user");
            if let Some(other) = sender_of.insert(user.clone(), outcome) {
                panic!(
                    "lines {} and {} both sent a PATCH to {user}",
                    other.line, outcome.line
                );
            }
        }
    }
    for n in 1..=USERS {
        let found = comparable(seeded_user(n));
        let now = comparable(emulator.user(&id(n)).expect("no user is removed"));
        let Some(outcome) = sender_of.get(&id(n)) else {
            assert_eq!(
                now,
                found,
                "user {n} was touched, though no line sent it a PATCH (named by a line: {})",
                named.contains(&n)
            );
            continue;
        };
        let line = outcome.line;
        let mut patched = found.clone();
        json_patch::merge(&mut patched, outcome.patch.as_ref().unwrap());
        let Some(asked) = case.lines[line - 1].0.desired() else {
            panic!("line {line}, which gives no desired user, sent a PATCH");
        };
        let mut desired = found.clone();
        json_patch::merge(&mut desired, &asked);
        assert_eq!(
            patched, desired,
            "line {line}'s patch takes user {n} as found to the line's desired state"
        );
        match outcome.status {
            Status::Changed => assert_eq!(
                now, patched,
                "line {line} is changed: user {n} is the patch applied to the user as found"
            ),
            Status::Failed if says_may_have_been_applied(outcome) => assert!(
                now == found || now == patched,
                "line {line}'s PATCH may have landed: user {n} is either unchanged or \
                 patched, not {now}"
            ),
            status => assert_eq!(
                now, found,
                "line {line} is {status} and does not say that its PATCH may have landed, yet \
                 user {n} is not as found: {outcome:?}"
            ),
        }
    }

    // 5. A line that changes nothing is `unchanged` only when its user already is as desired.
    for (&n, outcome) in &by_line {
        if outcome.status == Status::Unchanged {
            let line = &case.lines[n - 1].0;
            let (Line::Desired { user, .. }, Some(asked)) = (line, line.desired()) else {
                panic!("line {n} is unchanged but gives no desired user");
            };
            let found = comparable(seeded_user(*user));
            let mut desired = found.clone();
            json_patch::merge(&mut desired, &asked);
            assert_eq!(
                desired, found,
                "line {n} is unchanged but its user is not as desired"
            );
        }
    }
}

proptest! {
    // 24 cases by default, each under a second but for its slow answers; more with
    // `SYNC_CHAOS_LAW_CASES=1000` for a deeper search.
    #![proptest_config(ProptestConfig::with_cases(
        std::env::var("SYNC_CHAOS_LAW_CASES")
            .ok()
            .and_then(|cases| cases.parse().ok())
            .unwrap_or(24)
    ))]

    /// The law, for a run and a dry run of each case.
    #[test]
    fn the_sync_job_keeps_its_law_under_faults(case in case()) {
        let (outcomes, emulator) = run(&case, false);
        check_law(&case, false, &outcomes, &emulator);
        // 6. A dry run touches nothing, under the same faults.
        let (outcomes, emulator) = run(&case, true);
        check_law(&case, true, &outcomes, &emulator);
    }
}

/// The emulator's faults queued for one transaction go to its requests alone, in order,
/// whatever requests of other transactions come between.
#[test]
fn faults_queued_for_a_transaction_go_to_its_requests_alone() {
    let emulator = Emulator::start().unwrap();
    let client = client_of(&emulator);
    emulator.inject_for_transaction("line-2", Fault::Status(503));
    emulator.inject_for_transaction(
        "line-2",
        Fault::ApiError {
            status: 409,
            code: "CONFLICT".into(),
        },
    );
    // Taken before a fault queued for any request, or for a PATCH.
    emulator.inject_patch_fault(Fault::Status(500));
    assert_eq!(emulator.pending_faults(), 3);
    let line = |n: usize| {
        client.with_correlation(
            sparse_patch::pingone::Correlation::new()
                .transaction_id(&format!("line-{n}"))
                .unwrap(),
        )
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let (env, user) = (emulator.environment_id(), emulator.user_id());
        let patch = sparse_patch::pingone::UserPatch::new().title("CTO");
        line(1).get_user(env, user).await.unwrap();
        let first = line(2).update_user(env, user, &patch).await.unwrap_err();
        line(3).get_user(env, user).await.unwrap();
        let second = line(2).get_user(env, user).await.unwrap_err();
        let third = line(1).update_user(env, user, &patch).await.unwrap_err();
        line(2).get_user(env, user).await.unwrap();
        assert_eq!(
            [first.status(), second.status(), third.status()],
            [Some(503), Some(409), Some(500)]
        );
    });
    assert_eq!(emulator.pending_faults(), 0);
}

/// A case of one line for user 1 (`{"id": ..., "title": "A"}`) whose requests get `faults`:
/// its outcome, once the law is checked.
fn one_line_case(faults: Vec<Fault>, attempts: u32) -> Outcome {
    one_line_case_within(faults, attempts, Duration::from_secs(30))
}

/// [`one_line_case`] with the client's `timeout`.
fn one_line_case_within(faults: Vec<Fault>, attempts: u32, timeout: Duration) -> Outcome {
    let mut attributes = Map::new();
    attributes.insert("title".into(), json!("A"));
    let case = Case {
        lines: vec![(
            Line::Desired {
                key: Key::Id,
                user: 1,
                attributes,
            },
            faults,
        )],
        concurrency: 1,
        attempts,
        timeout,
    };
    let (outcomes, emulator) = run(&case, false);
    check_law(&case, false, &outcomes, &emulator);
    outcomes.into_iter().next().unwrap()
}

/// Found by the law: a PATCH whose connection was dropped after PingOne applied it failed the
/// line (a transport failure) with nothing in its outcome to tell it from a clean refusal;
/// its user was patched.
#[test]
fn a_patch_whose_answer_was_lost_may_have_been_applied() {
    let served = Fault::Slow(Duration::ZERO);
    let outcome = one_line_case(vec![served, Fault::ConnectionCut], 1);
    assert_eq!(outcome.status, Status::Failed);
    assert!(says_may_have_been_applied(&outcome), "{outcome:?}");
    assert!(
        outcome
            .error
            .unwrap()
            .message
            .contains("may have been applied"),
        "the message says it too"
    );
}

/// Found by the law, of the same kind: the first attempt's connection dropped after the
/// change was made, and the retry got a 409, which fails the call: the line's error was the
/// 409's alone, though the user was patched.
#[test]
fn a_patch_retried_after_a_lost_answer_into_a_refusal_may_have_been_applied() {
    let served = Fault::Slow(Duration::ZERO);
    let conflict = Fault::ApiError {
        status: 409,
        code: "CONFLICT".into(),
    };
    let outcome = one_line_case(vec![served, Fault::ConnectionCut, conflict], 2);
    assert_eq!(outcome.status, Status::Failed);
    assert_eq!(outcome.error.as_ref().unwrap().http_status, Some(409));
    assert!(says_may_have_been_applied(&outcome), "{outcome:?}");
}

/// Found by the law: a 200 whose body was cut short, and whose read-back failed too (a 500),
/// left the line failed with HTTP 200 and no word that the change was made.
#[test]
fn a_patch_answered_200_cut_short_was_applied() {
    let served = Fault::Slow(Duration::ZERO);
    let outcome = one_line_case(vec![served, Fault::TruncatedBody, Fault::Status(500)], 1);
    assert_eq!(outcome.status, Status::Failed);
    assert!(says_may_have_been_applied(&outcome), "{outcome:?}");
}

/// Refusals leave the user as found, and the line says nothing of a PATCH that may have
/// landed: a 409, a 429 and a 503 that outlast the retries.
#[test]
fn a_patch_refused_on_every_attempt_was_not_applied() {
    let served = Fault::Slow(Duration::ZERO);
    for refusal in [
        Fault::ApiError {
            status: 409,
            code: "CONFLICT".into(),
        },
        Fault::RateLimited {
            retry_after: "0".into(),
        },
        Fault::ServiceUnavailable { retry_after: None },
    ] {
        let outcome = one_line_case(vec![served.clone(), refusal.clone(), refusal.clone()], 2);
        assert_eq!(outcome.status, Status::Failed, "{refusal:?}");
        assert!(
            !says_may_have_been_applied(&outcome),
            "{refusal:?}: {outcome:?}"
        );
    }
}

/// Any server failure but 503 may have applied the change (RFC 9110 §15.6; a 503 did not take
/// the request, §15.6.4), as the sync job chapter says of `mayHaveBeenApplied`: a 501 or 505,
/// answered on the only attempt, says so as a 500 does, and a 503 does not.
#[test]
fn a_patch_answered_any_5xx_but_503_may_have_been_applied() {
    let served = Fault::Slow(Duration::ZERO);
    for (status, may_have_landed) in [(500, true), (501, true), (505, true), (503, false)] {
        let outcome = one_line_case(vec![served.clone(), Fault::Status(status)], 1);
        assert_eq!(outcome.status, Status::Failed, "{status}");
        assert_eq!(
            says_may_have_been_applied(&outcome),
            may_have_landed,
            "{status}: {outcome:?}"
        );
    }
}

/// A server failure that answers the PATCH (a 500, a 502), on its last attempt or on one
/// retried into a refusal, may have applied it (RFC 9110 §15.6): the line says so; a 503, a
/// server that did not take the request (§15.6.4), does not (above).
#[test]
fn a_patch_answered_with_a_server_failure_may_have_been_applied() {
    let served = Fault::Slow(Duration::ZERO);
    let conflict = Fault::ApiError {
        status: 409,
        code: "CONFLICT".into(),
    };
    for failure in [Fault::Status(500), Fault::BadGateway] {
        let outcome = one_line_case(vec![served.clone(), failure.clone()], 1);
        assert_eq!(outcome.status, Status::Failed, "{failure:?}");
        assert!(
            says_may_have_been_applied(&outcome),
            "{failure:?}: {outcome:?}"
        );
        let outcome = one_line_case(vec![served.clone(), failure.clone(), conflict.clone()], 2);
        assert_eq!(outcome.error.as_ref().unwrap().http_status, Some(409));
        assert!(
            says_may_have_been_applied(&outcome),
            "{failure:?}: {outcome:?}"
        );
    }
}

/// A PATCH whose answer came later than the client's timeout (its last attempt) may have been
/// applied: the request reached the server. The timeout is long enough for the lookup on a
/// loaded machine, and the answer slower still.
#[test]
fn a_patch_whose_answer_timed_out_may_have_been_applied() {
    let served = Fault::Slow(Duration::ZERO);
    let late = Fault::Slow(Duration::from_secs(8));
    let outcome = one_line_case_within(vec![served, late], 1, Duration::from_secs(3));
    assert_eq!(outcome.status, Status::Failed);
    assert!(
        outcome
            .error
            .as_ref()
            .unwrap()
            .message
            .contains("timed out"),
        "{outcome:?}"
    );
    assert!(says_may_have_been_applied(&outcome), "{outcome:?}");
}
