//! [`plan_patch`]: the smallest patch that gives a user the attributes a desired line
//! manages, and leaves the others alone.

use super::desired::{DesiredUser, LineError};
use crate::Patchable;
use crate::pingone::{User, UserPatch, preflight};

/// The patch that turns `current` into what `desired` asks for: the line's merge patch
/// applied to a copy of the user ([`Patchable::apply`], RFC 7396 §2), then the
/// [`diff`](Patchable::diff) from the user to that copy. It holds only the managed attributes
/// whose value differs: an attribute the line does not mention is never in it, one already
/// right is left out, and an empty patch means "no change".
///
/// The patch is checked against PingOne's rules (the client's pre-flight table: lengths,
/// patterns, the 16 KB limit), so that a value PingOne would refuse is reported with its line
/// before anything is sent.
///
/// ```
/// use sparse_patch::pingone::User;
/// use sparse_patch::pingone::sync::{parse_line, plan_patch};
///
/// let user: User = serde_json::from_value(serde_json::json!({
///     "id": "a38890a6-295a-4d58-9f6e-b72b05fba379", "username": "ada", "email": "ada@example.com",
///     "name": {"given": "Ada", "family": "Byron"}, "title": "Countess", "costCenter": "7"
/// }))?;
/// let line = r#"{"username": "ada", "name": {"family": "Lovelace"}, "title": "Countess", "costCenter": null}"#;
/// let patch = plan_patch(&user, &parse_line(1, line, None)?)?;
/// assert_eq!(serde_json::to_string(&patch)?, r#"{"name":{"family":"Lovelace"},"costCenter":null}"#);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # Errors
///
/// [`LineError::InvalidValue`] when the line's patch cannot be applied to this user (a
/// `photo` without `href` for a user who has no photo) or the planned patch breaks PingOne's
/// rules.
pub fn plan_patch(current: &User, desired: &DesiredUser) -> Result<UserPatch, LineError> {
    let mut wanted = current.clone();
    wanted
        .apply(desired.patch.clone())
        .map_err(|error| LineError::InvalidValue(error.to_string()))?;
    let patch = current.diff(&wanted);
    if !crate::Patch::is_empty(&patch) {
        // The client's own pre-flight: it serializes the patch and checks it on the way. Its
        // words only: what the client would then do (send nothing) is not the plan's to say,
        // and a dry run never sends anyway.
        preflight::check_rules(&patch)
            .map_err(|error| LineError::InvalidValue(error.to_string()))?
            .map_err(|broken| LineError::InvalidValue(broken.0))?;
    }
    Ok(patch)
}
