//! Tests of the token cache's parts that no call from outside reaches.

use super::*;

/// A token PingOne refused with 401 ([`TokenProvider::invalidate`]) while a fetch was
/// under way, and that is due for its refresh later than the token that fetch brings: the
/// refused token is dropped before the two are compared, and the fetched one is cached.
/// Compared first, the refused token was kept, as the one that lives longer; the next
/// call then dropped it, and fetched again. Not reached from outside but in the moment
/// between a 401 call's `invalidate` and its next `token`, when a fetch ends. (Mutation
/// testing: not dropping the refused token first went unnoticed.)
#[test]
fn a_refused_token_is_dropped_before_the_fetched_one_is_compared_with_it() {
    let provider = TokenProvider::new(
        TokenSource::client_credentials("abfba8f6-49eb-49f5-a5d9-80ad5c98f9f6", "id", "s"),
        None,
        Some("http://127.0.0.1:9"),
        Duration::from_secs(60),
    );
    let http = crate::pingone::http_client::HttpSettings::default()
        .build(
            Duration::from_secs(1),
            reqwest::header::HeaderValue::from_static("test"),
        )
        .unwrap();
    let transport = Transport::new(
        http,
        crate::pingone::RetryPolicy::default(),
        Duration::from_secs(1),
        None,
        None,
        None,
        None,
    );
    let now = Instant::now();
    let refused = Secret::new("refused".to_owned());
    let fetched = Secret::new("fetched".to_owned());
    provider.state().cached = Some(Cached {
        token: refused.clone(),
        fetch: 1,
        refresh_at: now + Duration::from_secs(3000),
        usable_until: now + Duration::from_secs(3500),
    });
    provider.set_usable(Some(Usable {
        token: refused.clone(),
        refresh_at: now + Duration::from_secs(3000),
    }));
    provider.invalidate(&refused);
    provider.record(
        Ok(Cached {
            token: fetched.clone(),
            fetch: 0,
            refresh_at: now + Duration::from_secs(600),
            usable_until: now + Duration::from_secs(630),
        }),
        &transport,
        &Weak::new(),
    );
    assert!(provider.ready() == Some(fetched.clone()));
    let state = provider.state();
    let cached = state.cached.as_ref().unwrap();
    assert!(cached.token == fetched);
    assert_eq!(cached.fetch, 1);
}
