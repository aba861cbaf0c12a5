//! Attribute names as a line's errors show them ([`shown_names`]): quoted where they hold
//! what a terminal would act on, cut when long, and with PingOne's spelling of a core
//! attribute written in another case or with white space around it, and what changes a
//! read-only one where something does.

use crate::pingone::rules::{READ_ONLY, SCHEMA, core_spelling};
use crate::quoted::cut;

/// How many names an error text shows; the rest are counted ("and 12 more"). The error itself
/// keeps them all.
const SHOWN_NAMES: usize = 20;

/// The longest name, in characters, that an error text shows whole; a longer one (a whole
/// CSV row read as one key) is shown by its first characters and its length, as
/// [`Quoted`](crate::quoted::Quoted) shows a long value.
const SHOWN_NAME_CHARS: usize = 100;

/// Names for an error text, joined with `, `: quoted and escaped where a name holds a control
/// or invisible format character (a newline, a terminal's escape sequence, a bidi override),
/// is empty or has white space at an end, so that a feed's name cannot forge lines or reach
/// a terminal as it is. At most
/// [`SHOWN_NAMES`] of them, each cut to [`SHOWN_NAME_CHARS`], so that a line of 40,000 unknown
/// names or of one 900 KB name does not make a report line of that size.
pub(super) fn shown_names(names: &[String]) -> String {
    let mut shown = names
        .iter()
        .take(SHOWN_NAMES)
        .map(|name| {
            let cut = cut(name, SHOWN_NAME_CHARS);
            let (text, cut_note) = (cut.shown, cut.note());
            let shown = crate::dialect_error::Shown(text).bare();
            match core_spelling(name) {
                Some(core) => {
                    format!(
                        "{shown}{cut_note} (PingOne's name is {core}: names are case-sensitive)"
                    )
                }
                // Quoted and escaped whole: a byte order mark is invisible as it is.
                None if let Some(core) = unpadded(name).and_then(core_name) => format!(
                    "{text:?}{cut_note} (PingOne's name is {core}: this one has white space or \
                     an invisible character around a name, as a CSV header written with a \
                     space after each comma, or saved with a byte order mark, gives; trim the \
                     header)"
                ),
                None if name == MODEL_CUSTOM_MAP => format!(
                    "{shown} (the Rust model User's map of custom attributes, not a PingOne \
                     attribute: write each custom attribute at the top level of the line, \
                     {{\"costCenter\": \"1\"}}; declare a custom attribute named custom to \
                     send one)"
                ),
                None if name == IDENTITY_PROVIDER => format!(
                    "{shown} (its id can change by PATCH, its type cannot, but the sync job \
                     does not send it: its patch, UserPatch, has no identityProvider; change \
                     identityProvider.id with Client::update_user and a model of your own)"
                ),
                None if let Some(how) = own_calls(name) => format!("{shown}{how}"),
                None => format!("{shown}{cut_note}"),
            }
        })
        .collect::<Vec<_>>();
    if names.len() > SHOWN_NAMES {
        shown.push(format!("and {} more", names.len() - SHOWN_NAMES));
    }
    shown.join(", ")
}

/// `path` without the white space and the control or invisible characters (a byte order
/// mark) around each of its dotted names (` username`, `\u{feff}id`, `name. given`), when
/// they had some: the names a CSV header written `id, username` (a space after each comma) or
/// saved with a byte order mark gives a converted feed's every line.
pub(super) fn unpadded(path: &str) -> Option<String> {
    let padding = |c: char| c.is_whitespace() || crate::pingone::rules::outside_text(c);
    let bare = path
        .split('.')
        .map(|name| name.trim_matches(padding))
        .collect::<Vec<_>>()
        .join(".");
    (bare != path && !bare.is_empty()).then_some(bare)
}

/// PingOne's spelling of the core attribute or member `path` names in any case (`username`
/// for `username` and `UserName`).
fn core_name(path: String) -> Option<&'static str> {
    SCHEMA
        .iter()
        .chain(READ_ONLY)
        .copied()
        .chain(crate::pingone::rules::RULES.iter().map(|rule| rule.path))
        .find(|core| core.eq_ignore_ascii_case(&path))
}

/// The name of [`User::custom`](crate::pingone::User::custom), the Rust model's map of custom
/// attributes: a line that holds it means the map, whose members PingOne wants at the top
/// level, unless the environment declares a custom attribute of that name.
pub(super) const MODEL_CUSTOM_MAP: &str = "custom";

/// `identityProvider`, which the sync job refuses though PingOne's reference has its `id`
/// mutable ("type read-only"): [`UserPatch`](crate::pingone::UserPatch) cannot send it, so a
/// line's error says that, rather than leaving it among the read-only attributes.
const IDENTITY_PROVIDER: &str = "identityProvider";

/// What changes the read-only attribute `name` instead of a PATCH, as the client's pre-flight
/// says it (`enabled (it has its own call: PUT .../enabled)`): `None` for one that PingOne
/// alone sets (`createdAt`) and for any other name. `account`, which the pre-flight lets
/// through, has the reference's word: lock and unlock have their own calls.
fn own_calls(name: &str) -> Option<&'static str> {
    if name == "account" {
        return Some(" (lock and unlock have their own calls)");
    }
    crate::pingone::rules::read_only(name).filter(|how| !how.is_empty())
}
