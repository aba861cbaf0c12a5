//! The traits that `#[derive(Patchable)]` implements: [`Patchable`], [`Patch`], [`FromPatch`]
//! and [`Diff`].

use serde::Serialize;

use crate::{
    ApplyError, ComposeConflict, ComposeError, DialectError, JsonPatchOperation, KeyedArray,
    PatchBodyError, PatchDialect, ScimPatch, json_patch_from_merge, scim_patch_from_merge,
};

mod serde_defaults;

use serde_defaults::{
    model_json_not_read_back, removed_but_filled_by_serde_default, with_hidden_nones,
    without_serde_defaults,
};

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
    note = "`#[patchable(nested)]` needs a struct (or an `Option` of one) that derives `Patchable`; it reaches through a `Box`, `Rc` or `Arc` written as one (`Box<N>`, `Option<std::sync::Arc<N>>`), not through a type alias of one; for a type alias of an `Option` (`type MaybeN = Option<N>`), write `#[patchable(nullable, nested)]`"
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

/// The patch of a [`Patchable`] model, generated by `#[derive(Patchable)]`.
///
/// It is `Default` (every field absent, serialized as `{}`), and knows its model, so that
/// generic code such as a client's `update_user(&patch)` can return the model without type
/// annotations.
pub trait Patch: Default {
    /// The model that this patch changes.
    type Model: Patchable<Patch = Self>;

    /// The patch's keyed arrays (`#[patchable(key = "...")]`), by serialized attribute name:
    /// the SCIM output ([`to_scim_patch`](Patch::to_scim_patch)) changes them element by
    /// element. Empty unless the model has one.
    const KEYED_ARRAYS: &'static [KeyedArray] = &[];

    /// The keys that the patch writes, its flattened nested patches' included: the derive
    /// checks at compile time that a patch does not write a key twice (a field beside a
    /// flattened nested patch that writes the same key). Generated code sets it; a patch
    /// written by hand may leave it, and is then not checked.
    #[doc(hidden)]
    const WRITTEN_KEYS: &'static crate::private::WrittenKeys = &crate::private::WrittenKeys::NONE;

    /// Returns `true` when every field is absent: the patch would serialize as `{}` and change
    /// nothing.
    ///
    /// A field that the model marks `#[serde(skip_serializing)]` is in the patch but never in
    /// its JSON: a patch that sets only such fields is not empty, and serializes as `{}`. Mark a
    /// read-only attribute `#[patchable(skip)]` to leave it out of the patch.
    fn is_empty(&self) -> bool;

    /// One patch that does the work of `self` applied and then `next`: for every model `m`
    /// where both applies succeed, `m.apply(a)?; m.apply(b)?` and `m.apply(a.then(b)?)?` give
    /// the same model, and the same holds for the patches' JSON under RFC 7396 §2.
    ///
    /// Attribute by attribute, the later patch wins: an attribute that `next` leaves absent
    /// keeps `self`'s field, `null` or a plain value in `next` replaces it, and a nested patch,
    /// a map patch or a JSON merge patch in both is composed member by member (a map's entries
    /// and a JSON object's members by the same rule, at any depth).
    ///
    /// ```
    /// use sparse_patch::{Patch, Patchable};
    ///
    /// #[derive(Patchable, Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
    /// struct User {
    ///     email: String,
    ///     nickname: Option<String>,
    ///     title: Option<String>,
    /// }
    ///
    /// let typed = UserPatch::new().nickname("Al").title("Dr");
    /// let later = UserPatch::new().clear_nickname().email("al@example.com");
    /// let both = typed.then(later).unwrap();
    /// assert_eq!(
    ///     serde_json::to_string(&both).unwrap(),
    ///     r#"{"email":"al@example.com","nickname":null,"title":"Dr"}"#
    /// );
    /// ```
    ///
    /// # Errors
    ///
    /// [`ComposeError`] when `self` clears an attribute (or, in untyped JSON, sets it to a value
    /// that is not an object) that `next` merges an object into, which no single merge patch
    /// can say (see [`ComposeConflict`]). The error names the attribute and gives both patches
    /// back.
    fn then(mut self, next: Self) -> Result<Self, ComposeError<Self>> {
        match self.check_then(&next) {
            Ok(()) => {
                self.then_checked(next);
                Ok(self)
            }
            Err(conflict) => Err(ComposeError::new(conflict, self, next)),
        }
    }

    /// Checks, without changing anything, that [`then`](Patch::then) would succeed.
    ///
    /// # Errors
    ///
    /// The [`ComposeConflict`] that `then` would return, naming the first attribute at fault.
    fn check_then(&self, next: &Self) -> Result<(), ComposeConflict>;

    /// Composes `next` into `self` after [`check_then`](Patch::check_then) passed. Generated
    /// code calls it; call [`then`](Patch::then) instead. Unchecked, a conflicting attribute
    /// takes `next`'s field, which may not do the work of the two patches.
    #[doc(hidden)]
    fn then_checked(&mut self, next: Self);

    /// The RFC 6902 JSON Patch operations that do this patch's work on `base`: applied to
    /// `base`'s JSON by any RFC 6902 implementation, they give the document that this patch
    /// (a JSON merge patch, RFC 7396) gives. The operations need the base because `remove`
    /// must name a member that exists and `add` one that may not (see
    /// [`json_patch_from_merge`]). Keys of maps and custom attributes are escaped per RFC 6901
    /// (`~0`, `~1`).
    ///
    /// ```
    /// use sparse_patch::{Patch, Patchable};
    ///
    /// #[derive(Patchable, Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
    /// struct User {
    ///     email: String,
    ///     nickname: Option<String>,
    /// }
    ///
    /// let base = User { email: "a@example.com".into(), nickname: Some("Al".into()) };
    /// let patch = UserPatch::new().email("b@example.com").clear_nickname();
    /// assert_eq!(
    ///     serde_json::to_string(&patch.to_json_patch(&base).unwrap()).unwrap(),
    ///     r#"[{"op":"add","path":"/email","value":"b@example.com"},{"op":"remove","path":"/nickname"}]"#
    /// );
    /// ```
    ///
    /// The operations hold no `test`: the `add`s succeed on a server's document that changed
    /// since `base` was read, and overwrite that change. For optimistic concurrency (RFC 6902
    /// §4.6, as a Kubernetes client tests `metadata.resourceVersion`), put a
    /// [`JsonPatchOperation::Test`] of the version `base` holds first: RFC 6902 §5 then has the
    /// server apply nothing when the version moved on (Kubernetes answers 422, as
    /// [`apply_json_patch`](crate::apply_json_patch) refuses with
    /// [`PointerFault`](crate::PointerFault)'s failed `test`). Escape a map key that is one
    /// token of the path with [`escape_pointer_token`](crate::escape_pointer_token).
    ///
    /// ```
    /// use serde_json::json;
    /// use sparse_patch::{JsonPatchOperation, Patch, Patchable, escape_pointer_token};
    /// use std::collections::BTreeMap;
    ///
    /// #[derive(Patchable, Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
    /// #[serde(rename_all = "camelCase")]
    /// struct Metadata { resource_version: String, labels: BTreeMap<String, String> }
    ///
    /// #[derive(Patchable, Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
    /// struct ConfigMap { #[patchable(nested)] metadata: Metadata }
    ///
    /// let labels = BTreeMap::from([("tier".to_string(), "frontend".to_string())]);
    /// let read = ConfigMap { metadata: Metadata { resource_version: "41".into(), labels } };
    /// let patch = ConfigMapPatch::new()
    ///     .metadata(MetadataPatch::new().labels_entry("app.kubernetes.io/name", "web"));
    /// let mut operations = vec![JsonPatchOperation::Test {
    ///     path: "/metadata/resourceVersion".into(),
    ///     value: json!(read.metadata.resource_version),
    /// }];
    /// operations.extend(patch.to_json_patch(&read).unwrap());
    /// let label = escape_pointer_token("app.kubernetes.io/name");
    /// assert_eq!(operations[1], JsonPatchOperation::Add {
    ///     path: format!("/metadata/labels/{label}"),
    ///     value: json!("web"),
    /// });
    ///
    /// // Another client wrote version 42 in between: nothing is applied.
    /// let mut stored = serde_json::to_value(&read).unwrap();
    /// stored["metadata"]["resourceVersion"] = json!("42");
    /// let error = sparse_patch::apply_json_patch(&mut stored, &operations).unwrap_err();
    /// assert!(error.to_string().contains("not equal to the tested value"), "{error}");
    /// assert_eq!(stored["metadata"]["labels"], json!({"tier": "frontend"}));
    /// ```
    ///
    /// # Errors
    ///
    /// [`DialectError::Serialize`] when the model or the patch does not serialize,
    /// [`DialectError::NotAnObject`] when either's JSON is not an object, and
    /// [`DialectError::Number`] when the patch holds a float that is not finite (NaN, an
    /// infinity: serde_json would write `null`, and the operations would remove the attribute
    /// instead of setting it), or the patch or the model an integer wider than 64 bits.
    fn to_json_patch(&self, base: &Self::Model) -> Result<Vec<JsonPatchOperation>, DialectError>
    where
        Self: Serialize,
        Self::Model: Serialize,
    {
        let patch = patch_value(self)?;
        let base = base_members(base, &patch, false)?;
        json_patch_from_merge(&base, &patch)
    }

    /// The patch that makes, on `base`, the change that the RFC 6902 JSON Patch `operations`
    /// make to `base`'s JSON (a `PATCH` body of `application/json-patch+json`, read as
    /// `Vec<JsonPatchOperation>`): the operations applied to `base`'s JSON
    /// ([`apply_json_patch`](crate::apply_json_patch)), checked by reading this patch from the
    /// JSON merge patch of the top level between the two (each changed attribute's new value,
    /// each removed one `null`); the patch is the model's [`diff`](crate::Patchable::diff)
    /// from `base` to the changed JSON read as the model (a nullable member that the operations
    /// remove read as `null`, a clear, also where the model's serde default, a field's
    /// `default = "..."` or the struct's `default`, would fill it; in an element of a keyed
    /// array too, where the base holds an element of its key, and of another array that keeps
    /// its length, element by element: an element of a keyed array that the operations add
    /// without the member reads the default, while in another array elements are paired by
    /// their place, so an element added where the base's held the member, the array's length
    /// kept (a `remove` and an `add`), reads it as the base's element did; what `base`'s JSON
    /// does not show, a field that the model never
    /// writes or a `None` that it leaves out, left as `base` holds it unless an operation sets
    /// it), so that `base.apply(patch)` gives
    /// that JSON (operations that it could not give, a `null` kept inside untyped JSON, are
    /// refused, see `# Errors`), also where the patch holds an attribute whole (a struct that is not
    /// `nested`, a `replace` map). So a server checks such a body as it checks a merge patch: serde's reading of the patch
    /// refuses a required attribute removed (one of a nested model too, named by its path:
    /// ``invalid value: null for `name.given` ``) unless the model's serde default fills it
    /// (a field's `#[serde(default)]` or `default = "..."`, the struct's `#[serde(default)]`):
    /// the document after `remove` lacks the member (RFC 6902 §4.2), which the model reads as
    /// that default, so the removal reads as that value, at any depth (`remove /emails` of a
    /// `#[serde(default)] emails: Vec<Email>` sets it to `[]`), a value of the wrong type, or (with
    /// `deny_unknown_fields`) an attribute it does not hold; then serde's reading of the model
    /// refuses what the model cannot hold (a `null` added to a map of strings). A changed array
    /// is a value of the whole array, as in a merge patch (a keyed array's: its changed
    /// elements).
    ///
    /// ```
    /// use serde_json::json;
    /// use sparse_patch::{JsonPatchOperation, Patch, Patchable};
    ///
    /// #[derive(Patchable, Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
    /// struct User {
    ///     email: String,
    ///     nickname: Option<String>,
    ///     tags: Vec<String>,
    /// }
    ///
    /// let user = User { email: "a@example.com".into(), nickname: Some("Al".into()), tags: vec!["x".into()] };
    /// let body: Vec<JsonPatchOperation> = serde_json::from_value(json!([
    ///     {"op": "remove", "path": "/nickname"},
    ///     {"op": "add", "path": "/tags/-", "value": "y"},
    /// ]))
    /// .unwrap();
    /// let patch = UserPatch::from_json_patch(&user, &body).unwrap();
    /// assert_eq!(patch, UserPatch::new().clear_nickname().tags(vec!["x".into(), "y".into()]));
    ///
    /// // A required attribute cannot be removed, as in a merge patch.
    /// let body: Vec<JsonPatchOperation> =
    ///     serde_json::from_value(json!([{"op": "remove", "path": "/email"}])).unwrap();
    /// let error = UserPatch::from_json_patch(&user, &body).unwrap_err();
    /// assert!(error.to_string().contains("invalid value: null for `email`"), "{error}");
    /// ```
    ///
    /// # Errors
    ///
    /// [`JsonPatchError::Operation`](crate::JsonPatchError::Operation) for an operation that
    /// cannot be applied to `base`'s JSON, a `test` that fails among them (RFC 6902 §5: nothing
    /// is applied), [`JsonPatchError::CopyLimit`](crate::JsonPatchError::CopyLimit) for `copy`
    /// operations that copy more than [`apply_json_patch`](crate::apply_json_patch) allows,
    /// [`JsonPatchError::DepthLimit`](crate::JsonPatchError::DepthLimit) for a `copy` or `move`
    /// that nests the JSON deeper than it allows,
    /// [`JsonPatchError::Serialize`](crate::JsonPatchError::Serialize) when `base` does not
    /// serialize, and [`JsonPatchError::Patch`](crate::JsonPatchError::Patch) with serde's error
    /// (with the attribute's path in front where serde's text does not name it: ``at
    /// `name.given`: invalid type: integer `5`, expected a string``; a map's key holding a `.`
    /// is quoted, ``labels."app.kubernetes.io/name"``; a member that the model reads through
    /// serde's `flatten` is named by no path, as serde buffers it before reading it)
    /// when the change is not one that this patch, or the model, can hold (a required
    /// attribute removed that no serde default of the model fills, ``invalid value: null for
    /// `email`, a required attribute that cannot be cleared``: one that a serde default fills
    /// reads as that default, no error; the model's whole
    /// JSON replaced by a value that is not an object too, and a keyed array left with two
    /// elements of one key or one without it, or a nested model built without a required
    /// attribute (`add /network {"vlan": 5}` where `network` is absent), which `apply` would
    /// refuse: the error is [`ApplyError`]'s text, ``required attribute `network.ip` is
    /// missing`` as for the merge patch of the change; and a `null` member set inside
    /// untyped JSON, a `serde_json::Value` attribute or a map of them (`add /locked null` on custom
    /// attributes), which the operations keep (§4.1) and a merge patch reads as "remove",
    /// RFC 7396 §2: the error names the attribute); and a model whose own JSON does not read
    /// back as the model, as a field marked `#[serde(skip_serializing)]` without
    /// `#[serde(default)]` makes it (for any operations that do not set that field, `[]`
    /// too): the error says that the model's JSON does not carry that field, and to give it
    /// `#[serde(default)]`.
    fn from_json_patch(
        base: &Self::Model,
        operations: &[JsonPatchOperation],
    ) -> Result<Self, crate::JsonPatchError>
    where
        Self: serde::de::DeserializeOwned,
        Self::Model: Serialize + serde::de::DeserializeOwned + crate::Diff,
    {
        let base_json = serde_json::to_value(base).map_err(crate::JsonPatchError::Serialize)?;
        let mut changed = base_json.clone();
        crate::apply_json_patch(&mut changed, operations)?;
        typed_change(base, &base_json, changed, false).map_err(crate::JsonPatchError::Patch)
    }

    /// The SCIM PatchOp message (RFC 7644 §3.5.2) that does this patch's work on `base`:
    /// `add`, `replace` and `remove` with attribute paths (`name.given`), and filter paths
    /// (`emails[type eq "work"].value`) for the elements of keyed arrays, so that only the
    /// elements that changed are sent (see [`scim_patch_from_merge`]).
    ///
    /// ```
    /// use serde_json::json;
    /// use sparse_patch::{Patch, Patchable};
    ///
    /// #[derive(Patchable, Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
    /// struct User {
    ///     username: String,
    ///     // Elements are any `Serialize` type whose JSON is an object with the key.
    ///     #[patchable(key = "type")]
    ///     emails: Vec<serde_json::Value>,
    /// }
    ///
    /// let base = User {
    ///     username: "dspanner".into(),
    ///     emails: vec![json!({"type": "work", "value": "a@example.com"}), json!({"type": "home", "value": "b@example.com"})],
    /// };
    /// let mut target = base.clone();
    /// target.emails[0]["value"] = json!("c@example.com");
    /// let scim = base.diff(&target).to_scim_patch(&base).unwrap();
    /// assert_eq!(
    ///     serde_json::to_value(&scim.operations).unwrap(),
    ///     json!([{"op": "replace", "path": "emails[type eq \"work\"].value", "value": "c@example.com"}])
    /// );
    /// ```
    ///
    /// # Errors
    ///
    /// As [`to_json_patch`](Patch::to_json_patch), and [`DialectError::ScimName`],
    /// [`DialectError::ScimNameCase`], [`DialectError::DuplicateKey`] and
    /// [`DialectError::ElementWithoutKey`] as
    /// [`scim_patch_from_merge`] says.
    fn to_scim_patch(&self, base: &Self::Model) -> Result<ScimPatch, DialectError>
    where
        Self: Serialize,
        Self::Model: Serialize,
    {
        let patch = patch_value(self)?;
        let base = base_members(base, &patch, true)?;
        scim_patch_from_merge(&base, &patch, Self::KEYED_ARRAYS)
    }

    /// Reads a SCIM PatchOp message (RFC 7644 §3.5.2) into this typed patch, as
    /// [`from_json_patch`](Patch::from_json_patch) reads RFC 6902 operations: the message is
    /// applied to `base`'s JSON ([`apply_scim_patch`](crate::apply_scim_patch): RFC 7644
    /// §3.5.2.1 to §3.5.2.3, attribute names in any case, nothing applied when one operation
    /// fails), the change is checked as a merge patch is, and the patch is the model's `diff`
    /// from `base` to the changed JSON read as the model (a removed nullable member a clear, as
    /// there, also one of an element that `to_scim_patch` removes through a keyed array's
    /// filter, `emails[type eq "work"].primary`, or sets to `null` in an array that it writes
    /// whole, which the applier stores as unassigned, RFC 7643 §2.5: read element by element
    /// where the array keeps its length; a `null` in an element that the message adds leaves
    /// the member unassigned, which the model reads as its serde default; a removed required
    /// attribute that the model's serde default fills reads as that default, as there: `remove emails`
    /// without a filter removes all its values, RFC 7644 §3.5.2.2, `[]` for a
    /// `#[serde(default)] emails: Vec<Email>`). So `base.apply(patch)` gives what
    /// the message gives, also for an attribute that the patch holds whole (a struct that is
    /// not `nested`, a `replace` map), where the merge patch of
    /// [`merge_from_scim_patch`](crate::merge_from_scim_patch) read as this patch would set
    /// it to the part that the message changed. A removal of an attribute that `base` does not
    /// hold changes nothing, so its name is read by the patch as the merge patch's `null` is:
    /// with `#[patchable(deny_unknown_fields)]`, `remove` at `titel` (or `spec.replica`, a
    /// `null` member of a value) is refused as `{"titel": null}` is, in any case that the
    /// patch's names take (RFC 7643 §2.1; an extension's attributes, named by its schema URN,
    /// are not checked, nor the names of a patch that flattens a nested struct). The `schemas`
    /// member is not read (a [`ScimPatch`] read from JSON has checked it).
    ///
    /// A name that the message spells in another case than the model (`Title`,
    /// `name.GivenName`, RFC 7643 §2.1), which the applier keeps so where `base` holds no
    /// spelling of it, is read as the model's name wherever the model's serde names what it
    /// reads: a struct's fields (aliases too; at a top level that flattens a map of custom
    /// attributes, the patch's fields' names before the map's), an externally tagged enum's
    /// variants and their fields, an adjacently tagged enum's tag and content. Where serde
    /// reads names exactly from its own buffer (below a `#[serde(flatten)]` field other than
    /// the top level's, inside an internally tagged or untagged enum), it cannot be: a name
    /// there that `base` does not hold and the model does not read is refused
    /// ([`ScimPatchError::NameNotRead`](crate::ScimPatchError::NameNotRead)), an unknown name
    /// too, rather than read with its value dropped.
    ///
    /// Where the patch or the model reads a `bool`, the string `"True"` or `"False"` (in any
    /// ASCII case) is that boolean: Microsoft Entra ID writes booleans so without its
    /// `aadOptscim062020` flag (`{"op": "Replace", "path": "active", "value": "False"}`, its
    /// SCIM compliance page). Only there: a `String` attribute keeps the string, and another
    /// string is still serde's error (`invalidValue`). (Inside a `#[serde(flatten)]` field or
    /// an enum, which serde reads from its own buffer, the string is not a boolean.) The
    /// string becomes a boolean when the changed JSON is read as the model, after the whole
    /// message is applied: within the message, the operations see the string, so a later
    /// operation's filter `[primary eq true]` does not select an element that an earlier one
    /// added with `"primary": "True"`, and an `add` of an element held with `true` appends it.
    ///
    /// ```
    /// use serde_json::json;
    /// use sparse_patch::{Patch, Patchable, ScimPatch};
    /// use std::collections::BTreeMap;
    ///
    /// #[derive(Patchable, Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
    /// #[serde(rename_all = "camelCase")]
    /// struct User {
    ///     user_name: String,
    ///     title: Option<String>,
    ///     #[patchable(replace)] // Sent whole, not merged key by key.
    ///     labels: BTreeMap<String, String>,
    /// }
    ///
    /// let user = User {
    ///     user_name: "bjensen".into(),
    ///     title: Some("Guide".into()),
    ///     labels: BTreeMap::from([("team".into(), "a".into())]),
    /// };
    /// let message: ScimPatch = serde_json::from_value(json!({
    ///     "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
    ///     "Operations": [
    ///         {"op": "add", "path": "labels", "value": {"site": "b"}},
    ///         {"op": "remove", "path": "Title"}
    ///     ]
    /// }))
    /// .unwrap();
    /// let patch = UserPatch::from_scim_patch(&user, &message).unwrap();
    /// // `add` merged `site` into `labels`; the patch sends `labels` whole, `team` too.
    /// let labels = BTreeMap::from([("site".into(), "b".into()), ("team".into(), "a".into())]);
    /// assert_eq!(patch, UserPatch::new().labels(labels).clear_title());
    ///
    /// // A required attribute cannot be removed.
    /// let message: ScimPatch = serde_json::from_value(json!({
    ///     "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
    ///     "Operations": [{"op": "remove", "path": "userName"}]
    /// }))
    /// .unwrap();
    /// let error = UserPatch::from_scim_patch(&user, &message).unwrap_err();
    /// assert_eq!(error.scim_type(), Some("invalidValue"));
    /// assert!(error.to_string().contains("invalid value: null for `userName`"), "{error}");
    /// ```
    ///
    /// # Errors
    ///
    /// [`ScimPatchError::Operation`](crate::ScimPatchError::Operation) for an operation that
    /// cannot be applied to `base`'s JSON (RFC 7644 §3.5.2: nothing is applied, the error
    /// names its `scimType`), [`ScimPatchError::NotAnObject`](crate::ScimPatchError::NotAnObject)
    /// when `base`'s JSON is not an object,
    /// [`ScimPatchError::Serialize`](crate::ScimPatchError::Serialize) when `base` does not
    /// serialize, and [`ScimPatchError::Patch`](crate::ScimPatchError::Patch) with serde's
    /// error (with the attribute's path in front where serde's text does not name it: ``at
    /// `title`: invalid type: integer `5`, expected a string``, written as
    /// [`from_json_patch`](Patch::from_json_patch) says) when the change is not one
    /// that this patch, or the model, can hold (a required attribute removed that no serde
    /// default of the model fills, ``invalid value: null for `userName`, a required attribute
    /// that cannot be cleared``, `invalidValue`, as
    /// [`from_json_patch`](Patch::from_json_patch) says; a keyed array
    /// left with two elements of one key, as an `add` of `{"type": "home", …}` beside a held
    /// `home` element that differs appends, or with one without the key, or a nested model
    /// built without a required attribute: `apply` would refuse them, and the error is
    /// [`ApplyError`]'s text; a `null` member that the operations
    /// leave inside untyped JSON, as [`from_json_patch`](Patch::from_json_patch) says; a
    /// removed name that the patch refuses, ``at `spec.replica`: unknown field `replica` ``;
    /// a model whose own JSON does not read back as the model, as
    /// [`from_json_patch`](Patch::from_json_patch) says), and
    /// [`ScimPatchError::NameNotRead`](crate::ScimPatchError::NameNotRead) (`invalidValue`)
    /// for a name that the model does not read where serde reads names from its own buffer,
    /// as above.
    fn from_scim_patch(
        base: &Self::Model,
        message: &ScimPatch,
    ) -> Result<Self, crate::ScimPatchError>
    where
        Self: serde::de::DeserializeOwned,
        Self::Model: Serialize + serde::de::DeserializeOwned + crate::Diff,
    {
        let base_json = serde_json::to_value(base).map_err(crate::ScimPatchError::Serialize)?;
        let mut changed = base_json.clone();
        crate::apply_scim_patch(&mut changed, message)?;
        // The names that the message spelled in another case than the model (RFC 7643 §2.1),
        // which the applier keeps where the resource held none, spelled as the model reads
        // them: serde, which reads names exactly, dropped them.
        let unchecked = crate::scim::respell_as_model::<Self::Model>(
            &mut changed,
            Self::WRITTEN_KEYS,
            &base_json,
        );
        // Where serde reads the names itself (below a flattened field, inside an internally
        // tagged or untagged enum), a name that the model does not read may be its name in
        // another case: refused, rather than dropped.
        let probed = (!unchecked.is_empty()).then(|| changed.clone());
        let patch =
            typed_change(base, &base_json, changed, true).map_err(crate::ScimPatchError::Patch)?;
        if let Some(changed) = probed
            && let Some(path) = crate::scim::first_unread(
                &changed,
                &unchecked,
                |json| read_json::<Self::Model>(json, true).ok(),
                |a, b| crate::Diff::diff_patch(a, b).is_empty(),
            )
        {
            return Err(crate::ScimPatchError::NameNotRead {
                path: path.to_string(),
            });
        }
        // A removal of an attribute that the resource does not hold changes nothing, and so
        // is not seen in the change: its name is checked as the merge patch's `null` is.
        if let Some((path, field, expected)) = crate::scim::first_unknown_removed::<Self>(message) {
            // The path and the name are the message's, of any length: cut as a JSON Pointer
            // is (a name of a megabyte went whole into the text, twice).
            let field = crate::quoted::cut(&field, crate::quoted::POINTER_CHARS).to_string();
            let error = <serde_json::Error as serde::de::Error>::unknown_field(&field, expected);
            return Err(crate::ScimPatchError::Patch(
                <serde_json::Error as serde::de::Error>::custom(format_args!(
                    "at `{}`: {error}",
                    crate::quoted::cut(&path, crate::quoted::POINTER_CHARS)
                )),
            ));
        }
        Ok(patch)
    }

    /// Reads the body of a `PATCH` request, whose `Content-Type` named `dialect`
    /// ([`PatchDialect::from_content_type`]), into this typed patch, to apply to `base`, the
    /// resource as the server holds it: a merge patch (RFC 7396) read as the patch, checked
    /// against `base` as [`apply`](crate::Patchable::apply) checks it; JSON Patch operations
    /// (RFC 6902) read as `Vec<JsonPatchOperation>` and then as
    /// [`from_json_patch`](Patch::from_json_patch) reads them; a SCIM PatchOp message
    /// (RFC 7644 §3.5.2) read as [`ScimPatch`] and then as
    /// [`from_scim_patch`](Patch::from_scim_patch) reads it. In each dialect, `null` on a
    /// required attribute, a wrong type and (with `deny_unknown_fields`) an unknown attribute
    /// are refused, the attribute named, and `base.apply(patch)` succeeds for the patch
    /// returned: hold the resource's lock (or compare its version) between reading and
    /// applying. The error's [`status`](PatchBodyError::status) is the HTTP status to answer.
    ///
    /// ```
    /// use sparse_patch::{Patch, PatchDialect, Patchable};
    ///
    /// #[derive(Patchable, Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
    /// #[patchable(deny_unknown_fields)]
    /// struct Device { name: String, notes: Option<String>, tags: Vec<String> }
    ///
    /// let mut device = Device { name: "sw1".into(), notes: Some("racked".into()), tags: vec![] };
    /// let scim = r#"{"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
    ///                "Operations": [{"op": "add", "path": "tags", "value": ["edge"]}]}"#;
    /// for (content_type, body) in [
    ///     ("application/merge-patch+json", r#"{"notes": null}"#),
    ///     ("application/json-patch+json; charset=utf-8", r#"[{"op": "replace", "path": "/name", "value": "sw2"}]"#),
    ///     ("application/scim+json", scim),
    /// ] {
    ///     let dialect = PatchDialect::from_content_type(content_type)?;
    ///     let patch = DevicePatch::from_body(dialect, body.as_bytes(), &device)?;
    ///     device.apply(patch)?;
    /// }
    /// assert_eq!(device, Device { name: "sw2".into(), notes: None, tags: vec!["edge".into()] });
    ///
    /// // Each refusal with its status (RFC 5789 §2.2).
    /// let merge = PatchDialect::MergePatch;
    /// let error = DevicePatch::from_body(merge, br#"{"name": null}"#, &device).unwrap_err();
    /// assert_eq!(error.status(), 422);
    /// assert!(error.to_string().contains("invalid value: null for `name`"), "{error}");
    /// assert_eq!(DevicePatch::from_body(merge, b"{\"name\": ", &device).unwrap_err().status(), 400);
    /// let test = br#"[{"op": "test", "path": "/name", "value": "sw1"}]"#;
    /// assert_eq!(DevicePatch::from_body(PatchDialect::JsonPatch, test, &device).unwrap_err().status(), 409);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    ///
    /// [`PatchBodyError::Malformed`] for a body that is not a document of `dialect` (not JSON,
    /// an empty body and one in UTF-16 or UTF-32 included, a UTF-8 byte order mark ignored; for JSON Patch, not an array of operations; for SCIM, not a
    /// PatchOp message); [`PatchBodyError::MergePatch`] for a merge patch that the patch
    /// refuses (with the attribute's path in front where serde's text does not name it, as
    /// [`from_json_patch`](Patch::from_json_patch) writes it), and [`PatchBodyError::Apply`]
    /// for one that `apply` would refuse on `base`; [`PatchBodyError::JsonPatch`] and
    /// [`PatchBodyError::Scim`] with the errors of [`from_json_patch`](Patch::from_json_patch)
    /// and [`from_scim_patch`](Patch::from_scim_patch).
    fn from_body(
        dialect: PatchDialect,
        body: &[u8],
        base: &Self::Model,
    ) -> Result<Self, PatchBodyError>
    where
        Self: serde::de::DeserializeOwned,
        Self::Model: Serialize + serde::de::DeserializeOwned + crate::Diff,
    {
        let malformed = |error| PatchBodyError::Malformed { dialect, error };
        // A UTF-8 byte order mark is ignored, as RFC 8259 §8.1 lets a reader (Windows tools
        // write one); text in UTF-16 or UTF-32 is refused with a text that says so, where
        // serde_json said "expected value at line 1 column 1" of both.
        let body = body.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(body);
        if crate::text_encoding::is_utf16_or_utf32(body) {
            return Err(malformed(<serde_json::Error as serde::de::Error>::custom(
                "the body is UTF-16 or UTF-32 (a byte order mark or NUL bytes at its start), \
                 and JSON exchanged between systems is UTF-8 (RFC 8259 §8.1)",
            )));
        }
        match dialect {
            PatchDialect::MergePatch => {
                let patch: Self = serde_json::from_slice(body).map_err(|error| {
                    // serde stops at the first attribute that the patch refuses, before the
                    // rest of the body is read: a body cut short or followed by garbage after
                    // it (`{"nmae": 1, `, `{"name": 5} trailing`) is no JSON, and so 400, not
                    // a merge patch that the resource does not take (422, RFC 5789 §2.2).
                    if let Err(syntax) = serde_json::from_slice::<serde::de::IgnoredAny>(body) {
                        malformed(syntax)
                    } else if error.is_data() {
                        let again = &mut serde_json::Deserializer::from_slice(body);
                        PatchBodyError::MergePatch(crate::error_path::named::<Self, _>(
                            again, error,
                        ))
                    } else {
                        malformed(error)
                    }
                })?;
                base.check_patch(&patch).map_err(PatchBodyError::Apply)?;
                Ok(patch)
            }
            PatchDialect::JsonPatch => {
                let operations: Vec<JsonPatchOperation> =
                    serde_json::from_slice(body).map_err(malformed)?;
                Ok(Self::from_json_patch(base, &operations)?)
            }
            PatchDialect::ScimPatchOp => {
                let message: ScimPatch = serde_json::from_slice(body).map_err(malformed)?;
                Ok(Self::from_scim_patch(base, &message)?)
            }
        }
    }
}

/// The typed patch of a change that a dialect's operations made to `base`'s JSON (`base_json`
/// before, `changed` after), for [`Patch::from_json_patch`] and [`Patch::from_scim_patch`]
/// (`boolean_strings`: a `bool` of the patch and the model also read from `"True"` or
/// `"False"`, as [`read_json`] reads it).
///
/// The change is checked as a merge patch is (a required attribute removed, a wrong type, an
/// unknown key under `deny_unknown_fields`), with serde's error for the attribute: the merge
/// patch of the top level, each changed attribute's whole new value (one that went into an
/// attribute held whole would hold `null`s where it removed a member), each removed one
/// `null`, except one that the model's serde default fills, which reads as that default, as
/// a nested one does ([`top_level_change`]). The patch itself is
/// the typed diff to the changed model, not the merge patch read as the patch: that merge
/// patch goes into every object, where the patch holds some attributes whole (a struct that
/// is not `nested`, a `replace` map), and `apply` set such an attribute to the part of it
/// that the operations changed (`add /labels/b` on a `replace` map left `labels` as
/// `{"b": ..}`, the other keys lost).
fn typed_change<P>(
    base: &P::Model,
    base_json: &serde_json::Value,
    changed: serde_json::Value,
    boolean_strings: bool,
) -> Result<P, serde_json::Error>
where
    P: Patch + serde::de::DeserializeOwned,
    P::Model: Serialize + serde::de::DeserializeOwned + crate::Diff,
{
    let nothing_left = std::collections::HashSet::new();
    if let Err(error) = read_json::<P>(
        top_level_change(base_json, &changed, &nothing_left),
        boolean_strings,
    ) {
        // A removed required attribute that the model's serde default fills (a field's
        // `default`, the struct's) is no clear but that default, which the model reads where
        // the member is gone (RFC 6902 §4.2; RFC 7644 §3.5.2.2, a multi-valued one's values
        // all removed), as a nested one is: checked as left as it was, its value taken from the
        // changed model below (review 141: rust-scim's `#[serde(default)] emails` refused).
        if !error
            .to_string()
            .contains(crate::private::CANNOT_BE_CLEARED)
        {
            return Err(error);
        }
        let filled =
            removed_but_filled_by_serde_default::<P::Model>(base_json, &changed, boolean_strings);
        if filled.is_empty() {
            return Err(error);
        }
        let _: P = read_json(
            top_level_change(base_json, &changed, &filled),
            boolean_strings,
        )?;
    }
    // Read from a copy: on an error, `changed` tells which nested required attribute went.
    let target: P::Model = match read_json(changed.clone(), boolean_strings) {
        Ok(target) => target,
        Err(error) => {
            return Err(required_removed_below::<P>(base_json, &changed)
                .or_else(|| {
                    required_missing_where_built::<P>(base, base_json, &changed, boolean_strings)
                })
                .or_else(|| model_json_not_read_back::<P::Model>(base_json, boolean_strings))
                .unwrap_or(error));
        }
    };
    let target = without_serde_defaults(
        base_json,
        &changed,
        target,
        P::KEYED_ARRAYS,
        boolean_strings,
    );
    // The diff from `base` as its own JSON reads it, read the same way, not from `base`: what
    // the JSON does not show (a field that the model never writes, `skip_serializing`; a
    // `None` left out whose serde default is `Some`) `target` can only read as `base_json`
    // reads it, and a diff from `base` itself set it where no operation named it (`[]` wiped
    // a `#[serde(default, skip_serializing)]` password hash, set a `None` budget to its
    // default; review 126). One that the operations set is in `changed`, and so in the diff.
    let as_written = read_json::<P::Model>(base_json.clone(), boolean_strings)
        .ok()
        .map(|read| with_hidden_nones(base_json, read, P::KEYED_ARRAYS, boolean_strings));
    let patch = crate::Diff::diff_patch(as_written.as_ref().unwrap_or(base), &target);
    // The operations may leave what `apply` refuses (an `add` appending a second element with
    // a keyed array's held key, or one without the key): refused here, so that the promise
    // `base.apply(patch)` holds for every patch returned.
    base.check_patch(&patch)
        .map_err(<serde_json::Error as serde::de::Error>::custom)?;
    if holds_null_member(&changed) {
        // The patch again (a patch need not be `Clone`), applied to what it is the diff from.
        let again = crate::Diff::diff_patch(as_written.as_ref().unwrap_or(base), &target);
        let from = match as_written {
            Some(as_written) => as_written,
            None => read_json(base_json.clone(), boolean_strings)?,
        };
        refuse_null_kept_in_untyped_json(from, again, &target)?;
    }
    Ok(patch)
}

/// The merge patch of the top level between `base_json` and `changed` that [`typed_change`]
/// checks by reading it as the patch: each changed attribute's whole new value, each removed
/// one `null`, except those of `left` (removed ones that the model's serde default fills),
/// which hold `base_json`'s value, as if left as they were (still read by the patch, so that
/// one it does not hold is refused under `deny_unknown_fields` as before).
fn top_level_change(
    base_json: &serde_json::Value,
    changed: &serde_json::Value,
    left: &std::collections::HashSet<String>,
) -> serde_json::Value {
    match (base_json, changed) {
        (serde_json::Value::Object(old), serde_json::Value::Object(new)) => {
            let removed =
                old.iter()
                    .filter(|(key, _)| !new.contains_key(*key))
                    .map(|(key, value)| {
                        let checked = if left.contains(key) {
                            value.clone()
                        } else {
                            serde_json::Value::Null
                        };
                        (key.clone(), checked)
                    });
            let set = new
                .iter()
                .filter(|(key, value)| old.get(*key) != Some(*value))
                .map(|(key, value)| (key.clone(), value.clone()));
            serde_json::Value::Object(removed.chain(set).collect())
        }
        _ => changed.clone(),
    }
}

/// Refuses a change that keeps a `null` member inside untyped JSON (a `serde_json::Value`
/// attribute, a flattened map of custom attributes: `add /locked null`), which the operations
/// keep (RFC 6902 §4.1) and no merge patch can carry, since it reads every `null` as "remove"
/// (RFC 7396 §2): the patch would remove the member, not give what the operations give. Checked
/// by applying `patch` to `from` (the base as its JSON reads it, which the patch is the diff
/// from) and comparing with `target`; the error names the attributes that differ.
fn refuse_null_kept_in_untyped_json<M>(
    from: M,
    patch: M::Patch,
    target: &M,
) -> Result<(), serde_json::Error>
where
    M: Serialize + serde::de::DeserializeOwned + crate::Diff,
{
    let mut reached = from;
    reached
        .apply(patch)
        .map_err(<serde_json::Error as serde::de::Error>::custom)?;
    if crate::Diff::diff_patch(&reached, target).is_empty() {
        return Ok(());
    }
    let (reached, target) = (
        serde_json::to_value(&reached)?,
        serde_json::to_value(target)?,
    );
    let empty = serde_json::Map::new();
    let (reached, target) = (
        reached.as_object().unwrap_or(&empty),
        target.as_object().unwrap_or(&empty),
    );
    let mut differing: Vec<&String> = reached
        .keys()
        .chain(target.keys())
        .filter(|key| reached.get(*key) != target.get(*key))
        .collect();
    differing.sort();
    differing.dedup();
    let names: Vec<String> = differing.iter().map(|key| format!("`{key}`")).collect();
    Err(<serde_json::Error as serde::de::Error>::custom(
        format_args!(
            "the operations set a `null` member inside untyped JSON ({}), which a merge patch \
         reads as \"remove\" (RFC 7396 §2): no patch gives that change",
            names.join(", ")
        ),
    ))
}

/// The error that `apply` gives for the merge patch of the same change, where the operations
/// built a nested model without one of its required attributes (`add /network {"vlan": 5}` on
/// a model without `network`): ``cannot apply the patch: required attribute `network.ip` is
/// missing``, naming the attribute by its path, where the model's reading said ``at
/// `network`: missing field `ip` ``, so that the three dialects refuse the change in the same
/// words. The deep merge patch between the two, read as the patch, is checked against `base`
/// ([`Patchable::check_patch`]); only a missing required attribute is taken from it, as
/// [`required_removed_below`] takes only its own error.
fn required_missing_where_built<P: Patch + serde::de::DeserializeOwned>(
    base: &P::Model,
    base_json: &serde_json::Value,
    changed: &serde_json::Value,
    boolean_strings: bool,
) -> Option<serde_json::Error> {
    let patch: P = read_json(crate::merge_diff(base_json, changed), boolean_strings).ok()?;
    let error = base.check_patch(&patch).err()?;
    matches!(error.kind(), crate::ApplyErrorKind::MissingRequired)
        .then(|| <serde_json::Error as serde::de::Error>::custom(error))
}

/// Whether some object in `value`, at any depth, holds a member whose value is `null`: only
/// then may a change be one that no merge patch carries.
fn holds_null_member(value: &serde_json::Value) -> bool {
    match value {
        serde_json::Value::Object(members) => members
            .values()
            .any(|member| member.is_null() || holds_null_member(member)),
        serde_json::Value::Array(elements) => elements.iter().any(holds_null_member),
        _ => false,
    }
}

/// The patch's error for a required attribute of a nested model that the operations removed
/// (`remove /name/given`), which names it by its path (``invalid value: null for
/// `name.given`, a required attribute that cannot be cleared``), where the model's reading
/// said only ``missing field `given` ``: the deep merge patch between the two read as the
/// patch. Only that error is taken from it: an attribute held whole (a struct that is not
/// `nested`) is no merge patch, and the deep patch's other errors there would mislead.
fn required_removed_below<P: Patch + serde::de::DeserializeOwned>(
    base_json: &serde_json::Value,
    changed: &serde_json::Value,
) -> Option<serde_json::Error> {
    let error = serde_json::from_value::<P>(crate::merge_diff(base_json, changed)).err()?;
    error
        .to_string()
        .contains(crate::private::CANNOT_BE_CLEARED)
        .then_some(error)
}

/// `T` read from `value`; with `boolean_strings`, a `bool` also from `"True"` or `"False"` in
/// any case (SCIM: Microsoft Entra ID writes booleans so), as
/// [`from_value_with_boolean_strings`](crate::boolean_strings::from_value_with_boolean_strings)
/// reads it.
///
/// An error names the attribute's path first (``at `title`: invalid type: ...``), as
/// [`error_path::named`](crate::error_path::named) writes it.
fn read_json<T: serde::de::DeserializeOwned>(
    value: serde_json::Value,
    boolean_strings: bool,
) -> Result<T, serde_json::Error> {
    if boolean_strings {
        crate::boolean_strings::from_value_with_boolean_strings(value.clone()).map_err(|error| {
            crate::error_path::named::<T, _>(crate::boolean_strings::BooleanStrings(value), error)
        })
    } else {
        // Read from the borrowed document, which the error's path reads again.
        T::deserialize(&value).map_err(|error| crate::error_path::named::<T, _>(&value, error))
    }
}

/// The patch's JSON, for the dialect outputs. A float that is not finite would be `null` in
/// it (serde_json's way), which the outputs read as "remove", and an integer wider than 64 bits
/// does not fit a `Value`: both are refused, named by their path. An `f32` holds the number
/// that the merge patch's text holds (`0.1`, not `0.10000000149011612`).
fn patch_value<P: Serialize>(patch: &P) -> Result<serde_json::Value, DialectError> {
    if let Some(found) = crate::json_number::unrepresentable(patch, true) {
        return Err(DialectError::number(found, true));
    }
    Ok(crate::json_number::json_value(patch)?)
}

/// The members of `base`'s JSON that the patch's JSON names (also in another case when
/// `in_any_case`, for SCIM): all that the dialect outputs look up in the base. An integer of
/// the base wider than 64 bits is named by its path.
fn base_members<M: Serialize>(
    base: &M,
    patch: &serde_json::Value,
    in_any_case: bool,
) -> Result<serde_json::Value, DialectError> {
    let members = match patch {
        serde_json::Value::Object(wanted) => {
            crate::member_picker::picked_members(base, wanted, in_any_case)
        }
        _ => crate::json_number::json_value(base),
    };
    members.map_err(
        |error| match crate::json_number::unrepresentable(base, true) {
            Some(found) => DialectError::number(found, false),
            None => DialectError::Serialize(error),
        },
    )
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
