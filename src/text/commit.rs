//! Commit: the chosen breaks become set lines. Each line gathers its words (reshaping a
//! word cut by a break, with the hyphen if the line ends on one), works out its adjustment
//! ratio from the glyphs actually drawn, and places glyph runs: word spaces stretched or
//! shrunk, letter spacing between clusters, tracking after every glyph.

use std::ops::Range;
use std::sync::Arc;

use super::collect::StyledText;
use super::linebreak::{self, Element, Flex, adjustment};
use super::prepare::{Measured, Origin};
use super::shape::Shaped;
use super::{Glyph, GlyphRun, Line, ParagraphStyle, TextEngine};
use crate::model::{Align, Microtype};

/// Sets the lines that end at `breaks` (element indices, as the breaker chose them).
pub(super) fn commit_lines(
    engine: &TextEngine,
    styled: &StyledText,
    measured: &Measured,
    breaks: &[usize],
    style: &ParagraphStyle,
    width: f32,
    key: &mut String,
) -> Vec<Line> {
    let mut committer = Committer {
        engine,
        styled,
        measured,
        style,
        key,
        parts: Vec::new(),
        scratch: String::new(),
    };
    let justify = style.align == Align::Justify;
    let mut lines = Vec::with_capacity(breaks.len());
    let mut start = 0;
    for (li, &b) in breaks.iter().enumerate() {
        let last = li + 1 == breaks.len();
        let hyphen = measured.origins[b] == Origin::Hyphen;
        let fill = committer.gather(start..b, hyphen);
        start = linebreak::start_after(&measured.elements, b);
        // Protruding glyphs give the line room at its edges, as they did in the breaker: the
        // right one only where the line is justified to the measure.
        let (left, right) = committer.protrusion(!fill);
        // The last line keeps its natural spacing unless it is too long.
        let adjusted = committer.adjust(width + left + right, justify && !last && !fill);
        let mut line = committer.place(adjusted, width, -left, hyphen, last);
        line.width -= right;
        lines.push(line);
    }
    lines
}

/// One part of a line being set.
enum LinePart {
    /// The first-line indent, points.
    Indent(f32),
    /// A word space, points.
    Glue { width: f32, stretch: f32, shrink: f32 },
    /// Shaped text: bytes `start..end` of the paragraph, plus a hyphen if `hyphen`.
    Run { start: usize, end: usize, hyphen: bool, shaped: Arc<Shaped> },
}

/// Consecutive fragments of one word on a line: bytes `start..end` of word `word`.
#[derive(Debug, Clone, Copy)]
struct Chunk {
    start: usize,
    end: usize,
    word: usize,
}

/// How a line's spacing is adjusted.
#[derive(Debug, Clone, Copy)]
struct Adjusted {
    /// Word-space ratio (see [`Line::ratio`]).
    ratio: f32,
    /// Letter spacing, as a fraction of each glyph's advance (negative when shrunk).
    letter: f32,
    /// Horizontal scale of the glyphs (font expansion).
    scale: f32,
    /// The line's width once adjusted, points.
    set_width: f32,
}

/// The state of one [`commit_lines`] call.
struct Committer<'a> {
    engine: &'a TextEngine,
    styled: &'a StyledText,
    measured: &'a Measured,
    style: &'a ParagraphStyle,
    key: &'a mut String,
    /// The current line's parts.
    parts: Vec<LinePart>,
    /// Scratch text: a word fragment with its hyphen.
    scratch: String,
}

impl Committer<'_> {
    /// Gathers the parts of the line made of `elements` (the break excluded); `hyphen` when
    /// it ends on a hyphenation point. Returns whether the line ends with the paragraph's
    /// fill glue (a last line, or one before a forced break).
    fn gather(&mut self, elements: Range<usize>, hyphen: bool) -> bool {
        self.parts.clear();
        let mut fill = false;
        let mut chunk: Option<Chunk> = None;
        for j in elements {
            match self.measured.origins[j] {
                Origin::Indent => {
                    if let Element::Box { width, .. } = self.measured.elements[j] {
                        self.parts.push(LinePart::Indent(width));
                    }
                }
                Origin::Text { start, end, word } => match &mut chunk {
                    Some(c) if c.word == word && c.end == start => c.end = end,
                    _ => {
                        self.flush(chunk.take(), false);
                        chunk = Some(Chunk { start, end, word });
                    }
                },
                Origin::Space => {
                    self.flush(chunk.take(), false);
                    if let Element::Glue { width, stretch, shrink, .. } = self.measured.elements[j]
                    {
                        self.parts.push(LinePart::Glue { width, stretch, shrink });
                    }
                }
                Origin::End => {
                    if matches!(self.measured.elements[j], Element::Glue { .. }) {
                        fill = true;
                    }
                }
                Origin::Hyphen | Origin::Break | Origin::Emergency => {}
            }
        }
        self.flush(chunk, hyphen);
        fill
    }

    /// Adds the runs of `chunk`: a whole word keeps its shaped runs; a piece of a word
    /// (cut by a break) is shaped again, with the hyphen if `hyphen`, so kerning and
    /// ligatures across the cut are undone.
    fn flush(&mut self, chunk: Option<Chunk>, hyphen: bool) {
        let Some(Chunk { start, end, word }) = chunk else { return };
        let measured = self.measured;
        let word = &measured.words[word];
        if start == word.start && end == word.end && !hyphen {
            let runs = word.shaped_runs.clone();
            for (k, shaped_run) in measured.shaped_runs[runs.clone()].iter().enumerate() {
                let run_end = measured
                    .shaped_runs
                    .get(runs.start + k + 1)
                    .filter(|_| runs.start + k + 1 < runs.end)
                    .map_or(word.end, |next| next.start);
                self.parts.push(LinePart::Run {
                    start: shaped_run.start,
                    end: run_end,
                    hyphen: false,
                    shaped: shaped_run.shaped.clone(),
                });
            }
            return;
        }
        let (book, styled, lang) = (self.engine.fonts(), self.styled, self.style.lang);
        for font_run in styled.font_runs_in(start, end) {
            let (s, e) = (font_run.start.max(start), font_run.end.min(end));
            let with_hyphen = hyphen && e == end;
            let shaped = if with_hyphen {
                self.scratch.clear();
                self.scratch.push_str(&styled.text[s..e]);
                self.scratch.push('-');
                self.engine.shaper.shape(book, font_run.font, lang, &self.scratch, self.key)
            } else {
                self.engine.shaper.shape(book, font_run.font, lang, &styled.text[s..e], self.key)
            };
            self.parts.push(LinePart::Run { start: s, end: e, hyphen: with_hyphen, shaped });
        }
    }

    /// The adjustment of the gathered line to `width`: from its natural width and what its
    /// spaces and letters can give. A line may stretch only if `may_stretch`.
    fn adjust(&self, width: f32, may_stretch: bool) -> Adjusted {
        let size = self.style.size;
        let tracking = self.style.tracking * size;
        let microtype = match self.style.align {
            Align::Justify => self.style.microtype,
            _ => Microtype::NONE,
        };
        let mut natural = 0.0f32;
        let mut flex = Flex::default();
        let mut has_glyphs = false;
        // The width of the glyphs, that font expansion scales, points.
        let mut glyphs = 0.0f32;
        for (k, part) in self.parts.iter().enumerate() {
            match part {
                LinePart::Indent(w) => natural += w,
                LinePart::Glue { width, stretch: y, shrink: z } => {
                    natural += width;
                    flex.stretch += y;
                    flex.shrink += z;
                }
                LinePart::Run { shaped, .. } => {
                    natural += shaped.width * size + tracking * shaped.glyphs.len() as f32;
                    glyphs += shaped.width * size;
                    has_glyphs |= !shaped.glyphs.is_empty();
                    let expandable = expandable(shaped, continues(&self.parts, k)) * size;
                    let letters = expandable * microtype.letter_spacing
                        + shaped.width * size * microtype.expansion;
                    flex.letter_stretch += letters;
                    flex.shrink += letters;
                }
            }
        }
        if has_glyphs {
            natural -= tracking;
        }
        let (mut ratio, mut letter_ratio) = ratios(width - natural, flex, may_stretch);
        // Expansion takes the letters' ratio, to a whole step: a stretched line's down
        // (towards zero, so the spaces and letter spacing stretch on to make up the rest), a
        // shrunk line's up to the next step within the limit, since spaces already near their
        // least could not take up what a step rounded off, and the line would stick out.
        let mut expansion = 0.0;
        if microtype.expansion > 0.0 {
            expansion = letter_ratio * microtype.expansion;
            let step = microtype.expansion_step;
            if step > 0.0 {
                let steps = expansion / step;
                let whole = if steps < 0.0 {
                    let most = (microtype.expansion / step + 1e-3).trunc();
                    (steps + 1e-3).floor().max(-most)
                } else {
                    (steps + 1e-3).trunc()
                };
                expansion = whole * step;
            }
            natural += glyphs * expansion;
            flex.letter_stretch -= glyphs * microtype.expansion;
            flex.shrink -= glyphs * microtype.expansion;
            (ratio, letter_ratio) = ratios(width - natural, flex, may_stretch);
        }
        let letter = letter_ratio * microtype.letter_spacing;
        let set_width = natural
            + if ratio >= 0.0 {
                ratio * flex.stretch + letter_ratio * flex.letter_stretch
            } else {
                ratio * flex.shrink
            };
        Adjusted { ratio, letter, scale: 1.0 + expansion, set_width }
    }

    /// How far the gathered line's first and last glyphs hang into the left and right
    /// margins, points (the right one only if `at_right`): what the breaker counted.
    fn protrusion(&self, at_right: bool) -> (f32, f32) {
        let factor = match self.style.align {
            Align::Justify => self.style.microtype.protrusion,
            _ => 0.0,
        };
        if factor == 0.0 {
            return (0.0, 0.0);
        }
        let (table, size, text) = (&self.engine.protrusion, self.style.size, &self.styled.text);
        // The character a glyph of a run stands for: the added hyphen past the text.
        let edge = |part: Option<&LinePart>, first: bool| match part {
            Some(LinePart::Run { start, end, shaped, .. }) => {
                let glyph = if first {
                    shaped.glyphs.first()
                } else {
                    shaped.glyphs.iter().rev().find(|g| g.text_len > 0)
                };
                glyph.map(|g| {
                    let at = start + g.cluster as usize;
                    let c = if at < *end { text[at..].chars().next() } else { Some('-') };
                    (table.codes(c.unwrap_or(' ')), g.advance * size * factor)
                })
            }
            _ => None,
        };
        let left = edge(self.parts.first(), true).map_or(0.0, |(codes, w)| codes[0] * w);
        let right = match edge(self.parts.last(), false) {
            Some((codes, w)) if at_right => codes[1] * w,
            _ => 0.0,
        };
        (left, right)
    }

    /// Places the gathered parts as glyph runs, from `start` (negative when the first glyph
    /// hangs into the left margin).
    fn place(
        &mut self,
        adjusted: Adjusted,
        width: f32,
        start: f32,
        hyphenated: bool,
        last: bool,
    ) -> Line {
        let Adjusted { ratio, letter, scale, set_width } = adjusted;
        let size = self.style.size;
        let tracking = self.style.tracking * size;
        let text = self.styled.text.as_str();
        let mut x = if self.style.align == Align::Center {
            ((width - set_width) / 2.0).max(0.0)
        } else {
            start
        };
        let mut runs: Vec<GlyphRun> = Vec::new();
        let mut ink_end = x;
        for (k, part) in self.parts.iter().enumerate() {
            match part {
                LinePart::Indent(w) => x += w,
                LinePart::Glue { width, stretch: y, shrink: z } => {
                    x += width + if ratio >= 0.0 { ratio * y } else { ratio * z };
                }
                LinePart::Run { start, end, hyphen, shaped } => {
                    self.scratch.clear();
                    self.scratch.push_str(&text[*start..*end]);
                    if *hyphen {
                        self.scratch.push('-');
                    }
                    let spacing =
                        Spacing { tracking, letter, scale, continues: continues(&self.parts, k) };
                    let (after, end) =
                        push_runs(&mut runs, shaped, &self.scratch, x, size, spacing);
                    x = after;
                    ink_end = end;
                }
            }
        }
        Line { width: ink_end, runs: runs.into(), hyphenated, last, ratio }
    }
}

/// The (word-space, letter) ratios of a line `short` points short of its measure, as
/// [`adjustment`] gives them, for a line that may stretch only if `may_stretch`: never
/// shrunk below −1 (an overfull line stays overfull), never stretched when it may not.
fn ratios(short: f32, flex: Flex, may_stretch: bool) -> (f32, f32) {
    match adjustment(short, flex) {
        (r, l) if r < 0.0 => (r.max(-1.0), l.max(-1.0)),
        (r, l) if may_stretch && r.is_finite() => (r, l),
        (_, l) if may_stretch => (0.0, l),
        _ => (0.0, 0.0),
    }
}

/// Whether the run at `parts[k]` is followed by more of its word on the line (a font change
/// inside the word), so letter spacing goes after its last glyph too.
fn continues(parts: &[LinePart], k: usize) -> bool {
    matches!(parts.get(k + 1), Some(LinePart::Run { .. }))
}

/// The advance (em) that letter spacing applies to: every glyph but those of the last
/// cluster, unless the word goes on in another run.
fn expandable(shaped: &Shaped, continues: bool) -> f32 {
    match shaped.glyphs.last() {
        Some(last) if !continues => {
            shaped.glyphs.iter().filter(|g| g.cluster != last.cluster).map(|g| g.advance).sum()
        }
        _ => shaped.width,
    }
}

/// How glyphs are spaced on a line.
#[derive(Debug, Clone, Copy)]
struct Spacing {
    /// The style's tracking, points after every glyph.
    tracking: f32,
    /// Justification letter spacing, as a fraction of each glyph's advance (may be negative).
    letter: f32,
    /// Horizontal scale of the glyphs (font expansion).
    scale: f32,
    /// The word goes on in the next run.
    continues: bool,
}

/// Appends the glyph runs of `shaped` (one per font, as fallback may mix them) at `x`;
/// returns the pen position after them and the end of their ink (before trailing
/// tracking).
///
/// Letter spacing is put between clusters only, so a mark or the second glyph of a
/// ligature stays where the shaper placed it, and the space after the word's last cluster is
/// left to the word space (unless the word goes on in the next run).
fn push_runs(
    runs: &mut Vec<GlyphRun>,
    shaped: &Shaped,
    text: &str,
    mut x: f32,
    size: f32,
    spacing: Spacing,
) -> (f32, f32) {
    let Spacing { tracking, letter, scale, continues } = spacing;
    let size_x = size * scale;
    let glyphs = &shaped.glyphs;
    let mut pending = 0.0f32;
    let mut prev_cluster: Option<u32> = None;
    let mut a = 0;
    while a < glyphs.len() {
        let font = glyphs[a].font;
        let mut b = a + 1;
        while b < glyphs.len() && glyphs[b].font == font {
            b += 1;
        }
        let t0 = glyphs[a].cluster as usize;
        let t1 = glyphs.get(b).map_or(text.len(), |g| g.cluster as usize).max(t0);
        let run_x = x;
        let mut out = Vec::with_capacity(b - a);
        let mut pen = 0.0f32;
        for g in &glyphs[a..b] {
            if prev_cluster.is_some_and(|c| c != g.cluster) {
                pen += pending;
                pending = 0.0;
            }
            prev_cluster = Some(g.cluster);
            pending += letter * g.advance * size;
            out.push(Glyph {
                id: g.id,
                x: pen + g.x_offset * size_x,
                y_offset: g.y_offset * size,
                advance: g.advance * size_x,
                text_start: g.cluster - t0 as u32,
                text_len: g.text_len,
            });
            pen += g.advance * size_x + tracking;
        }
        x += pen;
        runs.push(GlyphRun {
            font,
            size,
            scale,
            x: run_x,
            text: text.get(t0..t1).unwrap_or_default().to_string(),
            glyphs: out,
        });
        a = b;
    }
    let ink_end = x - tracking;
    if continues {
        x += pending;
    }
    (x, ink_end)
}
