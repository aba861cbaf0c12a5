//! `UserQuery::limit`: a page size of 1 to `MAX_PAGE_SIZE` (200, the default) is sent as it
//! is; one outside that range is `Error::InvalidInput` and nothing is sent (the chapter
//! "PingOne: finding users", **Paging**).

use futures_util::TryStreamExt;
use sparse_patch::pingone::emulator::{Emulator, REFERENCE_ENVIRONMENT_ID};
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
