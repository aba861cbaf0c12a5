//! The standalone `pingone-emulator` program (issue 10): it prints its URL, IDs, token and
//! worker credentials and the "Update User (PATCH)" page's curl request with only the
//! placeholders filled in, and that request works against it. Seeding from a JSON Lines file
//! and a fault from the flags are checked on the way.
#![cfg(feature = "emulator")]

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

use serde_json::Value;

#[path = "support/worker_token.rs"]
mod worker_token;
use worker_token::fetch_worker_token;

/// The curl request of the page (`shared/reference/update-user-patch.txt`), as published.
const PAGE_CURL: &str = r#"curl --location --globoff --request PATCH '{{apiPath}}/environments/{{envID}}/users/{{userID}}' \
--header 'Content-Type: application/json' \
--header 'Authorization: Bearer {{accessToken}}' \
--data '{
    "photo": {
        "href": "{{userImage}}"
    }
}'"#;

/// Kills the program when the test ends, however it ends.
struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[tokio::test]
async fn the_program_prints_a_working_curl_request_of_the_documentation() {
    let users = std::env::temp_dir().join(format!(
        "pingone-emulator-users-{}.jsonl",
        std::process::id()
    ));
    std::fs::write(
        &users,
        "{\"id\": \"00000000-0000-4000-8000-00000000000A\", \"username\": \"seeded\", \"email\": \"seeded@example.com\"}\n\n",
    )
    .unwrap();
    let mut running = spawn_program(
        &["--users", users.to_str().unwrap(), "--fault", "503"],
        Stdio::piped(),
        Stdio::piped(),
    );
    let stdout = running.0.stdout.take().unwrap();
    let mut printed = Vec::new();
    for line in BufReader::new(stdout).lines() {
        let line = line.unwrap();
        let done = line == "}'";
        printed.push(line);
        if done {
            break;
        }
    }
    let _ = std::fs::remove_file(&users);
    let value = |name: &str| {
        printed
            .iter()
            .find_map(|line| line.strip_prefix(name).map(|rest| rest.trim().to_owned()))
            .unwrap_or_else(|| panic!("{name} is not printed: {printed:#?}"))
    };
    let api = value("apiPath");
    let env = value("envID");
    let user = value("userID");
    let token = value("accessToken");
    assert!(api.starts_with("http://127.0.0.1:"), "{api}");
    assert_eq!(value("clientID"), "emulator-worker");
    assert_eq!(value("clientSecret"), "emulator-worker-secret");

    // The curl request is the page's, only the placeholders filled in.
    let start = printed
        .iter()
        .position(|line| line.starts_with("curl "))
        .unwrap();
    let curl = printed[start..].join("\n");
    let image = "https://uploads.pingone.com/environments/abfba8f6-49eb-49f5-a5d9-80ad5c98f9f6/images/new-photo.png";
    let expected = PAGE_CURL
        .replace("{{apiPath}}", &api)
        .replace("{{envID}}", &env)
        .replace("{{userID}}", &user)
        .replace("{{accessToken}}", &token)
        .replace("{{userImage}}", image);
    assert_eq!(curl, expected);

    // The crate's client.
    let client = sparse_patch::pingone::Client::builder()
        .api_base_url(&api)
        .token(sparse_patch::pingone::TokenSource::bearer(&token))
        .build()
        .unwrap();

    // The same request: first the queued 503, then it works.
    // reqwest is built without a crypto provider and the crate's client installs none
    // (issue 13): this test, like an application using raw reqwest, installs ring itself. An
    // error only means that a provider is already installed.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let http = reqwest::Client::new();
    let send = || {
        http.patch(format!("{api}/environments/{env}/users/{user}"))
            .header("Content-Type", "application/json")
            .header("Authorization", format!("Bearer {token}"))
            .body(format!(
                "{{\n    \"photo\": {{\n        \"href\": \"{image}\"\n    }}\n}}"
            ))
            .send()
    };
    assert_eq!(send().await.unwrap().status(), 503);
    let answer = send().await.unwrap();
    assert_eq!(answer.status(), 200);
    let body: Value = answer.json().await.unwrap();
    assert_eq!(body["photo"]["href"], image);
    assert_eq!(body["username"], "dspanner");

    // The printed command itself, when curl is installed.
    if Command::new("curl").arg("--version").output().is_ok() {
        let output = Command::new("sh")
            .args([
                "-c",
                &format!("{curl} --silent --show-error --write-out ' %{{http_code}}'"),
            ])
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&output.stdout);
        assert!(text.ends_with(" 200"), "{text}");
    }

    // The seeded user is there (its ID kept in lower case).
    let seeded: Value = client
        .get_user_as(&env, "00000000-0000-4000-8000-00000000000A")
        .await
        .unwrap();
    assert_eq!(seeded["username"], "seeded");
}

/// `--port` on a port in use printed "cannot start the emulator: Address already in use (os
/// error 98)" and then the usage text, as for a mistyped option. Now: the address, no usage,
/// exit status 1 (2 stays for bad options).
#[test]
fn a_port_in_use_names_the_address_without_the_usage() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let output = Command::new(env!("CARGO_BIN_EXE_pingone-emulator"))
        .args(["--port", &port])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains(&format!("127.0.0.1:{port}")), "{stderr}");
    assert!(!stderr.contains("usage:"), "{stderr}");
}

/// `--users FILE.jsonl` reads one user per line; a file saved as "UTF-8 with BOM" (as the
/// sync job's feed may be) was refused at line 1 ("expected value at line 1 column 1"), the
/// BOM taken for JSON. It is read as the feed's first line is: without the BOM.
#[test]
fn a_users_file_with_a_byte_order_mark_is_read() {
    let users = std::env::temp_dir().join(format!(
        "pingone-emulator-bom-users-{}.jsonl",
        std::process::id()
    ));
    std::fs::write(
        &users,
        "\u{feff}{\"id\": \"00000000-0000-4000-8000-00000000000b\", \"username\": \"bom\", \"email\": \"bom@example.com\"}\n",
    )
    .unwrap();
    let mut running = spawn_program(
        &["--users", users.to_str().unwrap(), "--no-reference-user"],
        Stdio::piped(),
        Stdio::piped(),
    );
    let stdout = running.0.stdout.take().unwrap();
    let serving = BufReader::new(stdout)
        .lines()
        .map_while(Result::ok)
        .any(|line| line.starts_with("PingOne emulator on"));
    let _ = std::fs::remove_file(&users);
    if !serving {
        let mut stderr = String::new();
        std::io::Read::read_to_string(&mut running.0.stderr.take().unwrap(), &mut stderr).unwrap();
        panic!("the program did not start: {stderr}");
    }
}

/// The exit status of the program run with `args` and what it wrote on standard error; `None`
/// when it started serving (it printed its `PingOne emulator on ...` line), and is then
/// stopped. Before, `None` meant "still running after 10 s", which a loaded machine, slow to
/// start and refuse, could reach; 60 s without either is a hang, and fails the test.
fn exit_of(args: &[&str]) -> (Option<i32>, String) {
    let mut running = spawn_program(args, Stdio::piped(), Stdio::piped());
    let stdout = running.0.stdout.take().unwrap();
    let (sender, serving) = std::sync::mpsc::channel();
    // Up to the serving line, or to the end of its output: the program exited.
    std::thread::spawn(move || {
        let served = BufReader::new(stdout)
            .lines()
            .map_while(Result::ok)
            .any(|line| line.starts_with("PingOne emulator on"));
        let _ = sender.send(served);
    });
    let served = serving
        .recv_timeout(std::time::Duration::from_secs(60))
        .expect("the program neither served nor exited in 60 s");
    let status = if served {
        None
    } else {
        running.0.wait().unwrap().code()
    };
    let _ = running.0.kill();
    let mut stderr = String::new();
    std::io::Read::read_to_string(&mut running.0.stderr.take().unwrap(), &mut stderr).unwrap();
    (status, stderr)
}

/// Two seeded users with one `id` (in any case): the later one silently replaced the earlier,
/// so a user of the `--users` file vanished behind `--generate`'s user001 (or the reference
/// user, or a repeated line of the file). Now: exit status 2, naming the ID and both sources.
#[test]
fn a_seeded_id_given_twice_is_refused_naming_both() {
    let users = std::env::temp_dir().join(format!(
        "pingone-emulator-twice-{}.jsonl",
        std::process::id()
    ));
    std::fs::write(
        &users,
        "{\"id\": \"00000000-0000-4000-8000-000000000001\", \"username\": \"mine\", \"email\": \"mine@example.com\"}\n\
         {\"id\": \"A38890A6-295A-4D58-9F6E-B72B05FBA379\", \"username\": \"dave\", \"email\": \"dave@example.com\"}\n\
         {\"id\": \"00000000-0000-4000-8000-00000000000c\", \"username\": \"c\", \"email\": \"c@example.com\"}\n\
         {\"id\": \"00000000-0000-4000-8000-00000000000C\", \"username\": \"c2\", \"email\": \"c2@example.com\"}\n",
    )
    .unwrap();
    let path = users.to_str().unwrap();
    // Before the fix the program started and served (status `None`).
    let (code, stderr) = exit_of(&["--users", path, "--generate", "1", "--no-reference-user"]);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(
        stderr.contains("00000000-0000-4000-8000-000000000001"),
        "{stderr}"
    );
    assert!(
        stderr.contains("line 1") && stderr.contains("--generate"),
        "{stderr}"
    );
    // The reference user's ID, in another case.
    let (code, stderr) = exit_of(&["--users", path]);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(
        stderr.contains("a38890a6-295a-4d58-9f6e-b72b05fba379"),
        "{stderr}"
    );
    assert!(stderr.contains("--no-reference-user"), "{stderr}");
    let _ = std::fs::remove_file(&users);
}

/// A seeded user that the emulator refuses when it starts (an `id` that is not a UUID, an
/// attribute that breaks PingOne's rules, no `email`) stopped the program with exit status 1 and "cannot
/// start the emulator: a seeded user's `id` must be a PingOne ID...": no file, no line. Now
/// refused as it is read, naming the file and the line, with exit status 2 (a bad input).
#[test]
fn a_seeded_user_the_emulator_refuses_is_named_by_its_line() {
    for (n, (second, why)) in [
        (
            r#"{"id": "alice", "username": "alice"}"#,
            "must be a PingOne ID",
        ),
        (
            r#"{"id": "00000000-0000-4000-8000-00000000000d", "username": "d", "email": "not an address"}"#,
            "breaks PingOne's rules",
        ),
        // No email, which every PingOne user has: the client's `User` could not read it.
        (
            r#"{"id": "00000000-0000-4000-8000-00000000000e", "username": "e"}"#,
            "missing field `email`",
        ),
    ]
    .into_iter()
    .enumerate()
    {
        let users = std::env::temp_dir().join(format!(
            "pingone-emulator-refused-{}-{n}.jsonl",
            std::process::id()
        ));
        std::fs::write(
            &users,
            format!(
                "{{\"id\": \"00000000-0000-4000-8000-000000000001\", \"username\": \"ok\", \
                 \"email\": \"ok@example.com\"}}\n{second}\n"
            ),
        )
        .unwrap();
        let (code, stderr) = exit_of(&["--users", users.to_str().unwrap()]);
        let _ = std::fs::remove_file(&users);
        assert_eq!(code, Some(2), "{stderr}");
        assert!(
            stderr.contains(&format!("{}, line 2: ", users.display())) && stderr.contains(why),
            "{stderr}"
        );
    }
}

/// `--seed 7` without `--random-faults P` was taken silently: a run that meant to have random
/// faults had none. It is a usage error (exit status 2), as any option that does nothing.
#[test]
fn a_seed_without_random_faults_is_refused() {
    let (code, stderr) = exit_of(&["--seed", "7"]);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains("--random-faults"), "{stderr}");
}

/// `--token-lifetime S`: the worker's tokens are its own, with `expires_in` S, and refused
/// once their life has ended (0: at once); the printed access token stays accepted. A value
/// that is not a number of seconds is refused with the usage.
#[tokio::test]
async fn token_lifetime_gives_worker_tokens_an_end() {
    let output = Command::new(env!("CARGO_BIN_EXE_pingone-emulator"))
        .args(["--token-lifetime", "1.5"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("--token-lifetime cannot take \"1.5\""),
        "{stderr}"
    );

    let mut running = spawn_program(&["--token-lifetime", "0"], Stdio::piped(), Stdio::piped());
    let value = printed_values(&mut running);
    let (api, auth, env, user) = (
        value("apiPath"),
        value("authPath"),
        value("envID"),
        value("userID"),
    );
    let _ = rustls::crypto::ring::default_provider().install_default();
    let http = reqwest::Client::new();
    let answer = fetch_worker_token(
        &http,
        &auth,
        &env,
        &value("clientID"),
        &value("clientSecret"),
    )
    .await;
    assert_eq!(answer["expires_in"], 0, "{answer}");
    let status = |token: String| {
        let request = http
            .get(format!("{api}/environments/{env}/users/{user}"))
            .bearer_auth(token);
        async move { request.send().await.unwrap().status().as_u16() }
    };
    let issued = answer["access_token"].as_str().unwrap().to_owned();
    assert_eq!(status(issued).await, 401);
    assert_eq!(status(value("accessToken")).await, 200);
}

/// A harness that reads the lines it needs and closes the pipe (here: the first line alone)
/// stopped the program: it wrote its block line by line, a later line met the closed pipe, and
/// the program ended. The block is now written at once, and the program goes on serving.
#[tokio::test]
async fn the_program_keeps_serving_when_its_reader_stops_reading() {
    let mut running = spawn_program(&[], Stdio::piped(), Stdio::piped());
    let mut first = String::new();
    BufReader::new(running.0.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    // "PingOne emulator on 127.0.0.1:PORT until ...": the reader is dropped here.
    let addr = first.split_whitespace().nth(3).unwrap().to_owned();
    std::thread::sleep(std::time::Duration::from_millis(200));
    assert!(
        running.0.try_wait().unwrap().is_none(),
        "the program ended: {first}"
    );
    let _ = rustls::crypto::ring::default_provider().install_default();
    let status = reqwest::Client::new()
        .get(format!(
            "http://{addr}/v1/environments/{}/users/{}",
            sparse_patch::pingone::emulator::REFERENCE_ENVIRONMENT_ID,
            sparse_patch::pingone::emulator::REFERENCE_USER_ID
        ))
        .bearer_auth(sparse_patch::pingone::emulator::DEFAULT_TOKEN)
        .send()
        .await
        .unwrap()
        .status();
    assert_eq!(status, 200);
}

/// A `--users` file whose content is at fault (a line that breaks PingOne's rules, two users
/// with one id) was reported, then followed by the whole usage text, as for a mistyped
/// option, although every option was right. Now: the file's error alone, still exit status 2.
#[test]
fn a_users_file_at_fault_is_named_without_the_usage() {
    let users = std::env::temp_dir().join(format!(
        "pingone-emulator-bad-users-{}.jsonl",
        std::process::id()
    ));
    for content in [
        "{\"id\":\"11111111-1111-4111-8111-111111111113\",\"username\":\"a\",\"email\":\"not-an-email\"}\n",
        "{\"id\":\"11111111-1111-4111-8111-111111111111\",\"username\":\"a\",\"email\":\"a@example.com\"}\n\
         {\"id\":\"11111111-1111-4111-8111-111111111111\",\"username\":\"b\",\"email\":\"b@example.com\"}\n",
        "not json\n",
    ] {
        std::fs::write(&users, content).unwrap();
        let output = Command::new(env!("CARGO_BIN_EXE_pingone-emulator"))
            .args(["--users", users.to_str().unwrap()])
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{stderr}");
        assert!(stderr.contains("line "), "{stderr}");
        assert!(!stderr.contains("usage:"), "{stderr}");
    }
    std::fs::remove_file(&users).unwrap();
    // A mistyped option still gets the usage.
    let output = Command::new(env!("CARGO_BIN_EXE_pingone-emulator"))
        .args(["--user", "x"])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&output.stderr).contains("usage:"));
}

/// `--forbid` and `--custom-attributes`: the sync job's stop after refused PATCHes
/// (`sync_users --stop-after-refusals`) and an attribute that PingOne ignores could be tried
/// from Rust alone (`EmulatorBuilder::forbid`, `custom_attributes`), not against the program,
/// whose only 403 (`--fault status:403`) met the lookup first.
#[tokio::test]
async fn forbid_and_custom_attributes_reach_the_program() {
    let mut running = spawn_program(
        &[
            "--forbid",
            "title",
            "--custom-attributes",
            "costCenter, badge",
        ],
        Stdio::piped(),
        Stdio::piped(),
    );
    let value = printed_values(&mut running);
    let url = format!(
        "{}/environments/{}/users/{}",
        value("apiPath"),
        value("envID"),
        value("userID")
    );
    let token = value("accessToken");
    let _ = rustls::crypto::ring::default_provider().install_default();
    let http = reqwest::Client::new();
    let patch = |body: Value| {
        let request = http.patch(&url).bearer_auth(&token).json(&body);
        async move {
            let answer = request.send().await.unwrap();
            (
                answer.status().as_u16(),
                answer.json::<Value>().await.unwrap(),
            )
        }
    };
    let (status, _) = patch(serde_json::json!({"title": "Lead"})).await;
    assert_eq!(status, 403);
    let (status, user) = patch(serde_json::json!({"costCenter": "1", "leftOn": "2026"})).await;
    assert_eq!(status, 200, "{user}");
    assert_eq!(user["costCenter"], "1");
    assert!(user.get("leftOn").is_none(), "{user}");
}

/// The emulator program run with `args`, its standard output and error sent to `stdout` and
/// `stderr` (piped where the test reads them), killed when the result is dropped.
fn spawn_program(args: &[&str], stdout: Stdio, stderr: Stdio) -> Running {
    Running(
        Command::new(env!("CARGO_BIN_EXE_pingone-emulator"))
            .args(args)
            .stdout(stdout)
            .stderr(stderr)
            .spawn()
            .unwrap(),
    )
}

/// The values that the program prints before its curl request (`apiPath`, `envID`,
/// `accessToken`...), by name: reads its standard output up to the request.
fn printed_values(running: &mut Running) -> impl Fn(&str) -> String {
    let printed: Vec<String> = BufReader::new(running.0.stdout.take().unwrap())
        .lines()
        .map_while(Result::ok)
        .take_while(|line| !line.starts_with("The \"Update User"))
        .collect();
    move |name: &str| {
        printed
            .iter()
            .find_map(|line| line.strip_prefix(name).map(|rest| rest.trim().to_owned()))
            .unwrap_or_else(|| panic!("{name} is not printed: {printed:#?}"))
    }
}

/// The crate's client of the program's API (`apiPath`) with the bearer token it prints
/// (`accessToken`), retrying nothing, so that each fault the program queues is seen once.
fn bearer_client_never_retrying(value: &impl Fn(&str) -> String) -> sparse_patch::pingone::Client {
    sparse_patch::pingone::Client::builder()
        .api_base_url(value("apiPath"))
        .token(sparse_patch::pingone::TokenSource::bearer(value(
            "accessToken",
        )))
        .retry_policy(sparse_patch::pingone::RetryPolicy::never())
        .build()
        .unwrap()
}

/// `--patch-fault KIND` queues a fault for the next PATCH alone, as
/// `Emulator::inject_patch_fault` does in Rust (review 85): `--fault`'s went to the next
/// request whatever its method, so a test in another language that reads a user before it
/// updates it got the fault on its GET.
#[tokio::test]
async fn a_patch_fault_is_not_taken_by_the_get_before_the_patch() {
    let mut running = spawn_program(
        &["--patch-fault", "status:409:CONFLICT"],
        Stdio::piped(),
        Stdio::null(),
    );
    let value = printed_values(&mut running);
    let client = bearer_client_never_retrying(&value);
    let (env, user) = (value("envID"), value("userID"));
    client.get_user(&env, &user).await.unwrap();
    let patch = sparse_patch::pingone::UserPatch::new().title("CTO");
    let error = client.update_user(&env, &user, &patch).await.unwrap_err();
    assert_eq!(error.status(), Some(409), "{error:?}");
    assert_eq!(error.code(), Some("CONFLICT"));
    client.update_user(&env, &user, &patch).await.unwrap();
}

/// `--token-fault KIND` queues a fault for the token endpoint, and `--fault
/// status:CODE:ERROR_CODE` an error status with a code of its own (`Fault::ApiError`), as
/// `Emulator::inject_token_fault` and `Fault::ApiError` do in Rust (review 75): the program
/// could fail only the users endpoints, and a 409 only with `UNEXPECTED_ERROR`, which the
/// crate's client retries.
#[tokio::test]
async fn token_faults_and_error_codes_are_queued_from_the_flags() {
    let mut running = spawn_program(
        &["--token-fault", "503", "--fault", "status:409:CONFLICT"],
        Stdio::piped(),
        Stdio::null(),
    );
    let value = printed_values(&mut running);
    let client = sparse_patch::pingone::Client::builder()
        .api_base_url(value("apiPath"))
        .auth_base_url(value("authPath"))
        .token(sparse_patch::pingone::TokenSource::client_credentials(
            value("envID"),
            value("clientID"),
            value("clientSecret"),
        ))
        .retry_policy(sparse_patch::pingone::RetryPolicy::never())
        .build()
        .unwrap();
    let (env, user) = (value("envID"), value("userID"));
    // The token request takes the 503; the users endpoint is not reached.
    let error = client.get_user(&env, &user).await.unwrap_err();
    assert!(
        matches!(
            error,
            sparse_patch::pingone::Error::Token { status: 503, .. }
        ),
        "{error:?}"
    );
    // The next call gets a token (a 503 without `Retry-After` is not held), and the GET takes
    // the 409.
    let error = client.get_user(&env, &user).await.unwrap_err();
    assert_eq!(error.status(), Some(409), "{error:?}");
    assert_eq!(error.code(), Some("CONFLICT"));
    client.get_user(&env, &user).await.unwrap();
}

/// A fault flag's value with one part empty or odd was refused with the message of another
/// part: `status:409:` (an empty ERROR_CODE) said "CODE must be an HTTP status", naming the
/// status, which was right; `status:409: CONFLICT` and `status:409:CONFLICT:` were taken, their
/// body's `code` a space or a `:` longer than meant; `429:` and `cut:x` were an "unknown fault
/// kind" though the kind is known (review 88). Each names the part at fault now, and no other.
#[test]
fn a_fault_flag_names_the_part_of_its_value_at_fault() {
    const CODE_EMPTY: &str = "the status CODE is empty";
    const ERROR_CODE_EMPTY: &str = "the ERROR_CODE is empty";
    for flag in ["--fault", "--patch-fault", "--token-fault"] {
        for (value, why, not) in [
            ("status:409:", ERROR_CODE_EMPTY, "HTTP status"),
            ("status:", CODE_EMPTY, ERROR_CODE_EMPTY),
            ("status::", CODE_EMPTY, ERROR_CODE_EMPTY),
            ("status::CONFLICT", CODE_EMPTY, ERROR_CODE_EMPTY),
            ("status:abc:", "HTTP status", ERROR_CODE_EMPTY),
            (
                "status:409: CONFLICT",
                "the ERROR_CODE holds white space",
                "HTTP status",
            ),
            (
                "status:409:CON FLICT",
                "the ERROR_CODE holds white space",
                "HTTP status",
            ),
            (
                "status:409:CONFLICT:",
                "the ERROR_CODE holds a `:`",
                "HTTP status",
            ),
            ("slow:", "MILLISECONDS is empty", "unknown fault kind"),
            ("429:", "429 takes nothing after it", "unknown fault kind"),
            ("cut:x", "cut takes nothing after it", "unknown fault kind"),
            (
                "truncate:",
                "truncate takes nothing after it",
                "unknown fault kind",
            ),
        ] {
            let (code, stderr) = exit_of(&[flag, value]);
            assert_eq!(code, Some(2), "{flag} {value}: {stderr}");
            let named = format!("{flag} cannot take {value:?}");
            assert!(stderr.contains(&named), "{flag} {value}: {stderr}");
            assert!(stderr.contains(why), "{flag} {value}: {stderr}");
            // The message, before the usage (which names every part).
            let message = stderr.split("usage:").next().unwrap();
            assert!(!message.contains(not), "{flag} {value}: {stderr}");
        }
    }
}

/// A fault's number with a sign (`status:+409`, `slow:+5`) was taken, as Rust's integers read
/// a leading `+`: the usage writes digits alone, and a sign is a typo. Refused, naming the
/// part.
#[test]
fn a_fault_number_with_a_sign_is_refused() {
    for (value, why) in [
        ("status:+409", "CODE must be an HTTP status"),
        ("status:+409:CONFLICT", "CODE must be an HTTP status"),
        ("slow:+5", "slow:MILLISECONDS takes a whole number"),
    ] {
        let (code, stderr) = exit_of(&["--patch-fault", value]);
        assert_eq!(code, Some(2), "{value}: {stderr}");
        assert!(
            stderr.contains(&format!("--patch-fault cannot take {value:?}: {why}")),
            "{value}: {stderr}"
        );
    }
}

/// A number of another flag with a sign (`--port +0`, `--rate-limit +5`, `--generate +1`,
/// `--token-lifetime +60`, `--seed +1`, `--random-faults +0.5`) was taken, as Rust's numbers
/// read a leading `+`, where a fault's number with one is refused: each is refused naming its
/// flag (exit status 2), the other arguments unread.
#[test]
fn a_flag_number_with_a_sign_is_refused() {
    for args in [
        ["--port", "+0"],
        ["--rate-limit", "+5"],
        ["--generate", "+1"],
        ["--token-lifetime", "+60"],
        ["--seed", "+1"],
        ["--random-faults", "+0.5"],
    ] {
        // `--nope` after: without the refusal, the run stops there instead of serving.
        let (code, stderr) = exit_of(&[args[0], args[1], "--random-faults", "0.5", "--nope"]);
        assert_eq!(code, Some(2), "{args:?}: {stderr}");
        assert!(
            stderr.contains(&format!("{} cannot take {:?}: ", args[0], args[1])),
            "{args:?}: {stderr}"
        );
    }
}

/// `slow:` with a number of milliseconds past `u64::MAX` (`slow:99999999999999999999`) said
/// that MILLISECONDS takes a whole number, which it was: too large is said as such, with the
/// largest.
#[test]
fn a_slow_fault_too_long_says_it_is_too_large() {
    for flag in ["--fault", "--patch-fault", "--token-fault"] {
        let value = "slow:99999999999999999999";
        let (code, stderr) = exit_of(&[flag, value]);
        assert_eq!(code, Some(2), "{flag} {value}: {stderr}");
        let message = stderr.split("usage:").next().unwrap();
        assert!(
            message.contains("MILLISECONDS is too large; at most 18446744073709551615"),
            "{flag} {value}: {stderr}"
        );
        assert!(
            !message.contains("whole number"),
            "{flag} {value}: {stderr}"
        );
    }
}

/// A bad value of `--patch-fault` or `--token-fault` was said to be `--fault`'s (`--fault
/// status cannot take "abc"` for `--patch-fault status:abc`), an unknown kind (an empty one
/// too) named no flag (`unknown fault "nope"`), and a status that the emulator does not
/// answer as given (`status:1000`, `status:42`, a 1xx: each answered as 500) was taken
/// (review 87). Each is now refused with exit status 2, naming its flag and its value.
#[test]
fn a_bad_fault_is_refused_naming_its_flag_and_value() {
    for flag in ["--fault", "--patch-fault", "--token-fault"] {
        for (value, why) in [
            ("", "unknown fault kind"),
            ("nope", "unknown fault kind"),
            // A status alone other than 429, 503 and 502 (review 129: `--patch-fault 500`
            // was "unknown fault kind", as `nope` is).
            ("500", "for HTTP 500 give status:500"),
            ("status:abc", "HTTP status"),
            ("status:99999", "HTTP status"),
            ("status:1000", "HTTP status"),
            ("status:42", "HTTP status"),
            ("status:100", "1xx"),
            ("status:409:", "the ERROR_CODE is empty"),
            ("slow:abc", "milliseconds"),
            ("slow:", "milliseconds"),
        ] {
            let (code, stderr) = exit_of(&[flag, value]);
            assert_eq!(code, Some(2), "{flag} {value}: {stderr}");
            let named = format!("{flag} cannot take {value:?}");
            assert!(stderr.contains(&named), "{flag} {value}: {stderr}");
            assert!(stderr.contains(why), "{flag} {value}: {stderr}");
            assert!(stderr.contains("usage: pingone-emulator"), "{stderr}");
        }
    }
}

/// `--generate N` seeds the users that its help names (`user001`..., their IDs and emails,
/// title `Engineer`), and `--rate-limit N` answers 429 `REQUEST_LIMITED` with `Retry-After`
/// past a burst of `N` requests, refilled at `N` per second (issue 10: "Seed it from a JSON
/// Lines file, set a rate limit, or inject faults from flags").
#[tokio::test]
async fn generated_users_and_the_rate_limit_come_from_the_flags() {
    let mut running = spawn_program(
        &[
            "--generate",
            "3",
            "--rate-limit",
            "1",
            "--no-reference-user",
        ],
        Stdio::piped(),
        Stdio::null(),
    );
    let value = printed_values(&mut running);
    let client = bearer_client_never_retrying(&value);
    let env = value("envID");
    let generated = |n: u32| format!("00000000-0000-4000-8000-{n:012}");
    let check = |user: sparse_patch::pingone::User, n: u32| {
        assert_eq!(user.username, format!("user{n:03}"));
        assert_eq!(user.email, format!("user{n:03}@example.com"));
        assert_eq!(user.title.as_deref(), Some("Engineer"));
        assert_eq!(user.custom["department"], "R&D");
    };
    // A burst of 1 passes; of the next five sent at once, those over the limit are refused
    // (the bucket's own refill is tested in tests/pingone_safety.rs; here, that the flag
    // sets a limit).
    check(client.get_user(&env, &generated(1)).await.unwrap(), 1);
    let burst = (0..5).map(|_| {
        let (client, env, id) = (client.clone(), env.clone(), generated(2));
        tokio::spawn(async move { client.get_user(&env, &id).await })
    });
    let mut refused = 0;
    for call in burst.collect::<Vec<_>>() {
        if let Err(error) = call.await.unwrap() {
            assert_eq!(error.status(), Some(429), "{error:?}");
            assert_eq!(error.code(), Some("REQUEST_LIMITED"), "{error:?}");
            assert!(error.retry_after().is_some(), "{error:?}");
            refused += 1;
        }
    }
    assert!(refused >= 1, "none of 5 refused");
    // A second later the bucket holds one request again.
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    check(client.get_user(&env, &generated(3)).await.unwrap(), 3);
}

/// The emulator chapter's run of the program (`--port 8080 --generate 100`) prints what the
/// chapter shows, the port aside (issue 10: "The README gains a section ... the standalone
/// emulator with the curl request").
#[test]
fn the_chapters_run_prints_what_the_chapter_shows() {
    let chapter = include_str!("../docs/emulator/README.md");
    let command =
        "cargo run --features emulator --bin pingone-emulator -- --port 8080 --generate 100";
    let (_, after) = chapter
        .split_once(&format!("```sh\n{command}\n```\n\n```text\n"))
        .expect("the chapter's run of the program and the text block after it");
    let shown = &after[..after.find("\n```").unwrap()];
    // A free port in place of 8080, which may be taken on the machine that runs the tests.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
        .to_string();
    let mut running = spawn_program(
        &["--port", &port, "--generate", "100"],
        Stdio::piped(),
        Stdio::null(),
    );
    let mut printed = Vec::new();
    for line in BufReader::new(running.0.stdout.take().unwrap()).lines() {
        let line = line.unwrap();
        let done = line == "}'";
        printed.push(line);
        if done {
            break;
        }
    }
    assert_eq!(printed.join("\n"), shown.replace("8080", &port));
}

/// `--generate N` past the users whose IDs are UUIDs (`00000000-0000-4000-8000-` and 12
/// digits: at most 999,999,999,999) aborted the program with an allocation failure
/// (``memory allocation of 56000000000000 bytes failed``, status 134 and a backtrace): it
/// reserved room for every user at once. Such a count is now refused naming the flag (status
/// 2), and so is a count of users that the machine's memory cannot hold (checked where Linux
/// refuses an allocation past its memory, `vm.overcommit_memory` 0 or 2: where it grants any,
/// the program would start generating them).
#[test]
fn a_count_of_generated_users_past_their_ids_or_memory_is_refused() {
    for count in ["1000000000000", "18446744073709551615"] {
        let (code, stderr) = exit_of(&["--generate", count]);
        assert_eq!(code, Some(2), "{count}: {stderr}");
        let message = stderr.split("usage:").next().unwrap();
        assert!(
            message.starts_with("pingone-emulator: --generate ")
                && message.contains("at most 999999999999"),
            "{count}: {stderr}"
        );
    }
    let refuses_huge_allocations = std::fs::read_to_string("/proc/sys/vm/overcommit_memory")
        .is_ok_and(|mode| matches!(mode.trim(), "0" | "2"));
    if refuses_huge_allocations {
        let (code, stderr) = exit_of(&["--generate", "999999999999"]);
        assert_eq!(code, Some(2), "{stderr}");
        assert!(
            stderr.starts_with("pingone-emulator: --generate 999999999999: ")
                && stderr.contains("memory"),
            "{stderr}"
        );
    }
}

/// `--worker-auth-method post` (or `basic`) holds the worker to one token endpoint
/// authentication method, as PingOne holds an application to its `tokenEndpointAuthMethod`:
/// the other one gets 401 `invalid_client`, "Unsupported authentication method", so that a
/// client's (or `sync_users`' `PINGONE_CLIENT_AUTH_METHOD`) setting can be tried offline. The
/// flag reads what the variable reads (PingOne's names too, in any case: it took `basic` and
/// `post` alone, review 129); a value that is neither is refused with the usage.
#[tokio::test]
async fn worker_auth_method_holds_the_worker_to_one_method() {
    let (code, stderr) = exit_of(&["--worker-auth-method", "form"]);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(
        stderr.contains("--worker-auth-method cannot take \"form\""),
        "{stderr}"
    );
    let mut running = spawn_program(
        &["--worker-auth-method", "Client_Secret_Post"],
        Stdio::piped(),
        Stdio::piped(),
    );
    let value = printed_values(&mut running);
    let (auth, env) = (value("authPath"), value("envID"));
    let _ = rustls::crypto::ring::default_provider().install_default();
    let http = reqwest::Client::new();
    let refused = fetch_worker_token(
        &http,
        &auth,
        &env,
        &value("clientID"),
        &value("clientSecret"),
    )
    .await;
    assert_eq!(refused["error"], "invalid_client", "{refused}");
    assert_eq!(
        refused["error_description"], "Unsupported authentication method",
        "{refused}"
    );
    let answer = http
        .post(format!("{auth}/{env}/as/token"))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body(format!(
            "grant_type=client_credentials&client_id={}&client_secret={}",
            value("clientID"),
            value("clientSecret")
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), 200);
}
