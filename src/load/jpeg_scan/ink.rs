//! A bound on a CMYK JPEG's total ink, worked out from its coefficients while the scan check
//! walks them, so that load need not decode the photo to know it stays under the ink limit.
//!
//! A sample is the block's DC level plus its AC waves; no wave reaches more than its
//! amplitude, so `|DC|/8 + sum |AC| x weight` bounds every sample of a block, and the four
//! components' bounds added bound the total ink of every pixel of an MCU. That costs an
//! addition per coefficient not zero. Where it is over both the highest total found so far
//! and the ink limit, the MCU's four blocks go through an exact inverse DCT (in floating
//! point) and the bound is each pixel's total, plus the decoder's own rounding
//! ([`DECODER_ERROR`]). So the bound is at least every pixel's total ink as the decoder
//! decodes it (and so at least [`crate::raster::peak_ink`], its 2x2 measure), and at most a
//! few units over the highest pixel, or at most the limit: of a photo under the limit, only
//! the MCUs its quick bound cannot clear are transformed. The bound is sound whatever limit
//! it was worked out for (render decodes a photo whose bound is over its own limit).
//!
//! Measured: sequential 8-bit frames of four components, none subsampled, in one
//! interleaved scan, stored as CMYK (inverted or not; YCCK is not measured here). Any other
//! kind has no bound, and load decodes it.

use super::Fault;
use super::huffman::{Bits, Huffman, extend};

/// How far the decoder's integer inverse DCT may land from the exact one, in units of one
/// sample: its rounding is within one (the IEEE 1180 accuracy every decoder meets), and one
/// more is kept in hand.
const DECODER_ERROR: f32 = 2.0;

/// Where the bound stands after the MCUs walked so far.
pub(super) struct InkBound {
    /// The samples are inverted ink (Adobe CMYK): ink is 255 minus the sample.
    inverted: bool,
    /// Each frame component's quantization table, in zigzag order.
    quantization: [[u16; 64]; 4],
    /// The MCU being read: each component's dequantized coefficients, in zigzag order.
    blocks: [[f32; 64]; 4],
    /// For each of them: the most its AC waves add to a sample, and the last coefficient
    /// set (what is cleared after the MCU).
    waves: [f32; 4],
    last: [usize; 4],
    /// Each component's DC predictor.
    predictors: [i32; 4],
    /// The highest total ink bound found so far, in 1/255 of one ink.
    peak: f32,
    /// The ink limit: an MCU whose quick bound is within it is not transformed.
    limit: f32,
    /// The inverse DCT's basis: `basis[x][u] = C(u) / 2 x cos((2x + 1) u pi / 16)`.
    basis: [[f32; 8]; 8],
}

impl InkBound {
    /// A bound for a frame whose components use `quantization` (in frame order); `inverted`
    /// for Adobe CMYK; `limit`, the ink limit it is to be judged against.
    pub(super) fn new(inverted: bool, quantization: [[u16; 64]; 4], limit: u32) -> Self {
        InkBound {
            inverted,
            quantization,
            blocks: [[0.0; 64]; 4],
            waves: [0.0; 4],
            last: [0; 4],
            predictors: [0; 4],
            peak: 0.0,
            limit: limit as f32,
            basis: std::array::from_fn(|x| {
                std::array::from_fn(|u| {
                    let c = if u == 0 { std::f32::consts::FRAC_1_SQRT_2 } else { 1.0 };
                    c / 2.0 * ((2 * x + 1) as f32 * u as f32 * std::f32::consts::PI / 16.0).cos()
                })
            }),
        }
    }

    /// At a restart marker: the DC predictors start again from zero.
    pub(super) fn restart(&mut self) {
        self.predictors = [0; 4];
    }

    /// The bound on the total ink of every pixel, in 1/255 of one ink.
    pub(super) fn peak(&self) -> u32 {
        self.peak.ceil() as u32
    }

    /// Reads the block of frame component `component` with the `dc` and `ac` tables, its
    /// coefficients kept for [`InkBound::mcu_done`].
    pub(super) fn block(
        &mut self,
        bits: &mut Bits<'_>,
        component: usize,
        dc: Option<&Huffman>,
        ac: Option<&Huffman>,
    ) -> Result<(), Fault> {
        let q = &self.quantization[component];
        let block = &mut self.blocks[component];
        let size = bits.symbol(dc.ok_or(Fault::BadCode)?)?;
        if size > 16 {
            return Err(Fault::BadCode);
        }
        let predictor = &mut self.predictors[component];
        *predictor = predictor.wrapping_add(extend(bits.take(u32::from(size)), u32::from(size)));
        block[0] = *predictor as f32 * f32::from(q[0]);
        let ac = ac.ok_or(Fault::BadCode)?;
        let (mut waves, mut last) = (0.0, 0);
        let mut k = 1;
        while k < 64 {
            let (symbol, value) = bits.coefficient(ac)?;
            let (run, size) = (usize::from(symbol >> 4), symbol & 0x0F);
            if size == 0 {
                if run != 15 {
                    break; // End of block.
                }
                k += 16;
            } else {
                k += run;
                if k > 63 {
                    return Err(Fault::BadCode);
                }
                let value = value as f32 * f32::from(q[k]);
                block[k] = value;
                waves += value.abs() * WEIGHTS[k];
                last = k;
                k += 1;
            }
        }
        self.waves[component] = waves;
        self.last[component] = last;
        if k > 64 { Err(Fault::BadCode) } else { Ok(()) }
    }

    /// After an MCU's four blocks: raises the bound to cover its pixels, then clears them.
    pub(super) fn mcu_done(&mut self) {
        let quick: f32 = (0..4).map(|c| self.ink_range(c)).sum();
        // An MCU not transformed counts at its quick bound.
        let bound = if quick > self.peak.max(self.limit) { self.exact_peak() } else { quick };
        self.peak = self.peak.max(bound);
        for (block, &last) in self.blocks.iter_mut().zip(&self.last) {
            block[..=last].fill(0.0);
        }
    }

    /// The most ink the samples of component `c`'s block can make: its level's ink plus
    /// every AC wave at its full amplitude, plus the decoder's rounding, within 0..=255.
    fn ink_range(&self, c: usize) -> f32 {
        let level = self.blocks[c][0] * WEIGHTS[0];
        let ink = if self.inverted { 127.0 - level } else { 128.0 + level };
        (ink + self.waves[c] + DECODER_ERROR).clamp(0.0, 255.0)
    }

    /// The highest total ink of the MCU's pixels, each component through the exact inverse
    /// DCT, plus the decoder's rounding.
    fn exact_peak(&self) -> f32 {
        let mut totals = [0.0f32; 64];
        for (block, &last) in self.blocks.iter().zip(&self.last) {
            let samples = inverse_dct(block, last, &self.basis);
            for (total, sample) in totals.iter_mut().zip(samples) {
                let ink = if self.inverted { 127.0 - sample } else { 128.0 + sample };
                *total += (ink + DECODER_ERROR).clamp(0.0, 255.0);
            }
        }
        totals.into_iter().fold(0.0, f32::max)
    }
}

/// Zigzag position to natural (row-major) position in a block.
const ZIGZAG: [usize; 64] = [
    0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25, 18, 11, 4, 5, 12, 19, 26, 33, 40, 48, 41, 34, 27, 20,
    13, 6, 7, 14, 21, 28, 35, 42, 49, 56, 57, 50, 43, 36, 29, 22, 15, 23, 30, 37, 44, 51, 58, 59,
    52, 45, 38, 31, 39, 46, 53, 60, 61, 54, 47, 55, 62, 63,
];

/// For each zigzag position, the largest a coefficient of 1 there adds to a sample:
/// `C(u) C(v) / 4`, with `C(0) = 1/sqrt(2)` and 1 otherwise.
const WEIGHTS: [f32; 64] = {
    let mut weights = [0.0; 64];
    let mut k = 0;
    while k < 64 {
        let (u, v) = (ZIGZAG[k] % 8, ZIGZAG[k] / 8);
        let cu = if u == 0 { std::f32::consts::FRAC_1_SQRT_2 } else { 1.0 };
        let cv = if v == 0 { std::f32::consts::FRAC_1_SQRT_2 } else { 1.0 };
        weights[k] = cu * cv / 4.0;
        k += 1;
    }
    weights
};

/// The exact inverse DCT of a block of dequantized coefficients in zigzag order: the
/// samples before the level shift, row-major ([`InkBound::basis`]).
/// Coefficients past `last` are zero.
fn inverse_dct(block: &[f32; 64], last: usize, basis: &[[f32; 8]; 8]) -> [f32; 64] {
    let mut natural = [0.0f32; 64];
    // The rows of coefficients that are not all zero: the others add nothing.
    let mut used = [false; 8];
    for (k, &c) in block[..=last].iter().enumerate() {
        natural[ZIGZAG[k]] = c;
        used[ZIGZAG[k] / 8] |= c != 0.0;
    }
    // Rows first (over u), then columns (over v).
    let mut rows = [0.0f32; 64];
    for v in (0..8).filter(|&v| used[v]) {
        for x in 0..8 {
            rows[v * 8 + x] = (0..8).map(|u| basis[x][u] * natural[v * 8 + u]).sum();
        }
    }
    let mut samples = [0.0f32; 64];
    for y in 0..8 {
        for x in 0..8 {
            samples[y * 8 + x] =
                (0..8).filter(|&v| used[v]).map(|v| basis[y][v] * rows[v * 8 + x]).sum();
        }
    }
    samples
}
