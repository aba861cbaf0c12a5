//! [`UserAttribute`]: what a filter compares, and its path.

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
///
/// [`UserFilter`]: super::UserFilter
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
    ///
    /// [`UserFilter::enabled`]: super::UserFilter::enabled
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
    ///
    /// [`UserFilter::member_of_group`]: super::UserFilter::member_of_group
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
