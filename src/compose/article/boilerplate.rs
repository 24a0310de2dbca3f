//! The publication's boilerplate (subscription, donation): blocks set once per issue, which
//! the composer puts side by side in a band across the free foot of a page.

use super::{Setter, snap_up};
use crate::compose::Grid;
use crate::compose::display::Item;
use crate::compose::flow::BlockPiece;
use crate::diag::Diagnostic;
use crate::model::{Boilerplate, Emphasis, InlineRun, IssueConfig};
use crate::text::TextEngine;

/// Weight of the rule over each block, points: lighter than the rule between articles, as
/// the band belongs to the page rather than to an article.
const RULE_WIDTH: f32 = 0.75;
/// From the rule to the top of the block's title, points.
const TITLE_TOP: f32 = 3.0;

/// The publication's boilerplate blocks as set, with the warnings of setting them.
#[derive(Debug, Clone, Default)]
pub struct BoilerplateBand {
    /// One block per boilerplate item, each as wide as its share of the band.
    pub blocks: Vec<BlockPiece>,
    /// Findings about their text, about `issue.yaml`'s `boilerplate`.
    pub warnings: Vec<Diagnostic>,
}

/// Sets the publication's boilerplate blocks, each as wide as its share of the band.
pub fn boilerplate_blocks(
    engine: &TextEngine,
    config: &IssueConfig,
    grid: &Grid,
) -> BoilerplateBand {
    let mut setter =
        Setter::new(engine, config, grid, config.lang, std::path::Path::new("issue.yaml"));
    // Side by side across the type area: a low band fits the foot of more pages.
    let width = band_width(grid, config.boilerplate.len());
    let blocks =
        config.boilerplate.iter().map(|item| boilerplate_block(&mut setter, item, width)).collect();
    BoilerplateBand { blocks, warnings: setter.take_issue_warnings(Some("boilerplate")) }
}

/// Width of each of `count` blocks set side by side across the type area.
pub fn band_width(grid: &Grid, count: usize) -> f32 {
    let count = count.max(1) as f32;
    (grid.area.width - grid.gutter * (count - 1.0)) / count
}

/// A boilerplate block under a rule.
pub(super) fn boilerplate_block(
    setter: &mut Setter<'_>,
    item: &Boilerplate,
    width: f32,
) -> BlockPiece {
    let styles = setter.config.styles.clone();
    let grid = setter.grid.baseline;
    let mut items = vec![Item::Rule {
        from: (0.0, 0.0),
        to: (width, 0.0),
        width: RULE_WIDTH,
        color: styles.rule_color,
    }];
    let mut y = TITLE_TOP;
    let lines = setter.set_text(&item.title, &styles.boilerplate_title, width);
    items.extend(setter.stack(&lines, &styles.boilerplate_title, 0.0, &mut y));
    // The call to action runs in at the end of the text, in bold: one line less in the band.
    let mut runs = item.text.clone();
    if let Some(action) = &item.action {
        let bold = Emphasis { bold: true, ..Emphasis::default() };
        runs.push(InlineRun { text: format!(" {action}"), emphasis: bold, verbatim: false });
    }
    let lines = setter.set(&runs, &styles.boilerplate, width);
    items.extend(setter.stack(&lines, &styles.boilerplate, 0.0, &mut y));
    BlockPiece { height: snap_up(y, grid), items, space_before: grid, floats: false }
}
