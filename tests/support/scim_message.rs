//! SCIM PatchOp messages (RFC 7644 §3.5.2) for the tests of `apply_scim_patch`: a message of
//! given operations, what it makes of a document, and the fault it is refused with.
#![allow(dead_code)]

use serde_json::{Value, json};
use sparse_patch::{ScimFault, ScimPatch, ScimPatchError, apply_scim_patch};

/// The PatchOp message holding `operations` (a JSON array of operations).
pub fn message(operations: Value) -> ScimPatch {
    serde_json::from_value(json!({
        "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
        "Operations": operations,
    }))
    .unwrap()
}

/// `document` with `operations` applied; panics, naming them, where they are refused.
pub fn applied(document: &Value, operations: Value) -> Value {
    let mut document = document.clone();
    apply_scim_patch(&mut document, &message(operations.clone()))
        .unwrap_or_else(|error| panic!("{operations}: {error}"));
    document
}

/// The fault of `operations` on `document`, which is left as it was.
pub fn fault(document: &Value, operations: Value) -> ScimFault {
    let mut changed = document.clone();
    let error = apply_scim_patch(&mut changed, &message(operations.clone()))
        .expect_err(&operations.to_string());
    assert_eq!(&changed, document, "a failed message changes nothing");
    match error {
        ScimPatchError::Operation { fault, .. } => fault,
        other => panic!("{other:?}"),
    }
}
