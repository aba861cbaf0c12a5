//! [`Answer`], the final answer of [`Transport::send`](super::Transport::send), and reading
//! it: its body as a model, or the error that it means.

use core::fmt::Write as _;
use std::time::Duration;

use bytes::Bytes;
use serde::de::DeserializeOwned;

use super::super::decode_path::with_failing_path;
use super::super::document_id::{DocumentId, decode_checking_id};
use super::super::error::{
    CUT_JSON, ENCODING_NOTE_END, ENCODING_NOTE_START, body_start, is_utf16_or_utf32, json_document,
    quotable_text,
};
use super::super::error_body::may_be_error_document;
use super::super::secret::Secret;
use super::super::{ApiError, Error};
use super::body::{
    kept_correlation_id, kept_correlation_id_without, shown_challenge, shown_content_type,
};

/// The final answer of [`Transport::send`](super::Transport::send).
pub(crate) struct Answer {
    pub(crate) status: u16,
    /// The `Retry-After` wait, read only for retryable statuses (429 among them): the other
    /// headers are not kept.
    pub(crate) retry_after: Option<Duration>,
    pub(crate) body: Bytes,
    /// The answer's `Content-Encoding` when it is not `identity` (such as `gzip`): the client
    /// asks for none (it sends no `Accept-Encoding`) and decodes none, so the body is not
    /// readable, and its errors say why rather than quote compressed bytes as JSON.
    pub(crate) encoding: Option<String>,
    /// The `Location` of a 3xx answer ([`location_of`](super::body::location_of)), said in its
    /// error: where the redirect pointed (an `http://` base URL that a gateway sends to `https://`,
    /// another host or path) is what a user needs to fix the URL.
    pub(crate) location: Option<String>,
    /// The `Correlation-Id` of an answer that is no success
    /// ([`correlation_id_of`](super::body::correlation_id_of)), kept in its error
    /// ([`ApiError::correlation_id`](crate::pingone::ApiError::correlation_id)).
    pub(crate) correlation_id: Option<String>,
    /// The `WWW-Authenticate` challenges of a 400, 401 or 403
    /// ([`challenge_of`](super::body::challenge_of)), said in its error when the body is not a
    /// PingOne error body: the only account of why a bearer token was refused that a gateway or
    /// resource server with an empty body gives.
    pub(crate) challenge: Option<String>,
    /// The `Content-Type` of an answer that is no success
    /// ([`content_type_of`](super::body::content_type_of)), said in its error when the body is not
    /// a PingOne error body: what arrived instead (`text/html`, a proxy's or load balancer's page).
    pub(crate) content_type: Option<String>,
    pub(crate) attempts: u32,
    /// The token the request carried (set by the client): taken out of the body wherever an
    /// error keeps a part of it, as a page that echoes the request's headers would show it.
    pub(crate) secret: Option<Secret>,
}

impl Answer {
    /// The `Correlation-Id` of this answer (one that is no success) as a token fetch's span
    /// records it: the header's text with the request's credentials taken out by
    /// `take_credentials` (a proxy that copies the request's form or `Basic` header there
    /// echoes the client secret), then as an error keeps it ([`kept_correlation_id`]). A
    /// token endpoint's refusal is [`Error::Token`], which keeps no correlation ID: without
    /// this, the span of a failed fetch had none, which PingOne's support asks for.
    pub(crate) fn correlation_id_without(
        &self,
        take_credentials: impl Fn(&str) -> String,
    ) -> Option<String> {
        let raw = self.correlation_id.as_deref()?;
        kept_correlation_id_without(raw, self.secret.as_ref(), take_credentials)
    }

    /// The body of a 2xx answer as `M`, or the error that the answer means.
    ///
    /// Inlined, with the error paths apart: the decoded model (a `User` is over 1 KB) is then
    /// written where the caller keeps it rather than copied there.
    #[inline]
    pub(crate) fn decode<M: DeserializeOwned>(self) -> Result<M, Error> {
        if (200..300).contains(&self.status) {
            return serde_json::from_slice(&self.body)
                .map_err(|error| self.undecodable::<M>(&error));
        }
        self.error()
    }

    /// [`decode`](Answer::decode) for the answer to a request about the user `user_id`, which
    /// refuses a 2xx whose body is another user's document: a JSON object whose top-level `id`
    /// is a string other than `user_id` (compared in any case, as UUIDs are). A proxy, cache
    /// or connection pool that mixes up answers (the answer of one request delivered to
    /// another) would otherwise pass that user for the one asked for, and a caller would diff
    /// and patch against someone else's attributes. The `id` is read while `M` is decoded
    /// ([`decode_checking_id`]), or, where `M` skips it or does not show its text (a model
    /// without an `id` field, an `id` read as bytes, an enum or a `RawValue`), in a second pass
    /// that skips the rest; `M` accepts and refuses what `serde_json::from_slice` does. A
    /// document without an `id` string (none, a number) is refused too: whose it is cannot be
    /// told ([`DocumentId::Missing`]). A body that does not decode as
    /// `M` (a PingOne error body answered with 200, whose `id` is the error's) keeps the
    /// decoder's reason.
    #[inline]
    pub(crate) fn decode_user<M: DeserializeOwned>(self, user_id: &str) -> Result<M, Error> {
        if (200..300).contains(&self.status) {
            // The model stays where it was decoded until `map_err` writes it out, as in
            // `decode`; `other` is set only for a body that decoded.
            let mut id = DocumentId::Expected;
            let decoded = decode_checking_id::<M>(&self.body, user_id, &mut id);
            match id {
                DocumentId::Expected => {}
                DocumentId::Other(id) => return Err(self.another_user(&id, user_id)),
                DocumentId::Missing => return Err(self.no_user_id(user_id)),
            }
            return decoded.map_err(|error| self.undecodable::<M>(&error));
        }
        self.error()
    }

    /// [`decode_user`](Answer::decode_user) for the answer to a request that changes the user
    /// `user_id` (a merge or SCIM PATCH): a 202 Accepted, whatever its body, is
    /// [`Error::Decode`], not the changed user: said as a PingOne error body with its code and
    /// message when its body is one, as any 2xx's is, and otherwise as a change accepted only
    /// ([`accepted_only`](Answer::accepted_only)).
    #[inline]
    pub(crate) fn decode_changed_user<M: DeserializeOwned>(
        self,
        user_id: &str,
    ) -> Result<M, Error> {
        if self.status == 202 {
            return Err(self
                .error_body_with_success_status()
                .unwrap_or_else(|| self.accepted_only()));
        }
        self.decode_user(user_id)
    }

    /// The error of a change answered 202 Accepted: "accepted for processing, but the
    /// processing has not been completed", and it "might or might not eventually be acted
    /// upon" (RFC 9110 §15.3.3), as a gateway or a queue in front of the API that takes the
    /// change for later answers. PingOne's PATCH answers 200 with the changed user; a 202's
    /// document (if any) is not that, and the change is not known to be made. The request is
    /// not sent again (it was received); reading the user later tells.
    #[cold]
    fn accepted_only(&self) -> Error {
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
    fn undecodable<M: DeserializeOwned>(&self, error: &serde_json::Error) -> Error {
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
                 included, and answered no document)",
                self.outcome()
            ));
        }
        // What arrived, said before the parser's position: a page (a proxy's, a gateway's
        // sign-in) where JSON was expected, or JSON that its sender cut short (the whole body
        // as its `Content-Length` said arrived, and it ends inside a value).
        let first = self.body.iter().find(|byte| !byte.is_ascii_whitespace());
        if error.is_syntax() && !matches!(first, Some(b'{' | b'[' | b'"')) {
            return self.decode_error(format!(
                "the body is not JSON (a page of a proxy or gateway? see its start): {error}"
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
    fn no_user_id(&self, user_id: &str) -> Error {
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
    fn another_user(&self, id: &str, user_id: &str) -> Error {
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
    /// [`MAX_ERROR_DOCUMENT_BYTES`](super::super::error_body::MAX_ERROR_DOCUMENT_BYTES).
    #[cold]
    fn error_body_with_success_status(&self) -> Option<Error> {
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

    /// The error of a 2xx whose body is UTF-16 or UTF-32 ([`is_utf16_or_utf32`]), where JSON
    /// exchanged between systems must be UTF-8 (RFC 8259 §8.1), as a .NET or Java server or
    /// a gateway that writes its strings' own encoding sends it (`charset=UTF-16`): said as
    /// such, not as a page of a proxy (serde_json's `expected value at line 1 column 1`), nor
    /// as a document without an `id`. Its start is not quoted ([`json_document`] tells it is
    /// one): a user's profile. `None` for a body that is neither, and for a body with a
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

    /// Whether the body is text in UTF-16 or UTF-32 ([`is_utf16_or_utf32`]): a body without a
    /// `Content-Encoding`, as a body with one (gzip's header holds NUL bytes too) is said to
    /// be encoded instead.
    pub(crate) fn is_wide_text(&self) -> bool {
        self.encoding.is_none() && is_utf16_or_utf32(&self.body)
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

    /// What the error of an answer whose body is not a PingOne error body says of its
    /// `WWW-Authenticate` ([`Answer::challenge`]): `; WWW-Authenticate: "..."`, the token the
    /// request carried and whatever `redact` replaces taken out before it is cut; empty
    /// without one.
    #[cold]
    pub(crate) fn challenge_note(&self, redact: &dyn Fn(&str) -> String) -> String {
        let shown = self.challenge.as_deref().and_then(|text| {
            shown_challenge(text, |text| match &self.secret {
                Some(secret) => redact(&secret.redact(text)),
                None => redact(text),
            })
        });
        match shown {
            Some(challenge) => format!("; WWW-Authenticate: {challenge:?}"),
            None => String::new(),
        }
    }

    /// Whether the body is a JSON document ([`json_document`]: a user's, a page of them), told
    /// from its first character that is not white space. Told from the start that an error
    /// keeps ([`body_start`], 512 characters), a document after more white space than that
    /// (pretty-printed JSON behind a gateway that pads it) was not one, and the decoder's
    /// reason kept the value of it that it quotes.
    #[cold]
    fn is_json_document(&self) -> bool {
        let start = self
            .body
            .iter()
            .position(|byte| !byte.is_ascii_whitespace())
            .unwrap_or(self.body.len());
        json_document(&body_start(&self.body[start..])).is_some()
    }

    /// Whether the body is empty, or only whitespace.
    #[cold]
    fn is_blank(&self) -> bool {
        self.body.iter().all(u8::is_ascii_whitespace)
    }

    /// The error of a [`Decode`](Error::Decode) kind for this answer.
    #[cold]
    fn decode_error(&self, reason: String) -> Error {
        let reason = match self.encoding_text() {
            Some(encoding) => format!("{encoding}: {reason}"),
            None => reason,
        };
        // A decoder's reason quotes the value it refused (`invalid type: string "..."`); of a
        // 2xx JSON document, none is left ([`undecodable`](Answer::undecodable)). Otherwise
        // the token is taken out first, then the value cut to 512 characters (a body may hold
        // a string of megabytes, which the reason quoted whole), so that no part of the token
        // is left by a cut inside it.
        let reason = match &self.secret {
            Some(secret) => secret.redact(&reason),
            None => reason,
        };
        let reason = crate::quoted::shortened(&reason, super::super::BODY_START_CHARS);
        Error::Decode {
            status: self.status,
            reason,
            body_start: body_start(self.redacted_body().as_bytes()),
            attempts: self.attempts,
            retry_after: self.retry_after,
        }
    }

    /// What an error says of a body with a `Content-Encoding` (see [`Answer::encoding`]).
    #[cold]
    pub(crate) fn encoding_text(&self) -> Option<String> {
        self.encoding.as_ref().map(|encoding| {
            // Ends before ": ", which `decode_error` writes before the reason.
            let end = ENCODING_NOTE_END
                .strip_suffix(": ")
                .unwrap_or(ENCODING_NOTE_END);
            format!("{ENCODING_NOTE_START}{encoding:?}{end}")
        })
    }

    /// The body, lossily decoded (in UTF-16 or UTF-32, without its NULs: [`quotable_text`]),
    /// with the token the request carried replaced by `***` (as it is and JSON-escaped:
    /// [`Secret::redact`](super::super::secret::Secret::redact)).
    #[cold]
    fn redacted_body(&self) -> String {
        let text = quotable_text(&self.body);
        match &self.secret {
            Some(secret) => secret.redact(&text),
            None => text.into_owned(),
        }
    }

    /// The body as a PingOne error, if it is one, with the token the request carried taken
    /// out of every string once decoded (a JSON escape such as `\u0061` or `\/` would hide it
    /// from a search of the raw text).
    /// A body larger than
    /// [`MAX_ERROR_DOCUMENT_BYTES`](super::super::error_body::MAX_ERROR_DOCUMENT_BYTES) is
    /// not read as one.
    #[cold]
    fn api_error(&self) -> Option<ApiError> {
        if !may_be_error_document(&self.body) {
            return None;
        }
        let mut value: serde_json::Value =
            serde_json::from_str(&String::from_utf8_lossy(&self.body)).ok()?;
        if let Some(secret) = &self.secret {
            secret.redact_json(&mut value);
        }
        let mut error = serde_json::from_value::<ApiError>(value)
            .ok()
            .filter(|error| {
                error.code.is_some() || error.id.is_some() || error.message.is_some()
            })?;
        error.correlation_id = self
            .correlation_id
            .as_deref()
            .and_then(|text| kept_correlation_id(text, self.secret.as_ref()));
        Some(error)
    }

    /// The error that an answer that is not 2xx means.
    #[cold]
    #[inline(never)]
    fn error<M>(self) -> Result<M, Error> {
        // Whatever its body says: a redirect is not PingOne's answer to the request.
        if (300..400).contains(&self.status) {
            let to = match &self.location {
                Some(location) => format!(" to {location:?}"),
                None => " without a Location".to_owned(),
            };
            return Err(self.decode_error(format!(
                "a redirect{to}, which the client does not follow: PingOne's API answers none \
                 (a base URL that a gateway redirects, such as http:// to https://, is set to \
                 where it points)"
            )));
        }
        let error = self.api_error();
        if self.status == 429 {
            return Err(Error::RateLimited {
                retry_after: self.retry_after,
                error: error.map(Box::new),
                attempts: self.attempts,
            });
        }
        match error {
            Some(error) => Err(Error::Api {
                status: self.status,
                error: Box::new(error),
                attempts: self.attempts,
                retry_after: self.retry_after,
            }),
            // The error's text says first that the body is not a PingOne error body
            // (`Error::Decode`'s `Display` for a 4xx or 5xx); the reason says what it is.
            None if self.is_blank() => Err(self.decode_error(format!(
                "the body is empty{}{}{}",
                self.content_type_note(),
                self.challenge_note(&str::to_owned),
                self.correlation_note()
            ))),
            // A body in UTF-16 or UTF-32 (a PingOne error body among them, which `api_error`
            // reads as UTF-8 and misses) is said to be so, as a 2xx's and a token error's
            // are; a body with a `Content-Encoding` is said to be encoded instead.
            None if self.is_wide_text() => Err(self.decode_error(format!(
                "the body is UTF-16 or UTF-32 (a byte order mark or NUL bytes at its start, \
                 RFC 4627 §3), where JSON exchanged between systems must be UTF-8 (RFC 8259 \
                 §8.1){}{}{}",
                self.content_type_note(),
                self.challenge_note(&str::to_owned),
                self.correlation_note()
            ))),
            None => Err(self.decode_error(format!(
                "{}{}{}{}",
                self.what_arrived(),
                self.origin_note(),
                self.challenge_note(&str::to_owned),
                self.correlation_note()
            ))),
        }
    }

    /// What the error of a 4xx or 5xx whose body is not a PingOne error body says arrived
    /// instead: its `Content-Type` and its length, and for an HTML page (a `Content-Type`
    /// that names HTML, or a body that starts with `<`) its `<title>`, which names the proxy's
    /// or load balancer's answer (`"502 Bad Gateway"`). The text said only "not a PingOne
    /// error body", which read as a fault of the client's (review 129's new user).
    #[cold]
    fn what_arrived(&self) -> String {
        let content_type = self.shown_content_type();
        let is_html = content_type
            .as_deref()
            .is_some_and(|kind| kind.to_ascii_lowercase().contains("html"))
            || self
                .body
                .iter()
                .find(|byte| !byte.is_ascii_whitespace())
                .is_some_and(|first| *first == b'<');
        let mut text = if is_html {
            "an HTML page".to_owned()
        } else {
            "a body".to_owned()
        };
        if is_html && let Some(title) = html_title(&self.redacted_body()) {
            let _ = write!(text, " titled {title:?}");
        }
        let _ = write!(text, " of {} bytes", self.body.len());
        match content_type {
            Some(content_type) => {
                let _ = write!(text, " (Content-Type {content_type:?})");
            }
            None => text.push_str(" (no Content-Type)"),
        }
        text
    }

    /// `; Content-Type "..."` for an answer that has one, as [`what_arrived`](Answer::what_arrived)
    /// shows it; empty without one.
    #[cold]
    fn content_type_note(&self) -> String {
        self.shown_content_type()
            .map_or_else(String::new, |content_type| {
                format!("; Content-Type {content_type:?}")
            })
    }

    /// `; Correlation-Id "..."` for an answer that has one (a gateway in front of PingOne may
    /// set it on its own page too), as [`ApiError::correlation_id`] keeps it for a PingOne
    /// error body: what PingOne's support asks for. `Error::Decode` has no field for it, so
    /// its reason carries it; empty without one.
    #[cold]
    fn correlation_note(&self) -> String {
        self.correlation_id
            .as_deref()
            .and_then(|raw| kept_correlation_id(raw, self.secret.as_ref()))
            .map_or_else(String::new, |id| format!("; Correlation-Id {id:?}"))
    }

    /// The answer's `Content-Type` as an error shows it: the request's token taken out, then
    /// cut ([`shown_content_type`]).
    #[cold]
    fn shown_content_type(&self) -> Option<String> {
        let raw = self.content_type.as_deref()?;
        shown_content_type(raw, |text| match &self.secret {
            Some(secret) => secret.redact(text),
            None => text.to_owned(),
        })
    }

    /// Where the body of a 4xx or 5xx that is not a PingOne error body came from: PingOne's API
    /// answers its errors with a JSON error body, so from something between the client and
    /// PingOne, or from a server that is not PingOne's API; for a 5xx, a server's failure
    /// (RFC 9110 §15.6), not the request's. Empty for any other status.
    #[cold]
    fn origin_note(&self) -> &'static str {
        match self.status {
            500..=599 => {
                ": the answer of something between the client and PingOne (a proxy, gateway or \
                 load balancer) or of the server itself; a 5xx is the server's failure, not the request's (RFC 9110 \
                 §15.6)"
            }
            400..=499 => {
                ": the answer of something between the client and PingOne (a proxy, gateway or \
                 firewall) or of a server that is not PingOne's API (check the API base URL)"
            }
            _ => "",
        }
    }
}

/// The text of the `<title>` element of the HTML page `page` (found in its first 8,192
/// characters, its name in any case, with attributes or without), its white space runs made
/// one space, at most 100 characters; `None` without one, or when it is empty. A `<title>`
/// written inside a comment, a `<script>` or a `<style>` (whose text is no markup) is not the
/// page's, nor is an element whose name only starts with `title`: the first `<title` of the
/// text, which an edited page's comment or a script setting the title can hold before the
/// real one, named the wrong page.
fn html_title(page: &str) -> Option<String> {
    let head: String = page.chars().take(8 * 1024).collect();
    // ASCII case alone: the same byte offsets as `head`.
    let lower = head.to_ascii_lowercase();
    let mut at = 0;
    let start = loop {
        let open = at + lower[at..].find('<')?;
        let rest = &lower[open..];
        if let Some(comment) = rest.strip_prefix("<!--") {
            // An unclosed comment holds the rest of the page.
            at = open + 4 + comment.find("-->")? + 3;
        } else if let Some(name) = ["script", "style"]
            .into_iter()
            .find(|name| starts_element(rest, name))
        {
            let end = format!("</{name}");
            at = open + rest.find(&end)? + end.len();
        } else if starts_element(rest, "title") {
            break open + rest.find('>')? + 1;
        } else {
            at = open + 1;
        }
    };
    let length = lower[start..].find("</title")?;
    let title: String = head[start..start + length]
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .chars()
        .take(100)
        .collect();
    (!title.is_empty()).then_some(title)
}

/// Whether `text` (in lower case) starts with the start tag of the element `name`: `<name`
/// followed by `>`, `/` or white space, which end its name (`<titlebar>` is not a `<title>`).
fn starts_element(text: &str, name: &str) -> bool {
    text.strip_prefix('<')
        .and_then(|rest| rest.strip_prefix(name))
        .is_some_and(|after| {
            after.starts_with(|character: char| {
                character == '>' || character == '/' || character.is_ascii_whitespace()
            })
        })
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

    /// The text of the error of an answer with `status`, `body`, its `Content-Type` and its
    /// `Correlation-Id`, sent with the bearer token `token`.
    fn error_text(
        status: u16,
        body: &[u8],
        content_type: Option<&str>,
        correlation_id: Option<&str>,
        token: Option<&str>,
    ) -> String {
        Answer {
            status,
            retry_after: None,
            body: bytes::Bytes::from(body.to_vec()),
            encoding: None,
            location: None,
            correlation_id: correlation_id.map(str::to_owned),
            challenge: None,
            content_type: content_type.map(str::to_owned),
            attempts: 1,
            secret: token.map(|token| crate::pingone::secret::Secret::new(token.to_owned())),
        }
        .decode::<crate::pingone::User>()
        .unwrap_err()
        .to_string()
    }

    /// What an error page's error says arrived (mutation audit: each of these went
    /// unnoticed): an HTML page told by its Content-Type in any case or by a `<` after white
    /// space; its title found past the first KB, in any case, cut to 100 characters, and left
    /// out when empty; no Content-Type said so; a Content-Type cut to 100 visible characters
    /// without controls or the spaces around them; the bearer token taken out of the title,
    /// the Content-Type and the Correlation-Id; an empty or UTF-16 body's Content-Type and
    /// Correlation-Id; a 401's WWW-Authenticate; a 400 said to be no PingOne error body.
    #[test]
    fn an_error_page_says_what_arrived() {
        let text = error_text(502, b"\n  <p>down</p>", None, None, None);
        assert!(
            text.contains("(an HTML page of 14 bytes (no Content-Type): the answer"),
            "{text}"
        );
        let text = error_text(502, b"down", Some("TEXT/HTML"), None, None);
        assert!(
            text.contains("(an HTML page of 4 bytes (Content-Type \"TEXT/HTML\")"),
            "{text}"
        );
        let padded = format!("<html>{}<Title x=\"1\">Gone</tITLE>", " ".repeat(2000));
        let text = error_text(503, padded.as_bytes(), Some("text/html"), None, None);
        assert!(text.contains("an HTML page titled \"Gone\" of "), "{text}");
        let long = format!("<title>{}</title>", "t".repeat(150));
        let text = error_text(503, long.as_bytes(), Some("text/html"), None, None);
        assert!(
            text.contains(&format!("titled \"{}\" of", "t".repeat(100))),
            "{text}"
        );
        let text = error_text(503, b"<title> </title>", Some("text/html"), None, None);
        assert!(text.contains("(an HTML page of 16 bytes"), "{text}");
        let kind = format!(" \u{1b}[2Jtext/plain; {}", "p".repeat(150));
        let text = error_text(500, b"oops", Some(&kind), None, None);
        assert!(
            text.contains(&format!(
                "(Content-Type \"[2Jtext/plain; {}\")",
                "p".repeat(84)
            )),
            "{text}"
        );

        // The token taken out before the title and the Content-Type are cut: none of it is
        // left by a cut inside it (the reason's own redaction finds no whole token there).
        const TOKEN: &str = "eyJhbGciOiJSUzI1NiJ9.tokenbody.signature";
        let page = format!("<title>{}{TOKEN}</title>", "x".repeat(95));
        let kind = format!("text/html; {}{TOKEN}", "k".repeat(84));
        let text = error_text(401, page.as_bytes(), Some(&kind), None, Some(TOKEN));
        assert!(!text.contains("eyJhb"), "{text}");

        for body in [&b""[..], b"\xff\xfe{\x00}\x00"] {
            let text = error_text(502, body, Some("text/html"), Some("c1 -id"), None);
            assert!(
                text.contains("; Content-Type \"text/html\"; Correlation-Id \"c1-id\")"),
                "{text}"
            );
        }
        // A 401's challenge, its only account of why a bearer token was refused.
        let text = Answer {
            status: 401,
            retry_after: None,
            body: bytes::Bytes::from_static(b"<html>denied</html>"),
            encoding: None,
            location: None,
            correlation_id: None,
            challenge: Some("Bearer error=\"invalid_token\"".to_owned()),
            content_type: None,
            attempts: 1,
            secret: None,
        }
        .decode::<crate::pingone::User>()
        .unwrap_err()
        .to_string();
        assert!(
            text.contains("; WWW-Authenticate: \"Bearer error=\\\"invalid_token\\\"\")"),
            "{text}"
        );
        let text = error_text(400, b"bad", Some("text/plain"), None, None);
        assert!(
            text.starts_with(
                "the HTTP 400 answer's body is not PingOne's JSON error body (a body of 3 bytes"
            ),
            "{text}"
        );
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

    /// A header that echoes a secret with a tab, an invisible or a non-ASCII byte inside it
    /// (`Content-Type`, `Correlation-Id`, `WWW-Authenticate`): the characters an error leaves
    /// out of a header were left out after the secret was searched for, which found none, so
    /// that the secret came out whole in the error's text and the token span's correlation
    /// ID. Left out first, then searched for, it is taken out.
    #[test]
    fn a_secret_split_by_a_character_that_a_header_leaves_out_is_taken_out() {
        const TOKEN: &str = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ3b3JrZXIifQ.c2lnbmF0dXJl";
        const CLIENT_SECRET: &str = "Xk2-client-secret-9fQ";
        for hidden in ['\t', '\u{200b}', '\u{fffd}', '\u{1}'] {
            let split = format!("{}{hidden}{}", &TOKEN[..20], &TOKEN[20..]);
            let answer = Answer {
                status: 502,
                retry_after: None,
                body: bytes::Bytes::from_static(b"<html><title>502 Bad Gateway</title></html>"),
                encoding: None,
                location: None,
                correlation_id: Some(format!("id-{split}")),
                challenge: Some(format!("Bearer realm=\"{split}\"")),
                content_type: Some(format!("text/html; echo={split}")),
                attempts: 1,
                secret: Some(crate::pingone::secret::Secret::new(TOKEN.to_owned())),
            };
            let text = answer.challenge_note(&str::to_owned)
                + &answer.what_arrived()
                + &answer.correlation_note();
            assert!(!text.contains(TOKEN), "{hidden:?}: {text}");
            let split_secret = format!("{}{hidden}{}", &CLIENT_SECRET[..5], &CLIENT_SECRET[5..]);
            let token_answer = Answer {
                correlation_id: Some(split_secret),
                ..answer
            };
            let id = token_answer
                .correlation_id_without(|raw| raw.replace(CLIENT_SECRET, "[secret]"))
                .unwrap_or_default();
            assert!(!id.contains(CLIENT_SECRET), "{hidden:?}: {id}");
        }
    }

    /// The `<title>` of an error page is the element's: not a `<title>` written inside a
    /// comment, a script or a style (whose text is no markup, and which an edited page or a
    /// page that sets its title by script holds before the real one), nor an element whose
    /// name only starts with `title`; its name and end in any case, with attributes.
    #[test]
    fn an_error_page_s_title_is_the_title_element_s() {
        let cases = [
            (
                "<!-- <title>Old page</title> --><title>502 Bad Gateway</title>",
                Some("502 Bad Gateway"),
            ),
            (
                "<head><script>document.title = '<title>x</title>';</script>\
                 <title>503 Service Unavailable</title>",
                Some("503 Service Unavailable"),
            ),
            (
                "<style>/* <title>css</title> */</style><TITLE lang=en>Denied</TiTlE >",
                Some("Denied"),
            ),
            (
                "<titlebar>Menu</titlebar><title>Blocked</title>",
                Some("Blocked"),
            ),
            ("<!-- <title>Only in a comment</title>", None),
            (
                "<title>\n  Access\t denied \r\n</title>",
                Some("Access denied"),
            ),
            ("<title>unclosed", None),
        ];
        for (page, title) in cases {
            assert_eq!(super::html_title(page).as_deref(), title, "{page}");
        }
    }
}
