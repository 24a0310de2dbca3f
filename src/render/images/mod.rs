//! Photos in the PDF: the distinct image files of a document, whether each goes in as it
//! is or is converted, and the image XObjects they are written as.
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
//! of megabytes), so the distinct files are encoded on the rayon pool a few at a time and
//! written in first-use order; the colour conversions are built once per process and
//! shared. Same inputs, same bytes, whatever the number of threads.
//!
//! Files: `jpeg.rs` (JPEG headers in, CMYK JPEGs out), `convert.rs` (colour conversion of
//! photos), `streamed.rs` (RGB JPEGs converted as they are decoded), `ink.rs` (total ink limit), `orient.rs` (EXIF orientation), `cache.rs` (the
//! converted photos a build keeps for the next).

pub mod cache;
mod convert;
mod ink;
mod jpeg;
mod orient;
mod pdf_page;
mod press;
pub(crate) mod preview;
mod reduced;
mod streamed;

use std::collections::BTreeMap;
use std::io::{Cursor, Write};
use std::path::{Path, PathBuf};

use flate2::Compression;
use flate2::write::ZlibEncoder;
use image::metadata::Orientation;
use image::{DynamicImage, ImageDecoder, ImageReader};
use pdf_writer::types::Predictor;
use pdf_writer::{Chunk, Filter, Name, Pdf, Ref};
use rayon::prelude::*;
use sha2::{Digest, Sha256};

use super::spliced::Splicer;
use super::{ByPath, Refs, RenderOptions};
use crate::cache::digests;
use crate::color::OutputSpace;
use crate::diag::Diagnostic;
use crate::geom::Rect;
use crate::model::FileStamp;
use crate::raster;
use convert::{convert_cmyk, convert_rgb, flatten_gray, prepare_device_jpeg};
use jpeg::JpegInfo;
use press::{Placed, resample, resampled_size, strip_icc};

/// The distinct image files of a document, in first-use order.
#[derive(Debug, Default)]
pub(crate) struct ImageSet {
    paths: Vec<PathBuf>,
    seen: BTreeMap<PathBuf, usize>,
    /// The largest placement of each, what its resolution is judged by.
    placed: BTreeMap<PathBuf, Placed>,
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
    /// Whether the photo (converted, or its verdict to go in as it is) came from the
    /// build cache.
    pub cached: bool,
}

impl ImageSet {
    /// Records a use of `path` with the whole image at `placement` (each file is decoded
    /// once, however often it is placed).
    pub(crate) fn add(&mut self, path: &Path, placement: &Rect) {
        if !self.seen.contains_key(path) {
            self.seen.insert(path.to_path_buf(), self.paths.len());
            self.paths.push(path.to_path_buf());
        }
        let placed = self.placed.entry(path.to_path_buf()).or_insert((0.0, 0.0));
        *placed = (placed.0.max(placement.width), placed.1.max(placement.height));
    }

    /// The resource name of `path` in page resources (known before the image is encoded,
    /// so pages can be drawn meanwhile).
    pub(crate) fn resource_name(&self, path: &Path) -> Option<String> {
        self.seen.get(path).map(|&index| resource_name(index))
    }

    /// Encodes and writes every image, in first-use order.
    ///
    /// Images are read, converted and compressed in parallel, a few at a time (enough to
    /// keep every core busy, few enough that only a handful of decoded photos are in memory
    /// at once), then written in order: the output does not depend on which thread finished
    /// first. The next few are encoded while one lot is being written. The first image that
    /// fails, in first-use order, is the error.
    pub(crate) fn write(
        &self,
        pdf: &mut Pdf,
        splicer: &mut Splicer,
        refs: &mut Refs,
        output_profile: &[u8],
        options: &RenderOptions,
        warnings: &mut Vec<Diagnostic>,
    ) -> Result<ByPath<ImageObject>, Diagnostic> {
        let space = OutputSpace::new(output_profile, options.output.intent);
        let encode_all = |paths: &[PathBuf]| -> Vec<_> {
            let placed = |path: &PathBuf| self.placed.get(path).copied();
            paths
                .par_iter()
                .map(|path| {
                    // An ad delivered as a PDF page goes in as a form XObject.
                    if path.extension().is_some_and(|e| e.eq_ignore_ascii_case("pdf")) {
                        pdf_page::read(path, options.output.standard)
                            .map(|p| Encoded::Pdf(Box::new(p)))
                    } else {
                        encode_file(path, placed(path), &space, options).map(Encoded::Image)
                    }
                })
                .collect()
        };
        let batch = rayon::current_num_threads().max(1) * 2;
        let mut lots = self.paths.chunks(batch);
        let mut out = BTreeMap::new();
        let mut index = 0;
        let mut pending = lots.next().map(|paths| (paths, encode_all(paths)));
        while let Some((paths, encoded)) = pending.take() {
            let next = lots.next();
            let (written, encoded_next) = rayon::join(
                || -> Result<(), Diagnostic> {
                    for (path, result) in paths.iter().zip(encoded) {
                        let image = match result? {
                            Encoded::Image((encoded, found)) => {
                                warnings.extend(found);
                                write_xobject(pdf, splicer, refs.next(), index, encoded)
                            }
                            Encoded::Pdf(page) => {
                                let id = refs.next();
                                page.write(pdf, refs, id, resource_name(index))
                            }
                        };
                        out.insert(path.clone(), image);
                        index += 1;
                    }
                    Ok(())
                },
                || next.map(|paths| (paths, encode_all(paths))),
            );
            written?;
            pending = encoded_next;
        }
        Ok(out)
    }
}

/// A file of the set, ready to be written.
enum Encoded {
    /// A photo or image ad, with the warnings it raised.
    Image((EncodedImage, Vec<Diagnostic>)),
    /// An ad's PDF page.
    Pdf(Box<pdf_page::AdPage>),
}

/// The resource name of the `index`th image in first-use order.
fn resource_name(index: usize) -> String {
    format!("Im{index}")
}

/// Writes one encoded image as an XObject, spliced into `pdf` when the file is written
/// (`spliced.rs`).
fn write_xobject(
    pdf: &mut Pdf,
    splicer: &mut Splicer,
    id: Ref,
    index: usize,
    encoded: EncodedImage,
) -> ImageObject {
    let (width, height) = encoded.pixels;
    let colors = if encoded.gray { 1 } else { 4 };
    let space = if encoded.gray { Name(b"DeviceGray") } else { Name(b"DeviceCMYK") };
    let mut object = Chunk::with_capacity(encoded.data.len() + 512);
    let mut xobject = object.image_xobject(id, &encoded.data);
    xobject.filter(if encoded.jpeg { Filter::DctDecode } else { Filter::FlateDecode });
    if !encoded.jpeg {
        xobject
            .decode_parms()
            .predictor(Predictor::PngUp)
            .colors(colors)
            .bits_per_component(8)
            .columns(width as i32);
    }
    xobject.width(width as i32).height(height as i32).color_space_name(space).bits_per_component(8);
    if encoded.inverted {
        xobject.decode([1.0, 0.0, 1.0, 0.0, 1.0, 0.0, 1.0, 0.0]);
    }
    drop(xobject);
    splicer.add(pdf, id, object.as_bytes());
    drop(object);
    // Everything the dictionary says, then the body's length and checksum (computed on the
    // worker).
    let mut hash = Sha256::new();
    hash.update(id.get().to_be_bytes());
    hash.update(width.to_be_bytes());
    hash.update(height.to_be_bytes());
    hash.update([u8::from(encoded.jpeg), u8::from(encoded.gray), u8::from(encoded.inverted)]);
    hash.update((encoded.data.len() as u64).to_be_bytes());
    hash.update(encoded.data_crc.to_be_bytes());
    ImageObject {
        id,
        resource_name: resource_name(index),
        pixels: encoded.pixels,
        passthrough: encoded.passthrough,
        color: encoded.color,
        cached: encoded.cached,
        digest: hash.finalize().into(),
    }
}

/// An image encoded for the PDF: the body of its XObject stream and what the dictionary
/// says about it.
struct EncodedImage {
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
    /// Taken from the build cache rather than converted (or measured) by this build.
    cached: bool,
}

impl EncodedImage {
    fn new(data: Vec<u8>, jpeg: bool, gray: bool, pixels: (u32, u32), color: String) -> Self {
        let data_crc = crc32fast::hash(&data);
        let (passthrough, inverted, cached) = (false, false, false);
        Self { data, data_crc, jpeg, gray, passthrough, inverted, pixels, color, cached }
    }
}

/// Reads and checks one image file, and encodes it for the PDF: as it is when the press can
/// take it, else converted, resampled or ink-limited; returns it with the warnings it
/// raised. `placed` is its largest placement (points). With a build cache
/// (`options.photo_cache`), a photo converted before with the same settings comes from
/// there, and one converted now is kept there; so does the verdict that a CMYK JPEG goes
/// in as it is (its file is then read, but not decoded).
fn encode_file(
    path: &Path,
    placed: Option<Placed>,
    space: &OutputSpace,
    options: &RenderOptions,
) -> Result<(EncodedImage, Vec<Diagnostic>), Diagnostic> {
    let fail = |why: String| Diagnostic::error("image", why).in_file(path);
    let read = || std::fs::read(path).map_err(|e| fail(format!("cannot read image: {e}")));
    let Some(folder) = &options.photo_cache else {
        return encode_bytes(path, read()?, placed, space, options, None);
    };
    let kept = |digest: &[u8; 32]| {
        let mut kept = cache::read(folder, &cache::key(digest, placed, space, options))?;
        kept.cached = true;
        Some(kept)
    };
    let before = std::fs::metadata(path).ok();
    // The digest load took of the file, while the file keeps the stamp it had then.
    let loaded = options
        .loaded
        .get(path)
        .filter(|d| before.as_ref().and_then(FileStamp::of) == Some(d.stamp));
    // A file an earlier build (or load) hashed, unchanged since: its converted photo,
    // without reading it.
    let digests = digests::folder_beside(folder);
    let recorded = loaded.map(|d| d.digest).or_else(|| digests::recorded(path, &digests));
    let mut found = recorded.as_ref().and_then(kept);
    if let Some(converted) = found.take_if(|kept| !kept.passthrough) {
        return Ok((converted, Vec::new()));
    }
    let bytes = read()?;
    // Hashed once per build at most: the digest load took of these very bytes (the file
    // had its stamp before and after they were read), or the one recorded for them (load
    // records it when it proves the photo), else hashed here and recorded.
    let stamp = before.as_ref().and_then(|b| FileStamp::kept_through_read(b, path, bytes.len()));
    let known = loaded
        .filter(|d| stamp == Some(d.stamp))
        .map(|d| d.digest)
        .or_else(|| before.as_ref().and_then(|b| digests::recorded_for(path, b, &bytes, &digests)));
    let digest = match known {
        Some(digest) => digest,
        None => {
            let digest: [u8; 32] = Sha256::digest(&bytes).into();
            if let Some(before) = &before {
                digests::record(path, before, &bytes, &digest, &digests);
            }
            digest
        }
    };
    if recorded != Some(digest) {
        found = kept(&digest);
    }
    if let Some(mut kept) = found {
        if kept.passthrough {
            // The verdict is of these bytes: they go in, without their profile.
            kept.data = strip_icc(&bytes);
            kept.data_crc = crc32fast::hash(&kept.data);
        }
        return Ok((kept, Vec::new()));
    }
    let key = cache::key(&digest, placed, space, options);
    // What load measured of these very bytes while proving them, instead of decoding them
    // again (a measure of other bytes, the file having changed since, is not used).
    let measured = options.measured.get(path).filter(|m| m.digest == digest).map(|m| m.peak);
    let (encoded, warnings) = encode_bytes(path, bytes, placed, space, options, measured)?;
    // A grey JPEG goes in as it is without being decoded: no verdict worth keeping.
    if warnings.is_empty() && !(encoded.passthrough && encoded.gray) {
        cache::write(folder, &key, &encoded);
    }
    Ok((encoded, warnings))
}

/// [`encode_file`] of the file's `bytes`, without the cache; `measured`, the peak ink load
/// measured on these bytes ([`crate::model::InkMeasure`]), if it is known.
fn encode_bytes(
    path: &Path,
    bytes: Vec<u8>,
    placed: Option<Placed>,
    space: &OutputSpace,
    options: &RenderOptions,
    measured: Option<u32>,
) -> Result<(EncodedImage, Vec<Diagnostic>), Diagnostic> {
    let fail = |why: String| Diagnostic::error("image", why).in_file(path);
    let jpeg = JpegInfo::read(&bytes);
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
    // Phones store portraits as landscapes tagged "turn me": turned before anything else,
    // so the resolution is measured on the photo as printed.
    let orientation = orient::orientation_of(&bytes);
    let shown = orient::turned_size((width, height), orientation);
    let output = &options.output;
    let resampled = resampled_size(shown, placed, output.max_ppi, output.target_ppi);
    // A photo too large to decode whole within the memory budget is decoded at a reduced
    // scale, as load proved it.
    let plan = decoding_plan(&bytes, jpeg.as_ref(), (width, height))
        .ok_or_else(|| fail(format!("image is {width}x{height} pixels, too large to decode")))?;
    if plan.denominator > 1 {
        let decoded =
            reduced::decode(path, &bytes, jpeg.as_ref(), orientation, plan.denominator, space)?;
        drop(jpeg);
        drop(bytes);
        return reduced::encode(path, decoded, resampled, space, options);
    }
    if let Some(info) = &jpeg {
        // A CMYK photo separated for another printing condition (its embedded CMYK profile
        // prints the same CMYK as other colours than the output profile) carries that
        // press's ink totals, too much for newsprint: it is converted. Untagged CMYK is
        // taken as made for the output condition, as print shops take it.
        let foreign = info.components == 4
            && !info.icc_chunks.is_empty()
            && !info.embeds_profile(space.profile())
            && !info
                .embedded_profile()
                .is_some_and(|icc| crate::color::profile::same_condition(&icc, space.profile()));
        if foreign
            && info.pdf_compatible
            && let Some(converted) =
                convert_cmyk(path, &bytes, info, orientation, resampled, space, options)?
        {
            return Ok(converted);
        }
        if info.pdf_compatible && matches!(info.components, 1 | 4) {
            // Measured, and turned, resampled or ink-limited if it must be; else as it is.
            let prepared =
                prepare_device_jpeg(path, &bytes, info, orientation, resampled, options, measured)?;
            if let Some(prepared) = prepared {
                return Ok(prepared);
            }
            let gray = info.components == 1;
            let color = if gray { "Gray" } else { "CMYK" };
            // Photoshop writes CMYK JPEGs with inverted samples and flags them with the APP14
            // Adobe marker; a Decode array flips them back.
            let inverted = info.components == 4 && info.adobe;
            let data = strip_icc(&bytes);
            let mut encoded = EncodedImage::new(data, true, gray, (width, height), color.into());
            encoded.inverted = inverted;
            encoded.passthrough = true;
            return Ok((encoded, Vec::new()));
        }
    }

    // An RGB JPEG with at least twice the pixels its frame takes at the target resolution
    // is decoded at a reduced scale in the inverse DCT: a 24-megapixel camera photo in a
    // two-column frame then costs a sixteenth of the decoding, and the resampling to the
    // target works from the nearest larger size.
    let scaled = jpeg.as_ref().filter(|info| info.components == 3 && info.pdf_compatible);
    if let (Some(info), Some(target)) = (scaled, resampled)
        && let Some(denominator) =
            dct_scale((width, height), orient::turned_size(target, orientation))
    {
        let decoded = reduced::decode(path, &bytes, Some(info), orientation, denominator, space)?;
        drop(jpeg);
        drop(bytes);
        return reduced::encode(path, decoded, resampled, space, options);
    }
    // An RGB JPEG printed as it is (upright, at most `max_ppi`) and stored as a JPEG is
    // converted as it is decoded, a band at a time (`streamed.rs`).
    if let Some(info) = jpeg.as_ref().filter(|info| info.components == 3 && info.pdf_compatible)
        && resampled.is_none()
        && orientation == Orientation::NoTransforms
        && let Some(quality) = convert::jpeg_quality(options)
        && let Some(converted) =
            streamed::convert_rgb_jpeg(path, &bytes, info, quality, space, output.tac)?
    {
        return Ok(converted);
    }
    let mut decoder = ImageReader::new(Cursor::new(&bytes))
        .with_guessed_format()
        .map_err(|e| fail(format!("cannot read image: {e}")))?
        .into_decoder()
        .map_err(|e| fail(format!("cannot decode image: {e}")))?;
    let from_jpeg = jpeg.is_some();
    let embedded_icc = match jpeg {
        Some(info) => info.embedded_profile(),
        None => decoder.icc_profile().ok().flatten(),
    };
    let mut image =
        DynamicImage::from_decoder(decoder).map_err(|e| fail(format!("corrupt image: {e}")))?;
    image.apply_orientation(orientation);
    drop(bytes);
    // Resampled before conversion: the conversion then works on the pixels that are kept.
    // Alpha is flattened first (on paper white), so it is not resampled as a colour.
    if let Some(size) = resampled {
        let at = (image.width(), image.height());
        let (samples, channels) = match image {
            DynamicImage::ImageRgb8(buffer) => (buffer.into_raw(), 3),
            DynamicImage::ImageLuma8(buffer) => (buffer.into_raw(), 1),
            other if other.color().has_color() => (convert::flatten_rgb(&other), 3),
            other => (flatten_gray(&other), 1),
        };
        let fail = || fail("the decoded photo does not have the size its header says".into());
        let samples = resample(samples, channels, at, size).ok_or_else(fail)?;
        image = if channels == 3 {
            image::RgbImage::from_raw(size.0, size.1, samples).map(DynamicImage::ImageRgb8)
        } else {
            image::GrayImage::from_raw(size.0, size.1, samples).map(DynamicImage::ImageLuma8)
        }
        .ok_or_else(fail)?;
    }
    if !image.color().has_color() {
        // Greyscale stays grey (black ink only); transparency is flattened on paper white.
        let gray = match &image {
            DynamicImage::ImageLuma8(buffer) => std::borrow::Cow::Borrowed(buffer.as_raw()),
            _ => std::borrow::Cow::Owned(flatten_gray(&image)),
        };
        let (width, height) = (image.width(), image.height());
        let row = width as usize;
        let data = compress_rows(&gray, row, row, |source, out| out.copy_from_slice(source));
        let color = if resampled.is_some() { "Gray, resampled" } else { "Gray" };
        let encoded = EncodedImage::new(data, false, true, (width, height), color.into());
        return Ok((encoded, Vec::new()));
    }
    let (mut encoded, warnings) =
        convert_rgb(path, &image, embedded_icc.as_deref(), from_jpeg, space, options)?;
    if resampled.is_some() {
        encoded.color.push_str(", resampled");
    }
    Ok((encoded, warnings))
}

/// The largest DCT scale (1/8, 1/4 or 1/2) at which a JPEG of `size` pixels still has at
/// least `target` pixels (both as stored), so that the resampling after it only ever
/// reduces; `None` when even 1/2 is too small.
fn dct_scale(size: (u32, u32), target: (u32, u32)) -> Option<u32> {
    [8, 4, 2].into_iter().find(|&denominator| {
        size.0.div_ceil(denominator) >= target.0 && size.1.div_ceil(denominator) >= target.1
    })
}

/// How a photo of `size` pixels is decoded ([`raster::plan`]), from what it takes decoded:
/// a JPEG's components (`jpeg`, its headers), a PNG's samples at their depth; the same plan
/// load proved the photo with. `None` when it is too large even at 1/8.
fn decoding_plan(bytes: &[u8], jpeg: Option<&JpegInfo>, size: (u32, u32)) -> Option<raster::Plan> {
    let (full, reduced) = match jpeg {
        Some(info) => (u64::from(info.components.max(1)), u64::from(info.components.max(1))),
        None => {
            let decoder = ImageReader::new(Cursor::new(bytes))
                .with_guessed_format()
                .ok()?
                .into_decoder()
                .ok()?;
            let color = decoder.color_type();
            (u64::from(color.bytes_per_pixel()), if color.has_color() { 3 } else { 1 })
        }
    };
    raster::plan(size, full, reduced)
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

#[cfg(test)]
mod tests;
