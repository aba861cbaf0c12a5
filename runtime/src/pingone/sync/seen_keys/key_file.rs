//! [`KeyFile`]: the keys that [`SeenKeys`](super::SeenKeys) moved out of memory, in a temporary
//! file: an open-addressing hash table of fixed-size slots, and the keys' texts beside it.

use std::collections::hash_map::RandomState;
use std::fs::File;
use std::io;

use super::{CompactKey, FOUND, Found};

/// Bytes per slot of a [`KeyFile`]'s table: the key's hash (`u64`, `0` for an empty slot),
/// the first line (`u64`), the key's offset in the texts file (`u64`) and its length (`u32`),
/// little-endian, then what the first line found ([`FOUND`] bytes, [`Found::encode`]).
const SLOT: usize = 28 + FOUND;

/// The first line of a released key ([`KeyFile::release`]): no feed has that many lines.
const RELEASED: u64 = u64::MAX;

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
pub(super) struct KeyFile<S = RandomState> {
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
    pub(super) fn create(keys: usize) -> io::Result<KeyFile> {
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
    pub(super) fn first_line(
        &mut self,
        key: &CompactKey,
        line: usize,
    ) -> io::Result<(usize, Found)> {
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
    pub(super) fn get(&mut self, key: &CompactKey) -> io::Result<Option<(usize, Found)>> {
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
    pub(super) fn set_found(
        &mut self,
        key: &CompactKey,
        line: usize,
        found: Found,
    ) -> io::Result<()> {
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
    pub(super) fn release(&mut self, key: &CompactKey, line: usize) -> io::Result<()> {
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
mod tests;
