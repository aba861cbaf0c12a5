//! SCIM PATCH operations (RFC 7644 §3.5.2): the message ([`ScimPatch`]), its operations
//! ([`ScimOperation`], [`ScimOp`]), the quoting of a filter's value (RFC 7644 §3.4.2.2), and
//! the operations that do a JSON merge patch's work ([`scim_patch_from_merge`]).
//!
//! A SCIM service provider takes this message with `Content-Type: application/scim+json`
//! ([`SCIM_CONTENT_TYPE`], RFC 7644 §3.1 and §8.1); PingOne's users endpoint with its own
//! `application/vnd.pingidentity.user.scim.patch+json` ([`SCIM_PATCH_CONTENT_TYPE`]).
//!
//! One file per job: `message` (the PatchOp message and its operations, read in any case),
//! `op` ([`ScimOp`]), `filter_value` ([`scim_filter_value`]), `from_merge`
//! ([`scim_patch_from_merge`]: an attribute's operations and an extension's), `attribute_name`
//! (the names that a path carries, schema URNs), `case_order` (names that differ only in case)
//! and `keyed` (a keyed array's element-by-element operations).

mod attribute_name;
mod case_order;
mod filter_value;
mod from_merge;
mod keyed;
mod message;
mod op;

#[cfg(any(feature = "client", feature = "emulator"))]
pub(crate) use attribute_name::has_urn_prefix;
pub use filter_value::scim_filter_value;
pub use from_merge::scim_patch_from_merge;
pub use message::{
    SCIM_CONTENT_TYPE, SCIM_PATCH_CONTENT_TYPE, SCIM_PATCH_OP_SCHEMA, ScimOperation, ScimPatch,
};
pub use op::ScimOp;
