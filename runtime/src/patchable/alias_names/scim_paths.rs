//! The names of a SCIM PatchOp message's paths and values read as the model's fields
//! ([`scim_by_names`]): an alias as its field, a name in another case (RFC 7643 §2.1) as the
//! model spells it, in an attribute path (`first_name`, `name.Last_Name`), after a schema URN
//! (`urn:ietf:params:scim:schemas:core:2.0:User:first_name`), in a value filter
//! (`emails[address eq "a@example.com"]`) and in the sub-attribute after one
//! (`emails[type eq "work"].label`), and in an object value's members.

use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use super::{Budget, Spelling, Step, named_at, one_spelling_each, placed, pointer_by_names};
use crate::ScimPatch;
use crate::scim::{is_core_schema, names_a_schema, path_names, split_urn};

/// How a SCIM reading spells a name as the model reads it (SCIM reads attribute names in any
/// case, RFC 7643 §2.1): respells the keys of a JSON value as the model reads them (the value
/// is a path down to an object that holds the name alone).
pub(in crate::patchable) type SpellAsModel<'a> = &'a dyn Fn(&mut Value);

/// `token`, a name of the object at `at`, as the model spells it: the model's name that it is
/// in another case, else `token` (`None` where `budget` is spent or the model's reading did not
/// reach the place); one reading of `budget`.
pub(super) fn model_spelling(
    budget: &Budget,
    respell: SpellAsModel<'_>,
    at: &[Step],
    token: &str,
) -> Option<String> {
    if !budget.take() {
        return None;
    }
    let leaf = Value::Object(Map::from_iter([(token.to_owned(), Value::Null)]));
    let mut probe = placed(at, leaf);
    respell(&mut probe);
    let mut place = &probe;
    for step in at {
        place = if step.in_array {
            place.as_array()?.first()?
        } else {
            place.as_object()?.values().next()?
        };
    }
    place.as_object()?.keys().next().cloned()
}

/// A JSON Pointer's (RFC 6901) reference tokens, unescaped.
fn tokens(pointer: &str) -> Vec<String> {
    pointer
        .split('/')
        .skip(1)
        .map(|token| token.replace("~1", "/").replace("~0", "~"))
        .collect()
}

/// `message` with the names of its paths that name a field of `base` (the model's JSON) by an
/// alias, or in another case than the model's (`respell` spells a name as the model reads
/// it), written as the field's name, or `None` where none does. A filter's names are read at
/// the elements of the attribute that it filters (any of them: the names that they hold),
/// as is the sub-attribute after it; an object value's members (which the applier merges into
/// the attribute's, RFC 7644 §3.5.2.1, §3.5.2.3) are read at the path's place, and those of a
/// value at a filter after the message is applied (by [`members_by_names`](super::members_by_names)).
/// A path that names a schema whole (`urn:…:enterprise:2.0:User`) or that the applier refuses
/// is left as written.
///
/// # Errors
///
/// One attribute named under two spellings (`first_name` and `givenName`, in paths or an
/// object value's members; a sub-attribute after one filter), both named as the model spells
/// them.
pub(in crate::patchable) fn scim_by_names<P: DeserializeOwned>(
    base: &Value,
    message: &ScimPatch,
    respell: SpellAsModel<'_>,
) -> Result<Option<ScimPatch>, serde_json::Error> {
    let budget = Budget::new();
    let mut spellings = Vec::new();
    let mut renamed = message.clone();
    for operation in &mut renamed.operations {
        let value = operation.value.as_ref();
        let pointer = match &mut operation.path {
            None => String::new(),
            Some(path) if path.contains(['[', ':']) => {
                let Some((text, pointer)) =
                    path_by_names::<P>(&budget, base, path, value, respell, &mut spellings)
                else {
                    continue;
                };
                *path = text;
                match pointer {
                    Some(pointer) => pointer,
                    None => continue,
                }
            }
            Some(path) if path.is_empty() || path.contains(['/', '~']) => continue,
            Some(path) => {
                let pointer = format!("/{}", path.replace('.', "/"));
                let pointer = pointer_by_names::<P>(
                    &budget,
                    base,
                    &pointer,
                    value,
                    Some(respell),
                    &mut spellings,
                );
                *path = tokens(&pointer).join(".");
                pointer
            }
        };
        // The members of an object value, which the applier merges into the attribute's
        // (RFC 7644 §3.5.2.1, §3.5.2.3), name its sub-attributes too.
        if let Some(Value::Object(members)) = value {
            for (key, member) in members {
                let at = format!("{pointer}/{}", crate::escape_pointer_token(key));
                pointer_by_names::<P>(
                    &budget,
                    base,
                    &at,
                    Some(member),
                    Some(respell),
                    &mut spellings,
                );
            }
        }
    }
    one_spelling_each::<P>(&budget, spellings)?;
    Ok((renamed != *message).then_some(renamed))
}

/// `text`, a path with a schema URN or a filter, with its attribute's, its filter's and its
/// sub-attribute's names read as the model's (see [`scim_by_names`]), and, for a path without a
/// filter, its place as a JSON Pointer into `base`, by the model's names; `None` for a path
/// that names a schema whole or that the applier refuses.
fn path_by_names<P: DeserializeOwned>(
    budget: &Budget,
    base: &Value,
    text: &str,
    value: Option<&Value>,
    respell: SpellAsModel<'_>,
    spellings: &mut Vec<Spelling>,
) -> Option<(String, Option<String>)> {
    let (path, names) = path_names(text)?;
    let resource = base.as_object()?;
    let [attribute_name, ..] = names.as_slice() else {
        return None;
    };
    // The attribute's place: an extension's attribute is a member of the extension's object
    // (RFC 7643 §3.3); a core schema's is the resource's own.
    let mut place = match split_urn(&path.attribute) {
        Some(_) if names_a_schema(resource, &path.attribute) => return None,
        Some((urn, name)) if is_core_schema(urn) => vec![name.to_owned()],
        Some((urn, name)) => vec![urn.to_owned(), name.to_owned()],
        None => vec![path.attribute.clone()],
    };
    let sub = path
        .sub_attribute
        .is_some()
        .then(|| names[names.len() - 1].clone());
    let mut renames = Vec::new();
    let Some(_) = &path.filter else {
        place.extend(path.sub_attribute.clone());
        let pointer = pointer_of(&place);
        let named = pointer_by_names::<P>(budget, base, &pointer, value, Some(respell), spellings);
        let named_tokens = tokens(&named);
        let attribute_at = place.len() - 1 - usize::from(sub.is_some());
        renames.push((attribute_name.clone(), named_tokens[attribute_at].clone()));
        if let Some(sub) = sub {
            renames.push((sub, named_tokens[named_tokens.len() - 1].clone()));
        }
        return Some((renamed_text(text, renames), Some(named)));
    };
    // The attribute, without a value for the spellings (the operation's is its elements').
    let named = pointer_by_names::<P>(
        budget,
        base,
        &pointer_of(&place),
        None,
        Some(respell),
        spellings,
    );
    let named_tokens = tokens(&named);
    renames.push((
        attribute_name.clone(),
        named_tokens[named_tokens.len() - 1].clone(),
    ));
    // The filter's names and the sub-attribute's are the elements' members: each name that
    // an element holds, with the first value that one holds it with. Names that the elements
    // hold as written need none (found without a pass over all of them, as a filter on the
    // key finds the key in the first element).
    let written: Vec<&str> = names[1..].iter().map(|name| &text[name.clone()]).collect();
    let elements: &[Value] = match base.pointer(&named) {
        Some(Value::Array(elements)) => elements,
        Some(object @ Value::Object(_)) => core::slice::from_ref(object),
        _ => &[],
    };
    let mut unfound = written;
    for element in elements.iter().filter_map(Value::as_object) {
        if unfound.is_empty() {
            break;
        }
        unfound.retain(|name| !element.contains_key(*name));
    }
    let mut at: Vec<Step> = named_tokens
        .into_iter()
        .map(|key| Step {
            key,
            in_array: false,
        })
        .collect();
    // The elements that the filter selects: a place of its own, named by the filter's text
    // (its names as the model's) where the sub-attribute's spellings are compared.
    at.push(Step {
        key: String::new(),
        in_array: true,
    });
    let place: Vec<String> = at.iter().map(|step| step.key.clone()).collect();
    let known = |name: &&str| {
        budget
            .known
            .borrow()
            .contains_key(&(place.clone(), (*name).to_owned()))
    };
    let mut held = Map::new();
    if !unfound.iter().all(known) {
        for element in elements.iter().filter_map(Value::as_object) {
            for (key, member) in element {
                if !held.contains_key(key) {
                    held.insert(key.clone(), member.clone());
                }
            }
        }
    }
    // Each name as `held` reads it (or as read before at this place), or as written where
    // the elements hold it so.
    let read = |name: &str, at: &[Step]| {
        if unfound.contains(&name) {
            named_at::<P>(budget, at, &held, name, Some(respell))
        } else {
            (name.to_owned(), name.to_owned())
        }
    };
    let filter_names = &names[1..names.len() - usize::from(sub.is_some())];
    for name in filter_names {
        let (_, named) = read(&text[name.clone()], &at);
        renames.push((name.clone(), named));
    }
    if let Some(sub) = sub {
        let (spelled, named) = read(&text[sub.clone()], &at);
        let filtered = renamed_text(text, renames.clone());
        let close = filtered
            .rfind(']')
            .map_or(filtered.len(), |close| close + 1);
        let open = attribute_name.start + renames[0].1.len();
        if let (Some(filter), Some(step)) = (filtered.get(open..close), at.last_mut()) {
            filter.clone_into(&mut step.key);
        }
        spellings.push(Spelling {
            at,
            written: spelled,
            named: named.clone(),
            value: value.cloned(),
        });
        renames.push((sub, named));
    }
    Some((renamed_text(text, renames), None))
}

/// The JSON Pointer of `place`'s names.
fn pointer_of(place: &[String]) -> String {
    place
        .iter()
        .map(|name| format!("/{}", crate::escape_pointer_token(name)))
        .collect()
}

/// `text` with each of its byte ranges in `renames` (in order, apart) replaced.
fn renamed_text(text: &str, renames: Vec<(core::ops::Range<usize>, String)>) -> String {
    let mut renamed = String::with_capacity(text.len());
    let mut from = 0;
    for (range, name) in renames {
        renamed.push_str(&text[from..range.start]);
        renamed.push_str(&name);
        from = range.end;
    }
    renamed.push_str(&text[from..]);
    renamed
}
