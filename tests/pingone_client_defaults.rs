//! The defaults and bounds the chapter "PingOne: the client" states as numbers, as the public
//! API gives them: a change of one is a change of the chapter too. (The behaviour each one
//! governs is pinned by the tests the chapter names; `MAX_PAGE_SIZE`:
//! tests/pingone_listing_page_size.rs; `MAX_BODY_BYTES`:
//! tests/pingone_unread_body_content_type.rs.)

use std::time::Duration;

use sparse_patch::pingone::{
    Client, MAX_EMPTY_PAGES, MAX_FILTER_DEPTH, MAX_PAGE_SIZE, REFUSAL_HOLD, RetryPolicy,
};

/// **Configuration**: a per-attempt `timeout` of 30 s and a `refresh_before` of 60 s unless
/// set, as the builder's `Debug` shows them.
#[test]
fn the_builder_times_out_after_30_s_and_refreshes_60_s_early() {
    let shown = format!("{:?}", Client::builder());
    assert!(shown.contains("timeout: 30s,"), "{shown}");
    assert!(shown.contains("refresh_before: 60s,"), "{shown}");
}

/// **Retries**: 5 attempts, a backoff from 500 ms capped at 30 s, a `Retry-After` waited up
/// to 60 s.
#[test]
fn the_retry_policy_makes_5_attempts_and_waits_a_retry_after_up_to_60_s() {
    let policy = RetryPolicy::default();
    let shown = format!("{policy:?}");
    for field in [
        "max_attempts: 5,",
        "initial_backoff: 500ms,",
        "max_backoff: 30s,",
        "max_retry_after: 60s,",
    ] {
        assert!(shown.contains(field), "{field} in {shown}");
    }
}

/// **Tokens**: a refusal no retry can fix is remembered for 5 s.
#[test]
fn a_token_refusal_is_held_5_s() {
    assert_eq!(REFUSAL_HOLD, Duration::from_secs(5));
}

/// **Nesting** and **Paging**: 32 levels of filter; 16 pages in a row without a new user; a
/// user answered again by a lookup up to 216 times (the two page bounds together).
#[test]
fn filters_nest_32_levels_and_16_pages_without_a_new_user_end_a_list() {
    assert_eq!(MAX_FILTER_DEPTH, 32);
    assert_eq!(MAX_EMPTY_PAGES, 16);
    assert_eq!(MAX_PAGE_SIZE + MAX_EMPTY_PAGES, 216);
}
