//! Colours on screen: the press's CMYK through its own output profile to sRGB with Little
//! CMS (relative colorimetric: paper white is screen white), so a preview shows what the
//! press prints: black ink alone as the dark grey it is on paper, a tint as pale as it
//! will come out. DeviceGray, which no profile describes, is shown as it is, as PDF
//! viewers show it.

use std::sync::Mutex;

use lcms2::{DisallowCache, Flags, Intent, PixelFormat, Profile, ThreadContext, Transform};

use crate::color::Color;

/// The output profile's CMYK to sRGB, shareable between the threads drawing pages.
pub(super) struct Screen {
    transform: Transform<u8, u8, ThreadContext, DisallowCache>,
    /// Dropped after the transform, which Little CMS frees through it. Never locked: the
    /// mutex only makes the context shareable between threads.
    _context: Mutex<ThreadContext>,
}

impl Screen {
    /// The conversion from the CMYK of `profile` (an ICC file) to sRGB.
    pub(super) fn new(profile: &[u8]) -> Result<Self, String> {
        let context = ThreadContext::new();
        let input = Profile::new_icc_context(&context, profile).map_err(|e| e.to_string())?;
        let output = Profile::new_srgb_context(&context);
        let transform = Transform::new_flags_context(
            &context,
            &input,
            PixelFormat::CMYK_8,
            &output,
            PixelFormat::RGB_8,
            Intent::RelativeColorimetric,
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
