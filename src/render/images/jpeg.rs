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
        let mut encoder = CmykEncoder::new((w, h), quality, cmyk.len() / 8)?;
        let mut strip = vec![0u8; row * STRIP_ROWS];
        for rows in cmyk.chunks(row * STRIP_ROWS) {
            let strip = &mut strip[..rows.len()];
            strip.copy_from_slice(rows);
            encoder.write_inks(strip)?;
        }
        encoder.finish()
    })
    .ok()
    .flatten()
}

/// A CMYK JPEG being encoded, rows of ink amounts in, as [`encode_cmyk_jpeg`] encodes them
/// (it goes through here): for the converter that streams rows from the decoder
/// (`streamed.rs`). libjpeg reports errors by unwinding: callers catch it.
pub(super) struct CmykEncoder {
    started: mozjpeg::compress::CompressStarted<Vec<u8>>,
}

impl CmykEncoder {
    /// Starts a JPEG of `size` pixels at `quality`, its output buffer reserved at
    /// `capacity` bytes.
    pub fn new((width, height): (u16, u16), quality: u8, capacity: usize) -> Option<Self> {
        let mut compress = mozjpeg::Compress::new(mozjpeg::ColorSpace::JCS_CMYK);
        compress.set_fastest_defaults();
        compress.set_size(usize::from(width), usize::from(height));
        compress.set_quality(f32::from(quality.clamp(1, 100)));
        compress.set_optimize_coding(false);
        let started = compress.start_compress(Vec::with_capacity(capacity)).ok()?;
        Some(Self { started })
    }

    /// Encodes whole rows of ink amounts (`inks`, four bytes a pixel, inverted in place on
    /// the way: they are stored inverted).
    pub fn write_inks(&mut self, inks: &mut [u8]) -> Option<()> {
        inks.iter_mut().for_each(|ink| *ink = 255 - *ink);
        self.started.write_scanlines(inks).ok()
    }

    /// The JPEG, once every row is in.
    pub fn finish(self) -> Option<Vec<u8>> {
        self.started.finish().ok()
    }
}

/// Rows inverted and handed to the encoder at a time: a multiple of a baseline MCU's height
/// (8), and a strip small enough to stay in cache.
const STRIP_ROWS: usize = 16;

#[cfg(test)]
mod tests {
    use super::*;

    /// ITU-T T.81 Annex K, table K.1 (luminance), in zigzag order as a DQT segment stores it.
    const K1_ZIGZAG: [u16; 64] = [
        16, 11, 12, 14, 12, 10, 16, 14, 13, 14, 18, 17, 16, 19, 24, 40, 26, 24, 22, 22, 24, 49, 35,
        37, 29, 40, 58, 51, 61, 60, 57, 51, 56, 55, 64, 72, 92, 78, 64, 68, 87, 69, 55, 56, 80,
        109, 81, 87, 95, 98, 103, 104, 103, 62, 77, 113, 121, 112, 100, 120, 92, 101, 103, 99,
    ];

    #[test]
    fn cmyk_jpegs_are_baseline_full_resolution_inverted_and_quantised_with_the_luma_table() {
        let (w, h) = (40u32, 24u32);
        let cmyk: Vec<u8> = (0..w * h)
            .flat_map(|i| [(i % 251) as u8, (i * 7 % 253) as u8, (i / w * 9) as u8, 30])
            .collect();
        let data = encode_cmyk_jpeg(&cmyk, (w, h), 92).unwrap();
        // Deterministic: the same samples give the same bytes.
        assert_eq!(encode_cmyk_jpeg(&cmyk, (w, h), 92).unwrap(), data);
        let segments: Vec<_> = jpeg_segments(&data).map(|s| s.unwrap()).collect();
        let find = |marker: u8| segments.iter().filter(move |s| s.marker == marker);
        // Adobe APP14 with transform 0: the samples are stored as they are (inverted), not
        // as YCCK.
        let adobe: Vec<_> = find(0xEE).collect();
        assert_eq!(adobe.len(), 1);
        assert!(adobe[0].payload.starts_with(b"Adobe") && adobe[0].payload[11] == 0);
        // Baseline (SOF0), four components, each at 1x1 sampling on table 0.
        let frame = find(0xC0).next().expect("a baseline frame");
        assert_eq!(frame.payload[5], 4);
        for component in frame.payload[6..6 + 4 * 3].chunks_exact(3) {
            assert_eq!(&component[1..], &[0x11, 0], "{component:?}");
        }
        assert!(find(0xC2).next().is_none(), "not progressive");
        // One 8-bit table 0: Annex K's luminance table scaled for quality 92 as IJG scales
        // it (x 0.16, rounded, at least 1).
        let tables: Vec<_> = find(0xDB).collect();
        assert_eq!(tables.len(), 1);
        assert_eq!(tables[0].payload[0], 0);
        let expected: Vec<u8> =
            K1_ZIGZAG.iter().map(|&q| ((q * 16 + 50) / 100).max(1) as u8).collect();
        assert_eq!(&tables[0].payload[1..65], &expected[..]);
        // The stored samples are the inks inverted: a flat patch of 30 % K reads back as
        // 255 - 77 in the fourth component.
        let flat = [0, 0, 0, 77].repeat(64);
        let decoded = zune_jpeg::JpegDecoder::new_with_options(
            std::io::Cursor::new(encode_cmyk_jpeg(&flat, (8, 8), 92).unwrap()),
            zune_core::options::DecoderOptions::default()
                .jpeg_set_out_colorspace(zune_core::colorspace::ColorSpace::CMYK),
        )
        .decode()
        .unwrap();
        assert!(decoded.chunks_exact(4).all(|p| p == [255, 255, 255, 178]), "{:?}", &decoded[..8]);
    }

    #[test]
    fn samples_of_the_wrong_size_or_an_oversized_photo_are_refused() {
        assert_eq!(encode_cmyk_jpeg(&[0; 12], (2, 2), 92), None);
        assert_eq!(encode_cmyk_jpeg(&[], (70_000, 1), 92), None);
        assert_eq!(encode_cmyk_jpeg(&[], (0, 0), 92), None);
    }
}
