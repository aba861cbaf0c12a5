//! What the lines of a run share ([`Shared`]): the client and the run's settings, the
//! refusal that stopped the job ([`Stop`]), the PATCHes refused alike in a row
//! ([`RefusedInARow`]), the index of the users claimed and of the usernames and emails the
//! lines change, the lines' keys ([`Keys`]), the lines waiting for their turn to claim and
//! the lines in flight that change a username. The work on them is in the other files of
//! `line`.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Mutex;

use super::super::outcome::OutcomeError;
use super::super::seen_keys::{CompactKey, Found, SeenKeys};
use crate::pingone::Client;

/// What the lines of one run share.
pub(in crate::pingone::sync) struct Shared {
    pub(super) client: Client,
    pub(super) environment_id: String,
    pub(super) dry_run: bool,
    /// Whether a dry run's [`Status::WouldChange`] outcomes carry their
    /// [`Outcome::changes`] ([`SyncJob::planned_changes`]).
    ///
    /// [`Status::WouldChange`]: super::super::Status::WouldChange
    /// [`Outcome::changes`]: super::super::Outcome::changes
    /// [`SyncJob::planned_changes`]: super::super::SyncJob::planned_changes
    pub(super) planned_changes: bool,
    /// The refusal that stopped the job, once a line got one ([`stops_the_job`]): the lines
    /// that have not sent their PATCH yet end as [`Status::NotAttempted`] when it is set.
    ///
    /// [`stops_the_job`]: super::stop::stops_the_job
    /// [`Status::NotAttempted`]: super::super::Status::NotAttempted
    pub(super) stop: tokio::sync::watch::Sender<Option<Stop>>,
    /// Set once the environment's users collection answered a call (a lookup by username or
    /// email, a user read by ID, or the check of [`Shared::collection_answers`]): a 404 or 403
    /// about one user is then that user's, not every call's.
    pub(super) collection: tokio::sync::OnceCell<()>,
    /// The line that first found each user, by user ID; and the first line that changes
    /// each username or email, by the value (folded, as keys are) it changes from and the one
    /// it changes to ([`Shared::record_moves`]).
    pub(super) claims: Mutex<SeenKeys>,
    /// The lines that look their user up and have not yet claimed it or ended
    /// ([`ClaimTurn`]): a line claims its user only once no earlier line is among them.
    ///
    /// [`ClaimTurn`]: super::ClaimTurn
    pub(super) claim_turns: Mutex<BTreeSet<usize>>,
    /// Told each time a line leaves `claim_turns`.
    pub(super) claim_turn_passed: tokio::sync::watch::Sender<()>,
    /// The lines that claimed their user and whose PATCH has not been answered ([`Moving`]),
    /// each with the usernames (folded, as keys are) it changes, from and to
    /// ([`Shared::record_moves`]): a later line that changes one of them waits for its
    /// answer ([`Shared::username_taken`]). At most the lines in flight.
    ///
    /// [`Moving`]: super::renames::Moving
    pub(super) moving: Mutex<BTreeMap<usize, Vec<CompactKey>>>,
    /// Told each time a line leaves `moving`.
    pub(super) moved: tokio::sync::watch::Sender<()>,
    /// The lines' keys.
    pub(super) keys: Mutex<Keys>,
    /// The PATCHes refused with the same 403 in a row ([`Shared::count_refusal`]).
    pub(super) refused: Mutex<RefusedInARow>,
    /// How many such refusals stop the job (0: none do; [`SyncJob::stop_after_refusals`]).
    ///
    /// [`SyncJob::stop_after_refusals`]: super::super::SyncJob::stop_after_refusals
    pub(super) stop_after_refusals: usize,
}

/// The PATCHes that PingOne refused with the same 403 (the same `code` and `message`, or the
/// same page that is not PingOne's error body) one after another, in the order their answers
/// came, since the last PATCH it accepted or refused otherwise with a 403: at most
/// [`Shared::stop_after_refusals`] lines.
#[derive(Default)]
pub(super) struct RefusedInARow {
    /// The refusal's code and message.
    pub(super) answer: Option<(Option<String>, Option<String>)>,
    /// The lines refused so, in the order of their answers.
    pub(super) lines: Vec<usize>,
}

/// The lines' keys: the first line with each key and what it found, and the lines waiting
/// for what a first line still in flight finds.
pub(in crate::pingone::sync) struct Keys {
    pub(in crate::pingone::sync) seen: SeenKeys,
    /// The first lines with their key whose lookup has not ended (at most the lines in
    /// flight), each with the later lines with that key that wait for what it finds.
    pub(in crate::pingone::sync) in_flight:
        HashMap<usize, Vec<tokio::sync::oneshot::Sender<Found>>>,
}

impl Keys {
    /// Records what `line`, the first line with `key`, found, and tells the lines waiting
    /// for it.
    pub(in crate::pingone::sync) fn found(&mut self, key: &CompactKey, line: usize, found: Found) {
        if let Err(error) = self.seen.set_found(key, line, found) {
            // The later lines with this key then know no user (`Found::Pending`, and no line
            // in flight): duplicates of this line, without a user ID.
            tracing::warn!(%error, line, "cannot record what a line found");
        }
        for waiting in self.in_flight.remove(&line).unwrap_or_default() {
            let _ = waiting.send(found);
        }
    }
}

/// The refusal that stopped a job: the line that got it, and its error.
#[derive(Debug, Clone)]
pub(super) struct Stop {
    pub(super) line: usize,
    pub(super) error: OutcomeError,
}

impl Shared {
    /// What the lines of a run share: the client (with the run's correlation), the
    /// environment, whether the run is dry (and whether its outcomes carry their changes),
    /// the users done lines of a rerun found (`claims`), an empty index of the lines' keys
    /// (`keys`), and how many PATCHes refused alike in a row stop the job
    /// (`stop_after_refusals`, 0 for never).
    pub(in crate::pingone::sync) fn new(
        client: Client,
        environment_id: String,
        dry_run: bool,
        planned_changes: bool,
        claims: SeenKeys,
        keys: SeenKeys,
        stop_after_refusals: usize,
    ) -> Self {
        Shared {
            client,
            environment_id,
            dry_run,
            planned_changes,
            stop: tokio::sync::watch::Sender::new(None),
            collection: tokio::sync::OnceCell::new(),
            claims: Mutex::new(claims),
            claim_turns: Mutex::new(BTreeSet::new()),
            claim_turn_passed: tokio::sync::watch::Sender::new(()),
            moving: Mutex::new(BTreeMap::new()),
            moved: tokio::sync::watch::Sender::new(()),
            keys: Mutex::new(Keys {
                seen: keys,
                in_flight: HashMap::new(),
            }),
            refused: Mutex::new(RefusedInARow::default()),
            stop_after_refusals,
        }
    }

    pub(in crate::pingone::sync) fn claims(&self) -> std::sync::MutexGuard<'_, SeenKeys> {
        self.claims
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    pub(in crate::pingone::sync) fn keys(&self) -> std::sync::MutexGuard<'_, Keys> {
        self.keys
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    pub(super) fn turns(&self) -> std::sync::MutexGuard<'_, BTreeSet<usize>> {
        self.claim_turns
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    pub(super) fn moving_lines(
        &self,
    ) -> std::sync::MutexGuard<'_, BTreeMap<usize, Vec<CompactKey>>> {
        self.moving
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}
