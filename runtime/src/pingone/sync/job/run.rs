//! Running a [`SyncJob`] over a feed ([`SyncJob::run`], [`SyncJob::run_stream`]): each
//! line read, selected and started in order, at most [`SyncJob::concurrency`] in flight,
//! one [`Outcome`] yielded per line as it ends; and the `tracing` event that ends a line.

use std::sync::Arc;

use futures_util::{Stream, StreamExt as _};
use tracing::Instrument as _;

use super::super::desired::{LineError, LineReader};
use super::super::feed::unreadable_line_key;
use super::super::line::{ClaimTurn, Shared};
use super::super::outcome::{Outcome, Status};
use super::super::report::Rerun;
use super::super::seen_keys::{Found, SeenKeys};
use super::SyncJob;
use crate::pingone::Correlation;
use crate::pingone::error_body::event_text;

impl SyncJob {
    /// Runs the job over `lines` (the feed's lines, without their line ends, as
    /// [`BufRead::lines`](std::io::BufRead::lines) gives them; [`feed_lines`](super::super::feed_lines)
    /// also refuses a line too long to hold in memory), yielding one [`Outcome`] per
    /// non-blank selected line as each completes. Lines are read as the stream is polled, so
    /// at most [`concurrency`](SyncJob::concurrency) lines are in memory besides the keys
    /// seen so far.
    ///
    /// A line that is not UTF-8 (an error of kind
    /// [`InvalidData`](std::io::ErrorKind::InvalidData), as `lines` gives it) is an
    /// [`Status::Invalid`] outcome and the job goes on. Any other read error (the feed is a
    /// directory, its device went away) would come back at every read: its line gets an
    /// [`Status::Invalid`] outcome (`cannot read the line: ...`) and the feed ends there, not
    /// read again (a reader that would wait after its error does not hold the job); a
    /// [`rerun`](SyncJob::rerun) of the report runs the lines after it. A reader that fails with
    /// `InvalidData` itself (a corrupt compressed feed) cannot be told from a line that is not
    /// UTF-8: under `BufRead::lines` it would be read again at every line, forever;
    /// [`feed_lines`](super::super::feed_lines) ends after such an error of the reader.
    ///
    /// Dropping the stream stops the job: no line is started after, and the calls in flight
    /// are dropped with it (a PATCH already sent may still be applied by PingOne, and has no
    /// outcome). To stop without losing an outcome (on Ctrl-C, say), end the feed instead and
    /// keep polling: `lines` is read only as lines are started, so an iterator that stops
    /// (`take_while` on a flag the signal sets, as the `sync_users` example does) lets the
    /// lines in flight finish and yield their outcomes, and the stream then ends.
    ///
    /// `lines` is read in the stream's task: a read that waits (a pipe from a slow program)
    /// holds the thread, and the calls in flight wait with it. For such a feed use
    /// [`run_stream`](SyncJob::run_stream) with [`feed_lines_async`](super::super::feed_lines_async).
    ///
    /// The stream borrows nothing of the job (it holds a clone of the client and of the
    /// settings): it may outlive the job, and move into `tokio::spawn` as it is.
    ///
    /// # Panics
    ///
    /// Polling the stream panics as [`Client::update_user`] does, in a tokio runtime built
    /// without its time or IO driver. (Outside any tokio runtime each line's call is
    /// [`Error::NoRuntime`], its outcome [`Status::Failed`].)
    ///
    /// [`Client::update_user`]: crate::pingone::Client::update_user
    /// [`Error::NoRuntime`]: crate::pingone::Error::NoRuntime
    pub fn run<I>(&self, lines: I) -> impl Stream<Item = Outcome> + Send + 'static + use<I>
    where
        I: IntoIterator<Item = std::io::Result<String>>,
        I::IntoIter: Send + 'static,
    {
        self.run_stream(futures_util::stream::iter(lines))
    }

    /// [`run`](SyncJob::run) over a [`Stream`] of lines, such as
    /// [`feed_lines_async`](super::super::feed_lines_async) gives for a `tokio` reader: while the
    /// feed waits for its next line, the calls in flight go on and their outcomes are yielded.
    /// Everything else is as `run` says: one outcome per non-blank selected line, a line that
    /// is not UTF-8 an invalid line, another read error the feed's last line, and the feed
    /// read only as lines are started.
    ///
    /// To stop without losing an outcome (on Ctrl-C, say), end the lines with
    /// [`take_until`](futures_util::StreamExt::take_until) on the stop's future
    /// (`feed_lines_async(feed).take_until(tokio::signal::ctrl_c())`, tokio's feature
    /// `signal`): the lines in flight finish and yield their outcomes, and the stream ends.
    /// Not with `take_while` on a flag, as [`run`](SyncJob::run) may: `take_while` looks at
    /// the flag only when the feed gives a line, so over a feed that waits (a pipe whose
    /// writer is idle) the stop would wait for the next line, or for ever.
    ///
    /// ```
    /// use futures_util::StreamExt;
    /// use sparse_patch::pingone::{Client, TokenSource, emulator::Emulator};
    /// use sparse_patch::pingone::sync::{Status, SyncJob, feed_lines_async};
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let emulator = Emulator::start()?;
    /// let client = Client::builder()
    ///     .api_base_url(emulator.api_base_url())
    ///     .token(TokenSource::bearer(emulator.token()))
    ///     .build()?;
    /// // Any `tokio::io::AsyncBufRead`: a `BufReader` over a child's stdout, a socket, a file.
    /// let feed: &'static [u8] = b"{\"username\": \"dspanner\", \"title\": \"CTO\"}\n";
    /// let job = SyncJob::new(&client, emulator.environment_id());
    /// let outcomes: Vec<_> = job.run_stream(feed_lines_async(feed)).collect().await;
    /// assert_eq!(outcomes[0].status, Status::Changed);
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Panics
    ///
    /// As [`run`](SyncJob::run): polling the stream in a runtime without its time or IO
    /// driver.
    pub fn run_stream<S>(&self, lines: S) -> impl Stream<Item = Outcome> + Send + 'static + use<S>
    where
        S: Stream<Item = std::io::Result<String>> + Send + 'static,
    {
        let shared = Arc::new(Shared::new(
            self.client.with_correlation(
                Correlation::new()
                    .session_id(&self.run_id)
                    .unwrap_or_default(),
            ),
            self.environment_id.clone(),
            self.dry_run,
            self.planned_changes,
            self.claims(),
            SeenKeys::new(self.keys_in_memory),
            self.stop_after_refusals,
        ));
        let reader = LineReader::new(self.custom_attributes.clone());
        let reading = Arc::clone(&shared);
        let only = self.only_lines.clone();
        let rerun = self.rerun.clone();
        // A read that fails for another reason than a line that is not UTF-8 (which the
        // reader skips) fails again at every call: a directory, a device gone. Its line gets
        // its outcome, and the feed ends there rather than yielding that error forever. The
        // feed is not read again after it (`take_while` would read one more item to drop
        // it): a reader that then waits forever (a socket gone quiet, a pipe whose writer
        // hangs) or fails otherwise would hold or fail the job after its last outcome.
        let work = futures_util::stream::unfold(
            (Box::pin(lines), false),
            |(mut lines, ended)| async move {
                if ended {
                    return None;
                }
                let text = lines.next().await?;
                let ended = matches!(
                    &text,
                    Err(error) if error.kind() != std::io::ErrorKind::InvalidData
                );
                Some((text, (lines, ended)))
            },
        )
        .enumerate()
        .map(move |(index, text)| {
            let line = index + 1;
            // Recorded with the outcome, so that a rerun tells a done line edited since.
            let digest = text
                .as_ref()
                .ok()
                .map(|text| super::super::line_digest(text));
            let mut keys = reading.keys();
            let read = match text {
                // Blank, a byte order mark aside (an empty feed saved as "UTF-8 with
                // BOM"), as `parse_line` reads a line without it.
                Ok(text) if super::super::is_blank_line(&text) => {
                    return None;
                }
                // Every line is read, selected or not, to record its key.
                Ok(text) => reader.read(&mut keys.seen, line, &text),
                Err(error) => {
                    let key = unreadable_line_key(&error);
                    Err(reader.unreadable(&mut keys.seen, line, key, &error))
                }
            };
            let key = match &read {
                Ok(desired) => Some(&desired.key),
                Err((key, _)) => key.as_ref(),
            };
            let selected = only.as_ref().is_none_or(|lines| lines.contains(&line))
                && rerun
                    .as_ref()
                    .is_none_or(|rerun| rerun.selects_line(line, key, digest.as_deref()));
            // What the first line with a key finds is kept with the key, for the later
            // lines with it: once its lookup ends for a line that runs, at once for one
            // that is never looked up (invalid, or not run: a rerun's done line found the
            // user its report gives).
            match (&read, key) {
                (Ok(_), Some(_)) if selected => {
                    keys.in_flight.insert(line, Vec::new());
                }
                (Err((_, LineError::Duplicate { .. } | LineError::KeysUnavailable(_))), _)
                | (_, None) => {}
                (_, Some(key)) => {
                    let found = match (&read, &rerun) {
                        (Ok(_), Some(rerun)) => {
                            rerun.done_user(line).map_or(Found::Unknown, Found::user_of)
                        }
                        _ => Found::Unknown,
                    };
                    keys.found(&key.folded(), line, found);
                }
            }
            // A done line run again whose key changed names another user now: the user its
            // report gives is no longer its claim, and a later line that finds that user may
            // claim it. One without a key (unreadable now) keeps it, and so does one run
            // again with its key unchanged (edited since, invalid or not UTF-8 now): it still
            // names that user, and a later line for it is still a duplicate (released, a
            // line refused as such in the first run wrote the user the done line changed).
            let key_changed =
                key.is_some() && rerun.as_ref().is_some_and(|rerun| rerun.selects(line, key));
            drop(keys);
            if selected
                && key_changed
                && let Some(user) = rerun.as_ref().and_then(|rerun| rerun.done_user(line))
                && let Err(error) = reading.claims().release(user, line)
            {
                tracing::warn!(%error, line, "cannot release the user a done line found");
            }
            selected.then_some((line, read, digest))
        })
        .filter_map(std::future::ready);
        // In each line's span: the lines of two jobs of one process (a service running
        // several) are told apart in a log, and found with the run's calls in PingOne's.
        let run_id: Arc<str> = Arc::from(self.run_id.as_str());
        work.map(move |(line, read, digest)| {
            let shared = Arc::clone(&shared);
            let span = tracing::info_span!("pingone.sync.line", run_id = &*run_id, line);
            // Taken here, as the lines are started in order: a line claims its user after
            // the earlier ones.
            let read = read.map(|desired| (ClaimTurn::take(&shared, line), desired));
            async move {
                let mut outcome = match read {
                    Ok((turn, desired)) => {
                        let key = desired.key.folded();
                        let outcome = shared.sync(desired, turn).await;
                        shared.keys().found(&key, line, Found::of(&outcome));
                        outcome
                    }
                    Err((Some(key), LineError::Duplicate { first_line })) => {
                        shared.repeated(line, key, first_line).await
                    }
                    Err((key, error)) => Outcome::invalid(line, key, &error),
                };
                outcome.line_digest = digest;
                trace_line_done(&outcome);
                outcome
            }
            .instrument(span)
        })
        .buffer_unordered(self.concurrency)
    }
}

/// The `tracing` event that ends a line's span, `line done`, with the line's `outcome` (the
/// report's `status`, such as `changed`; not named `status`, which a call's span gives the
/// HTTP status). A DEBUG event, but for a [`Status::Failed`] line: a WARN event with what the
/// report's error gives of the failure, as far as known, under the names of the failed call's
/// span: `status` (the HTTP status), `code`, `error_id` and `correlation_id` (which PingOne's
/// support asks for); and `may_have_been_applied`. Not its message, which may quote the
/// line's key (a username or an email) or PingOne's text about the user's values: the report
/// holds it. A failed line was a DEBUG event with its outcome alone: at INFO the log showed
/// nothing of it, and at DEBUG not which call failed, the call's span (where its correlation
/// ID is recorded) being closed by then.
fn trace_line_done(outcome: &Outcome) {
    match (&outcome.status, &outcome.error) {
        (Status::Failed, Some(error)) => tracing::warn!(
            outcome = outcome.status.as_str(),
            status = error.http_status,
            code = error.code.as_deref().map(event_text),
            error_id = error.error_id.as_deref().map(event_text),
            correlation_id = error.correlation_id.as_deref(),
            may_have_been_applied = error.may_have_been_applied,
            "line done"
        ),
        _ => tracing::debug!(outcome = outcome.status.as_str(), "line done"),
    }
}

impl SyncJob {
    /// The index of the users found, by the line that found each first: empty, or for a
    /// [`rerun`](SyncJob::rerun) the users its done lines found, which are not run again, so
    /// that a line run again that finds one of them by another key is a duplicate.
    fn claims(&self) -> SeenKeys {
        let mut claims = SeenKeys::new(self.keys_in_memory);
        for (line, user) in self.rerun.iter().flat_map(Rerun::done_users) {
            // On an error the index remembers it: a user it does not hold is then an error
            // for the line that finds it (`LineError::KeysUnavailable`), never a first.
            if let Err(error) = claims.first_line(user.clone(), line) {
                tracing::warn!(%error, line, "cannot record the user a done line found");
            }
        }
        claims
    }
}
