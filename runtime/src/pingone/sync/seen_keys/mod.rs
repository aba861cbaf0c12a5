//! [`SeenKeys`]: the first line that named each key (a line's key, or the ID of the user a
//! line found), and what that line found ([`Found`]), held in memory up to a limit and then
//! in a temporary file, so that the job's memory stays flat however long the feed is.
//!
//! The temporary file's table is `key_file.rs`.

mod key_file;

use std::collections::HashMap;
use std::fmt::Write as _;
use std::io;

use crate::pingone::ids::is_pingone_id;

use key_file::KeyFile;

/// How many keys each of a [`SyncJob`](super::SyncJob)'s two indexes (the lines' keys, and the
/// IDs of the users they found) holds in memory, about 100 bytes each, before it moves them to
/// a temporary file: see [`SyncJob::keys_in_memory`](super::SyncJob::keys_in_memory).
pub const DEFAULT_KEYS_IN_MEMORY: usize = 1024;

/// Bytes of a [`Found`] in a slot of the temporary file's table, at its end: a 4-byte tag and a
/// user's 16 bytes.
const FOUND: usize = 20;

/// What the first line with a key found, kept with the key for the later lines with the same
/// key, which are not looked up again: their outcome says it (the user's ID, or that no user
/// or several have the key).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) enum Found {
    /// Not known yet: the line is in flight (or what it found could not be recorded).
    #[default]
    Pending,
    /// No user is known: the line was not looked up (it is invalid, or not run), its lookup
    /// failed, or the user's ID is not a UUID.
    Unknown,
    /// No user has the key.
    NoUser,
    /// Several users have the key.
    SeveralUsers,
    /// The user with this ID (a UUID's 16 bytes).
    User([u8; 16]),
}

impl Found {
    /// The user `user_id` names, [`Found::Unknown`] when it is not a UUID.
    pub(crate) fn user(user_id: &str) -> Found {
        Found::user_of(&CompactKey::id(user_id))
    }

    /// The user a [`CompactKey::id`] names, [`Found::Unknown`] when it is not a UUID.
    pub(crate) fn user_of(user: &CompactKey) -> Found {
        match user {
            CompactKey::Id(bytes) => Found::User(*bytes),
            _ => Found::Unknown,
        }
    }

    /// As a slot holds it: a tag (`0` pending, `1` unknown, `2` no user, `3` several users,
    /// `4` a user) in 4 bytes, then the user's 16 bytes (zeros for the others).
    fn encode(self) -> [u8; FOUND] {
        let mut bytes = [0; FOUND];
        let tag: u32 = match self {
            Found::Pending => 0,
            Found::Unknown => 1,
            Found::NoUser => 2,
            Found::SeveralUsers => 3,
            Found::User(user) => {
                bytes[4..].copy_from_slice(&user);
                4
            }
        };
        bytes[..4].copy_from_slice(&tag.to_le_bytes());
        bytes
    }

    fn decode(bytes: &[u8]) -> Found {
        let mut tag = [0; 4];
        tag.copy_from_slice(&bytes[..4]);
        match u32::from_le_bytes(tag) {
            0 => Found::Pending,
            2 => Found::NoUser,
            3 => Found::SeveralUsers,
            4 => {
                let mut user = [0; 16];
                user.copy_from_slice(&bytes[4..FOUND]);
                Found::User(user)
            }
            _ => Found::Unknown,
        }
    }
}

/// The lower-case hyphenated text of a UUID's 16 bytes, as [`CompactKey::id`] read it.
pub(crate) fn uuid_text(bytes: &[u8; 16]) -> String {
    let mut text = String::with_capacity(36);
    for (at, byte) in bytes.iter().enumerate() {
        if matches!(at, 4 | 6 | 8 | 10) {
            text.push('-');
        }
        // Writing to a `String` cannot fail.
        let _ = write!(text, "{byte:02x}");
    }
    text
}

/// A key or a user ID as the job remembers it, one per line: 24 bytes and the text of a
/// username or email, 24 bytes alone for a UUID.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) enum CompactKey {
    /// A UUID's 16 bytes.
    Id([u8; 16]),
    /// An ID that is not a UUID (PingOne's are), in lower case.
    OtherId(Box<str>),
    /// A username in lower case.
    Username(Box<str>),
    /// An email in lower case.
    Email(Box<str>),
    /// A username in lower case that a line's PATCH, applied, gave its user: the line and the
    /// user are the claims' record of it (a sync job's later line that sets the same
    /// username is refused without sending its PATCH).
    UsernameGiven(Box<str>),
}

impl CompactKey {
    /// A user ID: its 16 bytes when it is a UUID (in any case).
    pub(crate) fn id(id: &str) -> CompactKey {
        let mut bytes = [0_u8; 16];
        let mut digits = id.bytes().filter(|byte| *byte != b'-').map(|byte| {
            char::from(byte)
                .to_digit(16)
                .and_then(|digit| u8::try_from(digit).ok())
        });
        if is_pingone_id(id) {
            for byte in &mut bytes {
                match (digits.next().flatten(), digits.next().flatten()) {
                    (Some(high), Some(low)) => *byte = high << 4 | low,
                    _ => return CompactKey::OtherId(id.to_ascii_lowercase().into()),
                }
            }
            return CompactKey::Id(bytes);
        }
        CompactKey::OtherId(id.to_ascii_lowercase().into())
    }

    /// The record that a line gave its user this username ([`CompactKey::UsernameGiven`]):
    /// for a [`CompactKey::Username`], the same text; any other key is returned as it is.
    pub(crate) fn given(&self) -> CompactKey {
        match self {
            CompactKey::Username(text) => CompactKey::UsernameGiven(text.clone()),
            other => other.clone(),
        }
    }

    /// The key as the file holds it: a tag byte (`0` UUID, `1` other ID, `2` username, `3`
    /// email, `4` username given), then the UUID's 16 bytes or the text's UTF-8.
    fn encode(&self, out: &mut Vec<u8>) {
        out.clear();
        let (tag, bytes): (u8, &[u8]) = match self {
            CompactKey::Id(bytes) => (0, bytes),
            CompactKey::OtherId(text) => (1, text.as_bytes()),
            CompactKey::Username(text) => (2, text.as_bytes()),
            CompactKey::Email(text) => (3, text.as_bytes()),
            CompactKey::UsernameGiven(text) => (4, text.as_bytes()),
        };
        out.push(tag);
        out.extend_from_slice(bytes);
    }
}

/// The first line that named each key, and what it found: in a hash map while it holds at
/// most `limit` keys,
/// then in a [`KeyFile`] (two temporary files), so that memory stays bounded by `limit`
/// however many lines the feed has.
///
/// When the temporary file cannot be made (no writable temporary directory, a platform
/// without positioned file I/O), the keys stay in memory, with a `tracing` warning, and
/// nothing is lost.
#[derive(Debug)]
pub(crate) struct SeenKeys {
    memory: HashMap<CompactKey, (usize, Found)>,
    limit: usize,
    file: Option<KeyFile>,
    /// The temporary file could not be made: keys stay in memory from then on.
    memory_only: bool,
}

impl SeenKeys {
    /// An empty index that holds up to `limit` keys in memory.
    pub(crate) fn new(limit: usize) -> Self {
        SeenKeys {
            memory: HashMap::new(),
            limit,
            file: None,
            memory_only: false,
        }
    }

    /// The first line that named `key`: `line` itself, now recorded, when none did before.
    ///
    /// # Errors
    ///
    /// The temporary file's I/O error (its disk is full, say), once the keys are in it;
    /// `key` is then not recorded.
    pub(crate) fn first_line(&mut self, key: CompactKey, line: usize) -> io::Result<usize> {
        self.first(key, line).map(|(first, _)| first)
    }

    /// The first line that named `key` and what it found: `line` itself, now recorded as
    /// [`Found::Pending`], when none did before.
    ///
    /// # Errors
    ///
    /// As [`SeenKeys::first_line`].
    pub(crate) fn first(&mut self, key: CompactKey, line: usize) -> io::Result<(usize, Found)> {
        if let Some(file) = &mut self.file {
            return file.first_line(&key, line);
        }
        if self.memory.len() >= self.limit && !self.memory_only && !self.memory.contains_key(&key) {
            match self.move_to_file() {
                Ok(()) => return self.first(key, line),
                Err(error) => {
                    tracing::warn!(
                        %error,
                        keys = self.memory.len(),
                        "cannot move the sync job's keys to a temporary file; they stay in memory"
                    );
                    self.memory_only = true;
                }
            }
        }
        Ok(*self.memory.entry(key).or_insert((line, Found::Pending)))
    }

    /// The first line that named `key` and what it found, if a line did; records nothing.
    ///
    /// # Errors
    ///
    /// The temporary file's I/O error.
    pub(crate) fn get(&mut self, key: &CompactKey) -> io::Result<Option<(usize, Found)>> {
        match &mut self.file {
            Some(file) => file.get(key),
            None => Ok(self.memory.get(key).copied()),
        }
    }

    /// Records what `line` found for `key`, when `line` is the first that named it (otherwise
    /// does nothing).
    ///
    /// # Errors
    ///
    /// The temporary file's I/O error; what the line found is then not recorded, and the key
    /// stays [`Found::Pending`].
    pub(crate) fn set_found(
        &mut self,
        key: &CompactKey,
        line: usize,
        found: Found,
    ) -> io::Result<()> {
        match &mut self.file {
            Some(file) => file.set_found(key, line, found),
            None => {
                if let Some(entry) = self.memory.get_mut(key)
                    && entry.0 == line
                {
                    entry.1 = found;
                }
                Ok(())
            }
        }
    }

    /// Forgets that `line` named `key` first, when it did: the next line that names `key`
    /// is its first line then, as if `line` never had (a [`rerun`](super::SyncJob::rerun)'s
    /// done line that names another user now no longer claims the user its report gives).
    ///
    /// # Errors
    ///
    /// The temporary file's I/O error; `line` then stays the key's first line.
    pub(crate) fn release(&mut self, key: &CompactKey, line: usize) -> io::Result<()> {
        match &mut self.file {
            Some(file) => file.release(key, line),
            None => {
                if self
                    .memory
                    .get(key)
                    .is_some_and(|(first, _)| *first == line)
                {
                    self.memory.remove(key);
                }
                Ok(())
            }
        }
    }

    /// Moves every key in memory to a new [`KeyFile`]; on an error the keys stay in memory.
    fn move_to_file(&mut self) -> io::Result<()> {
        let mut file = KeyFile::create(self.memory.len())?;
        for (key, (first, found)) in &self.memory {
            file.first_line(key, *first)?;
            if *found != Found::Pending {
                file.set_found(key, *first, *found)?;
            }
        }
        self.file = Some(file);
        self.memory = HashMap::new();
        Ok(())
    }
}
