//! The sync job as a command line: make PingOne users match a desired-state feed (JSON Lines,
//! one user per line), sending only what changed. The engine is `sparse_patch::pingone::sync`;
//! this file only reads flags, prints and writes the report.
//!
//! ```text
//! cargo run --example sync_users -- desired.jsonl [--dry-run] [--concurrency 8] [--rate 50]
//!                                  [--report report.jsonl] [--only-failed old-report.jsonl]
//!                                  [--custom-attributes costCenter,badge]
//! ```
//!
//! `--help` explains every option, the `PINGONE_*` variables and the exit codes.
//!
//! - `--dry-run` prints the plan: per line, the merge patch that would be sent, or "no change",
//!   "not found", "ambiguous" or the line's error; then the counts. With `--report` it writes
//!   the plan's outcomes (`wouldChange` for a patch not sent), in line order.
//! - Otherwise the non-empty patches are sent, `--concurrency` lines at a time (8 by default),
//!   at most `--rate` requests per second (50 by default), with the client's retries. A
//!   progress bar shows on a terminal; otherwise one plain line per outcome.
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
//!   systemd) and SIGHUP (a closed terminal) stop it the same way, with 143 and 129.
//! - `--custom-attributes a,b,c` names the environment's custom attributes: another unknown
//!   attribute is reported (invalid) instead of being sent as a custom attribute.
//! - The exit status is 1 when any line failed (not found, ambiguous, invalid, duplicate or a
//!   failed call), 2 for bad flags or an unreadable file.
//!
//! With no `PINGONE_*` variables it runs against the embedded emulator, seeded with 100
//! generated users (`user001`... `user100`, IDs `00000000-0000-4000-8000-000000000001`...),
//! two users sharing an email, and the reference user `dspanner`. With no feed file it runs a
//! built-in demo feed against that emulator: the plan, then the run, and checks that each line
//! got the outcome the demo expects (its bad lines included). Against real PingOne set the
//! variables of the README (`PINGONE_ENV_ID`, a token or worker credentials, a region or an
//! API path); a feed file is then required.

mod support;

use std::collections::{BTreeMap, BTreeSet};
use std::fs::File;
use std::io::{BufRead, BufReader, BufWriter, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use futures_util::StreamExt;
use indicatif::{ProgressBar, ProgressStyle};
use serde_json::json;
use sparse_patch::pingone::emulator::{Emulator, EmulatorBuilder, generated_user};
use sparse_patch::pingone::sync::{
    Outcome, Rerun, Status, Summary, SyncJob, feed_lines, is_blank_line, line_digest, line_key,
    printable, rerun_lines, write_outcome,
};
use sparse_patch::pingone::{Client, TokenSource};
use tokio::sync::mpsc::UnboundedReceiver;

const USAGE: &str = "usage: sync_users [FEED.jsonl] [--dry-run] [--concurrency N] [--rate N] \
                     [--report FILE] [--only-failed REPORT] [--custom-attributes A,B,...]";

/// `--help`: every option, its default, the environment and the exit codes.
const HELP: &str = "\
Make PingOne users match a desired-state feed (JSON Lines, one user per line, matched by
id, else username, else email), sending only what changed.

usage: sync_users [FEED.jsonl] [--dry-run] [--concurrency N] [--rate N]
                  [--report FILE] [--only-failed REPORT] [--custom-attributes A,B,...]

  FEED.jsonl              the desired users, a file (read twice: not a pipe); without it,
                          the built-in demo feed runs against the offline emulator (the plan,
                          then the run)
  --dry-run               print the plan (the patch each line would send) and send nothing
  --concurrency N         lines looked up and sent at once (default: 8)
  --rate N                at most N requests per second (default: 50)
  --report FILE           write one JSON outcome per feed line, in the order they complete
                          (a dry run: the plan's, wouldChange where a patch would be sent)
  --only-failed REPORT    handle only the lines REPORT records as failed (or, from a dry run,
                          as wouldChange: nothing was sent), and the lines it
                          has no outcome for (a run cut short never reached them: those
                          between its lines and every line after its last), and lines that
                          name another user than REPORT records for them; the new report
                          starts with REPORT's other outcomes (of lines the feed has), so
                          it can be given back in turn, even after an interruption. A done
                          line edited since (its text's digest, lineDigest, differs) runs
                          again too
  --custom-attributes A,B the environment's custom attributes (comma-separated); without
                          it any unknown attribute that can be a custom attribute's name is
                          sent as one (but a core attribute's name in another case, such as
                          userName, is reported invalid), with it unknown attributes are
                          reported invalid
  -h, --help              this help

Environment (as the README's \"Running against real PingOne\"):
  PINGONE_ENV_ID          the environment's ID; with none of the PINGONE_* variables set,
                          the tool runs offline against an embedded emulator seeded with 100
                          generated users (user001... user100, IDs
                          00000000-0000-4000-8000-000000000001...), two users sharing the
                          email twins@example.com and the reference user dspanner
  PINGONE_ACCESS_TOKEN    a bearer token; or a worker application's PINGONE_CLIENT_ID and
                          PINGONE_CLIENT_SECRET (its environment PINGONE_CLIENT_ENV_ID,
                          default PINGONE_ENV_ID)
  PINGONE_REGION          the region (na, ca, eu, au, sg, ap); or PINGONE_API_PATH (and
                          PINGONE_AUTH_PATH for the token endpoint)
  TMPDIR                  where the keys of a feed past 1,024 distinct keys (or users) are
                          kept, in a file removed when the run ends (default /tmp), so
                          that memory stays flat however long the feed
  Against real PingOne a feed file is required.

Ctrl-C stops the run: no new line is started, and the lines in flight finish and are
recorded in the report (a second Ctrl-C stops at once, without their outcomes). SIGTERM (as
kill, docker stop and systemd send) and SIGHUP (the terminal closed) stop it the same way.

Exit status:
  0  every line changed, unchanged or (dry run) would change
  1  a line failed: not found, ambiguous, invalid, duplicate, a failed call, or attributes
     PingOne did not apply
  2  bad options, or a file that cannot be read or written; or the output was closed
     before the end (as by `| head`): no new line is started, and the lines in flight
     finish and are recorded in the report
  130  interrupted by Ctrl-C (143 by SIGTERM, 129 by SIGHUP: 128 + the signal's number)";

/// The demo feed: one line of each kind, and the status each one must get.
const DEMO_FEED: &[(&str, Status)] = &[
    (
        r#"{"username": "dspanner", "title": "CTO", "name": {"middle": "J"}}"#,
        Status::Changed,
    ),
    (
        r#"{"id": "00000000-0000-4000-8000-000000000001", "name": {"given": "Alicia"}, "department": "Sales"}"#,
        Status::Changed,
    ),
    (
        r#"{"username": "user002", "title": "Engineer"}"#,
        Status::Unchanged,
    ),
    (
        r#"{"email": "user003@example.com", "title": null, "department": null}"#,
        Status::Changed,
    ),
    (
        r#"{"username": "nobody", "title": "Intern"}"#,
        Status::NotFound,
    ),
    (
        r#"{"email": "twins@example.com", "title": "Twin"}"#,
        Status::Ambiguous,
    ),
    (
        r#"{"username": "user004", "enabled": false}"#,
        Status::Invalid,
    ),
    (r#"{"username": "user005", "email": null}"#, Status::Invalid),
    (r#"{"title": "Nobody's title"}"#, Status::Invalid),
    (r#"{"username": "user006", "title": "#, Status::Invalid),
    (
        r#"{"username": "USER002", "title": "Manager"}"#,
        Status::Duplicate,
    ),
];

/// The command line.
#[derive(Debug, Default)]
struct Args {
    feed: Option<PathBuf>,
    dry_run: bool,
    concurrency: usize,
    rate: u32,
    report: Option<PathBuf>,
    only_failed: Option<PathBuf>,
    custom_attributes: Option<Vec<String>>,
}

fn parse_args(mut args: impl Iterator<Item = String>) -> Result<Args, String> {
    let mut parsed = Args {
        concurrency: sparse_patch::pingone::sync::DEFAULT_CONCURRENCY,
        rate: 50,
        ..Args::default()
    };
    while let Some(arg) = args.next() {
        let (flag, inline) = match arg.split_once('=') {
            Some((flag, value)) if flag.starts_with("--") => {
                (flag.to_owned(), Some(value.to_owned()))
            }
            _ => (arg.clone(), None),
        };
        let mut value = |name: &str| {
            inline
                .clone()
                .or_else(|| args.next())
                .ok_or_else(|| format!("{name} needs a value"))
        };
        match flag.as_str() {
            "--dry-run" => parsed.dry_run = true,
            "--concurrency" => {
                parsed.concurrency = number(&value("--concurrency")?, "--concurrency")?;
            }
            "--rate" => parsed.rate = number(&value("--rate")?, "--rate")?,
            "--report" => parsed.report = Some(value("--report")?.into()),
            "--only-failed" => parsed.only_failed = Some(value("--only-failed")?.into()),
            "--custom-attributes" => {
                let names: Vec<String> = value("--custom-attributes")?
                    .split(',')
                    .map(str::trim)
                    .filter(|name| !name.is_empty())
                    .map(str::to_owned)
                    .collect();
                parsed.custom_attributes = Some(names);
            }
            "-h" | "--help" => return Err(String::new()),
            other if other.starts_with('-') => return Err(format!("unknown flag {other}")),
            _ if parsed.feed.is_none() => parsed.feed = Some(arg.into()),
            _ => return Err(format!("one feed file only, not also {arg}")),
        }
    }
    Ok(parsed)
}

/// A positive whole number.
fn number<T: std::str::FromStr + PartialOrd + From<u8>>(
    text: &str,
    flag: &str,
) -> Result<T, String> {
    match text.parse::<T>() {
        Ok(n) if n >= T::from(1) => Ok(n),
        _ => Err(format!(
            "{flag} takes a whole number of at least 1, not {text:?}"
        )),
    }
}

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
            eprintln!("{message}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    match run(args).await {
        Ok(code) => code,
        Err(error) => {
            eprintln!("sync_users: {error}");
            ExitCode::from(2)
        }
    }
}

async fn run(args: Args) -> Result<ExitCode, Box<dyn std::error::Error>> {
    // The files first: a feed or report that cannot be read is named before the offline
    // emulator starts (and says so) or a worker token is fetched.
    if let Some(feed) = &args.feed {
        open(feed)?;
    }
    let old_report = args.only_failed.as_ref().map(read_report).transpose()?;
    let (client, environment_id, emulator) = match support::pingone()? {
        Some((builder, environment_id)) => {
            (builder.rate_limit(args.rate).build()?, environment_id, None)
        }
        None => {
            let emulator = offline_emulator()?;
            eprintln!(
                "No PINGONE_* variables: using the embedded emulator at {}, seeded with 100 \
                 generated users, two users sharing an email and the reference user",
                emulator.api_base_url()
            );
            let client = Client::builder()
                .api_base_url(emulator.api_base_url())
                .token(TokenSource::bearer(emulator.token()))
                .rate_limit(args.rate)
                .build()?;
            let environment_id = emulator.environment_id().to_owned();
            (client, environment_id, Some(emulator))
        }
    };
    let mut job = SyncJob::new(&client, &environment_id).concurrency(args.concurrency);
    if let Some(names) = &args.custom_attributes {
        job = job.custom_attributes(names.iter().cloned());
    }
    let mut rerun = None;
    if let (Some(report), Some(text)) = (&args.only_failed, old_report) {
        // Read once: what to rerun, and the outcomes the new report keeps.
        let lines = rerun_lines(text.as_bytes())?;
        eprintln!(
            "--only-failed: {} failed and {} done in {}; the other lines run again, and the \
             done lines edited since",
            plural(lines.failures(), "line"),
            plural(lines.done(), "line"),
            report.display(),
        );
        job = job.rerun(&lines);
        rerun = Some((lines, text));
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
    } = count_lines(
        BufReader::new(open(feed)?),
        rerun.as_ref().map(|(lines, _)| lines),
    )
    .map_err(|error| format!("cannot read {}: {error}", feed.display()))?;
    eprintln!(
        "run {}: {} from {}",
        job.get_run_id(),
        plural(total, "line"),
        feed.display()
    );
    // The old report's outcomes of the lines not run again open the new report, so that it
    // is whole (one outcome per line) however the run ends.
    let old = match &rerun {
        Some((_, old)) => {
            let (kept, past) = old_outcomes_of_feed(old, feed_lines)?;
            if let (Some(first), Some(report)) = (past.keys().next(), &args.only_failed) {
                eprintln!(
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
        let (summary, outcomes) = plan(&job, lines()?, &mut out).await;
        if let Some(report) = &args.report {
            write_plan_report(report, &old, &outcomes)?;
        }
        summary
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
        if let Some(status) = applied.interrupted {
            return Ok(ExitCode::from(status));
        }
        applied.summary
    };
    if out.closed {
        return Ok(ExitCode::from(2));
    }
    Ok(exit_code(&summary))
}

/// Where the plan and the outcomes are printed (standard output). A write that fails (a pipe
/// whose reader ended, as `| head` does, or a closed terminal) is said once on stderr and
/// nothing more is printed: `println!` panicked there, ending a run in the middle with the
/// outcomes of its lines in flight unwritten (their PATCHes sent) and no summary.
struct Output<W: Write> {
    writer: W,
    /// Set by the first write that failed.
    closed: bool,
    /// Whether a run shows a progress bar (on stderr, a terminal) rather than a line per
    /// outcome.
    bar: bool,
}

impl<W: Write> Output<W> {
    /// `writer`, with a progress bar when stderr is a terminal.
    fn new(writer: W) -> Self {
        Output {
            writer,
            closed: false,
            bar: std::io::stderr().is_terminal(),
        }
    }

    /// `writer`, with a line per outcome whatever stderr is.
    #[cfg(test)]
    fn plain(writer: W) -> Self {
        Output {
            bar: false,
            ..Output::new(writer)
        }
    }

    /// Prints `text` and a newline, unless the output is closed.
    fn line(&mut self, text: impl std::fmt::Display) {
        if self.closed {
            return;
        }
        if let Err(error) = writeln!(self.writer, "{text}").and_then(|()| self.writer.flush()) {
            self.closed = true;
            eprintln!(
                "sync_users: the output cannot be written ({error}): nothing more is printed"
            );
        }
    }
}

/// Each request to stop, as the exit status of its signal (128 + its number, as a shell
/// reports it): Ctrl-C (SIGINT, 130) and, on Unix, SIGTERM (143: `kill`, `docker stop`,
/// systemd) and SIGHUP (129: the terminal closed). The first stops the run gracefully, the
/// second at once (see [`apply_with`]). Without this, the signal killed the process with the
/// lines in flight: their PATCHes sent, their outcomes never written. The Unix handlers are
/// installed before this returns, so that a signal sent after it is never the default kill.
fn stop_requests() -> UnboundedReceiver<u8> {
    let (requests, received) = tokio::sync::mpsc::unbounded_channel();
    let ctrl_c = requests.clone();
    tokio::spawn(async move {
        // An error (no handler could be installed) ends the task: Ctrl-C then kills as usual.
        while tokio::signal::ctrl_c().await.is_ok() {
            if ctrl_c.send(130).is_err() {
                break;
            }
        }
    });
    #[cfg(unix)]
    for (kind, status) in [
        (tokio::signal::unix::SignalKind::terminate(), 143),
        (tokio::signal::unix::SignalKind::hangup(), 129),
    ] {
        // A handler that cannot be installed leaves that signal's default: it kills.
        let Ok(mut signals) = tokio::signal::unix::signal(kind) else {
            continue;
        };
        let requests = requests.clone();
        tokio::spawn(async move {
            while signals.recv().await.is_some() {
                if requests.send(status).is_err() {
                    break;
                }
            }
        });
    }
    received
}

/// An earlier report's outcomes, by line, of a feed run again with `--only-failed`.
#[derive(Debug, Default)]
struct Old {
    /// The lines that are not run again: their outcomes stand, and open the new report.
    standing: BTreeMap<usize, String>,
    /// The lines run again: an outcome closes the new report for each one the run did not
    /// reach (it was interrupted).
    rerun: BTreeMap<usize, String>,
}

impl Old {
    /// `kept` split by `not_run`, the feed lines not run again.
    fn split(mut kept: BTreeMap<usize, String>, not_run: &BTreeSet<usize>) -> Old {
        let mut standing = BTreeMap::new();
        for line in not_run {
            if let Some(outcome) = kept.remove(line) {
                standing.insert(*line, outcome);
            }
        }
        Old {
            standing,
            rerun: kept,
        }
    }
}

/// What [`apply_with`] did.
struct Applied {
    summary: Summary,
    /// The exit status of the signal (Ctrl-C, SIGTERM, SIGHUP) that stopped the run before
    /// the end of the feed, if one did.
    interrupted: Option<u8>,
}

/// The built-in demo: the plan, then the run, then a check of each line's outcome.
async fn demo(job: &SyncJob, args: &Args) -> Result<ExitCode, Box<dyn std::error::Error>> {
    let mut out = Output::new(std::io::stdout());
    out.line(format_args!(
        "No feed file: running the built-in demo feed ({} lines):\n",
        DEMO_FEED.len()
    ));
    for (number, (line, _)) in DEMO_FEED.iter().enumerate() {
        out.line(format_args!("{:>3}  {line}", number + 1));
    }
    let feed = || DEMO_FEED.iter().map(|(line, _)| Ok((*line).to_owned()));
    out.line("\nThe plan (--dry-run):\n");
    let (_, planned) = plan(&job.clone().dry_run(true), feed(), &mut out).await;
    if args.dry_run {
        if let Some(report) = &args.report {
            write_plan_report(report, &Old::default(), &planned)?;
        }
        return Ok(ExitCode::SUCCESS);
    }
    out.line("\nThe run:\n");
    let mut statuses = BTreeMap::new();
    let applied = apply_with(
        job,
        feed(),
        DEMO_FEED.len(),
        args.report.as_ref(),
        Old::default(),
        &mut stop_requests(),
        &mut out,
        |outcome| {
            statuses.insert(outcome.line, outcome.status);
        },
    )
    .await?;
    if let Some(status) = applied.interrupted {
        return Ok(ExitCode::from(status));
    }
    if out.closed {
        return Ok(ExitCode::from(2));
    }
    let summary = applied.summary;
    let expected: BTreeMap<usize, Status> = DEMO_FEED
        .iter()
        .enumerate()
        .map(|(index, (_, status))| (index + 1, *status))
        .collect();
    if statuses != expected {
        eprintln!("demo: the outcomes differ from the expected ones: {expected:?}");
        return Ok(ExitCode::FAILURE);
    }
    out.line(format_args!(
        "\ndemo: the {} are the feed's deliberate bad lines, as expected; a run of your own \
         feed exits 1 when any line fails",
        plural(summary.failed(), "failure")
    ));
    Ok(ExitCode::SUCCESS)
}

/// A dry run's report: the old report's outcomes that stand (with `--only-failed`), then the
/// plan's outcomes (`wouldChange`, `unchanged`, the lines' errors) in line order, so that
/// `--only-failed` can take it as the help says (its `wouldChange` lines are still to do).
fn write_plan_report(
    path: &PathBuf,
    old: &Old,
    outcomes: &BTreeMap<usize, Outcome>,
) -> Result<(), Box<dyn std::error::Error>> {
    let write = || -> std::io::Result<()> {
        let mut report = BufWriter::new(File::create(path)?);
        for outcome in old.standing.values() {
            report.write_all(outcome.as_bytes())?;
            report.write_all(b"\n")?;
        }
        for outcome in outcomes.values() {
            write_outcome(&mut report, outcome)?;
        }
        report.flush()
    };
    write().map_err(|error| {
        format!(
            "cannot write the report {}: {error} (a dry run: nothing was sent)",
            path.display()
        )
        .into()
    })
}

/// Prints the plan, in line order, and the counts; returns them and the outcomes by line.
async fn plan<I>(
    job: &SyncJob,
    lines: I,
    out: &mut Output<impl Write>,
) -> (Summary, BTreeMap<usize, Outcome>)
where
    I: IntoIterator<Item = std::io::Result<String>>,
    I::IntoIter: Send + 'static,
{
    let outcomes: BTreeMap<usize, Outcome> = job
        .clone()
        .dry_run(true)
        .run(lines)
        .map(|outcome| (outcome.line, outcome))
        .collect()
        .await;
    let mut summary = Summary::default();
    for outcome in outcomes.values() {
        summary.add(outcome);
        out.line(describe(outcome));
    }
    out.line(format_args!("\nplan: {summary}"));
    (summary, outcomes)
}

/// The outcomes of `old` (an earlier report's text, read before the new report is created,
/// which may be the same file), as written, by line; where it holds two outcomes for a line,
/// the later one.
fn old_outcomes(old: &str) -> Result<BTreeMap<usize, String>, Box<dyn std::error::Error>> {
    let mut kept = BTreeMap::new();
    for line in old.lines().filter(|line| !line.trim().is_empty()) {
        let outcome: Outcome = serde_json::from_str(line)?;
        kept.insert(outcome.line, line.to_owned());
    }
    Ok(kept)
}

/// What [`count_lines`] found in a feed.
#[derive(Debug, PartialEq, Eq)]
struct Counted {
    /// The lines that get an outcome and are run, for the progress bar.
    total: usize,
    /// The feed's number of lines, blank ones included.
    feed_lines: usize,
    /// With a rerun, the lines it does not run again (blank ones included): an old report's
    /// outcomes of them stand.
    not_run: BTreeSet<usize>,
}

/// The lines of a feed that get an outcome (blank lines get none; an unreadable line, such as
/// one that is not UTF-8, gets one, keyless, as the job reads it) and that `rerun` selects,
/// for the progress bar; the feed's number of lines, blank ones included; and with `rerun`,
/// the lines it does not run.
///
/// # Errors
///
/// A read error other than a line that is not UTF-8 (the feed is a directory, its device went
/// away): it would come back at every read.
fn count_lines(feed: impl BufRead, rerun: Option<&Rerun>) -> std::io::Result<Counted> {
    let mut feed_lines = 0;
    let mut failed = None;
    let mut not_run = BTreeSet::new();
    let total = sparse_patch::pingone::sync::feed_lines(feed)
        .map_while(|line| match line {
            Err(error) if error.kind() != std::io::ErrorKind::InvalidData => {
                failed = Some(error);
                None
            }
            line => Some(line),
        })
        .enumerate()
        .filter(|(index, line)| {
            feed_lines = index + 1;
            let (key, digest) = match line {
                // Blank as the job counts it: a byte order mark aside.
                Ok(line) if is_blank_line(line) => {
                    if rerun.is_some() {
                        not_run.insert(index + 1);
                    }
                    return false;
                }
                Ok(line) => (line_key(line), Some(line_digest(line))),
                Err(_) => (None, None),
            };
            // As the job selects them.
            let selected = rerun
                .is_none_or(|lines| lines.selects_line(index + 1, key.as_ref(), digest.as_deref()));
            if !selected {
                not_run.insert(index + 1);
            }
            selected
        })
        .count();
    match failed {
        Some(error) => Err(error),
        None => Ok(Counted {
            total,
            feed_lines,
            not_run,
        }),
    }
}

/// The outcomes of `old` (see [`old_outcomes`]) of the feed's `feed_lines` lines, and those
/// past its last line, which are not this feed's.
#[allow(clippy::type_complexity)]
fn old_outcomes_of_feed(
    old: &str,
    feed_lines: usize,
) -> Result<(BTreeMap<usize, String>, BTreeMap<usize, String>), Box<dyn std::error::Error>> {
    let mut kept = old_outcomes(old)?;
    let past = kept.split_off(&(feed_lines + 1));
    Ok((kept, past))
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
async fn apply_with<I>(
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
    let mut report = match report {
        Some(path) => Some((
            BufWriter::new(File::create(path).map_err(|error| {
                format!("cannot create the report {}: {error}", path.display())
            })?),
            path,
        )),
        None => None,
    };
    // A report that cannot be written stops the run (its outcomes would be lost), and says
    // which file and how far the run went: the lines handled so far are sent.
    let cannot_write = |path: &PathBuf, error: &dyn std::fmt::Display, handled: usize| {
        format!(
            "cannot write the report {}: {error}; the run stopped there, {handled} line(s) \
             handled (their changes are sent) and the report may lack their outcomes",
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
    if let Some((report, path)) = &mut report {
        let mut write = || -> std::io::Result<()> {
            for outcome in old.standing.values() {
                report.write_all(outcome.as_bytes())?;
                report.write_all(b"\n")?;
            }
            report.flush()
        };
        write().map_err(|error| cannot_write(path, &error, 0))?;
    }
    let mut summary = Summary::default();
    let mut ran = BTreeSet::new();
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
                    eprintln!(
                        "\ninterrupted again: stopping now; the lines in flight get no outcome \
                         (a PATCH among them may have been applied: --only-failed runs them \
                         again from a fresh read)"
                    );
                    break;
                }
                interrupted = Some(status);
                stop.store(true, Ordering::Relaxed);
                eprintln!(
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
        ran.insert(outcome.line);
        each(&outcome);
        if let Some((report, path)) = &mut report {
            // One whole line, flushed at once: an interrupted run's report keeps every
            // outcome it got, for `--only-failed`.
            write_outcome(&mut *report, &outcome)
                .map_err(|error| cannot_write(path, &error, ran.len()))?;
        }
        match &bar {
            Some(bar) => {
                if outcome.status.is_failure() {
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
            None => {
                out.line(describe(&outcome));
                if out.closed && !stop.swap(true, Ordering::Relaxed) {
                    eprintln!(
                        "sync_users: no new line is started; the lines in flight {in_flight}"
                    );
                }
            }
        }
    }
    if let Some(bar) = &bar {
        bar.finish();
    }
    if let Some((mut report, path)) = report {
        let mut write = || -> std::io::Result<()> {
            for (line, outcome) in &old.rerun {
                if !ran.contains(line) {
                    report.write_all(outcome.as_bytes())?;
                    report.write_all(b"\n")?;
                }
            }
            report.flush()
        };
        write().map_err(|error| cannot_write(path, &error, ran.len()))?;
    }
    out.line(format_args!("\nrun {}: {summary}", job.get_run_id()));
    if interrupted.is_some() || out.closed {
        eprintln!(
            "run {}: {} after {}; {the_rest}",
            job.get_run_id(),
            if interrupted.is_some() {
                "interrupted"
            } else {
                "stopped as its output closed"
            },
            plural(ran.len(), "line")
        );
    }
    Ok(Applied {
        summary,
        interrupted,
    })
}

/// One outcome as a line: `line 2  username "ada"  PATCH {"title":"CTO"}`.
fn describe(outcome: &Outcome) -> String {
    let key = outcome
        .key
        .as_ref()
        .map_or_else(String::new, ToString::to_string);
    let patch = || {
        outcome
            .patch
            .as_ref()
            .map_or_else(String::new, ToString::to_string)
    };
    let error = || {
        outcome
            .error
            .as_ref()
            .map_or_else(String::new, ToString::to_string)
    };
    let what = match outcome.status {
        Status::WouldChange => format!("PATCH {}", patch()),
        Status::Changed => format!("changed: sent {}", patch()),
        Status::Unchanged => "no change".to_owned(),
        // A repeat of a key that an earlier line found no user for says which line.
        Status::NotFound
            if outcome
                .error
                .as_ref()
                .is_some_and(|e| e.first_line.is_some()) =>
        {
            format!("not found: {}", error())
        }
        Status::NotFound => "not found".to_owned(),
        status => format!("{status}: {}", error()),
    };
    printable(&format!("line {:<4} {key:<46} {what}", outcome.line))
}

/// `1 line`, `2 lines`.
fn plural(count: usize, noun: &str) -> String {
    if count == 1 {
        format!("{count} {noun}")
    } else {
        format!("{count} {noun}s")
    }
}

fn exit_code(summary: &Summary) -> ExitCode {
    if summary.failed() > 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

/// Whether `a` and `b` name one existing file (the same device and inode on Unix, so a hard
/// or symbolic link counts; the same canonical path elsewhere).
fn same_file(a: &Path, b: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt as _;
        matches!(
            (std::fs::metadata(a), std::fs::metadata(b)),
            (Ok(a), Ok(b)) if a.dev() == b.dev() && a.ino() == b.ino()
        )
    }
    #[cfg(not(unix))]
    {
        matches!((a.canonicalize(), b.canonicalize()), (Ok(a), Ok(b)) if a == b)
    }
}

/// Refuses a feed that cannot be read twice: the run opens it once to count its lines and
/// again to run them, and a pipe (`/dev/stdin`, `<(cmd)`, a FIFO) or a device gives its lines
/// to the first read only, so the run had none ("plan: 0 lines", exit status 0: nothing
/// done, and nothing said). A directory is left to the read, which says so.
fn read_twice(feed: &Path) -> Result<(), String> {
    match std::fs::metadata(feed) {
        Ok(metadata) if !metadata.is_file() && !metadata.is_dir() => Err(format!(
            "{} is not a regular file (a pipe?): the feed is read twice, to count its lines \
             and to run them; save it to a file first (`cmd > feed.jsonl`)",
            feed.display()
        )),
        _ => Ok(()),
    }
}

fn open(path: &PathBuf) -> Result<File, String> {
    File::open(path).map_err(|error| format!("cannot open {}: {error}", path.display()))
}

/// The text of an earlier report (`--only-failed`).
fn read_report(path: &PathBuf) -> Result<String, String> {
    std::fs::read_to_string(path)
        .map_err(|error| format!("cannot read {}: {error}", path.display()))
}

/// The emulator of the offline mode: [`seeded_emulator`]'s users, without the log of every
/// request (about 1 KiB each, never read here), so that the run's memory does not grow with
/// the feed: 180 MB for 150,000 lines with it.
fn offline_emulator() -> std::io::Result<Emulator> {
    seeded_users(Emulator::builder().record_requests(false)).start()
}

/// `builder` with the users of the offline mode.
fn seeded_users(mut builder: EmulatorBuilder) -> EmulatorBuilder {
    // The users of `pingone-emulator --generate 100`, from the same function.
    for n in 1..=100 {
        builder = builder.user(generated_user(n));
    }
    for (n, twin) in ["twin-a", "twin-b"].iter().enumerate() {
        builder = builder.user(json!({
            "id": format!("00000000-0000-4000-9000-{n:012}"),
            "username": twin,
            "email": "twins@example.com",
        }));
    }
    builder
}

#[cfg(test)]
mod tests {
    use std::io::Cursor;

    use sparse_patch::pingone::emulator::Fault;

    use super::*;

    /// A client of `emulator`, with its bearer token.
    fn client_of(emulator: &Emulator) -> Client {
        Client::builder()
            .api_base_url(emulator.api_base_url())
            .token(TokenSource::bearer(emulator.token()))
            .build()
            .unwrap()
    }

    /// The offline mode's users, in an emulator that keeps every request.
    fn seeded_emulator() -> std::io::Result<Emulator> {
        seeded_users(Emulator::builder()).start()
    }

    /// A file of this test program's own, removed when dropped.
    struct TempFile(PathBuf);

    impl TempFile {
        fn new(name: &str, text: &[u8]) -> TempFile {
            let path =
                std::env::temp_dir().join(format!("sync-users-{}-{name}", std::process::id()));
            std::fs::write(&path, text).unwrap();
            TempFile(path)
        }
    }

    impl Drop for TempFile {
        fn drop(&mut self) {
            let _ = std::fs::remove_file(&self.0);
        }
    }

    /// The demo's emulator, each of its next 200 answers 50 ms late (so that a run has lines
    /// in flight when it is stopped), and a client of it.
    fn slow_emulator() -> (Emulator, Client) {
        let emulator = seeded_emulator().unwrap();
        for _ in 0..200 {
            emulator.inject(Fault::Slow(std::time::Duration::from_millis(50)));
        }
        let client = client_of(&emulator);
        (emulator, client)
    }

    /// The users that `emulator` received a PATCH for, by ID, once a PATCH sent after the run
    /// had a moment to arrive.
    async fn patched_users(emulator: &Emulator) -> BTreeMap<String, Status> {
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
        emulator
            .requests()
            .iter()
            .filter(|request| request.method == "PATCH")
            .map(|request| {
                let id = request.path.rsplit('/').next().unwrap().to_owned();
                (id, Status::Changed)
            })
            .collect()
    }

    /// The report's outcomes: each user's ID and status.
    fn recorded_users(report: &Path) -> BTreeMap<String, Status> {
        std::fs::read_to_string(report)
            .unwrap()
            .lines()
            .map(|line| serde_json::from_str::<Outcome>(line).unwrap())
            .map(|outcome| (outcome.user_id.unwrap(), outcome.status))
            .collect()
    }

    /// `--report` naming the feed emptied the feed before it was read (0 lines ran, exit 0, the
    /// feed lost): the feed itself, a hard link and a symbolic link to it are the same file.
    #[test]
    fn a_report_naming_the_feed_is_the_same_file() {
        let feed = TempFile::new("feed.jsonl", b"{\"username\": \"a\"}\n");
        let other = TempFile::new("other.jsonl", b"{\"username\": \"a\"}\n");
        assert!(same_file(&feed.0, &feed.0));
        assert!(!same_file(&feed.0, &other.0));
        assert!(!same_file(&feed.0, &feed.0.with_extension("missing")));
        #[cfg(unix)]
        {
            let hard = feed.0.with_extension("hard");
            let soft = feed.0.with_extension("soft");
            let _ = (std::fs::remove_file(&hard), std::fs::remove_file(&soft));
            std::fs::hard_link(&feed.0, &hard).unwrap();
            std::os::unix::fs::symlink(&feed.0, &soft).unwrap();
            let (hard, soft) = (TempFile(hard), TempFile(soft));
            assert!(same_file(&hard.0, &feed.0));
            assert!(same_file(&feed.0, &soft.0));
        }
    }

    /// A feed that a second read finds empty (a pipe, a FIFO, a device) is refused by name,
    /// rather than run as a feed of no lines with the exit status 0; a file is not.
    #[cfg(unix)]
    #[test]
    fn a_feed_that_cannot_be_read_twice_is_refused() {
        let fifo = TempFile(
            std::env::temp_dir().join(format!("sync-users-{}-feed.fifo", std::process::id())),
        );
        let _ = std::fs::remove_file(&fifo.0);
        assert!(
            std::process::Command::new("mkfifo")
                .arg(&fifo.0)
                .status()
                .unwrap()
                .success()
        );
        let error = read_twice(&fifo.0).unwrap_err();
        assert!(error.contains("is not a regular file (a pipe?)"), "{error}");
        assert!(read_twice(Path::new("/dev/null")).is_err());
        let file = TempFile::new("twice.jsonl", b"{\"username\": \"a\"}\n");
        assert_eq!(read_twice(&file.0), Ok(()));
        assert_eq!(read_twice(&std::env::temp_dir()), Ok(()));
    }

    /// A feed or an `--only-failed` report that cannot be read is the run's error, naming the
    /// file. (That `run` reads them before it starts the offline emulator, which used to print
    /// "No PINGONE_* variables: using the embedded emulator..." first, is not observable
    /// here: the order is `run`'s first lines.)
    #[tokio::test(flavor = "current_thread")]
    async fn a_missing_feed_or_report_is_the_one_error() {
        let feed = TempFile::new("feed-present.jsonl", b"{\"username\": \"a\"}\n");
        let missing = feed.0.with_extension("missing");
        let args = |list: &[&std::path::Path]| {
            parse_args(list.iter().map(|arg| arg.display().to_string())).unwrap()
        };
        let error = run(args(&[&missing])).await.unwrap_err().to_string();
        assert!(
            error.starts_with("cannot open ") && error.contains(".missing"),
            "{error}"
        );
        let flag = std::path::Path::new("--only-failed");
        let error = run(args(&[&feed.0, flag, &missing]))
            .await
            .unwrap_err()
            .to_string();
        assert!(
            error.starts_with("cannot read ") && error.contains(".missing"),
            "{error}"
        );
    }

    /// `--only-failed` with the report of a longer feed kept that report's outcomes of lines
    /// the feed does not have (a run of 0 lines exited 0 with a report of failures).
    #[test]
    fn outcomes_past_the_feeds_last_line_are_not_kept() {
        let report = (1..=4)
            .map(|line| {
                json!({"line": line, "key": {"username": format!("u{line}")}, "status": "notFound",
                       "error": {"message": "no such user"}})
                .to_string()
            })
            .collect::<Vec<_>>()
            .join("\n");
        let (kept, past) = old_outcomes_of_feed(&report, 1).unwrap();
        assert_eq!(kept.keys().collect::<Vec<_>>(), [&1]);
        assert_eq!(past.keys().collect::<Vec<_>>(), [&2, &3, &4]);
        let (kept, past) = old_outcomes_of_feed(&report, 4).unwrap();
        assert_eq!((kept.len(), past.len()), (4, 0));
    }

    /// A line that is not UTF-8 gets an outcome (invalid), so the progress bar counts it; blank
    /// lines get none; the feed's line count includes both.
    #[test]
    fn lines_are_counted_as_the_job_reads_them() {
        let feed = b"{\"username\": \"a\"}\n\n\xff\xfe not UTF-8\n{\"username\": \"b\"}";
        let counted = count_lines(Cursor::new(&feed[..]), None).unwrap();
        assert_eq!((counted.total, counted.feed_lines), (3, 4));
    }

    /// Ctrl-C killed the tool: the lines in flight had their PATCH sent and no outcome in the
    /// report, so the report did not say what the run changed. Now the first Ctrl-C starts no
    /// new line and lets those in flight finish: every PATCH the server received has its
    /// outcome in the report, and the tool exits 130.
    #[tokio::test]
    async fn an_interrupted_run_records_every_patch_it_sent() {
        let (emulator, client) = slow_emulator();
        let job = SyncJob::new(&client, emulator.environment_id()).concurrency(4);
        let feed: Vec<std::io::Result<String>> = (1..=40)
            .map(|n| {
                Ok(format!(
                    r#"{{"username": "user{n:03}", "title": "Interrupted"}}"#
                ))
            })
            .collect();
        let report = TempFile::new("interrupted.jsonl", b"");
        let (press, mut presses) = tokio::sync::mpsc::unbounded_channel();
        let mut pressed = false;
        let applied = apply_with(
            &job,
            feed,
            40,
            Some(&report.0),
            Old::default(),
            &mut presses,
            &mut Output::plain(Vec::new()),
            |_| {
                // Once: a second Ctrl-C would stop at once.
                if !pressed {
                    pressed = true;
                    let _ = press.send(130);
                }
            },
        )
        .await
        .unwrap();
        // The lines in flight finish; none is started after Ctrl-C.
        assert_eq!(applied.interrupted, Some(130));
        let recorded = recorded_users(&report.0);
        // The first outcome pressed Ctrl-C, with at most 3 other lines in flight.
        assert!(
            (2..=4).contains(&recorded.len()),
            "{} lines recorded",
            recorded.len()
        );
        assert!(recorded.values().all(|status| *status == Status::Changed));
        assert_eq!(
            patched_users(&emulator).await,
            recorded,
            "a PATCH sent without its outcome"
        );
        assert_eq!(applied.summary.lines(), recorded.len());
    }

    /// `kill` (SIGTERM, as `docker stop` and systemd send to stop a job) killed the tool with
    /// its lines in flight unrecorded, as Ctrl-C once did: only SIGINT was caught. SIGTERM is
    /// now a request to stop, as Ctrl-C is, with its own exit status (sent to this test
    /// process, whose handler `stop_requests` installed).
    #[cfg(unix)]
    #[tokio::test]
    async fn sigterm_is_a_request_to_stop() {
        let mut requests = stop_requests();
        let sent = std::process::Command::new("kill")
            .args(["-TERM", &std::process::id().to_string()])
            .status()
            .unwrap();
        assert!(sent.success());
        assert_eq!(requests.recv().await, Some(143));
    }

    /// An output that fails from its first write, as a pipe whose reader ended (`| head`).
    struct ClosedPipe;

    impl Write for ClosedPipe {
        fn write(&mut self, _: &[u8]) -> std::io::Result<usize> {
            Err(std::io::ErrorKind::BrokenPipe.into())
        }

        fn flush(&mut self) -> std::io::Result<()> {
            Err(std::io::ErrorKind::BrokenPipe.into())
        }
    }

    /// `sync_users FEED | head -2` panicked at the third outcome ("failed printing to stdout:
    /// Broken pipe", exit 101): the lines in flight had their PATCH sent and no outcome in the
    /// report, and no summary was printed. A closed output now stops the run as a first Ctrl-C
    /// does: every PATCH the server received has its outcome in the report.
    #[tokio::test]
    async fn a_closed_output_stops_the_run_and_records_every_patch_it_sent() {
        let (emulator, client) = slow_emulator();
        let job = SyncJob::new(&client, emulator.environment_id()).concurrency(4);
        let feed: Vec<std::io::Result<String>> = (1..=40)
            .map(|n| Ok(format!(r#"{{"username": "user{n:03}", "title": "Piped"}}"#)))
            .collect();
        let report = TempFile::new("closed-output.jsonl", b"");
        let (_press, mut presses) = tokio::sync::mpsc::unbounded_channel();
        let mut out = Output::plain(ClosedPipe);
        let applied = apply_with(
            &job,
            feed,
            40,
            Some(&report.0),
            Old::default(),
            &mut presses,
            &mut out,
            |_| {},
        )
        .await
        .unwrap();
        assert!(out.closed);
        assert_eq!(applied.interrupted, None, "not a Ctrl-C");
        let recorded = recorded_users(&report.0);
        // The first outcome met the closed output, with at most 3 other lines in flight.
        assert!(
            (1..=4).contains(&recorded.len()),
            "{} lines recorded",
            recorded.len()
        );
        assert_eq!(
            patched_users(&emulator).await,
            recorded,
            "a PATCH sent without its outcome"
        );
    }

    /// `--only-failed OLD --report OLD` (the same file, as the help allows) wrote the old
    /// report's outcomes of the lines not run again only once the run had ended: interrupted
    /// (Ctrl-C twice, a kill), the report had lost them, so the lines it recorded as changed
    /// were run again and their record of change gone. They now open the report.
    #[tokio::test]
    async fn the_old_outcomes_that_stand_are_in_the_report_from_the_start() {
        let (emulator, client) = slow_emulator();
        let feed: Vec<String> = (1..=20)
            .map(|n| {
                if n <= 10 {
                    format!(r#"{{"username": "user{n:03}", "title": "Done"}}"#)
                } else {
                    format!(r#"{{"username": "nobody{n}", "title": "Missing"}}"#)
                }
            })
            .collect();
        let old_text: String = (1..=20)
            .map(|n| {
                if n <= 10 {
                    format!(
                        "{{\"line\":{n},\"key\":{{\"username\":\"user{n:03}\"}},\"status\":\"changed\"}}\n"
                    )
                } else {
                    format!(
                        "{{\"line\":{n},\"key\":{{\"username\":\"nobody{n}\"}},\"status\":\"notFound\"}}\n"
                    )
                }
            })
            .collect();
        let rerun = rerun_lines(old_text.as_bytes()).unwrap();
        let counted = count_lines(Cursor::new(feed.join("\n")), Some(&rerun)).unwrap();
        assert_eq!(counted.total, 10);
        let (kept, _) = old_outcomes_of_feed(&old_text, counted.feed_lines).unwrap();
        let old = Old::split(kept, &counted.not_run);
        let report = TempFile::new("rerun.jsonl", old_text.as_bytes());
        let job = SyncJob::new(&client, emulator.environment_id())
            .concurrency(2)
            .rerun(&rerun);
        let (press, mut presses) = tokio::sync::mpsc::unbounded_channel();
        let mut seen_at_first = None;
        let applied = apply_with(
            &job,
            feed.into_iter().map(Ok),
            counted.total,
            Some(&report.0),
            old,
            &mut presses,
            &mut Output::plain(Vec::new()),
            |_| {
                if seen_at_first.is_none() {
                    // What a kill at this moment would leave.
                    seen_at_first = Some(std::fs::read_to_string(&report.0).unwrap());
                    // Twice: stop at once.
                    let _ = press.send(130);
                    let _ = press.send(130);
                }
            },
        )
        .await
        .unwrap();
        assert_eq!(applied.interrupted, Some(130));
        for text in [
            seen_at_first.unwrap(),
            std::fs::read_to_string(&report.0).unwrap(),
        ] {
            let rerun = rerun_lines(text.as_bytes()).unwrap();
            assert_eq!(rerun.done(), 10, "{text}");
            for n in 1..=10 {
                let key = line_key(&format!(r#"{{"username": "user{n:03}"}}"#));
                assert!(!rerun.selects(n, key.as_ref()), "line {n}: {text}");
            }
        }
    }

    /// The offline mode's emulator kept every request (about 1 KiB each, never read): a run's
    /// memory grew with its feed (180 MB for 150,000 lines). It keeps none, and has the same
    /// users as the tests' emulator.
    #[tokio::test]
    async fn the_offline_emulator_keeps_no_request() {
        let emulator = offline_emulator().unwrap();
        let client = client_of(&emulator);
        let found = client
            .find_user_by_username(emulator.environment_id(), "user042")
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            found.id.as_deref(),
            Some("00000000-0000-4000-8000-000000000042")
        );
        assert!(emulator.requests().is_empty());
        assert!(emulator.user(emulator.user_id()).is_some());
        assert!(
            emulator
                .user("00000000-0000-4000-9000-000000000001")
                .is_some()
        );
    }

    /// `--dry-run --report FILE` wrote no report at all (the file was not even created), yet
    /// the help has `--only-failed` read a dry run's report (its `wouldChange` lines still to
    /// do). The plan's outcomes are written now, after the old ones that stand.
    #[tokio::test]
    async fn a_dry_run_writes_its_report() {
        let emulator = seeded_emulator().unwrap();
        let client = client_of(&emulator);
        let feed = [
            r#"{"username": "user001", "title": "Planned"}"#.to_owned(),
            r#"{"username": "nobody", "title": "Missing"}"#.to_owned(),
        ];
        let job = SyncJob::new(&client, emulator.environment_id()).dry_run(true);
        let (summary, outcomes) = plan(
            &job,
            feed.into_iter().map(Ok),
            &mut Output::plain(Vec::new()),
        )
        .await;
        assert_eq!(summary.count(Status::WouldChange), 1);
        let old = Old {
            standing: BTreeMap::from([(
                3,
                r#"{"line":3,"key":{"username":"user003"},"status":"changed"}"#.to_owned(),
            )]),
            rerun: BTreeMap::new(),
        };
        let report = TempFile::new("plan.jsonl", b"");
        write_plan_report(&report.0, &old, &outcomes).unwrap();
        let text = std::fs::read_to_string(&report.0).unwrap();
        assert_eq!(text.lines().count(), 3, "{text}");
        let rerun = rerun_lines(text.as_bytes()).unwrap();
        let key = |name: &str| line_key(&format!(r#"{{"username": "{name}"}}"#));
        assert!(rerun.selects(1, key("user001").as_ref()), "{text}");
        assert!(rerun.selects(2, key("nobody").as_ref()), "{text}");
        assert!(!rerun.selects(3, key("user003").as_ref()), "{text}");
        let user = emulator
            .user("00000000-0000-4000-8000-000000000001")
            .unwrap();
        assert_ne!(user["title"], json!("Planned"), "a dry run sent nothing");
    }

    /// A feed that is a directory failed at every read: counting its lines never ended (the
    /// tool hung at 100% CPU). It is an unreadable file now.
    #[test]
    fn a_feed_that_cannot_be_read_is_refused() {
        let dir = std::io::BufReader::new(std::fs::File::open(std::env::temp_dir()).unwrap());
        assert!(count_lines(dir, None).is_err());
    }

    /// A line repeating the key of a line that found no user was shown as a duplicate of a
    /// user who does not exist: it is "not found", naming the line that looked the key up.
    #[tokio::test]
    async fn a_repeated_key_without_a_user_is_shown_not_found() {
        let emulator = seeded_emulator().unwrap();
        let client = client_of(&emulator);
        let job = SyncJob::new(&client, emulator.environment_id()).dry_run(true);
        let feed = [
            r#"{"username": "nobody", "title": "X"}"#,
            r#"{"username": "NOBODY", "title": "Y"}"#,
        ]
        .map(|line| Ok(line.to_owned()));
        let mut outcomes: Vec<Outcome> = job.run(feed).collect().await;
        outcomes.sort_by_key(|outcome| outcome.line);
        let shown: Vec<String> = outcomes.iter().map(describe).collect();
        assert!(shown[0].ends_with(" not found"), "{}", shown[0]);
        assert!(
            shown[1].ends_with(
                r#" not found: no user has username "NOBODY" (line 1 has the same key and found none; this line is not looked up again, nor applied)"#
            ),
            "{}",
            shown[1]
        );
    }

    /// A feed value with a C1 control (U+009B, a one-character CSI that terminals obey) or DEL
    /// reached the terminal as it is in a progress line: the patch is printed as JSON, which
    /// escapes only the controls below U+0020. Every control character is escaped now.
    #[test]
    fn progress_lines_show_no_control_character() {
        let mut outcome = Outcome::new(3, None, Status::WouldChange);
        outcome.patch = Some(
            json!({"title": "\u{9b}2J\u{7f}\u{1b}[31m", "nickname": "\u{85}x",
                                    "type": "\u{202e}lanretxE\u{200b}"}),
        );
        for status in [Status::WouldChange, Status::Changed] {
            outcome.status = status;
            let line = describe(&outcome);
            assert!(!line.contains(char::is_control), "{line:?}");
            assert!(line.contains(r"\u{9b}2J"), "{line}");
            assert!(line.contains(r"\u{202e}lanretxE\u{200b}"), "{line}");
        }
    }
}
