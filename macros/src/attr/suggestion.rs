//! The "unknown attribute" message: the valid choices, and the closest one to a typo.

use syn::Path;

use super::meta_values::path_text;

/// "unknown attribute" with the valid choices, and the closest one when it looks like a typo.
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
    }
    message
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
