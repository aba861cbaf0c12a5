//! The derive input turned into a typed model that records every decision the expansion needs,
//! spans kept: each field's keys and defaults (`field`), how it is patched (its presence and
//! shape, `kind`), the bounds under which it is read (`read_bounds`), and which serde code the
//! patch gets. `expand` only emits what this model says.

mod field;
mod field_borrows;
mod kind;
mod read_bounds;
mod serde_code;

use std::collections::BTreeSet;

use quote::format_ident;
use syn::ext::IdentExt;
use syn::{Data, DeriveInput, Fields, GenericParam, Generics, Ident, Path, Visibility};

use crate::attr::{self, ContainerAttrs};
use crate::case;
use crate::errors::Errors;
use crate::ty;
use read_bounds::{read_bounds, readable_by_own_bounds};

pub use field::{AbsentDefault, Field, ReadBound};
pub use kind::{Kind, Presence, Shape};
pub use serde_code::SerdeCode;

/// A model struct with named fields.
pub struct Input<'a> {
    pub ident: &'a Ident,
    pub vis: &'a Visibility,
    /// The model's generics, with `Self` in their bounds and where-clause replaced by the
    /// model's type, since in the patch and its impls `Self` would name the patch.
    pub generics: Generics,
    /// The names of the model's type parameters: a type named like one is the parameter, not
    /// a type of that name (`Value`, a map) that a rule looks for.
    pub type_params: BTreeSet<String>,
    pub attrs: ContainerAttrs,
    pub fields: Vec<Field<'a>>,
    /// The patch's name: `name = "..."` or the model's name followed by `Patch`.
    pub patch: Ident,
    /// The runtime crate: `crate = "..."` or `::sparse_patch`.
    pub krate: Path,
    /// Some generic parameter is used by no patched field, so a marker field must use it.
    pub needs_marker: bool,
    /// The prefix of the patch's hidden fields (the marker, the dropped keys) and helper
    /// methods: `__sparse_patch`, or with a number after it where a model field's name (or a
    /// `setter = "..."`) starts with `__sparse_patch_`, so that no hidden name is a field's (or
    /// its setter's). A field named `__phantom` clashed with the marker, with rustc's errors at
    /// the derive.
    hidden_prefix: String,
    /// The patch reads the keys of the skipped fields and drops them, so that a flattened map
    /// does not collect them (and send them back).
    pub drops_skipped_keys: bool,
    /// Which code serializes and deserializes the patch.
    pub serde: SerdeCode,
    /// A patch on serde's derives is read by serde's derive on a hidden twin of the patch
    /// (serde's `remote`), whose reader the derive calls through the runtime's `MapOnly`, so
    /// that a sequence is refused as the derive's own reader refuses it (serde's derive reads
    /// a struct from a sequence of its fields in order, and no attribute of serde's turns that
    /// off). Not where a field is read from `'static` input only (`&'static str`, serde's
    /// `borrow` of `'static`), for which serde's reader implements `Deserialize<'static>`
    /// alone: such a patch keeps serde's own `Deserialize`; nor where a serde item is
    /// malformed, which fails the build anyway.
    pub serde_twin: bool,
    /// The lints that the generated code raises for this model, which the patch and its impls
    /// `allow`: none unless the model needs it, since an `allow` of a lint that the user's
    /// crate `forbid`s is an error (E0453) there.
    pub lint_allows: Vec<Ident>,
}

impl<'a> Input<'a> {
    /// Reads a derive input, or reports why it is not a struct with named fields.
    pub fn from_syn(input: &'a DeriveInput, errors: &mut Errors) -> Option<Self> {
        let attrs = attr::container(&input.attrs, errors);
        let named = named_fields(input, errors);
        let krate = attrs
            .krate
            .as_ref()
            .map_or_else(|| syn::parse_quote!(::sparse_patch), runtime_through);
        let patch = attrs.name.as_ref().map_or_else(
            || format_ident!("{}Patch", input.ident.unraw()),
            |(name, _)| name.clone(),
        );
        let (_, ty_generics, _) = input.generics.split_for_impl();
        let ident = &input.ident;
        let model_type = quote::quote!(#ident #ty_generics);
        let model_path = {
            let turbofish = ty_generics.as_turbofish();
            quote::quote!(#ident #turbofish)
        };
        let params = generic_names(&input.generics);
        let fields: Vec<Field<'a>> = named?
            .named
            .iter()
            .filter_map(|field| {
                Field::from_syn(
                    field,
                    &attrs,
                    &krate,
                    (&model_type, &model_path),
                    &params,
                    errors,
                )
            })
            .collect();
        let mut fields = fields;
        let model_name = input.ident.unraw().to_string();
        for field in &mut fields {
            attr::rebase_self_links(&mut field.attrs.carried, &model_name);
            attr::ignore_doc_examples(&mut field.attrs.carried);
        }
        let type_params: BTreeSet<String> = input
            .generics
            .type_params()
            .map(|param| param.ident.to_string())
            .collect();
        read_bounds(&mut fields, &params, &type_params);
        readable_by_own_bounds(&mut fields, &input.generics);
        for field in &mut fields {
            field.decide_unique_keys();
        }
        let used: BTreeSet<String> = fields
            .iter()
            .filter(|field| field.kind.is_some())
            .flat_map(|field| field.names.iter().cloned())
            .collect();
        let needs_marker = input.generics.params.iter().any(|param| match param {
            GenericParam::Type(param) => !used.contains(&param.ident.to_string()),
            GenericParam::Lifetime(param) => !used.contains(&param.lifetime.to_string()),
            GenericParam::Const(_) => false,
        });
        let drops_skipped_keys = fields.iter().any(|field| {
            field.kind.as_ref().is_some_and(|kind| {
                kind.presence == Presence::Flattened
                    && matches!(kind.shape, Shape::Map { .. } | Shape::Json)
            })
        }) && fields.iter().any(Field::drops_key);
        let lint_allows = lint_allows(&attrs, &fields);
        let hidden_prefix = hidden_prefix(&fields);
        let mut input = Input {
            ident: &input.ident,
            vis: &input.vis,
            generics: ty::replace_self_in_generics(&input.generics, &model_type),
            type_params,
            attrs,
            fields,
            patch,
            krate,
            needs_marker,
            hidden_prefix,
            drops_skipped_keys,
            serde: SerdeCode::Derived,
            serde_twin: false,
            lint_allows,
        };
        input.serde = input.choose_serde();
        // A malformed serde item fails serde's derive on the twin, which then has no reader to
        // call: serde reports the item on the model already.
        let well_formed = input
            .attrs
            .serde_kept
            .iter()
            .chain(
                input
                    .patched()
                    .flat_map(|(field, _)| &field.attrs.serde_kept),
            )
            .all(|kept| attr::kept_well_formed(kept));
        input.serde_twin = input.serde == SerdeCode::Derived && well_formed;
        Some(input)
    }

    /// A hidden field or helper method of the patch: `{prefix}_{name}`, which names no model
    /// field.
    pub fn hidden_ident(&self, name: impl std::fmt::Display) -> Ident {
        Ident::new(
            &format!("{}_{name}", self.hidden_prefix),
            proc_macro2::Span::call_site(),
        )
    }

    /// The fields that the patch holds.
    pub fn patched(&self) -> impl Iterator<Item = (&Field<'a>, &Kind)> {
        self.fields
            .iter()
            .filter_map(|field| field.kind.as_ref().map(|kind| (field, kind)))
    }

    /// The skipped fields whose keys the patch reads and drops.
    pub fn dropped_keys(&self) -> impl Iterator<Item = &Field<'a>> {
        self.fields
            .iter()
            .filter(|field| self.drops_skipped_keys && field.drops_key())
    }

    /// The skipped fields whose keys the model reads but the patch neither reads nor drops:
    /// the patch declares them to a parent that flattens it, so that the parent's flattened
    /// map does not take them (the model's reading gives them to the flattened struct). Not
    /// under `deny_unknown_fields`, where the patch refuses them.
    pub fn declared_skipped_keys(&self) -> impl Iterator<Item = &Field<'a>> {
        let declares = !self.drops_skipped_keys && !self.attrs.deny_unknown_fields;
        self.fields
            .iter()
            .filter(move |field| declares && field.drops_key())
    }

    /// The dropped keys that need a hidden patch field: serde's derive reads a key only into a
    /// field, while the derive's own reader drops them without one.
    pub fn hidden_dropped_keys(&self) -> impl Iterator<Item = &Field<'a>> {
        self.dropped_keys()
            .filter(|_| self.serde == SerdeCode::Derived)
    }
}

/// The runtime's path that `#[patchable(crate = "path")]` gives, as the generated code
/// writes it: `path::private::runtime`, the runtime's root again. Every item the code names
/// then goes through `private`, so a path that resolves to another crate or module
/// (`crate = "std"`) is one error at the attribute (``cannot find `private` in `std` ``), where
/// each item named after the path itself (`std::Field`, `std::Patchable`, ...) was an error of
/// its own at the `#[derive]` line (9 for one model). The added segments carry the string's
/// span, where rustc reports them.
fn runtime_through(path: &syn::Path) -> syn::Path {
    let span = path
        .segments
        .last()
        .map_or_else(proc_macro2::Span::call_site, |segment| segment.ident.span());
    let mut path = path.clone();
    for name in ["private", "runtime"] {
        path.segments.push_punct(syn::Token![::](span));
        path.segments
            .push_value(syn::PathSegment::from(Ident::new(name, span)));
    }
    path
}

/// The named fields of a struct, or an error saying what the input is instead.
fn named_fields<'a>(input: &'a DeriveInput, errors: &mut Errors) -> Option<&'a syn::FieldsNamed> {
    match &input.data {
        Data::Struct(data) => match &data.fields {
            Fields::Named(named) => Some(named),
            // A newtype (`#[serde(transparent)]` or not) is written as the value it wraps.
            Fields::Unnamed(fields) if fields.unnamed.len() == 1 => {
                errors.at(
                    input.ident.span(),
                    "`Patchable` needs a struct with named fields, because JSON attributes have names; this is a newtype, whose JSON is the value it wraps, so a patch of it would be that value, sent whole: use it as a field's type in a model (whose patch sends it whole), or derive `Patchable` on the type it wraps if that is a struct with named fields",
                );
                None
            }
            Fields::Unnamed(_) => {
                errors.at(
                    input.ident.span(),
                    "`Patchable` needs a struct with named fields, because JSON attributes have names; this is a tuple struct",
                );
                None
            }
            Fields::Unit => {
                errors.at(
                    input.ident.span(),
                    "`Patchable` needs a struct with named fields, because JSON attributes have names; this is a unit struct",
                );
                None
            }
        },
        Data::Enum(data) => {
            errors.at(
                data.enum_token.span,
                "`Patchable` needs a struct with named fields; enums are not supported, since a patch of one variant has no meaning for another: use the enum as a field's type in a model (whose patch sends it whole), or derive `Patchable` on a struct that holds one variant's attributes",
            );
            None
        }
        Data::Union(data) => {
            errors.at(
                data.union_token.span,
                "`Patchable` needs a struct with named fields; unions are not supported",
            );
            None
        }
    }
}

/// The lints that the generated code raises for a model with these attributes and fields:
/// `deprecated` where the model or a field is deprecated (or names the lint, as a field of a
/// deprecated type does), since the code names them; `non_snake_case` where a name built from a
/// field's (`clear_{field}`, `{field}_entry`, the hidden fields and helpers) is not snake case,
/// as for `_rev` (`clear__rev`) or a field that the user allows to be camel case. A trailing
/// underscore (`type_`) breaks only `{field}_entry`, which only a map field has: `clear_type_`
/// is snake case, and a crate that forbids the lint must be able to name a field `type_`.
fn lint_allows(attrs: &ContainerAttrs, fields: &[Field<'_>]) -> Vec<Ident> {
    let mut lints = Vec::new();
    if attrs.deprecation || fields.iter().any(|field| field.attrs.deprecation) {
        lints.push(Ident::new("deprecated", proc_macro2::Span::call_site()));
    }
    let built_names_snake = |field: &Field<'_>| {
        let name = field.unraw();
        // As the hidden helpers (`__sparse_patch_{what}_{field}`) and `clear_{field}` are.
        let prefixed = case::is_snake_case(&format!("x_{name}"));
        let has_entry = field.kind.as_ref().is_some_and(|kind| {
            matches!(
                kind.shape,
                Shape::Map {
                    explicit: false,
                    ..
                }
            )
        });
        prefixed && (!has_entry || case::is_snake_case(&format!("x_{name}_entry")))
    };
    if !fields.iter().all(built_names_snake) {
        lints.push(Ident::new("non_snake_case", proc_macro2::Span::call_site()));
    }
    lints
}

/// `__sparse_patch`, followed by the first number (if any) after which no field's name, nor a
/// setter's that `setter = "..."` gives, starts with it and `_`: the patch's hidden names all
/// start so.
fn hidden_prefix(fields: &[Field<'_>]) -> String {
    // The setters that `setter = "..."` names sit in the patch's inherent impl beside the
    // helpers: one named `__sparse_patch_serialize_labels` was E0592 at the derive.
    let names: Vec<String> = fields
        .iter()
        .flat_map(|field| {
            let setter = field.attrs.setter.as_ref().map(|(ident, _)| ident.unraw());
            std::iter::once(field.unraw()).chain(setter)
        })
        .map(|name| name.to_string())
        .collect();
    (0..)
        .map(|number: usize| {
            if number == 0 {
                "__sparse_patch".to_owned()
            } else {
                format!("__sparse_patch{number}")
            }
        })
        .find(|prefix| {
            let hidden = format!("{prefix}_");
            names.iter().all(|name| !name.starts_with(&hidden))
        })
        .unwrap_or_default()
}

/// The names of the generic parameters: type and const parameters, and lifetimes with their `'`.
fn generic_names(generics: &Generics) -> BTreeSet<String> {
    generics
        .params
        .iter()
        .map(|param| match param {
            GenericParam::Type(param) => param.ident.to_string(),
            GenericParam::Lifetime(param) => param.lifetime.to_string(),
            GenericParam::Const(param) => param.ident.to_string(),
        })
        .collect()
}
