//! The QR self-check: each symbol is rasterised as it would come off a coldset newsprint
//! press (ink spread, grey paper, slight blur, a little noise), located and decoded with
//! `rqrr`, and read again with an imprecise sampling grid; a symbol that does not read back
//! to its exact payload, or reads only with a perfect grid, must not go to press.

use std::ops::Range;
use std::sync::{Arc, LazyLock, Mutex, OnceLock, PoisonError};

use rustc_hash::FxHashSet;

use super::QrSymbol;
use super::symbol::{QUIET_ZONE, correctable_modules, encode_at_version};
use crate::model::EcLevel;

/// Resolution of the simulated print scan, dots per inch: about what a phone camera sees
/// of an 18 mm symbol held at reading distance, so a symbol that decodes here has margin.
pub const DEFAULT_DPI: f32 = 150.0;
/// Ink spread on coldset newsprint, mm per edge: dark modules grow by this much on each side.
pub const NEWSPRINT_SPREAD_MM: f32 = 0.08;
/// Grey level of newsprint paper (0 black, 255 white).
const PAPER: f32 = 225.0;
/// Grey level of solid black ink on newsprint.
const INK: f32 = 35.0;
/// Peak amplitude of the paper-roughness noise, grey levels.
const NOISE: f32 = 6.0;
/// Subsamples per pixel side for the coverage estimate.
const SUPERSAMPLE: usize = 4;
/// Binarisation attempts for locating the symbol, in order: a fixed threshold as a fraction
/// of the way from ink to paper, or `None` for rqrr's own adaptive one. rqrr (a port of
/// quirc) finds the finder patterns by their 1:1:3:1:1 runs, which ink spread distorts, and
/// binarises with one fixed rule; a phone retries over many frames and exposures. A darker
/// threshold erodes the spread back, a lighter one helps thin prints. A print that none of
/// them locates fails the check, so the order changes only how long a check takes: 0.35
/// comes first because it suits spread newsprint symbols.
const ATTEMPTS: [Option<f32>; 4] = [Some(0.35), None, Some(0.5), Some(0.65)];
/// Binarisation thresholds for reading the modules once the grid is known, as fractions of
/// the way from ink to paper: the centred grid is decoded at the first that works, the
/// shifted grids count their wrong modules at the best of them. The darker 0.35 comes
/// first: it erodes the spread back, and reads a spread 0.5 mm symbol's shifted grids with
/// 0 to 3 wrong modules where 0.5 gets 40 to 200.
const READ_THRESHOLDS: [f32; 3] = [0.35, 0.5, 0.65];
/// How far off the module centres a decoder's fitted grid may sample, as a fraction of a
/// module. A fifth of a module is where newsprint spread starts to tell: after 0.08 mm of
/// spread, symbols of 0.5 and 0.6 mm modules read their shifted grids with at most a few
/// wrong modules, 0.4 mm ones (0.24 mm light modules) with dozens.
const FIT_ERROR: f32 = 0.2;
/// Refuse absurd rasters (a bad dpi or module size) instead of allocating gigabytes.
const MAX_PIXELS_PER_SIDE: usize = 4000;

/// What the QR block reports once the symbol is placed and verified.
#[derive(Debug, Clone, PartialEq)]
pub struct QrReport {
    /// The encoded URL.
    pub payload: String,
    /// QR version 1–40.
    pub version: u8,
    /// Error-correction level.
    pub ec_level: EcLevel,
    /// Side of the block including the quiet zone, mm.
    pub size_mm: f32,
    /// Side of one module, mm.
    pub module_mm: f32,
}

impl QrReport {
    /// The report for `symbol` printed with `module_mm` modules.
    pub fn new(symbol: &QrSymbol, module_mm: f32) -> Self {
        QrReport {
            payload: symbol.payload.clone(),
            version: symbol.version,
            ec_level: symbol.ec_level,
            size_mm: symbol.size_with_quiet_zone(module_mm),
            module_mm,
        }
    }
}

/// A tiny deterministic PRNG (xorshift32) so the simulated paper is the same on every run.
struct XorShift(u32);

impl XorShift {
    /// Uniform in [-1, 1).
    fn next_signed(&mut self) -> f32 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 17;
        self.0 ^= self.0 << 5;
        (self.0 >> 8) as f32 / (1u32 << 23) as f32 - 1.0
    }
}

/// For each subsample position along one axis (`count` of them, `step` mm apart, starting
/// at `origin` mm from the symbol's edge), the range of module indices whose interval, grown
/// by `spread` mm on both sides, contains it. Dark modules grown on both axes are squares
/// grown by a square (a Minkowski sum), so a point is inked when a dark module lies in the
/// product of its two ranges.
fn axis_ranges(
    count: usize,
    origin: f32,
    step: f32,
    module: f32,
    spread: f32,
    width: u32,
) -> Vec<(u32, u32)> {
    (0..count)
        .map(|k| {
            let c = origin + (k as f32 + 0.5) * step;
            // Interval i is [i*module - spread, (i+1)*module + spread).
            let lo = ((c - spread) / module - 1.0).floor().max(0.0);
            let hi = ((c + spread) / module).floor().min(width as f32 - 1.0);
            let covers = |i: f32| c >= i * module - spread && c < (i + 1.0) * module + spread;
            let (mut lo, mut hi) = (lo, hi);
            while lo <= hi && !covers(lo) {
                lo += 1.0;
            }
            while hi >= lo && !covers(hi) {
                hi -= 1.0;
            }
            if lo > hi { (1, 0) } else { (lo as u32, hi as u32) }
        })
        .collect()
}

/// How many of each pixel's `SUPERSAMPLE`² subsamples are inked, for the pixels of `pixels`
/// (the same range of rows and columns; the others stay 0) of an `n` x `n` raster whose
/// subsample positions along either axis cover the module ranges `ranges`.
///
/// A subsample (sx, sy) is inked when a dark module lies in `ranges[sx]` x `ranges[sy]`.
/// Done row by row: neighbouring subsample rows share their range of module rows, so once
/// per distinct range the columns with a dark module in it are found, and from them how
/// many subsamples of each pixel the row inks; each subsample row then only adds those
/// counts to its pixel row.
fn inked_subsamples(
    symbol: &QrSymbol,
    ranges: &[(u32, u32)],
    n: usize,
    pixels: Range<usize>,
) -> Vec<u16> {
    let width = symbol.width;
    let mut hits = vec![0u16; n * n];
    // Dark columns before each column, so that whether a range of columns holds one is a
    // subtraction (an empty range, (1, 0), holds none).
    let mut dark_before = vec![0u32; width as usize + 1];
    let mut row_counts = vec![0u16; n];
    let mut row_range = None;
    for sy in pixels.start * SUPERSAMPLE..pixels.end * SUPERSAMPLE {
        let (y0, y1) = ranges[sy];
        if row_range != Some((y0, y1)) {
            for i in 0..width {
                let dark = (y0..=y1).any(|j| symbol.is_dark(i, j));
                dark_before[i as usize + 1] = dark_before[i as usize] + u32::from(dark);
            }
            for px in pixels.clone() {
                row_counts[px] = ranges[px * SUPERSAMPLE..(px + 1) * SUPERSAMPLE]
                    .iter()
                    .map(|&(x0, x1)| {
                        u16::from(dark_before[x1 as usize + 1] > dark_before[x0 as usize])
                    })
                    .sum();
            }
            row_range = Some((y0, y1));
        }
        let counts = &mut hits[(sy / SUPERSAMPLE) * n..][..n];
        for (count, inked) in counts[pixels.clone()].iter_mut().zip(&row_counts[pixels.clone()]) {
            *count += inked;
        }
    }
    hits
}

/// What the simulated print of every symbol of one width shares at one print setting: the
/// raster's side, which modules each subsample position falls on, and the paper's noise.
/// None of it depends on the symbol's modules, so it is worked out once per version and
/// print setting in a process ([`Raster::for_symbol`]) instead of once per symbol.
struct Raster {
    /// Side, pixels.
    n: usize,
    /// Module ranges of the subsample positions along either axis ([`axis_ranges`]).
    ranges: Vec<(u32, u32)>,
    /// The paper-roughness noise added to each pixel, row-major: the same deterministic
    /// sequence every symbol gets, so a check's outcome does not depend on what ran before.
    noise: Vec<f32>,
}

/// A [`Raster`] and the symbol width and print setting it is for.
type RasterEntry = ((u32, PrintSetting), Arc<Raster>);

/// The [`Raster`]s made in this process: one per version and print setting in use, a handful.
static RASTERS: Mutex<Vec<RasterEntry>> = Mutex::new(Vec::new());

impl Raster {
    /// The raster of symbols `width` modules wide printed with `print`, made on first use.
    fn for_symbol(width: u32, print: PrintSetting) -> Arc<Raster> {
        let key = (width, print);
        let known = |rasters: &[RasterEntry]| {
            rasters.iter().find(|(k, _)| *k == key).map(|(_, r)| Arc::clone(r))
        };
        if let Some(raster) = known(&RASTERS.lock().unwrap_or_else(PoisonError::into_inner)) {
            return raster;
        }
        let px_per_mm = print.dpi / 25.4;
        let side = (width + 2 * QUIET_ZONE) as f32 * print.module_mm;
        let n = (side * px_per_mm).ceil() as usize;
        let margin = QUIET_ZONE as f32 * print.module_mm;
        let step = 1.0 / (SUPERSAMPLE as f32 * px_per_mm);
        let ranges =
            axis_ranges(n * SUPERSAMPLE, -margin, step, print.module_mm, print.spread_mm, width);
        let mut rng = XorShift(0x2F6E_2B1D);
        let noise = (0..n * n).map(|_| NOISE * rng.next_signed()).collect();
        let raster = Arc::new(Raster { n, ranges, noise });
        let mut rasters = RASTERS.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(known) = known(&rasters) {
            return known;
        }
        rasters.push((key, Arc::clone(&raster)));
        raster
    }

    /// Prints `symbol` (of this raster's width) as a greyscale scan, row-major, side `n`:
    /// only the rows and columns of `pixels`, the rest left as bare paper. Reading the
    /// modules looks only inside the symbol, so the quiet zone need not be simulated there.
    fn print(&self, symbol: &QrSymbol, pixels: Range<usize>) -> Vec<u8> {
        let n = self.n;
        // The blur reaches one pixel further.
        let counted = pixels.start.saturating_sub(1)..(pixels.end + 1).min(n);
        let hits = inked_subsamples(symbol, &self.ranges, n, counted.clone());
        // A [1 2 1] x [1 2 1] blur stands for the camera's softness and the ink's feathering,
        // done as two passes on the whole subsample counts: the weighted sum is an integer
        // (at most 16 x 16), so the grey levels are exactly those of summing the coverage
        // fractions directly, at a third of the work.
        let clamp = |v: usize, d: isize| (v as isize + d).clamp(0, n as isize - 1) as usize;
        let mut across = vec![0u16; n * n];
        for y in counted {
            let row_in = &hits[y * n..][..n];
            let row_out = &mut across[y * n..][..n];
            for x in pixels.clone() {
                row_out[x] = row_in[clamp(x, -1)] + 2 * row_in[x] + row_in[clamp(x, 1)];
            }
        }
        let blurred_grey = &*BLURRED_GREY;
        let mut grey = vec![PAPER as u8; n * n];
        for y in pixels.clone() {
            let (above, row, below) = (clamp(y, -1) * n, y * n, clamp(y, 1) * n);
            let (above, middle, below) =
                (&across[above..][..n], &across[row..][..n], &across[below..][..n]);
            let (noise, out) = (&self.noise[row..][..n], &mut grey[row..][..n]);
            for x in pixels.clone() {
                let sum = above[x] + 2 * middle[x] + below[x];
                out[x] = round_grey(blurred_grey[usize::from(sum)] + noise[x]);
            }
        }
        grey
    }
}

/// The most a pixel's blurred subsample count reaches: [`SUPERSAMPLE`]² subsamples, each
/// weighted by the [1 2 1] x [1 2 1] blur's 16.
const MAX_BLURRED: usize = SUPERSAMPLE * SUPERSAMPLE * 16;

/// The grey level, before the paper's noise, of a pixel by its blurred subsample count:
/// worked out once instead of a division and a multiplication per pixel, with the same
/// floating-point operations, so the levels are bit for bit those of doing it per pixel.
static BLURRED_GREY: LazyLock<[f32; MAX_BLURRED + 1]> = LazyLock::new(|| {
    std::array::from_fn(|sum| {
        // Coverage of the blurred pixel, 0 to 1.
        let c = sum as f32 / (SUPERSAMPLE * SUPERSAMPLE) as f32 / 16.0;
        PAPER - c * (PAPER - INK)
    })
});

/// `value.round().clamp(0.0, 255.0) as u8`, without the `roundf` call that `f32::round`
/// is on the baseline x86-64 target (a tenth of a print's time in the profile). Rounding is
/// monotonic, so clamping first to the integers 0 and 255 gives the same result, and for
/// a value in 0..=255 the fraction `value - trunc(value)` is exact, so comparing it with
/// one half rounds half away from zero exactly as `f32::round` does.
fn round_grey(value: f32) -> u8 {
    let value = value.clamp(0.0, 255.0);
    let whole = value as u8;
    whole + u8::from(value - f32::from(whole) >= 0.5)
}

/// Prints `symbol` in simulation and reads it back: rasterises at `dpi` with the 4-module
/// quiet zone, dark modules grown by `spread_mm` per edge, a slight blur, grey paper (225)
/// and ink (35), then checks it in two steps, the way a phone reads a code:
///
/// 1. **Locate.** rqrr must find the symbol in the simulated print (finder patterns, timing
///    patterns, alignment patterns) and fit its sampling grid to within a module of the
///    truth. Finding and fitting look only at those function patterns, which are the same
///    in every symbol of a version, so this step runs on a reference symbol of the same
///    version and error-correction level once per version and print setting in a process
///    (`locate`); the grid fitting is almost all of a full decode's time (3–4 ms a
///    symbol, against about 0.2 ms for the rest), and an issue's URLs share one or two
///    versions. Where the reference is not found, the symbol itself is tried.
/// 2. **Read.** This symbol's own simulated print is sampled at the centre of every module,
///    as a decoder does once it holds the grid, binarised at a few thresholds (a phone
///    retries exposures), and decoded by rqrr's decoder (format information, unmasking,
///    Reed–Solomon correction); sampled again with the grid a fifth of a module off, it may
///    read at most half as many wrong modules as the error correction repairs (`read`).
///
/// Returns the decoded text, which is always the symbol's payload: a symbol that is not
/// found, does not decode, or decodes to anything else is an `Err` saying why.
pub fn verify(
    symbol: &QrSymbol,
    module_mm: f32,
    dpi: f32,
    spread_mm: f32,
) -> Result<String, String> {
    let print = PrintSetting::new(module_mm, dpi, spread_mm)?;
    if symbol.modules.len() != (symbol.width as usize).pow(2) {
        return Err("the symbol's module grid is not square".into());
    }
    let key = Verified { symbol: symbol.clone(), print: print.bits() };
    if VERIFIED.lock().unwrap_or_else(PoisonError::into_inner).contains(&key) {
        return Ok(symbol.payload.clone());
    }
    if let Err(e) = locate(symbol.version, symbol.ec_level, print) {
        // The detector is sensitive to how the modules fall on the pixel grid; the symbol
        // itself may still be found where the reference was not.
        detect(symbol, print).map_err(|_| e)?;
    }
    let text = read(symbol, print)?;
    VERIFIED.lock().unwrap_or_else(PoisonError::into_inner).insert(key);
    Ok(text)
}

/// A symbol that read back to its payload, and the print setting it was read at (as bits,
/// to be hashable): everything the outcome of [`verify`] depends on, the simulation's
/// constants aside. Keyed by the whole symbol, not a hash of it, so no two symbols can
/// share an entry.
#[derive(PartialEq, Eq, Hash)]
struct Verified {
    symbol: QrSymbol,
    print: [u32; 3],
}

/// The symbols [`verify`] read back in this process: the same symbol at the same setting
/// is checked once (an article set again by the copyfit, its module size re-checked, the
/// same URL in two articles). Only successes are kept, so a failure is always reported
/// afresh with its reason.
static VERIFIED: LazyLock<Mutex<FxHashSet<Verified>>> = LazyLock::new(Default::default);

/// How a symbol is printed and scanned in the simulation.
#[derive(Debug, Clone, Copy, PartialEq)]
struct PrintSetting {
    module_mm: f32,
    dpi: f32,
    spread_mm: f32,
}

impl PrintSetting {
    /// The setting as bits, for [`Verified`]'s key (the values are finite, so bit-equal
    /// is equal).
    fn bits(self) -> [u32; 3] {
        [self.module_mm.to_bits(), self.dpi.to_bits(), self.spread_mm.to_bits()]
    }

    fn new(module_mm: f32, dpi: f32, spread_mm: f32) -> Result<Self, String> {
        let valid = |v: f32| v.is_finite() && v > 0.0;
        if !valid(module_mm)
            || !valid(dpi)
            || !spread_mm.is_finite()
            || 2.0 * spread_mm <= -module_mm
        {
            return Err(format!(
                "cannot simulate a print with {module_mm} mm modules, {dpi} dpi, {spread_mm} mm spread"
            ));
        }
        Ok(PrintSetting { module_mm, dpi, spread_mm })
    }

    /// The simulated print scan of `symbol` with its quiet zone: side, and grey levels
    /// row-major.
    fn rasterise(self, symbol: &QrSymbol) -> Result<(usize, Vec<u8>), String> {
        let raster = self.raster(symbol)?;
        Ok((raster.n, raster.print(symbol, 0..raster.n)))
    }

    /// The [`Raster`] of `symbol`'s version at this setting, unless it would be absurdly
    /// large.
    fn raster(self, symbol: &QrSymbol) -> Result<Arc<Raster>, String> {
        let side = symbol.size_with_quiet_zone(self.module_mm) * self.dpi / 25.4;
        if side > MAX_PIXELS_PER_SIDE as f32 {
            return Err(format!("a {side:.0} px simulated scan is too large"));
        }
        Ok(Raster::for_symbol(symbol.width, self))
    }
}

/// What [`locate`] finds for one version, error-correction level and print setting, once
/// worked out.
type Located = ((u8, EcLevel, PrintSetting), Arc<OnceLock<Result<(), String>>>);

/// Outcomes of [`locate`] in this process. A handful of entries at most (one per distinct
/// version in an issue), so a list.
static LOCATED: Mutex<Vec<Located>> = Mutex::new(Vec::new());

/// Step 1 of [`verify`]: whether rqrr finds a symbol of `version` and `ec` printed with
/// `print` and fits its grid, tried on a reference symbol (an empty payload at that version)
/// and remembered for the process. The reference keeps the outcome independent of which
/// article's symbol happens to be checked first.
fn locate(version: u8, ec: EcLevel, print: PrintSetting) -> Result<(), String> {
    let key = (version, ec, print);
    let cell = {
        let mut located = LOCATED.lock().unwrap_or_else(PoisonError::into_inner);
        match located.iter().find(|(k, _)| *k == key) {
            Some((_, cell)) => Arc::clone(cell),
            None => {
                let cell = Arc::new(OnceLock::new());
                located.push((key, Arc::clone(&cell)));
                cell
            }
        }
    };
    // Worked out outside the list's lock, by one thread: the build's threads all start on
    // symbols of the same version, and each used to fit the reference's grid itself (the
    // most costly step of a check, some 5 ms) where the others now wait for its outcome.
    cell.get_or_init(|| {
        encode_at_version("", version, ec).and_then(|reference| {
            detect(&reference, print).map_err(|e| {
                format!(
                    "a version-{version} symbol with {} mm modules cannot be located in the simulated print: {e}",
                    print.module_mm
                )
            })
        })
    })
    .clone()
}

/// A decoder's search on the simulated print of `symbol`: rqrr finds the finder patterns,
/// measures the timing patterns and fits its sampling grid, retried with the binarisations
/// of `ATTEMPTS`. Succeeds when it finds a grid of the symbol's size whose corners lie
/// within a module of the symbol's true corners.
fn detect(symbol: &QrSymbol, print: PrintSetting) -> Result<(), String> {
    let (n, grey) = print.rasterise(symbol)?;
    let module_px = print.module_mm * print.dpi / 25.4;
    // rqrr reports the fitted grid at module coordinates 0 and width + 1.
    let near = QUIET_ZONE as f32 * module_px;
    let far = (QUIET_ZONE + symbol.width + 1) as f32 * module_px;
    let expected = [(near, near), (far, near), (far, far), (near, far)];
    let mut last_error = format!(
        "no QR symbol found in the simulated print ({} mm modules at {} dpi)",
        print.module_mm, print.dpi
    );
    for threshold in ATTEMPTS {
        let mut image = match threshold {
            None => rqrr::PreparedImage::prepare_from_greyscale(n, n, |x, y| grey[y * n + x]),
            Some(f) => {
                let level = INK + f * (PAPER - INK);
                rqrr::PreparedImage::prepare_from_bitmap(n, n, |x, y| {
                    f32::from(grey[y * n + x]) < level
                })
            }
        };
        for grid in image.detect_grids() {
            let size = rqrr::BitGrid::size(&grid.grid);
            let misfit = grid
                .bounds
                .iter()
                .zip(expected)
                .map(|(p, (x, y))| (p.x as f32 - x).abs().max((p.y as f32 - y).abs()))
                .fold(0.0, f32::max);
            if size == symbol.width as usize && misfit <= module_px {
                return Ok(());
            }
            last_error = format!(
                "the decoder fits a {size}x{size} grid {:.1} modules off where the {w}x{w} symbol is",
                misfit / module_px,
                w = symbol.width
            );
        }
    }
    Err(last_error)
}

/// Step 2 of [`verify`]: samples the simulated print of `symbol` at each module's centre and
/// decodes it with rqrr, binarised at each of `READ_THRESHOLDS` in turn, for the payload;
/// then samples it with the grid shifted by `FIT_ERROR` of a module along both diagonals (a
/// decoder's grid is never exactly on the modules) and counts the modules read wrong, at
/// the best of the thresholds. The print may spend at most half the symbol's error
/// correction: the rest is for what the simulation does not know (a smudge, a fold, set-off).
fn read(symbol: &QrSymbol, print: PrintSetting) -> Result<String, String> {
    #[cfg(test)]
    tests::READS.with(|reads| reads.set(reads.get() + 1));
    let raster = print.raster(symbol)?;
    let n = raster.n;
    let s = FIT_ERROR;
    // Only the pixels the sampling points interpolate between are printed: the grids lie
    // at most `FIT_ERROR` of a module off the centres, along either axis alike.
    let points: Vec<(usize, usize, f32)> = [-s, 0.0, s]
        .into_iter()
        .flat_map(|shift| sample_points(n, print, symbol.width, shift))
        .collect();
    let first = points.iter().map(|&(low, _, _)| low).min().unwrap_or(0);
    let last = points.iter().map(|&(_, high, _)| high).max().unwrap_or(0);
    let grey = raster.print(symbol, first..last + 1);
    let scan = Scan { n, grey: &grey, print, width: symbol.width };
    let text = decode_grid(symbol, &scan.sampler((0.0, 0.0)))?;
    let budget = correctable_modules(symbol.version, symbol.ec_level) / 2;
    for shift in [(s, s), (-s, -s), (s, -s), (-s, s)] {
        let sampler = scan.sampler(shift);
        // Each module read once, then binarised at every threshold.
        let w = symbol.width as usize;
        let read: Vec<(f32, bool)> =
            (0..w * w).map(|k| (sampler.value(k % w, k / w), symbol.modules[k])).collect();
        let wrong = READ_THRESHOLDS
            .iter()
            .map(|&fraction| {
                let level = INK + fraction * (PAPER - INK);
                read.iter().filter(|&&(value, dark)| (value < level) != dark).count()
            })
            .min()
            .unwrap_or(usize::MAX);
        if wrong > budget {
            return Err(format!(
                "with the decoder's grid {s} of a module off, {wrong} modules read wrong, more \
                 than half of the {} its error correction repairs",
                2 * budget
            ));
        }
    }
    Ok(text)
}

/// A simulated print scan of a symbol.
struct Scan<'a> {
    /// Side, pixels.
    n: usize,
    /// Grey levels, row-major.
    grey: &'a [u8],
    print: PrintSetting,
    /// Modules per side.
    width: u32,
}

impl Scan<'_> {
    /// Reads the scan at the module centres moved by `(dx, dy)` modules.
    fn sampler(&self, (dx, dy): (f32, f32)) -> Sampler<'_> {
        let points = |shift| sample_points(self.n, self.print, self.width, shift);
        Sampler { scan: self, xs: points(dx), ys: points(dy) }
    }
}

/// Each module's sampling point along one axis of an `n`-pixel scan of a `width`-module
/// symbol printed with `print`, `shift` modules off the centres: the two pixels it lies
/// between and how far towards the second. A pixel's value stands for its centre, so the
/// point is read by interpolating between neighbours.
fn sample_points(
    n: usize,
    print: PrintSetting,
    width: u32,
    shift: f32,
) -> Vec<(usize, usize, f32)> {
    let px_per_mm = print.dpi / 25.4;
    let margin = QUIET_ZONE as f32 * print.module_mm;
    (0..width)
        .map(|i| {
            let mm = margin + (i as f32 + 0.5 + shift) * print.module_mm;
            let at = (mm * px_per_mm - 0.5).clamp(0.0, (n - 1) as f32);
            let low = at.floor() as usize;
            (low, (low + 1).min(n - 1), at - low as f32)
        })
        .collect()
}

/// Sampling points on a [`Scan`], one per module.
struct Sampler<'a> {
    scan: &'a Scan<'a>,
    xs: Vec<(usize, usize, f32)>,
    ys: Vec<(usize, usize, f32)>,
}

impl Sampler<'_> {
    /// The grey level at module (`x`, `y`)'s sampling point, interpolated bilinearly.
    fn value(&self, x: usize, y: usize) -> f32 {
        let ((x0, x1, fx), (y0, y1, fy)) = (self.xs[x], self.ys[y]);
        let g = |xx: usize, yy: usize| f32::from(self.scan.grey[yy * self.scan.n + xx]);
        let top = g(x0, y0) * (1.0 - fx) + g(x1, y0) * fx;
        let bottom = g(x0, y1) * (1.0 - fx) + g(x1, y1) * fx;
        top * (1.0 - fy) + bottom * fy
    }
}

/// Decodes the modules `sampler` reads, trying each of `READ_THRESHOLDS`.
fn decode_grid(symbol: &QrSymbol, sampler: &Sampler) -> Result<String, String> {
    let mut last_error = String::new();
    for fraction in READ_THRESHOLDS {
        let level = INK + fraction * (PAPER - INK);
        let grid =
            rqrr::SimpleGrid::from_func(symbol.width as usize, |x, y| sampler.value(x, y) < level);
        match expect_payload(rqrr::Grid::new(grid).decode(), symbol) {
            Ok(text) => return Ok(text),
            Err(Misread::Wrong(e)) => return Err(e),
            Err(Misread::Unreadable(e)) => last_error = e,
        }
    }
    Err(last_error)
}

/// Why a decode did not give the payload.
enum Misread {
    /// Nothing usable came out; another attempt may do better.
    Unreadable(String),
    /// Another text came out: worse than no read, so no more attempts.
    Wrong(String),
}

fn expect_payload(
    decoded: Result<(rqrr::MetaData, String), rqrr::DeQRError>,
    symbol: &QrSymbol,
) -> Result<String, Misread> {
    match decoded {
        Ok((_, text)) if text == symbol.payload => Ok(text),
        Ok((_, text)) => Err(Misread::Wrong(format!(
            "the simulated print decodes to {text:?} instead of {:?}",
            symbol.payload
        ))),
        Err(e) => Err(Misread::Unreadable(format!("the simulated print does not decode ({e:?})"))),
    }
}

#[cfg(test)]
#[path = "verify_tests.rs"]
mod tests;
