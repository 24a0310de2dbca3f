//! Copyfit: making a planned story fill its frame exactly, and saying by how much it does
//! not when it cannot.
//!
//! A story placed in its frame is measured in body lines: lines over (text left when the
//! frame is full) or under (empty line slots under its columns). It is then fitted by an
//! ordered cascade, each step typographically safe and reported when used:
//!
//! 1. **looseness**: paragraphs set one line shorter or longer by the line breaker itself
//!    (TeX's `\looseness`), which only does so within its tolerance; paragraphs whose last
//!    line is nearly empty are shortened first, nearly full ones lengthened first;
//! 2. **tracking**: whole paragraphs set with ±1 % of an em of letter spacing and the same
//!    looseness, where tracking is what lets the breaker gain or lose the line;
//! 3. **photo depth**: the lead photo one or more grid lines shallower or deeper, within
//!    its crop limits, cover-fitted again around its focal point (from the depth the page
//!    plan gave it, if any; a depth given outside the limits is kept). The limits are first
//!    the share of the photo `photo.max_crop_percent` lets a frame crop; only a story that
//!    does not fit that way is fitted again with the house limits too (16:9 to square);
//! 4. **headline**: the head one size step smaller (an overset story) or larger (an
//!    underset one, when its head class has a larger size: a lead has none).
//!
//! The rest of a story that jumped has steps 1 and 2 on its own paragraphs; what they
//! leave is then fitted from the frame it jumped from (`jump.rs`).
//!
//! Steps 3 and 4 move whole grid lines across several columns at once, so what they leave
//! (or overshoot) goes back to steps 1 and 2. A paragraph set again is kept only if no line
//! of it is looser than the engine sets text unfitted (spaces fully stretched at most).
//!
//! Each paragraph is set again only when the cascade tries it, and at most once each way
//! (shorter or longer, tracked or not) however many rounds of steps come back to it; the
//! placement of a trial reuses every other set paragraph: a fit costs a few paragraph
//! settings and flows, not a new setting of the story. A trial changes the story in place
//! (a paragraph's lines, the photo) and only measures its placement; the story is copied
//! once, at its first change tried, and drawn once, when the fit is done.

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::Arc;

use super::flow::{Cursor, Flowable, LinesPiece, ParagraphSource};
use super::{
    ArticleParts, ArticleStart, Frame, Headline, Layout, PlacedPart, measure_article, place_article,
};
use crate::model::FitStepKind;
use crate::text::{Line, ParagraphStyle, SetParagraph, loosest};
pub use photo::photo_trimmed;
use photo::{PhotoLimits, photo_cost, photo_detail, photo_trials};

/// Tracking tried by the second step, em: 1 % either way keeps the colour of the text.
const TRACKING_STEP: f32 = 0.01;

/// Float slack under a frame's bottom, points: a baseline on the bottom line is inside.
pub(super) const CUT_SLACK: f32 = 0.5;

/// Loosest adjustment ratio a paragraph set again may have on a line that is not its last
/// (1: spaces and letter spacing fully stretched), unless the paragraph as first set was
/// already looser: the breaker's tolerance allows more, but a fitted story must not be set
/// looser than the engine sets text when nothing is fitted.
const LOOSEST_RATIO: f32 = 1.0;

/// A step of the cascade that changed the story.
#[derive(Debug, Clone, PartialEq)]
pub struct FitStep {
    /// Which step.
    pub kind: FitStepKind,
    /// What it did, for people ("3 paragraphs one line shorter").
    pub detail: String,
    /// Lines it gained (positive: the story got shorter).
    pub lines: i32,
}

/// The copyfit of one story frame.
#[derive(Debug, Clone, PartialEq)]
pub struct FrameFit {
    /// The frame's name (`p3/2`).
    pub frame: String,
    /// Its page.
    pub page: u32,
    /// Lines over (positive) or under (negative) before fitting.
    pub before: i32,
    /// The same after fitting: 0 when the story fills its frame.
    pub after: i32,
    /// The steps used, in cascade order.
    pub steps: Vec<FitStep>,
    /// Characters to cut (over) or add (under), from the story's average line.
    pub chars: u32,
    /// Words to cut or add, likewise.
    pub words: u32,
}

impl FrameFit {
    /// A measurement without fitting (a jump, a continuation, briefs).
    pub fn measured(frame: &str, page: u32, lines: i32, parts: &ArticleParts) -> FrameFit {
        let (chars, words) = amount(parts, lines);
        FrameFit {
            frame: frame.to_string(),
            page,
            before: lines,
            after: lines,
            steps: Vec::new(),
            chars,
            words,
        }
    }

    /// Counts `lines` cut at the frame's foot (drawn past it, so not printed) in what is
    /// over after fitting: the frame is then overset by at least them. The measure already
    /// counts a part reaching below the frame ([`misfit`]): the cut is not added twice.
    pub fn add_cut(&mut self, lines: i32, parts: &ArticleParts) {
        if lines <= self.after.max(0) {
            return;
        }
        self.after = lines;
        (self.chars, self.words) = amount(parts, self.after);
    }
}

/// Lines over (positive) or under (negative) of a part placed in a frame whose bottom edge
/// is at `bottom`. A part that ended in the frame but reaches below its bottom (a corner QR
/// block pushed under a deep photo, a piece taller than the columns) is over by the grid
/// lines it reaches down: the make-up cuts them, so the cascade must see them.
pub fn misfit(parts: &ArticleParts, part: &PlacedPart, bottom: f32, baseline: f32) -> i32 {
    match part.next {
        Some(ArticleStart::Continued(cursor)) => remaining_lines(&parts.body, cursor, baseline),
        _ if part.bottom > bottom + CUT_SLACK => ((part.bottom - bottom) / baseline).ceil() as i32,
        _ => -(part.empty_lines as i32),
    }
}

/// Body lines from `cursor` to the end (a block counts its height in grid lines), the
/// floated block still waiting included.
pub(super) fn remaining_lines(body: &[Flowable], cursor: Cursor, baseline: f32) -> i32 {
    body.iter()
        .enumerate()
        .filter(|(i, _)| *i >= cursor.piece || cursor.deferred == Some(*i))
        .map(|(i, piece)| match piece {
            Flowable::Lines(p) => {
                let done = if i == cursor.piece { cursor.line } else { 0 };
                p.lines.len().saturating_sub(done) as i32
            }
            Flowable::Block(b) => (b.height / baseline).ceil() as i32,
        })
        .sum()
}

/// Characters and words in `lines` body lines of the story, from its average line.
fn amount(parts: &ArticleParts, lines: i32) -> (u32, u32) {
    let (mut chars, mut words, mut count) = (0usize, 0usize, 0usize);
    for piece in &parts.body {
        if let Flowable::Lines(p) = piece {
            for line in &p.lines {
                for run in line.runs.iter() {
                    chars += run.text.chars().count();
                    words += run.text.split_whitespace().count();
                }
                count += 1;
            }
        }
    }
    if count == 0 {
        return (0, 0);
    }
    let per =
        |total: usize| (lines.unsigned_abs() as f32 * total as f32 / count as f32).round() as u32;
    (per(chars), per(words))
}

/// The paragraphs of one story the cascade has set again, by body index, direction (-1
/// shorter, 1 longer) and whether tracked, with what each was set from (an entry for other
/// text at that index is set again, never trusted). The same whatever frame the story is
/// fitted to, so a caller fitting one story to many frames (the automatic make-up tries
/// dozens) keeps it across fits and sets each paragraph once per way, not once per fit.
#[derive(Debug, Default)]
pub struct Resets(HashMap<(usize, i32, bool), (Arc<ParagraphSource>, Reset)>);

impl Resets {
    /// Paragraph `index` (`piece`, set from `source`) set again one line shorter
    /// (`direction` -1) or longer (1), with `tracking` em or none ([`reset_paragraph`]):
    /// as set before when it was, from the same text.
    fn reset(
        &mut self,
        layout: &Layout<'_>,
        (index, piece): (usize, &LinesPiece),
        source: &Arc<ParagraphSource>,
        direction: i32,
        tracking: f32,
    ) -> Reset {
        let key = (index, direction, tracking != 0.0);
        let known =
            self.0.get(&key).filter(|(from, _)| Arc::ptr_eq(from, source) || **from == **source);
        if let Some((_, reset)) = known {
            return reset.clone();
        }
        let reset = reset_paragraph(layout, piece, source, direction, tracking);
        self.0.insert(key, (source.clone(), reset.clone()));
        reset
    }
}

/// Places `parts` in `frame` from its head and fits it with the `steps` allowed, in cascade
/// order. Returns the fitted placement and its record, and keeps in `resets` the
/// paragraphs it set again.
pub fn fit_story(
    parts: &ArticleParts,
    frame: &Frame,
    (name, page): (&str, u32),
    steps: &[FitStepKind],
    layout: &Layout<'_>,
    resets: &mut Resets,
) -> (PlacedPart, FrameFit) {
    fit_from(parts, frame, None, (name, page), steps, layout, resets)
}

/// Places the rest of a story that jumped, from `cursor`, in `frame` and fits it with the
/// `steps` allowed that apply to a continuation (looseness and tracking of its own
/// paragraphs: the photo and head are in the first frame). `resets` as for [`fit_story`].
pub fn fit_continuation(
    parts: &ArticleParts,
    frame: &Frame,
    cursor: Cursor,
    (name, page): (&str, u32),
    steps: &[FitStepKind],
    layout: &Layout<'_>,
    resets: &mut Resets,
) -> (PlacedPart, FrameFit) {
    fit_from(parts, frame, Some(cursor), (name, page), steps, layout, resets)
}

/// Lines `parts` is over (positive) or under (negative) in `frame` once fitted with the
/// `steps` allowed, from its head (`cursor` `None`) or from where a jump resumes: what
/// [`fit_story`] and [`fit_continuation`] report as `after`, without drawing the
/// placement, for a caller that tries many frames (the automatic make-up).
pub fn fit_lines(
    parts: &ArticleParts,
    frame: &Frame,
    cursor: Option<Cursor>,
    steps: &[FitStepKind],
    layout: &Layout<'_>,
    resets: &mut Resets,
) -> i32 {
    fit_trial(parts, frame, cursor, steps, layout, resets).misfit
}

/// The cascade, from the head (`cursor` `None`) or from where a jump resumes, its result
/// placed and recorded.
fn fit_from(
    parts: &ArticleParts,
    frame: &Frame,
    cursor: Option<Cursor>,
    (name, page): (&str, u32),
    steps: &[FitStepKind],
    layout: &Layout<'_>,
    resets: &mut Resets,
) -> (PlacedPart, FrameFit) {
    let trial = fit_trial(parts, frame, cursor, steps, layout, resets);
    let mut fit = FrameFit::measured(name, page, trial.before, parts);
    fit.steps = trial.used;
    fit.after = trial.misfit;
    (fit.chars, fit.words) = amount(&trial.parts, trial.misfit);
    let start = cursor.map_or(ArticleStart::Head(trial.headline), ArticleStart::Continued);
    (place_article(&trial.parts, frame, start, None, layout), fit)
}

/// Runs the cascade: the trial it ends with.
fn fit_trial<'a>(
    parts: &'a ArticleParts,
    frame: &'a Frame,
    cursor: Option<Cursor>,
    steps: &[FitStepKind],
    layout: &'a Layout<'a>,
    resets: &mut Resets,
) -> Trial<'a> {
    let before = place_from(parts, frame, cursor, Headline::Main, layout);
    let max_crop = layout.config.photo.max_crop;
    let own_shape = parts.own_photo.is_some();
    let strict = PhotoLimits { max_crop, house: false, own_shape };
    let mut trial = Trial::new(parts, cursor, frame, layout, before, strict);
    if before == 0 {
        return trial;
    }
    trial.resets = std::mem::take(resets);
    trial.cascade(steps);
    // The photo cropped past its share only when that is what fits the story: the cascade
    // again from the start, its photo step allowed the house limits too, kept if it fits
    // better.
    let photo_step = cursor.is_none() && parts.lead.is_some();
    if trial.misfit != 0 && photo_step && steps.contains(&FitStepKind::PhotoDepth) {
        let house = PhotoLimits { max_crop, house: true, own_shape };
        let mut again = Trial::new(parts, cursor, frame, layout, before, house);
        again.resets = std::mem::take(&mut trial.resets);
        again.cascade(steps);
        if again.misfit.abs() < trial.misfit.abs() {
            trial = again;
        } else {
            trial.resets = std::mem::take(&mut again.resets);
        }
    }
    *resets = std::mem::take(&mut trial.resets);
    trial
}

impl<'a> Trial<'a> {
    /// A trial of `parts` as first placed, `before` lines over or under.
    fn new(
        parts: &'a ArticleParts,
        cursor: Option<Cursor>,
        frame: &'a Frame,
        layout: &'a Layout<'a>,
        before: i32,
        photo_limits: PhotoLimits,
    ) -> Trial<'a> {
        Trial {
            parts: Cow::Borrowed(parts),
            headline: Headline::Main,
            cursor,
            frame,
            layout,
            before,
            misfit: before,
            used: Vec::new(),
            photo_limits,
            resets: Resets::default(),
        }
    }

    /// Runs the steps of `steps` in cascade order until the story fits; keeps in `used`
    /// the steps that changed it.
    fn cascade(&mut self, steps: &[FitStepKind]) {
        // The photo and headline steps move whole grid lines of several columns at once: what
        // they leave over or under, one way or the other, goes back to the paragraphs.
        for kind in [
            FitStepKind::Looseness,
            FitStepKind::Tracking,
            FitStepKind::PhotoDepth,
            FitStepKind::Looseness,
            FitStepKind::Tracking,
            FitStepKind::Headline,
            FitStepKind::Looseness,
            FitStepKind::Tracking,
        ] {
            if self.misfit == 0 {
                break;
            }
            if !steps.contains(&kind) {
                continue;
            }
            let was = self.misfit;
            let detail = match kind {
                FitStepKind::Looseness => self.paragraphs(0.0),
                FitStepKind::Tracking => self.paragraphs(TRACKING_STEP),
                FitStepKind::PhotoDepth => self.photo(),
                FitStepKind::Headline => self.headline(),
            };
            if let Some(detail) = detail {
                self.used.push(FitStep { kind, detail, lines: was - self.misfit });
            }
        }
    }
}

/// The misfit of `parts` placed in `frame` from the head with `headline` (`cursor` `None`)
/// or from where a jump resumes: measured, not drawn.
fn place_from(
    parts: &ArticleParts,
    frame: &Frame,
    cursor: Option<Cursor>,
    headline: Headline,
    layout: &Layout<'_>,
) -> i32 {
    let start = cursor.map_or(ArticleStart::Head(headline), ArticleStart::Continued);
    let placed = measure_article(parts, frame, start, None, layout);
    misfit(parts, &placed, frame.bottom, layout.grid.baseline)
}

/// The story as the cascade has changed it so far, and how it fits.
struct Trial<'a> {
    /// The story, copied at its first change tried.
    parts: Cow<'a, ArticleParts>,
    headline: Headline,
    /// Where a continuation resumes; `None` for a story placed from its head.
    cursor: Option<Cursor>,
    frame: &'a Frame,
    layout: &'a Layout<'a>,
    /// Lines over or under before fitting.
    before: i32,
    /// The same now.
    misfit: i32,
    /// The steps that changed the story, in cascade order.
    used: Vec<FitStep>,
    /// The depths the photo step may try.
    photo_limits: PhotoLimits,
    /// Paragraphs set again (the caller's, lent for the trial).
    resets: Resets,
}

/// A paragraph set again: its style and what it set (shared with the engine's memo, when it
/// has one), or `None` when the setting did not gain or lose the line evenly enough.
type Reset = Option<(ParagraphStyle, Arc<SetParagraph>)>;

impl Trial<'_> {
    /// The misfit of the current parts under `headline`.
    fn place(&self, headline: Headline) -> i32 {
        place_from(&self.parts, self.frame, self.cursor, headline, self.layout)
    }

    /// Keeps a change when it brings the story nearer its frame (an overset story may
    /// become slightly underset: then all of its copy is in).
    fn better(&self, misfit: i32) -> bool {
        misfit.abs() < self.misfit.abs()
    }

    /// Steps (a) and (b): sets paragraphs one line shorter (overset) or longer (underset),
    /// with `tracking` em of letter spacing the same way, one paragraph at a time, until
    /// the story fits or no paragraph can change. Returns what it did.
    fn paragraphs(&mut self, tracking: f32) -> Option<String> {
        let direction = if self.misfit > 0 { -1 } else { 1 };
        let mut candidates: Vec<(usize, f32)> = self
            .parts
            .body
            .iter()
            .enumerate()
            // A continuation changes only what it holds: the paragraphs from where it resumes.
            .filter(|(i, _)| {
                self.cursor.is_none_or(|c| *i > c.piece || (*i == c.piece && c.line == 0))
            })
            .filter_map(|(i, piece)| match piece {
                Flowable::Lines(p) => {
                    let source = p.source.as_ref()?;
                    // A one-line paragraph has no line to lose.
                    if p.lines.len() < 2 && direction < 0 {
                        return None;
                    }
                    let fill = p.lines.last().map_or(0.0, |l| l.width / source.width.max(1.0));
                    Some((i, fill))
                }
                Flowable::Block(_) => None,
            })
            .collect();
        // Each paragraph gives a line at most: a misfit the paragraphs cannot absorb is left
        // to the next steps and the copy desk, rather than the text set looser or tighter
        // for nothing (and every paragraph set again at a cost).
        if candidates.len() < self.misfit.unsigned_abs() as usize {
            return None;
        }
        order_candidates(&mut candidates, direction);
        let mut changed = 0;
        for (index, _) in candidates {
            if self.misfit == 0 {
                break;
            }
            // The cascade comes back to the paragraphs after the photo and the head, and
            // sets each of them once per way of trying.
            let Some(was) = swap_reset(
                &mut self.parts,
                &mut self.resets,
                self.layout,
                index,
                direction,
                tracking,
            ) else {
                continue;
            };
            // Tried in place, and put back unless it fits better.
            let misfit = self.place(self.headline);
            if self.better(misfit) {
                self.misfit = misfit;
                changed += 1;
            } else {
                swap_paragraph(self.parts.to_mut(), index, was);
            }
        }
        (changed > 0).then(|| {
            let way = if direction < 0 { "shorter" } else { "longer" };
            let what = if tracking == 0.0 {
                String::new()
            } else {
                format!(" with {:+.0} % tracking", 100.0 * tracking * direction as f32)
            };
            let s = if changed == 1 { "" } else { "s" };
            format!("{changed} paragraph{s} one line {way}{what}")
        })
    }

    /// Step (c): the lead photo shallower (overset) or deeper (underset) by whole grid
    /// lines, within its crop limits; keeps the depth that fits best.
    fn photo(&mut self) -> Option<String> {
        if self.cursor.is_some() {
            return None;
        }
        let lead = self.parts.lead.clone()?;
        let (before, focus) = (self.misfit, self.parts.lead_focus);
        let photo = &self.layout.config.photo;
        let trials = photo_trials(
            &lead,
            (focus, self.photo_limits),
            before,
            self.layout.grid.baseline,
            photo.warn_ppi,
        );
        let mut best = None;
        for (lines, resized) in trials {
            let kept = self.parts.to_mut().lead.replace(resized);
            let misfit = self.place(self.headline);
            if photo_cost(misfit) < photo_cost(self.misfit) {
                self.misfit = misfit;
                best = Some(lines);
            } else {
                self.parts.to_mut().lead = kept;
            }
            if self.misfit == 0 {
                break;
            }
        }
        best.map(|lines| photo_detail(lines, before))
    }

    /// Step (d): the head one size step smaller for an overset story, or one step larger
    /// for an underset one when its class has a larger size; kept when it brings the story
    /// nearer its frame.
    fn headline(&mut self) -> Option<String> {
        if self.cursor.is_some() || self.misfit == 0 {
            return None;
        }
        let (headline, alternative, way) = if self.misfit > 0 {
            (Headline::Secondary, &self.parts.head_secondary, "smaller")
        } else {
            (Headline::Larger, self.parts.head_larger.as_ref()?, "larger")
        };
        // A step that does not change the head's depth cannot change the fit.
        if (alternative.height - self.parts.head.height).abs() < 0.5 {
            return None;
        }
        let misfit = self.place(headline);
        if !self.better(misfit) {
            return None;
        }
        (self.headline, self.misfit) = (headline, misfit);
        Some(format!("headline one size step {way}"))
    }
}

/// `piece` (set from `source`) set again one line shorter (`direction` -1) or longer (1),
/// with `tracking` em of letter spacing the same way: `None` when that does not gain or lose
/// the line evenly enough.
fn reset_paragraph(
    layout: &Layout<'_>,
    piece: &LinesPiece,
    source: &ParagraphSource,
    direction: i32,
    tracking: f32,
) -> Reset {
    // With tracking, the tracked paragraph's own optimum may already gain or lose the
    // line: try it as it is, then with the looseness.
    let looseness: &[i32] = if tracking == 0.0 { &[direction] } else { &[0, direction] };
    let before = piece.lines.len() as i32;
    let allowed = loosest(&piece.lines).max(LOOSEST_RATIO);
    let tracked = ParagraphStyle { tracking: tracking * direction as f32, ..source.style.clone() };
    // Most paragraphs cannot gain or lose the line evenly: a bound tells most of them for
    // far less than setting them again.
    let lines = (before + direction).max(0) as usize;
    if !layout.engine.may_take_lines(&source.runs, &tracked, source.width, lines, allowed) {
        return None;
    }
    looseness.iter().find_map(|&looseness| {
        let style = ParagraphStyle { looseness, ..tracked.clone() };
        let set = layout.engine.set_paragraph_shared(&source.runs, &style, source.width);
        let even = loosest(&set.lines) <= allowed;
        (set.lines.len() as i32 - before == direction && even).then_some((style, set))
    })
}

/// Orders the paragraphs the copyfit may set again, as (index, how full their last line
/// is): for shortening (`direction` -1) nearly empty last lines first, for lengthening
/// nearly full ones first.
fn order_candidates(candidates: &mut [(usize, f32)], direction: i32) {
    candidates.sort_by(|a, b| {
        let order = a.1.total_cmp(&b.1);
        if direction < 0 { order } else { order.reverse() }.then(a.0.cmp(&b.0))
    });
}

/// Puts paragraph `index` of `parts`, when it is as first set, set again one line shorter
/// (`direction` -1) or longer (1) with `tracking` em ([`Resets::reset`]); returns what it
/// replaced, for [`swap_paragraph`] to put back. `None` when the paragraph was set again
/// already, or cannot gain or lose the line.
fn swap_reset(
    parts: &mut Cow<'_, ArticleParts>,
    resets: &mut Resets,
    layout: &Layout<'_>,
    index: usize,
    direction: i32,
    tracking: f32,
) -> Option<(Vec<Line>, Option<Arc<ParagraphSource>>)> {
    let Flowable::Lines(piece) = &parts.body[index] else { return None };
    let source = piece.source.clone()?;
    // Set again by an earlier step already.
    if source.style.looseness != 0 || source.style.tracking != 0.0 {
        return None;
    }
    let (style, set) = resets.reset(layout, (index, piece), &source, direction, tracking)?;
    let reset = Some(Arc::new(ParagraphSource { style, ..(*source).clone() }));
    Some(swap_paragraph(parts.to_mut(), index, (set.lines.clone(), reset)))
}

/// Puts `lines` set from `source` as paragraph `index` of `parts` (a paragraph's piece);
/// returns what was there.
fn swap_paragraph(
    parts: &mut ArticleParts,
    index: usize,
    (lines, source): (Vec<Line>, Option<Arc<ParagraphSource>>),
) -> (Vec<Line>, Option<Arc<ParagraphSource>>) {
    match &mut parts.body[index] {
        Flowable::Lines(p) => {
            (std::mem::replace(&mut p.lines, lines), std::mem::replace(&mut p.source, source))
        }
        Flowable::Block(_) => (lines, source),
    }
}

mod jump;
mod photo;

pub use jump::{JumpFrames, fit_jump};

#[cfg(test)]
mod tests;
