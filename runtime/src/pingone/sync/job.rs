//! [`SyncJob`]: reads a feed line by line, finds each user, plans the patch and sends it, with
//! bounded concurrency, yielding one [`Outcome`] per line. Running it is `job/run.rs`.
//!
//! [`Outcome`]: super::Outcome

use std::collections::BTreeSet;
use std::time::{SystemTime, UNIX_EPOCH};

use super::report::Rerun;
use super::seen_keys::DEFAULT_KEYS_IN_MEMORY;
use crate::pingone::{Client, Correlation, Error};

/// How many lines are in flight at once unless [`SyncJob::concurrency`] says otherwise.
pub const DEFAULT_CONCURRENCY: usize = 8;

/// How many PATCHes in a row refused with the same 403 stop the job unless
/// [`SyncJob::stop_after_refusals`] says otherwise.
pub const DEFAULT_STOP_AFTER_REFUSALS: usize = 5;

/// A sync job: makes PingOne users match a desired-state feed, one JSON object per line.
///
/// For each line: read it ([`parse_line`](super::parse_line)), find its user (by `id` with a
/// GET, by `username` or `email` with the client's `find_user_by_*`), plan the patch
/// ([`plan_patch`](super::plan_patch)), send it if it is not empty ([`Client::update_user`]), and check the user
/// PingOne answers: an attribute the patch set or cleared that the answer does not hold (one
/// PingOne ignored, such as a misspelled or undeclared custom attribute) makes the line
/// [`Status::Failed`](super::Status::Failed), naming it, instead of [`Status::Changed`](super::Status::Changed), and
/// so does a member of an object the patch merges into (`name.family` beside a `name.given`
/// it sets) that the user held and the answer no longer holds, when the answer holds none of
/// the object's other members either (PingOne does not document whether it merges a partial
/// `name` or replaces it; an object that keeps one was merged, and what it lost another writer
/// removed), which also stops the job as a refusal does, so that no later line erases the
/// same; and so does an attribute the line manages but the patch left out (the plan found it
/// as the line asks) that the answer no longer holds so, as another writer changed it between
/// the lookup and the PATCH (the job goes on: a rerun of the failed lines gives it back); and
/// so does a line found by `username` or `email` whose user the answer shows renamed (its
/// `username` or `email` no longer the line's key in any case): another writer changed it
/// between the lookup and the PATCH, which went by the ID found, so the user who holds the
/// key now, if anyone, was not patched, and a rerun of the failed lines looks it up again; a
/// 2xx answer whose body cannot be read (cut short on the way: its JSON, or the connection
/// inside it) is an update PingOne applied, and
/// the line is `changed` when the user, read back, holds the patch. Lines are
/// handled [`concurrency`](SyncJob::concurrency) at a time; the client's rate limit, retries
/// and pre-flight apply to every call. Every call carries the run's ID as
/// `X-Ping-External-Session-ID` and `line-{n}` as `X-Ping-External-Transaction-ID`, and runs
/// in a `tracing` span `pingone.sync.line` (level INFO) with the run's ID, `run_id`, and the
/// line number, `line` (never the line's key, a user's username or email); the line's outcome
/// is a DEBUG event `line done` with its `outcome` (the report's `status`: `changed`,
/// `notFound`...; not named `status`, which a call's span gives as the HTTP status), a
/// `failed` line's a WARN event that adds the failed call's `status`, `code`, `error_id`,
/// `correlation_id` and `may_have_been_applied` (not the error's message: the report has it),
/// and the stop at a refusal a WARN event.
///
/// **A PATCH that may have landed says so**: a [`Status::Failed`](super::Status::Failed)
/// line whose PATCH PingOne may have applied all the same (an attempt timed out, lost its
/// connection after sending, got its answer cut short or unreadable or a 5xx other than 503,
/// even one retried before the answer that failed the line), or applied and answered with
/// what failed (an attribute ignored), has
/// [`OutcomeError::may_have_been_applied`](super::OutcomeError::may_have_been_applied): its
/// user is either as found or patched. Without it, a failed line left its user as it was.
///
/// **Nothing is lost**: [`run`](SyncJob::run) yields exactly one [`Outcome`] per non-blank
/// line (per selected line with [`only_lines`](SyncJob::only_lines)), in the order they
/// complete. A bad line, a user not found or a failed call is an outcome; it never stops the
/// job, but for a refusal that every call would get.
///
/// **A refusal stops the job**: when a line's call is refused in a way that no retry can fix
/// and that every later call would get, the job sends nothing more, and every line after it
/// still gets its outcome, [`Status::NotAttempted`](super::Status::NotAttempted), whose error gives the refusal (its text,
/// `httpStatus` and `code`) and the line that got it ([`OutcomeError::stopped_by`](super::OutcomeError::stopped_by)). Those
/// refusals are the token endpoint's (any status but 408, 429, 500, 502, 503 and 504: a wrong
/// client secret or an unknown client, 401 `invalid_client`; a client not allowed the
/// `client_credentials` grant, 400 `unauthorized_client`; and its 2xx that is no token
/// response, RFC 6749 §5.1, such as a proxy's sign-in page at the token URL, which is
/// [`Error::Decode`]), and a 401 of the API, which the
/// client gets only after sending the call again with a fresh worker token, or for a fixed
/// bearer token that has expired or was revoked; and a 404 or 403 of the environment's users
/// collection, the list that finds users by `username` and `email`, which names no user: a 404
/// there means that the API base URL (one without PingOne's `/v1`) or the environment ID is
/// wrong, a 403 that the caller may not read users, and the line's error says so, with the
/// URL; an environment ID that is no UUID, which the client refuses for every call before
/// sending it ([`Error::InvalidInput`]); and an API that
/// cannot be reached ([`Error::Transport`]): a failure that
/// no retry fixes (a refused TLS certificate, a plain-HTTP server at an `https` URL, a proxy
/// asking for credentials, to the `CONNECT` of an `https` request or with its 407 answer to
/// an `http` one), or a failed connection (no such host, connection refused) before
/// any lookup was answered; once one was, a failed connection is that line's alone; and an
/// answer that asks to wait longer than the client's retry policy waits out
/// ([`RetryPolicy::max_retry_after`](crate::pingone::RetryPolicy::max_retry_after): a quota, a
/// service down for a while), into which every later line would send its request; and
/// PingOne's answer to a PATCH that no longer holds a member of an object the patch merges
/// into (`name.family` for a line that sets `name.given`) that the user held: PingOne
/// replaced the object rather than merging it, which would erase the same members of every
/// later line's user. A 403
/// about one user does not stop the job: PingOne answers it for an attribute the
/// caller may not update, and for a user outside the population its role is scoped to, so it
/// is that line's failure alone; but [`stop_after_refusals`](SyncJob::stop_after_refusals)
/// PATCHes in a row (5 by default) refused with the same 403, and none accepted between them,
/// stop it: a worker application that may read users but not update them gets that answer
/// for every PATCH, and the feed would send each line's PATCH into it. Neither does a 429 or
/// 5xx that outlasted the retries stop the job. A line
/// keyed by `id` whose user answers 404 (or 403) before any call showed that the collection
/// answers asks it once (`GET .../users?limit=1`, shared by the lines in flight): if it
/// answers, the line is [`Status::NotFound`](super::Status::NotFound) (or that user's 403,
/// [`Status::Failed`](super::Status::Failed)); if not, the job stops. The rest of the feed is
/// still read, at once and without a call, so
/// that each line has its outcome: an invalid line or a duplicate is still reported as such,
/// and the others are not attempted. Lines in flight at the stop end as follows: a lookup
/// under way is dropped (a GET changes nothing) and its line is not attempted; a line that
/// had not sent its PATCH sends none and is not attempted (with its user's ID); a PATCH
/// already sent is never dropped, and its line gets what PingOne answers (the same refusal,
/// [`Status::Failed`](super::Status::Failed), for a line that asked for a token). A
/// [`rerun`](SyncJob::rerun) of the report, once the credentials are fixed, runs the failed
/// and not attempted lines.
///
/// **Two lines for one user**: the first line is applied, and each later one is a
/// [`Status::Duplicate`](super::Status::Duplicate) naming it. Lines with the same key (usernames and emails in any case)
/// are told apart in line order; two different keys that lead to the same user (an `id` and a
/// `username`, say) are found once both users are read, and the earlier line in the feed wins
/// whatever the order of PingOne's answers: a line claims the user it found once every
/// earlier line in flight has claimed its own or ended, so that a dry run shows which line a
/// run applies. A duplicate's `firstLine`
/// ([`OutcomeError::first_line`](super::OutcomeError::first_line)) is always the line that claimed the user, never another
/// duplicate (line 1 by `username`, line 2 by `email` for the same user, line 3 by that
/// `email` again: lines 2 and 3 both name line 1), and its [`Outcome::user_id`] is the user's.
///
/// A line whose key an earlier line has (the *first line* with that key) is not looked up
/// again, and sends nothing: its outcome waits for what the first line finds (a key's lookup
/// is made once, however many lines repeat it). When that is no user, or several, the line is
/// [`Status::NotFound`](super::Status::NotFound) or [`Status::Ambiguous`](super::Status::Ambiguous), with `firstLine` naming the first line, not a
/// duplicate of a user who does not exist. When the job knows no user for the key (the first
/// line is invalid, was not run under [`only_lines`](SyncJob::only_lines), or its lookup
/// failed), the line is a duplicate of the first line, without a user ID.
///
/// **A key that an earlier line changes**: a line keyed by a `username` or `email` that an
/// earlier line of the feed changes (the user's value before it, or the one it sets; in any
/// case) is [`Status::Invalid`](super::Status::Invalid), naming that line, and sends nothing:
/// which user its lookup finds depends on whether that line's PATCH was applied first (an
/// email that two users share, which the earlier line moves one of them off, was ambiguous in
/// a dry run and changed the other user in a run one line at a time), so a dry run could not
/// show what a run does. A [`rerun`](SyncJob::rerun) once that line is done runs it. Each
/// such change is kept as a line's key is (in memory, then in the temporary file).
///
/// **Lines that change one username**: a line that renames its user sends its PATCH only
/// once every earlier line of the feed that changes the same username (renames its user away
/// from it, or to it) has been answered, or ended without a PATCH, so that PingOne gets the
/// PATCHes that change one username in line order, and each line's outcome is what the lines
/// before it left, whatever the timing (the other lines stay concurrent). So a line that sets
/// a username an earlier line frees is applied once that line's PATCH is (without the wait,
/// on a loaded machine the later PATCH landed first and PingOne refused it,
/// `UNIQUENESS_VIOLATION`); if that PATCH failed or was not sent, the name is still held
/// (looked up again), and the line is [`Status::Invalid`](super::Status::Invalid), naming
/// that line, with nothing sent. Of several lines that set one username, the first whose
/// PATCH PingOne applies gets it, and each later one is `invalid`, naming that line, with
/// nothing sent (a chain, line 1 freeing `x`, line 2 taking `x` and freeing `y`, line 3
/// taking `y`, is applied in that order). A line that sets a username a *later* line frees
/// finds it held, as PingOne would in line order, and is `invalid` in every run; the later
/// line waits for it, and is applied. A line waits only for an earlier one, so no wait is
/// ever circular: two lines that swap two usernames (which no order of PATCHes applies,
/// usernames being unique at every moment) both end `invalid`, the first finding its new
/// username held, the second naming the first. A dry run, which applies nothing, reports the
/// name held wherever a run finds it freed by an earlier line.
/// Emails, which PingOne does not keep unique, are not checked.
///
/// ```
/// use futures_util::StreamExt;
/// use sparse_patch::pingone::{Client, TokenSource, emulator::Emulator};
/// use sparse_patch::pingone::sync::{Status, SyncJob};
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let emulator = Emulator::start()?;
/// let client = Client::builder()
///     .api_base_url(emulator.api_base_url())
///     .token(TokenSource::bearer(emulator.token()))
///     .build()?;
/// let feed = [
///     r#"{"username": "dspanner", "title": "CTO", "nickname": null}"#,
///     r#"{"username": "nobody", "title": "Intern"}"#,
/// ];
/// let job = SyncJob::new(&client, emulator.environment_id()).concurrency(4)?;
/// let mut outcomes: Vec<_> = job.run(feed.map(|line| Ok(line.to_owned()))).collect().await;
/// outcomes.sort_by_key(|outcome| outcome.line);
/// assert_eq!(outcomes[0].status, Status::Changed);
/// assert_eq!(outcomes[1].status, Status::NotFound);
/// assert_eq!(emulator.user(emulator.user_id()).unwrap()["title"], "CTO");
/// # Ok(())
/// # }
/// ```
///
/// [`Outcome`]: super::Outcome
/// [`Outcome::user_id`]: super::Outcome::user_id
#[derive(Debug, Clone)]
pub struct SyncJob {
    client: Client,
    environment_id: String,
    run_id: String,
    concurrency: usize,
    dry_run: bool,
    planned_changes: bool,
    custom_attributes: Option<BTreeSet<String>>,
    only_lines: Option<BTreeSet<usize>>,
    /// What an earlier run left to do ([`SyncJob::rerun`]).
    rerun: Option<Rerun>,
    keys_in_memory: usize,
    stop_after_refusals: usize,
}

impl SyncJob {
    /// A job on `environment_id` through `client`, with [`DEFAULT_CONCURRENCY`], sending
    /// patches, and a run ID made of the time and the process ID (`sync-{seconds}-{pid}`).
    #[must_use]
    pub fn new(client: &Client, environment_id: impl Into<String>) -> Self {
        let seconds = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |since| since.as_secs());
        let run_id = format!("sync-{seconds}-{}", std::process::id());
        SyncJob {
            client: client.clone(),
            environment_id: environment_id.into(),
            run_id,
            concurrency: DEFAULT_CONCURRENCY,
            dry_run: false,
            planned_changes: false,
            custom_attributes: None,
            only_lines: None,
            rerun: None,
            keys_in_memory: DEFAULT_KEYS_IN_MEMORY,
            stop_after_refusals: DEFAULT_STOP_AFTER_REFUSALS,
        }
    }

    /// The run's ID, sent as `X-Ping-External-Session-ID` with every call of the run.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] when `run_id` cannot be a correlation ID (see
    /// [`Correlation::session_id`]).
    pub fn run_id(mut self, run_id: &str) -> Result<Self, Error> {
        Correlation::new().session_id(run_id)?;
        run_id.clone_into(&mut self.run_id);
        Ok(self)
    }

    /// The run's ID.
    #[must_use]
    pub fn get_run_id(&self) -> &str {
        &self.run_id
    }

    /// How many lines are looked up and sent at once ([`DEFAULT_CONCURRENCY`], 8, by
    /// default). The client's rate limit still spaces the requests.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] for 0, which would handle no line: pass 1 or more. It counted
    /// as 1 without a word, where the client's
    /// [`rate_limit(0)`](crate::pingone::ClientBuilder::rate_limit), the other knob of how fast
    /// a job goes, is an error; a 0 is most often a setting that was not read (an empty
    /// environment variable parsed to its default), which one line at a time would hide.
    pub fn concurrency(mut self, lines: usize) -> Result<Self, Error> {
        if lines == 0 {
            return Err(Error::InvalidInput(
                "a sync job's concurrency of 0 would handle no line: pass 1 or more (lines \
                 looked up and sent at once; DEFAULT_CONCURRENCY is 8)"
                    .to_owned(),
            ));
        }
        self.concurrency = lines;
        Ok(self)
    }

    /// Plans only: users are read and patches planned, but nothing is sent; a line that would
    /// change gets [`Status::WouldChange`](super::Status::WouldChange).
    #[must_use]
    pub fn dry_run(mut self, on: bool) -> Self {
        self.dry_run = on;
        self
    }

    /// In a dry run, gives each [`WouldChange`](super::Status::WouldChange) outcome
    /// [`Outcome::changes`](super::Outcome::changes): what its patch changes, with the values
    /// the user holds now (`~ /title: "Engineer" -> "Lead"`), so that a plan can be reviewed
    /// before it is applied. From the user the dry run reads anyway: no other request. Off by
    /// default: with it, the outcomes hold the users' personal data, the values that each
    /// line's patch changes (not the whole user). A run that sends its patches ignores it.
    #[must_use]
    pub fn planned_changes(mut self, on: bool) -> Self {
        self.planned_changes = on;
        self
    }

    /// The environment's custom attributes: others are unknown attributes. Without this,
    /// any name that can be a custom attribute is accepted, but a core attribute's name in
    /// another case (`userName`, `Title`), which PingOne would ignore.
    #[must_use]
    pub fn custom_attributes<I, S>(mut self, names: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.custom_attributes = Some(names.into_iter().map(Into::into).collect());
        self
    }

    /// How many keys each of the job's two indexes holds in memory (default
    /// [`DEFAULT_KEYS_IN_MEMORY`]) before it moves them to a temporary file.
    ///
    /// To tell two lines for one user anywhere in the feed, the job keeps the key of every
    /// line read and the ID of every user found, with the line that named it first (and, for
    /// a key, what that line found: the user's ID, or no user): about 200 bytes a line in
    /// memory. Past `keys` keys, an index moves to two temporary files
    /// (`tempfile::tempfile`, in [`std::env::temp_dir`], set by `TMPDIR` on Unix; removed by
    /// the system when closed, even if the process is killed): a hash table of 48 bytes
    /// a slot, at most half full, and the keys' bytes, with one read of 48 bytes per slot
    /// probed. The job's memory then stays flat however long the feed is (BENCHMARKS.md,
    /// section 20). `usize::MAX` keeps every key in memory and never writes a file.
    ///
    /// Where the temporary directory is itself in memory (a `tmpfs` `/tmp`), the file's pages
    /// are in RAM too, though not in the process's heap: point `TMPDIR` at a disk for feeds of
    /// many millions of users.
    ///
    /// If the temporary file cannot be made, the keys stay in memory (a `tracing` warning
    /// says so). If it fails later (its disk is full), the lines it cannot check get
    /// [`LineError::KeysUnavailable`] (status [`Status::Failed`](super::Status::Failed)) and nothing is sent for
    /// them: from the first failure on, every line whose key (or user) the file does not
    /// hold, even once the disk has room again, since an earlier line's key left out may be
    /// the same; a line whose key it holds is still told a duplicate.
    ///
    /// [`LineError::KeysUnavailable`]: super::LineError::KeysUnavailable
    #[must_use]
    pub fn keys_in_memory(mut self, keys: usize) -> Self {
        self.keys_in_memory = keys;
        self
    }

    /// How many PATCHes in a row refused with the same 403 (PingOne's same `code` and
    /// `message`) stop the job ([`DEFAULT_STOP_AFTER_REFUSALS`], 5, by default; 0: never).
    ///
    /// PingOne answers a PATCH 403 for an attribute the worker application may not update,
    /// or a user outside the populations its role is scoped to: that line's alone. But a
    /// worker that may read users and not update them (a role such as Identity Data Read Only
    /// alone) gets it for every PATCH, and every line of the feed would send its PATCH into
    /// the same refusal. Once this many PATCHes in a row, in the order their answers come,
    /// got the same 403, with none accepted between them, the job stops as at a refused
    /// credential: the line that made the count is named by every later line's
    /// [`Status::NotAttempted`](super::Status::NotAttempted) outcome, whose message says how
    /// many lines were refused, which, and what to fix. A PATCH accepted (or refused with
    /// another 403) starts the count again; other failures, and lines that send no PATCH
    /// (unchanged, not found, invalid, a dry run's), neither count nor start it again.
    ///
    /// A feed whose first lines are all users out of the worker's reach stops there too: run
    /// the rest with 0 ([`rerun`](SyncJob::rerun) of the report then sends the refused lines
    /// again, each refused once more, and the not attempted ones).
    #[must_use]
    pub fn stop_after_refusals(mut self, patches: usize) -> Self {
        self.stop_after_refusals = patches;
        self
    }

    /// Handles only these lines (numbers from 1), such as the failures of an earlier report
    /// ([`failed_lines`](super::failed_lines)). Every line is still read, so that a selected
    /// line with the same key as an earlier, unselected one is still a duplicate of it,
    /// without a user ID. An unselected line is not looked up, so a selected line that finds
    /// its user by another key (an `email` where the unselected line has the `username`) is
    /// not told a duplicate: [`rerun`](SyncJob::rerun) knows the users of an earlier run.
    #[must_use]
    pub fn only_lines(mut self, lines: BTreeSet<usize>) -> Self {
        self.only_lines = Some(lines);
        self.rerun = None;
        self
    }

    /// Handles only the lines an earlier run left to do, read from its report by
    /// [`rerun_lines`](super::rerun_lines): every line but those it records as done for the
    /// same key ([`Rerun::selects`]): its failures, the lines it has no outcome for (a run cut
    /// short never reached them), and lines that name another user than the report says (the
    /// feed changed since). As with [`only_lines`](SyncJob::only_lines), every line is still
    /// read, and the users the done lines found (the report's `userId`) count as found by
    /// them: a line run again that finds one of them, by any key, or that has a done line's
    /// key, is a [`Status::Duplicate`](super::Status::Duplicate) of the done line, with the user's ID. A done line run
    /// again because its key changed no longer claims the user its report gives: a later line
    /// that finds that user is its first (an earlier line that finds it before the done line
    /// is read is still a duplicate of the done line). A done line edited since, with the
    /// same key, runs again too: its text's digest is not the one its outcome records
    /// ([`Rerun::selects_line`], [`Outcome::line_digest`](super::Outcome::line_digest)).
    #[must_use]
    pub fn rerun(mut self, rerun: &Rerun) -> Self {
        self.rerun = Some(rerun.clone());
        self.only_lines = None;
        self
    }
}

mod run;
