//! The Rust API guidelines that users hit (C-SEND-SYNC, C-GOOD-ERR, C-DEBUG,
//! C-COMMON-TRAITS): checked at compile time where they can be, so a change that loses one
//! fails to build.

#![cfg(all(feature = "client", feature = "emulator"))]

use std::error::Error as StdError;
use std::fmt::Debug;

use sparse_patch::pingone::emulator::{
    Emulator, EmulatorBuilder, Fault, RandomFaults, RecordedRequest,
};
use sparse_patch::pingone::sync::{
    DesiredUser, LineError, MatchKey, Outcome, OutcomeError, ReportError, Rerun, Status, Summary,
    SyncJob,
};
use sparse_patch::pingone::{
    ApiError, Client, ClientAuthMethod, ClientBuilder, Correlation, Error, ErrorDetail,
    FilterError, Operator, Region, RetryEvent, RetryPolicy, TokenSource, UnknownRegion, User,
    UserAttribute, UserFilter, UserPatch, UserQuery,
};
use sparse_patch::{
    ApplyError, ApplyErrorKind, ComposeConflict, ComposeError, DialectError, Field,
    JsonPatchOperation, KeyedDiff, ScimOp, ScimOperation, ScimPatch,
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
    );
}

#[test]
fn public_errors_are_good_errors() {
    good_error::<Error>();
    good_error::<UnknownRegion>();
    good_error::<FilterError>();
    good_error::<LineError>();
    good_error::<ReportError>();
    good_error::<OutcomeError>();
    good_error::<ApplyError>();
    good_error::<ComposeError<UserPatch>>();
    good_error::<DialectError>();
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
}

#[test]
fn futures_spawn() {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let emulator = Emulator::start().unwrap();
        let client = Client::builder()
            .api_base_url(emulator.api_base_url())
            .token(TokenSource::bearer(emulator.token()))
            .build()
            .unwrap();
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
    let shown = [
        format!("{builder:?}"),
        format!("{builder:#?}"),
        format!("{client:?}"),
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
