//! The lead of an article: the photo (cover-fit in its frame around the focal point) with its
//! credit and caption over the last columns, and the standfirst at the head of the first.

use super::{Setter, ascent, snap_up};
use crate::compose::Grid;
use crate::compose::display::Item;
use crate::compose::flow::{BlockPiece, line_items};
use crate::geom::{Rect, crop_share};
use crate::model::Article;

/// A lead photo's frame is landscape 3:2 (width, height), the shape of most press photos, so
/// the usual photo is cropped little.
const PHOTO_ASPECT: (f32, f32) = (3.0, 2.0);

/// Share of the room under the head a photo sized from its own shape may take at most: the
/// rest is left to its credit, caption and some body text, so the story still reads there.
const OWN_SHAPE_ROOM: f32 = 2.0 / 3.0;

/// Space between the photo and its credit line, points.
const CREDIT_GAP: f32 = 2.0;

/// The standfirst (chapô) at the head of the first column, as an unbreakable block whose
/// height keeps the body that follows on the baseline grid.
pub(super) fn standfirst_block(setter: &mut Setter<'_>, text: &str, width: f32) -> BlockPiece {
    let style = setter.config.styles.standfirst.clone();
    setter.line = 1;
    let lines = setter.set_text(text, &style, width);
    let mut y = 0.0;
    let items = setter.stack(&lines, &style, 0.0, &mut y);
    BlockPiece {
        height: snap_up(y + style.space_after, setter.grid.baseline),
        items,
        space_before: 0.0,
        floats: false,
    }
}

/// The photo, its credit and caption, `width` wide; `None` for an article without a photo.
/// The photo is `depth` grid lines deep when the page plan or its own shape says so
/// ([`own_shape`]), else 3:2.
pub(super) fn lead_block(
    setter: &mut Setter<'_>,
    article: &Article,
    width: f32,
    depth: Option<u32>,
) -> Option<BlockPiece> {
    let styles = &setter.config.styles;
    let grid = setter.grid.baseline;
    let mut items = Vec::new();
    let mut y = 0.0;
    if let Some(photo) = &article.photo {
        setter.line = photo.line.unwrap_or(1);
        let height = match depth {
            Some(lines) => lines as f32 * grid,
            None => snap_up(width * PHOTO_ASPECT.1 / PHOTO_ASPECT.0, grid),
        };
        let frame = Rect::new(0.0, 0.0, width, height);
        items.push(Item::Image {
            frame,
            clip: frame,
            placement: cover(frame, (photo.width_px, photo.height_px), photo.focus),
            path: photo.path.clone(),
            pixels: (photo.width_px, photo.height_px),
        });
        y = height + CREDIT_GAP;
        if let Some(credit) = &photo.credit {
            let lines = setter.set_text(credit, &styles.credit, width);
            for line in &lines {
                let baseline = y + ascent(&styles.credit);
                // Credits sit flush right under the photo, as agencies ask.
                items.extend(line_items(line, width - line.width, baseline, styles.credit.color));
                y += styles.credit.leading;
            }
        }
        if let Some(caption) = &photo.caption {
            let lines = setter.set_text(caption, &styles.caption, width);
            items.extend(setter.stack(&lines, &styles.caption, 0.0, &mut y));
        }
        y += styles.caption.space_after;
    }
    if items.is_empty() {
        return None;
    }
    Some(BlockPiece { height: snap_up(y, grid), items, space_before: 0.0, floats: false })
}

/// The size of a photo's frame when the page plan gives it no depth: `columns` wide and
/// 3:2 deep (`None`), unless that crops more than `max_crop` of the photo's width or height.
/// Then the frame takes the photo's own shape, on the baseline grid: its depth follows the
/// photo's, and a photo as tall as it is wide or taller goes in one column when `narrow`
/// (its columns were not given: a portrait across two columns would take half a page). The
/// depth is at most `OWN_SHAPE_ROOM` of `room` (points under the head), so a very tall
/// photo may still be cropped past the share: the check then says by how much.
pub(super) fn own_shape(
    pixels: (u32, u32),
    (columns, narrow): (u32, bool),
    grid: &Grid,
    max_crop: f32,
    room: f32,
) -> (u32, Option<u32>) {
    if suits_house(pixels, columns, grid, max_crop) {
        return (columns, None);
    }
    let shape = pixels.1.max(1) as f32 / pixels.0.max(1) as f32;
    let columns = if narrow && shape >= 1.0 { 1 } else { columns };
    let own = grid.span(columns) * shape;
    let most = ((room * OWN_SHAPE_ROOM) / grid.baseline).floor().max(1.0);
    // The nearest grid line to the photo's own depth crops least.
    let lines = (own / grid.baseline).round().clamp(1.0, most);
    (columns, Some(lines as u32))
}

/// Whether a photo of `pixels` `columns` wide fits the house 3:2 frame, cropped at most
/// `max_crop` of its width or height.
pub(super) fn suits_house(pixels: (u32, u32), columns: u32, grid: &Grid, max_crop: f32) -> bool {
    let width = grid.span(columns);
    let house = snap_up(width * PHOTO_ASPECT.1 / PHOTO_ASPECT.0, grid.baseline);
    crop_share(width, house, pixels) <= max_crop
}

/// Where a photo of `pixels` lands so that it covers `frame` with its focal point as near
/// the frame's centre as the crop allows.
pub fn cover(frame: Rect, pixels: (u32, u32), focus: (f32, f32)) -> Rect {
    let (pw, ph) = (pixels.0.max(1) as f32, pixels.1.max(1) as f32);
    let scale = (frame.width / pw).max(frame.height / ph);
    // Float rounding can leave the scaled side a hair short of the frame: never smaller.
    let (w, h) = ((pw * scale).max(frame.width), (ph * scale).max(frame.height));
    // max-then-min rather than clamp: clamp panics if rounding ever crossed the bounds.
    let x = (frame.x + frame.width / 2.0 - focus.0.clamp(0.0, 1.0) * w)
        .max(frame.right() - w)
        .min(frame.x);
    let y = (frame.y + frame.height / 2.0 - focus.1.clamp(0.0, 1.0) * h)
        .max(frame.bottom() - h)
        .min(frame.y);
    Rect::new(x, y, w, h)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A grid of five 150 pt columns with 10 pt gutters on a 10 pt baseline.
    fn grid() -> Grid {
        Grid {
            trim: (800.0, 1200.0),
            area: Rect::new(10.0, 10.0, 790.0, 1000.0),
            columns: 5,
            column_width: 150.0,
            gutter: 10.0,
            baseline: 10.0,
        }
    }

    #[test]
    fn a_photo_the_house_frame_would_crop_too_much_takes_its_own_shape() {
        let grid = grid();
        let shape =
            |pixels, columns, max_crop, room| own_shape(pixels, columns, &grid, max_crop, room);
        // 3:2 and 4:3 photos keep the house frame: 310 x 210 pt crops under a fifth.
        assert_eq!(shape((1500, 1000), (2, true), 0.2, 800.0), (2, None));
        assert_eq!(shape((1600, 1200), (2, true), 0.2, 800.0), (2, None));
        // A 2:3 portrait goes in one column, 225 pt deep: 23 lines, on the grid.
        assert_eq!(shape((600, 900), (2, true), 0.2, 800.0), (1, Some(23)));
        assert!(crop_share(150.0, 230.0, (600, 900)) < 0.05);
        // Its columns given, it keeps them and grows deeper: 465 pt.
        assert_eq!(shape((600, 900), (2, false), 0.2, 800.0), (2, Some(47)));
        // A square one goes in one column too; a 3:1 panorama keeps its columns.
        assert_eq!(shape((1000, 1000), (2, true), 0.2, 800.0), (1, Some(15)));
        assert_eq!(shape((3000, 1000), (2, true), 0.2, 800.0), (2, Some(10)));
        // A very tall photo takes at most two thirds of the room under the head.
        assert_eq!(shape((200, 1000), (2, true), 0.2, 300.0), (1, Some(20)));
        // A relaxed share keeps the house frame for the portrait too.
        assert_eq!(shape((600, 900), (2, true), 0.6, 800.0), (2, None));
    }

    #[test]
    fn cover_fit_keeps_the_focal_point_and_covers_the_frame() {
        let frame = Rect::new(10.0, 20.0, 300.0, 200.0);
        // A wide photo: height fits, the sides are cropped around the focus.
        let placed = cover(frame, (3000, 1000), (0.8, 0.5));
        assert!((placed.height - 200.0).abs() < 1e-3);
        assert!(placed.x <= frame.x && placed.right() >= frame.right());
        // The focus (80 % across) is as near the frame centre as the crop allows.
        let focus_x = placed.x + 0.8 * placed.width;
        assert!(focus_x > frame.x + frame.width / 2.0 - 1.0);
        // Portrait photos of every width never trip on rounding (this once panicked).
        let column = Rect::new(0.0, 0.0, 345.3, 230.2);
        for width in 300..1200 {
            let placed = cover(column, (width, width * 3 / 2), (0.5, 0.0));
            assert!(placed.x <= column.x && placed.right() >= column.right());
            assert!(placed.y <= column.y && placed.bottom() >= column.bottom());
        }
        // Centre focus on a tall photo: cropped top and bottom equally.
        let tall = cover(frame, (1000, 3000), (0.5, 0.5));
        assert!((tall.y - frame.y + (tall.height - frame.height) / 2.0).abs() < 1e-3);
    }
}
