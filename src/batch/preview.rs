//! `build --png`: the pages as PNG pictures and the issue's contact sheet, written beside
//! the PDFs through the same atomic writes.

use std::path::Path;

use sha2::{Digest, Sha256};

use super::output;
use super::report::OutputReport;
use crate::compose::display::Page;
use crate::diag::Diagnostic;
use crate::fonts::FontBook;
use crate::model::{Issue, IssueConfig};
use crate::render::{self, RenderOptions};

/// Draws the typeset `pages` (of `issue` with its settings `config`) at `dpi` and writes `<stem>-pNN.png` per page and
/// `<stem>-pages.png` (the contact sheet) into `out_dir`; returns what was written and
/// what went wrong.
pub(super) fn write(
    out_dir: &Path,
    stem: &str,
    pages: &[Page],
    config: &IssueConfig,
    issue: &Issue,
    dpi: u32,
) -> (Vec<OutputReport>, Vec<Diagnostic>) {
    let mut diagnostics = Vec::new();
    if pages.is_empty() {
        return (Vec::new(), diagnostics);
    }
    // The fonts were parsed for the pipeline already: building the book again takes them
    // from the process's cache.
    let fonts = match FontBook::new(&config.fonts) {
        Ok(fonts) => fonts,
        Err(e) => return (Vec::new(), vec![Diagnostic::error("missing-font", e.to_string())]),
    };
    let options = RenderOptions::for_issue(config, issue);
    let preview = match render::render_png(pages, &fonts, &options, dpi) {
        Ok(preview) => preview,
        Err(e) => return (Vec::new(), vec![e]),
    };
    diagnostics.extend(preview.warnings);
    let files = preview
        .pages
        .into_iter()
        .map(|page| (format!("{stem}-p{:02}.png", page.number), 1, page.bytes))
        .chain(std::iter::once((format!("{stem}-pages.png"), pages.len(), preview.sheet)));
    let mut written = Vec::new();
    for (name, pages, bytes) in files {
        let path = out_dir.join(name);
        match output::write_atomic(&path, &bytes) {
            Ok(status) => written.push(OutputReport {
                path: path.display().to_string(),
                pages,
                bytes: bytes.len(),
                sha256: super::hex(&Sha256::digest(&bytes)),
                status,
                warnings: Vec::new(),
                images: Vec::new(),
            }),
            Err(e) => diagnostics.push(
                Diagnostic::error("io", format!("cannot write {}: {e}", path.display()))
                    .in_file(&path),
            ),
        }
    }
    (written, diagnostics)
}
