//! The command line's tests: files, interruptions, the report, the output.

use std::collections::BTreeMap;
use std::io::{Cursor, Write};
use std::path::{Path, PathBuf};

use futures_util::StreamExt;
use serde_json::json;
use sparse_patch::pingone::emulator::{Emulator, Fault};
use sparse_patch::pingone::sync::{Outcome, Status, SyncJob, line_key, rerun_lines};
use sparse_patch::pingone::{Client, TokenSource};

use crate::apply::apply_with;
use crate::args::parse_args;
use crate::feed_file::{count_lines, read_twice, same_file};
use crate::offline::{offline_emulator, seeded_users};
use crate::output::{NotAttempted, Output, describe};
use crate::plan::plan;
use crate::report::{Old, create_report, old_outcomes_of_feed, read_report, write_plan_report};
use crate::run;
use crate::signals::stop_requests;

/// Counts the bytes live on this test program's threads that ask for it (its global
/// allocator): the measure of `a_runs_memory_does_not_grow_with_its_feed`.
#[path = "../../tests/support/thread_allocations.rs"]
mod thread_allocations;

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
        let path = std::env::temp_dir().join(format!("sync-users-{}-{name}", std::process::id()));
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
    let fifo =
        TempFile(std::env::temp_dir().join(format!("sync-users-{}-feed.fifo", std::process::id())));
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

/// A `--report` that cannot be created (in a directory that does not exist, or a directory
/// itself) is the run's error before anything is looked up or sent, in a run and in a dry
/// run alike. It was found only when the run created it: a dry run looked every line up and
/// then wrote its plan nowhere, and a run said "0 line(s) recorded in it (their changes are
/// sent); --only-failed with it runs again the lines it lacks", of a report that did not
/// exist.
#[tokio::test(flavor = "current_thread")]
async fn a_report_that_cannot_be_created_is_refused_before_the_run() {
    let feed = TempFile::new("feed-for-no-report.jsonl", b"{\"username\": \"user001\"}\n");
    let no_directory = feed.0.with_extension("missing").join("report.jsonl");
    let directory = std::env::temp_dir();
    for report in [&no_directory, &directory] {
        for dry_run in [false, true] {
            let mut list = vec![feed.0.display().to_string(), "--report".to_owned()];
            list.push(report.display().to_string());
            if dry_run {
                list.push("--dry-run".to_owned());
            }
            let error = run(parse_args(list.into_iter()).unwrap())
                .await
                .unwrap_err()
                .to_string();
            assert!(
                error.starts_with(&format!("cannot create the report {}", report.display()))
                    && error.ends_with("; nothing was sent"),
                "{error}"
            );
        }
    }
    assert!(!no_directory.exists());
}

/// A read-only report was replaced silently (a new file renamed over it, read-only still):
/// it is refused before the run, in a run and in a dry run, and left as it was.
#[tokio::test(flavor = "current_thread")]
async fn a_read_only_report_is_refused_and_kept() {
    let feed = TempFile::new("feed-for-read-only.jsonl", b"{\"username\": \"user001\"}\n");
    let kept = b"{\"line\": 1, \"status\": \"changed\"}\n";
    let report = TempFile::new("read-only-report.jsonl", kept);
    let mut permissions = std::fs::metadata(&report.0).unwrap().permissions();
    permissions.set_readonly(true);
    std::fs::set_permissions(&report.0, permissions).unwrap();
    for dry_run in [false, true] {
        let mut list = vec![feed.0.display().to_string(), "--report".to_owned()];
        list.push(report.0.display().to_string());
        if dry_run {
            list.push("--dry-run".to_owned());
        }
        let error = run(parse_args(list.into_iter()).unwrap())
            .await
            .unwrap_err()
            .to_string();
        assert!(
            error.starts_with(&format!("cannot create the report {}", report.0.display()))
                && error.contains("it is read-only")
                && error.ends_with("; nothing was sent"),
            "{error}"
        );
        assert_eq!(std::fs::read(&report.0).unwrap(), kept);
    }
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

/// A report whose last line was cut short as it was written (a disk full, a power cut, inside
/// a character of two bytes too): `--only-failed` refused it ("EOF while parsing"), and the
/// run could not be resumed without editing the report. The cut line is no outcome: its line
/// runs again.
#[test]
fn a_report_cut_inside_its_last_line_is_read_without_it() {
    let whole = "{\"line\":1,\"key\":{\"username\":\"u1\"},\"status\":\"changed\"}\n\
                 {\"line\":2,\"key\":{\"username\":\"zoé\"},\"status\":\"changed\"}\n";
    let cut = &whole.as_bytes()[..whole.find('é').unwrap() + 1];
    let report = TempFile::new("cut-report.jsonl", cut);
    let text = read_report(&report.0).unwrap();
    assert_eq!(rerun_lines(text.as_bytes()).unwrap().done(), 1);
    let (kept, past) = old_outcomes_of_feed(&text, 2).unwrap();
    assert_eq!((kept.keys().collect::<Vec<_>>(), past.len()), (vec![&1], 0));
    // And said: the tool showed no `tracing` warning, and dropped the line without a word.
    let notice = crate::report::cut_last_line_notice(&text, "r.jsonl").unwrap();
    assert!(
        notice.starts_with("the last line of r.jsonl (line 2) is cut short"),
        "{notice}"
    );
    assert_eq!(crate::report::cut_last_line_notice(whole, "r.jsonl"), None);
    let unended = whole.trim_end();
    assert_eq!(
        crate::report::cut_last_line_notice(unended, "r.jsonl"),
        None
    );
    // A line cut short before the last one is damage: refused.
    let damaged = whole.replacen("changed\"}\n", "chan\n", 1);
    assert!(old_outcomes_of_feed(&damaged, 2).is_err());
}

/// A line that is not UTF-8 gets an outcome (invalid), so the progress bar counts it; blank
/// lines get none; the feed's line count includes both.
#[test]
fn lines_are_counted_as_the_job_reads_them() {
    let feed = b"{\"username\": \"a\"}\n\n\xff\xfe not UTF-8\n{\"username\": \"b\"}";
    let counted = count_lines(Cursor::new(&feed[..]), None).unwrap();
    assert_eq!((counted.total, counted.feed_lines), (3, 4));
}

/// A feed of `lines` lines, `user001` to `user{lines}` (the emulator's generated users), each
/// setting `title`.
fn titled_feed(lines: usize, title: &str) -> Vec<std::io::Result<String>> {
    (1..=lines)
        .map(|n| {
            Ok(format!(
                r#"{{"username": "user{n:03}", "title": "{title}"}}"#
            ))
        })
        .collect()
}

/// `sync_users feed.jsonl > run.log` at a terminal: the progress bar on the terminal
/// (stderr), and each outcome in the file, as without a bar. The file got only the counts:
/// with a bar, the outcomes were printed nowhere but, for the failures, on the bar.
#[tokio::test]
async fn with_a_bar_an_output_that_is_no_terminal_still_gets_each_outcome() {
    let emulator = seeded_emulator().unwrap();
    let client = client_of(&emulator);
    let job = SyncJob::new(&client, emulator.environment_id());
    let mut out = Output {
        writer: Vec::new(),
        closed: false,
        // As `Output::new` makes it for a file when stderr is a terminal.
        bar: true,
        each_line: true,
    };
    let (_press, mut presses) = tokio::sync::mpsc::unbounded_channel();
    let mut feed = titled_feed(5, "Logged");
    feed.push(Ok(r#"{"username": "nobody", "title": "Logged"}"#.to_owned()));
    let applied = apply_with(
        &job,
        feed,
        6,
        None,
        Old::default(),
        &mut presses,
        &mut out,
        |_| {},
    )
    .await
    .unwrap();
    assert_eq!(applied.summary.lines(), 6);
    let printed = String::from_utf8(out.writer).unwrap();
    for line in 1..=5 {
        assert!(
            printed.contains(&format!("line {line:<4} username \"user{line:03}\"")),
            "line {line}: {printed}"
        );
    }
    assert!(printed.contains("not found"), "{printed}");
    assert!(
        printed.contains("6 lines: 5 changed, 1 notFound"),
        "{printed}"
    );
    // Nothing of the bar: it draws on stderr only.
    assert!(
        !printed.contains('\u{1b}') && !printed.contains('\r'),
        "{printed:?}"
    );
}

/// A run whose calls were retried says how many times, after what, and how long it waited:
/// a run against a PingOne that rate limits or fails for a while was slow, and its output said
/// why nowhere.
#[tokio::test]
async fn a_runs_retries_are_counted_by_cause_and_said_once() {
    use crate::retries::Retries;

    let retries = Retries::default();
    assert_eq!(retries.notice(), None);
    let emulator = seeded_emulator().unwrap();
    let client = Client::builder()
        .api_base_url(emulator.api_base_url())
        .token(TokenSource::bearer(emulator.token()))
        .retry_policy(
            retries
                .policy()
                .initial_backoff(std::time::Duration::from_millis(1)),
        )
        .build()
        .unwrap();
    emulator.inject(Fault::RateLimited {
        retry_after: "0".to_owned(),
    });
    emulator.inject(Fault::Status(503));
    let job = SyncJob::new(&client, emulator.environment_id());
    let (_press, mut presses) = tokio::sync::mpsc::unbounded_channel();
    let applied = apply_with(
        &job,
        titled_feed(1, "Retried"),
        1,
        None,
        Old::default(),
        &mut presses,
        &mut Output::plain(std::io::sink()),
        |_| {},
    )
    .await
    .unwrap();
    assert_eq!(applied.summary.count(Status::Changed), 1);
    let notice = retries.notice().unwrap();
    assert!(
        notice.starts_with("2 retries (1 after HTTP 429, 1 after HTTP 503), "),
        "{notice}"
    );
    retries.add(None, std::time::Duration::from_millis(2500));
    let notice = retries.notice().unwrap();
    assert!(
        notice.starts_with(
            "3 retries (1 after a timeout or a failed connection, 1 after HTTP 429, 1 after \
             HTTP 503), 2.5 s waited in all"
        ),
        "{notice}"
    );
}

/// Ctrl-C killed the tool: the lines in flight had their PATCH sent and no outcome in the
/// report, so the report did not say what the run changed. Now the first Ctrl-C starts no
/// new line and lets those in flight finish: every PATCH the server received has its
/// outcome in the report, and the tool exits 130.
#[tokio::test]
async fn an_interrupted_run_records_every_patch_it_sent() {
    let (emulator, client) = slow_emulator();
    let job = SyncJob::new(&client, emulator.environment_id())
        .concurrency(4)
        .unwrap();
    let feed = titled_feed(40, "Interrupted");
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
    // Another test's Ctrl-C may come first: each test's handler hears every signal.
    let mut received = requests.recv().await;
    while matches!(received, Some(130 | 129)) {
        received = requests.recv().await;
    }
    assert_eq!(received, Some(143));
}

/// SIGHUP (the terminal closed) is a request to stop as well, with its own exit status, 129,
/// as the chapter on the sync job says; no test sent it. Another test's signal may come
/// first (SIGINT's 130, SIGTERM's 143); a SIGHUP read as either of them never comes as 129.
#[cfg(unix)]
#[tokio::test]
async fn sighup_is_a_request_to_stop() {
    let mut requests = stop_requests();
    let sent = std::process::Command::new("kill")
        .args(["-HUP", &std::process::id().to_string()])
        .status()
        .unwrap();
    assert!(sent.success());
    let received = tokio::time::timeout(std::time::Duration::from_secs(10), async {
        let mut received = requests.recv().await;
        while matches!(received, Some(130 | 143)) {
            received = requests.recv().await;
        }
        received
    })
    .await;
    assert_eq!(received, Ok(Some(129)));
}

/// Ctrl-C's handler was installed by a task when it first ran, at the run's first wait:
/// until then, after the report was created (emptied, for `--only-failed R --report R`) and
/// while the old outcomes were written back into it, a Ctrl-C killed the tool. It is now
/// installed before `stop_requests` returns, as SIGTERM's is (without it, the signal sent
/// here, with no wait between, kills this test program).
#[cfg(unix)]
#[tokio::test]
async fn ctrl_c_is_caught_from_the_moment_stop_requests_returns() {
    let mut requests = stop_requests();
    let sent = std::process::Command::new("kill")
        .args(["-INT", &std::process::id().to_string()])
        .status()
        .unwrap();
    assert!(sent.success());
    let mut received = requests.recv().await;
    while matches!(received, Some(143 | 129)) {
        received = requests.recv().await;
    }
    assert_eq!(received, Some(130));
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
    let job = SyncJob::new(&client, emulator.environment_id())
        .concurrency(4)
        .unwrap();
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
        .unwrap()
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
    let (_press, mut presses) = tokio::sync::mpsc::unbounded_channel();
    let planned = plan(
        &job,
        feed.into_iter().map(Ok),
        &mut presses,
        &mut Output::plain(Vec::new()),
    )
    .await;
    let (summary, outcomes) = (planned.summary, planned.outcomes);
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

/// A run whose token PingOne refuses (401: a bearer token it does not know) sent a request for
/// every line, each failing the same way. It stops at the refusal now: the later lines are
/// `notAttempted` in the report and on the output, each with the refusal, and a rerun of the
/// report takes them all.
#[tokio::test]
async fn a_refused_token_stops_the_run_and_every_line_is_reported() {
    let emulator = seeded_emulator().unwrap();
    let client = Client::builder()
        .api_base_url(emulator.api_base_url())
        .token(TokenSource::bearer("not-a-token-pingone-knows"))
        .build()
        .unwrap();
    let job = SyncJob::new(&client, emulator.environment_id())
        .concurrency(1)
        .unwrap();
    let feed: Vec<std::io::Result<String>> = (1..=5)
        .map(|n| {
            Ok(format!(
                r#"{{"username": "user{n:03}", "title": "Refused"}}"#
            ))
        })
        .collect();
    let report = TempFile::new("refused.jsonl", b"");
    let (_press, mut presses) = tokio::sync::mpsc::unbounded_channel();
    let mut out = Output::plain(Vec::new());
    let applied = apply_with(
        &job,
        feed,
        5,
        Some(&report.0),
        Old::default(),
        &mut presses,
        &mut out,
        |_| {},
    )
    .await
    .unwrap();
    assert_eq!(
        applied.summary.to_string(),
        "5 lines: 1 failed, 4 notAttempted"
    );
    assert_eq!(emulator.requests().len(), 1, "one request, for line 1");
    let printed = String::from_utf8(out.writer).unwrap();
    assert_eq!(
        printed
            .matches("not attempted: the job stopped at line 1")
            .count(),
        4,
        "{printed}"
    );
    // The refusal is printed once, for line 1, not again for each line not attempted (it
    // was, in full, 4 times here and 9,997 times for a stop at line 3 of 10,000); the
    // notice after the counts says it once.
    assert_eq!(printed.matches("ACCESS_FAILED").count(), 1, "{printed}");
    let text = std::fs::read_to_string(&report.0).unwrap();
    assert_eq!(
        rerun_lines(text.as_bytes()).unwrap().failures(),
        5,
        "{text}"
    );
}

/// Ctrl-C (or SIGTERM, SIGHUP) during `--dry-run` killed the tool: a dry run prints its plan
/// only at the end, in line order, so nothing was printed, no report was written, and every
/// lookup made (a GET per line, minutes of them for a long feed at `--rate`) was lost. Now it
/// stops as a run does: no new line is planned, the lines in flight finish, the plan so far
/// is printed and returned for the report, whose lines not reached a rerun takes.
#[tokio::test]
async fn an_interrupted_dry_run_prints_and_reports_its_plan_so_far() {
    let (emulator, client) = slow_emulator();
    let job = SyncJob::new(&client, emulator.environment_id())
        .concurrency(2)
        .unwrap();
    let feed = titled_feed(40, "Planned");
    let (press, mut presses) = tokio::sync::mpsc::unbounded_channel();
    tokio::spawn(async move {
        tokio::time::sleep(std::time::Duration::from_millis(150)).await;
        let _ = press.send(130);
    });
    let mut out = Output::plain(Vec::new());
    let planned = plan(&job, feed, &mut presses, &mut out).await;
    assert_eq!(planned.interrupted, Some(130));
    let planned_lines = planned.outcomes.len();
    assert!((1..40).contains(&planned_lines), "{planned_lines} lines");
    // The lines planned are the first ones: none was started after the interruption.
    assert_eq!(
        planned.outcomes.keys().copied().collect::<Vec<_>>(),
        (1..=planned_lines).collect::<Vec<_>>()
    );
    assert!(
        planned
            .outcomes
            .values()
            .all(|outcome| outcome.status == Status::WouldChange)
    );
    let printed = String::from_utf8(out.writer).unwrap();
    assert!(
        printed.contains(&format!(
            "plan: {planned_lines} lines: {planned_lines} wouldChange"
        )),
        "{printed}"
    );
    // With `--only-failed`, the old outcome of a line to plan again that was not reached is
    // kept, as a run keeps it.
    let old = Old {
        standing: BTreeMap::new(),
        rerun: BTreeMap::from([(
            40,
            r#"{"line":40,"key":{"username":"user040"},"status":"failed","error":{"message":"HTTP 503"}}"#
                .to_owned(),
        )]),
    };
    let report = TempFile::new("interrupted-plan.jsonl", b"");
    write_plan_report(&report.0, &old, &planned.outcomes).unwrap();
    let text = std::fs::read_to_string(&report.0).unwrap();
    assert_eq!(text.lines().count(), planned_lines + 1, "{text}");
    assert!(text.ends_with("\"HTTP 503\"}}\n"), "{text}");
    let rerun = rerun_lines(text.as_bytes()).unwrap();
    for n in 1..=40 {
        let key = line_key(&format!(r#"{{"username": "user{n:03}"}}"#));
        assert!(rerun.selects(n, key.as_ref()), "line {n}");
    }
    assert!(
        emulator
            .requests()
            .iter()
            .all(|request| request.method == "GET"),
        "a dry run sends nothing"
    );
}

/// The `text` block of the guide's chapter on the sync job (docs/sync_job/README.md, once the
/// README's section) that follows `marker`.
fn chapter_block(marker: &str) -> &'static str {
    let chapter = include_str!("../../docs/sync_job/README.md");
    let after = &chapter[chapter.find(marker).expect(marker) + marker.len()..];
    let block = &after[after.find("```text\n").expect("a text block") + "```text\n".len()..];
    &block[..block.find("```").expect("the block's end")]
}

/// `--dry-run` on the sync job chapter's `desired.jsonl`, against the offline emulator, prints
/// what the chapter shows, line for line.
#[tokio::test]
async fn the_readme_dry_run_is_what_the_tool_prints() {
    let feed: Vec<String> = chapter_block("save these lines as\n`desired.jsonl`")
        .lines()
        .map(str::to_owned)
        .collect();
    let shown = chapter_block("sync_users -- --help    #");
    let emulator = seeded_emulator().unwrap();
    let client = client_of(&emulator);
    let job = SyncJob::new(&client, emulator.environment_id());
    let (_press, mut presses) = tokio::sync::mpsc::unbounded_channel();
    let mut out = Output::plain(Vec::new());
    plan(&job, feed.into_iter().map(Ok), &mut presses, &mut out).await;
    assert_eq!(String::from_utf8(out.writer).unwrap(), shown);
}

/// `--dry-run --show-changes` on the same feed prints what the chapter shows: under each
/// line that would change, its changes with the user's current values (`~` replaced, `-`
/// cleared, `+` set), nothing under the others; without the lines of changes, the plan is
/// the one without the flag, byte for byte.
#[tokio::test]
async fn the_readme_plan_with_changes_is_what_the_tool_prints() {
    let feed: Vec<String> = chapter_block("save these lines as\n`desired.jsonl`")
        .lines()
        .map(str::to_owned)
        .collect();
    let shown = chapter_block("--dry-run --show-changes` prints:");
    let emulator = seeded_emulator().unwrap();
    let client = client_of(&emulator);
    let args = parse_args(
        ["desired.jsonl", "--dry-run", "--show-changes"]
            .into_iter()
            .map(str::to_owned),
    )
    .unwrap();
    assert!(args.show_changes);
    let job = SyncJob::new(&client, emulator.environment_id()).planned_changes(true);
    let (_press, mut presses) = tokio::sync::mpsc::unbounded_channel();
    let mut out = Output::plain(Vec::new());
    plan(&job, feed.into_iter().map(Ok), &mut presses, &mut out).await;
    let printed = String::from_utf8(out.writer).unwrap();
    assert_eq!(printed, shown);
    let lines: Vec<&str> = printed.lines().collect();
    let under = |line: &str| {
        let at = lines.iter().position(|l| l.starts_with(line)).unwrap();
        lines[at + 1..]
            .iter()
            .take_while(|l| l.starts_with("          "))
            .map(|l| l.trim_start())
            .collect::<Vec<_>>()
    };
    assert_eq!(
        under("line 1 "),
        [
            r#"~ /name/given: "Given1" -> "Alicia""#,
            r#"~ /title: "Engineer" -> "Lead""#
        ]
    );
    assert_eq!(
        under("line 2 "),
        [r#"- /department: "R&D""#, r#"+ /nickname: "Bo""#]
    );
    assert!(under("line 3 ").is_empty(), "{printed}");
    let without_changes: String = printed
        .split_inclusive('\n')
        .filter(|line| !line.starts_with("          "))
        .collect();
    assert_eq!(
        without_changes,
        chapter_block("sync_users -- --help    #"),
        "the plan without the flag"
    );
}

/// `--show-changes` shows a dry run's plan: with a feed and without `--dry-run` it is a bad
/// option (exit 2), not a flag that a run ignores.
#[test]
fn show_changes_needs_a_dry_run() {
    let parse = |args: &[&str]| parse_args(args.iter().map(|arg| (*arg).to_owned()));
    let refused = parse(&["feed.jsonl", "--show-changes"]).unwrap_err();
    assert!(refused.contains("add --dry-run"), "{refused}");
    assert!(
        parse(&["--show-changes"]).unwrap().show_changes,
        "the demo plans anyway"
    );
}

/// The chapter's report of the same feed (in the order lines complete there) holds the
/// outcomes a run writes, line for line.
#[tokio::test]
async fn the_readme_report_is_what_a_run_writes() {
    let feed: Vec<std::io::Result<String>> = chapter_block("save these lines as\n`desired.jsonl`")
        .lines()
        .map(|line| Ok(line.to_owned()))
        .collect();
    let mut shown: Vec<&str> = chapter_block(
        "the plan's outcomes in line order, `wouldChange` where a patch would be sent):",
    )
    .lines()
    .collect();
    let emulator = seeded_emulator().unwrap();
    let client = client_of(&emulator);
    let job = SyncJob::new(&client, emulator.environment_id());
    let mut report = Vec::new();
    for outcome in job.run(feed).collect::<Vec<_>>().await {
        sparse_patch::pingone::sync::write_outcome(&mut report, &outcome).unwrap();
    }
    let report = String::from_utf8(report).unwrap();
    let mut written: Vec<&str> = report.lines().collect();
    written.sort_unstable();
    shown.sort_unstable();
    assert_eq!(written, shown);
}

/// The notice after the counts of a stopped run said "fix the PINGONE_* credentials" whatever
/// stopped it; a wrong API base URL (every call 404) and a worker without a role that reads
/// users (403) stop it too now, and each gets its own fix. The lines not attempted are
/// counted, not listed.
#[tokio::test]
async fn the_stop_notice_says_the_fix_for_its_cause() {
    let emulator = seeded_emulator().unwrap();
    let without_v1 = Client::builder()
        .api_base_url(format!("http://{}", emulator.addr()))
        .token(TokenSource::bearer(emulator.token()))
        .build()
        .unwrap();
    let refused = Client::builder()
        .api_base_url(emulator.api_base_url())
        .token(TokenSource::bearer("not-a-token-pingone-knows"))
        .build()
        .unwrap();
    // A port that nothing listens on.
    let closed = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    let unreachable = Client::builder()
        .api_base_url(format!("http://{closed}/v1"))
        .token(TokenSource::bearer(emulator.token()))
        .retry_policy(sparse_patch::pingone::RetryPolicy::never())
        .build()
        .unwrap();
    for (client, says) in [
        (
            &without_v1,
            "check PINGONE_API_PATH (PingOne's ends with /v1)",
        ),
        (&refused, "fix the PINGONE_* credentials"),
        (&unreachable, "check that the API can be reached from here"),
    ] {
        let job = SyncJob::new(client, emulator.environment_id())
            .concurrency(1)
            .unwrap();
        let feed: Vec<std::io::Result<String>> = (1..=6)
            .map(|n| {
                Ok(format!(
                    r#"{{"id": "00000000-0000-4000-8000-{n:012}", "title": "T"}}"#
                ))
            })
            .collect();
        let mut not_attempted = NotAttempted::default();
        let outcomes: Vec<Outcome> = job.run(feed).collect().await;
        for outcome in &outcomes {
            not_attempted.add(outcome);
        }
        let notice = not_attempted.notice(true).unwrap();
        assert!(notice.contains(says), "{notice}");
        assert!(
            notice.starts_with("5 lines (from line 2 to line 6) were not attempted"),
            "{notice}"
        );
        assert!(notice.contains("--only-failed with the report"), "{notice}");
        // Two lines: the refusal, then the fix (a line end, not an escaped `\n`).
        assert_eq!(notice.lines().count(), 2, "{notice}");
        assert!(!notice.contains(r"\n"), "{notice}");
        let notice = not_attempted.notice(false).unwrap();
        assert!(notice.contains("--report FILE keeps a report"), "{notice}");
    }
    // PingOne's 429 asking to wait 120 s, longer than the client waits (60 s by default).
    emulator.inject(sparse_patch::pingone::emulator::Fault::RateLimited {
        retry_after: "120".into(),
    });
    let limited = client_of(&emulator);
    let job = SyncJob::new(&limited, emulator.environment_id())
        .concurrency(1)
        .unwrap();
    let feed: Vec<std::io::Result<String>> = (1..=3)
        .map(|n| Ok(format!(r#"{{"username": "user{n}", "title": "T"}}"#)))
        .collect();
    let mut not_attempted = NotAttempted::default();
    for outcome in job.run(feed).collect::<Vec<Outcome>>().await {
        not_attempted.add(&outcome);
    }
    let notice = not_attempted.notice(true).unwrap();
    assert!(
        notice.starts_with("2 lines (from line 2 to line 3) were not attempted"),
        "{notice}"
    );
    assert!(notice.contains("wait as long as PingOne asked"), "{notice}");
    assert!(NotAttempted::default().notice(true).is_none());
}

/// A worker application held to CLIENT_SECRET_POST, and a tool that sent the secret the
/// default way (Basic): PingOne's 401 `invalid_client`, "Unsupported authentication method",
/// stops the run, and the notice said "fix the PINGONE_* credentials" (which are right) while
/// the error named `TokenSource::auth_method`, a Rust setting the tool's user cannot reach.
/// The notice names the tool's own setting, `PINGONE_CLIENT_AUTH_METHOD`.
#[tokio::test]
async fn the_stop_notice_after_the_other_auth_method_names_its_variable() {
    let emulator = seeded_users(
        Emulator::builder().worker_auth_method(sparse_patch::pingone::ClientAuthMethod::Post),
    )
    .start()
    .unwrap();
    let client = Client::builder()
        .api_base_url(emulator.api_base_url())
        .auth_base_url(emulator.auth_base_url())
        .token(TokenSource::client_credentials(
            emulator.environment_id(),
            emulator.client_id(),
            emulator.client_secret(),
        ))
        .build()
        .unwrap();
    let job = SyncJob::new(&client, emulator.environment_id())
        .concurrency(1)
        .unwrap();
    let feed = titled_feed(3, "T");
    let mut not_attempted = NotAttempted::default();
    for outcome in job.run(feed).collect::<Vec<Outcome>>().await {
        not_attempted.add(&outcome);
    }
    let notice = not_attempted.notice(true).unwrap();
    assert!(
        notice.starts_with("2 lines (from line 2 to line 3) were not attempted"),
        "{notice}"
    );
    assert!(
        notice
            .contains("set PINGONE_CLIENT_AUTH_METHOD to the method the worker application takes"),
        "{notice}"
    );
}

/// A worker that may read users but not update them: every PATCH answered 403, and after a
/// few the job stops. The notice said "fix the PINGONE_* credentials", which are right: it
/// says to give the worker a role that updates users, and how to go on.
#[tokio::test]
async fn the_stop_notice_after_refused_patches_says_the_role() {
    let emulator = seeded_users(Emulator::builder().forbid("title"))
        .start()
        .unwrap();
    let client = client_of(&emulator);
    let job = SyncJob::new(&client, emulator.environment_id())
        .concurrency(1)
        .unwrap();
    let feed = titled_feed(8, "T");
    let mut not_attempted = NotAttempted::default();
    for outcome in job.run(feed).collect::<Vec<Outcome>>().await {
        not_attempted.add(&outcome);
    }
    let notice = not_attempted.notice(true).unwrap();
    assert!(
        notice.starts_with("3 lines (from line 6 to line 8) were not attempted"),
        "{notice}"
    );
    assert!(
        notice.contains("a role that updates users") && notice.contains("--stop-after-refusals 0"),
        "{notice}"
    );
    assert!(!notice.contains("credentials"), "{notice}");
}

/// `--only-failed` said "3 failed and 2 done in report.jsonl; the other lines run again": the
/// failed lines are the ones that run again, and the run's counts then covered 3 lines of a
/// feed of 5 without a word for the 2 skipped. It says what runs, and what is skipped and why.
#[test]
fn an_only_failed_run_says_what_it_skips_and_why() {
    let report = [
        r#"{"line":1,"key":{"username":"a"},"status":"changed"}"#,
        r#"{"line":2,"key":{"username":"b"},"status":"unchanged"}"#,
        r#"{"line":3,"key":{"username":"c"},"status":"notFound","error":{"message":"x"}}"#,
    ]
    .join("\n");
    let rerun = rerun_lines(report.as_bytes()).unwrap();
    let said = crate::rerun_notice(&rerun, "old.jsonl");
    assert!(
        said.starts_with("old.jsonl records 1 line as failed"),
        "{said}"
    );
    assert!(said.contains("2 lines as done"), "{said}");
    assert!(said.contains("the failed lines run again"), "{said}");
    let feed = "{\"username\": \"a\"}\n\n{\"username\": \"b\"}\n{\"username\": \"c\"}\n{\"username\": \"d\"}\n";
    let counted = count_lines(Cursor::new(feed), Some(&rerun)).unwrap();
    // Line 1 is done and skipped; the blank line 2 is neither run nor skipped; lines 3 to 5
    // run (3 names another user than the report's, which failed; 4 and 5 have no outcome).
    assert_eq!((counted.total, counted.done), (3, 1), "{counted:?}");
    assert_eq!(
        crate::skipped_notice(counted.done, "old.jsonl"),
        "1 line skipped: done in old.jsonl with the same key and text; their outcomes stand"
    );
}

/// A JSON array written one element per line ran as JSON Lines: each element with a comma
/// after it was invalid, and the last one, without, was applied: one user of the array
/// changed, the others not. The tool refuses such a feed before anything is sent (exit 2).
#[test]
fn a_feed_that_starts_a_json_document_is_refused() {
    for feed in [
        "[\n{\"username\": \"a\", \"title\": \"T\"},\n{\"username\": \"b\", \"title\": \"T\"}\n]\n",
        "\n\u{feff}[{\"username\": \"a\"}]\n",
        "{\n  \"username\": \"a\"\n}\n",
    ] {
        let error = count_lines(Cursor::new(feed), None).unwrap_err();
        assert_eq!(error.kind(), std::io::ErrorKind::InvalidData);
        assert!(
            error.to_string().contains("it is not JSON Lines"),
            "{error}"
        );
        assert!(error.to_string().contains("nothing was sent"), "{error}");
    }
    // A `[` or `{` alone later in the feed is that line's error, not the feed's.
    let feed = "{\"username\": \"a\"}\n[\n";
    assert_eq!(count_lines(Cursor::new(feed), None).unwrap().total, 2);
}

/// An empty feed (or one of blank lines alone, or a byte order mark alone, which the job reads
/// as a blank line) ran, changed nothing and exited 0 without a word beyond "0 lines", as an
/// HR export that failed and left an empty file does: the run now says the feed holds no user.
/// A rerun with every line done says nothing of the kind.
#[test]
fn a_feed_without_users_is_said_to_hold_none() {
    for text in ["", "\n\n", "\u{feff}", "\u{feff}\r\n  \r\n"] {
        let counted = count_lines(Cursor::new(text), None).unwrap();
        assert_eq!(counted.total, 0, "{text:?}");
        let notice = crate::no_user_notice(counted.feed_lines, counted.total, false);
        assert!(
            notice.is_some_and(|notice| notice.contains("holds no user")),
            "{text:?}"
        );
    }
    let counted = count_lines(Cursor::new("{\"username\": \"ada\"}\n"), None).unwrap();
    assert_eq!(
        crate::no_user_notice(counted.feed_lines, counted.total, false),
        None
    );
    // `--only-failed` with every line done: nothing selected, but the feed has users.
    assert_eq!(crate::no_user_notice(counted.feed_lines, 0, true), None);
}

/// A run kept the number of every line it had run (to close the report of a rerun with the
/// old outcomes of the lines it did not reach): memory that grew with the feed, about 20
/// bytes a line, where the job's own stays flat (the keys past `keys_in_memory` go to a
/// file). It keeps a count and the old outcomes still to come now. Keyless lines: the job
/// keeps nothing for them, and sends nothing.
#[tokio::test]
async fn a_runs_memory_does_not_grow_with_its_feed() {
    const FEW: usize = 5_000;
    const MANY: usize = 50_000;
    let emulator = seeded_emulator().unwrap();
    let client = client_of(&emulator);
    let job = SyncJob::new(&client, emulator.environment_id())
        .concurrency(1)
        .unwrap();
    let peak_of = |count: usize| {
        let job = job.clone();
        async move {
            let feed = (0..count).map(|_| Ok(r#"{"title": "T"}"#.to_owned()));
            let (_press, mut presses) = tokio::sync::mpsc::unbounded_channel();
            let base = thread_allocations::reset_peak();
            let applied = apply_with(
                &job,
                feed,
                count,
                None,
                Old::default(),
                &mut presses,
                &mut Output::plain(std::io::sink()),
                |_| {},
            )
            .await
            .unwrap();
            let peak = thread_allocations::peak() - base;
            assert_eq!(applied.summary.count(Status::Invalid), count);
            peak
        }
    };
    thread_allocations::count_this_thread(true);
    peak_of(FEW).await;
    let few = peak_of(FEW).await;
    let many = peak_of(MANY).await;
    thread_allocations::count_this_thread(false);
    assert!(
        many - few < 64 * 1024,
        "{FEW} lines: peak {few} B; {MANY} lines: {many} B"
    );
}

/// A run stopped because PingOne's answer lost members of an object its line merged into
/// (a `name` replaced rather than merged): the notice after the counts gave the advice of an
/// API that cannot be reached (its error has no HTTP status). It says what to restore now.
#[test]
fn the_stop_notice_after_lost_members_says_what_to_restore() {
    let outcome: Outcome = serde_json::from_value(json!({
        "line": 2,
        "status": "notAttempted",
        "error": {
            "message": "not attempted: the job stopped at line 1, ...: PingOne's answer to the \
                        patch no longer holds name.family, which the user held and the line \
                        does not name: ...",
            "stoppedBy": 1
        }
    }))
    .unwrap();
    let mut not_attempted = NotAttempted::default();
    not_attempted.add(&outcome);
    let notice = not_attempted.notice(true).unwrap();
    assert!(
        notice.contains("\nrestore what the failed line's user lost"),
        "{notice}"
    );
    assert!(!notice.contains("can be reached"), "{notice}");
}

/// The command line of issue 10's job: `--dry-run`, `--concurrency`, `--rate`, `--report`
/// and `--only-failed` (and the others), each as `--flag value` or `--flag=value`; a count
/// below 1, a flag without its value, an unknown flag, a second feed and `-` for the feed or
/// the report are usage errors.
#[test]
fn every_flag_is_read_and_bad_ones_are_refused() {
    let parse = |list: &[&str]| parse_args(list.iter().map(|arg| (*arg).to_owned()));
    let args = parse(&[
        "feed.jsonl",
        "--dry-run",
        "--concurrency",
        "4",
        "--rate=20",
        "--report",
        "new.jsonl",
        "--only-failed=old.jsonl",
        "--custom-attributes",
        "costCenter, badge,",
        "--stop-after-refusals",
        "0",
    ])
    .unwrap();
    assert_eq!(args.feed, Some(PathBuf::from("feed.jsonl")));
    assert!(args.dry_run);
    assert_eq!(args.concurrency, 4);
    assert_eq!(args.rate, 20);
    assert_eq!(args.report, Some(PathBuf::from("new.jsonl")));
    assert_eq!(args.only_failed, Some(PathBuf::from("old.jsonl")));
    assert_eq!(
        args.custom_attributes,
        Some(vec!["costCenter".to_owned(), "badge".to_owned()])
    );
    assert_eq!(args.stop_after_refusals, 0);

    let defaults = parse(&[]).unwrap();
    assert_eq!(
        defaults.concurrency,
        sparse_patch::pingone::sync::DEFAULT_CONCURRENCY
    );
    assert_eq!(defaults.rate, 50);
    assert!(!defaults.dry_run && defaults.feed.is_none() && defaults.report.is_none());

    for (bad, said) in [
        (
            &["--concurrency", "0"][..],
            "--concurrency takes a whole number of at least 1",
        ),
        (
            &["--rate=0"][..],
            "--rate takes a whole number of at least 1",
        ),
        (
            &["--rate", "fast"][..],
            "--rate takes a whole number of at least 1",
        ),
        (&["--report"][..], "--report needs a value"),
        (&["--dryrun"][..], "unknown flag --dryrun"),
        // `-` is no standard stream: the feed was "unknown flag -", and the report a file
        // named `-` written silently.
        (
            &["-"][..],
            "the feed cannot be standard input (-): it is read twice",
        ),
        (
            &["feed.jsonl", "--report", "-"][..],
            "--report - would write a file named -, not standard output",
        ),
        (
            &["feed.jsonl", "--report=-"][..],
            "--report - would write a file named -",
        ),
        (
            &["a.jsonl", "b.jsonl"][..],
            "one feed file only, not also b.jsonl",
        ),
    ] {
        let error = parse(bad).unwrap_err();
        assert!(error.starts_with(said), "{bad:?}: {error}");
    }
    assert_eq!(parse(&["--help"]).unwrap_err(), "");
}

/// `--show-changes` of a line adding a member to an object the seeded user holds
/// (`name.middle` beside `name.given`) showed `+ /name/middle: "J" (does not apply: ...
/// reaches into null ...)`: the user's values kept for the plan held null for `name`. Each
/// line shows its change as the whole user gives it: an object added whole, a custom
/// attribute holding an object (its bidi and escape characters escaped), a member cleared,
/// a changed email with its current value.
#[tokio::test]
async fn show_changes_of_a_member_added_to_an_object_the_user_holds() {
    let emulator = seeded_users(Emulator::builder().custom_attributes(vec!["favorite".to_owned()]))
        .start()
        .unwrap();
    let client = client_of(&emulator);
    let feed = [
        r#"{"username": "user001", "name": {"middle": "J"}}"#,
        r#"{"username": "user002", "address": {"locality": "Oslo"}}"#,
        r#"{"username": "user003", "favorite": {"a": [1, null], "b": "\u202ex\u001b[2J"}}"#,
        r#"{"username": "user004", "name": {"given": null}}"#,
        r#"{"username": "user005", "email": "new@example.com"}"#,
    ];
    let job = SyncJob::new(&client, emulator.environment_id()).planned_changes(true);
    let (_press, mut presses) = tokio::sync::mpsc::unbounded_channel();
    let mut out = Output::plain(Vec::new());
    plan(
        &job,
        feed.into_iter().map(|line| Ok(line.to_owned())),
        &mut presses,
        &mut out,
    )
    .await;
    let printed = String::from_utf8(out.writer).unwrap();
    let changes: Vec<&str> = printed
        .lines()
        .filter(|line| line.starts_with("          "))
        .map(str::trim_start)
        .collect();
    assert_eq!(
        changes,
        [
            r#"+ /name/middle: "J""#,
            r#"+ /address: {"locality":"Oslo"}"#,
            r#"+ /favorite: {"a":[1,null],"b":"\u{202e}x\u001b[2J"}"#,
            r#"- /name/given: "Given4""#,
            r#"~ /email: "user005@example.com" -> "new@example.com""#,
        ],
        "{printed}"
    );
}

/// The region codes that `--help` and the README name are those that `Region` reads and
/// writes (`Region::code`, read in any case): the help said `na, ca, eu...` where the README
/// said `NA`, `CA`, `EU`... (review 129's new user).
#[test]
fn the_help_and_the_readme_name_the_regions_alike() {
    let codes: Vec<&str> = sparse_patch::pingone::Region::ALL
        .iter()
        .map(|region| region.code())
        .collect();
    let (last, others) = codes.split_last().unwrap();
    for code in &codes {
        assert_eq!(
            code.to_ascii_lowercase().parse(),
            code.parse::<sparse_patch::pingone::Region>()
        );
    }
    let help = crate::args::HELP
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    let in_help = format!("{} or {last} (in any case)", others.join(", "));
    assert!(help.contains(&in_help), "{help}");
    let readme = include_str!("../../README.md");
    let in_readme = format!("`{}` or `{last}`, in any case", others.join("`, `"));
    assert!(readme.contains(&in_readme), "README: {in_readme}");
}

/// `--help` says what a report's `mayHaveBeenApplied` means where it describes the report
/// (review 129's new user met the flag in a report, with no word of it in the help).
#[test]
fn the_help_says_what_may_have_been_applied_means() {
    let help = crate::args::HELP
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    // The option's description, not the usage line's `[--report FILE]`.
    let start = help.find("--report FILE write").unwrap();
    let end = start + help[start..].find("--only-failed REPORT").unwrap();
    let report = &help[start..end];
    assert!(
        report.contains("\"mayHaveBeenApplied\": true sent a PATCH whose answer was lost"),
        "{report}"
    );
    // Also set for a 5xx other than 503 and for a 2xx whose answer shows a part not applied
    // (the sync job's chapter; the help named 500, 502 and 504 and no 2xx).
    assert!(report.contains("any 5xx but 503"), "{report}");
    assert!(
        report.contains("or was a 2xx that shows a part not applied"),
        "{report}"
    );
}

/// A report that cannot take an outcome (`--report /dev/full`, a disk that fills up): the run
/// returned its error at once, so the outcome it could not write was printed nowhere (its
/// PATCH sent) and the lines in flight were dropped in the middle of their calls, their
/// PATCHes sent too. Now no new line is started, and the lines in flight finish: every PATCH
/// the server received has its outcome printed, and the run still ends with the error.
#[cfg(target_os = "linux")]
#[tokio::test]
async fn a_report_that_cannot_be_written_stops_the_run_and_prints_every_patch_sent() {
    let (emulator, client) = slow_emulator();
    let job = SyncJob::new(&client, emulator.environment_id())
        .concurrency(4)
        .unwrap();
    let (_press, mut presses) = tokio::sync::mpsc::unbounded_channel();
    let mut out = Output::plain(Vec::new());
    let mut seen = Vec::new();
    let result = apply_with(
        &job,
        titled_feed(40, "Full"),
        40,
        Some(&PathBuf::from("/dev/full")),
        Old::default(),
        &mut presses,
        &mut out,
        |outcome| seen.push(outcome.line),
    )
    .await;
    let error = result.err().unwrap().to_string();
    assert!(
        error.contains("cannot write the report /dev/full"),
        "{error}"
    );
    let printed = String::from_utf8(out.writer).unwrap();
    let patched = patched_users(&emulator).await;
    assert!(!patched.is_empty() && patched.len() < 40, "{patched:?}");
    for id in patched.keys() {
        let line: usize = id.rsplit('-').next().unwrap().parse().unwrap();
        assert!(
            printed.contains(&format!("line {line:<4} username \"user{line:03}\"")),
            "line {line} was patched, and its outcome printed nowhere: {printed}"
        );
    }
    assert_eq!(
        seen.len(),
        printed.matches("\nline ").count() + 1,
        "{printed}"
    );
}

/// A writer that takes `left` bytes and then fails, as a disk that fills up (or a process
/// killed in the middle of the write) leaves a file.
struct FailingAfter<W> {
    inner: W,
    left: usize,
}

impl<W: Write> Write for FailingAfter<W> {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        if self.left == 0 {
            return Err(std::io::Error::from(std::io::ErrorKind::StorageFull));
        }
        let taken = self.inner.write(&bytes[..bytes.len().min(self.left)])?;
        self.left -= taken;
        Ok(taken)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

/// `--only-failed report.jsonl --report report.jsonl`: the report was emptied, then the old
/// outcomes that stand were written back into it, so that a run stopped in between (killed,
/// a disk full; a second for a report of 300,000 lines) left it empty or cut, the outcomes
/// of the lines done lost, and the next rerun ran them all again. The old report now stays
/// whole until the new one holds all of them.
#[test]
fn a_report_replaced_by_a_rerun_stays_whole_until_the_new_one_holds_its_outcomes() {
    let text = "{\"line\":1,\"key\":{\"username\":\"a\"},\"status\":\"changed\"}\n\
                {\"line\":2,\"key\":{\"username\":\"b\"},\"status\":\"unchanged\"}\n\
                {\"line\":3,\"key\":{\"username\":\"c\"},\"status\":\"failed\",\"error\":{\"message\":\"x\"}}\n";
    let report = TempFile::new("replaced.jsonl", text.as_bytes());
    let standing = old_outcomes_of_feed(text, 3).unwrap().0;
    let mut standing = Old::split(standing, &[1, 2].into()).standing;
    assert_eq!(standing.len(), 2);
    let result = create_report(&report.0, &standing, |file| FailingAfter {
        inner: file,
        left: 30,
    });
    assert!(result.is_err());
    assert_eq!(std::fs::read_to_string(&report.0).unwrap(), text);
    // No file left beside it.
    let beside = std::fs::read_dir(report.0.parent().unwrap())
        .unwrap()
        .filter_map(Result::ok)
        .filter(|entry| {
            let name = entry.file_name().to_string_lossy().into_owned();
            name.starts_with(&*report.0.file_name().unwrap().to_string_lossy())
                && name.ends_with(".tmp")
        })
        .count();
    assert_eq!(beside, 0);
    // Written whole: the standing outcomes, then what follows at the end.
    let mut file = create_report(&report.0, &standing, |file| file).unwrap();
    file.write_all(b"{\"line\":3,\"status\":\"changed\"}\n")
        .unwrap();
    drop(file);
    let written = std::fs::read_to_string(&report.0).unwrap();
    standing.insert(3, "{\"line\":3,\"status\":\"changed\"}".to_owned());
    let expected: String = standing.values().map(|line| format!("{line}\n")).collect();
    assert_eq!(written, expected);
}

/// A run killed (SIGKILL, a power cut) while it replaced its report, between creating
/// `REPORT.PID.tmp` and renaming it over the report, left that file beside the report for
/// good: no later run looked at it. The next run with that `--report` now removes it when
/// process PID no longer runs (or is its own ID, which an earlier process had), saying so,
/// and leaves it, saying so, when PID runs; it touches no other file, not even one named
/// almost so (a leading zero, another suffix, another report's, a directory, a link).
#[tokio::test(flavor = "current_thread")]
async fn a_file_a_killed_run_left_beside_its_report_is_removed_by_the_next_run() {
    let dir = std::env::temp_dir().join(format!("sync-users-{}-leftovers", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir(&dir).unwrap();
    let report = dir.join("report.jsonl");
    let old = "{\"line\":1,\"key\":{\"username\":\"user001\"},\"status\":\"changed\"}\n";
    std::fs::write(&report, old).unwrap();
    let feed = dir.join("feed.jsonl");
    std::fs::write(&feed, "{\"username\": \"user001\", \"title\": \"Lead\"}\n").unwrap();
    // No process has an ID past Linux's highest, 2^22.
    let gone = |pid: u32| dir.join(format!("report.jsonl.{pid}.tmp"));
    let removed = [gone(999_999_999), gone(std::process::id())];
    let kept = [
        gone(1),
        dir.join("report.jsonl.0999999999.tmp"),
        dir.join("report.jsonl.999999999.tmp.bak"),
        dir.join("report.jsonl.x999999999.tmp"),
        dir.join("feed.jsonl.999999999.tmp"),
    ];
    for file in removed.iter().chain(&kept) {
        std::fs::write(file, "{\"line\":1,").unwrap();
    }
    std::fs::create_dir(gone(999_999_998)).unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(&feed, gone(999_999_997)).unwrap();
    let notices = crate::report::remove_leftovers(&report);
    assert_eq!(notices.len(), 3, "{notices:#?}");
    assert!(
        notices[0].starts_with("left ")
            && notices[0].contains("process 1, which writes it, is running"),
        "{notices:#?}"
    );
    for file in &removed {
        assert!(!file.exists(), "{}", file.display());
        let name = file.file_name().unwrap().to_string_lossy().into_owned();
        assert!(
            notices
                .iter()
                .any(|notice| notice.starts_with("removed ") && notice.contains(&name)),
            "{name}: {notices:#?}"
        );
    }
    for file in &kept {
        assert!(file.exists(), "{}", file.display());
    }
    assert!(gone(999_999_998).is_dir());
    #[cfg(unix)]
    assert!(gone(999_999_997).symlink_metadata().is_ok());
    assert_eq!(std::fs::read_to_string(&feed).unwrap().lines().count(), 1);
    assert_eq!(std::fs::read_to_string(&report).unwrap(), old);
    // The run removes it before it writes its report (a dry run's here: nothing is sent).
    std::fs::write(gone(999_999_999), "{\"line\":1,").unwrap();
    let args = parse_args(
        [
            &feed,
            Path::new("--dry-run"),
            Path::new("--report"),
            &report,
        ]
        .iter()
        .map(|arg| arg.display().to_string()),
    )
    .unwrap();
    run(args).await.unwrap();
    assert!(!gone(999_999_999).exists());
    assert!(gone(1).exists());
    assert!(
        std::fs::read_to_string(&report)
            .unwrap()
            .contains("wouldChange")
    );
    std::fs::remove_dir_all(&dir).unwrap();
}
