//! Clearing an attribute with JSON `null` (RFC 7396 §2): set a nickname, then clear it and the
//! family name.
//!
//! Runs against the embedded emulator unless `PINGONE_*` variables are set (see
//! `update_user.rs`).

#[macro_use]
mod support;

use sparse_patch::pingone::{NamePatch, UserPatch};

#[tokio::main(flavor = "current_thread")]
async fn main() -> std::process::ExitCode {
    support::output::no_arguments();
    support::output::exit_status(run().await)
}

async fn run() -> Result<(), Box<dyn std::error::Error>> {
    let target = support::connect()?;
    let (env, id) = (&target.environment_id, &target.user_id);

    let set = UserPatch::new().nickname("Dave");
    say!("PATCH {}", serde_json::to_string(&set)?);
    let user = target.client.update_user(env, id, &set).await?;
    say!(
        "  nickname is now {}",
        support::output::json(&user.nickname)
    );

    // `clear_*` sends null: PingOne removes the attribute. Here the nickname and the family
    // name; the given name, which the patch leaves out, stays.
    let clear = UserPatch::new()
        .clear_nickname()
        .name(NamePatch::new().clear_family());
    say!("PATCH {}", serde_json::to_string(&clear)?);
    let user = target.client.update_user(env, id, &clear).await?;
    say!(
        "  nickname is now {}",
        support::output::json(&user.nickname)
    );
    say!("  name is now {}", support::output::json(&user.name));
    assert_eq!(user.nickname, None);
    assert_eq!(user.name.and_then(|name| name.family), None);
    Ok(())
}
