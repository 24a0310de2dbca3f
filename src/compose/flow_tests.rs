//! Tests of the column flow: widows, orphans, keeps, floating blocks, balancing, and
//! properties on random pieces.

use super::*;

fn lines(n: usize) -> Flowable {
    let line = Line {
        width: 0.0,
        runs: std::sync::Arc::from([]),
        hyphenated: false,
        last: false,
        ratio: 0.0,
    };
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

fn block(height: f32, floats: bool) -> Flowable {
    Flowable::Block(BlockPiece { height, items: Vec::new(), space_before: 0.0, floats })
}

/// Where each block was placed: (column, top).
fn blocks(flowed: &Flowed, pieces: &[Flowable]) -> Vec<(usize, f32)> {
    let placements = flowed.placements.iter();
    placements
        .filter(|p| matches!(pieces[p.piece], Flowable::Block(_)))
        .map(|p| ((p.x / 100.0) as usize, p.y))
        .collect()
}

#[test]
fn a_floating_block_too_deep_for_the_rest_of_a_column_tops_the_next() {
    // After 6 lines, a 5-line quote does not fit the 4 slots left: the text after it
    // fills column 1 and the quote tops column 2, with the rest of the text under it.
    let pieces = [lines(6), block(50.0, true), lines(8)];
    let flowed = flow(&pieces, Cursor::default(), &columns(3), 100.0);
    assert!(flowed.complete(&pieces));
    assert_eq!(per_column(&flowed), [10, 4]);
    assert_eq!(blocks(&flowed, &pieces), [(1, 0.0)]);
    // A box that may not float (a standfirst, a QR block) leaves the column short.
    let pieces = [lines(6), block(50.0, false), lines(8)];
    let flowed = flow(&pieces, Cursor::default(), &columns(3), 100.0);
    assert_eq!(per_column(&flowed), [6, 5, 3]);
}

#[test]
fn a_floating_block_waits_for_the_next_region_when_the_last_column_is_full() {
    let pieces = [lines(6), block(50.0, true), lines(8)];
    let flowed = flow(&pieces, Cursor::default(), &columns(1), 100.0);
    assert_eq!(per_column(&flowed), [10]);
    assert_eq!(flowed.next, Cursor { piece: 2, line: 4, deferred: Some(1) });
    assert!(!flowed.complete(&pieces));
    let rest = flow(&pieces, flowed.next, &columns(1), 100.0);
    assert!(rest.complete(&pieces));
    assert_eq!(blocks(&rest, &pieces), [(0, 0.0)]);
    assert_eq!(per_column(&rest), [4]);
}

#[test]
fn no_hyphenated_line_ends_the_region() {
    // Line 10 of 14 ends in a hyphen: the last column before a turn may not end on it, a
    // column with another after it may.
    let mut piece = lines(14);
    if let Flowable::Lines(p) = &mut piece {
        p.lines[9].hyphenated = true;
    }
    let pieces = [lines(10), piece];
    let flowed = flow_to_turn(&pieces, Cursor::default(), &columns(2), 100.0);
    assert_eq!(per_column(&flowed), [10, 9]);
    assert_eq!(flowed.next, Cursor { piece: 1, line: 9, deferred: None });
    // A region the text does not leave by a turn (an overset frame) is measured as set.
    let flowed = flow(&pieces, Cursor::default(), &columns(2), 100.0);
    assert_eq!(per_column(&flowed), [10, 10]);
    let pieces = [pieces[1].clone()];
    let flowed = flow_to_turn(&pieces, Cursor::default(), &columns(2), 100.0);
    assert_eq!(per_column(&flowed), [10, 4]);
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
    assert_eq!(flowed.next, Cursor { piece: 0, line: 20, deferred: None });
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
        let block = (5.0f32..150.0, 0.0f32..15.0, any::<bool>()).prop_map(
            |(height, space_before, floats)| {
                Flowable::Block(BlockPiece { height, items: Vec::new(), space_before, floats })
            },
        );
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

    /// Whether a flow that stopped at `cursor` placed everything.
    fn flowed_all(cursor: Cursor, pieces: &[Flowable]) -> bool {
        cursor.piece >= pieces.len() && cursor.deferred.is_none()
    }

    /// The units of lines among `units`, in their order: lines keep reading order even
    /// where a floating block moved on past them.
    fn lines_only(units: &[(usize, usize)], pieces: &[Flowable]) -> Vec<(usize, usize)> {
        units.iter().copied().filter(|(p, _)| matches!(pieces[*p], Flowable::Lines(_))).collect()
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
                if flowed_all(cursor, &pieces) {
                    break;
                }
                let flowed = flow(&pieces, cursor, &columns, bottom);
                let region = placed(&flowed, &pieces, &columns, bottom)?;
                prop_assert!(!region.is_empty() || flowed.next != cursor, "no progress from {cursor:?}");
                all.extend(region);
                cursor = flowed.next;
            }
            prop_assert!(flowed_all(cursor, &pieces), "stopped at {cursor:?}");
            prop_assert_eq!(lines_only(&all, &pieces), lines_only(&units(&pieces), &pieces));
            let mut sorted = all.clone();
            sorted.sort_unstable();
            prop_assert_eq!(sorted, units(&pieces), "every unit once");
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
                let mut units_placed = placed(&balanced, &pieces, &columns, balanced.limit)?;
                units_placed.sort_unstable();
                prop_assert_eq!(units_placed, units(&pieces));
            }
        }
    }
}
