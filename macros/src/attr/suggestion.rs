//! The "unknown attribute" message: the valid choices, and the closest one to a typo, or where
//! serde's items go.

use syn::Path;

use super::meta_values::path_text;

/// "unknown attribute" with the valid choices, and the closest one when it looks like a typo,
/// or else where a serde item written there goes.
pub(super) fn unknown(path: &Path, place: &str, choices: &[&str]) -> String {
    let given = path_text(path);
    let listed: Vec<String> = choices.iter().map(|choice| format!("`{choice}`")).collect();
    let mut message = format!(
        "unknown patchable attribute `{given}` on {place}; expected one of {}",
        listed.join(", ")
    );
    let keyword = |choice: &&str| choice.split([' ', '(']).next().unwrap_or(choice).to_owned();
    if let Some(closest) = choices
        .iter()
        .map(keyword)
        .filter(|choice| edit_distance(choice, &given) <= 2 && *choice != given)
        .min_by_key(|choice| edit_distance(choice, &given))
    {
        message.push_str(&format!("; did you mean `{closest}`?"));
    } else if let Some(serde) = serde_item(&given, place) {
        // A typo of a choice comes first: `rename` on a struct is most likely `name`.
        message.push_str(&serde);
    }
    message
}

/// serde's items of a field and of a struct, which the patch carries from the model's
/// `#[serde(...)]` (or replaces, or refuses with a message of its own there).
const SERDE_ITEMS: &[&str] = &[
    "rename",
    "rename_all",
    "rename_all_fields",
    "alias",
    "flatten",
    "default",
    "skip_serializing",
    "skip_deserializing",
    "skip_serializing_if",
    "with",
    "serialize_with",
    "deserialize_with",
    "borrow",
    "bound",
    "deny_unknown_fields",
    "expecting",
    "transparent",
    "tag",
    "untagged",
    "content",
];

/// The way out for a serde item written in `#[patchable(...)]` (`rename`, which peer derives
/// take in their own attribute), or for `attribute(...)`, struct-patch's way to put attributes
/// on the patch.
fn serde_item(given: &str, place: &str) -> Option<String> {
    if given == "deny_unknown_fields" && place != "a struct" {
        Some(
            "; `deny_unknown_fields` goes on the struct: `#[patchable(deny_unknown_fields)]` for the patch alone, `#[serde(deny_unknown_fields)]` for the model and the patch"
                .to_owned(),
        )
    } else if SERDE_ITEMS.contains(&given) {
        let noun = place.trim_start_matches("a ");
        Some(format!(
            "; `{given}` is serde's: write it in `#[serde(...)]` on the {noun}, where the patch reads the model's serde attributes"
        ))
    } else if given == "attribute" || given == "attributes" {
        Some(
            "; the patch carries the model's `#[serde(...)]`, doc comments and lint attributes, and `derive(...)` on the struct adds derives to it"
                .to_owned(),
        )
    } else {
        None
    }
}

/// Levenshtein distance between two short ASCII words.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut current = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let substitution = previous[j] + usize::from(ca != *cb);
            current.push(substitution.min(previous[j + 1] + 1).min(current[j] + 1));
        }
        previous = current;
    }
    previous[b.len()]
}
