//! Paragraph setting, the driver of the inline stages (Typst's model): [`collect`] the
//! inline runs into one styled text, [`prepare`] it into boxes, glue and penalties,
//! [`linebreak`] it in up to three passes, and [`commit`] the chosen breaks to lines.
//!
//! The parameters below are TeX's, tuned for 9–10 pt type in columns of about 50 mm (some
//! 30–40 characters) and measured on real pages with the team's `typometrics.py` (in
//! `../shared/tools`, beside the repository); the reasons for each choice are in the
//! [`linebreak`] module doc (“Parameters”). The spacing values are in [`prepare`].
//!
//! [`collect`]: super::collect
//! [`prepare`]: super::prepare
//! [`commit`]: super::commit

use super::collect::{StyledText, collect};
use super::commit::commit_lines;
use super::linebreak::bounds::LineBounds;
use super::linebreak::{self, Breaks, Element, Params};
use super::prepare::{Hyphenation, Measured, Origin, measure};
use super::{ParagraphStyle, SetParagraph, TextEngine};
use crate::diag::Diagnostic;
use crate::model::{Align, InlineRun, RIVER_ALIGN_EM};

/// `\pretolerance`: first pass, without hyphenation.
const PRETOLERANCE: f32 = 100.0;
/// `\tolerance`: second pass, with hyphenation.
const TOLERANCE: f32 = 300.0;
/// `\linepenalty`: favours fewer lines.
const LINE_PENALTY: f32 = 10.0;
/// `\doublehyphendemerits`.
const DOUBLE_HYPHEN_DEMERITS: f32 = 10000.0;
/// `\finalhyphendemerits`.
const FINAL_HYPHEN_DEMERITS: f32 = 5000.0;
/// `\adjdemerits`.
const ADJ_DEMERITS: f32 = 10000.0;
/// The right margin's stretch when ragged, em (TeX's `\raggedright` uses 2 em).
const RAG_EM: f32 = 3.0;
/// How far a line may stick out past the measure, points, before it is reported (TeX's
/// `\hfuzz`, there 0.1 pt): less does not show in print.
const OVERFULL_TOLERANCE_PT: f32 = 0.5;
/// Words of the paragraph quoted in an overfull-line warning, to find it.
const WARNING_CONTEXT_WORDS: usize = 8;

/// The first pass's parameters; the later passes raise the tolerance.
fn first_pass(engine: &TextEngine, style: &ParagraphStyle) -> Params {
    let justify = style.align == Align::Justify;
    Params {
        tolerance: PRETOLERANCE,
        line_penalty: LINE_PENALTY,
        double_hyphen_demerits: DOUBLE_HYPHEN_DEMERITS,
        final_hyphen_demerits: FINAL_HYPHEN_DEMERITS,
        adj_demerits: ADJ_DEMERITS,
        looseness: style.looseness,
        max_consecutive: engine.max_consecutive,
        rag: if justify { 0.0 } else { RAG_EM * style.size },
        final_pass: false,
        river_demerits: if justify { style.microtype.rivers } else { 0.0 },
        river_tolerance: RIVER_ALIGN_EM * style.size,
    }
}

/// Sets a paragraph (see [`TextEngine::set_paragraph`]).
pub(super) fn set(
    engine: &TextEngine,
    spans: &[InlineRun],
    style: &ParagraphStyle,
    width: f32,
) -> SetParagraph {
    let styled = collect(spans, style);
    let mut warnings = styled.warnings.clone();
    let mut key = String::new();
    let Some((measured, breaks)) = choose_breaks(engine, &styled, style, width, &mut key) else {
        return SetParagraph { lines: Vec::new(), warnings };
    };
    missing_glyph_warnings(&styled, &measured, &mut warnings);
    emergency_break_warnings(&styled, &measured, &breaks.positions, &mut warnings);
    let lines = commit_lines(engine, &styled, &measured, &breaks.positions, style, width, &mut key);
    let overfull = lines.iter().map(|l| l.width - width).fold(0.0f32, f32::max);
    if breaks.overfull || overfull > OVERFULL_TOLERANCE_PT {
        let first: Vec<&str> = styled.text.split_whitespace().take(WARNING_CONTEXT_WORDS).collect();
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

/// Whether `spans` set with `style` in `width` could take `lines` lines with no line but
/// the last looser than `ratio` (see [`TextEngine::may_take_lines`]).
pub(super) fn may_take_lines(
    engine: &TextEngine,
    spans: &[InlineRun],
    style: &ParagraphStyle,
    width: f32,
    lines: usize,
    ratio: f32,
) -> bool {
    if style.align != Align::Justify {
        return true;
    }
    let styled = collect(spans, style);
    // Every breakpoint any pass could use.
    let hyphenation = if style.hyphenate { Hyphenation::All } else { Hyphenation::Off };
    let measured = measure(engine, &styled, style, hyphenation, None, &mut String::new());
    let Some(bounds) = LineBounds::new(&measured.elements, width) else { return true };
    bounds.fewest() <= lines && lines <= bounds.most(ratio)
}

/// The breaking passes, as TeX runs them: without hyphenation under `\pretolerance`; then,
/// if that fails (or misses the looseness asked for), with hyphenation (never in the last
/// word) under `\tolerance`; then, if nothing is feasible, the last word may be hyphenated
/// too, under `\tolerance` and at last in a final pass that accepts any badness and overfull
/// lines.
/// Returns the prepared paragraph the breaks index into; `None` for an empty paragraph.
fn choose_breaks(
    engine: &TextEngine,
    styled: &StyledText,
    style: &ParagraphStyle,
    width: f32,
    key: &mut String,
) -> Option<(Measured, Breaks)> {
    let base = first_pass(engine, style);
    let mut measured = measure(engine, styled, style, Hyphenation::Off, None, key);
    if measured.elements.is_empty() {
        return None;
    }
    let (second_words, last_words) = if style.hyphenate {
        (Hyphenation::NotLastWord, Hyphenation::All)
    } else {
        (Hyphenation::Off, Hyphenation::Off)
    };
    let mut hyphenation = Hyphenation::Off;
    let wanted = i64::from(style.looseness);
    let mut result = linebreak::optimise(&measured.elements, width, &base);
    if result.as_ref().is_none_or(|b| b.line_delta != wanted) {
        let second = if style.hyphenate {
            measure(engine, styled, style, second_words, None, key)
        } else {
            std::mem::take(&mut measured)
        };
        let p2 = Params { tolerance: TOLERANCE, ..base };
        let r2 = linebreak::optimise(&second.elements, width, &p2);
        if let Some(b) = r2 {
            if result.is_none() || b.line_delta == wanted {
                result = Some(b);
                measured = second;
                hyphenation = second_words;
            }
        } else if result.is_none() {
            // Nothing within tolerance: the last word may break too (a list item of two or
            // three lines often needs it), first within tolerance, then at any badness.
            let (last, within) = if last_words == second_words {
                (second, None)
            } else {
                let last = measure(engine, styled, style, last_words, None, key);
                let within = linebreak::optimise(&last.elements, width, &p2);
                (last, within)
            };
            result = within.or_else(|| {
                let p3 = Params { tolerance: f32::INFINITY, final_pass: true, ..p2 };
                linebreak::optimise(&last.elements, width, &p3)
            });
            measured = last;
            hyphenation = last_words;
        }
    }
    // A line is overfull when a piece of a word is wider than the column, or when every
    // break left follows a hyphen and the limit on consecutive hyphenated lines forbids
    // them all (a long compound). Rather than let it cross the gutter, the final pass runs
    // again with breaks between the characters of such pieces, and without that limit.
    if result.as_ref().is_some_and(|b| b.overfull) {
        let emergency = measure(engine, styled, style, hyphenation, Some(width), key);
        let p3 = Params {
            tolerance: f32::INFINITY,
            final_pass: true,
            max_consecutive: u32::MAX,
            ..base
        };
        if let Some(b) = linebreak::optimise(&emergency.elements, width, &p3)
            && !b.overfull
        {
            result = Some(b);
            measured = emergency;
        }
    }
    result.map(|breaks| (measured, breaks))
}

/// One warning per character that no font has, with the word it is in.
fn missing_glyph_warnings(
    styled: &StyledText,
    measured: &Measured,
    warnings: &mut Vec<Diagnostic>,
) {
    for word in &measured.words {
        for shaped_run in &measured.shaped_runs[word.shaped_runs.clone()] {
            for &c in &shaped_run.shaped.missing {
                let context = &styled.text[word.start..word.end];
                let message = format!(
                    "no font has the character U+{:04X} `{c}`: it prints as a box and extracts \
                     as U+FFFD, in “{context}”",
                    c as u32
                );
                if !warnings.iter().any(|w| w.message == message) {
                    warnings.push(Diagnostic::warning("missing-glyph", message).hint(
                        "use another character, or name a font that has it under \
                         `fonts.fallback` in issue.yaml",
                    ));
                }
            }
        }
    }
}

/// Longest part of a broken word quoted in a warning, characters.
const QUOTED_WORD_CHARS: usize = 48;

/// One warning per word broken between characters at an emergency break.
fn emergency_break_warnings(
    styled: &StyledText,
    measured: &Measured,
    positions: &[usize],
    warnings: &mut Vec<Diagnostic>,
) {
    let mut broken: Vec<usize> = Vec::new();
    for &b in positions.iter().filter(|&&b| measured.origins[b] == Origin::Emergency) {
        let word = measured.origins[..b].iter().rev().find_map(|o| match *o {
            Origin::Text { word, .. } => Some(word),
            _ => None,
        });
        if let Some(word) = word
            && !broken.contains(&word)
        {
            broken.push(word);
        }
    }
    for word in broken {
        let word = &measured.words[word];
        let text = &styled.text[word.start..word.end];
        let mut quoted: String = text.chars().take(QUOTED_WORD_CHARS).collect();
        if text.chars().count() > QUOTED_WORD_CHARS {
            quoted.push('…');
        }
        warnings.push(
            Diagnostic::warning(
                "emergency-break",
                format!(
                    "“{quoted}” is wider than the column: it is broken between characters, \
                     without a hyphen"
                ),
            )
            .hint("put a space or a break opportunity in it, shorten it, or set it apart"),
        );
    }
}

/// The natural one-line width (see [`TextEngine::measure`]).
pub(super) fn natural_width(
    engine: &TextEngine,
    spans: &[InlineRun],
    style: &ParagraphStyle,
) -> f32 {
    let styled = collect(spans, style);
    let mut key = String::new();
    let measured = measure(engine, &styled, style, Hyphenation::Off, None, &mut key);
    let mut total: f32 = measured
        .elements
        .iter()
        .map(|element| match *element {
            Element::Box { width, .. } => width,
            Element::Glue { width, .. } => width,
            Element::Penalty { .. } => 0.0,
        })
        .sum();
    if style.tracking != 0.0 && !measured.words.is_empty() {
        total -= style.tracking * style.size;
    }
    total
}

#[cfg(test)]
pub(crate) mod tests;
