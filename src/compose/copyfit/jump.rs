//! A jumped story's rest fitted from the frame it jumps from: the rest's own paragraphs are
//! few, and when they cannot gain or lose the lines its frame asks, paragraphs of the first
//! frame set a line longer push lines over to the rest (or shorter pull them back).

use super::super::{ArticleParts, ArticleStart, Frame, Headline, Layout, measure_article};
use super::{FitStep, Resets, TRACKING_STEP, fit_lines, reset_paragraph, swap_paragraph};
use crate::compose::flow::Flowable;
use crate::compose::flow::ParagraphSource;
use crate::model::FitStepKind;
use std::borrow::Cow;
use std::sync::Arc;

/// `parts` with paragraphs of its first frame (`frame`, jumping to page `to`) set a line
/// longer or shorter, so that its rest, fitted in `rest_frame` (under its jump head) from
/// where the first frame then stops, fills it better; and the step, for the first frame's
/// record, and the rest's lines over or under then. `None` when the rest fits already, or no
/// paragraph brings it nearer.
pub fn fit_jump(
    parts: &ArticleParts,
    frame: &Frame,
    to: u32,
    rest_frame: &Frame,
    steps: &[FitStepKind],
    layout: &Layout<'_>,
) -> Option<(ArticleParts, FitStep, i32)> {
    if !steps.contains(&FitStepKind::Looseness) {
        return None;
    }
    let mut resets = Resets::default();
    let start = ArticleStart::Head(Headline::Main);
    // The rest's misfit once fitted, from where the first frame of `parts` stops.
    let mut rest_misfit = |parts: &ArticleParts| {
        let placed = measure_article(parts, frame, start, Some(to), layout);
        match placed.next {
            Some(ArticleStart::Continued(cursor)) => Some((
                fit_lines(parts, rest_frame, Some(cursor), steps, layout, &mut resets),
                cursor,
            )),
            _ => None,
        }
    };
    let (mut misfit, cursor) = rest_misfit(parts)?;
    if misfit == 0 {
        return None;
    }
    // An underset rest takes lines from first-frame paragraphs set longer; an overset one
    // gives them back to paragraphs set shorter.
    let direction = if misfit < 0 { 1 } else { -1 };
    let mut candidates: Vec<(usize, f32)> = parts
        .body
        .iter()
        .enumerate()
        .take(cursor.piece)
        .filter_map(|(i, piece)| match piece {
            Flowable::Lines(p) if p.lines.len() >= 2 || direction > 0 => {
                let source = p.source.as_ref()?;
                let fill = p.lines.last().map_or(0.0, |l| l.width / source.width.max(1.0));
                Some((i, fill))
            }
            _ => None,
        })
        .collect();
    // As the cascade orders them: nearly full last lines lengthen best, nearly empty ones
    // shorten best.
    candidates.sort_by(|a, b| {
        let order = a.1.total_cmp(&b.1);
        if direction < 0 { order } else { order.reverse() }.then(a.0.cmp(&b.0))
    });
    // Copied at the first paragraph set again.
    let mut fitted = Cow::Borrowed(parts);
    let mut changed = 0;
    // Looseness first, then with tracking, as the cascade tries them.
    for tracking in [0.0, TRACKING_STEP] {
        for &(index, _) in &candidates {
            if misfit == 0 {
                break;
            }
            let Flowable::Lines(piece) = &fitted.body[index] else { continue };
            let Some(source) = piece.source.clone() else { continue };
            // Set again already.
            if source.style.looseness != 0 || source.style.tracking != 0.0 {
                continue;
            }
            let Some((style, set)) = reset_paragraph(layout, piece, &source, direction, tracking)
            else {
                continue;
            };
            let reset = Some(Arc::new(ParagraphSource { style, ..(*source).clone() }));
            let was = swap_paragraph(fitted.to_mut(), index, (set.lines.clone(), reset));
            match rest_misfit(&fitted) {
                Some((after, _)) if after.abs() < misfit.abs() => {
                    misfit = after;
                    changed += 1;
                }
                _ => {
                    swap_paragraph(fitted.to_mut(), index, was);
                }
            }
        }
    }
    (changed > 0).then(|| {
        let way = if direction < 0 { "shorter" } else { "longer" };
        let s = if changed == 1 { "" } else { "s" };
        let detail = format!("{changed} paragraph{s} one line {way}, for the rest");
        let step = FitStep { kind: FitStepKind::Looseness, detail, lines: -direction * changed };
        (fitted.into_owned(), step, misfit)
    })
}
