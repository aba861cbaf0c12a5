//! [`FilterError`]: why a filter could not be read, its text and its `Debug`.

use core::fmt;

use super::{MAX_FILTER_DEPTH, Operator, UserAttribute};

/// Why a filter could not be read. Its text and `Debug` quote an operator or an attribute
/// escaped as Rust's `Debug` writes a string, its first 64 characters and its length where it
/// is longer; the fields hold it whole.
#[derive(Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum FilterError {
    /// An operator other than `eq`, `sw` and `ew`: one that PingOne's page does not list for
    /// users (`ne`, `pr`, `gt`, `ge`, `lt`, `le`, `not`), one nobody defines, or `co`, which
    /// PingOne supports on a few attributes ("SCIM filter language",
    /// <https://docs.pingidentity.com/pingone/directory/p1_scim_filter_language.html>) and
    /// this type does not write, so that the emulator, which reads filters with this type,
    /// answers it 400 where PingOne would answer the users.
    UnsupportedOperator(String),
    /// An attribute that is not one of [`UserAttribute`]'s.
    UnsupportedAttribute(String),
    /// An operator that PingOne supports on other attributes only: `ew` on an attribute but
    /// `email`, `name.family` and `name.given` ([`Operator::applies_to`]).
    UnsupportedOperatorOn {
        /// The operator, such as `ew`.
        operator: Operator,
        /// The attribute it compares.
        attribute: UserAttribute,
    },
    /// Anything else: a missing quote, parenthesis or value, or text after the filter.
    Syntax(String),
    /// The filter nests deeper than [`MAX_FILTER_DEPTH`] (parentheses, or `and`s and `or`s),
    /// at this byte; it is refused before it is read further.
    TooDeep {
        /// The byte of the text where the limit was passed.
        at: usize,
    },
}

impl fmt::Display for FilterError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FilterError::UnsupportedOperator(operator) => {
                write!(
                    f,
                    "the operator {} is not supported (use eq, sw, or ew on email, \
                     name.family and name.given)",
                    shown(operator)
                )
            }
            FilterError::UnsupportedAttribute(attribute) => write!(
                f,
                "the attribute {} cannot be filtered on (use {ATTRIBUTES_SAID})",
                shown(attribute)
            ),
            FilterError::UnsupportedOperatorOn {
                operator,
                attribute,
            } => write!(
                f,
                "the operator {} is not supported on {} (PingOne reads it on email, \
                 name.family and name.given only; use eq or sw)",
                operator.as_str(),
                attribute.path()
            ),
            FilterError::Syntax(reason) => write!(f, "the filter is malformed: {reason}"),
            FilterError::TooDeep { at } => write!(
                f,
                "the filter nests deeper than {MAX_FILTER_DEPTH} levels at byte {at}"
            ),
        }
    }
}

/// As `#[derive(Debug)]` writes it, an operator or an attribute cut as the text cuts it (its
/// first 64 characters): a filter of a megabyte, from a request's query, went whole into it.
impl fmt::Debug for FilterError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FilterError::UnsupportedOperator(operator) => f
                .debug_tuple("UnsupportedOperator")
                .field(&shown(operator))
                .finish(),
            FilterError::UnsupportedAttribute(attribute) => f
                .debug_tuple("UnsupportedAttribute")
                .field(&shown(attribute))
                .finish(),
            FilterError::UnsupportedOperatorOn {
                operator,
                attribute,
            } => f
                .debug_struct("UnsupportedOperatorOn")
                .field("operator", operator)
                .field("attribute", attribute)
                .finish(),
            // Written by the reader, quoting the filter cut to 32 or 64 characters.
            FilterError::Syntax(reason) => f.debug_tuple("Syntax").field(reason).finish(),
            FilterError::TooDeep { at } => f.debug_struct("TooDeep").field("at", at).finish(),
        }
    }
}

impl std::error::Error for FilterError {}

/// The attributes of [`UserAttribute::ALL`], as [`FilterError::UnsupportedAttribute`] names
/// them: short, as an error quotes it (a unit test checks that it names every one, or its
/// object).
const ATTRIBUTES_SAID: &str = "username, email, externalId, a member of name or address \
     (name.given, address.postalCode...), mobilePhone, primaryPhone, nickname, title, type, \
     locale, preferredLanguage, timezone, population.id, photo.href, id, accountId, enabled or \
     memberOfGroups.id (memberOfGroups[id eq \"…\"])";

/// A word or value of the filter in its error: quoted and escaped, its first 64 characters.
pub(super) fn shown(text: &str) -> crate::quoted::Quoted<'_> {
    crate::quoted::Quoted { text, max: 64 }
}
