//! The traits that `#[derive(Patchable)]` implements: [`Patchable`], [`Patch`], [`FromPatch`]
//! and [`Diff`].
//!
//! The model's traits are here; [`Patch`] is in `patch.rs`, and what its provided methods do
//! (reading a dialect's operations or a request's body as the typed patch, writing the
//! dialects) in a file each.

mod alias_names;
mod body_reading;
mod dialect_output;
mod patch;
mod read_json;
mod scim_reading;
mod serde_defaults;
mod typed_change;

pub use patch::Patch;

use crate::ApplyError;

/// A model that has a typed JSON merge patch (RFC 7396).
///
/// `#[derive(Patchable)]` implements it, together with the patch struct (`UserPatch` for
/// `User`). [`apply`](Patchable::apply) gives a patch its RFC 7396 meaning on typed values, and
/// [`diff`](Patchable::diff) computes the smallest patch between two models.
///
/// # Examples
///
/// ```
/// use sparse_patch::{Field, Patchable};
///
/// #[derive(Patchable, Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
/// struct User {
///     email: String,
///     nickname: Option<String>,
/// }
///
/// let mut user = User { email: "a@example.com".into(), nickname: Some("Al".into()) };
/// let patch = UserPatch::new().email("b@example.com").clear_nickname();
/// assert_eq!(serde_json::to_string(&patch).unwrap(), r#"{"email":"b@example.com","nickname":null}"#);
///
/// user.apply(patch).unwrap();
/// assert_eq!(user, User { email: "b@example.com".into(), nickname: None });
///
/// let target = User { email: "b@example.com".into(), nickname: Some("B".into()) };
/// let diff = user.diff(&target);
/// assert_eq!(diff.nickname, Field::Value("B".to_owned()));
/// assert_eq!(diff.email, None);
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a patchable struct",
    label = "`{Self}` does not derive `Patchable`",
    note = "`#[patchable(nested)]` needs a struct (or an `Option` of one) that derives `Patchable`; it reaches through a `Box`, `Rc` or `Arc` written as one (`Box<N>`, `Option<std::sync::Arc<N>>`), not through a type alias of one; for a type alias of an `Option` (`type MaybeN = Option<N>`), write `#[patchable(nullable, nested)]`",
    note = "a type that is not such a struct (an enum, a newtype, a type of another crate that does not derive `Patchable`) is a plain value: drop `#[patchable(nested)]`, and the field is sent whole"
)]
pub trait Patchable: Sized {
    /// The patch of this model: `UserPatch` for `User`.
    type Patch: Patch<Model = Self>;

    /// Applies `patch` with the meaning of RFC 7396 §2 on typed values:
    ///
    /// - an absent field leaves its attribute as it is;
    /// - a null field clears its (nullable) attribute;
    /// - a value replaces the attribute, except that a nested patch is applied to the nested
    ///   model, and a map patch is applied key by key;
    /// - a nested patch that lands on an absent attribute builds it from nothing
    ///   ([`FromPatch`]).
    ///
    /// # Errors
    ///
    /// [`ApplyError`], before anything is changed (the model is then left exactly as it was):
    ///
    /// - [`ApplyErrorKind::MissingRequired`](crate::ApplyErrorKind::MissingRequired) when a
    ///   nested patch lands on an absent attribute and lacks one of its required attributes;
    /// - [`ApplyErrorKind::DuplicateKey`](crate::ApplyErrorKind::DuplicateKey) and
    ///   [`ApplyErrorKind::ElementWithoutKey`](crate::ApplyErrorKind::ElementWithoutKey) when
    ///   the new array of a keyed array field (`#[patchable(key = "...")]`) has two elements
    ///   with the same key, or one without a key.
    fn apply(&mut self, patch: Self::Patch) -> Result<(), ApplyError> {
        self.check_patch(&patch)?;
        self.apply_checked(patch)
    }

    /// Checks, without changing anything, that [`apply`](Patchable::apply) would succeed.
    ///
    /// # Errors
    ///
    /// The [`ApplyError`] that `apply` would return.
    fn check_patch(&self, patch: &Self::Patch) -> Result<(), ApplyError>;

    /// Applies a patch that [`check_patch`](Patchable::check_patch) accepted. Generated code
    /// calls it after the check; call [`apply`](Patchable::apply) instead.
    ///
    /// # Errors
    ///
    /// Only if the patch was not checked first: then it may stop half way, with an
    /// [`ApplyError`].
    #[doc(hidden)]
    fn apply_checked(&mut self, patch: Self::Patch) -> Result<(), ApplyError>;

    /// The smallest patch that turns `self` into `target`: `self.apply(self.diff(target))`
    /// gives `target` (for every attribute that the patch holds), and `self.diff(self)` is
    /// empty. Two exceptions:
    ///
    /// - an explicit `null` inside untyped JSON of `target` (a `serde_json::Value` object's
    ///   member, `{"x": null}`): the patch carries it, and `apply` reads every `null` of a
    ///   merge patch as "remove" (RFC 7396 §2), so `x` is removed rather than kept as `null`;
    /// - a keyed array (`#[patchable(key = "...")]`) that differs from `self`'s: the patch
    ///   holds `target`'s array whole, as it is, and `apply` refuses it
    ///   ([`ApplyErrorKind::ElementWithoutKey`](crate::ApplyErrorKind::ElementWithoutKey))
    ///   when one of its elements lacks its key (not an object, no such attribute, or a key
    ///   that is `null`, an object or an array), or
    ///   ([`ApplyErrorKind::DuplicateKey`](crate::ApplyErrorKind::DuplicateKey)) when two
    ///   share one. `diff` itself does not check (it returns no `Result`): the law needs each
    ///   element of `target`'s keyed arrays to hold its key, a string, number or boolean that
    ///   no other element of that array holds.
    ///
    /// Available when every patched field is `PartialEq + Clone` (see [`Diff`]). Values are
    /// cloned from `target`. A field marked `#[patchable(skip)]` is not in the patch, however
    /// `target`'s differs: [`left_out_by_diff`](crate::left_out_by_diff) names each such
    /// difference, for a caller that must not drop one without a word.
    #[must_use]
    fn diff(&self, target: &Self) -> Self::Patch
    where
        Self: Diff,
    {
        Diff::diff_patch(self, target)
    }
}

/// A model that can be built from its patch alone, as RFC 7396 §2 does when a patch object lands
/// on a missing member: the patch is applied to `{}`.
///
/// `#[derive(Patchable)]` implements it when every skipped field (`#[patchable(skip)]`,
/// `#[serde(skip)]`) can be filled as serde's reading fills a missing or skipped key: with the
/// field's `#[serde(default = "...")]`, else the struct's `#[serde(default)]` (which needs the
/// model to be `Default`), else its type's `Default`.
///
/// ```
/// use sparse_patch::{FromPatch, Patchable};
///
/// #[derive(Patchable, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
/// struct Name {
///     given: String,
///     family: Option<String>,
/// }
///
/// let name = Name::from_patch(NamePatch::new().given("David")).unwrap();
/// assert_eq!(name, Name { given: "David".into(), family: None });
/// assert!(Name::from_patch(NamePatch::new()).is_err());
/// ```
pub trait FromPatch: Patchable {
    /// Checks that [`from_patch`](FromPatch::from_patch) would succeed.
    ///
    /// # Errors
    ///
    /// The [`ApplyError`] that [`from_patch`](FromPatch::from_patch) would return.
    fn check_from_patch(patch: &Self::Patch) -> Result<(), ApplyError>;

    /// Builds a model from a patch: values are taken, null and absent nullable attributes
    /// become `None`, nested patches build nested models. An absent attribute with serde's
    /// `default` takes that default, as serde's reading of a missing key does; and an `Option`
    /// that serde's `deserialize_with` or `with` reads, without a `default`, must be present
    /// (`null` builds `None`), since serde's derive reads its missing key as an error.
    ///
    /// # Errors
    ///
    /// [`ApplyError`] when a required attribute (or such an `Option`), here or in a nested
    /// patch, is absent
    /// ([`ApplyErrorKind::MissingRequired`](crate::ApplyErrorKind::MissingRequired)), or when
    /// a keyed array's elements share a key or lack one
    /// ([`ApplyErrorKind::DuplicateKey`](crate::ApplyErrorKind::DuplicateKey),
    /// [`ApplyErrorKind::ElementWithoutKey`](crate::ApplyErrorKind::ElementWithoutKey)), as
    /// in [`Patchable::apply`].
    fn from_patch(patch: Self::Patch) -> Result<Self, ApplyError>;
}

/// A model whose patched fields are all `PartialEq + Clone`, so that [`Patchable::diff`] can
/// compare and copy them. `#[derive(Patchable)]` implements it whenever that holds; a model with
/// other fields still derives, only without `Diff`.
pub trait Diff: Patchable {
    /// The smallest patch that turns `self` into `target`; see [`Patchable::diff`].
    #[must_use]
    fn diff_patch(&self, target: &Self) -> Self::Patch;

    /// The patch that builds `self` from nothing: every required attribute and every nullable
    /// attribute that holds a value is set, the rest is absent, except that a `None` whose
    /// serde default may be `Some` (a field's `default = "..."`, the struct's `default`) is
    /// null, since an absent attribute builds that default, and so is the `None` of an `Option`
    /// that serde's `deserialize_with` or `with` reads without a `default`, which must be
    /// present to build the model ([`FromPatch::from_patch`]). `Model::from_patch(m.to_patch())`
    /// gives back `m` (for every attribute the patch holds).
    #[must_use]
    fn to_patch(&self) -> Self::Patch;
}
