//! Shaping: text to glyphs with harfrust (kerning and standard ligatures, the shaper's
//! defaults), with font fallback and a cache shared by all threads.
//!
//! Words are shaped in em (font units divided by units per em), independent of the size, and
//! cached per (font, language, text): a newspaper repeats its words, so most words of a run
//! are shaped once. The cache is sharded behind `RwLock`s so rayon's threads mostly read in
//! parallel. Clusters are kept so every glyph maps back to its source bytes (a "fi" ligature
//! stands for two bytes of text).

use std::hash::BuildHasher;
use std::str::FromStr;
use std::sync::{Arc, RwLock};

use rustc_hash::{FxBuildHasher, FxHashMap};

use crate::fonts::{FontBook, FontId};
use crate::model::Lang;

/// A glyph as shaped, in em.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ShapedGlyph {
    /// Glyph id in `font`.
    pub id: u16,
    /// The face it comes from (the requested one or a fallback).
    pub font: FontId,
    /// Byte offset of its cluster in the shaped text.
    pub cluster: u32,
    /// Bytes of text it stands for (0 for the later glyphs of a cluster).
    pub text_len: u32,
    /// Advance, em.
    pub advance: f32,
    /// Horizontal offset, em.
    pub x_offset: f32,
    /// Vertical offset (up), em.
    pub y_offset: f32,
}

/// A shaped piece of text.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Shaped {
    /// Glyphs in visual (= logical, left-to-right) order.
    pub glyphs: Vec<ShapedGlyph>,
    /// Sum of advances, em.
    pub width: f32,
    /// Characters no font of the book has (shown as the font's .notdef box).
    pub missing: Vec<char>,
}

/// Shards of a [`ShardedCache`]: many more than the threads that share it, so two of them
/// rarely want the same lock.
const SHARDS: usize = 16;

/// A map from string keys shared between threads, sharded to limit lock contention. It
/// hashes with FxHash (rustc's hasher): the keys are short strings, for which SipHash's
/// DoS resistance buys nothing and costs a third of a lookup.
pub(crate) struct ShardedCache<V> {
    shards: Vec<RwLock<FxHashMap<Box<str>, V>>>,
}

impl<V: Clone> ShardedCache<V> {
    pub(crate) fn new() -> Self {
        Self { shards: (0..SHARDS).map(|_| RwLock::new(FxHashMap::default())).collect() }
    }

    fn shard(&self, key: &str) -> &RwLock<FxHashMap<Box<str>, V>> {
        &self.shards[(FxBuildHasher.hash_one(key) >> 59) as usize % SHARDS]
    }

    /// The cached value for `key`, or `make()` stored and returned.
    pub(crate) fn get_or_insert(&self, key: &str, make: impl FnOnce() -> V) -> V {
        let shard = self.shard(key);
        if let Some(v) = shard.read().unwrap_or_else(|e| e.into_inner()).get(key) {
            return v.clone();
        }
        let value = make();
        shard.write().unwrap_or_else(|e| e.into_inner()).entry(key.into()).or_insert(value).clone()
    }
}

/// Shapes and caches words for one engine.
pub(crate) struct Shaper {
    cache: ShardedCache<Arc<Shaped>>,
}

impl Shaper {
    pub(crate) fn new() -> Self {
        Self { cache: ShardedCache::new() }
    }

    /// The shaped form of `text` in `font` (with fallback for missing characters), from the
    /// cache. `key` is scratch space reused between calls so lookups do not allocate.
    pub(crate) fn shape(
        &self,
        book: &FontBook,
        font: FontId,
        lang: Lang,
        text: &str,
        key: &mut String,
    ) -> Arc<Shaped> {
        key.clear();
        // The font id and language make a fixed two-character prefix, so keys never collide.
        key.push(char::from_u32(0xF0000 + u32::from(font.0)).unwrap_or('\u{F0000}'));
        key.push(char::from(b'a' + lang.index() as u8));
        key.push_str(text);
        self.cache.get_or_insert(key, || Arc::new(shape_uncached(book, font, lang, text)))
    }
}

/// Shapes `text` without the cache: splits it into runs by the font that has each character
/// (`FontBook::fallback_for`), shapes each run and concatenates.
pub(crate) fn shape_uncached(book: &FontBook, font: FontId, lang: Lang, text: &str) -> Shaped {
    let mut shaped = Shaped::default();
    let mut run_start = 0;
    let mut run_font: Option<FontId> = None;
    for (i, c) in text.char_indices() {
        let f = match book.fallback_for(font, c) {
            Some(f) => f,
            None => {
                if !shaped.missing.contains(&c) {
                    shaped.missing.push(c);
                }
                font
            }
        };
        // Marks and joiners stay with their base character's font, so a cluster is never cut.
        let joins = c.is_whitespace() || is_mark(c);
        match run_font {
            Some(rf) if rf == f || joins => {}
            Some(rf) => {
                shape_run(book, rf, lang, text, run_start, i, &mut shaped);
                run_start = i;
                run_font = Some(f);
            }
            None => run_font = Some(f),
        }
    }
    if let Some(rf) = run_font {
        shape_run(book, rf, lang, text, run_start, text.len(), &mut shaped);
    }
    shaped
}

fn is_mark(c: char) -> bool {
    matches!(c as u32, 0x0300..=0x036F | 0x200C | 0x200D | 0xFE00..=0xFE0F | 0x1AB0..=0x1AFF | 0x20D0..=0x20FF)
}

fn shape_run(
    book: &FontBook,
    font: FontId,
    lang: Lang,
    text: &str,
    start: usize,
    end: usize,
    out: &mut Shaped,
) {
    let face = book.get(font);
    let upem = face.units_per_em;
    let mut buffer = harfrust::UnicodeBuffer::new();
    buffer.push_str(&text[start..end]);
    if let Ok(language) = harfrust::Language::from_str(lang.tag()) {
        buffer.set_language(language);
    }
    buffer.set_direction(harfrust::Direction::LeftToRight);
    buffer.guess_segment_properties();
    let glyphs = face.shape(buffer);
    let infos = glyphs.glyph_infos();
    let positions = glyphs.glyph_positions();
    let run_len = (end - start) as u32;
    for (k, (info, pos)) in infos.iter().zip(positions).enumerate() {
        let cluster = info.cluster;
        let first_of_cluster = k == 0 || infos[k - 1].cluster != cluster;
        let text_len = if first_of_cluster {
            // The cluster runs to the next larger cluster value (left-to-right text).
            let next =
                infos[k + 1..].iter().map(|i| i.cluster).find(|&c| c > cluster).unwrap_or(run_len);
            next - cluster
        } else {
            0
        };
        let advance = pos.x_advance as f32 / upem;
        out.width += advance;
        out.glyphs.push(ShapedGlyph {
            id: info.glyph_id as u16,
            font,
            cluster: start as u32 + cluster,
            text_len,
            advance,
            x_offset: pos.x_offset as f32 / upem,
            y_offset: pos.y_offset as f32 / upem,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fonts::bundled_family;
    use crate::model::{FontFamily, FontRoles, FontSource};

    pub(crate) fn book() -> FontBook {
        let serif = bundled_family("LiberationSerif");
        FontBook::new(&FontRoles {
            body: serif.clone(),
            heading: bundled_family("LiberationSans"),
            kicker: serif.clone(),
            caption: serif,
            fallback: Vec::new(),
        })
        .expect("bundled fonts load")
    }

    /// TeX Gyre Termes, if installed (Debian `fonts-texgyre`): the bundled Liberation fonts
    /// have no `liga` feature.
    pub(crate) const TERMES: &str =
        "/usr/share/texmf/fonts/opentype/public/tex-gyre/texgyretermes-regular.otf";

    #[test]
    fn ligatures_keep_their_text() {
        let mut book = book();
        if std::path::Path::new(TERMES).exists() {
            let termes = FontSource::File(TERMES.into());
            let family = FontFamily {
                regular: termes.clone(),
                italic: termes.clone(),
                bold: termes.clone(),
                bold_italic: termes,
            };
            book = FontBook::new(&FontRoles {
                body: family.clone(),
                heading: family.clone(),
                kicker: family.clone(),
                caption: family,
                fallback: Vec::new(),
            })
            .expect("Termes loads");
        }
        let with_liga = book
            .iter()
            .map(|(id, _)| id)
            .find(|&id| shape_uncached(&book, id, Lang::Fr, "fi").glyphs.len() == 1);
        let Some(font) = with_liga else {
            eprintln!("no font with an fi ligature available; skipped");
            return;
        };
        for word in ["fi", "officiel", "ffi", "efficace"] {
            let shaped = shape_uncached(&book, font, Lang::Fr, word);
            assert!(shaped.glyphs.len() < word.chars().count(), "no ligature in {word}");
            // Every byte of the word is covered exactly once, in order, by the glyphs.
            let covered: u32 = shaped.glyphs.iter().map(|g| g.text_len).sum();
            assert_eq!(covered as usize, word.len());
            let mut expect = 0;
            for g in shaped.glyphs.iter().filter(|g| g.text_len > 0) {
                assert_eq!(g.cluster, expect);
                expect += g.text_len;
            }
        }
        let fi = shape_uncached(&book, font, Lang::Fr, "fi");
        assert_eq!((fi.glyphs[0].cluster, fi.glyphs[0].text_len), (0, 2));
    }

    #[test]
    fn kerning_is_applied() {
        let book = book();
        let font = book.body.regular;
        let pair = shape_uncached(&book, font, Lang::Fr, "AV").width;
        let apart = shape_uncached(&book, font, Lang::Fr, "A").width
            + shape_uncached(&book, font, Lang::Fr, "V").width;
        assert!(pair < apart, "{pair} vs {apart}");
    }

    #[test]
    fn missing_characters_are_listed() {
        let book = book();
        let shaped = shape_uncached(&book, book.body.regular, Lang::Fr, "a😀b");
        assert_eq!(shaped.missing, vec!['😀']);
    }

    #[test]
    fn cache_returns_same_result() {
        let book = book();
        let shaper = Shaper::new();
        let mut key = String::new();
        let a = shaper.shape(&book, book.body.regular, Lang::Fr, "Kazakhstan", &mut key);
        let b = shaper.shape(&book, book.body.regular, Lang::Fr, "Kazakhstan", &mut key);
        assert!(Arc::ptr_eq(&a, &b));
        let c = shaper.shape(&book, book.body.bold, Lang::Fr, "Kazakhstan", &mut key);
        assert!(!Arc::ptr_eq(&a, &c));
    }
}
