//! Boxes for characters no font has. Such a character is set as its font's missing-glyph
//! glyph (`.notdef`), which many fonts leave empty (Liberation does): it would print as
//! blank space, and a reader could not tell a character was lost. Where the glyph is
//! empty, a box outline is drawn in its place, as the `.notdef` of most fonts looks.

use crate::compose::display::{Item, Page};
use crate::fonts::FontBook;
use crate::geom::Rect;

/// Share of the glyph's advance left blank on each side of the box.
const SIDE_BEARING: f32 = 0.1;

/// Stroke of the box, in em: about half a point at 9 pt, as heavy as a regular stem.
const STROKE_EM: f32 = 0.055;

/// Appends a box outline for every empty missing glyph on `page`, from the baseline to the
/// cap height of the glyph's font, in the colour of its text.
pub fn draw_missing_glyph_boxes(page: &mut Page, book: &FontBook) {
    let mut boxes = Vec::new();
    for item in &page.items {
        let Item::Text { x, y, run, color } = item else { continue };
        let font = book.get(run.font);
        if !font.notdef_is_empty {
            continue;
        }
        for glyph in run.glyphs.iter().filter(|g| g.id == 0 && g.text_len > 0) {
            let stroke = STROKE_EM * run.size;
            let height = font.cap_height * run.size;
            let left = x + run.x + glyph.x + glyph.advance * SIDE_BEARING;
            let width = glyph.advance * (1.0 - 2.0 * SIDE_BEARING);
            // The stroke is centred on the path: the outline is inset by half of it so
            // the ink stays within the glyph's cell.
            let rect = Rect::new(
                left + stroke / 2.0,
                y - glyph.y_offset - height + stroke / 2.0,
                (width - stroke).max(stroke),
                (height - stroke).max(stroke),
            );
            boxes.push(Item::Rect { rect, fill: None, stroke: Some((*color, stroke)) });
        }
    }
    page.items.extend(boxes);
}
