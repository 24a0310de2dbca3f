//! The build cache's files on disk, for the stages that keep work for the next build
//! (load's photo proofs, render's converted photos) under the output folder's
//! [`CACHE_FOLDER`].
//!
//! An entry is a file named after its key (a SHA-256 of everything its content depends on,
//! which each user computes, starting with [`program_stamp`]): a magic string naming the
//! kind of entry and its layout, the key again, the payload, and a trailer: [`TRAILER_TAG`]
//! and the CRC-32 of all that comes before it. An entry that is cut short, damaged, of
//! another kind or under another key's name is not used: the work is done again and the
//! entry replaced. Entries are written to a temporary file and renamed, so a reader never
//! sees half of one.
//!
//! The checksum guards against damage (a disk, a killed copy), not against someone who
//! forges entries, which the keys' SHA-256 does not either: a CRC-32 finds every cut and
//! every burst of up to 32 damaged bits, and is many times faster than the SHA-256 it
//! replaced, which was the largest single cost of a rebuild reading megabytes of kept
//! photos, paragraphs and pages.
//!
//! [`digests`] records the SHA-256 of the photo files the keys start from, so that a
//! rebuild finds a photo's entries without reading the whole photo again.

use std::collections::BTreeSet;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, OnceLock, PoisonError};
use std::time::{Duration, SystemTime};

pub mod digests;

/// The cache's folder inside the output folder (hidden, so the watch and file listings
/// pass it by; the manifest's stale-file removal only ever touches files it recorded).
pub const CACHE_FOLDER: &str = ".rotative-cache";

/// Most bytes one folder of the cache keeps: about a thousand converted newspaper photos.
pub const MAX_CACHE_BYTES: u64 = 512 << 20;

/// What the running program is, for every key: the crate version, and the executable's
/// size and modification time, so that a rebuilt rotative never trusts the work of
/// another build of the code (the executable's part is empty when it cannot be read).
/// Read once per process: every key of a build starts with it, and reading it takes a
/// `readlink` and a `statx`.
pub fn program_stamp() -> &'static [u8] {
    static STAMP: OnceLock<Vec<u8>> = OnceLock::new();
    STAMP.get_or_init(|| {
        let mut stamp = env!("CARGO_PKG_VERSION").as_bytes().to_vec();
        if let Ok(metadata) = std::env::current_exe().and_then(std::fs::metadata) {
            let modified = metadata
                .modified()
                .ok()
                .and_then(|m| m.duration_since(SystemTime::UNIX_EPOCH).ok())
                .map_or(0, |d| d.as_nanos());
            stamp.extend_from_slice(&metadata.len().to_be_bytes());
            stamp.extend_from_slice(&modified.to_be_bytes());
        }
        stamp
    })
}

/// The file of the entry with `key` in `folder`.
pub fn entry_path(folder: &Path, key: &[u8; 32]) -> PathBuf {
    let name: String = key.iter().map(|b| format!("{b:02x}")).collect();
    folder.join(format!("{name}.entry"))
}

/// How long a read entry stays marked as used before a read marks it again: pruning goes
/// by these marks (least recently used first), and an hour is fine enough for a folder of
/// hundreds of megabytes. Marking every entry at every read was an open and a metadata
/// write per entry, a few hundred a rebuild.
const MARK_EVERY: Duration = Duration::from_secs(3600);

/// The payload of the entry with `key` in `folder`, if the entry is whole and is of the
/// kind `magic` names; a hit makes it the most recently used (to within an hour).
pub fn read(folder: &Path, magic: &[u8; 16], key: &[u8; 32]) -> Option<Vec<u8>> {
    let path = entry_path(folder, key);
    let mut file = std::fs::File::open(&path).ok()?;
    let metadata = file.metadata().ok()?;
    let mut payload = Vec::with_capacity(usize::try_from(metadata.len()).ok()?);
    file.read_to_end(&mut payload).ok()?;
    // The payload taken out of the entry in place: a copy of a converted photo or a
    // segment of paragraphs is megabytes of fresh pages to fault in.
    let length = open(&payload, magic, key)?.len();
    payload.truncate(48 + length);
    payload.drain(..48);
    let now = SystemTime::now();
    // A mark in the future (a clock set back) is renewed too.
    let age = metadata.modified().ok().and_then(|marked| now.duration_since(marked).ok());
    let recent = age.is_some_and(|age| age < MARK_EVERY);
    if !recent && let Ok(file) = std::fs::File::options().write(true).open(&path) {
        let _ = file.set_modified(now);
    }
    Some(payload)
}

/// What the trailer of an entry starts with: the layout of the checksum after it (an
/// entry of the layout before, with a SHA-256 there, is refused by it as well as by its
/// checksum).
pub const TRAILER_TAG: &[u8; 4] = b"crc1";

/// The payload of `entry`, when its checksum holds and it is of kind `magic` under `key`.
pub fn open<'a>(entry: &'a [u8], magic: &[u8; 16], key: &[u8; 32]) -> Option<&'a [u8]> {
    let body_length = entry.len().checked_sub(8)?;
    let (body, trailer) = entry.split_at(body_length);
    let (tag, checksum) = trailer.split_at(4);
    if body.len() < 48 || tag != TRAILER_TAG || crc32fast::hash(body).to_le_bytes() != checksum {
        return None;
    }
    (&body[..16] == magic && &body[16..48] == key).then_some(&body[48..])
}

/// The bytes of an entry of kind `magic` holding `payload` under `key`.
pub fn seal(magic: &[u8; 16], key: &[u8; 32], payload: &[u8]) -> Vec<u8> {
    let mut entry = Vec::with_capacity(16 + 32 + payload.len() + 8);
    entry.extend_from_slice(magic);
    entry.extend_from_slice(key);
    entry.extend_from_slice(payload);
    let checksum = crc32fast::hash(&entry);
    entry.extend_from_slice(TRAILER_TAG);
    entry.extend_from_slice(&checksum.to_le_bytes());
    entry
}

/// The folders this process has written entries into since each was last pruned.
static GROWN: Mutex<BTreeSet<PathBuf>> = Mutex::new(BTreeSet::new());

/// Keeps `payload` under `key` in `folder`. A cache that cannot be written is no error:
/// the next build does the work again.
pub fn write(folder: &Path, magic: &[u8; 16], key: &[u8; 32], payload: &[u8]) {
    static WRITES: AtomicUsize = AtomicUsize::new(0);
    if std::fs::create_dir_all(folder).is_err() {
        return;
    }
    GROWN.lock().unwrap_or_else(PoisonError::into_inner).insert(folder.to_path_buf());
    let n = WRITES.fetch_add(1, Ordering::Relaxed);
    let temporary = folder.join(format!(".tmp-{}-{n}", std::process::id()));
    let written = std::fs::File::create(&temporary)
        .and_then(|mut file| file.write_all(&seal(magic, key, payload)))
        .and_then(|()| std::fs::rename(&temporary, entry_path(folder, key)));
    if written.is_err() {
        let _ = std::fs::remove_file(&temporary);
    }
}

/// [`prune`] for a folder this process has written entries into since it last pruned it:
/// one it only read from is as large as it was found (listing and measuring every entry
/// took some 2 ms a build). A killed build's temporary files wait for the next build that
/// writes there.
pub fn prune_if_grown(folder: &Path, max_bytes: u64) {
    if GROWN.lock().unwrap_or_else(PoisonError::into_inner).remove(folder) {
        prune(folder, max_bytes);
    }
}

/// Holds `folder` under `max_bytes`, removing the least recently used entries first, and
/// removes temporary files a killed build left (older than an hour).
pub fn prune(folder: &Path, max_bytes: u64) {
    let Ok(listing) = std::fs::read_dir(folder) else { return };
    let now = SystemTime::now();
    let mut entries = Vec::new();
    for file in listing.flatten() {
        let Ok(metadata) = file.metadata() else { continue };
        let modified = metadata.modified().unwrap_or(SystemTime::UNIX_EPOCH);
        if file.file_name().to_string_lossy().starts_with(".tmp-") {
            let age = now.duration_since(modified).unwrap_or_default();
            if age > Duration::from_secs(3600) {
                let _ = std::fs::remove_file(file.path());
            }
            continue;
        }
        entries.push((modified, metadata.len(), file.path()));
    }
    let mut total: u64 = entries.iter().map(|(_, length, _)| length).sum();
    // Oldest first; by name among equal times, so the same folder prunes the same way.
    entries.sort();
    for (_, length, path) in entries {
        if total <= max_bytes {
            break;
        }
        if std::fs::remove_file(&path).is_ok() {
            total -= length;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MAGIC: &[u8; 16] = b"rotative-test\x00\x00\x01";

    #[test]
    fn an_entry_opens_only_whole_of_its_kind_and_under_its_key() {
        let key = [7u8; 32];
        let entry = seal(MAGIC, &key, b"payload");
        assert_eq!(open(&entry, MAGIC, &key), Some(&b"payload"[..]));
        assert_eq!(open(&entry, MAGIC, &[8u8; 32]), None);
        assert_eq!(open(&entry, b"rotative-other\x00\x01", &key), None);
        for cut in [0, 1, 40, entry.len() - 9, entry.len() - 8, entry.len() - 1] {
            assert!(open(&entry[..cut], MAGIC, &key).is_none(), "cut at {cut}");
        }
        for flipped in [0, 20, 50, entry.len() - 6, entry.len() - 1] {
            let mut damaged = entry.clone();
            damaged[flipped] ^= 0x10;
            assert!(open(&damaged, MAGIC, &key).is_none(), "byte {flipped} changed");
        }
        // An entry of the layout before (a SHA-256 after the payload) is not opened.
        let mut before = entry[..entry.len() - 8].to_vec();
        before.extend_from_slice(&[0x5a; 32]);
        assert_eq!(open(&before, MAGIC, &key), None);
    }

    #[test]
    fn only_a_folder_written_since_its_last_pruning_is_pruned_again() {
        let folder = std::env::temp_dir().join(format!("rotative-grown-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&folder);
        write(&folder, MAGIC, &[1u8; 32], &[0; 100]);
        // A bound of nothing: a pruning removes every entry.
        prune_if_grown(&folder, 0);
        assert!(!entry_path(&folder, &[1u8; 32]).exists(), "written to, so pruned");
        std::fs::write(entry_path(&folder, &[2u8; 32]), b"left by another process").unwrap();
        prune_if_grown(&folder, 0);
        assert!(entry_path(&folder, &[2u8; 32]).exists(), "not written to since: not pruned");
        write(&folder, MAGIC, &[3u8; 32], &[0; 100]);
        prune_if_grown(&folder, 0);
        assert!(!entry_path(&folder, &[2u8; 32]).exists());
        assert!(!entry_path(&folder, &[3u8; 32]).exists());
        std::fs::remove_dir_all(&folder).unwrap();
    }

    #[test]
    fn a_read_marks_an_entry_used_unless_it_was_marked_within_the_hour() {
        let folder = std::env::temp_dir().join(format!("rotative-mark-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&folder);
        let key = [4u8; 32];
        write(&folder, MAGIC, &key, b"kept");
        let path = entry_path(&folder, &key);
        let mark = |at: SystemTime| {
            std::fs::File::options().write(true).open(&path).unwrap().set_modified(at).unwrap()
        };
        let marked = || std::fs::metadata(&path).unwrap().modified().unwrap();
        let recently = SystemTime::now() - Duration::from_secs(600);
        mark(recently);
        assert_eq!(read(&folder, MAGIC, &key), Some(b"kept".to_vec()));
        assert_eq!(marked(), recently, "marked ten minutes ago: left as it is");
        let long_ago = SystemTime::now() - Duration::from_secs(7200);
        mark(long_ago);
        assert_eq!(read(&folder, MAGIC, &key), Some(b"kept".to_vec()));
        assert!(marked() > recently, "marked two hours ago: marked again");
        std::fs::remove_dir_all(&folder).unwrap();
    }

    #[test]
    fn pruning_removes_the_least_recently_used_entries_first() {
        let folder = std::env::temp_dir().join(format!("rotative-prune-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&folder);
        let keys = [[1u8; 32], [2u8; 32], [3u8; 32]];
        for (i, key) in keys.iter().enumerate() {
            write(&folder, MAGIC, key, &[0; 100]);
            let file = std::fs::File::options().write(true).open(entry_path(&folder, key));
            let at = SystemTime::UNIX_EPOCH + Duration::from_secs(1_000_000 * (i as u64 + 1));
            file.unwrap().set_modified(at).unwrap();
        }
        // Reading the oldest makes it the most recently used.
        assert_eq!(read(&folder, MAGIC, &keys[0]), Some(vec![0; 100]));
        let one = std::fs::metadata(entry_path(&folder, &keys[0])).unwrap().len();
        prune(&folder, one * 2);
        let left: Vec<bool> = keys.iter().map(|k| entry_path(&folder, k).exists()).collect();
        assert_eq!(left, [true, false, true]);
        std::fs::remove_dir_all(&folder).unwrap();
    }
}
