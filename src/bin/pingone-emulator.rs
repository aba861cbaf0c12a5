//! `pingone-emulator`: the PingOne users emulator of `sparse_patch::pingone::emulator` as a
//! program, for tests written in other languages and for trying the API by hand.
//!
//! ```text
//! cargo run --features emulator --bin pingone-emulator -- [--port 8080] [--users users.jsonl]
//!     [--generate 1000] [--rate-limit 100] [--fault 503 --fault slow:2000 ...]
//!     [--patch-fault status:409:CONFLICT] [--token-fault 503]
//!     [--random-faults 0.1 --seed 7] [--token-lifetime 60] [--worker-auth-method post]
//!     [--forbid title ...]
//!     [--custom-attributes costCenter,leftOn]
//! ```
//!
//! It prints the values of the documentation's placeholders (`{{apiPath}}`, `{{envID}}`,
//! `{{userID}}`, `{{accessToken}}`), the worker application's credentials, and the "Update
//! User (PATCH)" page's own curl request filled in, then serves on 127.0.0.1 until
//! interrupted.

#![forbid(unsafe_code)]

use std::fs::File;
use std::io::{BufRead, BufReader, Write};
use std::process::ExitCode;
use std::time::Duration;

use serde_json::Value;
use sparse_patch::pingone::ClientAuthMethod;
use sparse_patch::pingone::emulator::{
    Emulator, EmulatorBuilder, Fault, RandomFaults, check_seeded_user, generated_user,
};

const USAGE: &str =
    "usage: pingone-emulator [--port N] [--users FILE.jsonl] [--no-reference-user] \
[--generate N] [--rate-limit N] [--fault KIND]... [--patch-fault KIND]... [--token-fault KIND]... \
[--random-faults P] [--seed N] [--token-lifetime SECONDS] [--worker-auth-method basic|post] \
[--forbid ATTRIBUTE]... [--custom-attributes NAME,NAME...]

  --port N             listen on 127.0.0.1:N (default: a free port)
  --users FILE.jsonl   seed one user per line (a JSON object whose \"id\" is a UUID,
                       with a \"username\" and an \"email\")
  --no-reference-user  leave out the reference user dspanner
  --generate N         seed N users user001, user002... (emails user001@example.com...,
                       IDs 00000000-0000-4000-8000-000000000001..., title Engineer,
                       department R&D): the users the sync_users demo and the sync
                       feed of docs/sync_job/ name
  --rate-limit N       answer 429 past N requests per second (a burst of N,
                       refilled at N per second); 0 turns the limit off (the default)
  --fault KIND         queue a fault for the next request to a users endpoint, whatever
                       its method (repeatable): 429, 503, 502, slow:MILLISECONDS, cut,
                       truncate, status:CODE (an HTTP status, 200 to 999), or
                       status:CODE:ERROR_CODE (status:409:CONFLICT) for a code of your own
  --patch-fault KIND   queue a fault (the same kinds) for the next PATCH of a user alone:
                       the GETs and lists before it are answered as usual
  --token-fault KIND   queue a fault (the same kinds) for the next token request
  --random-faults P    give each request a random fault (429, 503, slow:2000, cut) with
                       probability P, from --seed (default 1)
  --token-lifetime S   give each token the worker gets a life of S seconds, after which
                       the users endpoints refuse it with 401 (default: the worker gets
                       the printed access token, accepted for as long as this runs)
  --worker-auth-method basic|post
                       hold the worker to one token endpoint authentication method,
                       CLIENT_SECRET_BASIC or CLIENT_SECRET_POST (either name, any
                       case), as PingOne holds an application to its own: the other one
                       gets 401 invalid_client (default: either is taken)
  --forbid ATTRIBUTE   answer a PATCH that holds ATTRIBUTE (a name, or a dotted path such
                       as name.given) with 403, as PingOne answers a worker whose role may
                       not update it (repeatable)
  --custom-attributes NAME,NAME...
                       declare the environment's custom attributes: others are ignored,
                       as PingOne ignores attributes its schema lacks (default: any valid
                       name is accepted)";

/// The "Update User (PATCH)" page's curl request, its placeholders still in.
const CURL_TEMPLATE: &str = r#"curl --location --globoff --request PATCH '{{apiPath}}/environments/{{envID}}/users/{{userID}}' \
--header 'Content-Type: application/json' \
--header 'Authorization: Bearer {{accessToken}}' \
--data '{
    "photo": {
        "href": "{{userImage}}"
    }
}'"#;

/// The image URL printed in place of `{{userImage}}`.
const USER_IMAGE: &str = "https://uploads.pingone.com/environments/abfba8f6-49eb-49f5-a5d9-80ad5c98f9f6/images/new-photo.png";

fn main() -> ExitCode {
    let (builder, faults, user_id) = match configure(std::env::args().skip(1)) {
        Ok(configured) => configured,
        Err(Stop::Help) => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(Stop::Usage(message)) => {
            eprintln!("pingone-emulator: {message}\n\n{USAGE}");
            return ExitCode::from(2);
        }
        // The options were right: the usage would only hide the file's error.
        Err(Stop::Input(message)) => {
            eprintln!("pingone-emulator: {message}");
            return ExitCode::from(2);
        }
    };
    // Not a usage error (a port in use, say): the reason alone, which names the address.
    let emulator = match builder.start() {
        Ok(emulator) => emulator,
        Err(error) => {
            eprintln!("pingone-emulator: cannot start the emulator: {error}");
            return ExitCode::FAILURE;
        }
    };
    for fault in faults {
        match fault {
            QueuedFault::Users(fault) => emulator.inject(fault),
            QueuedFault::Patch(fault) => emulator.inject_patch_fault(fault),
            QueuedFault::Token(fault) => emulator.inject_token_fault(fault),
        }
    }
    let curl = CURL_TEMPLATE
        .replace("{{apiPath}}", emulator.api_base_url())
        .replace("{{envID}}", emulator.environment_id())
        .replace("{{userID}}", &user_id)
        .replace("{{accessToken}}", emulator.token())
        .replace("{{userImage}}", USER_IMAGE);
    // Formatted first and written at once: written piece by piece (stdout writes each line as
    // it ends), a reader that took the lines it needed and closed the pipe, as a test harness
    // does, made a later piece fail, and the program stopped serving.
    let text = format!(
        "PingOne emulator on {} until interrupted (Ctrl-C)\n\n\
         apiPath       {}\n\
         authPath      {}\n\
         envID         {}\n\
         userID        {}\n\
         accessToken   {}\n\
         clientID      {}\n\
         clientSecret  {}\n\n\
         The \"Update User (PATCH)\" page's request:\n\n{curl}\n\n",
        emulator.addr(),
        emulator.api_base_url(),
        emulator.auth_base_url(),
        emulator.environment_id(),
        user_id,
        emulator.token(),
        emulator.client_id(),
        emulator.client_secret(),
    );
    let mut out = std::io::stdout().lock();
    let printed = out.write_all(text.as_bytes()).and_then(|()| out.flush());
    drop(out);
    if printed.is_err() {
        return ExitCode::FAILURE;
    }
    // The emulator serves on its own thread; this one only keeps the process alive.
    loop {
        std::thread::park();
    }
}

/// Why [`configure`] gives no emulator to start.
enum Stop {
    /// `--help`.
    Help,
    /// An option at fault: said with the usage.
    Usage(String),
    /// The users given are at fault (a `--users` file's line, two users with one id): said
    /// alone, as the options were right.
    Input(String),
}

impl From<String> for Stop {
    fn from(message: String) -> Self {
        Stop::Usage(message)
    }
}

impl From<&str> for Stop {
    fn from(message: &str) -> Self {
        Stop::Usage(message.to_owned())
    }
}

/// A fault of the command line, and where it is queued.
enum QueuedFault {
    /// `--fault`: for the users endpoints ([`Emulator::inject`]).
    Users(Fault),
    /// `--patch-fault`: for the PATCH of a user alone ([`Emulator::inject_patch_fault`]).
    Patch(Fault),
    /// `--token-fault`: for the token endpoint ([`Emulator::inject_token_fault`]).
    Token(Fault),
}

/// The builder the flags describe, the faults to queue, and the user to print as `userID`
/// (the reference user, or the first one seeded without it).
fn configure(
    mut args: impl Iterator<Item = String>,
) -> Result<(EmulatorBuilder, Vec<QueuedFault>, String), Stop> {
    let mut builder = Emulator::builder();
    let mut reference_user = true;
    let mut users = Vec::new();
    let mut faults = Vec::new();
    let mut random = None;
    let mut seed = None;
    while let Some(flag) = args.next() {
        let mut value = || args.next().ok_or_else(|| format!("{flag} needs a value"));
        match flag.as_str() {
            "-h" | "--help" => return Err(Stop::Help),
            "--port" => builder = builder.port(parse(&value()?, "--port")?),
            "--rate-limit" => builder = builder.rate_limit(parse(&value()?, "--rate-limit")?),
            "--no-reference-user" => reference_user = false,
            "--users" => users.extend(read_users(&value()?).map_err(Stop::Input)?),
            "--generate" => {
                let count = generated_count(&value()?)?;
                // Room for every user, or the error of a count that memory cannot hold (not
                // an abort on the allocation).
                users.try_reserve(count).map_err(|error| {
                    format!("--generate {count}: cannot hold that many users in memory ({error})")
                })?;
                users.extend((1..=count).map(|n| {
                    let user = generated_user(n);
                    let from = format!("--generate's {}", user["username"].as_str().unwrap_or(""));
                    (user, from)
                }));
            }
            "--fault" => faults.push(QueuedFault::Users(fault(&flag, &value()?)?)),
            "--patch-fault" => faults.push(QueuedFault::Patch(fault(&flag, &value()?)?)),
            "--token-fault" => faults.push(QueuedFault::Token(fault(&flag, &value()?)?)),
            "--forbid" => builder = builder.forbid(value()?),
            "--custom-attributes" => {
                let names = value()?;
                builder = builder.custom_attributes(
                    names
                        .split(',')
                        .map(str::trim)
                        .filter(|name| !name.is_empty())
                        .map(str::to_owned)
                        .collect::<Vec<_>>(),
                );
            }
            "--random-faults" => {
                let probability: f64 = parse(&value()?, "--random-faults")?;
                if !(0.0..=1.0).contains(&probability) {
                    return Err(Stop::Usage(format!(
                        "--random-faults takes a probability from 0 to 1, not {probability}"
                    )));
                }
                random = Some(probability);
            }
            "--seed" => seed = Some(parse(&value()?, "--seed")?),
            "--token-lifetime" => {
                let seconds: u64 = parse(&value()?, "--token-lifetime")?;
                builder = builder.token_lifetime(Duration::from_secs(seconds));
            }
            "--worker-auth-method" => {
                let text = value()?;
                let method: ClientAuthMethod = text.parse().map_err(|_| {
                    Stop::Usage(format!(
                        "--worker-auth-method cannot take {text:?}: basic or post"
                    ))
                })?;
                builder = builder.worker_auth_method(method);
            }
            other => return Err(Stop::Usage(format!("unknown argument {other}"))),
        }
    }
    let mut user_id = sparse_patch::pingone::emulator::REFERENCE_USER_ID.to_owned();
    if !reference_user {
        builder = builder.no_users();
        user_id = users
            .first()
            .and_then(|(user, _)| user["id"].as_str())
            .ok_or("--no-reference-user needs --users or --generate")?
            .to_ascii_lowercase();
    }
    refuse_repeated_ids(&users, reference_user).map_err(Stop::Input)?;
    for (user, _) in users {
        builder = builder.user(user);
    }
    if seed.is_some() && random.is_none() {
        // Taken silently, it let a run that meant to have random faults have none.
        return Err("--seed N picks the faults of --random-faults P: give both".into());
    }
    if let Some(probability) = random {
        let kinds = vec![
            Fault::RateLimited {
                retry_after: "1".into(),
            },
            Fault::ServiceUnavailable { retry_after: None },
            Fault::Slow(Duration::from_secs(2)),
            Fault::ConnectionCut,
        ];
        builder = builder.random_faults(RandomFaults::new(seed.unwrap_or(1), probability, kinds));
    }
    Ok((builder, faults, user_id))
}

/// The most users `--generate` makes: the last group of a generated user's `id` holds its
/// number in 12 digits (`00000000-0000-4000-8000-000000000001`), so a larger one would give
/// an `id` that is no UUID.
const MOST_GENERATED_USERS: u64 = 999_999_999_999;

/// The count of `--generate`, from 0 to [`MOST_GENERATED_USERS`] (and to `usize::MAX`).
fn generated_count(text: &str) -> Result<usize, String> {
    let count: u64 = parse(text, "--generate")?;
    if count > MOST_GENERATED_USERS {
        return Err(format!(
            "--generate makes at most {MOST_GENERATED_USERS} users (the last group of their \
             IDs has 12 digits), not {count}"
        ));
    }
    usize::try_from(count)
        .map_err(|_| format!("--generate {count}: more users than this machine can count"))
}

/// `text` read as `flag`'s number. A sign is refused (`--port +0`, `--rate-limit +5`), which
/// Rust's numbers read (a `-` is refused by an unsigned one, or by the flag's range), as a
/// fault's number with one is ([`is_digits`]).
fn parse<T: std::str::FromStr>(text: &str, flag: &str) -> Result<T, String> {
    if text.starts_with('+') {
        return Err(format!(
            "{flag} cannot take {text:?}: a number is written without a sign"
        ));
    }
    text.parse()
        .map_err(|_| format!("{flag} cannot take {text:?}"))
}

/// Whether `text` is ASCII digits alone, as a fault's number is written: Rust's integers
/// also read a leading `+` (`status:+409`, `slow:+5` were taken).
fn is_digits(text: &str) -> bool {
    !text.is_empty() && text.bytes().all(|byte| byte.is_ascii_digit())
}

/// A fault named on the command line by `flag` (`--fault`, `--patch-fault` or
/// `--token-fault`), or why `kind` names none, with the flag and the value: the error of a
/// `--patch-fault` said `--fault`, and one of an unknown kind named no flag (review 87).
fn fault(flag: &str, kind: &str) -> Result<Fault, String> {
    let refused = |why: &str| format!("{flag} cannot take {kind:?}: {why}");
    // Each part of the value is named when it is the one at fault (review 88: `status:409:`
    // said "CODE must be an HTTP status" of its empty ERROR_CODE).
    let status = |code: &str| {
        if code.is_empty() {
            return Err(refused(
                "the status CODE is empty; give one, 200 to 999, such as status:409",
            ));
        }
        // Digits alone: Rust's integers read a sign too (`status:+409` was taken).
        let status: u16 = Some(code)
            .filter(|code| is_digits(code))
            .and_then(|code| code.parse().ok())
            .ok_or_else(|| {
                refused("CODE must be an HTTP status, 200 to 999, such as status:409")
            })?;
        match status {
            100..=199 => Err(refused(
                "a 1xx status is no final answer (RFC 9110 §15.2), and is answered as 500: \
                 give status:500",
            )),
            200..=999 => Ok(status),
            _ => Err(refused(
                "CODE must be an HTTP status, 200 to 999, such as status:409",
            )),
        }
    };
    // The body's `code`, as PingOne writes one (`CONFLICT`, `INVALID_DATA`): a space or a `:`
    // in it is a typo of the command line, not a code.
    let error_code = |code: &str| {
        if code.is_empty() {
            Err(refused(
                "the ERROR_CODE is empty; give one, such as status:409:CONFLICT, or leave out \
                 its `:` for the status's own code",
            ))
        } else if code.chars().any(|c| c.is_whitespace() || c.is_control()) {
            Err(refused(
                "the ERROR_CODE holds white space; give one such as CONFLICT",
            ))
        } else if code.contains(':') {
            Err(refused(
                "the ERROR_CODE holds a `:`; the kinds are status:CODE and status:CODE:ERROR_CODE",
            ))
        } else {
            Ok(code.to_owned())
        }
    };
    Ok(match kind.split_once(':') {
        None if kind == "429" => Fault::RateLimited {
            retry_after: "1".into(),
        },
        None if kind == "503" => Fault::ServiceUnavailable { retry_after: None },
        None if kind == "502" => Fault::BadGateway,
        None if kind == "cut" => Fault::ConnectionCut,
        None if kind == "truncate" => Fault::TruncatedBody,
        // Another status alone (`500`): the three above are faults of their own (a
        // `Retry-After`, PingOne's 503 body, a gateway's page), any other is `status:CODE`.
        None if is_digits(kind) => {
            return Err(refused(&format!(
                "a status alone is 429, 503 or 502; for HTTP {kind} give status:{kind}"
            )));
        }
        Some((bare @ ("429" | "503" | "502" | "cut" | "truncate"), _)) => {
            return Err(refused(&format!(
                "{bare} takes nothing after it; give {bare} alone"
            )));
        }
        Some(("slow", "")) => {
            return Err(refused(
                "MILLISECONDS is empty; slow:MILLISECONDS takes a whole number of milliseconds, \
                 such as slow:2000",
            ));
        }
        Some(("slow", ms)) if !is_digits(ms) => {
            // A sign too (`slow:+5`), which Rust's integers read.
            return Err(refused(
                "slow:MILLISECONDS takes a whole number of milliseconds, such as slow:2000",
            ));
        }
        Some(("slow", ms)) => Fault::Slow(Duration::from_millis(ms.parse().map_err(|_| {
            // Digits alone, and still no `u64`: a whole number, too large.
            refused(&format!("MILLISECONDS is too large; at most {}", u64::MAX))
        })?)),
        Some(("status", code)) => match code.split_once(':') {
            Some((code, error)) => Fault::ApiError {
                status: status(code)?,
                code: error_code(error)?,
            },
            None => Fault::Status(status(code)?),
        },
        _ => {
            return Err(refused(
                "unknown fault kind; the kinds are 429, 503, 502, slow:MILLISECONDS, cut, \
                 truncate, status:CODE and status:CODE:ERROR_CODE",
            ));
        }
    })
}

/// Refuses two seeded users with one ID (compared in any case, as the emulator compares
/// IDs): the emulator keeps one user per ID, so the later one would silently replace the
/// earlier (a user of a `--users` file behind `--generate`'s, or the reference user). Every
/// repeated ID is named, with where both users came from.
fn refuse_repeated_ids(users: &[(Value, String)], reference_user: bool) -> Result<(), String> {
    let mut seen = std::collections::HashMap::new();
    if reference_user {
        seen.insert(
            sparse_patch::pingone::emulator::REFERENCE_USER_ID.to_ascii_lowercase(),
            "the reference user dspanner's (leave it out with --no-reference-user)".to_owned(),
        );
    }
    let mut repeated = Vec::new();
    for (user, from) in users {
        let id = user["id"].as_str().unwrap_or_default().to_ascii_lowercase();
        match seen.get(&id) {
            Some(first) => repeated.push(format!("{from}: the id {id} is also {first}")),
            None => {
                seen.insert(id, format!("{from}'s"));
            }
        }
    }
    if repeated.is_empty() {
        return Ok(());
    }
    Err(format!(
        "{}; each seeded user needs its own id (IDs compare in any case)",
        repeated.join("; ")
    ))
}

/// The users of a JSON Lines file: one object with a string `id` per line (blank lines
/// skipped), each with where it came from (`FILE, line N`).
fn read_users(path: &str) -> Result<Vec<(Value, String)>, String> {
    let file = File::open(path).map_err(|error| format!("cannot open {path}: {error}"))?;
    let mut users = Vec::new();
    for (index, line) in BufReader::new(file).lines().enumerate() {
        let at = |why: String| format!("{path}, line {}: {why}", index + 1);
        let line = line.map_err(|error| at(error.to_string()))?;
        // A file saved as "UTF-8 with BOM" starts with U+FEFF, which is not JSON (read as the
        // sync job reads its feed).
        let line = line.strip_prefix('\u{feff}').unwrap_or(&line);
        if line.trim().is_empty() {
            continue;
        }
        let user: Value = serde_json::from_str(line).map_err(|error| at(error.to_string()))?;
        // Checked here, where the line can be named, as the emulator checks it when it starts.
        check_seeded_user(&user).map_err(at)?;
        users.push((user, format!("{path}, line {}", index + 1)));
    }
    Ok(users)
}
