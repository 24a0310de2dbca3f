//! Photos too large to decode whole within the memory budget, decoded at a reduced scale:
//! a 100-megapixel camera JPEG takes 300 MB as RGB samples, more than a build may spend on
//! one photo, yet half its width (5,800 pixels) is still over 450 ppi across a full page.
//!
//! Load (to prove the photo sound) and render (to print it) both decode through here, with
//! the same plan, so the size the layout works with is the size printed. JPEGs are scaled
//! in the inverse DCT (1/2, 1/4 or 1/8: the decoder never builds the full-size image);
//! PNGs are read row by row and averaged over d x d pixels as they stream in, any
//! transparency composited on paper white first.
//!
//! A photo that would need more than the budget even at 1/8 (a 65,535 x 65,535 JPEG, far
//! past `photo.max_megapixels`, the guard against decompression bombs) is refused, as is a progressive JPEG whose coefficients alone
//! (which a progressive decoder must hold for the whole image, at two bytes each) would
//! exceed the budget.

use std::io::Cursor;

/// Memory a photo may take while it is printed, in bytes: width x height x (the bytes a
/// pixel takes decoded, plus [`CONVERSION_BYTES_PER_PIXEL`]). A photo over it decoded whole
/// is decoded at a reduced scale. Measured on a 100-megapixel RGB JPEG of sharp-edged
/// gradients (a worst case for the re-encoded size), decoded at 1/2: under 300 MB at the
/// build's peak, the file's own bytes and the rest of the build included.
pub const MAX_WORKING_BYTES: u64 = 240_000_000;

/// Bytes a pixel takes on top of its decoded samples while it is converted: its CMYK
/// conversion (four) and, at worst, about two of compressed output.
pub const CONVERSION_BYTES_PER_PIXEL: u64 = 6;

/// Memory a progressive JPEG's coefficients may take (two bytes for each of the 64
/// coefficients of every block of every component), on top of the decoded photo: with
/// what the photo takes decoded this keeps the decoder under 300 MB.
pub const MAX_COEFFICIENT_BYTES: u64 = 180_000_000;

/// How a photo is decoded: whole, or at 1/`denominator` of its width and height.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Plan {
    /// 1 (whole), 2, 4 or 8.
    pub denominator: u32,
    /// Size as decoded (before any EXIF orientation), pixels.
    pub size: (u32, u32),
}

/// The plan for a photo of `size` pixels that takes `full_bytes_per_pixel` decoded whole
/// and `reduced_bytes_per_pixel` at a reduced scale (8-bit samples, transparency already
/// composited): the largest scale whose working memory is within [`MAX_WORKING_BYTES`];
/// `None` when even 1/8 of it is over.
pub fn plan(
    size: (u32, u32),
    full_bytes_per_pixel: u64,
    reduced_bytes_per_pixel: u64,
) -> Option<Plan> {
    let working = |(width, height): (u32, u32), bytes_per_pixel: u64| {
        u64::from(width) * u64::from(height) * (bytes_per_pixel + CONVERSION_BYTES_PER_PIXEL)
    };
    if working(size, full_bytes_per_pixel) <= MAX_WORKING_BYTES {
        return Some(Plan { denominator: 1, size });
    }
    [2, 4, 8].into_iter().find_map(|denominator| {
        let reduced = (size.0.div_ceil(denominator), size.1.div_ceil(denominator));
        (working(reduced, reduced_bytes_per_pixel) <= MAX_WORKING_BYTES)
            .then_some(Plan { denominator, size: reduced })
    })
}

/// What the samples of a photo decoded at a reduced scale are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Samples {
    /// One byte a pixel, 0 black.
    Gray,
    /// Three bytes a pixel.
    Rgb,
    /// Four bytes a pixel: cyan, magenta, yellow and black ink, 255 full ink.
    Inks,
}

impl Samples {
    /// Bytes a pixel.
    pub fn channels(self) -> usize {
        match self {
            Samples::Gray => 1,
            Samples::Rgb => 3,
            Samples::Inks => 4,
        }
    }
}

/// A photo decoded at a reduced scale.
#[derive(Debug)]
pub struct Reduced {
    /// Size, pixels (as stored, before any EXIF orientation).
    pub size: (u32, u32),
    /// What the samples are.
    pub kind: Samples,
    /// Samples, row by row.
    pub samples: Vec<u8>,
}

/// Decodes a JPEG at 1/`denominator` scale (2, 4 or 8). Four-component JPEGs come out as
/// ink amounts: YCCK converted, Adobe-style inverted CMYK (`adobe`, the APP14 marker)
/// flipped back, plain CMYK as it is.
pub fn decode_jpeg(bytes: &[u8], denominator: u32, adobe: bool) -> Result<Reduced, String> {
    // The scaling decoder takes 8-bit DCT JPEGs of one, three or four components; anything
    // else is refused here, before it can reach one of the decoder's assertions.
    match dct_frame(bytes) {
        Some((8, 1 | 3 | 4)) => {}
        Some((precision, components)) => {
            return Err(format!(
                "is a {precision}-bit JPEG of {components} components, too large to decode \
                 whole and of a kind that cannot be decoded at a reduced scale"
            ));
        }
        None => return Err("has no baseline, extended or progressive frame header".into()),
    }
    let mut decoder = jpeg_decoder::Decoder::new(Cursor::new(bytes));
    decoder.read_info().map_err(|e| format!("cannot be read: {e}"))?;
    let info = decoder.info().ok_or("has no frame header")?;
    let (width, height) = (u32::from(info.width), u32::from(info.height));
    let wanted = |side: u32| u16::try_from(side.div_ceil(denominator)).unwrap_or(u16::MAX);
    let (w, h) = decoder
        .scale(wanted(width), wanted(height))
        .map_err(|e| format!("cannot be decoded at 1/{denominator} scale: {e}"))?;
    let mut samples = decoder.decode().map_err(|e| format!("has corrupt image data: {e}"))?;
    let kind = match decoder.info().map(|i| i.pixel_format) {
        Some(jpeg_decoder::PixelFormat::L8) => Samples::Gray,
        Some(jpeg_decoder::PixelFormat::RGB24) => Samples::Rgb,
        Some(jpeg_decoder::PixelFormat::CMYK32) => Samples::Inks,
        other => return Err(format!("has samples this decoder cannot scale ({other:?})")),
    };
    let size = (u32::from(w), u32::from(h));
    if samples.len() as u64 != u64::from(size.0) * u64::from(size.1) * kind.channels() as u64 {
        return Err(format!("decodes to another size than its header ({width}x{height}) says"));
    }
    // The decoder takes every CMYK JPEG for an Adobe one (stored inverted) and flips it;
    // one without the Adobe marker stores ink amounts as they are.
    if kind == Samples::Inks && !adobe {
        samples.iter_mut().for_each(|v| *v = 255 - *v);
    }
    Ok(Reduced { size, kind, samples })
}

/// Decodes a four-component JPEG whole to ink amounts (0 = no ink), four bytes a pixel:
/// YCCK (`ycck`, the APP14 transform 2) turned into inks, Adobe-style inverted CMYK
/// (`adobe`, the APP14 marker) flipped back, plain CMYK as it is. Load decodes a CMYK photo
/// through here to prove it (`strict`: a decoder warning, such as a scan that ends early,
/// is an error) and measures its ink on the way ([`peak_ink`]); render decodes it through
/// here to print it. Both see the same inks, so load's measure stands for render's.
pub fn decode_inks(
    bytes: &[u8],
    ycck: bool,
    adobe: bool,
    strict: bool,
) -> Result<Vec<u8>, zune_jpeg::errors::DecodeErrors> {
    use zune_core::colorspace::ColorSpace;
    // The decoder hands YCCK over as it is stored; the inks are worked out below.
    let stored = if ycck { ColorSpace::YCCK } else { ColorSpace::CMYK };
    // The pixel count was checked against `photo.max_megapixels` before: no side limit.
    let options = zune_core::options::DecoderOptions::default()
        .set_strict_mode(strict)
        .set_max_width(usize::MAX)
        .set_max_height(usize::MAX)
        .jpeg_set_out_colorspace(stored);
    let mut samples =
        zune_jpeg::JpegDecoder::new_with_options(Cursor::new(bytes), options).decode()?;
    if ycck {
        samples.chunks_exact_mut(4).for_each(ycck_to_inks);
    } else if adobe {
        samples.iter_mut().for_each(|v| *v = 255 - *v);
    }
    Ok(samples)
}

/// Turns one YCCK pixel, as an Adobe JPEG stores it, into ink amounts: Y, Cb and Cr are the
/// JFIF YCbCr of the cyan, magenta and yellow inks, K is stored inverted (as libjpeg reads
/// Adobe's YCCK).
pub fn ycck_to_inks(pixel: &mut [u8]) {
    let (y, cb, cr) =
        (f32::from(pixel[0]), f32::from(pixel[1]) - 128.0, f32::from(pixel[2]) - 128.0);
    let ink = |v: f32| v.round().clamp(0.0, 255.0) as u8;
    pixel[0] = ink(y + 1.402 * cr);
    pixel[1] = ink(y - 0.344_136 * cb - 0.714_136 * cr);
    pixel[2] = ink(y + 1.772 * cb);
    pixel[3] = 255 - pixel[3];
}

/// The total ink limit for `tac_percent` (the issue's `output.tac`) in 8-bit units summed
/// over the four channels, as [`peak_ink`] measures: load bounds its CMYK photos' ink
/// against it, render holds converted photos under it.
pub fn ink_limit(tac_percent: f32) -> u32 {
    (tac_percent.clamp(100.0, 400.0) / 100.0 * 255.0).floor() as u32
}

/// The highest total ink (sum of the four 8-bit channels) that covers a 2x2 block of
/// `cmyk` (`width` pixels a row): the largest over the blocks of each block's lowest
/// pixel. It is how preflight measures (Ghostscript's separations, then a 2x2 minimum
/// filter, so a lone pixel of JPEG noise does not fail a page), on every pixel rather than
/// at 72 dpi, which can only find more.
pub fn peak_ink(cmyk: &[u8], width: usize) -> u32 {
    let totals: Vec<u16> = cmyk
        .chunks_exact(4)
        .map(|p| u16::from(p[0]) + u16::from(p[1]) + u16::from(p[2]) + u16::from(p[3]))
        .collect();
    if width == 0 || totals.len() < width {
        return totals.iter().copied().max().map_or(0, u32::from);
    }
    if width == 1 || totals.len() < 2 * width {
        return totals.iter().copied().min().map_or(0, u32::from);
    }
    let mut peak = 0;
    for rows in totals.chunks_exact(width).collect::<Vec<_>>().windows(2) {
        let (above, below) = (rows[0], rows[1]);
        for x in 0..width - 1 {
            let low = above[x].min(above[x + 1]).min(below[x]).min(below[x + 1]);
            peak = peak.max(low);
        }
    }
    u32::from(peak)
}

/// The sample precision and component count of a JPEG's frame header, when the frame is
/// baseline, extended or progressive Huffman DCT (SOF0, SOF1, SOF2).
fn dct_frame(data: &[u8]) -> Option<(u8, u8)> {
    for segment in jpeg_segments(data) {
        let JpegSegment { marker, payload, .. } = segment.ok()?;
        match marker {
            0xC0..=0xC2 => return Some((*payload.first()?, *payload.get(5)?)),
            0xC3 | 0xC5..=0xC7 | 0xC9..=0xCB | 0xCD..=0xCF | 0xDA => return None,
            _ => {}
        }
    }
    None
}

/// One marker segment of a JPEG's headers.
#[derive(Debug, Clone, Copy)]
pub struct JpegSegment<'a> {
    /// The marker code (the byte after 0xFF).
    pub marker: u8,
    /// The segment's bytes after its length field.
    pub payload: &'a [u8],
    /// Offset just past the segment: after a scan header (SOS), where the scan's
    /// entropy-coded data begins.
    pub end: usize,
}

/// The header segments of a JPEG (`data`, from its SOI marker on), in file order; fill
/// bytes and parameterless markers are skipped. The walk ends at the end of the data, after
/// a scan header (SOS) or the end-of-image marker (EOI, a segment with no payload), or with
/// one `Err(())` for a segment that is not a marker or is cut short. Load, the decoding plan
/// and render read their headers through it.
pub fn jpeg_segments(data: &[u8]) -> impl Iterator<Item = Result<JpegSegment<'_>, ()>> {
    jpeg_segments_from(data, 2)
}

/// The segments of a JPEG from the marker at `start` on, walked as [`jpeg_segments`] walks
/// them: after a scan's entropy-coded data, the tables and header of the next scan.
pub fn jpeg_segments_from(
    data: &[u8],
    start: usize,
) -> impl Iterator<Item = Result<JpegSegment<'_>, ()>> {
    let mut pos = start;
    let mut done = false;
    std::iter::from_fn(move || {
        while !done && pos + 2 <= data.len() {
            let (byte, marker) = (data[pos], data[pos + 1]);
            if byte == 0xFF && marker == 0xFF {
                pos += 1; // Fill byte.
                continue;
            }
            if byte == 0xFF && marker == 0xD9 {
                // EOI has no length field, and what follows it is not the image's.
                done = true;
                return Some(Ok(JpegSegment { marker, payload: &[], end: pos + 2 }));
            }
            if pos + 4 > data.len() {
                break;
            }
            if byte != 0xFF {
                done = true;
                return Some(Err(()));
            }
            if (0xD0..=0xD7).contains(&marker) || marker == 0x01 {
                pos += 2;
                continue;
            }
            let length = usize::from(u16::from_be_bytes([data[pos + 2], data[pos + 3]]));
            let Some(payload) = data.get(pos + 4..pos + 2 + length) else {
                done = true;
                return Some(Err(()));
            };
            pos += 2 + length;
            done = marker == 0xDA;
            return Some(Ok(JpegSegment { marker, payload, end: pos }));
        }
        None
    })
}

/// Decodes a PNG at 1/`denominator` scale, row by row: each output pixel is the average of
/// a `denominator` x `denominator` square (less at the right and bottom edges), with any
/// transparency composited on white first, so the full-size image is never held.
pub fn decode_png(bytes: &[u8], denominator: u32) -> Result<Reduced, String> {
    let unreadable = |e: png::DecodingError| format!("has corrupt image data: {e}");
    let mut decoder = png::Decoder::new(Cursor::new(bytes));
    decoder.set_transformations(png::Transformations::EXPAND | png::Transformations::STRIP_16);
    let mut reader = decoder.read_info().map_err(unreadable)?;
    let (width, height) = (reader.info().width, reader.info().height);
    if reader.info().interlaced {
        // Interlaced rows come in seven passes over the whole image: they cannot be averaged
        // as they stream in.
        return Err(format!(
            "is an interlaced PNG of {width}x{height} pixels, too large to decode whole; save \
             it without interlacing"
        ));
    }
    let (color, _) = reader.output_color_type();
    let (channels, kind) = match color {
        png::ColorType::Grayscale => (1, Samples::Gray),
        png::ColorType::GrayscaleAlpha => (2, Samples::Gray),
        png::ColorType::Rgb => (3, Samples::Rgb),
        png::ColorType::Rgba => (4, Samples::Rgb),
        png::ColorType::Indexed => return Err("has a palette the decoder did not expand".into()),
    };
    let d = denominator as usize;
    let out_width = (width as usize).div_ceil(d);
    let out_channels = kind.channels();
    let mut sums = vec![0u32; out_width * out_channels];
    let mut counts = vec![0u32; out_width];
    let mut samples = Vec::with_capacity(out_width * (height as usize).div_ceil(d) * out_channels);
    let mut pixel = [0u8; 3];
    let mut row_index = 0usize;
    while let Some(row) = reader.next_row().map_err(unreadable)? {
        for (x, source) in row.data().chunks_exact(channels).take(width as usize).enumerate() {
            let on_paper = match *source {
                [v] => &[v][..],
                [v, a] => {
                    pixel[0] = over_white(v, a);
                    &pixel[..1]
                }
                [r, g, b] => &[r, g, b][..],
                [r, g, b, a] => {
                    pixel = [over_white(r, a), over_white(g, a), over_white(b, a)];
                    &pixel[..]
                }
                _ => &[][..],
            };
            let cell = x / d;
            for (sum, &v) in sums[cell * out_channels..].iter_mut().zip(on_paper) {
                *sum += u32::from(v);
            }
            counts[cell] += 1;
        }
        row_index += 1;
        if row_index.is_multiple_of(d) || row_index == height as usize {
            for (sums, &count) in sums.chunks_exact_mut(out_channels).zip(&counts) {
                let count = count.max(1);
                samples.extend(sums.iter().map(|&sum| ((sum + count / 2) / count) as u8));
                sums.fill(0);
            }
            counts.fill(0);
        }
    }
    reader.finish().map_err(unreadable)?;
    if row_index != height as usize {
        return Err(format!("has {row_index} rows of image data where its header says {height}"));
    }
    Ok(Reduced { size: (out_width as u32, (height as usize).div_ceil(d) as u32), kind, samples })
}

/// One channel of a colour composited over white paper.
fn over_white(value: u8, alpha: u8) -> u8 {
    let v = u32::from(value) * u32::from(alpha) + 255 * (255 - u32::from(alpha));
    ((v + 127) / 255) as u8
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_photos_decode_whole_and_large_ones_at_the_largest_scale_that_fits() {
        // A 24-megapixel camera's RGB JPEG: 216 MB at 9 bytes a pixel.
        assert_eq!(plan((6000, 4000), 3, 3), Some(Plan { denominator: 1, size: (6000, 4000) }));
        // 100 megapixels of RGB: half of each side is 25 megapixels, 227 MB.
        let plan_100 = plan((12_000, 8_400), 3, 3).unwrap();
        assert_eq!(plan_100, Plan { denominator: 2, size: (6_000, 4_200) });
        // A 16-bit RGBA PNG counts 8 bytes a pixel whole, 3 once composited and reduced.
        assert_eq!(plan((5_000, 4_000), 8, 3).unwrap().denominator, 2);
        assert_eq!(plan((5_000, 4_000), 1, 1).unwrap().denominator, 1);
        // The largest JPEG there can be, in CMYK: over budget even at 1/8.
        assert_eq!(plan((65_535, 65_535), 4, 4), None);
    }

    #[test]
    fn jpegs_the_scaling_decoder_cannot_take_are_refused_not_decoded() {
        // SOI, then a frame header of 12-bit precision, two components, 64 x 64.
        let mut twelve_bit = vec![0xFF, 0xD8, 0xFF, 0xC1, 0, 14, 12, 0, 64, 0, 64, 2];
        twelve_bit.extend([1, 0x11, 0, 2, 0x11, 0]);
        let why = decode_jpeg(&twelve_bit, 2, false).unwrap_err();
        assert!(why.contains("12-bit JPEG of 2 components"), "{why}");
        assert!(decode_jpeg(b"\xFF\xD8", 2, false).is_err());
        assert!(decode_jpeg(b"", 2, false).is_err());
    }
}
