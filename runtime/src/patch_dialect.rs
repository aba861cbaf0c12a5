//! [`PatchDialect`]: which of the three PATCH dialects a request's `Content-Type` names, for a
//! server that reads them ([`Patch::from_body`](crate::Patch::from_body)); [`ACCEPT_PATCH`],
//! the `Accept-Patch` value that lists them; [`UnsupportedMediaType`] for any other type.

use core::fmt;

use crate::{JSON_PATCH_CONTENT_TYPE, MERGE_PATCH_CONTENT_TYPE, SCIM_CONTENT_TYPE};

/// The value of the `Accept-Patch` header (RFC 5789 §3.1) of a resource that takes the three
/// dialects that [`PatchDialect`] names: their media types, in [`PatchDialect::ALL`]'s order,
/// separated by `", "`. A server sends it with a 415 answer (RFC 5789 §2.2, "Unsupported
/// patch document") and with the answer to `OPTIONS` (RFC 5789 §3.1: "SHOULD appear in the
/// OPTIONS response for any resource that supports the use of the PATCH method"), and may send
/// it with its other answers.
///
/// A server that takes fewer dialects writes its own value from theirs:
///
/// ```
/// use sparse_patch::{ACCEPT_PATCH, PatchDialect};
///
/// assert_eq!(
///     ACCEPT_PATCH,
///     "application/merge-patch+json, application/json-patch+json, application/scim+json"
/// );
/// let taken = [PatchDialect::MergePatch, PatchDialect::JsonPatch];
/// let value = taken.map(PatchDialect::media_type).join(", ");
/// assert_eq!(value, "application/merge-patch+json, application/json-patch+json");
/// ```
pub const ACCEPT_PATCH: &str =
    "application/merge-patch+json, application/json-patch+json, application/scim+json";

/// One of the three dialects of a `PATCH` body that a typed patch reads, named by the
/// request's `Content-Type` ([`from_content_type`](PatchDialect::from_content_type)), and read
/// by [`Patch::from_body`](crate::Patch::from_body).
///
/// ```
/// use sparse_patch::PatchDialect;
///
/// let dialect = PatchDialect::from_content_type("Application/Merge-Patch+JSON; charset=utf-8");
/// assert_eq!(dialect, Ok(PatchDialect::MergePatch));
/// assert_eq!(PatchDialect::JsonPatch.media_type(), "application/json-patch+json");
///
/// let refused = PatchDialect::from_content_type("text/plain").unwrap_err();
/// assert_eq!(refused.content_type(), "text/plain");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PatchDialect {
    /// A JSON merge patch (RFC 7396), `application/merge-patch+json` (RFC 7396 §4): the
    /// attributes to set, `null` for those to remove.
    MergePatch,
    /// An RFC 6902 JSON Patch document, `application/json-patch+json` (RFC 6902 §6): an array
    /// of operations on JSON Pointers.
    JsonPatch,
    /// A SCIM PatchOp message (RFC 7644 §3.5.2), `application/scim+json` (RFC 7644 §3.1 and
    /// §8.1): `{"schemas": [...PatchOp], "Operations": [...]}`.
    ScimPatchOp,
}

impl PatchDialect {
    /// The three dialects, in the order in which [`ACCEPT_PATCH`] lists them.
    pub const ALL: [PatchDialect; 3] = [
        PatchDialect::MergePatch,
        PatchDialect::JsonPatch,
        PatchDialect::ScimPatchOp,
    ];

    /// The dialect whose media type `content_type` (a `Content-Type` header's value) names:
    /// `application/merge-patch+json` ([`MergePatch`](PatchDialect::MergePatch)),
    /// `application/json-patch+json` ([`JsonPatch`](PatchDialect::JsonPatch)) or
    /// `application/scim+json` ([`ScimPatchOp`](PatchDialect::ScimPatchOp)).
    ///
    /// The value is read as RFC 9110 §8.3.1 writes a media type: `type/subtype` compared in
    /// any ASCII case, optional white space (spaces, tabs) around it and before the `;` of a
    /// parameter, and the parameters ignored (`; charset=utf-8`: JSON is UTF-8, RFC 8259 §8.1,
    /// and none of the three types defines a parameter). White space inside `type/subtype`
    /// (`application / scim+json`) is no media type, and refused, as is a list of types (a
    /// comma outside a quoted parameter value: two `Content-Type` lines folded into one).
    ///
    /// `application/json` is refused: it does not say which dialect the body is. PingOne and
    /// GitHub read a merge patch from it, and some SCIM clients send their PatchOp messages
    /// with it (RFC 7644 §3.8 has a service provider take JSON; `application/scim+json` is the
    /// type it registers). A server that gives `application/json` one meaning says which with
    /// [`from_content_type_with_json`](PatchDialect::from_content_type_with_json). Vendor types
    /// are refused too (PingOne's `application/vnd.pingidentity.user.scim.patch+json`, which
    /// only its own API reads).
    ///
    /// ```
    /// use sparse_patch::PatchDialect;
    ///
    /// for content_type in [
    ///     "application/json-patch+json",
    ///     " APPLICATION/JSON-PATCH+JSON ",
    ///     "application/json-patch+json;charset=UTF-8",
    ///     "application/json-patch+json \t; charset=\"utf-8\"; q=1",
    /// ] {
    ///     assert_eq!(PatchDialect::from_content_type(content_type), Ok(PatchDialect::JsonPatch));
    /// }
    /// for content_type in ["", "application/json", "application/json-patch", "application / scim+json"] {
    ///     assert!(PatchDialect::from_content_type(content_type).is_err(), "{content_type:?}");
    /// }
    /// ```
    ///
    /// # Errors
    ///
    /// [`UnsupportedMediaType`], holding `content_type`, for any other value, an empty one
    /// (a request without `Content-Type`) included: the server answers 415 with
    /// [`ACCEPT_PATCH`] (RFC 5789 §2.2).
    pub fn from_content_type(content_type: &str) -> Result<Self, UnsupportedMediaType> {
        let essence = media_type_essence(content_type);
        PatchDialect::ALL
            .into_iter()
            .find(|dialect| essence.eq_ignore_ascii_case(dialect.media_type()))
            .filter(|_| is_one_media_type(content_type))
            .ok_or_else(|| UnsupportedMediaType {
                content_type: content_type.to_owned(),
            })
    }

    /// As [`from_content_type`](PatchDialect::from_content_type), and `application/json` (in
    /// any case, with any parameters) read as `json`: the dialect that the server's own
    /// clients send with it. A SCIM service provider whose clients send PatchOp messages as
    /// `application/json` passes [`ScimPatchOp`](PatchDialect::ScimPatchOp); an API that reads
    /// a merge patch from it, as PingOne and GitHub do,
    /// [`MergePatch`](PatchDialect::MergePatch). The body is read as that dialect only: it is
    /// not guessed from its shape.
    ///
    /// ```
    /// use sparse_patch::PatchDialect;
    ///
    /// let scim = PatchDialect::ScimPatchOp;
    /// assert_eq!(PatchDialect::from_content_type_with_json("application/json; charset=utf-8", scim), Ok(scim));
    /// assert_eq!(
    ///     PatchDialect::from_content_type_with_json("application/merge-patch+json", scim),
    ///     Ok(PatchDialect::MergePatch)
    /// );
    /// ```
    ///
    /// # Errors
    ///
    /// [`UnsupportedMediaType`] as [`from_content_type`](PatchDialect::from_content_type)
    /// says, for a type that is neither one of the three nor `application/json`.
    pub fn from_content_type_with_json(
        content_type: &str,
        json: PatchDialect,
    ) -> Result<Self, UnsupportedMediaType> {
        if media_type_essence(content_type).eq_ignore_ascii_case("application/json")
            && is_one_media_type(content_type)
        {
            return Ok(json);
        }
        PatchDialect::from_content_type(content_type)
    }

    /// The dialect's registered media type, in lower case: [`MERGE_PATCH_CONTENT_TYPE`],
    /// [`JSON_PATCH_CONTENT_TYPE`] or [`SCIM_CONTENT_TYPE`].
    #[must_use]
    pub const fn media_type(self) -> &'static str {
        match self {
            PatchDialect::MergePatch => MERGE_PATCH_CONTENT_TYPE,
            PatchDialect::JsonPatch => JSON_PATCH_CONTENT_TYPE,
            PatchDialect::ScimPatchOp => SCIM_CONTENT_TYPE,
        }
    }
}

/// The dialect's name and RFC: `a JSON merge patch (RFC 7396)`.
impl fmt::Display for PatchDialect {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            PatchDialect::MergePatch => "a JSON merge patch (RFC 7396)",
            PatchDialect::JsonPatch => "a JSON Patch document (RFC 6902)",
            PatchDialect::ScimPatchOp => "a SCIM PatchOp message (RFC 7644 §3.5.2)",
        })
    }
}

/// `type/subtype` of a `Content-Type` value (RFC 9110 §8.3.1): what comes before the first
/// `;`, without the optional white space (spaces and tabs, `OWS`) around it. Its case is kept;
/// compare it in any ASCII case. (Also the emulator's reading of its requests' types.)
pub(crate) fn media_type_essence(content_type: &str) -> &str {
    let essence = content_type.split(';').next().unwrap_or_default();
    essence.trim_matches([' ', '\t'])
}

/// Whether `content_type` is one media type, not a list of them: no comma outside a quoted
/// parameter value (RFC 9110 §5.6.4, with its `\` escapes), and no quoted value left open. A
/// comma is no part of a type, subtype or parameter (RFC 9110 §5.6.2, §5.6.6), and two
/// `Content-Type` lines that a proxy or framework folded into one (RFC 9110 §5.3) say two
/// types, of which the body is at most one: `application/merge-patch+json; charset=utf-8,
/// application/scim+json` was read as a merge patch, where the same list without the
/// parameter was refused.
fn is_one_media_type(content_type: &str) -> bool {
    let mut quoted = false;
    let mut escaped = false;
    for byte in content_type.bytes() {
        match (quoted, escaped, byte) {
            (true, true, _) => escaped = false,
            (true, false, b'\\') => escaped = true,
            (_, false, b'"') => quoted = !quoted,
            (false, _, b',') => return false,
            _ => {}
        }
    }
    !quoted
}

/// A `Content-Type` that names none of the dialects of [`PatchDialect`] (or none at all): a
/// server answers 415 Unsupported Media Type with an `Accept-Patch` header, [`ACCEPT_PATCH`]
/// (RFC 5789 §2.2, "Unsupported patch document"). Its text quotes the `Content-Type` escaped
/// as Rust's `Debug` writes a string, and only its first 200 characters (then `…` and its
/// length) where it is longer; [`content_type`](Self::content_type) gives it whole. So does
/// its `Debug` (which `unwrap` and `tracing`'s `?error` print): a header of a megabyte went
/// whole into it.
#[derive(Clone, PartialEq, Eq)]
pub struct UnsupportedMediaType {
    content_type: String,
}

impl UnsupportedMediaType {
    /// The `Content-Type` value as it came, empty for a request without one.
    #[must_use]
    pub fn content_type(&self) -> &str {
        &self.content_type
    }
}

/// How many characters of a refused `Content-Type` [`UnsupportedMediaType`]'s text quotes: the
/// header is the client's, as long as the server lets it be.
const CONTENT_TYPE_CHARS: usize = 200;

impl fmt::Display for UnsupportedMediaType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.content_type.trim_matches([' ', '\t']).is_empty() {
            f.write_str("the request has no Content-Type")?;
        } else {
            write!(
                f,
                "the Content-Type {} is not a patch media type that this resource takes",
                crate::quoted::Quoted {
                    text: &self.content_type,
                    max: CONTENT_TYPE_CHARS
                }
            )?;
        }
        write!(f, "; it takes {ACCEPT_PATCH} (RFC 5789 §2.2)")
    }
}

impl fmt::Debug for UnsupportedMediaType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("UnsupportedMediaType")
            .field(
                "content_type",
                &crate::quoted::Quoted {
                    text: &self.content_type,
                    max: CONTENT_TYPE_CHARS,
                },
            )
            .finish()
    }
}

impl std::error::Error for UnsupportedMediaType {}

#[cfg(test)]
mod tests {
    use super::{ACCEPT_PATCH, PatchDialect, UnsupportedMediaType};

    fn read(content_type: &str) -> Result<PatchDialect, UnsupportedMediaType> {
        PatchDialect::from_content_type(content_type)
    }

    /// `ACCEPT_PATCH` lists the media types of `ALL`, in that order.
    #[test]
    fn accept_patch_lists_every_dialects_media_type() {
        let listed = PatchDialect::ALL.map(PatchDialect::media_type).join(", ");
        assert_eq!(ACCEPT_PATCH, listed);
        for dialect in PatchDialect::ALL {
            assert_eq!(read(dialect.media_type()), Ok(dialect));
        }
    }

    /// Parameters are ignored, whatever they hold (RFC 9110 §8.3.1: `*( OWS ";" OWS
    /// [ parameter ] )`), the optional white space before them too.
    #[test]
    fn parameters_are_ignored() {
        for content_type in [
            "application/scim+json;charset=utf-8",
            "application/scim+json; charset=UTF-8",
            "application/scim+json ; charset=\"utf-8\"",
            "application/scim+json\t;\tcharset=utf-8; profile=x",
            "application/scim+json;",
            "application/scim+json;;",
        ] {
            assert_eq!(
                read(content_type),
                Ok(PatchDialect::ScimPatchOp),
                "{content_type:?}"
            );
        }
    }

    /// Type and subtype compare in any ASCII case (RFC 9110 §8.3.1).
    #[test]
    fn type_and_subtype_in_any_case() {
        for content_type in [
            "APPLICATION/MERGE-PATCH+JSON",
            "Application/Merge-Patch+Json",
            "application/MERGE-patch+json; Charset=UTF-8",
        ] {
            assert_eq!(
                read(content_type),
                Ok(PatchDialect::MergePatch),
                "{content_type:?}"
            );
        }
        // ASCII case only: the long s (U+017F), which Unicode upper-cases to `S`, is no `s`.
        assert!(read("application/\u{17f}cim+json").is_err());
    }

    /// Spaces and tabs around the media type are `OWS`; white space inside it, or another
    /// kind around it, is not.
    #[test]
    fn white_space_around_but_not_inside() {
        for content_type in [
            " application/json-patch+json",
            "application/json-patch+json \t",
            "\tapplication/json-patch+json",
        ] {
            assert_eq!(
                read(content_type),
                Ok(PatchDialect::JsonPatch),
                "{content_type:?}"
            );
        }
        for content_type in [
            "application /json-patch+json",
            "application/ json-patch+json",
            "application/json-patch +json",
            "application/json-patch+json\n",
            "\u{a0}application/json-patch+json",
        ] {
            assert!(read(content_type).is_err(), "{content_type:?}");
        }
    }

    /// Only the three registered `+json` types: not their neighbours, not the bare structured
    /// suffix, not a vendor's type; `application/json` only where the server says what it is.
    #[test]
    fn only_the_three_json_types() {
        for content_type in [
            "application/json",
            "application/merge-patch",
            "application/json-patch",
            "application/scim",
            "application/patch+json",
            "application/x-merge-patch+json",
            "text/merge-patch+json",
            "application/merge-patch+json-seq",
            "application/merge-patch+jsonx",
            "application/vnd.pingidentity.user.scim.patch+json",
            "+json",
        ] {
            let error = read(content_type).unwrap_err();
            assert_eq!(error.content_type(), content_type);
        }
        for json in PatchDialect::ALL {
            for content_type in ["application/json", "Application/JSON; charset=utf-8"] {
                assert_eq!(
                    PatchDialect::from_content_type_with_json(content_type, json),
                    Ok(json)
                );
            }
            assert_eq!(
                PatchDialect::from_content_type_with_json("application/scim+json", json),
                Ok(PatchDialect::ScimPatchOp)
            );
            assert!(PatchDialect::from_content_type_with_json("text/json", json).is_err());
        }
    }

    /// A list of media types (two `Content-Type` lines folded into one, RFC 9110 §5.3) is
    /// refused, with parameters before the comma or not; a comma, `;` or escaped quote inside
    /// a quoted parameter value (RFC 9110 §5.6.4) is no list. Before, a list whose first type
    /// had a parameter was read as that type.
    #[test]
    fn a_list_of_media_types_is_refused() {
        for content_type in [
            "application/merge-patch+json, application/json",
            "application/merge-patch+json; charset=utf-8, application/scim+json",
            "application/merge-patch+json;, application/scim+json",
            "application/scim+json; x=\"a\", application/json",
            "application/scim+json; x=\"a\\\", application/json",
            "application/scim+json; x=\"a, application/json",
        ] {
            let error = read(content_type).unwrap_err();
            assert_eq!(error.content_type(), content_type);
            assert!(
                PatchDialect::from_content_type_with_json(content_type, PatchDialect::MergePatch)
                    .is_err(),
                "{content_type:?}"
            );
        }
        assert!(
            PatchDialect::from_content_type_with_json(
                "application/json; charset=utf-8, application/scim+json",
                PatchDialect::MergePatch
            )
            .is_err()
        );
        for content_type in [
            "application/scim+json; x=\"a, b\"",
            "application/scim+json; x=\"a; b=c\"; charset=utf-8",
            "application/scim+json; x=\"say \\\"a, b\\\"\"",
            "application/scim+json; x=\"a\\\\\"; y=1",
        ] {
            assert_eq!(
                read(content_type),
                Ok(PatchDialect::ScimPatchOp),
                "{content_type:?}"
            );
        }
    }

    /// No value, white space only, and garbage are refused, and the text says which.
    #[test]
    fn empty_and_garbage_are_refused() {
        for content_type in [
            "",
            " ",
            ";",
            "; charset=utf-8",
            "/",
            "application/",
            "/merge-patch+json",
            "merge-patch+json",
            "\u{0}",
            "application/merge-patch+json\u{0}",
            "🙂",
        ] {
            assert!(read(content_type).is_err(), "{content_type:?}");
        }
        assert_eq!(
            read("").unwrap_err().to_string(),
            "the request has no Content-Type; it takes application/merge-patch+json, \
             application/json-patch+json, application/scim+json (RFC 5789 §2.2)"
        );
        // White space alone is no Content-Type either (mutation audit 148: telling an empty
        // value alone so changed no test).
        assert!(
            read(" \t")
                .unwrap_err()
                .to_string()
                .starts_with("the request has no Content-Type;")
        );
        assert!(
            read("text/plain\u{1b}[31m")
                .unwrap_err()
                .to_string()
                .starts_with(
                    r#"the Content-Type "text/plain\u{1b}[31m" is not a patch media type"#
                ),
            "the caller's value is quoted and escaped"
        );
    }
}
