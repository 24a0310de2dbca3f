//! The page-level overlap check: after composition, any text drawn over a photo, over
//! other text, into a QR symbol's quiet zone, or past the trim; and anything at all drawn
//! into a quiet zone (a phone needs four light modules around the symbol to find it).
//!
//! Compose is meant to make none of these; this check is what guarantees that a page with
//! one is never produced silently, whatever went wrong upstream. It works on the display
//! list alone, with the ink of a line of text approximated by a box from about the height
//! of capitals above its baseline to the depth of descenders below.

use crate::compose::display::{Item, Page};
use crate::geom::Rect;
use crate::qr::QUIET_ZONE;

/// Ink above the baseline, in em: capitals and most ascenders (accents on capitals reach a
/// little higher, but sit in the leading).
const ASCENT_EM: f32 = 0.7;

/// Ink below the baseline, in em.
const DESCENT_EM: f32 = 0.15;

/// Overlaps thinner than this are not reported, points: kerning and the rounding of
/// positions make touching boxes overlap by hundredths of a point.
const TOLERANCE: f32 = 0.25;

/// What an item was found over.
#[derive(Debug, Clone, PartialEq)]
pub enum Obstacle {
    /// A photo.
    Photo,
    /// Other text (`text`), from another line or frame.
    Text(String),
    /// The quiet zone of a QR symbol (or the symbol).
    QuietZone,
    /// Outside the trim box.
    OffPage,
}

/// An item drawn where it must not be.
#[derive(Debug, Clone, PartialEq)]
pub struct Overlap {
    /// The page number.
    pub page: u32,
    /// Index of the offending item in the page's display list.
    pub item: usize,
    /// Its text, or what it is when it is not text.
    pub what: String,
    /// What it lies over.
    pub over: Obstacle,
}

impl Overlap {
    /// A sentence for the diagnostic.
    pub fn describe(&self) -> String {
        let over = match &self.over {
            Obstacle::Photo => "over a photo".to_string(),
            Obstacle::Text(other) => format!("over the text {other:?}"),
            Obstacle::QuietZone => {
                "in the quiet zone of a QR code (a phone may not read it)".into()
            }
            Obstacle::OffPage => "past the edge of the page".into(),
        };
        format!("{} is drawn {over} on page {}", self.what, self.page)
    }
}

/// The box a text item inks, or `None` for an empty run.
fn text_box(x: f32, y: f32, run: &crate::text::GlyphRun) -> Option<Rect> {
    let first = run.glyphs.first()?;
    let last = run.glyphs.last()?;
    let left = x + run.x + first.x;
    let right = x + run.x + last.x + last.advance;
    let top = y - ASCENT_EM * run.size;
    Some(Rect::new(left, top, right - left, (ASCENT_EM + DESCENT_EM) * run.size))
}

/// Whether `a` and `b` overlap by more than the tolerance both ways.
fn overlaps(a: &Rect, b: &Rect) -> bool {
    a.x + TOLERANCE < b.right()
        && b.x + TOLERANCE < a.right()
        && a.y + TOLERANCE < b.bottom()
        && b.y + TOLERANCE < a.bottom()
}

/// Whether `outer` covers all of `inner`.
fn contains(outer: &Rect, inner: &Rect) -> bool {
    outer.x <= inner.x
        && outer.y <= inner.y
        && outer.right() >= inner.right()
        && outer.bottom() >= inner.bottom()
}

/// The area an item covers, for the quiet-zone test; `None` for a QR symbol.
fn item_box(item: &Item) -> Option<Rect> {
    match item {
        Item::Text { x, y, run, .. } => text_box(*x, *y, run),
        Item::Rule { from, to, width, .. } => {
            let half = width / 2.0;
            let (left, top) = (from.0.min(to.0) - half, from.1.min(to.1) - half);
            let (right, bottom) = (from.0.max(to.0) + half, from.1.max(to.1) + half);
            Some(Rect::new(left, top, right - left, bottom - top))
        }
        Item::Rect { rect, .. } => Some(*rect),
        Item::Image { clip, .. } => Some(*clip),
        Item::Qr { .. } => None,
    }
}

/// The symbol with its quiet zone.
fn quiet_zone(x: f32, y: f32, module: f32, modules: u32) -> Rect {
    let quiet = QUIET_ZONE as f32 * module;
    let side = modules as f32 * module;
    Rect::new(x - quiet, y - quiet, side + 2.0 * quiet, side + 2.0 * quiet)
}

/// Every overlap on `page`, in display-list order.
pub fn page_overlaps(page: &Page) -> Vec<Overlap> {
    let trim = Rect::new(0.0, 0.0, page.width, page.height);
    let mut texts = Vec::new();
    let mut photos = Vec::new();
    let mut zones = Vec::new();
    for (index, item) in page.items.iter().enumerate() {
        match item {
            Item::Text { x, y, run, .. } => {
                if let Some(b) = text_box(*x, *y, run) {
                    texts.push((index, b, run.text.as_str()));
                }
            }
            Item::Image { clip, .. } => photos.push(*clip),
            Item::Qr { x, y, module, symbol } => {
                zones.push(quiet_zone(*x, *y, *module, symbol.width))
            }
            _ => {}
        }
    }
    let mut found = Vec::new();
    for &(index, b, text) in &texts {
        let what = || format!("the text {text:?}");
        if b.x < trim.x - TOLERANCE
            || b.y < trim.y - TOLERANCE
            || b.right() > trim.right() + TOLERANCE
            || b.bottom() > trim.bottom() + TOLERANCE
        {
            found.push(Overlap {
                page: page.number,
                item: index,
                what: what(),
                over: Obstacle::OffPage,
            });
        }
        if photos.iter().any(|p| overlaps(&b, p)) {
            found.push(Overlap {
                page: page.number,
                item: index,
                what: what(),
                over: Obstacle::Photo,
            });
        }
    }
    // Text over text: sorted by top, each box is compared with those starting above its foot.
    let mut by_top: Vec<&(usize, Rect, &str)> = texts.iter().collect();
    by_top.sort_by(|a, b| a.1.y.total_cmp(&b.1.y));
    for (i, &&(index, b, text)) in by_top.iter().enumerate() {
        for &&(other, o, other_text) in &by_top[i + 1..] {
            if o.y >= b.bottom() {
                break;
            }
            if overlaps(&b, &o) {
                let (first, second) = if index < other { (index, other) } else { (other, index) };
                let (late_text, early_text) =
                    if first == index { (other_text, text) } else { (text, other_text) };
                found.push(Overlap {
                    page: page.number,
                    item: second,
                    what: format!("the text {late_text:?}"),
                    over: Obstacle::Text(early_text.to_string()),
                });
            }
        }
    }
    for zone in &zones {
        for (index, item) in page.items.iter().enumerate() {
            let Some(b) = item_box(item) else { continue };
            // A background tint under the whole block leaves the symbol's contrast to
            // preflight; anything crossing into the zone breaks its edge.
            let background = matches!(item, Item::Rect { .. }) && contains(&b, zone);
            if !background && overlaps(&b, zone) {
                let what = match item {
                    Item::Text { run, .. } => format!("the text {:?}", run.text),
                    Item::Rule { .. } => "a rule".into(),
                    Item::Rect { .. } => "a rectangle".into(),
                    Item::Image { path, .. } => format!("the photo {}", path.display()),
                    Item::Qr { .. } => continue,
                };
                found.push(Overlap {
                    page: page.number,
                    item: index,
                    what,
                    over: Obstacle::QuietZone,
                });
            }
        }
    }
    found.sort_by_key(|o| o.item);
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::color::Color;
    use crate::fonts::FontId;
    use crate::model::EcLevel;
    use crate::text::{Glyph, GlyphRun};
    use std::sync::Arc;

    /// A run of `text` at 9 pt, one 5 pt glyph per character.
    fn text(x: f32, y: f32, text: &str) -> Item {
        let glyphs = (0..text.len())
            .map(|i| Glyph {
                id: 1,
                x: i as f32 * 5.0,
                y_offset: 0.0,
                advance: 5.0,
                text_start: i as u32,
                text_len: 1,
            })
            .collect();
        let run =
            GlyphRun { font: FontId(0), size: 9.0, scale: 1.0, x: 0.0, text: text.into(), glyphs };
        Item::Text { x, y, run: run.into(), color: Color::Gray(0.0) }
    }

    fn photo(rect: Rect) -> Item {
        Item::Image {
            frame: rect,
            clip: rect,
            placement: rect,
            path: "p.jpg".into(),
            pixels: (100, 100),
        }
    }

    fn qr(x: f32, y: f32) -> Item {
        let symbol = crate::qr::encode("https://liberte-actus.fr/1719", EcLevel::Q).unwrap();
        Item::Qr { x, y, module: 1.7, symbol: Arc::new(symbol) }
    }

    fn page(items: Vec<Item>) -> Page {
        Page { width: 300.0, height: 400.0, number: 2, items }
    }

    /// Two columns of lines 10 pt apart, 100 pt wide at x 0 and 110: clean.
    fn columns() -> Vec<Item> {
        (0..5)
            .flat_map(|i| {
                let y = 20.0 + 10.0 * i as f32;
                [text(0.0, y, "column one line"), text(110.0, y, "column two line")]
            })
            .collect()
    }

    #[test]
    fn a_clean_page_has_no_overlap() {
        let mut items = columns();
        items.push(photo(Rect::new(0.0, 100.0, 200.0, 100.0)));
        items.push(text(0.0, 210.0, "caption under the photo"));
        items.push(qr(200.0, 250.0));
        items.push(text(0.0, 260.0, "left of the quiet zone"));
        assert_eq!(page_overlaps(&page(items)), vec![]);
    }

    #[test]
    fn a_jump_line_over_a_photo_is_found() {
        let mut items = columns();
        items.push(photo(Rect::new(110.0, 100.0, 100.0, 100.0)));
        items.push(text(130.0, 195.0, "Fortsetzung auf Seite 15"));
        let found = page_overlaps(&page(items));
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].over, Obstacle::Photo);
        assert!(
            found[0].describe().contains("Fortsetzung auf Seite 15"),
            "{}",
            found[0].describe()
        );
        assert!(found[0].describe().contains("page 2"));
    }

    #[test]
    fn a_word_past_the_trim_is_found() {
        let items = vec![text(200.0, 20.0, "Donaudampfschifffahrtsgesellschaft")];
        let found = page_overlaps(&page(items));
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].over, Obstacle::OffPage);
    }

    #[test]
    fn a_body_line_over_the_gutter_is_found() {
        let mut items = columns();
        // A 40-digit number from column one runs into column two's third line.
        items.push(text(0.0, 80.0, "1234567890123456789012345678901234567890"));
        items.push(text(110.0, 80.0, "credit: agency"));
        let found = page_overlaps(&page(items));
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(
            found[0].over,
            Obstacle::Text("1234567890123456789012345678901234567890".into())
        );
        assert_eq!(found[0].item, 11, "the later item is the one reported");
    }

    /// The QR code checked in place: a caption drawn over the symbol, or into its quiet zone
    /// only, fails; so does a rule crossing it.
    #[test]
    fn anything_in_a_quiet_zone_is_found() {
        for caption_x in [150.0, 190.0] {
            let items = vec![qr(200.0, 250.0), text(caption_x, 270.0, "Scannez pour lire")];
            let found = page_overlaps(&page(items));
            assert!(found.iter().any(|o| o.over == Obstacle::QuietZone), "{caption_x}: {found:?}");
        }
        let rule = Item::Rule {
            from: (0.0, 245.0),
            to: (300.0, 245.0),
            width: 0.5,
            color: Color::Gray(0.0),
        };
        let found = page_overlaps(&page(vec![qr(200.0, 250.0), rule]));
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].what, "a rule");
    }
}
