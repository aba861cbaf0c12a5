//! A feed line of any length keeps the sync job's memory bounded: `feed_lines` drops a line
//! longer than `MAX_LINE_BYTES` as it reads it, and the job reports that line as invalid and
//! goes on. A global allocator counts the bytes live on the reading thread.

#[path = "support/thread_allocations.rs"]
mod thread_allocations;

use std::io::{BufReader, Read};

use futures_util::StreamExt;
use sparse_patch::pingone::emulator::Emulator;
use sparse_patch::pingone::sync::{MAX_LINE_BYTES, Status, SyncJob, feed_lines};
use sparse_patch::pingone::{Client, TokenSource};

/// A feed whose second line is `long` bytes of `x` (no line end until then): what a JSON
/// array exported on one line, or a binary file given by mistake, looks like.
fn feed_with_a_long_line(long: u64) -> impl std::io::BufRead + Send + 'static {
    let first = &b"{\"username\": \"dspanner\", \"title\": \"CTO\"}\n"[..];
    let last = &b"\r\n{\"username\": \"nobody\"}\r\n"[..];
    BufReader::new(first.chain(std::io::repeat(b'x').take(long)).chain(last))
}

#[test]
fn a_line_longer_than_the_limit_is_not_kept_in_memory() {
    // `BufRead::lines` kept the whole line: 64 MiB without a line end took 64 MiB and more,
    // a feed of gigabytes took the process down.
    thread_allocations::count_this_thread(true);
    let base = thread_allocations::reset_peak();
    let lines: Vec<std::io::Result<String>> = feed_lines(feed_with_a_long_line(64 << 20)).collect();
    let peak = thread_allocations::peak() - base;
    thread_allocations::count_this_thread(false);
    assert_eq!(lines.len(), 3);
    assert_eq!(
        lines[0].as_ref().unwrap(),
        r#"{"username": "dspanner", "title": "CTO"}"#
    );
    let error = lines[1].as_ref().unwrap_err();
    assert_eq!(error.kind(), std::io::ErrorKind::InvalidData);
    assert!(error.to_string().contains("longer than"), "{error}");
    assert_eq!(lines[2].as_ref().unwrap(), r#"{"username": "nobody"}"#);
    assert!(peak < 3 * MAX_LINE_BYTES as isize, "peak {peak} B");
}

#[test]
fn lines_at_the_limit_are_read_as_lines_reads_them() {
    let at_limit = "y".repeat(MAX_LINE_BYTES);
    let text = format!("a\r\n\n{at_limit}\r\n{at_limit}y\nb");
    let ours: Vec<String> = feed_lines(text.as_bytes())
        .map(|line| line.unwrap_or_else(|error| format!("error: {}", error.kind())))
        .collect();
    assert_eq!(
        ours,
        ["a", "", &at_limit, "error: invalid data", "b"].map(String::from)
    );
    let not_utf8 = feed_lines(&b"\xff\xfe\nok"[..]).collect::<Vec<_>>();
    assert_eq!(
        not_utf8[0].as_ref().unwrap_err().kind(),
        std::io::ErrorKind::InvalidData
    );
    assert_eq!(not_utf8[1].as_ref().unwrap(), "ok");
}

#[tokio::test]
async fn the_job_reports_the_long_line_and_goes_on() {
    let emulator = Emulator::start().unwrap();
    let client = Client::builder()
        .api_base_url(emulator.api_base_url())
        .token(TokenSource::bearer(emulator.token()))
        .build()
        .unwrap();
    let job = SyncJob::new(&client, emulator.environment_id()).dry_run(true);
    let mut outcomes: Vec<_> = job
        .run(feed_lines(feed_with_a_long_line(4 << 20)))
        .collect()
        .await;
    outcomes.sort_by_key(|outcome| outcome.line);
    let statuses: Vec<_> = outcomes
        .iter()
        .map(|outcome| (outcome.line, outcome.status))
        .collect();
    assert_eq!(
        statuses,
        [
            (1, Status::WouldChange),
            (2, Status::Invalid),
            (3, Status::NotFound)
        ]
    );
    let message = &outcomes[1].error.as_ref().unwrap().message;
    assert!(message.contains("longer than"), "{message}");
}
