//! The users that [`Mutable`] holds and their indexes by `username` and `email` in lower case,
//! kept together: a user put or removed, one looked up by an indexed attribute.

use std::collections::{BTreeMap, HashMap, VecDeque};

use serde_json::{Map, Value};

use super::super::faults::RandomFaults;
use super::{INDEXED, Mutable};

impl Mutable {
    /// No users, no faults, no requests.
    pub(in crate::pingone::emulator) fn new(random_faults: Option<RandomFaults>) -> Self {
        Mutable {
            users: BTreeMap::new(),
            index: Default::default(),
            faults: VecDeque::new(),
            patch_faults: VecDeque::new(),
            token_faults: VecDeque::new(),
            transaction_faults: HashMap::new(),
            random_faults,
            requests: Vec::new(),
        }
    }

    /// Adds or replaces the user `id`, and updates the indexes.
    pub(in crate::pingone::emulator) fn put_user(&mut self, id: String, user: Map<String, Value>) {
        self.unindex(&id);
        for (index, attribute) in self.index.iter_mut().zip(INDEXED) {
            if let Some(Value::String(value)) = user.get(attribute) {
                index
                    .entry(value.to_lowercase())
                    .or_default()
                    .insert(id.clone());
            }
        }
        self.users.insert(id, user);
    }

    /// Removes the user `id` and its index entries; the user it was, if there was one.
    pub(in crate::pingone::emulator) fn remove_user(
        &mut self,
        id: &str,
    ) -> Option<Map<String, Value>> {
        self.unindex(id);
        self.users.remove(id)
    }

    /// Removes the index entries of the user `id` as stored, if there is one.
    fn unindex(&mut self, id: &str) {
        let Some(old) = self.users.get(id) else {
            return;
        };
        for (index, attribute) in self.index.iter_mut().zip(INDEXED) {
            if let Some(Value::String(value)) = old.get(attribute) {
                let key = value.to_lowercase();
                if let Some(ids) = index.get_mut(&key) {
                    ids.remove(id);
                    if ids.is_empty() {
                        index.remove(&key);
                    }
                }
            }
        }
    }

    /// The ID of a user other than `id` whose `username` is `user`'s in any case (PingOne's
    /// usernames are unique in an environment, case-insensitive), if there is one.
    pub(in crate::pingone::emulator) fn username_taken(
        &self,
        id: &str,
        user: &Map<String, Value>,
    ) -> Option<&String> {
        let username = user.get("username")?.as_str()?;
        self.indexed("username", username)?
            .into_iter()
            .find(|holder| holder.as_str() != id)
    }

    /// The IDs of the users whose `attribute` (`username` or `email`) is `value` in any case
    /// (Unicode lower case), in ID order; `None` for an attribute without an index.
    pub(in crate::pingone::emulator) fn indexed(
        &self,
        attribute: &str,
        value: &str,
    ) -> Option<Vec<&String>> {
        let slot = INDEXED.iter().position(|indexed| *indexed == attribute)?;
        Some(
            self.index[slot]
                .get(&value.to_lowercase())
                .map(|ids| ids.iter().collect())
                .unwrap_or_default(),
        )
    }
}
