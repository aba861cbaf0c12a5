//! [`NameIndex`]: the names of a resource's attributes in lower case, and [`Spellings`], its
//! attributes' and its complex attributes' sub-attributes', so that
//! [`apply_scim_patch`](crate::apply_scim_patch) finds an attribute named in another case
//! (RFC 7643 §2.1) without a scan of the resource per operation.

use std::collections::{HashMap, HashSet};

use serde_json::{Map, Value};

use super::attribute_name::has_urn_prefix;
use super::path::{Path, is_core_schema, split_urn};

/// Each attribute name of a resource in ASCII lower case, with the spellings that the resource
/// holds it in, kept up to date by [`refresh`](Self::refresh) after each operation.
///
/// Found by a scan of the resource's names instead, an attribute that the resource does not
/// hold cost a pass over all of them: a message of 20,000 `add`s of new attributes to a
/// resource of 20,000 (0.9 MB) took 34 s.
pub(super) struct NameIndex(HashMap<String, Vec<String>>);

impl NameIndex {
    pub(super) fn new(resource: &Map<String, Value>) -> Self {
        let mut index: HashMap<String, Vec<String>> = HashMap::with_capacity(resource.len());
        for name in resource.keys() {
            index
                .entry(name.to_ascii_lowercase())
                .or_default()
                .push(name.clone());
        }
        NameIndex(index)
    }

    /// The spelling of the attribute `name` in the resource: `name` where the resource holds it
    /// so (or not at all), else the first of its spellings.
    fn spelling<'a>(&'a self, name: &'a str) -> &'a str {
        match self.0.get(&name.to_ascii_lowercase()) {
            Some(spellings) if !spellings.iter().any(|held| held == name) => {
                spellings.first().map_or(name, String::as_str)
            }
            _ => name,
        }
    }

    /// `attribute` (a name, or a URN-qualified name: RFC 7644 §3.10) spelled as the resource
    /// holds it: the whole name, else its schema URN (the extension's member).
    pub(super) fn resolve(&self, attribute: &str) -> String {
        let whole = self.spelling(attribute);
        if whole != attribute {
            return whole.to_owned();
        }
        let held_whole = self.holds(attribute);
        match split_urn(attribute) {
            // A core schema's attribute that no member holds is the resource's own.
            Some((urn, name)) if !held_whole && is_core_schema(urn) && !self.holds(urn) => {
                format!("{urn}:{}", self.spelling(name))
            }
            Some((urn, name)) if !held_whole => format!("{}:{name}", self.spelling(urn)),
            _ => attribute.to_owned(),
        }
    }

    /// The spellings of `attribute` that the resource holds other than `attribute` itself
    /// (a plain name only): a `remove` removes the attribute in any case.
    pub(super) fn others(&self, attribute: &str) -> Vec<String> {
        if split_urn(attribute).is_some() {
            return Vec::new();
        }
        self.0
            .get(&attribute.to_ascii_lowercase())
            .into_iter()
            .flatten()
            .filter(|held| *held != attribute)
            .cloned()
            .collect()
    }

    /// The spelling of `name` among the names indexed, as [`spelling`](Self::spelling).
    pub(super) fn spell(&self, name: &str) -> String {
        self.spelling(name).to_owned()
    }

    /// After an operation: the spellings of `name` as `object` now holds them.
    pub(super) fn refresh_in(&mut self, object: &Map<String, Value>, name: &str) {
        self.refresh_name(object, name);
    }

    /// Whether the resource holds `name` in some case.
    fn holds(&self, name: &str) -> bool {
        self.0
            .get(&name.to_ascii_lowercase())
            .is_some_and(|spellings| !spellings.is_empty())
    }

    /// After an operation at `attribute` (as [`resolve`](Self::resolve) gave it): the spellings
    /// of its name, and of its schema URN, as `resource` now holds them.
    pub(super) fn refresh(&mut self, resource: &Map<String, Value>, attribute: &str) {
        self.refresh_name(resource, attribute);
        if let Some((urn, name)) = split_urn(attribute) {
            self.refresh_name(resource, urn);
            self.refresh_name(resource, name);
        }
    }

    fn refresh_name(&mut self, resource: &Map<String, Value>, name: &str) {
        let spellings = self.0.entry(name.to_ascii_lowercase()).or_default();
        spellings.retain(|held| resource.contains_key(held));
        if resource.contains_key(name) && !spellings.iter().any(|held| held == name) {
            spellings.push(name.to_owned());
        }
    }
}

/// The spellings of the resource's attribute names ([`NameIndex`]), and of the sub-attribute
/// names of its complex attributes that paths `attr.sub` have named: an attribute or a
/// sub-attribute that the resource does not hold as written is found in another case without
/// a pass over every name held, per operation (20,000 `add`s at `name.newN` to a `name` of
/// 20,000 took 28 s).
pub(super) struct Spellings {
    pub(super) top: NameIndex,
    /// By the resource's name of a complex attribute, its sub-attributes' names.
    pub(super) subs: HashMap<String, NameIndex>,
    /// The resource's members named by a URN at the message's start, in lower case: each
    /// names an extension whole through the message ([`named_whole`](Self::named_whole)).
    pub(super) urns_at_start: HashSet<String>,
}

impl Spellings {
    /// The spellings of `resource`'s names, before a message's first operation.
    pub(super) fn new(resource: &Map<String, Value>) -> Self {
        Spellings {
            top: NameIndex::new(resource),
            subs: HashMap::new(),
            urns_at_start: resource
                .keys()
                .filter(|name| has_urn_prefix(name))
                .map(|name| name.to_ascii_lowercase())
                .collect(),
        }
    }

    /// Whether the URN-qualified `attribute` named a member of the resource whole at the
    /// message's start, and the resource holds none of that name now (a `remove` took it): it
    /// names that member still (RFC 7643 §3.3), not `ATTRNAME` after a shorter URN, so that one
    /// text has one meaning through the message (an `add` at a custom extension's URN after
    /// its `remove` wrote `{"urn:example:params": {"Custom": …}}`).
    pub(super) fn named_whole(&self, resource: &Map<String, Value>, attribute: &str) -> bool {
        !resource.contains_key(attribute)
            && self.urns_at_start.contains(&attribute.to_ascii_lowercase())
    }

    /// `path` spelled as the resource holds its attribute and, for `attr.sub` without filter
    /// or schema URN, its sub-attribute: then `true`, and the sub-attribute compares exactly.
    pub(super) fn spell(&mut self, resource: &Map<String, Value>, path: &mut Path) -> bool {
        path.attribute = self.top.resolve(&path.attribute);
        let (None, Some(sub), None) = (
            &path.filter,
            &path.sub_attribute,
            split_urn(&path.attribute),
        ) else {
            return false;
        };
        if let Some(Value::Object(object)) = resource.get(&path.attribute) {
            let index = self
                .subs
                .entry(path.attribute.clone())
                .or_insert_with(|| NameIndex::new(object));
            let spelled = index.spell(sub);
            path.sub_attribute = Some(spelled);
        }
        true
    }

    /// `path`'s attribute of an extension (`urn:…:User:employeeNumber`, RFC 7644 §3.10, after
    /// [`spell`](Self::spell) has spelled the URN as the resource holds it) spelled as the
    /// extension's object holds it, through an index of its names kept under the URN: then
    /// `true`, and the extension's attributes compare exactly. Found by a scan of the
    /// extension's names instead, an attribute that it does not hold cost a pass over all of
    /// them: 8,000 `add`s at `urn:…:User:newN` to an extension of 8,000 took 9 s, 11 times the
    /// 2,000's (review 134).
    pub(super) fn spell_extension(
        &mut self,
        resource: &Map<String, Value>,
        path: &mut Path,
    ) -> bool {
        let Some((urn, name)) = split_urn(&path.attribute) else {
            return false;
        };
        // A member of the resource that the whole path names is the resource's own.
        if resource.contains_key(&path.attribute) {
            return false;
        }
        let Some(Value::Object(extension)) = resource.get(urn) else {
            return false;
        };
        let index = self
            .subs
            .entry(urn.to_owned())
            .or_insert_with(|| NameIndex::new(extension));
        path.attribute = format!("{urn}:{}", index.spelling(name));
        true
    }

    /// The spellings of the attribute `name` that the extension `urn` holds other than `name`
    /// itself, where [`spell_extension`](Self::spell_extension) has indexed it.
    pub(super) fn extension_others(&self, urn: &str, name: &str) -> Vec<String> {
        self.subs
            .get(urn)
            .map(|index| index.others(name))
            .unwrap_or_default()
    }

    /// After an operation at the resource's `attribute` that touched the sub-attributes
    /// `subs` (the names of a value merged into it, or a path's): their spellings as the
    /// resource now holds them; the attribute's index dropped where it holds no object.
    pub(super) fn after<'s>(
        &mut self,
        resource: &Map<String, Value>,
        attribute: &str,
        subs: impl IntoIterator<Item = &'s String>,
    ) {
        self.top.refresh(resource, attribute);
        if let Some((urn, name)) = split_urn(attribute) {
            // A core schema's attribute is the resource's `name`; an extension's is `name` in
            // the extension's object, whose index is kept up to date. A path-less value's
            // member `urn:…:User:manager.value` put `manager`.
            let name = name.split_once('.').map_or(name, |(name, _)| name);
            self.subs.remove(name);
            match (resource.get(urn), self.subs.get_mut(urn)) {
                (Some(Value::Object(extension)), Some(index)) => {
                    index.refresh_in(extension, name);
                }
                (_, Some(_)) => {
                    self.subs.remove(urn);
                }
                (_, None) => {}
            }
        }
        match (resource.get(attribute), self.subs.get_mut(attribute)) {
            (Some(Value::Object(object)), Some(index)) => {
                for sub in subs {
                    index.refresh_in(object, sub);
                }
            }
            (Some(Value::Object(_)), None) => {}
            _ => {
                self.subs.remove(attribute);
            }
        }
    }
}
