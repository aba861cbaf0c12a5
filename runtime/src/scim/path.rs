//! A SCIM path (RFC 7644 §3.5.2 "PATH"): `attr`, `attr.sub`, `attr[filter]` and
//! `attr[filter].sub`, optionally qualified by a schema URN (`urn:…:User:attr`, RFC 7644
//! §3.10), read with its filter of comparisons (RFC 7644 §3.4.2.2: `eq`, and for the core
//! applier `ne`, `co`, `sw`, `ew`, `gt`, `ge`, `lt`, `le` and `pr`, parentheses and `not (…)`)
//! joined by `and` and `or`;
//! the filter's match of an element; and how attribute names compare ([`Names`]).

use serde_json::{Map, Value};

use super::attribute_name::{has_urn_prefix, is_schema_urn};
use super::filter_cursor::Cursor;
use crate::keyed_array::key_identity;
use crate::member_order::map_keeps_insertion_order;

/// A path: `attribute` (with its schema URN and `:` before it where the path had one), then an
/// optional filter on its elements, then an optional sub-attribute.
#[derive(Debug, PartialEq)]
pub(crate) struct Path {
    pub(crate) attribute: String,
    pub(crate) filter: Option<Filter>,
    pub(crate) sub_attribute: Option<String>,
}

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
    fn read(word: &str) -> Option<Operator> {
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
            (Value::Number(a), Value::Number(b)) => a.as_f64()?.partial_cmp(&b.as_f64()?),
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
            Operator::Pr => match attribute {
                Value::Null => false,
                Value::String(text) => !text.is_empty(),
                Value::Array(items) => !items.is_empty(),
                Value::Object(members) => !members.is_empty(),
                _ => true,
            },
        }
    }
}

/// How attribute names compare: in any case, as RFC 7643 §2.1 reads them (the core applier),
/// or exactly (PingOne, whose names are case-sensitive: the emulator).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Names {
    /// `Name.Given` finds `name.given`.
    AnyCase,
    /// `Name.Given` does not find `name.given`.
    #[cfg_attr(not(feature = "emulator"), allow(dead_code))]
    Exact,
}

/// The rules that the core applier and the emulator apply differently: how names compare,
/// whether a filter selects simple values by `value` (RFC 7644 §3.5.2.2: "a complex filter is
/// specified comparing a \"value\""; PingOne's emulator refuses it, as it did), and whether a
/// `replace` at a filter on an absent attribute adds (RFC 7644 §3.5.2.3; the emulator answers
/// `noTarget`, as it did).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Rules {
    /// How the names of the resource's own attributes compare (`Exact` where the caller has
    /// found each in any case already, through its index of the resource's names).
    pub(crate) top: Names,
    /// How the sub-attribute of a path `attr.sub` (without filter) compares (`Exact` where the
    /// caller has found it in any case already, through its index of the attribute's names).
    pub(crate) sub: Names,
    /// How the other names inside an attribute compare (sub-attributes in a value or a filter,
    /// an extension's attributes).
    pub(crate) names: Names,
    /// Whether `remove` at `attr[value eq …]` removes the simple values of `attr` it matches
    /// (else it is `invalidFilter`).
    pub(crate) simple_values: bool,
    /// Whether `replace` at `attr[filter]` (`.sub`) where `attr` has no value adds the element
    /// that the filter describes, as an `add` does (RFC 7644 §3.5.2.3: an attribute that does
    /// not exist is added); else it is `noTarget`, as where no value matches.
    pub(crate) replace_adds_absent: bool,
    /// Whether an `add` of a complex element to a multi-valued attribute leaves it out where
    /// an element holds its `value` and its other sub-attributes already (RFC 7644 §3.5.2.1:
    /// "If the target location already contains the value specified, no changes SHOULD be
    /// made"); else only an element equal as JSON is left out, as PingOne's emulator did.
    pub(crate) contained_elements: bool,
}

impl Rules {
    /// RFC 7643 and RFC 7644 as written: [`apply_scim_patch`](crate::apply_scim_patch).
    pub(crate) const RFC: Rules = Rules {
        top: Names::AnyCase,
        sub: Names::AnyCase,
        names: Names::AnyCase,
        simple_values: true,
        replace_adds_absent: true,
        contained_elements: true,
    };
}

impl Names {
    /// Whether `a` and `b` name one attribute. Attribute names are ASCII (RFC 7643 §2.1); a
    /// schema URN compares in ASCII case too (RFC 8141 §3.1 compares its `urn` and NID so).
    pub(crate) fn same(self, a: &str, b: &str) -> bool {
        match self {
            Names::AnyCase => a.eq_ignore_ascii_case(b),
            Names::Exact => a == b,
        }
    }

    /// The key of `object` that names `name`: the first, where several differ only in case.
    pub(crate) fn key<'m>(self, object: &'m Map<String, Value>, name: &str) -> Option<&'m String> {
        match self {
            Names::Exact => object.get_key_value(name).map(|(key, _)| key),
            Names::AnyCase => object
                .get_key_value(name)
                .map(|(key, _)| key)
                .or_else(|| object.keys().find(|key| key.eq_ignore_ascii_case(name))),
        }
    }

    /// The value of `object` that `name` names.
    pub(crate) fn get<'m>(self, object: &'m Map<String, Value>, name: &str) -> Option<&'m Value> {
        self.key(object, name).and_then(|key| object.get(key))
    }

    /// The slot of `object` that `name` names, `null` inserted under `name` when none does.
    pub(crate) fn slot<'m>(self, object: &'m mut Map<String, Value>, name: &str) -> &'m mut Value {
        let key = self.key(object, name).cloned();
        object
            .entry(key.unwrap_or_else(|| name.to_owned()))
            .or_insert(Value::Null)
    }

    /// Removes every member of `object` that `name` names (`retain`, not `remove`: with
    /// serde_json's `preserve_order`, `remove` moves the last member into the removed one's
    /// place), scanning `object` only where one is held.
    pub(crate) fn remove(self, object: &mut Map<String, Value>, name: &str) {
        match self {
            // Sorted by name, a map removes a member in place.
            Names::Exact if !map_keeps_insertion_order() => {
                object.remove(name);
            }
            _ => {
                if self.key(object, name).is_some() {
                    object.retain(|key, _| !self.same(key, name));
                }
            }
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

/// The schema URN and the attribute name of a URN-qualified `attribute` (`urn:…:User` and
/// `employeeNumber`), or `None` for a plain name.
pub(crate) fn split_urn(attribute: &str) -> Option<(&str, &str)> {
    if has_urn_prefix(attribute) {
        attribute.rsplit_once(':')
    } else {
        None
    }
}

/// The start of a core schema's URN (RFC 7643 §8.7.1: `urn:ietf:params:scim:schemas:core:2.0:User`).
const CORE_SCHEMA: &str = "urn:ietf:params:scim:schemas:core:";

/// Whether `urn` is a core schema's (`urn:ietf:params:scim:schemas:core:…`, in any case), whose
/// attributes are the resource's own rather than an extension's object's.
pub(crate) fn is_core_schema(urn: &str) -> bool {
    urn.get(..CORE_SCHEMA.len())
        .is_some_and(|start| start.eq_ignore_ascii_case(CORE_SCHEMA))
}

/// Reads a path: `attr`, `attr.sub`, `attr[filter]` or `attr[filter].sub`, each optionally
/// after a schema URN and `:` (RFC 7644 §3.10: `urn:…:enterprise:2.0:User:manager.value`).
/// Its filter holds `eq` comparisons only (PingOne's, the emulator's).
pub(crate) fn read_path(text: &str) -> Result<Path, String> {
    read_path_telling_filter(text, false).map_err(|(reason, _)| reason)
}

/// As [`read_path`], with every operator of RFC 7644 §3.4.2.2, parentheses and `not (…)` when
/// `every_operator`, the error saying also whether it lies in the filter (between `[` and
/// `]`): `invalidFilter` rather than `invalidPath` (RFC 7644 §3.12).
pub(crate) fn read_path_telling_filter(
    text: &str,
    every_operator: bool,
) -> Result<Path, (String, bool)> {
    let in_path = |reason: String| (reason, false);
    let mut start = 0;
    if has_urn_prefix(text) {
        // The URN ends at the last `:` before a filter (a filter's value may hold `:`; the
        // URN holds `.`, as in `2.0`, which an attribute's `:` comes after).
        let head = text.find('[').map_or(text, |at| &text[..at]);
        let urn = head.rfind(':').map_or(head, |colon| &head[..colon]);
        if !is_schema_urn(urn) {
            return Err(in_path(format!(
                "{urn:?} is not a schema URN (RFC 7644 §3.10: `urn:`, a namespace, `:` and its \
                 name, then `:` and the attribute's name)"
            )));
        }
        start = urn.len() + 1;
    }
    let mut reader = Reader {
        cursor: Cursor { text, at: start },
        every_operator,
    };
    let name = reader.name().map_err(in_path)?;
    let attribute = if start == 0 {
        name.to_owned()
    } else {
        text[..start + name.len()].to_owned()
    };
    let filter = if reader.eat('[') {
        let mut filter = reader.filter(0).map_err(|reason| (reason, true))?;
        // The emulator's filters stay as read (its tests compare them).
        if every_operator {
            filter.fold_equalities();
        }
        reader.cursor.skip_spaces();
        if !reader.eat(']') {
            return Err((reader.unexpected("`and`, `or` or `]`"), true));
        }
        Some(filter)
    } else {
        None
    };
    let sub_attribute = if reader.eat('.') {
        Some(reader.name().map_err(in_path)?.to_owned())
    } else {
        None
    };
    if reader.cursor.at < text.len() {
        return Err(in_path(reader.unexpected("the end of the path")));
    }
    Ok(Path {
        attribute,
        filter,
        sub_attribute,
    })
}

/// Whether `name` is an attribute name as a path reads one (`ALPHA *(ALPHA / DIGIT / "-" /
/// "_")`, or `$ref`), with no sub-attribute, filter or schema URN.
pub(crate) fn is_attribute_name(name: &str) -> bool {
    !has_urn_prefix(name)
        && read_path(name).is_ok_and(|path| path.filter.is_none() && path.sub_attribute.is_none())
}

/// What a filter may hold, for the errors of what it may not.
pub(crate) const ONLY_EQ: &str = "a filter holds `eq` comparisons joined by `and` and `or`, `and` binding \
     tighter";

/// What a filter of the core applier may hold, for the errors of what it may not.
pub(crate) const EVERY_OPERATOR: &str = "a filter holds comparisons (eq, ne, co, sw, ew, gt, ge, \
     lt, le, pr) joined by `and` and `or`, `and` binding tighter, grouped in parentheses and \
     negated by `not (…)`";

/// Reads a path with the filter reader's [`Cursor`] (its spaces, words and strings); a filter's
/// operators are `eq` alone unless `every_operator`.
struct Reader<'a> {
    cursor: Cursor<'a>,
    every_operator: bool,
}

impl<'a> Reader<'a> {
    /// Consumes `c` if it comes next.
    fn eat(&mut self, c: char) -> bool {
        let found = self.cursor.rest().starts_with(c);
        if found {
            self.cursor.at += c.len_utf8();
        }
        found
    }

    /// An error: what was expected, and what was found at the reader's place.
    fn unexpected(&self, expected: &str) -> String {
        let at = self.cursor.at;
        match self.cursor.rest().chars().next() {
            Some(found) => format!("expected {expected} at byte {at}, found {found:?}"),
            None => format!("expected {expected} at byte {at}, found the end"),
        }
    }

    /// An attribute name: `ALPHA *(ALPHA / DIGIT / "-" / "_")` (RFC 7643 §2.1).
    fn name(&mut self) -> Result<&'a str, String> {
        let rest = self.cursor.rest();
        let name_char = |c: char| c.is_ascii_alphanumeric() || matches!(c, '-' | '_');
        // `$ref`, the one name that does not start with a letter (RFC 7643 §2.4).
        let length = if rest.starts_with("$ref") && !rest[4..].starts_with(name_char) {
            4
        } else if rest.starts_with(|c: char| c.is_ascii_alphabetic()) {
            rest.find(|c: char| !name_char(c)).unwrap_or(rest.len())
        } else {
            return Err(self.unexpected("an attribute name"));
        };
        self.cursor.at += length;
        Ok(&rest[..length])
    }

    /// `valFilter` (RFC 7644 §3.4.2.2, Figure 1): `condition *("and" condition) *("or"
    /// condition *("and" condition))`, `and` binding tighter than `or`; `depth` levels of
    /// parentheses in already.
    fn filter(&mut self, depth: usize) -> Result<Filter, String> {
        let mut any = vec![vec![self.condition(depth)?]];
        loop {
            if self.cursor.keyword("and") {
                let condition = self.condition(depth)?;
                any.last_mut().expect("one group at least").push(condition);
            } else if self.cursor.keyword("or") {
                any.push(vec![self.condition(depth)?]);
            } else {
                return Ok(Filter(any));
            }
        }
    }

    /// A comparison, or, when `every_operator`, `( valFilter )` or `not ( valFilter )`
    /// (RFC 7644 §3.4.2.2: `*1"not" "(" valFilter ")"`), nested [`MAX_FILTER_DEPTH`] levels
    /// deep at most. (An attribute named `not` is compared as any other: `not eq 1`.)
    fn condition(&mut self, depth: usize) -> Result<Condition, String> {
        if self.every_operator {
            self.cursor.skip_spaces();
            let start = self.cursor.at;
            let negated = self.cursor.keyword("not") && {
                self.cursor.skip_spaces();
                self.cursor.rest().starts_with('(')
            };
            if !negated {
                self.cursor.at = start;
            }
            if self.cursor.rest().starts_with('(') {
                if depth == MAX_FILTER_DEPTH {
                    return Err(format!(
                        "parentheses at byte {} nest deeper than {MAX_FILTER_DEPTH} levels",
                        self.cursor.at
                    ));
                }
                self.cursor.at += 1;
                let inner = self.filter(depth + 1)?;
                self.cursor.skip_spaces();
                if !self.eat(')') {
                    return Err(self.unexpected("`and`, `or` or `)`"));
                }
                return Ok(if negated {
                    Condition::Not(inner)
                } else {
                    Condition::Group(inner)
                });
            }
        }
        self.comparison().map(Condition::Compare)
    }

    /// `name op value`, or `name pr`.
    fn comparison(&mut self) -> Result<Comparison, String> {
        let supported = if self.every_operator {
            EVERY_OPERATOR
        } else {
            ONLY_EQ
        };
        self.cursor.skip_spaces();
        if self.cursor.rest().starts_with('(') {
            return Err(format!(
                "grouping with parentheses at byte {} is not supported ({supported})",
                self.cursor.at
            ));
        }
        let name = self.name()?.to_owned();
        let start = self.cursor.at;
        let word = self.cursor.word();
        let operator = Operator::read(word)
            .filter(|operator| self.every_operator || *operator == Operator::Eq);
        let Some(operator) = operator else {
            self.cursor.at = start;
            self.cursor.skip_spaces();
            // `not (...)` or `not x eq ...`: `not` read as an attribute name would make the
            // error name its operand as the operator. (An attribute named `not` is compared
            // as any other: `not eq 1`.)
            if name.eq_ignore_ascii_case("not") && self.every_operator {
                return Err(format!(
                    "the logical operator {name:?} at byte {} negates a filter in parentheses: \
                     not (…) ({supported})",
                    start - name.len()
                ));
            }
            if name.eq_ignore_ascii_case("not") {
                return Err(format!(
                    "the logical operator {name:?} at byte {} is not supported ({supported})",
                    start - name.len()
                ));
            }
            return Err(if word.is_empty() {
                self.unexpected(if self.every_operator {
                    "an operator"
                } else {
                    "the operator eq"
                })
            } else if self.every_operator {
                format!("the operator {word:?} is not supported ({supported})")
            } else {
                format!("the operator {word:?} is not supported (only eq)")
            });
        };
        if operator == Operator::Pr {
            return Ok(Comparison {
                name,
                operator,
                value: Value::Null,
            });
        }
        let at = self.cursor.at;
        let value = self.literal()?;
        let fits = match operator {
            Operator::Co | Operator::Sw | Operator::Ew => value.is_string(),
            Operator::Gt | Operator::Ge | Operator::Lt | Operator::Le => {
                value.is_string() || value.is_number()
            }
            _ => true,
        };
        if !fits {
            return Err(format!(
                "the value {value} after {word:?} at byte {at} is not one it compares: {} \
                 (RFC 7644 §3.4.2.2)",
                if matches!(operator, Operator::Co | Operator::Sw | Operator::Ew) {
                    "a string"
                } else {
                    "a string or a number"
                }
            ));
        }
        Ok(Comparison {
            name,
            operator,
            value,
        })
    }

    /// A JSON string, number, `true`, `false` or `null` (RFC 8259), ending at a space or `]`.
    fn literal(&mut self) -> Result<Value, String> {
        self.cursor.skip_spaces();
        let at = self.cursor.at;
        let literal = if self.cursor.rest().starts_with('"') {
            self.cursor
                .quoted()
                .ok_or("a string value's closing quote is missing")?
        } else {
            let rest = self.cursor.rest();
            // The core applier's filters group with parentheses: `(type eq 1)`.
            let ends: &[char] = if self.every_operator {
                &[' ', ']', ')']
            } else {
                &[' ', ']']
            };
            let length = rest.find(ends).unwrap_or(rest.len());
            self.cursor.at += length;
            &rest[..length]
        };
        if literal.is_empty() {
            return Err(self.unexpected("a value"));
        }
        serde_json::from_str::<Value>(literal)
            .ok()
            .filter(|value| !value.is_array() && !value.is_object())
            .ok_or_else(|| {
                format!(
                    "the value {literal} at byte {at} is not a JSON string, number, true, false \
                     or null"
                )
            })
    }
}
