//! Composing two patches into one: [`Patch::then`](crate::Patch::then) and its errors,
//! [`ComposeConflict`] and [`ComposeError`].

use core::fmt;
use std::borrow::Cow;

/// Why two patches cannot be composed into one JSON merge patch: the first one sets an
/// attribute to `null` (or, in untyped JSON, to a value that is not an object) and the second
/// one merges an object into it.
///
/// Applied in turn, the first patch removes the attribute and the second builds it anew from
/// nothing (RFC 7396 §2 merges a patch object into `{}` when the target is not an object). One
/// merge patch can only merge into what exists, so it would keep the attribute's other members:
/// no single patch does the work of the two. [`Patch::then`](crate::Patch::then) says so rather
/// than return a patch that does something else.
///
/// ```
/// use sparse_patch::{Patch, Patchable};
///
/// #[derive(Patchable, Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
/// struct Name {
///     given: String,
///     family: Option<String>,
/// }
///
/// #[derive(Patchable, Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
/// struct User {
///     #[patchable(nested)]
///     name: Option<Name>,
/// }
///
/// let cleared = UserPatch::new().clear_name();
/// let renamed = UserPatch::new().name(NamePatch::new().given("Dave"));
/// let error = cleared.then(renamed).unwrap_err();
/// assert_eq!(error.path(), "name");
/// let (cleared, renamed) = error.into_patches(); // nothing is lost
/// assert!(cleared.name.is_null() && renamed.name.is_value());
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct ComposeConflict {
    /// Serialized attribute names (and map keys) from the patch down to the attribute.
    path: Vec<Cow<'static, str>>,
}

impl ComposeConflict {
    /// A conflict at the attribute that the caller is composing; [`within`](Self::within)
    /// names it as the conflict travels out. Generated code and the runtime's merge functions
    /// call it.
    #[doc(hidden)]
    #[must_use]
    pub fn here() -> Self {
        ComposeConflict { path: Vec::new() }
    }

    /// A conflict at `path`, from the outermost name in: for a conflict found deep inside
    /// untyped JSON, whose path is known whole (one [`within`](Self::within) per level would
    /// take time quadratic in the depth).
    pub(crate) fn at(path: Vec<Cow<'static, str>>) -> Self {
        ComposeConflict { path }
    }

    /// Puts `parent` (a serialized attribute name or a map key) in front of the path.
    #[doc(hidden)]
    #[must_use]
    pub fn within(mut self, parent: impl Into<Cow<'static, str>>) -> Self {
        self.path.insert(0, parent.into());
        self
    }

    /// The attribute at fault, as a dotted path of serialized names and map keys, such as
    /// `name` or `customAttributes.badge`. Empty when the whole patch is at fault (two untyped
    /// JSON patches whose first one is not an object).
    #[must_use]
    pub fn path(&self) -> String {
        self.path.join(".")
    }

    /// The names of [`path`](Self::path) one by one, from the patch's attribute down:
    /// serialized attribute names, map keys and untyped JSON's member names, which may hold
    /// a `.` or be empty, so that the dotted path does not tell `a.b` (one key) from `a` then
    /// `b`, nor an empty key (`[""]`) from the whole patch (`[]`).
    ///
    /// ```
    /// use sparse_patch::{Patch, Patchable};
    ///
    /// #[derive(Patchable, Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
    /// struct Profile {
    ///     extra: Option<serde_json::Value>,
    /// }
    ///
    /// let first: ProfilePatch = serde_json::from_str(r#"{"extra": {"a.b": null}}"#)?;
    /// let next: ProfilePatch = serde_json::from_str(r#"{"extra": {"a.b": {"c": 1}}}"#)?;
    /// let error = first.then(next).unwrap_err();
    /// assert_eq!(error.path(), "extra.a.b");
    /// assert_eq!(error.conflict().names().collect::<Vec<_>>(), ["extra", "a.b"]);
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    #[must_use]
    pub fn names(&self) -> impl ExactSizeIterator<Item = &str> {
        self.path.iter().map(|name| &**name)
    }
}

/// The path is shown as [`DialectError`](crate::DialectError) shows one: between backticks,
/// or quoted and escaped where it holds a control character, white space at an end or an
/// empty name, since map keys and untyped JSON's member names come from data (a patch read
/// from a request) and must not reach a log or a terminal as they are.
impl fmt::Display for ComposeConflict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            // Two untyped JSON patches whose first one is not an object.
            return f.write_str(
                "cannot compose the patches: the first one is `null` or a value that is not an object, which replaces the whole value, and the second one merges an object into it, which one JSON merge patch cannot say (RFC 7396 §2); apply the patches in turn",
            );
        }
        write!(
            f,
            "cannot compose the patches: the first one clears {} (or sets it to a value that is not an object) and the second one merges an object into it, which one JSON merge patch cannot say (RFC 7396 §2); apply the patches in turn",
            crate::dialect_error::Shown(&self.path())
        )
    }
}

impl fmt::Debug for ComposeConflict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ComposeConflict")
            .field("path", &debug_path(&self.path()))
            .finish()
    }
}

impl std::error::Error for ComposeConflict {}

/// The path in `Debug`: quoted and cut as [`Shown`](crate::dialect_error::Shown) cuts it in the
/// text (a map key of a megabyte went whole into `Debug`).
fn debug_path(path: &str) -> crate::quoted::Quoted<'_> {
    crate::quoted::Quoted {
        text: path,
        max: crate::dialect_error::PATH_CHARS,
    }
}

/// The error of [`Patch::then`](crate::Patch::then): the [`ComposeConflict`], with both patches
/// given back untouched. `Clone`, `PartialEq` and `Eq` where the patch has them.
#[derive(Clone, PartialEq, Eq)]
pub struct ComposeError<P> {
    conflict: ComposeConflict,
    first: P,
    next: P,
}

impl<P> ComposeError<P> {
    /// The error for `first.then(next)`, holding both patches.
    #[must_use]
    pub fn new(conflict: ComposeConflict, first: P, next: P) -> Self {
        ComposeError {
            conflict,
            first,
            next,
        }
    }

    /// Why the patches do not compose.
    #[must_use]
    pub fn conflict(&self) -> &ComposeConflict {
        &self.conflict
    }

    /// The attribute at fault: [`ComposeConflict::path`].
    #[must_use]
    pub fn path(&self) -> String {
        self.conflict.path()
    }

    /// The names of the path at fault one by one: [`ComposeConflict::names`].
    #[must_use]
    pub fn names(&self) -> impl ExactSizeIterator<Item = &str> {
        self.conflict.names()
    }

    /// The two patches, as they were passed to `then`: `(first, next)`.
    #[must_use]
    pub fn into_patches(self) -> (P, P) {
        (self.first, self.next)
    }
}

impl<P> fmt::Display for ComposeError<P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.conflict, f)
    }
}

/// Shows the conflict, not the patches, which may hold personal data.
impl<P> fmt::Debug for ComposeError<P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ComposeError")
            .field("path", &debug_path(&self.path()))
            .finish_non_exhaustive()
    }
}

impl<P> std::error::Error for ComposeError<P> {}
