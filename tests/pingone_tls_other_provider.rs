//! The client when the process has already installed a different rustls crypto provider
//! (issue 13): it neither uses nor replaces it. A program of its own, since the process
//! default is global.
//!
//! The installed provider is ring restricted to one TLS 1.3 cipher suite
//! (ChaCha20-Poly1305) that the local HTTPS server does not offer (it offers only
//! AES-128-GCM): a client that took the process default could not complete a handshake, as
//! plain reqwest shows below.

#[path = "support/https.rs"]
mod https;

use std::sync::Arc;
use std::time::Duration;

use https::{HttpsFront, TestCa};
use rustls::crypto::{CryptoProvider, ring};
use sparse_patch::pingone::emulator::Emulator;
use sparse_patch::pingone::{Client, RetryPolicy, TokenSource};

fn ring_with(suite: rustls::SupportedCipherSuite) -> CryptoProvider {
    CryptoProvider {
        cipher_suites: vec![suite],
        ..ring::default_provider()
    }
}

#[test]
fn the_client_works_beside_a_different_process_default_and_leaves_it_in_place() {
    ring_with(ring::cipher_suite::TLS13_CHACHA20_POLY1305_SHA256)
        .install_default()
        .expect("the first provider installed in this process");
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let ca = TestCa::new("sparse-patch test CA");
        let emulator = Emulator::start().unwrap();
        let server = Arc::new(ring_with(ring::cipher_suite::TLS13_AES_128_GCM_SHA256));
        let front = HttpsFront::start(&ca, server, emulator.addr()).await;
        let url = format!(
            "{}/environments/{}/users/{}",
            front.api_base_url(),
            emulator.environment_id(),
            emulator.user_id()
        );

        // Plain reqwest takes the process default, and fails: the setup bites.
        let plain = reqwest::Client::builder()
            .tls_certs_merge([reqwest::Certificate::from_pem(ca.pem().as_bytes()).unwrap()])
            .build()
            .unwrap();
        let refused = plain.get(&url).send().await.unwrap_err();
        assert!(refused.is_connect(), "{refused:?}");
        assert_eq!(front.handshakes(), 0);

        // The client brings its own provider (all of ring's suites): it succeeds.
        let client = Client::builder()
            .api_base_url(front.api_base_url())
            .token(TokenSource::bearer(emulator.token()))
            .add_root_certificate(ca.pem())
            .retry_policy(RetryPolicy::never())
            .timeout(Duration::from_secs(10))
            .build()
            .unwrap();
        let user = client
            .get_user(emulator.environment_id(), emulator.user_id())
            .await
            .unwrap();
        assert_eq!(user.id.as_deref(), Some(emulator.user_id()));
        assert_eq!(front.handshakes(), 1);
    });

    // The process default is still the one installed first.
    let default = CryptoProvider::get_default().expect("still installed");
    let suites: Vec<_> = default
        .cipher_suites
        .iter()
        .map(|suite| suite.suite())
        .collect();
    assert_eq!(
        suites,
        [rustls::CipherSuite::TLS13_CHACHA20_POLY1305_SHA256]
    );
}
