//! `issue.yaml`: publication settings, page grid, fonts, styles, output, and the article
//! order, resolved over [`default_config`] into an [`IssueConfig`].
//!
//! ```text
//! schema  the raw structs, as written (serde, with source positions)
//! mod     parse_issue and the Resolver: publication, dates, language, text settings
//! page    page format, margins and the column grid
//! fonts   the four font roles, from bundled families or font files
//! styles  text styles, colours and labels
//! output  PDF standard, bleed, marks, profile, ink limit, QR codes and photo limits
//! ```

mod auto;
mod fonts;
mod microtype;
mod output;
mod page;
mod plan;
mod schema;
mod styles;

use std::fmt;
use std::ops::RangeInclusive;
use std::path::{Path, PathBuf};

use serde_saphyr::Spanned;

use super::LANGUAGES_HINT;
use super::defaults::default_config;
use super::markdown::parse_inline;
use super::source::Source;
use super::yaml::{Fragment, Text, parse_date, take_unknown_keys, unknown_key_error};
use crate::diag::{Diagnostic, closest};
use crate::model::{Boilerplate, BundledCondition, IssueConfig, Lang, Marks, ProfileChoice};
pub use auto::ResolvedAuto;
pub(super) use page::COLUMNS;
pub use page::PAGE_FORMATS;
pub use plan::ResolvedPlan;
use schema::RawIssue;
pub use schema::{ISSUE_FIELDS, STYLE_FIELDS};

/// Reading speeds outside this range (words per minute) are typos: adults read 150 to 400.
const WORDS_PER_MINUTE: RangeInclusive<u32> = 50..=1000;

/// One entry of the `articles` list, as written.
#[derive(Debug, Clone)]
pub struct ArticleRef {
    /// The path joined to the issue folder.
    pub path: PathBuf,
    /// The path as written.
    pub written: String,
    /// Its line in `issue.yaml`.
    pub line: usize,
    /// Its column.
    pub column: usize,
}

/// The result of reading `issue.yaml`.
#[derive(Debug)]
pub struct LoadedConfig {
    /// The resolved settings.
    pub config: IssueConfig,
    /// The `articles` list, if given.
    pub articles: Option<Vec<ArticleRef>>,
    /// `articles: all`: every file of `articles/` is built, listed or not.
    pub all_articles: bool,
    /// Warnings (hex colours, font fallbacks, ...).
    pub warnings: Vec<Diagnostic>,
    /// The page plan (`pages`), if given as a list.
    pub plan: Option<ResolvedPlan>,
    /// The automatic make-up's settings (`auto:`); `on` when `pages: auto`.
    pub auto: ResolvedAuto,
}

/// Parses and resolves `issue.yaml` text; `root` is the issue folder (font and profile paths
/// are relative to it). `Err` holds every error found, then the warnings.
pub fn parse_issue(source: &Source, root: &Path) -> Result<LoadedConfig, Vec<Diagnostic>> {
    // Unknown top-level keys are all reported, and taken out so the rest of the file is
    // still checked in the same run.
    let (yaml, unknown) = take_unknown_keys(&source.text, 0, ISSUE_FIELDS, &[]);
    let unknown: Vec<Diagnostic> = unknown
        .iter()
        .map(|(key, line)| unknown_key_error(source, key, *line, ISSUE_FIELDS, &[]))
        .collect();
    let fragment = Fragment { source, yaml: &yaml, line_offset: 0 };
    let mut errors = unknown;
    // A wrong value, at any depth, is reported and left out (its default stands in).
    let (raw, mut wrong) = fragment.parse_all_or_default::<RawIssue>();
    errors.append(&mut wrong);
    let Some(raw) = raw else { return Err(errors) };
    // The values of the other keys are still checked, at their own lines.
    let mut r = Resolver {
        fragment,
        root,
        errors,
        warnings: Vec::new(),
        output_profile: ProfileChoice::Bundled(BundledCondition::Newsprint),
        tac: 0.0,
    };
    let config = r.config(&raw);
    let mut all_articles = false;
    let articles = match raw.articles.as_ref().map(|at| (&at.value, at)) {
        None => None,
        Some((schema::RawArticles::List(list), _)) => Some(
            list.iter()
                .map(|a| ArticleRef {
                    path: root.join(a.value.0.trim()),
                    written: a.value.0.trim().to_string(),
                    line: r.fragment.line_of(a),
                    column: a.referenced.column() as usize,
                })
                .collect(),
        ),
        Some((schema::RawArticles::Word(word), at)) => {
            if word.trim() == "all" {
                all_articles = true;
            } else {
                let d = r.error(
                    "invalid-value",
                    format!("`articles` must be a list of files or `all`, not `{word}`"),
                    "articles",
                    at,
                );
                d.hint = Some(String::from("articles: [articles/a.md, articles/b.md]"));
            }
            None
        }
    };
    let (plan, auto_on) = match raw.pages.as_ref().map(|at| (&at.value, at)) {
        None => (None, false),
        Some((schema::RawPages::Plan(pages), _)) => {
            (Some(r.plan(pages, raw.copyfit.as_deref(), &config)), false)
        }
        Some((schema::RawPages::Word(word), _)) if word.trim() == "auto" => (None, true),
        Some((schema::RawPages::Word(word), at)) => {
            let d = r.error(
                "invalid-value",
                format!("`pages` must be a list of pages or `auto`, not `{word}`"),
                "pages",
                at,
            );
            d.hint = Some(String::from("pages: auto, or a page plan (see docs/page-plan.md)"));
            (None, false)
        }
    };
    let steps = r.fit_steps(raw.copyfit.as_deref());
    let auto = r.auto(raw.auto.as_ref(), auto_on, steps, &config);
    if r.errors.is_empty() {
        Ok(LoadedConfig { config, articles, all_articles, warnings: r.warnings, plan, auto })
    } else {
        r.errors.append(&mut r.warnings);
        Err(r.errors)
    }
}

/// Resolves the raw file over the defaults, collecting errors rather than stopping at the
/// first, so one run reports them all.
struct Resolver<'a> {
    fragment: Fragment<'a>,
    root: &'a Path,
    errors: Vec<Diagnostic>,
    warnings: Vec<Diagnostic>,
    /// The CMYK output profile hex colours are converted through.
    output_profile: ProfileChoice,
    /// The ink limit style colours are held to, percent.
    tac: f32,
}

/// A trimmed, non-empty text value.
fn text(t: &Option<Spanned<Text>>) -> Option<String> {
    t.as_ref().map(|t| t.value.0.trim().to_string()).filter(|t| !t.is_empty())
}

impl Resolver<'_> {
    /// Records an error at a value and returns it, for the caller to add a hint.
    fn error<T>(
        &mut self,
        kind: &'static str,
        message: impl Into<String>,
        field: &str,
        at: &Spanned<T>,
    ) -> &mut Diagnostic {
        let d = self.fragment.error(kind, message, field, at);
        self.errors.push(d);
        self.errors.last_mut().expect("just pushed")
    }

    /// A value from a fixed list of names, with a suggestion when mistyped.
    fn choice<T: Copy>(
        &mut self,
        at: &Option<Spanned<Text>>,
        field: &str,
        choices: &[(&str, T)],
        default: T,
    ) -> T {
        let Some(at) = at else { return default };
        let mut value = at.value.0.trim().to_lowercase();
        // YAML 1.1 reads an unquoted `off` or `no` as false: take it as the `off`/`none` it was.
        if value == "false"
            && let Some((name, _)) = choices.iter().find(|(n, _)| *n == "off" || *n == "none")
        {
            value = (*name).to_string();
        }
        if let Some((_, v)) = choices.iter().find(|(name, _)| *name == value) {
            return *v;
        }
        let names: Vec<&str> = choices.iter().map(|(n, _)| *n).collect();
        let hint = match closest(&value, names.iter().copied()) {
            Some(close) => format!("did you mean `{close}`?"),
            None => format!("expected one of: {}", names.join(", ")),
        };
        let d = self.error("invalid-value", format!("unknown value `{}`", at.value.0), field, at);
        d.hint = Some(hint);
        default
    }

    /// A number within `range`, or an error.
    fn number<T: Copy + PartialOrd + fmt::Display>(
        &mut self,
        at: &Option<Spanned<T>>,
        field: &str,
        range: RangeInclusive<T>,
        default: T,
    ) -> T {
        let Some(at) = at else { return default };
        if range.contains(&at.value) {
            at.value
        } else {
            self.error(
                "invalid-value",
                format!(
                    "`{field}` must be between {} and {}, not {}",
                    range.start(),
                    range.end(),
                    at.value
                ),
                field,
                at,
            );
            default
        }
    }

    /// The whole file over the defaults. The order is the order of the messages.
    fn config(&mut self, raw: &RawIssue) -> IssueConfig {
        let mut c = default_config();
        self.publication(raw, &mut c);
        self.page(raw, &mut c.page);
        if page::is_sheet_format(raw) {
            c.output.marks = Marks::Crop;
        }
        if let Some(fonts) = &raw.fonts {
            self.fonts(fonts, &mut c.fonts);
        }
        // Output first: hex colours in styles are converted through its profile.
        if let Some(o) = &raw.output {
            self.output(o, &mut c.output);
        }
        self.output_profile = c.output.icc_profile.clone();
        self.tac = c.output.tac;
        if let Some(styles) = &raw.styles {
            self.styles(styles, &mut c.styles);
        }
        if let Some(labels) = &raw.labels {
            c.labels = self.labels(labels);
        }
        self.text_settings(raw, &mut c);
        if let Some(m) = &raw.microtype {
            self.microtype(m, &mut c.microtype);
        }
        if let Some(q) = &raw.qr {
            self.qr(q, &mut c.qr);
        }
        if let Some(p) = &raw.photo {
            self.photo(p, &mut c.photo);
        }
        self.page_file_pattern(raw, &mut c);
        if let Some(at) = &raw.front_matter {
            self.front_matter(at, &mut c.front_matter);
        }
        c
    }

    /// The renames and ignored fields of the articles' front matter; a rename must lead
    /// to one of our fields.
    fn front_matter(
        &mut self,
        at: &Spanned<schema::RawFrontMatter>,
        rules: &mut crate::model::FrontMatterRules,
    ) {
        for (from, to) in at.value.map.iter().flatten() {
            let to = to.0.trim();
            if crate::load::ARTICLE_FIELDS.contains(&to) {
                rules.map.push((from.trim().to_string(), to.to_string()));
            } else {
                let d = self.error(
                    "invalid-value",
                    format!("`front_matter.map` renames `{from}` to `{to}`, which is not a front-matter field"),
                    "front_matter.map",
                    at,
                );
                d.hint = Some(
                    match crate::diag::closest(to, crate::load::ARTICLE_FIELDS.iter().copied()) {
                        Some(close) => format!("did you mean `{close}`?"),
                        None => format!("fields: {}", crate::load::ARTICLE_FIELDS.join(", ")),
                    },
                );
            }
        }
        rules.ignore = at.value.ignore.iter().flatten().map(|t| t.0.trim().to_string()).collect();
    }

    /// Who publishes the issue, when, and in which language.
    fn publication(&mut self, raw: &RawIssue, c: &mut IssueConfig) {
        if let Some(name) = text(&raw.publication) {
            c.publication = name;
        }
        c.website = text(&raw.website).map(|w| w.trim_end_matches('/').to_string());
        // Checked here, at its own line, rather than on every article's `url` line later.
        if let (Some(site), Some(at)) = (&c.website, &raw.website) {
            let usable = url::Url::parse(site)
                .is_ok_and(|u| matches!(u.scheme(), "http" | "https") && u.host().is_some());
            if !usable {
                let d = self.error(
                    "invalid-value",
                    format!("`website` must be a web address, not `{site}`"),
                    "website",
                    at,
                );
                d.hint = Some(String::from("website: https://www.example.com"));
                c.website = None;
            }
        }
        c.number = text(&raw.number);
        if let Some(at) = &raw.date {
            match parse_date(&at.value.0) {
                Ok(d) => c.date = Some(d),
                Err(why) => {
                    let d = self.error("invalid-value", why, "date", at);
                    d.hint = Some(String::from("write dates as 2025-09-11"));
                }
            }
        }
        if let Some(at) = &raw.lang {
            match Lang::from_tag(&at.value.0) {
                Some(lang) => c.lang = lang,
                None => {
                    let d = self.error(
                        "invalid-value",
                        format!("unknown language `{}`", at.value.0),
                        "lang",
                        at,
                    );
                    d.hint = Some(String::from(LANGUAGES_HINT));
                }
            }
        }
    }

    /// The boilerplate blocks, the reading speed and the hyphenation settings.
    fn text_settings(&mut self, raw: &RawIssue, c: &mut IssueConfig) {
        if let Some(blocks) = &raw.boilerplate {
            c.boilerplate = blocks
                .iter()
                .map(|b| Boilerplate {
                    title: b.title.0.trim().to_string(),
                    text: b.text.as_ref().map(|t| parse_inline(&t.0)).unwrap_or_default(),
                    action: b
                        .action
                        .as_ref()
                        .map(|a| a.0.trim().to_string())
                        .filter(|a| !a.is_empty()),
                })
                .collect();
        }
        c.words_per_minute = self.number(
            &raw.words_per_minute,
            "words_per_minute",
            WORDS_PER_MINUTE,
            c.words_per_minute,
        );
        if let Some(h) = &raw.hyphenation {
            if let Some(list) = &h.exceptions {
                c.hyphenation.exceptions = list.iter().map(|t| t.0.trim().to_string()).collect();
            }
            if let Some(max) = h.max_consecutive {
                c.hyphenation.max_consecutive = max;
            }
        }
    }

    /// The file name of each page's PDF: a name in the output folder, no folders, no escape.
    fn page_file_pattern(&mut self, raw: &RawIssue, c: &mut IssueConfig) {
        let (Some(p), Some(at)) = (text(&raw.page_file_pattern), &raw.page_file_pattern) else {
            return;
        };
        let problem = if p.contains(['/', '\\']) || p.contains("..") {
            Some("must be a file name, without folders")
        } else if !p.contains("{page") {
            Some("must contain `{page}` or `{page:02}`, or every page overwrites the last")
        } else {
            None
        };
        match problem {
            Some(why) => {
                let d = self.error(
                    "invalid-value",
                    format!("page_file_pattern {why}"),
                    "page_file_pattern",
                    at,
                );
                d.hint = Some(String::from("{publication}-{date}-p{page:02}.pdf"));
            }
            None => c.page_file_pattern = p,
        }
    }
}
