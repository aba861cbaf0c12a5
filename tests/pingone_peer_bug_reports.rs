//! The client and the emulator against cases taken from bug reports on peer HTTP and OAuth
//! clients (reqwest, oauth2-rs, Go's oauth2, kube-rs, the AWS and Azure SDKs, octocrab).

#[path = "support/own_http_client.rs"]
mod own_http_client;
use own_http_client::own_http_client_builder;

use serde_json::{Value, json};
use sparse_patch::pingone::{Client, Error, RetryPolicy, TokenSource};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[path = "support/emulator_client.rs"]
mod emulator_client;
use emulator_client::emulator_patch;
#[path = "support/mock_pingone.rs"]
mod mock_pingone;
use mock_pingone::{
    ENV, TOKEN_PATH, USER, USER_PATH, error_after_token_answer, posts_received, worker,
};

fn user() -> Value {
    json!({"id": USER, "username": "dspanner", "email": "dspanner@example.com"})
}

fn client(server: &MockServer) -> Client {
    Client::builder()
        .api_base_url(format!("{}/v1", server.uri()))
        .token(TokenSource::bearer("secret-token"))
        .retry_policy(RetryPolicy::never())
        .build()
        .unwrap()
}

/// The emulator's token URL, and a client-credentials form that authenticates with
/// `client_secret` in the body (RFC 6749 §4.4.2 and §2.3.1); installs the TLS crypto
/// provider that a test run alone needs.
fn token_request(emulator: &sparse_patch::pingone::emulator::Emulator) -> (String, String) {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let url = format!(
        "{}/{}/as/token",
        emulator.auth_base_url(),
        emulator.environment_id()
    );
    let form = format!(
        "grant_type=client_credentials&client_id={}&client_secret={}",
        emulator.client_id(),
        emulator.client_secret()
    );
    (url, form)
}

/// The JSON body of the token endpoint's `answer`, asserted to be a 400 `invalid_request`
/// (RFC 6749 §5.2); `case` names the request in a failure's message.
async fn invalid_token_request_body(answer: reqwest::Response, case: &str) -> Value {
    assert_eq!(answer.status().as_u16(), 400, "{case}");
    let answer: Value = answer.json().await.unwrap();
    assert_eq!(answer["error"], "invalid_request", "{case}: {answer}");
    answer
}

/// A token answer whose `expires_in` is a string of digits (`"3600"`), as Azure AD's v1
/// endpoint wrote it and as gateways that re-serialize JSON do: the client refused a usable
/// token (`invalid type: string "3600", expected u64`) and every call failed. Go's
/// `golang.org/x/oauth2` reads it (a `json.Number`). Now read as the number it spells, and
/// the lifetime it gives is used (a lifetime of zero is due for a refresh at once:
/// the next call fetches again). A string that is not digits is still refused.
#[tokio::test]
async fn an_expires_in_written_as_a_string_of_digits_is_read() {
    for (expires_in, fetches) in [(json!("3600"), 1), (json!("0"), 2)] {
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .and(path(TOKEN_PATH))
            .respond_with(ResponseTemplate::new(200).set_body_json(
                json!({"access_token": "tok", "token_type": "Bearer", "expires_in": expires_in}),
            ))
            .mount(&server)
            .await;
        Mock::given(method("GET"))
            .and(path(USER_PATH))
            .respond_with(ResponseTemplate::new(200).set_body_json(user()))
            .mount(&server)
            .await;
        let client = worker(&server);
        client.get_user(ENV, USER).await.unwrap();
        client.get_user(ENV, USER).await.unwrap();
        let posts = posts_received(&server).await;
        assert_eq!(posts, fetches, "expires_in {expires_in}");
    }
    for expires_in in [
        json!("abc"),
        json!("-1"),
        json!(" 3600"),
        json!("1e3"),
        json!(""),
    ] {
        let error = error_after_token_answer(ResponseTemplate::new(200).set_body_json(
            json!({"access_token": "tok", "token_type": "Bearer", "expires_in": expires_in}),
        ))
        .await;
        assert!(
            matches!(&error, Error::Decode { status: 200, reason, .. } if reason.contains("expires_in")),
            "expires_in {expires_in}: {error:?}"
        );
    }
}

/// A token answer whose `expires_in` is an integral float (`3600.0`, `3.6e3`), as servers
/// whose JSON numbers are all doubles write it (Node's and .NET's serializers of a double,
/// gateways that re-serialize JSON; oauth2-rs and Go's oauth2 met it): the client refused a
/// usable token (`invalid type: floating point 3600.0`) and every call failed. Now a float
/// whose fraction is zero is read as the whole number it is, and its lifetime used (`0.0` is
/// due at once: the next call fetches again). A whole number past 64 bits (`1e20`, or the
/// integer `100000000000000000000`, which serde_json reads as a float) is a lifetime past the
/// client's cap of a day, as the same digits in a string are: it was refused, and the token
/// with it. A fraction and a negative number are still refused, with a `Decode` error that
/// names `expires_in` and quotes the value.
#[tokio::test]
async fn an_expires_in_written_as_an_integral_float_is_read() {
    let token_body = |expires_in: &str| {
        format!(r#"{{"access_token": "tok", "token_type": "Bearer", "expires_in": {expires_in}}}"#)
    };
    for (expires_in, fetches) in [
        ("3600.0", 1),
        ("3.6e3", 1),
        ("3600E0", 1),
        ("0.0", 2),
        ("-0.0", 2),
        ("1e20", 1),
        ("1e300", 1),
        ("100000000000000000000", 1),
    ] {
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .and(path(TOKEN_PATH))
            .respond_with(
                ResponseTemplate::new(200).set_body_raw(token_body(expires_in), "application/json"),
            )
            .mount(&server)
            .await;
        Mock::given(method("GET"))
            .and(path(USER_PATH))
            .respond_with(ResponseTemplate::new(200).set_body_json(user()))
            .mount(&server)
            .await;
        let client = worker(&server);
        client.get_user(ENV, USER).await.unwrap();
        client.get_user(ENV, USER).await.unwrap();
        let posts = posts_received(&server).await;
        assert_eq!(posts, fetches, "expires_in {expires_in}");
    }
    for expires_in in ["3600.5", "1.5", "-1.0", "-3600", "-1e20", "[3600]"] {
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .and(path(TOKEN_PATH))
            .respond_with(
                ResponseTemplate::new(200).set_body_raw(token_body(expires_in), "application/json"),
            )
            .mount(&server)
            .await;
        let error = worker(&server).get_user(ENV, USER).await.unwrap_err();
        assert!(
            matches!(&error, Error::Decode { status: 200, reason, .. }
                if reason.contains("expires_in") && reason.contains("whole number of seconds")),
            "expires_in {expires_in}: {error:?}"
        );
        assert_eq!(posts_received(&server).await, 1, "expires_in {expires_in}");
    }
}

/// A token endpoint that negotiates its answer's format, as GitHub's does (form-encoded
/// `access_token=...&token_type=bearer` unless the request asks for JSON), and gateways in front
/// of an authorization server that serve several formats: the token request sent no `Accept`,
/// so such an endpoint answered form-encoded text, and every call failed with `Decode` (the
/// body withheld, as it holds a token). Peers met it and now send `Accept: application/json`
/// on token requests (badgateway/oauth2-client#152, pomerium#6195,
/// googleworkspace/apps-script-oauth2#6). RFC 6749 §5.1's answer is JSON: the client asks
/// for it.
#[tokio::test]
async fn the_token_request_asks_for_json() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(TOKEN_PATH))
        .and(wiremock::matchers::header("accept", "application/json"))
        .respond_with(ResponseTemplate::new(200).set_body_json(
            json!({"access_token": "tok", "token_type": "Bearer", "expires_in": 3600}),
        ))
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path(TOKEN_PATH))
        .respond_with(ResponseTemplate::new(200).set_body_raw(
            "access_token=tok&scope=&token_type=bearer",
            "application/x-www-form-urlencoded",
        ))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(USER_PATH))
        .and(wiremock::matchers::header("authorization", "Bearer tok"))
        .respond_with(ResponseTemplate::new(200).set_body_json(user()))
        .mount(&server)
        .await;
    let result = worker(&server).get_user(ENV, USER).await;
    assert!(result.is_ok(), "{result:?}");
    assert_eq!(posts_received(&server).await, 1);

    // An endpoint that answers form-encoded text all the same: the error says so, and still
    // does not quote the body (it holds the token).
    let error = error_after_token_answer(ResponseTemplate::new(200).set_body_raw(
        "access_token=tok-form&scope=&token_type=bearer",
        "application/x-www-form-urlencoded",
    ))
    .await;
    assert!(
        matches!(&error, Error::Decode { status: 200, reason, body_start, .. }
            if reason.contains("form-encoded") && body_start.is_empty()),
        "{error:?}"
    );
    assert!(!format!("{error:?}").contains("tok-form"), "{error:?}");
}

/// The first bytes of a gzip stream (RFC 1952): what a proxy that compresses answers the
/// client did not ask to be compressed sends.
const GZIP: &[u8] = &[
    0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 0xab, 0xae, 5, 0, 0x43, 0xbf,
];

fn gzipped(status: u16) -> ResponseTemplate {
    ResponseTemplate::new(status)
        .insert_header("content-encoding", "gzip")
        .set_body_raw(GZIP, "application/json")
}

/// A gateway that compresses answers whatever the request says (the client sends no
/// `Accept-Encoding` and decodes nothing): the error said `expected value at line 1 column 1`
/// and quoted the compressed bytes as if they were the body, and a PingOne error body so
/// compressed was "not a PingOne error body". Now each error says the body is
/// `Content-Encoding "gzip"`, which the client did not ask for, on the users API and on the
/// token endpoint alike; `identity` is no encoding.
#[tokio::test]
async fn a_body_compressed_without_being_asked_says_so() {
    for status in [200, 400, 502] {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .and(path(USER_PATH))
            .respond_with(gzipped(status))
            .mount(&server)
            .await;
        let error = client(&server).get_user(ENV, USER).await.unwrap_err();
        assert!(
            matches!(&error, Error::Decode { status: s, reason, .. }
                if *s == status && reason.contains("Content-Encoding \"gzip\"")
                    && !reason.contains("UTF-16")),
            "HTTP {status}: {error:?}"
        );
    }

    let error = error_after_token_answer(gzipped(200)).await;
    assert!(
        matches!(&error, Error::Decode { status: 200, reason, .. }
            if reason.contains("Content-Encoding \"gzip\"") && !reason.contains("UTF-16")),
        "{error:?}"
    );
    let error = error_after_token_answer(gzipped(401)).await;
    assert!(
        matches!(&error, Error::Token { status: 401, description: Some(text), .. }
            if text.contains("Content-Encoding \"gzip\"") && !text.contains("UTF-16")),
        "{error:?}"
    );

    // `identity` is the body as it is.
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(USER_PATH))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("content-encoding", "identity")
                .set_body_json(user()),
        )
        .mount(&server)
        .await;
    client(&server).get_user(ENV, USER).await.unwrap();
}

/// A `Content-Encoding` list of `identity` with empty elements (`identity,`, `, identity`) is
/// the body as it is: RFC 9110 §5.6.1 has a recipient ignore a list's empty elements. The
/// empty element was taken for an encoding, and the error of a body that is not JSON said it
/// was `Content-Encoding "identity,"` and not decoded, sending one looking for a compressing
/// proxy that was not there.
#[tokio::test]
async fn empty_elements_of_an_identity_content_encoding_are_ignored() {
    for encoding in ["identity,", ", identity", "identity, , identity"] {
        let error = error_of_a_page_not_json(&[encoding]).await;
        assert!(
            !error.to_string().contains("Content-Encoding"),
            "{encoding:?}: {error}"
        );
    }
}

/// Two `Content-Encoding` lines are one list (RFC 9110 §5.3): `identity` then `gzip` is a gzip
/// body, which the error of a body that is not JSON says; only the first line was read, and
/// the error left the encoding out. Two `identity` lines are the body as it is.
#[tokio::test]
async fn content_encoding_lines_are_read_as_one_list() {
    for (second, named) in [("gzip", true), ("identity", false)] {
        let error = error_of_a_page_not_json(&["identity", second]).await;
        assert_eq!(
            error
                .to_string()
                .contains("Content-Encoding \"identity, gzip\""),
            named,
            "{second}: {error}"
        );
    }
}

/// The error of a user read answered 200 with a page that is not JSON and a `Content-Encoding`
/// line for each of `encodings`, checked to be `Error::Decode` of that 200.
async fn error_of_a_page_not_json(encodings: &[&str]) -> Error {
    let server = MockServer::start().await;
    let answer = encodings.iter().fold(
        ResponseTemplate::new(200).set_body_string("<html>not json</html>"),
        |answer, encoding| answer.append_header("content-encoding", *encoding),
    );
    Mock::given(method("GET"))
        .and(path(USER_PATH))
        .respond_with(answer)
        .mount(&server)
        .await;
    let error = client(&server).get_user(ENV, USER).await.unwrap_err();
    assert!(
        matches!(error, Error::Decode { status: 200, .. }),
        "{error:?}"
    );
    error
}

/// A PATCH that spells a core attribute in another case (`userName`, SCIM's spelling, or
/// `Email`, `ID`, `Enabled`): PingOne's attribute names are case-sensitive and an attribute
/// that matches nothing in its schema is ignored (`/work/shared/reference`, "The operation"),
/// but the emulator, with no custom attributes declared, stored each as a custom attribute and
/// echoed it in its 200, so that a caller's (or the sync job's) check of the answer saw the
/// misspelt attribute applied where PingOne would show it absent; a member of `name` or
/// `address` so spelt (`name.Given`) was kept in the object. Now such a name is ignored
/// as PingOne ignores it, unless the environment declares it
/// (`EmulatorBuilder::custom_attributes`); a custom attribute of another name is kept as
/// before.
#[tokio::test]
async fn the_emulator_ignores_a_core_attribute_spelt_in_another_case() {
    use sparse_patch::pingone::emulator::Emulator;

    let emulator = Emulator::start().unwrap();
    let before = emulator.user(emulator.user_id()).unwrap();
    for body in [
        json!({"userName": "other"}),
        json!({"USERNAME": "other"}),
        json!({"Email": "other@example.com"}),
        json!({"ID": "zzz"}),
        json!({"Enabled": false}),
        json!({"Name": {"given": "Ada"}}),
        json!({"Population": {"id": "zzz"}}),
        json!({"name": {"Given": "Ada"}}),
        json!({"address": {"PostalCode": "1"}}),
    ] {
        let (status, answer) = emulator_patch(&emulator, &body).await;
        assert_eq!(status, 200, "{body}: {answer}");
        let (key, value) = body.as_object().unwrap().iter().next().unwrap();
        let member = value.as_object().and_then(|members| members.keys().next());
        match member {
            Some(member) if key == "name" || key == "address" => assert!(
                answer
                    .get(key)
                    .and_then(|object| object.get(member))
                    .is_none(),
                "{body} was kept: {answer}"
            ),
            _ => assert!(answer.get(key).is_none(), "{body} was kept: {answer}"),
        }
        assert_eq!(answer["name"], before["name"], "{body}");
        assert_eq!(answer["username"], before["username"], "{body}");
    }
    let stored = emulator.user(emulator.user_id()).unwrap();
    for key in [
        "userName",
        "USERNAME",
        "Email",
        "ID",
        "Enabled",
        "Name",
        "Population",
    ] {
        assert!(stored.get(key).is_none(), "{key} stored: {stored}");
    }

    // Another name is a custom attribute, as before; a declared one is kept in any case.
    let (status, answer) = emulator_patch(&emulator, &json!({"costCenter": "42"})).await;
    assert_eq!((status, &answer["costCenter"]), (200, &json!("42")));
    let declared = Emulator::builder()
        .custom_attributes(["Email"])
        .start()
        .unwrap();
    let (status, answer) = emulator_patch(&declared, &json!({"Email": "x"})).await;
    assert_eq!((status, &answer["Email"]), (200, &json!("x")));
}

/// With the user's own HTTP client (reqwest's default policy follows up to 10 redirects), a
/// redirect loop (a gateway that answers 302 to the same URL, as after a misconfigured
/// login) ends in reqwest's `too many redirects`, which the client retried as a transport
/// failure: each of the policy's attempts followed the loop again, 55 requests for 5
/// attempts, each carrying the token to the same host. The same request meets the same loop:
/// now it is not sent again.
#[tokio::test]
async fn a_redirect_loop_followed_by_the_users_own_http_client_is_not_retried() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(USER_PATH))
        .respond_with(
            ResponseTemplate::new(302)
                .insert_header("location", format!("{}{USER_PATH}", server.uri())),
        )
        .mount(&server)
        .await;
    let own = own_http_client_builder().build().unwrap();
    let client = Client::builder()
        .api_base_url(format!("{}/v1", server.uri()))
        .token(TokenSource::bearer("secret-token"))
        .retry_policy(
            RetryPolicy::default()
                .max_attempts(5)
                .initial_backoff(std::time::Duration::from_millis(1))
                .jitter(false),
        )
        .http_client(own)
        .build()
        .unwrap();
    let error = client.get_user(ENV, USER).await.unwrap_err();
    assert!(
        matches!(&error, Error::Transport { attempts: 1, .. }),
        "{error:?}"
    );
    assert!(error.to_string().contains("redirect"), "{error}");
    // Nor is it one to try again later: the loop is still there.
    assert!(!error.is_retryable(), "{error:?}");
    // The first request and reqwest's 10 redirects: one attempt.
    assert_eq!(server.received_requests().await.unwrap().len(), 11);
}

/// A token request whose body is the right form but whose `Content-Type` is missing or
/// another (a client that writes the body by hand and forgets the header, as reqwest's
/// `body(String)` sends none): RFC 6749 §4.4.2 and Appendix B ask for
/// `application/x-www-form-urlencoded`, and an authorization server need not read anything
/// else, but the emulator issued a token, so such a client passed its tests against the
/// emulator. Now it answers 400 `invalid_request` saying so; the media type is read in any
/// case, with parameters.
#[tokio::test]
async fn the_emulator_token_endpoint_wants_a_form_content_type() {
    use sparse_patch::pingone::emulator::Emulator;

    let emulator = Emulator::start().unwrap();
    let (url, body) = token_request(&emulator);
    let http = reqwest::Client::new();
    for content_type in [None, Some("application/json"), Some("text/plain")] {
        let mut request = http.post(&url).body(body.clone());
        if let Some(content_type) = content_type {
            request = request.header("content-type", content_type);
        }
        let answer = request.send().await.unwrap();
        assert_eq!(answer.status().as_u16(), 400, "{content_type:?}");
        let answer: Value = answer.json().await.unwrap();
        assert_eq!(
            answer["error"], "invalid_request",
            "{content_type:?}: {answer}"
        );
        assert!(
            answer["error_description"]
                .as_str()
                .unwrap()
                .contains("application/x-www-form-urlencoded"),
            "{answer}"
        );
    }
    for content_type in [
        "application/x-www-form-urlencoded",
        "Application/X-WWW-Form-Urlencoded; charset=UTF-8",
    ] {
        let answer = http
            .post(&url)
            .header("content-type", content_type)
            .body(body.clone())
            .send()
            .await
            .unwrap();
        assert_eq!(answer.status().as_u16(), 200, "{content_type}");
    }
}

/// A token request that repeats a parameter (`grant_type=password&grant_type=client_credentials`,
/// two `client_secret`s, `client_id` spelt `%63lient_id` the second time): RFC 6749 §3.2 says
/// parameters MUST NOT be included more than once and §5.2 answers it `invalid_request`, as
/// Keycloak (KEYCLOAK-16009), Gravitee AM (#363) and WSO2 IS do, but the emulator read the
/// form into a map where the last one won and issued a token, so a client that builds its
/// form wrong passed against it. Now a repeated parameter is 400 `invalid_request` naming it.
/// A parameter sent without a value is as if omitted (§3.2): an empty `client_secret=` beside
/// HTTP Basic is no second authentication.
#[tokio::test]
async fn the_emulator_token_endpoint_refuses_a_repeated_parameter() {
    use sparse_patch::pingone::emulator::Emulator;

    let emulator = Emulator::start().unwrap();
    let (url, body) = token_request(&emulator);
    let http = reqwest::Client::new();
    let post = |form: String| {
        http.post(&url)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(form)
    };
    let (id, secret) = (emulator.client_id(), emulator.client_secret());
    for (form, repeated) in [
        (format!("grant_type=password&{body}"), "grant_type"),
        (
            format!("{body}&grant_type=client_credentials"),
            "grant_type",
        ),
        (format!("{body}&client_secret=wrong"), "client_secret"),
        (format!("{body}&%63lient_id={id}"), "client_id"),
    ] {
        let answer = post(form.clone()).send().await.unwrap();
        let answer = invalid_token_request_body(answer, &form).await;
        let description = answer["error_description"].as_str().unwrap();
        assert!(description.contains(repeated), "{form}: {answer}");
        assert!(!description.contains(secret), "{form}: {answer}");
    }
    // An empty value is an omitted parameter: HTTP Basic alone authenticates.
    let answer = post("grant_type=client_credentials&client_secret=".to_owned())
        .basic_auth(id, Some(secret))
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status().as_u16(), 200);
    // Nor is an omitted one a first inclusion: beside it, the one with a value is the only one
    // (it was refused as repeated).
    for form in [
        format!("client_secret=&{body}"),
        format!("client_id&grant_type=&{body}"),
        format!("{body}&client_secret="),
    ] {
        let answer = post(form.clone()).send().await.unwrap();
        assert_eq!(answer.status().as_u16(), 200, "{form}");
    }
    // The form as the client sends it still gets a token.
    assert_eq!(post(body).send().await.unwrap().status().as_u16(), 200);
}

/// A request with two `Authorization` headers (a client that sets its own beside one its HTTP
/// client or a middleware adds, as in gatling#3574, sentry-cli#663, continuedev/continue#7047):
/// the field is not a list (RFC 9110 §5.3, §11.6.2), so a server answers 400, as RFC 6750 §3.1
/// says of a request that "uses more than one method for including an access token" and
/// RFC 6749 §5.2 of one that "includes multiple credentials". The emulator read the first and
/// answered 200, on the users API and on the token endpoint, so such a client passed against
/// it. Now both answer 400 (`INVALID_REQUEST` with an `error="invalid_request"` challenge;
/// OAuth's `invalid_request`), whatever the two hold.
#[tokio::test]
async fn the_emulator_refuses_two_authorization_headers() {
    use sparse_patch::pingone::emulator::Emulator;

    let emulator = Emulator::start().unwrap();
    let (url, _) = token_request(&emulator);
    let http = reqwest::Client::new();
    let user_url = format!(
        "{}/environments/{}/users/{}",
        emulator.api_base_url(),
        emulator.environment_id(),
        emulator.user_id()
    );
    let list_url = format!(
        "{}/environments/{}/users",
        emulator.api_base_url(),
        emulator.environment_id()
    );
    let bearer = format!("Bearer {}", emulator.token());
    for target in [&user_url, &list_url] {
        for second in [bearer.as_str(), "Bearer other", "Basic eDp5"] {
            let answer = http
                .get(target.as_str())
                .header("authorization", &bearer)
                .header("authorization", second)
                .send()
                .await
                .unwrap();
            assert_eq!(answer.status().as_u16(), 400, "{target} {second}");
            let challenge = answer.headers()["www-authenticate"]
                .to_str()
                .unwrap()
                .to_owned();
            assert!(challenge.contains("invalid_request"), "{challenge}");
            let answer: Value = answer.json().await.unwrap();
            assert_eq!(answer["code"], "INVALID_REQUEST", "{answer}");
            assert!(!answer.to_string().contains(emulator.token()), "{answer}");
        }
        // One header: served.
        let answer = http
            .get(target.as_str())
            .header("authorization", &bearer)
            .send()
            .await;
        assert_eq!(answer.unwrap().status().as_u16(), 200, "{target}");
    }
    let basic = http
        .post(&url)
        .basic_auth(emulator.client_id(), Some(emulator.client_secret()))
        .build()
        .unwrap()
        .headers()["authorization"]
        .clone();
    let answer = http
        .post(&url)
        .header("content-type", "application/x-www-form-urlencoded")
        .header("authorization", basic.clone())
        .header("authorization", basic)
        .body("grant_type=client_credentials")
        .send()
        .await
        .unwrap();
    invalid_token_request_body(answer, "").await;
}

/// A PATCH or a token request with two `Content-Type` headers (a client that sets its own
/// beside the one its HTTP client adds; reqwest's `header` appends): the field is a singleton
/// (RFC 9110 §8.3), and here it chooses the body's meaning, a merge patch or SCIM operations.
/// The emulator read the first and applied the body as that, so a client whose second header
/// said otherwise passed against it, whatever a server that reads the other would make of
/// the body. Now the users API answers 400 `INVALID_REQUEST` and changes nothing, and the token
/// endpoint 400 `invalid_request`.
#[tokio::test]
async fn the_emulator_refuses_two_content_types() {
    use sparse_patch::pingone::emulator::Emulator;

    let emulator = Emulator::start().unwrap();
    let (url, body) = token_request(&emulator);
    let http = reqwest::Client::new();
    let user_url = format!(
        "{}/environments/{}/users/{}",
        emulator.api_base_url(),
        emulator.environment_id(),
        emulator.user_id()
    );
    let before: Value = http
        .get(&user_url)
        .bearer_auth(emulator.token())
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    for second in [
        "application/vnd.pingidentity.user.scim.patch+json",
        "application/json",
    ] {
        let answer = http
            .patch(&user_url)
            .bearer_auth(emulator.token())
            .header("content-type", "application/json")
            .header("content-type", second)
            .body(r#"{"nickname": "Changed"}"#)
            .send()
            .await
            .unwrap();
        assert_eq!(answer.status().as_u16(), 400, "{second}");
        let answer: Value = answer.json().await.unwrap();
        assert_eq!(answer["code"], "INVALID_REQUEST", "{answer}");
    }
    let after: Value = http
        .get(&user_url)
        .bearer_auth(emulator.token())
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(after, before);
    let answer = http
        .post(&url)
        .header("content-type", "application/x-www-form-urlencoded")
        .header("content-type", "application/json")
        .body(body)
        .send()
        .await
        .unwrap();
    invalid_token_request_body(answer, "").await;
}

/// A token request that carries its parameters in the URL (`.../as/token?grant_type=...&
/// client_secret=...`, as a client that builds the URL with a query helper does): RFC 6749
/// §2.3.1 says the client's credentials "MUST NOT be included in the request URI" (a URL
/// lands in access logs, proxies and browser history), and §3.2 that the token endpoint takes
/// POST with a form body; WSO2 IS refuses a request with `grant_type` in both (product-is
/// #28445). The emulator ignored the query and, with the form in the body, issued a token, so
/// a client that leaks its secret into URLs passed against it. Now a token request with
/// `grant_type`, `client_id` or `client_secret` in its query is 400 `invalid_request`, which
/// does not quote the query.
#[tokio::test]
async fn the_emulator_token_endpoint_refuses_parameters_in_the_url() {
    use sparse_patch::pingone::emulator::Emulator;

    let emulator = Emulator::start().unwrap();
    let (url, body) = token_request(&emulator);
    let http = reqwest::Client::new();
    for query in [
        format!("client_secret={}", emulator.client_secret()),
        "grant_type=client_credentials".to_owned(),
        format!("%63lient_id={}&x=1", emulator.client_id()),
    ] {
        let answer = http
            .post(format!("{url}?{query}"))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body.clone())
            .send()
            .await
            .unwrap();
        let answer = invalid_token_request_body(answer, &query).await;
        assert!(
            !answer.to_string().contains(emulator.client_secret()),
            "{answer}"
        );
    }
    // Another query parameter is no OAuth parameter: ignored, as before.
    let answer = http
        .post(format!("{url}?trace=1"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status().as_u16(), 200);
}

/// A users API request that carries the access token in its URL (`?access_token=...`,
/// RFC 6750 §2.3's method, which it advises against: a URL lands in access logs, proxies and
/// `Referer` headers), beside the `Authorization` header or alone: RFC 6750 §2 says a client
/// "MUST NOT use more than one method" and §3.1 answers that 400 `invalid_request`. The
/// emulator ignored the query and served the header's token, so a client that leaked its token
/// into URLs passed against it. Now either is 400 `INVALID_REQUEST` with an
/// `error="invalid_request"` challenge that says where the token goes, not quoting it
/// (*unverified* whether PingOne reads the query at all).
#[tokio::test]
async fn the_emulator_refuses_an_access_token_in_the_url() {
    use sparse_patch::pingone::emulator::Emulator;

    let emulator = Emulator::start().unwrap();
    // Installs the TLS crypto provider that a test run alone needs.
    let _ = token_request(&emulator);
    let http = reqwest::Client::new();
    let user_url = format!(
        "{}/environments/{}/users/{}",
        emulator.api_base_url(),
        emulator.environment_id(),
        emulator.user_id()
    );
    let list_url = format!(
        "{}/environments/{}/users",
        emulator.api_base_url(),
        emulator.environment_id()
    );
    for target in [&user_url, &list_url] {
        for with_header in [true, false] {
            let mut request = http.get(format!(
                "{target}?limit=1&%61ccess_token={}",
                emulator.token()
            ));
            if with_header {
                request = request.bearer_auth(emulator.token());
            }
            let answer = request.send().await.unwrap();
            assert_eq!(answer.status().as_u16(), 400, "{target} {with_header}");
            let challenge = answer.headers()["www-authenticate"]
                .to_str()
                .unwrap()
                .to_owned();
            assert!(challenge.contains("invalid_request"), "{challenge}");
            let answer: Value = answer.json().await.unwrap();
            assert_eq!(answer["code"], "INVALID_REQUEST", "{answer}");
            assert!(!answer.to_string().contains(emulator.token()), "{answer}");
        }
    }
    // Recorded all the same, and shown by no `Debug` of the requests (a failed `assert_eq!`
    // on them printed the token of the URL), nor a proxy's credentials.
    http.get(format!(
        "{list_url}?access_token={}&limit=1",
        emulator.token()
    ))
    .header("proxy-authorization", "Basic dXNlcjpwcm94eS1wYXNzd29yZA==")
    .send()
    .await
    .unwrap();
    let requests = emulator.requests();
    assert_eq!(requests.len(), 5);
    let shown = format!("{requests:?}");
    assert!(!shown.contains(emulator.token()), "{shown}");
    assert!(!shown.contains("dXNlcjpwcm94eS1wYXNzd29yZA"), "{shown}");
    assert!(
        shown.contains("%61ccess_token=***") && shown.contains("limit=1"),
        "{shown}"
    );
    assert_eq!(
        requests[4].query,
        format!("access_token={}&limit=1", emulator.token())
    );
    // Nor a client secret put in a URL (a token request's parameters sent there). (Mutation
    // testing: showing it went unnoticed.)
    http.get(format!("{list_url}?client_secret=hunter2-SECRET&limit=1"))
        .send()
        .await
        .unwrap();
    let shown = format!("{:?}", emulator.requests());
    assert!(!shown.contains("hunter2-SECRET"), "{shown}");
    assert!(shown.contains("client_secret=***"), "{shown}");
}

/// A 204 No Content (or an empty 200, or an error status with no body, as a load balancer
/// answers a 502 or 421) to a call that expects the user: the error said `EOF while parsing
/// a value at line 1 column 0`, a JSON parser's words for what was simply no body, or, for an
/// error status, "not a PingOne error body" as if a body had come. Now it says the body is
/// empty.
#[tokio::test]
async fn an_answer_without_a_body_says_the_body_is_empty() {
    use sparse_patch::pingone::UserPatch;

    for status in [204, 200, 502, 421] {
        let server = MockServer::start().await;
        Mock::given(wiremock::matchers::any())
            .respond_with(ResponseTemplate::new(status))
            .mount(&server)
            .await;
        let error = client(&server)
            .update_user(ENV, USER, &UserPatch::new().title("Boss"))
            .await
            .unwrap_err();
        assert!(
            matches!(&error, Error::Decode { status: s, reason, .. }
                if *s == status && reason.contains("the body is empty")),
            "HTTP {status}: {error:?}"
        );
    }
}

/// A token endpoint that answers an OAuth error with 200 (GitHub's does, and gateways that
/// map every upstream answer to 200): the client read it as a token response without an
/// `access_token`, `Error::Decode` "missing field", and did not quote the body (it may hold
/// a token), so the OAuth error and its description were lost. Now a 2xx body that is an
/// OAuth error response (RFC 6749 §5.2: `error`, and no `access_token`) is `Error::Token`
/// with its code and description, the client secret taken out as in any token error.
#[tokio::test]
async fn an_oauth_error_answered_with_200_is_a_token_error() {
    let error = error_after_token_answer(ResponseTemplate::new(200).set_body_json(json!({
        "error": "invalid_client",
        "error_description": "bad secret s3cret"
    })))
    .await;
    match &error {
        Error::Token {
            status: 200,
            code,
            description: Some(description),
            ..
        } => {
            assert_eq!(code, "invalid_client");
            assert_eq!(description, "bad secret ***");
        }
        other => panic!("{other:?}"),
    }
    assert!(!format!("{error} {error:?}").contains("s3cret"));
}

/// A token endpoint whose gateway answers a PingOne error body with 200 (as the users API's
/// can be answered, aws/aws-sdk-cpp#783's S3 errors answered 200): the client read it as a
/// token response without an `access_token`, `Error::Decode` "missing field `access_token`",
/// and withheld the body as one that may hold a token, so PingOne's code and message, which
/// say what is wrong, were lost. Now it is `Error::Token` naming them, as the same body with
/// an error status is ("not an OAuth error response but a PingOne error"), the client secret
/// taken out; a body with an `access_token` beside them is still read as a token response.
#[tokio::test]
async fn a_pingone_error_body_from_the_token_endpoint_with_200_is_a_token_error() {
    let error = error_after_token_answer(ResponseTemplate::new(200).set_body_json(json!({
        "id": "e1111111-0000-4000-8000-000000000001",
        "code": "REQUEST_FAILED",
        "message": "The request could not be completed. Client s3cret is disabled."
    })))
    .await;
    match &error {
        Error::Token {
            status: 200,
            code,
            description: Some(description),
            ..
        } => {
            assert_eq!(code, "unknown_error");
            assert!(
                description.contains(
                    "PingOne error: REQUEST_FAILED The request could not be completed. Client \
                     *** is disabled."
                ),
                "{description}"
            );
        }
        other => panic!("{other:?}"),
    }
    assert!(!format!("{error} {error:?}").contains("s3cret"));

    // With an `access_token`, it is a token response with members of its own.
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(TOKEN_PATH))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "access_token": "tok", "token_type": "Bearer", "expires_in": 3600,
            "code": "OK", "message": "issued"
        })))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(USER_PATH))
        .respond_with(ResponseTemplate::new(200).set_body_json(user()))
        .mount(&server)
        .await;
    worker(&server).get_user(ENV, USER).await.unwrap();
}

/// A bearer token pasted with what came around it: the quotes of the JSON it was copied from
/// (`"eyJ..."`), a UI's ellipsis where it was cut (`eyJ…`), a comma, a non-ASCII character.
/// A header can carry each, so the client built and sent `Authorization: Bearer "eyJ..."`,
/// and every call was PingOne's 401 (a worker's token endpoint answering one so was sent as
/// well). RFC 6750 §2.1 writes a bearer token as letters, digits, `-._~+/` and `=` padding:
/// anything else is refused when the client is built (`Error::Config`), or, from the token
/// endpoint, with `Error::Decode`, the token not shown.
#[tokio::test]
async fn a_token_with_characters_a_bearer_token_cannot_hold_is_refused() {
    for token in [
        "\"eyJhbGciOi\"",
        "eyJhbGciOi\u{2026}",
        "eyJ,abc",
        "t\u{f6}k",
        "=abc",
        "a=b",
    ] {
        let built = Client::builder()
            .api_base_url("https://example.com/v1")
            .token(TokenSource::bearer(token))
            .build();
        assert!(
            matches!(&built, Err(Error::Config(text)) if text.contains("RFC 6750")),
            "{token:?}: {built:?}"
        );
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .and(path(TOKEN_PATH))
            .respond_with(ResponseTemplate::new(200).set_body_json(
                json!({"access_token": token, "token_type": "Bearer", "expires_in": 3600}),
            ))
            .mount(&server)
            .await;
        let error = worker(&server).get_user(ENV, USER).await.unwrap_err();
        assert!(
            matches!(&error, Error::Decode { status: 200, reason, .. } if reason.contains("RFC 6750")),
            "{token:?}: {error:?}"
        );
        assert!(!format!("{error} {error:?}").contains(token), "{error:?}");
        // Nothing was sent with it.
        let sent = server.received_requests().await.unwrap();
        assert!(sent.iter().all(|request| request.method.as_str() == "POST"));
    }
    // The alphabet itself, with padding, is a token.
    Client::builder()
        .api_base_url("https://example.com/v1")
        .token(TokenSource::bearer("aZ09-._~+/=="))
        .build()
        .unwrap();
}

/// A bearer token read from a file or an environment variable with the line break or white
/// space around it (`std::fs::read_to_string` keeps the file's final newline) was refused
/// with "holds characters a bearer token cannot (... quotes, spaces, commas or an ellipsis
/// ...)", which names neither the line break nor the fix. The refusal now says that white
/// space surrounds the token and to trim it; the token is not shown.
#[test]
fn a_token_with_white_space_around_it_says_to_trim_it() {
    for token in [
        "eyJhbGciOi\n",
        "eyJhbGciOi\r\n",
        " eyJhbGciOi",
        "\teyJhbGciOi ",
    ] {
        let built = Client::builder()
            .api_base_url("https://example.com/v1")
            .token(TokenSource::bearer(token))
            .build();
        assert!(
            matches!(&built, Err(Error::Config(text))
                if text.contains("white space") && text.contains("trim") && !text.contains("eyJ")),
            "{token:?}: {built:?}"
        );
    }
    // White space inside the token is not that: the characters' message stays.
    let built = Client::builder()
        .api_base_url("https://example.com/v1")
        .token(TokenSource::bearer("eyJ abc"))
        .build();
    assert!(
        matches!(&built, Err(Error::Config(text)) if text.contains("RFC 6750") && !text.contains("trim")),
        "{built:?}"
    );
}

/// An auth base URL that is not PingOne's auth host as a region gives it: the API host
/// (`https://api.pingone.eu/v1`, the other URL at hand), or the auth host with a path (the
/// whole token URL, `.../{envID}/as/token`, or `/as`). The client appends
/// `/{envID}/as/token`, so every token request went to a URL PingOne does not serve and each
/// call failed with a token error 404 at its first request. As with the API base URL, it is
/// now `Error::Config` at `build()`, naming the URL to write (or `token_url` for a whole
/// token URL); another host (a proxy, the emulator) may serve it at any path.
#[test]
fn an_auth_base_url_that_is_not_pingones_auth_host_is_a_configuration_error() {
    for (url, expected) in [
        ("https://api.pingone.eu/v1", "https://auth.pingone.eu"),
        ("https://api.pingone.com.au", "https://auth.pingone.com.au"),
        (
            "https://auth.pingone.eu/abfba8f6-49eb-49f5-a5d9-80ad5c98f9f6/as/token",
            "token_url",
        ),
        ("https://auth.pingone.eu/as", "https://auth.pingone.eu"),
    ] {
        let built = Client::builder()
            .region(sparse_patch::pingone::Region::Europe)
            .auth_base_url(url)
            .token(TokenSource::client_credentials(ENV, "worker", "s3cret"))
            .build();
        assert!(
            matches!(&built, Err(Error::Config(text)) if text.contains(expected)),
            "{url}: {built:?}"
        );
    }
    for url in [
        "https://auth.pingone.eu",
        "https://auth.pingone.eu/",
        "https://auth.pingone.eu:8443",
        "http://127.0.0.1:8080/any/prefix",
    ] {
        Client::builder()
            .region(sparse_patch::pingone::Region::Europe)
            .auth_base_url(url)
            .token(TokenSource::client_credentials(ENV, "worker", "s3cret"))
            .build()
            .unwrap_or_else(|error| panic!("{url}: {error}"));
    }
}

/// A worker whose tokens come from one region's auth host for another region's API
/// (`api.pingone.com` with `auth.pingone.eu`, or `region(Europe)` with the North American
/// token URL): an environment lives in one region, and its tokens are refused by every other
/// region's API, so each call fetched a token and got 401 `INVALID_TOKEN`, which says nothing
/// of regions (the AWS SDKs refuse a signing region that is not the endpoint's for the same
/// reason). Now `Error::Config` at `build()`, naming both hosts. A static token, which fetches
/// nothing, and hosts that are not PingOne's (a proxy, a custom domain) are not checked.
#[test]
fn a_worker_whose_auth_host_and_api_host_are_of_two_regions_is_a_configuration_error() {
    use sparse_patch::pingone::Region;
    let worker = || TokenSource::client_credentials(ENV, "worker", "s3cret");
    for builder in [
        Client::builder()
            .api_base_url("https://api.pingone.com/v1")
            .auth_base_url("https://auth.pingone.eu"),
        Client::builder()
            .region(Region::Europe)
            .auth_base_url("https://auth.pingone.com"),
        Client::builder()
            .region(Region::Australia)
            .api_base_url("https://api.pingone.com/v1"),
        Client::builder()
            .region(Region::Canada)
            .token_url(format!("https://auth.pingone.com.au/{ENV}/as/token")),
    ] {
        let built = builder.token(worker()).build();
        assert!(
            matches!(&built, Err(Error::Config(text)) if text.contains("region")),
            "{built:?}"
        );
    }
    for builder in [
        Client::builder().region(Region::Europe),
        Client::builder()
            .api_base_url("https://api.pingone.eu/v1")
            .auth_base_url("https://auth.pingone.eu/"),
        Client::builder()
            .region(Region::Europe)
            .token_url(format!("https://auth.pingone.eu/{ENV}/as/token")),
        // The token URL wins over the region's auth host, which is then not used.
        Client::builder()
            .api_base_url("https://api.pingone.sg/v1")
            .region(Region::Europe)
            .token_url(format!("https://auth.pingone.sg/{ENV}/as/token")),
        Client::builder()
            .api_base_url("https://api.pingone.com/v1")
            .auth_base_url("https://sso.example.com"),
        Client::builder()
            .api_base_url("https://proxy.example.com/pingone/v1")
            .auth_base_url("https://auth.pingone.eu"),
    ] {
        builder
            .token(worker())
            .build()
            .unwrap_or_else(|error| panic!("{error}"));
    }
    Client::builder()
        .region(Region::Europe)
        .api_base_url("https://api.pingone.com/v1")
        .token(TokenSource::bearer("token"))
        .build()
        .unwrap();
}

/// The sync job's feed with a core attribute spelt in another case (`userName`, SCIM's
/// spelling; `Title`): without declared custom attributes, the job took it for a custom
/// attribute and sent it; PingOne ignores it (names are case-sensitive) and the line came back
/// `failed` after its PATCH had applied the rest. Now it is an unknown attribute, as
/// `name.Given` already was, and nothing is sent for the line; a declared one is kept.
#[test]
fn a_sync_line_with_a_core_attribute_spelt_in_another_case_is_refused() {
    use sparse_patch::pingone::sync::{LineError, parse_line};

    for (line, unknown) in [
        (r#"{"username": "ada", "userName": "lovelace"}"#, "userName"),
        (r#"{"username": "ada", "Title": "Countess"}"#, "Title"),
        (
            r#"{"username": "ada", "EMAIL": "ada@example.com"}"#,
            "EMAIL",
        ),
    ] {
        match parse_line(1, line, None) {
            Err(LineError::UnknownAttributes(names)) => assert_eq!(names, [unknown], "{line}"),
            other => panic!("{line}: {other:?}"),
        }
    }
    let declared = std::collections::BTreeSet::from(["Title".to_owned()]);
    parse_line(
        1,
        r#"{"username": "ada", "Title": "Countess"}"#,
        Some(&declared),
    )
    .unwrap();
    parse_line(1, r#"{"username": "ada", "costCenter": "42"}"#, None).unwrap();
}

/// The error for a core attribute spelt in another case said only "unknown or read-only
/// attribute(s): userName", with no pointer to PingOne's spelling: it now names it, for
/// members too; other unknown names are shown as before.
#[test]
fn a_core_attribute_spelt_in_another_case_is_shown_with_pingones_spelling() {
    use sparse_patch::pingone::sync::parse_line;

    for (line, said) in [
        (
            r#"{"username": "ada", "userName": "lovelace"}"#,
            "userName (PingOne's name is username: names are case-sensitive)",
        ),
        (
            r#"{"username": "ada", "name": {"Given": "Ada"}}"#,
            "name.Given (PingOne's name is name.given: names are case-sensitive)",
        ),
        (
            r#"{"username": "ada", "CreatedAt": "2026-01-01"}"#,
            "CreatedAt (PingOne's name is createdAt: names are case-sensitive)",
        ),
    ] {
        let error = parse_line(1, line, None).unwrap_err().to_string();
        assert!(error.ends_with(said), "{line}: {error}");
    }
    let error = parse_line(1, r#"{"username": "ada", "name": {"givn": "Ada"}}"#, None)
        .unwrap_err()
        .to_string();
    assert!(error.ends_with("attribute(s): name.givn"), "{error}");
}

/// A token request that authenticates the client twice, with HTTP Basic and with
/// `client_secret` in the form (a client that sets both, as some OAuth libraries do when told
/// `CLIENT_SECRET_POST` and given a Basic header): RFC 6749 §2.3 says a client MUST NOT use
/// more than one method, and §5.2 names the answer, `invalid_request`. The emulator issued a
/// token (Basic won), so such a client passed its tests. Now it answers 400
/// `invalid_request`; either method alone still gets a token.
#[tokio::test]
async fn the_emulator_token_endpoint_refuses_two_client_authentications() {
    use sparse_patch::pingone::emulator::Emulator;

    let emulator = Emulator::start().unwrap();
    let (url, form) = token_request(&emulator);
    let http = reqwest::Client::new();
    let send = |basic: bool, body: String| {
        let mut request = http
            .post(&url)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body);
        if basic {
            request = request.basic_auth(emulator.client_id(), Some(emulator.client_secret()));
        }
        request.send()
    };
    let answer = send(true, form.clone()).await.unwrap();
    invalid_token_request_body(answer, "").await;
    assert_eq!(send(false, form).await.unwrap().status().as_u16(), 200);
    let basic_only = send(true, "grant_type=client_credentials".into())
        .await
        .unwrap();
    assert_eq!(basic_only.status().as_u16(), 200);
}

/// Two client authentications where the Basic one cannot be read (`Basic !!!`, not base64; a
/// client that forgot to encode it) beside `client_secret` in the form: the emulator took the
/// unreadable Basic for no Basic at all and issued a token on the form's, so the client's broken
/// header passed its tests; two methods were used all the same (RFC 6749 §2.3), 400
/// `invalid_request` as for two readable ones.
#[tokio::test]
async fn the_emulator_token_endpoint_refuses_an_unreadable_basic_beside_a_form_secret() {
    use sparse_patch::pingone::emulator::Emulator;

    let _ = rustls::crypto::ring::default_provider().install_default();
    let emulator = Emulator::start().unwrap();
    let url = format!(
        "{}/{}/as/token",
        emulator.auth_base_url(),
        emulator.environment_id()
    );
    let form = format!(
        "grant_type=client_credentials&client_id={}&client_secret={}",
        emulator.client_id(),
        emulator.client_secret()
    );
    for basic in ["Basic !!!", "basic bm90LWEtcGFpcg=="] {
        let answer = reqwest::Client::new()
            .post(&url)
            .header("content-type", "application/x-www-form-urlencoded")
            .header("authorization", basic)
            .body(form.clone())
            .send()
            .await
            .unwrap();
        invalid_token_request_body(answer, basic).await;
    }
}

/// A `Retry-After` in seconds with a decimal fraction (`299.997`, `0.4`), as rate limiters
/// that write a time difference as it is send it (getsentry/sentry#7919, the services of
/// opensearch-project/data-prepper#6927, urllib3/urllib3#2861, OpenFeign/feign#980): RFC 9110
/// writes delay seconds as digits alone, so the client read it as no wait given and retried
/// on its backoff, 10 ms and 20 ms here (500 ms and 1 s by default), each retry into the same
/// 429, where the server had asked for five minutes; the error's `retry_after()` was `None`.
/// Now the number is read rounded up to the next whole second (a wait is never shortened):
/// 300 s is past `max_retry_after`, so the 429 is returned at once with its wait, and 0.4 s is
/// waited as 1 s.
#[tokio::test]
async fn a_retry_after_with_a_decimal_fraction_is_waited_rounded_up() {
    use std::sync::{Arc, Mutex};
    use std::time::Duration;

    for (retry_after, wait) in [("299.997", 300), ("0.4", 1)] {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .and(path(USER_PATH))
            .respond_with(ResponseTemplate::new(429).insert_header("retry-after", retry_after))
            .up_to_n_times(1)
            .mount(&server)
            .await;
        Mock::given(method("GET"))
            .and(path(USER_PATH))
            .respond_with(ResponseTemplate::new(200).set_body_json(user()))
            .mount(&server)
            .await;
        let waits = Arc::new(Mutex::new(Vec::new()));
        let seen = Arc::clone(&waits);
        let client = Client::builder()
            .api_base_url(format!("{}/v1", server.uri()))
            .token(TokenSource::bearer("secret-token"))
            .retry_policy(
                RetryPolicy::default()
                    .initial_backoff(Duration::from_millis(10))
                    .jitter(false)
                    .on_retry(move |event| {
                        seen.lock()
                            .unwrap()
                            .push((event.wait, event.from_retry_after));
                    }),
            )
            .build()
            .unwrap();
        let wait = Duration::from_secs(wait);
        let answer = client.get_user(ENV, USER).await;
        let requests = server.received_requests().await.unwrap().len();
        if wait > Duration::from_secs(60) {
            let error = answer.unwrap_err();
            assert!(matches!(error, Error::RateLimited { .. }), "{error:?}");
            assert_eq!(error.retry_after(), Some(wait), "{retry_after}: {error}");
            assert_eq!((error.attempts(), requests), (Some(1), 1), "{retry_after}");
            assert!(waits.lock().unwrap().is_empty(), "{retry_after}");
        } else {
            answer.unwrap();
            assert_eq!(*waits.lock().unwrap(), [(wait, true)], "{retry_after}");
            assert_eq!(requests, 2, "{retry_after}");
        }
    }
}

/// A PingOne error body answered with 200, as a gateway that maps every upstream answer to a
/// success status sends it (aws/aws-sdk-cpp#783: S3 errors answered 200 OK, which the SDK
/// took for successes). Read as a `serde_json::Value`, the error's `id` was taken for a user's
/// and the error said that a proxy had mixed up answers ("the document of the user ...");
/// read as a `User` or by a PATCH, it said `missing field username` and withheld the body as
/// a profile: either way the error's code and message were lost. Now the error says that the
/// body is a PingOne error body, with its code and message (the request's token taken out),
/// and a user document that has attributes named `code` and `message` is still a user.
#[tokio::test]
async fn a_pingone_error_body_answered_with_200_is_said_to_be_one() {
    let server = MockServer::start().await;
    let error_body = json!({
        "id": "e1c8a2f0-93b4-4a8e-8f4e-0d3c7e2b1a55",
        "code": "INVALID_DATA",
        "message": "The request could not be completed (token secret-token)",
        "details": [{"code": "INVALID_VALUE", "target": "email", "message": "bad email"}]
    });
    for verb in ["GET", "PATCH"] {
        Mock::given(method(verb))
            .and(path(USER_PATH))
            .respond_with(ResponseTemplate::new(200).set_body_json(&error_body))
            .mount(&server)
            .await;
    }
    let bearer = client(&server);
    let errors = [
        bearer.get_user_as::<Value>(ENV, USER).await.unwrap_err(),
        bearer.get_user(ENV, USER).await.unwrap_err(),
        bearer
            .update_user(
                ENV,
                USER,
                &sparse_patch::pingone::UserPatch::new().title("Dr"),
            )
            .await
            .map(|_| ())
            .unwrap_err(),
    ];
    for error in errors {
        let Error::Decode { status, reason, .. } = &error else {
            panic!("{error:?}")
        };
        assert_eq!(*status, 200);
        assert!(reason.contains("PingOne error body"), "{reason}");
        assert!(reason.contains("\"INVALID_DATA\""), "{reason}");
        assert!(reason.contains("could not be completed"), "{reason}");
        assert!(
            !reason.contains("another") && !reason.contains("mixed up"),
            "{reason}"
        );
        assert!(!error.to_string().contains("secret-token"), "{error}");
    }

    // A user document with attributes of those names is a user.
    let server = MockServer::start().await;
    let mut document = user();
    document["code"] = json!("A-7");
    document["message"] = json!("hello");
    Mock::given(method("GET"))
        .and(path(USER_PATH))
        .respond_with(ResponseTemplate::new(200).set_body_json(&document))
        .mount(&server)
        .await;
    let read: Value = client(&server).get_user_as(ENV, USER).await.unwrap();
    assert_eq!(read, document);
}

/// A 400, 401 or 403 whose body is empty or not a PingOne error body, the reason for the refusal
/// in its `WWW-Authenticate` alone (RFC 6750 §3: `Bearer error="invalid_token",
/// error_description="The access token expired"`), as resource servers and gateways answer
/// (spring-projects/spring-security#5985: Spring's resource server sends no body): the error
/// said `not a PingOne error body: the body is empty`, and why the token was refused was
/// lost. Now the error quotes the challenge (the request's token taken out), on the users
/// API and at the token endpoint alike.
#[tokio::test]
async fn a_refusal_explained_only_in_www_authenticate_keeps_the_challenge() {
    let expired = "Bearer realm=\"pingone\", error=\"invalid_token\", \
                   error_description=\"The access token secret-token expired\"";
    let scope = "Bearer error=\"insufficient_scope\", scope=\"p1:update:user\"";
    // RFC 6750 §3.1: a malformed request is refused with 400 `invalid_request`.
    let malformed = "Bearer error=\"invalid_request\", error_description=\"Two tokens\"";
    for (status, challenge, body, expected) in [
        (401, expired, "", "The access token *** expired"),
        (403, scope, "<html>Forbidden</html>", "insufficient_scope"),
        (400, malformed, "", "invalid_request"),
    ] {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .and(path(USER_PATH))
            .respond_with(
                ResponseTemplate::new(status)
                    .insert_header("www-authenticate", challenge)
                    .set_body_string(body),
            )
            .mount(&server)
            .await;
        let error = client(&server)
            .get_user_as::<Value>(ENV, USER)
            .await
            .unwrap_err();
        let Error::Decode {
            status: got,
            reason,
            ..
        } = &error
        else {
            panic!("{error:?}")
        };
        assert_eq!(*got, status);
        assert!(reason.contains("WWW-Authenticate"), "{reason}");
        assert!(reason.contains(expected), "{reason}");
        assert!(!error.to_string().contains("secret-token"), "{error}");
    }

    // The token endpoint: a 401 with an empty body and a Basic challenge.
    let error = error_after_token_answer(ResponseTemplate::new(401).insert_header(
        "www-authenticate",
        "Basic realm=\"PingOne\", error=\"invalid_client\"",
    ))
    .await;
    let Error::Token { description, .. } = &error else {
        panic!("{error:?}")
    };
    let description = description.as_deref().unwrap_or_default();
    assert!(description.contains("the body is empty"), "{description}");
    assert!(description.contains("invalid_client"), "{description}");
}

/// A 2xx whose body is the user's document encoded twice, a JSON string whose text is the
/// JSON object (`"{\"id\": ...}"`), as a gateway or a function in front of the API that
/// encodes its answer one time too many sends it (an AWS Lambda proxy integration takes its
/// `body` as a string: aws/aws-lambda-go#373). Read as a `User`, the decoder's reason
/// (`invalid type: string "{\"email\": ...}"`) and the quoted body start put the whole
/// profile into the error's text, which the client keeps out of it for a JSON object; read
/// as a `serde_json::Value`, the error said only that the document has no `id`. Now both say
/// that the answer was encoded twice, and neither the text nor `Debug` quotes the profile.
#[tokio::test]
async fn an_answer_encoded_twice_is_said_to_be_and_not_quoted() {
    let server = MockServer::start().await;
    let mut document = user();
    document["mobilePhone"] = json!("+1 555 0100");
    Mock::given(method("GET"))
        .and(path(USER_PATH))
        .respond_with(ResponseTemplate::new(200).set_body_json(Value::String(document.to_string())))
        .mount(&server)
        .await;
    let bearer = client(&server);
    let errors = [
        bearer.get_user(ENV, USER).await.map(drop).unwrap_err(),
        bearer
            .get_user_as::<Value>(ENV, USER)
            .await
            .map(drop)
            .unwrap_err(),
    ];
    for error in errors {
        let Error::Decode { status, reason, .. } = &error else {
            panic!("{error:?}")
        };
        assert_eq!(*status, 200);
        assert!(reason.contains("encoded twice"), "{reason}");
        let shown = format!("{error}\n{error:?}");
        assert!(
            !shown.contains("example.com") && !shown.contains("555 0100"),
            "{shown}"
        );
    }

    // A JSON string of plain text is no document: quoted as before.
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(USER_PATH))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!("maintenance")))
        .mount(&server)
        .await;
    let error = client(&server).get_user(ENV, USER).await.unwrap_err();
    assert!(error.to_string().contains("maintenance"), "{error}");
}

/// A token endpoint's 200 whose body is a JSON string: the token response encoded twice
/// (`"{\"access_token\":\"eyJ...\"}"`, as a gateway or function that encodes its answer one
/// time too many sends it: aws/aws-lambda-go#373), or a bare token as a JSON string. The
/// decoder's reason (`invalid type: string "..."`) quoted the whole body, the access token
/// with it, into the error's text, beside the words "the body is not quoted, as it may hold
/// a token"; a bare token was quoted as the body's start too. Now the reason says what the
/// body is by its kind and length, and quotes none of it.
#[tokio::test]
async fn a_token_response_that_is_a_json_string_is_not_quoted() {
    let token = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ3b3JrZXIifQ.c2lnbmF0dXJl";
    let twice = Value::String(
        json!({"access_token": token, "token_type": "Bearer", "expires_in": 3600}).to_string(),
    );
    for (body, expected) in [
        (twice, "encoded twice"),
        (
            Value::String(token.to_owned()),
            "a JSON string of 56 characters",
        ),
    ] {
        let error = error_after_token_answer(ResponseTemplate::new(200).set_body_json(&body)).await;
        let Error::Decode { reason, .. } = &error else {
            panic!("{error:?}")
        };
        assert!(reason.contains(expected), "{reason}");
        let shown = format!("{error}\n{error:?}");
        assert!(!shown.contains("c2lnbmF0dXJl"), "{shown}");
    }
}

/// A token endpoint's 200 whose body is the bare token as plain text (`eyJ...`, with or
/// without a line end or a `Bearer ` before it, as `application/jwt` and token services that
/// answer `text/plain` send it; a token URL that names such a service by mistake). It is no
/// JSON, so the start of the body was quoted in the error, as a proxy's page is: the access
/// token, whole, in the error's text and `Debug`, and so in the logs. Now a body that is one
/// word of bearer-token characters (RFC 6750 §2.1) of 16 or more is not quoted; a short word
/// (`Forbidden`) or a page of words still is.
#[tokio::test]
async fn a_bare_token_as_the_token_endpoints_body_is_not_quoted() {
    let token = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ3b3JrZXIifQ.c2lnbmF0dXJl";
    for body in [
        token.to_owned(),
        format!("{token}\r\n"),
        format!("Bearer {token}"),
        "2YotnFZFEjr1zCsicMWpAA".to_owned(),
    ] {
        let error = error_after_token_answer(
            ResponseTemplate::new(200).set_body_raw(body.clone(), "text/plain"),
        )
        .await;
        let Error::Decode {
            reason, body_start, ..
        } = &error
        else {
            panic!("{error:?}")
        };
        assert!(body_start.is_empty(), "{body:?}: {error:?}");
        assert!(reason.contains("is not quoted"), "{body:?}: {reason}");
        let shown = format!("{error}\n{error:?}");
        for secret in ["c2lnbmF0dXJl", "2YotnFZFEjr1zCsicMWpAA"] {
            assert!(!shown.contains(secret), "{shown}");
        }
    }
    for page in [
        "Forbidden",
        "Service temporarily unavailable, try again later",
    ] {
        let error =
            error_after_token_answer(ResponseTemplate::new(200).set_body_raw(page, "text/plain"))
                .await;
        assert!(error.to_string().contains(page), "{error}");
    }
}
