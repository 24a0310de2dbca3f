//! The text engine of a build, with the build cache's set paragraphs when it has a folder
//! for them ([`crate::text::ParagraphCache`]).

use std::path::Path;

use crate::fonts::FontBook;
use crate::model::IssueConfig;
use crate::text::{ParagraphCache, TextEngine};

/// The engine for `config`'s fonts and settings, taking paragraphs from `folder` (`None`:
/// every paragraph is set), with what `beside` made of the fonts while the kept paragraphs
/// were read (they are megabytes: reading them alone left the other core idle).
pub(super) fn engine_beside<T: Send>(
    fonts: FontBook,
    config: &IssueConfig,
    folder: Option<&Path>,
    beside: impl FnOnce(&FontBook) -> T + Send,
) -> (TextEngine, T) {
    let (cache, made) = rayon::join(
        || {
            folder.map(|folder| {
                ParagraphCache::open(folder, &fonts, &config.hyphenation, &config.microtype)
            })
        },
        || beside(&fonts),
    );
    let engine = TextEngine::new(fonts, &config.hyphenation)
        .with_protrusion_chars(&config.microtype.protrusion_chars);
    match cache {
        Some(cache) => (engine.with_paragraph_cache(cache), made),
        None => (engine, made),
    }
}
