//! Microtypography settings (`microtype:` in `issue.yaml`): character protrusion, font
//! expansion and justification letter spacing of justified paragraphs.

/// How a justified paragraph's lines may be adjusted beyond their word spaces. All
/// fractions; zero turns a feature off.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Microtype {
    /// Factor applied to the protrusion table's amounts (1 = as in the table).
    pub protrusion: f32,
    /// Most a line's glyphs may be widened or narrowed, as a fraction of their width.
    pub expansion: f32,
    /// The expansion steps, as a fraction of the glyphs' width (a line is set at a multiple).
    pub expansion_step: f32,
    /// Most letter spacing added or removed after each cluster, as a fraction of the
    /// glyph's advance.
    pub letter_spacing: f32,
    /// Demerits the line breaker adds for each word gap that makes or lengthens a river
    /// (see [`RIVER_ALIGN_EM`]); 0 turns it off.
    pub rivers: f32,
}

/// Two word gaps on consecutive lines *line up* when their centres are at most this far
/// apart, em of the body size: about half a word space, so their white overlaps. A river
/// is a chain of such gaps on three or more consecutive lines.
pub const RIVER_ALIGN_EM: f32 = 0.15;

impl Microtype {
    /// Nothing but the word spaces: ragged, centred and display text.
    pub const NONE: Microtype = Microtype {
        protrusion: 0.0,
        expansion: 0.0,
        expansion_step: 0.0,
        letter_spacing: 0.0,
        rivers: 0.0,
    };

    /// The defaults for justified text (see the `text::linebreak` module doc for the
    /// measures behind them). Protrusion and expansion are off: with either, fewer
    /// paragraphs can be set one line longer within tolerance, and the copyfit's looseness
    /// step no longer fills every frame of a page plan (issue 1720 keeps three frames a
    /// line short with protrusion).
    pub const JUSTIFIED: Microtype = Microtype {
        protrusion: 0.0,
        expansion: 0.0,
        expansion_step: 0.005,
        letter_spacing: 0.015,
        rivers: 0.0,
    };
}

/// Resolved `microtype:`: what justified paragraphs use, and the protrusion amounts that
/// replace the built-in table's.
#[derive(Debug, Clone, PartialEq)]
pub struct MicrotypeSpec {
    /// The settings of justified paragraphs.
    pub justified: Microtype,
    /// Per character: how much of its width hangs into the left and right margin, in
    /// thousandths (`protrusion_chars`), replacing the built-in amounts of that character.
    pub protrusion_chars: Vec<(char, [f32; 2])>,
}

impl Default for MicrotypeSpec {
    fn default() -> Self {
        MicrotypeSpec { justified: Microtype::JUSTIFIED, protrusion_chars: Vec::new() }
    }
}
