//! Colours on screen: the PDF's CMYK shown as a PDF viewer shows DeviceCMYK, through a
//! standard coated-offset profile (the bundled Coated FOGRA39, as Acrobat uses its working
//! CMYK profile) with the perceptual intent, so a preview looks like the PDF on screen:
//! black ink alone is near black (29, 29, 27), a tint the tint it names.
//!
//! Not through the issue's own output profile: a soft proof on coldset newsprint
//! (`icc/Newsprint-TR002.icc`) shows 100 % black as brown-grey (78, 66, 50) and every page
//! washed out, which is what newsprint looks like but not what a layout check needs to see.
//! DeviceGray, which no profile describes, is shown as it is, as PDF viewers show it.

use std::sync::Mutex;

use lcms2::{DisallowCache, Flags, Intent, PixelFormat, Profile, ThreadContext, Transform};

use crate::color::Color;
use crate::color::profile::BundledCondition;

/// The output profile's CMYK to sRGB, shareable between the threads drawing pages.
pub(super) struct Screen {
    transform: Transform<u8, u8, ThreadContext, DisallowCache>,
    /// Dropped after the transform, which Little CMS frees through it. Never locked: the
    /// mutex only makes the context shareable between threads.
    _context: Mutex<ThreadContext>,
}

impl Screen {
    /// The conversion from the screen's CMYK (Coated FOGRA39) to sRGB.
    pub(super) fn new() -> Result<Self, String> {
        let profile = BundledCondition::Fogra39.data();
        let context = ThreadContext::new();
        let input = Profile::new_icc_context(&context, profile).map_err(|e| e.to_string())?;
        let output = Profile::new_srgb_context(&context);
        let transform = Transform::new_flags_context(
            &context,
            &input,
            PixelFormat::CMYK_8,
            &output,
            PixelFormat::RGB_8,
            Intent::Perceptual,
            Flags::NO_CACHE,
        )
        .map_err(|e| e.to_string())?;
        Ok(Self { transform, _context: Mutex::new(context) })
    }

    /// Converts ink amounts (four bytes a pixel, 255 full ink) into RGB (three bytes).
    pub(super) fn inks_to_rgb(&self, inks: &[u8], rgb: &mut [u8]) {
        self.transform.transform_pixels(inks, rgb);
    }

    /// The screen colour of a display-list colour.
    pub(super) fn color(&self, color: Color) -> tiny_skia::Color {
        let byte = |v: f32| (v.clamp(0.0, 1.0) * 255.0).round() as u8;
        let [r, g, b] = match color {
            Color::Cmyk(c, m, y, k) => {
                let mut rgb = [0u8; 3];
                self.inks_to_rgb(&[byte(c), byte(m), byte(y), byte(k)], &mut rgb);
                rgb
            }
            // `Color::Gray` counts ink; DeviceGray, as drawn, counts light.
            Color::Gray(g) => [byte(1.0 - g); 3],
        };
        tiny_skia::Color::from_rgba8(r, g, b, 255)
    }
}
