//! The bleed: a photo or a tint that touches the trim runs on past it by the bleed, so that
//! the cutting tolerance never leaves a white edge. A layout decision, so it is made here on
//! each finished page, and render draws the display list as it is.

use super::article::cover;
use super::display::{Item, Page};
use crate::geom::Rect;

/// How near the trim an edge must be to count as touching it, points: layout arithmetic
/// never lands exactly on it.
const TOUCH: f32 = 0.5;

/// Runs every photo and tint of `page` that touches the trim on into the bleed, `bleed`
/// points past it. A photo's clip grows and the photo is fitted again to cover it around the
/// same centre of interest; its `frame` stays the visible part inside the trim. A tint's
/// fill grows; a stroke around it stays on the trim.
pub fn run_into_bleed(page: &mut Page, bleed: f32) {
    let (width, height) = (page.width, page.height);
    let mut items = Vec::with_capacity(page.items.len());
    for item in page.items.drain(..) {
        match item {
            Item::Image { frame, clip, placement, path, pixels } => {
                let extended = to_bleed(clip, width, height, bleed);
                let (clip, placement) = if extended == clip {
                    (clip, placement)
                } else {
                    let focus = (
                        (clip.x + clip.width / 2.0 - placement.x) / placement.width,
                        (clip.y + clip.height / 2.0 - placement.y) / placement.height,
                    );
                    (extended, cover(extended, pixels, focus))
                };
                items.push(Item::Image { frame, clip, placement, path, pixels });
            }
            Item::Rect { rect, fill: Some(fill), stroke } => {
                let extended = to_bleed(rect, width, height, bleed);
                if extended == rect || stroke.is_none() {
                    items.push(Item::Rect { rect: extended, fill: Some(fill), stroke });
                } else {
                    // The fill bleeds, the outline is drawn where it was laid out.
                    items.push(Item::Rect { rect: extended, fill: Some(fill), stroke: None });
                    items.push(Item::Rect { rect, fill: None, stroke });
                }
            }
            other => items.push(other),
        }
    }
    page.items = items;
}

/// `rect` grown by `bleed` on each side where it touches the trim of a `width` x `height`
/// page.
fn to_bleed(rect: Rect, width: f32, height: f32, bleed: f32) -> Rect {
    let mut out = rect;
    if rect.x <= TOUCH {
        out.x -= bleed;
        out.width += bleed;
    }
    if rect.y <= TOUCH {
        out.y -= bleed;
        out.height += bleed;
    }
    if rect.right() >= width - TOUCH {
        out.width += bleed;
    }
    if rect.bottom() >= height - TOUCH {
        out.height += bleed;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::color::Color;
    use std::path::PathBuf;

    const BLEED: f32 = 8.5;

    fn image(frame: Rect, placement: Rect) -> Item {
        Item::Image {
            frame,
            clip: frame,
            placement,
            path: PathBuf::from("p.jpg"),
            pixels: (600, 400),
        }
    }

    fn page(items: Vec<Item>) -> Page {
        let mut page = Page { width: 500.0, height: 700.0, number: 1, items };
        run_into_bleed(&mut page, BLEED);
        page
    }

    #[test]
    fn a_photo_touching_the_trim_runs_into_the_bleed_and_keeps_its_visible_frame() {
        // Top-left corner of the page, cropped around its centre.
        let frame = Rect::new(0.0, 0.0, 300.0, 150.0);
        let page = page(vec![image(frame, Rect::new(0.0, -25.0, 300.0, 200.0))]);
        let Item::Image { frame: visible, clip, placement, .. } = &page.items[0] else {
            panic!("{:?}", page.items)
        };
        assert_eq!(*visible, frame, "the check stage still sees the frame inside the trim");
        assert_eq!(*clip, Rect::new(-BLEED, -BLEED, 300.0 + BLEED, 150.0 + BLEED));
        // Fitted again to cover the larger clip, around the same centre of interest.
        assert!(placement.x <= clip.x && placement.right() >= clip.right());
        assert!(placement.y <= clip.y && placement.bottom() >= clip.bottom());
        let centre = (placement.y + placement.height / 2.0 - clip.y) / clip.height;
        assert!((centre - 0.5).abs() < 0.05, "{centre}");
    }

    #[test]
    fn what_stays_clear_of_the_trim_is_left_alone() {
        let frame = Rect::new(50.0, 60.0, 100.0, 100.0);
        let tint = Item::Rect { rect: frame, fill: Some(Color::Gray(0.1)), stroke: None };
        let page = page(vec![image(frame, frame), tint]);
        assert!(matches!(&page.items[0], Item::Image { clip, .. } if *clip == frame));
        assert!(matches!(&page.items[1], Item::Rect { rect, .. } if *rect == frame));
    }

    #[test]
    fn a_tint_bleeds_but_its_outline_stays_on_the_trim() {
        let rect = Rect::new(400.0, 500.0, 100.0, 200.0);
        let outline = Some((Color::BLACK, 1.0));
        let page = page(vec![
            Item::Rect { rect, fill: Some(Color::Gray(0.1)), stroke: None },
            Item::Rect { rect, fill: Some(Color::Gray(0.1)), stroke: outline },
        ]);
        let bled = Rect::new(400.0, 500.0, 100.0 + BLEED, 200.0 + BLEED);
        assert!(matches!(&page.items[0], Item::Rect { rect, .. } if *rect == bled));
        assert!(matches!(&page.items[1], Item::Rect { rect, stroke: None, .. } if *rect == bled));
        assert!(
            matches!(&page.items[2], Item::Rect { rect: r, fill: None, stroke } if *r == rect && *stroke == outline)
        );
    }
}
