//! The client's pre-flight check of a patch against PingOne's rules ([`rules`]), before
//! anything is sent: made while the patch is serialized ([`serialize_checked`]), so the JSON
//! is not read a second time.
//!
//! - `watch/`: the serializer that passes the patch on to serde_json's and checks each ruled
//!   value (`mod.rs`), and the members of each object (`members.rs`), on the way;
//! - `map_key.rs`: where a map's key sits among the rules;
//! - `read_json.rs`: the same check made by reading the patch's JSON, for values that
//!   serde_json writes in its own way.

mod map_key;
mod read_json;
mod scim;
mod scim_shape;
mod watch;

use std::cell::RefCell;
use std::collections::HashSet;

use serde::Serialize;

use super::rules::{self, Rule, Seen, detail, member_rule, rule};
use super::{Error, ErrorDetail};
#[cfg(test)]
use read_json::check_patch_json;
use read_json::check_patch_json_quoted;
pub(crate) use scim::check_scim_operations;
pub use scim::check_scim_patch;
use watch::Watch;

/// Serializes `patch` as `serde_json::to_vec` does (the same bytes) and checks it against
/// PingOne's rules on the way (see [`ClientBuilder::preflight`](super::ClientBuilder::preflight)):
/// the 16 KiB limit, then every rule, all the faults in one [`Error::Preflight`].
///
/// The check sees what the JSON holds, as a reader of the bytes would: a member's string, its
/// `null` (also from `None` or a unit), or any other value. A float that is not finite, which
/// serde_json would write as `null` (clearing the attribute), is refused first, named by its
/// path, as [`serialize_unchecked`] does. A
/// value that serde_json writes in its own way (its `RawValue`, or a number with
/// `arbitrary_precision`) cannot be seen on the way, so for such a patch the bytes are read
/// again ([`check_patch_json_quoted`]), with the same result.
pub(crate) fn serialize_checked<P: Serialize + ?Sized>(patch: &P) -> Result<Vec<u8>, Error> {
    serialize_and_check(patch, CheckedFor::Sending)?
        .map_err(|broken| broken.into_error(CheckedFor::Sending))
}

/// Who asked for the pre-flight check, which the end of its error's text follows: the
/// client's call sends nothing when the check refuses, and says so; a check made alone
/// ([`check_patch`], [`check_scim_patch`], the sync job's plan) sends nothing in any case, and
/// says only what is wrong (its `nothing was sent` read as if a call had been made: review 110).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum CheckedFor {
    /// A call of the client that sends the patch when the check passes.
    Sending,
    /// A check alone, that never sends.
    CheckOnly,
}

impl CheckedFor {
    /// What the error's text ends with: `; nothing was sent` for the client's call, nothing
    /// for a check alone.
    pub(crate) fn ending(self) -> &'static str {
        match self {
            CheckedFor::Sending => "; nothing was sent",
            CheckedFor::CheckOnly => "",
        }
    }
}

/// Checks `patch` against PingOne's rules as the client does before sending it (see
/// [`ClientBuilder::preflight`](super::ClientBuilder::preflight)), without sending anything:
/// for a service that reads patches from its own clients and answers a refusal itself (a 422
/// naming each attribute) before it calls PingOne. The rules are a table of what PingOne's
/// users API refuses with a 400 (`docs.pingidentity.com`, "Users": lengths, patterns, email,
/// `countryCode`, phone numbers, `locale`, the 16 KiB profile), which the emulator enforces
/// too, and of what it ignores while it answers 200 (read-only attributes, a name that no
/// attribute can have, a core attribute's name in another case), which the emulator ignores
/// as PingOne does. The error's text says what is wrong, and not, as the client's does, that
/// nothing was sent: a check alone never sends.
///
/// ```
/// use sparse_patch::pingone::{Error, UserPatch, check_patch};
///
/// let patch = UserPatch::new().email("ada@").nickname("Ada");
/// let Err(Error::Preflight { details, .. }) = check_patch(&patch) else { panic!() };
/// assert_eq!(details[0].target.as_deref(), Some("email"));
/// assert!(check_patch(&UserPatch::new().nickname("Ada")).is_ok());
/// ```
///
/// # Errors
///
/// [`Error::Preflight`] naming every attribute at fault, or saying that the patch is not a
/// JSON object (an array, `null`...: its details are empty), and [`Error::InvalidInput`] when
/// the patch does not serialize to JSON or holds a float that is not finite.
#[cfg(feature = "client")]
pub fn check_patch<P: Serialize + ?Sized>(patch: &P) -> Result<(), Error> {
    let body = serialize_and_check(patch, CheckedFor::CheckOnly)?
        .map_err(|broken| broken.into_error(CheckedFor::CheckOnly))?;
    // A typed patch is an object; a `serde_json::Value` from a service's own client may be
    // anything, and PingOne answers any other body with a 400 `INVALID_REQUEST`.
    match body.first() {
        Some(b'{') => Ok(()),
        first => Err(Error::Preflight {
            message: format!(
                "the patch is {}, not a JSON object: a merge patch (RFC 7396 §2) is an object \
                 of the attributes to change, and PingOne refuses any other body",
                match first {
                    Some(b'[') => "an array",
                    Some(b'"') => "a string",
                    Some(b'n') => "null",
                    Some(b't' | b'f') => "a boolean",
                    _ => "a number",
                }
            ),
            details: Vec::new(),
        }),
    }
}

/// Why a patch breaks PingOne's rules, as [`serialize_checked`] finds it, for a caller that
/// sends nothing itself (the sync job's plan): `the patch breaks PingOne's rules (…)`, every
/// fault named once, and the faults.
#[derive(Debug)]
pub(crate) struct RulesBroken {
    pub(crate) text: String,
    pub(crate) details: Vec<ErrorDetail>,
}

impl RulesBroken {
    /// The error of a check made `for_whom`: the client's says that nothing was sent.
    pub(crate) fn into_error(self, for_whom: CheckedFor) -> Error {
        Error::Preflight {
            message: format!("{}{}", self.text, for_whom.ending()),
            details: self.details,
        }
    }
}

/// Checks `patch` as [`serialize_checked`] does, without saying what the client did with it.
///
/// # Errors
///
/// [`Error::InvalidInput`] when the patch cannot be serialized.
pub(crate) fn check_rules<P: Serialize + ?Sized>(
    patch: &P,
) -> Result<Result<(), RulesBroken>, Error> {
    Ok(serialize_and_check(patch, CheckedFor::CheckOnly)?.map(drop))
}

/// The body of `patch`, or why it breaks PingOne's rules; an error when it cannot be
/// serialized, whose text ends as `for_whom` says.
fn serialize_and_check<P: Serialize + ?Sized>(
    patch: &P,
    for_whom: CheckedFor,
) -> Result<Result<Vec<u8>, RulesBroken>, Error> {
    // Walked first, writing nothing: the rules below watch only the members they rule.
    refuse_unrepresentable(patch, for_whom)?;
    let checks = RefCell::new(Checks::default());
    // serde_json's own starting capacity for `to_vec`.
    let mut body = Vec::with_capacity(128);
    let mut writer = serde_json::Serializer::new(&mut body);
    let watch = Watch::patch(&mut writer, &checks);
    patch.serialize(watch).map_err(serialize_error)?;
    let Checks {
        details, exotic, ..
    } = checks.into_inner();
    let details = if exotic {
        std::str::from_utf8(&body)
            .map(check_patch_json_quoted)
            .unwrap_or_default()
    } else {
        details
    };
    Ok(report(body.len(), details).map(|()| body))
}

/// Serializes `patch` with `serde_json::to_vec`, without PingOne's rules (pre-flight off); a
/// float that is not finite is still refused, as it would be written as `null`.
pub(crate) fn serialize_unchecked<P: Serialize + ?Sized>(patch: &P) -> Result<Vec<u8>, Error> {
    refuse_unrepresentable(patch, CheckedFor::Sending)?;
    serde_json::to_vec(patch).map_err(serialize_error)
}

/// Refuses a patch that holds a float that is not finite (NaN, an infinity): serde_json writes
/// it as `null`, which clears the attribute (RFC 7396 §2) where the caller meant to set it.
/// Whatever the pre-flight setting: this is not one of PingOne's rules but what the bytes
/// would say. The error's text ends as `for_whom` says.
fn refuse_unrepresentable<P: Serialize + ?Sized>(
    patch: &P,
    for_whom: CheckedFor,
) -> Result<(), Error> {
    match crate::json_number::unrepresentable(patch, false) {
        None => Ok(()),
        Some(found) => {
            let at = if found.path.is_empty() {
                String::from("the patch")
            } else {
                crate::dialect_error::Shown(&found.path).to_string()
            };
            Err(Error::InvalidInput(format!(
                "cannot send the patch: {at} is {}{}",
                found.reason,
                for_whom.ending()
            )))
        }
    }
}

fn serialize_error(error: serde_json::Error) -> Error {
    Error::InvalidInput(format!("cannot serialize the patch: {error}"))
}

/// Checks a patch's JSON against PingOne's rules, reading the JSON: the 16 KiB limit, then
/// every rule, all the faults in one [`Error::Preflight`]. What [`serialize_checked`] does
/// without reading the JSON again.
#[cfg(test)]
pub(crate) fn check_patch_text(body: &str) -> Result<(), Error> {
    report(body.len(), check_patch_json_quoted(body))
        .map_err(|broken| broken.into_error(CheckedFor::Sending))
}

/// Why a patch of `json_bytes` bytes whose rules gave `details` breaks them, if it does: each
/// fault as `target: message`, the target written once (a rule's message starts with it:
/// `nickname must be between 1 and 256 characters long`).
fn report(json_bytes: usize, details: Vec<ErrorDetail>) -> Result<(), RulesBroken> {
    let size = rules::check_size(json_bytes);
    if size.is_none() && details.is_empty() {
        return Ok(());
    }
    let details: Vec<ErrorDetail> = size.into_iter().chain(details).collect();
    let faults: Vec<String> = details.iter().map(fault_text).collect();
    Err(RulesBroken {
        text: format!(
            "the patch breaks PingOne's rules {}",
            listed_faults(&faults)
        ),
        details,
    })
}

/// The faults' texts as an error's text lists them, `(fault; fault; ...)`. The fault of a
/// read-only attribute ends with the advice to leave it out ([`rules::read_only_advice`]), and
/// that of an attribute that no user can have with the advice to rename it or leave it out
/// ([`rules::UNNAMABLE_ADVICE`]), which each detail keeps, as each detail stands alone; where
/// two faults or more give the same advice, the text says it once, after the list (it was
/// said after each of them: review 88).
fn listed_faults(faults: &[String]) -> String {
    let advice = [
        (
            rules::read_only_advice(),
            format!(
                "leave each read-only attribute out of the patch{}",
                rules::SKIP_NOTE
            ),
        ),
        (
            rules::UNNAMABLE_ADVICE.to_owned(),
            "rename each attribute that no user can have, or leave it out of the patch".to_owned(),
        ),
    ];
    let said_once: Vec<&(String, String)> = advice
        .iter()
        .filter(|(ending, _)| {
            faults
                .iter()
                .filter(|fault| fault.ends_with(ending.as_str()))
                .count()
                >= 2
        })
        .collect();
    let faults: Vec<&str> = faults
        .iter()
        .map(|fault| {
            said_once
                .iter()
                .find_map(|(ending, _)| fault.strip_suffix(ending.as_str()))
                .unwrap_or(fault)
        })
        .collect();
    let mut text = format!("({})", faults.join("; "));
    for (_, once) in said_once {
        text.push_str("; ");
        text.push_str(once);
    }
    text
}

/// One fault as `target: message`, the target written once (a rule's message starts with it:
/// `nickname must be between 1 and 256 characters long`).
fn fault_text(detail: &ErrorDetail) -> String {
    let target = detail.target.as_deref().unwrap_or("the whole profile");
    let message = detail.message.as_deref().unwrap_or("invalid");
    let message = message.strip_suffix('.').unwrap_or(message);
    match message.strip_prefix(target) {
        Some(rest) if rest.starts_with(' ') => message.to_owned(),
        _ => format!("{target}: {message}"),
    }
}

/// How many characters of a refused string a fault quotes.
const QUOTED_CHARS: usize = 64;

/// [`rules::check`], then each fault it found for a string says the string that arrived
/// (`email must be an RFC 2822 address (found "ada@")`; a longer one as its first
/// [`QUOTED_CHARS`] characters and its length, `found "aaa…"… (300 characters)`, cut at a
/// character boundary, never inside one), as
/// Rust's `Debug` writes it (control characters escaped): PingOne's own message, which the
/// emulator's answers keep, names the rule but not the value, and a feed or a batch of
/// patches leaves the caller to guess which of its values it was. A ruled attribute is
/// never a secret (`password` is read-only, and no rule reads it).
fn check_quoted(out: &mut Vec<ErrorDetail>, rule: &Rule, value: Seen<'_>) {
    match value {
        Seen::Text(text) => {
            let before = out.len();
            rules::check(out, rule, Seen::Text(std::borrow::Cow::Borrowed(&text)));
            if out.len() > before {
                quote_found(&mut out[before..], &text);
            }
        }
        other => rules::check(out, rule, other),
    }
}

/// Adds `(found "…")` to the message of each of `details`, before its final
/// full stop.
#[cold]
#[inline(never)]
fn quote_found(details: &mut [ErrorDetail], text: &str) {
    let found = format!(
        "found {}",
        crate::quoted::Quoted {
            text,
            max: QUOTED_CHARS
        }
    );
    for detail in details {
        let message = detail.message.get_or_insert_with(String::new);
        let stop = message.ends_with('.');
        if stop {
            message.pop();
        }
        message.push_str(" (");
        message.push_str(&found);
        message.push(')');
        if stop {
            message.push('.');
        }
    }
}

/// What the check found while the patch was serialized.
#[derive(Default)]
struct Checks {
    details: Vec<ErrorDetail>,
    /// A value serde_json writes in its own way was met: the JSON must be read instead.
    exotic: bool,
    /// The top-level names whose fault [`push_ignored`](Checks::push_ignored) has noted.
    ignored: HashSet<String>,
}

impl Checks {
    fn push(checks: &RefCell<Self>, detail: ErrorDetail) {
        checks.borrow_mut().details.push(detail);
    }
    /// [`push`](Checks::push) of the fault of the ignored top-level name `key`
    /// ([`rules::ignored_attribute`]), unless it is noted already (an ignored name written
    /// twice is one fault, beside the fault of writing it twice). Found by the name in a set,
    /// not by a look through the faults: that made a patch of 16,000 ignored names take 2.3 s
    /// and 64,000 take 54 s (quadratic); the fault names its key, so one name is one fault.
    fn push_ignored(checks: &RefCell<Self>, key: &str, detail: ErrorDetail) {
        let checks = &mut *checks.borrow_mut();
        if checks.ignored.insert(key.to_owned()) {
            checks.details.push(detail);
        }
    }
    fn check(checks: &RefCell<Self>, rule: &Rule, value: Seen<'_>) {
        check_quoted(&mut checks.borrow_mut().details, rule, value);
    }
    fn not_an_object(checks: &RefCell<Self>, object: &str) {
        Self::push(
            checks,
            detail(
                "INVALID_VALUE",
                object,
                format!("{object} must be an object."),
            ),
        );
    }
}

/// Where a value that is being serialized sits in the patch, as far as the rules care.
#[derive(Clone, Copy)]
enum Place {
    /// The patch itself: when an object, its members are checked.
    Patch,
    /// The value of `name`, `address` or `photo`: `null`, or an object whose members are
    /// checked.
    Object(&'static str),
    /// A value that a rule checks.
    Ruled(&'static Rule),
}

/// An object whose members have rules: the patch, or one of [`OBJECTS`](super::rules::OBJECTS).
#[derive(Clone, Copy)]
enum Container {
    Patch,
    Members(&'static str),
}

impl Container {
    /// Where the value of member `key` sits; `None` when no rule cares.
    #[inline]
    fn member(self, key: &str) -> Option<Place> {
        match self {
            Container::Patch => match rules::object(key) {
                Some(object) => Some(Place::Object(object)),
                None => rule(key).map(Place::Ruled),
            },
            Container::Members(object) => member_rule(object, key).map(Place::Ruled),
        }
    }

    /// [`member`](Container::member), noting as a fault an attribute of the patch that a
    /// PATCH cannot change or that no attribute can be named ([`rules::ignored_attribute`]):
    /// PingOne ignores it and answers 200, so the patch would change nothing of it without a
    /// word.
    #[inline]
    fn member_noting_read_only(self, key: &str, checks: &RefCell<Checks>) -> Option<Place> {
        let place = self.member(key);
        if place.is_none()
            && matches!(self, Container::Patch)
            && let Some(detail) = rules::ignored_attribute(key)
        {
            Checks::push_ignored(checks, key, detail);
        }
        place
    }
}

/// The fault of the member `target` written twice.
#[cold]
#[inline(never)]
fn written_twice_at(checks: &RefCell<Checks>, target: &str) {
    Checks::push(
        checks,
        rules::detail(
            "INVALID_VALUE",
            target,
            format!(
                "{target} is written twice in one object, as a field and as an entry of a \
                 flattened map beside it (custom_entry or other_entry): a reader keeps either \
                 value (RFC 8259 §4); set it once"
            ),
        ),
    );
}

#[cfg(test)]
mod tests;
