//! A dry run: the plan, in line order.

use std::collections::BTreeMap;
use std::io::Write;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use futures_util::StreamExt;
use sparse_patch::pingone::sync::{Outcome, Summary, SyncJob, printable};
use tokio::sync::mpsc::UnboundedReceiver;

use crate::output::NotAttempted;
use crate::output::Output;
use crate::output::describe;
use crate::output::note;
use crate::output::plural;

/// What [`plan`] did.
pub(crate) struct Planned {
    pub(crate) summary: Summary,
    /// The outcomes, by line.
    pub(crate) outcomes: BTreeMap<usize, Outcome>,
    /// The lines not attempted, whose notice the caller prints (it knows whether a report is
    /// written).
    pub(crate) not_attempted: NotAttempted,
    /// The exit status of the signal (Ctrl-C, SIGTERM, SIGHUP) that stopped the plan before
    /// the end of the feed, if one did.
    pub(crate) interrupted: Option<u8>,
}

/// Prints the plan, in line order (under a line that would change, its changes when the job
/// gives them: `--show-changes`), and the counts; returns them and the outcomes by line.
///
/// A message on `interrupts` ([`stop_requests`](crate::signals::stop_requests)) stops it as it
/// stops a run: no new line is planned, the lines in flight finish, and the plan of the lines
/// planned so far is printed and returned (for the report); a second one stops at once,
/// without the lines in flight. The plan is printed only at the end, in line order: without
/// this, Ctrl-C killed a dry run with nothing printed and no report written, every lookup of
/// a long feed lost.
pub(crate) async fn plan<I>(
    job: &SyncJob,
    lines: I,
    interrupts: &mut UnboundedReceiver<u8>,
    out: &mut Output<impl Write>,
) -> Planned
where
    I: IntoIterator<Item = std::io::Result<String>>,
    I::IntoIter: Send + 'static,
{
    // Read before each line is started: once set, the feed ends there for the job.
    let stop = Arc::new(AtomicBool::new(false));
    let lines = {
        let stop = Arc::clone(&stop);
        lines
            .into_iter()
            .take_while(move |_| !stop.load(Ordering::Relaxed))
    };
    let job = job.clone().dry_run(true);
    let mut planning = std::pin::pin!(job.run(lines));
    let mut outcomes = BTreeMap::new();
    let mut interrupted = None;
    loop {
        let outcome = tokio::select! {
            biased;
            Some(status) = interrupts.recv() => {
                if interrupted.is_some() {
                    note!(
                        "\ninterrupted again: stopping now; the lines in flight are left out of \
                         the plan"
                    );
                    break;
                }
                interrupted = Some(status);
                stop.store(true, Ordering::Relaxed);
                note!(
                    "\ninterrupted: no new line is planned; the lines in flight finish, then \
                     the plan so far is printed (Ctrl-C again to stop at once)"
                );
                continue;
            }
            outcome = planning.next() => outcome,
        };
        let Some(outcome) = outcome else {
            break;
        };
        outcomes.insert(outcome.line, outcome);
    }
    let mut summary = Summary::default();
    let mut not_attempted = NotAttempted::default();
    for outcome in outcomes.values() {
        summary.add(outcome);
        not_attempted.add(outcome);
        out.line(describe(outcome));
        // `--show-changes` (`SyncJob::planned_changes`): under the line, aligned with its key.
        if let Some(changes) = &outcome.changes {
            for change in changes.to_string().lines() {
                out.line(format_args!("          {}", printable(change)));
            }
        }
    }
    out.line(format_args!("\nplan: {summary}"));
    if interrupted.is_some() {
        note!(
            "plan: interrupted after {}: the plan above is of those only; the lines not \
             reached have no outcome (--only-failed with the plan's report takes them)",
            plural(outcomes.len(), "line")
        );
    }
    Planned {
        summary,
        outcomes,
        not_attempted,
        interrupted,
    }
}
