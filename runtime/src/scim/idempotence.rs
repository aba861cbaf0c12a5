//! Whether a SCIM PatchOp message (RFC 7644 §3.5.2) may be sent again after a lost answer
//! ([`ScimPatch::is_idempotent`]): the rule that PingOne's client retries
//! `update_user_scim_patch` by, and that any SCIM client of its own can retry by.

use std::borrow::Cow;

use super::message::{ScimOperation, ScimPatch};
use super::op::ScimOp;

impl ScimPatch {
    /// Whether sending this message twice does what sending it once does, so that a client
    /// may send it again after a lost answer (a timeout, a connection reset, a 502) without
    /// asking the resource first: RFC 9110 §9.2.2's idempotence, which a SCIM `PATCH` as a
    /// whole does not have (RFC 7644 §3.5.2). An empty message is idempotent.
    ///
    /// Not with an `add` (sent again, it appends again to a multi-valued attribute), nor with
    /// a `replace` at a filter (`emails[type eq "work"].value`) that it or a later operation
    /// changes the answer of (sent again, the filter matches nothing, and the `replace` is
    /// 400 `noTarget`, RFC 7644 §3.5.2.3), nor with a `remove` at a filter that a later
    /// operation changes the answer of (sent again, it removes other elements). A member of a
    /// path-less `replace`'s value named by such a path (Entra ID's
    /// `{"emails[type eq \"work\"].type": "home"}`) counts as a `replace` at it. Names are
    /// compared in any case (RFC 7643 §2.1), and a filter that cannot be read counts as
    /// changed. [`Patch::to_scim_patch`](crate::Patch::to_scim_patch) writes an `add` for
    /// each element appended to a keyed array: such a message is not idempotent.
    ///
    /// A `remove` at a filter (`emails[type eq "work"]`) that no operation after it
    /// changes the answer of counts as idempotent: sent again, its filter matches nothing,
    /// which this crate's emulator answers 200, removing nothing (RFC 7644 §3.5.2.2 asks no
    /// error of it; PingOne's answer is not documented). A server that answers it 400
    /// `noTarget`, as RFC 7644 §3.12's table allows ("a filter that yields no match"), fails
    /// the second sending although the first made the change: read the resource then.
    ///
    /// ```
    /// use serde_json::json;
    /// use sparse_patch::{ScimOperation, ScimPatch};
    ///
    /// let set_title = ScimPatch::new(vec![ScimOperation::replace("title", json!("Lead"))]);
    /// assert!(set_title.is_idempotent());
    ///
    /// // Sent twice, the second `replace` finds no work email: 400 `noTarget`.
    /// let retype = ScimPatch::new(vec![ScimOperation::replace(
    ///     r#"emails[type eq "work"].type"#,
    ///     json!("home"),
    /// )]);
    /// assert!(!retype.is_idempotent());
    /// ```
    #[must_use]
    pub fn is_idempotent(&self) -> bool {
        is_idempotent(&self.operations)
    }
}

/// Whether sending `operations` twice does what sending them once does, so that the message
/// can be sent again after a lost answer. Not with an `add` (it appends again), nor with a
/// `replace` at a filter (`attr[filter]`, `attr[filter].sub`) that it or a later operation
/// disturbs, nor a `remove` at a filter that a later operation disturbs: once applied, the
/// filter may match nothing, and a second `replace` is refused with 400 `noTarget` (RFC 7644
/// §3.5.2.3), or it may match other elements, which a second `remove` removes. An operation
/// disturbs the filter when it changes an attribute that the filter reads (`sub`, a member of
/// an object value at a filter, anything for another value), removes elements of `attr` or
/// `attr` itself, or replaces `attr` whole, also through the schema that holds it (a path-less
/// value's member named by an extension's URN, or that URN as the path). Names are compared
/// in any case (RFC 7643 §2.1), every name of a filter counts (the parts of its sub-attribute
/// paths too), and a filter that cannot be read disturbs and is disturbed. A `remove` at a
/// filter that matches nothing succeeds, so a `remove` that only itself disturbs is
/// repeatable. A path-less `replace` whose value's members are paths (Entra ID's
/// `{"emails[type eq \"work\"].type": "home"}`) sets each at its path: a member with a filter
/// counts as a `replace` at it, also disturbed by the other members of its value.
fn is_idempotent(operations: &[ScimOperation]) -> bool {
    if operations
        .iter()
        .any(|operation| operation.op == ScimOp::Add)
    {
        return false;
    }
    // Each operation, and after a path-less one its members that hold a filter, with the
    // index of the first of its group.
    let mut steps: Vec<(usize, Cow<'_, ScimOperation>)> = Vec::new();
    for operation in operations {
        let group = steps.len();
        steps.push((group, Cow::Borrowed(operation)));
        if let (None, Some(serde_json::Value::Object(members))) =
            (&operation.path, &operation.value)
        {
            steps.extend(members.iter().filter(|(key, _)| key.contains('[')).map(
                |(key, value)| {
                    (
                        group,
                        Cow::Owned(ScimOperation::replace(key, value.clone())),
                    )
                },
            ));
        }
    }
    let operations: Vec<&ScimOperation> = steps.iter().map(|(_, step)| step.as_ref()).collect();
    let targets: Vec<Target<'_>> = operations.iter().copied().map(Target::of).collect();
    targets.iter().enumerate().all(|(index, target)| {
        // A replace disturbs its own filter; a remove does not (sent again, its filter
        // matches nothing, and removing nothing succeeds).
        let from = match operations[index].op {
            ScimOp::Replace => steps[index].0,
            _ => index + 1,
        };
        match target {
            Target::Filtered {
                attribute,
                names: Some(names),
                ..
            } => targets[from..]
                .iter()
                .zip(&operations[from..])
                .all(|(later, operation)| !later.disturbs(operation, attribute, names)),
            Target::Filtered { names: None, .. } => false,
            Target::Resource | Target::Plain(_) => true,
        }
    })
}

/// What a SCIM operation's path names.
enum Target<'a> {
    /// No path: the resource itself.
    Resource,
    /// `attr` or `attr.sub` (or a URN-qualified one), without a filter.
    Plain(&'a str),
    /// `attr[filter]` or `attr[filter].sub`: the names the filter reads (`None` when it
    /// cannot be read), and `sub`.
    Filtered {
        attribute: &'a str,
        names: Option<Vec<&'a str>>,
        sub: Option<&'a str>,
    },
}

impl<'a> Target<'a> {
    fn of(operation: &'a ScimOperation) -> Self {
        let Some(path) = operation.path.as_deref() else {
            return Target::Resource;
        };
        let Some(open) = path.find('[') else {
            return Target::Plain(path);
        };
        let attribute = &path[..open];
        let (names, sub) = match filter_names(&path[open + 1..]) {
            Some((names, "")) => (Some(names), None),
            Some((names, after)) => match after.strip_prefix('.') {
                Some(sub) => (Some(names), Some(sub)),
                None => (None, None),
            },
            None => (None, None),
        };
        Target::Filtered {
            attribute,
            names,
            sub,
        }
    }

    /// Whether `operation`, at this target, may change what the filter `names` of a `replace`
    /// at `attribute` selects.
    fn disturbs(&self, operation: &ScimOperation, attribute: &str, names: &[&str]) -> bool {
        let reads = |changed: &str| names.iter().any(|name| name.eq_ignore_ascii_case(changed));
        match self {
            Target::Resource => match &operation.value {
                Some(serde_json::Value::Object(members)) => members.iter().any(|(key, value)| {
                    same_attribute(key, attribute) || through_schema(key, Some(value), attribute)
                }),
                _ => true,
            },
            // The attribute itself, a sub-attribute of all its elements, or the schema that
            // holds it.
            Target::Plain(path) => {
                same_attribute(path, attribute)
                    || path
                        .rsplit_once('.')
                        .is_some_and(|(parent, _)| same_attribute(parent, attribute))
                    || through_schema(path, operation.value.as_ref(), attribute)
            }
            Target::Filtered {
                attribute: other, ..
            } if !same_attribute(other, attribute) => false,
            Target::Filtered { names: None, .. } => true,
            Target::Filtered { sub: Some(sub), .. } => reads(sub),
            Target::Filtered { sub: None, .. } => match (&operation.op, &operation.value) {
                (ScimOp::Replace, Some(serde_json::Value::Object(members))) => {
                    members.keys().any(|key| reads(key))
                }
                // Another value for the elements, or their removal.
                _ => true,
            },
        }
    }
}

/// Whether `value` (none for a `remove`), written at `name` (a member of a path-less value, or
/// a path), changes `attribute` through a schema URN: `name` is the URN of the schema that
/// holds `attribute` (`urn:…:User` of `urn:…:User:badges`, in any case) and `value` is not an
/// object of attributes, or `name` is a URN whose object value has a member that, qualified by
/// it, is `attribute` (RFC 7643 §3.3: a resource holds an extension's attributes in an object
/// under the extension's URN).
fn through_schema(name: &str, value: Option<&serde_json::Value>, attribute: &str) -> bool {
    let holds = attribute.len() > name.len()
        && attribute.is_char_boundary(name.len())
        && attribute[..name.len()].eq_ignore_ascii_case(name)
        && attribute[name.len()..].starts_with(':');
    match value {
        Some(serde_json::Value::Object(members)) => {
            name.contains(':')
                && members
                    .keys()
                    .any(|member| same_attribute(&format!("{name}:{member}"), attribute))
        }
        _ => holds,
    }
}

/// Whether two attribute paths name one attribute: equal in any case, or one the other with a
/// schema URN before it (`urn:...:User:badges` and `badges`).
fn same_attribute(one: &str, other: &str) -> bool {
    let qualified = |long: &str, short: &str| {
        long.len() > short.len()
            && long.is_char_boundary(long.len() - short.len())
            && long[long.len() - short.len()..].eq_ignore_ascii_case(short)
            && long[..long.len() - short.len()].ends_with(':')
    };
    one.eq_ignore_ascii_case(other) || qualified(one, other) || qualified(other, one)
}

/// The names in a SCIM filter (the text after `[`, up to its `]`), outside its quoted
/// strings, each attribute path split at `.` and `:` (a URN's parts, a sub-attribute), with
/// the text after the `]`; `None` when no `]` closes it.
fn filter_names(text: &str) -> Option<(Vec<&str>, &str)> {
    let mut names = Vec::new();
    let mut start = None;
    let mut quoted = false;
    let mut escaped = false;
    for (index, character) in text.char_indices() {
        if quoted {
            match (escaped, character) {
                (false, '\\') => escaped = true,
                (false, '"') => quoted = false,
                _ => escaped = false,
            }
            continue;
        }
        let ends_name =
            matches!(character, '"' | ']' | '(' | ')' | '.' | ':') || character.is_whitespace();
        if ends_name {
            if let Some(from) = start.take() {
                names.push(&text[from..index]);
            }
            match character {
                '"' => quoted = true,
                ']' => return Some((names, &text[index + 1..])),
                _ => {}
            }
        } else if start.is_none() {
            start = Some(index);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Which SCIM operations are sent again after a lost answer: not an `add`, nor a
    /// `replace` that changes an attribute its filter reads (in any case, wherever the name
    /// stands in the filter), and not one whose filter cannot be read.
    #[test]
    fn a_replace_that_changes_what_its_filter_reads_is_not_repeatable() {
        use serde_json::json;
        let replace = |path: &str, value| is_idempotent(&[ScimOperation::replace(path, value)]);
        assert!(!is_idempotent(&[ScimOperation::add("badges", json!([1]))]));
        assert!(is_idempotent(&[ScimOperation::remove(
            r#"badges[type eq "work"]"#
        )]));
        assert!(replace("nickname", json!("x")));
        assert!(replace(r#"emails[type eq "work"].value"#, json!("x@y")));
        assert!(replace(r#"emails[type eq "value"].value"#, json!("x@y")));
        assert!(replace(r#"emails[type eq "a]b"].value"#, json!("x@y")));
        assert!(replace(
            r#"emails[type eq "work"]"#,
            json!({"value": "x@y"})
        ));
        assert!(!replace(r#"emails[type eq "work"].type"#, json!("home")));
        assert!(!replace(r#"emails[value eq "a@b"].VALUE"#, json!("c@d")));
        assert!(!replace(
            r#"emails[(type eq "work") and primary eq true].primary"#,
            json!(false)
        ));
        assert!(!replace(r#"emails[name.given pr].given"#, json!("x")));
        assert!(!replace(
            r#"emails[urn:x:2.0:User:type eq "w\"]"].type"#,
            json!("h")
        ));
        assert!(!replace(
            r#"emails[Type eq "work"]"#,
            json!({"type": "home"})
        ));
        assert!(!replace(r#"emails[type eq "work"]"#, json!("x")));
        // Grouping parentheses (RFC 7644 §3.4.2.2) end a name, also right after a string.
        assert!(!replace(r#"emails[(type eq "work")].type"#, json!("home")));
        assert!(!replace(
            r#"emails[not(type eq "work")].TYPE"#,
            json!("home")
        ));
        // A filter's strings are JSON strings: `\"` does not end one, so the names in it are
        // text, not attributes the filter reads.
        assert!(replace(r#"emails[value eq "\"type"].type"#, json!("home")));
        assert!(replace(
            r#"emails[value eq "a\" or type pr \""].type"#,
            json!("home")
        ));
        assert!(!replace(r#"emails[type eq "work""#, json!({"value": 1})));
        assert!(!replace(r#"emails[type eq "work"]x"#, json!({"value": 1})));

        // A later operation that changes what an earlier one's filter reads, removes the
        // elements it selects, or replaces its attribute whole; not an earlier one, nor one
        // on another attribute.
        let level = || ScimOperation::replace(r#"badges[type eq "work"].level"#, json!(2));
        let after = |operation: ScimOperation| is_idempotent(&[level(), operation]);
        let before = |operation: ScimOperation| is_idempotent(&[operation, level()]);
        let whole = |value| ScimOperation {
            op: ScimOp::Replace,
            path: None,
            value: Some(value),
        };
        assert!(!after(ScimOperation::replace(
            r#"badges[level eq 1].type"#,
            json!("x")
        )));
        assert!(!after(ScimOperation::replace(
            r#"badges[level eq 1]"#,
            json!({"Type": "x"})
        )));
        assert!(!after(ScimOperation::remove(r#"badges[type eq "work"]"#)));
        assert!(!after(ScimOperation::remove(r#"badges[level eq 1].type"#)));
        assert!(!after(ScimOperation::remove("badges")));
        assert!(!after(ScimOperation::remove("badges.type")));
        assert!(!after(ScimOperation::replace("Badges", json!([]))));
        assert!(!after(ScimOperation::replace(
            "urn:x:User:badges",
            json!([])
        )));
        assert!(!after(whole(json!({"badges": []}))));
        // A path-less value that is no object of attributes (RFC 7644 §3.5.2.3: it "SHALL
        // contain a list of one or more attributes") cannot be read for what it replaces:
        // taken to disturb every filter.
        assert!(!after(whole(json!("x"))));
        assert!(!after(whole(json!(null))));
        assert!(!after(ScimOperation::replace(
            r#"badges[type eq "a"#,
            json!(1)
        )));
        assert!(after(ScimOperation::remove(r#"badges[level eq 1].level"#)));
        assert!(after(ScimOperation::replace(
            r#"badges[type eq "home"].level"#,
            json!(3)
        )));
        assert!(after(ScimOperation::replace(
            r#"emails[value eq "x"].type"#,
            json!("y")
        )));
        assert!(after(ScimOperation::replace("badgesX", json!([]))));
        // Other attributes whose names hold `badges` or a part of it: a prefix, a name that
        // ends with it (no `:` before it, so no schema URN), a sub-attribute of another
        // attribute (`name.badges` is not `badges`, RFC 7644 §3.10).
        assert!(after(ScimOperation::replace("badge", json!("x"))));
        assert!(after(ScimOperation::replace("mybadges", json!([]))));
        assert!(after(ScimOperation::replace(
            "urn:x:User:badge",
            json!("x")
        )));
        assert!(after(whole(json!({"name": {"badges": []}}))));
        assert!(after(ScimOperation::replace("name", json!({"badges": []}))));
        assert!(after(ScimOperation::replace("nickname", json!("x"))));
        assert!(after(whole(json!({"nickname": "x"}))));
        assert!(before(ScimOperation::replace(
            "badges",
            json!([{"type": "work"}])
        )));
        assert!(before(ScimOperation::remove(r#"badges[type eq "work"]"#)));
        // A core attribute named with its schema URN in the filter and without it later, or
        // the other way (RFC 7644 §3.10: both name it).
        const CORE: &str = "urn:ietf:params:scim:schemas:core:2.0:User";
        let work_email = |path: String| ScimOperation::replace(path, json!("x@y"));
        assert!(!is_idempotent(&[
            work_email(format!(r#"{CORE}:emails[type eq "work"].value"#)),
            ScimOperation::replace("emails", json!([])),
        ]));
        assert!(!is_idempotent(&[
            work_email(r#"emails[type eq "work"].value"#.to_owned()),
            ScimOperation::replace(format!("{CORE}:emails"), json!([])),
        ]));

        // A remove at a filter that a later operation disturbs, not one that only itself
        // does.
        let remove = || ScimOperation::remove(r#"badges[type eq "work"].type"#);
        assert!(is_idempotent(&[remove()]));
        assert!(!is_idempotent(&[
            remove(),
            ScimOperation::replace(r#"badges[level eq 1].type"#, json!("work"))
        ]));
        assert!(is_idempotent(&[
            remove(),
            ScimOperation::replace(r#"badges[level eq 1].title"#, json!("x"))
        ]));
    }

    /// An extension's attribute replaced through its schema: a path-less value with the
    /// schema URN's member (RFC 7643 §3.3, as a resource holds it), or the schema URN as the
    /// path, replaces what a filter on the URN-qualified attribute reads. Both were taken as
    /// another attribute, and the message as repeatable.
    #[test]
    fn an_extension_replaced_through_its_schema_disturbs_its_filters() {
        use serde_json::json;
        const URN: &str = "urn:ietf:params:scim:schemas:extension:acme:2.0:User";
        let level =
            || ScimOperation::replace(format!(r#"{URN}:badges[type eq "work"].level"#), json!(2));
        let remove = || ScimOperation::remove(format!(r#"{URN}:badges[type eq "work"]"#));
        let whole = |path: Option<&str>, value| ScimOperation {
            op: ScimOp::Replace,
            path: path.map(str::to_owned),
            value: Some(value),
        };
        let badges = json!({ URN: {"badges": [{"type": "home"}]} });
        assert!(!is_idempotent(&[level(), whole(None, badges.clone())]));
        assert!(!is_idempotent(&[remove(), whole(None, badges)]));
        let in_any_case = json!({ URN.to_uppercase(): {"BADGES": []} });
        assert!(!is_idempotent(&[level(), whole(None, in_any_case)]));
        assert!(!is_idempotent(&[
            level(),
            whole(None, json!({ URN: null }))
        ]));
        let schema = json!({"badges": [{"type": "home"}]});
        assert!(!is_idempotent(&[level(), whole(Some(URN), schema)]));
        // Another attribute of the extension, or of another schema, does not disturb.
        let manager = json!({ URN: {"manager": "x"} });
        assert!(is_idempotent(&[level(), whole(None, manager.clone())]));
        assert!(is_idempotent(&[
            level(),
            whole(Some(URN), json!({"manager": "x"}))
        ]));
        let other = json!({ "urn:x:Other": {"badges": []} });
        assert!(is_idempotent(&[level(), whole(None, other)]));
    }
}
