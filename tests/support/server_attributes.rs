//! The attributes of an emulator's user that the server sets itself: compared apart from
//! those the tests wrote.

use serde_json::Value;

/// `updatedAt`, the environment, and what PingOne sets when it creates a user (the emulator's
/// creation defaults), which the tests' seeds leave out.
pub const SERVER_ATTRIBUTES: [&str; 10] = [
    "updatedAt",
    "environment",
    "createdAt",
    "enabled",
    "mfaEnabled",
    "account",
    "identityProvider",
    "lifecycle",
    "population",
    "verifyStatus",
];

/// `user` (a JSON object) without the [`SERVER_ATTRIBUTES`].
pub fn remove_server_attributes(user: &mut Value) {
    if let Some(user) = user.as_object_mut() {
        for attribute in SERVER_ATTRIBUTES {
            user.remove(attribute);
        }
    }
}
