//! A dry run: the plan, in line order.

use std::collections::BTreeMap;
use std::io::Write;

use futures_util::StreamExt;
use sparse_patch::pingone::sync::{Outcome, Summary, SyncJob};

use crate::output::Output;
use crate::output::describe;
use crate::output::stop_notice;

/// Prints the plan, in line order, and the counts; returns them and the outcomes by line.
pub(crate) async fn plan<I>(
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
    if let Some(notice) = outcomes.values().find_map(stop_notice) {
        eprintln!("plan: {notice}");
    }
    (summary, outcomes)
}
