//! [`ClientBuilder`]: a [`Client`]'s settings, checked when it is built (base URLs, tokens,
//! timeouts, the HTTP client, retries, the rate limit, pre-flight).
//!
//! This file holds the settings; their check and the client made of them are its parts, one
//! job a file: `build.rs` ([`ClientBuilder::build`]), `urls.rs` (the URLs checked together, and
//! the plain `http` URLs refused for where they would cross the network in clear text),
//! `base_url.rs` (one base URL checked, and PingOne's hosts with the paths they serve),
//! `shown_url.rs` (a URL as errors and `Debug` show it).

use core::fmt;
use std::time::Duration;

use super::client::{Client, DEFAULT_USER_AGENT};
use super::http_client::{ProxyUrl, RootCertificatePem};
use super::{Correlation, Region, RetryPolicy, TokenSource};

mod base_url;
mod build;
mod refused;
mod shown_url;
mod urls;

use shown_url::ShownUrl;

impl Client {
    /// A builder with no region, no token, a 30 s timeout, the default retry policy and
    /// [`DEFAULT_USER_AGENT`].
    #[must_use]
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
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
///   suffixes, IP addresses and CIDR ranges, `*` for every domain name) for the hosts that go
///   direct; the lower-case names too. `HTTP_PROXY` is ignored when `REQUEST_METHOD` is set
///   (CGI, "httpoxy"). A client whose every host is this machine (127.0.0.1, `::1`,
///   `localhost`: the emulator's API and token endpoint) reads none of them: a proxy
///   elsewhere would reach its own loopback. In a client that reads them, a plain `http` URL
///   to this machine that they send to a proxy on another machine is refused as through
///   [`proxy`](ClientBuilder::proxy) (see [`allow_plain_http`](ClientBuilder::allow_plain_http)).
/// - **Your own `reqwest::Client`** ([`http_client`](ClientBuilder::http_client)): its pool,
///   TLS, trust store, proxies, timeouts and default headers hold, as you built it. The three
///   settings above would not reach it, so setting any of them with it is an
///   [`Error::Config`](super::Error::Config).
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
#[cfg(feature = "client")]
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
    allow_plain_http: bool,
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
            allow_plain_http,
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
            .field("allow_plain_http", allow_plain_http)
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
            allow_plain_http: false,
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
    #[cfg_attr(
        feature = "emulator",
        doc = r" [`api_base_url`](super::emulator::Emulator::api_base_url). Wins over the region's."
    )]
    #[cfg_attr(
        not(feature = "emulator"),
        doc = r" `api_base_url`. Wins over the region's."
    )]
    /// A PingOne API host (`api.pingone.*`) with another path than `/v1`, such as
    /// `https://api.pingone.eu` or an environment's URL, and PingOne's auth host
    /// (`auth.pingone.*`) are refused by [`build`](ClientBuilder::build): the API path is
    /// `https://api.pingone.eu/v1`, and with another one every call would answer 404. So are a
    /// base URL with `/environments` in its path (the client adds `/environments/{id}/users`),
    /// one with a slash too many or too few after the scheme (`http:///v1`, which URL parsing
    /// reads as the host `v1`) and the port 0.
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
    /// serve. A whole token URL goes to [`token_url`](ClientBuilder::token_url). Another
    /// host's URL whose path ends in `/v1`, the users API's path (a proxy's, or the
    /// emulator's `api_base_url()` given here by mistake), is not refused, as a server of
    /// your own may serve its token endpoint there; but the [`Error::Token`](super::Error::Token) of a token
    /// request it refuses adds to its `description` that the auth base URL should not end
    /// in `/v1`.
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

    /// The timeout of one attempt, from the start of its connection (TCP, a proxy's tunnel,
    /// the TLS handshake; none for a connection kept from an earlier request) to the end of
    /// the answer's body, as reqwest's `timeout` counts it (30 s by default). Must not be
    /// zero.
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
    /// before a request rather than storming into 429s, the turns going to the waiting
    /// calls in the order they came (none is starved), a worker token request first; off
    /// by default. A `Retry-After`
    /// wait still applies on top. Built on `governor` (GCRA) with 10 ms of credit (a burst of
    /// `requests_per_second / 100`, at least one), so that a waiter woken late does not lose
    /// its turn: the long-run rate is the limit, and no second holds more than 1 % above it.
    /// A request that waits for its turn is a DEBUG `tracing` event `pingone: waiting for the
    /// client's rate limit` with the wait, `wait_ms`.
    ///
    /// Source: PingOne Platform API, "Rate limits"
    /// (<https://apidocs.pingidentity.com/pingone/platform/v1/api/#rate-limiting>).
    #[must_use]
    pub fn rate_limit(mut self, requests_per_second: u32) -> Self {
        self.rate_limit = Some(requests_per_second);
        self
    }

    /// Whether [`Client::update_user`] checks a patch against PingOne's rules before sending
    /// it (on by default; [`Client::update_user_scim`] and
    /// [`Client::update_user_scim_patch`] check each SCIM operation that names an attribute
    /// by the same rules, as the merge patch that would make its change): lengths, patterns (no control, invisible format or private-use
    /// character in text that PingOne's schema pattern refuses it in), email, `countryCode`, phone numbers,
    /// `photo.href`, `null` on `username` and `email`, an attribute written twice in one
    /// object (a field and a `custom_entry` or `other_entry` of the same name, a field of a
    /// model of your own too, among the user's attributes and those of `name`, `address` and
    /// `photo`: a reader keeps either value, RFC 8259 §4), and the 16 KiB profile limit
    /// ([`MAX_PROFILE_BYTES`](super::MAX_PROFILE_BYTES)). A patch that breaks them is
    /// [`Error::Preflight`](super::Error::Preflight) naming every attribute at fault, and nothing is sent
    /// ([`check_patch`](super::check_patch) makes the same check alone). The
    /// emulator enforces the same table. The check is made while the patch is serialized (the
    /// bytes sent are those of `serde_json::to_vec`), so the JSON is not read a second time.
    /// Turn it off to let PingOne be the only judge (its rules may change before this table
    /// does).
    #[must_use]
    pub fn preflight(mut self, on: bool) -> Self {
        self.preflight = on;
        self
    }

    /// Whether a plain `http://` API base URL, auth base URL or token URL may name another
    /// machine (off by default). Off, [`build`](ClientBuilder::build) refuses such a URL with
    /// [`Error::Config`](super::Error::Config): every call would send the bearer token, and every token request the
    /// worker's client secret, over the network in clear text, for anyone on the path to read
    /// and replay. A URL whose host is this machine needs no setting (the loopback addresses
    /// `127.0.0.0/8` and `::1`, `::ffff:127.0.0.1`, `localhost` and the names under it, such as
    /// `emulator.localhost`): the emulator's own URLs are such; but one sent through a
    /// [`proxy`](ClientBuilder::proxy) on another machine needs it too, as the proxy reads the
    /// request, and so does one that the environment's proxy (`HTTP_PROXY`, `ALL_PROXY`, for
    /// a host `NO_PROXY` does not name) sends to another machine, in a client that reads them
    /// (one that sends to another machine too). Turn it on only for a server of your own on a network you trust, such as the
    /// emulator in another container. `0.0.0.0` and `[::]` are not this machine's: they are
    /// the address a server listens on, and the error says to write `127.0.0.1` or `[::1]`.
    /// PingOne's own hosts (`*.pingone.com`, `.eu`, ...) stay refused over `http` even with
    /// it on: they serve https only. [`plain_http_refusal`](ClientBuilder::plain_http_refusal)
    /// tells that `build` refuses a URL for want of this setting, and which.
    ///
    /// Sources: RFC 6750 §5.3 ("always use TLS (https)" for bearer tokens,
    /// <https://www.rfc-editor.org/rfc/rfc6750#section-5.3>), RFC 6749 §2.3.1 (TLS for a
    /// client's password, <https://www.rfc-editor.org/rfc/rfc6749#section-2.3.1>) and §3.2
    /// (TLS for the token endpoint, <https://www.rfc-editor.org/rfc/rfc6749#section-3.2>).
    ///
    /// ```
    /// use sparse_patch::pingone::{Client, Error, TokenSource};
    ///
    /// let builder = || {
    ///     Client::builder()
    ///         .api_base_url("http://emulator.internal:8080/v1")
    ///         .token(TokenSource::bearer("emulator-access-token"))
    /// };
    /// // The token would cross the network in clear text.
    /// let refused = builder().build();
    /// assert!(matches!(refused, Err(Error::Config(text)) if text.contains("allow_plain_http")));
    /// // The emulator in a container on a network of your own.
    /// let client = builder().allow_plain_http(true).build()?;
    /// # let _ = client;
    /// // This machine needs no setting.
    /// Client::builder()
    ///     .api_base_url("http://127.0.0.1:8080/v1")
    ///     .token(TokenSource::bearer("emulator-access-token"))
    ///     .build()?;
    /// # Ok::<(), Error>(())
    /// ```
    #[must_use]
    pub fn allow_plain_http(mut self, on: bool) -> Self {
        self.allow_plain_http = on;
        self
    }

    /// Sends with your own `reqwest::Client` (its pool, TLS, proxies and timeouts) instead
    /// of one built here: a client of reqwest 0.13, the version your `Cargo.toml` names (a
    /// `reqwest::Client` of 0.12 is another crate's type, which this method refuses); see
    /// [the HTTP client](ClientBuilder#the-http-client) for which settings then hold. The
    /// [`timeout`](ClientBuilder::timeout) and [`user_agent`](ClientBuilder::user_agent) are
    /// set on each request.
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
    /// change your client's policy. It sends each body (a patch, a token request's form) as
    /// one that reqwest cannot send twice, so that reqwest does not follow a redirect that
    /// would send it again (a 307 or 308, a 301 or 302 of a PATCH): that redirect is the
    /// answer, [`Error::Decode`](super::Error::Decode) (or [`Error::Token`](super::Error::Token) for the token endpoint's) naming its
    /// `Location`, and neither the patch nor (with [`ClientAuthMethod::Post`]) the client
    /// secret goes where it points. reqwest still follows a 303, a 301 or 302 of the token
    /// request (as a GET without its body), and any redirect of a GET: an answer that a
    /// redirect led to is [`Error::Decode`](super::Error::Decode) naming that URL (a 303 followed as a GET would
    /// otherwise pass a read for the PATCH's success), but by then the redirected request is
    /// sent: with its `Authorization` (the bearer token, or with [`ClientAuthMethod::Basic`]
    /// the client's credentials) if it stays on the same scheme, host and port (reqwest drops
    /// it on the way to any other), and, unless it goes from `https` to `http`, with reqwest's
    /// `Referer`, the URL asked, query and all (a lookup's filter names the user). A redirect
    /// loop that your client follows to its limit is [`Error::Transport`](super::Error::Transport), not retried: each
    /// attempt would follow it again. A redirect that ends at the URL asked cannot be seen
    /// (reqwest does not say that it followed one): a 303 to the user's own URL, followed as
    /// a GET, passes the user document it reads for the PATCH's answer, changed or not.
    ///
    /// Your client's one connection pool serves every tokio runtime that calls, where the
    /// client built here keeps one per runtime (see [`Client`]'s "Runtimes"): its connections
    /// are tasks of the runtime that opened them, so a call from another runtime can be given
    /// one whose runtime is idle (the call then waits for its timeout) or gone (reqwest's
    /// "dispatch task is gone"). Use such a client from one runtime, or give each runtime
    /// a client of its own.
    ///
    /// [`ClientAuthMethod::Post`]: super::ClientAuthMethod::Post
    /// [`ClientAuthMethod::Basic`]: super::ClientAuthMethod::Basic
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
    /// (`HTTPS_PROXY`, `NO_PROXY`...) then no longer apply, and it serves this machine's hosts
    /// too (127.0.0.1, `localhost`), which the environment's proxies do not serve when every
    /// host of the client is one (the guide's "PingOne: transport", `docs/pingone_transport/`):
    /// a plain `http` URL to this machine then needs
    /// [`allow_plain_http`](ClientBuilder::allow_plain_http) unless the proxy is on this
    /// machine too, as the proxy reads its requests. The URL is checked by
    /// [`build`](ClientBuilder::build), and neither `Debug` nor an error shows it.
    #[must_use]
    pub fn proxy(mut self, url: impl Into<String>) -> Self {
        self.proxy = Some(ProxyUrl(url.into()));
        self
    }

    /// The timeout of establishing a connection (TCP, a proxy's tunnel and the TLS
    /// handshake), for the HTTP client built here; none by default, the per-attempt
    /// [`timeout`](ClientBuilder::timeout) bounding it anyway. When it runs out on the last
    /// attempt, the error is [`Error::Timeout`](super::Error::Timeout) with this timeout. Must not be zero.
    #[must_use]
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = Some(timeout);
        self
    }
}
