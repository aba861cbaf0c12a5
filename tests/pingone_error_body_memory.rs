//! Reading an error answer keeps the client's memory within a few times its body: a body of
//! `MAX_BODY_BYTES` (16 MiB) of small JSON values, answered by a server or proxy that
//! misbehaves, was read into `serde_json::Value`s to tell whether it is a PingOne error body
//! or an OAuth error (some 450 MB each time), and the details of one were kept in the error.
//! A body larger than any error document (1 MiB) is said as what arrived instead. A global
//! allocator counts the bytes live on the client's thread; each server runs on a thread of
//! its own, whose allocations are not counted.

#[path = "support/mock_pingone.rs"]
mod mock_pingone;
#[path = "support/thread_allocations.rs"]
mod thread_allocations;
#[path = "support/thread_server.rs"]
mod thread_server;
use thread_server::serving;

use std::net::SocketAddr;

use mock_pingone::{ENV, USER};
use sparse_patch::pingone::{Client, Error, MAX_BODY_BYTES, RetryPolicy, TokenSource};

/// Held by each test: the allocator's count of live bytes is one for all counted threads.
static ONE_AT_A_TIME: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// A JSON object of `start` members, then a member `details` that holds small objects up to
/// `length` bytes: what a PingOne error body (`start` its `code` and `message`) or an OAuth
/// error (`error`) would be with a list of megabytes after it.
fn padded_object(start: &str, length: usize) -> Vec<u8> {
    const SMALL: &[u8] = br#"{"code":"C"}"#;
    let mut body = format!(r#"{{{start},"details":["#).into_bytes();
    let mut first = true;
    while body.len() + SMALL.len() + 3 <= length {
        if !first {
            body.push(b',');
        }
        first = false;
        body.extend_from_slice(SMALL);
    }
    body.extend_from_slice(b"]}");
    body
}

/// A model of a user that keeps no member it does not name (`User` keeps them all, as
/// `serde_json::Value`s in its `custom` map: a 2xx body of 16 MiB takes as much memory as
/// this test bounds, read as the model asked for).
#[derive(serde::Deserialize, Debug)]
struct Named {
    #[allow(dead_code)]
    username: String,
}

/// The error of a `get_user_as::<Named>` on a client whose API and token endpoint are
/// `address` (a worker's with `worker`), and the peak of the bytes live on this thread while
/// it ran.
async fn peak_of(address: SocketAddr, worker: bool) -> (Error, isize) {
    let source = if worker {
        TokenSource::client_credentials(ENV, "worker", "s3cret")
    } else {
        TokenSource::bearer("token")
    };
    let client = Client::builder()
        .api_base_url(format!("http://{address}/v1"))
        .auth_base_url(format!("http://{address}"))
        .token(source)
        .retry_policy(RetryPolicy::never())
        .build()
        .unwrap();
    thread_allocations::count_this_thread(true);
    let base = thread_allocations::reset_peak();
    let error = client.get_user_as::<Named>(ENV, USER).await.unwrap_err();
    let peak = thread_allocations::peak() - base;
    thread_allocations::count_this_thread(false);
    (error, peak)
}

/// `what` and its `peak` when it is past four bodies: the body, and its text with the token
/// or the client secret taken out (a copy for each form of the secret that it holds, one at a
/// time), of which the error keeps the start. Read into `serde_json::Value`s, the body took
/// 25 times its size.
fn past_bound(what: String, peak: isize) -> Option<String> {
    let body = isize::try_from(MAX_BODY_BYTES).unwrap();
    println!("{what}: peak {peak} B");
    (peak >= 4 * body).then(|| format!("{what}: peak {peak} B for a body of {body} B"))
}

/// A 400 whose body is a PingOne error body with 1.4 million details, a 429's the same, a
/// 200 whose body is one (a gateway that answers errors with 200), and a token endpoint's 400
/// and 200 with an OAuth error of that size: each is an error that says what arrived, within
/// four bodies of memory.
#[tokio::test(flavor = "current_thread")]
async fn an_error_body_of_16_mib_is_not_read_into_values() {
    let _alone = ONE_AT_A_TIME.lock().await;
    let mut past = Vec::new();
    let pingone = padded_object(r#""code":"INVALID_DATA","message":"m""#, MAX_BODY_BYTES);
    for status in [400, 429, 200] {
        let (error, peak) = peak_of(serving(status, pingone.clone()), false).await;
        past.extend(past_bound(format!("the API's {status}"), peak));
        let said = match &error {
            Error::Decode { status: got, .. } => *got == status,
            // Its error body not read.
            Error::RateLimited { error: None, .. } => status == 429,
            _ => false,
        };
        if !said {
            past.push(format!("the API's {status}: {error:?}"));
        }
    }
    let oauth = padded_object(r#""error":"invalid_client""#, MAX_BODY_BYTES);
    for status in [400, 200] {
        let (error, peak) = peak_of(serving(status, oauth.clone()), true).await;
        past.extend(past_bound(format!("the token endpoint's {status}"), peak));
        if !matches!(&error, Error::Token { status: got, .. } | Error::Decode { status: got, .. }
                if *got == status)
        {
            past.push(format!("the token endpoint's {status}: {error:?}"));
        }
    }
    assert!(past.is_empty(), "{past:#?}");
}

/// The largest body read as a PingOne error body (1 MiB, the client's
/// `MAX_ERROR_DOCUMENT_BYTES`), of 80,000 small details, all kept in the error: read within
/// 64 times its size.
#[tokio::test(flavor = "current_thread")]
async fn the_largest_error_body_read_as_one_takes_a_bounded_memory() {
    let _alone = ONE_AT_A_TIME.lock().await;
    const MOST: usize = 1024 * 1024;
    let body = padded_object(r#""code":"INVALID_DATA","message":"m""#, MOST);
    assert!(
        body.len() <= MOST && body.len() > MOST - 16,
        "{}",
        body.len()
    );
    let (error, peak) = peak_of(serving(400, body), false).await;
    let Error::Api { error, .. } = &error else {
        panic!("{error:?}")
    };
    println!("{} details: peak {peak} B", error.details.len());
    assert!(error.details.len() > 80_000);
    assert!(peak < 64 * isize::try_from(MOST).unwrap(), "peak {peak} B");
}
