//! Tests of the whole stage: folders and files on disk to an [`Issue`].

use std::path::{Path, PathBuf};

use super::*;
use crate::color::Color;
use crate::geom::mm;
use crate::model::{self, Access, BlockKind, Date, FontSource, Issue, Lang};

/// A scratch folder removed at the end of the test.
struct Scratch(PathBuf);

impl Scratch {
    fn new(name: &str) -> Scratch {
        let dir = std::env::temp_dir().join(format!("rotative-load-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        Scratch(dir)
    }

    fn write(&self, rel: &str, content: impl AsRef<[u8]>) -> PathBuf {
        let path = self.0.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, content).unwrap();
        path
    }

    fn image(&self, rel: &str, width: u32, height: u32) -> PathBuf {
        let path = self.0.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        image::RgbImage::new(width, height).save(&path).unwrap();
        path
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

const STRICT: LoadOptions = LoadOptions { allow_outside: false, photo_proofs: None, auto: false };

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/load").join(name)
}

/// The one article of an issue, or its errors.
fn only(issue: &Issue) -> &Result<model::Article, Vec<Diagnostic>> {
    assert_eq!(issue.articles.len(), 1, "{:?}", issue.articles);
    &issue.articles[0].article
}

fn errors_of(issue: &Issue) -> &[Diagnostic] {
    match only(issue) {
        Ok(a) => panic!("expected errors, got article {:?}", a.title),
        Err(e) => e,
    }
}

/// The first error of the only article at `path`.
fn first_article_error(path: &Path) -> Diagnostic {
    errors_of(&load_issue(path, &STRICT).unwrap())[0].clone()
}

fn texts(spans: &[model::InlineRun]) -> String {
    spans.iter().map(|s| s.text.as_str()).collect()
}

#[test]
fn seed_issue_loads_with_blocks_on_their_lines() {
    let issue = load_issue(&fixture("seed"), &STRICT).unwrap();
    assert!(issue.warnings.is_empty(), "{:?}", issue.warnings);
    let article = only(&issue).as_ref().unwrap();
    assert!(article.warnings.is_empty(), "{:?}", article.warnings);
    assert_eq!(article.kicker.as_deref(), Some("Intégration eurasiatique"));
    assert!(article.title.starts_with("Le Kazakhstan comme carrefour"));
    assert_eq!(article.updated, Some(Date { year: 2025, month: 9, day: 11 }));
    assert_eq!(article.access, Some(Access::Subscribers));
    assert_eq!(article.url.as_deref(), Some("https://liberte-actus.fr/1719"));
    assert_eq!(article.url_line, Some(7));
    assert_eq!(article.keywords, ["BRICS", "Kazakhstan", "OCS", "UEEA"]);
    assert_eq!(article.lang, Lang::Fr);

    let photo = article.photo.as_ref().unwrap();
    assert_eq!((photo.width_px, photo.height_px), (600, 400));
    assert_eq!(photo.credit.as_deref(), Some("artaxerxes_longhand/shutterstock"));
    assert_eq!(photo.line, Some(9));
    assert!(photo.path.is_absolute() && photo.path.ends_with("photos/kazakhstan.jpg"));

    let shape: Vec<(&str, usize)> = article
        .body
        .iter()
        .map(|b| {
            let kind = match &b.kind {
                BlockKind::Paragraph(_) => "p",
                BlockKind::Intertitle(_) => "h",
                BlockKind::Quote(_) => "q",
                BlockKind::List(_) => "list",
                BlockKind::Sidebar { .. } => "box",
            };
            (kind, b.line)
        })
        .collect();
    assert_eq!(
        shape,
        [
            ("p", 13),
            ("p", 15),
            ("h", 17),
            ("p", 19),
            ("p", 21),
            ("h", 23),
            ("p", 25),
            ("h", 27),
            ("p", 29),
            ("p", 31),
            ("box", 33)
        ]
    );
    let BlockKind::Intertitle(h) = &article.body[7].kind else { unreachable!() };
    assert_eq!(texts(h), "BRICS+, OCS : une diplomatie d’équilibre");
    let BlockKind::Sidebar { title, blocks } = &article.body[10].kind else { unreachable!() };
    assert_eq!(texts(title), "Le Kazakhstan et les BRICS+");
    assert_eq!(blocks.len(), 1);
    assert_eq!(blocks[0].line, 34);
    let BlockKind::List(items) = &blocks[0].kind else { panic!("{blocks:?}") };
    assert_eq!(items.len(), 4);
    assert_eq!(texts(&items[3]), "Diplomatie multivectorielle : ouverture sans alignement");
}

#[test]
fn seed_issue_settings_override_defaults() {
    let issue = load_issue(&fixture("seed"), &STRICT).unwrap();
    let c = &issue.config;
    assert_eq!(c.publication, "Liberté Actus");
    assert_eq!(c.number.as_deref(), Some("1719"));
    assert_eq!(c.date, Some(Date { year: 2025, month: 9, day: 11 }));
    // Berliner: 315 x 470 mm.
    assert!((c.page.width - 892.913).abs() < 0.01, "{}", c.page.width);
    assert!((c.page.height - 1332.283).abs() < 0.01, "{}", c.page.height);
    assert_eq!(c.page.margin_top, mm(18.0));
    assert_eq!(c.page.margin_inner, mm(14.0));
    assert_eq!(c.page.columns, 5);
    assert_eq!(c.page.gutter, mm(4.0));
    // Untouched keys keep their defaults.
    assert_eq!(c.page.baseline, 11.5);
    assert_eq!(c.words_per_minute, 230);
    assert_eq!(c.styles.kicker.color, Color::Cmyk(0.0, 1.0, 1.0, 0.0));
    assert!(c.styles.kicker.uppercase);
    assert_eq!((c.styles.body.size, c.styles.body.leading), (9.0, 11.0));
    assert_eq!(c.labels.len(), 1);
    assert_eq!(c.labels[0].0, Lang::Fr);
    assert_eq!(c.labels[0].1.reading_time.as_deref(), Some("Lecture : {minutes} min"));
    assert_eq!(c.boilerplate[0].action.as_deref(), Some("Faire un don"));
    assert!(c.boilerplate[0].text.iter().any(|s| s.text == "unique" && s.emphasis.italic));
    assert_eq!(c.qr.tracking, [("utm_source".to_string(), "print".to_string())]);
    assert!(issue.config_file.is_some());
    assert!(issue.root.is_absolute());
}

#[test]
fn defaults_give_an_a4_three_column_page_with_bundled_fonts() {
    let c = default_config();
    assert_eq!((c.page.width, c.page.height), (mm(210.0), mm(297.0)));
    assert_eq!(c.page.columns, 3);
    assert_eq!(c.page.margin_outer, mm(15.0));
    assert_eq!(c.lang, Lang::Fr);
    assert_eq!(c.fonts.body.regular, FontSource::Bundled("LiberationSerif-Regular".into()));
    assert_eq!(c.fonts.heading.bold, FontSource::Bundled("LiberationSans-Bold".into()));
    // Every bundled face named by the defaults exists.
    for family in [&c.fonts.body, &c.fonts.heading, &c.fonts.kicker, &c.fonts.caption] {
        for face in [&family.regular, &family.italic, &family.bold, &family.bold_italic] {
            let FontSource::Bundled(name) = face else { panic!("{face:?}") };
            assert!(crate::fonts::bundled_names().any(|n| n == name), "{name}");
        }
    }
    assert_eq!((c.styles.body.size, c.styles.body.leading), (9.5, 11.5));
    assert_eq!(c.styles.body.leading, c.page.baseline);
}

#[test]
fn a_bare_article_file_builds_with_defaults() {
    let dir = Scratch::new("bare");
    let file = dir.write("a.md", "---\ntitle: Bonjour\n---\nUn paragraphe.\n");
    let issue = load_issue(&file, &STRICT).unwrap();
    assert!(issue.config_file.is_none());
    assert_eq!(issue.config.publication, "rotative");
    assert_eq!(issue.root, std::fs::canonicalize(&dir.0).unwrap());
    let article = only(&issue).as_ref().unwrap();
    assert_eq!(article.title, "Bonjour");
    assert_eq!(article.body[0].line, 4);
}

#[test]
fn a_lone_article_inside_an_issue_uses_its_settings() {
    let dir = Scratch::new("lone");
    dir.write("issue.yaml", "publication: Le Journal\ncolumns: 4\n");
    let file = dir.write("articles/a.md", "---\ntitle: T\n---\nTexte.\n");
    let issue = load_issue(&file, &STRICT).unwrap();
    assert_eq!(issue.config.publication, "Le Journal");
    assert_eq!(issue.config.page.columns, 4);
    assert!(only(&issue).is_ok());
}

#[test]
fn unknown_front_matter_field_is_located_with_a_suggestion() {
    let dir = Scratch::new("titel");
    let file = dir.write("a.md", "---\nkicker: K\ntitel: Bonjour\n---\nTexte.\n");
    let issue = load_issue(&file, &STRICT).unwrap();
    let d = &errors_of(&issue)[0];
    assert_eq!(d.kind, "unknown-field");
    assert_eq!(d.message, "unknown field `titel`");
    assert_eq!(d.file.as_deref(), Some(file.as_path()));
    assert_eq!((d.line, d.column), (Some(3), Some(1)));
    assert_eq!(d.snippet.as_deref(), Some("titel: Bonjour"));
    assert_eq!(d.field.as_deref(), Some("titel"));
    assert_eq!(d.hint.as_deref(), Some("did you mean `title`?"));
}

#[test]
fn malformed_front_matter_gives_a_line() {
    let dir = Scratch::new("malformed");
    let file =
        dir.write("a.md", "---\ntitle: Bonjour\nkicker: \"Pas fermé\nlang: fr\n---\nTexte.\n");
    let issue = load_issue(&file, &STRICT).unwrap();
    let d = &errors_of(&issue)[0];
    assert_eq!(d.kind, "yaml");
    // The quote opens on line 3; the parser may notice on line 3 or later.
    assert!(d.line.is_some_and(|l| (3..=5).contains(&l)), "{d}");
    assert!(d.column.is_some() && d.snippet.is_some(), "{d}");
}

#[test]
fn unquoted_colon_in_a_title_gets_a_quoting_hint() {
    let dir = Scratch::new("colon");
    let file = dir.write("a.md", "---\ntitle: BRICS+: une diplomatie\n---\nTexte.\n");
    let issue = load_issue(&file, &STRICT).unwrap();
    let d = &errors_of(&issue)[0];
    assert_eq!(d.kind, "yaml");
    assert_eq!(d.line, Some(2), "{d}");
    assert!(d.hint.as_deref().is_some_and(|h| h.contains("quotes")), "{d}");
}

#[test]
fn missing_front_matter_title_and_body_are_errors() {
    let dir = Scratch::new("missing");
    let none = dir.write("none.md", "Juste du texte.\n");
    let d = first_article_error(&none);
    assert_eq!((d.kind, d.line), ("missing-title", Some(1)));

    let untitled = dir.write("untitled.md", "---\nkicker: K\n---\nTexte.\n");
    let d = first_article_error(&untitled);
    assert_eq!(d.kind, "missing-title");

    let empty = dir.write("empty.md", "---\ntitle: T\n---\n\n## Seulement un intertitre\n");
    let d = first_article_error(&empty);
    assert_eq!(d.kind, "empty-body");
}

#[test]
fn bad_values_are_explained() {
    let dir = Scratch::new("values");
    let file = dir
        .write("a.md", "---\ntitle: T\naccess: premium\ndate: 2025-02-30\nlang: xx\n---\nTexte.\n");
    let errors = errors_of(&load_issue(&file, &STRICT).unwrap()).to_vec();
    let summary: Vec<(&str, Option<usize>, Option<&str>)> =
        errors.iter().map(|d| (d.kind, d.line, d.field.as_deref())).collect();
    assert_eq!(
        summary,
        [
            ("invalid-value", Some(4), Some("date")),
            ("invalid-value", Some(3), Some("access")),
            ("invalid-value", Some(5), Some("lang")),
        ]
    );
    assert!(errors[0].message.contains("28 days"));
    assert_eq!(errors[1].message, "unknown access `premium`");
    assert_eq!(errors[1].hint.as_deref(), Some("expected `subscribers` or `free`"));
}

#[test]
fn keywords_as_a_comma_separated_text() {
    let dir = Scratch::new("keywords");
    let file = dir.write("a.md", "---\ntitle: T\nkeywords: BRICS, Kazakhstan ,OCS\n---\nTexte.\n");
    let issue = load_issue(&file, &STRICT).unwrap();
    assert_eq!(only(&issue).as_ref().unwrap().keywords, ["BRICS", "Kazakhstan", "OCS"]);
}

#[test]
fn long_titles_are_a_warning_not_an_error() {
    let dir = Scratch::new("long");
    let title = vec!["mot"; 300].join(" ");
    let file = dir.write("a.md", format!("---\ntitle: {title}\n---\nTexte.\n"));
    let issue = load_issue(&file, &STRICT).unwrap();
    let article = only(&issue).as_ref().unwrap();
    assert_eq!(article.warnings.len(), 1);
    assert_eq!(article.warnings[0].kind, "long-title");
}

#[test]
fn missing_photo_names_the_file() {
    let dir = Scratch::new("nophoto");
    let file = dir.write(
        "articles/a.md",
        "---\ntitle: T\nphoto:\n  file: ../photos/absente.jpg\n  credit: X\n---\nTexte.\n",
    );
    let issue = load_issue(&dir.0, &STRICT).unwrap();
    assert_eq!(issue.articles[0].path, file);
    let d = &errors_of(&issue)[0];
    assert_eq!(d.kind, "missing-photo");
    assert!(d.message.contains("`../photos/absente.jpg`"), "{}", d.message);
    assert!(d.message.contains("photos/absente.jpg"));
    assert_eq!((d.line, d.column), (Some(4), Some(9)));
    assert_eq!(d.field.as_deref(), Some("photo.file"));
}

#[test]
fn photos_outside_the_issue_are_refused_unless_allowed() {
    let dir = Scratch::new("outside");
    dir.image("elsewhere/p.png", 40, 30);
    dir.write("issue/issue.yaml", "publication: P\n");
    dir.write("issue/articles/a.md", "---\ntitle: T\nphoto: ../../elsewhere/p.png\n---\nTexte.\n");
    let issue_dir = dir.0.join("issue");
    let issue = load_issue(&issue_dir, &STRICT).unwrap();
    let d = &errors_of(&issue)[0];
    assert_eq!(d.kind, "path-outside");
    assert_eq!(d.line, Some(3));

    let issue = load_issue(
        &issue_dir,
        &LoadOptions { allow_outside: true, photo_proofs: None, auto: false },
    )
    .unwrap();
    let photo = only(&issue).as_ref().unwrap().photo.as_ref().unwrap();
    assert_eq!((photo.width_px, photo.height_px), (40, 30));
}

#[test]
fn a_photo_s_digest_goes_to_render_with_the_file_s_stamp() {
    use sha2::{Digest, Sha256};
    let dir = Scratch::new("digest");
    let photo_path = dir.image("photos/p.png", 40, 30);
    dir.write("issue.yaml", "publication: P\n");
    dir.write("articles/a.md", "---\ntitle: T\nphoto: ../photos/p.png\n---\nTexte.\n");
    let bytes = std::fs::read(&photo_path).unwrap();
    // Without a build cache nothing is hashed, so there is no digest to hand on.
    let issue = load_issue(&dir.0, &STRICT).unwrap();
    assert_eq!(only(&issue).as_ref().unwrap().photo.as_ref().unwrap().digest, None);
    // With one, the digest of the file's bytes and its stamp, at every build: a file this
    // small has no digest record, so each build reads and hashes it.
    let proofs = dir.0.join("out/.rotative-cache/proofs");
    let options = LoadOptions { photo_proofs: Some(proofs), ..STRICT };
    for build in ["first", "second"] {
        let issue = load_issue(&dir.0, &options).unwrap();
        let photo = only(&issue).as_ref().unwrap().photo.as_ref().unwrap();
        let digest = photo.digest.as_ref().expect(build);
        assert_eq!(digest.digest, <[u8; 32]>::from(Sha256::digest(&bytes)), "{build}");
        assert_eq!(Some(digest.stamp), model::FileStamp::now(&photo.path), "{build}");
    }
}

#[test]
fn oversized_photos_are_refused_before_decoding() {
    let dir = Scratch::new("bigphoto");
    dir.write("issue.yaml", "photo: { max_megapixels: 1 }\n");
    dir.image("p.png", 1200, 1000);
    dir.write("a.md", "---\ntitle: T\nphoto: { file: p.png, focus: top }\n---\nTexte.\n");
    let d = first_article_error(&dir.0);
    assert_eq!(d.kind, "photo-too-large");
    assert!(d.message.contains("1200x1000"), "{}", d.message);
}

#[test]
fn photo_focus_by_name_and_by_fractions() {
    let dir = Scratch::new("focus");
    dir.image("p.png", 10, 10);
    dir.write("a.md", "---\ntitle: T\nphoto: { file: p.png, focus: top }\n---\nTexte.\n");
    dir.write("b.md", "---\ntitle: T\nphoto: { file: p.png, focus: [0.25, 0.75] }\n---\nTexte.\n");
    let issue = load_issue(&dir.0, &STRICT).unwrap();
    let focus: Vec<(f32, f32)> = issue
        .articles
        .iter()
        .map(|e| e.article.as_ref().unwrap().photo.as_ref().unwrap().focus)
        .collect();
    assert_eq!(focus, [(0.5, 0.0), (0.25, 0.75)]);
}

#[test]
fn invalid_utf8_article_reports_the_byte_offset() {
    let dir = Scratch::new("utf8");
    let file = dir.write("a.md", b"---\ntitle: Caf\xE9\n---\nTexte.\n");
    let d = first_article_error(&file);
    assert_eq!(d.kind, "invalid-utf8");
    assert!(d.message.contains("offset 14"), "{}", d.message);
    assert_eq!(d.line, Some(2));
}

#[test]
fn alias_flood_in_issue_yaml_is_refused() {
    // Typed fields refuse an exponential bomb on its first mistyped node (see the yaml
    // module's test for the replay limit); a flood of aliases where strings are expected
    // is caught by the budget.
    let dir = Scratch::new("bomb");
    let aliases = vec!["*w"; 1500].join(", ");
    dir.write("issue.yaml", format!("hyphenation:\n  exceptions: [&w Kazakhstan, {aliases}]\n"));
    let errors = load_issue(&dir.0, &STRICT).unwrap_err();
    assert_eq!(errors[0].kind, "too-large", "{}", errors[0]);
    assert_eq!(errors[0].line, Some(2));
}

#[test]
fn named_and_custom_page_formats() {
    let cases = [
        ("page: a3\n", 297.0, 420.0),
        ("page: tabloid\n", 280.0, 430.0),
        ("page: Berliner\n", 315.0, 470.0),
        ("page: 350x520\n", 350.0, 520.0),
        ("page: { width: 300, height: 450 }\n", 300.0, 450.0),
    ];
    for (yaml, w, h) in cases {
        let dir = Scratch::new("formats");
        dir.write("issue.yaml", yaml);
        let issue = load_issue(&dir.0, &STRICT).unwrap();
        assert_eq!((issue.config.page.width, issue.config.page.height), (mm(w), mm(h)), "{yaml}");
    }
    let dir = Scratch::new("formats-bad");
    dir.write("issue.yaml", "publication: P\npage: berlinner\n");
    let errors = load_issue(&dir.0, &STRICT).unwrap_err();
    assert_eq!((errors[0].kind, errors[0].line), ("invalid-value", Some(2)));
    assert_eq!(errors[0].hint.as_deref(), Some("did you mean `berliner`?"));
}

#[test]
fn margins_as_one_number_or_per_side() {
    let dir = Scratch::new("margins");
    dir.write("issue.yaml", "margins: 12\n");
    let p = load_issue(&dir.0, &STRICT).unwrap().config.page;
    assert_eq!([p.margin_top, p.margin_bottom, p.margin_inner, p.margin_outer], [mm(12.0); 4]);
    dir.write("issue.yaml", "margins: { top: 20 }\n");
    let p = load_issue(&dir.0, &STRICT).unwrap().config.page;
    assert_eq!([p.margin_top, p.margin_bottom], [mm(20.0), mm(15.0)]);
}

#[test]
fn an_impossible_grid_is_an_error_on_the_columns_line() {
    let dir = Scratch::new("grid");
    dir.write("issue.yaml", "publication: P\ncolumns: 12\n");
    let errors = load_issue(&dir.0, &STRICT).unwrap_err();
    assert_eq!((errors[0].kind, errors[0].line), ("invalid-value", Some(2)));
    assert!(errors[0].message.contains("too narrow"));
}

#[test]
fn a_type_area_too_short_is_named_as_such() {
    let dir = Scratch::new("grid-height");
    // A4 is 297 mm high: 37 mm are left, in columns of a comfortable 56.7 mm.
    dir.write("issue.yaml", "publication: P\nmargins: { top: 130, bottom: 130 }\n");
    let errors = load_issue(&dir.0, &STRICT).unwrap_err();
    assert_eq!((errors[0].kind, errors[0].line), ("invalid-value", Some(2)));
    assert!(errors[0].message.contains("37.0 mm high"), "{}", errors[0].message);
    assert!(!errors[0].message.contains("narrow"), "{}", errors[0].message);
}

#[test]
fn unknown_issue_and_style_fields_get_suggestions() {
    let dir = Scratch::new("styles");
    dir.write("issue.yaml", "publication: P\nstyles:\n  body:\n    sise: 9\n");
    let errors = load_issue(&dir.0, &STRICT).unwrap_err();
    let d = &errors[0];
    assert_eq!((d.kind, d.line, d.column), ("unknown-field", Some(4), Some(5)));
    assert_eq!(d.hint.as_deref(), Some("did you mean `size`?"));

    dir.write("issue.yaml", "publication: P\ncolums: 4\n");
    let d = &load_issue(&dir.0, &STRICT).unwrap_err()[0];
    assert_eq!((d.kind, d.line), ("unknown-field", Some(2)));
    assert_eq!(d.hint.as_deref(), Some("did you mean `columns`?"));
}

#[test]
fn hex_colours_are_converted_with_a_warning() {
    let dir = Scratch::new("hex");
    dir.write("issue.yaml", "styles:\n  kicker:\n    color: \"#ff0000\"\n");
    let issue = load_issue(&dir.0, &STRICT).unwrap();
    // Through FOGRA39, not the naive formula's 0/100/100/0: pure sRGB red is out of gamut.
    let Color::Cmyk(c, m, y, k) = issue.config.styles.kicker.color else { panic!("CMYK") };
    assert!(c < 0.05 && m > 0.85 && y > 0.85 && k < 0.05, "{c} {m} {y} {k}");
    assert_ne!(issue.config.styles.kicker.color, Color::Cmyk(0.0, 1.0, 1.0, 0.0));
    assert!(issue.warnings[0].message.contains("output profile"));
    assert_eq!(issue.warnings.len(), 2, "{:?}", issue.warnings); // hex + no articles
    assert_eq!(issue.warnings[0].kind, "hex-color");
    assert_eq!(issue.warnings[0].line, Some(3));
}

#[test]
fn fonts_by_family_name_and_missing_font_files() {
    let dir = Scratch::new("fonts");
    dir.write("issue.yaml", "fonts:\n  body: LiberationSans\n  heading: LiberationSerif\n");
    let c = load_issue(&dir.0, &STRICT).unwrap().config;
    assert_eq!(c.fonts.body.regular, FontSource::Bundled("LiberationSans-Regular".into()));
    assert_eq!(c.fonts.heading.bold, FontSource::Bundled("LiberationSerif-Bold".into()));

    dir.write("issue.yaml", "publication: P\nfonts:\n  body:\n    regular: fonts/Absente.otf\n");
    let d = &load_issue(&dir.0, &STRICT).unwrap_err()[0];
    assert_eq!(d.kind, "missing-font");
    assert!(d.message.contains("`fonts/Absente.otf`"), "{}", d.message);
    assert_eq!(d.line, Some(4));

    dir.write("issue.yaml", "fonts:\n  body: LiberationSerf\n");
    let d = &load_issue(&dir.0, &STRICT).unwrap_err()[0];
    assert_eq!(d.hint.as_deref(), Some("did you mean `LiberationSerif`?"));
}

#[test]
fn qr_module_below_minimum_is_refused() {
    let dir = Scratch::new("qr");
    dir.write("issue.yaml", "qr:\n  module_mm: 0.3\n  ec: H\n");
    let d = &load_issue(&dir.0, &STRICT).unwrap_err()[0];
    assert_eq!((d.kind, d.line), ("invalid-value", Some(2)));
}

#[test]
fn articles_in_list_order_then_in_name_order() {
    let dir = Scratch::new("order");
    for name in ["b", "a", "c"] {
        dir.write(&format!("articles/{name}.md"), format!("---\ntitle: {name}\n---\nTexte.\n"));
    }
    dir.write("articles/README.txt", "not an article");
    let titles = |issue: &Issue| -> Vec<String> {
        issue.articles.iter().map(|e| e.article.as_ref().unwrap().title.clone()).collect()
    };
    let issue = load_issue(&dir.0, &STRICT).unwrap();
    assert_eq!(titles(&issue), ["a", "b", "c"]);

    dir.write("issue.yaml", "articles:\n  - articles/c.md\n  - articles/a.md\n");
    let issue = load_issue(&dir.0, &STRICT).unwrap();
    assert_eq!(titles(&issue), ["c", "a"]);
}

#[test]
fn a_listed_article_that_does_not_exist_is_located_in_issue_yaml() {
    let dir = Scratch::new("listed");
    dir.write("a.md", "---\ntitle: A\n---\nTexte.\n");
    dir.write("issue.yaml", "articles:\n  - a.md\n  - b.md\n");
    let issue = load_issue(&dir.0, &STRICT).unwrap();
    assert!(issue.articles[0].article.is_ok());
    let d = &issue.articles[1].article.as_ref().unwrap_err()[0];
    assert_eq!((d.kind, d.line, d.column), ("io", Some(3), Some(5)));
    assert_eq!(d.snippet.as_deref(), Some("  - b.md"));
}

#[test]
fn field_lists_match_what_the_parser_accepts() {
    let dir = Scratch::new("fields");
    let file = dir.write("a.md", "---\ntitle: T\nzzzzzzzzzz: 1\n---\nTexte.\n");
    let d = first_article_error(&file);
    assert_eq!(
        d.hint.as_deref(),
        Some(format!("known fields: {}", ARTICLE_FIELDS.join(", ")).as_str())
    );

    dir.write("issue.yaml", "zzzzzzzzzz: 1\n");
    let d = &load_issue(&dir.0, &STRICT).unwrap_err()[0];
    assert_eq!(
        d.hint.as_deref(),
        Some(format!("known fields: {}", ISSUE_FIELDS.join(", ")).as_str())
    );
}

#[test]
fn crlf_files_and_duplicate_keys() {
    let dir = Scratch::new("crlf");
    let file =
        dir.write("a.md", "---\r\ntitle: T\r\nkicker: K\r\n---\r\nTexte.\r\n\r\n## Inter\r\n");
    let issue = load_issue(&file, &STRICT).unwrap();
    let article = only(&issue).as_ref().unwrap();
    assert_eq!(article.kicker.as_deref(), Some("K"));
    let lines: Vec<usize> = article.body.iter().map(|b| b.line).collect();
    assert_eq!(lines, [5, 7]);

    let file = dir.write("b.md", "---\ntitle: T\ntitle: U\n---\nTexte.\n");
    let d = first_article_error(&file);
    assert_eq!((d.kind, d.line, d.snippet.as_deref()), ("yaml", Some(3), Some("title: U")));
}

#[test]
fn photo_line_is_the_photo_field_and_messages_show_a_clean_path() {
    let dir = Scratch::new("photoline");
    dir.image("photos/p.png", 8, 8);
    let file = dir.write(
        "articles/a.md",
        "---\ntitle: T\nphoto:\n  credit: X\n  file: ../photos/p.png\n---\nTexte.\n",
    );
    let issue = load_issue(&dir.0, &STRICT).unwrap();
    assert_eq!(only(&issue).as_ref().unwrap().photo.as_ref().unwrap().line, Some(3));

    std::fs::write(&file, "---\ntitle: T\nphoto: ../photos/none.png\n---\nTexte.\n").unwrap();
    let d = first_article_error(&dir.0);
    assert_eq!((d.line, d.column), (Some(3), Some(8)));
    let expected = dir.0.join("photos/none.png");
    assert!(d.message.contains(&format!("looked for {})", expected.display())), "{}", d.message);
}

#[test]
fn unquoted_off_means_off() {
    let dir = Scratch::new("off");
    dir.write("issue.yaml", "qr:\n  placement: off\noutput:\n  marks: none\n");
    let issue = load_issue(&dir.0, &STRICT).unwrap();
    assert_eq!(issue.config.qr.placement, crate::model::QrPlacement::Off);
    assert_eq!(issue.config.output.marks, crate::model::Marks::None);
}

#[test]
fn page_file_patterns_stay_in_the_output_folder() {
    let dir = Scratch::new("pattern");
    for (pattern, bad) in [
        ("../p{page}.pdf", true),
        ("/tmp/p{page}.pdf", true),
        ("same.pdf", true),
        ("p{page:03}.pdf", false),
    ] {
        dir.write("issue.yaml", format!("page_file_pattern: \"{pattern}\"\n"));
        let result = load_issue(&dir.0, &STRICT);
        assert_eq!(result.is_err(), bad, "{pattern}");
        if let Err(errors) = result {
            assert_eq!(errors[0].field.as_deref(), Some("page_file_pattern"));
        }
    }
}

#[test]
fn jpeg_quality_is_a_number_or_lossless() {
    use crate::model::PhotoEncoding;
    let dir = Scratch::new("jpeg-quality");
    let encoding = |yaml: &str| {
        dir.write("issue.yaml", yaml);
        load_issue(&dir.0, &STRICT).map(|issue| issue.config.output.photo_encoding)
    };
    assert_eq!(encoding("publication: P\n").unwrap(), PhotoEncoding::Jpeg(92));
    assert_eq!(encoding("output:\n  jpeg_quality: 80\n").unwrap(), PhotoEncoding::Jpeg(80));
    assert_eq!(encoding("output:\n  jpeg_quality: lossless\n").unwrap(), PhotoEncoding::Lossless);
    for bad in ["120", "high", "30"] {
        let errors = encoding(&format!("output:\n  jpeg_quality: {bad}\n")).unwrap_err();
        let d = &errors[0];
        assert_eq!((d.field.as_deref(), d.line), (Some("output.jpeg_quality"), Some(2)), "{d:?}");
        assert!(d.message.contains("50 to 100 or `lossless`"), "{}", d.message);
    }
}
