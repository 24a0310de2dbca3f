//! The text engine of a build, with the build cache's set paragraphs when it has a folder
//! for them ([`crate::text::ParagraphCache`]).

use std::path::Path;

use crate::fonts::FontBook;
use crate::model::IssueConfig;
use crate::text::{ParagraphCache, TextEngine};

/// The engine for `config`'s fonts and settings, taking paragraphs from `folder` (`None`:
/// every paragraph is set).
pub(super) fn engine(fonts: FontBook, config: &IssueConfig, folder: Option<&Path>) -> TextEngine {
    let cache = folder
        .map(|folder| ParagraphCache::open(folder, &fonts, &config.hyphenation, &config.microtype));
    let engine = TextEngine::new(fonts, &config.hyphenation)
        .with_protrusion_chars(&config.microtype.protrusion_chars);
    match cache {
        Some(cache) => engine.with_paragraph_cache(cache),
        None => engine,
    }
}

/// Writes the paragraphs `engine` set to its cache when the build has files to write (a
/// first build that fails makes no output folder), and gives how many paragraphs it set
/// and how many it took from the cache.
pub(super) fn keep(engine: &TextEngine, files: bool) -> (usize, usize) {
    let Some(cache) = engine.paragraph_cache() else { return (0, 0) };
    if files {
        cache.save();
    }
    cache.counts()
}
