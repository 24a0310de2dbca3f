//! Page furniture: the masthead on page 1, the folio line on the others, and the band of
//! boilerplate blocks across the foot of a page.

use super::article::{self, Setter};
use super::display::{Item, Page};
use super::flow::{BlockPiece, line_items, offset};
use super::{Grid, Layout, labels};
use crate::diag::Diagnostic;
use crate::model::{InlineRun, TextStyle};

/// Weight of the rule under the masthead, points: the heaviest on the page, it closes the
/// front page's title band.
const MASTHEAD_RULE_WIDTH: f32 = 1.5;
/// Weight of the rule under the folio line, points.
const FOLIO_RULE_WIDTH: f32 = 0.5;
/// From the furniture's baseline down to its rule, points: the text sits just above it.
const BASELINE_ABOVE_RULE: f32 = 3.0;

/// Height of the band at the top of page `number`: the masthead on page 1, the folio
/// elsewhere, each with a line of air, on the baseline grid.
pub(super) fn band_height(layout: &Layout<'_>, number: u32) -> f32 {
    layout.config.furniture_band(number)
}

/// A new page with its furniture: the publication on the left (as the masthead on page 1,
/// in the folio style elsewhere), the issue's number, date and the page number on the right,
/// on one baseline just above a rule, and the page's `section` (planned pages) centred
/// between them, over the page's grid that starts at `grid_top`. The findings of setting
/// them go to `warnings`.
pub(super) fn new_page(
    layout: &Layout<'_>,
    number: u32,
    section: Option<&str>,
    grid_top: f32,
    warnings: &mut Vec<Diagnostic>,
) -> Page {
    let (config, grid) = (layout.config, &layout.grid);
    let mut setter =
        Setter::new(layout.engine, config, grid, config.lang, std::path::Path::new("issue.yaml"));
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
    let wide = grid.area.width;
    let folio = &styles.folio;
    let (left_style, rule_width) = if number == 1 {
        (&styles.masthead, MASTHEAD_RULE_WIDTH)
    } else {
        (folio, FOLIO_RULE_WIDTH)
    };
    let left = [InlineRun::plain(config.publication.clone())];
    let right = [InlineRun::plain(facts.join(" · "))];
    let (left_style, left_width) =
        fit_on_one_line(layout, &setter, (&left, left_style), (&right, folio), warnings);
    let left_lines = setter.set(&left, &left_style, left_width);
    warnings.extend(setter.take_issue_warnings(Some("publication")));
    let right_lines = setter.set(&right, folio, wide / 2.0);
    warnings.extend(setter.take_issue_warnings(None));
    // The band sits on the page's grid: its rule half a line above the grid's top.
    let rule_y = grid_top - 0.5 * grid.baseline;
    items.push(Item::Rule {
        from: (grid.area.x, rule_y),
        to: (grid.area.right(), rule_y),
        width: rule_width,
        color: styles.rule_color,
    });
    let baseline = rule_y - BASELINE_ABOVE_RULE;
    if let Some(line) = left_lines.first() {
        items.extend(line_items(line, grid.area.x, baseline, left_style.color));
    }
    if let Some(line) = right_lines.first() {
        items.extend(line_items(line, grid.area.right() - line.width, baseline, folio.color));
    }
    if let Some(section) = section {
        let mut style = folio.clone();
        style.emphasis.bold = true;
        let lines = setter.set(&[InlineRun::plain(section)], &style, wide / 3.0);
        warnings.extend(setter.take_issue_warnings(Some("pages.section")));
        if let Some(line) = lines.first() {
            let x = grid.area.x + (wide - line.width) / 2.0;
            items.extend(line_items(line, x, baseline, style.color));
        }
    }
    Page { width: grid.trim.0, height: grid.trim.1, number, items }
}

/// The style and measure of the band's left text (the publication's name): its style and
/// half the type area when it fits there; else the room the right text leaves, a gutter
/// apart, and when even that is too narrow the size that fits it, with a warning. Only one
/// line of the band is printed, so the name must never wrap nor cross the trim.
fn fit_on_one_line(
    layout: &Layout<'_>,
    setter: &Setter<'_>,
    (left, style): (&[InlineRun], &TextStyle),
    (right, right_style): (&[InlineRun], &TextStyle),
    warnings: &mut Vec<Diagnostic>,
) -> (TextStyle, f32) {
    let grid = &layout.grid;
    let half = grid.area.width / 2.0;
    let natural = layout.engine.measure(left, &setter.paragraph_style(style));
    if natural <= half {
        return (style.clone(), half);
    }
    let right_width = layout.engine.measure(right, &setter.paragraph_style(right_style));
    let room = (grid.area.width - right_width - grid.gutter).max(half);
    let mut fitted = style.clone();
    if natural > room {
        // Widths scale with the size; the hundredth taken off absorbs rounding.
        fitted.size = style.size * room / natural * 0.99;
        warnings.push(
            Diagnostic::warning(
                "long-title",
                format!(
                    "the publication's name is set at {:.1} pt instead of {:.1} pt to fit \
                     on its line",
                    fitted.size, style.size
                ),
            )
            .in_file(crate::load::ISSUE_FILE)
            .field("publication")
            .hint("shorten the name or make the masthead style smaller"),
        );
    }
    (fitted, room)
}

/// Puts `blocks` side by side across the foot of the page when they fit below `used` (the
/// lowest point of what is already there). Returns whether it did.
pub(super) fn place_band(page: &mut Page, blocks: &[BlockPiece], grid: &Grid, used: f32) -> bool {
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
