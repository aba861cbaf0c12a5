use serde_json::json;

use super::User;

/// Each shape a relation of `_links` can take: a link keeps its other members; a value
/// that is no link (no `href`, an `href` that is not a string or comes twice, an array,
/// a scalar, `null`) is left out, and the user is read all the same.
#[test]
fn links_keep_every_link_and_leave_out_what_is_no_link() {
    let text = r#"{"id": "a38890a6-295a-4d58-9f6e-b72b05fba378", "username": "ada", "email": "ada@example.com",
        "_links": {
            "self": {"href": "https://x/self", "title": "me", "templated": false},
            "array": [{"href": "https://x/1"}, [1, {"a": null}]],
            "noHref": {"title": "t"},
            "numberHref": {"href": 5},
            "twice": {"href": "https://x/a", "href": "https://x/b"},
            "text": "https://x/t", "number": 1.5, "negative": -1, "flag": true, "nothing": null,
            "last": {"href": "https://x/last"}
        }}"#;
    let user: User = serde_json::from_str(text).expect("the user reads");
    assert_eq!(user.links.keys().collect::<Vec<_>>(), ["last", "self"]);
    assert_eq!(user.links["self"].href, "https://x/self");
    assert_eq!(
        serde_json::to_value(&user.links["self"]).unwrap(),
        json!({"href": "https://x/self", "title": "me", "templated": false})
    );
}
