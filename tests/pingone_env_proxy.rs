//! The environment's proxies (issue 13): the client built by `ClientBuilder::build` honours
//! `HTTPS_PROXY` for `https` URLs and `NO_PROXY` for the hosts that go direct; an explicit
//! `proxy` replaces them, and a `reqwest::Client` of the user's own keeps its own choice.
//!
//! A program of its own with one test: the environment is global to the process, and is set
//! before any thread starts.

#[path = "support/https.rs"]
mod https;

use std::time::Duration;

use https::{CountingProxy, HttpsFront, TestCa, ring};
use sparse_patch::pingone::emulator::Emulator;
use sparse_patch::pingone::{Client, ClientBuilder, RetryPolicy, TokenSource};

fn builder(base: String, emulator: &Emulator, ca: &TestCa) -> ClientBuilder {
    Client::builder()
        .api_base_url(base)
        .token(TokenSource::bearer(emulator.token()))
        .add_root_certificate(ca.pem())
        .retry_policy(RetryPolicy::never())
        .timeout(Duration::from_secs(10))
}

#[test]
fn https_proxy_and_no_proxy_are_honoured_and_an_explicit_proxy_wins() {
    let env_proxy = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let env_proxy_url = format!("http://{}", env_proxy.local_addr().unwrap());
    // SAFETY: no other thread runs yet (this program has this one test, and no runtime,
    // emulator or server is started before), so nothing reads the environment meanwhile.
    unsafe {
        for name in [
            "http_proxy",
            "https_proxy",
            "all_proxy",
            "no_proxy",
            "HTTP_PROXY",
            "ALL_PROXY",
            "REQUEST_METHOD",
        ] {
            std::env::remove_var(name);
        }
        std::env::set_var("HTTPS_PROXY", &env_proxy_url);
        // `localhost` goes direct; 127.0.0.1, the same server, does not match.
        std::env::set_var("NO_PROXY", "localhost");
    }
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let env_proxy = CountingProxy::serve(env_proxy);
        let explicit_proxy = CountingProxy::start().await;
        let ca = TestCa::new("sparse-patch test CA");
        let emulator = Emulator::builder().record_requests(true).start().unwrap();
        let front = HttpsFront::start(&ca, ring(), emulator.addr()).await;
        let (env, user) = (emulator.environment_id(), emulator.user_id());

        // HTTPS_PROXY: the request to 127.0.0.1 goes through a CONNECT tunnel.
        let client = builder(front.api_base_url(), &emulator, &ca)
            .build()
            .unwrap();
        client.get_user(env, user).await.unwrap();
        assert_eq!(env_proxy.tunnels(), 1);
        assert!(env_proxy.heads()[0].starts_with("CONNECT 127.0.0.1:"));

        // NO_PROXY=localhost: the same server by that name is reached directly.
        let direct = builder(front.api_base_url_by_name(), &emulator, &ca)
            .build()
            .unwrap();
        direct.get_user(env, user).await.unwrap();
        assert_eq!(env_proxy.tunnels(), 1);

        // An explicit proxy replaces the environment's, NO_PROXY included.
        for base in [front.api_base_url(), front.api_base_url_by_name()] {
            builder(base, &emulator, &ca)
                .proxy(explicit_proxy.url())
                .build()
                .unwrap()
                .get_user(env, user)
                .await
                .unwrap();
        }
        assert_eq!(explicit_proxy.tunnels(), 2);
        assert_eq!(env_proxy.tunnels(), 1);

        // A client of the user's own keeps its own choice: here, no proxy at all.
        let mut roots = rustls::RootCertStore::empty();
        roots.add(ca.der()).unwrap();
        let own = reqwest::Client::builder()
            .tls_backend_preconfigured(
                rustls::ClientConfig::builder_with_provider(ring())
                    .with_safe_default_protocol_versions()
                    .unwrap()
                    .with_root_certificates(roots)
                    .with_no_client_auth(),
            )
            .no_proxy()
            .build()
            .unwrap();
        Client::builder()
            .api_base_url(front.api_base_url())
            .token(TokenSource::bearer(emulator.token()))
            .http_client(own)
            .build()
            .unwrap()
            .get_user(env, user)
            .await
            .unwrap();
        assert_eq!(env_proxy.tunnels(), 1);
        assert_eq!(explicit_proxy.tunnels(), 2);
        // Every call reached the emulator.
        assert_eq!(emulator.requests().len(), 5);
    });
}
