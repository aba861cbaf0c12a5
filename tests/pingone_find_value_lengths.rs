//! The longest value that `find_user_by_username` and `find_user_by_email` look up, as
//! docs/common_tasks states it: a username of 128 characters (counted in characters, not
//! bytes: PingOne's rule) and an email of 320 bytes (RFC 3696 §3) are looked up; one more is
//! `Error::InvalidInput`, which no user can hold, and nothing is sent.

#[path = "support/emulator_client.rs"]
mod emulator_client;
use emulator_client::client_of;

use sparse_patch::pingone::Error;
use sparse_patch::pingone::emulator::Emulator;

#[tokio::test]
async fn a_username_of_128_characters_is_looked_up_and_one_of_129_refused() {
    let emulator = Emulator::start().unwrap();
    let client = client_of(&emulator);
    let env = emulator.environment_id();
    // 256 bytes: the bound counts characters.
    let longest = "\u{e9}".repeat(128);
    assert!(
        client
            .find_user_by_username(env, &longest)
            .await
            .unwrap()
            .is_none()
    );
    assert_eq!(emulator.requests().len(), 1);
    let error = client
        .find_user_by_username(env, &"u".repeat(129))
        .await
        .unwrap_err();
    assert!(
        matches!(&error, Error::InvalidInput(text) if text.contains("(128 characters at most)")),
        "{error:?}"
    );
    assert_eq!(emulator.requests().len(), 1, "nothing sent");
}

#[tokio::test]
async fn an_email_of_320_bytes_is_looked_up_and_one_of_321_refused() {
    let emulator = Emulator::start().unwrap();
    let client = client_of(&emulator);
    let env = emulator.environment_id();
    let email = |bytes: usize| format!("{}@example.com", "e".repeat(bytes - 12));
    assert_eq!(email(320).len(), 320);
    assert!(
        client
            .find_user_by_email(env, &email(320))
            .await
            .unwrap()
            .is_none()
    );
    assert_eq!(emulator.requests().len(), 1);
    let error = client
        .find_user_by_email(env, &email(321))
        .await
        .unwrap_err();
    assert!(
        matches!(&error, Error::InvalidInput(text) if text.contains("(320 bytes at most)")),
        "{error:?}"
    );
    assert_eq!(emulator.requests().len(), 1, "nothing sent");
}
