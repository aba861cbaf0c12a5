//! Shared by the examples: a client for the embedded emulator, or for real PingOne when
//! `PINGONE_*` environment variables are set.

// Each example uses a part of this module.
#![allow(dead_code)]

#[macro_use]
pub mod output;

use std::error::Error;
use std::time::Duration;

use sparse_patch::pingone::emulator::Emulator;
use sparse_patch::pingone::{
    Client, ClientAuthMethod, ClientBuilder, Error as PingOneError, Region, RetryPolicy,
    TokenSource, is_pingone_id,
};

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

/// The variable that lets `PINGONE_API_PATH` and `PINGONE_AUTH_PATH` be plain `http://` URLs
/// to another machine (`1` or `true`): [`ClientBuilder::allow_plain_http`].
const ALLOW_PLAIN_HTTP: &str = "PINGONE_ALLOW_PLAIN_HTTP";

/// Whether any `PINGONE_*` variable other than `PINGONE_USER_IMAGE` and
/// `PINGONE_ALLOW_PLAIN_HTTP` is set: then the examples go to real PingOne.
pub fn targets_pingone() -> bool {
    // `PINGONE_USER_IMAGE` only changes what the example sends, and `PINGONE_ALLOW_PLAIN_HTTP`
    // how, not where it goes.
    std::env::vars().any(|(name, _)| {
        name.starts_with("PINGONE_") && name != "PINGONE_USER_IMAGE" && name != ALLOW_PLAIN_HTTP
    })
}

/// The emulator when no `PINGONE_*` variable is set (other than `PINGONE_USER_IMAGE` and
/// `PINGONE_ALLOW_PLAIN_HTTP`), otherwise real PingOne.
pub fn connect() -> Result<Target, Box<dyn Error>> {
    let Some((builder, environment_id, user_id)) = settings(true)? else {
        return offline(Emulator::start()?);
    };
    Ok(Target {
        client: build(builder)?,
        environment_id,
        user_id: user_id.unwrap_or_default(),
        emulator: None,
    })
}

/// A client builder for real PingOne and its environment ID, read from the `PINGONE_*`
/// variables; `None` when none is set ([`targets_pingone`]). Every variable missing, wrong or
/// at odds with another is said in one error, not one per run.
pub fn pingone() -> Result<Option<(ClientBuilder, String)>, Box<dyn Error>> {
    Ok(settings(false)?.map(|(builder, environment_id, _)| (builder, environment_id)))
}

/// `builder` built, for a builder of [`pingone`]: a plain `http` URL to another machine is
/// refused saying to set `PINGONE_ALLOW_PLAIN_HTTP=1`, not to call `allow_plain_http(true)`,
/// a method that the examples call for the user
/// ([`ClientBuilder::plain_http_refusal`] tells that refusal from the others `build` gives).
pub fn build(builder: ClientBuilder) -> Result<Client, Box<dyn Error>> {
    if let Some(refusal) = builder.plain_http_refusal() {
        let no_proxy = if refusal.through_environment_proxy() {
            ", name its host in NO_PROXY"
        } else {
            ""
        };
        return Err(PingOneError::Config(format!(
            "{refusal}; write https://{no_proxy}, or, for a server of your own on a network you \
             trust (such as the emulator in a container), set {ALLOW_PLAIN_HTTP}=1"
        ))
        .into());
    }
    Ok(builder.build()?)
}

/// The variable that names how the worker application authenticates to the token endpoint,
/// its `tokenEndpointAuthMethod`: `basic` (the default) or `post`.
const CLIENT_AUTH_METHOD: &str = "PINGONE_CLIENT_AUTH_METHOD";

/// `PINGONE_CLIENT_AUTH_METHOD`'s value read: `basic` or `post` in any case, or PingOne's
/// names of them, `CLIENT_SECRET_BASIC` and `CLIENT_SECRET_POST`. A worker application takes
/// the one method its `tokenEndpointAuthMethod` names and answers the other 401
/// `invalid_client` ("Unsupported authentication method"): the examples sent HTTP Basic
/// alone, so a worker set to `CLIENT_SECRET_POST` could not be used with them.
///
/// # Errors
///
/// The fault to report, for any other value.
fn auth_method(value: &str) -> Result<ClientAuthMethod, String> {
    value.parse().map_err(|_| {
        format!(
            "{CLIENT_AUTH_METHOD} {value:?} is neither basic (CLIENT_SECRET_BASIC) nor post \
             (CLIENT_SECRET_POST): the worker application's token endpoint authentication method"
        )
    })
}

/// What the `PINGONE_*` variables say: a client builder, the environment's ID, and the user's
/// ID when asked for.
type Settings = (ClientBuilder, String, Option<String>);

/// [`pingone`], with `PINGONE_USER_ID` too where `needs_user`: the user to change.
fn settings(needs_user: bool) -> Result<Option<Settings>, Box<dyn Error>> {
    if !targets_pingone() {
        return Ok(None);
    }
    let mut faults: Vec<String> = Vec::new();
    let mut builder = Client::builder()
        .timeout(Duration::from_secs(30))
        .retry_policy(RetryPolicy::default());
    if let Some(api) = var("PINGONE_API_PATH") {
        builder = builder.api_base_url(api);
    }
    if let Some(region) = var("PINGONE_REGION") {
        match region.parse::<Region>() {
            Ok(region) => builder = builder.region(region),
            Err(error) => faults.push(error.to_string()),
        }
    }
    if let Some(auth) = var("PINGONE_AUTH_PATH") {
        builder = builder.auth_base_url(auth);
    }
    match var(ALLOW_PLAIN_HTTP) {
        None => {}
        Some(value) => match value.trim().to_ascii_lowercase().as_str() {
            "1" | "true" => builder = builder.allow_plain_http(true),
            "0" | "false" => {}
            _ => faults.push(format!(
                "{ALLOW_PLAIN_HTTP} {value:?} is neither 1 (or true) nor 0 (or false)"
            )),
        },
    }
    if var("PINGONE_API_PATH").is_none() && var("PINGONE_REGION").is_none() {
        faults.push(
            "set PINGONE_REGION (NA, CA, EU, AU, SG or AP), or PINGONE_API_PATH (such as \
             https://api.pingone.eu/v1)"
                .to_owned(),
        );
    }
    let environment_id = var("PINGONE_ENV_ID");
    match &environment_id {
        None => faults.push("PINGONE_ENV_ID is not set: the environment's ID".to_owned()),
        Some(id) if !is_pingone_id(id) => faults.push(format!(
            "PINGONE_ENV_ID {id:?} is not a PingOne ID (a UUID such as \
             a38890a6-295a-4d58-9f6e-b72b05fba379)"
        )),
        Some(_) => {}
    }
    let user_id = var("PINGONE_USER_ID");
    match &user_id {
        None if needs_user => faults.push(
            "PINGONE_USER_ID is not set: the ID of the user that this example changes".to_owned(),
        ),
        Some(id) if needs_user && !is_pingone_id(id) => faults.push(format!(
            "PINGONE_USER_ID {id:?} is not a PingOne ID (a UUID such as \
             a38890a6-295a-4d58-9f6e-b72b05fba379)"
        )),
        _ => {}
    }
    let (client_id, client_secret) = (var("PINGONE_CLIENT_ID"), var("PINGONE_CLIENT_SECRET"));
    let token = match (var("PINGONE_ACCESS_TOKEN"), &client_id, &client_secret) {
        (Some(token), None, None) => Some(TokenSource::bearer(token)),
        (Some(_), _, _) => {
            faults.push(
                "both PINGONE_ACCESS_TOKEN and a worker application's PINGONE_CLIENT_ID or \
                 PINGONE_CLIENT_SECRET are set: keep one of the two"
                    .to_owned(),
            );
            None
        }
        (None, Some(client_id), Some(client_secret)) => {
            if var("PINGONE_REGION").is_none() && var("PINGONE_AUTH_PATH").is_none() {
                // The client's own error names its builder's methods, which the examples
                // call for the user: name the variables instead.
                faults.push(
                    "a worker application's PINGONE_CLIENT_ID and PINGONE_CLIENT_SECRET need \
                     the auth host their token comes from: set PINGONE_REGION, or \
                     PINGONE_AUTH_PATH (such as https://auth.pingone.eu) beside \
                     PINGONE_API_PATH; or give a bearer token in PINGONE_ACCESS_TOKEN"
                        .to_owned(),
                );
            }
            let worker = TokenSource::client_credentials(
                var("PINGONE_CLIENT_ENV_ID")
                    .or_else(|| environment_id.clone())
                    .unwrap_or_default(),
                client_id.clone(),
                client_secret.clone(),
            );
            match var(CLIENT_AUTH_METHOD).map(|method| auth_method(&method)) {
                None => Some(worker),
                Some(Ok(method)) => Some(worker.auth_method(method)),
                Some(Err(fault)) => {
                    faults.push(fault);
                    None
                }
            }
        }
        (None, Some(_), None) => {
            faults.push("PINGONE_CLIENT_SECRET is not set, beside PINGONE_CLIENT_ID".to_owned());
            None
        }
        (None, None, Some(_)) => {
            faults.push("PINGONE_CLIENT_ID is not set, beside PINGONE_CLIENT_SECRET".to_owned());
            None
        }
        (None, None, None) => {
            faults.push(
                "neither PINGONE_ACCESS_TOKEN nor PINGONE_CLIENT_ID is set: give a bearer \
                 token, or a worker application's PINGONE_CLIENT_ID and PINGONE_CLIENT_SECRET"
                    .to_owned(),
            );
            None
        }
    };
    match (token, environment_id, faults.is_empty()) {
        (Some(token), Some(environment_id), true) => {
            Ok(Some((builder.token(token), environment_id, user_id)))
        }
        _ => Err(format!(
            "the PINGONE_* variables do not say where to go (see the README's \"Running \
             against real PingOne\"; with none of them set, the examples use the embedded \
             emulator):\n  - {}",
            faults.join("\n  - ")
        )
        .into()),
    }
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
