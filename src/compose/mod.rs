//! The `compose` stage: page geometry, columns and frames; produces the display list.
//!
//! Each article's parts are set by [`set_article`] (the pipeline runs it for all articles in
//! parallel), the publication's boilerplate by [`boilerplate_blocks`]. The unit of placement is a [`Frame`], a run of columns of the page
//! grid between a top and a bottom edge: [`place_article`] puts a set article into one and
//! says where the rest resumes.
//!
//! [`compose`] is today's sequential make-up, a caller that cuts frames from the type area:
//! an article starts under the previous one when enough of the page is left, otherwise on a
//! new page; it takes the whole width of the type area down to its foot, and continues on
//! the next page in a frame of the whole type area.
//!
//! Each finished page's photos and tints that touch the trim run on into the bleed
//! ([`bleed`]), so the display list is final: render draws it and decides nothing.
//!
//! Files: `article/` (setting the parts), `frame.rs` (frames and placement), `flow.rs`
//! (the column flow), `furniture.rs` (masthead, folio, boilerplate band), `bleed.rs`,
//! `labels.rs` (words and dates in the issue's languages), `missing.rs` (boxes for characters
//! no font has), `display.rs` (the display list), `makeup.rs` (the pages of a page plan) and
//! `copyfit.rs` (fitting a story to its frame).

pub mod article;
mod auto;
pub mod bleed;
pub mod copyfit;
pub mod display;
pub mod flow;
mod frame;
mod furniture;
pub mod labels;
mod makeup;
mod missing;

pub use article::{
    ArticleParts, BoilerplateBand, HeldPlace, StoryShape, boilerplate_blocks, set_article,
};
pub use auto::{AutoOutcome, AutoPage, BRIEF_WORDS, StoryCandidates, candidate_shapes, plan_issue};
pub use copyfit::{FitStep, FrameFit};
pub use frame::{
    ArticleStart, Frame, Headline, PlacedPart, article_fits, measure_article, place_article,
};
pub use makeup::{PlannedComposition, ProofFrame, make_up, proof_marks};

use rayon::prelude::*;

use crate::diag::Diagnostic;
use crate::geom::Rect;
use crate::model::IssueConfig;
use crate::text::TextEngine;
use display::{Item, Page};
use frame::snap;

/// The column grid of a page.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Grid {
    /// Trim size (width, height).
    pub trim: (f32, f32),
    /// The type area.
    pub area: Rect,
    /// Number of columns.
    pub columns: u32,
    /// Width of one column.
    pub column_width: f32,
    /// Gap between columns.
    pub gutter: f32,
    /// Baseline grid increment.
    pub baseline: f32,
}

impl Grid {
    /// The grid of the issue's page format.
    pub fn new(config: &IssueConfig) -> Grid {
        let page = &config.page;
        let area = Rect::new(
            page.margin_inner,
            page.margin_top,
            page.width - page.margin_inner - page.margin_outer,
            page.height - page.margin_top - page.margin_bottom,
        );
        let columns = page.columns.max(1);
        let column_width = (area.width - page.gutter * (columns - 1) as f32) / columns as f32;
        Grid {
            trim: (page.width, page.height),
            area,
            columns,
            column_width,
            gutter: page.gutter,
            baseline: page.baseline,
        }
    }

    /// Left edge of column `i` (0-based).
    pub fn column_x(&self, i: u32) -> f32 {
        self.area.x + i as f32 * (self.column_width + self.gutter)
    }

    /// Right edge of column `i` (0-based). The last column ends exactly at the type area's
    /// right edge, whatever the rounding of the column widths.
    pub fn column_right(&self, i: u32) -> f32 {
        if i + 1 >= self.columns { self.area.right() } else { self.column_x(i) + self.column_width }
    }

    /// Width of `n` columns with the gutters between them.
    pub fn span(&self, n: u32) -> f32 {
        let n = n.clamp(1, self.columns);
        n as f32 * self.column_width + (n - 1) as f32 * self.gutter
    }
}

/// What placing articles needs besides the articles: the text engine (for the lines set at
/// composition: jump lines, page furniture), the issue's styles and labels, and the grid.
#[derive(Clone, Copy)]
pub struct Layout<'a> {
    /// Sets the text placed at composition.
    pub engine: &'a TextEngine,
    /// Styles, labels, page format.
    pub config: &'a IssueConfig,
    /// The page grid of `config`.
    pub grid: Grid,
}

impl<'a> Layout<'a> {
    /// The layout of the issue `config` describes.
    pub fn new(engine: &'a TextEngine, config: &'a IssueConfig) -> Self {
        Layout { engine, config, grid: Grid::new(config) }
    }

    /// Top of the text on page `number`, under its masthead or folio band: where the page's
    /// baseline grid starts.
    pub fn content_top(&self, number: u32) -> f32 {
        self.grid.area.y + furniture::band_height(self, number)
    }

    /// Top of the baseline grid of planned page `number`: the page's whole lines hung from
    /// the foot of the type area, so a frame that runs to the foot ends on it and every
    /// column's last line sits on the type area's bottom edge. What is left of the type
    /// area over whole lines goes above the masthead or folio band, which sits on the grid.
    pub fn planned_grid_top(&self, number: u32) -> f32 {
        let lines = self.config.text_lines(number) as f32;
        (self.grid.area.bottom() - lines * self.grid.baseline).max(self.content_top(number))
    }
}

/// Where an article landed.
#[derive(Debug, Clone, PartialEq)]
pub struct ArticlePlacement {
    /// Page numbers it occupies (issue numbering), in order.
    pub pages: Vec<u32>,
    /// Whether a column had to hold more than fits (text overset into the margin).
    pub overset: bool,
    /// Empty space left at the foot of its last page, points (underset).
    pub underset: f32,
    /// What it drew: per page number, the indices of its items in that page's display list
    /// (for the check stage to attribute a finding about an item to its article).
    pub drawn: Vec<(u32, std::ops::Range<usize>)>,
    /// The copyfit of each planned frame it went in (none in the sequential make-up).
    pub fits: Vec<FrameFit>,
}

/// The pages of an issue and where each article went.
#[derive(Debug, Clone)]
pub struct Composition {
    /// The pages, in order.
    pub pages: Vec<Page>,
    /// One entry per prepared article, in order.
    pub articles: Vec<ArticlePlacement>,
    /// Findings about the text of the page furniture (masthead, folios, jump lines,
    /// boilerplate band), about `issue.yaml`; each once, however many pages repeat it.
    pub warnings: Vec<Diagnostic>,
}

/// Space above an article that starts under another one, in lines of the baseline grid: the
/// separating rule sits in the first.
const ARTICLE_GAP_LINES: f32 = 2.0;

/// Weight of the rule between two articles on a page, points.
const SEPARATOR_RULE_WIDTH: f32 = 1.0;

/// Share of the type area's height that must be left for an article that does not fit
/// whole under another one to start there anyway: with less, it would jump after a few
/// lines, and a fresh page reads better.
const MIN_ROOM_TO_START_UNDER: f32 = 0.4;

/// How far below the top of the page's text a point must be to count as under something,
/// points (float slack).
const UNDER_SLACK: f32 = 0.5;

/// The page being filled, those finished before it, and the findings of their furniture.
struct Pages<'a> {
    layout: &'a Layout<'a>,
    done: Vec<Page>,
    page: Page,
    warnings: Vec<Diagnostic>,
}

impl<'a> Pages<'a> {
    fn new(layout: &'a Layout<'a>, first: u32) -> Self {
        let mut warnings = Vec::new();
        let page =
            furniture::new_page(layout, first, None, layout.content_top(first), &mut warnings);
        Pages { layout, done: Vec::new(), page, warnings }
    }

    /// Keeps the findings not already kept: every page repeats the furniture's.
    fn warn(&mut self, found: Vec<Diagnostic>) {
        for warning in found {
            if !self.warnings.contains(&warning) {
                self.warnings.push(warning);
            }
        }
    }

    /// Top of the text on the current page.
    fn content_top(&self) -> f32 {
        self.layout.content_top(self.page.number)
    }

    /// Finishes the current page and starts the next one.
    fn turn(&mut self) {
        let mut found = Vec::new();
        let next = furniture::new_page(
            self.layout,
            self.page.number + 1,
            None,
            self.layout.content_top(self.page.number + 1),
            &mut found,
        );
        self.warn(found);
        self.done.push(std::mem::replace(&mut self.page, next));
    }

    /// Finishes the current page and returns all of them with the furniture's findings.
    fn finish(mut self) -> (Vec<Page>, Vec<Diagnostic>) {
        self.done.push(self.page);
        finish_pages(&mut self.done, self.layout.engine.fonts(), self.layout.config.output.bleed);
        (self.done, self.warnings)
    }
}

/// Finishes made-up pages: a box for each character no font has, and photos and tints at
/// the trim run into the `bleed`. Each page apart from the others, so in parallel: the boxes
/// are a pass through every glyph of the issue, which took some 2 ms of the 40-article
/// benchmark's serial make-up.
fn finish_pages(pages: &mut [Page], book: &crate::fonts::FontBook, bleed: f32) {
    pages.par_iter_mut().for_each(|page| {
        missing::draw_missing_glyph_boxes(page, book);
        bleed::run_into_bleed(page, bleed);
    });
}

/// Places prepared articles on pages numbered from `first_page`, and the publication's
/// boilerplate blocks in the first free foot of a page that can take them (at the latest
/// after the last article).
pub fn compose(
    engine: &TextEngine,
    config: &IssueConfig,
    articles: &[&ArticleParts],
    boilerplate: &BoilerplateBand,
    first_page: u32,
) -> Composition {
    let layout = Layout::new(engine, config);
    let grid = &layout.grid;
    let bottom = grid.area.bottom();
    let mut pages = Pages::new(&layout, first_page);
    let mut placements = Vec::new();
    let mut y = pages.content_top();
    pages.warn(boilerplate.warnings.clone());
    let blocks = boilerplate.blocks.as_slice();
    let mut band = (!blocks.is_empty()).then_some(blocks);

    for article in articles {
        let content_top = pages.content_top();
        let mut headline = Headline::Main;
        if y > content_top + UNDER_SLACK {
            // Under another article: stay on this page when the whole article fits below
            // it, or when enough of the page is left that starting here looks intended;
            // otherwise start on a fresh page rather than jump after a few lines.
            let start = snap(content_top, y + ARTICLE_GAP_LINES * grid.baseline, grid.baseline);
            let below = Frame::across(grid, start, content_top);
            let fits = article_fits(article, &below, Headline::Secondary, grid);
            if fits || bottom - start >= MIN_ROOM_TO_START_UNDER * grid.area.height {
                let rule_y = y + grid.baseline;
                pages.page.items.push(Item::Rule {
                    from: (grid.area.x, rule_y),
                    to: (grid.area.right(), rule_y),
                    width: SEPARATOR_RULE_WIDTH,
                    color: config.styles.rule_color,
                });
                y = start;
                headline = Headline::Secondary;
            } else {
                if let Some(blocks) = band {
                    let placed = furniture::place_band(&mut pages.page, blocks, grid, y);
                    band = (!placed).then_some(blocks);
                }
                pages.turn();
                y = pages.content_top();
            }
        }
        let mut placement = ArticlePlacement {
            pages: vec![pages.page.number],
            overset: false,
            underset: 0.0,
            drawn: Vec::new(),
            fits: Vec::new(),
        };
        let mut start = ArticleStart::Head(headline);
        loop {
            let frame = Frame::across(grid, y, pages.content_top());
            let part = place_article(article, &frame, start, Some(pages.page.number + 1), &layout);
            placement.overset |= part.overset;
            let first = pages.page.items.len();
            pages.page.items.extend(part.items);
            placement.drawn.push((pages.page.number, first..pages.page.items.len()));
            pages.warn(part.warnings);
            match part.next {
                None => {
                    y = part.bottom;
                    placement.underset = bottom - y;
                    break;
                }
                Some(next) => {
                    start = next;
                    pages.turn();
                    placement.pages.push(pages.page.number);
                    y = pages.content_top();
                }
            }
        }
        if let Some(held) = article.held {
            // A placeholder ends where the story it stands for ended: on as many pages, as
            // far down the last one, so the next story starts where it did.
            while (placement.pages.len() as u32) < held.pages {
                pages.turn();
                placement.pages.push(pages.page.number);
                y = pages.content_top();
            }
            y = y.max(bottom - held.underset);
            placement.underset = bottom - y;
        }
        placements.push(placement);
    }
    if let Some(blocks) = band
        && !furniture::place_band(&mut pages.page, blocks, grid, y)
    {
        pages.turn();
        let top = pages.content_top();
        furniture::place_band(&mut pages.page, blocks, grid, top);
    }
    let (pages, warnings) = pages.finish();
    Composition { pages, articles: placements, warnings }
}

#[cfg(test)]
mod tests;
