//! The derive input turned into a typed model that records every decision the expansion needs,
//! spans kept: how each field is patched (its presence and shape), its JSON keys, its bounds,
//! and which serde code the patch gets. `expand` only emits what this model says.

use std::collections::BTreeSet;

use quote::{ToTokens, format_ident};
use syn::ext::IdentExt;
use syn::spanned::Spanned;
use syn::{Data, DeriveInput, Fields, GenericParam, Generics, Ident, Path, Type, Visibility};

use crate::attr::{self, ContainerAttrs, FieldAttrs};
use crate::errors::Errors;
use crate::ty;

/// A model struct with named fields.
pub struct Input<'a> {
    pub ident: &'a Ident,
    pub vis: &'a Visibility,
    pub generics: &'a Generics,
    pub attrs: ContainerAttrs,
    pub fields: Vec<Field<'a>>,
    /// The patch's name: `name = "..."` or the model's name followed by `Patch`.
    pub patch: Ident,
    /// The runtime crate: `crate = "..."` or `::sparse_patch`.
    pub krate: Path,
    /// Some generic parameter is used by no patched field, so a marker field must use it.
    pub needs_marker: bool,
    /// The patch reads the keys of the skipped fields and drops them, so that a flattened map
    /// does not collect them (and send them back).
    pub drops_skipped_keys: bool,
    /// Which code serializes and deserializes the patch.
    pub serde: SerdeCode,
}

/// Which code serializes and deserializes the patch.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum SerdeCode {
    /// The derive's own: one runtime call per field to write, and the runtime's shared map
    /// visitor with one `read_field` arm per field to read. No `#[serde]` attribute is emitted.
    Own,
    /// serde's `Serialize` derive, which writes flattened maps and map patches, and the
    /// derive's own deserializer, which reads a flattened map entry by entry instead of
    /// buffering the whole object as serde's `flatten` does.
    OwnDeserialize,
    /// serde's derives on the patch, with the model's serde attributes carried over.
    Derived,
}

/// One named field of the model.
pub struct Field<'a> {
    pub ident: &'a Ident,
    pub vis: &'a Visibility,
    /// The field's type, with `Self` replaced by the model's type, since in the patch `Self`
    /// would mean the patch.
    pub ty: Type,
    pub attrs: FieldAttrs,
    /// The key the field has in serialized JSON.
    pub ser_name: String,
    /// The key the field has in deserialized JSON.
    pub de_name: String,
    /// The field's type mentions a generic parameter of the model.
    pub generic: bool,
    /// How the field is patched; `None` for a skipped field.
    pub kind: Option<Kind>,
}

/// How a field is patched.
pub struct Kind {
    pub presence: Presence,
    pub shape: Shape,
    /// The model's value type: `T` for a model field `T` and for `Option<T>`.
    pub value: Type,
    /// The type of a value in the patch: `T`, `<T as Patchable>::Patch` or a map patch.
    pub patch_value: Type,
    /// The type of the patch field: `Option<patch_value>`, `Field<patch_value>`, or
    /// `patch_value` itself when flattened.
    pub patch_ty: Type,
    /// The value type is built from standard types only (`String`, numbers, `bool`, `Vec`,
    /// `Option`, ...), which implement `Clone`, `Debug` and `PartialEq`: the trait impls need no
    /// bound for it, which spares rustc a where-clause predicate per field.
    pub std_value: bool,
}

/// Whether the attribute may be null, and where its keys sit: the runtime's three families
/// of field functions (`*_required`, `*_nullable`, `*_flat`).
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Presence {
    /// A model field `T`: the patch holds absent or a value, never null.
    Required,
    /// A model field `Option<T>`: the patch holds absent, null or a value.
    Nullable,
    /// serde's `flatten`: the patch's keys sit in the parent object, with no absent state of
    /// their own.
    Flattened,
}

/// What a value in the patch is.
pub enum Shape {
    /// The value replaces the attribute whole.
    Plain,
    /// The model's patch of the attribute's type, applied to it.
    Nested,
    /// A map patch, merged key by key. `explicit` when `#[patchable(map)]` says so, rather than
    /// a `HashMap`/`BTreeMap` recognised by name (whose entry setters the patch then gets);
    /// `json_values` when the values are `serde_json::Value`, each entry then merged by
    /// RFC 7396 rather than replaced (custom attributes).
    Map { explicit: bool, json_values: bool },
    /// Untyped JSON (`serde_json::Value` or `Map`), merged by RFC 7396 through `MergeJson`.
    Json,
}

impl<'a> Input<'a> {
    /// Reads a derive input, or reports why it is not a struct with named fields.
    pub fn from_syn(input: &'a DeriveInput, errors: &mut Errors) -> Option<Self> {
        let attrs = attr::container(&input.attrs, errors);
        let named = named_fields(input, errors);
        let krate = attrs
            .krate
            .clone()
            .unwrap_or_else(|| syn::parse_quote!(::sparse_patch));
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
        let used: BTreeSet<String> = fields
            .iter()
            .filter(|field| field.kind.is_some())
            .flat_map(|field| ty::names_in(&field.ty))
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
        let mut input = Input {
            ident: &input.ident,
            vis: &input.vis,
            generics: &input.generics,
            attrs,
            fields,
            patch,
            krate,
            needs_marker,
            drops_skipped_keys,
            serde: SerdeCode::Derived,
        };
        input.serde = input.choose_serde();
        Some(input)
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

    /// The patch's serde code is the derive's own when serde's derive has nothing to add: no
    /// extra derive on the patch (which might read `#[serde]` attributes), no serde `bound` of
    /// the user's, nothing asked of serde beyond names (`rename`, `rename_all`, `alias`) and
    /// `deny_unknown_fields`, and no field compiled conditionally or written or read by a
    /// function of the user's. A patch with map fields, or with one flattened map (or
    /// `serde_json::Map`), is read by the derive and written by serde's derive; a generic one
    /// of those, or one with a flattened nested patch, is left to serde's derives.
    fn choose_serde(&self) -> SerdeCode {
        let container_ok = self.attrs.serde_kept.iter().all(|meta| {
            meta.path().is_ident("rename_all") || meta.path().is_ident("deny_unknown_fields")
        });
        let field_ok = |field: &Field<'_>| {
            let attrs = &field.attrs;
            field.cfgs().is_empty()
                && attrs.with.is_none()
                && attrs.serialize_with.is_none()
                && attrs.deserialize_with.is_none()
                && !attrs.serde_bound
                && attrs.serde_kept.iter().all(|meta| {
                    ["rename", "alias", "flatten"]
                        .iter()
                        .any(|name| meta.path().is_ident(name))
                })
                && attrs.aliases_well_formed()
        };
        let flattened: Vec<&Kind> = self
            .patched()
            .map(|(_, kind)| kind)
            .filter(|kind| kind.flattened())
            .collect();
        let flattened_ok = match flattened.as_slice() {
            [] => true,
            [kind] => matches!(
                kind.shape,
                Shape::Map {
                    explicit: false,
                    ..
                } | Shape::Json
            ),
            _ => false,
        };
        let readable = !self.attrs.serde_bound
            && self.attrs.derives.is_empty()
            && container_ok
            && flattened_ok
            && self.patched().all(|(field, _)| field_ok(field));
        let maps = self
            .patched()
            .any(|(_, kind)| matches!(kind.shape, Shape::Map { .. }));
        if !readable {
            SerdeCode::Derived
        } else if flattened.is_empty() && !maps && !self.drops_skipped_keys {
            SerdeCode::Own
        } else if self.generics.params.is_empty() {
            SerdeCode::OwnDeserialize
        } else {
            SerdeCode::Derived
        }
    }
}

/// The named fields of a struct, or an error saying what the input is instead.
fn named_fields<'a>(input: &'a DeriveInput, errors: &mut Errors) -> Option<&'a syn::FieldsNamed> {
    match &input.data {
        Data::Struct(data) => match &data.fields {
            Fields::Named(named) => Some(named),
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
                "`Patchable` needs a struct with named fields; enums are not supported, since a patch of one variant has no meaning for another",
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

impl<'a> Field<'a> {
    fn from_syn(
        field: &'a syn::Field,
        container: &ContainerAttrs,
        krate: &Path,
        (model_type, model_path): (&proc_macro2::TokenStream, &proc_macro2::TokenStream),
        params: &BTreeSet<String>,
        errors: &mut Errors,
    ) -> Option<Self> {
        let ident = field.ident.as_ref()?;
        let mut attrs = attr::field(&field.attrs, errors);
        let field_ty = ty::replace_self(&field.ty, model_type);
        for (path, _) in [
            &mut attrs.with,
            &mut attrs.serialize_with,
            &mut attrs.deserialize_with,
        ]
        .into_iter()
        .flatten()
        {
            *path = ty::replace_self_in_path(path, model_path);
        }
        let name = ident.unraw().to_string();
        let ser_name = attrs.rename.0.clone().unwrap_or_else(|| {
            container
                .rename_all
                .0
                .map_or_else(|| name.clone(), |rule| rule.apply_to_field(&name))
        });
        let de_name = attrs.rename.1.clone().unwrap_or_else(|| {
            container
                .rename_all
                .1
                .map_or_else(|| name.clone(), |rule| rule.apply_to_field(&name))
        });
        let generic = !params.is_empty() && !ty::names_in(&field_ty).is_disjoint(params);
        let kind = if attrs.skip.is_some() || ty::is_phantom_data(&field_ty) {
            None
        } else {
            Some(Kind::classify(&field_ty, &attrs, krate, generic))
        };
        Some(Field {
            ident,
            vis: &field.vis,
            ty: field_ty,
            attrs,
            ser_name,
            de_name,
            generic,
            kind,
        })
    }

    /// The `#[cfg]` attributes of the field, repeated on every piece of generated code that
    /// names it.
    pub fn cfgs(&self) -> Vec<&syn::Attribute> {
        self.attrs
            .carried
            .iter()
            .filter(|attr| attr.path().is_ident("cfg"))
            .collect()
    }

    /// The field's name without `r#`, for building other names.
    pub fn unraw(&self) -> Ident {
        self.ident.unraw()
    }

    /// A skipped field whose key the model reads, so that a patch with a flattened map must
    /// read and drop it. A key that the model does not read (`#[serde(skip)]`,
    /// `skip_deserializing`) lands in the model's flattened map, so the patch's map takes it
    /// too.
    fn drops_key(&self) -> bool {
        self.kind.is_none() && self.attrs.flatten.is_none() && !self.attrs.model_skips_key
    }
}

impl Kind {
    /// Decides how a field is patched, from its type and attributes. Conflicting attributes are
    /// reported by `valid`; here the first one wins.
    fn classify(field_ty: &Type, attrs: &FieldAttrs, krate: &Path, generic: bool) -> Kind {
        let span = field_ty.span();
        let (presence, value): (Presence, Type) = if attrs.flatten.is_some() {
            (Presence::Flattened, field_ty.clone())
        } else {
            match (attrs.required, attrs.nullable, ty::option_inner(field_ty)) {
                (Some(_), _, _) => (Presence::Required, field_ty.clone()),
                (None, _, Some(inner)) => (Presence::Nullable, inner.clone()),
                (None, Some(_), None) => (
                    Presence::Nullable,
                    syn::parse_quote_spanned!(span=> <#field_ty as #krate::private::Nullable>::Value),
                ),
                (None, None, None) => (Presence::Required, field_ty.clone()),
            }
        };
        let custom_serde = attrs.with.is_some()
            || attrs.serialize_with.is_some()
            || attrs.deserialize_with.is_some();
        let field_path: Path = syn::parse_quote!(#krate::Field);
        let detected_map = ty::map_patch_type(&value, &field_path.to_token_stream());
        let (shape, patch_value): (Shape, Type) = if attrs.nested.is_some() {
            (
                Shape::Nested,
                syn::parse_quote_spanned!(span=> <#value as #krate::Patchable>::Patch),
            )
        } else if attrs.map.is_some() {
            (
                Shape::Map {
                    explicit: true,
                    json_values: false,
                },
                syn::parse_quote_spanned!(span=> <#value as #krate::MergeMap>::Patch),
            )
        } else if attrs.replace.is_some() || custom_serde {
            (Shape::Plain, value.clone())
        } else if ty::is_json(&value) {
            (Shape::Json, value.clone())
        } else if let Some(patch) = detected_map {
            let json_values = ty::map_value(&value).is_some_and(ty::is_json);
            (
                Shape::Map {
                    explicit: false,
                    json_values,
                },
                patch,
            )
        } else {
            (Shape::Plain, value.clone())
        };
        let patch_ty: Type = match presence {
            Presence::Flattened => patch_value.clone(),
            Presence::Required => syn::parse_quote!(::core::option::Option<#patch_value>),
            Presence::Nullable => syn::parse_quote!(#krate::Field<#patch_value>),
        };
        let std_value = !generic && matches!(shape, Shape::Plain) && ty::is_std_value(&value);
        Kind {
            presence,
            shape,
            value,
            patch_value,
            patch_ty,
            std_value,
        }
    }

    /// The attribute may be null.
    pub fn nullable(&self) -> bool {
        self.presence == Presence::Nullable
    }

    /// The attribute's keys sit in the parent object.
    pub fn flattened(&self) -> bool {
        self.presence == Presence::Flattened
    }

    /// The entry setters' key and value types: for a map recognised by name only.
    pub fn map_entry(&self) -> Option<(&Type, &Type)> {
        match self.shape {
            Shape::Map {
                explicit: false, ..
            } => Some((ty::map_key(&self.value)?, ty::map_value(&self.value)?)),
            _ => None,
        }
    }
}
