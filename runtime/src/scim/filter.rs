//! A SCIM filter inside a path's brackets (RFC 7644 §3.4.2.2: `eq`, and for the core applier
//! `ne`, `co`, `sw`, `ew`, `gt`, `ge`, `lt`, `le` and `pr`, parentheses and `not (…)`, joined
//! by `and` and `or`), as [`read_path`](super::path::read_path) reads it, and its match of an
//! element; how a filter's values compare with an attribute's.

use serde_json::Value;

use super::name_rules::Names;
use crate::keyed_array::key_identity;
use crate::number_identity::compare_numbers;

/// `or` of `and`s of conditions: RFC 7644 §3.4.2.2's `valFilter`, `and` binding tighter than
/// `or`.
#[derive(Debug, PartialEq)]
pub(crate) struct Filter(pub(crate) Vec<Vec<Condition>>);

/// One operand of a filter's `and`: a comparison, a filter in parentheses, or one negated by
/// `not (…)` (RFC 7644 §3.4.2.2, Figure 1: `*1"not" "(" valFilter ")"`). Only the core
/// applier's reader gives the last two; the emulator's, PingOne's, refuses them.
#[derive(Debug, PartialEq)]
pub(crate) enum Condition {
    /// `name op value`.
    Compare(Comparison),
    /// `( filter )`.
    Group(Filter),
    /// `not ( filter )`.
    Not(Filter),
    /// The sub-attribute `name` equals one of the values whose [`value_key`]s are `keys`: the
    /// `or` of `name eq …` comparisons that a `remove`'s value gives (`members` with
    /// `[{"value": …}, …]`, `remove_by_value`), looked up rather than compared one by one.
    OneOf {
        name: String,
        keys: std::collections::HashSet<String>,
    },
}

impl From<Comparison> for Condition {
    fn from(comparison: Comparison) -> Self {
        Condition::Compare(comparison)
    }
}

/// How deep parentheses (and `not (…)`) may nest in a filter: the reader and the matcher
/// recurse once per level, and a path of 100,000 `(` overflowed the stack before this limit.
/// Real filters nest two or three levels.
pub(crate) const MAX_FILTER_DEPTH: usize = 32;

/// `name op value` (`name pr`: `value` is `null`).
#[derive(Debug, PartialEq)]
pub(crate) struct Comparison {
    pub(crate) name: String,
    pub(crate) operator: Operator,
    pub(crate) value: Value,
}

/// A comparison's operator (RFC 7644 §3.4.2.2, table 3).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Operator {
    Eq,
    Ne,
    Co,
    Sw,
    Ew,
    Gt,
    Ge,
    Lt,
    Le,
    Pr,
}

impl Operator {
    /// The operator `word` names, in any case (RFC 7644 §3.4.2.2: "case insensitive").
    pub(super) fn read(word: &str) -> Option<Operator> {
        const ALL: [(&str, Operator); 10] = [
            ("eq", Operator::Eq),
            ("ne", Operator::Ne),
            ("co", Operator::Co),
            ("sw", Operator::Sw),
            ("ew", Operator::Ew),
            ("gt", Operator::Gt),
            ("ge", Operator::Ge),
            ("lt", Operator::Lt),
            ("le", Operator::Le),
            ("pr", Operator::Pr),
        ];
        ALL.iter()
            .find(|(name, _)| word.eq_ignore_ascii_case(name))
            .map(|&(_, operator)| operator)
    }

    /// Whether an attribute's value (`null` when absent) passes the comparison with `value`.
    /// Strings compare in any case, as for an attribute that is not `caseExact` (RFC 7643
    /// §2.2's default); `co`, `sw` and `ew` take strings, `gt`, `ge`, `lt` and `le` strings
    /// (lexically) and numbers, each against its own kind (the reader refuses a boolean or
    /// `null` for them: "Boolean and Binary attributes SHALL cause a failed response",
    /// `invalidFilter`); `pr` a value that is there and not empty.
    fn passes(self, attribute: &Value, value: &Value) -> bool {
        use std::cmp::Ordering;
        let text = |value: &Value| value.as_str().map(str::to_lowercase);
        let order = || match (attribute, value) {
            (Value::Number(a), Value::Number(b)) => compare_numbers(a, b),
            (Value::String(a), Value::String(b)) => Some(a.to_lowercase().cmp(&b.to_lowercase())),
            _ => None,
        };
        match self {
            Operator::Eq => same_value(attribute, value),
            Operator::Ne => !same_value(attribute, value),
            Operator::Co | Operator::Sw | Operator::Ew => match (text(attribute), text(value)) {
                (Some(attribute), Some(value)) => match self {
                    Operator::Co => attribute.contains(&value),
                    Operator::Sw => attribute.starts_with(&value),
                    _ => attribute.ends_with(&value),
                },
                _ => false,
            },
            Operator::Gt => order() == Some(Ordering::Greater),
            Operator::Ge => matches!(order(), Some(Ordering::Greater | Ordering::Equal)),
            Operator::Lt => order() == Some(Ordering::Less),
            Operator::Le => matches!(order(), Some(Ordering::Less | Ordering::Equal)),
            Operator::Pr => present(attribute),
        }
    }
}

impl Filter {
    /// Whether one of the `and` groups matches an element entirely: an object's
    /// sub-attributes, or a simple value, which a comparison of `value` compares and which
    /// has no other sub-attribute (RFC 7644 §3.5.2.2: a filter "comparing a \"value\"" selects
    /// the values of a multi-valued attribute of simple values).
    ///
    /// An element without the sub-attribute that a comparison names compares as `null`
    /// (unassigned and `null` are one state, RFC 7643 §2.5): so `ne` matches it (`type ne
    /// "work"` selects an element without `type`, as `not (type eq "work")` does), and `eq`,
    /// `co`, `sw`, `ew`, `gt`, `ge`, `lt`, `le` and `pr` do not.
    pub(crate) fn matches(&self, element: &Value, names: Names) -> bool {
        self.0.iter().any(|all| {
            all.iter().all(|condition| match condition {
                Condition::Compare(comparison) => {
                    #[cfg(test)]
                    COMPARISONS.with(|count| count.set(count.get() + 1));
                    comparison.operator.passes(
                        sub_attribute(element, &comparison.name, names).unwrap_or(&Value::Null),
                        &comparison.value,
                    )
                }
                Condition::Group(filter) => filter.matches(element, names),
                Condition::Not(filter) => !filter.matches(element, names),
                Condition::OneOf { name, keys } => {
                    #[cfg(test)]
                    COMPARISONS.with(|count| count.set(count.get() + 1));
                    sub_attribute(element, name, names).is_some_and(|value| {
                        !value.is_array() && !value.is_object() && keys.contains(&value_key(value))
                    })
                }
            })
        })
    }

    /// The same filter, with the `or`ed comparisons `name eq VALUE` of one name (a string,
    /// number or boolean) made one [`Condition::OneOf`], here and in its groups: an element
    /// is then looked up among the values rather than compared with each, so that
    /// `members[value eq "a" or value eq "b" or …]` with 4,000 values on 4,000 members makes
    /// 4,000 comparisons, not 16,000,000. (`eq null` stays: it selects an element without the
    /// sub-attribute, which a look-up does not find.)
    pub(crate) fn fold_equalities(&mut self) {
        for all in &mut self.0 {
            for condition in all {
                if let Condition::Group(filter) | Condition::Not(filter) = condition {
                    filter.fold_equalities();
                }
            }
        }
        if self.0.len() < 2 {
            return;
        }
        let mut equalities: Vec<(String, Vec<Comparison>)> = Vec::new();
        // Where each name's comparisons are in `equalities`, by the name in lower case.
        let mut places: std::collections::HashMap<String, usize> = Default::default();
        let mut kept = Vec::with_capacity(self.0.len());
        for mut all in std::mem::take(&mut self.0) {
            match all.as_mut_slice() {
                [Condition::Compare(comparison)]
                    if comparison.operator == Operator::Eq
                        && !matches!(
                            comparison.value,
                            Value::Null | Value::Array(_) | Value::Object(_)
                        ) =>
                {
                    let Some(Condition::Compare(comparison)) = all.pop() else {
                        unreachable!("one comparison")
                    };
                    let place = *places
                        .entry(comparison.name.to_ascii_lowercase())
                        .or_insert_with(|| {
                            equalities.push((comparison.name.clone(), Vec::new()));
                            equalities.len() - 1
                        });
                    equalities[place].1.push(comparison);
                }
                _ => kept.push(all),
            }
        }
        for (name, mut comparisons) in equalities {
            kept.push(if comparisons.len() == 1 {
                vec![Condition::Compare(comparisons.remove(0))]
            } else {
                let keys = comparisons
                    .iter()
                    .map(|comparison| value_key(&comparison.value))
                    .collect();
                vec![Condition::OneOf { name, keys }]
            });
        }
        self.0 = kept;
    }

    /// The `eq` comparisons that every element the filter selects passes, where the filter
    /// says one element (no `or` outside a `not`): those of its `and`, and of the groups it
    /// `and`s in. A negated group says nothing of what an element holds, and is left out.
    /// `None` for a filter with `or`, which does not say which element.
    pub(crate) fn described(&self) -> Option<Vec<&Comparison>> {
        let [all] = self.0.as_slice() else {
            return None;
        };
        let mut described = Vec::new();
        for condition in all {
            match condition {
                Condition::Compare(comparison) => described.push(comparison),
                Condition::Group(filter) => described.extend(filter.described()?),
                Condition::Not(_) => {}
                // An `or` of values (two or more): which one is not said.
                Condition::OneOf { .. } => return None,
            }
        }
        Some(described)
    }
}

/// The sub-attribute `name` of `element`: an object's member, or a simple value itself for
/// `value` (RFC 7644 §3.5.2.2: a filter "comparing a \"value\"" selects simple values).
fn sub_attribute<'v>(element: &'v Value, name: &str, names: Names) -> Option<&'v Value> {
    match element {
        Value::Object(members) => names.get(members, name),
        simple => names.same(name, "value").then_some(simple),
    }
}

#[cfg(test)]
thread_local! {
    /// How many comparisons [`Filter::matches`] made on this thread: the unit tests count the
    /// work of a large message with it, rather than time it.
    pub(crate) static COMPARISONS: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// Whether `value` is present as `pr` reads it (RFC 7644 §3.4.2.2: "If the attribute has a
/// non-empty value, or if it contains a non-empty node for complex attributes, there is a
/// match"): a number, a boolean, a string other than `""`, or an array or object that holds
/// one of those at some depth. `{"k": null}`, `[null, ""]` and `{}` are not (an object of
/// `null`s was present, review 38). A simple value is read as it is; a complex one is walked
/// with a heap stack, not recursion.
fn present(value: &Value) -> bool {
    match value {
        Value::Null => return false,
        Value::String(text) => return !text.is_empty(),
        Value::Number(_) | Value::Bool(_) => return true,
        Value::Array(_) | Value::Object(_) => {}
    }
    let mut pending = vec![value];
    while let Some(value) = pending.pop() {
        match value {
            Value::Null => {}
            Value::String(text) if text.is_empty() => {}
            Value::Array(items) => pending.extend(items),
            Value::Object(members) => pending.extend(members.values()),
            _ => return true,
        }
    }
    false
}

/// A string for a filter's string, number, boolean or `null` value that two values share
/// exactly when [`same_value`] says they are equal: a string in lower case (as
/// [`equal_in_any_case`] compares), a number by [`key_identity`], the rest as JSON.
pub(crate) fn value_key(value: &Value) -> String {
    match value {
        Value::String(text) => format!("s{}", text.to_lowercase()),
        Value::Number(_) => format!("n{}", key_identity(value)),
        other => format!("j{other}"),
    }
}

/// Whether a filter's value equals an attribute's: numbers by value (`1`, `1.0` and `1e0` are
/// one number), strings in any case, as RFC 7644 §3.4.2.2 compares them for an attribute that
/// is not `caseExact` (RFC 7643 §2.2 makes that the default); the rest exactly.
fn same_value(attribute: &Value, value: &Value) -> bool {
    match (attribute, value) {
        (Value::Number(_), Value::Number(_)) => key_identity(attribute) == key_identity(value),
        (Value::String(attribute), Value::String(value)) => equal_in_any_case(attribute, value),
        _ => attribute == value,
    }
}

/// `a` and `b` are equal in any case (Unicode lower case; ASCII compared without allocating):
/// how SCIM filters compare strings (RFC 7644 §3.4.2.2), in PATCH paths and in the emulator's
/// list filter.
pub(crate) fn equal_in_any_case(a: &str, b: &str) -> bool {
    if a.is_ascii() && b.is_ascii() {
        a.eq_ignore_ascii_case(b)
    } else {
        a.to_lowercase() == b.to_lowercase()
    }
}
