//! A jumped story's rest fitted from the frame it jumps from: the rest's own paragraphs are
//! few, and when they cannot gain or lose the lines its frame asks, paragraphs of the first
//! frame set a line longer push lines over to the rest (or shorter pull them back), and its
//! photo a line deeper pushes a line a column it spans (or shallower pulls one back).

use super::super::{ArticleParts, ArticleStart, Frame, Headline, Layout, measure_article};
use super::photo::{PhotoLimits, photo_cost, photo_detail, photo_lines, photo_trials};
use super::{
    FitStep, Resets, TRACKING_STEP, fit_lines, order_candidates, swap_paragraph, swap_reset,
};
use crate::compose::flow::{Cursor, Flowable};
use crate::model::FitStepKind;
use std::borrow::Cow;

/// Where a jumping story is fitted for its rest: its first frame (jumping to page `to`)
/// and the rest's frame (under its jump head).
#[derive(Clone, Copy)]
pub struct JumpFrames<'f> {
    /// The frame the story jumps from.
    pub first: &'f Frame,
    /// The page it jumps to.
    pub to: u32,
    /// The rest's frame, under its jump head.
    pub rest: &'f Frame,
}

/// `parts` with paragraphs of its first frame set a line longer or shorter, or its photo
/// deeper or shallower, so that its rest, fitted in its frame from where the first frame
/// then stops, fills it better; and the steps, for the first frame's record, and the rest's
/// lines over or under then. `None` when the rest fits already, or no step brings it
/// nearer. Keeps in `resets` the paragraphs it set again (the rest's and the first
/// frame's), for the next fit of the same story.
pub fn fit_jump(
    parts: &ArticleParts,
    frames: JumpFrames<'_>,
    steps: &[FitStepKind],
    layout: &Layout<'_>,
    resets: &mut Resets,
) -> Option<(ArticleParts, Vec<FitStep>, i32)> {
    let mut jump = JumpFit {
        parts: Cow::Borrowed(parts),
        misfit: 0,
        cursor: Cursor::default(),
        used: Vec::new(),
        frames,
        steps,
        layout,
        resets,
    };
    (jump.misfit, jump.cursor) = jump.rest_misfit()?;
    // As the cascade: the photo moves lines a column it spans at once, what it leaves over
    // or under goes back to the paragraphs.
    for kind in [FitStepKind::Looseness, FitStepKind::PhotoDepth, FitStepKind::Looseness] {
        if jump.misfit == 0 {
            break;
        }
        if !steps.contains(&kind) {
            continue;
        }
        match kind {
            FitStepKind::PhotoDepth => jump.photo(),
            _ => jump.paragraphs(),
        }
    }
    (!jump.used.is_empty()).then(|| (jump.parts.into_owned(), jump.used, jump.misfit))
}

/// The first frame of a jumping story as fitted so far for its rest.
struct JumpFit<'a> {
    /// The story, copied at its first change.
    parts: Cow<'a, ArticleParts>,
    /// The rest's lines over (positive) or under once fitted.
    misfit: i32,
    /// Where the rest takes up.
    cursor: Cursor,
    /// The steps that changed the first frame.
    used: Vec<FitStep>,
    frames: JumpFrames<'a>,
    steps: &'a [FitStepKind],
    layout: &'a Layout<'a>,
    /// Paragraphs set again (the caller's).
    resets: &'a mut Resets,
}

impl JumpFit<'_> {
    /// The rest's misfit once fitted, from where the first frame of the parts as they are
    /// stops, and where that is; `None` when the story no longer jumps.
    fn rest_misfit(&mut self) -> Option<(i32, Cursor)> {
        let JumpFrames { first, to, rest } = self.frames;
        let start = ArticleStart::Head(Headline::Main);
        let placed = measure_article(&self.parts, first, start, Some(to), self.layout);
        match placed.next {
            Some(ArticleStart::Continued(cursor)) => {
                let fit = fit_lines(
                    &self.parts,
                    rest,
                    Some(cursor),
                    self.steps,
                    self.layout,
                    self.resets,
                );
                Some((fit, cursor))
            }
            _ => None,
        }
    }

    /// Paragraphs of the first frame one line longer (an underset rest) or shorter (an
    /// overset one), looseness first, then with tracking, each kept when the rest then fits
    /// better.
    fn paragraphs(&mut self) {
        let direction = if self.misfit < 0 { 1 } else { -1 };
        let mut candidates: Vec<(usize, f32)> = self
            .parts
            .body
            .iter()
            .enumerate()
            .take(self.cursor.piece)
            .filter_map(|(i, piece)| match piece {
                Flowable::Lines(p) if p.lines.len() >= 2 || direction > 0 => {
                    let source = p.source.as_ref()?;
                    let fill = p.lines.last().map_or(0.0, |l| l.width / source.width.max(1.0));
                    Some((i, fill))
                }
                _ => None,
            })
            .collect();
        order_candidates(&mut candidates, direction);
        let mut changed = 0;
        for tracking in [0.0, TRACKING_STEP] {
            for &(index, _) in &candidates {
                if self.misfit == 0 {
                    break;
                }
                let resets = &mut *self.resets;
                let Some(was) =
                    swap_reset(&mut self.parts, resets, self.layout, index, direction, tracking)
                else {
                    continue;
                };
                match self.rest_misfit() {
                    Some((after, cursor)) if after.abs() < self.misfit.abs() => {
                        (self.misfit, self.cursor) = (after, cursor);
                        changed += 1;
                    }
                    _ => {
                        swap_paragraph(self.parts.to_mut(), index, was);
                    }
                }
            }
        }
        if changed > 0 {
            let way = if direction < 0 { "shorter" } else { "longer" };
            let s = if changed == 1 { "" } else { "s" };
            self.used.push(FitStep {
                kind: FitStepKind::Looseness,
                detail: format!("{changed} paragraph{s} one line {way}, for the rest"),
                lines: -direction * changed,
            });
        }
    }

    /// The first frame's photo deeper (an underset rest) or shallower (an overset one) by
    /// whole lines within the house limits, as the cascade's photo step tries them; keeps
    /// the depth the rest fits best with.
    fn photo(&mut self) {
        let Some(lead) = self.parts.lead.clone() else { return };
        let (layout, before) = (self.layout, self.misfit);
        let baseline = layout.grid.baseline;
        let (own_photo, focus) = (self.parts.own_photo, self.parts.lead_focus);
        let max_crop = layout.config.photo.max_crop;
        let limits = PhotoLimits { max_crop, house: true, own_shape: own_photo.is_some() };
        let warn_ppi = layout.config.photo.warn_ppi;
        let mut best = None;
        for (lines, resized) in photo_trials(&lead, (focus, limits), before, baseline, warn_ppi) {
            let size = own_photo.zip(photo_lines(&resized, baseline)).map(|((c, _), d)| (c, d));
            let parts = self.parts.to_mut();
            let kept = parts.lead.replace(resized);
            let kept_size = std::mem::replace(&mut parts.own_photo, size);
            match self.rest_misfit() {
                Some((after, cursor)) if photo_cost(after) < photo_cost(self.misfit) => {
                    (self.misfit, self.cursor) = (after, cursor);
                    best = Some(lines);
                }
                _ => {
                    let parts = self.parts.to_mut();
                    (parts.lead, parts.own_photo) = (kept, kept_size);
                }
            }
            if self.misfit == 0 {
                break;
            }
        }
        if let Some(lines) = best {
            let sign = if before > 0 { 1 } else { -1 };
            self.used.push(FitStep {
                kind: FitStepKind::PhotoDepth,
                detail: format!("{}, for the rest", photo_detail(lines, before)),
                lines: sign * lines as i32,
            });
        }
    }
}
