//! How many lines a paragraph could possibly take, without breaking it: bounds for the
//! copyfit, which asks for a paragraph one line shorter or longer, paragraph after
//! paragraph, and whose trials mostly fail (on the automatic make-up's stress lists, some
//! six in seven: a line shorter without letter spacing succeeds for about one paragraph
//! in a hundred). A bound that says a line count is out of reach saves the breaking runs.
//!
//! **Never too strict.** Each bound solves a relaxed problem, of which every way the
//! breaker could set the paragraph is a solution: a line fits when its content, fully
//! shrunk, is no wider than the measure plus the most any line's margins could take
//! (protrusion) and a rounding slack; a line is full enough when its content, stretched to
//! the ratio allowed, with the widest hyphen and the slack, reaches the measure
//! (protrusion only widens the room to fill). Both tests are monotone (a line that starts
//! later or ends earlier holds less), so the greedy breaks are optimal for the relaxed
//! problem: as late as fits for the fewest lines, as early as is full enough for the most.
//! Every breakpoint of any pass is one here (the elements are measured with every
//! hyphenation point), and the limit on consecutive hyphens is left out.

use super::{Element, INFINITE_PENALTY, Sums, breakpoints, start_after};

/// Slack for the rounding of the sums, points: split boxes sum a hair differently.
const ROUNDING: f32 = 1.0;

/// The bounds of one paragraph's line count.
pub(crate) struct LineBounds<'a> {
    elements: &'a [Element],
    sums: Sums,
    /// The non-final breakpoints, in order.
    breaks: Vec<usize>,
    /// The measure, points.
    width: f32,
    /// What any line's margins (protrusion) and rounding may add to its room, points.
    margins: f32,
    /// The widest hyphen a break may add.
    hyphen: f32,
}

impl<'a> LineBounds<'a> {
    /// The bounds of `elements` set in lines of `width` points; `None` when they cannot be bounded this way: a forced
    /// break inside the paragraph (its lines end short by design), or a piece wider than
    /// `width` (the breaker then cuts it wherever it can).
    pub(crate) fn new(elements: &'a [Element], width: f32) -> Option<LineBounds<'a>> {
        let last = elements.len().checked_sub(1)?;
        let (mut left, mut right, mut hyphen) = (0.0f32, 0.0f32, 0.0f32);
        for element in elements {
            match *element {
                Element::Box { width: w, left: l, right: r, .. } => {
                    if w > width {
                        return None;
                    }
                    (left, right) = (left.max(l), right.max(r));
                }
                Element::Penalty { width: w, .. } => hyphen = hyphen.max(w),
                Element::Glue { .. } => {}
            }
        }
        let breaks: Vec<usize> = breakpoints(elements).filter(|&b| b < last).collect();
        let forced = |b: &usize| matches!(elements[*b], Element::Penalty { penalty, .. } if penalty <= -INFINITE_PENALTY);
        if breaks.iter().any(forced) {
            return None;
        }
        let margins = left + right + ROUNDING;
        let sums = Sums::new(elements);
        Some(LineBounds { elements, sums, breaks, width, margins, hyphen })
    }

    /// The fewest lines the paragraph could take, no line shrunk past its limit.
    pub(crate) fn fewest(&self) -> usize {
        let content = |s: usize, b: usize| {
            (self.sums.width[b] - self.sums.width[s]) - (self.sums.shrink[b] - self.sums.shrink[s])
        };
        let room = self.width + self.margins;
        let (mut start, mut lines) = (0, 1);
        let mut breaks = self.breaks.iter().copied().peekable();
        // Each line ends at the last break it fits up to; the last line holds the rest.
        while content(start, self.elements.len()) > room {
            let mut end = None;
            while let Some(b) = breaks.next_if(|&b| b < start || content(start, b) <= room) {
                if b >= start {
                    end = Some(b);
                }
            }
            // Not even the first break fits: the breaker overfills a line, wherever it
            // finds least bad, which this cannot follow.
            let Some(end) = end else { return 1 };
            start = start_after(self.elements, end);
            lines += 1;
        }
        lines
    }

    /// The most lines the paragraph could take with no line but its last looser than
    /// `ratio` (in [`super::adjustment`]'s terms).
    pub(crate) fn most(&self, ratio: f32) -> usize {
        // A line that cannot stretch (no space) has an infinite ratio: anything goes.
        if !ratio.is_finite() {
            return usize::MAX;
        }
        let (spaces, letters) = if ratio <= 1.0 { (ratio, ratio) } else { (ratio, 1.0) };
        let full = |s: usize, b: usize| {
            let natural = self.sums.width[b] - self.sums.width[s];
            let stretch = spaces * (self.sums.spaces[b] - self.sums.spaces[s])
                + letters * (self.sums.letters[b] - self.sums.letters[s]);
            natural + stretch + self.hyphen + ROUNDING >= self.width
        };
        let mut lines = 1;
        let mut start = 0;
        // Each line ends at the first break it is full enough at; the last line holds
        // the rest.
        for &b in &self.breaks {
            if b >= start && full(start, b) {
                start = start_after(self.elements, b);
                lines += 1;
            }
        }
        lines
    }
}

#[cfg(test)]
mod tests {
    use super::super::INFINITE_PENALTY;
    use super::super::tests::para;
    use super::*;
    use crate::model::InlineRun;
    use crate::text::paragraph::tests::{engine, seed_paragraphs, style};
    use crate::text::{ParagraphStyle, loosest};

    /// Ten 20-pt words, 3-pt spaces stretching by 1.5 pt and shrinking by 1 pt, then the
    /// paragraph's end.
    fn ten_words() -> Vec<Element> {
        para(&[20.0; 10])
    }

    #[test]
    fn the_bounds_are_the_greedy_line_counts() {
        let elements = ten_words();
        let bounds = LineBounds::new(&elements, 60.0).expect("no word is wider than 60 pt");
        // Three words are 66 pt, 64 shrunk: over 61 pt of room (the rounding slack), so two
        // a line at most, five lines at least.
        assert_eq!(bounds.fewest(), 5);
        // At ratio 1 two words and a space reach 44.5 pt of 60, three words are the first
        // full enough (the bound does not ask whether they fit): lines of three, and the
        // last of one, four at most. At ratio 12 (a space of 21 pt) two words are full
        // enough: four lines of two, and the last of two.
        assert_eq!(bounds.most(1.0), 4);
        assert_eq!(bounds.most(12.0), 5);
        // A paragraph with a line that could not stretch at all is not bounded above.
        assert_eq!(bounds.most(f32::INFINITY), usize::MAX);
        // One line holds them all at 230 pt (221 shrunk).
        let wide = LineBounds::new(&elements, 225.0).expect("no word is wider than 225 pt");
        assert_eq!(wide.fewest(), 1);
    }

    #[test]
    fn a_forced_break_or_a_word_wider_than_the_measure_is_not_bounded() {
        let elements = ten_words();
        assert!(LineBounds::new(&elements, 19.0).is_none(), "a 20-pt word in 19 pt");
        let mut forced = elements.clone();
        forced
            .insert(5, Element::Penalty { width: 0.0, penalty: -INFINITE_PENALTY, flagged: false });
        assert!(LineBounds::new(&forced, 60.0).is_none());
    }

    #[test]
    fn a_line_count_the_bound_refuses_is_never_reached() {
        let engine = engine();
        let (mut reached, mut missed, mut refused) = (0, 0, 0);
        for text in seed_paragraphs() {
            let spans = [InlineRun::plain(text.as_str())];
            for (width, indent) in [(120.0, 0.0), (150.6, 9.5), (160.6, 9.5), (190.0, 0.0)] {
                let plain = ParagraphStyle { first_indent: indent, ..style(&engine) };
                let set = engine.set_paragraph(&spans, &plain, width);
                let allowed = loosest(&set.lines).max(1.0);
                for direction in [-1, 1] {
                    let lines = (set.lines.len() as i32 + direction) as usize;
                    for tracking in [0.0, 0.01 * direction as f32] {
                        let tracked = ParagraphStyle { tracking, ..plain.clone() };
                        // What the copyfit tries: the looseness, and tracking alone too.
                        let gets = [0, direction].iter().any(|&looseness| {
                            let style = ParagraphStyle { looseness, ..tracked.clone() };
                            let again = engine.set_paragraph(&spans, &style, width);
                            again.lines.len() == lines && loosest(&again.lines) <= allowed
                        });
                        let may = engine.may_take_lines(&spans, &tracked, width, lines, allowed);
                        assert!(may || !gets, "{width} {direction} {tracking}: {text}");
                        if gets {
                            reached += 1;
                        } else {
                            missed += 1;
                            refused += usize::from(!may);
                        }
                    }
                }
            }
        }
        // Line counts are reached often enough to test the bound, and it refuses most of
        // those that are not.
        assert!(reached >= 10, "{reached} reached");
        assert!(refused * 2 >= missed, "{refused} of {missed} refused");
    }
}
