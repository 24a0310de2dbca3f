//! Encoding a payload into a [`QrSymbol`] with the `qrcode` crate, at the smallest version
//! that holds it for the chosen error-correction level.

use qrcode::Version;
use qrcode::bits::Bits;

use super::QrSymbol;
use crate::model::EcLevel;

/// Modules of light margin required on every side of a symbol (ISO/IEC 18004).
pub const QUIET_ZONE: u32 = 4;

fn to_qrcode_level(ec: EcLevel) -> qrcode::EcLevel {
    match ec {
        EcLevel::L => qrcode::EcLevel::L,
        EcLevel::M => qrcode::EcLevel::M,
        EcLevel::Q => qrcode::EcLevel::Q,
        EcLevel::H => qrcode::EcLevel::H,
    }
}

/// Encodes `payload` at the smallest version (1–40) that fits with `ec`.
///
/// Errors when the payload is too long for version 40 at that level.
pub fn encode(payload: &str, ec: EcLevel) -> Result<QrSymbol, String> {
    let level = to_qrcode_level(ec);
    let code = qrcode::bits::encode_auto(payload.as_bytes(), level)
        .and_then(|bits| symbol_of(bits, level))
        .map_err(|e| format!("cannot encode {} bytes as a QR symbol: {e}", payload.len()))?;
    to_symbol(code, payload, ec)
}

/// Encodes `payload` at exactly `version`, for the self-check's reference symbols.
pub(crate) fn encode_at_version(
    payload: &str,
    version: u8,
    ec: EcLevel,
) -> Result<QrSymbol, String> {
    let level = to_qrcode_level(ec);
    let mut bits = Bits::new(Version::Normal(i16::from(version)));
    let code = bits
        .push_optimal_data(payload.as_bytes())
        .and_then(|()| bits.push_terminator(level))
        .and_then(|()| symbol_of(bits, level))
        .map_err(|e| {
            format!("cannot encode {} bytes as a version-{version} QR symbol: {e}", payload.len())
        })?;
    to_symbol(code, payload, ec)
}

/// How many wrong modules the error correction of `version` at `ec` repairs for sure
/// (each wrong module spoils at most one codeword), per `qrcode`'s count.
pub(crate) fn correctable_modules(version: u8, ec: EcLevel) -> usize {
    qrcode::ec::max_allowed_errors(Version::Normal(i16::from(version)), to_qrcode_level(ec))
        .unwrap_or(0)
}

/// What `qrcode::QrCode::with_bits` makes of `bits` (its version, its modules and their
/// width), with the faster mask choice of [`super::mask`].
fn symbol_of(bits: Bits, level: qrcode::EcLevel) -> qrcode::QrResult<(Version, Vec<bool>, usize)> {
    let version = bits.version();
    let (modules, width) = super::mask::modules(bits, level)?;
    Ok((version, modules, width))
}

fn to_symbol(
    (version, modules, width): (Version, Vec<bool>, usize),
    payload: &str,
    ec: EcLevel,
) -> Result<QrSymbol, String> {
    let version = match version {
        Version::Normal(v) => u8::try_from(v).map_err(|_| format!("bad QR version {v}"))?,
        // `encode_auto` only picks normal versions; Micro QR is not read by most phone apps.
        Version::Micro(v) => return Err(format!("unexpected Micro QR version {v}")),
    };
    let width = u32::try_from(width).map_err(|_| "QR width overflow".to_string())?;
    Ok(QrSymbol { width, modules, version, ec_level: ec, payload: payload.to_string() })
}

impl QrSymbol {
    /// Side of the printed block including the 4-module quiet zone on each side, in the unit
    /// of `module`: `(width + 8) * module`.
    pub fn size_with_quiet_zone(&self, module: f32) -> f32 {
        (self.width + 2 * QUIET_ZONE) as f32 * module
    }

    /// Whether the module at column `x`, row `y` is dark; outside the symbol is light.
    pub fn is_dark(&self, x: u32, y: u32) -> bool {
        x < self.width && y < self.width && self.modules[(y * self.width + x) as usize]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seed_url_versions() {
        let url = "https://liberte-actus.fr/1719";
        assert_eq!(url.len(), 29);
        let q = encode(url, EcLevel::Q).unwrap();
        assert_eq!((q.version, q.width), (3, 29));
        assert_eq!(q.modules.len(), 29 * 29);
        assert_eq!(q.ec_level, EcLevel::Q);
        assert_eq!(q.payload, url);
        let l = encode(url, EcLevel::L).unwrap();
        assert_eq!((l.version, l.width), (2, 25));
        // 0.5 mm modules: (29 + 8) * 0.5 = 18.5 mm.
        assert!((q.size_with_quiet_zone(0.5) - 18.5).abs() < 1e-4);
    }

    #[test]
    fn longer_payload_needs_higher_version() {
        let long = format!("https://liberte-actus.fr/{}", "a".repeat(75));
        assert_eq!(long.len(), 100);
        let sym = encode(&long, EcLevel::Q).unwrap();
        assert!(sym.version > 3, "version {}", sym.version);
        assert_eq!(sym.width, 17 + 4 * u32::from(sym.version));
        assert!(encode(&"x".repeat(4000), EcLevel::H).is_err());
    }

    #[test]
    fn finder_pattern_is_dark_where_expected() {
        let sym = encode("https://liberte-actus.fr/1719", EcLevel::M).unwrap();
        // Top-left finder: dark ring at the corner, light ring inside, dark 3x3 core.
        assert!(sym.is_dark(0, 0) && sym.is_dark(6, 6) && sym.is_dark(3, 3));
        assert!(!sym.is_dark(1, 1) && !sym.is_dark(5, 5));
        // Separator row is light; outside the symbol is light.
        assert!(!sym.is_dark(7, 0) && !sym.is_dark(sym.width, 0));
    }
}
