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
/// with the luminance table, since in CMYK each separation carries detail. `None` when the
/// image is too large for a JPEG (65,535 pixels a side), `cmyk` is not its size, or the
/// encoder fails; the caller then stores it losslessly.
///
/// The samples are encoded where they are: a copy of a 1,400 x 875 photo's would be 4.9 MB
/// more memory and a pass over it.
pub(super) fn encode_cmyk_jpeg(
    cmyk: &[u8],
    (width, height): (u32, u32),
    quality: u8,
) -> Option<Vec<u8>> {
    let (w, h) = (u16::try_from(width).ok()?, u16::try_from(height).ok()?);
    if cmyk.len() != width as usize * height as usize * 4 {
        return None;
    }
    let mut data = Vec::with_capacity(cmyk.len() / 8);
    let mut encoder = jpeg_encoder::Encoder::new(&mut data, quality);
    encoder.set_sampling_factor(jpeg_encoder::SamplingFactor::F_1_1);
    let luma = Box::new(scaled_luma_table(quality));
    encoder.set_quantization_tables(
        jpeg_encoder::QuantizationTableType::Custom(luma.clone()),
        jpeg_encoder::QuantizationTableType::Custom(luma),
    );
    encoder.encode(cmyk, w, h, jpeg_encoder::ColorType::Cmyk).ok()?;
    Some(data)
}

/// The luminance quantisation table of ITU-T T.81 Annex K (table K.1), row by row as the
/// encoder takes a custom table, scaled for `quality` the way the IJG library scales it.
fn scaled_luma_table(quality: u8) -> [u16; 64] {
    // Table K.1 in natural (row-major) order.
    const K1: [u16; 64] = [
        16, 11, 10, 16, 24, 40, 51, 61, //
        12, 12, 14, 19, 26, 58, 60, 55, //
        14, 13, 16, 24, 40, 57, 69, 56, //
        14, 17, 22, 29, 51, 87, 80, 62, //
        18, 22, 37, 56, 68, 109, 103, 77, //
        24, 35, 55, 64, 81, 104, 113, 92, //
        49, 64, 78, 87, 103, 121, 120, 101, //
        72, 92, 95, 98, 112, 100, 103, 99,
    ];
    let quality = u32::from(quality.clamp(1, 100));
    let scale = if quality < 50 { 5000 / quality } else { 200 - 2 * quality };
    K1.map(|q| ((u32::from(q) * scale + 50) / 100).clamp(1, 255) as u16)
}
