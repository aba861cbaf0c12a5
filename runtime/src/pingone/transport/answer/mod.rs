//! [`Answer`], the final answer of [`Transport::send`](super::Transport::send), and reading
//! it: its body as a model, or the error that it means.
//!
//! Its parts: `success_errors` the errors of a 2xx whose body is not the model asked for,
//! `error_answer` the error that an answer that is not 2xx means, `error_page` what such an
//! error says of a body that is no PingOne error body, `html_title` an error page's title,
//! and `decode_error` the `Decode` error of an answer and what it tells of the body.

use std::time::Duration;

use bytes::Bytes;
use serde::de::DeserializeOwned;

use super::super::Error;
use super::super::document_id::{DocumentId, decode_checking_id};
use super::super::secret::Secret;
use super::body::kept_correlation_id_without;

mod decode_error;
mod error_answer;
mod error_page;
mod html_title;
mod success_errors;

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
    /// The `Content-Type` of an answer that is no success, or of a 2xx to a token request or
    /// whose body is no JSON object or array
    /// ([`content_type_of`](super::body::content_type_of)), said in its error when the body is
    /// not a PingOne error body (or not the JSON asked for): what arrived instead
    /// (`text/html`, a proxy's or load balancer's page).
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
    /// echoes the client secret), then as an error keeps it
    /// ([`kept_correlation_id`](super::body::kept_correlation_id)). A token endpoint's refusal
    /// is [`Error::Token`], which keeps no correlation ID: without this, the span of a failed
    /// fetch had none, which PingOne's support asks for.
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
}
