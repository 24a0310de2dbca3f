//! The pipeline: a loaded issue in, rendered pages out, in memory.
//!
//! [`typeset`] is where to start reading. It runs the stages in order:
//!
//! 1. **qr** (in parallel per article): each article's QR code is prepared and read back
//!    after a simulated print ([`qr::prepare()`]; a symbol the build cache holds as read
//!    back is not printed again); a stage of its own in the times because the print
//!    simulation, not the text, was most of what the text stage used to take;
//! 2. **text** (in parallel per article): its parts are set
//!    ([`compose::article::set_article`]); under `rotative watch` ([`typeset_with`] and a
//!    [`SetMemo`]), an article whose inputs are those of the last build is taken as that
//!    build set it, its QR code included, instead;
//! 3. **compose**: the set articles are placed on pages ([`compose::compose`]);
//! 4. **render**: the pages of each output file become a PDF ([`render::render_pdf`]);
//! 5. **check**: the findings a print shop would make on what was rendered (photo resolution
//!    at the printed size, text set past the type area) are attributed to their articles
//!    ([`check::findings`]), beside the render stage since they read only the pages. An
//!    article that fails there is left out and the pages are made again without it, so a bad
//!    article never reaches the output and never sinks the others.
//!
//! Nothing here writes a file: [`crate::batch`] decides where the PDFs go and writes them
//! atomically. (The render stage reads the photo files the model names.)

use std::borrow::Cow;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::check::{self, PhotoFinding};
pub use crate::compose::HeldPlace;
use crate::compose::display::Page;
use crate::compose::{self, ArticleParts, ArticlePlacement, BoilerplateBand, Grid, StoryShape};
use crate::diag::{Diagnostic, Severity};
use crate::fonts::FontBook;
use crate::model::{Article, ArticleEntry, Issue, IssueConfig, Marks, Standard};
use crate::qr::{self, PreparedQr};
use crate::render::{self, RenderOptions, Rendered};
use crate::text::TextEngine;

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

/// The choices of the command line that change what is typeset.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Override of `output.standard`.
    pub standard: Option<Standard>,
    /// Override of `output.marks`.
    pub marks: Option<Marks>,
    /// Every warning fails its article (or the issue).
    pub strict: bool,
    /// How the pages are cut into files.
    pub split: Split,
    /// The file name of the issue PDF without its extension (`None`: publication and date).
    pub issue_name: Option<String>,
    /// The folder the files will be written to, where the previous versions are: a file
    /// whose content changed gets the next version number, an unchanged one stays the same
    /// bytes (`None`: every file is a first version).
    pub previous_output: Option<PathBuf>,
    /// A proof: frame outlines, names and overset markers drawn on planned pages, in a
    /// plain PDF (never PDF/X) whose file names end in `-proof`.
    pub proof: bool,
    /// The place each article (by its file) took in the flow of the last build into the
    /// output folder: the placeholder of one that fails keeps it, so that the stories after
    /// it keep their pages.
    pub held: Vec<(PathBuf, HeldPlace)>,
    /// The build cache's folder of converted photos (`None`: every photo is converted).
    pub photo_cache: Option<PathBuf>,
    /// The build cache's folder of QR self-checks (`None`: every symbol is checked).
    pub qr_cache: Option<PathBuf>,
    /// The build cache's folder of set paragraphs (`None`: every paragraph is set).
    pub text_cache: Option<PathBuf>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            standard: None,
            marks: None,
            strict: false,
            split: Split::Issue,
            issue_name: None,
            previous_output: None,
            proof: false,
            held: Vec::new(),
            photo_cache: None,
            qr_cache: None,
            text_cache: None,
        }
    }
}

/// What became of one article.
#[derive(Debug, Clone)]
pub struct ArticleOutcome {
    /// The Markdown file.
    pub file: PathBuf,
    /// Its title, when it could be read.
    pub title: Option<String>,
    /// Where it landed; `None` when it failed.
    pub placement: Option<ArticlePlacement>,
    /// Errors (non-empty when it failed).
    pub errors: Vec<Diagnostic>,
    /// Warnings.
    pub warnings: Vec<Diagnostic>,
    /// Its photos as placed, with their effective resolution.
    pub photos: Vec<PhotoFinding>,
    /// Its QR code as printed and verified.
    pub qr: Option<qr::QrReport>,
}

impl ArticleOutcome {
    /// Whether the article is in the output.
    pub fn is_ok(&self) -> bool {
        self.errors.is_empty()
    }
}

/// One output file, rendered.
#[derive(Debug, Clone)]
pub struct RenderedFile {
    /// File name (no folder), distinct among the files of the run.
    pub name: String,
    /// Number of pages in it.
    pub pages: usize,
    /// The PDF and what the renderer learnt, or why it could not be made.
    pub rendered: Result<Rendered, Diagnostic>,
    /// The failed articles this file depends on: their "MISSING" marks are in it, or
    /// pages of it would differ with them. Empty for a complete file.
    pub missing: Vec<PathBuf>,
}

/// Everything a run produced, in memory.
#[derive(Debug)]
pub struct Typeset {
    /// The issue's settings with the command line's overrides applied.
    pub config: IssueConfig,
    /// Findings about the issue itself (fonts, `issue.yaml`).
    pub issue_findings: Vec<Diagnostic>,
    /// One outcome per article, in the issue's order.
    pub articles: Vec<ArticleOutcome>,
    /// The composed pages of the whole issue.
    pub pages: Vec<Page>,
    /// The output files, rendered.
    pub files: Vec<RenderedFile>,
    /// The failed articles, in the issue's order, and the pages that depend on each.
    pub missing: Vec<missing::MissingStory>,
    /// Files of failed articles that `--split articles` would have made (not rendered).
    pub withheld: Vec<String>,
    /// Wall time of each stage, seconds, in the order they ran.
    pub stages: Vec<(&'static str, f64)>,
    /// How many articles the text stage set (the others were taken from the memo).
    pub set_again: usize,
    /// The set paragraphs of `settings.text_cache`, with this build's, for the caller to
    /// save beside the files it writes ([`crate::text::ParagraphCache::save`]).
    pub paragraph_cache: Option<crate::text::ParagraphCache>,
    /// What the automatic make-up chose, when the issue is made up automatically.
    pub auto: Option<compose::AutoOutcome>,
}

/// Typesets `issue`: sets every article, composes the pages, renders the output files and
/// checks them. `on_article_set` is called once per article as the text stage finishes it
/// (for a progress bar).
pub fn typeset(issue: &Issue, settings: &Settings, on_article_set: &(dyn Fn() + Sync)) -> Typeset {
    typeset_with(issue, settings, on_article_set, None)
}

/// [`typeset`], taking the articles `memo` kept from the last build whose inputs have not
/// changed instead of setting them again, and leaving this build's in it.
pub fn typeset_with(
    issue: &Issue,
    settings: &Settings,
    on_article_set: &(dyn Fn() + Sync),
    mut memo: Option<&mut SetMemo>,
) -> Typeset {
    let mut clock = Stopwatch::new();
    let mut config = issue.config.clone();
    if let Some(standard) = settings.standard {
        config.output.standard = standard;
    }
    if let Some(marks) = settings.marks {
        config.output.marks = marks;
    }
    if settings.proof {
        // A proof is never a print file.
        config.output.standard = Standard::None;
    }
    let mut typeset = Typeset {
        config,
        issue_findings: issue.warnings.clone(),
        articles: Vec::new(),
        pages: Vec::new(),
        files: Vec::new(),
        missing: Vec::new(),
        withheld: Vec::new(),
        stages: Vec::new(),
        set_again: 0,
        paragraph_cache: None,
        auto: None,
    };
    let config = &typeset.config;
    let fonts = match FontBook::new(&config.fonts) {
        Ok(fonts) => fonts,
        Err(e) => {
            let mut d = Diagnostic::error("missing-font", e.to_string()).field("fonts");
            if let Some(file) = &issue.config_file {
                d = d.in_file(file);
            }
            typeset.issue_findings.push(d);
            return typeset;
        }
    };
    let file = issue.config_file.as_deref();
    let (mut engine, gaps) =
        text_cache::engine_beside(fonts, config, settings.text_cache.as_deref(), |fonts| {
            font_coverage::fallback_warnings(&issue.articles, fonts, &config.styles, file)
        });
    if issue.auto.is_some() {
        // The planner sets each story in many shapes and frames, and the make-up again.
        engine = engine.with_paragraph_memo();
    }
    let grid = Grid::new(config);
    clock.lap(&mut typeset.stages, "load");
    typeset.issue_findings.extend(gaps);

    // The automatic make-up chooses the plan (from every article, with its QR code, which
    // the text stage then reuses); the rest runs as with a written one.
    let planned_qrs = issue.auto.as_ref().map(|_| prepare_qrs(issue, config, &[], settings));
    typeset.auto = issue
        .auto
        .as_ref()
        .zip(planned_qrs.as_deref())
        .map(|(auto, qrs)| auto::plan(issue, auto, qrs, &engine, config, &grid));
    if typeset.auto.is_some() {
        clock.lap(&mut typeset.stages, "makeup");
    }
    let plan = typeset.auto.as_ref().map(|o| &o.plan).or(issue.plan.as_ref());
    let shapes = makeup::shapes(plan, issue.articles.len());
    // The articles the memo has, set from the same inputs by the last build.
    let keys: Vec<Option<memo::Key>> = match &memo {
        Some(_) => issue
            .articles
            .par_iter()
            .zip(&shapes)
            .map(|(entry, shape)| memo::key(entry, config, *shape, settings.strict))
            .collect(),
        None => vec![None; issue.articles.len()],
    };
    let kept: Vec<Option<SetArticle>> =
        keys.iter().map(|key| key.as_ref().and_then(|key| memo.as_ref()?.get(key))).collect();

    let qrs = planned_qrs.unwrap_or_else(|| prepare_qrs(issue, config, &kept, settings));
    clock.lap(&mut typeset.stages, "qr");

    typeset.set_again = issue
        .articles
        .iter()
        .zip(&kept)
        .filter(|(entry, kept)| entry.article.is_ok() && kept.is_none())
        .count();
    let set: Vec<SetArticle> = issue
        .articles
        .par_iter()
        .zip(&shapes)
        .zip(qrs)
        .zip(kept)
        .map(|(((entry, shape), qr), kept)| {
            let result = kept.unwrap_or_else(|| {
                set_entry(entry, qr, &engine, config, &grid, *shape, settings.strict)
            });
            on_article_set();
            result
        })
        .collect();
    if let Some(memo) = memo.as_mut() {
        let keyed = keys.into_iter().zip(&set).filter_map(|(key, set)| Some((key?, set.clone())));
        memo.keep(keyed);
    }
    clock.lap(&mut typeset.stages, "text");

    let boilerplate = compose::boilerplate_blocks(&engine, config, &grid);
    let mut render_options = RenderOptions::for_issue(config, issue);
    render_options.photo_cache = settings.photo_cache.clone();
    let mut outcomes: Vec<ArticleOutcome> = set.iter().map(SetArticle::outcome).collect();
    // The placeholder of each failed article, set once when it first fails.
    let mut placeholders: Vec<Option<ArticleParts>> = vec![None; set.len()];
    // Each round leaves out the articles the check stage failed; an article only ever goes
    // from ok to failed, so this ends after at most one round per article.
    loop {
        let ok: Vec<(&Path, &ArticleParts)> = set
            .iter()
            .zip(&outcomes)
            .filter(|(_, o)| o.is_ok())
            .filter_map(|(s, _)| s.result.as_ref().ok().map(|a| (s.file.as_path(), a)))
            .collect();
        let mut pages = Vec::new();
        let mut placements = Vec::new();
        let mut furniture_warnings = Vec::new();
        let mut frames = Vec::new();
        for (i, outcome) in outcomes.iter().enumerate() {
            if !outcome.is_ok() && placeholders[i].is_none() {
                let entry = &issue.articles[i];
                let held = settings.held.iter().find(|(file, _)| *file == entry.path);
                let held = held.map(|(_, place)| *place).filter(|_| shapes[i].is_none());
                placeholders[i] =
                    missing::placeholder_parts(&engine, config, &grid, entry, shapes[i], held);
            }
        }
        // Each article's parts, or its placeholder's when it failed: the failed story's
        // place is kept, so the pages of the others do not move.
        let indexed: Vec<(usize, &ArticleParts)> = set
            .iter()
            .zip(&outcomes)
            .enumerate()
            .filter_map(|(i, (s, o))| {
                let parts =
                    if o.is_ok() { s.result.as_ref().ok() } else { placeholders[i].as_ref() };
                parts.map(|a| (i, a))
            })
            // The automatic make-up's plan is the whole issue: what it did not place is
            // reported (`unplaced`), not set on pages after it.
            .filter(|(i, _)| typeset.auto.is_none() || shapes[*i].is_some())
            .collect();
        let mut marked: Vec<(usize, Vec<u32>)> = Vec::new();
        if !indexed.is_empty() {
            let composed =
                makeup::compose_issue(&engine, config, plan, &indexed, set.len(), &boilerplate);
            placements = composed.placements;
            pages = composed.pages;
            furniture_warnings = composed.warnings;
            frames = composed.frames;
        }
        for ((index, _), placement) in indexed.iter().zip(placements) {
            if outcomes[*index].is_ok() {
                outcomes[*index].placement = Some(placement);
            } else {
                marked.push((*index, placement.pages));
            }
        }
        let missing: Vec<missing::MissingStory> = outcomes
            .iter()
            .enumerate()
            .filter(|(_, o)| !o.is_ok())
            .map(|(i, o)| {
                let marks = marked.iter().find(|(m, _)| *m == i).map(|(_, p)| p.as_slice());
                missing::MissingStory {
                    file: o.file.clone(),
                    pages: missing::dependent_pages(
                        plan,
                        shapes[i].is_some(),
                        i,
                        marks,
                        pages.len() as u32,
                    ),
                    marked: marks.map(<[u32]>::to_vec).unwrap_or_default(),
                    planned: shapes[i].is_some(),
                    held: placeholders[i].as_ref().and_then(|p| p.held),
                }
            })
            .collect();
        clock.lap(&mut typeset.stages, "compose");

        let marked;
        let files = if pages.is_empty() {
            Vec::new()
        } else {
            let starts: Vec<u32> = outcomes
                .iter()
                .filter_map(|o| o.placement.as_ref())
                .map(|p| p.pages.first().copied().unwrap_or(1))
                .collect();
            let printed = if settings.proof {
                marked = makeup::with_proof_marks(&engine, config, &frames, &pages);
                &marked
            } else {
                &pages
            };
            plan_files(&engine, config, &ok, &starts, &boilerplate, printed, settings)
        };
        // The checks read only the pages: they run beside the rendering.
        let (rendered, mut checks) = rayon::join(
            || {
                files
                    .into_par_iter()
                    .map(|(name, file_pages)| {
                        render_file(name, file_pages, &missing, &render_options, &engine, settings)
                    })
                    .collect::<Vec<RenderedFile>>()
            },
            || checking::check_pages(issue, &outcomes, &pages, &config.photo, settings.strict),
        );
        clock.lap(&mut typeset.stages, "render");

        let mut newly_failed = fail_articles_of_broken_photos(issue, &rendered, &mut outcomes);
        newly_failed |= checks.apply(&mut outcomes);
        let overlaps = checks.overlaps;
        // Beside render: its own time, not the wait for render to finish.
        stopwatch::add(&mut typeset.stages, "check", checks.took);
        if !newly_failed {
            if let Some(outcome) = typeset.auto.as_mut() {
                // What the copyfit left under its frames is white too.
                outcome.count_underset(frames.iter().map(|f| (f.page, f.misfit)));
                typeset.issue_findings.extend(auto::findings(issue, outcome));
            }
            typeset.issue_findings.extend(makeup::in_issue_file(issue, furniture_warnings));
            let placed: Vec<&ArticlePlacement> =
                outcomes.iter().filter_map(|o| o.placement.as_ref()).collect();
            let furniture: Vec<Diagnostic> =
                check::furniture_overlaps(&placed, &overlaps).collect();
            // The furniture is on every page: with an overlap there, no file is written.
            let furniture_failed = !furniture.is_empty();
            typeset.issue_findings.extend(furniture);
            typeset.pages = pages;
            if !furniture_failed {
                typeset.files = rendered;
            }
            if settings.split == Split::Articles {
                typeset.withheld =
                    missing.iter().map(|m| article_file_name(&m.file, settings.proof)).collect();
            }
            typeset.missing = missing;
            break;
        }
        // Strip what the failed round added, so the next round reports it afresh.
        for (outcome, fresh) in outcomes.iter_mut().zip(set.iter().map(SetArticle::outcome)) {
            if outcome.is_ok() {
                *outcome = fresh;
            }
        }
    }
    typeset.articles = outcomes;
    typeset.paragraph_cache = engine.into_paragraph_cache();
    typeset
}

/// Renders the output file `name` of `file_pages`, knowing which of the `missing` stories
/// it depends on.
fn render_file(
    name: String,
    file_pages: Cow<'_, [Page]>,
    missing: &[missing::MissingStory],
    render_options: &RenderOptions,
    engine: &TextEngine,
    settings: &Settings,
) -> RenderedFile {
    let depends = |m: &&missing::MissingStory| {
        // Per article, a file holds only that article's pages: it never depends on another.
        settings.split != Split::Articles && file_pages.iter().any(|p| m.pages.contains(&p.number))
    };
    let missing = missing.iter().filter(depends).map(|m| m.file.clone()).collect();
    let mut options = render_options.clone();
    options.slug = format!("{} · {}", name, options.slug);
    options.previous = settings
        .previous_output
        .as_ref()
        .and_then(|dir| render::version::PreviousVersion::read(&dir.join(&name)));
    let rendered = render::render_pdf(&file_pages, engine.fonts(), &options);
    RenderedFile { name, pages: file_pages.len(), rendered, missing }
}

/// The safety net behind the load stage's photo checks: a photo that still fails while a
/// PDF is made fails the articles that use it (each of them, at its `photo` line), not the
/// issue, and the pages are made again without them. Returns whether any article failed.
fn fail_articles_of_broken_photos(
    issue: &Issue,
    rendered: &[RenderedFile],
    outcomes: &mut [ArticleOutcome],
) -> bool {
    let broken: Vec<&Diagnostic> = rendered
        .iter()
        .filter_map(|file| file.rendered.as_ref().err())
        .filter(|d| d.file.is_some())
        .collect();
    let mut failed = false;
    for (entry, outcome) in issue.articles.iter().zip(outcomes.iter_mut()) {
        let Ok(Article { photo: Some(photo), .. }) = &entry.article else { continue };
        let Some(error) = broken.iter().find(|d| d.file.as_deref() == Some(&photo.path)) else {
            continue;
        };
        if outcome.is_ok() {
            let mut d = Diagnostic::error(
                error.kind,
                format!("photo {} cannot be used: {}", photo.path.display(), error.message),
            )
            .in_file(&entry.path)
            .field("photo.file");
            if let Some(line) = photo.line {
                d = d.at(line, 1);
            }
            outcome.errors.push(d);
            outcome.placement = None;
            failed = true;
        }
    }
    failed
}

/// An article after the text stage, or why it failed.
#[derive(Clone)]
struct SetArticle {
    file: PathBuf,
    title: Option<String>,
    result: Result<ArticleParts, Vec<Diagnostic>>,
    warnings: Vec<Diagnostic>,
    qr: Option<qr::QrReport>,
}

impl SetArticle {
    /// The outcome as the text stage leaves it: placement and photos come later.
    fn outcome(&self) -> ArticleOutcome {
        ArticleOutcome {
            file: self.file.clone(),
            title: self.title.clone(),
            placement: None,
            errors: self.result.as_ref().err().cloned().unwrap_or_default(),
            warnings: self.warnings.clone(),
            photos: Vec::new(),
            qr: self.qr.clone(),
        }
    }
}

/// One article through the text stage: its parts, with its QR code as the qr stage
/// prepared it (`qr`).
fn set_entry(
    entry: &ArticleEntry,
    qr: Result<Option<PreparedQr>, Diagnostic>,
    engine: &TextEngine,
    config: &IssueConfig,
    grid: &Grid,
    shape: Option<StoryShape>,
    strict: bool,
) -> SetArticle {
    let article: &Article = match &entry.article {
        Ok(article) => article,
        Err(errors) => {
            return SetArticle {
                file: entry.path.clone(),
                title: None,
                result: Err(errors.clone()),
                warnings: Vec::new(),
                qr: None,
            };
        }
    };
    let mut warnings = article.warnings.clone();
    let (qr, result) = match qr {
        Ok(qr) => {
            let result = compose::set_article(engine, config, grid, article, qr.as_ref(), shape);
            // The report gives the module size printed, which compose may have reduced.
            let printed = result.as_ref().ok().and_then(|parts| parts.qr_module);
            let report = qr.map(|q: PreparedQr| match printed {
                Some(module) => {
                    let module_mm = (crate::geom::to_mm(module) * 100.0).round() / 100.0;
                    qr::QrReport::new(&q.symbol, module_mm)
                }
                None => q.report,
            });
            (report, result)
        }
        Err(error) => (None, Err(vec![error])),
    };
    let result = result.and_then(|parts| {
        warnings.extend(parts.warnings.iter().cloned());
        if strict && !warnings.is_empty() {
            // --strict: every warning is an error (and is counted once, as an error).
            Err(warnings.drain(..).map(as_error).collect())
        } else {
            Ok(parts)
        }
    });
    SetArticle {
        file: entry.path.clone(),
        title: Some(article.title.clone()),
        result,
        warnings,
        qr,
    }
}

/// The QR code of each article, prepared and checked (through the build cache's
/// self-checks, when `settings` has one); none for an article that did not load or that
/// `kept` (the memo's, when given) has set already, with its own.
fn prepare_qrs(
    issue: &Issue,
    config: &IssueConfig,
    kept: &[Option<SetArticle>],
    settings: &Settings,
) -> Vec<Result<Option<PreparedQr>, Diagnostic>> {
    let kept = |i: usize| kept.get(i).is_some_and(Option::is_some);
    (0..issue.articles.len())
        .into_par_iter()
        .map(|i| match &issue.articles[i].article {
            Ok(article) if !kept(i) => qr::prepare(article, config, settings.qr_cache.as_deref()),
            _ => Ok(None),
        })
        .collect()
}

fn as_error(mut d: Diagnostic) -> Diagnostic {
    d.severity = Severity::Error;
    d
}

/// The files to write and the pages of each, borrowed where a file has the issue's pages.
fn plan_files<'p>(
    engine: &TextEngine,
    config: &IssueConfig,
    ok: &[(&Path, &ArticleParts)],
    starts: &[u32],
    boilerplate: &BoilerplateBand,
    pages: &'p [Page],
    settings: &Settings,
) -> Vec<(String, Cow<'p, [Page]>)> {
    let date = config
        .date
        .map(|d| format!("{:04}-{:02}-{:02}", d.year, d.month, d.day))
        .unwrap_or_default();
    let values = [
        ("publication", config.publication.clone()),
        ("date", date.clone()),
        ("number", config.number.clone().unwrap_or_default()),
    ];
    let mut files = match settings.split {
        Split::Issue => {
            let name = settings.issue_name.clone().unwrap_or_else(|| {
                let parts: Vec<&str> = [config.publication.as_str(), date.as_str()]
                    .into_iter()
                    .filter(|s| !s.is_empty())
                    .collect();
                parts.join(" ")
            });
            vec![(format!("{}.pdf", file_names::slug(&name)), Cow::Borrowed(pages))]
        }
        Split::Pages => pages
            .iter()
            .map(|page| {
                (
                    file_names::fill_pattern(&config.page_file_pattern, &values, page.number),
                    Cow::Borrowed(std::slice::from_ref(page)),
                )
            })
            .collect(),
        Split::Articles => {
            // Each article alone, numbered from the page it starts on in the issue.
            let mut files = Vec::new();
            for ((file, parts), first) in ok.iter().zip(starts) {
                let composition = compose::compose(engine, config, &[parts], boilerplate, *first);
                files.push((article_file_name(file, false), Cow::Owned(composition.pages)));
            }
            files
        }
    };
    if settings.proof {
        for (name, _) in &mut files {
            *name = format!("{}-proof.pdf", name.trim_end_matches(".pdf"));
        }
    }
    let mut names: Vec<String> = files.iter().map(|(name, _)| name.clone()).collect();
    let fallback = if settings.split == Split::Articles { "article" } else { "issue" };
    file_names::distinct_names(&mut names, fallback);
    for ((name, _), distinct) in files.iter_mut().zip(names) {
        *name = distinct;
    }
    files
}

/// The name of an article's own file under `--split articles`: its file name, slugged.
fn article_file_name(file: &Path, proof: bool) -> String {
    let stem = file.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    let slug = file_names::slug(&stem);
    if proof { format!("{slug}-proof.pdf") } else { format!("{slug}.pdf") }
}

mod auto;
mod checking;
pub mod file_names;
mod font_coverage;
mod makeup;
mod memo;
pub mod missing;
mod stopwatch;
mod text_cache;

pub use auto::plan_only;
pub use memo::SetMemo;
use stopwatch::Stopwatch;
