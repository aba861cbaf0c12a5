//! Calls whose callers' timeouts are shorter than the token endpoint takes to answer (a slow
//! spell of the token endpoint, a service that gives each request a short budget): the token
//! fetch that a timed-out call started is not thrown away, so the calls that come after it
//! get its token once it comes, rather than each starting a fetch of its own that its own
//! timeout cuts short in turn, none of them ever getting a token.
//!
//! No timed assertion: the emulator's slow token answers take at least `SLOW_TOKEN`, longer
//! than each call's `CALLER_TIMEOUT`, whatever the machine's load.

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
