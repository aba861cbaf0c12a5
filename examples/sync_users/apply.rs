//! A run that sends the patches: progress, the report, and stopping on request.

use std::io::{BufWriter, Write};
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use futures_util::StreamExt;
use indicatif::{ProgressBar, ProgressStyle};
use sparse_patch::pingone::sync::{Outcome, Status, Summary, SyncJob, write_outcome};
use tokio::sync::mpsc::UnboundedReceiver;

use crate::output::NotAttempted;
use crate::output::Output;
use crate::output::describe;
use crate::output::note;
use crate::output::plural;
use crate::report::Old;
use crate::report::create_report;

/// What [`apply_with`] did.
pub(crate) struct Applied {
    pub(crate) summary: Summary,
    /// The exit status of the signal (Ctrl-C, SIGTERM, SIGHUP) that stopped the run before
    /// the end of the feed, if one did.
    pub(crate) interrupted: Option<u8>,
}

/// Sends the patches; shows progress; writes the report: first the outcomes of `old` (an
/// earlier report's, by line) that stand, for the lines not run again, then each outcome as it
/// comes, then `old`'s outcomes of the lines run again that the run did not reach, so that it
/// holds one outcome a line. The old outcomes come first so that a run killed midway (a second
/// Ctrl-C, a crash) does not lose them: the report may be the old report itself.
///
/// A message on `interrupts` (Ctrl-C, SIGTERM, SIGHUP: [`stop_requests`]) stops the run: no new line is started, and the lines in
/// flight finish and get their outcomes (a PATCH sent is recorded, so a rerun neither loses
/// nor repeats it); a second one stops at once, leaving the lines in flight without an
/// outcome (a rerun runs them again, from a fresh read of their users). An output that
/// closes (`out`: `| head`) stops the run as a first Ctrl-C does.
#[allow(
    clippy::too_many_arguments,
    reason = "the run's inputs, where it reports, and the tests' hook on each outcome"
)]
pub(crate) async fn apply_with<I>(
    job: &SyncJob,
    lines: I,
    total: usize,
    report: Option<&PathBuf>,
    old: Old,
    interrupts: &mut UnboundedReceiver<u8>,
    out: &mut Output<impl Write>,
    mut each: impl FnMut(&Outcome),
) -> Result<Applied, Box<dyn std::error::Error>>
where
    I: IntoIterator<Item = std::io::Result<String>>,
    I::IntoIter: Send + 'static,
{
    // A report that cannot be written stops the run (its outcomes would be lost), and says
    // which file and how far the run went: the lines handled so far are sent.
    let cannot_write = |path: &PathBuf, error: &dyn std::fmt::Display, handled: usize| {
        format!(
            "cannot write the report {}: {error}; the run stopped there, {handled} line(s) \
             recorded in it (their changes are sent); --only-failed with it runs again the \
             lines it lacks, from a fresh read of their users",
            path.display()
        )
    };
    let bar = out.bar.then(|| {
        let bar = ProgressBar::new(total as u64);
        if let Ok(style) = ProgressStyle::with_template("{bar:40} {pos}/{len} lines  {msg}") {
            bar.set_style(style);
        }
        bar
    });
    // The old outcomes that stand are in the report before any line runs (see
    // `create_report`: the old report stays whole until they all are).
    let mut report = match report {
        Some(path) => Some((
            BufWriter::new(
                create_report(path, &old.standing, |file| file).map_err(|error| {
                    format!(
                        "cannot create the report {}: {error}; nothing was sent",
                        path.display()
                    )
                })?,
            ),
            path,
        )),
        None => None,
    };
    let mut summary = Summary::default();
    // How many lines got their outcome, and the old outcomes of the lines run again that got
    // none yet (the report closes with them). Not the set of every line run, which grew with
    // the feed: about 20 bytes a line, hundreds of megabytes for a feed of tens of millions.
    let mut handled = 0_usize;
    let mut not_reached = old.rerun;
    // Read before each line is started: once set, the feed ends there for the job.
    let stop = Arc::new(AtomicBool::new(false));
    let lines = {
        let stop = Arc::clone(&stop);
        lines
            .into_iter()
            .take_while(move |_| !stop.load(Ordering::Relaxed))
    };
    let mut outcomes = std::pin::pin!(job.run(lines));
    let mut interrupted = None;
    // Set when the report could not take an outcome: the error the run ends with.
    let mut report_failed = None;
    // The lines not attempted (the job stopped at a refusal), said once after the counts.
    let mut not_attempted = NotAttempted::default();
    // What the messages of a stopped run say of the lines in flight and of the rest: without
    // `--report` there is no report to resume from.
    let (in_flight, the_rest) = if report.is_some() {
        (
            "finish and are recorded",
            "--only-failed with its report runs the rest",
        )
    } else {
        (
            "finish (without --report nothing keeps their outcomes for a rerun)",
            "no report was written (--report FILE keeps one, from which --only-failed runs the \
             rest)",
        )
    };
    loop {
        // Ctrl-C first: once pressed, the next poll of the job would start another line.
        let outcome = tokio::select! {
            biased;
            Some(status) = interrupts.recv() => {
                if interrupted.is_some() {
                    note!(
                        "\ninterrupted again: stopping now; the lines in flight get no outcome \
                         (a PATCH among them may have been applied: --only-failed runs them \
                         again from a fresh read)"
                    );
                    break;
                }
                interrupted = Some(status);
                stop.store(true, Ordering::Relaxed);
                note!(
                    "\ninterrupted: no new line is started; the lines in flight {in_flight} \
                     (Ctrl-C again to stop at once)"
                );
                continue;
            }
            outcome = outcomes.next() => outcome,
        };
        let Some(outcome) = outcome else {
            break;
        };
        summary.add(&outcome);
        not_attempted.add(&outcome);
        handled += 1;
        not_reached.remove(&outcome.line);
        each(&outcome);
        if let Some((writer, path)) = &mut report {
            // One whole line, flushed at once: an interrupted run's report keeps every
            // outcome it got, for `--only-failed`.
            if let Err(error) = write_outcome(&mut *writer, &outcome) {
                // The run stops as at a first Ctrl-C, and the outcomes that the report cannot
                // take, this one's and those of the lines in flight, go to standard error: the
                // error returned at once left them nowhere (a PATCH sent, its outcome lost) and
                // dropped the lines in flight in the middle of their calls.
                let message = cannot_write(path, &error, handled - 1);
                note!(
                    "sync_users: {message}; no new line is started, and the outcomes of this \
                     line and of the lines in flight follow here"
                );
                stop.store(true, Ordering::Relaxed);
                report_failed = Some(message);
                report = None;
            }
        }
        if report_failed.is_some() {
            note!("not in the report: {}", describe(&outcome));
        }
        if let Some(bar) = &bar {
            // Not each line not attempted: the notice after the counts says them all.
            if outcome.status.is_failure() && outcome.status != Status::NotAttempted {
                bar.println(describe(&outcome));
            }
            bar.inc(1);
            bar.set_message(format!(
                "changed {}  unchanged {}  failed {}",
                summary.count(Status::Changed),
                summary.count(Status::Unchanged),
                summary.failed()
            ));
        }
        if out.each_line {
            out.line(describe(&outcome));
            if out.closed && !stop.swap(true, Ordering::Relaxed) {
                note!("sync_users: no new line is started; the lines in flight {in_flight}");
            }
        }
    }
    if let Some(bar) = &bar {
        bar.finish();
    }
    let report_written = report.is_some();
    if let Some((mut report, path)) = report {
        let mut write = || -> std::io::Result<()> {
            for outcome in not_reached.values() {
                report.write_all(outcome.as_bytes())?;
                report.write_all(b"\n")?;
            }
            report.flush()
        };
        write().map_err(|error| cannot_write(path, &error, handled))?;
    }
    out.line(format_args!("\nrun {}: {summary}", job.get_run_id()));
    if let Some(notice) = not_attempted.notice(report_written) {
        note!("run {}: {notice}", job.get_run_id());
    }
    if let Some(message) = report_failed {
        return Err(message.into());
    }
    if interrupted.is_some() || out.closed {
        note!(
            "run {}: {} after {handled} of {}, {} without an outcome (never started, or in \
             flight at a second Ctrl-C); {the_rest}",
            job.get_run_id(),
            if interrupted.is_some() {
                "interrupted"
            } else {
                "stopped as its output closed"
            },
            plural(total, "line"),
            total.saturating_sub(handled)
        );
    }
    Ok(Applied {
        summary,
        interrupted,
    })
}
