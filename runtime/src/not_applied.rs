//! Whether a server applied a patch ([`not_applied`]): the attributes that a patch sets or
//! clears, compared with the resource that the server answered the PATCH with.

use serde::Serialize;

use crate::keyed_array::key_identity;

/// The attributes that `patch` sets or clears (dotted paths, such as `title`, `name.given` or
/// a map entry `custom.severity`) whose value in `answer`, the resource that the server
/// answered the PATCH with, is not what the patch asked: an empty list when the answer shows
/// the whole patch applied. A path is the member names from the patch's top joined with `.`
/// as they are (a name that holds a `.`, a label key `app.kubernetes.io/name`, is not told
/// apart), and ends at a value the patch sets: an array is compared whole, and named by its
/// attribute. The paths come in the order of the patch's JSON members: by name,
/// or, with serde_json's `preserve_order` on in the build, as the patch writes them. It needs
/// no feature: any API that answers a merge patch (RFC 7396) with the resource it stored.
///
/// A server may answer `200 OK` and ignore part of a patch: PingOne ignores an attribute that
/// it does not know (a misspelled one, a custom attribute that the environment does not
/// declare, a core attribute written in another case such as `Title`), other servers a
/// read-only or unknown attribute. The answer alone then tells that part of a patch was not
/// applied; `pingone::Client::update_user` returns `Ok` either way (checking costs a second
/// walk of both documents, which a caller who needs it asks for here). The PingOne sync job
/// checks every answer so and reports a line whose patch was not applied as failed.
///
/// The comparison follows RFC 7396 §2 at the paths the patch names, and nowhere else (another
/// writer may change other attributes meanwhile): a member set to a value must hold that value
/// (strings exactly; numbers by value, `1` = `1.0`; objects and arrays member by member, a
/// `null` member as absent); a member set to `null` must be absent or `null`; an empty object
/// (`{}`) must be an object. `patch` and `answer` are any types that serialize to the JSON of
/// a merge patch and of the resource: a derived patch and its model, PingOne's
/// `pingone::UserPatch` and `pingone::User`, or `serde_json::Value`s.
///
/// ```
/// use sparse_patch::{Patchable, not_applied};
///
/// #[derive(Patchable, Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
/// struct Ticket {
///     title: String,
///     due: Option<String>,
///     custom: std::collections::BTreeMap<String, serde_json::Value>,
/// }
///
/// let patch = TicketPatch::new()
///     .title("Printer on fire")
///     .clear_due()
///     .custom_entry("severity", 1);
/// // The server stored the title and cleared `due`, but it ignored `custom.severity`.
/// let answer: Ticket = serde_json::from_value(serde_json::json!({
///     "title": "Printer on fire",
///     "custom": {}
/// }))?;
/// assert_eq!(not_applied(&patch, &answer)?, ["custom.severity"]);
/// # Ok::<(), serde_json::Error>(())
/// ```
///
/// # Errors
///
/// The error of `serde_json` when `patch` or `answer` cannot be written as JSON (a map whose
/// keys are not strings, a `Serialize` impl of your own that fails); never for a derived patch
/// and its model whose own `Serialize` does not fail.
pub fn not_applied<P: Serialize + ?Sized, M: Serialize + ?Sized>(
    patch: &P,
    answer: &M,
) -> Result<Vec<String>, serde_json::Error> {
    Ok(not_applied_json(
        &serde_json::to_value(patch)?,
        &serde_json::to_value(answer)?,
    ))
}

/// [`not_applied`] on the JSON of the patch and of the answer.
pub(crate) fn not_applied_json(
    patch: &serde_json::Value,
    answer: &serde_json::Value,
) -> Vec<String> {
    let mut ignored = Vec::new();
    compare_at_patch(patch, Some(answer), "", &mut ignored);
    ignored
}

/// Walks `patch`'s members: each leaf (a value or `null`) must be what `answer` holds at its
/// path (RFC 7396 §2 sets a member to the patch's value, or removes it for `null`); an object
/// recurses.
fn compare_at_patch(
    patch: &serde_json::Value,
    answer: Option<&serde_json::Value>,
    path: &str,
    ignored: &mut Vec<String>,
) {
    use serde_json::Value;
    let Value::Object(members) = patch else {
        if !same_value(Some(patch), answer) {
            ignored.push(path.to_owned());
        }
        return;
    };
    // `{}` names no member to compare, yet asks for an object there (RFC 7396 makes one when
    // the user has none): an answer without one ignored it (an undeclared custom attribute).
    if members.is_empty() {
        if !answer.is_some_and(Value::is_object) {
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
            answer.and_then(|value| value.get(name)),
            &at,
            ignored,
        );
    }
}

/// The members of the objects that `patch` merges into (`name` for `{"name": {"given":
/// "A"}}`, a custom JSON attribute), at any depth, that `patch` does not name and that
/// `current`, the user as read before the PATCH, held, and that `answer` no longer holds at
/// all (dotted paths, `name.family`): what PingOne dropped if it replaced such an object with
/// the patch's rather than merging the patch into it (RFC 7396 §2 merges; PingOne documents
/// it for custom JSON attributes, and does not say for `name` and `address`), or what another
/// writer removed there since the read. A member that another writer changed meanwhile is
/// still held, and is not named; nor is a member gone from an object that still holds another
/// member the patch does not name (that object was merged: another writer removed it, and
/// naming it stopped a whole run for that writer's change); attributes outside those objects
/// are not looked at. PingOne's sync job's check (feature `client`).
#[cfg(feature = "client")]
pub(crate) fn lost_members(
    current: &serde_json::Value,
    patch: &serde_json::Value,
    answer: &serde_json::Value,
) -> Vec<String> {
    fn walk(
        current: &serde_json::Map<String, serde_json::Value>,
        patch: &serde_json::Map<String, serde_json::Value>,
        answer: Option<&serde_json::Value>,
        path: &str,
        lost: &mut Vec<String>,
    ) {
        let at = |name: &str| {
            if path.is_empty() {
                name.to_owned()
            } else {
                format!("{path}.{name}")
            }
        };
        for (name, member) in patch {
            if let (serde_json::Value::Object(patch), Some(serde_json::Value::Object(current))) =
                (member, current.get(name))
            {
                let answer = answer.and_then(|answer| answer.get(name));
                let here = at(name);
                // Its members that the patch does not name are the object's own, kept by a
                // merge.
                // Gone, not changed: another writer may change one meanwhile.
                let (mut gone, mut kept_some) = (Vec::new(), false);
                for (kept, value) in current {
                    let held = answer
                        .and_then(|answer| answer.get(kept))
                        .is_some_and(|held| !held.is_null());
                    if !patch.contains_key(kept) && !value.is_null() {
                        if held {
                            kept_some = true;
                        } else {
                            gone.push(format!("{here}.{kept}"));
                        }
                    }
                }
                // An object that still holds a member the patch does not name was merged, not
                // replaced by the patch's: what it lost, another writer removed since the
                // read (`name.family` cleared in the console while the line set
                // `name.given`), which is no fault of the line and says nothing of the next.
                if !kept_some {
                    lost.append(&mut gone);
                }
                walk(current, patch, answer, &here, lost);
            }
        }
    }
    let mut lost = Vec::new();
    if let (serde_json::Value::Object(current), serde_json::Value::Object(patch)) = (current, patch)
    {
        walk(current, patch, Some(answer), "", &mut lost);
    }
    lost
}

/// Two values as a server stores them (PingOne does so): `null` and absent alike, numbers by value (as keyed
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

#[cfg(test)]
mod tests {
    use serde_json::json;

    #[cfg(feature = "client")]
    use super::lost_members;
    use super::not_applied;

    /// Each kind of member: a value held, a value held as another number, a value that is not
    /// held, a `null` held as absent or `null`, a `null` that still holds a value, an empty
    /// object held, an empty object not held, and a member the patch does not name (never
    /// compared).
    #[test]
    fn names_every_member_whose_answer_is_not_what_the_patch_asked() {
        // In sorted order, which serde_json's `preserve_order` (insertion order) keeps too: the
        // names come in the patch's order.
        let patch = json!({
            "badge": {},
            "count": 1,
            "locale": null,
            "mobilePhone": null,
            "name": {"family": null, "given": "Ada", "middle": "B"},
            "nickname": "Ada",
            "preferredLanguage": null,
            "settings": {},
            "title": "Lead",
        });
        let answer = json!({
            "title": "Lead",
            "count": 1.0,
            "nickname": "ada",
            "locale": null,
            "preferredLanguage": "en",
            "name": {"given": "Ada", "middle": "C"},
            "settings": {"theme": "dark"},
            "badge": "gold",
            "email": "ada@example.com",
        });
        assert_eq!(
            not_applied(&patch, &answer).unwrap(),
            ["badge", "name.middle", "nickname", "preferredLanguage"]
        );
    }

    /// A whole value (an array, an object in an array) compares member by member, with a
    /// `null` member as absent.
    #[test]
    fn arrays_compare_element_by_element() {
        // In sorted order, as above.
        let patch = json!({"codes": [1, 2], "tags": [{"a": 1, "b": null}]});
        assert!(
            not_applied(&patch, &json!({"tags": [{"a": 1.0}], "codes": [1, 2]}))
                .unwrap()
                .is_empty()
        );
        assert_eq!(
            not_applied(&patch, &json!({"tags": [{"a": 1}, {}], "codes": [2, 1]})).unwrap(),
            ["codes", "tags"]
        );
    }

    /// The members of the objects a patch merges into, at any depth, that the user held and
    /// the answer holds no more; nothing outside those objects, nor a member the patch names,
    /// nor a `null` member (absent), nor a member held with another value (another writer's
    /// change), nor a member gone from an object that still holds another one the patch does
    /// not name (merged: another writer's removal).
    #[cfg(feature = "client")]
    #[test]
    fn lost_members_are_those_of_the_merged_objects_alone() {
        let current = json!({
            "title": "Old",
            "nickname": "N",
            "name": {"given": "Ada", "family": "Byron", "middle": null},
            "address": {"locality": "London"},
            "prefs": {"a": {"b": 0, "c": 2}, "d": 3, "e": 1},
        });
        let patch = json!({
            "title": "New",
            "name": {"given": "Augusta", "family": null},
            "prefs": {"a": {"b": 1}},
        });
        let answer = json!({
            "title": "New",
            "name": {"given": "Augusta"},
            "address": {},
            "prefs": {"a": {"b": 1}, "e": 7},
        });
        // `prefs.e` is still held (with another value): `prefs` was merged, and `prefs.d`
        // another writer's removal; `prefs.a` holds nothing it had but what the patch names.
        assert_eq!(lost_members(&current, &patch, &answer), ["prefs.a.c"]);
        let replaced = json!({"name": {"given": "Augusta"}, "prefs": {"a": {"b": 1}}});
        assert_eq!(
            lost_members(&current, &patch, &replaced),
            ["prefs.d", "prefs.e", "prefs.a.c"]
        );
        // Merged (and a member changed by another writer): nothing lost.
        let merged = json!({
            "name": {"given": "Augusta"},
            "prefs": {"a": {"b": 1, "c": 5}, "d": 3, "e": 1},
        });
        assert!(lost_members(&current, &patch, &merged).is_empty());
    }
}
