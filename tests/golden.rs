//! Golden tests: they pin today's output so that a refactoring which moves anything shows up.
//!
//! - Each folder of `tests/cases/` is an issue; it is typeset in memory through the library
//!   entry point ([`rotative::pipeline::typeset`]) and its display list, dumped one item a
//!   line ([`rotative::compose::display::dump`]), must equal `expected.txt` beside it. The
//!   example issue is a case too (`tests/cases/example.txt`).
//! - The SHA-256 of the example issue's PDFs, built by the binary as PDF/X-4 and as PDF/X-1a
//!   with all marks, must equal `tests/cases/example-issue.sha256`.
//!
//! After an intended change, run with `ROTATIVE_ACCEPT=1` to rewrite the expected files, and
//! say in the commit which ones changed and why.

mod common;

use std::path::{Path, PathBuf};

use rotative::compose::display;
use rotative::load::{LoadOptions, load_issue};
use rotative::pipeline::{self, Settings};
use sha2::{Digest, Sha256};

fn accepting() -> bool {
    std::env::var_os("ROTATIVE_ACCEPT").is_some_and(|v| v == "1")
}

/// Compares `actual` with the file at `expected`, or rewrites it in accept mode.
fn assert_golden(expected: &Path, actual: &str) {
    if accepting() {
        std::fs::write(expected, actual).unwrap();
        return;
    }
    let want = std::fs::read_to_string(expected)
        .unwrap_or_else(|e| panic!("{}: {e} (run with ROTATIVE_ACCEPT=1)", expected.display()));
    if want != actual {
        let diff: Vec<String> = want
            .lines()
            .zip(actual.lines())
            .enumerate()
            .filter(|(_, (w, a))| w != a)
            .take(8)
            .map(|(i, (w, a))| format!("line {}:\n  - {w}\n  + {a}", i + 1))
            .collect();
        panic!(
            "{} differs ({} lines expected, {} produced); first differences:\n{}\n\
             (run with ROTATIVE_ACCEPT=1 if the change is intended)",
            expected.display(),
            want.lines().count(),
            actual.lines().count(),
            diff.join("\n")
        );
    }
}

/// The display list of the issue at `folder`, typeset in memory.
fn typeset_dump(folder: &Path) -> (String, pipeline::Typeset) {
    let issue = load_issue(folder, &LoadOptions::default()).expect("the case loads");
    let typeset = pipeline::typeset(&issue, &Settings::default(), &|| {});
    (display::dump(&typeset.pages), typeset)
}

fn cases() -> PathBuf {
    common::root().join("tests/cases")
}

fn check_case(name: &str) {
    let folder = cases().join(name);
    let (dump, typeset) = typeset_dump(&folder);
    for article in &typeset.articles {
        assert!(article.is_ok(), "{name}: {} failed: {:?}", article.file.display(), article.errors);
    }
    assert_golden(&folder.join("expected.txt"), &dump);
}

#[test]
fn corner_qr_block_and_a_jump() {
    check_case("corner-jump");
}

#[test]
fn centred_styles() {
    check_case("centred");
}

#[test]
fn bare_article_on_four_columns() {
    check_case("bare-article");
}

#[test]
fn photo_and_tint_touching_the_trim() {
    check_case("bleed");
}

/// The check stage reports the part of a bleeding photo a reader sees (inside the trim),
/// at the resolution it is printed at (fitted to its clip in the bleed).
#[test]
fn a_bleeding_photo_is_reported_by_its_visible_frame_at_its_printed_resolution() {
    let (_, typeset) = typeset_dump(&cases().join("bleed"));
    let image = typeset.pages[0].items.iter().find_map(|item| match item {
        display::Item::Image { frame, clip, placement, pixels, .. } => {
            Some((*frame, *clip, *placement, *pixels))
        }
        _ => None,
    });
    let (frame, clip, placement, pixels) = image.expect("the case has a photo");
    assert!(clip.x < 0.0 && clip.right() > typeset.pages[0].width, "{clip:?}");
    let photo = &typeset.articles[0].photos[0];
    let mm = |points: f32| points * 25.4 / 72.0;
    assert!((photo.frame_mm.0 - mm(frame.width)).abs() < 0.01, "{photo:?}");
    assert!((photo.frame_mm.1 - mm(frame.height)).abs() < 0.01, "{photo:?}");
    assert_eq!(photo.ppi, rotative::geom::effective_ppi(pixels, &placement));
}

#[test]
fn example_issue_display_list() {
    let (dump, _) = typeset_dump(&common::example_issue());
    assert_golden(&cases().join("example.txt"), &dump);
}

/// The library typesets and renders a whole issue in memory, without the command line.
#[test]
fn an_issue_is_typeset_in_memory_through_the_library() {
    let (_, typeset) = typeset_dump(&common::example_issue());
    assert_eq!(typeset.articles.len(), 3);
    assert!(typeset.articles.iter().all(|a| a.is_ok() && a.placement.is_some()));
    assert_eq!(typeset.pages.len(), 2);
    let names: Vec<&str> = typeset.stages.iter().map(|(name, _)| *name).collect();
    assert_eq!(names, ["load", "qr", "text", "compose", "render", "check"]);
    assert_eq!(typeset.files.len(), 1);
    let file = &typeset.files[0];
    assert_eq!(file.name, "liberte-actus-2025-09-11.pdf");
    let pdf = file.rendered.as_ref().expect("rendered");
    let document =
        lopdf::Document::load_mem(&pdf.pdf.to_vec().expect("the spilled photos read back"))
            .expect("a PDF lopdf reads");
    assert_eq!(document.get_pages().len(), 2);
    // Every article's photo was checked at its printed size, and its QR code verified.
    for article in &typeset.articles {
        assert_eq!(article.photos.len(), 1, "{}", article.file.display());
        assert!(article.photos[0].ppi > 150.0);
        assert!(article.qr.is_some());
    }
}

/// The SHA-256 of the PDFs the binary builds from `issue` with each set of `builds`
/// arguments, one line per file.
fn pdf_digests(issue: &Path, builds: &[(&str, &[&str])]) -> String {
    let out = common::temp_dir("golden-sha");
    let mut lines = String::new();
    for (name, args) in builds {
        let dir = out.join(name);
        let mut all = vec!["build", issue.to_str().unwrap(), "-q", "-o"];
        all.push(dir.to_str().unwrap());
        all.extend_from_slice(args);
        // ModDate comes from the inputs' modification times, which a checkout sets: pinned.
        let run = common::rotative_env(&all, &[("SOURCE_DATE_EPOCH", "1757590245")]);
        assert!(run.status.success(), "{}", common::stderr(&run));
        // The PDFs only: the build's manifest of its outputs is not pinned.
        let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
            .unwrap()
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == "pdf"))
            .collect();
        files.sort();
        for file in files {
            let digest = Sha256::digest(std::fs::read(&file).unwrap());
            let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
            let file_name = file.file_name().unwrap().to_string_lossy().into_owned();
            lines.push_str(&format!("{hex}  {name}/{file_name}\n"));
        }
    }
    lines
}

/// The example issue's PDFs, byte for byte.
#[test]
fn example_issue_pdfs_are_pinned() {
    let lines = pdf_digests(
        &common::example_issue(),
        &[
            ("x4", &["--standard", "pdf-x-4"]),
            ("x1a", &["--standard", "pdf-x-1a", "--marks", "all"]),
        ],
    );
    assert_golden(&cases().join("example-issue.sha256"), &lines);
}

/// The PDF of the case whose photo and tint run into the bleed, byte for byte: the example
/// issue has nothing that touches the trim.
#[test]
fn bleeding_case_pdf_is_pinned() {
    let lines = pdf_digests(&cases().join("bleed"), &[("x4", &["--marks", "all"])]);
    assert_golden(&cases().join("bleed/pdf.sha256"), &lines);
}
