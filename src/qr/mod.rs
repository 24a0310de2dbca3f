//! The QR block's data: URL validation and normalisation, symbol encoding, and the
//! self-check that decodes each placed symbol after a simulated print.
//!
//! - [`url`](mod@url): validate and normalise the article URL ([`normalize_url`]), build it
//!   from the publication's pattern ([`url_from_pattern`]), add tracking parameters
//!   ([`with_tracking`]) and shorten it for the printed address ([`display_address`]).
//! - [`symbol`]: encode it ([`encode`]) at the smallest version that fits.
//! - [`verify`](mod@verify): read it back from a simulated newsprint print ([`verify()`]).
//! - [`verdicts`]: the build cache's record of the symbols that read back, so that a
//!   rebuild neither encodes nor checks them again ([`checked_symbol`]).
//!
//! # Why level Q and 0.6 mm modules
//!
//! The QR block is the link from paper to website, and a wrong or unreadable symbol cannot
//! be fixed after the press run. Coldset newsprint is grey, rough and absorbent: ink spreads
//! about 0.08 mm per edge, so a light module between two dark ones loses 0.16 mm. With
//! 0.4 mm modules (the usual minimum) that leaves 0.24 mm of light; with 0.5 mm, 0.34 mm;
//! with 0.6 mm, 0.44 mm. Our own self-check ([`verify()`]) reads 0.5 mm symbols after
//! 0.08 mm of spread, but a harsher simulation that adds blur, paper noise and a 150 dpi
//! camera (`qrcheck.py --stress`) lost one of three 0.5 mm symbols of the example issue and
//! read every 0.6 mm one, so 0.6 mm is the default; 0.5 mm stays allowed, 0.4 mm is the
//! floor.
//!
//! Level Q recovers about 25 % of the codewords, enough for set-off, a fold or a smudge,
//! where L (7 %) and M (15 %) leave little margin. The cost is small for article URLs: a
//! 30-byte URL such as `https://liberte-actus.fr/1719` (29 bytes) needs version 3
//! (29x29 modules) at Q, one version more than at L. With the 4-module quiet zone on each
//! side the block is (29 + 8) x 0.6 = 22.2 mm square, well inside one newspaper column
//! (about 45 mm on a six-column Berliner). H would need version 4 (33 modules, 24.6 mm) for
//! 5 % more recovery.

mod mask;
pub mod prepare;
pub mod symbol;
pub mod url;
pub mod verdicts;
pub mod verify;

pub use self::prepare::{PreparedQr, prepare, self_check};
pub use self::symbol::{QUIET_ZONE, encode};
pub use self::url::{
    UrlProblem, article_id, display_address, normalize_url, url_from_pattern, with_tracking,
};
pub use self::verdicts::{QR_FOLDER, checked_symbol};
pub use self::verify::{DEFAULT_DPI, NEWSPRINT_SPREAD_MM, QrReport, verify};
use crate::model::EcLevel;

/// The smallest module size, mm: below 0.4 mm a phone camera no longer resolves QR modules
/// on newsprint. `qr.module_mm` may not go under it, and a block too narrow for its symbol
/// shrinks the modules down to it before it is an error.
pub const MIN_MODULE_MM: f32 = 0.4;

/// An encoded QR symbol, ready to draw.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
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
