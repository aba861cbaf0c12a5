//! The sync job's defaults that the chapter (docs/sync_job) states: `--concurrency` lines at
//! a time, 8 by default, and 1,024 keys and 1,024 users in memory before they move to temporary
//! files.
//!
//! A program of its own with one test: it points `TMPDIR` at a directory that does not exist,
//! and the environment is global to the process, so it is set before any thread starts.

#![cfg(all(feature = "client", feature = "emulator"))]

use std::collections::BTreeSet;
use std::time::Duration;

use futures_util::StreamExt;
use sparse_patch::pingone::emulator::Emulator;
use sparse_patch::pingone::sync::{DEFAULT_CONCURRENCY, Status, SyncJob};
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

#[path = "support/mock_pingone.rs"]
mod mock_pingone;

#[path = "support/tracing_capture.rs"]
mod tracing_capture;

use tracing_capture::{Capture, capturing};

#[test]
fn a_jobs_defaults_are_those_the_chapter_states() {
    let missing = std::env::temp_dir().join("sparse-patch-no-such-directory-for-keys");
    assert!(!missing.exists());
    // SAFETY: no other thread runs yet (this program has this one test, and no runtime,
    // emulator or server is started before), so nothing reads the environment meanwhile.
    unsafe { std::env::set_var("TMPDIR", &missing) };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        a_job_handles_8_lines_at_once_by_default().await;
        a_job_keeps_1024_keys_in_memory_by_default().await;
    });
}

/// A job that is not given `concurrency` looks up 8 lines at once: a server that holds every
/// answer gets the first 8 lookups, and the 9th only once one of them is answered.
async fn a_job_handles_8_lines_at_once_by_default() {
    assert_eq!(DEFAULT_CONCURRENCY, 8, "the chapter says 8");
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(404).set_delay(Duration::from_secs(30)))
        .mount(&server)
        .await;
    let client = mock_pingone::bearer(&server);
    let job = SyncJob::new(&client, mock_pingone::ENV);
    let feed: Vec<std::io::Result<String>> = (1..=20)
        .map(|n| {
            Ok(format!(
                r#"{{"id": "00000000-0000-4000-8000-{n:012}", "title": "T"}}"#
            ))
        })
        .collect();
    let received = || async { server.received_requests().await.unwrap().len() };
    let held = async {
        let start = std::time::Instant::now();
        while received().await < 8 {
            assert!(
                start.elapsed() < Duration::from_secs(20),
                "{} lookups in 20 s",
                received().await
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        // Time for a 9th lookup to arrive, were it sent.
        tokio::time::sleep(Duration::from_millis(500)).await;
        received().await
    };
    let run = job.run(feed).collect::<Vec<_>>();
    tokio::select! {
        lookups = held => assert_eq!(lookups, 8, "lookups sent while 8 were held"),
        outcomes = run => panic!("the job ended while its lookups were held: {outcomes:?}"),
    }
}

/// A job that is not given `keys_in_memory` keeps 1,024 keys, and 1,024 users, in memory: the
/// 1,025th distinct key (or user found) moves them to temporary files. Seen where those files
/// cannot be made (`TMPDIR` names no directory): the job then warns, once an index, with the
/// 1,024 keys it holds, and goes on; 1,024 make no file and no warning.
async fn a_job_keeps_1024_keys_in_memory_by_default() {
    // Each warning's count of keys.
    let warnings = |capture: &Capture| -> Vec<String> {
        capture
            .events_with("cannot move the sync job's keys to a temporary file")
            .into_iter()
            .map(|(event, _)| {
                let keys = event.split(" keys=").nth(1).unwrap_or_default();
                keys.split_whitespace()
                    .next()
                    .unwrap_or_default()
                    .to_owned()
            })
            .collect()
    };
    // The keys: `only_lines` with no line reads every line and keeps its key, and looks
    // nothing up.
    let emulator = Emulator::start().unwrap();
    let client = sparse_patch::pingone::Client::builder()
        .api_base_url(emulator.api_base_url())
        .token(sparse_patch::pingone::TokenSource::bearer(emulator.token()))
        .build()
        .unwrap();
    for (lines, warned) in [(1024, vec![]), (1025, vec!["1024"])] {
        let capture = Capture::default();
        let _guard = capturing(&capture);
        let feed: Vec<std::io::Result<String>> = (1..=lines)
            .map(|n| Ok(format!(r#"{{"username": "keys{n}", "title": "T"}}"#)))
            .collect();
        let job = SyncJob::new(&client, emulator.environment_id()).only_lines(BTreeSet::new());
        let outcomes: Vec<_> = job.run(feed).collect().await;
        assert!(outcomes.is_empty(), "{outcomes:?}");
        assert_eq!(warnings(&capture), warned, "{lines} distinct keys");
        assert!(emulator.requests().is_empty(), "nothing is looked up");
    }
    // The users: 1,025 lines keyed by `id`, each finding its user (a dry run, each line
    // unchanged), fill both indexes, and each warns once.
    let mut builder = Emulator::builder().no_users().record_requests(false);
    for n in 1..=1025 {
        builder = builder.user(sparse_patch::pingone::emulator::generated_user(n));
    }
    let emulator = builder.start().unwrap();
    let client = sparse_patch::pingone::Client::builder()
        .api_base_url(emulator.api_base_url())
        .token(sparse_patch::pingone::TokenSource::bearer(emulator.token()))
        .build()
        .unwrap();
    let capture = Capture::default();
    let _guard = capturing(&capture);
    let feed: Vec<std::io::Result<String>> = (1..=1025)
        .map(|n| {
            Ok(format!(
                r#"{{"id": "00000000-0000-4000-8000-{n:012}", "title": "Engineer"}}"#
            ))
        })
        .collect();
    let job = SyncJob::new(&client, emulator.environment_id()).dry_run(true);
    let outcomes: Vec<_> = job.run(feed).collect().await;
    assert_eq!(outcomes.len(), 1025);
    assert!(
        outcomes
            .iter()
            .all(|outcome| outcome.status == Status::Unchanged),
        "{:?}",
        outcomes
            .iter()
            .find(|outcome| outcome.status != Status::Unchanged)
    );
    assert_eq!(
        warnings(&capture),
        ["1024", "1024"],
        "the keys' and the users'"
    );
}
