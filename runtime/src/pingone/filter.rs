//! [`UserFilter`]: the SCIM filter of PingOne's "Read All Users", typed, so that no value can
//! change what a filter means.
//!
//! Source: PingOne, "SCIM filter language"
//! (<https://docs.pingidentity.com/pingone/directory/p1_scim_filter_language.html>), and the
//! filter grammar of RFC 7644 §3.4.2.2.

use core::fmt;
use core::str::FromStr;

use crate::scim::Cursor;

/// An attribute that a [`UserFilter`] can compare: the string attributes that PingOne's
/// "SCIM filter language" page documents for both `eq` and `sw` on users, and
/// `population.id`, which the Terraform provider filters on with `eq` and which the page does
/// not list for `sw` (*unverified* whether PingOne reads `population.id sw`; this type still
/// writes it, as it did).
///
/// The first six were the only ones until the `externalId` (an HR system's key, the usual
/// one to find a user by), the rest of `name`, `nickname`, `title`, `type`, `locale`,
/// `preferredLanguage`, `timezone`, `primaryPhone`, `address.*` and `photo.href` were added:
/// PingOne filters users on every one of them (its "SCIM filter language" page, and the
/// Terraform provider's `pingone_users` data source, `internal/service/sso/data_source_users.go`
/// of `pingidentity/terraform-provider-pingone`, which lists them as filterable), and the
/// emulator answered a filter on them with 400. `id` and `accountId` were added later, for
/// the same reason (see [`UserAttribute::Id`] and [`UserAttribute::AccountId`]), and
/// `enabled`, a boolean ([`UserAttribute::Enabled`]), and group membership
/// ([`UserAttribute::MemberOfGroupId`]). PingOne also filters on custom attributes of type
/// STRING (`sw`), which this type does not name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum UserAttribute {
    /// `username`.
    Username,
    /// `email`.
    Email,
    /// `name.given`.
    GivenName,
    /// `name.family`.
    FamilyName,
    /// `mobilePhone`.
    MobilePhone,
    /// `population.id`.
    PopulationId,
    /// `externalId`.
    ExternalId,
    /// `name.middle`.
    MiddleName,
    /// `name.formatted`.
    FormattedName,
    /// `name.honorificPrefix`.
    HonorificPrefix,
    /// `name.honorificSuffix`.
    HonorificSuffix,
    /// `nickname`.
    Nickname,
    /// `title`.
    Title,
    /// `type`.
    Type,
    /// `locale`.
    Locale,
    /// `preferredLanguage`.
    PreferredLanguage,
    /// `timezone`.
    Timezone,
    /// `primaryPhone`.
    PrimaryPhone,
    /// `address.streetAddress`.
    StreetAddress,
    /// `address.locality`.
    Locality,
    /// `address.region`.
    Region,
    /// `address.postalCode`.
    PostalCode,
    /// `address.countryCode`.
    CountryCode,
    /// `photo.href`.
    PhotoHref,
    /// `id`, the user's ID: `id eq "…"` finds one user by ID through the list, as the
    /// Terraform provider's `pingone_user` data source looks a user up by `user_id`
    /// (`internal/service/sso/data_source_user.go` of `pingidentity/terraform-provider-pingone`,
    /// whose acceptance test `TestAccUserDataSource_ByIDFull` runs it against PingOne). The
    /// emulator answered that filter 400 ("cannot be filtered on"). `id sw "…"` is written and
    /// read as the other attributes' `sw` is; *unverified* whether PingOne reads it (its "SCIM
    /// filter language" page lists `id` for neither operator).
    Id,
    /// `accountId`: PingOne's "SCIM filter language" page
    /// (<https://docs.pingidentity.com/pingone/directory/p1_scim_filter_language.html>) lists
    /// it for `eq` and `sw`, and the Terraform provider's `pingone_users` data source for its
    /// filters; the emulator answered a filter on it 400.
    AccountId,
    /// `enabled`, a boolean: `enabled eq false` lists the disabled users
    /// ([`UserFilter::enabled`]). PingOne's "SCIM filter language" page lists `enabled` among
    /// the attributes it filters on, and the Terraform provider's `pingone_users` data source
    /// among its filterable ones (`internal/service/sso/data_source_users.go` of
    /// `pingidentity/terraform-provider-pingone`); the emulator answered any filter on it
    /// 400. The value `"true"` or `"false"` is written as the literal `true` or `false`
    /// (RFC 7644 §3.4.2.2); the reader takes the literal in any case, or a quoted string, as
    /// the Terraform provider's data filters write it (`enabled eq "true"`), and the emulator
    /// compares either with the user's boolean as text. *Unverified*: whether PingOne reads
    /// the quoted form, and `sw` on `enabled` (its page lists `enabled` under `sw`).
    Enabled,
    /// The ID of a group the user is a member of, written `memberOfGroups[id eq "…"]`
    /// ([`UserFilter::member_of_group`]): the members of a group. It is the example filter of
    /// "Read All Users" in PingOne's OpenAPI description (`memberOfGroups[id eq "{{groupID}}"]
    /// and name.family eq "demo"`, `management/api/openapi.yaml` of
    /// `patrickcping/pingone-go-sdk-v2`), and the Terraform provider's `pingone_users` data
    /// source writes it for its `memberOfGroups.id` data filter. The emulator answered it 400
    /// (a malformed filter), and this type could not write it. The reader also takes
    /// `memberOfGroups.id eq "…"` (its [`path`](UserAttribute::path)); the emulator matches it
    /// against the user's `memberOfGroupIDs`, in any case. *Unverified*: `sw` inside the
    /// brackets, which is written and read as the other attributes' `sw` is.
    MemberOfGroupId,
}

impl UserAttribute {
    /// Every attribute, in the order above: a slice, so that an attribute added later does
    /// not change its type.
    pub const ALL: &'static [UserAttribute] = &[
        UserAttribute::Username,
        UserAttribute::Email,
        UserAttribute::GivenName,
        UserAttribute::FamilyName,
        UserAttribute::MobilePhone,
        UserAttribute::PopulationId,
        UserAttribute::ExternalId,
        UserAttribute::MiddleName,
        UserAttribute::FormattedName,
        UserAttribute::HonorificPrefix,
        UserAttribute::HonorificSuffix,
        UserAttribute::Nickname,
        UserAttribute::Title,
        UserAttribute::Type,
        UserAttribute::Locale,
        UserAttribute::PreferredLanguage,
        UserAttribute::Timezone,
        UserAttribute::PrimaryPhone,
        UserAttribute::StreetAddress,
        UserAttribute::Locality,
        UserAttribute::Region,
        UserAttribute::PostalCode,
        UserAttribute::CountryCode,
        UserAttribute::PhotoHref,
        UserAttribute::Id,
        UserAttribute::AccountId,
        UserAttribute::Enabled,
        UserAttribute::MemberOfGroupId,
    ];

    /// The attribute's path in a filter and in the user document, such as `name.given`.
    #[must_use]
    pub fn path(self) -> &'static str {
        match self {
            UserAttribute::Username => "username",
            UserAttribute::Email => "email",
            UserAttribute::GivenName => "name.given",
            UserAttribute::FamilyName => "name.family",
            UserAttribute::MobilePhone => "mobilePhone",
            UserAttribute::PopulationId => "population.id",
            UserAttribute::ExternalId => "externalId",
            UserAttribute::MiddleName => "name.middle",
            UserAttribute::FormattedName => "name.formatted",
            UserAttribute::HonorificPrefix => "name.honorificPrefix",
            UserAttribute::HonorificSuffix => "name.honorificSuffix",
            UserAttribute::Nickname => "nickname",
            UserAttribute::Title => "title",
            UserAttribute::Type => "type",
            UserAttribute::Locale => "locale",
            UserAttribute::PreferredLanguage => "preferredLanguage",
            UserAttribute::Timezone => "timezone",
            UserAttribute::PrimaryPhone => "primaryPhone",
            UserAttribute::StreetAddress => "address.streetAddress",
            UserAttribute::Locality => "address.locality",
            UserAttribute::Region => "address.region",
            UserAttribute::PostalCode => "address.postalCode",
            UserAttribute::CountryCode => "address.countryCode",
            UserAttribute::PhotoHref => "photo.href",
            UserAttribute::Id => "id",
            UserAttribute::AccountId => "accountId",
            UserAttribute::Enabled => "enabled",
            UserAttribute::MemberOfGroupId => "memberOfGroups.id",
        }
    }

    /// The attribute with this path; attribute names are compared in any case
    /// (RFC 7644 §3.4.2.2).
    #[must_use]
    pub fn from_path(path: &str) -> Option<UserAttribute> {
        UserAttribute::ALL
            .iter()
            .copied()
            .find(|attribute| attribute.path().eq_ignore_ascii_case(path))
    }
}

/// How deep a [`UserFilter`] may nest: a comparison is 1 level, and each `and` or `or` is one
/// more than the deeper of its two sides (so its text holds at most `MAX_FILTER_DEPTH - 1`
/// nested parentheses).
///
/// [`FromStr`] refuses a deeper filter, or more nested parentheses, with
/// [`FilterError::TooDeep`] instead of recursing without end on untrusted text (the emulator
/// answers such a filter with 400), and `Client::list_users` refuses to send one built in
/// code. A chain of `and`s or `or`s built in code may be deeper: its `Display` and `Drop` do
/// not recurse, and [`UserFilter::depth`] tells how deep it is.
pub const MAX_FILTER_DEPTH: usize = 32;

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

/// Frees the filter with a heap stack instead of one stack frame per level, so a deep chain
/// built in code cannot overflow the stack when it is dropped.
impl Drop for UserFilter {
    fn drop(&mut self) {
        let mut stack = Vec::new();
        take_children(self, &mut stack);
        while let Some(mut filter) = stack.pop() {
            // `filter`'s children move to the stack; it then drops with none.
            take_children(&mut filter, &mut stack);
        }
    }
}

/// Moves the two sides of an `and` or `or` to `stack`, leaving `filter` a leaf with nothing
/// allocated.
fn take_children(filter: &mut UserFilter, stack: &mut Vec<UserFilter>) {
    if let UserFilter::And(left, right) | UserFilter::Or(left, right) = filter {
        for side in [left, right] {
            stack.push(core::mem::replace(&mut **side, leaf()));
        }
    }
}

/// A comparison that allocates nothing.
fn leaf() -> UserFilter {
    UserFilter::Compare {
        attribute: UserAttribute::Username,
        operator: Operator::Equal,
        value: String::new(),
    }
}

/// Writes the filter with a heap stack, not recursion, so any depth is written.
impl fmt::Display for UserFilter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        enum Step<'a> {
            Filter(&'a UserFilter),
            Text(&'static str),
        }
        let mut stack = vec![Step::Filter(self)];
        while let Some(step) = stack.pop() {
            match step {
                Step::Text(text) => f.write_str(text)?,
                Step::Filter(UserFilter::Compare {
                    attribute,
                    operator,
                    value,
                }) => {
                    // `enabled`'s `true` or `false`, in any case: the boolean literal, in
                    // lower case (`eq(Enabled, "TRUE")` wrote the string `"TRUE"`, which
                    // the reader takes as the literal: review 37).
                    if *attribute == UserAttribute::Enabled {
                        let literal = ["true", "false"]
                            .into_iter()
                            .find(|literal| value.eq_ignore_ascii_case(literal));
                        if let Some(literal) = literal {
                            write!(f, "{} {} {literal}", attribute.path(), operator.as_str())?;
                            continue;
                        }
                    }
                    // A JSON string: `"` and `\` escaped, control characters as `\n` or
                    // `\u00XX`.
                    let quoted = serde_json::to_string(value).map_err(|_| fmt::Error)?;
                    if *attribute == UserAttribute::MemberOfGroupId {
                        write!(f, "memberOfGroups[id {} {quoted}]", operator.as_str())?;
                        continue;
                    }
                    write!(f, "{} {} {quoted}", attribute.path(), operator.as_str())?;
                }
                Step::Filter(UserFilter::And(left, right)) => {
                    // `(left) and (right)`, pushed in reverse.
                    stack.extend([
                        Step::Text(")"),
                        Step::Filter(right),
                        Step::Text(") and ("),
                        Step::Filter(left),
                        Step::Text("("),
                    ]);
                }
                Step::Filter(UserFilter::Or(left, right)) => {
                    stack.extend([
                        Step::Text(")"),
                        Step::Filter(right),
                        Step::Text(") or ("),
                        Step::Filter(left),
                        Step::Text("("),
                    ]);
                }
            }
        }
        Ok(())
    }
}

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
fn shown(text: &str) -> crate::quoted::Quoted<'_> {
    crate::quoted::Quoted { text, max: 64 }
}

/// What the reader found where it stopped: the next 32 characters of the filter, quoted, or
/// that it ended.
fn found(rest: &str) -> String {
    if rest.is_empty() {
        String::from("the filter ends there")
    } else {
        format!(
            "found {}",
            crate::quoted::Quoted {
                text: rest,
                max: 32
            }
        )
    }
}

impl FromStr for UserFilter {
    type Err = FilterError;

    /// Reads a filter: comparisons `attribute op "value"`, a space after the operator
    /// (`eq"a"` is [`FilterError::Syntax`]), parentheses, and `and` (binding tighter) and `or`,
    /// with a space on each side (`"a"and` and `and(` are [`FilterError::Syntax`]); operators and keywords in any case (RFC 7644 §3.4.2.2). A filter
    /// deeper than [`MAX_FILTER_DEPTH`], or with more nested parentheses, is
    /// [`FilterError::TooDeep`]: the reader never recurses more than that, whatever the text.
    fn from_str(text: &str) -> Result<Self, FilterError> {
        let mut parser = Parser {
            cursor: Cursor { text, at: 0 },
            parentheses: 0,
        };
        let (filter, _) = parser.or()?;
        parser.cursor.skip_spaces();
        if parser.cursor.at < text.len() {
            return Err(FilterError::Syntax(format!(
                "unexpected text at byte {}: {}",
                parser.cursor.at,
                found(parser.cursor.rest())
            )));
        }
        Ok(filter)
    }
}

/// A recursive-descent reader of the grammar above, which recurses once per open parenthesis,
/// at most [`MAX_FILTER_DEPTH`] deep. Each rule returns the filter read and its depth.
struct Parser<'a> {
    cursor: Cursor<'a>,
    /// Parentheses open at the cursor.
    parentheses: usize,
}

impl Parser<'_> {
    /// The depth of `left` combined with `right`, or [`FilterError::TooDeep`].
    fn combined(&self, left: usize, right: usize) -> Result<usize, FilterError> {
        let depth = left.max(right) + 1;
        if depth > MAX_FILTER_DEPTH {
            return Err(FilterError::TooDeep { at: self.cursor.at });
        }
        Ok(depth)
    }

    fn or(&mut self) -> Result<(UserFilter, usize), FilterError> {
        let (mut filter, mut depth) = self.and()?;
        while self.cursor.logical("or").map_err(FilterError::Syntax)? {
            let (right, right_depth) = self.and()?;
            depth = self.combined(depth, right_depth)?;
            filter = filter.or(right);
        }
        Ok((filter, depth))
    }

    fn and(&mut self) -> Result<(UserFilter, usize), FilterError> {
        let (mut filter, mut depth) = self.term()?;
        while self.cursor.logical("and").map_err(FilterError::Syntax)? {
            let (right, right_depth) = self.term()?;
            depth = self.combined(depth, right_depth)?;
            filter = filter.and(right);
        }
        Ok((filter, depth))
    }

    fn term(&mut self) -> Result<(UserFilter, usize), FilterError> {
        self.cursor.skip_spaces();
        if self.cursor.rest().starts_with('(') {
            // `MAX_FILTER_DEPTH - 1` parentheses are enough for the deepest filter allowed.
            if self.parentheses + 1 >= MAX_FILTER_DEPTH {
                return Err(FilterError::TooDeep { at: self.cursor.at });
            }
            self.cursor.at += 1;
            self.parentheses += 1;
            let inner = self.or()?;
            self.parentheses -= 1;
            self.cursor.skip_spaces();
            if !self.cursor.rest().starts_with(')') {
                return Err(FilterError::Syntax(format!(
                    "a `)` is missing at byte {}: {}",
                    self.cursor.at,
                    found(self.cursor.rest())
                )));
            }
            self.cursor.at += 1;
            return Ok(inner);
        }
        let path = self.cursor.word().to_owned();
        if path.is_empty() {
            return Err(FilterError::Syntax(format!(
                "an attribute is missing at byte {}: {}",
                self.cursor.at,
                found(self.cursor.rest())
            )));
        }
        if path.eq_ignore_ascii_case("not") {
            return Err(FilterError::UnsupportedOperator(path));
        }
        if self.cursor.rest().starts_with('[') {
            return self.member_of_groups(&path);
        }
        let operator_text = self.cursor.word().to_owned();
        let operator = match operator_text.to_ascii_lowercase().as_str() {
            "eq" => Operator::Equal,
            "sw" => Operator::StartsWith,
            "ew" => Operator::EndsWith,
            "" => {
                return Err(FilterError::Syntax(format!(
                    "an operator is missing after {}: {}",
                    shown(&path),
                    found(self.cursor.rest())
                )));
            }
            _ => return Err(FilterError::UnsupportedOperator(operator_text)),
        };
        self.cursor
            .space_after_operator(&operator_text)
            .map_err(FilterError::Syntax)?;
        let attribute = UserAttribute::from_path(&path)
            .ok_or_else(|| FilterError::UnsupportedAttribute(path.clone()))?;
        if !operator.applies_to(attribute) {
            return Err(FilterError::UnsupportedOperatorOn {
                operator,
                attribute,
            });
        }
        let value = if attribute == UserAttribute::Enabled {
            self.boolean_or_string()?
        } else {
            self.string()?
        };
        Ok((
            UserFilter::Compare {
                attribute,
                operator,
                value,
            },
            1,
        ))
    }

    /// `memberOfGroups[id op "value"]`, the cursor at its `[` after `path`: the only
    /// attribute with a value filter that PingOne reads on users.
    fn member_of_groups(&mut self, path: &str) -> Result<(UserFilter, usize), FilterError> {
        if !path.eq_ignore_ascii_case("memberOfGroups") {
            return Err(FilterError::UnsupportedAttribute(format!("{path}[")));
        }
        self.cursor.at += 1;
        let inner = self.cursor.word();
        if !inner.eq_ignore_ascii_case("id") {
            return Err(FilterError::Syntax(format!(
                "memberOfGroups[...] compares id, not {}",
                shown(inner)
            )));
        }
        let operator_text = self.cursor.word().to_owned();
        let operator = match operator_text.to_ascii_lowercase().as_str() {
            "eq" => Operator::Equal,
            "sw" => Operator::StartsWith,
            "ew" => Operator::EndsWith,
            _ => return Err(FilterError::UnsupportedOperator(operator_text)),
        };
        self.cursor
            .space_after_operator(&operator_text)
            .map_err(FilterError::Syntax)?;
        let attribute = UserAttribute::MemberOfGroupId;
        if !operator.applies_to(attribute) {
            return Err(FilterError::UnsupportedOperatorOn {
                operator,
                attribute,
            });
        }
        let value = self.string()?;
        self.cursor.skip_spaces();
        if !self.cursor.rest().starts_with(']') {
            return Err(FilterError::Syntax(format!(
                "a `]` is missing at byte {}: {}",
                self.cursor.at,
                found(self.cursor.rest())
            )));
        }
        self.cursor.at += 1;
        Ok((
            UserFilter::Compare {
                attribute,
                operator,
                value,
            },
            1,
        ))
    }

    /// `enabled`'s value: the literal `true` or `false` in any case (RFC 7644 §3.4.2.2), as
    /// `"true"` or `"false"`, or a JSON string.
    fn boolean_or_string(&mut self) -> Result<String, FilterError> {
        self.cursor.skip_spaces();
        if self.cursor.rest().starts_with('"') {
            return self.string();
        }
        let at = self.cursor.at;
        let word = self.cursor.word();
        for literal in ["true", "false"] {
            if word.eq_ignore_ascii_case(literal) {
                return Ok(literal.to_owned());
            }
        }
        self.cursor.at = at;
        Err(FilterError::Syntax(format!(
            "enabled is compared with true or false at byte {at}: {}",
            found(self.cursor.rest())
        )))
    }

    /// A JSON string (RFC 8259 §7).
    fn string(&mut self) -> Result<String, FilterError> {
        self.cursor.skip_spaces();
        if !self.cursor.rest().starts_with('"') {
            return Err(FilterError::Syntax(format!(
                "a quoted value is missing at byte {}: {}",
                self.cursor.at,
                found(self.cursor.rest())
            )));
        }
        let literal = self
            .cursor
            .quoted()
            .ok_or_else(|| FilterError::Syntax("a value's closing quote is missing".into()))?;
        serde_json::from_str(literal).map_err(|error| {
            FilterError::Syntax(format!(
                "the value {} is not a JSON string: {error}",
                shown(literal)
            ))
        })
    }
}

#[cfg(test)]
mod tests;
