//! Code generation: one file per output piece, each reading the decisions that `ast` recorded.
//!
//! Every path in the generated code is absolute (`::core::...`, the runtime's path), every
//! local name starts with `__`, and every impl carries `#[automatically_derived]`, so that no
//! item in the user's scope can capture a name and lints treat the code as generated. The only
//! lints `allow`ed are those the model at hand needs (`ast` decides which), never a group: an
//! `allow` under the user's `forbid` of the same lint is an error in the user's crate.

mod apply_bounds;
mod bounds;
mod context;
mod deserialize;
mod diff;
mod field_calls;
mod from_patch;
mod patch_struct;
mod patch_trait;
mod patchable;
mod schema;
mod serde_bounds;
mod serde_derived;
mod serde_helper_fns;
mod serde_twin;
mod serialize;
mod setters;
mod std_traits;

#[cfg(test)]
mod derive_input_fuzz;
#[cfg(test)]
mod generated_docs;

use proc_macro2::TokenStream;
use syn::DeriveInput;

use crate::ast::Input;
use crate::errors::Errors;
use crate::valid;
use context::Context;

/// Expands `#[derive(Patchable)]`, or returns every error found in the input.
pub fn derive(input: &DeriveInput) -> syn::Result<TokenStream> {
    let mut errors = Errors::default();
    let parsed = Input::from_syn(input, &mut errors);
    if let Some(parsed) = &parsed {
        valid::check(parsed, &mut errors);
    }
    errors.finish()?;
    let Some(parsed) = parsed else {
        return Ok(TokenStream::new());
    };
    let cx = Context::new(&parsed);
    let mut out = patch_struct::definition(&cx);
    out.extend([setters::inherent(&cx)]);
    out.extend([std_traits::impls(&cx)]);
    out.extend([patch_trait::impl_patch(&cx)]);
    out.extend([patchable::impl_patchable(&cx)]);
    out.extend([from_patch::impl_from_patch(&cx)]);
    out.extend([diff::impl_diff(&cx)]);
    out.extend([serialize::impl_serialize(&cx)]);
    out.extend([deserialize::impls(&cx)]);
    out.extend([serde_twin::reader(&cx)]);
    out.extend([schema::invocation(&cx)]);
    Ok(out)
}
