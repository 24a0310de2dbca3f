//! The build cache of compressed streams: a page's content stream, a font subset and the
//! output profile are deflated once and kept on disk (beside the converted photos, see
//! [`crate::cache`]), so that a rebuild after editing one article compresses only the pages
//! that changed. Deflating was the largest part of a rebuild's render stage: every page at
//! level 1, the fonts at 6, and the 654 KB output profile.
//!
//! An entry is found by the SHA-256 of the stream's bytes before compression, the level and
//! the program that compressed it (so a rebuilt rotative, whose compressor may differ, never
//! takes another's bytes): the same bytes in give the same bytes out, with or without the
//! cache. An entry that is cut short or damaged is compressed again and replaced, never used
//! ([`crate::cache`]). Streams under [`MIN_BYTES`] at level 1 (under [`MIN_BYTES_SLOW`] at
//! the slower levels) compress faster than an entry is read and are not kept. The folder is held under [`crate::cache::MAX_CACHE_BYTES`], least recently
//! used entries first.

use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use super::{RenderOptions, deflate_at};
use crate::cache;

/// The compressed streams' folder inside the cache ([`crate::cache::CACHE_FOLDER`]).
pub const STREAM_FOLDER: &str = "streams";

/// The first bytes of every entry: what it is, and the layout's version.
const MAGIC: &[u8; 16] = b"rotative-stream1";

/// Streams shorter than this are compressed every time: a page of the 40-article benchmark
/// is 73 KB, a ToUnicode CMap a few KB, which level 6 compresses in well under the time of
/// opening a file.
pub const MIN_BYTES: usize = 16 << 10;

/// [`MIN_BYTES`] for the levels above 1 (the fonts' and their CMaps' 6), which compress some
/// ten times slower: the 40-article benchmark's font subsets and ToUnicode CMaps, 5 to
/// 15 KB each, took about 2 ms of every rebuild to compress again.
pub const MIN_BYTES_SLOW: usize = 2 << 10;

/// The length from which a stream compressed at `level` is kept.
fn min_bytes(level: u32) -> usize {
    if level <= 1 { MIN_BYTES } else { MIN_BYTES_SLOW }
}

/// The folder of compressed streams beside the converted photos' folder (`photos`): both
/// are the build cache's, and a build without the one has neither.
pub fn folder_beside(photos: &Path) -> PathBuf {
    photos.with_file_name(STREAM_FOLDER)
}

/// Deflates streams through the build cache, when the build has one.
pub(crate) struct Deflater {
    /// The cache's folder; `None`: every stream is compressed.
    folder: Option<PathBuf>,
}

impl Deflater {
    /// The deflater of a build with `options` (its cache, if any). Streams are kept only in
    /// a cache folder that exists already (load's photo proofs or an earlier build made
    /// it): render runs for a build that then fails, which must leave no output folder.
    pub(crate) fn new(options: &RenderOptions) -> Self {
        let cache = options
            .photo_cache
            .as_deref()
            .filter(|photos| photos.parent().is_some_and(Path::is_dir));
        Self { folder: cache.map(folder_beside) }
    }

    /// The cache's folder, if the build keeps streams.
    pub(crate) fn folder(&self) -> Option<&Path> {
        self.folder.as_deref()
    }

    /// `data` zlib-compressed at `level` ([`deflate_at`]), taken from the cache when a
    /// previous build compressed the same bytes, and kept there otherwise.
    pub(crate) fn deflate(&self, data: &[u8], level: u32) -> Vec<u8> {
        let Some(folder) = self.folder.as_deref().filter(|_| data.len() >= min_bytes(level)) else {
            return deflate_at(data, level);
        };
        let key = key(data, level);
        if let Some(compressed) = cache::read(folder, MAGIC, &key) {
            return compressed;
        }
        let compressed = deflate_at(data, level);
        cache::write(folder, MAGIC, &key, &compressed);
        compressed
    }
}

/// The key of `data` compressed at `level`: see the module documentation.
fn key(data: &[u8], level: u32) -> [u8; 32] {
    let mut hash = Sha256::new();
    hash.update(MAGIC);
    hash.update(cache::program_stamp());
    hash.update(level.to_be_bytes());
    hash.update((data.len() as u64).to_be_bytes());
    hash.update(data);
    hash.finalize().into()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A stream long enough to be kept, compressible but not trivially.
    fn stream(seed: u8) -> Vec<u8> {
        (0..MIN_BYTES * 2).map(|i| (i as u8 / 7).wrapping_mul(seed) ^ (i >> 9) as u8).collect()
    }

    /// An empty folder of this process for the test `name`.
    fn scratch(name: &str) -> PathBuf {
        let folder =
            std::env::temp_dir().join(format!("rotative-streams-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&folder);
        std::fs::create_dir_all(&folder).unwrap();
        folder
    }

    fn deflater(folder: &Path) -> Deflater {
        Deflater { folder: Some(folder.to_path_buf()) }
    }

    fn entries(folder: &Path) -> Vec<PathBuf> {
        let mut found: Vec<PathBuf> =
            std::fs::read_dir(folder).unwrap().map(|e| e.unwrap().path()).collect();
        found.sort();
        found
    }

    #[test]
    fn a_kept_stream_is_the_stream_compressed_and_is_reused() {
        let dir = scratch("reused");
        let data = stream(3);
        let first = deflater(&dir).deflate(&data, 1);
        assert_eq!(first, deflate_at(&data, 1));
        let kept = entries(&dir);
        assert_eq!(kept.len(), 1);
        // Replace the entry's payload with other bytes under a valid seal: the next build
        // returns them, which shows that it reads the entry rather than compressing again.
        let other = b"not what deflate gives".to_vec();
        std::fs::write(&kept[0], cache::seal(MAGIC, &key(&data, 1), &other)).unwrap();
        assert_eq!(deflater(&dir).deflate(&data, 1), other);
        // Another level is another entry.
        assert_eq!(deflater(&dir).deflate(&data, 6), deflate_at(&data, 6));
        assert_eq!(entries(&dir).len(), 2);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_damaged_entry_is_compressed_again_and_replaced() {
        let dir = scratch("replaced");
        let data = stream(5);
        deflater(&dir).deflate(&data, 1);
        let path = entries(&dir).remove(0);
        let whole = std::fs::read(&path).unwrap();
        std::fs::write(&path, &whole[..whole.len() / 2]).unwrap();
        assert_eq!(deflater(&dir).deflate(&data, 1), deflate_at(&data, 1));
        assert_eq!(std::fs::read(&path).unwrap(), whole, "the entry is written again whole");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_font_sized_stream_is_kept_at_level_6_but_not_at_level_1() {
        let dir = scratch("font-sized");
        let data = &stream(3)[..MIN_BYTES_SLOW * 2];
        assert_eq!(deflater(&dir).deflate(data, 1), deflate_at(data, 1));
        assert!(entries(&dir).is_empty(), "level 1 compresses it faster than a read");
        assert_eq!(deflater(&dir).deflate(data, 6), deflate_at(data, 6));
        assert_eq!(entries(&dir).len(), 1);
        assert_eq!(deflater(&dir).deflate(data, 6), deflate_at(data, 6));
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn short_streams_and_builds_without_a_cache_keep_nothing() {
        let dir = scratch("nothing");
        let short = vec![7u8; MIN_BYTES - 1];
        assert_eq!(deflater(&dir).deflate(&short, 1), deflate_at(&short, 1));
        let short = vec![7u8; MIN_BYTES_SLOW - 1];
        assert_eq!(deflater(&dir).deflate(&short, 6), deflate_at(&short, 6));
        let data = stream(9);
        assert_eq!(Deflater { folder: None }.deflate(&data, 1), deflate_at(&data, 1));
        assert!(entries(&dir).is_empty());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
