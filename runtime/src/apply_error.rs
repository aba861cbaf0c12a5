//! [`ApplyError`]: why a patch could not be applied.

use core::fmt;

use crate::quoted::{EscapedCut, Quoted};

/// Why [`Patchable::apply`](crate::Patchable::apply) or
/// [`FromPatch::from_patch`](crate::FromPatch::from_patch) refused a patch.
///
/// A well-typed patch can fail in two ways. RFC 7396 §2 applied to a missing object: a nested
/// patch that lands on an absent attribute builds the object from nothing, and the result must
/// still hold every required attribute. And a keyed array (`#[patchable(key = "...")]`) whose
/// new elements lack their key or share one. When `apply` returns this error the model is
/// unchanged.
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
///
/// Its text and `Debug` show a key's value and an element found escaped and cut to their
/// first 1,000 characters and their length (the derived patches give them cut to 200
/// already; one given to [`duplicate_key`](Self::duplicate_key) may be of any length).
#[derive(Clone, PartialEq, Eq)]
pub struct ApplyError {
    /// Serialized attribute names from the model down to the attribute at fault.
    path: Vec<&'static str>,
    reason: ApplyErrorKind,
}

/// What is wrong at the attribute that [`ApplyError::path`] names, as
/// [`ApplyError::kind`] gives it.
///
/// ```
/// use sparse_patch::{ApplyError, ApplyErrorKind};
///
/// let error = ApplyError::duplicate_key("emails", "type", "\"work\"".into()).within("contact");
/// assert_eq!(error.path(), "contact.emails");
/// match error.kind() {
///     ApplyErrorKind::DuplicateKey { key, value } => assert_eq!((*key, value.as_str()), ("type", "\"work\"")),
///     other => panic!("{other:?}"),
/// }
/// ```
///
/// Its `Debug` quotes a value and an element found cut as [`ApplyError`]'s does.
#[derive(Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ApplyErrorKind {
    /// A required attribute is missing where an object is built from nothing (RFC 7396 §2
    /// applied to a missing object).
    MissingRequired,
    /// Two elements of a keyed array (`#[patchable(key = "...")]`) have the same key.
    DuplicateKey {
        /// The key's serialized attribute name, such as `type`.
        key: &'static str,
        /// The shared value, as JSON text, such as `"work"`.
        value: String,
    },
    /// An element of a keyed array has no key that a filter can compare (RFC 7644 §3.4.2.2):
    /// it is not an object, lacks the key, or its key is an array, an object or `null`.
    ElementWithoutKey {
        /// The key's serialized attribute name.
        key: &'static str,
        /// The element's index in the array, from 0.
        index: usize,
        /// What is there instead: the element's JSON, or why it has no key.
        found: String,
    },
}

impl ApplyError {
    /// A required attribute, named as serialized, is missing from a patch that must build an
    /// object from nothing.
    #[must_use]
    pub fn missing_required(attribute: &'static str) -> Self {
        ApplyError {
            path: vec![attribute],
            reason: ApplyErrorKind::MissingRequired,
        }
    }

    /// Two elements of the keyed array `attribute` (`#[patchable(key = "...")]`) have the same
    /// `key`, whose value is `value` (as JSON text): the patch cannot say which one an element
    /// change means.
    #[must_use]
    pub fn duplicate_key(attribute: &'static str, key: &'static str, value: String) -> Self {
        ApplyError {
            path: vec![attribute],
            reason: ApplyErrorKind::DuplicateKey { key, value },
        }
    }

    /// Element `index` (from 0) of the keyed array `attribute` has no usable `key`: `found`
    /// says what is there instead (its JSON, or why it has none).
    #[must_use]
    pub fn element_without_key(
        attribute: &'static str,
        key: &'static str,
        index: usize,
        found: String,
    ) -> Self {
        ApplyError {
            path: vec![attribute],
            reason: ApplyErrorKind::ElementWithoutKey { key, index, found },
        }
    }

    /// The duplicated key's value, as JSON text (`"work"`), when two elements of a keyed array
    /// share it.
    #[must_use]
    pub fn duplicate_key_value(&self) -> Option<&str> {
        match &self.reason {
            ApplyErrorKind::DuplicateKey { value, .. } => Some(value),
            _ => None,
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

    /// What is wrong at [`path`](Self::path): a missing required attribute, a duplicate key or
    /// an element without a key.
    #[must_use]
    pub fn kind(&self) -> &ApplyErrorKind {
        &self.reason
    }
}

impl fmt::Display for ApplyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let path = self.path();
        match &self.reason {
            ApplyErrorKind::MissingRequired => write!(
                f,
                "cannot apply the patch: required attribute `{path}` is missing"
            ),
            ApplyErrorKind::DuplicateKey { key, value } => write!(
                f,
                "cannot apply the patch: two elements of `{path}` have the key `{key}` = {}; a keyed array's elements need distinct keys",
                EscapedCut(value, VALUE_CHARS)
            ),
            ApplyErrorKind::ElementWithoutKey { key, index, found } => write!(
                f,
                "cannot apply the patch: element {index} of `{path}` has no key `{key}` that a filter can compare (a string, number or boolean): {}",
                EscapedCut(found, VALUE_CHARS)
            ),
        }
    }
}

impl fmt::Debug for ApplyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.reason {
            ApplyErrorKind::MissingRequired => f
                .debug_struct("ApplyError")
                .field("missing_required", &self.path())
                .finish(),
            ApplyErrorKind::DuplicateKey { key, value } => f
                .debug_struct("ApplyError")
                .field("duplicate_key", &self.path())
                .field("key", key)
                .field("value", &quoted(value))
                .finish(),
            ApplyErrorKind::ElementWithoutKey { key, index, found } => f
                .debug_struct("ApplyError")
                .field("element_without_key", &self.path())
                .field("key", key)
                .field("index", index)
                .field("found", &quoted(found))
                .finish(),
        }
    }
}

impl fmt::Debug for ApplyErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ApplyErrorKind::MissingRequired => f.write_str("MissingRequired"),
            ApplyErrorKind::DuplicateKey { key, value } => f
                .debug_struct("DuplicateKey")
                .field("key", key)
                .field("value", &quoted(value))
                .finish(),
            ApplyErrorKind::ElementWithoutKey { key, index, found } => f
                .debug_struct("ElementWithoutKey")
                .field("key", key)
                .field("index", index)
                .field("found", &quoted(found))
                .finish(),
        }
    }
}

/// How many characters of a key's value or an element found [`ApplyError`]'s text and
/// `Debug` show.
const VALUE_CHARS: usize = 1_000;

/// A key's value or an element found in `Debug`: quoted and cut to [`VALUE_CHARS`].
fn quoted(text: &str) -> Quoted<'_> {
    Quoted {
        text,
        max: VALUE_CHARS,
    }
}

impl std::error::Error for ApplyError {}
