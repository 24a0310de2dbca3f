//! The build cache of converted photos: a photo converted, resampled or ink-limited by one
//! build is kept on disk (under the output folder, see [`crate::cache`]), so that the next
//! build of the issue takes it from there instead of decoding, converting and encoding it
//! again (about 50 ms of CPU for a 1,400 x 875 RGB photo).
//!
//! An entry is found by a key that is the SHA-256 of everything its bytes depend on: the
//! photo file's bytes, the output space (profile and intent), the ink limit, the resolution
//! limits, the largest placement, the JPEG quality or lossless choice, the pixel limit,
//! and the program that wrote it (the crate version, and the executable's size and date,
//! so that a rebuilt rotative never trusts another build's encoder). An entry that is cut
//! short, damaged or written by something else is converted again and replaced, never
//! used ([`crate::cache`]). The digest of the photo file's bytes is recorded
//! ([`crate::cache::digests`]), so that the next build finds the entry without reading the
//! photo while the file is unchanged.
//!
//! A photo whose conversion raised a warning (a broken profile, ink over the limit) is not
//! kept: converted again each time, it gives its warning at every build. A print-ready CMYK
//! JPEG that goes in as it is is kept as a verdict only (its size and how it is stored, no
//! bytes: the PDF takes the file's own): deciding that it may go in as it is meant decoding
//! it whole to measure its ink (most of a rebuild's time before it was kept), and the
//! verdict holds for the same bytes under the same settings. A grey JPEG that goes in as it
//! is needs no decoding, so nothing is kept for it. The folder is held under [`crate::cache::MAX_CACHE_BYTES`], least recently used
//! entries first.

use std::path::Path;

use sha2::{Digest, Sha256};

use super::EncodedImage;
use super::press::Placed;
use crate::cache;
use crate::color::OutputSpace;
use crate::model::PhotoEncoding;
use crate::render::RenderOptions;

/// The converted photos' folder inside the cache ([`crate::cache::CACHE_FOLDER`]).
pub const PHOTO_FOLDER: &str = "photos";

/// The first bytes of every entry: what it is, and the layout's version.
const MAGIC: &[u8; 16] = b"rotative-photo\x00\x01";

/// A payload's bytes around its colour and data: flags, width, height, colour length,
/// data length.
const FRAME_BYTES: usize = 1 + 4 + 4 + 4 + 8;

/// The key of a photo file's encoding, from the SHA-256 of its bytes (`digest`): see the
/// module documentation.
pub(super) fn key(
    digest: &[u8; 32],
    placed: Option<Placed>,
    space: &OutputSpace,
    options: &RenderOptions,
) -> [u8; 32] {
    let mut hash = Sha256::new();
    hash.update(MAGIC);
    hash.update(cache::program_stamp());
    hash.update(digest);
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

/// The photo kept under `key` in `folder`, if its entry is whole and is the one asked for.
pub(super) fn read(folder: &Path, key: &[u8; 32]) -> Option<EncodedImage> {
    parse(&cache::read(folder, MAGIC, key)?)
}

/// Keeps `image` under `key` in `folder` (a cache that cannot be written is no error).
pub(super) fn write(folder: &Path, key: &[u8; 32], image: &EncodedImage) {
    cache::write(folder, MAGIC, key, &serialise(image));
}

/// The photo of an entry's payload.
fn parse(payload: &[u8]) -> Option<EncodedImage> {
    if payload.len() < FRAME_BYTES {
        return None;
    }
    let mut at = 0;
    let mut take = |n: usize| -> Option<&[u8]> {
        let part = payload.get(at..at + n)?;
        at += n;
        Some(part)
    };
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
    let passthrough = flags & 8 != 0;
    if passthrough && !data.is_empty() {
        return None;
    }
    let mut image = EncodedImage::new(data, flags & 1 != 0, flags & 2 != 0, (width, height), color);
    image.inverted = flags & 4 != 0;
    image.passthrough = passthrough;
    Some(image)
}

/// The payload of the entry of `image`; without its bytes when they are the file's own
/// (`passthrough`, flag 8): the caller has the file.
fn serialise(image: &EncodedImage) -> Vec<u8> {
    let data: &[u8] = if image.passthrough { &[] } else { &image.data };
    let mut payload = Vec::with_capacity(FRAME_BYTES + image.color.len() + data.len());
    payload.push(
        u8::from(image.jpeg)
            | u8::from(image.gray) << 1
            | u8::from(image.inverted) << 2
            | u8::from(image.passthrough) << 3,
    );
    payload.extend_from_slice(&image.pixels.0.to_be_bytes());
    payload.extend_from_slice(&image.pixels.1.to_be_bytes());
    payload.extend_from_slice(&(image.color.len() as u32).to_be_bytes());
    payload.extend_from_slice(image.color.as_bytes());
    payload.extend_from_slice(&(data.len() as u64).to_be_bytes());
    payload.extend_from_slice(data);
    payload
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
    fn a_photo_reads_back_as_it_was_written() {
        let image = parse(&serialise(&sample())).unwrap();
        let expected = sample();
        assert_eq!(
            (&image.data, image.data_crc, image.jpeg, image.gray, image.inverted),
            (&expected.data, expected.data_crc, true, false, true)
        );
        assert_eq!((image.pixels, image.color.as_str()), ((3, 2), "RGB -> CMYK"));
        let payload = serialise(&sample());
        for cut in [0, 5, payload.len() - 1] {
            assert!(parse(&payload[..cut]).is_none(), "cut at {cut}");
        }
        assert!(parse(&[payload.clone(), vec![0]].concat()).is_none(), "a byte too many");
    }

    #[test]
    fn a_verdict_to_pass_a_photo_as_it_is_keeps_no_bytes() {
        let mut image = sample();
        image.passthrough = true;
        let payload = serialise(&image);
        assert_eq!(payload.len(), FRAME_BYTES + "RGB -> CMYK".len(), "no bytes kept");
        let verdict = parse(&payload).unwrap();
        assert!(verdict.passthrough && verdict.inverted && verdict.data.is_empty());
        assert_eq!(verdict.pixels, (3, 2));
        // Bytes under the flag are no verdict this program wrote.
        let mut with_bytes = serialise(&sample());
        with_bytes[0] |= 8;
        assert!(parse(&with_bytes).is_none());
    }
}
