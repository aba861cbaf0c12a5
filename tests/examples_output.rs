//! The examples' output. On a closed output (`cargo run --example update_user | head -1`) each
//! stops quietly with status 141, as a program stopped by `SIGPIPE` does, instead of panicking
//! in `println!` (exit 101, "failed printing to stdout: Broken pipe"); an error is said with
//! its `Display`, not the `Debug` that `main` returning a `Result` shows.
//!
//! The examples are run as `cargo test` built them (`target/debug/examples/`): run this test
//! through `cargo test --workspace --all-features`, which builds every example, not alone.
//! `sync_users` has its own output and its own test of this (`--help` and a run); `cargo
//! test` builds it only as a test program (`test = true` in `Cargo.toml`), so the tests here
//! that run it as a program build it first (see [`tested_example`]).

use std::path::PathBuf;
use std::process::{Command, Stdio};

/// The examples that write to standard output, besides `sync_users`.
const EXAMPLES: [&str; 7] = [
    "update_user",
    "clear_attribute",
    "get_diff_update",
    "scim_array_update",
    "update_many_users",
    "find_and_update",
    "openapi",
];

/// The examples that `cargo test` builds only as test programs (`test = true` in
/// `Cargo.toml`, for their own tests): their programs are not in `target/{profile}/examples/`
/// until [`tested_example`] builds them.
const TESTED_EXAMPLES: [&str; 1] = ["sync_users"];

/// Builds the program of `name`, one of [`TESTED_EXAMPLES`], once per run of this test
/// program: `cargo build --workspace --all-features --example {name}` into this test's own
/// target directory and profile, so that the dependencies that `cargo test --workspace
/// --all-features` built are reused (cargo holds no lock on the target directory while tests
/// run). Without it, a fresh clone's `cargo test` found no program to run (review 76's tests
/// passed only where a `cargo run --example sync_users` had built one, possibly stale).
fn tested_example(name: &str, profile: &std::path::Path) {
    static BUILT: std::sync::Mutex<Vec<String>> = std::sync::Mutex::new(Vec::new());
    let mut built = BUILT
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    if built.iter().any(|done| done == name) {
        return;
    }
    let target = profile.parent().unwrap();
    let mut cargo = Command::new(env!("CARGO"));
    cargo
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("CARGO_TARGET_DIR", target)
        .args([
            "build",
            "--quiet",
            "--workspace",
            "--all-features",
            "--example",
            name,
        ]);
    match profile.file_name().and_then(|profile| profile.to_str()) {
        Some("debug") | None => {}
        Some("release") => {
            cargo.arg("--release");
        }
        Some(other) => {
            cargo.args(["--profile", other]);
        }
    }
    let output = cargo.output().unwrap();
    assert!(
        output.status.success(),
        "`cargo build --example {name}` failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    built.push(name.to_owned());
}

/// `target/{profile}/examples/{name}`, beside this test's own `target/{profile}/deps/`.
fn example(name: &str) -> PathBuf {
    let test = std::env::current_exe().unwrap();
    let profile = test.parent().and_then(|deps| deps.parent()).unwrap();
    if TESTED_EXAMPLES.contains(&name) {
        tested_example(name, profile);
    }
    let path = profile
        .join("examples")
        .join(format!("{name}{}", std::env::consts::EXE_SUFFIX));
    assert!(
        path.is_file(),
        "{} is not built: run `cargo test --workspace --all-features`, which builds the examples",
        path.display()
    );
    path
}

/// A command that runs example `name` with no `PINGONE_*` variable (offline, against the
/// embedded emulator) but those of `variables`.
fn run_example(name: &str, variables: &[(&str, &str)]) -> Command {
    let mut command = Command::new(example(name));
    for (variable, _) in std::env::vars() {
        if variable.starts_with("PINGONE_") {
            command.env_remove(variable);
        }
    }
    command.envs(variables.iter().copied());
    command
}

/// What example `name` wrote and its status, run as [`run_example`] runs it with `arguments`
/// and no standard input: (status code, standard output, standard error).
fn output_of(
    name: &str,
    variables: &[(&str, &str)],
    arguments: &[&str],
) -> (Option<i32>, String, String) {
    let output = run_example(name, variables)
        .args(arguments)
        .stdin(Stdio::null())
        .output()
        .unwrap();
    (
        output.status.code(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[cfg(unix)]
#[test]
fn every_example_stops_quietly_on_a_closed_output() {
    for name in EXAMPLES {
        let (reader, writer) = std::io::pipe().unwrap();
        // Closed before the example writes its first line.
        drop(reader);
        let output = run_example(name, &[])
            .stdin(Stdio::null())
            .stdout(writer)
            .stderr(Stdio::piped())
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(!stderr.contains("panicked"), "{name}: {stderr}");
        assert_eq!(output.status.code(), Some(141), "{name}: {stderr}");
    }
}

/// `Error: UnknownRegion("XX")` was what a mistyped region showed: the `Debug` of the error
/// that `main` returned. Its `Display` names the valid regions.
#[test]
fn an_examples_error_is_said_with_its_display() {
    let output = run_example(
        "update_user",
        &[
            ("PINGONE_REGION", "XX"),
            ("PINGONE_ACCESS_TOKEN", "token"),
            ("PINGONE_ENV_ID", "abfba8f6-49eb-49f5-a5d9-80ad5c98f9f6"),
            ("PINGONE_USER_ID", "a38890a6-295a-4d58-9f6e-b72b05fba379"),
        ],
    )
    .stdin(Stdio::null())
    .output()
    .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.trim_end().ends_with(
            "\n  - unknown PingOne region \"XX\": expected NA, CA, EU, AU, SG or AP (or com, \
             ca, eu, com.au, sg, asia)"
        ),
        "{stderr}"
    );
    assert!(!stderr.contains("UnknownRegion"), "{stderr}");
}

/// Variables half set (a secret alone) were said one per run: `PINGONE_ENV_ID is not set`,
/// then once that was set `neither PINGONE_ACCESS_TOKEN nor PINGONE_CLIENT_ID is set`, then
/// `set PINGONE_API_PATH or PINGONE_REGION`; an environment ID that is no UUID was taken, and
/// each call failed on it; a bearer token beside worker credentials was used without a word.
/// Now every missing, wrong or conflicting variable is said at once, before anything is sent.
#[test]
fn every_missing_or_wrong_variable_is_said_at_once() {
    let (status, _, stderr) = output_of("update_user", &[("PINGONE_CLIENT_SECRET", "secret")], &[]);
    assert_eq!(status, Some(1), "{stderr}");
    for said in [
        "set PINGONE_REGION",
        "PINGONE_ENV_ID is not set",
        "PINGONE_USER_ID is not set",
        "PINGONE_CLIENT_ID is not set, beside PINGONE_CLIENT_SECRET",
    ] {
        assert!(stderr.contains(said), "{said:?} not in {stderr}");
    }
    let (status, _, stderr) = output_of(
        "update_user",
        &[
            ("PINGONE_REGION", "EU"),
            ("PINGONE_ACCESS_TOKEN", "token"),
            ("PINGONE_CLIENT_ID", "worker"),
            ("PINGONE_ENV_ID", "my-env"),
            ("PINGONE_USER_ID", "a38890a6-295a-4d58-9f6e-b72b05fba379"),
        ],
        &[],
    );
    assert_eq!(status, Some(1), "{stderr}");
    for said in [
        "PINGONE_ENV_ID \"my-env\" is not a PingOne ID",
        "both PINGONE_ACCESS_TOKEN and a worker application's PINGONE_CLIENT_ID",
    ] {
        assert!(stderr.contains(said), "{said:?} not in {stderr}");
    }
    assert!(!stderr.contains("PINGONE_USER_ID"), "{stderr}");
}

/// A worker application's credentials with `PINGONE_API_PATH` and neither `PINGONE_REGION`
/// nor `PINGONE_AUTH_PATH`: the token endpoint is unknown. The error named the builder's
/// methods (`ClientBuilder::region`, `auth_base_url`, `token_url`), which a user of the
/// examples does not call; it names the variables that give the auth host.
#[test]
fn worker_credentials_without_an_auth_host_name_the_variables() {
    let output = run_example(
        "update_user",
        &[
            ("PINGONE_API_PATH", "https://api.pingone.eu/v1"),
            ("PINGONE_CLIENT_ID", "worker"),
            ("PINGONE_CLIENT_SECRET", "secret"),
            ("PINGONE_ENV_ID", "abfba8f6-49eb-49f5-a5d9-80ad5c98f9f6"),
            ("PINGONE_USER_ID", "a38890a6-295a-4d58-9f6e-b72b05fba379"),
        ],
    )
    .stdin(Stdio::null())
    .output()
    .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("PINGONE_AUTH_PATH") && stderr.contains("PINGONE_REGION"),
        "{stderr}"
    );
    assert!(!stderr.contains("ClientBuilder"), "{stderr}");
}

/// `PINGONE_API_PATH=http://10.0.0.1:8080/v1` (a gateway, an emulator in another container)
/// was taken, and every call sent the token over the network in clear text. It is refused
/// before anything is sent, naming the variable that allows it, `PINGONE_ALLOW_PLAIN_HTTP=1`,
/// not the builder's method, which a user of the examples does not call. With that variable
/// the URL is taken: the run then fails on its bearer token, which `build()` refuses too, so
/// that nothing is sent here either. The variable alone does not leave the emulator.
/// A worker whose `PINGONE_AUTH_PATH` is plain http to this machine, while `HTTP_PROXY` names
/// a proxy on another machine, through which the client secret would go in clear text: the
/// examples said to set `PINGONE_ALLOW_PLAIN_HTTP=1` alone, where naming the host in
/// `NO_PROXY` is the fix that keeps the secret off the network
/// (`PlainHttpRefusal::through_environment_proxy`).
#[test]
fn plain_http_through_the_environments_proxy_names_no_proxy() {
    let mut command = run_example(
        "update_user",
        &[
            ("PINGONE_API_PATH", "https://api.pingone.eu/v1"),
            ("PINGONE_AUTH_PATH", "http://127.0.0.1:9"),
            ("PINGONE_CLIENT_ID", "worker"),
            ("PINGONE_CLIENT_SECRET", "s3cret"),
            ("PINGONE_ENV_ID", "abfba8f6-49eb-49f5-a5d9-80ad5c98f9f6"),
            ("PINGONE_USER_ID", "a38890a6-295a-4d58-9f6e-b72b05fba379"),
            ("HTTP_PROXY", "http://proxy.example:3128"),
        ],
    );
    for variable in [
        "http_proxy",
        "ALL_PROXY",
        "all_proxy",
        "NO_PROXY",
        "no_proxy",
        "REQUEST_METHOD",
    ] {
        command.env_remove(variable);
    }
    let output = command.stdin(Stdio::null()).output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("the environment's proxy")
            && stderr.contains("name its host in NO_PROXY")
            && stderr.contains("PINGONE_ALLOW_PLAIN_HTTP=1")
            && !stderr.contains("allow_plain_http"),
        "{stderr}"
    );
}

/// The README's table: `PINGONE_ALLOW_PLAIN_HTTP` is `1` or `true` in any case; unset, `0` or
/// `false` refuse such a URL, and another value is refused itself.
#[test]
fn plain_http_to_another_machine_names_the_variable_that_allows_it() {
    let target = |token: &'static str, allow: Option<&'static str>| {
        let mut variables = vec![
            ("PINGONE_API_PATH", "http://10.0.0.1:8080/v1"),
            ("PINGONE_ACCESS_TOKEN", token),
            ("PINGONE_ENV_ID", "abfba8f6-49eb-49f5-a5d9-80ad5c98f9f6"),
            ("PINGONE_USER_ID", "a38890a6-295a-4d58-9f6e-b72b05fba379"),
        ];
        variables.extend(allow.map(|value| ("PINGONE_ALLOW_PLAIN_HTTP", value)));
        output_of("update_user", &variables, &[])
    };
    for allow in [None, Some("0"), Some("False")] {
        let (status, _, stderr) = target("token", allow);
        assert_eq!(status, Some(1), "{allow:?}: {stderr}");
        assert!(
            stderr.contains("\"http://10.0.0.1:8080/v1\" is plain http to another machine")
                && stderr.contains("PINGONE_ALLOW_PLAIN_HTTP=1")
                && !stderr.contains("allow_plain_http"),
            "{allow:?}: {stderr}"
        );
    }
    for allow in ["1", "TRUE"] {
        let (status, _, stderr) = target("not a token", Some(allow));
        assert_eq!(status, Some(1), "{stderr}");
        assert!(
            stderr.contains("bearer token") && !stderr.contains("plain http"),
            "{allow}: {stderr}"
        );
    }
    let (status, _, stderr) = target("token", Some("yes please"));
    assert_eq!(status, Some(1), "{stderr}");
    assert!(
        stderr.contains("PINGONE_ALLOW_PLAIN_HTTP \"yes please\" is neither 1"),
        "{stderr}"
    );
    let (status, _, stderr) = output_of("update_user", &[("PINGONE_ALLOW_PLAIN_HTTP", "1")], &[]);
    assert_eq!(status, Some(0), "{stderr}");
    assert!(stderr.contains("embedded emulator"), "{stderr}");
}

/// The README's "Running against real PingOne": `update_user` uses the emulator when no
/// `PINGONE_*` variable is set but `PINGONE_USER_IMAGE` (which it then sends) and
/// `PINGONE_ALLOW_PLAIN_HTTP`; any other one, even one that it does not read, means PingOne.
#[test]
fn update_user_uses_the_emulator_unless_another_pingone_variable_is_set() {
    let image = "https://example.com/offline.png";
    let (status, stdout, stderr) = output_of(
        "update_user",
        &[
            ("PINGONE_USER_IMAGE", image),
            ("PINGONE_ALLOW_PLAIN_HTTP", "0"),
        ],
        &[],
    );
    assert_eq!(status, Some(0), "{stderr}");
    assert!(stderr.contains("using the embedded emulator"), "{stderr}");
    assert!(
        stdout.contains(&format!("photo.href is now {image}\n")),
        "{stdout}"
    );
    let (status, _, stderr) = output_of(
        "update_user",
        &[("PINGONE_USER_IMAGE", image), ("PINGONE_ENVIRONMENT", "x")],
        &[],
    );
    assert_eq!(status, Some(1), "{stderr}");
    assert!(
        !stderr.contains("using the embedded emulator") && stderr.contains("set PINGONE_REGION"),
        "{stderr}"
    );
}

/// The README's "Running against real PingOne" says which examples follow the `PINGONE_*`
/// variables (and so change real users when they are set) and which always run offline. It
/// said that `clear_attribute`, `get_diff_update` and `sync_users` "run offline", yet with the
/// variables set they go to PingOne: `clear_attribute` then clears the user's nickname and
/// family name. Each example runs here with the variables of a client that `build()`
/// refuses (a bearer token with a space), so that one that follows them fails before it
/// sends anything, and one that runs offline succeeds.
#[test]
fn the_readme_says_which_examples_follow_the_pingone_variables() {
    let readme = include_str!("../README.md");
    let end = readme
        .find("`.ci/run` runs every example")
        .expect("the README's paragraph on the other examples");
    let paragraph = &readme[readme[..end].rfind("\n\n").unwrap() + 2..end];
    // The sentences that name an example.
    let naming = |name: &str| -> Vec<&str> {
        let quoted = format!("`{name}`");
        paragraph
            .split(". ")
            .filter(|sentence| sentence.contains(&quoted))
            .collect()
    };
    let variables = [
        ("PINGONE_API_PATH", "http://127.0.0.1:9/v1"),
        ("PINGONE_ACCESS_TOKEN", "not a token"),
        ("PINGONE_ENV_ID", "abfba8f6-49eb-49f5-a5d9-80ad5c98f9f6"),
        ("PINGONE_USER_ID", "a38890a6-295a-4d58-9f6e-b72b05fba379"),
    ];
    // `sync_users` is built by `cargo test` as a test of its own (`test = true`), not as the
    // program this runs: its sentence is checked alone. It takes its client from
    // `support::pingone()`, as the examples run here do.
    let sync_users = naming("sync_users");
    assert!(
        !sync_users.is_empty()
            && sync_users
                .iter()
                .all(|s| s.contains("follow the same variables")),
        "sync_users follows the PINGONE_* variables, which the README must say: {paragraph}"
    );
    assert!(include_str!("../examples/sync_users/main.rs").contains("match support::pingone()?"));
    for name in EXAMPLES {
        if name == "update_user" {
            continue;
        }
        let sentences = naming(name);
        let output = run_example(name, &variables)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        if output.status.success() {
            assert!(
                !sentences.is_empty()
                    && sentences
                        .iter()
                        .all(|s| s.contains("run offline") && !s.contains("follow")),
                "{name} runs offline with the variables set, which the README must say: {paragraph}"
            );
        } else {
            assert!(
                stderr.contains("bearer token"),
                "{name} failed otherwise than on the variables' token: {stderr}"
            );
            assert!(
                !sentences.is_empty()
                    && sentences
                        .iter()
                        .all(|s| s.contains("follow the same variables")),
                "{name} follows the PINGONE_* variables, which the README must say: {paragraph}"
            );
        }
    }
}

/// `update_many_users` ends with "2 failed" and exits 0: the two failures are the IDs it adds
/// on purpose (an unknown user, an invalid ID), which its last line now says, and any other
/// count of failures is an error of the example (exit 1).
#[test]
fn update_many_users_says_its_failures_are_the_intended_ones() {
    let output = run_example("update_many_users", &[])
        .stdin(Stdio::null())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(0), "{stdout}");
    let last = stdout.lines().last().unwrap_or_default();
    assert!(
        last.starts_with(
            "2 failed (expected: 2, the unknown user and the invalid ID added on purpose)"
        ),
        "{last}"
    );
}

/// The examples other than `sync_users` take no arguments, and ran their scenario whatever
/// they were given: `find_and_update --help` or `find_and_update my-feed.csv` ran the
/// built-in feed and exited 0, so that a user's file was silently not read. `--help` now says
/// that they take none (status 0), and any other argument is a usage error (status 2) that
/// points to `sync_users`.
#[test]
fn the_examples_say_that_they_take_no_arguments() {
    for name in EXAMPLES {
        let (status, stdout, _) = output_of(name, &[], &["--help"]);
        assert_eq!(status, Some(0), "{name}: {stdout}");
        assert!(
            stdout.starts_with("this example takes no arguments"),
            "{name}: {stdout}"
        );
        let (status, stdout, stderr) = output_of(name, &[], &["my-feed.csv"]);
        assert_eq!(status, Some(2), "{name}: {stderr}");
        assert!(
            stderr.contains("sync_users") && stderr.contains("(given: my-feed.csv)"),
            "{name}: {stderr}"
        );
        assert!(stdout.is_empty(), "{name} ran its scenario");
    }
}

/// `sync_users feed.jsonl --report r.jsonl 2>&1 | tee run.log`, and a Ctrl-C that stops `tee`
/// with it: both outputs closed. The tool's next message on standard error panicked (status
/// 101), ending the run at once, its lines in flight (their PATCHes sent) without their
/// outcomes in the report. Now a closed standard error drops the messages: the run stops as
/// on a closed standard output (no new line; those in flight finish and are recorded) and
/// exits 2.
#[cfg(unix)]
#[test]
fn sync_users_records_its_lines_in_flight_when_both_outputs_are_closed() {
    let dir = std::env::temp_dir().join(format!("sync-users-closed-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let feed = dir.join("feed.jsonl");
    let report = dir.join("report.jsonl");
    let lines: Vec<String> = (1..=40)
        .map(|n| format!(r#"{{"username": "user{n:03}", "title": "Closed"}}"#))
        .collect();
    std::fs::write(&feed, lines.join("\n")).unwrap();
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    let status = run_example("sync_users", &[])
        .args([
            feed.to_str().unwrap(),
            "--report",
            report.to_str().unwrap(),
            "--rate",
            "100",
        ])
        .stdin(Stdio::null())
        .stdout(writer.try_clone().unwrap())
        .stderr(writer)
        .status()
        .unwrap();
    let recorded = std::fs::read_to_string(&report).unwrap_or_default();
    std::fs::remove_dir_all(&dir).unwrap();
    assert_eq!(status.code(), Some(2), "{recorded}");
    let outcomes: Vec<serde_json::Value> = recorded
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect();
    // The lines in flight when the output closed (the first outcome), each recorded.
    assert!(!outcomes.is_empty() && outcomes.len() < 40, "{recorded}");
    assert!(
        outcomes
            .iter()
            .all(|outcome| outcome["status"] == "changed"),
        "{recorded}"
    );
}

/// A run stopped early (here by its closed output) says how many of its lines got no
/// outcome, beside how many did: "stopped ... after 8 lines" left the rest of the feed
/// unaccounted for.
#[cfg(unix)]
#[test]
fn a_stopped_sync_users_run_says_how_many_lines_got_no_outcome() {
    let dir = std::env::temp_dir().join(format!("sync-users-stopped-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let feed = dir.join("feed.jsonl");
    let lines: Vec<String> = (1..=40)
        .map(|n| format!(r#"{{"username": "user{n:03}", "title": "Stopped"}}"#))
        .collect();
    std::fs::write(&feed, lines.join("\n")).unwrap();
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    let output = run_example("sync_users", &[])
        .args([feed.to_str().unwrap(), "--rate", "100"])
        .stdin(Stdio::null())
        .stdout(writer)
        .stderr(Stdio::piped())
        .output()
        .unwrap();
    std::fs::remove_dir_all(&dir).unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    let said = stderr
        .lines()
        .find_map(|line| line.split_once(": stopped as its output closed after "))
        .map(|(_, said)| said.to_owned())
        .unwrap_or_else(|| panic!("{stderr}"));
    let (handled, rest) = said
        .split_once(" of 40 lines, ")
        .unwrap_or_else(|| panic!("{said}"));
    let handled: usize = handled.parse().unwrap();
    let without: usize = rest
        .split_whitespace()
        .next()
        .and_then(|count| count.parse().ok())
        .unwrap_or_else(|| panic!("{said}"));
    assert_eq!(handled + without, 40, "{said}");
    assert!(
        rest.starts_with(&format!("{without} without an outcome")),
        "{said}"
    );
}

/// The main job (issue 3, "The main job"): with no `PINGONE_*` variable, `update_user` starts
/// the emulator, sends the reference request (the `photo.href` change), and prints the request
/// line, the JSON body it sent and the updated user it got back.
#[test]
fn update_user_prints_the_body_it_sent_and_the_user_it_got_back() {
    let (status, stdout, stderr) = output_of("update_user", &[], &[]);
    assert_eq!(status, Some(0), "{stderr}");
    let href = "https://uploads.pingone.com/environments/abfba8f6-49eb-49f5-a5d9-80ad5c98f9f6/images/new-photo.png";
    let mut lines = stdout.lines();
    let request = lines.next().unwrap_or_default();
    assert!(
        request.starts_with("PATCH http://127.0.0.1:")
            && request.ends_with(
                "/v1/environments/abfba8f6-49eb-49f5-a5d9-80ad5c98f9f6/users/a38890a6-295a-4d58-9f6e-b72b05fba379"
            ),
        "{stdout}"
    );
    assert_eq!(
        lines.next(),
        Some("Content-Type: application/json"),
        "{stdout}"
    );
    // The body sent, then the user returned, each as pretty JSON.
    let (body, rest) = stdout
        .split_once("The user PingOne returned:")
        .unwrap_or_else(|| panic!("{stdout}"));
    let body: serde_json::Value = serde_json::from_str(
        body.split_once("Content-Type: application/json")
            .unwrap_or_else(|| panic!("{stdout}"))
            .1,
    )
    .unwrap();
    assert_eq!(body, serde_json::json!({"photo": {"href": href}}));
    let (user, rest) = rest
        .split_once("photo.href is now ")
        .unwrap_or_else(|| panic!("{stdout}"));
    let user: serde_json::Value = serde_json::from_str(user).unwrap();
    assert_eq!(user["photo"]["href"], href, "{user:#}");
    // The rest of the reference user is there, unchanged.
    assert_eq!(
        user["id"], "a38890a6-295a-4d58-9f6e-b72b05fba379",
        "{user:#}"
    );
    assert_eq!(user["username"], "dspanner", "{user:#}");
    let (now, updated_at) = rest.split_once('\n').unwrap_or_else(|| panic!("{stdout}"));
    assert_eq!(now, href, "{stdout}");
    assert_eq!(
        updated_at.trim_end(),
        format!("updatedAt is now {}", user["updatedAt"].as_str().unwrap()),
        "{stdout}"
    );
}

/// `sync_users` exits 1 when any line failed (issue 10: "Exit non-zero when any user
/// failed"; here a line whose user is not found), in a run and in a dry run, and 0 when none
/// did.
#[test]
fn sync_users_exits_non_zero_when_a_line_failed() {
    let dir = std::env::temp_dir().join(format!("sync-users-exit-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let good = dir.join("good.jsonl");
    let failing = dir.join("failing.jsonl");
    std::fs::write(&good, "{\"username\": \"user001\", \"title\": \"Exit\"}\n").unwrap();
    std::fs::write(
        &failing,
        "{\"username\": \"user002\", \"title\": \"Exit\"}\n{\"username\": \"nobody\", \"title\": \"Exit\"}\n",
    )
    .unwrap();
    let status_of = |feed: &std::path::Path, dry_run: bool| {
        let mut arguments = vec![feed.to_str().unwrap()];
        if dry_run {
            arguments.push("--dry-run");
        }
        let (status, stdout, stderr) = output_of("sync_users", &[], &arguments);
        (status, format!("{stdout}{stderr}"))
    };
    let outcomes = [
        (status_of(&good, true), Some(0)),
        (status_of(&good, false), Some(0)),
        (status_of(&failing, true), Some(1)),
        (status_of(&failing, false), Some(1)),
    ];
    std::fs::remove_dir_all(&dir).unwrap();
    for ((status, output), expected) in outcomes {
        assert_eq!(status, expected, "{output}");
    }
}

/// The main job against a server that the `PINGONE_*` variables name (issue 3: "With
/// `PINGONE_API_PATH` (or a region), a token or worker credentials, `PINGONE_ENV_ID` and
/// `PINGONE_USER_ID` set, it does the same against real PingOne"), here an emulator of this
/// test's own standing in for PingOne: with a bearer token, then with a worker's credentials
/// and its auth host; the user that the variables name gets the new `photo.href`, and nothing
/// runs against an emulator of the example's own.
#[test]
fn update_user_follows_the_pingone_variables_with_a_token_or_a_worker() {
    use sparse_patch::pingone::emulator::Emulator;
    let emulator = Emulator::start().unwrap();
    let api = emulator.api_base_url().to_owned();
    let auth = emulator.auth_base_url().to_owned();
    let (env, user) = (emulator.environment_id(), emulator.user_id());
    let token = emulator.token().to_owned();
    let (id, secret) = (emulator.client_id(), emulator.client_secret());
    let common = [
        ("PINGONE_API_PATH", api.as_str()),
        ("PINGONE_ENV_ID", env),
        ("PINGONE_USER_ID", user),
    ];
    let bearer = [("PINGONE_ACCESS_TOKEN", token.as_str())];
    let worker = [
        ("PINGONE_CLIENT_ID", id),
        ("PINGONE_CLIENT_SECRET", secret),
        ("PINGONE_AUTH_PATH", auth.as_str()),
    ];
    let credentials: [&[(&str, &str)]; 2] = [&bearer, &worker];
    for (n, credentials) in credentials.into_iter().enumerate() {
        let image = format!("https://example.com/variables-{n}.png");
        let mut variables = common.to_vec();
        variables.extend_from_slice(credentials);
        variables.push(("PINGONE_USER_IMAGE", &image));
        let (status, stdout, stderr) = output_of("update_user", &variables, &[]);
        assert_eq!(status, Some(0), "{stderr}");
        assert_eq!(
            stdout.lines().next(),
            Some(format!("PATCH {api}/environments/{env}/users/{user}").as_str()),
            "{stdout}"
        );
        assert!(
            stdout.contains(&format!("photo.href is now {image}\n")),
            "{stdout}"
        );
        assert_eq!(
            emulator.user(user).unwrap()["photo"]["href"],
            image.as_str()
        );
    }
}

/// `openapi` prints the OpenAPI document of a service that accepts `PATCH /users/{id}` with
/// `pingone::UserPatch` (issue 12: "An example, `openapi`, prints the OpenAPI document"): an
/// OpenAPI 3.1 document whose body is the patch's schema, with its nested patches beside it.
#[test]
fn openapi_prints_the_document_of_a_patch_users_service() {
    let (status, stdout, stderr) = output_of("openapi", &[], &[]);
    assert_eq!(status, Some(0), "{stderr}");
    let document: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(document["openapi"], "3.1.0");
    let operation = &document["paths"]["/users/{id}"]["patch"];
    for content in ["application/merge-patch+json", "application/json"] {
        assert_eq!(
            operation["requestBody"]["content"][content]["schema"],
            serde_json::json!({"$ref": "#/components/schemas/UserPatch"}),
            "{content}"
        );
    }
    let schemas = &document["components"]["schemas"];
    let user = &schemas["UserPatch"];
    assert_eq!(user["type"], "object", "{user:#}");
    assert_eq!(
        user.get("required"),
        None,
        "no attribute of a patch is required"
    );
    assert_eq!(
        user["properties"]["photo"]["anyOf"][0],
        serde_json::json!({"$ref": "#/components/schemas/PhotoPatch"}),
        "{user:#}"
    );
    for nested in ["NamePatch", "AddressPatch", "PhotoPatch"] {
        assert_eq!(schemas[nested]["type"], "object", "{nested}");
    }
}

/// A PingOne worker application takes the one token endpoint authentication method its
/// `tokenEndpointAuthMethod` names, and answers the other 401 `invalid_client`
/// ("Unsupported authentication method"); the Go SDK's token comes through
/// `golang.org/x/oauth2`'s `AuthStyleAutoDetect`, which tries both (`pingone/client.go` of
/// `patrickcping/pingone-go-sdk-v2`). The examples sent HTTP Basic alone: a worker set to
/// `CLIENT_SECRET_POST` could not be used with them. `PINGONE_CLIENT_AUTH_METHOD=post` sends
/// the secret in the form; a value that is neither is said with the other faults. The README's
/// `PINGONE_CLIENT_ENV_ID`: the worker's token comes from that environment, else from
/// `PINGONE_ENV_ID`'s.
#[test]
fn a_worker_whose_method_is_client_secret_post_is_served() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let server = runtime.block_on(wiremock::MockServer::start());
    let variables = |method: &'static str| {
        vec![
            ("PINGONE_API_PATH", format!("{}/v1", server.uri())),
            ("PINGONE_AUTH_PATH", server.uri()),
            ("PINGONE_CLIENT_ID", "worker".to_owned()),
            ("PINGONE_CLIENT_SECRET", "s3cret".to_owned()),
            ("PINGONE_CLIENT_AUTH_METHOD", method.to_owned()),
            (
                "PINGONE_ENV_ID",
                "abfba8f6-49eb-49f5-a5d9-80ad5c98f9f6".to_owned(),
            ),
            (
                "PINGONE_USER_ID",
                "a38890a6-295a-4d58-9f6e-b72b05fba379".to_owned(),
            ),
        ]
    };
    let run = |method: &'static str| {
        let variables = variables(method);
        let borrowed: Vec<(&str, &str)> = variables
            .iter()
            .map(|(name, value)| (*name, value.as_str()))
            .collect();
        output_of("update_user", &borrowed, &[])
    };
    let (status, _, stderr) = run("form");
    assert_eq!(status, Some(1), "{stderr}");
    assert!(
        stderr.contains("PINGONE_CLIENT_AUTH_METHOD \"form\" is neither basic"),
        "{stderr}"
    );
    assert!(
        runtime
            .block_on(server.received_requests())
            .unwrap()
            .is_empty()
    );
    // In any case, and with the spaces around it that a `.env` file may leave.
    for method in ["post", "CLIENT_SECRET_POST", " post "] {
        runtime.block_on(server.reset());
        let _ = run(method);
        let requests = runtime.block_on(server.received_requests()).unwrap();
        let token_request = requests
            .iter()
            .find(|request| request.url.path().ends_with("/as/token"))
            .expect("a token request");
        let body = String::from_utf8_lossy(&token_request.body);
        assert!(body.contains("client_secret=s3cret"), "{method}: {body}");
        assert!(
            !token_request.headers.contains_key("authorization"),
            "{method}"
        );
        // The worker's environment is `PINGONE_ENV_ID`'s, unless `PINGONE_CLIENT_ENV_ID` is set.
        assert_eq!(
            token_request.url.path(),
            "/abfba8f6-49eb-49f5-a5d9-80ad5c98f9f6/as/token"
        );
    }
    runtime.block_on(server.reset());
    let worker_environment = "5e8a9a04-6b53-4c7c-8a41-0c7f3f2b9d11";
    let mut variables = variables("basic");
    variables.push(("PINGONE_CLIENT_ENV_ID", worker_environment.to_owned()));
    let borrowed: Vec<(&str, &str)> = variables
        .iter()
        .map(|(name, value)| (*name, value.as_str()))
        .collect();
    let _ = output_of("update_user", &borrowed, &[]);
    let paths: Vec<String> = runtime
        .block_on(server.received_requests())
        .unwrap()
        .iter()
        .map(|request| request.url.path().to_owned())
        .collect();
    assert!(
        paths.contains(&format!("/{worker_environment}/as/token")),
        "{paths:?}"
    );
}

/// `sync_users --only-failed` says how many lines it skipped as done once, on standard output
/// after the counts that it completes (review 129's new user: the sentence came on both
/// standard output and standard error, in a terminal twice). The notice at the start, on
/// standard error, points to it.
#[test]
fn sync_users_says_the_lines_it_skipped_once_on_its_output() {
    let dir = std::env::temp_dir().join(format!("sync-users-skipped-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let feed = dir.join("feed.jsonl");
    let (old, new) = (dir.join("old.jsonl"), dir.join("new.jsonl"));
    // Line 1 is done; line 2 fails (not found) and runs again.
    std::fs::write(
        &feed,
        "{\"username\": \"user003\", \"title\": \"Skipped\"}\n{\"username\": \"nobody\", \"title\": \"x\"}\n",
    )
    .unwrap();
    let path = |path: &std::path::Path| path.to_str().unwrap().to_owned();
    let (status, _, stderr) =
        output_of("sync_users", &[], &[&path(&feed), "--report", &path(&old)]);
    assert_eq!(status, Some(1), "{stderr}");
    let (status, stdout, stderr) = output_of(
        "sync_users",
        &[],
        &[
            &path(&feed),
            "--only-failed",
            &path(&old),
            "--report",
            &path(&new),
        ],
    );
    // A report that records no line as done: no line skipped, and nothing said of it
    // (mutation audit: "0 lines skipped" went unnoticed).
    let (failed_feed, failed) = (dir.join("failed.jsonl"), dir.join("failed-report.jsonl"));
    std::fs::write(
        &failed_feed,
        "{\"username\": \"nobody\", \"title\": \"x\"}\n",
    )
    .unwrap();
    let (_, _, first_stderr) = output_of(
        "sync_users",
        &[],
        &[&path(&failed_feed), "--report", &path(&failed)],
    );
    let (none_status, none_stdout, none_stderr) = output_of(
        "sync_users",
        &[],
        &[&path(&failed_feed), "--only-failed", &path(&failed)],
    );
    std::fs::remove_dir_all(&dir).unwrap();
    assert_eq!(none_status, Some(1), "{first_stderr}{none_stderr}");
    // (The temporary directory's name holds "skipped" too.)
    assert!(!none_stdout.contains(" skipped: done in"), "{none_stdout}");
    assert!(
        !none_stderr.contains("lines done are skipped"),
        "{none_stderr}"
    );
    assert_eq!(status, Some(1), "{stderr}");
    let sentence = "1 line skipped: done in";
    assert_eq!(stdout.matches(sentence).count(), 1, "{stdout}");
    assert!(!stderr.contains(sentence), "{stderr}");
    assert!(
        stderr.contains("(the lines done are skipped: see after the counts)"),
        "{stderr}"
    );
}
