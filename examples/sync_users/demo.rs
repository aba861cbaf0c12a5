//! The built-in demo feed, run when no feed file is given.

use std::collections::BTreeMap;
use std::process::ExitCode;

use sparse_patch::pingone::sync::{Status, SyncJob};

use crate::apply::apply_with;
use crate::args::Args;
use crate::output::Output;
use crate::output::note;
use crate::output::plural;
use crate::plan::plan;
use crate::report::Old;
use crate::report::write_plan_report;
use crate::signals::stop_requests;

/// The demo feed: one line of each kind, and the status each one must get.
pub(crate) const DEMO_FEED: &[(&str, Status)] = &[
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

/// The built-in demo: the plan, then the run, then a check of each line's outcome.
pub(crate) async fn demo(
    job: &SyncJob,
    args: &Args,
) -> Result<ExitCode, Box<dyn std::error::Error>> {
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
    let mut interrupts = stop_requests();
    let planned = plan(
        &job.clone().dry_run(true),
        feed(),
        &mut interrupts,
        &mut out,
    )
    .await;
    if args.dry_run {
        if let Some(report) = &args.report {
            write_plan_report(report, &Old::default(), &planned.outcomes)?;
        }
        return Ok(planned
            .interrupted
            .map_or(ExitCode::SUCCESS, ExitCode::from));
    }
    if let Some(status) = planned.interrupted {
        return Ok(ExitCode::from(status));
    }
    out.line("\nThe run:\n");
    let mut statuses = BTreeMap::new();
    let applied = apply_with(
        job,
        feed(),
        DEMO_FEED.len(),
        args.report.as_ref(),
        Old::default(),
        &mut interrupts,
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
        note!("demo: the outcomes differ from the expected ones: {expected:?}");
        return Ok(ExitCode::FAILURE);
    }
    out.line(format_args!(
        "\ndemo: the {} are the feed's deliberate bad lines, as expected; a run of your own \
         feed exits 1 when any line fails",
        plural(summary.failed(), "failure")
    ));
    Ok(ExitCode::SUCCESS)
}
