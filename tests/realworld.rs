//! Real-shaped article URLs through the whole pipeline: slugs with hyphens and underscores,
//! percent-encoded accents, a query string, 60 to 200 characters. On the printed page each
//! QR code decodes to its exact URL at 300 and 150 dpi, and the address printed under it is
//! the display form (no scheme, accents decoded), with no overlap anywhere.

mod common;

use common::*;

/// (URL as typed in the front matter, what the printed address reads once its lines are
/// joined again).
const URLS: [(&str, &str); 3] = [
    (
        "https://globalvoices.org/2020/01/15/access-to-wikipedia-restored-in-turkey-after-more-than-two-and-a-half-years/",
        "globalvoices.org/2020/01/15/access-to-wikipedia-restored-in-turkey-after-more-than-two-and-a-half-years/",
    ),
    (
        "https://fr.wikinews.org/wiki/France_:_faut-il_croire_en_la_suite_d%27Envoy%C3%A9_sp%C3%A9cial_%3F",
        "fr.wikinews.org/wiki/France_:_faut-il_croire_en_la_suite_d'Envoyé_spécial_%3F",
    ),
    (
        "https://www.liberte-actus.fr/region/2025/09/12/la-f%C3%AAte-de-la-bi%C3%A8re-d%C3%A9marre?utm_campaign=rentree&ref=une",
        "www.liberte-actus.fr/region/2025/09/12/la-fête-de-la-bière-démarre?utm_campaign=rentree&ref=une",
    ),
];

fn with_long_urls(name: &str, address_lines: usize) -> std::path::PathBuf {
    let dir = copy_example(name);
    let articles = ["01-kazakhstan.md", "02-storm-warning.md", "03-bibliotheque.md"];
    for ((file, (url, _)), id) in articles.iter().zip(URLS).zip(1719..) {
        let path = dir.join("articles").join(file);
        let text = std::fs::read_to_string(&path).unwrap();
        let text =
            text.replace(&format!("url: https://liberte-actus.fr/{id}"), &format!("url: {url}"));
        assert!(text.contains(url), "{file} has its url line");
        std::fs::write(&path, text).unwrap();
    }
    let yaml = std::fs::read_to_string(dir.join("issue.yaml")).unwrap();
    let yaml = yaml.replace("\nqr:\n", &format!("\nqr:\n  address_lines: {address_lines}\n"));
    let yaml = if yaml.contains("address_lines") {
        yaml
    } else {
        format!("{yaml}\nqr:\n  address_lines: {address_lines}\n")
    };
    std::fs::write(dir.join("issue.yaml"), yaml).unwrap();
    dir
}

#[test]
fn long_urls_scan_exactly_and_print_in_their_display_form() {
    let dir = with_long_urls("realworld-urls", 12);
    let out = dir.join("out");
    let run = rotative(&["build", dir.to_str().unwrap(), "-o", out.to_str().unwrap()]);
    assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));
    assert!(!stderr(&run).contains("overlap"), "{}", stderr(&run));
    let pdf = pdfs_in(&out).remove(0);
    if have("pdftoppm") && have("zbarimg") {
        let mut expected: Vec<&str> = URLS.iter().map(|(url, _)| *url).collect();
        expected.sort();
        for dpi in ["300", "150"] {
            assert_eq!(decode_printed_codes(&pdf, dpi, &format!("p{dpi}")), expected, "{dpi} dpi");
        }
    }
    // Measured on the rendered page by the team's tool: exact payloads, a quiet zone of at
    // least 4 modules on every side, read after a simulated newsprint print.
    if let Some((passed, report)) = qrcheck(&pdf) {
        assert!(passed, "{report}");
    }
    if let Some(found) = collide(&pdf) {
        assert_eq!(found, "", "collide.py finds nothing");
    }
    let Some(text) = pdftotext(&pdf) else { return };
    // The lines of the address follow one another in the text; joined, they give the
    // display form, and the encoded form is printed nowhere.
    let joined: String = text.lines().map(str::trim).collect();
    for (url, display) in URLS {
        assert!(joined.contains(display), "{display} is printed in:\n{text}");
        assert!(!joined.contains(&url["https://".len()..]) || url.find('%').is_none(), "{url}");
        assert!(!joined.contains("https://"), "no scheme is printed");
    }
}

#[test]
fn an_address_past_the_line_limit_warns_without_a_short_form() {
    let dir = with_long_urls("realworld-limit", 3);
    let run = rotative(&["check", dir.to_str().unwrap()]);
    assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));
    assert!(stderr(&run).contains("warning[long-address]"), "{}", stderr(&run));
    // With a pattern for the short form, it is printed instead and there is no warning.
    let yaml = std::fs::read_to_string(dir.join("issue.yaml")).unwrap();
    let yaml = yaml
        .replace("  address_lines: 3\n", "  address_lines: 3\n  short_url: \"{website}/{id}\"\n");
    std::fs::write(dir.join("issue.yaml"), yaml).unwrap();
    let out = dir.join("out");
    let run = rotative(&["build", dir.to_str().unwrap(), "-o", out.to_str().unwrap()]);
    assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));
    assert!(!stderr(&run).contains("long-address"), "{}", stderr(&run));
    let Some(text) = pdftotext(&pdfs_in(&out).remove(0)) else { return };
    // `{id}` is the leading digits of the file name: `01-kazakhstan.md` gives `01`.
    let joined: String = text.lines().map(str::trim).collect();
    assert!(joined.contains("liberte-actus.fr/01"), "{text}");
    assert!(!joined.contains("globalvoices.org/2020"), "the long form is not printed: {text}");
}

/// The example issue with `extra` in the first paragraph of the first article (line 18) and
/// `fonts` (YAML lines under `fonts:`, or nothing) in its `issue.yaml`.
fn with_text_and_fonts(name: &str, extra: &str, fonts: &str) -> std::path::PathBuf {
    let dir = copy_example(name);
    let path = dir.join("articles/01-kazakhstan.md");
    let text = std::fs::read_to_string(&path).unwrap();
    let first = "Une stratégie pragmatique";
    assert!(text.lines().nth(17).is_some_and(|l| l.starts_with(first)), "line 18 moved");
    std::fs::write(&path, text.replacen(first, &format!("Une stratégie {extra} pragmatique"), 1))
        .unwrap();
    if !fonts.is_empty() {
        let yaml = std::fs::read_to_string(dir.join("issue.yaml")).unwrap();
        std::fs::write(dir.join("issue.yaml"), format!("{yaml}\nfonts:\n{fonts}\n")).unwrap();
    }
    dir
}

/// Builds `dir` into `dir/out`; returns the PDF and standard error.
fn build(dir: &std::path::Path) -> (std::path::PathBuf, String) {
    let out = dir.join("out");
    let run = rotative(&["build", dir.to_str().unwrap(), "-o", out.to_str().unwrap()]);
    assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));
    (pdfs_in(&out).remove(0), stderr(&run))
}

/// `pdffonts` of a file, or `None` if poppler is missing.
fn pdffonts(pdf: &std::path::Path) -> Option<String> {
    if !have("pdffonts") {
        eprintln!("pdffonts missing: skipped");
        return None;
    }
    let out = std::process::Command::new("pdffonts").arg(pdf).output().unwrap();
    Some(String::from_utf8_lossy(&out.stdout).into_owned())
}

#[test]
fn an_emoji_is_drawn_from_the_fallback_font_named_in_issue_yaml() {
    let dir = with_text_and_fonts("realworld-fallback", "😀", "  fallback: [fonts/symbols.ttf]");
    std::fs::create_dir_all(dir.join("fonts")).unwrap();
    std::fs::copy(root().join("fonts/Symbola.ttf"), dir.join("fonts/symbols.ttf")).unwrap();
    let (pdf, err) = build(&dir);
    assert!(!err.contains("missing-glyph"), "{err}");
    assert!(err.contains("taken from Symbola"), "the mixed typefaces are reported: {err}");
    if let Some(fonts) = pdffonts(&pdf) {
        assert!(fonts.lines().any(|l| l.contains("+Symbola") && l.contains(" yes yes yes ")));
    }
    let Some(text) = pdftotext(&pdf) else { return };
    assert!(text.contains("stratégie 😀 pragmatique"), "{text}");
}

#[test]
fn by_default_the_bundled_symbol_font_draws_an_emoji() {
    let dir = with_text_and_fonts("realworld-symbola", "☎ 😀", "");
    let (pdf, err) = build(&dir);
    assert!(!err.contains("missing-glyph"), "{err}");
    if let Some(fonts) = pdffonts(&pdf) {
        assert!(fonts.contains("+Symbola"), "{fonts}");
    }
    let Some(text) = pdftotext(&pdf) else { return };
    assert!(text.contains("stratégie ☎ 😀 pragmatique"), "{text}");
}

#[test]
fn without_a_fallback_an_emoji_is_a_visible_box_that_extracts_as_fffd() {
    let dir = with_text_and_fonts("realworld-nofallback", "😀", "  fallback: []");
    let (pdf, err) = build(&dir);
    let warning = err.lines().find(|l| l.contains("warning[missing-glyph]")).unwrap_or_default();
    assert!(warning.contains("01-kazakhstan.md:18:"), "article and line: {err}");
    assert!(warning.contains("U+1F600"), "{warning}");
    if let Some(fonts) = pdffonts(&pdf) {
        assert!(!fonts.contains("Symbola"), "{fonts}");
    }
    let Some(text) = pdftotext(&pdf) else { return };
    assert!(text.contains("stratégie \u{FFFD} pragmatique"), "{text}");
    assert!(!text.contains('😀'));
    if !have("pdftoppm") {
        return;
    }
    // Where the text layer puts the replacement character, the page is inked: the box.
    let bbox = std::process::Command::new("pdftotext")
        .args(["-bbox", "-f", "1", "-l", "1"])
        .arg(&pdf)
        .arg("-")
        .output()
        .unwrap();
    let bbox = String::from_utf8_lossy(&bbox.stdout).into_owned();
    let word = bbox.lines().find(|l| l.contains(">\u{FFFD}</word>")).expect("a U+FFFD word");
    let coordinate = |name: &str| -> f32 {
        let start = word.find(&format!("{name}=\"")).unwrap() + name.len() + 2;
        word[start..].split('"').next().unwrap().parse().unwrap()
    };
    let (x0, y0, x1, y1) =
        (coordinate("xMin"), coordinate("yMin"), coordinate("xMax"), coordinate("yMax"));
    let scale = 300.0 / 72.0;
    let crop = |v: f32| ((v * scale).round() as i64).to_string();
    let prefix = pdf.with_file_name("box");
    let status = std::process::Command::new("pdftoppm")
        .args(["-r", "300", "-gray", "-f", "1", "-l", "1", "-singlefile"])
        .args(["-x", &crop(x0), "-y", &crop(y0), "-W", &crop(x1 - x0), "-H", &crop(y1 - y0)])
        .arg(&pdf)
        .arg(&prefix)
        .status()
        .unwrap();
    assert!(status.success());
    let pixels = read_pgm(&prefix.with_extension("pgm"));
    let dark = pixels.iter().filter(|&&p| p < 128).count();
    // An outline of half a point in a cell about 7 x 10 pt is some 10 % of its pixels;
    // an empty .notdef would leave none.
    assert!(dark * 20 > pixels.len(), "{dark} dark of {} pixels", pixels.len());
}

/// The grey pixels of a binary PGM file (`P5`, 8 bits), as `pdftoppm -gray` writes it.
fn read_pgm(path: &std::path::Path) -> Vec<u8> {
    let data = std::fs::read(path).unwrap();
    // Header: magic, width, height, maximum, each followed by one white-space byte.
    let mut fields = 0;
    let mut at = 0;
    while fields < 4 {
        while data[at].is_ascii_whitespace() {
            at += 1;
        }
        while !data[at].is_ascii_whitespace() {
            at += 1;
        }
        fields += 1;
    }
    assert!(data.starts_with(b"P5"));
    data[at + 1..].to_vec()
}

#[test]
fn a_c1_control_character_is_removed_with_a_warning() {
    let dir = with_text_and_fonts("realworld-control", "prag\u{8F}matique\u{7}", "");
    let (pdf, err) = build(&dir);
    let warning =
        err.lines().find(|l| l.contains("warning[control-character]")).unwrap_or_default();
    assert!(warning.contains("01-kazakhstan.md:18:"), "file and line: {err}");
    assert!(warning.contains("U+008F, U+0007"), "{warning}");
    assert!(!err.contains("missing-glyph"), "{err}");
    let Some(text) = pdftotext(&pdf) else { return };
    assert!(text.contains("stratégie pragmatique pragmatique"), "{text}");
    assert!(!text.contains('\u{8F}') && !text.contains('\u{7}'));
}

#[test]
fn a_fallback_font_that_cannot_be_used_is_an_error_at_its_line() {
    let dir = with_text_and_fonts("realworld-badfallback", "", "  fallback:\n    - nowhere.ttf");
    let run = rotative(&["check", dir.to_str().unwrap()]);
    assert_ne!(run.status.code(), Some(0));
    let yaml = std::fs::read_to_string(dir.join("issue.yaml")).unwrap();
    let line = yaml.lines().position(|l| l.contains("nowhere.ttf")).unwrap() + 1;
    assert!(stderr(&run).contains(&format!("issue.yaml:{line}:")), "{}", stderr(&run));
    assert!(stderr(&run).contains("error[missing-font]"), "{}", stderr(&run));
    let named = with_text_and_fonts("realworld-badname", "", "  fallback: [Wingdings]");
    let run = rotative(&["check", named.to_str().unwrap()]);
    assert_ne!(run.status.code(), Some(0));
    assert!(stderr(&run).contains("no bundled fallback font `Wingdings`"), "{}", stderr(&run));
}

/// Runs one of the team's measuring tools (`../shared/tools`, beside the repository or
/// its worktree folder) on `pdf`: whether it exited 0, and what it printed; `None` when the
/// tool, Python or its packages are missing.
fn shared_tool(name: &str, pdf: &std::path::Path, args: &[&str]) -> Option<(bool, String)> {
    let tool = ["../shared/tools", "../../shared/tools"]
        .iter()
        .map(|folder| root().join(folder).join(name))
        .find(|tool| tool.exists());
    let (Some(tool), true) = (tool, have("python3")) else {
        eprintln!("{name} missing: skipped");
        return None;
    };
    let out =
        std::process::Command::new("python3").arg(&tool).arg(pdf).args(args).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    if err.contains("ModuleNotFoundError") || err.contains("No such file or directory: 'zbarimg'") {
        eprintln!("{name} lacks a package: skipped ({err})");
        return None;
    }
    Some((out.status.success(), String::from_utf8_lossy(&out.stdout).into_owned() + &err))
}

/// What `collide.py` prints for `pdf` (nothing for a clean file).
fn collide(pdf: &std::path::Path) -> Option<String> {
    shared_tool("collide.py", pdf, &[]).map(|(_, printed)| printed)
}

/// `qrcheck.py --stress` on `pdf`: passed, and its report.
fn qrcheck(pdf: &std::path::Path) -> Option<(bool, String)> {
    shared_tool("qrcheck.py", pdf, &["--stress"])
}

#[test]
fn an_unbreakable_number_or_url_in_body_text_is_broken_inside_its_column() {
    let number = "1234567890123456789012345678901234567890";
    let url = "https://www.netzpolitik.org/2024/ein-sehr-langer-pfad/Verfassungsschutzbericht\
               Bundesamt_fuer_Verfassungsschutz_Jahresbericht";
    let dir = with_text_and_fonts("realworld-emergency", &format!("{number} et {url}"), "");
    let (pdf, err) = build(&dir);
    let warnings: Vec<&str> =
        err.lines().filter(|l| l.contains("warning[emergency-break]")).collect();
    assert_eq!(warnings.len(), 2, "{err}");
    assert!(warnings.iter().all(|w| w.contains("01-kazakhstan.md:18:")), "{err}");
    assert!(warnings[0].contains(number), "{}", warnings[0]);
    assert!(!err.contains("overfull-line") && !err.contains("overlap"), "{err}");
    if let Some(found) = collide(&pdf) {
        assert_eq!(found, "", "collide.py finds nothing");
    }
    let Some(text) = pdftotext(&pdf) else { return };
    // Broken between characters without a hyphen: the lines joined give the number back.
    let joined: String = text.lines().map(str::trim).collect();
    assert!(joined.contains(number), "{text}");
    assert!(!text.lines().any(|l| l.contains(number)), "the number is on more than one line");
}

#[test]
fn a_masthead_and_a_headline_with_words_wider_than_their_box_shrink_inside_the_trim() {
    let dir = copy_example("realworld-wide-heads");
    let yaml = std::fs::read_to_string(dir.join("issue.yaml")).unwrap();
    let yaml = yaml.replace(
        "publication: Liberté Actus",
        "publication: Liberté-Actus-Hebdomadaire-Régionale-des-Pays-de-la-Loire",
    );
    std::fs::write(dir.join("issue.yaml"), yaml).unwrap();
    let path = dir.join("articles/01-kazakhstan.md");
    let text = std::fs::read_to_string(&path).unwrap();
    let word = "Kazakhstanaustralopithécinesanticonstitutionnellement";
    std::fs::write(&path, text.replacen("title: Le Kazakhstan", &format!("title: Le {word}"), 1))
        .unwrap();
    let (pdf, err) = build(&dir);
    assert!(err.contains("the publication's name is set at"), "{err}");
    assert!(err.contains("warning[long-title]: headline set at"), "{err}");
    // Shrunk, not broken: the words stay whole.
    assert!(!err.contains("emergency-break") && !err.contains("overlap"), "{err}");
    if let Some(found) = collide(&pdf) {
        assert_eq!(found, "", "collide.py finds nothing");
    }
    let Some(text) = pdftotext(&pdf) else { return };
    assert!(text.contains(word), "{text}");
    assert!(text.contains("Liberté-Actus-Hebdomadaire-Régionale-des-Pays-de-la-Loire"), "{text}");
}

#[test]
fn a_qr_code_too_wide_for_a_narrow_column_falls_back_to_smaller_modules() {
    let dir = with_long_urls("realworld-narrow", 12);
    let yaml = std::fs::read_to_string(dir.join("issue.yaml")).unwrap();
    std::fs::write(dir.join("issue.yaml"), yaml.replace("columns: 3", "columns: 5")).unwrap();
    let (pdf, err) = build(&dir);
    // The build report gives the module size printed.
    let report = dir.join("report.json");
    let run = rotative(&["check", dir.to_str().unwrap(), "--report", report.to_str().unwrap()]);
    assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));
    let json = std::fs::read_to_string(&report).unwrap();
    let modules: Vec<f32> = json
        .split("\"module_mm\":")
        .skip(1)
        .map(|rest| rest.trim_start().split([',', '}']).next().unwrap().trim().parse().unwrap())
        .collect();
    assert_eq!(modules.len(), 3, "{json}");
    assert!(modules.iter().all(|m| (0.5..0.6).contains(m)), "{modules:?}");
    // 32 mm columns: versions 8 and 9 need 34.2 and 36.6 mm at 0.6 mm modules.
    let warnings: Vec<&str> = err.lines().filter(|l| l.contains("warning[qr-module]")).collect();
    assert_eq!(warnings.len(), 3, "{err}");
    assert!(warnings.iter().all(|w| w.contains("instead of 0.60 mm")), "{err}");
    assert!(!err.contains("overlap"), "{err}");
    if let Some(found) = collide(&pdf) {
        assert_eq!(found, "", "collide.py finds nothing");
    }
    if have("pdftoppm") && have("zbarimg") {
        let mut expected: Vec<&str> = URLS.iter().map(|(url, _)| *url).collect();
        expected.sort();
        assert_eq!(decode_printed_codes(&pdf, "300", "narrow"), expected);
    }
    if let Some((passed, report)) = qrcheck(&pdf) {
        assert!(passed, "{report}");
    }
    // Six columns (25.8 mm): the modules that would fit are too small to read after a
    // simulated print, and the block is declared too large, naming the URL's length.
    let yaml = std::fs::read_to_string(dir.join("issue.yaml")).unwrap();
    std::fs::write(dir.join("issue.yaml"), yaml.replace("columns: 5", "columns: 6")).unwrap();
    let run = rotative(&["check", dir.to_str().unwrap()]);
    assert_ne!(run.status.code(), Some(0));
    let err = stderr(&run);
    assert!(err.contains("error[qr-too-large]: the 112-character URL"), "{err}");
    assert!(err.contains("the largest that fit"), "{err}");
}
