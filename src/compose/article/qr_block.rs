//! The QR block: the symbol on the right with its quiet zone, the caption and the printed
//! address on the left, so a reader without a phone can still type the address.

use super::Setter;
use crate::compose::display::Item;
use crate::compose::flow::BlockPiece;
use crate::compose::labels;
use crate::model::{Align, Emphasis, InlineRun, TextStyle};
use crate::qr::{PreparedQr, QUIET_ZONE};
use crate::text::Line;

/// Narrowest share of the block the text may be squeezed into when the symbol is wide: under
/// about a third, the address breaks after nearly every segment.
const MIN_TEXT_SHARE: f32 = 0.3;

/// Space between the caption and the address label, points.
const CAPTION_GAP: f32 = 2.0;

/// The QR block for `qr`, `width` wide.
pub(super) fn qr_block(setter: &mut Setter<'_>, qr: &PreparedQr, width: f32) -> BlockPiece {
    let styles = setter.config.styles.clone();
    let module = setter.config.qr.module;
    let symbol_side = qr.symbol.width as f32 * module;
    let quiet = QUIET_ZONE as f32 * module;
    let outer = symbol_side + 2.0 * quiet;
    let text_width = (width - outer).max(width * MIN_TEXT_SHARE);
    let mut items =
        vec![Item::Qr { x: width - outer + quiet, y: quiet, module, symbol: qr.symbol.clone() }];
    let publication = setter.config.publication.clone();
    let caption = setter.labels.qr_caption.clone();
    let address_label = labels::fill(&setter.labels.qr_address, &[("publication", &publication)]);
    let mut y = quiet;
    let mut style = styles.qr.clone();
    let lines = setter.set_text(&caption, &style, text_width);
    items.extend(setter.stack(&lines, &style, 0.0, &mut y));
    y += CAPTION_GAP;
    let lines = setter.set_text(&address_label, &style, text_width);
    items.extend(setter.stack(&lines, &style, 0.0, &mut y));
    style.emphasis.bold = true;
    let lines = address_lines(setter, &qr.address, &style, text_width);
    items.extend(setter.stack(&lines, &style, 0.0, &mut y));
    BlockPiece { height: y.max(outer), items, space_before: setter.grid.baseline }
}

/// The printed address (scheme dropped), broken only after `/` or `.` so that no reader
/// takes a line-end hyphen for part of the address.
fn address_lines(setter: &mut Setter<'_>, url: &str, style: &TextStyle, width: f32) -> Vec<Line> {
    let (address, breaks) = crate::qr::display_address(url);
    let mut paragraph = setter.paragraph_style(style);
    paragraph.align = Align::Left;
    paragraph.hyphenate = false;
    let segment = |text: &str| {
        [InlineRun { text: text.to_string(), emphasis: Emphasis::default(), verbatim: true }]
    };
    let fits = |setter: &Setter<'_>, text: &str| {
        setter.engine.measure(&segment(text), &paragraph) <= width
    };
    let mut lines = Vec::new();
    let mut start = 0;
    while start < address.len() {
        // The longest run of whole segments that fits; at least one segment per line.
        let mut end = address.len();
        if !fits(setter, &address[start..]) {
            let candidates: Vec<usize> = breaks.iter().copied().filter(|&b| b > start).collect();
            end = candidates
                .iter()
                .copied()
                .take_while(|&b| fits(setter, &address[start..b]))
                .last()
                .or_else(|| candidates.first().copied())
                .unwrap_or(address.len());
        }
        // Each segment is set on its own line at an unbounded measure: it never breaks.
        lines.extend(
            setter
                .set_with(&segment(&address[start..end]), &paragraph, f32::MAX)
                .into_iter()
                .take(1),
        );
        start = end;
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compose::Grid;
    use crate::compose::tests::engine;
    use crate::load::default_config;
    use crate::model::Lang;

    fn line_text(line: &Line) -> String {
        line.runs.iter().map(|r| r.text.as_str()).collect()
    }

    #[test]
    fn printed_address_breaks_only_after_slash_or_dot() {
        let config = default_config();
        let engine = engine(&config);
        let grid = Grid::new(&config);
        let mut setter =
            Setter::new(&engine, &config, &grid, Lang::Fr, std::path::Path::new("a.md"));
        let url =
            "https://www.liberte-actus.fr/international/asie-centrale/2025/09/kazakhstan-brics";
        let lines = address_lines(&mut setter, url, &config.styles.qr, 60.0);
        assert!(lines.len() > 2, "a long address wraps in a narrow block");
        let texts: Vec<String> = lines.iter().map(line_text).collect();
        assert_eq!(texts.concat(), &url["https://".len()..]);
        for text in &texts[..texts.len() - 1] {
            assert!(text.ends_with('/') || text.ends_with('.'), "{texts:?}");
        }
        let short =
            address_lines(&mut setter, "https://liberte-actus.fr/1719", &config.styles.qr, 200.0);
        assert_eq!(short.iter().map(line_text).collect::<Vec<_>>(), ["liberte-actus.fr/1719"]);
    }
}
