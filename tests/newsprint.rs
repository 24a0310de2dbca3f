//! Print for newsprint: the default output condition, black and grey style colours, the ink
//! limit on style colours, CMYK photos of the output condition passed through without their
//! profile, and rebuilds told apart by ModDate and VersionID.

mod common;

use common::*;
use std::path::{Path, PathBuf};

/// Builds `issue` into `out` (emptied first), with `env`; returns the PDF and stderr.
fn build_issue(issue: &Path, out: &Path, args: &[&str], env: &[(&str, &str)]) -> (PathBuf, String) {
    let mut all = vec!["build", issue.to_str().unwrap(), "-o", out.to_str().unwrap()];
    all.extend_from_slice(args);
    let run = rotative_env(&all, env);
    assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));
    (pdfs_in(out).remove(0), stderr(&run))
}

/// The issue's `issue.yaml` with `from` replaced by `to`.
fn edit_yaml(issue: &Path, from: &str, to: &str) {
    let path = issue.join("issue.yaml");
    let yaml = std::fs::read_to_string(&path).unwrap();
    assert!(yaml.contains(from), "{from}");
    std::fs::write(&path, yaml.replacen(from, to, 1)).unwrap();
}

fn intent(doc: &lopdf::Document) -> &lopdf::Dictionary {
    let intents = doc.catalog().unwrap().get(b"OutputIntents").unwrap().as_array().unwrap();
    assert_eq!(intents.len(), 1);
    match &intents[0] {
        lopdf::Object::Reference(id) => doc.get_dictionary(*id).unwrap(),
        other => other.as_dict().unwrap(),
    }
}

fn text(dict: &lopdf::Dictionary, key: &[u8]) -> String {
    String::from_utf8_lossy(dict.get(key).unwrap().as_str().unwrap()).into_owned()
}

#[test]
fn newsprint_is_the_default_output_condition_with_its_registered_keys() {
    let issue = copy_example("np-default");
    // Nothing said about the output at all.
    let yaml = std::fs::read_to_string(issue.join("issue.yaml")).unwrap();
    let yaml = yaml.replacen("page: a4\n", "", 1);
    let start = yaml.find("\noutput:").unwrap();
    let end = yaml[start + 1..].find("\n\n").unwrap() + start + 1;
    std::fs::write(issue.join("issue.yaml"), format!("{}{}", &yaml[..start], &yaml[end..]))
        .unwrap();
    let (pdf, _) = build_issue(&issue, &issue.join("out"), &["-q"], &[]);
    let doc = lopdf::Document::load(&pdf).unwrap();
    let intent = intent(&doc);
    assert_eq!(text(intent, b"OutputConditionIdentifier"), "CGATS TR 002");
    assert_eq!(text(intent, b"RegistryName"), "http://www.color.org");
    let condition = text(intent, b"OutputCondition");
    assert_eq!(condition, "Newsprint coldset CGATS TR 002, 240% TAC, heavy GCR (rotative)");
    assert_eq!(text(intent, b"Info"), condition);
    let profile = doc
        .get_object(intent.get(b"DestOutputProfile").unwrap().as_reference().unwrap())
        .unwrap()
        .as_stream()
        .unwrap()
        .decompressed_content()
        .unwrap();
    let bundled = std::fs::read(root().join("icc/Newsprint-TR002.icc")).unwrap();
    assert!(profile == bundled, "the bundled newsprint profile is the output intent's");
    // The default page (A4 here, as the defaults): no crop marks, MediaBox = BleedBox.
    let page = doc.get_dictionary(doc.get_pages()[&1]).unwrap();
    assert_eq!(page.get(b"MediaBox").unwrap(), page.get(b"BleedBox").unwrap());
}

#[test]
fn fogra39_stays_selectable_and_its_photos_go_in_without_their_profile() {
    let issue = copy_example("np-fogra39");
    // Placed small, the storm photo is over 450 ppi and would be resampled: not here.
    edit_yaml(&issue, "icc_profile: newsprint", "icc_profile: fogra39\n  max_ppi: 1200");
    let (pdf, _) = build_issue(&issue, &issue.join("out"), &["-q"], &[]);
    let doc = lopdf::Document::load(&pdf).unwrap();
    assert_eq!(text(intent(&doc), b"OutputConditionIdentifier"), "FOGRA39");
    assert_eq!(text(intent(&doc), b"OutputCondition"), "Coated FOGRA39 (ISO 12647-2:2004)");
    // The storm photo is separated for FOGRA39 and embeds that profile (650 KB): under a
    // FOGRA39 intent it goes in as it is, without the APP2 segments the PDF never reads.
    let file = std::fs::read(issue.join("photos/storm-cmyk.jpg")).unwrap();
    let has_icc = |jpeg: &[u8]| jpeg.windows(14).any(|w| w.starts_with(b"ICC_PROFILE\0"));
    assert!(has_icc(&file) && file.len() > 1_000_000);
    let jpegs: Vec<Vec<u8>> = doc
        .objects
        .values()
        .filter_map(|o| o.as_stream().ok())
        .filter(|s| s.dict.get(b"Filter").and_then(|f| f.as_name()).ok() == Some(b"DCTDecode"))
        .map(|s| s.content.clone())
        .collect();
    // The same entropy-coded data: the file's last 100 KB.
    let tail = &file[file.len() - 100_000..];
    let storm = jpegs.iter().find(|j| j.ends_with(tail)).expect("the storm photo as it is");
    assert!(!has_icc(storm), "no ICC segments left");
    assert_eq!(
        file.len() - storm.len(),
        654_352 + 18 * 10,
        "the profile and its 10 segment headers"
    );
    // Under newsprint (the example's setting) the same photo is re-separated.
    let (pdf, log) = build_issue(&common::example_issue(), &temp_dir("np-example"), &[], &[]);
    assert!(log.contains("storm-cmyk.jpg is separated for another printing condition"), "{log}");
    let bytes = std::fs::read(pdf).unwrap();
    assert!(!bytes.windows(tail.len()).any(|w| w == tail));
}

/// An issue of one article whose styles say `styles`.
fn styled_issue(name: &str, styles: &str) -> PathBuf {
    let issue = copy_example(name);
    let yaml = std::fs::read_to_string(issue.join("issue.yaml")).unwrap();
    std::fs::write(issue.join("issue.yaml"), format!("{yaml}\nstyles:\n{styles}")).unwrap();
    issue
}

#[test]
fn a_style_colour_over_the_ink_limit_is_an_error_at_its_line() {
    let issue = styled_issue("np-tac", "  kicker:\n    color: [100, 100, 100, 100]\n");
    let line = std::fs::read_to_string(issue.join("issue.yaml")).unwrap().lines().count();
    let run = rotative(&["build", issue.to_str().unwrap(), "-q"]);
    assert_eq!(run.status.code(), Some(1));
    let log = stderr(&run);
    assert!(log.contains(&format!("issue.yaml:{line}:")), "{log}");
    assert!(log.contains("error[ink-limit]") && log.contains("400 % total ink"), "{log}");
    assert!(log.contains("styles.kicker.color"), "{log}");
    assert!(!issue.join("out").exists(), "nothing written");
}

#[test]
fn black_hex_text_is_solid_k_and_a_grey_is_black_ink_alone() {
    let issue = styled_issue(
        "np-hex",
        "  body:\n    color: \"#000000\"\n  headline:\n    color: \"#111\"\n  standfirst:\n    color: \"#808080\"\n",
    );
    let (pdf, log) = build_issue(&issue, &issue.join("out"), &["--standard", "pdf-x-1a"], &[]);
    assert!(
        log.contains("`#000000` is a grey, printed with black ink alone: CMYK 0/0/0/100 %"),
        "{log}"
    );
    assert!(
        log.contains("`#111` is a grey, printed with black ink alone: CMYK 0/0/0/100 %"),
        "{log}"
    );
    // Every text colour in the content streams is black ink alone: no rich black.
    let doc = lopdf::Document::load(&pdf).unwrap();
    let mut fills = std::collections::BTreeSet::new();
    for page in doc.get_pages().values() {
        let content = doc.get_and_decode_page_content(*page).unwrap();
        // The fill colour current when each piece of text is shown.
        let mut fill = Vec::new();
        for op in content.operations {
            match op.operator.as_str() {
                "k" => {
                    fill = op
                        .operands
                        .iter()
                        .map(|o| (o.as_float().unwrap() * 100.0).round() as i64)
                        .collect();
                }
                "Tj" | "TJ" => {
                    fills.insert(fill.clone());
                }
                _ => {}
            }
        }
    }
    assert!(fills.contains(&vec![0, 0, 0, 100]), "{fills:?}");
    assert!(fills.iter().all(|f| f[..3] == [0, 0, 0] || f[3] == 0), "rich black text: {fills:?}");
    assert!(
        fills.iter().any(|f| f[..3] == [0, 0, 0] && (30..70).contains(&f[3])),
        "the grey: {fills:?}"
    );
}

#[test]
fn a_changed_rebuild_gets_a_new_moddate_and_version_and_an_unchanged_one_stays_identical() {
    let issue = copy_example("np-version");
    let out = issue.join("out");
    let epoch = |s: &'static str| [("SOURCE_DATE_EPOCH", s)];
    let stamp = |pdf: &Path| {
        let bytes = std::fs::read(pdf).unwrap();
        let text = String::from_utf8_lossy(&bytes).into_owned();
        let between = |open: &str, close: char| {
            let start = text.rfind(open).unwrap() + open.len();
            text[start..].split(close).next().unwrap().to_string()
        };
        (
            between("/ModDate (", ')'),
            between("<xmpMM:VersionID>", '<'),
            between("<xmpMM:DocumentID>", '<'),
            bytes,
        )
    };
    let (pdf, _) = build_issue(&issue, &out, &["-q"], &epoch("1757000000"));
    let first = stamp(&pdf);
    assert_eq!((first.0.as_str(), first.1.as_str()), ("D:20250904153320Z", "1"));
    // Nothing changed, a later build: the same bytes.
    build_issue(&issue, &out, &["-q"], &epoch("1757500000"));
    assert!(stamp(&pdf).3 == first.3, "an unchanged rebuild is byte-identical");
    // An article changed: a new ModDate and the next version of the same document.
    let article = issue.join("articles/01-kazakhstan.md");
    let text = std::fs::read_to_string(&article).unwrap();
    std::fs::write(&article, text.replacen("Kazakhstan", "Kazakhstán", 1)).unwrap();
    build_issue(&issue, &out, &["-q"], &epoch("1757590245"));
    let second = stamp(&pdf);
    assert_eq!((second.0.as_str(), second.1.as_str()), ("D:20250911113045Z", "2"));
    assert_eq!(second.2, first.2, "the DocumentID is the document's, across versions");
    // Without SOURCE_DATE_EPOCH, the newest input's modification time, never 2000.
    let fresh = temp_dir("np-version-fresh");
    let (pdf, _) = build_issue(&issue, &fresh, &["-q"], &[]);
    let (moddate, version, ..) = stamp(&pdf);
    assert_eq!(version, "1");
    let year: i32 = moddate[2..6].parse().unwrap();
    assert!(year >= 2025, "{moddate}");
}

/// A CMYK JPEG of `width` x `height` made by `inks(x, y)`, untagged.
fn cmyk_jpeg(width: u16, height: u16, inks: impl Fn(u16, u16) -> [u8; 4]) -> Vec<u8> {
    let mut samples = Vec::with_capacity(usize::from(width) * usize::from(height) * 4);
    for y in 0..height {
        for x in 0..width {
            samples.extend_from_slice(&inks(x, y));
        }
    }
    let mut out = Vec::new();
    jpeg_encoder::Encoder::new(&mut out, 92)
        .encode(&samples, width, height, jpeg_encoder::ColorType::Cmyk)
        .unwrap();
    out
}

/// The highest total ink (percent) of any pixel inside the bleed box of each page of `pdf`,
/// from Ghostscript's CMYK separations at 72 dpi (what preflight renders at), as a PAM file
/// of four ink samples a pixel (255: solid) per page.
fn separated_peaks(pdf: &Path, dir: &Path) -> Vec<f64> {
    let doc = lopdf::Document::load(pdf).unwrap();
    let pages = doc.get_pages();
    let mut peaks = Vec::new();
    for (number, width, height, samples) in separations(pdf, dir) {
        let page = doc.get_dictionary(pages[&number]).unwrap();
        let number_at = |key: &[u8], i: usize| -> f64 {
            let array = page.get(key).unwrap().as_array().unwrap();
            array[i].as_float().unwrap().into()
        };
        // The bleed box in pixels (72 dpi: a pixel a point), rows from the top.
        let media_top = number_at(b"MediaBox", 3);
        let x0 = number_at(b"BleedBox", 0).ceil() as usize;
        let x1 = (number_at(b"BleedBox", 2).floor() as usize).min(width);
        let y0 = (media_top - number_at(b"BleedBox", 3)).ceil() as usize;
        let y1 = ((media_top - number_at(b"BleedBox", 1)).floor() as usize).min(height);
        let mut peak = 0u32;
        for y in y0..y1 {
            for pixel in samples[(y * width + x0) * 4..(y * width + x1) * 4].chunks_exact(4) {
                peak = peak.max(pixel.iter().map(|&v| u32::from(v)).sum());
            }
        }
        peaks.push(f64::from(peak) * 100.0 / 255.0);
    }
    peaks
}

/// An issue with every kind of photo a newsroom sends (RGB, FOGRA39-tagged CMYK, grey, an
/// untagged heavy CMYK photo and a 400 % test chart) prints within the ink limit on every
/// page, in PDF/X-1a and X-4 alike, as Ghostscript separates it.
#[test]
fn every_kind_of_photo_stays_under_the_ink_limit_on_the_separations() {
    if !have("gs") {
        return;
    }
    let issue = copy_example("np-mixed");
    // A 400 % chart: patches of every ink combination, solid and at 60 %.
    // 1,200 pixels: over 200 ppi across two columns, as preflight wants.
    let chart = cmyk_jpeg(1200, 800, |x, y| {
        let patch = (x / 150 + (y / 200) * 8) as u8;
        let level = if patch & 16 == 0 { 255 } else { 153 };
        std::array::from_fn(|ink| if patch & (1 << ink) != 0 { level } else { 0 })
    });
    // Untagged and heavy: shadows at 330 %, as a coated-paper separation has them.
    let heavy = cmyk_jpeg(1200, 800, |x, _| {
        let shade = (u32::from(x) * 210 / 1199) as u8;
        [shade, shade, shade.saturating_sub(10), shade.saturating_add(45).max(shade)]
    });
    std::fs::write(issue.join("photos/chart-400.jpg"), chart).unwrap();
    std::fs::write(issue.join("photos/heavy-untagged.jpg"), heavy).unwrap();
    for (name, photo) in [("04-chart", "chart-400.jpg"), ("05-heavy", "heavy-untagged.jpg")] {
        let front = format!(
            "kicker: Essai\ntitle: Une photo {name}\nstandfirst: Pour la presse.\n\
             date: 2025-09-09\nurl: https://liberte-actus.fr/{name}\n\
             photo:\n  file: ../photos/{photo}\n  credit: Rotative\n  caption: Mire.\n  columns: 2"
        );
        let body = format!("{}\n\n{}", french_text(180), french_text(160));
        std::fs::write(issue.join(format!("articles/{name}.md")), article(&front, &body)).unwrap();
    }
    edit_yaml(
        &issue,
        "  - articles/03-bibliotheque.md\n",
        "  - articles/03-bibliotheque.md\n  - articles/04-chart.md\n  - articles/05-heavy.md\n",
    );
    for standard in ["pdf-x-1a", "pdf-x-4"] {
        let out = issue.join(standard);
        let (pdf, log) = build_issue(&issue, &out, &["--standard", standard], &[]);
        assert!(log.contains("chart-400.jpg reaches 400 % total ink"), "{log}");
        assert!(log.contains("heavy-untagged.jpg reaches 3"), "{log}");
        let peaks = separated_peaks(&pdf, &out);
        for (page, peak) in peaks.iter().enumerate() {
            // 240 % and a point of rounding in the separations.
            assert!(*peak <= 241.0, "{standard} page {}: {peak:.1} % of ink", page + 1);
        }
        assert!(peaks.iter().any(|&p| p > 200.0), "the heavy photos print dark: {peaks:?}");
    }
}

/// `output_condition` renames the condition of a shop's profile file; beside a bundled
/// profile it would declare a press the file was not separated for: an error at its line.
#[test]
fn an_output_condition_beside_a_bundled_profile_is_an_error_at_its_line() {
    let issue = copy_example("np-condition");
    edit_yaml(&issue, "  tac: 240\n", "  tac: 240\n  output_condition: FOGRA39\n");
    let yaml = std::fs::read_to_string(issue.join("issue.yaml")).unwrap();
    let line = yaml.lines().position(|l| l.contains("output_condition: FOGRA39")).unwrap() + 1;
    let run = rotative(&["build", issue.to_str().unwrap(), "-q"]);
    assert_eq!(run.status.code(), Some(1));
    let log = stderr(&run);
    assert!(log.contains(&format!("issue.yaml:{line}:")), "{log}");
    assert!(log.contains("output.output_condition") && log.contains("CGATS TR 002"), "{log}");
    assert!(!issue.join("out").exists(), "nothing written");
}
