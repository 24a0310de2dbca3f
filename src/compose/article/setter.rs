//! The setter: one article's text through the `text` stage, with its warnings located in the
//! article's file, and the small helpers every part uses to stack the lines it gets back.

use std::path::{Path, PathBuf};

use crate::compose::Grid;
use crate::compose::display::Item;
use crate::compose::flow::{LinesPiece, line_items};
use crate::compose::labels::{self, ResolvedLabels};
use crate::diag::Diagnostic;
use crate::model::{Align, FontRole, InlineRun, IssueConfig, Lang, Microtype, TextStyle};
use crate::text::{Line, ParagraphStyle, TextEngine};

/// Sets text for one article (or for the page furniture) and keeps the warnings.
pub struct Setter<'a> {
    pub(super) engine: &'a TextEngine,
    pub(super) config: &'a IssueConfig,
    pub(super) grid: &'a Grid,
    pub(super) lang: Lang,
    pub(super) labels: ResolvedLabels,
    pub(super) warnings: Vec<Diagnostic>,
    file: PathBuf,
    /// The source line that warnings without one of their own are located at.
    pub(super) line: usize,
    /// Whether body paragraphs keep what they were set from (a planned story, for copyfit).
    pub(super) keep_sources: bool,
}

impl<'a> Setter<'a> {
    /// A setter for text in `lang`, reporting against `file`.
    pub fn new(
        engine: &'a TextEngine,
        config: &'a IssueConfig,
        grid: &'a Grid,
        lang: Lang,
        file: &Path,
    ) -> Self {
        Setter {
            engine,
            config,
            grid,
            lang,
            labels: labels::labels(config, lang),
            warnings: Vec::new(),
            file: file.to_path_buf(),
            line: 1,
            keep_sources: false,
        }
    }

    /// The warnings of everything set so far, located in the setter's file.
    pub fn into_warnings(self) -> Vec<Diagnostic> {
        self.warnings
    }

    /// Takes the warnings so far as findings about a setting of the issue rather than a line
    /// of a file: the page furniture's text comes from `issue.yaml` (`field`, when one field
    /// holds it) or from the defaults.
    pub fn take_issue_warnings(&mut self, field: Option<&str>) -> Vec<Diagnostic> {
        self.warnings
            .drain(..)
            .map(|mut warning| {
                (warning.line, warning.column) = (None, None);
                warning.field = field.map(str::to_string);
                warning
            })
            .collect()
    }

    /// Locates a finding of this setter's article: at `line` of its file when known.
    pub(super) fn locate(&self, finding: Diagnostic, line: Option<usize>) -> Diagnostic {
        match line {
            Some(line) => finding.at_source_line(&self.file, line),
            None => finding.in_file(&self.file),
        }
    }

    /// The paragraph style of a text style.
    pub fn paragraph_style(&self, style: &TextStyle) -> ParagraphStyle {
        let fonts = self.engine.fonts();
        let family = match style.role {
            FontRole::Body => fonts.body,
            FontRole::Heading => fonts.heading,
            FontRole::Kicker => fonts.kicker,
            FontRole::Caption => fonts.caption,
        };
        ParagraphStyle {
            family,
            emphasis: style.emphasis,
            size: style.size,
            align: style.align,
            first_indent: 0.0,
            lang: self.lang,
            hyphenate: style.align == Align::Justify,
            looseness: 0,
            uppercase: style.uppercase,
            tracking: 0.0,
            microtype: match style.align {
                Align::Justify => self.config.microtype.justified,
                _ => Microtype::NONE,
            },
        }
    }

    /// Sets runs in a style at a width, keeping the warnings (located at the current line).
    pub fn set_with(
        &mut self,
        runs: &[InlineRun],
        style: &ParagraphStyle,
        width: f32,
    ) -> Vec<Line> {
        let set = self.engine.set_paragraph(runs, style, width);
        let (file, line) = (&self.file, self.line);
        self.warnings.extend(set.warnings.into_iter().map(|w| {
            let w = if w.file.is_none() { w.in_file(file) } else { w };
            if w.line.is_none() { w.at(line, 0) } else { w }
        }));
        set.lines
    }

    /// Sets runs in a text style at a width.
    pub fn set(&mut self, runs: &[InlineRun], style: &TextStyle, width: f32) -> Vec<Line> {
        let paragraph = self.paragraph_style(style);
        self.set_with(runs, &paragraph, width)
    }

    /// Re-breaks a heading (headline, intertitle) set as `lines` when its last line holds a
    /// single short word: the same runs at narrower measures, step by step, and the first
    /// setting with as many lines whose last line holds more than one word. A justified
    /// style is left as it is: a narrower measure would pull its lines off the right edge.
    pub(super) fn rebreak_lone_word(
        &mut self,
        runs: &[InlineRun],
        style: &TextStyle,
        width: f32,
        lines: Vec<Line>,
    ) -> Vec<Line> {
        if style.align == Align::Justify || !lone_short_word(&lines, width) {
            return lines;
        }
        let mut share = 1.0 - REBREAK_STEP;
        while share >= REBREAK_MIN_SHARE {
            let before = self.warnings.len();
            let trial = self.set(runs, style, width * share);
            if trial.len() == lines.len()
                && !lone_short_word(&trial, width)
                && self.warnings.len() == before
            {
                return trial;
            }
            self.warnings.truncate(before);
            share -= REBREAK_STEP;
        }
        lines
    }

    /// Sets plain text.
    pub fn set_text(&mut self, text: &str, style: &TextStyle, width: f32) -> Vec<Line> {
        self.set(&[InlineRun::plain(text)], style, width)
    }

    /// Stacks lines at `y` (top of the first slot), moving `y` down; returns the items.
    /// The lines go at `x` as they were set: the text stage has already centred a centred
    /// line in its measure.
    pub(super) fn stack(
        &self,
        lines: &[Line],
        style: &TextStyle,
        x: f32,
        y: &mut f32,
    ) -> Vec<Item> {
        let mut items = Vec::new();
        for line in lines {
            let baseline = *y + ascent(style);
            items.extend(line_items(line, x, baseline, style.color));
            *y += style.leading;
        }
        items
    }

    /// Lines as a breakable piece of the column flow.
    pub(super) fn lines_piece(
        &self,
        lines: Vec<Line>,
        style: &TextStyle,
        space_before: f32,
    ) -> LinesPiece {
        LinesPiece {
            lines,
            leading: style.leading,
            ascent: ascent(style),
            color: style.color,
            space_before,
            keep_with_next: false,
            indent: 0.0,
            first_line_extras: Vec::new(),
            source: None,
        }
    }
}

/// Each step by which [`Setter::rebreak_lone_word`] narrows a heading's measure, as a
/// share of it: small enough to move one word down at a time.
const REBREAK_STEP: f32 = 0.03;

/// The narrowest measure a heading is re-broken at, as a share of its own: narrower, its
/// ragged edge would look deliberately indented.
const REBREAK_MIN_SHARE: f32 = 0.7;

/// A last line with one word is a lone short word when it takes less than this share of
/// the measure: a long word alone reads as a line, a short one as a leftover.
const SHORT_WORD_SHARE: f32 = 0.25;

/// Whether the last of two or more `lines` set `width` wide holds one short word.
fn lone_short_word(lines: &[Line], width: f32) -> bool {
    let [.., last] = lines else { return false };
    let words: usize = last.runs.iter().map(|r| r.text.split_whitespace().count()).sum();
    lines.len() >= 2 && words == 1 && last.width < SHORT_WORD_SHARE * width
}

/// From the top of a line slot to the baseline: the slot's half-leading plus the ascent of
/// capitals and ascenders (about 0.8 em in text faces).
pub fn ascent(style: &TextStyle) -> f32 {
    (style.leading - style.size) / 2.0 + 0.8 * style.size
}

/// Rounds `value` up to a whole number of `grid` steps, so what follows stays on the
/// baseline grid.
pub fn snap_up(value: f32, grid: f32) -> f32 {
    if grid <= 0.0 {
        return value;
    }
    (value / grid - 1e-3).ceil() * grid
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compose::tests::engine;
    use crate::load::default_config;

    /// The text stage centres a centred line in its measure; stacking it must not move it
    /// again (it once did, and centred lines landed three quarters across).
    #[test]
    fn a_centred_line_is_stacked_in_the_middle_of_its_measure() {
        let config = default_config();
        let engine = engine(&config);
        let grid = Grid::new(&config);
        let mut setter = Setter::new(&engine, &config, &grid, Lang::Fr, Path::new("a.md"));
        let mut style = config.styles.standfirst.clone();
        style.align = Align::Center;
        let (x, width) = (40.0, 300.0);
        let lines = setter.set_text("Au centre", &style, width);
        let mut y = 0.0;
        let items = setter.stack(&lines, &style, x, &mut y);
        let ink: Vec<(f32, f32)> = items
            .iter()
            .filter_map(|item| match item {
                Item::Text { x, run, .. } => {
                    let end = run.glyphs.last().map_or(0.0, |g| g.x + g.advance);
                    Some((x + run.x, x + run.x + end))
                }
                _ => None,
            })
            .collect();
        let left = ink.iter().map(|i| i.0).fold(f32::MAX, f32::min);
        let right = ink.iter().map(|i| i.1).fold(f32::MIN, f32::max);
        assert!(right - left < width / 2.0, "a short line: {left}..{right}");
        assert!(((left - x) - (x + width - right)).abs() < 0.5, "{left}..{right} in {x}+{width}");
    }
}
