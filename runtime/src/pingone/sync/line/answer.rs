//! What PingOne's answer to a line's PATCH shows: the user read back when a 2xx answer
//! could not be read ([`Shared::read_back`]), and what another writer changed between the
//! line's lookup and its PATCH ([`changed_meanwhile`], [`key_changed_meanwhile`]).

use super::super::desired::{DesiredUser, MatchKey};
use super::super::plan::plan_patch;
use super::shared::Shared;
use crate::pingone::{Client, Error, User};

impl Shared {
    /// `answer`, PingOne's answer to the PATCH of `user_id`; or, for a 2xx whose body could
    /// not be read (cut short on the way: JSON that ends early, or a connection that closed
    /// before the `Content-Length`, [`Error::Incomplete`]; or not the model's shape), the
    /// user as a read now
    /// finds it, when it holds what the patch (`patch_json`) asked. PingOne applied that
    /// PATCH, and the client does not send it again: the line was `failed`, counted and run
    /// again as a failure, for a change that was made. When the read fails, or does not hold
    /// the patch (a read served before the write reached it, which PingOne's eventual
    /// consistency allows, would say "not applied" of a change that was), the answer's error
    /// stands: it says that PingOne did what was asked.
    pub(super) async fn read_back(
        &self,
        client: &Client,
        user_id: &str,
        patch_json: Option<&serde_json::Value>,
        answer: Result<User, Error>,
    ) -> Result<User, Error> {
        // Read whole but not readable, or cut short where the connection closed inside it
        // (`Error::Incomplete`: its 2xx status arrived, so the PATCH was carried out).
        let error = match answer {
            Err(
                error @ (Error::Decode {
                    status: 200..=299, ..
                }
                | Error::Incomplete {
                    status: 200..=299, ..
                }),
            ) => error,
            answer => return answer,
        };
        let Some(patch_json) = patch_json else {
            return Err(error);
        };
        match client.get_user(&self.environment_id, user_id).await {
            Ok(user)
                if serde_json::to_value(&user).is_ok_and(|read| {
                    crate::not_applied::not_applied_json(patch_json, &read).is_empty()
                }) =>
            {
                tracing::warn!(%error, "the answer to the PATCH could not be read: the user read back holds it");
                Ok(user)
            }
            _ => Err(error),
        }
    }
}

/// The attributes that `desired`'s line manages (dotted paths, `nickname`, `name.given`)
/// that `answer`, the user PingOne answered the line's PATCH with, does not hold as the line
/// asks, but for those in `ignored` (the patch's own, which PingOne did not apply): what the
/// plan found right when the line read the user, and so left out of the patch, and another
/// writer changed before the PATCH (a lost update, RFC 9110 §13.1.1, which PingOne's users
/// API offers no `If-Match` against). Compared as the plan compares ([`plan_patch`], numbers
/// by value) and as the check of the patch does ([`not_applied_json`](crate::not_applied::not_applied_json)):
/// an attribute is named only when both find it differs. Empty when the answer cannot be
/// planned against (it breaks a rule of its own) or written as JSON.
pub(super) fn changed_meanwhile(
    answer: &User,
    desired: &DesiredUser,
    ignored: &[String],
) -> Vec<String> {
    let Ok(rest) = plan_patch(answer, desired) else {
        return Vec::new();
    };
    if crate::Patch::is_empty(&rest) {
        return Vec::new();
    }
    let (Ok(rest), Ok(answer)) = (serde_json::to_value(&rest), serde_json::to_value(answer)) else {
        return Vec::new();
    };
    crate::not_applied::not_applied_json(&rest, &answer)
        .into_iter()
        .filter(|path| !ignored.contains(path))
        .collect()
}

/// The attribute (`username` or `email`) by which `key` found its user that `answer`, the
/// user PingOne answered the line's PATCH with, no longer holds as the key gives it (in any
/// case or Unicode form, as the lookup matches it: [`same_in_any_case`]): another writer
/// renamed the user between the lookup and the PATCH, which went by the ID the lookup found
/// (PingOne's "Update User" takes the user's ID, and its users API offers no `If-Match`
/// against a lost update, RFC 9110 §13.1.1). The line names its user by that key, not by the
/// ID: the user who holds it now, if anyone, is not the one patched. `None` for a key by `id`,
/// which the user keeps.
///
/// [`same_in_any_case`]: crate::pingone::listing::same_in_any_case
pub(super) fn key_changed_meanwhile(answer: &User, key: &MatchKey) -> Option<&'static str> {
    let held = match key {
        MatchKey::Id(_) => return None,
        MatchKey::Username(_) => &answer.username,
        MatchKey::Email(_) => &answer.email,
    };
    (!crate::pingone::listing::same_in_any_case(held, key.value())).then(|| key.attribute())
}
