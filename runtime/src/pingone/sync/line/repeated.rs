//! A later line with the key of an earlier one ([`Shared::repeated`]): not looked up again,
//! its outcome is what the first line with the key found ([`Found::of`]).

use super::super::desired::{LineError, MatchKey};
use super::super::outcome::{Outcome, OutcomeError, Status};
use super::super::seen_keys::{CompactKey, Found, uuid_text};
use super::shared::Shared;

impl Found {
    /// What a first line with its key found, by its outcome.
    pub(in crate::pingone::sync) fn of(outcome: &Outcome) -> Found {
        match (outcome.status, &outcome.user_id) {
            (Status::NotFound, _) => Found::NoUser,
            // Not looked up: a later line with its key knows no user.
            (Status::NotAttempted, _) => Found::Unknown,
            (Status::Ambiguous, _) => Found::SeveralUsers,
            (_, Some(user_id)) => Found::user(user_id),
            (_, None) => Found::Unknown,
        }
    }
}

impl Shared {
    /// The outcome of `line`, whose key `first_line` had first: not looked up again, and
    /// nothing sent. Once `first_line` has found its user: a [`Status::Duplicate`] of the
    /// line that claimed that user, with the user's ID; [`Status::NotFound`] or
    /// [`Status::Ambiguous`] when it found no user or several, naming it as `firstLine`; a
    /// duplicate of `first_line`, without a user ID, when it found none (it is invalid, was
    /// not run, or its lookup failed).
    pub(in crate::pingone::sync) async fn repeated(
        &self,
        line: usize,
        key: MatchKey,
        first_line: usize,
    ) -> Outcome {
        let waiting = {
            let mut keys = self.keys();
            match keys.in_flight.get_mut(&first_line) {
                Some(waiting) => {
                    let (tell, told) = tokio::sync::oneshot::channel();
                    waiting.push(tell);
                    Err(told)
                }
                None => Ok(match keys.seen.get(&key.folded()) {
                    Ok(Some((first, found))) if first == first_line => found,
                    _ => Found::Unknown,
                }),
            }
        };
        let found = match waiting {
            Ok(found) => found,
            Err(told) => told.await.unwrap_or(Found::Unknown),
        };
        let shared_lookup = |status: Status, found: &str| Outcome {
            error: Some(OutcomeError {
                first_line: Some(first_line),
                ..OutcomeError::message(format!(
                    "{} {key} (line {first_line} has the same key and found {found}; this line \
                     is not looked up again, nor applied)",
                    if status == Status::NotFound {
                        "no user has"
                    } else {
                        "several users have"
                    }
                ))
            }),
            ..Outcome::new(line, Some(key.clone()), status)
        };
        match found {
            Found::NoUser => shared_lookup(Status::NotFound, "none"),
            Found::SeveralUsers => shared_lookup(Status::Ambiguous, "several"),
            Found::User(user) => {
                let claimed = self.claims().get(&CompactKey::Id(user));
                let first_line = match claimed {
                    Ok(Some((claimed, _))) => claimed,
                    _ => first_line,
                };
                Outcome {
                    user_id: Some(uuid_text(&user)),
                    ..Outcome::invalid(line, Some(key), &LineError::Duplicate { first_line })
                }
            }
            Found::Pending | Found::Unknown => {
                Outcome::invalid(line, Some(key), &LineError::Duplicate { first_line })
            }
        }
    }
}
