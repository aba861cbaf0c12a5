//! Futures dropped at their await points, without timers deciding anything: a token fetch
//! held at a gated server and dropped (polled once, or driven until the server has the
//! request), the calls that waited on it, and a sync run dropped while its lookups are held.
//! Each test then checks that what follows completes: the fetch is made again and shared, the
//! same job runs again, and a new job on the same client runs. The timeouts below only turn a
//! hang into a failure; no assertion reads a clock.

#![cfg(all(feature = "client", feature = "emulator"))]

#[path = "support/emulator_client.rs"]
mod emulator_client;
use emulator_client::emulator_worker_builder;

use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use futures_util::{FutureExt, StreamExt};
use serde_json::json;
use sparse_patch::pingone::emulator::{Emulator, Fault, reference_user};
use sparse_patch::pingone::sync::{Status, SyncJob};
use sparse_patch::pingone::{Client, TokenSource};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const ENV: &str = "abfba8f6-49eb-49f5-a5d9-80ad5c98f9f6";
const USER: &str = "a38890a6-295a-4d58-9f6e-b72b05fba379";

/// How long a step may take before the test calls it a hang.
const HANG: Duration = Duration::from_secs(10);

/// A token endpoint and users API on 127.0.0.1 whose token answers wait until the gate is
/// open; it counts the token requests that reached it.
struct GatedServer {
    addr: std::net::SocketAddr,
    token_requests: Arc<AtomicUsize>,
    gate: tokio::sync::watch::Sender<bool>,
}

impl GatedServer {
    async fn start() -> GatedServer {
        GatedServer::with_token_lifetime(3600).await
    }

    /// Tokens that live `expires_in` seconds (0: due for a refresh at once).
    async fn with_token_lifetime(expires_in: u64) -> GatedServer {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let token_requests = Arc::new(AtomicUsize::new(0));
        let gate = tokio::sync::watch::Sender::new(false);
        let counted = Arc::clone(&token_requests);
        let opened = gate.subscribe();
        tokio::spawn(async move {
            loop {
                let Ok((socket, _)) = listener.accept().await else {
                    return;
                };
                tokio::spawn(serve(
                    socket,
                    Arc::clone(&counted),
                    opened.clone(),
                    expires_in,
                ));
            }
        });
        GatedServer {
            addr,
            token_requests,
            gate,
        }
    }

    fn client(&self) -> Client {
        Client::builder()
            .api_base_url(format!("http://{}/v1", self.addr))
            .auth_base_url(format!("http://{}", self.addr))
            .token(TokenSource::client_credentials(ENV, "id", "secret"))
            .build()
            .unwrap()
    }

    fn token_requests(&self) -> usize {
        self.token_requests.load(Ordering::SeqCst)
    }

    /// Until `count` token requests have reached the server.
    async fn until_token_requests(&self, count: usize) {
        while self.token_requests() < count {
            tokio::task::yield_now().await;
            tokio::time::sleep(Duration::from_millis(1)).await;
        }
    }

    fn open(&self) {
        self.gate.send_replace(true);
    }
}

/// One connection's requests, kept alive: a token request waits for the gate, anything else
/// is answered with the user at once.
async fn serve(
    mut socket: tokio::net::TcpStream,
    token_requests: Arc<AtomicUsize>,
    mut gate: tokio::sync::watch::Receiver<bool>,
    expires_in: u64,
) {
    let mut buffer = Vec::new();
    loop {
        let head_end = loop {
            if let Some(end) = buffer.windows(4).position(|window| window == b"\r\n\r\n") {
                break end + 4;
            }
            let mut chunk = [0u8; 4096];
            match socket.read(&mut chunk).await {
                Ok(0) | Err(_) => return,
                Ok(read) => buffer.extend_from_slice(&chunk[..read]),
            }
        };
        let head = String::from_utf8_lossy(&buffer[..head_end]).to_ascii_lowercase();
        let length: usize = head
            .lines()
            .find_map(|line| line.strip_prefix("content-length:"))
            .map_or(0, |value| value.trim().parse().unwrap());
        while buffer.len() < head_end + length {
            let mut chunk = [0u8; 4096];
            match socket.read(&mut chunk).await {
                Ok(0) | Err(_) => return,
                Ok(read) => buffer.extend_from_slice(&chunk[..read]),
            }
        }
        buffer.drain(..head_end + length);
        let body = if head.starts_with("post ") && head.contains("/as/token") {
            let number = token_requests.fetch_add(1, Ordering::SeqCst) + 1;
            if gate.wait_for(|open| *open).await.is_err() {
                return;
            }
            json!({"access_token": format!("tok-{number}"), "token_type": "Bearer", "expires_in": expires_in})
        } else {
            json!({"id": USER, "username": "dspanner", "email": "d@example.com"})
        };
        let body = body.to_string();
        let answer = format!(
            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{body}",
            body.len()
        );
        if socket.write_all(answer.as_bytes()).await.is_err() {
            return;
        }
    }
}

async fn guarded<T>(what: &str, future: impl Future<Output = T>) -> T {
    tokio::time::timeout(HANG, future)
        .await
        .unwrap_or_else(|_| panic!("{what} hangs"))
}

/// A call polled once (its token fetch just begun) and dropped leaves nothing held: its fetch
/// goes on, abandoned, and the next call fetches too and succeeds. So does a call dropped
/// after it sent its token request, while the token endpoint has not answered; its fetch is
/// given up, as one abandoned fetch (the oldest) is kept at most.
#[tokio::test]
async fn a_token_fetch_dropped_early_is_made_again_by_the_next_call() {
    let server = GatedServer::start().await;
    let client = server.client();
    // Polled once: at most the start of the fetch, which goes on without it.
    assert!(client.get_user(ENV, USER).now_or_never().is_none());
    guarded(
        "the abandoned fetch's token request",
        server.until_token_requests(1),
    )
    .await;
    // Driven until its own token request has reached the server, then dropped.
    {
        let call = client.get_user(ENV, USER);
        tokio::select! {
            answer = call => panic!("answered before the gate opened: {answer:?}"),
            () = guarded("the second token request", server.until_token_requests(2)) => {}
        }
    }
    let next = tokio::spawn({
        let client = client.clone();
        async move { client.get_user(ENV, USER).await }
    });
    // The dropped fetches' requests are not waited on alone: the next call asks again.
    guarded(
        "the next call's token request",
        server.until_token_requests(3),
    )
    .await;
    server.open();
    let user = guarded("the next call", next).await.unwrap().unwrap();
    assert_eq!(user.id.as_deref(), Some(USER));
    // Cached since: no more token requests.
    guarded("a later call", client.get_user(ENV, USER))
        .await
        .unwrap();
    assert_eq!(server.token_requests(), 3);
}

/// The call that started the token fetch is dropped while others wait on it: the fetch goes
/// on for them (on a task of its own), and they all take its token, without a request more.
#[tokio::test]
async fn calls_waiting_on_a_fetch_get_its_token_when_its_caller_is_dropped() {
    let server = GatedServer::start().await;
    let client = server.client();
    // Boxed, so that dropping it drops the call (a pinned reference would not).
    let mut fetching = Box::pin(client.get_user(ENV, USER));
    tokio::select! {
        answer = fetching.as_mut() => panic!("answered before the gate opened: {answer:?}"),
        () = guarded("the first token request", server.until_token_requests(1)) => {}
    }
    let mut waiters = tokio::task::JoinSet::new();
    for _ in 0..5 {
        let client = client.clone();
        waiters.spawn(async move { client.get_user(ENV, USER).await });
    }
    // The waiters reach the token cache's lock, which the first call holds.
    for _ in 0..20 {
        tokio::task::yield_now().await;
    }
    assert_eq!(server.token_requests(), 1);
    drop(fetching);
    server.open();
    let answers = guarded("the waiters", waiters.join_all()).await;
    for answer in answers {
        answer.unwrap();
    }
    assert_eq!(server.token_requests(), 1);
}

/// A call dropped after each number of polls, with the runtime's I/O driven between them (the
/// fetch under way, its answer read, the API request sent, its answer read), on a fresh
/// client each time: the next call on that client completes, and no drop panics.
#[tokio::test]
async fn a_call_dropped_after_any_number_of_polls_leaves_the_client_working() {
    let server = GatedServer::start().await;
    server.open();
    for polls in 0..40 {
        let client = server.client();
        {
            let call = client.get_user(ENV, USER);
            let mut call = std::pin::pin!(call);
            for _ in 0..polls {
                if futures_util::poll!(call.as_mut()).is_ready() {
                    break;
                }
                tokio::task::yield_now().await;
            }
        }
        guarded("the call after a dropped one", client.get_user(ENV, USER))
            .await
            .unwrap_or_else(|error| panic!("after {polls} polls: {error}"));
    }
}

/// The user of line `n` of the feeds below.
fn user(n: usize) -> serde_json::Value {
    let mut user = reference_user();
    user["id"] = json!(format!("00000000-0000-4000-8000-{n:012}"));
    user["username"] = json!(format!("user{n:03}"));
    user["email"] = json!(format!("user{n:03}@example.com"));
    user
}

fn feed(title: &str) -> Vec<std::io::Result<String>> {
    (1..=4)
        .map(|n| Ok(json!({"username": format!("user{n:03}"), "title": title}).to_string()))
        .collect()
}

/// A sync run dropped while its lookups are held (a caller's timeout, Ctrl-C) releases what
/// it held: the same job's next run and a new job on the same client run every line.
#[tokio::test]
async fn a_dropped_sync_run_holds_up_neither_the_next_run_nor_another_job() {
    let emulator = Emulator::start().unwrap();
    for n in 1..=4 {
        emulator.insert_user(user(n));
    }
    let client = emulator_worker_builder(&emulator).build().unwrap();
    // The two lookups in flight are held for an hour of the emulator's own time.
    emulator.inject(Fault::Slow(Duration::from_secs(3600)));
    emulator.inject(Fault::Slow(Duration::from_secs(3600)));
    let job = SyncJob::new(&client, emulator.environment_id())
        .concurrency(2)
        .unwrap();
    {
        let mut run = Box::pin(job.run(feed("Held")));
        let held = async {
            while emulator.pending_faults() > 0 {
                tokio::time::sleep(Duration::from_millis(5)).await;
            }
        };
        tokio::select! {
            outcome = run.next() => panic!("an outcome while both lookups are held: {outcome:?}"),
            () = guarded("the held lookups", held) => {}
        }
    }
    let outcomes: Vec<_> =
        guarded("the same job's next run", job.run(feed("Again")).collect()).await;
    assert_eq!(outcomes.len(), 4);
    for outcome in &outcomes {
        assert_eq!(outcome.status, Status::Changed, "{outcome:?}");
    }
    let other = SyncJob::new(&client, emulator.environment_id());
    let outcomes: Vec<_> = guarded("another job", other.run(feed("Again")).collect()).await;
    for outcome in &outcomes {
        assert_eq!(outcome.status, Status::Unchanged, "{outcome:?}");
    }
    // The dropped run held its lookups only: the later runs wrote what they asked.
    assert_eq!(
        emulator.user(user(1)["id"].as_str().unwrap()).unwrap()["title"],
        "Again"
    );
}

/// A call that waits for the token cache while another fetches, then is kept but never polled
/// again (a branch of a `select!` in a loop whose other branch calls the client, a stream kept
/// after a `break`): the fetch ends, and a later call that needs the cache goes on. The cache's
/// lock was a `tokio::sync::Mutex`, which hands itself to the first waiter in its queue when
/// released, polled or not: every later call that needed a fetch (a token due, or refused
/// with 401) waited for ever for a future that nothing polled (tokio-rs/tokio#6450; Oxide's
/// "futurelock").
#[tokio::test]
async fn a_waiter_kept_but_not_polled_holds_up_no_later_call() {
    // Tokens due at once: each call after a fetch needs the cache's lock.
    let server = GatedServer::with_token_lifetime(0).await;
    let client = server.client();
    let mut fetching = Box::pin(client.get_user(ENV, USER));
    tokio::select! {
        answer = fetching.as_mut() => panic!("answered before the gate opened: {answer:?}"),
        () = guarded("the first token request", server.until_token_requests(1)) => {}
    }
    // Polled once: it waits for the fetch under way; then never polled again, but kept.
    let mut kept = Box::pin(client.get_user(ENV, USER));
    assert!(futures_util::poll!(kept.as_mut()).is_pending());
    server.open();
    guarded("the fetching call", fetching).await.unwrap();
    guarded("a later call", client.get_user(ENV, USER))
        .await
        .unwrap();
    assert_eq!(server.token_requests(), 2);
    drop(kept);
}

/// The call that fetches the token, kept but never polled again while the fetch is under way:
/// the fetch ran in that call's future, so nothing drove it, and a later call that needed a
/// token waited for it for ever. It now runs on a task of its own, which a later call waits
/// for alongside.
#[tokio::test]
async fn a_fetching_call_kept_but_not_polled_holds_up_no_later_call() {
    let server = GatedServer::start().await;
    let client = server.client();
    let mut fetching = Box::pin(client.get_user(ENV, USER));
    tokio::select! {
        answer = fetching.as_mut() => panic!("answered before the gate opened: {answer:?}"),
        () = guarded("the first token request", server.until_token_requests(1)) => {}
    }
    server.open();
    guarded("a later call", client.get_user(ENV, USER))
        .await
        .unwrap();
    drop(fetching);
}
