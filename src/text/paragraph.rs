//! Paragraph assembly: spans to language-ruled text, text to boxes, glue and penalties,
//! the breaking passes, and the chosen breaks back to positioned glyph runs.
//!
//! The parameters below are TeX's, tuned for 9–10 pt type in columns of about 50 mm (some
//! 30–40 characters) and measured on real pages with the team's `typometrics.py` (in
//! `../shared/tools`, beside the repository); the reasons for each choice are in the
//! [`linebreak`] module doc (“Parameters”).

use std::borrow::Cow;
use std::sync::Arc;

use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfc_quick};
use unicode_segmentation::GraphemeCursor;

use super::hyphenate::hyphenation_points;
use super::lang;
use super::linebreak::{self, FIL, Flex, INFINITE_PENALTY, Item, Params, adjustment};
use super::shape::Shaped;
use super::{Glyph, GlyphRun, Line, ParagraphStyle, SetParagraph, TextEngine};
use crate::diag::Diagnostic;
use crate::fonts::FontId;
use crate::model::{Align, InlineRun};

/// `\pretolerance`: first pass, without hyphenation.
const PRETOLERANCE: f32 = 100.0;
/// `\tolerance`: second pass, with hyphenation.
const TOLERANCE: f32 = 300.0;
/// `\linepenalty`: favours fewer lines.
const LINE_PENALTY: f32 = 10.0;
/// `\hyphenpenalty` when justified.
const HYPHEN_PENALTY: f32 = 50.0;
/// `\hyphenpenalty` when ragged: a hyphen is only worth it for a much better rag.
const RAGGED_HYPHEN_PENALTY: f32 = 300.0;
/// `\exhyphenpenalty`: a break after an explicit hyphen.
const EX_HYPHEN_PENALTY: f32 = 50.0;
/// A break UAX #14 allows inside a word other than after a hyphen (after `/` in a URL,
/// around a dash).
const INNER_BREAK_PENALTY: f32 = 100.0;
/// `\doublehyphendemerits`.
const DOUBLE_HYPHEN_DEMERITS: f32 = 10000.0;
/// `\finalhyphendemerits`.
const FINAL_HYPHEN_DEMERITS: f32 = 5000.0;
/// `\adjdemerits`.
const ADJ_DEMERITS: f32 = 10000.0;
/// Word-space stretch at ratio 1, as a fraction of the font's space: 1/3 (a space of
/// 133 %, InDesign's usual maximum word spacing), stiffer than TeX's 1/2 so that badness
/// grows faster with the visible gap; beyond ratio 1 the spaces go on stretching alone.
const SPACE_STRETCH: f32 = 1.0 / 3.0;
/// Word-space shrink, as a fraction of the space: TeX's 1/3, so a 0.25 em space never
/// gets below 0.167 em.
const SPACE_SHRINK: f32 = 1.0 / 3.0;
/// Letter spacing a justified line may add after each cluster at ratio 1, as a fraction of
/// the glyph's advance (what microtype's font expansion gives, without distorting the
/// glyphs). It is a hard maximum: beyond ratio 1 only the word spaces stretch.
const LETTER_STRETCH: f32 = 0.015;
/// Letter spacing a justified line may remove at ratio −1, fraction of the advance.
const LETTER_SHRINK: f32 = 0.015;
/// U+202F, em: fixed, about a sixth of an em as French typography asks.
const NNBSP_EM: f32 = 0.16;
/// The right margin's stretch when ragged (TeX's `\raggedright` uses 2 em).
const RAG_EM: f32 = 3.0;

/// A run of the paragraph text with one font.
struct Seg {
    start: usize,
    end: usize,
    font: FontId,
    verbatim: bool,
}

/// The paragraph text after the language rules, cut by font.
struct Prepared {
    text: String,
    segs: Vec<Seg>,
    warnings: Vec<Diagnostic>,
}

fn prepare(spans: &[InlineRun], style: &ParagraphStyle) -> Prepared {
    let mut chars: Vec<char> = Vec::new();
    let mut protected: Vec<bool> = Vec::new();
    let mut span_of: Vec<usize> = Vec::new();
    let mut span_start: Vec<usize> = Vec::with_capacity(spans.len());
    for (k, span) in spans.iter().enumerate() {
        let text: Cow<str> = if is_nfc_quick(span.text.chars()) == IsNormalized::Yes {
            Cow::Borrowed(&span.text)
        } else {
            Cow::Owned(span.text.nfc().collect())
        };
        let text =
            if style.uppercase && !span.verbatim { Cow::Owned(text.to_uppercase()) } else { text };
        span_start.push(chars.len());
        // Soft hyphens are the author's hint; our hyphenation decides, so they go.
        for c in text.chars().filter(|&c| c != '\u{00AD}') {
            chars.push(c);
            protected.push(span.verbatim);
            span_of.push(k);
        }
    }
    lang::mark_protected(&chars, &mut protected);
    let ruled = lang::apply(&chars, &protected, style.lang);
    let warnings = ruled
        .findings
        .iter()
        .map(|&(at, ref message)| {
            let k = span_of[at];
            lang::spacing_warning(message, &spans[k].text, at - span_start[k] + 1)
        })
        .collect();
    let mut text = String::with_capacity(ruled.chars.len() + 8);
    let mut segs: Vec<Seg> = Vec::new();
    let mut current = usize::MAX;
    for (&c, &o) in ruled.chars.iter().zip(&ruled.origin) {
        let k = span_of[o];
        if k != current {
            current = k;
            let e = spans[k].emphasis;
            let bold = style.emphasis.bold || e.bold;
            // Italic inside italic reads as roman, as in print.
            let italic = style.emphasis.italic != e.italic;
            segs.push(Seg {
                start: text.len(),
                end: text.len(),
                font: style.family.pick(bold, italic),
                verbatim: spans[k].verbatim,
            });
        }
        text.push(c);
        if let Some(seg) = segs.last_mut() {
            seg.end = text.len();
        }
    }
    Prepared { text, segs, warnings }
}

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

/// Where an item came from, to rebuild the lines.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Src {
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
    /// The paragraph or forced-line end.
    End,
}

/// One shaped font run of a word.
struct Piece {
    start: usize,
    shaped: Arc<Shaped>,
}

struct Word {
    start: usize,
    end: usize,
    pieces: std::ops::Range<usize>,
}

/// The paragraph as items for the breaker, with what is needed to draw the lines.
struct Built {
    items: Vec<Item>,
    src: Vec<Src>,
    words: Vec<Word>,
    pieces: Vec<Piece>,
}

/// Kind of a break inside a word.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Inner {
    Hyphen,
    Explicit,
    Other,
}

fn is_grapheme_boundary(text: &str, pos: usize) -> bool {
    let b = text.as_bytes();
    if pos == 0 || pos >= b.len() || (b[pos - 1].is_ascii() && b[pos].is_ascii()) {
        return true;
    }
    GraphemeCursor::new(pos, text.len(), true).is_boundary(text, 0).unwrap_or(false)
}

fn seg_at(segs: &[Seg], pos: usize) -> &Seg {
    let i = segs.partition_point(|s| s.end <= pos).min(segs.len().saturating_sub(1));
    &segs[i]
}

fn build(
    engine: &TextEngine,
    prep: &Prepared,
    style: &ParagraphStyle,
    hyphenate: bool,
    key: &mut String,
) -> Built {
    let text = prep.text.as_str();
    let size = style.size;
    let justify = style.align == Align::Justify;
    let book = engine.fonts();
    let mut built =
        Built { items: Vec::new(), src: Vec::new(), words: Vec::new(), pieces: Vec::new() };
    if prep.segs.is_empty() {
        return built;
    }
    // Tokens: (start, end, space kind or None for a word).
    let mut tokens: Vec<(usize, usize, Option<SpaceKind>)> = Vec::with_capacity(text.len() / 4);
    for (i, c) in text.char_indices() {
        let kind = space_kind(c);
        let end = i + c.len_utf8();
        match tokens.last_mut() {
            Some((_, e, k)) if k.is_some() == kind.is_some() => {
                *e = end;
                if let (Some(prev), Some(new)) = (k.as_mut(), kind) {
                    *prev = (*prev).max(new);
                }
            }
            _ => tokens.push((i, end, kind)),
        }
    }
    while tokens.first().is_some_and(|t| t.2.is_some()) {
        tokens.remove(0);
    }
    while tokens.last().is_some_and(|t| t.2.is_some()) {
        tokens.pop();
    }
    let Some(last_word) = tokens.iter().rposition(|t| t.2.is_none()) else {
        return built;
    };
    // UAX #14 break opportunities, sorted byte offsets.
    let allowed: Vec<usize> = unicode_linebreak::linebreaks(text).map(|(p, _)| p).collect();
    let mut hyphen_widths: Vec<(FontId, f32)> = Vec::new();
    let mut hyphen_width = |font: FontId, key: &mut String| -> f32 {
        if let Some(&(_, w)) = hyphen_widths.iter().find(|(f, _)| *f == font) {
            return w;
        }
        let w = engine.shaper.shape(book, font, style.lang, "-", key).width * size;
        hyphen_widths.push((font, w));
        w
    };
    let (hyphen_penalty, stretch_k, shrink_k, letter_stretch, letter_shrink) = if justify {
        (HYPHEN_PENALTY, SPACE_STRETCH, SPACE_SHRINK, LETTER_STRETCH, LETTER_SHRINK)
    } else {
        (RAGGED_HYPHEN_PENALTY, 0.0, 0.0, 0.0, 0.0)
    };
    if style.first_indent != 0.0 {
        built.items.push(Item::Box { width: style.first_indent, stretch: 0.0, shrink: 0.0 });
        built.src.push(Src::Indent);
    }
    let mut inner: Vec<(usize, Inner)> = Vec::new();
    let mut points: Vec<u32> = Vec::new();
    for (t, &(ts, te, kind)) in tokens.iter().enumerate() {
        if let Some(kind) = kind {
            let font = book.get(seg_at(&prep.segs, ts).font);
            let space = font.space_width * size;
            let glue = |breakable| Item::Glue {
                width: space,
                stretch: space * stretch_k,
                shrink: space * shrink_k,
                breakable,
            };
            match kind {
                SpaceKind::Normal => {
                    built.items.push(glue(allowed.binary_search(&te).is_ok()));
                }
                SpaceKind::NoBreak => built.items.push(glue(false)),
                SpaceKind::Narrow => built.items.push(Item::Glue {
                    width: NNBSP_EM * size,
                    stretch: 0.0,
                    shrink: 0.0,
                    breakable: false,
                }),
                SpaceKind::ZeroWidth => built.items.push(Item::Glue {
                    width: 0.0,
                    stretch: 0.0,
                    shrink: 0.0,
                    breakable: true,
                }),
                SpaceKind::Forced => {
                    push_end(&mut built);
                    continue;
                }
            }
            built.src.push(Src::Space);
            continue;
        }
        // A word: shape its font runs.
        let word_index = built.words.len();
        let first_piece = built.pieces.len();
        let mut verbatim = false;
        let mut si = prep.segs.partition_point(|s| s.end <= ts);
        while si < prep.segs.len() && prep.segs[si].start < te {
            let seg = &prep.segs[si];
            let (s, e) = (seg.start.max(ts), seg.end.min(te));
            verbatim |= seg.verbatim;
            let shaped = engine.shaper.shape(book, seg.font, style.lang, &text[s..e], key);
            built.pieces.push(Piece { start: s, shaped });
            si += 1;
        }
        built.words.push(Word { start: ts, end: te, pieces: first_piece..built.pieces.len() });
        // Breaks inside the word.
        inner.clear();
        let lo = allowed.partition_point(|&p| p <= ts);
        for &p in allowed[lo..].iter().take_while(|&&p| p < te) {
            if !is_grapheme_boundary(text, p) {
                continue;
            }
            let before = text[..p].chars().next_back();
            let kind = if matches!(before, Some('-' | '\u{2010}')) {
                Inner::Explicit
            } else {
                Inner::Other
            };
            inner.push((p, kind));
        }
        if hyphenate && t != last_word && !verbatim {
            // Hyphenate the word without its surrounding punctuation.
            let w = &text[ts..te];
            let core_start = w.find(|c: char| c.is_alphanumeric()).unwrap_or(w.len());
            let core_end = w
                .rfind(|c: char| c.is_alphanumeric())
                .map_or(core_start, |i| i + w[i..].chars().next().map_or(0, char::len_utf8));
            if core_end > core_start {
                let core = &w[core_start..core_end];
                let found = engine.hyphenation_points(core, style.lang, key);
                points.clear();
                points.extend(found.iter());
                for &p in &points {
                    let pos = ts + core_start + p as usize;
                    if is_grapheme_boundary(text, pos) {
                        inner.push((pos, Inner::Hyphen));
                    }
                }
                inner.sort_by_key(|&(p, _)| p);
                inner.dedup_by_key(|&mut (p, _)| p);
            }
        }
        // Emit boxes between the breaks, measuring from the shaped glyphs.
        let mut frag_start = ts;
        let mut acc = 0.0f32;
        let mut bi = 0;
        // A word fragment: a box whose letter spacing may stretch or shrink the line.
        let push_fragment = |built: &mut Built,
                             (start, end): (usize, usize),
                             word: usize,
                             width: f32,
                             flex: f32| {
            built.items.push(Item::Box {
                width,
                stretch: flex * letter_stretch,
                shrink: flex * letter_shrink,
            });
            built.src.push(Src::Text { start, end, word });
        };
        let mut emit_break = |built: &mut Built,
                              pos: usize,
                              kind: Inner,
                              (acc, flex): (f32, f32),
                              frag_start: usize| {
            if pos > frag_start {
                push_fragment(built, (frag_start, pos), word_index, acc, flex);
            }
            let (item, src) = match kind {
                Inner::Hyphen => {
                    let font = seg_at(&prep.segs, pos - 1).font;
                    let width = hyphen_width(font, key);
                    (Item::Penalty { width, penalty: hyphen_penalty, flagged: true }, Src::Hyphen)
                }
                Inner::Explicit => (
                    Item::Penalty { width: 0.0, penalty: EX_HYPHEN_PENALTY, flagged: true },
                    Src::Break,
                ),
                Inner::Other => (
                    Item::Penalty { width: 0.0, penalty: INNER_BREAK_PENALTY, flagged: false },
                    Src::Break,
                ),
            };
            built.items.push(item);
            built.src.push(src);
        };
        // Letter spacing widens the space after every cluster but the word's last one
        // (whose space is the word space): that cluster's glyphs bring no flexibility.
        let last_cluster = built.pieces[first_piece..]
            .last()
            .and_then(|p| p.shaped.glyphs.last().map(|g| p.start + g.cluster as usize))
            .unwrap_or(te);
        let mut flex = 0.0f32;
        for pi in first_piece..built.pieces.len() {
            let piece_start = built.pieces[pi].start;
            let shaped = built.pieces[pi].shaped.clone();
            for g in &shaped.glyphs {
                let abs = piece_start + g.cluster as usize;
                while bi < inner.len() && abs >= inner[bi].0 {
                    emit_break(&mut built, inner[bi].0, inner[bi].1, (acc, flex), frag_start);
                    frag_start = inner[bi].0;
                    acc = 0.0;
                    flex = 0.0;
                    bi += 1;
                }
                acc += (g.advance + style.tracking) * size;
                if abs < last_cluster {
                    flex += g.advance * size;
                }
            }
        }
        while bi < inner.len() {
            emit_break(&mut built, inner[bi].0, inner[bi].1, (acc, flex), frag_start);
            frag_start = inner[bi].0;
            acc = 0.0;
            flex = 0.0;
            bi += 1;
        }
        if te > frag_start {
            push_fragment(&mut built, (frag_start, te), word_index, acc, flex);
        }
    }
    push_end(&mut built);
    built
}

/// The end of a paragraph (or of a forced line): no break before, `\parfillskip`, break.
fn push_end(built: &mut Built) {
    built.items.push(Item::Penalty { width: 0.0, penalty: INFINITE_PENALTY, flagged: false });
    built.src.push(Src::End);
    built.items.push(Item::Glue { width: 0.0, stretch: FIL, shrink: 0.0, breakable: false });
    built.src.push(Src::End);
    built.items.push(Item::Penalty { width: 0.0, penalty: -INFINITE_PENALTY, flagged: false });
    built.src.push(Src::End);
}

impl TextEngine {
    /// Hyphenation points of `word` (byte offsets), cached per language and word.
    fn hyphenation_points(
        &self,
        word: &str,
        lang: crate::model::Lang,
        key: &mut String,
    ) -> Arc<[u32]> {
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

fn params(engine: &TextEngine, style: &ParagraphStyle) -> Params {
    Params {
        tolerance: PRETOLERANCE,
        line_penalty: LINE_PENALTY,
        double_hyphen_demerits: DOUBLE_HYPHEN_DEMERITS,
        final_hyphen_demerits: FINAL_HYPHEN_DEMERITS,
        adj_demerits: ADJ_DEMERITS,
        looseness: style.looseness,
        max_consecutive: engine.max_consecutive,
        rag: if style.align == Align::Justify { 0.0 } else { RAG_EM * style.size },
        final_pass: false,
    }
}

/// Sets a paragraph (see [`TextEngine::set_paragraph`]).
pub(super) fn set(
    engine: &TextEngine,
    spans: &[InlineRun],
    style: &ParagraphStyle,
    width: f32,
) -> SetParagraph {
    let prep = prepare(spans, style);
    let mut warnings = prep.warnings.clone();
    let mut key = String::new();
    let base = params(engine, style);
    // Pass 1: no hyphenation, `\pretolerance`.
    let mut built = build(engine, &prep, style, false, &mut key);
    if built.items.is_empty() {
        return SetParagraph { lines: Vec::new(), warnings };
    }
    let wanted = i64::from(style.looseness);
    let mut result = linebreak::optimise(&built.items, width, &base);
    if result.as_ref().is_none_or(|b| b.line_delta != wanted) {
        // Pass 2: hyphenation, `\tolerance`.
        let second = if style.hyphenate {
            build(engine, &prep, style, true, &mut key)
        } else {
            std::mem::replace(
                &mut built,
                Built { items: Vec::new(), src: Vec::new(), words: Vec::new(), pieces: Vec::new() },
            )
        };
        let p2 = Params { tolerance: TOLERANCE, ..base };
        let r2 = linebreak::optimise(&second.items, width, &p2);
        if let Some(b) = r2 {
            if result.is_none() || b.line_delta == wanted {
                result = Some(b);
                built = second;
            }
        } else if result.is_none() {
            // Pass 3: any badness (uncapped), overfull as a last resort.
            let p3 = Params { tolerance: f32::INFINITY, final_pass: true, ..p2 };
            result = linebreak::optimise(&second.items, width, &p3);
            built = second;
        }
    }
    let Some(breaks) = result else {
        return SetParagraph { lines: Vec::new(), warnings };
    };
    for word in &built.words {
        for piece in &built.pieces[word.pieces.clone()] {
            for &c in &piece.shaped.missing {
                let context = &prep.text[word.start..word.end];
                let message = format!(
                    "no font has the character U+{:04X} `{c}`: it prints as an empty box, in “{context}”",
                    c as u32
                );
                if !warnings.iter().any(|w| w.message == message) {
                    warnings.push(
                        Diagnostic::warning("missing-glyph", message)
                            .hint("use another character or add a font that has it"),
                    );
                }
            }
        }
    }
    let lines = build_lines(engine, &prep, &built, &breaks.positions, style, width, &mut key);
    let overfull = lines.iter().map(|l| l.width - width).fold(0.0f32, f32::max);
    if breaks.overfull || overfull > 0.5 {
        let first: Vec<&str> = prep.text.split_whitespace().take(8).collect();
        warnings.push(
            Diagnostic::warning(
                "overfull-line",
                format!(
                    "a line sticks out {:.1} pt past the column in the paragraph “{}…”",
                    overfull.max(0.0),
                    first.join(" ")
                ),
            )
            .hint("allow a break in the long word or URL, or shorten it"),
        );
    }
    SetParagraph { lines, warnings }
}

/// One element of a line being built.
enum Elem {
    Indent(f32),
    Glue { width: f32, stretch: f32, shrink: f32 },
    Run { start: usize, end: usize, hyphen: bool, shaped: Arc<Shaped> },
}

fn build_lines(
    engine: &TextEngine,
    prep: &Prepared,
    built: &Built,
    breaks: &[usize],
    style: &ParagraphStyle,
    width: f32,
    key: &mut String,
) -> Vec<Line> {
    let book = engine.fonts();
    let text = prep.text.as_str();
    let size = style.size;
    let tracking = style.tracking * size;
    let mut lines = Vec::with_capacity(breaks.len());
    let mut elems: Vec<Elem> = Vec::new();
    let mut scratch = String::new();
    let mut start = 0;
    for (li, &b) in breaks.iter().enumerate() {
        let last = li + 1 == breaks.len();
        let hyphen = built.src[b] == Src::Hyphen;
        elems.clear();
        let mut fill = false;
        let mut chunk: Option<(usize, usize, usize)> = None;
        let mut flush =
            |chunk: &mut Option<(usize, usize, usize)>, elems: &mut Vec<Elem>, hyphen: bool| {
                let Some((cs, ce, w)) = chunk.take() else { return };
                let word = &built.words[w];
                if cs == word.start && ce == word.end && !hyphen {
                    for (k, piece) in built.pieces[word.pieces.clone()].iter().enumerate() {
                        let end = built
                            .pieces
                            .get(word.pieces.start + k + 1)
                            .filter(|_| word.pieces.start + k + 1 < word.pieces.end)
                            .map_or(word.end, |p| p.start);
                        elems.push(Elem::Run {
                            start: piece.start,
                            end,
                            hyphen: false,
                            shaped: piece.shaped.clone(),
                        });
                    }
                    return;
                }
                let mut si = prep.segs.partition_point(|s| s.end <= cs);
                while si < prep.segs.len() && prep.segs[si].start < ce {
                    let seg = &prep.segs[si];
                    let (s, e) = (seg.start.max(cs), seg.end.min(ce));
                    let with_hyphen = hyphen && e == ce;
                    let shaped = if with_hyphen {
                        scratch.clear();
                        scratch.push_str(&text[s..e]);
                        scratch.push('-');
                        engine.shaper.shape(book, seg.font, style.lang, &scratch, key)
                    } else {
                        engine.shaper.shape(book, seg.font, style.lang, &text[s..e], key)
                    };
                    elems.push(Elem::Run { start: s, end: e, hyphen: with_hyphen, shaped });
                    si += 1;
                }
            };
        for j in start..b {
            match built.src[j] {
                Src::Indent => {
                    if let Item::Box { width, .. } = built.items[j] {
                        elems.push(Elem::Indent(width));
                    }
                }
                Src::Text { start: s, end: e, word } => match &mut chunk {
                    Some((_, ce, w)) if *w == word && *ce == s => *ce = e,
                    _ => {
                        flush(&mut chunk, &mut elems, false);
                        chunk = Some((s, e, word));
                    }
                },
                Src::Space => {
                    flush(&mut chunk, &mut elems, false);
                    if let Item::Glue { width, stretch, shrink, .. } = built.items[j] {
                        elems.push(Elem::Glue { width, stretch, shrink });
                    }
                }
                Src::End => {
                    if matches!(built.items[j], Item::Glue { .. }) {
                        fill = true;
                    }
                }
                Src::Hyphen | Src::Break => {}
            }
        }
        flush(&mut chunk, &mut elems, hyphen);
        start = linebreak::start_after(&built.items, b);
        // Natural width and the adjustment ratio from the glyphs actually drawn.
        let justify = style.align == Align::Justify;
        let (letter_stretch, letter_shrink) =
            if justify { (LETTER_STRETCH, LETTER_SHRINK) } else { (0.0, 0.0) };
        let mut natural = 0.0f32;
        let mut flex = Flex::default();
        let mut has_glyphs = false;
        for (k, e) in elems.iter().enumerate() {
            match e {
                Elem::Indent(w) => natural += w,
                Elem::Glue { width, stretch: y, shrink: z } => {
                    natural += width;
                    flex.stretch += y;
                    flex.shrink += z;
                }
                Elem::Run { shaped, .. } => {
                    natural += shaped.width * size + tracking * shaped.glyphs.len() as f32;
                    has_glyphs |= !shaped.glyphs.is_empty();
                    let expandable = expandable(shaped, continues(&elems, k)) * size;
                    flex.letter_stretch += expandable * letter_stretch;
                    flex.shrink += expandable * letter_shrink;
                }
            }
        }
        if has_glyphs {
            natural -= tracking;
        }
        // The last line keeps its natural spacing unless it is too long.
        let loose_ok = justify && !last && !fill;
        let (ratio, letter_ratio) = match adjustment(width - natural, flex) {
            (r, l) if r < 0.0 => (r.max(-1.0), l.max(-1.0)),
            (r, l) if loose_ok && r.is_finite() => (r, l),
            (_, l) if loose_ok => (0.0, l),
            _ => (0.0, 0.0),
        };
        let letter = letter_ratio * if ratio >= 0.0 { letter_stretch } else { letter_shrink };
        let set_width = natural
            + if ratio >= 0.0 {
                ratio * flex.stretch + letter_ratio * flex.letter_stretch
            } else {
                ratio * flex.shrink
            };
        let mut x =
            if style.align == Align::Center { ((width - set_width) / 2.0).max(0.0) } else { 0.0 };
        let mut runs: Vec<GlyphRun> = Vec::new();
        let mut ink_end = x;
        for (k, e) in elems.iter().enumerate() {
            match e {
                Elem::Indent(w) => x += w,
                Elem::Glue { width, stretch: y, shrink: z } => {
                    x += width + if ratio >= 0.0 { ratio * y } else { ratio * z };
                }
                Elem::Run { start: s, end: e, hyphen, shaped } => {
                    scratch.clear();
                    scratch.push_str(&text[*s..*e]);
                    if *hyphen {
                        scratch.push('-');
                    }
                    let spacing = Spacing { tracking, letter, continues: continues(&elems, k) };
                    let (after, end) = push_runs(&mut runs, shaped, &scratch, x, size, spacing);
                    x = after;
                    ink_end = end;
                }
            }
        }
        lines.push(Line { width: ink_end, runs, hyphenated: hyphen, last, ratio });
    }
    lines
}

/// Whether the run at `elems[k]` is followed by more of its word on the line (a font change
/// inside the word), so letter spacing goes after its last glyph too.
fn continues(elems: &[Elem], k: usize) -> bool {
    matches!(elems.get(k + 1), Some(Elem::Run { .. }))
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
    let Spacing { tracking, letter, continues } = spacing;
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
                x: pen + g.x_offset * size,
                y_offset: g.y_offset * size,
                advance: g.advance * size,
                text_start: g.cluster - t0 as u32,
                text_len: g.text_len,
            });
            pen += g.advance * size + tracking;
        }
        x += pen;
        runs.push(GlyphRun {
            font,
            size,
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

/// The natural one-line width (see [`TextEngine::measure`]).
pub(super) fn measure(engine: &TextEngine, spans: &[InlineRun], style: &ParagraphStyle) -> f32 {
    let prep = prepare(spans, style);
    let mut key = String::new();
    let built = build(engine, &prep, style, false, &mut key);
    let mut total: f32 = built
        .items
        .iter()
        .map(|i| match *i {
            Item::Box { width, .. } => width,
            Item::Glue { width, .. } => width,
            Item::Penalty { .. } => 0.0,
        })
        .sum();
    if style.tracking != 0.0 && !built.words.is_empty() {
        total -= style.tracking * style.size;
    }
    total
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::fonts::{FontBook, bundled_family};
    use crate::model::{Emphasis, FontFamily, FontRoles, FontSource, HyphenationSpec, Lang};

    pub(crate) fn engine_with(body: FontFamily, exceptions: &[&str]) -> TextEngine {
        let book = FontBook::new(&FontRoles {
            body,
            heading: bundled_family("LiberationSans"),
            kicker: bundled_family("LiberationSans"),
            caption: bundled_family("LiberationSerif"),
        })
        .expect("fonts load");
        TextEngine::new(
            book,
            &HyphenationSpec {
                exceptions: exceptions.iter().map(|e| e.to_string()).collect(),
                max_consecutive: 2,
            },
        )
    }

    pub(crate) fn engine() -> TextEngine {
        engine_with(bundled_family("LiberationSerif"), &["Kazakhstan"])
    }

    pub(crate) fn style(engine: &TextEngine) -> ParagraphStyle {
        ParagraphStyle {
            family: engine.fonts().body,
            emphasis: Emphasis::default(),
            size: 9.5,
            align: Align::Justify,
            first_indent: 0.0,
            lang: Lang::Fr,
            hyphenate: true,
            looseness: 0,
            uppercase: false,
            tracking: 0.0,
        }
    }

    /// The body paragraphs of the reference article (front matter and short lines skipped).
    pub(crate) fn seed_paragraphs() -> Vec<String> {
        let text = include_str!("../../tests/fixtures/text/liberte-actus-1719.md");
        let body = text.splitn(3, "---").nth(2).unwrap_or(text);
        body.split("\n\n")
            .map(|p| p.split_whitespace().collect::<Vec<_>>().join(" "))
            .filter(|p| p.split(' ').count() >= 20)
            .collect()
    }

    /// A line's text, with a space wherever two runs are apart.
    pub(crate) fn line_text(line: &Line) -> String {
        let mut s = String::new();
        let mut end: Option<f32> = None;
        for run in &line.runs {
            if end.is_some_and(|e| run.x > e + 0.01) {
                s.push(' ');
            }
            s.push_str(&run.text);
            end = Some(run.x + run.glyphs.iter().map(|g| g.advance).sum::<f32>());
        }
        s
    }

    /// Inter-word gaps of a line in em: from the end of one run's last glyph to the start of
    /// the next run's first glyph, counted when wider than 0.15 em (as typometrics does).
    pub(crate) fn gaps(line: &Line, size: f32) -> Vec<f32> {
        let mut out = Vec::new();
        let mut end: Option<f32> = None;
        for run in &line.runs {
            let (Some(first), Some(last)) = (run.glyphs.first(), run.glyphs.last()) else {
                continue;
            };
            if let Some(e) = end {
                let gap = (run.x + first.x - e) / size;
                if gap > 0.15 {
                    out.push(gap);
                }
            }
            end = Some(run.x + last.x + last.advance);
        }
        out
    }

    fn set(engine: &TextEngine, text: &str, style: &ParagraphStyle, width: f32) -> SetParagraph {
        engine.set_paragraph(&[InlineRun::plain(text)], style, width)
    }

    #[test]
    fn justified_lines_end_at_the_measure() {
        let engine = engine();
        let style = style(&engine);
        for width in [120.0, 161.0, 240.0] {
            for p in seed_paragraphs() {
                let set = set(&engine, &p, &style, width);
                assert!(set.warnings.is_empty(), "{:?}", set.warnings);
                for line in set.lines.iter().filter(|l| !l.last) {
                    assert!((line.width - width).abs() < 0.01, "{} vs {width}", line.width);
                    let last_run = line.runs.last().expect("runs");
                    let g = last_run.glyphs.last().expect("glyphs");
                    assert!((last_run.x + g.x + g.advance - width).abs() < 0.01);
                }
                assert!(set.lines.last().is_some_and(|l| l.last && l.width <= width + 0.01));
            }
        }
    }

    #[test]
    fn hyphenated_runs_respect_the_limit() {
        let engine = engine();
        let style = style(&engine);
        let mut hyphenated = 0;
        for width in [100.0, 120.0, 140.0, 161.0] {
            for p in seed_paragraphs() {
                let set = set(&engine, &p, &style, width);
                let mut run = 0;
                for line in &set.lines {
                    if line_text(line).ends_with('-') {
                        run += 1;
                        hyphenated += 1;
                        assert!(run <= 2, "three hyphens in a row at {width} pt in {p}");
                    } else {
                        run = 0;
                    }
                    if line.hyphenated {
                        let run = line.runs.last().expect("runs");
                        let g = run.glyphs.last().expect("glyphs");
                        assert_eq!(&run.text[g.text_start as usize..], "-");
                        assert_eq!(g.text_len, 1);
                    }
                }
                // The last word is never hyphenated.
                assert!(
                    !set.lines[set.lines.len() - 2].hyphenated || set.lines.len() < 2 || {
                        let last = line_text(set.lines.last().expect("line"));
                        last.contains(' ')
                    }
                );
            }
        }
        assert!(hyphenated > 0, "narrow columns should use hyphenation");
    }

    #[test]
    fn no_line_starts_with_high_punctuation_or_ends_with_guillemet() {
        let engine = engine();
        let style = style(&engine);
        let text = "Il a dit « non » et « peut-être » ; puis : « Vraiment ? Oui ! » \
                    Les pays de l’UEEA ? Oui ! Le Kazakhstan ; la Russie : « alliés » ! \
                    Encore une fois ? Certainement ; toujours : « jamais » !";
        for w in 60..160 {
            let set = set(&engine, text, &style, w as f32);
            for line in &set.lines {
                let t = line_text(line);
                assert!(
                    !t.starts_with([';', ':', '!', '?', '»', '\u{202F}', '\u{A0}']),
                    "{t:?} at {w}"
                );
                assert!(!t.trim_end().ends_with('«'), "{t:?} at {w}");
            }
        }
    }

    #[test]
    fn known_paragraph_breaks() {
        let engine = engine();
        let style = style(&engine);
        let p = &seed_paragraphs()[1];
        let set = set(&engine, p, &style, 161.0);
        let lines: Vec<String> = set.lines.iter().map(line_text).collect();
        // Reviewed: hyphens at syllable breaks (2/3 minima), "27,4 millions" keeps the
        // number with its word, "462 %" together; letter spacing lets the paragraph go
        // into ten lines with two hyphens.
        let expected = [
            "Le Kazakhstan modernise ses infrastruc-",
            "tures pour devenir un acteur central du",
            "commerce eurasiatique. Avec 27,4 millions",
            "de tonnes de fret en transit en 2024 et un",
            "objectif de 67 millions d’ici 2029, le pays",
            "investit dans ses corridors ferroviaires, ses",
            "hubs logistiques et la numérisation du sec-",
            "teur. Le corridor Trans-Caspien, qui relie",
            "la Chine à l’Europe, illustre cette ambition",
            "avec une croissance de 462 % en trois ans.",
        ];
        assert_eq!(lines, expected);
    }

    #[test]
    fn long_url_is_overfull_and_reported() {
        let engine = engine();
        let style = style(&engine);
        let text = "Lire https://example.org/unCheminTresLongSansAucuneCoupurePossibleNiTiret1234567890 demain.";
        let set = set(&engine, text, &style, 100.0);
        assert!(!set.lines.is_empty());
        let w: Vec<_> = set.warnings.iter().filter(|w| w.kind == "overfull-line").collect();
        assert_eq!(w.len(), 1, "{:?}", set.warnings);
        assert!(w[0].message.contains("Lire"));
        // The URL is never hyphenated.
        assert!(set.lines.iter().all(|l| !l.hyphenated));
    }

    #[test]
    fn looseness_changes_line_count() {
        let engine = engine();
        let mut style = style(&engine);
        let paragraphs = seed_paragraphs();
        let (mut shorter, mut longer) = (0, 0);
        // Removing a line needs a short last line and enough shrink: try several measures.
        let widths = (0..24).map(|k| 150.0 + 5.0 * k as f32);
        for (p, width) in widths.flat_map(|w| paragraphs.iter().map(move |p| (p, w))) {
            let normal = set(&engine, p, &style, width).lines.len();
            style.looseness = 1;
            let loose = set(&engine, p, &style, width).lines.len();
            style.looseness = -1;
            let tight = set(&engine, p, &style, width).lines.len();
            style.looseness = 0;
            assert!(loose >= normal && tight <= normal);
            longer += usize::from(loose == normal + 1);
            shorter += usize::from(tight + 1 == normal);
        }
        assert!(longer > 0 && shorter > 0, "longer {longer}, shorter {shorter}");
    }

    #[test]
    fn missing_character_is_reported_with_its_code() {
        let engine = engine();
        let style = style(&engine);
        let set = set(&engine, "Un sourire 😀 ici", &style, 161.0);
        let w: Vec<_> = set.warnings.iter().filter(|w| w.kind == "missing-glyph").collect();
        assert_eq!(w.len(), 1);
        assert!(w[0].message.contains("U+1F600"), "{}", w[0].message);
    }

    #[test]
    fn fallback_font_supplies_missing_characters() {
        // Liberation Serif lacks nothing Latin; U+2192 (→) is in Liberation Sans only if
        // Serif lacks it: either way no warning and every glyph is a real glyph.
        let engine = engine();
        let style = style(&engine);
        let set = set(&engine, "Paris → Astana", &style, 161.0);
        assert!(set.warnings.is_empty(), "{:?}", set.warnings);
        assert!(set.lines[0].runs.iter().all(|r| r.glyphs.iter().all(|g| g.id != 0)));
    }

    #[test]
    fn verbatim_and_uppercase_and_indent() {
        let engine = engine();
        let mut style = style(&engine);
        style.first_indent = 9.5;
        style.uppercase = true;
        let spans = [
            InlineRun::plain("voir l'adresse "),
            InlineRun { text: "x'y ?".into(), emphasis: Emphasis::default(), verbatim: true },
        ];
        let set = engine.set_paragraph(&spans, &style, 300.0);
        let text = line_text(&set.lines[0]);
        assert_eq!(text, "VOIR L’ADRESSE x'y ?");
        assert!((set.lines[0].runs[0].x - 9.5).abs() < 1e-3);
    }

    #[test]
    fn ragged_and_centred() {
        let engine = engine();
        let mut style = style(&engine);
        style.align = Align::Left;
        let p = &seed_paragraphs()[1];
        let set = set(&engine, p, &style, 161.0);
        for line in &set.lines {
            assert!(line.width <= 161.01);
            assert_eq!(line.ratio, 0.0);
            assert!(gaps(line, 9.5).iter().all(|g| (g - 0.25).abs() < 0.02 || *g < 0.2));
        }
        style.align = Align::Center;
        let set = engine.set_paragraph(&[InlineRun::plain("Au centre")], &style, 161.0);
        let line = &set.lines[0];
        let left = line.runs[0].x;
        assert!((left - (161.0 - line.width)).abs() < 0.01, "{left} {}", line.width);
    }

    #[test]
    fn measure_matches_a_single_line() {
        let engine = engine();
        let style = style(&engine);
        let spans = [InlineRun::plain("Liberté Actus no 1719")];
        let w = engine.measure(&spans, &style);
        let set = engine.set_paragraph(&spans, &style, 1000.0);
        assert!((w - set.lines[0].width).abs() < 0.01, "{w} vs {}", set.lines[0].width);
    }

    /// What typometrics.py measures on a page, computed from set lines.
    #[derive(Debug, Default)]
    pub(crate) struct Metrics {
        /// Inter-word gaps of the justified lines, em.
        pub gaps: Vec<f32>,
        /// Lines reaching 95 % of the measure.
        pub justified: usize,
        /// Justified lines whose largest gap exceeds 0.5 em.
        pub loose: usize,
        /// Justified lines ending with a hyphen.
        pub hyphenated: usize,
        /// Longest run of consecutive hyphenated lines.
        pub hyphen_run: usize,
        /// Lines that start with `; : ! ? »` or end with `«`, and lines past the measure.
        pub bad_lines: Vec<String>,
    }

    impl Metrics {
        pub fn mean(&self) -> f32 {
            self.gaps.iter().sum::<f32>() / self.gaps.len().max(1) as f32
        }

        /// Percentile with linear interpolation, as typometrics computes it.
        pub fn pct(&self, p: f32) -> f32 {
            let mut s = self.gaps.clone();
            s.sort_by(f32::total_cmp);
            if s.is_empty() {
                return 0.0;
            }
            let k = (s.len() - 1) as f32 * p / 100.0;
            let (lo, hi) = (k.floor() as usize, k.ceil() as usize);
            s[lo] + (s[hi] - s[lo]) * (k - lo as f32)
        }

        pub fn summary(&self) -> String {
            format!(
                "gaps {}: mean {:.3} p95 {:.3} max {:.3} min {:.3}; loose {}; hyphens {}/{} ({:.0} %), run {}; bad {:?}",
                self.gaps.len(),
                self.mean(),
                self.pct(95.0),
                self.gaps.iter().cloned().fold(0.0, f32::max),
                self.gaps.iter().cloned().fold(9.0, f32::min),
                self.loose,
                self.hyphenated,
                self.justified,
                100.0 * self.hyphenated as f32 / self.justified.max(1) as f32,
                self.hyphen_run,
                self.bad_lines
            )
        }
    }

    /// Sets `paragraphs` as body text in a column of `width` (first lines indented 1 em but
    /// the first paragraph's) and measures them as typometrics.py measures a PDF: a glyph
    /// ends at its origin plus the font's own advance (what a PDF reader knows), a gap is
    /// counted when wider than 0.15 em, only on lines reaching 95 % of the measure.
    pub(crate) fn page_metrics(
        engine: &TextEngine,
        paragraphs: &[(bool, String)],
        lang: Lang,
        width: f32,
    ) -> Metrics {
        let mut style = style(engine);
        style.lang = lang;
        let size = style.size;
        let debug = std::env::var_os("GAPS_DEBUG").is_some();
        let mut m = Metrics::default();
        let mut run = 0;
        for (indent, p) in paragraphs {
            style.first_indent = if *indent { size } else { 0.0 };
            let set = engine.set_paragraph(&[InlineRun::plain(p.as_str())], &style, width);
            for line in &set.lines {
                let text = line_text(line);
                if text.starts_with([';', ':', '!', '?', '»']) || text.ends_with('«') {
                    m.bad_lines.push(text.clone());
                }
                if line.width > width + 0.5 {
                    m.bad_lines.push(format!("overfull: {text}"));
                }
                let hyphen = text.ends_with(['-', '\u{2010}']);
                run = if hyphen { run + 1 } else { 0 };
                m.hyphen_run = m.hyphen_run.max(run);
                if line.width < 0.95 * width {
                    continue;
                }
                m.justified += 1;
                m.hyphenated += usize::from(hyphen);
                let mut end: Option<f32> = None;
                let mut worst = 0.0f32;
                for r in &line.runs {
                    let font = engine.fonts().get(r.font);
                    for g in &r.glyphs {
                        let x = r.x + g.x;
                        if let Some(e) = end {
                            let gap = (x - e) / size;
                            if gap > 0.15 {
                                m.gaps.push(gap);
                                worst = worst.max(gap);
                            }
                        }
                        end = Some(x + font.advance(g.id) * size);
                    }
                }
                m.loose += usize::from(worst > 0.5);
                if debug {
                    eprintln!("{:6.2} {worst:5.3} {text}", line.ratio);
                }
            }
            run = 0;
        }
        m
    }

    /// The body paragraphs of a Markdown article, each with whether its first line is
    /// indented as `compose` does it: not the first paragraph, nor one after a heading.
    /// Front matter, headings, lists and `:::` boxes are skipped; a short block that does
    /// not end a sentence is a heading written as a plain line.
    pub(crate) fn article_paragraphs(text: &str) -> Vec<(bool, String)> {
        let body = text.splitn(3, "---").nth(2).unwrap_or(text);
        let mut out = Vec::new();
        let mut indent = false;
        let mut in_box = false;
        for block in body.split("\n\n").map(str::trim).filter(|b| !b.is_empty()) {
            if in_box || block.starts_with(":::") {
                // A box opened here or before ends with a line of its own, `:::`.
                in_box = !(block.lines().count() > 1 || in_box) || !block.ends_with(":::");
                continue;
            }
            let p = block.split_whitespace().collect::<Vec<_>>().join(" ");
            let heading = p.starts_with('#')
                || (p.split(' ').count() < 15 && !p.ends_with(['.', '!', '?', '»', '…']));
            if heading {
                indent = false;
            } else if !p.starts_with(['-', '*', '>']) {
                out.push((indent, p));
                indent = true;
            }
        }
        out
    }

    /// An engine with TeX Gyre Termes as body face (Debian's fonts-texgyre), if installed.
    pub(crate) fn termes(exceptions: &[&str]) -> Option<TextEngine> {
        let dir = "/usr/share/texmf/fonts/opentype/public/tex-gyre/";
        if !std::path::Path::new(&format!("{dir}texgyretermes-regular.otf")).exists() {
            eprintln!("TeX Gyre Termes not installed; skipped");
            return None;
        }
        let face = |s: &str| FontSource::File(format!("{dir}texgyretermes-{s}.otf").into());
        Some(engine_with(
            FontFamily {
                regular: face("regular"),
                italic: face("italic"),
                bold: face("bold"),
                bold_italic: face("bolditalic"),
            },
            exceptions,
        ))
    }

    /// The column of the seed pages: (A4 − 2 × 15 mm margins − 2 × 5 mm gutters) / 3.
    const COLUMN: f32 = (210.0 - 30.0 - 10.0) / 3.0 * 72.0 / 25.4;

    const SEED: &str = include_str!("../../tests/fixtures/text/liberte-actus-1719.md");
    const SEED_PAGE: &str = include_str!("../../tests/fixtures/seed-termes/articles/seed.md");
    const LIBRARY: &str =
        include_str!("../../issues/liberte-actus-1719/articles/03-bibliotheque.md");
    const STORM: &str =
        include_str!("../../issues/liberte-actus-1719/articles/02-storm-warning.md");
    const GERMAN: &str = include_str!("../../tests/fixtures/text/de-hafen.md");
    const SPANISH: &str = include_str!("../../tests/fixtures/text/es-biblioteca.md");

    /// Sets `text` (a Markdown article) with `engine` and checks what typometrics.py gates
    /// on: no overfull line, at most two hyphenated lines in a row, no line starting with
    /// high punctuation or ending with an opening guillemet, and gap bounds in em.
    fn check_page(engine: &TextEngine, name: &str, text: &str, lang: Lang, mean: f32, p95: f32) {
        let m = page_metrics(engine, &article_paragraphs(text), lang, COLUMN);
        eprintln!("{name}: {}", m.summary());
        assert!(m.gaps.len() > 100, "{name}: too few gaps to measure");
        assert!(m.bad_lines.is_empty(), "{name}: {:?}", m.bad_lines);
        assert!(m.hyphen_run <= 2, "{name}: {} hyphenated lines in a row", m.hyphen_run);
        assert!(m.mean() <= mean, "{name}: mean gap {} em > {mean}", m.mean());
        assert!(m.pct(95.0) <= p95, "{name}: p95 gap {} em > {p95}", m.pct(95.0));
        // Shrinking never brings a word space under a sixth of an em (U+202F is 0.16 em).
        assert!(m.gaps.iter().all(|&g| g >= 0.159), "{name}: a gap under 0.16 em");
    }

    #[test]
    fn seed_page_is_as_even_as_lualatex() {
        // The seed-termes issue: its article, TeX Gyre Termes 9.5 pt, 160.6 pt columns, no
        // hyphenation exceptions. LuaLaTeX's page of the same text: mean 0.326 em, p95
        // 0.505 em. We measure 0.300 / 0.446 (typometrics on the PDF agrees).
        let Some(engine) = termes(&[]) else { return };
        check_page(&engine, "seed page, Termes", SEED_PAGE, Lang::Fr, 0.326, 0.505);
    }

    #[test]
    fn other_texts_and_faces_are_even() {
        // Measured: Liberation 0.305 / 0.446 on the seed page; the article with the issue's
        // `Kazakhstan` exception (which forces one very loose line) 0.320 / 0.585; English
        // 0.279 / 0.391; German 0.315 / 0.519; Spanish 0.244 / 0.350.
        let liberation = engine();
        let plain = engine_with(bundled_family("LiberationSerif"), &[]);
        check_page(&plain, "seed page, Liberation", SEED_PAGE, Lang::Fr, 0.326, 0.505);
        check_page(&liberation, "seed + exception", SEED, Lang::Fr, 0.33, 0.60);
        check_page(&liberation, "English", STORM, Lang::EnGb, 0.30, 0.42);
        check_page(&liberation, "German", GERMAN, Lang::De, 0.33, 0.55);
        check_page(&liberation, "Spanish", SPANISH, Lang::Es, 0.27, 0.40);
        if let Some(termes) = termes(&["Kazakhstan"]) {
            check_page(&termes, "English, Termes", STORM, Lang::EnGb, 0.30, 0.42);
            check_page(&termes, "German, Termes", GERMAN, Lang::De, 0.34, 0.55);
            check_page(&termes, "library, Termes", LIBRARY, Lang::Fr, 0.27, 0.38);
        }
    }

    #[test]
    fn letter_spacing_is_bounded_and_stays_inside_words() {
        let engine = engine();
        let mut style = style(&engine);
        style.lang = Lang::EnGb;
        let (mut spaced, mut lines) = (0, 0);
        for (_, p) in article_paragraphs(STORM) {
            for width in [130.0, COLUMN, 200.0] {
                let set = engine.set_paragraph(&[InlineRun::plain(p.as_str())], &style, width);
                for line in set.lines.iter().filter(|l| !l.last) {
                    lines += 1;
                    // Inside a run (a word or part of one): at most 1.5 % of the advance.
                    for run in &line.runs {
                        for pair in run.glyphs.windows(2) {
                            let extra = pair[1].x - pair[0].x - pair[0].advance;
                            assert!(extra.abs() <= 0.015 * pair[0].advance + 1e-4, "{extra}");
                            spaced += usize::from(extra.abs() > 1e-3);
                        }
                    }
                    // Between words: every word space of the line alike, so no letter
                    // spacing went after a word's last letter.
                    let gaps = gaps(line, style.size);
                    let (lo, hi) =
                        gaps.iter().fold((9.0f32, 0.0f32), |(a, b), &g| (a.min(g), b.max(g)));
                    assert!(gaps.is_empty() || hi - lo < 0.002, "{gaps:?} in {}", line_text(line));
                }
            }
        }
        assert!(spaced > 0 && lines > 20, "justification never used letter spacing");
    }

    #[test]
    fn set_lines_keep_the_text() {
        // Letter spacing moves glyphs only: the runs still spell the paragraph, in order.
        let engine = engine();
        let style = style(&engine);
        let squeeze =
            |t: &str| t.chars().filter(|c| !c.is_whitespace() && *c != '-').collect::<String>();
        for p in seed_paragraphs() {
            for width in [100.0, COLUMN, 240.0] {
                let set = engine.set_paragraph(&[InlineRun::plain(p.as_str())], &style, width);
                let text: String = set.lines.iter().map(line_text).collect();
                let source = prepare(&[InlineRun::plain(p.as_str())], &style).text;
                assert_eq!(squeeze(&text), squeeze(&source));
            }
        }
    }
}
