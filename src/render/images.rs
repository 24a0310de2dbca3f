//! Photos in the PDF: pass-through of print-ready JPEGs, conversion of everything else to
//! the output CMYK space, and the resolution each placement ends up with.
//!
//! CMYK and greyscale JPEGs are embedded byte for byte (DCTDecode): recompressing would add
//! a second generation of JPEG artefacts for nothing. The exception is a CMYK JPEG that
//! embeds a profile other than the output profile: it was separated for another press (a
//! coated-paper profile allows 300 % of ink and more), so it is converted to the output
//! condition and ink-limited, with a warning. RGB is not allowed in PDF/X-1a and is
//! not wanted in our PDF/X-4 (the printer would convert it with unknown settings), so RGB
//! photos are converted here with Little CMS, from their embedded profile (sRGB if none) to
//! the output profile, with the chosen intent, then held under the total ink limit. A photo
//! that came as a JPEG is stored as a CMYK JPEG (quality 92 by default, `output.jpeg_quality`),
//! anything else losslessly (Flate with the PNG Up predictor), as is everything when the
//! issue asks for `lossless`.
//!
//! Photos are the bulk of an issue's work (reading, hashing, converting, compressing tens
//! of megabytes), so the distinct files are prepared on the rayon pool a few at a time and
//! written in first-use order; the colour conversions are built once per process and
//! shared. Same inputs, same bytes, whatever the number of threads.

use std::collections::BTreeMap;
use std::io::{Cursor, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};

use flate2::Compression;
use flate2::write::ZlibEncoder;
use image::{DynamicImage, ImageDecoder, ImageReader};
use lcms2::{DisallowCache, Flags, PixelFormat, Profile, ThreadContext, Transform};
use pdf_writer::types::Predictor;
use pdf_writer::{Filter, Name, Pdf, Ref};
use rayon::prelude::*;
use sha2::{Digest, Sha256};

use super::{ByPath, Refs, RenderOptions};
use crate::diag::Diagnostic;
use crate::model::{Intent, PhotoEncoding};

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
    /// SHA-256 of the object as written (number, dictionary values, and the stream body's
    /// length and CRC-32), so the document digest need not hash megabytes of samples.
    pub digest: [u8; 32],
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

    /// The resource name of `path` in page resources (known before the image is prepared,
    /// so pages can be drawn meanwhile).
    pub(crate) fn resource_name(&self, path: &Path) -> Option<String> {
        self.seen.get(path).map(|&index| resource_name(index))
    }

    /// Prepares and writes every image, in first-use order.
    ///
    /// Images are read, converted and compressed in parallel, a few at a time (enough to
    /// keep every core busy, few enough that only a handful of decoded photos are in memory
    /// at once), then written in order: the output does not depend on which thread finished
    /// first. The next few are prepared while one lot is being written. The first image that
    /// fails, in first-use order, is the error.
    pub(crate) fn write(
        &self,
        pdf: &mut Pdf,
        refs: &mut Refs,
        output_profile: &[u8],
        options: &RenderOptions,
        warnings: &mut Vec<Diagnostic>,
    ) -> Result<ByPath<ImageObject>, Diagnostic> {
        let converter = Converter::new(output_profile, options.output.intent);
        let prepare_all = |paths: &[PathBuf]| -> Vec<_> {
            paths.par_iter().map(|path| prepare(path, &converter, options)).collect()
        };
        let batch = rayon::current_num_threads().max(1) * 2;
        let mut lots = self.paths.chunks(batch);
        let mut out = BTreeMap::new();
        let mut index = 0;
        let mut pending = lots.next().map(|paths| (paths, prepare_all(paths)));
        while let Some((paths, prepared)) = pending.take() {
            let next = lots.next();
            let (written, prepared_next) = rayon::join(
                || -> Result<(), Diagnostic> {
                    for (path, result) in paths.iter().zip(prepared) {
                        let (prepared, found) = result?;
                        warnings.extend(found);
                        let image = write_one(pdf, refs.next(), index, prepared);
                        out.insert(path.clone(), image);
                        index += 1;
                    }
                    Ok(())
                },
                || next.map(|paths| (paths, prepare_all(paths))),
            );
            written?;
            pending = prepared_next;
        }
        Ok(out)
    }

    /// Bytes of the image files, a floor for the room their objects will take.
    pub(crate) fn file_bytes(&self) -> u64 {
        self.paths.iter().filter_map(|path| std::fs::metadata(path).ok()).map(|m| m.len()).sum()
    }
}

/// The resource name of the `index`th image in first-use order.
fn resource_name(index: usize) -> String {
    format!("Im{index}")
}

/// Writes one prepared image as an XObject.
fn write_one(pdf: &mut Pdf, id: Ref, index: usize, prepared: Prepared) -> ImageObject {
    let (width, height) = prepared.pixels;
    let colors = if prepared.gray { 1 } else { 4 };
    let space = if prepared.gray { Name(b"DeviceGray") } else { Name(b"DeviceCMYK") };
    let mut xobject = pdf.image_xobject(id, &prepared.data);
    xobject.filter(if prepared.jpeg { Filter::DctDecode } else { Filter::FlateDecode });
    if !prepared.jpeg {
        xobject
            .decode_parms()
            .predictor(Predictor::PngUp)
            .colors(colors)
            .bits_per_component(8)
            .columns(width as i32);
    }
    xobject.width(width as i32).height(height as i32).color_space_name(space).bits_per_component(8);
    if prepared.inverted {
        xobject.decode([1.0, 0.0, 1.0, 0.0, 1.0, 0.0, 1.0, 0.0]);
    }
    drop(xobject);
    // Everything the dictionary says, then the body's length and checksum (computed on the
    // worker).
    let mut hash = Sha256::new();
    hash.update(id.get().to_be_bytes());
    hash.update(width.to_be_bytes());
    hash.update(height.to_be_bytes());
    hash.update([u8::from(prepared.jpeg), u8::from(prepared.gray), u8::from(prepared.inverted)]);
    hash.update((prepared.data.len() as u64).to_be_bytes());
    hash.update(prepared.data_crc.to_be_bytes());
    ImageObject {
        id,
        resource_name: resource_name(index),
        pixels: prepared.pixels,
        passthrough: prepared.passthrough,
        color: prepared.color,
        digest: hash.finalize().into(),
    }
}

/// An image ready to write.
struct Prepared {
    /// Stream body: a JPEG (the file itself, or the converted photo re-encoded), or
    /// deflated 8-bit samples with the PNG Up predictor.
    data: Vec<u8>,
    /// CRC-32 of `data`: what the document ID needs to change when a photo does, at a
    /// tenth of SHA-256's cost over tens of megabytes (the file as a whole gets its SHA-256
    /// while it is written).
    data_crc: u32,
    /// Whether `data` is a JPEG (DCTDecode).
    jpeg: bool,
    /// Whether `data` is the file's own bytes.
    passthrough: bool,
    /// DeviceGray rather than DeviceCMYK.
    gray: bool,
    /// Adobe-style inverted CMYK (needs `/Decode [1 0 1 0 1 0 1 0]`).
    inverted: bool,
    pixels: (u32, u32),
    color: String,
}

impl Prepared {
    fn new(data: Vec<u8>, jpeg: bool, gray: bool, pixels: (u32, u32), color: String) -> Self {
        let data_crc = crc32fast::hash(&data);
        Self { data, data_crc, jpeg, gray, passthrough: false, inverted: false, pixels, color }
    }
}

/// What the JPEG headers say.
#[derive(Debug, Default, PartialEq)]
struct JpegInfo<'a> {
    /// Baseline, extended or progressive Huffman at 8 bits: what DCTDecode reads.
    pdf_compatible: bool,
    /// Colour components.
    components: u8,
    /// An APP14 "Adobe" segment is present.
    adobe: bool,
    /// The APP14 segment says the four components are YCCK (transform 2), as Photoshop
    /// often writes CMYK: YCbCr of the inks, and K inverted.
    ycck: bool,
    /// The ICC profile's APP2 segments by sequence number, reassembled by [`JpegInfo::icc`]
    /// only for the photos that are converted.
    icc_chunks: BTreeMap<u8, &'a [u8]>,
    /// Width and height from the frame header.
    size: (u32, u32),
    /// The headers run up to a scan (a file cut short in its headers has none).
    scan: bool,
}

/// Reads the JPEG markers up to the first scan.
fn jpeg_info(data: &[u8]) -> Option<JpegInfo<'_>> {
    if !data.starts_with(&[0xFF, 0xD8]) {
        return None;
    }
    let mut info = JpegInfo::default();
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
            0xDA => {
                info.scan = true;
                break;
            }
            _ => {}
        }
        pos += 2 + length;
    }
    Some(info)
}

impl JpegInfo<'_> {
    /// Whether the embedded ICC profile is exactly `profile` (compared piece by piece, not
    /// reassembled).
    fn icc_is(&self, profile: &[u8]) -> bool {
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
    fn icc(&self) -> Option<Vec<u8>> {
        (!self.icc_chunks.is_empty())
            .then(|| self.icc_chunks.values().copied().collect::<Vec<_>>().concat())
    }
}

/// Reads, checks and converts one image file; returns it with the warnings it raised.
fn prepare(
    path: &Path,
    converter: &Converter,
    options: &RenderOptions,
) -> Result<(Prepared, Vec<Diagnostic>), Diagnostic> {
    let fail = |why: String| Diagnostic::error("image", why).in_file(path);
    let mut warnings = Vec::new();
    let bytes = std::fs::read(path).map_err(|e| fail(format!("cannot read image: {e}")))?;
    let jpeg = jpeg_info(&bytes);
    // A JPEG's frame header gives its size; anything else (or a frame header that leaves
    // the height to a later DNL marker) asks the decoder.
    let header_size = jpeg
        .as_ref()
        .filter(|info| info.scan)
        .map(|info| info.size)
        .filter(|&(w, h)| w > 0 && h > 0);
    let (width, height) = match header_size {
        Some(size) => size,
        None => ImageReader::new(Cursor::new(&bytes))
            .with_guessed_format()
            .map_err(|e| fail(format!("cannot read image: {e}")))?
            .into_dimensions()
            .map_err(|e| fail(format!("not a readable image: {e}")))?,
    };
    let pixels = u64::from(width) * u64::from(height);
    if pixels > options.max_pixels {
        return Err(fail(format!(
            "image is {width}x{height} pixels, over the limit of {} megapixels",
            options.max_pixels / 1_000_000
        ))
        .hint("scale the photo down to about 200 ppi at its printed size"));
    }

    if let Some(info) = &jpeg {
        // A CMYK photo separated for another printing condition (it embeds a CMYK profile
        // that is not the output profile) carries that press's ink totals, too much for
        // newsprint: it is converted. Untagged CMYK is taken as made for the output
        // condition, as print shops take it.
        let foreign = info.components == 4
            && !info.icc_chunks.is_empty()
            && !info.icc_is(converter.output_profile);
        if foreign
            && info.pdf_compatible
            && let Some(converted) = convert_cmyk(path, &bytes, info, converter, options)?
        {
            return Ok(converted);
        }
        if info.pdf_compatible && matches!(info.components, 1 | 4) {
            let gray = info.components == 1;
            let color = if gray { "Gray" } else { "CMYK" };
            // Photoshop writes CMYK JPEGs with inverted samples and flags them with the APP14
            // Adobe marker; a Decode array flips them back.
            let inverted = info.components == 4 && info.adobe;
            let mut prepared = Prepared::new(bytes, true, gray, (width, height), color.into());
            prepared.inverted = inverted;
            prepared.passthrough = true;
            return Ok((prepared, warnings));
        }
    }

    let mut decoder = ImageReader::new(Cursor::new(&bytes))
        .with_guessed_format()
        .map_err(|e| fail(format!("cannot read image: {e}")))?
        .into_decoder()
        .map_err(|e| fail(format!("cannot decode image: {e}")))?;
    let from_jpeg = jpeg.is_some();
    let embedded_icc = match jpeg {
        Some(info) => info.icc(),
        None => decoder.icc_profile().ok().flatten(),
    };
    let image =
        DynamicImage::from_decoder(decoder).map_err(|e| fail(format!("corrupt image: {e}")))?;
    drop(bytes);
    let (width, height) = (image.width(), image.height());
    let has_color = image.color().has_color();

    if !has_color {
        // Greyscale stays grey (black ink only); transparency is flattened on paper white.
        let gray = match &image {
            DynamicImage::ImageLuma8(buffer) => std::borrow::Cow::Borrowed(buffer.as_raw()),
            _ => std::borrow::Cow::Owned(flatten_gray(&image)),
        };
        let row = width as usize;
        let data = compress_rows(&gray, row, row, |source, out| out.copy_from_slice(source));
        return Ok((Prepared::new(data, false, true, (width, height), "Gray".into()), warnings));
    }

    // A broken embedded profile should not stop the issue: sRGB is what a camera or a
    // browser would have assumed anyway; say so.
    let mut conversion = None;
    if let Some(icc) = embedded_icc.as_deref().filter(|p| is_rgb_profile(p)) {
        match converter.get(Some(icc)) {
            Ok(transform) => conversion = Some((transform, "embedded ICC")),
            Err(Unusable::Source(e)) => warnings.push(
                Diagnostic::warning(
                    "image-profile",
                    format!("unusable embedded ICC profile ({e}); converted as sRGB"),
                )
                .in_file(path),
            ),
            Err(other) => return Err(other.diagnostic(path)),
        }
    }
    let (transform, source_name) = match conversion {
        Some(found) => found,
        None => (converter.get(None).map_err(|e| e.diagnostic(path))?, "sRGB assumed"),
    };

    let rgb = match &image {
        DynamicImage::ImageRgb8(buffer) => std::borrow::Cow::Borrowed(buffer.as_raw()),
        _ => std::borrow::Cow::Owned(flatten_rgb(&image)),
    };
    let limit = ink_limit(options.output.tac);
    let mut memo = ColourMemo::new();
    let convert_row = |source: &[u8], cmyk: &mut [u8]| {
        memo.convert(&transform.transform, source, cmyk);
        limit_row_ink(cmyk, limit);
    };
    let color = format!("RGB ({source_name}) -> CMYK");
    // A photo that came as a JPEG goes back to JPEG: it was lossy already, and lossless
    // CMYK samples are ten times the size (2.3 MB against 0.2 MB for the example's photo)
    // and take longer to compress than to encode. Anything else (PNG: charts, logos,
    // screenshots, whose sharp edges JPEG would blur) stays lossless.
    let quality = jpeg_quality(options).filter(|_| from_jpeg);
    let prepared = store_converted(&rgb, 3, (width, height), color, quality, convert_row);
    Ok((prepared, warnings))
}

/// The JPEG quality converted photos are stored at; `None` for lossless.
fn jpeg_quality(options: &RenderOptions) -> Option<u8> {
    match options.output.photo_encoding {
        PhotoEncoding::Jpeg(quality) => Some(quality),
        PhotoEncoding::Lossless => None,
    }
}

/// Stores a converted photo (`source` of `channels` samples a pixel, turned into CMYK row by
/// row by `convert_row`) as a CMYK JPEG at `quality`, or losslessly when `quality` is `None`
/// or the image cannot be a JPEG.
fn store_converted(
    source: &[u8],
    channels: usize,
    (width, height): (u32, u32),
    color: String,
    quality: Option<u8>,
    mut convert_row: impl FnMut(&[u8], &mut [u8]),
) -> Prepared {
    if let Some(quality) = quality
        && let Some(data) =
            encode_cmyk_jpeg(source, channels, (width, height), quality, &mut convert_row)
    {
        let mut prepared = Prepared::new(data, true, false, (width, height), color);
        prepared.inverted = true;
        return prepared;
    }
    let row = width as usize;
    let data = compress_rows(source, row * channels, row * 4, convert_row);
    Prepared::new(data, false, false, (width, height), color)
}

/// Converts a CMYK JPEG separated for another printing condition (`info` says it embeds a
/// CMYK profile other than the output profile) to the output condition, held under the ink
/// limit and stored as the issue asks (JPEG or lossless), with a warning: the photo desk
/// should export for the paper's profile. `None` (keep the file as it is) when the embedded
/// profile is not a usable CMYK profile.
fn convert_cmyk(
    path: &Path,
    bytes: &[u8],
    info: &JpegInfo,
    converter: &Converter,
    options: &RenderOptions,
) -> Result<Option<(Prepared, Vec<Diagnostic>)>, Diagnostic> {
    let fail = |why: String| Diagnostic::error("image", why).in_file(path);
    let Some(icc) = info.icc().filter(|icc| is_cmyk_profile(icc)) else {
        return Ok(None);
    };
    let transform = match converter.get(Some(&icc)) {
        Ok(transform) => transform,
        Err(Unusable::Source(_)) => return Ok(None),
        Err(other) => return Err(other.diagnostic(path)),
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
    let limit = ink_limit(options.output.tac);
    let convert_row = |source: &[u8], cmyk: &mut [u8]| {
        transform.transform.transform_pixels(source, cmyk);
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
    let prepared = store_converted(&samples, 4, (width, height), color, quality, convert_row);
    Ok(Some((prepared, vec![warning])))
}

/// Turns one YCCK pixel, as an Adobe JPEG stores it, into ink amounts: Y, Cb and Cr are the
/// JFIF YCbCr of the cyan, magenta and yellow inks, K is stored inverted (as libjpeg reads
/// Adobe's YCCK).
fn ycck_to_inks(pixel: &mut [u8]) {
    let (y, cb, cr) =
        (f32::from(pixel[0]), f32::from(pixel[1]) - 128.0, f32::from(pixel[2]) - 128.0);
    let ink = |v: f32| v.round().clamp(0.0, 255.0) as u8;
    pixel[0] = ink(y + 1.402 * cr);
    pixel[1] = ink(y - 0.344_136 * cb - 0.714_136 * cr);
    pixel[2] = ink(y + 1.772 * cb);
    pixel[3] = 255 - pixel[3];
}

/// Encodes an image of `source_channels` samples a pixel (RGB or CMYK) as a CMYK JPEG at
/// `quality`, converting each row with `convert_row`. The samples are stored inverted under an Adobe APP14 marker (as Photoshop
/// writes them; the image's `/Decode` array flips them back), every channel at full
/// resolution and quantised with the luminance table, since in CMYK each separation carries
/// detail. `None` when the image is too large for a JPEG (65,535 pixels a side) or the
/// encoder fails; the caller then stores it losslessly.
fn encode_cmyk_jpeg(
    source: &[u8],
    source_channels: usize,
    (width, height): (u32, u32),
    quality: u8,
    mut convert_row: impl FnMut(&[u8], &mut [u8]),
) -> Option<Vec<u8>> {
    let (w, h) = (u16::try_from(width).ok()?, u16::try_from(height).ok()?);
    let mut cmyk = vec![0u8; width as usize * height as usize * 4];
    if width > 0 {
        let rows = source.chunks_exact(width as usize * source_channels);
        for (source, out) in rows.zip(cmyk.chunks_exact_mut(width as usize * 4)) {
            convert_row(source, out);
        }
    }
    let mut data = Vec::with_capacity(cmyk.len() / 8);
    let mut encoder = jpeg_encoder::Encoder::new(&mut data, quality);
    encoder.set_sampling_factor(jpeg_encoder::SamplingFactor::F_1_1);
    let luma = Box::new(scaled_luma_table(quality));
    encoder.set_quantization_tables(
        jpeg_encoder::QuantizationTableType::Custom(luma.clone()),
        jpeg_encoder::QuantizationTableType::Custom(luma),
    );
    encoder.encode(&cmyk, w, h, jpeg_encoder::ColorType::Cmyk).ok()?;
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

/// Slots in a [`ColourMemo`] (a power of two): 512 KB of table per photo being converted.
const MEMO_SLOTS: usize = 1 << 16;

/// Recently converted colours. A photo repeats its colours (the 1400x875 example photo has
/// 207,000 distinct ones in 1.2 million pixels, mostly near each other), and looking one up
/// costs a fraction of Little CMS's interpolation; the misses of a row are converted in one
/// call. The transform is a pure function of the colour, so the result is exactly what
/// converting every pixel gives. On the example photo conversion takes 14 ms instead of
/// 23 ms; on pure noise, where nothing repeats, 30 ms instead of 26.
struct ColourMemo {
    /// `r << 16 | g << 8 | b` per slot, or `u32::MAX` (no 24-bit colour) when empty.
    keys: Vec<u32>,
    /// The CMYK of the colour in the same slot.
    values: Vec<[u8; 4]>,
    /// This row's misses: source pixels, their CMYK, and their positions in the row.
    missed: Vec<u8>,
    converted: Vec<u8>,
    positions: Vec<usize>,
}

impl ColourMemo {
    fn new() -> Self {
        Self {
            keys: vec![u32::MAX; MEMO_SLOTS],
            values: vec![[0; 4]; MEMO_SLOTS],
            missed: Vec::new(),
            converted: Vec::new(),
            positions: Vec::new(),
        }
    }

    /// Converts one row of RGB (`source`) into CMYK (`cmyk`).
    fn convert(
        &mut self,
        transform: &Transform<u8, u8, ThreadContext, DisallowCache>,
        source: &[u8],
        cmyk: &mut [u8],
    ) {
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
        transform.transform_pixels(&self.missed, &mut self.converted);
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

/// Compresses an image row by row for a `FlateDecode` stream with the PNG Up predictor:
/// `convert` turns each source row (`in_row` bytes) into an output row (`out_row` bytes),
/// then each output byte is written as its difference from the byte above.
///
/// Up makes the smooth areas of a photo runs of small numbers, which Flate compresses far
/// better: on a 1400x875 CMYK photo, Up at the fastest level gives 2.3 MB in a third of
/// the time that level 6 takes on the raw samples to give 2.9 MB. Rows stream into the
/// encoder, so the converted image is never held whole.
fn compress_rows(
    source: &[u8],
    in_row: usize,
    out_row: usize,
    mut convert: impl FnMut(&[u8], &mut [u8]),
) -> Vec<u8> {
    let mut encoder = ZlibEncoder::new(Vec::with_capacity(source.len() / 2), Compression::fast());
    if in_row > 0 {
        let mut previous = vec![0u8; out_row];
        let mut current = vec![0u8; out_row];
        let mut line = vec![0u8; out_row + 1];
        line[0] = 2; // PNG filter type 2: Up.
        for source_row in source.chunks_exact(in_row) {
            convert(source_row, &mut current);
            for ((delta, c), p) in line[1..].iter_mut().zip(&current).zip(&previous) {
                *delta = c.wrapping_sub(*p);
            }
            // Writing into a Vec cannot fail.
            let _ = encoder.write_all(&line);
            std::mem::swap(&mut previous, &mut current);
        }
    }
    encoder.finish().unwrap_or_default()
}

/// Why a colour conversion could not be built.
#[derive(Debug)]
enum Unusable {
    /// The image's embedded profile (the caller falls back to sRGB).
    Source(String),
    /// The output profile.
    Output(String),
    /// Little CMS refused the pair.
    Build(String),
}

impl Unusable {
    fn diagnostic(self, path: &Path) -> Diagnostic {
        match self {
            Unusable::Output(e) => {
                Diagnostic::error("icc-profile", format!("bad output profile: {e}"))
            }
            Unusable::Source(e) | Unusable::Build(e) => {
                Diagnostic::error("image", format!("cannot build the colour conversion: {e}"))
                    .in_file(path)
            }
        }
    }
}

/// An RGB to CMYK conversion as Little CMS precomputes it. Building one costs about as much
/// as converting a small photo, so it is built once per process and shared between threads
/// (no 1-pixel cache, which is what makes it shareable; the results are the same).
struct CmykTransform {
    transform: Transform<u8, u8, ThreadContext, DisallowCache>,
    /// Dropped after the transform, which Little CMS frees through it. Never locked: the
    /// mutex only makes the context shareable between threads.
    _context: Mutex<ThreadContext>,
}

/// Conversions built so far, by key (see [`Converter::key`]); a handful at most in practice.
static TRANSFORMS: Mutex<Vec<([u8; 32], Arc<CmykTransform>)>> = Mutex::new(Vec::new());
/// More distinct source profiles than this in one process is unusual; the oldest goes.
const MAX_TRANSFORMS: usize = 8;

/// Finds or builds the conversions of one document's photos to its output profile.
struct Converter<'a> {
    output_profile: &'a [u8],
    intent: Intent,
    /// SHA-256 of the output profile and the intent, the part of every key this document
    /// shares.
    output_key: [u8; 32],
}

impl<'a> Converter<'a> {
    fn new(output_profile: &'a [u8], intent: Intent) -> Self {
        let mut hash = Sha256::new();
        hash.update(output_profile);
        hash.update([intent as u8]);
        Self { output_profile, intent, output_key: hash.finalize().into() }
    }

    /// The cache key of a source profile (`None` = sRGB) for this output and intent.
    fn key(&self, source: Option<&[u8]>) -> [u8; 32] {
        let mut hash = Sha256::new();
        hash.update(self.output_key);
        match source {
            Some(icc) => {
                hash.update([1]);
                hash.update(icc);
            }
            None => hash.update([0]),
        }
        hash.finalize().into()
    }

    /// The conversion from `source` (an RGB or CMYK ICC profile; `None` = sRGB).
    fn get(&self, source: Option<&[u8]>) -> Result<Arc<CmykTransform>, Unusable> {
        let key = self.key(source);
        // Held while building, so two threads wanting the same conversion build it once.
        let mut built = TRANSFORMS.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some((_, transform)) = built.iter().find(|(k, _)| *k == key) {
            return Ok(Arc::clone(transform));
        }
        let transform = Arc::new(self.build(source)?);
        if built.len() >= MAX_TRANSFORMS {
            built.remove(0);
        }
        built.push((key, Arc::clone(&transform)));
        Ok(transform)
    }

    fn build(&self, source: Option<&[u8]>) -> Result<CmykTransform, Unusable> {
        let context = ThreadContext::new();
        let input = match source {
            Some(icc) => Profile::new_icc_context(&context, icc)
                .map_err(|e| Unusable::Source(e.to_string()))?,
            None => Profile::new_srgb_context(&context),
        };
        let output = Profile::new_icc_context(&context, self.output_profile)
            .map_err(|e| Unusable::Output(e.to_string()))?;
        let (intent, flags) = match self.intent {
            Intent::RelativeColorimetric => (
                lcms2::Intent::RelativeColorimetric,
                Flags::NO_CACHE | Flags::BLACKPOINT_COMPENSATION,
            ),
            Intent::Perceptual => (lcms2::Intent::Perceptual, Flags::NO_CACHE),
        };
        // A CMYK source is a photo separated for another printing condition.
        let format = match source {
            Some(icc) if is_cmyk_profile(icc) => PixelFormat::CMYK_8,
            _ => PixelFormat::RGB_8,
        };
        let transform = Transform::new_flags_context(
            &context,
            &input,
            format,
            &output,
            PixelFormat::CMYK_8,
            intent,
            flags,
        )
        .map_err(|e| Unusable::Build(e.to_string()))?;
        Ok(CmykTransform { transform, _context: Mutex::new(context) })
    }
}

/// Whether an ICC profile's header says RGB (a CMYK or grey profile on an RGB decode is a
/// mismatch; we fall back to sRGB then).
fn is_rgb_profile(icc: &[u8]) -> bool {
    icc.get(16..20) == Some(b"RGB ")
}

/// Whether an ICC profile's header says CMYK.
fn is_cmyk_profile(icc: &[u8]) -> bool {
    icc.get(16..20) == Some(b"CMYK")
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

/// Holds every pixel of a CMYK row under `limit` (see [`limit_ink`]).
fn limit_row_ink(cmyk: &mut [u8], limit: u32) {
    for pixel in cmyk.chunks_exact_mut(4) {
        if let Ok(pixel) = <&mut [u8; 4]>::try_from(pixel) {
            limit_ink(pixel, limit);
        }
    }
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
    use crate::render::tests::with_icc;
    use std::io::Read;

    /// Inflates a `compress_rows` stream and undoes the PNG Up predictor.
    fn decode_rows(data: &[u8], row: usize) -> Vec<u8> {
        let mut predicted = Vec::new();
        flate2::read::ZlibDecoder::new(data).read_to_end(&mut predicted).unwrap();
        let mut out: Vec<u8> = Vec::with_capacity(predicted.len());
        for line in predicted.chunks(row + 1) {
            assert_eq!(line[0], 2, "every row tagged Up");
            let start = out.len();
            for (i, &v) in line[1..].iter().enumerate() {
                let up = if start >= row { out[start - row + i] } else { 0 };
                out.push(v.wrapping_add(up));
            }
        }
        out
    }

    /// The old, obvious pipeline: one transform per image, every pixel converted at once,
    /// then the ink limit.
    fn reference_cmyk(rgb: &[u8], intent: lcms2::Intent, flags: Flags, tac: f32) -> Vec<u8> {
        let output = Profile::new_icc(crate::color::BUNDLED_OUTPUT_PROFILE).unwrap();
        let transform: Transform<u8, u8> = Transform::new_flags(
            &Profile::new_srgb(),
            PixelFormat::RGB_8,
            &output,
            PixelFormat::CMYK_8,
            intent,
            flags,
        )
        .unwrap();
        let mut cmyk = vec![0u8; rgb.len() / 3 * 4];
        transform.transform_pixels(rgb, &mut cmyk);
        let limit = ink_limit(tac);
        for pixel in cmyk.chunks_exact_mut(4) {
            limit_ink(<&mut [u8; 4]>::try_from(pixel).unwrap(), limit);
        }
        cmyk
    }

    /// Decodes a CMYK JPEG written by [`encode_cmyk_jpeg`] back to ink values (it stores
    /// them inverted, Adobe-style).
    fn decode_cmyk_jpeg(data: &[u8]) -> Vec<u8> {
        let options = zune_core::options::DecoderOptions::default()
            .jpeg_set_out_colorspace(zune_core::colorspace::ColorSpace::CMYK);
        let mut decoder =
            zune_jpeg::JpegDecoder::new_with_options(std::io::Cursor::new(data), options);
        decoder.decode().unwrap().into_iter().map(|v| 255 - v).collect()
    }

    #[test]
    fn converted_jpeg_photos_go_back_to_jpeg_close_to_the_exact_separations() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("issues/liberte-actus-1719/photos/dune-rgb.jpg");
        let rgb = image::open(&path).unwrap().to_rgb8();
        let (w, h) = rgb.dimensions();
        let mut options = RenderOptions::default();
        options.output.tac = 240.0;
        let intent = Intent::RelativeColorimetric;
        let converter = Converter::new(crate::color::BUNDLED_OUTPUT_PROFILE, intent);
        let (prepared, _) = prepare(&path, &converter, &options).unwrap();
        assert!(prepared.jpeg && prepared.inverted && !prepared.passthrough && !prepared.gray);
        let info = jpeg_info(&prepared.data).unwrap();
        assert_eq!((info.components, info.size, info.adobe), (4, (w, h), true));
        let decoded = decode_cmyk_jpeg(&prepared.data);
        // Lossless keeps the exact separations (checked against Little CMS in the test
        // below), at more than twice the size.
        let mut lossless_options = options.clone();
        lossless_options.output.photo_encoding = PhotoEncoding::Lossless;
        let (lossless, _) = prepare(&path, &converter, &lossless_options).unwrap();
        assert!(!lossless.jpeg && lossless.data.len() > 2 * prepared.data.len());
        let exact = decode_rows(&lossless.data, w as usize * 4);
        assert_eq!(decoded.len(), exact.len());
        let errors: Vec<u32> =
            decoded.iter().zip(&exact).map(|(&a, &b)| u32::from(a.abs_diff(b))).collect();
        let mean = errors.iter().sum::<u32>() as f64 / errors.len() as f64;
        assert!(mean < 1.0, "mean error {mean}");
        // JPEG ringing lifts a few single pixels over the ink limit; what the press lays
        // down is an area's average, and over 4x4 pixels (0.4 mm at the photo's 274 ppi)
        // the total stays within a point of the limit.
        let total = |x: usize, y: usize| -> u32 {
            let at = (y * w as usize + x) * 4;
            decoded[at..at + 4].iter().map(|&v| u32::from(v)).sum()
        };
        let mut worst_area = 0u32;
        for y in (0..h as usize - 3).step_by(2) {
            for x in (0..w as usize - 3).step_by(2) {
                let sum: u32 = (0..4)
                    .flat_map(|dy| (0..4).map(move |dx| (dx, dy)))
                    .map(|(dx, dy)| total(x + dx, y + dy))
                    .sum();
                worst_area = worst_area.max(sum / 16);
            }
        }
        assert!(f64::from(worst_area) / 255.0 <= 2.41, "area TAC {}", f64::from(worst_area) / 2.55);
    }

    #[test]
    fn cmyk_photos_separated_for_another_press_are_converted_and_ink_limited() {
        let dir = std::env::temp_dir().join(format!("rotative-foreign-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        // A heavy CMYK photo: 290 % of ink in its shadows, as a coated-paper separation has.
        let (w, h) = (64u32, 48u32);
        let samples: Vec<u8> = (0..w * h)
            .flat_map(|i| {
                let shade = (i % w * 4) as u8;
                [shade, shade, shade.saturating_sub(40), shade.saturating_add(30)]
            })
            .collect();
        let jpeg = encode_cmyk_jpeg(&samples, 4, (w, h), 95, |s, o| o.copy_from_slice(s)).unwrap();
        let output = crate::color::BUNDLED_OUTPUT_PROFILE;
        // Another press's profile: the output profile with another creation date.
        let mut other = output.to_vec();
        other[24] ^= 1;
        let mut options = RenderOptions::default();
        options.output.tac = 240.0;
        let converter = Converter::new(output, Intent::RelativeColorimetric);

        let foreign = dir.join("foreign.jpg");
        std::fs::write(&foreign, with_icc(&jpeg, &other)).unwrap();
        let (prepared, warnings) = prepare(&foreign, &converter, &options).unwrap();
        // The same photo stored as YCCK, as Photoshop often writes CMYK, converts alike.
        let mut ycck = Vec::new();
        jpeg_encoder::Encoder::new(&mut ycck, 95)
            .encode(&samples, w as u16, h as u16, jpeg_encoder::ColorType::CmykAsYcck)
            .unwrap();
        assert!(jpeg_info(&ycck).unwrap().ycck);
        let foreign_ycck = dir.join("foreign-ycck.jpg");
        std::fs::write(&foreign_ycck, with_icc(&ycck, &other)).unwrap();
        let (from_ycck, _) = prepare(&foreign_ycck, &converter, &options).unwrap();
        let (a, b) = (decode_cmyk_jpeg(&prepared.data), decode_cmyk_jpeg(&from_ycck.data));
        let mean =
            a.iter().zip(&b).map(|(&x, &y)| f64::from(x.abs_diff(y))).sum::<f64>() / a.len() as f64;
        assert!(mean < 2.0, "YCCK and CMYK differ by {mean} on average");
        assert!(prepared.jpeg && !prepared.passthrough && prepared.inverted);
        assert_eq!(prepared.color, "CMYK (embedded ICC) -> CMYK");
        assert_eq!(warnings.len(), 1);
        assert_eq!(warnings[0].kind, "photo-profile");
        let inks = decode_cmyk_jpeg(&prepared.data);
        let area_max = inks
            .chunks(4 * 4)
            .map(|four| four.iter().map(|&v| u32::from(v)).sum::<u32>() / 4)
            .max()
            .unwrap();
        assert!(f64::from(area_max) / 2.55 <= 241.0, "{} %", f64::from(area_max) / 2.55);

        // Made for the output profile, or untagged: in as it is.
        for (name, file) in [("own.jpg", with_icc(&jpeg, output)), ("untagged.jpg", jpeg.clone())] {
            let path = dir.join(name);
            std::fs::write(&path, &file).unwrap();
            let (prepared, warnings) = prepare(&path, &converter, &options).unwrap();
            assert!(prepared.passthrough && prepared.data == file && warnings.is_empty(), "{name}");
        }
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn odd_sized_jpegs_convert_to_jpegs_of_the_same_size() {
        let dir = std::env::temp_dir().join(format!("rotative-odd-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let converter = Converter::new(crate::color::BUNDLED_OUTPUT_PROFILE, Intent::Perceptual);
        for (w, h) in [(1, 1), (17, 9), (8, 300)] {
            let rgb = image::RgbImage::from_fn(w, h, |x, y| {
                image::Rgb([(x * 9) as u8, (y * 3) as u8, 200])
            });
            let path = dir.join(format!("odd-{w}x{h}.jpg"));
            rgb.save(&path).unwrap();
            let (prepared, _) = prepare(&path, &converter, &RenderOptions::default()).unwrap();
            assert!(prepared.jpeg && !prepared.passthrough);
            assert_eq!(jpeg_info(&prepared.data).unwrap().size, (w, h));
            assert_eq!(decode_cmyk_jpeg(&prepared.data).len(), (w * h * 4) as usize);
        }
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn converted_photos_match_a_plain_conversion_exactly() {
        let dir = std::env::temp_dir().join(format!("rotative-images-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        // Saturated and dark colours, so the ink limit has work to do.
        let (w, h) = (97u32, 61u32);
        let rgb = image::RgbImage::from_fn(w, h, |x, y| {
            image::Rgb([(x * 5 % 256) as u8, (y * 7 % 256) as u8, ((x * y) % 256) as u8])
        });
        let path = dir.join("rgb.png");
        rgb.save(&path).unwrap();
        for (intent, lcms_intent, flags) in [
            (
                Intent::RelativeColorimetric,
                lcms2::Intent::RelativeColorimetric,
                Flags::BLACKPOINT_COMPENSATION,
            ),
            (Intent::Perceptual, lcms2::Intent::Perceptual, Flags::default()),
        ] {
            let mut options = RenderOptions::default();
            (options.output.intent, options.output.tac) = (intent, 260.0);
            let converter = Converter::new(crate::color::BUNDLED_OUTPUT_PROFILE, intent);
            // Twice: the second time the conversion comes from the cache.
            for _ in 0..2 {
                let (prepared, warnings) = prepare(&path, &converter, &options).unwrap();
                assert!(warnings.is_empty());
                assert_eq!(prepared.pixels, (w, h));
                let samples = decode_rows(&prepared.data, w as usize * 4);
                let expected = reference_cmyk(rgb.as_raw(), lcms_intent, flags, 260.0);
                assert!(samples == expected, "{intent:?}: separations differ");
                assert_eq!(prepared.data_crc, crc32fast::hash(&prepared.data));
            }
        }
        // Grey with alpha: flattened on white, one channel, Up-predicted.
        let gray = image::GrayAlphaImage::from_fn(5, 3, |x, _| image::LumaA([0, (x * 60) as u8]));
        let path = dir.join("gray.png");
        gray.save(&path).unwrap();
        let converter = Converter::new(crate::color::BUNDLED_OUTPUT_PROFILE, Intent::Perceptual);
        let (prepared, _) = prepare(&path, &converter, &RenderOptions::default()).unwrap();
        assert!(prepared.gray && !prepared.jpeg);
        let expected: Vec<u8> =
            (0..3).flat_map(|_| (0..5).map(|x| over_white(0, x * 60))).collect();
        assert_eq!(decode_rows(&prepared.data, 5), expected);
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn colour_memo_gives_what_converting_every_pixel_gives() {
        // Colours drawn from 2^17 of them: many repeats (hits) and, with 2^16 slots, many
        // colours evicting each other.
        let converter = Converter::new(crate::color::BUNDLED_OUTPUT_PROFILE, Intent::Perceptual);
        let transform = converter.get(None).unwrap();
        let mut seed = 0x1234_5678u32;
        let width = 700;
        let source: Vec<u8> = (0..width * 400)
            .flat_map(|_| {
                seed ^= seed << 13;
                seed ^= seed >> 17;
                seed ^= seed << 5;
                let c = seed % (1 << 17);
                [(c >> 9) as u8, (c >> 4) as u8, (c << 3) as u8 | 5]
            })
            .collect();
        let mut expected = vec![0u8; source.len() / 3 * 4];
        transform.transform.transform_pixels(&source, &mut expected);
        let mut memo = ColourMemo::new();
        let mut got = vec![0u8; expected.len()];
        for (row, out) in source.chunks(width * 3).zip(got.chunks_mut(width * 4)) {
            memo.convert(&transform.transform, row, out);
        }
        assert!(got == expected);
        assert!(memo.positions.len() < width, "the last row had hits");
    }

    #[test]
    fn jpeg_size_comes_from_the_frame_header() {
        let mut jpeg = Vec::new();
        image::RgbImage::new(33, 17)
            .write_to(&mut Cursor::new(&mut jpeg), image::ImageFormat::Jpeg)
            .unwrap();
        let info = jpeg_info(&jpeg).unwrap();
        assert_eq!((info.size, info.components, info.scan), ((33, 17), 3, true));
        // Cut before the scan: no size to trust.
        let sos = jpeg.windows(2).position(|w| w == [0xFF, 0xDA]).unwrap();
        assert!(!jpeg_info(&jpeg[..sos]).is_some_and(|i| i.scan));
    }

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
        let placement = crate::geom::Rect::new(0.0, 0.0, 720.0, 720.0);
        let ppi = crate::geom::effective_ppi((2000, 1000), &placement);
        assert!((ppi - 100.0).abs() < 1e-3);
    }

    #[test]
    fn flattens_alpha_on_white() {
        assert_eq!(over_white(0, 0), 255);
        assert_eq!(over_white(0, 255), 0);
        assert_eq!(over_white(0, 128), 127);
    }
}
