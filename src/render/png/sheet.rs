//! The contact sheet: every page of the issue as a thumbnail with its number, laid out as
//! the flatplan a layout desk pins on the wall: page 1 alone on the right, then the
//! spreads (2-3, 4-5, …) side by side, four spreads a row.

use tiny_skia::{
    FillRule, IntSize, Paint, PathBuilder, Pixmap, PixmapPaint, Rect, Stroke, Transform,
};

use super::glyphs::Outlines;
use super::screen::Screen;
use crate::color::Color;
use crate::fonts::FontBook;

/// Width of a thumbnail, pixels: twelve tabloid pages fit a 1,500-pixel-wide screen.
const THUMB_WIDTH: u32 = 170;
/// Spreads in a row.
const SPREADS_PER_ROW: u32 = 4;
/// Margin around the sheet and the gap between spreads, pixels.
const GAP: u32 = 24;
/// Room under a thumbnail for its page number, pixels.
const LABEL: u32 = 26;
/// Size of the page numbers, pixels.
const LABEL_SIZE: f32 = 15.0;

/// Lays out `pages` (page number and its picture) on one sheet; `None` when the sheet would
/// be larger than a picture can be (tens of thousands of pages).
pub(super) fn contact_sheet(
    pages: &[(u32, &Pixmap)],
    fonts: &FontBook,
    screen: &Screen,
) -> Option<Pixmap> {
    // Pages of an issue share one size; the first stands for all.
    let (page_w, page_h) = pages.first().map_or((1, 1), |(_, p)| (p.width(), p.height()));
    let thumb_h =
        ((THUMB_WIDTH as f32 * page_h as f32 / page_w.max(1) as f32).round() as u32).max(1);
    // Page 1 takes the right-hand slot of the first spread.
    let slots = pages.len() as u32 + 1;
    let spreads = slots.div_ceil(2);
    let columns = spreads.min(SPREADS_PER_ROW);
    let rows = spreads.div_ceil(SPREADS_PER_ROW);
    let width = GAP + columns * (2 * THUMB_WIDTH + GAP);
    let height = GAP + rows * (thumb_h + LABEL + GAP);
    let mut sheet = Pixmap::new(width, height)?;
    sheet.fill(tiny_skia::Color::from_rgba8(222, 222, 222, 255));
    let mut outlines = Outlines::new(fonts);
    let border = paint(screen.color(Color::Gray(0.45)));
    let ink = paint(screen.color(Color::BLACK));
    for (index, (number, pixmap)) in pages.iter().enumerate() {
        let slot = index as u32 + 1;
        let (spread, side) = (slot / 2, slot % 2);
        let x = GAP + (spread % SPREADS_PER_ROW) * (2 * THUMB_WIDTH + GAP) + side * THUMB_WIDTH;
        let y = GAP + (spread / SPREADS_PER_ROW) * (thumb_h + LABEL + GAP);
        if let Some(thumb) = thumbnail(pixmap, (THUMB_WIDTH, thumb_h)) {
            sheet.draw_pixmap(
                x as i32,
                y as i32,
                thumb.as_ref(),
                &PixmapPaint::default(),
                Transform::identity(),
                None,
            );
        }
        if let Some(frame) = Rect::from_xywh(x as f32, y as f32, THUMB_WIDTH as f32, thumb_h as f32)
        {
            let stroke = Stroke { width: 1.0, ..Stroke::default() };
            let path = PathBuilder::from_rect(frame);
            sheet.stroke_path(&path, &border, &stroke, Transform::identity(), None);
        }
        let centre = x as f32 + THUMB_WIDTH as f32 / 2.0;
        let baseline = (y + thumb_h) as f32 + LABEL as f32 - 7.0;
        label(&mut sheet, &mut outlines, fonts, &number.to_string(), (centre, baseline), &ink);
    }
    Some(sheet)
}

/// `pixmap` scaled down to `size` (Lanczos-3, which keeps small type a grey line rather than
/// a moiré).
fn thumbnail(pixmap: &Pixmap, size: (u32, u32)) -> Option<Pixmap> {
    use fast_image_resize::{FilterType, PixelType, ResizeAlg, ResizeOptions, Resizer, images};
    let source =
        images::ImageRef::new(pixmap.width(), pixmap.height(), pixmap.data(), PixelType::U8x4)
            .ok()?;
    let mut out = images::Image::new(size.0, size.1, PixelType::U8x4);
    // Every pixel is opaque: no alpha to weigh the colours by.
    let options = ResizeOptions::new()
        .resize_alg(ResizeAlg::Convolution(FilterType::Lanczos3))
        .use_alpha(false);
    Resizer::new().resize(&source, &mut out, &options).ok()?;
    Pixmap::from_vec(out.into_vec(), IntSize::from_wh(size.0, size.1)?)
}

/// Draws `text` centred on `centre` on `baseline`, in the caption font.
fn label(
    sheet: &mut Pixmap,
    outlines: &mut Outlines,
    fonts: &FontBook,
    text: &str,
    (centre, baseline): (f32, f32),
    ink: &Paint,
) {
    let id = fonts.caption.regular;
    let font = fonts.get(id);
    let glyphs: Vec<u16> = text.chars().filter_map(|c| font.glyph_index(c)).collect();
    let width: f32 = glyphs.iter().map(|&g| font.advance(g) * LABEL_SIZE).sum();
    let s = LABEL_SIZE / font.units_per_em;
    let mut pen = centre - width / 2.0;
    let mut path = PathBuilder::new();
    for glyph in glyphs {
        if let Some(outline) = outlines.get(id, glyph)
            && let Some(placed) =
                outline.clone().transform(Transform::from_row(s, 0.0, 0.0, -s, pen, baseline))
        {
            path.push_path(&placed);
        }
        pen += font.advance(glyph) * LABEL_SIZE;
    }
    if let Some(path) = path.finish() {
        sheet.fill_path(&path, ink, FillRule::Winding, Transform::identity(), None);
    }
}

fn paint(color: tiny_skia::Color) -> Paint<'static> {
    let mut paint = Paint::default();
    paint.set_color(color);
    paint.anti_alias = true;
    paint
}
