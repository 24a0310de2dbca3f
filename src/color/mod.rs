//! Print colours. Every colour that reaches the display list is process CMYK or grey, so
//! the PDF/X writer never has to convert anything drawn by the layout.
//!
//! Colours that come in as RGB (hex style colours, RGB photos) are converted through the
//! output profile by [`transform`], the one Little CMS path of the program.

pub mod transform;

use serde::Deserialize;

pub use transform::OutputSpace;

/// The bundled CMYK output profile, Coated FOGRA39 (Adobe's profile bundling licence beside
/// it in `icc/`), used when `issue.yaml` names none.
pub const BUNDLED_OUTPUT_PROFILE: &[u8] = include_bytes!("../../icc/CoatedFOGRA39.icc");

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
