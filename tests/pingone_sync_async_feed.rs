//! The sync job over a feed that arrives slowly: `feed_lines_async` gives the lines that
//! `feed_lines` gives (against `BufRead::lines` as the oracle, in chunks of every size, with
//! the reader waiting between them), and `SyncJob::run_stream` yields the outcomes of the
//! lines in flight while the feed waits for its next line.

#[path = "support/emulator_client.rs"]
mod emulator_client;
use emulator_client::emulator_bearer_builder;

use std::io::BufRead as _;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use futures_util::StreamExt as _;
use proptest::prelude::*;
use serde_json::json;
use sparse_patch::pingone::Client;
use sparse_patch::pingone::emulator::Emulator;
use sparse_patch::pingone::sync::{MAX_LINE_BYTES, Status, SyncJob, feed_lines, feed_lines_async};
use tokio::io::AsyncWriteExt as _;

/// A `tokio` reader that hands over `bytes` in chunks of the given sizes (cycled), and is
/// not ready (waking itself at once) before each chunk: a pipe whose writer is slow.
struct Trickle {
    bytes: Vec<u8>,
    at: usize,
    sizes: Vec<usize>,
    chunk: usize,
    /// The end of the chunk being handed over, once it is ready.
    ready_to: Option<usize>,
}

impl Trickle {
    fn new(bytes: Vec<u8>, sizes: Vec<usize>) -> Self {
        Self {
            bytes,
            at: 0,
            sizes,
            chunk: 0,
            ready_to: None,
        }
    }
}

impl tokio::io::AsyncRead for Trickle {
    fn poll_read(
        self: Pin<&mut Self>,
        context: &mut Context<'_>,
        buf: &mut tokio::io::ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        let this = self.get_mut();
        let available = match tokio::io::AsyncBufRead::poll_fill_buf(Pin::new(this), context) {
            Poll::Ready(Ok(available)) => available,
            Poll::Ready(Err(error)) => return Poll::Ready(Err(error)),
            Poll::Pending => return Poll::Pending,
        };
        let n = available.len().min(buf.remaining());
        buf.put_slice(&available[..n]);
        tokio::io::AsyncBufRead::consume(Pin::new(this), n);
        Poll::Ready(Ok(()))
    }
}

impl tokio::io::AsyncBufRead for Trickle {
    fn poll_fill_buf(
        self: Pin<&mut Self>,
        context: &mut Context<'_>,
    ) -> Poll<std::io::Result<&[u8]>> {
        let this = self.get_mut();
        if this.at == this.bytes.len() {
            return Poll::Ready(Ok(&[]));
        }
        let Some(end) = this.ready_to else {
            let size = this.sizes[this.chunk % this.sizes.len()].max(1);
            this.chunk += 1;
            this.ready_to = Some((this.at + size).min(this.bytes.len()));
            context.waker().wake_by_ref();
            return Poll::Pending;
        };
        Poll::Ready(Ok(&this.bytes[this.at..end]))
    }

    fn consume(self: Pin<&mut Self>, amount: usize) {
        let this = self.get_mut();
        this.at += amount;
        if Some(this.at) == this.ready_to {
            this.ready_to = None;
        }
    }
}

/// A line as a comparable value: its text, or its error's kind.
type Line = Result<String, std::io::ErrorKind>;

fn comparable(line: std::io::Result<String>) -> Line {
    line.map_err(|error| error.kind())
}

fn async_lines(bytes: &[u8], sizes: Vec<usize>) -> Vec<Line> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    runtime.block_on(
        feed_lines_async(Trickle::new(bytes.to_vec(), sizes))
            .map(comparable)
            .collect(),
    )
}

fn sync_lines(bytes: &[u8]) -> Vec<Line> {
    feed_lines(bytes).map(comparable).collect()
}

/// A feed's bytes: JSON-ish text, line ends of both kinds, blank lines, bytes that are not
/// UTF-8, and sometimes a UTF-16 byte order mark first.
fn feed_bytes() -> impl Strategy<Value = Vec<u8>> {
    let piece = prop_oneof![
        Just(b"{\"username\": \"ada\"}".to_vec()),
        Just(b"\n".to_vec()),
        Just(b"\r\n".to_vec()),
        Just(b"\r".to_vec()),
        Just(" \u{feff}é".as_bytes().to_vec()),
        Just(vec![0xff]),
        Just(vec![0xfe, 0xff]),
        Just(vec![0xc3]),
        proptest::collection::vec(any::<u8>(), 0..4),
    ];
    proptest::collection::vec(piece, 0..12).prop_map(|pieces| pieces.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// In any chunks, with the reader waiting before each, the asynchronous lines are the
    /// lines of `feed_lines` over the whole feed at once.
    #[test]
    fn async_lines_are_the_sync_lines(
        bytes in feed_bytes(),
        sizes in proptest::collection::vec(1usize..6, 1..4),
    ) {
        prop_assert_eq!(async_lines(&bytes, sizes), sync_lines(&bytes));
    }

    /// Without a UTF-16 byte order mark first (and no line near `MAX_LINE_BYTES`), they are
    /// the lines of `BufRead::lines`, the oracle.
    #[test]
    fn async_lines_are_std_lines(
        bytes in feed_bytes(),
        sizes in proptest::collection::vec(1usize..6, 1..4),
    ) {
        prop_assume!(!bytes.starts_with(&[0xff, 0xfe]) && !bytes.starts_with(&[0xfe, 0xff]));
        let oracle: Vec<Line> = bytes.lines().map(comparable).collect();
        prop_assert_eq!(async_lines(&bytes, sizes), oracle);
    }
}

/// The last line, without a line end, keeps a `\r` as `BufRead::lines` does (`feed_lines`
/// dropped it, unlike the `lines` it documents itself as); a `\r\n` loses both.
#[test]
fn a_last_line_without_a_line_end_keeps_its_carriage_return() {
    for bytes in [&b"a\r"[..], b"a\r\nb\r", b"\r"] {
        let oracle: Vec<Line> = bytes.lines().map(comparable).collect();
        assert_eq!(sync_lines(bytes), oracle, "{bytes:?}");
        assert_eq!(async_lines(bytes, vec![1]), oracle, "{bytes:?}");
    }
}

/// A UTF-16 feed whose byte order mark arrives one byte at a time is still one error that
/// says so, as `feed_lines` gives it for the whole feed.
#[test]
fn a_utf16_feed_in_single_bytes_is_one_error() {
    let mut bytes = vec![0xff, 0xfe];
    for unit in "{\"username\": \"ada\"}\n{}\n".encode_utf16() {
        bytes.extend(unit.to_le_bytes());
    }
    let lines = async_lines(&bytes, vec![1]);
    assert_eq!(lines, [Err(std::io::ErrorKind::InvalidData)]);
    assert_eq!(lines, sync_lines(&bytes));
}

/// A UTF-16 feed whose first line, read in one piece, passes `MAX_LINE_BYTES` (a large
/// reader buffer, no line end in it) is still refused as UTF-16: the byte order mark was looked
/// for in the line as kept, and a line over the limit is not kept, so the feed was read as
/// one line too long and then UTF-16's other lines as garbage.
#[test]
fn a_utf16_feed_with_a_long_first_line_is_one_error() {
    let mut bytes = vec![0xff, 0xfe];
    for unit in "x".repeat(MAX_LINE_BYTES).encode_utf16() {
        bytes.extend(unit.to_le_bytes());
    }
    for unit in "\n{}\n".encode_utf16() {
        bytes.extend(unit.to_le_bytes());
    }
    let reader = std::io::BufReader::with_capacity(4 * MAX_LINE_BYTES, bytes.as_slice());
    let lines: Vec<Line> = feed_lines(reader).map(comparable).collect();
    assert_eq!(lines, [Err(std::io::ErrorKind::InvalidData)]);
    assert_eq!(async_lines(&bytes, vec![4 * MAX_LINE_BYTES]), lines);
}

/// A line past `MAX_LINE_BYTES`, in chunks, is one `InvalidData` line, and the lines around it
/// are read (the limit's edges: at it, one byte over with a `\r`, and over).
#[test]
fn a_long_line_in_chunks_is_dropped_and_the_feed_goes_on() {
    for long in [MAX_LINE_BYTES, MAX_LINE_BYTES + 1] {
        for line_end in ["\n", "\r\n"] {
            let mut bytes = b"{\"username\": \"ada\"}\n".to_vec();
            bytes.extend(std::iter::repeat_n(b'x', long));
            bytes.extend(line_end.as_bytes());
            bytes.extend(b"{\"username\": \"bo\"}");
            let lines = async_lines(&bytes, vec![4096, 1, 70_000]);
            assert_eq!(lines, sync_lines(&bytes), "{long} {line_end:?}");
            assert_eq!(lines.len(), 3);
            assert_eq!(lines[0].as_deref(), Ok(r#"{"username": "ada"}"#));
            assert_eq!(
                lines[1].is_ok(),
                long == MAX_LINE_BYTES,
                "{long} {line_end:?}"
            );
            assert_eq!(lines[2].as_deref(), Ok(r#"{"username": "bo"}"#));
        }
    }
}

/// A reader's error other than `Interrupted` is given once and ends the lines, with no part
/// of the line it cut.
#[test]
fn a_reader_error_ends_the_async_lines() {
    struct Failing(bool);
    impl tokio::io::AsyncRead for Failing {
        fn poll_read(
            self: Pin<&mut Self>,
            _: &mut Context<'_>,
            _: &mut tokio::io::ReadBuf<'_>,
        ) -> Poll<std::io::Result<()>> {
            unreachable!("read through poll_fill_buf")
        }
    }
    impl tokio::io::AsyncBufRead for Failing {
        fn poll_fill_buf(
            self: Pin<&mut Self>,
            _: &mut Context<'_>,
        ) -> Poll<std::io::Result<&[u8]>> {
            let this = self.get_mut();
            if this.0 {
                return Poll::Ready(Err(std::io::Error::other("device gone")));
            }
            Poll::Ready(Ok(b"{\"username\": \"ada\"}\n{\"user"))
        }
        fn consume(self: Pin<&mut Self>, _: usize) {
            self.get_mut().0 = true;
        }
    }
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    let lines: Vec<Line> =
        runtime.block_on(feed_lines_async(Failing(false)).map(comparable).collect());
    assert_eq!(
        lines,
        [
            Ok(r#"{"username": "ada"}"#.to_owned()),
            Err(std::io::ErrorKind::Other)
        ]
    );
}

/// A read interrupted by a signal (`ErrorKind::Interrupted`) is tried again, as
/// `feed_lines` does (tests/pingone_sync_memory.rs): no line ends there, none is lost or cut,
/// and the lines go on. (Mutation testing: giving it as the feed's error went unnoticed.)
#[test]
fn an_interrupted_async_read_is_tried_again() {
    /// Gives its parts one fill each; `None` is a fill interrupted.
    struct Interrupts(Vec<Option<&'static [u8]>>);
    impl tokio::io::AsyncRead for Interrupts {
        fn poll_read(
            self: Pin<&mut Self>,
            _: &mut Context<'_>,
            _: &mut tokio::io::ReadBuf<'_>,
        ) -> Poll<std::io::Result<()>> {
            unreachable!("read through poll_fill_buf")
        }
    }
    impl tokio::io::AsyncBufRead for Interrupts {
        fn poll_fill_buf(
            self: Pin<&mut Self>,
            _: &mut Context<'_>,
        ) -> Poll<std::io::Result<&[u8]>> {
            let this = self.get_mut();
            match this.0.first().copied() {
                None => Poll::Ready(Ok(&[])),
                Some(None) => {
                    this.0.remove(0);
                    Poll::Ready(Err(std::io::ErrorKind::Interrupted.into()))
                }
                Some(Some(part)) => Poll::Ready(Ok(part)),
            }
        }
        fn consume(self: Pin<&mut Self>, used: usize) {
            let this = self.get_mut();
            if let Some(Some(part)) = this.0.first_mut() {
                *part = &part[used..];
                if part.is_empty() {
                    this.0.remove(0);
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
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    let lines: Vec<Line> = runtime.block_on(feed_lines_async(reader).map(comparable).collect());
    assert_eq!(
        lines,
        [
            Ok(r#"{"username": "ada"}"#.to_owned()),
            Ok("bob".to_owned())
        ]
    );
}

/// An emulator holding one user for each of `usernames`, with IDs `...0001` on.
fn emulator_with(usernames: &[&str]) -> Emulator {
    let mut builder = Emulator::builder().no_users();
    for (n, username) in usernames.iter().enumerate() {
        builder = builder.user(json!({
            "id": format!("00000000-0000-4000-8000-{:012}", n + 1),
            "username": username,
            "email": format!("{username}@example.com"),
        }));
    }
    builder.start().unwrap()
}

fn client(emulator: &Emulator) -> Client {
    emulator_bearer_builder(emulator).build().unwrap()
}

/// The point of `run_stream`: on a `current_thread` runtime, a feed whose writer has sent one
/// line and not yet the next (a pipe from a slow program) does not hold the job. The first
/// line's outcome arrives while the feed waits; then the next line is written, and the feed
/// ends. (`run` over a blocking reader would hold the only thread in the read, and the first
/// outcome would never come.)
#[tokio::test(flavor = "current_thread")]
async fn outcomes_arrive_while_the_feed_waits() {
    let emulator = emulator_with(&["ada", "bo"]);
    let client = client(&emulator);
    let (mut writer, reader) = tokio::io::duplex(64);
    let job = SyncJob::new(&client, emulator.environment_id());
    let mut outcomes =
        std::pin::pin!(job.run_stream(feed_lines_async(tokio::io::BufReader::new(reader))));
    writer
        .write_all(b"{\"username\": \"ada\", \"title\": \"Analyst\"}\n")
        .await
        .unwrap();
    let first = tokio::time::timeout(Duration::from_secs(30), outcomes.next())
        .await
        .expect("the first line's outcome waited for the feed's next line")
        .unwrap();
    assert_eq!((first.line, first.status), (1, Status::Changed));
    writer
        .write_all(b"\n{\"username\": \"bo\", \"title\": \"Clerk\"}")
        .await
        .unwrap();
    drop(writer);
    let rest: Vec<_> = tokio::time::timeout(Duration::from_secs(30), outcomes.collect::<Vec<_>>())
        .await
        .unwrap();
    assert_eq!(rest.len(), 1, "{rest:?}");
    assert_eq!((rest[0].line, rest[0].status), (3, Status::Changed));
    assert_eq!(
        emulator
            .user("00000000-0000-4000-8000-000000000002")
            .unwrap()["title"],
        "Clerk"
    );
}

/// Stopping a job whose feed waits, as `run_stream`'s doc says: `take_until` on the stop's
/// future ends the lines at once, though the writer keeps the feed open and sends nothing
/// more; the line already started still gets its outcome. (`take_while` on a flag looks at
/// the flag only when the feed gives a line, so the stop would wait for the writer's next
/// line, or forever.)
#[tokio::test(flavor = "current_thread")]
async fn take_until_stops_a_job_whose_feed_waits_keeping_the_started_line() {
    let emulator = emulator_with(&["ada"]);
    let client = client(&emulator);
    let (mut writer, reader) = tokio::io::duplex(64);
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let mut stop = Some(stop);
    // The stop comes once the first line has been handed to the job (a Ctrl-C then).
    let lines = feed_lines_async(tokio::io::BufReader::new(reader))
        .inspect(move |_| {
            if let Some(stop) = stop.take() {
                stop.send(()).unwrap();
            }
        })
        .take_until(stopped);
    let job = SyncJob::new(&client, emulator.environment_id());
    let outcomes = job.run_stream(lines);
    writer
        .write_all(b"{\"username\": \"ada\", \"title\": \"Analyst\"}\n")
        .await
        .unwrap();
    let outcomes: Vec<_> = tokio::time::timeout(Duration::from_secs(30), outcomes.collect())
        .await
        .expect("the stop waited for the feed's next line");
    assert_eq!(outcomes.len(), 1, "{outcomes:?}");
    assert_eq!((outcomes[0].line, outcomes[0].status), (1, Status::Changed));
    drop(writer);
}

/// `run` is `run_stream` over the iterator: the same outcomes for the same feed, a line
/// that is not UTF-8 and a read error included.
#[tokio::test]
async fn run_and_run_stream_give_the_same_outcomes() {
    let feed: Vec<u8> = [
        &b"{\"username\": \"ada\", \"title\": \"A\"}\n"[..],
        b"\xff\n",
        b"\n",
        b"{\"username\": \"nobody\"}\n",
        b"{\"username\": \"ada\", \"title\": \"B\"}",
    ]
    .concat();
    let mut results = Vec::new();
    for streamed in [false, true] {
        let emulator = emulator_with(&["ada"]);
        let client = client(&emulator);
        let job = SyncJob::new(&client, emulator.environment_id())
            .run_id("same")
            .unwrap();
        let mut outcomes: Vec<_> = if streamed {
            job.run_stream(feed_lines_async(Trickle::new(feed.clone(), vec![3])))
                .collect()
                .await
        } else {
            job.run(feed_lines(std::io::Cursor::new(feed.clone())))
                .collect()
                .await
        };
        outcomes.sort_by_key(|outcome| outcome.line);
        results.push(serde_json::to_value(&outcomes).unwrap());
    }
    assert_eq!(results[0], results[1]);
    let statuses: Vec<_> = results[0]
        .as_array()
        .unwrap()
        .iter()
        .map(|outcome| outcome["status"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(statuses, ["changed", "invalid", "notFound", "duplicate"]);
}

/// A read error other than a line that is not UTF-8 is the feed's last line: the job does not
/// read the feed again after it. A feed read once more there (a socket that died, a pipe
/// whose writer hangs, an iterator that blocks or panics after its error) held the job
/// forever, or failed it, after every outcome was in: `take_while` and `map_while` pull the
/// next item before they can end.
#[tokio::test]
async fn the_feed_is_not_read_after_its_read_error() {
    let emulator = emulator_with(&["ada"]);
    let client = client(&emulator);
    let job = SyncJob::new(&client, emulator.environment_id());
    let error = || std::io::Error::new(std::io::ErrorKind::ConnectionReset, "the pipe broke");
    let read_again = || -> std::io::Result<String> { panic!("the feed was read after its error") };

    // `run_stream`: a stream that fails, then would panic if polled again.
    let lines =
        futures_util::stream::iter([Ok("{\"username\": \"nobody\"}".to_owned()), Err(error())])
            .chain(futures_util::stream::poll_fn(move |_| {
                Poll::Ready(Some(read_again()))
            }));
    let outcomes: Vec<_> = job.run_stream(lines).collect().await;
    let mut lines: Vec<_> = outcomes
        .iter()
        .map(|outcome| (outcome.line, outcome.status))
        .collect();
    lines.sort_by_key(|(line, _)| *line);
    assert_eq!(lines, [(1, Status::NotFound), (2, Status::Invalid)]);

    // `run`: an iterator that fails, then would panic if called again.
    let mut calls = 0;
    let lines = std::iter::from_fn(move || {
        calls += 1;
        match calls {
            1 => Some(Ok("{\"username\": \"nobody\"}".to_owned())),
            2 => Some(Err(error())),
            _ => Some(read_again()),
        }
    });
    let outcomes: Vec<_> = job.run(lines).collect().await;
    assert_eq!(outcomes.len(), 2, "{outcomes:?}");
}
