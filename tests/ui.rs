//! Compile-fail cases: each file under tests/ui is one mistake, with the compiler's answer pinned
//! in the `.stderr` beside it (written by the toolchain in rust-toolchain.toml's absence: the
//! machine's rustc 1.95; regenerate with `TRYBUILD=overwrite cargo test --test ui`).

#[test]
fn ui() {
    let cases = trybuild::TestCases::new();
    cases.compile_fail("tests/ui/*.rs");
}
