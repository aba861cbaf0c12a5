//! Group 3 (issue 4): the overhead of `pingone::Client::update_user` over the same request made
//! by hand with raw reqwest, against the same loopback server, and the TCP connections that the
//! server accepted.
//!
//! The server is a tiny axum app on `127.0.0.1` (its own thread and runtime) that answers every
//! PATCH with the reference user document, so that the time is the clients' and not the
//! server's. It counts accepted connections. Both clients serialize the same patch, send the
//! same headers, read the whole body and decode it into a `pingone::User`.
//!
//! Target: 1,000 sequential calls <= 1.05x the raw reqwest time, over one connection.
//! Run: `cargo bench --bench client_overhead`.

mod support;

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use axum::serve::ListenerExt;
use reqwest::header::{ACCEPT, AUTHORIZATION, CONTENT_TYPE};
use sparse_patch::pingone::emulator::{REFERENCE_ENVIRONMENT_ID, REFERENCE_USER_ID};
use sparse_patch::pingone::{Client, TokenSource, User, UserPatch};

/// Sequential calls per measured round, as the issue asks.
const CALLS_PER_ROUND: usize = 1_000;
/// Rounds of [`CALLS_PER_ROUND`] calls per client, alternating between the clients.
const ROUNDS: usize = 21;
/// The bearer token both clients send.
const TOKEN: &str = "bench-access-token";

/// The loopback server: its address and the number of TCP connections it accepted.
struct CountingServer {
    addr: SocketAddr,
    accepted: Arc<AtomicUsize>,
}

impl CountingServer {
    /// Binds `127.0.0.1:0` and serves on a thread of its own with a current-thread runtime.
    fn start() -> CountingServer {
        let mut user = sparse_patch::pingone::emulator::reference_user();
        user["_links"] = serde_json::json!({
            "self": { "href": format!("http://127.0.0.1/v1/environments/{REFERENCE_ENVIRONMENT_ID}/users/{REFERENCE_USER_ID}") }
        });
        let body: &'static [u8] = serde_json::to_vec(&user).expect("serializes").leak();
        let accepted = Arc::new(AtomicUsize::new(0));
        let counter = Arc::clone(&accepted);
        let listener = std::net::TcpListener::bind(("127.0.0.1", 0)).expect("binds loopback");
        listener.set_nonblocking(true).expect("non-blocking");
        let addr = listener.local_addr().expect("has an address");
        std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("a runtime");
            runtime.block_on(async move {
                let listener = tokio::net::TcpListener::from_std(listener)
                    .expect("a tokio listener")
                    .tap_io(move |_| {
                        counter.fetch_add(1, Ordering::Relaxed);
                    });
                let app = axum::Router::new().route(
                    "/v1/environments/{environment}/users/{user}",
                    axum::routing::patch(move || async move {
                        ([(CONTENT_TYPE, "application/json")], body)
                    }),
                );
                axum::serve(listener, app).await.expect("serves");
            });
        });
        CountingServer { addr, accepted }
    }

    fn accepted(&self) -> usize {
        self.accepted.load(Ordering::Relaxed)
    }
}

/// One PATCH with sparse-patch's client.
async fn with_client(client: &Client, patch: &UserPatch) -> User {
    client
        .update_user(REFERENCE_ENVIRONMENT_ID, REFERENCE_USER_ID, patch)
        .await
        .expect("the server answers 200")
}

/// The same PATCH made by hand with reqwest: what a user writes without this crate.
async fn with_raw_reqwest(http: &reqwest::Client, url: &str, patch: &UserPatch) -> User {
    let body = serde_json::to_vec(patch).expect("serializes");
    let response = http
        .patch(url)
        .header(AUTHORIZATION, format!("Bearer {TOKEN}"))
        .header(ACCEPT, "application/json")
        .header(CONTENT_TYPE, "application/json")
        .body(body)
        .send()
        .await
        .expect("the server answers");
    assert!(response.status().is_success());
    let bytes = response.bytes().await.expect("reads the body");
    serde_json::from_slice(&bytes).expect("a user")
}

fn main() {
    let server = CountingServer::start();
    let base = format!("http://{}/v1", server.addr);
    let url = format!("{base}/environments/{REFERENCE_ENVIRONMENT_ID}/users/{REFERENCE_USER_ID}");
    let client = Client::builder()
        .api_base_url(&base)
        .token(TokenSource::bearer(TOKEN))
        .build()
        .expect("a client");
    // The same client with one feature changed, to count what that feature costs (issue 9):
    // pre-flight validation off, and a rate limiter on (so high that it never waits, but
    // every request goes through it).
    let client_no_preflight = Client::builder()
        .api_base_url(&base)
        .token(TokenSource::bearer(TOKEN))
        .preflight(false)
        .build()
        .expect("a client");
    let client_limited = Client::builder()
        .api_base_url(&base)
        .token(TokenSource::bearer(TOKEN))
        .rate_limit(1_000_000)
        .build()
        .expect("a client");
    let (http, http_with_timeout) = support::raw_reqwest_clients();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    let patch = support::realistic_user_patch();

    // Both give the same user, and sequential calls reuse one connection per client.
    let before = server.accepted();
    // Fewer calls when only counting instructions (see CLIENT_OVERHEAD_ONLY below).
    let calls = if std::env::var_os("CLIENT_OVERHEAD_ONLY").is_some() {
        1
    } else {
        CALLS_PER_ROUND
    };
    let from_client = runtime.block_on(async {
        let mut last = None;
        for _ in 0..calls {
            last = Some(with_client(&client, &patch).await);
        }
        last.expect("at least one call")
    });
    let client_connections = server.accepted() - before;
    let before = server.accepted();
    let from_raw = runtime.block_on(async {
        let mut last = None;
        for _ in 0..calls {
            last = Some(with_raw_reqwest(&http, &url, &patch).await);
        }
        last.expect("at least one call")
    });
    let raw_connections = server.accepted() - before;
    assert_eq!(from_client, from_raw);
    // One call with each variant, so that their connections are open before any count.
    for variant in [&client_no_preflight, &client_limited] {
        let user = runtime.block_on(with_client(variant, &patch));
        assert_eq!(user, from_raw);
    }
    let user = runtime.block_on(with_raw_reqwest(&http_with_timeout, &url, &patch));
    assert_eq!(user, from_raw);
    println!(
        "connections accepted for {calls} sequential calls: sparse-patch client {client_connections}, raw reqwest {raw_connections}"
    );
    assert_eq!(
        client_connections, 1,
        "sequential update_user calls must reuse one connection"
    );

    // For instruction counts under valgrind, which are free of this machine's noise:
    // `CLIENT_OVERHEAD_ONLY=sparse|raw` makes 500 more calls with one client and stops;
    // `sparse_no_preflight` and `sparse_rate_limited` do the same with the client's variants
    // (pre-flight validation off; a rate limiter that never waits), `raw_timeout` with raw
    // reqwest with the client's 30 s timeout; `CLIENT_OVERHEAD_ONLY=none` makes none, to
    // count the start-up alone.
    if let Ok(only) = std::env::var("CLIENT_OVERHEAD_ONLY") {
        let which = match only.as_str() {
            "sparse" => Ok(&client),
            "sparse_no_preflight" => Ok(&client_no_preflight),
            "sparse_rate_limited" => Ok(&client_limited),
            "raw" | "none" => Err(&http),
            "raw_timeout" => Err(&http_with_timeout),
            other => panic!(
                "CLIENT_OVERHEAD_ONLY={other}: expected sparse, sparse_no_preflight, sparse_rate_limited, raw, raw_timeout or none"
            ),
        };
        let calls = if only == "none" { 0 } else { 500 };
        runtime.block_on(async {
            for _ in 0..calls {
                match which {
                    Ok(client) => std::hint::black_box(with_client(client, &patch).await),
                    Err(http) => std::hint::black_box(with_raw_reqwest(http, &url, &patch).await),
                };
            }
        });
        return;
    }

    let mut criterion = support::quick_criterion();
    let mut group = criterion.benchmark_group("client_overhead_one_call");
    group.bench_function("sparse_patch_client", |b| {
        b.iter(|| runtime.block_on(with_client(&client, &patch)));
    });
    group.bench_function("raw_reqwest", |b| {
        b.iter(|| runtime.block_on(with_raw_reqwest(&http, &url, &patch)));
    });
    group.finish();
    criterion.final_summary();

    if support::is_test_mode() {
        return;
    }
    // 1,000 sequential calls per round; each round runs every client once, in an order that
    // rotates from round to round. The third client is raw reqwest with the same 30 s
    // per-request timeout as the sparse-patch client.
    let time_round = |which: usize| {
        runtime.block_on(async {
            let (start, cpu_start) = (Instant::now(), support::thread_cpu_ns());
            for _ in 0..CALLS_PER_ROUND {
                match which {
                    0 => std::hint::black_box(with_client(&client, &patch).await),
                    1 => std::hint::black_box(with_raw_reqwest(&http, &url, &patch).await),
                    _ => std::hint::black_box(
                        with_raw_reqwest(&http_with_timeout, &url, &patch).await,
                    ),
                };
            }
            let calls = CALLS_PER_ROUND as f64;
            (
                start.elapsed().as_secs_f64() * 1e9 / calls,
                (support::thread_cpu_ns() - cpu_start) as f64 / calls,
            )
        })
    };
    let mut times = [Vec::new(), Vec::new(), Vec::new()];
    let (mut over_raw, mut over_raw_timeout, mut timeout_cost) =
        (Vec::new(), Vec::new(), Vec::new());
    let (mut cpu_times, mut cpu_over_raw) = ([Vec::new(), Vec::new(), Vec::new()], Vec::new());
    let before = server.accepted();
    for round in 0..ROUNDS {
        let (mut this_round, mut this_round_cpu) = ([0.0; 3], [0.0; 3]);
        for step in 0..3 {
            let which = (round + step) % 3;
            (this_round[which], this_round_cpu[which]) = time_round(which);
        }
        for (all, time) in cpu_times.iter_mut().zip(this_round_cpu) {
            all.push(time);
        }
        cpu_over_raw.push(this_round_cpu[0] / this_round_cpu[1]);
        for (all, time) in times.iter_mut().zip(this_round) {
            all.push(time);
        }
        over_raw.push(this_round[0] / this_round[1]);
        over_raw_timeout.push(this_round[0] / this_round[2]);
        timeout_cost.push(this_round[2] / this_round[1]);
    }
    let [mut sparse_times, mut raw_times, mut raw_timeout_times] = times;
    let (sparse, raw, raw_timeout) = (
        support::median(&mut sparse_times),
        support::median(&mut raw_times),
        support::median(&mut raw_timeout_times),
    );
    let label = format!("({ROUNDS} rounds of {CALLS_PER_ROUND} sequential calls, per call)");
    support::report(
        &format!("client_overhead {label} sparse_patch_client/raw_reqwest"),
        support::PairedResult {
            candidate_ns: sparse,
            baseline_ns: raw,
            ratio: support::median(&mut over_raw),
        },
        Some(1.05),
    );
    support::report(
        &format!("client_overhead {label} sparse_patch_client/raw_reqwest_with_30s_timeout"),
        support::PairedResult {
            candidate_ns: sparse,
            baseline_ns: raw_timeout,
            ratio: support::median(&mut over_raw_timeout),
        },
        Some(1.05),
    );
    support::report(
        &format!("client_overhead {label} raw_reqwest_with_30s_timeout/raw_reqwest"),
        support::PairedResult {
            candidate_ns: raw_timeout,
            baseline_ns: raw,
            ratio: support::median(&mut timeout_cost),
        },
        None,
    );
    let [mut sparse_cpu, mut raw_cpu, mut raw_timeout_cpu] = cpu_times;
    support::report(
        &format!("client_overhead_cpu {label} sparse_patch_client/raw_reqwest"),
        support::PairedResult {
            candidate_ns: support::median(&mut sparse_cpu),
            baseline_ns: support::median(&mut raw_cpu),
            ratio: support::median(&mut cpu_over_raw),
        },
        Some(1.05),
    );
    println!(
        "client thread CPU per call, raw reqwest with the 30 s timeout: {:.1} ns",
        support::median(&mut raw_timeout_cpu)
    );
    println!(
        "new connections during the paired rounds ({} calls; 0 expected, every client has one open): {}",
        3 * ROUNDS * CALLS_PER_ROUND,
        server.accepted() - before
    );
}
