//! The sync job as a command line: make PingOne users match a desired-state feed (JSON Lines,
//! one user per line), sending only what changed. The engine is `sparse_patch::pingone::sync`;
//! this file only reads flags, prints and writes the report.
//!
//! ```text
//! cargo run --example sync_users -- desired.jsonl [--dry-run] [--concurrency 8] [--rate 50]
//!                                  [--report report.jsonl] [--only-failed old-report.jsonl]
//! ```
//!
//! - `--dry-run` prints the plan: per line, the merge patch that would be sent, or "no change",
//!   "not found", "ambiguous" or the line's error; then the counts.
//! - Otherwise the non-empty patches are sent, `--concurrency` lines at a time (8 by default),
//!   at most `--rate` requests per second (50 by default), with the client's retries. A
//!   progress bar shows on a terminal; otherwise one plain line per outcome.
//! - `--report FILE` writes one JSON outcome per line of the feed (in the order they complete);
//!   `--only-failed REPORT` handles only the lines that report records as failed (every line
//!   is still read, so a duplicate stays one); its own report then holds those lines.
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

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{BufRead, BufReader, BufWriter, IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use futures_util::StreamExt;
use indicatif::{ProgressBar, ProgressStyle};
use serde_json::json;
use sparse_patch::pingone::emulator::Emulator;
use sparse_patch::pingone::sync::{Outcome, Status, Summary, SyncJob, failed_lines};
use sparse_patch::pingone::{Client, TokenSource};

const USAGE: &str = "usage: sync_users [FEED.jsonl] [--dry-run] [--concurrency N] [--rate N] \
                     [--report FILE] [--only-failed REPORT]";

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
            println!("{USAGE}");
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
    let (client, environment_id, emulator) = match support::pingone()? {
        Some((builder, environment_id)) => {
            (builder.rate_limit(args.rate).build()?, environment_id, None)
        }
        None => {
            let emulator = seeded_emulator()?;
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
    let mut selected = None;
    if let Some(report) = &args.only_failed {
        let lines = failed_lines(BufReader::new(open(report)?))?;
        selected = Some(lines.len());
        eprintln!(
            "--only-failed: {} line(s) failed in {}",
            lines.len(),
            report.display()
        );
        job = job.only_lines(lines);
    }
    let Some(feed) = &args.feed else {
        if emulator.is_none() {
            return Err("give a feed file: the demo feed names the emulator's users".into());
        }
        return demo(&job, &args).await;
    };
    let lines =
        || -> Result<_, Box<dyn std::error::Error>> { Ok(BufReader::new(open(feed)?).lines()) };
    // For the progress bar: the lines that get an outcome (blank lines get none).
    let total = selected.unwrap_or(
        BufReader::new(open(feed)?)
            .lines()
            .filter(|line| line.as_ref().is_ok_and(|line| !line.trim().is_empty()))
            .count(),
    );
    eprintln!(
        "run {}: {} line(s) from {}",
        job.get_run_id(),
        total,
        feed.display()
    );
    let summary = if args.dry_run {
        plan(&job, lines()?).await
    } else {
        apply(&job, lines()?, total, args.report.as_ref()).await?
    };
    Ok(exit_code(&summary))
}

/// The built-in demo: the plan, then the run, then a check of each line's outcome.
async fn demo(job: &SyncJob, args: &Args) -> Result<ExitCode, Box<dyn std::error::Error>> {
    println!(
        "No feed file: running the built-in demo feed ({} lines):\n",
        DEMO_FEED.len()
    );
    for (number, (line, _)) in DEMO_FEED.iter().enumerate() {
        println!("{:>3}  {line}", number + 1);
    }
    let feed = || DEMO_FEED.iter().map(|(line, _)| Ok((*line).to_owned()));
    println!("\nThe plan (--dry-run):\n");
    plan(&job.clone().dry_run(true), feed()).await;
    if args.dry_run {
        return Ok(ExitCode::SUCCESS);
    }
    println!("\nThe run:\n");
    let mut statuses = BTreeMap::new();
    let summary = apply_with(
        job,
        feed(),
        DEMO_FEED.len(),
        args.report.as_ref(),
        |outcome| {
            statuses.insert(outcome.line, outcome.status);
        },
    )
    .await?;
    let expected: BTreeMap<usize, Status> = DEMO_FEED
        .iter()
        .enumerate()
        .map(|(index, (_, status))| (index + 1, *status))
        .collect();
    if statuses != expected {
        eprintln!("demo: the outcomes differ from the expected ones: {expected:?}");
        return Ok(ExitCode::FAILURE);
    }
    println!(
        "\ndemo: the {} failure(s) are the feed's deliberate bad lines, as expected; a run of \
         your own feed exits 1 when any line fails",
        summary.failed()
    );
    Ok(ExitCode::SUCCESS)
}

/// Prints the plan, in line order, and the counts.
async fn plan<I>(job: &SyncJob, lines: I) -> Summary
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
        println!("{}", describe(outcome));
    }
    println!("\nplan: {summary}");
    summary
}

async fn apply<I>(
    job: &SyncJob,
    lines: I,
    total: usize,
    report: Option<&PathBuf>,
) -> Result<Summary, Box<dyn std::error::Error>>
where
    I: IntoIterator<Item = std::io::Result<String>>,
    I::IntoIter: Send + 'static,
{
    apply_with(job, lines, total, report, |_| {}).await
}

/// Sends the patches; shows progress; writes the report.
async fn apply_with<I>(
    job: &SyncJob,
    lines: I,
    total: usize,
    report: Option<&PathBuf>,
    mut each: impl FnMut(&Outcome),
) -> Result<Summary, Box<dyn std::error::Error>>
where
    I: IntoIterator<Item = std::io::Result<String>>,
    I::IntoIter: Send + 'static,
{
    let mut report = match report {
        Some(path) => Some(BufWriter::new(File::create(path).map_err(|error| {
            format!("cannot create the report {}: {error}", path.display())
        })?)),
        None => None,
    };
    let bar = std::io::stderr().is_terminal().then(|| {
        let bar = ProgressBar::new(total as u64);
        if let Ok(style) = ProgressStyle::with_template("{bar:40} {pos}/{len} lines  {msg}") {
            bar.set_style(style);
        }
        bar
    });
    let mut summary = Summary::default();
    let mut outcomes = std::pin::pin!(job.run(lines));
    while let Some(outcome) = outcomes.next().await {
        summary.add(&outcome);
        each(&outcome);
        if let Some(report) = &mut report {
            serde_json::to_writer(&mut *report, &outcome)?;
            report.write_all(b"\n")?;
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
            None => println!("{}", describe(&outcome)),
        }
    }
    if let Some(bar) = &bar {
        bar.finish();
    }
    if let Some(mut report) = report {
        report.flush()?;
    }
    println!("\nrun {}: {summary}", job.get_run_id());
    Ok(summary)
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
            .map_or_else(String::new, |error| match &error.error_id {
                Some(id) => format!("{} (PingOne error id {id})", error.message),
                None => error.message.clone(),
            })
    };
    let what = match outcome.status {
        Status::WouldChange => format!("PATCH {}", patch()),
        Status::Changed => format!("changed: sent {}", patch()),
        Status::Unchanged => "no change".to_owned(),
        Status::NotFound => "not found".to_owned(),
        status => format!("{status}: {}", error()),
    };
    format!("line {:<4} {key:<46} {what}", outcome.line)
}

fn exit_code(summary: &Summary) -> ExitCode {
    if summary.failed() > 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

fn open(path: &PathBuf) -> Result<File, String> {
    File::open(path).map_err(|error| format!("cannot open {}: {error}", path.display()))
}

/// The emulator of the offline mode: 100 generated users, two users sharing an email, and the
/// reference user.
fn seeded_emulator() -> std::io::Result<Emulator> {
    let mut builder = Emulator::builder();
    for n in 1..=100 {
        builder = builder.user(json!({
            "id": format!("00000000-0000-4000-8000-{n:012}"),
            "username": format!("user{n:03}"),
            "email": format!("user{n:03}@example.com"),
            "name": {"given": format!("Given{n}"), "family": format!("Family{n}")},
            "title": "Engineer",
            "department": "R&D",
        }));
    }
    for (n, twin) in ["twin-a", "twin-b"].iter().enumerate() {
        builder = builder.user(json!({
            "id": format!("00000000-0000-4000-9000-{n:012}"),
            "username": twin,
            "email": "twins@example.com",
        }));
    }
    builder.start()
}
