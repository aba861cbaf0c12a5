//! [`EmulatorBuilder::start`]: the environment ID and the seeded users checked, the socket
//! bound, and the server started on a thread of its own.

use std::sync::{Arc, Mutex};

use super::super::access_tokens::IssuedTokens;
use super::super::correlation_id::{CorrelationIds, add_correlation_id};
use super::super::errors::ErrorWriter;
use super::super::state::{Mutable, Shared, seed_user};
use super::super::{REFERENCE_ENVIRONMENT_ID, faults, routes, token_endpoint};
use super::{Emulator, EmulatorBuilder};

impl EmulatorBuilder {
    /// Binds `127.0.0.1` on the [`port`](EmulatorBuilder::port) (an ephemeral one by
    /// default) and starts serving on a thread of its own.
    ///
    /// # Errors
    ///
    /// The I/O error of binding the socket (its kind kept, its text naming the address) or of
    /// starting the server's runtime, or
    /// [`std::io::ErrorKind::InvalidInput`] for an environment ID that is not a UUID (no
    /// client call could reach it), or for a seeded user that is not an object, whose
    /// `id` is missing, not a string, not a PingOne ID (a UUID) or an earlier seeded user's, whose attributes
    /// break PingOne's rules (an `email` that is not an address, a `username` too long...),
    /// or that the client's [`User`](crate::pingone::User) could not read (no `username` or
    /// `email`, `"enabled": "yes"`), with the reason.
    pub fn start(self) -> std::io::Result<Emulator> {
        if !crate::pingone::ids::is_pingone_id(&self.environment_id) {
            return Err(std::io::Error::new(
                std::io::ErrorKind::InvalidInput,
                format!(
                    "the emulator's environment ID must be a PingOne ID (a UUID such as \
                     {REFERENCE_ENVIRONMENT_ID}), which the client can send: {:?}",
                    self.environment_id
                ),
            ));
        }
        // The address in the text: "Address already in use" alone does not say which.
        let listener = std::net::TcpListener::bind(("127.0.0.1", self.port)).map_err(|error| {
            std::io::Error::new(
                error.kind(),
                format!("cannot listen on 127.0.0.1:{}: {error}", self.port),
            )
        })?;
        listener.set_nonblocking(true)?;
        let addr = listener.local_addr()?;
        let base = format!("http://{addr}/v1");
        // IDs are kept and sent in lower case, and compared in any case (see the module's
        // documentation).
        let environment_id = self.environment_id.to_ascii_lowercase();
        let mut state = Mutable::new(self.random_faults);
        for (number, user) in self.users.into_iter().enumerate() {
            let (id, user) = seed_user(user, &environment_id).map_err(seed_refused)?;
            // A later user with the same ID would replace the earlier one without a word.
            if state.users.contains_key(&id) {
                return Err(seed_refused(format!(
                    "seeded user {} has the id {id}, which an earlier seeded user has \
                     (IDs compare in any case); the reference user is seeded first unless \
                     `no_users` removed it",
                    number + 1
                )));
            }
            state.put_user(id, user);
        }
        let shared = Arc::new(Shared {
            token: self.token,
            issued_tokens: IssuedTokens::new(self.token_lifetime),
            worker: self.worker,
            worker_auth_method: self.worker_auth_method,
            environment_id,
            base,
            forbidden: self.forbidden,
            custom_attributes: self.custom_attributes,
            record_requests: self.record_requests,
            max_page_size: self.max_page_size,
            rate_limit: self.rate_limit.map(faults::rate_limit),
            fault_retry_after: self.fault_retry_after,
            errors: ErrorWriter::default(),
            token_requests: std::sync::atomic::AtomicUsize::new(0),
            state: Mutex::new(state),
        });
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?;
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let app = axum::Router::new()
            .route(
                "/v1/environments/{environment}/users/{user}",
                axum::routing::any(routes::users),
            )
            .route(
                "/v1/environments/{environment}/users",
                axum::routing::any(routes::user_list),
            )
            .fallback(routes::not_found)
            // Every answer of the API routes above and of the fallback (a layer covers the
            // routes and fallback that precede it), not the token endpoint's, added after it.
            .layer(axum::middleware::map_response_with_state(
                Arc::new(CorrelationIds::default()),
                add_correlation_id,
            ))
            .route(
                "/{environment}/as/token",
                axum::routing::post(token_endpoint::issue_token)
                    .fallback(routes::token_method_not_allowed),
            )
            .with_state(Arc::clone(&shared));
        let (ready_tx, ready_rx) = std::sync::mpsc::channel();
        let thread = std::thread::Builder::new()
            .name(format!("pingone-emulator-{}", addr.port()))
            .spawn(move || {
                runtime.block_on(async move {
                    match tokio::net::TcpListener::from_std(listener) {
                        Ok(listener) => {
                            let _ = ready_tx.send(Ok(()));
                            tokio::spawn(async move {
                                let _ = axum::serve(listener, app).await;
                            });
                            // Returning drops the runtime, which ends the server.
                            let _ = stopped.await;
                        }
                        Err(error) => {
                            let _ = ready_tx.send(Err(error));
                        }
                    }
                });
            })?;
        ready_rx
            .recv()
            .map_err(|_| std::io::Error::other("the emulator thread ended early"))??;
        Ok(Emulator {
            addr,
            auth_base: format!("http://{addr}"),
            shared,
            stop: Some(stop),
            thread: Some(thread),
        })
    }
}

/// The refusal of a seeded or inserted user ([`EmulatorBuilder::start`],
/// [`Emulator::try_insert_user`]): [`std::io::ErrorKind::InvalidInput`] with `reason` as its
/// text.
pub(super) fn seed_refused(reason: String) -> std::io::Error {
    std::io::Error::new(std::io::ErrorKind::InvalidInput, reason)
}
