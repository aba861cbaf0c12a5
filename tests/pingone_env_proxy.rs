//! The environment's proxies (issue 13): the client built by `ClientBuilder::build` honours
//! `HTTPS_PROXY` for `https` URLs and `NO_PROXY` for the hosts that go direct, and this
//! machine's own hosts (127.0.0.1, `localhost`) go direct whatever they say; an explicit
//! `proxy` replaces them, and a `reqwest::Client` of the user's own keeps its own choice.
//!
//! A program of its own with one test: the environment is global to the process, and is set
//! before any thread starts.

#[path = "support/https.rs"]
mod https;

use std::time::Duration;

use https::{CountingProxy, HttpsFront, TestCa, ring};
use sparse_patch::pingone::emulator::Emulator;
use sparse_patch::pingone::{Client, ClientBuilder, Error, RetryPolicy, TokenSource};

fn builder(base: String, emulator: &Emulator, ca: &TestCa) -> ClientBuilder {
    Client::builder()
        .api_base_url(base)
        .token(TokenSource::bearer(emulator.token()))
        .add_root_certificate(ca.pem())
        .retry_policy(RetryPolicy::never())
        .timeout(Duration::from_secs(10))
}

#[test]
fn https_proxy_and_no_proxy_are_honoured_loopback_goes_direct_and_an_explicit_proxy_wins() {
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
            "ALL_PROXY",
            "REQUEST_METHOD",
        ] {
            std::env::remove_var(name);
        }
        std::env::set_var("HTTPS_PROXY", &env_proxy_url);
        std::env::set_var("HTTP_PROXY", &env_proxy_url);
        // Names neither 127.0.0.1 nor `localhost`.
        std::env::set_var("NO_PROXY", "direct.test");
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

        // HTTPS_PROXY: a request to another machine (a name only the proxy resolves) goes
        // through a CONNECT tunnel.
        let client = builder(front.api_base_url_through_proxy(), &emulator, &ca)
            .build()
            .unwrap();
        client.get_user(env, user).await.unwrap();
        assert_eq!(env_proxy.tunnels(), 1);
        assert!(env_proxy.heads()[0].starts_with("CONNECT api.pingone.test:"));

        // NO_PROXY: a host it names goes direct (here a name that no resolver knows, so the
        // call fails, with no tunnel).
        let error = builder("https://direct.test:9/v1".to_owned(), &emulator, &ca)
            .build()
            .unwrap()
            .get_user(env, user)
            .await
            .unwrap_err();
        assert!(
            matches!(error, Error::Transport { .. } | Error::Timeout { .. }),
            "{error:?}"
        );
        assert_eq!(env_proxy.tunnels(), 1);

        // This machine's hosts go direct, which NO_PROXY does not name: a proxy taken from the
        // environment reached its own loopback, not this machine's (seanmonstar/reqwest#2152,
        // unslothai/unsloth#7709; Go's net/http and actions/toolkit#1361 leave loopback out).
        // 127.0.0.1 went through the tunnel.
        for base in [front.api_base_url(), front.api_base_url_by_name()] {
            builder(base, &emulator, &ca)
                .build()
                .unwrap()
                .get_user(env, user)
                .await
                .unwrap();
        }
        assert_eq!(env_proxy.tunnels(), 1);

        // HTTP_PROXY and the emulator over plain http, as the README's examples run it, with a
        // worker's credentials: the token request and the call go direct. They went to the
        // proxy, which answered 405 (a proxy elsewhere could not reach this machine's port).
        let worker = Client::builder()
            .api_base_url(emulator.api_base_url())
            .auth_base_url(emulator.auth_base_url())
            .token(TokenSource::client_credentials(
                env,
                emulator.client_id(),
                emulator.client_secret(),
            ))
            .retry_policy(RetryPolicy::never())
            .build()
            .unwrap();
        worker.get_user(env, user).await.unwrap();
        assert_eq!(env_proxy.heads().len(), 1);

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
        // Every call but the one to `direct.test` reached the emulator.
        assert_eq!(emulator.requests().len(), 7);
    });
}
