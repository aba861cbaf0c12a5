//! Issue 9 §3: listing users keeps the client's memory flat. The client lists 1,000 and then
//! 10,000 users in pages of 200 from the emulator, dropping each user as it arrives; a global
//! allocator counts the bytes live on the client's thread (the emulator serves from a thread
//! of its own), and the peak must not grow with ten times the users.

#[path = "support/emulator_client.rs"]
mod emulator_client;
use emulator_client::emulator_bearer_builder;

#[path = "support/thread_allocations.rs"]
mod thread_allocations;
#[path = "support/thread_server.rs"]
mod thread_server;
use thread_server::serving;

use std::time::Instant;

use futures_util::StreamExt;
use serde_json::json;
use sparse_patch::pingone::emulator::Emulator;
use sparse_patch::pingone::{Client, Error, MAX_BODY_BYTES, RetryPolicy, TokenSource, UserQuery};

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

/// A page of the largest body the client reads (`MAX_BODY_BYTES`, 16 MiB) holding some
/// 620,000 users of two empty members, which no PingOne page holds (200 at most): the list
/// read it whole before giving the first user, 1.2 GB live as `User`s (75 times the body) and
/// 285 MB as `serde_json::Value`s; refused, the error's check for a PingOne error body read it
/// into `serde_json::Value`s again (450 MB). The page is refused at its 201st user now, and
/// the peak stays within three bodies: the body, read whole first, and its text with the
/// token taken out, whose start the error keeps.
#[tokio::test(flavor = "current_thread")]
async fn a_page_of_small_users_filling_the_largest_body_keeps_memory_bounded() {
    const SMALL_USER: &[u8] = br#"{"username":"","email":""}"#;
    let mut body = br#"{"_embedded":{"users":["#.to_vec();
    let mut users = 0;
    while body.len() + SMALL_USER.len() + 8 < MAX_BODY_BYTES {
        if users > 0 {
            body.push(b',');
        }
        body.extend_from_slice(SMALL_USER);
        users += 1;
    }
    body.extend_from_slice(b"]}}");
    let address = serving(200, body);
    let client = Client::builder()
        .api_base_url(format!("http://{address}/v1"))
        .token(TokenSource::bearer("token"))
        .retry_policy(RetryPolicy::never())
        .build()
        .unwrap();
    let environment = "abfba8f6-49eb-49f5-a5d9-80ad5c98f9f6";
    thread_allocations::count_this_thread(true);
    let base = thread_allocations::reset_peak();
    let first = std::pin::pin!(client.list_users(environment, &UserQuery::all()))
        .next()
        .await;
    let peak = thread_allocations::peak() - base;
    thread_allocations::count_this_thread(false);
    println!("a page of {users} users: peak {peak} B");
    let Some(Err(Error::Decode { reason, .. })) = &first else {
        panic!("{first:?}");
    };
    assert!(reason.contains("more than 200 users"), "{reason}");
    let body = isize::try_from(MAX_BODY_BYTES).unwrap();
    assert!(
        peak < 3 * body,
        "peak {peak} B for a page of {users} users in a body of {body} B"
    );
}
