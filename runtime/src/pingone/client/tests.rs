//! The unit tests of `client.rs`.

use bytes::Bytes;

use super::*;
use crate::pingone::TokenSource;
use crate::pingone::secret::Secret;

/// A client of a static token at the API base `base`.
fn client_at(base: &str) -> Client {
    Client::builder()
        .api_base_url(base)
        .token(TokenSource::bearer("token"))
        .build()
        .unwrap()
}

/// `user_url` builds in place what `format!` of the lowered IDs gives.
#[test]
fn user_url_is_the_base_and_the_lowered_ids() {
    let ids = [
        "abfba8f6-49eb-49f5-a5d9-80ad5c98f9f6",
        "ABFBA8F6-49EB-49F5-A5D9-80AD5C98F9F6",
        "a38890a6-295a-4d58-9f6e-B72B05FBA379",
    ];
    for base in ["https://api.pingone.eu/v1", "http://127.0.0.1:8080/V1/"] {
        let client = client_at(base);
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

/// The parsed URL of a user's calls (`user_target`) is the URL of `user_url`'s text, for
/// bases with and without a path, in any case, with a port, and with a path that parsing
/// encodes; each ID in either case.
#[test]
fn user_target_is_user_url_parsed() {
    let ids = [
        "abfba8f6-49eb-49f5-a5d9-80ad5c98f9f6",
        "ABFBA8F6-49EB-49F5-A5D9-80AD5C98F9F6",
        "a38890a6-295a-4d58-9f6e-B72B05FBA379",
    ];
    let bases = [
        "https://api.pingone.eu/v1",
        "http://127.0.0.1:8080/V1/",
        "http://localhost:3000",
        "http://localhost:3000/",
        "https://Proxy.Example.COM/pingone/api/v1//",
        "http://[::1]:9000/a%20b/c d/é",
        "http://127.0.0.1/x/./y/../v1",
    ];
    for base in bases {
        let client = client_at(base);
        for environment in ids {
            for user in ids {
                let text = client.user_url(environment, user).unwrap();
                let parsed = client.user_target(environment, user).unwrap();
                assert_eq!(parsed, reqwest::Url::parse(&text).unwrap(), "{base}");
                assert_eq!(parsed.as_str(), text, "{base}");
            }
        }
        assert!(client.user_target("not-a-uuid", ids[0]).is_err());
        assert!(client.user_target(ids[0], "not-a-uuid").is_err());
    }
}
