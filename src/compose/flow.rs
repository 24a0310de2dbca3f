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
use crate::text::{Line, ParagraphStyle};

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
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Cursor {
    /// Index of the current piece.
    pub piece: usize,
    /// Lines of it already placed.
    pub line: usize,
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
        self.next.piece >= pieces.len()
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
    line.runs.iter().map(move |run| Item::Text { x, y, run: run.clone(), color })
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
        while cursor.piece < pieces.len() {
            let piece = &pieces[cursor.piece];
            let space = if column_empty || cursor.line > 0 { 0.0 } else { piece.space_before() };
            let room = bottom - column.reserve - (y + space);
            match piece {
                Flowable::Lines(p) if p.lines.is_empty() => {
                    // Nothing to place (a list item of invisible characters): move on.
                    cursor = Cursor { piece: cursor.piece + 1, line: 0 };
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
                        cursor = Cursor { piece: cursor.piece + 1, line: 0 };
                    } else {
                        continue 'columns;
                    }
                }
                Flowable::Block(b) => {
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
                    cursor = Cursor { piece: cursor.piece + 1, line: 0 };
                }
            }
        }
        break;
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
mod tests {
    use super::*;

    fn lines(n: usize) -> Flowable {
        let line =
            Line { width: 0.0, runs: Vec::new(), hyphenated: false, last: false, ratio: 0.0 };
        Flowable::Lines(LinesPiece {
            lines: vec![line; n],
            leading: 10.0,
            ascent: 8.0,
            color: Color::BLACK,
            space_before: 0.0,
            keep_with_next: false,
            indent: 0.0,
            first_line_extras: Vec::new(),
            source: None,
        })
    }

    fn intertitle() -> Flowable {
        match lines(1) {
            Flowable::Lines(mut p) => {
                p.keep_with_next = true;
                p.space_before = 10.0;
                Flowable::Lines(p)
            }
            other => other,
        }
    }

    fn columns(n: usize) -> Vec<ColumnSlot> {
        (0..n)
            .map(|i| ColumnSlot { x: i as f32 * 100.0, width: 90.0, top: 0.0, reserve: 0.0 })
            .collect()
    }

    /// Lines placed per column, in order.
    fn per_column(flowed: &Flowed) -> Vec<usize> {
        let mut counts = std::collections::BTreeMap::new();
        for p in &flowed.placements {
            *counts.entry((p.x / 100.0) as usize).or_insert(0) += p.lines.1 - p.lines.0;
        }
        counts.into_values().collect()
    }

    #[test]
    fn no_orphan_at_the_foot_of_a_column() {
        // 9 lines fill column 1 (10 slots); a 5-line paragraph would leave one line alone at
        // the foot: it moves whole to the next column.
        let pieces = [lines(9), lines(5)];
        let flowed = flow(&pieces, Cursor::default(), &columns(2), 100.0);
        assert!(flowed.complete(&pieces));
        assert_eq!(per_column(&flowed), [9, 5]);
    }

    #[test]
    fn no_widow_at_the_head_of_a_column() {
        // 11 lines in 10 slots would leave one line at the top of column 2: take 9, leave 2.
        let pieces = [lines(11)];
        let flowed = flow(&pieces, Cursor::default(), &columns(2), 100.0);
        assert_eq!(per_column(&flowed), [9, 2]);
    }

    #[test]
    fn intertitles_keep_with_the_next_lines() {
        // After 8 lines, the intertitle plus two lines of what follows do not fit (space,
        // title and two lines need 40 pt of the 20 left): all of it goes to column 2.
        let pieces = [lines(8), intertitle(), lines(6)];
        let flowed = flow(&pieces, Cursor::default(), &columns(2), 100.0);
        assert_eq!(per_column(&flowed), [8, 7]);
    }

    #[test]
    fn balancing_levels_the_last_columns() {
        let pieces = [lines(12), lines(12), lines(6)];
        let balanced = balance(&pieces, Cursor::default(), &columns(3), 1000.0, 10.0).unwrap();
        assert!(balanced.complete(&pieces));
        assert_eq!(balanced.bottom, 100.0, "30 lines in 3 columns end after 10 lines");
        assert_eq!(per_column(&balanced), [10, 10, 10]);
    }

    #[test]
    fn empty_pieces_are_skipped_not_looped_on() {
        let pieces = [lines(3), lines(0), lines(3)];
        let flowed = flow(&pieces, Cursor::default(), &columns(1), 100.0);
        assert!(flowed.complete(&pieces));
        assert_eq!(per_column(&flowed), [6]);
    }

    #[test]
    fn too_much_for_the_region_stops_where_it_must() {
        let pieces = [lines(50)];
        assert!(balance(&pieces, Cursor::default(), &columns(2), 100.0, 10.0).is_none());
        let flowed = flow(&pieces, Cursor::default(), &columns(2), 100.0);
        assert_eq!(flowed.next, Cursor { piece: 0, line: 20 });
        assert!(!flowed.overfull);
    }

    /// Properties of the flow on random pieces and columns.
    mod properties {
        use super::*;
        use proptest::prelude::*;

        /// Slack for float comparisons, as the flow allows.
        const EPS: f32 = 0.02;

        fn piece() -> impl Strategy<Value = Flowable> {
            let lines =
                (0usize..15, any::<bool>(), 8.0f32..14.0, prop_oneof![Just(0.0f32), 0.0f32..20.0])
                    .prop_map(|(n, keep_with_next, leading, space_before)| match lines(n) {
                        Flowable::Lines(mut p) => {
                            p.keep_with_next = keep_with_next;
                            p.leading = leading;
                            p.space_before = space_before;
                            Flowable::Lines(p)
                        }
                        other => other,
                    });
            let block = (5.0f32..150.0, 0.0f32..15.0).prop_map(|(height, space_before)| {
                Flowable::Block(BlockPiece { height, items: Vec::new(), space_before })
            });
            prop_oneof![3 => lines, 1 => block]
        }

        fn slots() -> impl Strategy<Value = Vec<ColumnSlot>> {
            prop::collection::vec((0.0f32..80.0, prop_oneof![Just(0.0f32), 0.0f32..40.0]), 1..5)
                .prop_map(|columns| {
                    columns
                        .into_iter()
                        .enumerate()
                        .map(|(i, (top, reserve))| ColumnSlot {
                            x: i as f32 * 100.0,
                            width: 90.0,
                            top,
                            reserve,
                        })
                        .collect()
                })
        }

        /// Every line of the pieces as (piece, line), and every block as (piece, 0), in
        /// reading order.
        fn units(pieces: &[Flowable]) -> Vec<(usize, usize)> {
            let mut units = Vec::new();
            for (i, piece) in pieces.iter().enumerate() {
                match piece {
                    Flowable::Lines(p) => units.extend((0..p.lines.len()).map(|l| (i, l))),
                    Flowable::Block(_) => units.push((i, 0)),
                }
            }
            units
        }

        /// What one flow placed, as units, checking each placement against its column.
        fn placed(
            flowed: &Flowed,
            pieces: &[Flowable],
            columns: &[ColumnSlot],
            bottom: f32,
        ) -> Result<Vec<(usize, usize)>, TestCaseError> {
            let mut units = Vec::new();
            let mut last_column = 0;
            for placement in &flowed.placements {
                let index = columns.iter().position(|c| c.x == placement.x);
                prop_assert!(index.is_some(), "placed outside the columns: {placement:?}");
                let index = index.unwrap_or_default();
                prop_assert!(index >= last_column, "columns are filled left to right");
                last_column = index;
                let column = &columns[index];
                prop_assert!(placement.y >= column.top - EPS, "above its column: {placement:?}");
                let height = match &pieces[placement.piece] {
                    Flowable::Lines(p) => {
                        units.extend(
                            (placement.lines.0..placement.lines.1).map(|l| (placement.piece, l)),
                        );
                        (placement.lines.1 - placement.lines.0) as f32 * p.leading
                    }
                    Flowable::Block(b) => {
                        units.push((placement.piece, 0));
                        b.height
                    }
                };
                let foot = bottom - column.reserve;
                prop_assert!(
                    flowed.overfull || placement.y + height <= foot + EPS,
                    "below the column's foot {foot} without saying so: {placement:?}"
                );
            }
            Ok(units)
        }

        proptest! {
            /// Flowing region after region from where the last stopped, as pages do, places
            /// every line exactly once, in reading order, none below its column's foot unless
            /// the flow says it is overfull, and always moves forward.
            #[test]
            fn every_line_is_placed_once_in_order_within_its_column(
                pieces in prop::collection::vec(piece(), 0..12),
                columns in slots(),
                bottom in 50.0f32..300.0,
            ) {
                let mut cursor = Cursor::default();
                let mut all = Vec::new();
                for _ in 0..=units(&pieces).len() {
                    if cursor.piece >= pieces.len() {
                        break;
                    }
                    let flowed = flow(&pieces, cursor, &columns, bottom);
                    all.extend(placed(&flowed, &pieces, &columns, bottom)?);
                    let (before, after) = ((cursor.piece, cursor.line), (flowed.next.piece, flowed.next.line));
                    prop_assert!(after > before, "no progress from {before:?}");
                    cursor = flowed.next;
                }
                prop_assert!(cursor.piece >= pieces.len(), "stopped at {cursor:?}");
                prop_assert_eq!(all, units(&pieces));
            }

            /// A balanced flow places everything once, ends no lower than it was allowed, and
            /// is found whenever the unbalanced flow fits.
            #[test]
            fn balancing_places_everything_no_lower_than_allowed(
                pieces in prop::collection::vec(piece(), 0..12),
                columns in slots(),
                bottom in 50.0f32..300.0,
            ) {
                let full = flow(&pieces, Cursor::default(), &columns, bottom);
                let balanced = balance(&pieces, Cursor::default(), &columns, bottom, 10.0);
                prop_assert_eq!(balanced.is_some(), full.complete(&pieces));
                if let Some(balanced) = balanced {
                    prop_assert!(balanced.limit <= bottom + EPS);
                    prop_assert!(balanced.complete(&pieces));
                    let units_placed = placed(&balanced, &pieces, &columns, balanced.limit)?;
                    prop_assert_eq!(units_placed, units(&pieces));
                }
            }
        }
    }
}
