//! Tests of the page search on stories of made-up depths.

use super::*;

/// The page as the search fills it first.
fn fill_page(
    area: &PageArea,
    given: &[Placement],
    window: &[usize],
    shapes: &mut dyn Shapes,
    budget: usize,
) -> PageFill {
    fill_page_skipping(area, given, window, shapes, budget, &mut 0)
}

/// Stories whose depth is `lines / columns` rounded up, give or take `slack` lines.
struct Fake {
    lines: Vec<u32>,
    slack: u32,
    photo: bool,
    lead_only: Option<usize>,
}

impl Shapes for Fake {
    fn widths(&self, _: usize) -> std::ops::RangeInclusive<u32> {
        1..=3
    }
    fn photo_options(&self, _: usize) -> &'static [bool] {
        if self.photo { &[true, false] } else { &[false] }
    }
    fn has_photo(&self, _: usize) -> bool {
        self.photo
    }
    fn is_brief(&self, _: usize) -> bool {
        false
    }
    fn leads_only(&self, story: usize) -> bool {
        self.lead_only == Some(story)
    }
    fn depths(&mut self, story: usize, columns: u32, photo: bool, head: HeadClass) -> Vec<u32> {
        let head_lines = 2 + u32::from(rank(head));
        let photo_lines = if photo { 8 } else { 0 };
        let natural = self.lines[story].div_ceil(columns) + head_lines + photo_lines;
        let lo = natural.saturating_sub(self.slack).max(1);
        let mut depths: Vec<u32> = (lo..=natural + self.slack).collect();
        depths.sort_by_key(|d| (d.abs_diff(natural), *d));
        depths
    }
    fn jump_rest(
        &mut self,
        story: usize,
        columns: u32,
        _: bool,
        _: HeadClass,
        depth: u32,
    ) -> Vec<u32> {
        let natural = self.lines[story].div_ceil(columns) + 4;
        if depth + 6 <= natural && natural - depth <= 60 {
            vec![natural - depth]
        } else {
            Vec::new()
        }
    }
    fn fit_after(&mut self, _: &Placement) -> i32 {
        0
    }
}

fn area() -> PageArea {
    PageArea { limits: vec![60, 60, 60] }
}

fn covered(fill: &PageFill) -> u32 {
    fill.placements.iter().map(|p| p.columns * p.depth).sum()
}

#[test]
fn a_page_is_tiled_without_holes_or_overlaps() {
    let mut shapes =
        Fake { lines: vec![90, 40, 30, 25, 20, 60], slack: 2, photo: false, lead_only: None };
    let fill = fill_page(&area(), &[], &[0, 1, 2, 3, 4, 5], &mut shapes, 100_000);
    assert!(fill.full, "{fill:?}");
    assert_eq!(covered(&fill), 180);
    let mut cells = [[false; 60]; 3];
    for p in &fill.placements {
        for c in p.first_column..p.first_column + p.columns {
            for line in p.top..p.top + p.depth {
                assert!(!cells[c as usize][line as usize], "overlap at {c},{line}");
                cells[c as usize][line as usize] = true;
            }
        }
    }
    // The first story leads the page, at its top left.
    let first = fill.placements[0];
    assert_eq!(
        (first.story, first.top, first.first_column, first.head),
        (0, 0, 0, HeadClass::Lead)
    );
}

#[test]
fn heads_never_grow_down_the_page_and_never_tombstone() {
    let mut shapes = Fake {
        lines: vec![60, 30, 30, 30, 30, 30, 30, 30],
        slack: 2,
        photo: false,
        lead_only: None,
    };
    let fill = fill_page(&area(), &[], &[0, 1, 2, 3, 4, 5, 6, 7], &mut shapes, 100_000);
    assert!(fill.full);
    for a in &fill.placements {
        for b in &fill.placements {
            if a.top < b.top {
                assert!(rank(a.head) >= rank(b.head), "{a:?} above {b:?}");
            }
            let beside = a.first_column + a.columns == b.first_column;
            if a.top == b.top && beside {
                assert_ne!(a.head, b.head, "tombstone: {a:?} {b:?}");
            }
        }
    }
}

#[test]
fn an_ad_at_the_foot_is_built_around() {
    let area = PageArea { limits: vec![40, 40, 60] };
    let mut shapes =
        Fake { lines: vec![60, 40, 20, 30, 25], slack: 2, photo: false, lead_only: None };
    let fill = fill_page(&area, &[], &[0, 1, 2, 3, 4], &mut shapes, 100_000);
    assert!(fill.full, "{fill:?}");
    assert_eq!(covered(&fill), 140);
}

#[test]
fn a_page_that_cannot_be_filled_keeps_its_fullest_try_and_counts_the_white() {
    let mut shapes = Fake { lines: vec![30], slack: 1, photo: false, lead_only: None };
    let fill = fill_page(&area(), &[], &[0], &mut shapes, 10_000);
    assert!(!fill.full);
    assert_eq!(fill.white, 180 - covered(&fill));
    assert!(fill.white > 0);
}

/// Under a rest 10 lines deep, the one story left fits 48 lines across the page (its
/// opening rule included): 2 lines short of the foot, too shallow a strip for any story, so
/// no full page has it. The fullest page still holds it, not the rest alone.
#[test]
fn a_page_no_tiling_fills_keeps_a_story_that_leaves_a_strip_too_shallow() {
    let mut shapes = Fake { lines: vec![129], slack: 0, photo: false, lead_only: None };
    let rest = Placement {
        story: 1,
        first_column: 0,
        columns: 3,
        top: 0,
        depth: 10,
        head: HeadClass::Secondary,
        photo: false,
        part: Part::Rest,
    };
    let fill = fill_page(&area(), &[rest], &[0], &mut shapes, 10_000);
    assert!(!fill.full, "{fill:?}");
    let story = fill.placements.iter().find(|p| p.story == 0).expect("the story is on the page");
    assert_eq!((story.top, story.depth, story.columns), (10, 48, 3));
    assert_eq!(fill.white, 3 * 2);
}

#[test]
fn a_page_with_photos_shows_one_over_two_columns() {
    let mut shapes =
        Fake { lines: vec![60, 40, 30, 20, 30], slack: 2, photo: true, lead_only: None };
    let fill = fill_page(&area(), &[], &[0, 1, 2, 3, 4], &mut shapes, 100_000);
    assert!(fill.full);
    assert!(fill.placements.iter().any(|p| p.photo && p.columns >= 2));
}

/// Two stories with photos fill the page only stacked full width without them (35 lines,
/// then 24 under a rule; a photo adds 8): the page is filled that way rather than left
/// part white.
#[test]
fn a_full_page_without_a_photo_beats_a_photo_and_white_space() {
    let mut shapes = Fake { lines: vec![90, 60], slack: 0, photo: true, lead_only: None };
    let fill = fill_page(&area(), &[], &[0, 1], &mut shapes, 100_000);
    assert!(fill.full, "{fill:?}");
    assert!(fill.placements.iter().all(|p| !p.photo), "{fill:?}");
}

#[test]
fn a_story_that_only_leads_is_never_placed_under_the_lead() {
    let lines = vec![60, 40, 30, 25, 20, 60, 35];
    let mut shapes = Fake { lines: lines.clone(), slack: 2, photo: false, lead_only: None };
    let free = fill_page(&area(), &[], &[0, 1, 2, 3, 4, 5, 6], &mut shapes, 100_000);
    let second = free.placements[1].story;
    let mut shapes = Fake { lines, slack: 2, photo: false, lead_only: Some(second) };
    let held = fill_page(&area(), &[], &[0, 1, 2, 3, 4, 5, 6], &mut shapes, 100_000);
    assert!(held.full);
    assert!(held.placements.iter().all(|p| p.story != second), "{held:?}");
}

#[test]
fn a_page_no_tiling_fills_is_closed_by_a_story_that_jumps() {
    // The second story is longer than the page at every width: it can only jump.
    let mut shapes = Fake { lines: vec![30, 200], slack: 0, photo: false, lead_only: None };
    let fill = fill_page(&area(), &[], &[0, 1], &mut shapes, 10_000);
    assert!(fill.full, "{fill:?}");
    let lead = fill.placements[0];
    let jump = fill.placements[1];
    assert_eq!((lead.story, lead.part), (0, Part::Whole));
    assert_eq!((jump.story, jump.part, jump.columns), (1, Part::Jumps, 3));
    assert_eq!((jump.top, jump.top + jump.depth), (lead.depth, 60));
    // A page whose lead already jumps is not closed by a second jump.
    let given = [Placement { part: Part::Jumps, depth: 20, ..lead }];
    let fill = fill_page(&area(), &given, &[1], &mut shapes, 10_000);
    assert!(!fill.full && fill.placements.iter().all(|p| p.story != 1), "{fill:?}");
}

#[test]
fn the_search_is_deterministic() {
    let run = || {
        let mut shapes =
            Fake { lines: vec![70, 35, 33, 21, 44, 18], slack: 2, photo: true, lead_only: None };
        fill_page(&area(), &[], &[0, 1, 2, 3, 4, 5], &mut shapes, 50_000)
    };
    assert_eq!(run(), run());
}
