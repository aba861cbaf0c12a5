//! Changes one element of a multi-valued custom attribute with SCIM operations (RFC 7644
//! §3.5.2), and prints what a merge patch would have sent next to the operations sent.
//!
//! The user's `badges` custom attribute is an array of objects identified by their `type`
//! (`#[patchable(key = "type")]`). A JSON merge patch must resend the whole array (RFC 7396), so
//! an element that someone else changed meanwhile would be overwritten; the SCIM operations of
//! `to_scim_patch` name the one element through a filter path
//! (`badges[type eq "work"].level`) and leave the others alone.
//!
//! ```text
//! cargo run --example scim_array_update
//! ```
//!
//! With no `PINGONE_*` variables it runs against the embedded emulator, whose user has three
//! badges. Against real PingOne (the variables of `update_user`), the user needs a JSON custom
//! attribute `badges` that holds such an array.

#[macro_use]
mod support;

use serde::{Deserialize, Serialize};
use serde_json::json;
use sparse_patch::pingone::emulator::{Emulator, reference_user};
use sparse_patch::{Patch, Patchable};

/// One badge: an element of the multi-valued attribute, identified by `type`.
#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Badge {
    r#type: String,
    level: u8,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    since: Option<String>,
}

/// The part of a PingOne user that this job reads and writes.
#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Member {
    username: String,
    #[patchable(key = "type")]
    #[serde(default)]
    badges: Vec<Badge>,
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> std::process::ExitCode {
    support::output::no_arguments();
    support::output::exit_status(run().await)
}

async fn run() -> Result<(), Box<dyn std::error::Error>> {
    let target = if support::targets_pingone() {
        support::connect()?
    } else {
        let mut user = reference_user();
        user["badges"] = json!([
            {"type": "work", "level": 1, "since": "2024-01-15"},
            {"type": "home", "level": 2},
            {"type": "club \"north\"", "level": 3}
        ]);
        support::offline(Emulator::builder().no_users().user(user).start()?)?
    };
    let (client, env, id) = (&target.client, &target.environment_id, &target.user_id);

    let base: Member = client.get_user_as(env, id).await?;
    let Some(work) = base.badges.iter().position(|badge| badge.r#type == "work") else {
        return Err(
            "the user has no `work` badge to change (see the example's documentation)".into(),
        );
    };
    let mut wanted = base.clone();
    wanted.badges[work].level += 1;
    wanted.badges[work].since = None;

    let patch = base.diff(&wanted);
    say!("A JSON merge patch (RFC 7396) resends the whole array:\n");
    say!("{}\n", serde_json::to_string_pretty(&patch)?);
    let operations = patch.to_scim_patch(&base)?;
    say!(
        "PATCH {}\nContent-Type: {}\n",
        client.user_url(env, id)?,
        sparse_patch::SCIM_PATCH_CONTENT_TYPE
    );
    say!("{}\n", serde_json::to_string_pretty(&operations)?);

    let updated = client.update_user_scim(env, id, &base, &patch).await?;
    say!("The badges returned:\n");
    say!("{}", serde_json::to_string_pretty(&updated.badges)?);
    assert_eq!(updated.badges[work], wanted.badges[work]);
    Ok(())
}

// The examples are built with the feature `schemars` on (for `examples/openapi.rs`), which asks
// every field type of a patch for its JSON Schema.
impl schemars::JsonSchema for Badge {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Badge".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "object",
            "properties": {
                "type": {"type": "string"},
                "level": {"type": "integer", "minimum": 0, "maximum": 255},
                "since": {"type": "string"}
            },
            "required": ["type", "level"]
        })
    }
}
