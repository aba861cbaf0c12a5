//! Issue 9 §5: listing 10,000 users in pages of 200 from the emulator with
//! `Client::list_users`: throughput (users and pages per second), the client's share of it
//! against the same pages read with raw reqwest, and the client's memory for 1,000 users
//! against 10,000.
//!
//! The emulator (its own thread and runtime) is seeded with 10,000 users. The client runs on
//! a current-thread runtime on the main thread, so the main thread's CPU time is all of the
//! client's work, and a global allocator counts the bytes live on the main thread alone (the
//! emulator's are not counted). Each user is dropped as it arrives.
//!
//! - **Memory**: the peak of the main thread's live bytes above the start of a listing, for
//!   the first 1,000 users (5 pages) and for all 10,000 (50 pages), from a warm pool: it must
//!   not grow with ten times the users (one page is live at a time).
//! - **Throughput**: `ROUNDS` rounds, each listing all users once with the client, once with
//!   raw reqwest and once with raw reqwest with the client's 30 s timeout (the order rotates
//!   every round); medians of the rounds' figures, and the median of the rounds' ratios
//!   client / raw reqwest (wall time and client-thread CPU).
//!
//! A plain `main`, not criterion: a listing takes seconds. Run:
//! `cargo bench --bench list_users`.

mod support;

#[path = "../tests/support/thread_allocations.rs"]
mod thread_allocations;

use std::time::Instant;

use futures_util::StreamExt;
use reqwest::header::{ACCEPT, AUTHORIZATION};
use serde::Deserialize;
use serde_json::json;
use sparse_patch::pingone::emulator::Emulator;
use sparse_patch::pingone::{Client, TokenSource, User, UserQuery};

/// Users seeded in the emulator and listed in each round.
const USERS: usize = 10_000;
/// The smaller listing of the memory comparison: the first users of the same list.
const FEW_USERS: usize = 1_000;
/// The page size asked for (PingOne's largest).
const PAGE_SIZE: u32 = 200;
/// Paired rounds of the throughput measure.
const ROUNDS: usize = 11;

/// Lists at most `most` users with the client, dropping each; returns how many came.
async fn with_client(client: &Client, environment: &str, most: usize) -> usize {
    let query = UserQuery::all().limit(PAGE_SIZE);
    let mut users = std::pin::pin!(client.list_users(environment, &query).take(most));
    let mut count = 0;
    while let Some(user) = users.next().await {
        std::hint::black_box(user.expect("a user"));
        count += 1;
    }
    count
}

/// One page as a user without this crate reads it.
#[derive(Deserialize)]
struct RawPage {
    #[serde(rename = "_embedded")]
    embedded: RawEmbedded,
    #[serde(rename = "_links")]
    links: RawLinks,
}

#[derive(Deserialize)]
struct RawEmbedded {
    users: Vec<User>,
}

#[derive(Deserialize)]
struct RawLinks {
    next: Option<RawLink>,
}

#[derive(Deserialize)]
struct RawLink {
    href: String,
}

/// The same listing by hand with reqwest: GET each page with the token, decode it, follow
/// `_links.next`. Returns how many users came.
async fn with_raw_reqwest(http: &reqwest::Client, first: &str, token: &str) -> usize {
    let mut next = Some(first.to_owned());
    let mut count = 0;
    while let Some(url) = next.take() {
        let response = http
            .get(&url)
            .header(AUTHORIZATION, format!("Bearer {token}"))
            .header(ACCEPT, "application/json")
            .send()
            .await
            .expect("the emulator answers");
        assert!(response.status().is_success());
        let bytes = response.bytes().await.expect("reads the body");
        let page: RawPage = serde_json::from_slice(&bytes).expect("a users page");
        for user in page.embedded.users {
            std::hint::black_box(user);
            count += 1;
        }
        next = page.links.next.map(|link| link.href);
    }
    count
}

/// The wall and client-thread CPU seconds of `listing`.
fn timed(runtime: &tokio::runtime::Runtime, listing: impl Future<Output = usize>) -> (f64, f64) {
    let (start, cpu_start) = (Instant::now(), support::thread_cpu_ns());
    let count = runtime.block_on(listing);
    let wall = start.elapsed().as_secs_f64();
    let cpu = (support::thread_cpu_ns() - cpu_start) as f64 / 1e9;
    std::hint::black_box(count);
    (wall, cpu)
}

fn main() {
    let test_mode = support::is_test_mode();
    let (users, few, rounds) = if test_mode {
        (1_000, 100, 1)
    } else {
        (USERS, FEW_USERS, ROUNDS)
    };
    let mut builder = Emulator::builder().no_users().record_requests(false);
    for n in 0..users {
        builder = builder.user(json!({
            "id": format!("00000000-0000-4000-8000-{n:012}"),
            "username": format!("user{n:05}"),
            "email": format!("user{n:05}@example.com"),
            "name": {"given": "Given", "family": "Family"},
        }));
    }
    let emulator = builder.start().expect("the emulator starts");
    let environment = emulator.environment_id().to_owned();
    let client = Client::builder()
        .api_base_url(emulator.api_base_url())
        .token(TokenSource::bearer(emulator.token()))
        .build()
        .expect("a client");
    let (http, http_with_timeout) = support::raw_reqwest_clients();
    let first_page = format!(
        "{}/environments/{environment}/users?limit={PAGE_SIZE}",
        emulator.api_base_url()
    );
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    let pages = users.div_ceil(PAGE_SIZE as usize);

    // Warm-up: both read every user, and open their connections.
    let listed = runtime.block_on(with_client(&client, &environment, usize::MAX));
    assert_eq!(listed, users, "the client lists every user once");
    for http in [&http, &http_with_timeout] {
        let listed = runtime.block_on(with_raw_reqwest(http, &first_page, emulator.token()));
        assert_eq!(listed, users, "raw reqwest lists every user once");
    }

    // Memory: the client's peak above the start, for the first `few` users and for all.
    thread_allocations::count_this_thread(true);
    let mut peaks = Vec::new();
    for most in [few, users] {
        let base = thread_allocations::reset_peak();
        let listed = runtime.block_on(with_client(&client, &environment, most));
        let peak = thread_allocations::peak() - base;
        let left = thread_allocations::live() - base;
        assert_eq!(listed, most);
        println!(
            "list_users memory, {most:>6} users in pages of {PAGE_SIZE}: client peak above start {:>8.1} KiB, live after {:>6.1} KiB",
            peak as f64 / 1024.0,
            left as f64 / 1024.0,
        );
        peaks.push(peak);
    }
    thread_allocations::count_this_thread(false);
    let (few_peak, all_peak) = (peaks[0], peaks[1]);
    println!(
        "list_users memory: {few} users {:.1} KiB, {users} users {:.1} KiB: {:.2}x for {}x the users",
        few_peak as f64 / 1024.0,
        all_peak as f64 / 1024.0,
        all_peak as f64 / few_peak.max(1) as f64,
        users / few,
    );
    assert!(
        all_peak < few_peak + few_peak / 2,
        "the client's peak grew with the users: {all_peak} B for {users} against {few_peak} B for {few}"
    );

    // Throughput: rounds of one listing of every user per client, the order of the three
    // rotating from round to round.
    let mut wall = [Vec::new(), Vec::new(), Vec::new()];
    let mut cpu = [Vec::new(), Vec::new(), Vec::new()];
    let (mut wall_ratio, mut cpu_ratio, mut wall_ratio_timeout) =
        (Vec::new(), Vec::new(), Vec::new());
    for round in 0..rounds {
        let mut this_round = [(0.0, 0.0); 3];
        for step in 0..3 {
            let which = (round + step) % 3;
            this_round[which] = match which {
                0 => timed(&runtime, with_client(&client, &environment, usize::MAX)),
                1 => timed(
                    &runtime,
                    with_raw_reqwest(&http, &first_page, emulator.token()),
                ),
                _ => timed(
                    &runtime,
                    with_raw_reqwest(&http_with_timeout, &first_page, emulator.token()),
                ),
            };
        }
        for (which, (seconds, cpu_seconds)) in this_round.into_iter().enumerate() {
            wall[which].push(seconds);
            cpu[which].push(cpu_seconds);
        }
        wall_ratio.push(this_round[0].0 / this_round[1].0);
        cpu_ratio.push(this_round[0].1 / this_round[1].1);
        wall_ratio_timeout.push(this_round[0].0 / this_round[2].0);
    }
    let [wall, raw_wall, raw_timeout_wall] = wall.map(|mut all| support::median(&mut all));
    let [cpu, raw_cpu, _] = cpu.map(|mut all| support::median(&mut all));
    println!(
        "list_users throughput ({rounds} rounds of {users} users, {pages} pages of {PAGE_SIZE}; medians): client {:.0} users/s, {:.1} pages/s ({:.1} ms per page); raw reqwest {:.0} users/s, {:.1} pages/s; raw reqwest with the 30 s timeout {:.0} users/s",
        users as f64 / wall,
        pages as f64 / wall,
        wall * 1e3 / pages as f64,
        users as f64 / raw_wall,
        pages as f64 / raw_wall,
        users as f64 / raw_timeout_wall,
    );
    println!(
        "list_users client-thread CPU per page: client {:.2} ms, raw reqwest {:.2} ms ({:.0} % and {:.0} % of the wall time; the rest is the emulator)",
        cpu * 1e3 / pages as f64,
        raw_cpu * 1e3 / pages as f64,
        100.0 * cpu / wall,
        100.0 * raw_cpu / raw_wall,
    );
    println!(
        "paired list_users client/raw_reqwest: wall {:.3}x, client-thread CPU {:.3}x; client/raw_reqwest_with_30s_timeout: wall {:.3}x (medians of {rounds} per-round ratios)",
        support::median(&mut wall_ratio),
        support::median(&mut cpu_ratio),
        support::median(&mut wall_ratio_timeout),
    );
}
