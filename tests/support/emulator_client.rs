//! A client of an embedded emulator, with the emulator's bearer token and no retry: what the
//! tests of one call's behaviour send with.

use sparse_patch::pingone::emulator::Emulator;
use sparse_patch::pingone::{Client, RetryPolicy, TokenSource};

/// A client of `emulator`, with its token and no retry.
pub fn client_of(emulator: &Emulator) -> Client {
    Client::builder()
        .api_base_url(emulator.api_base_url())
        .token(TokenSource::bearer(emulator.token()))
        .retry_policy(RetryPolicy::never())
        .build()
        .unwrap()
}
