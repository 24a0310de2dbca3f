//! Drawing: one page's display list and marks into a content stream.
//!
//! Colours are DeviceCMYK (`k`/`K`) or DeviceGray (`g`/`G`) only. Anything printed with the
//! black plate alone overprints (`/OP true /op true /OPM 1`): black text over a tint or a
//! photo must not knock out the other inks, or the slightest misregistration shows white
//! halos around every letter. QR symbols and photos never overprint.

use std::collections::BTreeSet;
use std::path::PathBuf;

use pdf_writer::types::{ColorSpaceOperand, LineCapStyle};
use pdf_writer::{Content, Name, Str};

use super::fonts::Embedded;
use super::images::ImageSet;
use super::marks::{MARK_WIDTH, PageMarks};
use super::pdfx::PageBoxes;
use super::round;
use crate::color::Color;
use crate::compose::display::{Item, Page};
use crate::fonts::FontId;
use crate::geom::Rect;
use crate::qr::QrSymbol;
use crate::text::GlyphRun;
use std::collections::BTreeMap;

/// Resource name of the registration colour space.
pub(crate) const REGISTRATION: &[u8] = b"CSall";
/// Resource name of the overprinting graphics state.
pub(crate) const OVERPRINT_ON: &[u8] = b"GSop";
/// Resource name of the knock-out graphics state.
pub(crate) const OVERPRINT_OFF: &[u8] = b"GSko";

/// Runs of dark modules in a QR symbol, row by row: `(row, first column, length)`. Drawing
/// one rectangle per run rather than per module keeps the path about a third as long and
/// leaves no seams between neighbouring modules.
pub fn dark_runs(symbol: &QrSymbol) -> Vec<(u32, u32, u32)> {
    let width = symbol.width as usize;
    let mut runs = Vec::new();
    if width == 0 {
        return runs;
    }
    for (row, modules) in symbol.modules.chunks(width).enumerate() {
        let mut start = None;
        for (col, &dark) in modules.iter().chain(std::iter::once(&false)).enumerate() {
            match (dark, start) {
                (true, None) => start = Some(col),
                (false, Some(s)) => {
                    runs.push((row as u32, s as u32, (col - s) as u32));
                    start = None;
                }
                _ => {}
            }
        }
    }
    runs
}

/// A drawn page: its content stream and the resources it uses.
pub(crate) struct Drawn {
    /// Uncompressed content stream.
    pub content: Vec<u8>,
    /// Fonts used.
    pub fonts: BTreeSet<FontId>,
    /// Images used.
    pub images: BTreeSet<PathBuf>,
    /// Every image placement in drawing order.
    pub placements: Vec<(PathBuf, Rect)>,
}

/// Content stream writer that knows the page geometry and the graphics state.
///
/// Fill and stroke colour, font and text rise are part of the graphics state, which
/// persists across `BT`/`ET`: they are written only when they change (a page of text is
/// mostly one colour and a few fonts, and repeating them for every word made a third of the
/// content stream), and a run never inherits a rise the one before it left set. Nothing
/// between `q` and `Q` changes them, so the `Q` never restores something else.
struct Painter<'a> {
    content: Content,
    boxes: &'a PageBoxes,
    overprint: bool,
    fonts: BTreeSet<FontId>,
    /// Current fill colour (`None`: the initial black, never assumed).
    fill: Option<Color>,
    /// Current stroke colour.
    stroke: Option<Color>,
    /// Current font resource and size.
    font: Option<(&'a str, f32)>,
    /// Current text rise.
    rise: f32,
    /// Current horizontal scaling (`Tz`), as a factor.
    scale: f32,
    /// Scratch: the glyphs of the text object being written.
    glyphs: Vec<PlacedGlyph>,
    /// Scratch: glyph codes waiting to be shown.
    pending: Vec<u8>,
}

/// A glyph placed in a text object.
#[derive(Clone, Copy)]
struct PlacedGlyph {
    id: u16,
    /// From the text object's origin, points.
    x: f32,
    /// Baseline offset, rounded as written.
    rise: f32,
}

impl<'a> Painter<'a> {
    fn set_overprint(&mut self, on: bool) {
        if on != self.overprint {
            self.content.set_parameters(Name(if on { OVERPRINT_ON } else { OVERPRINT_OFF }));
            self.overprint = on;
        }
    }

    /// Overprint for colours printed by the black plate alone (but not paper white, which
    /// would vanish if it overprinted).
    fn overprint_for(&mut self, color: Color) {
        let inked = match color {
            Color::Cmyk(_, _, _, k) => k > 0.0,
            Color::Gray(g) => g > 0.0,
        };
        self.set_overprint(color.is_black_only() && inked);
    }

    fn fill(&mut self, color: Color) {
        if self.fill == Some(color) {
            return;
        }
        self.fill = Some(color);
        match color {
            Color::Cmyk(c, m, y, k) => self.content.set_fill_cmyk(c, m, y, k),
            // Color::Gray counts ink (1 = black); DeviceGray counts light (0 = black).
            Color::Gray(g) => self.content.set_fill_gray(1.0 - g),
        };
    }

    fn stroke(&mut self, color: Color) {
        if self.stroke == Some(color) {
            return;
        }
        self.stroke = Some(color);
        match color {
            Color::Cmyk(c, m, y, k) => self.content.set_stroke_cmyk(c, m, y, k),
            Color::Gray(g) => self.content.set_stroke_gray(1.0 - g),
        };
    }

    /// Appends a rectangle given in page coordinates to the current path.
    fn rect(&mut self, rect: &Rect) {
        let (x0, y0) = self.boxes.point(rect.x, rect.bottom());
        let (x1, y1) = self.boxes.point(rect.right(), rect.y);
        self.content.rect(x0, y0, round(x1 - x0), round(y1 - y0));
    }

    /// Shows `runs`, consecutive runs on one baseline `y` in one font, size and colour (the
    /// words of a line), in one text object: one text matrix and TJ adjustments for the
    /// spaces. A text object per word made the content stream twice as long.
    fn text(&mut self, y: f32, runs: &[(f32, &GlyphRun)], color: Color, font: &'a Embedded) {
        let Some(&(x, first)) = runs.first() else { return };
        let size = first.size;
        if size <= 0.0 || runs.iter().all(|(_, run)| run.glyphs.is_empty()) {
            return;
        }
        // Every glyph's position from the first run's origin, reusing one buffer.
        let origin = x + first.x;
        self.glyphs.clear();
        for &(x, run) in runs {
            let start = x + run.x - origin;
            self.glyphs.extend(run.glyphs.iter().map(|g| PlacedGlyph {
                id: g.id,
                x: start + g.x,
                rise: round(g.y_offset),
            }));
        }
        let glyphs = std::mem::take(&mut self.glyphs);
        self.fonts.insert(first.font);
        self.overprint_for(color);
        self.fill(color);
        let (ox, oy) = self.boxes.point(origin, y);
        self.content.begin_text();
        if self.font != Some((font.resource_name.as_str(), size)) {
            self.content.set_font(Name(font.resource_name.as_bytes()), size);
            self.font = Some((font.resource_name.as_str(), size));
        }
        // Font expansion: the line's glyphs drawn `scale` wide, as composition measured them.
        // Tz also scales the TJ adjustments, so `show` divides them by it.
        let scale = first.scale;
        if scale != self.scale {
            self.content.set_horizontal_scaling(round(scale * 100.0));
            self.scale = scale;
        }
        self.content.set_text_matrix([1.0, 0.0, 0.0, 1.0, ox, oy]);
        let mut start = 0;
        while start < glyphs.len() {
            // One TJ per stretch of equal baseline offset (superscripts change it).
            let rise = glyphs[start].rise;
            let end = glyphs[start..]
                .iter()
                .position(|g| g.rise != rise)
                .map_or(glyphs.len(), |n| start + n);
            if rise != self.rise {
                self.content.set_rise(rise);
                self.rise = rise;
            }
            // Where the PDF pen stands: the origin, or after the previous stretch.
            let pen = match start.checked_sub(1) {
                Some(prev) => glyphs[prev].x + font.width(glyphs[prev].id) * size * scale / 1000.0,
                None => 0.0,
            };
            self.show(&glyphs[start..end], pen, size, font);
            start = end;
        }
        self.content.end_text();
        self.glyphs = glyphs;
    }

    /// Shows glyphs with TJ from `pen`, adjusting after any glyph whose font advance differs
    /// from the shaped and justified position of the next, so spacing is exactly what
    /// composition set.
    fn show(&mut self, glyphs: &[PlacedGlyph], mut pen: f32, size: f32, font: &Embedded) {
        // Horizontal units of text space: what Tz scales.
        let unit = size * self.scale;
        let mut positioned = self.content.show_positioned();
        let mut items = positioned.items();
        self.pending.clear();
        for glyph in glyphs {
            let adjust = round(-(glyph.x - pen) * 1000.0 / unit);
            if adjust != 0.0 {
                if !self.pending.is_empty() {
                    items.show(Str(&self.pending));
                    self.pending.clear();
                }
                items.adjust(adjust);
            }
            self.pending.extend_from_slice(&font.cid(glyph.id).to_be_bytes());
            pen = glyph.x + font.width(glyph.id) * unit / 1000.0;
        }
        if !self.pending.is_empty() {
            items.show(Str(&self.pending));
        }
    }

    /// A circle of radius `r` around (`cx`, `cy`) in page coordinates, four Bézier arcs.
    fn circle(&mut self, cx: f32, cy: f32, r: f32) {
        // Control distance for a quarter circle: 4/3 (sqrt 2 - 1).
        let k = 0.552_284_8 * r;
        let (x, y) = self.boxes.point(cx, cy);
        let c = &mut self.content;
        c.move_to(round(x + r), y);
        c.cubic_to(round(x + r), round(y + k), round(x + k), round(y + r), x, round(y + r));
        c.cubic_to(round(x - k), round(y + r), round(x - r), round(y + k), round(x - r), y);
        c.cubic_to(round(x - r), round(y - k), round(x - k), round(y - r), x, round(y - r));
        c.cubic_to(round(x + k), round(y - r), round(x + r), round(y - k), round(x + r), y);
        c.close_path();
    }
}

/// Draws a page and its marks.
pub(crate) fn draw_page<'a>(
    page: &Page,
    marks: &PageMarks,
    boxes: &'a PageBoxes,
    fonts: &'a BTreeMap<FontId, Embedded>,
    images: &ImageSet,
) -> Drawn {
    let mut p = Painter {
        content: Content::new(),
        boxes,
        overprint: false,
        fonts: BTreeSet::new(),
        fill: None,
        stroke: None,
        font: None,
        rise: 0.0,
        scale: 1.0,
        glyphs: Vec::new(),
        pending: Vec::new(),
    };
    let mut line: Vec<(f32, &GlyphRun)> = Vec::new();
    let mut used_images = BTreeSet::new();
    let mut placements = Vec::new();
    let mut items = page.items.iter().peekable();
    while let Some(item) = items.next() {
        match item {
            Item::Text { x, y, run, color } => {
                // The following runs that continue this one's line in its font, size and
                // colour join its text object.
                line.clear();
                line.push((*x, run));
                let mut end = x + run.x + run.glyphs.last().map_or(0.0, |g| g.x);
                while let Some(Item::Text { x: nx, y: ny, run: next, color: nc }) = items.peek() {
                    let starts = nx + next.x;
                    if (ny, nc, next.font, next.size, next.scale)
                        != (y, color, run.font, run.size, run.scale)
                        || starts < end
                    {
                        break;
                    }
                    end = starts + next.glyphs.last().map_or(0.0, |g| g.x);
                    line.push((*nx, next));
                    items.next();
                }
                if let Some(font) = fonts.get(&run.font) {
                    p.text(*y, &line, *color, font);
                }
            }
            Item::Rule { from, to, width, color } => {
                p.overprint_for(*color);
                p.stroke(*color);
                p.content.set_line_width(round(*width));
                let (x0, y0) = boxes.point(from.0, from.1);
                let (x1, y1) = boxes.point(to.0, to.1);
                p.content.move_to(x0, y0).line_to(x1, y1).stroke();
            }
            Item::Rect { rect, fill, stroke } => {
                if let Some(color) = fill {
                    p.overprint_for(*color);
                    p.fill(*color);
                    p.rect(rect);
                    p.content.fill_nonzero();
                }
                if let Some((color, width)) = stroke {
                    p.overprint_for(*color);
                    p.stroke(*color);
                    p.content.set_line_width(round(*width));
                    p.rect(rect);
                    p.content.stroke();
                }
            }
            Item::Image { clip, placement, path, .. } => {
                let Some(resource_name) = images.resource_name(path) else { continue };
                used_images.insert(path.clone());
                placements.push((path.clone(), *placement));
                p.set_overprint(false);
                p.content.save_state();
                p.rect(clip);
                p.content.clip_nonzero().end_path();
                let (x, y) = boxes.point(placement.x, placement.bottom());
                let (x1, y1) = boxes.point(placement.right(), placement.y);
                p.content.transform([round(x1 - x), 0.0, 0.0, round(y1 - y), x, y]);
                p.content.x_object(Name(resource_name.as_bytes()));
                p.content.restore_state();
            }
            Item::Qr { x, y, module, symbol } => {
                p.set_overprint(false);
                // Stated even when black is already current: the symbol's runs then read
                // as one self-contained black fill (tests/qr.rs looks for it so).
                p.fill = None;
                p.fill(Color::BLACK);
                let runs = dark_runs(symbol);
                for &(row, col, len) in &runs {
                    let left = x + col as f32 * module;
                    let right = x + (col + len) as f32 * module;
                    let top = y + row as f32 * module;
                    let bottom = y + (row + 1) as f32 * module;
                    let (x0, y0) = boxes.point(left, bottom);
                    let (x1, y1) = boxes.point(right, top);
                    p.content.rect(x0, y0, round(x1 - x0), round(y1 - y0));
                }
                if !runs.is_empty() {
                    p.content.fill_nonzero();
                }
            }
        }
    }

    // Marks last, on top, in the registration colour.
    if !marks.lines.is_empty() || !marks.targets.is_empty() {
        p.set_overprint(false);
        p.content.save_state();
        p.content.set_stroke_color_space(ColorSpaceOperand::Named(Name(REGISTRATION)));
        p.content.set_stroke_color([1.0]);
        p.content.set_line_width(MARK_WIDTH);
        p.content.set_line_cap(LineCapStyle::ButtCap);
        for [a, b] in &marks.lines {
            let (x0, y0) = boxes.point(a.0, a.1);
            let (x1, y1) = boxes.point(b.0, b.1);
            p.content.move_to(x0, y0).line_to(x1, y1);
        }
        for &(x, y, r) in &marks.targets {
            p.circle(x, y, r);
        }
        p.content.stroke();
        p.content.restore_state();
    }
    if let Some((x, y, run)) = &marks.slug
        && let Some(font) = fonts.get(&run.font)
    {
        p.text(*y, &[(*x, run)], Color::BLACK, font);
    }
    Drawn {
        content: p.content.finish().into_vec(),
        fonts: p.fonts,
        images: used_images,
        placements,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::EcLevel;

    #[test]
    fn merges_horizontal_runs() {
        let symbol = QrSymbol {
            width: 4,
            modules: vec![
                true, true, false, true, //
                false, false, false, false, //
                true, true, true, true, //
                false, true, true, false,
            ],
            version: 1,
            ec_level: EcLevel::M,
            payload: String::new(),
        };
        assert_eq!(dark_runs(&symbol), vec![(0, 0, 2), (0, 3, 1), (2, 0, 4), (3, 1, 2)]);
    }
}
