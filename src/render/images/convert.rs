//! Colour conversion of photos: RGB photos, and CMYK photos separated for another press,
//! into the output CMYK space through the shared Little CMS path ([`crate::color::transform`]),
//! held under the ink limit and stored as a CMYK JPEG or losslessly.

use std::borrow::Cow;
use std::path::Path;
use std::sync::Arc;

use image::DynamicImage;
use image::metadata::Orientation;

use super::ink::{ink_limit, limit_row_ink};
use super::jpeg::JpegInfo;
use super::orient::reorient;
use super::press::{decode_cmyk, decode_gray, encode_gray_jpeg, encode_within_limit, resample};
use super::{EncodedImage, compress_rows};
use crate::color::transform::{
    CmykTransform, OutputSpace, Unusable, is_cmyk_profile, is_rgb_profile,
};
use crate::diag::Diagnostic;
use crate::model::PhotoEncoding;
use crate::raster::peak_ink;
use crate::render::RenderOptions;

/// Converts a decoded RGB photo from its embedded profile (`embedded_icc`; sRGB if it has
/// none, or an unusable one, with a warning) to the output space, held under the ink limit.
/// A photo that came as a JPEG (`from_jpeg`) goes back to JPEG unless the issue asks for
/// lossless; returns it with the warnings it raised.
pub(super) fn convert_rgb(
    path: &Path,
    image: &DynamicImage,
    embedded_icc: Option<&[u8]>,
    from_jpeg: bool,
    space: &OutputSpace,
    options: &RenderOptions,
) -> Result<(EncodedImage, Vec<Diagnostic>), Diagnostic> {
    let (transform, source_name, warnings) = rgb_conversion(path, embedded_icc, space)?;
    let rgb = match image {
        DynamicImage::ImageRgb8(buffer) => Cow::Borrowed(buffer.as_raw()),
        _ => Cow::Owned(flatten_rgb(image)),
    };
    let limit = ink_limit(options.output.tac);
    let convert_row = |source: &[u8], cmyk: &mut [u8]| transform.convert(source, cmyk);
    let color = rgb_color(source_name);
    // A photo that came as a JPEG goes back to JPEG: it was lossy already, and lossless
    // CMYK samples are ten times the size (2.3 MB against 0.2 MB for the example's photo)
    // and take longer to compress than to encode. Anything else (PNG: charts, logos,
    // screenshots, whose sharp edges JPEG would blur) stays lossless.
    let quality = jpeg_quality(options).filter(|_| from_jpeg);
    let (width, height) = (image.width(), image.height());
    let encoded = store_converted(&rgb, 3, (width, height), color, quality, limit, convert_row);
    Ok((encoded, warnings))
}

/// The conversion of an RGB photo from its embedded profile (`embedded_icc`; sRGB if it has
/// none, or an unusable one, with a warning) to the output space, with the name of its
/// source for the report and the warnings it raised.
pub(super) fn rgb_conversion(
    path: &Path,
    embedded_icc: Option<&[u8]>,
    space: &OutputSpace,
) -> Result<(Arc<CmykTransform>, &'static str, Vec<Diagnostic>), Diagnostic> {
    let mut warnings = Vec::new();
    // A broken embedded profile should not stop the issue: sRGB is what a camera or a
    // browser would have assumed anyway; say so. A CMYK or grey profile on an RGB decode is
    // a mismatch: sRGB too.
    if let Some(icc) = embedded_icc.filter(|p| is_rgb_profile(p)) {
        match space.photo_transform_from(Some(icc)) {
            Ok(transform) => return Ok((transform, "embedded ICC", warnings)),
            Err(Unusable::Source(e)) => warnings.push(
                Diagnostic::warning(
                    "image-profile",
                    format!("unusable embedded ICC profile ({e}); converted as sRGB"),
                )
                .in_file(path),
            ),
            Err(other) => return Err(unusable(other, path)),
        }
    }
    let transform = space.photo_transform_from(None).map_err(|e| unusable(e, path))?;
    Ok((transform, "sRGB assumed", warnings))
}

/// What the report says of an RGB photo converted from `source_name`.
pub(super) fn rgb_color(source_name: &str) -> String {
    format!("RGB ({source_name}) -> CMYK")
}

/// The error a conversion that cannot be built is, for the photo at `path`.
fn unusable(why: Unusable, path: &Path) -> Diagnostic {
    match why {
        Unusable::Output(e) => Diagnostic::error("icc-profile", format!("bad output profile: {e}")),
        Unusable::Source(e) | Unusable::Build(e) => {
            Diagnostic::error("image", format!("cannot build the colour conversion: {e}"))
                .in_file(path)
        }
    }
}

/// The JPEG quality converted photos are stored at; `None` for lossless.
pub(super) fn jpeg_quality(options: &RenderOptions) -> Option<u8> {
    match options.output.photo_encoding {
        PhotoEncoding::Jpeg(quality) => Some(quality),
        PhotoEncoding::Lossless => None,
    }
}

/// Stores a converted photo (`source` of `channels` samples a pixel, turned into CMYK row by
/// row by `convert_row`) under the ink `limit`, as a CMYK JPEG at `quality`, or losslessly
/// when `quality` is `None` or the image cannot be a JPEG held under the limit.
fn store_converted(
    source: &[u8],
    channels: usize,
    (width, height): (u32, u32),
    color: String,
    quality: Option<u8>,
    limit: u32,
    mut convert_row: impl FnMut(&[u8], &mut [u8]),
) -> EncodedImage {
    let row = width as usize;
    if quality.is_some() {
        let mut cmyk = vec![0u8; row * height as usize * 4];
        if row > 0 {
            let rows = source.chunks_exact(row * channels).zip(cmyk.chunks_exact_mut(row * 4));
            rows.for_each(|(source, out)| convert_row(source, out));
        }
        return store_cmyk(cmyk, (width, height), color, quality, limit);
    }
    let data = compress_rows(source, row * channels, row * 4, |source, out| {
        convert_row(source, out);
        limit_row_ink(out, limit);
    });
    EncodedImage::new(data, false, false, (width, height), color)
}

/// Stores ink amounts under the ink `limit`, as a CMYK JPEG at `quality` that preflight
/// measures within the limit ([`encode_within_limit`]), else losslessly.
fn store_cmyk(
    mut cmyk: Vec<u8>,
    (width, height): (u32, u32),
    color: String,
    quality: Option<u8>,
    limit: u32,
) -> EncodedImage {
    if let Some(quality) = quality {
        match encode_within_limit(cmyk, (width, height), quality, limit) {
            Ok(data) => {
                let mut encoded = EncodedImage::new(data, true, false, (width, height), color);
                encoded.inverted = true;
                return encoded;
            }
            Err(limited) => cmyk = limited,
        }
    }
    let row = width as usize * 4;
    let data = compress_rows(&cmyk, row, row, |source, out| {
        out.copy_from_slice(source);
        limit_row_ink(out, limit);
    });
    EncodedImage::new(data, false, false, (width, height), color)
}

/// A CMYK or greyscale JPEG that the press could take as it is, unless it is over the
/// resolution limit (`resampled` is then its new size) or, for CMYK, over the ink limit as
/// preflight measures it. `None`: embed it as it is. Otherwise it is decoded, resampled
/// and held under the limit, and stored as the issue asks (JPEG or lossless), with a
/// warning naming the photo and its measured maximum when it was over.
///
/// A greyscale photo is never over: black ink alone is at most 100 %, and the limit is at
/// least that. A CMYK photo whose peak ink load measured on these bytes (`measured`) is
/// within the limit is not decoded again to be judged.
pub(super) fn prepare_device_jpeg(
    path: &Path,
    bytes: &[u8],
    info: &JpegInfo,
    orientation: Orientation,
    resampled: Option<(u32, u32)>,
    options: &RenderOptions,
    measured: Option<u32>,
) -> Result<Option<(EncodedImage, Vec<Diagnostic>)>, Diagnostic> {
    let fail = |why: String| Diagnostic::error("image", why).in_file(path);
    let quality = jpeg_quality(options);
    let turned = orientation != Orientation::NoTransforms;
    if info.components == 1 {
        if resampled.is_none() && !turned {
            return Ok(None);
        }
        let gray = decode_gray(bytes, info).map_err(fail)?;
        let (gray, size) = turn_and_resample(gray, 1, info.size, orientation, resampled)
            .ok_or_else(|| fail(RESAMPLE.into()))?;
        let color = format!("Gray{}", changes(orientation, resampled));
        if let Some(data) = quality.and_then(|q| encode_gray_jpeg(&gray, size, q)) {
            return Ok(Some((EncodedImage::new(data, true, true, size, color), Vec::new())));
        }
        let row = size.0 as usize;
        let data = compress_rows(&gray, row, row, |source, out| out.copy_from_slice(source));
        return Ok(Some((EncodedImage::new(data, false, true, size, color), Vec::new())));
    }
    let limit = ink_limit(options.output.tac);
    if resampled.is_none() && !turned && measured.is_some_and(|peak| peak <= limit) {
        return Ok(None);
    }
    let cmyk = decode_cmyk(bytes, info).map_err(fail)?;
    let (cmyk, size) = turn_and_resample(cmyk, 4, info.size, orientation, resampled)
        .ok_or_else(|| fail(RESAMPLE.into()))?;
    let peak = peak_ink(&cmyk, size.0 as usize);
    if resampled.is_none() && !turned && peak <= limit {
        return Ok(None);
    }
    let color = format!("CMYK{}", changes(orientation, resampled));
    Ok(Some(store_device_cmyk(path, cmyk, size, peak, color, options)))
}

/// Turns decoded samples as the photo's EXIF orientation says, then resamples them to
/// `resampled` (a size as printed, so after turning) if it is given; `None` when the
/// samples do not fill the `size` the header gave.
fn turn_and_resample(
    samples: Vec<u8>,
    channels: usize,
    size: (u32, u32),
    orientation: Orientation,
    resampled: Option<(u32, u32)>,
) -> Option<(Vec<u8>, (u32, u32))> {
    if samples.len() != size.0 as usize * size.1 as usize * channels {
        return None;
    }
    let (samples, size) = reorient(samples, size, channels, orientation);
    match resampled {
        Some(new_size) => Some((resample(samples, channels, size, new_size)?, new_size)),
        None => Some((samples, size)),
    }
}

/// What the report's colour adds for a photo turned or resampled on the way in.
fn changes(orientation: Orientation, resampled: Option<(u32, u32)>) -> &'static str {
    match (orientation != Orientation::NoTransforms, resampled.is_some()) {
        (true, true) => ", turned, resampled",
        (true, false) => ", turned",
        (false, true) => ", resampled",
        (false, false) => "",
    }
}

/// Why a resampling failed: the decoded samples do not fill the size the header gave.
const RESAMPLE: &str = "the decoded photo does not have the size its header says";

/// Converts a CMYK JPEG separated for another printing condition (`info` says it embeds a
/// CMYK profile other than the output profile) to the output condition, turned and
/// resampled as [`prepare_device_jpeg`] does, held under the ink limit and stored as the
/// issue asks (JPEG or lossless), with a warning: the photo desk should export for the
/// paper's profile. `None` (keep the file as it is) when the embedded profile is not a
/// usable CMYK profile.
pub(super) fn convert_cmyk(
    path: &Path,
    bytes: &[u8],
    info: &JpegInfo,
    orientation: Orientation,
    resampled: Option<(u32, u32)>,
    space: &OutputSpace,
    options: &RenderOptions,
) -> Result<Option<(EncodedImage, Vec<Diagnostic>)>, Diagnostic> {
    let fail = |why: String| Diagnostic::error("image", why).in_file(path);
    let Some(transform) = separation(path, info, space)? else {
        return Ok(None);
    };
    let samples = decode_cmyk(bytes, info).map_err(fail)?;
    let (samples, size) = turn_and_resample(samples, 4, info.size, orientation, resampled)
        .ok_or_else(|| fail(RESAMPLE.into()))?;
    let (mut encoded, warnings) = separate(path, &transform, &samples, size, options);
    encoded.color.push_str(changes(orientation, resampled));
    Ok(Some((encoded, warnings)))
}

/// The conversion of a CMYK JPEG's embedded profile (`info`) to the output space; `None`
/// when it embeds no usable CMYK profile (the photo is then taken as made for the output
/// condition).
pub(super) fn separation(
    path: &Path,
    info: &JpegInfo,
    space: &OutputSpace,
) -> Result<Option<std::sync::Arc<CmykTransform>>, Diagnostic> {
    let Some(icc) = info.embedded_profile().filter(|icc| is_cmyk_profile(icc)) else {
        return Ok(None);
    };
    match space.transform_from(Some(&icc)) {
        Ok(transform) => Ok(Some(transform)),
        Err(Unusable::Source(_)) => Ok(None),
        Err(other) => Err(unusable(other, path)),
    }
}

/// Separates ink amounts (`samples`, as printed) made for another printing condition again
/// for the output condition with `transform`, held under the ink limit and stored as the
/// issue asks, with the warning that says so.
pub(super) fn separate(
    path: &Path,
    transform: &CmykTransform,
    samples: &[u8],
    size: (u32, u32),
    options: &RenderOptions,
) -> (EncodedImage, Vec<Diagnostic>) {
    let limit = ink_limit(options.output.tac);
    let convert_row = |source: &[u8], cmyk: &mut [u8]| transform.convert(source, cmyk);
    let color = "CMYK (embedded ICC) -> CMYK".to_string();
    let warning = Diagnostic::warning(
        "photo-profile",
        format!(
            "photo {} is separated for another printing condition (its embedded CMYK profile \
             describes another press than the output profile); converted to the output \
             condition and held under {} %",
            path.display(),
            options.output.tac
        ),
    )
    .in_file(path)
    .hint("export CMYK photos with the paper's output profile and they go in as they are");
    let quality = jpeg_quality(options);
    let encoded = store_converted(samples, 4, size, color, quality, limit, convert_row);
    (encoded, vec![warning])
}

/// Stores ink amounts made for the output condition (`cmyk`, untagged or tagged with the
/// output profile; `peak` its total ink as [`peak_ink`] measures it) as the issue asks, held
/// under the ink limit; warns, naming the photo and its measured maximum, when it was over.
pub(super) fn store_device_cmyk(
    path: &Path,
    cmyk: Vec<u8>,
    size: (u32, u32),
    peak: u32,
    mut color: String,
    options: &RenderOptions,
) -> (EncodedImage, Vec<Diagnostic>) {
    let limit = ink_limit(options.output.tac);
    let mut warnings = Vec::new();
    if peak > limit {
        color.push_str(", ink-limited");
        let percent = (peak as f32 * 100.0 / 255.0).round();
        warnings.push(
            Diagnostic::warning(
                "ink-limit",
                format!(
                    "photo {} reaches {percent:.0} % total ink, over the limit of {} % \
                     (`output.tac`); its ink is held under the limit",
                    path.display(),
                    options.output.tac
                ),
            )
            .in_file(path)
            .hint("separate the photo for the paper's output profile, which keeps within its ink limit"),
        );
    }
    (store_cmyk(cmyk, size, color, jpeg_quality(options), limit), warnings)
}

/// Composites any alpha over white; returns 8-bit RGB samples.
pub(super) fn flatten_rgb(image: &DynamicImage) -> Vec<u8> {
    let rgba = image.to_rgba8();
    rgba.pixels()
        .flat_map(|p| {
            let [r, g, b, a] = p.0;
            [over_white(r, a), over_white(g, a), over_white(b, a)]
        })
        .collect()
}

/// Composites any alpha over white; returns 8-bit grey samples in DeviceGray sense
/// (0 = black).
pub(super) fn flatten_gray(image: &DynamicImage) -> Vec<u8> {
    let la = image.to_luma_alpha8();
    la.pixels().map(|p| over_white(p.0[0], p.0[1])).collect()
}

/// One channel of a colour composited over white paper.
pub(super) fn over_white(value: u8, alpha: u8) -> u8 {
    let v = u32::from(value) * u32::from(alpha) + 255 * (255 - u32::from(alpha));
    ((v + 127) / 255) as u8
}
