//! The SHA-256 of a photo file, which the build cache's keys start from, without reading
//! the whole file again when an earlier build recorded it for the file as it is now.
//!
//! A record is found by the file's fingerprint: its path, size, modification time (to the
//! nanosecond; on Unix also its inode and device), and its first and last [`SAMPLE_BYTES`].
//! A file written again changes its modification time; one rewritten in place at the same
//! size within the file system's timestamp granularity, or with its time set back, is
//! still caught when either end changes, as a re-exported JPEG's tables and last scan do.
//! A record pairs the digest of the bytes read with the file's metadata from before they
//! were read, so a file that changes while it is read is not recorded under its new state.
//! Records are cache entries ([`super::open`]): one cut short or damaged is not used, and
//! the file is read and hashed again.
//!
//! A file of at most [`MIN_RECORDED_BYTES`] has no record: reading and hashing it whole
//! costs about what finding its record does (the fingerprint alone reads and hashes
//! twice [`SAMPLE_BYTES`]), and a record costs a file created in a cold build, which is
//! the dearer part of filling the cache.

use std::fs::Metadata;
use std::io::{Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::model::FileStamp;

/// The records' folder inside the cache ([`super::CACHE_FOLDER`]), beside the folders of
/// the entries whose keys they serve.
pub const DIGEST_FOLDER: &str = "digests";

/// Bytes read at each end of a file for its fingerprint: a JPEG's headers (quantisation
/// and Huffman tables, the frame) and the end of its last scan.
pub const SAMPLE_BYTES: usize = 16 << 10;

/// Size up to which a file is hashed whole at every build instead of having a record:
/// eight samples.
pub const MIN_RECORDED_BYTES: u64 = 8 * SAMPLE_BYTES as u64;

/// The first bytes of every record: what it is, and the layout's version.
const MAGIC: &[u8; 16] = b"rotative-digest\x01";

/// The records' folder for the cache folder `kind` (`.rotative-cache/photos` gives
/// `.rotative-cache/digests`): one for every stage, so a file hashed by load is not
/// hashed again by render.
pub fn folder_beside(kind: &Path) -> PathBuf {
    kind.with_file_name(DIGEST_FOLDER)
}

/// The digest recorded in `folder` for the file at `path` as it is now, if any.
pub fn recorded(path: &Path, folder: &Path) -> Option<[u8; 32]> {
    recorded_as(path, folder).map(|(_, digest)| digest)
}

/// [`recorded`], with the file's metadata its record was found by: a caller that reads the
/// file afterwards can tell whether it changed meanwhile.
pub fn recorded_as(path: &Path, folder: &Path) -> Option<(Metadata, [u8; 32])> {
    let metadata = std::fs::metadata(path).ok()?;
    if metadata.len() <= MIN_RECORDED_BYTES {
        return None;
    }
    let (head, tail) = ends(path, metadata.len())?;
    let key = fingerprint(path, &metadata, &head, &tail)?;
    let digest = super::read(folder, MAGIC, &key)?.try_into().ok()?;
    Some((metadata, digest))
}

/// The first and last [`SAMPLE_BYTES`] (at most `length`) of the file at `path`.
fn ends(path: &Path, length: u64) -> Option<(Vec<u8>, Vec<u8>)> {
    let n = SAMPLE_BYTES.min(usize::try_from(length).ok()?);
    let mut file = std::fs::File::open(path).ok()?;
    let mut head = vec![0; n];
    file.read_exact(&mut head).ok()?;
    let mut tail = vec![0; n];
    file.seek(SeekFrom::End(-i64::try_from(n).ok()?)).ok()?;
    file.read_exact(&mut tail).ok()?;
    Some((head, tail))
}

/// The digest recorded in `folder` for `bytes`, read from the file at `path` whose
/// metadata was `before` just before they were read: what [`recorded`] finds, but
/// fingerprinted on the bytes in hand, so a file that changed since an earlier look is
/// never given that look's digest. `None` when nothing is recorded for them, or when
/// they are not the length `before` gives (the file changed while it was read).
pub fn recorded_for(
    path: &Path,
    before: &Metadata,
    bytes: &[u8],
    folder: &Path,
) -> Option<[u8; 32]> {
    if bytes.len() as u64 != before.len() {
        return None;
    }
    let n = SAMPLE_BYTES.min(bytes.len());
    let key = fingerprint(path, before, &bytes[..n], &bytes[bytes.len() - n..])?;
    super::read(folder, MAGIC, &key)?.try_into().ok()
}

/// Records in `folder` that the file at `path`, as `before` (its metadata, taken before
/// it was read) describes it, held `bytes`, whose SHA-256 is `digest`. Nothing is recorded
/// for bytes of another length than `before` gives: the file changed while it was read.
pub fn record(path: &Path, before: &Metadata, bytes: &[u8], digest: &[u8; 32], folder: &Path) {
    if bytes.len() as u64 != before.len() {
        return;
    }
    let n = SAMPLE_BYTES.min(bytes.len());
    if let Some(key) = fingerprint(path, before, &bytes[..n], &bytes[bytes.len() - n..]) {
        super::write(folder, MAGIC, &key, digest);
    }
}

/// [`record`] for bytes passed piece by piece rather than held whole (a PDF written or
/// compared part by part): `head` and `tail` are their first and last [`SAMPLE_BYTES`]
/// (all of them when they are fewer). Recorded only when the file at `path`, as `before`
/// describes it, still has those ends: one another process wrote meanwhile is not given
/// this digest.
pub fn record_pieces(
    path: &Path,
    before: &Metadata,
    head: &[u8],
    tail: &[u8],
    digest: &[u8; 32],
    folder: &Path,
) {
    if before.len() <= MIN_RECORDED_BYTES {
        return;
    }
    let Some((on_disk_head, on_disk_tail)) = ends(path, before.len()) else { return };
    if on_disk_head != head || on_disk_tail != tail {
        return;
    }
    if let Some(key) = fingerprint(path, before, head, tail) {
        super::write(folder, MAGIC, &key, digest);
    }
}

/// The key of a file's record: see the module documentation. `None` for anything but a
/// regular file with a modification time, and for a file too small to have a record.
fn fingerprint(path: &Path, metadata: &Metadata, head: &[u8], tail: &[u8]) -> Option<[u8; 32]> {
    if metadata.len() <= MIN_RECORDED_BYTES {
        return None;
    }
    let stamp = FileStamp::of(metadata)?;
    let mut hash = Sha256::new();
    hash.update(MAGIC);
    let path = path.as_os_str().as_encoded_bytes();
    hash.update((path.len() as u64).to_be_bytes());
    hash.update(path);
    hash.update(stamp.to_be_bytes());
    hash.update(head);
    hash.update(tail);
    Some(hash.finalize().into())
}

#[cfg(test)]
mod tests {
    use std::time::SystemTime;

    use super::*;

    /// A file of `bytes` in a fresh folder, and the folder for the records.
    fn setup(name: &str, bytes: &[u8]) -> (PathBuf, PathBuf) {
        let dir =
            std::env::temp_dir().join(format!("rotative-digests-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("photo.jpg");
        std::fs::write(&file, bytes).unwrap();
        (file, dir.join(DIGEST_FOLDER))
    }

    /// Reads `file` as a stage does and records its digest.
    fn read_and_record(file: &Path, folder: &Path) -> [u8; 32] {
        let before = std::fs::metadata(file).unwrap();
        let bytes = std::fs::read(file).unwrap();
        let digest: [u8; 32] = Sha256::digest(&bytes).into();
        record(file, &before, &bytes, &digest, folder);
        digest
    }

    /// Writes `bytes` to `file` and sets its modification time back to `at`.
    fn rewrite_at(file: &Path, bytes: &[u8], at: SystemTime) {
        std::fs::write(file, bytes).unwrap();
        std::fs::File::options().write(true).open(file).unwrap().set_modified(at).unwrap();
    }

    #[test]
    fn a_recorded_digest_is_found_for_the_same_file_only() {
        // Larger than both samples together, so a middle byte is in neither.
        let bytes: Vec<u8> = (0..200_000u32).map(|i| (i * 7 % 251) as u8).collect();
        let (file, folder) = setup("same", &bytes);
        assert_eq!(recorded(&file, &folder), None);
        let digest = read_and_record(&file, &folder);
        assert_eq!(recorded(&file, &folder), Some(digest));
        let at = std::fs::metadata(&file).unwrap().modified().unwrap();

        let before = std::fs::metadata(&file).unwrap();
        assert_eq!(recorded_for(&file, &before, &bytes, &folder), Some(digest));
        let mut other = bytes.clone();
        other[0] ^= 0xFF;
        assert_eq!(recorded_for(&file, &before, &other, &folder), None, "other bytes in hand");
        assert_eq!(recorded_for(&file, &before, &bytes[1..], &folder), None, "another length");

        // The same size and time, another first byte, then another last byte: not found.
        for index in [0, bytes.len() - 1] {
            let mut changed = bytes.clone();
            changed[index] ^= 0xFF;
            rewrite_at(&file, &changed, at);
            assert_eq!(recorded(&file, &folder), None, "byte {index} changed");
        }
        // The same bytes with another time: not found either.
        rewrite_at(&file, &bytes, at + std::time::Duration::from_secs(1));
        assert_eq!(recorded(&file, &folder), None);
        // Another path holding the same bytes: its own record.
        let copy = file.with_file_name("copy.jpg");
        std::fs::copy(&file, &copy).unwrap();
        assert_eq!(recorded(&copy, &folder), None);
        std::fs::remove_dir_all(file.parent().unwrap()).unwrap();
    }

    #[test]
    fn a_damaged_record_or_a_file_changed_while_read_gives_nothing() {
        let photo = vec![7u8; MIN_RECORDED_BYTES as usize + 1];
        let (file, folder) = setup("damaged", &photo);
        read_and_record(&file, &folder);
        let entry = std::fs::read_dir(&folder).unwrap().next().unwrap().unwrap().path();
        let whole = std::fs::read(&entry).unwrap();
        std::fs::write(&entry, &whole[..whole.len() - 1]).unwrap();
        assert_eq!(recorded(&file, &folder), None, "a record cut short is not used");
        std::fs::remove_dir_all(&folder).unwrap();

        // Bytes of another length than the metadata taken before reading: not recorded.
        let before = std::fs::metadata(&file).unwrap();
        let longer = [photo.as_slice(), b"rewritten while it was read"].concat();
        record(&file, &before, &longer, &Sha256::digest(&longer).into(), &folder);
        assert!(!folder.exists());
        std::fs::remove_dir_all(file.parent().unwrap()).unwrap();
    }

    #[test]
    fn a_small_file_has_no_record_and_is_hashed_whole() {
        let small = vec![3u8; MIN_RECORDED_BYTES as usize];
        let (file, folder) = setup("small", &small);
        read_and_record(&file, &folder);
        assert!(!folder.exists(), "no record written");
        assert_eq!(recorded(&file, &folder), None);
        let before = std::fs::metadata(&file).unwrap();
        assert_eq!(recorded_for(&file, &before, &small, &folder), None);
        std::fs::remove_dir_all(file.parent().unwrap()).unwrap();
    }
}
