//! Glyph outlines as tiny-skia paths, read from the same font files the PDF embeds (through
//! skrifa, the outline reader of the font stack harfrust and the subsetter use), in font
//! units with y up, built once per glyph of a page.

use std::collections::HashMap;

use skrifa::instance::{LocationRef, Size};
use skrifa::outline::{DrawSettings, OutlinePen};
use skrifa::{GlyphId, MetadataProvider, OutlineGlyphCollection};
use tiny_skia::{Path, PathBuilder};

use crate::fonts::{FontBook, FontId};

/// The outlines of the glyphs drawn so far, by font and glyph.
pub(super) struct Outlines<'a> {
    fonts: &'a FontBook,
    collections: HashMap<FontId, OutlineGlyphCollection<'static>>,
    /// `None`: a glyph with no outline (a space) or one that cannot be read.
    paths: HashMap<(FontId, u16), Option<Path>>,
}

impl<'a> Outlines<'a> {
    /// An empty cache over `fonts`.
    pub(super) fn new(fonts: &'a FontBook) -> Self {
        Self { fonts, collections: HashMap::new(), paths: HashMap::new() }
    }

    /// The outline of glyph `id` of `font`, in font units, y up.
    pub(super) fn get(&mut self, font: FontId, id: u16) -> Option<&Path> {
        let fonts = self.fonts;
        let collections = &mut self.collections;
        self.paths
            .entry((font, id))
            .or_insert_with(|| {
                let collection = collections
                    .entry(font)
                    .or_insert_with(|| fonts.get(font).tables.outline_glyphs());
                let glyph = collection.get(GlyphId::new(u32::from(id)))?;
                let mut pen = Pen(PathBuilder::new());
                let settings = DrawSettings::unhinted(Size::unscaled(), LocationRef::default());
                glyph.draw(settings, &mut pen).ok()?;
                pen.0.finish()
            })
            .as_ref()
    }

    /// Font units per em of `font`.
    pub(super) fn units_per_em(&self, font: FontId) -> f32 {
        self.fonts.get(font).units_per_em
    }
}

/// Collects skrifa's drawing commands into a tiny-skia path.
struct Pen(PathBuilder);

impl OutlinePen for Pen {
    fn move_to(&mut self, x: f32, y: f32) {
        self.0.move_to(x, y);
    }

    fn line_to(&mut self, x: f32, y: f32) {
        self.0.line_to(x, y);
    }

    fn quad_to(&mut self, cx0: f32, cy0: f32, x: f32, y: f32) {
        self.0.quad_to(cx0, cy0, x, y);
    }

    fn curve_to(&mut self, cx0: f32, cy0: f32, cx1: f32, cy1: f32, x: f32, y: f32) {
        self.0.cubic_to(cx0, cy0, cx1, cy1, x, y);
    }

    fn close(&mut self) {
        self.0.close();
    }
}
