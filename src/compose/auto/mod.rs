//! Automatic make-up (`pages: auto`): chooses the issue's page plan from its stories in
//! priority order, the ads of each page and the page budget, then hands that plan to the
//! planned make-up ([`super::make_up`]) like one written by hand.
//!
//! Page by page: the highest-priority story left leads the page; the page is then filled
//! by the search of [`search`] with the next stories of a small window (so a story may move
//! ahead of a few of higher priority to fill a hole, never further) and every brief left
//! (briefs finish pages, and are tried after the stories), each as a rectangle of the grid
//! whose depth it fills exactly once copyfitted (`measure.rs`). A page its lead cannot fill
//! is led by one of the next few stories that can, the lead staying first in line for the
//! next page: a hole is worse than a story a page later, and the pages left short gather
//! at the end of the issue. A story
//! too long for any shape on a page leads it across the whole width down to the foot (or
//! the ad under it) and jumps to the next page, whose top takes its rest. A page no tiling
//! fills is closed, when it can be, by a story of the window that jumps from the rectangle
//! left free at its foot (the rest again at the next page's top, as wide). What no page
//! can take is listed, never dropped.
//!
//! Each page is made before it is kept, and the next one with it: when the next page would
//! be left white, up to [`OTHER_WAYS`] other ways of filling this one are tried (other
//! tilings, another story jumping, a jump or a long story's middle frame stopping over a
//! strip that other stories fill), and the one leaving the next page least white is kept.
//! Where a rest takes up decides what can go under it, and that is chosen on the page
//! before.
//!
//! Where the copy runs out, the last page is left short; with `auto.house_ad`, it is made
//! again over the publication's house ad built up from its foot, sized so that the stories
//! fill what is left exactly. With it too, a page before the last that no arrangement of
//! its stories fills is made again over the house ad the same way, rather than left with a
//! hole.
//!
//! Files: `page.rs` (making one page, and its other ways), `search.rs` (the tiling search),
//! `measure.rs` (the shapes of a story), `house.rs` (a page over the house ad).

mod house;
mod measure;
mod page;
pub mod search;

use std::time::Instant;

use house::{HousePage, HouseSlot, house_depths, over_house_ad};
use measure::Measured;
pub use measure::StoryCandidates;
use page::{Made, Rest, make_page, other_way, white_after_fit};
use search::{PageArea, PageFill, Placement, Shapes};

use super::{Layout, StoryShape};
use crate::model::{
    AutoMakeup, FrameContent, FramePhoto, HeadClass, IssueConfig, PagePlan, PlannedFrame,
    PlannedPage,
};
use crate::text::TextEngine;

/// Stories the search may take for a page beyond its lead: a story moves ahead of at most
/// this many of higher priority (the trade moves stories to fill pages, not far).
const WINDOW: usize = 8;

/// Next stories tried as a page's lead when its own lead cannot fill it.
pub(super) const DEFER: usize = 3;

/// Steps of the search per page before it settles for the fullest page found.
pub(super) const NODE_BUDGET: usize = 20_000;

/// Other ways of filling a page tried, at most, when the first leaves the next page white.
const OTHER_WAYS: usize = 6;

/// Words under which a story is a brief: kicker and headline only, no meta line or QR
/// code, the small story a page is finished with.
pub const BRIEF_WORDS: usize = 200;

/// The shapes a story is set in for the planner: every width its hint allows, each with its
/// photo and without (when it has one and the hint leaves the choice), under a secondary
/// head (which sets the lead and tertiary heads with it).
pub fn candidate_shapes(
    config: &IssueConfig,
    auto: &AutoMakeup,
    story: usize,
    has_photo: bool,
    brief: bool,
) -> Vec<(u32, bool, StoryShape)> {
    let columns = config.page.columns.max(1);
    let hint = auto.hints.get(story).cloned().unwrap_or_default();
    let min = hint.min_columns.unwrap_or(1).clamp(1, columns);
    let max = hint.max_columns.unwrap_or(columns).clamp(min, columns);
    let photos: &[bool] = match (has_photo, hint.with_photo) {
        (false, _) | (true, Some(false)) => &[false],
        (true, Some(true)) => &[true],
        (true, None) => &[true, false],
    };
    let depth = config.text_lines(2);
    let mut shapes = Vec::new();
    for width in min..=max {
        for &photo in photos {
            let shape = StoryShape {
                columns: width,
                depth,
                head: if brief { HeadClass::Brief } else { HeadClass::Secondary },
                in_briefs: false,
                photo: if photo { FramePhoto::AsSet } else { FramePhoto::Off },
            };
            shapes.push((width, photo, shape));
        }
    }
    shapes
}

/// What the planner chose and how well it fills the pages.
#[derive(Debug, Clone, PartialEq)]
pub struct AutoOutcome {
    /// The page plan, for the planned make-up and for `--plan-out`.
    pub plan: PagePlan,
    /// Per page, what the search left white.
    pub pages: Vec<AutoPage>,
    /// Stories no page took (indices into the issue's articles), in priority order.
    pub unplaced: Vec<usize>,
    /// Seconds the search took (measuring the shapes included).
    pub seconds: f64,
}

impl AutoOutcome {
    /// Adds to each page's white space the lines its frames were left short by the copyfit
    /// (`(page, misfit)` per frame, negative when short).
    pub fn count_underset(&mut self, misfits: impl Iterator<Item = (u32, i32)>) {
        for (number, misfit) in misfits.filter(|(_, m)| *m < 0) {
            let Some(page) = self.pages.iter_mut().find(|p| p.number == number) else { continue };
            page.white_lines += misfit.unsigned_abs();
        }
    }
}

/// How full the planner left a page.
#[derive(Debug, Clone, PartialEq)]
pub struct AutoPage {
    /// Page number.
    pub number: u32,
    /// Column-lines of the type area no frame covers.
    pub white_lines: u32,
    /// Whether the page was added empty to round the page count up.
    pub padding: bool,
    /// Column-lines of the page's type area.
    pub area_lines: u32,
    /// Area of one column-line, mm².
    pub line_mm2: f32,
}

impl AutoPage {
    /// The white space in mm² (one column wide by one line deep each).
    pub fn white_mm2(&self) -> f32 {
        self.white_lines as f32 * self.line_mm2
    }

    /// The white space as a share of the page's type area, %.
    pub fn white_percent(&self) -> f32 {
        if self.area_lines == 0 {
            0.0
        } else {
            100.0 * self.white_lines as f32 / self.area_lines as f32
        }
    }
}

/// Plans the pages of `auto` for the stories `stories` (by article index; `None` for an
/// article that failed), in priority order.
pub fn plan_issue(
    engine: &TextEngine,
    config: &IssueConfig,
    auto: &AutoMakeup,
    stories: &[Option<StoryCandidates>],
) -> AutoOutcome {
    let started = Instant::now();
    let layout = Layout::new(engine, config);
    let columns = layout.grid.columns;
    let mut shapes = Measured::new(&layout, stories, &auto.fit_steps, config.text_lines(2));
    let house = if auto.house_ad { house_depths(&layout) } else { Vec::new() };
    shapes.prefetch();
    let mut left: Vec<usize> = (0..stories.len()).filter(|i| stories[*i].is_some()).collect();
    let mut unplaced = Vec::new();
    let mut pages: Vec<(Vec<Placement>, PageArea, u32)> = Vec::new();
    let mut rest: Option<Rest> = None;
    // What the last page kept was made from (the rest it took and its stories), when it is
    // left short.
    let mut last_short: Option<(Option<Rest>, Vec<usize>)> = None;
    // The next page, made while looking ahead from this one.
    let mut ahead: Option<Made> = None;
    // The pages filled with the house ad, and where it stands on each.
    let mut house_slots: Vec<(u32, HouseSlot)> = Vec::new();
    loop {
        let number = pages.len() as u32 + 1;
        if auto.pages.is_some_and(|budget| number > budget) || (left.is_empty() && rest.is_none()) {
            break;
        }
        let area = page_area(config, auto, number);
        let window = window_at(&shapes, stories, &left, number);
        let rest_here = rest.take();
        let had_rest = rest_here.is_some();
        let mut made = match ahead.take() {
            Some(made) => made,
            None => make_page(&mut shapes, &area, rest_here.as_ref(), &window, columns),
        };
        if made.fill.full && auto.pages.is_none_or(|budget| number < budget) {
            // The next page is made now: when it would be left white, another way of filling
            // this one may leave it a rest, or stories, it can be filled with.
            let next = number + 1;
            let next_area = page_area(config, auto, next);
            let make_next = |shapes: &mut Measured<'_>, made: &Made| {
                let left: Vec<usize> = left_after(&left, &made.fill);
                let window = window_at(shapes, stories, &left, next);
                let page = make_page(shapes, &next_area, made.jumped.as_ref(), &window, columns);
                let mut white = white_after_fit(shapes, &page.fill, made.jumped.as_ref());
                // White on the last page, where the copy runs out, counts after white on any
                // other: a page the next one would push the copy onto is worse. Its hole is
                // the house ad's when it can stand under the same stories.
                let last = page.jumped.is_none() && left_after(&left, &page.fill).is_empty();
                if auto.house_ad && last && white > 0 {
                    let rest = made.jumped.as_ref();
                    if over_house_ad(
                        shapes,
                        &house,
                        &next_area,
                        rest,
                        &page.window,
                        HousePage::Last,
                    )
                    .is_some()
                    {
                        white = 0;
                    }
                }
                let white = if last { (0, white) } else { (white, 0) };
                (white, page)
            };
            let (mut least, mut next_made) = make_next(&mut shapes, &made);
            for nth in 1..=OTHER_WAYS {
                if least == (0, 0) {
                    break;
                }
                let Some(other) =
                    other_way(&mut shapes, &area, rest_here.as_ref(), &made, columns, nth)
                else {
                    break;
                };
                let (white, page) = make_next(&mut shapes, &other);
                if white < least {
                    (least, next_made, made) = (white, page, other);
                }
            }
            ahead = Some(next_made);
        }
        // A hole no arrangement of the stories fills, on a page the copy goes on from:
        // the house ad fills it, as newspapers do, the page's stories arranged around it
        // (a frame the copyfit leaves a line short is not a hole).
        let copy_goes_on = made.jumped.is_some() || !left_after(&left, &made.fill).is_empty();
        if auto.house_ad && copy_goes_on && made.fill.white > 0 {
            let after_fit = white_after_fit(&mut shapes, &made.fill, rest_here.as_ref());
            let page = HousePage::Before { short: after_fit - made.fill.white };
            let window = made.window.clone();
            let rest = rest_here.as_ref();
            if let Some((filled, slot)) =
                over_house_ad(&mut shapes, &house, &area, rest, &window, page)
            {
                made = filled;
                house_slots.push((number, slot));
                ahead = None;
            }
        }
        let short =
            auto.house_ad && white_after_fit(&mut shapes, &made.fill, rest_here.as_ref()) > 0;
        let made_from = short.then(|| (rest_here.clone(), made.window.clone()));
        let fill = made.fill;
        let jumped = made.jumped;
        left = left_after(&left, &fill);
        rest = jumped;
        // A lead no shape takes (longer than a page and its rest, or filling no depth
        // exactly): listed, and the next story leads the page.
        let placed_any = fill.placements.iter().any(|p| !p.part.continued());
        let lead =
            window.iter().copied().find(|s| !shapes.is_brief(*s)).or(window.first().copied());
        if let (false, false, Some(first)) = (placed_any, had_rest, lead) {
            unplaced.push(first);
            left.retain(|s| *s != first);
            ahead = None;
            continue;
        }
        pages.push((fill.placements, area, fill.white));
        last_short = made_from;
    }
    // The copy ran out on a short page: the house ad, when asked for, fills its hole.
    if let (true, true, None, Some((rest_in, window)), Some((placements, area, white))) =
        (auto.house_ad, left.is_empty(), &rest, &last_short, pages.last_mut())
        && let Some((made, slot)) =
            over_house_ad(&mut shapes, &house, area, rest_in.as_ref(), window, HousePage::Last)
    {
        (*placements, *white) = (made.fill.placements, 0);
        house_slots.push((pages.len() as u32, slot));
    }
    if let Some(Rest { story, .. }) = rest {
        // A jump past the page budget: its first frame stays, overset, and it is listed.
        unplaced.push(story);
    }
    unplaced.extend(left);
    let placed_pages = pages.len() as u32;
    let mut count = placed_pages.max(auto.pages.unwrap_or(0)).max(1);
    count = count.div_ceil(auto.multiple_of.max(1)) * auto.multiple_of.max(1);
    while (pages.len() as u32) < count {
        let number = pages.len() as u32 + 1;
        let area = page_area(config, auto, number);
        let white = area.limits.iter().sum();
        pages.push((Vec::new(), area, white));
    }
    let plan = PagePlan {
        pages: pages
            .iter()
            .enumerate()
            .map(|(i, (placements, _, _))| {
                let number = i as u32 + 1;
                let house_ad = house_slots.iter().find(|(n, _)| *n == number).map(|(_, s)| *s);
                page_plan(auto, &shapes, number, placements, house_ad)
            })
            .collect(),
        fit_steps: auto.fit_steps.clone(),
    };
    let line_mm2 =
        crate::geom::to_mm(layout.grid.column_width) * crate::geom::to_mm(layout.grid.baseline);
    let report = pages
        .iter()
        .enumerate()
        .map(|(i, (_, area, white))| {
            let number = i as u32 + 1;
            let total = config.text_lines(number) * columns;
            AutoPage {
                number,
                white_lines: *white,
                padding: number > placed_pages && area.limits.iter().sum::<u32>() == *white,
                area_lines: total,
                line_mm2,
            }
        })
        .collect();
    let seconds = started.elapsed().as_secs_f64();
    AutoOutcome { plan, pages: report, unplaced, seconds }
}

/// The stories page `number` is filled from, of those `left` (priority order): briefs are
/// what pages are finished with, so every brief left may fill a hole, however far down the
/// list it is; other stories move up by at most the window. A story its hint holds for a
/// later page waits.
fn window_at(
    shapes: &Measured<'_>,
    stories: &[Option<StoryCandidates>],
    left: &[usize],
    number: u32,
) -> Vec<usize> {
    let held_back = |s: &usize| {
        stories[*s].as_ref().and_then(|c| c.hint.page).is_some_and(|page| page > number)
    };
    left.iter()
        .copied()
        .filter(|s| !held_back(s))
        .enumerate()
        .filter(|(i, s)| *i <= WINDOW || shapes.is_brief(*s))
        .map(|(_, s)| s)
        .collect()
}

/// The stories of `left` not on the page `fill`.
fn left_after(left: &[usize], fill: &PageFill) -> Vec<usize> {
    left.iter().copied().filter(|s| fill.placements.iter().all(|p| p.story != *s)).collect()
}

/// The lines free for stories in each column of page `number`: the page's lines, less the
/// ads built up from its foot.
fn page_area(config: &IssueConfig, auto: &AutoMakeup, number: u32) -> PageArea {
    let lines = config.text_lines(number);
    let mut limits = vec![lines; config.page.columns.max(1) as usize];
    for (_, ad) in auto.ads.iter().filter(|(page, _)| *page == number) {
        for c in ad.first_column..ad.first_column + ad.columns {
            if let Some(limit) = limits.get_mut(c as usize) {
                *limit = (*limit).min(ad.top);
            }
        }
    }
    PageArea { limits }
}

/// The photo of placement `p`'s frame: none when the story goes without it; the size the
/// story was measured with when its photo took its own shape (trimmed in a frame it jumps
/// from, as it was measured); else as set.
fn frame_photo(shapes: &Measured<'_>, p: &Placement) -> FramePhoto {
    if !p.photo && !p.part.continued() {
        return FramePhoto::Off;
    }
    // Set for the page's full depth, an own-shaped photo would be set again for the frame's
    // and print otherwise than measured: the plan gives its measured size.
    let story = shapes.stories.get(p.story).and_then(|s| s.as_ref());
    let with_photo = story.and_then(|s| s.by_width.get(p.columns as usize - 1)?.0.as_ref());
    let pin = with_photo.and_then(|parts| parts.own_photo);
    let size = match p.part {
        search::Part::Whole => pin,
        search::Part::Jumps => {
            let lines = p.depth - if p.top > 0 { search::RULE_LINES } else { 0 };
            let start = shapes.jump_start(p.story, p.columns, p.photo, p.head, lines);
            start.and_then(|(_, trimmed)| trimmed).or(pin)
        }
        search::Part::Rest | search::Part::Through => None,
    };
    match size {
        Some((columns, depth)) => {
            FramePhoto::Sized { columns: Some(columns), depth: Some(depth), beside_head: false }
        }
        None => FramePhoto::AsSet,
    }
}

/// Page `number` of the plan: its frames, named in reading order, then its ads and the
/// house ad.
fn page_plan(
    auto: &AutoMakeup,
    shapes: &Measured<'_>,
    number: u32,
    placements: &[Placement],
    house_ad: Option<HouseSlot>,
) -> PlannedPage {
    let mut frames: Vec<PlannedFrame> = Vec::new();
    let mut sorted = placements.to_vec();
    sorted.sort_by_key(|p| (p.top, p.first_column));
    for p in &sorted {
        let content = FrameContent::Story {
            article: p.story,
            head: p.head,
            continues: p.part.jumps().then_some(number + 1),
            photo: frame_photo(shapes, p),
        };
        frames.push(PlannedFrame {
            name: format!("p{number}/{}", frames.len() + 1),
            line: 0,
            first_column: p.first_column,
            columns: p.columns,
            top: p.top,
            depth: p.depth,
            content,
        });
    }
    for (_, ad) in auto.ads.iter().filter(|(page, _)| *page == number) {
        let mut ad = ad.clone();
        ad.name = format!("p{number}/{}", frames.len() + 1);
        frames.push(ad);
    }
    if let Some(slot) = house_ad {
        frames.push(PlannedFrame {
            name: format!("p{number}/{}", frames.len() + 1),
            line: 0,
            first_column: slot.first_column,
            columns: slot.columns,
            top: slot.top,
            depth: slot.depth,
            content: FrameContent::House,
        });
    }
    let lead_section = sorted
        .iter()
        .find(|p| !p.part.continued())
        .and_then(|p| shapes.stories.get(p.story)?.as_ref()?.hint.section.clone());
    let section = auto.sections.get(number as usize - 1).cloned().flatten().or(lead_section);
    PlannedPage { section, frames }
}
