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

/// rustdoc's own element IDs (`is_default_id` in rust-lang/rust's
/// `src/librustdoc/html/markdown.rs`): a heading of the crate's documentation (the README,
/// included by `src/lib.rs`) whose slug is one of them gets another ID, `layout-1`, so that a
/// link to `#layout` led nowhere on docs.rs while it worked on GitHub.
const RUSTDOC_IDS: [&str; 45] = [
    "help",
    "settings",
    "not-displayed",
    "alternative-display",
    "search",
    "crate-search",
    "crate-search-div",
    "themeStyle",
    "settings-menu",
    "help-button",
    "sidebar-button",
    "main-content",
    "toggle-all-docs",
    "all-types",
    "default-settings",
    "sidebar-vars",
    "copy-path",
    "rustdoc-toc",
    "rustdoc-modnav",
    "fields",
    "variants",
    "implementors-list",
    "synthetic-implementors-list",
    "foreign-impls",
    "implementations",
    "trait-implementations",
    "synthetic-implementations",
    "blanket-implementations",
    "required-associated-types",
    "provided-associated-types",
    "provided-associated-consts",
    "required-associated-consts",
    "required-methods",
    "provided-methods",
    "dyn-compatibility",
    "implementors",
    "synthetic-implementors",
    "implementations-list",
    "trait-implementations-list",
    "synthetic-implementations-list",
    "blanket-implementations-list",
    "deref-methods",
    "layout",
    "aliased-type",
    "main",
];

/// A heading's ID as GitHub and rustdoc make it: lower case, spaces as `-`, punctuation
/// (backticks, colons, parentheses, commas) dropped.
fn heading_id(heading: &str) -> String {
    heading
        .chars()
        .filter_map(|c| match c {
            ' ' => Some('-'),
            c if c.is_alphanumeric() || c == '-' || c == '_' => Some(c.to_ascii_lowercase()),
            _ => None,
        })
        .collect()
}

/// Every link of the README to one of its own sections (`[layout](#layout)`) names a heading
/// by the ID that both GitHub and docs.rs give it.
#[test]
fn the_readmes_links_to_its_sections_lead_to_them_on_github_and_docs_rs() {
    let readme = read(Path::new("README.md"));
    let mut in_code = false;
    let mut ids = Vec::new();
    for line in readme.lines() {
        if line.starts_with("```") {
            in_code = !in_code;
        } else if !in_code && line.starts_with('#') {
            let heading = line.trim_start_matches('#').trim();
            ids.push(heading_id(heading));
        }
    }
    let links: Vec<&str> = readme
        .split("](#")
        .skip(1)
        .filter_map(|rest| rest.split(')').next())
        .collect();
    assert!(links.len() > 10, "{links:?}");
    for link in links {
        assert!(
            ids.iter().any(|id| id == link),
            "no heading has the ID #{link}: {ids:?}"
        );
        assert!(
            !RUSTDOC_IDS.contains(&link),
            "#{link} is an ID of rustdoc's own: on docs.rs the heading is #{link}-1 and the link leads nowhere; rename the heading"
        );
    }
}
