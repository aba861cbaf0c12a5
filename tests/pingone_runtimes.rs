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

#[path = "support/own_http_client.rs"]
mod own_http_client;
use own_http_client::own_http_client_builder;

#[path = "support/emulator_client.rs"]
mod emulator_client;
use emulator_client::{emulator_bearer_builder, emulator_worker_builder};

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};
use std::task::{Context, Poll, Wake, Waker};
use std::time::Duration;

use futures_util::{StreamExt, TryStreamExt};
use sparse_patch::pingone::emulator::{Emulator, EmulatorBuilder, generated_user};
use sparse_patch::pingone::sync::{Status, SyncJob};
use sparse_patch::pingone::{Client, Error, RetryPolicy, UserPatch, UserQuery};

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

tokio::task_local! {
    /// Set around calls that a test leaves running on purpose (on a runtime being shut
    /// down): their retries are not the measured calls' and are not counted.
    static UNMEASURED: ();
}

/// A worker client of the emulator whose every retry is counted in `retries` (except the
/// retries of calls run inside [`UNMEASURED`]), with a per-attempt timeout long enough for a
/// loaded machine and short enough to bound a hang.
fn counting_client(emulator: &Emulator, retries: &Arc<AtomicUsize>, attempts: u32) -> Client {
    let retries = Arc::clone(retries);
    emulator_worker_builder(emulator)
        .timeout(Duration::from_secs(10))
        .rate_limit(1000)
        .retry_policy(
            RetryPolicy::default()
                .max_attempts(attempts)
                .initial_backoff(Duration::from_millis(10))
                .on_retry(move |event| {
                    if UNMEASURED.try_with(|_| ()).is_err() {
                        // Shown with a failing test's output, to tell why it retried.
                        eprintln!("a measured call retries: {event:?}");
                        retries.fetch_add(1, Ordering::SeqCst);
                    }
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

async fn patch_nickname(client: &Client, nickname: &str) -> Result<(), Error> {
    let emulator = emulator();
    client
        .update_user(
            emulator.environment_id(),
            emulator.user_id(),
            &UserPatch::new().nickname(nickname),
        )
        .await
        .map(drop)
}

/// Two `#[tokio::test]`s share the `static` client and emulator, each from its own runtime
/// (the first one's may be gone when the second runs): both calls succeed, and on their first
/// attempt, the pool of a runtime that ended having gone with it.
#[tokio::test]
async fn a_static_client_serves_one_test() {
    let (client, retries) = shared_client();
    patch_nickname(client, "one").await.unwrap();
    let users: Vec<_> = client
        .list_users(emulator().environment_id(), &UserQuery::all().limit(7))
        .try_collect()
        .await
        .unwrap();
    assert!(users.len() > 30);
    assert_eq!(retries.load(Ordering::SeqCst), 0);
}

/// See [`a_static_client_serves_one_test`].
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_static_client_serves_another_test() {
    let (client, retries) = shared_client();
    patch_nickname(client, "another").await.unwrap();
    assert_eq!(retries.load(Ordering::SeqCst), 0);
}

/// The same, in sequence and deterministically: runtime after runtime, each dropped (or shut
/// down with `shutdown_timeout` while calls of it are under way) before the next one calls.
#[test]
fn a_client_outlives_the_runtimes_that_used_it() {
    let retries = Arc::new(AtomicUsize::new(0));
    let client = counting_client(emulator(), &retries, 5);
    for round in 0..6 {
        let runtime = if round % 2 == 0 {
            tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap()
        } else {
            tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .enable_all()
                .build()
                .unwrap()
        };
        runtime.block_on(patch_nickname(&client, "round")).unwrap();
        if round == 3 {
            // Calls left running on the runtime when it is shut down. Their own retries (a
            // call cut by the shutdown, the emulator's answers to their load) are not counted:
            // counted, they failed this test once in CI (at `2a9fbf6`) where every measured
            // call had succeeded on its first attempt.
            for _ in 0..4 {
                let client = client.clone();
                runtime.spawn(UNMEASURED.scope((), async move {
                    while patch_nickname(&client, "x").await.is_ok() {}
                }));
            }
            runtime.block_on(patch_nickname(&client, "busy")).unwrap();
            runtime.shutdown_timeout(Duration::from_secs(10));
        } else {
            drop(runtime);
        }
    }
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(patch_nickname(&client, "last")).unwrap();
    assert_eq!(retries.load(Ordering::SeqCst), 0);
}

/// A call from one runtime while another runtime, alive but idle (a thread between two
/// `block_on`s), holds the connection of an earlier call. Sharing one pool, the call was
/// handed that connection, whose task nobody polled: it waited out the whole per-attempt
/// timeout (30 s by default) and went out again on its retry; with one attempt it failed
/// with `Timeout` although nothing had been sent. Each runtime has its own pool: the call
/// goes out at once.
#[test]
fn a_runtime_that_is_idle_does_not_hold_up_the_calls_of_another() {
    let retries = Arc::new(AtomicUsize::new(0));
    let client = counting_client(emulator(), &retries, 1);
    let idle = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    idle.block_on(patch_nickname(&client, "idle")).unwrap();
    let busy = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    for _ in 0..3 {
        busy.block_on(patch_nickname(&client, "busy")).unwrap();
    }
    // And back on the first runtime, whose own connection still serves it.
    idle.block_on(patch_nickname(&client, "idle again"))
        .unwrap();
    assert_eq!(retries.load(Ordering::SeqCst), 0);
}

/// One client (and its clones) used from several runtimes at once, each on its thread, and by
/// many concurrent tasks of a multi-thread runtime: every call succeeds on its first attempt.
#[test]
fn a_client_serves_several_runtimes_at_once() {
    let retries = Arc::new(AtomicUsize::new(0));
    let client = counting_client(emulator(), &retries, 1);
    let threads: Vec<_> = (0..3)
        .map(|thread| {
            let client = client.clone();
            std::thread::spawn(move || {
                let runtime = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .unwrap();
                for call in 0..15 {
                    runtime
                        .block_on(patch_nickname(&client, &format!("t{thread}c{call}")))
                        .unwrap();
                }
            })
        })
        .collect();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let mut calls = tokio::task::JoinSet::new();
        for call in 0..48 {
            let client = client.clone();
            calls.spawn(async move { patch_nickname(&client, &format!("m{call}")).await });
        }
        while let Some(result) = calls.join_next().await {
            result.unwrap().unwrap();
        }
        // From a blocking thread of the runtime, which is inside its context.
        let blocking = client.clone();
        tokio::task::spawn_blocking(move || {
            tokio::runtime::Handle::current().block_on(patch_nickname(&blocking, "blocking"))
        })
        .await
        .unwrap()
        .unwrap();
    });
    for thread in threads {
        thread.join().unwrap();
    }
    assert_eq!(retries.load(Ordering::SeqCst), 0);
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
        let job = SyncJob::new(&client, emulator().environment_id())
            .concurrency(2)
            .unwrap();
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

/// A reqwest client of the user's own (`ClientBuilder::http_client`), plain HTTP only.
fn own_http_client() -> reqwest::Client {
    own_http_client_builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

/// Polls `future` to completion on this thread with no tokio runtime, as
/// `futures::executor::block_on` (or another executor) does. Bounded: a hang fails the test.
fn block_on_without_tokio<F: Future>(future: F) -> F::Output {
    struct Unpark(std::thread::Thread);
    impl Wake for Unpark {
        fn wake(self: Arc<Self>) {
            self.0.unpark();
        }
    }
    let mut future = std::pin::pin!(future);
    let waker = Waker::from(Arc::new(Unpark(std::thread::current())));
    let mut context = Context::from_waker(&waker);
    let guard = std::time::Instant::now() + Duration::from_secs(60);
    loop {
        if let Poll::Ready(output) = future.as_mut().poll(&mut context) {
            return output;
        }
        assert!(std::time::Instant::now() < guard, "the future hangs");
        std::thread::park_timeout(Duration::from_millis(100));
    }
}

/// A call, a page of a list and a line of the sync job polled outside any tokio runtime:
/// `Error::NoRuntime`, which says what to do, and nothing is sent. It was a panic inside
/// reqwest: "there is no reactor running, must be called from the context of a Tokio 1.x
/// runtime". The rate limiter and a worker token fetch are no way around it.
#[test]
fn calls_outside_a_tokio_runtime_are_a_typed_error() {
    // Its own emulator: the requests it records are this test's alone.
    let emulator = &with_generated_users(Emulator::builder(), 5)
        .start()
        .unwrap();
    let retries = Arc::new(AtomicUsize::new(0));
    for client in [
        counting_client(emulator, &retries, 5),
        emulator_bearer_builder(emulator)
            .http_client(own_http_client())
            .build()
            .unwrap(),
    ] {
        let error = block_on_without_tokio(client.update_user(
            emulator.environment_id(),
            emulator.user_id(),
            &UserPatch::new().nickname("none"),
        ))
        .unwrap_err();
        assert!(matches!(error, Error::NoRuntime), "{error:?}");
        assert!(error.to_string().contains("no tokio runtime"), "{error}");
        assert!(!error.is_retryable());
        let mut listing =
            std::pin::pin!(client.list_users(emulator.environment_id(), &UserQuery::all()));
        let first = block_on_without_tokio(listing.try_next());
        assert!(matches!(first, Err(Error::NoRuntime)), "{first:?}");
        let job = SyncJob::new(&client, emulator.environment_id());
        let outcomes: Vec<_> = block_on_without_tokio(
            job.run(vec![Ok(
                r#"{"username": "user004", "title": "X"}"#.to_owned()
            )])
            .collect(),
        );
        assert_eq!(outcomes[0].status, Status::Failed);
        assert!(
            outcomes[0]
                .error
                .as_ref()
                .unwrap()
                .message
                .contains("no tokio runtime"),
            "{:?}",
            outcomes[0]
        );
    }
    assert!(emulator.requests().is_empty());
    assert_eq!(retries.load(Ordering::SeqCst), 0);
}

/// A runtime built without its time driver (`Builder::new_current_thread()` with
/// `enable_io()` alone): the client's HTTP stack (reqwest's per-request timeout) needs
/// timers, tokio panics, and tokio offers no way to tell beforehand. Pinned as documented
/// (README, "PingOne: the client"; `Client`'s rustdoc): build the runtime with `enable_all()`.
#[test]
#[should_panic(expected = "timers are disabled")]
fn a_runtime_without_timers_is_tokios_panic() {
    let client = shared_client().0.clone();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_io()
        .build()
        .unwrap();
    let _ = runtime.block_on(patch_nickname(&client, "no timers"));
}

/// The same for a runtime without its IO driver (`enable_time()` alone): tokio panics when
/// the connection is opened.
#[test]
#[should_panic(expected = "IO is disabled")]
fn a_runtime_without_io_is_tokios_panic() {
    let client = shared_client().0.clone();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .unwrap();
    let _ = runtime.block_on(patch_nickname(&client, "no io"));
}

/// Dropping the client, a listing stream part-read, a sync job's stream and the emulator: in
/// an async context, outside any runtime, and after the runtime that used them was shut
/// down. Nothing panics or blocks (the emulator's drop joins its own thread, whose runtime
/// is not the caller's).
#[test]
fn everything_drops_anywhere() {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let (client, listing, job_stream, own_emulator) = runtime.block_on(async {
        let own_emulator = with_generated_users(Emulator::builder(), 3)
            .start()
            .unwrap();
        let client = emulator_worker_builder(&own_emulator).build().unwrap();
        let mut listing =
            Box::pin(client.list_users(own_emulator.environment_id(), &UserQuery::all().limit(1)));
        listing.try_next().await.unwrap().unwrap();
        let job = SyncJob::new(&client, own_emulator.environment_id());
        let mut job_stream = Box::pin(job.run(vec![
            Ok(r#"{"username": "user001", "title": "A"}"#.to_owned()),
            Ok(r#"{"username": "user002", "title": "B"}"#.to_owned()),
        ]));
        job_stream.next().await.unwrap();
        // In an async context: a clone and an emulator of their own.
        drop(client.clone());
        let other = Emulator::start().unwrap();
        drop(other);
        (client, listing, job_stream, own_emulator)
    });
    runtime.shutdown_timeout(Duration::from_secs(10));
    // After the runtime, outside any runtime.
    drop(listing);
    drop(job_stream);
    drop(client);
    drop(own_emulator);
}

/// A runtime entered (`Runtime::enter`) while another executor polls the call: a
/// multi-thread runtime drives the call's connection and timers on its workers, and the call
/// succeeds; a `current_thread` runtime drives them only inside its `block_on`, so the call
/// waits (its per-attempt timeout is one of those timers, and does not fire either) until
/// the runtime is driven, and then completes. Pinned as documented (`Client`'s "Runtimes").
#[test]
fn an_entered_runtime_drives_calls_only_when_it_runs() {
    let client = shared_client().0.clone();
    let multi = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    {
        let _entered = multi.enter();
        block_on_without_tokio(patch_nickname(&client, "entered")).unwrap();
    }
    let current = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let mut call = Box::pin(patch_nickname(&client, "entered, not driven"));
    {
        let _entered = current.enter();
        let mut context = Context::from_waker(Waker::noop());
        for _ in 0..3 {
            assert!(call.as_mut().poll(&mut context).is_pending());
        }
    }
    current.block_on(call).unwrap();
}
