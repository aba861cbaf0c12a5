//! The Rust API guidelines that users hit (C-SEND-SYNC, C-GOOD-ERR, C-DEBUG,
//! C-COMMON-TRAITS): checked at compile time where they can be, so a change that loses one
//! fails to build.

#![cfg(all(feature = "client", feature = "emulator"))]

#[path = "support/emulator_client.rs"]
mod emulator_client;
use emulator_client::emulator_bearer_builder;

use std::error::Error as StdError;
use std::fmt::Debug;
use std::panic::{RefUnwindSafe, UnwindSafe};
use std::sync::Arc;

use futures_util::{Stream, StreamExt};

use sparse_patch::pingone::emulator::{
    Emulator, EmulatorBuilder, Fault, RandomFaults, RecordedRequest,
};
use sparse_patch::pingone::sync::{
    DesiredUser, FeedLines, FeedLinesAsync, LineError, MatchKey, Outcome, OutcomeError,
    PlannedChanges, ReportError, Rerun, Status, Summary, SyncJob,
};
use sparse_patch::pingone::{
    Account, Address, AddressPatch, ApiError, Client, ClientAuthMethod, ClientBuilder, Correlation,
    Error, ErrorDetail, FilterError, IdentityProvider, LastSignOn, Lifecycle, Link, Name,
    NamePatch, Operator, Photo, PhotoPatch, PlainHttpRefusal, Region, ResourceRef, RetryEvent,
    RetryPolicy, TokenSource, UnknownAuthMethod, UnknownRegion, User, UserAttribute, UserFilter,
    UserPatch, UserQuery,
};
use sparse_patch::{
    ApplyError, ApplyErrorKind, ComposeConflict, ComposeError, DialectError, ElementChange, Field,
    JsonPatchError, JsonPatchOperation, JsonPatchPlan, KeyedArray, KeyedDiff, PointerFault,
    ScimFault, ScimOp, ScimOperation, ScimPatch, ScimPatchError,
};

fn assert_send<T: Send>(_: &T) {}
fn assert_static<T: 'static>(_: &T) {}
fn send_sync_static<T: Send + Sync + 'static>() {}
fn debug<T: Debug>() {}
fn good_error<T: StdError + Send + Sync + 'static>() {}

#[test]
fn public_types_are_send_sync_static_and_debug() {
    macro_rules! check {
        ($($t:ty),* $(,)?) => {$(
            send_sync_static::<$t>();
            debug::<$t>();
        )*};
    }
    check!(
        Client,
        ClientBuilder,
        Error,
        TokenSource,
        ClientAuthMethod,
        Correlation,
        Region,
        UnknownRegion,
        UnknownAuthMethod,
        PlainHttpRefusal,
        RetryPolicy,
        RetryEvent,
        UserQuery,
        UserFilter,
        UserAttribute,
        Operator,
        FilterError,
        ApiError,
        ErrorDetail,
        User,
        UserPatch,
        SyncJob,
        Outcome,
        OutcomeError,
        Status,
        Summary,
        Rerun,
        ReportError,
        LineError,
        MatchKey,
        DesiredUser,
        Emulator,
        EmulatorBuilder,
        Fault,
        RandomFaults,
        RecordedRequest,
        ApplyError,
        ApplyErrorKind,
        ComposeConflict,
        ComposeError<UserPatch>,
        DialectError,
        Field<String>,
        JsonPatchOperation,
        KeyedDiff,
        ScimOp,
        ScimOperation,
        ScimPatch,
        // The rest of the public types, which the list above left out.
        ScimPatchError,
        ScimFault,
        JsonPatchError,
        PointerFault,
        JsonPatchPlan<'static>,
        KeyedArray,
        ElementChange,
        PlannedChanges,
        FeedLines<std::io::BufReader<std::fs::File>>,
        FeedLinesAsync<tokio::io::BufReader<tokio::net::TcpStream>>,
        NamePatch,
        AddressPatch,
        PhotoPatch,
        Name,
        Address,
        Photo,
        Link,
        ResourceRef,
        Account,
        IdentityProvider,
        Lifecycle,
        LastSignOn,
    );
}

#[test]
fn public_errors_are_good_errors() {
    good_error::<Error>();
    good_error::<UnknownRegion>();
    good_error::<UnknownAuthMethod>();
    good_error::<FilterError>();
    good_error::<LineError>();
    good_error::<ReportError>();
    good_error::<OutcomeError>();
    good_error::<ApplyError>();
    good_error::<ComposeError<UserPatch>>();
    good_error::<ComposeConflict>();
    good_error::<DialectError>();
    good_error::<JsonPatchError>();
    good_error::<ScimPatchError>();
    // Usable with `?` into a boxed error, as anyhow-style code does.
    fn boxed() -> Result<(), Box<dyn StdError + Send + Sync>> {
        Err(Error::InvalidInput("x".into()))?
    }
    let _ = boxed;
}

/// Every future of the client can be `tokio::spawn`ed.
#[allow(dead_code, clippy::diverging_sub_expression, unreachable_code)]
fn client_futures_are_send(client: &Client, patch: &UserPatch, user: &User, scim: &ScimPatch) {
    let (env, id) = ("e", "u");
    assert_send(&client.update_user(env, id, patch));
    assert_send(&client.update_user_scim(env, id, user, patch));
    assert_send(&client.update_user_scim_patch::<User>(env, id, scim));
    assert_send(&client.get_user(env, id));
    assert_send(&client.get_user_as::<serde_json::Value>(env, id));
    assert_send(&client.find_user_by_username(env, id));
    assert_send(&client.find_user_by_email(env, id));
    let users = client.list_users(env, &UserQuery::all());
    assert_send(&users);
    assert_static(&users);
    let job = SyncJob::new(client, env);
    let outcomes = job.run(Vec::<std::io::Result<String>>::new());
    assert_send(&outcomes);
    assert_static(&outcomes);
    // The calls that read a model of the user's own, one instance each (the generic calls
    // are checked below), and what every future gives: `Send` too, so that a spawned task's
    // `JoinHandle` carries it back.
    type Value = serde_json::Value;
    assert_send(&client.get_user_as::<Value>(env, id));
    assert_send(&client.find_user_by_username_as::<Value>(env, id));
    assert_send(&client.find_user_by_email_as::<Value>(env, id));
    let values = client.list_users_as::<Value>(env, &UserQuery::all());
    assert_send(&values);
    assert_static(&values);
    let streamed = job.run_stream(futures_util::stream::iter(
        Vec::<std::io::Result<String>>::new(),
    ));
    assert_send(&streamed);
    assert_static(&streamed);
    fn output_is_send<F: Future<Output: Send>>(_: &F) {}
    output_is_send(&client.get_user(env, id));
    output_is_send(&client.update_user(env, id, patch));
    output_is_send(&client.find_user_by_email(env, id));
    output_is_send(&client.update_user_scim_patch::<User>(env, id, scim));
}

/// What a user builds once and hands to each client, task or thread is `Clone`: a policy, a
/// token source, a builder, a job; an observed retry event can be kept.
#[test]
fn shared_settings_are_clone() {
    fn clone<T: Clone + Send + Sync + 'static>() {}
    clone::<Client>();
    clone::<ClientBuilder>();
    clone::<RetryPolicy>();
    clone::<RetryEvent>();
    clone::<TokenSource>();
    clone::<Correlation>();
    clone::<SyncJob>();
    // A client is a handle: its clone shares the connections, the token cache and the
    // client-wide hold rather than copying them (two `Arc`s and a call's window).
    assert!(std::mem::size_of::<Client>() <= 32);
}

/// A feed read line by line can be moved into a spawned task, as the sync job's own stream is.
#[allow(dead_code)]
fn feed_readers_are_send(file: std::fs::File, socket: tokio::net::TcpStream) {
    fn spawned<S: Stream + Send + 'static>(_: S) {}
    fn sent<I: Iterator + Send + 'static>(_: I) {}
    sent(sparse_patch::pingone::sync::feed_lines(
        std::io::BufReader::new(file),
    ));
    spawned(sparse_patch::pingone::sync::feed_lines_async(
        tokio::io::BufReader::new(socket),
    ));
}

#[test]
fn futures_spawn() {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let emulator = Emulator::start().unwrap();
        let client = emulator_bearer_builder(&emulator).build().unwrap();
        let env = emulator.environment_id().to_owned();
        let id = emulator.user_id().to_owned();
        let task = tokio::spawn({
            let client = client.clone();
            async move {
                let user = client.get_user(&env, &id).await?;
                let patch = UserPatch::default();
                let again = client.update_user(&env, &id, &patch).await?;
                Ok::<_, Error>((user, again))
            }
        });
        let (user, again) = task.await.unwrap().unwrap();
        assert_eq!(user, again);
    });
}

/// The futures and streams of the generic calls are `Send` whenever the user's types are
/// (`M: Send` for a model read, `P: Sync` for a patch held by reference), so that generic code
/// of a user's can spawn them; the concrete calls above are one instance each.
#[allow(dead_code)]
fn generic_futures_are_send<M, P>(client: Client, job: SyncJob, patch: Arc<P>, base: Arc<P::Model>)
where
    M: serde::de::DeserializeOwned + Send + 'static,
    P: sparse_patch::Patch + serde::Serialize + Send + Sync + 'static,
    P::Model: serde::Serialize + serde::de::DeserializeOwned + Send + Sync + 'static,
{
    fn spawned<F: Future<Output: Send> + Send + 'static>(_: F) {}
    async fn drained<S: Stream + Send + 'static>(stream: S) {
        let mut stream = std::pin::pin!(stream);
        while stream.next().await.is_some() {}
    }
    let calls = client.clone();
    spawned(async move {
        let (env, id) = ("e", "u");
        let _ = calls.get_user_as::<M>(env, id).await;
        let _ = calls.find_user_by_username_as::<M>(env, id).await;
        let _ = calls.find_user_by_email_as::<M>(env, id).await;
        let _ = calls
            .update_user_scim_patch::<M>(env, id, &ScimPatch::new(Vec::new()))
            .await;
        let _ = calls.update_user(env, id, &*patch).await;
        let _ = calls.update_user_scim(env, id, &*base, &*patch).await;
    });
    spawned(drained(client.list_users_as::<M>("e", &UserQuery::all())));
    spawned(drained(
        job.run_stream(futures_util::stream::iter(
            Vec::<std::io::Result<String>>::new(),
        )),
    ));
}

/// On tokio's multi-thread runtime, where a spawned task moves between threads: a call, a
/// listing and a sync job, each run to its end inside `tokio::spawn`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn client_listing_and_sync_job_run_in_spawned_tasks() {
    let emulator = Emulator::start().unwrap();
    let client = emulator_bearer_builder(&emulator).build().unwrap();
    let env = emulator.environment_id().to_owned();
    let id = emulator.user_id().to_owned();
    let user = tokio::spawn({
        let (client, env, id) = (client.clone(), env.clone(), id.clone());
        async move { client.get_user(&env, &id).await }
    });
    let listed = tokio::spawn({
        let (client, env) = (client.clone(), env.clone());
        async move {
            let users = client.list_users(&env, &UserQuery::all());
            futures_util::TryStreamExt::try_collect::<Vec<User>>(users).await
        }
    });
    let user = user.await.unwrap().unwrap();
    assert!(listed.await.unwrap().unwrap().contains(&user));
    let line = format!(r#"{{"id": "{id}", "title": "Dr"}}"#);
    let job = SyncJob::new(&client, env);
    let outcomes =
        tokio::spawn(async move { job.run(vec![Ok(line)]).collect::<Vec<Outcome>>().await });
    let outcomes = outcomes.await.unwrap();
    assert_eq!(outcomes.len(), 1);
    assert!(!outcomes[0].status.is_failure(), "{outcomes:?}");
}

/// The value types whose parts all have a total equality have it too (C-COMMON-TRAITS): a
/// user's struct that holds one can derive `Eq`. They had `PartialEq` only, though every
/// part (`serde_json::Value` among them) is `Eq`.
#[test]
fn value_types_are_eq() {
    fn eq<T: Eq>() {}
    eq::<JsonPatchOperation>();
    eq::<ScimOperation>();
    eq::<ScimPatch>();
    eq::<KeyedDiff>();
    eq::<ElementChange>();
    eq::<User>();
    eq::<ApiError>();
    eq::<ErrorDetail>();
    eq::<Outcome>();
    eq::<PlainHttpRefusal>();
    // A SCIM fault holds strings, booleans and `&'static str`s only; the patches of `User`
    // (whose model is `Eq`) and a sync line's `DesiredUser` (which holds one) had
    // `PartialEq` only; `ComposeError` had neither `Clone` nor `PartialEq`, though both of
    // its patches have them (`assert_eq!` on `a.then(b)`).
    eq::<ScimFault>();
    eq::<UserPatch>();
    eq::<NamePatch>();
    eq::<AddressPatch>();
    eq::<PhotoPatch>();
    eq::<DesiredUser>();
    eq::<ComposeError<UserPatch>>();
    fn clone<T: Clone>() {}
    clone::<ComposeError<UserPatch>>();
    // `ApiError`'s equality leaves the answer's correlation ID out, and stays an equivalence.
    let mut seen = ApiError::new("id", "NOT_FOUND", "no such user");
    seen.correlation_id = Some("c1".into());
    let mut again = seen.clone();
    again.correlation_id = Some("c2".into());
    assert_eq!(seen, again);
}

/// The value types are `Unpin`, `UnwindSafe` and `RefUnwindSafe`; the client, the job and the
/// errors that hold an `io::Error`, a `serde_json::Error` or a callback are not unwind-safe,
/// as `std::io::Error` is not.
#[test]
fn value_types_are_unpin_and_unwind_safe() {
    fn value<T: Unpin + UnwindSafe + RefUnwindSafe>() {}
    macro_rules! check {
        ($($t:ty),* $(,)?) => {$( value::<$t>(); )*};
    }
    check!(
        Correlation,
        Region,
        UnknownRegion,
        UnknownAuthMethod,
        PlainHttpRefusal,
        RetryEvent,
        UserQuery,
        UserFilter,
        UserAttribute,
        Operator,
        FilterError,
        ApiError,
        ErrorDetail,
        User,
        UserPatch,
        TokenSource,
        ClientAuthMethod,
        Outcome,
        OutcomeError,
        Status,
        Summary,
        Rerun,
        LineError,
        MatchKey,
        DesiredUser,
        Fault,
        RandomFaults,
        RecordedRequest,
        EmulatorBuilder,
        ApplyError,
        ApplyErrorKind,
        ComposeConflict,
        ComposeError<UserPatch>,
        Field<String>,
        JsonPatchOperation,
        KeyedDiff,
        ElementChange,
        ScimOp,
        ScimOperation,
        ScimPatch,
        ScimFault,
        PointerFault,
        JsonPatchPlan<'static>,
        KeyedArray,
        PlannedChanges,
        NamePatch,
        AddressPatch,
        PhotoPatch,
        Name,
        Address,
        Photo,
        Link,
        ResourceRef,
        Account,
        IdentityProvider,
        Lifecycle,
        LastSignOn,
    );
    fn unpin<T: Unpin>() {}
    unpin::<Client>();
    unpin::<ClientBuilder>();
    unpin::<SyncJob>();
    unpin::<Emulator>();
    unpin::<Error>();
    unpin::<DialectError>();
    unpin::<JsonPatchError>();
    unpin::<ScimPatchError>();
    unpin::<ReportError>();
    unpin::<FeedLines<std::io::BufReader<std::fs::File>>>();
    unpin::<FeedLinesAsync<tokio::io::BufReader<tokio::net::TcpStream>>>();
}

/// `Debug` of every type that holds a secret (a token, a client secret, a proxy's password)
/// shows none of them.
#[test]
fn debug_shows_no_secret() {
    let builder = Client::builder()
        .region(Region::Europe)
        .token(
            TokenSource::client_credentials(
                "abfba8f6-49eb-49f5-a5d9-80ad5c98f9f6",
                "worker",
                "client-secret-1",
            )
            .auth_method(ClientAuthMethod::Post),
        )
        .proxy("http://user:proxy-password-2@proxy.example:3128");
    let client = builder.clone().build().unwrap();
    let bearer = TokenSource::bearer("bearer-token-3");
    let emulator_builder = Emulator::builder()
        .token("emulator-token-4")
        .worker("worker", "worker-secret-5");
    let emulator = emulator_builder.clone().start().unwrap();
    let job = SyncJob::new(&client, "abfba8f6-49eb-49f5-a5d9-80ad5c98f9f6");
    let shown = [
        format!("{builder:?}"),
        format!("{builder:#?}"),
        format!("{client:?}"),
        format!("{job:?}"),
        format!("{bearer:?}"),
        format!("{emulator_builder:?}"),
        format!("{emulator:?}"),
    ];
    for text in shown {
        for secret in [
            "client-secret-1",
            "proxy-password-2",
            "bearer-token-3",
            "emulator-token-4",
            "worker-secret-5",
        ] {
            assert!(!text.contains(secret), "{secret} in {text}");
        }
    }
}

/// The names of values (an operation, a region, a sync outcome's status) display as a `str`
/// does, width and alignment included (C-COMMON-TRAITS: `format!("{:<10}", status)` in a
/// table of outcomes). They wrote their text whole and ignored both.
#[test]
fn value_names_honour_width_and_alignment() {
    fn padded(shown: &dyn std::fmt::Display, text: &str) {
        assert_eq!(
            format!("{shown:>12}|{shown:<12}|{shown:^12}|"),
            format!("{text:>12}|{text:<12}|{text:^12}|")
        );
    }
    padded(&ScimOp::Replace, "replace");
    padded(&Region::Europe, &Region::Europe.to_string());
    padded(&Status::NotFound, &Status::NotFound.to_string());
}

/// The small value types that a user keys a map or a set by have `Hash` beside their `Eq`
/// (C-COMMON-TRAITS): a set of operations already sent, a cache of listings by query, a
/// table by client authentication method or keyed-array kind. `serde_json::Value` is `Hash`
/// (serde_json 1.0.118), so are the operations that hold one.
#[test]
fn value_types_are_hash() {
    use std::collections::HashSet;
    fn hash<T: std::hash::Hash + Eq>() {}
    hash::<KeyedArray>();
    hash::<ClientAuthMethod>();
    hash::<UserQuery>();
    hash::<JsonPatchOperation>();
    hash::<ScimOperation>();
    hash::<ScimPatch>();
    // Equal values hash alike: a set holds an operation once, whatever its member order.
    let sent: HashSet<ScimOperation> = [
        ScimOperation::replace("name", serde_json::json!({"given": "Ada", "family": "L"})),
        ScimOperation::replace("name", serde_json::json!({"family": "L", "given": "Ada"})),
        ScimOperation::remove("title"),
    ]
    .into_iter()
    .collect();
    assert_eq!(sent.len(), 2);
    let queries: HashSet<UserQuery> = [UserQuery::all(), UserQuery::default()].into();
    assert_eq!(queries.len(), 1);
}

/// A SCIM message is built as a `Vec` is (C-CONV, C-ITER): `Default` is the message with no
/// operation, which `ScimPatch::new(Vec::new())` writes, and operations collect into one.
#[test]
fn scim_patches_are_built_from_operations() {
    assert_eq!(ScimPatch::default(), ScimPatch::new(Vec::new()));
    assert!(ScimPatch::default().is_empty());
    let operations = vec![
        ScimOperation::replace("title", "Dr".into()),
        ScimOperation::remove("nickname"),
    ];
    let expected = ScimPatch::new(operations.clone());
    assert_eq!(ScimPatch::from(operations.clone()), expected);
    assert_eq!(operations.into_iter().collect::<ScimPatch>(), expected);
}

/// A region is stored in a configuration file as the code that `Display` writes and read
/// back as `FromStr` reads it (C-SERDE): every spelling that `parse` takes, and its error.
#[test]
fn regions_serialize_as_their_code() {
    for &region in Region::ALL {
        let text = serde_json::to_string(&region).unwrap();
        assert_eq!(text, format!("\"{}\"", region.code()));
        assert_eq!(serde_json::from_str::<Region>(&text).unwrap(), region);
    }
    #[derive(serde::Deserialize)]
    struct Settings {
        region: Region,
    }
    let read: Settings = serde_json::from_str(r#"{"region": "com.au"}"#).unwrap();
    assert_eq!(read.region, Region::Australia);
    let error = serde_json::from_str::<Region>(r#"" Mars ""#).unwrap_err();
    assert_eq!(
        error.to_string(),
        format!(
            "{} at line 1 column 8",
            "Mars".parse::<Region>().unwrap_err()
        )
    );
    assert!(serde_json::from_str::<Region>("1").is_err());
}

/// A run's outcomes are counted as a collection is built (C-ITER): `collect` and `extend`
/// take outcomes or references to them, so that `job.run(lines).collect::<Summary>()` counts
/// a stream without a loop of `Summary::add`.
#[test]
fn outcomes_collect_into_a_summary() {
    let outcomes = vec![
        Outcome::new(1, None, Status::Changed),
        Outcome::new(2, None, Status::NotFound),
        Outcome::new(3, None, Status::Changed),
    ];
    let mut added = Summary::default();
    outcomes.iter().for_each(|outcome| added.add(outcome));
    assert_eq!(outcomes.iter().collect::<Summary>(), added);
    assert_eq!(outcomes.clone().into_iter().collect::<Summary>(), added);
    let mut extended = Summary::default();
    extended.extend(&outcomes[..1]);
    extended.extend(outcomes[1..].to_vec());
    assert_eq!(extended, added);
    assert_eq!(added.to_string(), "3 lines: 2 changed, 1 notFound");
    // A stream collects into one too (`StreamExt::collect` needs `Default + Extend`).
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    let counted = runtime.block_on(futures_util::stream::iter(outcomes).collect::<Summary>());
    assert_eq!(counted, added);
}
