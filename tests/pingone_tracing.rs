//! The client's tracing: a span per call and an event per retry, with no secret. A binary of
//! its own: `tracing` caches each callsite's interest process-wide, and a test running beside
//! this one without a subscriber could cache the client's span as "never" between this test's
//! `rebuild_interest_cache` and its first call (seen under load).

use std::time::Duration;

use sparse_patch::pingone::emulator::{Emulator, REFERENCE_ENVIRONMENT_ID, REFERENCE_USER_ID};
use sparse_patch::pingone::{Client, RetryPolicy, TokenSource, UserPatch};

const ENV: &str = REFERENCE_ENVIRONMENT_ID;
const USER: &str = REFERENCE_USER_ID;

/// A subscriber that writes every span, recorded value and event as a line of text.
#[derive(Clone, Default)]
struct Capture {
    lines: std::sync::Arc<std::sync::Mutex<Vec<String>>>,
    next_id: std::sync::Arc<std::sync::atomic::AtomicU64>,
}

struct FieldText(String);

impl tracing::field::Visit for FieldText {
    fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn std::fmt::Debug) {
        self.0.push_str(&format!(" {}={value:?}", field.name()));
    }
    fn record_str(&mut self, field: &tracing::field::Field, value: &str) {
        self.0.push_str(&format!(" {}={value}", field.name()));
    }
}

impl Capture {
    fn push(&self, line: String) {
        self.lines.lock().unwrap().push(line);
    }
    fn text(&self) -> Vec<String> {
        self.lines.lock().unwrap().clone()
    }
}

impl tracing::Subscriber for Capture {
    fn enabled(&self, _: &tracing::Metadata<'_>) -> bool {
        true
    }
    fn new_span(&self, span: &tracing::span::Attributes<'_>) -> tracing::span::Id {
        let id = 1 + self
            .next_id
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let mut fields = FieldText(String::new());
        span.record(&mut fields);
        self.push(format!("span#{id} {}{}", span.metadata().name(), fields.0));
        tracing::span::Id::from_u64(id)
    }
    fn record(&self, span: &tracing::span::Id, values: &tracing::span::Record<'_>) {
        let mut fields = FieldText(String::new());
        values.record(&mut fields);
        self.push(format!("record#{}{}", span.into_u64(), fields.0));
    }
    fn record_follows_from(&self, _: &tracing::span::Id, _: &tracing::span::Id) {}
    fn event(&self, event: &tracing::Event<'_>) {
        let mut fields = FieldText(String::new());
        event.record(&mut fields);
        self.push(format!("event{}", fields.0));
    }
    fn enter(&self, _: &tracing::span::Id) {}
    fn exit(&self, _: &tracing::span::Id) {}
}

/// One span per call with method, path template, environment, status and attempts, PingOne's
/// error id on an error, an event per retry, and no token, secret or body anywhere.
#[tokio::test(flavor = "current_thread")]
async fn each_call_has_a_span_and_each_retry_an_event_with_no_secret() {
    let capture = Capture::default();
    let _guard = tracing::subscriber::set_default(capture.clone());
    // Other tests of this program run at the same time with no subscriber; a callsite they
    // register while this one is being set can keep an interest of "never" (a race seen once
    // on a loaded machine). Recompute every callsite's interest now that the capture is set.
    tracing::callsite::rebuild_interest_cache();
    let emulator = Emulator::start().unwrap();
    let client = Client::builder()
        .api_base_url(emulator.api_base_url())
        .auth_base_url(emulator.auth_base_url())
        .token(TokenSource::client_credentials(
            ENV,
            emulator.client_id(),
            emulator.client_secret(),
        ))
        .retry_policy(
            RetryPolicy::default()
                .initial_backoff(Duration::from_millis(1))
                .jitter(false),
        )
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
    let spans: Vec<String> = lines
        .iter()
        .filter(|line| line.contains(" pingone.request "))
        .map(|line| {
            let id = line
                .split_whitespace()
                .next()
                .unwrap()
                .trim_start_matches("span#");
            let recorded: String = lines
                .iter()
                .filter_map(|other| other.strip_prefix(&format!("record#{id} ")))
                .collect::<Vec<_>>()
                .join(" ");
            format!("{line} | {recorded}")
        })
        .collect();
    assert_eq!(spans.len(), 3, "{all}");
    let template = "path=/environments/{environmentID}/users/{userID}";
    for span in &spans {
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
    assert!(
        spans[2].ends_with(&format!("| status=404 attempts=1 error_id={error_id}")),
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
    let _guard = tracing::subscriber::set_default(capture.clone());
    tracing::callsite::rebuild_interest_cache();
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
