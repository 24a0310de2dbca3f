//! An article's QR code made ready for the page: its URL validated (or built from the
//! publication's pattern), tracking added, encoded, and read back after a simulated print.

use std::path::Path;
use std::sync::Arc;

use super::{QrReport, QrSymbol};
use crate::diag::Diagnostic;
use crate::geom::to_mm;
use crate::model::{Article, IssueConfig, QrPlacement};

/// An article's QR code, verified and ready to draw.
#[derive(Debug, Clone)]
pub struct PreparedQr {
    /// The encoded symbol.
    pub symbol: Arc<QrSymbol>,
    /// The URL it encodes (normalised, with any tracking parameters).
    pub url: String,
    /// The URL printed for readers (normalised, without tracking parameters).
    pub address: String,
    /// The short form printed instead when `address` takes too many lines: the article's
    /// `short_url`, or the issue's `qr.short_url` pattern filled in.
    pub short_address: Option<String>,
    /// The symbol as printed, for the report.
    pub report: QrReport,
}

/// The article's QR code, or `None` when it has none (no URL and no pattern, or QR codes
/// off). An invalid URL, a payload too long to encode, or a symbol that does not read back
/// after a simulated newsprint print is an error located at the article's `url` line.
/// `verdicts` is the build cache's folder of self-checks ([`super::verdicts`]), if any.
pub fn prepare(
    article: &Article,
    config: &IssueConfig,
    verdicts: Option<&Path>,
) -> Result<Option<PreparedQr>, Diagnostic> {
    if config.qr.placement == QrPlacement::Off {
        return Ok(None);
    }
    let located = |d: Diagnostic| {
        let d = d.field("url");
        match article.url_line {
            Some(line) => d.at_source_line(&article.path, line),
            None => d.in_file(&article.path),
        }
    };
    let url = match (&article.url, &config.qr.url_pattern, &config.website) {
        (Some(raw), _, _) => super::normalize_url(raw),
        (None, Some(pattern), Some(site)) => {
            let stem = article
                .path
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
            super::url_from_pattern(pattern, site, super::article_id(&stem))
        }
        _ => return Ok(None),
    };
    let url = url.map_err(|problem| {
        let mut d = located(Diagnostic::error("invalid-url", problem.message));
        if let Some(suggestion) = problem.suggestion {
            d = d.hint(format!("did you mean {suggestion}?"));
        }
        d
    })?;
    let address = url.clone();
    let stem = article.path.file_stem().map(|s| s.to_string_lossy().into_owned());
    let short = match (&article.short_url, &config.qr.short_url, &config.website) {
        (Some(raw), _, _) => Some((super::normalize_url(raw), article.short_url_line)),
        (None, Some(pattern), Some(site)) => {
            let id = super::article_id(stem.as_deref().unwrap_or_default());
            Some((super::url_from_pattern(pattern, site, id), None))
        }
        _ => None,
    };
    let short_address = match short {
        None => None,
        Some((Ok(short), _)) => Some(short),
        Some((Err(problem), line)) => {
            let mut d = Diagnostic::error("invalid-url", problem.message).field("short_url");
            d = match line {
                Some(line) => d.at_source_line(&article.path, line),
                None => d.in_file(&article.path),
            };
            if let Some(suggestion) = problem.suggestion {
                d = d.hint(format!("did you mean {suggestion}?"));
            }
            return Err(d);
        }
    };
    let url = super::with_tracking(&url, &config.qr.tracking);
    let module_mm = to_mm(config.qr.module);
    let symbol = super::verdicts::checked_symbol(&url, config.qr.ec_level, module_mm, verdicts)
        .map_err(located)?;
    let report = QrReport::new(&symbol, module_mm);
    Ok(Some(PreparedQr { symbol: Arc::new(symbol), url, address, short_address, report }))
}

/// Decodes `symbol` after a simulated coldset print at `module_mm` and checks that it reads
/// back as `expected`, exactly.
pub fn self_check(symbol: &QrSymbol, module_mm: f32, expected: &str) -> Result<(), Diagnostic> {
    let decoded = super::verify(symbol, module_mm, super::DEFAULT_DPI, super::NEWSPRINT_SPREAD_MM)
        .map_err(|e| {
            Diagnostic::error(
                "qr-unreadable",
                format!("the QR code does not scan after a simulated newsprint print: {e}"),
            )
        })?;
    if decoded == expected {
        Ok(())
    } else {
        Err(Diagnostic::error(
            "qr-unreadable",
            format!("the QR code decodes to {decoded:?} instead of {expected:?}"),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_good_symbol_passes_and_a_wrong_payload_fails() {
        let symbol =
            super::super::encode("https://liberte-actus.fr/1719", crate::model::EcLevel::Q)
                .expect("encodes");
        assert!(self_check(&symbol, 0.5, "https://liberte-actus.fr/1719").is_ok());
        let err = self_check(&symbol, 0.5, "https://liberte-actus.fr/1720").unwrap_err();
        assert_eq!(err.kind, "qr-unreadable");
    }
}
