//! Page make-up from a page plan (issue 14), driven through the binary: the plan's errors
//! at their lines, stories fitted to their frames with the copyfit cascade and reported,
//! jumps with both jump lines in the PDF's text.

mod common;

use common::*;
use std::path::{Path, PathBuf};

/// The head of a small planned issue: an A5 page, three columns, 11 pt lines.
const ISSUE_HEAD: &str = "publication: Le Petit Quotidien
date: 2026-03-05
lang: fr
page: a5
margins: 12
columns: 3
gutter: 4
baseline: 11
qr:
  placement: off
output:
  standard: pdf-x-4
";

/// A story of `paragraphs` paragraphs of about `words` words each.
fn story(title: &str, paragraphs: usize, words: usize) -> String {
    let body: Vec<String> = (0..paragraphs).map(|_| french_text(words)).collect();
    article(&format!("title: {title}"), &body.join("\n\n"))
}

/// An issue folder with `plan` (YAML after `pages:` and `copyfit:`) and the articles.
fn planned_issue(name: &str, plan: &str, articles: &[(&str, String)]) -> PathBuf {
    let dir = temp_dir(name);
    let mut files: Vec<(&str, &str)> = articles.iter().map(|(n, t)| (*n, t.as_str())).collect();
    let yaml = format!("{ISSUE_HEAD}{plan}");
    files.push(("issue.yaml", &yaml));
    write_files(&dir, &files);
    dir
}

/// Runs `command` on `dir` with a JSON report; returns the run and the report.
fn run(command: &str, dir: &Path, extra: &[&str]) -> (std::process::Output, serde_json::Value) {
    let report = dir.join("report.json");
    let out = dir.join("out");
    let mut args = vec![command, dir.to_str().unwrap(), "--report", report.to_str().unwrap()];
    if command == "build" {
        args.extend(["-o", out.to_str().unwrap()]);
    }
    args.extend(extra);
    let output = rotative(&args);
    let json = std::fs::read_to_string(&report)
        .ok()
        .and_then(|t| serde_json::from_str(&t).ok())
        .unwrap_or(serde_json::Value::Null);
    (output, json)
}

/// The copyfit entries of the report's article `file` (by file name).
fn copyfit<'a>(report: &'a serde_json::Value, file: &str) -> &'a Vec<serde_json::Value> {
    report["articles"]
        .as_array()
        .and_then(|a| a.iter().find(|a| a["file"].as_str().is_some_and(|f| f.ends_with(file))))
        .and_then(|a| a["copyfit"].as_array())
        .unwrap_or_else(|| panic!("no copyfit for {file} in {report}"))
}

#[test]
fn overlapping_frames_are_an_error_naming_both_frames_and_their_lines() {
    let plan = "pages:
  - frames:
      - name: une
        columns: 1-2
        depth: 20
        story: articles/a.md
      - name: brève
        columns: 2-3
        top: 10
        depth: 10
        story: articles/b.md
";
    let dir = planned_issue(
        "overlap",
        plan,
        &[("articles/a.md", story("A", 3, 60)), ("articles/b.md", story("B", 1, 40))],
    );
    let (output, _) = run("build", &dir, &[]);
    assert_eq!(output.status.code(), Some(1));
    let err = stderr(&output);
    assert!(err.contains("issue.yaml:19:"), "located at the second frame: {err}");
    assert!(
        err.contains("frame brève (issue.yaml:19) overlaps frame une (issue.yaml:15)"),
        "names both frames and their lines: {err}"
    );
}

#[test]
fn a_frame_off_the_grid_or_outside_the_type_area_is_an_error_at_its_line() {
    let plan = "pages:
  - frames:
      - columns: 1-3
        top: 13mm
        depth: 10
        story: articles/a.md
      - columns: 2-4
        top: 20
        depth: 5
        story: articles/b.md
";
    let dir = planned_issue(
        "off-grid",
        plan,
        &[("articles/a.md", story("A", 3, 60)), ("articles/b.md", story("B", 1, 40))],
    );
    let (output, _) = run("build", &dir, &[]);
    assert_eq!(output.status.code(), Some(1));
    let err = stderr(&output);
    assert!(err.contains("issue.yaml:16:") && err.contains("frame-off-grid"), "{err}");
    assert!(err.contains("not on the baseline grid"), "{err}");
    assert!(err.contains("issue.yaml:19:") && err.contains("frame-outside"), "{err}");
    assert!(err.contains("columns 2-4, outside the type area's 3 columns"), "{err}");
}

#[test]
fn a_story_too_long_for_its_frame_is_overset_in_lines_and_characters_and_strict_fails() {
    let plan = "copyfit: []
pages:
  - frames:
      - columns: 1-2
        depth: 20
        story: articles/long.md
";
    let dir = planned_issue("too-long", plan, &[("articles/long.md", story("Long", 8, 90))]);
    let (output, report) = run("build", &dir, &[]);
    assert_eq!(output.status.code(), Some(0), "a warning, not an error: {}", stderr(&output));
    let err = stderr(&output);
    assert!(err.contains("warning[copyfit-overset]: overset by "), "{err}");
    assert!(err.contains("characters,") && err.contains("words) in frame p1/1"), "{err}");
    let fit = &copyfit(&report, "long.md")[0];
    assert_eq!(fit["frame"], "p1/1");
    assert!(fit["lines_after"].as_i64().unwrap() > 0, "{fit}");
    assert!(fit["chars"].as_u64().unwrap() > 100, "{fit}");
    assert_eq!(fit["steps"].as_array().unwrap().len(), 0, "no step allowed: {fit}");

    let (strict, _) = run("build", &dir, &["--strict"]);
    assert_eq!(strict.status.code(), Some(1), "--strict refuses overset copy");
}

#[test]
fn a_story_too_short_for_its_frame_is_underset() {
    let plan = "copyfit: []
pages:
  - frames:
      - columns: 1-3
        depth: 30
        story: articles/short.md
";
    let dir = planned_issue("too-short", plan, &[("articles/short.md", story("Court", 1, 50))]);
    let (output, report) = run("check", &dir, &[]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let err = stderr(&output);
    assert!(err.contains("warning[copyfit-underset]: underset by "), "{err}");
    assert!(err.contains("copyfit (lines: + over, - under)"), "check prints the table: {err}");
    let fit = &copyfit(&report, "short.md")[0];
    assert!(fit["lines_after"].as_i64().unwrap() < -20, "{fit}");
}

/// The plan of one story alone in columns 1-2, `depth` lines deep, with `steps` allowed.
fn one_frame(steps: &str, depth: u32, head: &str) -> String {
    format!(
        "copyfit: [{steps}]\npages:\n  - frames:\n      - columns: 1-2\n        depth: {depth}\n        story: articles/s.md\n        head: {head}\n"
    )
}

/// An issue with the story `text` in [`one_frame`] under a lead head, with the example's
/// photo beside it.
fn story_issue(name: &str, steps: &str, depth: u32, text: &str) -> PathBuf {
    story_issue_headed(name, steps, depth, text, "lead")
}

/// [`story_issue`] with the frame's head class `head`.
fn story_issue_headed(name: &str, steps: &str, depth: u32, text: &str, head: &str) -> PathBuf {
    let plan = one_frame(steps, depth, head);
    let dir = planned_issue(name, &plan, &[("articles/s.md", text.to_string())]);
    std::fs::create_dir_all(dir.join("photos")).unwrap();
    std::fs::copy(example_issue().join("photos/dune-rgb.jpg"), dir.join("photos/dune-rgb.jpg"))
        .unwrap();
    dir
}

/// A story of `paragraphs` x `words` and the depth (lines) at which, set alone in columns
/// 1-2 with nothing fitted, it is off by `misfit` lines (positive: over, negative: under):
/// measured frame by frame.
fn nearly_fitting(
    name: &str,
    front: &str,
    paragraphs: usize,
    words: usize,
    misfit: std::ops::RangeInclusive<i64>,
) -> (u32, String) {
    let body: Vec<String> = (0..paragraphs).map(|_| french_text(words)).collect();
    let text = article(front, &body.join("\n\n"));
    for depth in 12..=43u32 {
        let dir = story_issue(name, "", depth, &text);
        let (_, report) = run("check", &dir, &[]);
        let over = copyfit(&report, "s.md")[0]["lines_after"].as_i64().unwrap();
        if misfit.contains(&over) {
            return (depth, text);
        }
    }
    panic!("no depth leaves {name} off by {misfit:?} lines");
}

/// Fits the story with only `step` allowed; returns its copyfit entry.
fn fit_with(name: &str, depth: u32, text: &str, step: &str) -> serde_json::Value {
    let dir = story_issue(name, step, depth, text);
    let (output, report) = run("check", &dir, &[]);
    assert!(output.status.success(), "{}", stderr(&output));
    copyfit(&report, "s.md")[0].clone()
}

/// Asserts that `fit` used `step` alone and gained lines with it.
fn assert_step_alone(fit: &serde_json::Value, step: &str) {
    let steps = fit["steps"].as_array().unwrap();
    assert_eq!(steps.len(), 1, "{fit}");
    assert_eq!(steps[0]["step"], step, "{fit}");
    let before = fit["lines_before"].as_i64().unwrap();
    let after = fit["lines_after"].as_i64().unwrap();
    assert!(after.abs() < before.abs(), "{fit}");
    assert_eq!(steps[0]["lines"].as_i64().unwrap(), before - after, "{fit}");
}

#[test]
fn looseness_alone_fits_a_story_a_few_lines_under() {
    // Setting a paragraph a line longer is what narrow columns allow most often.
    let (depth, text) = nearly_fitting("looseness", "title: Souple", 5, 45, -3..=-1);
    assert_step_alone(&fit_with("looseness-fit", depth, &text, "looseness"), "looseness");
}

#[test]
fn tracking_alone_fits_a_story_a_few_lines_under() {
    let (depth, text) = nearly_fitting("tracking", "title: Serré", 5, 45, -3..=-1);
    let fit = fit_with("tracking-fit", depth, &text, "tracking");
    assert_step_alone(&fit, "tracking");
    assert!(fit["steps"][0]["detail"].as_str().unwrap().contains("tracking"), "{fit}");
}

#[test]
fn headline_alone_brings_an_overset_story_nearer_its_frame() {
    let front = "title: Un titre vraiment très long, qui tient sur plusieurs lignes de la une et pèse sur la page";
    // A smaller head frees several lines in each column: a story well over its frame.
    let (depth, text) = nearly_fitting("headline", front, 4, 45, 8..=20);
    assert_step_alone(&fit_with("headline-fit", depth, &text, "headline"), "headline");
}

#[test]
fn headline_alone_fills_an_underset_story_with_a_larger_head() {
    // A tertiary head over a long title: one step up (to secondary) makes the head three
    // lines deeper across both columns, about six body lines, which an underset story takes.
    let front =
        "title: Un titre vraiment très long, qui tient sur plusieurs lignes et pèse sur la page";
    let text = article(front, &(0..4).map(|_| french_text(45)).collect::<Vec<_>>().join("\n\n"));
    let fit_at = |name: &str, steps: &str, depth: u32| {
        let dir = story_issue_headed(name, steps, depth, &text, "tertiary");
        let (output, report) = run("check", &dir, &[]);
        assert!(output.status.success(), "{}", stderr(&output));
        copyfit(&report, "s.md")[0].clone()
    };
    let depth = (12..=43u32)
        .find(|&depth| {
            (-10..=-5).contains(&fit_at("grow", "", depth)["lines_after"].as_i64().unwrap())
        })
        .expect("a depth leaves the story a few lines under");
    let fit = fit_at("grow-fit", "headline", depth);
    assert_step_alone(&fit, "headline");
    assert_eq!(fit["steps"][0]["detail"], "headline one size step larger", "{fit}");
    // A lead has no larger size: the same step leaves it as it was.
    let dir = story_issue_headed("grow-lead", "headline", depth, &text, "lead");
    let (_, report) = run("check", &dir, &[]);
    let lead = &copyfit(&report, "s.md")[0];
    if lead["lines_before"].as_i64().unwrap() < 0 {
        assert!(lead["steps"].as_array().unwrap().is_empty(), "{lead}");
    }
}

#[test]
fn photo_depth_alone_fits_a_story_a_few_lines_over() {
    let front = "title: Dunes\nphoto:\n  file: ../photos/dune-rgb.jpg\n  columns: 1";
    let (depth, text) = nearly_fitting("photo", front, 3, 45, 1..=3);
    assert_step_alone(&fit_with("photo-fit", depth, &text, "photo"), "photo");
}

#[test]
fn a_jump_prints_both_jump_lines_in_the_article_language() {
    let plan = "pages:
  - frames:
      - columns: 1-3
        depth: 20
        story: articles/long.md
        head: lead
        continues: 2
  - section: Suite
    frames:
      - columns: 1-3
        depth: foot
        story: articles/long.md
";
    let dir = planned_issue("jump", plan, &[("articles/long.md", story("Long", 8, 90))]);
    let (output, report) = run("build", &dir, &["--standard", "none"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let fits = copyfit(&report, "long.md");
    assert_eq!(fits.len(), 2, "one entry per frame: {fits:?}");
    let pdfs = pdfs_in(&dir.join("out"));
    let Some(text) = pdftotext(&pdfs[0]) else { return };
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(flat.contains("Suite page 2"), "{flat}");
    assert!(flat.contains("Suite de la page 1"), "{flat}");
}

/// A one-page PDF ad, 300 x 200 pt, with `text` in Helvetica filled with `color` (content
/// stream operators: `0 0 0 1 k` for CMYK black, `1 0 0 rg` for RGB red).
fn pdf_ad(path: &Path, text: &str, color: &str) {
    use lopdf::{Document, Object, Stream, dictionary};
    let mut doc = Document::with_version("1.4");
    let pages_id = doc.new_object_id();
    let font_id = doc.add_object(dictionary! {
        "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica",
    });
    let content = format!("BT /F1 24 Tf {color} 20 90 Td ({text}) Tj ET");
    let content_id = doc.add_object(Stream::new(dictionary! {}, content.into_bytes()));
    let page_id = doc.add_object(dictionary! {
        "Type" => "Page",
        "Parent" => pages_id,
        "Contents" => content_id,
        "MediaBox" => vec![0.into(), 0.into(), 300.into(), 200.into()],
        "Resources" => dictionary! { "Font" => dictionary! { "F1" => font_id } },
    });
    doc.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! {
            "Type" => "Pages", "Kids" => vec![page_id.into()], "Count" => 1,
        }),
    );
    let catalog_id = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    doc.trailer.set("Root", catalog_id);
    doc.save(path).unwrap();
}

/// A page with a small story and an ad in the lower half of columns 1-3.
fn ad_issue(name: &str, ad: &str) -> PathBuf {
    let plan = format!(
        "pages:
  - frames:
      - columns: 1-3
        depth: 20
        story: articles/a.md
      - columns: 1-3
        top: 20
        depth: foot
        ad: {ad}
"
    );
    planned_issue(name, &plan, &[("articles/a.md", story("Annonce", 2, 60))])
}

#[test]
fn a_pdf_ad_is_embedded_as_delivered_with_its_text() {
    let dir = ad_issue("pdf-ad", "ads/garage.pdf");
    std::fs::create_dir_all(dir.join("ads")).unwrap();
    pdf_ad(&dir.join("ads/garage.pdf"), "GARAGE DUPONT", "0 0 0 1 k");
    let (output, _) = run("build", &dir, &[]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let pdf = &pdfs_in(&dir.join("out"))[0];
    let doc = lopdf::Document::load(pdf).unwrap();
    let forms = doc
        .objects
        .values()
        .filter_map(|o| o.as_stream().ok())
        .filter(|s| s.dict.get(b"Subtype").and_then(|n| n.as_name()).is_ok_and(|n| n == b"Form"))
        .count();
    assert_eq!(forms, 1, "the ad page is one form XObject");
    let Some(text) = pdftotext(pdf) else { return };
    assert!(text.contains("GARAGE DUPONT"), "the ad's own text: {text}");
}

#[test]
fn an_rgb_pdf_ad_is_an_error_in_a_pdf_x1a_build() {
    let dir = ad_issue("rgb-ad", "ads/rgb.pdf");
    std::fs::create_dir_all(dir.join("ads")).unwrap();
    pdf_ad(&dir.join("ads/rgb.pdf"), "SOLDES", "1 0 0 rg");
    let (output, _) = run("build", &dir, &["--standard", "pdf-x-1a"]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let err = stderr(&output);
    assert!(err.contains("uses RGB colour") && err.contains("PDF/X-1a"), "{err}");
    let out = dir.join("out");
    assert!(!out.exists() || pdfs_in(&out).is_empty(), "no print file with an RGB ad");
    // The same ad is accepted where RGB is allowed.
    let (x4, _) = run("build", &dir, &["--standard", "pdf-x-4"]);
    assert_eq!(x4.status.code(), Some(0), "{}", stderr(&x4));
}

#[test]
fn an_ad_placeholder_is_marked_with_its_size_and_refused_by_strict() {
    let dir = ad_issue("placeholder", "placeholder");
    let (output, _) = run("build", &dir, &["--standard", "none"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(stderr(&output).contains("warning[ad-placeholder]"), "{}", stderr(&output));
    if let Some(text) = pdftotext(&pdfs_in(&dir.join("out"))[0]) {
        assert!(text.contains("Publicité · 3 col. ×"), "{text}");
    }
    let (strict, _) = run("build", &dir, &["--strict"]);
    assert_eq!(strict.status.code(), Some(1));
}

#[test]
fn a_proof_draws_frame_names_and_overset_and_is_never_a_print_file() {
    let plan = "copyfit: []
pages:
  - frames:
      - name: une
        columns: 1-2
        depth: 20
        story: articles/long.md
      - columns: 3
        depth: 20
        story: articles/short.md
";
    let dir = planned_issue(
        "proof",
        plan,
        &[("articles/long.md", story("Long", 8, 90)), ("articles/short.md", story("Court", 1, 30))],
    );
    let (output, _) = run("build", &dir, &["--proof", "--standard", "pdf-x-1a"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let pdfs = pdfs_in(&dir.join("out"));
    assert_eq!(pdfs.len(), 1);
    let name = pdfs[0].file_name().unwrap().to_string_lossy().into_owned();
    assert!(name.ends_with("-proof.pdf"), "{name}");
    let bytes = std::fs::read(&pdfs[0]).unwrap();
    let text = String::from_utf8_lossy(&bytes);
    assert!(!text.contains("GTS_PDFX"), "a proof is not PDF/X, whatever --standard says");
    let Some(text) = pdftotext(&pdfs[0]) else { return };
    assert!(text.contains("une · +"), "the overset frame's name and lines over: {text}");
    assert!(text.contains("p1/2 · -"), "the underset frame's: {text}");
}

#[test]
fn a_jpeg_ad_is_placed_whole_in_its_frame() {
    let dir = ad_issue("jpeg-ad", "ads/dunes.jpg");
    std::fs::create_dir_all(dir.join("ads")).unwrap();
    std::fs::copy(example_issue().join("photos/dune-rgb.jpg"), dir.join("ads/dunes.jpg")).unwrap();
    let (output, report) = run("build", &dir, &[]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let images = report["outputs"][0]["images"].as_array().unwrap();
    assert_eq!(images.len(), 1, "the ad, as an image: {images:?}");
    assert!(images[0]["file"].as_str().unwrap().ends_with("dunes.jpg"));
}

#[test]
fn a_story_that_jumps_after_a_few_lines_is_warned_about() {
    let plan = "pages:
  - frames:
      - columns: 1-3
        depth: 12
        story: articles/long.md
        head: lead
        continues: 2
  - frames:
      - columns: 1-3
        depth: foot
        story: articles/long.md
";
    let dir = planned_issue("short-jump", plan, &[("articles/long.md", story("Long", 8, 90))]);
    let (output, _) = run("check", &dir, &[]);
    let err = stderr(&output);
    assert!(err.contains("warning[short-jump]"), "{err}");
    // The issue's own file, not its name alone: the build may run from anywhere.
    let at = format!("{}:15:", dir.join("issue.yaml").display());
    assert!(err.contains(&at), "{at} in {err}");
}

#[test]
fn a_story_in_two_frames_must_jump_forward_to_a_page_that_names_it() {
    let plan = "pages:
  - frames:
      - columns: 1-3
        depth: 20
        story: articles/a.md
      - columns: 1-3
        top: 20
        depth: 10
        story: articles/a.md
        continues: 1
  - frames:
      - columns: 1-3
        depth: 10
        story: articles/b.md
        continues: 2
";
    let dir = planned_issue(
        "bad-jumps",
        plan,
        &[("articles/a.md", story("A", 2, 40)), ("articles/b.md", story("B", 2, 40))],
    );
    let (output, _) = run("check", &dir, &[]);
    assert_eq!(output.status.code(), Some(1));
    let err = stderr(&output);
    assert!(
        err.contains("is already on page 1 (issue.yaml:15): give that frame `continues: 1`"),
        "{err}"
    );
    assert!(err.contains("`continues: 2` must name a later page of the plan"), "{err}");
}

/// A brief of about `words` words with `kicker`.
fn brief(kicker: &str, title: &str, words: usize) -> String {
    article(&format!("kicker: {kicker}\ntitle: {title}"), &french_text(words))
}

/// Words of a PDF page with their boxes (`pdftotext -bbox`): (word, yMin, yMax), in points
/// from the top of an A5 trim (the media box around it takes the bleed and marks); `None`
/// without poppler.
fn word_boxes(pdf: &Path) -> Option<Vec<(String, f32, f32)>> {
    if !have("pdftotext") {
        eprintln!("pdftotext missing: skipped");
        return None;
    }
    let out =
        std::process::Command::new("pdftotext").arg("-bbox").arg(pdf).arg("-").output().unwrap();
    let html = String::from_utf8_lossy(&out.stdout).into_owned();
    let attr = |line: &str, name: &str| -> f32 {
        let start = line.find(&format!("{name}=\"")).unwrap() + name.len() + 2;
        line[start..].split('"').next().unwrap().parse().unwrap()
    };
    let page = html.lines().find(|l| l.trim_start().starts_with("<page ")).unwrap();
    let trim_top = (attr(page, "height") - 595.28) / 2.0;
    Some(
        html.lines()
            .filter(|l| l.trim_start().starts_with("<word "))
            .map(|l| {
                let word = l.split('>').nth(1).unwrap().split('<').next().unwrap().to_string();
                (word, attr(l, "yMin") - trim_top, attr(l, "yMax") - trim_top)
            })
            .collect(),
    )
}

#[test]
fn briefs_that_do_not_fit_their_frame_are_cut_at_its_foot_and_reported_overset() {
    // Three briefs in one column down to the foot of an A5 page: the third has no room.
    let plan = "pages:
  - frames:
      - columns: 1-2
        depth: foot
        story: articles/s.md
      - columns: 3
        depth: foot
        briefs: [articles/a.md, articles/b.md, articles/c.md]
";
    let dir = planned_issue(
        "briefs-cut",
        plan,
        &[
            ("articles/s.md", story("Une", 6, 80)),
            ("articles/a.md", brief("En bref", "Premier", 120)),
            ("articles/b.md", brief("En bref", "Deuxième", 120)),
            ("articles/c.md", brief("En bref", "Troisième", 120)),
        ],
    );
    let (output, report) = run("build", &dir, &["--standard", "none"]);
    let err = stderr(&output);
    assert_eq!(output.status.code(), Some(0), "{err}");
    assert!(!err.contains("error[overlap]"), "nothing drawn past the page: {err}");
    assert!(err.contains("c.md: warning[copyfit-overset]: overset by "), "{err}");
    let fit = &copyfit(&report, "c.md")[0];
    assert!(fit["lines_after"].as_i64().unwrap() > 0, "{fit}");
    let pdfs = pdfs_in(&dir.join("out"));
    let Some(words) = word_boxes(&pdfs[0]) else { return };
    // A5 with 12 mm margins: the type area ends 561.26 pt from the top; a descender may
    // hang a few points under the last baseline, nothing more.
    let foot = 595.28 - 12.0 * 72.0 / 25.4;
    let below: Vec<_> = words.iter().filter(|(_, top, _)| *top > foot - 2.0).collect();
    assert!(below.is_empty(), "nothing drawn under the frame's foot: {below:?}");
    assert!(words.iter().all(|(_, _, bottom)| *bottom < foot + 5.0), "{words:?}");
}

#[test]
fn a_frame_of_briefs_prints_its_label_once_and_no_kicker() {
    let plan = "pages:
  - frames:
      - columns: 1-3
        depth: foot
        briefs: [articles/a.md, articles/b.md]
";
    let dir = planned_issue(
        "briefs-label",
        plan,
        &[
            ("articles/a.md", brief("En bref", "Premier", 40)),
            ("articles/b.md", brief("Cinéma", "Deuxième", 40)),
        ],
    );
    let (output, _) = run("build", &dir, &["--standard", "none"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let Some(text) = pdftotext(&pdfs_in(&dir.join("out"))[0]) else { return };
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    assert_eq!(flat.matches("En bref").count(), 1, "the label once: {flat}");
    assert!(!flat.contains("Cinéma"), "no kicker under the label: {flat}");
    assert!(flat.contains("Premier") && flat.contains("Deuxième"), "{flat}");
}

/// An issue with `plan` and the story `articles/s.md`, whose photo is the example's dune
/// (two columns wide by its own front matter), and the story `articles/b.md` without one.
fn photo_issue(name: &str, plan: &str) -> PathBuf {
    let front = "title: Dunes\nphoto:\n  file: ../photos/dune-rgb.jpg\n  columns: 2";
    let dir = planned_issue(
        name,
        plan,
        &[
            ("articles/s.md", article(front, &french_text(120))),
            ("articles/b.md", story("Sans photo", 1, 60)),
        ],
    );
    std::fs::create_dir_all(dir.join("photos")).unwrap();
    std::fs::copy(example_issue().join("photos/dune-rgb.jpg"), dir.join("photos/dune-rgb.jpg"))
        .unwrap();
    dir
}

/// The clip rectangle (width, height, points) of each image or form drawn in the PDF's
/// first page: the renderer clips every placed image to its frame.
fn drawn_frames(pdf: &Path) -> Vec<(f32, f32)> {
    let doc = lopdf::Document::load(pdf).unwrap();
    let page = *doc.get_pages().values().next().unwrap();
    let content = lopdf::content::Content::decode(&doc.get_page_content(page)).unwrap();
    let number = |o: &lopdf::Object| o.as_float().unwrap();
    let mut last_rect = (0.0, 0.0);
    let mut frames = Vec::new();
    for op in &content.operations {
        match op.operator.as_str() {
            "re" => last_rect = (number(&op.operands[2]), number(&op.operands[3])),
            "Do" => frames.push(last_rect),
            _ => {}
        }
    }
    frames
}

#[test]
fn a_frame_sizes_its_story_photo_in_columns_and_lines() {
    // The article asks for two columns and a 3:2 depth; the plan's frame for one column
    // and 10 lines (of 11 pt).
    let plan = "pages:
  - frames:
      - columns: 1-2
        depth: 30
        story: articles/s.md
        photo: { columns: 1, depth: 10 }
";
    let dir = photo_issue("photo-size", plan);
    let (output, report) = run("build", &dir, &[]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(report["outputs"][0]["images"].as_array().unwrap().len(), 1, "{report}");
    let frames = drawn_frames(&pdfs_in(&dir.join("out"))[0]);
    // A5 less 12 mm margins, three columns with 4 mm gutters.
    let column = (148.0 - 24.0 - 8.0) / 3.0 * 72.0 / 25.4;
    assert_eq!(frames.len(), 1, "{frames:?}");
    let (width, height) = frames[0];
    assert!((width - column).abs() < 0.01, "one column wide ({column} pt): {frames:?}");
    assert!((height - 110.0).abs() < 0.01, "10 lines deep: {frames:?}");
}

#[test]
fn photo_none_prints_a_story_without_its_photo_and_a_size_for_no_photo_is_warned() {
    let plan = "pages:
  - frames:
      - columns: 1-2
        depth: 30
        story: articles/s.md
        photo: none
      - columns: 3
        depth: 30
        story: articles/b.md
        photo: { depth: 6 }
";
    let dir = photo_issue("photo-none", plan);
    let (output, report) = run("build", &dir, &[]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(report["outputs"][0]["images"].as_array().unwrap().len(), 0, "{report}");
    assert!(drawn_frames(&pdfs_in(&dir.join("out"))[0]).is_empty());
    // The story itself is there, measured in its frame.
    assert_eq!(copyfit(&report, "s.md")[0]["frame"], "p1/1");
    let err = stderr(&output);
    assert!(err.contains("issue.yaml:22:") && err.contains("warning[photo-missing]"), "{err}");
}

#[test]
fn a_frame_photo_wider_or_deeper_than_its_frame_is_an_error_at_its_line() {
    let plan = "pages:
  - frames:
      - columns: 1-2
        depth: 20
        story: articles/s.md
        continues: 2
      - columns: 3
        depth: 20
        story: articles/b.md
        photo:
          columns: 2
          depth: 21
  - frames:
      - columns: 1-3
        depth: 10
        story: articles/s.md
        photo: none
";
    let dir = photo_issue("photo-outside", plan);
    let (output, _) = run("build", &dir, &[]);
    assert_eq!(output.status.code(), Some(1));
    let err = stderr(&output);
    assert!(err.contains("issue.yaml:23:20: error[invalid-value]"), "at `2`: {err}");
    assert!(err.contains("`photo.columns` must be from 1 to 1"), "{err}");
    assert!(err.contains("field `pages.frames.photo.columns`"), "{err}");
    assert!(err.contains("issue.yaml:24:18: error[invalid-value]"), "at `21`: {err}");
    assert!(err.contains("field `pages.frames.photo.depth`"), "{err}");
    // The photo is set with the head: a continuation's frame cannot size it.
    assert!(err.contains("issue.yaml:26:"), "at the continuation's frame: {err}");
    assert!(err.contains("its `photo` goes in the story's first frame"), "{err}");
}

#[test]
fn a_planned_page_hangs_its_lines_from_the_type_areas_foot() {
    // A story far too long for its page: every column is full down to the frame's foot,
    // which is the type area's foot, not up to a line above it as a grid laid from the top
    // leaves it (A5, 12 mm margins, 11 pt lines: 15.7 lines of air otherwise fall short).
    let plan = "pages:
  - frames:
      - columns: 1-3
        depth: foot
        story: articles/s.md
";
    let front = "title: Une histoire trop longue\nauthor: Claire Lebreton\ndate: 2026-03-04";
    let body: Vec<String> = (0..12).map(|_| french_text(90)).collect();
    let dir =
        planned_issue("hung-grid", plan, &[("articles/s.md", article(front, &body.join("\n\n")))]);
    let (output, _) = run("build", &dir, &["--standard", "none"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let Some(words) = word_boxes(&pdfs_in(&dir.join("out"))[0]) else { return };
    let foot = 595.28 - 12.0 * 72.0 / 25.4;
    let lowest = words.iter().map(|(_, _, bottom)| *bottom).fold(0.0f32, f32::max);
    // The last line's slot ends on the foot: its words' boxes (baseline plus the font's
    // descent) end about 4 pt above it. A grid laid from the top would leave the page's
    // spare 10 pt (44.9 lines of room) under them too.
    assert!(lowest > foot - 7.0 && lowest <= foot, "lowest word {lowest}, foot {foot}");
    // The meta line under the standfirst is a bar: the byline flush left, the facts
    // (date, reading time) flush right, on one baseline with the room between them.
    let out = std::process::Command::new("pdftotext")
        .arg("-bbox")
        .arg(&pdfs_in(&dir.join("out"))[0])
        .arg("-")
        .output()
        .unwrap();
    let html = String::from_utf8_lossy(&out.stdout).into_owned();
    let x = |word: &str, name: &str| -> f32 {
        let line = html.lines().find(|l| l.ends_with(&format!(">{word}</word>"))).unwrap();
        let start = line.find(&format!("{name}=\"")).unwrap() + name.len() + 2;
        line[start..].split('"').next().unwrap().parse().unwrap()
    };
    let page = html.lines().find(|l| l.trim_start().starts_with("<page ")).unwrap();
    let width: f32 = {
        let start = page.find("width=\"").unwrap() + 7;
        page[start..].split('"').next().unwrap().parse().unwrap()
    };
    let right_margin = (width + 419.53) / 2.0 - 12.0 * 72.0 / 25.4;
    let (byline_end, facts_start) = (x("Lebreton", "xMax"), x("Publié", "xMin"));
    assert!(facts_start - byline_end > 20.0, "a gap, not ' · ': {byline_end} {facts_start}");
    let last_fact = ["libre", "abonné", "minutes", "minute"]
        .iter()
        .filter(|w| html.contains(&format!(">{w}</word>")))
        .map(|w| x(w, "xMax"))
        .fold(0.0f32, f32::max);
    assert!((last_fact - right_margin).abs() < 1.5, "flush right: {last_fact} {right_margin}");
}

/// A frame's photo beside the head: the photo stands in the frame's last column from the
/// frame's top, level with the headline; the headline keeps to the other two columns; the
/// body under the photo starts below it. Read from the display list the library returns.
#[test]
fn a_photo_beside_the_head_stands_level_with_it_in_the_last_column() {
    let plan = "pages:
  - frames:
      - columns: 1-3
        depth: 40
        story: articles/s.md
        head: lead
        photo: { columns: 1, depth: 12, beside_head: true }
";
    let front = "title: Les dunes avancent chaque hiver sur la route du littoral\nphoto:\n  file: ../photos/dune-rgb.jpg";
    let dir =
        planned_issue("beside", plan, &[("articles/s.md", article(front, &french_text(400)))]);
    std::fs::create_dir_all(dir.join("photos")).unwrap();
    std::fs::copy(example_issue().join("photos/dune-rgb.jpg"), dir.join("photos/dune-rgb.jpg"))
        .unwrap();
    let (output, _) = run("build", &dir, &[]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(!stderr(&output).contains("overlap"), "{}", stderr(&output));

    let issue = rotative::load::load_issue(&dir, &rotative::load::LoadOptions::default()).unwrap();
    let typeset = rotative::pipeline::typeset(&issue, &Default::default(), &|| {});
    let dump = rotative::compose::display::dump(&typeset.pages);
    let numbers = |line: &str, from: usize, count: usize| -> Vec<f32> {
        line.split(|c: char| c.is_whitespace() || c == '[' || c == ']')
            .filter(|w| !w.is_empty())
            .skip(from)
            .take(count)
            .map(|w| w.parse().unwrap())
            .collect()
    };
    let image = dump.lines().find(|l| l.trim_start().starts_with("image")).expect("the photo");
    let photo = numbers(image, 1, 4); // x, y, width, height
    // Text runs: x, baseline, size, width, and the text.
    let texts: Vec<(f32, f32, f32, f32, &str)> = dump
        .lines()
        .filter(|l| l.trim_start().starts_with("text "))
        .map(|l| {
            let n = numbers(l, 1, 2);
            let size: f32 =
                l.split_whitespace().nth(4).unwrap().trim_end_matches("pt").parse().unwrap();
            let width: f32 = l.split_whitespace().nth(5).unwrap()[1..].parse().unwrap();
            (n[0], n[1], size, width, l.rsplit('"').nth(1).unwrap())
        })
        .collect();
    let largest = texts.iter().map(|t| t.2).fold(0.0, f32::max);
    let headline: Vec<_> = texts.iter().filter(|t| t.2 == largest).collect();
    assert!(headline.iter().any(|t| t.4.contains("dunes")), "{headline:?}");
    // The headline keeps left of the photo's column, and its first line stands level
    // with the photo's top (within the headline's own leading).
    for word in &headline {
        assert!(word.0 + word.3 <= photo[0], "{word:?} runs into the photo at x {}", photo[0]);
    }
    let first_baseline = headline.iter().map(|t| t.1).fold(f32::MAX, f32::min);
    assert!(
        photo[1] < first_baseline && first_baseline - photo[1] < largest * 1.5,
        "photo top {} headline {first_baseline}",
        photo[1]
    );
    // Text in the photo's column (under the folio) starts under the photo.
    let body_in_column: Vec<_> =
        texts.iter().filter(|t| t.2 < 10.0 && t.0 >= photo[0] - 0.5 && t.1 > photo[1]).collect();
    assert!(!body_in_column.is_empty(), "the body flows under the photo");
    assert!(body_in_column.iter().all(|t| t.1 > photo[1] + photo[3]), "{body_in_column:?}");
}

#[test]
fn a_photo_beside_the_head_needs_columns_the_head_can_spare() {
    let plan = "pages:
  - frames:
      - columns: 1-2
        depth: 30
        story: articles/s.md
        photo: { columns: 2, beside_head: true }
";
    let dir = photo_issue("beside-wide", plan);
    let (output, _) = run("check", &dir, &[]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let err = stderr(&output);
    assert!(err.contains("issue.yaml:") && err.contains("pages.frames.photo.beside_head"), "{err}");
    assert!(err.contains("from 1 to 1"), "{err}");
}
