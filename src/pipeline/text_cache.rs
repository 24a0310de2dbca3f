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
