//! The spaces of a SCIM filter as `apply_scim_patch` reads them: a space on each side of a
//! comparison operator and of `and`/`or`, as RFC 7644 §3.4.2.2 writes them (`attrExp = attrPath
//! SP compareOp SP compValue`, `logExp = FILTER SP ("and" / "or") SP FILTER`). A filter without
//! them is refused as `invalidFilter` (RFC 7644 §3.12), the document left as it was.

use serde_json::{Value, json};
use sparse_patch::{ScimFault, ScimPatchError, apply_scim_patch};

#[path = "support/scim_message.rs"]
mod scim_message;
use scim_message::message;

fn emails() -> Value {
    json!({"emails": [
        {"type": "work", "value": "w@example.com", "primary": true},
        {"type": "home", "value": "h@example.com"}
    ]})
}

/// The error of a `remove` at `emails[filter]`; the document is left as it was.
fn refused(filter: &str) -> ScimPatchError {
    let mut document = emails();
    let path = format!("emails[{filter}]");
    let error = apply_scim_patch(
        &mut document,
        &message(json!([{"op": "remove", "path": path}])),
    )
    .expect_err(filter);
    assert_eq!(document, emails(), "{filter}");
    error
}

/// `type eq"work"` (the chapter's example) and an operator glued to its value in any other way
/// are `invalidFilter`; with the spaces, the same filters select.
#[test]
fn a_comparison_operator_needs_a_space_after_it() {
    for (glued, spaced) in [
        (r#"type eq"work""#, r#"type eq "work""#),
        (r#"type sw"wo""#, r#"type sw "wo""#),
        (r#"primary eq(true)"#, r#"primary eq true"#),
    ] {
        let error = refused(glued);
        assert_eq!(error.scim_type(), Some("invalidFilter"), "{glued}: {error}");
        let ScimPatchError::Operation {
            fault: ScimFault::MalformedFilter { reason },
            ..
        } = &error
        else {
            panic!("{glued}: {error:?}");
        };
        assert!(
            reason.contains("needs a space after it"),
            "{glued}: {reason}"
        );
        let mut document = emails();
        let path = format!("emails[{spaced}]");
        apply_scim_patch(
            &mut document,
            &message(json!([{"op": "remove", "path": path}])),
        )
        .unwrap_or_else(|error| panic!("{spaced}: {error}"));
        assert_eq!(
            document,
            json!({"emails": [{"type": "home", "value": "h@example.com"}]}),
            "{spaced}"
        );
    }
}

/// `and` and `or` glued to what is beside them are `invalidFilter` too.
#[test]
fn and_and_or_need_a_space_on_each_side() {
    for glued in [
        r#"type eq "work"and primary eq true"#,
        r#"(type eq "work")or type eq "home""#,
        r#"type eq "work" and(primary eq true)"#,
    ] {
        let error = refused(glued);
        assert_eq!(error.scim_type(), Some("invalidFilter"), "{glued}: {error}");
        assert!(
            error
                .to_string()
                .contains("needs a space before it and after it"),
            "{glued}: {error}"
        );
    }
}
