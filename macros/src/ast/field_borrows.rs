//! What reading a field of the patch borrows from its input: the lifetimes that serde's derive
//! borrows (its `borrow`, and the `&str` and `&[u8]` it borrows unasked), and whether the field
//! reads `'static` input alone.

use std::collections::BTreeSet;

use super::{Field, ReadBound};
use crate::ty;

impl Field<'_> {
    /// The field's `#[serde(borrow)]` (carried to the patch) borrows `'static`: `borrow` alone
    /// on a type that names `'static` (`Name<'static>`), or `borrow = "..."` listing it. serde's
    /// derive then reads the patch from `'static` input only, as it reads the model, and its
    /// impl has no `'de`.
    pub fn serde_borrows_static(&self) -> bool {
        let Some(kind) = &self.kind else {
            return false;
        };
        self.attrs.serde_kept.iter().any(|meta| match &meta.meta {
            syn::Meta::Path(path) => {
                path.is_ident("borrow") && ty::names_in(&kind.patch_value).contains("'static")
            }
            syn::Meta::NameValue(pair) => {
                pair.path.is_ident("borrow")
                    && matches!(
                        &pair.value,
                        syn::Expr::Lit(syn::ExprLit { lit: syn::Lit::Str(lifetimes), .. })
                            if lifetimes.value().split('+').any(|lifetime| lifetime.trim() == "'static")
                    )
            }
            syn::Meta::List(_) => false,
        })
    }

    /// The field's patch value is read from `'static` input only: its reading needs
    /// `'de: 'static` (`&'static str`), or serde's `borrow` names `'static`.
    pub fn reads_static(&self) -> bool {
        self.read_bound_is_static() || self.serde_borrows_static()
    }

    /// The value's reading needs `'de: 'static` (`&'static str`), as `ast` decided.
    fn read_bound_is_static(&self) -> bool {
        matches!(
            &self.read_bound,
            ReadBound::Outlives { lifetimes, .. } if lifetimes.contains("'static")
        )
    }

    /// The field's patch value holds a `&'static` reference (`&'static str`), which serde
    /// borrows without a `borrow` of the user's: serde's derive on the patch must be told
    /// (`borrow = "'static"`), as the reference is inside the patch's `Field` or `Option`.
    pub fn reads_static_implicitly(&self) -> bool {
        let borrow_written =
            self.attrs.serde_kept.iter().any(|meta| {
                !matches!(meta.meta, syn::Meta::List(_)) && meta.path().is_ident("borrow")
            });
        !borrow_written && self.read_bound_is_static()
    }

    /// The lifetimes that serde's derive borrows from the input when it reads the patch field,
    /// with their `'`: serde's reader of the patch needs `'de` to outlive them. `borrow` alone
    /// (carried to the patch) borrows every lifetime of the patch field's type, `borrow = "'a +
    /// 'b"` those named; without a `borrow`, serde borrows the lifetimes of a `&str` or `&[u8]`
    /// patch field, or an `Option` of one (a required `&'a str`'s). A field that serde does not
    /// read (`skip_deserializing`) borrows nothing, as in serde's derive.
    pub fn serde_borrowed_lifetimes(&self) -> BTreeSet<String> {
        let Some(kind) = &self.kind else {
            return BTreeSet::new();
        };
        let lifetimes_of_type = || {
            ty::names_in(&kind.patch_ty)
                .into_iter()
                .filter(|name| name.starts_with('\''))
        };
        let mut lifetimes = BTreeSet::new();
        if self.attrs.model_skips_key {
            return lifetimes;
        }
        let borrow_written =
            self.attrs.serde_kept.iter().any(|meta| {
                !matches!(meta.meta, syn::Meta::List(_)) && meta.path().is_ident("borrow")
            });
        if !borrow_written && ty::borrows_implicitly(&kind.patch_ty) {
            lifetimes.extend(lifetimes_of_type());
        }
        for meta in &self.attrs.serde_kept {
            match &meta.meta {
                syn::Meta::Path(path) if path.is_ident("borrow") => {
                    lifetimes.extend(lifetimes_of_type());
                }
                syn::Meta::NameValue(pair) if pair.path.is_ident("borrow") => {
                    if let syn::Expr::Lit(syn::ExprLit {
                        lit: syn::Lit::Str(names),
                        ..
                    }) = &pair.value
                    {
                        lifetimes.extend(
                            names
                                .value()
                                .split('+')
                                .map(|name| name.trim().to_owned())
                                .filter(|name| name.starts_with('\'')),
                        );
                    }
                }
                _ => {}
            }
        }
        lifetimes
    }
}
