//! The sync job as a command line: make PingOne users match a desired-state feed (JSON Lines,
//! one user per line), sending only what changed. The engine is `sparse_patch::pingone::sync`;
//! this example only reads flags, prints and writes the report (one file per part: see the
//! guide's "Repository layout", docs/repository_layout/).
//!
//! ```text
//! cargo run --example sync_users -- desired.jsonl [--dry-run [--show-changes]] [--concurrency 8]
//!                                  [--rate 50]
//!                                  [--report report.jsonl] [--only-failed old-report.jsonl]
//!                                  [--custom-attributes costCenter,badge]
//!                                  [--stop-after-refusals 5]
//! ```
//!
//! `--help` explains every option, the `PINGONE_*` variables and the exit codes.
//!
//! - `--dry-run` prints the plan: per line, the merge patch that would be sent, or "no change",
//!   "not found", "ambiguous" or the line's error; then the counts. With `--report` it writes
//!   the plan's outcomes (`wouldChange` for a patch not sent), in line order. With
//!   `--show-changes`, under each line that would change, what its patch changes with the
//!   user's current values (`~ /title: "Engineer" -> "Lead"`).
//! - Otherwise the non-empty patches are sent, `--concurrency` lines at a time (8 by default),
//!   at most `--rate` requests per second (50 by default), with the client's retries. A
//!   progress bar shows on stderr when it is a terminal; otherwise, and whenever stdout is
//!   not a terminal (`> run.log`), one plain line per outcome on stdout.
//! - `--report FILE` writes one JSON outcome per line of the feed (in the order they complete);
//!   `--only-failed REPORT` handles only the lines that report records as failed or, from a
//!   dry run, as `wouldChange` (nothing was sent), and the lines it has no outcome for (a run cut short never reached them), and lines that name another
//!   user than the report records for their number (every line is still read, so a duplicate
//!   stays one); its own report holds the old report's outcomes of the lines not run again
//!   (of lines the feed has), written first so that no interruption loses them, then the new
//!   ones, so that it can be given to `--only-failed` in turn.
//! - Ctrl-C stops the run: no new line is started, the lines in flight finish and are recorded
//!   (every PATCH sent has its outcome in the report), and the exit status is 130; a second
//!   Ctrl-C stops at once, leaving the lines in flight without an outcome (`--only-failed`
//!   runs them again, from a fresh read of their users). SIGTERM (`kill`, `docker stop`,
//!   systemd) and SIGHUP (a closed terminal) stop it the same way, with 143 and 129. A dry
//!   run stops so too, then prints (and writes, with `--report`) the plan of its lines so far.
//! - `--custom-attributes a,b,c` names the environment's custom attributes: another unknown
//!   attribute is reported (invalid) instead of being sent as a custom attribute.
//! - A refusal that no retry can fix (the token endpoint refuses the credentials, PingOne the
//!   token with 401, or the users collection answers 404, a wrong API path or environment ID,
//!   or 403, a worker that may not read users), or an answer asking to wait longer than the
//!   client waits (a 429 of a quota, `Retry-After` past 60 s), stops the run: nothing more is
//!   sent, every later
//!   line is reported `notAttempted` with that refusal (printed short; the report has each
//!   line's whole error), and the counts are followed by the refusal, once, how many lines it
//!   left and what to fix.
//! - `--only-failed` says what the old report records (failed, done) and, after the counts
//!   on standard output (once: the notice at the start points to it), how many lines it
//!   skipped as done.
//! - The exit status is 1 when any line failed (not found, ambiguous, invalid, duplicate, a
//!   failed call or not attempted), 2 for bad flags or an unreadable file.
//!
//! With no `PINGONE_*` variables it runs against the embedded emulator, seeded with 100
//! generated users (`user001`... `user100`, IDs `00000000-0000-4000-8000-000000000001`...),
//! two users sharing an email, and the reference user `dspanner`. With no feed file it runs a
//! built-in demo feed against that emulator: the plan, then the run, and checks that each line
//! got the outcome the demo expects (its bad lines included). Against real PingOne set the
//! variables of the README (`PINGONE_ENV_ID`, a token or worker credentials, a region or an
//! API path); a feed file is then required.

#[path = "../support/mod.rs"]
mod support;

mod apply;
mod args;
mod demo;
mod feed_file;
mod offline;
mod output;
mod plan;
mod report;
mod retries;
mod signals;

use std::io::{BufReader, Write};
use std::process::ExitCode;

use sparse_patch::pingone::sync::{Rerun, Summary, SyncJob, feed_lines, rerun_lines};
use sparse_patch::pingone::{Client, TokenSource};

use crate::apply::apply_with;
use crate::args::Args;
use crate::args::HELP;
use crate::args::USAGE;
use crate::args::parse_args;
use crate::demo::demo;
use crate::feed_file::Counted;
use crate::feed_file::count_lines;
use crate::feed_file::open;
use crate::feed_file::read_twice;
use crate::feed_file::same_file;
use crate::offline::offline_emulator;
use crate::output::Output;
use crate::output::note;
use crate::output::plural;
use crate::plan::plan;
use crate::report::Old;
use crate::report::check_report_path;
use crate::report::cut_last_line_notice;
use crate::report::old_outcomes_of_feed;
use crate::report::read_report;
use crate::report::remove_leftovers;
use crate::report::write_plan_report;
use crate::retries::Retries;
use crate::signals::stop_requests;

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let args = match parse_args(std::env::args().skip(1)) {
        Ok(args) => args,
        Err(message) if message.is_empty() => {
            // `--help | head` must not panic either.
            let _ = writeln!(std::io::stdout(), "{HELP}");
            return ExitCode::SUCCESS;
        }
        Err(message) => {
            note!("{message}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    match run(args).await {
        Ok(code) => code,
        Err(error) => {
            note!("sync_users: {error}");
            ExitCode::from(2)
        }
    }
}

async fn run(args: Args) -> Result<ExitCode, Box<dyn std::error::Error>> {
    // The files first: a feed or report that cannot be read, or a report that cannot be
    // created, is named before the offline emulator starts (and says so) or a worker token
    // is fetched.
    if let Some(feed) = &args.feed {
        open(feed)?;
    }
    let old_report = args.only_failed.as_ref().map(read_report).transpose()?;
    if let Some(report) = &args.report {
        check_report_path(report)?;
    }
    // Said after the counts: why a run was slow.
    let retries = Retries::default();
    let (client, environment_id, emulator) = match support::pingone()? {
        Some((builder, environment_id)) => (
            support::build(builder.retry_policy(retries.policy()).rate_limit(args.rate))?,
            environment_id,
            None,
        ),
        None => {
            let emulator = offline_emulator()?;
            note!(
                "No PINGONE_* variables: using the embedded emulator at {}, seeded with 100 \
                 generated users, two users sharing an email and the reference user",
                emulator.api_base_url()
            );
            let client = Client::builder()
                .api_base_url(emulator.api_base_url())
                .token(TokenSource::bearer(emulator.token()))
                .retry_policy(retries.policy())
                .rate_limit(args.rate)
                .build()?;
            let environment_id = emulator.environment_id().to_owned();
            (client, environment_id, Some(emulator))
        }
    };
    let mut job = SyncJob::new(&client, &environment_id)
        .concurrency(args.concurrency)?
        .stop_after_refusals(args.stop_after_refusals);
    if let Some(names) = &args.custom_attributes {
        job = job.custom_attributes(names.iter().cloned());
    }
    if args.show_changes {
        job = job.planned_changes(true);
    }
    let mut rerun = None;
    if let (Some(report), Some(text)) = (&args.only_failed, old_report) {
        // Read once: what to rerun, and the outcomes the new report keeps.
        let lines = rerun_lines(text.as_bytes())?;
        if let Some(notice) = cut_last_line_notice(&text, &report.display().to_string()) {
            note!("--only-failed: {notice}");
        }
        note!(
            "--only-failed: {}",
            rerun_notice(&lines, &report.display().to_string())
        );
        job = job.rerun(&lines);
        rerun = Some((lines, text));
    }
    // A report that a killed run was replacing: the file it wrote beside it.
    if let Some(report) = &args.report {
        for notice in remove_leftovers(report) {
            note!("--report: {notice}");
        }
    }
    let Some(feed) = &args.feed else {
        if emulator.is_none() {
            return Err("give a feed file: the demo feed names the emulator's users".into());
        }
        return demo(&job, &args).await;
    };
    read_twice(feed)?;
    // The report is created (emptied) before the feed is read to its end: were it the feed
    // itself (the same path, a link to it), the feed would be erased and nothing run.
    if let Some(report) = &args.report
        && same_file(feed, report)
    {
        return Err(format!(
            "the report {} is the feed {} itself: writing it would erase the feed; name another \
             file",
            report.display(),
            feed.display()
        )
        .into());
    }
    let lines =
        || -> Result<_, Box<dyn std::error::Error>> { Ok(feed_lines(BufReader::new(open(feed)?))) };
    // For the progress bar: the selected lines that get an outcome (blank lines get none; an
    // unreadable line, such as one that is not UTF-8, gets one, keyless, as the job reads it).
    // And the feed's number of lines, blank ones included: an old report's outcomes past it are
    // not this feed's.
    let Counted {
        total,
        feed_lines,
        not_run,
        done,
    } = count_lines(
        BufReader::new(open(feed)?),
        rerun.as_ref().map(|(lines, _)| lines),
    )
    .map_err(|error| format!("cannot read {}: {error}", feed.display()))?;
    // With --only-failed, the lines skipped as done: "3 lines" alone, of a feed of 10, left
    // the other 7 unexplained. Said once, on the output with the counts that it completes
    // (it was said on both streams); the notice here points to it.
    let skipped = args
        .only_failed
        .as_ref()
        .filter(|_| done > 0)
        .map(|report| skipped_notice(done, &report.display().to_string()));
    note!(
        "run {}: {} from {}{}",
        job.get_run_id(),
        plural(total, "line"),
        feed.display(),
        if skipped.is_some() {
            " (the lines done are skipped: see after the counts)"
        } else {
            ""
        }
    );
    // A feed with no user in it (an empty file, a byte order mark alone, blank lines) runs
    // and succeeds, changing nothing: said, since an HR export that failed and left an empty
    // file looks so too.
    if let Some(notice) = no_user_notice(feed_lines, total, args.only_failed.is_some()) {
        note!("{notice} ({})", feed.display());
    }
    // The old report's outcomes of the lines not run again open the new report, so that it
    // is whole (one outcome per line) however the run ends.
    let old = match &rerun {
        Some((_, old)) => {
            let (kept, past) = old_outcomes_of_feed(old, feed_lines)?;
            if let (Some(first), Some(report)) = (past.keys().next(), &args.only_failed) {
                note!(
                    "--only-failed: {} records {} from line {first} on, past the last \
                     line ({feed_lines}) of {}: not kept (the report of another feed?)",
                    report.display(),
                    plural(past.len(), "outcome"),
                    feed.display()
                );
            }
            Old::split(kept, &not_run)
        }
        None => Old::default(),
    };
    let mut out = Output::new(std::io::stdout());
    let summary = if args.dry_run {
        let planned = plan(&job, lines()?, &mut stop_requests(), &mut out).await;
        if let Some(notice) = retries.notice() {
            note!("plan {}: {notice}", job.get_run_id());
        }
        if let Some(notice) = planned.not_attempted.notice(args.report.is_some()) {
            note!("plan: {notice}");
        }
        if let Some(report) = &args.report {
            write_plan_report(report, &old, &planned.outcomes)?;
        }
        if let Some(status) = planned.interrupted {
            return Ok(ExitCode::from(status));
        }
        planned.summary
    } else {
        let applied = apply_with(
            &job,
            lines()?,
            total,
            args.report.as_ref(),
            old,
            &mut stop_requests(),
            &mut out,
            |_| {},
        )
        .await?;
        if let Some(notice) = retries.notice() {
            note!("run {}: {notice}", job.get_run_id());
        }
        if let Some(status) = applied.interrupted {
            return Ok(ExitCode::from(status));
        }
        applied.summary
    };
    if let Some(skipped) = skipped {
        out.line(format_args!("run {}: {skipped}", job.get_run_id()));
    }
    if out.closed {
        return Ok(ExitCode::from(2));
    }
    Ok(exit_code(&summary))
}

/// What `--only-failed` runs of `rerun`, read from the report `report`: its failures, the
/// lines it has no outcome for, and its done lines edited since or naming another user.
fn rerun_notice(rerun: &Rerun, report: &str) -> String {
    format!(
        "{report} records {} as failed (not found, invalid, a failed call, not attempted...) \
         and {} as done (changed or unchanged); the failed lines run again, and so do the lines \
         it has no outcome for and the done lines edited since or that name another user now",
        plural(rerun.failures(), "line"),
        plural(rerun.done(), "line"),
    )
}

/// The lines a `--only-failed` run skips, `done` of them: their report records them done, and
/// their outcomes stand (the new report keeps them).
fn skipped_notice(done: usize, report: &str) -> String {
    format!(
        "{} skipped: done in {report} with the same key and text; their outcomes stand",
        plural(done, "line")
    )
}

fn exit_code(summary: &Summary) -> ExitCode {
    if summary.failed() > 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

/// The notice for a feed in which the job finds no user: `feed_lines` lines (blank ones
/// included), `selected` of them run (all but blank lines, or with `--only-failed` those not
/// done). An empty feed, or one of blank lines alone, succeeds and changes nothing, as does an
/// HR export that failed and left an empty file: said, so that the run's success is not taken
/// for the export's. A rerun with nothing left to run is not such a feed.
fn no_user_notice(feed_lines: usize, selected: usize, only_failed: bool) -> Option<&'static str> {
    (feed_lines == 0 || (selected == 0 && !only_failed)).then_some(
        "note: the feed holds no user, so nothing is looked up or changed; if the export that \
         wrote it should have listed users, it failed",
    )
}

#[cfg(test)]
mod tests;
