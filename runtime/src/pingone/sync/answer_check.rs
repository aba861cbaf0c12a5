//! Whether PingOne applied a patch: the attributes it sets or clears compared with the user
//! that PingOne answered the PATCH with ([`not_applied`]).

use crate::Patchable as _;
use crate::keyed_array::key_identity;
use crate::pingone::{User, UserPatch};

/// The attributes that `patch` sets or clears (dotted paths, `name.given`) whose value in
/// `answer`, the user PingOne answered the PATCH with, is not what the patch asked: the patch
/// applied to `found`, the user it was planned on, compared at those paths. PingOne ignores an
/// attribute it does not know (a misspelled one, an undeclared custom attribute) and still
/// answers 200, so only the answer tells that the patch was not applied.
///
/// Strings compare exactly: PingOne (and the emulator, which merges the body as sent) stores
/// them as written, so that any difference is real. Numbers compare by value (`1` = `1.0`), a
/// `null` as absent, and a member the patch did not name is never compared (another writer
/// may change it meanwhile).
pub(super) fn not_applied(
    found: &User,
    patch: &UserPatch,
    patch_json: &serde_json::Value,
    answer: &User,
) -> Vec<String> {
    let mut expected = found.clone();
    // Planned on this very user, so it applies; were it to fail, `apply` leaves `expected` as
    // found, and the answer is compared with that.
    let _ = expected.apply(patch.clone());
    let (Ok(expected), Ok(answer)) = (
        serde_json::to_value(&expected),
        serde_json::to_value(answer),
    ) else {
        return Vec::new();
    };
    let mut ignored = Vec::new();
    compare_at_patch(patch_json, Some(&expected), Some(&answer), "", &mut ignored);
    ignored
}

/// Walks `patch`'s members: each leaf (a value or `null`) compares `expected` with `answer`
/// at its path; an object recurses.
fn compare_at_patch(
    patch: &serde_json::Value,
    expected: Option<&serde_json::Value>,
    answer: Option<&serde_json::Value>,
    path: &str,
    ignored: &mut Vec<String>,
) {
    use serde_json::Value;
    let Value::Object(members) = patch else {
        if !same_value(expected, answer) {
            ignored.push(path.to_owned());
        }
        return;
    };
    // `{}` names no member to compare, yet asks for an object there (RFC 7396 makes one when
    // the user has none): an answer without one ignored it (an undeclared custom attribute).
    if members.is_empty() {
        if expected.is_some_and(Value::is_object) && !answer.is_some_and(Value::is_object) {
            ignored.push(path.to_owned());
        }
        return;
    }
    for (name, member) in members {
        let at = if path.is_empty() {
            name.clone()
        } else {
            format!("{path}.{name}")
        };
        compare_at_patch(
            member,
            expected.and_then(|value| value.get(name)),
            answer.and_then(|value| value.get(name)),
            &at,
            ignored,
        );
    }
}

/// Two values as PingOne stores them: `null` and absent alike, numbers by value (as keyed
/// arrays match them, `key_identity`), objects and arrays member by member.
fn same_value(a: Option<&serde_json::Value>, b: Option<&serde_json::Value>) -> bool {
    use serde_json::Value;
    match (a.filter(|v| !v.is_null()), b.filter(|v| !v.is_null())) {
        (None, None) => true,
        (Some(a @ Value::Number(_)), Some(b @ Value::Number(_))) => {
            key_identity(a) == key_identity(b)
        }
        (Some(Value::Array(a)), Some(Value::Array(b))) => {
            a.len() == b.len() && a.iter().zip(b).all(|(a, b)| same_value(Some(a), Some(b)))
        }
        (Some(Value::Object(a)), Some(Value::Object(b))) => {
            let present =
                |m: &serde_json::Map<String, Value>| m.iter().filter(|(_, v)| !v.is_null()).count();
            present(a) == present(b) && a.iter().all(|(name, v)| same_value(Some(v), b.get(name)))
        }
        (Some(a), Some(b)) => a == b,
        _ => false,
    }
}
