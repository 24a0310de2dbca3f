//! The shapes of each story, measured from its set parts: at each width, with its photo or
//! without, under each head class, the frame depths it fills exactly once copyfitted.
//!
//! A story is set once per width and photo option (the pipeline does it, in parallel), with
//! a secondary head, which also sets the heads one class up and down: the lead and tertiary
//! shapes take those. Its natural depth at a width is the shallowest frame it fits whole
//! (found by bisection over frame depths); the depths it can fill exactly are those around
//! it, within what the copyfit cascade can be expected to take back, for which the cascade
//! really ends on 0 lines: tried only when the search asks, once, the paragraphs the
//! cascade sets again kept per story across all its shapes (they share one measure).

use std::borrow::Cow;
use std::collections::HashMap;

use rayon::prelude::*;

use super::page::JumpFrom;
use super::search::{Placement, RULE_LINES, Shapes, rank};
use crate::compose::copyfit::{JumpFrames, Resets, fit_jump, fit_lines, misfit, photo_trimmed};
use crate::compose::display::Item;
use crate::compose::flow::{Cursor, Flowable};
use crate::compose::{ArticleParts, ArticleStart, Frame, Headline, Layout, measure_article};
use crate::model::{FitStepKind, HeadClass, StoryHint};

/// Depths tried either side of the natural depth of a story's rest after a jump: its
/// looseness and tracking move a few lines.
const REACH: u32 = 3;

/// Body lines a story keeps in each column of its frame before it jumps: fewer reads as a
/// stub (the make-up rule is six).
const MIN_JUMP_LINES: u32 = 6;

/// The parts of one story as set for the automatic make-up.
#[derive(Debug, Clone)]
pub struct StoryCandidates {
    /// Per width (index `columns - 1`): the parts with the photo, and without (`None` when
    /// the story has no photo or the width was not set).
    pub by_width: Vec<(Option<ArticleParts>, Option<ArticleParts>)>,
    /// Whether the story has a photo.
    pub has_photo: bool,
    /// Whether it is a brief (short enough to go under a brief's head): its parts were set
    /// with that head.
    pub brief: bool,
    /// What the desk asks of it.
    pub hint: StoryHint,
}

/// A rest's fit after its first frame's: (story, photo, that frame's columns, head rank and
/// depth, the rest's columns and depth).
type JumpFitKey = (usize, bool, u32, u8, u32, u32, u32);

/// [`Shapes`] measured from set parts, memoised.
pub(super) struct Measured<'a> {
    pub(super) layout: &'a Layout<'a>,
    pub(super) stories: &'a [Option<StoryCandidates>],
    pub(super) steps: &'a [FitStepKind],
    /// Deepest frame a page offers, lines.
    pub(super) page_lines: u32,
    memo: HashMap<(usize, u32, bool, u8), Vec<u32>>,
    verified: HashMap<(usize, u32, bool, u8, u32), i32>,
    jumps: HashMap<(usize, u32, bool, u8, u32), Vec<u32>>,
    /// Lines the rest of a story from a cursor is over or under once copyfitted in a frame
    /// of (columns, depth), by (story, columns, photo, cursor, depth).
    rest_fits: HashMap<(usize, u32, bool, Cursor, u32), i32>,
    /// The same once the frame it jumped from is fitted for it too, by (story, photo, that
    /// frame's columns, head rank and depth, the rest's columns and depth).
    jump_fits: HashMap<JumpFitKey, i32>,
    /// Per story, the paragraphs the copyfit set again: kept across the many fits the
    /// search asks for (its columns share one measure, so every shape shares them).
    resets: HashMap<usize, Resets>,
}

impl<'a> Measured<'a> {
    pub(super) fn new(
        layout: &'a Layout<'a>,
        stories: &'a [Option<StoryCandidates>],
        steps: &'a [FitStepKind],
        page_lines: u32,
    ) -> Self {
        Measured {
            layout,
            stories,
            steps,
            page_lines,
            memo: HashMap::new(),
            verified: HashMap::new(),
            jumps: HashMap::new(),
            rest_fits: HashMap::new(),
            jump_fits: HashMap::new(),
            resets: HashMap::new(),
        }
    }

    /// Measures beforehand, on every thread, the shapes the search is likely to ask for:
    /// each story's depths at each width and photo option under the heads it can take
    /// there ([`likely_heads`]). The search asks for nearly all of them, one at a time, and
    /// they are what it spends its time on; measured here in parallel, a story per task
    /// with its own copyfit resets, they are then found memoised. A shape it never asks
    /// for only costs time, and one it asks for that is not here is measured then: the
    /// plan is the same either way.
    pub(super) fn prefetch(&mut self) {
        let measured: Vec<_> = (0..self.stories.len())
            .into_par_iter()
            .filter(|story| matches!(self.stories.get(*story), Some(Some(_))))
            .map(|story| {
                let mut one = Measured::new(self.layout, self.stories, self.steps, self.page_lines);
                for columns in self.widths(story) {
                    let heads = likely_heads(self.is_brief(story), self.leads_only(story), columns);
                    for &photo in self.photo_options(story) {
                        for &head in heads {
                            one.depths(story, columns, photo, head);
                        }
                    }
                }
                (story, one.memo, one.verified, one.resets)
            })
            .collect();
        for (story, memo, verified, mut resets) in measured {
            self.memo.extend(memo);
            self.verified.extend(verified);
            if let Some(resets) = resets.remove(&story) {
                self.resets.insert(story, resets);
            }
        }
    }

    /// The parts of `story` at `columns`, with its photo or not, under a head of `head`.
    pub(super) fn parts(
        &self,
        story: usize,
        columns: u32,
        photo: bool,
        head: HeadClass,
    ) -> Option<Cow<'a, ArticleParts>> {
        let candidates = self.stories.get(story)?.as_ref()?;
        let (with, without) = candidates.by_width.get(columns as usize - 1)?;
        let parts = if photo { with.as_ref()? } else { without.as_ref().or(with.as_ref())? };
        Some(with_head(parts, head))
    }

    /// A frame of `columns` from line `top` of the page grid, `depth` lines deep.
    pub(super) fn frame(&self, columns: u32, top: u32, depth: u32) -> Frame {
        let grid = &self.layout.grid;
        // Any page but the first: every page's grid is whole lines, so depths carry over.
        let grid_top = self.layout.planned_grid_top(2);
        Frame {
            first_column: 0,
            columns,
            top: grid_top + top as f32 * grid.baseline,
            bottom: grid_top + (top + depth) as f32 * grid.baseline,
            grid_top,
        }
    }

    /// The frame the rest of a story takes at the top of a page, `columns` wide and `depth`
    /// lines deep, under the jump head that takes its first two lines.
    fn rest_frame(&self, columns: u32, depth: u32) -> Frame {
        self.frame(columns, 2, depth.saturating_sub(2).max(1))
    }

    /// Where the body of `story` stops in its first frame (`columns` wide, `depth` lines
    /// under its top, a head of `head`) when it jumps, or `None` when it fits there whole or
    /// would keep fewer than [`MIN_JUMP_LINES`] lines in a column before its jump.
    pub(super) fn jump_cursor(
        &self,
        story: usize,
        columns: u32,
        photo: bool,
        head: HeadClass,
        depth: u32,
    ) -> Option<Cursor> {
        self.jump_start(story, columns, photo, head, depth).map(|(cursor, _)| cursor)
    }

    /// [`Self::jump_cursor`], and the size (columns, lines) its photo is trimmed to when at
    /// its measured depth the photo and caption would hang under the frame (the make-up
    /// does no copyfit in a frame a story jumps from, so the plan gives that size).
    pub(super) fn jump_start(
        &self,
        story: usize,
        columns: u32,
        photo: bool,
        head: HeadClass,
        depth: u32,
    ) -> Option<(Cursor, Option<(u32, u32)>)> {
        let parts = self.parts(story, columns, photo, head)?;
        let frame = self.frame(columns, 0, depth);
        let jump = |parts: &ArticleParts| {
            let start = ArticleStart::Head(Headline::Main);
            measure_article(parts, &frame, start, Some(2), self.layout)
        };
        let baseline = self.layout.grid.baseline;
        let mut placed = jump(&parts);
        let mut trimmed = None;
        let hang = ((placed.bottom - frame.bottom) / baseline - 0.01).ceil();
        if !placed.overset && hang > 0.0 {
            let max_crop = self.layout.config.photo.max_crop;
            let (shallower, size) = photo_trimmed(&parts, hang as u32, baseline, max_crop)?;
            placed = jump(&shallower);
            trimmed = Some(size);
        }
        // Nothing may hang under the frame either: a photo and its credit cut at the foot.
        let hangs = placed.overset || placed.bottom > frame.bottom + 0.5;
        if hangs || placed.column_lines.iter().any(|lines| *lines < MIN_JUMP_LINES) {
            return None;
        }
        match placed.next {
            Some(ArticleStart::Continued(cursor)) => Some((cursor, trimmed)),
            _ => None,
        }
    }

    /// Where the rest of `story` from `cursor` stops in a frame of `columns` and `depth`
    /// lines (its jump head included), when it goes on past it.
    pub(super) fn rest_cursor(
        &self,
        story: usize,
        columns: u32,
        photo: bool,
        cursor: Cursor,
        depth: u32,
    ) -> Option<Cursor> {
        let parts = self.parts(story, columns, photo, HeadClass::Lead)?;
        let frame = self.rest_frame(columns, depth);
        let start = ArticleStart::Continued(cursor);
        match measure_article(&parts, &frame, start, Some(2), self.layout).next {
            Some(ArticleStart::Continued(next)) => Some(next),
            _ => None,
        }
    }

    /// The depths (jump head included) at which the rest of `story` from `cursor` fills a
    /// frame of `columns` exactly, best first; failing those, the depths it leaves least
    /// short and never overruns; the page's depth alone when it needs more than a page (it
    /// fills the page and jumps again).
    pub(super) fn rest_depths(
        &mut self,
        story: usize,
        columns: u32,
        photo: bool,
        cursor: Cursor,
    ) -> Vec<u32> {
        let Some(parts) = self.parts(story, columns, photo, HeadClass::Lead) else {
            return Vec::new();
        };
        let misfit_at = |depth: u32| {
            let frame = self.rest_frame(columns, depth);
            let placed =
                measure_article(&parts, &frame, ArticleStart::Continued(cursor), None, self.layout);
            misfit(&parts, &placed, frame.bottom, self.layout.grid.baseline)
        };
        if misfit_at(self.page_lines) > 0 {
            return vec![self.page_lines];
        }
        // Within a line a column before the copyfit: paragraphs kept whole at a column foot
        // (widows, orphans, an intertitle with its lines) step the misfit by more than one.
        let within = columns.max(2) as i32;
        let near = self.near_depths(3, &misfit_at, REACH, |m| m.abs() <= within);
        let frames: Vec<Frame> = near.iter().map(|d| self.rest_frame(columns, *d)).collect();
        let resets = self.resets.entry(story).or_default();
        let mut fits = Vec::new();
        for (&depth, frame) in near.iter().zip(&frames) {
            let after = fit_lines(&parts, frame, Some(cursor), self.steps, self.layout, resets);
            self.rest_fits.insert((story, columns, photo, cursor, depth), after);
            fits.push((depth, after));
        }
        let fitting = fitting_depths(&fits, columns);
        if !fitting.is_empty() {
            return fitting;
        }
        // Failing exact or nearly exact depths, the nearest that the rest does not overrun
        // (an overset rest is cut at its frame's foot, its last lines lost), probing deeper
        // when every near depth overruns; their shortfall is reported.
        let mut under: Vec<(u32, i32)> = fits.into_iter().filter(|f| f.1 <= 0).collect();
        if under.is_empty() {
            let deepest = near.iter().copied().max().unwrap_or(self.page_lines);
            let deeper = deepest + 1..=(deepest + REACH).min(self.page_lines);
            under.extend(
                deeper
                    .map(|depth| (depth, self.rest_fit(story, columns, photo, cursor, depth)))
                    .find(|f| f.1 <= 0),
            );
        }
        under.sort_by_key(|f| -f.1);
        if under.is_empty() { near } else { under.into_iter().map(|f| f.0).collect() }
    }

    /// The `depths` of a rest from `cursor` that the rest does not fill exactly on its own,
    /// led by the depths around them that it fills once its first frame `from` is fitted
    /// for it ([`fit_jump`]: a photo a few lines shallower moves lines a column it spans,
    /// past what the rest's own paragraphs reach), nearest first.
    fn fitted_from_jump(
        &mut self,
        story: usize,
        photo: bool,
        from: JumpFrom,
        cursor: Cursor,
        depths: Vec<u32>,
    ) -> Vec<u32> {
        let columns = from.columns;
        let Some(&natural) = depths.first() else { return depths };
        if natural == self.page_lines || self.rest_fit(story, columns, photo, cursor, natural) == 0
        {
            return depths;
        }
        let shallowest = natural.saturating_sub(2 * REACH).max(MIN_JUMP_LINES);
        let deepest = (natural + REACH).min(self.page_lines - 1);
        let mut around: Vec<u32> = (shallowest..=deepest).collect();
        around.sort_by_key(|d| (d.abs_diff(natural), *d));
        let mut fitted: Vec<u32> = around
            .into_iter()
            .filter(|d| self.rest_fit_after_jump(story, photo, from, columns, *d) == 0)
            .collect();
        let others: Vec<u32> = depths.into_iter().filter(|d| !fitted.contains(d)).collect();
        fitted.extend(others);
        fitted
    }

    /// Lines the rest of `story` from `cursor` is over (positive) or under (negative) once
    /// copyfitted in a frame of `columns` and `depth` lines (its jump head included).
    pub(super) fn rest_fit(
        &mut self,
        story: usize,
        columns: u32,
        photo: bool,
        cursor: Cursor,
        depth: u32,
    ) -> i32 {
        let key = (story, columns, photo, cursor, depth);
        if let Some(after) = self.rest_fits.get(&key) {
            return *after;
        }
        let Some(parts) = self.parts(story, columns, photo, HeadClass::Lead) else {
            return i32::MAX;
        };
        let frame = self.rest_frame(columns, depth);
        let resets = self.resets.entry(story).or_default();
        let after = fit_lines(&parts, &frame, Some(cursor), self.steps, self.layout, resets);
        self.rest_fits.insert(key, after);
        after
    }

    /// Lines the rest of `story` (from its first frame `from`) is over or under in a frame
    /// of `columns` and `depth` lines once the make-up has fitted it, paragraphs of `from`
    /// set again for it when its own cannot fill it ([`fit_jump`]).
    pub(super) fn rest_fit_after_jump(
        &mut self,
        story: usize,
        photo: bool,
        from: JumpFrom,
        columns: u32,
        depth: u32,
    ) -> i32 {
        let key = (story, photo, from.columns, rank(from.head), from.depth, columns, depth);
        if let Some(after) = self.jump_fits.get(&key) {
            return *after;
        }
        let after = match self.jump_start(story, from.columns, photo, from.head, from.depth) {
            Some((cursor, trimmed)) => {
                // A first frame whose photo is trimmed to end on its foot is measured with
                // that size: its rest is counted as fitted on its own.
                let plain = self.rest_fit(story, columns, photo, cursor, depth);
                match (trimmed, self.parts(story, from.columns, photo, from.head)) {
                    (None, Some(parts)) => {
                        let first = self.frame(from.columns, 0, from.depth);
                        let rest = self.rest_frame(columns, depth);
                        let frames = JumpFrames { first: &first, to: 2, rest: &rest };
                        let resets = self.resets.entry(story).or_default();
                        fit_jump(&parts, frames, self.steps, self.layout, resets)
                            .map_or(plain, |(_, _, after)| after)
                    }
                    _ => plain,
                }
            }
            None => i32::MAX,
        };
        self.jump_fits.insert(key, after);
        after
    }

    /// The depths within `span` lines of the natural one (the shallowest with `misfit_at` ≤ 0,
    /// at least `shallowest`) whose misfit is `near` enough, nearest first.
    fn near_depths(
        &self,
        shallowest: u32,
        misfit_at: &dyn Fn(u32) -> i32,
        span: u32,
        near: impl Fn(i32) -> bool,
    ) -> Vec<u32> {
        let (mut lo, mut hi) = (shallowest, self.page_lines);
        if lo > hi || misfit_at(hi) > 0 {
            return Vec::new();
        }
        while lo < hi {
            let mid = (lo + hi) / 2;
            if misfit_at(mid) <= 0 { hi = mid } else { lo = mid + 1 }
        }
        let natural = lo;
        let from = natural.saturating_sub(span).max(shallowest);
        let to = (natural + span).min(self.page_lines);
        let mut depths: Vec<u32> = (from..=to).filter(|d| near(misfit_at(*d))).collect();
        depths.sort_by_key(|d| (d.abs_diff(natural), *d));
        depths
    }
}

impl Shapes for Measured<'_> {
    fn widths(&self, story: usize) -> std::ops::RangeInclusive<u32> {
        let columns = self.layout.grid.columns;
        // A story that was not set takes no width: an empty range.
        let Some(Some(s)) = self.stories.get(story) else {
            return std::ops::RangeInclusive::new(1, 0);
        };
        let min = s.hint.min_columns.unwrap_or(1).clamp(1, columns);
        let max = s.hint.max_columns.unwrap_or(columns).clamp(min, columns);
        min..=max
    }

    fn photo_options(&self, story: usize) -> &'static [bool] {
        match self.stories.get(story) {
            Some(Some(s)) if s.has_photo => match s.hint.with_photo {
                Some(true) => &[true],
                Some(false) => &[false],
                None => &[true, false],
            },
            _ => &[false],
        }
    }

    fn has_photo(&self, story: usize) -> bool {
        matches!(self.stories.get(story), Some(Some(s)) if s.has_photo && s.hint.with_photo != Some(false))
    }

    fn leads_only(&self, story: usize) -> bool {
        matches!(self.stories.get(story), Some(Some(s)) if s.hint.lead)
    }

    fn is_brief(&self, story: usize) -> bool {
        matches!(self.stories.get(story), Some(Some(s)) if s.brief)
    }

    fn depths(&mut self, story: usize, columns: u32, photo: bool, head: HeadClass) -> Vec<u32> {
        let key = (story, columns, photo, rank(head));
        if let Some(depths) = self.memo.get(&key) {
            return depths.clone();
        }
        let depths = match self.parts(story, columns, photo, head) {
            Some(parts) => {
                let misfit_at = |depth: u32| {
                    let frame = self.frame(columns, 0, depth);
                    let start = ArticleStart::Head(Headline::Main);
                    let placed = measure_article(&parts, &frame, start, None, self.layout);
                    misfit(&parts, &placed, frame.bottom, self.layout.grid.baseline)
                };
                let baseline = self.layout.grid.baseline;
                let (over, under) = reach(&parts, columns, self.steps, baseline);
                let near = |m: i32| m <= over && -m <= under;
                let span = (over.max(under) as u32).div_ceil(columns) + 1;
                let near = self.near_depths(1, &misfit_at, span, near);
                // Only the depths the copyfit really fills: a page the search completes is
                // then full once made up, not found short by the make-up. A shape that fills
                // none keeps the depths it leaves at most a line short a column, least short
                // first: a page it ends up on is kept with that white counted, rather than
                // the story left out of the issue.
                let fits: Vec<(u32, i32)> = near
                    .into_iter()
                    .map(|d| (d, self.fit_with(&parts, (story, columns, photo, head), d)))
                    .collect();
                fitting_depths(&fits, columns)
            }
            None => Vec::new(),
        };
        self.memo.insert(key, depths.clone());
        depths
    }

    fn jump_rest(
        &mut self,
        story: usize,
        columns: u32,
        photo: bool,
        head: HeadClass,
        depth: u32,
    ) -> Vec<u32> {
        let key = (story, columns, photo, rank(head), depth);
        if let Some(rest) = self.jumps.get(&key) {
            return rest.clone();
        }
        let rest = match self.jump_cursor(story, columns, photo, head, depth) {
            Some(cursor) => {
                let depths = self.rest_depths(story, columns, photo, cursor);
                let from = JumpFrom { columns, head, depth };
                self.fitted_from_jump(story, photo, from, cursor, depths)
            }
            None => Vec::new(),
        };
        self.jumps.insert(key, rest.clone());
        rest
    }

    fn fit_after(&mut self, p: &Placement) -> i32 {
        let depth = p.depth - if p.top > 0 { RULE_LINES } else { 0 };
        self.fit_at(p.story, p.columns, p.photo, p.head, depth)
    }
}

impl Measured<'_> {
    /// Lines `story` is over (positive) or under once copyfitted in a frame of `columns` and
    /// `depth` lines (no opening rule), with its photo or not, under a head of `head`.
    fn fit_at(
        &mut self,
        story: usize,
        columns: u32,
        photo: bool,
        head: HeadClass,
        depth: u32,
    ) -> i32 {
        let key = (story, columns, photo, rank(head), depth);
        if let Some(after) = self.verified.get(&key) {
            return *after;
        }
        match self.parts(story, columns, photo, head) {
            Some(parts) => self.fit_with(&parts, (story, columns, photo, head), depth),
            None => {
                self.verified.insert(key, i32::MAX);
                i32::MAX
            }
        }
    }

    /// [`Self::fit_at`] for `parts`, those of `shape` (story, columns, photo, head): taken
    /// once by a caller fitting them at several depths, since a lead's or tertiary head's
    /// parts are a copy ([`with_head`]).
    fn fit_with(
        &mut self,
        parts: &ArticleParts,
        (story, columns, photo, head): (usize, u32, bool, HeadClass),
        depth: u32,
    ) -> i32 {
        let key = (story, columns, photo, rank(head), depth);
        if let Some(after) = self.verified.get(&key) {
            return *after;
        }
        let frame = self.frame(columns, 0, depth);
        let resets = self.resets.entry(story).or_default();
        let after = fit_lines(parts, &frame, None, self.steps, self.layout, resets);
        self.verified.insert(key, after);
        after
    }
}

/// The heads the search gives a story `columns` wide, as a rule (`Search::head_class`): a
/// brief's; else the lead's, and a secondary head across two columns or more, a tertiary
/// one in a single column (a single column at the top of the page is secondary too, but
/// the tombstone rule nearly always makes it tertiary). Only a guess for
/// [`Measured::prefetch`].
fn likely_heads(brief: bool, leads_only: bool, columns: u32) -> &'static [HeadClass] {
    match (brief, leads_only, columns) {
        (true, _, _) => &[HeadClass::Brief],
        (false, true, _) => &[HeadClass::Lead],
        (false, false, 1) => &[HeadClass::Lead, HeadClass::Tertiary],
        (false, false, _) => &[HeadClass::Lead, HeadClass::Secondary],
    }
}

/// Of `fits` (depth, lines over or under once copyfitted), the depths filled exactly; when
/// none is, those left at most a line a column short, least short first (their white is
/// reported by the make-up).
fn fitting_depths(fits: &[(u32, i32)], columns: u32) -> Vec<u32> {
    let exact: Vec<u32> = fits.iter().filter(|f| f.1 == 0).map(|f| f.0).collect();
    if !exact.is_empty() {
        return exact;
    }
    let mut short: Vec<(u32, i32)> =
        fits.iter().copied().filter(|f| f.1 < 0 && -f.1 <= columns as i32).collect();
    short.sort_by_key(|f| -f.1);
    short.into_iter().map(|f| f.0).collect()
}

/// Lines (over, under) the copyfit cascade can be expected to take back on a story:
/// about one for every three paragraphs each way (looseness and tracking); the photo's
/// depth within the house limits (16:9 to square) over its columns; the head one class
/// smaller or larger over the frame's columns. An estimate for the search: a full page's
/// frames are then fitted for real ([`Shapes::fit_after`]).
fn reach(parts: &ArticleParts, columns: u32, steps: &[FitStepKind], baseline: f32) -> (i32, i32) {
    let paragraphs =
        parts.body.iter().filter(|f| matches!(f, Flowable::Lines(l) if l.lines.len() >= 3)).count()
            as i32;
    let (mut over, mut under) = (0, 0);
    if steps.contains(&FitStepKind::Looseness) {
        over += (paragraphs + 2) / 3;
        under += (paragraphs + 2) / 3;
    }
    let photo = parts.lead.iter().flat_map(|l| &l.items).find_map(|item| match item {
        Item::Image { frame, .. } => Some(*frame),
        _ => None,
    });
    if let (true, Some(photo)) = (steps.contains(&FitStepKind::PhotoDepth), photo) {
        let lines = |points: f32| (points / baseline).floor().max(0.0) as i32;
        over += lines(photo.height - photo.width * 9.0 / 16.0) * parts.lead_columns as i32;
        under += lines(photo.width - photo.height) * parts.lead_columns as i32;
    }
    if steps.contains(&FitStepKind::Headline) {
        let height = |h: &crate::compose::flow::BlockPiece| (h.height / baseline).floor() as i32;
        let head = height(&parts.head);
        over += (head - height(&parts.head_secondary)).max(0) * columns as i32;
        if let Some(larger) = &parts.head_larger {
            under += (height(larger) - head).max(0) * columns as i32;
        }
    }
    (over, under)
}

/// `parts` (set with a secondary head, or a brief's for a brief) as set with a head of class `head`: the heads one
/// class up and down were set with it, so this swaps them in rather than setting again.
fn with_head(parts: &ArticleParts, head: HeadClass) -> Cow<'_, ArticleParts> {
    match head {
        HeadClass::Lead => {
            let Some(larger) = &parts.head_larger else { return Cow::Borrowed(parts) };
            let mut lead = parts.clone();
            lead.head_secondary = parts.head.clone();
            lead.head = larger.clone();
            lead.head_larger = None;
            Cow::Owned(lead)
        }
        HeadClass::Tertiary => {
            let mut tertiary = parts.clone();
            tertiary.head_larger = Some(parts.head.clone());
            tertiary.head = parts.head_secondary.clone();
            Cow::Owned(tertiary)
        }
        HeadClass::Secondary | HeadClass::Brief => Cow::Borrowed(parts),
    }
}
