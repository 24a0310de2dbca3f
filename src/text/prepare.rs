//! Prepare: the styled text becomes the list the line breaker works on. Words are shaped
//! (through the engine's cache) and measured into boxes, spaces become glue, and the places a
//! word may break (hyphenation points, after an explicit hyphen, a slash or a dash) become
//! penalties. What commit needs to draw the lines goes along: where each element came from,
//! and the shaped words.
//!
//! The spacing values are tuned with the breaking passes' (see `paragraph.rs` and the
//! [`linebreak`](super::linebreak) module doc, “Parameters”).

use std::ops::Range;
use std::sync::Arc;

use unicode_segmentation::GraphemeCursor;

use super::collect::StyledText;
use super::hyphenate::hyphenation_points;
use super::lang;
use super::linebreak::{Element, FIL, INFINITE_PENALTY};
use super::shape::Shaped;
use super::{ParagraphStyle, TextEngine};
use crate::fonts::FontId;
use crate::model::{Align, Lang};

/// `\hyphenpenalty` when justified.
const HYPHEN_PENALTY: f32 = 50.0;
/// `\hyphenpenalty` when ragged: a hyphen is only worth it for a much better rag.
const RAGGED_HYPHEN_PENALTY: f32 = 300.0;
/// `\exhyphenpenalty`: a break after an explicit hyphen.
const EX_HYPHEN_PENALTY: f32 = 50.0;
/// A break UAX #14 allows inside a word other than after a hyphen (after `/` in a URL,
/// around a dash).
const INNER_BREAK_PENALTY: f32 = 100.0;
/// An emergency break between two characters of a piece of a word wider than the column
/// (a long number, a URL segment): dearer than any other break, so it is taken only where
/// no other break can keep the piece inside the column.
const EMERGENCY_BREAK_PENALTY: f32 = 5000.0;
/// Word-space stretch at ratio 1, as a fraction of the font's space: 1/3 (a space of
/// 133 %, InDesign's usual maximum word spacing), stiffer than TeX's 1/2 so that badness
/// grows faster with the visible gap; beyond ratio 1 the spaces go on stretching alone.
const SPACE_STRETCH: f32 = 1.0 / 3.0;
/// Word-space shrink, as a fraction of the space: TeX's 1/3, so a 0.25 em space never
/// gets below 0.167 em.
const SPACE_SHRINK: f32 = 1.0 / 3.0;
/// U+202F, em: fixed, about a sixth of an em as French typography asks.
const NNBSP_EM: f32 = 0.16;

/// What kind of space a run of white space is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum SpaceKind {
    /// U+200B: a break opportunity of no width.
    ZeroWidth,
    /// An ordinary, breakable, stretchable space.
    Normal,
    /// U+00A0 (and U+2007): stretchable, unbreakable.
    NoBreak,
    /// U+202F: fixed and unbreakable.
    Narrow,
    /// A line break typed in the text.
    Forced,
}

fn space_kind(c: char) -> Option<SpaceKind> {
    match c {
        '\n' | '\u{2028}' => Some(SpaceKind::Forced),
        lang::NNBSP => Some(SpaceKind::Narrow),
        lang::NBSP | '\u{2007}' => Some(SpaceKind::NoBreak),
        '\u{200B}' => Some(SpaceKind::ZeroWidth),
        c if c.is_whitespace() => Some(SpaceKind::Normal),
        _ => None,
    }
}

/// A word or a run of white space, as a byte range of the text.
#[derive(Debug, Clone, Copy)]
struct Token {
    start: usize,
    end: usize,
    /// `None` for a word; for white space, its strongest kind (a forced break wins).
    space: Option<SpaceKind>,
}

/// The text cut into alternating words and runs of white space, without the white space
/// at either end.
fn tokenize(text: &str) -> Vec<Token> {
    let mut tokens: Vec<Token> = Vec::with_capacity(text.len() / 4);
    for (i, c) in text.char_indices() {
        let space = space_kind(c);
        let end = i + c.len_utf8();
        match tokens.last_mut() {
            Some(last) if last.space.is_some() == space.is_some() => {
                last.end = end;
                last.space = last.space.max(space);
            }
            _ => tokens.push(Token { start: i, end, space }),
        }
    }
    let first_word = tokens.iter().position(|t| t.space.is_none()).unwrap_or(tokens.len());
    let words_end = tokens.iter().rposition(|t| t.space.is_none()).map_or(first_word, |i| i + 1);
    tokens.truncate(words_end);
    tokens.drain(..first_word);
    tokens
}

/// Where an element came from, to rebuild the lines.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Origin {
    /// The first-line indent.
    Indent,
    /// A word fragment: bytes of the text, and the word it belongs to.
    Text { start: usize, end: usize, word: usize },
    /// A space.
    Space,
    /// A hyphenation point: a hyphen is added if the line ends here.
    Hyphen,
    /// Another break inside a word (after an explicit hyphen, a slash, a dash).
    Break,
    /// An emergency break between characters of a piece wider than the column: no hyphen.
    Emergency,
    /// The paragraph or forced-line end.
    End,
}

/// The part of a word set in one font, shaped.
pub(super) struct ShapedRun {
    /// Byte offset of the run in the paragraph text.
    pub start: usize,
    /// Its glyphs, from the shaping cache.
    pub shaped: Arc<Shaped>,
}

/// A word of the paragraph.
pub(super) struct Word {
    /// Byte range in the paragraph text: `start..end`.
    pub start: usize,
    pub end: usize,
    /// Its shaped runs, indices into [`Measured::shaped_runs`].
    pub shaped_runs: Range<usize>,
}

/// The paragraph prepared for the breaker: box, glue and penalty elements, each with its
/// origin, and the shaped words the lines are drawn from.
#[derive(Default)]
pub(super) struct Measured {
    /// The Knuth–Plass list.
    pub elements: Vec<Element>,
    /// Where each element came from (same length as `elements`).
    pub origins: Vec<Origin>,
    /// The words, in order.
    pub words: Vec<Word>,
    /// The words' shaped runs, in order.
    pub shaped_runs: Vec<ShapedRun>,
}

/// Kind of a break inside a word.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum InnerBreak {
    /// A hyphenation point: a hyphen is printed if the line ends here.
    Hyphen,
    /// After a hyphen typed in the word.
    Explicit,
    /// Another break UAX #14 allows (after a slash, around a dash).
    Other,
    /// Between two characters of a piece wider than the column.
    Emergency,
}

/// How flexible the paragraph's spacing is: justified text stretches and shrinks its spaces
/// and letters; ragged text keeps them rigid and breaks where the rag looks best.
#[derive(Debug, Clone, Copy)]
struct Flexibility {
    hyphen_penalty: f32,
    space_stretch: f32,
    space_shrink: f32,
    /// Letter spacing at ratio ±1, fraction of the advance (between clusters).
    letter_spacing: f32,
    /// Factor of the protrusion table's amounts.
    protrusion: f32,
    /// Font expansion at ratio ±1, fraction of the glyphs' width.
    expansion: f32,
}

impl Flexibility {
    fn of(style: &ParagraphStyle) -> Flexibility {
        if style.align == Align::Justify {
            Flexibility {
                hyphen_penalty: HYPHEN_PENALTY,
                space_stretch: SPACE_STRETCH,
                space_shrink: SPACE_SHRINK,
                letter_spacing: style.microtype.letter_spacing,
                protrusion: style.microtype.protrusion,
                expansion: style.microtype.expansion,
            }
        } else {
            Flexibility {
                hyphen_penalty: RAGGED_HYPHEN_PENALTY,
                space_stretch: 0.0,
                space_shrink: 0.0,
                letter_spacing: 0.0,
                protrusion: 0.0,
                expansion: 0.0,
            }
        }
    }
}

fn is_grapheme_boundary(text: &str, pos: usize) -> bool {
    let b = text.as_bytes();
    if pos == 0 || pos >= b.len() || (b[pos - 1].is_ascii() && b[pos].is_ascii()) {
        return true;
    }
    GraphemeCursor::new(pos, text.len(), true).is_boundary(text, 0).unwrap_or(false)
}

/// The fewest letters of a paragraph's last word that a hyphen may send to its last line:
/// a tail like “pe;” alone on a line reads as a mistake.
const LAST_WORD_TAIL_MIN: usize = 5;

/// Which words of a paragraph may be hyphenated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Hyphenation {
    /// None (the first pass, and styles that do not hyphenate).
    Off,
    /// Every word but the last, so the paragraph does not end on a word's tail (the second
    /// pass).
    NotLastWord,
    /// Every word: for a short paragraph (a list item) that has no set of lines within
    /// tolerance otherwise, a last line holding a word's tail is the lesser fault.
    All,
}

/// Prepares `styled` for breaking: hyphenation points as `hyphenation` says, never in
/// verbatim text. With `emergency` (the column's width), a piece of a word between two
/// breaks that is wider than it may also break between any two of its characters.
pub(super) fn measure(
    engine: &TextEngine,
    styled: &StyledText,
    style: &ParagraphStyle,
    hyphenation: Hyphenation,
    emergency: Option<f32>,
    key: &mut String,
) -> Measured {
    let mut preparer = Preparer {
        engine,
        styled,
        style,
        flexibility: Flexibility::of(style),
        // UAX #14 break opportunities, sorted byte offsets.
        allowed: Vec::new(),
        hyphen_widths: Vec::new(),
        inner: Vec::new(),
        emergency,
        key,
        measured: Measured::default(),
    };
    if styled.font_runs.is_empty() {
        return preparer.measured;
    }
    let tokens = tokenize(&styled.text);
    let Some(last_word) = tokens.len().checked_sub(1) else {
        return preparer.measured;
    };
    preparer.allowed = unicode_linebreak::linebreaks(&styled.text).map(|(p, _)| p).collect();
    if style.first_indent != 0.0 {
        preparer.push(
            Element::Box {
                width: style.first_indent,
                stretch: 0.0,
                shrink: 0.0,
                left: 0.0,
                right: 0.0,
            },
            Origin::Indent,
        );
    }
    for (t, token) in tokens.iter().enumerate() {
        match token.space {
            Some(kind) => preparer.space(token, kind),
            None => preparer.word(
                token,
                match (hyphenation, t == last_word) {
                    (Hyphenation::Off, _) | (Hyphenation::NotLastWord, true) => None,
                    (_, false) => Some(0),
                    (Hyphenation::All, true) => Some(LAST_WORD_TAIL_MIN),
                },
            ),
        }
    }
    preparer.paragraph_end();
    preparer.measured
}

/// The state of one [`measure`] call.
struct Preparer<'a> {
    engine: &'a TextEngine,
    styled: &'a StyledText,
    style: &'a ParagraphStyle,
    flexibility: Flexibility,
    allowed: Vec<usize>,
    /// The width of a hyphen, points, per font used so far.
    hyphen_widths: Vec<(FontId, f32)>,
    /// Scratch: the breaks inside the current word, sorted.
    inner: Vec<(usize, InnerBreak)>,
    /// The column width, when pieces wider than it get emergency breaks.
    emergency: Option<f32>,
    key: &'a mut String,
    measured: Measured,
}

impl Preparer<'_> {
    fn push(&mut self, element: Element, origin: Origin) {
        self.measured.elements.push(element);
        self.measured.origins.push(origin);
    }

    /// A run of white space: glue, breakable where UAX #14 allows a break after it.
    fn space(&mut self, token: &Token, kind: SpaceKind) {
        let size = self.style.size;
        let font = self.engine.fonts().get(self.styled.font_run_at(token.start).font);
        let space = font.space_width * size;
        let flex = self.flexibility;
        let glue = |breakable| Element::Glue {
            width: space,
            stretch: space * flex.space_stretch,
            shrink: space * flex.space_shrink,
            breakable,
        };
        let element = match kind {
            SpaceKind::Normal => glue(self.allowed.binary_search(&token.end).is_ok()),
            SpaceKind::NoBreak => glue(false),
            SpaceKind::Narrow => Element::Glue {
                width: NNBSP_EM * size,
                stretch: 0.0,
                shrink: 0.0,
                breakable: false,
            },
            SpaceKind::ZeroWidth => {
                Element::Glue { width: 0.0, stretch: 0.0, shrink: 0.0, breakable: true }
            }
            SpaceKind::Forced => {
                self.paragraph_end();
                return;
            }
        };
        self.push(element, Origin::Space);
    }

    /// The end of a paragraph (or of a forced line): no break before, `\parfillskip`, break.
    fn paragraph_end(&mut self) {
        self.push(
            Element::Penalty { width: 0.0, penalty: INFINITE_PENALTY, flagged: false },
            Origin::End,
        );
        self.push(
            Element::Glue { width: 0.0, stretch: FIL, shrink: 0.0, breakable: false },
            Origin::End,
        );
        self.push(
            Element::Penalty { width: 0.0, penalty: -INFINITE_PENALTY, flagged: false },
            Origin::End,
        );
    }

    /// A word: shaped by font run, then cut at its inner breaks into boxes and penalties;
    /// hyphenated when `hyphenate` gives the fewest letters the word's tail may have.
    fn word(&mut self, token: &Token, hyphenate: Option<usize>) {
        let (start, end) = (token.start, token.end);
        let word_index = self.measured.words.len();
        let first_run = self.measured.shaped_runs.len();
        let mut verbatim = false;
        let book = self.engine.fonts();
        for font_run in self.styled.font_runs_in(start, end) {
            let (s, e) = (font_run.start.max(start), font_run.end.min(end));
            verbatim |= font_run.verbatim;
            let text = &self.styled.text[s..e];
            let shaped =
                self.engine.shaper.shape(book, font_run.font, self.style.lang, text, self.key);
            self.measured.shaped_runs.push(ShapedRun { start: s, shaped });
        }
        let runs = first_run..self.measured.shaped_runs.len();
        self.measured.words.push(Word { start, end, shaped_runs: runs.clone() });
        self.find_inner_breaks(start, end, hyphenate.filter(|_| !verbatim));
        if let Some(width) = self.emergency {
            self.add_emergency_breaks(start, end, runs.clone(), width);
        }
        self.fragments(start, end, word_index, runs);
    }

    /// Fills `inner` with the breaks inside the word `start..end`: those UAX #14 allows and,
    /// if `hyphenate`, the hyphenation points of the word without its punctuation that
    /// leave at least that many letters after them.
    fn find_inner_breaks(&mut self, start: usize, end: usize, hyphenate: Option<usize>) {
        let text = self.styled.text.as_str();
        self.inner.clear();
        let lo = self.allowed.partition_point(|&p| p <= start);
        for &p in self.allowed[lo..].iter().take_while(|&&p| p < end) {
            if !is_grapheme_boundary(text, p) {
                continue;
            }
            let before = text[..p].chars().next_back();
            let kind = if matches!(before, Some('-' | '\u{2010}')) {
                InnerBreak::Explicit
            } else {
                InnerBreak::Other
            };
            self.inner.push((p, kind));
        }
        let Some(tail_min) = hyphenate else {
            return;
        };
        let w = &text[start..end];
        let core_start = w.find(|c: char| c.is_alphanumeric()).unwrap_or(w.len());
        let core_end = w
            .rfind(|c: char| c.is_alphanumeric())
            .map_or(core_start, |i| i + w[i..].chars().next().map_or(0, char::len_utf8));
        if core_end <= core_start {
            return;
        }
        let core = &w[core_start..core_end];
        let points = self.engine.hyphenation_points(core, self.style.lang, self.key);
        for &p in points.iter() {
            if tail_min > 0 && core[p as usize..].chars().count() < tail_min {
                continue;
            }
            let pos = start + core_start + p as usize;
            if is_grapheme_boundary(text, pos) {
                self.inner.push((pos, InnerBreak::Hyphen));
            }
        }
        // Stable sort, then the first of equal positions stays: a break UAX #14 allows
        // wins over a hyphenation point at the same place.
        self.inner.sort_by_key(|&(p, _)| p);
        self.inner.dedup_by_key(|&mut (p, _)| p);
    }

    /// Adds a break between every two characters (grapheme clusters) of each piece of the
    /// word `start..end` between its inner breaks that is wider than `width`.
    fn add_emergency_breaks(&mut self, start: usize, end: usize, runs: Range<usize>, width: f32) {
        let size = self.style.size;
        let text = self.styled.text.as_str();
        // Cluster starts with the width from there to the next one, points.
        let mut clusters: Vec<(usize, f32)> = Vec::new();
        for run in &self.measured.shaped_runs[runs] {
            for g in &run.shaped.glyphs {
                let advance = (g.advance + self.style.tracking) * size;
                match clusters.last_mut() {
                    Some(last) if g.text_len == 0 => last.1 += advance,
                    _ => clusters.push((run.start + g.cluster as usize, advance)),
                }
            }
        }
        let mut cuts: Vec<usize> = vec![start];
        cuts.extend(self.inner.iter().map(|&(p, _)| p));
        cuts.push(end);
        let mut added = Vec::new();
        for piece in cuts.windows(2) {
            let (from, to) = (piece[0], piece[1]);
            let inside = clusters.iter().filter(|&&(p, _)| p >= from && p < to);
            if inside.clone().map(|&(_, w)| w).sum::<f32>() <= width {
                continue;
            }
            added.extend(
                inside
                    .map(|&(p, _)| p)
                    .filter(|&p| p > from && is_grapheme_boundary(text, p))
                    .map(|p| (p, InnerBreak::Emergency)),
            );
        }
        if !added.is_empty() {
            self.inner.extend(added);
            self.inner.sort_by_key(|&(p, _)| p);
        }
    }

    /// Emits the word's boxes between its inner breaks, measured from the shaped glyphs,
    /// with a penalty at each break.
    fn fragments(&mut self, start: usize, end: usize, word: usize, runs: Range<usize>) {
        let size = self.style.size;
        // Letter spacing widens the space after every cluster but the word's last one
        // (whose space is the word space): that cluster's glyphs bring no flexibility.
        let last_cluster = self.measured.shaped_runs[runs.clone()]
            .last()
            .and_then(|r| r.shaped.glyphs.last().map(|g| r.start + g.cluster as usize))
            .unwrap_or(end);
        let mut fragment = Fragment::at(start);
        let mut next_break = 0;
        for ri in runs {
            let run_start = self.measured.shaped_runs[ri].start;
            let shaped = self.measured.shaped_runs[ri].shaped.clone();
            for g in &shaped.glyphs {
                let at = run_start + g.cluster as usize;
                while next_break < self.inner.len() && at >= self.inner[next_break].0 {
                    fragment = self.inner_break(next_break, fragment, word);
                    next_break += 1;
                }
                if fragment.width == 0.0 {
                    fragment.left = self.protrusion(at, g.advance, 0);
                }
                if g.text_len > 0 {
                    fragment.last = (at, g.advance);
                }
                fragment.width += (g.advance + self.style.tracking) * size;
                fragment.glyphs += g.advance * size;
                if at < last_cluster {
                    fragment.flex += g.advance * size;
                }
            }
        }
        while next_break < self.inner.len() {
            fragment = self.inner_break(next_break, fragment, word);
            next_break += 1;
        }
        if end > fragment.start {
            self.box_for(fragment, end, word);
        }
    }

    /// Closes `fragment` at the inner break `inner[i]`, emits the break's penalty and
    /// returns the fragment that starts there.
    fn inner_break(&mut self, i: usize, fragment: Fragment, word: usize) -> Fragment {
        let (pos, kind) = self.inner[i];
        if pos > fragment.start {
            self.box_for(fragment, pos, word);
        }
        let (element, origin) = match kind {
            InnerBreak::Hyphen => {
                let font = self.styled.font_run_at(pos - 1).font;
                let width = self.hyphen_width(font);
                let penalty = self.flexibility.hyphen_penalty;
                (Element::Penalty { width, penalty, flagged: true }, Origin::Hyphen)
            }
            InnerBreak::Explicit => (
                Element::Penalty { width: 0.0, penalty: EX_HYPHEN_PENALTY, flagged: true },
                Origin::Break,
            ),
            InnerBreak::Other => (
                Element::Penalty { width: 0.0, penalty: INNER_BREAK_PENALTY, flagged: false },
                Origin::Break,
            ),
            InnerBreak::Emergency => (
                Element::Penalty { width: 0.0, penalty: EMERGENCY_BREAK_PENALTY, flagged: false },
                Origin::Emergency,
            ),
        };
        self.push(element, origin);
        Fragment::at(pos)
    }

    /// A word fragment ending at `end`: a box whose letter spacing may stretch or shrink
    /// the line.
    fn box_for(&mut self, fragment: Fragment, end: usize, word: usize) {
        let Fragment { start, width, flex, glyphs, left, last: (at, advance) } = fragment;
        // Letter spacing and font expansion take the same ratio (see `commit`).
        let letters = flex * self.flexibility.letter_spacing + glyphs * self.flexibility.expansion;
        let right = self.protrusion(at, advance, 1);
        let element = Element::Box { width, stretch: letters, shrink: letters, left, right };
        self.push(element, Origin::Text { start, end, word });
    }

    /// How far the character at byte `at` of the text, `advance` em wide, hangs into the
    /// left (`side` 0) or right (1) margin at a line's edge, points.
    fn protrusion(&self, at: usize, advance: f32, side: usize) -> f32 {
        let factor = self.flexibility.protrusion;
        match self.styled.text.get(at..).and_then(|t| t.chars().next()) {
            Some(c) if factor != 0.0 => {
                self.engine.protrusion.codes(c)[side] * advance * self.style.size * factor
            }
            _ => 0.0,
        }
    }

    /// The width of a hyphen in `font`, points, less what of it hangs into the right
    /// margin.
    fn hyphen_width(&mut self, font: FontId) -> f32 {
        if let Some(&(_, w)) = self.hyphen_widths.iter().find(|(f, _)| *f == font) {
            return w;
        }
        let book = self.engine.fonts();
        let w = self.engine.shaper.shape(book, font, self.style.lang, "-", self.key).width
            * self.style.size;
        let w = w - self.engine.protrusion.right('-', w) * self.flexibility.protrusion;
        self.hyphen_widths.push((font, w));
        w
    }
}

/// A word fragment being measured: from `start` to the next inner break.
#[derive(Debug, Clone, Copy)]
struct Fragment {
    start: usize,
    /// Width so far, points.
    width: f32,
    /// Advance that letter spacing applies to, points.
    flex: f32,
    /// Advance of all its glyphs, that font expansion applies to, points.
    glyphs: f32,
    /// How far its first glyph would hang into the left margin, points.
    left: f32,
    /// Its last cluster so far: byte offset in the text and advance, em.
    last: (usize, f32),
}

impl Fragment {
    /// An empty fragment from byte `start`.
    fn at(start: usize) -> Fragment {
        Fragment { start, width: 0.0, flex: 0.0, glyphs: 0.0, left: 0.0, last: (start, 0.0) }
    }
}

impl TextEngine {
    /// Hyphenation points of `word` (byte offsets), cached per language and word.
    fn hyphenation_points(&self, word: &str, lang: Lang, key: &mut String) -> Arc<[u32]> {
        key.clear();
        key.push_str(lang.tag());
        key.push('\u{1}');
        key.push_str(word);
        self.hyphens.get_or_insert(key, || {
            let mut points = Vec::new();
            hyphenation_points(word, lang, &self.exceptions, &mut points);
            points.into()
        })
    }
}
