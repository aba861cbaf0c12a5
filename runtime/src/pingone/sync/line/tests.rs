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
