//! [`Refused`]: why the builder's URLs were refused, a plain `http` URL told from any other
//! fault, for [`ClientBuilder::plain_http_refusal`](super::ClientBuilder::plain_http_refusal).

use super::super::{Error, PlainHttpRefusal};

/// Why [`ClientBuilder::checked_urls`](super::ClientBuilder::checked_urls) refused the builder: a plain `http` URL that
/// [`allow_plain_http`](super::ClientBuilder::allow_plain_http) would let through, or another fault.
pub(super) enum Refused {
    PlainHttp(PlainHttpRefusal),
    Other(Error),
}

impl From<Error> for Refused {
    fn from(error: Error) -> Self {
        Refused::Other(error)
    }
}

impl From<Refused> for Error {
    fn from(refused: Refused) -> Self {
        match refused {
            Refused::PlainHttp(refusal) => Error::Config(refusal.config_text()),
            Refused::Other(error) => error,
        }
    }
}
