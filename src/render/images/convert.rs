//! Colour conversion of photos: RGB photos, and CMYK photos separated for another press,
//! into the output CMYK space through the shared Little CMS path ([`crate::color::transform`]),
//! held under the ink limit and stored as a CMYK JPEG or losslessly.

use std::borrow::Cow;
use std::io::Cursor;
use std::path::Path;

use image::DynamicImage;

use super::ink::{ink_limit, limit_row_ink};
use super::jpeg::{JpegInfo, encode_cmyk_jpeg, ycck_to_inks};
use super::{EncodedImage, compress_rows};
use crate::color::transform::{
    CmykTransform, OutputSpace, Unusable, is_cmyk_profile, is_rgb_profile,
};
use crate::diag::Diagnostic;
use crate::model::PhotoEncoding;
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
    let mut warnings = Vec::new();
    // A broken embedded profile should not stop the issue: sRGB is what a camera or a
    // browser would have assumed anyway; say so. A CMYK or grey profile on an RGB decode is
    // a mismatch: sRGB too.
    let mut conversion = None;
    if let Some(icc) = embedded_icc.filter(|p| is_rgb_profile(p)) {
        match space.transform_from(Some(icc)) {
            Ok(transform) => conversion = Some((transform, "embedded ICC")),
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
    let (transform, source_name) = match conversion {
        Some(found) => found,
        None => (space.transform_from(None).map_err(|e| unusable(e, path))?, "sRGB assumed"),
    };

    let rgb = match image {
        DynamicImage::ImageRgb8(buffer) => Cow::Borrowed(buffer.as_raw()),
        _ => Cow::Owned(flatten_rgb(image)),
    };
    let limit = ink_limit(options.output.tac);
    let mut memo = ColourMemo::new();
    let convert_row = |source: &[u8], cmyk: &mut [u8]| {
        memo.convert(&transform, source, cmyk);
        limit_row_ink(cmyk, limit);
    };
    let color = format!("RGB ({source_name}) -> CMYK");
    // A photo that came as a JPEG goes back to JPEG: it was lossy already, and lossless
    // CMYK samples are ten times the size (2.3 MB against 0.2 MB for the example's photo)
    // and take longer to compress than to encode. Anything else (PNG: charts, logos,
    // screenshots, whose sharp edges JPEG would blur) stays lossless.
    let quality = jpeg_quality(options).filter(|_| from_jpeg);
    let (width, height) = (image.width(), image.height());
    let encoded = store_converted(&rgb, 3, (width, height), color, quality, convert_row);
    Ok((encoded, warnings))
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
/// row by `convert_row`) as a CMYK JPEG at `quality`, or losslessly when `quality` is `None`
/// or the image cannot be a JPEG.
pub(super) fn store_converted(
    source: &[u8],
    channels: usize,
    (width, height): (u32, u32),
    color: String,
    quality: Option<u8>,
    mut convert_row: impl FnMut(&[u8], &mut [u8]),
) -> EncodedImage {
    if let Some(quality) = quality
        && let Some(data) =
            encode_cmyk_jpeg(source, channels, (width, height), quality, &mut convert_row)
    {
        let mut encoded = EncodedImage::new(data, true, false, (width, height), color);
        encoded.inverted = true;
        return encoded;
    }
    let row = width as usize;
    let data = compress_rows(source, row * channels, row * 4, convert_row);
    EncodedImage::new(data, false, false, (width, height), color)
}

/// Converts a CMYK JPEG separated for another printing condition (`info` says it embeds a
/// CMYK profile other than the output profile) to the output condition, held under the ink
/// limit and stored as the issue asks (JPEG or lossless), with a warning: the photo desk
/// should export for the paper's profile. `None` (keep the file as it is) when the embedded
/// profile is not a usable CMYK profile.
pub(super) fn convert_cmyk(
    path: &Path,
    bytes: &[u8],
    info: &JpegInfo,
    orientation: image::metadata::Orientation,
    space: &OutputSpace,
    options: &RenderOptions,
) -> Result<Option<(EncodedImage, Vec<Diagnostic>)>, Diagnostic> {
    let fail = |why: String| Diagnostic::error("image", why).in_file(path);
    let Some(transform) = separation(path, info, space)? else {
        return Ok(None);
    };
    // The decoder hands YCCK over as it is stored; the inks are worked out below.
    let stored = if info.ycck {
        zune_core::colorspace::ColorSpace::YCCK
    } else {
        zune_core::colorspace::ColorSpace::CMYK
    };
    let decoder_options =
        zune_core::options::DecoderOptions::default().jpeg_set_out_colorspace(stored);
    let mut decoder = zune_jpeg::JpegDecoder::new_with_options(Cursor::new(bytes), decoder_options);
    let mut samples = decoder.decode().map_err(|e| fail(format!("corrupt image: {e:?}")))?;
    let (width, height) = info.size;
    if samples.len() != width as usize * height as usize * 4 {
        return Err(fail("the JPEG decodes to another size than its header says".into()));
    }
    if info.ycck {
        samples.chunks_exact_mut(4).for_each(ycck_to_inks);
    } else if info.adobe {
        // Stored inverted, Adobe-style: back to ink amounts.
        samples.iter_mut().for_each(|v| *v = 255 - *v);
    }
    let (samples, size) = super::orient::reorient(samples, (width, height), 4, orientation);
    Ok(Some(separate(path, &transform, &samples, size, options)))
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
    (width, height): (u32, u32),
    options: &RenderOptions,
) -> (EncodedImage, Vec<Diagnostic>) {
    let limit = ink_limit(options.output.tac);
    let convert_row = |source: &[u8], cmyk: &mut [u8]| {
        transform.convert(source, cmyk);
        limit_row_ink(cmyk, limit);
    };
    let color = "CMYK (embedded ICC) -> CMYK".to_string();
    let warning = Diagnostic::warning(
        "photo-profile",
        format!(
            "photo {} is separated for another printing condition (its embedded CMYK profile is \
             not the output profile); converted to the output condition and held under {} %",
            path.display(),
            options.output.tac
        ),
    )
    .in_file(path)
    .hint("export CMYK photos with the paper's output profile and they go in as they are");
    let quality = jpeg_quality(options);
    let encoded = store_converted(samples, 4, (width, height), color, quality, convert_row);
    (encoded, vec![warning])
}

/// Slots in a [`ColourMemo`] (a power of two): 512 KB of table per photo being converted.
const MEMO_SLOTS: usize = 1 << 16;

/// Recently converted colours. A photo repeats its colours (the 1400x875 example photo has
/// 207,000 distinct ones in 1.2 million pixels, mostly near each other), and looking one up
/// costs a fraction of Little CMS's interpolation; the misses of a row are converted in one
/// call. The transform is a pure function of the colour, so the result is exactly what
/// converting every pixel gives. On the example photo conversion takes 14 ms instead of
/// 23 ms; on pure noise, where nothing repeats, 30 ms instead of 26.
pub(super) struct ColourMemo {
    /// `r << 16 | g << 8 | b` per slot, or `u32::MAX` (no 24-bit colour) when empty.
    keys: Vec<u32>,
    /// The CMYK of the colour in the same slot.
    values: Vec<[u8; 4]>,
    /// This row's misses: source pixels, their CMYK, and their positions in the row.
    missed: Vec<u8>,
    converted: Vec<u8>,
    pub(super) positions: Vec<usize>,
}

impl ColourMemo {
    pub(super) fn new() -> Self {
        Self {
            keys: vec![u32::MAX; MEMO_SLOTS],
            values: vec![[0; 4]; MEMO_SLOTS],
            missed: Vec::new(),
            converted: Vec::new(),
            positions: Vec::new(),
        }
    }

    /// Converts one row of RGB (`source`) into CMYK (`cmyk`).
    pub(super) fn convert(&mut self, transform: &CmykTransform, source: &[u8], cmyk: &mut [u8]) {
        let slot_of = |key: u32| (key.wrapping_mul(0x9E37_79B1) >> 16) as usize % MEMO_SLOTS;
        self.missed.clear();
        self.positions.clear();
        for (i, (rgb, out)) in source.chunks_exact(3).zip(cmyk.chunks_exact_mut(4)).enumerate() {
            let key = u32::from(rgb[0]) << 16 | u32::from(rgb[1]) << 8 | u32::from(rgb[2]);
            let slot = slot_of(key);
            if self.keys[slot] == key {
                out.copy_from_slice(&self.values[slot]);
            } else {
                self.missed.extend_from_slice(rgb);
                self.positions.push(i);
            }
        }
        if self.positions.is_empty() {
            return;
        }
        self.converted.resize(self.positions.len() * 4, 0);
        transform.convert(&self.missed, &mut self.converted);
        let found = self.missed.chunks_exact(3).zip(self.converted.chunks_exact(4));
        for ((rgb, value), &i) in found.zip(&self.positions) {
            cmyk[i * 4..i * 4 + 4].copy_from_slice(value);
            let key = u32::from(rgb[0]) << 16 | u32::from(rgb[1]) << 8 | u32::from(rgb[2]);
            let slot = slot_of(key);
            self.keys[slot] = key;
            self.values[slot].copy_from_slice(value);
        }
    }
}

/// Composites any alpha over white; returns 8-bit RGB samples.
fn flatten_rgb(image: &DynamicImage) -> Vec<u8> {
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
