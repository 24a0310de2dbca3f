//! The publication's house ad (`ad: house` in a page plan): its name, its boilerplate
//! blocks (subscription, donation) and its website in a ruled box. Newspapers fill the hole
//! left where the copy runs out with such an ad; the automatic make-up does the same.
//!
//! Unlike a delivered ad, it has no fixed size: it is set for the frame's width, and the
//! depth over its own content is shared out evenly between its parts, as a designer spaces
//! a box of a given size. [`HouseAd::depths`] bounds that share, so the box never reads as
//! a hole in the page.

use super::boilerplate::boilerplate_block;
use super::{Setter, ascent};
use crate::color::Color;
use crate::compose::Grid;
use crate::compose::display::Item;
use crate::compose::flow::{BlockPiece, line_items, offset};
use crate::diag::Diagnostic;
use crate::geom::Rect;
use crate::model::{Align, IssueConfig, TextStyle};
use crate::text::TextEngine;

/// Weight of the box's rule, points: heavier than the rule between stories, so the ad
/// reads as an ad.
const BOX_RULE_WIDTH: f32 = 1.5;
/// From the box's rule to its text on the left and right, points.
const SIDE_PADDING: f32 = 6.0;
/// Least space over, between and under the parts, in grid lines.
const MIN_GAP_LINES: f32 = 0.5;
/// Most space over, between and under the parts, in grid lines: `pagefill`'s eye (and a
/// reader's) takes more than about three empty lines for a hole.
const MAX_GAP_LINES: f32 = 2.5;

/// The forms of the ad, richest first (and deepest, but for the stacked one).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Form {
    /// The publication's name, its boilerplate blocks and its website.
    Full,
    /// The same with the blocks one under the other where they would stand side by side:
    /// for a frame too deep for the full form's air.
    Stacked,
    /// The name over one line of the blocks' titles and the website.
    Short,
    /// The name and that line side by side on one baseline, when the width holds both.
    Band,
    /// That line alone: the strip a paper runs in a hole of two or three lines.
    Strip,
}

impl Form {
    const ALL: [Form; 5] = [Form::Full, Form::Stacked, Form::Short, Form::Band, Form::Strip];
}

/// The house ad as set for one width, ready to be spaced out in a frame of that width.
#[derive(Debug, Clone)]
pub struct HouseAd {
    /// The parts top to bottom (name, blocks, website), each from its own top-left corner
    /// at the box's inner left edge.
    parts: Vec<BlockPiece>,
    /// Findings about the boilerplate's text.
    pub warnings: Vec<Diagnostic>,
}

impl HouseAd {
    /// The house ad of `config` for a frame `width` points wide and `depth` points deep:
    /// the richest form whose depths hold it, else the richest that fits it (the blocks'
    /// text, else their titles under the name, else beside it, else alone).
    pub fn for_frame(
        engine: &TextEngine,
        config: &IssueConfig,
        grid: &Grid,
        width: f32,
        depth: f32,
    ) -> HouseAd {
        let forms: Vec<HouseAd> = Form::ALL
            .iter()
            .filter_map(|f| HouseAd::set(engine, config, grid, width, *f))
            .collect();
        let lines = (depth / grid.baseline + 1e-3).floor() as u32;
        let holds = forms.iter().position(|ad| ad.depths(grid.baseline).contains(&lines));
        let fits = |ad: &HouseAd| *ad.depths(grid.baseline).start() <= lines;
        let chosen = holds.or_else(|| forms.iter().position(fits)).unwrap_or(forms.len() - 1);
        forms.into_iter().nth(chosen).expect("the full form is always set")
    }

    /// The depths in lines a frame `width` points wide may take for the ad, in any of its
    /// forms, shallowest first.
    pub fn depths_for(
        engine: &TextEngine,
        config: &IssueConfig,
        grid: &Grid,
        width: f32,
    ) -> Vec<u32> {
        let mut depths: Vec<u32> = Form::ALL
            .iter()
            .filter_map(|f| HouseAd::set(engine, config, grid, width, *f))
            .flat_map(|ad| ad.depths(grid.baseline))
            .collect();
        depths.sort_unstable();
        depths.dedup();
        depths
    }

    /// Sets the house ad of `config` in `form` for a frame `width` points wide; `None` for
    /// a band too long for the width.
    fn set(
        engine: &TextEngine,
        config: &IssueConfig,
        grid: &Grid,
        width: f32,
        form: Form,
    ) -> Option<HouseAd> {
        let mut setter =
            Setter::new(engine, config, grid, config.lang, std::path::Path::new("issue.yaml"));
        let inner = (width - 2.0 * SIDE_PADDING).max(1.0);
        let styles = &config.styles;
        let masthead = TextStyle { align: Align::Center, ..styles.masthead.clone() };
        let bold = TextStyle { align: Align::Center, ..styles.boilerplate_title.clone() };
        // As the QR block prints addresses: without the scheme, the host in Unicode.
        let website = config.website.as_deref().map(|site| crate::qr::display_address(site).0);
        // The blocks' titles and the website on a line: the appeal at a glance.
        let mut titles: Vec<&str> = config.boilerplate.iter().map(|b| b.title.as_str()).collect();
        titles.extend(website.as_deref());
        let titles = titles.join(" · ");
        let parts = match form {
            Form::Strip => vec![centred(&mut setter, &titles, &bold, inner)],
            Form::Band => {
                vec![band(&mut setter, &config.publication, &titles, (&masthead, &bold), inner)?]
            }
            Form::Short => vec![
                centred(&mut setter, &config.publication, &masthead, inner),
                centred(&mut setter, &titles, &bold, inner),
            ],
            Form::Full | Form::Stacked => {
                let styles = (&masthead, &bold);
                full_parts(&mut setter, config, grid, (inner, styles), form, website.as_deref())
            }
        };
        Some(HouseAd { parts, warnings: setter.take_issue_warnings(Some("boilerplate")) })
    }

    /// The depths, in lines of `baseline`, a frame holding the ad in this form may take: enough for its
    /// parts with the least space between them, and no more than the most.
    fn depths(&self, baseline: f32) -> std::ops::RangeInclusive<u32> {
        let content: f32 = self.parts.iter().map(|p| p.height).sum();
        let gaps = (self.parts.len() + 1) as f32;
        let least = ((content + gaps * MIN_GAP_LINES * baseline) / baseline - 1e-3).ceil();
        let most = ((content + gaps * MAX_GAP_LINES * baseline) / baseline + 1e-3).floor();
        least as u32..=(most as u32).max(least as u32)
    }

    /// The ad drawn in `rect`: the box, and the parts spaced evenly down it.
    pub fn draw(&self, rect: Rect) -> Vec<Item> {
        let content: f32 = self.parts.iter().map(|p| p.height).sum();
        let gap = ((rect.height - content) / (self.parts.len() + 1) as f32).max(0.0);
        let inset = BOX_RULE_WIDTH / 2.0;
        let mut items = vec![Item::Rect {
            rect: Rect::new(
                rect.x + inset,
                rect.y + inset,
                rect.width - 2.0 * inset,
                rect.height - 2.0 * inset,
            ),
            fill: None,
            stroke: Some((Color::BLACK, BOX_RULE_WIDTH)),
        }];
        let mut y = rect.y + gap;
        for part in &self.parts {
            let x = rect.x + SIDE_PADDING;
            items.extend(part.items.iter().map(|item| offset(item, x, y)));
            y += part.height + gap;
        }
        items
    }
}

/// The parts of the full ad (`Form::Full`, or `Form::Stacked` with its blocks always one
/// under the other), `inner` points wide in the name's and titles' styles: the
/// publication's name, its boilerplate blocks and its `website`.
fn full_parts(
    setter: &mut Setter<'_>,
    config: &IssueConfig,
    grid: &Grid,
    (inner, (masthead, bold)): (f32, (&TextStyle, &TextStyle)),
    form: Form,
    website: Option<&str>,
) -> Vec<BlockPiece> {
    let mut parts = vec![centred(setter, &config.publication, masthead, inner)];
    // Blocks side by side when each still gets about a column; stacked when narrower.
    let count = config.boilerplate.len().max(1) as f32;
    let beside = (inner - grid.gutter * (count - 1.0)) / count;
    if count > 1.0 && beside >= 0.9 * grid.column_width && form == Form::Full {
        let blocks: Vec<BlockPiece> =
            config.boilerplate.iter().map(|item| boilerplate_block(setter, item, beside)).collect();
        let height = blocks.iter().map(|b| b.height).fold(0.0, f32::max);
        let mut items = Vec::new();
        for (i, block) in blocks.iter().enumerate() {
            // A shorter block is centred on the taller: no hole under it alone.
            let dx = i as f32 * (beside + grid.gutter);
            let dy = (height - block.height) / 2.0;
            items.extend(block.items.iter().map(|item| offset(item, dx, dy)));
        }
        parts.push(BlockPiece { height, items, space_before: 0.0, floats: false });
    } else {
        for item in &config.boilerplate {
            parts.push(boilerplate_block(setter, item, inner));
        }
    }
    if let Some(website) = website {
        parts.push(centred(setter, website, bold, inner));
    }
    parts
}

/// `text` set in `style` (centred) `width` wide, as a part of the ad.
fn centred(setter: &mut Setter<'_>, text: &str, style: &TextStyle, width: f32) -> BlockPiece {
    let lines = setter.set_text(text, style, width);
    let mut height = 0.0;
    let items = setter.stack(&lines, style, 0.0, &mut height);
    BlockPiece { height, items, space_before: 0.0, floats: false }
}

/// `name` in the first style and `titles` in the second side by side on one baseline,
/// centred `width` wide; `None` when either wraps or both do not fit.
fn band(
    setter: &mut Setter<'_>,
    name: &str,
    titles: &str,
    (name_style, titles_style): (&TextStyle, &TextStyle),
    width: f32,
) -> Option<BlockPiece> {
    let left = |style: &TextStyle| TextStyle { align: Align::Left, ..style.clone() };
    let name_lines = setter.set_text(name, &left(name_style), width);
    let titles_lines = setter.set_text(titles, &left(titles_style), width);
    let ([name_line], [titles_line]) = (name_lines.as_slice(), titles_lines.as_slice()) else {
        return None;
    };
    // An em of the titles between the two.
    let space = titles_style.size;
    let total = name_line.width + space + titles_line.width;
    if total > width {
        return None;
    }
    let x = (width - total) / 2.0;
    let baseline = ascent(name_style);
    let mut items: Vec<Item> = line_items(name_line, x, baseline, name_style.color).collect();
    let after = x + name_line.width + space;
    items.extend(line_items(titles_line, after, baseline, titles_style.color));
    Some(BlockPiece { height: name_style.leading, items, space_before: 0.0, floats: false })
}
