//! What a proxy that cannot be used reports (docs/pingone_transport/README.md): a proxy that
//! cannot be reached is `Error::Transport` whose text names the API URL and the refused
//! connection but not the proxy, whose address is in the error's `Debug` (its credentials in
//! neither); `connect_timeout` bounds a proxy's tunnel, and `Error::Timeout` then carries that
//! duration; a proxy's 407 to a worker's plain `http` token request is `Error::Token` that
//! says so, not retried; a proxy in the environment without a scheme is taken as `http://`;
//! a `socks5://` one is not refused by `build()` and fails each call with `Error::Transport`.
//!
//! A program of its own with one test: the environment is global to the process, and is set
//! before any thread starts.

use std::time::Duration;

use sparse_patch::pingone::{Client, Error, RetryPolicy, TokenSource};

const ENV: &str = "abfba8f6-49eb-49f5-a5d9-80ad5c98f9f6";
const USER: &str = "a38890a6-295a-4d58-9f6e-b72b05fba379";
/// A host that only a proxy would resolve: this machine's hosts go direct whatever the
/// environment says.
const API: &str = "https://api.pingone.test/v1";

#[test]
fn proxies_that_cannot_be_used_fail_each_call_saying_why() {
    // A port that nothing listens on: bound, then closed.
    let closed = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    // A proxy that answers every CONNECT with 407, named in the environment without a scheme.
    let asks_for_credentials = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let without_scheme = asks_for_credentials.local_addr().unwrap().to_string();
    // SAFETY: no other thread runs yet (this program has this one test, and no runtime or
    // server is started before), so nothing reads the environment meanwhile.
    unsafe {
        for name in [
            "http_proxy",
            "https_proxy",
            "all_proxy",
            "no_proxy",
            "NO_PROXY",
            "HTTP_PROXY",
            "HTTPS_PROXY",
            "REQUEST_METHOD",
        ] {
            std::env::remove_var(name);
        }
        std::env::set_var("HTTPS_PROXY", &without_scheme);
        std::env::set_var("ALL_PROXY", format!("socks5://{closed}"));
    }
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let builder = || {
            Client::builder()
                .api_base_url(API)
                .token(TokenSource::bearer("static-token"))
                .retry_policy(RetryPolicy::never())
                .timeout(Duration::from_secs(10))
        };

        // An explicit proxy that cannot be reached (it replaces the environment's), with
        // credentials that neither the client's `Debug` nor the error shows.
        let client = builder()
            .proxy(format!("http://proxy-user:proxy-secret@{closed}"))
            .build()
            .unwrap();
        assert!(!format!("{client:?}").contains("proxy-secret"), "{client:?}");
        let error = client.get_user(ENV, USER).await.unwrap_err();
        assert!(!format!("{error} {error:?}").contains("proxy-secret"), "{error:?}");
        let Error::Transport { source, .. } = &error else {
            panic!("{error:?}")
        };
        assert!(source.is_connect(), "{error:?}");
        let text = error.to_string();
        assert!(
            text.starts_with("transport failure after 1 attempt(s): ")
                && text.contains("https://api.pingone.test/v1/environments/")
                && text.to_lowercase().contains("connection refused"),
            "{text}"
        );
        assert!(!text.contains(&closed.port().to_string()), "{text}");
        assert!(
            format!("{error:?}").contains(&closed.to_string()),
            "{error:?}"
        );

        // A proxy that takes the connection and never answers its CONNECT: the connect
        // timeout, not the per-attempt one, ends the attempt.
        let silent = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let silent_url = format!("http://{}", silent.local_addr().unwrap());
        let held = tokio::spawn(async move {
            let mut open = Vec::new();
            while let Ok((stream, _)) = silent.accept().await {
                open.push(stream);
            }
        });
        let error = builder()
            .proxy(silent_url)
            .connect_timeout(Duration::from_millis(200))
            .build()
            .unwrap()
            .get_user(ENV, USER)
            .await
            .unwrap_err();
        assert!(
            matches!(error, Error::Timeout { timeout, attempts: 1 } if timeout == Duration::from_millis(200)),
            "{error:?}"
        );
        held.abort();

        // A proxy that asks for credentials of a worker's plain `http` token request answers
        // it in place of the token endpoint: `Error::Token` with the same words, not retried.
        let asking = wiremock::MockServer::start().await;
        wiremock::Mock::given(wiremock::matchers::any())
            .respond_with(
                wiremock::ResponseTemplate::new(407)
                    .insert_header("proxy-authenticate", "Basic realm=\"corp\"")
                    .set_body_string("<html><body>Proxy Authentication Required</body></html>"),
            )
            .mount(&asking)
            .await;
        let error = Client::builder()
            .api_base_url("http://gateway.example.test/v1")
            .auth_base_url("http://auth.example.test")
            .allow_plain_http(true)
            .token(TokenSource::client_credentials(ENV, "worker", "worker-secret"))
            .proxy(asking.uri())
            .retry_policy(
                RetryPolicy::default().initial_backoff(Duration::from_millis(1)),
            )
            .build()
            .unwrap()
            .get_user(ENV, USER)
            .await
            .unwrap_err();
        assert!(
            matches!(error, Error::Token { status: 407, .. }),
            "{error:?}"
        );
        let text = error.to_string();
        assert!(text.starts_with("the proxy asked for credentials"), "{text}");
        assert!(!text.contains("worker-secret"), "{text}");
        assert!(!error.is_retryable(), "{error:?}");
        assert_eq!(asking.received_requests().await.unwrap().len(), 1);

        // A proxy of the environment without a scheme (`HTTPS_PROXY=host:port`) is taken as
        // an `http://` one: the CONNECT reaches it.
        asks_for_credentials.set_nonblocking(true).unwrap();
        let asks_for_credentials = tokio::net::TcpListener::from_std(asks_for_credentials).unwrap();
        let connects = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let counted = std::sync::Arc::clone(&connects);
        let asking = tokio::spawn(async move {
            use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
            while let Ok((mut socket, _)) = asks_for_credentials.accept().await {
                let mut head = Vec::new();
                let mut byte = [0_u8; 1];
                while !head.ends_with(b"\r\n\r\n") && socket.read(&mut byte).await.is_ok_and(|n| n == 1) {
                    head.push(byte[0]);
                }
                if head.starts_with(b"CONNECT api.pingone.test:443 ") {
                    counted.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                }
                let _ = socket
                    .write_all(b"HTTP/1.1 407 Proxy Authentication Required\r\ncontent-length: 0\r\n\r\n")
                    .await;
            }
        });
        let error = builder().build().unwrap().get_user(ENV, USER).await.unwrap_err();
        assert!(
            error.to_string().contains("the proxy asked for credentials"),
            "{error}"
        );
        assert_eq!(connects.load(std::sync::atomic::Ordering::SeqCst), 1);
        asking.abort();

        // A SOCKS proxy from the environment (`ALL_PROXY`, for an `http` URL here): built, then
        // every call fails, saying why (a call that went direct would fail too, on the name
        // only a proxy resolves).
        let client = builder()
            .api_base_url("http://api.pingone.test/v1")
            .allow_plain_http(true)
            .build()
            .unwrap();
        for _ in 0..2 {
            let error = client.get_user(ENV, USER).await.unwrap_err();
            assert!(matches!(error, Error::Transport { .. }), "{error:?}");
            assert!(
                error.to_string().contains("unsupported scheme socks5"),
                "{error}"
            );
        }
    });
}
