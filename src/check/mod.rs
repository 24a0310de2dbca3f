//! The `check` stage: findings about what was composed and rendered, the way a print shop's
//! preflight would judge it: each photo's resolution at its printed size, and text set past
//! the type area. It runs after render; the pipeline leaves out an article it fails and
//! makes the pages again. (Each QR symbol is read back after a simulated print earlier, when
//! it is made: [`crate::qr::prepare()`].)

pub mod overlap;
mod typometrics;

pub use typometrics::{Typometrics, measure as typometrics};

use std::path::Path;

use crate::compose::ArticlePlacement;
use crate::compose::display::{Item, Page};
use crate::diag::Diagnostic;
use crate::geom::{effective_ppi, to_mm};
use crate::model::{Article, PhotoSpec};

/// A placed photo, as the report lists it.
#[derive(Debug, Clone, PartialEq)]
pub struct PhotoFinding {
    /// The image file.
    pub path: std::path::PathBuf,
    /// Pixel size of the file.
    pub pixels: (u32, u32),
    /// Printed size of the visible frame, mm (width, height).
    pub frame_mm: (f32, f32),
    /// Effective resolution at the placed size, pixels per inch.
    pub ppi: f32,
}

/// What the check stage found about one article.
#[derive(Debug, Clone, Default)]
pub struct ArticleFindings {
    /// Its photos as placed.
    pub photos: Vec<PhotoFinding>,
    /// Errors and warnings, located in the article file.
    pub diagnostics: Vec<Diagnostic>,
}

/// Checks one placed article on the composed `pages`: the resolution of its photo wherever
/// it is drawn on the article's pages, and whether some of its text ran past the type area.
pub fn findings(
    article: &Article,
    placement: &ArticlePlacement,
    pages: &[Page],
    spec: &PhotoSpec,
) -> ArticleFindings {
    let mut found = ArticleFindings::default();
    if let Some(photo) = &article.photo {
        let drawn = pages
            .iter()
            .filter(|page| placement.pages.contains(&page.number))
            .flat_map(|page| &page.items)
            .filter_map(|item| match item {
                Item::Image { frame, placement, path, pixels, .. } if *path == photo.path => {
                    Some((frame, placement, path, *pixels))
                }
                _ => None,
            });
        for (frame, placed, path, pixels) in drawn {
            if let Some(finding) = photo_crop(path, frame, placed, spec.max_crop) {
                let finding = finding.in_file(&article.path).field("photo.file");
                found.diagnostics.push(match photo.line {
                    Some(line) => finding.at_source_line(&article.path, line),
                    None => finding,
                });
            }
            let ppi = effective_ppi(pixels, placed);
            found.photos.push(PhotoFinding {
                path: path.clone(),
                pixels,
                frame_mm: (to_mm(frame.width), to_mm(frame.height)),
                ppi,
            });
            if let Some(finding) = photo_resolution(path, ppi, spec, photo.accept_low_resolution) {
                let finding = finding.in_file(&article.path).field("photo.file");
                found.diagnostics.push(match photo.line {
                    Some(line) => finding.at_source_line(&article.path, line),
                    None => finding,
                });
            }
        }
    }
    found.diagnostics.extend(placement.fits.iter().filter_map(|fit| copyfit_finding(article, fit)));
    if placement.overset {
        found.diagnostics.push(
            Diagnostic::warning(
                "overset",
                format!(
                    "some text is taller than a column and was set past the type area on page {}",
                    placement.pages.last().copied().unwrap_or(1)
                ),
            )
            .in_file(&article.path),
        );
    }
    found
}

/// A warning when the frame crops more than `max_crop` of the photo's width or height: a
/// portrait photo in a landscape frame loses half its height, a face or a sign cut in two.
/// `frame` is what a reader sees, `placed` where the whole image lands.
fn photo_crop(
    path: &Path,
    frame: &crate::geom::Rect,
    placed: &crate::geom::Rect,
    max_crop: f32,
) -> Option<Diagnostic> {
    let lost = |seen: f32, whole: f32| if whole > 0.0 { 1.0 - seen / whole } else { 0.0 };
    let (width, height) = (lost(frame.width, placed.width), lost(frame.height, placed.height));
    let (share, side) = if height >= width { (height, "height") } else { (width, "width") };
    // A hair over the limit from rounding is not worth a word.
    if share <= max_crop + 0.005 {
        return None;
    }
    let name = path.file_name().map(|n| n.to_string_lossy()).unwrap_or_default();
    let shape = |w: f32, h: f32| if h > w { "portrait" } else { "landscape" };
    Some(
        Diagnostic::warning(
            "photo-crop",
            format!(
                "photo `{name}` loses {:.0} % of its {side} to its frame's crop (a {} photo in a {} frame)",
                share * 100.0,
                shape(placed.width, placed.height),
                shape(frame.width, frame.height),
            ),
        )
        .hint("give it `columns: 1` for a narrower frame, set its `focus` on what must stay, or crop it to the frame's shape"),
    )
}

/// What copyfit could not absorb in a planned frame: the lines over or under and the
/// amount of copy to cut or add, for the copy desk.
fn copyfit_finding(article: &Article, fit: &crate::compose::FrameFit) -> Option<Diagnostic> {
    let lines = fit.after.unsigned_abs();
    let s = if lines == 1 { "" } else { "s" };
    let amount = format!("about {} characters, {} words", fit.chars, fit.words);
    let (kind, message, hint) = match fit.after {
        0 => return None,
        over if over > 0 => (
            "copyfit-overset",
            format!("overset by {lines} line{s} ({amount}) in frame {}", fit.frame),
            "cut the copy, or give the story a deeper frame",
        ),
        _ => (
            "copyfit-underset",
            format!("underset by {lines} line{s} ({amount} to add) in frame {}", fit.frame),
            "add copy, or give the story a shallower frame",
        ),
    };
    Some(Diagnostic::warning(kind, message).in_file(&article.path).hint(hint))
}

/// The overlaps among `overlaps` that `placement`'s article drew, as errors located in
/// its file: text over a photo or other text, anything in a QR code's quiet zone, text past
/// the trim.
pub fn overlap_findings(
    article: &Article,
    placement: &ArticlePlacement,
    overlaps: &[overlap::Overlap],
) -> Vec<Diagnostic> {
    overlaps
        .iter()
        .filter(|o| drew(placement, o))
        .map(|o| {
            Diagnostic::error("overlap", o.describe()).in_file(&article.path).hint(
                "shorten the text, or break its long words; this page is not produced as it is",
            )
        })
        .collect()
}

/// The overlaps no article drew: the page furniture's (masthead, folios, boilerplate).
pub fn furniture_overlaps<'o>(
    placements: &[&ArticlePlacement],
    overlaps: &'o [overlap::Overlap],
) -> impl Iterator<Item = Diagnostic> + 'o {
    let owned: Vec<(u32, std::ops::Range<usize>)> =
        placements.iter().flat_map(|p| p.drawn.iter().cloned()).collect();
    overlaps
        .iter()
        .filter(move |o| {
            !owned.iter().any(|(page, items)| *page == o.page && items.contains(&o.item))
        })
        .map(|o| Diagnostic::error("overlap", o.describe()))
}

/// Whether `placement`'s article drew the item of `overlap`.
fn drew(placement: &ArticlePlacement, overlap: &overlap::Overlap) -> bool {
    placement
        .drawn
        .iter()
        .any(|(page, items)| *page == overlap.page && items.contains(&overlap.item))
}

/// The finding for a photo printed at `ppi`: an error below the floor (unless the editor
/// accepted the photo), a warning below the print target, nothing otherwise. The caller
/// locates it in the article.
pub fn photo_resolution(
    file: &Path,
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

#[cfg(test)]
mod tests {
    use super::*;

    fn spec() -> PhotoSpec {
        PhotoSpec {
            warn_ppi: 200.0,
            min_ppi: 100.0,
            max_pixels: 100_000_000,
            columns: 2,
            max_crop: 0.2,
        }
    }

    #[test]
    fn resolution_thresholds() {
        let file = std::path::Path::new("p.jpg");
        assert!(photo_resolution(file, 250.0, &spec(), false).is_none());
        assert!(!photo_resolution(file, 150.0, &spec(), false).unwrap().is_error());
        assert!(photo_resolution(file, 80.0, &spec(), false).unwrap().is_error());
        assert!(!photo_resolution(file, 80.0, &spec(), true).unwrap().is_error());
    }
}
