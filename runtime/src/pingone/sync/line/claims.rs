//! Claiming users in line order: a line's turn ([`ClaimTurn`]), the claim of the user it
//! found ([`Shared::claim`]), and the refusal of a key that an earlier line changes
//! ([`Shared::key_moved_earlier`]).

use std::sync::Arc;

use super::super::desired::{LineError, MatchKey};
use super::super::outcome::Outcome;
use super::super::seen_keys::CompactKey;
use super::shared::Shared;

/// A line's turn to claim the user it finds ([`Shared::sync`]): taken in line order when the
/// line is started ([`ClaimTurn::take`]), waited for once its user is found
/// ([`ClaimTurn::wait`]: until every earlier line that took one has claimed its user or ended),
/// and given back when dropped, so that a line that ends early (not found, failed, stopped,
/// dropped) holds no later line.
pub(in crate::pingone::sync) struct ClaimTurn {
    shared: Arc<Shared>,
    line: usize,
}

impl ClaimTurn {
    /// The turn of `line`, which is started after every earlier line that takes one.
    pub(in crate::pingone::sync) fn take(shared: &Arc<Shared>, line: usize) -> ClaimTurn {
        shared.turns().insert(line);
        ClaimTurn {
            shared: Arc::clone(shared),
            line,
        }
    }

    /// Waits until no earlier line holds its turn.
    pub(super) async fn wait(&self) {
        let shared = &self.shared;
        let mut passed = shared.claim_turn_passed.subscribe();
        while shared
            .turns()
            .first()
            .is_some_and(|first| *first < self.line)
        {
            // The sender lives as long as `shared`.
            if passed.changed().await.is_err() {
                return;
            }
        }
    }
}

impl Drop for ClaimTurn {
    fn drop(&mut self) {
        self.shared.turns().remove(&self.line);
        self.shared.claim_turn_passed.send_replace(());
    }
}

impl Shared {
    /// Waits for `turn`, whatever the key (every earlier line has claimed its user or ended,
    /// and recorded the usernames and emails it changes: [`Shared::record_moves`]), so that
    /// the caller claims its user after the earlier lines; then, for a `key` by
    /// `username` or `email` that an earlier line changes (from it or to it), the `line`'s
    /// outcome: [`Status::Invalid`], naming that line. Which user the lookup of such a key
    /// found depended on whether that line's PATCH had been applied, in a run by the timing
    /// of the calls in flight, and a dry run applies none: an `email` that two users share,
    /// which an earlier line moves one of them off, was `ambiguous` in a dry run and at the
    /// default concurrency, and changed the other user at a concurrency of 1. PingOne's
    /// lookups read the users as they are when asked ("Read All Users", filters `username
    /// eq` and `email eq`); lines in flight send their PATCHes at once (but for a line that
    /// changes a username an earlier line changes, which waits for that line's answer:
    /// [`Shared::username_taken`]). `None` for a key by `id`, which no line changes, and when no
    /// earlier line changes the key.
    ///
    /// [`Status::Invalid`]: super::super::Status::Invalid
    pub(super) async fn key_moved_earlier(
        &self,
        turn: &ClaimTurn,
        key: &MatchKey,
        line: usize,
    ) -> Option<Outcome> {
        // For every key, an `id` too: the caller claims its user after this wait.
        turn.wait().await;
        if matches!(key, MatchKey::Id(_)) {
            return None;
        }
        let error = match self.claims().get(&key.folded()) {
            Ok(Some((mover, _))) if mover < line => LineError::InvalidValue(format!(
                "line {mover} changes the {attribute} this line finds its user by ({key}): \
                 which user the lookup finds depends on whether that line's PATCH was applied \
                 first, so this line is not applied; name its user by id, or run it once line \
                 {mover} is done (a rerun of the failed lines)",
                attribute = key.attribute()
            )),
            Ok(_) => return None,
            Err(error) => LineError::KeysUnavailable(error.to_string()),
        };
        Some(Outcome::invalid(line, Some(key.clone()), &error))
    }

    /// Records that `line` found `user_id`; returns the earlier line that found it first, if
    /// any.
    ///
    /// # Errors
    ///
    /// The temporary file's I/O error ([`SeenKeys::first_line`]).
    ///
    /// [`SeenKeys::first_line`]: super::super::seen_keys::SeenKeys::first_line
    pub(super) fn claim(&self, user_id: &str, line: usize) -> std::io::Result<Option<usize>> {
        let first = self.claims().first_line(CompactKey::id(user_id), line)?;
        Ok(Some(first).filter(|first| *first != line))
    }
}
