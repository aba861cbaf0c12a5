//! Checks across attributes and fields, all reported together.

use std::collections::BTreeSet;

use quote::format_ident;
use syn::spanned::Spanned;

use crate::ast::{Input, Presence, Shape};
use crate::attr::Errors;
use crate::ty;

/// Traits that the patch always implements, so `derive(...)` must not ask for them again.
const BUILT_IN: &[&str] = &[
    "Debug",
    "Clone",
    "Default",
    "PartialEq",
    "Serialize",
    "Deserialize",
];

/// Methods of the patch that a setter must not take the name of.
const RESERVED: &[&str] = &["new", "is_empty"];

/// Reports every inconsistency in `input`.
pub fn check(input: &Input<'_>, errors: &mut Errors) {
    if let Some((name, span)) = &input.attrs.name
        && name == input.ident
    {
        errors.at(*span, "the patch needs a name other than the model's");
    }
    for derive in &input.attrs.derives {
        let name = derive
            .segments
            .last()
            .map(|segment| segment.ident.to_string())
            .unwrap_or_default();
        if BUILT_IN.contains(&name.as_str()) {
            errors.at(
                derive.span(),
                format!(
                    "the patch always implements `{name}`; `derive(...)` is for other traits, such as `Eq` or `Hash`"
                ),
            );
        }
    }

    let mut setters: BTreeSet<String> = RESERVED.iter().map(|name| (*name).to_owned()).collect();
    for field in &input.fields {
        let attrs = &field.attrs;
        if attrs.skip.is_some() {
            for (other, name) in [
                (attrs.nested, "nested"),
                (attrs.nullable, "nullable"),
                (attrs.required, "required"),
                (attrs.map, "map"),
                (attrs.replace, "replace"),
            ] {
                if let Some(span) = other {
                    errors.at(
                        span,
                        format!(
                            "`{name}` has no effect on a field that `skip` leaves out of the patch"
                        ),
                    );
                }
            }
            continue;
        }
        if let (Some(_), Some(nullable)) = (attrs.required, attrs.nullable) {
            errors.at(
                nullable,
                "a field is either `required` or `nullable`, not both",
            );
        }
        let shapes = [
            (attrs.nested, "nested"),
            (attrs.map, "map"),
            (attrs.replace, "replace"),
        ];
        let given: Vec<_> = shapes.iter().filter(|(span, _)| span.is_some()).collect();
        if let [(_, first), rest @ ..] = given.as_slice() {
            for (span, name) in rest {
                errors.at(
                    span.unwrap_or_else(|| field.ident.span()),
                    format!(
                        "a field is patched one way: `{first}` and `{name}` cannot go together"
                    ),
                );
            }
        }
        let Some(kind) = &field.kind else { continue };
        let value = kind.value(&field.ty);
        if let (Presence::Nullable { value: inner }, None) = (&kind.presence, attrs.required)
            && ty::option_inner(inner).is_some()
        {
            errors.at(
                field.ty.span(),
                "`Option<Option<T>>` cannot be patched: JSON has a single `null`, so a patch cannot tell \"clear\" from \"set to None\"; use `Option<T>`",
            );
        }
        if let Shape::Map { .. } = &kind.shape
            && attrs.map.is_none()
            && ty::map_value(value).is_some_and(|v| ty::option_inner(v).is_some())
        {
            errors.at(
                value.span(),
                "a map whose values can be null cannot be patched key by key: in a JSON merge patch a `null` entry removes the key (RFC 7396 §2); make the values non-optional, or leave the field out of the patch with `#[patchable(skip)]`",
            );
        }
        if attrs.nested.is_some()
            && let Some(shape) = ty::non_struct_shape(value)
        {
            errors.at(
                value.span(),
                format!(
                    "`nested` needs a struct that derives `Patchable` (or an `Option` of one), but this is {shape}"
                ),
            );
        }
        if kind.flatten {
            if matches!(kind.shape, Shape::Plain) {
                errors.at(
                    attrs.flatten.unwrap_or_else(|| field.ident.span()),
                    "a flattened field must be `#[patchable(nested)]` (a struct that derives `Patchable`), a map or `serde_json::Map`, so that its patch can be flattened too",
                );
            }
            if matches!(kind.presence, Presence::Nullable { .. }) {
                errors.at(
                    field.ty.span(),
                    "a flattened field cannot be an `Option`: its attributes sit in the parent object, so they cannot be null together",
                );
            }
        }
        let custom = [
            (&attrs.with, "with"),
            (&attrs.serialize_with, "serialize_with"),
            (&attrs.deserialize_with, "deserialize_with"),
        ];
        for (slot, name) in custom {
            let Some((_, span)) = slot else { continue };
            if !matches!(kind.shape, Shape::Plain) {
                errors.at(
                    *span,
                    format!(
                        "`#[serde({name})]` cannot serve a nested or map patch, whose type differs from the model's; remove `nested` or `map` to patch the field whole"
                    ),
                );
            } else if name != "deserialize_with"
                && matches!(kind.presence, Presence::Nullable { .. })
            {
                errors.at(
                    *span,
                    format!(
                        "`#[serde({name})]` on an `Option` field cannot serve the patch: its function takes `&Option<T>`, but the patch holds a `&T`; put the function on the inner type (a newtype), or mark the field `#[patchable(skip)]`"
                    ),
                );
            }
        }

        let mut names = vec![field.unraw().to_string()];
        if matches!(kind.presence, Presence::Nullable { .. }) {
            names.push(format_ident!("clear_{}", field.unraw()).to_string());
        }
        if matches!(kind.shape, Shape::Map { .. }) && attrs.map.is_none() {
            names.push(format_ident!("{}_entry", field.unraw()).to_string());
            names.push(format_ident!("clear_{}_entry", field.unraw()).to_string());
        }
        for name in names {
            if !setters.insert(name.clone()) {
                let message = if RESERVED.contains(&name.as_str()) {
                    format!(
                        "the patch's setter for this field would be called `{name}`, which the patch already has as a method; rename the field and keep its JSON name with `#[serde(rename = \"...\")]`"
                    )
                } else {
                    format!(
                        "the patch's setter `{name}` would be generated twice: once for this field and once for another; rename one field and keep its JSON name with `#[serde(rename = \"...\")]`"
                    )
                };
                errors.at(field.ident.span(), message);
            }
        }
    }
}
