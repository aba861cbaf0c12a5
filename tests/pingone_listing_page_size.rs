//! `UserQuery::limit`: a page size of 1 to `MAX_PAGE_SIZE` (200, the default) is sent as it
//! is; one outside that range is `Error::InvalidInput` and nothing is sent. The emulator
//! answers a `limit` past `EmulatorBuilder::max_page_size` (200 by default) with a page of
//! that size (the chapter "PingOne: finding users", **Paging** and **The emulator**).

use futures_util::TryStreamExt;
use serde_json::Value;
use sparse_patch::pingone::emulator::{Emulator, REFERENCE_ENVIRONMENT_ID, generated_user};
use sparse_patch::pingone::{Error, MAX_PAGE_SIZE, UserQuery};

#[path = "support/emulator_client.rs"]
mod emulator_client;
use emulator_client::client_of;

const ENV: &str = REFERENCE_ENVIRONMENT_ID;

#[test]
fn the_largest_page_is_200_users() {
    assert_eq!(MAX_PAGE_SIZE, 200);
}

/// 1 and 200 (the bounds) and the default are sent as `limit=`; 0, 201 and `u32::MAX` are
/// refused, saying the range, with no request.
#[tokio::test]
async fn a_page_size_from_1_to_200_is_sent_and_another_refused() {
    let emulator = Emulator::start().unwrap();
    let client = client_of(&emulator);
    for (query, sent) in [
        (UserQuery::all().limit(1), "limit=1"),
        (UserQuery::all().limit(200), "limit=200"),
        (UserQuery::all(), "limit=200"),
    ] {
        let users = client
            .list_users(ENV, &query)
            .try_collect::<Vec<_>>()
            .await
            .unwrap();
        assert_eq!(users.len(), 1, "the reference user");
        let requests = emulator.requests();
        assert_eq!(requests.last().unwrap().query, sent);
    }
    let before = emulator.requests().len();
    for limit in [0, 201, u32::MAX] {
        let error = client
            .list_users(ENV, &UserQuery::all().limit(limit))
            .try_collect::<Vec<_>>()
            .await
            .unwrap_err();
        assert!(
            matches!(&error, Error::InvalidInput(m) if m.contains("is not between 1 and 200")),
            "{error:?}"
        );
    }
    assert_eq!(emulator.requests().len(), before, "nothing was sent");
}

/// 201 users asked for with `limit=500`, past what the client sends: the emulator answers 200
/// of them and a `next` link.
#[tokio::test]
async fn the_emulator_caps_a_page_at_200_users_by_default() {
    let emulator = Emulator::builder().no_users().start().unwrap();
    for n in 0..201 {
        emulator.insert_user(generated_user(n));
    }
    // An error only means that a provider is already installed.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let page: Value = reqwest::Client::new()
        .get(format!(
            "{}/environments/{ENV}/users?limit=500",
            emulator.api_base_url()
        ))
        .bearer_auth(emulator.token())
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(page["_embedded"]["users"].as_array().unwrap().len(), 200);
    assert!(
        page["_links"]["next"]["href"].is_string(),
        "{}",
        page["_links"]
    );
}
