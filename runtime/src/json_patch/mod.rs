//! RFC 6902 JSON Patch from a JSON merge patch and the document it applies to:
//! [`JsonPatchOperation`] and [`json_patch_from_merge`].
//!
//! One file per job: `operation` ([`JsonPatchOperation`] and its reading), `pointer_syntax`
//! (RFC 6901 §3: a pointer's faults, [`escape_pointer_token`]), `from_merge`
//! ([`json_patch_from_merge`]) with `may_be_missing` (the base's values that a server may
//! lack), and `tests`.

mod from_merge;
mod may_be_missing;
mod operation;
mod pointer_syntax;
#[cfg(test)]
mod tests;

pub use from_merge::json_patch_from_merge;
pub use operation::JsonPatchOperation;
pub use pointer_syntax::escape_pointer_token;
pub(crate) use pointer_syntax::pointer_fault;

/// The media type of an RFC 6902 JSON Patch document (RFC 6902 §6), the `Content-Type` of a
/// `PATCH` whose body is [`Patch::to_json_patch`](crate::Patch::to_json_patch)'s operations:
/// `application/json-patch+json`.
///
/// ```
/// assert_eq!(sparse_patch::JSON_PATCH_CONTENT_TYPE, "application/json-patch+json");
/// ```
pub const JSON_PATCH_CONTENT_TYPE: &str = "application/json-patch+json";
