//! Photos in the PDF: pass-through of print-ready JPEGs, conversion of everything else to
//! the output CMYK space, and the resolution each placement ends up with.
//!
//! CMYK and greyscale JPEGs are embedded byte for byte (DCTDecode): recompressing would add
//! a second generation of JPEG artefacts for nothing. RGB is not allowed in PDF/X-1a and is
//! not wanted in our PDF/X-4 (the printer would convert it with unknown settings), so RGB
//! photos are converted here with Little CMS, from their embedded profile (sRGB if none) to
//! the output profile, with the chosen intent, then held under the total ink limit.

use std::collections::BTreeMap;
use std::io::Cursor;
use std::path::{Path, PathBuf};

use image::{DynamicImage, ImageDecoder, ImageReader};
use lcms2::{Flags, PixelFormat, Profile, Transform};
use pdf_writer::{Filter, Name, Pdf, Ref};

use super::{ByPath, Refs, RenderOptions, deflate};
use crate::diag::Diagnostic;
use crate::geom::Rect;
use crate::load::model::Intent;

/// The distinct image files of a document, in first-use order.
#[derive(Debug, Default)]
pub(crate) struct ImageSet {
    paths: Vec<PathBuf>,
    seen: BTreeMap<PathBuf, usize>,
}

/// An image written as an XObject.
#[derive(Debug)]
pub(crate) struct ImageObject {
    /// The XObject.
    pub id: Ref,
    /// Resource name, e.g. `Im0`.
    pub resource_name: String,
    /// Pixel size.
    pub pixels: (u32, u32),
    /// Whether the file's bytes went in unchanged.
    pub passthrough: bool,
    /// How the colour was handled.
    pub color: String,
}

impl ImageSet {
    /// Records a use of `path` (each file is decoded once, however often it is placed).
    pub(crate) fn add(&mut self, path: &Path) {
        if !self.seen.contains_key(path) {
            self.seen.insert(path.to_path_buf(), self.paths.len());
            self.paths.push(path.to_path_buf());
        }
    }

    /// Prepares and writes every image.
    pub(crate) fn write(
        &self,
        pdf: &mut Pdf,
        refs: &mut Refs,
        output_profile: &[u8],
        options: &RenderOptions,
        warnings: &mut Vec<Diagnostic>,
    ) -> Result<ByPath<ImageObject>, Diagnostic> {
        let mut out = BTreeMap::new();
        for (index, path) in self.paths.iter().enumerate() {
            let prepared = prepare(path, output_profile, options, warnings)?;
            let id = refs.next();
            let (width, height) = prepared.pixels;
            let space = if prepared.gray { Name(b"DeviceGray") } else { Name(b"DeviceCMYK") };
            let mut xobject = pdf.image_xobject(id, &prepared.data);
            xobject.filter(if prepared.jpeg { Filter::DctDecode } else { Filter::FlateDecode });
            xobject
                .width(width as i32)
                .height(height as i32)
                .color_space_name(space)
                .bits_per_component(8);
            if prepared.inverted {
                xobject.decode([1.0, 0.0, 1.0, 0.0, 1.0, 0.0, 1.0, 0.0]);
            }
            out.insert(
                path.clone(),
                ImageObject {
                    id,
                    resource_name: format!("Im{index}"),
                    pixels: prepared.pixels,
                    passthrough: prepared.jpeg,
                    color: prepared.color,
                },
            );
        }
        Ok(out)
    }
}

/// Effective resolution of `pixels` placed at `placement`: the lower of the two axes.
pub(crate) fn effective_ppi(pixels: (u32, u32), placement: &Rect) -> f32 {
    if placement.width <= 0.0 || placement.height <= 0.0 {
        return 0.0;
    }
    let x = pixels.0 as f32 / (placement.width / 72.0);
    let y = pixels.1 as f32 / (placement.height / 72.0);
    x.min(y)
}

/// An image ready to write.
struct Prepared {
    /// Stream body: the JPEG file, or deflated 8-bit samples.
    data: Vec<u8>,
    /// Whether `data` is the JPEG file.
    jpeg: bool,
    /// DeviceGray rather than DeviceCMYK.
    gray: bool,
    /// Adobe-style inverted CMYK (needs `/Decode [1 0 1 0 1 0 1 0]`).
    inverted: bool,
    pixels: (u32, u32),
    color: String,
}

/// What the JPEG headers say.
#[derive(Debug, Default, PartialEq)]
struct JpegInfo {
    /// Baseline, extended or progressive Huffman at 8 bits: what DCTDecode reads.
    pdf_compatible: bool,
    /// Colour components.
    components: u8,
    /// An APP14 "Adobe" segment is present.
    adobe: bool,
    /// The ICC profile from APP2 segments, reassembled.
    icc: Option<Vec<u8>>,
}

/// Reads the JPEG markers up to the first scan.
fn jpeg_info(data: &[u8]) -> Option<JpegInfo> {
    if !data.starts_with(&[0xFF, 0xD8]) {
        return None;
    }
    let mut info = JpegInfo::default();
    let mut icc_chunks: BTreeMap<u8, &[u8]> = BTreeMap::new();
    let mut pos = 2;
    while pos + 4 <= data.len() {
        if data[pos] != 0xFF {
            return None;
        }
        let marker = data[pos + 1];
        if marker == 0xFF {
            pos += 1; // Fill byte.
            continue;
        }
        if (0xD0..=0xD7).contains(&marker) || marker == 0x01 {
            pos += 2;
            continue;
        }
        let length = usize::from(u16::from_be_bytes([data[pos + 2], data[pos + 3]]));
        let segment = data.get(pos + 4..pos + 2 + length)?;
        match marker {
            0xE2 if segment.starts_with(b"ICC_PROFILE\0") && segment.len() > 14 => {
                icc_chunks.insert(segment[12], &segment[14..]);
            }
            0xEE if segment.starts_with(b"Adobe") => info.adobe = true,
            0xC0..=0xCF if !matches!(marker, 0xC4 | 0xC8 | 0xCC) => {
                let precision = *segment.first()?;
                info.components = *segment.get(5)?;
                info.pdf_compatible = matches!(marker, 0xC0..=0xC2) && precision == 8;
            }
            0xDA => break,
            _ => {}
        }
        pos += 2 + length;
    }
    if !icc_chunks.is_empty() {
        info.icc = Some(icc_chunks.values().flat_map(|c| c.iter().copied()).collect());
    }
    Some(info)
}

/// Reads, checks and converts one image file.
fn prepare(
    path: &Path,
    output_profile: &[u8],
    options: &RenderOptions,
    warnings: &mut Vec<Diagnostic>,
) -> Result<Prepared, Diagnostic> {
    let fail = |why: String| Diagnostic::error("image", why).in_file(path);
    let bytes = std::fs::read(path).map_err(|e| fail(format!("cannot read image: {e}")))?;
    let reader = ImageReader::new(Cursor::new(&bytes))
        .with_guessed_format()
        .map_err(|e| fail(format!("cannot read image: {e}")))?;
    let (width, height) =
        reader.into_dimensions().map_err(|e| fail(format!("not a readable image: {e}")))?;
    let pixels = u64::from(width) * u64::from(height);
    if pixels > options.max_pixels {
        return Err(fail(format!(
            "image is {width}x{height} pixels, over the limit of {} megapixels",
            options.max_pixels / 1_000_000
        ))
        .hint("scale the photo down to about 200 ppi at its printed size"));
    }

    let jpeg = jpeg_info(&bytes);
    if let Some(info) = &jpeg {
        if info.pdf_compatible && matches!(info.components, 1 | 4) {
            let gray = info.components == 1;
            // Photoshop writes CMYK JPEGs with inverted samples and flags them with the APP14
            // Adobe marker; a Decode array flips them back.
            let inverted = info.components == 4 && info.adobe;
            return Ok(Prepared {
                data: bytes,
                jpeg: true,
                gray,
                inverted,
                pixels: (width, height),
                color: if gray { "Gray".into() } else { "CMYK".into() },
            });
        }
    }

    let mut decoder = ImageReader::new(Cursor::new(&bytes))
        .with_guessed_format()
        .map_err(|e| fail(format!("cannot read image: {e}")))?
        .into_decoder()
        .map_err(|e| fail(format!("cannot decode image: {e}")))?;
    let embedded_icc = match &jpeg {
        Some(info) => info.icc.clone(),
        None => decoder.icc_profile().ok().flatten(),
    };
    let image =
        DynamicImage::from_decoder(decoder).map_err(|e| fail(format!("corrupt image: {e}")))?;
    let has_color = image.color().has_color();

    if !has_color {
        // Greyscale stays grey (black ink only); transparency is flattened on paper white.
        let gray = flatten_gray(&image);
        return Ok(Prepared {
            data: deflate(&gray),
            jpeg: false,
            gray: true,
            inverted: false,
            pixels: (width, height),
            color: "Gray".into(),
        });
    }

    let rgb = flatten_rgb(&image);
    // A broken embedded profile should not stop the issue: sRGB is what a camera or a
    // browser would have assumed anyway; say so.
    let embedded = embedded_icc.as_deref().filter(|p| is_rgb_profile(p)).and_then(|icc| {
        Profile::new_icc(icc)
            .map_err(|e| {
                warnings.push(
                    Diagnostic::warning(
                        "image-profile",
                        format!("unusable embedded ICC profile ({e}); converted as sRGB"),
                    )
                    .in_file(path),
                );
            })
            .ok()
    });
    let (source, source_name) = match embedded {
        Some(profile) => (profile, "embedded ICC"),
        None => (Profile::new_srgb(), "sRGB assumed"),
    };
    let output = Profile::new_icc(output_profile)
        .map_err(|e| Diagnostic::error("icc-profile", format!("bad output profile: {e}")))?;
    let (intent, flags) = match options.intent {
        Intent::RelativeColorimetric => {
            (lcms2::Intent::RelativeColorimetric, Flags::BLACKPOINT_COMPENSATION)
        }
        Intent::Perceptual => (lcms2::Intent::Perceptual, Flags::default()),
    };
    let transform: Transform<[u8; 3], [u8; 4]> = Transform::new_flags(
        &source,
        PixelFormat::RGB_8,
        &output,
        PixelFormat::CMYK_8,
        intent,
        flags,
    )
    .map_err(|e| fail(format!("cannot build the colour conversion: {e}")))?;
    let mut cmyk = vec![[0u8; 4]; rgb.len()];
    transform.transform_pixels(&rgb, &mut cmyk);
    let limit = ink_limit(options.tac);
    for pixel in &mut cmyk {
        limit_ink(pixel, limit);
    }
    let samples: Vec<u8> = cmyk.iter().flat_map(|p| p.iter().copied()).collect();
    // Flate of the converted samples rather than a new JPEG: the photo is already lossy
    // once; lossless keeps the separations exactly as Little CMS made them, at about two
    // thirds of the raw size (a 1680x1050 photo: 7 MB raw, 4-5 MB deflated).
    Ok(Prepared {
        data: deflate(&samples),
        jpeg: false,
        gray: false,
        inverted: false,
        pixels: (width, height),
        color: format!("RGB ({source_name}) -> CMYK"),
    })
}

/// Whether an ICC profile's header says RGB (a CMYK or grey profile on an RGB decode is a
/// mismatch; we fall back to sRGB then).
fn is_rgb_profile(icc: &[u8]) -> bool {
    icc.get(16..20) == Some(b"RGB ")
}

/// Composites any alpha over white; returns 8-bit RGB pixels.
fn flatten_rgb(image: &DynamicImage) -> Vec<[u8; 3]> {
    let rgba = image.to_rgba8();
    rgba.pixels()
        .map(|p| {
            let [r, g, b, a] = p.0;
            [over_white(r, a), over_white(g, a), over_white(b, a)]
        })
        .collect()
}

/// Composites any alpha over white; returns 8-bit grey samples in DeviceGray sense
/// (0 = black).
fn flatten_gray(image: &DynamicImage) -> Vec<u8> {
    let la = image.to_luma_alpha8();
    la.pixels().map(|p| over_white(p.0[0], p.0[1])).collect()
}

/// One channel of a colour composited over white paper.
fn over_white(value: u8, alpha: u8) -> u8 {
    let v = u32::from(value) * u32::from(alpha) + 255 * (255 - u32::from(alpha));
    ((v + 127) / 255) as u8
}

/// The total ink limit in 8-bit units summed over the four channels.
fn ink_limit(tac_percent: f32) -> u32 {
    (tac_percent.clamp(100.0, 400.0) / 100.0 * 255.0).floor() as u32
}

/// Holds one CMYK pixel under `limit` (sum of 8-bit channels). First a grey-component
/// replacement step moves common C=M=Y into K (each unit removes three of colour and adds
/// one of black, keeping the neutral roughly the same), then C, M and Y are scaled down
/// together; K is never reduced, so shadows keep their depth and text-like detail.
fn limit_ink(pixel: &mut [u8; 4], limit: u32) {
    let sum = |p: &[u8; 4]| p.iter().map(|&v| u32::from(v)).sum::<u32>();
    let total = sum(pixel);
    if total <= limit {
        return;
    }
    let [c, m, y, k] = *pixel;
    let grey = u32::from(c.min(m).min(y));
    let excess = total - limit;
    let moved = grey.min(255 - u32::from(k)).min(excess.div_ceil(2)) as u8;
    *pixel = [c - moved, m - moved, y - moved, k + moved];
    let total = sum(pixel);
    if total > limit {
        let k = u32::from(pixel[3]);
        let cmy = total - k;
        let room = limit.saturating_sub(k);
        for v in &mut pixel[..3] {
            *v = (u32::from(*v) * room / cmy) as u8;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ink_limit_holds_and_keeps_black() {
        let limit = ink_limit(240.0);
        for pixel in
            [[255, 255, 255, 255], [200, 180, 170, 250], [255, 0, 255, 200], [90, 80, 70, 60]]
        {
            let mut p = pixel;
            limit_ink(&mut p, limit);
            let total: u32 = p.iter().map(|&v| u32::from(v)).sum();
            assert!(total <= limit, "{pixel:?} -> {p:?}");
            assert!(p[3] >= pixel[3], "black reduced: {pixel:?} -> {p:?}");
        }
        let mut light = [90, 80, 70, 60];
        limit_ink(&mut light, limit);
        assert_eq!(light, [90, 80, 70, 60]);
    }

    #[test]
    fn ppi_is_the_lower_axis() {
        let ppi = effective_ppi((2000, 1000), &Rect::new(0.0, 0.0, 720.0, 720.0));
        assert!((ppi - 100.0).abs() < 1e-3);
    }

    #[test]
    fn flattens_alpha_on_white() {
        assert_eq!(over_white(0, 0), 255);
        assert_eq!(over_white(0, 255), 0);
        assert_eq!(over_white(0, 128), 127);
    }
}
