//! One command for a whole weekly issue: loads it, sets the articles in parallel, composes
//! the pages, checks them, renders and writes the outputs, and reports what happened.
//!
//! An article that fails is reported and left out; the others are still built. Outputs go
//! through [`output::write_atomic`], so no run ever leaves a half-written PDF.

pub mod output;
pub mod report;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use rayon::prelude::*;
use sha2::{Digest, Sha256};

use crate::check;
use crate::compose::article::{self, PreparedArticle, QrInput};
use crate::compose::display::{Item, Page};
use crate::compose::flow::BlockPiece;
use crate::compose::{self, Grid};
use crate::diag::{Diagnostic, Severity};
use crate::geom::to_mm;
use crate::load::model::{Article, Issue, Marks, QrPlacement, Standard};
use crate::load::{self, LoadOptions};
use crate::qr;
use crate::render::{self, RenderOptions};
use crate::text::TextEngine;
use crate::text::fonts::FontBook;
use report::{ArticleReport, OutputReport, PhotoReport, QrReport, Report, Summary};

/// How outputs are cut into files.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Split {
    /// The whole issue in one PDF.
    Issue,
    /// One PDF per page, named by the issue's pattern.
    Pages,
    /// One PDF per article.
    Articles,
}

/// What to do, as chosen on the command line.
#[derive(Debug, Clone)]
pub struct Options {
    /// Output folder; default `out/` beside the input.
    pub output: Option<PathBuf>,
    /// How to cut the output.
    pub split: Split,
    /// Override of `output.standard`.
    pub standard: Option<Standard>,
    /// Override of `output.marks`.
    pub marks: Option<Marks>,
    /// Treat warnings as failures.
    pub strict: bool,
    /// Allow photos outside the issue folder.
    pub allow_outside: bool,
    /// Write files (`build`) or only check (`check`).
    pub write: bool,
    /// Show a progress bar on stderr (when it is a terminal).
    pub progress: bool,
}

/// The result of a run: the report and the process exit code (0 success, 1 content errors).
#[derive(Debug)]
pub struct Outcome {
    /// What happened.
    pub report: Report,
    /// 0 when everything was produced, 1 otherwise.
    pub exit_code: i32,
}

/// An article after the text stage, or why it failed.
struct Prepared {
    article: Option<Article>,
    file: PathBuf,
    result: Result<PreparedArticle, Vec<Diagnostic>>,
    warnings: Vec<Diagnostic>,
    photos: Vec<PhotoReport>,
    qr: Option<QrReport>,
}

/// Builds (or checks) the issue or article at `input`.
pub fn run(input: &Path, options: &Options) -> Outcome {
    let started = Instant::now();
    let command = if options.write { "build" } else { "check" };
    let mut report = Report {
        version: report::REPORT_VERSION,
        input: input.display().to_string(),
        command,
        ok: false,
        issue: Vec::new(),
        articles: Vec::new(),
        outputs: Vec::new(),
        summary: Summary::default(),
    };
    let mut stage_start = Instant::now();
    let mut lap = |report: &mut Report, name: &'static str| {
        let now = Instant::now();
        report.summary.stages.insert(name, round3(now.duration_since(stage_start).as_secs_f64()));
        stage_start = now;
    };
    let issue = match load::load_issue(input, &LoadOptions { allow_outside: options.allow_outside })
    {
        Ok(issue) => issue,
        Err(errors) => {
            report.issue = errors;
            return finish(report, started, options.strict);
        }
    };
    let mut config = issue.config.clone();
    if let Some(standard) = options.standard {
        config.output.standard = standard;
    }
    if let Some(marks) = options.marks {
        config.output.marks = marks;
    }
    report.issue.extend(issue.warnings.iter().cloned());
    let fonts = match FontBook::new(&config.fonts) {
        Ok(fonts) => fonts,
        Err(e) => {
            let mut d = Diagnostic::error("missing-font", e.to_string()).field("fonts");
            if let Some(file) = &issue.config_file {
                d = d.in_file(file);
            }
            report.issue.push(d);
            return finish(report, started, options.strict);
        }
    };
    let engine = TextEngine::new(fonts, &config.hyphenation);
    let grid = Grid::new(&config);
    lap(&mut report, "load");
    let progress = progress_bar(options.progress, issue.articles.len() as u64);

    let prepared: Vec<Prepared> = issue
        .articles
        .par_iter()
        .map(|entry| {
            let result = prepare_entry(entry, &engine, &config, &grid, options.strict);
            progress.inc(1);
            result
        })
        .collect();
    progress.finish_and_clear();
    lap(&mut report, "text");

    let ok: Vec<(&Path, &PreparedArticle)> = prepared
        .iter()
        .filter_map(|p| p.result.as_ref().ok().map(|a| (p.file.as_path(), a)))
        .collect();
    let boilerplate = article::boilerplate_blocks(&engine, &config, &grid);
    let mut placements = Vec::new();
    let mut pages = Vec::new();
    if !ok.is_empty() {
        let articles: Vec<&PreparedArticle> = ok.iter().map(|(_, a)| *a).collect();
        let composition = compose::compose(&engine, &config, &articles, &boilerplate, 1);
        placements = composition.articles;
        pages = composition.pages;
    }

    let mut placed = placements.into_iter();
    for p in &prepared {
        let placement = if p.result.is_ok() { placed.next() } else { None };
        let (errors, status) = match &p.result {
            Ok(_) => (Vec::new(), "ok"),
            Err(errors) => (errors.clone(), "failed"),
        };
        let mut warnings = p.warnings.clone();
        if let Some(pl) = placement.as_ref().filter(|pl| pl.overset) {
            warnings.push(
                Diagnostic::warning(
                    "overset",
                    format!(
                        "some text is taller than a column and was set past the type area on page {}",
                        pl.pages.last().copied().unwrap_or(1)
                    ),
                )
                .in_file(&p.file),
            );
        }
        report.articles.push(ArticleReport {
            file: p.file.display().to_string(),
            title: p.article.as_ref().map(|a| a.title.clone()),
            status,
            pages: placement.as_ref().map(|pl| pl.pages.clone()).unwrap_or_default(),
            errors,
            warnings,
            overset: placement.as_ref().is_some_and(|pl| pl.overset),
            underset_mm: placement.as_ref().map_or(0.0, |pl| round1(to_mm(pl.underset))),
            photos: p.photos.clone(),
            qr: p.qr.clone(),
        });
    }
    report.summary.pages = pages.len();
    lap(&mut report, "compose");

    // `check` renders too (a corrupt photo must show up there), it only writes nothing.
    if !pages.is_empty() {
        let files = plan_outputs(
            &config,
            &engine,
            &ok,
            &report.articles,
            &boilerplate,
            &pages,
            input,
            options.split,
        );
        let render_options = render_options(&config, &issue);
        // Render every file first, then write them all: a render failure (an unreadable
        // photo) is known before anything touches the output folder.
        let rendered: Vec<Result<(&str, usize, render::Rendered), Diagnostic>> = files
            .par_iter()
            .map(|(name, file_pages)| {
                let mut opts = render_options.clone();
                opts.slug = format!("{} · {}", name, opts.slug);
                let rendered = render::render_pdf(file_pages, engine.fonts(), &opts)?;
                Ok((name.as_str(), file_pages.len(), rendered))
            })
            .collect();
        lap(&mut report, "render");
        if !options.write {
            for result in rendered {
                match result {
                    Ok((_, _, rendered)) => report.issue.extend(rendered.warnings),
                    Err(error) => report.issue.push(error),
                }
            }
            return finish(report, started, options.strict);
        }
        let out_dir = options.output.clone().unwrap_or_else(|| default_output(input, &issue));
        output::remove_stale_temporaries(&out_dir);
        let written: Vec<Result<OutputReport, Diagnostic>> = rendered
            .into_par_iter()
            .map(|result| {
                let (name, pages, rendered) = result?;
                let path = out_dir.join(name);
                // The report's SHA-256 is computed while the kernel takes the bytes and the
                // disk syncs them.
                let (status, sha256) = rayon::join(
                    || output::write_atomic(&path, &rendered.bytes),
                    || Sha256::digest(&rendered.bytes),
                );
                let status = status.map_err(|e| {
                    Diagnostic::error("io", format!("cannot write {}: {e}", path.display()))
                        .in_file(&path)
                })?;
                Ok(OutputReport {
                    path: path.display().to_string(),
                    pages,
                    bytes: rendered.bytes.len(),
                    sha256: hex(&sha256),
                    status,
                    warnings: rendered.warnings,
                    images: rendered
                        .images
                        .into_iter()
                        .map(|i| report::ImageReport {
                            file: i.path.display().to_string(),
                            page: i.page,
                            ppi: round1(i.ppi),
                            passthrough: i.passthrough,
                            color: i.color,
                        })
                        .collect(),
                })
            })
            .collect();
        for result in written {
            match result {
                Ok(output) => report.outputs.push(output),
                Err(error) => report.issue.push(error),
            }
        }
        lap(&mut report, "write");
    }
    finish(report, started, options.strict)
}

/// Loads nothing, sets everything: one article through the text stage and its checks.
fn prepare_entry(
    entry: &load::model::ArticleEntry,
    engine: &TextEngine,
    config: &load::model::IssueConfig,
    grid: &Grid,
    strict: bool,
) -> Prepared {
    let article = match &entry.article {
        Ok(article) => article,
        Err(errors) => {
            return Prepared {
                article: None,
                file: entry.path.clone(),
                result: Err(errors.clone()),
                warnings: Vec::new(),
                photos: Vec::new(),
                qr: None,
            };
        }
    };
    let mut errors = Vec::new();
    let mut warnings = article.warnings.clone();
    let (qr_input, qr_report) = match article_qr(article, config) {
        Ok(Some((input, report))) => (Some(input), Some(report)),
        Ok(None) => (None, None),
        Err(e) => {
            errors.push(e);
            (None, None)
        }
    };
    let result = if errors.is_empty() {
        article::prepare(engine, config, grid, article, qr_input.as_ref())
    } else {
        Err(errors)
    };
    let mut photos = Vec::new();
    let result = result.and_then(|prepared| {
        warnings.extend(prepared.warnings.iter().cloned());
        let mut errors = Vec::new();
        if let (Some(lead), Some(photo)) = (&prepared.lead, &article.photo) {
            for item in &lead.items {
                if let Item::Image { frame, placement, pixels, path } = item {
                    let ppi = check::effective_ppi(*pixels, placement);
                    photos.push(PhotoReport {
                        file: path.display().to_string(),
                        pixels: *pixels,
                        frame_mm: (round1(to_mm(frame.width)), round1(to_mm(frame.height))),
                        ppi: round1(ppi),
                    });
                    let finding = check::photo_resolution(
                        path,
                        ppi,
                        &config.photo,
                        photo.accept_low_resolution,
                    );
                    if let Some(finding) = finding {
                        let finding = finding.in_file(&article.path).field("photo.file");
                        let finding = match photo.line {
                            Some(line) => finding.at_source_line(&article.path, line),
                            None => finding,
                        };
                        if finding.is_error() {
                            errors.push(finding)
                        } else {
                            warnings.push(finding)
                        }
                    }
                }
            }
        }
        if strict {
            // --strict: every warning is an error (and is counted once, as an error).
            errors.extend(warnings.drain(..).map(|mut w| {
                w.severity = Severity::Error;
                w
            }));
        }
        if errors.is_empty() { Ok(prepared) } else { Err(errors) }
    });
    Prepared {
        article: Some(article.clone()),
        file: entry.path.clone(),
        result,
        warnings,
        photos,
        qr: qr_report,
    }
}

/// The article's URL, validated, encoded and checked by decoding it after a simulated print.
fn article_qr(
    article: &Article,
    config: &load::model::IssueConfig,
) -> Result<Option<(QrInput, QrReport)>, Diagnostic> {
    if config.qr.placement == QrPlacement::Off {
        return Ok(None);
    }
    let located = |d: Diagnostic| {
        let d = d.field("url");
        match article.url_line {
            Some(line) => d.at_source_line(&article.path, line),
            None => d.in_file(&article.path),
        }
    };
    let url = match (&article.url, &config.qr.url_pattern, &config.website) {
        (Some(raw), _, _) => qr::normalize_url(raw),
        (None, Some(pattern), Some(site)) => {
            let stem = article
                .path
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
            qr::url_from_pattern(pattern, site, qr::article_id(&stem))
        }
        _ => return Ok(None),
    };
    let url = url.map_err(|problem| {
        let mut d = located(Diagnostic::error("invalid-url", problem.message));
        if let Some(suggestion) = problem.suggestion {
            d = d.hint(format!("did you mean {suggestion}?"));
        }
        d
    })?;
    let address = url.clone();
    let url = qr::with_tracking(&url, &config.qr.tracking);
    let symbol = qr::encode(&url, config.qr.ec_level)
        .map_err(|e| located(Diagnostic::error("qr", format!("cannot encode the URL: {e}"))))?;
    let module_mm = to_mm(config.qr.module);
    check::qr_self_check(&symbol, module_mm, &url).map_err(located)?;
    let printed = qr::QrReport::new(&symbol, module_mm);
    let report = QrReport {
        payload: printed.payload,
        version: printed.version,
        ec_level: format!("{:?}", printed.ec_level),
        size_mm: round1(printed.size_mm),
        module_mm: round2(printed.module_mm),
        verified: true,
    };
    Ok(Some((QrInput { symbol: Arc::new(symbol), url, address }, report)))
}

/// The files to write and the pages of each.
#[allow(clippy::too_many_arguments)]
fn plan_outputs(
    config: &load::model::IssueConfig,
    engine: &TextEngine,
    ok: &[(&Path, &PreparedArticle)],
    placed: &[ArticleReport],
    boilerplate: &[BlockPiece],
    pages: &[Page],
    input: &Path,
    split: Split,
) -> Vec<(String, Vec<Page>)> {
    let date = config
        .date
        .map(|d| format!("{:04}-{:02}-{:02}", d.year, d.month, d.day))
        .unwrap_or_default();
    let values = [
        ("publication", config.publication.clone()),
        ("date", date.clone()),
        ("number", config.number.clone().unwrap_or_default()),
    ];
    let mut files = match split {
        Split::Issue => {
            let name = if input.is_file() {
                input.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default()
            } else {
                let parts: Vec<&str> = [config.publication.as_str(), date.as_str()]
                    .into_iter()
                    .filter(|s| !s.is_empty())
                    .collect();
                parts.join(" ")
            };
            vec![(format!("{}.pdf", output::slug(&name)), pages.to_vec())]
        }
        Split::Pages => pages
            .iter()
            .map(|page| {
                (
                    output::fill_pattern(&config.page_file_pattern, &values, page.number),
                    vec![page.clone()],
                )
            })
            .collect(),
        Split::Articles => {
            // Each article alone, numbered from the page it starts on in the issue.
            let starts = placed.iter().filter(|a| a.status == "ok").map(|a| a.pages.first());
            let mut files = Vec::new();
            for ((file, prepared), start) in ok.iter().zip(starts) {
                let first = start.copied().unwrap_or(1);
                let composition = compose::compose(engine, config, &[prepared], boilerplate, first);
                let stem =
                    file.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
                files.push((format!("{}.pdf", output::slug(&stem)), composition.pages));
            }
            files
        }
    };
    let mut names: Vec<String> = files.iter().map(|(name, _)| name.clone()).collect();
    output::distinct_names(&mut names, if split == Split::Articles { "article" } else { "issue" });
    for ((name, _), distinct) in files.iter_mut().zip(names) {
        *name = distinct;
    }
    files
}

/// Render settings from the issue.
fn render_options(config: &load::model::IssueConfig, issue: &Issue) -> RenderOptions {
    // The PDF's dates come from the input, never the clock, so builds are reproducible:
    // the issue date, else SOURCE_DATE_EPOCH (reproducible-builds.org), else an article's.
    let date = config.date.or_else(source_date_epoch).or_else(|| {
        issue
            .articles
            .iter()
            .find_map(|a| a.article.as_ref().ok().and_then(|a| a.updated.or(a.date)))
    });
    let date = date.map_or((2000, 1, 1), |d| (d.year, d.month, d.day));
    let standard = match config.output.standard {
        Standard::PdfX4 => "PDF/X-4",
        Standard::PdfX1a => "PDF/X-1a:2001",
        Standard::None => "PDF",
    };
    RenderOptions {
        output: config.output.clone(),
        title: match &config.number {
            Some(n) => format!("{} {n}", config.publication),
            None => config.publication.clone(),
        },
        lang: config.lang.tag().to_string(),
        date,
        slug: format!("{:04}-{:02}-{:02} · {standard}", date.0, date.1, date.2),
        max_pixels: config.photo.max_pixels,
    }
}

/// The calendar date of `SOURCE_DATE_EPOCH` (seconds since 1970-01-01 UTC), if set.
fn source_date_epoch() -> Option<load::model::Date> {
    let seconds: i64 = std::env::var("SOURCE_DATE_EPOCH").ok()?.trim().parse().ok()?;
    // Far beyond any printable year: ignore rather than wrap.
    if !(0..=253_402_300_799).contains(&seconds) {
        return None;
    }
    Some(civil_date(seconds / 86_400))
}

/// Days since 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's algorithm).
fn civil_date(days: i64) -> load::model::Date {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = (yoe + era * 400 + i64::from(month <= 2)) as i32;
    load::model::Date { year, month, day }
}

fn default_output(input: &Path, issue: &Issue) -> PathBuf {
    if input.is_file() { issue.root.join("out") } else { input.join("out") }
}

fn progress_bar(enabled: bool, len: u64) -> indicatif::ProgressBar {
    if !enabled {
        return indicatif::ProgressBar::hidden();
    }
    // indicatif draws nothing when stderr is not a terminal.
    let bar = indicatif::ProgressBar::new(len);
    if let Ok(style) =
        indicatif::ProgressStyle::with_template("{spinner} setting articles {bar:30} {pos}/{len}")
    {
        bar.set_style(style);
    }
    bar
}

fn finish(mut report: Report, started: Instant, strict: bool) -> Outcome {
    let mut warnings: BTreeMap<String, usize> = BTreeMap::new();
    let mut errors: BTreeMap<String, usize> = BTreeMap::new();
    for d in report.diagnostics() {
        let table = if d.is_error() { &mut errors } else { &mut warnings };
        *table.entry(d.kind.to_string()).or_default() += 1;
    }
    report.summary.articles = report.articles.len();
    report.summary.failed = report.articles.iter().filter(|a| a.status == "failed").count();
    report.summary.warnings = warnings;
    report.summary.errors = errors;
    report.summary.seconds = round3(started.elapsed().as_secs_f64());
    let issue_failed = report.issue.iter().any(Diagnostic::is_error);
    // With --strict a warning anywhere (issue.yaml, overset, a photo's profile) fails the run.
    let strict_failed = strict && !report.summary.warnings.is_empty();
    report.ok = !issue_failed
        && !strict_failed
        && report.summary.failed == 0
        && report.summary.articles > 0;
    let exit_code = if report.ok { 0 } else { 1 };
    Outcome { report, exit_code }
}

fn round3(v: f64) -> f64 {
    (v * 1000.0).round() / 1000.0
}

fn round2(v: f32) -> f32 {
    (v * 100.0).round() / 100.0
}

fn round1(v: f32) -> f32 {
    (v * 10.0).round() / 10.0
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn epoch_days_to_dates() {
        let date = |d: load::model::Date| (d.year, d.month, d.day);
        assert_eq!(date(civil_date(0)), (1970, 1, 1));
        assert_eq!(date(civil_date(20_342)), (2025, 9, 11));
        assert_eq!(date(civil_date(11_016)), (2000, 2, 29));
    }
}
