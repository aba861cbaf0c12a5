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

/// The documents of the crate: the README (the crate's documentation, `src/lib.rs`) and the
/// guide's chapters, each `docs/NAME/README.md` (the module `sparse_patch::docs::NAME`,
/// `src/docs.rs`), as (folder, text).
fn documents() -> Vec<(std::path::PathBuf, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut documents = vec![(root.to_owned(), read(&root.join("README.md")))];
    let mut chapters: Vec<_> = std::fs::read_dir(root.join("docs"))
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .collect();
    chapters.sort();
    for chapter in chapters {
        let readme = chapter.join("README.md");
        assert!(
            readme.is_file(),
            "{}: a chapter is a folder with its README.md",
            chapter.display()
        );
        documents.push((chapter, read(&readme)));
    }
    documents
}

/// The lines of `text` outside its fenced code blocks.
fn prose_lines(text: &str) -> Vec<&str> {
    let mut in_code = false;
    text.lines()
        .filter(|line| {
            if line.starts_with("```") {
                in_code = !in_code;
                false
            } else {
                !in_code
            }
        })
        .collect()
}

/// The IDs of the headings of `text`.
fn heading_ids(text: &str) -> Vec<String> {
    prose_lines(text)
        .into_iter()
        .filter(|line| line.starts_with('#'))
        .map(|line| heading_id(line.trim_start_matches('#').trim()))
        .collect()
}

/// The targets of the inline Markdown links of `text` (`[text](target)`) outside its code
/// blocks, but for those to other sites.
fn local_link_targets(text: &str) -> Vec<&str> {
    prose_lines(text)
        .into_iter()
        .flat_map(|line| line.split("](").skip(1))
        .filter_map(|rest| rest.split(')').next())
        .filter(|target| !target.contains("://") && !target.starts_with("mailto:"))
        .collect()
}

/// The link reference definitions of `text` (`[label]: target`, one a line), as (label,
/// target).
fn link_definitions(text: &str) -> Vec<(&str, &str)> {
    prose_lines(text)
        .into_iter()
        .filter_map(|line| line.strip_prefix('['))
        .filter_map(|line| line.split_once("]: "))
        .collect()
}

/// The labels of the reference links of `text` (`[text][label]`) outside its code blocks and
/// its code spans (a span that shows the syntax, `` `[text][label]` ``, is no link).
fn reference_link_labels(text: &str) -> Vec<&str> {
    prose_lines(text)
        .into_iter()
        .flat_map(|line| line.split('`').step_by(2))
        .flat_map(|outside_code| outside_code.split("][").skip(1))
        .filter_map(|rest| rest.split(']').next())
        .collect()
}

/// The chapter's folder (`docs/dialects`, or the root for the README) and the fragment that
/// a rustdoc link of `src/guide_links.md` names (`crate::docs::dialects#keyed-arrays`,
/// `crate#guide`).
fn rustdoc_link_target<'a>(
    root: &Path,
    target: &'a str,
) -> Option<(std::path::PathBuf, Option<&'a str>)> {
    let (path, fragment) = match target.split_once('#') {
        Some((path, fragment)) => (path, Some(fragment)),
        None => (target, None),
    };
    let folder = match path.strip_prefix("crate::docs::") {
        Some(chapter) => root.join("docs").join(chapter),
        None if path == "crate" => root.to_owned(),
        None => return None,
    };
    Some((folder, fragment))
}

/// `folder` joined with the relative `path`, its `..` taken out.
fn resolve(folder: &Path, path: &str) -> std::path::PathBuf {
    let mut resolved = folder.to_owned();
    for part in path
        .split('/')
        .filter(|part| !part.is_empty() && *part != ".")
    {
        if part == ".." {
            resolved.pop();
        } else {
            resolved.push(part);
        }
    }
    resolved
}

/// Every link of the README and of the guide's chapters to a section (`[layout](#layout)`),
/// to a chapter (`docs/dialects/`, `../dialects/#keyed-arrays`) or from a chapter to the README
/// (`../../#guide`) leads there on GitHub, on docs.rs and in `cargo doc`'s local HTML. A chapter
/// is linked as its folder: GitHub shows the folder's `README.md`, where a link to
/// `dialects/README.md` would lead nowhere in rustdoc's HTML. The heading is named by the ID
/// that both give it.
///
/// A link to another document is a reference link (`[keyed arrays][apply_and_diff#keyed-arrays]`)
/// whose definition at the end of the file gives GitHub the folder, and whose definition in
/// `src/guide_links.md`, put before each document in rustdoc, gives the module
/// (`crate::docs::apply_and_diff#keyed-arrays`): rustdoc then writes `index.html`, where a folder
/// link in the local HTML of `cargo doc --open` (`file://`, no web server to find a folder's
/// `index.html`) showed a directory listing instead of the chapter.
#[test]
fn the_links_of_the_readme_and_the_guide_lead_to_their_sections_on_github_and_docs_rs() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let documents = documents();
    let ids_of = |folder: &Path| {
        documents
            .iter()
            .find(|(document, _)| document == folder)
            .map(|(_, text)| heading_ids(text))
    };
    let rustdoc_links = read(&root.join("src/guide_links.md"));
    let rustdoc_links = link_definitions(&rustdoc_links);
    let mut checked = 0;
    for (folder, text) in &documents {
        let name = folder.strip_prefix(root).unwrap().join("README.md");
        let name = name.display();
        let definitions = link_definitions(text);
        let mut targets = Vec::new();
        for target in local_link_targets(text) {
            assert!(
                target.starts_with('#'),
                "{name}: `{target}` is an inline link to another document, which `cargo doc`'s local HTML shows as a directory listing: write a reference link whose label src/guide_links.md defines"
            );
            targets.push(target);
        }
        for label in reference_link_labels(text) {
            let github = definitions
                .iter()
                .find(|(defined, _)| *defined == label)
                .unwrap_or_else(|| panic!("{name}: the link label `{label}` has no definition"))
                .1;
            let rustdoc = rustdoc_links
                .iter()
                .find(|(defined, _)| *defined == label)
                .unwrap_or_else(|| {
                    panic!("{name}: src/guide_links.md does not define the link label `{label}`")
                })
                .1;
            let (path, fragment) = github.split_once('#').unwrap_or((github, ""));
            let (module, rustdoc_fragment) = rustdoc_link_target(root, rustdoc)
                .unwrap_or_else(|| panic!("src/guide_links.md: `{rustdoc}` names no chapter"));
            assert_eq!(
                (resolve(folder, path), fragment),
                (module, rustdoc_fragment.unwrap_or("")),
                "{name}: `{label}` leads to `{github}` on GitHub and to `{rustdoc}` in rustdoc"
            );
            targets.push(github);
        }
        for target in targets {
            let (path, fragment) = match target.split_once('#') {
                Some((path, fragment)) => (path, Some(fragment)),
                None => (target, None),
            };
            assert!(
                path.is_empty() || path.ends_with('/'),
                "{name}: `{target}` names a file: link a chapter as its folder (`../dialects/`), which docs.rs has too"
            );
            let linked = resolve(folder, path);
            let ids = ids_of(&linked).unwrap_or_else(|| {
                panic!("{name}: `{target}` leads to no chapter and not to the README")
            });
            if let Some(fragment) = fragment {
                assert!(
                    ids.iter().any(|id| id == fragment),
                    "{name}: `{target}`: no heading has the ID #{fragment}: {ids:?}"
                );
                assert!(
                    !RUSTDOC_IDS.contains(&fragment),
                    "{name}: #{fragment} is an ID of rustdoc's own: on docs.rs the heading is #{fragment}-1 and the link leads nowhere; rename the heading"
                );
            }
            checked += 1;
        }
    }
    assert!(checked > 20, "{checked} links");
}

/// Every chapter of the guide is a module of `sparse_patch::docs` whose documentation is the
/// chapter's file (so docs.rs shows it, its links lead where they do on GitHub, and its Rust
/// examples are doc tests), and the README's "Guide" links it.
#[test]
fn every_chapter_of_the_guide_is_a_module_of_the_crate_and_in_the_readmes_guide() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let modules = read(&root.join("src/docs.rs"));
    let documents = documents();
    let readme = &documents[0].1;
    assert!(
        read(&root.join("src/lib.rs")).contains(
            "#![doc = include_str!(\"guide_links.md\")]\n#![doc = include_str!(\"../README.md\")]"
        ),
        "src/lib.rs does not put the guide's rustdoc links before the README"
    );
    for (folder, _) in &documents[1..] {
        let name = folder.file_name().unwrap().to_str().unwrap();
        assert!(
            modules.contains(&format!(
                "#[doc = include_str!(\"guide_links.md\")]\n#[doc = include_str!(\"../docs/{name}/README.md\")]\npub mod {name} {{}}"
            )),
            "src/docs.rs has no module `{name}` documented by docs/{name}/README.md"
        );
        assert!(
            readme.contains(&format!("[{name}]: docs/{name}/")),
            "the README's Guide does not link docs/{name}/"
        );
    }
    assert!(documents.len() > 10, "{} chapters", documents.len() - 1);
}

/// The README opens with its two commands, the main job and every test, and `.ci/run` runs the
/// same test command, so that what the front page promises is what CI checks.
#[test]
fn the_readme_opens_with_the_two_commands_and_ci_runs_its_test_command() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let readme = read(&root.join("README.md"));
    let first_block = readme
        .split("```")
        .nth(1)
        .expect("the README's first code block");
    let commands: Vec<&str> = first_block
        .lines()
        .skip(1)
        .filter(|line| !line.starts_with('#') && !line.trim().is_empty())
        .collect();
    assert_eq!(
        commands,
        [
            "cargo run --example update_user",
            "cargo test --workspace --all-features"
        ],
        "{first_block}"
    );
    let ci = read(&root.join(".ci/run"));
    assert!(
        ci.lines().any(|line| line == commands[1]),
        ".ci/run does not run the README's test command"
    );
}

/// The README's "Both need only a Rust toolchain (1.88 or newer)" names the workspace's
/// declared `rust-version`, which clippy's `incompatible_msrv` holds the code to.
#[test]
fn the_readmes_toolchain_is_the_declared_rust_version() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let manifest = read(&root.join("Cargo.toml"));
    let declared = manifest
        .lines()
        .find_map(|line| line.strip_prefix("rust-version = "))
        .expect("the workspace's rust-version")
        .trim_matches('"');
    let readme = read(&root.join("README.md"));
    assert!(
        readme.contains(&format!("need only a Rust toolchain ({declared} or newer)")),
        "the README names another toolchain than rust-version {declared}"
    );
}

/// With neither `client` nor `emulator`, rustc's error for `sparse_patch::pingone::...` says
/// that `pingone` is gated behind them ("found an item that was configured out") only if the
/// facade names the module under the runtime's cfg: the glob `pub use sparse_patch_runtime::*`
/// alone left "could not find `pingone` in `sparse_patch`", which names no feature.
#[test]
fn the_facade_names_pingone_under_the_runtimes_cfg() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let runtime = read(&root.join("runtime/src/lib.rs"));
    let lines: Vec<&str> = runtime.lines().collect();
    let at = lines
        .iter()
        .position(|line| *line == "pub mod pingone;")
        .expect("runtime/src/lib.rs: `pub mod pingone;`");
    let cfg = lines[at - 1];
    assert!(cfg.starts_with("#[cfg("), "{cfg}");
    let facade = read(&root.join("src/lib.rs"));
    assert!(
        facade.contains(&format!("{cfg}\npub use sparse_patch_runtime::pingone;")),
        "src/lib.rs: no `{cfg}` `pub use sparse_patch_runtime::pingone;`"
    );
}

/// The intra-doc links of a file of `pingone` that one feature compiles without the other:
/// `(path, line, link)` for each link of a doc comment there (`[..](path)` or a shortcut
/// ``[`path`]``) from `crate::` or `super::` that names one of `names` as a segment. A doc comment of an item
/// marked `#[cfg(feature = "...")]` is not counted (rustdoc sees it only with its feature);
/// a link written under `#[cfg_attr(feature = "...", doc = ...)]` is not a doc comment.
fn doc_links_to(files: &[std::path::PathBuf], names: &[String]) -> Vec<(String, usize, String)> {
    let mut found = Vec::new();
    for file in files {
        let text = read(file);
        let lines: Vec<&str> = text.lines().collect();
        for (at, line) in lines.iter().enumerate() {
            let trimmed = line.trim_start();
            if !(trimmed.starts_with("///") || trimmed.starts_with("//!")) {
                continue;
            }
            let gated = trimmed.starts_with("///")
                && lines[at..]
                    .iter()
                    .map(|line| line.trim_start())
                    .take_while(|line| line.starts_with("///") || line.starts_with("#"))
                    .any(|line| line.starts_with("#[cfg(feature"));
            if gated {
                continue;
            }
            let mut targets = Vec::new();
            for (start, _) in trimmed.match_indices("](") {
                let rest = &trimmed[start + 2..];
                targets.push(&rest[..rest.find(')').unwrap_or(rest.len())]);
            }
            for (start, _) in trimmed.match_indices("[`") {
                let rest = &trimmed[start + 2..];
                if let Some(end) = rest.find("`]")
                    && !rest[end + 2..].starts_with('(')
                {
                    targets.push(&rest[..end]);
                }
            }
            for target in targets {
                let path = target.split('#').next().unwrap_or_default();
                let path = path.split_once('@').map_or(path, |(_, path)| path);
                // A path from the crate or a parent: a bare name is the file's own item or
                // import (the emulator's rules name their own `check_patch`).
                if (path.starts_with("crate::") || path.starts_with("super::"))
                    && path
                        .split("::")
                        .any(|segment| names.iter().any(|name| name == segment))
                {
                    found.push((file.display().to_string(), at + 1, target.to_owned()));
                }
            }
        }
    }
    found
}

/// A user's `cargo doc` builds `sparse-patch` with the user's features: with `emulator` alone,
/// a link from the emulator's docs to the client's `Error::Timeout` was rustdoc's "unresolved
/// link" (nine of them, and one from the client's `ClientBuilder::api_base_url` to the
/// emulator with `client` alone). CI builds the docs with each feature alone (`.ci/run`); this
/// finds such a link in the text.
#[test]
fn the_docs_of_one_pingone_feature_link_no_item_of_the_other_unconditionally() {
    let pingone = Path::new(env!("CARGO_MANIFEST_DIR")).join("runtime/src/pingone");
    let module = read(&pingone.join("mod.rs"));
    // The modules of `mod.rs` that each feature compiles without the other, and the client's
    // public names (`pub use x::{A, B}` and `pub mod x` under `#[cfg(feature = "client")]`).
    let (mut shared, mut client_only) = (rust_files(&pingone.join("model")), Vec::new());
    let mut client_names = Vec::new();
    let lines: Vec<&str> = module.lines().collect();
    for (at, pair) in lines.windows(2).enumerate() {
        let (cfg, item) = (pair[0], pair[1]);
        let module_name = item
            .strip_prefix("mod ")
            .or_else(|| item.strip_prefix("pub mod "))
            .and_then(|rest| rest.strip_suffix(';'));
        let files = |name: &str| {
            let mut files = rust_files(&pingone.join(format!("{name}.rs")));
            files.extend(rust_files(&pingone.join(name)));
            files
        };
        match (cfg, module_name) {
            ("#[cfg(any(feature = \"client\", feature = \"emulator\"))]", Some(name)) => {
                shared.extend(files(name));
            }
            ("#[cfg(feature = \"client\")]", Some(name)) => {
                client_only.extend(files(name));
                if item.starts_with("pub ") {
                    client_names.push(name.to_owned());
                }
            }
            _ => {}
        }
        if cfg == "#[cfg(feature = \"client\")]" && item.starts_with("pub use ") {
            // The statement, over its lines: `pub use x::{\n    A, B,\n};`.
            let statement: String = lines[at + 1..]
                .iter()
                .scan(false, |ended, line| {
                    (!*ended).then(|| {
                        *ended = line.ends_with(';');
                        *line
                    })
                })
                .collect();
            let names = &statement["pub use ".len()..];
            let names = names.split_once("::").map_or(names, |(_, names)| names);
            let names = names.trim_matches(|c: char| "{};".contains(c) || c.is_whitespace());
            client_names.extend(names.split(',').map(|name| name.trim().to_owned()));
        }
    }
    let mut emulator_only = rust_files(&pingone.join("emulator"));
    emulator_only.extend(shared);
    assert!(
        ["Client", "Correlation", "Error", "RetryPolicy", "sync"]
            .iter()
            .all(|name| client_names.iter().any(|found| found == name)),
        "{client_names:?}"
    );
    assert!(client_only.len() > 10 && emulator_only.len() > 10);
    let to_client = doc_links_to(&emulator_only, &client_names);
    let emulator_names = ["emulator".to_owned(), "Emulator".to_owned()];
    let to_emulator = doc_links_to(&client_only, &emulator_names);
    assert!(
        to_client.is_empty() && to_emulator.is_empty(),
        "doc links that `cargo doc` with `emulator` alone (to the client) or with `client` \
         alone (to the emulator) cannot resolve; write them under \
         `#[cfg_attr(feature = \"...\", doc = ...)]` with a plain text beside:\n{to_client:#?}\n{to_emulator:#?}"
    );
}

/// A page whose examples hide `#[cfg(feature = "...")] {` (so that this crate's doc tests build
/// without the feature) tells the reader to leave that line out: copied with the other hidden
/// lines, as the README says to copy them, it names a feature of the reader's own crate, and
/// the example compiles to nothing, with only rustc's warning `unexpected cfg condition value`
/// (the JSON Schema chapter's two examples did so in a new user's crate).
#[test]
fn a_page_that_hides_a_feature_cfg_in_its_examples_says_to_leave_it_out() {
    for (folder, text) in documents() {
        let hidden: Vec<&str> = text
            .lines()
            .filter(|line| line.starts_with("# #[cfg(feature = "))
            .collect();
        let Some(line) = hidden.first() else {
            continue;
        };
        let cfg = line.trim_start_matches("# ");
        let prose = prose_lines(&text).join("\n");
        assert!(
            prose.contains(&format!("`{cfg}`")) && prose.contains("leave both out"),
            "{}: its examples hide `{cfg}`, and its text does not say to leave that out when copying",
            folder.display()
        );
    }
}

/// The README's "Add it to your project" block: a feature whose use needs a crate of the
/// user's own (`schemars` for `schema_for!` and the field types' schemas; `indexmap` with its
/// `serde` feature, which serde's derive on a model with an `IndexMap` field needs) names it
/// beside the feature's line. A new user who took `features = ["indexmap"]` alone got serde's
/// "the trait bound `IndexMap<String, String>: serde::Serialize` is not satisfied".
#[test]
fn the_readmes_dependency_block_names_the_crates_that_a_features_models_need() {
    let readme = read(&Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md"));
    let block = readme
        .split("## Add it to your project")
        .nth(1)
        .and_then(|section| section.split("```toml\n").nth(1))
        .and_then(|block| block.split("```").next())
        .expect("README: the toml block of \"Add it to your project\"");
    let lines: Vec<&str> = block.lines().collect();
    for (feature, dependency) in [
        (
            "schemars",
            "# schemars = { version = \"1\", features = [\"derive\"] }",
        ),
        (
            "indexmap",
            "# indexmap = { version = \"2\", features = [\"serde\"] }",
        ),
    ] {
        assert!(
            lines
                .iter()
                .any(|line| line.contains(&format!("features = [\"{feature}\"]"))),
            "README: no line for the feature `{feature}`"
        );
        assert!(
            lines.iter().any(|line| line.starts_with(dependency)),
            "README: the feature `{feature}` without `{dependency}`"
        );
    }
}
