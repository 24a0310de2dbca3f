//! The automatic make-up as the pipeline runs it: every article set in each shape the
//! planner may give it (in parallel), then the planner's search, whose page plan the rest
//! of the pipeline makes up like a written one.

use rayon::prelude::*;

use crate::compose::{self, AutoOutcome, Grid, StoryCandidates};
use crate::diag::Diagnostic;
use crate::fonts::FontBook;
use crate::model::{AutoMakeup, Issue, IssueConfig};
use crate::qr;
use crate::text::TextEngine;

/// Only the automatic make-up's choice for `issue`, without setting the pages it plans or
/// rendering them: `None` when the issue is not made up automatically or its fonts are
/// missing (a build reports those). What a test of the planner over many issues needs.
pub fn plan_only(issue: &Issue) -> Option<AutoOutcome> {
    let auto = issue.auto.as_ref()?;
    let config = &issue.config;
    let fonts = FontBook::new(&config.fonts).ok()?;
    let engine = TextEngine::new(fonts, &config.hyphenation)
        .with_protrusion_chars(&config.microtype.protrusion_chars)
        .with_paragraph_memo();
    let qrs = super::prepare_qrs(issue, config, &[], &super::Settings::default());
    Some(plan(issue, auto, &qrs, &engine, config, &Grid::new(config)))
}

/// Plans the pages of `issue` with `auto`.
pub(super) fn plan(
    issue: &Issue,
    auto: &AutoMakeup,
    qrs: &[Result<Option<qr::PreparedQr>, Diagnostic>],
    engine: &TextEngine,
    config: &IssueConfig,
    grid: &Grid,
) -> AutoOutcome {
    // One task per (article, shape): a long story's shapes are set on both threads.
    let tasks: Vec<(usize, u32, bool, compose::StoryShape)> = issue
        .articles
        .iter()
        .enumerate()
        .filter_map(|(i, entry)| Some((i, entry.article.as_ref().ok()?)))
        .flat_map(|(i, article)| {
            let brief = is_brief(article);
            let shapes = compose::candidate_shapes(config, auto, i, article.photo.is_some(), brief);
            shapes.into_iter().map(move |(w, photo, shape)| (i, w, photo, shape))
        })
        .collect();
    let set: Vec<(usize, u32, bool, Option<compose::ArticleParts>)> = tasks
        .into_par_iter()
        .map(|(i, width, photo, shape)| {
            let article = issue.articles[i].article.as_ref().ok();
            let parts = article.and_then(|a| {
                let qr = qrs.get(i).and_then(|q| q.as_ref().ok()?.as_ref());
                compose::set_article(engine, config, grid, a, qr, Some(shape)).ok()
            });
            (i, width, photo, parts)
        })
        .collect();
    let columns = grid.columns as usize;
    let mut stories: Vec<Option<StoryCandidates>> = issue
        .articles
        .iter()
        .enumerate()
        .map(|(i, entry)| {
            let article = entry.article.as_ref().ok()?;
            Some(StoryCandidates {
                by_width: vec![(None, None); columns],
                has_photo: article.photo.is_some(),
                brief: is_brief(article),
                hint: auto.hints.get(i).cloned().unwrap_or_default(),
            })
        })
        .collect();
    for (i, width, photo, parts) in set {
        let Some(Some(story)) = stories.get_mut(i) else { continue };
        let Some(slot) = story.by_width.get_mut(width as usize - 1) else { continue };
        if photo { slot.0 = parts } else { slot.1 = parts }
    }
    // An article that could not be set in any shape fails in the text stage: not a story.
    for story in &mut stories {
        if story
            .as_ref()
            .is_some_and(|s| s.by_width.iter().all(|(a, b)| a.is_none() && b.is_none()))
        {
            *story = None;
        }
    }
    compose::plan_issue(engine, config, auto, &stories)
}

/// Whether `article` is short enough to be made up as a brief.
fn is_brief(article: &crate::model::Article) -> bool {
    compose::article::count_words(&article.body) < compose::BRIEF_WORDS
}

/// The warnings of an automatic make-up: each story no page took, and each page it left
/// with white space.
pub(super) fn findings(issue: &Issue, outcome: &AutoOutcome) -> Vec<Diagnostic> {
    let file = super::makeup::issue_file(issue);
    let mut found = Vec::new();
    for story in &outcome.unplaced {
        let Some(entry) = issue.articles.get(*story) else { continue };
        if entry.article.is_err() {
            continue;
        }
        found.push(
            Diagnostic::warning(
                "unplaced",
                format!(
                    "automatic make-up: no page took {} (it is not in the issue)",
                    entry.path.display()
                ),
            )
            .in_file(&file)
            .field("auto.pages")
            .hint("allow more pages (`auto.pages`), or shorten the story"),
        );
    }
    for page in outcome.pages.iter().filter(|p| p.white_lines > 0) {
        let what = if page.padding { "left empty to round the page count" } else { "not filled" };
        found.push(
            Diagnostic::warning(
                "white-space",
                format!(
                    "automatic make-up: page {} {what}: {:.0} mm² white ({:.1} % of the type area)",
                    page.number,
                    page.white_mm2(),
                    page.white_percent()
                ),
            )
            .in_file(&file)
            .field("auto"),
        );
    }
    found
}
