//! The one Little CMS path into the output CMYK space, for hex style colours (load) and
//! photos (render) alike.
//!
//! Building a transform costs about as much as converting a small photo (Little CMS parses
//! both profiles and precomputes a lookup table), so each one is built once per process and
//! shared between threads, keyed by the SHA-256 of everything that shapes it: output
//! profile, intent, source profile and pixel formats.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use lcms2::{DisallowCache, Flags, PixelFormat, Profile, ThreadContext, Transform};
use sha2::{Digest, Sha256};

use super::Intent;
use super::grid::RgbGrid;

/// A conversion to the output CMYK space (8 bits a channel): as Little CMS precomputes it,
/// or, for RGB photos, that conversion sampled on a grid ([`RgbGrid`]).
pub struct CmykTransform {
    inner: Inner,
}

/// How a [`CmykTransform`] converts.
enum Inner {
    /// Little CMS itself. It has no 1-pixel cache, which is what makes it shareable; the
    /// results are the same.
    Lcms {
        transform: Transform<u8, u8, ThreadContext, DisallowCache>,
        /// Dropped after the transform, which Little CMS frees through it. Never locked:
        /// the mutex only makes the context shareable between threads.
        _context: Mutex<ThreadContext>,
    },
    /// The RGB conversion sampled on a grid, for photos.
    Grid(Box<RgbGrid>),
}

impl CmykTransform {
    /// Converts `source` pixels (RGB or CMYK, as the source profile says) into `cmyk`, four
    /// bytes a pixel.
    pub fn convert(&self, source: &[u8], cmyk: &mut [u8]) {
        match &self.inner {
            Inner::Lcms { transform, .. } => transform.transform_pixels(source, cmyk),
            Inner::Grid(grid) => grid.convert(source, cmyk),
        }
    }
}

/// Why a conversion could not be built.
#[derive(Debug)]
pub enum Unusable {
    /// The source profile (an image's embedded one; the caller may fall back to sRGB).
    Source(String),
    /// The output profile.
    Output(String),
    /// Little CMS refused the pair (e.g. an output profile that is not CMYK).
    Build(String),
}

/// Transforms built so far, by key; a handful at most in practice.
pub struct TransformCache {
    built: Mutex<Vec<([u8; 32], Arc<CmykTransform>)>>,
    /// How many transforms this cache has built, what the tests count.
    builds: AtomicUsize,
}

/// More distinct conversions than this in one process is unusual; the oldest goes.
const MAX_TRANSFORMS: usize = 8;

/// The cache every conversion of the process goes through.
static SHARED: TransformCache = TransformCache::new();

impl TransformCache {
    /// An empty cache (the process has one, [`OutputSpace::new`] uses it; tests make their
    /// own to count what is built).
    pub const fn new() -> Self {
        Self { built: Mutex::new(Vec::new()), builds: AtomicUsize::new(0) }
    }

    /// How many transforms have been built through this cache.
    pub fn builds(&self) -> usize {
        self.builds.load(Ordering::Relaxed)
    }

    /// The transform of `key`, built by `build` if it is not cached yet.
    fn get_or_build(
        &self,
        key: [u8; 32],
        build: impl FnOnce() -> Result<CmykTransform, Unusable>,
    ) -> Result<Arc<CmykTransform>, Unusable> {
        // Held while building, so two threads wanting the same conversion build it once.
        let mut built = self.built.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some((_, transform)) = built.iter().find(|(k, _)| *k == key) {
            return Ok(Arc::clone(transform));
        }
        self.builds.fetch_add(1, Ordering::Relaxed);
        let transform = Arc::new(build()?);
        if built.len() >= MAX_TRANSFORMS {
            built.remove(0);
        }
        built.push((key, Arc::clone(&transform)));
        Ok(transform)
    }
}

impl Default for TransformCache {
    fn default() -> Self {
        Self::new()
    }
}

/// An output CMYK space: the press's profile and the rendering intent, and the
/// conversions into it from sRGB or an embedded profile.
pub struct OutputSpace<'a> {
    profile: &'a [u8],
    intent: Intent,
    /// SHA-256 of the output profile and the intent, the part of every key this space
    /// shares.
    output_key: [u8; 32],
    cache: &'a TransformCache,
}

impl<'a> OutputSpace<'a> {
    /// The space of the CMYK output `profile` (an ICC file) with `intent`, through the
    /// process's cache.
    pub fn new(profile: &'a [u8], intent: Intent) -> Self {
        Self::with_cache(profile, intent, &SHARED)
    }

    /// [`OutputSpace::new`] with its own cache.
    pub fn with_cache(profile: &'a [u8], intent: Intent, cache: &'a TransformCache) -> Self {
        let mut hash = Sha256::new();
        hash.update(profile);
        hash.update([intent as u8]);
        Self { profile, intent, output_key: hash.finalize().into(), cache }
    }

    /// SHA-256 of the output profile and the intent: what the space's conversions give
    /// depends on nothing else.
    pub fn key(&self) -> [u8; 32] {
        self.output_key
    }

    /// The output profile (an ICC file).
    pub fn profile(&self) -> &'a [u8] {
        self.profile
    }

    /// The conversion from `source` (an RGB or CMYK ICC profile; `None` = sRGB) into this
    /// space.
    pub fn transform_from(&self, source: Option<&[u8]>) -> Result<Arc<CmykTransform>, Unusable> {
        self.cached(source, false)
    }

    /// The conversion of a photo from `source` into this space: as
    /// [`OutputSpace::transform_from`], but from an RGB source sampled on a grid
    /// ([`RgbGrid`]), several times faster for the colours of a whole photo and within a
    /// unit of Little CMS.
    pub fn photo_transform_from(
        &self,
        source: Option<&[u8]>,
    ) -> Result<Arc<CmykTransform>, Unusable> {
        self.cached(source, true)
    }

    /// The conversion from `source`, sampled on a grid when `grid` asks for it and the
    /// source is RGB, from the process's cache or built now.
    fn cached(&self, source: Option<&[u8]>, grid: bool) -> Result<Arc<CmykTransform>, Unusable> {
        // A CMYK source is a photo separated for another printing condition.
        let format = match source {
            Some(icc) if is_cmyk_profile(icc) => PixelFormat::CMYK_8,
            _ => PixelFormat::RGB_8,
        };
        let grid = grid && format == PixelFormat::RGB_8;
        let mut hash = Sha256::new();
        hash.update(self.output_key);
        hash.update(format.0.to_be_bytes());
        hash.update(PixelFormat::CMYK_8.0.to_be_bytes());
        hash.update([u8::from(grid)]);
        match source {
            Some(icc) => {
                hash.update([1]);
                hash.update(icc);
            }
            None => hash.update([0]),
        }
        self.cache.get_or_build(hash.finalize().into(), || {
            let context = ThreadContext::new();
            let inner = if grid {
                let transform = self.build::<[u16; 3], [u16; 4]>(
                    &context,
                    source,
                    PixelFormat::RGB_16,
                    PixelFormat::CMYK_16,
                )?;
                let sample = |rgb: &[[u16; 3]], cmyk: &mut [[u16; 4]]| {
                    transform.transform_pixels(rgb, cmyk);
                };
                Inner::Grid(Box::new(RgbGrid::sample(sample)))
            } else {
                let transform = self.build(&context, source, format, PixelFormat::CMYK_8)?;
                Inner::Lcms { transform, _context: Mutex::new(context) }
            };
            Ok(CmykTransform { inner })
        })
    }

    /// The Little CMS transform from `source` (`None`: sRGB) into this space, between the
    /// pixel formats given.
    fn build<In: Copy + lcms2::Pod, Out: Copy + lcms2::Pod>(
        &self,
        context: &ThreadContext,
        source: Option<&[u8]>,
        from: PixelFormat,
        to: PixelFormat,
    ) -> Result<Transform<In, Out, ThreadContext, DisallowCache>, Unusable> {
        let input = match source {
            Some(icc) => Profile::new_icc_context(context, icc)
                .map_err(|e| Unusable::Source(e.to_string()))?,
            None => Profile::new_srgb_context(context),
        };
        let output = Profile::new_icc_context(context, self.profile)
            .map_err(|e| Unusable::Output(e.to_string()))?;
        let (intent, flags) = match self.intent {
            Intent::RelativeColorimetric => (
                lcms2::Intent::RelativeColorimetric,
                Flags::NO_CACHE | Flags::BLACKPOINT_COMPENSATION,
            ),
            Intent::Perceptual => (lcms2::Intent::Perceptual, Flags::NO_CACHE),
        };
        Transform::new_flags_context(context, &input, from, &output, to, intent, flags)
            .map_err(|e| Unusable::Build(e.to_string()))
    }
}

/// Whether an ICC profile's header says RGB.
pub fn is_rgb_profile(icc: &[u8]) -> bool {
    icc.get(16..20) == Some(b"RGB ")
}

/// Whether an ICC profile's header says CMYK.
pub fn is_cmyk_profile(icc: &[u8]) -> bool {
    icc.get(16..20) == Some(b"CMYK")
}
