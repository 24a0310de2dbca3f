//! The `load` stage: an issue folder (or one article file) to a validated [`crate::model::Issue`].
//!
//! ```text
//! issue.yaml ──> issue::parse_issue ──> IssueConfig (defaults filled in)
//! *.md       ──> article::load_article ──> Article (front matter + markdown body)
//! ```
//!
//! Two tiers, as the rest of the pipeline expects: raw structs mirror the YAML exactly
//! (`deny_unknown_fields`, values with their source positions), then resolution checks
//! values, files and paths and produces the model. Every message carries file, line, column,
//! the offending line and the field, so a journalist can go straight to the fault.
//!
//! An article that fails keeps its diagnostics in its [`crate::model::ArticleEntry`]; the others
//! still load. Only a broken `issue.yaml` stops the whole issue.
//!
//! The input format is documented for users in `docs/input-format.md`.

mod ad;
pub mod article;
pub mod defaults;
pub mod issue;
mod jpeg_scan;
pub mod markdown;
pub mod photo;
pub mod proofs;
pub use proofs::PROOF_FOLDER;
mod recover;

pub mod source;
mod suggest;
pub mod website;
pub mod yaml;

use std::path::{Path, PathBuf};

use rayon::prelude::*;

pub use ad::{first_page, page_box};
pub use article::{ARTICLE_FIELDS, PHOTO_FIELDS};
pub use defaults::default_config;
pub use issue::{ISSUE_FIELDS, PAGE_FORMATS, STYLE_FIELDS};

use crate::model::{ArticleEntry, AutoMakeup, Issue, PagePlan, StoryHint};
use article::ArticleContext;
use issue::ArticleRef;

use crate::diag::Diagnostic;

/// How permissive loading is.
#[derive(Debug, Clone, Default)]
pub struct LoadOptions {
    /// Allow photos (and listed articles) outside the issue folder. Off by default, so an
    /// issue folder is self-contained and can be handed to a print shop or archived.
    pub allow_outside: bool,
    /// The build cache's folder of photo proofs ([`proofs`]); `None`: every photo is
    /// decoded to prove it sound.
    pub photo_proofs: Option<PathBuf>,
    /// Make the issue up automatically (`--auto`), with its `auto:` settings, even when
    /// `issue.yaml` has a page plan: the plan's stories are then the articles, in order.
    pub auto: bool,
}

/// The hint for an unknown language tag: the tags `Lang::from_tag` knows.
const LANGUAGES_HINT: &str = "known languages: fr, en, en-GB, en-US, de, es, it, pt, nl";

/// Name of the issue settings file inside an issue folder.
pub const ISSUE_FILE: &str = "issue.yaml";

/// Loads an issue.
///
/// `path` is an issue folder (with or without `issue.yaml`) or a single article `.md` file.
/// A lone article is built with the settings of the issue it is in (the nearest folder
/// above it with an `issue.yaml`, [`find_issue_folder`]); outside any issue, with the
/// defaults.
///
/// `Err` means nothing can be built: `issue.yaml` itself is broken, or `path` cannot be
/// read. Article errors are kept in each [`ArticleEntry`].
pub fn load_issue(path: &Path, options: &LoadOptions) -> Result<Issue, Vec<Diagnostic>> {
    let metadata = std::fs::metadata(path).map_err(|e| {
        vec![Diagnostic::error("io", format!("cannot read {}: {e}", path.display())).in_file(path)]
    })?;
    if !metadata.is_file() && !metadata.is_dir() {
        return Err(vec![
            Diagnostic::error(
                "io",
                format!(
                    "cannot read {}: it is {}, not an issue folder or an article file",
                    path.display(),
                    source::file_kind(&metadata)
                ),
            )
            .in_file(path),
        ]);
    }
    let (folder, lone_article) = if metadata.is_file() {
        let parent = match path.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        (find_issue_folder(&parent).unwrap_or(parent), Some(path.to_path_buf()))
    } else {
        (path.to_path_buf(), None)
    };
    let root = std::fs::canonicalize(&folder).unwrap_or_else(|_| folder.clone());

    let config_path = folder.join(ISSUE_FILE);
    // An `issue.yaml` that is a folder or a pipe is an error, not an absent file: the
    // defaults would silently replace the editor's settings.
    let config_exists = std::fs::symlink_metadata(&config_path).is_ok();
    let (config, listed, mut warnings, config_file, plan, all, auto) = if config_exists {
        let source =
            source::read(&config_path, source::MAX_ISSUE_BYTES, ISSUE_FILE).map_err(|d| vec![d])?;
        let loaded = issue::parse_issue(&source, &folder)?;
        let all = loaded.all_articles;
        let config_file = Some(config_path);
        (
            loaded.config,
            loaded.articles,
            loaded.warnings,
            config_file,
            loaded.plan,
            all,
            loaded.auto,
        )
    } else {
        let auto = issue::ResolvedAuto { multiple_of: 1, ..Default::default() };
        (default_config(), None, Vec::new(), None, None, false, auto)
    };
    let auto_wanted = (auto.on || options.auto) && lone_article.is_none();
    // A lone article is built on its own, whatever the issue's plan.
    let plan = plan.filter(|_| lone_article.is_none());

    let mut refs = match (&lone_article, listed) {
        (Some(file), _) => vec![ArticleRef {
            path: file.clone(),
            written: file.display().to_string(),
            line: 0,
            column: 0,
        }],
        (None, Some(list)) => list,
        // With a plan, its stories are the issue's articles unless `articles` adds others.
        (None, None) if plan.is_some() && !all => Vec::new(),
        (None, None) => discover(&folder),
    };
    if let Some(plan) = &plan {
        // The plan's stories come first, so its article indices stay valid; articles listed
        // besides them follow, set one after the other after the planned pages.
        let mut all = plan.stories.clone();
        all.extend(refs.into_iter().filter(|r| !plan.stories.iter().any(|s| s.path == r.path)));
        refs = all;
    }
    if let (None, Some(file)) = (&lone_article, &config_file) {
        warnings.extend(unlisted_warning(&folder, file, &refs));
    }
    if refs.is_empty() {
        warnings.push(
            Diagnostic::warning("no-articles", format!("no articles found in {}", folder.display()))
                .in_file(&folder)
                .hint("put the articles in an `articles/` folder, or list them under `articles:` in issue.yaml"),
        );
    }

    let ctx = ArticleContext {
        root: &root,
        lang: config.lang,
        photo: config.photo,
        allow_outside: options.allow_outside,
        front_matter: &config.front_matter,
        proofs: options.photo_proofs.as_deref(),
        ink_limit: crate::raster::ink_limit(config.output.tac),
    };
    let listed_in = config_file.as_deref().filter(|_| lone_article.is_none());
    let mut seen: Vec<PathBuf> = Vec::new();
    // Paths are checked in list order (a duplicate is the second mention)...
    let mut checked = Vec::with_capacity(refs.len());
    for r in refs {
        let canonical = std::fs::canonicalize(&r.path).ok();
        if let (Some(c), Some(file)) = (&canonical, listed_in) {
            if seen.contains(c) {
                warnings.push(listed_diag(
                    file,
                    &r,
                    Diagnostic::warning(
                        "duplicate-article",
                        format!("`{}` is listed twice", r.written),
                    ),
                ));
            }
            seen.push(c.clone());
        }
        let refused = match (&canonical, listed_in) {
            (None, Some(file)) => Some(vec![
                listed_diag(
                    file,
                    &r,
                    Diagnostic::error(
                        "io",
                        format!(
                            "article `{}` not found (looked for {})",
                            r.written,
                            r.path.display()
                        ),
                    ),
                )
                .hint(match suggest::nearest_existing(&root, &r.written) {
                    Some(near) => format!("did you mean `{near}`?"),
                    None => "article paths are relative to the issue folder".into(),
                }),
            ]),
            (Some(c), Some(file)) if !options.allow_outside && !c.starts_with(&root) => Some(vec![
                listed_diag(
                    file,
                    &r,
                    Diagnostic::error(
                        "path-outside",
                        format!(
                            "article `{}` is outside the issue folder {}",
                            r.written,
                            root.display()
                        ),
                    ),
                )
                .hint("copy it into the issue folder, or allow outside paths explicitly"),
            ]),
            _ => None,
        };
        checked.push((r, refused));
    }
    // ...then the articles are read and parsed in parallel, kept in list order.
    let mut articles: Vec<ArticleEntry> = checked
        .into_par_iter()
        .map(|(r, refused)| {
            let article = match refused {
                Some(errors) => Err(errors),
                None => article::load_article(&r.path, &ctx),
            };
            ArticleEntry { path: r.path, article }
        })
        .collect();
    // The automatic make-up plans its own pages: a written plan only gave it the stories.
    let plan = plan.filter(|_| !auto_wanted);
    leave_out_drafts(&mut articles, plan.as_ref().map_or(0, |p| p.stories.len()), &mut warnings);
    let auto = auto_wanted.then(|| auto_makeup(auto, &folder, &articles, &mut warnings));

    let plan = plan.map(|p| {
        for (story, warning) in p.photo_checks {
            // Only a story that loaded: one that failed has its own errors.
            let loaded = articles.get(story).and_then(|e| e.article.as_ref().ok());
            if loaded.is_some_and(|a| a.photo.is_none()) {
                warnings.push(warning);
            }
        }
        PagePlan { pages: p.pages, fit_steps: p.fit_steps }
    });
    Ok(Issue { root, config_file, config, articles, warnings, plan, auto })
}

/// The automatic make-up's settings, with each story hint matched to its article; a hint
/// for a file the issue does not build is a warning.
fn auto_makeup(
    auto: issue::ResolvedAuto,
    folder: &Path,
    articles: &[ArticleEntry],
    warnings: &mut Vec<Diagnostic>,
) -> AutoMakeup {
    let mut hints = vec![StoryHint::default(); articles.len()];
    for (written, hint, line) in auto.hints {
        let path = folder.join(&written);
        match articles.iter().position(|e| e.path == path) {
            Some(i) => hints[i] = hint,
            None => warnings.push(
                Diagnostic::warning(
                    "unknown-story",
                    format!("`auto.stories` has hints for {written}, which is not one of the issue's articles"),
                )
                .in_file(folder.join(ISSUE_FILE))
                .at(line, 1)
                .field("auto.stories")
                .hint("check the file name against `articles:`"),
            ),
        }
    }
    AutoMakeup {
        pages: auto.pages,
        multiple_of: auto.multiple_of.max(1),
        ads: auto.ads,
        sections: auto.sections,
        hints,
        fit_steps: auto.fit_steps,
        house_ad: auto.house_ad,
    }
}

/// The issue folder `start` belongs to: the nearest of it and the folders above it that
/// holds an `issue.yaml`, as cargo finds `Cargo.toml`. A relative `start` is walked up
/// from the working folder's real path, so `cd issue/articles && rotative build a.md`
/// finds `issue/`. The folder is returned as written when it is `start` itself.
pub fn find_issue_folder(start: &Path) -> Option<PathBuf> {
    if start.join(ISSUE_FILE).is_file() {
        return Some(start.to_path_buf());
    }
    let absolute = std::fs::canonicalize(start).ok()?;
    absolute.ancestors().skip(1).find(|d| d.join(ISSUE_FILE).is_file()).map(Path::to_path_buf)
}

/// Leaves out the articles marked `draft: true`, with a note each. The first `planned`
/// articles are the page plan's stories, whose indices must not move: a draft there fails
/// instead, so its frame is marked missing rather than silently empty.
fn leave_out_drafts(articles: &mut Vec<ArticleEntry>, planned: usize, notes: &mut Vec<Diagnostic>) {
    let draft = |e: &ArticleEntry| e.article.as_ref().is_ok_and(|a| a.draft);
    for entry in articles.iter_mut().take(planned).filter(|e| draft(e)) {
        let error = Diagnostic::error("draft", "a draft (`draft: true`) placed by the page plan")
            .in_file(&entry.path)
            .field("draft")
            .hint("set `draft: false`, or take the story out of `pages:` in issue.yaml");
        entry.article = Err(vec![error]);
    }
    let mut index = 0;
    articles.retain(|entry| {
        index += 1;
        if index <= planned || !draft(entry) {
            return true;
        }
        notes.push(
            Diagnostic::note("draft", "left out: the article is a draft (`draft: true`)")
                .in_file(&entry.path)
                .field("draft"),
        );
        false
    });
}

/// A diagnostic about an entry of the `articles` list, located in `issue.yaml`.
fn listed_diag(file: &Path, r: &ArticleRef, d: Diagnostic) -> Diagnostic {
    let snippet = std::fs::read_to_string(file)
        .ok()
        .map(|text| source::line_text(&text, r.line).trim_end().to_string())
        .unwrap_or_default();
    d.in_file(file).at(r.line, r.column).snippet(snippet).field("articles")
}

/// The files of `articles/` that `issue.yaml` neither lists nor places, which would
/// otherwise never be built without a word: one warning naming them.
fn unlisted_warning(folder: &Path, config_file: &Path, refs: &[ArticleRef]) -> Option<Diagnostic> {
    if !folder.join("articles").is_dir() {
        return None;
    }
    let known: Vec<PathBuf> =
        refs.iter().filter_map(|r| std::fs::canonicalize(&r.path).ok()).collect();
    let unlisted: Vec<String> = discover(folder)
        .into_iter()
        .filter(|r| std::fs::canonicalize(&r.path).is_ok_and(|c| !known.contains(&c)))
        .map(|r| r.path.strip_prefix(folder).unwrap_or(&r.path).display().to_string())
        .collect();
    if unlisted.is_empty() {
        return None;
    }
    let mut d = Diagnostic::warning(
        "unlisted-article",
        format!("not built, as issue.yaml does not list them: {}", unlisted.join(", ")),
    )
    .in_file(config_file)
    .field("articles")
    .hint("list them under `articles:` (or in `pages:`), or write `articles: all` to build every file of articles/");
    if let Ok(text) = std::fs::read_to_string(config_file)
        && let Some(index) =
            text.lines().position(|l| l.starts_with("articles:") || l.starts_with("pages:"))
    {
        d = d.at(index + 1, 1).snippet(text.lines().nth(index).unwrap_or_default());
    }
    Some(d)
}

/// Articles of a folder without a list: every `*.md` under `articles/` if that folder
/// exists, else in the folder itself (minus a README), in file-name order, so `01-…`,
/// `02-…` prefixes set the page order.
fn discover(folder: &Path) -> Vec<ArticleRef> {
    let articles_dir = folder.join("articles");
    let dir = if articles_dir.is_dir() { articles_dir } else { folder.to_path_buf() };
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map(|entries| {
            entries
                .filter_map(|e| e.ok().map(|e| e.path()))
                // Anything but a folder: a pipe or a device named `.md` is an error when
                // read, never silently left out.
                .filter(|p| !p.is_dir())
                .filter(|p| p.extension().is_some_and(|e| e.eq_ignore_ascii_case("md")))
                .filter(|p| {
                    !p.file_stem()
                        .is_some_and(|s| s.to_string_lossy().eq_ignore_ascii_case("readme"))
                })
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    files
        .into_iter()
        .map(|path| ArticleRef { written: path.display().to_string(), path, line: 0, column: 0 })
        .collect()
}

#[cfg(test)]
mod tests;

#[cfg(test)]
mod position_tests;
