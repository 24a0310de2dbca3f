//! Print colours. Every colour that reaches the display list is process CMYK or grey, so
//! the PDF/X writer never has to convert anything drawn by the layout.

use serde::Deserialize;

/// A colour as the press sees it. Components are fractions in `0.0..=1.0`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Color {
    /// Process colour: cyan, magenta, yellow, black.
    Cmyk(f32, f32, f32, f32),
    /// A grey made of black ink only: 0 = paper, 1 = solid black.
    Gray(f32),
}

impl Color {
    /// Solid process black (100 % K), the only colour black text may use on newsprint.
    pub const BLACK: Color = Color::Cmyk(0.0, 0.0, 0.0, 1.0);
    /// Unprinted paper.
    pub const PAPER: Color = Color::Cmyk(0.0, 0.0, 0.0, 0.0);

    /// Whether this colour is printed with the black plate only (so it should overprint).
    pub fn is_black_only(&self) -> bool {
        match *self {
            Color::Cmyk(c, m, y, _) => c == 0.0 && m == 0.0 && y == 0.0,
            Color::Gray(_) => true,
        }
    }
}

/// A colour as written in `issue.yaml`: `[c, m, y, k]` in percent, or `"#rrggbb"`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(untagged)]
pub enum ColorSpec {
    /// CMYK in percent, e.g. `[0, 0, 0, 100]`.
    Cmyk([f32; 4]),
    /// Hex RGB, converted through the output profile (with a warning).
    Hex(String),
}
