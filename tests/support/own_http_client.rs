//! A reqwest client of the user's own, as `ClientBuilder::http_client`'s example builds one:
//! rustls with the `ring` provider and no trusted roots (the tests that use it send plain
//! `http` to this machine), reqwest's defaults otherwise.
#![allow(dead_code)]

/// A builder of a reqwest client of the user's own: its TLS configured here (`ring`, no
/// roots), the rest (proxies, redirects) the caller's.
pub fn own_http_client_builder() -> reqwest::ClientBuilder {
    let tls = rustls::ClientConfig::builder_with_provider(std::sync::Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .unwrap()
    .with_root_certificates(rustls::RootCertStore::empty())
    .with_no_client_auth();
    reqwest::Client::builder().tls_backend_preconfigured(tls)
}
