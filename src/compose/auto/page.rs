//! One page of the automatic make-up: the rest of a story that jumped to it, its lead (whole,
//! or jumping when no shape takes it whole) and the stories of the window, with the other
//! ways of filling it the planner asks for when the first leaves the next page white.
//!
//! Every function here takes `skip`: the number of full pages to pass over before one is
//! returned (counted down as they are found). With `skip` at 0 the first full page found is
//! the page; a caller asking for the k-th way sets it to k and gets a full page only when
//! there are that many ways (`skip` then back at 0).

use super::measure::Measured;
use super::search::{
    self, MIN_JUMP_FRAME, MIN_STRIP, PageArea, PageFill, Part, Placement, Shapes,
    fill_page_skipping,
};
use super::{DEFER, NODE_BUDGET};
use crate::compose::flow::Cursor;
use crate::model::HeadClass;

/// Lines a story's frame that jumps from a page, or goes on past it, may leave free at the
/// foot for other stories, at most: a shallower frame than the one down to the foot changes
/// where its rest takes up, and so what the next page can hold under that rest.
const MAX_STRIP_UNDER_JUMP: u32 = 24;

/// The rest of a story that jumped, for the next page.
#[derive(Debug, Clone)]
pub(super) struct Rest {
    pub(super) story: usize,
    /// Whether the story was set with its photo.
    pub(super) photo: bool,
    /// The columns it takes: first those of the frame it jumped from.
    pub(super) columns: u32,
    /// Where its text takes up again.
    pub(super) cursor: Cursor,
    /// The depths its rest fills, best first; the page's depth alone when it needs more
    /// than a page (it then fills the page and jumps again).
    pub(super) depths: Vec<u32>,
    /// The frame it jumped from, when that was its first: the make-up may set paragraphs
    /// there again to fill the rest (`copyfit::fit_jump`).
    pub(super) from: Option<JumpFrom>,
}

/// The first frame of a story that jumps: its columns, head and depth (no opening rule).
#[derive(Debug, Clone, Copy)]
pub(super) struct JumpFrom {
    pub(super) columns: u32,
    pub(super) head: HeadClass,
    pub(super) depth: u32,
}

/// A page as filled, and what it leaves for the next.
#[derive(Debug, Clone)]
pub(super) struct Made {
    pub(super) fill: PageFill,
    /// The rest of a story that jumps from it.
    pub(super) jumped: Option<Rest>,
    /// The stories it was filled from, its lead first (the window, or the window led by a
    /// story moved ahead of the one it could not fill with).
    pub(super) window: Vec<usize>,
}

/// Fills a page from `rest` and `window`; a page its lead cannot fill is led by one of the
/// next stories that can, or that leaves it less white: the lead stays first in line for
/// the next page (a hole is worse than a story a page later, and the last page is the one
/// left short).
pub(super) fn make_page(
    shapes: &mut Measured<'_>,
    area: &PageArea,
    rest: Option<&Rest>,
    window: &[usize],
    columns: u32,
) -> Made {
    let (fill, jumped) = fill_one(shapes, area, rest, window, columns, &mut 0);
    let mut made = Made { fill, jumped, window: window.to_vec() };
    if made.fill.full {
        return made;
    }
    let others: Vec<usize> =
        window.iter().copied().filter(|s| !shapes.is_brief(*s)).skip(1).take(DEFER).collect();
    let mut least = white_after_fit(shapes, &made.fill, rest);
    for other in others {
        let mut led = vec![other];
        led.extend(window.iter().copied().filter(|s| *s != other));
        let (fill, jumped) = fill_one(shapes, area, rest, &led, columns, &mut 0);
        let white = white_after_fit(shapes, &fill, rest);
        if fill.full || white < least {
            least = white;
            made = Made { fill, jumped, window: led };
            if made.fill.full {
                break;
            }
        }
    }
    made
}

/// The `nth` other way (from 1) of filling the page `made` filled, from the same rest and
/// stories, when there is one and it fills the page.
pub(super) fn other_way(
    shapes: &mut Measured<'_>,
    area: &PageArea,
    rest: Option<&Rest>,
    made: &Made,
    columns: u32,
    nth: usize,
) -> Option<Made> {
    let mut skip = nth;
    let (fill, jumped) = fill_one(shapes, area, rest, &made.window, columns, &mut skip);
    (skip == 0 && fill.full).then(|| Made { fill, jumped, window: made.window.clone() })
}

/// Fills a page: the rest of a jumped story at its top, then its lead and the stories of
/// `window`. Returns the page and the rest of a story that jumps from it.
fn fill_one(
    shapes: &mut Measured<'_>,
    area: &PageArea,
    rest: Option<&Rest>,
    window: &[usize],
    columns: u32,
    skip: &mut usize,
) -> (PageFill, Option<Rest>) {
    let Some(r) = rest else {
        return fill_with(shapes, area, &[], window, skip);
    };
    let mut best = fill_under_rest(shapes, area, r, window, skip);
    if best.0.full {
        return best;
    }
    // A story's body is set a column wide whatever its frame, so its rest may take up again
    // in fewer or more columns than it jumped from: a narrower, deeper rest leaves whole
    // columns beside it where a shallow strip under it held no story.
    let nearest_first = |w: &u32| (w.abs_diff(r.columns), *w);
    let mut widths: Vec<u32> = (1..=columns).filter(|w| *w != r.columns).collect();
    widths.sort_by_key(nearest_first);
    for width in widths {
        let depths = shapes.rest_depths(r.story, width, r.photo, r.cursor);
        if depths.is_empty() {
            continue;
        }
        let other = Rest { columns: width, depths, ..r.clone() };
        let made = fill_under_rest(shapes, area, &other, window, skip);
        if made.0.full {
            return made;
        }
        if made.0.white < best.0.white {
            best = made;
        }
    }
    best
}

/// [`fill_one`] with the rest `r` at its own width.
fn fill_under_rest(
    shapes: &mut Measured<'_>,
    area: &PageArea,
    r: &Rest,
    window: &[usize],
    skip: &mut usize,
) -> (PageFill, Option<Rest>) {
    let foot = area.limits.iter().take(r.columns as usize).copied().min().unwrap_or(0);
    let placement = |depth: u32, part: Part| Placement {
        story: r.story,
        first_column: 0,
        columns: r.columns,
        top: 0,
        depth,
        head: HeadClass::Secondary,
        photo: r.photo,
        part,
    };
    if r.depths == [shapes.page_lines] {
        return fill_through(shapes, area, r, window, foot, skip, placement);
    }
    // Each depth of the rest is tried, the one that fills the page best kept.
    let mut best: Option<(PageFill, Option<Rest>)> = None;
    for depth in r.depths.iter().copied().filter(|d| *d <= foot) {
        let given = [placement(depth, Part::Rest)];
        let (fill, jumped) = fill_with(shapes, area, &given, window, skip);
        if fill.full {
            return (fill, jumped);
        }
        if best.as_ref().is_none_or(|(b, _)| fill.white < b.white) {
            best = Some((fill, jumped));
        }
    }
    best.unwrap_or_else(|| (PageFill::given_only(area, &[]), None))
}

/// A page the middle of a story longer than a page fills: down to the foot of its columns,
/// or (another way) less deep over stories of `window` that fill the strip under it. It
/// goes on to the next page from where it stops there; the page has no other jump.
fn fill_through(
    shapes: &mut Measured<'_>,
    area: &PageArea,
    r: &Rest,
    window: &[usize],
    foot: u32,
    skip: &mut usize,
    placement: impl Fn(u32, Part) -> Placement,
) -> (PageFill, Option<Rest>) {
    let goes_on = |shapes: &mut Measured<'_>, depth: u32| {
        let cursor = shapes.rest_cursor(r.story, r.columns, r.photo, r.cursor, depth)?;
        let depths = shapes.rest_depths(r.story, r.columns, r.photo, cursor);
        Some(Rest { depths, cursor, from: None, ..r.clone() })
    };
    let mut first = None;
    for depth in under_jump_depths(foot, 0) {
        let next = goes_on(shapes, depth);
        // A rest that ends at the foot is the story's last frame.
        let part = if next.is_some() { Part::Through } else { Part::Rest };
        let given = [placement(depth, part)];
        let fill = fill_page_skipping(area, &given, window, shapes, NODE_BUDGET, skip);
        if fill.full {
            return (fill, next);
        }
        first.get_or_insert((fill, next));
    }
    first.unwrap_or_else(|| (PageFill::given_only(area, &[]), None))
}

/// Depths of a frame from `top` (under its rule) that jumps from a page, or goes on past it,
/// best first: down to the `foot`, then shallower over a strip other stories can fill.
fn under_jump_depths(foot: u32, top: u32) -> impl Iterator<Item = u32> {
    let rule = if top > 0 { search::RULE_LINES } else { 0 };
    let full = foot.saturating_sub(top + rule);
    let shallowest = MIN_JUMP_FRAME.max(full.saturating_sub(MAX_STRIP_UNDER_JUMP));
    let shallower = (shallowest..=full.saturating_sub(MIN_STRIP)).rev();
    std::iter::once(full).filter(move |d| *d >= MIN_JUMP_FRAME).chain(shallower)
}

/// Fills the page from `given`, its lead jumping when no shape takes it whole.
fn fill_with(
    shapes: &mut Measured<'_>,
    area: &PageArea,
    given: &[Placement],
    window: &[usize],
    skip: &mut usize,
) -> (PageFill, Option<Rest>) {
    let first_story = window.iter().copied().find(|s| !shapes.is_brief(*s));
    let Some(lead) = first_story.or(window.first().copied()) else {
        return (PageFill::given_only(area, given), None);
    };
    let fits_whole = shapes.widths(lead).any(|w| {
        shapes
            .photo_options(lead)
            .iter()
            .any(|p| !shapes.depths(lead, w, *p, HeadClass::Lead).is_empty())
    });
    if fits_whole {
        let fill = fill_page_skipping(area, given, window, shapes, NODE_BUDGET, skip);
        if fill.full || !given.is_empty() || fill.placements.iter().any(|p| p.story == lead) {
            let jumped = jumped_rest(shapes, &fill, given.len());
            return (fill, jumped);
        }
    }
    // The lead jumps: from under `given`, across the columns it leaves free from the same
    // line (the whole page under a rest as wide), down to their highest foot or over a
    // strip the other stories fill. With its photo if the rest then fits a page, else
    // without; failing both, the rest fills pages and jumps again.
    let head = if given.is_empty() { HeadClass::Lead } else { HeadClass::Secondary };
    let others: Vec<usize> = window.iter().copied().filter(|s| *s != lead).collect();
    let mut first = None;
    for (first_column, width, top) in free_runs(area, given) {
        let run = first_column as usize..(first_column + width) as usize;
        let foot = area.limits[run].iter().copied().min().unwrap_or(0);
        let rule = if top > 0 { search::RULE_LINES } else { 0 };
        for depth in under_jump_depths(foot, top) {
            let mut tries = Vec::new();
            for &photo in shapes.photo_options(lead) {
                let rest = shapes.jump_rest(lead, width, photo, head, depth);
                if !rest.is_empty() {
                    tries.push((photo, rest));
                }
            }
            let page_lines = shapes.page_lines;
            tries.sort_by_key(|(_, rest)| *rest == [page_lines]);
            for (photo, depths) in tries {
                let mut placed = given.to_vec();
                placed.push(Placement {
                    story: lead,
                    first_column,
                    columns: width,
                    top,
                    depth: depth + rule,
                    head,
                    photo,
                    part: Part::Jumps,
                });
                let fill = fill_page_skipping(area, &placed, &others, shapes, NODE_BUDGET, skip);
                // Where the rest takes up, only for a page that may be kept.
                if fill.full || first.is_none() {
                    let cursor = shapes.jump_cursor(lead, width, photo, head, depth);
                    let from = Some(JumpFrom { columns: width, head, depth });
                    let rest = cursor.map(|cursor| Rest {
                        story: lead,
                        photo,
                        columns: width,
                        cursor,
                        depths,
                        from,
                    });
                    if fill.full {
                        return (fill, rest);
                    }
                    first = Some((fill, rest));
                }
            }
        }
    }
    if let Some(first) = first {
        return first;
    }
    if given.is_empty() {
        return (PageFill::given_only(area, given), None);
    }
    // Under a rest the lead can neither go whole nor jump: the other stories finish the
    // page, and the lead, first in line, tops the next page, where it can jump.
    let fill = fill_page_skipping(area, given, &others, shapes, NODE_BUDGET, skip);
    let jumped = jumped_rest(shapes, &fill, given.len());
    (fill, jumped)
}

/// The runs of columns the `given` frames fill down to the same line and leave free under
/// it, as (first column, columns, line), highest first: a frame there is a rectangle the
/// page search can fill around (it fills each column from the top down, with no hole).
fn free_runs(area: &PageArea, given: &[Placement]) -> Vec<(u32, u32, u32)> {
    let mut runs: Vec<(u32, u32, u32)> = Vec::new();
    for (c, (line, &limit)) in area.skyline(given).into_iter().zip(&area.limits).enumerate() {
        let c = c as u32;
        if line >= limit {
            continue;
        }
        match runs.last_mut() {
            Some((first, width, top)) if *top == line && *first + *width == c => *width += 1,
            _ => runs.push((c, 1, line)),
        }
    }
    runs.sort_by_key(|&(first, _, top)| (top, first));
    runs
}

/// The rest of the story the search made jump to close the page (after the `given`
/// frames), if it did.
fn jumped_rest(shapes: &mut Measured<'_>, fill: &PageFill, given: usize) -> Option<Rest> {
    let p = fill.placements.iter().skip(given).find(|p| p.part == Part::Jumps)?;
    let depth = p.depth - if p.top > 0 { search::RULE_LINES } else { 0 };
    let depths = shapes.jump_rest(p.story, p.columns, p.photo, p.head, depth);
    let cursor = shapes.jump_cursor(p.story, p.columns, p.photo, p.head, depth)?;
    let from = Some(JumpFrom { columns: p.columns, head: p.head, depth });
    Some(Rest { story: p.story, photo: p.photo, columns: p.columns, cursor, depths, from })
}

/// The column-lines a page leaves white once made up: those no frame covers, and those its
/// stories are left short by the copyfit (the rest of `rest`, when it takes up there,
/// included: its depth may be one it fills only nearly).
pub(super) fn white_after_fit(
    shapes: &mut Measured<'_>,
    fill: &PageFill,
    rest: Option<&Rest>,
) -> u32 {
    let short: u32 = fill
        .placements
        .iter()
        .map(|p| match (p.part, rest) {
            (Part::Whole, _) => shapes.fit_after(p),
            (Part::Rest, Some(r)) if r.story == p.story => {
                let after = shapes.rest_fit(p.story, p.columns, p.photo, r.cursor, p.depth);
                match r.from {
                    Some(from) if after != 0 => {
                        shapes.rest_fit_after_jump(p.story, p.photo, from, p.columns, p.depth)
                    }
                    _ => after,
                }
            }
            _ => 0,
        })
        .map(|after| after.min(0).unsigned_abs())
        .sum();
    fill.white + short
}
