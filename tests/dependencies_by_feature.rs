//! Which crates each feature brings into a user's build: `default-features = false` brings no
//! HTTP stack and no schema crate (issues 2 and 12), as the README says with its counts.

use std::path::Path;

/// The crates (names, each once) of the facade's normal build with `features`, as `cargo tree`
/// lists them from `Cargo.lock` (offline: the test build has fetched them already).
fn crates_built_with(features: &[&str]) -> std::collections::BTreeSet<String> {
    let mut cargo = std::process::Command::new(env!("CARGO"));
    cargo
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["tree", "--offline", "--quiet", "-p", "sparse-patch"])
        .args(["-e", "normal", "--prefix", "none", "--no-default-features"]);
    if !features.is_empty() {
        cargo.args(["--features", &features.join(",")]);
    }
    let output = cargo.output().unwrap();
    assert!(
        output.status.success(),
        "cargo tree: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .filter_map(|line| line.split_whitespace().next())
        .map(str::to_owned)
        .collect()
}

/// Issue 2: "Nothing in this issue may pull in an HTTP stack"; issue 12: "A user who enables
/// neither feature pays nothing: no dependency"; the README: `default-features = false` builds
/// "about 15 crates in the build instead of 115: no reqwest, tokio or rustls". The numbers
/// that the README gives are held within a fifth of the real counts.
#[test]
fn without_default_features_the_build_holds_no_http_stack_and_no_schema_crate() {
    let alone = crates_built_with(&[]);
    let with_client = crates_built_with(&["client"]);
    for (absent, features) in [
        ("reqwest", ""),
        ("tokio", ""),
        ("rustls", ""),
        ("hyper", ""),
        ("axum", ""),
        ("governor", ""),
        ("tracing", ""),
        ("schemars", " (feature `schemars`)"),
        ("indexmap", " (feature `indexmap`)"),
    ] {
        assert!(
            !alone.contains(absent),
            "`default-features = false` builds {absent}{features}: {alone:?}"
        );
    }
    for present in ["reqwest", "tokio", "rustls"] {
        assert!(with_client.contains(present), "{with_client:?}");
    }
    let schemars = crates_built_with(&["schemars"]);
    assert!(schemars.contains("schemars") && !schemars.contains("reqwest"));

    let readme =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    let said = readme
        .split_once("(about")
        .and_then(|(_, rest)| rest.split_once(": no reqwest"))
        .map(|(said, _)| said.split_whitespace().collect::<Vec<_>>())
        .expect("the README's count of crates without default features");
    let number = |word: &str| word.parse::<usize>().unwrap_or_else(|_| panic!("{said:?}"));
    let (few, many) = match said.as_slice() {
        [few, "crates", "in", "the", "build", "instead", "of", many] => (number(few), number(many)),
        _ => panic!("{said:?}"),
    };
    for (said, counted, build) in [
        (few, alone.len(), "without"),
        (many, with_client.len(), "with"),
    ] {
        assert!(
            counted.abs_diff(said) * 5 <= said,
            "the README says {said} crates {build} the default features, cargo tree lists {counted}"
        );
    }
}

/// governor is built without its `std` feature: the client's limiter counts and waits on
/// tokio's clock (`runtime/src/pingone/transport/rate_limit.rs`), the emulator's counts on
/// `std::time::Instant` (`runtime/src/pingone/emulator/faults.rs`), and neither uses
/// governor's standard clock or its `until_ready`. `std` brought futures-timer (a timer
/// thread of its own), futures-sink and parking_lot (with parking_lot_core), which nothing
/// else in the build needs.
#[test]
fn the_rate_limits_bring_no_timer_thread_and_no_lock_crate() {
    let built = crates_built_with(&["client", "emulator"]);
    assert!(built.contains("governor"), "{built:?}");
    for absent in [
        "futures-timer",
        "futures-sink",
        "parking_lot",
        "parking_lot_core",
    ] {
        assert!(
            !built.contains(absent),
            "the client and the emulator build {absent} (governor's `std` feature?): {built:?}"
        );
    }
}
