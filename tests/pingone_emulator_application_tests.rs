//! What an application's own tests ask of the emulator (review 75, a new user testing a
//! service that reads users by filter and updates them): a fault at the token endpoint, and
//! an error status with a code of the test's choosing, each reaching the application as
//! PingOne would answer it.

#[path = "support/emulator_client.rs"]
mod emulator_client;
use emulator_client::{emulator_bearer_builder, emulator_worker_builder};

use std::time::Duration;

use sparse_patch::Patchable;
use sparse_patch::pingone::emulator::{Emulator, Fault};
use sparse_patch::pingone::{Client, Error, RetryPolicy, UserPatch};

/// A client of `emulator` with its worker credentials and the retry policy `policy`.
fn worker_client(emulator: &Emulator, policy: RetryPolicy) -> Client {
    emulator_worker_builder(emulator)
        .retry_policy(policy)
        .build()
        .unwrap()
}

fn fast() -> RetryPolicy {
    RetryPolicy::default()
        .initial_backoff(Duration::from_millis(1))
        .jitter(false)
}

/// An emulator, a reqwest client of its own (the crypto provider installed), and the URL of
/// its environment (`{apiPath}/environments/{envID}`), for requests that the crate's client
/// would not send.
fn emulator_and_raw_client() -> (Emulator, reqwest::Client, String) {
    sparse_patch::pingone::install_default_crypto_provider();
    let emulator = Emulator::start().unwrap();
    let base = format!(
        "{}/environments/{}",
        emulator.api_base_url(),
        emulator.environment_id()
    );
    (emulator, reqwest::Client::new(), base)
}

/// `inject` reached only the users endpoints, so a test could not make the token endpoint
/// fail: a 503 queued for "the token request" was taken by the GET after it, and the
/// application's handling of a token endpoint that fails could not be tried offline. Now
/// `inject_token_fault` queues faults for the token endpoint alone, which the users endpoints
/// never take.
#[tokio::test]
async fn a_fault_queued_for_the_token_endpoint_reaches_the_token_request_only() {
    let emulator = Emulator::start().unwrap();
    let client = worker_client(&emulator, fast());
    // Retried by the client: a 500, a 429 with a `Retry-After` it waits out, a cut answer.
    emulator.inject_token_fault(Fault::Status(500));
    emulator.inject_token_fault(Fault::RateLimited {
        retry_after: "1".into(),
    });
    emulator.inject_token_fault(Fault::ConnectionCut);
    let started = std::time::Instant::now();
    client
        .get_user(emulator.environment_id(), emulator.user_id())
        .await
        .unwrap();
    assert!(started.elapsed() >= Duration::from_secs(1));
    assert_eq!(emulator.token_requests(), 4);
    assert_eq!(emulator.pending_faults(), 0);
    // The users endpoint was asked once, and answered.
    assert_eq!(emulator.requests().len(), 1);

    // A 503 that asks for longer than the policy waits is the call's `Token` error, with the
    // wait, and nothing reaches the users endpoint.
    let emulator = Emulator::start().unwrap();
    let client = worker_client(&emulator, fast());
    emulator.inject_token_fault(Fault::ServiceUnavailable {
        retry_after: Some("120".into()),
    });
    let error = client
        .get_user(emulator.environment_id(), emulator.user_id())
        .await
        .unwrap_err();
    assert!(
        matches!(error, Error::Token { status: 503, .. }),
        "{error:?}"
    );
    assert_eq!(error.retry_after(), Some(Duration::from_secs(120)));
    assert_eq!(emulator.token_requests(), 1);
    assert!(emulator.requests().is_empty());

    // A slow token endpoint meets the client's timeout.
    let emulator = Emulator::start().unwrap();
    let client = emulator_worker_builder(&emulator)
        .timeout(Duration::from_millis(100))
        .retry_policy(RetryPolicy::never())
        .build()
        .unwrap();
    emulator.inject_token_fault(Fault::Slow(Duration::from_secs(2)));
    let error = client
        .get_user(emulator.environment_id(), emulator.user_id())
        .await
        .unwrap_err();
    assert!(matches!(error, Error::Timeout { .. }), "{error:?}");
    assert!(emulator.requests().is_empty());
}

/// A fault queued for the users endpoints is not taken by the token request before the call.
#[tokio::test]
async fn a_fault_queued_for_the_users_endpoints_skips_the_token_request() {
    let emulator = Emulator::start().unwrap();
    let client = worker_client(&emulator, RetryPolicy::never());
    emulator.inject(Fault::Status(500));
    let error = client
        .get_user(emulator.environment_id(), emulator.user_id())
        .await
        .unwrap_err();
    assert_eq!(error.status(), Some(500));
    assert!(matches!(error, Error::Api { .. }), "{error:?}");
    assert_eq!(emulator.token_requests(), 1);
}

/// `Fault::Status(409)` carries `UNEXPECTED_ERROR`, which the client retries whatever the
/// status, so an application's handling of a 409 (or of any status with a code of its own)
/// could be tried only with `RetryPolicy::never`, not with the client it ships. Now
/// `Fault::ApiError` gives the status with the code asked for, and the call's error is that
/// answer, on the first attempt.
#[tokio::test]
async fn an_injected_api_error_carries_the_code_given() {
    let emulator = Emulator::start().unwrap();
    let client = emulator_bearer_builder(&emulator)
        .retry_policy(fast())
        .build()
        .unwrap();
    let patch = UserPatch::new().title("CTO");
    emulator.inject(Fault::ApiError {
        status: 409,
        code: "CONFLICT".into(),
    });
    let error = client
        .update_user(emulator.environment_id(), emulator.user_id(), &patch)
        .await
        .unwrap_err();
    assert_eq!(error.status(), Some(409));
    assert_eq!(error.code(), Some("CONFLICT"));
    assert_eq!(error.attempts(), Some(1));
    assert_eq!(emulator.requests().len(), 1);
    // A code that the client retries is retried, as PingOne's would be; a number that is no
    // HTTP status is a 500, as for `Fault::Status`.
    emulator.inject(Fault::ApiError {
        status: 400,
        code: "UNEXPECTED_ERROR".into(),
    });
    emulator.inject(Fault::ApiError {
        status: 1000,
        code: "UNEXPECTED_ERROR".into(),
    });
    client
        .update_user(emulator.environment_id(), emulator.user_id(), &patch)
        .await
        .unwrap();
    assert_eq!(emulator.requests().len(), 4);
    // `Fault::Status(409)`, a status without a code of its own, carries `UNEXPECTED_ERROR`:
    // retried, so the call gets the user on its second attempt (docs/common_tasks says so).
    emulator.inject(Fault::Status(409));
    client
        .update_user(emulator.environment_id(), emulator.user_id(), &patch)
        .await
        .unwrap();
    assert_eq!(emulator.requests().len(), 6);
}

/// `inject` queues a fault for the next request to a users endpoint, whatever its method,
/// so an application that finds a user by email and then updates it (review 85, a new user)
/// got the 409 meant for its PATCH on its lookup, and could not test its handling of a
/// refused update. `inject_patch_fault` queues a fault for the next PATCH alone (merge patch
/// or SCIM): the GET, the list and the lookup before it are answered as usual, and a PATCH
/// takes it before a fault that `inject` queued.
#[tokio::test]
async fn a_fault_queued_for_the_patch_is_not_taken_by_the_lookups_before_it() {
    let emulator = Emulator::start().unwrap();
    let client = emulator_bearer_builder(&emulator)
        .retry_policy(fast())
        .build()
        .unwrap();
    let (env, id) = (emulator.environment_id(), emulator.user_id());
    let conflict = || Fault::ApiError {
        status: 409,
        code: "CONFLICT".into(),
    };
    emulator.inject_patch_fault(conflict());
    emulator.inject_patch_fault(conflict());
    assert_eq!(emulator.pending_faults(), 2);
    let user = client
        .find_user_by_email(env, "dspanner@example.com")
        .await
        .unwrap()
        .unwrap();
    client.get_user(env, id).await.unwrap();
    let patch = UserPatch::new().title("CTO");
    let error = client.update_user(env, id, &patch).await.unwrap_err();
    assert_eq!(
        (error.status(), error.code()),
        (Some(409), Some("CONFLICT"))
    );
    // SCIM operations are a PATCH too.
    let mut target = user.clone();
    target.title = Some("CTO".into());
    let error = client
        .update_user_scim(env, id, &user, &user.diff(&target))
        .await
        .unwrap_err();
    assert_eq!(error.status(), Some(409));
    let answered: Vec<_> = emulator
        .requests()
        .iter()
        .map(|request| {
            (
                request.method.clone(),
                request.status,
                request.fault.is_some(),
            )
        })
        .collect();
    assert_eq!(
        answered,
        [
            ("GET".to_owned(), Some(200), false),
            ("GET".to_owned(), Some(200), false),
            ("PATCH".to_owned(), Some(409), true),
            ("PATCH".to_owned(), Some(409), true),
        ]
    );
    // A PATCH takes its own queue's fault first, then `inject`'s, which a GET takes too.
    emulator.inject(Fault::Status(404));
    emulator.inject_patch_fault(conflict());
    let error = client.update_user(env, id, &patch).await.unwrap_err();
    assert_eq!(error.status(), Some(409));
    assert_eq!(emulator.pending_faults(), 1);
    let error = client.get_user(env, id).await.unwrap_err();
    assert_eq!(error.status(), Some(404));
    assert_eq!(emulator.pending_faults(), 0);
    client.update_user(env, id, &patch).await.unwrap();
}

/// A seed without `username` (or `email`, or with a read-only attribute of the wrong type,
/// `"enabled": "yes"`) was taken, though PingOne's User schema requires both and the builder
/// says it refuses a user the client could not reach or write back; then every `get_user`,
/// `update_user` and list of it failed with `Error::Decode` ("the request succeeded ... does
/// not fit the model"), pointing at the server rather than at the seed. Now the seed is
/// refused where the test gives it, naming the attribute.
#[tokio::test]
async fn a_seed_that_the_clients_user_model_cannot_read_is_refused() {
    use serde_json::json;
    use sparse_patch::pingone::emulator::check_seeded_user;

    let id = "00000000-0000-4000-8000-000000000009";
    for (seed, says) in [
        (json!({"id": id, "title": "Engineer"}), "`username`"),
        (json!({"id": id, "username": "ada"}), "`email`"),
        (
            json!({"id": id, "username": "ada", "email": "ada@example.com", "enabled": "yes"}),
            "at `enabled`",
        ),
        (
            json!({"id": id, "username": "ada", "email": "ada@example.com", "account": "LOCKED"}),
            "at `account`",
        ),
    ] {
        let error = Emulator::builder()
            .no_users()
            .user(seed.clone())
            .start()
            .unwrap_err();
        assert_eq!(error.kind(), std::io::ErrorKind::InvalidInput);
        let text = error.to_string();
        assert!(text.contains(says), "{text}");
        assert!(text.contains(id), "{text}");
        assert!(check_seeded_user(&seed).unwrap_err().contains(says));
        let emulator = Emulator::start().unwrap();
        let inserted =
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| emulator.insert_user(seed)));
        assert!(inserted.is_err());
    }
    // With both, and custom attributes, the seed is read back by the client.
    let emulator = Emulator::builder()
        .no_users()
        .user(
            json!({"id": id, "username": "ada", "email": "ada@example.com",
                     "costCenter": "100", "prefs": {"theme": "dark"}}),
        )
        .start()
        .unwrap();
    let client = emulator_bearer_builder(&emulator).build().unwrap();
    let user = client
        .get_user(emulator.environment_id(), id)
        .await
        .unwrap();
    assert_eq!(user.custom["costCenter"], "100");
}

/// `insert_user` panicked on a seed it refused, so a test that builds its users from data
/// could not handle the refusal (review 79). `try_insert_user` returns it: the same
/// `InvalidInput` error, with the same text, that `start` gives for that seed and that
/// `check_seeded_user` says, and the emulator's users are unchanged; `insert_user` panics with
/// that text.
#[test]
fn a_refused_insert_is_the_error_start_gives_and_changes_nothing() {
    use serde_json::json;
    use sparse_patch::pingone::emulator::check_seeded_user;

    let id = "00000000-0000-4000-8000-000000000009";
    let emulator = Emulator::start().unwrap();
    let before = emulator.user(emulator.user_id()).unwrap();
    for seed in [
        json!([1, 2]),
        json!({"username": "ada", "email": "ada@example.com"}),
        json!({"id": "ada", "username": "ada", "email": "ada@example.com"}),
        json!({"id": id, "username": "ada"}),
        json!({"id": id, "username": "ada", "email": "not an address"}),
        json!({"id": id, "username": "ada", "email": "ada@example.com", "enabled": "yes"}),
        json!({"id": id, "username": "ada", "email": "ada@example.com", "x": "y".repeat(17_000)}),
        // The stored user's ID: refused, and the stored user kept.
        json!({"id": emulator.user_id(), "username": "ada"}),
    ] {
        let refused = emulator.try_insert_user(seed.clone()).unwrap_err();
        assert_eq!(refused.kind(), std::io::ErrorKind::InvalidInput);
        let at_start = Emulator::builder()
            .no_users()
            .user(seed.clone())
            .start()
            .unwrap_err();
        assert_eq!(
            (at_start.kind(), at_start.to_string()),
            (refused.kind(), refused.to_string())
        );
        assert_eq!(check_seeded_user(&seed).unwrap_err(), refused.to_string());
        let panicked = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            emulator.insert_user(seed.clone())
        }))
        .unwrap_err();
        assert_eq!(
            panicked.downcast_ref::<String>(),
            Some(&refused.to_string())
        );
    }
    assert_eq!(emulator.user(id), None);
    assert_eq!(emulator.user(emulator.user_id()), Some(before));
    // A good seed is taken, and one with a stored user's ID (in any case) replaces it.
    let ada = json!({"id": id.to_uppercase(), "username": "ada", "email": "ada@example.com"});
    emulator.try_insert_user(ada).unwrap();
    assert_eq!(emulator.user(id).unwrap()["username"], "ada");
    let grace = json!({"id": id, "username": "grace", "email": "grace@example.com"});
    emulator.try_insert_user(grace).unwrap();
    assert_eq!(emulator.user(id).unwrap()["username"], "grace");
}

/// The status answered is in the log for a call the application makes through the client:
/// the injected 409, and no status for a connection cut before the answer (review 79).
#[tokio::test]
async fn the_log_holds_the_status_the_application_got() {
    let emulator = Emulator::start().unwrap();
    let client = emulator_bearer_builder(&emulator)
        .retry_policy(RetryPolicy::never())
        .build()
        .unwrap();
    let conflict = Fault::ApiError {
        status: 409,
        code: "CONFLICT".into(),
    };
    emulator.inject(conflict.clone());
    let patch = UserPatch::new().title("CTO");
    let (environment, user) = (emulator.environment_id(), emulator.user_id());
    let error = client
        .update_user(environment, user, &patch)
        .await
        .unwrap_err();
    assert_eq!(error.status(), Some(409));
    emulator.inject(Fault::ConnectionCut);
    let error = client.get_user(environment, user).await.unwrap_err();
    assert!(matches!(error, Error::Transport { .. }), "{error:?}");
    client.get_user(environment, user).await.unwrap();
    let recorded = emulator.requests();
    assert_eq!(recorded[0].status, Some(409));
    assert_eq!(recorded[0].fault, Some(conflict));
    assert_eq!(recorded[1].status, None, "no status reached the client");
    assert_eq!(recorded[1].fault, Some(Fault::ConnectionCut));
    assert_eq!((recorded[2].status, &recorded[2].fault), (Some(200), &None));
}

/// `patches_to` gives the JSON bodies of the PATCHes to one user, in order, one per attempt
/// (a retried call's twice), refused ones too, SCIM messages as sent; not another user's,
/// nor a GET's; the user's ID in any case (review 79).
#[tokio::test]
async fn patches_to_gives_each_attempts_body_in_order() {
    use serde_json::json;

    let other = "00000000-0000-4000-8000-000000000007";
    let emulator = Emulator::start().unwrap();
    emulator.insert_user(json!({"id": other, "username": "grace", "email": "grace@example.com"}));
    let client = emulator_bearer_builder(&emulator)
        .retry_policy(fast())
        .build()
        .unwrap();
    let (environment, user) = (emulator.environment_id(), emulator.user_id());
    emulator.inject(Fault::Status(503));
    client
        .update_user(environment, user, &UserPatch::new().title("CTO"))
        .await
        .unwrap();
    client
        .update_user(environment, other, &UserPatch::new().title("Lead"))
        .await
        .unwrap();
    client.get_user(environment, user).await.unwrap();
    let unchecked = emulator_bearer_builder(&emulator)
        .preflight(false)
        .build()
        .unwrap();
    let invalid = UserPatch::new().email("not an address");
    let error = unchecked
        .update_user(environment, user, &invalid)
        .await
        .unwrap_err();
    assert_eq!(error.status(), Some(400));
    let current = client.get_user(environment, user).await.unwrap();
    let scim = UserPatch::new().nickname("Ada");
    client
        .update_user_scim(environment, user, &current, &scim)
        .await
        .unwrap();
    let patches = emulator.patches_to(&user.to_uppercase());
    assert_eq!(patches.len(), 4, "{patches:?}");
    assert_eq!(patches[0], json!({"title": "CTO"}));
    assert_eq!(patches[1], patches[0], "the retried attempt");
    assert_eq!(patches[2], json!({"email": "not an address"}));
    assert_eq!(
        patches[3]["Operations"][0]["value"],
        json!("Ada"),
        "{}",
        patches[3]
    );
    assert_eq!(emulator.patches_to(other), [json!({"title": "Lead"})]);
    let unlogged = Emulator::builder().record_requests(false).start().unwrap();
    assert!(unlogged.patches_to(unlogged.user_id()).is_empty());
}

/// The method, status and fault of every request the emulator recorded, in order.
fn answered(emulator: &Emulator) -> Vec<(String, Option<u16>, Option<Fault>)> {
    emulator
        .requests()
        .into_iter()
        .map(|request| (request.method, request.status, request.fault))
        .collect()
}

/// The 409 with a code of its own that the tests below queue.
fn conflict() -> Fault {
    Fault::ApiError {
        status: 409,
        code: "CONFLICT".into(),
    }
}

/// Each fault queue gives its fault to the request its rustdoc names, whatever the order the
/// queues were filled in (review 87): the token endpoint's to the token request,
/// `inject_patch_fault`'s to the next PATCH (before `inject`'s), `inject`'s to the next
/// request of any method; the emulator's own rate limit answers 429 before a fault is taken,
/// and a queued fault comes before a random one.
#[tokio::test]
async fn each_fault_queue_gives_its_fault_to_the_request_its_rustdoc_names() {
    let patch = UserPatch::new().title("CTO");
    // Filled in the order opposite to the requests that take them.
    let emulator = Emulator::start().unwrap();
    let client = worker_client(&emulator, RetryPolicy::never());
    let (env, id) = (emulator.environment_id(), emulator.user_id());
    emulator.inject_patch_fault(conflict());
    emulator.inject(Fault::Status(404));
    emulator.inject_token_fault(Fault::Status(500));
    let error = client.update_user(env, id, &patch).await.unwrap_err();
    assert!(
        matches!(error, Error::Token { status: 500, .. }),
        "{error:?}"
    );
    assert_eq!(
        emulator.pending_faults(),
        2,
        "the users endpoints' faults wait"
    );
    // An empty patch sends a GET, which takes `inject`'s fault, and no PATCH.
    let error = client
        .update_user(env, id, &UserPatch::new())
        .await
        .unwrap_err();
    assert_eq!(error.status(), Some(404));
    emulator.inject(Fault::Status(404));
    let error = client.update_user(env, id, &patch).await.unwrap_err();
    assert_eq!(error.status(), Some(409));
    let error = client.get_user(env, id).await.unwrap_err();
    assert_eq!(error.status(), Some(404));
    client.update_user(env, id, &patch).await.unwrap();
    assert_eq!(
        answered(&emulator),
        [
            ("GET".to_owned(), Some(404), Some(Fault::Status(404))),
            ("PATCH".to_owned(), Some(409), Some(conflict())),
            ("GET".to_owned(), Some(404), Some(Fault::Status(404))),
            ("PATCH".to_owned(), Some(200), None),
        ]
    );

    // The rate limit's 429 comes first, and is no fault: the PATCH fault waits.
    let emulator = Emulator::builder().rate_limit(1).start().unwrap();
    let client = emulator_client::client_of(&emulator);
    let (env, id) = (emulator.environment_id(), emulator.user_id());
    client.get_user(env, id).await.unwrap();
    emulator.inject_patch_fault(conflict());
    let error = client.update_user(env, id, &patch).await.unwrap_err();
    assert_eq!(error.status(), Some(429));
    assert_eq!(emulator.pending_faults(), 1);
    assert_eq!(emulator.requests()[1].fault, None);

    // A queued fault before a random one: the GET draws one, the PATCH takes its own.
    let emulator = Emulator::builder()
        .random_faults(sparse_patch::pingone::emulator::RandomFaults::new(
            1,
            1.0,
            vec![Fault::Status(503)],
        ))
        .start()
        .unwrap();
    let client = emulator_client::client_of(&emulator);
    let (env, id) = (emulator.environment_id(), emulator.user_id());
    emulator.inject_patch_fault(conflict());
    let error = client.get_user(env, id).await.unwrap_err();
    assert_eq!(error.status(), Some(503));
    let error = client.update_user(env, id, &patch).await.unwrap_err();
    assert_eq!(error.status(), Some(409));
    assert_eq!(emulator.random_faults_given(), 1);
}

/// A PATCH fault goes to the next PATCH of a user whatever it holds, answered in the
/// emulator's place as `inject`'s faults are: one without a token, to an unknown user or
/// environment, with a body that is not JSON or of another type takes it (the test's
/// application then sees the fault, not the 401, 404, 400 or 415); a request of another
/// method (a HEAD, an OPTIONS, a DELETE, a POST to the list) and a PATCH of a path that is
/// no user never do (review 87). The rustdoc of `inject` and `inject_patch_fault` now says
/// which requests take a fault, and which do not.
#[tokio::test]
async fn a_patch_fault_goes_to_the_next_patch_whatever_it_holds_and_to_no_other_method() {
    let (emulator, raw, base) = emulator_and_raw_client();
    let user = format!("{base}/users/{}", emulator.user_id());
    let bearer = format!("Bearer {}", emulator.token());
    let json_patch = |url: &str| {
        raw.patch(url)
            .header("authorization", &bearer)
            .header("content-type", "application/json")
            .body("{}")
    };
    let unknown_environment = user.replace(
        emulator.environment_id(),
        "00000000-0000-4000-8000-000000000001",
    );
    let unknown_user = format!("{base}/users/00000000-0000-4000-8000-000000000002");
    let taking = [
        ("without a token", raw.patch(&user).body("{}")),
        (
            "to an unknown environment",
            json_patch(&unknown_environment),
        ),
        ("to an unknown user", json_patch(&unknown_user)),
        ("with a body that is not JSON", json_patch(&user).body("{")),
        (
            "with another Content-Type",
            json_patch(&user).header("content-type", "text/plain"),
        ),
    ];
    for (what, request) in taking {
        emulator.inject_patch_fault(conflict());
        let status = request.send().await.unwrap().status();
        assert_eq!(status, 409, "a PATCH {what}");
        assert_eq!(emulator.pending_faults(), 0, "a PATCH {what}");
    }
    emulator.inject_patch_fault(conflict());
    let leaving = [
        ("HEAD", raw.head(&user).header("authorization", &bearer)),
        (
            "OPTIONS",
            raw.request(reqwest::Method::OPTIONS, &user)
                .header("authorization", &bearer),
        ),
        ("DELETE", raw.delete(&user).header("authorization", &bearer)),
        (
            "POST to the list",
            raw.post(format!("{base}/users"))
                .header("authorization", &bearer),
        ),
        ("PATCH of no user", json_patch(&format!("{user}/password"))),
    ];
    for (what, request) in leaving {
        let status = request.send().await.unwrap().status();
        assert_ne!(status, 409, "{what}");
        assert_eq!(emulator.pending_faults(), 1, "{what}");
    }
    // `inject`'s fault, as its rustdoc says: taken by a HEAD and by another method on a
    // user, not by another method on the list.
    let teapot = Fault::Status(418);
    emulator.inject(teapot.clone());
    let list = raw
        .post(format!("{base}/users"))
        .header("authorization", &bearer);
    assert_eq!(list.send().await.unwrap().status(), 405);
    let head = raw.head(&user).header("authorization", &bearer);
    assert_eq!(head.send().await.unwrap().status(), 418);
    emulator.inject(teapot);
    let delete = raw.delete(&user).header("authorization", &bearer);
    assert_eq!(delete.send().await.unwrap().status(), 418);
    assert_eq!(emulator.pending_faults(), 1, "the PATCH fault still waits");
}

/// Two tasks that each look the user up and then update it, with one PATCH fault queued:
/// exactly one PATCH gets it, every time, and none is lost or given twice (review 87).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_patch_fault_goes_to_one_of_two_concurrent_updates() {
    let emulator = std::sync::Arc::new(Emulator::start().unwrap());
    let client = emulator_client::client_of(&emulator);
    for round in 0..100 {
        emulator.inject_patch_fault(conflict());
        let tasks: Vec<_> = ["Lead", "CTO"]
            .into_iter()
            .map(|title| {
                let (client, emulator) = (client.clone(), std::sync::Arc::clone(&emulator));
                tokio::spawn(async move {
                    let env = emulator.environment_id();
                    let user = client
                        .find_user_by_email(env, "dspanner@example.com")
                        .await
                        .unwrap()
                        .unwrap();
                    let id = user.id.as_deref().unwrap();
                    let patch = UserPatch::new().title(title);
                    client
                        .update_user(env, id, &patch)
                        .await
                        .map(|_| ())
                        .map_err(|error| error.status())
                })
            })
            .collect();
        let mut results = Vec::new();
        for task in tasks {
            results.push(task.await.unwrap());
        }
        results.sort();
        assert_eq!(results, [Ok(()), Err(Some(409))], "round {round}");
        assert_eq!(emulator.pending_faults(), 0, "round {round}");
    }
    let faults = emulator
        .requests()
        .iter()
        .filter(|request| request.fault.is_some())
        .count();
    assert_eq!(faults, 100);
}

/// A PATCH fault that the client retries is taken once, and the retry goes through: a 503,
/// a connection cut after the change was made (the merge patch, and SCIM operations that
/// may be sent twice, are sent again), and a `Fault::Slow` longer than the client's timeout.
/// The slow PATCH's log entry holds the fault it took, though its client left before the
/// answer: it held none, so that the fault taken was nowhere in the log (review 87); and the
/// PATCH it delayed is never applied after the retry.
#[tokio::test]
async fn a_patch_fault_that_the_client_retries_is_taken_once() {
    let emulator = Emulator::start().unwrap();
    let client = emulator_bearer_builder(&emulator)
        .retry_policy(fast())
        .timeout(Duration::from_millis(300))
        .build()
        .unwrap();
    let (env, id) = (emulator.environment_id(), emulator.user_id());
    emulator.inject_patch_fault(Fault::Status(503));
    client
        .update_user(env, id, &UserPatch::new().title("A"))
        .await
        .unwrap();
    emulator.inject_patch_fault(Fault::ConnectionCut);
    client
        .update_user(env, id, &UserPatch::new().title("B"))
        .await
        .unwrap();
    let user = client.get_user(env, id).await.unwrap();
    emulator.inject_patch_fault(Fault::ConnectionCut);
    client
        .update_user_scim(env, id, &user, &UserPatch::new().title("C"))
        .await
        .unwrap();
    let slow = Fault::Slow(Duration::from_secs(2));
    emulator.inject_patch_fault(slow.clone());
    client
        .update_user(env, id, &UserPatch::new().title("D"))
        .await
        .unwrap();
    client
        .update_user(env, id, &UserPatch::new().title("E"))
        .await
        .unwrap();
    assert_eq!(emulator.pending_faults(), 0);
    let patch = |status, fault| ("PATCH".to_owned(), status, fault);
    assert_eq!(
        answered(&emulator),
        [
            patch(Some(503), Some(Fault::Status(503))),
            patch(Some(200), None),
            patch(None, Some(Fault::ConnectionCut)),
            patch(Some(200), None),
            ("GET".to_owned(), Some(200), None),
            patch(None, Some(Fault::ConnectionCut)),
            patch(Some(200), None),
            patch(None, Some(slow)),
            patch(Some(200), None),
            patch(Some(200), None),
        ]
    );
    let titles: Vec<_> = emulator
        .patches_to(id)
        .iter()
        .map(|body| body["title"].as_str().unwrap_or("SCIM").to_owned())
        .collect();
    assert_eq!(titles, ["A", "A", "B", "B", "SCIM", "SCIM", "D", "D", "E"]);
    // Past the slow answer's wait: the PATCH it delayed was dropped with its connection.
    tokio::time::sleep(Duration::from_millis(2200)).await;
    assert_eq!(emulator.user(id).unwrap()["title"], "E");
    assert_eq!(emulator.requests().len(), 10);
}

/// `call`'s output, or a panic when it takes more than 10 s: a call that hangs.
async fn within_10_s<T>(call: impl std::future::Future<Output = T>) -> T {
    tokio::time::timeout(Duration::from_secs(10), call)
        .await
        .expect("no answer within 10 s")
}

/// Every status that `Fault::Status` can give, 100 to 599, reaches the application through
/// `update_user` (a PATCH fault), `list_users` and `find_user_by_email` as a typed error that
/// names it (a 1xx, which is no final answer, as the 500 the emulator answers instead), and
/// never hangs: a 204 or 205 without a body, a 304 and any 3xx without a `Location`, a 2xx
/// with a PingOne error body. A list page of a 2xx other than 200 that was not a users page
/// was `Error::Decode` with status 200, and a PingOne error body answered with a 2xx read as
/// "not a users page" rather than as the error it holds, as `update_user` reads it
/// (review 87).
#[tokio::test]
async fn every_injected_status_reaches_the_application_as_an_error_naming_it() {
    use futures_util::TryStreamExt as _;
    use sparse_patch::pingone::UserQuery;

    let emulator = Emulator::start().unwrap();
    let client = emulator_client::client_of(&emulator);
    let (env, id) = (emulator.environment_id(), emulator.user_id());
    for status in 100..=599_u16 {
        let answered = if status < 200 { 500 } else { status };
        let check = |call: &str, result: Result<(), Error>| {
            let error = result.expect_err(&format!("{call} of {status}"));
            assert_eq!(
                error.status(),
                Some(answered),
                "{call} of {status}: {error}"
            );
            assert!(
                error.to_string().contains(&format!("HTTP {answered}")),
                "{call} of {status}: {error}"
            );
            let typed = match answered {
                200..=399 => matches!(error, Error::Decode { .. }),
                429 => matches!(error, Error::RateLimited { .. }),
                _ => matches!(error, Error::Api { .. }),
            };
            assert!(typed, "{call} of {status}: {error:?}");
            if (200..300).contains(&answered) && ![204, 205].contains(&answered) {
                assert!(
                    error.to_string().contains("PingOne error body"),
                    "{call} of {status}: {error}"
                );
            }
        };
        emulator.inject_patch_fault(Fault::Status(status));
        let patch = UserPatch::new().title("CTO");
        let updated =
            within_10_s(async { client.update_user(env, id, &patch).await.map(|_| ()) }).await;
        check("update_user", updated);
        emulator.inject(Fault::Status(status));
        let listed = within_10_s(async {
            client
                .list_users(env, &UserQuery::all())
                .try_collect::<Vec<_>>()
                .await
                .map(|_| ())
        })
        .await;
        check("list_users", listed);
        emulator.inject(Fault::Status(status));
        let found = within_10_s(async {
            client
                .find_user_by_email(env, "dspanner@example.com")
                .await
                .map(|_| ())
        })
        .await;
        check("find_user_by_email", found);
        assert_eq!(emulator.pending_faults(), 0, "{status}");
    }
}

/// A HEAD of a user that takes `Fault::ConnectionCut` or `Fault::TruncatedBody`, faults of a
/// body, which a HEAD's answer has none of: hyper wrote the head all the same, so the client
/// read a 200 that the log said no status reached (`status: None`), and a truncated HEAD
/// announced half the `Content-Length` of the GET's (RFC 9110 §9.3.2: the same header fields
/// as a GET's). Both faults now leave a HEAD's answer as it is, as they leave an answer that
/// is not 200; the fault is still taken and in the log (review 87).
#[tokio::test]
async fn a_body_fault_leaves_a_heads_answer_as_it_is() {
    let (emulator, raw, base) = emulator_and_raw_client();
    let bearer = format!("Bearer {}", emulator.token());
    for url in [
        format!("{base}/users/{}", emulator.user_id()),
        format!("{base}/users"),
    ] {
        let head = || raw.head(&url).header("authorization", &bearer).send();
        let length = |answer: &reqwest::Response| answer.headers()["content-length"].clone();
        let plain = length(&head().await.unwrap());
        for fault in [Fault::ConnectionCut, Fault::TruncatedBody] {
            emulator.inject(fault.clone());
            let answer = head().await.unwrap();
            assert_eq!(answer.status(), 200, "{url} {fault:?}");
            assert_eq!(length(&answer), plain, "{url} {fault:?}");
            let logged = emulator.requests().pop().unwrap();
            assert_eq!(
                (logged.status, logged.fault),
                (Some(200), Some(fault)),
                "{url}"
            );
        }
    }
}
