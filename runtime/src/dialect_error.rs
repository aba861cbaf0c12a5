//! [`DialectError`]: why a patch could not be written as RFC 6902 JSON Patch operations or as
//! SCIM operations.

use core::fmt;

use crate::keyed_array::KeyProblem;
use crate::quoted::{EscapedCut, Quoted, ReaderError};

mod debug;

/// Why [`Patch::to_json_patch`](crate::Patch::to_json_patch),
/// [`Patch::to_scim_patch`](crate::Patch::to_scim_patch), [`diff_keyed`](crate::diff_keyed)
/// or [`merge_patch_to_vec`](crate::merge_patch_to_vec) could not write a patch.
///
/// Its text and `Debug` quote each name and path of the model's JSON (a map key, untyped
/// JSON's member, which may be data of any length): in backticks where that shows it as it
/// is, else quoted and escaped as Rust's `Debug` writes a string (an empty name, a control or
/// invisible format character, white space at an end), and one longer than 200 characters
/// cut to them, then `…` and its length; a value or reason escaped and cut alike to 1,000
/// characters. The fields keep everything.
#[non_exhaustive]
pub enum DialectError {
    /// The model or the patch did not serialize to JSON (a map with keys that are not strings,
    /// a `Serialize` impl that failed). The text writes serde_json's error, which is not also
    /// the [`source`](std::error::Error::source).
    Serialize(serde_json::Error),
    /// The model's or the patch's JSON is not an object, so it has no attributes to address.
    NotAnObject {
        /// `"model"` or `"patch"`.
        what: &'static str,
    },
    /// Two elements of a keyed array have the same key (RFC 7644 §3.5.2 filters could not
    /// tell them apart).
    DuplicateKey {
        /// The array's attribute name.
        attribute: String,
        /// The key attribute.
        key: String,
        /// The shared key's value, as JSON text.
        value: String,
        /// Whether the array is the patch's (the target) rather than the base model's.
        in_patch: bool,
    },
    /// An element of a keyed array is not an object, or its key is missing, `null`, an array
    /// or an object, which a filter cannot compare (RFC 7644 §3.4.2.2).
    ElementWithoutKey {
        /// The array's attribute name.
        attribute: String,
        /// The key attribute.
        key: String,
        /// The element's index, from 0.
        index: usize,
        /// What is there instead.
        found: String,
        /// Whether the array is the patch's (the target) rather than the base model's.
        in_patch: bool,
    },
    /// An attribute name that a SCIM path cannot carry: a letter followed by letters, digits,
    /// `-` and `_` (`ATTRNAME`, RFC 7643 §2.1 and RFC 7644 §3.4.2.2, Figure 1), optionally
    /// qualified by a schema URN whose member is an object of such attributes (RFC 7644 §3.10).
    ScimName {
        /// The dotted path of the attribute, as far as it goes.
        path: String,
    },
    /// Two attributes of one object whose names differ only in ASCII case (`title`, `Title`;
    /// attribute names are ASCII, and `é` and `É` are two names, as the applier reads them), where
    /// the patch's result would hold both, or would remove one and keep the other: SCIM reads
    /// attribute names in any case (RFC 7643 §2.1), so a server holds one attribute there, and
    /// an operation on either name would overwrite or remove the other. (A name removed and
    /// its case variant set, a rename in case only, is written: the `remove` goes first.)
    ScimNameCase {
        /// The attribute that the patch sets or removes, as a path.
        path: String,
        /// The other attribute, of the patch or of the model, as a path.
        other: String,
    },
    /// A number that the output cannot carry: a float that is not finite (NaN, an infinity),
    /// which serde_json writes as `null`, so that the output would `remove` the attribute
    /// instead of setting it; or an integer outside the 64-bit range (`i128`, `u128`), which
    /// the `serde_json::Value` the outputs are built from cannot hold.
    Number {
        /// Where the number is: attribute names joined with `.`, array indexes as `[2]`
        /// (empty for a value that is itself the number).
        path: String,
        /// What the number is and why it cannot be written.
        reason: String,
        /// Whether the number is the patch's rather than the base model's.
        in_patch: bool,
    },
}

impl DialectError {
    /// The error for a number that [`unrepresentable`](crate::json_number::unrepresentable)
    /// found.
    pub(crate) fn number(found: crate::json_number::Unrepresentable, in_patch: bool) -> Self {
        DialectError::Number {
            path: found.path,
            reason: found.reason,
            in_patch,
        }
    }
}

impl DialectError {
    /// The error for a keyed array's [`KeyProblem`].
    pub(crate) fn from_key_problem(
        attribute: &str,
        key: &str,
        problem: KeyProblem,
        in_patch: bool,
    ) -> Self {
        match problem {
            KeyProblem::Duplicate(value) => DialectError::DuplicateKey {
                attribute: attribute.to_owned(),
                key: key.to_owned(),
                value,
                in_patch,
            },
            KeyProblem::WithoutKey { index, found } => DialectError::ElementWithoutKey {
                attribute: attribute.to_owned(),
                key: key.to_owned(),
                index,
                found,
                in_patch,
            },
        }
    }
}

impl DialectError {
    /// This error without the values of a keyed array that it quotes: the shared key of two
    /// elements ([`DuplicateKey`](DialectError::DuplicateKey)) and the element or key found
    /// instead of a usable key ([`ElementWithoutKey`](DialectError::ElementWithoutKey)), said
    /// by its kind. For [`Client::update_user_scim`](crate::pingone::Client::update_user_scim),
    /// whose model is the user as PingOne answered it, and whose patch's array is that user's
    /// with the caller's changes: a keyed array of a user's (phone numbers, emails keyed by
    /// `value`) quoted a value of that user's into the error that a caller logs, which
    /// PingOne's answers otherwise never reach. What was wrong, the attribute, the key, the
    /// element's index and which array held it stay.
    #[cfg(feature = "client")]
    pub(crate) fn without_values(self) -> Self {
        match self {
            DialectError::DuplicateKey {
                attribute,
                key,
                value: _,
                in_patch,
            } => DialectError::DuplicateKey {
                attribute,
                key,
                value: String::from("a value (not shown)"),
                in_patch,
            },
            DialectError::ElementWithoutKey {
                attribute,
                key,
                index,
                found,
                in_patch,
            } => DialectError::ElementWithoutKey {
                attribute,
                key,
                index,
                found: crate::keyed_array::without_quoted_element(found),
                in_patch,
            },
            other => other,
        }
    }
}

/// A dotted path in an error: in backticks, or quoted and escaped (Rust's `Debug` of a string)
/// where backticks would hide a name, or its text would reach a terminal as it is: an empty
/// one (said so), a character that [`Escaped`](crate::quoted::Escaped) escapes (a newline, an
/// escape sequence, a bidi override), white space at an end; and one longer than
/// [`PATH_CHARS`] characters (a map key of a megabyte) quoted and cut to them, with its length
/// ([`Quoted`]).
pub(crate) struct Shown<'a>(pub(crate) &'a str);

/// How many characters of a path [`Shown`] shows.
pub(crate) const PATH_CHARS: usize = 200;

impl Shown<'_> {
    /// The path without backticks where it needs no quoting: for lists of names.
    #[cfg(feature = "client")]
    pub(crate) fn bare(&self) -> String {
        if self.needs_quoting() {
            self.to_string()
        } else {
            self.0.to_owned()
        }
    }

    fn has_empty_name(&self) -> bool {
        let path = self.0;
        path.is_empty() || path.starts_with('.') || path.ends_with('.') || path.contains("..")
    }

    fn needs_quoting(&self) -> bool {
        let path = self.0;
        self.has_empty_name()
            || path.chars().any(crate::quoted::outside_text)
            || path.trim() != path
            || path.chars().nth(PATH_CHARS).is_some()
    }
}

impl fmt::Display for Shown<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let path = self.0;
        let quoted = Quoted {
            text: path,
            max: PATH_CHARS,
        };
        if self.has_empty_name() {
            write!(f, "{quoted} (an empty attribute name)")
        } else if self.needs_quoting() {
            write!(f, "{quoted}")
        } else {
            write!(f, "`{path}`")
        }
    }
}

/// How many characters of a value or reason (a keyed array's key as JSON, the element found,
/// why a number cannot be written) [`DialectError`]'s text and `Debug` show.
const VALUE_CHARS: usize = 1_000;

/// `"the patch's"` or `"the model's"`.
fn side(in_patch: bool) -> &'static str {
    if in_patch {
        "the patch's"
    } else {
        "the model's"
    }
}

impl fmt::Display for DialectError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DialectError::Serialize(error) => write!(
                f,
                "the model or the patch does not serialize to JSON: {}",
                ReaderError(error)
            ),
            DialectError::NotAnObject { what } => {
                write!(f, "the {what}'s JSON is not an object")
            }
            DialectError::DuplicateKey {
                attribute,
                key,
                value,
                in_patch,
            } => write!(
                f,
                "two elements of {} {} have the key {} = {}; a keyed array's elements need distinct keys",
                side(*in_patch),
                Shown(attribute),
                Shown(key),
                EscapedCut(value, VALUE_CHARS)
            ),
            DialectError::ElementWithoutKey {
                attribute,
                key,
                index,
                found,
                in_patch,
            } => write!(
                f,
                "element {index} of {} {} has no key {} that a filter can compare (a string, number or boolean): {}",
                side(*in_patch),
                Shown(attribute),
                Shown(key),
                EscapedCut(found, VALUE_CHARS)
            ),
            DialectError::ScimName { path } => write!(
                f,
                "{} cannot be written in a SCIM path: an attribute name is a letter followed by letters, digits, `-` and `_`, and a schema URN holds an object of such attributes (RFC 7643 §2.1, RFC 7644 §3.10)",
                Shown(path)
            ),
            DialectError::ScimNameCase { path, other } => write!(
                f,
                "{} and {} name one attribute in SCIM, whose attribute names are case-insensitive (RFC 7643 §2.1), and the patch's result would hold both or keep one while removing the other",
                Shown(path),
                Shown(other)
            ),
            DialectError::Number {
                path,
                reason,
                in_patch,
            } => {
                let reason = EscapedCut(reason, VALUE_CHARS);
                if path.is_empty() {
                    write!(f, "{} JSON is {reason}", side(*in_patch))
                } else {
                    write!(f, "{} {} is {reason}", side(*in_patch), Shown(path))
                }
            }
        }
    }
}

/// No [`source`](std::error::Error::source): the text of [`DialectError::Serialize`] already
/// writes serde_json's error, and a report that walks the chain (anyhow's `{:#}`, eyre)
/// would print it twice; match the variant for the `serde_json::Error` itself.
impl std::error::Error for DialectError {}

impl From<serde_json::Error> for DialectError {
    fn from(error: serde_json::Error) -> Self {
        DialectError::Serialize(error)
    }
}
