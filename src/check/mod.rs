//! The `check` stage: findings about what was composed, the way a print shop's preflight
//! and a reader's phone would judge it: photo resolution at the printed size, and every QR
//! symbol decoded after a simulated newsprint print.

use crate::diag::Diagnostic;
use crate::geom::Rect;
use crate::load::model::PhotoSpec;
use crate::qr::{self, QrSymbol};

/// Effective resolution of an image of `pixels` drawn at `placement`, in pixels per inch
/// (the lower of the two axes).
pub fn effective_ppi(pixels: (u32, u32), placement: &Rect) -> f32 {
    if placement.width <= 0.0 || placement.height <= 0.0 {
        return 0.0;
    }
    let inches = |points: f32| points / 72.0;
    (pixels.0 as f32 / inches(placement.width)).min(pixels.1 as f32 / inches(placement.height))
}

/// The finding for a photo printed at `ppi`: an error below the floor (unless the editor
/// accepted the photo), a warning below the print target, nothing otherwise. The caller
/// locates it in the article.
pub fn photo_resolution(
    file: &std::path::Path,
    ppi: f32,
    spec: &PhotoSpec,
    accepted: bool,
) -> Option<Diagnostic> {
    if ppi < spec.min_ppi && !accepted {
        Some(
            Diagnostic::error(
                "low-resolution",
                format!(
                    "photo {} is {ppi:.0} ppi at its printed size, below the {:.0} ppi floor",
                    file.display(),
                    spec.min_ppi
                ),
            )
            .hint("use a larger image, or set `accept_low_resolution: true` under `photo`"),
        )
    } else if ppi < spec.warn_ppi {
        Some(Diagnostic::warning(
            "low-resolution",
            format!(
                "photo {} is {ppi:.0} ppi at its printed size (print wants {:.0})",
                file.display(),
                spec.warn_ppi
            ),
        ))
    } else {
        None
    }
}

/// Decodes `symbol` after a simulated coldset print at `module_mm` and checks that it reads
/// back as `expected`, exactly.
pub fn qr_self_check(symbol: &QrSymbol, module_mm: f32, expected: &str) -> Result<(), Diagnostic> {
    let decoded =
        qr::verify(symbol, module_mm, qr::DEFAULT_DPI, qr::NEWSPRINT_SPREAD_MM).map_err(|e| {
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

    fn spec() -> PhotoSpec {
        PhotoSpec { warn_ppi: 200.0, min_ppi: 100.0, max_pixels: 100_000_000, columns: 2 }
    }

    #[test]
    fn ppi_uses_the_weaker_axis() {
        // 1000 x 500 px over 5 x 2 inches: 200 and 250 ppi, so 200.
        let placement = Rect::new(0.0, 0.0, 360.0, 144.0);
        assert!((effective_ppi((1000, 500), &placement) - 200.0).abs() < 0.01);
    }

    #[test]
    fn resolution_thresholds() {
        let file = std::path::Path::new("p.jpg");
        assert!(photo_resolution(file, 250.0, &spec(), false).is_none());
        assert!(!photo_resolution(file, 150.0, &spec(), false).unwrap().is_error());
        assert!(photo_resolution(file, 80.0, &spec(), false).unwrap().is_error());
        assert!(!photo_resolution(file, 80.0, &spec(), true).unwrap().is_error());
    }

    #[test]
    fn a_good_symbol_passes_and_a_wrong_payload_fails() {
        let symbol = qr::encode("https://liberte-actus.fr/1719", crate::load::model::EcLevel::Q)
            .expect("encodes");
        assert!(qr_self_check(&symbol, 0.5, "https://liberte-actus.fr/1719").is_ok());
        let err = qr_self_check(&symbol, 0.5, "https://liberte-actus.fr/1720").unwrap_err();
        assert_eq!(err.kind, "qr-unreadable");
    }
}
