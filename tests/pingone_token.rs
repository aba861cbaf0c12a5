//! Worker tokens: fetched from `{auth}/{env}/as/token`, cached, refreshed before expiry, and
//! fetched once when many calls run at once.

#[path = "support/emulator_client.rs"]
mod emulator_client;
use emulator_client::emulator_worker_builder;

use std::time::Duration;

use serde_json::{Value, json};
use sparse_patch::pingone::{
    Client, ClientAuthMethod, ClientBuilder, Error, Region, RetryPolicy, TokenSource, UserPatch,
};
use wiremock::matchers::{body_string, header, header_exists, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[path = "support/worker_token.rs"]
mod worker_token;
use worker_token::fetch_worker_token;

const ENV: &str = "abfba8f6-49eb-49f5-a5d9-80ad5c98f9f6";
const USER: &str = "a38890a6-295a-4d58-9f6e-b72b05fba379";
const TOKEN_PATH: &str = "/abfba8f6-49eb-49f5-a5d9-80ad5c98f9f6/as/token";

fn user() -> Value {
    json!({"id": USER, "username": "dspanner", "email": "dspanner@example.com"})
}

fn token(access: &str, expires_in: u64) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(json!({
        "access_token": access, "token_type": "Bearer", "expires_in": expires_in
    }))
}

/// Mounts a token endpoint that answers `first` to the first fetch and `then` to every later
/// one.
async fn tokens_in_turn(server: &MockServer, first: ResponseTemplate, then: ResponseTemplate) {
    Mock::given(method("POST"))
        .respond_with(first)
        .up_to_n_times(1)
        .mount(server)
        .await;
    Mock::given(method("POST"))
        .respond_with(then)
        .mount(server)
        .await;
}

/// Mounts a token endpoint that gives `revoked` first and `fresh` after (each fetch of it
/// `delay` late), and an API that answers 401 to `revoked` (as late).
async fn revoked_then_fresh(server: &MockServer, delay: Duration) {
    tokens_in_turn(
        server,
        token("revoked", 3600),
        token("fresh", 3600).set_delay(delay),
    )
    .await;
    Mock::given(method("PATCH"))
        .and(header("authorization", "Bearer revoked"))
        .respond_with(
            ResponseTemplate::new(401)
                .set_body_json(json!({"id": "1", "code": "ACCESS_FAILED", "message": "revoked"}))
                .set_delay(delay),
        )
        .mount(server)
        .await;
}

/// A client of `server` (the API under `/v1`, the token endpoint at its root) with `source`,
/// without retries; to be set further.
fn worker_builder(server: &MockServer, source: TokenSource) -> ClientBuilder {
    Client::builder()
        .api_base_url(format!("{}/v1", server.uri()))
        .auth_base_url(server.uri())
        .token(source)
        .retry_policy(RetryPolicy::never())
}

/// [`worker_builder`]'s client.
fn worker(server: &MockServer, source: TokenSource) -> Client {
    worker_builder(server, source).build().unwrap()
}

/// The worker credentials of these tests.
fn credentials() -> TokenSource {
    TokenSource::client_credentials(ENV, "id", "secret")
}

/// How long calls may run before a test says they hung: a guard against a call that waits
/// for what it must not (a fetch that never ends, a lock never released, a two-minute
/// `Retry-After`), not a measure of speed. What a call waited for is read from what was sent
/// (token requests, bearers) and from the retry observer.
const HANG_GUARD: Duration = Duration::from_secs(60);

/// `count` updates of the same user by `client` at once, each on its own task; their results.
/// Panics if they are not all over within [`HANG_GUARD`].
async fn concurrent_updates(
    client: &Client,
    count: usize,
) -> Vec<Result<sparse_patch::pingone::User, sparse_patch::pingone::Error>> {
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..count {
        let client = client.clone();
        tasks.spawn(async move {
            client
                .update_user(ENV, USER, &UserPatch::new().title("x"))
                .await
        });
    }
    tokio::time::timeout(HANG_GUARD, tasks.join_all())
        .await
        .expect("the calls hung")
}

async fn users_answer(server: &MockServer) {
    Mock::given(method("PATCH"))
        .respond_with(ResponseTemplate::new(200).set_body_json(user()))
        .mount(server)
        .await;
}

/// How many requests went to the token endpoint (its only POSTs).
fn token_fetches(requests: &[wiremock::Request]) -> usize {
    requests
        .iter()
        .filter(|r| r.method.as_str() == "POST")
        .count()
}

fn bearers(requests: &[wiremock::Request]) -> Vec<String> {
    requests
        .iter()
        .filter(|r| r.method.as_str() == "PATCH")
        .map(|r| r.headers["authorization"].to_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn a_worker_token_is_fetched_with_basic_auth_and_cached() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(TOKEN_PATH))
        .and(header("content-type", "application/x-www-form-urlencoded"))
        // base64("worker-id:s3cret%2Fx"): the secret is form-encoded first (RFC 6749 §2.3.1).
        .and(header(
            "authorization",
            "Basic d29ya2VyLWlkOnMzY3JldCUyRng=",
        ))
        .and(body_string("grant_type=client_credentials"))
        .respond_with(token("tok-1", 3600))
        .expect(1)
        .mount(&server)
        .await;
    users_answer(&server).await;
    let client = worker(
        &server,
        TokenSource::client_credentials(ENV, "worker-id", "s3cret/x"),
    );
    for _ in 0..3 {
        client
            .update_user(ENV, USER, &UserPatch::new().title("x"))
            .await
            .unwrap();
    }
    let requests = server.received_requests().await.unwrap();
    assert_eq!(bearers(&requests), ["Bearer tok-1"; 3]);
}

#[tokio::test]
async fn client_secret_post_sends_the_credentials_in_the_form() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(TOKEN_PATH))
        .and(body_string(
            "grant_type=client_credentials&client_id=worker-id&client_secret=a+b%26c",
        ))
        .respond_with(token("tok-post", 3600))
        .expect(1)
        .mount(&server)
        .await;
    users_answer(&server).await;
    let client = worker(
        &server,
        TokenSource::client_credentials(ENV, "worker-id", "a b&c")
            .auth_method(ClientAuthMethod::Post),
    );
    client
        .update_user(ENV, USER, &UserPatch::new().title("x"))
        .await
        .unwrap();
    let requests = server.received_requests().await.unwrap();
    assert!(requests[0].headers.get("authorization").is_none());
    assert_eq!(bearers(&requests), ["Bearer tok-post"]);
}

#[tokio::test]
async fn concurrent_calls_share_one_fetch() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(TOKEN_PATH))
        .respond_with(token("tok-shared", 3600).set_delay(Duration::from_millis(300)))
        .expect(1)
        .mount(&server)
        .await;
    users_answer(&server).await;
    let client = worker(&server, credentials());
    for result in concurrent_updates(&client, 25).await {
        result.unwrap();
    }
    let requests = server.received_requests().await.unwrap();
    assert_eq!(bearers(&requests), vec!["Bearer tok-shared"; 25]);
}

#[tokio::test]
async fn a_token_is_refreshed_before_it_expires() {
    let server = MockServer::start().await;
    // Lifetime 2 s: refreshed after 1 s (the margin is at most half the lifetime).
    Mock::given(method("POST"))
        .respond_with(token("tok-1", 2))
        .up_to_n_times(1)
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(token("tok-2", 2))
        .expect(1)
        .mount(&server)
        .await;
    users_answer(&server).await;
    let client = worker(&server, credentials());
    let patch = UserPatch::new().title("x");
    client.update_user(ENV, USER, &patch).await.unwrap();
    client.update_user(ENV, USER, &patch).await.unwrap();
    tokio::time::sleep(Duration::from_millis(1100)).await;
    client.update_user(ENV, USER, &patch).await.unwrap();
    let requests = server.received_requests().await.unwrap();
    assert_eq!(
        bearers(&requests),
        ["Bearer tok-1", "Bearer tok-1", "Bearer tok-2"]
    );
}

/// A token's lifetime counts from its request, not from its answer (RFC 6749 §5.1: the
/// server's clock starts when it issues the token). Here the answer takes 1.5 s of a 2 s
/// lifetime, so the token is due for a refresh (at 1 s) by the time it arrives: the call that
/// waited takes it, and the next call fetches a new one. Counted from the answer's arrival,
/// the client kept sending `tok-1` for another second, past the time PingOne ends it.
#[tokio::test]
async fn a_tokens_lifetime_counts_from_its_request_not_its_answer() {
    let server = MockServer::start().await;
    tokens_in_turn(
        &server,
        token("tok-1", 2).set_delay(Duration::from_millis(1500)),
        token("tok-2", 3600),
    )
    .await;
    users_answer(&server).await;
    let client = worker(&server, credentials());
    let patch = UserPatch::new().title("x");
    client.update_user(ENV, USER, &patch).await.unwrap();
    client.update_user(ENV, USER, &patch).await.unwrap();
    let requests = server.received_requests().await.unwrap();
    assert_eq!(bearers(&requests), ["Bearer tok-1", "Bearer tok-2"]);
    assert_eq!(token_fetches(&requests), 2);
}

#[tokio::test]
async fn a_401_drops_the_cached_token() {
    let server = MockServer::start().await;
    revoked_then_fresh(&server, Duration::ZERO).await;
    Mock::given(method("PATCH"))
        .and(header_exists("authorization"))
        .respond_with(ResponseTemplate::new(200).set_body_json(user()))
        .mount(&server)
        .await;
    let client = worker(&server, credentials());
    let patch = UserPatch::new().title("x");
    // Refused before its time, the token is dropped and the call sent again with a fresh one
    // (outside the retry policy, which here allows one attempt); the next call keeps it.
    client.update_user(ENV, USER, &patch).await.unwrap();
    client.update_user(ENV, USER, &patch).await.unwrap();
    let requests = server.received_requests().await.unwrap();
    assert_eq!(
        bearers(&requests),
        ["Bearer revoked", "Bearer fresh", "Bearer fresh"]
    );
    let posts = token_fetches(&requests);
    assert_eq!(posts, 2);
}

/// A token endpoint that issues tokens, an API that refuses every one of them with 401
/// (`ACCESS_FAILED`), and a worker client of both that backs off 1 ms.
async fn api_refusing_every_token() -> (MockServer, Client) {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(token("refused", 3600))
        .mount(&server)
        .await;
    Mock::given(method("PATCH"))
        .respond_with(ResponseTemplate::new(401).set_body_json(json!({
            "id": "1", "code": "ACCESS_FAILED", "message": "refused"
        })))
        .mount(&server)
        .await;
    let client = worker_builder(&server, credentials())
        .retry_policy(RetryPolicy::default().initial_backoff(Duration::from_millis(1)))
        .build()
        .unwrap();
    (server, client)
}

/// A 401 to a fresh token too (a worker without the right, or a token PingOne refuses however
/// new): the call is sent again once, then returns the 401; no loop of fetches and sends.
#[tokio::test]
async fn a_401_to_a_fresh_token_is_the_answer_without_a_loop() {
    let (server, client) = api_refusing_every_token().await;
    let error = client
        .update_user(ENV, USER, &UserPatch::new().title("x"))
        .await
        .unwrap_err();
    assert_eq!(error.status(), Some(401), "{error:?}");
    assert_eq!(error.attempts(), Some(2), "{error:?}");
    let requests = server.received_requests().await.unwrap();
    let posts = token_fetches(&requests);
    assert_eq!((posts, bearers(&requests).len()), (2, 2));
}

/// An API that refuses every token of the worker, however fresh (the API of another region
/// than the token's, a worker without access to the environment): each call fetched a fresh
/// token after its 401 and was refused again, two token requests and two API requests a call
/// (a sync job of 10,000 lines made 20,000 token requests). The fresh token that was refused
/// too is kept now, and for `REFUSAL_HOLD` the calls get their 401 without another fetch;
/// once it is over, a 401 replaces the token again (one fetch).
#[tokio::test]
async fn a_fresh_token_refused_too_is_not_replaced_by_every_call() {
    let (server, client) = api_refusing_every_token().await;
    let patch = UserPatch::new().title("x");
    for call in 0..4 {
        let error = client.update_user(ENV, USER, &patch).await.unwrap_err();
        assert_eq!(error.status(), Some(401), "{error:?}");
        assert_eq!(
            error.attempts(),
            Some(if call == 0 { 2 } else { 1 }),
            "call {call}: {error:?}"
        );
    }
    let requests = server.received_requests().await.unwrap();
    assert_eq!((token_fetches(&requests), bearers(&requests).len()), (2, 5));

    tokio::time::sleep(sparse_patch::pingone::REFUSAL_HOLD).await;
    let error = client.update_user(ENV, USER, &patch).await.unwrap_err();
    assert_eq!(error.attempts(), Some(2), "{error:?}");
    let requests = server.received_requests().await.unwrap();
    assert_eq!((token_fetches(&requests), bearers(&requests).len()), (3, 7));
}

/// A static token is the caller's: a 401 to it is the answer at once, and nothing is fetched.
#[tokio::test]
async fn a_401_to_a_static_token_is_not_sent_again() {
    let server = MockServer::start().await;
    Mock::given(method("PATCH"))
        .respond_with(ResponseTemplate::new(401).set_body_json(json!({
            "id": "1", "code": "ACCESS_FAILED", "message": "expired"
        })))
        .expect(1)
        .mount(&server)
        .await;
    let client = Client::builder()
        .api_base_url(format!("{}/v1", server.uri()))
        .token(TokenSource::bearer("expired"))
        .build()
        .unwrap();
    let error = client
        .update_user(ENV, USER, &UserPatch::new().title("x"))
        .await
        .unwrap_err();
    assert_eq!(error.status(), Some(401), "{error:?}");
    assert!(error.to_string().contains("ACCESS_FAILED"), "{error}");
}

#[tokio::test]
async fn a_static_token_is_sent_as_it_is_and_nothing_is_fetched() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(token("no", 1))
        .expect(0)
        .mount(&server)
        .await;
    users_answer(&server).await;
    let client = worker(&server, TokenSource::bearer("static-token"));
    client
        .update_user(ENV, USER, &UserPatch::new().title("x"))
        .await
        .unwrap();
    let requests = server.received_requests().await.unwrap();
    assert_eq!(bearers(&requests), ["Bearer static-token"]);
}

#[test]
fn the_region_picks_the_auth_host() {
    let client = Client::builder()
        .region(Region::Europe)
        .token(credentials())
        .build()
        .unwrap();
    let shown = format!("{client:?}");
    assert!(
        shown.contains("https://auth.pingone.eu/abfba8f6-49eb-49f5-a5d9-80ad5c98f9f6/as/token"),
        "{shown}"
    );
    assert!(shown.contains("https://api.pingone.eu/v1"));
    // The README's `PINGONE_REGION`: these six codes, in any case.
    let codes: Vec<&str> = Region::ALL.iter().map(|region| region.code()).collect();
    assert_eq!(codes, ["NA", "CA", "EU", "AU", "SG", "AP"]);
    for &region in Region::ALL {
        assert_eq!(region.code().parse::<Region>().unwrap(), region);
        let lower = region.code().to_ascii_lowercase();
        assert_eq!(lower.parse::<Region>().unwrap(), region);
        assert!(region.api_base_url().starts_with("https://api.pingone."));
        assert!(region.auth_base_url().starts_with("https://auth.pingone."));
    }
    assert!("mars".parse::<Region>().is_err());
}

/// A worker's environment ID that the auth host does not know: its token endpoint answers
/// 404, whose text said only "HTTP 404: invalid_request (Unknown environment.)"; it now says to
/// check the worker's environment ID and the auth URL. A 401 for a wrong secret says nothing
/// of the kind, as its URL was right.
#[tokio::test]
async fn a_token_endpoint_404_says_to_check_the_environment_id_and_the_auth_url() {
    use sparse_patch::pingone::emulator::Emulator;

    let emulator = Emulator::start().unwrap();
    let worker = |environment_id: &str, secret: &str| {
        Client::builder()
            .api_base_url(emulator.api_base_url())
            .auth_base_url(emulator.auth_base_url())
            .token(TokenSource::client_credentials(
                environment_id,
                emulator.client_id(),
                secret,
            ))
            .build()
            .unwrap()
    };
    let unknown_environment = worker(
        "11111111-2222-4333-8444-555555555555",
        emulator.client_secret(),
    );
    let error = unknown_environment
        .get_user(emulator.environment_id(), emulator.user_id())
        .await
        .unwrap_err();
    assert!(
        matches!(error, Error::Token { status: 404, .. }),
        "{error:?}"
    );
    assert!(
        error
            .to_string()
            .contains("check the worker's environment ID, given to `TokenSource::client_credentials`, and the auth base URL"),
        "{error}"
    );

    let wrong_secret = worker(emulator.environment_id(), "wrong");
    let error = wrong_secret
        .get_user(emulator.environment_id(), emulator.user_id())
        .await
        .unwrap_err();
    assert!(
        matches!(error, Error::Token { status: 401, .. }),
        "{error:?}"
    );
    assert!(!error.to_string().contains("environment ID"), "{error}");

    // One that is no UUID is refused when the client is built, in `Config`'s words alone
    // (it said "invalid configuration: invalid input: ...").
    let error = Client::builder()
        .api_base_url(emulator.api_base_url())
        .auth_base_url(emulator.auth_base_url())
        .token(TokenSource::client_credentials(
            "my-env",
            emulator.client_id(),
            emulator.client_secret(),
        ))
        .build()
        .unwrap_err();
    assert!(matches!(error, Error::Config(_)), "{error:?}");
    assert!(
        error.to_string().starts_with(
            "invalid configuration: the worker's environment ID \"my-env\" is not a PingOne ID"
        ),
        "{error}"
    );
}

/// The emulator's token endpoint lets worker credentials run offline, end to end.
#[tokio::test]
async fn worker_credentials_work_against_the_emulator() {
    use sparse_patch::pingone::emulator::Emulator;

    let emulator = Emulator::builder()
        .worker("worker id", "s3cret&+=")
        .start()
        .unwrap();
    for method in [ClientAuthMethod::Basic, ClientAuthMethod::Post] {
        let client = Client::builder()
            .api_base_url(emulator.api_base_url())
            .auth_base_url(emulator.auth_base_url())
            .token(
                TokenSource::client_credentials(
                    emulator.environment_id(),
                    emulator.client_id(),
                    emulator.client_secret(),
                )
                .auth_method(method),
            )
            .build()
            .unwrap();
        let user = client
            .get_user(emulator.environment_id(), emulator.user_id())
            .await
            .unwrap();
        assert_eq!(user.username, "dspanner", "{method:?}");
    }

    let sent_before = emulator.requests().len();
    let wrong = Client::builder()
        .api_base_url(emulator.api_base_url())
        .auth_base_url(emulator.auth_base_url())
        .token(TokenSource::client_credentials(
            emulator.environment_id(),
            emulator.client_id(),
            "not the secret",
        ))
        .build()
        .unwrap();
    let error = wrong
        .get_user(emulator.environment_id(), emulator.user_id())
        .await
        .unwrap_err();
    assert!(
        matches!(
            error,
            sparse_patch::pingone::Error::Token { status: 401, .. }
        ),
        "{error:?}"
    );
    assert!(!error.to_string().contains("not the secret"), "{error}");
    assert_eq!(
        emulator.requests().len(),
        sent_before,
        "no user request without a token"
    );
}

/// Many calls wait on one token fetch that fails (a wrong secret, the token endpoint timing
/// out): each waiter then made a fetch of its own, one after another under the lock, so that
/// the tenth call failed only after ten fetches (with a token endpoint that times out, after
/// ten times the whole retry budget). The calls that waited on a failed fetch share its error;
/// a later call gets it again, remembered, without a request ([`REFUSAL_HOLD`]: asked again at
/// once, the endpoint refuses the same credentials again, and a sync job asked once per line).
///
/// [`REFUSAL_HOLD`]: sparse_patch::pingone::REFUSAL_HOLD
#[tokio::test]
async fn calls_waiting_on_a_failed_fetch_share_its_error() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(TOKEN_PATH))
        .respond_with(
            ResponseTemplate::new(401)
                .set_body_json(json!({"error": "invalid_client", "error_description": "bad"}))
                .set_delay(Duration::from_millis(300)),
        )
        .mount(&server)
        .await;
    users_answer(&server).await;
    let client = worker(&server, TokenSource::client_credentials(ENV, "id", "wrong"));
    for result in concurrent_updates(&client, 10).await {
        let error = result.unwrap_err();
        // The fetch's own answer (one token request, not remembered from an earlier one).
        assert!(
            matches!(
                &error,
                sparse_patch::pingone::Error::Token {
                    status: 401,
                    code,
                    attempts: 1,
                    remembered_for: None,
                    ..
                } if code == "invalid_client"
            ),
            "{error:?}"
        );
    }
    // One fetch, shared: not ten, one after another under the lock.
    let fetches = server.received_requests().await.unwrap().len();
    assert_eq!(fetches, 1, "one failed fetch, shared");
    // A later call is given the refusal again, said to be remembered, without a request.
    let later = client
        .update_user(ENV, USER, &UserPatch::new().title("x"))
        .await
        .unwrap_err();
    assert!(
        matches!(
            &later,
            sparse_patch::pingone::Error::Token {
                status: 401,
                remembered_for: Some(_),
                ..
            }
        ),
        "{later:?}"
    );
    assert!(later.to_string().contains("remembered"), "{later}");
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
}

/// A failure that trying again may fix is not remembered: a 500 without `Retry-After`, and
/// a token endpoint that does not answer in time, are asked again by the next call.
#[tokio::test]
async fn a_failure_a_retry_may_fix_is_not_remembered() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(TOKEN_PATH))
        .respond_with(ResponseTemplate::new(500).set_body_json(json!({"error": "server_error"})))
        .mount(&server)
        .await;
    let client = worker(&server, credentials());
    for sent in 1..=3 {
        let error = client.get_user(ENV, USER).await.unwrap_err();
        assert!(
            matches!(
                &error,
                sparse_patch::pingone::Error::Token {
                    status: 500,
                    remembered_for: None,
                    ..
                }
            ),
            "{error:?}"
        );
        assert_eq!(server.received_requests().await.unwrap().len(), sent);
    }
}

/// A call dropped while its token fetch is under way (a caller's own timeout) leaves no lock
/// held: the next call fetches and succeeds.
#[tokio::test]
async fn a_call_dropped_during_the_token_fetch_leaves_the_next_call_working() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(TOKEN_PATH))
        .respond_with(token("tok-slow", 3600).set_delay(Duration::from_secs(5)))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path(TOKEN_PATH))
        .respond_with(token("tok-fast", 3600))
        .mount(&server)
        .await;
    users_answer(&server).await;
    let client = worker(&server, credentials());
    let patch = UserPatch::new().title("x");
    let dropped = tokio::time::timeout(
        Duration::from_millis(200),
        client.update_user(ENV, USER, &patch),
    )
    .await;
    assert!(dropped.is_err());
    tokio::time::timeout(HANG_GUARD, client.update_user(ENV, USER, &patch))
        .await
        .expect("the next call hung")
        .unwrap();
    // The next call made a fetch of its own (the second token request), and did not wait
    // for the dropped one's answer: its token is the fast one.
    let requests = server.received_requests().await.unwrap();
    assert_eq!(token_fetches(&requests), 2);
    assert_eq!(bearers(&requests), ["Bearer tok-fast"]);
}

/// A custom domain: PingOne maps `https://auth.pingone.com/{envID}/*` to
/// `https://{customDomain}/*`, without the environment ID ("Custom Domains", PingOne Platform
/// APIs). `auth_base_url` always adds `/{envID}/as/token`, so a custom domain's token endpoint
/// could not be named at all; `token_url` names it whole.
#[tokio::test]
async fn a_custom_domain_token_url_is_used_as_it_is() {
    assert_eq!(
        bearer_through_token_url("/as/token", "tok-custom", Some(Region::Europe)).await,
        ["Bearer tok-custom"]
    );
    // Without a region or an auth base URL, the token URL is enough for a worker.
    Client::builder()
        .api_base_url("https://api.pingone.com/v1")
        .token_url("https://auth.example.com/as/token")
        .token(credentials())
        .build()
        .unwrap();
    // It is checked as the base URLs are.
    for bad in [
        "auth.example.com/as/token",
        "https://auth.example.com/as/token?x=1",
    ] {
        let built = Client::builder()
            .api_base_url("https://api.pingone.com/v1")
            .token_url(bad)
            .token(credentials())
            .build();
        assert!(
            matches!(built, Err(sparse_patch::pingone::Error::Config(_))),
            "{bad}"
        );
    }
}

/// `token_url` is "used as it is": a token endpoint whose path ends with `/` (a reverse proxy's
/// route) was called without it, as a base URL is trimmed.
#[tokio::test]
async fn a_token_url_with_a_trailing_slash_keeps_it() {
    assert_eq!(
        bearer_through_token_url("/as/token/", "tok-slash", None).await,
        ["Bearer tok-slash"]
    );
}

/// A worker client whose token endpoint is `token_url` (`{server}{token_path}`, which alone
/// answers `token`): the `Authorization` headers of one update's requests.
async fn bearer_through_token_url(
    token_path: &str,
    token: &str,
    region: Option<Region>,
) -> Vec<String> {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(token_path))
        .respond_with(self::token(token, 3600))
        .expect(1)
        .mount(&server)
        .await;
    users_answer(&server).await;
    let mut builder = Client::builder()
        .api_base_url(format!("{}/v1", server.uri()))
        .token_url(format!("{}{token_path}", server.uri()))
        .token(credentials())
        .retry_policy(RetryPolicy::never());
    if let Some(region) = region {
        builder = builder.region(region);
    }
    builder
        .build()
        .unwrap()
        .update_user(ENV, USER, &UserPatch::new().title("x"))
        .await
        .unwrap();
    bearers(&server.received_requests().await.unwrap())
}

/// `Error::is_retryable` says "408, 429, 500, 502, 503 and 504" and `Error::attempts` "for
/// errors that come from an answer", and the README "the final error says how many were
/// made": a token endpoint that still answered 503 when the retries ran out gave an
/// `Error::Token` that was not retryable and said nothing of its attempts.
#[tokio::test]
async fn a_token_error_says_its_attempts_and_whether_a_retry_may_help() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(TOKEN_PATH))
        .respond_with(ResponseTemplate::new(503).set_body_json(
            json!({"error": "temporarily_unavailable", "error_description": "try later"}),
        ))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/11111111-49eb-49f5-a5d9-80ad5c98f9f6/as/token"))
        .respond_with(
            ResponseTemplate::new(401)
                .set_body_json(json!({"error": "invalid_client", "error_description": "bad"})),
        )
        .mount(&server)
        .await;
    users_answer(&server).await;
    let policy = RetryPolicy::default()
        .max_attempts(2)
        .initial_backoff(Duration::from_millis(1))
        .jitter(false);
    let client = |environment: &str| {
        worker_builder(
            &server,
            TokenSource::client_credentials(environment, "id", "secret"),
        )
        .retry_policy(policy.clone())
        .build()
        .unwrap()
    };
    let unavailable = client(ENV).get_user(ENV, USER).await.unwrap_err();
    assert!(
        matches!(
            unavailable,
            sparse_patch::pingone::Error::Token {
                status: 503,
                attempts: 2,
                ..
            }
        ),
        "{unavailable:?}"
    );
    assert!(unavailable.is_retryable(), "{unavailable:?}");
    assert_eq!(unavailable.attempts(), Some(2));
    assert!(
        unavailable.to_string().contains("after 2 attempt(s)"),
        "{unavailable}"
    );

    let refused = client("11111111-49eb-49f5-a5d9-80ad5c98f9f6")
        .get_user(ENV, USER)
        .await
        .unwrap_err();
    assert!(!refused.is_retryable(), "{refused:?}");
    assert_eq!(refused.attempts(), Some(1));
}

/// The correlation IDs go with the users API's requests, which they tie to a call; a worker
/// token's request serves every call waiting on it (and `with_correlation` handles share
/// it), so it carries none, as the docs of `ClientBuilder::correlation` say.
#[tokio::test]
async fn correlation_ids_go_with_api_requests_not_token_requests() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(TOKEN_PATH))
        .respond_with(token("tok", 3600))
        .mount(&server)
        .await;
    users_answer(&server).await;
    let client = worker_builder(&server, credentials())
        .correlation(
            sparse_patch::pingone::Correlation::new()
                .session_id("run-7")
                .unwrap(),
        )
        .build()
        .unwrap();
    client
        .update_user(ENV, USER, &UserPatch::new().title("x"))
        .await
        .unwrap();
    let requests = server.received_requests().await.unwrap();
    let session = |method: &str| {
        requests
            .iter()
            .find(|request| request.method.as_str() == method)
            .unwrap()
            .headers
            .get("x-ping-external-session-id")
            .map(|value| value.to_str().unwrap().to_owned())
    };
    assert_eq!(session("POST"), None);
    assert_eq!(session("PATCH").as_deref(), Some("run-7"));
}

/// The README: "if it fails, the calls that waited on it share its error (rather than each
/// fetching in turn)". A fetch that failed on the transport (a token endpoint that drops
/// every connection) was not shared, as reqwest's error cannot be cloned: each waiting call
/// fetched in turn, each with the whole retry budget, so that the fifth call failed only
/// after five budgets (here 15 connections instead of 3).
#[tokio::test]
async fn calls_waiting_on_a_fetch_that_failed_on_the_transport_share_its_error() {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};

    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let address = listener.local_addr().unwrap();
    let accepted = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&accepted);
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            counter.fetch_add(1, Ordering::SeqCst);
            drop(stream);
        }
    });
    let client = Client::builder()
        .api_base_url(format!("http://{address}/v1"))
        .auth_base_url(format!("http://{address}"))
        .token(credentials())
        .retry_policy(
            RetryPolicy::default()
                .max_attempts(3)
                .initial_backoff(Duration::from_millis(100))
                .jitter(false),
        )
        .build()
        .unwrap();
    for result in concurrent_updates(&client, 5).await {
        let error = result.unwrap_err();
        assert!(
            matches!(
                error,
                sparse_patch::pingone::Error::Transport { attempts: 3, .. }
            ),
            "{error:?}"
        );
        assert!(error.is_retryable());
    }
    assert_eq!(
        accepted.load(Ordering::SeqCst),
        3,
        "one fetch of 3 attempts, shared"
    );
}

/// The worker token is refreshed before it expires, yet a refresh that failed (the token
/// endpoint answered 503 a minute before expiry) threw the cached token away, still valid,
/// and failed every call with `Error::Token`: a blip of the token endpoint became an outage
/// of the users calls. Calls now keep the token while it is usable, and the next refresh is
/// tried again later (not by every call).
#[tokio::test]
async fn a_failed_refresh_keeps_the_token_that_is_still_valid() {
    refresh_failing_once_keeps_the_valid_token(ResponseTemplate::new(503).set_body_json(json!({
        "error": "temporarily_unavailable"
    })))
    .await;
}

/// The token endpoint's answer of a proxy's sign-in page (a 2xx that is no token response,
/// held for `REFUSAL_HOLD`) to the refresh of a token still valid: the token in hand is kept
/// and sent, and the refresh is tried again later, as after a 503 (review 69: the hold does
/// not throw away a usable token, nor hold off the next refresh).
#[tokio::test]
async fn a_refresh_answered_with_no_token_response_keeps_the_token_that_is_still_valid() {
    refresh_failing_once_keeps_the_valid_token(proxy_sign_in_page()).await;
}

/// A token endpoint's answer of a proxy's sign-in page: a 200 that is no token response.
fn proxy_sign_in_page() -> ResponseTemplate {
    ResponseTemplate::new(200)
        .insert_header("content-type", "text/html")
        .set_body_string("<html><body>Sign in to the proxy</body></html>")
}

/// A worker token of 4 s, whose refresh (due after 2 s) gets `failure` once: ten calls then
/// send the token still valid with one token request between them, and the refresh tried
/// again a second later succeeds.
async fn refresh_failing_once_keeps_the_valid_token(failure: ResponseTemplate) {
    let server = MockServer::start().await;
    // Lifetime 4 s: due for a refresh after 2 s (the margin is at most half the lifetime).
    Mock::given(method("POST"))
        .respond_with(token("tok-1", 4))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(failure)
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(token("tok-2", 3600))
        .mount(&server)
        .await;
    users_answer(&server).await;
    let client = worker(&server, credentials());
    let patch = UserPatch::new().title("x");
    client.update_user(ENV, USER, &patch).await.unwrap();
    tokio::time::sleep(Duration::from_millis(2100)).await;
    for result in concurrent_updates(&client, 10).await {
        result.expect("the cached token is still valid");
    }
    let requests = server.received_requests().await.unwrap();
    assert_eq!(
        token_fetches(&requests),
        2,
        "one failed refresh, not one per call"
    );
    assert_eq!(bearers(&requests), vec!["Bearer tok-1"; 11]);
    // Retried later: the next refresh succeeds.
    tokio::time::sleep(Duration::from_millis(1000)).await;
    client.update_user(ENV, USER, &patch).await.unwrap();
    let requests = server.received_requests().await.unwrap();
    assert_eq!(token_fetches(&requests), 3);
    assert_eq!(bearers(&requests).last().unwrap(), "Bearer tok-2");
}

/// While one call refreshes a token that is due but still valid, the other calls do not wait
/// for the token endpoint (slow here): they send the token they have.
#[tokio::test]
async fn a_slow_refresh_does_not_hold_up_calls_while_the_token_is_valid() {
    let server = MockServer::start().await;
    slow_second_token(&server).await;
    let (client, _, refresher) = refresh_under_way(&server).await;
    for result in concurrent_updates(&client, 5).await {
        result.unwrap();
    }
    // Each of the five sent `tok-1`: none waited for the refresh, whose `tok-2` it would
    // have sent (however long the calls took on a loaded machine).
    let sent = bearers(&server.received_requests().await.unwrap());
    assert_eq!(
        sent.iter()
            .filter(|bearer| *bearer == "Bearer tok-1")
            .count(),
        6,
        "the calls waited for the refresh: {sent:?}"
    );
    refresher.await.unwrap().unwrap();
    let requests = server.received_requests().await.unwrap();
    assert_eq!(
        bearers(&requests),
        [
            "Bearer tok-1",
            "Bearer tok-1",
            "Bearer tok-1",
            "Bearer tok-1",
            "Bearer tok-1",
            "Bearer tok-1",
            "Bearer tok-2"
        ]
    );
}

/// A token revoked mid-run: every call in flight gets 401 and is sent again with a fresh
/// token, fetched once for all of them, not once per 401.
#[tokio::test]
async fn many_401s_at_once_refetch_the_token_once() {
    let server = MockServer::start().await;
    revoked_then_fresh(&server, Duration::from_millis(100)).await;
    users_answer(&server).await;
    let client = worker(&server, credentials());
    for result in concurrent_updates(&client, 10).await {
        result.unwrap();
    }
    for result in concurrent_updates(&client, 10).await {
        result.unwrap();
    }
    let requests = server.received_requests().await.unwrap();
    let posts = token_fetches(&requests);
    assert_eq!(posts, 2, "one fetch, then one after the 401s");
    let mut sent = bearers(&requests);
    sent.sort();
    let mut expected = vec!["Bearer fresh".to_owned(); 20];
    expected.extend(vec!["Bearer revoked".to_owned(); 10]);
    assert_eq!(sent, expected);
}

/// The token was fetched once per call, before its first attempt: a call whose retries
/// outlasted the token (a `Retry-After`, backoffs and timeouts can add up to minutes, more
/// than the 60 s refresh margin) sent the expired token on its later attempts, and failed
/// with 401 where a fresh token would have passed. Each attempt now takes the token of the
/// moment.
#[tokio::test]
async fn a_retry_after_the_token_is_due_sends_a_fresh_token() {
    let server = MockServer::start().await;
    // Lifetime 2 s: due after 1 s, usable until 1.5 s.
    tokens_in_turn(&server, token("tok-1", 2), token("tok-2", 3600)).await;
    // The first attempt waits out a Retry-After of 2 s, by which time tok-1 has expired.
    Mock::given(method("PATCH"))
        .and(header("authorization", "Bearer tok-1"))
        .respond_with(
            ResponseTemplate::new(503)
                .insert_header("retry-after", "2")
                .set_body_json(
                    json!({"id": "1", "code": "SERVICE_UNAVAILABLE", "message": "busy"}),
                ),
        )
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("PATCH"))
        .and(header("authorization", "Bearer tok-1"))
        .respond_with(ResponseTemplate::new(401).set_body_json(json!({
            "id": "2", "code": "ACCESS_FAILED", "message": "expired"
        })))
        .mount(&server)
        .await;
    users_answer(&server).await;
    let client = worker_builder(&server, credentials())
        .retry_policy(RetryPolicy::default().max_attempts(2))
        .build()
        .unwrap();
    client
        .update_user(ENV, USER, &UserPatch::new().title("x"))
        .await
        .unwrap();
    let requests = server.received_requests().await.unwrap();
    assert_eq!(bearers(&requests), ["Bearer tok-1", "Bearer tok-2"]);
}

/// A call answered 401 dropped its token under the token cache's lock, so it waited for a
/// refresh under way (a slow token endpoint: up to the whole retry budget of the token
/// request) before it returned its answer; and dropped meanwhile (a caller's timeout), it
/// left the refused token cached. The token is now dropped at once, and the call, sent again
/// with a fresh token, takes the one of the refresh under way rather than fetching its own.
#[tokio::test]
async fn a_401_during_a_slow_refresh_takes_the_refreshed_token() {
    let server = MockServer::start().await;
    slow_second_token(&server).await;
    Mock::given(method("PATCH"))
        .and(header("authorization", "Bearer tok-1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(user()))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("PATCH"))
        .and(header("authorization", "Bearer tok-1"))
        .respond_with(ResponseTemplate::new(401).set_body_json(json!({
            "id": "1", "code": "ACCESS_FAILED", "message": "revoked"
        })))
        .mount(&server)
        .await;
    let (client, patch, refresher) = refresh_under_way(&server).await;
    client.update_user(ENV, USER, &patch).await.unwrap();
    refresher.await.unwrap().unwrap();
    client.update_user(ENV, USER, &patch).await.unwrap();
    let requests = server.received_requests().await.unwrap();
    assert_eq!(
        bearers(&requests),
        [
            "Bearer tok-1",
            "Bearer tok-1",
            "Bearer tok-2",
            "Bearer tok-2",
            "Bearer tok-2"
        ]
    );
    let posts = token_fetches(&requests);
    assert_eq!(posts, 2, "the refresh under way serves the call refused");
}

/// Mounts a token endpoint whose first token (`tok-1`) lives 4 s, so that it is due for a
/// refresh after 2 s, and whose next (`tok-2`) takes 1.5 s to come.
async fn slow_second_token(server: &MockServer) {
    tokens_in_turn(
        server,
        token("tok-1", 4),
        token("tok-2", 3600).set_delay(Duration::from_millis(1500)),
    )
    .await;
}

/// A worker client of `server` (see [`slow_second_token`]) whose first call took `tok-1`, and
/// a second call, spawned once that token is due, that has been refreshing it for 100 ms.
async fn refresh_under_way(
    server: &MockServer,
) -> (
    Client,
    UserPatch,
    tokio::task::JoinHandle<Result<sparse_patch::pingone::User, sparse_patch::pingone::Error>>,
) {
    users_answer(server).await;
    let client = worker(server, credentials());
    let patch = UserPatch::new().title("x");
    client.update_user(ENV, USER, &patch).await.unwrap();
    tokio::time::sleep(Duration::from_millis(2100)).await;
    let refresher = tokio::spawn({
        let client = client.clone();
        let patch = patch.clone();
        async move { client.update_user(ENV, USER, &patch).await }
    });
    tokio::time::sleep(Duration::from_millis(100)).await;
    (client, patch, refresher)
}

/// A token endpoint that answers `expires_in: 0` (or a lifetime shorter than its own latency):
/// the fetched token was due for a refresh before the calls that waited on the fetch took the
/// lock, so each of them fetched again, one after another: ten calls at once made ten token
/// requests, in series. The calls that waited on a fetch now share its token, as they share
/// its error.
#[tokio::test]
async fn calls_waiting_on_a_fetch_share_its_token_even_when_it_expires_at_once() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(TOKEN_PATH))
        // Long enough that all ten calls are waiting on the fetch before it ends, even on a
        // loaded machine.
        .respond_with(token("tok-now", 0).set_delay(Duration::from_millis(1000)))
        .mount(&server)
        .await;
    users_answer(&server).await;
    let client = worker(&server, credentials());
    for result in concurrent_updates(&client, 10).await {
        result.unwrap();
    }
    let requests = server.received_requests().await.unwrap();
    let posts = token_fetches(&requests);
    assert_eq!(posts, 1, "one fetch for the calls that waited on it");
    // A token that expires at once is not kept for the calls that come later.
    client
        .update_user(ENV, USER, &UserPatch::new().title("x"))
        .await
        .unwrap();
    let requests = server.received_requests().await.unwrap();
    assert_eq!(token_fetches(&requests), 2);
}

/// The call that fetches the token is dropped (its caller's timeout) while others wait on
/// that fetch: they do not hang, and all get its token (the fetch runs on a task of its own,
/// which goes on while a call waits for it), without a fetch more.
#[tokio::test]
async fn calls_waiting_on_a_fetch_whose_caller_is_dropped_still_get_a_token() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(TOKEN_PATH))
        .respond_with(token("tok", 3600).set_delay(Duration::from_millis(500)))
        .mount(&server)
        .await;
    users_answer(&server).await;
    let client = worker(&server, credentials());
    let fetcher = tokio::spawn({
        let client = client.clone();
        async move {
            client
                .update_user(ENV, USER, &UserPatch::new().title("x"))
                .await
        }
    });
    tokio::time::sleep(Duration::from_millis(100)).await;
    let waiters = tokio::spawn({
        let client = client.clone();
        async move { concurrent_updates(&client, 10).await }
    });
    tokio::time::sleep(Duration::from_millis(100)).await;
    fetcher.abort();
    // `concurrent_updates` panics (its `HANG_GUARD`) if the calls hang.
    let results = waiters.await.unwrap();
    for result in results {
        result.unwrap();
    }
    let requests = server.received_requests().await.unwrap();
    assert_eq!(token_fetches(&requests), 1);
}

/// The API of [`a_call_waiting_for_the_rate_limiter_sends_the_token_of_the_moment`]: 401 for
/// `tok-1` once it has expired (`expires` after the server started), 200 otherwise.
struct ExpiringTokenApi {
    expires: std::time::Instant,
    /// How many requests came with `tok-1` after it expired.
    refused: std::sync::Arc<std::sync::atomic::AtomicUsize>,
}

impl wiremock::Respond for ExpiringTokenApi {
    fn respond(&self, request: &wiremock::Request) -> ResponseTemplate {
        let sent = request.headers["authorization"].to_str().unwrap();
        if sent == "Bearer tok-1" && std::time::Instant::now() >= self.expires {
            self.refused
                .fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            ResponseTemplate::new(401).set_body_json(json!({
                "id": "1", "code": "ACCESS_FAILED", "message": "expired"
            }))
        } else {
            ResponseTemplate::new(200).set_body_json(user())
        }
    }
}

/// A call took its token, then waited for its turn in the rate limiter: with many calls queued
/// behind a low rate, that wait outlasts the token's refresh margin, and the call sent a token
/// that had expired meanwhile (401). The token is now taken once the turn has come.
#[tokio::test]
async fn a_call_waiting_for_the_rate_limiter_sends_the_token_of_the_moment() {
    let server = MockServer::start().await;
    // Lifetime 4 s: due after 2 s, expired (at the API below) after 4 s.
    tokens_in_turn(&server, token("tok-1", 4), token("tok-2", 3600)).await;
    let refused = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    Mock::given(method("PATCH"))
        .respond_with(ExpiringTokenApi {
            expires: std::time::Instant::now() + Duration::from_secs(4),
            refused: refused.clone(),
        })
        .mount(&server)
        .await;
    let client = worker_builder(&server, credentials())
        .rate_limit(3) // one request every 333 ms: the 16th goes out after 5 s
        .build()
        .unwrap();
    client
        .update_user(ENV, USER, &UserPatch::new().title("x"))
        .await
        .unwrap();
    for result in concurrent_updates(&client, 14).await {
        result.unwrap();
    }
    let requests = server.received_requests().await.unwrap();
    assert!(bearers(&requests).contains(&"Bearer tok-2".to_owned()));
    // Not one expired token sent: a 401 would be answered by a fresh token and the call sent
    // again, so the calls' results alone cannot tell.
    assert_eq!(
        refused.load(std::sync::atomic::Ordering::SeqCst),
        0,
        "requests sent with the expired token"
    );
}

/// A token endpoint that still answered 429 with `Retry-After` when the retries ran out: the
/// error was retryable but `retry_after()` was `None` and its text said nothing of the wait,
/// although it is the same rate limit (per environment) as the users API's, whose 429 says it.
#[tokio::test]
async fn a_rate_limited_token_request_says_how_long_to_wait() {
    for status in [429, 503] {
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .and(path(TOKEN_PATH))
            .respond_with(
                ResponseTemplate::new(status)
                    .insert_header("retry-after", "1")
                    .set_body_json(
                        json!({"id": "1", "code": "REQUEST_LIMITED", "message": "slow down"}),
                    ),
            )
            .mount(&server)
            .await;
        let client = worker_builder(&server, credentials())
            .retry_policy(RetryPolicy::default().max_attempts(2))
            .build()
            .unwrap();
        let error = client.get_user(ENV, USER).await.unwrap_err();
        assert!(
            matches!(&error, sparse_patch::pingone::Error::Token { status: got, .. } if *got == status),
            "{error:?}"
        );
        assert_eq!(
            error.retry_after(),
            Some(Duration::from_secs(1)),
            "{error:?}"
        );
        assert!(error.to_string().contains("wait 1s"), "{error}");
    }
}

/// A token endpoint that answered 429 (or 503) with `Retry-After: 30`: the call that asked
/// got the error, and every later call asked again at once, each into another 429, although
/// the server said when to come back (RFC 9110 §10.2.3); a sync job sent one token request per
/// line, which is how a client gets its address blocked (zeebe-client-node-js#244: "retries
/// are instantaneous, leading to the token endpoint getting hosed"). Token fetches are the
/// client's own, shared by every call: now the calls that come before the wait is over get
/// the failure's error (its `Retry-After` as the server wrote it) without a request. The wait is capped at the
/// policy's `max_retry_after`, as the client's own waits for a `Retry-After` are; after it, a
/// call fetches again.
#[tokio::test]
async fn calls_after_a_rate_limited_token_request_wait_for_its_retry_after() {
    for status in [429, 503] {
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .and(path(TOKEN_PATH))
            .respond_with(
                ResponseTemplate::new(status)
                    .insert_header("retry-after", "30")
                    .set_body_json(json!({"error": "slow_down"})),
            )
            .mount(&server)
            .await;
        users_answer(&server).await;
        let client = worker(&server, credentials());
        for call in 0..3 {
            let error = client.get_user(ENV, USER).await.unwrap_err();
            assert!(
                matches!(&error, sparse_patch::pingone::Error::Token { status: got, .. } if *got == status),
                "{status} call {call}: {error:?}"
            );
            assert_eq!(
                error.retry_after(),
                Some(Duration::from_secs(30)),
                "{error:?}"
            );
        }
        assert_eq!(token_fetches(&server.received_requests().await.unwrap()), 1);
    }
    // Capped at the policy's `max_retry_after`: past it, the next call fetches again.
    let server = MockServer::start().await;
    tokens_in_turn(
        &server,
        ResponseTemplate::new(429).insert_header("retry-after", "3600"),
        token("tok-2", 3600),
    )
    .await;
    users_answer(&server).await;
    let client = worker_builder(&server, credentials())
        .retry_policy(RetryPolicy::never().max_retry_after(Duration::from_millis(1)))
        .build()
        .unwrap();
    client.get_user(ENV, USER).await.unwrap_err();
    tokio::time::sleep(Duration::from_millis(20)).await;
    client
        .update_user(ENV, USER, &UserPatch::new().title("x"))
        .await
        .unwrap();
}

/// A token endpoint's `Retry-After` as long as a `u64` of seconds, under a policy whose
/// `max_retry_after` does not cap it (`Duration::MAX`, to always wait as the server says): the
/// hold's end was `Instant::now() + wait`, which overflowed and panicked inside the call. The
/// call gets the token error, and a later one gets it too without a request.
#[tokio::test]
async fn a_token_retry_after_past_any_instant_holds_without_a_panic() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(TOKEN_PATH))
        .respond_with(ResponseTemplate::new(429).insert_header("retry-after", u64::MAX.to_string()))
        .mount(&server)
        .await;
    users_answer(&server).await;
    let client = worker_builder(&server, credentials())
        .retry_policy(RetryPolicy::never().max_retry_after(Duration::MAX))
        .build()
        .unwrap();
    for call in 0..2 {
        let error = client.get_user(ENV, USER).await.unwrap_err();
        assert!(
            matches!(
                &error,
                sparse_patch::pingone::Error::Token { status: 429, .. }
            ),
            "call {call}: {error:?}"
        );
        assert_eq!(error.retry_after(), Some(Duration::from_secs(u64::MAX)));
    }
    assert_eq!(token_fetches(&server.received_requests().await.unwrap()), 1);
}

/// The API of [`calls_waiting_for_a_slow_token_keep_to_the_rate_limit`]: records when each
/// request came.
#[derive(Clone, Default)]
struct Arrivals(std::sync::Arc<std::sync::Mutex<Vec<std::time::Instant>>>);

impl wiremock::Respond for Arrivals {
    fn respond(&self, _: &wiremock::Request) -> ResponseTemplate {
        self.0.lock().unwrap().push(std::time::Instant::now());
        ResponseTemplate::new(200).set_body_json(user())
    }
}

/// Calls that wait for a slow token fetch must not burst out when it comes: with the token
/// taken after the rate limiter's turn, each call took its turn, then waited on the fetch,
/// and all whose turns had passed meanwhile were sent at once, beyond the limit.
#[tokio::test]
async fn calls_waiting_for_a_slow_token_keep_to_the_rate_limit() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(token("tok", 3600).set_delay(Duration::from_millis(1500)))
        .mount(&server)
        .await;
    let arrivals = Arrivals::default();
    Mock::given(method("PATCH"))
        .respond_with(arrivals.clone())
        .mount(&server)
        .await;
    let client = worker_builder(&server, credentials())
        .rate_limit(10)
        .build()
        .unwrap();
    for result in concurrent_updates(&client, 25).await {
        result.unwrap();
    }
    let arrivals = arrivals.0.lock().unwrap().clone();
    // At most 10 a second (and 1 of credit): within any 500 ms, at most 6 leave the client;
    // up to 10 may arrive, as a loaded machine delays some sends past their turn. The burst
    // this test is about sends the 16 turns that passed during the fetch at once.
    let most = arrivals
        .iter()
        .map(|start| {
            arrivals
                .iter()
                .filter(|at| {
                    **at >= *start && at.duration_since(*start) < Duration::from_millis(500)
                })
                .count()
        })
        .max()
        .unwrap();
    assert!(most <= 10, "{most} requests within 500 ms");
}

/// A SCIM message with an `add` is not sent again where PingOne may have applied it; a 401
/// applied nothing, so the message refused for a revoked token is sent again, once, with a
/// fresh one.
#[tokio::test]
async fn a_scim_add_refused_for_a_revoked_token_is_sent_again_once() {
    use sparse_patch::{ScimOperation, ScimPatch};
    let server = MockServer::start().await;
    revoked_then_fresh(&server, Duration::ZERO).await;
    users_answer(&server).await;
    let client = worker(&server, credentials());
    let patch = ScimPatch::new(vec![ScimOperation::add("emails", json!(["x@example.com"]))]);
    let _: Value = client
        .update_user_scim_patch(ENV, USER, &patch)
        .await
        .unwrap();
    let requests = server.received_requests().await.unwrap();
    assert_eq!(bearers(&requests), ["Bearer revoked", "Bearer fresh"]);
}

/// The emulator with a token lifetime, and a worker client of it.
fn emulator_with_token_lifetime(
    lifetime: Duration,
) -> (sparse_patch::pingone::emulator::Emulator, Client) {
    let emulator = sparse_patch::pingone::emulator::Emulator::builder()
        .token_lifetime(lifetime)
        .start()
        .unwrap();
    let client = emulator_worker_builder(&emulator)
        .retry_policy(RetryPolicy::never())
        .build()
        .unwrap();
    (emulator, client)
}

/// The `Authorization` headers of the emulator's recorded user requests, in the order sent.
fn bearers_sent(emulator: &sparse_patch::pingone::emulator::Emulator) -> Vec<String> {
    emulator
        .requests()
        .iter()
        .filter_map(|request| request.header("authorization").map(str::to_owned))
        .collect()
}

/// `EmulatorBuilder::token_lifetime`: each fetch gets a token of its own with that
/// `expires_in`, which the users endpoints accept until its life ends (then 401
/// `INVALID_TOKEN`), beside the emulator's own token, which stays accepted. A life of 0
/// ends at once: no test waits for a token to end. A life past what the clock can count
/// (`Duration::MAX`) does not end: it ended at once.
#[tokio::test]
async fn emulator_tokens_end_with_their_lifetime() {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let http = reqwest::Client::new();
    for (lifetime, expires_in, accepted) in [
        (Duration::from_millis(3_600_900), 3600, true),
        (Duration::ZERO, 0, false),
        // Past what the clock can count ("never ends"): the token was dead when issued.
        (Duration::MAX, u64::MAX, true),
    ] {
        let (emulator, _) = emulator_with_token_lifetime(lifetime);
        let fetch = || async {
            let answer = fetch_worker_token(
                &http,
                emulator.auth_base_url(),
                emulator.environment_id(),
                emulator.client_id(),
                emulator.client_secret(),
            )
            .await;
            assert_eq!(
                answer["expires_in"], expires_in,
                "whole seconds, rounded down"
            );
            answer["access_token"].as_str().unwrap().to_owned()
        };
        let (first, second) = (fetch().await, fetch().await);
        assert_ne!(first, second, "each fetch gets a token of its own");
        assert_ne!(first, emulator.token());
        let user_url = format!(
            "{}/environments/{}/users/{}",
            emulator.api_base_url(),
            emulator.environment_id(),
            emulator.user_id()
        );
        let status = |token: String| {
            let request = http.get(&user_url).bearer_auth(token);
            async move {
                let answer = request.send().await.unwrap();
                let status = answer.status().as_u16();
                let body: Value = answer.json().await.unwrap();
                (status, body["details"][0]["code"].clone())
            }
        };
        for token in [first, second] {
            let expected = if accepted {
                (200, Value::Null)
            } else {
                (401, json!("INVALID_TOKEN"))
            };
            assert_eq!(status(token).await, expected, "{lifetime:?}");
        }
        assert_eq!(status(emulator.token().to_owned()).await.0, 200);
        assert_eq!(
            status(format!("{}.3", emulator.token())).await.0,
            401,
            "a token never issued"
        );
    }
}

/// A worker client whose token the emulator revoked (`Emulator::revoke_issued_tokens`): the
/// call refused with 401 fetches a fresh token and is sent again once, end to end, and the
/// calls after it use the fresh token.
#[tokio::test]
async fn a_revoked_emulator_token_is_replaced_by_the_client() {
    let (emulator, client) = emulator_with_token_lifetime(Duration::from_secs(3600));
    client
        .get_user(emulator.environment_id(), emulator.user_id())
        .await
        .unwrap();
    assert_eq!(emulator.revoke_issued_tokens(), 1);
    for _ in 0..2 {
        client
            .get_user(emulator.environment_id(), emulator.user_id())
            .await
            .unwrap();
    }
    let sent = bearers_sent(&emulator);
    assert_eq!(sent.len(), 4, "the refused call was sent twice: {sent:?}");
    assert_eq!(sent[0], sent[1], "the revoked token, refused");
    assert_ne!(sent[1], sent[2], "a fresh token");
    assert_eq!(sent[2], sent[3], "kept");
    assert_eq!(emulator.revoke_issued_tokens(), 1, "one fresh token issued");
}

/// The request sent again with a fresh token is not one of the retry policy's attempts: with
/// two attempts, a call refused for a revoked token, then answered 503 with the fresh one,
/// still has its retry, and succeeds. (Mutation testing: counting the send with the fresh
/// token as an attempt went unnoticed.)
#[tokio::test]
async fn the_send_with_a_fresh_token_is_not_one_of_the_policys_attempts() {
    let (emulator, _) = emulator_with_token_lifetime(Duration::from_secs(3600));
    refused_token_then_503(
        &emulator,
        RetryPolicy::default()
            .max_attempts(2)
            .initial_backoff(Duration::from_millis(1))
            .jitter(false),
    )
    .await;
    assert_eq!(bearers_sent(&emulator).len(), 4);
}

/// A worker client of `emulator` with `policy` reads its user, has its token revoked, and
/// reads the user again: the revoked token's request is answered 401, and the fresh token's
/// 503 first. The second read must succeed.
async fn refused_token_then_503(
    emulator: &sparse_patch::pingone::emulator::Emulator,
    policy: RetryPolicy,
) {
    use sparse_patch::pingone::emulator::Fault;
    let client = emulator_worker_builder(emulator)
        .retry_policy(policy)
        .build()
        .unwrap();
    client
        .get_user(emulator.environment_id(), emulator.user_id())
        .await
        .unwrap();
    assert_eq!(emulator.revoke_issued_tokens(), 1);
    emulator.inject(Fault::Slow(Duration::ZERO));
    emulator.inject(Fault::Status(503));
    client
        .get_user(emulator.environment_id(), emulator.user_id())
        .await
        .unwrap();
}

/// A worker token of a short life: the client refreshes it before its end (its refresh
/// margin is larger than the life, so every call takes a fresh one), and no call meets a 401.
#[tokio::test]
async fn a_client_refreshes_emulator_tokens_before_their_end() {
    let (emulator, client) = emulator_with_token_lifetime(Duration::from_secs(2));
    for _ in 0..3 {
        client
            .get_user(emulator.environment_id(), emulator.user_id())
            .await
            .unwrap();
        tokio::time::sleep(Duration::from_millis(1100)).await;
    }
    let sent = bearers_sent(&emulator);
    assert_eq!(sent.len(), 3, "no call was refused: {sent:?}");
}

/// An emulator whose own token is a padded base64 string (`dGVzdA==`), with a token lifetime:
/// the tokens it issued were `{own}.{number}` (`dGVzdA==.1`), with `=` inside, which is no
/// RFC 6750 bearer token (padding comes last), and the client refused every one (Error::Decode
/// at the first call). The number goes before the padding (`dGVzdA.1==`).
#[tokio::test]
async fn emulator_tokens_of_a_padded_own_token_are_bearer_tokens() {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let emulator = sparse_patch::pingone::emulator::Emulator::builder()
        .token("dGVzdA==")
        .token_lifetime(Duration::from_secs(3600))
        .start()
        .unwrap();
    let client = emulator_worker_builder(&emulator)
        .retry_policy(RetryPolicy::never())
        .build()
        .unwrap();
    client
        .get_user(emulator.environment_id(), emulator.user_id())
        .await
        .unwrap();
    let sent = bearers_sent(&emulator);
    assert!(
        sent.iter()
            .all(|bearer| bearer.starts_with("Bearer dGVzdA.") && bearer.ends_with("==")),
        "{sent:?}"
    );
}

/// A token copied with its header's scheme (`Bearer eyJ...`, from a browser's network panel or
/// a curl command) was refused as holding "characters a bearer token cannot", which does not
/// say that the scheme is the fault. The error now says to give the token alone.
#[test]
fn a_token_given_with_its_bearer_scheme_is_refused_with_that_reason() {
    for given in ["Bearer eyJhbGciOi.eyJzdWIiOi.c2lnbmF0dXJl", "bearer abc=="] {
        let error = Client::builder()
            .api_base_url("https://api.pingone.eu/v1")
            .token(TokenSource::bearer(given))
            .build()
            .unwrap_err();
        let Error::Config(text) = &error else {
            panic!("{error:?}");
        };
        assert!(
            text.contains("starts with the scheme \"Bearer \""),
            "{text}"
        );
        assert!(!text.contains("abc"), "the token is not shown: {text}");
    }
    // The whole header, copied from a request's log.
    for given in [
        "Authorization: Bearer eyJhbGciOi.eyJzdWIiOi.c2lnbmF0dXJl",
        "authorization:Bearer abc",
    ] {
        let error = Client::builder()
            .api_base_url("https://api.pingone.eu/v1")
            .token(TokenSource::bearer(given))
            .build()
            .unwrap_err();
        let text = error.to_string();
        assert!(
            text.contains("starts with the header \"Authorization: Bearer \""),
            "{text}"
        );
        assert!(!text.contains("abc"), "the token is not shown: {text}");
    }
    // Another space is the general fault.
    let error = Client::builder()
        .api_base_url("https://api.pingone.eu/v1")
        .token(TokenSource::bearer("a b"))
        .build()
        .unwrap_err();
    assert!(error.to_string().contains("RFC 6750"), "{error}");
}

/// A token endpoint's 429 whose `Retry-After` (120 s) is longer than the policy waits out
/// (`max_retry_after`, 60 s by default; `max_backoff`, the backoff's cap, 30 s): no second
/// token request before the server's time (it would only earn another 429, and spend the
/// attempts inside the window it named), and the call's error at once, with the wait, for the
/// caller to decide. The same rule as the users API's answers
/// (`pingone_retry::a_retry_after_longer_than_max_retry_after_is_not_retried_but_returned`).
#[tokio::test]
async fn a_token_retry_after_past_max_retry_after_is_returned_not_retried_early() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(TOKEN_PATH))
        .respond_with(
            ResponseTemplate::new(429)
                .insert_header("retry-after", "120")
                .set_body_json(json!({"error": "slow_down"})),
        )
        .mount(&server)
        .await;
    users_answer(&server).await;
    let waits = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let client = worker_builder(&server, credentials())
        .retry_policy(
            RetryPolicy::default()
                .max_attempts(4)
                .initial_backoff(Duration::from_millis(10))
                .on_retry({
                    let waits = std::sync::Arc::clone(&waits);
                    move |event| waits.lock().unwrap().push(event.wait)
                }),
        )
        .build()
        .unwrap();
    let error = tokio::time::timeout(HANG_GUARD, client.get_user(ENV, USER))
        .await
        .expect("the call hung: it waited out the Retry-After")
        .unwrap_err();
    // No wait of any kind: the observer hears of each wait before the client sleeps it.
    assert_eq!(*waits.lock().unwrap(), [], "{error:?}");
    assert!(
        matches!(
            &error,
            sparse_patch::pingone::Error::Token {
                status: 429,
                attempts: 1,
                ..
            }
        ),
        "{error:?}"
    );
    assert_eq!(error.retry_after(), Some(Duration::from_secs(120)));
    assert_eq!(token_fetches(&server.received_requests().await.unwrap()), 1);
}

/// A token response whose JSON was cut short on the way (a proxy truncated it; its
/// `Content-Length` matched the bytes sent) failed the call with `Error::Decode`, where asking
/// again gets a whole one (asking for a token twice is harmless: the client retries its token
/// requests on timeouts already). It is now asked again under the retry policy, as a GET whose
/// answer was cut is; without a retry left, the error is the last answer's.
#[tokio::test]
async fn a_token_response_cut_short_is_asked_again() {
    let cut = ResponseTemplate::new(200).set_body_raw(
        &br#"{"access_token": "tok-1", "token_ty"#[..],
        "application/json",
    );
    let server = MockServer::start().await;
    tokens_in_turn(&server, cut.clone(), token("tok-2", 3600)).await;
    users_answer(&server).await;
    let retrying = || {
        worker_builder(&server, credentials())
            .retry_policy(
                RetryPolicy::default()
                    .max_attempts(3)
                    .initial_backoff(Duration::from_millis(10)),
            )
            .build()
            .unwrap()
    };
    retrying()
        .update_user(ENV, USER, &UserPatch::new().title("x"))
        .await
        .unwrap();
    let requests = server.received_requests().await.unwrap();
    assert_eq!(token_fetches(&requests), 2);
    assert_eq!(bearers(&requests), ["Bearer tok-2"]);

    // Without a retry left: the cut answer's error.
    let server = MockServer::start().await;
    tokens_in_turn(&server, cut, token("tok-2", 3600)).await;
    users_answer(&server).await;
    let error = worker(&server, credentials())
        .update_user(ENV, USER, &UserPatch::new().title("x"))
        .await
        .unwrap_err();
    assert!(
        matches!(
            &error,
            sparse_patch::pingone::Error::Decode {
                status: 200,
                attempts: 1,
                ..
            }
        ),
        "{error:?}"
    );
}

/// The worker's environment ID given in upper case: the token is asked for at the lower-case
/// path, `{auth}/{envID}/as/token`, as every ID is sent (PingOne's IDs are lower-case UUIDs,
/// and its paths are matched as written), and the call goes through.
#[tokio::test]
async fn an_environment_id_in_upper_case_asks_the_lower_case_token_path() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(TOKEN_PATH))
        .respond_with(token("worker-token", 3600))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(header("authorization", "Bearer worker-token"))
        .respond_with(ResponseTemplate::new(200).set_body_json(user()))
        .mount(&server)
        .await;
    let client = worker(
        &server,
        TokenSource::client_credentials(ENV.to_ascii_uppercase(), "worker", "s3cret"),
    );
    let read = client.get_user(ENV, USER).await.unwrap();
    assert_eq!(read.username, "dspanner");
}

/// A token endpoint's answer is a token only with a 2xx status (RFC 6749 §5.1: "200 (OK)");
/// a 300 that carries a token's JSON (a gateway's choice page, a redirect the client does not
/// follow) is the token endpoint's error, and the token in it is not sent to the API.
#[tokio::test]
async fn a_token_in_a_300_answer_is_not_used() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(TOKEN_PATH))
        .respond_with(ResponseTemplate::new(300).set_body_json(json!({
            "access_token": "worker-token", "token_type": "Bearer", "expires_in": 3600
        })))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(user()))
        .mount(&server)
        .await;
    let client = worker(
        &server,
        TokenSource::client_credentials(ENV, "worker", "s3cret"),
    );
    let error = client.get_user(ENV, USER).await.unwrap_err();
    assert!(
        matches!(error, Error::Token { status: 300, .. }),
        "{error:?}"
    );
    let requests = server.received_requests().await.unwrap();
    assert!(
        requests
            .iter()
            .all(|request| request.method.as_str() == "POST"),
        "{requests:?}"
    );
}

/// A region is read from its code or its API domain's top level, in any case, and with the
/// white space around it that a value read from a file or an environment variable keeps
/// (`Region::from_str`; the domains of PingOne's "PingOne API domains").
#[test]
fn a_region_is_read_from_its_domain_and_with_white_space_around_it() {
    for (text, region) in [
        ("com", Region::NorthAmerica),
        ("ca", Region::Canada),
        ("EU", Region::Europe),
        ("com.au", Region::Australia),
        ("sg", Region::Singapore),
        ("asia", Region::AsiaPacific),
        (" eu\n", Region::Europe),
        ("\tAP ", Region::AsiaPacific),
    ] {
        assert_eq!(text.parse::<Region>(), Ok(region), "{text:?}");
    }
    assert!("e u".parse::<Region>().is_err());
}

/// Each region's API base and auth host are those of PingOne's "PingOne API domains" (the
/// table of the project's reference notes, `pingone-users-api.md`), each region is read from
/// every name `Region::from_str` documents, and `Display` writes the code, padded as a format
/// asks. (Mutation testing, review 99: a region's host changed, or a name dropped, went
/// unnoticed: the tests checked the hosts' start only.)
#[test]
fn each_region_has_the_hosts_and_names_pingone_documents() {
    for (region, api, auth, names) in [
        (
            Region::NorthAmerica,
            "https://api.pingone.com/v1",
            "https://auth.pingone.com",
            &["NA", "com", "NorthAmerica", "north_america", "US"][..],
        ),
        (
            Region::Canada,
            "https://api.pingone.ca/v1",
            "https://auth.pingone.ca",
            &["CA", "ca", "Canada"][..],
        ),
        (
            Region::Europe,
            "https://api.pingone.eu/v1",
            "https://auth.pingone.eu",
            &["EU", "eu", "Europe"][..],
        ),
        (
            Region::Australia,
            "https://api.pingone.com.au/v1",
            "https://auth.pingone.com.au",
            &["AU", "com.au", "Australia"][..],
        ),
        (
            Region::Singapore,
            "https://api.pingone.sg/v1",
            "https://auth.pingone.sg",
            &["SG", "sg", "Singapore"][..],
        ),
        (
            Region::AsiaPacific,
            "https://api.pingone.asia/v1",
            "https://auth.pingone.asia",
            &["AP", "asia", "AsiaPacific", "Asia_Pacific"][..],
        ),
    ] {
        assert_eq!(region.api_base_url(), api, "{region:?}");
        assert_eq!(region.auth_base_url(), auth, "{region:?}");
        for name in names {
            assert_eq!(name.parse::<Region>(), Ok(region), "{name}");
        }
        assert_eq!(format!("{region:>4}|"), format!("  {}|", region.code()));
    }
    assert_eq!(Region::ALL.len(), 6);
}

/// A token answer whose 2xx body is empty (or white space alone) is no JSON cut short on the
/// way: there is nothing of a token in it, and asking again gets the same. It is the call's
/// decode error after one token request, not retried as a body truncated mid-JSON is.
#[tokio::test]
async fn an_empty_token_answer_is_not_asked_again() {
    for body in ["", " \r\n"] {
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .and(path(TOKEN_PATH))
            .respond_with(ResponseTemplate::new(200).set_body_string(body))
            .mount(&server)
            .await;
        let client = worker_builder(
            &server,
            TokenSource::client_credentials(ENV, "worker", "s3cret"),
        )
        .retry_policy(
            RetryPolicy::default()
                .max_attempts(3)
                .initial_backoff(Duration::from_millis(1))
                .jitter(false),
        )
        .build()
        .unwrap();
        let error = client.get_user(ENV, USER).await.unwrap_err();
        assert!(
            matches!(error, Error::Decode { status: 200, .. }),
            "{body:?}: {error:?}"
        );
        assert_eq!(
            server.received_requests().await.unwrap().len(),
            1,
            "{body:?}"
        );
    }
}

/// A token endpoint that answers 2xx with something that is no token response (a proxy's
/// sign-in page at the token URL, a token of another type, a lifetime that is no number) gets
/// the same answer when asked again at once: each call asked again, so a sync job over a
/// 10,000-line feed sent 10,000 token requests. The answer is held for `REFUSAL_HOLD`, as an
/// OAuth refusal is: the calls meanwhile get the same `Error::Decode` without a request.
#[tokio::test]
async fn a_2xx_that_is_no_token_response_is_held_as_a_refusal_is() {
    let answers = [
        proxy_sign_in_page(),
        ResponseTemplate::new(200).set_body_json(
            json!({"access_token": "eyJ0", "token_type": "DPoP", "expires_in": 3600}),
        ),
        ResponseTemplate::new(203).set_body_json(
            json!({"access_token": "eyJ0", "token_type": "Bearer", "expires_in": "soon"}),
        ),
    ];
    for answer in answers {
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .and(path(TOKEN_PATH))
            .respond_with(answer)
            .mount(&server)
            .await;
        users_answer(&server).await;
        let client = worker(&server, credentials());
        let mut errors = Vec::new();
        for _ in 0..4 {
            errors.push(
                client
                    .update_user(ENV, USER, &UserPatch::new().title("x"))
                    .await
                    .unwrap_err(),
            );
        }
        let requests = server.received_requests().await.unwrap();
        assert_eq!(token_fetches(&requests), 1, "{errors:?}");
        assert!(bearers(&requests).is_empty());
        let first = errors[0].to_string();
        for error in &errors {
            assert!(
                matches!(
                    error,
                    Error::Decode {
                        status: 200 | 203,
                        ..
                    }
                ),
                "{error:?}"
            );
            assert_eq!(error.to_string(), first);
        }
    }
}

/// The backoff after the first answer to the fresh token's request is the first backoff,
/// `initial_backoff`: the send with the fresh token is not one of the policy's attempts (its
/// `RetryPolicy` documents the wait before attempt `n + 1` as `initial_backoff * 2^(n-1)`),
/// so it does not double the wait either. (The observer is told of the send with the fresh
/// token first, as a retry without a wait: `status` 401, zero.)
#[tokio::test]
async fn the_first_backoff_after_a_fresh_token_is_the_initial_one() {
    use std::sync::{Arc, Mutex};

    let (emulator, _) = emulator_with_token_lifetime(Duration::from_secs(3600));
    let waits = Arc::new(Mutex::new(Vec::new()));
    let seen = Arc::clone(&waits);
    refused_token_then_503(
        &emulator,
        RetryPolicy::default()
            .max_attempts(3)
            .initial_backoff(Duration::from_millis(3))
            .jitter(false)
            .on_retry(move |event| seen.lock().unwrap().push((event.status, event.wait))),
    )
    .await;
    assert_eq!(
        *waits.lock().unwrap(),
        [
            (Some(401), Duration::ZERO),
            (Some(503), Duration::from_millis(3))
        ]
    );
}

/// A token refused with 401 whose replacement the token endpoint answers with a proxy's page:
/// that call is the `Error::Decode` of the page, and so are the calls after it, without a
/// token request, while the answer is held (review 69).
#[tokio::test]
async fn a_reauthentication_answered_with_no_token_response_is_held() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(token("tok-1", 3600))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(proxy_sign_in_page())
        .mount(&server)
        .await;
    Mock::given(method("PATCH"))
        .and(header("authorization", "Bearer tok-1"))
        .respond_with(ResponseTemplate::new(401).set_body_json(json!({
            "code": "INVALID_TOKEN",
            "message": "The access token is missing, invalid, or expired"
        })))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    users_answer(&server).await;
    let client = worker(&server, credentials());
    let patch = UserPatch::new().title("x");
    let mut errors = Vec::new();
    for _ in 0..4 {
        errors.push(client.update_user(ENV, USER, &patch).await.unwrap_err());
    }
    for error in &errors {
        assert!(
            matches!(error, Error::Decode { status: 200, .. }),
            "{error:?}"
        );
    }
    let requests = server.received_requests().await.unwrap();
    assert_eq!(token_fetches(&requests), 2, "{errors:?}");
    assert_eq!(bearers(&requests), ["Bearer tok-1"]);
}

/// A token response without `expires_in` (RECOMMENDED, not REQUIRED: RFC 6749 §5.1) is taken
/// to live an hour, PingOne's default lifetime of a worker token: it is cached, not fetched
/// again for each call. (Mutation testing: the one-hour default went untested.)
#[tokio::test]
async fn a_token_without_expires_in_is_cached_for_an_hour() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(TOKEN_PATH))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"access_token": "tok-1", "token_type": "Bearer"})),
        )
        .mount(&server)
        .await;
    users_answer(&server).await;
    // Refreshed at the latest a minute before its end (the default is earlier).
    let client = worker_builder(&server, credentials())
        .refresh_before(Duration::from_secs(60))
        .build()
        .unwrap();
    for _ in 0..3 {
        client
            .update_user(ENV, USER, &UserPatch::new().title("x"))
            .await
            .unwrap();
        // Past a lifetime of a second or less.
        tokio::time::sleep(Duration::from_millis(1100)).await;
    }
    let requests = server.received_requests().await.unwrap();
    assert_eq!(token_fetches(&requests), 1);
    assert_eq!(bearers(&requests), ["Bearer tok-1"; 3]);
}

/// A 2xx body with both an OAuth `error` and an `access_token` member is no error response
/// (RFC 6749 §5.2 has no `access_token`) but a token response (§5.1, whose members the
/// client reads, ignoring the others): its token is used when it is one, and when it is not
/// (here null) the answer is `Error::Decode`, a token response that does not decode, not
/// `Error::Token` with the `error` it names, which would say that the endpoint refused the
/// credentials (`invalid_client`: check the secret). (Mutation testing: reading such a body as
/// the OAuth error it names went unnoticed.)
#[tokio::test]
async fn a_2xx_body_with_an_error_and_an_access_token_is_a_token_response() {
    let server = MockServer::start().await;
    tokens_in_turn(
        &server,
        ResponseTemplate::new(200).set_body_json(json!({
            "error": "invalid_client",
            "error_description": "Unknown client",
            "access_token": null,
        })),
        ResponseTemplate::new(200).set_body_json(json!({
            "error": "invalid_client",
            "access_token": "tok-1",
            "token_type": "Bearer",
            "expires_in": 3600,
        })),
    )
    .await;
    users_answer(&server).await;
    let client = worker(&server, credentials());
    let error = client
        .update_user(ENV, USER, &UserPatch::new().title("x"))
        .await
        .unwrap_err();
    assert!(
        matches!(&error, Error::Decode { status: 200, reason, .. } if reason.starts_with("not an OAuth token response")),
        "{error:?}"
    );
    assert!(!error.to_string().contains("invalid_client"), "{error}");
    // A second client (the first holds the failed answer, as it holds any 2xx without a
    // token): the token of the second answer is used.
    let client = worker(&server, credentials());
    client
        .update_user(ENV, USER, &UserPatch::new().title("x"))
        .await
        .unwrap();
    let requests = server.received_requests().await.unwrap();
    assert_eq!(bearers(&requests), ["Bearer tok-1"]);
}

/// Mounts a token endpoint that answers `answers` in turn, one each, and the last one to every
/// later fetch.
async fn token_answers_in_turn(server: &MockServer, answers: Vec<ResponseTemplate>) {
    let last = answers.len() - 1;
    for (at, answer) in answers.into_iter().enumerate() {
        let mock = Mock::given(method("POST"))
            .and(path(TOKEN_PATH))
            .respond_with(answer);
        let mock = if at == last {
            mock
        } else {
            mock.up_to_n_times(1)
        };
        mock.mount(server).await;
    }
}

/// A call whose caller's timeout (300 ms) cut it short while it fetched the token: the fetch
/// goes on, abandoned.
async fn abandon_a_fetch(client: &Client) {
    let abandoned = tokio::time::timeout(
        Duration::from_millis(300),
        client.update_user(ENV, USER, &UserPatch::new().title("x")),
    )
    .await;
    assert!(abandoned.is_err(), "{abandoned:?}");
}

/// An abandoned fetch that ends after a later one, with a token that is due sooner than the one
/// that later fetch brought (here both at once: `expires_in: 0`): the token held stays, and a
/// call waiting for a fetch of its own meanwhile takes it as the answer of the fetch that
/// ended, rather than waiting for its own. (Mutation testing: not numbering the held token
/// with the fetch that ended, which left that call waiting for its own slow fetch, went
/// unnoticed.)
#[tokio::test]
async fn an_abandoned_fetch_that_ends_serves_the_token_held_to_a_call_waiting() {
    let server = MockServer::start().await;
    token_answers_in_turn(
        &server,
        vec![
            // The abandoned fetch.
            token("tok-abandoned", 0).set_delay(Duration::from_millis(1500)),
            // The next call's.
            token("tok-held", 0),
            // The call that waits.
            token("tok-slow", 0).set_delay(Duration::from_millis(4000)),
        ],
    )
    .await;
    users_answer(&server).await;
    let client = worker(&server, credentials());
    abandon_a_fetch(&client).await;
    let patch = UserPatch::new().title("x");
    client.update_user(ENV, USER, &patch).await.unwrap();
    // `tok-held` is due: this call fetches, and the abandoned fetch ends first.
    client.update_user(ENV, USER, &patch).await.unwrap();
    let requests = server.received_requests().await.unwrap();
    assert_eq!(bearers(&requests), ["Bearer tok-held", "Bearer tok-held"]);
}

/// An abandoned fetch that fails while a call's own fetch is under way leaves that fetch the
/// one that later calls wait for: one token request more, not one for each call that comes
/// meanwhile. (Mutation testing: a fetch that ended dropping every other fetch under way from
/// those that calls wait for, which cost a token request, went unnoticed.)
#[tokio::test]
async fn an_abandoned_fetch_that_fails_leaves_the_fetch_under_way_to_later_calls() {
    let server = MockServer::start().await;
    token_answers_in_turn(
        &server,
        vec![
            // The abandoned fetch: a server failure, which is not held.
            ResponseTemplate::new(500)
                .set_body_json(json!({"error": "server_error"}))
                .set_delay(Duration::from_millis(1000)),
            token("tok-1", 3600).set_delay(Duration::from_millis(2000)),
        ],
    )
    .await;
    users_answer(&server).await;
    let client = worker(&server, credentials());
    abandon_a_fetch(&client).await;
    let patch = UserPatch::new().title("x");
    let first = tokio::spawn({
        let client = client.clone();
        let patch = patch.clone();
        async move { client.update_user(ENV, USER, &patch).await }
    });
    // The abandoned fetch fails meanwhile (at 1 s); the first call's fetch ends at 2.3 s.
    tokio::time::sleep(Duration::from_millis(1200)).await;
    client.update_user(ENV, USER, &patch).await.unwrap();
    first.await.unwrap().unwrap();
    let requests = server.received_requests().await.unwrap();
    assert_eq!(token_fetches(&requests), 2);
    assert_eq!(bearers(&requests), ["Bearer tok-1", "Bearer tok-1"]);
}

/// The error of a call of `client` to `emulator` whose token request is refused (a 401).
async fn refused_token(
    client: &Client,
    emulator: &sparse_patch::pingone::emulator::Emulator,
) -> sparse_patch::pingone::Error {
    let error = client
        .get_user(emulator.environment_id(), emulator.user_id())
        .await
        .unwrap_err();
    assert!(
        matches!(
            &error,
            sparse_patch::pingone::Error::Token { status: 401, .. }
        ),
        "{error:?}"
    );
    error
}

/// An auth base URL given with the API's `/v1` path (the emulator's API URL, or a proxy's
/// `https://.../v1`): the token request went to `.../v1/{envID}/as/token`, which the server
/// answered 404 (or 401), and the error did not say that the URL was the cause. It now says
/// that the auth base URL should not end in `/v1`: the auth host, to which the client adds
/// `/{envID}/as/token`. (PingOne's own auth host with a path is refused by `build`; another
/// host may serve its token endpoint at any path, so this one is not.)
#[tokio::test]
async fn an_auth_base_url_ending_in_the_api_path_is_named_in_the_token_error() {
    let emulator = sparse_patch::pingone::emulator::Emulator::start().unwrap();
    for base in [
        emulator.api_base_url().to_owned(),
        format!("{}/", emulator.api_base_url()),
        emulator.api_base_url().replace("/v1", "/V1"),
    ] {
        let client = emulator_worker_builder(&emulator)
            .auth_base_url(&base)
            .build()
            .unwrap();
        let error = refused_token(&client, &emulator).await;
        assert!(
            error
                .to_string()
                .contains("the auth base URL should not end in /v1"),
            "{error}"
        );
    }
    // The auth host itself: a refusal (a wrong secret) without the note.
    let client = emulator_worker_builder(&emulator)
        .token(TokenSource::client_credentials(
            emulator.environment_id(),
            emulator.client_id(),
            "wrong secret",
        ))
        .build()
        .unwrap();
    let error = refused_token(&client, &emulator).await;
    assert!(!error.to_string().contains("/v1"), "{error}");
    // PingOne's auth host with the API's path is refused at once, naming it.
    let error = Client::builder()
        .api_base_url("https://api.pingone.com/v1")
        .auth_base_url("https://auth.pingone.com/v1")
        .token(credentials())
        .build()
        .unwrap_err();
    assert!(
        matches!(&error, Error::Config(text) if text.contains("has the path /v1")
            && text.contains("https://auth.pingone.com")),
        "{error:?}"
    );
}
