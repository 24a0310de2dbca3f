//! Printer's marks: crop marks, registration targets and the slug line, all outside the
//! BleedBox (between it and the MediaBox), so nothing of them can reach the printed page.
//!
//! Figures: crop marks 0.25 pt, 6 mm long, starting 1 pt beyond the bleed edge (and at least
//! 3 mm from the trim), as the print facts in DESIGN.md §4 ask.

use crate::compose::display::Page;
use crate::fonts::FontBook;
use crate::geom::mm;
use crate::model::{FontSource, Marks};
use crate::text::{Glyph, GlyphRun};

use super::RenderOptions;

/// Width of crop and registration strokes, points.
pub(crate) const MARK_WIDTH: f32 = 0.25;
/// Slug text size, points.
const SLUG_SIZE: f32 = 6.0;

/// The marks of one page, in page coordinates (trim top-left, y down; the marks themselves
/// lie at negative coordinates or beyond the trim size).
#[derive(Debug, Default)]
pub(crate) struct PageMarks {
    /// Straight hairlines in registration colour.
    pub lines: Vec<[(f32, f32); 2]>,
    /// Registration targets: centre and circle radius.
    pub targets: Vec<(f32, f32, f32)>,
    /// The slug line: origin of its baseline and the run.
    pub slug: Option<(f32, f32, GlyphRun)>,
}

/// The marks `options` asks for on `page`.
pub(crate) fn build(page: &Page, options: &RenderOptions, fonts: &FontBook) -> PageMarks {
    let mut marks = PageMarks::default();
    if options.output.marks == Marks::None {
        return marks;
    }
    let bleed = options.output.bleed.max(0.0);
    // One point beyond the bleed edge, so no rendering of the hairline's end can touch it.
    let offset = bleed.max(mm(3.0)) + 1.0;
    let length = mm(6.0);
    let (w, h) = (page.width, page.height);
    for (cx, sx) in [(0.0, -1.0), (w, 1.0)] {
        for (cy, sy) in [(0.0, -1.0), (h, 1.0)] {
            marks.lines.push([(cx + sx * offset, cy), (cx + sx * (offset + length), cy)]);
            marks.lines.push([(cx, cy + sy * offset), (cx, cy + sy * (offset + length))]);
        }
    }
    if options.output.marks == Marks::All {
        // Targets: a circle and four ticks pointing at its centre. The ticks stop short of
        // the circle and do not cross each other: where hairlines of all four inks cross,
        // a RIP renders a solid 400 % spot that ink-limit preflight reports.
        let radius = mm(2.5);
        let (gap, tick) = (mm(0.5), mm(1.5));
        let reach = radius + gap + tick;
        // Centred so that the ticks stay 1 mm clear of the BleedBox.
        let distance = bleed + reach + mm(1.0);
        marks.targets.push((w / 2.0, -distance, radius));
        marks.targets.push((w / 2.0, h + distance, radius));
        marks.targets.push((-distance, h / 2.0, radius));
        marks.targets.push((w + distance, h / 2.0, radius));
        for (x, y, r) in marks.targets.clone() {
            let (near, far) = (r + gap, r + gap + tick);
            marks.lines.push([(x - far, y), (x - near, y)]);
            marks.lines.push([(x + near, y), (x + far, y)]);
            marks.lines.push([(x, y - far), (x, y - near)]);
            marks.lines.push([(x, y + near), (x, y + far)]);
        }
        let text = if options.slug.is_empty() {
            format!("page {}", page.number)
        } else {
            format!("{}  |  page {}", options.slug, page.number)
        };
        if let Some(run) = slug_run(&text, fonts) {
            marks.slug = Some((mm(5.0), h + bleed + mm(5.0), run));
        }
    }
    marks
}

/// Sets the slug in the bundled sans (falling back to the kicker face), glyph by glyph: it
/// is a technical line, kerning does not matter.
fn slug_run(text: &str, fonts: &FontBook) -> Option<GlyphRun> {
    let sans = FontSource::Bundled("LiberationSans-Regular".into());
    let id = fonts.iter().find(|(_, f)| f.source == sans).map(|(id, _)| id)?;
    let font = fonts.get(id);
    let mut x = 0.0;
    let mut glyphs = Vec::new();
    for (start, c) in text.char_indices() {
        let gid = font.glyph_index(c).unwrap_or(0);
        let advance = font.advance(gid) * SLUG_SIZE;
        glyphs.push(Glyph {
            id: gid,
            x,
            y_offset: 0.0,
            advance,
            text_start: start as u32,
            text_len: c.len_utf8() as u32,
        });
        x += advance;
    }
    Some(GlyphRun { font: id, size: SLUG_SIZE, scale: 1.0, x: 0.0, text: text.to_string(), glyphs })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::pdfx::PageBoxes;

    #[test]
    fn marks_stay_outside_the_bleed_box_and_inside_the_media() {
        let book = crate::render::tests::book();
        let page = Page { width: mm(210.0), height: mm(297.0), number: 3, items: vec![] };
        let mut options = RenderOptions { slug: "x.pdf".into(), ..Default::default() };
        options.output.marks = Marks::All;
        let marks = build(&page, &options, &book);
        let boxes =
            PageBoxes::new(page.width, page.height, options.output.bleed, options.output.marks);
        assert_eq!(marks.lines.len(), 8 + 16);
        let outside_bleed = |x: f32, y: f32| {
            let (px, py) = boxes.point(x, y);
            let b = boxes.bleed;
            px <= b.x0 || px >= b.x1 || py <= b.y0 || py >= b.y1
        };
        let inside_media = |x: f32, y: f32| {
            let (px, py) = boxes.point(x, y);
            let m = boxes.media;
            px >= m.x0 && px <= m.x1 && py >= m.y0 && py <= m.y1
        };
        for [a, b] in &marks.lines {
            // A segment is outside a box when both ends are beyond the same edge; checking
            // ends and midpoint suffices for our axis-aligned marks.
            let mid = ((a.0 + b.0) / 2.0, (a.1 + b.1) / 2.0);
            for p in [*a, *b, mid] {
                assert!(outside_bleed(p.0, p.1), "{a:?}-{b:?}");
                assert!(inside_media(p.0, p.1), "{a:?}-{b:?}");
            }
        }
        let (x, y, run) = marks.slug.as_ref().unwrap();
        assert!(run.text.ends_with("page 3"));
        assert!(outside_bleed(*x, *y - 5.0) && inside_media(*x, *y + 2.0));
    }
}
