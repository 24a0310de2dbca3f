//! The check stage's part that reads only the composed pages: the overlaps on each page and
//! each placed article's findings. It needs nothing the render stage makes, so the pipeline
//! runs it beside rendering (on the core that render's serial parts, the fonts' glyph usage
//! and the page objects, leave idle) and applies its verdicts afterwards.

use std::time::{Duration, Instant};

use rayon::prelude::*;

use super::{ArticleOutcome, as_error};
use crate::check::{self, PhotoFinding};
use crate::compose::display::Page;
use crate::diag::Diagnostic;
use crate::model::{Issue, PhotoSpec};

/// What the check stage found on the composed pages.
pub(super) struct PageChecks {
    /// Every overlap on every page, in page order.
    pub overlaps: Vec<check::overlap::Overlap>,
    /// Per article (the issue's order): its verdict, `None` for one not placed.
    verdicts: Vec<Option<Verdict>>,
    /// How long the checks took.
    pub took: Duration,
}

/// One placed article's findings, sorted as they will be applied.
struct Verdict {
    photos: Vec<PhotoFinding>,
    errors: Vec<Diagnostic>,
    warnings: Vec<Diagnostic>,
}

/// Checks the articles `outcomes` placed on `pages`, each apart (a finding re-reads its
/// line from the article file), without changing them: see [`PageChecks::apply`].
pub(super) fn check_pages(
    issue: &Issue,
    outcomes: &[ArticleOutcome],
    pages: &[Page],
    photo: &PhotoSpec,
    strict: bool,
) -> PageChecks {
    let started = Instant::now();
    // Compose should leave nothing overlapping; this is what makes sure a page with an
    // overlap is never produced silently.
    let overlaps: Vec<check::overlap::Overlap> =
        pages.par_iter().flat_map_iter(check::overlap::page_overlaps).collect();
    let verdicts = issue
        .articles
        .par_iter()
        .zip(outcomes)
        .map(|(entry, outcome)| {
            let (Ok(article), Some(placement)) = (&entry.article, &outcome.placement) else {
                return None;
            };
            let findings = check::findings(article, placement, pages, photo);
            let mut errors = check::overlap_findings(article, placement, &overlaps);
            let mut warnings = Vec::new();
            for finding in findings.diagnostics {
                if finding.is_error() || (strict && finding.kind != "overset") {
                    errors.push(as_error(finding));
                } else {
                    warnings.push(finding);
                }
            }
            Some(Verdict { photos: findings.photos, errors, warnings })
        })
        .collect();
    PageChecks { overlaps, verdicts, took: started.elapsed() }
}

impl PageChecks {
    /// Gives each article still placed its findings; one with errors loses its placement.
    /// Returns whether any did.
    pub(super) fn apply(&mut self, outcomes: &mut [ArticleOutcome]) -> bool {
        let mut failed = false;
        for (outcome, verdict) in outcomes.iter_mut().zip(self.verdicts.drain(..)) {
            // An article failed since (a photo render could not use) keeps only that error.
            let (Some(verdict), Some(_)) = (verdict, &outcome.placement) else { continue };
            outcome.photos = verdict.photos;
            outcome.warnings.extend(verdict.warnings);
            if !verdict.errors.is_empty() {
                outcome.errors = verdict.errors;
                outcome.placement = None;
                failed = true;
            }
        }
        failed
    }
}
