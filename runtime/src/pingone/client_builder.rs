//! [`ClientBuilder`]: a [`Client`]'s settings, checked when it is built (base URLs, tokens,
//! timeouts, the HTTP client, retries, the rate limit, pre-flight).

use core::fmt;
use std::net::IpAddr;
use std::num::NonZeroU32;
use std::time::Duration;

use reqwest::header::HeaderValue;

use super::client::{Client, DEFAULT_USER_AGENT, NIL_USER_PATH};
use super::http_client::{HttpSettings, ProxyUrl, RootCertificatePem, host_ip, is_loopback};
use super::runtime_pools::RuntimePools;
use super::token::TokenProvider;
use super::transport::{Transport, rate_limiter};
use super::{Correlation, Error, PlainHttpRefusal, Region, RetryPolicy, TokenSource};

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
    /// before a request rather than storming into 429s; off by default. A `Retry-After`
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
    /// `photo`: a reader keeps either value, RFC 8259 §4), and the 16 KB profile limit
    /// ([`MAX_PROFILE_BYTES`](super::MAX_PROFILE_BYTES)). A patch that breaks them is
    /// [`Error::Preflight`] naming every attribute at fault, and nothing is sent
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
    /// [`Error::Config`]: every call would send the bearer token, and every token request the
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
    /// answer, [`Error::Decode`] (or [`Error::Token`] for the token endpoint's) naming its
    /// `Location`, and neither the patch nor (with [`ClientAuthMethod::Post`]) the client
    /// secret goes where it points. reqwest still follows a 303, a 301 or 302 of the token
    /// request (as a GET without its body), and any redirect of a GET: an answer that a
    /// redirect led to is [`Error::Decode`] naming that URL (a 303 followed as a GET would
    /// otherwise pass a read for the PATCH's success), but by then the redirected request is
    /// sent: with its `Authorization` (the bearer token, or with [`ClientAuthMethod::Basic`]
    /// the client's credentials) if it stays on the same scheme, host and port (reqwest drops
    /// it on the way to any other), and, unless it goes from `https` to `http`, with reqwest's
    /// `Referer`, the URL asked, query and all (a lookup's filter names the user). A redirect
    /// loop that your client follows to its limit is [`Error::Transport`], not retried: each
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
    /// `http`/`https` URL without query, fragment or credentials, written with two slashes after
    /// the scheme and a port other than 0, or is a plain `http` URL to
    /// one of PingOne's hosts (under a [`Region`]'s domain, such as `api.pingone.eu`: they
    /// serve https only, and the token or the client secret would go in clear text) or, unless
    /// [`allow_plain_http`](ClientBuilder::allow_plain_http) is on, to any host that is not
    /// this machine (such as `http://auth.mycompany.example` or `http://10.0.0.1:8080/v1`;
    /// 127.0.0.1, `[::1]` and `localhost` need no setting, unless sent through a
    /// [`proxy`](ClientBuilder::proxy) on another machine, or the environment's; `0.0.0.0` and `[::]` are refused
    /// saying to write 127.0.0.1; RFC 6750 §5.3, RFC 6749 §2.3.1),
    /// the API base URL is a
    /// PingOne API host with another path than `/v1` or PingOne's auth host, or holds
    /// `/environments` in its path, the auth base URL is PingOne's API host or its auth host
    /// with a path (the whole token URL: the client adds `/{envID}/as/token` itself), no
    /// token source is set, a
    /// worker token source has no auth host, an environment ID that is not a UUID, or an empty
    /// client ID or secret, the bearer token is not an RFC 6750 §2.1 bearer token (empty, or
    /// holding a character other than letters, digits, `-._~+/` and `=` padding: quotes,
    /// white space, an ellipsis, the `Bearer ` scheme copied with it; see
    /// [`TokenSource::bearer`]), the user agent cannot be a header value, the timeout, the connect timeout or the rate
    /// limit is zero, a root certificate is not PEM or not a usable CA certificate, the proxy
    /// URL is not an `http`/`https` URL, [`http_client`](ClientBuilder::http_client) is set
    /// together with a setting it would ignore, or the system's trust store cannot be read
    /// while no root certificate is added.
    pub fn build(self) -> Result<Client, Error> {
        let Urls {
            api_base,
            auth_base,
            token_url,
        } = self.checked_urls()?;
        let source = self.token.ok_or_else(no_token_source)?;
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
        let only_loopback = Urls::only_loopback(&sent_urls(
            &api_base,
            auth_base.as_deref(),
            token_url.as_deref(),
            &source,
        ));
        let settings = HttpSettings {
            root_certificates: &self.root_certificates,
            proxy: self.proxy.as_ref(),
            connect_timeout: self.connect_timeout,
            only_loopback,
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
        // Parsed once: each call's user URL is made from it (`Client::user_target`).
        let user_template =
            reqwest::Url::parse(&format!("{api_base}{NIL_USER_PATH}")).map_err(|error| {
                Error::Config(format!(
                    "the API base URL {shown_url}: {error}",
                    shown_url = quoted_url(&api_base)
                ))
            })?;
        Ok(Client::from_parts(
            api_base,
            user_template,
            Transport::new(
                http,
                self.retry,
                self.timeout,
                self.connect_timeout,
                per_request,
                limiter,
                pools,
            ),
            TokenProvider::new(
                source,
                token_url.as_deref(),
                auth_base.as_deref(),
                self.refresh_before,
            ),
            self.preflight,
            self.correlation,
        ))
    }
}

impl ClientBuilder {
    /// The plain `http` URL that [`build`](ClientBuilder::build) refuses first because
    /// [`allow_plain_http`](ClientBuilder::allow_plain_http) is off, if that is the first of
    /// the builder's faults that `build` finds: a URL to another machine, or one to this
    /// machine sent through a [`proxy`](ClientBuilder::proxy) on another machine, or through
    /// the environment's (`HTTP_PROXY`, `ALL_PROXY`, read now as `build` reads them) (RFC 6750
    /// §5.3, RFC 6749 §2.3.1). `build` then returns [`Error::Config`] with its text and
    /// advice, which names `allow_plain_http(true)`; a program that turns that setting on from
    /// a setting of its own (a variable, a flag) can name its own instead, without reading the
    /// error's text. `None` when `build` refuses no URL for that reason, or refuses another
    /// fault first (a URL that is not one, a missing token source), or refuses the address
    /// `0.0.0.0` or `[::]`, for which it says to write `127.0.0.1` or `[::1]`.
    ///
    /// ```
    /// use sparse_patch::pingone::{Client, TokenSource};
    ///
    /// let builder = Client::builder()
    ///     .api_base_url("http://emulator.internal:8080/v1")
    ///     .token(TokenSource::bearer("emulator-access-token"));
    /// let refusal = builder.plain_http_refusal().expect("plain http to another machine");
    /// assert_eq!(refusal.setting(), "API base URL");
    /// assert_eq!(refusal.url(), "http://emulator.internal:8080/v1");
    /// assert!(refusal.to_string().contains("clear text"));
    /// assert_eq!(builder.allow_plain_http(true).plain_http_refusal(), None);
    /// ```
    #[must_use]
    pub fn plain_http_refusal(&self) -> Option<PlainHttpRefusal> {
        match self.checked_urls_refusal() {
            Err(Refused::PlainHttp(refusal)) => Some(refusal),
            Ok(_) | Err(Refused::Other(_)) => None,
        }
    }

    /// The API base URL, the auth base URL and the token URL, checked as
    /// [`build`](ClientBuilder::build) checks them, in its order, with the token source
    /// (its presence and [`TokenSource::check`]) and the proxy each sends through.
    fn checked_urls(&self) -> Result<Urls, Error> {
        self.checked_urls_refusal().map_err(Error::from)
    }

    /// [`checked_urls`](Self::checked_urls), with a refusal for plain `http`
    /// ([`Refused::PlainHttp`]) told from any other.
    fn checked_urls_refusal(&self) -> Result<Urls, Refused> {
        let api_base = match (&self.api_base_url, self.region) {
            (Some(url), _) => {
                check_api_path(check_base_url("API base URL", url, self.allow_plain_http)?)?
            }
            (None, Some(region)) => region.api_base_url().to_owned(),
            (None, None) => {
                return Err(
                    Error::Config("set a region or an API base URL (api_base_url)".into()).into(),
                );
            }
        };
        let auth_base = match (&self.auth_base_url, self.region) {
            (Some(url), _) => Some(check_auth_path(check_base_url(
                "auth base URL",
                url,
                self.allow_plain_http,
            )?)?),
            (None, Some(region)) => Some(region.auth_base_url().to_owned()),
            (None, None) => None,
        };
        let source = self.token.as_ref().ok_or_else(no_token_source)?;
        // Checked as a base URL is, but used as it is: not trimmed of a final `/`, which a
        // token endpoint's route may need.
        let token_url = match self.token_url.as_deref() {
            Some(url) => {
                check_base_url("token URL", url, self.allow_plain_http)?;
                Some(
                    reqwest::Url::parse(url)
                        .map(String::from)
                        .map_err(|error| {
                            Error::Config(format!(
                                "the token URL {shown_url}: {error}",
                                shown_url = quoted_url(url)
                            ))
                        })?,
                )
            }
            None => None,
        };
        source.check(auth_base.is_some() || token_url.is_some())?;
        check_plain_http_through_proxy(
            [
                ("API base URL", Some(api_base.as_str())),
                ("auth base URL", auth_base.as_deref()),
                ("token URL", token_url.as_deref()),
            ]
            .into_iter()
            .filter_map(|(what, url)| Some((what, url?))),
            self.proxy.as_ref(),
            self.allow_plain_http,
        )?;
        // Without an explicit proxy or an HTTP client of the caller's own, the client built
        // here reads the environment's proxies unless every host it sends to is this machine.
        if self.proxy.is_none() && self.http_client.is_none() && !self.allow_plain_http {
            let sent = sent_urls(
                &api_base,
                auth_base.as_deref(),
                token_url.as_deref(),
                source,
            );
            if !Urls::only_loopback(&sent) {
                check_plain_http_through_environment_proxy(sent.into_iter().flatten())?;
            }
        }
        Ok(Urls {
            api_base,
            auth_base,
            token_url,
        })
    }
}

/// A builder's URLs, checked ([`ClientBuilder::checked_urls`]).
struct Urls {
    api_base: String,
    auth_base: Option<String>,
    token_url: Option<String>,
}

impl Urls {
    /// Whether every URL in `sent` ([`sent_urls`]) names this machine ([`is_loopback`]): the
    /// client built for them reads no proxy from the environment.
    fn only_loopback(sent: &[Option<(&'static str, &str)>; 2]) -> bool {
        sent.iter()
            .flatten()
            .all(|(_, url)| reqwest::Url::parse(url).is_ok_and(|url| is_loopback(&url)))
    }
}

/// The checked URLs that a client of `source` sends requests to, each with its setting's
/// name: the API's (a page's `next` link is followed on its host only) and, for a worker,
/// the token endpoint's (the token URL, or else the auth base URL).
fn sent_urls<'a>(
    api_base: &'a str,
    auth_base: Option<&'a str>,
    token_url: Option<&'a str>,
    source: &TokenSource,
) -> [Option<(&'static str, &'a str)>; 2] {
    let token_endpoint = if source.is_worker() {
        match (token_url, auth_base) {
            (Some(url), _) => Some(("token URL", url)),
            (None, Some(url)) => Some(("auth base URL", url)),
            (None, None) => None,
        }
    } else {
        None
    };
    [Some(("API base URL", api_base)), token_endpoint]
}

/// Refuses a plain `http` URL among `urls` that the environment's proxies
/// (`HTTP_PROXY`, `ALL_PROXY`, in either case, less `NO_PROXY`'s hosts; `HTTP_PROXY` ignored
/// under CGI's `REQUEST_METHOD`), read as reqwest reads them when the client is built, send
/// to a proxy on another machine: the token or the worker's client secret would cross the
/// network to it in clear text, as through an explicit [`proxy`](ClientBuilder::proxy)
/// ([`check_plain_http_through_proxy`]), though the URL names this machine (RFC 6750 §5.3,
/// RFC 6749 §2.3.1). The caller checks that the client reads them (no explicit proxy, no
/// HTTP client of the caller's own, a host that is not this machine's) and that
/// `allow_plain_http` is off.
fn check_plain_http_through_environment_proxy<'a>(
    urls: impl IntoIterator<Item = (&'static str, &'a str)>,
) -> Result<(), Refused> {
    let mut proxies = None;
    for (what, url) in urls {
        if !reqwest::Url::parse(url).is_ok_and(|parsed| parsed.scheme() == "http") {
            continue;
        }
        let proxies =
            proxies.get_or_insert_with(hyper_util::client::proxy::matcher::Matcher::from_system);
        let proxy_elsewhere = url
            .parse()
            .ok()
            .and_then(|target| proxies.intercept(&target))
            .is_some_and(|proxy| {
                reqwest::Url::parse(&proxy.uri().to_string())
                    .is_ok_and(|proxy| !is_loopback(&proxy))
            });
        if proxy_elsewhere {
            return Err(Refused::PlainHttp(
                PlainHttpRefusal::new_through_environment_proxy(what, url),
            ));
        }
    }
    Ok(())
}

/// Why [`ClientBuilder::checked_urls`] refused the builder: a plain `http` URL that
/// [`allow_plain_http`](ClientBuilder::allow_plain_http) would let through, or another fault.
enum Refused {
    PlainHttp(PlainHttpRefusal),
    Other(Error),
}

impl From<Error> for Refused {
    fn from(error: Error) -> Self {
        Refused::Other(error)
    }
}

impl From<Refused> for Error {
    fn from(refused: Refused) -> Self {
        match refused {
            Refused::PlainHttp(refusal) => Error::Config(refusal.config_text()),
            Refused::Other(error) => error,
        }
    }
}

/// The error of a builder without a token source.
fn no_token_source() -> Error {
    Error::Config("set a token source: TokenSource::bearer or client_credentials".into())
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
            "the API base URL {shown_url} is PingOne's auth host, which serves tokens: the API \
             is at {} (as `Region::api_base_url` gives it)",
            pingone_url(&parsed, "api", domain, "/v1"),
            shown_url = quoted_url(&url)
        )));
    }
    if let Some(at) = parsed
        .path_segments()
        .into_iter()
        .flatten()
        .position(|segment| segment.eq_ignore_ascii_case("environments"))
    {
        // `https://api.pingone.com/v1/environments` or an environment's URL: every call would
        // go to `/environments/environments/...` (404, read as a missing user).
        let base: Vec<&str> = parsed
            .path_segments()
            .into_iter()
            .flatten()
            .take(at)
            .collect();
        let mut instead = parsed.clone();
        instead.set_path(&base.join("/"));
        return Err(Error::Config(format!(
            "the API base URL {shown_url} holds /environments in its path: the client adds \
             /environments/{{id}}/users itself, so the base URL ends before it: {}",
            quoted_url(instead.as_str().trim_end_matches('/')),
            shown_url = quoted_url(&url)
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
                "the API base URL {shown_url} {what}: PingOne's API path is {} (as \
                 `Region::api_base_url` gives it), and the client adds \
                 /environments/{{id}}/users itself",
                pingone_url(&parsed, "api", domain, "/v1"),
                shown_url = quoted_url(&url)
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
            "the auth base URL {shown_url} is PingOne's API host, which serves no tokens: the auth \
             base URL is {} (as `Region::auth_base_url` gives it)",
            pingone_url(&parsed, "auth", domain, ""),
            shown_url = quoted_url(&url)
        )));
    }
    if let Some(domain) = pingone_domain(&parsed, "auth") {
        let path = parsed.path().trim_matches('/');
        if !path.is_empty() {
            return Err(Error::Config(format!(
                "the auth base URL {shown_url} has the path /{path}: PingOne's auth base URL is {} \
                 (as `Region::auth_base_url` gives it), and the client adds \
                 /{{environmentID}}/as/token itself; give a whole token URL with token_url",
                pingone_url(&parsed, "auth", domain, ""),
                shown_url = quoted_url(&url)
            )));
        }
    }
    Ok(url)
}

/// How many slashes (or backslashes, which WHATWG URL parsing reads as slashes in an `http`
/// URL) follow the scheme's `:` in `url`, as written (leading spaces and control characters,
/// and tabs and newlines anywhere, left out, as the parser leaves them out); `None` without a
/// `:`.
fn slashes_after_scheme(url: &str) -> Option<usize> {
    let url = url.trim_start_matches(|c: char| c <= ' ');
    let (_, rest) = url.split_once(':')?;
    // The parser removes every ASCII tab and newline first, wherever they are.
    Some(
        rest.chars()
            .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
            .take_while(|&c| c == '/' || c == '\\')
            .count(),
    )
}

/// `url`, the base URL named `what` (`"API base URL"`), parsed.
fn parse_base_url(what: &str, url: &str) -> Result<reqwest::Url, Error> {
    reqwest::Url::parse(url).map_err(|error| {
        Error::Config(format!(
            "the {what} {shown_url} is not a URL: {error}",
            shown_url = quoted_url(url)
        ))
    })
}

/// The domain (`com`, `eu`, ...) of `parsed`'s host when it is PingOne's host of `service`
/// (`api` or `auth`: `api.pingone.eu`, with or without a final dot) in one of
/// [`Region::ALL`]'s domains. A host that only starts so (`api.pingone.corp.example`, a proxy)
/// is not PingOne's, and may serve the API or tokens at any path.
fn pingone_domain<'u>(parsed: &'u reqwest::Url, service: &str) -> Option<&'u str> {
    let domain = parsed
        .host_str()?
        .trim_end_matches('.')
        .strip_prefix(service)?
        .strip_prefix(".pingone.")?;
    Region::ALL
        .iter()
        .any(|region| {
            region
                .auth_base_url()
                .strip_prefix("https://auth.pingone.")
                .is_some_and(|known| known.eq_ignore_ascii_case(domain))
        })
        .then_some(domain)
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

/// What to add to the refusal of a base URL written without its scheme: the parser's words
/// ("relative URL without a base" for `api.pingone.eu/v1` or `127.0.0.1:8080/v1`, as the
/// emulator program prints its address; a scheme `localhost` for `localhost:8080/v1`) do not
/// say what to write. Empty for a URL that has a `://`.
fn missing_scheme_hint(url: &str) -> &'static str {
    if url.contains("://") {
        ""
    } else {
        "; write it with its scheme, https:// (or http:// for a local server) before the host"
    }
}

/// `url`, the base URL named `what` (`"API base URL"`), checked and without its final `/`;
/// a plain `http` URL to another machine is refused unless `allow_plain_http`
/// ([`ClientBuilder::allow_plain_http`]), with [`Refused::PlainHttp`].
fn check_base_url(
    what: &'static str,
    url: &str,
    allow_plain_http: bool,
) -> Result<String, Refused> {
    let parsed = parsed_base_url(what, url)?;
    // Last: a typo (`http:///v1`, read as the host `v1`) is better said as such.
    if parsed.scheme() == "http" && !allow_plain_http && !is_loopback(&parsed) {
        if is_unspecified_address(&parsed) {
            return Err(Error::Config(format!(
                "the {what} {} names the unspecified address, which a server listens on \
                 but which is not an address to send to (RFC 1122 §3.2.1.3, RFC 4291 §2.5.2): \
                 for this machine write 127.0.0.1 or [::1]",
                ShownUrl(url)
            ))
            .into());
        }
        return Err(Refused::PlainHttp(PlainHttpRefusal::new(what, url, false)));
    }
    Ok(parsed.as_str().trim_end_matches('/').to_owned())
}

/// `url`, the base URL named `what`, parsed, once checked for every fault but plain `http` to
/// another machine ([`check_base_url`]).
fn parsed_base_url(what: &str, url: &str) -> Result<reqwest::Url, Error> {
    let shown = ShownUrl(url);
    let parsed = reqwest::Url::parse(url).map_err(|error| {
        Error::Config(format!(
            "the {what} {shown} is not a URL: {error}{}",
            missing_scheme_hint(url)
        ))
    })?;
    if !matches!(parsed.scheme(), "http" | "https")
        || parsed.cannot_be_a_base()
        || parsed.host().is_none()
    {
        return Err(Error::Config(format!(
            "the {what} {shown} must be an absolute http or https URL{}",
            missing_scheme_hint(url)
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
    if let Some(slashes) = slashes_after_scheme(url).filter(|&slashes| slashes != 2) {
        // WHATWG URL parsing, which reqwest follows, reads `http:///v1` and `http:/v1` as the
        // host `v1`: a slash too many or too few is a typo, not that host.
        return Err(Error::Config(format!(
            "the {what} {shown} has {slashes} slash{} after `{}:`, where a URL has two \
             before its host: it would be read as the host {:?}",
            if slashes == 1 { "" } else { "es" },
            parsed.scheme(),
            parsed.host_str().unwrap_or_default()
        )));
    }
    if parsed.port() == Some(0) {
        return Err(Error::Config(format!(
            "the {what} {shown} has the port 0, on which no server listens"
        )));
    }
    Ok(parsed)
}

/// Whether `url`'s host is the unspecified address, `0.0.0.0` (also written `0`) or `[::]`
/// (an IPv4-mapped one too): the address a server listens on for all of its interfaces, not
/// one of this machine's to send to (RFC 1122 §3.2.1.3, RFC 4291 §2.5.2). Some systems
/// connect it to this machine, others refuse it, and a proxy connects it to its own.
fn is_unspecified_address(url: &reqwest::Url) -> bool {
    match host_ip(url) {
        Some(IpAddr::V4(ip)) => ip.is_unspecified(),
        Some(IpAddr::V6(ip)) => {
            ip.is_unspecified() || ip.to_ipv4_mapped().is_some_and(|ip| ip.is_unspecified())
        }
        None => false,
    }
}

/// Refuses a plain `http` URL among `urls` (each with its name, `"API base URL"`) while the
/// explicit `proxy` is another machine, unless `allow_plain_http`: the request, its bearer
/// token or the worker's client secret, then crosses the network to the proxy in clear text
/// (or reaches the proxy's machine, whose loopback is not this one), though the URL names this
/// machine (RFC 6750 §5.3, RFC 6749 §2.3.1). A proxy URL that is not one is left to the
/// proxy's own check.
fn check_plain_http_through_proxy<'a>(
    urls: impl IntoIterator<Item = (&'static str, &'a str)>,
    proxy: Option<&ProxyUrl>,
    allow_plain_http: bool,
) -> Result<(), Refused> {
    let proxy_elsewhere = proxy
        .and_then(|proxy| reqwest::Url::parse(&proxy.0).ok())
        .is_some_and(|proxy| !is_loopback(&proxy));
    if allow_plain_http || !proxy_elsewhere {
        return Ok(());
    }
    match urls
        .into_iter()
        .find(|(_, url)| reqwest::Url::parse(url).is_ok_and(|parsed| parsed.scheme() == "http"))
    {
        Some((what, url)) => Err(Refused::PlainHttp(PlainHttpRefusal::new(what, url, true))),
        None => Ok(()),
    }
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

/// How many characters of a URL given to the builder its errors and `Debug` quote: a URL of
/// a megabyte (a path read from a setting) went whole into `Error::Config`'s text.
const URL_CHARS: usize = 200;

/// A URL given to the builder in an error or in `Debug`: quoted, escaped as Rust's `Debug`
/// writes a string, and cut to [`URL_CHARS`] characters with its length.
fn quoted_url(url: &str) -> crate::quoted::Quoted<'_> {
    crate::quoted::Quoted {
        text: url,
        max: URL_CHARS,
    }
}

/// A URL given to the builder, quoted and cut ([`quoted_url`]), as errors and `Debug` show
/// it: with the user information (`user:password@`) of an `http` or `https` URL replaced by
/// `***@`, and not at all when it cannot be read as one (another scheme, or none:
/// `user:password@host`) and holds an `@`, which may end credentials.
struct ShownUrl<'a>(&'a str);

impl fmt::Display for ShownUrl<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let url = self.0;
        if !url.contains('@') {
            return write!(f, "{}", quoted_url(url));
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
            return write!(f, "{}", quoted_url(url));
        }
        if parsed.set_password(None).is_ok() && parsed.set_username("***").is_ok() {
            write!(f, "{}", quoted_url(parsed.as_str()))
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
