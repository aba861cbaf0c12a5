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

/// The `.rs` files of `path`, a file (`region.rs`) or a folder (`preflight/`) and those under
/// it; none if there is no such path.
fn rust_files(path: &Path) -> Vec<std::path::PathBuf> {
    if path.is_dir() {
        let mut entries: Vec<_> = std::fs::read_dir(path)
            .unwrap()
            .map(|entry| entry.unwrap().path())
            .collect();
        entries.sort();
        entries.iter().flat_map(|entry| rust_files(entry)).collect()
    } else if path.is_file() && path.extension().is_some_and(|extension| extension == "rs") {
        vec![path.to_owned()]
    } else {
        Vec::new()
    }
}

/// The name that a top-level `pub` item of `line` defines (`pub struct Client {`,
/// `pub const MAX_PAGE_SIZE: u32`, `pub fn check_patch<P>(...)`), if it is one.
fn defined_name(line: &str) -> Option<&str> {
    let rest = line.strip_prefix("pub ")?;
    let rest = [
        "struct ", "enum ", "fn ", "const ", "static ", "type ", "trait ",
    ]
    .iter()
    .find_map(|keyword| rest.strip_prefix(keyword))?;
    let end = rest
        .find(|c: char| !(c.is_alphanumeric() || c == '_'))
        .unwrap_or(rest.len());
    Some(&rest[..end])
}

/// The items that `pingone` re-exports from its private modules under `feature = "client"`
/// (`Client`, `Error`, `Region`...) carry `#[cfg(feature = "client")]` themselves. docs.rs
/// documents the `sparse-patch` facade with `--cfg docsrs` for the facade alone, and rustdoc
/// labels an item it re-exports from the runtime with the cfgs of the item and of the public
/// modules above it only: without their own, `Client` and the rest were labelled "Available on
/// crate features client or emulator only" (the `pingone` module's), though the emulator alone
/// has none of them.
#[test]
fn the_client_items_of_pingone_carry_their_feature_for_docs_rs() {
    const CLIENT: &str = "#[cfg(feature = \"client\")]";
    let pingone = Path::new(env!("CARGO_MANIFEST_DIR")).join("runtime/src/pingone");
    let module = read(&pingone.join("mod.rs"));
    let mut checked = Vec::new();
    for block in module.split(&format!("{CLIENT}\npub use ")).skip(1) {
        let statement = &block[..block.find(';').unwrap()];
        let (source, names) = statement.split_once("::").unwrap();
        let mut files = rust_files(&pingone.join(format!("{source}.rs")));
        files.extend(rust_files(&pingone.join(source)));
        let names = names.trim_matches(|c: char| c == '{' || c == '}' || c.is_whitespace());
        for name in names
            .split(',')
            .map(str::trim)
            .filter(|name| !name.is_empty())
        {
            let definition = files.iter().find_map(|file| {
                let text = read(file);
                let lines: Vec<String> = text.lines().map(str::to_owned).collect();
                let at = lines
                    .iter()
                    .position(|line| defined_name(line) == Some(name))?;
                // The doc comment and the attributes above the item.
                let above = lines[..at]
                    .iter()
                    .rev()
                    .take_while(|line| {
                        ["///", "#", " ", ")]"]
                            .iter()
                            .any(|start| line.starts_with(start))
                    })
                    .any(|line| line == CLIENT);
                Some((file.clone(), above))
            });
            let (file, marked) =
                definition.unwrap_or_else(|| panic!("no definition of `{name}` in {files:?}"));
            assert!(
                marked,
                "{}: `{name}` has no {CLIENT} of its own: docs.rs would label it with the `pingone` module's features (client or emulator)",
                file.display()
            );
            checked.push(name.to_owned());
        }
    }
    assert!(
        [
            "Client",
            "ClientBuilder",
            "Error",
            "Region",
            "TokenSource",
            "check_scim_patch"
        ]
        .iter()
        .all(|name| checked.iter().any(|checked| checked == name)),
        "{checked:?}"
    );
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
