//! The main job: send the reference request of PingOne's "Update User (PATCH)" page, a new
//! `photo.href`, and print the JSON body sent and the user returned.
//!
//! With no `PINGONE_*` environment variables it runs against the embedded emulator:
//!
//! ```text
//! cargo run --example update_user
//! ```
//!
//! Against real PingOne set `PINGONE_API_PATH` (or `PINGONE_REGION`), `PINGONE_ACCESS_TOKEN`
//! (or `PINGONE_CLIENT_ID` and `PINGONE_CLIENT_SECRET` of a worker application),
//! `PINGONE_ENV_ID` and `PINGONE_USER_ID`; `PINGONE_USER_IMAGE` picks the image URL.

#[macro_use]
mod support;

use sparse_patch::pingone::{PhotoPatch, UserPatch};

#[tokio::main(flavor = "current_thread")]
async fn main() -> std::process::ExitCode {
    support::output::no_arguments();
    support::output::exit_status(run().await)
}

async fn run() -> Result<(), Box<dyn std::error::Error>> {
    let target = support::connect()?;
    let image = std::env::var("PINGONE_USER_IMAGE").unwrap_or_else(|_| {
        "https://uploads.pingone.com/environments/abfba8f6-49eb-49f5-a5d9-80ad5c98f9f6/images/new-photo.png".to_owned()
    });

    // {"photo": {"href": "{{userImage}}"}}: only the photo is sent, nothing else changes.
    let patch = UserPatch::new().photo(PhotoPatch::new().href(image));

    say!(
        "PATCH {}",
        target
            .client
            .user_url(&target.environment_id, &target.user_id)?
    );
    say!("Content-Type: application/json\n");
    say!("{}\n", serde_json::to_string_pretty(&patch)?);

    let user = target
        .client
        .update_user(&target.environment_id, &target.user_id, &patch)
        .await?;

    say!("The user PingOne returned:\n");
    say!("{}\n", serde_json::to_string_pretty(&user)?);
    say!(
        "photo.href is now {}",
        user.photo
            .as_ref()
            .map_or("(none)", |photo| photo.href.as_str())
    );
    say!(
        "updatedAt is now {}",
        user.updated_at.as_deref().unwrap_or("(none)")
    );
    Ok(())
}
