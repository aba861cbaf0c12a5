//! One line's work in a [`SyncJob`](super::SyncJob) run: find the user, plan the patch, send
//! it, check the answer ([`Shared::sync`]); a later line for the same user
//! ([`Shared::repeated`]); and the stop at a refusal that every call would get.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::{Arc, Mutex};

use serde_json::Value;

use super::changes::PlannedChanges;
use super::desired::{DesiredUser, LineError, MatchKey};
use super::outcome::{Outcome, OutcomeError, Status};
use super::plan::plan_patch;
use super::seen_keys::{CompactKey, Found, SeenKeys, uuid_text};
use crate::pingone::{Client, Correlation, Error, User};

/// What the lines of one run share.
pub(super) struct Shared {
    client: Client,
    environment_id: String,
    dry_run: bool,
    /// Whether a dry run's [`Status::WouldChange`] outcomes carry their
    /// [`Outcome::changes`] ([`SyncJob::planned_changes`](super::SyncJob::planned_changes)).
    planned_changes: bool,
    /// The refusal that stopped the job, once a line got one ([`stops_the_job`]): the lines
    /// that have not sent their PATCH yet end as [`Status::NotAttempted`] when it is set.
    stop: tokio::sync::watch::Sender<Option<Stop>>,
    /// Set once the environment's users collection answered a call (a lookup by username or
    /// email, a user read by ID, or the check of [`Shared::collection_answers`]): a 404 or 403
    /// about one user is then that user's, not every call's.
    collection: tokio::sync::OnceCell<()>,
    /// The line that first found each user, by user ID; and the first line that changes
    /// each username or email, by the value (folded, as keys are) it changes from and the one
    /// it changes to ([`Shared::record_moves`]).
    claims: Mutex<SeenKeys>,
    /// The lines that look their user up and have not yet claimed it or ended
    /// ([`ClaimTurn`]): a line claims its user only once no earlier line is among them.
    claim_turns: Mutex<BTreeSet<usize>>,
    /// Told each time a line leaves `claim_turns`.
    claim_turn_passed: tokio::sync::watch::Sender<()>,
    /// The lines that claimed their user and whose PATCH has not been answered ([`Moving`]),
    /// each with the usernames (folded, as keys are) it changes, from and to
    /// ([`Shared::record_moves`]): a later line that changes one of them waits for its
    /// answer ([`Shared::username_taken`]). At most the lines in flight.
    moving: Mutex<BTreeMap<usize, Vec<CompactKey>>>,
    /// Told each time a line leaves `moving`.
    moved: tokio::sync::watch::Sender<()>,
    /// The lines' keys.
    keys: Mutex<Keys>,
    /// The PATCHes refused with the same 403 in a row ([`Shared::count_refusal`]).
    refused: Mutex<RefusedInARow>,
    /// How many such refusals stop the job (0: none do; [`SyncJob::stop_after_refusals`](super::SyncJob::stop_after_refusals)).
    stop_after_refusals: usize,
}

/// The PATCHes that PingOne refused with the same 403 (the same `code` and `message`, or the
/// same page that is not PingOne's error body) one after another, in the order their answers
/// came, since the last PATCH it accepted or refused otherwise with a 403: at most
/// [`Shared::stop_after_refusals`] lines.
#[derive(Default)]
struct RefusedInARow {
    /// The refusal's code and message.
    answer: Option<(Option<String>, Option<String>)>,
    /// The lines refused so, in the order of their answers.
    lines: Vec<usize>,
}

/// The lines' keys: the first line with each key and what it found, and the lines waiting
/// for what a first line still in flight finds.
pub(super) struct Keys {
    pub(super) seen: SeenKeys,
    /// The first lines with their key whose lookup has not ended (at most the lines in
    /// flight), each with the later lines with that key that wait for what it finds.
    pub(super) in_flight: HashMap<usize, Vec<tokio::sync::oneshot::Sender<Found>>>,
}

impl Keys {
    /// Records what `line`, the first line with `key`, found, and tells the lines waiting
    /// for it.
    pub(super) fn found(&mut self, key: &CompactKey, line: usize, found: Found) {
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

/// Whether `error` stops the job: a refusal of its credentials that no retry can fix and that
/// every later call would get. The token endpoint's refusal (any status but 408, 429, 500,
/// 502, 503 and 504: a wrong secret or an unknown client, 401 `invalid_client`; a client not
/// allowed the grant, 400 `unauthorized_client`; see [`REFUSAL_HOLD`](crate::pingone::REFUSAL_HOLD)),
/// and a 401 of the API itself, which the client gets only after sending the call again with a
/// fresh worker token (or with a fixed bearer token, which no retry renews): the token is not
/// one PingOne accepts. Not a 403: PingOne answers it for an attribute the caller may not
/// update, or for a user outside the population its role is scoped to, so it says nothing of
/// the next line; but a 403 or 404 of the users collection itself, which names no user, does
/// stop it ([`Lookup::Collection`]). And a proxy's 407 to a plain `http` request: it asks
/// for credentials that every later call would lack too.
fn stops_the_job(error: &Error) -> bool {
    match error {
        Error::Token { .. } => !error.is_retryable(),
        // With PingOne's error body or without (a gateway's page, an empty body, or a body
        // that the connection cut short: the status is the answer).
        Error::Api { status: 401, .. }
        | Error::Decode { status: 401, .. }
        | Error::Incomplete { status: 401, .. } => true,
        // A proxy that asks for credentials, answering a plain `http` request (its refusal of
        // an `https` request's tunnel is a transport error: `stop_on`).
        Error::Api { status: 407, .. }
        | Error::Decode { status: 407, .. }
        | Error::Incomplete { status: 407, .. } => true,
        _ => false,
    }
}

/// What the message of a failed line whose PATCH may have been applied
/// ([`OutcomeError::may_have_been_applied`]) ends with.
const MAY_HAVE_BEEN_APPLIED: &str = "; the PATCH may have been applied all the same (an \
    attempt's answer was lost, cut short or a server failure): the user is either as the line \
    found it or patched; a rerun of the failed lines sends the patch again, which a merge \
    patch allows";

/// The refusal that stopped a job: the line that got it, and its error.
#[derive(Debug, Clone)]
struct Stop {
    line: usize,
    error: OutcomeError,
}

impl Stop {
    /// The outcome of `line`, not attempted as the job stopped: the refusal's message, status
    /// and code, and the line that got it.
    fn not_attempted(&self, line: usize, key: Option<MatchKey>) -> Outcome {
        Outcome {
            error: Some(OutcomeError {
                message: format!(
                    "not attempted: the job stopped at line {}, whose call got an answer that \
                     every later call would get too (a refusal that no retry fixes, a wait \
                     longer than the client waits out, or an answer that lost what its line \
                     did not name): {}",
                    self.line, self.error.message
                ),
                http_status: self.error.http_status,
                code: self.error.code.clone(),
                stopped_by: Some(self.line),
                ..OutcomeError::default()
            }),
            ..Outcome::new(line, key, Status::NotAttempted)
        }
    }
}

/// `line 4`, `lines 1, 2 and 5`; past 10 lines, the first 5, the last one and how many in all.
fn lines_text(lines: &[usize]) -> String {
    let join = |lines: &[usize]| {
        lines
            .iter()
            .map(usize::to_string)
            .collect::<Vec<_>>()
            .join(", ")
    };
    match lines {
        [] => String::new(),
        [line] => format!("line {line}"),
        [first @ .., last] if lines.len() <= 10 => format!("lines {} and {last}", join(first)),
        [.., last] => format!(
            "lines {}, ... {last}, {} in all",
            join(&lines[..5]),
            lines.len()
        ),
    }
}

/// Why a line's lookup found no user.
enum Lookup {
    /// The line's own failure (an error of its call, several users), or a refusal that
    /// [`stops_the_job`].
    Line(Error),
    /// The environment's users collection answered 404 or 403: it names no user, so every
    /// lookup of the job would get the same answer, and no retry can fix it. A 404 means that
    /// the API base URL (without PingOne's `/v1`, say) or the environment ID is wrong; a 403,
    /// that the caller may not read users, or that the environment does not exist (PingOne
    /// answers 403 for an environment the caller cannot see, as the Terraform provider's
    /// `CheckEnvironmentExistsOnPermissionsError` reads it). PingOne answers a 403 about one user (outside the
    /// population its role is scoped to) or one attribute; the collection's answer names no
    /// user, and is everyone's. A role scoped to populations still reads the collection, which
    /// holds the users of those populations: the admin console's Users page, which lists
    /// through it, works for an administrator so scoped (*unverified* in PingOne's API pages,
    /// which do not say; a 403 there would have failed every lookup by username and email
    /// alike). Stops the job.
    Collection(Error),
}

/// Whether `error`, an answer of the users collection (a list), is a [`Lookup::Collection`]:
/// 404 or 403, with PingOne's error body or another (a gateway's page).
fn collection_refusal(error: Error) -> Lookup {
    match error {
        Error::Api {
            status: 403 | 404, ..
        }
        | Error::Decode {
            status: 403 | 404, ..
        }
        | Error::Incomplete {
            status: 403 | 404, ..
        } => Lookup::Collection(error),
        error => Lookup::Line(error),
    }
}

impl Found {
    /// What a first line with its key found, by its outcome.
    pub(super) fn of(outcome: &Outcome) -> Found {
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
    /// What the lines of a run share: the client (with the run's correlation), the
    /// environment, whether the run is dry (and whether its outcomes carry their changes), the users done lines of a rerun found (`claims`),
    /// an empty index of the lines' keys (`keys`), and how many PATCHes refused alike in a
    /// row stop the job (`stop_after_refusals`, 0 for never).
    pub(super) fn new(
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

    pub(super) fn claims(&self) -> std::sync::MutexGuard<'_, SeenKeys> {
        self.claims
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    pub(super) fn keys(&self) -> std::sync::MutexGuard<'_, Keys> {
        self.keys
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// The outcome of `line`, whose key `first_line` had first: not looked up again, and
    /// nothing sent. Once `first_line` has found its user: a [`Status::Duplicate`] of the
    /// line that claimed that user, with the user's ID; [`Status::NotFound`] or
    /// [`Status::Ambiguous`] when it found no user or several, naming it as `firstLine`; a
    /// duplicate of `first_line`, without a user ID, when it found none (it is invalid, was
    /// not run, or its lookup failed).
    pub(super) async fn repeated(&self, line: usize, key: MatchKey, first_line: usize) -> Outcome {
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

    /// The refusal that stopped the job, if one did.
    fn stopped(&self) -> Option<Stop> {
        self.stop.borrow().clone()
    }

    /// Stops the job if `error`, which `line` got, is one that every call would get: a
    /// refusal of the credentials ([`stops_the_job`]), a token endpoint that answers 2xx with
    /// no token response (RFC 6749 §5.1), the client's refusal of an environment
    /// ID that is no UUID, an API that cannot be reached, or an answer that asks to wait
    /// longer than the client's retry policy waits out
    /// ([`RetryPolicy::waits_out`](crate::pingone::RetryPolicy::waits_out)); the first such
    /// line is the one named.
    fn stop_on(&self, line: usize, error: &Error) {
        // An environment ID that is no UUID fails every call alike, before it is sent
        // (`Error::InvalidInput`, naming it).
        let environment_refused = matches!(error, Error::InvalidInput(_))
            && !crate::pingone::is_pingone_id(&self.environment_id);
        // A failure to reach the API that every call would get: one that no retry fixes (a
        // refused TLS certificate, a plain-HTTP server at an `https` URL, a proxy asking for
        // credentials), or no connection at all (no such host, connection refused) while no
        // lookup has yet been answered (a mistyped host, a VPN that is down: each line would
        // spend its retries on it). Once one was, a failed connection is taken for a
        // passing fault, that line's alone.
        let unreachable = match error {
            Error::Transport { source, .. } => {
                !error.is_retryable() || (source.is_connect() && self.collection.get().is_none())
            }
            _ => false,
        };
        // PingOne's limit (per environment) or quota, or a service down for a while, said
        // when to come back, later than the client waits: every later line would send its
        // request into the same refusal, one after another at full speed, and fail.
        let told_to_wait =
            error.is_retryable() && self.client.retry_policy().stops_at(error.retry_after());
        // A token endpoint that answers 2xx with no token response (a proxy's sign-in page at
        // the token URL, a `token_type` other than `Bearer`): `Error::Decode`, as a 2xx of the
        // users API that does not decode is, which is that line's alone; told apart by the
        // client's token cache, which gives that answer to every call that needs a token, as
        // it gives an OAuth refusal: the error must be the one it holds, not a users answer
        // that a call sent with an earlier token got while another call's fetch failed.
        let no_token = self.client.token_endpoint_gave_no_token(error);
        if stops_the_job(error) || environment_refused || unreachable || told_to_wait || no_token {
            self.stop_with(line, OutcomeError::from_client_error(error));
        }
    }

    /// Counts `line`'s PATCH, answered `refused` (`None`: accepted), among the PATCHes that
    /// PingOne refused with the same 403 in a row, and stops the job once they are
    /// [`Shared::stop_after_refusals`]: then returns the stop's error, which says so, for the
    /// line's own outcome.
    ///
    /// PingOne answers a PATCH 403 for an attribute the worker may not update or a user
    /// outside the populations its role is scoped to, which is that line's alone; but a worker
    /// without a role that updates users (one that only reads them) gets it for every PATCH,
    /// and every line of the feed would send its PATCH into the same refusal. A PATCH accepted,
    /// or refused with another 403, starts the count again; other failures (a 400, a 5xx that
    /// outlasted the retries) neither count nor start it again.
    fn count_refusal(&self, line: usize, refused: Option<&Error>) -> Option<OutcomeError> {
        if self.stop_after_refusals == 0 {
            return None;
        }
        let answer = match refused {
            Some(Error::Api {
                status: 403, error, ..
            }) => Some((error.code.clone(), error.message.clone())),
            // A gateway's page, the same for every PATCH it refuses, or a body the connection
            // cut short.
            Some(Error::Decode { status: 403, .. } | Error::Incomplete { status: 403, .. }) => {
                Some((None, None))
            }
            Some(_) => return None,
            None => None,
        };
        let streak = {
            let mut refused_in_a_row = self
                .refused
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            let Some(answer) = answer else {
                *refused_in_a_row = RefusedInARow::default();
                return None;
            };
            if refused_in_a_row.answer.as_ref() != Some(&answer) {
                refused_in_a_row.answer = Some(answer);
                refused_in_a_row.lines.clear();
            }
            refused_in_a_row.lines.push(line);
            if refused_in_a_row.lines.len() < self.stop_after_refusals {
                return None;
            }
            std::mem::take(&mut refused_in_a_row.lines)
        };
        let refused = OutcomeError::from_client_error(refused?);
        let error = OutcomeError {
            message: format!(
                "{} PATCHes in a row ({}) were refused with the same answer, HTTP 403, and \
                 PingOne accepted none between them: the worker application most likely may \
                 not update users (give it a role that updates users, such as Identity Data \
                 Admin, on this environment or on the users' populations), or may not update \
                 an attribute that these lines set (leave it out of the feed); if only these \
                 lines' users are out of its reach, run the rest with the stop after refusals \
                 off (SyncJob::stop_after_refusals(0), sync_users --stop-after-refusals 0): {}",
                streak.len(),
                lines_text(&streak),
                refused.message
            ),
            ..refused
        };
        // Not when the job stopped already (at another line's refusal): this line did not
        // stop it.
        self.stop_with(line, error.clone()).then_some(error)
    }

    /// Stops the job at `line`, whose call got `error`, unless it stopped already; returns
    /// whether this stopped it.
    fn stop_with(&self, line: usize, error: OutcomeError) -> bool {
        self.stop.send_if_modified(|stop| {
            if stop.is_some() {
                return false;
            }
            tracing::warn!(error = %error.message, line, "the job stops: every later call would get this answer");
            *stop = Some(Stop { line, error });
            true
        })
    }

    /// The outcome error of a [`Lookup::Collection`]: the client's error, with a message that
    /// says which URL answered, that every call would get it, and what to check.
    fn collection_error(&self, error: &Error) -> OutcomeError {
        let base = self.client.api_base_url();
        let environment = self.environment_id.to_ascii_lowercase();
        let url = format!("{base}/environments/{environment}/users");
        // PingOne answers 403 (or 400, 401), not 404, for an environment that does not exist
        // or that the caller cannot see (deleted, another region's, another organization's):
        // the Terraform provider reads the environment on such an answer to tell which
        // (`CheckEnvironmentExistsOnPermissionsError`, `internal/framework/legacysdk/sdk.go` of
        // `pingidentity/terraform-provider-pingone`). Said so, the message no longer sends one
        // looking at roles alone when the environment ID is wrong.
        let why = if error.status() == Some(403) {
            format!(
                "the caller may not read the users of this environment: give the worker \
                 application a role that reads users (Identity Data Read Only, or Identity \
                 Data Admin to change them) on this environment, or use a token that has one; \
                 or the environment ID ({environment}) is wrong: PingOne answers 403, not 404, \
                 for an environment that does not exist or that the caller cannot see (deleted, \
                 or another region's or organization's)"
            )
        } else {
            format!(
                "the API base URL ({base}) or the environment ID ({environment}) is wrong: \
                 PingOne's API base URL is its region's API host with /v1 \
                 (https://api.pingone.com/v1, https://api.pingone.eu/v1...), as is the \
                 emulator's (http://127.0.0.1:PORT/v1), and the environment ID is the one in \
                 the admin console's environment settings"
            )
        };
        OutcomeError {
            message: format!(
                "the users collection {url} answered HTTP {}, an answer about no one user that \
                 every lookup would get: {why} ({error})",
                error.status().unwrap_or_default()
            ),
            ..OutcomeError::from_client_error(error)
        }
    }

    /// Whether the users collection answers: asked once (`GET .../users?limit=1`) when a
    /// user read by ID answers 404 or 403 before any call showed that it does, to tell that
    /// user's answer from everyone's. The lines that ask it at once share one request; a
    /// request that fails (but for a collection refusal) is asked again by the next line.
    async fn collection_answers(&self, client: &Client) -> Result<(), Lookup> {
        self.collection
            .get_or_try_init(|| async {
                use futures_util::TryStreamExt as _;
                let query = crate::pingone::UserQuery::all().limit(1);
                let users =
                    client.list_users_as::<serde::de::IgnoredAny>(&self.environment_id, &query);
                std::pin::pin!(users)
                    .try_next()
                    .await
                    .map(|_| ())
                    .map_err(collection_refusal)
            })
            .await?;
        Ok(())
    }

    /// `found`, unless the job stops first: then the stop.
    async fn unless_stopped<T>(&self, found: impl Future<Output = T>) -> Result<T, Stop> {
        let mut stop = self.stop.subscribe();
        let stopped = async move {
            let stop = match stop.wait_for(Option::is_some).await {
                Ok(stop) => stop.clone(),
                // The sender lives as long as `self`.
                Err(_) => None,
            };
            match stop {
                Some(stop) => stop,
                None => std::future::pending().await,
            }
        };
        match futures_util::future::select(std::pin::pin!(found), std::pin::pin!(stopped)).await {
            futures_util::future::Either::Left((found, _)) => Ok(found),
            futures_util::future::Either::Right((stop, _)) => Err(stop),
        }
    }

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
    async fn read_back(
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
    async fn username_taken(
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
    async fn earlier_renames_answered(&self, line: usize) {
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

    fn moving_lines(&self) -> std::sync::MutexGuard<'_, BTreeMap<usize, Vec<CompactKey>>> {
        self.moving
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// The user `key` names: `None` when there is none.
    ///
    /// A 404 or 403 of the users collection (the list that finds a username or an email) is
    /// [`Lookup::Collection`]. So is a 404 or 403 of a user read by ID when the collection
    /// answers the same ([`Shared::collection_answers`]): PingOne answers 404 `NOT_FOUND` for
    /// a user that does not exist, but so does any server for a URL it does not serve (an API
    /// base URL without `/v1`), and every line keyed by `id` was then "not found".
    async fn find(&self, client: &Client, key: &MatchKey) -> Result<Option<User>, Lookup> {
        let environment = &self.environment_id;
        let found = match key {
            MatchKey::Id(id) => match client.get_user(environment, id).await {
                Ok(user) => Ok(Some(user)),
                // With PingOne's error body or another (a gateway's page for a path it does
                // not serve).
                Err(
                    error @ (Error::Api {
                        status: 403 | 404, ..
                    }
                    | Error::Decode {
                        status: 403 | 404, ..
                    }
                    | Error::Incomplete {
                        status: 403 | 404, ..
                    }),
                ) => {
                    self.collection_answers(client).await?;
                    if !matches!(error, Error::Api { status: 404, .. }) {
                        return Err(Lookup::Line(error));
                    }
                    tracing::debug!(%error, "no user with this id");
                    return Ok(None);
                }
                Err(error) => Err(Lookup::Line(error)),
            },
            MatchKey::Username(username) => client
                .find_user_by_username(environment, username)
                .await
                .map_err(collection_refusal),
            MatchKey::Email(email) => client
                .find_user_by_email(environment, email)
                .await
                .map_err(collection_refusal),
        };
        if found.is_ok() {
            // Already set, or being asked: either way it answers.
            let _ = self.collection.set(());
        }
        found
    }

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
    async fn key_moved_earlier(
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
    fn record_moves(
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

    /// Records that `line` found `user_id`; returns the earlier line that found it first, if
    /// any.
    ///
    /// # Errors
    ///
    /// The temporary file's I/O error ([`SeenKeys::first_line`]).
    fn claim(&self, user_id: &str, line: usize) -> std::io::Result<Option<usize>> {
        let first = self.claims().first_line(CompactKey::id(user_id), line)?;
        Ok(Some(first).filter(|first| *first != line))
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
fn changed_meanwhile(answer: &User, desired: &DesiredUser, ignored: &[String]) -> Vec<String> {
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
fn key_changed_meanwhile(answer: &User, key: &MatchKey) -> Option<&'static str> {
    let held = match key {
        MatchKey::Id(_) => return None,
        MatchKey::Username(_) => &answer.username,
        MatchKey::Email(_) => &answer.email,
    };
    (!crate::pingone::listing::same_in_any_case(held, key.value())).then(|| key.attribute())
}

/// A line's turn to claim the user it finds ([`Shared::sync`]): taken in line order when the
/// line is started ([`ClaimTurn::take`]), waited for once its user is found
/// ([`ClaimTurn::wait`]: until every earlier line that took one has claimed its user or ended),
/// and given back when dropped, so that a line that ends early (not found, failed, stopped,
/// dropped) holds no later line.
pub(super) struct ClaimTurn {
    shared: Arc<Shared>,
    line: usize,
}

impl ClaimTurn {
    /// The turn of `line`, which is started after every earlier line that takes one.
    pub(super) fn take(shared: &Arc<Shared>, line: usize) -> ClaimTurn {
        shared.turns().insert(line);
        ClaimTurn {
            shared: Arc::clone(shared),
            line,
        }
    }

    /// Waits until no earlier line holds its turn.
    async fn wait(&self) {
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
    applied: bool,
}

impl<'a> Moving<'a> {
    fn start(shared: &'a Shared, line: usize, user_id: &str) -> Moving<'a> {
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

impl Shared {
    fn turns(&self) -> std::sync::MutexGuard<'_, BTreeSet<usize>> {
        self.claim_turns
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

#[cfg(all(test, feature = "emulator"))]
mod tests;
