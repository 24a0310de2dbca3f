//! The `render` stage: display list to PDF (PDF/X-4, PDF/X-1a or plain). The only stage that
//! knows PDF; it draws what `compose` decided and decides nothing about layout.
//!
//! The document is written in two passes. The first walks every page to learn which glyphs
//! of which fonts and which image files are used (fonts must be subset before any content
//! stream can name their glyphs), the second writes one content stream per page. Everything
//! that is iterated while writing is ordered (`BTreeMap`, display-list order), so the same
//! input gives the same bytes.
//!
//! Files: `pdfx.rs` (standard identification, boxes, output intent), `fonts.rs` (subset CID
//! fonts), `images/` (photo pass-through, colour conversion, ink limit), `marks.rs` (printer's
//! marks), `content.rs` (drawing the display list).

mod content;
mod fonts;
mod images;
mod marks;
mod options;
mod pages;
mod pdfx;
mod png;
mod spliced;
pub mod streams;
pub mod version;

use std::collections::BTreeMap;
use std::io::Write;
use std::path::PathBuf;

use flate2::Compression;
use flate2::write::ZlibEncoder;
use pdf_writer::{Filter, Name, Pdf, Rect as PdfRect, Ref};
use rayon::prelude::*;

use crate::compose::display::{Item, Page};
use crate::diag::Diagnostic;
use crate::fonts::FontBook;
pub use crate::model::{Intent, Marks, OutputSpec, Standard};

pub use content::dark_runs;
pub use images::cache::PHOTO_FOLDER;
pub use options::RenderOptions;
pub use png::{PNG_DPI_RANGE, PagePng, Preview, render_png};
pub use spliced::PdfFile;

/// The written PDF and what was learnt while writing it.
#[derive(Debug, Clone)]
pub struct Rendered {
    /// The PDF file, its photos spliced in as it is written out.
    pub pdf: PdfFile,
    /// Findings that did not stop the output.
    pub warnings: Vec<Diagnostic>,
    /// Every image placement, in page order.
    pub images: Vec<PlacedImage>,
}

/// One placed photo, as the report lists it (resolution, colour handling).
#[derive(Debug, Clone, PartialEq)]
pub struct PlacedImage {
    /// The image file.
    pub path: PathBuf,
    /// Page number (as printed).
    pub page: u32,
    /// Effective resolution at the placed size: the lower of horizontal and vertical.
    pub ppi: f32,
    /// Whether the file's JPEG bytes went into the PDF unchanged.
    pub passthrough: bool,
    /// How the colour was handled, e.g. `CMYK`, `Gray`, `RGB (sRGB) -> CMYK`.
    pub color: String,
    /// Whether the photo came from the build cache: converted before, or (passed through)
    /// measured before and found to go in as it is.
    pub cached: bool,
}

/// Allocates object numbers in writing order.
pub(crate) struct Refs(i32);

impl Refs {
    /// The next free reference.
    pub(crate) fn next(&mut self) -> Ref {
        self.0 += 1;
        Ref::new(self.0)
    }
}

/// Zlib-compresses a stream body (PDF's FlateDecode; LZW is not allowed in PDF/X) at
/// `level`: 6 for fonts, a faster level where it costs little size. Builds go through
/// [`streams::Deflater`], which keeps what it compressed for the next build, and pages
/// through [`pages::PageCache`], which keeps them drawn. Page
/// content streams go at level 1: a page of the 40-article benchmark (73 KB raw) takes
/// 19 KB against 15.5 KB at level 3, a quarter of a percent of a file whose photos are 1 MB
/// a page, and the render stage takes 0.05 s instead of 0.06. The output profile is as
/// small at level 1 (489 KB) as at 6, seven times faster.
pub(crate) fn deflate_at(data: &[u8], level: u32) -> Vec<u8> {
    let mut encoder = ZlibEncoder::new(Vec::with_capacity(data.len() / 2), Compression::new(level));
    // Writing into a Vec cannot fail.
    let _ = encoder.write_all(data);
    encoder.finish().unwrap_or_default()
}

/// Rounds a coordinate to 1/1000 pt: more than enough for print, and keeps tiny values from
/// being written in exponent notation, which PDF does not have.
pub(crate) fn round(value: f32) -> f32 {
    // A NaN or infinity from upstream arithmetic would be written as `NaN`, a syntax error.
    if !value.is_finite() {
        return 0.0;
    }
    let r = (value * 1000.0).round() / 1000.0;
    if r == 0.0 { 0.0 } else { r }
}

/// Writes `pages` as one PDF in the standard `options` asks for.
///
/// Errors: an output profile that is unreadable or not a CMYK printer profile, an image that
/// is unreadable, corrupt or too large, a font that cannot be subset.
pub fn render_pdf(
    pages: &[Page],
    fonts: &FontBook,
    options: &RenderOptions,
) -> Result<Rendered, Diagnostic> {
    if pages.is_empty() {
        return Err(Diagnostic::error("render", "nothing to render: the document has no pages"));
    }
    let profile = pdfx::output_profile(
        &options.output.icc_profile,
        options.output.output_condition.as_deref(),
    )?;
    let mut warnings = Vec::new();

    // Pass 1: marks (they carry text), glyph usage and images.
    let page_marks: Vec<marks::PageMarks> =
        pages.iter().map(|page| marks::build(page, options, fonts)).collect();
    let mut usage = fonts::Usage::default();
    for (page, page_marks) in pages.iter().zip(&page_marks) {
        for item in &page.items {
            if let Item::Text { run, .. } = item {
                usage.add(run);
            }
        }
        if let Some((_, _, run)) = &page_marks.slug {
            usage.add(run);
        }
    }
    let mut images = images::ImageSet::default();
    for page in pages {
        for item in &page.items {
            if let Item::Image { path, placement, .. } = item {
                images.add(path, placement);
            }
        }
    }

    // The photos' objects go to a spill file rather than into the buffer
    // (`spliced.rs`): room for everything else.
    let mut pdf = Pdf::with_capacity(4 << 20);
    let mut splicer = spliced::Splicer::default();
    pdf.set_version(1, pdfx::version(options.output.standard));
    let mut refs = Refs(0);
    let catalog_id = refs.next();
    let page_tree_id = refs.next();
    let info_id = refs.next();

    // Shared resources.
    let registration_id = refs.next();
    pdfx::write_registration_space(&mut pdf, registration_id);
    let overprint_on = refs.next();
    pdf.ext_graphics(overprint_on)
        .overprint(true)
        .overprint_fill(true)
        .overprint_mode(pdf_writer::types::OverprintMode::IgnoreZeroChannel);
    let overprint_off = refs.next();
    pdf.ext_graphics(overprint_off).overprint(false).overprint_fill(false);

    let deflater = streams::Deflater::new(options);
    let embedded = fonts::write_fonts(&mut pdf, &mut refs, fonts, &usage, &deflater)?;
    let page_cache = pages::PageCache::new(&deflater, &embedded, fonts);
    // The photos are read, converted where needed and written while the pages are drawn:
    // a page only names its photos.
    let images_start = pdf.as_bytes().len();
    let (image_objects, (drawn, profile_stream)) = rayon::join(
        || images.write(&mut pdf, &mut splicer, &mut refs, &profile.data, options, &mut warnings),
        || {
            rayon::join(
                // Drawing and compressing are independent per page; the page objects are
                // written in page order afterwards.
                || -> Vec<(pdfx::PageBoxes, content::Drawn, Vec<u8>)> {
                    pages
                        .par_iter()
                        .zip(&page_marks)
                        .map(|(page, page_marks)| {
                            let boxes = pdfx::PageBoxes::new(
                                page.width,
                                page.height,
                                options.output.bleed,
                                options.output.marks,
                            );
                            let (drawn, compressed) =
                                page_cache.draw(page, page_marks, &boxes, &embedded, &images);
                            (boxes, drawn, compressed)
                        })
                        .collect()
                },
                || pdfx::profile_stream(&profile, options),
            )
        },
    );
    let image_objects = image_objects?;
    let images_end = pdf.as_bytes().len();
    let mut page_ids = Vec::with_capacity(pages.len());
    let mut placed = Vec::new();
    for (page, (boxes, drawn, compressed)) in pages.iter().zip(drawn) {
        for (path, placement) in &drawn.placements {
            if let Some(image) = image_objects.get(path) {
                placed.push(PlacedImage {
                    path: path.clone(),
                    page: page.number,
                    ppi: crate::geom::effective_ppi(image.pixels, placement),
                    passthrough: image.passthrough,
                    color: image.color.clone(),
                    cached: image.cached,
                });
            }
        }
        let content_id = refs.next();
        pdf.stream(content_id, &compressed).filter(Filter::FlateDecode);

        let page_id = refs.next();
        page_ids.push(page_id);
        let mut pdf_page = pdf.page(page_id);
        pdf_page.parent(page_tree_id).contents(content_id);
        pdf_page.media_box(boxes.media.to_pdf());
        pdf_page.bleed_box(boxes.bleed.to_pdf());
        pdf_page.trim_box(boxes.trim.to_pdf());
        let mut resources = pdf_page.resources();
        if !drawn.fonts.is_empty() {
            let mut dict = resources.fonts();
            for id in &drawn.fonts {
                if let Some(font) = embedded.get(id) {
                    dict.pair(Name(font.resource_name.as_bytes()), font.type0);
                }
            }
        }
        if !drawn.images.is_empty() {
            let mut dict = resources.x_objects();
            for path in &drawn.images {
                if let Some(image) = image_objects.get(path) {
                    dict.pair(Name(image.resource_name.as_bytes()), image.id);
                }
            }
        }
        resources.color_spaces().pair(Name(content::REGISTRATION), registration_id);
        resources
            .ext_g_states()
            .pair(Name(content::OVERPRINT_ON), overprint_on)
            .pair(Name(content::OVERPRINT_OFF), overprint_off);
    }
    pdf.pages(page_tree_id).kids(page_ids.iter().copied()).count(page_ids.len() as i32);

    // The document's identity: a hash of everything written so far plus the metadata, so a
    // changed page changes the /ID and the XMP DocumentID, and an unchanged one does not.
    // The image objects count by their digests, computed in parallel while preparing them,
    // rather than by hashing their megabytes again here, in one thread.
    let body = pdf.as_bytes();
    let image_digests: Vec<[u8; 32]> = image_objects.values().map(|image| image.digest).collect();
    let digest = pdfx::document_digest(
        [&body[..images_start], &body[images_end..]],
        &image_digests,
        options,
    );
    pdfx::write_document(
        &mut pdf,
        &mut refs,
        catalog_id,
        page_tree_id,
        info_id,
        &profile,
        profile_stream.as_deref().map(Vec::as_slice),
        options,
        &digest,
    );
    pdf.set_file_id((digest[..16].to_vec(), digest[..16].to_vec()));
    let pdf = splicer.finish(pdf.finish()).ok_or_else(|| {
        Diagnostic::error("render", "the PDF writer's cross-reference table could not be read")
    })?;
    Ok(Rendered { pdf, warnings, images: placed })
}

/// A rectangle in PDF user space (origin bottom-left of the MediaBox, y upwards).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct PdfBox {
    /// Left.
    pub x0: f32,
    /// Bottom.
    pub y0: f32,
    /// Right.
    pub x1: f32,
    /// Top.
    pub y1: f32,
}

impl PdfBox {
    fn to_pdf(self) -> PdfRect {
        PdfRect::new(self.x0, self.y0, self.x1, self.y1)
    }
}

/// Values keyed by image path (sorted; resource numbers come from first use instead).
pub(crate) type ByPath<T> = BTreeMap<PathBuf, T>;

#[cfg(test)]
mod tests;
