//! A run's report, one [`Outcome`] per line as JSON Lines: writing it ([`write_outcome`]) and
//! reading it back for a rerun ([`rerun_lines`], [`failed_lines`]).

use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufRead, Write};

use super::desired::MatchKey;
use super::outcome::{Outcome, Status};
use super::seen_keys::CompactKey;

/// Writes `outcome` to a report as one JSON line, and flushes `report`: the line reaches the
/// file whole, as soon as the outcome is known, so the report of a run that is interrupted
/// (Ctrl-C, a killed process, a crash) holds every outcome that run got, and ends on a line
/// end, ready for [`rerun_lines`]. A report written through a buffer flushed only at the end
/// would lose them all, or be cut inside any line, which [`rerun_lines`] refuses (but for
/// its last line cut short, which it reads as no outcome).
///
/// ```
/// use sparse_patch::pingone::sync::{Outcome, rerun_lines, write_outcome};
///
/// let outcome: Outcome = serde_json::from_str(r#"{"line":1,"status":"unchanged"}"#)?;
/// let mut report = Vec::new();
/// write_outcome(&mut report, &outcome)?;
/// assert_eq!(report, b"{\"line\":1,\"status\":\"unchanged\"}\n");
/// assert_eq!(rerun_lines(report.as_slice())?.done(), 1);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # Errors
///
/// The error of writing or flushing `report`.
pub fn write_outcome(mut report: impl Write, outcome: &Outcome) -> std::io::Result<()> {
    let mut line = serde_json::to_vec(outcome)?;
    line.push(b'\n');
    report.write_all(&line)?;
    report.flush()
}

/// An error reading a report back.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ReportError {
    /// The report could not be read. The text writes the I/O error (`cannot read the report:
    /// permission denied`), which is therefore not also its
    /// [`source`](std::error::Error::source): a report that walks the chain (anyhow's `{:#}`,
    /// eyre) would print it twice. Match the variant for the `io::Error` itself.
    #[error("cannot read the report: {0}")]
    Io(std::io::Error),
    /// A line of the report is not an [`Outcome`].
    #[error("line {line} of the report is not an outcome: {message}")]
    NotAnOutcome {
        /// The line number in the report, from 1.
        line: usize,
        /// What the JSON reader said, its control and invisible format characters escaped
        /// (`\n`, `\u{1b}`, `\u{202e}`) and a value that it quotes cut to 64 characters.
        message: String,
    },
}

impl From<std::io::Error> for ReportError {
    fn from(error: std::io::Error) -> Self {
        ReportError::Io(error)
    }
}

/// What a `--only-failed` run handles again, read from a report ([`Outcome`]s as JSON Lines)
/// by [`rerun_lines`]: every line except those the report records as done
/// ([`Status::Changed`], [`Status::Unchanged`]) for the same key; a dry run's
/// [`Status::WouldChange`] was not sent, so it is still to do. So the failures run again, and so do the lines the report has no
/// outcome for (a line without an outcome never ran: outcomes are written as lines complete, so
/// a report cut short misses lines anywhere in the feed, and after its last), a line whose
/// key is not the one the report records for its number (the feed changed since, or the report
/// is another feed's), and a line whose text's digest is not the one its outcome records
/// ([`Outcome::line_digest`]: edited since, with the same key; see [`Rerun::selects_line`]).
/// Memory is the report's done lines, whatever their numbers, with the ID
/// of the user each found: a rerun takes those users as found by those lines, so that a line
/// run again that finds one of them by another key (an `id` where the done line had a
/// `username`) is still a [`Status::Duplicate`] of the done line.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Rerun {
    /// The lines recorded as done, with the key each named (`None` for a line without one).
    done: BTreeMap<usize, Option<MatchKey>>,
    /// How many lines the report records as failures.
    failures: usize,
    /// The users the done lines found, by line.
    done_users: BTreeMap<usize, CompactKey>,
    /// The digests of the done lines' text ([`Outcome::line_digest`]), where the report has
    /// them.
    done_digests: BTreeMap<usize, String>,
}

impl Rerun {
    /// Whether feed line `line` (from 1), which names its user by `key` (`None` when it names
    /// none), runs again: the report does not record it as done for that key (a username or an
    /// email in any case, as PingOne compares them; an ID in any case). A done line that the
    /// report gives without a key is taken at its number.
    #[must_use]
    pub fn selects(&self, line: usize, key: Option<&MatchKey>) -> bool {
        match self.done.get(&line) {
            None => true,
            Some(None) => false,
            // Usernames and emails compare in any case, as PingOne matches them.
            Some(Some(done_key)) => key.is_none_or(|key| key.folded() != done_key.folded()),
        }
    }

    /// How many lines the report records as failures.
    #[must_use]
    pub fn failures(&self) -> usize {
        self.failures
    }

    /// How many lines the report records as done (and so are not run again when their key is
    /// the same).
    #[must_use]
    pub fn done(&self) -> usize {
        self.done.len()
    }

    /// Whether feed line `line`, which names its user by `key` and whose text has the digest
    /// `digest` ([`line_digest`](super::line_digest); `None` for a line that could not be read), runs again: as
    /// [`selects`](Rerun::selects) says, or when the report records another digest for it
    /// (the line was edited since, with the same key), or records one for a line that cannot
    /// be read now (a done line was read: it was edited since, into one that is not UTF-8,
    /// whose key [`feed_lines`](super::feed_lines) still gives).
    #[must_use]
    pub fn selects_line(&self, line: usize, key: Option<&MatchKey>, digest: Option<&str>) -> bool {
        self.selects(line, key)
            || self
                .done_digests
                .get(&line)
                .is_some_and(|done| digest.is_none_or(|digest| digest != done))
    }

    /// The user done line `line` found (by ID, as the report records it), if any.
    pub(crate) fn done_user(&self, line: usize) -> Option<&CompactKey> {
        self.done_users.get(&line)
    }

    /// The users the done lines found (by ID, as the report records them), with their lines.
    pub(crate) fn done_users(&self) -> impl Iterator<Item = (usize, &CompactKey)> {
        self.done_users.iter().map(|(line, user)| (*line, user))
    }
}

/// What to run again after the run that wrote `report` ([`Rerun`]): its failures, the lines a
/// dry run would change (it sent nothing), and the lines it has no outcome for, the lines an
/// interrupted run never reached. Blank lines of the
/// report are skipped; where a line has two outcomes, the later one counts.
/// [`SyncJob::rerun`](super::SyncJob::rerun) runs them.
///
/// ```
/// use sparse_patch::pingone::sync::{MatchKey, rerun_lines};
///
/// // Line 2 never ran, nor did any line after 4.
/// let report = r#"{"line":1,"key":{"username":"ada"},"status":"changed"}
/// {"line":4,"status":"failed","error":{"message":"HTTP 503"}}
/// {"line":3,"key":{"username":"bob"},"status":"unchanged"}
/// "#;
/// let rerun = rerun_lines(report.as_bytes())?;
/// let ada = MatchKey::Username("ada".into());
/// assert!(!rerun.selects(1, Some(&ada)));
/// assert!(rerun.selects(2, None) && rerun.selects(4, None) && rerun.selects(5, None));
/// // The feed changed: line 1 names another user now.
/// assert!(rerun.selects(1, Some(&MatchKey::Username("carl".into()))));
/// assert_eq!((rerun.failures(), rerun.done()), (1, 2));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # Errors
///
/// [`ReportError`] when the report cannot be read, or a line of it is not an outcome (with its
/// line number): a damaged report is refused rather than read as "nothing failed". The one
/// exception is a last line cut short, without a line end and with JSON that ends before it
/// is complete (inside a character too), as a run interrupted while writing it leaves (a
/// full disk, a power cut): it is read as no outcome, so its feed line runs again, as a line
/// the run never reached (a `tracing` warning says so).
pub fn rerun_lines(report: impl BufRead) -> Result<Rerun, ReportError> {
    let mut rerun = Rerun::default();
    let mut failed = BTreeSet::new();
    read_outcomes(report, CutLastLine::NoOutcome, |outcome| {
        rerun.done_users.remove(&outcome.line);
        rerun.done_digests.remove(&outcome.line);
        if outcome.status.is_failure() {
            rerun.done.remove(&outcome.line);
            failed.insert(outcome.line);
        } else if outcome.status == Status::WouldChange {
            // A dry run planned this patch and did not send it: still to do.
            rerun.done.remove(&outcome.line);
            failed.remove(&outcome.line);
        } else {
            failed.remove(&outcome.line);
            if let Some(user_id) = &outcome.user_id {
                // `CompactKey::id` reads a UUID in any case.
                rerun
                    .done_users
                    .insert(outcome.line, CompactKey::id(user_id));
            }
            if let Some(digest) = outcome.line_digest {
                rerun.done_digests.insert(outcome.line, digest);
            }
            rerun.done.insert(outcome.line, outcome.key);
        }
    })?;
    rerun.failures = failed.len();
    Ok(rerun)
}

/// The feed lines that `report` records as failures ([`Status::is_failure`]); where a line has
/// two outcomes, the later one counts. A rerun also needs the lines the report has no outcome
/// for: [`rerun_lines`] gives both.
///
/// ```
/// use sparse_patch::pingone::sync::failed_lines;
///
/// let report = r#"{"line":1,"status":"changed"}
/// {"line":2,"status":"failed","error":{"message":"HTTP 503"}}
/// {"line":4,"status":"invalid","error":{"message":"not JSON"}}
/// "#;
/// assert_eq!(failed_lines(report.as_bytes())?, [2, 4].into());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # Errors
///
/// As [`rerun_lines`], and for a report whose last line is cut short, which `rerun_lines`
/// reads as no outcome (its line runs again) but which may have been a failure, that this
/// list would leave out.
pub fn failed_lines(report: impl BufRead) -> Result<BTreeSet<usize>, ReportError> {
    let mut failed = BTreeSet::new();
    read_outcomes(report, CutLastLine::Refused, |outcome| {
        if outcome.status.is_failure() {
            failed.insert(outcome.line);
        } else {
            failed.remove(&outcome.line);
        }
    })?;
    Ok(failed)
}

/// Calls `each` with every outcome of `report`, skipping blank lines, and a last line cut
/// short ([`cut_short`]) when `cut_last_line` allows it.
fn read_outcomes(
    mut report: impl BufRead,
    cut_last_line: CutLastLine,
    mut each: impl FnMut(Outcome),
) -> Result<(), ReportError> {
    let mut bytes = Vec::new();
    for index in 0.. {
        bytes.clear();
        if report.read_until(b'\n', &mut bytes)? == 0 {
            break;
        }
        let ended = bytes.last() == Some(&b'\n');
        let line = match std::str::from_utf8(&bytes) {
            Ok(line) => line,
            // A last line cut inside a character: its whole characters are read below.
            Err(error) if !ended && error.error_len().is_none() => {
                std::str::from_utf8(&bytes[..error.valid_up_to()]).unwrap_or_default()
            }
            Err(_) => {
                return Err(ReportError::Io(std::io::Error::new(
                    std::io::ErrorKind::InvalidData,
                    "stream did not contain valid UTF-8",
                )));
            }
        };
        if line.trim().is_empty() {
            continue;
        }
        let outcome: Outcome = match serde_json::from_str(line) {
            Ok(outcome) => outcome,
            Err(error) if cut_last_line == CutLastLine::NoOutcome && cut_short(ended, &error) => {
                tracing::warn!(
                    line = index + 1,
                    "the report's last line is cut short: its feed line runs again"
                );
                break;
            }
            Err(error) => {
                return Err(ReportError::NotAnOutcome {
                    line: index + 1,
                    // Invisible in an editor, which may have added it when saving the report.
                    message: if line.starts_with('\u{feff}') {
                        format!(
                            "{}: the line starts with a byte order mark (U+FEFF), as an \
                             editor saving \"UTF-8 with BOM\" writes; a report has none: save \
                             it as UTF-8 without BOM",
                            crate::quoted::escaped_shortened(&error.to_string(), 64)
                        )
                    } else {
                        // serde quotes a refused value whole and as it is (a feed given as the
                        // report, with a megabyte in one attribute, or line ends and escapes in
                        // an unknown `status`): escaped, and cut to 64 characters.
                        crate::quoted::escaped_shortened(&error.to_string(), 64)
                    },
                });
            }
        };
        each(outcome);
    }
    Ok(())
}

/// What a report's last line cut short is read as ([`cut_short`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum CutLastLine {
    /// No outcome: [`rerun_lines`] runs its line again, as a line without one.
    NoOutcome,
    /// Damage, refused: [`failed_lines`] gives only the failures, and would leave out the
    /// line that the cut line may have recorded as failed.
    Refused,
}

/// Whether a report line that `error` refused was cut short by an interruption while it was
/// written (the disk filled up, the power went): it is the report's last line, without a
/// line end, and its JSON ends before it is complete. [`write_outcome`] writes each outcome
/// whole, with its line end, so only the last line can be so; it holds no outcome, and its
/// feed line runs again, as a line the run never reached. Any other line that is not an
/// outcome is damage that no interruption explains, and refused.
fn cut_short(ended: bool, error: &serde_json::Error) -> bool {
    !ended && error.is_eof()
}
