//! Fonts in the PDF: every used face becomes a subset Type0 font with a CID descendant
//! (CIDFontType2 + FontFile2 for TrueType outlines, CIDFontType0 + FontFile3/CIDFontType0C
//! for CFF outlines), Identity-H encoding, a widths array and a ToUnicode CMap.
//!
//! `subsetter` renumbers glyphs. A TrueType face keeps the original glyph ids as its CIDs,
//! with a CIDToGIDMap stream to the subset's: a page's content then names its glyphs the
//! same whatever else the issue uses, so that an edit which brings a new character into the
//! issue leaves the other pages' drawn streams as they were (the build cache's
//! [`super::pages`]), where renumbering would change every page. A CFF face (whose CIDs
//! the subset's charset fixes, identity) names the new glyph ids. [`Embedded::cid`] is the
//! only way content reaches a glyph.

use std::collections::BTreeMap;

use pdf_writer::types::{CidFontType, FontFlags, SystemInfo, UnicodeCmap};
use pdf_writer::{Filter, Finish, Name, Pdf, Rect, Ref, Str};
use rayon::prelude::*;
use read_fonts::tables::os2::SelectionFlags;
use read_fonts::types::Tag;
use read_fonts::{FontRef, TableProvider};
use sha2::{Digest, Sha256};
use subsetter::GlyphRemapper;

use super::streams::Deflater;
use super::{Refs, round};
use crate::diag::Diagnostic;
use crate::fonts::{Font, FontBook, FontId};
use crate::text::GlyphRun;

/// Which glyphs of which fonts the document uses, with the text each glyph stands for.
#[derive(Debug, Default)]
pub(crate) struct Usage {
    glyphs: BTreeMap<FontId, BTreeMap<u16, String>>,
    /// Per font, one bit per glyph id whose text is known (kept for good): most of an
    /// issue's glyphs are a few hundred ids seen again and again, passed over here without
    /// a look-up in `glyphs` (which took some 2 ms a build for 40 pages).
    known: BTreeMap<FontId, Vec<u64>>,
}

impl Usage {
    /// Records the glyphs of a run. The first non-empty text seen for a glyph is kept: a
    /// ligature "fi" maps to "fi"; the second glyph of a cluster (text length 0) maps to
    /// nothing unless it is seen elsewhere with text. The missing-glyph glyph (`.notdef`,
    /// glyph 0) stands for characters no font has, several different ones in one document:
    /// it maps to U+FFFD, the replacement character, as Unicode prescribes, never to one of
    /// them (a control character would otherwise come out of the text extraction).
    pub(crate) fn add(&mut self, run: &GlyphRun) {
        let font = self.glyphs.entry(run.font).or_default();
        let known = self.known.entry(run.font).or_insert_with(|| vec![0; 1 << 10]);
        for glyph in &run.glyphs {
            let (word, bit) = (usize::from(glyph.id) / 64, 1u64 << (glyph.id % 64));
            if known[word] & bit != 0 {
                continue;
            }
            let start = glyph.text_start as usize;
            let end = start + glyph.text_len as usize;
            let text = match run.text.get(start..end).unwrap_or("") {
                text if glyph.id == NOTDEF && !text.is_empty() => REPLACEMENT,
                text => text,
            };
            let entry = font.entry(glyph.id).or_default();
            if entry.is_empty() && !text.is_empty() {
                *entry = text.to_string();
            }
            if !entry.is_empty() {
                known[word] |= bit;
            }
        }
    }
}

/// The missing-glyph glyph's id.
const NOTDEF: u16 = 0;

/// What the missing-glyph glyph extracts as: U+FFFD REPLACEMENT CHARACTER.
const REPLACEMENT: &str = "\u{FFFD}";

/// A font written into the PDF.
#[derive(Debug)]
pub(crate) struct Embedded {
    /// Resource name in page dictionaries, e.g. `F0`.
    pub resource_name: String,
    /// The Type0 font object.
    pub type0: Ref,
    /// Each used glyph's CID and advance width in thousandths of an em (as in `/W`),
    /// indexed by original glyph id; (0, 0) for the others. A table rather than the
    /// remapper's hash map: drawing looks both up for every glyph of every page.
    glyphs: Vec<(u16, f32)>,
    /// Whether the CIDs are the original glyph ids (a TrueType face): what a page's content
    /// reads of the font is then fixed by the face itself.
    stable_cids: bool,
}

impl Embedded {
    /// The CID of an original glyph id.
    pub(crate) fn cid(&self, glyph: u16) -> u16 {
        self.glyphs.get(usize::from(glyph)).map_or(0, |g| g.0)
    }

    /// The width PDF viewers advance by after this glyph, thousandths of an em.
    pub(crate) fn width(&self, glyph: u16) -> f32 {
        self.glyphs.get(usize::from(glyph)).map_or(0.0, |g| g.1)
    }

    /// Feeds `hash` all that drawing reads of the font, `face`, besides its resource name
    /// (a drawn page's key, [`super::pages`]): with stable CIDs, the face's identity (its
    /// glyphs' ids and widths are its own); otherwise the CID and width of every used
    /// glyph, which a glyph used anywhere in the issue for the first time changes.
    pub(crate) fn feed_glyphs(&self, face: &Font, hash: &mut Sha256) {
        if self.stable_cids {
            hash.update(b"stable");
            hash.update(face.identity());
            return;
        }
        let mut bytes = Vec::with_capacity(self.glyphs.len() * 6 + 4);
        bytes.extend_from_slice(&(self.glyphs.len() as u32).to_le_bytes());
        for (cid, width) in &self.glyphs {
            bytes.extend_from_slice(&cid.to_le_bytes());
            bytes.extend_from_slice(&width.to_bits().to_le_bytes());
        }
        hash.update(&bytes);
    }
}

/// A subset tag: six capital letters derived from the font and its glyph set, so it changes
/// when the subset does and never between two builds of the same pages.
fn subset_tag(font: &Font, glyphs: &[u16]) -> String {
    let mut hash = Sha256::new();
    hash.update(font.postscript_name.as_bytes());
    for g in glyphs {
        hash.update(g.to_be_bytes());
    }
    hash.finalize().iter().take(6).map(|b| char::from(b'A' + b % 26)).collect()
}

/// A used font made ready to write: subset, compressed and measured, apart from the others
/// (in parallel: subsetting and compressing were the serial part of a rebuild's render).
struct Prepared<'a> {
    font: &'a Font,
    /// `TAG+PostScriptName`.
    base_font: String,
    /// The outlines (the subset, or its CFF table), compressed, with the subset's length
    /// for a TrueType font's `/Length1`.
    outlines: Vec<u8>,
    subset_length: usize,
    /// The width of glyph 0 (the `/DW`), and the used glyphs' widths in CID order.
    default_width: f32,
    widths_by_cid: Vec<(u16, f32)>,
    /// For a TrueType face, whose CIDs are the original glyph ids: the CIDToGIDMap stream
    /// (each CID's subset glyph id, two bytes big-endian), compressed.
    cid_to_gid: Option<Vec<u8>>,
    /// The ToUnicode CMap, compressed.
    cmap: Vec<u8>,
    /// Each original glyph id's CID and width ([`Embedded`]).
    table: Vec<(u16, f32)>,
}

/// Subsets and compresses one used font: `glyphs` maps its glyph ids to their text.
fn prepare<'a>(
    font: &'a Font,
    glyphs: &BTreeMap<u16, String>,
    deflater: &Deflater,
) -> Result<Prepared<'a>, Diagnostic> {
    let ids: Vec<u16> = glyphs.keys().copied().collect();
    // Sorted, so that the subset's glyph ids (a CFF face's CIDs) follow the original order:
    // stable, and a compact `/W`.
    let remapper = GlyphRemapper::new_from_glyphs_sorted(&ids);
    let subset = subsetter::subset(font.data, 0, &remapper).map_err(|e| {
        Diagnostic::error(
            "font-subset",
            format!("cannot subset font {}: {e}", font.postscript_name),
        )
    })?;
    let base_font = format!("{}+{}", subset_tag(font, &ids), font.postscript_name);
    let upem = font.units_per_em.max(1.0);
    let width_of = |g: u16| round(f32::from(font.advance_units(g).unwrap_or(0)) * 1000.0 / upem);
    let widths: BTreeMap<u16, f32> = ids.iter().map(|&g| (g, width_of(g))).collect();

    let outlines = if font.is_cff {
        let cff = FontRef::new(&subset)
            .ok()
            .and_then(|tables| tables.table_data(Tag::new(b"CFF ")))
            .map(|table| table.as_bytes())
            .ok_or_else(|| {
                Diagnostic::error(
                    "font-subset",
                    format!("font {} has no CFF table after subsetting", font.postscript_name),
                )
            })?;
        deflater.deflate(cff, 6)
    } else {
        deflater.deflate(&subset, 6)
    };

    let stable_cids = !font.is_cff;
    let cid_of = |g: u16| if stable_cids { g } else { remapper.get(g).unwrap_or(0) };
    let mut widths_by_cid: Vec<(u16, f32)> = ids.iter().map(|&g| (cid_of(g), widths[&g])).collect();
    widths_by_cid.sort_by_key(|(c, _)| *c);
    let cid_to_gid = stable_cids.then(|| {
        let mut map = vec![0u8; ids.last().map_or(2, |&g| 2 * (usize::from(g) + 1))];
        for &g in &ids {
            let at = 2 * usize::from(g);
            map[at..at + 2].copy_from_slice(&remapper.get(g).unwrap_or(0).to_be_bytes());
        }
        deflater.deflate(&map, 6)
    });

    let mut unicode = UnicodeCmap::new(
        Name(b"Adobe-Identity-UCS"),
        SystemInfo { registry: Str(b"Adobe"), ordering: Str(b"UCS"), supplement: 0 },
    );
    for (&glyph, text) in glyphs {
        if !text.is_empty() {
            unicode.pair_with_multiple(cid_of(glyph), text.chars());
        }
    }
    let cmap = deflater.deflate(&unicode.finish(), 6);

    let mut table = vec![(0, 0.0); ids.last().map_or(0, |&g| usize::from(g) + 1)];
    for &g in &ids {
        table[usize::from(g)] = (cid_of(g), widths[&g]);
    }
    Ok(Prepared {
        font,
        base_font,
        outlines,
        subset_length: subset.len(),
        default_width: width_of(0),
        widths_by_cid,
        cid_to_gid,
        cmap,
        table,
    })
}

/// Writes every used font, its streams compressed by `deflater`; returns them by id. The
/// fonts are subset and compressed in parallel, then written in the order of their ids.
pub(crate) fn write_fonts(
    pdf: &mut Pdf,
    refs: &mut Refs,
    book: &FontBook,
    usage: &Usage,
    deflater: &Deflater,
) -> Result<BTreeMap<FontId, Embedded>, Diagnostic> {
    let used: Vec<(FontId, &BTreeMap<u16, String>)> =
        usage.glyphs.iter().map(|(&id, glyphs)| (id, glyphs)).collect();
    let prepared: Vec<Result<Prepared, Diagnostic>> =
        used.par_iter().map(|&(id, glyphs)| prepare(book.get(id), glyphs, deflater)).collect();
    // The first font that cannot be subset in id order, as when they were prepared in turn.
    let prepared: Vec<Prepared> = prepared.into_iter().collect::<Result<_, _>>()?;
    let mut out = BTreeMap::new();
    for (&(id, _), prepared) in used.iter().zip(prepared) {
        let Prepared { font, base_font, .. } = &prepared;
        let type0 = refs.next();
        let cid_font = refs.next();
        let descriptor = refs.next();
        let file = refs.next();
        let cmap = refs.next();
        let cid_to_gid = prepared.cid_to_gid.as_ref().map(|map| (refs.next(), map));
        let stable_cids = cid_to_gid.is_some();

        // Outlines.
        let mut stream = pdf.stream(file, &prepared.outlines);
        stream.filter(Filter::FlateDecode);
        if font.is_cff {
            stream.pair(Name(b"Subtype"), Name(b"CIDFontType0C"));
        } else {
            stream.pair(Name(b"Length1"), prepared.subset_length as i32);
        }
        stream.finish();

        // Type0 font: the spec names it after the CIDFont, plus the CMap for CFF CIDFonts.
        let type0_name =
            if font.is_cff { format!("{base_font}-Identity-H") } else { base_font.clone() };
        pdf.type0_font(type0)
            .base_font(Name(type0_name.as_bytes()))
            .encoding_predefined(Name(b"Identity-H"))
            .descendant_font(cid_font)
            .to_unicode(cmap);

        let system_info =
            SystemInfo { registry: Str(b"Adobe"), ordering: Str(b"Identity"), supplement: 0 };
        let mut cid = pdf.cid_font(cid_font);
        cid.subtype(if font.is_cff { CidFontType::Type0 } else { CidFontType::Type2 })
            .base_font(Name(base_font.as_bytes()))
            .system_info(system_info)
            .font_descriptor(descriptor)
            .default_width(prepared.default_width);
        if let Some((map, _)) = cid_to_gid {
            cid.cid_to_gid_map_stream(map);
        }
        write_widths(&mut cid.widths(), &prepared.widths_by_cid);
        cid.finish();
        if let Some((map, bytes)) = cid_to_gid {
            pdf.stream(map, bytes).filter(Filter::FlateDecode);
        }

        write_descriptor(pdf, descriptor, file, font, base_font);

        pdf.stream(cmap, &prepared.cmap).filter(Filter::FlateDecode);

        // Named by the face's id in the book, not by its rank among the faces used: a face
        // used for the first time would rename the others on every page.
        out.insert(
            id,
            Embedded {
                resource_name: format!("F{}", id.0),
                type0,
                glyphs: prepared.table,
                stable_cids,
            },
        );
    }
    Ok(out)
}

/// The `/W` array of `widths` (sorted by CID): one list of widths per run of consecutive
/// CIDs.
fn write_widths(array: &mut pdf_writer::writers::Widths, widths: &[(u16, f32)]) {
    for run in widths.chunk_by(|a, b| b.0 == a.0 + 1) {
        array.consecutive(run[0].0, run.iter().map(|(_, w)| *w));
    }
}

/// The font descriptor: metrics in thousandths of an em, flags from the face.
fn write_descriptor(pdf: &mut Pdf, id: Ref, file: Ref, font: &Font, base_font: &str) {
    let tables = &font.tables;
    let scale = 1000.0 / font.units_per_em.max(1.0);
    let head = tables.head().ok();
    let bbox = head.map_or([0; 4], |h| [h.x_min(), h.y_min(), h.x_max(), h.y_max()]);
    let post = tables.post().ok();
    let italic_angle = post.as_ref().map_or(0.0, |p| p.italic_angle().to_f32());
    let os2 = tables.os2().ok();
    let italic_style =
        os2.as_ref().is_some_and(|o| o.fs_selection().contains(SelectionFlags::ITALIC));
    let mut flags = FontFlags::empty();
    // CID fonts address glyphs outside the standard Latin set: symbolic, per PDF 9.8.2.
    flags.insert(FontFlags::SYMBOLIC);
    flags.set(FontFlags::ITALIC, italic_style || italic_angle != 0.0);
    flags.set(FontFlags::FIXED_PITCH, post.as_ref().is_some_and(|p| p.is_fixed_pitch() != 0));
    flags.set(FontFlags::SERIF, font.postscript_name.contains("Serif"));
    // Without OS/2 the weight is normal (400).
    let weight = f32::from(os2.as_ref().map_or(400, |o| o.us_weight_class()));
    // StemV is not stored in OpenType; this linear estimate from the weight class is the
    // common approximation (thin strokes ~50, black ~220 thousandths).
    let stem_v = 10.0 + 0.244 * (weight - 50.0).max(0.0);
    let mut descriptor = pdf.font_descriptor(id);
    descriptor
        .name(Name(base_font.as_bytes()))
        .flags(flags)
        .bbox(Rect::new(
            round(f32::from(bbox[0]) * scale),
            round(f32::from(bbox[1]) * scale),
            round(f32::from(bbox[2]) * scale),
            round(f32::from(bbox[3]) * scale),
        ))
        .italic_angle(round(italic_angle))
        .ascent(round(font.ascender * 1000.0))
        .descent(round(font.descender * 1000.0))
        .cap_height(round(font.cap_height * 1000.0))
        .stem_v(round(stem_v));
    if font.is_cff {
        descriptor.font_file3(file);
    } else {
        descriptor.font_file2(file);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subset_tags_are_six_capitals_and_follow_the_glyph_set() {
        let book = crate::render::tests::book();
        let font = book.get(book.body.regular);
        let a = subset_tag(font, &[1, 2, 3]);
        assert_eq!(a.len(), 6);
        assert!(a.chars().all(|c| c.is_ascii_uppercase()));
        assert_eq!(a, subset_tag(font, &[1, 2, 3]));
        assert_ne!(a, subset_tag(font, &[1, 2, 4]));
    }
}

#[cfg(test)]
#[path = "fonts_tests.rs"]
mod cid_tests;
