//! Names that differ only in case, which SCIM reads as one (RFC 7643 §2.1): the order of an
//! object patch's operations, and the changes that no operation can say.
//!
//! Case is ASCII case, here as in [`apply_scim_patch`](crate::apply_scim_patch) at every depth:
//! an attribute name is ASCII (`ATTRNAME = ALPHA *(nameChar)`, RFC 7643 §2.1 and RFC 7644
//! §3.4.2.2, whose `ALPHA` is RFC 5234's `A`-`Z` and `a`-`z`), and its case insensitivity is
//! that of those letters. A member name that is not ASCII is no attribute name (no path
//! names it) and is compared exactly: `é` and `É`, `Straße` and `STRASSE`, the dotless `ı`
//! and `I`, the Kelvin sign `\u{212a}` and `k` are two members. (The top level once lowered
//! names with `str::to_lowercase` while the deep check compared ASCII case, so the output
//! refused `{"x": {"é": 1}}` beside the base's `É` as one attribute spelled twice, which the
//! applier reads as two, and took the same two one level deeper; review 170.)

use std::borrow::Cow;
use std::collections::{BTreeMap, HashSet};

use serde_json::{Map, Value};

use crate::{DialectError, merge_patch};

/// A member of an object patch as [`in_case_order`] gives it: its change, and the base's
/// value that the change applies to.
pub(super) struct InCase<'a> {
    pub(super) name: &'a String,
    pub(super) change: Cow<'a, Value>,
    /// The base's value; `None` also where an earlier `remove` of a case variant may have
    /// removed it, so that the change is set whole.
    pub(super) current: Option<&'a Value>,
}

/// The members of an object patch in the order their operations go out, checked for names that
/// differ only in case. SCIM reads attribute names in any case (RFC 7643 §2.1), so `title` and
/// `Title` are one attribute on a server: a member set to `null` whose case variant the patch
/// sets (a rename in case only) goes first, so that its `remove` does not remove the value just
/// set. Where the base also holds the variant that is set, that one is removed first too and
/// set anew whole (its old value merged with the change), since the first `remove` may have
/// removed it, and a server that reads names exactly still holds it. Where the result would
/// hold two such names (both set, one set beside the base's other, or one removed while the
/// base's other stays), no operation can say it.
///
/// `base` is the object that the patch applies to; `path` writes a member's path for the error.
/// The base's own case variants that the patch does not name are left alone.
pub(super) fn in_case_order<'a>(
    base: Option<&'a Map<String, Value>>,
    patch: &'a Map<String, Value>,
    path: impl Fn(&str) -> String,
) -> Result<Vec<InCase<'a>>, DialectError> {
    let in_base = |name: &str| base.and_then(|base| base.get(name));
    let member = |(name, change): (&'a String, &'a Value)| InCase {
        name,
        change: Cow::Borrowed(change),
        current: in_base(name),
    };
    if without_case_variants(base, patch) {
        return Ok(patch.iter().map(member).collect());
    }
    // The names of the patch that lead to an operation, by their lower case, first in each
    // group; then the base's attributes of the same names that the patch leaves.
    // Sorted, so that of several groups with case variants the error names the same one
    // every time (the first by lower-case name).
    let mut groups: BTreeMap<String, Vec<&str>> = BTreeMap::new();
    for (name, change) in patch {
        if !change.is_null() || assigned(in_base(name)) {
            groups
                .entry(name.to_ascii_lowercase())
                .or_default()
                .push(name);
        }
    }
    for (name, value) in base.into_iter().flatten() {
        if !value.is_null()
            && !patch.contains_key(name)
            && let Some(group) = groups.get_mut(&name.to_ascii_lowercase())
        {
            group.push(name);
        }
    }
    let stays = |name: &str| patch.get(name).is_none_or(|change| !change.is_null());
    // Members removed first, and the member set anew whole after them, of each group.
    let mut first = HashSet::new();
    let mut anew = HashSet::new();
    for group in groups.values().filter(|group| group.len() > 1) {
        let staying: Vec<&str> = group.iter().copied().filter(|name| stays(name)).collect();
        let only_the_patchs = staying.len() == 1 && patch.contains_key(staying[0]);
        if !staying.is_empty() && !only_the_patchs {
            let named = group[0];
            let other = staying
                .iter()
                .find(|name| **name != named)
                .unwrap_or(&named);
            return Err(DialectError::ScimNameCase {
                path: path(named),
                other: path(other),
            });
        }
        first.extend(group.iter().copied().filter(|name| !stays(name)));
        anew.extend(staying.into_iter().filter(|name| assigned(in_base(name))));
    }
    if first.is_empty() {
        return Ok(patch.iter().map(member).collect());
    }
    let removed_first = patch
        .iter()
        .filter(|(name, _)| first.contains(name.as_str()))
        .map(member);
    let removed_before_set = patch
        .iter()
        .filter(|(name, _)| anew.contains(name.as_str()))
        .map(|(name, _)| InCase {
            name,
            change: Cow::Owned(Value::Null),
            current: in_base(name),
        });
    let rest = patch
        .iter()
        .filter(|(name, _)| !first.contains(name.as_str()))
        .map(|(name, change)| match in_base(name) {
            Some(current) if anew.contains(name.as_str()) => {
                let mut whole = current.clone();
                merge_patch(&mut whole, change.clone());
                InCase {
                    name,
                    change: Cow::Owned(whole),
                    current: None,
                }
            }
            _ => member((name, change)),
        });
    Ok(removed_first
        .chain(removed_before_set)
        .chain(rest)
        .collect())
}

/// Whether [`in_case_order`] finds no names that differ only in case: no two names of `patch`,
/// and no name of `patch` and an assigned one of `base` that `patch` leaves, are equal in ASCII
/// case. The common case, settled without lowering a name.
///
/// It takes time linear in the number of names: the patch's names go in a set that compares
/// them in any ASCII case. (Each name compared with every other took 80 s for a patch and a
/// base of 20,000 attributes each.)
fn without_case_variants(base: Option<&Map<String, Value>>, patch: &Map<String, Value>) -> bool {
    if patch.len() <= FEW_NAMES {
        without_case_variants_by_pairs(base, patch)
    } else {
        without_case_variants_by_set(base, patch)
    }
}

/// Up to this many names, [`without_case_variants`] compares them in pairs, without
/// allocating or hashing: a user patch's dozen attributes cost a tenth of the set's price
/// (section 19 of BENCHMARKS.md); past it, the set keeps the time linear.
const FEW_NAMES: usize = 16;

/// [`without_case_variants`] for a few names: each name of `patch` compared with the names
/// after it and with the base's (in time `patch.len()` × (`patch.len()` + `base.len()`)).
fn without_case_variants_by_pairs(
    base: Option<&Map<String, Value>>,
    patch: &Map<String, Value>,
) -> bool {
    let names = patch.keys();
    for (at, name) in names.clone().enumerate() {
        if names
            .clone()
            .skip(at + 1)
            .any(|other| name.eq_ignore_ascii_case(other))
        {
            return false;
        }
        let clash = base.into_iter().flatten().any(|(other, value)| {
            name.eq_ignore_ascii_case(other)
                && other != name
                && !value.is_null()
                && !patch.contains_key(other)
        });
        if clash {
            return false;
        }
    }
    true
}

/// [`without_case_variants`] for many names, in time linear in them.
fn without_case_variants_by_set(
    base: Option<&Map<String, Value>>,
    patch: &Map<String, Value>,
) -> bool {
    let mut names = HashSet::with_capacity(patch.len());
    for name in patch.keys() {
        if !names.insert(AsciiCaseless(name)) {
            return false;
        }
    }
    // A name of the base that the patch leaves, assigned, and equal in ASCII case to one of
    // the patch's (not the same name, which the patch would hold).
    !base.into_iter().flatten().any(|(other, value)| {
        !value.is_null() && !patch.contains_key(other) && names.contains(&AsciiCaseless(other))
    })
}

/// A name that compares and hashes in any ASCII case, for [`without_case_variants_by_set`].
struct AsciiCaseless<'a>(&'a str);

impl PartialEq for AsciiCaseless<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.0.eq_ignore_ascii_case(other.0)
    }
}

impl Eq for AsciiCaseless<'_> {}

impl core::hash::Hash for AsciiCaseless<'_> {
    fn hash<H: core::hash::Hasher>(&self, state: &mut H) {
        for byte in self.0.bytes() {
            state.write_u8(byte.to_ascii_lowercase());
        }
        // The end, as `str`'s own hash marks it.
        state.write_u8(0xff);
    }
}

/// The first two members of one object in `value`, at any depth (elements of arrays too), whose
/// names differ only in ASCII case, as [`apply_scim_patch`](crate::apply_scim_patch) compares
/// names (RFC 7643 §2.1: `givenName` and `GivenName` are one attribute): their paths below
/// `value` (members joined by `.`, elements as `[n]`: `[0].Value`), the earlier one first.
/// An object's own names are compared before its members' values are searched.
///
/// A value written whole, or merged into another, that holds two such members says two things
/// of one attribute: which one holds depends on the reader.
pub(super) fn first_case_clash(value: &Value) -> Option<(String, String)> {
    let below = |at: String, (first, second): (String, String)| {
        (path_below(&at, &first), path_below(&at, &second))
    };
    match value {
        Value::Object(members) => clash_in(members)
            .map(|(first, second)| (first.to_owned(), second.to_owned()))
            .or_else(|| {
                members.iter().find_map(|(name, member)| {
                    first_case_clash(member).map(|clash| below(name.clone(), clash))
                })
            }),
        Value::Array(items) => items.iter().enumerate().find_map(|(at, item)| {
            first_case_clash(item).map(|clash| below(format!("[{at}]"), clash))
        }),
        _ => None,
    }
}

/// The path `below` (as [`first_case_clash`] writes it) under the path `at`: `at.below`, or
/// `at[0].below` for an element's.
pub(super) fn path_below(at: &str, below: &str) -> String {
    if below.starts_with('[') {
        format!("{at}{below}")
    } else {
        format!("{at}.{below}")
    }
}

/// The first two names of `members` equal in ASCII case: compared in pairs up to
/// [`FEW_NAMES`] names, past them through a set ([`AsciiCaseless`]) in linear time.
fn clash_in(members: &Map<String, Value>) -> Option<(&str, &str)> {
    let mut names = members.keys();
    if members.len() <= FEW_NAMES {
        while let Some(name) = names.next() {
            let mut after = names.clone();
            if let Some(other) = after.find(|other| name.eq_ignore_ascii_case(other)) {
                return Some((name.as_str(), other.as_str()));
            }
        }
        return None;
    }
    let mut seen = HashSet::with_capacity(members.len());
    names.find_map(|name| match seen.get(&AsciiCaseless(name)) {
        Some(AsciiCaseless(first)) => Some((*first, name.as_str())),
        None => {
            seen.insert(AsciiCaseless(name));
            None
        }
    })
}

/// Whether the resource holds a value there (SCIM's unassigned is absent or `null`).
pub(super) fn assigned(value: Option<&Value>) -> bool {
    value.is_some_and(|value| !value.is_null())
}

#[cfg(test)]
mod tests {
    use serde_json::{Map, Value, json};

    /// The two ways of [`super::without_case_variants`] agree, on names equal in ASCII case or
    /// not, not ASCII, in the base assigned or null, left or taken by the patch.
    #[test]
    fn pairs_and_set_agree() {
        let names = ["a", "A", "b", "B", "\u{212a}", "k", "K", "ab", "aB"];
        let mut seed = 7_u64;
        let mut next = move || {
            seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
            seed >> 33
        };
        for _ in 0..5_000 {
            let mut object = |values: &[Value]| -> Map<String, Value> {
                (0..next() % 5)
                    .map(|_| {
                        let name = names[(next() % names.len() as u64) as usize];
                        let value = values[(next() % values.len() as u64) as usize].clone();
                        (name.to_owned(), value)
                    })
                    .collect()
            };
            let patch = object(&[json!(1), Value::Null]);
            let base = object(&[json!(2), Value::Null]);
            for base in [None, Some(&base)] {
                assert_eq!(
                    super::without_case_variants_by_pairs(base, &patch),
                    super::without_case_variants_by_set(base, &patch),
                    "{base:?} {patch:?}"
                );
            }
        }
    }
}
