//! The print edition of an article: the example issue builds with every element of the
//! seed in reading order, and bad input gets located errors and the right exit codes.

mod common;

use common::*;
use std::path::Path;

/// Builds the example issue into a temporary folder and returns the PDF path.
fn build_example(name: &str) -> std::path::PathBuf {
    let out = temp_dir(name);
    let run =
        rotative(&["build", example_issue().to_str().unwrap(), "-o", out.to_str().unwrap(), "-q"]);
    assert_eq!(run.status.code(), Some(0), "build failed:\n{}", stderr(&run));
    let pdfs = pdfs_in(&out);
    assert_eq!(pdfs.len(), 1, "one PDF for the issue: {pdfs:?}");
    pdfs[0].clone()
}

/// Asserts that `needles` appear in `haystack` in this order.
fn assert_in_order(haystack: &str, needles: &[&str]) {
    // pdftotext may break lines anywhere and keeps no-break spaces: compare on single spaces.
    let flat: String = haystack
        .replace(['\u{a0}', '\u{202f}'], " ")
        .replace("-\n", "")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    let mut from = 0;
    for needle in needles {
        match flat[from..].find(needle) {
            Some(at) => from += at + needle.len(),
            None => panic!("`{needle}` missing or out of order after byte {from} in:\n{flat}"),
        }
    }
}

#[test]
fn example_issue_has_every_seed_element_in_reading_order() {
    let pdf = build_example("seed-elements");
    let Some(text) = pdftotext(&pdf) else { return };
    assert_in_order(
        &text,
        &[
            "Liberté Actus",
            "Intégration eurasiatique",
            "Le Kazakhstan comme carrefour stratégique",
            "Mise à jour le 11 septembre 2025",
            "Temps de lecture : 3 minutes",
            "Accès abonné",
            "Mots-clés : BRICS · Kazakhstan · OCS · UEEA",
            "Au cœur des dynamiques eurasiatiques",
        ],
    );
    for element in [
        "Flashez le QR code suivant pour retrouver l’article en ligne",
        "Cet article est lisible à cette adresse sur le site Liberté Actus :",
        "liberte-actus.fr/1719",
        "Une puissance logistique au service de l’intégration régionale",
        "L’UEEA, moteur de l’intégration économique régionale",
        "BRICS+, OCS : une diplomatie d’équilibre",
        "Le Kazakhstan et les BRICS+",
        "Partenaire invité aux sommets BRICS+",
        "Fournisseur énergétique pour la Chine et l’Inde",
        "Membre de l’OCS, plateforme de convergence avec les BRICS",
        "Diplomatie multivectorielle : ouverture sans alignement",
        "Soutenez-nous",
        "Faites un don pour continuer l’aventure.",
        "Faire un don",
        "Marco Cogoni",
        "Coastal towns rehearse",
        "La bibliothèque du quartier",
    ] {
        assert_in_order(&text, &[element]);
    }
    // The printed address is not the seed's doubled scheme.
    assert!(!text.contains("https://https://"));
}

#[test]
fn example_pages_have_trim_inside_bleed_inside_media() {
    let pdf = build_example("boxes");
    let doc = lopdf::Document::load(&pdf).unwrap();
    let pages = doc.get_pages();
    assert!(pages.len() >= 2, "the example issue fills more than one page");
    for (_, id) in pages {
        let page = doc.get_dictionary(id).unwrap();
        let rect = |key: &[u8]| -> Vec<f32> {
            page.get(key)
                .unwrap()
                .as_array()
                .unwrap()
                .iter()
                .map(|v| v.as_float().or_else(|_| v.as_i64().map(|i| i as f32)).unwrap())
                .collect()
        };
        let (media, bleed, trim) = (rect(b"MediaBox"), rect(b"BleedBox"), rect(b"TrimBox"));
        // A4 trim.
        assert!((trim[2] - trim[0] - 595.28).abs() < 0.1, "trim width {trim:?}");
        assert!((trim[3] - trim[1] - 841.89).abs() < 0.1, "trim height {trim:?}");
        for i in 0..2 {
            assert!(media[i] <= bleed[i] && bleed[i] < trim[i]);
            assert!(media[i + 2] >= bleed[i + 2] && bleed[i + 2] > trim[i + 2]);
        }
    }
}

#[test]
fn a_bare_article_builds_without_issue_yaml() {
    let dir = temp_dir("bare");
    write_files(
        &dir,
        &[("note.md", &article("title: Une brève sans issue.yaml", &french_text(120)))],
    );
    let run = rotative(&["build", dir.join("note.md").to_str().unwrap(), "-q"]);
    assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));
    let pdf = dir.join("out/note.pdf");
    let Some(text) = pdftotext(&pdf) else { return };
    assert!(text.contains("Une brève sans issue.yaml"));
}

/// Runs a build on a one-article folder and returns (exit code, stderr, out folder).
fn build_bad(name: &str, files: &[(&str, &str)]) -> (Option<i32>, String, std::path::PathBuf) {
    let dir = temp_dir(name);
    write_files(&dir, files);
    let out = dir.join("out");
    let run = rotative(&["build", dir.to_str().unwrap(), "-o", out.to_str().unwrap(), "-q"]);
    (run.status.code(), stderr(&run), out)
}

fn assert_nothing_written(out: &Path) {
    let files: Vec<_> = std::fs::read_dir(out).map(|d| d.flatten().collect()).unwrap_or_default();
    assert!(files.is_empty(), "nothing may be written: {files:?}");
}

#[test]
fn malformed_yaml_is_located() {
    let (code, err, out) = build_bad(
        "malformed",
        &[("articles/a.md", "---\ntitle: \"Unclosed\nkicker: x\n---\n\nBody text.\n")],
    );
    assert_eq!(code, Some(1), "{err}");
    assert!(err.contains("a.md:"), "file named: {err}");
    assert!(err.contains("error["), "{err}");
    assert_nothing_written(&out);
}

#[test]
fn unknown_field_suggests_the_closest() {
    let (code, err, out) =
        build_bad("unknown", &[("articles/a.md", &article("titel: Bonjour", "Du texte."))]);
    assert_eq!(code, Some(1));
    assert!(err.contains("a.md:2:1"), "line and column: {err}");
    assert!(err.contains("unknown field `titel`"), "{err}");
    assert!(err.contains("did you mean `title`?"), "{err}");
    assert!(err.contains("titel: Bonjour"), "offending line shown: {err}");
    assert_nothing_written(&out);
}

#[test]
fn missing_photo_is_named() {
    let (code, err, out) = build_bad(
        "nophoto",
        &[(
            "articles/a.md",
            &article("title: Photo absente\nphoto:\n  file: ../photos/absent.jpg", "Du texte."),
        )],
    );
    assert_eq!(code, Some(1));
    assert!(err.contains("absent.jpg"), "{err}");
    assert!(err.contains("a.md:"), "{err}");
    assert_nothing_written(&out);
}

#[test]
fn missing_font_is_named() {
    let (code, err, out) = build_bad(
        "nofont",
        &[
            ("issue.yaml", "publication: Test\nfonts:\n  body:\n    regular: fonts/Nowhere.otf\n"),
            ("articles/a.md", &article("title: Police absente", "Du texte.")),
        ],
    );
    assert_eq!(code, Some(1));
    assert!(err.contains("Nowhere.otf"), "{err}");
    assert!(err.contains("issue.yaml"), "{err}");
    assert_nothing_written(&out);
}

#[test]
fn empty_body_is_an_error() {
    let (code, err, out) =
        build_bad("empty", &[("articles/a.md", &article("title: Rien à dire", ""))]);
    assert_eq!(code, Some(1));
    assert!(err.contains("empty-body") || err.contains("empty"), "{err}");
    assert_nothing_written(&out);
}

#[test]
fn a_300_word_headline_wraps_smaller_and_stays_on_the_page() {
    let headline = french_text(300).replace('.', "");
    let dir = temp_dir("longtitle");
    write_files(
        &dir,
        &[("articles/a.md", &article(&format!("title: {headline}"), &french_text(200)))],
    );
    let out = dir.join("out");
    let run = rotative(&["build", dir.to_str().unwrap(), "-o", out.to_str().unwrap(), "-q"]);
    let err = stderr(&run);
    assert_eq!(run.status.code(), Some(0), "{err}");
    assert!(err.contains("long-title"), "the shrink is reported: {err}");
    let pdf = &pdfs_in(&out)[0];
    if !have("pdftotext") {
        return;
    }
    // Every word of the headline is on the page: nothing ran off the trim.
    let bbox =
        std::process::Command::new("pdftotext").args(["-bbox"]).arg(pdf).arg("-").output().unwrap();
    let html = String::from_utf8_lossy(&bbox.stdout);
    for line in html.lines().filter(|l| l.contains("<word ")) {
        let attr = |name: &str| -> f32 {
            let start = line.find(&format!("{name}=\"")).unwrap() + name.len() + 2;
            line[start..].split('"').next().unwrap().parse().unwrap()
        };
        assert!(attr("xMax") <= 595.3 + 30.0 && attr("yMax") <= 841.9 + 30.0, "{line}");
    }
}

#[test]
fn usage_errors_exit_2() {
    assert_eq!(rotative(&["build"]).status.code(), Some(2));
    assert_eq!(rotative(&["frobnicate"]).status.code(), Some(2));
    assert_eq!(rotative(&["build", "/nonexistent/issue"]).status.code(), Some(2));
    let help = rotative(&["build", "--help"]);
    assert_eq!(help.status.code(), Some(0));
    assert!(stdout(&help).contains("--split"));
    assert!(stdout(&rotative(&["--version"])).contains(env!("CARGO_PKG_VERSION")));
}

#[test]
fn check_writes_nothing_and_lists_qr_codes() {
    let dir = copy_example("check");
    let run = rotative(&["check", dir.to_str().unwrap()]);
    let err = stderr(&run);
    assert_eq!(run.status.code(), Some(0), "{err}");
    assert!(err.contains("https://liberte-actus.fr/1719"), "{err}");
    assert!(err.contains("version 3"), "{err}");
    assert!(!dir.join("out").exists());
}

#[test]
fn init_scaffolds_a_buildable_issue() {
    let dir = temp_dir("init").join("new-issue");
    let run = rotative(&["init", dir.to_str().unwrap()]);
    assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));
    assert!(dir.join("issue.yaml").is_file());
    let build = rotative(&["build", dir.to_str().unwrap(), "-q"]);
    assert_eq!(build.status.code(), Some(0), "{}", stderr(&build));
    assert_eq!(pdfs_in(&dir.join("out")).len(), 1);
}

/// A keywords line that wraps breaks after a separator, never before it: no line of the
/// keywords starts with "·", at any of several widths of the line's words.
#[test]
fn keyword_separators_never_start_a_line() {
    let keywords = [
        "BRICS",
        "Kazakhstan",
        "OCS",
        "UEEA",
        "corridor transcaspien",
        "Astana",
        "fret ferroviaire",
        "Chine",
        "Union européenne",
        "hubs logistiques",
        "numérisation",
        "diplomatie multivectorielle",
        "Russie",
        "Asie centrale",
        "Caspienne",
        "ports secs",
        "douanes",
        "Khorgos",
    ];
    for (i, count) in [18, 17, 15, 13, 11].into_iter().enumerate() {
        let front = format!("title: Mots-clés {i}\nkeywords: [{}]", keywords[..count].join(", "));
        let dir = temp_dir(&format!("keywords-{i}"));
        write_files(&dir, &[("note.md", &article(&front, &french_text(120)))]);
        let run = rotative(&["build", dir.join("note.md").to_str().unwrap(), "-q"]);
        assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));
        let Some(text) = pdftotext(&dir.join("out/note.pdf")) else { return };
        assert!(text.contains(keywords[count - 1]), "{text}");
        for line in text.lines() {
            assert!(
                !line.trim_start().starts_with('·'),
                "a line starts with its separator: {line:?}"
            );
        }
    }
}
