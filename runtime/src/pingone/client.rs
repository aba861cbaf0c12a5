//! [`Client`] and [`ClientBuilder`]: PATCH and GET of PingOne users.

use core::fmt;
use std::num::NonZeroU32;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use reqwest::header::{ACCEPT, CONTENT_TYPE, HeaderValue};
use serde::Serialize;
use serde::de::DeserializeOwned;
use tracing::Instrument as _;

use super::http_client::{HttpSettings, ProxyUrl, RootCertificatePem};
use super::ids::check_id;
use super::runtime_pools::RuntimePools;
use super::scim_retry::is_repeatable;
use super::secret::Secret;
use super::token::TokenProvider;
use super::transport::{Answer, Transport, rate_limiter};
use super::{Correlation, Error, Region, RetryPolicy, TokenSource, preflight};
use crate::{Patch, SCIM_PATCH_CONTENT_TYPE, ScimPatch};

/// What a call's `tracing` span says of its URL: the path template, such as
/// `/environments/{environmentID}/users/{userID}`, and the environment (never a user's ID).
#[derive(Clone, Copy)]
pub(super) struct Route<'a> {
    pub(super) template: &'static str,
    pub(super) environment: &'a str,
}

impl<'a> Route<'a> {
    /// `/environments/{environmentID}/users/{userID}`.
    pub(super) fn user(environment: &'a str) -> Self {
        Route {
            template: "/environments/{environmentID}/users/{userID}",
            environment,
        }
    }
}

/// The `User-Agent` sent unless [`ClientBuilder::user_agent`] says otherwise.
pub const DEFAULT_USER_AGENT: &str = concat!("sparse-patch/", env!("CARGO_PKG_VERSION"));

/// Sends typed JSON merge patches (RFC 7396) to the PingOne users API, and reads users.
///
/// `Clone + Send + Sync`, and cheap to clone: one connection pool, token cache and rate
/// limiter behind an `Arc`, shared by every clone, so one client can serve a whole
/// application from any task or thread (a compile-time assertion keeps it so).
///
/// # Runtimes
///
/// Calls run on tokio: poll them inside a tokio runtime whose IO and time drivers are
/// enabled (`#[tokio::main]`, `#[tokio::test]`, or `Builder::enable_all()`).
///
/// - **Any number of runtimes.** One client (a clone, or one kept in a `static`) may serve
///   several runtimes, one after another or at once: each `#[tokio::test]` of a suite, a
///   runtime per thread, tasks spawned with `tokio::spawn`, `spawn_blocking` threads that
///   `Handle::block_on`. The HTTP client built here keeps **one connection pool per
///   runtime**, built on the runtime's first call and dropped when the runtime shuts down
///   (dropped, or [`shutdown_timeout`](tokio::runtime::Runtime::shutdown_timeout)): a
///   connection is a task of the runtime that opened it, so a call never waits on a
///   connection of a runtime that is idle, nor fails on one of a runtime that is gone (peer
///   clients sharing one pool answer "dispatch task is gone: runtime dropped the dispatch
///   task", or wait out their timeout). The token cache and the rate limiter are shared by
///   all. A runtime's first call spawns one idle task on it, which holds its pool's place
///   until the runtime shuts down or the client (with every clone) is dropped.
/// - **An HTTP client of your own** ([`ClientBuilder::http_client`]) has one pool for every
///   runtime, as you built it: use the client from one runtime, or give each runtime a
///   client of its own.
/// - **Outside a tokio runtime** (`futures::executor::block_on`, async-std, smol, a thread
///   that did not enter a runtime) a call is [`Error::NoRuntime`], and nothing is sent.
///   Polled by another executor on a thread that entered a runtime (`Runtime::enter`), a
///   call runs on that runtime's IO and timers: a multi-thread runtime drives them on its
///   workers, but a `current_thread` runtime only inside its `block_on`, so there the call
///   waits (its timeout is one of those timers) until the runtime is driven.
/// - **A runtime without its time or IO driver** (`new_current_thread()` with only
///   `enable_io()` or only `enable_time()`): tokio panics in the call ("A Tokio 1.x context
///   was found, but timers are disabled" / "... but IO is disabled"), and offers no way to
///   tell beforehand. Build it with `enable_all()`.
/// - **A worker token fetch** is made by the call that needs it, on that call's runtime,
///   while the calls of every runtime that need a token wait for it: a call left
///   mid-fetch in a task of a `current_thread` runtime that is not running (a thread between
///   two `block_on`s) holds them until that runtime runs again or is dropped.
/// - **Dropping** the client, a [`list_users`](Client::list_users) stream or a sync job's
///   stream is fine anywhere: in a task, outside any runtime, after its runtime shut down.
///   The streams are `Send + 'static` and borrow none of their arguments (the client, the
///   environment ID, the query, the job), so they move into `tokio::spawn` as they are; a
///   call's future is `Send` and borrows its arguments (spawn an `async move` block that owns
///   them).
///
/// Source: PingOne Platform API, "Update User (PATCH)" and "Read One User"
/// (<https://apidocs.pingidentity.com/pingone/platform/v1/api/#patch-update-user>).
///
/// # Examples
///
/// Against the embedded emulator (feature `emulator`):
///
/// ```
/// use sparse_patch::pingone::{Client, TokenSource, User, UserPatch, PhotoPatch, emulator::Emulator};
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let emulator = Emulator::start()?;
/// let client = Client::builder()
///     .api_base_url(emulator.api_base_url())
///     .token(TokenSource::bearer(emulator.token()))
///     .build()?;
/// let patch = UserPatch::new().photo(PhotoPatch::new().href("https://example.com/me.png"));
/// let user = client
///     .update_user(emulator.environment_id(), emulator.user_id(), &patch)
///     .await?;
/// assert_eq!(user.photo.unwrap().href, "https://example.com/me.png");
/// # Ok(())
/// # }
/// ```
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
    /// The correlation IDs sent with each request: the client's, or a call's
    /// ([`Client::with_correlation`]).
    correlation: Arc<Correlation>,
    /// A call's consistency window ([`Client::with_consistency_window`]), over the policy's.
    consistency_window: Option<Duration>,
}

// Fails to compile if `Client` ever stops being cheap to share across tasks and threads.
const _: () = {
    const fn shareable<T: Clone + Send + Sync + 'static>() {}
    shareable::<Client>();
};

struct Inner {
    api_base: String,
    transport: Transport,
    tokens: TokenProvider,
    /// Whether a patch is checked against PingOne's rules before it is sent.
    preflight: bool,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("api_base_url", &self.inner.api_base)
            .field("tokens", &self.inner.tokens)
            .field("timeout", &self.inner.transport.timeout())
            .field("retry", self.inner.transport.retry())
            .field("correlation", &self.correlation)
            .field("preflight", &self.inner.preflight)
            .field("consistency_window", &self.consistency_window)
            .finish()
    }
}

/// Configures a [`Client`]; see [`Client::builder`].
///
/// # The HTTP client
///
/// The client sends over one of two HTTP clients:
///
/// - **One built by [`build`](ClientBuilder::build)** (the default): reqwest over rustls with
///   the `ring` crypto provider, given to rustls explicitly (the process-wide default provider
///   is neither read nor installed, so other libraries may install theirs in any order), and
///   the system's trust store (rustls-platform-verifier, as reqwest's own rustls setup),
///   HTTP/1.1. [`add_root_certificate`](ClientBuilder::add_root_certificate),
///   [`proxy`](ClientBuilder::proxy) and [`connect_timeout`](ClientBuilder::connect_timeout)
///   configure it. Without [`proxy`](ClientBuilder::proxy) it honours the environment's
///   proxies, read when the client is built: `HTTPS_PROXY` for `https` URLs, `HTTP_PROXY` for
///   `http` URLs, `ALL_PROXY` for both, and `NO_PROXY` (curl's rules: host names, domain
///   suffixes, IP addresses and CIDR ranges, `*`) for the hosts that go direct; the lower-case
///   names too. `HTTP_PROXY` is ignored when `REQUEST_METHOD` is set (CGI, "httpoxy").
/// - **Your own `reqwest::Client`** ([`http_client`](ClientBuilder::http_client)): its pool,
///   TLS, trust store, proxies, timeouts and default headers hold, as you built it. The three
///   settings above would not reach it, so setting any of them with it is an
///   [`Error::Config`].
///
/// Either way the per-attempt [`timeout`](ClientBuilder::timeout) and the
/// [`user_agent`](ClientBuilder::user_agent) are set on each request (winning over a
/// client's own `timeout` and `User-Agent`), and retries, tokens, correlation IDs, the rate
/// limit and pre-flight checks work the same.
///
/// Sources: reqwest 0.13's `ClientBuilder::tls_backend_preconfigured`, `proxy` and `Proxy`
/// (<https://docs.rs/reqwest/0.13/reqwest/struct.Proxy.html>: the environment's variables),
/// rustls's cryptography providers
/// (<https://docs.rs/rustls/0.23/rustls/#cryptography-providers>), and
/// rustls-platform-verifier (<https://docs.rs/rustls-platform-verifier/0.7>).
///
/// `Debug` shows no secret: not the token or the client secret, nor the proxy URL, nor
/// credentials in a base or token URL (which [`build`](ClientBuilder::build) refuses), nor an
/// HTTP client of your own (whose `Debug` lists its default headers, an `Authorization`
/// among them), of which it says only that there is one.
#[derive(Clone)]
pub struct ClientBuilder {
    region: Option<Region>,
    api_base_url: Option<String>,
    auth_base_url: Option<String>,
    token_url: Option<String>,
    token: Option<TokenSource>,
    timeout: Duration,
    retry: RetryPolicy,
    user_agent: String,
    refresh_before: Duration,
    correlation: Correlation,
    rate_limit: Option<u32>,
    preflight: bool,
    http_client: Option<reqwest::Client>,
    root_certificates: Vec<RootCertificatePem>,
    proxy: Option<ProxyUrl>,
    connect_timeout: Option<Duration>,
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let ClientBuilder {
            region,
            api_base_url,
            auth_base_url,
            token_url,
            token,
            timeout,
            retry,
            user_agent,
            refresh_before,
            correlation,
            rate_limit,
            preflight,
            http_client,
            root_certificates,
            proxy,
            connect_timeout,
        } = self;
        f.debug_struct("ClientBuilder")
            .field("region", region)
            .field("api_base_url", &api_base_url.as_deref().map(ShownUrl))
            .field("auth_base_url", &auth_base_url.as_deref().map(ShownUrl))
            .field("token_url", &token_url.as_deref().map(ShownUrl))
            .field("token", token)
            .field("timeout", timeout)
            .field("retry", retry)
            .field("user_agent", user_agent)
            .field("refresh_before", refresh_before)
            .field("correlation", correlation)
            .field("rate_limit", rate_limit)
            .field("preflight", preflight)
            .field("own_http_client", &http_client.is_some())
            .field("root_certificates", root_certificates)
            .field("proxy", proxy)
            .field("connect_timeout", connect_timeout)
            .finish()
    }
}

impl Default for ClientBuilder {
    fn default() -> Self {
        ClientBuilder {
            region: None,
            api_base_url: None,
            auth_base_url: None,
            token_url: None,
            token: None,
            timeout: Duration::from_secs(30),
            retry: RetryPolicy::default(),
            user_agent: DEFAULT_USER_AGENT.to_owned(),
            refresh_before: Duration::from_secs(60),
            correlation: Correlation::new(),
            rate_limit: None,
            preflight: true,
            http_client: None,
            root_certificates: Vec::new(),
            proxy: None,
            connect_timeout: None,
        }
    }
}

impl ClientBuilder {
    /// The PingOne region: sets the API base URL and the auth host, unless they are set
    /// explicitly.
    #[must_use]
    pub fn region(mut self, region: Region) -> Self {
        self.region = Some(region);
        self
    }

    /// An explicit API base URL, such as `https://api.pingone.com/v1` or the emulator's
    /// [`api_base_url`](super::emulator::Emulator::api_base_url). Wins over the region's.
    /// A PingOne API host (`api.pingone.*`) with another path than `/v1`, such as
    /// `https://api.pingone.eu` or an environment's URL, and PingOne's auth host
    /// (`auth.pingone.*`) are refused by [`build`](ClientBuilder::build): the API path is
    /// `https://api.pingone.eu/v1`, and with another one every call would answer 404.
    #[must_use]
    pub fn api_base_url(mut self, url: impl Into<String>) -> Self {
        self.api_base_url = Some(url.into());
        self
    }

    /// An explicit auth base URL (tokens come from `{auth}/{environmentID}/as/token`). Wins
    /// over the region's.
    ///
    /// PingOne's API host (`api.pingone.*`), and its auth host (`auth.pingone.*`) with a path
    /// (such as the whole token URL, `.../{environmentID}/as/token`), are refused by
    /// [`build`](ClientBuilder::build): every token request would go to a URL PingOne does not
    /// serve. A whole token URL goes to [`token_url`](ClientBuilder::token_url).
    #[must_use]
    pub fn auth_base_url(mut self, url: impl Into<String>) -> Self {
        self.auth_base_url = Some(url.into());
        self
    }

    /// The whole URL of the token endpoint, used as it is: for a custom domain, which PingOne
    /// serves without the environment ID (`https://auth.pingone.com/{envID}/as/token` becomes
    /// `https://{customDomain}/as/token`), so that no auth base URL can name it. Wins over
    /// [`auth_base_url`](ClientBuilder::auth_base_url) and the region's auth host.
    ///
    /// Source: PingOne Platform API, "Custom Domains"
    /// (<https://developer.pingidentity.com/pingone-api/platform/custom-domains.html>).
    ///
    /// ```
    /// use sparse_patch::pingone::{Client, Region, TokenSource};
    ///
    /// let client = Client::builder()
    ///     .region(Region::Europe)
    ///     .token_url("https://auth.example.com/as/token")
    ///     .token(TokenSource::client_credentials(
    ///         "abfba8f6-49eb-49f5-a5d9-80ad5c98f9f6",
    ///         "my-worker-app",
    ///         "very-secret",
    ///     ))
    ///     .build()?;
    /// assert!(format!("{client:?}").contains("https://auth.example.com/as/token"));
    /// # Ok::<(), sparse_patch::pingone::Error>(())
    /// ```
    #[must_use]
    pub fn token_url(mut self, url: impl Into<String>) -> Self {
        self.token_url = Some(url.into());
        self
    }

    /// Where the access token comes from. Required.
    #[must_use]
    pub fn token(mut self, source: TokenSource) -> Self {
        self.token = Some(source);
        self
    }

    /// The timeout of one attempt, from sending the request to the end of the body
    /// (30 s by default). Must not be zero.
    #[must_use]
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// The retry policy ([`RetryPolicy::default`] unless set).
    #[must_use]
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// The `User-Agent` header ([`DEFAULT_USER_AGENT`] unless set).
    #[must_use]
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = user_agent.into();
        self
    }

    /// How long before its expiry a worker token is replaced (60 s by default, at most half
    /// the token's lifetime). Until half this margin before expiry the old token is still
    /// sent by the calls that do not wait for the refresh: those that come while it is under
    /// way, and every call after a refresh that failed (tried again later). The token's
    /// lifetime (`expires_in`, RFC 6749 §5.1) is counted from when its request was first
    /// sent, not from when the answer arrived: a slow or retried token request does not make
    /// the client send a token that PingOne has already ended.
    #[must_use]
    pub fn refresh_before(mut self, margin: Duration) -> Self {
        self.refresh_before = margin;
        self
    }

    /// Correlation IDs (`X-Ping-External-Transaction-ID`, `X-Ping-External-Session-ID`) sent
    /// with every request of the client to the users API, retries included (none by default);
    /// [`Client::with_correlation`] sets them for some calls. A worker token's request carries
    /// none: one fetch serves every call waiting on it.
    #[must_use]
    pub fn correlation(mut self, correlation: Correlation) -> Self {
        self.correlation = correlation;
        self
    }

    /// Sends at most `requests_per_second` requests per second, spaced evenly, across every
    /// call of the client and its clones (retries and token fetches included), waiting
    /// before a request rather than storming into 429s; off by default. A `Retry-After`
    /// wait still applies on top. Built on `governor` (GCRA) with 10 ms of credit (a burst of
    /// `requests_per_second / 100`, at least one), so that a waiter woken late does not lose
    /// its turn: the long-run rate is the limit, and no second holds more than 1 % above it.
    ///
    /// Source: PingOne Platform API, "Rate limits"
    /// (<https://apidocs.pingidentity.com/pingone/platform/v1/api/#rate-limiting>).
    #[must_use]
    pub fn rate_limit(mut self, requests_per_second: u32) -> Self {
        self.rate_limit = Some(requests_per_second);
        self
    }

    /// Whether [`Client::update_user`] checks a patch against PingOne's rules before sending
    /// it (on by default): lengths, patterns (no control, invisible format or private-use
    /// character in text that PingOne's schema pattern refuses it in), email, `countryCode`, phone numbers,
    /// `photo.href`, `null` on `username` and `email`, an attribute written twice in one
    /// object (a field and a `custom_entry` or `other_entry` of the same name, a field of a
    /// model of your own too, among the user's attributes and those of `name`, `address` and
    /// `photo`: a reader keeps either value, RFC 8259 §4), and the 16 KB profile limit
    /// ([`MAX_PROFILE_BYTES`](super::MAX_PROFILE_BYTES)). A patch that breaks them is
    /// [`Error::InvalidInput`] naming every attribute at fault, and nothing is sent. The
    /// emulator enforces the same table. The check is made while the patch is serialized (the
    /// bytes sent are those of `serde_json::to_vec`), so the JSON is not read a second time.
    /// Turn it off to let PingOne be the only judge (its rules may change before this table
    /// does).
    #[must_use]
    pub fn preflight(mut self, on: bool) -> Self {
        self.preflight = on;
        self
    }

    /// Sends with your own `reqwest::Client` (its pool, TLS, proxies and timeouts) instead
    /// of one built here; see [the HTTP client](ClientBuilder#the-http-client) for which
    /// settings then hold. The [`timeout`](ClientBuilder::timeout) and
    /// [`user_agent`](ClientBuilder::user_agent) are set on each request.
    ///
    /// sparse-patch builds reqwest with rustls and no default crypto provider: a client
    /// that reqwest configures itself needs your program to install a process default
    /// first (`rustls::crypto::ring::default_provider().install_default()`, as below), unless
    /// you give it a TLS configuration of your own (`tls_backend_preconfigured`) or enable a
    /// provider feature of reqwest in your own `Cargo.toml`. The example's `Cargo.toml` lines:
    /// `reqwest = { version = "0.13", default-features = false, features = ["rustls-no-provider"] }`
    /// (reqwest's default features bring the aws-lc-rs provider, a C library to build) and
    /// `rustls = { version = "0.23", default-features = false, features = ["ring", "std"] }`;
    /// rustls 0.23.48 and later deprecate `ring::default_provider` (no post-quantum key
    /// exchange), hence the example's `allow`.
    ///
    /// **Build it with `redirect(reqwest::redirect::Policy::none())`**, as below: PingOne's
    /// API answers no redirect, and reqwest's default policy follows them. The client cannot
    /// change your client's policy; it checks each answer's URL, and an answer that a redirect
    /// led to is [`Error::Decode`] naming that URL (a 303 followed as a GET would otherwise
    /// pass a read for the PATCH's success). By then the redirected request is sent: reqwest
    /// drops the `Authorization` header on the way to another host, but a 307 or 308 sends
    /// the body again there, the patch or (with [`ClientAuthMethod::Post`]) the client secret.
    /// A redirect loop that your client follows to its limit is [`Error::Transport`], not
    /// retried: each attempt would follow it again.
    ///
    /// Your client's one connection pool serves every tokio runtime that calls, where the
    /// client built here keeps one per runtime (see [`Client`]'s "Runtimes"): its connections
    /// are tasks of the runtime that opened them, so a call from another runtime can be given
    /// one whose runtime is idle (the call then waits for its timeout) or gone (reqwest's
    /// "dispatch task is gone"). Use such a client from one runtime, or give each runtime
    /// a client of its own.
    ///
    /// [`ClientAuthMethod::Post`]: super::ClientAuthMethod::Post
    ///
    /// ```
    /// use std::time::Duration;
    /// use sparse_patch::pingone::{Client, TokenSource};
    ///
    /// // Your program's choice, made once in `main`: an error means one is installed.
    /// #[allow(deprecated)]
    /// let _ = rustls::crypto::ring::default_provider().install_default();
    /// // A client of your own, with settings sparse-patch does not offer.
    /// let http = reqwest::Client::builder()
    ///     .redirect(reqwest::redirect::Policy::none())
    ///     .pool_max_idle_per_host(4)
    ///     .tcp_keepalive(Duration::from_secs(30))
    ///     .build()?;
    /// let client = Client::builder()
    ///     .api_base_url("https://api.pingone.eu/v1")
    ///     .token(TokenSource::bearer("token"))
    ///     .http_client(http)
    ///     .build()?;
    /// # let _ = client;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http_client = Some(client);
        self
    }

    /// Trusts the certificates of `pem` (one or more `-----BEGIN CERTIFICATE-----` blocks,
    /// such as a private CA's) besides the system's trust store, for the HTTP client built
    /// here. Can be called several times. The text is read by [`build`](ClientBuilder::build),
    /// which refuses text that is not PEM or holds no certificate.
    ///
    /// ```
    /// use sparse_patch::pingone::{Client, Error, TokenSource};
    ///
    /// let built = Client::builder()
    ///     .api_base_url("https://api.pingone.eu/v1")
    ///     .token(TokenSource::bearer("token"))
    ///     .add_root_certificate("not a certificate")
    ///     .build();
    /// assert!(matches!(built, Err(Error::Config(text)) if text.contains("root certificate 1")));
    /// ```
    #[must_use]
    pub fn add_root_certificate(mut self, pem: impl AsRef<[u8]>) -> Self {
        self.root_certificates
            .push(RootCertificatePem(pem.as_ref().to_vec()));
        self
    }

    /// Sends every request of the HTTP client built here through the proxy at `url`, an
    /// `http://` or `https://` URL that may hold the proxy's credentials
    /// (`http://user:password@proxy.example:3128`); `https` requests go through a `CONNECT`
    /// tunnel, so the proxy sees no request or token. The environment's proxy variables
    /// (`HTTPS_PROXY`, `NO_PROXY`...) then no longer apply. The URL is checked by
    /// [`build`](ClientBuilder::build), and neither `Debug` nor an error shows it.
    #[must_use]
    pub fn proxy(mut self, url: impl Into<String>) -> Self {
        self.proxy = Some(ProxyUrl(url.into()));
        self
    }

    /// The timeout of establishing a connection (TCP, a proxy's tunnel and the TLS
    /// handshake), for the HTTP client built here; none by default, the per-attempt
    /// [`timeout`](ClientBuilder::timeout) bounding it anyway. When it runs out on the last
    /// attempt, the error is [`Error::Timeout`] with this timeout. Must not be zero.
    #[must_use]
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = Some(timeout);
        self
    }

    /// Builds the client. Changes no process-wide state: the rustls crypto provider is given
    /// to the HTTP client, not installed as the process default.
    ///
    /// # Errors
    ///
    /// [`Error::Config`] when no region or API base URL is set, a URL (the token URL too) is not an absolute
    /// `http`/`https` URL without query, fragment or credentials, or is a plain `http` URL to
    /// one of PingOne's hosts (under a [`Region`]'s domain, such as `api.pingone.eu`: they
    /// serve https only, and the token or the client secret would go in clear text), the API base URL is a
    /// PingOne API host with another path than `/v1` or PingOne's auth host, no token source is set, a
    /// worker token source has no auth host, an environment ID that is not a UUID, or an empty
    /// client ID or secret, the bearer token is empty, holds white space or cannot be a header
    /// value, the user agent cannot be a header value, the timeout, the connect timeout or the rate
    /// limit is zero, a root certificate is not PEM or not a usable CA certificate, the proxy
    /// URL is not an `http`/`https` URL, [`http_client`](ClientBuilder::http_client) is set
    /// together with a setting it would ignore, or the system's trust store cannot be read
    /// while no root certificate is added.
    pub fn build(self) -> Result<Client, Error> {
        let api_base = match (&self.api_base_url, self.region) {
            (Some(url), _) => check_api_path(check_base_url("API base URL", url)?)?,
            (None, Some(region)) => region.api_base_url().to_owned(),
            (None, None) => {
                return Err(Error::Config(
                    "set a region or an API base URL (api_base_url)".into(),
                ));
            }
        };
        let auth_base = match (&self.auth_base_url, self.region) {
            (Some(url), _) => Some(check_auth_path(check_base_url("auth base URL", url)?)?),
            (None, Some(region)) => Some(region.auth_base_url().to_owned()),
            (None, None) => None,
        };
        let source = self.token.ok_or_else(|| {
            Error::Config("set a token source: TokenSource::bearer or client_credentials".into())
        })?;
        // Checked as a base URL is, but used as it is: not trimmed of a final `/`, which a
        // token endpoint's route may need.
        let token_url = self
            .token_url
            .as_deref()
            .map(|url| {
                check_base_url("token URL", url)?;
                reqwest::Url::parse(url)
                    .map(String::from)
                    .map_err(|error| Error::Config(format!("the token URL {url:?}: {error}")))
            })
            .transpose()?;
        source.check(auth_base.is_some() || token_url.is_some())?;
        let limiter = match self.rate_limit.map(NonZeroU32::new) {
            None => None,
            Some(Some(rate)) => Some(rate_limiter(rate)),
            Some(None) => {
                return Err(Error::Config(
                    "the rate limit must be at least 1 request per second".into(),
                ));
            }
        };
        if self.timeout.is_zero() {
            return Err(Error::Config("the timeout must not be zero".into()));
        }
        let Ok(user_agent) = HeaderValue::from_str(&self.user_agent) else {
            return Err(Error::Config(
                "the user agent holds characters a header cannot carry".into(),
            ));
        };
        if self
            .connect_timeout
            .is_some_and(|timeout| timeout.is_zero())
        {
            return Err(Error::Config("the connect timeout must not be zero".into()));
        }
        let settings = HttpSettings {
            root_certificates: &self.root_certificates,
            proxy: self.proxy.as_ref(),
            connect_timeout: self.connect_timeout,
        };
        let (http, per_request, pools) = match self.http_client {
            Some(_) if settings.any_set() => {
                return Err(Error::Config(
                    "add_root_certificate, proxy and connect_timeout configure the HTTP client \
                     built here, not one given with http_client: set them on that client"
                        .into(),
                ));
            }
            Some(http) => (http, Some(user_agent), None),
            None => {
                let recipe = settings.recipe(self.timeout, user_agent)?;
                let http = recipe.client()?;
                (http.clone(), None, Some(RuntimePools::new(recipe, http)))
            }
        };
        Ok(Client {
            correlation: Arc::new(self.correlation),
            consistency_window: None,
            inner: Arc::new(Inner {
                api_base,
                transport: Transport::new(
                    http,
                    self.retry,
                    self.timeout,
                    self.connect_timeout,
                    per_request,
                    limiter,
                    pools,
                ),
                tokens: TokenProvider::new(
                    source,
                    token_url.as_deref(),
                    auth_base.as_deref(),
                    self.refresh_before,
                ),
                preflight: self.preflight,
            }),
        })
    }
}

/// Refuses a PingOne API host (`api.pingone.*`) given with another path than `/v1` (none,
/// an environment's URL, another version) and PingOne's auth host (`auth.pingone.*`):
/// PingOne serves its users API under `api.pingone.*/v1` only, so every call would answer
/// 404 `NOT_FOUND`, passing a wrong setting off as missing users. Another host (a proxy, the
/// emulator) may serve it at any path.
fn check_api_path(url: String) -> Result<String, Error> {
    let parsed = parse_base_url("API base URL", &url)?;
    if let Some(domain) = pingone_domain(&parsed, "auth") {
        return Err(Error::Config(format!(
            "the API base URL {url:?} is PingOne's auth host, which serves tokens: the API \
             is at {} (as `Region::api_base_url` gives it)",
            pingone_url(&parsed, "api", domain, "/v1")
        )));
    }
    if let Some(domain) = pingone_domain(&parsed, "api") {
        let path = parsed.path().trim_matches('/');
        if path != "v1" {
            let what = if path.is_empty() {
                "has no path".to_owned()
            } else {
                format!("has the path /{path}")
            };
            return Err(Error::Config(format!(
                "the API base URL {url:?} {what}: PingOne's API path is {} (as \
                 `Region::api_base_url` gives it), and the client adds \
                 /environments/{{id}}/users itself",
                pingone_url(&parsed, "api", domain, "/v1")
            )));
        }
    }
    Ok(url)
}

/// Refuses PingOne's API host (`api.pingone.*`) as the auth base URL, and PingOne's auth host
/// (`auth.pingone.*`) with a path (the whole token URL, `/{envID}/as/token`, or part of it):
/// the client appends `/{envID}/as/token` to the auth host, so every token request would go
/// to a URL that PingOne does not serve. Another host (a proxy, the emulator) may serve it at
/// any path.
fn check_auth_path(url: String) -> Result<String, Error> {
    let parsed = parse_base_url("auth base URL", &url)?;
    if let Some(domain) = pingone_domain(&parsed, "api") {
        return Err(Error::Config(format!(
            "the auth base URL {url:?} is PingOne's API host, which serves no tokens: the auth \
             base URL is {} (as `Region::auth_base_url` gives it)",
            pingone_url(&parsed, "auth", domain, "")
        )));
    }
    if let Some(domain) = pingone_domain(&parsed, "auth") {
        let path = parsed.path().trim_matches('/');
        if !path.is_empty() {
            return Err(Error::Config(format!(
                "the auth base URL {url:?} has the path /{path}: PingOne's auth base URL is {} \
                 (as `Region::auth_base_url` gives it), and the client adds \
                 /{{environmentID}}/as/token itself; give a whole token URL with token_url",
                pingone_url(&parsed, "auth", domain, "")
            )));
        }
    }
    Ok(url)
}

/// `url`, the base URL named `what` (`"API base URL"`), parsed.
fn parse_base_url(what: &str, url: &str) -> Result<reqwest::Url, Error> {
    reqwest::Url::parse(url)
        .map_err(|error| Error::Config(format!("the {what} {url:?} is not a URL: {error}")))
}

/// The domain (`com`, `eu`, ...) of `parsed`'s host when it is PingOne's host of `service`
/// (`api` or `auth`: `api.pingone.eu`, with or without a final dot).
fn pingone_domain<'u>(parsed: &'u reqwest::Url, service: &str) -> Option<&'u str> {
    parsed
        .host_str()?
        .trim_end_matches('.')
        .strip_prefix(service)?
        .strip_prefix(".pingone.")
}

/// PingOne's URL of `service` in `domain` with `path`, on `parsed`'s scheme and port: what a
/// refused base URL should have been.
fn pingone_url(parsed: &reqwest::Url, service: &str, domain: &str, path: &str) -> String {
    match parsed.port() {
        Some(port) => format!(
            "{}://{service}.pingone.{domain}:{port}{path}",
            parsed.scheme()
        ),
        None => format!("{}://{service}.pingone.{domain}{path}", parsed.scheme()),
    }
}

fn check_base_url(what: &str, url: &str) -> Result<String, Error> {
    let shown = ShownUrl(url);
    let parsed = reqwest::Url::parse(url)
        .map_err(|error| Error::Config(format!("the {what} {shown} is not a URL: {error}")))?;
    if !matches!(parsed.scheme(), "http" | "https")
        || parsed.cannot_be_a_base()
        || parsed.host().is_none()
    {
        return Err(Error::Config(format!(
            "the {what} {shown} must be an absolute http or https URL"
        )));
    }
    if parsed.scheme() == "http" && parsed.host_str().is_some_and(is_pingone_host) {
        return Err(Error::Config(format!(
            "the {what} {shown} is plain http to a PingOne host, which serves https only: the \
             token or the client secret would cross the network in clear text; write https://"
        )));
    }
    if parsed.query().is_some() || parsed.fragment().is_some() {
        return Err(Error::Config(format!(
            "the {what} {shown} must not have a query or a fragment"
        )));
    }
    if !parsed.username().is_empty() || parsed.password().is_some() {
        return Err(Error::Config(format!(
            "the {what} must not hold credentials"
        )));
    }
    Ok(parsed.as_str().trim_end_matches('/').to_owned())
}

/// Whether `host` (as a parsed URL gives it: in lower case) is one of PingOne's, under the
/// domain of a [`Region`] (`pingone.com`, `pingone.eu`, ...), which serve https only.
fn is_pingone_host(host: &str) -> bool {
    let host = host.trim_end_matches('.');
    Region::ALL.iter().any(|region| {
        let domain = region.auth_base_url().trim_start_matches("https://auth.");
        host == domain
            || host
                .strip_suffix(domain)
                .is_some_and(|rest| rest.ends_with('.'))
    })
}

/// A URL given to the builder, quoted, as errors and `Debug` show it: with the user
/// information (`user:password@`) of an `http` or `https` URL replaced by `***@`, and not at
/// all when it cannot be read as one (another scheme, or none: `user:password@host`) and
/// holds an `@`, which may end credentials.
struct ShownUrl<'a>(&'a str);

impl fmt::Display for ShownUrl<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let url = self.0;
        if !url.contains('@') {
            return write!(f, "{url:?}");
        }
        // Only an http or https URL is read as one: `user:password@host`, written without
        // its scheme, parses as the scheme `user` with the path `password@host`.
        let Some(mut parsed) = reqwest::Url::parse(url)
            .ok()
            .filter(|parsed| matches!(parsed.scheme(), "http" | "https"))
        else {
            return f.write_str("(not shown: it may hold credentials)");
        };
        if parsed.username().is_empty() && parsed.password().is_none() {
            return write!(f, "{url:?}");
        }
        if parsed.set_password(None).is_ok() && parsed.set_username("***").is_ok() {
            write!(f, "{:?}", parsed.as_str())
        } else {
            f.write_str("(not shown: it may hold credentials)")
        }
    }
}

impl fmt::Debug for ShownUrl<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl Client {
    /// A handle on the same client (pool, token cache and settings shared) whose calls send
    /// `correlation`'s IDs, each one set there winning over the client's.
    ///
    /// ```
    /// use sparse_patch::pingone::{Client, Correlation, TokenSource};
    ///
    /// let client = Client::builder()
    ///     .api_base_url("https://api.pingone.eu/v1")
    ///     .token(TokenSource::bearer("token"))
    ///     .correlation(Correlation::new().session_id("nightly-sync")?)
    ///     .build()?;
    /// let call = client.with_correlation(Correlation::new().transaction_id("row-42")?);
    /// assert_eq!(call.correlation().get_session_id(), Some("nightly-sync"));
    /// assert_eq!(call.correlation().get_transaction_id(), Some("row-42"));
    /// # Ok::<(), sparse_patch::pingone::Error>(())
    /// ```
    #[must_use]
    pub fn with_correlation(&self, correlation: Correlation) -> Client {
        Client {
            inner: Arc::clone(&self.inner),
            correlation: Arc::new(correlation.over(&self.correlation)),
            consistency_window: self.consistency_window,
        }
    }

    /// A handle on the same client whose calls also retry 403 and 404 for `window` from their
    /// first attempt (see [`RetryPolicy::consistency_window`]): for calls on a user created,
    /// or granted a role, moments ago. The attempts and backoff of the retry policy apply.
    ///
    /// ```
    /// use std::time::Duration;
    /// use sparse_patch::pingone::{Client, TokenSource};
    ///
    /// let client = Client::builder()
    ///     .api_base_url("https://api.pingone.eu/v1")
    ///     .token(TokenSource::bearer("token"))
    ///     .build()?;
    /// let fresh = client.with_consistency_window(Duration::from_secs(5));
    /// # let _ = fresh;
    /// # Ok::<(), sparse_patch::pingone::Error>(())
    /// ```
    #[must_use]
    pub fn with_consistency_window(&self, window: Duration) -> Client {
        Client {
            inner: Arc::clone(&self.inner),
            correlation: Arc::clone(&self.correlation),
            consistency_window: Some(window),
        }
    }

    /// The correlation IDs this handle sends.
    #[must_use]
    pub fn correlation(&self) -> &Correlation {
        &self.correlation
    }

    /// A builder with no region, no token, a 30 s timeout, the default retry policy and
    /// [`DEFAULT_USER_AGENT`].
    #[must_use]
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// The API base URL in use, without a trailing slash.
    #[must_use]
    pub fn api_base_url(&self) -> &str {
        &self.inner.api_base
    }

    /// The URL of a user: `{apiBase}/environments/{environmentID}/users/{userID}`, with both
    /// IDs in lower case.
    ///
    /// **The rule for identifiers:** a UUID is accepted in any case (RFC 9562 §4: its hex
    /// digits are case-insensitive on input) and always sent in lower case, the case PingOne
    /// issues them in. The emulator compares them in any case.
    ///
    /// ```
    /// use sparse_patch::pingone::{Client, TokenSource};
    ///
    /// let client = Client::builder()
    ///     .api_base_url("https://api.pingone.eu/v1")
    ///     .token(TokenSource::bearer("token"))
    ///     .build()?;
    /// assert_eq!(
    ///     client.user_url("ABFBA8F6-49EB-49F5-A5D9-80AD5C98F9F6", "a38890a6-295a-4d58-9f6e-B72B05FBA379")?,
    ///     "https://api.pingone.eu/v1/environments/abfba8f6-49eb-49f5-a5d9-80ad5c98f9f6/users/a38890a6-295a-4d58-9f6e-b72b05fba379"
    /// );
    /// # Ok::<(), sparse_patch::pingone::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] when either ID is not a UUID.
    pub fn user_url(&self, environment_id: &str, user_id: &str) -> Result<String, Error> {
        check_id("the environment ID", environment_id)?;
        check_id("the user ID", user_id)?;
        // One allocation, the IDs lowered in place (they are ASCII: checked above), rather
        // than `format!` of two lowered copies (three allocations, and the string regrown).
        const ENVIRONMENTS: &str = "/environments/";
        const USERS: &str = "/users/";
        let base = &self.inner.api_base;
        let mut url = String::with_capacity(
            base.len() + ENVIRONMENTS.len() + environment_id.len() + USERS.len() + user_id.len(),
        );
        url.push_str(base);
        url.push_str(ENVIRONMENTS);
        let ids = url.len();
        url.push_str(environment_id);
        url.push_str(USERS);
        url.push_str(user_id);
        url[ids..].make_ascii_lowercase();
        Ok(url)
    }

    /// Sends `patch` as `PATCH /environments/{environmentID}/users/{userID}` with
    /// `Content-Type: application/json`, and returns the updated user as the patch's model.
    ///
    /// Attributes that the patch leaves absent are not sent, so PingOne leaves them as they
    /// are; `null` fields clear their attribute (RFC 7396 §2).
    ///
    /// **An empty patch sends no PATCH**: it would change nothing, so the client reads the
    /// user with a GET instead and returns it, leaving `updatedAt` alone.
    ///
    /// # Errors
    ///
    /// - [`Error::InvalidInput`] when an ID is not a UUID, or (unless
    ///   [`preflight`](ClientBuilder::preflight) is off) when the patch breaks PingOne's
    ///   rules, naming every attribute at fault, before anything is sent; also, pre-flight or
    ///   not, when the patch holds a float that is not finite (NaN, an infinity), naming it:
    ///   serde_json would write it as `null`, which clears the attribute;
    /// - [`Error::Api`] for an error answer with a PingOne error body (400, 401, 403, 404,
    ///   415, and retryable statuses once the retries ran out);
    /// - [`Error::RateLimited`] when 429 outlasted the retries;
    /// - [`Error::Timeout`] and [`Error::Transport`] when no answer came on the last attempt;
    /// - [`Error::Decode`] when a body is not the expected JSON, or is another user's
    ///   document: a JSON object whose `id` is not `user_id` (in any case), as a proxy, cache
    ///   or connection pool that mixes up answers delivers it; it is not returned as this
    ///   user's (this holds for every call about one user: [`get_user`](Client::get_user),
    ///   [`get_user_as`](Client::get_user_as) and the SCIM calls too);
    /// - [`Error::Token`] when the worker token could not be fetched.
    pub async fn update_user<P>(
        &self,
        environment_id: &str,
        user_id: &str,
        patch: &P,
    ) -> Result<P::Model, Error>
    where
        P: Patch + Serialize,
        P::Model: DeserializeOwned,
    {
        let url = self.user_url(environment_id, user_id)?;
        if patch.is_empty() {
            return self.get_user_as(environment_id, user_id).await;
        }
        // Pre-flight checks the patch while serializing it, not by reading the JSON again.
        let body = if self.inner.preflight {
            preflight::serialize_checked(patch)?
        } else {
            preflight::serialize_unchecked(patch)?
        };
        // `Bytes`: each attempt shares the body instead of copying it.
        let route = Route::user(environment_id);
        let body = Some((Bytes::from(body), "application/json"));
        // A merge patch (RFC 7396) is idempotent: sent twice, it acts once.
        let (span, answer) = self
            .call_answer(reqwest::Method::PATCH, route, &url, body, true)
            .await?;
        // Decoded here rather than in `call`: one future fewer to move the model through.
        decode_user_in(&span, answer, user_id)
    }

    /// Sends SCIM operations (RFC 7644 §3.5.2: `add`, `replace` and `remove`, with attribute
    /// and filter paths such as `emails[type eq "work"].value`) as
    /// `PATCH /environments/{environmentID}/users/{userID}` with
    /// `Content-Type: application/vnd.pingidentity.user.scim.patch+json`
    /// ([`SCIM_PATCH_CONTENT_TYPE`], the type with which
    /// PingOne reads a body of SCIM operations), and returns the updated user as `M` (such as
    /// [`User`](super::User), a model of your own, or a `serde_json::Value`).
    ///
    /// PingOne applies the operations in order, all or none. The request takes the same way
    /// as [`update_user`](Client::update_user)'s: retries, token, correlation IDs, rate limit,
    /// `tracing` span and error decoding. One difference: some messages are not idempotent.
    /// An `add` operation appends to a multi-valued attribute, and a `replace` whose filter
    /// selects elements by an attribute that it or a later operation changes
    /// (`badges[type eq "work"].type`, or `badges[type eq "work"]` with a value that holds
    /// `type`; names compared in any case), or whose elements a later operation removes or
    /// replaces whole (also through the extension schema that holds the attribute: a
    /// path-less value's member named by the schema's URN, or the URN as the path), may match
    /// nothing once applied, which PingOne answers with 400
    /// `noTarget`; a `remove` at a filter that a later operation changes the answer of
    /// (`badges[type eq "work"]`, then `badges[level eq 1].type` set to `"work"`) would
    /// remove other elements when sent again. A message that holds any of them is sent again
    /// only where PingOne cannot have applied it (the connection failed, the answer was 429
    /// or 408, or 403 or 404 inside a
    /// [consistency window](Client::with_consistency_window)); a timeout, a cut connection or
    /// a 5xx then ends the call with its error, and the caller reads the user to learn what
    /// happened. Other messages (those of [`to_scim_patch`](crate::Patch::to_scim_patch)
    /// that add no element, whose filters select by the key) retry as merge patches do. The
    /// pre-flight checks of
    /// [`ClientBuilder::preflight`] do not apply: they read merge patches, and PingOne (or the
    /// emulator) judges the user the operations make.
    ///
    /// **An empty message sends no PATCH**: it would change nothing, so the client reads the
    /// user with a GET instead and returns it, leaving `updatedAt` alone.
    ///
    /// Source: PingOne Platform API, "Update User (PATCH)"
    /// (<https://apidocs.pingidentity.com/pingone/platform/v1/api/#patch-update-user>), and
    /// RFC 7644 §3.5.2.
    ///
    /// # Examples
    ///
    /// Against the embedded emulator (feature `emulator`):
    ///
    /// ```
    /// use serde_json::{Value, json};
    /// use sparse_patch::pingone::{Client, TokenSource, emulator::Emulator};
    /// use sparse_patch::{ScimOperation, ScimPatch};
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let emulator = Emulator::start()?;
    /// let client = Client::builder()
    ///     .api_base_url(emulator.api_base_url())
    ///     .token(TokenSource::bearer(emulator.token()))
    ///     .build()?;
    /// let patch = ScimPatch::new(vec![
    ///     ScimOperation::replace("name.given", json!("Dave")),
    ///     ScimOperation::remove("photo"),
    /// ]);
    /// let user: Value = client
    ///     .update_user_scim_patch(emulator.environment_id(), emulator.user_id(), &patch)
    ///     .await?;
    /// assert_eq!(user["name"]["given"], "Dave");
    /// assert!(user.get("photo").is_none());
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    ///
    /// - [`Error::InvalidInput`] when an ID is not a UUID, before anything is sent;
    /// - [`Error::Api`] for an error answer with a PingOne error body: 400 `INVALID_DATA` for
    ///   a malformed message, path or filter, a filter that matches nothing, or a user that
    ///   breaks PingOne's rules (nothing is then applied); 401, 403, 404, 415, and retryable
    ///   statuses once the retries ran out;
    /// - [`Error::RateLimited`] when 429 outlasted the retries;
    /// - [`Error::Timeout`] and [`Error::Transport`] when no answer came on the last attempt;
    /// - [`Error::Decode`] when a body is not the expected JSON, or is another user's
    ///   document (its `id` is not `user_id`), as for [`update_user`](Client::update_user);
    /// - [`Error::Token`] when the worker token could not be fetched.
    pub async fn update_user_scim_patch<M: DeserializeOwned>(
        &self,
        environment_id: &str,
        user_id: &str,
        patch: &ScimPatch,
    ) -> Result<M, Error> {
        let url = self.user_url(environment_id, user_id)?;
        if patch.is_empty() {
            return self.get_user_as(environment_id, user_id).await;
        }
        let body = Bytes::from(preflight::serialize_unchecked(patch)?);
        let route = Route::user(environment_id);
        let body = Some((body, SCIM_PATCH_CONTENT_TYPE));
        // An `add` appends to a multi-valued attribute: sent twice, it appends twice; a
        // `replace` that changes what its filter selects by matches nothing the second time.
        let repeatable = is_repeatable(&patch.operations);
        let (span, answer) = self
            .call_answer(reqwest::Method::PATCH, route, &url, body, repeatable)
            .await?;
        decode_user_in(&span, answer, user_id)
    }

    /// Sends `patch` as SCIM operations rather than as a merge patch: the operations that do
    /// its work on `base`, the user as the caller last read it
    /// ([`Patch::to_scim_patch`]), with PingOne's SCIM content
    /// type ([`update_user_scim_patch`](Client::update_user_scim_patch)). Returns the updated
    /// user as the patch's model.
    ///
    /// Use it where the merge patch would resend a whole array: a keyed array
    /// (`#[patchable(key = "...")]`) changes element by element through filter paths
    /// (`emails[type eq "work"].value`), so elements that the change does not touch are not
    /// sent, and not clobbered if someone else changed them meanwhile. `update_user` stays the
    /// way to send the merge patch itself.
    ///
    /// Two clients that add an element with the same key at the same time both succeed (SCIM
    /// `add` appends), leaving two elements with that key on the server. The next
    /// `update_user_scim` of that user that changes the array, from a fresh read, replaces it
    /// whole (filters cannot tell the two apart), which repairs it.
    ///
    /// # Examples
    ///
    /// Against the embedded emulator (feature `emulator`), a multi-valued custom attribute:
    ///
    /// ```
    /// use serde_json::json;
    /// use sparse_patch::Patchable;
    /// use sparse_patch::pingone::{Client, TokenSource, emulator::{Emulator, reference_user}};
    ///
    /// #[derive(Patchable, Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
    /// struct Member {
    ///     username: String,
    ///     #[patchable(key = "type")]
    ///     badges: Vec<serde_json::Value>,
    /// }
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let mut user = reference_user();
    /// user["badges"] = json!([{"type": "work", "level": 1}, {"type": "home", "level": 2}]);
    /// let emulator = Emulator::builder().no_users().user(user).start()?;
    /// let client = Client::builder()
    ///     .api_base_url(emulator.api_base_url())
    ///     .token(TokenSource::bearer(emulator.token()))
    ///     .build()?;
    /// let (env, id) = (emulator.environment_id(), emulator.user_id());
    /// let base: Member = client.get_user_as(env, id).await?;
    /// let mut target = base.clone();
    /// target.badges[0]["level"] = json!(3);
    /// let updated = client.update_user_scim(env, id, &base, &base.diff(&target)).await?;
    /// assert_eq!(updated, target);
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    ///
    /// - [`Error::InvalidInput`] when an ID is not a UUID, and [`Error::Dialect`] when the
    ///   patch cannot be written as SCIM operations (a keyed array whose elements share a key
    ///   or lack one, an attribute name that a SCIM path cannot carry: the
    ///   [`DialectError`](crate::DialectError) says which), before anything is sent;
    /// - the rest as [`update_user_scim_patch`](Client::update_user_scim_patch).
    pub async fn update_user_scim<P>(
        &self,
        environment_id: &str,
        user_id: &str,
        base: &P::Model,
        patch: &P,
    ) -> Result<P::Model, Error>
    where
        P: Patch + Serialize,
        P::Model: Serialize + DeserializeOwned,
    {
        let operations = patch.to_scim_patch(base).map_err(Error::Dialect)?;
        self.update_user_scim_patch(environment_id, user_id, &operations)
            .await
    }

    /// Reads a user with `GET /environments/{environmentID}/users/{userID}` as
    /// [`User`](super::User), the whole PingOne user document.
    ///
    /// # Errors
    ///
    /// As [`update_user`](Client::update_user).
    pub async fn get_user(
        &self,
        environment_id: &str,
        user_id: &str,
    ) -> Result<super::User, Error> {
        self.get_user_as(environment_id, user_id).await
    }

    /// Reads a user as a model of your own, `M` (or as a `serde_json::Value`):
    /// `client.get_user_as::<MyUser>(env, id)`.
    ///
    /// # Errors
    ///
    /// As [`update_user`](Client::update_user).
    pub async fn get_user_as<M: DeserializeOwned>(
        &self,
        environment_id: &str,
        user_id: &str,
    ) -> Result<M, Error> {
        let url = self.user_url(environment_id, user_id)?;
        let route = Route::user(environment_id);
        let (span, answer) = self
            .call_answer(reqwest::Method::GET, route, &url, None, true)
            .await?;
        decode_user_in(&span, answer, user_id)
    }

    /// Sends one request with the token, retries as the policy says, and decodes the answer,
    /// in a `tracing` span `pingone.request` with the method, the path template, the
    /// environment, and (once known) the status, the number of attempts and PingOne's error
    /// id. Neither the token, a secret nor a body is ever recorded.
    pub(super) async fn call<M: DeserializeOwned>(
        &self,
        method: reqwest::Method,
        route: Route<'_>,
        url: &str,
        body: Option<(Bytes, &'static str)>,
    ) -> Result<M, Error> {
        let (span, answer) = self.call_answer(method, route, url, body, true).await?;
        decode_in(&span, answer)
    }

    /// [`call`](Client::call) up to the answer, not yet decoded, with its span: a caller
    /// decodes it with [`decode_in`] in its own body, so that the decoded model (a `User` is
    /// over 1 KB) is not moved out through one more future. A `body` comes with its
    /// `Content-Type`.
    async fn call_answer(
        &self,
        method: reqwest::Method,
        route: Route<'_>,
        url: &str,
        body: Option<(Bytes, &'static str)>,
        repeatable: bool,
    ) -> Result<(tracing::Span, Answer), Error> {
        let span = tracing::info_span!(
            "pingone.request",
            method = %method,
            path = route.template,
            environment = route.environment,
            status = tracing::field::Empty,
            attempts = tracing::field::Empty,
            error_id = tracing::field::Empty,
        );
        let answer = self
            .send(method, url, body, repeatable)
            .instrument(span.clone())
            .await;
        let answer = match answer {
            Ok(answer) => answer,
            Err(error) => {
                record_error(&span, &error);
                return Err(error);
            }
        };
        span.record("status", answer.status);
        span.record("attempts", answer.attempts);
        Ok((span, answer))
    }

    /// [`call`](Client::call) without the span and the decoding: the final answer. A request
    /// that is not `repeatable` is retried only where the server cannot have acted on it
    /// ([`Transport::send`]).
    async fn send(
        &self,
        method: reqwest::Method,
        url: &str,
        body: Option<(Bytes, &'static str)>,
        repeatable: bool,
    ) -> Result<Answer, Error> {
        let transport = &self.inner.transport;
        let window = self
            .consistency_window
            .unwrap_or_else(|| transport.retry().get_consistency_window());
        // Each attempt takes the token of the moment (a call's retries may outlast one).
        let answer = transport
            .send(
                Some(&self.inner.tokens),
                &|token| self.request(method.clone(), url, token, body.as_ref()),
                window,
                repeatable,
            )
            .await?;
        // A 401 that reaches here was answered to a fresh worker token (the transport replaced
        // the refused one) or during the hold after one (`AccessTokens::refused_fresh`), or to
        // a static token: the token is kept, so that the next call does not fetch another
        // that the API refuses the same.
        Ok(answer)
    }

    /// One attempt's request: `method` to `url` with the token (marked sensitive:
    /// [`with_bearer`]), `Accept`, the correlation IDs, and the body with its `Content-Type`.
    /// Inlined into each attempt, as the closure it was: the builder is not copied out.
    #[inline]
    fn request(
        &self,
        method: reqwest::Method,
        url: &str,
        token: Option<&Secret>,
        body: Option<&(Bytes, &'static str)>,
    ) -> reqwest::RequestBuilder {
        let mut request = self.inner.transport.request(method, url);
        if let Some(token) = token {
            request = with_bearer(request, token);
        }
        request = request.header(ACCEPT, "application/json");
        request = self.correlation.apply(request);
        if let Some((body, content_type)) = body {
            request = request
                .header(CONTENT_TYPE, *content_type)
                .body(body.clone());
        }
        request
    }
}

/// `request` with `Authorization: Bearer {token}`, marked sensitive (reqwest's `bearer_auth`):
/// a sensitive header value shows as `Sensitive` in the `Debug` of the request, its headers
/// and the value (a request or header map that a caller, a middleware or a panic logs), and
/// HTTP/2's HPACK never puts it in its compression table. Written by hand with `header`, the
/// token showed in full in the `Debug` of every request.
#[inline]
fn with_bearer(request: reqwest::RequestBuilder, token: &Secret) -> reqwest::RequestBuilder {
    request.bearer_auth(token.expose())
}

/// Decodes the answer of a call in its span, and records PingOne's error id on the span
/// when the answer is an error. Decoded after the request's future, not inside it: the decoded
/// value is not moved out through that future and the span's wrapper (a copy of the whole
/// model each).
#[inline]
fn decode_in<M: DeserializeOwned>(span: &tracing::Span, answer: Answer) -> Result<M, Error> {
    let result = span.in_scope(|| answer.decode());
    record_error_id(span, &result);
    result
}

/// Records on a call's span PingOne's error id of a failed decoding, when the answer was an
/// error body.
#[inline]
fn record_error_id<M>(span: &tracing::Span, result: &Result<M, Error>) {
    if let Err(error) = result
        && let Some(id) = error.api_error().and_then(|body| body.id.as_deref())
    {
        span.record("error_id", id);
    }
}

/// [`decode_in`] for the answer to a request about the user `user_id`: a 2xx whose body is
/// another user's document (its `id` is not `user_id`) is [`Error::Decode`]
/// ([`Answer::decode_user`]).
#[inline]
fn decode_user_in<M: DeserializeOwned>(
    span: &tracing::Span,
    answer: Answer,
    user_id: &str,
) -> Result<M, Error> {
    let result = span.in_scope(|| answer.decode_user(user_id));
    record_error_id(span, &result);
    result
}

/// Records on a call's span what an error that ended it says: the status, the attempts and
/// PingOne's error id, as far as known.
fn record_error(span: &tracing::Span, error: &Error) {
    if let Some(status) = error.status() {
        span.record("status", status);
    }
    if let Some(attempts) = error.attempts() {
        span.record("attempts", attempts);
    }
    if let Some(id) = error.api_error().and_then(|body| body.id.as_deref()) {
        span.record("error_id", id);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `user_url` builds in place what `format!` of the lowered IDs gives.
    #[test]
    fn user_url_is_the_base_and_the_lowered_ids() {
        let ids = [
            "abfba8f6-49eb-49f5-a5d9-80ad5c98f9f6",
            "ABFBA8F6-49EB-49F5-A5D9-80AD5C98F9F6",
            "a38890a6-295a-4d58-9f6e-B72B05FBA379",
        ];
        for base in ["https://api.pingone.eu/v1", "http://127.0.0.1:8080/V1/"] {
            let client = Client::builder()
                .api_base_url(base)
                .token(TokenSource::bearer("token"))
                .build()
                .unwrap();
            for environment in ids {
                for user in ids {
                    let url = client.user_url(environment, user).unwrap();
                    let expected = format!(
                        "{}/environments/{}/users/{}",
                        client.api_base_url(),
                        environment.to_ascii_lowercase(),
                        user.to_ascii_lowercase()
                    );
                    assert_eq!(url, expected);
                    assert_eq!(url.capacity(), url.len());
                }
            }
        }
        assert!(client_error("not-a-uuid"));
    }

    /// The `Authorization: Bearer` header of a users API request is sensitive: the `Debug` of
    /// the request, of its headers and of the value show `Sensitive`, not the token, and
    /// HTTP/2 would not index it. Written with `header(AUTHORIZATION, format!(...))`, it was an
    /// ordinary header whose token every `Debug` showed (reqwest's `bearer_auth` marks it).
    #[test]
    fn the_bearer_header_is_sensitive() {
        let client = Client::builder()
            .api_base_url("https://api.pingone.eu/v1")
            .token(TokenSource::bearer("unused"))
            .build()
            .unwrap();
        let token = Secret::new("eyJhbGciOi.very-secret-token".to_owned());
        let body = (Bytes::from_static(b"{}"), "application/json");
        for body in [None, Some(&body)] {
            let request = client
                .request(
                    reqwest::Method::PATCH,
                    "https://api.pingone.eu/v1/x",
                    Some(&token),
                    body,
                )
                .build()
                .unwrap();
            let header = &request.headers()[reqwest::header::AUTHORIZATION];
            assert!(header.is_sensitive());
            assert_eq!(
                header.to_str().unwrap(),
                "Bearer eyJhbGciOi.very-secret-token"
            );
            for shown in [
                format!("{request:?}"),
                format!("{:?}", request.headers()),
                format!("{header:?}"),
            ] {
                assert!(!shown.contains("very-secret-token"), "{shown}");
            }
        }
    }

    fn client_error(id: &str) -> bool {
        let client = Client::builder()
            .api_base_url("https://api.pingone.eu/v1")
            .token(TokenSource::bearer("token"))
            .build()
            .unwrap();
        matches!(
            client.user_url(id, "abfba8f6-49eb-49f5-a5d9-80ad5c98f9f6"),
            Err(Error::InvalidInput(_))
        )
    }

    /// A client called from runtime after runtime keeps the pool of the runtimes that still
    /// run, not one per runtime it ever saw: a runtime's pool goes when the runtime shuts
    /// down (a test suite whose `static` client serves hundreds of `#[tokio::test]`s).
    #[cfg(feature = "emulator")]
    #[test]
    fn the_pool_of_a_runtime_goes_with_it() {
        let emulator = crate::pingone::emulator::Emulator::start().unwrap();
        let client = Client::builder()
            .api_base_url(emulator.api_base_url())
            .token(TokenSource::bearer(emulator.token()))
            .build()
            .unwrap();
        let pools = |client: &Client| {
            client
                .inner
                .transport
                .runtime_pools()
                .expect("a client built here has a pool per runtime")
        };
        let kept = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let call = || client.get_user(emulator.environment_id(), emulator.user_id());
        kept.block_on(call()).unwrap();
        for flavour in 0..20 {
            let runtime = if flavour % 2 == 0 {
                tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .unwrap()
            } else {
                tokio::runtime::Builder::new_multi_thread()
                    .worker_threads(1)
                    .enable_all()
                    .build()
                    .unwrap()
            };
            runtime.block_on(call()).unwrap();
            assert_eq!(pools(&client), 2);
            if flavour % 3 == 0 {
                runtime.shutdown_timeout(Duration::from_secs(10));
            } else {
                drop(runtime);
            }
            assert_eq!(pools(&client), 1);
        }
        kept.block_on(call()).unwrap();
        drop(kept);
        assert_eq!(pools(&client), 0);
    }

    /// A runtime that outlives many clients (one built per request) keeps no task for each:
    /// the task that watches a runtime's pool ends with the client.
    #[cfg(feature = "emulator")]
    #[test]
    fn a_runtime_keeps_no_task_for_a_client_dropped() {
        let emulator = crate::pingone::emulator::Emulator::start().unwrap();
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        for _ in 0..20 {
            let client = Client::builder()
                .api_base_url(emulator.api_base_url())
                .token(TokenSource::bearer(emulator.token()))
                .build()
                .unwrap();
            runtime
                .block_on(client.get_user(emulator.environment_id(), emulator.user_id()))
                .unwrap();
        }
        // The watches (and the connections of the pools dropped) end once polled; bounded
        // only against a hang.
        for _ in 0..1000 {
            if runtime.metrics().num_alive_tasks() == 0 {
                return;
            }
            runtime.block_on(async { tokio::time::sleep(Duration::from_millis(10)).await });
        }
        panic!(
            "{} tasks are left on the runtime",
            runtime.metrics().num_alive_tasks()
        );
    }
}
