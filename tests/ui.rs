//! Compile-fail cases: each file under tests/ui is one mistake, with the compiler's answer pinned
//! in the `.stderr` beside it (written by this machine's rustc 1.95; regenerate with
//! `TRYBUILD=overwrite cargo test --all-features --test ui`).

#[test]
// rustc lists the types that implement `Patchable` in some messages, and the `pingone` models are
// among them only with both features: the pinned output is that of `--all-features`.
#[cfg_attr(
    not(all(feature = "client", feature = "emulator")),
    ignore = "the pinned compiler output is that of --all-features"
)]
fn ui() {
    let cases = trybuild::TestCases::new();
    cases.compile_fail("tests/ui/*.rs");
}
