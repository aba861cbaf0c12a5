//! [`Operator`]: how a filter compares, and the attributes PingOne applies it to.

use super::UserAttribute;

/// A comparison operator that PingOne supports on users.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Operator {
    /// `eq`: the attribute equals the value.
    Equal,
    /// `sw`: the attribute starts with the value.
    StartsWith,
    /// `ew`: the attribute ends with the value (`email ew "@example.com"`: a domain's users).
    /// PingOne supports it on `email`, `name.family` and `name.given` only ("SCIM filter
    /// language", <https://docs.pingidentity.com/pingone/directory/p1_scim_filter_language.html>):
    /// see [`Operator::applies_to`].
    EndsWith,
}

impl Operator {
    /// `eq`, `sw` or `ew`.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Operator::Equal => "eq",
            Operator::StartsWith => "sw",
            Operator::EndsWith => "ew",
        }
    }

    /// Whether PingOne compares `attribute` with this operator: `eq` and `sw` every
    /// [`UserAttribute`], `ew` `email`, `name.family` and `name.given` only.
    #[must_use]
    pub fn applies_to(self, attribute: UserAttribute) -> bool {
        match self {
            Operator::Equal | Operator::StartsWith => true,
            Operator::EndsWith => matches!(
                attribute,
                UserAttribute::Email | UserAttribute::FamilyName | UserAttribute::GivenName
            ),
        }
    }
}
