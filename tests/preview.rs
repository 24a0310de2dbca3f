//! `build --png`: one PNG per page drawn in-process, checked against poppler's rendering of
//! the PDF of the same build, and the issue's contact sheet.
//!
//! The measure: both pictures in grey (ITU-R 601 luma), poppler's cropped to the trim box;
//! the mean absolute difference of the grey levels (0-255) and the share of pixels that
//! differ by more than 64 levels (a quarter of the range). Two renderers never agree on the
//! edges of anti-aliased glyphs (poppler's Splash puts each glyph on a whole pixel row and
//! hints it), so text contributes a steady difference: on the example issue at 127 dpi it
//! measures about 7 and 6 mean, 3 % of pixels over 64. A page drawn without its text
//! measures 32 and 23 (23 % and 13 % of pixels), one shifted by 3 pixels 17 (8 %), so the
//! thresholds (mean under 10, under 5 % of pixels) fail on any such break.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use common::*;

/// Mean absolute grey difference allowed between our picture and poppler's.
const MAX_MEAN_DIFFERENCE: f64 = 10.0;
/// Share of pixels allowed to differ by more than [`FAR`] grey levels.
const MAX_FAR_SHARE: f64 = 0.05;
/// What counts as a pixel that differs (a quarter of the grey range).
const FAR: i32 = 64;

fn pngs_in(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "png"))
        .collect();
    files.sort();
    files
}

/// The trim box of page `index` (0-based) of `pdf`, PDF units: (x0, y0, x1, y1).
fn trim_box(pdf: &Path, index: usize) -> (f32, f32, f32, f32) {
    let doc = lopdf::Document::load(pdf).unwrap();
    let pages = doc.get_pages();
    let id = *pages.values().nth(index).unwrap();
    let page = doc.get_dictionary(id).unwrap();
    let number =
        |o: &lopdf::Object| o.as_float().or_else(|_| o.as_i64().map(|v| v as f32)).unwrap();
    let get = |key: &[u8]| -> Vec<f32> {
        page.get(key).unwrap().as_array().unwrap().iter().map(number).collect()
    };
    let trim = get(b"TrimBox");
    let media = get(b"MediaBox");
    // Measured from the media box's top-left, where poppler's picture starts.
    (trim[0] - media[0], media[3] - trim[3], trim[2] - media[0], media[3] - trim[1])
}

/// (mean absolute grey difference, share of pixels differing by more than [`FAR`]).
fn difference(ours: &image::GrayImage, theirs: &image::GrayImage, at: (u32, u32)) -> (f64, f64) {
    let (mut sum, mut far, mut count) = (0u64, 0u64, 0u64);
    for (x, y, pixel) in ours.enumerate_pixels() {
        let (tx, ty) = (x + at.0, y + at.1);
        if tx >= theirs.width() || ty >= theirs.height() {
            continue;
        }
        let d = (i32::from(pixel.0[0]) - i32::from(theirs.get_pixel(tx, ty).0[0])).abs();
        sum += d as u64;
        far += u64::from(d > FAR);
        count += 1;
    }
    (sum as f64 / count.max(1) as f64, far as f64 / count.max(1) as f64)
}

#[test]
fn png_pages_match_a_pdftoppm_rendering_of_the_same_pdf() {
    if !have("pdftoppm") {
        eprintln!("pdftoppm missing: skipped");
        return;
    }
    let dir = copy_example("png");
    let out = dir.join("out");
    // 127 dpi is 5 pixels a millimetre: the trim box (bleed and marks margin, whole
    // millimetres) starts on a whole pixel of poppler's picture, so no half-pixel shift
    // between the two pictures is measured as a difference.
    let dpi = 127;
    let run =
        rotative(&["build", dir.to_str().unwrap(), "-o", out.to_str().unwrap(), "-q", "--png=127"]);
    assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));
    let pdf = pdfs_in(&out).into_iter().next().expect("the issue PDF");
    let pages = lopdf::Document::load(&pdf).unwrap().get_pages().len();
    let pngs = pngs_in(&out);
    let (sheet, page_pngs): (Vec<_>, Vec<_>) =
        pngs.iter().partition(|p| p.to_string_lossy().ends_with("-pages.png"));
    assert_eq!(page_pngs.len(), pages, "one PNG per page: {pngs:?}");
    assert_eq!(sheet.len(), 1, "one contact sheet: {pngs:?}");

    for (index, png) in page_pngs.iter().enumerate() {
        let name = png.file_name().unwrap().to_string_lossy();
        assert!(name.ends_with(&format!("-p{:02}.png", index + 1)), "{name}");
        let ours = image::open(png).unwrap();
        let (x0, y0, x1, y1) = trim_box(&pdf, index);
        let px = |pt: f32| pt * dpi as f32 / 72.0;
        // The picture is the trim at the resolution asked for (the PDF's boxes are
        // rounded to 1/1000 pt: within a pixel).
        assert!((ours.width() as f32 - px(x1 - x0)).abs() < 1.0, "{name} width");
        assert!((ours.height() as f32 - px(y1 - y0)).abs() < 1.0, "{name} height");

        let prefix = dir.join(format!("poppler-{}", index + 1));
        let status = Command::new("pdftoppm")
            .args(["-r", &dpi.to_string(), "-f", &(index + 1).to_string()])
            .args(["-l", &(index + 1).to_string(), "-singlefile", "-png"])
            .arg(&pdf)
            .arg(&prefix)
            .status()
            .unwrap();
        assert!(status.success());
        let theirs = image::open(prefix.with_extension("png")).unwrap().to_luma8();
        let at = (px(x0).round() as u32, px(y0).round() as u32);
        let (mean, far) = difference(&ours.to_luma8(), &theirs, at);
        println!(
            "{name}: mean |grey difference| {mean:.2}, {:.2} % of pixels over {FAR} levels",
            far * 100.0
        );
        assert!(mean < MAX_MEAN_DIFFERENCE, "{name}: mean difference {mean:.2}");
        assert!(far < MAX_FAR_SHARE, "{name}: {:.2} % of pixels differ", far * 100.0);

        // Black text is black on screen (the darkest pixel is a glyph's, 100 % K), and
        // paper is white.
        let rgb = ours.to_rgb8();
        let darkest = rgb.pixels().min_by_key(|p| p.0.iter().map(|&v| u32::from(v)).sum::<u32>());
        let darkest = darkest.unwrap().0;
        assert!(darkest.iter().all(|&v| v <= 40), "{name}: darkest pixel {darkest:?}");
        assert_eq!(rgb.get_pixel(rgb.width() - 2, rgb.height() - 2).0, [255, 255, 255]);
    }

    // The contact sheet holds every page: wider than two thumbnails side by side, and it
    // shows the pages (some of its pixels are near black).
    let sheet = image::open(sheet[0]).unwrap().to_luma8();
    assert!(sheet.width() > 300 && sheet.height() > 200, "{}x{}", sheet.width(), sheet.height());
    assert!(sheet.pixels().any(|p| p.0[0] < 60), "the sheet shows the pages' text");
}

#[test]
fn png_defaults_to_100_dpi_is_deterministic_and_its_cost_is_printed() {
    let dir = copy_issue(&root().join("issues/liberte-actus-1720"), "png-weekly");
    let out = dir.join("out");
    let build = |extra: &[&str]| {
        let mut args = vec!["build", dir.to_str().unwrap(), "-o", out.to_str().unwrap(), "-q"];
        args.extend(extra);
        let started = Instant::now();
        let run = rotative(&args);
        assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));
        started.elapsed().as_secs_f64()
    };
    let plain = build(&[]);
    let with_png = build(&["--png"]);
    println!(
        "issue 1720 (12 pages): build {plain:.2} s, build --png (100 dpi) {with_png:.2} s, \
         the pictures add {:.2} s",
        with_png - plain
    );
    let pngs = pngs_in(&out);
    assert_eq!(pngs.len(), 13, "12 pages and the contact sheet: {pngs:?}");
    let first = image::open(&pngs[0]).unwrap();
    let pdf = pdfs_in(&out).into_iter().next().unwrap();
    let (x0, _, x1, _) = trim_box(&pdf, 0);
    let expected = (x1 - x0) * 100.0 / 72.0;
    assert!((first.width() as f32 - expected).abs() < 1.0, "100 dpi by default");

    // The same build draws the same pixels: nothing is rewritten.
    let before: Vec<Vec<u8>> = pngs.iter().map(|p| std::fs::read(p).unwrap()).collect();
    let report = dir.join("report.json");
    build(&["--png", "--report", report.to_str().unwrap()]);
    let after: Vec<Vec<u8>> = pngs.iter().map(|p| std::fs::read(p).unwrap()).collect();
    assert!(before == after, "a second build gives the same PNG bytes");
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&report).unwrap()).unwrap();
    let outputs = json["outputs"].as_array().unwrap();
    let png_outputs: Vec<_> =
        outputs.iter().filter(|o| o["path"].as_str().unwrap().ends_with(".png")).collect();
    assert_eq!(png_outputs.len(), 13);
    assert!(png_outputs.iter().all(|o| o["status"] == "unchanged"), "{png_outputs:?}");
    assert!(json["summary"]["stages"]["png"].is_number(), "the report times the pictures");
}

#[test]
fn png_resolution_out_of_range_is_a_usage_error() {
    let dir = copy_example("png-range");
    let run = rotative(&["build", dir.to_str().unwrap(), "--png=5"]);
    assert_eq!(run.status.code(), Some(2), "{}", stderr(&run));
    assert!(!dir.join("out").exists(), "nothing written");
}
