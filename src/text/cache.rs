//! Set paragraphs kept from one build to the next in the build cache (`text/` under
//! [`crate::cache::CACHE_FOLDER`]), so that a rebuild after editing one article sets only
//! that article's paragraphs again.
//!
//! A paragraph's key is the SHA-256 of everything its lines depend on: its spans, its style
//! (size, alignment, language, hyphenation, tracking, microtype), its measure, and the
//! engine's inputs: the program's stamp ([`crate::cache::program_stamp`]), every font of the
//! book in order (a font file by the SHA-256 of its bytes, a bundled one by its name, which
//! the stamp covers), and the issue's `hyphenation:` and `microtype:` settings. A paragraph
//! with findings (a missing glyph, an overfull line) is not kept: it is set again at every
//! build, so that its warnings come back as a fresh build gives them.
//!
//! The paragraphs live in a few cache entries, the folder's segments, each a list of
//! paragraphs: a rebuild reads a few files and checks their checksums, not one per
//! paragraph. A build that set paragraphs afresh adds a segment of them alone (after an
//! edit, the edited article's paragraphs: a few kilobytes, not the whole issue's
//! megabytes); one that finds [`MAX_SEGMENTS`] segments, or more than [`MAX_BUNDLE_BYTES`],
//! or a damaged one, merges them into one: this build's paragraphs first, then the others
//! while it stays under that size. A segment cut short, damaged or of another layout is
//! not used (its paragraphs are set again); a paragraph that passes its segment's checksum
//! but does not decode, or names a font the book does not have, is set again too.

use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use sha2::{Digest, Sha256};

use super::{Glyph, GlyphRun, Line, ParagraphStyle, SetParagraph};
use crate::fonts::FamilyIds;
use crate::fonts::{FontBook, FontId};
use crate::model::{Emphasis, HyphenationSpec, InlineRun, Microtype, MicrotypeSpec};

/// The folder of the set paragraphs inside the build cache.
pub const TEXT_FOLDER: &str = "text";

/// Most bytes the segments keep: about eight issues of 40 articles (one takes 2 MB).
pub const MAX_BUNDLE_BYTES: usize = 16 << 20;

/// Segments the folder holds before a build merges them.
pub const MAX_SEGMENTS: usize = 8;

/// What the entry is, and the layout's version.
const MAGIC: &[u8; 16] = b"rotative-paras\x00\x01";

/// A glyph's text length from which it is written in full rather than in its flag byte.
const SHORT_LENGTH: u32 = 63;

/// What a paragraph's lines depend on, hashed.
type Key = [u8; 32];

/// The set paragraphs of the last build, and those this build adds.
pub struct ParagraphCache {
    folder: PathBuf,
    /// The engine's inputs, hashed: each key continues from here.
    base: Sha256,
    /// Fonts in the engine's book: a kept glyph naming another is not trusted.
    fonts: usize,
    /// The segments' files, whether they could be used or not.
    segments: Vec<PathBuf>,
    /// Whether a segment could not be used.
    damaged: bool,
    /// Each segment's paragraphs, as read (not copied into one buffer: a segment of a
    /// 40-article issue is 2.6 MB).
    stored: Vec<Vec<u8>>,
    /// Each stored paragraph's key, segment and bytes in it, in the segments' order.
    entries: Vec<(Key, usize, Range<usize>)>,
    /// Where each key is in `entries`.
    index: HashMap<Key, usize>,
    /// Which of `entries` this build used.
    used: Vec<AtomicBool>,
    /// Paragraphs this build set and may keep, encoded.
    fresh: Mutex<Vec<(Key, Vec<u8>)>>,
    /// Paragraphs this build set, and paragraphs it took from here.
    set: AtomicUsize,
    reused: AtomicUsize,
}

impl std::fmt::Debug for ParagraphCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ParagraphCache")
            .field("folder", &self.folder)
            .field("stored", &self.entries.len())
            .finish()
    }
}

impl ParagraphCache {
    /// The paragraphs kept in `folder` for engines with these fonts and settings (none when
    /// the folder has no whole entry).
    pub fn open(
        folder: &Path,
        fonts: &FontBook,
        hyphenation: &HyphenationSpec,
        microtype: &MicrotypeSpec,
    ) -> ParagraphCache {
        let mut base = Sha256::new();
        base.update(crate::cache::program_stamp());
        for (_, font) in fonts.iter() {
            base.update(font.identity());
        }
        base.update(format!("{hyphenation:?}\n{microtype:?}\n"));
        let mut segments: Vec<PathBuf> = std::fs::read_dir(folder)
            .map(|listing| listing.flatten().map(|file| file.path()).collect())
            .unwrap_or_default();
        segments.retain(|path| path.extension().is_some_and(|e| e == "entry"));
        segments.sort();
        let (mut stored, mut entries, mut damaged) = (Vec::new(), Vec::new(), false);
        for path in &segments {
            let payload = segment_key(path).and_then(|key| crate::cache::read(folder, MAGIC, &key));
            let Some(payload) = payload else {
                damaged = true;
                continue;
            };
            let segment = stored.len();
            entries.extend(split(&payload).into_iter().map(|(key, range)| (key, segment, range)));
            stored.push(payload);
        }
        let index = entries.iter().enumerate().map(|(i, (key, _, _))| (*key, i)).collect();
        let used = entries.iter().map(|_| AtomicBool::new(false)).collect();
        ParagraphCache {
            folder: folder.to_path_buf(),
            base,
            fonts: fonts.iter().count(),
            segments,
            damaged,
            stored,
            entries,
            index,
            used,
            fresh: Mutex::new(Vec::new()),
            set: AtomicUsize::new(0),
            reused: AtomicUsize::new(0),
        }
    }

    /// The paragraph kept for these inputs, or the key to keep it under once it is set.
    pub(super) fn get(
        &self,
        spans: &[InlineRun],
        style: &ParagraphStyle,
        width: f32,
    ) -> Result<SetParagraph, Key> {
        let mut hash = self.base.clone();
        // Each span's text goes in as its bytes after its length, and every other value
        // of the spans and the style at its exact bits (formatting them as text was a
        // tenth of a rebuild's text stage), each type destructured in full so that a new
        // field cannot be left out.
        for InlineRun { text, emphasis: Emphasis { bold, italic }, verbatim } in spans {
            hash.update((text.len() as u64).to_le_bytes());
            hash.update(text.as_bytes());
            hash.update([u8::from(*bold), u8::from(*italic), u8::from(*verbatim)]);
        }
        hash.update(style_bytes(style));
        hash.update(width.to_bits().to_le_bytes());
        let key: Key = hash.finalize().into();
        let Some(&i) = self.index.get(&key) else { return Err(key) };
        let (_, segment, range) = &self.entries[i];
        match decode(&self.stored[*segment][range.clone()], self.fonts) {
            Some(paragraph) => {
                self.used[i].store(true, Ordering::Relaxed);
                self.reused.fetch_add(1, Ordering::Relaxed);
                Ok(paragraph)
            }
            None => Err(key),
        }
    }

    /// Keeps `paragraph`, just set, under `key`; one with findings is only counted.
    pub(super) fn keep(&self, key: Key, paragraph: &SetParagraph) {
        self.set.fetch_add(1, Ordering::Relaxed);
        if paragraph.warnings.is_empty() {
            let bytes = encode(paragraph);
            self.fresh.lock().unwrap_or_else(|e| e.into_inner()).push((key, bytes));
        }
    }

    /// How many paragraphs this build set, and how many it took from the cache.
    pub fn counts(&self) -> (usize, usize) {
        (self.set.load(Ordering::Relaxed), self.reused.load(Ordering::Relaxed))
    }

    /// Adds a segment of the paragraphs this build set to keep, or merges the segments
    /// into one when there are too many, too large or damaged ones (module doc). A cache
    /// that cannot be written is no error.
    pub fn save(&self) {
        let mut fresh = std::mem::take(&mut *self.fresh.lock().unwrap_or_else(|e| e.into_inner()));
        // Threads finish in any order: sorted, the same build writes the same segment.
        fresh.sort();
        fresh.dedup_by(|a, b| a.0 == b.0);
        let fresh_bytes: usize = fresh.iter().map(|(_, bytes)| bytes.len() + 36).sum();
        let merge = self.damaged
            || self.segments.len() >= MAX_SEGMENTS
            || self.stored.iter().map(Vec::len).sum::<usize>() + fresh_bytes > MAX_BUNDLE_BYTES;
        if fresh.is_empty() && !merge {
            return;
        }
        let mut kept: Vec<(&Key, &[u8])> =
            fresh.iter().map(|(key, bytes)| (key, bytes.as_slice())).collect();
        if merge {
            // The paragraphs this build used before the others, each once (one set again
            // because its kept bytes did not decode is among the fresh ones).
            let mut seen: HashSet<Key> = fresh.iter().map(|(key, _)| *key).collect();
            for used in [true, false] {
                for ((key, segment, range), u) in self.entries.iter().zip(&self.used) {
                    if u.load(Ordering::Relaxed) == used && seen.insert(*key) {
                        kept.push((key, &self.stored[*segment][range.clone()]));
                    }
                }
            }
        }
        let mut payload = Vec::new();
        for (key, bytes) in kept {
            if payload.len() + bytes.len() + 36 > MAX_BUNDLE_BYTES {
                break;
            }
            payload.extend_from_slice(key);
            payload.extend_from_slice(&(bytes.len() as u32).to_le_bytes());
            payload.extend_from_slice(bytes);
        }
        // Named after its content: the same paragraphs make the same segment.
        let key: Key = Sha256::digest(&payload).into();
        crate::cache::write(&self.folder, MAGIC, &key, &payload);
        if merge {
            let merged = crate::cache::entry_path(&self.folder, &key);
            for path in self.segments.iter().filter(|path| **path != merged) {
                let _ = std::fs::remove_file(path);
            }
        }
    }
}

/// Every value of `style` at its exact bits, for a paragraph's key.
fn style_bytes(style: &ParagraphStyle) -> Vec<u8> {
    let ParagraphStyle {
        family: FamilyIds { regular, italic, bold, bold_italic },
        emphasis: Emphasis { bold: emphasis_bold, italic: emphasis_italic },
        size,
        align,
        first_indent,
        lang,
        hyphenate,
        looseness,
        uppercase,
        tracking,
        microtype: Microtype { protrusion, expansion, expansion_step, letter_spacing, rivers },
    } = style;
    let mut bytes = Vec::with_capacity(64);
    for font in [regular, italic, bold, bold_italic] {
        bytes.extend_from_slice(&font.0.to_le_bytes());
    }
    let flags = [emphasis_bold, emphasis_italic, hyphenate, uppercase];
    bytes.extend(flags.map(|&flag| u8::from(flag)));
    bytes.extend([*align as u8, *lang as u8]);
    bytes.extend_from_slice(&looseness.to_le_bytes());
    let values = [size, first_indent, tracking, protrusion, expansion, expansion_step];
    for value in values.into_iter().chain([letter_spacing, rivers]) {
        bytes.extend_from_slice(&value.to_bits().to_le_bytes());
    }
    bytes
}

/// The key a segment's file is named after (`<64 hex digits>.entry`).
fn segment_key(path: &Path) -> Option<Key> {
    let stem = path.file_stem()?.to_str()?;
    let mut key = [0u8; 32];
    if stem.len() != 64 {
        return None;
    }
    for (i, byte) in key.iter_mut().enumerate() {
        *byte = u8::from_str_radix(stem.get(2 * i..2 * i + 2)?, 16).ok()?;
    }
    Some(key)
}

/// Each paragraph's key and bytes in an entry's payload: key, length (u32), bytes.
fn split(payload: &[u8]) -> Vec<(Key, Range<usize>)> {
    let mut entries = Vec::new();
    let mut reader = Reader { bytes: payload, at: 0 };
    while reader.at < payload.len() {
        let Some(key) = reader.take(32).and_then(|k| Key::try_from(k).ok()) else { break };
        let Some(length) = reader.u32() else { break };
        let start = reader.at;
        if reader.take(length as usize).is_none() {
            break;
        }
        entries.push((key, start..reader.at));
    }
    entries
}

/// A paragraph without findings as bytes: every value at its exact bits, so that a kept
/// paragraph draws the same PDF as one set again.
fn encode(paragraph: &SetParagraph) -> Vec<u8> {
    let mut out = Vec::new();
    let u32_of = |n: usize| (n as u32).to_le_bytes();
    out.extend_from_slice(&u32_of(paragraph.lines.len()));
    for line in &paragraph.lines {
        out.extend_from_slice(&line.width.to_le_bytes());
        out.extend_from_slice(&line.ratio.to_le_bytes());
        out.push(u8::from(line.hyphenated) | u8::from(line.last) << 1);
        out.extend_from_slice(&u32_of(line.runs.len()));
        for run in line.runs.iter() {
            out.extend_from_slice(&run.font.0.to_le_bytes());
            for value in [run.size, run.scale, run.x] {
                out.extend_from_slice(&value.to_le_bytes());
            }
            out.extend_from_slice(&u32_of(run.text.len()));
            out.extend_from_slice(run.text.as_bytes());
            out.extend_from_slice(&u32_of(run.glyphs.len()));
            // Most glyphs sit on the baseline, start where the one before ends in the
            // text and stand for a few bytes of it: a flag byte says so, and only the
            // other values follow (half the bytes of writing every field).
            let mut next_start = 0;
            for glyph in &run.glyphs {
                let raised = glyph.y_offset.to_bits() != 0;
                let in_order = glyph.text_start == next_start;
                let short = glyph.text_len.min(SHORT_LENGTH);
                out.push(u8::from(raised) | u8::from(in_order) << 1 | (short as u8) << 2);
                out.extend_from_slice(&glyph.id.to_le_bytes());
                out.extend_from_slice(&glyph.x.to_le_bytes());
                out.extend_from_slice(&glyph.advance.to_le_bytes());
                if raised {
                    out.extend_from_slice(&glyph.y_offset.to_le_bytes());
                }
                if !in_order {
                    out.extend_from_slice(&glyph.text_start.to_le_bytes());
                }
                if short == SHORT_LENGTH {
                    out.extend_from_slice(&glyph.text_len.to_le_bytes());
                }
                next_start = glyph.text_start.wrapping_add(glyph.text_len);
            }
        }
    }
    out
}

/// The paragraph [`encode`] made, if `bytes` are one whole and every run's font is one of
/// the book's `fonts`.
fn decode(bytes: &[u8], fonts: usize) -> Option<SetParagraph> {
    let mut reader = Reader { bytes, at: 0 };
    // Counts are checked against the bytes left before anything is reserved for them.
    let count = |reader: &mut Reader, least: usize| {
        let n = reader.u32()? as usize;
        (n.checked_mul(least)? <= bytes.len() - reader.at).then_some(n)
    };
    let line_count = count(&mut reader, 13)?;
    let mut lines = Vec::with_capacity(line_count);
    for _ in 0..line_count {
        let (width, ratio) = (reader.f32()?, reader.f32()?);
        let flags = reader.take(1)?[0];
        let run_count = count(&mut reader, 22)?;
        let mut runs = Vec::with_capacity(run_count);
        for _ in 0..run_count {
            let font = FontId(u16::from_le_bytes(reader.take(2)?.try_into().ok()?));
            if usize::from(font.0) >= fonts {
                return None;
            }
            let (size, scale, x) = (reader.f32()?, reader.f32()?, reader.f32()?);
            let length = count(&mut reader, 1)?;
            let text = String::from_utf8(reader.take(length)?.to_vec()).ok()?;
            let glyph_count = count(&mut reader, 11)?;
            let mut glyphs = Vec::with_capacity(glyph_count);
            let mut next_start = 0u32;
            for _ in 0..glyph_count {
                let flags = reader.take(1)?[0];
                let id = u16::from_le_bytes(reader.take(2)?.try_into().ok()?);
                let (x, advance) = (reader.f32()?, reader.f32()?);
                let y_offset = if flags & 1 != 0 { reader.f32()? } else { 0.0 };
                let text_start = if flags & 2 != 0 { next_start } else { reader.u32()? };
                let text_len = match u32::from(flags >> 2) {
                    SHORT_LENGTH => reader.u32()?,
                    short => short,
                };
                next_start = text_start.wrapping_add(text_len);
                glyphs.push(Glyph { id, x, y_offset, advance, text_start, text_len });
            }
            runs.push(GlyphRun { font, size, scale, x, text, glyphs });
        }
        lines.push(Line {
            width,
            runs: runs.into(),
            hyphenated: flags & 1 != 0,
            last: flags & 2 != 0,
            ratio,
        });
    }
    (reader.at == bytes.len()).then_some(SetParagraph { lines, warnings: Vec::new() })
}

/// Reads little-endian values from the front of `bytes`.
struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let taken = self.bytes.get(self.at..self.at.checked_add(n)?)?;
        self.at += n;
        Some(taken)
    }

    fn u32(&mut self) -> Option<u32> {
        Some(u32::from_le_bytes(self.take(4)?.try_into().ok()?))
    }

    fn f32(&mut self) -> Option<f32> {
        Some(f32::from_le_bytes(self.take(4)?.try_into().ok()?))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paragraph() -> SetParagraph {
        let glyph =
            Glyph { id: 7, x: 1.5, y_offset: -0.25, advance: 4.75, text_start: 0, text_len: 2 };
        let run = GlyphRun {
            font: FontId(2),
            size: 9.5,
            scale: 1.0125,
            x: -0.3,
            text: "fi é".to_string(),
            // On the baseline in order, raised out of order, standing for a long text.
            glyphs: vec![
                Glyph { y_offset: 0.0, ..glyph },
                Glyph { id: 0, text_len: 0, ..glyph },
                Glyph { id: 9, text_start: 2, text_len: 300, ..glyph },
            ],
        };
        let line = Line {
            width: 141.7,
            runs: std::sync::Arc::from([run]),
            hyphenated: true,
            last: false,
            ratio: 0.4,
        };
        SetParagraph { lines: vec![line.clone(), Line { last: true, ..line }], warnings: vec![] }
    }

    #[test]
    fn a_paragraph_decodes_as_it_was_encoded() {
        let bytes = encode(&paragraph());
        assert_eq!(decode(&bytes, 3), Some(paragraph()));
    }

    #[test]
    fn a_cut_or_foreign_paragraph_does_not_decode() {
        let bytes = encode(&paragraph());
        for cut in [0, 1, 4, 20, bytes.len() / 2, bytes.len() - 1] {
            assert_eq!(decode(&bytes[..cut], 3), None, "cut at {cut}");
        }
        let mut longer = bytes.clone();
        longer.push(0);
        assert_eq!(decode(&longer, 3), None, "bytes left over");
        assert_eq!(decode(&bytes, 2), None, "a font the book does not have");
        let mut huge = bytes;
        huge[..4].copy_from_slice(&u32::MAX.to_le_bytes());
        assert_eq!(decode(&huge, 3), None, "a count past the bytes");
    }

    #[test]
    fn every_value_of_a_style_changes_its_bytes_in_the_key() {
        let base = ParagraphStyle {
            family: FamilyIds {
                regular: FontId(0),
                italic: FontId(1),
                bold: FontId(2),
                bold_italic: FontId(3),
            },
            emphasis: Emphasis::default(),
            size: 9.0,
            align: crate::model::Align::Justify,
            first_indent: 0.0,
            lang: crate::model::Lang::Fr,
            hyphenate: true,
            looseness: 0,
            uppercase: false,
            tracking: 0.0,
            microtype: Microtype::NONE,
        };
        let microtype = |change: fn(&mut Microtype)| {
            let mut microtype = Microtype::NONE;
            change(&mut microtype);
            ParagraphStyle { microtype, ..base.clone() }
        };
        let changed = [
            ParagraphStyle {
                family: FamilyIds { bold_italic: FontId(4), ..base.family },
                ..base.clone()
            },
            ParagraphStyle { emphasis: Emphasis { bold: false, italic: true }, ..base.clone() },
            ParagraphStyle { size: 9.5, ..base.clone() },
            ParagraphStyle { align: crate::model::Align::Left, ..base.clone() },
            // A negative zero is another value: the key goes by bits, not by equality.
            ParagraphStyle { first_indent: -0.0, ..base.clone() },
            ParagraphStyle { lang: crate::model::Lang::De, ..base.clone() },
            ParagraphStyle { hyphenate: false, ..base.clone() },
            ParagraphStyle { looseness: -1, ..base.clone() },
            ParagraphStyle { uppercase: true, ..base.clone() },
            ParagraphStyle { tracking: 0.01, ..base.clone() },
            microtype(|m| m.protrusion = 1.0),
            microtype(|m| m.expansion = 0.02),
            microtype(|m| m.expansion_step = 0.005),
            microtype(|m| m.letter_spacing = 0.01),
            microtype(|m| m.rivers = 50.0),
        ];
        let mut seen = HashSet::from([style_bytes(&base)]);
        for style in &changed {
            assert!(seen.insert(style_bytes(style)), "{style:?} has the bytes of another");
        }
        assert_eq!(style_bytes(&base.clone()), style_bytes(&base));
    }

    #[test]
    fn a_segment_is_named_after_its_key() {
        let key: Key = std::array::from_fn(|i| i as u8 * 7);
        let path = crate::cache::entry_path(Path::new("/cache/text"), &key);
        assert_eq!(segment_key(&path), Some(key));
        assert_eq!(segment_key(Path::new("/cache/text/.tmp-12-3")), None);
        assert_eq!(segment_key(Path::new("/cache/text/notes.entry")), None);
    }

    #[test]
    fn an_entry_splits_into_its_paragraphs_and_a_cut_one_keeps_the_whole_ones() {
        let mut payload = Vec::new();
        for (key, bytes) in [([1u8; 32], &b"abc"[..]), ([2u8; 32], &b"defg"[..])] {
            payload.extend_from_slice(&key);
            payload.extend_from_slice(&(bytes.len() as u32).to_le_bytes());
            payload.extend_from_slice(bytes);
        }
        let entries = split(&payload);
        assert_eq!(entries, vec![([1u8; 32], 36..39), ([2u8; 32], 75..79)]);
        assert_eq!(split(&payload[..payload.len() - 1]).len(), 1);
    }
}
