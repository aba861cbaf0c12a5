//! Issue 9 §3: listing users keeps the client's memory flat. The client lists 1,000 and then
//! 10,000 users in pages of 200 from the emulator, dropping each user as it arrives; a global
//! allocator counts the bytes live on the client's thread (the emulator serves from a thread
//! of its own), and the peak must not grow with ten times the users.

#[path = "support/emulator_client.rs"]
mod emulator_client;
use emulator_client::emulator_bearer_builder;

#[path = "support/thread_allocations.rs"]
mod thread_allocations;

use std::time::Instant;

use futures_util::StreamExt;
use serde_json::json;
use sparse_patch::pingone::UserQuery;
use sparse_patch::pingone::emulator::Emulator;

fn emulator_with(users: usize) -> Emulator {
    let emulator = Emulator::builder().no_users().start().unwrap();
    for n in 0..users {
        emulator.insert_user(json!({
            "id": format!("00000000-0000-4000-8000-{n:012}"),
            "username": format!("user{n:05}"),
            "email": format!("user{n:05}@example.com"),
            "name": {"given": "Given", "family": "Family"},
        }));
    }
    emulator
}

/// Lists every user of `emulator` in pages of 200, dropping each; returns how many, and the
/// peak of the bytes live on this thread above what was live before.
async fn list_all(emulator: &Emulator) -> (usize, isize) {
    let client = emulator_bearer_builder(emulator).build().unwrap();
    let base = thread_allocations::reset_peak();
    let mut users = std::pin::pin!(client.list_users(emulator.environment_id(), &UserQuery::all()));
    let mut count = 0;
    while let Some(user) = users.next().await {
        assert!(user.unwrap().username.starts_with("user"));
        count += 1;
    }
    (count, thread_allocations::peak() - base)
}

#[tokio::test(flavor = "current_thread")]
async fn listing_ten_times_the_users_keeps_the_clients_memory_flat() {
    let small = emulator_with(1_000);
    let large = emulator_with(10_000);
    thread_allocations::count_this_thread(true);
    // A first run warms the connection pool and lazily built state.
    list_all(&small).await;
    let start = Instant::now();
    let (small_count, small_peak) = list_all(&small).await;
    let small_time = start.elapsed();
    let start = Instant::now();
    let (large_count, large_peak) = list_all(&large).await;
    let large_time = start.elapsed();
    thread_allocations::count_this_thread(false);
    assert_eq!((small_count, large_count), (1_000, 10_000));
    println!(
        "1,000 users: {small_time:?}, peak {small_peak} B; 10,000 users: {large_time:?}, peak {large_peak} B"
    );
    // One page is live at a time: the peak is that of a page, whatever the total.
    assert!(
        large_peak < small_peak + small_peak / 2,
        "peak {large_peak} B for 10,000 users against {small_peak} B for 1,000"
    );
    assert_eq!(small.requests().len(), 10);
    assert_eq!(large.requests().len(), 50);
}
