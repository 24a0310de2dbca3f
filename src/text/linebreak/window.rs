//! `\looseness` without following every line count. Kept apart by line number, the nodes of
//! a looseness run multiply with the counts a paragraph could end on; in the final pass,
//! where any line is feasible however loose, that is nearly every count from the fewest
//! lines to one word a line, and a run costs some forty times a plain one (the automatic
//! make-up's copyfit sets every paragraph one line shorter and longer). Yet the chosen
//! solution is at most one line from the target, and the target one line from the optimum:
//! so a plain run finds the optimum's line count first, and the looseness run then keeps
//! only the nodes that can still end within that window.
//!
//! **Same breaks.** A node is left out only when no way on from it ends inside the window
//! (its line number plus a lower bound on the lines left, [`Window::keeps`]), and neither
//! can anything it would lead to: every node that can is kept, with the same demerits, in
//! the same order, so the nodes at the final break inside the window, the optimum among
//! them and the choice are those of the full run. The bound is what a line can hold at most
//! (its glue fully shrunk, the margins' protrusion, a discarded space), so it never
//! overestimates. When the two runs could disagree (rivers, whose demerits depend on the
//! whole way to a break; an overfull line; an optimum not found again, which only a tie
//! between line counts could cause), the full run is made instead.

use super::{Breaks, Element, Params, run, start_after};

/// Slack in a line's capacity, points, for the rounding of the run's sums: a bound that is
/// a hair too low prunes nothing more.
const ROUNDING: f32 = 1.0;

/// The line counts a looseness run needs to follow, and what the rest of the paragraph
/// needs at least from each element.
pub(super) struct Window {
    /// The most lines a solution may have and still matter.
    most: u32,
    /// Per element index: the natural width less the shrink of the elements before it.
    content: Vec<f32>,
    /// The most of that one line (with what is discarded after it) can hold.
    capacity: f32,
}

impl Window {
    /// The window of solutions of at most `most` lines, for `elements` set in `width`.
    fn new(elements: &[Element], width: f32, most: u32) -> Window {
        let mut content = Vec::with_capacity(elements.len() + 1);
        let (mut total, mut left, mut right, mut hyphen) = (0.0f32, 0.0f32, 0.0f32, 0.0f32);
        for element in elements {
            content.push(total);
            match *element {
                Element::Box { width, shrink, left: l, right: r, .. } => {
                    total += width - shrink;
                    (left, right) = (left.max(l), right.max(r));
                }
                Element::Glue { width, shrink, .. } => total += width - shrink,
                Element::Penalty { width, .. } => hyphen = hyphen.min(width),
            }
        }
        content.push(total);
        // What is dropped at a break (the space, the glue and penalties after it) is in no
        // line: the most of it at any break.
        let discarded = super::breakpoints(elements)
            .map(|b| content[start_after(elements, b)] - content[b])
            .fold(0.0f32, f32::max);
        // A feasible line is at most its glue's shrink over the measure, plus what hangs
        // into the margins, less its break's width (a hyphen's is never negative but for
        // its protrusion).
        let capacity = width + left + right - hyphen + discarded + ROUNDING;
        Window { most, content, capacity }
    }

    /// Whether a node ending line `line` and whose next line starts at element `start` can
    /// still lead to a solution of the window: the content left needs at least its share of
    /// lines.
    pub(super) fn keeps(&self, line: u32, start: usize) -> bool {
        // Past the paragraph's end: a node at its final break.
        let end = self.content.len() - 1;
        if start >= end {
            return line <= self.most;
        }
        // Short of it, the final forced break ends one more line at least, empty or not.
        let least = ((self.content[end] - self.content[start]) / self.capacity).ceil().max(1.0);
        line + least as u32 <= self.most
    }
}

/// A looseness run ([`super::optimise`] with `params.looseness` not 0) that follows only the
/// line counts it can choose from.
pub(super) fn loose(elements: &[Element], width: f32, params: &Params) -> Option<Breaks> {
    windowed(elements, width, params)
        .or_else(|| run(elements, width, params, None).map(|r| r.breaks))
}

/// The breaks of the run through the window, when they are sure to be the full run's.
fn windowed(elements: &[Element], width: f32, params: &Params) -> Option<Breaks> {
    if params.river_demerits > 0.0 {
        return None;
    }
    let plain = Params { looseness: 0, ..*params };
    let optimum = run(elements, width, &plain, None)?;
    if optimum.breaks.overfull {
        return None;
    }
    // The chosen count is at most |looseness| from the target, itself that far from the
    // optimum: toward the target, up to twice the looseness.
    let most = optimum.best.0 + params.looseness.max(0) as u32 * 2;
    let window = Window::new(elements, width, most);
    let r = run(elements, width, params, Some(&window))?;
    (!r.breaks.overfull && r.best == optimum.best).then_some(r.breaks)
}

#[cfg(test)]
mod tests {
    use super::super::{Params, run};
    use super::*;
    use crate::text::collect::collect;
    use crate::text::paragraph::tests::{engine, seed_paragraphs, style};
    use crate::text::prepare::{Hyphenation, measure};

    fn params(tolerance: f32, final_pass: bool, looseness: i32) -> Params {
        Params {
            tolerance,
            line_penalty: 10.0,
            double_hyphen_demerits: 10000.0,
            final_hyphen_demerits: 5000.0,
            adj_demerits: 10000.0,
            looseness,
            max_consecutive: 2,
            rag: 0.0,
            final_pass,
            river_demerits: 0.0,
            river_tolerance: 0.0,
        }
    }

    #[test]
    fn a_windowed_looseness_run_chooses_the_full_runs_breaks() {
        let engine = engine();
        let style = style(&engine);
        let passes = [
            (Hyphenation::Off, params(100.0, false, 0)),
            (Hyphenation::NotLastWord, params(300.0, false, 0)),
            (Hyphenation::All, params(f32::INFINITY, true, 0)),
        ];
        let (mut compared, mut taken) = (0, 0);
        for text in seed_paragraphs() {
            let styled = collect(&[crate::model::InlineRun::plain(text.as_str())], &style);
            for (hyphenation, pass) in passes {
                let elements =
                    measure(&engine, &styled, &style, hyphenation, None, &mut String::new())
                        .elements;
                for width in [120.0, 150.6, 160.6, 190.0] {
                    for looseness in [-2, -1, 1, 2] {
                        let params = Params { looseness, ..pass };
                        let Some(full) = run(&elements, width, &params, None) else { continue };
                        compared += 1;
                        // The window's breaks, whenever they are taken, are the full run's.
                        if let Some(breaks) = windowed(&elements, width, &params) {
                            assert_eq!(breaks, full.breaks, "{width} {looseness} {text}");
                            taken += 1;
                        }
                    }
                }
            }
        }
        // And they are taken but for the rare overfull paragraph.
        assert!(compared > 100 && taken * 10 >= compared * 9, "{taken} of {compared}");
    }

    #[test]
    fn the_lines_a_window_expects_are_never_more_than_a_paragraph_needs() {
        // Ten 20-pt words, 3-pt spaces shrinking by 1 pt: 60-pt lines hold two words (43
        // pt; three are 64 pt, 62 shrunk), so five lines. The bound counts what lines could
        // hold at most (63 pt, a dropped space and the rounding slack included): 218 pt of
        // content need four at least, never more than the five they take.
        let elements = super::super::tests::para(&[20.0; 10]);
        let fewest = run(&elements, 60.0, &params(f32::INFINITY, true, 0), None)
            .map(|r| r.best.0)
            .expect("a final pass sets it");
        assert_eq!(fewest, 5);
        let window = Window::new(&elements, 60.0, fewest);
        assert!(window.keeps(1, 0), "a bound, never above what the lines need");
        assert!(!window.keeps(2, 0), "two lines on, four more cannot end in five");
        // From the last word, one line is left: the node that ended four lines is kept.
        assert!(window.keeps(4, 18) && !window.keeps(5, 18));
    }
}
