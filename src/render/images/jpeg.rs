//! JPEG in and out: what a file's headers say (frame size and precision, the APP2 ICC
//! profile, the APP14 Adobe transform), and the CMYK JPEGs that converted photos are
//! stored as.

use crate::raster::{JpegSegment, jpeg_segments};
use std::collections::BTreeMap;

/// What the JPEG headers say.
#[derive(Debug, Default, PartialEq)]
pub(super) struct JpegInfo<'a> {
    /// Baseline, extended or progressive Huffman at 8 bits: what DCTDecode reads.
    pub pdf_compatible: bool,
    /// Colour components.
    pub components: u8,
    /// An APP14 "Adobe" segment is present.
    pub adobe: bool,
    /// The APP14 segment says the four components are YCCK (transform 2), as Photoshop
    /// often writes CMYK: YCbCr of the inks, and K inverted.
    pub ycck: bool,
    /// The ICC profile's APP2 segments by sequence number, reassembled (by
    /// [`JpegInfo::embedded_profile`]) only for the photos that are converted.
    pub icc_chunks: BTreeMap<u8, &'a [u8]>,
    /// Width and height from the frame header.
    pub size: (u32, u32),
    /// The headers run up to a scan (a file cut short in its headers has none).
    pub scan: bool,
}

impl<'a> JpegInfo<'a> {
    /// Reads the JPEG markers up to the first scan; `None` if `data` is not a JPEG.
    pub fn read(data: &'a [u8]) -> Option<Self> {
        if !data.starts_with(&[0xFF, 0xD8]) {
            return None;
        }
        let mut info = Self::default();
        for segment in jpeg_segments(data) {
            let JpegSegment { marker, payload: segment, .. } = segment.ok()?;
            match marker {
                0xE2 if segment.starts_with(b"ICC_PROFILE\0") && segment.len() > 14 => {
                    info.icc_chunks.insert(segment[12], &segment[14..]);
                }
                0xEE if segment.starts_with(b"Adobe") => {
                    info.adobe = true;
                    info.ycck = segment.get(11) == Some(&2);
                }
                0xC0..=0xCF if !matches!(marker, 0xC4 | 0xC8 | 0xCC) => {
                    let precision = *segment.first()?;
                    info.components = *segment.get(5)?;
                    info.pdf_compatible = matches!(marker, 0xC0..=0xC2) && precision == 8;
                    let height = u16::from_be_bytes([*segment.get(1)?, *segment.get(2)?]);
                    let width = u16::from_be_bytes([*segment.get(3)?, *segment.get(4)?]);
                    info.size = (u32::from(width), u32::from(height));
                }
                0xDA => info.scan = true,
                _ => {}
            }
        }
        Some(info)
    }

    /// Whether the embedded ICC profile is exactly `profile` (compared piece by piece, not
    /// reassembled).
    pub fn embeds_profile(&self, profile: &[u8]) -> bool {
        let length: usize = self.icc_chunks.values().map(|c| c.len()).sum();
        if length != profile.len() {
            return false;
        }
        let mut rest = profile;
        self.icc_chunks.values().all(|chunk| {
            let (head, tail) = rest.split_at(chunk.len());
            rest = tail;
            head == *chunk
        })
    }

    /// The embedded ICC profile, if any.
    pub fn embedded_profile(&self) -> Option<Vec<u8>> {
        (!self.icc_chunks.is_empty())
            .then(|| self.icc_chunks.values().copied().collect::<Vec<_>>().concat())
    }
}

/// Encodes ink amounts (`cmyk`, four bytes a pixel) as a CMYK JPEG at `quality`. The
/// samples are stored inverted under an Adobe APP14 marker (as Photoshop writes them; the
/// image's `/Decode` array flips them back), every channel at full resolution and quantised
/// with the luminance table (ITU-T T.81 Annex K, scaled as the IJG library scales it),
/// since in CMYK each separation carries detail; baseline, with the standard Huffman
/// tables. `None` when the image is too large for a JPEG (65,535 pixels a side), `cmyk` is
/// not its size, or the encoder fails; the caller then stores it losslessly.
///
/// libjpeg-turbo (through the mozjpeg crate, with its fastest settings: none of mozjpeg's
/// trellis or scan searches) rather than the pure-Rust jpeg-encoder: its SIMD DCT and
/// Huffman coding encode the benchmark's 1,400 x 875 CMYK photos in about a third of the
/// time (8.5 against 24 ms of CPU), and encoding was 40 % of an RGB issue's build. Its
/// output is the same bytes with or without the SIMD code (nasm at build time).
///
/// Rows are inverted into a small strip buffer as they go in: a copy of a 1,400 x 875
/// photo's samples would be 4.9 MB more memory.
pub(super) fn encode_cmyk_jpeg(
    cmyk: &[u8],
    (width, height): (u32, u32),
    quality: u8,
) -> Option<Vec<u8>> {
    let (w, h) = (u16::try_from(width).ok()?, u16::try_from(height).ok()?);
    let row = usize::from(w) * 4;
    if cmyk.len() != row * usize::from(h) || row == 0 {
        return None;
    }
    // libjpeg reports errors by unwinding (the crate's error manager panics); with these
    // settings and a buffer of the right size there are none, but one would be a lossless
    // photo rather than a crash.
    std::panic::catch_unwind(|| {
        let mut compress = mozjpeg::Compress::new(mozjpeg::ColorSpace::JCS_CMYK);
        compress.set_fastest_defaults();
        compress.set_size(usize::from(w), usize::from(h));
        compress.set_quality(f32::from(quality.clamp(1, 100)));
        compress.set_optimize_coding(false);
        let mut started = compress.start_compress(Vec::with_capacity(cmyk.len() / 8)).ok()?;
        let mut strip = vec![0u8; row * STRIP_ROWS];
        for rows in cmyk.chunks(row * STRIP_ROWS) {
            let strip = &mut strip[..rows.len()];
            for (out, ink) in strip.iter_mut().zip(rows) {
                *out = 255 - ink;
            }
            started.write_scanlines(strip).ok()?;
        }
        started.finish().ok()
    })
    .ok()
    .flatten()
}

/// Rows inverted and handed to the encoder at a time: a multiple of a baseline MCU's height
/// (8), and a strip small enough to stay in cache.
const STRIP_ROWS: usize = 16;
