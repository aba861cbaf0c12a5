//! The filter of a SCIM path (RFC 7644 §3.4.2.2, Figure 1: `valFilter`) as `apply_scim_patch`
//! reads it: comparisons joined by `and` and `or`, `and` binding tighter, grouped in
//! parentheses and negated by `not ( … )`; `ne` on an element without the sub-attribute; and
//! how deep parentheses may nest. The property: a `remove` at `attr[filter]` keeps exactly
//! the elements that an evaluator of this file, written from the RFC's grammar, says the
//! filter does not select.

use proptest::prelude::*;
use serde_json::{Value, json};
use sparse_patch::{ScimFault, ScimPatchError, apply_scim_patch};

#[path = "support/scim_message.rs"]
mod scim_message;
use scim_message::message;

fn emails() -> Value {
    json!({"emails": [
        {"type": "work", "value": "w@example.com", "primary": true},
        {"type": "home", "value": "h@example.com"},
        {"value": "x@example.com"}
    ]})
}

/// The `value`s of the emails that a `remove` at `emails[filter]` keeps.
fn kept_after_removing(filter: &str) -> Vec<String> {
    let mut document = emails();
    let path = format!("emails[{filter}]");
    apply_scim_patch(
        &mut document,
        &message(json!([{"op": "remove", "path": path}])),
    )
    .unwrap_or_else(|error| panic!("{filter}: {error}"));
    document["emails"]
        .as_array()
        .map(|emails| {
            emails
                .iter()
                .map(|email| email["value"].as_str().unwrap().to_owned())
                .collect()
        })
        .unwrap_or_default()
}

/// `not ( … )` and parentheses were `invalidFilter` ("not supported"), though RFC 7644
/// §3.4.2.2's grammar has them (`*1"not" "(" valFilter ")"`), as Entra ID's and Okta's
/// filters are written by other clients (`members[not (value eq "…")]`).
#[test]
fn not_and_parentheses_are_read() {
    assert_eq!(
        kept_after_removing(r#"not (type eq "work")"#),
        ["w@example.com"]
    );
    assert_eq!(
        kept_after_removing(r#"NOT(type eq "work" or type eq "home")"#),
        ["w@example.com", "h@example.com"]
    );
    assert_eq!(
        kept_after_removing(r#"(type eq "work" or type eq "home") and not (primary eq true)"#),
        ["w@example.com", "x@example.com"]
    );
    assert_eq!(
        kept_after_removing(r#"((((type eq "home"))))"#),
        ["w@example.com", "x@example.com"]
    );
    // An attribute named `not` is compared as any other.
    assert_eq!(kept_after_removing("not eq 1").len(), 3);
}

/// `and` binds tighter than `or` (RFC 7644 §3.4.2.2: "and" then "or" in precedence).
#[test]
fn and_binds_tighter_than_or() {
    // work or (home and primary): the home email is not primary, so only work goes.
    assert_eq!(
        kept_after_removing(r#"type eq "work" or type eq "home" and primary eq true"#),
        ["h@example.com", "x@example.com"]
    );
    // (work or home) and primary: work only, again, as grouped.
    assert_eq!(
        kept_after_removing(r#"(type eq "work" or type eq "home") and primary eq true"#),
        ["h@example.com", "x@example.com"]
    );
    // (home and primary) or work, written the other way round.
    assert_eq!(
        kept_after_removing(r#"type eq "home" and primary eq true or type eq "work""#),
        ["h@example.com", "x@example.com"]
    );
}

/// `ne` selects an element that lacks the sub-attribute: unassigned is `null` (RFC 7643
/// §2.5), which is "not identical" to the value (RFC 7644 §3.4.2.2), as `not (type eq
/// "work")` selects it.
#[test]
fn ne_selects_an_element_without_the_sub_attribute() {
    assert_eq!(kept_after_removing(r#"type ne "work""#), ["w@example.com"]);
    assert_eq!(
        kept_after_removing(r#"type ne "work""#),
        kept_after_removing(r#"not (type eq "work")"#)
    );
    // `pr` tells them apart.
    assert_eq!(
        kept_after_removing(r#"type pr and type ne "work""#),
        ["w@example.com", "x@example.com"]
    );
}

/// An element without the sub-attribute compares as `null` (RFC 7643 §2.5: unassigned and
/// `null` are one state) in an `or` of `eq` comparisons as it does alone; and `pr` selects no
/// empty value of any kind (RFC 7644 §3.4.2.2: "If the attribute has a non-empty value, or if
/// it contains a non-empty node for complex attributes, there is a match"): not `""`, `[]` or
/// `{}`. (Mutation testing: an `or` of `eq`s that lost the element without the
/// sub-attribute, and `pr` taking `[]` or `{}` for a value, went unnoticed.)
#[test]
fn eq_null_in_an_or_and_pr_of_empty_values() {
    assert_eq!(
        kept_after_removing("type eq null"),
        ["w@example.com", "h@example.com"]
    );
    assert_eq!(
        kept_after_removing(r#"type eq null or type eq "work""#),
        ["h@example.com"]
    );
    assert_eq!(
        kept_after_removing(r#"type eq "home" or type eq null or type eq "HOME""#),
        ["w@example.com"]
    );
    let mut document = json!({"items": [
        {"n": 0, "tags": []},
        {"n": 1, "tags": ["x"]},
        {"n": 2, "meta": {}},
        {"n": 3, "meta": {"k": 1}},
        {"n": 4, "tags": ""}
    ]});
    apply_scim_patch(
        &mut document,
        &message(json!([{"op": "remove", "path": "items[tags pr or meta pr]"}])),
    )
    .unwrap();
    assert_eq!(
        document["items"],
        json!([{"n": 0, "tags": []}, {"n": 2, "meta": {}}, {"n": 4, "tags": ""}])
    );
}

/// `pr` selects a complex or multi-valued value only where it holds a non-empty node (RFC 7644
/// §3.4.2.2: "If the attribute has a non-empty value, or if it contains a non-empty node for
/// complex attributes, there is a match"): `{"k": null}` and `[null, ""]` hold none. An object
/// of `null`s and an array of empty values were present (review 38).
#[test]
fn pr_selects_no_value_without_a_non_empty_node() {
    let mut document = json!({"items": [
        {"n": 0, "meta": {"k": null}},
        {"n": 1, "meta": {"k": "", "j": {}}},
        {"n": 2, "tags": [null, ""]},
        {"n": 3, "meta": {"k": "v"}},
        {"n": 4, "tags": [null, false]},
        {"n": 5, "meta": {"k": [0]}}
    ]});
    apply_scim_patch(
        &mut document,
        &message(json!([{"op": "remove", "path": "items[meta pr or tags pr]"}])),
    )
    .unwrap();
    assert_eq!(
        document["items"],
        json!([
            {"n": 0, "meta": {"k": null}},
            {"n": 1, "meta": {"k": "", "j": {}}},
            {"n": 2, "tags": [null, ""]}
        ])
    );
}

/// Strings compare in any case beyond ASCII too (RFC 7643 §2.2: `caseExact` is false unless
/// the schema says so): `type eq "ÉTÉ"` selects `"été"`. (Mutation testing: a byte
/// comparison of text that is not ASCII went unnoticed.)
#[test]
fn eq_compares_text_beyond_ascii_in_any_case() {
    let mut document = json!({"emails": [
        {"type": "été", "value": "s@example.com"},
        {"type": "hiver", "value": "w@example.com"}
    ]});
    apply_scim_patch(
        &mut document,
        &message(json!([{"op": "remove", "path": "emails[type eq \"ÉTÉ\"]"}])),
    )
    .unwrap();
    assert_eq!(
        document["emails"],
        json!([{"type": "hiver", "value": "w@example.com"}])
    );
}

/// An `add` at a filter that matches nothing adds the element that the filter's `eq`
/// comparisons describe, in parentheses too; a negated group says nothing of the element
/// but must hold of it, and an `or` in a group does not say which element.
#[test]
fn an_add_at_a_grouped_filter_adds_the_element_it_describes() {
    let mut document = json!({"emails": [{"type": "home", "value": "h@example.com"}]});
    apply_scim_patch(
        &mut document,
        &message(json!([{
            "op": "add",
            "path": "emails[(type eq \"work\") and not (primary eq true)].value",
            "value": "w@example.com"
        }])),
    )
    .unwrap();
    assert_eq!(
        document["emails"][1],
        json!({"type": "work", "value": "w@example.com"})
    );
    let error = apply_scim_patch(
        &mut document,
        &message(json!([{
            "op": "add",
            "path": "emails[(type eq \"other\" or type eq \"x\")].value",
            "value": "o@example.com"
        }])),
    )
    .unwrap_err();
    assert_eq!(error.scim_type(), Some("noTarget"));
}

/// Parentheses nested 100,000 deep overflowed the reader's stack (a crash, not an error);
/// they may nest 32 levels.
#[test]
fn parentheses_nest_32_levels_at_most() {
    let nested =
        |depth: usize| format!("{}type eq \"home\"{}", "(".repeat(depth), ")".repeat(depth));
    assert_eq!(kept_after_removing(&nested(32)).len(), 2);
    for depth in [33, 100_000] {
        let path = format!("emails[{}]", nested(depth));
        let mut document = emails();
        let error = apply_scim_patch(
            &mut document,
            &message(json!([{"op": "remove", "path": path}])),
        )
        .unwrap_err();
        let ScimPatchError::Operation {
            fault: ScimFault::MalformedFilter { reason },
            ..
        } = &error
        else {
            panic!("{error:?}");
        };
        assert_eq!(reason, "parentheses at byte 39 nest deeper than 32 levels");
        assert_eq!(error.scim_type(), Some("invalidFilter"));
        assert_eq!(document, emails());
    }
    let negations = format!(
        "emails[{}type eq \"home\"{}]",
        "not (".repeat(50_000),
        ")".repeat(50_000)
    );
    let error = apply_scim_patch(
        &mut emails(),
        &message(json!([{"op": "remove", "path": negations}])),
    )
    .unwrap_err();
    assert_eq!(error.scim_type(), Some("invalidFilter"));
}

/// Malformed groups are `invalidFilter`, saying what was expected.
#[test]
fn malformed_groups_are_invalid_filters() {
    for (filter, reason) in [
        (
            r#"(type eq "work""#,
            "expected `and`, `or` or `)` at byte 22, found ']'",
        ),
        (
            r#"not type eq "work""#,
            "the logical operator \"not\" at byte 7 negates a filter in parentheses",
        ),
        (r#"()"#, "expected an attribute name at byte 8, found ')'"),
        (
            r#"type eq "work")"#,
            "expected `and`, `or` or `]` at byte 21, found ')'",
        ),
    ] {
        let path = format!("emails[{filter}]");
        let error = apply_scim_patch(
            &mut emails(),
            &message(json!([{"op": "remove", "path": path}])),
        )
        .unwrap_err();
        let ScimPatchError::Operation {
            fault: ScimFault::MalformedFilter { reason: found },
            ..
        } = &error
        else {
            panic!("{filter}: {error:?}");
        };
        assert!(found.starts_with(reason), "{filter}: {found}");
    }
}

/// A filter as a tree, written as text and evaluated by this file's evaluator.
#[derive(Debug, Clone)]
enum Tree {
    Compare(&'static str, &'static str, Value),
    And(Box<Tree>, Box<Tree>),
    Or(Box<Tree>, Box<Tree>),
    Not(Box<Tree>),
    Group(Box<Tree>),
}

impl Tree {
    /// The filter's text: keywords in the given case, every `and` and `or` operand that is
    /// an `or` (below an `and`) or any operand (where `parenthesize`) in parentheses.
    fn text(&self, upper: bool) -> String {
        let keyword = |word: &str| {
            if upper {
                word.to_uppercase()
            } else {
                word.to_owned()
            }
        };
        match self {
            Tree::Compare(name, "pr", _) => format!("{name} {}", keyword("pr")),
            Tree::Compare(name, operator, value) => {
                format!("{name} {} {value}", keyword(operator))
            }
            Tree::And(left, right) => {
                let operand = |tree: &Tree| match tree {
                    Tree::Or(..) => format!("({})", tree.text(upper)),
                    _ => tree.text(upper),
                };
                format!("{} {} {}", operand(left), keyword("and"), operand(right))
            }
            Tree::Or(left, right) => format!(
                "{} {} {}",
                left.text(upper),
                keyword("or"),
                right.text(upper)
            ),
            Tree::Not(inner) => format!("{} ({})", keyword("not"), inner.text(upper)),
            Tree::Group(inner) => format!("({})", inner.text(upper)),
        }
    }

    /// Whether the element is selected, by RFC 7644 §3.4.2.2 read directly: a missing
    /// sub-attribute is `null`; strings compare in any case, numbers by value.
    fn selects(&self, element: &Value) -> bool {
        match self {
            Tree::Compare(name, operator, value) => {
                let found = element
                    .as_object()
                    .and_then(|members| {
                        members
                            .iter()
                            .find(|(key, _)| key.eq_ignore_ascii_case(name))
                    })
                    .map_or(&Value::Null, |(_, found)| found);
                let equal = match (found, value) {
                    (Value::String(a), Value::String(b)) => a.to_lowercase() == b.to_lowercase(),
                    (Value::Number(a), Value::Number(b)) => a.as_f64() == b.as_f64(),
                    (a, b) => a == b,
                };
                match *operator {
                    "eq" => equal,
                    "ne" => !equal,
                    "pr" => !found.is_null() && found != &json!(""),
                    "co" => match (found, value) {
                        (Value::String(a), Value::String(b)) => {
                            a.to_lowercase().contains(&b.to_lowercase())
                        }
                        _ => false,
                    },
                    "gt" => match (found, value) {
                        (Value::String(a), Value::String(b)) => a.to_lowercase() > b.to_lowercase(),
                        (Value::Number(a), Value::Number(b)) => a.as_f64() > b.as_f64(),
                        _ => false,
                    },
                    other => unreachable!("{other}"),
                }
            }
            Tree::And(left, right) => left.selects(element) && right.selects(element),
            Tree::Or(left, right) => left.selects(element) || right.selects(element),
            Tree::Not(inner) => !inner.selects(element),
            Tree::Group(inner) => inner.selects(element),
        }
    }
}

fn comparison() -> impl Strategy<Value = Tree> {
    let name = prop_oneof![Just("a"), Just("B"), Just("c")];
    let value = prop_oneof![
        Just(json!("x")),
        Just(json!("X")),
        Just(json!("xy")),
        Just(json!(1)),
        Just(json!(1.0)),
        Just(json!(2)),
        Just(json!(true)),
    ];
    let operator = prop_oneof![Just("eq"), Just("ne"), Just("pr"), Just("co"), Just("gt")];
    (name, operator, value).prop_map(|(name, operator, value)| {
        // `co` takes a string, `gt` a string or a number (RFC 7644 §3.4.2.2).
        let value = match (operator, &value) {
            ("co", value) if !value.is_string() => json!("x"),
            ("gt", Value::Bool(_)) => json!(1),
            _ => value,
        };
        Tree::Compare(name, operator, value)
    })
}

fn tree() -> impl Strategy<Value = Tree> {
    comparison().prop_recursive(4, 24, 2, |inner| {
        prop_oneof![
            (inner.clone(), inner.clone()).prop_map(|(l, r)| Tree::And(Box::new(l), Box::new(r))),
            (inner.clone(), inner.clone()).prop_map(|(l, r)| Tree::Or(Box::new(l), Box::new(r))),
            inner.clone().prop_map(|tree| Tree::Not(Box::new(tree))),
            inner.prop_map(|tree| Tree::Group(Box::new(tree))),
        ]
    })
}

fn element() -> impl Strategy<Value = Value> {
    let member = prop_oneof![
        Just(None),
        Just(Some(json!("x"))),
        Just(Some(json!("xY"))),
        Just(Some(json!(""))),
        Just(Some(json!(1))),
        Just(Some(json!(2.5))),
        Just(Some(json!(true))),
    ];
    (member.clone(), member.clone(), member).prop_map(|(a, b, c)| {
        let mut element = serde_json::Map::new();
        for (name, value) in [("a", a), ("b", b), ("c", c)] {
            if let Some(value) = value {
                element.insert(name.to_owned(), value);
            }
        }
        Value::Object(element)
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(600))]

    /// A `remove` at `items[filter]` keeps the elements that the evaluator says the filter
    /// does not select (the attribute unassigned where none is kept); and `not (f)` keeps
    /// those that `f` removes.
    #[test]
    fn a_remove_at_a_filter_keeps_what_the_grammar_does_not_select(
        filter in tree(),
        items in proptest::collection::vec(element(), 1..6),
        upper in any::<bool>(),
    ) {
        let text = filter.text(upper);
        let mut document = json!({"items": items.clone()});
        apply_scim_patch(
            &mut document,
            &message(json!([{"op": "remove", "path": format!("items[{text}]")}])),
        )
        .map_err(|error| TestCaseError::fail(format!("{text}: {error}")))?;
        let kept: Vec<Value> = items.iter().filter(|item| !filter.selects(item)).cloned().collect();
        let expected = if kept.is_empty() { json!({}) } else { json!({"items": kept}) };
        prop_assert_eq!(&document, &expected, "{}", text);

        let mut negated = json!({"items": items.clone()});
        apply_scim_patch(
            &mut negated,
            &message(json!([{"op": "remove", "path": format!("items[not ({text})]")}])),
        )
        .map_err(|error| TestCaseError::fail(format!("not ({text}): {error}")))?;
        let removed: Vec<Value> = items.iter().filter(|item| filter.selects(item)).cloned().collect();
        let expected = if removed.is_empty() { json!({}) } else { json!({"items": removed}) };
        prop_assert_eq!(&negated, &expected, "not ({})", text);

        // A `replace` at `items[filter].mark` marks exactly the selected elements, and is
        // `noTarget` where none is selected (RFC 7644 §3.5.2.3).
        let mut marked = json!({"items": items.clone()});
        let replaced = apply_scim_patch(
            &mut marked,
            &message(json!([{"op": "replace", "path": format!("items[{text}].mark"), "value": 1}])),
        );
        if removed.is_empty() {
            prop_assert_eq!(replaced.map_err(|error| error.scim_type()), Err(Some("noTarget")));
        } else {
            prop_assert!(replaced.is_ok(), "{}: {:?}", text, replaced);
            let expected: Vec<Value> = items
                .iter()
                .map(|item| {
                    let mut item = item.clone();
                    if filter.selects(&item) {
                        item["mark"] = json!(1);
                    }
                    item
                })
                .collect();
            prop_assert_eq!(&marked, &json!({"items": expected}), "{}", text);
        }
    }
}
