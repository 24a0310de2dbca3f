//! The compose stage as the pipeline runs it: the planned pages of the issue's page plan
//! first, then the articles the plan does not place, one after the other on the pages
//! after them; without a plan, today's sequential make-up of every article.

use std::path::{Path, PathBuf};

use crate::compose::display::Page;
use crate::compose::{
    self, ArticleParts, ArticlePlacement, BoilerplateBand, ProofFrame, StoryShape,
};
use crate::diag::Diagnostic;
use crate::model::{FrameContent, FramePhoto, HeadClass, Issue, IssueConfig, PagePlan};
use crate::text::TextEngine;

/// The frame shape each article is set for: its first frame in the plan (`None` for an
/// article the plan does not place, or without a plan).
pub(super) fn shapes(plan: Option<&PagePlan>, articles: usize) -> Vec<Option<StoryShape>> {
    let mut shapes = vec![None; articles];
    let Some(plan) = plan else { return shapes };
    for frame in plan.pages.iter().flat_map(|p| &p.frames) {
        let (columns, depth) = (frame.columns, frame.depth);
        let mut give = |article: usize, head: HeadClass, in_briefs: bool, photo: FramePhoto| {
            if let Some(slot @ None) = shapes.get_mut(article) {
                *slot = Some(StoryShape { columns, depth, head, in_briefs, photo });
            }
        };
        match &frame.content {
            FrameContent::Story { article, head, photo, .. } => {
                give(*article, *head, false, *photo);
            }
            FrameContent::Briefs { articles, .. } => {
                for article in articles {
                    give(*article, HeadClass::Brief, true, FramePhoto::AsSet);
                }
            }
            FrameContent::Ad { .. } | FrameContent::House => {}
        }
    }
    shapes
}

/// The composed pages and, per article of `ok` in order, where it went.
pub(super) struct Composed {
    pub(super) pages: Vec<Page>,
    pub(super) placements: Vec<ArticlePlacement>,
    pub(super) warnings: Vec<Diagnostic>,
    /// The planned frames, for proof marks.
    pub(super) frames: Vec<ProofFrame>,
}

/// Composes the articles `ok` (index in the issue, set parts), of an issue of `total`
/// articles.
pub(super) fn compose_issue(
    engine: &TextEngine,
    config: &IssueConfig,
    plan: Option<&PagePlan>,
    ok: &[(usize, &ArticleParts)],
    total: usize,
    boilerplate: &BoilerplateBand,
) -> Composed {
    let Some(plan) = plan else {
        let parts: Vec<&ArticleParts> = ok.iter().map(|(_, a)| *a).collect();
        let composition = compose::compose(engine, config, &parts, boilerplate, 1);
        return Composed {
            pages: composition.pages,
            placements: composition.articles,
            warnings: composition.warnings,
            frames: Vec::new(),
        };
    };
    let mut by_index: Vec<Option<&ArticleParts>> = vec![None; total];
    for (index, parts) in ok {
        by_index[*index] = Some(*parts);
    }
    let planned = shapes(Some(plan), total);
    let made = compose::make_up(engine, config, plan, &by_index);
    let mut pages = made.pages;
    let mut warnings = made.warnings;
    let mut placed = made.articles;
    let frames = made.frames;
    // The articles the plan does not place follow on the next pages, with the band.
    let rest: Vec<&ArticleParts> =
        ok.iter().filter(|(i, _)| planned[*i].is_none()).map(|(_, a)| *a).collect();
    let mut sequential = Vec::new().into_iter();
    if !rest.is_empty() {
        let first = pages.len() as u32 + 1;
        let composition = compose::compose(engine, config, &rest, boilerplate, first);
        pages.extend(composition.pages);
        warnings.extend(composition.warnings);
        sequential = composition.articles.into_iter();
    }
    let placements = ok
        .iter()
        .map(|(index, _)| {
            let from_plan = if planned[*index].is_some() { placed[*index].take() } else { None };
            from_plan.or_else(|| sequential.next()).unwrap_or_else(|| ArticlePlacement {
                pages: Vec::new(),
                overset: false,
                underset: 0.0,
                drawn: Vec::new(),
                fits: Vec::new(),
            })
        })
        .collect();
    Composed { pages, placements, warnings, frames }
}

/// `pages` with the proof marks of `frames` (frame outlines, names, overset markers).
pub(super) fn with_proof_marks(
    engine: &TextEngine,
    config: &IssueConfig,
    frames: &[ProofFrame],
    pages: &[Page],
) -> Vec<Page> {
    let mut marked = pages.to_vec();
    for page in &mut marked {
        compose::proof_marks(engine, config, frames, page);
    }
    marked
}

/// The issue's `issue.yaml`, read or not: what its findings point at.
pub(super) fn issue_file(issue: &Issue) -> PathBuf {
    issue.config_file.clone().unwrap_or_else(|| issue.root.join(crate::load::ISSUE_FILE))
}

/// The compose stage's `found` findings, those it made about `issue.yaml` (which it knows
/// only by that name) pointed at the issue's own file: the build may run from anywhere.
pub(super) fn in_issue_file(issue: &Issue, found: Vec<Diagnostic>) -> Vec<Diagnostic> {
    let file = issue_file(issue);
    let named = Some(Path::new(crate::load::ISSUE_FILE));
    found
        .into_iter()
        .map(|mut d| {
            if d.file.as_deref() == named {
                d.file = Some(file.clone());
            }
            d
        })
        .collect()
}
