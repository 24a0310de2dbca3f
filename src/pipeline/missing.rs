//! The place of a failed article. A story that fails is not simply left out: the stories
//! after it would move up and the page numbers shift, and a print shop could receive an
//! issue with a story missing without anybody noticing. Instead a placeholder story headed
//! "MISSING: `file`" is set in its place (its planned frames, or its turn in the flow), and
//! the pages that hold it, or that the missing story could have changed, are known, so the
//! batch can refuse to replace them (or, with `--allow-incomplete`, write them marked). In
//! the flow, the placeholder holds the pages the story took in the last build (recorded in
//! the output folder's manifest), so that page numbers do not shift there either.

use std::path::{Path, PathBuf};

use crate::compose::{self, ArticleParts, Grid, HeldPlace, StoryShape};
use crate::model::{Article, ArticleEntry, Block, BlockKind, FrameContent, InlineRun};
use crate::model::{IssueConfig, Lang, PagePlan};
use crate::text::TextEngine;

/// The headline's words before the file name: upper case and English whatever the issue's
/// language, as a technical mark that a proofreader and `pdftotext` both find.
pub const MARK: &str = "MISSING:";

/// The mark's file name: the article's file name alone (the folder would only make the
/// headline wrap).
pub fn mark_name(file: &Path) -> String {
    file.file_name().map_or_else(|| file.display().to_string(), |n| n.to_string_lossy().into())
}

/// The placeholder story of the failed article `entry`, set for `shape` (its planned frame,
/// or `None` in the flow), keeping the place `held` the story took in the flow of the last
/// build when known. `None` when even the placeholder cannot be set.
pub fn placeholder_parts(
    engine: &TextEngine,
    config: &IssueConfig,
    grid: &Grid,
    entry: &ArticleEntry,
    shape: Option<StoryShape>,
    held: Option<HeldPlace>,
) -> Option<ArticleParts> {
    let body = vec![Block {
        kind: BlockKind::Paragraph(vec![InlineRun::plain(
            "This story could not be built: the build report says why.",
        )]),
        line: 1,
    }];
    let article = Article {
        path: entry.path.clone(),
        // English, as its words are: no French space before the colon of the mark.
        lang: Lang::EnGb,
        kicker: None,
        title: format!("{MARK} {}", mark_name(&entry.path)),
        standfirst: None,
        author: None,
        date: None,
        updated: None,
        access: None,
        url: None,
        url_line: None,
        short_url: None,
        short_url_line: None,
        keywords: Vec::new(),
        photo: None,
        reading_time: None,
        body,
        warnings: Vec::new(),
        draft: false,
    };
    // No QR code: the mark links nowhere.
    let mut parts = compose::set_article(engine, config, grid, &article, None, shape).ok()?;
    parts.held = held;
    Some(parts)
}

/// The pages that depend on the failed article `index`: those its planned frames are on
/// (plus any its placeholder reached), or, for a story set in the flow, every page from
/// where its placeholder starts, since the stories after it move with its length. A
/// placeholder that could not be placed makes every page depend on it.
pub fn dependent_pages(
    plan: Option<&PagePlan>,
    planned: bool,
    index: usize,
    placeholder_pages: Option<&[u32]>,
    page_count: u32,
) -> Vec<u32> {
    let mut pages: Vec<u32> = match (plan, planned) {
        (Some(plan), true) => plan
            .pages
            .iter()
            .enumerate()
            .filter(|(_, page)| {
                page.frames.iter().any(|frame| match &frame.content {
                    FrameContent::Story { article, .. } => *article == index,
                    FrameContent::Briefs { articles, .. } => articles.contains(&index),
                    FrameContent::Ad { .. } | FrameContent::House => false,
                })
            })
            .map(|(n, _)| n as u32 + 1)
            .collect(),
        _ => {
            let from = placeholder_pages.and_then(|p| p.first().copied()).unwrap_or(1);
            (from..=page_count).collect()
        }
    };
    pages.extend(placeholder_pages.unwrap_or_default());
    pages.sort_unstable();
    pages.dedup();
    pages
}

/// A failed article and the pages that depend on it.
#[derive(Debug, Clone)]
pub struct MissingStory {
    /// The article file.
    pub file: PathBuf,
    /// Pages whose content it could have changed (issue numbering).
    pub pages: Vec<u32>,
    /// Pages its "MISSING" mark is drawn on.
    pub marked: Vec<u32>,
    /// Whether it has frames in the page plan (its place is theirs).
    pub planned: bool,
    /// In the flow, the place its mark keeps: the one the story took in the last build,
    /// when that is recorded (else the mark takes the story's turn but not its length).
    pub held: Option<HeldPlace>,
}
