//! The sync job: make PingOne users match a desired-state feed (an HR export, a directory
//! dump), sending only what changed, with real `null`s, and never touching what the feed does
//! not manage.
//!
//! The feed is JSON Lines, one desired user per line. A line names its user by `id`, else
//! `username`, else `email`, and lists only the attributes it manages:
//!
//! ```text
//! {"username": "ada", "title": "Countess", "name": {"family": "Lovelace"}, "nickname": null}
//! {"id": "a38890a6-295a-4d58-9f6e-b72b05fba379", "costCenter": "R&D"}
//! ```
//!
//! - The key is not changed by its own line: to rename a user or change an email, name the
//!   user by `id` (a line with `id` and `username` sets the username). So a rerun of a run
//!   killed after a rename's PATCH landed, whose outcome it never wrote, still finds the user
//!   by the same key, and the line is `unchanged`: no line is looked up by a name that it
//!   changed itself.
//! - An attribute the line does not mention is never touched; `null` clears one; a nested
//!   object merges (`name.family` alone leaves `name.given`); custom attributes work the same
//!   way (RFC 7396 §2, as PingOne's PATCH applies it).
//! - Each line becomes the smallest typed patch from the user as read to the user as desired
//!   ([`plan_patch`]); an empty one sends nothing.
//! - Unknown or read-only attributes, `null` on a required attribute, values of the wrong
//!   type, a line without a key and two lines for one user are [`LineError`]s, reported with
//!   their line number; the job goes on. `identityProvider` is refused too, though PingOne's
//!   reference has its `id` mutable: the job's patch, [`UserPatch`](super::UserPatch), cannot
//!   send it, and the error says so (change it with [`Client::update_user`](super::Client::update_user)
//!   and a model of your own); a read-only one that something else changes is named with it
//!   (`enabled (it has its own call: PUT .../enabled)`, `account (lock and unlock have their
//!   own calls)`). No attribute of a line is read and left out: each is sent or refused.
//! - Two lines for one user: the first is applied; a later one is a duplicate naming the line
//!   that claimed the user, with the user's ID; a line repeating a key that found no user (or
//!   several) is not found (or ambiguous), naming the line that looked it up
//!   ([`SyncJob`], "Two lines for one user").
//! - Memory: the lines in flight, and the keys kept to tell two lines for one user anywhere
//!   in the feed (each line's key and its user's ID, about 200 bytes a line) up to
//!   [`DEFAULT_KEYS_IN_MEMORY`] of each; past that they move to a temporary file, and memory
//!   stays flat however long the feed is ([`SyncJob::keys_in_memory`]; `BENCHMARKS.md`).
//!
//! The parts, one file each: `desired` (reading a line: [`parse_line`], [`DesiredUser`],
//! [`MatchKey`], [`LineError`]), `unique_names` (refusing a member named twice in a line's
//! JSON), `key_members` (a refused line's key, read from its top level), `plan` ([`plan_patch`]), `changes` ([`PlannedChanges`]: what a
//! planned patch changes, with the user's current values), `outcome` ([`Outcome`], [`Status`],
//! [`printable`]), `summary` ([`Summary`]: the counts of a run), `report` ([`write_outcome`], [`rerun_lines`], [`failed_lines`]),
//! `seen_keys` (the keys seen, in memory then in a temporary file), `feed` ([`feed_lines`],
//! [`feed_lines_async`]), `job` ([`SyncJob`],
//! which runs them over a feed against a [`Client`](super::Client)), `line` (one line's work:
//! find, plan, send, and the stop at a refused credential); whether PingOne's answer shows
//! the patch applied is [`not_applied`](fn@super::not_applied). The `sync_users` example is a command line over them.
//!
//! Source: PingOne Platform API, "Update User (PATCH)"
//! (<https://apidocs.pingidentity.com/pingone/platform/v1/api/#patch-update-user>) and "Read
//! All Users" (filters `username eq` and `email eq`).

mod changes;
mod desired;
mod feed;
mod job;
mod key_members;
mod line;
mod outcome;
mod plan;
mod report;
mod seen_keys;
mod summary;
mod unique_names;

pub use changes::PlannedChanges;
pub use desired::{DesiredUser, LineError, MatchKey, line_key, parse_line};
pub use feed::{
    FeedLines, FeedLinesAsync, MAX_LINE_BYTES, feed_lines, feed_lines_async, is_blank_line,
};
pub use job::{DEFAULT_CONCURRENCY, DEFAULT_STOP_AFTER_REFUSALS, SyncJob};
pub use outcome::{Outcome, OutcomeError, Status, line_digest, printable};
pub use plan::plan_patch;
pub use report::{ReportError, Rerun, failed_lines, rerun_lines, write_outcome};
pub use seen_keys::DEFAULT_KEYS_IN_MEMORY;
pub use summary::Summary;
pub use unique_names::MAX_LINE_DEPTH;
