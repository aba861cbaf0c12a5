//! An embedded emulator of the PingOne users endpoints, for offline tests and examples.
//!
//! [`Emulator::start`] binds an axum server to `127.0.0.1` on an ephemeral port, on a thread
//! and runtime of its own: it is started, inspected and given faults from synchronous code or
//! any runtime, and its own timers ([`Fault::Slow`]) keep real time even where a test pauses
//! tokio's clock. So one emulator may be kept in a `static` (a `std::sync::OnceLock`) and
//! serve every `#[tokio::test]` of a suite, each with its own runtime, which the server
//! outlives (a `static` is never dropped: it serves until the process ends); dropping an
//! emulator, in a task or outside any runtime, stops its server and joins its thread. A
//! client's calls to it need the real clock, though: under
//! `tokio::time::pause` the test's runtime, idle while it awaits the socket, advances its
//! clock to the client's timeout, and the calls fail with
#![cfg_attr(
    feature = "client",
    doc = r" [`Error::Timeout`](crate::pingone::Error::Timeout), as they would against any server. It"
)]
#![cfg_attr(
    not(feature = "client"),
    doc = r" `Error::Timeout`, as they would against any server. It"
)]
//! serves `GET` and `PATCH` of `/v1/environments/{environmentID}/users/{userID}` with
//! PingOne's semantics, as described in the PingOne Platform API "Update User (PATCH)" page
//! (<https://apidocs.pingidentity.com/pingone/platform/v1/api/#patch-update-user>):
//!
//! - **identifiers** in a path are compared in any case and kept and answered in lower case,
//!   as the client sends them (seeded IDs are lower-cased too), so an upper-case UUID finds
//!   its user; percent-encoded identifiers are decoded, and one whose bytes are not UTF-8
//!   names nothing (404 `NOT_FOUND`, as any unknown identifier);
//! - `HEAD` of a user is answered as `GET` without the body; another method on a user, the
//!   list or the token endpoint gets 405 `INVALID_REQUEST` with an `Allow` header naming the
//!   methods served there (RFC 9110 §15.5.6);
//! - the `Bearer` scheme (and `Basic` at the token endpoint) is read in any case, followed by
//!   one or more spaces (RFC 9110 §11.1); a missing or wrong `Authorization: Bearer` gets 401
//!   `ACCESS_FAILED` (detail `INVALID_TOKEN`) with a `WWW-Authenticate: Bearer` challenge
//!   (RFC 6750 §3), on every path but the token endpoint's: the 404 of an unknown path and
//!   the 405 of the list come after the token check, as a user's do, so that a request
//!   without a token learns nothing of which paths exist; an unknown environment or user,
//!   or an unknown path, gets 404 `NOT_FOUND`; a PATCH whose `Content-Type` is neither `application/json` nor
//!   [`SCIM_PATCH_CONTENT_TYPE`](crate::SCIM_PATCH_CONTENT_TYPE) gets 415
//!   `INVALID_REQUEST`, and a body that is not a JSON object 400 `INVALID_REQUEST`; a body
//!   past axum's limit (2 MiB, 2,097,152 bytes) gets 413 `INVALID_REQUEST` (detail
//!   `SIZE_LIMIT_EXCEEDED`) and is recorded without its body (at the token endpoint, 413
//!   `invalid_request`); every endpoint reads a request's body, even one no answer depends
//!   on, so that the connection stays open for the next request, and an answer that leaves
//!   a body unread (past 2 MiB) carries `Connection: close`;
//! - a PATCH with [`SCIM_PATCH_CONTENT_TYPE`](crate::SCIM_PATCH_CONTENT_TYPE) holds SCIM
//!   operations (RFC 7644 §3.5.2): `add`, `replace` and `remove` with paths `attr`,
//!   `attr.sub`, `attr[filter]` and `attr[filter].sub`, filters of `eq` comparisons joined by
//!   `and` and `or` (names compared exactly, values JSON literals). They are applied in order
//!   to a copy of the user, all or none; a body that is not a PatchOp message, a malformed
//!   path or filter, or an operation that fails (a `replace` whose filter matches nothing;
//!   an `add` whose filter matches nothing and names no one element, with an `or` or a
//!   value that contradicts it: an `add` at `emails[type eq "work"].value` that matches
//!   nothing adds that element, RFC 7644 §3.5.2.1) gets 400 `INVALID_DATA` with one `INVALID_VALUE` detail whose `target` is the
//!   path, and changes nothing. The user they make then takes the merge path below as the
//!   merge patch from the user it was (403s for the attributes the operations touch,
//!   read-only attributes ignored, the same checks, `updatedAt`), so both dialects give the
//!   same user and the same errors for one change. The rules of each operation are in
//!   `scim/mod.rs`;
//! - attributes declared with [`EmulatorBuilder::forbid`] get 403 `ACCESS_FAILED` (detail
//!   `INSUFFICIENT_PERMISSIONS`, with the attribute as `target`), as for a token that may not
//!   update them;
//! - invalid values get 400 `INVALID_DATA`, under PingOne's one top-level message for it
//!   ("The request could not be completed. One or more validation errors were in the
//!   request.", the PingOne Platform API "Error codes" page), with one detail per attribute,
//!   each with its `target`: `null` for `username` or `email` (`REQUIRED_VALUE`), email format (RFC 2822),
//!   lengths (with `rangeMinimumValue`/`rangeMaximumValue`), the `countryCode` and
//!   `timezone` patterns and the text patterns (with the regex as `allowedPattern`), `locale`
//!   (an RFC 5646 tag) and `preferredLanguage` (an `Accept-Language` value), phone numbers
//!   (at most 32 characters, one digit at least), `photo.href` required and an http(s) URL
//!   with a host, a `username` that another user holds in any case
//!   (`UNIQUENESS_VIOLATION`; seeded users are not checked for it, so that a test may hold
//!   copies of one user); a user whose JSON would pass 16 KiB
//!   gets `SIZE_LIMIT_EXCEEDED`. These checks are the client's pre-flight table;
//! - **read-only attributes in a body** (`id`, `environment`, `createdAt`, `updatedAt`,
//!   `_links`, `enabled`, `emailVerified`, `mfaEnabled`, `account`, `identityProvider` but
//!   its `id` (a string, or `null` to clear it: the schema has it mutable, its `type`
//!   read-only), `lifecycle`, `lastSignOn`, `population`, `verifyStatus`, `memberOfGroupIDs`,
//!   `memberOfGroupNames`, `password`) **are ignored**, as PingOne ignores attributes that match
//!   nothing it can update by PATCH; so are names that cannot be custom attributes (a letter
//!   first, then letters, digits and hyphens, at most 256), members of `name`, `address`
//!   and `photo` that the schema does not list (SCIM's `address.country`; but one the user
//!   was seeded with, which stands for a member the emulator does not know), and, when
//!   [`EmulatorBuilder::custom_attributes`] declared a schema, custom attributes outside it;
//! - `GET /v1/environments/{environmentID}/users?filter=...&limit=...` lists users: a
//!   [`UserFilter`](crate::pingone::UserFilter) (values compared in any case), pages of at
//!   most `limit` (capped by [`EmulatorBuilder::max_page_size`]) in ID order, `_links.next`
//!   with a cursor while more match, `_links.prev` on every page after the first ("Paging,
//!   ordering, and filtering collections"), `count` and `size`; an unsupported operator or attribute
//!   gets 400 `INVALID_REQUEST` (detail `INVALID_PARAMETER`, target `filter`). A page without
//!   a filter, or with `username eq` or `email eq` (which read an index), costs its own users;
//!   any other filter is checked against every user on every page, to give `count`, so that
//!   listing all its matches takes time in the users times the pages;
//! - every answer of the users endpoints (errors and 405s too, not the token endpoint's)
//!   carries a `Correlation-Id` of its own, as the "API responses" page lists for every
//!   operation;
//! - the rest is merged by RFC 7396 §2 (null removes, objects merge, arrays and other values
//!   replace), `updatedAt` is bumped (also by a PATCH that changes nothing, in either
//!   dialect: a choice, as PingOne's is not documented; `clock.rs`), and the whole user is
//!   returned with `_links` shaped as in the reference response;
//! - every link (a user's `_links`, a page's `self`, `next` and `prev`) names the host and
//!   port of the request's `Host` header (`http://localhost:{port}/v1/...` to a client of
//!   `localhost`), as a server's links name the host its clients reach it by, or, for a
//!   request without a `Host` that names one, [`Emulator::api_base_url`].
//!
//! Faults ([`Fault`]) are queued with [`Emulator::inject`]: each request to a users endpoint
//! takes the next one, whatever its method; [`Emulator::inject_patch_fault`] queues them for
//! the PATCHes alone, which take them before `inject`'s, and
//! [`Emulator::inject_for_transaction`] for the requests of one `X-Ping-External-Transaction-ID`
//! (a sync job's line), which take them before either. Once they are used up the emulator
//! answers correctly again, or draws one at random when built with
//! [`EmulatorBuilder::random_faults`] ([`RandomFaults`]). The token endpoint has a queue of
//! its own, [`Emulator::inject_token_fault`], which the random faults do not reach.
//!
//! The emulator's files, one per job: `builder/` (the [`EmulatorBuilder`] and the running
//! [`Emulator`]: their types, the builder's settings, its start, and the emulator's
//! accessors, fault queues, users and request log), `access_tokens` (the tokens issued to
//! workers, their lifetime and revocation), `state` (the users, the request log and seeding),
//! `routes` (the users
//! endpoints), `listing` (a page of users: filter and cursor), `errors` (PingOne error
//! answers), `correlation_id` (the `Correlation-Id` header of every answer of the users API),
//! `parsing` (credentials and form-encoded text), `validation` (what a PATCH may
//! hold), `scim` (SCIM operations: `message` reads them, `path` their paths and filters, `apply`
//! applies them), `faults/` ([`Fault`], [`RandomFaults`]
//! and the rate limit), `token_endpoint` (worker tokens), `generated` ([`generated_user`]) and
//! `clock` (`updatedAt`).
//!
//! By default it holds one environment, [`REFERENCE_ENVIRONMENT_ID`], with the user of the
//! reference response, [`REFERENCE_USER_ID`], and accepts the token [`DEFAULT_TOKEN`]. A user
//! seeded ([`EmulatorBuilder::user`], [`Emulator::insert_user`]) gets what PingOne sets when
//! it creates a user, where the seed leaves it out, as the reference user holds it: `createdAt`
//! and `updatedAt`, `enabled: true`, `mfaEnabled: false`, `account`, `identityProvider`,
//! `lifecycle`, `verifyStatus` and `population` ([`DEFAULT_POPULATION_ID`]).
//!
//! ```
//! use sparse_patch::pingone::emulator::{Emulator, Fault};
//!
//! let emulator = Emulator::start().unwrap();
//! assert!(emulator.api_base_url().starts_with("http://127.0.0.1:"));
//! emulator.inject(Fault::ServiceUnavailable { retry_after: None });
//! assert_eq!(emulator.user(emulator.user_id()).unwrap()["username"], "dspanner");
//! ```

mod access_tokens;
mod builder;
mod clock;
mod correlation_id;
mod errors;
mod faults;
mod generated;
mod listing;
mod parsing;
mod routes;
mod scim;
mod state;
mod token_endpoint;
mod validation;

pub use builder::{Emulator, EmulatorBuilder};
pub use faults::{Fault, RandomFaults};
pub use generated::generated_user;
pub use state::{RecordedRequest, check_seeded_user, reference_user};

/// The bearer token that a default emulator accepts.
pub const DEFAULT_TOKEN: &str = "emulator-access-token";
/// The client ID of the worker application that a default emulator knows.
pub const DEFAULT_CLIENT_ID: &str = "emulator-worker";
/// The client secret of that worker application.
pub const DEFAULT_CLIENT_SECRET: &str = "emulator-worker-secret";
/// The lifetime, in seconds, of the tokens the emulator's token endpoint issues (one hour, as
/// PingOne's default).
pub const TOKEN_LIFETIME_SECONDS: u64 = 3600;
/// The environment of the reference response (`update-user-patch.txt`).
pub const REFERENCE_ENVIRONMENT_ID: &str = "abfba8f6-49eb-49f5-a5d9-80ad5c98f9f6";
/// The population that a seeded user without `population` is in: the reference user's. PingOne
/// puts a user created without one in its environment's default population.
pub const DEFAULT_POPULATION_ID: &str = "65393df2-a368-428d-bc6e-f1c864dd3a40";
/// The user of the reference response.
pub const REFERENCE_USER_ID: &str = "a38890a6-295a-4d58-9f6e-b72b05fba379";
