//! The display list: what `compose` produces and `render` draws, and nothing more.
//!
//! Coordinates are points from the top-left corner of the trim box, y downwards. Items may
//! extend past the trim into the bleed: compose runs a photo or a tint that touches the trim
//! on into it, and render draws every item where it is.

use std::path::PathBuf;
use std::sync::Arc;

use crate::color::Color;
use crate::geom::Rect;
use crate::qr::QrSymbol;
use crate::text::SharedRun;

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
        run: SharedRun,
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
    /// A photo, drawn at `placement` and clipped to `clip` (cover-fit around a focal point).
    Image {
        /// The photo's frame as laid out, inside the trim: what a reader sees of it (the
        /// check stage reports its printed size).
        frame: Rect,
        /// The area drawn: the frame, run on into the bleed on each side where it touches
        /// the trim ([`crate::compose::bleed`]).
        clip: Rect,
        /// Where the whole image lands; contains `clip`.
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

/// The display list as text, one line per item: kind, position to 0.01 pt, then what the
/// item is (font and text, colour, file, symbol). The golden tests compare it, so a change
/// that moves anything by a hundredth of a point shows up as a diff a person can read.
pub fn dump(pages: &[Page]) -> String {
    use std::fmt::Write;
    let mut out = String::new();
    for page in pages {
        let _ = writeln!(out, "page {} {:.2}x{:.2}", page.number, page.width, page.height);
        for item in &page.items {
            match item {
                Item::Text { x, y, run, color } => {
                    let end = run.glyphs.last().map_or(0.0, |g| g.x + g.advance);
                    let _ = writeln!(
                        out,
                        "  text {:.2} {:.2} font{} {:.2}pt w{:.2} {} {:?}",
                        x + run.x,
                        y,
                        run.font.0,
                        run.size,
                        end,
                        color_dump(color),
                        run.text
                    );
                }
                Item::Rule { from, to, width, color } => {
                    let _ = writeln!(
                        out,
                        "  rule {:.2} {:.2} -> {:.2} {:.2} w{:.2} {}",
                        from.0,
                        from.1,
                        to.0,
                        to.1,
                        width,
                        color_dump(color)
                    );
                }
                Item::Rect { rect, fill, stroke } => {
                    let fill = fill.as_ref().map_or("none".to_string(), color_dump);
                    let stroke = stroke
                        .as_ref()
                        .map_or("none".to_string(), |(c, w)| format!("{} w{w:.2}", color_dump(c)));
                    let _ = writeln!(out, "  rect {} fill {fill} stroke {stroke}", rect_dump(rect));
                }
                Item::Image { frame, clip, placement, path, pixels } => {
                    let name = path.file_name().map(|n| n.to_string_lossy()).unwrap_or_default();
                    // The clip only when it differs: a photo that runs into the bleed.
                    let clip = if clip == frame {
                        String::new()
                    } else {
                        format!(" clip {}", rect_dump(clip))
                    };
                    let _ = writeln!(
                        out,
                        "  image {}{clip} in {} {}x{} {name}",
                        rect_dump(frame),
                        rect_dump(placement),
                        pixels.0,
                        pixels.1
                    );
                }
                Item::Qr { x, y, module, symbol } => {
                    let _ = writeln!(
                        out,
                        "  qr {x:.2} {y:.2} module {module:.3} width {} v{} {:?}",
                        symbol.width, symbol.version, symbol.payload
                    );
                }
            }
        }
    }
    out
}

fn rect_dump(r: &Rect) -> String {
    format!("[{:.2} {:.2} {:.2} {:.2}]", r.x, r.y, r.width, r.height)
}

fn color_dump(c: &Color) -> String {
    match c {
        Color::Cmyk(c, m, y, k) => format!("cmyk({c:.3},{m:.3},{y:.3},{k:.3})"),
        Color::Gray(g) => format!("gray({g:.3})"),
    }
}
