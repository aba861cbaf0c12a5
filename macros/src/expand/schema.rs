//! The patch's JSON Schema (feature `schemars` of the runtime): one invocation of the runtime's
//! `patch_schema!`, which implements `schemars::JsonSchema` when the feature is on and expands
//! to nothing when it is off. The derive cannot see the runtime's features, so it hands
//! over only what a schema needs, in as few tokens as it can: the impl's `#[allow]`s and header, the
//! patch's name, description (with schemars' `title` and `description` items) and deprecation,
//! `deny_unknown_fields`, whether serde reads its flattened fields from a buffer, and per field
//! its presence, keys, description, deprecation, validation items, examples, extensions,
//! transforms and patch value type.

use proc_macro2::{Group, Span, TokenStream, TokenTree};
use quote::{ToTokens, quote};
use syn::ext::IdentExt;

use super::context::Context;
use crate::ast::{Field, Kind, Presence, SerdeCode, Shape};
use crate::attr::SchemaWith;

/// `patch_schema! { ... }` for the patch.
pub fn invocation(cx: &Context<'_, '_>) -> TokenStream {
    let krate = &cx.krate;
    let input = cx.input;
    let generics = cx.unbounded(&input.generics);
    let (impl_generics, _, _) = generics.split_for_impl();
    let patch = cx.patch_type();
    // A generic patch's schema depends on its parameters, so it is written inline rather than
    // named once: each use gets the schema of its own parameters.
    let inline = !generics.params.is_empty();
    let schema_bound = quote!(#krate::private::FieldSchema);
    let bounds = cx.schema_value_bounds(&schema_bound);
    let mut bounds_all = cx.struct_bounds();
    bounds_all.extend(bounds);
    // A nullable plain value behind an alias or a `Box` (`Box<Option<T>>`) has the schema of the
    // field's own type (`schema_type`), which a schema of `T` does not imply: that type must
    // have one too.
    bounds_all.extend(
        cx.fields
            .iter()
            .filter(|(field, kind)| {
                field.generic
                    && kind.option_alias
                    && matches!(kind.shape, Shape::Plain)
                    && field.schema_with.is_none()
            })
            .map(|(field, _)| cx.field_bound(field, &field.ty, schema_bound.clone())),
    );
    let where_clause = cx.where_clause(bounds_all);
    let name = input.patch.unraw().to_string();
    let model_doc = doc(input.attrs.doc.as_deref(), input.attrs.doc_macro.as_ref());
    let model_metadata = metadata(&input.attrs.schema_metadata);
    let deprecated = input.attrs.is_deprecated().then(|| quote!(deprecated));
    let deny = input.attrs.deny_unknown_fields;
    let fields = cx.fields.iter().map(|(field, kind)| {
        let cfgs = field.cfgs();
        let shape = schema_shape(field, kind);
        // Never written (`skip_serializing`): under the serialize contract, no key. Every
        // string is a key serde can write (`rename = ""` too), so none stands in for "none".
        let skip_serializing = field.attrs.skip_serializing;
        let ser = (!skip_serializing).then(|| field.ser_name.clone());
        // The keys read, when they are not the key written alone.
        let read: Vec<&String> = if field.attrs.model_skips_key {
            Vec::new()
        } else {
            std::iter::once(&field.de_name)
                .chain(&field.attrs.aliases)
                .collect()
        };
        let read = (skip_serializing || read.len() != 1 || ser.as_ref() != Some(read[0]))
            .then(|| quote!([#(#read),*]));
        let field_doc = doc(field.attrs.doc.as_deref(), field.attrs.doc_macro.as_ref());
        let metadata = metadata(&field.attrs.schema_metadata);
        let deprecated = field
            .attrs
            .is_deprecated()
            .then(|| quote!(deprecated_field));
        let ty = schema_type(field, kind);
        let function = schema_function(field, &impl_generics, where_clause.as_ref());
        let keywords = validation_keywords(cx, field);
        let ser = ser.iter();
        quote!(, #(#cfgs)* #shape [#(#ser)*] #read #field_doc #metadata #deprecated #function #keywords => #ty)
    });
    let fields: TokenStream = fields.collect();
    let allows = cx.allows();
    let ignored = ignored_keys(cx);
    let from_buffer = cx
        .input
        .reads_flattened_from_buffer()
        .then(|| quote!(@flattened_from_buffer));
    quote! {
        #krate::private::patch_schema! {
            #allows
            [#impl_generics] #patch [#where_clause] #name #inline #model_doc #model_metadata #deprecated; #deny #from_buffer #ignored
            #fields
        }
    }
}

/// The keys of skipped fields that the patch reads and ignores, per field its name and its
/// aliases: `dropped [[keys], ...]`, those that it reads and drops beside a flattened map
/// (a name with its alias is a duplicate field), and `declared [[keys], ...]`, those that its
/// own reader declares to a parent that flattens it (read directly, they are unknown keys).
fn ignored_keys(cx: &Context<'_, '_>) -> TokenStream {
    let keys = |field: &Field<'_>| {
        let keys = std::iter::once(&field.de_name).chain(&field.attrs.aliases);
        quote!([#(#keys),*])
    };
    let dropped: Vec<TokenStream> = cx.input.dropped_keys().map(keys).collect();
    let declared: Vec<TokenStream> = if cx.input.serde == SerdeCode::Own {
        cx.input.declared_skipped_keys().map(keys).collect()
    } else {
        Vec::new()
    };
    let dropped = (!dropped.is_empty()).then(|| quote!(dropped [#(#dropped),*]));
    let declared = (!declared.is_empty()).then(|| quote!(declared [#(#declared),*]));
    quote!(#dropped #declared)
}

/// The doc comment: its text, or `@doc(pieces of a concat!)` where another macro gives some
/// of it.
fn doc(text: Option<&str>, doc_macro: Option<&TokenStream>) -> Option<TokenStream> {
    match doc_macro {
        Some(tokens) => Some(quote!(@doc(#tokens))),
        None => text.map(|text| quote!(#text)),
    }
}

/// schemars' `title` and `description` items, as `@title(expr) @description(expr)`.
fn metadata(metadata: &crate::attr::SchemaMetadata) -> TokenStream {
    let title = metadata.title.iter();
    let description = metadata.description.iter();
    quote!(#(@title(#title))* #(@description(#description))*)
}

/// The `PatchSchema` method that describes a field, with its arguments.
fn schema_shape(field: &Field<'_>, kind: &Kind) -> TokenStream {
    let attrs = &field.attrs;
    let written = attrs.with.is_some() || attrs.serialize_with.is_some();
    let read = attrs.with.is_some() || attrs.deserialize_with.is_some();
    let nullable = matches!(kind.presence, Presence::Nullable);
    let declared = field.schema_with.is_some();
    match kind.presence {
        // The user's serde functions decide the JSON: the schema of `#[schemars(with)]`, as
        // it stands (with `null`, a clear, on a nullable attribute), where the user states it (as schemars' derive gives it to the model's),
        // else any value, where they do.
        _ if written && read && declared => quote!(declared(#nullable)),
        _ if (written || read) && declared => quote!(declared_one_way(#nullable, #written)),
        _ if written && read => quote!(custom(#nullable)),
        _ if written || read => quote!(custom_one_way(#nullable, #written)),
        // A map patch (merged key by key) whose model map has the stated type's schema: that
        // schema, with values that may be `null` (remove the key).
        Presence::Required | Presence::Nullable
            if declared && matches!(kind.shape, Shape::Map { .. }) =>
        {
            quote!(map_declared(#nullable))
        }
        // `#[schemars(with = "Option<T>")]` on a nullable field: that type's own schema, which
        // admits `null`; any other type's, or `null`.
        Presence::Nullable if field.schema_with.is_some() => {
            if field
                .schema_with
                .as_ref()
                .and_then(SchemaWith::as_type)
                .is_some_and(|with| crate::ty::option_inner(with).is_some())
            {
                quote!(nullable_option)
            } else {
                quote!(nullable)
            }
        }
        // A nullable plain value behind an alias: the alias names an `Option`, whose own
        // schema is the value's or null.
        Presence::Nullable if kind.option_alias && matches!(kind.shape, Shape::Plain) => {
            quote!(nullable_option)
        }
        // A `HashMap`/`BTreeMap` whose key type is known here: its keys are read as serde
        // reads that type from a string, which the map's own schema does not say.
        Presence::Required | Presence::Nullable if map_key(field, kind).is_some() => {
            quote!(map(#nullable))
        }
        // A nested patch, whose values hold the changed attributes alone.
        Presence::Required | Presence::Nullable if matches!(kind.shape, Shape::Nested) => {
            quote!(nested(#nullable))
        }
        Presence::Flattened if declared => quote!(flatten_declared),
        // A flattened `HashMap`/`BTreeMap` whose key type is known here: serde hands it the
        // other keys as strings, which not every key type reads.
        Presence::Flattened if map_key(field, kind).is_some() => quote!(flatten_map),
        Presence::Required => quote!(required),
        Presence::Nullable => quote!(nullable),
        Presence::Flattened => quote!(flatten),
    }
}

/// The key type of a map field (a `HashMap`, `BTreeMap` or `IndexMap` recognised by name) that mentions no
/// generic parameter: the schema's `patch value | key` then states the keys.
fn map_key<'k>(field: &Field<'_>, kind: &'k Kind) -> Option<&'k syn::Type> {
    match kind.shape {
        Shape::Map {
            explicit: false, ..
        } if !field.generic => crate::ty::map_key(&kind.value),
        _ => None,
    }
}

/// The type whose schema a field's values have: the patch value, spanned at the field, so that
/// a type without a schema is an error at the field. A type reached through the runtime's traits
/// (a nested patch, a value behind an `Option` alias) is spanned at the derive instead: when the
/// trait does not hold, the other pieces have reported it there already, and the compiler says
/// it once. A plain value behind an alias is the alias itself, an `Option`.
fn schema_type(field: &Field<'_>, kind: &Kind) -> TokenStream {
    // (The user's serde functions make a field plain: no map. A flattened map's keys are
    // the parent's other keys: `flatten_map` takes the map's own schema and its key type.)
    // The schema that the model's own `JsonSchema` derive gives the field's values.
    match &field.schema_with {
        Some(SchemaWith::Type(with)) => return with.to_token_stream(),
        Some(SchemaWith::Function(_)) => return quote!(__SparsePatchSchemaWith<Self>),
        None => {}
    }
    if let Some(key) = map_key(field, kind) {
        let value = kind.patch_value.to_token_stream();
        return quote!(#value | #key);
    }
    match kind.shape {
        Shape::Plain if kind.option_alias => field.ty.to_token_stream(),
        Shape::Nested => respan(kind.patch_value.to_token_stream()),
        _ if kind.option_alias => respan(kind.patch_value.to_token_stream()),
        _ => kind.patch_value.to_token_stream(),
    }
}

/// `@schema_with(function [impl_generics] [where_clause])` for a field whose schema
/// `#[schemars(schema_with = "function")]` gives, with the patch's generics and bounds: the
/// runtime's `patch_schema!` declares, in the field's block, the type
/// `__SparsePatchSchemaWith<Patch>` whose schema that function returns (as schemars' derive
/// declares one over the model, so that the function may name its parameters), which
/// [`schema_type`] names as `__SparsePatchSchemaWith<Self>`.
fn schema_function(
    field: &Field<'_>,
    impl_generics: &syn::ImplGenerics<'_>,
    where_clause: Option<&TokenStream>,
) -> Option<TokenStream> {
    match &field.schema_with {
        Some(SchemaWith::Function(function)) => {
            Some(quote!(@schema_with(#function [#impl_generics] [#where_clause])))
        }
        _ => None,
    }
}

/// `@keywords(|schema| { ... })` for a field with validation items (`#[schemars(length(...))]`,
/// `#[validate(email)]`, ...) or schemars' `example`, `extend` or `transform`: a closure that
/// writes them into the schema of the field's values,
/// as schemars' derive writes them into the model's. Nothing for a field without any, so that
/// the invocation of a model without them is what it was.
fn validation_keywords(cx: &Context<'_, '_>, field: &Field<'_>) -> Option<TokenStream> {
    let validation = &field.attrs.schema_validation;
    let additions = &field.attrs.schema_additions;
    if validation.is_empty() && additions.is_empty() {
        return None;
    }
    let private = cx.private.to_token_stream();
    let schema = proc_macro2::Ident::new("__sparse_patch_schema", Span::call_site());
    // schemars' derive's order: its common items (`example`, `extend`, `transform`), then
    // the validation items.
    let mut statements = additions.statements(&private, &schema);
    statements.extend(validation.statements(&private, &schema));
    Some(quote!(@keywords(|#schema: &mut #private::schemars::Schema| { #statements })))
}

/// `tokens` spanned at the derive.
fn respan(tokens: TokenStream) -> TokenStream {
    tokens
        .into_iter()
        .map(|mut tree| {
            if let TokenTree::Group(group) = &tree {
                let mut inner = Group::new(group.delimiter(), respan(group.stream()));
                inner.set_span(Span::call_site());
                tree = TokenTree::Group(inner);
            } else {
                tree.set_span(Span::call_site());
            }
            tree
        })
        .collect()
}
