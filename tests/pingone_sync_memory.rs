//! A feed line of any length keeps the sync job's memory bounded: `feed_lines` drops a line
//! longer than `MAX_LINE_BYTES` as it reads it, and the job reports that line as invalid and
//! goes on. A global allocator counts the bytes live on the reading thread.

#[path = "support/emulator_client.rs"]
mod emulator_client;
use emulator_client::emulator_bearer_builder;

#[path = "support/thread_allocations.rs"]
mod thread_allocations;

use std::io::{BufReader, Read};

use futures_util::StreamExt;
use sparse_patch::pingone::Client;
use sparse_patch::pingone::emulator::Emulator;
use sparse_patch::pingone::sync::{MAX_LINE_BYTES, Status, SyncJob, feed_lines};

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

/// A feed whose lines end with `\r` alone (classic Mac OS, Excel for Mac's CSV) is one line;
/// past the limit, its error said only that the line was too long, though the file holds
/// thousands of users that it did not run: it says why, whatever the reader's buffer size
/// (a `\r` at the end of one read and its next byte at the start of the next). A long line
/// of `\r\n`-ended parts, or a `\r` at its end, does not. As sqlitebrowser/sqlitebrowser#212
/// and MarkPflug/Sylvan#198 read such files as one row.
#[test]
fn a_long_line_of_lines_ended_by_carriage_returns_says_so() {
    let user = |n: usize| format!("{{\"username\": \"user{n:06}\", \"title\": \"Engineer\"}}");
    let mut mac = String::new();
    for n in 0..(MAX_LINE_BYTES / 40 + 10) {
        mac.push_str(&user(n));
        mac.push('\r');
    }
    let crlf_inside = format!("{}\r\r\n", "x".repeat(MAX_LINE_BYTES + 5));
    for capacity in [4096, 41, 7] {
        for (feed, says) in [(&mac, true), (&crlf_inside, false)] {
            let lines: Vec<_> =
                feed_lines(BufReader::with_capacity(capacity, feed.as_bytes())).collect();
            assert_eq!(lines.len(), 1);
            let error = lines[0].as_ref().unwrap_err().to_string();
            assert!(error.contains("longer than"), "{error}");
            assert_eq!(
                error.contains("carriage returns, \\r, without a line feed"),
                says,
                "{capacity}: {error}"
            );
        }
    }
    // `\r\n` line ends, each line short: no error at all.
    let windows = format!("{}\r\n{}\r\n", user(1), user(2));
    assert!(feed_lines(BufReader::with_capacity(7, windows.as_bytes())).all(|line| line.is_ok()));
}

#[test]
fn lines_at_the_limit_are_read_as_lines_reads_them() {
    // The chapter's 1 MiB, counted without the line end.
    assert_eq!(MAX_LINE_BYTES, 1_048_576);
    let at_limit = "y".repeat(MAX_LINE_BYTES);
    let text = format!("a\r\n\n{at_limit}\r\n{at_limit}y\nb");
    let ours: Vec<String> = feed_lines(text.as_bytes())
        .map(|line| line.unwrap_or_else(|error| format!("error: {}", error.kind())))
        .collect();
    assert_eq!(
        ours,
        ["a", "", &at_limit, "error: invalid data", "b"].map(String::from)
    );
    // (Not `\xff\xfe` first: a feed that starts so is UTF-16, one error that ends it.)
    let not_utf8 = feed_lines(&b"\xc3\x28\xff\nok"[..]).collect::<Vec<_>>();
    assert_eq!(
        not_utf8[0].as_ref().unwrap_err().kind(),
        std::io::ErrorKind::InvalidData
    );
    assert_eq!(not_utf8[1].as_ref().unwrap(), "ok");
}

/// A line that arrives in several reads (longer than the reader's buffer, or from a reader
/// that gives a few bytes at a time) is kept whole up to the limit, and refused past it, as
/// when it arrives in one read: the limit is checked against the whole line read so far.
#[test]
fn a_line_read_in_many_parts_is_read_whole() {
    let long = "z".repeat(10_000);
    let at_limit = "y".repeat(MAX_LINE_BYTES);
    let text = format!("{long}\n{at_limit}\r\n{at_limit}y\n{at_limit}yy\r\nend");
    for capacity in [7, 4096, 8192] {
        let lines: Vec<String> = feed_lines(BufReader::with_capacity(capacity, text.as_bytes()))
            .map(|line| line.unwrap_or_else(|error| format!("error: {}", error.kind())))
            .collect();
        let expected = [
            long.as_str(),
            &at_limit,
            "error: invalid data",
            "error: invalid data",
            "end",
        ];
        assert!(
            lines == expected,
            "capacity {capacity}: {:?}",
            lines.iter().map(String::len).collect::<Vec<_>>()
        );
    }
}

/// A read interrupted by a signal (`ErrorKind::Interrupted`) is tried again, as
/// `BufRead::lines` does: no line ends there, none is lost or cut.
#[test]
fn an_interrupted_read_is_tried_again() {
    /// Gives its parts one read each; `None` is a read interrupted.
    struct Interrupts(Vec<Option<&'static [u8]>>);
    impl Read for Interrupts {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            if self.0.is_empty() {
                return Ok(0);
            }
            match self.0.remove(0) {
                None => Err(std::io::ErrorKind::Interrupted.into()),
                Some(part) => {
                    buf[..part.len()].copy_from_slice(part);
                    Ok(part.len())
                }
            }
        }
    }
    let reader = Interrupts(vec![
        None,
        Some(b"{\"username\": \"a"),
        None,
        Some(b"da\"}\nb"),
        None,
        None,
        Some(b"ob\n"),
        None,
    ]);
    let lines: Vec<String> = feed_lines(BufReader::new(reader))
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(lines, [r#"{"username": "ada"}"#, "bob"]);
}

#[tokio::test]
async fn the_job_reports_the_long_line_and_goes_on() {
    let emulator = Emulator::start().unwrap();
    let client = emulator_client(&emulator);
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

/// A reader that gives `first`, then fails with `kind` at every later read (a gzip stream
/// that turns corrupt says `InvalidData` again and again).
struct FailsAfter {
    first: std::io::Cursor<Vec<u8>>,
    kind: std::io::ErrorKind,
    failures: usize,
}

impl Read for FailsAfter {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let read = self.first.read(buf)?;
        if read > 0 {
            return Ok(read);
        }
        self.failures += 1;
        // A bound, so that a failing test does not take the machine's memory.
        if self.failures > 1000 {
            return Ok(0);
        }
        Err(std::io::Error::new(self.kind, "the device went away"))
    }
}

#[test]
fn a_read_error_mid_line_does_not_hand_over_the_rest_as_a_line() {
    // The reader fails once in the middle of a line, then gives the rest of it.
    struct FailsOnce {
        parts: Vec<&'static [u8]>,
    }
    impl Read for FailsOnce {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            match self.parts.first().copied() {
                None => Ok(0),
                Some(b"!") => {
                    self.parts.remove(0);
                    Err(std::io::Error::other("a transient failure"))
                }
                Some(part) => {
                    let n = part.len().min(buf.len());
                    buf[..n].copy_from_slice(&part[..n]);
                    self.parts.remove(0);
                    Ok(n)
                }
            }
        }
    }
    let reader = FailsOnce {
        parts: vec![
            b"{\"username\": \"ada\"}\n{\"a\": ",
            b"!",
            b"{\"username\": \"bob\"}}\n",
        ],
    };
    let lines: Vec<_> = feed_lines(BufReader::new(reader)).collect();
    let texts: Vec<&str> = lines
        .iter()
        .filter_map(|l| l.as_ref().ok().map(String::as_str))
        .collect();
    // `{"username": "bob"}}` is the tail of the line the error cut: it is no line of the feed.
    assert!(
        !texts
            .iter()
            .any(|text| text.starts_with("{\"username\": \"bob\"")),
        "{lines:?}"
    );
    assert_eq!(texts[0], r#"{"username": "ada"}"#);
}

#[test]
fn a_reader_that_keeps_failing_ends_the_lines() {
    for kind in [std::io::ErrorKind::InvalidData, std::io::ErrorKind::Other] {
        let reader = FailsAfter {
            first: std::io::Cursor::new(b"{\"username\": \"ada\"}\n{\"user".to_vec()),
            kind,
            failures: 0,
        };
        let lines: Vec<_> = feed_lines(BufReader::new(reader)).take(10).collect();
        assert_eq!(lines.len(), 2, "{kind:?}: {lines:?}");
        assert!(lines[1].is_err());
    }
}

#[tokio::test]
async fn the_job_ends_on_a_reader_that_keeps_failing_with_invalid_data() {
    let emulator = Emulator::start().unwrap();
    let client = emulator_client(&emulator);
    let reader = FailsAfter {
        first: std::io::Cursor::new(b"{\"username\": \"ada\"}\n".to_vec()),
        kind: std::io::ErrorKind::InvalidData,
        failures: 0,
    };
    let outcomes = tokio::time::timeout(
        std::time::Duration::from_secs(20),
        SyncJob::new(&client, emulator.environment_id())
            .dry_run(true)
            .run(feed_lines(BufReader::new(reader)))
            .collect::<Vec<_>>(),
    )
    .await
    .expect("the job reads a failing reader forever");
    assert_eq!(outcomes.len(), 2, "{outcomes:?}");
}

/// A client of `emulator`, with its token.
fn emulator_client(emulator: &Emulator) -> Client {
    emulator_bearer_builder(emulator).build().unwrap()
}

/// The keys the job keeps to tell two lines for one user (each line's key and each found
/// user's ID) move to a temporary file past `SyncJob::keys_in_memory`: ten times the lines
/// then cost no more memory. With every key in memory, the same runs grow by about 200 bytes a
/// line, which shows that the measure can tell.
///
/// One line at a time: at the default concurrency of 8 the peak also holds the lines in
/// flight and the connections that the client opened for them, which vary with how fast the
/// emulator answers (up to 40 KiB between two runs on a loaded machine: the test failed one
/// run in two there), not with the number of lines.
#[tokio::test]
async fn the_keys_past_the_limit_cost_no_memory() {
    const FEW: usize = 300;
    const MANY: usize = 3_000;
    let mut builder = Emulator::builder().no_users().record_requests(false);
    for n in 1..=MANY {
        builder = builder.user(sparse_patch::pingone::emulator::generated_user(n));
    }
    let emulator = builder.start().unwrap();
    let client = emulator_client(&emulator);
    // By id: every line finds its user (both indexes fill), and changes nothing. Made as the
    // job reads it, so that the feed itself takes no memory.
    let feed = |count: usize| {
        (1..=count).map(|n| {
            Ok(format!(
                r#"{{"id": "00000000-0000-4000-8000-{n:012}", "title": "Engineer"}}"#
            ))
        })
    };
    let peak_of = |keys_in_memory: usize, count: usize| {
        let job = SyncJob::new(&client, emulator.environment_id())
            .dry_run(true)
            .keys_in_memory(keys_in_memory)
            .concurrency(1)
            .unwrap();
        async move {
            let base = thread_allocations::reset_peak();
            let outcomes: Vec<Status> = job
                .run(feed(count))
                .map(|outcome| outcome.status)
                .collect()
                .await;
            let peak = thread_allocations::peak() - base;
            assert!(outcomes.iter().all(|status| *status == Status::Unchanged));
            assert_eq!(outcomes.len(), count);
            // The outcomes collected: 1 byte each.
            peak - isize::try_from(count).unwrap()
        }
    };
    thread_allocations::count_this_thread(true);
    // A first run keeps what the client and the runtime keep after their first run.
    peak_of(64, FEW).await;
    let few = peak_of(64, FEW).await;
    let many = peak_of(64, MANY).await;
    let many_in_memory = peak_of(usize::MAX, MANY).await;
    thread_allocations::count_this_thread(false);
    let extra_lines = isize::try_from(MANY - FEW).unwrap();
    assert!(
        many - few < 32 * 1024,
        "{FEW} lines: peak {few} B; {MANY} lines: {many} B"
    );
    assert!(
        many_in_memory - few > 40 * extra_lines,
        "every key in memory: {FEW} lines: peak {few} B; {MANY} lines: {many_in_memory} B"
    );
}
