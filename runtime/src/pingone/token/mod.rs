//! [`TokenSource`]: a static bearer token, or a worker application's client credentials
//! exchanged for tokens that are cached and refreshed.

use core::fmt;
use std::time::Duration;

use super::ClientAuthMethod;
use super::Error;
use super::ids::check_id;
use super::secret::Secret;

mod cache;
mod request;
mod response;
#[cfg(test)]
mod tests;

pub(crate) use cache::TokenProvider;

/// Where the client gets the access token that it sends as `Authorization: Bearer`.
///
/// `Debug` shows the kind of source and the client ID, never the token or the secret.
///
/// Source: PingOne Platform API, "Get a token" for worker applications
/// (<https://apidocs.pingidentity.com/pingone/platform/v1/api/#post-token-admin-app-client_credentials>).
///
/// ```
/// use sparse_patch::pingone::TokenSource;
///
/// let source = TokenSource::client_credentials(
///     "abfba8f6-49eb-49f5-a5d9-80ad5c98f9f6",
///     "my-worker-app",
///     "very-secret",
/// );
/// assert!(!format!("{source:?}").contains("very-secret"));
/// assert!(!format!("{:?}", TokenSource::bearer("eyJhbGciOi")).contains("eyJhbGciOi"));
/// ```
#[cfg(feature = "client")]
#[derive(Clone)]
pub struct TokenSource(pub(crate) Kind);

#[derive(Clone)]
pub(crate) enum Kind {
    Static(Secret),
    Worker {
        environment_id: String,
        client_id: String,
        client_secret: Secret,
        method: ClientAuthMethod,
    },
}

impl TokenSource {
    /// A fixed access token, sent as it is on every request. It must be an RFC 6750 §2.1
    /// bearer token (letters, digits, `-._~+/`, then `=` padding, as a JWT is):
    /// [`ClientBuilder::build`](super::ClientBuilder::build) refuses one with anything else,
    /// such as the quotes of the JSON it was copied from, the `Bearer ` scheme of the header
    /// it was copied from or the line break of the file it was read from (trim it), with
    /// [`Error::Config`].
    ///
    /// **It is never renewed.** PingOne's access tokens expire (an hour by default), after
    /// which every call is [`Error::Api`] 401 (`INVALID_TOKEN`, "The access token is missing,
    /// expired or invalid."), and the client cannot fetch another: a job that runs for long,
    /// or again later, uses a worker application's credentials,
    /// [`client_credentials`](TokenSource::client_credentials), which the client renews
    /// before they expire and after a 401.
    #[must_use]
    pub fn bearer(access_token: impl Into<String>) -> Self {
        TokenSource(Kind::Static(Secret::new(access_token.into())))
    }

    /// A worker application's client credentials: the client fetches a token from
    /// `POST {auth}/{environment_id}/as/token` (`grant_type=client_credentials`, asking for
    /// JSON with `Accept: application/json`), caches it,
    /// and fetches a new one shortly before it expires. Concurrent calls share one fetch, and
    /// its error if it fails, whatever runtime each runs on, but for a fetch running on
    /// another runtime's `current_thread` task (which runs only inside that runtime's
    /// `block_on`): a call does not wait for it, and fetches its own. A later call fetches
    /// again, once the `Retry-After` of the answer that ended the failed fetch (a 429 or 503 most often) is over, and once [`REFUSAL_HOLD`] is over
    /// after an answer that no retry can fix (a 401 `invalid_client` for a wrong secret, a
    /// 400 `unauthorized_client`): until then it gets that answer again without a request,
    /// [`Error::Token`] whose `remembered_for` says when the next request is sent (so that a
    /// sync job over a long feed with a wrong secret sends one token request every few
    /// seconds, not one per line). A refresh does not hold up the
    /// other calls, nor does its failure fail them, while the old token is still usable (see
    /// [`ClientBuilder::refresh_before`](super::ClientBuilder::refresh_before)). Each attempt
    /// of a call (its retries too) sends the token of the moment. A token that PingOne refuses
    /// with 401 before its time (revoked) is dropped, and the call is sent again once with a
    /// fresh token (one fetch for all the calls refused at once); a second 401 is the call's
    /// answer, [`Error::Api`], and the fresh token is kept: for [`REFUSAL_HOLD`] a 401 is every
    /// call's answer without another fetch. A token response whose
    /// `token_type` is not `Bearer` (in any case) is refused with [`Error::Decode`]: the
    /// client sends bearer tokens only (RFC 6749 §7.1). Its `expires_in` is read as a JSON
    /// number (a float with no fraction, `3600.0`, too) or a string of digits (`"3600"`, as
    /// Azure AD's v1 endpoint wrote it), one hour when absent; a negative, fractional or other
    /// value is [`Error::Decode`] naming `expires_in`.
    ///
    /// `environment_id` is the environment that holds the worker application, which may
    /// differ from the environment whose users are changed.
    #[must_use]
    pub fn client_credentials(
        environment_id: impl Into<String>,
        client_id: impl Into<String>,
        client_secret: impl Into<String>,
    ) -> Self {
        TokenSource(Kind::Worker {
            environment_id: environment_id.into(),
            client_id: client_id.into(),
            client_secret: Secret::new(client_secret.into()),
            method: ClientAuthMethod::Basic,
        })
    }

    /// Sets how a worker application authenticates ([`ClientAuthMethod::Basic`] by default):
    /// to the method that its `tokenEndpointAuthMethod` names, since PingOne answers the other
    /// one 401 `invalid_client`, "Unsupported authentication method" (an [`Error::Token`]
    /// whose text names this setting). No effect on a static token.
    #[must_use]
    pub fn auth_method(mut self, auth: ClientAuthMethod) -> Self {
        if let Kind::Worker { method, .. } = &mut self.0 {
            *method = auth;
        }
        self
    }

    /// Checks the source when the client is built: a static token must be able to travel in
    /// an `Authorization` header; a worker needs an auth host (`has_auth_base`), an environment
    /// ID that is a UUID, and a client ID and secret that are not empty.
    ///
    /// # Errors
    ///
    /// [`Error::Config`] saying which of these fails.
    pub(crate) fn check(&self, has_auth_base: bool) -> Result<(), Error> {
        match &self.0 {
            Kind::Static(token) => {
                let token = token.expose();
                if !is_bearer_token(token) {
                    // A token read from a file or a variable with its line break
                    // (`read_to_string` keeps a file's final newline): say to trim it.
                    let trimmed = token.trim();
                    if trimmed != token && is_bearer_token(trimmed) {
                        return Err(Error::Config(
                            "the access token has white space around it (a line break read \
                             with it from a file or a variable): trim it, \
                             `TokenSource::bearer(token.trim())`"
                                .into(),
                        ));
                    }
                    // A token copied with its header's scheme (`Bearer eyJ...`, from a browser's
                    // network panel or a curl command) is the commonest case: say so.
                    // Or with the whole header (`Authorization: Bearer eyJ...`).
                    let header = token
                        .get(..14)
                        .filter(|name| name.eq_ignore_ascii_case("authorization:"))
                        .map(|_| &token[14..]);
                    let scheme = header
                        .unwrap_or(token)
                        .trim_start()
                        .split_once(' ')
                        .is_some_and(|(scheme, rest)| {
                            scheme.eq_ignore_ascii_case("bearer") && is_bearer_token(rest.trim())
                        });
                    return Err(Error::Config(if scheme {
                        format!(
                            "the access token starts with {}: give the token alone, which the \
                             client sends after it",
                            if header.is_some() {
                                "the header \"Authorization: Bearer \""
                            } else {
                                "the scheme \"Bearer \""
                            }
                        )
                    } else {
                        format!("the access token is empty or {NOT_A_BEARER_TOKEN}")
                    }));
                }
            }
            Kind::Worker {
                environment_id,
                client_id,
                client_secret,
                ..
            } => {
                if !has_auth_base {
                    return Err(Error::Config(
                        "worker credentials need a region (`ClientBuilder::region`), an auth base URL (`ClientBuilder::auth_base_url`) or a token URL (`ClientBuilder::token_url`)".into(),
                    ));
                }
                // The check's own text, without `InvalidInput`'s "invalid input: " inside
                // `Config`'s "invalid configuration: ".
                check_id("the worker's environment ID", environment_id).map_err(
                    |error| match error {
                        Error::InvalidInput(text) => Error::Config(text),
                        other => other,
                    },
                )?;
                if client_id.is_empty() || client_secret.expose().is_empty() {
                    return Err(Error::Config(
                        "the client ID and the client secret must not be empty".into(),
                    ));
                }
            }
        }
        Ok(())
    }

    pub(crate) fn is_worker(&self) -> bool {
        matches!(self.0, Kind::Worker { .. })
    }
}

impl fmt::Debug for TokenSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0 {
            Kind::Static(token) => f.debug_tuple("Bearer").field(token).finish(),
            Kind::Worker {
                environment_id,
                client_id,
                client_secret,
                method,
            } => f
                .debug_struct("ClientCredentials")
                .field("environment_id", environment_id)
                .field("client_id", client_id)
                .field("client_secret", client_secret)
                .field("method", method)
                .finish(),
        }
    }
}

/// What [`is_bearer_token`] refuses, as errors say it.
const NOT_A_BEARER_TOKEN: &str = "holds characters a bearer token cannot (RFC 6750 §2.1: \
     letters, digits, - . _ ~ + /, then = padding; quotes, spaces, commas or an ellipsis \
     copied with it are not part of it)";

/// Whether `token` can be sent as `Authorization: Bearer {token}`: RFC 6750 §2.1's
/// `b64token`, one or more of `A-Z a-z 0-9 - . _ ~ + /` followed by any `=`. A header could
/// carry more (quotes, commas, bytes past ASCII), and a token pasted with the quotes of the
/// JSON it was copied from, or cut with an ellipsis, was sent and refused with 401 on every
/// call.
fn is_bearer_token(token: &str) -> bool {
    let body = token.trim_end_matches('=');
    !body.is_empty()
        && body
            .bytes()
            .all(|byte| byte.is_ascii_alphanumeric() || b"-._~+/".contains(&byte))
}

/// Five seconds: how long a worker's token request that no retry can fix (a 401 `invalid_client`: a wrong
/// secret or client ID; a 400 `unauthorized_client`; an [`Error::Token`] of any status but
/// 408, 429, 500, 502, 503 and 504) is remembered: until then, every call that needs a token
/// gets that answer again ([`Error::Token`] with `remembered_for` saying when the next
/// request is sent) without a request. A 2xx whose body is no token response (a proxy's
/// sign-in page at the token URL, a `token_type` other than `Bearer`: [`Error::Decode`]) is
/// remembered as long, and given again as that `Error::Decode` (which has no
/// `remembered_for`; it stops a sync job as such a refusal does). Asked again at once, the token endpoint answers the same: a sync job sent one
/// token request per line, and a 10,000-line feed with a wrong secret hammered it 10,000
/// times (as OAuth clients do that get the account locked or the IP rate limited). Short
/// enough that credentials fixed on PingOne's side (an application enabled, a grant type
/// allowed) are tried again soon; a [`TokenSource`] with other credentials is a new client,
/// which asks at once.
#[cfg(feature = "client")]
pub const REFUSAL_HOLD: Duration = Duration::from_secs(5);
