//! Which crates each feature brings into a user's build: `default-features = false` brings no
//! HTTP stack and no schema crate (issues 2 and 12), as the README says with its counts.

use std::path::Path;

/// What `cargo tree -e {edges}` lists, one item a line without a prefix, for the facade
/// built with `features` alone (no default features), offline (the test build has fetched
/// the crates already).
fn cargo_tree(edges: &str, features: &[&str]) -> String {
    let mut cargo = std::process::Command::new(env!("CARGO"));
    cargo
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["tree", "--offline", "--quiet", "-p", "sparse-patch"])
        .args(["-e", edges, "--prefix", "none", "--no-default-features"]);
    if !features.is_empty() {
        cargo.args(["--features", &features.join(",")]);
    }
    let output = cargo.output().unwrap();
    assert!(
        output.status.success(),
        "cargo tree: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// The crates (names, each once) of the facade's normal build with `features`, as `cargo tree`
/// lists them from `Cargo.lock` (offline: the test build has fetched them already).
fn crates_built_with(features: &[&str]) -> std::collections::BTreeSet<String> {
    cargo_tree("normal", features)
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

/// The features of the dependencies in the facade's normal build with `features`, as
/// `cargo tree -e features` names them (`reqwest feature "json"`), each once.
fn dependency_features_with(features: &[&str]) -> std::collections::BTreeSet<String> {
    cargo_tree("normal,features", features)
        .lines()
        .filter(|line| line.contains(" feature \""))
        .map(|line| line.trim_end_matches(" (*)").to_owned())
        .collect()
}

/// Features that the runtime's code does not use and that nothing else in the build turns on
/// stay off (review 161): reqwest's `json` (the client writes and reads its bodies with
/// serde_json; only the tests' raw requests use `Response::json`), thiserror's `std` and
/// governor's `std` (with it, governor's own clock and timer thread).
#[test]
fn the_client_and_the_emulator_turn_on_no_feature_they_do_not_use() {
    let built = dependency_features_with(&["client", "emulator"]);
    assert!(
        built.contains("reqwest feature \"rustls-no-provider\""),
        "{built:#?}"
    );
    for unused in [
        "reqwest feature \"json\"",
        "thiserror feature \"std\"",
        "governor feature \"std\"",
    ] {
        assert!(
            !built.contains(unused),
            "the build turns on {unused}: {built:#?}"
        );
    }
}

/// The features of the published crates are the documented ones: an optional dependency
/// named only as `tokio/rt` (not `dep:tokio`) made a public feature `tokio` of its own, which
/// turned tokio on with no runtime, timer or channel.
#[test]
fn the_published_crates_have_no_feature_named_after_an_optional_dependency() {
    let output = std::process::Command::new(env!("CARGO"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args([
            "metadata",
            "--offline",
            "--format-version",
            "1",
            "--no-deps",
        ])
        .output()
        .unwrap();
    assert!(output.status.success());
    let metadata: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    for package in metadata["packages"].as_array().unwrap() {
        let name = package["name"].as_str().unwrap();
        let mut features: Vec<&str> = package["features"]
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        features.sort_unstable();
        let expected: &[&str] = match name {
            "sparse-patch" | "sparse-patch-runtime" => {
                &["client", "default", "emulator", "indexmap", "schemars"]
            }
            _ => &[],
        };
        assert_eq!(features, expected, "the features of {name}");
    }
}
