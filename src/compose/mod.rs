//! The `compose` stage: page geometry, columns and frames; produces the display list.
//!
//! Each article's parts are set by [`article::set_article`] (the batch runs it for all articles
//! in parallel), then [`compose`] places them one after the other: an article starts under the previous one when enough of the page is left,
//! otherwise on a new page; its head spans the type area, its photo tops the last columns,
//! and its standfirst and body flow through the columns ([`mod@flow`]) from the top left onto
//! further pages, the last one balanced.

pub mod article;
pub mod display;
pub mod flow;
pub mod labels;

use crate::geom::Rect;
use crate::model::{InlineRun, IssueConfig, Lang};
use crate::text::Line;
use crate::text::TextEngine;
use article::{ArticleParts, Setter, snap_up};
use display::{Item, Page};
use flow::{BlockPiece, ColumnSlot, Cursor, Flowed, balance, flow, line_items, offset};

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

    /// Width of `n` columns with the gutters between them.
    pub fn span(&self, n: u32) -> f32 {
        let n = n.clamp(1, self.columns);
        n as f32 * self.column_width + (n - 1) as f32 * self.gutter
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
}

/// The pages of an issue and where each article went.
#[derive(Debug, Clone)]
pub struct Composition {
    /// The pages, in order.
    pub pages: Vec<Page>,
    /// One entry per prepared article, in order.
    pub articles: Vec<ArticlePlacement>,
}

/// Space above an article that starts under another one (includes the separating rule).
fn article_gap(grid: &Grid) -> f32 {
    2.0 * grid.baseline
}

/// Places prepared articles on pages numbered from `first_page`, and the publication's
/// boilerplate blocks in the first free foot of a page that can take them (at the latest
/// after the last article).
pub fn compose(
    engine: &TextEngine,
    config: &IssueConfig,
    articles: &[&ArticleParts],
    boilerplate: &[BlockPiece],
    first_page: u32,
) -> Composition {
    let grid = Grid::new(config);
    let mut pages: Vec<Page> = Vec::new();
    let mut placements = Vec::new();
    let mut page = new_page(engine, config, &grid, first_page);
    let mut y = page_content_top(config, &grid, first_page);
    let mut band = (!boilerplate.is_empty()).then_some(boilerplate);

    for article in articles {
        let content_top = page_content_top(config, &grid, page.number);
        let qr_height = article.qr_head.as_ref().map_or(0.0, |q| q.height);
        let secondary_height = article.head_secondary.height.max(qr_height);
        let bottom = grid.area.bottom();
        if y > content_top + 0.5 {
            // Under another article: stay on this page when the whole article fits below
            // it, or when enough of the page is left that starting here looks intended;
            // otherwise start on a fresh page rather than jump after a few lines.
            let start = snap(content_top, y + article_gap(&grid), grid.baseline);
            let fits = fits_below(article, &grid, content_top, start, secondary_height);
            let room = bottom - start;
            if fits || room >= 0.4 * grid.area.height {
                let rule_y = y + grid.baseline;
                page.items.push(Item::Rule {
                    from: (grid.area.x, rule_y),
                    to: (grid.area.right(), rule_y),
                    width: 1.0,
                    color: config.styles.rule_color,
                });
                y = start;
            } else {
                if let Some(blocks) = band {
                    band = (!place_band(&mut page, blocks, &grid, y)).then_some(blocks);
                }
                turn_page(engine, config, &grid, &mut pages, &mut page);
                y = page_content_top(config, &grid, page.number);
            }
        }
        let mut placement =
            ArticlePlacement { pages: vec![page.number], overset: false, underset: 0.0 };

        // Head, with the QR block at its top right; a smaller headline under another article.
        let head = if y > content_top + 0.5 { &article.head_secondary } else { &article.head };
        let head_height = head.height.max(qr_height);
        page.items.extend(head.items.iter().map(|i| offset(i, grid.area.x, y)));
        if let Some(qr) = &article.qr_head {
            let x = grid.area.right() - grid.column_width;
            page.items.extend(qr.items.iter().map(|i| offset(i, x, y)));
        }
        y = snap(content_top, y + head_height, grid.baseline);
        page.items.push(Item::Rule {
            from: (grid.area.x, y - 0.5 * grid.baseline),
            to: (grid.area.right(), y - 0.5 * grid.baseline),
            width: 0.5,
            color: config.styles.rule_color,
        });

        if let Some(lead) = &article.lead {
            let x = grid.column_x(grid.columns - article.lead_columns.min(grid.columns));
            page.items.extend(lead.items.iter().map(|i| offset(i, x, y)));
        }
        let mut columns = body_columns(article, &grid, y);
        // The corner QR block sits at the foot of the last column on the article's first
        // page, under the balanced columns when the article ends there.
        let corner_x = columns.last().map_or(grid.area.x, |c| c.x);
        let mut corner = article.qr_corner.as_ref();
        let mut cursor = Cursor::default();
        let pieces = &article.body;
        loop {
            if let Some(done) = balance(pieces, cursor, &columns, bottom, grid.baseline) {
                placement.overset |= done.overfull;
                page.items.extend(done.items(pieces));
                let lead_bottom = columns.iter().map(|c| c.top).fold(y, f32::max);
                y = done.bottom.max(lead_bottom);
                if let Some(block) = corner.take() {
                    let top = done.limit - block.height;
                    page.items.extend(block.items.iter().map(|i| offset(i, corner_x, top)));
                    y = y.max(done.limit);
                }
                placement.underset = bottom - y;
                break;
            }
            // The article goes on overleaf: say where, at the foot of its last column.
            let jump = jump_line(engine, config, &grid, article.lang, page.number + 1);
            let jump_style = &config.styles.meta;
            if let (Some(last), Some(_)) = (columns.last_mut(), &jump) {
                last.reserve += jump_style.leading;
            }
            let part: Flowed = flow(pieces, cursor, &columns, bottom);
            placement.overset |= part.overfull;
            page.items.extend(part.items(pieces));
            // The corner block takes the very foot; the jump line goes just above it.
            let mut foot = bottom;
            if let Some(block) = corner.take() {
                foot -= block.height;
                page.items.extend(block.items.iter().map(|i| offset(i, corner_x, foot)));
            }
            if let (Some(line), Some(last)) = (&jump, columns.last()) {
                let x = last.x + last.width - line.width;
                let baseline = foot - jump_style.leading + article::ascent(jump_style);
                page.items.extend(line_items(line, x, baseline, jump_style.color));
            }
            cursor = part.next;
            turn_page(engine, config, &grid, &mut pages, &mut page);
            placement.pages.push(page.number);
            let top = page_content_top(config, &grid, page.number);
            columns = full_columns(&grid, top);
            y = top;
        }
        placements.push(placement);
    }
    if let Some(blocks) = band
        && !place_band(&mut page, blocks, &grid, y)
    {
        turn_page(engine, config, &grid, &mut pages, &mut page);
        let top = page_content_top(config, &grid, page.number);
        place_band(&mut page, blocks, &grid, top);
    }
    pages.push(page);
    Composition { pages, articles: placements }
}

/// Puts `blocks` side by side across the foot of the page when they fit below `used` (the
/// lowest point of what is already there). Returns whether it did.
fn place_band(page: &mut Page, blocks: &[BlockPiece], grid: &Grid, used: f32) -> bool {
    let height = blocks.iter().map(|b| b.height).fold(0.0, f32::max);
    let top = grid.area.bottom() - height;
    // Half a line of air is enough: the band has its own rule on top.
    if top < used + 0.5 * grid.baseline {
        return false;
    }
    let width = article::band_width(grid, blocks.len());
    for (i, block) in blocks.iter().enumerate() {
        let x = grid.area.x + i as f32 * (width + grid.gutter);
        page.items.extend(block.items.iter().map(|item| offset(item, x, top)));
    }
    true
}

/// The columns of an article's first page when its body starts at `top`: the photo covers
/// the last columns, the QR corner block takes the foot of the last one.
fn body_columns(article: &ArticleParts, grid: &Grid, top: f32) -> Vec<ColumnSlot> {
    let mut columns = full_columns(grid, top);
    // The photo sits over the last columns, so the text starts at the top left.
    if let Some(lead) = &article.lead {
        for column in columns.iter_mut().rev().take(article.lead_columns as usize) {
            column.top = top + lead.height;
        }
    }
    if let (Some(corner), Some(last)) = (&article.qr_corner, columns.last_mut()) {
        last.reserve = corner.height + grid.baseline;
    }
    columns
}

/// Whether the whole article fits on the rest of the page when its head starts at `start`.
fn fits_below(
    article: &ArticleParts,
    grid: &Grid,
    content_top: f32,
    start: f32,
    head_height: f32,
) -> bool {
    let top = snap(content_top, start + head_height, grid.baseline);
    let columns = body_columns(article, grid, top);
    let lead_fits = columns.iter().all(|c| c.top <= grid.area.bottom());
    lead_fits
        && balance(&article.body, Cursor::default(), &columns, grid.area.bottom(), grid.baseline)
            .is_some_and(|done| !done.overfull)
}

/// "Suite page 3": the jump line at the foot of a page an article continues from.
fn jump_line(
    engine: &TextEngine,
    config: &IssueConfig,
    grid: &Grid,
    lang: Lang,
    next_page: u32,
) -> Option<Line> {
    let labels = labels::labels(config, lang);
    let text = labels::fill(&labels.continued, &[("page", &next_page.to_string())]);
    let mut setter = Setter::new(engine, config, grid, lang, std::path::Path::new("issue.yaml"));
    let mut style = config.styles.meta.clone();
    style.emphasis.italic = true;
    setter.set(&[InlineRun::plain(text)], &style, grid.column_width).into_iter().next()
}

/// The page's columns, all starting at `top` with nothing reserved.
fn full_columns(grid: &Grid, top: f32) -> Vec<ColumnSlot> {
    (0..grid.columns)
        .map(|i| ColumnSlot { x: grid.column_x(i), width: grid.column_width, top, reserve: 0.0 })
        .collect()
}

/// Finishes `page` and starts the next one in its place.
fn turn_page(
    engine: &TextEngine,
    config: &IssueConfig,
    grid: &Grid,
    pages: &mut Vec<Page>,
    page: &mut Page,
) {
    let next = new_page(engine, config, grid, page.number + 1);
    pages.push(std::mem::replace(page, next));
}

/// Snaps `y` to the baseline grid that starts at `top`.
fn snap(top: f32, y: f32, baseline: f32) -> f32 {
    top + snap_up(y - top, baseline)
}

/// Height of the band at the top of a page: the masthead on page 1, the folio elsewhere.
fn band_height(config: &IssueConfig, grid: &Grid, number: u32) -> f32 {
    if number == 1 {
        snap_up(config.styles.masthead.leading + grid.baseline, grid.baseline)
    } else {
        snap_up(config.styles.folio.leading + grid.baseline, grid.baseline)
    }
}

/// Top of the text on a page, under its masthead or folio band.
fn page_content_top(config: &IssueConfig, grid: &Grid, number: u32) -> f32 {
    grid.area.y + band_height(config, grid, number)
}

/// A new page with its furniture: the masthead on page 1, the folio line on the others.
fn new_page(engine: &TextEngine, config: &IssueConfig, grid: &Grid, number: u32) -> Page {
    let mut setter =
        Setter::new(engine, config, grid, config.lang, std::path::Path::new("issue.yaml"));
    let styles = &config.styles;
    let labels = labels::labels(config, config.lang);
    let mut items = Vec::new();
    let mut facts = Vec::new();
    if let Some(number) = &config.number {
        facts.push(format!("{} {number}", labels.number));
    }
    if let Some(date) = config.date {
        facts.push(labels::long_date(date, config.lang));
    }
    facts.push(format!("{} {number}", labels.page));
    let band = band_height(config, grid, number);
    let wide = grid.area.width;
    let folio = styles.folio.clone();

    let (left, left_style) = if number == 1 {
        (config.publication.clone(), styles.masthead.clone())
    } else {
        (config.publication.clone(), folio.clone())
    };
    let right = facts.join(" · ");
    let left_lines = setter.set(&[InlineRun::plain(left)], &left_style, wide / 2.0);
    let right_lines = setter.set(&[InlineRun::plain(right)], &folio, wide / 2.0);
    let rule_y = grid.area.y + band - 0.5 * grid.baseline;
    items.push(Item::Rule {
        from: (grid.area.x, rule_y),
        to: (grid.area.right(), rule_y),
        width: if number == 1 { 1.5 } else { 0.5 },
        color: config.styles.rule_color,
    });
    // Publication on the left, issue facts and page number on the right, on one baseline
    // just above the rule.
    let baseline = rule_y - 3.0;
    if let Some(line) = left_lines.first() {
        items.extend(line_items(line, grid.area.x, baseline, left_style.color));
    }
    if let Some(line) = right_lines.first() {
        items.extend(line_items(line, grid.area.right() - line.width, baseline, folio.color));
    }
    Page { width: grid.trim.0, height: grid.trim.1, number, items }
}
