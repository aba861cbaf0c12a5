//! One line's work in a [`SyncJob`](super::SyncJob) run: find the user, plan the patch, send
//! it, check the answer ([`Shared::sync`]). The parts, one file each: `shared` (what the
//! lines of a run share, [`Shared`]), `lookup` (finding the user), `claims` (claiming users
//! in line order, [`ClaimTurn`]), `renames` (the lines that change a username), `answer`
//! (what PingOne's answer to the PATCH shows), `repeated` (a later line with the same key)
//! and `stop` (the stop at a refusal that every call would get).

mod answer;
mod claims;
mod lookup;
mod renames;
mod repeated;
mod shared;
mod stop;

use serde_json::Value;

use super::changes::PlannedChanges;
use super::desired::{DesiredUser, LineError};
use super::outcome::{Outcome, OutcomeError, Status};
use super::plan::plan_patch;
use crate::pingone::{Correlation, Error};
use answer::{changed_meanwhile, key_changed_meanwhile};
pub(super) use claims::ClaimTurn;
use lookup::Lookup;
use renames::Moving;
pub(super) use shared::Shared;

/// What the message of a failed line whose PATCH may have been applied
/// ([`OutcomeError::may_have_been_applied`]) ends with.
const MAY_HAVE_BEEN_APPLIED: &str = "; the PATCH may have been applied all the same (an \
    attempt's answer was lost, cut short or a server failure): the user is either as the line \
    found it or patched; a rerun of the failed lines sends the patch again, which a merge \
    patch allows";

impl Shared {
    /// `desired`'s line: find the user, claim it in its turn (`turn`, which ends once the
    /// line has claimed its user or ends without), plan the patch, send it (not in a dry run)
    /// and check the answer.
    pub(super) async fn sync(&self, desired: DesiredUser, turn: ClaimTurn) -> Outcome {
        let line = desired.line;
        let key = Some(desired.key.clone());
        if let Some(stop) = self.stopped() {
            return stop.not_attempted(line, key);
        }
        let client = match Correlation::new().transaction_id(&format!("line-{line}")) {
            Ok(correlation) => self.client.with_correlation(correlation),
            Err(_) => self.client.clone(),
        };
        // A lookup is dropped when the job stops: it changes nothing (a GET), and it may be
        // waiting for a retry.
        let found = match self.unless_stopped(self.find(&client, &desired.key)).await {
            Ok(found) => found,
            Err(stop) => return stop.not_attempted(line, key),
        };
        let user = match found {
            Ok(Some(user)) => user,
            Ok(None) => {
                if let Some(moved) = self.key_moved_earlier(&turn, &desired.key, line).await {
                    return moved;
                }
                let value = desired.key.value();
                // A key padded with spaces (a fixed-width export, a CSV cell) is looked up as
                // written, spaces included.
                let padded = if value.trim() == value {
                    ""
                } else {
                    " (the key has white space at an end, which is looked up as written: \
                     remove it from the feed if the user's has none)"
                };
                return Outcome {
                    error: Some(OutcomeError::message(format!(
                        "no user has {}{padded}",
                        desired.key
                    ))),
                    ..Outcome::new(line, key, Status::NotFound)
                };
            }
            Err(Lookup::Line(error)) => {
                self.stop_on(line, &error);
                if matches!(error, Error::SeveralMatches { .. })
                    && let Some(moved) = self.key_moved_earlier(&turn, &desired.key, line).await
                {
                    return moved;
                }
                let status = match error {
                    Error::SeveralMatches { .. } => Status::Ambiguous,
                    _ => Status::Failed,
                };
                return Outcome {
                    error: Some(OutcomeError::from_client_error(&error)),
                    ..Outcome::new(line, key, status)
                };
            }
            Err(Lookup::Collection(error)) => {
                let error = self.collection_error(&error);
                self.stop_with(line, error.clone());
                return Outcome {
                    error: Some(error),
                    ..Outcome::new(line, key, Status::Failed)
                };
            }
        };
        let Some(user_id) = user.id.clone() else {
            return Outcome {
                error: Some(OutcomeError::message(
                    "PingOne answered a user without an id",
                )),
                ..Outcome::new(line, key, Status::Failed)
            };
        };
        // A server (or a cache in front of it) that answers another user than the one asked
        // for by id is refused by the client (`Error::Decode`, above): that user is not changed.
        let user_id = user_id.to_ascii_lowercase();
        // The user is this line's only when no earlier line found it, and the index can tell.
        // Earlier lines claim first, whatever the order of the answers: of two lines that
        // name one user by different keys, the earlier one is applied, in a dry run as in a
        // run.
        if let Some(moved) = self.key_moved_earlier(&turn, &desired.key, line).await {
            return moved;
        }
        let claimed = self.claim(&user_id, line);
        // Recorded before the turn passes: a later line that changes a username this one
        // changes finds it, and waits for this line's PATCH to be answered (until `moving`
        // drops).
        let mut moving = Moving::start(self, line, &user_id);
        if matches!(claimed, Ok(None))
            && let Err(error) = self.record_moves(&user, &desired, line, &mut moving)
        {
            tracing::warn!(%error, line, "cannot record the username or email the line changes");
        }
        drop(turn);
        let not_first = match claimed {
            Ok(None) => None,
            Ok(Some(first_line)) => Some(LineError::Duplicate { first_line }),
            Err(error) => Some(LineError::KeysUnavailable(error.to_string())),
        };
        if let Some(error) = not_first {
            return Outcome {
                user_id: Some(user_id),
                ..Outcome::invalid(line, key, &error)
            };
        }
        let found = Outcome {
            user_id: Some(user_id.clone()),
            ..Outcome::new(line, key, Status::Unchanged)
        };
        let patch = match plan_patch(&user, &desired) {
            Ok(patch) => patch,
            Err(error) => {
                return Outcome {
                    status: Status::Invalid,
                    error: Some(OutcomeError::from_line_error(&error)),
                    ..found
                };
            }
        };
        if crate::Patch::is_empty(&patch) {
            return found;
        }
        if let Some(error) = self.username_taken(&client, line, &user_id, &patch).await {
            return Outcome {
                status: Status::Invalid,
                error: Some(OutcomeError::from_line_error(&error)),
                ..found
            };
        }
        let patch_json = serde_json::to_value(&patch).ok();
        if self.dry_run {
            let changes = patch_json
                .as_ref()
                .filter(|_| self.planned_changes)
                .and_then(|patch| {
                    let user = serde_json::to_value(&user).ok()?;
                    PlannedChanges::new(&user, patch).ok().map(Box::new)
                });
            return Outcome {
                status: Status::WouldChange,
                patch: patch_json,
                changes,
                ..found
            };
        }
        // Not after a stop; a PATCH already sent is never dropped (PingOne may apply it).
        if let Some(stop) = self.stopped() {
            return Outcome {
                user_id: found.user_id,
                ..stop.not_attempted(line, found.key)
            };
        }
        // Whether an attempt retried before the last one may have landed: the last one's
        // error alone does not tell (a timed-out attempt retried into a 409).
        let (answer, attempts) = crate::pingone::transport::landed::watching(client.update_user(
            &self.environment_id,
            &user_id,
            &patch,
        ))
        .await;
        let answer = self
            .read_back(&client, &user_id, patch_json.as_ref(), answer)
            .await;
        // A 2xx: PingOne applied the PATCH, and the usernames it renamed the user away from
        // are free for the later lines that wait for them.
        moving.applied = answer.is_ok();
        drop(moving);
        let stopping = self.count_refusal(line, answer.as_ref().err());
        match answer {
            Ok(answer) => {
                let (ignored, lost) = patch_json
                    .as_ref()
                    .and_then(|json| {
                        let answer = serde_json::to_value(&answer).ok()?;
                        let ignored = crate::not_applied::not_applied_json(json, &answer);
                        // Only a patch that merges into an object can lose its other members.
                        let merges = json
                            .as_object()
                            .is_some_and(|members| members.values().any(Value::is_object));
                        let lost = match serde_json::to_value(&user) {
                            Ok(current) if merges => {
                                crate::not_applied::lost_members(&current, json, &answer)
                            }
                            _ => Vec::new(),
                        };
                        Some((ignored, lost))
                    })
                    .unwrap_or_default();
                let mut errors = Vec::new();
                if !ignored.is_empty() {
                    errors.push(format!(
                        "PingOne accepted the patch but did not apply {}: its answer does not \
                         hold what the patch asked (an attribute the environment does not \
                         declare is ignored: check the spelling, or declare it as a custom \
                         attribute)",
                        ignored.join(", ")
                    ));
                }
                if !lost.is_empty() {
                    // Every later line that merges into such an object would erase the same
                    // members of its user: the job stops here.
                    let lost_error = format!(
                        "PingOne's answer to the patch no longer holds {}, which the user held \
                         and the line does not name: PingOne replaced the object the patch \
                         merges into with the patch's rather than merging (RFC 7396), or \
                         another writer removed it since the line read the user; restore it \
                         from a copy taken before the run, and give every member of such an \
                         object in the feed's lines; the job stops, so that no later line \
                         loses the same",
                        lost.join(", ")
                    );
                    self.stop_with(line, OutcomeError::message(lost_error.clone()));
                    errors.push(lost_error);
                }
                if let Some(attribute) = key_changed_meanwhile(&answer, &desired.key) {
                    errors.push(format!(
                        "PingOne applied the patch to the user the line found ({user_id}), \
                         but the user it answered no longer has the line's {attribute}: \
                         another writer changed its {attribute} after the line read the user, \
                         and the {} may be another user's now; a rerun of the failed lines \
                         looks it up again",
                        desired.key
                    ));
                }
                let changed = changed_meanwhile(&answer, &desired, &ignored);
                if !changed.is_empty() {
                    errors.push(format!(
                        "PingOne applied the patch, but the user it answered does not hold \
                         what the line asks for {}: another writer changed it after the line \
                         read the user (the plan found it as the line asks, and left it out of \
                         the patch), and it was not changed back; a rerun of the failed lines \
                         applies it",
                        changed.join(", ")
                    ));
                }
                Outcome {
                    status: if errors.is_empty() {
                        Status::Changed
                    } else {
                        Status::Failed
                    },
                    patch: patch_json,
                    // PingOne applied the patch (its answer says so): what failed is what the
                    // answer shows.
                    error: (!errors.is_empty()).then(|| OutcomeError {
                        may_have_been_applied: true,
                        ..OutcomeError::message(errors.join("; "))
                    }),
                    ..found
                }
            }
            Err(error) => {
                self.stop_on(line, &error);
                let mut failure =
                    stopping.unwrap_or_else(|| OutcomeError::from_client_error(&error));
                if attempts.may_have_landed(&error) {
                    failure.may_have_been_applied = true;
                    failure.message.push_str(MAY_HAVE_BEEN_APPLIED);
                }
                Outcome {
                    status: Status::Failed,
                    patch: patch_json,
                    error: Some(failure),
                    ..found
                }
            }
        }
    }
}

#[cfg(all(test, feature = "emulator"))]
mod tests;
