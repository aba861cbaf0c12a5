//! The users endpoints: `GET` and `PATCH /v1/environments/{environmentID}/users/{userID}`,
//! and the list, `GET /v1/environments/{environmentID}/users` (its pages are `listing`'s): the
//! request log, faults, the rate limit and the token check.
//!
//! One file per job: `user` (a user's endpoint: `GET`, `HEAD` and `PATCH`), `user_patch` (a
//! PATCH's body applied to the stored user: a merge patch or SCIM operations, PingOne's
//! rules), `user_list` (the list), `fault_path` (the rate limit, the queued fault and the
//! request log, which both endpoints go through), `token_check` (the bearer token),
//! `not_served` (another path: 404; another method: 405) and `unread_body` (a request whose
//! body was not read whole).

mod fault_path;
mod not_served;
mod token_check;
mod unread_body;
mod user;
mod user_list;
mod user_patch;

pub(super) use not_served::{not_found, token_method_not_allowed};
pub(super) use unread_body::close_unless_read;
pub(super) use user::users;
pub(super) use user_list::user_list;
