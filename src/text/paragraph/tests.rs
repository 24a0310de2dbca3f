//! Tests of paragraph setting: the whole inline pipeline, from runs to lines.

use super::*;
use crate::fonts::{FontBook, bundled_family};
use crate::model::{Emphasis, FontFamily, FontRoles, FontSource, HyphenationSpec, Lang, Microtype};
use crate::text::Line;
use crate::text::protrusion::ProtrusionTable;

pub(crate) fn engine_with(body: FontFamily, exceptions: &[&str]) -> TextEngine {
    let book = FontBook::new(&FontRoles {
        body,
        heading: bundled_family("LiberationSans"),
        kicker: bundled_family("LiberationSans"),
        caption: bundled_family("LiberationSerif"),
        fallback: Vec::new(),
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
        microtype: Microtype::JUSTIFIED,
    }
}

/// The body paragraphs of the reference article (front matter and short lines skipped).
pub(crate) fn seed_paragraphs() -> Vec<String> {
    let text = include_str!("../../../tests/fixtures/text/liberte-actus-1719.md");
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
    for run in line.runs.iter() {
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
    for run in line.runs.iter() {
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
    let microtype = Microtype { protrusion: 1.0, ..Microtype::JUSTIFIED };
    let style = ParagraphStyle { microtype, ..style(&engine) };
    for width in [120.0, 161.0, 240.0] {
        for p in seed_paragraphs() {
            let set = set(&engine, &p, &style, width);
            assert!(set.warnings.is_empty(), "{:?}", set.warnings);
            let table = ProtrusionTable::default();
            for line in set.lines.iter().filter(|l| !l.last) {
                assert!((line.width - width).abs() < 0.01, "{} vs {width}", line.width);
                // The last glyph ends past the measure by what of it hangs out, and the
                // first starts before it the same way.
                let last_run = line.runs.last().expect("runs");
                let g = last_run.glyphs.last().expect("glyphs");
                let c = last_run.text[g.text_start as usize..].chars().next().expect("char");
                let hang = table.codes(c)[1] * g.advance;
                assert!((last_run.x + g.x + g.advance - width - hang).abs() < 0.01, "{c}");
                let first = &line.runs[0];
                let c = first.text.chars().next().expect("char");
                assert!((first.x + table.codes(c)[0] * first.glyphs[0].advance).abs() < 0.01);
            }
            assert!(set.lines.last().is_some_and(|l| l.last && l.width <= width + 0.01));
        }
    }
}

#[test]
fn hyphenated_runs_respect_the_limit() {
    let engine = engine();
    let style = style(&engine);
    let (mut hyphenated, mut last_words) = (0, 0);
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
            // The last word is hyphenated only when nothing else is within tolerance, and
            // then never leaves fewer than five letters on the last line.
            let last = line_text(set.lines.last().expect("line"));
            if set.lines.len() >= 2 && set.lines[set.lines.len() - 2].hyphenated {
                let letters = last.chars().filter(|c| c.is_alphabetic()).count();
                assert!(last.contains(' ') || letters >= 5, "{last:?} at {width} pt in {p}");
                last_words += usize::from(!last.contains(' '));
            }
        }
    }
    assert!(hyphenated > 0, "narrow columns should use hyphenation");
    assert!(last_words * 20 < hyphenated, "{last_words} last words of {hyphenated} hyphens");
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
fn a_url_wider_than_the_column_gets_emergency_breaks_and_a_warning() {
    let engine = engine();
    let style = style(&engine);
    let url = "https://example.org/unCheminTresLongSansAucuneCoupurePossibleNiTiret1234567890";
    let set = set(&engine, &format!("Lire {url} demain."), &style, 100.0);
    assert!(set.lines.len() >= 3);
    assert!(set.lines.iter().all(|l| l.width <= 100.5), "every line inside the column");
    let kinds: Vec<_> = set.warnings.iter().map(|w| w.kind).collect();
    assert_eq!(kinds, ["emergency-break"], "{:?}", set.warnings);
    assert!(set.warnings[0].message.contains("https://example.org/unChemin"));
    // Broken without hyphens: the lines give the URL back, character for character.
    assert!(set.lines.iter().all(|l| !l.hyphenated));
    let text: String =
        set.lines.iter().flat_map(|l| l.runs.iter().map(|r| r.text.as_str())).collect();
    assert!(text.contains(url), "{text}");
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
            for r in line.runs.iter() {
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

const SEED: &str = include_str!("../../../tests/fixtures/text/liberte-actus-1719.md");
const SEED_PAGE: &str = include_str!("../../../tests/fixtures/seed-termes/articles/seed.md");
const LIBRARY: &str =
    include_str!("../../../issues/liberte-actus-1719/articles/03-bibliotheque.md");
const STORM: &str = include_str!("../../../issues/liberte-actus-1719/articles/02-storm-warning.md");
const GERMAN: &str = include_str!("../../../tests/fixtures/text/de-hafen.md");
const SPANISH: &str = include_str!("../../../tests/fixtures/text/es-biblioteca.md");

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
                for run in line.runs.iter() {
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
            let source = collect(&[InlineRun::plain(p.as_str())], &style).text;
            assert_eq!(squeeze(&text), squeeze(&source));
        }
    }
}

#[test]
fn the_limit_on_hyphenated_lines_never_makes_a_line_overfull() {
    // Every break in the compound follows a hyphen typed in it: after two such lines the
    // limit of two consecutive hyphenated lines left no break but an overfull line.
    let engine = engine();
    let mut style = style(&engine);
    style.align = Align::Left;
    style.size = 7.0;
    let text = "site Liberté-Actus-Hebdomadaire-Régionale-des-Pays-de-la-Loire-et-d’ailleurs :";
    let set = set(&engine, text, &style, 70.0);
    assert!(set.lines.iter().all(|l| l.width <= 70.5), "{:?}", set.lines);
    assert!(set.warnings.is_empty(), "{:?}", set.warnings);
}

/// The seed paragraphs set at `width` with `microtype`: the lines of each.
fn set_all(engine: &TextEngine, microtype: Microtype, width: f32) -> Vec<Vec<Line>> {
    let style = ParagraphStyle { microtype, ..style(engine) };
    seed_paragraphs().iter().map(|p| set(engine, p, &style, width).lines).collect()
}

/// Font expansion: 2 % at most, in steps of 0.5 %.
const EXPANDED: Microtype = Microtype { expansion: 0.02, ..Microtype::JUSTIFIED };

#[test]
fn a_lines_expansion_stays_within_its_bound_and_steps() {
    let engine = engine();
    let mut expanded = 0;
    for lines in set_all(&engine, EXPANDED, 130.0) {
        for line in &lines {
            let scale = line.runs[0].scale;
            assert!(line.runs.iter().all(|r| r.scale == scale), "one scale a line");
            assert!((0.98 - 1e-6..=1.02 + 1e-6).contains(&scale), "{scale}");
            let steps = (scale - 1.0) / 0.005;
            assert!((steps - steps.round()).abs() < 1e-3, "{scale} is not a step");
            expanded += usize::from(scale != 1.0);
        }
    }
    assert!(expanded > 5, "only {expanded} lines expanded or condensed");
}

#[test]
fn expansion_lowers_the_loosest_line_of_a_hard_paragraph() {
    let engine = engine();
    let loosest =
        |lines: &[Line]| lines.iter().filter(|l| !l.last).map(|l| l.ratio).fold(f32::MIN, f32::max);
    let plain = set_all(&engine, Microtype::JUSTIFIED, 120.0);
    let expanded = set_all(&engine, EXPANDED, 120.0);
    // The hardest paragraph: the one with the loosest line without expansion.
    let (hard, worst) = plain
        .iter()
        .enumerate()
        .map(|(i, lines)| (i, loosest(lines)))
        .max_by(|a, b| a.1.total_cmp(&b.1))
        .expect("paragraphs");
    assert!(worst > 0.8, "{worst}: not a hard paragraph");
    let with = loosest(&expanded[hard]);
    assert!(with < worst - 0.1, "{with} vs {worst}");
}

/// A list item of two or three lines whose only set of lines within tolerance hyphenates its
/// last word gets that set, the tail on the last line at least five letters long, rather than
/// word spaces stretched to twice their width by the final pass.
#[test]
fn a_short_paragraph_may_hyphenate_its_last_word_rather_than_gape() {
    let engine = engine();
    let style = ParagraphStyle { lang: Lang::De, ..style(&engine) };
    let text = "rund fünfunddreißig Prozent aus dem Holzkessel, der Rest aus der Wärmepumpe;";
    for width in [140.0, 145.0] {
        let set = set(&engine, text, &style, width);
        let lines: Vec<String> = set.lines.iter().map(line_text).collect();
        let (last, rest) = set.lines.split_last().unwrap();
        assert!(rest.iter().all(|l| l.ratio <= 1.5), "a line set loose at {width}: {lines:?}");
        assert!(rest.last().unwrap().hyphenated, "{lines:?}");
        let tail = line_text(last);
        assert!(tail.trim_end_matches(';').chars().count() >= 5, "tail {tail:?}");
    }
}
