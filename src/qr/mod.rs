//! The QR block's data: URL validation and normalisation, symbol encoding, and the
//! self-check that decodes each placed symbol after a simulated print.

use crate::load::model::EcLevel;

/// An encoded QR symbol, ready to draw.
#[derive(Debug, Clone, PartialEq)]
pub struct QrSymbol {
    /// Modules per side (21 for version 1, +4 per version).
    pub width: u32,
    /// Row-major dark flags, `width * width` entries.
    pub modules: Vec<bool>,
    /// QR version 1–40.
    pub version: u8,
    /// Error correction level.
    pub ec_level: EcLevel,
    /// The encoded text (the URL).
    pub payload: String,
}
