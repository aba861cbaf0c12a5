//! The PingOne client, its token source, rate limiter, listing stream and sync job, and the
//! embedded emulator, in the runtime set-ups that applications and test suites have: one
//! client or emulator in a `static` shared by `#[tokio::test]`s (each with its own runtime),
//! a client used from two runtimes at once or from a runtime that is idle, calls made outside
//! any tokio runtime (`futures::executor::block_on`, another executor), runtimes built
//! without their time or IO driver, `Runtime::shutdown_timeout` under way, and streams moved
//! into `tokio::spawn`.
//!
//! Peer reports: rust-lang/rustup#3852 and AbdelStark/madara#1184 (a `reqwest::Client` shared
//! by tests: "dispatch task is gone: runtime dropped the dispatch task"), apache/opendal#473
//! and databendlabs/databend#5441 (hyper's pool hangs when one client is called from several
//! runtimes), hyperium/hyper#1930 (connections of several `current_thread` runtimes).
//!
//! No timed assertion: timeouts here only bound a hang.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use futures_util::{StreamExt, TryStreamExt};
use sparse_patch::pingone::emulator::{Emulator, EmulatorBuilder, generated_user};
use sparse_patch::pingone::sync::{Status, SyncJob};
use sparse_patch::pingone::{Client, RetryPolicy, TokenSource, UserQuery};

/// One emulator for the whole file, as a test suite keeps one in a `static`: it runs on a
/// thread and runtime of its own, so it outlives the runtime of each test.
fn emulator() -> &'static Emulator {
    static EMULATOR: OnceLock<Emulator> = OnceLock::new();
    EMULATOR.get_or_init(|| {
        with_generated_users(Emulator::builder(), 30)
            .start()
            .unwrap()
    })
}

/// `builder` with the generated users `user001`...
fn with_generated_users(mut builder: EmulatorBuilder, count: usize) -> EmulatorBuilder {
    for n in 1..=count {
        builder = builder.user(generated_user(n));
    }
    builder
}

/// A worker client of the emulator whose every retry is counted in `retries`, with a
/// per-attempt timeout long enough for a loaded machine and short enough to bound a hang.
fn counting_client(emulator: &Emulator, retries: &Arc<AtomicUsize>, attempts: u32) -> Client {
    let retries = Arc::clone(retries);
    Client::builder()
        .api_base_url(emulator.api_base_url())
        .auth_base_url(emulator.auth_base_url())
        .token(TokenSource::client_credentials(
            emulator.environment_id(),
            emulator.client_id(),
            emulator.client_secret(),
        ))
        .timeout(Duration::from_secs(10))
        .rate_limit(1000)
        .retry_policy(
            RetryPolicy::default()
                .max_attempts(attempts)
                .initial_backoff(Duration::from_millis(10))
                .on_retry(move |_| {
                    retries.fetch_add(1, Ordering::SeqCst);
                }),
        )
        .build()
        .unwrap()
}

/// The client of the `#[tokio::test]`s below, kept in a `static` as suites keep theirs.
fn shared_client() -> &'static (Client, Arc<AtomicUsize>) {
    static CLIENT: OnceLock<(Client, Arc<AtomicUsize>)> = OnceLock::new();
    CLIENT.get_or_init(|| {
        let retries = Arc::new(AtomicUsize::new(0));
        (counting_client(emulator(), &retries, 5), retries)
    })
}

/// A listing stream and a sync job's stream are `'static`: moved into `tokio::spawn` while
/// the query, the environment ID and the job they came from are gone. (They borrowed their
/// arguments, `'static` notwithstanding: `client.list_users(&env, &query)` could not outlive
/// `env` or `query`, nor `job.run(lines)` the job: E0515 / E0597.)
#[tokio::test]
async fn streams_move_into_spawned_tasks() {
    let client = shared_client().0.clone();
    let listing = {
        let environment = emulator().environment_id().to_owned();
        let query = UserQuery::all().limit(5);
        client.list_users(&environment, &query)
    };
    let users = tokio::spawn(listing.try_collect::<Vec<_>>())
        .await
        .unwrap()
        .unwrap();
    assert!(users.len() > 30);
    let outcomes = {
        let job = SyncJob::new(&client, emulator().environment_id()).concurrency(2);
        job.run(vec![Ok(
            r#"{"username": "user003", "title": "Lead"}"#.to_owned()
        )])
    };
    let outcomes = tokio::spawn(outcomes.collect::<Vec<_>>()).await.unwrap();
    assert_eq!(outcomes.len(), 1);
    assert!(
        matches!(outcomes[0].status, Status::Changed | Status::Unchanged),
        "{:?}",
        outcomes[0]
    );
}
