//! Writing output files safely: into a temporary file in the target folder, then renamed
//! into place, so a failed or interrupted run never leaves a truncated PDF and never replaces
//! a good one with a bad one. A file whose bytes would not change is left untouched.

use std::fs;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};

use sha2::{Digest, Sha256};

use crate::cache;
use crate::model::FileStamp;
use crate::render::PdfFile;

/// What happened to one output file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum WriteStatus {
    /// Written (new or changed).
    Written,
    /// Same bytes already there: not rewritten.
    Unchanged,
}

/// Prefix of temporary files, so a later run can recognise and remove leftovers of a run
/// that was killed outright (SIGKILL gives no chance to clean up). The full name is
/// `.rotative-tmp-<process id>-<random>-<file name>`: two builds into one folder never
/// share a temporary file, and each can tell whose a leftover is.
const TEMP_PREFIX: &str = ".rotative-tmp-";

/// A temporary file older than this is a leftover whatever its process id says (the id
/// may have been reused): no build spends an hour writing one file.
const STALE_AFTER: std::time::Duration = std::time::Duration::from_secs(3600);

/// Temporary files being written, removed by the signal handler on Ctrl-C or SIGTERM.
fn in_flight() -> &'static Mutex<Vec<PathBuf>> {
    static IN_FLIGHT: OnceLock<Mutex<Vec<PathBuf>>> = OnceLock::new();
    IN_FLIGHT.get_or_init(Default::default)
}

/// Installs the handler that removes temporary files when the run is interrupted, then
/// exits with 130 as shells expect after an interrupt.
pub fn install_interrupt_cleanup() {
    // A second installation (tests calling the library twice) is harmless to ignore.
    let _ = ctrlc::set_handler(|| {
        for path in in_flight().lock().unwrap_or_else(|e| e.into_inner()).drain(..) {
            let _ = fs::remove_file(path);
        }
        std::process::exit(130);
    });
}

/// Removes temporary files left in `folder` by a killed run: those of a process that is
/// gone, and any older than an hour. Another build's file, still being written, is
/// left alone.
pub fn remove_stale_temporaries(folder: &Path) {
    let Ok(entries) = fs::read_dir(folder) else { return };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some(rest) = name.strip_prefix(TEMP_PREFIX) else { continue };
        let owner = rest.split('-').next().and_then(|pid| pid.parse::<u32>().ok());
        let old = entry
            .metadata()
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| t.elapsed().ok())
            .is_some_and(|age| age > STALE_AFTER);
        let orphaned = match owner {
            Some(pid) => pid != std::process::id() && !process_alive(pid),
            // Not a name this version writes: judged by age only.
            None => false,
        };
        if orphaned || old {
            let _ = fs::remove_file(entry.path());
        }
    }
}

/// Whether process `pid` is running. Where that cannot be told (no `/proc`), it is taken
/// as running, and its files go only once stale by age.
fn process_alive(pid: u32) -> bool {
    let proc = Path::new("/proc");
    !proc.is_dir() || proc.join(pid.to_string()).exists()
}

/// A name for the temporary file of `name` that no other build, and no other write of
/// this one, uses: the process id and 64 random bits.
fn temporary_name(name: &str) -> String {
    use std::hash::{BuildHasher, Hasher};
    use std::sync::atomic::{AtomicU64, Ordering};
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    // `RandomState` is seeded from the operating system's randomness, once per process
    // and then per instance; the counter and the clock make each name distinct in any case.
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write_u64(COUNTER.fetch_add(1, Ordering::Relaxed));
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH);
    hasher.write_u128(now.map(|d| d.as_nanos()).unwrap_or_default());
    format!("{TEMP_PREFIX}{}-{:016x}-{name}", std::process::id(), hasher.finish())
}

/// Writes `bytes` to `path` atomically; leaves an identical existing file alone.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<WriteStatus> {
    write_atomic_with(path, bytes, None)
}

/// What a file is written from: bytes in memory, or a rendered PDF whose photos are read
/// back from its spill file while it is written ([`PdfFile`]), so that the whole file need
/// never be in memory.
pub trait Contents: Sync {
    /// Length in bytes.
    fn length(&self) -> u64;
    /// Hands the bytes to `each`, a piece at a time, in order; stops at the first error.
    fn parts(&self, each: &mut dyn FnMut(&[u8]) -> std::io::Result<()>) -> std::io::Result<()>;
}

impl Contents for [u8] {
    fn length(&self) -> u64 {
        self.len() as u64
    }

    fn parts(&self, each: &mut dyn FnMut(&[u8]) -> std::io::Result<()>) -> std::io::Result<()> {
        each(self)
    }
}

impl Contents for PdfFile {
    fn length(&self) -> u64 {
        self.len()
    }

    fn parts(&self, each: &mut dyn FnMut(&[u8]) -> std::io::Result<()>) -> std::io::Result<()> {
        self.write_parts(each)
    }
}

/// [`write_atomic`] of any [`Contents`], also returning the SHA-256 of its bytes (the
/// report's): computed in the pass over the bytes that compares them with the file there
/// or writes them, so that a PDF's photos are read back from its spill file once, not once
/// more for the hash.
///
/// With a `digests` folder (the build cache's, [`cache::digests`]), the digest of the file
/// as written, or as found holding the same bytes, is recorded there; a later build that
/// finds the file as it was recorded and holding the same bytes takes the digest from the
/// record instead of hashing them again (tens of megabytes for an issue of RGB photos, the
/// largest cost of a rebuild with nothing changed).
pub fn write_atomic_hashed<C: Contents + ?Sized>(
    path: &Path,
    contents: &C,
    digests: Option<&Path>,
) -> std::io::Result<(WriteStatus, [u8; 32])> {
    let found = fs::metadata(path).ok();
    let known = digests.and_then(|folder| cache::digests::recorded_as(path, folder));
    let mut hash = Sha256::new();
    let mut ends = Ends::new(contents.length());
    // The comparison need not hash what a record already gives.
    let feed = known.is_none().then_some(&mut hash);
    if same_content(path, contents, feed, &mut ends) {
        let digest = match known {
            Some((before, digest)) if same_file(path, &before) => {
                return Ok((WriteStatus::Unchanged, digest));
            }
            // Written again meanwhile with the same bytes: their digest is computed.
            Some(_) => {
                contents.parts(&mut |part| {
                    hash.update(part);
                    Ok(())
                })?;
                hash.finalize().into()
            }
            None => hash.finalize().into(),
        };
        if let (Some(folder), Some(before)) = (digests, &found) {
            cache::digests::record_pieces(path, before, &ends.head, &ends.tail, &digest, folder);
        }
        return Ok((WriteStatus::Unchanged, digest));
    }
    // The ends again, from the bytes as written.
    ends = Ends::new(contents.length());
    replace(path, contents, Some(&mut hash), &mut ends)?;
    let digest = hash.finalize().into();
    if let (Some(folder), Ok(written)) = (digests, fs::metadata(path)) {
        cache::digests::record_pieces(path, &written, &ends.head, &ends.tail, &digest, folder);
    }
    Ok((WriteStatus::Written, digest))
}

/// Whether the file at `path` is still the one `before` describes (its [`FileStamp`]:
/// size, time and, on Unix, inode).
fn same_file(path: &Path, before: &fs::Metadata) -> bool {
    FileStamp::of(before).is_some_and(|stamp| FileStamp::now(path) == Some(stamp))
}

/// The first and last [`cache::digests::SAMPLE_BYTES`] of bytes passed piece by piece: what
/// a file's digest record is found by.
struct Ends {
    head: Vec<u8>,
    tail: Vec<u8>,
    /// How many bytes each end keeps.
    n: usize,
}

impl Ends {
    fn new(length: u64) -> Self {
        let n = usize::try_from(length).unwrap_or(usize::MAX).min(cache::digests::SAMPLE_BYTES);
        Ends { head: Vec::with_capacity(n), tail: Vec::with_capacity(2 * n), n }
    }

    fn take(&mut self, part: &[u8]) {
        let room = self.n - self.head.len();
        self.head.extend_from_slice(&part[..room.min(part.len())]);
        if part.len() >= self.n {
            self.tail.clear();
            self.tail.extend_from_slice(&part[part.len() - self.n..]);
        } else {
            self.tail.extend_from_slice(part);
            let over = self.tail.len().saturating_sub(self.n);
            self.tail.drain(..over);
        }
    }
}

/// [`write_atomic`] of any [`Contents`], feeding its bytes to `hash` (a fresh one) if given.
fn write_atomic_with<C: Contents + ?Sized>(
    path: &Path,
    contents: &C,
    mut hash: Option<&mut Sha256>,
) -> std::io::Result<WriteStatus> {
    let mut ends = Ends::new(0);
    if same_content(path, contents, hash.as_deref_mut(), &mut ends) {
        return Ok(WriteStatus::Unchanged);
    }
    replace(path, contents, hash, &mut ends).map(|()| WriteStatus::Written)
}

/// Writes `contents` to a temporary file beside `path` and renames it over `path`, feeding
/// the bytes to `hash` and `ends`.
fn replace<C: Contents + ?Sized>(
    path: &Path,
    contents: &C,
    hash: Option<&mut Sha256>,
    ends: &mut Ends,
) -> std::io::Result<()> {
    let folder = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    fs::create_dir_all(folder)?;
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let temp = folder.join(temporary_name(&name));
    in_flight().lock().unwrap_or_else(|e| e.into_inner()).push(temp.clone());
    let result = write_then_rename(&temp, path, contents, hash, ends);
    if result.is_err() {
        let _ = fs::remove_file(&temp);
    }
    in_flight().lock().unwrap_or_else(|e| e.into_inner()).retain(|p| p != &temp);
    result
}

/// Whether the file at `path` holds exactly `contents`, read a piece at a time: an issue
/// PDF of tens of megabytes is not read whole into memory beside the new one. When it
/// does, `hash` has been fed all of `contents`; when not, `hash` is untouched.
fn same_content<C: Contents + ?Sized>(
    path: &Path,
    contents: &C,
    hash: Option<&mut Sha256>,
    ends: &mut Ends,
) -> bool {
    let Ok(file) = fs::File::open(path) else { return false };
    if file.metadata().map(|m| m.len()).ok() != Some(contents.length()) {
        return false;
    }
    let mut reader = std::io::BufReader::with_capacity(1 << 20, file);
    let mut read = Vec::new();
    // Hashed aside, and kept only if the whole file compares equal.
    let mut aside = hash.as_ref().map(|_| Sha256::new());
    let compared = contents.parts(&mut |part| {
        read.resize(part.len(), 0);
        reader.read_exact(&mut read)?;
        if read != part {
            return Err(std::io::Error::other("differs"));
        }
        if let Some(aside) = &mut aside {
            aside.update(part);
        }
        ends.take(part);
        Ok(())
    });
    if let (true, Some(hash), Some(aside)) = (compared.is_ok(), hash, aside) {
        *hash = aside;
    }
    compared.is_ok()
}

fn write_then_rename<C: Contents + ?Sized>(
    temp: &Path,
    path: &Path,
    contents: &C,
    hash: Option<&mut Sha256>,
    ends: &mut Ends,
) -> std::io::Result<()> {
    let mut file = fs::File::create(temp)?;
    #[cfg(feature = "fault-injection")]
    let mut fault = fault::Fault::new(contents.length());
    #[cfg(feature = "fault-injection")]
    let mut write = |part: &[u8]| fault.write(&mut file, part);
    #[cfg(not(feature = "fault-injection"))]
    let mut write = |part: &[u8]| file.write_all(part);
    let mut write_pass = |mut hash: Option<&mut Sha256>| {
        contents.parts(&mut |part| {
            if let Some(hash) = hash.as_deref_mut() {
                hash.update(part);
            }
            ends.take(part);
            write(part)
        })
    };
    match hash {
        // The report's SHA-256 of a PDF of photos costs about what writing it does (some
        // 6 ms for 11 MB): it takes a pass of its own on the other core, while this one
        // writes; the build's other work is done by then.
        Some(hash) if contents.length() >= PARALLEL_HASH_BYTES => {
            let hash_pass = || {
                contents.parts(&mut |part| {
                    hash.update(part);
                    Ok(())
                })
            };
            let (hashed, written) = rayon::join(hash_pass, || write_pass(None));
            written?;
            hashed?;
        }
        hash => write_pass(hash)?,
    }
    file.sync_all()?;
    drop(file);
    fs::rename(temp, path)
}

/// Size from which [`write_then_rename`] hashes in a pass of its own beside the writing:
/// below it, handing the pass to another thread costs more than it saves.
const PARALLEL_HASH_BYTES: u64 = 1 << 20;

/// Faults the tests of interrupted runs inject through the `ROTATIVE_FAULT` environment
/// variable (see tests/batch.rs). Compiled only with the `fault-injection` feature, which
/// `cargo test` turns on and the shipped binary does not have.
#[cfg(feature = "fault-injection")]
mod fault {
    use super::Write;

    /// How long `pause-write` stops halfway: time for a test to see the temporary file and
    /// send a signal.
    const PAUSE: std::time::Duration = std::time::Duration::from_secs(5);

    /// Where a write is: the fault strikes at the part that crosses the file's middle.
    pub(super) struct Fault {
        middle: u64,
        written: u64,
    }

    impl Fault {
        /// For a file of `length` bytes.
        pub(super) fn new(length: u64) -> Self {
            Self { middle: length / 2, written: 0 }
        }

        /// Writes `part`, as `ROTATIVE_FAULT` says once the file's middle is reached:
        /// `fail-write` fails there, `pause-write` pauses there, anything else writes
        /// normally.
        pub(super) fn write(
            &mut self,
            file: &mut std::fs::File,
            part: &[u8],
        ) -> std::io::Result<()> {
            let before = self.written;
            self.written += part.len() as u64;
            if !(before..self.written).contains(&self.middle) {
                return file.write_all(part);
            }
            let (first, second) = part.split_at((self.middle - before) as usize);
            match std::env::var("ROTATIVE_FAULT").as_deref() {
                Ok("fail-write") => {
                    file.write_all(first)?;
                    Err(std::io::Error::other("write failed (ROTATIVE_FAULT=fail-write)"))
                }
                Ok("pause-write") => {
                    file.write_all(first)?;
                    file.sync_all()?;
                    std::thread::sleep(PAUSE);
                    file.write_all(second)
                }
                _ => file.write_all(part),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identical_bytes_are_not_rewritten_and_no_temporary_is_left() {
        let dir = std::env::temp_dir().join(format!("rotative-out-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        let path = dir.join("a.pdf");
        assert_eq!(write_atomic(&path, b"one").unwrap(), WriteStatus::Written);
        assert_eq!(write_atomic(&path, b"one").unwrap(), WriteStatus::Unchanged);
        assert_eq!(write_atomic(&path, b"two").unwrap(), WriteStatus::Written);
        assert_eq!(fs::read(&path).unwrap(), b"two");
        let names: Vec<_> = fs::read_dir(&dir).unwrap().flatten().map(|e| e.file_name()).collect();
        assert_eq!(names.len(), 1);
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn only_leftovers_of_gone_or_old_builds_are_removed() {
        let dir = std::env::temp_dir().join(format!("rotative-stale-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        // Ours (being written), one of a process that cannot exist, one of a live process
        // (pid 1), and an unrelated file.
        let ours = dir.join(temporary_name("a.pdf"));
        let gone = dir.join(format!("{TEMP_PREFIX}4294967295-0123456789abcdef-a.pdf"));
        let live = dir.join(format!("{TEMP_PREFIX}1-0123456789abcdef-a.pdf"));
        let other = dir.join("a.pdf");
        for path in [&ours, &gone, &live, &other] {
            fs::write(path, b"x").unwrap();
        }
        remove_stale_temporaries(&dir);
        assert!(ours.exists() && other.exists());
        assert!(!gone.exists(), "a dead build's leftover goes");
        assert_eq!(live.exists(), Path::new("/proc/1").exists(), "a live build's file stays");
        assert_ne!(temporary_name("a.pdf"), temporary_name("a.pdf"));
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn large_files_are_compared_block_by_block() {
        let dir = std::env::temp_dir().join(format!("rotative-cmp-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        let path = dir.join("big.pdf");
        // Three and a half read blocks, with a difference in the last one only.
        let mut bytes: Vec<u8> = (0..(7u32 << 19)).map(|i| (i % 251) as u8).collect();
        write_atomic(&path, &bytes).unwrap();
        assert!(same_content(&path, &bytes[..], None, &mut Ends::new(0)));
        assert_eq!(write_atomic(&path, &bytes).unwrap(), WriteStatus::Unchanged);
        *bytes.last_mut().unwrap() ^= 1;
        assert!(!same_content(&path, &bytes[..], None, &mut Ends::new(0)));
        assert!(!same_content(&path, &bytes[..bytes.len() - 1], None, &mut Ends::new(0)));
        assert_eq!(write_atomic(&path, &bytes).unwrap(), WriteStatus::Written);
        assert!(fs::read(&path).unwrap() == bytes);
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn the_hash_is_of_the_bytes_whether_written_or_left_unchanged() {
        let dir = std::env::temp_dir().join(format!("rotative-hash-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        let path = dir.join("h.pdf");
        let bytes: Vec<u8> = (0..(5u32 << 19)).map(|i| (i % 253) as u8).collect();
        let mut other = bytes.clone();
        // Same length, differing past the first compared block: a half-compared file.
        other[(3 << 19) + 7] ^= 1;
        let expected = |b: &[u8]| -> [u8; 32] { Sha256::digest(b).into() };
        let written = write_atomic_hashed(&path, &bytes[..], None).unwrap();
        assert_eq!(written, (WriteStatus::Written, expected(&bytes)));
        let unchanged = write_atomic_hashed(&path, &bytes[..], None).unwrap();
        assert_eq!(unchanged, (WriteStatus::Unchanged, expected(&bytes)));
        let changed = write_atomic_hashed(&path, &other[..], None).unwrap();
        assert_eq!(changed, (WriteStatus::Written, expected(&other)));
        assert!(fs::read(&path).unwrap() == other);
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn an_unchanged_file_takes_its_digest_from_its_record() {
        let dir = std::env::temp_dir().join(format!("rotative-record-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        let (path, folder) = (dir.join("r.pdf"), dir.join("digests"));
        let bytes: Vec<u8> = (0..(5u32 << 19)).map(|i| (i % 241) as u8).collect();
        let expected = |b: &[u8]| -> [u8; 32] { Sha256::digest(b).into() };
        let write = |b: &[u8]| write_atomic_hashed(&path, b, Some(&folder)).unwrap();
        assert_eq!(write(&bytes), (WriteStatus::Written, expected(&bytes)));
        let record = || fs::read_dir(&folder).unwrap().flatten().next().unwrap().path();
        let entry = fs::read(record()).unwrap();
        // The record is what an unchanged file's digest comes from: one forged (under the
        // same key, checksum whole) shows through.
        let (magic, key) = (entry[..16].try_into().unwrap(), entry[16..48].try_into().unwrap());
        fs::write(record(), cache::seal(magic, key, &[9; 32])).unwrap();
        assert_eq!(write(&bytes), (WriteStatus::Unchanged, [9; 32]));
        // A damaged record: the bytes are hashed, and the record made whole again.
        fs::write(record(), &entry[..entry.len() - 1]).unwrap();
        assert_eq!(write(&bytes), (WriteStatus::Unchanged, expected(&bytes)));
        assert_eq!(write(&bytes), (WriteStatus::Unchanged, expected(&bytes)));
        assert_eq!(fs::read(record()).unwrap(), entry);
        // The file rewritten by another hand with other bytes, its time set back: not
        // taken for the recorded one, and the new bytes recorded.
        let at = fs::metadata(&path).unwrap().modified().unwrap();
        let mut other = bytes.clone();
        other[1 << 20] ^= 1;
        fs::write(&path, &other).unwrap();
        fs::File::options().write(true).open(&path).unwrap().set_modified(at).unwrap();
        assert_eq!(write(&bytes), (WriteStatus::Written, expected(&bytes)));
        assert_eq!(write(&other), (WriteStatus::Written, expected(&other)));
        assert_eq!(write(&other), (WriteStatus::Unchanged, expected(&other)));
        fs::remove_dir_all(&dir).unwrap();
    }
}
