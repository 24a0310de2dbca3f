//! A fast RGB to CMYK path for photos: the Little CMS conversion sampled once (16 bits a
//! channel) on a 33 x 33 x 33 grid, the grid Little CMS precalculates for RGB itself, and
//! interpolated per pixel, tetrahedrally, as Little CMS does.
//!
//! Little CMS's 8-bit transform does the same arithmetic, but pixel by pixel through
//! function pointers, 16-bit packing and unpacking, one channel at a time; on the
//! benchmark's 1,400 x 875 photos it (with a memo of recent colours in front) took about
//! 17 ms of CPU a photo, this grid about 9 (8 with a memo of recent colours in front).
//! The colours are within a unit of 255 of Little CMS's (`tests`, on a lattice of every colour in steps of 3), and the grid is
//! built once per conversion and process.

/// Grid points along each axis.
const NODES: usize = 33;

/// The axes (0 red, 1 green, 2 blue) in decreasing order of their fractions, by which of
/// red >= green (1), green >= blue (2) and red >= blue (4) hold; 3 and 4 cannot happen.
const ORDER: [[usize; 3]; 8] =
    [[2, 1, 0], [2, 0, 1], [1, 2, 0], [0, 1, 2], [0, 1, 2], [0, 2, 1], [1, 0, 2], [0, 1, 2]];

/// The conversion of 8-bit RGB to 8-bit CMYK as a grid of CMYK values.
pub struct RgbGrid {
    /// CMYK at each node (red slowest, blue fastest) in 256ths of an 8-bit unit, 32 bits
    /// a channel: cyan and magenta in the low and high halves of the first word, yellow
    /// and black in the second, so that one multiplication weighs two channels.
    nodes: Vec<[u64; 2]>,
    /// For each channel (red, green, blue) and 8-bit value: the offset in `nodes` of the
    /// node below it along that axis (high 16 bits), and how far it is towards the next, in
    /// 256ths (0..=256, low 16 bits): one load a channel, and the three offsets summed in
    /// one addition with the fractions, which never carry into them.
    axes: [[u32; 256]; 3],
}

impl RgbGrid {
    /// Samples `convert` (16-bit RGB to 16-bit CMYK, one call for all the nodes) on the grid.
    pub fn sample(convert: impl FnOnce(&[[u16; 3]], &mut [[u16; 4]])) -> Self {
        let last = (NODES - 1) as u32;
        let at = |i: usize| ((i as u32 * 65_535 + last / 2) / last) as u16;
        let mut inputs = Vec::with_capacity(NODES * NODES * NODES);
        for r in 0..NODES {
            for g in 0..NODES {
                for b in 0..NODES {
                    inputs.push([at(r), at(g), at(b)]);
                }
            }
        }
        let mut sampled = vec![[0u16; 4]; inputs.len()];
        convert(&inputs, &mut sampled);
        // 16 bits to 8 bits in 256ths: x 255 x 256 / 65,535, which is / 257.
        let scale = |v: u16| (u64::from(v) * 256 + 128) / 257;
        let nodes = sampled
            .iter()
            .map(|&[c, m, y, k]| [scale(c) | scale(m) << 32, scale(y) | scale(k) << 32])
            .collect();
        let mut cells = [(0u32, 0u32); 256];
        for (v, cell) in cells.iter_mut().enumerate() {
            // v / 255 of the axis, in 256ths of a cell; the top value sits at the end of
            // the last cell rather than at the start of one past it.
            let position = (v as u32 * last * 256 + 127) / 255;
            let (index, fraction) = (position / 256, position % 256);
            *cell = if index == last { (index - 1, 256) } else { (index, fraction) };
        }
        let axes =
            STEPS.map(|step| cells.map(|(index, fraction)| (index * step as u32) << 16 | fraction));
        Self { nodes, axes }
    }

    /// Converts RGB pixels (`rgb`, three bytes each) into CMYK (`cmyk`, four bytes each).
    ///
    /// A photo repeats its colours, mostly close together (the benchmark's 1,400 x 875
    /// photo has about 200,000 distinct colours among 1.2 million pixels, and a quarter of
    /// its pixels are the colour of the one before): a memo of the colours met recently,
    /// found by a hash of the colour, spares the interpolation for about one pixel in
    /// three, and gives the same bytes.
    pub fn convert(&self, rgb: &[u8], cmyk: &mut [u8]) {
        // 4,096 entries, 32 KB: in the core's first-level cache with the pixels. The key
        // u32::MAX is no colour, so the memo starts empty.
        const BITS: u32 = 12;
        let mut memo = [(u32::MAX, [0u8; 4]); 1 << BITS];
        for (pixel, out) in rgb.chunks_exact(3).zip(cmyk.chunks_exact_mut(4)) {
            let colour = u32::from(pixel[0]) | u32::from(pixel[1]) << 8 | u32::from(pixel[2]) << 16;
            // Fibonacci hashing: the top bits of the product mix every bit of the colour.
            let entry = &mut memo[(colour.wrapping_mul(0x9E37_79B1) >> (32 - BITS)) as usize];
            if entry.0 != colour {
                *entry = (colour, self.interpolate([pixel[0], pixel[1], pixel[2]]));
            }
            out.copy_from_slice(&entry.1);
        }
    }

    /// The CMYK of one RGB colour, interpolated in the tetrahedron of the grid it is in.
    fn interpolate(&self, pixel: [u8; 3]) -> [u8; 4] {
        let red = self.axes[0][usize::from(pixel[0])];
        let green = self.axes[1][usize::from(pixel[1])];
        let blue = self.axes[2][usize::from(pixel[2])];
        let base = ((red + green + blue) >> 16) as usize;
        let (fr, fg, fb) = (red & 0xFFFF, green & 0xFFFF, blue & 0xFFFF);
        // The tetrahedron the point is in, by the order of its fractions: looked up
        // rather than branched on (the fractions of a photo's pixels are as good as
        // random, and a mispredicted branch costs more than the lookup). Its weights
        // are the fractions sorted, found with min and max, without indexing.
        let case = usize::from(fr >= fg) | usize::from(fg >= fb) << 1 | usize::from(fr >= fb) << 2;
        let corners = CORNERS[case];
        let (to_second, to_third) = ((corners & 0xFFFF) as usize, (corners >> 16) as usize);
        let high = fr.max(fg).max(fb);
        let low = fr.min(fg).min(fb);
        let middle = fr + fg + fb - high - low;
        // One bounds check for the cube's far corner covers the four nodes: the corners
        // from the table are at most `FAR`, which `min` tells the compiler without a branch.
        let cube = &self.nodes[base..=base + FAR];
        let (n0, n1, n2, n3) =
            (cube[0], cube[to_second.min(FAR)], cube[to_third.min(FAR)], cube[FAR]);
        let (w0, w1, w2, w3) = (
            u64::from(256 - high),
            u64::from(high - middle),
            u64::from(middle - low),
            u64::from(low),
        );
        // Two channels a 64-bit word, 32 bits each: the weights sum to 256, so each
        // channel's sum stays under 2^24 and never spills into the next.
        const HALF: u64 = 1 << 15 | 1 << 47;
        let first = w0 * n0[0] + w1 * n1[0] + w2 * n2[0] + w3 * n3[0] + HALF;
        let second = w0 * n0[1] + w1 * n1[1] + w2 * n2[1] + w3 * n3[1] + HALF;
        [(first >> 16) as u8, (first >> 48) as u8, (second >> 16) as u8, (second >> 48) as u8]
    }
}

/// Node index steps along red, green and blue (red slowest).
const STEPS: [usize; 3] = [NODES * NODES, NODES, 1];

/// The offset of a cube's far corner (one step along every axis) from its first node.
const FAR: usize = STEPS[0] + STEPS[1] + STEPS[2];

/// For each tetrahedron ([`ORDER`]), the offsets of its second and third nodes from the
/// cube's first (low and high 16 bits, one load): one step along the axis of the largest
/// fraction, then one along the next.
const CORNERS: [u32; 8] = {
    let mut corners = [0; 8];
    let mut case = 0;
    while case < 8 {
        let [a, m, _] = ORDER[case];
        corners[case] = STEPS[a] as u32 | ((STEPS[a] + STEPS[m]) as u32) << 16;
        case += 1;
    }
    corners
};

#[cfg(test)]
mod tests {
    use crate::color::{BUNDLED_OUTPUT_PROFILE, Intent, OutputSpace};

    /// The largest and the mean difference, per channel, between the grid and Little CMS
    /// over a lattice of colours (every channel in steps of 3, and every grey).
    fn error(intent: Intent) -> (u8, f64) {
        let space = OutputSpace::new(BUNDLED_OUTPUT_PROFILE, intent);
        let exact = space.transform_from(None).unwrap();
        let grid = space.photo_transform_from(None).unwrap();
        let mut rgb: Vec<u8> = (0..=255u8).flat_map(|v| [v, v, v]).collect();
        for r in (0..=255u8).step_by(3) {
            for g in (0..=255u8).step_by(3) {
                for b in (0..=255u8).step_by(3) {
                    rgb.extend([r, g, b]);
                }
            }
        }
        let mut expected = vec![0u8; rgb.len() / 3 * 4];
        let mut got = expected.clone();
        exact.convert(&rgb, &mut expected);
        grid.convert(&rgb, &mut got);
        let differences = expected.iter().zip(&got).map(|(a, b)| a.abs_diff(*b));
        let total: f64 = differences.clone().map(f64::from).sum();
        (differences.max().unwrap_or(0), total / expected.len() as f64)
    }

    /// The grid sampled from Little CMS, sRGB to the bundled output profile, perceptual.
    fn bundled_grid() -> super::RgbGrid {
        let output = lcms2::Profile::new_icc(BUNDLED_OUTPUT_PROFILE).unwrap();
        let transform = lcms2::Transform::<[u16; 3], [u16; 4]>::new(
            &lcms2::Profile::new_srgb(),
            lcms2::PixelFormat::RGB_16,
            &output,
            lcms2::PixelFormat::CMYK_16,
            lcms2::Intent::Perceptual,
        )
        .unwrap();
        super::RgbGrid::sample(|rgb, cmyk| transform.transform_pixels(rgb, cmyk))
    }

    #[test]
    fn the_memo_gives_each_pixel_its_own_interpolation() {
        let grid = bundled_grid();
        // Runs of one colour, colours met again far apart, and enough distinct colours
        // (a pseudo-random walk) for many to share a memo entry.
        let mut seed = 7u64;
        let mut rgb = Vec::new();
        for _ in 0..20_000 {
            seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
            let colour = [(seed >> 40) as u8, (seed >> 48) as u8, (seed >> 56) as u8];
            let repeats = 1 + (seed >> 20) as usize % 3;
            (0..repeats).for_each(|_| rgb.extend(colour));
            if seed.is_multiple_of(5) {
                rgb.extend_from_within(..3);
            }
        }
        let mut converted = vec![0u8; rgb.len() / 3 * 4];
        grid.convert(&rgb, &mut converted);
        for (pixel, cmyk) in rgb.chunks_exact(3).zip(converted.chunks_exact(4)) {
            assert_eq!(cmyk, grid.interpolate([pixel[0], pixel[1], pixel[2]]), "{pixel:?}");
        }
    }

    /// Tetrahedral interpolation as written out in the textbook, one channel at a time, for
    /// the packed tables and the two-channels-a-word arithmetic to be checked against.
    fn textbook(grid: &super::RgbGrid, pixel: [u8; 3]) -> [u8; 4] {
        use super::{NODES, STEPS};
        let last = (NODES - 1) as u32;
        // Each channel's cell and how far into it (in 256ths), the top value at the end
        // of the last cell.
        let cells = pixel.map(|v| {
            let position = (u32::from(v) * last * 256 + 127) / 255;
            if position / 256 == last { (last - 1, 256) } else { (position / 256, position % 256) }
        });
        let node = |offsets: [u32; 3]| -> [u64; 4] {
            let index: usize =
                (0..3).map(|axis| (cells[axis].0 + offsets[axis]) as usize * STEPS[axis]).sum();
            let [first, second] = grid.nodes[index];
            [first & 0xFFFF_FFFF, first >> 32, second & 0xFFFF_FFFF, second >> 32]
        };
        // The axes by decreasing fraction (the first of equal ones first), walked from
        // the cube's first corner to its far one.
        let mut axes = [0, 1, 2];
        axes.sort_by_key(|&axis| std::cmp::Reverse(cells[axis].1));
        let fractions = axes.map(|axis| cells[axis].1);
        let mut corner = [0u32; 3];
        let mut corners = vec![node(corner)];
        for &axis in &axes {
            corner[axis] = 1;
            corners.push(node(corner));
        }
        let weights = [
            256 - fractions[0],
            fractions[0] - fractions[1],
            fractions[1] - fractions[2],
            fractions[2],
        ];
        std::array::from_fn(|channel| {
            let sum: u64 =
                weights.iter().zip(&corners).map(|(&w, n)| u64::from(w) * n[channel]).sum();
            ((sum + (1 << 15)) >> 16) as u8
        })
    }

    #[test]
    fn the_grid_interpolates_every_colour_as_the_textbook_does() {
        let grid = bundled_grid();
        // Every red and green, and blue in steps of 5 with its ends (about 3.4 million
        // colours): every cell edge, tetrahedron and tie between fractions.
        for r in 0..=255u8 {
            for g in 0..=255u8 {
                for b in (0..=255u8).step_by(5).chain([1, 254]) {
                    let pixel = [r, g, b];
                    assert_eq!(grid.interpolate(pixel), textbook(&grid, pixel), "{pixel:?}");
                }
            }
        }
    }

    #[test]
    fn the_grid_gives_little_cms_colours_within_one_percent() {
        for intent in [Intent::Perceptual, Intent::RelativeColorimetric] {
            let (max, mean) = error(intent);
            eprintln!("{intent:?}: max {max}, mean {mean:.4}");
            // 1 % of 255 is 2.55 units.
            assert!(max <= 1, "{intent:?}: {max} units off");
            assert!(mean < 0.05, "{intent:?}: {mean} units off on average");
        }
    }
}
