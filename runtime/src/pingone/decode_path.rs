//! Where in a JSON document decoding as a model fails: the path of the attribute that the
//! model refused (`verifyStatus`, `name.pronunciation`, `emails[0].value`), for the errors of
//! answers that do not fit the caller's model. serde_json's own error gives only a line and a
//! column, and a user document's start (`_links`) says nothing of the value at fault.

use serde::de::DeserializeOwned;

/// The path at which `json` fails to decode as `M`, read by decoding it again with
/// `serde_path_to_error` (only after a failure: the successful decoding pays nothing).
/// `None` where the failure is at the document itself (a missing top-level attribute, JSON
/// that is not an object) or where `json` decodes (a failure that was not the model's).
///
/// The path is serde_path_to_error's, written as
/// [`error_path::path_text`](crate::error_path::path_text) writes it: members joined by `.`,
/// array elements as `[n]`, a map's keys as members, a name that is long (a map's key is the
/// server's data, which may be a megabyte of text that would crowd the reason out of the
/// error), holds a control character (a line break would forge a line of the caller's log) or
/// a `.` quoted and cut. Each name goes through `redact` (the bearer token taken out) before
/// it is cut, so that no part of the token is left by a cut inside it.
#[cold]
#[inline(never)]
pub(crate) fn failing_path<M: DeserializeOwned>(
    json: &[u8],
    redact: &dyn Fn(&str) -> String,
) -> Option<String> {
    let mut reader = serde_json::Deserializer::from_slice(json);
    let error = {
        let _pass = PathPass::start();
        serde_path_to_error::deserialize::<_, M>(&mut reader).err()?
    };
    let path = crate::error_path::path_text(error.path(), redact);
    (!path.is_empty()).then_some(path)
}

std::thread_local! {
    /// Whether this thread is decoding a document again to find where it failed
    /// ([`failing_path`]).
    static FINDING_PATH: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Whether the decoding under way is [`failing_path`]'s second one, which only finds the path
/// of a failure: a `Deserialize` of the crate's that reads a part of the document apart from
/// the rest (a page's first user, read from its text to fingerprint the page) reads it in place
/// then, so that the path goes on into it (`_embedded.users[0].badges[1]`, not
/// `_embedded.users`).
pub(crate) fn finding_path() -> bool {
    FINDING_PATH.with(std::cell::Cell::get)
}

/// [`finding_path`] is `true` while this lives (on this thread: decoding is synchronous),
/// and `false` again once it is dropped, also by a panic of the model's `Deserialize`.
struct PathPass;

impl PathPass {
    fn start() -> PathPass {
        FINDING_PATH.with(|finding| finding.set(true));
        PathPass
    }
}

impl Drop for PathPass {
    fn drop(&mut self) {
        FINDING_PATH.with(|finding| finding.set(false));
    }
}

/// `reason` (serde_json's text of a failure to decode `json` as `M`) with the path at which
/// it failed in front, when there is one: ``at `verifyStatus`: unknown variant `PENDING`,
/// expected one of `NOT_INITIATED`, `ENABLED`, `DISABLED` at line 1 column 2696``. A
/// syntax error (JSON that is not JSON) has no path and keeps its text. `redact` as for
/// [`failing_path`].
#[cold]
pub(crate) fn with_failing_path<M: DeserializeOwned>(
    json: &[u8],
    error: &serde_json::Error,
    reason: String,
    redact: &dyn Fn(&str) -> String,
) -> String {
    if !error.is_data() {
        return reason;
    }
    match failing_path::<M>(json, redact) {
        Some(path) => format!("at `{path}`: {reason}"),
        None => reason,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Deserialize, Debug)]
    #[allow(dead_code)]
    struct Name {
        given: String,
    }

    #[derive(serde::Deserialize, Debug)]
    #[allow(dead_code)]
    #[serde(rename_all = "camelCase")]
    struct User {
        name: Option<Name>,
        verify_status: Option<Status>,
        emails: Option<Vec<Name>>,
        counts: Option<std::collections::BTreeMap<String, u8>>,
    }

    #[derive(serde::Deserialize, Debug)]
    #[allow(dead_code)]
    #[serde(rename_all = "SCREAMING_SNAKE_CASE")]
    enum Status {
        Enabled,
    }

    fn reason_of(json: &str) -> String {
        let error = serde_json::from_str::<User>(json).expect_err("does not decode");
        with_failing_path::<User>(json.as_bytes(), &error, error.to_string(), &str::to_owned)
    }

    #[test]
    fn a_refused_value_is_named_by_its_path() {
        assert!(
            reason_of(r#"{"verifyStatus": "PENDING"}"#)
                .starts_with("at `verifyStatus`: unknown variant `PENDING`"),
        );
        assert!(
            reason_of(r#"{"name": {"given": 7}}"#).starts_with("at `name.given`: invalid type")
        );
        assert!(reason_of(r#"{"name": {}}"#).starts_with("at `name`: missing field `given`"));
        assert!(
            reason_of(r#"{"emails": [{"given": "a"}, {"given": false}]}"#)
                .starts_with("at `emails[1].given`: invalid type")
        );
    }

    #[test]
    fn a_failure_at_the_document_or_of_syntax_has_no_path() {
        assert_eq!(
            reason_of("42"),
            "invalid type: integer `42`, expected struct User at line 1 column 2"
        );
        assert!(reason_of(r#"{"name": {"given": "a""#).starts_with("EOF while parsing"));
    }

    /// A map's key is the server's data: a key of a megabyte was the path whole (and the
    /// 512 characters the error keeps of its reason were all key: what failed was cut
    /// away), and a key with a line break wrote a line of its own into the caller's log.
    #[test]
    fn a_long_or_unprintable_key_is_quoted_and_cut() {
        let key = "k".repeat(1 << 20);
        let reason = reason_of(&format!(r#"{{"counts": {{"{key}": "x"}}}}"#));
        let quoted = format!("{:?}… (1048576 characters)", "k".repeat(64));
        assert!(
            reason.starts_with(&format!("at `counts.{quoted}`: invalid type: string")),
            "{}",
            &reason[..200]
        );
        let reason = reason_of(r#"{"counts": {"a\nERROR forged": "x"}}"#);
        assert!(
            reason.starts_with(r#"at `counts."a\nERROR forged"`: invalid type"#),
            "{reason}"
        );
        // A short key that is not an identifier as it is; one with a `.`, quoted: it is one
        // member, not two.
        let reason = reason_of(r#"{"counts": {"a b": 300}}"#);
        assert!(
            reason.starts_with("at `counts.a b`: invalid value"),
            "{reason}"
        );
        let reason = reason_of(r#"{"counts": {"a b.c": 300}}"#);
        assert!(
            reason.starts_with(r#"at `counts."a b.c"`: invalid value"#),
            "{reason}"
        );
    }
}
