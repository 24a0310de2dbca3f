//! The QR block on the printed page: every code of the example issue decodes to its
//! article's exact URL when the pages are rendered at 300 and at 150 dpi.

mod common;

use common::*;

#[test]
fn every_printed_code_decodes_to_its_url() {
    if !have("pdftoppm") || !have("zbarimg") {
        eprintln!("pdftoppm or zbarimg missing: skipped (.ci/run installs them)");
        return;
    }
    let out = temp_dir("qr");
    let run =
        rotative(&["build", example_issue().to_str().unwrap(), "-o", out.to_str().unwrap(), "-q"]);
    assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));
    let pdf = pdfs_in(&out).remove(0);
    for dpi in ["300", "150"] {
        let decoded = decode_printed_codes(&pdf, dpi, &format!("page-{dpi}"));
        assert_eq!(
            decoded,
            [
                "https://liberte-actus.fr/1719",
                "https://liberte-actus.fr/1720",
                "https://liberte-actus.fr/1721"
            ],
            "at {dpi} dpi"
        );
    }
}

#[test]
fn the_symbol_is_drawn_as_black_only_vector_paths() {
    let out = temp_dir("qr-vector");
    let run =
        rotative(&["build", example_issue().to_str().unwrap(), "-o", out.to_str().unwrap(), "-q"]);
    assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));
    let doc = lopdf::Document::load(pdfs_in(&out).remove(0)).unwrap();
    let first = *doc.get_pages().values().next().unwrap();
    let content = lopdf::content::Content::decode(&doc.get_page_content(first)).unwrap();
    let ops = &content.operations;
    // Find a fill in 0 0 0 1 k followed by many `re` before `f`: the symbol's runs.
    let mut best = 0;
    for (i, op) in ops.iter().enumerate() {
        if op.operator == "k"
            && op.operands.iter().map(|o| o.as_float().unwrap_or(-1.0)).collect::<Vec<_>>()
                == [0.0, 0.0, 0.0, 1.0]
        {
            let runs = ops[i + 1..].iter().take_while(|o| o.operator == "re").count();
            best = best.max(runs);
        }
    }
    assert!(
        best > 100,
        "a version-3 symbol is hundreds of merged runs in one black fill, found {best}"
    );
    // Runs are merged: fewer rectangles than dark modules (a 29x29 symbol has ~430).
    assert!(best < 420, "adjacent modules merged into runs: {best}");
    // No image is used for the code: the only images are the photos (3).
    let images = doc
        .objects
        .values()
        .filter(|o| {
            o.as_stream().is_ok_and(|s| {
                s.dict.get(b"Subtype").and_then(|t| t.as_name()).ok() == Some(b"Image")
            })
        })
        .count();
    assert_eq!(images, 3);
}

/// Builds the example with `qr.placement` set to `placement` and returns the PDF.
fn build_with_placement(placement: &str) -> std::path::PathBuf {
    let dir = copy_example(&format!("qr-{placement}"));
    let yaml = std::fs::read_to_string(dir.join("issue.yaml")).unwrap();
    std::fs::write(
        dir.join("issue.yaml"),
        yaml.replace("placement: head", &format!("placement: {placement}")),
    )
    .unwrap();
    let out = dir.join("out");
    let run = rotative(&["build", dir.to_str().unwrap(), "-o", out.to_str().unwrap(), "-q"]);
    assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));
    pdfs_in(&out).remove(0)
}

#[test]
fn end_and_corner_placements_scan_too() {
    if !have("pdftoppm") || !have("zbarimg") {
        eprintln!("pdftoppm or zbarimg missing: skipped (.ci/run installs them)");
        return;
    }
    for placement in ["end", "corner"] {
        let pdf = build_with_placement(placement);
        let decoded = decode_printed_codes(&pdf, "300", "page");
        assert_eq!(decoded.len(), 3, "{placement}: {decoded:?}");
    }
}

#[test]
fn placement_off_prints_no_code() {
    let pdf = build_with_placement("off");
    if let Some(text) = pdftotext(&pdf) {
        assert!(!text.contains("Flashez"), "no QR caption without a code");
    }
    let doc = lopdf::Document::load(&pdf).unwrap();
    let first = *doc.get_pages().values().next().unwrap();
    let content = lopdf::content::Content::decode(&doc.get_page_content(first)).unwrap();
    let rects = content.operations.iter().filter(|o| o.operator == "re").count();
    assert!(rects < 50, "no symbol drawn: {rects} rectangles");
}

#[test]
fn the_seeds_doubled_scheme_is_an_error_with_its_fix() {
    let dir = temp_dir("qr-url");
    write_files(
        &dir,
        &[(
            "articles/a.md",
            &article("title: Lien\nurl: https://https://liberte-actus.fr/1719", "Texte."),
        )],
    );
    let run = rotative(&["build", dir.to_str().unwrap(), "-q"]);
    let err = stderr(&run);
    assert_eq!(run.status.code(), Some(1), "{err}");
    assert!(err.contains("a.md:3:6: error[invalid-url]"), "{err}");
    assert!(err.contains("url: https://https://liberte-actus.fr/1719"), "line shown: {err}");
    assert!(err.contains("did you mean https://liberte-actus.fr/1719?"), "{err}");
    assert!(!dir.join("out").exists(), "nothing written");
}
