//! The job's stop as a line meets it between its lookup and its PATCH.

use std::sync::Arc;
use std::time::Duration;

use super::{ClaimTurn, Shared};
use crate::pingone::emulator::{Emulator, REFERENCE_USER_ID};
use crate::pingone::sync::outcome::{OutcomeError, Status};
use crate::pingone::sync::parse_line;
use crate::pingone::sync::seen_keys::SeenKeys;
use crate::pingone::{Client, TokenSource};

/// A line that found its user, then waited for an earlier line's turn to claim it, while
/// that earlier line stopped the job: it is not attempted, and no PATCH is sent, as for a line
/// that the stop reaches during its lookup. (Mutation testing: sending its PATCH anyway went
/// unnoticed; no test held a line between its lookup and its PATCH.)
#[tokio::test]
async fn a_stop_while_a_line_waits_for_its_turn_sends_no_patch() {
    let emulator = Emulator::builder().start().unwrap();
    let client = Client::builder()
        .api_base_url(emulator.api_base_url())
        .token(TokenSource::bearer(emulator.token()))
        .build()
        .unwrap();
    let shared = Arc::new(Shared::new(
        client,
        emulator.environment_id().to_owned(),
        false,
        false,
        SeenKeys::new(16),
        SeenKeys::new(16),
        5,
    ));
    let earlier = ClaimTurn::take(&shared, 1);
    let desired = parse_line(2, r#"{"username": "dspanner", "title": "CTO"}"#, None).unwrap();
    let turn = ClaimTurn::take(&shared, 2);
    let line = tokio::spawn({
        let shared = Arc::clone(&shared);
        async move { shared.sync(desired, turn).await }
    });
    // The lookup is sent, answered and read; the line then waits for line 1's turn.
    while emulator.requests().is_empty() {
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    tokio::time::sleep(Duration::from_secs(1)).await;
    assert!(!line.is_finished());
    shared.stop_with(1, OutcomeError::message("the job stops"));
    drop(earlier);
    let outcome = line.await.unwrap();
    assert_eq!(outcome.status, Status::NotAttempted, "{outcome:?}");
    // Found (not cut short in its lookup), and not sent.
    assert_eq!(outcome.user_id.as_deref(), Some(REFERENCE_USER_ID));
    assert!(
        emulator
            .requests()
            .iter()
            .all(|request| request.method != "PATCH"),
        "{:?}",
        emulator.requests()
    );
}

/// Turns of lines whose futures are dropped (the run dropped, or a line's future dropped while
/// it waited for its turn): a later line's wait, already polled, ends once the earlier turns
/// are gone, and a wait dropped midway holds no turn of its own.
#[tokio::test]
async fn turns_dropped_with_their_lines_hold_no_later_line() {
    use futures_util::FutureExt as _;
    let client = Client::builder()
        .api_base_url("http://127.0.0.1:9/v1")
        .token(TokenSource::bearer("token"))
        .build()
        .unwrap();
    let shared = Arc::new(Shared::new(
        client,
        "abfba8f6-49eb-49f5-a5d9-80ad5c98f9f6".to_owned(),
        false,
        false,
        SeenKeys::new(16),
        SeenKeys::new(16),
        5,
    ));
    let first = ClaimTurn::take(&shared, 1);
    let second = ClaimTurn::take(&shared, 2);
    let third = ClaimTurn::take(&shared, 3);
    // The second line waits, polled once, and is dropped while it waits.
    assert!(second.wait().now_or_never().is_none());
    drop(second);
    let waiting = third.wait();
    let mut waiting = std::pin::pin!(waiting);
    assert!(waiting.as_mut().now_or_never().is_none());
    drop(first);
    // Woken by the first turn's drop; the second's was dropped before.
    tokio::time::timeout(Duration::from_secs(30), waiting)
        .await
        .expect("the third line still waits for turns dropped");
    assert_eq!(shared.turns().iter().copied().collect::<Vec<_>>(), [3]);
}
