//! The JSON report of a build or check (`--report`). Its schema is documented in the README
//! and kept stable: fields are only ever added.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::batch::output::WriteStatus;
use crate::diag::Diagnostic;

/// Schema version of the report.
pub const REPORT_VERSION: u32 = 1;

/// The whole report.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// Schema version.
    pub version: u32,
    /// The input path as given.
    pub input: String,
    /// `build` or `check`.
    pub command: &'static str,
    /// Whether every article was produced (and, with `--strict`, without warnings).
    pub ok: bool,
    /// Problems with the issue itself (issue.yaml, fonts).
    pub issue: Vec<Diagnostic>,
    /// One entry per article, in page order.
    pub articles: Vec<ArticleReport>,
    /// Files written (empty for `check`).
    pub outputs: Vec<OutputReport>,
    /// Files not replaced because they depend on a failed article: their previous
    /// versions, if any, are left as they were.
    pub withheld: Vec<String>,
    /// Files a previous build wrote that this one no longer produces.
    pub stale: Vec<StaleReport>,
    /// Totals.
    pub summary: Summary,
    /// What the automatic make-up chose (`pages: auto` or `--auto`); absent otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub makeup: Option<super::makeup::MakeupReport>,
}

impl Report {
    /// Every finding of the run: the issue's, each article's, each output file's.
    pub fn diagnostics(&self) -> impl Iterator<Item = &Diagnostic> {
        self.issue
            .iter()
            .chain(self.articles.iter().flat_map(|a| a.errors.iter().chain(a.warnings.iter())))
            .chain(self.outputs.iter().flat_map(|o| o.warnings.iter()))
    }
}

/// What happened to one article.
#[derive(Debug, Clone, Serialize)]
pub struct ArticleReport {
    /// The Markdown file.
    pub file: String,
    /// Its title, when it could be read.
    pub title: Option<String>,
    /// `ok` or `failed`.
    pub status: &'static str,
    /// Pages it occupies (issue numbering).
    pub pages: Vec<u32>,
    /// Errors (non-empty when failed).
    pub errors: Vec<Diagnostic>,
    /// Warnings.
    pub warnings: Vec<Diagnostic>,
    /// Whether some text did not fit where it was placed.
    pub overset: bool,
    /// Empty space at the foot of its last page, mm.
    pub underset_mm: f32,
    /// Photos placed, with their effective resolution.
    pub photos: Vec<PhotoReport>,
    /// The QR code, if any.
    pub qr: Option<QrReport>,
    /// The copyfit of each planned frame it went in (empty without a page plan).
    pub copyfit: Vec<CopyfitReport>,
    /// Rivers in its body text: word gaps lined up on three or more consecutive lines
    /// (`check::typometrics`).
    pub rivers: usize,
}

/// The copyfit of a story in one frame of the page plan.
#[derive(Debug, Clone, Serialize)]
pub struct CopyfitReport {
    /// The frame's name (`p3/2`).
    pub frame: String,
    /// Its page.
    pub page: u32,
    /// Lines over (positive) or under (negative) before fitting.
    pub lines_before: i32,
    /// The same after fitting (0: the frame is filled).
    pub lines_after: i32,
    /// The steps of the cascade used, in order.
    pub steps: Vec<CopyfitStep>,
    /// Characters to cut (overset) or add (underset) after fitting.
    pub chars: u32,
    /// Words to cut or add.
    pub words: u32,
}

/// One step of the copyfit cascade, as used.
#[derive(Debug, Clone, Serialize)]
pub struct CopyfitStep {
    /// `looseness`, `tracking`, `photo` or `headline`.
    pub step: &'static str,
    /// What it did.
    pub detail: String,
    /// Lines it gained (positive: the story got shorter).
    pub lines: i32,
}

/// A placed photo.
#[derive(Debug, Clone, Serialize)]
pub struct PhotoReport {
    /// Image file.
    pub file: String,
    /// Pixel size.
    pub pixels: (u32, u32),
    /// Printed size, mm (width, height of the visible frame).
    pub frame_mm: (f32, f32),
    /// Effective resolution at the placed size, pixels per inch.
    pub ppi: f32,
}

/// A QR code as printed.
#[derive(Debug, Clone, Serialize)]
pub struct QrReport {
    /// Encoded URL.
    pub payload: String,
    /// QR version.
    pub version: u8,
    /// Error-correction level.
    pub ec_level: String,
    /// Side of the symbol with its quiet zone, mm.
    pub size_mm: f32,
    /// Module size, mm.
    pub module_mm: f32,
    /// What the self-check decoded after a simulated print.
    pub verified: bool,
}

/// One output file.
#[derive(Debug, Clone, Serialize)]
pub struct OutputReport {
    /// Path written.
    pub path: String,
    /// Pages in it.
    pub pages: usize,
    /// Size in bytes.
    pub bytes: usize,
    /// SHA-256 of its bytes, hex.
    pub sha256: String,
    /// Written or left unchanged.
    pub status: WriteStatus,
    /// Findings of the renderer (a photo's broken colour profile, ...).
    pub warnings: Vec<Diagnostic>,
    /// Every photo placement in the file: page, resolution and how its colour was handled.
    pub images: Vec<ImageReport>,
}

/// An output of a previous build that this build no longer produces.
#[derive(Debug, Clone, Serialize)]
pub struct StaleReport {
    /// Its path.
    pub path: String,
    /// Whether it was removed (`false` with `--keep-stale`, or when removing failed).
    pub removed: bool,
}

/// A photo as it went into an output file.
#[derive(Debug, Clone, Serialize)]
pub struct ImageReport {
    /// Image file.
    pub file: String,
    /// Page number.
    pub page: u32,
    /// Effective resolution, pixels per inch.
    pub ppi: f32,
    /// Whether the JPEG went in byte for byte.
    pub passthrough: bool,
    /// Colour handling, e.g. `CMYK` or `RGB (sRGB) -> CMYK`.
    pub color: String,
    /// Whether the photo came from the build cache: a converted photo, or the verdict that
    /// a CMYK JPEG goes in as it is (`false` when this build converted or measured it, and
    /// for a grey JPEG that goes in as it is: it needs no measuring).
    pub cached: bool,
}

/// Totals of a run.
#[derive(Debug, Clone, Serialize, Default)]
pub struct Summary {
    /// Articles listed.
    pub articles: usize,
    /// Articles that failed.
    pub failed: usize,
    /// Pages composed.
    pub pages: usize,
    /// Warnings by kind.
    pub warnings: BTreeMap<String, usize>,
    /// Errors by kind.
    pub errors: BTreeMap<String, usize>,
    /// Wall time, seconds.
    pub seconds: f64,
    /// Wall time of each stage, seconds: `load`, `text` (setting and checks, in parallel),
    /// `compose`, `render` and `write` (in parallel per output file).
    pub stages: BTreeMap<&'static str, f64>,
    /// Photos this build converted (resampled, separated or ink-limited), once per output
    /// file that holds them.
    pub photos_converted: usize,
    /// Photos taken from the build cache instead, counted the same way: converted photos,
    /// and CMYK JPEGs whose verdict to go in as they are was kept.
    pub photos_cached: usize,
    /// Paragraphs the text engine set while using the build cache (each time it set one:
    /// the copyfit sets some again); 0 under `--no-cache`.
    pub paragraphs_set: usize,
    /// Paragraphs taken from the build cache instead of being set.
    pub paragraphs_cached: usize,
}
