//! The paragraphs set in this process, kept while it runs: the automatic make-up sets
//! every story at each width with and without its photo (the same body paragraphs each
//! time, since the columns share one measure), and its copyfit trials set paragraphs one
//! line shorter or longer that the make-up of the chosen plan then sets again. Kept here,
//! each is set once per build. Unlike the build cache ([`super::ParagraphCache`]), nothing
//! is written and paragraphs with findings are kept too: they are what setting again gives.

use std::sync::{Arc, RwLock};

use rustc_hash::FxHashMap;
use sha2::{Digest, Sha256};

use super::{ParagraphStyle, SetParagraph};
use crate::model::InlineRun;

/// Shards of the memo: more than the threads that share it, so two rarely want one lock.
const SHARDS: usize = 16;

/// What a paragraph is set from, hashed: its spans, style and measure. The engine's fonts
/// and settings do not change while it lives, so they are not in it.
type Key = [u8; 32];

/// Set paragraphs by what they were set from, shared between threads.
pub(super) struct ParagraphMemo {
    shards: Vec<RwLock<FxHashMap<Key, Arc<SetParagraph>>>>,
}

impl ParagraphMemo {
    pub(super) fn new() -> Self {
        Self { shards: (0..SHARDS).map(|_| RwLock::new(FxHashMap::default())).collect() }
    }

    /// The key of `spans` set with `style` in lines of `width` points: SHA-256 of their
    /// full description, as the build cache keys them, so two paragraphs never share one.
    pub(super) fn key(spans: &[InlineRun], style: &ParagraphStyle, width: f32) -> Key {
        let mut hash = Sha256::new();
        hash.update(format!("{spans:?}\n{style:?}\n"));
        hash.update(width.to_bits().to_le_bytes());
        hash.finalize().into()
    }

    fn shard(&self, key: &Key) -> &RwLock<FxHashMap<Key, Arc<SetParagraph>>> {
        &self.shards[key[0] as usize % SHARDS]
    }

    /// The paragraph kept under `key`, if any.
    pub(super) fn get(&self, key: &Key) -> Option<Arc<SetParagraph>> {
        let shard = self.shard(key).read().unwrap_or_else(|e| e.into_inner());
        shard.get(key).cloned()
    }

    /// Keeps `paragraph`, just set, under `key`.
    pub(super) fn keep(&self, key: Key, paragraph: Arc<SetParagraph>) {
        let mut shard = self.shard(&key).write().unwrap_or_else(|e| e.into_inner());
        shard.entry(key).or_insert(paragraph);
    }
}

#[cfg(test)]
mod tests {
    use crate::model::InlineRun;
    use crate::text::paragraph::tests::{engine, seed_paragraphs, style};

    #[test]
    fn a_kept_paragraph_is_the_one_its_text_style_and_measure_set() {
        let plain = engine();
        let memo = engine().with_paragraph_memo();
        let text = &seed_paragraphs()[0];
        let spans = [InlineRun::plain(text.as_str())];
        let normal = style(&plain);
        let shorter = crate::text::ParagraphStyle { looseness: -1, ..normal.clone() };
        // Twice each, interleaved: a second setting is taken from the memo, and must never
        // be another width's or another style's.
        for _ in 0..2 {
            for (style, width) in [(&normal, 160.0), (&normal, 120.0), (&shorter, 160.0)] {
                let kept = memo.set_paragraph(&spans, style, width);
                assert_eq!(kept, plain.set_paragraph(&spans, style, width), "{width}");
            }
        }
        let lines = |style, width| memo.set_paragraph(&spans, style, width).lines.len();
        assert!(lines(&normal, 120.0) > lines(&normal, 160.0));
        assert!(lines(&shorter, 160.0) <= lines(&normal, 160.0));
    }
}
