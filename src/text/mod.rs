//! The `text` stage: language rules, shaping, hyphenation and line breaking.
//!
//! In: inline spans (from `load`) and a [`ParagraphStyle`]. Out: [`Line`]s of positioned
//! glyph runs, justified to the measure. Knows nothing of pages or PDF.

mod cache;
mod collect;
mod commit;
pub mod hyphenate;
pub mod lang;
pub(crate) mod linebreak;
mod memo;
mod paragraph;
mod prepare;
mod protrusion;
pub mod shape;

use std::sync::Arc;

use crate::diag::Diagnostic;
use crate::fonts::{FamilyIds, FontBook, FontId};
use crate::model::{Align, Emphasis, HyphenationSpec, InlineRun, Lang, Microtype};
use hyphenate::Exceptions;
use memo::ParagraphMemo;
use protrusion::ProtrusionTable;
use shape::{Shaper, ShardedCache};

pub use cache::{ParagraphCache, TEXT_FOLDER};
pub use lang::apply_language_rules;

/// How to set one paragraph.
#[derive(Debug, Clone, PartialEq)]
pub struct ParagraphStyle {
    /// The family to use; spans pick bold/italic faces from it.
    pub family: FamilyIds,
    /// Emphasis applied to the whole paragraph (combined with each span's).
    pub emphasis: Emphasis,
    /// Font size, points.
    pub size: f32,
    /// Alignment.
    pub align: Align,
    /// Indent of the first line, points.
    pub first_indent: f32,
    /// Language: rules, hyphenation dictionary, shaping language.
    pub lang: Lang,
    /// Whether words may be hyphenated.
    pub hyphenate: bool,
    /// Lines to add (positive) or remove (negative) relative to the optimum, when that stays
    /// within tolerance (TeX's `\looseness`).
    pub looseness: i32,
    /// Set in capitals.
    pub uppercase: bool,
    /// Extra letter spacing in em (tracking), may be negative.
    pub tracking: f32,
    /// Protrusion, expansion and letter spacing ([`Microtype::NONE`] for none): only
    /// justified paragraphs use them.
    pub microtype: Microtype,
}

/// A shaped glyph placed on a line.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Glyph {
    /// Glyph id in the run's font.
    pub id: u16,
    /// Horizontal position of the glyph origin relative to the run's `x`, points.
    pub x: f32,
    /// Vertical offset from the baseline (positive = up), points.
    pub y_offset: f32,
    /// Advance width as shaped, points.
    pub advance: f32,
    /// Byte offset into the run's `text` of the cluster this glyph starts.
    pub text_start: u32,
    /// Byte length of the source text this glyph stands for; 0 for the second and later
    /// glyphs of one cluster. A ligature "fi" has length 2, so text extraction gives "fi".
    pub text_len: u32,
}

/// Glyphs of one font and size, on one line.
#[derive(Debug, Clone, PartialEq)]
pub struct GlyphRun {
    /// Font.
    pub font: FontId,
    /// Size in points.
    pub size: f32,
    /// Horizontal scale of the glyphs (font expansion; 1 = as designed): their advances
    /// and offsets here are already scaled, and the PDF draws them with `Tz`.
    pub scale: f32,
    /// Position of the run's start relative to the line's left edge, points (negative for a
    /// first glyph that hangs into the left margin).
    pub x: f32,
    /// The source text (after language rules) the glyphs map back to.
    pub text: String,
    /// The glyphs, in visual order.
    pub glyphs: Vec<Glyph>,
}

/// One glyph run of a set line, shared with the line rather than copied: the display list
/// holds every run of every placed line, and make-up places a story's lines once per shape
/// and copyfit trial, so a copy of the glyphs and text for each would dominate composing.
#[derive(Clone)]
pub struct SharedRun {
    runs: Arc<[GlyphRun]>,
    index: usize,
}

impl SharedRun {
    /// Each of `runs` (a line's), shared.
    pub fn each(runs: &Arc<[GlyphRun]>) -> impl Iterator<Item = SharedRun> + '_ {
        (0..runs.len()).map(|index| SharedRun { runs: Arc::clone(runs), index })
    }
}

impl std::ops::Deref for SharedRun {
    type Target = GlyphRun;

    fn deref(&self) -> &GlyphRun {
        &self.runs[self.index]
    }
}

impl From<GlyphRun> for SharedRun {
    fn from(run: GlyphRun) -> Self {
        SharedRun { runs: Arc::from([run]), index: 0 }
    }
}

impl PartialEq for SharedRun {
    fn eq(&self, other: &Self) -> bool {
        **self == **other
    }
}

impl std::fmt::Debug for SharedRun {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        (**self).fmt(f)
    }
}

/// One set line.
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    /// Width taken by the ink, from the left edge to the end of the last glyph, points,
    /// less what of the last glyph hangs into the right margin (character protrusion).
    pub width: f32,
    /// Glyph runs, left to right; shared, so that a copy of the line (the make-up copies a
    /// story's set lines for each shape and copyfit trial) costs no glyphs.
    pub runs: Arc<[GlyphRun]>,
    /// Whether the line ends with an inserted hyphen.
    pub hyphenated: bool,
    /// Whether the line is the last of its paragraph.
    pub last: bool,
    /// Adjustment ratio of the word spaces, TeX-style: 0 = natural, 1 = fully stretched
    /// (letter spacing too; beyond 1 the spaces stretch alone), -1 = fully shrunk.
    pub ratio: f32,
}

/// The highest adjustment ratio among `lines` that are justified (not a paragraph's last):
/// how loose the loosest of them is.
pub fn loosest(lines: &[Line]) -> f32 {
    lines.iter().filter(|l| !l.last).map(|l| l.ratio).fold(f32::NEG_INFINITY, f32::max)
}

/// A set paragraph.
#[derive(Debug, Clone, PartialEq)]
pub struct SetParagraph {
    /// Its lines, top to bottom.
    pub lines: Vec<Line>,
    /// Findings (missing glyphs, overfull lines, suspicious spacing); they carry no file:
    /// the caller knows which article and line the paragraph came from.
    pub warnings: Vec<Diagnostic>,
}

/// Sets paragraphs: owns the fonts, the shaping and hyphenation caches and the issue's
/// hyphenation settings. Shared by reference between threads (`&TextEngine` is `Sync`).
pub struct TextEngine {
    fonts: FontBook,
    shaper: Shaper,
    /// Hyphenation points per (language, word), byte offsets.
    hyphens: ShardedCache<Arc<[u32]>>,
    exceptions: Exceptions,
    max_consecutive: u32,
    /// Character protrusion amounts.
    protrusion: ProtrusionTable,
    /// Paragraphs set by earlier builds, when the build cache is used.
    paragraphs: Option<ParagraphCache>,
    /// Paragraphs set by this engine, when it keeps them ([`TextEngine::with_paragraph_memo`]).
    memo: Option<ParagraphMemo>,
}

impl std::fmt::Debug for TextEngine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TextEngine").field("max_consecutive", &self.max_consecutive).finish()
    }
}

impl TextEngine {
    /// An engine for these fonts and hyphenation settings.
    pub fn new(fonts: FontBook, hyphenation: &HyphenationSpec) -> TextEngine {
        TextEngine {
            fonts,
            shaper: Shaper::new(),
            hyphens: ShardedCache::new(),
            exceptions: Exceptions::new(&hyphenation.exceptions),
            max_consecutive: hyphenation.max_consecutive,
            protrusion: ProtrusionTable::default(),
            paragraphs: None,
            memo: None,
        }
    }

    /// The engine with the protrusion amounts (`microtype.protrusion_chars`:
    /// character, left and right thousandths of its advance) replacing the built-in ones.
    pub fn with_protrusion_chars(mut self, chars: &[(char, [f32; 2])]) -> TextEngine {
        self.protrusion = ProtrusionTable::new(chars);
        self
    }

    /// The engine taking the paragraphs it sets from `cache` when they are there, and
    /// keeping the others in it. The cache must be opened for this engine's fonts and
    /// settings ([`ParagraphCache::open`]).
    pub fn with_paragraph_cache(mut self, cache: ParagraphCache) -> TextEngine {
        self.paragraphs = Some(cache);
        self
    }

    /// The engine keeping every paragraph it sets while it lives, and setting each one only
    /// once: for a build that sets the same paragraphs many times over, as the automatic
    /// make-up does (see `memo.rs`). It costs their memory.
    pub fn with_paragraph_memo(mut self) -> TextEngine {
        self.memo = Some(ParagraphMemo::new());
        self
    }

    /// The paragraph cache, when the engine has one, with the paragraphs it set.
    pub fn into_paragraph_cache(self) -> Option<ParagraphCache> {
        self.paragraphs
    }

    /// The fonts.
    pub fn fonts(&self) -> &FontBook {
        &self.fonts
    }

    /// Sets `spans` as one paragraph in lines of `width` points: language rules on the
    /// non-verbatim spans, shaping, hyphenation and Knuth–Plass breaking. Justified lines
    /// end exactly at `width`; the first line is indented by `style.first_indent`.
    pub fn set_paragraph(
        &self,
        spans: &[InlineRun],
        style: &ParagraphStyle,
        width: f32,
    ) -> SetParagraph {
        let Some(memo) = &self.memo else {
            return self.set_or_take(spans, style, width);
        };
        let key = ParagraphMemo::key(spans, style, width);
        if let Some(kept) = memo.get(&key) {
            return SetParagraph::clone(&kept);
        }
        let set = self.set_or_take(spans, style, width);
        memo.keep(key, Arc::new(set.clone()));
        set
    }

    /// [`Self::set_paragraph`], shared rather than copied: the memo's own paragraph when the
    /// engine has one. For a caller that keeps what it sets beside the memo (the copyfit's
    /// resets), so that the two hold one copy of its lines.
    pub fn set_paragraph_shared(
        &self,
        spans: &[InlineRun],
        style: &ParagraphStyle,
        width: f32,
    ) -> Arc<SetParagraph> {
        let Some(memo) = &self.memo else {
            return Arc::new(self.set_or_take(spans, style, width));
        };
        let key = ParagraphMemo::key(spans, style, width);
        if let Some(kept) = memo.get(&key) {
            return kept;
        }
        let set = Arc::new(self.set_or_take(spans, style, width));
        memo.keep(key, Arc::clone(&set));
        set
    }

    /// Whether `spans` set with `style` in lines of `width` points could take `lines` lines
    /// with no line but the last looser than `ratio` (the word spaces' adjustment ratio): a
    /// bound, true whenever it cannot tell, and much cheaper than setting the paragraph.
    /// For the copyfit, which asks paragraph after paragraph for one a line shorter or
    /// longer and is mostly refused.
    pub fn may_take_lines(
        &self,
        spans: &[InlineRun],
        style: &ParagraphStyle,
        width: f32,
        lines: usize,
        ratio: f32,
    ) -> bool {
        paragraph::may_take_lines(self, spans, style, width, lines, ratio)
    }

    /// Sets `spans`, or takes them from the build cache when it has them.
    fn set_or_take(&self, spans: &[InlineRun], style: &ParagraphStyle, width: f32) -> SetParagraph {
        let Some(cache) = &self.paragraphs else {
            return paragraph::set(self, spans, style, width);
        };
        match cache.get(spans, style, width) {
            Ok(kept) => kept,
            Err(key) => {
                let set = paragraph::set(self, spans, style, width);
                cache.keep(key, &set);
                set
            }
        }
    }

    /// The natural width of `spans` set on one line, points (for folios and labels).
    pub fn measure(&self, spans: &[InlineRun], style: &ParagraphStyle) -> f32 {
        paragraph::natural_width(self, spans, style)
    }
}
