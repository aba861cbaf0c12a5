//! What crates.io and docs.rs need of each crate of the workspace (Rust API guidelines
//! C-METADATA): the manifest's fields, a README and the license texts inside each crate's
//! directory (`cargo package` takes nothing from outside it but the readme), and docs.rs marks
//! for the items behind features.

use std::path::Path;

const CRATES: [&str; 3] = [".", "runtime", "macros"];

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|error| panic!("{}: {error}", path.display()))
}

/// The value of `key` in the `[package]` table of a manifest, as written (`x.workspace = true`
/// counts: the workspace gives it).
fn package_key(manifest: &str, key: &str) -> Option<String> {
    let package = manifest
        .split("\n[package]\n")
        .nth(1)
        .or_else(|| manifest.strip_prefix("[package]\n"))?;
    let package = package.split("\n[").next()?;
    package.lines().find_map(|line| {
        let (name, value) = line.split_once('=')?;
        let name = name.trim();
        (name == key || name == format!("{key}.workspace")).then(|| value.trim().to_owned())
    })
}

#[test]
fn every_crate_has_the_metadata_of_crates_io() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for krate in CRATES {
        let dir = root.join(krate);
        let manifest = read(&dir.join("Cargo.toml"));
        for key in [
            "name",
            "description",
            "license",
            "repository",
            "rust-version",
            "readme",
            "keywords",
            "categories",
        ] {
            assert!(
                package_key(&manifest, key).is_some(),
                "{krate}/Cargo.toml has no `{key}`"
            );
        }
        let readme = package_key(&manifest, "readme").unwrap();
        let readme = readme.trim_matches('"');
        assert!(dir.join(readme).is_file(), "{krate}: no {readme}");
        // `MIT OR Apache-2.0`: both texts ship with the crate.
        for license in ["LICENSE-MIT", "LICENSE-APACHE"] {
            let text = read(&dir.join(license));
            assert!(
                text.len() > 500,
                "{krate}/{license} is not the license text"
            );
        }
    }
}

#[test]
fn docs_rs_marks_the_items_behind_features() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for lib in ["src/lib.rs", "runtime/src/lib.rs"] {
        let text = read(&root.join(lib));
        assert!(
            text.contains("#![cfg_attr(docsrs, feature(doc_cfg))]"),
            "{lib}: docs.rs would not say which feature an item needs"
        );
    }
}
