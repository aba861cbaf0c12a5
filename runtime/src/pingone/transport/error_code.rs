//! The top-level `code` of a PingOne error body, read to tell whether an answer whose status
//! is not retried is retried for its code ([`RetryPolicy::is_retryable_code`]).

use std::borrow::Cow;

use super::super::RetryPolicy;

/// Whether the error answer `status` with `body` is retried for its PingOne error code alone
/// ([`RetryPolicy::is_retryable_code`]: `UNEXPECTED_ERROR`, on any status from 400 but 401).
/// Only the body's top-level `code` is read (no copy of the rest); a body that is not JSON, or
/// has no string `code`, is not. Called only for an answer that its status does not retry, so
/// a success or a retryable status costs nothing more.
#[cold]
pub(super) fn retried_for_its_code(status: u16, body: &[u8]) -> bool {
    #[derive(serde::Deserialize)]
    struct Code<'a> {
        #[serde(borrow, default)]
        code: Option<Cow<'a, str>>,
    }
    if status < 400 || status == 401 {
        return false;
    }
    serde_json::from_slice::<Code<'_>>(body)
        .ok()
        .and_then(|body| body.code)
        .is_some_and(|code| RetryPolicy::is_retryable_code(status, &code))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_an_unexpected_error_code_of_an_error_status_is_retried() {
        let unexpected = br#"{"id": "x", "code": "UNEXPECTED_ERROR", "message": "m"}"#;
        assert!(retried_for_its_code(400, unexpected));
        assert!(retried_for_its_code(
            409,
            br#"{"code": "Unexpected_Error"}"#
        ));
        assert!(!retried_for_its_code(401, unexpected));
        assert!(!retried_for_its_code(200, unexpected));
        assert!(!retried_for_its_code(400, br#"{"code": "INVALID_DATA"}"#));
        assert!(!retried_for_its_code(400, br#"{"code": 5}"#));
        assert!(!retried_for_its_code(400, b"<html>UNEXPECTED_ERROR</html>"));
        assert!(!retried_for_its_code(400, b""));
    }
}
