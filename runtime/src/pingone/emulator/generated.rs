//! [`generated_user`]: the generated users of the emulator program (`--generate N`) and of the
//! `sync_users` example's offline mode, one naming scheme for both.

use serde_json::{Value, json};

/// Generated user number `n` (from 1): ID `00000000-0000-4000-8000-{n:012}`, username
/// `user{n:03}` (`user001`, `user042`, `user100`, `user1000`), email
/// `user{n:03}@example.com`, name `Given{n} Family{n}`, title `Engineer`, department `R&D`.
/// The `id` is a UUID for `n` up to 999,999,999,999 (12 digits); past it, its last group is
/// longer, and [`EmulatorBuilder::start`](super::EmulatorBuilder::start) refuses the user.
///
/// The sync feed of the guide's chapter on the sync job (`docs/sync_job/`) and the
/// `sync_users` demo name these users, so that a feed written for one runs against the other
/// (`pingone-emulator --generate 100`, or `sync_users` with no `PINGONE_*` variables).
///
/// ```
/// use sparse_patch::pingone::emulator::generated_user;
///
/// let user = generated_user(7);
/// assert_eq!(user["id"], "00000000-0000-4000-8000-000000000007");
/// assert_eq!(user["username"], "user007");
/// assert_eq!(user["email"], "user007@example.com");
/// ```
#[must_use]
pub fn generated_user(n: usize) -> Value {
    json!({
        "id": format!("00000000-0000-4000-8000-{n:012}"),
        "username": format!("user{n:03}"),
        "email": format!("user{n:03}@example.com"),
        "name": {"given": format!("Given{n}"), "family": format!("Family{n}")},
        "title": "Engineer",
        "department": "R&D",
    })
}
