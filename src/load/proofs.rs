//! Photo proofs kept by the build cache ([`crate::cache`]): what proving a photo sound found
//! (its size as printed, decoding scale, orientation, profile problem, a CMYK photo's peak
//! ink), kept under the
//! SHA-256 of the photo's bytes, the pixel limit and the program, so that the next
//! build of the issue does not decode every photo again to prove what it proved already.
//! The proof is of the bytes: a photo edited, cut short or replaced has another key and is
//! proven again. A photo that fails its proof is not kept, so its error comes back. The
//! digest of a sound photo's file is recorded ([`cache::digests`]), so that the next build
//! finds its proof without reading the file while it is unchanged.

use std::fs::Metadata;
use std::path::Path;

use sha2::{Digest, Sha256};

use super::photo::{PhotoFacts, PhotoFault, inspect_photo_within};
use crate::cache::{self, digests};

/// The proofs' folder inside the cache ([`crate::cache::CACHE_FOLDER`]).
pub const PROOF_FOLDER: &str = "proofs";

/// The first bytes of every entry: what it is, and the layout's version.
const MAGIC: &[u8; 16] = b"rotative-proof\x00\x02";

/// The proof kept in `folder` for the photo file at `path` as it is now, with the file's
/// digest, found through the digest an earlier build recorded for the file
/// ([`cache::digests`]) without reading it; `None` when there is none: the file is then
/// read and given to [`inspect`].
pub(super) fn kept(
    path: &Path,
    max_pixels: u64,
    folder: &Path,
) -> Option<(PhotoFacts, [u8; 32], Metadata)> {
    let (metadata, digest) = digests::recorded_as(path, &digests::folder_beside(folder))?;
    Some((parse(&cache::read(folder, MAGIC, &key(&digest, max_pixels))?)?, digest, metadata))
}

/// [`inspect_photo_within`] (`ink_limit`: a CMYK photo's ink bound holds whatever limit it
/// was worked out for, so the limit is not part of the key), through the cache `folder`
/// when there is one, with the digest of
/// `bytes` (taken only with a cache). `file` is the path `bytes` were read from, with its
/// metadata from before they were read: their digest is recorded for [`kept`] (and for
/// render) when the photo is sound.
pub(super) fn inspect(
    bytes: &[u8],
    max_pixels: u64,
    ink_limit: u32,
    folder: Option<&Path>,
    file: Option<(&Path, &Metadata)>,
) -> Result<(PhotoFacts, Option<[u8; 32]>), PhotoFault> {
    let inspect = || inspect_photo_within(bytes, max_pixels, ink_limit);
    let Some(folder) = folder else { return Ok((inspect()?, None)) };
    let digest: [u8; 32] = Sha256::digest(bytes).into();
    let key = key(&digest, max_pixels);
    let facts = match cache::read(folder, MAGIC, &key).and_then(|p| parse(&p)) {
        Some(facts) => facts,
        None => {
            let facts = inspect()?;
            cache::write(folder, MAGIC, &key, &serialise(&facts));
            facts
        }
    };
    if let Some((path, before)) = file {
        digests::record(path, before, bytes, &digest, &digests::folder_beside(folder));
    }
    Ok((facts, Some(digest)))
}

/// The key of a proof: the photo's digest, the pixel limit and the program.
fn key(digest: &[u8; 32], max_pixels: u64) -> [u8; 32] {
    let mut hash = Sha256::new();
    hash.update(MAGIC);
    hash.update(cache::program_stamp());
    hash.update(digest);
    hash.update(max_pixels.to_be_bytes());
    hash.finalize().into()
}

/// The payload of a proof: width, height, scale, orientation, peak ink (`u32::MAX` for
/// none), then the profile problem's length and text (`u32::MAX` for none).
fn serialise(facts: &PhotoFacts) -> Vec<u8> {
    let mut payload = Vec::with_capacity(HEAD_BYTES);
    for value in [facts.width_px, facts.height_px, facts.scale] {
        payload.extend_from_slice(&value.to_be_bytes());
    }
    payload.push(facts.orientation);
    payload.extend_from_slice(&facts.peak_ink.unwrap_or(u32::MAX).to_be_bytes());
    match &facts.profile_problem {
        Some(problem) => {
            payload.extend_from_slice(&(problem.len() as u32).to_be_bytes());
            payload.extend_from_slice(problem.as_bytes());
        }
        None => payload.extend_from_slice(&u32::MAX.to_be_bytes()),
    }
    payload
}

/// A payload's bytes before the profile problem's text.
const HEAD_BYTES: usize = 21;

/// The proof of a payload, when it is one.
fn parse(payload: &[u8]) -> Option<PhotoFacts> {
    let u32_at = |at: usize| payload.get(at..at + 4)?.try_into().ok().map(u32::from_be_bytes);
    let length = u32_at(17)?;
    let profile_problem = match length {
        u32::MAX if payload.len() == HEAD_BYTES => None,
        length if payload.len() == HEAD_BYTES + length as usize => {
            Some(String::from_utf8(payload[HEAD_BYTES..].to_vec()).ok()?)
        }
        _ => return None,
    };
    Some(PhotoFacts {
        width_px: u32_at(0)?,
        height_px: u32_at(4)?,
        scale: u32_at(8)?,
        orientation: *payload.get(12)?,
        peak_ink: Some(u32_at(13)?).filter(|&peak| peak != u32::MAX),
        profile_problem,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_proof_reads_back_as_it_was_written() {
        let problems = [None, Some("embeds an ICC profile for CMYK in a RGB image".to_string())];
        for (problem, peak_ink) in problems.into_iter().zip([Some(616), None]) {
            let facts = PhotoFacts {
                width_px: 1400,
                height_px: 875,
                scale: 2,
                orientation: 6,
                profile_problem: problem,
                peak_ink,
            };
            let payload = serialise(&facts);
            assert_eq!(parse(&payload), Some(facts));
            assert_eq!(parse(&payload[..payload.len() - 1]), None);
        }
    }

    #[test]
    fn a_kept_proof_serves_the_same_bytes_only() {
        let folder = std::env::temp_dir().join(format!("rotative-proofs-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&folder);
        let jpeg = std::fs::read(
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("issues/liberte-actus-1719/photos/dune-rgb.jpg"),
        )
        .unwrap();
        let proven = inspect(&jpeg, u64::MAX, 612, Some(&folder), None).unwrap().0;
        assert_eq!(std::fs::read_dir(&folder).unwrap().count(), 1);
        assert_eq!(inspect(&jpeg, u64::MAX, 612, Some(&folder), None).unwrap().0, proven);
        // The same file cut short is proven again, and fails: the proof is of the bytes.
        let cut = &jpeg[..jpeg.len() / 2];
        assert!(inspect(cut, u64::MAX, 612, Some(&folder), None).is_err());
        // A lower pixel limit is another key: the photo is refused, not served from the cache.
        let refused = inspect(&jpeg, 1000, 612, Some(&folder), None).unwrap_err();
        assert_eq!(refused.kind, "photo-too-large");
        std::fs::remove_dir_all(&folder).unwrap();
    }
}
