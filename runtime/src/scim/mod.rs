//! SCIM PATCH operations (RFC 7644 §3.5.2): the message ([`ScimPatch`]), its operations
//! ([`ScimOperation`], [`ScimOp`]), the quoting of a filter's value (RFC 7644 §3.4.2.2), and
//! the operations that do a JSON merge patch's work ([`scim_patch_from_merge`]).
//!
//! A SCIM service provider takes this message with `Content-Type: application/scim+json`
//! ([`SCIM_CONTENT_TYPE`], RFC 7644 §3.1 and §8.1); PingOne's users endpoint with its own
//! `application/vnd.pingidentity.user.scim.patch+json` ([`SCIM_PATCH_CONTENT_TYPE`]).
//!
//! The other way, [`apply_scim_patch`] applies a PatchOp message to a resource's JSON (RFC 7644
//! §3.5.2.1 to §3.5.2.3), and [`merge_from_scim_patch`] gives the merge patch of its change,
//! and [`Patch::from_scim_patch`](crate::Patch::from_scim_patch) reads it into a derived patch;
//! [`ScimPatchError`] says why one was refused.
//!
//! One file per job: `message` (the PatchOp message and its operations, read in any case),
//! `op` ([`ScimOp`]), `filter_value` ([`scim_filter_value`]), `from_merge`
//! ([`scim_patch_from_merge`]: an attribute's operations and an extension's), `attribute_name`
//! (the names that a path carries, schema URNs), `case_order` (names that differ only in case),
//! `keyed` (a keyed array's element-by-element operations); and for reading messages,
//! `filter_cursor` (the words and strings of a filter's text), `path` (a path, its filter and
//! how names compare), `put_value` (a value added or replaced into a slot), `apply_at` (an
//! operation at a path), `remove_by_value` (the filter that a `remove`'s value gives, as
//! Entra ID removes group members), `removed_names` (the names that a message removes, checked
//! against a typed patch's), `pathless_members` (the members of a path-less value:
//! names, URNs and paths, and those that overlap), `name_index` (the resource's names and its attributes' sub-attribute names, in any case), `model_spelling` (a change's names spelled as a typed model spells them), `key_read` (how a model's reading reads a member's name), `name_paths` (paths of names, and those met in serde's buffer), `unread_names` (those that serde reads from its own buffer and the model does not read), `patch_apply` ([`apply_scim_patch`], [`merge_from_scim_patch`]) and
//! `patch_error` ([`ScimPatchError`], [`ScimFault`]); `idempotence`
//! ([`ScimPatch::is_idempotent`]: whether a message may be sent again after a lost answer). The emulator applies its operations with
//! `path` and `apply_at`, names compared exactly as PingOne compares them.

mod apply_at;
mod attribute_name;
mod case_order;
mod filter;
mod filter_cursor;
mod filter_value;
mod from_merge;
mod idempotence;
mod key_read;
mod keyed;
mod message;
mod model_spelling;
mod name_index;
mod name_paths;
mod name_rules;
mod op;
mod patch_apply;
mod patch_error;
mod path;
mod pathless_members;
mod primary;
mod put_value;
mod remove_by_value;
mod removed_names;
mod unread_names;

#[cfg(feature = "emulator")]
pub(crate) use apply_at::{put_at, remove_at};
#[cfg(any(feature = "client", feature = "emulator"))]
pub(crate) use attribute_name::has_urn_prefix;
#[cfg(feature = "emulator")]
pub(crate) use filter::equal_in_any_case;
#[cfg(all(test, feature = "emulator"))]
pub(crate) use filter::{Comparison, Condition, Filter, Operator};
#[cfg(any(feature = "client", feature = "emulator"))]
pub(crate) use filter_cursor::Cursor;
pub use filter_value::scim_filter_value;
pub use from_merge::scim_patch_from_merge;
pub use message::{
    SCIM_CONTENT_TYPE, SCIM_ERROR_SCHEMA, SCIM_PATCH_CONTENT_TYPE, SCIM_PATCH_OP_SCHEMA,
    ScimOperation, ScimPatch,
};
pub(crate) use model_spelling::respell_as_model;
#[cfg(feature = "emulator")]
pub(crate) use name_rules::{Names, Rules};
pub use op::ScimOp;
pub use patch_apply::{apply_scim_patch, merge_from_scim_patch};
pub use patch_error::{ScimFault, ScimPatchError};
#[cfg(feature = "emulator")]
pub(crate) use patch_error::{kind_of, no_element_reason};
#[cfg(all(test, feature = "emulator"))]
pub(crate) use path::ONLY_EQ;
#[cfg(feature = "emulator")]
pub(crate) use path::{Path, read_path};
pub(crate) use path::{is_core_schema, names_a_schema, path_names, split_urn};
pub(crate) use removed_names::first_unknown_removed;
pub(crate) use unread_names::first_unread;
