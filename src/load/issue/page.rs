//! The page: trim size (a named format or millimetres), margins and the column grid, checked
//! for a type area that can hold justified text.

use std::ops::RangeInclusive;

use super::Resolver;
use super::schema::{RawIssue, RawMargins, RawPage};
use crate::diag::{Diagnostic, closest};
use crate::geom::{mm, to_mm};
use crate::model::PageSpec;

/// Named page formats, trim size in millimetres.
pub const PAGE_FORMATS: &[(&str, f32, f32)] = &[
    ("a5", 148.0, 210.0),
    ("a4", 210.0, 297.0),
    ("a3", 297.0, 420.0),
    ("tabloid", 280.0, 430.0),
    ("compact", 280.0, 430.0),
    ("berliner", 315.0, 470.0),
    ("rhenish", 350.0, 520.0),
    ("nordic", 400.0, 570.0),
];

/// The formats of sheet-fed work (magazines, flyers), printed on sheets that are trimmed
/// after printing: their pages get crop marks by default. Newspaper formats (tabloid,
/// berliner and the broadsheets rhenish and nordic), sizes in millimetres and the default
/// page get none: a newspaper delivers trimmed pages to a plate workflow that imposes them.
const SHEET_FORMATS: &[&str] = &["a5", "a4", "a3"];

/// Whether `issue.yaml` names a sheet-fed format (see [`SHEET_FORMATS`]).
pub(super) fn is_sheet_format(raw: &RawIssue) -> bool {
    matches!(
        raw.page.as_ref().map(|at| &at.value),
        Some(RawPage::Named(name)) if SHEET_FORMATS.contains(&name.trim().to_lowercase().as_str())
    )
}

/// Page sides in millimetres: a value outside is a unit mistake (inches, points, metres), not
/// a newspaper.
const PAGE_SIDE_MM: RangeInclusive<f32> = 50.0..=2000.0;

/// Margins in millimetres; beyond 200 mm nothing of the largest format would be left.
const MARGIN_MM: RangeInclusive<f32> = 0.0..=200.0;

/// Columns on a page (also the widest a photo may span); broadsheets use up to eight or nine.
pub(in crate::load) const COLUMNS: RangeInclusive<u32> = 1..=20;

/// The space between columns in millimetres.
const GUTTER_MM: RangeInclusive<f32> = 0.0..=50.0;

/// The baseline grid in points: from agate type to display size.
const BASELINE_PT: RangeInclusive<f32> = 4.0..=72.0;

/// Under 20 mm a column holds two or three words: nothing can be justified.
const MIN_COLUMN_MM: f32 = 20.0;

/// Under 50 mm of type area height not even a headline and a paragraph fit.
const MIN_TYPE_AREA_HEIGHT_MM: f32 = 50.0;

impl Resolver<'_> {
    /// Page size, margins, columns, gutter and baseline, then the grid they leave.
    pub(super) fn page(&mut self, raw: &RawIssue, page: &mut PageSpec) {
        if let Some(at) = &raw.page {
            let size = match &at.value {
                RawPage::Size(s) => Some((s.width, s.height)),
                RawPage::Named(name) => {
                    let lower = name.trim().to_lowercase();
                    let named =
                        PAGE_FORMATS.iter().find(|(n, ..)| *n == lower).map(|(_, w, h)| (*w, *h));
                    // Also accept `280x430`.
                    let typed = lower
                        .split_once('x')
                        .and_then(|(w, h)| Some((w.trim().parse().ok()?, h.trim().parse().ok()?)));
                    let found = named.or(typed);
                    if found.is_none() {
                        let names = PAGE_FORMATS.iter().map(|(n, ..)| *n);
                        let hint = match closest(&lower, names) {
                            Some(close) => format!("did you mean `{close}`?"),
                            None => {
                                "use a4, a3, tabloid, berliner, ... or { width: mm, height: mm }"
                                    .into()
                            }
                        };
                        let d = self.error(
                            "invalid-value",
                            format!("unknown page format `{name}`"),
                            "page",
                            at,
                        );
                        d.hint = Some(hint);
                    }
                    found
                }
            };
            if let Some((w, h)) = size {
                if PAGE_SIDE_MM.contains(&w) && PAGE_SIDE_MM.contains(&h) {
                    page.width = mm(w);
                    page.height = mm(h);
                } else {
                    self.error(
                        "invalid-value",
                        format!("page size {w}x{h} mm is not a newspaper page"),
                        "page",
                        at,
                    );
                }
            }
        }
        if let Some(at) = &raw.margins {
            let check = |v: f32| MARGIN_MM.contains(&v);
            match &at.value {
                RawMargins::All(v) if check(*v) => {
                    page.margin_top = mm(*v);
                    page.margin_bottom = mm(*v);
                    page.margin_inner = mm(*v);
                    page.margin_outer = mm(*v);
                }
                RawMargins::Sides(s)
                    if [s.top, s.bottom, s.inner, s.outer].iter().flatten().all(|v| check(*v)) =>
                {
                    for (value, slot) in [
                        (s.top, &mut page.margin_top),
                        (s.bottom, &mut page.margin_bottom),
                        (s.inner, &mut page.margin_inner),
                        (s.outer, &mut page.margin_outer),
                    ] {
                        if let Some(v) = value {
                            *slot = mm(v);
                        }
                    }
                }
                _ => {
                    self.error(
                        "invalid-value",
                        format!(
                            "margins must be between {} and {} mm",
                            MARGIN_MM.start(),
                            MARGIN_MM.end()
                        ),
                        "margins",
                        at,
                    );
                }
            }
        }
        page.columns = self.number(&raw.columns, "columns", COLUMNS, page.columns);
        if raw.gutter.is_some() {
            let gutter = self.number(&raw.gutter, "gutter", GUTTER_MM, to_mm(page.gutter));
            page.gutter = mm(gutter);
        }
        page.baseline = self.number(&raw.baseline, "baseline", BASELINE_PT, page.baseline);
        self.check_grid(raw, page);
    }

    /// Reports a grid whose columns or type area are too small to set text in, on the line
    /// most likely to blame: the columns, else the margins, else the page size.
    fn check_grid(&mut self, raw: &RawIssue, p: &PageSpec) {
        let measure =
            p.width - p.margin_inner - p.margin_outer - (p.columns as f32 - 1.0) * p.gutter;
        let column = measure / p.columns as f32;
        let height = p.height - p.margin_top - p.margin_bottom;
        let message = if column < mm(MIN_COLUMN_MM) {
            format!(
                "the grid leaves columns of {:.1} mm: too narrow (page, margins, columns and gutter do not fit)",
                to_mm(column)
            )
        } else if height < mm(MIN_TYPE_AREA_HEIGHT_MM) {
            format!(
                "the margins leave a type area {:.1} mm high: too short (page and margins do not fit)",
                to_mm(height)
            )
        } else {
            return;
        };
        let d = match (&raw.columns, &raw.margins, &raw.page) {
            (Some(at), ..) => self.fragment.error("invalid-value", message, "columns", at),
            (None, Some(at), _) => self.fragment.error("invalid-value", message, "margins", at),
            (None, None, Some(at)) => self.fragment.error("invalid-value", message, "page", at),
            _ => Diagnostic::error("invalid-value", message).in_file(&self.fragment.source.path),
        };
        self.errors.push(d);
    }
}
