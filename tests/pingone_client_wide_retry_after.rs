//! One `Retry-After` for the whole client: after a 429 (or 503) with `Retry-After`, every
//! request of the client (its clones, the other calls of a sync job) waits until it has
//! passed, not only the call that got it (RFC 9110 §10.2.3, RFC 6585 §4; PingOne's rate
//! limits are per environment).
//!
//! Counted by time at the emulator: each recorded request says when it arrived
//! (`RecordedRequest::received_at`, this machine's monotonic clock). The client reads a 429
//! after the emulator recorded it, and holds every request until the wait from that reading
//! has passed, so with the hold no other request can arrive earlier than the 429's arrival
//! plus its wait: no sleep of the test's decides the outcome. Before the hold, the other
//! calls' requests arrived within milliseconds of the 429.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures_util::StreamExt;
use serde_json::json;
use sparse_patch::pingone::emulator::{Emulator, Fault, RecordedRequest};
use sparse_patch::pingone::sync::{Outcome, Status, SyncJob};
use sparse_patch::pingone::{
    Client, ClientBuilder, Correlation, RetryEvent, RetryPolicy, TokenSource,
};

#[path = "support/emulator_client.rs"]
mod emulator_client;
use emulator_client::emulator_bearer_builder;

type Events = Arc<Mutex<Vec<RetryEvent>>>;

/// A client of `emulator` whose retry events are kept in `events`, and whose calls report,
/// on `own_retries`, each retry of a call's own answer (not a wait for another call's).
fn client(
    emulator: &Emulator,
    events: &Events,
    own_retries: tokio::sync::mpsc::UnboundedSender<RetryEvent>,
) -> Client {
    recording_client(emulator_bearer_builder(emulator), events, own_retries)
}

/// `builder`'s client with the default retry policy, its retry events kept in `events` and
/// each retry of a call's own answer (not a wait for another call's) sent on `own_retries`.
fn recording_client(
    builder: ClientBuilder,
    events: &Events,
    own_retries: tokio::sync::mpsc::UnboundedSender<RetryEvent>,
) -> Client {
    let events = Arc::clone(events);
    builder
        .retry_policy(RetryPolicy::default().on_retry(move |event| {
            events.lock().unwrap().push(event.clone());
            if !event.held_by_retry_after {
                let _ = own_retries.send(event.clone());
            }
        }))
        .build()
        .unwrap()
}

/// A started emulator with its one user, and that user's environment ID and user ID.
fn emulator_and_user() -> (Emulator, String, String) {
    let emulator = Emulator::start().unwrap();
    let (env, user) = (
        emulator.environment_id().to_owned(),
        emulator.user_id().to_owned(),
    );
    (emulator, env, user)
}

/// `client`'s handle whose requests carry the transaction ID `id`, which the emulator's
/// faults of that transaction answer.
fn call(client: &Client, id: &str) -> Client {
    client.with_correlation(Correlation::new().transaction_id(id).unwrap())
}

/// `get_user(env, user)` by `client`'s handle of the transaction ID `transaction`
/// ([`call`]), on a task of its own.
fn spawn_get_user(
    client: &Client,
    transaction: &str,
    env: &str,
    user: &str,
) -> tokio::task::JoinHandle<Result<sparse_patch::pingone::User, sparse_patch::pingone::Error>> {
    let (client, env, user) = (call(client, transaction), env.to_owned(), user.to_owned());
    tokio::spawn(async move { client.get_user(&env, &user).await })
}

/// The requests that arrived before `wait` after `refusal`'s arrival, `refusal` left out.
fn arrived_within(
    requests: &[RecordedRequest],
    refusal: &RecordedRequest,
    wait: Duration,
) -> Vec<RecordedRequest> {
    requests
        .iter()
        .filter(|request| *request != refusal)
        .filter(|request| request.received_at < refusal.received_at + wait)
        .cloned()
        .collect()
}

/// The first recorded request answered `status`.
fn first_answered(requests: &[RecordedRequest], status: u16) -> RecordedRequest {
    requests
        .iter()
        .find(|request| request.status == Some(status))
        .unwrap_or_else(|| panic!("no {status}: {requests:?}"))
        .clone()
}

/// Asserts that no request of `requests` but `refusal` arrived before `wait` after
/// `refusal`'s arrival.
fn assert_none_arrived_within(
    requests: &[RecordedRequest],
    refusal: &RecordedRequest,
    wait: Duration,
) {
    let early = arrived_within(requests, refusal, wait);
    assert!(
        early.is_empty(),
        "{} request(s) arrived inside the {:?} answer's Retry-After of {wait:?}: {early:?}",
        early.len(),
        refusal.status
    );
}

/// The recorded request of `transaction` answered 429.
fn refusal_of(requests: &[RecordedRequest], transaction: &str) -> RecordedRequest {
    requests
        .iter()
        .find(|request| {
            request.transaction_id() == Some(transaction) && request.status == Some(429)
        })
        .unwrap_or_else(|| panic!("no 429 for {transaction}: {requests:?}"))
        .clone()
}

/// Eight calls of one client: the first gets a 429 with `Retry-After: 2`; the seven started
/// once it has read it send nothing until the 2 s have passed, and the emulator sees no
/// request of theirs (nor the first call's retry) before. Each held call's wait is reported
/// as a retry's, `held_by_retry_after`, with the 429's status. Before, the seven were sent
/// at once (each into its own 429 against a PingOne environment that throttles).
#[tokio::test]
async fn calls_wait_for_another_calls_retry_after() {
    let (emulator, env, user) = emulator_and_user();
    emulator.inject_for_transaction(
        "call-0",
        Fault::RateLimited {
            retry_after: "2".into(),
        },
    );
    let events = Events::default();
    let (own_retries, mut retried) = tokio::sync::mpsc::unbounded_channel();
    let client = client(&emulator, &events, own_retries);
    let first = spawn_get_user(&client, "call-0", &env, &user);
    // The first call read its 429 (its retry is reported after the client's hold is set).
    let retry = retried.recv().await.unwrap();
    assert_eq!((retry.status, retry.from_retry_after), (Some(429), true));
    let others: Vec<_> = (1..8)
        .map(|n| spawn_get_user(&client, &format!("call-{n}"), &env, &user))
        .collect();
    first.await.unwrap().unwrap();
    for other in others {
        other.await.unwrap().unwrap();
    }

    let requests = emulator.requests();
    assert_eq!(requests.len(), 9, "{requests:?}");
    assert_none_arrived_within(
        &requests,
        &refusal_of(&requests, "call-0"),
        Duration::from_secs(2),
    );
    let held: Vec<RetryEvent> = events
        .lock()
        .unwrap()
        .iter()
        .filter(|event| event.held_by_retry_after)
        .cloned()
        .collect();
    assert_eq!(held.len(), 7, "{held:?}");
    // Spread over the jitter's second, not all at the hold's end: seven uniform draws fall
    // within 100 ms of one another with a chance under 1e-5 (mutation audit 148: no spread,
    // in the hold or in the wait for it, changed no test).
    let waits = held.iter().map(|event| event.wait);
    let spread = waits.clone().max().unwrap() - waits.min().unwrap();
    assert!(spread > Duration::from_millis(100), "{held:?}");
    for event in held {
        assert_eq!(
            (event.attempt, event.status, event.from_retry_after),
            (0, Some(429), true)
        );
        // Up to the 2 s asked for, plus the jitter's spread (1 s for a 2 s wait).
        assert!(event.wait <= Duration::from_secs(3), "{event:?}");
    }
}

/// A later answer whose `Retry-After` ends later extends the hold: two calls refused at
/// once, one told 1 s and the other 3 s; then the first call's retry, and three calls
/// started after both answers, wait for the 3 s. Before, the first call came back after its
/// own 1 s, and the three went at once.
#[tokio::test]
async fn a_later_longer_retry_after_extends_the_wait() {
    let (emulator, env, user) = emulator_and_user();
    for (transaction, seconds) in [("short", "1"), ("long", "3")] {
        emulator.inject_for_transaction(
            transaction,
            Fault::RateLimited {
                retry_after: seconds.into(),
            },
        );
    }
    let events = Events::default();
    let (own_retries, mut retried) = tokio::sync::mpsc::unbounded_channel();
    let client = client(&emulator, &events, own_retries);
    let refused: Vec<_> = ["short", "long"]
        .into_iter()
        .map(|transaction| spawn_get_user(&client, transaction, &env, &user))
        .collect();
    // Both read their 429.
    for _ in 0..2 {
        assert_eq!(retried.recv().await.unwrap().status, Some(429));
    }
    let later: Vec<_> = (0..3)
        .map(|n| spawn_get_user(&client, &format!("later-{n}"), &env, &user))
        .chain(refused)
        .collect();
    for call in later {
        call.await.unwrap().unwrap();
    }

    let requests = emulator.requests();
    assert_eq!(requests.len(), 7, "{requests:?}");
    let long = refusal_of(&requests, "long");
    let short = refusal_of(&requests, "short");
    let early: Vec<_> = arrived_within(&requests, &long, Duration::from_secs(3))
        .into_iter()
        .filter(|request| *request != short)
        .collect();
    assert!(
        early.is_empty(),
        "{} request(s) arrived before the longer Retry-After had passed: {early:?}",
        early.len()
    );
}

/// A sync job of 8 lines at concurrency 8: line 8's lookup gets a 429 with `Retry-After: 3`
/// while the other lines' lookups are answered slowly (1 s); their PATCHes then come inside
/// the 3 s that PingOne asked the client to wait, where a throttled environment refuses
/// every request. (Line 8 is the refused one: a line's PATCH waits for the lookups of the
/// lines before it, which tell a duplicate user.) Counted by time: before, the 7 PATCHes
/// arrived inside the wait (each would have got its own 429 from a throttled environment);
/// now none does, and every line is still changed.
#[tokio::test]
async fn a_sync_job_sends_nothing_inside_another_lines_retry_after() {
    let id = |n: usize| format!("00000000-0000-4000-8000-{n:012}");
    let mut builder = Emulator::builder().no_users();
    for n in 1..=8 {
        builder = builder.user(json!({
            "id": id(n),
            "username": format!("user{n}"),
            "email": format!("user{n}@example.com"),
            "title": "Engineer",
        }));
    }
    let emulator = builder.start().unwrap();
    emulator.inject_for_transaction(
        "line-8",
        Fault::RateLimited {
            retry_after: "3".into(),
        },
    );
    for n in 1..=7 {
        emulator.inject_for_transaction(&format!("line-{n}"), Fault::Slow(Duration::from_secs(1)));
    }
    let client = emulator_bearer_builder(&emulator).build().unwrap();
    let feed: Vec<std::io::Result<String>> = (1..=8)
        .map(|n| Ok(json!({"id": id(n), "title": "Held"}).to_string()))
        .collect();
    let job = SyncJob::new(&client, emulator.environment_id())
        .concurrency(8)
        .unwrap();
    let outcomes: Vec<Outcome> = job.run(feed).collect().await;
    assert_eq!(outcomes.len(), 8);
    assert!(
        outcomes
            .iter()
            .all(|outcome| outcome.status == Status::Changed),
        "{outcomes:?}"
    );

    let requests = emulator.requests();
    let refusal = refusal_of(&requests, "line-8");
    // The lookups answered slowly were sent with line 8's, before its 429 came: left out.
    let inside: Vec<RecordedRequest> = arrived_within(&requests, &refusal, Duration::from_secs(3))
        .into_iter()
        .filter(|request| request.fault.is_none())
        .collect();
    // Before the client-wide hold: 7 (the PATCHes of lines 1 to 7).
    assert_eq!(
        inside.len(),
        0,
        "requests sent inside line 8's Retry-After: {inside:?}"
    );
    assert_eq!(
        requests.len(),
        17,
        "8 lookups, line 8's again, 8 PATCHes: {requests:?}"
    );
}

/// A `Retry-After` longer than the policy waits out (`max_retry_after`, 60 s by default)
/// ends its own call at once and holds no other: held for `max_retry_after`, the next call
/// would only have sent later into the same refusal. The next call goes at once, and no
/// call waits for another's answer.
#[tokio::test]
async fn a_retry_after_past_max_retry_after_holds_no_other_call() {
    let emulator = Emulator::start().unwrap();
    let (env, user) = (emulator.environment_id(), emulator.user_id());
    emulator.inject_for_transaction(
        "quota",
        Fault::RateLimited {
            retry_after: "120".into(),
        },
    );
    let events = Events::default();
    let (own_retries, _retried) = tokio::sync::mpsc::unbounded_channel();
    let client = client(&emulator, &events, own_retries);
    let error = call(&client, "quota")
        .get_user(env, user)
        .await
        .unwrap_err();
    assert_eq!(
        (error.status(), error.retry_after()),
        (Some(429), Some(Duration::from_secs(120)))
    );
    tokio::time::timeout(Duration::from_secs(30), client.get_user(env, user))
        .await
        .expect("the next call was held")
        .unwrap();
    assert!(
        events.lock().unwrap().is_empty(),
        "{:?}",
        events.lock().unwrap()
    );
}

/// A call that was waiting for its turn at the client's rate limiter when another call's 429
/// set the hold waits for the hold too once its turn comes: two calls at once with two
/// requests a second, the first answered 429 with `Retry-After: 2`; the second, whose turn
/// comes 500 ms later, arrives no earlier than the 2 s (mutation audit 148: going as soon
/// as the turn came, without looking at the hold again, changed no test).
#[tokio::test]
async fn a_call_waiting_for_its_turn_waits_for_a_hold_set_meanwhile() {
    let (emulator, env, user) = emulator_and_user();
    emulator.inject(Fault::RateLimited {
        retry_after: "2".into(),
    });
    let client = emulator_bearer_builder(&emulator)
        .rate_limit(2)
        .build()
        .unwrap();
    let calls: Vec<_> = (0..2)
        .map(|n| spawn_get_user(&client, &format!("call-{n}"), &env, &user))
        .collect();
    for call in calls {
        call.await.unwrap().unwrap();
    }
    let requests = emulator.requests();
    assert_eq!(requests.len(), 3, "{requests:?}");
    assert_none_arrived_within(
        &requests,
        &first_answered(&requests, 429),
        Duration::from_secs(2),
    );
}

/// A 503's `Retry-After` holds the client as a 429's does (RFC 9110 §15.6.4): a call started
/// once the 503 was read sends nothing until its 2 s have passed (mutation audit 148: a hold
/// set by a 429 alone changed no test).
#[tokio::test]
async fn a_503_s_retry_after_holds_the_other_calls_too() {
    let (emulator, env, user) = emulator_and_user();
    emulator.inject_for_transaction(
        "call-0",
        Fault::ServiceUnavailable {
            retry_after: Some("2".into()),
        },
    );
    let events = Events::default();
    let (own_retries, mut retried) = tokio::sync::mpsc::unbounded_channel();
    let client = client(&emulator, &events, own_retries);
    let first = spawn_get_user(&client, "call-0", &env, &user);
    let retry = retried.recv().await.unwrap();
    assert_eq!(retry.status, Some(503));
    call(&client, "call-1").get_user(&env, &user).await.unwrap();
    first.await.unwrap().unwrap();
    let requests = emulator.requests();
    assert_none_arrived_within(
        &requests,
        &first_answered(&requests, 503),
        Duration::from_secs(2),
    );
}

/// A 429 without a `Retry-After` whose PingOne error body says when to come back
/// (`details[].innerError.retryAfter`, which counts as one) holds the client's other calls as
/// the header does (docs "One `Retry-After` for the whole client": "its `Retry-After`, or its
/// error body's wait"): a call started once the first call read the 429 waits for it, and
/// its wait is reported as a held one, with the 429's status. Review 156: the header's hold
/// alone was tested.
#[tokio::test]
async fn an_error_bodys_wait_holds_the_other_calls_too() {
    use wiremock::matchers::method;
    use wiremock::{Mock, MockServer, ResponseTemplate};
    const ENV: &str = "abfba8f6-49eb-49f5-a5d9-80ad5c98f9f6";
    const USER: &str = "a38890a6-295a-4d58-9f6e-b72b05fba379";
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(429).set_body_json(json!({
            "id": "e", "code": "REQUEST_LIMITED", "message": "later",
            "details": [{"code": "LIMIT_EXCEEDED", "message": "later",
                         "innerError": {"retryAfter": 2}}]
        })))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(404).set_body_json(json!({
            "id": "e", "code": "NOT_FOUND", "message": "no such user"
        })))
        .mount(&server)
        .await;
    let events = Events::default();
    let (own_retries, mut retried) = tokio::sync::mpsc::unbounded_channel();
    let client = recording_client(
        Client::builder()
            .api_base_url(format!("{}/v1", server.uri()))
            .token(TokenSource::bearer("t")),
        &events,
        own_retries,
    );
    let first = spawn_get_user(&client, "call-0", ENV, USER);
    let retry = retried.recv().await.unwrap();
    assert_eq!((retry.status, retry.from_retry_after), (Some(429), true));
    let second = call(&client, "call-1")
        .get_user(ENV, USER)
        .await
        .unwrap_err();
    assert_eq!(second.status(), Some(404));
    assert_eq!(first.await.unwrap().unwrap_err().status(), Some(404));
    let held: Vec<RetryEvent> = events
        .lock()
        .unwrap()
        .iter()
        .filter(|event| event.held_by_retry_after)
        .cloned()
        .collect();
    assert_eq!(held.len(), 1, "{held:?}");
    assert_eq!(
        (held[0].attempt, held[0].status, held[0].from_retry_after),
        (0, Some(429), true)
    );
    assert!(held[0].wait > Duration::from_secs(1), "{held:?}");
}

/// Two clients built separately do not share a hold (docs: "build one and clone it"): a
/// call of a second client of the same emulator goes at once while the first client is
/// held, and reports no held wait. Review 156: the documented limit had no test.
#[tokio::test]
async fn two_clients_built_apart_do_not_share_a_hold() {
    let (emulator, env, user) = emulator_and_user();
    emulator.inject_for_transaction(
        "call-0",
        Fault::RateLimited {
            retry_after: "2".into(),
        },
    );
    let (first_events, other_events) = (Events::default(), Events::default());
    let (own_retries, mut retried) = tokio::sync::mpsc::unbounded_channel();
    let first_client = client(&emulator, &first_events, own_retries);
    let (unused, _kept) = tokio::sync::mpsc::unbounded_channel();
    let other_client = client(&emulator, &other_events, unused);
    let first = spawn_get_user(&first_client, "call-0", &env, &user);
    let retry = retried.recv().await.unwrap();
    assert_eq!(retry.status, Some(429));
    call(&other_client, "call-1")
        .get_user(&env, &user)
        .await
        .unwrap();
    first.await.unwrap().unwrap();
    assert!(
        other_events.lock().unwrap().is_empty(),
        "{:?}",
        other_events.lock().unwrap()
    );
    let requests = emulator.requests();
    let refusal = refusal_of(&requests, "call-0");
    let early = arrived_within(&requests, &refusal, Duration::from_secs(2));
    assert_eq!(
        early
            .iter()
            .map(RecordedRequest::transaction_id)
            .collect::<Vec<_>>(),
        [Some("call-1")],
        "{requests:?}"
    );
}
