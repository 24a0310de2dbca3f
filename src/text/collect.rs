//! Collect: the paragraph's inline runs become one text with the language rules applied,
//! cut into runs by font (the first step of Typst's inline model: collect, prepare,
//! linebreak, commit).

use std::borrow::Cow;

use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfc_quick};

use super::ParagraphStyle;
use super::lang;
use crate::diag::Diagnostic;
use crate::fonts::FontId;
use crate::model::InlineRun;

/// Soft hyphen: the author's hint, dropped because our hyphenation decides.
const SOFT_HYPHEN: char = '\u{00AD}';

/// A stretch of the paragraph text set in one font.
pub(super) struct FontRun {
    /// Byte range in [`StyledText::text`].
    pub start: usize,
    pub end: usize,
    /// The face the run's emphasis picks from the paragraph's family.
    pub font: FontId,
    /// Typed verbatim: no language rules, no hyphenation.
    pub verbatim: bool,
}

/// The paragraph text after the language rules, cut into runs by font.
pub(super) struct StyledText {
    /// The whole paragraph, NFC, soft hyphens removed, language rules applied.
    pub text: String,
    /// Runs covering `text` in order, one per inline run of the source.
    pub font_runs: Vec<FontRun>,
    /// What the language rules found (spacing to check), located in the source runs.
    pub warnings: Vec<Diagnostic>,
}

impl StyledText {
    /// The font run that covers byte `pos` (the last one for the end of the text).
    pub fn font_run_at(&self, pos: usize) -> &FontRun {
        let i = self
            .font_runs
            .partition_point(|r| r.end <= pos)
            .min(self.font_runs.len().saturating_sub(1));
        &self.font_runs[i]
    }

    /// The font runs that overlap the byte range `start..end`, in order.
    pub fn font_runs_in(&self, start: usize, end: usize) -> impl Iterator<Item = &FontRun> {
        let first = self.font_runs.partition_point(|r| r.end <= start);
        self.font_runs[first..].iter().take_while(move |r| r.start < end)
    }
}

/// Collects the inline runs of a paragraph into one styled text: Unicode normalisation,
/// capitals if the style asks, the language rules across run boundaries (a quote opened in
/// italic and closed in roman is still one pair), and the font of each run.
pub(super) fn collect(spans: &[InlineRun], style: &ParagraphStyle) -> StyledText {
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
        for c in text.chars().filter(|&c| c != SOFT_HYPHEN) {
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
    let mut font_runs: Vec<FontRun> = Vec::new();
    let mut current = usize::MAX;
    for (&c, &o) in ruled.chars.iter().zip(&ruled.origin) {
        let k = span_of[o];
        if k != current {
            current = k;
            let e = spans[k].emphasis;
            let bold = style.emphasis.bold || e.bold;
            // Italic inside italic reads as roman, as in print.
            let italic = style.emphasis.italic != e.italic;
            font_runs.push(FontRun {
                start: text.len(),
                end: text.len(),
                font: style.family.pick(bold, italic),
                verbatim: spans[k].verbatim,
            });
        }
        text.push(c);
        if let Some(font_run) = font_runs.last_mut() {
            font_run.end = text.len();
        }
    }
    StyledText { text, font_runs, warnings }
}
