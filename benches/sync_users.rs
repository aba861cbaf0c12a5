//! Issue 10 §3: the sync job (`pingone::sync::SyncJob`) against the emulator.
//!
//! - **Throughput under a rate limit**: 10,000 users synced at concurrency 32, the emulator
//!   limited to 500 requests per second (429 past it), the client's limiter at 500: requests
//!   per second against the limit (target: within 10 %), and the 429s the client met (target:
//!   none). For contrast, 2,000 users with the client's limiter off.
//! - **Memory**: the peak of the live heap of the job's thread above its start, syncing 1,000
//!   users once (not compared: its first run leaves memory live that later runs do not add),
//!   then three paired rounds of 1,000 and 10,000 (no rate limit), from a warm pool, with the
//!   default [`DEFAULT_KEYS_IN_MEMORY`] (keys past it in a temporary file); and 10,000 with
//!   every key in memory, for contrast. Lines are made as the job reads them and outcomes
//!   dropped as they come. The ratio is the median of the rounds'.
//! - **The plan alone**: parsing and planning 10,000 lines against users already read (no
//!   network), time per line and peak memory; and a dry run of 10,000 lines against the
//!   emulator (lookups only), time and peak memory, in three paired rounds with the keys in
//!   a file and every key in memory: the time ratio of the two.
//!
//! The job runs on a current-thread runtime on the main thread, whose allocations alone are
//! counted (the emulator has its own thread). A plain `main`: the rate-limited run takes 40 s.
//! Run: `cargo bench --bench sync_users`.

mod support;

#[path = "../tests/support/thread_allocations.rs"]
mod thread_allocations;

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use futures_util::StreamExt;
use serde_json::json;
use sparse_patch::pingone::emulator::Emulator;
use sparse_patch::pingone::sync::{
    DEFAULT_KEYS_IN_MEMORY, Status, Summary, SyncJob, parse_line, plan_patch,
};
use sparse_patch::pingone::{Client, RetryPolicy, TokenSource, User};

const USERS: usize = 10_000;
const FEW_USERS: usize = 1_000;
const CONTRAST_USERS: usize = 2_000;
const RATE: u32 = 500;
const CONCURRENCY: usize = 32;

fn user(n: usize) -> serde_json::Value {
    json!({
        "id": format!("00000000-0000-4000-8000-{n:012}"),
        "username": format!("user{n:05}"),
        "email": format!("user{n:05}@example.com"),
        "name": {"given": "Given", "family": format!("Family{n}")},
        "title": "Engineer",
        "department": "R&D",
    })
}

/// The desired line of user `n` in run `run`: a new title, a nested `name.given`, a custom
/// attribute cleared; keyed by username (a filtered GET) or id (a GET), in turn.
fn line(n: usize, run: &str) -> String {
    let mut line = json!({
        "title": format!("{run} {n}"),
        "name": {"given": run},
        "department": null,
    });
    if n.is_multiple_of(2) {
        line["username"] = format!("user{n:05}").into();
    } else {
        line["id"] = format!("00000000-0000-4000-8000-{n:012}").into();
    }
    line.to_string()
}

/// The feed of `users` lines, made as the job reads them.
fn feed(
    users: usize,
    run: &'static str,
) -> impl Iterator<Item = std::io::Result<String>> + Send + 'static {
    (1..=users).map(move |n| Ok(line(n, run)))
}

fn emulator(users: usize, rate: Option<u32>) -> Emulator {
    let mut builder = Emulator::builder().no_users().record_requests(false);
    if let Some(rate) = rate {
        builder = builder.rate_limit(rate);
    }
    for n in 1..=users {
        builder = builder.user(user(n));
    }
    builder.start().expect("the emulator starts")
}

/// `SyncJob::keys_in_memory`'s setting, as the output says it.
fn keys_setting(keys: usize) -> String {
    if keys == usize::MAX {
        "every key in memory".to_owned()
    } else {
        format!("{keys} keys in memory")
    }
}

/// Counts the client's retries, and those after a 429.
#[derive(Default)]
struct Retries {
    all: AtomicU64,
    after_429: AtomicU64,
}

fn client(emulator: &Emulator, rate: Option<u32>, retries: &Arc<Retries>) -> Client {
    let seen = Arc::clone(retries);
    let policy = RetryPolicy::default().on_retry(move |event| {
        // A wait for another call's `Retry-After` sends nothing again: no retry.
        if event.held_by_retry_after {
            return;
        }
        seen.all.fetch_add(1, Ordering::Relaxed);
        if event.status == Some(429) {
            seen.after_429.fetch_add(1, Ordering::Relaxed);
        }
    });
    let mut builder = Client::builder()
        .api_base_url(emulator.api_base_url())
        .token(TokenSource::bearer(emulator.token()))
        .retry_policy(policy);
    if let Some(rate) = rate {
        builder = builder.rate_limit(rate);
    }
    builder.build().expect("a client")
}

/// Runs a job over `lines`, dropping each outcome; the counts and the wall time.
fn run_job<I>(runtime: &tokio::runtime::Runtime, job: &SyncJob, lines: I) -> (Summary, Duration)
where
    I: IntoIterator<Item = std::io::Result<String>>,
    I::IntoIter: Send + 'static,
{
    let start = Instant::now();
    let summary = runtime.block_on(async {
        let mut summary = Summary::default();
        let mut outcomes = std::pin::pin!(job.run(lines));
        while let Some(outcome) = outcomes.next().await {
            summary.add(&outcome);
        }
        summary
    });
    (summary, start.elapsed())
}

fn main() {
    let test_mode = support::is_test_mode();
    let (users, few, contrast, rate) = if test_mode {
        (400, 100, 100, 2_000)
    } else {
        (USERS, FEW_USERS, CONTRAST_USERS, RATE)
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");

    // `SYNC_USERS_ONLY=plan` runs the plan alone (3a), for quick comparisons.
    let plan_only = std::env::var("SYNC_USERS_ONLY").is_ok_and(|part| part == "plan");

    // 1. Throughput under the emulator's rate limit, the client's limiter on.
    if !plan_only {
        let emulator = emulator(users, Some(rate));
        let retries = Arc::new(Retries::default());
        let client = client(&emulator, Some(rate), &retries);
        let job = SyncJob::new(&client, emulator.environment_id())
            .concurrency(CONCURRENCY)
            .unwrap();
        let (summary, wall) = run_job(&runtime, &job, feed(users, "Synced"));
        assert_eq!(summary.count(Status::Changed), users, "{summary}");
        // One lookup and one PATCH per line, and the retries.
        let requests = 2 * users as u64 + retries.all.load(Ordering::Relaxed);
        let per_second = requests as f64 / wall.as_secs_f64();
        println!(
            "sync_users throughput, {users} users at concurrency {CONCURRENCY}, emulator limit {rate}/s, client limiter {rate}/s: {requests} requests in {:.2} s = {per_second:.1} requests/s ({:.3}x the limit), {:.1} users/s; retries {}, of them after a 429: {}",
            wall.as_secs_f64(),
            per_second / f64::from(rate),
            users as f64 / wall.as_secs_f64(),
            retries.all.load(Ordering::Relaxed),
            retries.after_429.load(Ordering::Relaxed),
        );
    }

    // 1b. The same limit on the emulator, the client's limiter off.
    if !plan_only {
        let emulator = emulator(contrast, Some(rate));
        let retries = Arc::new(Retries::default());
        let client = client(&emulator, None, &retries);
        let job = SyncJob::new(&client, emulator.environment_id())
            .concurrency(CONCURRENCY)
            .unwrap();
        let (summary, wall) = run_job(&runtime, &job, feed(contrast, "Synced"));
        println!(
            "sync_users without the client's limiter, {contrast} users at concurrency {CONCURRENCY}, emulator limit {rate}/s: {summary} in {:.2} s ({:.1} users/s); retries {}, of them after a 429: {}",
            wall.as_secs_f64(),
            contrast as f64 / wall.as_secs_f64(),
            retries.all.load(Ordering::Relaxed),
            retries.after_429.load(Ordering::Relaxed),
        );
    }

    // 2. Memory: 1,000 then 10,000 users, no rate limit, from a warm pool.
    let emulator = emulator(users, None);
    let retries = Arc::new(Retries::default());
    let client = client(&emulator, None, &retries);
    let job = SyncJob::new(&client, emulator.environment_id())
        .concurrency(CONCURRENCY)
        .unwrap();
    let (warm, _) = run_job(&runtime, &job, feed(few.min(200), "Warm"));
    assert_eq!(warm.failed(), 0, "{warm}");
    thread_allocations::count_this_thread(true);
    // The first run of 1,000 lines leaves about 280 KiB live (kept by the client and the
    // runtime after their first run of this many lines at once, not per line), which later
    // runs do not add again: it is shown, not compared. Then three paired rounds of 1,000 and
    // 10,000 (the peak moves by some tens of KiB from run to run with the lines in flight at
    // the worst moment), and 10,000 with every key in memory, for contrast.
    let mut runs = Vec::new();
    if !plan_only {
        runs.push((few, "First", DEFAULT_KEYS_IN_MEMORY));
        for (few_run, many_run) in [("Few1", "Many1"), ("Few2", "Many2"), ("Few3", "Many3")] {
            runs.push((few, few_run, DEFAULT_KEYS_IN_MEMORY));
            runs.push((users, many_run, DEFAULT_KEYS_IN_MEMORY));
        }
        runs.push((users, "InMemory", usize::MAX));
    }
    let mut peaks = Vec::new();
    for (count, run, keys) in runs {
        let job = job.clone().keys_in_memory(keys);
        let base = thread_allocations::reset_peak();
        let (summary, wall) = run_job(&runtime, &job, feed(count, run));
        let peak = thread_allocations::peak() - base;
        let left = thread_allocations::live() - base;
        assert_eq!(summary.count(Status::Changed), count, "{summary}");
        let keys = keys_setting(keys);
        println!(
            "sync_users memory, {count:>6} users at concurrency {CONCURRENCY}, {keys}: job peak above start {:>8.1} KiB, live after {:>6.1} KiB ({:.0} users/s)",
            peak as f64 / 1024.0,
            left as f64 / 1024.0,
            count as f64 / wall.as_secs_f64(),
        );
        peaks.push(peak);
    }
    if peaks.len() == 8 {
        let mut ratios: Vec<f64> = peaks[1..7]
            .chunks(2)
            .map(|pair| pair[1] as f64 / pair[0].max(1) as f64)
            .collect();
        let growth: Vec<String> = peaks[1..7]
            .chunks(2)
            .map(|pair| format!("{:+.1}", (pair[1] - pair[0]) as f64 / (users - few) as f64))
            .collect();
        let rounds: Vec<String> = ratios.iter().map(|r| format!("{r:.2}")).collect();
        ratios.sort_by(f64::total_cmp);
        println!(
            "sync_users memory: {:.2}x for {}x the users (median of the rounds {rounds:?}; bytes per extra user {growth:?}); every key in memory: {:.2}x the second round's 1,000",
            ratios[1],
            users / few,
            peaks[7] as f64 / peaks[3].max(1) as f64,
        );
    }

    // 3a. The plan alone, in memory: parse and plan every line against its user.
    let current: Vec<User> = (1..=users)
        .map(|n| serde_json::from_value(user(n)).expect("a user"))
        .collect();
    let lines: Vec<String> = (1..=users).map(|n| line(n, "Planned")).collect();
    let base = thread_allocations::reset_peak();
    // Five rounds, the median reported: one round is 30-70 ms, which the machine's noise moves.
    let mut walls = Vec::new();
    for _ in 0..5 {
        let start = Instant::now();
        let mut changed = 0;
        for (n, (user, text)) in current.iter().zip(&lines).enumerate() {
            let desired = parse_line(n + 1, text, None).expect("a good line");
            let patch = plan_patch(user, &desired).expect("a plan");
            changed += usize::from(!sparse_patch::Patch::is_empty(&patch));
            std::hint::black_box(patch);
        }
        walls.push(start.elapsed());
        assert_eq!(changed, users);
    }
    walls.sort();
    let wall = walls[walls.len() / 2];
    let peak = thread_allocations::peak() - base;
    println!(
        "sync_users plan alone (parse_line + plan_patch, in memory), {users} lines, median of 5 rounds: {:.1} ms, {:.2} us per line; peak above start {:.1} KiB",
        wall.as_secs_f64() * 1e3,
        wall.as_secs_f64() * 1e6 / users as f64,
        peak as f64 / 1024.0,
    );

    // 3b. The plan of a dry run against the emulator: every user looked up, nothing sent;
    // in paired rounds, the keys past `DEFAULT_KEYS_IN_MEMORY` in a temporary file (the
    // default) and every key in memory, in turn.
    let mut ratios = Vec::new();
    for round in 1..=3 {
        let mut walls = [Duration::ZERO; 2];
        for (wall_of, keys) in walls.iter_mut().zip([DEFAULT_KEYS_IN_MEMORY, usize::MAX]) {
            let dry = job.clone().dry_run(true).keys_in_memory(keys);
            let base = thread_allocations::reset_peak();
            let (summary, wall) = run_job(&runtime, &dry, feed(users, "Planned"));
            let peak = thread_allocations::peak() - base;
            assert_eq!(summary.count(Status::WouldChange), users, "{summary}");
            let keys = keys_setting(keys);
            println!(
                "sync_users dry run {round}, {users} users at concurrency {CONCURRENCY}, {keys}: {:.2} s ({:.0} users/s); job peak above start {:.1} KiB",
                wall.as_secs_f64(),
                users as f64 / wall.as_secs_f64(),
                peak as f64 / 1024.0,
            );
            *wall_of = wall;
        }
        ratios.push(walls[0].as_secs_f64() / walls[1].as_secs_f64());
    }
    thread_allocations::count_this_thread(false);
    ratios.sort_by(f64::total_cmp);
    println!(
        "sync_users dry run, keys in a file / every key in memory: {:.3}x (median of {:?})",
        ratios[1],
        ratios.iter().map(|r| format!("{r:.3}")).collect::<Vec<_>>(),
    );
}
