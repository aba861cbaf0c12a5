//! The runtime of [sparse-patch](https://docs.rs/sparse-patch): the tri-state [`Field`], the
//! [`Patchable`] traits and the `#[derive(Patchable)]` macro.
//!
//! Depend on the `sparse-patch` facade crate rather than on this one: the generated code refers
//! to `::sparse_patch` unless told otherwise with `#[patchable(crate = "...")]`.

#![cfg_attr(docsrs, feature(doc_cfg))]
#![warn(missing_docs)]
#![forbid(unsafe_code)]

mod apply_error;
mod boolean_strings;
mod compose;
#[cfg(all(test, any(feature = "client", feature = "emulator")))]
mod cpu_time;
mod dialect_error;
mod diff_left_out;
#[cfg(feature = "client")]
mod duration_text;
mod error_path;
mod field;
mod forward_reads;
mod json_equality;
mod json_merge;
mod json_number;
mod json_patch;
mod json_patch_apply;
mod json_patch_copy_budget;
mod json_patch_depth_limit;
mod json_patch_plan;
#[cfg(feature = "schemars")]
mod json_patch_schema;
mod keyed_array;
mod map_patch;
mod member_order;
mod member_picker;
mod merge_patch_text;
mod not_applied;
mod number_identity;
mod patch_body_error;
mod patch_dialect;
mod patchable;
mod quoted;
mod scim;
mod text_encoding;

/// Support for the code that `#[derive(Patchable)]` generates: not a public API.
#[doc(hidden)]
pub mod private;

pub use apply_error::{ApplyError, ApplyErrorKind};
pub use compose::{ComposeConflict, ComposeError};
pub use dialect_error::DialectError;
pub use diff_left_out::left_out_by_diff;
pub use field::Field;
pub use json_merge::{MERGE_PATCH_CONTENT_TYPE, MergeJson, merge_diff, merge_patch};
pub use json_patch::{
    JSON_PATCH_CONTENT_TYPE, JsonPatchOperation, escape_pointer_token, json_patch_from_merge,
};
pub use json_patch_apply::{JsonPatchError, PointerFault, apply_json_patch, merge_from_json_patch};
pub use json_patch_plan::JsonPatchPlan;
pub use keyed_array::{ElementChange, KeyedArray, KeyedDiff, diff_keyed};
pub use map_patch::{DiffMap, MergeMap, SerializeMapPatch};
pub use merge_patch_text::merge_patch_to_vec;
pub use not_applied::not_applied;
pub use patch_body_error::PatchBodyError;
pub use patch_dialect::{ACCEPT_PATCH, PatchDialect, UnsupportedMediaType};
pub use patchable::{Diff, FromPatch, Patch, Patchable};
pub use scim::{
    SCIM_CONTENT_TYPE, SCIM_ERROR_SCHEMA, SCIM_PATCH_CONTENT_TYPE, SCIM_PATCH_OP_SCHEMA, ScimFault,
    ScimOp, ScimOperation, ScimPatch, ScimPatchError, apply_scim_patch, merge_from_scim_patch,
    scim_filter_value, scim_patch_from_merge,
};
pub use sparse_patch_macros::Patchable;

#[cfg(any(feature = "client", feature = "emulator"))]
pub mod pingone;
