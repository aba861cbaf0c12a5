//! [`UserFilter`]: the SCIM filter of PingOne's "Read All Users", typed, so that no value can
//! change what a filter means.
//!
//! Source: PingOne, "SCIM filter language"
//! (<https://docs.pingidentity.com/pingone/directory/p1_scim_filter_language.html>), and the
//! filter grammar of RFC 7644 §3.4.2.2.
//!
//! The filter and its builders are here; the attributes ([`attribute`]) and operators
//! ([`operator`]) it compares, its text ([`display`]), its drop without recursion
//! ([`drop`](mod@drop)), its reader ([`reader`]) and the reader's errors ([`error`]) each
//! have a file.

mod attribute;
mod display;
mod drop;
mod error;
mod operator;
mod reader;

pub use attribute::UserAttribute;
pub use error::FilterError;
pub use operator::Operator;

/// How deep a [`UserFilter`] may nest: a comparison is 1 level, and each `and` or `or` is one
/// more than the deeper of its two sides (so its text holds at most `MAX_FILTER_DEPTH - 1`
/// nested parentheses).
///
/// [`FromStr`] refuses a deeper filter, or more nested parentheses, with
/// [`FilterError::TooDeep`] instead of recursing without end on untrusted text (the emulator
/// answers such a filter with 400), and `Client::list_users` refuses to send one built in
/// code. A chain of `and`s or `or`s built in code may be deeper: its `Display` and `Drop` do
/// not recurse, and [`UserFilter::depth`] tells how deep it is.
///
/// [`FromStr`]: core::str::FromStr
pub const MAX_FILTER_DEPTH: usize = 32;

/// A filter of users: comparisons of an attribute with a value, combined with `and` and `or`.
///
/// Its `Display` is the filter PingOne reads, with every value a JSON string (quotes,
/// backslashes and control characters escaped, RFC 8259 §7) and every combination in
/// parentheses, so no value, whatever it holds (`"`, `\`, ` or `, `)`), can change the
/// filter's meaning. [`FromStr`] reads that form back, for a filter at most
/// [`MAX_FILTER_DEPTH`] deep.
///
/// Filters built in code with [`and`](UserFilter::and) and [`or`](UserFilter::or) may be
/// deeper than that: `Display` and `Drop` work with a heap stack, not recursion, so a chain of
/// a million `and`s is written and freed without overflowing the thread's stack. The derived
/// `Clone`, `Debug`, `PartialEq` and `Hash` do recurse, one frame per level: keep the filters
/// you clone, compare or print within [`MAX_FILTER_DEPTH`], as `Client::list_users` requires.
///
/// ```
/// use sparse_patch::pingone::{UserAttribute, UserFilter};
///
/// let filter = UserFilter::eq(UserAttribute::FamilyName, "Smith")
///     .and(UserFilter::sw(UserAttribute::GivenName, "W"));
/// assert_eq!(filter.to_string(), r#"(name.family eq "Smith") and (name.given sw "W")"#);
///
/// let tricky = UserFilter::eq(UserAttribute::Username, r#"x" or username sw ""#);
/// assert_eq!(tricky.to_string(), r#"username eq "x\" or username sw \"""#);
/// assert_eq!(tricky.to_string().parse::<UserFilter>().unwrap(), tricky);
/// ```
///
/// [`FromStr`]: core::str::FromStr
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum UserFilter {
    /// `attribute operator "value"`.
    Compare {
        /// The attribute compared.
        attribute: UserAttribute,
        /// How.
        operator: Operator,
        /// With what, as the user holds it (not escaped).
        value: String,
    },
    /// Both filters match.
    And(Box<UserFilter>, Box<UserFilter>),
    /// Either filter matches.
    Or(Box<UserFilter>, Box<UserFilter>),
}

impl UserFilter {
    /// `attribute eq "value"`.
    #[must_use]
    pub fn eq(attribute: UserAttribute, value: impl Into<String>) -> Self {
        UserFilter::Compare {
            attribute,
            operator: Operator::Equal,
            value: value.into(),
        }
    }

    /// `attribute sw "value"`: the attribute starts with `value`.
    #[must_use]
    pub fn sw(attribute: UserAttribute, value: impl Into<String>) -> Self {
        UserFilter::Compare {
            attribute,
            operator: Operator::StartsWith,
            value: value.into(),
        }
    }

    /// `attribute ew "value"`: the attribute ends with `value`. PingOne reads it on
    /// [`UserAttribute::Email`], [`UserAttribute::FamilyName`] and
    /// [`UserAttribute::GivenName`] only ([`Operator::applies_to`]): `Client::list_users`
    /// refuses to send it on another, as [`FromStr`] refuses to read it.
    ///
    /// [`FromStr`]: core::str::FromStr
    #[must_use]
    pub fn ew(attribute: UserAttribute, value: impl Into<String>) -> Self {
        UserFilter::Compare {
            attribute,
            operator: Operator::EndsWith,
            value: value.into(),
        }
    }

    /// The first comparison whose operator PingOne does not apply to its attribute (`ew` on
    /// `title`; see [`Operator::applies_to`]), if any. Found without recursion, whatever the
    /// depth.
    #[must_use]
    pub fn unsupported_comparison(&self) -> Option<(Operator, UserAttribute)> {
        let mut stack = vec![self];
        while let Some(filter) = stack.pop() {
            match filter {
                UserFilter::Compare {
                    attribute,
                    operator,
                    ..
                } => {
                    if !operator.applies_to(*attribute) {
                        return Some((*operator, *attribute));
                    }
                }
                UserFilter::And(left, right) | UserFilter::Or(left, right) => {
                    stack.push(right);
                    stack.push(left);
                }
            }
        }
        None
    }

    /// `enabled eq true` or `enabled eq false`: the users that are enabled, or those that are
    /// disabled ([`UserAttribute::Enabled`]).
    ///
    /// ```
    /// use sparse_patch::pingone::UserFilter;
    ///
    /// assert_eq!(UserFilter::enabled(false).to_string(), "enabled eq false");
    /// assert_eq!("ENABLED eq TRUE".parse::<UserFilter>().unwrap(), UserFilter::enabled(true));
    /// ```
    #[must_use]
    pub fn enabled(enabled: bool) -> Self {
        UserFilter::eq(
            UserAttribute::Enabled,
            if enabled { "true" } else { "false" },
        )
    }

    /// `memberOfGroups[id eq "group_id"]`: the members of the group `group_id`
    /// ([`UserAttribute::MemberOfGroupId`]).
    ///
    /// ```
    /// use sparse_patch::pingone::{UserAttribute, UserFilter};
    ///
    /// let filter = UserFilter::member_of_group("2f1ac6a5-8a2d-4b0e-9d0e-6a7d1f2b3c4d")
    ///     .and(UserFilter::eq(UserAttribute::FamilyName, "demo"));
    /// assert_eq!(
    ///     filter.to_string(),
    ///     r#"(memberOfGroups[id eq "2f1ac6a5-8a2d-4b0e-9d0e-6a7d1f2b3c4d"]) and (name.family eq "demo")"#
    /// );
    /// assert_eq!(filter.to_string().parse::<UserFilter>().unwrap(), filter);
    /// ```
    #[must_use]
    pub fn member_of_group(group_id: impl Into<String>) -> Self {
        UserFilter::eq(UserAttribute::MemberOfGroupId, group_id)
    }

    /// `(self) and (other)`.
    #[must_use]
    pub fn and(self, other: UserFilter) -> Self {
        UserFilter::And(Box::new(self), Box::new(other))
    }

    /// `(self) or (other)`.
    #[must_use]
    pub fn or(self, other: UserFilter) -> Self {
        UserFilter::Or(Box::new(self), Box::new(other))
    }

    /// How deep the filter nests: 1 for a comparison, and for `and` and `or` one more than the
    /// deeper side. Computed without recursion, whatever the depth. See [`MAX_FILTER_DEPTH`].
    #[must_use]
    pub fn depth(&self) -> usize {
        let mut deepest = 0;
        let mut stack = vec![(self, 1)];
        while let Some((filter, depth)) = stack.pop() {
            deepest = deepest.max(depth);
            if let UserFilter::And(left, right) | UserFilter::Or(left, right) = filter {
                stack.push((left, depth + 1));
                stack.push((right, depth + 1));
            }
        }
        deepest
    }
}

#[cfg(test)]
mod tests;
