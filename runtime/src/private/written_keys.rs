//! The keys that a patch writes, for the compile-time check that a field and a flattened nested
//! patch beside it do not write one key twice, and those that its model reads, for the SCIM
//! reading of names in any case.

/// The keys that a patch writes: its own fields' (in the patch's JSON) and, for each flattened
/// nested patch, that patch's. A flattened map's keys are not known, nor those of a patch that
/// is not derived ([`NONE`](Self::NONE)).
#[derive(Debug)]
pub struct WrittenKeys {
    /// The keys of the patch's own fields that it writes (`skip_serializing` ones left out).
    pub own: &'static [&'static str],
    /// The other keys that the model reads for its own fields, the patch's and those the
    /// patch skips (serde's names for reading, and its aliases; `skip_deserializing` and
    /// flattened fields left out), those not in `own`:
    /// [`Patch::from_scim_patch`](crate::Patch::from_scim_patch) spells a top-level name
    /// written in another case as one of `own` and these (RFC 7643 §2.1), where the model
    /// flattens a field and its reading names no field.
    pub read: &'static [&'static str],
    /// The keys of its flattened nested patches.
    pub flattened: &'static [&'static WrittenKeys],
}

impl WrittenKeys {
    /// No key known: the default of [`Patch::WRITTEN_KEYS`](crate::Patch::WRITTEN_KEYS).
    pub const NONE: WrittenKeys = WrittenKeys {
        own: &[],
        read: &[],
        flattened: &[],
    };
}

/// Whether `keys` holds `key`, at any depth of flattening.
#[must_use]
pub const fn writes(keys: &WrittenKeys, key: &str) -> bool {
    let mut index = 0;
    while index < keys.own.len() {
        if same(keys.own[index], key) {
            return true;
        }
        index += 1;
    }
    let mut index = 0;
    while index < keys.flattened.len() {
        if writes(keys.flattened[index], key) {
            return true;
        }
        index += 1;
    }
    false
}

/// Whether `a` and `b` hold a key in common, at any depth of flattening.
#[must_use]
pub const fn share_a_key(a: &WrittenKeys, b: &WrittenKeys) -> bool {
    let mut index = 0;
    while index < a.own.len() {
        if writes(b, a.own[index]) {
            return true;
        }
        index += 1;
    }
    let mut index = 0;
    while index < a.flattened.len() {
        if share_a_key(a.flattened[index], b) {
            return true;
        }
        index += 1;
    }
    false
}

/// `a == b`, in a `const fn`.
const fn same(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let mut index = 0;
    while index < a.len() {
        if a[index] != b[index] {
            return false;
        }
        index += 1;
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    const INNER: WrittenKeys = WrittenKeys {
        own: &["given", "family"],
        read: &[],
        flattened: &[],
    };
    const OUTER: WrittenKeys = WrittenKeys {
        own: &["email"],
        read: &[],
        flattened: &[&INNER],
    };

    #[test]
    fn keys_are_found_at_any_depth_and_compared_whole() {
        assert!(writes(&OUTER, "email"));
        assert!(writes(&OUTER, "family"));
        assert!(!writes(&OUTER, "famil"));
        assert!(!writes(&OUTER, "familyName"));
        // Keys of the same length, differing in their first or their last byte.
        assert!(!writes(&OUTER, "Email"));
        assert!(!writes(&OUTER, "emaiL"));
        assert!(!writes(&OUTER, "familY"));
        assert!(!writes(&WrittenKeys::NONE, "email"));
        assert!(share_a_key(&OUTER, &INNER));
        assert!(share_a_key(&INNER, &OUTER));
        let other = WrittenKeys {
            own: &["title"],
            read: &[],
            flattened: &[],
        };
        assert!(!share_a_key(&OUTER, &other));
        assert!(!share_a_key(&WrittenKeys::NONE, &OUTER));
    }
}
