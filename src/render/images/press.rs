//! What makes a photo fit for the press beyond its colour space: its resolution at the
//! printed size (resampled above `output.max_ppi`), its total ink as preflight measures it
//! (also after JPEG re-encoding, whose ringing adds ink), and no dead weight (the ICC
//! profile of a passed-through JPEG, which the PDF never reads).

use std::io::Cursor;

use super::ink::limit_row_ink;
use super::jpeg::{JpegInfo, encode_cmyk_jpeg};
use crate::raster::{self, peak_ink};

/// The largest placement of a photo in the document, in points (each axis on its own:
/// cover-fit keeps the aspect ratio, so the larger of each is what the sharpest use needs).
pub(crate) type Placed = (f32, f32);

/// The pixel size a photo of `pixels` should be stored at when printed at most `placed`
/// (points): `None` while its resolution is at most `max_ppi`, else the size that gives
/// `target_ppi` on the sharper-needing axis, as Acrobat's PDF/X presets downsample (above
/// 450 ppi to 300). Pixels beyond what a 100–150 lpi screen can render are megabytes the
/// RIP throws away.
pub(super) fn resampled_size(
    pixels: (u32, u32),
    placed: Option<Placed>,
    max_ppi: f32,
    target_ppi: f32,
) -> Option<(u32, u32)> {
    let (width, height) = placed?;
    if width <= 0.0 || height <= 0.0 || pixels.0 == 0 || pixels.1 == 0 {
        return None;
    }
    let ppi = (pixels.0 as f32 * 72.0 / width).min(pixels.1 as f32 * 72.0 / height);
    if ppi <= max_ppi {
        return None;
    }
    let factor = target_ppi / ppi;
    let side = |v: u32| ((v as f32 * factor).round() as u32).max(1);
    Some((side(pixels.0), side(pixels.1)))
}

/// Resamples `samples` (`channels` a pixel: 1, 3 or 4) to `size` with a Lanczos-3 filter,
/// the sharpest of the usual ones without visible ringing at these ratios. CMYK is
/// resampled in ink values, which is what the press prints; the fourth channel is not
/// taken for alpha.
///
/// fast_image_resize rather than the `image` crate's resize: the same filter in 8-bit
/// fixed point with SIMD, about ten times faster, which is what makes downsampling a
/// 2,560-pixel photo before converting it cheaper than converting it whole (the `image`
/// crate's took longer than the conversion it saved).
pub(super) fn resample(
    samples: Vec<u8>,
    channels: usize,
    (width, height): (u32, u32),
    size: (u32, u32),
) -> Option<Vec<u8>> {
    use fast_image_resize::{FilterType, PixelType, ResizeAlg, ResizeOptions, Resizer, images};
    let pixel_type = match channels {
        1 => PixelType::U8,
        3 => PixelType::U8x3,
        4 => PixelType::U8x4,
        _ => return None,
    };
    let source = images::Image::from_vec_u8(width, height, samples, pixel_type).ok()?;
    let mut out = images::Image::new(size.0, size.1, pixel_type);
    let options = ResizeOptions::new()
        .resize_alg(ResizeAlg::Convolution(FilterType::Lanczos3))
        .use_alpha(false);
    Resizer::new().resize(&source, &mut out, &options).ok()?;
    Some(out.into_vec())
}

/// Decodes a CMYK JPEG to ink amounts (0 = no ink), four bytes a pixel, as load decoded
/// it to measure it ([`raster::decode_inks`]): Adobe's inverted CMYK and YCCK are turned
/// back into inks.
pub(super) fn decode_cmyk(bytes: &[u8], info: &JpegInfo) -> Result<Vec<u8>, String> {
    let samples = raster::decode_inks(bytes, info.ycck, info.adobe, false)
        .map_err(|e| format!("corrupt image: {e:?}"))?;
    let (width, height) = info.size;
    if samples.len() != width as usize * height as usize * 4 {
        return Err("the JPEG decodes to another size than its header says".into());
    }
    Ok(samples)
}

/// Decodes a greyscale JPEG, one byte a pixel (0 = black, as DeviceGray).
pub(super) fn decode_gray(bytes: &[u8], info: &JpegInfo) -> Result<Vec<u8>, String> {
    let options = zune_core::options::DecoderOptions::default()
        .jpeg_set_out_colorspace(zune_core::colorspace::ColorSpace::Luma);
    let mut decoder = zune_jpeg::JpegDecoder::new_with_options(Cursor::new(bytes), options);
    let samples = decoder.decode().map_err(|e| format!("corrupt image: {e:?}"))?;
    let (width, height) = info.size;
    if samples.len() != width as usize * height as usize {
        return Err("the JPEG decodes to another size than its header says".into());
    }
    Ok(samples)
}

/// How far under the limit a photo's ink must stay before JPEG encoding for its ringing to
/// be no risk (12.5 % of one ink, more than the noise of quality 50 on a 2x2 block): under
/// it the encoded photo is not decoded again to check.
pub(super) const JPEG_NOISE: u32 = 32;

/// The ink limit samples are first held to before JPEG encoding: 1 % under `limit`, what
/// quantisation noise most often stays within ([`encode_within_limit`]).
pub(super) fn first_limit(limit: u32) -> u32 {
    limit.saturating_sub(limit / 100)
}

/// The peak ink of a CMYK JPEG (`data`, `width` pixels a row) as preflight measures it
/// ([`peak_ink`]), decoded as load decodes CMYK; `None` if it cannot be decoded.
pub(super) fn encoded_peak(data: &[u8], width: usize) -> Option<u32> {
    let decoded = decode_cmyk(data, &JpegInfo::read(data)?).ok()?;
    Some(peak_ink(&decoded, width))
}

/// Encodes ink amounts (`cmyk`, converted or decoded) as a CMYK JPEG at `quality` that stays
/// within `limit` as preflight measures it ([`peak_ink`]).
///
/// JPEG's quantisation adds and takes ink around every edge: a photo held at exactly 240 %
/// comes back at up to 250 % in its shadows. So the samples are limited 1 % under the limit,
/// and when the photo comes near it, the encoded JPEG is decoded and measured; if it still
/// overshoots, the samples are limited again by the overshoot and re-encoded, three times at
/// most. If it cannot be held so (or cannot be a JPEG), the samples come back, limited, for
/// the caller to store losslessly.
pub(super) fn encode_within_limit(
    mut cmyk: Vec<u8>,
    size: (u32, u32),
    quality: u8,
    limit: u32,
) -> Result<Vec<u8>, Vec<u8>> {
    let mut applied = first_limit(limit);
    for _ in 0..4 {
        // Limiting again to a lower limit what was limited already gives what limiting the
        // original would, within a unit: no copy of the photo is kept.
        let highest = limit_row_ink(&mut cmyk, applied);
        let Some(data) = encode_cmyk_jpeg(&cmyk, size, quality) else {
            return Err(cmyk);
        };
        // The highest pixel bounds what preflight can find; far enough under the limit, the
        // JPEG need not be decoded to check.
        if highest + JPEG_NOISE <= limit {
            return Ok(data);
        }
        let Some(peak) = encoded_peak(&data, size.0 as usize) else { return Err(cmyk) };
        if peak <= limit {
            return Ok(data);
        }
        applied = applied.saturating_sub(peak - limit + 2);
    }
    Err(cmyk)
}

/// Encodes greyscale samples (0 = black) as a greyscale JPEG at `quality`; `None` if the
/// image is too large for a JPEG or the encoder fails.
pub(super) fn encode_gray_jpeg(
    gray: &[u8],
    (width, height): (u32, u32),
    quality: u8,
) -> Option<Vec<u8>> {
    let (w, h) = (u16::try_from(width).ok()?, u16::try_from(height).ok()?);
    let mut data = Vec::with_capacity(gray.len() / 8);
    let encoder = jpeg_encoder::Encoder::new(&mut data, quality);
    encoder.encode(gray, w, h, jpeg_encoder::ColorType::Luma).ok()?;
    Some(data)
}

/// The JPEG without its ICC profile (the APP2 `ICC_PROFILE` segments): in the PDF the image
/// is DeviceCMYK or DeviceGray under the output intent, and the DCTDecode filter never
/// reads the profile, so it is dead weight (a 650 KB coated profile is 64 % of a typical
/// CMYK photo). Everything else, entropy-coded data included, is copied as it is.
pub(super) fn strip_icc(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len());
    out.extend_from_slice(&bytes[..2.min(bytes.len())]);
    let mut pos = 2;
    while pos + 4 <= bytes.len() && bytes[pos] == 0xFF {
        let marker = bytes[pos + 1];
        if marker == 0xDA || marker == 0xFF || (0xD0..=0xD8).contains(&marker) || marker == 0x01 {
            break;
        }
        let length = usize::from(u16::from_be_bytes([bytes[pos + 2], bytes[pos + 3]]));
        let end = (pos + 2 + length).min(bytes.len());
        let icc = marker == 0xE2 && bytes[pos + 4..end].starts_with(b"ICC_PROFILE\0");
        if !icc {
            out.extend_from_slice(&bytes[pos..end]);
        }
        pos = end;
    }
    out.extend_from_slice(&bytes[pos.min(bytes.len())..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn photos_over_the_limit_are_resampled_to_the_target() {
        // 2,560 pixels across 80 mm: 813 ppi, resampled to 300 ppi (945 pixels).
        let placed = (crate::geom::mm(80.0), crate::geom::mm(53.3));
        let size = resampled_size((2560, 1707), Some(placed), 450.0, 300.0).unwrap();
        assert_eq!(size.0, 945);
        assert!((size.1 as i32 - 630).abs() <= 1, "{size:?}");
        // 400 ppi stays as it is.
        assert_eq!(resampled_size((1260, 840), Some(placed), 450.0, 300.0), None);
        assert_eq!(resampled_size((2560, 1707), None, 450.0, 300.0), None);
    }

    #[test]
    fn peak_ink_ignores_lone_pixels_as_preflight_does() {
        // A 3x3 image at 100 % K with one pixel at 400 %.
        let mut cmyk = [0, 0, 0, 255].repeat(9);
        cmyk[16..20].copy_from_slice(&[255; 4]);
        assert_eq!(peak_ink(&cmyk, 3), 255);
        // A 2x2 block at 300 % is found.
        for i in [0, 1, 3, 4] {
            cmyk[i * 4..i * 4 + 4].copy_from_slice(&[255, 255, 0, 255]);
        }
        assert_eq!(peak_ink(&cmyk, 3), 765);
    }

    #[test]
    fn icc_segments_are_stripped_and_nothing_else() {
        let app2 = |payload: &[u8]| {
            let mut s = vec![0xFF, 0xE2];
            s.extend_from_slice(&((payload.len() + 2) as u16).to_be_bytes());
            s.extend_from_slice(payload);
            s
        };
        let mut jpeg = vec![0xFF, 0xD8];
        jpeg.extend(app2(b"ICC_PROFILE\0\x01\x02abc"));
        jpeg.extend(app2(b"FPXR\0other"));
        jpeg.extend(app2(b"ICC_PROFILE\0\x02\x02def"));
        jpeg.extend_from_slice(&[0xFF, 0xDA, 0x00, 0x02, 0x12, 0xFF, 0xE2, 0xFF, 0xD9]);
        let stripped = strip_icc(&jpeg);
        let mut expected = vec![0xFF, 0xD8];
        expected.extend(app2(b"FPXR\0other"));
        expected.extend_from_slice(&[0xFF, 0xDA, 0x00, 0x02, 0x12, 0xFF, 0xE2, 0xFF, 0xD9]);
        assert_eq!(stripped, expected);
    }
}
