//! The holes the stories leave: a page made again with the publication's house ad built up
//! from its foot (`auto.house_ad`), as newspapers fill them, so that the stories above fill
//! what is left exactly. Where the copy runs out, on the last page, and on any page before
//! it that no arrangement of its stories fills.

use std::cmp::Reverse;

use super::measure::Measured;
use super::page::{Made, Rest, make_page, white_after_fit};
use super::search::PageArea;
use super::{Layout, left_after};
use crate::compose::article::HouseAd;

/// Where the house ad goes on its page, in columns and lines of the grid.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct HouseSlot {
    /// First column, 0-based.
    pub(super) first_column: u32,
    /// Columns spanned.
    pub(super) columns: u32,
    /// Top edge, in lines under the top of the page's text.
    pub(super) top: u32,
    /// Depth in lines.
    pub(super) depth: u32,
}

/// Which page the house ad is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum HousePage {
    /// The last, where the copy runs out: every story of the window placed above the ad,
    /// none jumping, and their frames filled exactly.
    Last,
    /// One the copy goes on from, whose frames the copyfit leaves this many lines short in
    /// all: the ad fills the hole, and the frames are left no shorter.
    Before { short: u32 },
}

/// The depths in lines the house ad may take at each width, by columns spanned (index 0
/// for one column): set once per make-up, as they hang on nothing but the width.
pub(super) fn house_depths(layout: &Layout<'_>) -> Vec<Vec<u32>> {
    let grid = &layout.grid;
    (1..=grid.columns)
        .map(|width| {
            let points = width as f32 * grid.column_width + (width - 1) as f32 * grid.gutter;
            HouseAd::depths_for(layout.engine, layout.config, grid, points)
        })
        .collect()
}

/// A page made again from the same `rest` and `window` over a house ad, when one of the
/// ad's sizes (`depths`, from [`house_depths`]) leaves an area the stories cover whole (see
/// [`HousePage`] for how exactly). Sizes are tried across the whole width first (the usual
/// foot band), then narrower; the smallest that works is kept.
pub(super) fn over_house_ad(
    shapes: &mut Measured<'_>,
    depths: &[Vec<u32>],
    area: &PageArea,
    rest: Option<&Rest>,
    window: &[usize],
    page: HousePage,
) -> Option<(Made, HouseSlot)> {
    let columns = depths.len() as u32;
    let mut slots = Vec::new();
    for (width, depths) in (1..=columns).zip(depths) {
        for first_column in 0..=columns - width {
            let spanned = &area.limits[first_column as usize..(first_column + width) as usize];
            let floor = spanned.iter().copied().min().unwrap_or(0);
            for depth in depths.iter().copied().filter(|d| *d <= floor) {
                let top = floor - depth;
                slots.push(HouseSlot { first_column, columns: width, top, depth });
            }
        }
    }
    // The band across the page first, then the smallest ad; at the outer (right) edge.
    slots.sort_by_key(|s| (s.columns != columns, s.columns * s.depth, Reverse(s.first_column)));
    slots.into_iter().find_map(|slot| {
        let mut above = area.clone();
        for limit in &mut above.limits[slot.first_column as usize..][..slot.columns as usize] {
            *limit = slot.top;
        }
        let made = make_page(shapes, &above, rest, window, columns);
        let whole = made.fill.full
            && match page {
                HousePage::Last => {
                    made.jumped.is_none()
                        && left_after(window, &made.fill).is_empty()
                        && white_after_fit(shapes, &made.fill, rest) == 0
                }
                HousePage::Before { short } => white_after_fit(shapes, &made.fill, rest) <= short,
            };
        whole.then_some((made, slot))
    })
}
