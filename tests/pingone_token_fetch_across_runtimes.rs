//! A worker's token fetch shared by calls of two tokio runtimes: the fetch runs on a task of
//! the runtime of the call that started it, and a `current_thread` runtime runs its tasks
//! only inside `block_on`. A call of another runtime that waits for that fetch must not wait
//! for a runtime that nobody drives (a thread between two `block_on`s, its own call dropped
//! by its timeout).
//!
//! No timed assertion: the timeouts here only bound a hang.

#[path = "support/emulator_client.rs"]
mod emulator_client;
use emulator_client::emulator_worker_builder;

use std::future::Future;
use std::pin::Pin;
use std::task::Poll;
use std::time::Duration;

use sparse_patch::pingone::emulator::{Emulator, Fault};
use sparse_patch::pingone::{Client, Error, RetryPolicy, UserPatch};

/// How long a call may take before the test calls it a hang: the emulator's slow token
/// answer (`SLOW_TOKEN`) and a second fetch, with room for a loaded machine.
const HANG: Duration = Duration::from_secs(20);

/// How long the emulator holds the first token answer: long after the first runtime stops
/// being driven, so that its fetch cannot end while it is.
const SLOW_TOKEN: Duration = Duration::from_secs(2);

type Call = Pin<Box<dyn Future<Output = Result<(), Error>> + Send>>;

fn current_thread_runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

/// A call that sets the nickname of the emulator's user.
fn patch_nickname(client: &Client, emulator: &Emulator, nickname: &str) -> Call {
    let client = client.clone();
    let environment_id = emulator.environment_id().to_owned();
    let user_id = emulator.user_id().to_owned();
    let patch = UserPatch::new().nickname(nickname);
    Box::pin(async move {
        client
            .update_user(&environment_id, &user_id, &patch)
            .await
            .map(drop)
    })
}

/// Call A, on a `current_thread` runtime, starts the token fetch and is dropped once its
/// request reached the token endpoint (its caller's timeout), the runtime then idle (its
/// `block_on` returned); call B, on another runtime, had found the fetch under way and waits
/// for it. The fetch's task belongs to the idle runtime, which never reads the answer: B
/// waited for ever (or until that runtime was dropped). B now fetches a token of its own.
#[test]
fn a_call_does_not_wait_for_a_fetch_of_an_idle_runtime() {
    let emulator = Emulator::builder().start().unwrap();
    let client = emulator_worker_builder(&emulator)
        .retry_policy(RetryPolicy::never())
        .timeout(HANG)
        .build()
        .unwrap();
    emulator.inject_token_fault(Fault::Slow(SLOW_TOKEN));
    let first = current_thread_runtime();
    let second = current_thread_runtime();
    let mut call_a = patch_nickname(&client, &emulator, "a");
    let mut call_b = patch_nickname(&client, &emulator, "b");
    first.block_on(async {
        // A until its token request reached the emulator (which holds the answer).
        while emulator.token_requests() == 0 {
            tokio::select! {
                biased;
                result = &mut call_a => panic!("call A ended before its token came: {result:?}"),
                () = tokio::task::yield_now() => {}
            }
        }
    });
    second.block_on(async {
        // B once: it finds the fetch under way.
        let pending =
            std::future::poll_fn(|context| Poll::Ready(call_b.as_mut().poll(context).is_pending()))
                .await;
        assert!(pending, "call B ended before the fetch did");
    });
    // A's caller gives up; the first runtime is idle from now on, and kept.
    drop(call_a);
    second
        .block_on(async { tokio::time::timeout(HANG, call_b).await })
        .expect("call B waited for the fetch of a runtime that nobody drives")
        .unwrap();
    drop(first);
}

/// How long the emulator takes to answer each token request in
/// [`an_idle_runtime_s_abandoned_fetch_does_not_starve_the_calls_of_another`].
const SLOW_SPELL: Duration = Duration::from_millis(600);

/// Each caller's own timeout there, shorter than `SLOW_SPELL`.
const CALLER_TIMEOUT: Duration = Duration::from_millis(250);

/// The calls made there one after another on the second runtime.
const CALLS: usize = 20;

/// Call A, on a `current_thread` runtime, starts a token fetch and is dropped by its caller's
/// timeout, the runtime then idle and kept: its fetch, abandoned by its callers, never ends.
/// The calls of another runtime, each with a timeout shorter than the token endpoint takes to
/// answer, must still get a token, as they do without A (`pingone_token_fetch_timeouts`): the
/// cache kept one abandoned fetch, the oldest (A's), and aborted each later one as its caller
/// gave up, so that none of the second runtime's fetches ever ended and none of its 20 calls
/// got a token, each sending a token request.
#[test]
fn an_idle_runtime_s_abandoned_fetch_does_not_starve_the_calls_of_another() {
    let emulator = Emulator::builder().start().unwrap();
    let client = emulator_worker_builder(&emulator)
        .retry_policy(RetryPolicy::never())
        .timeout(HANG)
        .build()
        .unwrap();
    for _ in 0..=CALLS {
        emulator.inject_token_fault(Fault::Slow(SLOW_SPELL));
    }
    let first = current_thread_runtime();
    let second = current_thread_runtime();
    let mut call_a = patch_nickname(&client, &emulator, "a");
    first.block_on(async {
        while emulator.token_requests() == 0 {
            tokio::select! {
                biased;
                result = &mut call_a => panic!("call A ended before its token came: {result:?}"),
                () = tokio::task::yield_now() => {}
            }
        }
    });
    // A's caller gives up; the first runtime is idle from now on, and kept.
    drop(call_a);
    let answered = second.block_on(async {
        let mut answered = 0;
        for call in 0..CALLS {
            let call = patch_nickname(&client, &emulator, &format!("b{call}"));
            if let Ok(result) = tokio::time::timeout(CALLER_TIMEOUT, call).await {
                result.unwrap();
                answered += 1;
            }
        }
        answered
    });
    assert!(
        answered >= CALLS / 2,
        "{answered} of {CALLS} calls answered, {} token requests",
        emulator.token_requests()
    );
    drop(first);
}

/// Polls `call` once inside `runtime`, expecting it to wait (for a token).
fn poll_once_in(runtime: &tokio::runtime::Runtime, call: &mut Call) {
    runtime.block_on(async {
        let pending =
            std::future::poll_fn(|context| Poll::Ready(call.as_mut().poll(context).is_pending()))
                .await;
        assert!(pending, "the call ended before its token came");
    });
}

/// Calls of two `current_thread` runtimes that come in turn while the token is fetched (the
/// worker threads of a server, each with a runtime of its own, as actix-web's are): each
/// runtime's calls share one fetch, its runtime's. The cache remembered one fetch under way,
/// the last started: a call that found the other runtime's started one more, which the other
/// runtime's next call did not wait for either, so that every call sent a token request
/// (8 for 8 calls here, for as many calls as came during the token endpoint's answer).
#[test]
fn the_calls_of_two_runtimes_in_turn_make_one_fetch_each() {
    let emulator = Emulator::builder().start().unwrap();
    let client = emulator_worker_builder(&emulator)
        .retry_policy(RetryPolicy::never())
        .timeout(HANG)
        .build()
        .unwrap();
    emulator.inject_token_fault(Fault::Slow(Duration::from_millis(300)));
    emulator.inject_token_fault(Fault::Slow(Duration::from_millis(300)));
    let runtimes = [current_thread_runtime(), current_thread_runtime()];
    let mut calls: [Vec<Call>; 2] = Default::default();
    for turn in 0..8 {
        let side = turn % 2;
        let mut call = patch_nickname(&client, &emulator, &format!("n{turn}"));
        poll_once_in(&runtimes[side], &mut call);
        calls[side].push(call);
    }
    for (runtime, calls) in runtimes.iter().zip(calls) {
        runtime.block_on(async {
            for call in calls {
                tokio::time::timeout(HANG, call).await.unwrap().unwrap();
            }
        });
    }
    assert!(
        emulator.token_requests() <= 2,
        "{} token requests",
        emulator.token_requests()
    );
}
