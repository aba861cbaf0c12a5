//! Names that a dialect's operations write as a serde `alias` of a field, read as the field
//! ([`Patch::from_json_patch`](super::Patch::from_json_patch),
//! [`Patch::from_scim_patch`](super::Patch::from_scim_patch)): serde reads a merge patch's
//! `{"first_name": "Ada"}` as the field `#[serde(rename = "givenName", alias = "first_name")]`,
//! but the operations work on the model's JSON, which holds the field under its name
//! (`givenName`). An operation at the alias (`/first_name`, `name.last_name`) is one at the
//! name, and one attribute named under two spellings in one change is refused, both spellings
//! named; before, the changed JSON held both keys and the model's reading said ``duplicate field
//! `givenName` ``, a key that the operations may never have written.
//!
//! Whether two keys name one field is asked of the patch `P` itself (so at every level that it
//! reads, a nested patch's fields and the members of an attribute held whole too): the two
//! keys, each with a value that the field reads, in one object at the attribute's place, read
//! as `P`, give serde's `duplicate field` exactly when they are one field.
//!
//! SCIM reads attribute names in any case (RFC 7643 §2.1): its paths' and values' names are
//! first spelled as the resource holds them or, where it holds none, as the model reads them
//! (`First_Name` as the alias `first_name`), then read as above ([`scim_paths`]: also the names
//! of a filter, the sub-attribute after one, and a path after a schema URN).

use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use crate::JsonPatchOperation;

/// A step from the document's root: a member's key, or an array's element (written as the
/// index).
#[derive(Clone)]
struct Step {
    key: String,
    in_array: bool,
}

/// `value` placed at `at` in a document that holds it alone: `{"emails": [value]}`.
fn placed(at: &[Step], value: Value) -> Value {
    at.iter().rev().fold(value, |value, step| {
        if step.in_array {
            Value::Array(vec![value])
        } else {
            Value::Object(Map::from_iter([(step.key.clone(), value)]))
        }
    })
}

/// Whether `a` and `b` name one field of the object at `at` as `P` reads it: both set in one
/// object there (`a` to `a_value`, `b` to `b_value`, values that the field reads) is serde's
/// `duplicate field`, and each alone is not (a value that holds a name and its alias itself).
/// `false` once `budget` is spent.
fn one_field<P: DeserializeOwned>(
    budget: &Budget,
    at: &[Step],
    a: (&str, &Value),
    b: (&str, &Value),
) -> bool {
    let duplicate = |members: &[(&str, &Value)]| {
        if !budget.take() {
            return false;
        }
        let probe = Value::Object(
            members
                .iter()
                .map(|(key, value)| ((*key).to_owned(), (*value).clone()))
                .collect(),
        );
        serde_json::from_value::<P>(placed(at, probe))
            .is_err_and(|error| error.to_string().contains("duplicate field"))
    };
    duplicate(&[a, b]) && budget.left.get() >= 2 && !duplicate(&[a]) && !duplicate(&[b])
}

/// The key of `held` (an object of the model's JSON at `at`) that `key`, which `held` does not
/// hold, names as an alias, if any.
fn held_name<P: DeserializeOwned>(
    budget: &Budget,
    at: &[Step],
    held: &Map<String, Value>,
    key: &str,
) -> Option<String> {
    held.iter()
        .take_while(|_| !budget.spent())
        .find(|(name, value)| one_field::<P>(budget, at, (name, value), (key, value)))
        .map(|(name, _)| name.clone())
}

/// The name that `token` is read as in `held` (an object of the model's JSON at `at`), and the
/// name of `held` that it names: `token` where `held` holds it or names a field of it as an
/// alias; for a SCIM reading (`respell`, names in any case), else the model's name that it is
/// in another case, or else the name that `held` holds in another case; then, where `held`
/// does not hold that, the field that it names as an alias.
fn named_at<P: DeserializeOwned>(
    budget: &Budget,
    at: &[Step],
    held: &Map<String, Value>,
    token: &str,
    respell: Option<SpellAsModel<'_>>,
) -> (String, String) {
    if held.contains_key(token) {
        return (token.to_owned(), token.to_owned());
    }
    let place = (
        at.iter().map(|step| step.key.clone()).collect(),
        token.to_owned(),
    );
    if let Some(known) = budget.known.borrow().get(&place) {
        return known.clone();
    }
    let named = read_at::<P>(budget, at, held, token, respell);
    // Read in full only while readings were left: else read again, as written, later.
    if !budget.spent() {
        budget.known.borrow_mut().insert(place, named.clone());
    }
    named
}

/// [`named_at`]'s reading of `token`, which `held` does not hold as written.
fn read_at<P: DeserializeOwned>(
    budget: &Budget,
    at: &[Step],
    held: &Map<String, Value>,
    token: &str,
    respell: Option<SpellAsModel<'_>>,
) -> (String, String) {
    let spelled = match respell {
        None => token.to_owned(),
        Some(respell) => match model_spelling(budget, respell, at, token) {
            Some(model) if model != token => model,
            // A name that the model reads as written, or not at all.
            _ => match held.keys().find(|key| key.eq_ignore_ascii_case(token)) {
                // An alias as written is its field, not another name in another case.
                Some(in_case) => match held_name::<P>(budget, at, held, token) {
                    Some(named) => return (token.to_owned(), named),
                    None => in_case.clone(),
                },
                None => token.to_owned(),
            },
        },
    };
    let named = if held.contains_key(&spelled) {
        spelled.clone()
    } else {
        held_name::<P>(budget, at, held, &spelled).unwrap_or_else(|| spelled.clone())
    };
    (spelled, named)
}

/// `at` written for an error: `name.given`, an element by its index, or by the filter that
/// selects it (`emails[type eq "work"]`).
fn dotted(at: &[Step]) -> String {
    let mut text = String::new();
    for step in at {
        let by_filter = step.in_array && step.key.starts_with('[');
        if !text.is_empty() && !by_filter {
            text.push('.');
        }
        text.push_str(&step.key);
    }
    text
}

/// The error for one attribute named as `a` and as `b` in one change.
fn two_spellings(at: &[Step], a: &str, b: &str) -> serde_json::Error {
    let (a, b) = if a <= b { (a, b) } else { (b, a) };
    let text = format!(
        "`{a}` and `{b}` name one attribute (a field's name and its serde alias, or two aliases): \
         the operations may name it one way only"
    );
    let text = if at.is_empty() {
        text
    } else {
        format!("at `{}`: {text}", dotted(at))
    };
    <serde_json::Error as serde::de::Error>::custom(text)
}

/// One name of an object's member as the operations wrote it.
struct Spelling {
    /// Where the object is, by the model's names.
    at: Vec<Step>,
    /// The name as written.
    written: String,
    /// The model's name that it was read as (`written` where the model's JSON holds none).
    named: String,
    /// The value that the operation gives the member, where it gives one.
    value: Option<Value>,
}

/// `pointer` with each token that names a field of `base` by an alias written as the field's
/// name there (for a SCIM reading, `respell`, a name in another case too: [`named_at`]); each
/// object member's name that it writes, down to the first that `base` does not hold, is added
/// to `spellings` (`value`: what the operation gives the last token). The tokens below a place
/// that `base` does not hold are kept as written.
fn pointer_by_names<P: DeserializeOwned>(
    budget: &Budget,
    base: &Value,
    pointer: &str,
    value: Option<&Value>,
    respell: Option<SpellAsModel<'_>>,
    spellings: &mut Vec<Spelling>,
) -> String {
    let mut at: Vec<Step> = Vec::new();
    let mut current = Some(base);
    let mut named = String::new();
    let mut raw = pointer.split('/').skip(1).peekable();
    while let Some(current_value) = current {
        let Some(written) = raw.next() else {
            break;
        };
        let token = written.replace("~1", "/").replace("~0", "~");
        let mut written = token.clone();
        let (key, in_array) = match current_value {
            Value::Object(held) => {
                let (spelled, key) = named_at::<P>(budget, &at, held, &token, respell);
                current = held.get(&key);
                written = spelled;
                (key, false)
            }
            Value::Array(elements) => {
                current = token.parse::<usize>().ok().and_then(|at| elements.get(at));
                (token.clone(), true)
            }
            _ => {
                current = None;
                (token.clone(), false)
            }
        };
        named.push('/');
        named.push_str(&crate::escape_pointer_token(&key));
        if !in_array {
            spellings.push(Spelling {
                at: at.clone(),
                written,
                named: key.clone(),
                value: value.filter(|_| raw.peek().is_none()).cloned(),
            });
        }
        at.push(Step { key, in_array });
    }
    for written in raw {
        named.push('/');
        named.push_str(written);
    }
    named
}

/// `operations` with the paths (and `from`s) that name a field of `base` (the model's JSON) by
/// an alias written by the field's name, or `None` where none does.
///
/// # Errors
///
/// One attribute named under two spellings (`/first_name` and `/givenName`), both named.
pub(super) fn json_patch_by_names<P: DeserializeOwned>(
    base: &Value,
    operations: &[JsonPatchOperation],
) -> Result<Option<Vec<JsonPatchOperation>>, serde_json::Error> {
    let budget = Budget::new();
    let mut spellings = Vec::new();
    let mut renamed = operations.to_vec();
    for operation in &mut renamed {
        let (path, from, value) = match operation {
            JsonPatchOperation::Add { path, value }
            | JsonPatchOperation::Replace { path, value }
            | JsonPatchOperation::Test { path, value } => (path, None, Some(&*value)),
            JsonPatchOperation::Remove { path } => (path, None, None),
            JsonPatchOperation::Move { from, path } | JsonPatchOperation::Copy { from, path } => {
                (path, Some(from), None)
            }
        };
        *path = pointer_by_names::<P>(&budget, base, path, value, None, &mut spellings);
        if let Some(from) = from {
            *from = pointer_by_names::<P>(&budget, base, from, None, None, &mut spellings);
        }
    }
    one_spelling_each::<P>(&budget, spellings)?;
    Ok((renamed != operations).then_some(renamed))
}

/// Refuses an attribute that `spellings` names in two ways: read as one name of the model's
/// JSON, or (where that JSON holds neither) two names of one object that `P` reads as one
/// field, each with the value that its operation gives it (a removal the other's), while
/// `budget` lasts.
fn one_spelling_each<P: DeserializeOwned>(
    budget: &Budget,
    mut spellings: Vec<Spelling>,
) -> Result<(), serde_json::Error> {
    let place = |spelling: &Spelling| -> Vec<String> {
        spelling.at.iter().map(|step| step.key.clone()).collect()
    };
    // One of each name as written at each place (the first with a value), by place.
    spellings.sort_by_key(|spelling| (place(spelling), spelling.written.clone()));
    spellings.dedup_by(|later, kept| {
        let same = later.at.len() == kept.at.len()
            && place(later) == place(kept)
            && later.written == kept.written;
        if same && kept.value.is_none() {
            kept.value = later.value.take();
        }
        same
    });
    for group in spellings.chunk_by(|a, b| place(a) == place(b)) {
        let mut by_name: Vec<&Spelling> = group.iter().collect();
        by_name.sort_by(|a, b| a.named.cmp(&b.named));
        if let Some(pair) = by_name
            .windows(2)
            .find(|pair| pair[0].named == pair[1].named)
        {
            return Err(two_spellings(
                &pair[0].at,
                &pair[0].written,
                &pair[1].written,
            ));
        }
        for (index, a) in group.iter().enumerate() {
            for b in &group[index + 1..] {
                if budget.spent() {
                    return Ok(());
                }
                // A removal gives no value: the other's is one that the field reads.
                let one = match (a.value.as_ref(), b.value.as_ref()) {
                    (Some(a_value), b_value) => one_field::<P>(
                        budget,
                        &a.at,
                        (&a.written, a_value),
                        (&b.written, b_value.unwrap_or(a_value)),
                    ),
                    (None, Some(b_value)) => {
                        one_field::<P>(budget, &a.at, (&a.written, b_value), (&b.written, b_value))
                    }
                    (None, None) => false,
                };
                if one {
                    return Err(two_spellings(&a.at, &a.written, &b.written));
                }
            }
        }
    }
    Ok(())
}

/// `changed` (the model's JSON `base` after the operations) with each member that names a
/// field of an object by an alias moved to the field's name, where the operations left that
/// name's value as `base` held it, at every level that both hold an object or an array.
///
/// # Errors
///
/// One attribute that the operations set under two spellings: an alias beside its field's
/// name that they set too (or that `base` did not hold), both named.
pub(super) fn members_by_names<P: DeserializeOwned>(
    base: &Value,
    changed: &mut Value,
) -> Result<(), serde_json::Error> {
    let mut at = Vec::new();
    by_names::<P>(&Budget::new(), base, changed, &mut at)
}

/// [`members_by_names`] at `at`, while `budget` lasts.
fn by_names<P: DeserializeOwned>(
    budget: &Budget,
    base: &Value,
    changed: &mut Value,
    at: &mut Vec<Step>,
) -> Result<(), serde_json::Error> {
    match (base, changed) {
        (Value::Object(held), Value::Object(members)) => {
            let new: Vec<String> = members
                .keys()
                .filter(|key| !held.contains_key(*key))
                .cloned()
                .collect();
            for key in new {
                if budget.spent() {
                    break;
                }
                let Some(value) = members.get(&key) else {
                    continue;
                };
                let found = members
                    .iter()
                    .take_while(|_| !budget.spent())
                    .find(|(name, other)| {
                        **name != key && one_field::<P>(budget, at, (name, other), (&key, value))
                    })
                    .map(|(name, other)| (name.clone(), held.get(name) == Some(other)));
                let Some((name, left_as_held)) = found else {
                    continue;
                };
                if !left_as_held {
                    return Err(two_spellings(at, &name, &key));
                }
                if let Some(value) = members.remove(&key) {
                    members.insert(name, value);
                }
            }
            for (key, value) in members.iter_mut() {
                if let Some(held) = held.get(key) {
                    at.push(Step {
                        key: key.clone(),
                        in_array: false,
                    });
                    by_names::<P>(budget, held, value, at)?;
                    at.pop();
                }
            }
            Ok(())
        }
        (Value::Array(held), Value::Array(elements)) => {
            for (index, (held, element)) in held.iter().zip(elements.iter_mut()).enumerate() {
                at.push(Step {
                    key: index.to_string(),
                    in_array: true,
                });
                by_names::<P>(budget, held, element, at)?;
                at.pop();
            }
            Ok(())
        }
        _ => Ok(()),
    }
}

mod budget;
mod scim_paths;

use budget::Budget;
#[cfg(test)]
use budget::READINGS;

pub(super) use scim_paths::scim_by_names;
use scim_paths::{SpellAsModel, model_spelling};

#[cfg(test)]
mod tests;
