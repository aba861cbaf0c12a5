//! The attributes that PingOne ignores in a PATCH, answering 200: read-only ones, names that no
//! attribute can have, core names in another case; the details that pre-flight refuses them
//! with.

#[cfg(feature = "client")]
use super::super::ErrorDetail;
#[cfg(feature = "client")]
use super::check::detail;
#[cfg(feature = "client")]
use super::names::{READ_ONLY, SCHEMA, core_spelling, is_custom_attribute_name};

/// An attribute of the user that a PATCH of the user cannot change, as the reference names it
/// (`../shared/reference/pingone-users-api.md`, "The user document": "read-only", "own
/// endpoints", "moved with its own call", "set on import only"): what to do instead, or `""`
/// where PingOne alone sets it. PingOne ignores such an attribute in a PATCH and answers 200,
/// so a patch that means to change it changes nothing, and says nothing: the client's
/// pre-flight refuses it. `account` and `identityProvider` are not among them, as some of
/// their members may change ("lock/unlock have their own calls", "type read-only"): the
/// emulator ignores `account` whole and `identityProvider` but its `id`, the client lets
/// them through.
#[cfg(feature = "client")]
#[inline]
pub(crate) fn read_only(key: &str) -> Option<&'static str> {
    Some(match key {
        "id" | "environment" | "createdAt" | "updatedAt" | "_links" | "lastSignOn"
        | "memberOfGroupIDs" | "memberOfGroupNames" => "",
        "enabled" => {
            " (it has its own call: PUT /environments/{environmentID}/users/{userID}/enabled)"
        }
        "mfaEnabled" => {
            " (it has its own call: PUT /environments/{environmentID}/users/{userID}/mfaEnabled)"
        }
        "emailVerified" | "lifecycle" => " (PingOne sets it by verification, or on import)",
        // `UpdateUserVerifyStatus`: `management/api_users.go` of
        // `patrickcping/pingone-go-sdk-v2`, and the reference's "own endpoint".
        "verifyStatus" => {
            " (it has its own call: PUT /environments/{environmentID}/users/{userID}/verifyStatus)"
        }
        "population" => {
            " (a user moves with its own call: PUT /environments/{environmentID}/users/{userID}/population)"
        }
        "password" => {
            " (it has its own calls: /environments/{environmentID}/users/{userID}/password)"
        }
        _ => return None,
    })
}

/// What ends the advice for a read-only attribute ([`read_only_detail`]): how a model leaves
/// it out of its patches.
#[cfg(feature = "client")]
pub(crate) const SKIP_NOTE: &str =
    " (a model's field that PATCH cannot change is marked #[patchable(skip)])";

/// The advice that ends the fault of one read-only attribute ([`read_only_detail`]); an
/// error's text that lists several says it once for them all.
#[cfg(feature = "client")]
pub(crate) fn read_only_advice() -> String {
    format!("; leave it out of the patch{SKIP_NOTE}")
}

/// The fault of the read-only attribute `key` in a patch ([`read_only`]'s `how`).
#[cfg(feature = "client")]
#[cold]
#[inline(never)]
pub(crate) fn read_only_detail(key: &str, how: &str) -> ErrorDetail {
    detail(
        "INVALID_VALUE",
        key,
        format!(
            "{key} is read-only: a PATCH of the user does not change it, and PingOne ignores \
             it{how}{}",
            read_only_advice()
        ),
    )
}

/// The fault of a top-level attribute of a patch that PingOne ignores, answering 200: one that
/// a PATCH cannot change ([`read_only`]), or a name that no attribute of a user has and no
/// custom attribute can have ([`is_custom_attribute_name`]: `cost_center`, `a.b`, `1x`), which
/// matches nothing in the schema (the reference's "The operation"). A model of your own whose
/// fields are not renamed to PingOne's spelling (`mobile_phone` for `mobilePhone`) sent such
/// names, and "succeeded".
#[cfg(feature = "client")]
#[inline]
pub(crate) fn ignored_attribute(key: &str) -> Option<ErrorDetail> {
    if let Some(how) = read_only(key) {
        return Some(read_only_detail(key, how));
    }
    // HAL's reserved `_embedded` (beside `_links`, read-only) is PingOne's own: a user read
    // with it (`User::custom` keeps what the model does not know) and written back whole
    // (`to_patch`) sends it, and PingOne ignores it as it answered it. Other names that start
    // with `_` (`_id`, `__v`: a document store's) are no attribute's.
    if !is_custom_attribute_name(key) && key != "_embedded" {
        return Some(unnamable_detail(key));
    }
    // `userName`, `Email`: a core attribute's name in another case, which PingOne's
    // case-sensitive schema does not match (the sync job refuses it too).
    core_spelling(key).map(|core| other_case_detail(key, core))
}

/// The fault of the attribute `key`, a core attribute's name `core` in another case
/// ([`ignored_attribute`]).
#[cfg(feature = "client")]
#[cold]
#[inline(never)]
fn other_case_detail(key: &str, core: &str) -> ErrorDetail {
    detail(
        "INVALID_VALUE",
        key,
        format!(
            "{key} is no attribute of a PingOne user: PingOne's names are case-sensitive, and \
             this one is {core}; PingOne ignores {key} and answers 200, changing nothing. Write \
             {core} (a custom attribute declared with this name is sent with pre-flight off)"
        ),
    )
}

/// The advice that ends the fault of an attribute that no user can have ([`unnamable_detail`]);
/// an error's text that lists several such faults says it once.
#[cfg(feature = "client")]
pub(crate) const UNNAMABLE_ADVICE: &str = "; rename it or leave it out of the patch";

/// The fault of the attribute `key`, a name that no attribute of a user has and no custom
/// attribute can have ([`ignored_attribute`]); with PingOne's spelling where `key` is a core
/// attribute's written in snake case or with hyphens (`mobile_phone`, `external-id`).
#[cfg(feature = "client")]
#[cold]
#[inline(never)]
fn unnamable_detail(key: &str) -> ErrorDetail {
    let bare: String = key.chars().filter(|c| !matches!(c, '_' | '-')).collect();
    let spelling = SCHEMA
        .iter()
        .chain(READ_ONLY)
        .find(|core| core.eq_ignore_ascii_case(&bare))
        .map_or_else(String::new, |core| {
            format!(
                " (PingOne's name is {core}: #[serde(rename_all = \"camelCase\")] on a model writes its fields so)"
            )
        });
    detail(
        "INVALID_VALUE",
        key,
        format!(
            "{key} is no attribute of a PingOne user, and no custom attribute can be so named (a \
             letter, then letters, digits and hyphens, at most 256 characters): PingOne ignores \
             it and answers 200, changing nothing{spelling}{UNNAMABLE_ADVICE}",
            key = crate::quoted::cut(key, 64),
        ),
    )
}
