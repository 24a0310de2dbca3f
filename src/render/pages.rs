//! The build cache of drawn pages: a page's content stream, drawn and deflated, is kept in
//! the compressed streams' folder ([`super::streams`]) under a key made of what drawing it
//! reads, so that a rebuild after editing one article draws and compresses only the pages
//! that changed; an unchanged page costs the hash of its display list and one read.
//! Drawing every page again was the largest part of a one-edit rebuild's render stage.
//!
//! The key ([`PageCache::key`]) is the SHA-256 of the program's stamp, the compression
//! level, the fonts the page shows, each by its resource name and what drawing reads of
//! it ([`Embedded::feed_glyphs`]: a TrueType face by its identity, its CIDs being the
//! original glyph ids; a CFF face by its table of CIDs and widths, which a subset that
//! changes anywhere renumbers, so that every page showing it is drawn again), and the page
//! itself: its boxes, its marks, and each display item with every value
//! [`content::draw_page`] reads, at its exact bits, each photo with the resource name it is
//! drawn under. The resources a page names (fonts, photos, placements) are read from its
//! display list ([`used`]) rather than kept. An entry cut short, damaged or foreign is
//! drawn again and replaced ([`crate::cache`]); pages whose content stream is under
//! [`super::streams::MIN_BYTES`] are drawn every time. The PDF is the same bytes with and
//! without the cache.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use sha2::{Digest, Sha256};

use super::content::{self, Drawn};
use super::fonts::Embedded;
use super::images::ImageSet;
use super::marks::PageMarks;
use super::pdfx::PageBoxes;
use super::streams::{Deflater, MIN_BYTES};
use crate::cache;
use crate::color::Color;
use crate::compose::display::{Item, Page};
use crate::fonts::{FontBook, FontId};
use crate::geom::Rect;
use crate::text::GlyphRun;

/// The first bytes of every page entry: what it is, and the layout's version (the key of
/// a compressed stream starts with another magic, so the two never meet in the folder).
const MAGIC: &[u8; 16] = b"rotative-page\x00\x00\x01";

/// The zlib level of page content streams (see [`super::deflate_at`]).
pub(crate) const LEVEL: u32 = 1;

/// Draws pages through the build cache, when the build has one.
pub(crate) struct PageCache<'a> {
    deflater: &'a Deflater,
    /// What every page's key starts from: the program and the level.
    base: Sha256,
    /// Per font id (the book's), what a page that shows it adds to its key.
    fonts: Vec<Option<[u8; 32]>>,
}

impl<'a> PageCache<'a> {
    /// The page cache of a build whose streams `deflater` keeps, with fonts `embedded`
    /// (of `book`). Without a cache folder, no key is made.
    pub(crate) fn new(
        deflater: &'a Deflater,
        embedded: &BTreeMap<FontId, Embedded>,
        book: &FontBook,
    ) -> Self {
        let mut base = Sha256::new();
        base.update(MAGIC);
        base.update(cache::program_stamp());
        base.update(LEVEL.to_le_bytes());
        let slots = embedded.keys().last().map_or(0, |id| usize::from(id.0) + 1);
        let mut fonts = vec![None; slots];
        // The faces' digests are for the keys only, which a build without a cache folder
        // never makes.
        for (id, font) in embedded.iter().filter(|_| deflater.folder().is_some()) {
            let mut hash = Sha256::new();
            hash.update(id.0.to_le_bytes());
            hash.update((font.resource_name.len() as u32).to_le_bytes());
            hash.update(font.resource_name.as_bytes());
            font.feed_glyphs(book.get(*id), &mut hash);
            fonts[usize::from(id.0)] = Some(hash.finalize().into());
        }
        PageCache { deflater, base, fonts }
    }

    /// `page` drawn and compressed, with the resources it names: from the cache when a
    /// previous build drew the same page with the same fonts, drawn (and kept) otherwise.
    pub(crate) fn draw(
        &self,
        page: &Page,
        marks: &PageMarks,
        boxes: &PageBoxes,
        fonts: &BTreeMap<FontId, Embedded>,
        images: &ImageSet,
    ) -> (Drawn, Vec<u8>) {
        let Some(folder) = self.deflater.folder() else {
            let drawn = content::draw_page(page, marks, boxes, fonts, images);
            let compressed = super::deflate_at(&drawn.content, LEVEL);
            return (drawn, compressed);
        };
        let key = self.key(page, marks, boxes, images);
        if let Some(compressed) = cache::read(folder, MAGIC, &key) {
            return (used(page, marks, fonts, images), compressed);
        }
        let drawn = content::draw_page(page, marks, boxes, fonts, images);
        let compressed = super::deflate_at(&drawn.content, LEVEL);
        if drawn.content.len() >= MIN_BYTES {
            cache::write(folder, MAGIC, &key, &compressed);
        }
        (drawn, compressed)
    }

    /// The key of `page` drawn with `marks` in `boxes`: see the module documentation.
    fn key(
        &self,
        page: &Page,
        marks: &PageMarks,
        boxes: &PageBoxes,
        images: &ImageSet,
    ) -> [u8; 32] {
        // The values go into one buffer, hashed at once: a page is some 50 KB of them.
        let mut out = Vec::with_capacity(64 << 10);
        // Which fonts the page shows: a face used for the first time elsewhere in the
        // issue leaves this page's key as it was.
        let mut shown = vec![false; self.fonts.len()];
        let mut show = |run: &GlyphRun| {
            if let Some(slot) = shown.get_mut(usize::from(run.font.0)) {
                *slot = true;
            }
        };
        out.extend_from_slice(
            format!("{boxes:?}\n{:?}\n{:?}\n", marks.lines, marks.targets).as_bytes(),
        );
        if let Some((x, y, run)) = &marks.slug {
            floats(&mut out, &[*x, *y]);
            feed_run(&mut out, run);
            show(run);
        }
        for item in &page.items {
            match item {
                Item::Text { x, y, run, color } => {
                    out.push(b'T');
                    floats(&mut out, &[*x, *y]);
                    feed_color(&mut out, *color);
                    feed_run(&mut out, run);
                    show(run);
                }
                Item::Image { path, .. } => {
                    // The photo's resource name is drawn into the stream; its path and
                    // every value of the item go in by their exact text.
                    out.push(b'I');
                    let name = images.resource_name(path);
                    out.extend_from_slice(format!("{name:?}\n{item:?}\n").as_bytes());
                }
                // Few a page: their exact text.
                Item::Rule { .. } | Item::Rect { .. } | Item::Qr { .. } => {
                    out.extend_from_slice(format!("{item:?}\n").as_bytes());
                }
            }
        }
        for (font, _) in self.fonts.iter().zip(&shown).filter(|(_, shown)| **shown) {
            // A font the PDF does not embed is not drawn (nor is one past the table, whose
            // id `feed_run` has put in the key).
            out.extend_from_slice(font.as_ref().map_or(&[0; 32], |digest| digest));
        }
        let mut hash = self.base.clone();
        hash.update(&out);
        hash.finalize().into()
    }
}

/// Appends each value's bits.
fn floats(out: &mut Vec<u8>, values: &[f32]) {
    for value in values {
        out.extend_from_slice(&value.to_bits().to_le_bytes());
    }
}

fn feed_color(out: &mut Vec<u8>, color: Color) {
    match color {
        Color::Cmyk(c, m, y, k) => {
            out.push(b'c');
            floats(out, &[c, m, y, k]);
        }
        Color::Gray(g) => {
            out.push(b'g');
            floats(out, &[g]);
        }
    }
}

/// What drawing reads of a run: its font, size, scale, offset and each glyph's id and
/// position (not its text or advance: the font's width is drawn).
fn feed_run(out: &mut Vec<u8>, run: &GlyphRun) {
    out.extend_from_slice(&run.font.0.to_le_bytes());
    floats(out, &[run.size, run.scale, run.x]);
    out.extend_from_slice(&(run.glyphs.len() as u32).to_le_bytes());
    for glyph in &run.glyphs {
        out.extend_from_slice(&glyph.id.to_le_bytes());
        floats(out, &[glyph.x, glyph.y_offset]);
    }
}

/// The resources [`content::draw_page`] finds `page` to use, without drawing it (no
/// content): the fonts of the runs it shows, the photos it draws and their placements.
pub(crate) fn used(
    page: &Page,
    marks: &PageMarks,
    fonts: &BTreeMap<FontId, Embedded>,
    images: &ImageSet,
) -> Drawn {
    let shows = |run: &GlyphRun| {
        // As drawing does: a run of no glyphs or of no size shows nothing (a size that is
        // not a number passes its test).
        let sized = run.size > 0.0 || run.size.is_nan();
        fonts.contains_key(&run.font) && sized && !run.glyphs.is_empty()
    };
    let mut used_fonts = BTreeSet::new();
    let mut used_images = BTreeSet::new();
    let mut placements: Vec<(PathBuf, Rect)> = Vec::new();
    for item in &page.items {
        match item {
            Item::Text { run, .. } if shows(run) => {
                used_fonts.insert(run.font);
            }
            Item::Image { path, placement, .. } if images.resource_name(path).is_some() => {
                used_images.insert(path.clone());
                placements.push((path.clone(), *placement));
            }
            _ => {}
        }
    }
    if let Some((_, _, run)) = &marks.slug
        && shows(run)
    {
        used_fonts.insert(run.font);
    }
    Drawn { content: Vec::new(), fonts: used_fonts, images: used_images, placements }
}

#[cfg(test)]
#[path = "pages_tests.rs"]
mod tests;
