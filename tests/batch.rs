//! The weekly issue in one command: continuous folios, split outputs, fault isolation with
//! a report, atomic writes and path safety.

mod common;

use common::*;
use std::path::{Path, PathBuf};

fn issue_with(name: &str, articles: &[(&str, String)], extra_yaml: &str) -> std::path::PathBuf {
    let dir = temp_dir(name);
    let mut yaml = format!(
        "publication: Le Veilleur\nnumber: \"42\"\ndate: 2025-10-02\nwebsite: https://veilleur.example\n{extra_yaml}articles:\n"
    );
    for (file, _) in articles {
        yaml.push_str(&format!("  - articles/{file}\n"));
    }
    write_files(&dir, &[("issue.yaml", &yaml)]);
    for (file, content) in articles {
        write_files(&dir, &[(&format!("articles/{file}"), content.as_str())]);
    }
    dir
}

fn long_article(title: &str, n: usize) -> String {
    let body: Vec<String> = (0..n).map(|_| french_text(90)).collect();
    article(
        &format!("title: {title}\nurl: https://veilleur.example/{}", title.len()),
        &body.join("\n\n"),
    )
}

/// Builds `dir` into `dir/<out>` with a JSON report beside it: (run, out folder, report).
fn build_with_report(
    dir: &Path,
    out: &str,
    extra: &[&str],
) -> (std::process::Output, PathBuf, PathBuf) {
    let (out, report) = (dir.join(out), dir.join("report.json"));
    let mut args = vec!["build", dir.to_str().unwrap(), "-o", out.to_str().unwrap(), "-q"];
    args.extend(["--report", report.to_str().unwrap()]);
    args.extend(extra);
    (rotative(&args), out, report)
}

fn report_of(path: &Path) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

#[test]
fn several_articles_get_continuous_folios_and_split_pages() {
    let dir = issue_with(
        "folios",
        &[
            ("a.md", long_article("Premier sujet", 14)),
            ("b.md", long_article("Deuxième sujet", 14)),
            ("c.md", long_article("Troisième sujet", 3)),
        ],
        "",
    );
    let (run, out, report) = build_with_report(&dir, "pages", &["--split", "pages"]);
    assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));
    let files = pdfs_in(&out);
    assert!(files.len() >= 3, "several pages: {files:?}");
    for (i, file) in files.iter().enumerate() {
        let name = file.file_name().unwrap().to_string_lossy();
        assert_eq!(name, format!("le-veilleur-2025-10-02-p{:02}.pdf", i + 1));
        let doc = lopdf::Document::load(file).unwrap();
        assert_eq!(doc.get_pages().len(), 1);
        if let Some(text) = pdftotext(file) {
            let folio = format!("page {}", i + 1);
            assert!(text.contains(&folio), "{name} has its folio `{folio}`:\n{text}");
            assert!(text.contains("N° 42"), "{name} names the issue number");
            if i == 0 {
                // The first article jumps to the next page and says so.
                assert!(text.contains("Suite page 2"), "{name} has its jump line:\n{text}");
            }
        }
    }
    let json = report_of(&report);
    assert_eq!(json["version"], 1);
    assert_eq!(json["ok"], true);
    let pages: Vec<Vec<u64>> = json["articles"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["pages"].as_array().unwrap().iter().map(|p| p.as_u64().unwrap()).collect())
        .collect();
    // Pages follow each other: each article starts where the previous ended or on the next.
    for pair in pages.windows(2) {
        let end = *pair[0].last().unwrap();
        let start = pair[1][0];
        assert!(start == end || start == end + 1, "{pages:?}");
    }
    let outputs = json["outputs"].as_array().unwrap();
    assert_eq!(outputs.len(), files.len());
    for output in outputs {
        assert_eq!(output["sha256"].as_str().unwrap().len(), 64);
        assert_eq!(output["pages"], 1);
    }
}

#[test]
fn split_articles_gives_one_pdf_per_article() {
    let dir = copy_example("split-articles");
    let out = dir.join("arts");
    let run = rotative(&[
        "build",
        dir.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
        "--split",
        "articles",
        "-q",
    ]);
    assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));
    let names: Vec<String> = pdfs_in(&out)
        .iter()
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, ["01-kazakhstan.pdf", "02-storm-warning.pdf", "03-bibliotheque.pdf"]);
}

#[test]
fn a_broken_article_does_not_sink_the_others() {
    let dir = issue_with(
        "isolation",
        &[
            ("good.md", long_article("Un bon article", 3)),
            ("broken.md", "---\ntitle: [unclosed\n---\n\nTexte.\n".to_string()),
            (
                "nophoto.md",
                article(
                    "title: Sans photo\nphoto:\n  file: ../photos/missing.jpg",
                    &french_text(50),
                ),
            ),
        ],
        "",
    );
    let (run, out, report) = build_with_report(&dir, "out", &["--allow-incomplete"]);
    let err = stderr(&run);
    assert_eq!(run.status.code(), Some(1), "{err}");
    assert!(err.contains("broken.md:2"), "broken YAML located: {err}");
    assert!(
        err.contains("nophoto.md:") && err.contains("missing.jpg"),
        "missing photo named: {err}"
    );
    let pdfs = pdfs_in(&out);
    assert_eq!(pdfs.len(), 1, "the good article is still built");
    if let Some(text) = pdftotext(&pdfs[0]) {
        assert!(text.contains("Un bon article"));
        assert!(!text.contains("Sans photo"));
        // The failed stories' places are marked.
        assert!(text.contains("MISSING: broken.md"), "{text}");
        assert!(text.contains("MISSING: nophoto.md"), "{text}");
    }
    let json = report_of(&report);
    assert_eq!(json["ok"], false);
    let statuses: Vec<&str> = json["articles"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["status"].as_str().unwrap())
        .collect();
    assert_eq!(statuses, ["ok", "failed", "failed"]);
    let broken = &json["articles"][1]["errors"][0];
    assert!(broken["file"].as_str().unwrap().ends_with("broken.md"));
    assert_eq!(broken["line"], 2);
    let photo = &json["articles"][2]["errors"][0];
    assert_eq!(photo["kind"], "missing-photo");
    assert!(photo["line"].as_u64().is_some());
}

/// The temporary files in `out`.
fn temporaries(out: &Path) -> Vec<String> {
    std::fs::read_dir(out)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".rotative-tmp-"))
        .collect()
}

/// A built one-article issue whose article was then changed, so a rebuild would replace
/// the PDF: (issue folder, output folder, the PDF, its bytes before the change).
fn built_then_changed(name: &str) -> (PathBuf, PathBuf, PathBuf, Vec<u8>) {
    let dir = issue_with(name, &[("a.md", long_article("Premier jet", 2))], "");
    let out = dir.join("out");
    let run = rotative(&["build", dir.to_str().unwrap(), "-o", out.to_str().unwrap(), "-q"]);
    assert_eq!(run.status.code(), Some(0));
    let pdf = pdfs_in(&out).remove(0);
    let before = std::fs::read(&pdf).unwrap();
    write_files(&dir, &[("articles/a.md", &long_article("Second jet", 2))]);
    (dir, out, pdf, before)
}

#[test]
fn a_failed_write_keeps_the_previous_pdf_and_leaves_no_temporary() {
    let (dir, out, pdf, before) = built_then_changed("atomic");
    let args = ["build", dir.to_str().unwrap(), "-o", out.to_str().unwrap(), "-q"];
    // The write fails halfway.
    let run = rotative_env(&args, &[("ROTATIVE_FAULT", "fail-write")]);
    assert_eq!(run.status.code(), Some(1), "{}", stderr(&run));
    assert_eq!(std::fs::read(&pdf).unwrap(), before, "the previous PDF is intact");
    let leftovers = temporaries(&out);
    assert!(leftovers.is_empty(), "no temporary file: {leftovers:?}");
}

#[cfg(unix)]
#[test]
fn a_run_killed_while_writing_keeps_the_previous_pdf() {
    let (dir, out, pdf, before) = built_then_changed("killed");
    let args = ["build", dir.to_str().unwrap(), "-o", out.to_str().unwrap(), "-q"];

    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_rotative"))
        .args(args)
        .env("ROTATIVE_FAULT", "pause-write")
        .spawn()
        .unwrap();
    // Wait until the temporary file exists, then interrupt the run as a user or a batch
    // scheduler would.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    loop {
        let temp = std::fs::read_dir(&out)
            .unwrap()
            .flatten()
            .any(|e| e.file_name().to_string_lossy().starts_with(".rotative-tmp-"));
        if temp {
            break;
        }
        assert!(std::time::Instant::now() < deadline, "the build never started writing");
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    std::process::Command::new("kill").arg("-TERM").arg(child.id().to_string()).status().unwrap();
    let status = child.wait().unwrap();
    assert!(!status.success());
    assert_eq!(std::fs::read(&pdf).unwrap(), before, "the previous PDF is intact");
    let names = temporaries(&out);
    assert!(names.is_empty(), "no temporary file left: {names:?}");
}

/// The shipped binary (`cargo build`, default features) must not obey `ROTATIVE_FAULT`. The
/// binary these tests run is built with the `fault-injection` feature (Cargo.toml's self
/// dev-dependency), so it cannot show that; this checks what decides it instead: the feature
/// is not a default one, and the variable is read only inside the module compiled with it.
#[test]
fn fault_injection_is_compiled_only_with_its_feature() {
    let manifest = std::fs::read_to_string(root().join("Cargo.toml")).unwrap();
    let defaults = manifest.lines().find(|l| l.trim_start().starts_with("default ="));
    assert!(defaults.is_none_or(|l| !l.contains("fault-injection")), "{defaults:?}");

    let output = std::fs::read_to_string(root().join("src/batch/output.rs")).unwrap();
    let gate = output
        .find("#[cfg(feature = \"fault-injection\")]\nmod fault {")
        .expect("the fault module is gated by the feature");
    let end = gate + output[gate..].find("\n}\n").expect("the end of the fault module");
    let reads: Vec<usize> =
        output.match_indices("env::var(\"ROTATIVE_FAULT\")").map(|(at, _)| at).collect();
    assert!(!reads.is_empty(), "the variable is read somewhere");
    assert!(reads.iter().all(|&at| gate < at && at < end), "read outside the gated module");

    let mut folders = vec![root().join("src")];
    while let Some(folder) = folders.pop() {
        for path in std::fs::read_dir(folder).unwrap().flatten().map(|e| e.path()) {
            if path.is_dir() {
                folders.push(path);
            } else if path.extension().is_some_and(|e| e == "rs")
                && !path.ends_with("batch/output.rs")
            {
                let text = std::fs::read_to_string(&path).unwrap();
                assert!(
                    !text.contains("ROTATIVE_FAULT"),
                    "{} reads ROTATIVE_FAULT",
                    path.display()
                );
            }
        }
    }
}

#[test]
fn a_rebuild_with_the_same_input_rewrites_nothing() {
    let dir = issue_with("unchanged", &[("a.md", long_article("Stable", 2))], "");
    let out = dir.join("out");
    let report = dir.join("r.json");
    let args = [
        "build",
        dir.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
        "-q",
        "--report",
        report.to_str().unwrap(),
    ];
    assert_eq!(rotative(&args).status.code(), Some(0));
    assert_eq!(report_of(&report)["outputs"][0]["status"], "written");
    assert_eq!(rotative(&args).status.code(), Some(0));
    assert_eq!(report_of(&report)["outputs"][0]["status"], "unchanged");
}

#[test]
fn photo_paths_outside_the_issue_are_refused() {
    let dir = issue_with(
        "outside",
        &[("a.md", article("title: Évasion\nphoto:\n  file: ../../secret.jpg", &french_text(40)))],
        "",
    );
    let run = rotative(&["build", dir.to_str().unwrap(), "-q"]);
    let err = stderr(&run);
    assert_eq!(run.status.code(), Some(1), "{err}");
    assert!(err.contains("path-outside"), "{err}");
    assert!(err.contains("a.md:"), "{err}");
}

#[test]
fn strict_turns_warnings_into_failures() {
    let dir = issue_with(
        "strict",
        &[(
            "a.md",
            article(
                "title: Mots -clé mal tapés",
                &format!("Un texte avec Mots -clé dedans. {}", french_text(40)),
            ),
        )],
        "",
    );
    let plain = rotative(&["build", dir.to_str().unwrap(), "-q"]);
    assert_eq!(plain.status.code(), Some(0), "{}", stderr(&plain));
    assert!(stderr(&plain).contains("warning["), "{}", stderr(&plain));
    let strict = rotative(&["build", dir.to_str().unwrap(), "-q", "--strict"]);
    assert_eq!(strict.status.code(), Some(1));
}

#[test]
fn report_to_stdout() {
    let dir = copy_example("report-stdout");
    let run = rotative(&["check", dir.to_str().unwrap(), "--report", "-", "-q"]);
    assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));
    let json: serde_json::Value = serde_json::from_str(&stdout(&run)).unwrap();
    assert_eq!(json["command"], "check");
    assert_eq!(json["articles"].as_array().unwrap().len(), 3);
    let photo = &json["articles"][0]["photos"][0];
    assert!(photo["ppi"].as_f64().unwrap() > 200.0);
    assert_eq!(json["articles"][0]["qr"]["payload"], "https://liberte-actus.fr/1719");
}

/// The page furniture (masthead, folio, jump line, boilerplate band) is set like the
/// articles, and a character no font has there is a warning about the issue, given once
/// however many pages repeat it.
#[test]
fn missing_glyphs_in_the_page_furniture_are_reported_once() {
    let dir = temp_dir("furniture-glyphs");
    let yaml = "publication: Le Journal 🦜\nlang: fr\nqr: { placement: off }\n\
                labels:\n  fr:\n    continued: \"Suite page {page} 续\"\n\
                boilerplate:\n  - title: 订阅\n    text: Abonnez-vous.\n\
                articles:\n  - articles/a.md\n";
    let body: Vec<String> = (0..30).map(|_| french_text(90)).collect();
    let text = article("title: Un long article", &body.join("\n\n"));
    write_files(&dir, &[("issue.yaml", yaml), ("articles/a.md", &text)]);
    let (run, _, report) = build_with_report(&dir, "out", &[]);
    assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));
    let report = report_of(&report);
    let pages = report["summary"]["pages"].as_u64().unwrap_or(0);
    assert!(pages >= 2, "the article jumps, so the folio repeats the publication: {report}");
    let issue = report["issue"].as_array().unwrap();
    let missing = |code: &str| {
        issue
            .iter()
            .filter(|d| d["kind"] == "missing-glyph")
            .filter(|d| d["message"].as_str().unwrap().contains(code))
            .count()
    };
    assert_eq!(missing("U+1F99C"), 1, "the parrot of the masthead and folios: {issue:?}");
    assert_eq!(missing("U+7EED"), 1, "the jump line: {issue:?}");
    assert_eq!(missing("U+8BA2"), 1, "the boilerplate's title: {issue:?}");
}

/// Every file of `dir` (hidden ones too) with its bytes; not the build cache's folder,
/// which holds no output (a failed build may still keep the QR symbols it checked).
fn snapshot(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .filter(|e| e.file_name() != ".rotative-cache")
        .map(|e| (e.file_name().to_string_lossy().into_owned(), std::fs::read(e.path()).unwrap()))
        .collect();
    files.sort();
    files
}

/// A mistake that fails an article: an unknown field.
fn broken(content: &str) -> String {
    content.replacen("---\n", "---\ntitel: Faute\n", 1)
}

#[test]
fn a_failed_article_leaves_the_previous_issue_pdf_byte_identical() {
    let b = long_article("Deuxième sujet", 3);
    let dir =
        issue_with("held", &[("a.md", long_article("Premier sujet", 3)), ("b.md", b.clone())], "");
    let (run, out, _) = build_with_report(&dir, "out", &[]);
    assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));
    let before = snapshot(&out);
    assert_eq!(pdfs_in(&out).len(), 1);
    // The other article changes too: the new PDF would differ, yet is not written.
    write_files(&dir, &[("articles/b.md", &broken(&b))]);
    write_files(&dir, &[("articles/a.md", &long_article("Premier sujet revu", 3))]);
    let (run, out, report) = build_with_report(&dir, "out", &[]);
    let err = stderr(&run);
    assert_eq!(run.status.code(), Some(1), "{err}");
    assert_eq!(snapshot(&out), before, "nothing in out/ changed, nothing new: {err}");
    assert!(err.contains("error[incomplete]") && err.contains("b.md"), "{err}");
    let json = report_of(&report);
    assert_eq!(json["ok"], false);
    assert!(json["outputs"].as_array().unwrap().is_empty());
    assert_eq!(json["withheld"].as_array().unwrap().len(), 1, "{json}");
    let incomplete = json["issue"].as_array().unwrap().iter().find(|d| d["kind"] == "incomplete");
    let message = incomplete.expect("the report says why")["message"].as_str().unwrap();
    assert!(message.contains("b.md") && message.contains("left as it was"), "{message}");
}

#[test]
fn strict_refuses_the_missing_marks_of_allow_incomplete() {
    let dir = issue_with(
        "strict-missing",
        &[("a.md", long_article("Premier sujet", 2)), ("b.md", broken(&long_article("Faux", 2)))],
        "",
    );
    let (run, out, report) = build_with_report(&dir, "out", &["--allow-incomplete", "--strict"]);
    let err = stderr(&run);
    assert_eq!(run.status.code(), Some(1), "{err}");
    assert!(!out.exists(), "nothing written under --strict: {err}");
    let json = report_of(&report);
    let refused = json["issue"].as_array().unwrap().iter().find(|d| d["kind"] == "incomplete");
    let refused = refused.expect("an error says why");
    assert_eq!(refused["severity"], "error");
    assert!(refused["message"].as_str().unwrap().contains("--strict"), "{refused}");
}

#[test]
fn allow_incomplete_keeps_page_numbers_and_marks_the_missing_story() {
    let issue = root().join("issues/liberte-actus-1720");
    let dir = copy_issue(&issue, "incomplete-1720");
    let (run, _, report) = build_with_report(&dir, "whole", &[]);
    assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));
    let whole = report_of(&report);
    let story = "articles/03-travaux-grande-rue.md";
    let text = std::fs::read_to_string(dir.join(story)).unwrap();
    write_files(&dir, &[(story, &broken(&text))]);
    let (run, out, report) = build_with_report(&dir, "marked", &["--allow-incomplete"]);
    let err = stderr(&run);
    assert_eq!(run.status.code(), Some(1), "an article failed: {err}");
    let marked = report_of(&report);
    assert_eq!(marked["summary"]["pages"], whole["summary"]["pages"], "{err}");
    let articles = |json: &serde_json::Value| -> Vec<(String, serde_json::Value)> {
        json["articles"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| (a["file"].as_str().unwrap().to_string(), a["pages"].clone()))
            .collect()
    };
    let mut missing_pages = Vec::new();
    for ((file, before), (_, after)) in articles(&whole).iter().zip(articles(&marked)) {
        if file.ends_with("03-travaux-grande-rue.md") {
            missing_pages =
                before.as_array().unwrap().iter().map(|p| p.as_u64().unwrap()).collect();
        } else {
            assert_eq!(before, &after, "{file} stays on its pages");
        }
    }
    assert!(!missing_pages.is_empty());
    let pdf = pdfs_in(&out).remove(0);
    if have("pdftotext") {
        let page = missing_pages[0].to_string();
        let text = std::process::Command::new("pdftotext")
            .args(["-f", &page, "-l", &page])
            .arg(&pdf)
            .arg("-")
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&text.stdout);
        assert!(text.contains("MISSING: 03-travaux-grande-rue.md"), "page {page}:\n{text}");
        assert!(text.contains(&format!("page {page}")) || text.contains(&page), "{text}");
    }
    let warning = marked["issue"].as_array().unwrap().iter().find(|d| d["kind"] == "missing-story");
    assert!(warning.is_some_and(|w| w["severity"] == "warning"), "{}", marked["issue"]);
}

#[test]
fn split_pages_with_a_failed_article_writes_only_the_pages_that_do_not_depend_on_it() {
    let c = long_article("Troisième sujet", 3);
    let dir = issue_with(
        "pages-held",
        &[
            ("a.md", long_article("Premier sujet", 14)),
            ("b.md", long_article("Deuxième sujet", 14)),
            ("c.md", c.clone()),
        ],
        "",
    );
    let (run, out, report) = build_with_report(&dir, "out", &["--split", "pages"]);
    assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));
    let pages_of_c: Vec<u64> = report_of(&report)["articles"][2]["pages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p.as_u64().unwrap())
        .collect();
    let before = snapshot(&out);
    write_files(&dir, &[("articles/c.md", &broken(&c))]);
    let (run, out, report) = build_with_report(&dir, "out", &["--split", "pages"]);
    let err = stderr(&run);
    assert_eq!(run.status.code(), Some(1), "{err}");
    assert_eq!(snapshot(&out), before, "every page file as it was: {err}");
    let json = report_of(&report);
    let name = |p: &serde_json::Value| {
        let path = PathBuf::from(p.as_str().unwrap());
        path.file_name().unwrap().to_string_lossy().into_owned()
    };
    let withheld: Vec<String> = json["withheld"].as_array().unwrap().iter().map(name).collect();
    let written: Vec<String> =
        json["outputs"].as_array().unwrap().iter().map(|o| name(&o["path"])).collect();
    // The pages before the failed story were made again (the same bytes); its own pages,
    // and the page the story before it ends on, were not.
    assert!(!written.is_empty() && !withheld.is_empty(), "{written:?} {withheld:?}");
    for page in pages_of_c {
        let file = format!("le-veilleur-2025-10-02-p{page:02}.pdf");
        assert!(withheld.contains(&file), "{file} depends on c.md: {withheld:?}");
    }
    for output in json["outputs"].as_array().unwrap() {
        assert_eq!(output["status"], "unchanged", "{output}");
    }
}

#[test]
fn a_shrinking_split_pages_build_removes_its_own_stale_page_file_and_nothing_else() {
    let articles = [
        ("a.md", long_article("Premier sujet", 14)),
        ("b.md", long_article("Deuxième sujet", 14)),
        ("c.md", long_article("Troisième sujet", 14)),
    ];
    let dir = issue_with("stale", &articles, "");
    let (run, out, _) = build_with_report(&dir, "out", &["--split", "pages"]);
    assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));
    let first = pdfs_in(&out);
    // A file rotative did not write, and the issue PDF of another kind of build.
    write_files(&out, &[("notes-de-la-maquette.pdf", "%PDF- not ours")]);
    let (run, _, _) = build_with_report(&dir, "out", &[]);
    assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));
    let issue_pdf = out.join("le-veilleur-2025-10-02.pdf");
    assert!(issue_pdf.is_file());
    // The issue loses its last article, and with it its last pages.
    let yaml = std::fs::read_to_string(dir.join("issue.yaml")).unwrap();
    write_files(&dir, &[("issue.yaml", &yaml.replace("  - articles/c.md\n", ""))]);
    let (run, _, report) = build_with_report(&dir, "out", &["--split", "pages", "--keep-stale"]);
    let err = stderr(&run);
    assert_eq!(run.status.code(), Some(0), "{err}");
    let json = report_of(&report);
    let stale = json["stale"].as_array().unwrap();
    let pages = json["summary"]["pages"].as_u64().unwrap() as usize;
    assert!(pages < first.len(), "the issue shrank: {pages} < {}", first.len());
    assert_eq!(stale.len(), first.len() - pages, "{json}");
    assert!(stale.iter().all(|s| s["removed"] == false), "{json}");
    assert!(first.iter().all(|p| p.is_file()), "--keep-stale keeps them");
    // Without --keep-stale they go, and only they.
    let (run, _, report) = build_with_report(&dir, "out", &["--split", "pages"]);
    assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));
    let json = report_of(&report);
    let stale = json["stale"].as_array().unwrap();
    assert_eq!(stale.len(), first.len() - pages, "{json}");
    assert!(stale.iter().all(|s| s["removed"] == true), "{json}");
    for (i, page) in first.iter().enumerate() {
        assert_eq!(page.is_file(), i < pages, "{}", page.display());
    }
    assert!(out.join("notes-de-la-maquette.pdf").is_file(), "a foreign file survives");
    assert!(issue_pdf.is_file(), "another kind of build's output survives");
}

#[test]
fn a_first_build_with_a_failed_article_creates_no_output_folder() {
    let dir = issue_with("no-folder", &[("a.md", broken(&long_article("Faux", 2)))], "");
    let (run, out, _) = build_with_report(&dir, "out", &[]);
    assert_eq!(run.status.code(), Some(1), "{}", stderr(&run));
    assert!(!out.exists(), "nothing written, not even a manifest");
}

/// The folio number of each page of `pdf` (its `page N`) on which `text` is found, read
/// back with pdftotext.
fn folios_with(pdf: &Path, text: &str) -> Option<Vec<u32>> {
    let all = pdftotext(pdf)?;
    let folio = |page: &str| -> Option<u32> {
        let after = page.split("· page ").nth(1)?;
        after.split_whitespace().next()?.parse().ok()
    };
    Some(all.split('\x0c').filter(|page| page.contains(text)).filter_map(folio).collect())
}

#[test]
fn allow_incomplete_in_the_flow_keeps_the_pages_the_story_took_in_the_last_build() {
    let middle = long_article("Deuxième sujet", 16);
    let dir = issue_with(
        "flow-held",
        &[
            ("a.md", long_article("Premier sujet", 3)),
            ("b.md", middle.clone()),
            ("c.md", long_article("Troisième sujet", 3)),
        ],
        "",
    );
    let (run, out, report) = build_with_report(&dir, "out", &[]);
    assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));
    let good = report_of(&report);
    let pdf = pdfs_in(&out).remove(0);
    let folios_before = folios_with(&pdf, "Troisième sujet");
    let pages = |json: &serde_json::Value, i: usize| json["articles"][i]["pages"].clone();
    assert!(pages(&good, 1).as_array().unwrap().len() >= 2, "the middle story spans pages");

    write_files(&dir, &[("articles/b.md", &broken(&middle))]);
    // Into the folder of the good build, whose manifest recorded where each story went.
    let (run, out, report) = build_with_report(&dir, "out", &["--allow-incomplete"]);
    let err = stderr(&run);
    assert_eq!(run.status.code(), Some(1), "the middle article failed: {err}");
    let marked = report_of(&report);
    assert_eq!(pages(&marked, 2), pages(&good, 2), "the third story keeps its pages: {err}");
    assert_eq!(marked["summary"]["pages"], good["summary"]["pages"]);
    let warning = marked["issue"].as_array().unwrap().iter().find(|d| d["kind"] == "missing-story");
    let message = warning.expect("the mark is reported")["message"].as_str().unwrap();
    let held = pages(&good, 1).as_array().unwrap().len();
    assert!(message.contains(&format!("keeps the {held} page(s)")), "{message}");
    if let Some(before) = folios_before {
        let pdf = pdfs_in(&out).remove(0);
        assert_eq!(folios_with(&pdf, "Troisième sujet"), Some(before.clone()), "{err}");
        assert!(!before.is_empty());
        assert!(pdftotext(&pdf).unwrap().contains("MISSING: b.md"));
    }

    // Into a fresh folder nothing is recorded: the warning says so, and the short mark
    // lets the third story move up.
    let (_, _, report) = build_with_report(&dir, "fresh", &["--allow-incomplete"]);
    let fresh = report_of(&report);
    let warning = fresh["issue"].as_array().unwrap().iter().find(|d| d["kind"] == "missing-story");
    let message = warning.expect("the mark is reported")["message"].as_str().unwrap();
    assert!(message.contains("no earlier build of the story is recorded"), "{message}");
    assert_ne!(pages(&fresh, 2), pages(&good, 2), "without the record the pages shift");
}
