//! The build cache of converted photos: a photo converted, resampled or ink-limited by one
//! build is kept on disk (under the output folder, see [`CACHE_FOLDER`]), so that the next
//! build of the issue takes it from there instead of decoding, converting and encoding it
//! again (about 50 ms of CPU for a 1,400 x 875 RGB photo).
//!
//! An entry is found by a key that is the SHA-256 of everything its bytes depend on: the
//! photo file's bytes, the output space (profile and intent), the ink limit, the resolution
//! limits, the largest placement, the JPEG quality or lossless choice, the pixel limit,
//! and the program that wrote it (the crate version, and the executable's size and date,
//! so that a rebuilt rotative never trusts another build's encoder). The entry's own bytes
//! end with their SHA-256: a file cut short, damaged or written by something else does not
//! match and is converted again and replaced, never used. Entries are written to a
//! temporary file and renamed, so a reader never sees half of one.
//!
//! A photo whose conversion raised a warning (a broken profile, ink over the limit) is not
//! kept: converted again each time, it gives its warning at every build. Photos that go in
//! as they are (print-ready CMYK and grey JPEGs) are not kept either: there is nothing to
//! save. The folder is held under [`MAX_CACHE_BYTES`], least recently used entries first.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, SystemTime};

use sha2::{Digest, Sha256};

use super::EncodedImage;
use super::press::Placed;
use crate::color::OutputSpace;
use crate::model::PhotoEncoding;
use crate::render::RenderOptions;

/// The cache's folder inside the output folder (hidden, so the watch and file listings
/// pass it by; the manifest's stale-file removal only ever touches files it recorded).
pub const CACHE_FOLDER: &str = ".rotative-cache";

/// The converted photos' folder inside [`CACHE_FOLDER`].
pub const PHOTO_FOLDER: &str = "photos";

/// Most bytes the photo cache keeps: about a thousand converted newspaper photos, or
/// twenty-five 40-page issues.
pub const MAX_CACHE_BYTES: u64 = 512 << 20;

/// The first bytes of every entry: what it is, and the layout's version.
const MAGIC: &[u8; 16] = b"rotative-photo\x00\x01";

/// An entry's bytes around its data: magic, key, flags, width, height, colour length,
/// data length, and the closing SHA-256.
const FRAME_BYTES: usize = 16 + 32 + 1 + 4 + 4 + 4 + 8 + 32;

/// The key of a photo file's encoding: see the module documentation.
pub(super) fn key(
    bytes: &[u8],
    placed: Option<Placed>,
    space: &OutputSpace,
    options: &RenderOptions,
) -> [u8; 32] {
    let mut hash = Sha256::new();
    hash.update(MAGIC);
    hash.update(env!("CARGO_PKG_VERSION").as_bytes());
    hash.update(program_stamp());
    hash.update(Sha256::digest(bytes));
    hash.update(space.key());
    let output = &options.output;
    for value in [output.tac, output.max_ppi, output.target_ppi] {
        hash.update(value.to_bits().to_be_bytes());
    }
    match output.photo_encoding {
        PhotoEncoding::Jpeg(quality) => hash.update([1, quality]),
        PhotoEncoding::Lossless => hash.update([0, 0]),
    }
    hash.update(options.max_pixels.to_be_bytes());
    match placed {
        Some((width, height)) => {
            hash.update([1]);
            hash.update(width.to_bits().to_be_bytes());
            hash.update(height.to_bits().to_be_bytes());
        }
        None => hash.update([0]),
    }
    hash.finalize().into()
}

/// The running program's size and modification time, in bytes; empty when unknown (the
/// crate version then stands alone).
fn program_stamp() -> Vec<u8> {
    let metadata = std::env::current_exe().and_then(std::fs::metadata);
    let Ok(metadata) = metadata else { return Vec::new() };
    let modified = metadata
        .modified()
        .ok()
        .and_then(|m| m.duration_since(SystemTime::UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos());
    let mut stamp = metadata.len().to_be_bytes().to_vec();
    stamp.extend_from_slice(&modified.to_be_bytes());
    stamp
}

/// The file of the entry with `key` in `folder`.
fn entry_path(folder: &Path, key: &[u8; 32]) -> PathBuf {
    let name: String = key.iter().map(|b| format!("{b:02x}")).collect();
    folder.join(format!("{name}.photo"))
}

/// The photo kept under `key`, if its entry is whole and is the one asked for.
pub(super) fn read(folder: &Path, key: &[u8; 32]) -> Option<EncodedImage> {
    let path = entry_path(folder, key);
    let entry = std::fs::read(&path).ok()?;
    let image = parse(&entry, key)?;
    // Used now: the last to go when the folder is over its bound.
    if let Ok(file) = std::fs::File::options().write(true).open(&path) {
        let _ = file.set_modified(SystemTime::now());
    }
    Some(image)
}

/// An entry's photo, when its checksum holds and it is the entry of `key`.
fn parse(entry: &[u8], key: &[u8; 32]) -> Option<EncodedImage> {
    let body_length = entry.len().checked_sub(32)?;
    let (body, checksum) = entry.split_at(body_length);
    if entry.len() < FRAME_BYTES || Sha256::digest(body).as_slice() != checksum {
        return None;
    }
    let mut at = 0;
    let mut take = |n: usize| -> Option<&[u8]> {
        let part = body.get(at..at + n)?;
        at += n;
        Some(part)
    };
    if take(16)? != MAGIC || take(32)? != key {
        return None;
    }
    let flags = take(1)?[0];
    let u32_of = |b: &[u8]| b.try_into().ok().map(u32::from_be_bytes);
    let width = u32_of(take(4)?)?;
    let height = u32_of(take(4)?)?;
    let color_length = u32_of(take(4)?)? as usize;
    let color = String::from_utf8(take(color_length)?.to_vec()).ok()?;
    let data_length = usize::try_from(u64::from_be_bytes(take(8)?.try_into().ok()?)).ok()?;
    let data = take(data_length)?.to_vec();
    if take(1).is_some() {
        return None;
    }
    let mut image = EncodedImage::new(data, flags & 1 != 0, flags & 2 != 0, (width, height), color);
    image.inverted = flags & 4 != 0;
    Some(image)
}

/// The bytes of the entry of `image` under `key`.
fn serialise(key: &[u8; 32], image: &EncodedImage) -> Vec<u8> {
    let mut entry = Vec::with_capacity(FRAME_BYTES + image.color.len() + image.data.len());
    entry.extend_from_slice(MAGIC);
    entry.extend_from_slice(key);
    entry.push(u8::from(image.jpeg) | u8::from(image.gray) << 1 | u8::from(image.inverted) << 2);
    entry.extend_from_slice(&image.pixels.0.to_be_bytes());
    entry.extend_from_slice(&image.pixels.1.to_be_bytes());
    entry.extend_from_slice(&(image.color.len() as u32).to_be_bytes());
    entry.extend_from_slice(image.color.as_bytes());
    entry.extend_from_slice(&(image.data.len() as u64).to_be_bytes());
    entry.extend_from_slice(&image.data);
    let checksum = Sha256::digest(&entry);
    entry.extend_from_slice(&checksum);
    entry
}

/// Keeps `image` under `key` in `folder`. A cache that cannot be written is no error: the
/// next build converts the photo again.
pub(super) fn write(folder: &Path, key: &[u8; 32], image: &EncodedImage) {
    static WRITES: AtomicUsize = AtomicUsize::new(0);
    if std::fs::create_dir_all(folder).is_err() {
        return;
    }
    let path = entry_path(folder, key);
    let n = WRITES.fetch_add(1, Ordering::Relaxed);
    let temporary = folder.join(format!(".tmp-{}-{n}", std::process::id()));
    let written = std::fs::File::create(&temporary)
        .and_then(|mut file| file.write_all(&serialise(key, image)))
        .and_then(|()| std::fs::rename(&temporary, &path));
    if written.is_err() {
        let _ = std::fs::remove_file(&temporary);
    }
}

/// Holds the photo cache `folder` under `max_bytes`, removing the least recently used
/// entries first, and removes temporary files a killed build left (older than an hour).
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

    fn sample() -> EncodedImage {
        let mut image =
            EncodedImage::new(vec![1, 2, 3, 4, 5], true, false, (3, 2), "RGB -> CMYK".into());
        image.inverted = true;
        image
    }

    #[test]
    fn an_entry_reads_back_as_it_was_written_and_only_under_its_key() {
        let key = [7u8; 32];
        let entry = serialise(&key, &sample());
        let image = parse(&entry, &key).unwrap();
        let expected = sample();
        assert_eq!(
            (&image.data, image.data_crc, image.jpeg, image.gray, image.inverted),
            (&expected.data, expected.data_crc, true, false, true)
        );
        assert_eq!((image.pixels, image.color.as_str()), ((3, 2), "RGB -> CMYK"));
        assert!(parse(&entry, &[8u8; 32]).is_none());
    }

    #[test]
    fn a_damaged_or_cut_entry_is_not_used() {
        let key = [7u8; 32];
        let entry = serialise(&key, &sample());
        for cut in [0, 1, 40, entry.len() - 33, entry.len() - 1] {
            assert!(parse(&entry[..cut], &key).is_none(), "cut at {cut}");
        }
        for flipped in [0, 20, 60, entry.len() - 40, entry.len() - 1] {
            let mut damaged = entry.clone();
            damaged[flipped] ^= 0x10;
            assert!(parse(&damaged, &key).is_none(), "byte {flipped} changed");
        }
    }

    #[test]
    fn pruning_removes_the_least_recently_used_entries_first() {
        let folder = std::env::temp_dir().join(format!("rotative-prune-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&folder);
        for (i, key) in [[1u8; 32], [2u8; 32], [3u8; 32]].iter().enumerate() {
            write(&folder, key, &sample());
            let file = std::fs::File::options().write(true).open(entry_path(&folder, key));
            let at = SystemTime::UNIX_EPOCH + Duration::from_secs(1_000_000 * (i as u64 + 1));
            file.unwrap().set_modified(at).unwrap();
        }
        // Reading the oldest makes it the most recently used.
        assert!(read(&folder, &[1u8; 32]).is_some());
        let one = std::fs::metadata(entry_path(&folder, &[1u8; 32])).unwrap().len();
        prune(&folder, one * 2);
        let left: Vec<bool> = [[1u8; 32], [2u8; 32], [3u8; 32]]
            .iter()
            .map(|k| entry_path(&folder, k).exists())
            .collect();
        assert_eq!(left, [true, false, true]);
        std::fs::remove_dir_all(&folder).unwrap();
    }
}
