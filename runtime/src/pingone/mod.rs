//! The PingOne users API: a client that sends typed JSON merge patches (feature `client`), the
//! [`User`] model, and an embedded emulator for offline tests (feature `emulator`).
//!
//! Source: PingOne Platform API, "Users"
//! (<https://apidocs.pingidentity.com/pingone/platform/v1/api/#users>).

mod model;

/// [`not_applied`](fn@crate::not_applied) at its former place; it serves any API, PingOne's too.
pub use crate::not_applied::not_applied;
pub use model::{
    Account, Address, AddressPatch, IdentityProvider, LastSignOn, Lifecycle, Link, Name, NamePatch,
    Photo, PhotoPatch, ResourceRef, User, UserPatch,
};

#[cfg(any(feature = "client", feature = "emulator"))]
mod client_auth_method;
#[cfg(any(feature = "client", feature = "emulator"))]
mod error_body;
#[cfg(any(feature = "client", feature = "emulator"))]
mod filter;
#[cfg(any(feature = "client", feature = "emulator"))]
mod rules;
#[cfg(any(feature = "client", feature = "emulator"))]
pub use client_auth_method::{ClientAuthMethod, UnknownAuthMethod};
#[cfg(any(feature = "client", feature = "emulator"))]
pub use error_body::{ApiError, ErrorDetail};
#[cfg(any(feature = "client", feature = "emulator"))]
pub use filter::{FilterError, MAX_FILTER_DEPTH, Operator, UserAttribute, UserFilter};
#[cfg(any(feature = "client", feature = "emulator"))]
pub use rules::MAX_PROFILE_BYTES;

#[cfg(feature = "client")]
mod client;
#[cfg(feature = "client")]
mod client_builder;
#[cfg(feature = "client")]
mod correlation;
#[cfg(feature = "client")]
mod decode_path;
#[cfg(feature = "client")]
mod document_id;
#[cfg(feature = "client")]
mod error;
#[cfg(feature = "client")]
mod http_client;
#[cfg(feature = "client")]
mod http_date;
#[cfg(any(feature = "client", feature = "emulator"))]
mod ids;
#[cfg(any(feature = "client", feature = "emulator"))]
mod later;
#[cfg(feature = "client")]
mod listing;
#[cfg(feature = "client")]
mod plain_http_refusal;
#[cfg(feature = "client")]
mod preflight;
#[cfg(any(feature = "client", feature = "emulator"))]
mod query_credentials;
#[cfg(feature = "client")]
mod region;
#[cfg(feature = "client")]
mod retry;
#[cfg(feature = "client")]
mod runtime_pools;
#[cfg(feature = "client")]
mod secret;
#[cfg(feature = "client")]
pub mod sync;
#[cfg(feature = "client")]
mod token;
#[cfg(feature = "client")]
mod transport;

// Each item re-exported below under `feature = "client"` carries that cfg where it is defined
// too, though its module has it already: rustdoc, documenting the `sparse-patch` facade that
// re-exports this crate (on docs.rs, without `--cfg docsrs` for this crate), labels an item
// with the cfgs of the item itself and of the public modules above it, not those of a private
// module or of the `pub use`, so that `Client` read "Available on crate features client or
// emulator only" there (tests/package_metadata.rs).
#[cfg(feature = "client")]
pub use client::{Client, DEFAULT_USER_AGENT};
#[cfg(feature = "client")]
pub use client_builder::ClientBuilder;
#[cfg(feature = "client")]
pub use correlation::{
    Correlation, MAX_CORRELATION_ID_CHARS, SESSION_ID_HEADER, TRANSACTION_ID_HEADER,
};
#[cfg(feature = "client")]
pub use error::{BODY_START_CHARS, Error};
#[cfg(feature = "client")]
pub use http_client::install_default_crypto_provider;
#[cfg(any(feature = "client", feature = "emulator"))]
pub use ids::is_pingone_id;
#[cfg(feature = "client")]
pub use listing::{MAX_EMPTY_PAGES, MAX_PAGE_SIZE, UserQuery};
#[cfg(feature = "client")]
pub use plain_http_refusal::PlainHttpRefusal;
#[cfg(feature = "client")]
pub use preflight::{check_patch, check_scim_patch};
#[cfg(feature = "client")]
pub use region::{Region, UnknownRegion};
#[cfg(feature = "client")]
pub use retry::{RetryEvent, RetryPolicy, UNEXPECTED_ERROR, parse_retry_after};
#[cfg(feature = "client")]
pub use token::{REFUSAL_HOLD, TokenSource};
#[cfg(feature = "client")]
pub use transport::MAX_BODY_BYTES;

#[cfg(feature = "emulator")]
pub mod emulator;
