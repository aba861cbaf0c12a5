//! The errors of a 2xx answer whose body is not the model asked for: no body, a page, JSON
//! cut short or of another shape, a 202, a PingOne error body, JSON encoded twice, UTF-16,
//! another user's document or one without an `id`.

use core::fmt::Write as _;

use serde::de::DeserializeOwned;

use super::super::super::Error;
use super::super::super::decode_path::with_failing_path;
use super::super::super::error::CUT_JSON;
use super::super::super::error_body::may_be_error_document;
use super::Answer;

impl Answer {
    /// The error of a change answered 202 Accepted: "accepted for processing, but the
    /// processing has not been completed", and it "might or might not eventually be acted
    /// upon" (RFC 9110 §15.3.3), as a gateway or a queue in front of the API that takes the
    /// change for later answers. PingOne's PATCH answers 200 with the changed user; a 202's
    /// document (if any) is not that, and the change is not known to be made. The request is
    /// not sent again (it was received); reading the user later tells.
    #[cold]
    pub(super) fn accepted_only(&self) -> Error {
        self.decode_error(
            "the answer is 202 Accepted: the change was accepted for processing, which has \
             not been completed and might or might not eventually be acted upon (RFC 9110 \
             §15.3.3; a gateway or queue in front of the API?), so it is not known to be made \
             and a body is not the changed user; not sent again: read the user later to see"
                .to_owned(),
        )
    }

    /// The error of a 2xx body that did not decode as `M`. No body (a 204, an empty 200) is
    /// said so, not as a parser's `EOF while parsing a value at line 1 column 0`, and said to
    /// be the answer of a request that succeeded. JSON that
    /// does not fit `M` (a value that a model's enum lacks, a member that its
    /// `deny_unknown_fields` refuses, a required member missing) is named by its path
    /// ([`with_failing_path`]), and said to be the answer of a request that succeeded.
    #[cold]
    pub(super) fn undecodable<M: DeserializeOwned>(&self, error: &serde_json::Error) -> Error {
        if let Some(error) = self.error_body_with_success_status() {
            return error;
        }
        if let Some(error) = self.json_encoded_twice() {
            return error;
        }
        if let Some(error) = self.not_utf8() {
            return error;
        }
        // A 204, or a 2xx without a body (as a server that answers a PATCH with no document,
        // `Prefer: return=minimal` style, sends it): said to be a success as every other 2xx
        // that does not decode is; the text said only that the body was empty, and a caller
        // took the PATCH, applied, for one that failed.
        if self.is_blank() {
            return self.decode_error(format!(
                "the body is empty, where the JSON of the answer was expected ({}, an update \
                 included, and answered no document){}",
                self.outcome(),
                self.content_type_note(&str::to_owned)
            ));
        }
        // What arrived, said before the parser's position: a page (a proxy's, a gateway's
        // sign-in) where JSON was expected, or JSON that its sender cut short (the whole body
        // as its `Content-Length` said arrived, and it ends inside a value).
        let first = self.body.iter().find(|byte| !byte.is_ascii_whitespace());
        if error.is_syntax() && !matches!(first, Some(b'{' | b'[' | b'"')) {
            // Its kind, title, length and `Content-Type`, as a 4xx's or 5xx's error says them.
            return self.decode_error(format!(
                "the body is not JSON but {} (a page of a proxy or gateway? see its start): \
                 {error}",
                self.what_arrived(&str::to_owned)
            ));
        }
        if error.is_eof() {
            return self.decode_error(format!(
                "{CUT_JSON} ({} bytes, the whole body as the answer framed it: its sender cut \
                 the JSON short): {error} ({}, and only its answer was cut short on the way; a \
                 PATCH, applied, is not sent again: read the user to see it)",
                self.body.len(),
                self.outcome()
            ));
        }
        let redact = |text: &str| match &self.secret {
            Some(secret) => secret.redact(text),
            None => text.to_owned(),
        };
        // serde's message alone is read for the values it quotes, before the path goes in
        // front of it: the path holds the document's keys, and a key that ends in `string `
        // (`custom."a.string "`) read as serde's marker of a quoted string, which showed the
        // value after it as text.
        let message = if (200..300).contains(&self.status) && self.is_json_document() {
            crate::quoted::without_quoted_values(&error.to_string())
        } else {
            error.to_string()
        };
        let reason = with_failing_path::<M>(&self.body, error, message, &redact);
        // Said after the reason is cut: a reason past 2,048 characters (a generated enum of
        // every country code, its `expected one of` list 1,500 characters long) lost it.
        let mut error = self.decode_error(reason);
        if let Error::Decode { reason, .. } = &mut error {
            let _ = write!(
                reason,
                " ({}, and its answer does not fit the model; read it as a `serde_json::Value` \
                 to see it)",
                self.outcome()
            );
        }
        error
    }

    /// The error of [`decode_user`](Answer::decode_user) for a document without an `id`
    /// string at its top level (none, a number, `null`; or a body that is no object), which
    /// PingOne's user document always has: whose it is cannot be told, and a caller that took
    /// it for the user would diff and patch against it.
    #[cold]
    pub(super) fn no_user_id(&self, user_id: &str) -> Error {
        if let Some(error) = self.error_body_with_success_status() {
            return error;
        }
        if let Some(error) = self.json_encoded_twice() {
            return error;
        }
        if let Some(error) = self.not_utf8() {
            return error;
        }
        self.decode_error(format!(
            "the answer has no `id` string at its top level, which PingOne's user document \
             always has: it cannot be told to be the document of the user asked for \
             ({user_id}), and is not returned as it (a proxy's or a cache's answer?)"
        ))
    }

    /// The error of [`decode_user`](Answer::decode_user) for another user's document.
    #[cold]
    pub(super) fn another_user(&self, id: &str, user_id: &str) -> Error {
        if let Some(error) = self.error_body_with_success_status() {
            return error;
        }
        let id: String = id.chars().take(64).collect();
        let mut error = self.decode_error(format!(
            "the answer is the document of the user {id:?}, not of the user asked for ({}): \
             a proxy, cache or connection pool on the way mixed up answers, and it is not \
             returned as this user's (nor quoted: it is another user's data)",
            user_id.to_ascii_lowercase()
        ));
        // The body is another person's profile (name, email, phone): the error of a call
        // about this user, which its caller logs, does not carry it. The ids say enough.
        if let Error::Decode { body_start, .. } = &mut error {
            body_start.clear();
        }
        error
    }

    /// The error of a 2xx whose body is a PingOne error body (a JSON object with a `code`
    /// and a `message` string and no `username`, which every user document has), as a
    /// gateway that answers every upstream answer with 200 sends it (aws/aws-sdk-cpp#783
    /// reports S3 errors answered 200): said as such, with the error's code and message,
    /// rather than as a user document that lacks `username` (the code and message withheld
    /// with the body, as a user's profile is) or, read as a `serde_json::Value`, as another
    /// user's document (the error's `id` taken for a user's) that a proxy mixed up. `None`
    /// for any other body, and for one larger than
    /// [`MAX_ERROR_DOCUMENT_BYTES`](super::super::super::error_body::MAX_ERROR_DOCUMENT_BYTES).
    #[cold]
    pub(super) fn error_body_with_success_status(&self) -> Option<Error> {
        if !may_be_error_document(&self.body) {
            return None;
        }
        let object: serde_json::Map<String, serde_json::Value> =
            serde_json::from_slice(&self.body).ok()?;
        let is_text = |name: &str| object.get(name).is_some_and(serde_json::Value::is_string);
        if !is_text("code") || !is_text("message") || object.contains_key("username") {
            return None;
        }
        let error = self.api_error()?;
        let shown = |text: Option<&str>| {
            format!(
                "{:?}",
                text.unwrap_or_default()
                    .chars()
                    .take(200)
                    .collect::<String>()
            )
        };
        Some(self.decode_error(format!(
            "the body is a PingOne error body, not the JSON of an answer, though the status is \
             HTTP {} (a gateway or proxy that answers errors with a success status?): code {}, \
             message {}; whether the request was carried out cannot be told from it (read the \
             user to see)",
            self.status,
            shown(error.code.as_deref()),
            shown(error.message.as_deref()),
        )))
    }

    /// The error of a 2xx whose body is a JSON string whose text is a JSON object or array
    /// (`"{\"id\": ...}"`): the answer's JSON encoded twice, as a gateway or a function in
    /// front of the API that encodes it one time too many sends it (an AWS Lambda proxy
    /// integration takes its `body` as a string: aws/aws-lambda-go#373). The decoder's reason
    /// (`invalid type: string "{\"email\": ...}"`) quoted the whole document, a user's
    /// profile, into the error's text, which the client keeps out of it for a JSON object;
    /// read as a `serde_json::Value`, it said only that the document has no `id`. Now said as
    /// what it is, without quoting it. `None` for any other body.
    #[cold]
    fn json_encoded_twice(&self) -> Option<Error> {
        let text: String = serde_json::from_slice(&self.body).ok()?;
        let inner = text.trim_start();
        if !inner.starts_with(['{', '[']) {
            return None;
        }
        let kind = if inner.starts_with('{') {
            "object"
        } else {
            "array"
        };
        let what = if serde_json::from_str::<serde::de::IgnoredAny>(inner).is_ok() {
            format!("a JSON {kind}")
        } else {
            format!("the start of a JSON {kind} (cut or broken)")
        };
        Some(self.decode_error(format!(
            "the body is a JSON string whose text is {what}, where the answer's JSON was \
             expected: the answer encoded twice (by a gateway or proxy on the way?); the \
             string is not quoted here, as it may hold a user's profile"
        )))
    }

    /// The error of a 2xx whose body is UTF-16 or UTF-32
    /// ([`is_utf16_or_utf32`](super::super::super::error::is_utf16_or_utf32)), where JSON
    /// exchanged between systems must be UTF-8 (RFC 8259 §8.1), as a .NET or Java server or
    /// a gateway that writes its strings' own encoding sends it (`charset=UTF-16`): said as
    /// such, not as a page of a proxy (serde_json's `expected value at line 1 column 1`), nor
    /// as a document without an `id`. Its start is not quoted
    /// ([`json_document`](super::super::super::error::json_document) tells it is one): a
    /// user's profile. `None` for a body that is neither, and for a body with a
    /// `Content-Encoding` (gzip's header holds NUL bytes too), which is said to be encoded.
    #[cold]
    fn not_utf8(&self) -> Option<Error> {
        self.is_wide_text().then(|| {
            self.decode_error(format!(
                "the body is UTF-16 or UTF-32 (a byte order mark or NUL bytes at its start, \
                 RFC 4627 §3), where JSON exchanged between systems must be UTF-8 (RFC 8259 \
                 §8.1): not read ({}, and its answer is in another encoding; read it as bytes \
                 to see it)",
                self.outcome()
            ))
        })
    }

    /// What the error of a 2xx whose body could not be read says the request came to: that it
    /// succeeded and the server did what was asked; for a 202 Accepted, that the request was
    /// accepted for processing that has not been completed (RFC 9110 §15.3.3), so what was
    /// asked (a read, a page of users) is not known to be done. A 202 to a read or a list
    /// said the server did what was asked, which the 202's own rule denies.
    #[cold]
    fn outcome(&self) -> String {
        if self.status == 202 {
            "the request was accepted, HTTP 202: accepted for processing, which has not been \
             completed (RFC 9110 §15.3.3), so what was asked is not known to be done"
                .to_owned()
        } else {
            format!(
                "the request succeeded, HTTP {}: the server did what was asked",
                self.status
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Answer;

    /// The decode error of a 200 with `body`, its `Content-Encoding` being `encoding`.
    fn decoded(body: &str, encoding: Option<&str>) -> crate::pingone::Error {
        Answer {
            status: 200,
            retry_after: None,
            body: bytes::Bytes::from(body.to_owned()),
            encoding: encoding.map(str::to_owned),
            location: None,
            correlation_id: None,
            challenge: None,
            content_type: None,
            attempts: 1,
            secret: None,
        }
        .decode::<crate::pingone::User>()
        .unwrap_err()
    }

    /// A cut body is told by where the reason starts (after the note of an undecoded
    /// encoding, whatever that encoding's name holds), never by the text that a decoder's
    /// reason quotes from the body.
    #[test]
    fn a_cut_body_is_told_from_a_value_that_quotes_the_reason() {
        let cut = r#"{"id": "a38890a6-295a-4d58-9f6e-b72b05fba379", "username": "ad"#;
        assert!(decoded(cut, None).is_cut_json());
        assert!(decoded(cut, Some("utf-8")).is_cut_json());
        let quoting = r#"{"username": "ada", "email": "a@example.com",
            "enabled": "the body's JSON ends before it is complete"}"#;
        assert!(!decoded(quoting, None).is_cut_json());
        // A hostile encoding's name that holds the end of the note and the reason: the name
        // is read to its closing quote.
        let name = "x\", which was not decoded: the client asks for no encoding itself (an \
                    HTTP client given to it, or reqwest's compression features turned on by \
                    another crate, may ask for some, and decode only those), so a proxy or \
                    gateway on the way most likely encoded it: the body's JSON ends before it \
                    is complete";
        assert!(!decoded(quoting, Some(name)).is_cut_json());
        assert!(decoded(cut, Some(name)).is_cut_json());
    }
}
