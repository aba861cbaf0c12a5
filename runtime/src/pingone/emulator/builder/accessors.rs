//! What a test reads of a running [`Emulator`] to reach it: its address and base URLs, the
//! credentials and token it accepts, the tokens it issued, its environment and user.

use std::net::SocketAddr;

use super::super::REFERENCE_USER_ID;
use super::Emulator;

impl Emulator {
    /// The address the emulator listens on (`127.0.0.1` and an ephemeral port).
    #[must_use]
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The auth base URL to give the client for worker credentials, `http://127.0.0.1:{port}`:
    /// the emulator serves `POST /{environmentID}/as/token` there.
    #[must_use]
    pub fn auth_base_url(&self) -> &str {
        &self.auth_base
    }

    /// The worker application's client ID that the token endpoint accepts.
    #[must_use]
    pub fn client_id(&self) -> &str {
        &self.shared.worker.0
    }

    /// The worker application's client secret that the token endpoint accepts.
    #[must_use]
    pub fn client_secret(&self) -> &str {
        &self.shared.worker.1
    }

    /// The API base URL to give the client, `http://127.0.0.1:{port}/v1`.
    #[must_use]
    pub fn api_base_url(&self) -> &str {
        &self.shared.base
    }

    /// The bearer token the emulator accepts.
    #[must_use]
    pub fn token(&self) -> &str {
        &self.shared.token
    }

    /// Ends the life of every token that the token endpoint issued so far, as a revocation
    /// or a rotation of the signing key does: the users endpoints refuse them with 401
    /// `ACCESS_FAILED` (detail `INVALID_TOKEN`) from now on, and a worker fetches a new one.
    /// Returns how many were still accepted. Only an emulator built with
    /// [`EmulatorBuilder::token_lifetime`] issues tokens of their own: without it, this
    /// returns 0 and the emulator's own token stays accepted.
    ///
    /// [`EmulatorBuilder::token_lifetime`]: super::EmulatorBuilder::token_lifetime
    pub fn revoke_issued_tokens(&self) -> usize {
        self.shared.issued_tokens.revoke_all()
    }

    /// How many requests its token endpoint has answered so far, tokens and errors alike
    /// (they are not among [`requests`](Emulator::requests)): a client with a wrong secret
    /// should not ask once per call.
    #[must_use]
    pub fn token_requests(&self) -> usize {
        self.shared
            .token_requests
            .load(std::sync::atomic::Ordering::Relaxed)
    }

    /// The emulator's environment ID.
    #[must_use]
    pub fn environment_id(&self) -> &str {
        &self.shared.environment_id
    }

    /// The reference user's ID, [`REFERENCE_USER_ID`].
    #[must_use]
    pub fn user_id(&self) -> &str {
        REFERENCE_USER_ID
    }
}
