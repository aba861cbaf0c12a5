//! [`SeenKeys`]: the first line that named each key (a line's key, or the ID of the user a
//! line found), and what that line found ([`Found`]), held in memory up to a limit and then
//! in a temporary file, so that the job's memory stays flat however long the feed is.

use std::collections::HashMap;
use std::collections::hash_map::RandomState;
use std::fmt::Write as _;
use std::fs::File;
use std::io;

use crate::pingone::ids::is_pingone_id;

/// How many keys each of a [`SyncJob`](super::SyncJob)'s two indexes (the lines' keys, and the
/// IDs of the users they found) holds in memory, about 100 bytes each, before it moves them to
/// a temporary file: see [`SyncJob::keys_in_memory`](super::SyncJob::keys_in_memory).
pub const DEFAULT_KEYS_IN_MEMORY: usize = 1024;

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

    /// The key as the file holds it: a tag byte (`0` UUID, `1` other ID, `2` username, `3`
    /// email), then the UUID's 16 bytes or the text's UTF-8.
    fn encode(&self, out: &mut Vec<u8>) {
        out.clear();
        let (tag, bytes): (u8, &[u8]) = match self {
            CompactKey::Id(bytes) => (0, bytes),
            CompactKey::OtherId(text) => (1, text.as_bytes()),
            CompactKey::Username(text) => (2, text.as_bytes()),
            CompactKey::Email(text) => (3, text.as_bytes()),
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

/// Bytes per slot of a [`KeyFile`]'s table: the key's hash (`u64`, `0` for an empty slot),
/// the first line (`u64`), the key's offset in the texts file (`u64`) and its length (`u32`),
/// little-endian, then what the first line found ([`FOUND`] bytes, [`Found::encode`]).
const SLOT: usize = 28 + FOUND;

/// The first line of a released key ([`KeyFile::release`]): no feed has that many lines.
const RELEASED: u64 = u64::MAX;

/// Bytes of a [`Found`] in a slot, at its end: a 4-byte tag and a user's 16 bytes.
const FOUND: usize = 20;

/// Slots read at once: by a lookup (a probe rarely goes past four slots in a table at most
/// half full), and when the table grows (8 KiB).
const PROBE_SLOTS: usize = 4;
const SLOTS_PER_READ: usize = 256;

/// The fewest slots a [`KeyFile`]'s table starts with: 65,536 (2 MiB of file, sparse where
/// the file system allows), so that a feed of up to 32,768 users never grows it.
const MIN_SLOTS: u64 = 1 << 16;

/// Keys' bytes held before they are written to the texts file in one write.
const TEXT_BUFFER: usize = 8 * 1024;

/// One slot of a [`KeyFile`]'s table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Slot {
    /// The key's hash, never `0` (an empty slot).
    hash: u64,
    first_line: u64,
    offset: u64,
    len: u32,
    found: Found,
}

impl Slot {
    fn decode(bytes: &[u8]) -> Slot {
        let word = |at: usize| {
            let mut word = [0; 8];
            word.copy_from_slice(&bytes[at..at + 8]);
            u64::from_le_bytes(word)
        };
        let mut len = [0; 4];
        len.copy_from_slice(&bytes[24..28]);
        Slot {
            hash: word(0),
            first_line: word(8),
            offset: word(16),
            len: u32::from_le_bytes(len),
            found: Found::decode(&bytes[28..SLOT]),
        }
    }

    fn encode(self) -> [u8; SLOT] {
        let mut bytes = [0; SLOT];
        bytes[0..8].copy_from_slice(&self.hash.to_le_bytes());
        bytes[8..16].copy_from_slice(&self.first_line.to_le_bytes());
        bytes[16..24].copy_from_slice(&self.offset.to_le_bytes());
        bytes[24..28].copy_from_slice(&self.len.to_le_bytes());
        bytes[28..SLOT].copy_from_slice(&self.found.encode());
        bytes
    }
}

/// A hash table of keys and their first lines in two temporary files (`tempfile::tempfile`,
/// in [`std::env::temp_dir`], removed by the system when closed): an open-addressing table of
/// [`SLOT`]-byte slots with linear probing, at most half full, and the keys' bytes appended
/// to a second file, read back to compare a key whose 64-bit hash matches (so a hash
/// collision never makes two keys one). The hasher is keyed at random per table
/// ([`RandomState`]), so that a feed cannot be written to make every key collide.
///
/// Memory is a few fixed buffers, whatever the number of keys. A lookup reads
/// [`PROBE_SLOTS`] slots at once (one read, nearly always); a new key writes its slot, and
/// its bytes go out [`TEXT_BUFFER`] bytes at a time.
#[derive(Debug)]
struct KeyFile<S = RandomState> {
    slots: File,
    /// Slots in `slots`, a power of two.
    capacity: u64,
    used: u64,
    texts: File,
    /// The bytes written to `texts`; the keys' bytes past them are in `pending`.
    texts_written: u64,
    pending: Vec<u8>,
    hasher: S,
    /// The key being looked up, encoded.
    key: Vec<u8>,
    /// A key read back from `texts`.
    stored: Vec<u8>,
    /// The first error that left a key unrecorded: from then on a key the table does not hold
    /// may be one of those, and is an error too (see [`KeyFile::first_line`]).
    unrecorded: Option<(io::ErrorKind, String)>,
}

impl KeyFile {
    /// An empty table with room for `keys` keys before it grows, hashed at random.
    fn create(keys: usize) -> io::Result<KeyFile> {
        KeyFile::create_with(keys, RandomState::new(), MIN_SLOTS)
    }
}

impl<S: std::hash::BuildHasher> KeyFile<S> {
    /// An empty table with room for `keys` keys before it grows (and at least `min_slots`
    /// slots), hashed by `hasher`.
    fn create_with(keys: usize, hasher: S, min_slots: u64) -> io::Result<KeyFile<S>> {
        let capacity = u64::try_from(keys)
            .unwrap_or(u64::MAX / 4)
            .saturating_mul(2)
            .max(min_slots)
            .max(PROBE_SLOTS as u64)
            .next_power_of_two();
        Ok(KeyFile {
            slots: empty_table(capacity)?,
            capacity,
            used: 0,
            texts: tempfile::tempfile()?,
            texts_written: 0,
            pending: Vec::new(),
            hasher,
            key: Vec::new(),
            stored: Vec::new(),
            unrecorded: None,
        })
    }

    /// The first line of `key`, recording `line` for it when it has none.
    ///
    /// # Errors
    ///
    /// The files' I/O error; `key` is then not recorded. From then on, a key the table does
    /// not hold is an error too (of the same kind, naming the first error), not recorded as
    /// new: an earlier line may have had it, unrecorded, and this line cannot be told a
    /// duplicate of it. A key the table holds still has its first line.
    fn first_line(&mut self, key: &CompactKey, line: usize) -> io::Result<(usize, Found)> {
        let result = self.lookup_or_record(key, line);
        if let Err(error) = &result
            && self.unrecorded.is_none()
        {
            self.unrecorded = Some((error.kind(), error.to_string()));
        }
        result
    }

    /// `key`'s hash, never `0` (an empty slot).
    fn hash(&self, key: &CompactKey) -> u64 {
        self.hasher.hash_one(key).max(1)
    }

    /// The slot that holds `key` (its index and contents), or the empty slot where it would go.
    fn probe(&mut self, key: &CompactKey, hash: u64) -> io::Result<Result<(u64, Slot), u64>> {
        key.encode(&mut self.key);
        let mask = self.capacity - 1;
        let mut index = hash & mask;
        let mut probe = [0; PROBE_SLOTS * SLOT];
        loop {
            // Up to the table's end; the probe goes on from slot 0.
            let slots = (self.capacity - index).min(PROBE_SLOTS as u64) as usize;
            let bytes = &mut probe[..slots * SLOT];
            read_at(&self.slots, bytes, index * SLOT as u64)?;
            for (at, bytes) in bytes.chunks_exact(SLOT).enumerate() {
                let slot = Slot::decode(bytes);
                if slot.hash == 0 {
                    return Ok(Err(index + at as u64));
                }
                if slot.hash == hash
                    && slot.len as usize == self.key.len()
                    && self.stored_key_is_key(slot.offset)?
                {
                    return Ok(Ok((index + at as u64, slot)));
                }
            }
            index = (index + slots as u64) & mask;
        }
    }

    /// The first line of `key` and what it found, if the table holds it (and it is not
    /// released, [`KeyFile::release`]).
    fn get(&mut self, key: &CompactKey) -> io::Result<Option<(usize, Found)>> {
        let hash = self.hash(key);
        let held = self.probe(key, hash)?.ok();
        Ok(held
            .filter(|(_, slot)| slot.first_line != RELEASED)
            .map(|(_, slot)| {
                (
                    usize::try_from(slot.first_line).unwrap_or(usize::MAX),
                    slot.found,
                )
            }))
    }

    /// Records what `line` found for `key`, when the table holds `key` with `line` as its first
    /// line.
    fn set_found(&mut self, key: &CompactKey, line: usize, found: Found) -> io::Result<()> {
        let hash = self.hash(key);
        if let Ok((index, slot)) = self.probe(key, hash)?
            && slot.first_line == line as u64
        {
            write_at(
                &self.slots,
                &Slot { found, ..slot }.encode(),
                index * SLOT as u64,
            )?;
        }
        Ok(())
    }

    /// Marks `key`'s slot as [`RELEASED`] when `line` is its first line: the key stays in the
    /// table (an open-addressing table cannot drop a slot), and the next line that names it
    /// becomes its first line.
    fn release(&mut self, key: &CompactKey, line: usize) -> io::Result<()> {
        let hash = self.hash(key);
        if let Ok((index, slot)) = self.probe(key, hash)?
            && slot.first_line == line as u64
        {
            let released = Slot {
                first_line: RELEASED,
                found: Found::Pending,
                ..slot
            };
            write_at(&self.slots, &released.encode(), index * SLOT as u64)?;
        }
        Ok(())
    }

    /// [`KeyFile::first_line`] but for the errors it remembers.
    fn lookup_or_record(&mut self, key: &CompactKey, line: usize) -> io::Result<(usize, Found)> {
        let hash = self.hash(key);
        let empty = match self.probe(key, hash)? {
            Ok((index, slot)) if slot.first_line == RELEASED => {
                let claimed = Slot {
                    first_line: line as u64,
                    ..slot
                };
                write_at(&self.slots, &claimed.encode(), index * SLOT as u64)?;
                return Ok((line, Found::Pending));
            }
            Ok((_, slot)) => {
                return Ok((
                    usize::try_from(slot.first_line).unwrap_or(usize::MAX),
                    slot.found,
                ));
            }
            Err(empty) => empty,
        };
        if let Some((kind, error)) = &self.unrecorded {
            return Err(io::Error::new(
                *kind,
                format!(
                    "an earlier key could not be recorded ({error}), and this one may be the \
                     same"
                ),
            ));
        }
        // Grown first, so that an error leaves the key unrecorded.
        if (self.used + 1) * 2 > self.capacity {
            self.grow()?;
            return self.lookup_or_record(key, line);
        }
        let len = u32::try_from(self.key.len())
            .map_err(|_| io::Error::new(io::ErrorKind::InvalidInput, "a key over 4 GiB"))?;
        if self.pending.len() + self.key.len() > TEXT_BUFFER {
            self.flush_texts()?;
        }
        let slot = Slot {
            hash,
            first_line: line as u64,
            offset: self.texts_written + self.pending.len() as u64,
            len,
            found: Found::Pending,
        };
        write_at(&self.slots, &slot.encode(), empty * SLOT as u64)?;
        self.pending.extend_from_slice(&self.key);
        self.used += 1;
        Ok((line, Found::Pending))
    }

    /// Whether the key stored at `offset` is `self.key` (of the same length).
    fn stored_key_is_key(&mut self, offset: u64) -> io::Result<bool> {
        if let Some(start) = offset.checked_sub(self.texts_written) {
            let start = start as usize;
            return Ok(self.pending.get(start..start + self.key.len()) == Some(&self.key[..]));
        }
        self.stored.resize(self.key.len(), 0);
        read_at(&self.texts, &mut self.stored, offset)?;
        Ok(self.stored == self.key)
    }

    /// Writes the pending keys' bytes to the texts file.
    fn flush_texts(&mut self) -> io::Result<()> {
        write_at(&self.texts, &self.pending, self.texts_written)?;
        self.texts_written += self.pending.len() as u64;
        self.pending.clear();
        Ok(())
    }

    /// Doubles the table: every slot is placed again by its hash in a new file, which then
    /// replaces the old one (left as it was on an error).
    fn grow(&mut self) -> io::Result<()> {
        let capacity = self.capacity * 2;
        let grown = empty_table(capacity)?;
        let mut chunk = vec![0; SLOTS_PER_READ * SLOT];
        let mut at = 0;
        while at < self.capacity {
            let slots = (self.capacity - at).min(SLOTS_PER_READ as u64);
            let bytes = &mut chunk[..slots as usize * SLOT];
            read_at(&self.slots, bytes, at * SLOT as u64)?;
            for bytes in bytes.chunks_exact(SLOT) {
                let slot = Slot::decode(bytes);
                if slot.hash == 0 {
                    continue;
                }
                let mut index = slot.hash & (capacity - 1);
                while read_slot(&grown, index)?.hash != 0 {
                    index = (index + 1) & (capacity - 1);
                }
                write_at(&grown, bytes, index * SLOT as u64)?;
            }
            at += slots;
        }
        self.slots = grown;
        self.capacity = capacity;
        Ok(())
    }
}

/// A temporary file of `capacity` empty slots (zeros; sparse where the file system allows).
fn empty_table(capacity: u64) -> io::Result<File> {
    let file = tempfile::tempfile()?;
    file.set_len(capacity * SLOT as u64)?;
    Ok(file)
}

fn read_slot(file: &File, index: u64) -> io::Result<Slot> {
    let mut bytes = [0; SLOT];
    read_at(file, &mut bytes, index * SLOT as u64)?;
    Ok(Slot::decode(&bytes))
}

#[cfg(unix)]
fn read_at(file: &File, bytes: &mut [u8], offset: u64) -> io::Result<()> {
    std::os::unix::fs::FileExt::read_exact_at(file, bytes, offset)
}

#[cfg(unix)]
fn write_at(file: &File, bytes: &[u8], offset: u64) -> io::Result<()> {
    std::os::unix::fs::FileExt::write_all_at(file, bytes, offset)
}

#[cfg(not(unix))]
fn read_at(_: &File, _: &mut [u8], _: u64) -> io::Result<()> {
    Err(io::ErrorKind::Unsupported.into())
}

#[cfg(not(unix))]
fn write_at(_: &File, _: &[u8], _: u64) -> io::Result<()> {
    Err(io::ErrorKind::Unsupported.into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compact_ids_are_the_uuid_bytes_in_any_case() {
        let id = "a38890a6-295a-4d58-9f6e-b72b05fba379";
        let CompactKey::Id(bytes) = CompactKey::id(id) else {
            panic!("a UUID")
        };
        let hex: String = bytes.iter().map(|byte| format!("{byte:02x}")).collect();
        assert_eq!(hex, id.replace('-', ""));
        assert_eq!(CompactKey::id(&id.to_uppercase()), CompactKey::id(id));
        assert_ne!(
            CompactKey::id("a38890a6-295a-4d58-9f6e-b72b05fba378"),
            CompactKey::id(id)
        );
        assert_eq!(
            CompactKey::id("Not-A-UUID"),
            CompactKey::OtherId("not-a-uuid".into())
        );
        assert_eq!(std::mem::size_of::<CompactKey>(), 24);
    }

    fn username(n: usize) -> CompactKey {
        CompactKey::Username(format!("user{n}").into())
    }

    #[test]
    fn keys_past_the_limit_move_to_the_file_and_keep_their_first_lines() {
        let mut seen = SeenKeys::new(3);
        for line in 1..=3 {
            assert_eq!(seen.first_line(username(line), line).unwrap(), line);
        }
        assert!(seen.file.is_none());
        assert_eq!(seen.first_line(username(2), 40).unwrap(), 2);
        assert!(seen.file.is_none(), "a key already held does not move them");
        assert_eq!(seen.first_line(username(4), 4).unwrap(), 4);
        assert!(seen.file.is_some() && seen.memory.is_empty());
        // Enough keys for the table to grow several times.
        for line in 5..=1000 {
            assert_eq!(seen.first_line(username(line), line).unwrap(), line);
        }
        for line in 1..=1000 {
            assert_eq!(seen.first_line(username(line), line + 5000).unwrap(), line);
        }
        assert_eq!(seen.file.as_ref().unwrap().used, 1000);
        assert!(seen.file.as_ref().unwrap().capacity >= 2000);
    }

    #[test]
    fn keys_of_every_kind_with_the_same_text_stay_apart() {
        let mut seen = SeenKeys::new(0);
        let text = "a38890a6-295a-4d58-9f6e-b72b05fba379";
        let keys = [
            CompactKey::id(text),
            CompactKey::OtherId(text.into()),
            CompactKey::Username(text.into()),
            CompactKey::Email(text.into()),
            CompactKey::Email("".into()),
        ];
        for (line, key) in keys.iter().enumerate() {
            assert_eq!(seen.first_line(key.clone(), line).unwrap(), line);
        }
        for (line, key) in keys.iter().enumerate() {
            assert_eq!(seen.first_line(key.clone(), 99).unwrap(), line);
        }
        assert!(seen.file.is_some());
    }

    /// A hasher under which every key collides.
    #[derive(Default)]
    struct Collide;

    impl std::hash::Hasher for Collide {
        fn finish(&self) -> u64 {
            7
        }
        fn write(&mut self, _: &[u8]) {}
    }

    #[test]
    fn keys_whose_hashes_collide_are_told_apart_by_their_bytes() {
        let hasher = std::hash::BuildHasherDefault::<Collide>::default();
        let mut file = KeyFile::create_with(0, hasher, 0).unwrap();
        // 45 bytes each: more than `TEXT_BUFFER` in all.
        let long = |n: usize| CompactKey::Email(format!("{n:05}{}", "@".repeat(40)).into());
        // One chain of 300 keys, through three growths; each lookup compares the bytes.
        for line in 1..=300 {
            assert_eq!(file.first_line(&long(line), line).unwrap().0, line);
        }
        for line in (1..=300).rev() {
            assert_eq!(file.first_line(&long(line), 0).unwrap().0, line);
        }
        // Same length, same hash, other bytes: a new key.
        assert_eq!(file.first_line(&long(999), 999).unwrap().0, 999);
        assert_eq!(file.used, 301);
        assert_eq!(file.capacity, 1024);
        // The keys' bytes went to the file in several writes, and read back from it.
        assert!(file.texts_written > 0);
        file.flush_texts().unwrap();
        assert_eq!(file.first_line(&long(1), 0).unwrap().0, 1);
    }

    /// 20,000 lookups of 3,000 keys of every kind, in a fixed pseudo-random order: each
    /// with its line number.
    fn lookups() -> impl Iterator<Item = (CompactKey, usize)> {
        let mut state: u64 = 0x2545_f491_4f6c_dd1d;
        (1..=20_000).map(move |line| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let n = state % 3_000;
            let key = match n % 4 {
                0 => CompactKey::id(&format!("a38890a6-295a-4d58-9f6e-{n:012x}")),
                1 => CompactKey::OtherId(format!("id-{n}").into()),
                2 => username(usize::try_from(n).unwrap()),
                _ => CompactKey::Email(format!("user{n}@example.com").into()),
            };
            (key, line)
        })
    }

    /// Runs [`lookups`] through `first_line` and checks each answer against
    /// `HashMap::entry(..).or_insert`; returns the number of keys.
    fn agrees_with_a_hash_map(
        mut first_line: impl FnMut(&CompactKey, usize) -> io::Result<usize>,
    ) -> u64 {
        let mut oracle = HashMap::new();
        for (key, line) in lookups() {
            let expected = *oracle.entry(key.clone()).or_insert(line);
            assert_eq!(first_line(&key, line).unwrap(), expected, "line {line}");
        }
        oracle.len() as u64
    }

    #[test]
    fn the_index_answers_as_a_hash_map_does_before_and_after_the_move() {
        let mut seen = SeenKeys::new(100);
        let keys = agrees_with_a_hash_map(|key, line| seen.first_line(key.clone(), line));
        assert!(seen.file.is_some() && seen.memory.is_empty());
        assert_eq!(seen.file.unwrap().used, keys);
    }

    #[test]
    fn the_file_answers_as_a_hash_map_does_as_it_grows() {
        // From 4 slots to 8,192 (for about 3,000 keys): eleven growths, each placing every
        // key again.
        let mut file = KeyFile::create_with(0, RandomState::new(), 0).unwrap();
        let keys = agrees_with_a_hash_map(|key, line| {
            let first = file.first_line(key, line).map(|(first, _)| first);
            // At most half full, so that a probe rarely reads past `PROBE_SLOTS`.
            assert!(file.used * 2 <= file.capacity, "line {line}");
            first
        });
        assert_eq!(file.used, keys);
        assert_eq!(file.capacity, 8_192);
    }

    /// A read-only handle on the same file as `file`: reads work, writes fail.
    #[cfg(target_os = "linux")]
    fn read_only(file: &File) -> File {
        use std::os::fd::AsRawFd as _;
        File::open(format!("/proc/self/fd/{}", file.as_raw_fd())).unwrap()
    }

    #[test]
    #[cfg(target_os = "linux")]
    fn a_failing_file_records_nothing_and_loses_nothing() {
        let mut seen = SeenKeys::new(0);
        assert_eq!(seen.first_line(username(1), 1).unwrap(), 1);
        // The slot cannot be written: an error, and the key is not recorded.
        let file = seen.file.as_mut().unwrap();
        let writes_fail = read_only(&file.slots);
        let slots = std::mem::replace(&mut file.slots, writes_fail);
        assert!(seen.first_line(username(2), 2).is_err());
        assert_eq!(seen.first_line(username(1), 9).unwrap(), 1);
        let file = seen.file.as_mut().unwrap();
        assert_eq!(file.used, 1);
        file.slots = slots;
        // The file works again, and a key it holds still has its first line; but a key it
        // does not hold may be line 2's, unrecorded: line 3 cannot be told a duplicate of
        // line 2, nor line 4 of anything, and is not recorded as the first.
        assert_eq!(seen.first_line(username(1), 3).unwrap(), 1);
        for (key, line) in [(username(2), 3), (username(4), 4), (username(2), 5)] {
            let error = seen.first_line(key.clone(), line).unwrap_err();
            assert_eq!(error.raw_os_error(), None);
            assert!(
                error
                    .to_string()
                    .contains("an earlier key could not be recorded"),
                "{error}"
            );
        }
        assert_eq!(seen.file.as_ref().unwrap().used, 1);

        // The keys' bytes cannot be written when the buffer is full: the same, and the
        // buffered keys are kept and still compared.
        let mut seen = SeenKeys::new(0);
        assert_eq!(seen.first_line(username(1), 1).unwrap(), 1);
        let file = seen.file.as_mut().unwrap();
        let writes_fail = read_only(&file.texts);
        let texts = std::mem::replace(&mut file.texts, writes_fail);
        let mut line = 10;
        let failed = loop {
            line += 1;
            if let Err(error) = seen.first_line(username(line), line) {
                break error;
            }
        };
        assert_eq!(failed.raw_os_error(), Some(9), "EBADF: {failed}");
        let file = seen.file.as_mut().unwrap();
        file.texts = texts;
        assert!(seen.first_line(username(line), line + 1).is_err());
        for n in 11..line {
            assert_eq!(seen.first_line(username(n), 0).unwrap(), n);
        }
        let file = seen.file.as_mut().unwrap();
        file.flush_texts().unwrap();
        assert_eq!(seen.first_line(username(11), 0).unwrap(), 11);
        assert_eq!(seen.first_line(username(1), 0).unwrap(), 1);
    }

    /// A hasher with 8 hash values (0 among them, taken as 1), from the bytes hashed: long
    /// runs of equal hashes, chains that wrap past the table's end, and a key's equal-hash
    /// neighbours compared by their bytes at every lookup.
    #[derive(Default)]
    struct Narrow(u64);

    impl std::hash::Hasher for Narrow {
        fn finish(&self) -> u64 {
            // The last slot of every table size, the ones before it, or 1.
            match self.0 % 8 {
                0 => 0,
                n => u64::MAX - (n - 1),
            }
        }
        fn write(&mut self, bytes: &[u8]) {
            for byte in bytes {
                self.0 = self.0.wrapping_mul(31).wrapping_add(u64::from(*byte));
            }
        }
    }

    #[test]
    fn keys_of_any_length_and_text_answer_as_a_hash_map_does() {
        let hasher = std::hash::BuildHasherDefault::<Narrow>::default();
        let mut file = KeyFile::create_with(0, hasher, 0).unwrap();
        let mut oracle = HashMap::new();
        let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
        for line in 1..=4_000 {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let n = usize::try_from(state % 400).unwrap();
            // Empty, short, about the buffer's size and longer than it; ASCII and not;
            // prefixes of each other.
            let len = [
                0,
                1,
                7,
                100,
                TEXT_BUFFER - 1,
                TEXT_BUFFER,
                TEXT_BUFFER + 3,
                20_000,
            ][n % 8];
            let text: String = ["é", "a", "ß", "\u{10348}"][n % 4]
                .repeat(len)
                .chars()
                .take(len)
                .chain(format!("{}", n / 8).chars())
                .collect();
            let key = match n % 3 {
                0 => CompactKey::Username(text.into()),
                1 => CompactKey::Email(text.into()),
                _ => CompactKey::OtherId(text.into()),
            };
            let expected = *oracle.entry(key.clone()).or_insert(line);
            assert_eq!(
                file.first_line(&key, line).unwrap().0,
                expected,
                "line {line}"
            );
            if line % 1_000 == 0 {
                file.flush_texts().unwrap();
            }
        }
        assert_eq!(file.used, oracle.len() as u64);
        assert!(file.texts_written > 1 << 20);
    }

    /// What a key's first line found is kept with the key, in memory and in the file (across
    /// the move and the table's growths), and only that first line sets it.
    #[test]
    fn what_a_first_line_found_is_kept_with_its_key() {
        let user = |n: u8| Found::User([n; 16]);
        for limit in [usize::MAX, 2, 0] {
            let mut seen = SeenKeys::new(limit);
            assert_eq!(seen.first(username(1), 1).unwrap(), (1, Found::Pending));
            seen.set_found(&username(1), 1, user(1)).unwrap();
            // Not the first line: nothing changes.
            seen.set_found(&username(1), 7, Found::NoUser).unwrap();
            assert_eq!(seen.first(username(1), 9).unwrap(), (1, user(1)));
            assert_eq!(seen.get(&username(2)).unwrap(), None);
            for n in 2..=300 {
                assert_eq!(seen.first_line(username(n), n).unwrap(), n);
                let found = match n % 3 {
                    0 => Found::NoUser,
                    1 => user(u8::try_from(n % 256).unwrap()),
                    _ => Found::SeveralUsers,
                };
                seen.set_found(&username(n), n, found).unwrap();
            }
            assert_eq!(seen.get(&username(1)).unwrap(), Some((1, user(1))));
            assert_eq!(
                seen.get(&username(201)).unwrap(),
                Some((201, Found::NoUser))
            );
            assert_eq!(seen.get(&username(202)).unwrap(), Some((202, user(202))));
            assert_eq!(
                seen.first(username(203), 0).unwrap(),
                (203, Found::SeveralUsers)
            );
            assert_eq!(seen.file.is_some(), limit != usize::MAX, "limit {limit}");
        }
    }

    /// A released key is no longer its first line's: the next line that names it is its
    /// first, in memory and in the file; another line cannot release it.
    #[test]
    fn a_released_key_is_claimed_by_the_next_line_that_names_it() {
        for limit in [usize::MAX, 0] {
            let mut seen = SeenKeys::new(limit);
            assert_eq!(seen.first_line(username(1), 3).unwrap(), 3);
            seen.set_found(&username(1), 3, Found::NoUser).unwrap();
            seen.release(&username(1), 4).unwrap();
            assert_eq!(seen.get(&username(1)).unwrap(), Some((3, Found::NoUser)));
            seen.release(&username(1), 3).unwrap();
            assert_eq!(seen.get(&username(1)).unwrap(), None, "limit {limit}");
            assert_eq!(seen.first(username(1), 7).unwrap(), (7, Found::Pending));
            assert_eq!(seen.first_line(username(1), 9).unwrap(), 7, "limit {limit}");
        }
    }

    #[test]
    fn uuid_text_reads_back_as_the_id() {
        let id = "a38890a6-295a-4d58-9f6e-b72b05fba379";
        assert_eq!(
            Found::user(&id.to_uppercase()),
            Found::User(match CompactKey::id(id) {
                CompactKey::Id(bytes) => bytes,
                _ => panic!("a UUID"),
            })
        );
        let Found::User(bytes) = Found::user(id) else {
            panic!("a UUID")
        };
        assert_eq!(uuid_text(&bytes), id);
        assert_eq!(Found::user("not-a-uuid"), Found::Unknown);
    }

    #[test]
    fn a_slot_reads_back_as_written() {
        let slot = Slot {
            hash: u64::MAX,
            first_line: 1 << 40,
            offset: 12_345,
            len: u32::MAX,
            found: Found::User([0xa5; 16]),
        };
        assert_eq!(Slot::decode(&slot.encode()), slot);
        for found in [
            Found::Pending,
            Found::Unknown,
            Found::NoUser,
            Found::SeveralUsers,
            Found::User([0; 16]),
        ] {
            let slot = Slot { found, ..slot };
            assert_eq!(Slot::decode(&slot.encode()), slot);
        }
    }
}
