//! Group 4 (issue 4): update 10,000 users against the emulator with concurrency 1, 8, 32 and
//! 128, and report throughput and peak memory.
//!
//! Results stream: at most `concurrency` calls are in flight (a `JoinSet` refilled as calls
//! complete), and each result is counted and dropped as it arrives, so the client's memory is
//! bounded by the concurrency, not by the number of users. To show it, concurrency 32 runs again
//! over 1,000 and then 10,000 users from the same warm state: the client's peak must not grow
//! with ten times the users.
//!
//! Memory is counted by a global allocator in this binary, separately for the client's threads
//! (the main thread and the client runtime's workers) and for the whole process (which also
//! holds the emulator, its 10,000 stored users and whatever it keeps per request).
//!
//! Too slow for criterion's repeated sampling, so this is a plain `main` that measures once per
//! setting and prints. Run: `cargo bench --bench many_users`.

mod support;

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::sync::atomic::{AtomicIsize, Ordering};
use std::time::Instant;

use serde_json::json;
use sparse_patch::pingone::emulator::Emulator;
use sparse_patch::pingone::{Client, TokenSource, UserPatch};
use tokio::task::JoinSet;

/// Users seeded in the emulator and updated in each run.
const USERS: usize = 10_000;
/// The concurrency levels of the issue.
const CONCURRENCY: [usize; 4] = [1, 8, 32, 128];

thread_local! {
    /// Whether this thread's allocations count as the client's.
    static CLIENT_THREAD: Cell<bool> = const { Cell::new(false) };
}

/// Live and peak bytes, for the client's threads and for the whole process.
struct Counters {
    client_live: AtomicIsize,
    client_peak: AtomicIsize,
    process_live: AtomicIsize,
    process_peak: AtomicIsize,
}

/// The system allocator, counting live bytes and their peak.
struct CountingAllocator;

static COUNTERS: Counters = Counters {
    client_live: AtomicIsize::new(0),
    client_peak: AtomicIsize::new(0),
    process_live: AtomicIsize::new(0),
    process_peak: AtomicIsize::new(0),
};

#[global_allocator]
static ALLOCATOR: CountingAllocator = CountingAllocator;

impl CountingAllocator {
    fn record(delta: isize) {
        let live = COUNTERS.process_live.fetch_add(delta, Ordering::Relaxed) + delta;
        COUNTERS.process_peak.fetch_max(live, Ordering::Relaxed);
        if CLIENT_THREAD.try_with(Cell::get).unwrap_or(false) {
            let live = COUNTERS.client_live.fetch_add(delta, Ordering::Relaxed) + delta;
            COUNTERS.client_peak.fetch_max(live, Ordering::Relaxed);
        }
    }
}

// SAFETY: every call is forwarded to `System` unchanged; the counting touches only atomics
// and a const thread-local without a destructor, and never allocates.
unsafe impl GlobalAlloc for CountingAllocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: the caller's contract for `alloc` is passed on.
        let pointer = unsafe { System.alloc(layout) };
        if !pointer.is_null() {
            Self::record(layout.size() as isize);
        }
        pointer
    }

    unsafe fn dealloc(&self, pointer: *mut u8, layout: Layout) {
        // SAFETY: the caller's contract for `dealloc` is passed on.
        unsafe { System.dealloc(pointer, layout) };
        Self::record(-(layout.size() as isize));
    }

    unsafe fn realloc(&self, pointer: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: the caller's contract for `realloc` is passed on.
        let new_pointer = unsafe { System.realloc(pointer, layout, new_size) };
        if !new_pointer.is_null() {
            Self::record(new_size as isize - layout.size() as isize);
        }
        new_pointer
    }
}

/// Restarts both peaks from the current live bytes, and returns those.
fn reset_peaks() -> (isize, isize) {
    let client = COUNTERS.client_live.load(Ordering::Relaxed);
    let process = COUNTERS.process_live.load(Ordering::Relaxed);
    COUNTERS.client_peak.store(client, Ordering::Relaxed);
    COUNTERS.process_peak.store(process, Ordering::Relaxed);
    (client, process)
}

/// The process's resident high-water mark (`VmHWM`), in KiB, from `/proc/self/status`.
fn vm_hwm_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|line| line.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn user_id(n: usize) -> String {
    format!("00000000-0000-4000-8000-{n:012}")
}

/// The result of one run.
struct Run {
    users: usize,
    concurrency: usize,
    seconds: f64,
    failures: usize,
    client_peak_bytes: isize,
    process_peak_bytes: isize,
}

/// Updates users `0..users` with at most `concurrency` calls in flight; results are counted
/// as they complete and dropped.
async fn update_users(client: &Client, environment: &str, users: usize, concurrency: usize) -> Run {
    let (client_base, process_base) = reset_peaks();
    let start = Instant::now();
    let mut in_flight = JoinSet::new();
    let mut failures = 0;
    let mut next = 0;
    while next < users || !in_flight.is_empty() {
        while next < users && in_flight.len() < concurrency {
            let (client, environment, id) = (client.clone(), environment.to_owned(), user_id(next));
            in_flight.spawn(async move {
                let patch = UserPatch::new().title("Migrated").r#type("employee");
                client.update_user(&environment, &id, &patch).await.is_ok()
            });
            next += 1;
        }
        if let Some(result) = in_flight.join_next().await
            && !result.unwrap_or(false)
        {
            failures += 1;
        }
    }
    let seconds = start.elapsed().as_secs_f64();
    Run {
        users,
        concurrency,
        seconds,
        failures,
        client_peak_bytes: COUNTERS.client_peak.load(Ordering::Relaxed) - client_base,
        process_peak_bytes: COUNTERS.process_peak.load(Ordering::Relaxed) - process_base,
    }
}

fn print(run: &Run) {
    println!(
        "many_users users={:>6} concurrency={:>3}: {:>8.0} updates/s ({:.2} s), failures {}, peak above start: client {:>7.1} KiB, whole process {:>8.1} KiB",
        run.users,
        run.concurrency,
        run.users as f64 / run.seconds,
        run.seconds,
        run.failures,
        run.client_peak_bytes as f64 / 1024.0,
        run.process_peak_bytes as f64 / 1024.0,
    );
}

fn main() {
    let users = if support::is_test_mode() { 100 } else { USERS };
    // No request log: it would grow with every request, and this measures the client.
    let mut builder = Emulator::builder().no_users().record_requests(false);
    for n in 0..users {
        builder = builder.user(json!({
            "id": user_id(n),
            "username": format!("user{n}"),
            "email": format!("user{n}@example.com"),
        }));
    }
    let emulator = builder.start().expect("the emulator starts");
    CLIENT_THREAD.with(|flag| flag.set(true));
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .on_thread_start(|| CLIENT_THREAD.with(|flag| flag.set(true)))
        .enable_all()
        .build()
        .expect("a runtime");
    let client = Client::builder()
        .api_base_url(emulator.api_base_url())
        .token(TokenSource::bearer(emulator.token()))
        .build()
        .expect("a client");
    let environment = emulator.environment_id().to_owned();
    println!(
        "emulator seeded with {users} users; VmHWM before the runs: {} KiB",
        vm_hwm_kib().unwrap_or(0)
    );
    let mut runs = Vec::new();
    for concurrency in CONCURRENCY {
        let run = runtime.block_on(update_users(&client, &environment, users, concurrency));
        print(&run);
        runs.push(run);
    }
    // The same concurrency, a tenth of the users then all of them, from the same warm state
    // (the pool already holds its connections): the client's peak must not grow with the
    // number of users.
    let small = runtime.block_on(update_users(&client, &environment, users / 10, 32));
    print(&small);
    let large = runtime.block_on(update_users(&client, &environment, users, 32));
    print(&large);
    println!(
        "client peak at concurrency 32 from a warm pool: {} users {:.1} KiB, {} users {:.1} KiB (ratio {:.2}x for {}x the users)",
        small.users,
        small.client_peak_bytes as f64 / 1024.0,
        large.users,
        large.client_peak_bytes as f64 / 1024.0,
        large.client_peak_bytes as f64 / small.client_peak_bytes.max(1) as f64,
        large.users / small.users.max(1),
    );
    println!(
        "whole process at concurrency 32 from a warm pool: {} users {:.1} KiB, {} users {:.1} KiB",
        small.users,
        small.process_peak_bytes as f64 / 1024.0,
        large.users,
        large.process_peak_bytes as f64 / 1024.0,
    );
    println!(
        "emulator requests recorded (log off): {}; VmHWM after the runs: {} KiB",
        emulator.requests().len(),
        vm_hwm_kib().unwrap_or(0)
    );
    assert!(
        runs.iter()
            .chain([&small, &large])
            .all(|run| run.failures == 0),
        "every update succeeds"
    );
}
