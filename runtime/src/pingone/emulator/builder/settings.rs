//! [`EmulatorBuilder`]'s settings: the credentials, the environment and its users, the
//! request log, paging, the rate limit, the faults and the port.

use std::num::NonZeroU32;
use std::time::Duration;

use serde_json::Value;

use crate::pingone::ClientAuthMethod;

use super::super::RandomFaults;
use super::EmulatorBuilder;

impl EmulatorBuilder {
    /// The bearer token the emulator accepts ([`DEFAULT_TOKEN`] by default).
    ///
    /// [`DEFAULT_TOKEN`]: super::super::DEFAULT_TOKEN
    #[must_use]
    pub fn token(mut self, token: impl Into<String>) -> Self {
        self.token = token.into();
        self
    }

    /// The worker application whose client credentials the token endpoint accepts
    /// ([`DEFAULT_CLIENT_ID`] and [`DEFAULT_CLIENT_SECRET`] by default).
    ///
    /// [`DEFAULT_CLIENT_ID`]: super::super::DEFAULT_CLIENT_ID
    /// [`DEFAULT_CLIENT_SECRET`]: super::super::DEFAULT_CLIENT_SECRET
    #[must_use]
    pub fn worker(
        mut self,
        client_id: impl Into<String>,
        client_secret: impl Into<String>,
    ) -> Self {
        self.worker = (client_id.into(), client_secret.into());
        self
    }

    /// Holds the worker application to one token endpoint authentication method, as PingOne
    /// holds an application to its `tokenEndpointAuthMethod`: a token request that
    /// authenticates the other way (HTTP Basic for [`ClientAuthMethod::Post`], the form's
    /// `client_secret` for [`ClientAuthMethod::Basic`]) gets 401 `invalid_client`,
    /// "Unsupported authentication method", PingOne's answer, whatever its credentials.
    /// Without it (the default) either method is taken, so a client set to the wrong one
    /// passed against the emulator and failed against PingOne.
    ///
    /// ```
    /// use sparse_patch::pingone::emulator::Emulator;
    /// use sparse_patch::pingone::{Client, ClientAuthMethod, Error, RetryPolicy, TokenSource};
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let emulator = Emulator::builder().worker_auth_method(ClientAuthMethod::Post).start()?;
    /// let client = |method| {
    ///     Client::builder()
    ///         .api_base_url(emulator.api_base_url())
    ///         .auth_base_url(emulator.auth_base_url())
    ///         .token(
    ///             TokenSource::client_credentials(
    ///                 emulator.environment_id(),
    ///                 emulator.client_id(),
    ///                 emulator.client_secret(),
    ///             )
    ///             .auth_method(method),
    ///         )
    ///         .retry_policy(RetryPolicy::never())
    ///         .build()
    /// };
    /// let (env, id) = (emulator.environment_id(), emulator.user_id());
    /// // HTTP Basic, the client's default, is the other method: refused.
    /// let error = client(ClientAuthMethod::Basic)?.get_user(env, id).await.unwrap_err();
    /// assert!(matches!(&error, Error::Token { status: 401, code, .. } if code == "invalid_client"));
    /// assert!(error.to_string().contains("Unsupported authentication method"), "{error}");
    /// client(ClientAuthMethod::Post)?.get_user(env, id).await?;
    /// # Ok(())
    /// # }
    /// ```
    #[must_use]
    pub fn worker_auth_method(mut self, method: ClientAuthMethod) -> Self {
        self.worker_auth_method = Some(method);
        self
    }

    /// Gives the tokens that the token endpoint issues a life of `lifetime`, as PingOne's
    /// tokens have (`expires_in`, one hour by default; see the reference notes'
    /// "Regions and tokens"): each fetch then gets a token of its own, which the users
    /// endpoints refuse once its life has ended, or once
    /// [`Emulator::revoke_issued_tokens`] ended it, with 401 `ACCESS_FAILED` (detail
    /// `INVALID_TOKEN`), so that a client's refresh of its worker token can be tried.
    /// The answer's `expires_in` is `lifetime` in whole seconds, rounded down.
    ///
    /// Without it (the default), the endpoint answers the emulator's own
    /// [`token`](Self::token), with an `expires_in` of [`TOKEN_LIFETIME_SECONDS`] that is
    /// never enforced. The emulator's own token is accepted either way.
    ///
    /// [`Emulator::revoke_issued_tokens`]: super::Emulator::revoke_issued_tokens
    /// [`TOKEN_LIFETIME_SECONDS`]: super::super::TOKEN_LIFETIME_SECONDS
    #[must_use]
    pub fn token_lifetime(mut self, lifetime: Duration) -> Self {
        self.token_lifetime = Some(lifetime);
        self
    }

    /// The environment that holds the users ([`REFERENCE_ENVIRONMENT_ID`] by default): a UUID,
    /// as the client sends only those ([`start`](Self::start) refuses anything else).
    ///
    /// [`REFERENCE_ENVIRONMENT_ID`]: super::super::REFERENCE_ENVIRONMENT_ID
    #[must_use]
    pub fn environment_id(mut self, environment_id: impl Into<String>) -> Self {
        self.environment_id = environment_id.into();
        self
    }

    /// Removes every seeded user, the reference user included.
    #[must_use]
    pub fn no_users(mut self) -> Self {
        self.users.clear();
        self
    }

    /// Adds a user document (a JSON object whose `id` is a UUID, as PingOne's are). Its
    /// `environment.id` is set to the emulator's environment, and the attributes that PingOne
    /// sets when it creates a user are added where it leaves them out (`createdAt`, `enabled`,
    /// `lifecycle`, `population`...: see the [module's documentation]). [`start`](Self::start) refuses
    /// a user that the client could not reach or write back: see its errors.
    ///
    /// [module's documentation]: super::super
    #[must_use]
    pub fn user(mut self, user: Value) -> Self {
        self.users.push(user);
        self
    }

    /// An attribute (top-level name, or a dotted path such as `name.given`) that the token may
    /// not update: a PATCH that holds it gets 403.
    #[must_use]
    pub fn forbid(mut self, attribute: impl Into<String>) -> Self {
        self.forbidden.insert(attribute.into());
        self
    }

    /// Declares the environment's custom attributes: others are then ignored, as PingOne
    /// ignores attributes its schema lacks. Without a declaration, any valid custom attribute
    /// name is accepted (but a core attribute's name in another case, such as `userName` or
    /// `Email`, which is ignored). Members of `name`, `address` and `photo` that the schema
    /// lacks (such as SCIM's `address.country`) are ignored either way: custom attributes are
    /// top-level attributes of the user.
    #[must_use]
    pub fn custom_attributes<I, S>(mut self, names: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.custom_attributes = Some(names.into_iter().map(Into::into).collect());
        self
    }

    /// Whether the emulator keeps every request for [`Emulator::requests`] (`true` by
    /// default). Turn it off for load tests: each kept request holds its headers and body, so
    /// the log grows with the number of requests (about 1 KiB each), while without it the
    /// emulator's memory depends only on its users.
    ///
    /// [`Emulator::requests`]: super::Emulator::requests
    #[must_use]
    pub fn record_requests(mut self, record: bool) -> Self {
        self.record_requests = record;
        self
    }

    /// The largest page a user list answers (200 by default, as PingOne), whatever `limit`
    /// asks: a smaller one plays PingOne answering "a page size smaller than the limit",
    /// which a client must follow by `_links.next`, not by counting. At least 1.
    #[must_use]
    pub fn max_page_size(mut self, size: usize) -> Self {
        self.max_page_size = size.max(1);
        self
    }

    /// Answers 429 `REQUEST_LIMITED` with a `Retry-After` (whole seconds, at least 1) to
    /// requests to the users endpoints past a rate of `requests_per_second`, as PingOne does
    /// past its rate limits; off by default. `0` turns it off.
    ///
    /// The limit is a bucket of `requests_per_second` requests that refills at
    /// `requests_per_second` per second (GCRA, `governor`): that many may come at once, then
    /// one every `1 / requests_per_second` s. The long-run rate is the limit, but a second
    /// that starts with a full bucket holds up to `2 * requests_per_second - 1` requests: it
    /// is not a window of `requests_per_second` in any second.
    #[must_use]
    pub fn rate_limit(mut self, requests_per_second: u32) -> Self {
        self.rate_limit = NonZeroU32::new(requests_per_second);
        self
    }

    /// The `Retry-After`, in whole seconds, of a 429 injected as
    /// [`Fault::Status(429)`] or [`Fault::ApiError`] (by
    /// [`Emulator::inject`] and its kin, or drawn by [`random_faults`](Self::random_faults)):
    /// 1 by default (a short wait, as PingOne's rate limits are per second). PingOne's 429 carries a `Retry-After`
    /// in seconds, which a client waits out; before, an injected 429 came without one, and a
    /// client's handling of it was not tried. `0` sends `Retry-After: 0`, which asks for no
    /// wait. [`Fault::RateLimited`] gives a value of its own (seconds or an HTTP date), and
    /// the [`rate_limit`](Self::rate_limit)'s 429 the wait until its bucket has room.
    ///
    /// [`Emulator::inject`]: super::Emulator::inject
    /// [`Fault::Status(429)`]: super::super::Fault::Status
    /// [`Fault::ApiError`]: super::super::Fault::ApiError
    /// [`Fault::RateLimited`]: super::super::Fault::RateLimited
    #[must_use]
    pub fn fault_retry_after(mut self, seconds: u64) -> Self {
        self.fault_retry_after = seconds;
        self
    }

    /// Gives random faults ([`RandomFaults`]) to requests that find no queued fault, for chaos
    /// tests; off by default.
    #[must_use]
    pub fn random_faults(mut self, faults: RandomFaults) -> Self {
        self.random_faults = Some(faults);
        self
    }

    /// The port to listen on, on `127.0.0.1` (0 by default: an ephemeral port the system
    /// picks, so that tests can run side by side).
    #[must_use]
    pub fn port(mut self, port: u16) -> Self {
        self.port = port;
        self
    }
}
