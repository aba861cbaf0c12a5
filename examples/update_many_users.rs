//! Update many users with bounded concurrency, and report each user's result.
//!
//! Offline: starts an emulator seeded with 12 users, injects a 429 and a 503 (the client
//! retries them), and also asks for a user that does not exist and for an invalid ID.

use std::sync::Arc;

use serde_json::json;
use sparse_patch::pingone::emulator::{Emulator, Fault};
use sparse_patch::pingone::{Client, RetryPolicy, TokenSource, UserPatch};
use tokio::sync::Semaphore;
use tokio::task::JoinSet;

/// At most this many requests in flight.
const CONCURRENCY: usize = 4;

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut builder = Emulator::builder().no_users();
    let mut ids = Vec::new();
    for n in 0..12 {
        let id = format!("00000000-0000-4000-8000-{n:012}");
        builder = builder.user(json!({
            "id": id, "username": format!("user{n}"), "email": format!("user{n}@example.com"),
        }));
        ids.push(id);
    }
    ids.push("ffffffff-0000-4000-8000-000000000000".to_owned()); // unknown: 404
    ids.push("../admin".to_owned()); // not an ID: refused before sending
    let emulator = builder.start()?;
    emulator.inject(Fault::RateLimited {
        retry_after: "1".into(),
    });
    emulator.inject(Fault::ServiceUnavailable { retry_after: None });

    let client = Client::builder()
        .api_base_url(emulator.api_base_url())
        .token(TokenSource::bearer(emulator.token()))
        .retry_policy(RetryPolicy::default().initial_backoff(std::time::Duration::from_millis(50)))
        .build()?;
    let env = emulator.environment_id().to_owned();
    let limit = Arc::new(Semaphore::new(CONCURRENCY));
    let mut tasks = JoinSet::new();
    for id in ids {
        let (client, env, limit) = (client.clone(), env.clone(), Arc::clone(&limit));
        tasks.spawn(async move {
            let _permit = limit
                .acquire_owned()
                .await
                .expect("the semaphore is never closed");
            let patch = UserPatch::new().title("Migrated").r#type("employee");
            (id.clone(), client.update_user(&env, &id, &patch).await)
        });
    }
    let mut results = tasks.join_all().await;
    results.sort_by(|a, b| a.0.cmp(&b.0));
    let mut failed = 0;
    for (id, result) in results {
        match result {
            Ok(user) => println!("ok     {id}  {} title={:?}", user.username, user.title),
            Err(error) => {
                failed += 1;
                println!("failed {id}  {error}");
            }
        }
    }
    println!(
        "{failed} failed, {} requests reached the emulator",
        emulator.requests().len()
    );
    Ok(())
}
