//! The QR block: the symbol on the right with its quiet zone, the caption and the printed
//! address on the left, so a reader without a phone can still type the address.
//!
//! The layout follows the symbol actually encoded: a long URL needs a larger version, and
//! when the symbol leaves too narrow a column beside it the text goes under it instead. The
//! text never enters the symbol's quiet zone. A symbol wider than the block at the issue's
//! module size is printed with smaller modules, down to the minimum ([`MIN_MODULE_MM`]),
//! checked again after a simulated print and warned about; past that it is an error.

use unicode_segmentation::UnicodeSegmentation;

use super::Setter;
use crate::compose::display::Item;
use crate::compose::flow::BlockPiece;
use crate::compose::labels;
use crate::diag::Diagnostic;
use crate::geom::{mm, to_mm};
use crate::model::{Align, Emphasis, InlineRun, TextStyle};
use crate::qr::{MIN_MODULE_MM, PreparedQr, QUIET_ZONE, self_check};
use crate::text::{Line, ParagraphStyle};

/// Narrowest share of the block the text may have beside the symbol: under about a third,
/// the address breaks after nearly every character, so the text goes under the symbol.
const MIN_TEXT_SHARE: f32 = 0.3;

/// Space between the caption and the address label, points.
const CAPTION_GAP: f32 = 2.0;

/// The QR block for `qr`, `width` wide. `url_line` locates findings at the article's `url`.
/// A symbol that is wider, with its quiet zone, than the block even at the minimum module
/// size is an error.
pub(super) fn qr_block(
    setter: &mut Setter<'_>,
    qr: &PreparedQr,
    width: f32,
    url_line: Option<usize>,
) -> Result<BlockPiece, Diagnostic> {
    let styles = setter.config.styles.clone();
    let module = module_that_fits(setter, qr, width, url_line)?;
    let symbol_side = qr.symbol.width as f32 * module;
    let quiet = QUIET_ZONE as f32 * module;
    let outer = symbol_side + 2.0 * quiet;
    // Beside the symbol, the text stops at the quiet zone's left edge; under it, the text
    // starts at the quiet zone's foot and takes the whole width.
    let beside = width - outer >= width * MIN_TEXT_SHARE;
    let (text_width, mut y) = if beside { (width - outer, quiet) } else { (width, outer) };
    let mut items =
        vec![Item::Qr { x: width - outer + quiet, y: quiet, module, symbol: qr.symbol.clone() }];
    let publication = setter.config.publication.clone();
    let caption = setter.labels.qr_caption.clone();
    let address_label = labels::fill(&setter.labels.qr_address, &[("publication", &publication)]);
    let mut style = styles.qr.clone();
    let lines = setter.set_text(&caption, &style, text_width);
    items.extend(setter.stack(&lines, &style, 0.0, &mut y));
    y += CAPTION_GAP;
    let lines = setter.set_text(&address_label, &style, text_width);
    items.extend(setter.stack(&lines, &style, 0.0, &mut y));
    style.emphasis.bold = true;
    let max_lines = setter.config.qr.address_lines;
    let mut lines = address_lines(setter, &qr.address, &style, text_width);
    if lines.len() > max_lines {
        match &qr.short_address {
            Some(short) => lines = address_lines(setter, short, &style, text_width),
            None => {
                let warning = Diagnostic::warning(
                    "long-address",
                    format!(
                        "the printed address under the QR code takes {} lines (more than {max_lines})",
                        lines.len()
                    ),
                )
                .field("url")
                .hint("give the article a `short_url:`, or the issue a `qr.short_url` pattern such as `{website}/{id}`");
                let warning = setter.locate(warning, url_line);
                setter.warnings.push(warning);
            }
        }
    }
    items.extend(setter.stack(&lines, &style, 0.0, &mut y));
    Ok(BlockPiece {
        height: y.max(outer),
        items,
        space_before: setter.grid.baseline,
        floats: false,
    })
}

/// The module size the symbol is printed at: the issue's, or when the symbol and its quiet
/// zone are wider than the block at that size, the largest hundredth of a millimetre that
/// fits, not under the minimum, read back after a simulated print and warned about. An
/// error when even the minimum does not fit or the smaller symbol does not read.
fn module_that_fits(
    setter: &mut Setter<'_>,
    qr: &PreparedQr,
    width: f32,
    url_line: Option<usize>,
) -> Result<f32, Diagnostic> {
    let configured = setter.config.qr.module;
    let modules = (qr.symbol.width + 2 * QUIET_ZONE) as f32;
    if modules * configured <= width {
        return Ok(configured);
    }
    let fit_mm = (to_mm(width / modules) * 100.0).floor() / 100.0;
    if fit_mm < MIN_MODULE_MM {
        let minimum = mm(MIN_MODULE_MM);
        return Err(setter.locate(too_large(qr, minimum, modules * minimum, width), url_line));
    }
    if let Err(unreadable) = self_check(&qr.symbol, fit_mm, &qr.url) {
        let mut error = too_large(qr, mm(fit_mm), modules * mm(fit_mm), width);
        error.message = format!(
            "the {}-character URL needs a version {} QR code, wider than the {:.1} mm it has \
             at {:.2} mm modules; at {fit_mm:.2} mm, the largest that fit, {}",
            qr.url.len(),
            qr.symbol.version,
            to_mm(width),
            to_mm(configured),
            unreadable.message.trim_start_matches("the QR code "),
        );
        return Err(setter.locate(error, url_line));
    }
    let warning = Diagnostic::warning(
        "qr-module",
        format!(
            "the {}-character URL needs a version {} QR code: printed with {fit_mm:.2} mm modules \
             instead of {:.2} mm to fit its {:.1} mm column",
            qr.url.len(),
            qr.symbol.version,
            to_mm(configured),
            to_mm(width),
        ),
    )
    .field("url")
    .hint("smaller modules scan less surely on newsprint: encode a short form of the address");
    let warning = setter.locate(warning, url_line);
    setter.warnings.push(warning);
    Ok(mm(fit_mm))
}

/// The error for a symbol too wide for its block, with what would make it fit.
fn too_large(qr: &PreparedQr, module: f32, outer: f32, width: f32) -> Diagnostic {
    Diagnostic::error(
        "qr-too-large",
        format!(
            "the {}-character URL needs a version {} QR code ({} modules): {:.1} mm with its quiet zone even at the minimum {:.2} mm modules, wider than the {:.1} mm it has",
            qr.url.len(),
            qr.symbol.version,
            qr.symbol.width,
            to_mm(outer),
            to_mm(module),
            to_mm(width),
        ),
    )
    .field("url")
    .hint("encode a short form of the address (the site's short link, such as https://site/1719) in `url:`, or lower `qr.ec`")
}

/// The printed address in its display form ([`crate::qr::display_address`]), broken as
/// print breaks long addresses: at the longest run that fits and ends after `/` or before
/// `.` `-` `_` `?` `#` `&` `=`; a segment longer than the measure is broken between
/// characters. No hyphen is added: a reader would take it for part of the address.
fn address_lines(setter: &mut Setter<'_>, url: &str, style: &TextStyle, width: f32) -> Vec<Line> {
    let (address, breaks) = crate::qr::display_address(url);
    let mut paragraph = setter.paragraph_style(style);
    paragraph.align = Align::Left;
    paragraph.hyphenate = false;
    let pieces = break_address(setter, &address, &breaks, &paragraph, width);
    // Each piece is set on its own line at an unbounded measure: it never breaks again.
    pieces
        .into_iter()
        .flat_map(|piece| {
            setter.set_with(&segment(piece), &paragraph, f32::MAX).into_iter().take(1)
        })
        .collect()
}

fn segment(text: &str) -> [InlineRun; 1] {
    [InlineRun { text: text.to_string(), emphasis: Emphasis::default(), verbatim: true }]
}

/// Cuts `address` into lines no wider than `width` (but for a single character wider than
/// it), greedily, at the allowed `breaks` and else between characters.
fn break_address<'t>(
    setter: &Setter<'_>,
    address: &'t str,
    breaks: &[usize],
    paragraph: &ParagraphStyle,
    width: f32,
) -> Vec<&'t str> {
    let fits = |text: &str| setter.engine.measure(&segment(text), paragraph) <= width;
    let mut pieces = Vec::new();
    let mut start = 0;
    while start < address.len() {
        let rest = &address[start..];
        let end = if fits(rest) {
            address.len()
        } else {
            let at_break = breaks
                .iter()
                .copied()
                .filter(|&b| b > start)
                .take_while(|&b| fits(&address[start..b]))
                .last();
            at_break.unwrap_or_else(|| {
                // No allowed break leaves a line that fits: cut inside the segment, after
                // the last character that fits (at least one).
                let mut ends = rest.grapheme_indices(true).map(|(i, g)| start + i + g.len());
                let mut end = ends.next().unwrap_or(address.len());
                for next in ends {
                    if !fits(&address[start..next]) {
                        break;
                    }
                    end = next;
                }
                end
            })
        };
        pieces.push(&address[start..end]);
        start = end;
    }
    pieces
}
#[cfg(test)]
mod tests {
    use super::*;
    use crate::compose::Grid;
    use crate::compose::tests::engine;
    use crate::load::default_config;
    use crate::model::{EcLevel, Lang};
    use std::sync::Arc;

    fn line_text(line: &Line) -> String {
        line.runs.iter().map(|r| r.text.as_str()).collect()
    }

    /// Real-shaped article URLs: slugs with hyphens and underscores, percent-encoded accents,
    /// a query string, from 60 to 200 characters.
    pub(crate) const LONG_URLS: &[&str] = &[
        "https://globalvoices.org/2020/01/15/access-to-wikipedia-restored-in-turkey-after-more-than-two-and-a-half-years/",
        "https://fr.wikinews.org/wiki/France_:_faut-il_croire_en_la_suite_d%27Envoy%C3%A9_sp%C3%A9cial_%3F",
        "https://netzpolitik.org/2024/ueberwachung-bundesregierung-plant-vorratsdatenspeicherung-durch-die-hintertuer/",
        "https://www.liberte-actus.fr/region/2025/09/12/la-f%C3%AAte-de-la-bi%C3%A8re-d%C3%A9marre-%C3%A0-strasbourg?utm_campaign=rentree&ref=une",
        "https://de.wikipedia.org/wiki/Donaudampfschifffahrtselektrizit%C3%A4tenhauptbetriebswerkbauunterbeamtengesellschaft",
        "https://www.liberte-actus.fr/politique/municipales-2026/les-candidats-de-la-gauche-unie-presentent-leur-programme-commun-pour-la-metropole-lyonnaise-et-ses-cinquante-neuf-communes-article-1719.html",
    ];

    #[test]
    fn printed_address_breaks_where_print_breaks_addresses() {
        let config = default_config();
        let engine = engine(&config);
        let grid = Grid::new(&config);
        let mut setter =
            Setter::new(&engine, &config, &grid, Lang::Fr, std::path::Path::new("a.md"));
        let mut paragraph = setter.paragraph_style(&config.styles.qr);
        paragraph.align = Align::Left;
        for url in LONG_URLS {
            assert!((60..=200).contains(&url.len()), "{}", url.len());
            for width in [40.0, 60.0, 120.0] {
                let lines = address_lines(&mut setter, url, &config.styles.qr, width);
                let texts: Vec<String> = lines.iter().map(line_text).collect();
                let (display, breaks) = crate::qr::display_address(url);
                assert_eq!(texts.concat(), display, "nothing added, nothing lost");
                let mut at = 0;
                for (line, text) in lines.iter().zip(&texts) {
                    at += text.len();
                    let measured = engine.measure(&segment(text), &paragraph);
                    let one_char = text.graphemes(true).count() == 1;
                    assert!(measured <= width + 0.01 || one_char, "{text:?} {measured} > {width}");
                    assert!(line.width <= width + 0.01 || one_char);
                    // A cut inside a segment only where no allowed break fits.
                    if at < display.len() && !breaks.contains(&at) {
                        let next_break = breaks.iter().find(|&&b| b > at - text.len());
                        assert!(
                            next_break.is_none_or(|&b| b > at),
                            "{text:?} cut inside a segment although a break fitted"
                        );
                    }
                }
            }
        }
        let short =
            address_lines(&mut setter, "https://liberte-actus.fr/1719", &config.styles.qr, 200.0);
        assert_eq!(short.iter().map(line_text).collect::<Vec<_>>(), ["liberte-actus.fr/1719"]);
        // The accents are printed as readers expect them, the QR code keeps the escapes.
        let lines = address_lines(&mut setter, LONG_URLS[1], &config.styles.qr, 400.0);
        let printed: String = lines.iter().map(line_text).collect();
        assert!(printed.contains("d'Envoyé_spécial_%3F"), "{printed}");
        assert!(!printed.starts_with("https"), "{printed}");
    }

    fn prepared(url: &str, short: Option<&str>) -> PreparedQr {
        let symbol = crate::qr::encode(url, EcLevel::Q).expect("encodes");
        let report = crate::qr::QrReport::new(&symbol, 0.6);
        PreparedQr {
            symbol: Arc::new(symbol),
            url: url.to_string(),
            address: url.to_string(),
            short_address: short.map(str::to_string),
            report,
        }
    }

    /// Every text item of the block lies left of the symbol's quiet zone or under it.
    fn assert_text_clear_of_symbol(block: &BlockPiece, module: f32) {
        let (qx, qy, side) = block
            .items
            .iter()
            .find_map(|item| match item {
                Item::Qr { x, y, symbol, .. } => Some((*x, *y, symbol.width as f32 * module)),
                _ => None,
            })
            .expect("a symbol");
        let quiet = QUIET_ZONE as f32 * module;
        for item in &block.items {
            if let Item::Text { x, y, run, .. } = item {
                let right = x + run.x + run.glyphs.last().map_or(0.0, |g| g.x + g.advance);
                // Capitals and ascenders reach about 0.8 em above the baseline.
                let top = y - 0.8 * run.size;
                let clear = right <= qx - quiet + 0.01 || top >= qy + side + quiet - 0.01;
                assert!(clear, "{:?} at {x},{y} runs into the symbol's quiet zone", run.text);
            }
        }
    }

    #[test]
    fn the_block_follows_the_symbol_and_keeps_text_off_it() {
        let config = default_config();
        let engine = engine(&config);
        let grid = Grid::new(&config);
        let mut setter =
            Setter::new(&engine, &config, &grid, Lang::Fr, std::path::Path::new("a.md"));
        let short = qr_block(
            &mut setter,
            &prepared("https://liberte-actus.fr/1719", None),
            grid.column_width,
            None,
        )
        .expect("fits");
        assert_text_clear_of_symbol(&short, config.qr.module);
        for url in LONG_URLS {
            let block =
                qr_block(&mut setter, &prepared(url, None), grid.column_width, None).expect("fits");
            assert_text_clear_of_symbol(&block, config.qr.module);
            assert!(block.height >= short.height, "a larger symbol, a taller block");
        }
        // A symbol wider than its block is an error naming the URL's length.
        let err = qr_block(&mut setter, &prepared(LONG_URLS[5], None), 60.0, Some(3)).unwrap_err();
        assert_eq!(err.kind, "qr-too-large");
        assert!(
            err.message.contains(&format!("{}-character", LONG_URLS[5].len())),
            "{}",
            err.message
        );
    }

    #[test]
    fn an_address_too_long_to_print_gives_way_to_its_short_form() {
        let config = default_config();
        let engine = engine(&config);
        let grid = Grid::new(&config);
        let mut setter =
            Setter::new(&engine, &config, &grid, Lang::Fr, std::path::Path::new("a.md"));
        let url = LONG_URLS[5];
        let block = qr_block(&mut setter, &prepared(url, None), grid.column_width, None).unwrap();
        assert!(setter.warnings.iter().any(|w| w.kind == "long-address"), "{:?}", setter.warnings);
        let texts = |block: &BlockPiece| -> String {
            block
                .items
                .iter()
                .filter_map(|i| match i {
                    Item::Text { run, .. } => Some(run.text.clone()),
                    _ => None,
                })
                .collect()
        };
        assert!(texts(&block).contains("article-1719.html"));
        setter.warnings.clear();
        let short = "https://liberte-actus.fr/1719";
        let block =
            qr_block(&mut setter, &prepared(url, Some(short)), grid.column_width, None).unwrap();
        assert!(setter.warnings.is_empty(), "{:?}", setter.warnings);
        assert!(texts(&block).contains("liberte-actus.fr/1719"));
        assert!(!texts(&block).contains("article-1719.html"));
        // The symbol still encodes the full URL.
        assert!(
            block
                .items
                .iter()
                .any(|i| matches!(i, Item::Qr { symbol, .. } if symbol.payload == url))
        );
    }
}
