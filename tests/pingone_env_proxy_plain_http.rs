//! Plain `http` to this machine through the environment's proxy: a client that sends to
//! another machine too (PingOne's API) reads `HTTP_PROXY` and `ALL_PROXY`, which reqwest
//! applies to this machine's hosts as to any other (only `NO_PROXY` exempts them). A worker's
//! token URL `http://127.0.0.1:.../as/token` then went to the proxy, its client secret in the
//! `Authorization` header in clear text, where `build` refuses the same URL through an
//! explicit proxy on another machine. `build` refuses it now, and `plain_http_refusal` says
//! so.
//!
//! A program of its own with one test: the environment is global to the process, and is set
//! here while no other thread runs.

#[path = "support/own_http_client.rs"]
mod own_http_client;
use own_http_client::own_http_client_builder;

use sparse_patch::pingone::{Client, ClientBuilder, Error, Region, TokenSource};

const ENV: &str = "abfba8f6-49eb-49f5-a5d9-80ad5c98f9f6";
const PROXY_NAMES: [&str; 9] = [
    "HTTP_PROXY",
    "http_proxy",
    "HTTPS_PROXY",
    "https_proxy",
    "ALL_PROXY",
    "all_proxy",
    "NO_PROXY",
    "no_proxy",
    "REQUEST_METHOD",
];

/// Sets the environment's proxy variables to `set` alone.
fn environment(set: &[(&str, &str)]) {
    // SAFETY: this program has this one test, which starts no thread, runtime or server:
    // nothing reads the environment meanwhile.
    unsafe {
        for name in PROXY_NAMES {
            std::env::remove_var(name);
        }
        for (name, value) in set {
            std::env::set_var(name, value);
        }
    }
}

/// A worker of PingOne's API whose token endpoint is on this machine, in plain http.
fn local_token_endpoint() -> ClientBuilder {
    Client::builder()
        .region(Region::NorthAmerica)
        .token_url("http://127.0.0.1:9/as/token")
        .token(TokenSource::client_credentials(ENV, "worker", "s3cret"))
}

/// An HTTP client of the caller's own, which reads no proxy from the environment.
fn own_http_client() -> reqwest::Client {
    own_http_client_builder().no_proxy().build().unwrap()
}

/// `builder`'s refusal, as `plain_http_refusal` and `build` give it, if any.
fn refusal(builder: &ClientBuilder) -> Option<(&'static str, String)> {
    let told = builder.plain_http_refusal();
    let built = builder.clone().build();
    match (told, built) {
        (Some(told), Err(Error::Config(text))) => {
            assert!(text.starts_with(&told.to_string()), "{text}");
            assert!(told.through_proxy(), "{told:?}");
            assert!(told.through_environment_proxy(), "{told:?}");
            Some((told.setting(), text))
        }
        (None, Ok(_)) => None,
        (told, built) => panic!("{told:?} {:?}", built.err()),
    }
}

#[test]
fn plain_http_to_this_machine_through_the_environments_proxy_is_refused() {
    let elsewhere = "http://proxy.example:3128";
    for name in ["HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy"] {
        environment(&[(name, elsewhere)]);
        let (setting, text) = refusal(&local_token_endpoint()).unwrap_or_else(|| panic!("{name}"));
        assert_eq!(setting, "token URL");
        for said in [
            "http://127.0.0.1:9/as/token",
            "environment's proxy",
            "NO_PROXY",
        ] {
            assert!(text.contains(said), "{name}: {text}");
        }
        assert!(!text.contains("proxy.example"), "{text}");
        // The API's URL too, the token endpoint being PingOne's.
        let api_on_this_machine = Client::builder()
            .api_base_url("http://localhost:9/v1")
            .auth_base_url(Region::Europe.auth_base_url())
            .token(TokenSource::client_credentials(ENV, "worker", "s3cret"));
        assert_eq!(
            refusal(&api_on_this_machine).map(|(setting, _)| setting),
            Some("API base URL"),
            "{name}"
        );
    }
    // Not through the environment's proxy: NO_PROXY names the host, `HTTP_PROXY` under CGI
    // (httpoxy), a proxy for https only, a proxy on this machine.
    for set in [
        &[("HTTP_PROXY", elsewhere), ("NO_PROXY", "127.0.0.1")][..],
        &[
            ("all_proxy", elsewhere),
            ("no_proxy", "10.0.0.0/8, 127.0.0.0/8"),
        ],
        &[("HTTP_PROXY", elsewhere), ("REQUEST_METHOD", "GET")],
        &[("HTTPS_PROXY", elsewhere)],
        &[("HTTP_PROXY", "http://127.0.0.1:3128")],
        &[],
    ] {
        environment(set);
        assert_eq!(refusal(&local_token_endpoint()), None, "{set:?}");
    }
    // `*` in NO_PROXY names every domain, not an IP address, as reqwest reads it: 127.0.0.1
    // still goes through the proxy, `localhost` goes direct.
    environment(&[("HTTP_PROXY", elsewhere), ("NO_PROXY", "*")]);
    assert!(refusal(&local_token_endpoint()).is_some());
    assert_eq!(
        refusal(
            &Client::builder()
                .region(Region::NorthAmerica)
                .token_url("http://localhost:9/as/token")
                .token(TokenSource::client_credentials(ENV, "worker", "s3cret"))
        ),
        None
    );
    environment(&[("HTTP_PROXY", elsewhere)]);
    // Allowed; an explicit proxy, on this machine, in its place; an HTTP client of the
    // caller's own; a client whose every host is
    // this machine, which reads no proxy of the environment; and a plain http auth base URL
    // that a bearer token's client never sends to.
    assert_eq!(
        refusal(&local_token_endpoint().allow_plain_http(true)),
        None
    );
    assert_eq!(
        refusal(&local_token_endpoint().proxy("http://127.0.0.1:3128")),
        None
    );
    // A client of the caller's own keeps its own choice of proxies (here, none): `build`
    // does not read the environment's for it.
    assert_eq!(
        refusal(&local_token_endpoint().http_client(own_http_client())),
        None
    );
    assert_eq!(
        refusal(
            &Client::builder()
                .api_base_url("http://127.0.0.1:9/v1")
                .token_url("http://127.0.0.1:9/as/token")
                .token(TokenSource::client_credentials(ENV, "worker", "s3cret"))
        ),
        None
    );
    assert_eq!(
        refusal(
            &Client::builder()
                .region(Region::NorthAmerica)
                .auth_base_url("http://127.0.0.1:9")
                .token(TokenSource::bearer("token"))
        ),
        None
    );
    environment(&[]);
}
