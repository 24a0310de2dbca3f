//! Frames: the unit of placement. A [`Frame`] is a run of whole columns of the page grid
//! between a top and a bottom edge; [`place_article`] puts a set article (or what is left
//! of it) into one, and says where the rest resumes.
//!
//! In a frame the article's head spans the frame and gets a rule under it, its photo tops
//! the frame's last columns, and its standfirst and body flow through the columns from the
//! top left ([`crate::compose::flow`]). When everything fits the columns are balanced (they
//! end level); otherwise the frame's last column ends on a jump line ("suite page 3") and
//! the placement returns where the body resumes, for the caller to place in another frame.

use super::article::{self, ArticleParts, Setter, snap_up};
use super::display::Item;
use super::flow::{
    BlockPiece, ColumnSlot, Cursor, balance, flow, flow_to_turn, line_items, offset,
};
use super::{Grid, Layout, labels};
use crate::diag::Diagnostic;
use crate::model::{InlineRun, Lang};
use crate::text::Line;

/// Weight of the rule under an article's head, points: a hairline, lighter than the rule
/// between articles.
const HEAD_RULE_WIDTH: f32 = 0.5;

/// Where the rule under the head sits, in lines of the baseline grid above the body's first
/// slot: half a line, clear of the head above and the body below.
const HEAD_RULE_ABOVE_BODY: f32 = 0.5;

/// Air between a corner QR block and its frame's foot, points: a rule or an ad outline on
/// the frame's edge stays outside the symbol's quiet zone, which the block ends with.
const CORNER_CLEARANCE: f32 = 1.5;

/// A frame on the page grid: the columns `first_column .. first_column + columns` from
/// `top` down to `bottom`, in points from the trim's top edge.
///
/// `columns` is at least 1 and the columns lie within the grid's (the methods clamp them).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Frame {
    /// The frame's first column on the grid, 0-based.
    pub first_column: u32,
    /// Number of columns the frame spans.
    pub columns: u32,
    /// Top edge: the head (or the first line) starts here.
    pub top: f32,
    /// Bottom edge: no line goes lower unless the placement says it is overset.
    pub bottom: f32,
    /// Top of the page's baseline grid (under the masthead or folio). What is placed in the
    /// frame snaps to this grid, so its lines line up with the other frames of the page.
    pub grid_top: f32,
}

impl Frame {
    /// The whole width of the type area, from `top` to the type area's foot, on a page whose
    /// baseline grid starts at `grid_top`.
    pub fn across(grid: &Grid, top: f32, grid_top: f32) -> Frame {
        Frame { first_column: 0, columns: grid.columns, top, bottom: grid.area.bottom(), grid_top }
    }

    /// The frame's columns as grid indices, clamped to the grid.
    fn column_range(&self, grid: &Grid) -> std::ops::Range<u32> {
        let first = self.first_column.min(grid.columns - 1);
        first..(first + self.columns.max(1)).min(grid.columns)
    }

    /// Left edge.
    pub fn left(&self, grid: &Grid) -> f32 {
        grid.column_x(self.column_range(grid).start)
    }

    /// Right edge.
    pub fn right(&self, grid: &Grid) -> f32 {
        grid.column_right(self.column_range(grid).end - 1)
    }

    /// The frame's columns with their line slots starting at `top`, nothing reserved.
    pub fn column_slots(&self, grid: &Grid, top: f32) -> Vec<ColumnSlot> {
        self.column_range(grid)
            .map(|i| ColumnSlot {
                x: grid.column_x(i),
                width: grid.column_width,
                top,
                reserve: 0.0,
            })
            .collect()
    }

    /// Snaps `y` down onto the page's baseline grid.
    fn snap(&self, y: f32, grid: &Grid) -> f32 {
        snap(self.grid_top, y, grid.baseline)
    }
}

/// Which headline an article's head carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Headline {
    /// The full-size headline of the article that tops a page.
    Main,
    /// The smaller headline of an article that starts under another one.
    Secondary,
    /// A planned story's headline one size step up, to fill its frame (the full-size one
    /// when its class has no larger one).
    Larger,
}

impl Headline {
    /// The head block of `parts` with this headline.
    fn head(self, parts: &ArticleParts) -> &BlockPiece {
        match self {
            Headline::Main => &parts.head,
            Headline::Secondary => &parts.head_secondary,
            Headline::Larger => parts.head_larger.as_ref().unwrap_or(&parts.head),
        }
    }
}

/// Where a placement starts in the article.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ArticleStart {
    /// At the top: the head, the photo, the QR blocks, then the body from its beginning.
    Head(Headline),
    /// In the body, where an earlier frame stopped (see [`PlacedPart::next`]).
    Continued(Cursor),
}

/// What [`place_article`] put in a frame.
#[derive(Debug, Clone)]
pub struct PlacedPart {
    /// The display items, in page coordinates.
    pub items: Vec<Item>,
    /// The lowest point used in the frame.
    pub bottom: f32,
    /// Whether some text had to go lower than the frame's bottom (a piece taller than the
    /// frame's columns).
    pub overset: bool,
    /// Where the article resumes in the next frame; `None` when it ended in this one.
    pub next: Option<ArticleStart>,
    /// Warnings from text set while placing (the jump line), about `issue.yaml`.
    pub warnings: Vec<Diagnostic>,
    /// When the article ended here: the empty line slots under its columns, down to the
    /// frame's bottom (its underset, in body lines).
    pub empty_lines: u32,
    /// When it goes on elsewhere: the body lines of each column that takes text here (a
    /// column under a photo reaching the foot takes none and is left out).
    pub column_lines: Vec<u32>,
}

/// Places `parts` from `start` in `frame`. What does not fit is left for the next frame:
/// then the frame's last column ends with a jump line to page `jump_to` (none when `None`,
/// for a continuation on the same page).
///
/// The parts' head and photo are set for the whole type area's width
/// ([`article::set_article`]), so a frame that takes an article's head should span the type
/// area, as the sequential make-up's do; a continuation may go in any run of columns.
pub fn place_article(
    parts: &ArticleParts,
    frame: &Frame,
    start: ArticleStart,
    jump_to: Option<u32>,
    layout: &Layout<'_>,
) -> PlacedPart {
    place(parts, frame, start, jump_to, layout, true)
}

/// [`place_article`] without its display items (`items` is left empty): the same bottom,
/// overset, resume point and line counts, for a caller that only measures how the article
/// fits, as the copyfit's trials and the automatic make-up's shapes do hundreds of times a
/// story. Drawing the lines is most of a placement's cost.
pub fn measure_article(
    parts: &ArticleParts,
    frame: &Frame,
    start: ArticleStart,
    jump_to: Option<u32>,
    layout: &Layout<'_>,
) -> PlacedPart {
    place(parts, frame, start, jump_to, layout, false)
}

/// [`place_article`], drawing the display items only when `draw` is set.
fn place(
    parts: &ArticleParts,
    frame: &Frame,
    start: ArticleStart,
    jump_to: Option<u32>,
    layout: &Layout<'_>,
    draw: bool,
) -> PlacedPart {
    let grid = &layout.grid;
    let mut items = Vec::new();
    let mut warnings = Vec::new();
    let (mut columns, cursor, corner, top) = match start {
        ArticleStart::Head(headline) => {
            let top = place_head(parts, headline, frame, layout, draw.then_some(&mut items));
            (
                first_columns(parts, frame, top, grid),
                Cursor::default(),
                parts.qr_corner.as_ref(),
                top,
            )
        }
        ArticleStart::Continued(cursor) => {
            (frame.column_slots(grid, frame.top), cursor, None, frame.top)
        }
    };
    // The corner QR block sits at the foot of the frame's last column, under the balanced
    // columns when the article ends here.
    let corner_x = columns.last().map_or(frame.left(grid), |c| c.x);
    let body = &parts.body;
    let lead_bottom = columns.iter().map(|c| c.top).fold(top, f32::max);

    if let Some(done) = balance(body, cursor, &columns, frame.bottom, grid.baseline) {
        if draw {
            items.extend(done.items(body));
        }
        let mut bottom = done.bottom.max(lead_bottom);
        if let Some(block) = corner {
            // Never over the photo and caption that head the last column: when the columns
            // balance short, the block goes under them and the article ends lower.
            let under_lead = columns.last().map_or(top, |c| c.top + grid.baseline);
            let block_top = (done.limit - CORNER_CLEARANCE - block.height).max(under_lead);
            if draw {
                items.extend(block.items.iter().map(|i| offset(i, corner_x, block_top)));
            }
            bottom = bottom.max(block_top + block.height);
        }
        let empty_lines = done
            .column_ends(body, &columns)
            .iter()
            .zip(&columns)
            .map(|(end, c)| {
                // Float slack: a column ending on the bottom baseline has no empty slot.
                ((frame.bottom - c.reserve - end + 0.01) / grid.baseline).floor().max(0.0) as u32
            })
            .sum();
        return PlacedPart {
            items,
            bottom,
            overset: done.overfull,
            next: None,
            warnings,
            empty_lines,
            column_lines: Vec::new(),
        };
    }

    // The article goes on elsewhere: say where, at the foot of the last column.
    let jump_style = &layout.config.styles.meta;
    let jump = jump_to.and_then(|page| jump_line(layout, parts.lang, page, &mut warnings));
    // The jump line goes under the last column that holds text at the foot: a photo may
    // fill the frame's last columns to the bottom, and the line must never land on it.
    let foot_room = frame.bottom - corner.map_or(0.0, |b| b.height) - jump_style.leading;
    let jump_column =
        columns.iter().rposition(|c| c.top <= foot_room).unwrap_or(columns.len().saturating_sub(1));
    if let (Some(column), Some(_)) = (columns.get_mut(jump_column), &jump) {
        column.reserve += jump_style.leading;
    }
    // The corner block too: under a photo that reaches the foot it moves to the jump's
    // column, its room with it.
    let corner_x = match corner {
        Some(block) if jump_column + 1 < columns.len() => {
            let room = block.height + grid.baseline;
            if let Some(last) = columns.last_mut() {
                last.reserve = (last.reserve - room).max(0.0);
            }
            columns[jump_column].reserve += room;
            columns[jump_column].x
        }
        _ => corner_x,
    };
    // A frame the story jumps from, or a page it turns: no hyphen before the turn.
    let part = if jump_to.is_some() {
        flow_to_turn(body, cursor, &columns, frame.bottom)
    } else {
        flow(body, cursor, &columns, frame.bottom)
    };
    if draw {
        items.extend(part.items(body));
    }
    let column_lines = part
        .column_ends(body, &columns)
        .iter()
        .zip(&columns)
        .filter(|(_, c)| c.top + grid.baseline <= frame.bottom)
        .map(|(end, c)| ((end - c.top + 0.01) / grid.baseline).floor().max(0.0) as u32)
        .collect();
    let mut bottom = part.bottom.max(lead_bottom);
    // The corner block takes the very foot; the jump line goes just above it.
    let mut foot = frame.bottom;
    if let Some(block) = corner {
        foot -= block.height + CORNER_CLEARANCE;
        if draw {
            items.extend(block.items.iter().map(|i| offset(i, corner_x, foot)));
        }
        bottom = bottom.max(frame.bottom);
    }
    if let (Some(line), Some(column)) = (&jump, columns.get(jump_column)) {
        if draw {
            let x = column.x + column.width - line.width;
            let baseline = foot - jump_style.leading + article::ascent(jump_style);
            items.extend(line_items(line, x, baseline, jump_style.color));
        }
        bottom = bottom.max(frame.bottom);
    }
    PlacedPart {
        items,
        bottom,
        overset: part.overfull,
        next: Some(ArticleStart::Continued(part.next)),
        warnings,
        empty_lines: 0,
        column_lines,
    }
}

/// Whether the whole of `parts`, headed with `headline`, fits in `frame` without overset.
pub fn article_fits(parts: &ArticleParts, frame: &Frame, headline: Headline, grid: &Grid) -> bool {
    let top = frame.snap(frame.top + head_height(parts, headline, grid), grid);
    let columns = first_columns(parts, frame, top, grid);
    let lead_fits = columns.iter().all(|c| c.top <= frame.bottom);
    lead_fits
        && balance(&parts.body, Cursor::default(), &columns, frame.bottom, grid.baseline)
            .is_some_and(|done| !done.overfull)
}

/// Height taken by the head with `headline`, or by the QR block beside it when taller. The
/// rule under the head runs across the QR block's column too, so the block counts with the
/// rule's distance: the rule passes under the block, never through its foot, which is the
/// symbol's quiet zone when the caption beside the symbol is shorter than it (a short
/// secondary headline beside a large symbol).
fn head_height(parts: &ArticleParts, headline: Headline, grid: &Grid) -> f32 {
    let qr_height =
        parts.qr_head.as_ref().map_or(0.0, |q| q.height + HEAD_RULE_ABOVE_BODY * grid.baseline);
    headline.head(parts).height.max(qr_height)
}

/// Places the head across the frame with the QR block at its top right, the rule under it
/// and the photo over the last columns; returns where the body starts (on the grid). A
/// photo beside the head stands in the last columns from the frame's top, and the head
/// with its QR block and rule spans the other columns. Without `items` it only measures.
fn place_head(
    parts: &ArticleParts,
    headline: Headline,
    frame: &Frame,
    layout: &Layout<'_>,
    items: Option<&mut Vec<Item>>,
) -> f32 {
    let grid = &layout.grid;
    let top = frame.snap(frame.top + head_height(parts, headline, grid), grid);
    let Some(items) = items else { return top };
    let range = frame.column_range(grid);
    let lead_x = grid.column_x(range.end - parts.lead_columns.min(range.len() as u32));
    let beside = parts.photo_beside_head && parts.lead.is_some();
    let left = frame.left(grid);
    let right = if beside { lead_x - grid.gutter } else { frame.right(grid) };
    items.extend(headline.head(parts).items.iter().map(|i| offset(i, left, frame.top)));
    if let Some(qr) = &parts.qr_head {
        let x = right - grid.column_width;
        items.extend(qr.items.iter().map(|i| offset(i, x, frame.top)));
    }
    let rule_y = top - HEAD_RULE_ABOVE_BODY * grid.baseline;
    items.push(Item::Rule {
        from: (left, rule_y),
        to: (right, rule_y),
        width: HEAD_RULE_WIDTH,
        color: layout.config.styles.rule_color,
    });
    if let Some(lead) = &parts.lead {
        let lead_top = if beside { frame.top } else { top };
        items.extend(lead.items.iter().map(|i| offset(i, lead_x, lead_top)));
    }
    top
}

/// The columns of the frame that takes the article's head, when its body starts at `top`:
/// the photo covers the last columns, the QR corner block takes the foot of the last one.
fn first_columns(parts: &ArticleParts, frame: &Frame, top: f32, grid: &Grid) -> Vec<ColumnSlot> {
    let mut columns = frame.column_slots(grid, top);
    // The photo sits over the last columns, so the text starts at the top left; beside the
    // head it starts at the frame's top, and the body under it on the next grid line.
    if let Some(lead) = &parts.lead {
        let under_lead = if parts.photo_beside_head {
            frame.snap(frame.top + lead.height, grid)
        } else {
            top + lead.height
        };
        for column in columns.iter_mut().rev().take(parts.lead_columns as usize) {
            column.top = under_lead;
        }
    }
    if let (Some(corner), Some(last)) = (&parts.qr_corner, columns.last_mut()) {
        last.reserve = corner.height + grid.baseline;
    }
    columns
}

/// "Suite page 3": the jump line at the foot of a frame an article continues from.
fn jump_line(
    layout: &Layout<'_>,
    lang: Lang,
    page: u32,
    warnings: &mut Vec<Diagnostic>,
) -> Option<Line> {
    let config = layout.config;
    let labels = labels::labels(config, lang);
    let text = labels::fill(&labels.continued, &[("page", &page.to_string())]);
    let mut setter =
        Setter::new(layout.engine, config, &layout.grid, lang, std::path::Path::new("issue.yaml"));
    let mut style = config.styles.meta.clone();
    style.emphasis.italic = true;
    let line = setter.set(&[InlineRun::plain(text)], &style, layout.grid.column_width);
    warnings.extend(setter.take_issue_warnings(Some("labels")));
    line.into_iter().next()
}

/// Snaps `y` down the page to the baseline grid that starts at `top`.
pub(super) fn snap(top: f32, y: f32, baseline: f32) -> f32 {
    top + snap_up(y - top, baseline)
}
