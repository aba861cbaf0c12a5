//! Safety around every call (issue 9 §4): correlation headers, the client-side rate limiter,
//! the emulator's rate limit, pre-flight validation, the 403/404 window and tracing.

use std::time::{Duration, Instant};

use serde_json::json;
use sparse_patch::pingone::emulator::{Emulator, REFERENCE_ENVIRONMENT_ID, REFERENCE_USER_ID};
use sparse_patch::pingone::{
    AddressPatch, Client, Correlation, Error, NamePatch, RetryPolicy, TokenSource, UserPatch,
};
use wiremock::matchers::{header, method};
use wiremock::{Mock, MockServer, ResponseTemplate};

const ENV: &str = REFERENCE_ENVIRONMENT_ID;
const USER: &str = REFERENCE_USER_ID;

#[path = "support/emulator_client.rs"]
mod emulator_client;
#[path = "support/mock_pingone.rs"]
mod mock_pingone;
use emulator_client::{client_of, emulator_bearer_builder};

#[tokio::test]
async fn correlation_ids_are_sent_per_client_and_per_call_and_recorded() {
    let emulator = Emulator::start().unwrap();
    let client = emulator_bearer_builder(&emulator)
        .correlation(
            Correlation::new()
                .transaction_id("client-tx")
                .unwrap()
                .session_id("sync-run-7")
                .unwrap(),
        )
        .build()
        .unwrap();
    client.get_user(ENV, USER).await.unwrap();
    client
        .with_correlation(Correlation::new().transaction_id("row-42").unwrap())
        .update_user(ENV, USER, &UserPatch::new().title("Dr"))
        .await
        .unwrap();
    // The per-call handle does not change the client.
    client.get_user(ENV, USER).await.unwrap();
    // A call's session ID wins over the client's too, its transaction ID left to the client's.
    client
        .with_correlation(Correlation::new().session_id("row-session").unwrap())
        .get_user(ENV, USER)
        .await
        .unwrap();
    let requests = emulator.requests();
    let seen: Vec<(Option<&str>, Option<&str>)> = requests
        .iter()
        .map(|request| (request.transaction_id(), request.session_id()))
        .collect();
    assert_eq!(
        seen,
        [
            (Some("client-tx"), Some("sync-run-7")),
            (Some("row-42"), Some("sync-run-7")),
            (Some("client-tx"), Some("sync-run-7")),
            (Some("client-tx"), Some("row-session")),
        ]
    );

    // No IDs, no headers.
    let plain = client_of(&emulator);
    plain.get_user(ENV, USER).await.unwrap();
    let last = emulator.requests().pop().unwrap();
    assert_eq!((last.transaction_id(), last.session_id()), (None, None));
}

#[tokio::test]
async fn correlation_headers_have_their_exact_names_on_the_wire() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(header("x-ping-external-transaction-id", "tx/1"))
        .and(header("x-ping-external-session-id", "s-1"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(sparse_patch::pingone::emulator::reference_user()),
        )
        .expect(1)
        .mount(&server)
        .await;
    let client = mock_pingone::bearer(&server).with_correlation(
        Correlation::new()
            .transaction_id("tx/1")
            .unwrap()
            .session_id("s-1")
            .unwrap(),
    );
    client.get_user(ENV, USER).await.unwrap();
}

#[test]
fn bad_correlation_ids_are_refused() {
    let long = "x".repeat(101);
    for bad in [
        "",
        long.as_str(),
        "line\nbreak",
        "tab\there",
        "nul\0",
        "del\u{7f}",
        "é",
        " leading",
        "trailing ",
        // PingOne converts each character but letters, digits and `._-/@=#+` to `_`: the
        // ID in its logs would not be the one sent (see tests/pingone_real_clients.rs).
        "with space",
        "{uuid}-~!",
        "row:42",
    ] {
        let error = Correlation::new().transaction_id(bad).unwrap_err();
        assert!(matches!(error, Error::InvalidInput(_)), "{bad:?}");
        assert!(
            error.to_string().contains("X-Ping-External-Transaction-ID"),
            "{error}"
        );
        assert!(Correlation::new().session_id(bad).is_err(), "{bad:?}");
    }
    // A control character is said as one, not only as a character outside printable ASCII.
    let error = Correlation::new()
        .transaction_id("line\nbreak")
        .unwrap_err();
    assert!(
        error.to_string().contains("holds a control character"),
        "{error}"
    );
    let hundred = "y".repeat(100);
    for good in ["a", hundred.as_str(), "with_underscore", "hr/feed@x.y#7+=-"] {
        assert!(Correlation::new().transaction_id(good).is_ok(), "{good:?}");
    }
    // Far too long too, and its error shows the ID cut to its first 110 characters.
    let error = Correlation::new()
        .session_id(&"z".repeat(150))
        .unwrap_err()
        .to_string();
    assert!(
        error.contains(&format!("{:?} has 150 characters", "z".repeat(110))),
        "{error}"
    );
}

/// The IDs read back as set, one by one, and `Debug` shows them (they are not secrets).
#[test]
fn correlation_ids_read_back_and_show_in_debug() {
    let both = Correlation::new()
        .transaction_id("tx-1")
        .unwrap()
        .session_id("run_7")
        .unwrap();
    assert_eq!(both.get_transaction_id(), Some("tx-1"));
    assert_eq!(both.get_session_id(), Some("run_7"));
    assert_eq!(
        format!("{both:?}"),
        r#"Correlation { transaction_id: Some("tx-1"), session_id: Some("run_7") }"#
    );
    let session_only = Correlation::new().session_id("s").unwrap();
    assert_eq!(
        (
            session_only.get_transaction_id(),
            session_only.get_session_id()
        ),
        (None, Some("s"))
    );
    let none = Correlation::new();
    assert_eq!(
        (none.get_transaction_id(), none.get_session_id()),
        (None, None)
    );
    assert_eq!(
        format!("{none:?}"),
        "Correlation { transaction_id: None, session_id: None }"
    );
}

#[tokio::test]
async fn the_rate_limiter_spaces_the_requests_of_a_client() {
    let emulator = Emulator::start().unwrap();
    let client = emulator_bearer_builder(&emulator)
        .rate_limit(20)
        .build()
        .unwrap();
    let start = Instant::now();
    for _ in 0..11 {
        client.get_user(ENV, USER).await.unwrap();
    }
    // 11 requests at 20 per second, evenly spaced: 10 gaps of 50 ms.
    let elapsed = start.elapsed();
    assert!(elapsed >= Duration::from_millis(480), "{elapsed:?}");
    // No limit of 0: the chapter says `Error::Config`, as for the other settings `build`
    // refuses.
    let error = emulator_bearer_builder(&emulator)
        .rate_limit(0)
        .build()
        .unwrap_err();
    assert!(matches!(error, Error::Config(_)), "{error:?}");
}

/// The turns of the rate limiter go to the waiting calls in the order they came: 10 tasks
/// making 10 calls each through one limited client on a `multi_thread` runtime take turns,
/// none starved. Before, the first waiter to wake took each turn, in no set order: one task
/// sent 4 requests in a row while another's first request was the 50th. Read from the order
/// the requests arrived in (each task asks for a user of its own): between two requests of a
/// task, no other task sends more than two.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_rate_limiter_gives_its_turns_in_the_order_the_calls_came() {
    const TASKS: u32 = 10;
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(|request: &wiremock::Request| {
            let id = request.url.path().rsplit('/').next().unwrap();
            ResponseTemplate::new(200)
                .set_body_json(json!({"id": id, "username": "d", "email": "d@example.com"}))
        })
        .mount(&server)
        .await;
    let client = Client::builder()
        .api_base_url(format!("{}/v1", server.uri()))
        .token(TokenSource::bearer("token"))
        .rate_limit(20)
        .build()
        .unwrap();
    let mut tasks = tokio::task::JoinSet::new();
    for task in 0..TASKS {
        let client = client.clone();
        tasks.spawn(async move {
            let user = format!("00000000-0000-4000-8000-{task:012}");
            for _ in 0..10 {
                client.get_user(ENV, &user).await.unwrap();
            }
        });
    }
    tokio::time::timeout(Duration::from_secs(60), tasks.join_all())
        .await
        .expect("the calls hang");
    let order: Vec<usize> = server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .map(|request| {
            request
                .url
                .path()
                .rsplit('-')
                .next()
                .unwrap()
                .parse()
                .unwrap()
        })
        .collect();
    assert_eq!(order.len(), 100);
    for (at, &task) in order.iter().enumerate() {
        let Some(next) = order[at + 1..].iter().position(|&other| other == task) else {
            continue;
        };
        let mut others = [0; TASKS as usize];
        for &other in &order[at + 1..at + 1 + next] {
            others[other] += 1;
        }
        assert!(
            others.iter().all(|&sent| sent <= 2),
            "task {task} waited from request {at} while others sent {others:?}: {order:?}"
        );
    }
}

/// Concurrent jobs sharing one limited client stay under the server's limit; without the
/// limiter the same burst gets 429 `REQUEST_LIMITED` with `Retry-After`.
#[tokio::test]
async fn concurrent_calls_share_the_limiter_and_do_not_storm_into_429s() {
    let emulator = Emulator::builder().rate_limit(10).start().unwrap();
    let burst = |client: Client, calls: usize| async move {
        let calls = (0..calls).map(|_| {
            let client = client.clone();
            tokio::spawn(async move { client.get_user(ENV, USER).await })
        });
        let mut results = Vec::new();
        for call in calls.collect::<Vec<_>>() {
            results.push(call.await.unwrap());
        }
        results
    };

    let unlimited = client_of(&emulator);
    // 30 at once: to pass a limit of 10 per second they would have to spread over 2 s.
    let results = burst(unlimited, 30).await;
    let limited: Vec<&Error> = results.iter().filter_map(|r| r.as_ref().err()).collect();
    assert!(
        !limited.is_empty(),
        "the emulator's limit should refuse some"
    );
    for error in &limited {
        assert!(matches!(error, Error::RateLimited { .. }), "{error:?}");
        assert_eq!(error.code(), Some("REQUEST_LIMITED"));
        assert!(error.retry_after().unwrap() >= Duration::from_secs(1));
    }

    // Let the emulator's bucket refill, then the same burst through a limited client.
    tokio::time::sleep(Duration::from_millis(1100)).await;
    let client = emulator_bearer_builder(&emulator)
        .retry_policy(RetryPolicy::never())
        .rate_limit(8)
        .build()
        .unwrap();
    let start = Instant::now();
    for result in burst(client, 14).await {
        result.unwrap();
    }
    assert!(start.elapsed() >= Duration::from_millis(1500));
}

/// `EmulatorBuilder::rate_limit(n)` is a bucket of `n` requests that refills at `n` per
/// second (GCRA): `n` at once, the next one refused, then one more every `1/n` s. Its docs
/// (and the README's "past `n` requests in a second it answers 429") promised a window of
/// `n` per second, which a test of a client's own spacing would trust: 10 at once and 5
/// more half a second later, 15 in 0.6 s, all pass a limit of 10.
///
/// The bucket refills while the requests are under way (one every 100 ms): on a loaded
/// machine the 11th request came more than 100 ms after the first and was answered, so the
/// test asked for requests until one is refused, and bounds how many passed by the time
/// they took instead.
#[tokio::test]
async fn the_emulator_rate_limit_is_a_bucket_of_n_refilled_at_n_per_second() {
    let emulator = Emulator::builder().rate_limit(10).start().unwrap();
    let client = client_of(&emulator);
    let start = Instant::now();
    // The full bucket: the first 10 pass, however slowly they come.
    for _ in 0..10 {
        client.get_user(ENV, USER).await.unwrap();
    }
    // The next one is refused, unless the bucket refilled meanwhile: at most one more every
    // 100 ms since the start (and a refusal well before 100 requests, unless each of them
    // took 100 ms).
    let mut passed = 10;
    let refused = loop {
        match client.get_user(ENV, USER).await {
            Ok(_) => passed += 1,
            Err(error) => break error,
        }
        let refilled = start.elapsed().as_millis() / 100;
        assert!(
            passed <= 10 + refilled + 1,
            "{passed} passed in {:?}: the bucket holds 10 and refills one every 100 ms",
            start.elapsed()
        );
        assert!(passed < 100, "none refused in {:?}", start.elapsed());
    };
    let refused_after = start.elapsed();
    assert!(matches!(refused, Error::RateLimited { .. }), "{refused:?}");
    // The wait for the next turn, at most 100 ms, in whole seconds and at least 1.
    assert_eq!(refused.retry_after(), Some(Duration::from_secs(1)));
    // Half a second later, five more pass: 15 or more in a second, which a window of 10 per
    // second refuses (seen when the refusal came within 0.4 s of the start, as it does but on
    // a stalled machine; a window that started later has already moved on).
    tokio::time::sleep(Duration::from_millis(550)).await;
    for n in 1..=5 {
        client
            .get_user(ENV, USER)
            .await
            .unwrap_or_else(|error| panic!("request {n} after the wait ({refused_after:?} from the start to the refusal): {error}"));
    }
    assert_eq!(emulator.requests().len(), passed as usize + 1 + 5);
}

fn bad_patch() -> UserPatch {
    use sparse_patch::pingone::{AddressPatch, NamePatch, PhotoPatch};
    UserPatch::new()
        .email("not-an-email")
        .nickname("")
        .mobile_phone("no digits")
        .address(AddressPatch::new().country_code("usa"))
        .name(NamePatch::new().family("f".repeat(257)))
        .photo(PhotoPatch::new().href("ftp://example.com/a.png"))
}

const BAD_TARGETS: [&str; 6] = [
    "address.countryCode",
    "email",
    "mobilePhone",
    "name.family",
    "nickname",
    "photo.href",
];

/// Pre-flight: the client refuses a patch that breaks PingOne's rules, naming every target,
/// and sends nothing; turned off, the same patch reaches the emulator, which refuses it with
/// the same targets from the same table.
#[tokio::test]
async fn preflight_names_every_target_and_sends_nothing() {
    let (server, client) = server_never_patched().await;
    let error = client
        .update_user(ENV, USER, &bad_patch())
        .await
        .unwrap_err();
    let text = preflight_message(&error);
    for target in BAD_TARGETS {
        // Each fault starts with its target, written once (the rule's message names it).
        assert!(
            text.contains(&format!("({target} ")) || text.contains(&format!("; {target} ")),
            "{target} in {text}"
        );
        assert!(!text.contains(&format!("{target}: {target}")), "{text}");
    }
    assert!(text.ends_with("nothing was sent"), "{text}");
    // Each fault is a detail, as PingOne's 400 writes them: `targets` names the attributes as
    // it does for PingOne's own refusal.
    let mut targets: Vec<&str> = error.targets().collect();
    targets.sort_unstable();
    assert_eq!(targets, BAD_TARGETS);
    assert_eq!(error.status(), None, "nothing was sent");

    // The 16 KB profile limit: a detail without a target.
    let huge = UserPatch::new().custom_entry("notes", json!("n".repeat(17 * 1024)));
    let error = client.update_user(ENV, USER, &huge).await.unwrap_err();
    assert!(
        matches!(&error, Error::Preflight { message, details }
            if message.contains("16384 bytes")
                && details[0].code.as_deref() == Some("SIZE_LIMIT_EXCEEDED")),
        "{error:?}"
    );
    assert_eq!(error.target(), None);
    assert!(server.received_requests().await.unwrap().is_empty());

    // Off: the emulator is the judge, with the same table.
    let emulator = Emulator::start().unwrap();
    let client = emulator_bearer_builder(&emulator)
        .retry_policy(RetryPolicy::never())
        .preflight(false)
        .build()
        .unwrap();
    let error = client
        .update_user(ENV, USER, &bad_patch())
        .await
        .unwrap_err();
    assert_eq!(error.status(), Some(400));
    assert_eq!(error.code(), Some("INVALID_DATA"));
    let mut targets: Vec<&str> = error.targets().collect();
    targets.sort_unstable();
    assert_eq!(targets, BAD_TARGETS);
    let error = client.update_user(ENV, USER, &huge).await.unwrap_err();
    assert_eq!(error.status(), Some(400));
    assert_eq!(
        error.api_error().unwrap().details[0].code.as_deref(),
        Some("SIZE_LIMIT_EXCEEDED")
    );
    assert_eq!(emulator.requests().len(), 2);

    // A valid patch passes pre-flight.
    let client = client_of(&emulator);
    client
        .update_user(ENV, USER, &UserPatch::new().nickname("Dave"))
        .await
        .unwrap();
}

/// The message of `error`, a pre-flight refusal; panics on any other error.
fn preflight_message(error: &Error) -> &str {
    let Error::Preflight { message, .. } = error else {
        panic!("{error:?}");
    };
    message
}

/// A mock server that no PATCH may reach (it fails the test when dropped after one did), and
/// a client of it with the default retries: pre-flight must refuse before sending.
async fn server_never_patched() -> (MockServer, Client) {
    let server = MockServer::start().await;
    Mock::given(method("PATCH"))
        .respond_with(ResponseTemplate::new(500))
        .expect(0)
        .mount(&server)
        .await;
    let client = Client::builder()
        .api_base_url(format!("{}/v1", server.uri()))
        .token(TokenSource::bearer("token"))
        .build()
        .unwrap();
    (server, client)
}

/// A mock server that answers every PATCH with the reference user, and a client of it that
/// never retries: what pre-flight lets through is counted in its requests.
async fn patch_server() -> (MockServer, Client) {
    let server = MockServer::start().await;
    Mock::given(method("PATCH"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(sparse_patch::pingone::emulator::reference_user()),
        )
        .mount(&server)
        .await;
    let client = mock_pingone::bearer(&server);
    (server, client)
}

/// The 16 KB profile limit admits a profile of exactly 16 KB ("at most 16 KB", PingOne's
/// "Custom attributes"): pre-flight sends a patch whose JSON is exactly
/// [`MAX_PROFILE_BYTES`](sparse_patch::pingone::MAX_PROFILE_BYTES) long, and refuses one a
/// byte longer without sending it.
#[tokio::test]
async fn preflight_sends_a_patch_of_exactly_16_kb_and_refuses_one_byte_more() {
    use sparse_patch::pingone::MAX_PROFILE_BYTES;

    let (server, client) = patch_server().await;
    // `{"notes":"nnn…"}`, `bytes` long in JSON.
    let patch_of = |bytes: usize| {
        let frame = serde_json::to_vec(&UserPatch::new().custom_entry("notes", json!("")))
            .unwrap()
            .len();
        UserPatch::new().custom_entry("notes", json!("n".repeat(bytes - frame)))
    };
    let exact = patch_of(MAX_PROFILE_BYTES);
    assert_eq!(serde_json::to_vec(&exact).unwrap().len(), 16384);
    client.update_user(ENV, USER, &exact).await.unwrap();
    assert_eq!(server.received_requests().await.unwrap().len(), 1);

    let over = patch_of(MAX_PROFILE_BYTES + 1);
    let error = client.update_user(ENV, USER, &over).await.unwrap_err();
    assert!(
        matches!(&error, Error::Preflight { message: text, .. }
            if text.contains("The user profile is 16385 bytes, more than 16384 bytes")),
        "{error:?}"
    );
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
}

/// Pre-flight at the edges of three rules of PingOne's `User` schema: a phone number of at
/// most 32 characters (`maxLength: 32`), a time zone that matches `^\w+\/\w+$` (an area and
/// a city, both words), and a country code of two upper-case letters (ISO 3166-1 alpha-2). What passes is sent; what breaks a rule is refused, naming it, and not
/// sent.
#[tokio::test]
async fn preflight_checks_phones_time_zones_and_country_codes_at_their_edges() {
    let (server, client) = patch_server().await;
    let sent = || async { server.received_requests().await.unwrap().len() };

    let phone_32 = format!("+1 {}", "5".repeat(29));
    let phone_33 = format!("+1 {}", "5".repeat(30));
    assert_eq!(
        (phone_32.chars().count(), phone_33.chars().count()),
        (32, 33)
    );
    let good = [
        UserPatch::new().mobile_phone(phone_32.as_str()),
        UserPatch::new().primary_phone(phone_32.as_str()),
        UserPatch::new().timezone("America/Los_Angeles"),
        UserPatch::new().timezone("Etc/UTC"),
        UserPatch::new().address(AddressPatch::new().country_code("US")),
    ];
    for (index, patch) in good.iter().enumerate() {
        client.update_user(ENV, USER, patch).await.unwrap();
        assert_eq!(sent().await, index + 1);
    }
    let bad = [
        (
            "mobilePhone",
            UserPatch::new().mobile_phone(phone_33.as_str()),
        ),
        (
            "primaryPhone",
            UserPatch::new().primary_phone(phone_33.as_str()),
        ),
        ("timezone", UserPatch::new().timezone("America/")),
        ("timezone", UserPatch::new().timezone("/Paris")),
        ("timezone", UserPatch::new().timezone("America")),
        ("timezone", UserPatch::new().timezone("America/New York")),
        (
            "address.countryCode",
            UserPatch::new().address(AddressPatch::new().country_code("USA")),
        ),
        (
            "address.countryCode",
            UserPatch::new().address(AddressPatch::new().country_code("U")),
        ),
    ];
    for (target, patch) in &bad {
        let error = client.update_user(ENV, USER, patch).await.unwrap_err();
        assert!(
            matches!(&error, Error::Preflight { message: text, .. } if text.contains(&format!("({target} "))),
            "{target}: {error:?}"
        );
    }
    assert_eq!(sent().await, good.len());
}

/// Pre-flight refuses a control character where PingOne's schema pattern admits none (a
/// stray `\r` or tab from a CSV export), naming the attribute, and lets a street address
/// hold its lines.
#[tokio::test]
async fn preflight_refuses_control_characters_where_pingone_does() {
    let (server, client) = server_never_patched().await;
    let patch = UserPatch::new()
        .nickname("Dave\r")
        .name(NamePatch::new().given("Da\tve"));
    let error = client.update_user(ENV, USER, &patch).await.unwrap_err();
    let text = preflight_message(&error);
    assert!(
        text.contains("nickname") && text.contains("name.given"),
        "{text}"
    );
    assert!(server.received_requests().await.unwrap().is_empty());

    let emulator = Emulator::start().unwrap();
    let client = client_of(&emulator);
    let patch = UserPatch::new().address(AddressPatch::new().street_address("1 Main St\nApt 2"));
    client.update_user(ENV, USER, &patch).await.unwrap();
}

/// Pre-flight refuses the invisible format characters (a zero-width space, a bidi override)
/// that PingOne's schema pattern excludes, as it refuses a control character.
#[tokio::test]
async fn preflight_refuses_format_characters_where_pingone_does() {
    let emulator = Emulator::start().unwrap();
    let client = client_of(&emulator);
    let patch = UserPatch::new()
        .nickname("Dave\u{200b}")
        .name(NamePatch::new().given("\u{202e}evaD"));
    let error = client.update_user(ENV, USER, &patch).await.unwrap_err();
    let text = preflight_message(&error);
    assert!(
        text.contains("nickname") && text.contains("name.given"),
        "{text}"
    );
}

/// The 403/404 window: off by default; on, a user that appears a moment later is found, an
/// injected 403 is waited out, and a real 404 ends once the window has passed.
#[tokio::test]
async fn the_consistency_window_retries_403_and_404_only_when_asked() {
    use sparse_patch::pingone::emulator::Fault;

    let emulator = Emulator::builder().no_users().start().unwrap();
    let policy = RetryPolicy::default()
        .max_attempts(50)
        .initial_backoff(Duration::from_millis(20))
        .max_backoff(Duration::from_millis(40))
        .jitter(false);
    let client = emulator_bearer_builder(&emulator)
        .retry_policy(policy.clone())
        .build()
        .unwrap();

    // Off by default: one attempt.
    let error = client.get_user(ENV, USER).await.unwrap_err();
    assert_eq!((error.status(), error.attempts()), (Some(404), Some(1)));

    // The user is created once the call has been answered 404 (it has sent its second
    // attempt); the call waits for it. (Created 150 ms from now, the user could come before
    // the first attempt reached the emulator on a loaded machine.)
    let fresh = client.with_consistency_window(Duration::from_secs(3));
    let insert = async {
        let give_up = Instant::now() + Duration::from_secs(3);
        while emulator.requests().len() < 3 && Instant::now() < give_up {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        emulator.insert_user(sparse_patch::pingone::emulator::reference_user());
    };
    let (found, ()) = tokio::join!(fresh.get_user(ENV, USER), insert);
    assert_eq!(found.unwrap().username, "dspanner");
    let gets = emulator.requests().len();
    assert!(gets > 2, "{gets} requests");

    // 403 twice, then the answer: waited out inside the window, not outside it.
    emulator.inject(Fault::Status(403));
    emulator.inject(Fault::Status(403));
    let user = fresh
        .update_user(ENV, USER, &UserPatch::new().title("Dr"))
        .await
        .unwrap();
    assert_eq!(user.title.as_deref(), Some("Dr"));
    emulator.inject(Fault::Status(403));
    let error = client.get_user(ENV, USER).await.unwrap_err();
    assert_eq!((error.status(), error.attempts()), (Some(403), Some(1)));

    // A real 404 ends once the window has passed: retried inside it, and not until the 50
    // attempts of the policy are spent (about 2 s of backoff). The window was 100 ms, which
    // the first answer alone can take on a loaded machine (then no retry at all); and the
    // end was checked as "within 2 s", about what the 50 attempts take.
    let missing = "00000000-0000-4000-8000-000000000000";
    let short = client.with_consistency_window(Duration::from_millis(500));
    let error = short.get_user(ENV, missing).await.unwrap_err();
    assert_eq!(error.status(), Some(404));
    let attempts = error.attempts().unwrap();
    assert!(attempts > 1 && attempts < 50, "{attempts} attempts");

    // The same through the policy, for every call of a client.
    let everywhere = emulator_bearer_builder(&emulator)
        .retry_policy(policy.consistency_window(Duration::from_secs(2)))
        .build()
        .unwrap();
    emulator.inject(Fault::Status(404));
    everywhere.get_user(ENV, USER).await.unwrap();
}

/// A model of the user's own (generated from the OpenAPI description, where nothing marks
/// `population` or `updatedAt` read-only) sends attributes that a PATCH cannot change:
/// PingOne ignores them and answers 200, so `diff` then `update_user` "succeeded" and the
/// user's population, or `enabled`, stayed as it was, without a word. Pre-flight now refuses
/// them, naming each and the call that changes it, and sends nothing; `account`, some of whose
/// members may change, goes through.
#[tokio::test]
async fn preflight_refuses_attributes_that_a_patch_cannot_change() {
    #[derive(
        sparse_patch::Patchable, Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize,
    )]
    #[serde(rename_all = "camelCase")]
    struct GeneratedUser {
        username: String,
        title: Option<String>,
        updated_at: Option<String>,
        enabled: Option<bool>,
        population: Option<serde_json::Value>,
        account: Option<serde_json::Value>,
    }
    use sparse_patch::Patchable;

    let stored = GeneratedUser {
        username: "ada".into(),
        title: None,
        updated_at: Some("2026-01-01T00:00:00Z".into()),
        enabled: Some(true),
        population: Some(json!({"id": "65393df2-a368-428d-bc6e-f1c864dd3a40"})),
        account: None,
    };
    let wanted = GeneratedUser {
        title: Some("CTO".into()),
        updated_at: Some("2026-06-01T00:00:00Z".into()),
        enabled: Some(false),
        population: Some(json!({"id": "0b2e3a51-8a6c-4a39-9a35-6a1b2f0c7d10"})),
        account: Some(json!({"canAuthenticate": true})),
        ..stored.clone()
    };
    let patch = stored.diff(&wanted);

    let (server, client) = server_never_patched().await;
    let error = client.update_user(ENV, USER, &patch).await.unwrap_err();
    let text = preflight_message(&error);
    for (target, said) in [
        ("updatedAt", "updatedAt is read-only"),
        ("enabled", "users/{userID}/enabled"),
        ("population", "users/{userID}/population"),
    ] {
        assert!(text.contains(said), "{target} in {text}");
    }
    assert!(!text.contains("account"), "{text}");
    assert!(!text.contains("title"), "{text}");
    assert!(server.received_requests().await.unwrap().is_empty());

    // What pre-flight spares the caller: PingOne (here the emulator) answers 200 and changes
    // the title alone.
    let emulator = Emulator::start().unwrap();
    let client = emulator_bearer_builder(&emulator)
        .preflight(false)
        .build()
        .unwrap();
    let user = client.update_user(ENV, USER, &patch).await.unwrap();
    assert_eq!(user.title.as_deref(), Some("CTO"));
    assert_eq!(user.population, stored.population);
    assert_eq!(user.enabled, Some(true));
}

/// A model of your own with a flattened map of custom attributes (README, "PingOne: the
/// client"): the attributes it has no field for, PingOne's read-only ones among them, land in
/// the map, so a `diff` to a model built without them (from a feed) clears them, which
/// pre-flight refuses, naming them; declared as `#[patchable(skip)]` fields, their keys are
/// dropped from the map, and the same `diff` sends only the change.
#[tokio::test]
async fn a_flattened_map_collects_read_only_attributes_unless_they_are_skipped_fields() {
    use std::collections::HashMap;

    use sparse_patch::Patchable;

    #[derive(Patchable, Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
    struct Loose {
        #[patchable(skip)]
        id: Option<String>,
        username: String,
        #[serde(flatten)]
        custom: HashMap<String, serde_json::Value>,
    }

    #[derive(Patchable, Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
    #[serde(rename_all = "camelCase")]
    struct Declared {
        #[patchable(skip)]
        id: Option<String>,
        #[patchable(skip)]
        created_at: Option<String>,
        username: String,
        #[serde(flatten)]
        custom: HashMap<String, serde_json::Value>,
    }

    let emulator = Emulator::start().unwrap();
    let client = client_of(&emulator);
    let wanted_custom = HashMap::from([("costCenter".to_owned(), json!("CC-1"))]);

    let loose: Loose = client.get_user_as(ENV, USER).await.unwrap();
    assert!(loose.custom.contains_key("createdAt"));
    let from_feed = Loose {
        id: None,
        username: loose.username.clone(),
        custom: wanted_custom.clone(),
    };
    let error = client
        .update_user(ENV, USER, &loose.diff(&from_feed))
        .await
        .unwrap_err();
    assert!(matches!(error, Error::Preflight { .. }), "{error}");
    assert!(
        error.to_string().contains("createdAt is read-only"),
        "{error}"
    );

    let declared: Declared = client.get_user_as(ENV, USER).await.unwrap();
    assert!(declared.created_at.is_some());
    assert!(!declared.custom.contains_key("createdAt"));
    let from_feed = Declared {
        id: None,
        created_at: None,
        username: declared.username.clone(),
        custom: wanted_custom,
    };
    let patch = declared.diff(&from_feed);
    assert_eq!(patch.custom.get("createdAt"), None);
    assert_eq!(
        patch.custom.get("costCenter"),
        Some(&sparse_patch::Field::Value(json!("CC-1")))
    );
}
