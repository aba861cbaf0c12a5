//! The crates' module structure: no two modules import each other, directly or through
//! others (the project's rule, so that each module can be read, and changed, on its own), and
//! the derive's files stay short (issue 8).
//!
//! A module's imports are the `super::` and `crate::` paths in its file, outside comments and
//! its `#[cfg(test)] mod tests`. A path into one of its own ancestors or descendants is not
//! counted (a parent re-exports its children, and a child names the parent's re-exports).
//! The scan reads text, not a syntax tree: it finds every path of those two forms, so it may
//! count an import that a string holds, never miss one.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// A module's path from its crate's root: `["pingone", "token"]`.
type ModulePath = Vec<String>;

fn rust_files(dir: &Path, found: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("a source folder") {
        let path = entry.expect("a folder entry").path();
        if path.is_dir() {
            rust_files(&path, found);
        } else if path.extension().is_some_and(|extension| extension == "rs") {
            found.push(path);
        }
    }
}

/// `a/b.rs` is `a::b`; `a/mod.rs` is `a`; `lib.rs` is the root.
fn module_of(root: &Path, file: &Path) -> ModulePath {
    let relative = file.strip_prefix(root).expect("under the root");
    let mut path: ModulePath = relative
        .with_extension("")
        .iter()
        .map(|part| part.to_string_lossy().into_owned())
        .collect();
    if matches!(
        path.last().map(String::as_str),
        Some("mod" | "lib" | "main")
    ) {
        path.pop();
    }
    path
}

/// The file's code: no comment lines (doc links name modules without importing them), and
/// nothing from its unit tests on.
fn code_of(text: &str) -> String {
    let text = text
        .split("#[cfg(test)]\nmod tests")
        .next()
        .unwrap_or_default();
    text.lines()
        .filter(|line| !line.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The paths that follow each `super::` and `crate::` in `code`, as module paths from the
/// crate's root: a `{...}` group gives one path per member.
fn imported_paths(code: &str, module: &ModulePath) -> Vec<ModulePath> {
    let mut paths = Vec::new();
    for (prefix, start) in [("super::", module.len().saturating_sub(1)), ("crate::", 0)] {
        let mut rest = code;
        while let Some(at) = rest.find(prefix) {
            let before = rest[..at].chars().next_back();
            rest = &rest[at + prefix.len()..];
            if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
                continue;
            }
            // `super::super::` and deeper: one module up for each.
            let mut up = start;
            while prefix == "super::" && rest.starts_with("super::") {
                rest = &rest["super::".len()..];
                up = up.saturating_sub(1);
            }
            let base = &module[..up];
            if let Some(group) = rest.strip_prefix('{') {
                let end = group.find('}').unwrap_or(group.len());
                for member in group[..end].split(',') {
                    paths.push(joined(base, member));
                }
            } else {
                let end = rest
                    .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == ':'))
                    .unwrap_or(rest.len());
                paths.push(joined(base, &rest[..end]));
            }
        }
    }
    paths
}

fn joined(base: &[String], path: &str) -> ModulePath {
    let mut joined = base.to_vec();
    joined.extend(
        path.split("::")
            .map(str::trim)
            .take_while(|segment| !segment.is_empty() && !segment.starts_with('{'))
            .map(str::to_owned),
    );
    joined
}

/// Each module of the crate under `root`, and the modules it imports.
fn imports(root: &Path) -> BTreeMap<ModulePath, BTreeSet<ModulePath>> {
    let mut files = Vec::new();
    rust_files(root, &mut files);
    let modules: BTreeMap<ModulePath, PathBuf> = files
        .into_iter()
        .map(|file| (module_of(root, &file), file))
        .collect();
    let mut graph = BTreeMap::new();
    for (module, file) in &modules {
        let code = code_of(&std::fs::read_to_string(file).expect("a readable file"));
        let mut targets = BTreeSet::new();
        for path in imported_paths(&code, module) {
            // The longest prefix that is a module: `pingone::token::Secret` is `pingone::token`.
            let target = (0..=path.len())
                .rev()
                .map(|length| path[..length].to_vec())
                .find(|prefix| modules.contains_key(prefix))
                .unwrap_or_default();
            let related = target.starts_with(module) || module.starts_with(&target);
            if !related {
                targets.insert(target);
            }
        }
        graph.insert(module.clone(), targets);
    }
    graph
}

/// The modules that reach `from` again through their imports, each cycle as found first.
fn cycles(graph: &BTreeMap<ModulePath, BTreeSet<ModulePath>>) -> Vec<Vec<ModulePath>> {
    let mut found = Vec::new();
    for start in graph.keys() {
        // Depth-first from `start`, back to it: the trail of modules walked.
        let mut stack = vec![(start.clone(), vec![start.clone()])];
        let mut seen = BTreeSet::new();
        while let Some((module, trail)) = stack.pop() {
            for next in graph.get(&module).into_iter().flatten() {
                if next == start {
                    found.push(trail.clone());
                } else if next > start && seen.insert(next.clone()) {
                    let mut longer = trail.clone();
                    longer.push(next.clone());
                    stack.push((next.clone(), longer));
                }
            }
        }
    }
    found
}

fn show(cycles: &[Vec<ModulePath>]) -> String {
    cycles
        .iter()
        .map(|cycle| {
            let names: Vec<String> = cycle.iter().map(|module| module.join("::")).collect();
            format!("{} -> {}", names.join(" -> "), names[0])
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Asserts that the crate under `folder` (from the workspace root) has no cycle of imports,
/// and that the scan found `module` there (a scan that read nothing would pass).
fn assert_no_cycles(folder: &str, module: &[&str]) {
    let graph = imports(&Path::new(env!("CARGO_MANIFEST_DIR")).join(folder));
    let module: ModulePath = module.iter().map(|&part| part.to_owned()).collect();
    assert!(graph.contains_key(&module), "the scan found {module:?}");
    let cycles = cycles(&graph);
    assert!(
        cycles.is_empty(),
        "modules that import each other:\n{}",
        show(&cycles)
    );
}

#[test]
fn no_two_modules_of_the_runtime_import_each_other() {
    assert_no_cycles("runtime/src", &["pingone", "transport"]);
}

#[test]
fn no_two_modules_of_the_derive_import_each_other() {
    assert_no_cycles("macros/src", &["expand", "setters"]);
}

/// The scan itself: the import that this project once had (`transport` naming `token`'s
/// provider while `token` sent through `transport`) is a cycle, and a doc link is not an
/// import.
#[test]
fn the_scan_finds_a_cycle_and_ignores_doc_links() {
    let token = vec!["pingone".to_owned(), "token".to_owned()];
    let transport = vec!["pingone".to_owned(), "transport".to_owned()];
    let code = code_of(
        "/// [`scim`](super::scim)\nuse super::{transport::Transport, Error};\nuse super::super::Root;\n",
    );
    assert_eq!(
        imported_paths(&code, &token),
        vec![
            vec![
                "pingone".to_owned(),
                "transport".to_owned(),
                "Transport".to_owned()
            ],
            vec!["pingone".to_owned(), "Error".to_owned()],
            vec!["Root".to_owned()],
        ]
    );
    let graph = BTreeMap::from([
        (token.clone(), BTreeSet::from([transport.clone()])),
        (transport.clone(), BTreeSet::from([token.clone()])),
    ]);
    assert_eq!(cycles(&graph), vec![vec![token, transport]]);
}

/// Issue 8: "Done when the macro crate has no file over about 400 lines" (and the runtime's
/// code that generated code calls is a real folder, "with no `#[path]` tricks"). "About" is
/// held at a tenth over 400: a file past 440 lines is one to split.
#[test]
fn no_file_of_the_derive_is_much_over_400_lines_and_no_module_is_found_by_path() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    rust_files(&root.join("macros/src"), &mut files);
    let long: Vec<String> = files
        .iter()
        .filter_map(|file| {
            let lines = std::fs::read_to_string(file).ok()?.lines().count();
            (lines > 440).then(|| format!("{} ({lines} lines)", file.display()))
        })
        .collect();
    assert!(long.is_empty(), "split these files of the derive: {long:?}");
    let mut private = Vec::new();
    rust_files(&root.join("runtime/src/private"), &mut private);
    for file in files.iter().chain(&private) {
        let text = std::fs::read_to_string(file).unwrap();
        assert!(
            !text
                .lines()
                .any(|line| line.trim_start().starts_with("#[path")),
            "{} finds a module by `#[path]`",
            file.display()
        );
    }
}
