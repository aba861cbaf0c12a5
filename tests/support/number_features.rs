//! Which number representation serde_json has in this build: its `arbitrary_precision`
//! feature is on wherever any crate of a build turns it on (cargo unifies features), and the
//! tests that check a number's representation say what each build does. Shared by
//! `tests/numbers_and_text.rs`, `tests/pingone_sync.rs`, `tests/error_reports.rs`,
//! `tests/scim_patch_apply.rs` and `tests/scim_real_clients.rs`.
#![allow(dead_code)]

/// Whether serde_json's `arbitrary_precision` is on in this build: its `Number` then keeps
/// its text, `0.10` as written.
pub fn numbers_keep_their_text() -> bool {
    "0.10"
        .parse::<serde_json::Number>()
        .is_ok_and(|number| number.to_string() == "0.10")
}

/// How serde's "invalid type" error names the integer `digits` read into a `Value`: by its
/// value (``integer `42` ``), except with `arbitrary_precision`, where a `Value`'s number is
/// its text and serde_json names it only as a `number`.
pub fn integer_in_type_error(digits: &str) -> String {
    if numbers_keep_their_text() {
        String::from("number")
    } else {
        format!("integer `{digits}`")
    }
}
