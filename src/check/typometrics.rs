//! Justified-text quality of set columns, read off the display list: the figures the team's
//! `../shared/tools/typometrics.py` reads off a PDF (word-gap mean, 95th percentile and
//! maximum in em, loose lines, hyphenated line ends and their longest run, overfull lines),
//! with the same definitions, plus rivers ([`RIVER_ALIGN_EM`]). The typographic benchmark
//! (`examples/bench_typo.rs`) prints them, and the JSON report gives each article's rivers.
//!
//! Definitions, as in typometrics.py: body text is the most common glyph size; a line is the
//! glyph runs drawn from one line origin; its column is every line of the same left edge
//! `L`, whose right edge `R` is the most common line end (to 0.5 pt, the larger on a tie).
//! A line is *justified* when it ends at least 95 % of `R − L` from `L`; the others (a
//! paragraph's last line) are left out of the gap figures. A *gap* is the white between two
//! runs of a line (runs are split at word spaces, and at a change of font inside a word,
//! which leaves no white: gaps under 0.05 em are not word spaces). A line is *loose* when its
//! widest gap passes 0.5 em, *hyphenated* when its last character is a hyphen, *overfull*
//! when it ends more than 0.5 pt past `R` by more than the width of a last punctuation mark
//! (a protruding one is not overfull). Hyphen runs count consecutive lines of a column, and
//! restart after a vertical gap of more than 1.6 leadings (an intertitle, a box).

use std::collections::HashMap;
use std::ops::Range;

use crate::compose::display::{Item, Page};
use crate::model::RIVER_ALIGN_EM;

/// A gap narrower than this, em, is a change of font inside a word, not a word space.
const MIN_GAP_EM: f32 = 0.05;
/// A line is justified when it reaches this share of its column's width.
const FULL_SHARE: f32 = 0.95;
/// A line whose widest gap passes this, em, is loose.
const LOOSE_EM: f32 = 0.5;
/// A line ending this far past its column's edge, points, is overfull (unless protruding).
const OVERFULL_PT: f32 = 0.5;
/// A vertical step above this many leadings ends a run of lines (hyphen runs, rivers).
const BLOCK_BREAK_LEADINGS: f32 = 1.6;
/// Characters whose overshoot past the edge is protrusion, not an overfull line.
const PUNCT: &str = ".,;:!?)]»”’'\"-\u{2010}\u{2011}\u{ad}\u{2013}\u{2014}…";
/// Hyphens that end a hyphenated line.
const HYPHENS: &str = "-\u{2010}\u{2011}\u{ad}";

/// The figures of some set text (see the module doc).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Typometrics {
    /// Body lines.
    pub lines: usize,
    /// Justified body lines.
    pub justified: usize,
    /// Every word gap of the justified lines, em.
    pub gaps: Vec<f32>,
    /// Justified lines whose widest gap passes 0.5 em.
    pub loose: usize,
    /// Justified lines ending with a hyphen.
    pub hyphenated: usize,
    /// Longest run of consecutive hyphenated lines in a column.
    pub hyphen_run: usize,
    /// Lines past their column's edge.
    pub overfull: usize,
    /// Rivers: chains of word gaps lined up on three or more consecutive lines.
    pub rivers: usize,
}

impl Typometrics {
    /// Adds `other`'s lines and gaps to these (pooled figures).
    pub fn add(&mut self, other: &Typometrics) {
        self.lines += other.lines;
        self.justified += other.justified;
        self.gaps.extend_from_slice(&other.gaps);
        self.loose += other.loose;
        self.hyphenated += other.hyphenated;
        self.hyphen_run = self.hyphen_run.max(other.hyphen_run);
        self.overfull += other.overfull;
        self.rivers += other.rivers;
    }

    /// Mean word gap, em.
    pub fn mean(&self) -> f32 {
        if self.gaps.is_empty() {
            return 0.0;
        }
        (self.gaps.iter().map(|&g| f64::from(g)).sum::<f64>() / self.gaps.len() as f64) as f32
    }

    /// The `p`th percentile of the word gaps, em, interpolated as typometrics.py does.
    pub fn percentile(&self, p: f32) -> f32 {
        if self.gaps.is_empty() {
            return 0.0;
        }
        let mut sorted = self.gaps.clone();
        sorted.sort_by(f32::total_cmp);
        let k = (sorted.len() - 1) as f32 * p / 100.0;
        let (lo, hi) = (k.floor() as usize, k.ceil() as usize);
        sorted[lo] + (sorted[hi] - sorted[lo]) * (k - lo as f32)
    }

    /// Widest word gap, em.
    pub fn max(&self) -> f32 {
        self.gaps.iter().copied().fold(0.0, f32::max)
    }

    /// Share of justified lines that are loose.
    pub fn loose_share(&self) -> f32 {
        share(self.loose, self.justified)
    }

    /// Share of justified lines that end hyphenated.
    pub fn hyphen_share(&self) -> f32 {
        share(self.hyphenated, self.justified)
    }
}

fn share(n: usize, of: usize) -> f32 {
    if of == 0 { 0.0 } else { n as f32 / of as f32 }
}

/// One drawn line: its column's left edge, baseline, and its runs' extents.
struct DrawnLine {
    page: u32,
    x: f32,
    y: f32,
    size: f32,
    /// Start and end of each run's ink, points from `x`.
    runs: Vec<(f32, f32)>,
    /// Its last character and that glyph's advance.
    last: Option<(char, f32)>,
}

/// The figures of the text drawn by `drawn` (per page number, a range of its items, as
/// [`crate::compose::ArticlePlacement::drawn`] records an article's) on `pages`.
pub fn measure(pages: &[Page], drawn: &[(u32, Range<usize>)]) -> Typometrics {
    let lines = drawn_lines(pages, drawn);
    // Body size: the size most glyphs have.
    let mut sizes: HashMap<u32, usize> = HashMap::new();
    for l in &lines {
        *sizes.entry((l.size * 100.0).round() as u32).or_default() += l.runs.len();
    }
    let Some(body) = sizes.iter().max_by_key(|&(s, n)| (*n, *s)).map(|(&s, _)| s as f32 / 100.0)
    else {
        return Typometrics::default();
    };
    let mut columns: HashMap<i32, Vec<&DrawnLine>> = HashMap::new();
    for l in lines.iter().filter(|l| (l.size - body).abs() <= 0.2) {
        columns.entry((l.x * 10.0).round() as i32).or_default().push(l);
    }
    // A column's right edge: the most common line end over all its pages.
    let mut keys: Vec<_> = columns.keys().copied().collect();
    keys.sort_unstable();
    let mut steps: HashMap<i32, usize> = HashMap::new();
    for column in columns.values_mut() {
        column.sort_by(|a, b| (a.page, a.y).partial_cmp(&(b.page, b.y)).unwrap());
        for w in column.windows(2) {
            if w[0].page == w[1].page && w[1].y - w[0].y > 0.5 * body {
                *steps.entry(((w[1].y - w[0].y) * 10.0).round() as i32).or_default() += 1;
            }
        }
    }
    let leading =
        steps.iter().max_by_key(|&(s, n)| (*n, -*s)).map_or(1.2 * body, |(&s, _)| s as f32 / 10.0);
    // Each column's right edge, absolute: the most common line end over its pages. A ragged
    // column (a list set flush left) has no common end of its own: it takes that of the
    // column it sits in (the nearest justified one starting left of it), as typometrics.py
    // does, so its short lines are neither overfull nor counted as justified.
    let mut edges: Vec<(f32, f32, bool)> = Vec::new();
    for key in &keys {
        let column = &columns[key];
        let mut ends: HashMap<i32, usize> = HashMap::new();
        for l in column {
            *ends.entry(((l.x + end_of(l)) * 2.0).round() as i32).or_default() += 1;
        }
        let right =
            ends.iter().max_by_key(|&(e, n)| (*n, *e)).map_or(0.0, |(&e, _)| e as f32 / 2.0);
        let at_edge = column.iter().filter(|l| (l.x + end_of(l) - right).abs() <= 0.6).count();
        let strong = column.len() >= 4 && at_edge * 4 >= column.len();
        edges.push((column[0].x, right, strong));
    }
    let mut m = Typometrics::default();
    for (key, &(left, own, strong)) in keys.iter().zip(&edges) {
        let column = &columns[key];
        let host = edges
            .iter()
            .filter(|&&(l, _, s)| s && l <= left + 0.05)
            .max_by(|a, b| a.0.total_cmp(&b.0))
            .map(|&(_, r, _)| r);
        let right = match host {
            Some(r) if !strong && r > own => r,
            _ => own,
        } - left;
        let mut run = 0;
        let mut block: Vec<Vec<f32>> = Vec::new();
        let mut previous: Option<&DrawnLine> = None;
        for l in column {
            let end = end_of(l);
            let full = end >= FULL_SHARE * right;
            m.lines += 1;
            let new_block = previous
                .is_none_or(|p| p.page != l.page || l.y - p.y > BLOCK_BREAK_LEADINGS * leading);
            if new_block {
                m.rivers += rivers(&block, RIVER_ALIGN_EM * body);
                block.clear();
                run = 0;
            }
            previous = Some(l);
            let gaps = gaps_of(l, body);
            block.push(gaps.iter().map(|&(centre, _)| centre).collect());
            let hyphen = l.last.is_some_and(|(c, _)| HYPHENS.contains(c));
            run = if hyphen { run + 1 } else { 0 };
            m.hyphen_run = m.hyphen_run.max(run);
            if end - right > OVERFULL_PT {
                let protrudes = l
                    .last
                    .is_some_and(|(c, advance)| PUNCT.contains(c) && end - right <= advance + 0.05);
                if !protrudes {
                    m.overfull += 1;
                }
            }
            if full {
                m.justified += 1;
                m.hyphenated += usize::from(hyphen);
                let widest = gaps.iter().map(|&(_, w)| w).fold(0.0, f32::max);
                m.loose += usize::from(widest / body > LOOSE_EM);
                m.gaps.extend(gaps.iter().map(|&(_, w)| w / body));
            }
        }
        m.rivers += rivers(&block, RIVER_ALIGN_EM * body);
    }
    m
}

/// Where the line's ink ends, points from its column's left edge.
fn end_of(l: &DrawnLine) -> f32 {
    l.runs.last().map_or(0.0, |r| r.1)
}

/// The word gaps of a line: centre (points from the column's left edge) and width.
fn gaps_of(l: &DrawnLine, body: f32) -> Vec<(f32, f32)> {
    l.runs
        .windows(2)
        .filter_map(|w| {
            let width = w[1].0 - w[0].1;
            (width > MIN_GAP_EM * body).then_some(((w[0].1 + w[1].0) / 2.0, width))
        })
        .collect()
}

/// The rivers in consecutive lines' word gaps (their centres, points from the column's left
/// edge): a gap *continues* the gap of the line above whose centre is nearest, if it is
/// within `tolerance` points and no other gap of its line continues it already; a river is a
/// chain of gaps, each continuing the one above, on three or more lines. Each river counts
/// once, however long.
fn rivers(lines: &[Vec<f32>], tolerance: f32) -> usize {
    let mut count = 0;
    let mut above: Vec<(f32, u32)> = Vec::new();
    let mut taken: Vec<bool> = Vec::new();
    let mut here: Vec<(f32, u32)> = Vec::new();
    for line in lines {
        taken.clear();
        taken.resize(above.len(), false);
        here.clear();
        for &centre in line {
            let nearest = above
                .iter()
                .enumerate()
                .filter(|&(i, &(c, _))| !taken[i] && (c - centre).abs() <= tolerance)
                .min_by(|a, b| (a.1.0 - centre).abs().total_cmp(&(b.1.0 - centre).abs()));
            let chain = match nearest {
                Some((i, &(_, chain))) => {
                    taken[i] = true;
                    chain + 1
                }
                None => 1,
            };
            count += usize::from(chain == 3);
            here.push((centre, chain));
        }
        std::mem::swap(&mut above, &mut here);
    }
    count
}

/// The lines drawn by the items `drawn` names: consecutive text items with one origin.
fn drawn_lines(pages: &[Page], drawn: &[(u32, Range<usize>)]) -> Vec<DrawnLine> {
    let mut lines: Vec<DrawnLine> = Vec::new();
    for (number, range) in drawn {
        let Some(page) = pages.iter().find(|p| p.number == *number) else { continue };
        let items = page.items.get(range.clone()).unwrap_or_default();
        let mut open = false;
        for item in items {
            let Item::Text { x, y, run, .. } = item else {
                open = false;
                continue;
            };
            let (Some(first), Some(last)) = (run.glyphs.first(), run.glyphs.last()) else {
                continue;
            };
            let extent = (run.x + first.x, run.x + last.x + last.advance);
            let last_char = run.text.chars().next_back().map(|c| (c, last.advance));
            match lines.last_mut() {
                Some(l) if open && l.page == page.number && l.x == *x && l.y == *y => {
                    l.runs.push(extent);
                    l.last = last_char;
                }
                _ => lines.push(DrawnLine {
                    page: page.number,
                    x: *x,
                    y: *y,
                    size: run.size,
                    runs: vec![extent],
                    last: last_char,
                }),
            }
            open = true;
        }
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::{measure, rivers};
    use crate::color::Color;
    use crate::compose::display::{Item, Page};
    use crate::fonts::FontId;
    use crate::text::{Glyph, GlyphRun};

    /// A page of 10-pt lines 12 pt apart, each given as its words' (start, end), points.
    fn page(lines: &[&[(f32, f32)]]) -> Page {
        let mut items = Vec::new();
        for (i, words) in lines.iter().enumerate() {
            for &(start, end) in *words {
                let glyph = Glyph {
                    id: 1,
                    x: 0.0,
                    y_offset: 0.0,
                    advance: end - start,
                    text_start: 0,
                    text_len: 1,
                };
                let run = GlyphRun {
                    font: FontId(0),
                    size: 10.0,
                    scale: 1.0,
                    x: start,
                    text: String::from("w"),
                    glyphs: vec![glyph],
                };
                items.push(Item::Text {
                    x: 50.0,
                    y: 100.0 + 12.0 * i as f32,
                    run: run.into(),
                    color: Color::Gray(0.0),
                });
            }
        }
        Page { width: 500.0, height: 700.0, number: 1, items }
    }

    /// Gaps lined up on three lines of a set column are measured as a river; moving the
    /// third line's gap away by more than the tolerance (0.15 em, 1.5 pt) removes it.
    #[test]
    fn a_column_with_lined_up_gaps_has_a_river() {
        let river: [&[(f32, f32)]; 3] = [
            &[(0.0, 20.0), (23.0, 60.0), (63.0, 100.0)],
            &[(0.0, 20.5), (23.5, 45.0), (48.0, 100.0)],
            &[(0.0, 21.0), (24.0, 70.0), (73.0, 100.0)],
        ];
        let p = page(&river);
        let m = measure(std::slice::from_ref(&p), &[(1, 0..p.items.len())]);
        assert_eq!((m.lines, m.justified, m.rivers), (3, 3, 1));
        assert_eq!(m.gaps.len(), 6);
        let moved: [&[(f32, f32)]; 3] =
            [river[0], river[1], &[(0.0, 25.0), (28.0, 70.0), (73.0, 100.0)]];
        let p = page(&moved);
        let m = measure(std::slice::from_ref(&p), &[(1, 0..p.items.len())]);
        assert_eq!(m.rivers, 0);
    }

    #[test]
    fn three_lined_up_gaps_are_one_river_and_two_are_none() {
        // Gaps at 10 pt on three lines (drifting by 1 pt): one river.
        let lines = vec![vec![10.0, 40.0], vec![11.0, 60.0], vec![12.0, 25.0]];
        assert_eq!(rivers(&lines, 2.4), 1);
        // Only two lines line up: no river.
        assert_eq!(rivers(&lines[..2], 2.4), 0);
        // Beyond the tolerance: none.
        let apart = vec![vec![10.0], vec![13.0], vec![16.0]];
        assert_eq!(rivers(&apart, 2.4), 0);
        // A river on five lines counts once; a second one beside it counts too.
        let long = vec![vec![10.0, 50.0]; 5];
        assert_eq!(rivers(&long, 2.4), 2);
    }
}
