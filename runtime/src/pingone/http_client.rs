//! The HTTP client built here ([`HttpSettings`], [`HttpRecipe`]): rustls with the `ring`
//! provider given explicitly (no process-wide default is read or installed), the system's
//! trust store (rustls-platform-verifier) and the extra root certificates, the proxy, the
//! timeouts and the user agent, and no redirect followed.

use core::fmt;
use std::sync::Arc;
use std::time::Duration;

use reqwest::header::HeaderValue;
use rustls::pki_types::CertificateDer;
use rustls::pki_types::pem::PemObject as _;

use super::Error;

/// A PEM text of one or more root certificates ([`ClientBuilder::add_root_certificate`]),
/// read when the client is built.
///
/// [`ClientBuilder::add_root_certificate`]: super::ClientBuilder::add_root_certificate
#[derive(Clone)]
pub(crate) struct RootCertificatePem(pub(crate) Vec<u8>);

impl fmt::Debug for RootCertificatePem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "RootCertificatePem({} bytes)", self.0.len())
    }
}

/// A proxy URL ([`ClientBuilder::proxy`]), checked when the client is built. Its `Debug`
/// leaves it out: it may hold the proxy's credentials.
///
/// [`ClientBuilder::proxy`]: super::ClientBuilder::proxy
#[derive(Clone)]
pub(crate) struct ProxyUrl(pub(crate) String);

impl fmt::Debug for ProxyUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ProxyUrl(..)")
    }
}

/// The settings of an HTTP client, read and checked by [`HttpSettings::recipe`], from which
/// [`HttpRecipe::client`] builds it.
#[derive(Debug, Default)]
pub(crate) struct HttpSettings<'a> {
    /// Trusted besides the system's trust store.
    pub(crate) root_certificates: &'a [RootCertificatePem],
    /// Every request goes through it; `None`: the environment's proxies (`HTTPS_PROXY`...).
    pub(crate) proxy: Option<&'a ProxyUrl>,
    pub(crate) connect_timeout: Option<Duration>,
    /// Every host that the client sends to is this machine's ([`is_loopback`]): the
    /// environment's proxies are not read (an explicit `proxy` still applies).
    pub(crate) only_loopback: bool,
}

impl HttpSettings<'_> {
    /// Whether any setting is made (they configure a client built here, not one the user
    /// brought).
    pub(crate) fn any_set(&self) -> bool {
        !self.root_certificates.is_empty() || self.proxy.is_some() || self.connect_timeout.is_some()
    }

    /// An HTTP/1.1 client over rustls with the `ring` provider given explicitly, the system's
    /// trust store and the extra root certificates, and the proxy and connect timeout, with
    /// `timeout` per request and `user_agent` (also sent to the proxy on `CONNECT`).
    #[cfg(test)]
    pub(crate) fn build(
        &self,
        timeout: Duration,
        user_agent: HeaderValue,
    ) -> Result<reqwest::Client, Error> {
        self.recipe(timeout, user_agent)?.client()
    }

    /// The settings read and checked once, from which [`HttpRecipe::client`] builds an HTTP
    /// client (HTTP/1.1 over rustls with the `ring` provider given explicitly, the system's trust
    /// store and the extra root certificates, the proxy and connect timeout, `timeout` per
    /// request and `user_agent`), one per tokio runtime.
    pub(crate) fn recipe(
        &self,
        timeout: Duration,
        user_agent: HeaderValue,
    ) -> Result<HttpRecipe, Error> {
        let proxy = self.proxy.map(|url| read_proxy(&url.0)).transpose()?;
        let roots = self.read_root_certificates()?;
        // rustls 0.23.48 deprecates `ring::default_provider` (it has no post-quantum key
        // exchange). A crate that depends on sparse-patch resolves its own rustls, not this
        // repository's Cargo.lock, and cargo shows a path dependency's warnings: without the
        // `allow`, `cargo build` of every such crate warned from this line. ring stays the
        // provider (see docs/pingone_transport/, "PingOne: transport").
        #[allow(deprecated)]
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let verifier = if roots.is_empty() {
            rustls_platform_verifier::Verifier::new(Arc::clone(&provider))
        } else {
            rustls_platform_verifier::Verifier::new_with_extra_roots(roots, Arc::clone(&provider))
        }
        .map_err(|error| Error::Config(format!("cannot load the trusted certificates: {error}")))?;
        let mut tls = rustls::ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .map_err(|error| Error::Config(format!("cannot configure TLS: {error}")))?
            .dangerous() // a verifier of our choice: the platform's, as reqwest's own setup
            .with_custom_certificate_verifier(Arc::new(verifier))
            .with_no_client_auth();
        // reqwest is built without HTTP/2: offer what it speaks.
        tls.alpn_protocols = vec![b"http/1.1".to_vec()];
        Ok(HttpRecipe {
            tls,
            proxy,
            no_environment_proxy: self.only_loopback,
            timeout,
            connect_timeout: self.connect_timeout,
            user_agent,
        })
    }

    /// Every certificate of every PEM text, each checked as a trust anchor.
    fn read_root_certificates(&self) -> Result<Vec<CertificateDer<'static>>, Error> {
        let mut roots = Vec::new();
        for (index, pem) in self.root_certificates.iter().enumerate() {
            let number = index + 1;
            let before = roots.len();
            for certificate in CertificateDer::pem_slice_iter(&pem.0) {
                let certificate = certificate.map_err(|error| {
                    Error::Config(format!(
                        "root certificate {number} is not valid PEM: {error}"
                    ))
                })?;
                rustls::RootCertStore::empty()
                    .add(certificate.clone())
                    .map_err(|error| {
                        Error::Config(format!(
                            "root certificate {number} is not a usable CA certificate: {error}"
                        ))
                    })?;
                roots.push(certificate);
            }
            if roots.len() == before {
                return Err(Error::Config(format!(
                    "root certificate {number} holds no PEM CERTIFICATE block"
                )));
            }
        }
        Ok(roots)
    }
}

/// Installs rustls's `ring` crypto provider, the one this crate's client uses, as the
/// process-wide default, unless a default is installed already; returns whether this call
/// installed it. Call it first in `main`, before any `reqwest::Client` of your own is built,
/// when your program builds such clients with reqwest's own TLS setup.
///
/// Why: the `client` feature builds reqwest 0.13 with its `rustls-no-provider` feature, and
/// cargo turns on a dependency's features for every crate in the build that uses it. A
/// reqwest of your own with no provider feature of its own (`default-features = false`
/// without `rustls`) then panics in `reqwest::Client::new()` and
/// `reqwest::ClientBuilder::build()`: "No rustls crypto provider is configured" (reqwest's
/// `default_rustls_crypto_provider`). With reqwest's default features (the `rustls` feature
/// brings the aws-lc-rs provider) or with `native-tls` your clients have a provider and need
/// nothing. The client that [`ClientBuilder::build`](super::ClientBuilder::build) makes never
/// needs this: it gives `ring` to its own TLS configuration and does not read the default.
///
/// Sources: rustls's `CryptoProvider::install_default` and cryptography providers
/// (<https://docs.rs/rustls/0.23/rustls/#cryptography-providers>); reqwest 0.13's TLS features
/// (<https://docs.rs/reqwest/0.13/reqwest/tls/index.html>).
///
/// ```
/// // Before any reqwest::Client of your own: with no provider feature of its own, reqwest
/// // would panic on the next line.
/// sparse_patch::pingone::install_default_crypto_provider();
/// let http = reqwest::Client::new();
/// # let _ = http;
/// // A second call finds the default installed.
/// assert!(!sparse_patch::pingone::install_default_crypto_provider());
/// ```
#[cfg(feature = "client")]
pub fn install_default_crypto_provider() -> bool {
    // See `HttpSettings::recipe` on the deprecation of `ring::default_provider`.
    #[allow(deprecated)]
    let provider = rustls::crypto::ring::default_provider();
    // `install_default` refuses, changing nothing, where a default is installed already.
    provider.install_default().is_ok()
}

/// `url` as a proxy for every request: an absolute `http` or `https` URL with a host. The
/// errors leave the URL out, since it may hold credentials.
fn read_proxy(url: &str) -> Result<reqwest::Proxy, Error> {
    let parsed = reqwest::Url::parse(url).map_err(|error| {
        Error::Config(format!(
            "the proxy URL is not a URL ({error}): write it as http://host:port"
        ))
    })?;
    if !matches!(parsed.scheme(), "http" | "https") || parsed.host().is_none() {
        return Err(Error::Config(
            "the proxy URL must be an http:// or https:// URL with a host, such as \
             http://host:port (SOCKS proxies are not supported)"
                .into(),
        ));
    }
    reqwest::Proxy::all(parsed)
        .map_err(|error| Error::Config(format!("the proxy URL is refused: {error}")))
}

/// What [`HttpSettings::recipe`] read and checked: enough to build the same HTTP client again
/// (the TLS configuration, its verifier and trust store shared, not read again), with a
/// connection pool of its own, for another tokio runtime
/// ([`RuntimePools`](super::runtime_pools::RuntimePools)).
pub(crate) struct HttpRecipe {
    tls: rustls::ClientConfig,
    proxy: Option<reqwest::Proxy>,
    /// No proxy read from the environment (`HTTPS_PROXY`...): see [`is_loopback`].
    no_environment_proxy: bool,
    timeout: Duration,
    connect_timeout: Option<Duration>,
    user_agent: HeaderValue,
}

impl HttpRecipe {
    /// A new HTTP client with these settings and an empty pool.
    pub(crate) fn client(&self) -> Result<reqwest::Client, Error> {
        // No redirect is followed: PingOne's API answers none, and reqwest would follow a
        // 301, 302 or 303 to a PATCH as a GET, whose user document then passed for the
        // PATCH's answer (nothing changed, success reported), or send a 307 or 308's PATCH
        // body to any host. A 3xx is returned as an error (`Error::Decode` with its status).
        let mut builder = reqwest::Client::builder()
            .tls_backend_preconfigured(self.tls.clone())
            .redirect(reqwest::redirect::Policy::none())
            .timeout(self.timeout)
            .user_agent(self.user_agent.clone());
        if let Some(proxy) = &self.proxy {
            builder = builder.proxy(proxy.clone());
        } else if self.no_environment_proxy {
            builder = builder.no_proxy();
        }
        if let Some(timeout) = self.connect_timeout {
            builder = builder.connect_timeout(timeout);
        }
        builder
            .build()
            .map_err(|error| Error::Config(format!("cannot build the HTTP client: {error}")))
    }
}

/// Whether `url`'s host is this machine's loopback: an IP address of `127.0.0.0/8` or `::1`
/// (an IPv4-mapped one too), `localhost` or a name under it (RFC 6761 §6.3), in any case and
/// with or without a final dot. A proxy taken from the environment (`HTTP_PROXY`,
/// `HTTPS_PROXY`, `ALL_PROXY`) does not serve such a host: the proxy's loopback is not the
/// caller's, so the request reached the proxy's machine, or nothing (reqwest reads
/// `NO_PROXY` alone, seanmonstar/reqwest#2152; Go's `net/http` and actions/toolkit#1361 leave
/// loopback out of any proxy).
pub(crate) fn is_loopback(url: &reqwest::Url) -> bool {
    let Some(host) = url.host_str() else {
        return false;
    };
    match host_ip(url) {
        Some(std::net::IpAddr::V4(ip)) => ip.is_loopback(),
        Some(std::net::IpAddr::V6(ip)) => {
            ip.is_loopback() || ip.to_ipv4_mapped().is_some_and(|ip| ip.is_loopback())
        }
        None => {
            let name = host.strip_suffix('.').unwrap_or(host).to_ascii_lowercase();
            name == "localhost" || name.ends_with(".localhost")
        }
    }
}

/// `url`'s host when it is an IP address (an IPv6 one written in brackets), `None` for a name
/// or no host.
pub(crate) fn host_ip(url: &reqwest::Url) -> Option<std::net::IpAddr> {
    let host = url.host_str()?;
    let bare = host
        .strip_prefix('[')
        .and_then(|host| host.strip_suffix(']'));
    bare.unwrap_or(host).parse().ok()
}

#[cfg(test)]
mod tests {
    use super::is_loopback;

    #[test]
    fn loopback_hosts_are_this_machines_addresses_and_localhost_names() {
        for (url, loopback) in [
            ("http://127.0.0.1:8080/v1", true),
            ("http://127.255.0.9/", true),
            ("http://[::1]:8080/", true),
            ("http://[::ffff:127.0.0.1]/", true),
            ("http://localhost/", true),
            ("http://LocalHost./", true),
            ("http://emulator.localhost/", true),
            ("https://api.pingone.com/v1", false),
            ("http://10.0.0.1/", false),
            ("http://[::2]/", false),
            ("http://localhost.example.com/", false),
            ("http://notlocalhost/", false),
            ("http://128.0.0.1/", false),
        ] {
            let parsed = reqwest::Url::parse(url).unwrap();
            assert_eq!(is_loopback(&parsed), loopback, "{url}");
        }
    }
}
