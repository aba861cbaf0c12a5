//! How SCIM attribute names compare ([`Names`]: in any case, RFC 7643 §2.1, or exactly, as
//! PingOne does) and the other rules in which the core applier and the emulator differ
//! ([`Rules`]).

use serde_json::{Map, Value};

use crate::member_order::remove_member;

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
    /// How the attribute names of an extension's object compare, for a URN-qualified path
    /// (`urn:…:User:employeeNumber`, RFC 7644 §3.10): `Exact` where the caller has found the
    /// attribute in any case already, through its index of the extension's names.
    pub(crate) extension: Names,
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
    /// Whether an `add` finds an element held by the equality of SCIM values (strings in any
    /// case, as RFC 7643 §2.2's default `caseExact: false` compares them and as a filter's
    /// `eq` and a `remove`'s value do; numbers by value, `1` as `1.0`), or as JSON, as PingOne's
    /// emulator did.
    pub(crate) equal_as_scim_values: bool,
    /// Whether a `replace` of a multi-valued attribute (one that holds an array) with one
    /// value that is not an array gives it that value as its only one, as an `add` of one
    /// value appends it (Captain-P-Goldfish/SCIM-SDK#47, SAP-archive/scimono#82); else the
    /// value replaces the array as it is, as PingOne's emulator did (its `replace` at `attr`
    /// is the merge patch `{"attr": X}`).
    pub(crate) one_value_replaces_values: bool,
}

impl Rules {
    /// RFC 7643 and RFC 7644 as written: [`apply_scim_patch`](crate::apply_scim_patch).
    pub(crate) const RFC: Rules = Rules {
        top: Names::AnyCase,
        sub: Names::AnyCase,
        extension: Names::AnyCase,
        names: Names::AnyCase,
        simple_values: true,
        replace_adds_absent: true,
        contained_elements: true,
        equal_as_scim_values: true,
        one_value_replaces_values: true,
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
            Names::AnyCase => object.get_key_value(name).map(|(key, _)| key).or_else(|| {
                object.keys().find(|key| {
                    #[cfg(test)]
                    NAMES_SCANNED.with(|count| count.set(count.get() + 1));
                    key.eq_ignore_ascii_case(name)
                })
            }),
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

    /// Removes every member of `object` that `name` names, the others kept in their order
    /// ([`remove_member`]: with serde_json's `preserve_order`, `Map::remove` moves the last
    /// member into the removed one's place), scanning `object` only where one is held in
    /// another case.
    pub(crate) fn remove(self, object: &mut Map<String, Value>, name: &str) {
        match self {
            Names::Exact => {
                remove_member(object, name);
            }
            Names::AnyCase => {
                if self.key(object, name).is_some() {
                    let held: Vec<String> = object
                        .keys()
                        .filter(|key| self.same(key, name))
                        .cloned()
                        .collect();
                    for key in held {
                        remove_member(object, &key);
                    }
                }
            }
        }
    }
}

#[cfg(test)]
thread_local! {
    /// How many names [`Names::key`] compared in a scan of an object's names on this thread:
    /// the unit tests count the work of a large message with it, rather than time it.
    pub(crate) static NAMES_SCANNED: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}
