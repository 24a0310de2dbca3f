//! QR symbols kept by the build cache ([`crate::cache`]): a URL's symbol that read back
//! after the simulated print is recorded on disk, so that the next build of the issue
//! neither encodes it (the mask choice scores eight candidates) nor prints and decodes it
//! again (the qr stage was about a fifth of a rebuild's time).
//!
//! An entry's key is the SHA-256 of everything the symbol and its check depend on: the
//! URL, the error-correction level, the print setting (module size, scan resolution, ink
//! spread) and the program (crate version and executable, which covers the encoder, the
//! simulation's constants and the decoder). A URL or a setting that differs in any way is
//! another key: its symbol is encoded and checked afresh. Only successes are kept, so a
//! symbol that fails is checked, and reported, at every build; an entry cut short or
//! damaged ([`crate::cache::open`]), or whose payload is not a symbol of its version, is
//! not trusted: the symbol is made and checked again and the entry replaced.

use std::path::Path;

use sha2::{Digest, Sha256};

use super::{DEFAULT_DPI, NEWSPRINT_SPREAD_MM, QrSymbol};
use crate::cache;
use crate::diag::Diagnostic;
use crate::model::EcLevel;

/// The symbols' folder inside the cache ([`crate::cache::CACHE_FOLDER`]).
pub const QR_FOLDER: &str = "qr";

/// The first bytes of every entry: what it is, and the layout's version.
const MAGIC: &[u8; 16] = b"rotative-qr\x00\x00\x00\x00\x01";

/// The symbol of `url` at `ec`, read back after a simulated print at `module_mm`
/// ([`super::self_check`]): the one an earlier build kept in `folder`, when there is one
/// and it holds it; else encoded and checked, and kept there when it reads back.
pub fn checked_symbol(
    url: &str,
    ec: EcLevel,
    module_mm: f32,
    folder: Option<&Path>,
) -> Result<QrSymbol, Diagnostic> {
    if let Some(symbol) = folder.and_then(|folder| kept(url, ec, module_mm, folder)) {
        return Ok(symbol);
    }
    let symbol = super::encode(url, ec)
        .map_err(|e| Diagnostic::error("qr", format!("cannot encode the URL: {e}")))?;
    super::self_check(&symbol, module_mm, url)?;
    if let Some(folder) = folder {
        keep(&symbol, module_mm, folder);
    }
    Ok(symbol)
}

/// The symbol of `url` at `ec` that an earlier build kept in `folder` as read back at
/// `module_mm`, if there is a whole entry for exactly that.
pub fn kept(url: &str, ec: EcLevel, module_mm: f32, folder: &Path) -> Option<QrSymbol> {
    let payload = cache::read(folder, MAGIC, &key(url, ec, module_mm))?;
    parse(&payload, url, ec)
}

/// Records that `symbol` read back at `module_mm`, in `folder` (a cache that cannot be
/// written is no error).
pub fn keep(symbol: &QrSymbol, module_mm: f32, folder: &Path) {
    let key = key(&symbol.payload, symbol.ec_level, module_mm);
    cache::write(folder, MAGIC, &key, &serialise(symbol));
}

/// The key of a URL's symbol: see the module documentation.
fn key(url: &str, ec: EcLevel, module_mm: f32) -> [u8; 32] {
    let mut hash = Sha256::new();
    hash.update(MAGIC);
    hash.update(cache::program_stamp());
    hash.update([ec as u8]);
    for value in [module_mm, DEFAULT_DPI, NEWSPRINT_SPREAD_MM] {
        hash.update(value.to_bits().to_be_bytes());
    }
    hash.update(url.as_bytes());
    hash.finalize().into()
}

/// The payload of an entry: version, then the modules row-major, eight to a byte.
fn serialise(symbol: &QrSymbol) -> Vec<u8> {
    let mut payload = vec![symbol.version];
    payload.extend(symbol.modules.chunks(8).map(|eight| {
        eight.iter().enumerate().fold(0u8, |byte, (i, &dark)| byte | (u8::from(dark) << i))
    }));
    payload
}

/// The symbol an entry's payload holds, when it is a well-formed one of its version.
fn parse(payload: &[u8], url: &str, ec: EcLevel) -> Option<QrSymbol> {
    let (&version, bits) = payload.split_first()?;
    if !(1..=40).contains(&version) {
        return None;
    }
    let width = 17 + 4 * u32::from(version);
    let count = (width * width) as usize;
    if bits.len() != count.div_ceil(8) {
        return None;
    }
    let modules = (0..count).map(|i| bits[i / 8] >> (i % 8) & 1 == 1).collect();
    Some(QrSymbol { width, modules, version, ec_level: ec, payload: url.to_string() })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn folder(name: &str) -> std::path::PathBuf {
        let folder = std::env::temp_dir()
            .join(format!("rotative-qr-verdicts-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&folder);
        folder
    }

    fn entries(folder: &Path) -> usize {
        std::fs::read_dir(folder).map_or(0, |listing| listing.count())
    }

    const URL: &str = "https://liberte-actus.fr/1719";

    #[test]
    fn a_kept_symbol_is_the_one_encoded_and_each_setting_has_its_own_entry() {
        let folder = folder("kept");
        let symbol = super::super::encode(URL, EcLevel::Q).expect("encodes");
        assert_eq!(kept(URL, EcLevel::Q, 0.6, &folder), None);
        keep(&symbol, 0.6, &folder);
        assert_eq!(kept(URL, EcLevel::Q, 0.6, &folder), Some(symbol.clone()));
        // Another module size, error correction or URL has no entry.
        assert_eq!(kept(URL, EcLevel::Q, 0.5, &folder), None);
        assert_eq!(kept(URL, EcLevel::M, 0.6, &folder), None);
        assert_eq!(kept("https://liberte-actus.fr/1720", EcLevel::Q, 0.6, &folder), None);
        assert_eq!(entries(&folder), 1);
        std::fs::remove_dir_all(&folder).unwrap();
    }

    #[test]
    fn a_damaged_or_malformed_entry_is_not_used() {
        let folder = folder("damaged");
        let symbol = super::super::encode(URL, EcLevel::Q).expect("encodes");
        keep(&symbol, 0.6, &folder);
        let path = cache::entry_path(&folder, &key(URL, EcLevel::Q, 0.6));
        let whole = std::fs::read(&path).unwrap();
        std::fs::write(&path, &whole[..whole.len() / 2]).unwrap();
        assert_eq!(kept(URL, EcLevel::Q, 0.6, &folder), None, "cut short");
        // Whole and sealed, but not a symbol: a version out of range, a wrong length.
        let key = key(URL, EcLevel::Q, 0.6);
        for payload in [vec![0u8; 1], vec![41u8; 2], vec![3u8; 10]] {
            std::fs::write(&path, cache::seal(MAGIC, &key, &payload)).unwrap();
            assert_eq!(kept(URL, EcLevel::Q, 0.6, &folder), None, "{payload:?}");
        }
        std::fs::remove_dir_all(&folder).unwrap();
    }

    #[test]
    fn only_symbols_that_read_back_are_kept_and_other_settings_are_checked_again() {
        let folder = folder("checked");
        let good = checked_symbol(URL, EcLevel::Q, 0.6, Some(&folder)).expect("reads back");
        assert_eq!(good, super::super::encode(URL, EcLevel::Q).unwrap());
        assert_eq!(entries(&folder), 1);
        // The same again is taken from the cache: the same symbol, nothing written.
        assert_eq!(checked_symbol(URL, EcLevel::Q, 0.6, Some(&folder)), Ok(good));
        assert_eq!(entries(&folder), 1);
        // Modules far under what the simulated press resolves: the symbol kept at 0.6 mm
        // does not stand for it; it is checked, fails at every call, and is not kept.
        for _ in 0..2 {
            let error = checked_symbol(URL, EcLevel::Q, 0.1, Some(&folder)).unwrap_err();
            assert_eq!(error.kind, "qr-unreadable");
        }
        assert_eq!(entries(&folder), 1);
        std::fs::remove_dir_all(&folder).unwrap();
    }
}
