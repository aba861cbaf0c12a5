//! The examples on a closed output (`cargo run --example update_user | head -1`): each stops
//! quietly with status 141, as a program stopped by `SIGPIPE` does, instead of panicking in
//! `println!` (exit 101, "failed printing to stdout: Broken pipe").
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

#[cfg(unix)]
#[test]
fn every_example_stops_quietly_on_a_closed_output() {
    for name in EXAMPLES {
        let (reader, writer) = std::io::pipe().unwrap();
        // Closed before the example writes its first line.
        drop(reader);
        let mut command = Command::new(example(name));
        for (variable, _) in std::env::vars() {
            if variable.starts_with("PINGONE_") {
                // Offline, against the embedded emulator.
                command.env_remove(variable);
            }
        }
        let output = command
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
