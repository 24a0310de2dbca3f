//! One command for a whole weekly issue: loads it, typesets it through the
//! [`crate::pipeline`], writes the outputs, and reports what happened.
//!
//! An article that fails is reported and left out; the others are still built. Outputs go
//! through [`output::write_atomic`], so no run ever leaves a half-written PDF.

pub mod makeup;
pub mod manifest;
pub mod output;
mod preview;
pub mod report;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::time::Instant;

use rayon::prelude::*;

use crate::cache;
use crate::check;
use crate::compose::AutoOutcome;
use crate::compose::display::Page;
use crate::diag::Diagnostic;
use crate::geom::to_mm;
use crate::load::{self, LoadOptions, PROOF_FOLDER};
use crate::model::{Issue, Marks, Standard};
pub use crate::pipeline::Split;
use crate::pipeline::{self, ArticleOutcome, HeldPlace, RenderedFile, SetMemo, Settings};
use crate::qr;
use crate::render;
use crate::text::ParagraphCache;
use report::{ArticleReport, OutputReport, PhotoReport, QrReport, Report, Summary};
use report::{CopyfitReport, CopyfitStep, StaleReport};

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
    /// Make the pages up automatically even when issue.yaml has a page plan (`--auto`).
    pub auto: bool,
    /// Write the page plan the automatic make-up chose to this file (`--plan-out`).
    pub plan_out: Option<PathBuf>,
    /// Write files (`build`) or only check (`check`).
    pub write: bool,
    /// Show a progress bar on stderr (when it is a terminal).
    pub progress: bool,
    /// Draw proof marks on planned pages, in a plain PDF named `…-proof.pdf`.
    pub proof: bool,
    /// Also draw every page as a PNG at this many dots per inch, with a contact sheet.
    pub png: Option<u32>,
    /// Write files that depend on a failed article, with a "MISSING" mark in its place,
    /// instead of leaving their previous versions as they were.
    pub allow_incomplete: bool,
    /// Leave the outputs of a previous build that this one no longer produces (listed as
    /// stale) instead of removing them.
    pub keep_stale: bool,
    /// Keep converted photos in the output folder's build cache and take them from there
    /// (`build` only; `--no-cache` turns it off).
    pub cache: bool,
}

/// Writes the plan the automatic make-up chose to `file` (`--plan-out`), or says why not.
fn write_plan(file: &Path, auto: Option<&AutoOutcome>, issue: &Issue) -> Option<Diagnostic> {
    let Some(auto) = auto else {
        let d = Diagnostic::error(
            "plan-out",
            "--plan-out writes the plan of the automatic make-up, and this issue has none",
        )
        .hint("write `pages: auto` in issue.yaml, or add --auto");
        return Some(d);
    };
    let text = makeup::plan_yaml(&auto.plan, auto, issue);
    output::write_atomic(file, text.as_bytes()).err().map(|e| {
        Diagnostic::error("io", format!("cannot write the plan to {}: {e}", file.display()))
            .in_file(file)
    })
}

/// The result of a run: the report and the process exit code (0 success, 1 content errors).
#[derive(Debug)]
pub struct Outcome {
    /// What happened.
    pub report: Report,
    /// 0 when everything was produced, 1 otherwise.
    pub exit_code: i32,
    /// How many articles were set (under `watch`, those not kept from the last build).
    pub set_again: usize,
}

/// Builds (or checks) the issue or article at `input`.
pub fn run(input: &Path, options: &Options) -> Outcome {
    run_with(input, options, None)
}

/// [`run`], setting again only the articles `memo` does not hold from the last build of
/// this process (`rotative watch`), and leaving this build's in it.
pub fn run_with(input: &Path, options: &Options, memo: Option<&mut SetMemo>) -> Outcome {
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
        withheld: Vec::new(),
        stale: Vec::new(),
        makeup: None,
        summary: Summary::default(),
    };
    let loading = Instant::now();
    // The output folder as far as it is known before loading (the default of a lone
    // article's depends on its issue): where the photo proofs are kept.
    let early_out = options.output.clone().or_else(|| input.is_dir().then(|| input.join("out")));
    let cache = |out: &Path, kind| out.join(cache::CACHE_FOLDER).join(kind);
    let use_cache = options.write && options.cache;
    let photo_proofs = early_out.filter(|_| use_cache).map(|out| cache(&out, PROOF_FOLDER));
    let load_options =
        LoadOptions { allow_outside: options.allow_outside, photo_proofs, auto: options.auto };
    let issue = match load::load_issue(input, &load_options) {
        Ok(issue) => issue,
        Err(errors) => {
            report.issue = errors;
            return finish(report, started, options.strict, 0);
        }
    };
    let load_seconds = loading.elapsed().as_secs_f64();
    let out_dir = options.output.clone().unwrap_or_else(|| default_output(input, &issue));
    let recorded = manifest::Manifest::read(&out_dir);
    // Each article's key in the manifest, resolved once (the issue folder once too): a
    // canonicalize is a `readlink` per folder above the file.
    let root = std::fs::canonicalize(&issue.root).ok();
    let keys: BTreeMap<&Path, String> = issue
        .articles
        .iter()
        .filter_map(|entry| Some((entry.path.as_path(), place_key(root.as_deref()?, &entry.path)?)))
        .collect();
    let held = issue
        .articles
        .iter()
        .filter_map(|entry| {
            let place = recorded.place(keys.get(entry.path.as_path())?)?;
            Some((entry.path.clone(), place))
        })
        .collect();
    let settings = Settings {
        standard: options.standard,
        marks: options.marks,
        strict: options.strict,
        split: options.split,
        proof: options.proof,
        // A lone article's PDF is named after its file.
        issue_name: input
            .is_file()
            .then(|| input.file_stem().map(|s| s.to_string_lossy().into_owned()))
            .flatten(),
        previous_output: options.write.then(|| out_dir.clone()),
        held,
        photo_cache: use_cache.then(|| cache(&out_dir, render::PHOTO_FOLDER)),
        // Symbols are kept as they are checked, before the build knows whether it writes
        // anything: only into an output folder that exists, so that they never make one
        // for a first build that fails.
        qr_cache: (use_cache && out_dir.is_dir()).then(|| cache(&out_dir, qr::QR_FOLDER)),
        text_cache: use_cache.then(|| cache(&out_dir, crate::text::TEXT_FOLDER)),
    };
    let progress = progress_bar(options.progress, issue.articles.len() as u64);
    let typeset = pipeline::typeset_with(&issue, &settings, &|| progress.inc(1), memo);
    let set_again = typeset.set_again;
    let paragraphs = typeset.paragraph_cache.as_ref();
    (report.summary.paragraphs_set, report.summary.paragraphs_cached) =
        paragraphs.map_or((0, 0), ParagraphCache::counts);
    progress.finish_and_clear();

    report.issue = typeset.issue_findings;
    if let Some(auto) = &typeset.auto {
        report.makeup = Some(makeup::makeup_report(auto, &issue));
    }
    if let Some(file) = &options.plan_out {
        report.issue.extend(write_plan(file, typeset.auto.as_ref(), &issue));
    }
    // Each article's rivers are measured on its pages: apart, so in parallel.
    report.articles =
        typeset.articles.par_iter().map(|a| article_report(a, &typeset.pages)).collect();
    report.summary.pages = typeset.pages.len();
    for (name, seconds) in &typeset.stages {
        // Loading fonts is part of the pipeline's `load`; reading the files is ours.
        let extra = if *name == "load" { load_seconds } else { 0.0 };
        report.summary.stages.insert(name, round3(seconds + extra));
    }
    if !options.write {
        for file in typeset.files {
            match file.rendered {
                Ok(rendered) => report.issue.extend(rendered.warnings),
                Err(error) => report.issue.push(error),
            }
        }
        return finish(report, started, options.strict, set_again);
    }
    // The pictures' names follow the issue PDF's (`--split issue`), else the publication's.
    let stem = match typeset.files.as_slice() {
        [single] if options.split == Split::Issue => {
            single.name.trim_end_matches(".pdf").to_string()
        }
        _ => pipeline::file_names::slug(&format!(
            "{} {}",
            typeset.config.publication,
            typeset
                .config
                .date
                .map(|d| format!("{:04}-{:02}-{:02}", d.year, d.month, d.day))
                .unwrap_or_default()
        )),
    };
    if !typeset.files.is_empty() {
        let writing = Instant::now();
        output::remove_stale_temporaries(&out_dir);
        // A file that depends on a failed article keeps its previous version, unless
        // `--allow-incomplete` lets it go out with the story's place marked (which
        // `--strict` refuses).
        let marks_allowed = options.allow_incomplete && !options.strict;
        let (to_write, held): (Vec<RenderedFile>, Vec<RenderedFile>) =
            typeset.files.into_iter().partition(|f| f.missing.is_empty() || marks_allowed);
        let mut produced: BTreeSet<String> = held.iter().map(|f| f.name.clone()).collect();
        produced.extend(typeset.withheld.iter().cloned());
        // A file that could not be rendered keeps its previous version too.
        produced.extend(to_write.iter().map(|f| f.name.clone()));
        report.issue.extend(missing_findings(&typeset.missing, &held, &out_dir, options));
        // What the renderer found in a withheld file (a photo's profile) still stands.
        for file in &held {
            if let Ok(rendered) = &file.rendered {
                report.issue.extend(rendered.warnings.iter().cloned());
            }
        }
        report.withheld = held
            .iter()
            .map(|f| f.name.as_str())
            .chain(typeset.withheld.iter().map(String::as_str))
            .map(|name| out_dir.join(name).display().to_string())
            .collect();
        // Every file is rendered before anything touches the output folder; one that could
        // not be rendered (an unreadable photo) is reported and not written.
        // The set paragraphs are kept while the files are written and synced to disk; only
        // beside a file written, so that a build that fails makes no output folder.
        let paragraphs = paragraphs.filter(|_| to_write.iter().any(|f| f.rendered.is_ok()));
        let digests = settings.photo_cache.as_deref().map(cache::digests::folder_beside);
        let digests = digests.as_deref();
        let (written, ()): (Vec<Result<OutputReport, Diagnostic>>, ()) = rayon::join(
            || to_write.into_par_iter().map(|file| write_file(&out_dir, file, digests)).collect(),
            || paragraphs.map_or((), ParagraphCache::save),
        );
        for result in written {
            match result {
                Ok(output) => report.outputs.push(output),
                Err(error) => report.issue.push(error),
            }
        }
        // Where each article went, for the placeholder that keeps its place if it fails.
        let places = typeset.articles.iter().filter_map(|outcome| {
            let placement = outcome.placement.as_ref()?;
            let place =
                HeldPlace { pages: placement.pages.len() as u32, underset: placement.underset };
            Some((keys.get(outcome.file.as_path())?.clone(), place))
        });
        remove_stale(&out_dir, &produced, places.collect(), options, &mut report);
        let folders = [
            &settings.photo_cache,
            &settings.qr_cache,
            &settings.text_cache,
            &load_options.photo_proofs,
        ];
        let beside = |f: fn(&Path) -> PathBuf| settings.photo_cache.as_deref().map(f);
        let digests = beside(cache::digests::folder_beside);
        let streams = beside(render::streams::folder_beside);
        // Only a folder that got new entries can have gone over its bound.
        for folder in folders.into_iter().flatten().chain(&digests).chain(&streams) {
            cache::prune_if_grown(folder, cache::MAX_CACHE_BYTES);
        }
        report.summary.stages.insert("write", round3(writing.elapsed().as_secs_f64()));
    }
    if let Some(dpi) = options.png {
        let drawing = Instant::now();
        let (written, findings) =
            preview::write(&out_dir, &stem, &typeset.pages, &typeset.config, &issue, dpi);
        report.outputs.extend(written);
        report.issue.extend(findings);
        report.summary.stages.insert("png", round3(drawing.elapsed().as_secs_f64()));
    }
    // What the build made is freed on another thread, since nothing waits for it: the
    // pages' glyph runs and the loaded articles are hundreds of thousands of allocations,
    // some 3 ms at the end of every build of the 40-article benchmark.
    let made = (typeset.pages, typeset.articles, typeset.paragraph_cache, typeset.auto, issue);
    rayon::spawn(move || drop(made));
    finish(report, started, options.strict, set_again)
}

/// The kind of build, as the manifest records it: stale files are judged among files of
/// the same kind only.
fn build_kind(options: &Options) -> String {
    let split = match options.split {
        Split::Issue => "issue",
        Split::Pages => "pages",
        Split::Articles => "articles",
    };
    if options.proof { format!("{split}-proof") } else { split.to_string() }
}

/// Removes (or, with `--keep-stale`, lists) the files a previous build of the same kind
/// wrote into `out_dir` and this one no longer produces, then records what is there now
/// and the `places` the articles took.
fn remove_stale(
    out_dir: &Path,
    produced: &BTreeSet<String>,
    places: Vec<(String, HeldPlace)>,
    options: &Options,
    report: &mut Report,
) {
    let kind = build_kind(options);
    let mut manifest = manifest::Manifest::read(out_dir);
    manifest.record_places(places);
    let mut recorded = produced.clone();
    for name in manifest.stale(&kind, produced) {
        let path = out_dir.join(&name);
        if !path.is_file() {
            continue;
        }
        let removed = !options.keep_stale && std::fs::remove_file(&path).is_ok();
        if !removed {
            // Still ours: a later build may remove it.
            recorded.insert(name);
        }
        report.stale.push(StaleReport { path: path.display().to_string(), removed });
    }
    if let Err(e) = manifest.update(out_dir, &kind, &recorded) {
        let path = out_dir.join(manifest::MANIFEST);
        report.issue.push(
            Diagnostic::warning("io", format!("cannot write {}: {e}", path.display()))
                .in_file(&path)
                .hint("without it, the next build cannot tell its own stale files"),
        );
    }
}

/// What the report says about failed articles: the files left as they were because they
/// depend on one (an error), or the marks written in their place (a warning, an error
/// under `--strict`).
fn missing_findings(
    missing: &[pipeline::missing::MissingStory],
    held: &[RenderedFile],
    out_dir: &Path,
    options: &Options,
) -> Vec<Diagnostic> {
    let mut found = Vec::new();
    for file in held {
        let stories: Vec<String> =
            file.missing.iter().map(|m| pipeline::missing::mark_name(m)).collect();
        let path = out_dir.join(&file.name);
        let (why, hint) = if options.allow_incomplete {
            ("--strict refuses its MISSING marks", "fix the article(s), or build without --strict")
        } else {
            (
                "it would go out incomplete",
                "fix the article(s), or build with --allow-incomplete to print it with their places marked MISSING",
            )
        };
        found.push(
            Diagnostic::error(
                "incomplete",
                format!(
                    "{} not written ({why}): it depends on failed article(s) {}; {}",
                    path.display(),
                    stories.join(", "),
                    if path.is_file() {
                        "the previous version is left as it was"
                    } else {
                        "there is no previous version"
                    }
                ),
            )
            .in_file(&path)
            .hint(hint),
        );
    }
    if options.allow_incomplete && !options.strict {
        for story in missing.iter().filter(|m| !m.marked.is_empty()) {
            let pages: Vec<String> = story.marked.iter().map(u32::to_string).collect();
            let place = match (story.planned, story.held) {
                (true, _) => String::new(),
                (false, Some(held)) => format!(
                    "; it keeps the {} page(s) the story took in the last build, so the \
                     stories after it keep their pages",
                    held.pages
                ),
                (false, None) => format!(
                    "; no earlier build of the story is recorded in {}, so the mark takes its \
                     turn in the flow but not its length, and the stories after it may have \
                     moved up",
                    out_dir.join(manifest::MANIFEST).display()
                ),
            };
            found.push(
                Diagnostic::warning(
                    "missing-story",
                    format!(
                        "{} failed: its place is marked \"{} {}\" on page(s) {}{place}",
                        story.file.display(),
                        pipeline::missing::MARK,
                        pipeline::missing::mark_name(&story.file),
                        pages.join(", ")
                    ),
                )
                .in_file(&story.file)
                .hint("--strict refuses an issue with MISSING marks"),
            );
        }
    }
    found
}

/// Writes one rendered file atomically into `out_dir`.
fn write_file(
    out_dir: &Path,
    file: RenderedFile,
    digests: Option<&Path>,
) -> Result<OutputReport, Diagnostic> {
    let rendered = file.rendered?;
    let path = out_dir.join(&file.name);
    let written = output::write_atomic_hashed(&path, &rendered.pdf, digests);
    let (status, sha256) = written.map_err(|e| {
        Diagnostic::error("io", format!("cannot write {}: {e}", path.display())).in_file(&path)
    })?;
    Ok(OutputReport {
        path: path.display().to_string(),
        pages: file.pages,
        bytes: rendered.pdf.len() as usize,
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
                cached: i.cached,
            })
            .collect(),
    })
}

/// The report entry of one article, drawn on `pages`.
fn article_report(outcome: &ArticleOutcome, pages: &[Page]) -> ArticleReport {
    let placement = outcome.placement.as_ref();
    ArticleReport {
        file: outcome.file.display().to_string(),
        title: outcome.title.clone(),
        status: if outcome.is_ok() { "ok" } else { "failed" },
        pages: placement.map(|p| p.pages.clone()).unwrap_or_default(),
        errors: outcome.errors.clone(),
        warnings: outcome.warnings.clone(),
        overset: placement.is_some_and(|p| p.overset),
        underset_mm: placement.map_or(0.0, |p| round1(to_mm(p.underset))),
        photos: outcome
            .photos
            .iter()
            .map(|p| PhotoReport {
                file: p.path.display().to_string(),
                pixels: p.pixels,
                frame_mm: (round1(p.frame_mm.0), round1(p.frame_mm.1)),
                ppi: round1(p.ppi),
            })
            .collect(),
        qr: outcome.qr.as_ref().map(|q| QrReport {
            payload: q.payload.clone(),
            version: q.version,
            ec_level: format!("{:?}", q.ec_level),
            size_mm: round1(q.size_mm),
            module_mm: round2(q.module_mm),
            verified: true,
        }),
        copyfit: placement
            .map(|p| {
                p.fits
                    .iter()
                    .map(|f| CopyfitReport {
                        frame: f.frame.clone(),
                        page: f.page,
                        lines_before: f.before,
                        lines_after: f.after,
                        steps: f
                            .steps
                            .iter()
                            .map(|s| CopyfitStep {
                                step: s.kind.name(),
                                detail: s.detail.clone(),
                                lines: s.lines,
                            })
                            .collect(),
                        chars: f.chars,
                        words: f.words,
                    })
                    .collect()
            })
            .unwrap_or_default(),
        rivers: placement.map_or(0, |p| check::typometrics(pages, &p.drawn).rivers),
    }
}

/// How the manifest names an article: its path within the issue folder (`root`, resolved
/// by [`std::fs::canonicalize`]), with `/` between folders, the same however the issue was
/// named on the command line (`None` for a file that is not there, or a name that would
/// not fit on one of the manifest's lines).
fn place_key(root: &Path, article: &Path) -> Option<String> {
    let article = std::fs::canonicalize(article).ok()?;
    let within = article.strip_prefix(root).unwrap_or(&article);
    let parts: Vec<String> =
        within.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect();
    let key = parts.join("/");
    (!key.contains(['\t', '\n', '\r'])).then_some(key)
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

fn finish(mut report: Report, started: Instant, strict: bool, set_again: usize) -> Outcome {
    let mut warnings: BTreeMap<String, usize> = BTreeMap::new();
    let mut errors: BTreeMap<String, usize> = BTreeMap::new();
    for d in report.diagnostics().filter(|d| !d.is_note()) {
        let table = if d.is_error() { &mut errors } else { &mut warnings };
        *table.entry(d.kind.to_string()).or_default() += 1;
    }
    report.summary.articles = report.articles.len();
    report.summary.failed = report.articles.iter().filter(|a| a.status == "failed").count();
    report.summary.warnings = warnings;
    report.summary.errors = errors;
    report.summary.seconds = round3(started.elapsed().as_secs_f64());
    // Each photo once per file, however often it is placed there.
    let images: BTreeSet<(&str, &str, bool, bool)> = report
        .outputs
        .iter()
        .flat_map(|o| {
            o.images.iter().map(|i| (o.path.as_str(), i.file.as_str(), i.passthrough, i.cached))
        })
        .collect();
    report.summary.photos_cached = images.iter().filter(|i| i.3).count();
    report.summary.photos_converted = images.iter().filter(|i| !i.2 && !i.3).count();
    let issue_failed = report.issue.iter().any(Diagnostic::is_error);
    // With --strict a warning anywhere (issue.yaml, overset, a photo's profile) fails the run.
    let strict_failed = strict && !report.summary.warnings.is_empty();
    report.ok = !issue_failed
        && !strict_failed
        && report.summary.failed == 0
        && report.summary.articles > 0;
    let exit_code = if report.ok { 0 } else { 1 };
    Outcome { report, exit_code, set_again }
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
