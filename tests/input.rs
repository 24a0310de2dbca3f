//! What a newsroom's files look like in practice: website front matter, an article built
//! from inside its issue's folder, several mistakes reported in one run, photos that the
//! frame would crop hard.

mod common;

use common::*;
use std::path::Path;
use std::process::{Command, Output};

/// An issue of the given articles (listed in `issue.yaml` after `extra_yaml`).
fn issue(name: &str, articles: &[(&str, String)], extra_yaml: &str) -> std::path::PathBuf {
    let dir = temp_dir(name);
    let mut yaml = format!(
        "publication: Le Veilleur\nnumber: \"42\"\ndate: 2025-10-02\n{extra_yaml}articles:\n"
    );
    for (file, content) in articles {
        yaml.push_str(&format!("  - articles/{file}\n"));
        write_files(&dir, &[(&format!("articles/{file}"), content.as_str())]);
    }
    write_files(&dir, &[("issue.yaml", &yaml)]);
    dir
}

/// Runs the binary in `folder`.
fn rotative_in(folder: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_rotative")).args(args).current_dir(folder).output().unwrap()
}

fn report_of(path: &Path) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

#[test]
fn website_front_matter_is_read_as_ours() {
    let front = "title: Le marché déménage\ntags: [Marché, Commerce]\ncategories: Vie locale\n\
                 description: Le marché du jeudi quitte la place de l'église.\n\
                 slug: le-marche-demenage\nlayout: post\nweight: 3";
    let dir = issue("website", &[("a.md", article(front, &french_text(120)))], "");
    let out = dir.join("out");
    let run = rotative(&["build", dir.to_str().unwrap(), "-o", out.to_str().unwrap(), "-q"]);
    let err = stderr(&run);
    assert_eq!(run.status.code(), Some(0), "{err}");
    // One warning names every ignored website field.
    assert_eq!(err.matches("warning[website-field]").count(), 1, "{err}");
    assert!(err.contains("slug, layout, weight"), "{err}");
    assert!(err.contains("a.md:6:1"), "located at the first of them: {err}");
    if let Some(text) = pdftotext(&pdfs_in(&out)[0]) {
        let text = text.replace('\n', " ");
        // `tags` and `categories` are the keywords, `description` the standfirst.
        assert!(text.contains("Marché · Commerce · Vie locale"), "{text}");
        assert!(text.contains("quitte la place"), "{text}");
    }
}

#[test]
fn a_draft_is_left_out_with_a_note() {
    let dir = issue(
        "draft",
        &[
            ("a.md", article("title: Publié", &french_text(80))),
            ("b.md", article("title: Pas encore\ndraft: true", &french_text(80))),
        ],
        "",
    );
    let report = dir.join("r.json");
    let run = rotative(&[
        "build",
        dir.to_str().unwrap(),
        "-q",
        "--strict",
        "--report",
        report.to_str().unwrap(),
    ]);
    let err = stderr(&run);
    assert_eq!(run.status.code(), Some(0), "a note fails nothing, even under --strict: {err}");
    assert!(err.contains("b.md: note[draft]"), "{err}");
    let json = report_of(&report);
    assert_eq!(json["articles"].as_array().unwrap().len(), 1, "{json}");
    if let Some(text) = pdftotext(&pdfs_in(&dir.join("out"))[0]) {
        assert!(text.contains("Publié") && !text.contains("Pas encore"), "{text}");
    }
}

#[test]
fn issue_yaml_maps_and_ignores_front_matter_fields() {
    let front = "title: Les cantines\nchapo: Les repas passent au bio local.\nnotes: à relire";
    let rules = "front_matter:\n  map: { chapo: standfirst }\n  ignore: [notes]\n";
    let dir = issue("mapped", &[("a.md", article(front, &french_text(100)))], rules);
    let run = rotative(&["build", dir.to_str().unwrap(), "-q", "--strict"]);
    let err = stderr(&run);
    assert_eq!(run.status.code(), Some(0), "{err}");
    if let Some(text) = pdftotext(&pdfs_in(&dir.join("out"))[0]) {
        assert!(text.contains("bio local"), "`chapo` is the standfirst: {text}");
        assert!(!text.contains("relire"), "{text}");
    }
    // A rename to a field that does not exist is an error at issue.yaml.
    let yaml = std::fs::read_to_string(dir.join("issue.yaml")).unwrap();
    write_files(&dir, &[("issue.yaml", &yaml.replace("chapo: standfirst", "chapo: standfrist"))]);
    let run = rotative(&["check", dir.to_str().unwrap(), "-q"]);
    let err = stderr(&run);
    assert_eq!(run.status.code(), Some(1), "{err}");
    assert!(err.contains("issue.yaml:") && err.contains("did you mean `standfirst`?"), "{err}");
}

#[test]
fn an_article_built_from_inside_articles_uses_its_issue() {
    let dir = copy_example("discovery");
    let articles = dir.join("articles");
    let run = rotative_in(&articles, &["build", "02-storm-warning.md", "-q"]);
    let err = stderr(&run);
    assert_eq!(run.status.code(), Some(0), "its photo in ../photos is found: {err}");
    let pdf = dir.join("out/02-storm-warning.pdf");
    assert!(pdf.is_file(), "written to the issue's out/: {err}");
    if let Some(text) = pdftotext(&pdf) {
        assert!(text.contains("Liberté Actus"), "the issue's masthead: {text}");
        assert!(text.contains("N° 1719"), "{text}");
    }
    // With no argument, `check` finds the issue of the current folder, or the one above.
    let report = dir.join("r.json");
    let run = rotative_in(&articles, &["check", "-q", "--report", report.to_str().unwrap()]);
    assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));
    assert_eq!(report_of(&report)["articles"].as_array().unwrap().len(), 3);
    // Outside any issue it is a usage error that says so.
    let run = rotative_in(&std::env::temp_dir(), &["check", "-q"]);
    assert_eq!(run.status.code(), Some(2));
    assert!(stderr(&run).contains("no issue.yaml"), "{}", stderr(&run));
}

#[test]
fn files_in_articles_that_issue_yaml_does_not_list_are_warned_about_or_built_with_all() {
    let dir = issue("unlisted", &[("a.md", article("title: Listé", &french_text(80)))], "");
    write_files(&dir, &[("articles/b.md", &article("title: Oublié", &french_text(80)))]);
    let report = dir.join("r.json");
    let run =
        rotative(&["check", dir.to_str().unwrap(), "-q", "--report", report.to_str().unwrap()]);
    let err = stderr(&run);
    assert_eq!(run.status.code(), Some(0), "{err}");
    assert!(err.contains("warning[unlisted-article]") && err.contains("articles/b.md"), "{err}");
    assert!(err.contains("issue.yaml:4:1"), "at the `articles:` line: {err}");
    assert_eq!(report_of(&report)["articles"].as_array().unwrap().len(), 1);
    // `articles: all` builds every file of articles/, in file-name order.
    let yaml = "publication: Le Veilleur\ndate: 2025-10-02\narticles: all\n";
    write_files(&dir, &[("issue.yaml", yaml)]);
    let run =
        rotative(&["check", dir.to_str().unwrap(), "-q", "--report", report.to_str().unwrap()]);
    let err = stderr(&run);
    assert_eq!(run.status.code(), Some(0), "{err}");
    assert!(!err.contains("unlisted"), "{err}");
    let files: Vec<String> = report_of(&report)["articles"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["file"].as_str().unwrap().rsplit('/').next().unwrap().to_string())
        .collect();
    assert_eq!(files, ["a.md", "b.md"]);
}

#[test]
fn five_mistakes_in_one_article_give_five_diagnostics_in_one_run() {
    let front = "title: Quatre fautes\nauteur: Jeanne\ndate: 2025-13-45\naccess: subscriber\n\
                 photo:\n  file: ../photos/absente.jpg\n  captoin: Le moulin";
    let dir = issue("four", &[("a.md", article(front, &french_text(60)))], "");
    let report = dir.join("r.json");
    let run = rotative(&["check", dir.to_str().unwrap(), "--report", report.to_str().unwrap()]);
    let err = stderr(&run);
    assert_eq!(run.status.code(), Some(1), "{err}");
    for (at, kind) in [
        ("a.md:3:1", "error[unknown-field]"),
        ("a.md:4:", "error[invalid-value]"),
        ("a.md:5:", "error[invalid-value]"),
        ("a.md:7:", "error[missing-photo]"),
        ("a.md:8:3", "error[unknown-field]"),
    ] {
        assert!(err.contains(at) && err.contains(kind), "{at} {kind}: {err}");
    }
    assert!(err.contains("did you mean `author`?"), "{err}");
    assert!(err.contains("unknown field `photo.captoin`") && err.contains("`caption`?"), "{err}");
    let json = report_of(&report);
    let errors = json["articles"][0]["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 5, "{errors:?}");
    let mut lines: Vec<u64> = errors.iter().map(|e| e["line"].as_u64().unwrap()).collect();
    lines.sort_unstable();
    assert_eq!(lines, [3, 4, 5, 7, 8]);
    // The summary line counts them.
    assert!(err.contains("5 error(s)"), "{err}");
}

#[test]
fn every_mistake_of_issue_yaml_is_reported_in_one_run() {
    let dir = issue("issue-mistakes", &[("a.md", article("title: Un", &french_text(60)))], "");
    let yaml = "publicaton: Le Veilleur\ndate: 2025-02-30\ncolumns: 3\ncolour: red\narticles: [articles/a.md]\n";
    write_files(&dir, &[("issue.yaml", yaml)]);
    let run = rotative(&["check", dir.to_str().unwrap()]);
    let err = stderr(&run);
    assert_eq!(run.status.code(), Some(1), "{err}");
    assert!(err.contains("issue.yaml:1:1: error[unknown-field]"), "{err}");
    assert!(err.contains("did you mean `publication`?"), "{err}");
    assert!(err.contains("issue.yaml:2:") && err.contains("that month has 28 days"), "{err}");
    assert!(err.contains("issue.yaml:4:1: error[unknown-field]"), "{err}");
    assert!(err.contains("3 error(s)"), "{err}");
}

#[test]
fn four_mistakes_of_four_kinds_give_four_diagnostics_in_one_run() {
    // A value of the wrong type used to stop the reading of the front matter there.
    let front = "title: Quatre sortes\nauteur: Jeanne\nreading_time: cinq\ndate: 2025-02-30\n\
                 photo: ../photos/absente.jpg";
    let dir = issue("four-kinds", &[("a.md", article(front, &french_text(60)))], "");
    let report = dir.join("r.json");
    let run = rotative(&["check", dir.to_str().unwrap(), "--report", report.to_str().unwrap()]);
    let err = stderr(&run);
    assert_eq!(run.status.code(), Some(1), "{err}");
    let json = report_of(&report);
    let errors = json["articles"][0]["errors"].as_array().unwrap();
    let found: Vec<(u64, u64, &str, &str)> = errors
        .iter()
        .map(|e| {
            let at = |k: &str| e[k].as_u64().unwrap_or(0);
            (at("line"), at("column"), e["kind"].as_str().unwrap(), e["field"].as_str().unwrap())
        })
        .collect();
    assert_eq!(
        found,
        [
            (3, 1, "unknown-field", "auteur"),
            (4, 15, "invalid-value", "reading_time"),
            (5, 7, "invalid-value", "date"),
            (6, 8, "missing-photo", "photo.file"),
        ],
        "{err}"
    );
    assert!(err.contains("a.md:4:15: error[invalid-value]") && err.contains("`cinq`"), "{err}");
    assert!(err.contains("4 error(s)"), "the summary counts them: {err}");
}

#[test]
fn mistakes_under_nested_keys_of_issue_yaml_are_all_reported() {
    let dir = issue("nested-mistakes", &[("a.md", article("title: Un", &french_text(60)))], "");
    let yaml = "publication: Le Veilleur\ndate: 2025-10-02\npage:\n  width: large\n  height: 470\n\
                qr:\n  placment: head\n  ec: Q\nfonts:\n  body: fonts/absente.ttf\n\
                columns: trois\nmargins: { top: x }\nstyles:\n  body:\n    size: grand\n\
                articles: [articles/a.md]\n";
    write_files(&dir, &[("issue.yaml", yaml)]);
    let report = dir.join("r.json");
    let run = rotative(&["check", dir.to_str().unwrap(), "--report", report.to_str().unwrap()]);
    let err = stderr(&run);
    assert_eq!(run.status.code(), Some(1), "{err}");
    let json = report_of(&report);
    let mut found: Vec<(u64, String, String)> = json["issue"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["severity"] == "error")
        .map(|d| {
            let text = |k: &str| d[k].as_str().unwrap_or_default().to_string();
            (d["line"].as_u64().unwrap_or(0), text("kind"), text("field"))
        })
        .collect();
    found.sort();
    let expected = [
        (4, "invalid-value", "page.width"),
        (7, "unknown-field", "qr.placment"),
        (10, "missing-font", "fonts.body"),
        (11, "invalid-value", "columns"),
        (12, "invalid-value", "margins"),
        (15, "invalid-value", "styles.body.size"),
    ]
    .map(|(line, kind, field)| (line, kind.to_string(), field.to_string()));
    assert_eq!(found, expected, "{err}");
    assert!(err.contains("issue.yaml:7:3: error[unknown-field]"), "{err}");
    assert!(err.contains("did you mean `placement`?"), "{err}");
    // The missing `width` after its wrong value was taken out is not a seventh error.
    assert!(!err.contains("missing field"), "{err}");
    assert!(err.contains("6 error(s)"), "the summary counts them: {err}");
}

/// An issue with the portrait photo of issue 1720 in `photos/`, and one article using it
/// with the photo fields `photo_fields`.
fn photo_issue(name: &str, photo_fields: &str, extra_yaml: &str) -> std::path::PathBuf {
    let front = format!(
        "title: Le moulin\nphoto:\n  file: ../photos/moulin-portrait.jpg\n  accept_low_resolution: true\n{photo_fields}"
    );
    let dir = issue(name, &[("a.md", article(&front, &french_text(200)))], extra_yaml);
    std::fs::create_dir_all(dir.join("photos")).unwrap();
    let photo = root().join("issues/liberte-actus-1720/photos/moulin-portrait.jpg");
    std::fs::copy(photo, dir.join("photos/moulin-portrait.jpg")).unwrap();
    dir
}

/// A page plan that sets the story `a.md` with its photo 10 lines deep.
const SIZED_PLAN: &str = "pages:
  - frames:
      - columns: 1-3
        depth: 40
        story: articles/a.md
        photo: { depth: 10 }
";

#[test]
fn a_portrait_photo_in_a_landscape_frame_gets_a_warning_naming_the_lost_share() {
    // Its depth given by the page plan: the size is the editor's, kept, and its crop said.
    let dir = photo_issue("portrait", "", &format!("columns: 3\n{SIZED_PLAN}"));
    let report = dir.join("r.json");
    let run =
        rotative(&["check", dir.to_str().unwrap(), "-q", "--report", report.to_str().unwrap()]);
    let err = stderr(&run);
    assert_eq!(run.status.code(), Some(0), "{err}");
    let json = report_of(&report);
    let warnings = json["articles"][0]["warnings"].as_array().unwrap();
    let crop = warnings.iter().find(|w| w["kind"] == "photo-crop").expect("a crop warning");
    let message = crop["message"].as_str().unwrap();
    assert!(
        message.contains("moulin-portrait.jpg") && message.contains("of its height"),
        "{message}"
    );
    // The share named is the one the frame cuts away: more than the default fifth.
    let share: f32 =
        message.split(" loses ").nth(1).unwrap().split(' ').next().unwrap().parse().unwrap();
    let (w, h) = (
        &json["articles"][0]["photos"][0]["frame_mm"][0],
        &json["articles"][0]["photos"][0]["frame_mm"][1],
    );
    assert!(w.as_f64().unwrap() > h.as_f64().unwrap(), "a landscape frame: {w} x {h}");
    assert!(share > 20.0, "{message}");
    assert_eq!(crop["line"], 3, "at the `photo` line: {crop}");
    // A limit above that share silences it; --strict refuses the crop otherwise.
    // (Without a plan, where the house frame crops within that limit and is kept.)
    let relaxed =
        photo_issue("portrait-relaxed", "", "columns: 3\nphoto:\n  max_crop_percent: 90\n");
    let run = rotative(&["check", relaxed.to_str().unwrap(), "-q", "--strict"]);
    assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));
    let run = rotative(&["check", dir.to_str().unwrap(), "-q", "--strict"]);
    assert_eq!(run.status.code(), Some(1), "{}", stderr(&run));
    assert!(stderr(&run).contains("error[photo-crop]"), "{}", stderr(&run));
}

#[test]
fn more_photo_columns_than_the_page_has_is_a_warning_not_a_silent_clamp() {
    let dir =
        photo_issue("columns", "  columns: 4\n", "columns: 3\nphoto:\n  max_crop_percent: 90\n");
    let run = rotative(&["check", dir.to_str().unwrap(), "-q"]);
    let err = stderr(&run);
    assert_eq!(run.status.code(), Some(0), "{err}");
    assert!(err.contains("warning[photo-columns]"), "{err}");
    assert!(err.contains("asks for 4 columns, but its frame has 3"), "{err}");
    assert!(err.contains("a.md:"), "{err}");
}

#[test]
fn a_website_image_is_the_photo() {
    let front =
        "title: Le moulin\nimage: ../photos/moulin-portrait.jpg\nsummary: Le moulin rouvre.";
    let dir =
        photo_issue("image", "", "photo:\n  max_crop_percent: 90\n  min_ppi: 1\n  warn_ppi: 1\n");
    write_files(&dir, &[("articles/a.md", &article(front, &french_text(200)))]);
    let report = dir.join("r.json");
    let run =
        rotative(&["check", dir.to_str().unwrap(), "-q", "--report", report.to_str().unwrap()]);
    assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));
    let json = report_of(&report);
    let photo = json["articles"][0]["photos"][0]["file"].as_str().unwrap_or_default();
    assert!(photo.ends_with("moulin-portrait.jpg"), "{json}");
}

/// Writes a `width` x `height` PNG photo (a gradient) to `path`.
fn write_photo(path: &Path, (width, height): (u32, u32)) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    let pixel = |x: u32, y: u32| image::Rgb([(x % 256) as u8, (y % 256) as u8, 128]);
    image::RgbImage::from_fn(width, height, pixel).save(path).unwrap();
}

/// Share of a photo of `pixels` its printed frame (width, height in mm, from the report)
/// crops away, and whether the frame is portrait.
fn crop_of(photo: &serde_json::Value) -> (f64, bool) {
    let number = |v: &serde_json::Value| v.as_f64().unwrap();
    let (w, h) = (number(&photo["frame_mm"][0]), number(&photo["frame_mm"][1]));
    let (pw, ph) = (number(&photo["pixels"][0]), number(&photo["pixels"][1]));
    let (frame, own) = (h / w, ph / pw);
    let lost = if frame < own { 1.0 - frame / own } else { 1.0 - own / frame };
    (lost, h > w)
}

/// An issue of three columns whose two articles have a 600 x 900 portrait photo and a
/// 900 x 600 landscape one, with `extra_yaml` (a page plan) and `portrait_fields` under
/// the portrait's `photo`.
fn shapes_issue(name: &str, portrait_fields: &str, extra_yaml: &str) -> std::path::PathBuf {
    let front = |title: &str, file: &str, fields: &str| {
        format!("title: {title}\nphoto:\n  file: ../photos/{file}\n{fields}")
    };
    let articles = [
        ("a.md", article(&front("Le clocher", "portrait.png", portrait_fields), &french_text(300))),
        ("b.md", article(&front("La plaine", "landscape.png", ""), &french_text(300))),
    ];
    let yaml = format!("columns: 3\nphoto:\n  warn_ppi: 100\n  min_ppi: 50\n{extra_yaml}");
    let dir = issue(name, &articles, &yaml);
    write_photo(&dir.join("photos/portrait.png"), (600, 900));
    write_photo(&dir.join("photos/landscape.png"), (900, 600));
    dir
}

/// Builds `dir` with a JSON report; returns stderr and the report.
fn build_with_report(dir: &Path) -> (String, serde_json::Value) {
    let (report, out) = (dir.join("r.json"), dir.join("out"));
    let args = ["build", dir.to_str().unwrap(), "-o", out.to_str().unwrap()];
    let run = rotative(&[&args[..], &["-q", "--report", report.to_str().unwrap()]].concat());
    let err = stderr(&run);
    assert_eq!(run.status.code(), Some(0), "{err}");
    (err, report_of(&report))
}

#[test]
fn a_portrait_photo_is_not_cut_in_half() {
    let dir = shapes_issue("own-shape", "", "");
    let (err, json) = build_with_report(&dir);
    assert!(!err.contains("photo-crop"), "{err}");
    let articles = json["articles"].as_array().unwrap();
    let warnings = |i: usize| articles[i]["warnings"].to_string();
    // The portrait photo gets a portrait frame, one column of three, and keeps at least
    // four fifths of its height (the default `max_crop_percent`).
    let portrait = &articles[0]["photos"][0];
    let (lost, upright) = crop_of(portrait);
    assert!(upright && lost <= 0.2, "{portrait} loses {lost}");
    assert!(!warnings(0).contains("photo-crop"), "{}", warnings(0));
    // The landscape photo keeps the house frame: two columns, 3:2 on the grid.
    let landscape = &articles[1]["photos"][0];
    let (lost, upright) = crop_of(landscape);
    assert!(!upright && lost <= 0.05, "{landscape} loses {lost}");
    let (w, p) = (landscape["frame_mm"][0].as_f64().unwrap(), portrait["frame_mm"][0].as_f64());
    assert!(w > 1.9 * p.unwrap(), "two columns against one: {landscape} {portrait}");
    // Its columns given (as the crop warning's hint says), it keeps them and its depth
    // follows its shape.
    let dir = shapes_issue("own-shape-column", "  columns: 1\n", "");
    let (err, json) = build_with_report(&dir);
    let (lost, upright) = crop_of(&json["articles"][0]["photos"][0]);
    assert!(upright && lost <= 0.2 && !err.contains("photo-crop"), "{err}");
}

#[test]
fn a_photo_size_the_page_plan_gives_is_kept_and_warned_of() {
    let plan = "pages:
  - frames:
      - columns: 1-3
        depth: 45
        story: articles/a.md
        photo: { columns: 2, depth: 12 }
      - columns: 1-3
        top: 45
        depth: foot
        story: articles/b.md
";
    let dir = shapes_issue("plan-size", "", &format!("copyfit: []\n{plan}"));
    let (err, json) = build_with_report(&dir);
    let portrait = &json["articles"][0]["photos"][0];
    let (lost, upright) = crop_of(portrait);
    assert!(!upright && lost > 0.5, "as the plan sized it: {portrait}");
    assert!(err.contains("warning[photo-crop]") && err.contains("portrait.png"), "{err}");
    // The plan's frame without a size: the photo's own shape, as in a sequential issue.
    let free_plan = plan.replace("        photo: { columns: 2, depth: 12 }\n", "");
    let free = shapes_issue("plan-free", "", &format!("copyfit: []\n{free_plan}"));
    let (err, json) = build_with_report(&free);
    let (lost, upright) = crop_of(&json["articles"][0]["photos"][0]);
    assert!(upright && lost <= 0.2, "{err}");
}
