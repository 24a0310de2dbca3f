//! The fuzz targets, shared by the mutation harness (`examples/fuzz.rs`) and the replay of
//! its findings (`tests/fuzz_corpus.rs`): each feeds bytes to one reader of untrusted input.
//! A target returns normally whatever the bytes; a panic is a finding.

use std::path::Path;

use rotative::load::article::{ArticleContext, parse_article};
use rotative::load::issue::parse_issue;
use rotative::load::photo::inspect_photo;
use rotative::load::source::{Source, decode};
use rotative::model::{Lang, PhotoSpec};

/// A fuzz target: a name (the prefix of its findings' file names), its seed inputs, and
/// the reader it drives.
pub struct Target {
    pub name: &'static str,
    pub seeds: &'static [&'static str],
    pub run: fn(&[u8]),
}

/// Every target, in the order the harness runs them.
pub const TARGETS: &[Target] = &[
    Target {
        name: "article",
        seeds: &[
            "issues/liberte-actus-1719/articles/01-kazakhstan.md",
            "issues/liberte-actus-1719/articles/02-storm-warning.md",
            "issues/liberte-actus-1719/articles/03-bibliotheque.md",
        ],
        run: article,
    },
    Target {
        name: "issue",
        seeds: &["issues/liberte-actus-1719/issue.yaml", "tests/fixtures/load/seed/issue.yaml"],
        run: issue,
    },
    Target {
        name: "jpeg",
        seeds: &["tests/fixtures/images/gray.jpg", "tests/fixtures/images/cmyk.jpg"],
        run: photo,
    },
    Target { name: "png", seeds: &["tests/fixtures/images/rgba.png"], run: photo },
    Target {
        name: "font",
        seeds: &["fonts/LiberationSerif-Regular.ttf", "fonts/LiberationSans-Bold.ttf"],
        run: font,
    },
];

/// Front matter and Markdown, as an article file.
fn article(bytes: &[u8]) {
    let Ok(source) = decode(Path::new("fuzz.md"), bytes.to_vec(), "article") else { return };
    let context = ArticleContext {
        root: Path::new("/nonexistent-fuzz-root"),
        lang: Lang::Fr,
        photo: PhotoSpec {
            warn_ppi: 200.0,
            min_ppi: 100.0,
            max_pixels: 100_000_000,
            columns: 2,
            max_crop: 0.2,
        },
        allow_outside: false,
        front_matter: &Default::default(),
        proofs: None,
        ink_limit: 612,
    };
    let _ = parse_article(&source, &context);
}

/// `issue.yaml`.
fn issue(bytes: &[u8]) {
    let text = String::from_utf8_lossy(bytes).into_owned();
    let source = Source::new("issue.yaml", text);
    let _ = parse_issue(&source, Path::new("/nonexistent-fuzz-root"));
}

/// A photo file, JPEG or PNG, through the load stage's full decoding.
fn photo(bytes: &[u8]) {
    let _ = inspect_photo(bytes, 100_000_000);
}

/// A font file, as the load stage proves one usable: parsed, letters looked up, subset.
fn font(bytes: &[u8]) {
    use read_fonts::TableProvider;
    let Ok(font) = read_fonts::FontRef::new(bytes) else { return };
    let Ok(cmap) = font.cmap() else { return };
    let mut glyphs: Vec<u16> = ('a'..='z')
        .chain('0'..='9')
        .filter_map(|c| cmap.map_codepoint(c))
        .filter_map(|g| u16::try_from(g.to_u32()).ok())
        .collect();
    glyphs.push(0);
    glyphs.sort_unstable();
    glyphs.dedup();
    let remapper = subsetter::GlyphRemapper::new_from_glyphs_sorted(&glyphs);
    let _ = subsetter::subset(bytes, 0, &remapper);
}
