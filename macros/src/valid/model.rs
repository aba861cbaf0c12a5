//! The rules on the model as a whole: its name, its parameters, its derives, and the keys
//! its fields are written under.

use syn::ext::IdentExt;

use crate::ast::{Field, Input, Shape};
use crate::errors::Errors;
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

/// serde's `transparent`, `from`, `try_from`, `into`, `remote` and `tag` change a struct's
/// JSON in ways that a patch cannot follow. Checked here, on a struct with named fields alone:
/// on an enum (`tag` and `content` are its usual items) or a newtype (`transparent`), the
/// shape is the mistake, and a second error spoke of "a tagged struct" and of fields that
/// such an item does not have.
pub(super) fn serde_items_carry_over(input: &Input<'_>, errors: &mut Errors) {
    for item in &input.attrs.serde_refused {
        errors.at(
            item.span,
            format!(
                "`#[serde({})]` cannot carry over to the patch: {}",
                item.key, item.why
            ),
        );
    }
}

/// The patch is a second struct in the model's module: the same name would clash.
pub(super) fn patch_name_differs(input: &Input<'_>, errors: &mut Errors) {
    if let Some((name, span)) = &input.attrs.name
        && name.unraw() == input.ident.unraw()
    {
        errors.at(*span, "the patch needs a name other than the model's");
    }
}

/// The patch's `Deserialize<'de>` impl adds a lifetime `'de` to the model's parameters, as
/// serde's derive does (and refuses the same name).
pub(super) fn no_lifetime_named_de(input: &Input<'_>, errors: &mut Errors) {
    for param in input.generics.lifetimes() {
        if param.lifetime.ident.unraw() == "de" {
            errors.at(
                param.lifetime.span(),
                "a lifetime called `'de` would clash with the `'de` of the patch's `Deserialize<'de>` impl; rename it",
            );
        }
    }
}

/// Every generated function borrows the model's fields (`apply` takes `&mut self.email`,
/// `diff` compares `&self.email`), and a field of a `#[repr(packed)]` struct cannot be borrowed
/// where its alignment exceeds the packing: rustc's E0793 ("reference to field of packed struct
/// is unaligned") at the `#[derive]`, which named neither the field nor the way out. The derive
/// cannot see alignments, so it refuses `packed` itself, as a JSON model gains nothing from it.
pub(super) fn not_packed(input: &Input<'_>, errors: &mut Errors) {
    if let Some(span) = input.attrs.packed {
        errors.at(
            span,
            "`Patchable` cannot derive for a `#[repr(packed)]` struct: applying and comparing patches borrows each field, and a field of a packed struct cannot be borrowed (E0793); remove `packed` (`#[repr(C)]` alone keeps the field order), or patch an unpacked copy of the struct and convert",
        );
    }
}

/// A higher-ranked lifetime called `'de` in the model's bounds (`T: for<'de> Deserialize<'de>`,
/// as serde users write `DeserializeOwned` out) shadows the `'de` of the patch's
/// `Deserialize<'de>` impl, which carries the model's bounds: rustc's E0496 beside a cascade of
/// E0277 at the `#[derive]`. serde's derive refuses it the same way.
pub(super) fn no_higher_ranked_lifetime_named_de(input: &Input<'_>, errors: &mut Errors) {
    // In the order written: the parameters' bounds, then each predicate's binder and bounds.
    fn of_bounds<'b>(
        bounds: impl IntoIterator<Item = &'b syn::TypeParamBound>,
    ) -> impl Iterator<Item = &'b syn::BoundLifetimes> {
        bounds.into_iter().filter_map(|bound| match bound {
            syn::TypeParamBound::Trait(bound) => bound.lifetimes.as_ref(),
            _ => None,
        })
    }
    let mut binders: Vec<&syn::BoundLifetimes> = Vec::new();
    for param in input.generics.type_params() {
        binders.extend(of_bounds(&param.bounds));
    }
    for predicate in input
        .generics
        .where_clause
        .iter()
        .flat_map(|clause| &clause.predicates)
    {
        if let syn::WherePredicate::Type(predicate) = predicate {
            binders.extend(&predicate.lifetimes);
            binders.extend(of_bounds(&predicate.bounds));
        }
    }
    for binder in binders {
        for param in &binder.lifetimes {
            if let syn::GenericParam::Lifetime(param) = param
                && param.lifetime.ident.unraw() == "de"
            {
                errors.at(
                    param.lifetime.span(),
                    "a higher-ranked lifetime called `'de` would clash with the `'de` of the patch's `Deserialize<'de>` impl (serde's derive refuses it too); write `serde::de::DeserializeOwned`, or rename it: `for<'a> Deserialize<'a>`",
                );
            }
        }
    }
}

/// The generated methods and bounds declare parameters of their own inside the impls, which
/// carry the model's: the serializer `__S`, the deserializer `__D`, the map reader `__A`, and
/// the lifetime `'__sparse_patch` of higher-ranked bounds. A model parameter of one of those
/// names was rustc's E0403 or E0496 at the `#[derive]`.
pub(super) fn no_parameter_named_like_generated_ones(input: &Input<'_>, errors: &mut Errors) {
    const TYPES: &[(&str, &str)] = &[
        ("__S", "the serializer of the patch's `Serialize` impl"),
        ("__D", "the deserializer of the patch's serde helpers"),
        ("__A", "the map reader of the patch's `Deserialize` impl"),
    ];
    for param in input.generics.type_params() {
        let name = param.ident.unraw().to_string();
        if let Some((_, what)) = TYPES.iter().find(|(generated, _)| *generated == name) {
            errors.at(
                param.ident.span(),
                format!("a type parameter called `{name}` would clash with {what}, which has that name; rename it"),
            );
        }
    }
    for param in input.generics.lifetimes() {
        if param.lifetime.ident.unraw() == "__sparse_patch" {
            errors.at(
                param.lifetime.span(),
                "a lifetime called `'__sparse_patch` would clash with the one of the patch's higher-ranked bounds; rename it",
            );
        }
    }
}

/// The patch implements these itself (with bounds that fit a patch); a second derive of one
/// would be a conflicting impl.
pub(super) fn derives_not_built_in(input: &Input<'_>, errors: &mut Errors) {
    for derive in &input.attrs.derives {
        let name = derive
            .segments
            .last()
            .map(|segment| segment.ident.to_string())
            .unwrap_or_default();
        if BUILT_IN.contains(&name.as_str()) {
            errors.spanned_by(
                derive,
                format!(
                    "the patch always implements `{name}`; `derive(...)` is for other traits, such as `Eq` or `Hash`"
                ),
            );
        }
    }
}

/// A patch with a flattened map reads the keys of the skipped fields and drops them, so that
/// read-only attributes in a server's answer are not collected by the map and sent back. A
/// skipped flattened struct's keys are its fields', which the derive cannot see: the map would
/// collect them where the model's own reading gives them to the struct.
pub(super) fn skipped_flatten_beside_map(input: &Input<'_>, errors: &mut Errors) {
    let Some(map) = input.fields.iter().find(|field| {
        field.kind.as_ref().is_some_and(|kind| {
            kind.flattened() && matches!(kind.shape, Shape::Map { .. } | Shape::Json)
        })
    }) else {
        return;
    };
    // A type parameter may be a struct whatever its name (`Value` included).
    for field in &input.fields {
        // A skipped flattened map takes no key from the others (serde hands every unknown key
        // to each flattened map), so the patch's map collects what the model's does.
        let json = ty::is_json(&field.ty) && !ty::is_parameter(&field.ty, &input.type_params);
        let struct_like = !json && ty::map_key(&field.ty).is_none();
        if field.kind.is_none()
            && !field.attrs.model_skips_key
            && struct_like
            && let Some(flatten) = field.attrs.flatten
        {
            errors.at(
                field.attrs.skip.unwrap_or(flatten),
                format!(
                    "a skipped flattened field beside the flattened map `{}`: the derive cannot see this field's keys, so the patch's map would collect them from a server's answer and send them back; skip its attributes as fields of this struct instead",
                    map.unraw()
                ),
            );
        }
    }
}

/// A flattened map takes every key that no field holds: no key is unknown to the model, and
/// a patch that refused unknown keys (`#[patchable(deny_unknown_fields)]`) would refuse the
/// map's own entries, even those it writes itself.
pub(super) fn patch_denial_without_flattened_map(input: &Input<'_>, errors: &mut Errors) {
    let Some(span) = input.attrs.patch_denies else {
        return;
    };
    if let Some(map) = input.fields.iter().find(|field| {
        field.kind.as_ref().is_some_and(|kind| {
            kind.flattened() && matches!(kind.shape, Shape::Map { .. } | Shape::Json)
        })
    }) {
        errors.at(
            span,
            format!(
                "`deny_unknown_fields` beside the flattened map `{}`: the map takes every key that no field holds, so no key is unknown, and the patch would refuse the map's own entries; remove `deny_unknown_fields`, or the flattened map",
                map.unraw()
            ),
        );
    }
}

/// serde hands every key of the object to a flattened map without taking it, so that a field
/// flattened after the map sees the same keys (serde-rs/serde#1299): a flattened struct
/// declared after a flattened map has its keys read into the map too. The model then holds
/// `g` in both, and writes it twice (`{"g":3,"g":3}`); the patch mirrors the model's reading,
/// so a patch that sets the struct's `g` reads back setting the map's `g` as well, and `diff`
/// sends a change that applies as another. Declared before the map, the struct takes its
/// keys, and the map reads the others.
pub(super) fn flattened_map_after_flattened_structs(input: &Input<'_>, errors: &mut Errors) {
    let mut map = None;
    for (field, kind) in input.patched() {
        if !kind.flattened() {
            continue;
        }
        match kind.shape {
            Shape::Map { .. } | Shape::Json => {
                map.get_or_insert(field);
            }
            Shape::Nested => {
                if let (Some(map), Some(flatten)) = (map, field.attrs.flatten) {
                    errors.at(
                        flatten,
                        format!(
                            "a flattened struct declared after the flattened map `{}`: serde hands every key to a flattened map without taking it, so the map would also read this struct's keys (serde-rs/serde#1299), and the model would hold and write them twice; declare the map after this field",
                            map.unraw()
                        ),
                    );
                }
            }
            Shape::Plain => {}
        }
    }
}

/// A JSON object has one member per key: two patched fields written under one key
/// (`rename = "a"` on both, or on one beside a field named `a`) made a patch that wrote the key
/// twice (`{"a":1,"a":2}`), which a reader (the patch's own, serde's, a server's) takes as one
/// member, so that `diff` sent a change that reads back as another. serde's derive only warns
/// (an unreachable pattern). An alias equal to another field's key is left to serde's rule
/// (the first field in declaration order reads it, as in the model). A flattened field has no
/// key of its own, and a field that the model never writes (`skip_serializing`) may share its
/// key with one that it never reads. A `#[cfg]` field is no exception: `#[derive]` sees its
/// input configured, the fields whose conditions are false already taken out, so two fields
/// that it sees are compiled together (two under `#[cfg(unix)]` wrote `{"a":1,"a":2}`).
pub(super) fn written_keys_unique(input: &Input<'_>, errors: &mut Errors) {
    let mut written: Vec<(&str, &Field<'_>)> = Vec::new();
    for (field, kind) in input.patched() {
        if kind.flattened() || field.attrs.skip_serializing {
            continue;
        }
        let key = field.ser_name.as_str();
        if let Some((_, other)) = written.iter().find(|(written, _)| *written == key) {
            errors.at(
                field.ident.span(),
                format!(
                    "the patch writes the key `{key}` for this field and for `{}`: a JSON object has one member per key, so a patch with both would send `{key}` twice and be read as one of them; give one field another key with `#[serde(rename = \"...\")]`",
                    other.unraw()
                ),
            );
        } else {
            written.push((key, field));
        }
    }
}
