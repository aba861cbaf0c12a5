//! The emulator against the reference's row for `identityProvider`
//! (`../shared/reference/pingone-users-api.md`, "The user document": "identityProvider.id,
//! identityProvider.type | ... | type read-only"; the OpenAPI description's
//! `User_identityProvider.id`: "A mutable string that identifies the external identity
//! provider used to authenticate the user").

#[path = "support/emulator_client.rs"]
mod emulator_client;
use emulator_client::emulator_patch as patch;

use serde_json::json;
use sparse_patch::pingone::emulator::Emulator;

/// A PATCH of `identityProvider.id` changes it, as PingOne's schema has it mutable; its
/// `type`, read-only, stays as it was, and `null` clears the `id` (RFC 7396 §2). The emulator
/// ignored `identityProvider` whole, so that a caller that moves a user to an external
/// provider saw a 200 whose user still named none, where PingOne names the new one.
#[tokio::test]
async fn a_patch_of_the_identity_provider_id_changes_it_and_leaves_its_type() {
    const PROVIDER: &str = "3c0c6d3e-9c56-4b7a-8a67-5c1d7f0e2b41";
    let emulator = Emulator::start().unwrap();
    let (status, user) = patch(
        &emulator,
        &json!({"identityProvider": {"id": PROVIDER, "type": "SAML"}}),
    )
    .await;
    assert_eq!(status, 200, "{user}");
    let expected = json!({"id": PROVIDER, "type": "PING_ONE"});
    assert_eq!(user["identityProvider"], expected);
    assert_eq!(
        emulator.user(emulator.user_id()).unwrap()["identityProvider"],
        expected
    );

    let (status, user) = patch(&emulator, &json!({"identityProvider": {"id": null}})).await;
    assert_eq!(status, 200, "{user}");
    assert_eq!(user["identityProvider"], json!({"type": "PING_ONE"}));

    // The object as a whole, and its type alone, are not the PATCH's to change.
    for body in [
        json!({"identityProvider": null}),
        json!({"identityProvider": {}}),
        json!({"identityProvider": {"type": "GOOGLE"}}),
        json!({"identityProvider": "SAML"}),
    ] {
        let (status, user) = patch(&emulator, &body).await;
        assert_eq!(status, 200, "{body}: {user}");
        assert_eq!(
            user["identityProvider"],
            json!({"type": "PING_ONE"}),
            "{body}"
        );
    }
}
