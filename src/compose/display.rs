//! The display list: what `compose` produces and `render` draws, and nothing more.
//!
//! Coordinates are points from the top-left corner of the trim box, y downwards. Items may
//! extend past the trim into the bleed (a photo that touches the trim does).

use std::path::PathBuf;
use std::sync::Arc;

use crate::color::Color;
use crate::geom::Rect;
use crate::qr::QrSymbol;
use crate::text::GlyphRun;

/// One finished page.
#[derive(Debug, Clone)]
pub struct Page {
    /// Trim width, points.
    pub width: f32,
    /// Trim height, points.
    pub height: f32,
    /// Page number in the issue (1-based), as printed in the folio.
    pub number: u32,
    /// What is drawn, in painting order.
    pub items: Vec<Item>,
}

/// Something drawn on a page.
#[derive(Debug, Clone)]
pub enum Item {
    /// A run of glyphs with its baseline origin at (`x`, `y`).
    Text {
        /// Left of the run's line, points from the trim's left edge.
        x: f32,
        /// Baseline, points from the trim's top edge.
        y: f32,
        /// The glyphs: each lands at `x + run.x + glyph.x`.
        run: GlyphRun,
        /// Fill colour.
        color: Color,
    },
    /// A straight stroked line.
    Rule {
        /// Start point.
        from: (f32, f32),
        /// End point.
        to: (f32, f32),
        /// Stroke width, points.
        width: f32,
        /// Stroke colour.
        color: Color,
    },
    /// A filled and/or stroked rectangle.
    Rect {
        /// Geometry.
        rect: Rect,
        /// Fill.
        fill: Option<Color>,
        /// Stroke colour and width.
        stroke: Option<(Color, f32)>,
    },
    /// A photo, drawn at `placement` and clipped to `frame` (cover-fit around a focal point).
    Image {
        /// The visible area (the clip).
        frame: Rect,
        /// Where the whole image lands; contains `frame`.
        placement: Rect,
        /// The image file.
        path: PathBuf,
        /// Pixel size of the file (width, height).
        pixels: (u32, u32),
    },
    /// A QR symbol drawn as vector paths; (`x`, `y`) is the top-left of the first module
    /// (the quiet zone lies outside it and is kept free by the layout).
    Qr {
        /// Left of the symbol.
        x: f32,
        /// Top of the symbol.
        y: f32,
        /// Module size, points.
        module: f32,
        /// The symbol.
        symbol: Arc<QrSymbol>,
    },
}
