//! Photos proven sound at load: every photo an article names is decoded here, in full, once,
//! so that a photo which would only break while the PDF is made (a PNG with corrupt image
//! data, a JPEG cut short or whose frame header claims more than its scan holds) fails its
//! own article, with the file named at its `photo.file` line, and never a later stage.
//!
//! The checks, cheapest first:
//! - the file is a regular file of bounded size (a pipe would block the build, a link to
//!   `/dev/zero` would never end);
//! - the headers' claimed size is within `photo.max_megapixels`, the guard against
//!   decompression bombs;
//! - the memory the photo takes decoded is counted in bytes (width x height x bytes a
//!   pixel), not in pixels: a 16-bit RGBA PNG takes eight times the memory of a greyscale
//!   JPEG of the same size. One over the budget is decoded at a reduced scale
//!   ([`crate::raster`]), and the size the layout works with is that reduced size; one over
//!   it even at 1/8, or a progressive JPEG whose coefficients alone are over budget, is
//!   refused;
//! - a JPEG's scan holds at least the one bit per 8x8 block that any JPEG needs, so a 1 KB
//!   file claiming 100 megapixels is refused before a byte is decoded;
//! - a JPEG's scans hold every block its frame header promises, and no more, counted
//!   through their Huffman codes (`load::jpeg_scan`): neither decoder reports a scan closed
//!   early by an end marker (a file cut mid-scan, `FF D9` appended), both fill the missing
//!   blocks with grey;
//! - the image data decodes to the end, with the JPEG decoder's warnings (a scan that ends
//!   early, a marker where data should be) treated as errors, and a JPEG's first scan is
//!   followed by its end-of-image marker. A JPEG whose scans were all counted above is not
//!   decoded: the count read every code of every block, which is all a decoder would read
//!   to find fault (only its headers go through the decoder). A CMYK JPEG's ink is bounded
//!   from its coefficients on the way (`jpeg_scan/ink.rs`); one of a kind the count does
//!   not bound (YCCK, progressive, subsampled) is decoded, for its ink. A photo too large
//!   to decode whole goes through
//!   the decoder that can scale, which reports broken data, a missing restart marker or a
//!   file cut short as errors too;
//! - the EXIF orientation is read, so the size the layout works with is the size printed;
//! - an embedded ICC profile that Little CMS cannot read, or that describes another colour
//!   space than the image's, is reported with what the renderer assumes instead.

use std::io::Cursor;

use image::{ImageDecoder, ImageFormat, ImageReader};
use zune_core::colorspace::ColorSpace;
use zune_core::options::DecoderOptions;

use super::jpeg_scan::{self, Scans};
use crate::raster;
use crate::raster::{JpegSegment, jpeg_segments};

/// Largest photo file read. A 60-megapixel camera JPEG is about 30 MB and a 16-bit PNG
/// scan a few times that; anything larger is a mistake (a video, a disk image).
pub const MAX_PHOTO_FILE_BYTES: u64 = 256 * 1024 * 1024;

/// What a sound photo is, as the layout needs it.
#[derive(Debug, Clone, PartialEq)]
pub struct PhotoFacts {
    /// Width as printed (after the EXIF orientation), pixels.
    pub width_px: u32,
    /// Height as printed, pixels.
    pub height_px: u32,
    /// 1 when the photo is decoded whole; 2, 4 or 8 when it is too large for the memory
    /// budget and is decoded at that fraction of its width and height (the size above).
    pub scale: u32,
    /// The EXIF orientation, 1 to 8 (1: as stored).
    pub orientation: u8,
    /// What is wrong with the embedded ICC profile, if anything: the photo is still
    /// usable, with the assumption the message states.
    pub profile_problem: Option<String>,
    /// For a CMYK JPEG proven whole: at least its peak ink as stored
    /// ([`raster::peak_ink`]), so render need not decode it to judge it. It is the peak
    /// itself when the photo was decoded, and a bound a few units over its highest pixel's
    /// total when the scan check bounded it from its coefficients.
    pub peak_ink: Option<u32>,
}

/// Why a photo cannot be used.
#[derive(Debug, Clone, PartialEq)]
pub struct PhotoFault {
    /// Diagnostic kind: `photo-too-large` or `corrupt-photo`.
    pub kind: &'static str,
    /// What is wrong, in a sentence that follows "photo `name` ".
    pub message: String,
}

impl PhotoFault {
    fn corrupt(message: impl Into<String>) -> Self {
        PhotoFault { kind: "corrupt-photo", message: message.into() }
    }
}

/// Proves a photo sound: decodes it in full (see the module documentation). `max_pixels`
/// is the issue's `photo.max_megapixels`. A CMYK photo's ink is bounded for the default
/// limit of 240 % ([`inspect_photo_within`]).
pub fn inspect_photo(bytes: &[u8], max_pixels: u64) -> Result<PhotoFacts, PhotoFault> {
    inspect_photo_within(bytes, max_pixels, raster::ink_limit(240.0))
}

/// [`inspect_photo`], a CMYK photo's ink bounded to be judged against `ink_limit`
/// ([`raster::ink_limit`] of the issue's `output.tac`): the bound stays within the limit
/// when the photo does, with as little work as that takes.
pub fn inspect_photo_within(
    bytes: &[u8],
    max_pixels: u64,
    ink_limit: u32,
) -> Result<PhotoFacts, PhotoFault> {
    let format = image::guess_format(bytes)
        .ok()
        .filter(|f| matches!(f, ImageFormat::Jpeg | ImageFormat::Png))
        .ok_or_else(|| PhotoFault::corrupt("is not a JPEG or PNG file"))?;
    let unreadable = |e: image::ImageError| PhotoFault::corrupt(format!("cannot be read: {e}"));
    let mut reader = ImageReader::new(Cursor::new(bytes));
    reader.set_format(format);
    reader.no_limits();
    let mut decoder = reader.into_decoder().map_err(unreadable)?;
    let (width, height) = decoder.dimensions();
    if width == 0 || height == 0 {
        return Err(PhotoFault::corrupt(format!("claims a size of {width}x{height} pixels")));
    }
    let pixels = u64::from(width) * u64::from(height);
    if pixels > max_pixels {
        return Err(PhotoFault {
            kind: "photo-too-large",
            message: format!(
                "is {width}x{height} pixels ({:.0} megapixels), over the limit of {:.0}",
                pixels as f64 / 1e6,
                max_pixels as f64 / 1e6
            ),
        });
    }
    let jpeg = (format == ImageFormat::Jpeg).then(|| JpegLayout::read(bytes)).flatten();
    match &jpeg {
        Some(layout) => check_jpeg_claim(bytes, layout, (width, height))?,
        None if format == ImageFormat::Jpeg => {
            return Err(PhotoFault::corrupt("has JPEG headers that end before its image data"));
        }
        None => {}
    }
    // What the image takes decoded, as stored: a JPEG's components (CMYK is four), a PNG's
    // samples at their depth; at a reduced scale, 8-bit samples with any transparency
    // composited (grey one byte, colour three).
    let (full, reduced) = match &jpeg {
        Some(layout) => {
            let components = u64::from(layout.components.max(1));
            (components, components)
        }
        None => {
            let color = decoder.color_type();
            (u64::from(color.bytes_per_pixel()), if color.has_color() { 3 } else { 1 })
        }
    };
    let plan = raster::plan((width, height), full, reduced).ok_or_else(|| PhotoFault {
        kind: "photo-too-large",
        message: format!(
            "is {width}x{height} pixels, too large to print within the memory budget of {} MB \
             even decoded at 1/8 of its size",
            raster::MAX_WORKING_BYTES / 1_000_000
        ),
    })?;
    if let Some(layout) = jpeg.as_ref().filter(|l| l.progressive) {
        let needed = layout.coefficient_bytes((width, height));
        if needed > raster::MAX_COEFFICIENT_BYTES {
            return Err(PhotoFault {
                kind: "photo-too-large",
                message: format!(
                    "is a progressive JPEG of {width}x{height} pixels whose decoding needs {} MB \
                     of coefficients, over the budget of {} MB (save it as a baseline JPEG)",
                    needed / 1_000_000,
                    raster::MAX_COEFFICIENT_BYTES / 1_000_000
                ),
            });
        }
    }
    // After the budget checks: a progressive JPEG's check holds a bit per coefficient.
    let (counted, ink_bound) = match &jpeg {
        Some(layout) if layout.components == 4 && !layout.ycck => {
            jpeg_scan::check_cmyk_scans(bytes, layout.adobe, ink_limit)
                .map_err(PhotoFault::corrupt)?
        }
        Some(_) => (jpeg_scan::check_scans(bytes).map_err(PhotoFault::corrupt)?, None),
        None => (Scans::Uncounted, None),
    };
    let orientation = decoder.orientation().map(|o| o.to_exif()).unwrap_or(1);
    let icc = decoder.icc_profile().ok().flatten();
    let space = match &jpeg {
        Some(layout) => match layout.components {
            1 => lcms2::ColorSpaceSignature::GrayData,
            4 => lcms2::ColorSpaceSignature::CmykData,
            _ => lcms2::ColorSpaceSignature::RgbData,
        },
        None if decoder.color_type().has_color() => lcms2::ColorSpaceSignature::RgbData,
        None => lcms2::ColorSpaceSignature::GrayData,
    };
    let mut peak_ink = None;
    match &jpeg {
        // A JPEG whose every block the scan check read is proven: a decoder would read the
        // same codes again (most of a cold load) to find nothing more. Its headers are
        // still read as the decoder reads them. A CMYK one must have had its ink bounded.
        Some(layout)
            if plan.denominator == 1
                && counted == Scans::Counted
                && (matches!(layout.components, 1 | 3) || ink_bound.is_some()) =>
        {
            drop(decoder);
            decoder_headers(bytes, layout)?;
            peak_ink = ink_bound;
        }
        Some(layout) if plan.denominator == 1 => {
            drop(decoder);
            peak_ink = decode_jpeg(bytes, layout, (width, height))?;
        }
        None if plan.denominator == 1 => {
            let mut samples = vec![0u8; (pixels * full) as usize];
            decoder
                .read_image(&mut samples)
                .map_err(|e| PhotoFault::corrupt(format!("has corrupt image data: {e}")))?;
        }
        // Too large to decode whole: decoded as render will decode it, at a reduced scale
        // (the JPEG's end was checked above).
        Some(_) => {
            drop(decoder);
            raster::decode_jpeg(bytes, plan.denominator, false).map_err(PhotoFault::corrupt)?;
        }
        None => {
            drop(decoder);
            raster::decode_png(bytes, plan.denominator).map_err(PhotoFault::corrupt)?;
        }
    }
    let (width, height) = plan.size;
    let (width_px, height_px) =
        if (5..=8).contains(&orientation) { (height, width) } else { (width, height) };
    Ok(PhotoFacts {
        width_px,
        height_px,
        scale: plan.denominator,
        orientation,
        profile_problem: icc.and_then(|icc| profile_problem(&icc, space)),
        peak_ink,
    })
}

/// Checks that a JPEG's scan is large enough for the size its frame header claims, and
/// that it ends: cheap checks that need no decoding.
fn check_jpeg_claim(
    bytes: &[u8],
    layout: &JpegLayout,
    (width, height): (u32, u32),
) -> Result<(), PhotoFault> {
    // Any JPEG spends at least one bit per 8x8 block of its first component (the shortest
    // Huffman code, for "no change" of the DC value), even a blank one.
    let blocks = u64::from(width.div_ceil(8)) * u64::from(height.div_ceil(8));
    let scan_bytes = (bytes.len() - layout.first_scan) as u64;
    if scan_bytes * 8 < blocks {
        return Err(PhotoFault::corrupt(format!(
            "claims {width}x{height} pixels in its header, but its image data is {scan_bytes} \
             bytes, fewer than the {} any JPEG of that size needs (the header lies, or the file \
             is cut short)",
            blocks.div_ceil(8)
        )));
    }
    if !has_end_marker(&bytes[layout.first_scan..]) {
        return Err(PhotoFault::corrupt(
            "is cut short: its image data has no end (the file was truncated)",
        ));
    }
    Ok(())
}

/// Reads a JPEG's headers with the decoder, in strict mode, as [`decode_jpeg`] would before
/// it decodes the data.
fn decoder_headers(bytes: &[u8], layout: &JpegLayout) -> Result<(), PhotoFault> {
    let mut decoder =
        zune_jpeg::JpegDecoder::new_with_options(Cursor::new(bytes), strict_options(layout));
    decoder.decode_headers().map_err(|e| PhotoFault::corrupt(format!("has corrupt headers: {e}")))
}

/// The decoder's strict options for samples as stored (no colour conversion): only
/// soundness is at stake at load.
fn strict_options(layout: &JpegLayout) -> DecoderOptions {
    let stored = if layout.components == 1 { ColorSpace::Luma } else { ColorSpace::YCbCr };
    DecoderOptions::default()
        .set_strict_mode(true)
        .set_max_width(usize::MAX)
        .set_max_height(usize::MAX)
        .jpeg_set_out_colorspace(stored)
}

/// Decodes a JPEG's image data to the end in strict mode: a scan that ends early, or a
/// frame header that disagrees with the scan, is an error. A CMYK JPEG is decoded to its
/// inks as render decodes it ([`raster::decode_inks`]) and its peak ink is returned.
fn decode_jpeg(
    bytes: &[u8],
    layout: &JpegLayout,
    (width, height): (u32, u32),
) -> Result<Option<u32>, PhotoFault> {
    let corrupt = |e| PhotoFault::corrupt(format!("has corrupt image data: {e}"));
    let samples = if layout.components == 4 {
        raster::decode_inks(bytes, layout.ycck, layout.adobe, true).map_err(corrupt)?
    } else {
        let options = strict_options(layout);
        let mut decoder = zune_jpeg::JpegDecoder::new_with_options(Cursor::new(bytes), options);
        decoder.decode().map_err(corrupt)?
    };
    let expected = u64::from(width) * u64::from(height) * u64::from(layout.components);
    if samples.len() as u64 != expected {
        return Err(PhotoFault::corrupt(format!(
            "decodes to {} bytes where its header ({width}x{height}, {} components) says {expected}",
            samples.len(),
            layout.components
        )));
    }
    Ok((layout.components == 4).then(|| raster::peak_ink(&samples, width as usize)))
}

/// Whether entropy-coded data (from the first scan on) reaches an end-of-image marker. In
/// the data a 0xFF byte is always followed by 0x00 or a marker, so `FF D9` there is the
/// real end, not a thumbnail's (thumbnails sit in APP1, before the first scan).
fn has_end_marker(scan: &[u8]) -> bool {
    scan.windows(2).any(|pair| pair == [0xFF, 0xD9])
}

/// Where a JPEG's headers say its parts are.
#[derive(Debug)]
struct JpegLayout {
    /// Components in the frame (1 grey, 3 YCbCr, 4 CMYK or YCCK).
    components: u8,
    /// Offset of the first byte after the first scan header.
    first_scan: usize,
    /// Progressive (SOF2, SOF6, SOF10, SOF14): the decoder holds every coefficient.
    progressive: bool,
    /// Each component's horizontal and vertical sampling factors.
    sampling: Vec<(u8, u8)>,
    /// An APP14 "Adobe" segment is present (CMYK stored inverted).
    adobe: bool,
    /// The APP14 segment says the four components are YCCK (transform 2).
    ycck: bool,
}

impl JpegLayout {
    /// Bytes a progressive decoder holds for the coefficients of an image of `size`: 64 of
    /// two bytes for each block of each component, the blocks padded to whole MCUs.
    fn coefficient_bytes(&self, (width, height): (u32, u32)) -> u64 {
        let h_max = self.sampling.iter().map(|s| s.0).max().unwrap_or(1).max(1);
        let v_max = self.sampling.iter().map(|s| s.1).max().unwrap_or(1).max(1);
        let mcus_x = u64::from(width.div_ceil(8 * u32::from(h_max)));
        let mcus_y = u64::from(height.div_ceil(8 * u32::from(v_max)));
        let blocks: u64 =
            self.sampling.iter().map(|&(h, v)| mcus_x * u64::from(h) * mcus_y * u64::from(v)).sum();
        blocks * 64 * 2
    }
}

impl JpegLayout {
    /// Walks the markers up to the first scan; `None` when the headers are cut short or
    /// there is no frame.
    fn read(data: &[u8]) -> Option<Self> {
        let mut components = None;
        let mut progressive = false;
        let mut sampling = Vec::new();
        let (mut adobe, mut ycck) = (false, false);
        for segment in jpeg_segments(data) {
            let JpegSegment { marker, payload: segment, end } = segment.ok()?;
            match marker {
                // Read as render's JPEG reader reads it, so both decode the same inks.
                0xEE if segment.starts_with(b"Adobe") => {
                    adobe = true;
                    ycck = segment.get(11) == Some(&2);
                }
                0xC0..=0xCF if !matches!(marker, 0xC4 | 0xC8 | 0xCC) => {
                    let count = *segment.get(5)?;
                    components = Some(count);
                    progressive = matches!(marker, 0xC2 | 0xC6 | 0xCA | 0xCE);
                    sampling = (0..usize::from(count))
                        .map(|i| segment.get(7 + 3 * i).map(|hv| (hv >> 4, hv & 0x0F)))
                        .collect::<Option<_>>()?;
                }
                0xDA => {
                    return Some(JpegLayout {
                        components: components?,
                        first_scan: end,
                        progressive,
                        sampling,
                        adobe,
                        ycck,
                    });
                }
                _ => {}
            }
        }
        None
    }
}

/// What is wrong with an embedded ICC profile for an image whose samples are in `expected`
/// (grey, RGB or CMYK), with what the renderer does instead; `None` when it is a readable
/// profile of the image's colour space.
fn profile_problem(icc: &[u8], expected: lcms2::ColorSpaceSignature) -> Option<String> {
    use lcms2::ColorSpaceSignature as Space;
    let assumed = match expected {
        Space::GrayData => "printed as black ink as it is",
        Space::CmykData => "taken as separated for the output condition",
        _ => "converted as sRGB",
    };
    let profile = match lcms2::Profile::new_icc(icc) {
        Ok(profile) => profile,
        Err(e) => {
            return Some(format!("embeds an ICC profile that cannot be read ({e}); {assumed}"));
        }
    };
    let found = profile.color_space();
    (found != expected).then(|| {
        format!(
            "embeds an ICC profile for {} in a {} image; {assumed}",
            space_name(found),
            space_name(expected)
        )
    })
}

/// A colour space's name for messages.
fn space_name(space: lcms2::ColorSpaceSignature) -> String {
    use lcms2::ColorSpaceSignature as Space;
    match space {
        Space::RgbData => "RGB".into(),
        Space::CmykData => "CMYK".into(),
        Space::GrayData => "greyscale".into(),
        Space::LabData => "Lab".into(),
        other => format!("{other:?}"),
    }
}

#[cfg(test)]
#[path = "photo_tests.rs"]
mod tests;
