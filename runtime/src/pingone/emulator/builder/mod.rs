//! [`EmulatorBuilder`] and [`Emulator`]: configuring, starting and inspecting the emulator.
//!
//! The two types, the builder's defaults and the emulator's end are here; the builder's
//! settings ([`settings`]), its start ([`start`]) and what a test asks of the running
//! emulator (its [`accessors`], [`fault_queues`], [`users`] and [`requests`]) each have a
//! file.

mod accessors;
mod fault_queues;
mod requests;
mod settings;
mod start;
mod users;

use core::fmt;
use std::collections::BTreeSet;
use std::net::SocketAddr;
use std::num::NonZeroU32;
use std::sync::Arc;
use std::time::Duration;

use serde_json::Value;

use crate::pingone::ClientAuthMethod;

use super::state::{Shared, reference_user};
use super::{
    DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, DEFAULT_TOKEN, REFERENCE_ENVIRONMENT_ID, RandomFaults,
};

/// The `Retry-After` (seconds) of an injected 429 unless
/// [`EmulatorBuilder::fault_retry_after`] sets another.
const DEFAULT_FAULT_RETRY_AFTER: u64 = 1;

/// Configures an [`Emulator`]; see [`Emulator::builder`].
#[derive(Clone)]
pub struct EmulatorBuilder {
    token: String,
    token_lifetime: Option<Duration>,
    worker: (String, String),
    worker_auth_method: Option<ClientAuthMethod>,
    environment_id: String,
    users: Vec<Value>,
    forbidden: BTreeSet<String>,
    custom_attributes: Option<BTreeSet<String>>,
    record_requests: bool,
    max_page_size: usize,
    rate_limit: Option<NonZeroU32>,
    fault_retry_after: u64,
    random_faults: Option<RandomFaults>,
    port: u16,
}

impl fmt::Debug for EmulatorBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EmulatorBuilder")
            .field("token", &"***")
            .field("token_lifetime", &self.token_lifetime)
            .field("worker", &(&self.worker.0, "***"))
            .field("worker_auth_method", &self.worker_auth_method)
            .field("environment_id", &self.environment_id)
            .field("users", &self.users.len())
            .field("forbidden", &self.forbidden)
            .field("custom_attributes", &self.custom_attributes)
            .field("record_requests", &self.record_requests)
            .field("max_page_size", &self.max_page_size)
            .field("rate_limit", &self.rate_limit)
            .field("fault_retry_after", &self.fault_retry_after)
            .field("random_faults", &self.random_faults)
            .field("port", &self.port)
            .finish()
    }
}

impl Default for EmulatorBuilder {
    fn default() -> Self {
        EmulatorBuilder {
            token: DEFAULT_TOKEN.to_owned(),
            token_lifetime: None,
            worker: (
                DEFAULT_CLIENT_ID.to_owned(),
                DEFAULT_CLIENT_SECRET.to_owned(),
            ),
            worker_auth_method: None,
            environment_id: REFERENCE_ENVIRONMENT_ID.to_owned(),
            users: vec![reference_user()],
            forbidden: BTreeSet::new(),
            custom_attributes: None,
            record_requests: true,
            max_page_size: 200,
            rate_limit: None,
            fault_retry_after: DEFAULT_FAULT_RETRY_AFTER,
            random_faults: None,
            port: 0,
        }
    }
}

/// A running emulator; it stops when dropped (and `drop` returns once it has stopped).
pub struct Emulator {
    addr: SocketAddr,
    /// `http://127.0.0.1:{port}`: where the token endpoint is.
    auth_base: String,
    pub(super) shared: Arc<Shared>,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    /// The server's thread, joined when the emulator is dropped.
    thread: Option<std::thread::JoinHandle<()>>,
}

impl fmt::Debug for Emulator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Emulator")
            .field("api_base_url", &self.shared.base)
            .field("environment_id", &self.shared.environment_id)
            .field("token", &"***")
            .finish_non_exhaustive()
    }
}

/// Stops the server and waits until it is gone (its thread and runtime ended, the listening
/// socket and every connection closed), so that the port is free and nothing is served once
/// `drop` returns: a request in flight then ends with its connection closed. The wait is the
/// time a runtime takes to drop its tasks, whatever requests (a [`Fault::Slow`](super::Fault))
/// were under way.
impl Drop for Emulator {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            // A panic of the server's thread was already printed; the emulator is gone.
            let _ = thread.join();
        }
    }
}

impl Emulator {
    /// An emulator with the defaults: token [`DEFAULT_TOKEN`], environment
    /// [`REFERENCE_ENVIRONMENT_ID`], seeded with [`reference_user`].
    ///
    /// # Errors
    ///
    /// As [`EmulatorBuilder::start`].
    pub fn start() -> std::io::Result<Emulator> {
        EmulatorBuilder::default().start()
    }

    /// A builder with the defaults of [`Emulator::start`].
    #[must_use]
    pub fn builder() -> EmulatorBuilder {
        EmulatorBuilder::default()
    }
}

#[cfg(test)]
mod tests {
    use std::time::{Duration, Instant};

    use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};

    use super::super::{DEFAULT_TOKEN, Fault, REFERENCE_ENVIRONMENT_ID, REFERENCE_USER_ID};

    /// The module said the emulator "works under a paused tokio clock in tests", yet a client
    /// call to it from a paused runtime failed with `Timeout { timeout: 30s, attempts: 5 }`
    /// in under a second (the runtime, idle while it awaits the socket, advances its clock to
    /// the request timeout). What holds, and is now what the module says: the emulator starts
    /// and is driven from a paused runtime, and its own timers (`Fault::Slow`) run on the real
    /// clock.
    #[tokio::test(start_paused = true)]
    async fn under_a_paused_clock_the_emulator_keeps_real_time() {
        let emulator = super::Emulator::start().unwrap();
        assert!(emulator.user(REFERENCE_USER_ID).is_some());
        emulator.inject(Fault::Slow(Duration::from_millis(300)));
        let started = Instant::now();
        let mut stream = tokio::net::TcpStream::connect(emulator.addr())
            .await
            .unwrap();
        let request = format!(
            "GET /v1/environments/{REFERENCE_ENVIRONMENT_ID}/users/{REFERENCE_USER_ID} HTTP/1.1\r\n\
             Host: 127.0.0.1\r\nAuthorization: Bearer {DEFAULT_TOKEN}\r\nConnection: close\r\n\r\n"
        );
        stream.write_all(request.as_bytes()).await.unwrap();
        let mut answer = Vec::new();
        stream.read_to_end(&mut answer).await.unwrap();
        assert!(answer.starts_with(b"HTTP/1.1 200"));
        assert!(started.elapsed() >= Duration::from_millis(300));
    }

    /// `rate_limit(0)` (the standalone emulator's `--rate-limit 0`) is no limit, also after
    /// a limit was set: 30 requests at once all get their answer, none a 429.
    #[test]
    fn a_rate_limit_of_zero_is_no_limit() {
        let builder = super::Emulator::builder().rate_limit(5).rate_limit(0);
        assert_eq!(builder.rate_limit, None);
        let emulator = builder.start().unwrap();
        let limited = (0..30)
            .filter(|_| {
                let mut stream = std::net::TcpStream::connect(emulator.addr()).unwrap();
                let request = format!(
                    "GET /v1/environments/{REFERENCE_ENVIRONMENT_ID}/users/{REFERENCE_USER_ID} \
                     HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {DEFAULT_TOKEN}\r\n\
                     Connection: close\r\n\r\n"
                );
                std::io::Write::write_all(&mut stream, request.as_bytes()).unwrap();
                let mut answer = Vec::new();
                std::io::Read::read_to_end(&mut stream, &mut answer).unwrap();
                assert!(answer.starts_with(b"HTTP/1.1 "), "{answer:?}");
                !answer.starts_with(b"HTTP/1.1 200")
            })
            .count();
        assert_eq!(limited, 0);
    }
}
