//! Column flow: pours a list of set pieces (paragraph lines, unbreakable boxes) into the
//! columns of a region, with widow and orphan control, keep-with-next for intertitles and
//! column balancing.
//!
//! The flow is a pure function of its inputs: it returns where each piece would go and where
//! it stopped, and draws nothing. Balancing calls it repeatedly with a lower bottom edge and
//! keeps the lowest edge at which everything still fits, so the last page's columns end
//! level.

use std::sync::Arc;

use crate::color::Color;
use crate::compose::display::Item;
use crate::model::InlineRun;
use crate::text::{Line, ParagraphStyle, SharedRun};

/// Lines kept together at the foot of a column (orphans) and at the head of the next
/// (widows): the newspaper rule is two.
const MIN_SPLIT_LINES: usize = 2;

/// What the column flow pours: a unit of body content, already set by the `text` stage.
#[derive(Debug, Clone)]
pub enum Flowable {
    /// Lines of a paragraph, intertitle or list item: breakable between lines.
    Lines(LinesPiece),
    /// An unbreakable box (sidebar, pull quote, boilerplate, QR block).
    Block(BlockPiece),
}

/// Set lines and how to stack them.
#[derive(Debug, Clone)]
pub struct LinesPiece {
    /// The lines.
    pub lines: Vec<Line>,
    /// Distance between baselines.
    pub leading: f32,
    /// From the top of a line slot to its baseline.
    pub ascent: f32,
    /// Ink.
    pub color: Color,
    /// Space above the piece unless it starts a column.
    pub space_before: f32,
    /// Must share its column with the first lines of the next piece (intertitles).
    pub keep_with_next: bool,
    /// Horizontal offset of the lines inside the column (list items).
    pub indent: f32,
    /// Extra items drawn beside the first line (a list bullet), relative to the line's
    /// baseline origin at the column's left edge.
    pub first_line_extras: Vec<Item>,
    /// What a body paragraph of a planned story was set from, so copyfitting can set it
    /// again (shared: copies of the parts for fitting trials do not copy the text).
    pub source: Option<Arc<ParagraphSource>>,
}

/// A paragraph as the text stage set it: its text, style and measure.
#[derive(Debug, Clone, PartialEq)]
pub struct ParagraphSource {
    /// The text.
    pub runs: Vec<InlineRun>,
    /// The style it was set in (looseness 0, no tracking).
    pub style: ParagraphStyle,
    /// The measure, points.
    pub width: f32,
}

/// An unbreakable box drawn from its own items.
#[derive(Debug, Clone)]
pub struct BlockPiece {
    /// Height taken in the column.
    pub height: f32,
    /// Items relative to the box's top-left corner.
    pub items: Vec<Item>,
    /// Space above the box unless it starts a column.
    pub space_before: f32,
    /// Whether the box may float (pull quotes, sidebars): when it does not fit the rest of
    /// a column, the text after it fills that column and the box tops the next one, rather
    /// than leaving the column short by the box's depth.
    pub floats: bool,
}

impl Flowable {
    fn space_before(&self) -> f32 {
        match self {
            Flowable::Lines(p) => p.space_before,
            Flowable::Block(b) => b.space_before,
        }
    }

    /// The height of the first `lines` lines (all of a block).
    fn head_height(&self, lines: usize) -> f32 {
        match self {
            Flowable::Lines(p) => p.leading * lines.min(p.lines.len()) as f32,
            Flowable::Block(b) => b.height,
        }
    }
}

/// A column of a region: where it is and where text may start in it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ColumnSlot {
    /// Left edge.
    pub x: f32,
    /// Width.
    pub width: f32,
    /// Top of the first line slot.
    pub top: f32,
    /// Height kept free at the foot of the column, above the region's bottom edge (for a
    /// QR block in the corner): it follows the bottom edge when balancing moves it.
    pub reserve: f32,
}

/// Where the flow is in the piece list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Cursor {
    /// Index of the current piece.
    pub piece: usize,
    /// Lines of it already placed.
    pub line: usize,
    /// A floating block passed over because it did not fit the rest of its column: it tops
    /// the next column the flow starts, before the piece at `piece`.
    pub deferred: Option<usize>,
}

/// One placement decided by the flow.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Placement {
    piece: usize,
    lines: (usize, usize),
    x: f32,
    y: f32,
}

/// What a flow decided.
#[derive(Debug, Clone)]
pub struct Flowed {
    placements: Vec<Placement>,
    /// Where it stopped; `piece == pieces.len()` when everything was placed.
    pub next: Cursor,
    /// The lowest point used, over all columns.
    pub bottom: f32,
    /// The bottom edge the flow was given (after balancing, the level bottom).
    pub limit: f32,
    /// Whether some column had to take a piece taller than itself.
    pub overfull: bool,
}

impl Flowed {
    /// Whether every piece was placed.
    pub fn complete(&self, pieces: &[Flowable]) -> bool {
        self.next.piece >= pieces.len() && self.next.deferred.is_none()
    }

    /// Where each of `columns` ends: the foot of the last thing placed in it, or its top
    /// when the flow left it empty.
    pub fn column_ends(&self, pieces: &[Flowable], columns: &[ColumnSlot]) -> Vec<f32> {
        columns
            .iter()
            .map(|column| {
                self.placements
                    .iter()
                    .filter(|p| p.x == column.x)
                    .map(|p| {
                        p.y + match &pieces[p.piece] {
                            Flowable::Lines(l) => (p.lines.1 - p.lines.0) as f32 * l.leading,
                            Flowable::Block(b) => b.height,
                        }
                    })
                    .fold(column.top, f32::max)
            })
            .collect()
    }

    /// The display items of the placements.
    pub fn items(&self, pieces: &[Flowable]) -> Vec<Item> {
        let mut items = Vec::new();
        for placement in &self.placements {
            match &pieces[placement.piece] {
                Flowable::Lines(p) => {
                    for (i, line) in
                        p.lines[placement.lines.0..placement.lines.1].iter().enumerate()
                    {
                        let baseline = placement.y + i as f32 * p.leading + p.ascent;
                        let x = placement.x + p.indent;
                        if placement.lines.0 + i == 0 {
                            items.extend(
                                p.first_line_extras
                                    .iter()
                                    .map(|e| offset(e, placement.x, baseline)),
                            );
                        }
                        items.extend(line_items(line, x, baseline, p.color));
                    }
                }
                Flowable::Block(b) => {
                    items.extend(b.items.iter().map(|e| offset(e, placement.x, placement.y)));
                }
            }
        }
        items
    }
}

/// Text items for one set line with its left end at `x` and its baseline at `y`.
pub fn line_items(line: &Line, x: f32, y: f32, color: Color) -> impl Iterator<Item = Item> + '_ {
    SharedRun::each(&line.runs).map(move |run| Item::Text { x, y, run, color })
}

/// Moves an item by (`dx`, `dy`).
pub fn offset(item: &Item, dx: f32, dy: f32) -> Item {
    let mut item = item.clone();
    match &mut item {
        Item::Text { x, y, .. } | Item::Qr { x, y, .. } => {
            *x += dx;
            *y += dy;
        }
        Item::Rule { from, to, .. } => {
            from.0 += dx;
            from.1 += dy;
            to.0 += dx;
            to.1 += dy;
        }
        Item::Rect { rect, .. } => {
            rect.x += dx;
            rect.y += dy;
        }
        Item::Image { frame, clip, placement, .. } => {
            for rect in [frame, clip, placement] {
                rect.x += dx;
                rect.y += dy;
            }
        }
    }
    item
}

/// Pours `pieces` from `start` into `columns`, none lower than `bottom`.
pub fn flow(pieces: &[Flowable], start: Cursor, columns: &[ColumnSlot], bottom: f32) -> Flowed {
    pour(pieces, start, columns, bottom, false)
}

/// [`flow`] for a region the text leaves by a page turn or a jump line: its last line
/// before the turn never ends in a hyphen, as the reader would carry half a word over it.
/// Moving the line on leaves the column a line short, as the widow and orphan rule allows.
pub fn flow_to_turn(
    pieces: &[Flowable],
    start: Cursor,
    columns: &[ColumnSlot],
    bottom: f32,
) -> Flowed {
    pour(pieces, start, columns, bottom, true)
}

/// [`flow`], with no hyphenated line before the region's end when `turn`.
fn pour(
    pieces: &[Flowable],
    start: Cursor,
    columns: &[ColumnSlot],
    bottom: f32,
    turn: bool,
) -> Flowed {
    let mut placements = Vec::new();
    let mut cursor = start;
    let mut lowest = columns.iter().map(|c| c.top).fold(f32::MIN, f32::max);
    let mut overfull = false;
    // Float slack so that a line ending exactly on the bottom edge still fits.
    const EPS: f32 = 0.01;

    'columns: for (index, column) in columns.iter().enumerate() {
        let last_column = index + 1 == columns.len();
        let mut y = column.top;
        let mut column_empty = true;
        if let Some((deferred, b)) = cursor.deferred.and_then(|d| match &pieces[d] {
            Flowable::Block(b) => Some((d, b)),
            Flowable::Lines(_) => None,
        }) {
            // A block that floated tops this column; one taller than the column waits for a
            // deeper one, unless nothing at all was placed in the region (progress first).
            let fits = b.height <= bottom - column.reserve - y + EPS;
            if fits || (last_column && placements.is_empty()) {
                overfull |= !fits;
                placements.push(Placement { piece: deferred, lines: (0, 0), x: column.x, y });
                y += b.height;
                lowest = lowest.max(y);
                column_empty = false;
                cursor.deferred = None;
            }
        }
        while cursor.piece < pieces.len() {
            let piece = &pieces[cursor.piece];
            let space = if column_empty || cursor.line > 0 { 0.0 } else { piece.space_before() };
            let room = bottom - column.reserve - (y + space);
            match piece {
                Flowable::Lines(p) if p.lines.is_empty() => {
                    // Nothing to place (a list item of invisible characters): move on.
                    cursor = Cursor { piece: cursor.piece + 1, line: 0, ..cursor };
                }
                Flowable::Lines(p) => {
                    let total = p.lines.len();
                    let remaining = total - cursor.line;
                    let fit = ((room + EPS) / p.leading).floor().max(0.0) as usize;
                    if p.keep_with_next && cursor.line == 0 {
                        // An intertitle goes with at least the first lines of what follows.
                        let next_need = pieces.get(cursor.piece + 1).map_or(0.0, |next| {
                            next.space_before() + next.head_height(MIN_SPLIT_LINES)
                        });
                        let need = remaining as f32 * p.leading + next_need;
                        if need > room + EPS && !column_empty {
                            continue 'columns;
                        }
                    }
                    let take = if remaining <= fit {
                        remaining
                    } else {
                        let mut take = fit;
                        // Widow: leave at least two lines for the next column.
                        if remaining - take < MIN_SPLIT_LINES {
                            take = remaining.saturating_sub(MIN_SPLIT_LINES);
                        }
                        // The last line before the turn: no later column takes a line.
                        let region_ends = turn
                            && columns[index + 1..]
                                .iter()
                                .all(|c| c.top + p.leading > bottom - c.reserve + EPS);
                        while region_ends && take > 0 && p.lines[cursor.line + take - 1].hyphenated
                        {
                            take -= 1;
                        }
                        // Orphan: never a lone first line at the foot of a column.
                        if cursor.line == 0 && take < MIN_SPLIT_LINES {
                            take = 0;
                        }
                        take
                    };
                    let take = if take == 0 && column_empty && last_column && placements.is_empty()
                    {
                        // Nothing fitted anywhere in the region: break the rules and place
                        // what fits, at least a line, so a build always moves forward.
                        overfull |= fit == 0;
                        fit.max(1).min(remaining)
                    } else {
                        take
                    };
                    if take == 0 {
                        continue 'columns;
                    }
                    placements.push(Placement {
                        piece: cursor.piece,
                        lines: (cursor.line, cursor.line + take),
                        x: column.x,
                        y: y + space,
                    });
                    y += space + take as f32 * p.leading;
                    lowest = lowest.max(y);
                    column_empty = false;
                    cursor.line += take;
                    if cursor.line >= total {
                        cursor = Cursor { piece: cursor.piece + 1, line: 0, ..cursor };
                    } else {
                        continue 'columns;
                    }
                }
                Flowable::Block(b) => {
                    if b.height > room + EPS
                        && b.floats
                        && !column_empty
                        && cursor.deferred.is_none()
                        && cursor.piece + 1 < pieces.len()
                    {
                        // Too deep for the rest of the column: the text after it fills the
                        // column, and it tops the next.
                        cursor = Cursor {
                            piece: cursor.piece + 1,
                            line: 0,
                            deferred: Some(cursor.piece),
                        };
                        continue;
                    }
                    if b.height > room + EPS {
                        if !(column_empty && last_column && placements.is_empty()) {
                            continue 'columns;
                        }
                        // Taller than any column can be: place it anyway, and say so.
                        overfull = true;
                    }
                    placements.push(Placement {
                        piece: cursor.piece,
                        lines: (0, 0),
                        x: column.x,
                        y: y + space,
                    });
                    y += space + b.height;
                    lowest = lowest.max(y);
                    column_empty = false;
                    cursor = Cursor { piece: cursor.piece + 1, line: 0, ..cursor };
                }
            }
        }
        // Everything else is placed; a floated block still waiting goes on to the next
        // column.
        if cursor.deferred.is_none() {
            break;
        }
    }
    Flowed { placements, next: cursor, bottom: lowest, limit: bottom, overfull }
}

/// Flows `pieces` into `columns` with the lowest bottom edge (on the `grid`) at which all of
/// them fit, no lower than `max_bottom`: the balanced last page. `None` when they do not fit
/// even at `max_bottom`.
pub fn balance(
    pieces: &[Flowable],
    start: Cursor,
    columns: &[ColumnSlot],
    max_bottom: f32,
    grid: f32,
) -> Option<Flowed> {
    let full = flow(pieces, start, columns, max_bottom);
    if !full.complete(pieces) {
        return None;
    }
    let top = columns.iter().map(|c| c.top).fold(f32::MAX, f32::min);
    let steps = ((max_bottom - top) / grid).floor().max(0.0) as i64;
    // Smallest number of grid steps that still fits everything; fitting is monotonic in the
    // bottom edge, so a binary search finds it.
    let (mut low, mut high) = (0i64, steps);
    while low < high {
        let mid = (low + high) / 2;
        let trial = flow(pieces, start, columns, top + mid as f32 * grid);
        // A forced placement (overfull) is not a fit: it only guarantees progress.
        if trial.complete(pieces) && !trial.overfull {
            high = mid;
        } else {
            low = mid + 1;
        }
    }
    let bottom = (top + high as f32 * grid).min(max_bottom);
    let balanced = flow(pieces, start, columns, bottom);
    Some(if balanced.complete(pieces) && !balanced.overfull { balanced } else { full })
}

#[cfg(test)]
#[path = "flow_tests.rs"]
mod tests;
