//! SCIM's enterprise user extension (RFC 7643 §4.3) as a model's nested attribute, for the
//! tests of the typed reading of SCIM paths and names: its URN, `employeeNumber` and the
//! nested `manager`.
#![allow(dead_code)]

use serde::{Deserialize, Serialize};
use sparse_patch::Patchable;

/// The enterprise user extension's schema URN (RFC 7643 §4.3).
pub const ENTERPRISE: &str = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct Manager {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
}

#[derive(Patchable, Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct Enterprise {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub employee_number: Option<String>,
    #[patchable(nested)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub manager: Option<Manager>,
}
