//! Photos too large to decode whole within the memory budget, printed from a decode at a
//! reduced scale ([`crate::raster`]): the plan is the one load proved the photo with, so
//! the pixel size is the one the layout placed. Since the file's own bytes cannot go in,
//! every such photo is stored again: grey losslessly, RGB converted as any RGB photo is,
//! CMYK as the issue stores converted photos (separated again first when it was made for
//! another press).
//!
//! An RGB JPEG with at least twice the pixels its frame needs at the target resolution goes
//! through here too, decoded at the DCT scale just above that size, then resampled to it.
//!
//! Decoding and encoding are two steps so that the file's bytes are let go of in between:
//! at this size they are tens of megabytes of the budget.

use std::io::Cursor;
use std::path::Path;
use std::sync::Arc;

use image::metadata::Orientation;
use image::{DynamicImage, ImageDecoder, ImageReader, RgbImage};

use super::convert::{convert_rgb, separate, separation, store_device_cmyk};
use super::jpeg::JpegInfo;
use super::orient::reorient;
use super::press::resample;
use super::{EncodedImage, compress_rows};
use crate::color::OutputSpace;
use crate::color::transform::CmykTransform;
use crate::diag::Diagnostic;
use crate::raster::{self, Samples, peak_ink};
use crate::render::RenderOptions;

/// A photo decoded at a reduced scale and turned as printed, with what its encoding needs
/// from the file.
pub(super) struct Decoded {
    samples: Vec<u8>,
    size: (u32, u32),
    kind: Samples,
    denominator: u32,
    /// Whether the file was a JPEG (converted RGB goes back to JPEG).
    from_jpeg: bool,
    /// The embedded ICC profile of an RGB photo.
    icc: Option<Vec<u8>>,
    /// The separation again of a CMYK photo made for another press.
    separation: Option<Arc<CmykTransform>>,
}

/// Decodes the photo at `path` (its `bytes`; `jpeg` its JPEG headers, `None` for a PNG) at
/// 1/`denominator` scale and turns it as `orientation` says.
pub(super) fn decode(
    path: &Path,
    bytes: &[u8],
    jpeg: Option<&JpegInfo>,
    orientation: Orientation,
    denominator: u32,
    space: &OutputSpace,
) -> Result<Decoded, Diagnostic> {
    let decoded = match jpeg {
        Some(info) => raster::decode_jpeg(bytes, denominator, info.adobe),
        None => raster::decode_png(bytes, denominator),
    }
    .map_err(|why| Diagnostic::error("image", format!("photo {why}")).in_file(path))?;
    let kind = decoded.kind;
    let icc = match (kind, jpeg) {
        (Samples::Rgb, Some(info)) => info.embedded_profile(),
        (Samples::Rgb, None) => ImageReader::new(Cursor::new(bytes))
            .with_guessed_format()
            .ok()
            .and_then(|reader| reader.into_decoder().ok())
            .and_then(|mut decoder| decoder.icc_profile().ok().flatten()),
        _ => None,
    };
    // A CMYK photo separated for another press (a CMYK profile other than the output's)
    // is separated again, as one decoded whole would be.
    let foreign = jpeg
        .filter(|_| kind == Samples::Inks)
        .filter(|info| !info.icc_chunks.is_empty() && !info.embeds_profile(space.profile()));
    let separation = match foreign {
        Some(info) => separation(path, info, space)?,
        None => None,
    };
    let (samples, size) = reorient(decoded.samples, decoded.size, kind.channels(), orientation);
    Ok(Decoded { samples, size, kind, denominator, from_jpeg: jpeg.is_some(), icc, separation })
}

/// Encodes a photo decoded at a reduced scale for the PDF; returns it with the warnings it
/// raised.
///
/// `resampled` is the size the photo prints at its target resolution, when it is over the
/// resolution limit even so reduced (or was decoded at the scale just above that size):
/// it is then resampled to that size first.
pub(super) fn encode(
    path: &Path,
    decoded: Decoded,
    resampled: Option<(u32, u32)>,
    space: &OutputSpace,
    options: &RenderOptions,
) -> Result<(EncodedImage, Vec<Diagnostic>), Diagnostic> {
    let Decoded { mut samples, mut size, kind, denominator, from_jpeg, icc, separation } = decoded;
    let channels = match kind {
        Samples::Gray => 1,
        Samples::Rgb => 3,
        Samples::Inks => 4,
    };
    // Only ever down, and not to the size it has.
    let resampled =
        resampled.filter(|&target| target.0 <= size.0 && target.1 <= size.1 && target != size);
    if let Some(target) = resampled {
        samples = resample(samples, channels, size, target).ok_or_else(|| {
            Diagnostic::error("image", "photo decodes to fewer samples than its size").in_file(path)
        })?;
        size = target;
    }
    let (mut encoded, warnings) = match (kind, separation) {
        (Samples::Gray, _) => {
            let row = size.0 as usize;
            let data = compress_rows(&samples, row, row, |source, out| out.copy_from_slice(source));
            (EncodedImage::new(data, false, true, size, "Gray".into()), Vec::new())
        }
        (Samples::Rgb, _) => {
            let image = RgbImage::from_raw(size.0, size.1, samples)
                .map(DynamicImage::ImageRgb8)
                .ok_or_else(|| {
                    Diagnostic::error("image", "photo decodes to fewer samples than its size")
                        .in_file(path)
                })?;
            convert_rgb(path, &image, icc.as_deref(), from_jpeg, space, options)?
        }
        (Samples::Inks, Some(transform)) => separate(path, &transform, &samples, size, options),
        (Samples::Inks, None) => {
            let peak = peak_ink(&samples, size.0 as usize);
            store_device_cmyk(path, samples, size, peak, "CMYK".into(), options)
        }
    };
    // The report says how the photo went in: at which scale, too.
    encoded.color.push_str(&format!(", decoded at 1/{denominator} scale"));
    if resampled.is_some() {
        encoded.color.push_str(", resampled");
    }
    Ok((encoded, warnings))
}
