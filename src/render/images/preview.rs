//! Photos for the PNG preview ([`crate::render::png`]): decoded at the smallest scale that
//! still has the pixels the preview shows (a JPEG at 1/2, 1/4 or 1/8 in the inverse DCT, as
//! [`crate::raster`] does for oversized photos), turned as EXIF says, and handed over in the
//! colours they print in: grey as it is, CMYK as its inks, RGB separated with the output
//! profile and held under the ink limit as the PDF carries it. The preview then shows what
//! the press receives, not what the camera saw.
//!
//! Not previewed: a CMYK photo made for another press is shown with its own inks, where the
//! PDF converts them (a small shift in colour, never in position).

use std::io::Cursor;
use std::path::Path;

use image::ImageReader;

use super::ink::{ink_limit, limit_row_ink};
use super::jpeg::JpegInfo;
use super::orient::{orientation_of, reorient, turned_size};
use super::press::resample;
use super::{RenderOptions, decoding_plan};
use crate::color::OutputSpace;
use crate::color::transform::is_rgb_profile;
use crate::raster::{self, Samples};

/// A photo's pixels for the preview, turned as printed.
pub(crate) struct PreviewPhoto {
    /// Width and height, pixels.
    pub size: (u32, u32),
    /// The samples, row by row.
    pub samples: PreviewSamples,
}

/// What the samples of a [`PreviewPhoto`] are.
pub(crate) enum PreviewSamples {
    /// One byte a pixel, 0 black (DeviceGray).
    Gray(Vec<u8>),
    /// Four bytes a pixel: cyan, magenta, yellow and black ink, 255 full ink.
    Inks(Vec<u8>),
}

/// Decodes the photo at `path` for a preview that shows it `target` pixels wide and high
/// (its whole placement, before clipping), and resamples it to that size.
pub(crate) fn decode(
    path: &Path,
    target: (u32, u32),
    space: &OutputSpace,
    options: &RenderOptions,
) -> Result<PreviewPhoto, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("cannot read image: {e}"))?;
    let jpeg = JpegInfo::read(&bytes).filter(|info| info.scan);
    let size = match jpeg.as_ref().map(|info| info.size).filter(|&(w, h)| w > 0 && h > 0) {
        Some(size) => size,
        None => ImageReader::new(Cursor::new(&bytes))
            .with_guessed_format()
            .map_err(|e| format!("cannot read image: {e}"))?
            .into_dimensions()
            .map_err(|e| format!("not a readable image: {e}"))?,
    };
    let orientation = orientation_of(&bytes);
    let turned = turned_size(size, orientation);
    // How many stored pixels stand for one shown pixel, on the tighter side.
    let spare =
        (turned.0 as f32 / target.0.max(1) as f32).min(turned.1 as f32 / target.1.max(1) as f32);
    let wanted = [8, 4, 2].into_iter().find(|&d| spare >= d as f32).unwrap_or(1);
    // The memory budget may ask for a smaller scale still (a 100-megapixel photo).
    let budget = decoding_plan(&bytes, jpeg.as_ref(), size)
        .ok_or_else(|| format!("image is {}x{} pixels, too large to decode", size.0, size.1))?;
    let denominator = wanted.max(budget.denominator);
    let decoded = match &jpeg {
        Some(info) => raster::decode_jpeg(&bytes, denominator, info.adobe),
        None => raster::decode_png(&bytes, denominator),
    }
    .map_err(|why| format!("photo {why}"))?;
    let channels = decoded.kind.channels();
    let (samples, size) = reorient(decoded.samples, decoded.size, channels, orientation);
    let samples = if size == target {
        samples
    } else {
        resample(samples, channels, size, target).ok_or("the photo cannot be resampled")?
    };
    let samples = match decoded.kind {
        Samples::Gray => PreviewSamples::Gray(samples),
        Samples::Inks => PreviewSamples::Inks(samples),
        Samples::Rgb => {
            let icc = jpeg.as_ref().and_then(JpegInfo::embedded_profile);
            // An unusable embedded profile falls back to sRGB, as the PDF's conversion does.
            let transform = icc
                .as_deref()
                .filter(|p| is_rgb_profile(p))
                .and_then(|p| space.transform_from(Some(p)).ok())
                .map_or_else(|| space.transform_from(None), Ok)
                .map_err(|e| format!("cannot convert the photo: {e:?}"))?;
            let mut inks = vec![0u8; samples.len() / 3 * 4];
            transform.convert(&samples, &mut inks);
            limit_row_ink(&mut inks, ink_limit(options.output.tac));
            PreviewSamples::Inks(inks)
        }
    };
    Ok(PreviewPhoto { size: target, samples })
}
