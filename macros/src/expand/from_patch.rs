//! `impl FromPatch for User`: build a model from a patch alone (RFC 7396 §2 on a missing
//! target), which needs every required attribute.

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::spanned::Spanned;

use super::context::{Context, splice};
use crate::ast::{AbsentDefault, Presence, Shape};

/// The `FromPatch` impl.
pub fn impl_from_patch(cx: &Context<'_, '_>) -> TokenStream {
    let krate = &cx.krate;
    let input = cx.input;
    let mut bounds = cx.apply_bounds();
    for (field, kind) in &cx.fields {
        if matches!(kind.shape, Shape::Nested) {
            bounds.push(cx.field_bound(field, &kind.value, quote!(#krate::FromPatch)));
        }
    }
    // serde's `default` on the field or the struct (and `Default` for a field that serde does
    // not read, `skip_deserializing`): what the model reads for a missing key, and so what an
    // absent attribute builds (the merge on JSON leaves the key out).
    // The struct's `default` alone asks for the model's `Default`; its `default = "path"` calls
    // the function, which exists to spare the model a `Default` (serde's derive asks none).
    if matches!(input.attrs.serde_default, Some(None)) {
        let generic = !input.generics.params.is_empty();
        bounds.push(cx.conditional_bound(
            &cx.model_type(),
            generic,
            quote!(::core::default::Default),
        ));
    }
    for field in &input.fields {
        if matches!(field.absent_default, Some(AbsentDefault::TypeDefault)) {
            bounds.push(cx.field_bound(field, &field.ty, quote!(::core::default::Default)));
        }
    }
    let default_expr = |field: &crate::ast::Field<'_>| {
        let ident = field.ident;
        Some(match field.absent_default.as_ref()? {
            AbsentDefault::TypeDefault => quote!(::core::default::Default::default()),
            // Called where `default = "path"` names the function, so that one of the wrong
            // type is reported there rather than at the `#[derive]`.
            AbsentDefault::Function(path) => quote_spanned!(path.span()=> #path()),
            AbsentDefault::ModelDefault => {
                quote!(<Self as ::core::default::Default>::default().#ident)
            }
            AbsentDefault::ModelFunction(path) => {
                let call = quote_spanned!(path.span()=> #path());
                quote!({
                    let __default: Self = #call;
                    __default.#ident
                })
            }
        })
    };
    let default_of = |field: &crate::ast::Field<'_>, kind: &crate::ast::Kind| {
        let ident = field.ident;
        let default = default_expr(field)?;
        let absent = if kind.nullable() {
            quote!(#krate::Field::is_absent(&__patch.#ident))
        } else {
            quote!(::core::option::Option::is_none(&__patch.#ident))
        };
        Some((absent, default))
    };
    // An `Option` that the user's serde function reads must be present too (`null` builds
    // `None`): the model could not read the merge's result otherwise.
    // A required attribute must be present (or have a default); a nested patch must build its
    // object.
    let checks = cx
        .fields
        .iter()
        .filter(|(field, kind)| {
            matches!(kind.shape, Shape::Nested)
                || kind.presence == Presence::Required
                || field.absent_is_missing()
        })
        .map(|(field, kind)| {
            let ident = field.ident;
            let name = &field.ser_name;
            if field.absent_is_missing() {
                let check = quote! {
                    if #krate::Field::is_absent(&__patch.#ident) {
                        ::core::result::Result::Err(#krate::ApplyError::missing_required(#name))
                    } else {
                        ::core::result::Result::Ok(())
                    }
                };
                return (field.cfgs(), check);
            }
            let check = cx
                .value_call(kind, "check_build", quote!(&__patch.#ident, #name))
                .unwrap_or_else(|| {
                    cx.call_named(field, kind, "check_build", quote!(&__patch.#ident))
                });
            let check = match default_of(field, kind) {
                Some((absent, _)) => quote! {
                    if #absent { ::core::result::Result::Ok(()) } else { #check }
                },
                None => check,
            };
            (field.cfgs(), check)
        })
        .chain(cx.keyed_checks())
        .collect();
    let checks = cx.first_error(checks);
    // Once the whole patch has passed, only a nested model's build returns a `Result` (its
    // `from_patch`); every other shape builds without one.
    let values = input.fields.iter().map(|field| {
        let ident = field.ident;
        let cfgs = field.cfgs();
        let value = match &field.kind {
            Some(kind) if matches!(kind.shape, Shape::Nested) => {
                cx.try_call_named(field, kind, "build", quote!(__patch.#ident))
            }
            Some(kind) => cx
                .value_call(kind, "take", quote!(__patch.#ident))
                .unwrap_or_else(|| cx.call(field, kind, "take", quote!(__patch.#ident))),
            None => {
                default_expr(field).unwrap_or_else(|| quote!(::core::default::Default::default()))
            }
        };
        let value = match field.kind.as_ref().and_then(|kind| default_of(field, kind)) {
            Some((absent, default)) => quote!(if #absent { #default } else { #value }),
            None => value,
        };
        splice(quote!(#(#cfgs)* #ident:), value, ',')
    });
    let values: TokenStream = values.collect();
    let model_ident = input.ident;
    let patch_type = cx.patch_type();
    cx.impl_block(
        Some(quote!(#krate::FromPatch)),
        cx.model_type(),
        bounds,
        quote! {
            #[inline]
            fn check_from_patch(__patch: &#patch_type) -> ::core::result::Result<(), #krate::ApplyError> {
                let _ = __patch;
                #checks
            }

            #[inline]
            fn from_patch(__patch: #patch_type) -> ::core::result::Result<Self, #krate::ApplyError> {
                if let ::core::result::Result::Err(__error) =
                    <Self as #krate::FromPatch>::check_from_patch(&__patch)
                {
                    return ::core::result::Result::Err(__error);
                }
                ::core::result::Result::Ok(#model_ident {
                    #values
                })
            }
        },
    )
}
