//! The users seeded or inserted: [`check_seeded_user`], and the checks and creation defaults
//! of [`seed_user`] (PingOne's rules, the client's model, the 16 KiB profile).

use serde_json::{Map, Value, json};

use super::super::{DEFAULT_POPULATION_ID, clock};
use crate::member_order::remove_member;

/// Checks `user` as [`EmulatorBuilder::user`](super::super::EmulatorBuilder::user) seeds it when
/// the emulator starts: a JSON object with a string `id` that is a PingOne ID (a UUID, in any
/// case), whose attributes keep the rules that a PATCH must keep (lengths, patterns, email,
/// the 16 KiB profile: the pre-flight rules, which the emulator's validation applies too), and
/// that the client's [`User`](crate::pingone::User) reads: with a string `username` and
/// `email`, which PingOne's User schema requires. For a program that reads users from a
/// file and wants to name the line at fault, as `pingone-emulator --users` does. Usernames and
/// emails are not compared with other users' (a test may seed two users that one filter finds).
///
/// # Errors
///
/// What is wrong with `user`, as [`EmulatorBuilder::start`](super::super::EmulatorBuilder::start)
/// says it.
///
/// ```
/// use serde_json::json;
/// use sparse_patch::pingone::emulator::check_seeded_user;
///
/// let ada = json!({
///     "id": "A38890A6-295A-4D58-9F6E-B72B05FBA379",
///     "username": "ada",
///     "email": "ada@example.com",
/// });
/// assert!(check_seeded_user(&ada).is_ok());
/// let error = check_seeded_user(&json!({"id": "A38890A6-295A-4D58-9F6E-B72B05FBA379"})).unwrap_err();
/// assert!(error.contains("missing field `username`"), "{error}");
/// let error = check_seeded_user(&json!({"id": "alice"})).unwrap_err();
/// assert!(error.contains("must be a PingOne ID"), "{error}");
/// ```
pub fn check_seeded_user(user: &Value) -> Result<(), String> {
    // Measured in the reference environment: every environment ID is a UUID, of one length,
    // so the size of the user kept is the same in any.
    seed_user(user.clone(), super::super::REFERENCE_ENVIRONMENT_ID).map(|_| ())
}

/// A seeded or inserted user: an object whose `id` is a PingOne ID (a UUID) and whose
/// attributes keep the rules that a PATCH must keep ([`rules`](crate::pingone::rules)), kept
/// (and its `id`) in lower case, in `environment_id`, without `_links`, with PingOne's creation
/// defaults where it leaves them out ([`fill_creation_defaults`]). A user that the client
/// could never reach, read or write back is refused here, where the test that seeds it can see
/// why.
pub(in crate::pingone::emulator) fn seed_user(
    user: Value,
    environment_id: &str,
) -> Result<(String, Map<String, Value>), String> {
    let Value::Object(mut user) = user else {
        return Err("a seeded user must be a JSON object".into());
    };
    let id = match user.get("id") {
        Some(Value::String(id)) => id.to_ascii_lowercase(),
        other => {
            let found = other.map_or_else(|| "none".to_owned(), Value::to_string);
            return Err(format!(
                "a seeded user needs a string `id`, a PingOne ID (a UUID such as \
                 a38890a6-295a-4d58-9f6e-b72b05fba377), which the client can send: {found}"
            ));
        }
    };
    if !crate::pingone::ids::is_pingone_id(&id) {
        return Err(format!(
            "a seeded user's `id` must be a PingOne ID (a UUID such as \
             a38890a6-295a-4d58-9f6e-b72b05fba377), which the client can send: {id:?}"
        ));
    }
    let broken = crate::pingone::rules::check_patch(&user, None);
    if !broken.is_empty() {
        let messages: Vec<String> = broken
            .iter()
            .map(|detail| detail.message.clone().unwrap_or_default())
            .collect();
        return Err(format!(
            "the seeded user {id} breaks PingOne's rules: {}",
            messages.join(" ")
        ));
    }
    // In place: with serde_json's `preserve_order`, `Map::remove` moved the seed's last
    // member into `_links`' place, and the stored user answered in another order.
    remove_member(&mut user, "_links");
    user.insert("id".into(), Value::String(id.clone()));
    user.insert("environment".into(), json!({ "id": environment_id }));
    fill_creation_defaults(&mut user);
    // The 16 KiB profile, measured as a PATCH measures the user it makes (the user kept,
    // without `_links`, with the `updatedAt` the PATCH writes, to the millisecond). Before, a
    // seed past it was taken, and every PATCH that did not shrink it got
    // `SIZE_LIMIT_EXCEEDED`; and a seed at the limit whose own `updatedAt` was shorter
    // (`2020-01-01T00:00:00Z`) was taken, then refused every PATCH, `{}` included.
    let mut as_patched = user.clone();
    let previous = as_patched
        .get("updatedAt")
        .and_then(Value::as_str)
        .unwrap_or("");
    let updated_at = clock::next_updated_at(previous);
    as_patched.insert("updatedAt".into(), Value::String(updated_at));
    let size = serde_json::to_vec(&as_patched).map_or(0, |json| json.len());
    if let Some(detail) = crate::pingone::rules::check_size(size) {
        return Err(format!(
            "the seeded user {id} breaks PingOne's rules: {}",
            detail.message.unwrap_or_default()
        ));
    }
    check_readable(&id, &user)?;
    Ok((id, user))
}

/// Refuses a seed that the client's own model, [`User`](crate::pingone::User), cannot read
/// as it is kept (with the creation defaults): one without `username` or `email`, which
/// PingOne's User schema requires and every user it answers holds, or with a read-only
/// attribute of another type than PingOne's (`"enabled": "yes"`, `"account": "LOCKED"`).
/// Taken, such a seed made every `get_user`, `update_user` and list that reached it fail
/// with `Error::Decode` ("the request succeeded ... does not fit the model"), which pointed
/// at the server rather than at the test's seed (review 75). The reason names the attribute.
fn check_readable(id: &str, user: &Map<String, Value>) -> Result<(), String> {
    let mut rendered = Map::new();
    rendered.insert("_links".into(), json!({}));
    rendered.extend(user.iter().map(|(key, value)| (key.clone(), value.clone())));
    serde_path_to_error::deserialize::<_, crate::pingone::User>(Value::Object(rendered))
        .map(|_| ())
        .map_err(|error| {
            let at = error.path().to_string();
            let at = if at == "." {
                String::new()
            } else {
                format!("at `{at}`: ")
            };
            format!(
                "the seeded user {id} cannot be read as a PingOne user (`pingone::User`, the \
                 client's model): {at}{}; every PingOne user has a string `username` and \
                 `email` (the User schema requires both)",
                error.inner()
            )
        })
}

/// Gives a seeded user the attributes that PingOne sets when it creates a user, where the
/// seed leaves them out (a seed's own value, `null` included, is kept): every user that
/// PingOne answers holds them, as the reference user does, so that a model or a program that
/// reads them (`enabled` to skip disabled users, `createdAt`, `population.id`) finds them in
/// the emulator too. `enabled` is `true` and `mfaEnabled` `false` ("set to … by default when
/// the user is created", the User schema of PingOne's OpenAPI description),
/// `identityProvider.type` is `PING_ONE` (its default), `lifecycle.status` `ACCOUNT_OK`,
/// `account` `{"canAuthenticate": true, "status": "OK"}`, `verifyStatus` `NOT_INITIATED` and
/// `population.id` [`DEFAULT_POPULATION_ID`], as in the reference user; `createdAt` is the
/// seed's `updatedAt` (or now, when it has neither) and `updatedAt` its `createdAt`, so that
/// a user is never updated before it was created.
/// (`emailVerified`, `lastSignOn` and the group memberships are left out, as the reference
/// user has none of them.)
fn fill_creation_defaults(user: &mut Map<String, Value>) {
    let created_at = ["createdAt", "updatedAt"]
        .iter()
        .find_map(|name| user.get(*name).and_then(Value::as_str))
        .map_or_else(clock::now, str::to_owned);
    let defaults = [
        ("createdAt", Value::String(created_at.clone())),
        ("updatedAt", Value::String(created_at)),
        ("enabled", json!(true)),
        ("mfaEnabled", json!(false)),
        ("account", json!({"canAuthenticate": true, "status": "OK"})),
        ("identityProvider", json!({"type": "PING_ONE"})),
        ("lifecycle", json!({"status": "ACCOUNT_OK"})),
        ("population", json!({ "id": DEFAULT_POPULATION_ID })),
        ("verifyStatus", json!("NOT_INITIATED")),
    ];
    for (name, value) in defaults {
        user.entry(name).or_insert(value);
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::seed_user;

    /// A seed's `_links` (as a user read from PingOne holds them) is dropped, the other
    /// members left in their order: the seed's where serde_json keeps insertion order (its
    /// `preserve_order`, under which `Map::remove` moved `title` into `_links`' place),
    /// sorted otherwise; either way as the same seed without `_links`.
    #[test]
    fn a_seeds_links_are_dropped_in_place() {
        let id = "a38890a6-295a-4d58-9f6e-b72b05fba377";
        let seeded = |user| {
            let (_, user) = seed_user(user, "env").unwrap();
            user.keys().cloned().collect::<Vec<_>>()
        };
        assert_eq!(
            seeded(json!({
                "id": id,
                "username": "ada",
                "_links": {"self": {"href": "https://api.pingone.com/v1/x"}},
                "email": "ada@example.com",
                "title": "Engineer",
            })),
            seeded(json!({
                "id": id,
                "username": "ada",
                "email": "ada@example.com",
                "title": "Engineer",
            }))
        );
    }
}
