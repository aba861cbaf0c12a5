//! Shared by the examples: a client for the embedded emulator, or for real PingOne when
//! `PINGONE_*` environment variables are set.

// Each example uses a part of this module.
#![allow(dead_code)]

#[macro_use]
pub mod output;

use std::error::Error;
use std::time::Duration;

use sparse_patch::pingone::emulator::Emulator;
use sparse_patch::pingone::{Client, ClientBuilder, Region, RetryPolicy, TokenSource};

/// Where the example sends its requests.
pub struct Target {
    /// The client.
    pub client: Client,
    /// The environment of the user.
    pub environment_id: String,
    /// The user to change.
    pub user_id: String,
    /// The emulator, when running offline: held so that it lives as long as the example.
    #[allow(dead_code)]
    pub emulator: Option<Emulator>,
}

fn var(name: &str) -> Option<String> {
    std::env::var(name)
        .ok()
        .filter(|value| !value.trim().is_empty())
}

fn required(name: &str) -> Result<String, Box<dyn Error>> {
    var(name).ok_or_else(|| format!("{name} is not set (see the README's \"Running against real PingOne\": PINGONE_API_PATH or PINGONE_REGION, PINGONE_ACCESS_TOKEN or both PINGONE_CLIENT_ID and PINGONE_CLIENT_SECRET, and PINGONE_ENV_ID; PINGONE_USER_ID too for the examples that change one user)").into())
}

/// Whether any `PINGONE_*` variable other than `PINGONE_USER_IMAGE` is set: then the examples
/// go to real PingOne.
pub fn targets_pingone() -> bool {
    // `PINGONE_USER_IMAGE` only changes what the example sends, not where it goes.
    std::env::vars().any(|(name, _)| name.starts_with("PINGONE_") && name != "PINGONE_USER_IMAGE")
}

/// The emulator when no `PINGONE_*` variable is set (other than `PINGONE_USER_IMAGE`),
/// otherwise real PingOne.
pub fn connect() -> Result<Target, Box<dyn Error>> {
    let Some((builder, environment_id)) = pingone()? else {
        return offline(Emulator::start()?);
    };
    Ok(Target {
        client: builder.build()?,
        environment_id,
        user_id: required("PINGONE_USER_ID")?,
        emulator: None,
    })
}

/// A client builder for real PingOne and its environment ID, read from the `PINGONE_*`
/// variables; `None` when none is set ([`targets_pingone`]).
pub fn pingone() -> Result<Option<(ClientBuilder, String)>, Box<dyn Error>> {
    if !targets_pingone() {
        return Ok(None);
    }
    let mut builder = Client::builder()
        .timeout(Duration::from_secs(30))
        .retry_policy(RetryPolicy::default());
    if let Some(api) = var("PINGONE_API_PATH") {
        builder = builder.api_base_url(api);
    }
    if let Some(region) = var("PINGONE_REGION") {
        builder = builder.region(region.parse::<Region>()?);
    }
    if let Some(auth) = var("PINGONE_AUTH_PATH") {
        builder = builder.auth_base_url(auth);
    }
    let environment_id = required("PINGONE_ENV_ID")?;
    let token = match var("PINGONE_ACCESS_TOKEN") {
        Some(token) => TokenSource::bearer(token),
        // The client's own error names its builder's methods, which the examples call for
        // the user: name the variables instead.
        None if var("PINGONE_CLIENT_ID").is_some()
            && var("PINGONE_REGION").is_none()
            && var("PINGONE_AUTH_PATH").is_none() =>
        {
            return Err(
                "a worker application's PINGONE_CLIENT_ID and PINGONE_CLIENT_SECRET need \
                 the auth host their token comes from: set PINGONE_REGION, or PINGONE_AUTH_PATH \
                 (such as https://auth.pingone.eu) beside PINGONE_API_PATH; or give a bearer \
                 token in PINGONE_ACCESS_TOKEN"
                    .into(),
            );
        }
        None => TokenSource::client_credentials(
            var("PINGONE_CLIENT_ENV_ID").unwrap_or_else(|| environment_id.clone()),
            var("PINGONE_CLIENT_ID").ok_or(
                "neither PINGONE_ACCESS_TOKEN nor PINGONE_CLIENT_ID is set: give a bearer token, \
                 or a worker application's PINGONE_CLIENT_ID and PINGONE_CLIENT_SECRET",
            )?,
            required("PINGONE_CLIENT_SECRET")?,
        ),
    };
    if var("PINGONE_API_PATH").is_none() && var("PINGONE_REGION").is_none() {
        return Err("set PINGONE_API_PATH or PINGONE_REGION".into());
    }
    Ok(Some((builder.token(token), environment_id)))
}

/// A client for a running emulator, aimed at its reference user.
pub fn offline(emulator: Emulator) -> Result<Target, Box<dyn Error>> {
    let client = Client::builder()
        .api_base_url(emulator.api_base_url())
        .token(TokenSource::bearer(emulator.token()))
        .build()?;
    eprintln!(
        "No PINGONE_* variables: using the embedded emulator at {}",
        emulator.api_base_url()
    );
    Ok(Target {
        client,
        environment_id: emulator.environment_id().to_owned(),
        user_id: emulator.user_id().to_owned(),
        emulator: Some(emulator),
    })
}
