//! The derive input turned into the form the rest of the macro works on, spans kept.

use quote::format_ident;
use syn::ext::IdentExt;
use syn::spanned::Spanned;
use syn::{Data, DeriveInput, Fields, Generics, Ident, Path, Type, Visibility};

use crate::attr::{self, ContainerAttrs, Errors, FieldAttrs};
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
    /// How the field is patched; `None` for a skipped field.
    pub kind: Option<Kind>,
}

/// How a field is patched.
pub struct Kind {
    pub presence: Presence,
    pub shape: Shape,
    /// serde's `flatten`: the patch is flattened into its parent, with no absent state of its own.
    pub flatten: bool,
}

/// Whether the attribute may be null.
pub enum Presence {
    /// A model field `T`: the patch holds absent or a value, never null.
    Required,
    /// A model field `Option<T>`: the patch holds absent, null or a value. `value` is the `T`.
    Nullable { value: Box<Type> },
}

/// What a value in the patch is.
pub enum Shape {
    /// The value replaces the attribute whole.
    Plain,
    /// The model's patch of the attribute's type, applied to it.
    Nested,
    /// A map patch, merged key by key; `patch` is its type.
    Map { patch: Box<Type> },
    /// Untyped JSON (`serde_json::Value` or `Map`), merged by RFC 7396 through `MergeJson`.
    Json,
}

impl<'a> Input<'a> {
    /// Reads a derive input, or reports why it is not a struct with named fields.
    pub fn from_syn(input: &'a DeriveInput, errors: &mut Errors) -> Option<Self> {
        let attrs = attr::container(&input.attrs, errors);
        let named = match &input.data {
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
        };
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
        let fields = named?
            .named
            .iter()
            .filter_map(|field| {
                Field::from_syn(field, &attrs, &krate, (&model_type, &model_path), errors)
            })
            .collect();
        Some(Input {
            ident: &input.ident,
            vis: &input.vis,
            generics: &input.generics,
            attrs,
            fields,
            patch,
            krate,
        })
    }

    /// The fields that the patch holds.
    pub fn patched(&self) -> impl Iterator<Item = (&Field<'a>, &Kind)> {
        self.fields
            .iter()
            .filter_map(|field| field.kind.as_ref().map(|kind| (field, kind)))
    }
}

impl<'a> Field<'a> {
    fn from_syn(
        field: &'a syn::Field,
        container: &ContainerAttrs,
        krate: &Path,
        (model_type, model_path): (&proc_macro2::TokenStream, &proc_macro2::TokenStream),
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
        let kind = if attrs.skip.is_some() || ty::is_phantom_data(&field_ty) {
            None
        } else {
            Some(Kind::classify(&field_ty, &attrs, krate))
        };
        Some(Field {
            ident,
            vis: &field.vis,
            ty: field_ty,
            attrs,
            ser_name,
            de_name,
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
}

impl Kind {
    /// Decides how a field is patched, from its type and attributes. Conflicting attributes are
    /// reported by `valid`; here the first one wins.
    fn classify(field_ty: &Type, attrs: &FieldAttrs, krate: &Path) -> Kind {
        let span = field_ty.span();
        let presence = match (attrs.required, attrs.nullable, ty::option_inner(field_ty)) {
            (Some(_), _, _) => Presence::Required,
            (None, _, Some(inner)) => Presence::Nullable {
                value: Box::new(inner.clone()),
            },
            (None, Some(_), None) => Presence::Nullable {
                value: Box::new(
                    syn::parse_quote_spanned!(span=> <#field_ty as #krate::__private::Nullable>::Value),
                ),
            },
            (None, None, None) => Presence::Required,
        };
        let value = match &presence {
            Presence::Required => field_ty,
            Presence::Nullable { value } => value,
        };
        let field_path: Path = syn::parse_quote!(#krate::Field);
        let custom_serde = attrs.with.is_some()
            || attrs.serialize_with.is_some()
            || attrs.deserialize_with.is_some();
        let shape = if attrs.nested.is_some() {
            Shape::Nested
        } else if attrs.map.is_some() {
            Shape::Map {
                patch: Box::new(
                    syn::parse_quote_spanned!(span=> <#value as #krate::MergeMap>::Patch),
                ),
            }
        } else if attrs.replace.is_some() || custom_serde {
            Shape::Plain
        } else if ty::is_json(value) {
            Shape::Json
        } else if let Some(patch) = ty::map_patch_type(value, &quote::quote!(#field_path)) {
            Shape::Map {
                patch: Box::new(patch),
            }
        } else {
            Shape::Plain
        };
        Kind {
            presence,
            shape,
            flatten: attrs.flatten.is_some(),
        }
    }

    /// The model's value type: `T` for both `T` and `Option<T>`.
    pub fn value<'t>(&'t self, field_ty: &'t Type) -> &'t Type {
        match &self.presence {
            Presence::Required => field_ty,
            Presence::Nullable { value } => value,
        }
    }
}
