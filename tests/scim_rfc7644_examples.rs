//! The PATCH examples of RFC 7644 §3.5.2.1 to §3.5.2.3, applied by `apply_scim_patch` to the
//! resources of RFC 7643 §8 (a group, the user `bjensen`), with the results the RFC's text
//! describes; and the comparison operators of RFC 7644 §3.4.2.2 in a path's filter, which
//! §3.5.2.2's own example uses (`value ew "example.com"`): it was refused as `invalidFilter`,
//! the reader taking `eq` alone.

use serde_json::{Value, json};
use sparse_patch::apply_scim_patch;

#[path = "support/scim_message.rs"]
mod scim_message;
use scim_message::message;

fn applied(mut resource: Value, operations: Value) -> Value {
    apply_scim_patch(&mut resource, &message(operations.clone()))
        .unwrap_or_else(|error| panic!("{operations}: {error}"));
    resource
}

const BABS: &str = "2819c223-7f76-453a-919d-413861904646";
const MANDY: &str = "902c246b-6245-4190-8e05-00816be7344a";

fn group() -> Value {
    json!({
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"],
        "id": "acbf3ae7-8463-4692-b4fd-9b4da3f908ce",
        "displayName": "Tour Guides",
        "members": [
            {"value": BABS, "$ref": format!("https://example.com/v2/Users/{BABS}"), "display": "Babs Jensen"},
            {"value": MANDY, "$ref": format!("https://example.com/v2/Users/{MANDY}"), "display": "Mandy Pepperidge"}
        ]
    })
}

fn user() -> Value {
    json!({
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
        "id": BABS,
        "userName": "bjensen@example.com",
        "name": {"familyName": "Jensen", "givenName": "Barbara"},
        "emails": [
            {"value": "bjensen@example.com", "type": "work", "primary": true},
            {"value": "babs@jensen.org", "type": "home"}
        ],
        "addresses": [
            {"type": "work", "streetAddress": "100 Universal City Plaza", "locality": "Hollywood"}
        ]
    })
}

/// §3.5.2.1: "add" of a member to a group appends it; "add" without a path merges the
/// value's attributes (a multi-valued one gets the new value, a single one is replaced).
#[test]
fn add_examples() {
    let member = json!({"display": "James Smith", "$ref": "https://example.com/v2/Users/08e1d05d", "value": "08e1d05d"});
    let result = applied(
        group(),
        json!([{"op": "add", "path": "members", "value": [member.clone()]}]),
    );
    let members = result["members"].as_array().unwrap();
    assert_eq!((members.len(), &members[2]), (3, &member));

    let result = applied(
        user(),
        json!([{"op": "add", "value": {
            "emails": [{"value": "babs@jensen.org", "type": "home"}],
            "nickname": "Babs"
        }}]),
    );
    assert_eq!(result["nickname"], "Babs");
    // The value the user already holds is not added again (§3.5.2.1: "If the attribute
    // already contains the value, no change is made").
    assert_eq!(result["emails"], user()["emails"]);
}

/// §3.5.2.2: "remove" of a whole attribute, of the values a filter selects, and of two
/// members in one message.
#[test]
fn remove_examples() {
    let result = applied(group(), json!([{"op": "remove", "path": "members"}]));
    assert!(result.get("members").is_none(), "{result}");

    let result = applied(
        group(),
        json!([{"op": "remove", "path": format!("members[value eq \"{BABS}\"]")}]),
    );
    assert_eq!(result["members"].as_array().unwrap().len(), 1);
    assert_eq!(result["members"][0]["value"], MANDY);

    let result = applied(
        group(),
        json!([
            {"op": "remove", "path": format!("members[value eq \"{BABS}\"]")},
            {"op": "remove", "path": format!("members[value eq \"{MANDY}\"]")}
        ]),
    );
    assert!(
        result
            .get("members")
            .is_none_or(|members| members == &json!([])),
        "{result}"
    );

    // §3.5.2.2: "emails[type eq \"work\" and value ew \"example.com\"]".
    let result = applied(
        user(),
        json!([{"op": "remove", "path": "emails[type eq \"work\" and value ew \"example.com\"]"}]),
    );
    assert_eq!(
        result["emails"],
        json!([{"value": "babs@jensen.org", "type": "home"}])
    );
}

/// Each operator of RFC 7644 §3.4.2.2 in a `remove`'s filter: which of the values it selects.
/// Strings compare in any case (RFC 7643 §2.2: not `caseExact` by default); `gt`, `ge`, `lt`
/// and `le` order numbers by value and strings lexically, each against its own kind; `pr`
/// selects a value that is there and not empty; `ne` selects an element without the
/// sub-attribute too.
#[test]
fn every_comparison_operator_selects_its_values() {
    let items = json!([
        {"name": "Alpha", "rank": 1},
        {"name": "beta", "rank": 2.5},
        {"name": "Gamma", "rank": 10, "tag": ""},
        {"rank": "3", "tag": "x"}
    ]);
    let left = |filter: &str| -> Vec<Value> {
        let result = applied(
            json!({ "items": items }),
            json!([{"op": "remove", "path": format!("items[{filter}]")}]),
        );
        let kept = result.get("items").cloned().unwrap_or(json!([]));
        let kept = kept.as_array().unwrap();
        items
            .as_array()
            .unwrap()
            .iter()
            .enumerate()
            .filter(|(_, item)| !kept.contains(item))
            .map(|(index, _)| json!(index))
            .collect()
    };
    let cases: [(&str, &[i32]); 16] = [
        (r#"name eq "ALPHA""#, &[0]),
        (r#"name ne "alpha""#, &[1, 2, 3]),
        (r#"name co "MM""#, &[2]),
        (r#"name sw "b""#, &[1]),
        // `sw` and `ew` at an end only, not anywhere in the value (found by mutation testing:
        // with `co` for either, every case above still passed).
        (r#"name sw "A""#, &[0]),
        (r#"name ew "A""#, &[0, 1, 2]),
        (r#"name ew "M""#, &[]),
        ("rank gt 2", &[1, 2]),
        ("rank ge 2.5", &[1, 2]),
        ("rank lt 2.5", &[0]),
        ("rank le 1e1", &[0, 1, 2]),
        (r#"rank gt "2""#, &[3]),
        (r#"name gt "beta""#, &[2]),
        ("tag pr", &[3]),
        (r#"name pr and rank lt 5"#, &[0, 1]),
        (r#"Name SW "g" or tag eq "x""#, &[2, 3]),
    ];
    for (filter, removed) in cases {
        let removed: Vec<Value> = removed.iter().map(|index| json!(index)).collect();
        assert_eq!(left(filter), removed, "items[{filter}]");
    }
}

/// `gt`, `ge`, `lt` and `le` order numbers by their values, not by their nearest `f64`s: 64-bit
/// ids above 2^53 (`9007199254740993`, 2^53 + 1, and 2^53 are one `f64`) were equal to each
/// other, so `id gt 9007199254740992` selected neither, and `id le 9007199254740992` both;
/// and a float with an integer's value orders as that integer (run with
/// `--features serde_json/arbitrary_precision` too). The kind of
/// pmcfadin/cqlite#3505 (integers above 2^53 compared through `f64`).
#[test]
fn numbers_above_2_53_are_ordered_by_value() {
    let items = json!([
        {"id": 9_007_199_254_740_992_u64},
        {"id": 9_007_199_254_740_993_u64},
        {"id": 18_446_744_073_709_551_615_u64},
        {"id": 1_152_921_504_606_846_976.0_f64}
    ]);
    let removed = |filter: &str| -> Vec<Value> {
        let result = applied(
            json!({ "items": items }),
            json!([{"op": "remove", "path": format!("items[{filter}]")}]),
        );
        let kept = result.get("items").cloned().unwrap_or(json!([]));
        items
            .as_array()
            .unwrap()
            .iter()
            .filter(|item| !kept.as_array().unwrap().contains(item))
            .map(|item| item["id"].clone())
            .collect()
    };
    assert_eq!(
        removed("id gt 9007199254740992"),
        [
            json!(9_007_199_254_740_993_u64),
            json!(18_446_744_073_709_551_615_u64),
            json!(1_152_921_504_606_846_976.0_f64)
        ]
    );
    assert_eq!(
        removed("id le 9007199254740992"),
        [json!(9_007_199_254_740_992_u64)]
    );
    assert_eq!(
        removed("id lt 18446744073709551615 and id gt 1152921504606846975"),
        [json!(1_152_921_504_606_846_976.0_f64)]
    );
    // With serde_json's `arbitrary_precision`, a float is the decimal of its shortest text:
    // 2^60 is then `1152921504606847000`.
    let keeps_text = serde_json::from_str::<Value>("1e400").is_ok();
    let mut from_the_text = vec![json!(18_446_744_073_709_551_615_u64)];
    if keeps_text {
        from_the_text.push(json!(1_152_921_504_606_846_976.0_f64));
    }
    assert_eq!(removed("id ge 1152921504606847000"), from_the_text);
}

/// What a filter cannot hold is `invalidFilter`, nothing applied: a value its operator does
/// not compare (RFC 7644 §3.4.2.2: `gt` of a boolean "SHALL cause a failed response"; `co` of
/// a number), an operator that is none, `not` without its parentheses, a parenthesis left
/// open, parentheses nested deeper than 32 levels. (`not (…)` and parentheses are read:
/// `tests/scim_filter_grammar.rs`.)
#[test]
fn a_filter_it_cannot_read_is_invalid_filter() {
    let deep = format!("{}name eq \"a\"{}", "(".repeat(33), ")".repeat(33));
    for filter in [
        "rank gt true",
        "rank le null",
        "name co 5",
        "name sw null",
        r#"name like "a""#,
        r#"not name eq "a""#,
        r#"(name eq "a""#,
        &deep,
        "name",
    ] {
        let mut resource = json!({"items": [{"name": "a", "rank": 1}]});
        let error = apply_scim_patch(
            &mut resource,
            &message(json!([{"op": "remove", "path": format!("items[{filter}]")}])),
        )
        .expect_err(filter);
        assert_eq!(
            error.scim_type(),
            Some("invalidFilter"),
            "{filter}: {error}"
        );
        assert_eq!(resource, json!({"items": [{"name": "a", "rank": 1}]}));
    }
}

/// §3.5.2.3: a "replace" at a filter whose value is an object (`addresses[type eq "work"]`
/// with `{"streetAddress": …}`) merges it into each matching element, as a "replace" of a
/// complex attribute merges ("Sub-attributes that are not specified in the "value"
/// parameter are left unchanged"): the sub-attributes that the value leaves out stay, and the
/// element is not swapped for the value whole ("all matching record values SHALL be replaced"
/// read as a complex value's sub-attributes, each replaced), nor are other elements touched.
#[test]
fn a_replace_at_a_filter_merges_an_object_into_each_matching_element() {
    let resource = json!({"addresses": [
        {"type": "work", "streetAddress": "100 Universal City Plaza", "postalCode": "91608", "primary": true},
        {"type": "home", "streetAddress": "456 Hollywood Blvd", "postalCode": "91609"}
    ]});
    let result = applied(
        resource,
        json!([{"op": "replace", "path": "addresses[type eq \"work\"]", "value": {
            "streetAddress": "911 Universal City Plaza",
            "locality": "Hollywood",
            "postalCode": null
        }}]),
    );
    assert_eq!(
        result["addresses"],
        json!([
            {"type": "work", "streetAddress": "911 Universal City Plaza", "primary": true, "locality": "Hollywood"},
            {"type": "home", "streetAddress": "456 Hollywood Blvd", "postalCode": "91609"}
        ])
    );
}

/// §3.5.2.3: "replace" of all members, of one address's street through a filter, and of
/// one sub-attribute of one value.
#[test]
fn replace_examples() {
    let member = json!({"display": "Babs Jensen", "$ref": "https://example.com/v2/Users/2819c223", "value": BABS});
    let result = applied(
        group(),
        json!([{"op": "replace", "path": "members", "value": [member.clone()]}]),
    );
    assert_eq!(result["members"], json!([member]));

    let result = applied(
        user(),
        json!([{"op": "replace", "path": "addresses[type eq \"work\"]", "value": {
            "type": "work",
            "streetAddress": "911 Universal City Plaza",
            "locality": "Hollywood"
        }}]),
    );
    assert_eq!(
        result["addresses"][0]["streetAddress"],
        "911 Universal City Plaza"
    );

    let result = applied(
        user(),
        json!([{"op": "replace", "path": "addresses[type eq \"work\"].streetAddress", "value": "1010 Broadway Ave"}]),
    );
    assert_eq!(result["addresses"][0]["streetAddress"], "1010 Broadway Ave");
    assert_eq!(result["addresses"][0]["locality"], "Hollywood");

    // Without a path: the value's attributes replace the resource's.
    let result = applied(
        user(),
        json!([{"op": "replace", "value": {"emails": [{"value": "bjensen@example.com", "type": "work", "primary": true}], "nickname": "Babs"}}]),
    );
    assert_eq!(result["emails"].as_array().unwrap().len(), 1);
    assert_eq!(result["nickname"], "Babs");
}
