//! The embedded emulator of the offline mode, and its users.

use serde_json::json;
use sparse_patch::pingone::emulator::{Emulator, EmulatorBuilder, generated_user};

/// The emulator of the offline mode: [`seeded_emulator`]'s users, without the log of every
/// request (about 1 KiB each, never read here), so that the run's memory does not grow with
/// the feed: 180 MB for 150,000 lines with it.
pub(crate) fn offline_emulator() -> std::io::Result<Emulator> {
    seeded_users(Emulator::builder().record_requests(false)).start()
}

/// `builder` with the users of the offline mode.
pub(crate) fn seeded_users(mut builder: EmulatorBuilder) -> EmulatorBuilder {
    // The users of `pingone-emulator --generate 100`, from the same function.
    for n in 1..=100 {
        builder = builder.user(generated_user(n));
    }
    for (n, twin) in ["twin-a", "twin-b"].iter().enumerate() {
        builder = builder.user(json!({
            "id": format!("00000000-0000-4000-9000-{n:012}"),
            "username": twin,
            "email": "twins@example.com",
        }));
    }
    builder
}
