//! Calls whose callers' timeouts are shorter than the token endpoint takes to answer (a slow
//! spell of the token endpoint, a service that gives each request a short budget): the token
//! fetch that a timed-out call started is not thrown away, so the calls that come after it
//! get its token once it comes, rather than each starting a fetch of its own that its own
//! timeout cuts short in turn, none of them ever getting a token.
//!
//! No tight timed assertion: the emulator's slow token answers take at least `SLOW_TOKEN`,
//! longer than each call's `CALLER_TIMEOUT`, whatever the machine's load; the one call that
//! must be answered in time has 10 s for a token due 350 ms into it.

#[path = "support/emulator_client.rs"]
mod emulator_client;
use emulator_client::emulator_worker_builder;

use std::time::Duration;

use sparse_patch::pingone::emulator::{Emulator, Fault};
use sparse_patch::pingone::{RetryPolicy, UserPatch};

/// How long the emulator takes to answer each token request.
const SLOW_TOKEN: Duration = Duration::from_millis(600);

/// Each caller's own timeout, shorter than `SLOW_TOKEN`.
const CALLER_TIMEOUT: Duration = Duration::from_millis(250);

/// The calls made one after another, each cut by its caller's timeout or answered.
const CALLS: usize = 20;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn calls_with_a_timeout_shorter_than_the_token_endpoint_get_a_token() {
    let emulator = Emulator::builder().start().unwrap();
    for _ in 0..CALLS {
        emulator.inject_token_fault(Fault::Slow(SLOW_TOKEN));
    }
    let client = emulator_worker_builder(&emulator)
        .retry_policy(RetryPolicy::never())
        .build()
        .unwrap();
    let patch = UserPatch::new().nickname("n");
    let mut answered = 0;
    for _ in 0..CALLS {
        let call = client.update_user(emulator.environment_id(), emulator.user_id(), &patch);
        if let Ok(result) = tokio::time::timeout(CALLER_TIMEOUT, call).await {
            result.unwrap();
            answered += 1;
        }
    }
    // The first fetch takes `SLOW_TOKEN`, which the calls after it share once it comes: all
    // of them but the first few are answered. Each fetch cut short by its call's timeout,
    // none was, and every call made a token request of its own.
    assert!(
        answered >= CALLS / 2,
        "{answered} of {CALLS} calls answered, {} token requests",
        emulator.token_requests()
    );
    assert!(
        emulator.token_requests() < CALLS / 2,
        "{} token requests",
        emulator.token_requests()
    );
}

/// The calls cut short by their callers' timeouts, twice: once the first fetch left to run
/// ended (its token served), a later fetch that its callers give up is kept in its place,
/// not aborted because an abandoned fetch, long over, still held the place (mutation audit:
/// keeping the place taken by a fetch that had ended went unnoticed, and then the calls after
/// a revocation never got a token again).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_second_spell_of_slow_token_answers_after_a_revocation_gets_a_token_too() {
    let emulator = Emulator::builder()
        .token_lifetime(Duration::from_secs(3600))
        .start()
        .unwrap();
    let client = emulator_worker_builder(&emulator)
        .retry_policy(RetryPolicy::never())
        .build()
        .unwrap();
    let patch = UserPatch::new().nickname("n");
    for spell in 0..2 {
        if spell == 1 {
            assert!(emulator.revoke_issued_tokens() > 0);
        }
        for _ in 0..CALLS {
            emulator.inject_token_fault(Fault::Slow(SLOW_TOKEN));
        }
        let requests_before = emulator.token_requests();
        let mut answered = 0;
        for _ in 0..CALLS {
            let call = client.update_user(emulator.environment_id(), emulator.user_id(), &patch);
            if let Ok(result) = tokio::time::timeout(CALLER_TIMEOUT, call).await {
                result.unwrap();
                answered += 1;
            }
        }
        let requests = emulator.token_requests() - requests_before;
        assert!(
            answered >= CALLS / 2,
            "spell {spell}: {answered} of {CALLS} calls answered, {requests} token requests",
        );
        assert!(
            requests < CALLS / 2,
            "spell {spell}: {requests} token requests"
        );
    }
}

/// A call that waits for a fetch of its own while the fetch its predecessor's caller gave up
/// is still under way takes that fetch's token when it comes first, rather than wait for its
/// own (mutation audit: waiting for the call's own fetch alone went unnoticed, the calls
/// after it served by the cached token all the same). The first fetch answers after
/// `SLOW_TOKEN`, the second after `VERY_SLOW_TOKEN`: the second call ends with the first
/// fetch, well before its own timeout.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_call_takes_the_token_of_a_given_up_fetch_that_comes_before_its_own() {
    /// The second fetch's wait, far longer than the second call's timeout.
    const VERY_SLOW_TOKEN: Duration = Duration::from_secs(30);
    /// The second call's timeout: the first fetch ends `SLOW_TOKEN - CALLER_TIMEOUT` into it.
    const SECOND_CALL_TIMEOUT: Duration = Duration::from_secs(10);
    let emulator = Emulator::builder().start().unwrap();
    emulator.inject_token_fault(Fault::Slow(SLOW_TOKEN));
    emulator.inject_token_fault(Fault::Slow(VERY_SLOW_TOKEN));
    let client = emulator_worker_builder(&emulator)
        .retry_policy(RetryPolicy::never())
        .build()
        .unwrap();
    let patch = UserPatch::new().nickname("n");
    let first = client.update_user(emulator.environment_id(), emulator.user_id(), &patch);
    assert!(
        tokio::time::timeout(CALLER_TIMEOUT, first).await.is_err(),
        "the first call was answered before the slow token came"
    );
    let second = client.update_user(emulator.environment_id(), emulator.user_id(), &patch);
    tokio::time::timeout(SECOND_CALL_TIMEOUT, second)
        .await
        .expect("the second call waited for its own fetch, not the first one's token")
        .unwrap();
}

/// Every duration of the builder and the policy at `Duration::MAX` (meant as "no limit"): the
/// timeout of an attempt and of a connection, the refresh margin (at most half the token's
/// lifetime), the backoffs, the longest `Retry-After` waited and the consistency window. A
/// worker's call is answered, without a panic of an `Instant + Duration` past what the clock
/// holds (reqwest's and tokio's timers take such a wait as "far in the future").
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn durations_of_duration_max_are_no_limit() {
    let emulator = Emulator::builder().start().unwrap();
    let policy = RetryPolicy::default()
        .initial_backoff(Duration::MAX)
        .max_backoff(Duration::MAX)
        .max_retry_after(Duration::MAX)
        .consistency_window(Duration::MAX);
    let client = emulator_worker_builder(&emulator)
        .timeout(Duration::MAX)
        .connect_timeout(Duration::MAX)
        .refresh_before(Duration::MAX)
        .retry_policy(policy)
        .build()
        .unwrap();
    let patch = UserPatch::new().nickname("n");
    for _ in 0..2 {
        client
            .update_user(emulator.environment_id(), emulator.user_id(), &patch)
            .await
            .unwrap();
    }
    assert_eq!(emulator.token_requests(), 1);
}
