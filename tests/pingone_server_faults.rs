//! The client against servers that misbehave as real servers, proxies and connection pools
//! do in bug reports against HTTP clients: a body that trickles past the per-attempt
//! timeout, a body cut short or with a broken chunked framing, and the answer of another
//! user's document. Each server is a raw `TcpListener` on 127.0.0.1 (wiremock cannot cut a
//! connection mid-answer or send a body byte by byte).

#[path = "support/emulator_client.rs"]
mod emulator_client;
use emulator_client::emulator_bearer_builder;

#[path = "support/own_http_client.rs"]
mod own_http_client;
use own_http_client::own_http_client_builder;

use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::{Value, json};
use sparse_patch::pingone::{Client, Error, RetryPolicy, TokenSource, UserPatch};
use sparse_patch::{ScimOperation, ScimPatch};
use tokio::io::AsyncWriteExt as _;
use tokio::net::{TcpListener, TcpStream};

#[path = "support/mock_pingone.rs"]
mod mock_pingone;
#[path = "support/raw_http.rs"]
mod raw_http;
use mock_pingone::{ENV, USER};
use raw_http::read_request;

/// Reads a request from `socket` and sends the head of a `200 OK` whose `Content-Length` is
/// `body`'s, not the body; `false` when either fails (the client gave up).
async fn read_request_and_send_ok_head(socket: &mut TcpStream, body: &str) -> bool {
    if read_request(socket).await.is_none() {
        return false;
    }
    let head = format!("HTTP/1.1 200 OK\r\ncontent-length: {}\r\n\r\n", body.len());
    socket.write_all(head.as_bytes()).await.is_ok()
}

fn user_json() -> String {
    json!({"id": USER, "username": "dspanner", "email": "dspanner@example.com"}).to_string()
}

/// A 200 with `body`, keeping the connection alive.
fn ok_answer(body: &str) -> Vec<u8> {
    format!(
        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{body}",
        body.len()
    )
    .into_bytes()
}

/// A server whose `n`th connection (from 0) is handed to `serve`, which answers its
/// requests; returns its address and the number of connections accepted so far.
async fn server<F, Fut>(serve: F) -> (std::net::SocketAddr, Arc<AtomicUsize>)
where
    F: Fn(usize, TcpStream) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = ()> + Send + 'static,
{
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let accepted = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&accepted);
    tokio::spawn(async move {
        while let Ok((socket, _)) = listener.accept().await {
            let n = counter.fetch_add(1, Ordering::SeqCst);
            tokio::spawn(serve(n, socket));
        }
    });
    (address, accepted)
}

fn client_of(address: std::net::SocketAddr, retry: RetryPolicy) -> Client {
    Client::builder()
        .api_base_url(format!("http://{address}/v1"))
        .token(TokenSource::bearer("secret-token"))
        .retry_policy(retry)
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap()
}

fn quick(attempts: u32) -> RetryPolicy {
    RetryPolicy::default()
        .max_attempts(attempts)
        .initial_backoff(Duration::from_millis(1))
        .max_backoff(Duration::from_millis(5))
        .jitter(false)
}

/// An emulator holding only `user`, and a client of it that tries three times.
fn emulator_with(user: serde_json::Value) -> (sparse_patch::pingone::emulator::Emulator, Client) {
    let emulator = sparse_patch::pingone::emulator::Emulator::builder()
        .no_users()
        .user(user)
        .start()
        .unwrap();
    let client = emulator_bearer_builder(&emulator)
        .retry_policy(quick(3))
        .timeout(Duration::from_secs(5))
        .build()
        .unwrap();
    (emulator, client)
}

fn scim_add() -> ScimPatch {
    ScimPatch::new(vec![ScimOperation::add("badges", json!([{"type": "x"}]))])
}

/// The errors of a SCIM `add` (`scim_add`, not sent twice) and then of a merge patch (sent
/// again while attempts are left) that `client` sends to a server that fails both.
async fn scim_add_and_merge_errors(client: &Client) -> (Error, Error) {
    let scim = client
        .update_user_scim_patch::<Value>(ENV, USER, &scim_add())
        .await
        .unwrap_err();
    let merge = client
        .update_user(ENV, USER, &UserPatch::new().title("Boss"))
        .await
        .unwrap_err();
    (scim, merge)
}

// ------------------------------------------------------------- a body that trickles

/// A server that sends the head of its answer at once and then the body one byte at a time
/// (a slowloris upstream, a congested proxy): the per-attempt timeout must cover the reading
/// of the body, not only the wait for the head, or a call waits for as long as the server
/// trickles. Each attempt is a `Timeout`, retried as a timeout is; with an HTTP client of the
/// user's own too, on which the client sets the timeout per request.
#[tokio::test]
async fn a_body_that_trickles_past_the_timeout_is_a_timeout_of_each_attempt() {
    let (address, accepted) = server(|_, mut socket| async move {
        let body = user_json();
        if !read_request_and_send_ok_head(&mut socket, &body).await {
            return;
        }
        for byte in body.as_bytes() {
            if socket.write_all(&[*byte]).await.is_err() {
                return;
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    })
    .await;
    let own = own_http_client_builder().build().unwrap();
    for http in [None, Some(own)] {
        let mut builder = Client::builder()
            .api_base_url(format!("http://{address}/v1"))
            .token(TokenSource::bearer("secret-token"))
            .retry_policy(quick(2))
            .timeout(Duration::from_millis(400));
        if let Some(http) = http {
            builder = builder.http_client(http);
        }
        let before = accepted.load(Ordering::SeqCst);
        let error = builder
            .build()
            .unwrap()
            .get_user(ENV, USER)
            .await
            .unwrap_err();
        assert!(
            matches!(error, Error::Timeout { attempts: 2, .. }),
            "{error:?}"
        );
        assert!(error.is_retryable());
        assert_eq!(accepted.load(Ordering::SeqCst) - before, 2);
    }
}

/// A PATCH whose `200 OK` head arrives and whose body then stalls past the per-attempt
/// timeout (a congested proxy, an upstream that hangs while it writes): the status says the
/// change was made, but the error was `Timeout`, which says it may or may not have been, as
/// for an answer that never came. The caller of a SCIM `add` (not sent again) could not tell
/// "applied" from "never arrived", and sending it again appends twice; the sync job, which
/// reads the user back after a 2xx whose body it could not read, failed a merge patch that
/// was applied. Now the error of the attempt that is not retried is `Incomplete` with the
/// 2xx status, as for a body cut short; a merge patch is still sent again while attempts are
/// left, and a GET's stall stays a `Timeout` (above).
#[tokio::test]
async fn a_patch_whose_2xx_body_stalls_past_the_timeout_says_the_status_that_arrived() {
    let (address, accepted) = server(|_, mut socket| async move {
        let body = user_json();
        if read_request_and_send_ok_head(&mut socket, &body).await {
            let _ = socket.write_all(&body.as_bytes()[..10]).await;
            tokio::time::sleep(Duration::from_secs(30)).await;
        }
    })
    .await;
    let client = Client::builder()
        .api_base_url(format!("http://{address}/v1"))
        .token(TokenSource::bearer("secret-token"))
        .retry_policy(quick(2))
        .timeout(Duration::from_millis(300))
        .build()
        .unwrap();
    let (scim, merge) = scim_add_and_merge_errors(&client).await;
    for (error, attempts) in [(scim, 1), (merge, 2)] {
        assert!(
            matches!(&error, Error::Incomplete { status: 200, attempts: a, .. } if *a == attempts),
            "{error:?}"
        );
        assert!(
            error
                .to_string()
                .contains("the server carried the request out"),
            "{error}"
        );
    }
    assert_eq!(accepted.load(Ordering::SeqCst), 3);
}

// ----------------------------------------------------------------- a body cut short

/// A body shorter than its `Content-Length` (the server closed mid-answer) and a chunked body
/// whose framing breaks, after a `200 OK`: retried as a transport failure is (a GET, a merge
/// patch), and not for a SCIM message with an `add` (the server may have applied it). The
/// error was `Transport`, whose text did not say that the server had answered, nor with what
/// status: the caller of a SCIM `add` could not tell "never arrived" from "applied, answer
/// lost" (a 200). Now it is `Error::Incomplete` with the status and the announced length,
/// whose text says that a 2xx means the request was carried out, and why the body broke.
#[tokio::test]
async fn a_body_cut_short_or_badly_chunked_says_the_status_that_arrived() {
    let answers: [(&[u8], &str, Option<u64>); 2] = [
        (
            b"HTTP/1.1 200 OK\r\ncontent-length: 1000\r\n\r\n{\"id\": \"a38",
            "end of file before message length reached",
            Some(1000),
        ),
        (
            b"HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n5\r\n{\"id\"\r\nzz\r\n",
            "chunk size",
            None,
        ),
    ];
    for (answer, why, length) in answers {
        let (address, accepted) = server(move |_, mut socket| async move {
            if read_request(&mut socket).await.is_some() {
                let _ = socket.write_all(answer).await;
                let _ = socket.shutdown().await;
            }
        })
        .await;
        let client = client_of(address, quick(3));
        let error = client.get_user(ENV, USER).await.unwrap_err();
        let Error::Incomplete {
            status,
            expected_bytes,
            attempts,
            ..
        } = &error
        else {
            panic!("{error:?}")
        };
        assert_eq!((*status, *expected_bytes, *attempts), (200, length, 3));
        assert_eq!(error.status(), Some(200));
        assert!(error.is_retryable());
        let text = error.to_string();
        assert!(text.contains(why), "{text}");
        assert!(text.contains("HTTP 200"), "{text}");
        assert!(text.contains("carried the request out"), "{text}");
        if let Some(length) = length {
            assert!(text.contains(&format!("{length} bytes")), "{text}");
        }
        // reqwest's error is the variant's field; the text writes it, so it is not also the
        // `source()` (tests/error_reports.rs).
        assert!(
            matches!(&error, Error::Incomplete { source, .. } if source.is_body() || source.is_decode() || source.is_request()),
            "{error:?}"
        );
        assert!(std::error::Error::source(&error).is_none());
        let patch = UserPatch::new().nickname("Dave");
        let error = client.update_user(ENV, USER, &patch).await.unwrap_err();
        assert!(
            matches!(
                error,
                Error::Incomplete {
                    status: 200,
                    attempts: 3,
                    ..
                }
            ),
            "{error:?}"
        );
        let before = accepted.load(Ordering::SeqCst);
        let error = client
            .update_user_scim_patch::<Value>(ENV, USER, &scim_add())
            .await
            .unwrap_err();
        assert!(
            matches!(
                error,
                Error::Incomplete {
                    status: 200,
                    attempts: 1,
                    ..
                }
            ),
            "{error:?}"
        );
        assert_eq!(accepted.load(Ordering::SeqCst) - before, 1);
    }
}

/// A PATCH answered 202 Accepted whose body was cut short (or stalled past the timeout) is
/// `Error::Incomplete` with the 202, whose text said "a 2xx: the server carried the request
/// out", as of a 200: a 202 says the change was accepted for processing, not carried out,
/// and it might never be (RFC 9110 §15.3.3), which a 202 with a whole body says
/// (`Error::Decode`, tests/pingone_bad_answers_and_input.rs). Now its text says so.
#[tokio::test]
async fn a_patch_answered_202_whose_body_is_cut_short_is_not_said_to_be_carried_out() {
    let (address, _) = server(|_, mut socket| async move {
        if read_request(&mut socket).await.is_some() {
            let _ = socket
                .write_all(b"HTTP/1.1 202 Accepted\r\ncontent-length: 1000\r\n\r\n{\"id\": \"a38")
                .await;
            let _ = socket.shutdown().await;
        }
    })
    .await;
    let client = client_of(address, quick(2));
    let (scim, merge) = scim_add_and_merge_errors(&client).await;
    for error in [scim, merge] {
        assert!(
            matches!(&error, Error::Incomplete { status: 202, .. }),
            "{error:?}"
        );
        let text = error.to_string();
        assert!(!text.contains("carried the request out"), "{text}");
        assert!(
            text.contains("a 202 Accepted: the request was accepted for processing"),
            "{text}"
        );
        assert!(text.contains("RFC 9110 §15.3.3"), "{text}");
    }
}

/// A 503 with `Retry-After` whose body was cut short: `Error::Incomplete` had no
/// `retry_after`, where the same 503 read whole (`Error::Api`, or `Error::Decode` for a
/// proxy's page) gives its wait; a caller could not tell when to come back, and a
/// `Retry-After` longer than the policy's `max_retry_after` ended the retries without saying
/// why (the sync job stops at such an answer by its `retry_after()`). Now it carries the wait,
/// in `retry_after()` and in its text.
#[tokio::test]
async fn a_body_cut_short_keeps_the_wait_its_answer_asked_for() {
    for (wait, policy, attempts) in [
        ("1", quick(2).max_retry_after(Duration::from_secs(5)), 2),
        ("120", quick(3), 1),
    ] {
        let answer = format!(
            "HTTP/1.1 503 Service Unavailable\r\nretry-after: {wait}\r\ncontent-length: \
             1000\r\n\r\n{{\"code\": \"UNAV"
        );
        let (address, accepted) = server(move |_, mut socket| {
            let answer = answer.clone();
            async move {
                if read_request(&mut socket).await.is_some() {
                    let _ = socket.write_all(answer.as_bytes()).await;
                    let _ = socket.shutdown().await;
                }
            }
        })
        .await;
        let client = client_of(address, policy);
        let error = client.get_user(ENV, USER).await.unwrap_err();
        let seconds = Duration::from_secs(wait.parse().unwrap());
        assert!(
            matches!(&error, Error::Incomplete { status: 503, attempts: a, retry_after: Some(w), .. }
                if *a == attempts && *w == seconds),
            "{error:?}"
        );
        assert_eq!(error.retry_after(), Some(seconds));
        assert_eq!(accepted.load(Ordering::SeqCst), attempts as usize);
        let text = error.to_string();
        assert!(
            text.contains(&format!("the answer asked to wait {wait}s")),
            "{text}"
        );
    }
}

// ------------------------------------------------------ the answer of another user

/// A user's GET or PATCH answered with another user's document, as a proxy or connection pool
/// that mixes up answers does (hackney#545 and #566, async-http#77: the answer of one request
/// delivered to another; a cache keyed without the path's user): the client returned it as
/// the user asked for. A caller that diffs it against the state it wants (as
/// `examples/get_diff_update.rs` does) then patched the user asked for with a patch computed
/// against someone else, and a PATCH's caller read another user's attributes as the result of
/// its change. Now it is `Error::Decode` naming both ids; the id is compared in any case.
#[tokio::test]
async fn an_answer_with_another_users_id_is_a_decode_error() {
    const OTHER: &str = "00000000-0000-4000-8000-000000000001";
    // The first four requests are answered another user, the next ones this user, its id in
    // upper case.
    let answered = Arc::new(AtomicUsize::new(0));
    let (address, _) = server(move |_, mut socket| {
        let answered = Arc::clone(&answered);
        async move {
            while read_request(&mut socket).await.is_some() {
                let id = if answered.fetch_add(1, Ordering::SeqCst) < 4 {
                    OTHER.to_owned()
                } else {
                    USER.to_uppercase()
                };
                let body = json!({"id": id, "username": "dspanner", "email": "d@example.com"});
                let _ = socket.write_all(&ok_answer(&body.to_string())).await;
            }
        }
    })
    .await;
    let client = client_of(address, RetryPolicy::never());
    let patch = UserPatch::new().nickname("Dave");
    let scim = ScimPatch::new(vec![ScimOperation::replace("nickname", json!("Dave"))]);
    let errors = [
        client.get_user(ENV, USER).await.map(drop),
        client.get_user_as::<Value>(ENV, USER).await.map(drop),
        client.update_user(ENV, USER, &patch).await.map(drop),
        client
            .update_user_scim_patch::<Value>(ENV, USER, &scim)
            .await
            .map(drop),
    ];
    for error in errors {
        let error = error.unwrap_err();
        let Error::Decode {
            status,
            reason,
            body_start,
            ..
        } = &error
        else {
            panic!("{error:?}")
        };
        assert_eq!(*status, 200);
        assert!(reason.contains(OTHER) && reason.contains(USER), "{reason}");
        // The other user's profile is not quoted: it reached the caller's logs.
        assert!(body_start.is_empty(), "{body_start}");
        let shown = format!("{error}\n{error:?}");
        assert!(!shown.contains("d@example.com"), "{shown}");
        assert!(!error.is_retryable());
    }
    // A PingOne error body answered with 200 has the error's id: not the document of another
    // user, but not a user at all: a PingOne error body, whose code and message the error
    // says (it said only `missing field username`, and withheld them).
    let (errors, _) = server(|_, mut socket| async move {
        let body = json!({"id": OTHER, "code": "INVALID_DATA", "message": "no"}).to_string();
        while read_request(&mut socket).await.is_some() {
            let _ = socket.write_all(&ok_answer(&body)).await;
        }
    })
    .await;
    let error = client_of(errors, RetryPolicy::never())
        .update_user(ENV, USER, &patch)
        .await
        .unwrap_err();
    let Error::Decode { reason, .. } = &error else {
        panic!("{error:?}")
    };
    assert!(
        reason.contains("PingOne error body")
            && reason.contains("\"INVALID_DATA\"")
            && reason.contains("message \"no\""),
        "{reason}"
    );
    assert!(!reason.contains("mixed up"), "{reason}");
    // The user asked for, its id in upper case.
    assert_eq!(
        client.get_user(ENV, USER).await.unwrap().username,
        "dspanner"
    );
    client.update_user(ENV, USER, &patch).await.unwrap();
}

/// A user's GET or PATCH answered with a document that has no `id` string (none, a number,
/// `null`; a proxy's or cache's `{}`, or a JSON array): the client returned it as the user
/// asked for (`get_user` a `User` whose `id` is `None`, `get_user_as::<Value>` anything), and a
/// caller diffed against it. PingOne's user document always has its `id`: now `Error::Decode`
/// saying so, for every call about one user.
#[tokio::test]
async fn an_answer_without_a_user_id_is_a_decode_error() {
    for body in [
        json!({"username": "dspanner", "email": "d@example.com"}),
        json!({"id": 7, "username": "dspanner", "email": "d@example.com"}),
        json!({"id": null, "username": "dspanner", "email": "d@example.com"}),
        json!({}),
        json!([{"id": USER}]),
    ] {
        let text = body.to_string();
        let (address, _) = server(move |_, mut socket| {
            let text = text.clone();
            async move {
                while read_request(&mut socket).await.is_some() {
                    let _ = socket.write_all(&ok_answer(&text)).await;
                }
            }
        })
        .await;
        let client = client_of(address, RetryPolicy::never());
        let patch = UserPatch::new().nickname("Dave");
        let scim = ScimPatch::new(vec![ScimOperation::replace("nickname", json!("Dave"))]);
        let results = [
            client.get_user_as::<Value>(ENV, USER).await.map(drop),
            client
                .update_user_scim_patch::<Value>(ENV, USER, &scim)
                .await
                .map(drop),
            client.update_user(ENV, USER, &patch).await.map(drop),
            client.get_user(ENV, USER).await.map(drop),
        ];
        for (call, result) in results.into_iter().enumerate() {
            let error = result.unwrap_err();
            let Error::Decode { status, reason, .. } = &error else {
                panic!("{body}: {error:?}")
            };
            assert_eq!(*status, 200);
            // The typed calls (a `User`) refuse a number as the `id` string, and `{}` or an
            // array as no user, with the decoder's reason; `User` reads a missing or `null`
            // `id` as `None`, which the check refuses.
            let typed_refusal = call >= 2
                && (body.get("username").is_none()
                    || body.get("id").is_some_and(serde_json::Value::is_number));
            if !typed_refusal {
                assert!(
                    reason.contains("the answer has no `id` string at its top level")
                        && reason.contains(USER),
                    "{body} (call {call}): {reason}"
                );
            }
            assert!(!error.is_retryable());
        }
    }
}

// ------------------------------------------------------ futures usable in any task

/// `Client` is documented usable "from any task or thread": the futures of its calls, its
/// listing stream and the sync job's outcomes are `Send + 'static` when they own their
/// client (as in `tokio::spawn` or an axum handler), and `Error` can go into a
/// `Box<dyn Error + Send + Sync>`. A compile-time check: a call that held something not
/// `Send` across an await (a `Rc`, a `MutexGuard`, a `tracing` entered span guard) would stop
/// compiling here.
#[test]
fn the_futures_of_the_client_are_send_and_static() {
    use sparse_patch::pingone::sync::SyncJob;
    use sparse_patch::pingone::{UserQuery, sync::feed_lines};

    fn spawnable<T: Send + 'static>(_: T) {}
    fn shareable_error<E: std::error::Error + Send + Sync + 'static>() {}

    let client = Client::builder()
        .api_base_url("http://127.0.0.1:9/v1")
        .token(TokenSource::bearer("t"))
        .build()
        .unwrap();
    let owned = client.clone();
    spawnable(async move { owned.get_user(ENV, USER).await });
    let owned = client.clone();
    spawnable(async move { owned.get_user_as::<Value>(ENV, USER).await });
    let owned = client.clone();
    spawnable(async move {
        owned
            .update_user(ENV, USER, &UserPatch::new().nickname("x"))
            .await
    });
    let owned = client.clone();
    spawnable(async move {
        owned
            .update_user_scim_patch::<Value>(ENV, USER, &scim_add())
            .await
    });
    let owned = client.clone();
    spawnable(async move { owned.find_user_by_username(ENV, "x").await });
    let owned = client.clone();
    spawnable(async move { owned.find_user_by_email(ENV, "x@example.com").await });
    spawnable(client.list_users(ENV, &UserQuery::all()));
    let job = SyncJob::new(&client, ENV);
    spawnable(job.run(feed_lines(std::io::Cursor::new(String::new()))));
    shareable_error::<Error>();
}

// ------------------------------------- a SCIM replace that changes what its filter selects

/// A SCIM `replace` whose filter selects the element by the attribute it changes
/// (`badges[type eq "work"].type` to `"home"`, `emails[value eq "old@x"].value`): applied
/// once, the filter matches nothing, and PingOne answers 400 `noTarget` (RFC 7644 §3.5.2.3).
/// The client retried such a message after a lost answer as an idempotent one (it holds no
/// `add`), and the retry's 400 reported as failed a change that was made. Such a message is
/// not sent again where PingOne may have applied it, as a message with an `add` is not; one
/// whose filter selects by another attribute still is.
#[tokio::test]
async fn a_scim_replace_that_changes_what_its_filter_selects_is_not_sent_twice() {
    use sparse_patch::pingone::emulator::{Fault, reference_user};

    let mut user = reference_user();
    user["badges"] = json!([{"type": "work", "level": 1}]);
    let (emulator, client) = emulator_with(user);
    let (env, id) = (emulator.environment_id(), emulator.user_id());
    let stored = || emulator.user(id).unwrap()["badges"].clone();

    // Selected by another attribute: retried after the lost answer, applied once.
    emulator.inject(Fault::ConnectionCut);
    let level = ScimPatch::new(vec![ScimOperation::replace(
        r#"badges[type eq "work"].level"#,
        json!(2),
    )]);
    let answer: Value = client
        .update_user_scim_patch(env, id, &level)
        .await
        .unwrap();
    assert_eq!(answer["badges"], json!([{"type": "work", "level": 2}]));

    // Selected by the attribute it changes: the lost answer ends the call with its error,
    // the change made once, not a 400 about the retry.
    let changes = [
        ScimOperation::replace(r#"badges[type eq "work"].type"#, json!("home")),
        ScimOperation::replace(r#"badges[type eq "home"]"#, json!({"type": "work"})),
    ];
    for (change, after) in changes.into_iter().zip(["home", "work"]) {
        emulator.inject(Fault::ConnectionCut);
        let error = client
            .update_user_scim_patch::<Value>(env, id, &ScimPatch::new(vec![change]))
            .await
            .unwrap_err();
        assert!(
            matches!(error, Error::Transport { attempts: 1, .. }),
            "{error:?}"
        );
        assert_eq!(stored()[0]["type"], json!(after));
    }

    // A later operation of the message that changes what an earlier one's filter selects by
    // (here: removes the element it selects) makes the message not idempotent either.
    let mut user = reference_user();
    user["badges"] = json!([{"type": "work", "level": 1}, {"type": "home", "level": 1}]);
    let (emulator, client) = emulator_with(user);
    let (env, id) = (emulator.environment_id(), emulator.user_id());
    let messages = [
        vec![
            ScimOperation::replace(r#"badges[type eq "work"].level"#, json!(2)),
            ScimOperation::remove(r#"badges[type eq "work"]"#),
        ],
        vec![
            ScimOperation::replace(r#"badges[level eq 1].type"#, json!("old")),
            ScimOperation::replace(r#"badges[type eq "old"].level"#, json!(3)),
        ],
        vec![
            ScimOperation::replace(r#"badges[type eq "old"].level"#, json!(4)),
            ScimOperation::replace("badges", json!([{"type": "new"}])),
        ],
    ];
    for operations in messages {
        emulator.inject(Fault::ConnectionCut);
        let error = client
            .update_user_scim_patch::<Value>(env, id, &ScimPatch::new(operations))
            .await
            .unwrap_err();
        assert!(
            matches!(error, Error::Transport { attempts: 1, .. }),
            "{error:?}"
        );
    }
    assert_eq!(
        emulator.user(id).unwrap()["badges"],
        json!([{"type": "new"}])
    );

    // A `remove` at a filter that a later operation disturbs: sent again, it removes the
    // element that the later operation made match (here the badge renamed to "work"), a
    // change nobody asked for, before the later operation is refused.
    let mut user = reference_user();
    user["badges"] = json!([{"type": "work"}, {"type": "home", "level": 1}]);
    let (emulator, client) = emulator_with(user);
    let (env, id) = (emulator.environment_id(), emulator.user_id());
    emulator.inject(Fault::ConnectionCut);
    let rename = ScimPatch::new(vec![
        ScimOperation::remove(r#"badges[type eq "work"]"#),
        ScimOperation::replace(r#"badges[level eq 1].type"#, json!("work")),
    ]);
    let error = client
        .update_user_scim_patch::<Value>(env, id, &rename)
        .await
        .unwrap_err();
    assert!(
        matches!(error, Error::Transport { attempts: 1, .. }),
        "{error:?}"
    );
    assert_eq!(
        emulator.user(id).unwrap()["badges"],
        json!([{"type": "work", "level": 1}])
    );
}

/// A 408 says the server did not receive the whole request in time, and that the client may
/// send it again (RFC 9110 §15.5.9); HAProxy sends one on the kept-alive connection it closes
/// for idleness, which a request written meanwhile reads as its answer. A SCIM `add` (not
/// repeatable) answered 408 ended with that error, although nothing was applied; it is sent
/// again now, and applied once. A 500 still ends it, as PingOne may have applied it.
#[tokio::test]
async fn a_scim_add_answered_408_is_sent_again_and_applied_once() {
    use sparse_patch::pingone::emulator::{Fault, reference_user};

    let (emulator, client) = emulator_with(reference_user());
    let (env, id) = (emulator.environment_id(), emulator.user_id());
    emulator.inject(Fault::Status(408));
    let answer: Value = client
        .update_user_scim_patch(env, id, &scim_add())
        .await
        .unwrap();
    assert_eq!(answer["badges"], json!([{"type": "x"}]));
    assert_eq!(emulator.user(id).unwrap()["badges"], json!([{"type": "x"}]));

    emulator.inject(Fault::Status(500));
    let error = client
        .update_user_scim_patch::<Value>(env, id, &scim_add())
        .await
        .unwrap_err();
    assert_eq!(
        (error.status(), error.attempts()),
        (Some(500), Some(1)),
        "{error:?}"
    );
}

/// A 429 refused the request before anything was applied, so a SCIM `add` (not repeatable)
/// answered 429 is sent again, and applied once: as for a 408, but with a body that arrived
/// whole (the huge 429 of `a_scim_message_that_is_not_repeatable_is_sent_again_after_a_huge_429_only`
/// aside, no test sent a non-repeatable message into a 429; a mutation that ended it at the
/// 429 went unseen).
#[tokio::test]
async fn a_scim_add_answered_429_is_sent_again_and_applied_once() {
    use sparse_patch::pingone::emulator::{Fault, reference_user};

    let (emulator, client) = emulator_with(reference_user());
    let (env, id) = (emulator.environment_id(), emulator.user_id());
    emulator.inject(Fault::RateLimited {
        retry_after: "0".into(),
    });
    let answer: Value = client
        .update_user_scim_patch(env, id, &scim_add())
        .await
        .unwrap();
    assert_eq!(answer["badges"], json!([{"type": "x"}]));
    assert_eq!(emulator.user(id).unwrap()["badges"], json!([{"type": "x"}]));
    let patches = emulator
        .requests()
        .iter()
        .filter(|request| request.method == "PATCH")
        .count();
    assert_eq!(patches, 2);
}

// ----------------------------------- a kept-alive connection closed while the runtime slept

/// The requests a server read: the number of its connection (from 0) and its request line.
type Requests = Arc<Mutex<Vec<(usize, String)>>>;

/// A server on a thread and runtime of its own (the test's runtime does not run between its
/// calls): its first connection answers one request and is closed 50 ms later, as a server
/// closes a kept-alive connection left idle past its keep-alive (5 s for Node.js, 60 s for
/// an AWS load balancer); each later connection answers every request. Returns its address
/// and the requests it read.
fn closing_server() -> (SocketAddr, Requests) {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let address = listener.local_addr().unwrap();
    let requests = Arc::new(Mutex::new(Vec::new()));
    let seen = Arc::clone(&requests);
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        runtime.block_on(async move {
            let listener = TcpListener::from_std(listener).unwrap();
            let mut connections = 0;
            while let Ok((mut socket, _)) = listener.accept().await {
                let (connection, seen) = (connections, Arc::clone(&seen));
                connections += 1;
                tokio::spawn(async move {
                    while let Some(head) = read_request(&mut socket).await {
                        let line = head.lines().next().unwrap_or_default().to_owned();
                        seen.lock().unwrap().push((connection, line));
                        socket.write_all(&ok_answer(&user_json())).await.unwrap();
                        if connection == 0 {
                            tokio::time::sleep(Duration::from_millis(50)).await;
                            return; // closed, idle
                        }
                    }
                });
            }
        });
    });
    (address, requests)
}

/// A `current_thread` runtime runs its connections only inside `block_on`. A program that
/// calls the client from synchronous code, one `block_on` per call, left the pool holding a
/// connection that the server had closed meanwhile (its close unread, as the runtime was not
/// running), and the next call was written into it and failed with hyper's "connection
/// closed before message completed" (hyperium/hyper#2136) although the server never saw it:
/// an error with `RetryPolicy::never()`, and the error of a SCIM `add`, which is not sent
/// again after a transport failure. The call now takes a fresh connection and is sent once;
/// so do two calls started together then (the second one took the closed connection while
/// the first yielded); with an HTTP client of the user's own too.
#[test]
fn a_connection_the_server_closed_while_the_runtime_was_idle_is_not_used() {
    for own_http_client in [false, true] {
        for second in ["GET", "SCIM add", "two GETs at once"] {
            let (address, requests) = closing_server();
            let mut builder = Client::builder()
                .api_base_url(format!("http://{address}/v1"))
                .token(TokenSource::bearer("secret-token"))
                .retry_policy(RetryPolicy::never());
            if own_http_client {
                let http = own_http_client_builder()
                    .redirect(reqwest::redirect::Policy::none())
                    .build()
                    .unwrap();
                builder = builder.http_client(http);
            }
            let client = builder.build().unwrap();
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap();
            runtime.block_on(client.get_user(ENV, USER)).unwrap();
            // The server closes the idle connection; the runtime is not running meanwhile.
            std::thread::sleep(Duration::from_millis(300));
            let case = format!("own HTTP client: {own_http_client}, then {second}");
            let result = match second {
                "GET" => runtime.block_on(client.get_user(ENV, USER)).map(drop),
                "SCIM add" => runtime
                    .block_on(client.update_user_scim_patch::<Value>(ENV, USER, &scim_add()))
                    .map(drop),
                _ => runtime.block_on(async {
                    let (one, two) =
                        tokio::join!(client.get_user(ENV, USER), client.get_user(ENV, USER));
                    one.and(two).map(drop)
                }),
            };
            result.unwrap_or_else(|error| panic!("{case}: {error:?}"));
            let requests = requests.lock().unwrap().clone();
            let sent = if second == "two GETs at once" { 3 } else { 2 };
            assert_eq!(requests.len(), sent, "{case}: {requests:?}");
            assert!(
                requests[1..].iter().all(|(connection, _)| *connection > 0),
                "{case}: on fresh connections: {requests:?}"
            );
            let method = if second == "SCIM add" {
                "PATCH "
            } else {
                "GET "
            };
            assert!(requests[1].1.starts_with(method), "{case}: {requests:?}");
        }
    }
}
