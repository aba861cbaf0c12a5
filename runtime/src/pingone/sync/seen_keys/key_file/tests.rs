//! `SeenKeys` and its temporary file ([`KeyFile`](super::KeyFile)): compact keys, the table's
//! probes and growth, what a first line found. A child of `key_file.rs`, so that the tests see
//! the table's slots and counters; `SeenKeys`'s own items are its grandparent's.

use super::super::*;
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
        CompactKey::UsernameGiven(text.into()),
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

/// Keys of every kind with the same text, whose hashes collide, are told apart by the kind
/// written with their bytes: a username is not taken for the email with its text.
/// (Mutation testing: one tag for two kinds went unnoticed, as their hashes differ.)
#[test]
fn keys_of_every_kind_with_the_same_text_and_hash_stay_apart() {
    let hasher = std::hash::BuildHasherDefault::<Collide>::default();
    let mut file = KeyFile::create_with(0, hasher, 0).unwrap();
    let text = "ada@example.com";
    let keys = [
        CompactKey::OtherId(text.into()),
        CompactKey::Username(text.into()),
        CompactKey::Email(text.into()),
        CompactKey::UsernameGiven(text.into()),
    ];
    for (line, key) in keys.iter().enumerate() {
        assert_eq!(file.first_line(key, line).unwrap().0, line, "{key:?}");
    }
    for (line, key) in keys.iter().enumerate() {
        assert_eq!(file.first_line(key, 99).unwrap().0, line, "{key:?}");
    }
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
