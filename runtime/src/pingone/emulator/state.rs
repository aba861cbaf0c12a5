//! The emulator's state: its settings, its users, the fault queue and the request log; how
//! users are seeded; and the JSON it answers (users with `_links`, typed error bodies).
//!
//! One file per job: this one holds the types (`Shared`, `Mutable`, `LogEntry`) and the
//! reference user; `recorded_request` ([`RecordedRequest`]), `user_index` (the users and their
//! indexes), `request_log` (a request recorded, its answer written), `fault_queues` (the fault
//! a request takes), `answers` (an error, a user with its `_links`) and `seeding`
//! ([`check_seeded_user`], the users seeded or inserted).

mod answers;
mod fault_queues;
mod recorded_request;
mod request_log;
mod seeding;
mod user_index;

use std::collections::{BTreeMap, BTreeSet, HashMap, VecDeque};
use std::sync::{Mutex, MutexGuard};

use serde_json::{Map, Value};

pub use recorded_request::RecordedRequest;
pub use seeding::check_seeded_user;
pub(super) use seeding::seed_user;

use super::Fault;
use super::access_tokens::IssuedTokens;
use super::errors::ErrorWriter;
use super::faults::{RandomFaults, RateLimit};

const REFERENCE_USER: &str = include_str!("../reference_user.json");

/// The user of the reference 200 response of "Update User (PATCH)", without `_links`: what a
/// default emulator holds.
///
/// # Panics
///
/// Never: the document is a constant that a test checks.
#[must_use]
pub fn reference_user() -> Value {
    serde_json::from_str(REFERENCE_USER).expect("the reference user is valid JSON")
}
/// Where [`Shared::record`] kept a request: its index in the log (which only grows), or
/// `None` when the log is off.
#[must_use]
pub(super) struct LogEntry(Option<usize>);

/// What the handlers share: the settings, and the mutable state behind a lock.
pub(super) struct Shared {
    pub(super) token: String,
    /// The tokens the token endpoint issued, when they have a lifetime of their own.
    pub(super) issued_tokens: IssuedTokens,
    pub(super) worker: (String, String),
    /// The one token endpoint authentication method the worker may use, when set
    /// ([`EmulatorBuilder::worker_auth_method`](super::EmulatorBuilder::worker_auth_method)).
    pub(super) worker_auth_method: Option<crate::pingone::ClientAuthMethod>,
    pub(super) environment_id: String,
    pub(super) base: String,
    pub(super) forbidden: BTreeSet<String>,
    pub(super) custom_attributes: Option<BTreeSet<String>>,
    pub(super) record_requests: bool,
    /// The largest page a user list answers, whatever `limit` asks.
    pub(super) max_page_size: usize,
    /// Requests past this rate get 429, when set.
    pub(super) rate_limit: Option<RateLimit>,
    /// The `Retry-After` (seconds) of an injected 429
    /// ([`EmulatorBuilder::fault_retry_after`](super::EmulatorBuilder::fault_retry_after)).
    pub(super) fault_retry_after: u64,
    pub(super) errors: ErrorWriter,
    /// How many requests the token endpoint answered ([`Emulator::token_requests`]).
    ///
    /// [`Emulator::token_requests`]: super::Emulator::token_requests
    pub(super) token_requests: std::sync::atomic::AtomicUsize,
    pub(super) state: Mutex<Mutable>,
}

/// The state that requests change.
pub(super) struct Mutable {
    /// By ID, in order: the order of a user list, whose cursor is the last ID served. Change
    /// it only through [`Mutable::put_user`], which keeps the indexes.
    pub(super) users: BTreeMap<String, Map<String, Value>>,
    /// The IDs of the users by `username` and by `email` in lower case, for the `eq` filters
    /// of a user list (PingOne indexes them; a scan of every user per lookup made the
    /// emulator, not the client, the limit of a sync of 10,000 users).
    index: [HashMap<String, BTreeSet<String>>; INDEXED.len()],
    pub(super) faults: VecDeque<Fault>,
    /// The faults queued for the PATCH of a user alone
    /// ([`Emulator::inject_patch_fault`](super::Emulator::inject_patch_fault)).
    pub(super) patch_faults: VecDeque<Fault>,
    /// The faults queued for the token endpoint
    /// ([`Emulator::inject_token_fault`](super::Emulator::inject_token_fault)).
    pub(super) token_faults: VecDeque<Fault>,
    /// The faults queued for the requests that carry one `X-Ping-External-Transaction-ID`,
    /// by its value
    /// ([`Emulator::inject_for_transaction`](super::Emulator::inject_for_transaction)).
    pub(super) transaction_faults: HashMap<String, VecDeque<Fault>>,
    /// Faults drawn at random once the queue is empty.
    pub(super) random_faults: Option<RandomFaults>,
    pub(super) requests: Vec<RecordedRequest>,
}

/// The attributes [`Mutable`] indexes.
const INDEXED: [&str; 2] = ["username", "email"];
impl Shared {
    pub(super) fn lock(&self) -> MutexGuard<'_, Mutable> {
        self.state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}
