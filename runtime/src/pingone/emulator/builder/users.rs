//! [`Emulator`]'s users read, inserted and removed while it runs.

use serde_json::Value;

use super::super::state::seed_user;
use super::Emulator;
use super::start::seed_refused;

impl Emulator {
    /// The stored user (without `_links`), if there is one with this ID (in any case).
    #[must_use]
    pub fn user(&self, user_id: &str) -> Option<Value> {
        self.shared
            .lock()
            .users
            .get(&user_id.to_ascii_lowercase())
            .cloned()
            .map(Value::Object)
    }

    /// Adds or replaces a user (a JSON object with a string `id`, kept in lower case), with
    /// PingOne's creation defaults where it leaves them out, as [`EmulatorBuilder::user`];
    /// [`try_insert_user`](Emulator::try_insert_user) without the panic.
    ///
    /// # Panics
    ///
    /// If `user` is not an object, its `id` is not a PingOne ID (a UUID), its attributes
    /// break PingOne's rules, or the client's [`User`](crate::pingone::User) could not read it
    /// (no `username` or `email`), as [`EmulatorBuilder::start`] refuses such a seeded user:
    /// the message is the text of [`try_insert_user`](Emulator::try_insert_user)'s error.
    ///
    /// [`EmulatorBuilder::start`]: super::EmulatorBuilder::start
    /// [`EmulatorBuilder::user`]: super::EmulatorBuilder::user
    pub fn insert_user(&self, user: Value) {
        self.try_insert_user(user)
            .unwrap_or_else(|error| panic!("{error}"));
    }

    /// Adds or replaces a user (a JSON object with a string `id`, kept in lower case), with
    /// PingOne's creation defaults where it leaves them out, as [`EmulatorBuilder::user`]; or
    /// refuses it, as [`EmulatorBuilder::start`] refuses a seeded user, and changes nothing.
    /// A user with the `id` of a stored one replaces it (where `start` refuses a second seed
    /// with one `id`); usernames and emails are not compared with other users', as seeds'
    /// are not ([`check_seeded_user`]).
    ///
    /// # Errors
    ///
    /// [`std::io::ErrorKind::InvalidInput`], with the reason as its text (the reason that
    /// [`check_seeded_user`] gives, and `start`'s error for the
    /// same seed), for a `user` that is not an object, whose `id` is not a PingOne ID (a
    /// UUID), whose attributes break PingOne's rules (an `email` that is not an address, a
    /// profile past 16 KiB...), or that the client's [`User`](crate::pingone::User) could not
    /// read (no `username` or `email`, `"enabled": "yes"`).
    ///
    /// ```
    /// use serde_json::json;
    /// use sparse_patch::pingone::emulator::Emulator;
    ///
    /// let emulator = Emulator::start()?;
    /// let id = "00000000-0000-4000-8000-000000000001";
    /// let error = emulator.try_insert_user(json!({"id": id, "username": "ada"})).unwrap_err();
    /// assert_eq!(error.kind(), std::io::ErrorKind::InvalidInput);
    /// assert!(error.to_string().contains("`email`"), "{error}");
    /// assert_eq!(emulator.user(id), None);
    /// emulator.try_insert_user(json!({"id": id, "username": "ada", "email": "ada@example.com"}))?;
    /// assert_eq!(emulator.user(id).unwrap()["username"], "ada");
    /// # Ok::<(), std::io::Error>(())
    /// ```
    ///
    /// [`EmulatorBuilder::start`]: super::EmulatorBuilder::start
    /// [`EmulatorBuilder::user`]: super::EmulatorBuilder::user
    /// [`check_seeded_user`]: super::super::check_seeded_user
    pub fn try_insert_user(&self, user: Value) -> std::io::Result<()> {
        let (id, user) = seed_user(user, &self.shared.environment_id).map_err(seed_refused)?;
        self.shared.lock().put_user(id, user);
        Ok(())
    }

    /// Deletes a user, as PingOne's "Delete User" does (`DELETE
    /// /environments/{environmentID}/users/{userID}`, which the emulator does not serve): from
    /// then on a `GET` or `PATCH` of it gets 404 `NOT_FOUND`, lists and `find_user_by_*` leave
    /// it out, and its username and email are free again. For a test of a user deleted
    /// while a job runs. Returns the user it was (without `_links`), or `None` when no user
    /// has this ID (in any case).
    ///
    /// ```
    /// use sparse_patch::pingone::emulator::Emulator;
    ///
    /// let emulator = Emulator::start()?;
    /// let id = emulator.user_id().to_owned();
    /// assert!(emulator.remove_user(&id).is_some());
    /// assert_eq!(emulator.user(&id), None);
    /// assert_eq!(emulator.remove_user(&id), None);
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn remove_user(&self, user_id: &str) -> Option<Value> {
        self.shared
            .lock()
            .remove_user(&user_id.to_ascii_lowercase())
            .map(Value::Object)
    }
}
