//! Update many users with bounded concurrency, and report each user's result as it completes
//! (at most `CONCURRENCY` requests in flight and in memory at once).
//!
//! Offline: starts an emulator seeded with 12 users, injects a 429 and a 503 (the client
//! retries them), and also asks for a user that does not exist and for an invalid ID.

#[macro_use]
#[path = "support/output.rs"]
mod output;

use std::collections::HashMap;

use serde_json::json;
use sparse_patch::pingone::emulator::{Emulator, Fault};
use sparse_patch::pingone::{Client, RetryPolicy, TokenSource, UserPatch};
use tokio::task::JoinSet;

/// At most this many requests in flight.
const CONCURRENCY: usize = 4;

#[tokio::main(flavor = "current_thread")]
async fn main() -> std::process::ExitCode {
    output::no_arguments();
    output::exit_status(run().await)
}

async fn run() -> Result<(), Box<dyn std::error::Error>> {
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

    let retries = RetryPolicy::default()
        .initial_backoff(std::time::Duration::from_millis(50))
        .on_retry(|event| {
            let got = event
                .status
                .map_or_else(|| "no answer".to_owned(), |status| status.to_string());
            if event.held_by_retry_after {
                // Another call's 429 asked the whole client to wait.
                say!(
                    "hold   another call got {got}; waiting {} ms",
                    event.wait.as_millis()
                );
            } else {
                say!(
                    "retry  attempt {} got {got}; waiting {} ms",
                    event.attempt,
                    event.wait.as_millis()
                );
            }
        });
    let client = Client::builder()
        .api_base_url(emulator.api_base_url())
        .token(TokenSource::bearer(emulator.token()))
        .retry_policy(retries)
        .build()?;
    let env = emulator.environment_id().to_owned();
    let mut ids = ids.into_iter();
    let mut tasks = JoinSet::new();
    // The user of each task in flight: a task that panics (or is cancelled) is reported
    // under its user too, and the others go on.
    let mut in_flight = HashMap::new();
    let mut failed = 0;
    loop {
        // Keep CONCURRENCY updates in flight; report each one as it completes.
        while tasks.len() < CONCURRENCY {
            let Some(id) = ids.next() else { break };
            let (client, env, user_id) = (client.clone(), env.clone(), id.clone());
            let task = tasks.spawn(async move {
                let patch = UserPatch::new().title("Migrated").r#type("employee");
                client.update_user(&env, &user_id, &patch).await
            });
            in_flight.insert(task.id(), id);
        }
        let Some(done) = tasks.join_next_with_id().await else {
            break;
        };
        let task = match &done {
            Ok((task, _)) => *task,
            Err(error) => error.id(),
        };
        let id = in_flight.remove(&task).unwrap_or_default();
        match done {
            Ok((_, Ok(user))) => say!(
                "ok     {id}  {} title={}",
                user.username,
                output::json(&user.title)
            ),
            Ok((_, Err(error))) => {
                failed += 1;
                say!("failed {id}  {error}");
            }
            Err(error) => {
                failed += 1;
                say!("failed {id}  the update's task ended without a result: {error}");
            }
        }
    }
    // The two IDs added on purpose fail; any other failure is the example's own.
    say!(
        "{failed} failed (expected: 2, the unknown user and the invalid ID added on purpose), \
         {} requests reached the emulator",
        emulator.requests().len()
    );
    if failed != 2 {
        return Err(format!("{failed} updates failed where 2 were expected").into());
    }
    Ok(())
}
