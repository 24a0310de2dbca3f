//! A QR symbol's modules as the `qrcode` crate makes them ([`qrcode::QrCode::with_bits`]),
//! with the mask chosen by the same rule (the lowest penalty score of the eight masks, the
//! first one on a tie) but scored on a plain grid of dark flags: the crate scores through a
//! boxed closure per module and position, which was most of the encoding and about 6 % of
//! a cold build's CPU (40 symbols). The tests check the modules against the crate's.

use qrcode::bits::Bits;
use qrcode::canvas::{Canvas, MaskPattern};
use qrcode::types::{Color, EcLevel, QrResult};

/// The masks in the crate's order, which decides a tie.
const MASKS: [MaskPattern; 8] = [
    MaskPattern::Checkerboard,
    MaskPattern::HorizontalLines,
    MaskPattern::VerticalLines,
    MaskPattern::DiagonalLines,
    MaskPattern::LargeCheckerboard,
    MaskPattern::Fields,
    MaskPattern::Diamonds,
    MaskPattern::Meadow,
];

/// The finder-like pattern the third penalty counts: dark, light, three dark, light, dark.
const FINDER: [bool; 7] = [true, false, true, true, true, false, true];

/// The modules (row-major dark flags) of the normal-QR symbol that `bits` make at `ec`,
/// and its width.
pub(super) fn modules(bits: Bits, ec: EcLevel) -> QrResult<(Vec<bool>, usize)> {
    let (canvas, width) = unmasked(bits, ec)?;
    let mut best: Option<(u16, Vec<bool>)> = None;
    for mask in MASKS {
        let dark = masked(&canvas, mask);
        let score = penalty(&dark, width);
        // Strictly lower only: the first of equal scores stays, as `min_by_key` keeps it.
        if best.as_ref().is_none_or(|(least, _)| score < *least) {
            best = Some((score, dark));
        }
    }
    Ok((best.map(|(_, dark)| dark).unwrap_or_default(), width))
}

/// The symbol `bits` make at `ec` before masking (function patterns and codewords), and
/// its width.
fn unmasked(bits: Bits, ec: EcLevel) -> QrResult<(Canvas, usize)> {
    let version = bits.version();
    let (encoded, ec_data) = qrcode::ec::construct_codewords(&bits.into_bytes(), version, ec)?;
    let mut canvas = Canvas::new(version, ec);
    canvas.draw_all_functional_patterns();
    canvas.draw_data(&encoded, &ec_data);
    Ok((canvas, usize::try_from(version.width()).unwrap_or(0)))
}

/// The dark flags of `canvas` under `mask`.
fn masked(canvas: &Canvas, mask: MaskPattern) -> Vec<bool> {
    let mut masked = canvas.clone();
    masked.apply_mask(mask);
    masked.into_colors().into_iter().map(|c| c == Color::Dark).collect()
}

/// The crate's total penalty of a masked normal symbol (its `compute_total_penalty_scores`),
/// in its `u16` arithmetic, wrapping as its release build does.
fn penalty(dark: &[bool], width: usize) -> u16 {
    let mut score = 0u16;
    for horizontal in [true, false] {
        let mut line = vec![false; width];
        let mut finders = 0u16;
        for i in 0..width {
            for (j, module) in line.iter_mut().enumerate() {
                *module = if horizontal { dark[i * width + j] } else { dark[j * width + i] };
            }
            score = score.wrapping_add(runs(&line));
            finders = finders.wrapping_add(finder_like(&line));
        }
        // The three real finder patterns match nine times in each direction.
        score = score.wrapping_add(finders.wrapping_sub(360));
    }
    for y in 0..width.saturating_sub(1) {
        for x in 0..width - 1 {
            let at = y * width + x;
            let this = dark[at];
            if dark[at + 1] == this && dark[at + width] == this && dark[at + width + 1] == this {
                score = score.wrapping_add(3);
            }
        }
    }
    let ratio = dark.iter().filter(|&&d| d).count() * 200 / dark.len().max(1);
    score.wrapping_add(ratio.abs_diff(100) as u16)
}

/// Five or more modules alike in a row: 3 points, and one per module past five.
fn runs(line: &[bool]) -> u16 {
    let mut score = 0u16;
    let mut run = 1u16;
    for pair in line.windows(2) {
        if pair[0] == pair[1] {
            run += 1;
        } else {
            if run >= 5 {
                score = score.wrapping_add(run - 2);
            }
            run = 1;
        }
    }
    if run >= 5 {
        score = score.wrapping_add(run - 2);
    }
    score
}

/// 40 points for each finder-like pattern with four light modules (or the edge) on one
/// side at least.
fn finder_like(line: &[bool]) -> u16 {
    let mut score = 0u16;
    for j in 0..line.len().saturating_sub(6) {
        if line[j..j + 7] != FINDER {
            continue;
        }
        let before = line[j.saturating_sub(4)..j].iter().any(|&d| d);
        let after = line[j + 7..(j + 11).min(line.len())].iter().any(|&d| d);
        if !before || !after {
            score = score.wrapping_add(40);
        }
    }
    score
}

#[cfg(test)]
mod tests {
    use qrcode::{QrCode, Version};

    use super::*;

    fn crate_modules(code: &QrCode) -> Vec<bool> {
        code.to_colors().into_iter().map(|c| c == Color::Dark).collect()
    }

    /// Which of [`MASKS`] makes `dark` from `bits`.
    fn mask_of(bits: Bits, ec: EcLevel, dark: &[bool]) -> usize {
        let (canvas, _) = unmasked(bits, ec).unwrap();
        MASKS.iter().position(|&mask| masked(&canvas, mask) == dark).unwrap()
    }

    /// Payloads of every length up to 120 bytes, of URL and digit text, at every level:
    /// every mask wins for some, so a score that differs from the crate's would pick
    /// another mask somewhere and fail.
    #[test]
    fn the_modules_are_the_crates_for_every_level_and_length() {
        let levels = [EcLevel::L, EcLevel::M, EcLevel::Q, EcLevel::H];
        let url = format!("https://banc.example/{}", "article-".repeat(20));
        let mut masks_won = std::collections::HashSet::new();
        for length in 1..=120 {
            let digits: String =
                (0..length).map(|i| char::from(b'0' + (i * 7 % 10) as u8)).collect();
            for payload in [&url[..length], &digits] {
                for ec in levels {
                    let code = QrCode::with_error_correction_level(payload, ec).unwrap();
                    let bits = || qrcode::bits::encode_auto(payload.as_bytes(), ec).unwrap();
                    let (dark, width) = modules(bits(), ec).unwrap();
                    assert_eq!(width, code.width(), "{payload} at {ec:?}");
                    assert_eq!(dark, crate_modules(&code), "{payload} at {ec:?}");
                    masks_won.insert(mask_of(bits(), ec, &dark));
                }
            }
        }
        assert_eq!(masks_won.len(), MASKS.len());
    }

    /// The self-check's reference symbols are encoded at a chosen version, large ones
    /// too; a version too small for the payload fails as the crate's does.
    #[test]
    fn a_chosen_version_has_the_crates_modules() {
        let url = "https://liberte-actus.fr/1719";
        for version in [1, 2, 3, 7, 10, 20, 40] {
            let level = Version::Normal(version);
            let code = QrCode::with_version(url, level, EcLevel::Q);
            let mut bits = Bits::new(level);
            let ours = bits
                .push_optimal_data(url.as_bytes())
                .and_then(|()| bits.push_terminator(EcLevel::Q))
                .and_then(|()| modules(bits, EcLevel::Q));
            match (code, ours) {
                (Ok(code), Ok((dark, _))) => assert_eq!(dark, crate_modules(&code), "v{version}"),
                (Err(_), Err(_)) => assert!(version < 3, "version {version} holds the URL"),
                (code, ours) => panic!("version {version}: {:?} / {:?}", code.err(), ours.err()),
            }
        }
    }
}
