//! What an HR feed does: for each row (a username and the title it should have), find the
//! user, send only the change, and leave a trail. Runs offline against the embedded emulator,
//! seeded with a few users.
//!
//! Shows `find_user_by_username`, a diff as the patch, correlation IDs per run and per row,
//! the client-side rate limit, and a filtered, paged list of users.

#[macro_use]
#[path = "support/output.rs"]
mod output;

use futures_util::TryStreamExt;
use serde_json::json;
use sparse_patch::Patchable;
use sparse_patch::pingone::emulator::Emulator;
use sparse_patch::pingone::{
    Client, Correlation, TokenSource, UserAttribute, UserFilter, UserQuery,
};

#[tokio::main(flavor = "current_thread")]
async fn main() -> std::process::ExitCode {
    output::no_arguments();
    output::exit_status(run().await)
}

async fn run() -> Result<(), Box<dyn std::error::Error>> {
    let mut builder = Emulator::builder().no_users();
    for (n, name) in ["ada", "alan", "grace", "edsger"].iter().enumerate() {
        builder = builder.user(json!({
            "id": format!("00000000-0000-4000-8000-{n:012}"),
            "username": name,
            "email": format!("{name}@example.com"),
            "title": "Engineer",
        }));
    }
    let emulator = builder.start()?;
    let env = emulator.environment_id();
    let client = Client::builder()
        .api_base_url(emulator.api_base_url())
        .token(TokenSource::bearer(emulator.token()))
        .rate_limit(50) // stay well under the tenant's limit, whatever the concurrency
        .correlation(Correlation::new().session_id("hr-feed-example")?)
        .build()?;

    let feed = [
        ("ada", "Principal Engineer"),
        ("grace", "Engineer"), // already right: nothing is sent
        ("nobody", "Intern"),  // not in the directory
    ];
    for (row, (username, title)) in feed.iter().enumerate() {
        let call =
            client.with_correlation(Correlation::new().transaction_id(&format!("row-{row}"))?);
        let Some(user) = call.find_user_by_username(env, username).await? else {
            say!("skip   {username}: no such user");
            continue;
        };
        let mut wanted = user.clone();
        wanted.title = Some((*title).to_owned());
        let patch = user.diff(&wanted);
        if patch.is_empty() {
            say!("same   {username}");
            continue;
        }
        let id = user.id.as_deref().ok_or("a user without an id")?;
        say!("PATCH  {username} {}", serde_json::to_string(&patch)?);
        call.update_user(env, id, &patch).await?;
    }

    // Everyone whose username starts with "a", page by page.
    let query = UserQuery::filtered(UserFilter::sw(UserAttribute::Username, "a")).limit(1);
    let names: Vec<String> = client
        .list_users(env, &query)
        .map_ok(|user| format!("{} ({})", user.username, user.title.unwrap_or_default()))
        .try_collect()
        .await?;
    say!("users starting with a: {}", names.join(", "));
    assert_eq!(names, ["ada (Principal Engineer)", "alan (Engineer)"]);
    let patches = emulator
        .requests()
        .iter()
        .filter(|request| request.method == "PATCH")
        .count();
    assert_eq!(patches, 1);
    Ok(())
}
