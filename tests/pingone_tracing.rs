//! The client's tracing: a span per call and an event per retry, with no secret. A binary of
//! its own: `tracing` caches each callsite's interest process-wide, and a test running beside
//! this one without a subscriber could cache the client's span as "never" between this test's
//! `rebuild_interest_cache` and its first call (seen under load).

#[path = "support/emulator_client.rs"]
mod emulator_client;
use emulator_client::emulator_bearer_builder;

use std::time::Duration;

use sparse_patch::pingone::emulator::{Emulator, REFERENCE_ENVIRONMENT_ID, REFERENCE_USER_ID};
use sparse_patch::pingone::{Client, RetryPolicy, TokenSource, UserPatch};

const ENV: &str = REFERENCE_ENVIRONMENT_ID;
const USER: &str = REFERENCE_USER_ID;

#[path = "support/tracing_capture.rs"]
mod tracing_capture;

use tracing_capture::{Capture, capturing};

/// One span per call with method, path template, environment, status and attempts, PingOne's
/// error id on an error, an event per retry, and no token, secret or body anywhere.
#[tokio::test(flavor = "current_thread")]
async fn each_call_has_a_span_and_each_retry_an_event_with_no_secret() {
    let capture = Capture::default();
    let _guard = capturing(&capture);
    let emulator = Emulator::start().unwrap();
    let client = Client::builder()
        .api_base_url(emulator.api_base_url())
        .auth_base_url(emulator.auth_base_url())
        .token(TokenSource::client_credentials(
            ENV,
            emulator.client_id(),
            emulator.client_secret(),
        ))
        .retry_policy(quick_retries())
        .build()
        .unwrap();

    let secret_href = "https://example.com/secret-photo.png";
    client
        .update_user(
            ENV,
            USER,
            &UserPatch::new().photo(sparse_patch::pingone::PhotoPatch::new().href(secret_href)),
        )
        .await
        .unwrap();
    emulator
        .inject(sparse_patch::pingone::emulator::Fault::ServiceUnavailable { retry_after: None });
    client.get_user(ENV, USER).await.unwrap();
    let missing = "00000000-0000-4000-8000-000000000000";
    let error = client.get_user(ENV, missing).await.unwrap_err();
    let error_id = error.api_error().unwrap().id.clone().unwrap();

    let lines = capture.text();
    let all = lines.join("\n");
    // Each request span, with what was recorded on it afterwards.
    let spans = capture.spans("pingone.request");
    assert_eq!(spans.len(), 3, "{all}");
    let template = "path=/environments/{environmentID}/users/{userID}";
    for span in &spans {
        // At INFO, as the chapter on safety says: seen under a subscriber at INFO.
        assert!(span.contains(" pingone.request INFO "), "{span}");
        assert!(span.contains(template), "{span}");
        assert!(span.contains(&format!("environment={ENV}")), "{span}");
    }
    assert!(spans[0].contains("method=PATCH"), "{}", spans[0]);
    assert!(
        spans[0].ends_with("| status=200 attempts=1"),
        "{}",
        spans[0]
    );
    assert!(spans[1].contains("method=GET"), "{}", spans[1]);
    assert!(
        spans[1].ends_with("| status=200 attempts=2"),
        "{}",
        spans[1]
    );
    // PingOne's two names for the answer: its error body's `id` and its `Correlation-Id`.
    let correlation_id = error.correlation_id().unwrap();
    assert!(
        spans[2].ends_with(&format!(
            "| status=404 attempts=1 error_id={error_id} correlation_id={correlation_id}"
        )),
        "{}",
        spans[2]
    );
    let retries: Vec<&String> = lines
        .iter()
        .filter(|line| line.contains("pingone: retrying"))
        .collect();
    assert_eq!(retries.len(), 1, "{all}");
    assert!(retries[0].contains("attempt=1 status=503"), "{all}");
    for secret in [
        emulator.token(),
        emulator.client_secret(),
        secret_href,
        USER,
        missing,
    ] {
        assert!(!all.contains(secret), "{secret} leaked: {all}");
    }
}

/// Retries one millisecond apart, without jitter: a test's retries take no time.
fn quick_retries() -> RetryPolicy {
    RetryPolicy::default()
        .initial_backoff(Duration::from_millis(1))
        .jitter(false)
}

/// PingOne on wiremock whose token endpoint answers `first` once, then a worker token
/// (`worker-token`), and whose users list is empty: a worker's first call fetches its token
/// with one retry.
async fn token_endpoint_answering_first(first: wiremock::ResponseTemplate) -> wiremock::MockServer {
    use wiremock::matchers::method;
    use wiremock::{Mock, MockServer, ResponseTemplate};

    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(first)
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "access_token": "worker-token", "token_type": "Bearer", "expires_in": 3600
        })))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "_embedded": {"users": []}, "count": 0, "size": 0
        })))
        .mount(&server)
        .await;
    server
}

/// A client of `server` for both the API (`{server}/v1`) and the tokens, with `token` and
/// [`quick_retries`].
fn worker_of(server: &wiremock::MockServer, token: TokenSource) -> Client {
    Client::builder()
        .api_base_url(format!("{}/v1", server.uri()))
        .auth_base_url(server.uri())
        .token(token)
        .retry_policy(quick_retries())
        .build()
        .unwrap()
}

/// An address where nothing listens: a port the system gave and took back.
fn refused_address() -> std::net::SocketAddr {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap()
}

/// A lookup by email or username that cannot reach PingOne: the filter that names the user
/// is in the request's query, and the error's text and `Debug`, the sync job's outcomes and
/// its WARN event as it stops, and every event and span above DEBUG, leave it out (the
/// transport error's text held the whole URL: `...users?filter=email%20eq%20%22ada...`).
#[tokio::test(flavor = "current_thread")]
async fn a_lookup_that_fails_on_the_way_logs_no_users_email_or_username() {
    use futures_util::StreamExt as _;
    use sparse_patch::pingone::sync::{Status, SyncJob};

    let capture = Capture::default();
    let _guard = capturing(&capture);
    let client = Client::builder()
        .api_base_url(format!("http://{}/v1", refused_address()))
        .token(TokenSource::bearer("token"))
        .retry_policy(RetryPolicy::never())
        .build()
        .unwrap();
    let (email, username) = ("ada.lovelace@example.com", "ada.lovelace");
    let error = client.find_user_by_email(ENV, email).await.unwrap_err();
    let texts = [error.to_string(), format!("{error:?}")];
    let feed = [
        format!(r#"{{"email": "{email}", "title": "Countess"}}"#),
        format!(r#"{{"username": "{username}", "title": "Countess"}}"#),
    ];
    let job = SyncJob::new(&client, ENV).concurrency(1).unwrap();
    let outcomes: Vec<_> = job.run(feed.map(Ok)).collect().await;
    assert_eq!(outcomes[0].status, Status::Failed, "{outcomes:?}");
    assert_eq!(outcomes[1].status, Status::NotAttempted, "{outcomes:?}");
    let stops = capture.events_with("the job stops");
    assert_eq!(stops.len(), 1, "{:#?}", capture.text());
    let logged: Vec<String> = capture
        .text()
        .into_iter()
        .filter(|line| !line.starts_with("event DEBUG") && !line.starts_with("event TRACE"))
        .collect();
    for (what, text) in texts
        .iter()
        .map(|text| ("the error", text.clone()))
        .chain(outcomes.iter().map(|outcome| {
            (
                "an outcome's error",
                outcome.error.as_ref().unwrap().message.clone(),
            )
        }))
        .chain(logged.iter().map(|line| ("an event or span", line.clone())))
    {
        for personal in [email, "ada.lovelace%40example.com", username] {
            assert!(!text.contains(personal), "{what} holds {personal}: {text}");
        }
    }
    // What the operator needs is still there: where it tried to go.
    assert!(texts[0].contains("/users"), "{}", texts[0]);
    assert!(stops[0].0.contains("/users"), "{}", stops[0].0);
}

/// A worker token fetched with a retry: the fetch runs in a span `pingone.token` with the
/// token endpoint's path template and the worker's environment, its final status and
/// attempts, and its retry's event happens in it (the fetch runs in a task of its own, where
/// the event was in no span at all, and could not be told from a retry of the API).
#[tokio::test(flavor = "current_thread")]
async fn a_token_fetch_and_its_retries_have_a_span_of_their_own() {
    use wiremock::ResponseTemplate;

    let capture = Capture::default();
    let _guard = capturing(&capture);
    let server = token_endpoint_answering_first(ResponseTemplate::new(503).set_body_json(
        serde_json::json!({
            "error": "server_error", "error_description": "down for a moment"
        }),
    ))
    .await;
    let client = worker_of(
        &server,
        TokenSource::client_credentials(ENV, "worker", "s3cret"),
    );
    assert!(
        client
            .find_user_by_username(ENV, "nobody")
            .await
            .unwrap()
            .is_none()
    );
    let retries = capture.events_with("pingone: retrying");
    assert_eq!(retries.len(), 1, "{:#?}", capture.text());
    let (event, within) = &retries[0];
    assert!(event.contains("status=503"), "{event}");
    let token = within.first().map(String::as_str).unwrap_or_default();
    assert!(
        token.contains(" pingone.token INFO "),
        "{event}: {within:?}"
    );
    assert!(token.contains("path=/{environmentID}/as/token"), "{token}");
    assert!(token.contains(&format!("environment={ENV}")), "{token}");
    assert!(
        token.ends_with("| status=200 attempts=2"),
        "{token} {:#?}",
        capture.text()
    );
    let all = capture.text().join("\n");
    for secret in ["s3cret", "worker-token"] {
        assert!(!all.contains(secret), "{secret} leaked: {all}");
    }
}

/// A GET whose 200 came cut short is sent again: one span for the call (not one per send),
/// and the event of that retry happens in it, as any retry's does (it happened in no span).
#[tokio::test(flavor = "current_thread")]
async fn a_get_sent_again_after_a_cut_answer_is_one_span_with_its_retry_in_it() {
    let capture = Capture::default();
    let _guard = capturing(&capture);
    let emulator = Emulator::start().unwrap();
    let client = emulator_bearer_builder(&emulator)
        .retry_policy(quick_retries())
        .build()
        .unwrap();
    emulator.inject(sparse_patch::pingone::emulator::Fault::TruncatedBody);
    client.get_user(ENV, USER).await.unwrap();
    let spans: Vec<String> = capture.spans("pingone.request");
    assert_eq!(spans.len(), 1, "{spans:#?}");
    assert!(spans[0].ends_with(" status=200 attempts=2"), "{}", spans[0]);
    let retries = capture.events_with("pingone: retrying");
    assert_eq!(retries.len(), 1, "{:#?}", capture.text());
    assert!(retries[0].0.contains("status=200"), "{:?}", retries[0]);
    assert_eq!(retries[0].1.first(), Some(&spans[0]), "{:?}", retries[0]);
}

/// Each retry's event says why: the status of the answer it retries with PingOne's
/// `Correlation-Id` (which PingOne's support asks for), or, for an attempt that got no status
/// to show (a timeout, a connection cut before the answer), the failure itself as `error`,
/// without the URL. Such a retry's event said only its attempt and wait: no cause at all.
#[tokio::test(flavor = "current_thread")]
async fn each_retry_event_says_its_cause_and_pingones_correlation_id() {
    use sparse_patch::pingone::emulator::Fault;

    let capture = Capture::default();
    let _guard = capturing(&capture);
    let emulator = Emulator::start().unwrap();
    let client = emulator_bearer_builder(&emulator)
        .retry_policy(quick_retries())
        // Far above an answer's time on a loaded machine, far below the slow fault's.
        .timeout(Duration::from_secs(1))
        .build()
        .unwrap();
    emulator.inject(Fault::ServiceUnavailable { retry_after: None });
    emulator.inject(Fault::Slow(Duration::from_secs(4)));
    emulator.inject(Fault::ConnectionCut);
    client.get_user(ENV, USER).await.unwrap();
    let retries = capture.events_with("pingone: retrying");
    assert_eq!(retries.len(), 3, "{:#?}", capture.text());
    let correlation_id = retries[0]
        .0
        .split_whitespace()
        .find_map(|word| word.strip_prefix("correlation_id="))
        .unwrap_or_else(|| panic!("{:?}", retries[0]));
    assert!(retries[0].0.contains("status=503"), "{:?}", retries[0]);
    assert!(correlation_id.starts_with("c1111111"), "{correlation_id}");
    assert!(!retries[0].0.contains(" error="), "{:?}", retries[0]);
    for (event, _) in &retries[1..] {
        assert!(event.contains(" error="), "{event}");
        assert!(!event.contains("status="), "{event}");
        assert!(!event.contains(USER), "{event}");
        assert!(!event.contains("http://"), "{event}");
    }
    assert!(retries[1].0.contains("timed out"), "{:?}", retries[1]);
}

/// A token request retried after a 503 whose `Correlation-Id` echoes the worker's credentials
/// (a proxy that copies the request's headers or form there: the client secret as it is,
/// form-encoded, or in the `Basic` credentials): the retry's event keeps the correlation ID
/// without them. It kept the header whole: only an API call's bearer token was taken out, and
/// the token request carries none, so the secret went to the logs at INFO.
#[tokio::test(flavor = "current_thread")]
async fn a_token_retry_event_shows_no_client_secret_echoed_in_its_correlation_id() {
    use base64::Engine as _;
    use sparse_patch::pingone::ClientAuthMethod;
    use wiremock::ResponseTemplate;

    const SECRET: &str = "client-secret/+=7f3a9c";
    let form_encoded = "client-secret%2F%2B%3D7f3a9c";
    let basic = base64::engine::general_purpose::STANDARD.encode(format!("worker:{form_encoded}"));
    for (auth, echoed) in [
        (ClientAuthMethod::Post, SECRET.to_owned()),
        (ClientAuthMethod::Post, form_encoded.to_owned()),
        (ClientAuthMethod::Basic, format!("Basic {basic}")),
    ] {
        let capture = Capture::default();
        let _guard = capturing(&capture);
        let server = token_endpoint_answering_first(
            ResponseTemplate::new(503)
                .insert_header("correlation-id", format!("c-{echoed}-1").as_str()),
        )
        .await;
        let client = worker_of(
            &server,
            TokenSource::client_credentials(ENV, "worker", SECRET).auth_method(auth),
        );
        client.find_user_by_username(ENV, "nobody").await.unwrap();
        let retries = capture.events_with("pingone: retrying");
        assert_eq!(retries.len(), 1, "{:#?}", capture.text());
        // The correlation ID is still there, the credentials out of it.
        assert!(
            retries[0].0.contains("correlation_id=c-"),
            "{:?}",
            retries[0]
        );
        let all = capture.text().join("\n");
        for secret in [SECRET, form_encoded, basic.as_str()] {
            assert!(!all.contains(secret), "{secret} leaked ({echoed}): {all}");
        }
    }
}

/// A call that waits for the client's rate limit says so, at DEBUG (behind a low rate most
/// calls wait), with the wait, in its call's span: the wait was in no event, so a slow job
/// under `rate_limit` could not be told from a slow PingOne.
#[tokio::test(flavor = "current_thread")]
async fn a_wait_for_the_rate_limit_is_a_debug_event_with_its_duration() {
    let capture = Capture::default();
    let _guard = capturing(&capture);
    let emulator = Emulator::start().unwrap();
    let client = emulator_bearer_builder(&emulator)
        // One request a second: the second call waits most of a second, however slow the
        // machine makes the first.
        .rate_limit(1)
        .build()
        .unwrap();
    client.get_user(ENV, USER).await.unwrap();
    assert!(
        capture.events_with("rate limit").is_empty(),
        "the first call's turn was free: {:#?}",
        capture.text()
    );
    client.get_user(ENV, USER).await.unwrap();
    let waits = capture.events_with("pingone: waiting for the client's rate limit");
    assert_eq!(waits.len(), 1, "{:#?}", capture.text());
    let (event, within) = &waits[0];
    assert!(event.starts_with("event DEBUG "), "{event}");
    let wait_ms: u64 = event
        .split_whitespace()
        .find_map(|word| word.strip_prefix("wait_ms="))
        .unwrap()
        .parse()
        .unwrap();
    assert!((200..=1000).contains(&wait_ms), "{event}");
    assert!(
        within
            .first()
            .is_some_and(|span| span.contains(" pingone.request ")),
        "{within:?}"
    );
}

/// Each line of a sync job runs in a span with the run's ID and the line number, and never
/// the line's key (a username or an email).
#[tokio::test(flavor = "current_thread")]
async fn a_sync_lines_span_names_its_run_and_line() {
    use futures_util::StreamExt as _;
    use sparse_patch::pingone::sync::SyncJob;

    let capture = Capture::default();
    let _guard = capturing(&capture);
    let emulator = Emulator::start().unwrap();
    let client = emulator_bearer_builder(&emulator).build().unwrap();
    let job = SyncJob::new(&client, ENV).run_id("run-76").unwrap();
    let feed = [
        r#"{"username": "dspanner", "title": "CTO"}"#,
        r#"{"email": "nobody@example.com", "title": "CTO"}"#,
    ];
    let outcomes: Vec<_> = job
        .run(feed.map(|line| Ok(line.to_owned())))
        .collect()
        .await;
    assert_eq!(outcomes.len(), 2);
    let mut lines: Vec<String> = capture
        .text()
        .into_iter()
        .filter(|line| line.contains(" pingone.sync.line "))
        .map(|line| line.split_once(" pingone.sync.line ").unwrap().1.to_owned())
        .collect();
    lines.sort();
    assert_eq!(
        lines,
        ["INFO run_id=run-76 line=1", "INFO run_id=run-76 line=2"]
    );
    let done = capture.events_with("line done");
    assert_eq!(done.len(), 2, "{:#?}", capture.text());
    for (event, within) in &done {
        assert!(event.starts_with("event DEBUG "), "{event}");
        // Not `status`, the HTTP status of the calls' spans.
        assert!(
            event.ends_with(" outcome=changed") || event.ends_with(" outcome=notFound"),
            "{event}"
        );
        assert!(within[0].contains("run_id=run-76"), "{within:?}");
    }
    let all = capture.text().join("\n");
    for key in ["dspanner", "nobody@example.com"] {
        assert!(!all.contains(key), "{key}: {all}");
    }
}

/// Review 72's check of secrets in tracing, kept as a guard: with every span and event
/// captured (trace level included, the HTTP stack's too), a worker whose token is refused
/// with an answer that echoes it (body, `WWW-Authenticate`, `Correlation-Id`), and whose fresh
/// token request is refused by an OAuth error that echoes the client secret (as it is and
/// form-encoded), shows neither: not in the client's spans and events, nor in the error's
/// `Display` and `Debug` logged as a caller logs them; nor does a bearer token refused by
/// such an answer.
#[tokio::test(flavor = "current_thread")]
async fn a_refused_token_and_secret_echoed_by_the_server_are_in_no_trace() {
    use wiremock::matchers::{method, path};
    use wiremock::{Mock, MockServer, ResponseTemplate};

    const TOKEN: &str = "worker-token-7f3a9c";
    const SECRET: &str = "client-secret/+=7f3a9c";
    let capture = Capture::default();
    let _guard = capturing(&capture);
    let server = MockServer::start().await;
    let token_path = format!("/{ENV}/as/token");
    Mock::given(method("POST"))
        .and(path(token_path.as_str()))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "access_token": TOKEN, "token_type": "Bearer", "expires_in": 3600
        })))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    let form_encoded = "client-secret%2F%2B%3D7f3a9c";
    Mock::given(method("POST"))
        .and(path(token_path.as_str()))
        .respond_with(ResponseTemplate::new(401).set_body_json(serde_json::json!({
            "error": "invalid_client",
            "error_description": format!("client_secret={form_encoded} ({SECRET}) is wrong")
        })))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(401)
                .insert_header(
                    "www-authenticate",
                    format!("Bearer error=\"invalid_token\", error_description=\"{TOKEN}\"")
                        .as_str(),
                )
                .insert_header("correlation-id", TOKEN)
                .set_body_json(serde_json::json!({
                    "id": "e1", "code": "ACCESS_FAILED",
                    "message": format!("Authorization: Bearer {TOKEN} was refused")
                })),
        )
        .mount(&server)
        .await;
    let client = Client::builder()
        .api_base_url(format!("{}/v1", server.uri()))
        .auth_base_url(server.uri())
        .token(TokenSource::client_credentials(ENV, "worker", SECRET))
        .retry_policy(RetryPolicy::never())
        .build()
        .unwrap();
    for _ in 0..2 {
        let error = client.get_user(ENV, USER).await.unwrap_err();
        tracing::error!(%error, debug = ?error, "the call failed");
    }
    tracing::trace!(client = ?client, "the client");
    // A bearer token refused by an answer that echoes it: PingOne's error, kept whole.
    let bearer = Client::builder()
        .api_base_url(format!("{}/v1", server.uri()))
        .token(TokenSource::bearer(TOKEN))
        .retry_policy(RetryPolicy::never())
        .build()
        .unwrap();
    let error = bearer.get_user(ENV, USER).await.unwrap_err();
    tracing::error!(%error, debug = ?error, "the bearer call failed");

    let all = capture.text().join("\n");
    assert!(all.contains("the call failed"), "{all}");
    assert!(all.contains("invalid_client"), "{all}");
    assert!(all.contains("the bearer call failed"), "{all}");
    assert!(all.contains("ACCESS_FAILED"), "{all}");
    assert!(all.contains("was refused"), "{all}");
    for secret in [TOKEN, SECRET, form_encoded] {
        assert!(!all.contains(secret), "{secret} leaked: {all}");
    }
}

/// A token request refused (401 `invalid_client`, not retried) with a `Correlation-Id` that
/// echoes the client secret: the fetch's span records the correlation ID without the secret,
/// as a retry's event shows it. The refusal is `Error::Token`, which keeps no correlation ID,
/// and the span recorded none: the failed fetch's correlation ID was nowhere.
#[tokio::test(flavor = "current_thread")]
async fn a_refused_token_request_records_its_correlation_id_on_its_span() {
    use wiremock::matchers::method;
    use wiremock::{Mock, MockServer, ResponseTemplate};

    const SECRET: &str = "client-secret/+=7f3a9c";
    let capture = Capture::default();
    let _guard = capturing(&capture);
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(401)
                .insert_header("correlation-id", format!("c-{SECRET}-1").as_str())
                .set_body_json(serde_json::json!({
                    "error": "invalid_client", "error_description": "bad credentials"
                })),
        )
        .mount(&server)
        .await;
    let client = worker_of(
        &server,
        TokenSource::client_credentials(ENV, "worker", SECRET),
    );
    let error = client
        .find_user_by_username(ENV, "nobody")
        .await
        .unwrap_err();
    assert_eq!(error.status(), Some(401), "{error}");
    let spans: Vec<String> = capture.spans("pingone.token");
    assert_eq!(spans.len(), 1, "{:#?}", capture.text());
    assert!(spans[0].contains(" correlation_id=c-***-1"), "{}", spans[0]);
    let all = capture.text().join("\n");
    assert!(!all.contains(SECRET), "{all}");
}

/// A token fetch whose caller gave up (its timeout) and that fails after a later call's own
/// fetch brought a token changes nothing: no "the token refresh failed" warning, and the
/// new token's refresh is not pulled forward (mutation audit: letting that failure through
/// went unnoticed).
#[tokio::test(flavor = "current_thread")]
async fn a_given_up_token_fetch_that_fails_after_a_newer_token_came_is_not_a_failed_refresh() {
    let capture = Capture::default();
    let _guard = capturing(&capture);
    let server = token_endpoint_answering_first(
        wiremock::ResponseTemplate::new(503).set_delay(Duration::from_millis(600)),
    )
    .await;
    let client = Client::builder()
        .api_base_url(format!("{}/v1", server.uri()))
        .auth_base_url(server.uri())
        .token(TokenSource::client_credentials(ENV, "worker", "secret"))
        .retry_policy(RetryPolicy::never())
        .build()
        .unwrap();
    let first = client.find_user_by_username(ENV, "nobody");
    assert!(
        tokio::time::timeout(Duration::from_millis(250), first)
            .await
            .is_err()
    );
    client.find_user_by_username(ENV, "nobody").await.unwrap();
    // The given-up fetch's 503 comes 600 ms after its request.
    tokio::time::sleep(Duration::from_millis(800)).await;
    let log = capture.text().join("\n");
    assert!(log.contains("status=503"), "{log}");
    assert!(!log.contains("the token refresh failed"), "{log}");
}
