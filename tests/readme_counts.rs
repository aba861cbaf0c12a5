//! The counts that the README gives a reader: the recipes of "Common tasks" (twice: in its
//! opening and in the Guide's table) and the test binaries that the first `cargo test` builds
//! (which is why that first run takes as long as it says).

use std::path::Path;

fn read(path: &str) -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(path)).unwrap()
}

/// The number written just before `words` in `text` (`16 recipes`), for each time it is there.
fn numbers_before(text: &str, words: &str) -> Vec<usize> {
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    text.match_indices(&format!(" {words}"))
        .map(|(at, _)| {
            let number = text[..at].rsplit(' ').next().unwrap();
            number
                .parse()
                .unwrap_or_else(|_| panic!("`{number} {words}` in the README"))
        })
        .collect()
}

/// "[common tasks]: 16 recipes, one runnable example each", and the table's "16 everyday
/// tasks, one runnable example each": one `##` section of docs/common_tasks a task, each with
/// a Rust example.
#[test]
fn the_readme_counts_the_recipes_of_common_tasks() {
    let chapter = read("docs/common_tasks/README.md");
    let sections: Vec<&str> = chapter.split("\n## ").skip(1).collect();
    for section in &sections {
        let title = section.lines().next().unwrap();
        assert!(
            section.contains("```rust"),
            "the recipe `{title}` has no Rust example"
        );
    }
    let readme = read("README.md");
    let said: Vec<usize> = [
        numbers_before(&readme, "recipes,"),
        numbers_before(&readme, "everyday tasks,"),
    ]
    .concat();
    assert_eq!(said.len(), 2, "the README counts the recipes twice");
    for said in said {
        assert_eq!(
            said,
            sections.len(),
            "the README says {said} recipes, docs/common_tasks has {}",
            sections.len()
        );
    }
}

/// "the tests' first build about 160 test binaries more": one a file of `tests/`, and the unit
/// tests of each crate of the workspace that has a library (the root, `runtime/`, `macros/`,
/// `tests/edition_2015/`, `tests/no_std_2018/`). Held within a tenth of the real count.
#[test]
fn the_readme_counts_the_test_binaries() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let integration = std::fs::read_dir(root.join("tests"))
        .unwrap()
        .filter(|entry| {
            entry
                .as_ref()
                .unwrap()
                .path()
                .extension()
                .is_some_and(|ext| ext == "rs")
        })
        .count();
    let libraries = [
        "Cargo.toml",
        "runtime/Cargo.toml",
        "macros/Cargo.toml",
        "tests/edition_2015/Cargo.toml",
        "tests/no_std_2018/Cargo.toml",
    ]
    .iter()
    .filter(|manifest| root.join(manifest).exists())
    .count();
    let counted = integration + libraries;
    let said = numbers_before(&read("README.md"), "test binaries");
    assert_eq!(said.len(), 1, "the README counts the test binaries once");
    let said = said[0];
    assert!(
        said.abs_diff(counted) * 10 <= counted,
        "the README says about {said} test binaries, the workspace has {counted}"
    );
}
