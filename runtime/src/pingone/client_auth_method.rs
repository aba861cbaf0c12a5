//! [`ClientAuthMethod`]: how a worker application authenticates to the token endpoint, which
//! the client sends and the emulator can insist on.

/// How the worker application authenticates to the token endpoint (RFC 6749 §2.3.1): its
/// token endpoint authentication method, which PingOne sets per application
/// (`tokenEndpointAuthMethod`) and holds it to, answering the other one 401 `invalid_client`
/// ("Unsupported authentication method"). The client sends the one `TokenSource::auth_method`
/// sets (feature `client`); the emulator takes either, or the one its worker is held to,
/// `EmulatorBuilder::worker_auth_method` (feature `emulator`).
///
/// Source: PingOne, "Token endpoint authentication methods"
/// (<https://docs.pingidentity.com/pingone/applications/p1_token_endpoint_authentication_methods.html>).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum ClientAuthMethod {
    /// `CLIENT_SECRET_BASIC`: HTTP Basic authentication (the PingOne default for workers).
    #[default]
    Basic,
    /// `CLIENT_SECRET_POST`: `client_id` and `client_secret` in the form body.
    Post,
}
