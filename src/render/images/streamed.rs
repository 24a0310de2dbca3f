//! RGB JPEGs converted as they are decoded: the commonest photo (an RGB JPEG printed at
//! most `max_ppi`, upright) goes from libjpeg-turbo's decoder through the colour conversion
//! and the ink limit into the CMYK JPEG encoder a band of rows at a time.
//!
//! Decoding the whole photo, converting the whole of it, then encoding it touched three
//! full-size buffers (3.7 and 4.9 MB for a 1,400 x 875 photo), each one fresh pages for
//! the kernel to fault in and zero: about a fifth of an RGB issue's CPU, more than the
//! decoding itself. A band stays in cache from the decoder to the encoder. libjpeg-turbo
//! (the mozjpeg crate, already linked for encoding) decodes row by row, and with its SIMD
//! code about a fifth faster than the pure-Rust decoder the rest of the crate uses.
//!
//! The result is the first attempt of [`encode_within_limit`]: samples held 1 % under the
//! limit, and the JPEG measured when they come near it. A photo whose JPEG still overshoots
//! goes the whole-image way, which can limit again and re-encode; so does anything
//! libjpeg refuses (load has proved the photo, so the other decoder gives the error).
//!
//! [`encode_within_limit`]: super::press::encode_within_limit

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;

use super::EncodedImage;
use super::convert::{rgb_color, rgb_conversion};
use super::ink::{ink_limit, limit_row_ink};
use super::jpeg::{CmykEncoder, JpegInfo};
use super::press::{JPEG_NOISE, encoded_peak, first_limit};
use crate::color::transform::{CmykTransform, OutputSpace};
use crate::diag::Diagnostic;

/// Rows decoded, converted and encoded at a time: two MCU rows of a 4:2:0 JPEG, and for a
/// 1,400-pixel photo 90 KB of RGB and 180 KB of CMYK, which stay in the core's cache.
const BAND_ROWS: usize = 32;

/// Converts an RGB JPEG (`bytes`, `info` its headers) into a CMYK JPEG at `quality` held
/// under the ink limit, band by band (see the module documentation), with the warnings
/// its profile raised; `None` when it must go the whole-image way.
pub(super) fn convert_rgb_jpeg(
    path: &Path,
    bytes: &[u8],
    info: &JpegInfo,
    quality: u8,
    space: &OutputSpace,
    tac: f32,
) -> Result<Option<(EncodedImage, Vec<Diagnostic>)>, Diagnostic> {
    let (transform, source_name, warnings) =
        rgb_conversion(path, info.embedded_profile().as_deref(), space)?;
    let limit = ink_limit(tac);
    let Some(data) = encode(bytes, info.size, &transform, quality, limit) else {
        return Ok(None);
    };
    let mut encoded = EncodedImage::new(data, true, false, info.size, rgb_color(source_name));
    encoded.inverted = true;
    Ok(Some((encoded, warnings)))
}

/// The CMYK JPEG of an RGB JPEG of `size` pixels, converted with `transform` and held under
/// `limit` as [`convert_rgb_jpeg`] says; `None` if libjpeg refuses the photo or the JPEG
/// overshoots the limit.
fn encode(
    bytes: &[u8],
    size: (u32, u32),
    transform: &CmykTransform,
    quality: u8,
    limit: u32,
) -> Option<Vec<u8>> {
    let (w, h) = (u16::try_from(size.0).ok()?, u16::try_from(size.1).ok()?);
    let width = usize::from(w);
    let applied = first_limit(limit);
    // libjpeg reports errors by unwinding (the crate's error manager panics); nothing here
    // is left half-changed by one: the buffers are this call's own.
    let encoded = catch_unwind(AssertUnwindSafe(|| {
        let mut decoder = mozjpeg::Decompress::new_mem(bytes).ok()?.rgb().ok()?;
        if (decoder.width(), decoder.height()) != (width, usize::from(h)) || width == 0 {
            return None;
        }
        let mut encoder = CmykEncoder::new((w, h), quality, bytes.len())?;
        let mut rgb = vec![0u8; width * 3 * BAND_ROWS];
        let mut cmyk = vec![0u8; width * 4 * BAND_ROWS];
        let mut highest = 0;
        for first in (0..usize::from(h)).step_by(BAND_ROWS) {
            let rows = BAND_ROWS.min(usize::from(h) - first);
            let rgb = decoder.read_scanlines_into(&mut rgb[..width * 3 * rows]).ok()?;
            let cmyk = &mut cmyk[..width * 4 * rows];
            transform.convert(rgb, cmyk);
            highest = highest.max(limit_row_ink(cmyk, applied));
            encoder.write_inks(cmyk)?;
        }
        decoder.finish().ok()?;
        Some((encoder.finish()?, highest))
    }));
    let (data, highest) = encoded.ok().flatten()?;
    // As encode_within_limit judges its first attempt.
    let within = highest + JPEG_NOISE <= limit
        || encoded_peak(&data, width).is_some_and(|peak| peak <= limit);
    within.then_some(data)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::color::{BUNDLED_OUTPUT_PROFILE, Intent};
    use crate::render::images::jpeg::encode_cmyk_jpeg;
    use crate::render::images::press::encode_within_limit;

    #[test]
    fn a_photo_converted_band_by_band_is_the_whole_photo_converted() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("issues/liberte-actus-1719/photos/dune-rgb.jpg");
        let bytes = std::fs::read(&path).unwrap();
        let info = JpegInfo::read(&bytes).unwrap();
        let space = OutputSpace::new(BUNDLED_OUTPUT_PROFILE, Intent::Perceptual);
        // The photo embeds its profile.
        let icc = info.embedded_profile().unwrap();
        let transform = space.photo_transform_from(Some(&icc)).unwrap();
        // The same decoder, whole photo at once, then the same conversion.
        let decoder = mozjpeg::Decompress::new_mem(&bytes).unwrap();
        let rgb: Vec<u8> = decoder.rgb().unwrap().read_scanlines().unwrap();
        let mut cmyk = vec![0u8; rgb.len() / 3 * 4];
        transform.convert(&rgb, &mut cmyk);
        let width = info.size.0 as usize;
        // The photo peaks at 190 %: under 330 % its JPEG is far enough under not to be
        // measured; under 150 % it is measured, and may overshoot.
        for tac in [330.0, 150.0] {
            let limit = ink_limit(tac);
            let streamed = convert_rgb_jpeg(&path, &bytes, &info, 92, &space, tac).unwrap();
            let mut first = cmyk.clone();
            limit_row_ink(&mut first, first_limit(limit));
            let first = encode_cmyk_jpeg(&first, info.size, 92).unwrap();
            match streamed {
                Some((encoded, warnings)) => {
                    assert!(warnings.is_empty());
                    assert!(encoded.jpeg && encoded.inverted && !encoded.gray);
                    assert_eq!(
                        (encoded.pixels, encoded.color.as_str()),
                        (info.size, "RGB (embedded ICC) -> CMYK")
                    );
                    assert!(encoded.data == first, "{tac} %: not the whole photo's bytes");
                    let whole = encode_within_limit(cmyk.clone(), info.size, 92, limit).unwrap();
                    assert!(encoded.data == whole);
                    assert!(encoded_peak(&encoded.data, width).unwrap() <= limit);
                }
                None => {
                    assert!(tac < 330.0, "a photo far under the limit is converted");
                    assert!(encoded_peak(&first, width).unwrap() > limit);
                }
            }
        }
    }

    #[test]
    fn what_libjpeg_refuses_goes_the_whole_image_way() {
        let space = OutputSpace::new(BUNDLED_OUTPUT_PROFILE, Intent::Perceptual);
        let transform = space.photo_transform_from(None).unwrap();
        // Headers only, and headers that claim another size than the frame's.
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("issues/liberte-actus-1719/photos/dune-rgb.jpg");
        let bytes = std::fs::read(path).unwrap();
        assert_eq!(encode(&bytes[..200], (1400, 875), &transform, 92, 841), None);
        assert_eq!(encode(&bytes, (1400, 874), &transform, 92, 841), None);
        assert!(encode(&bytes, (1400, 875), &transform, 92, 841).is_some());
    }
}
