//! Print colours. Every colour that reaches the display list is process CMYK or grey, so
//! the PDF/X writer never has to convert anything drawn by the layout.
//!
//! Colours that come in as RGB (hex style colours, RGB photos) are converted through the
//! output profile by [`transform`], the one Little CMS path of the program.

pub mod grid;
pub mod profile;
pub mod transform;

use serde::Deserialize;

pub use transform::OutputSpace;

/// The default CMYK output profile, newsprint (`icc/README.md`), used when `issue.yaml`
/// names none.
pub const BUNDLED_OUTPUT_PROFILE: &[u8] = profile::BundledCondition::Newsprint.data();

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

/// Colour-conversion rendering intent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Intent {
    /// Relative colorimetric with black-point compensation.
    RelativeColorimetric,
    /// Perceptual.
    Perceptual,
}

/// Converts an sRGB colour to CMYK through a CMYK output profile with Little CMS (relative
/// colorimetric, black-point compensation), by the same path and cache as the photos.
/// `None` if the profile is not a usable CMYK profile.
pub fn srgb_to_cmyk(rgb: (u8, u8, u8), output_profile: &[u8]) -> Option<Color> {
    srgb_to_cmyk_in(&OutputSpace::new(output_profile, Intent::RelativeColorimetric), rgb)
}

/// The widest spread between the red, green and blue of a hex colour still taken as a grey
/// (3 % of the scale: what a designer's "#333" or "#2a2a2c" means).
const NEUTRAL_SPREAD: u8 = 8;

/// How a hex (sRGB) colour of `issue.yaml` prints through a CMYK output profile.
///
/// A grey is printed with black ink alone, at the tint of the same relative lightness on
/// the press (the profile's K ramp, with sRGB's black mapped to solid K as black-point
/// compensation does): a grey built from four inks drifts in colour with every register
/// shift, and text in it would be rich black. A black (`#000000`, `#111`: up to L* 10) is
/// 100 % K. Any other colour is converted
/// through the profile (relative colorimetric with black-point compensation), with the
/// black generation its maker chose. `None` if the profile is not a usable CMYK profile.
pub fn hex_to_cmyk(rgb: (u8, u8, u8), output_profile: &[u8]) -> Option<Color> {
    let (low, high) = (rgb.0.min(rgb.1).min(rgb.2), rgb.0.max(rgb.1).max(rgb.2));
    if high - low > NEUTRAL_SPREAD {
        return srgb_to_cmyk(rgb, output_profile);
    }
    let grey = (u32::from(rgb.0) + u32::from(rgb.1) + u32::from(rgb.2)) as f64 / 3.0;
    let lightness = srgb_lightness(grey / 255.0);
    let ramp = profile::black_ramp(output_profile)?;
    if lightness <= BLACK_LIGHTNESS {
        return Some(Color::BLACK);
    }
    // sRGB's range of lightness onto the press's, from solid K to paper.
    let solid = ramp.last().copied().unwrap_or(0.0);
    let target = solid + (100.0 - solid) * lightness / 100.0;
    // The lightest tint at least as dark as the grey.
    let k = ramp.iter().position(|&l| l <= target).unwrap_or(255);
    Some(Color::Cmyk(0.0, 0.0, 0.0, k as f32 / 255.0))
}

/// The lightness (L*) up to which a hex grey is black: `#111` is 5, `#1a1a1a` 9.
const BLACK_LIGHTNESS: f64 = 10.0;

/// CIE L* of an sRGB grey (0 = black, 1 = white).
fn srgb_lightness(value: f64) -> f64 {
    let linear = if value <= 0.04045 { value / 12.92 } else { ((value + 0.055) / 1.055).powf(2.4) };
    if linear > 216.0 / 24389.0 { 116.0 * linear.cbrt() - 16.0 } else { linear * 24389.0 / 27.0 }
}

/// [`srgb_to_cmyk`] into a given output space.
fn srgb_to_cmyk_in(space: &OutputSpace, rgb: (u8, u8, u8)) -> Option<Color> {
    let transform = space.transform_from(None).ok()?;
    let mut out = [0u8; 4];
    transform.convert(&[rgb.0, rgb.1, rgb.2], &mut out);
    let [c, m, y, k] = out.map(|v| f32::from(v) / 255.0);
    Some(Color::Cmyk(c, m, y, k))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_colours_go_through_the_output_profile() {
        let Some(Color::Cmyk(c, m, y, k)) = srgb_to_cmyk((255, 255, 255), BUNDLED_OUTPUT_PROFILE)
        else {
            panic!("converts")
        };
        assert!(c + m + y + k < 0.02, "white is no ink");
        let Some(Color::Cmyk(c, m, y, _)) = srgb_to_cmyk((220, 20, 30), BUNDLED_OUTPUT_PROFILE)
        else {
            panic!("converts")
        };
        // A red is mostly magenta and yellow, and FOGRA39 is not the naive formula (which
        // would give exactly 0 % cyan and 91 % magenta).
        assert!(m > 0.7 && y > 0.6 && c < 0.2, "{c} {m} {y}");
        assert!(srgb_to_cmyk((0, 0, 0), b"not a profile").is_none());
    }

    #[test]
    fn a_neutral_srgb_grey_lands_mostly_in_black() {
        // Through the newsprint profile's heavy black generation, as photos are converted.
        let Some(Color::Cmyk(c, m, y, k)) = srgb_to_cmyk((128, 128, 128), BUNDLED_OUTPUT_PROFILE)
        else {
            panic!("converts")
        };
        assert!(k > 0.4 && k > 2.0 * c && c + m + y < 0.4, "{c} {m} {y} {k}");
        // Coated FOGRA39 builds the same grey mostly from colour (C48 M39 Y39 K21).
        let fogra39 = profile::BundledCondition::Fogra39.data();
        let Some(Color::Cmyk(c, m, y, k)) = srgb_to_cmyk((128, 128, 128), fogra39) else {
            panic!("converts")
        };
        assert!(c + m + y > 1.0 && k < 0.3, "{c} {m} {y} {k}");
    }

    #[test]
    fn hex_greys_are_black_ink_alone_and_black_is_solid_k() {
        for profile in [BUNDLED_OUTPUT_PROFILE, profile::BundledCondition::Fogra39.data()] {
            for black in [(0, 0, 0), (17, 17, 17), (20, 18, 22)] {
                assert_eq!(hex_to_cmyk(black, profile), Some(Color::BLACK), "{black:?}");
            }
            let Some(Color::Cmyk(0.0, 0.0, 0.0, k)) = hex_to_cmyk((128, 128, 128), profile) else {
                panic!("a grey is K only")
            };
            assert!((0.3..0.7).contains(&k), "{k}");
            let lighter = hex_to_cmyk((200, 200, 200), profile).unwrap();
            assert!(matches!(lighter, Color::Cmyk(0.0, 0.0, 0.0, l) if l < k));
            assert_eq!(hex_to_cmyk((255, 255, 255), profile), Some(Color::PAPER));
            // A colour is not a grey: the profile separates it.
            assert!(!hex_to_cmyk((200, 30, 40), profile).unwrap().is_black_only());
        }
    }

    /// What hex colours were converted with before they shared the photos' path: a new
    /// Little CMS transform (global context, 1-pixel cache) for every colour.
    fn one_off_conversion(rgb: (u8, u8, u8)) -> Color {
        let transform = lcms2::Transform::new_flags(
            &lcms2::Profile::new_srgb(),
            lcms2::PixelFormat::RGB_8,
            &lcms2::Profile::new_icc(BUNDLED_OUTPUT_PROFILE).unwrap(),
            lcms2::PixelFormat::CMYK_8,
            lcms2::Intent::RelativeColorimetric,
            lcms2::Flags::BLACKPOINT_COMPENSATION,
        )
        .unwrap();
        let mut out = [[0u8; 4]];
        transform.transform_pixels(&[[rgb.0, rgb.1, rgb.2]], &mut out);
        let [c, m, y, k] = out[0].map(|v| f32::from(v) / 255.0);
        Color::Cmyk(c, m, y, k)
    }

    #[test]
    fn many_hex_colours_build_one_transform_and_convert_as_before() {
        let cache = transform::TransformCache::new();
        let space =
            OutputSpace::with_cache(BUNDLED_OUTPUT_PROFILE, Intent::RelativeColorimetric, &cache);
        let colours: Vec<(u8, u8, u8)> =
            (0..200u32).map(|i| ((i * 37) as u8, (i * 91 + 7) as u8, (255 - i) as u8)).collect();
        for &rgb in &colours {
            assert_eq!(srgb_to_cmyk_in(&space, rgb), Some(one_off_conversion(rgb)), "{rgb:?}");
        }
        assert_eq!(cache.builds(), 1);
        // The photos' perceptual conversion into the same profile is another transform.
        let perceptual =
            OutputSpace::with_cache(BUNDLED_OUTPUT_PROFILE, Intent::Perceptual, &cache);
        assert!(perceptual.transform_from(None).is_ok());
        assert!(space.transform_from(None).is_ok());
        assert_eq!(cache.builds(), 2);
    }
}
