use std::collections::BTreeMap;
use std::time::Duration;

use futures_util::StreamExt;
use serde_json::json;
use sparse_patch::pingone::emulator::{Emulator, Fault};
use sparse_patch::pingone::sync::{Status, Summary, SyncJob};
use sparse_patch::pingone::{Client, RetryPolicy, TokenSource};

fn id(n: usize) -> String {
    format!("00000000-0000-4000-8000-{n:012}")
}

async fn scenario(faults: Vec<Fault>, concurrency: usize, count: usize) {
    let mut b = Emulator::builder().no_users();
    for n in 1..=count {
        b = b.user(json!({"id": id(n), "username": format!("user{n:03}"), "email": format!("user{n:03}@example.com"), "name": {"given": "A", "family": "B"}, "title": "Engineer", "population": {"id": id(9999)}}));
    }
    let emulator = b.start().unwrap();
    let client = Client::builder()
        .api_base_url(emulator.api_base_url())
        .token(TokenSource::bearer(emulator.token()))
        .retry_policy(
            RetryPolicy::default()
                .initial_backoff(Duration::from_millis(1))
                .jitter(false)
                .max_attempts(3),
        )
        .build()
        .unwrap();
    for f in faults {
        emulator.inject(f);
    }
    let mut feed = Vec::new();
    for n in 1..=count {
        let line = match n % 7 {
            0 => format!(r#"{{"username": "user{n:03}", "title": "Engineer"}}"#),
            1 => format!(r#"{{"username": "user{n:03}", "email": "bad@"}}"#),
            2 => "{not json".to_owned(),
            3 => format!(r#"{{"username": "nobody{n}", "title": "x"}}"#),
            _ => format!(r#"{{"id": "{}", "title": "T{n}"}}"#, id(n)),
        };
        feed.push(Ok(line));
    }
    let job = SyncJob::new(&client, emulator.environment_id())
        .concurrency(concurrency)
        .unwrap();
    let mut summary = Summary::default();
    let mut seen = BTreeMap::new();
    let mut outcomes = std::pin::pin!(job.run(feed));
    while let Some(o) = outcomes.next().await {
        summary.add(&o);
        assert!(seen.insert(o.line, o.clone()).is_none(), "twice: {o:?}");
    }
    let lines: Vec<usize> = seen.keys().copied().collect();
    assert_eq!(lines, (1..=count).collect::<Vec<_>>());
    assert_eq!(summary.lines(), count);
    let mut by: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for o in seen.values() {
        by.entry(o.status.as_str().to_owned())
            .or_default()
            .push(o.line);
    }
    println!("{summary}\n{by:?}");
    for o in seen
        .values()
        .filter(|o| matches!(o.status, Status::Failed | Status::NotAttempted))
        .take(4)
    {
        println!("  {}", serde_json::to_string(o).unwrap());
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mixed() {
    let mut faults = Vec::new();
    for _ in 0..6 {
        faults.push(Fault::Slow(Duration::ZERO));
    }
    faults.push(Fault::RateLimited {
        retry_after: "0".into(),
    });
    faults.push(Fault::Status(409));
    for _ in 0..3 {
        faults.push(Fault::Status(503));
    }
    for _ in 0..10 {
        faults.push(Fault::Slow(Duration::ZERO));
    }
    faults.push(Fault::Status(401));
    scenario(faults, 4, 40).await;
}
