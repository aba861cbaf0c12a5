//! What the error of a 2xx whose body is not the JSON asked for says arrived: a proxy's or
//! captive portal's page answered with 200 to a read, a listing's page or a change, or an
//! empty body, is named as a 4xx's or 5xx's is (its kind, the `<title>` of an HTML page, its
//! length and its `Content-Type`). The transport kept no `Content-Type` of a 2xx, so these
//! errors quoted the page but did not name it (review 191, beside the token errors').

use futures_util::TryStreamExt as _;
use serde_json::json;
use sparse_patch::pingone::{Client, Error, RetryPolicy, TokenSource, User, UserPatch, UserQuery};
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

const ENV: &str = "abfba8f6-49eb-49f5-a5d9-80ad5c98f9f6";
const USER: &str = "a38890a6-295a-4d58-9f6e-b72b05fba379";

/// A client of a server that answers every request with `answer` (a static bearer token, no
/// retries), and the server.
async fn client_answered(answer: ResponseTemplate) -> (Client, MockServer) {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(answer.clone())
        .mount(&server)
        .await;
    Mock::given(method("PATCH"))
        .respond_with(answer)
        .mount(&server)
        .await;
    let client = Client::builder()
        .api_base_url(format!("{}/v1", server.uri()))
        .token(TokenSource::bearer("a-static-token"))
        .retry_policy(RetryPolicy::never())
        .build()
        .unwrap();
    (client, server)
}

/// The error of a listing (every page collected) of a server that answers `answer`.
async fn listing_error(answer: ResponseTemplate) -> Error {
    let (client, _server) = client_answered(answer).await;
    client
        .list_users(ENV, &UserQuery::all())
        .try_collect::<Vec<User>>()
        .await
        .unwrap_err()
}

/// The reason of an `Error::Decode` of a 200, checked to be one.
fn reason_of_200(error: &Error) -> String {
    match error {
        Error::Decode {
            status: 200,
            reason,
            ..
        } => reason.clone(),
        other => panic!("not the decode error of a 200: {other:?}"),
    }
}

const SIGN_IN: &str = "<html><title>Sign in to the guest network</title><form></form></html>";

#[tokio::test]
async fn a_sign_in_page_answered_to_a_read_is_named_with_its_content_type() {
    let (client, _server) =
        client_answered(ResponseTemplate::new(200).set_body_raw(SIGN_IN, "text/html")).await;
    let error = client.get_user(ENV, USER).await.unwrap_err();
    let reason = reason_of_200(&error);
    assert!(
        reason.starts_with(&format!(
            "the body is not JSON but an HTML page titled \"Sign in to the guest network\" of \
             {} bytes (Content-Type \"text/html\") (a page of a proxy or gateway? see its \
             start): ",
            SIGN_IN.len()
        )),
        "{reason}"
    );
    assert!(
        error.to_string().contains("<html><title>Sign in"),
        "{error}"
    );
}

/// A listing's page: plain text, and a body without a `Content-Type`.
#[tokio::test]
async fn a_listings_page_that_is_no_json_is_named_with_its_content_type() {
    let error =
        listing_error(ResponseTemplate::new(200).set_body_string("Maintenance until 6:00")).await;
    let reason = reason_of_200(&error);
    assert!(
        reason.starts_with(
            "the body is not JSON but a body of 22 bytes (Content-Type \"text/plain\")"
        ),
        "{reason}"
    );

    let error =
        listing_error(ResponseTemplate::new(200).set_body_bytes(b"Maintenance".to_vec())).await;
    let reason = reason_of_200(&error);
    assert!(
        reason.starts_with("the body is not JSON but a body of 11 bytes (no Content-Type)"),
        "{reason}"
    );
}

/// A change answered 200 with an empty body under a `Content-Type`: named, as a 4xx's empty
/// body's is.
#[tokio::test]
async fn an_empty_answer_to_a_change_is_named_with_its_content_type() {
    let (client, _server) =
        client_answered(ResponseTemplate::new(200).set_body_raw("", "text/html")).await;
    let patch = UserPatch::new().title("x");
    let error = client.update_user(ENV, USER, &patch).await.unwrap_err();
    let reason = reason_of_200(&error);
    assert!(reason.starts_with("the body is empty, where"), "{reason}");
    assert!(reason.ends_with("; Content-Type \"text/html\""), "{reason}");
}

/// A user's document under a `Content-Type` that is not JSON's is read as it was: the
/// `Content-Type` is only said in an error.
#[tokio::test]
async fn a_users_json_under_another_content_type_is_still_read() {
    let user = json!({"id": USER, "username": "dspanner", "email": "d@example.com"}).to_string();
    let (client, _server) =
        client_answered(ResponseTemplate::new(200).set_body_raw(user, "text/html")).await;
    let user = client.get_user(ENV, USER).await.unwrap();
    assert_eq!(user.username, "dspanner");
}
