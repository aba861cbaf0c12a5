//! The lines that change a username: each waits for the earlier lines that change the same
//! one ([`Moving`], [`Shared::earlier_renames_answered`]), and a username another user holds
//! is refused before its PATCH is sent ([`Shared::username_taken`]).

use serde_json::Value;

use super::super::desired::{DesiredUser, LineError, MatchKey};
use super::super::seen_keys::{CompactKey, Found, uuid_text};
use super::shared::Shared;
use crate::pingone::{Client, User};

impl Shared {
    /// Why `patch` cannot rename `user_id`: the username it gives is another user's, in any
    /// case (PingOne's usernames are unique so compared), and PingOne would refuse the PATCH
    /// with 400 `UNIQUENESS_VIOLATION`, which a dry run, sending nothing, planned as a change.
    /// Asked with a lookup of that username, only for a patch that sets one; a lookup that
    /// fails tells nothing, and the PATCH then gets PingOne's own answer.
    ///
    /// In a run, the line (`line`) first waits until every earlier line that changes one of
    /// the usernames it changes (the one it renames its user away from, and the one it sets)
    /// has been answered or ended without a PATCH ([`Shared::earlier_renames_answered`]):
    /// the PATCHes that change one username land in line order, and what each line finds is
    /// what the lines before it left, whatever the timing. Without the wait, the line that
    /// takes a username an earlier line frees (`{"id": A, "username": "robert"}` then
    /// `{"id": B, "username": "bob"}`, bob being A's) landed first on a loaded machine and
    /// PingOne refused it (review 165); two later lines taking that name both found it free
    /// and the second PATCH to land was refused, whichever line it was; and a line that
    /// takes a username that a later line frees found it free or held depending on whether
    /// that line's PATCH had landed (review 169). Then:
    ///
    /// - an earlier line's PATCH that PingOne applied gave the username to its own user
    ///   ([`CompactKey::UsernameGiven`], recorded by [`Moving`]): the line is `invalid`,
    ///   naming that line, with no lookup (one could read the users before that PATCH
    ///   reached them: PingOne's reads are eventually consistent);
    /// - otherwise the lookup says. A holder that the first earlier line changing the name
    ///   renamed away, in a PATCH PingOne applied, is a read from before that PATCH landed:
    ///   the name is free. Another holder fails the line as `invalid`, naming that line when
    ///   there is one, and nothing is sent. An earlier line that only found the holder
    ///   (`{"username": "bob", "title": "Lead"}`) frees nothing, and the line is refused
    ///   here, as in a dry run, rather than sent into PingOne's refusal.
    ///
    /// A dry run, which applies nothing and waits for nothing, still finds the name held
    /// when an earlier line renames its holder, and says so.
    pub(super) async fn username_taken(
        &self,
        client: &Client,
        line: usize,
        user_id: &str,
        patch: &crate::pingone::UserPatch,
    ) -> Option<LineError> {
        let username = patch.username.as_ref()?;
        let folded = MatchKey::Username(username.clone()).folded();
        // The first earlier line that changes this username (from it or to it): recorded at
        // that line's claim, which came before this line's ([`Shared::record_moves`]).
        let mover = match self.claims().get(&folded) {
            Ok(Some((first, _))) if first < line && !self.dry_run => Some(first),
            _ => None,
        };
        if !self.dry_run {
            self.earlier_renames_answered(line).await;
            if let Ok(Some((giver, given))) = self.claims().get(&folded.given())
                && giver != line
                && let Found::User(holder) = given
                && given != Found::user(user_id)
            {
                return Some(LineError::InvalidValue(format!(
                    "the username {username:?} is another user's ({}): line {giver} gave it \
                     to that user, and PingOne applied it; PingOne keeps usernames unique in \
                     any case: it would refuse this patch (UNIQUENESS_VIOLATION); of the lines \
                     that set one username, the first applied gets it",
                    uuid_text(&holder)
                )));
            }
        }
        let holder = client
            .find_user_by_username(&self.environment_id, username)
            .await
            .ok()??;
        let holder_id = holder.id?.to_ascii_lowercase();
        if holder_id == user_id {
            return None;
        }
        if let Some(mover) = mover {
            // The mover renamed the holder away and PingOne applied it: a lookup that still
            // finds the holder read the users before that PATCH reached it (PingOne's reads
            // are eventually consistent), and the name is free.
            if let Ok(Some((first, freed @ Found::User(_)))) = self.claims().get(&folded)
                && first == mover
                && freed == Found::user(&holder_id)
            {
                return None;
            }
            return Some(LineError::InvalidValue(format!(
                "the username {username:?} is another user's ({holder_id}) once line {mover}, \
                 which changes that username, was answered: that line did not free it (its \
                 PATCH failed or was not sent, or it gives the username to its own user; see \
                 its outcome), and PingOne keeps usernames unique in any case: it would refuse \
                 the patch (UNIQUENESS_VIOLATION); a rerun of the failed lines applies this one \
                 once that user is renamed"
            )));
        }
        Some(LineError::InvalidValue(format!(
            "the username {username:?} is another user's ({holder_id}), and PingOne keeps \
                 usernames unique in any case: it would refuse the patch \
                 (UNIQUENESS_VIOLATION); rename that user first (when an earlier line of the \
                 feed does, a dry run, which applies nothing, still finds the name held, and \
                 a rerun of the failed lines applies this one; a later line that does comes \
                 after this one, as PingOne gets them in line order)"
        )))
    }

    /// Waits until no line before `line` that changes one of the usernames `line` changes
    /// ([`Shared::record_moves`]) is waiting for its PATCH's answer ([`Moving`]): each such
    /// line has been answered, or ended without a PATCH. A line waits only for earlier
    /// lines, which wait for none of the later ones: no wait can form a cycle.
    pub(super) async fn earlier_renames_answered(&self, line: usize) {
        let mut moved = self.moved.subscribe();
        loop {
            let waits = {
                let moving = self.moving_lines();
                let Some(names) = moving.get(&line).filter(|names| !names.is_empty()) else {
                    return;
                };
                moving
                    .range(..line)
                    .any(|(_, changes)| changes.iter().any(|name| names.contains(name)))
            };
            if !waits {
                return;
            }
            // The sender lives as long as `self`.
            if moved.changed().await.is_err() {
                return;
            }
        }
    }

    /// Records the usernames and emails that `line` (which claimed `user`, as read) changes,
    /// the value it changes from and the one it changes to, each folded as a key is
    /// ([`MatchKey::folded`]): a later line keyed by one of them is refused
    /// ([`Shared::key_moved_earlier`]). A change in case alone changes no key. The values
    /// it changes from, where `line` is the first to change them, go to `moving`, which
    /// records whether its PATCH freed them once it is answered ([`Moving`]); so does the
    /// username it sets, which its PATCH, once applied, gave its user. The two usernames go
    /// to the lines in flight's (`Shared::moving`), for the later lines that change one of
    /// them to wait for this line's answer ([`Shared::earlier_renames_answered`]).
    ///
    /// # Errors
    ///
    /// The temporary file's I/O error ([`SeenKeys::first_line`]).
    ///
    /// [`SeenKeys::first_line`]: super::super::seen_keys::SeenKeys::first_line
    pub(super) fn record_moves(
        &self,
        user: &User,
        desired: &DesiredUser,
        line: usize,
        moving: &mut Moving<'_>,
    ) -> std::io::Result<()> {
        let moves = [
            (
                MatchKey::Username as fn(String) -> MatchKey,
                "username",
                &user.username,
            ),
            (MatchKey::Email, "email", &user.email),
        ];
        for (key, attribute, held) in moves {
            let Some(Value::String(wanted)) = desired.attributes.get(attribute) else {
                continue;
            };
            let (from, to) = (key(held.clone()).folded(), key(wanted.clone()).folded());
            if from != to {
                if attribute == "username" {
                    // Before the index, whose file may fail: the waits do not depend on it.
                    moving.changes_username(&from, &to);
                }
                let mut claims = self.claims();
                if claims.first_line(from.clone(), line)? == line {
                    moving.from.push(from);
                }
                claims.first_line(to, line)?;
            }
        }
        Ok(())
    }
}

/// A line in flight from its claim until its PATCH is answered, or it ends without one: a
/// later line that changes a username this line changes (from it or to it) waits for it to
/// drop ([`Shared::earlier_renames_answered`]). Dropped, it records in the claims, when
/// PingOne applied the PATCH (`applied`): for each username or email the line renames its
/// user away from (`from`), the user it freed it from ([`Found::User`]); and for the username
/// it sets (`gives`), the user it gave it to ([`CompactKey::UsernameGiven`]); then it tells
/// the waiting lines. Those lines wait only for an earlier line, which waits for none of
/// them: no wait can form a cycle.
pub(super) struct Moving<'a> {
    shared: &'a Shared,
    line: usize,
    /// The user the line found.
    user: Found,
    from: Vec<CompactKey>,
    /// The username the line sets, folded, when it changes its user's.
    gives: Option<CompactKey>,
    pub(super) applied: bool,
}

impl<'a> Moving<'a> {
    pub(super) fn start(shared: &'a Shared, line: usize, user_id: &str) -> Moving<'a> {
        shared.moving_lines().insert(line, Vec::new());
        Moving {
            shared,
            line,
            user: Found::user(user_id),
            from: Vec::new(),
            gives: None,
            applied: false,
        }
    }

    /// Records that the line renames its user from the username `from` to `to` (both
    /// folded): later lines that change either wait for this one.
    fn changes_username(&mut self, from: &CompactKey, to: &CompactKey) {
        self.gives = Some(to.given());
        if let Some(names) = self.shared.moving_lines().get_mut(&self.line) {
            names.extend([from.clone(), to.clone()]);
        }
    }
}

impl Drop for Moving<'_> {
    fn drop(&mut self) {
        if self.applied {
            let mut claims = self.shared.claims();
            for from in &self.from {
                if let Err(error) = claims.set_found(from, self.line, self.user) {
                    // A later line then goes by its own lookup of the username.
                    tracing::warn!(%error, line = self.line, "cannot record the username a line freed");
                }
            }
            if let Some(given) = self.gives.take() {
                let recorded = claims
                    .first_line(given.clone(), self.line)
                    .and_then(|_| claims.set_found(&given, self.line, self.user));
                if let Err(error) = recorded {
                    // A later line then goes by its own lookup of the username.
                    tracing::warn!(%error, line = self.line, "cannot record the username a line gave");
                }
            }
        }
        self.shared.moving_lines().remove(&self.line);
        self.shared.moved.send_replace(());
    }
}
