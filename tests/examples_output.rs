//! The examples' output. On a closed output (`cargo run --example update_user | head -1`) each
//! stops quietly with status 141, as a program stopped by `SIGPIPE` does, instead of panicking
//! in `println!` (exit 101, "failed printing to stdout: Broken pipe"); an error is said with
//! its `Display`, not the `Debug` that `main` returning a `Result` shows.
//!
//! The examples are run as `cargo test` built them (`target/debug/examples/`): run this test
//! through `cargo test --workspace --all-features`, which builds every example, not alone.
//! `sync_users` has its own output and its own test of this (`--help` and a run).

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

/// `target/{profile}/examples/{name}`, beside this test's own `target/{profile}/deps/`.
fn example(name: &str) -> PathBuf {
    let test = std::env::current_exe().unwrap();
    let profile = test.parent().and_then(|deps| deps.parent()).unwrap();
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
    assert_eq!(
        stderr.trim_end(),
        "error: unknown PingOne region \"XX\": expected NA, CA, EU, AU, SG or AP (or com, ca, \
         eu, com.au, sg, asia)"
    );
}
