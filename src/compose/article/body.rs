//! The body of an article as flowables for the column flow: paragraphs, intertitles and list
//! items (breakable lines), pull quotes and sidebars (unbreakable blocks).

use super::{Setter, snap_up};
use crate::compose::display::Item;
use std::sync::Arc;

use crate::compose::flow::{
    BlockPiece, ColumnSlot, Cursor, Flowable, ParagraphSource, flow, line_items,
};
use crate::geom::Rect;
use crate::model::{Block, BlockKind, InlineRun, TextStyle};

/// Space between the items of a list in a sidebar, points: the box has no baseline grid to
/// keep, and a little air tells the items apart.
const LIST_ITEM_GAP: f32 = 1.5;
/// The space between a list's dash and its text, em: a word space, a little wider than a
/// justified line's usual one so the dash stands apart (an en space looked like a hole).
const LIST_MARKER_GAP_EM: f32 = 0.3;

/// Weight of the rules above and below a pull quote, points.
const QUOTE_RULE_WIDTH: f32 = 1.0;
/// The top rule's axis under the block's top edge, points.
const QUOTE_TOP_RULE_Y: f32 = 1.0;
/// From the block's top edge to the top of the quote's first line slot, points.
const QUOTE_TEXT_TOP: f32 = 6.0;
/// From the quote's last line slot to the bottom rule, points.
const QUOTE_TEXT_TO_RULE: f32 = 4.0;
/// Space kept under the bottom rule before the block's height snaps to the grid, points.
const QUOTE_FOOT: f32 = 2.0;

/// Inner margin of a sidebar's box on every side, points.
const SIDEBAR_PADDING: f32 = 5.0;
/// Weight of the rule across the top of a sidebar, points: heavier than the body's rules,
/// it marks the box as apart from the article.
const SIDEBAR_RULE_WIDTH: f32 = 1.5;
/// Space after each paragraph in a sidebar, points.
const SIDEBAR_PARAGRAPH_GAP: f32 = 2.0;

/// Body blocks as flowables, in reading order.
pub(super) fn body_flowables(
    setter: &mut Setter<'_>,
    blocks: &[Block],
    width: f32,
) -> Vec<Flowable> {
    let styles = setter.config.styles.clone();
    let grid = setter.grid.baseline;
    let mut flowables = Vec::new();
    let mut indent_next = false;
    for block in blocks {
        setter.line = block.line;
        match &block.kind {
            BlockKind::Paragraph(runs) => {
                let mut style = setter.paragraph_style(&styles.body);
                // First paragraphs and those after an intertitle are not indented.
                if indent_next {
                    style.first_indent = styles.body.size;
                }
                let lines = setter.set_with(runs, &style, width);
                // Text that sets to nothing (only soft hyphens, say) takes no room.
                if !lines.is_empty() {
                    let mut piece = setter.lines_piece(lines, &styles.body, 0.0);
                    if setter.keep_sources {
                        piece.source =
                            Some(Arc::new(ParagraphSource { runs: runs.clone(), style, width }));
                    }
                    flowables.push(Flowable::Lines(piece));
                    indent_next = true;
                }
            }
            BlockKind::Intertitle(runs) => {
                let lines = setter.set(runs, &styles.intertitle, width);
                let lines = setter.rebreak_lone_word(runs, &styles.intertitle, width, lines);
                let mut piece = setter.lines_piece(
                    lines,
                    &styles.intertitle,
                    snap_up(styles.intertitle.space_before, grid),
                );
                piece.keep_with_next = true;
                flowables.push(Flowable::Lines(piece));
                indent_next = false;
            }
            BlockKind::List(items) => {
                flowables.extend(list_flowables(setter, items, &styles.list, width));
                indent_next = false;
            }
            BlockKind::Quote(runs) => {
                flowables.push(Flowable::Block(quote_block(setter, runs, width)));
                indent_next = false;
            }
            BlockKind::Sidebar { title, blocks } => {
                flowables.push(Flowable::Block(sidebar_block(setter, title, blocks, width)));
                indent_next = false;
            }
        }
    }
    flowables
}

/// Bulleted list items as flowables with a hanging indent: the dash in the indent, every
/// line of the item's text at the indent, aligned as `style` says (the body's lists in the
/// `list` style, justified like the body unless set ragged; a sidebar's as its text).
fn list_flowables(
    setter: &mut Setter<'_>,
    items: &[Vec<InlineRun>],
    style: &TextStyle,
    width: f32,
) -> Vec<Flowable> {
    let bullet = setter.set_text("–", style, width);
    // The turnover lines align with the text after the dash, as in the first line.
    let dash = bullet.first().map_or(0.5 * style.size, |line| line.width);
    let indent = dash + LIST_MARKER_GAP_EM * style.size;
    items
        .iter()
        .map(|runs| {
            let lines = setter.set(runs, style, width - indent);
            let mut piece = setter.lines_piece(lines, style, 0.0);
            piece.indent = indent;
            piece.first_line_extras =
                bullet.iter().take(1).flat_map(|l| line_items(l, 0.0, 0.0, style.color)).collect();
            Flowable::Lines(piece)
        })
        .collect()
}

/// A pull quote between two rules.
fn quote_block(setter: &mut Setter<'_>, runs: &[InlineRun], width: f32) -> BlockPiece {
    let style = setter.config.styles.quote.clone();
    let grid = setter.grid.baseline;
    let color = setter.config.styles.rule_color;
    let rule =
        |y: f32| Item::Rule { from: (0.0, y), to: (width, y), width: QUOTE_RULE_WIDTH, color };
    let mut items = vec![rule(QUOTE_TOP_RULE_Y)];
    let mut y = QUOTE_TEXT_TOP;
    let lines = setter.set(runs, &style, width);
    items.extend(setter.stack(&lines, &style, 0.0, &mut y));
    y += QUOTE_TEXT_TO_RULE;
    items.push(rule(y));
    BlockPiece { height: snap_up(y + QUOTE_FOOT, grid), items, space_before: grid, floats: true }
}

/// The boxed sidebar (encadré): a tinted box with a title and its content.
fn sidebar_block(
    setter: &mut Setter<'_>,
    title: &[InlineRun],
    blocks: &[Block],
    width: f32,
) -> BlockPiece {
    let styles = setter.config.styles.clone();
    let grid = setter.grid.baseline;
    let pad = SIDEBAR_PADDING;
    let inner = width - 2.0 * pad;
    let mut content = Vec::new();
    let mut y = pad;
    let lines = setter.set(title, &styles.sidebar_title, inner);
    content.extend(setter.stack(&lines, &styles.sidebar_title, pad, &mut y));
    y += styles.sidebar_title.space_after;
    for block in blocks {
        setter.line = block.line;
        match &block.kind {
            BlockKind::List(items) => {
                // The list flows in one endless column inside the box, as in the body.
                let mut flowables = list_flowables(setter, items, &styles.sidebar, inner);
                for flowable in flowables.iter_mut().skip(1) {
                    if let Flowable::Lines(p) = flowable {
                        p.space_before = LIST_ITEM_GAP;
                    }
                }
                let column = ColumnSlot { x: pad, width: inner, top: y, reserve: 0.0 };
                let flowed = flow(&flowables, Cursor::default(), &[column], f32::MAX);
                content.extend(flowed.items(&flowables));
                y = flowed.bottom + LIST_ITEM_GAP;
            }
            BlockKind::Paragraph(runs) | BlockKind::Quote(runs) | BlockKind::Intertitle(runs) => {
                let lines = setter.set(runs, &styles.sidebar, inner);
                content.extend(setter.stack(&lines, &styles.sidebar, pad, &mut y));
                y += SIDEBAR_PARAGRAPH_GAP;
            }
            // Loading refuses a sidebar inside a sidebar.
            BlockKind::Sidebar { .. } => {}
        }
    }
    // The tint stops half a line above the next slot, so the body that follows has air.
    let height = snap_up(y + pad, grid) - 0.5 * grid;
    let mut items = vec![
        Item::Rect {
            rect: Rect::new(0.0, 0.0, width, height),
            fill: Some(styles.sidebar_tint),
            stroke: None,
        },
        Item::Rule {
            from: (0.0, 0.0),
            to: (width, 0.0),
            width: SIDEBAR_RULE_WIDTH,
            color: styles.rule_color,
        },
    ];
    items.extend(content);
    BlockPiece { height: height + 0.5 * grid, items, space_before: grid, floats: true }
}
