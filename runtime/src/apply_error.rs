//! [`ApplyError`]: why a patch could not be applied.

use core::fmt;

/// Why [`Patchable::apply`](crate::Patchable::apply) or
/// [`FromPatch::from_patch`](crate::FromPatch::from_patch) refused a patch.
///
/// The only way a well-typed patch can fail is RFC 7396 §2 applied to a missing object: a nested
/// patch that lands on an absent attribute builds the object from nothing, and the result must
/// still hold every required attribute. When `apply` returns this error the model is unchanged.
///
/// ```
/// use sparse_patch::{ApplyError, Patchable};
///
/// #[derive(Patchable, Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
/// struct Photo {
///     href: String,
/// }
///
/// #[derive(Patchable, Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
/// struct User {
///     username: String,
///     #[patchable(nested)]
///     photo: Option<Photo>,
/// }
///
/// let mut user = User { username: "dspanner".into(), photo: None };
/// // `{"photo": {}}` would create a photo without its required `href`.
/// let patch = UserPatch::new().photo(PhotoPatch::new());
/// let error = user.apply(patch).unwrap_err();
/// assert_eq!(error.path(), "photo.href");
/// assert_eq!(error.to_string(), "cannot apply the patch: required attribute `photo.href` is missing");
/// assert_eq!(user.photo, None);
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct ApplyError {
    /// Serialized attribute names from the model down to the attribute at fault.
    path: Vec<&'static str>,
}

impl ApplyError {
    /// A required attribute, named as serialized, is missing from a patch that must build an
    /// object from nothing.
    #[must_use]
    pub fn missing_required(attribute: &'static str) -> Self {
        ApplyError {
            path: vec![attribute],
        }
    }

    /// Puts `parent` (a serialized attribute name) in front of the path: used as the error
    /// travels out of a nested patch.
    #[must_use]
    pub fn within(mut self, parent: &'static str) -> Self {
        self.path.insert(0, parent);
        self
    }

    /// The attribute at fault, as a dotted path of serialized names, such as `photo.href`.
    #[must_use]
    pub fn path(&self) -> String {
        self.path.join(".")
    }
}

impl fmt::Display for ApplyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "cannot apply the patch: required attribute `{}` is missing",
            self.path()
        )
    }
}

impl fmt::Debug for ApplyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ApplyError")
            .field("missing_required", &self.path())
            .finish()
    }
}

impl std::error::Error for ApplyError {}
