//! Get a user, change it as a plain Rust value, compute the patch with `diff`, and send only
//! that.
//!
//! Runs against the embedded emulator unless `PINGONE_*` variables are set (see
//! `update_user.rs`).

#[macro_use]
mod support;

use sparse_patch::Patchable;

#[tokio::main(flavor = "current_thread")]
async fn main() -> std::process::ExitCode {
    support::output::no_arguments();
    support::output::exit_status(run().await)
}

async fn run() -> Result<(), Box<dyn std::error::Error>> {
    let target = support::connect()?;
    let (env, id) = (&target.environment_id, &target.user_id);

    let current = target.client.get_user(env, id).await?;
    say!("GET: {} <{}>", current.username, current.email);

    let mut wanted = current.clone();
    wanted.title = Some("Staff Engineer".to_owned());
    if let Some(name) = wanted.name.as_mut() {
        name.middle = Some("J".to_owned());
    }
    wanted.timezone = Some("Europe/Paris".to_owned());

    let patch = current.diff(&wanted);
    say!("diff: {}", serde_json::to_string(&patch)?);

    let updated = target.client.update_user(env, id, &patch).await?;
    say!("updated at {}:", support::output::json(&updated.updated_at));
    say!("  title    {}", support::output::json(&updated.title));
    say!("  name     {}", support::output::json(&updated.name));
    say!("  timezone {}", support::output::json(&updated.timezone));

    // Nothing left to change: an empty patch sends no PATCH (the client reads the user).
    let again = updated.diff(&updated);
    assert!(sparse_patch::Patch::is_empty(&again));
    Ok(())
}
