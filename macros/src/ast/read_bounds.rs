//! The bounds under which each field is read: plain, implied by the model's own bounds, or
//! higher-ranked over lifetimes where plain bounds of two fields would be ambiguous to rustc.

use std::collections::BTreeSet;

use syn::{Generics, Ident};

use super::{Field, ReadBound, Shape};
use crate::ty;

/// Fields whose types name lifetimes and differ from another such field's in lifetimes only
/// (`&'a str`, `&'b str`; `Name<'a>`, `Name<'b>`; `(&'a str, T)`, `(&'b str, T)`) lose their
/// plain bounds, which rustc finds ambiguous: their bounds become higher-ranked over their
/// lifetimes (a type parameter stays as it is), and reading them needs `'de` to outlive those
/// lifetimes and each type parameter they name to be readable, as serde's derive bounds
/// parameters, instead of a bound on the value.
pub(super) fn read_bounds(
    fields: &mut [Field<'_>],
    params: &BTreeSet<String>,
    type_params: &BTreeSet<String>,
) {
    let lifetimes: BTreeSet<String> = params
        .iter()
        .filter(|param| param.starts_with('\''))
        .cloned()
        .collect();
    let erased_name = Ident::new("__erased", proc_macro2::Span::call_site());
    // `'static` too: a plain bound on `&'a str` is as ambiguous beside `&'static str` (whose
    // own bounds are concrete) as beside `&'b str`.
    let mut erasable = lifetimes.clone();
    erasable.insert("'static".to_owned());
    // The type that the field's bounds are on: its value, or the type of a skipped field; for
    // the fields whose bounds can be plain on lifetimes and for those that name no parameter.
    // A nested model's patch is a projection (`<Tag<'a, T> as Patchable>::Patch`) that a
    // higher-ranked bound would keep rustc from normalizing: such fields keep plain bounds.
    // `'static` counts as a lifetime here too: `(&'static str, T)` beside `(&'a str, T)` is as
    // ambiguous as beside `(&'b str, T)`.
    let names_lifetimes = |field: &Field<'_>| {
        field.lifetimes_only || (field.generic && !field.names.is_disjoint(&erasable))
    };
    let keys: Vec<Option<String>> = fields
        .iter()
        .map(|field| {
            (names_lifetimes(field) || !field.generic).then(|| {
                let bounded = field.kind.as_ref().map_or(&field.ty, |kind| &kind.value);
                ty::replace_lifetimes(bounded, &erasable, &erased_name).to_string()
            })
        })
        .collect();
    let erased_keys: BTreeSet<&String> = keys
        .iter()
        .enumerate()
        .filter_map(|(index, key)| {
            let key = key.as_ref()?;
            let shared = keys
                .iter()
                .enumerate()
                .any(|(other, other_key)| other != index && other_key.as_ref() == Some(key));
            (names_lifetimes(&fields[index]) && shared).then_some(key)
        })
        .collect();
    for (index, field) in fields.iter_mut().enumerate() {
        let Some(key) = &keys[index] else { continue };
        if !erased_keys.contains(key) {
            continue;
        }
        if !field.generic {
            // A concrete type (`&'static str`): its bounds, already higher-ranked, become the
            // erased fields' own, stated once.
            field.lifetimes_erased = true;
            continue;
        }
        // A type that also names a type parameter stays generic: its bounds keep the
        // parameter, higher-ranked over the lifetimes alone.
        let projection = field
            .kind
            .as_ref()
            .is_some_and(|kind| matches!(kind.shape, Shape::Nested));
        field.generic = !field.lifetimes_only && !projection;
        field.lifetimes_erased = true;
        field.read_bound = match &field.kind {
            Some(kind) => ReadBound::Outlives {
                lifetimes: ty::lifetimes_read_from_de(&kind.patch_value, &lifetimes),
                types: ty::names_in(&kind.patch_value)
                    .intersection(type_params)
                    .cloned()
                    .collect(),
            },
            None => ReadBound::None,
        };
    }
    // A value that borrows a `&'static str` or `&'static [u8]` (serde reads them only from a
    // `'static` input) needs `'de: 'static`, as serde's derive states; a plain bound already
    // says it. Only a reference borrows: a `Name<'static>` may read owned.
    for field in fields.iter_mut() {
        let Some(kind) = &field.kind else { continue };
        // The patch value names no lifetime that the field's type does not. A field that
        // serde does not read (`skip_deserializing`) borrows nothing, in serde's derive too.
        if !field.names.contains("'static")
            || !ty::borrows_static(&kind.patch_value)
            || field.attrs.model_skips_key
        {
            continue;
        }
        match &mut field.read_bound {
            ReadBound::Plain | ReadBound::Implied => {}
            ReadBound::Outlives { lifetimes, .. } => {
                lifetimes.insert("'static".to_owned());
            }
            none @ ReadBound::None => {
                *none = ReadBound::Outlives {
                    lifetimes: BTreeSet::from(["'static".to_owned()]),
                    types: BTreeSet::new(),
                };
            }
        }
    }
}

/// Values that the model's own bounds make readable from any input (`T: DeserializeOwned`,
/// `where T::Item: for<'x> Deserialize<'x>`) take no bound of the derive's: rustc cannot choose
/// between that bound and a `Deserialize<'de>` beside it (E0283, "multiple `impl`s or `where`
/// clauses satisfying ..."), and the model's bounds, copied to every impl, already say it.
pub(super) fn readable_by_own_bounds(fields: &mut [Field<'_>], generics: &Generics) {
    let owned: BTreeSet<String> = owned_readable_types(generics);
    if owned.is_empty() {
        return;
    }
    for field in fields.iter_mut() {
        let Some(kind) = &field.kind else { continue };
        let value = ty::bound_key(&kind.patch_value);
        if field.read_bound == ReadBound::Plain && owned.contains(&value) {
            field.read_bound = ReadBound::Implied;
        }
    }
}

/// The types (as token text) that the model's parameters and where-clause bound by serde's
/// `DeserializeOwned`, or by a higher-ranked `Deserialize` (`for<'x> Deserialize<'x>`), read
/// by name as the derive reads every type.
fn owned_readable_types(generics: &Generics) -> BTreeSet<String> {
    let higher_ranked =
        |bounds: &syn::punctuated::Punctuated<syn::TypeParamBound, syn::Token![+]>,
         predicate_for: bool| {
            bounds.iter().any(|bound| {
                let syn::TypeParamBound::Trait(bound) = bound else {
                    return false;
                };
                let Some(last) = bound.path.segments.last() else {
                    return false;
                };
                last.ident == "DeserializeOwned"
                    || (last.ident == "Deserialize" && (predicate_for || bound.lifetimes.is_some()))
            })
        };
    let params = generics
        .type_params()
        .filter(|param| higher_ranked(&param.bounds, false))
        .map(|param| param.ident.to_string());
    let predicates = generics
        .where_clause
        .iter()
        .flat_map(|clause| clause.predicates.iter())
        .filter_map(|predicate| match predicate {
            syn::WherePredicate::Type(predicate)
                if higher_ranked(&predicate.bounds, predicate.lifetimes.is_some()) =>
            {
                Some(ty::bound_key(&predicate.bounded_ty))
            }
            _ => None,
        });
    params.chain(predicates).collect()
}
