//! [`PatchBodyError`]: why [`Patch::from_body`](crate::Patch::from_body) refused a `PATCH`
//! body, with the HTTP status (RFC 5789 §2.2, RFC 7644 §3.12) that a server answers it with.

use core::fmt;

use crate::quoted::ReaderError;

use crate::{
    ApplyError, JsonPatchError, PatchDialect, PointerFault, ScimPatchError, UnsupportedMediaType,
};

/// Why a `PATCH` body could not be read into a typed patch: its media type, its syntax, or a
/// change that the patch (or the model) cannot hold. [`status`](Self::status) gives the HTTP
/// status to answer with; the text names the attribute or the operation at fault, and may
/// quote the body's own values (it is meant for the client that sent it).
///
/// | Variant | Status |
/// |---|---|
/// | [`UnsupportedMediaType`](Self::UnsupportedMediaType) | 415, with `Accept-Patch`: [`accept_patch`](Self::accept_patch) |
/// | [`Malformed`](Self::Malformed) | 400 |
/// | [`MergePatch`](Self::MergePatch), [`Apply`](Self::Apply) | 422 |
/// | [`JsonPatch`](Self::JsonPatch) | 409, 422 or 400 by the error, 500 for [`JsonPatchError::Serialize`] |
/// | [`Scim`](Self::Scim) | 400 (RFC 7644 §3.12), 500 for a model that does not serialize to a JSON object |
///
/// The statuses follow RFC 5789 §2.2: 400 for a body that is not a document of its dialect
/// ("Malformed patch document"); 422 for a well-formed document whose change the resource
/// cannot take ("Unprocessable request": `null` on a required attribute, a value of the wrong
/// type, an attribute that the model does not have), since any JSON is a well-formed merge
/// patch (RFC 7396 §2) and its meaning is clear, only not one that the model can hold; 409 for
/// JSON Patch operations that the resource's present state refuses ("Conflicting state": a
/// path to nothing, a `test` that fails, RFC 6902 §5). A SCIM body is answered as RFC 7644
/// §3.12 says instead, 400 with the [`scim_type`](Self::scim_type) (`invalidValue` for a
/// required attribute removed), which SCIM clients read.
///
/// ```
/// use sparse_patch::{Patch, PatchBodyError, PatchDialect, Patchable};
///
/// #[derive(Patchable, Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
/// #[patchable(deny_unknown_fields)]
/// struct Contact { email: String, phone: Option<String> }
///
/// /// The answer to a refused body: status, headers, text.
/// fn answer(error: &PatchBodyError) -> (u16, Vec<(&'static str, &'static str)>, String) {
///     let headers = error.accept_patch().map(|value| ("accept-patch", value)).into_iter().collect();
///     (error.status(), headers, error.to_string())
/// }
///
/// let stored = Contact { email: "ada@example.com".into(), phone: None };
/// let read = |content_type: &str, body: &str| -> Result<ContactPatch, PatchBodyError> {
///     let dialect = PatchDialect::from_content_type(content_type)?;
///     ContactPatch::from_body(dialect, body.as_bytes(), &stored)
/// };
/// let (status, headers, _) = answer(&read("text/plain", "{}").unwrap_err());
/// assert_eq!((status, headers), (415, vec![("accept-patch", sparse_patch::ACCEPT_PATCH)]));
/// let (status, _, text) = answer(&read("application/merge-patch+json", r#"{"email": null}"#).unwrap_err());
/// assert_eq!(status, 422);
/// assert!(text.contains("invalid value: null for `email`"), "{text}");
/// assert_eq!(answer(&read("application/merge-patch+json", "{").unwrap_err()).0, 400);
/// ```
///
/// Its text and `Debug` show serde_json's message about the body escaped (serde quotes an
/// unknown `op` or member's name as it is) and shortened, keeping what was expected and the
/// line and column: an unknown `op` of a megabyte went whole into both.
#[non_exhaustive]
pub enum PatchBodyError {
    /// The `Content-Type` names no dialect that the resource takes (415).
    UnsupportedMediaType(UnsupportedMediaType),
    /// The body is no document of its dialect (400): not JSON (an empty body included), or,
    /// for JSON Patch and SCIM, JSON that is not an array of operations (an unknown `op`, a
    /// `path` that is no JSON Pointer) or not a PatchOp message (its `schemas` without
    /// [`SCIM_PATCH_OP_SCHEMA`](crate::SCIM_PATCH_OP_SCHEMA); `invalidSyntax`).
    Malformed {
        /// The dialect that the body was read as.
        dialect: PatchDialect,
        /// serde_json's error, with its line and column (none for a body in UTF-16 or UTF-32).
        error: serde_json::Error,
    },
    /// A merge patch that the typed patch refuses (422): `null` on a required attribute, a
    /// value of the wrong type, an attribute that a patch with `deny_unknown_fields` does not
    /// have, a body that is not an object.
    MergePatch(serde_json::Error),
    /// A merge patch that the typed patch reads but the model refuses (422): a nested object
    /// built without a required attribute, a keyed array with two elements of one key
    /// ([`Patchable::apply`](crate::Patchable::apply) would refuse it).
    Apply(ApplyError),
    /// JSON Patch operations that could not be applied or whose change the patch cannot hold
    /// ([`Patch::from_json_patch`](crate::Patch::from_json_patch)).
    JsonPatch(JsonPatchError),
    /// A SCIM PatchOp message that could not be applied or whose change the patch cannot hold
    /// ([`Patch::from_scim_patch`](crate::Patch::from_scim_patch)).
    Scim(ScimPatchError),
}

impl PatchBodyError {
    /// The HTTP status to answer with (see the table of [`PatchBodyError`]): 415, 400, 409,
    /// 422, or 500 where the server's own model does not serialize to JSON (for SCIM, to a
    /// JSON object, RFC 7643 §2: the server's fault, not the body's). As a number: `axum::http::StatusCode::from_u16(error.status())`.
    ///
    /// A JSON Patch operation that cannot be applied is 409 ("Conflicting state", RFC 5789
    /// §2.2), except where its document breaks RFC 6902 itself, whatever the resource holds
    /// (a `move` into its own child, §4.4; a `path` that is no JSON Pointer): 400. The removal
    /// of the whole document and the limits on what `copy` and `move` build are 422: the
    /// document is well-formed, and no state of the resource would take it.
    #[must_use]
    pub fn status(&self) -> u16 {
        match self {
            PatchBodyError::UnsupportedMediaType(_) => 415,
            PatchBodyError::Malformed { .. } => 400,
            PatchBodyError::MergePatch(_) | PatchBodyError::Apply(_) => 422,
            PatchBodyError::JsonPatch(error) => match error {
                JsonPatchError::Operation { fault, .. } => match fault {
                    PointerFault::NotAPointer { .. } | PointerFault::MoveIntoChild { .. } => 400,
                    PointerFault::WholeDocument => 422,
                    _ => 409,
                },
                JsonPatchError::Serialize(_) => 500,
                _ => 422,
            },
            PatchBodyError::Scim(error) => match error {
                ScimPatchError::Serialize(_) | ScimPatchError::NotAnObject { .. } => 500,
                _ => 400,
            },
        }
    }

    /// The `scimType` of RFC 7644 §3.12 for a SCIM body's error, for the SCIM error body
    /// (`{"schemas": ["urn:ietf:params:scim:api:messages:2.0:Error"], "status": "400",
    /// "scimType": ..., "detail": ...}`, which [`scim_error`](Self::scim_error) writes whole):
    /// `invalidSyntax` for a body that is no PatchOp
    /// message, and [`ScimPatchError::scim_type`]'s otherwise. `None` for the other dialects,
    /// and for a SCIM error of the server's own (status 500).
    #[must_use]
    pub fn scim_type(&self) -> Option<&'static str> {
        match self {
            PatchBodyError::Malformed {
                dialect: PatchDialect::ScimPatchOp,
                ..
            } => Some("invalidSyntax"),
            PatchBodyError::Scim(error) => error.scim_type(),
            _ => None,
        }
    }

    /// The body of the SCIM error response (RFC 7644 §3.12) for a SCIM body's refusal, which
    /// SCIM clients read: `schemas` ([`SCIM_ERROR_SCHEMA`](crate::SCIM_ERROR_SCHEMA)),
    /// `status` ([`status`](Self::status) as a string, as §3.12 writes it), `scimType`
    /// ([`scim_type`](Self::scim_type), left out where there is none, for an error of the
    /// server's own) and `detail` (the error's text). `None` for the other dialects' errors and
    /// a 415, which have no SCIM meaning: answer them as the server answers its other errors.
    ///
    /// ```
    /// use serde_json::json;
    /// use sparse_patch::{Patch, PatchDialect, Patchable};
    ///
    /// #[derive(Patchable, Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
    /// struct Group { display_name: String }
    ///
    /// let stored = Group { display_name: "Admins".into() };
    /// let body = br#"{"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
    ///                 "Operations": [{"op": "remove", "path": "display_name"}]}"#;
    /// let error = GroupPatch::from_body(PatchDialect::ScimPatchOp, body, &stored).unwrap_err();
    /// let answer = error.scim_error().unwrap();
    /// assert_eq!(answer["schemas"], json!(["urn:ietf:params:scim:api:messages:2.0:Error"]));
    /// assert_eq!((&answer["status"], &answer["scimType"]), (&json!("400"), &json!("invalidValue")));
    /// assert!(answer["detail"].as_str().unwrap().contains("`display_name`"), "{answer}");
    ///
    /// let error = GroupPatch::from_body(PatchDialect::MergePatch, b"{\"display_name\": null}", &stored);
    /// assert_eq!(error.unwrap_err().scim_error(), None);
    /// ```
    #[must_use]
    pub fn scim_error(&self) -> Option<serde_json::Value> {
        let scim_body = matches!(
            self,
            PatchBodyError::Malformed {
                dialect: PatchDialect::ScimPatchOp,
                ..
            } | PatchBodyError::Scim(_)
        );
        if !scim_body {
            return None;
        }
        let mut answer = serde_json::json!({
            "schemas": [crate::SCIM_ERROR_SCHEMA],
            "status": self.status().to_string(),
            "detail": self.to_string(),
        });
        if let Some(scim_type) = self.scim_type() {
            answer["scimType"] = scim_type.into();
        }
        Some(answer)
    }

    /// The `Accept-Patch` header (RFC 5789 §3.1) to send with a 415:
    /// [`ACCEPT_PATCH`](crate::ACCEPT_PATCH) for
    /// [`UnsupportedMediaType`](Self::UnsupportedMediaType), `None` for the other errors.
    #[must_use]
    pub fn accept_patch(&self) -> Option<&'static str> {
        match self {
            PatchBodyError::UnsupportedMediaType(_) => Some(crate::ACCEPT_PATCH),
            _ => None,
        }
    }
}

impl fmt::Display for PatchBodyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PatchBodyError::UnsupportedMediaType(error) => error.fmt(f),
            PatchBodyError::Malformed { dialect, error } => {
                write!(f, "the body is not {dialect}: {}", ReaderError(error))
            }
            PatchBodyError::MergePatch(error) => write!(
                f,
                "the merge patch is not one that this resource takes: {}",
                ReaderError(error)
            ),
            PatchBodyError::Apply(error) => error.fmt(f),
            PatchBodyError::JsonPatch(error) => error.fmt(f),
            PatchBodyError::Scim(error) => error.fmt(f),
        }
    }
}

impl fmt::Debug for PatchBodyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PatchBodyError::UnsupportedMediaType(error) => {
                f.debug_tuple("UnsupportedMediaType").field(error).finish()
            }
            PatchBodyError::Malformed { dialect, error } => f
                .debug_struct("Malformed")
                .field("dialect", dialect)
                .field("error", &ReaderError(error))
                .finish(),
            PatchBodyError::MergePatch(error) => f
                .debug_tuple("MergePatch")
                .field(&ReaderError(error))
                .finish(),
            PatchBodyError::Apply(error) => f.debug_tuple("Apply").field(error).finish(),
            PatchBodyError::JsonPatch(error) => f.debug_tuple("JsonPatch").field(error).finish(),
            PatchBodyError::Scim(error) => f.debug_tuple("Scim").field(error).finish(),
        }
    }
}

/// No [`source`](std::error::Error::source): the text already writes the wrapped error's, as
/// the wrapped errors do (a report that walks the chain would print it twice).
impl std::error::Error for PatchBodyError {}

/// A `Content-Type` that names no dialect: `?` in a handler that returns [`PatchBodyError`].
impl From<UnsupportedMediaType> for PatchBodyError {
    fn from(error: UnsupportedMediaType) -> Self {
        PatchBodyError::UnsupportedMediaType(error)
    }
}

/// [`PatchBodyError::JsonPatch`].
impl From<JsonPatchError> for PatchBodyError {
    fn from(error: JsonPatchError) -> Self {
        PatchBodyError::JsonPatch(error)
    }
}

/// [`PatchBodyError::Scim`].
impl From<ScimPatchError> for PatchBodyError {
    fn from(error: ScimPatchError) -> Self {
        PatchBodyError::Scim(error)
    }
}
