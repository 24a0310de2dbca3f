//! Pages as PNG pictures, drawn in-process from the display list with tiny-skia: a look at
//! the pages without a PDF viewer (`rotative build --png`), and a contact sheet of the
//! whole issue (the flatplan view, [`sheet`]).
//!
//! The same display list as the PDF, drawn the same way: glyph outlines from the same font
//! files ([`glyphs`]), photos from their decoded pixels in the colours they print in
//! ([`super::images::preview`]), rules, boxes and QR modules as filled or stroked paths,
//! anti-aliased as PDF viewers draw them, in the colours a PDF viewer shows ([`screen`]). A picture shows the trim, what a reader holds: no bleed, no marks.
//! An advertisement delivered as a PDF page, which only a PDF renderer could draw, shows
//! as a grey box crossed from corner to corner.
//!
//! Pages are drawn in parallel, each on its own; the same pages give the same bytes.

mod glyphs;
mod screen;
mod sheet;

use rayon::prelude::*;
use tiny_skia::{
    FillRule, FilterQuality, IntSize, LineCap, Mask, Paint, PathBuilder, Pixmap, PixmapPaint,
    Stroke, Transform,
};

use super::RenderOptions;
use super::content::dark_runs;
use super::images::preview::{self, PreviewSamples};
use super::pdfx;
use crate::color::{Color, OutputSpace};
use crate::compose::display::{Item, Page};
use crate::diag::Diagnostic;
use crate::fonts::FontBook;
use crate::geom::Rect;
use glyphs::Outlines;
use screen::Screen;

/// The lowest and highest resolution a preview may be asked for, dots per inch: below 10
/// a page is a smudge, above 1,200 an A4 page takes 560 MB of pixels.
pub const PNG_DPI_RANGE: std::ops::RangeInclusive<u32> = 10..=1200;

/// One page as a PNG file.
#[derive(Debug, Clone)]
pub struct PagePng {
    /// Page number, as printed.
    pub number: u32,
    /// The PNG file.
    pub bytes: Vec<u8>,
}

/// The pictures of a document.
#[derive(Debug, Clone)]
pub struct Preview {
    /// One PNG per page, in page order.
    pub pages: Vec<PagePng>,
    /// The contact sheet: every page as a thumbnail with its number, laid out as spreads.
    pub sheet: Vec<u8>,
    /// What could not be shown (a photo that cannot be read is drawn as a grey box).
    pub warnings: Vec<Diagnostic>,
}

/// Draws `pages` at `dpi` dots per inch, with a contact sheet.
///
/// Errors: an output profile that is unreadable or not CMYK, a resolution out of
/// [`PNG_DPI_RANGE`], no pages.
pub fn render_png(
    pages: &[Page],
    fonts: &FontBook,
    options: &RenderOptions,
    dpi: u32,
) -> Result<Preview, Diagnostic> {
    if pages.is_empty() {
        return Err(Diagnostic::error("render", "nothing to preview: the document has no pages"));
    }
    if !PNG_DPI_RANGE.contains(&dpi) {
        return Err(Diagnostic::error(
            "usage",
            format!(
                "a preview at {dpi} dpi is out of range ({} to {})",
                PNG_DPI_RANGE.start(),
                PNG_DPI_RANGE.end()
            ),
        ));
    }
    let profile = pdfx::output_profile(
        &options.output.icc_profile,
        options.output.output_condition.as_deref(),
    )?;
    let screen = Screen::new().map_err(|e| {
        Diagnostic::error(
            "output-profile",
            format!("cannot build the screen colour conversion: {e}"),
        )
    })?;
    let space = OutputSpace::new(&profile.data, options.output.intent);
    let painter =
        Painter { fonts, screen: &screen, space: &space, options, scale: dpi as f32 / 72.0 };
    let drawn: Vec<(Pixmap, Vec<Diagnostic>)> =
        pages.par_iter().map(|page| painter.page(page)).collect::<Result<_, _>>()?;
    let mut warnings = Vec::new();
    let mut pictures = Vec::with_capacity(drawn.len());
    for (page, (pixmap, found)) in pages.iter().zip(&drawn) {
        warnings.extend(found.iter().cloned());
        pictures.push(PagePng { number: page.number, bytes: encode(pixmap) });
    }
    let thumbnails: Vec<(u32, &Pixmap)> =
        pages.iter().zip(&drawn).map(|(page, (pixmap, _))| (page.number, pixmap)).collect();
    let sheet = sheet::contact_sheet(&thumbnails, fonts, &screen).ok_or_else(|| {
        Diagnostic::error("render", "the contact sheet would be too large a picture")
    })?;
    Ok(Preview { pages: pictures, sheet: encode(&sheet), warnings })
}

/// Encodes a pixmap as an 8-bit RGB PNG (every pixel is opaque: the alpha channel would
/// only add a quarter to the file).
pub(crate) fn encode(pixmap: &Pixmap) -> Vec<u8> {
    let rgb: Vec<u8> = pixmap.data().chunks_exact(4).flat_map(|p| [p[0], p[1], p[2]]).collect();
    let mut bytes = Vec::new();
    let mut encoder = png::Encoder::new(&mut bytes, pixmap.width(), pixmap.height());
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    encoder.set_compression(png::Compression::Fast);
    // Writing into a Vec fails only on a size the pixmap cannot have.
    if let Ok(mut writer) = encoder.write_header() {
        let _ = writer.write_image_data(&rgb);
    }
    bytes
}

/// What drawing a page needs.
struct Painter<'a> {
    fonts: &'a FontBook,
    screen: &'a Screen,
    space: &'a OutputSpace<'a>,
    options: &'a RenderOptions,
    /// Pixels a point.
    scale: f32,
}

impl Painter<'_> {
    /// Draws one page on paper white; returns it with the photos that could not be shown.
    /// Errors: a page too large for a picture at this resolution.
    fn page(&self, page: &Page) -> Result<(Pixmap, Vec<Diagnostic>), Diagnostic> {
        let size = |points: f32| ((points * self.scale).ceil() as u32).max(1);
        let mut warnings = Vec::new();
        let (width, height) = (size(page.width), size(page.height));
        let mut pixmap = Pixmap::new(width, height).ok_or_else(|| {
            Diagnostic::error(
                "render",
                format!("page {} would be a {width}x{height} picture, too large", page.number),
            )
        })?;
        pixmap.fill(tiny_skia::Color::WHITE);
        let base = Transform::from_scale(self.scale, self.scale);
        let mut outlines = Outlines::new(self.fonts);
        for item in &page.items {
            match item {
                Item::Text { x, y, run, color } => {
                    let units = outlines.units_per_em(run.font);
                    let s = run.size / units;
                    let mut path = PathBuilder::new();
                    for glyph in &run.glyphs {
                        let Some(outline) = outlines.get(run.font, glyph.id) else { continue };
                        let at = Transform::from_row(
                            s,
                            0.0,
                            0.0,
                            -s,
                            x + run.x + glyph.x,
                            y - glyph.y_offset,
                        );
                        if let Some(placed) = outline.clone().transform(at) {
                            path.push_path(&placed);
                        }
                    }
                    if let Some(path) = path.finish() {
                        let paint = self.paint(*color);
                        pixmap.fill_path(&path, &paint, FillRule::Winding, base, None);
                    }
                }
                Item::Rule { from, to, width, color } => {
                    let mut path = PathBuilder::new();
                    path.move_to(from.0, from.1);
                    path.line_to(to.0, to.1);
                    if let Some(path) = path.finish() {
                        let stroke =
                            Stroke { width: *width, line_cap: LineCap::Butt, ..Stroke::default() };
                        pixmap.stroke_path(&path, &self.paint(*color), &stroke, base, None);
                    }
                }
                Item::Rect { rect, fill, stroke } => {
                    let Some(r) = skia_rect(rect) else { continue };
                    if let Some(color) = fill {
                        pixmap.fill_rect(r, &self.paint(*color), base, None);
                    }
                    if let Some((color, width)) = stroke {
                        let path = PathBuilder::from_rect(r);
                        let stroke = Stroke { width: *width, ..Stroke::default() };
                        pixmap.stroke_path(&path, &self.paint(*color), &stroke, base, None);
                    }
                }
                Item::Image { clip, placement, path, .. } => {
                    if let Err(why) = self.photo(&mut pixmap, clip, placement, path) {
                        warnings.push(
                            Diagnostic::warning(
                                "preview",
                                format!("photo not shown in the preview: {why}"),
                            )
                            .in_file(path),
                        );
                        self.stand_in(&mut pixmap, clip);
                    }
                }
                Item::Qr { x, y, module, symbol } => {
                    let mut path = PathBuilder::new();
                    for (row, col, len) in dark_runs(symbol) {
                        let left = x + col as f32 * module;
                        let top = y + row as f32 * module;
                        if let Some(r) =
                            tiny_skia::Rect::from_xywh(left, top, len as f32 * module, *module)
                        {
                            path.push_rect(r);
                        }
                    }
                    if let Some(path) = path.finish() {
                        let paint = self.paint(Color::BLACK);
                        pixmap.fill_path(&path, &paint, FillRule::Winding, base, None);
                    }
                }
            }
        }
        Ok((pixmap, warnings))
    }

    /// Draws a photo (or a PDF advertisement's stand-in) into `clip`, scaled to
    /// `placement`.
    fn photo(
        &self,
        pixmap: &mut Pixmap,
        clip: &Rect,
        placement: &Rect,
        path: &std::path::Path,
    ) -> Result<(), String> {
        if path.extension().is_some_and(|e| e.eq_ignore_ascii_case("pdf")) {
            self.stand_in(pixmap, clip);
            return Ok(());
        }
        // Decoded at the size it is shown, so drawing it is a copy with no resampling.
        let target = (
            ((placement.width * self.scale).round() as u32).max(1),
            ((placement.height * self.scale).round() as u32).max(1),
        );
        let photo = preview::decode(path, target, self.space, self.options)?;
        let (width, height) = photo.size;
        let pixels = width as usize * height as usize;
        let mut rgba = vec![255u8; pixels * 4];
        match &photo.samples {
            PreviewSamples::Gray(gray) => {
                for (out, &g) in rgba.chunks_exact_mut(4).zip(gray) {
                    out[..3].fill(g);
                }
            }
            PreviewSamples::Inks(inks) => {
                let mut rgb = vec![0u8; pixels * 3];
                self.screen.inks_to_rgb(inks, &mut rgb);
                for (out, p) in rgba.chunks_exact_mut(4).zip(rgb.chunks_exact(3)) {
                    out[..3].copy_from_slice(p);
                }
            }
        }
        let size = IntSize::from_wh(width, height).ok_or("the photo has no pixels")?;
        let image = Pixmap::from_vec(rgba, size).ok_or("the photo has no pixels")?;
        let mask = self.clip_mask(pixmap, clip).ok_or("its frame is empty")?;
        let at = Transform::from_row(
            placement.width * self.scale / width as f32,
            0.0,
            0.0,
            placement.height * self.scale / height as f32,
            placement.x * self.scale,
            placement.y * self.scale,
        );
        let paint = PixmapPaint { quality: FilterQuality::Bilinear, ..PixmapPaint::default() };
        pixmap.draw_pixmap(0, 0, image.as_ref(), &paint, at, Some(&mask));
        Ok(())
    }

    /// A light grey box crossed from corner to corner, where a picture cannot be shown.
    fn stand_in(&self, pixmap: &mut Pixmap, clip: &Rect) {
        let Some(r) = skia_rect(clip) else { return };
        let base = Transform::from_scale(self.scale, self.scale);
        pixmap.fill_rect(r, &self.paint(Color::Gray(0.15)), base, None);
        let mut cross = PathBuilder::new();
        cross.move_to(r.left(), r.top());
        cross.line_to(r.right(), r.bottom());
        cross.move_to(r.right(), r.top());
        cross.line_to(r.left(), r.bottom());
        cross.push_rect(r);
        if let Some(cross) = cross.finish() {
            let stroke = Stroke { width: 0.5, ..Stroke::default() };
            pixmap.stroke_path(&cross, &self.paint(Color::Gray(0.5)), &stroke, base, None);
        }
    }

    /// A mask of `clip` (page coordinates) over the whole pixmap.
    fn clip_mask(&self, pixmap: &Pixmap, clip: &Rect) -> Option<Mask> {
        let mut mask = Mask::new(pixmap.width(), pixmap.height())?;
        let path = PathBuilder::from_rect(skia_rect(clip)?);
        let base = Transform::from_scale(self.scale, self.scale);
        mask.fill_path(&path, FillRule::Winding, true, base);
        Some(mask)
    }

    fn paint(&self, color: Color) -> Paint<'static> {
        let mut paint = Paint::default();
        paint.set_color(self.screen.color(color));
        paint.anti_alias = true;
        paint
    }
}

/// A display-list rectangle as tiny-skia's (`None` when it is empty or not finite).
fn skia_rect(rect: &Rect) -> Option<tiny_skia::Rect> {
    tiny_skia::Rect::from_xywh(rect.x, rect.y, rect.width, rect.height)
}
