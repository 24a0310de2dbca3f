//! The build cache of set paragraphs (`<output>/.rotative-cache/text/`,
//! `src/text/cache.rs`): a rebuild sets no paragraph again and writes the same bytes as a
//! build without the cache; an edited article's paragraphs are set again, and only those;
//! another font file under the same name sets every paragraph again; a segment cut short
//! is set again with no error, and replaced.

mod common;

use std::path::{Path, PathBuf};

use common::*;

/// What a build reported: `(paragraphs set, paragraphs from the cache, SHA-256 of the PDF)`.
fn build(dir: &Path, out: &Path, extra: &[&str]) -> (u64, u64, String) {
    let (report, sha256) = build_reported(dir, out, extra);
    let summary = &report["summary"];
    (
        summary["paragraphs_set"].as_u64().unwrap(),
        summary["paragraphs_cached"].as_u64().unwrap(),
        sha256,
    )
}

/// The segments of the paragraph cache of `out`.
fn segments(out: &Path) -> Vec<PathBuf> {
    let folder = out.join(".rotative-cache/text");
    let mut found: Vec<PathBuf> = std::fs::read_dir(folder)
        .map(|listing| listing.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    found.sort();
    found
}

#[test]
fn a_rebuild_sets_no_paragraph_again_and_an_edit_only_its_own() {
    let dir = copy_example("text-cache-warm");
    let out = dir.join("out");
    let (set, cached, cold) = build(&dir, &out, &[]);
    assert!(set > 30 && cached == 0, "{set} set, {cached} cached");
    assert_eq!(segments(&out).len(), 1);

    let (again, cached, warm) = build(&dir, &out, &[]);
    assert_eq!((again, cached), (0, set), "every paragraph from the cache");
    assert_eq!(warm, cold, "the same PDF from kept paragraphs");
    let bare = dir.join("bare");
    let (_, _, uncached) = build(&dir, &bare, &["--no-cache"]);
    assert_eq!(uncached, cold, "the same PDF without the cache");
    assert!(!bare.join(".rotative-cache/text").exists(), "--no-cache keeps nothing");

    // One paragraph more in one article: it is set (with the one or two lines that
    // depend on the article's length); the others come from the cache.
    let article = dir.join("articles/03-bibliotheque.md");
    let text = std::fs::read_to_string(&article).unwrap();
    std::fs::write(&article, format!("{text}\nUne phrase ajoutée par la rédaction.\n")).unwrap();
    let (edited_set, cached, edited) = build(&dir, &out, &[]);
    assert!(edited_set >= 1 && edited_set * 10 < set, "{edited_set} of {set} set again");
    // The layout may set a paragraph more or less (a moved boilerplate): the rest is cached.
    assert!(cached + edited_set > set, "{cached} cached, {edited_set} set of {set}");
    assert_ne!(edited, cold);
    assert_eq!(segments(&out).len(), 2, "the new paragraphs in a segment of their own");
    let (_, _, uncached) = build(&dir, &bare, &["--no-cache"]);
    assert_eq!(uncached, edited, "the edited issue too is the same without the cache");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn another_font_file_under_the_same_name_sets_every_paragraph_again() {
    let dir = copy_example("text-cache-font");
    std::fs::create_dir_all(dir.join("fonts")).unwrap();
    let font = dir.join("fonts/body.ttf");
    let serif = root().join("fonts/LiberationSerif-Regular.ttf");
    std::fs::copy(&serif, &font).unwrap();
    let yaml_path = dir.join("issue.yaml");
    let yaml = std::fs::read_to_string(&yaml_path).unwrap();
    std::fs::write(&yaml_path, format!("{yaml}\nfonts:\n  body: {{ regular: fonts/body.ttf }}\n"))
        .unwrap();
    let out = dir.join("out");
    let (set, _, serif_pdf) = build(&dir, &out, &[]);
    assert_eq!(build(&dir, &out, &[]).0, 0, "nothing set again with the same font");
    // A build without the cache beside it, so that both outputs are at their second
    // version after the change (a changed PDF is numbered as the next version).
    let bare = dir.join("bare");
    assert_eq!(build(&dir, &bare, &["--no-cache"]).2, serif_pdf);

    std::fs::copy(root().join("fonts/LiberationSans-Regular.ttf"), &font).unwrap();
    let (again, cached, sans_pdf) = build(&dir, &out, &[]);
    // As many as the serif build set, give or take what the new line count moves.
    assert!(again * 10 > set * 9 && cached == 0, "{again} set, {cached} cached of {set}");
    assert_ne!(sans_pdf, serif_pdf);
    let (_, _, uncached) = build(&dir, &bare, &["--no-cache"]);
    assert_eq!(uncached, sans_pdf, "the same PDF as without the cache");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_truncated_segment_is_set_again_without_an_error() {
    let dir = copy_example("text-cache-truncated");
    let out = dir.join("out");
    let (set, _, cold) = build(&dir, &out, &[]);
    let segment = segments(&out).pop().unwrap();
    let whole = std::fs::read(&segment).unwrap();
    std::fs::write(&segment, &whole[..whole.len() / 2]).unwrap();
    let (again, cached, pdf) = build(&dir, &out, &[]);
    assert_eq!((again, cached, pdf), (set, 0, cold.clone()), "a cut segment is not used");
    assert_eq!(segments(&out), vec![segment.clone()], "and is replaced");
    assert_eq!(std::fs::read(&segment).unwrap(), whole, "by the same paragraphs, whole");

    // A segment that is not one (another kind of entry under a segment's name).
    let mut foreign = whole.clone();
    foreign[3] ^= 0x20;
    std::fs::write(&segment, &foreign).unwrap();
    assert_eq!(build(&dir, &out, &[]), (set, 0, cold.clone()));
    assert_eq!(build(&dir, &out, &[]), (0, set, cold), "the rebuilt segment is used");
    let _ = std::fs::remove_dir_all(&dir);
}
